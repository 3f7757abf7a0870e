"""Telegram's limits on the bot's side: AIORateLimiter plus bounded retries with backoff.

- Messages go through `AIORateLimiter` (30/s across chats, 20/min per group by default); a
  429 is retried after Telegram's `retry_after`, at most `max_retries` times, and while one
  429 is waited out every other request waits too.
- Chat actions, callback answers and other calls that are not messages skip the message
  limits (they are not what Telegram counts), but still honour a 429.
- Network errors are retried with exponential backoff, at most `max_retries` times. A timeout
  is retried only for calls that are safe to repeat (a timed-out sendMessage may have been
  delivered; sending it again would post it twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Final

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

NOT_MESSAGES: Final = frozenset(
    {
        "answerCallbackQuery",
        "sendChatAction",
        "getMe",
        "getFile",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "setMyDescription",
        "setMyShortDescription",
        "getChat",
        "getChatMember",
        "logOut",
        "close",
    }
)
SAFE_TO_REPEAT: Final = NOT_MESSAGES | {
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "stopPoll",
}


class BotRateLimiter(AIORateLimiter):
    """AIORateLimiter with bounded, backed-off retries of network errors."""

    def __init__(
        self,
        *,
        overall_max_rate: float = 30,
        group_max_rate: float = 20,
        max_retries: int = 3,
        backoff_seconds: float = 0.5,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_max_rate,
            overall_time_period=1,
            group_max_rate=group_max_rate,
            group_time_period=60,
            max_retries=max_retries,
        )
        self._network_retries = max_retries
        self._backoff = backoff_seconds

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Send one request within the limits, retrying what is safe to retry."""
        attempt = 0
        while True:
            try:
                if endpoint in NOT_MESSAGES:
                    return await self._unlimited(callback, args, kwargs, rate_limit_args)
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except TimedOut:
                if endpoint not in SAFE_TO_REPEAT or attempt >= self._network_retries:
                    raise
            except NetworkError:
                if attempt >= self._network_retries:
                    raise
            attempt += 1
            delay = self._backoff * 2 ** (attempt - 1)
            logger.warning(
                "%s failed with a network error; retry %d of %d in %.1f s",
                endpoint,
                attempt,
                self._network_retries,
                delay,
            )
            await asyncio.sleep(delay)

    async def _unlimited(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        retries = rate_limit_args or self._network_retries
        for attempt in range(retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt >= retries:
                    raise
                # `_retry_after` is a timedelta; the public property warns about int periods.
                seconds = exc._retry_after.total_seconds()
                logger.info("429 on a non-message call; retrying after %.1f s", seconds)
                await asyncio.sleep(seconds + 0.1)
        raise AssertionError("unreachable")
