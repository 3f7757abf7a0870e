"""Keep secrets (the bot token, the webhook secret) out of every log line.

httpx logs each request URL at INFO, and Bot API URLs contain the token
(`https://api.telegram.org/bot<TOKEN>/sendMessage`); exceptions can carry it too. The record
factory installed here rewrites every log record, from any logger, before any handler sees it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

REPLACEMENT = "<redacted>"

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def redact(text: str) -> str:
    """`text` with every registered secret replaced."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REPLACEMENT)
    return text


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it to logging's own error handling
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        text = logging.Formatter().formatException(record.exc_info)
        cleaned = redact(text)
        if cleaned != text:
            record.exc_text = cleaned
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install(*secrets: str | None) -> None:
    """Redact these secrets from all log records from now on (idempotent, thread-safe)."""
    global _installed
    with _lock:
        _secrets.update(s for s in secrets if s and len(s) >= 8)
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if _secrets:
                _scrub(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
    # Request URLs are not worth logging at INFO; failures still show at WARNING.
    for name in ("httpx", "httpcore"):
        if logging.getLogger(name).level < logging.WARNING:
            logging.getLogger(name).setLevel(logging.WARNING)
