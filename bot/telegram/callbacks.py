"""Callback data: one small, validated format for the buttons of every feature.

A button's data is a frozen dataclass whose class names a `PREFIX` and whose fields are whole
numbers or codes from a fixed table; it travels as `<prefix>:<field>:<field>…` (at most 64
bytes, `InlineKeyboardButtonLimit.MAX_CALLBACK_DATA`). Each feature declares its own classes
with `@callback(...)`; anything that parses to no class (forged, truncated, from an older
version) is None and is answered as a stale button.

    @callback("v", codes={"vote": {"+": 1, "-": -1}})
    @dataclass(frozen=True)
    class VoteData:
        answer_id: int
        vote: int
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, Final, TypeVar

from telegram.constants import InlineKeyboardButtonLimit

MAX_ID: Final = 2**53 - 1  # ids beyond this are forged, whatever their shape
_NUMBER: Final = re.compile(r"\d{1,16}")

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class _Kind:
    cls: type
    prefix: str
    fields: tuple[str, ...]
    codes: dict[str, dict[str, Any]]
    valid: Callable[[Any], bool]


_KINDS: dict[str, _Kind] = {}


def callback(
    prefix: str,
    *,
    codes: dict[str, dict[str, Any]] | None = None,
    valid: Callable[[Any], bool] = lambda data: True,
) -> Callable[[type[T]], type[T]]:
    """Declare a dataclass as button data under `prefix`; fields listed in `codes` travel as
    one of their codes, the others as whole numbers from 0 to `MAX_ID`; `valid` rejects the
    rest (an id that must be positive, an index past a list)."""

    def declare(cls: type[T]) -> type[T]:
        if prefix in _KINDS:
            raise ValueError(f"callback prefix {prefix!r} is taken")
        names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        _KINDS[prefix] = _Kind(cls, prefix, names, codes or {}, valid)
        return cls

    return declare


def encode(data: object) -> str:
    """The callback data string for `data`; ValueError when it would not parse back."""
    kind = next((k for k in _KINDS.values() if type(data) is k.cls), None)
    if kind is None:
        raise ValueError(f"not button data: {data!r}")
    parts = [kind.prefix]
    for name in kind.fields:
        value = getattr(data, name)
        table = kind.codes.get(name)
        if table is None:
            parts.append(str(value))
        else:
            parts.append(next((code for code, v in table.items() if v == value), "?"))
    raw = ":".join(parts)
    if parse(raw) != data:
        raise ValueError(f"cannot encode {data!r}")
    return raw


def parse(raw: object) -> Any | None:
    """The button data `raw` stands for; None for anything this version did not produce."""
    if not isinstance(raw, str):
        return None
    if len(raw.encode("utf-8")) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
        return None
    for kind in _KINDS.values():
        head = kind.prefix.count(":") + 1
        parts = raw.split(":")
        if ":".join(parts[:head]) != kind.prefix or len(parts) != head + len(kind.fields):
            continue
        values = [
            _value(kind, name, text) for name, text in zip(kind.fields, parts[head:], strict=True)
        ]
        if any(v is _BAD for v in values):
            return None
        data = kind.cls(*values)
        return data if kind.valid(data) else None
    return None


def matches(*classes: type) -> Callable[[object], bool]:
    """A `CallbackQueryHandler` pattern: the data parses to one of `classes`."""
    return lambda raw: isinstance(parse(raw), classes)


_BAD: Final = object()


def _value(kind: _Kind, name: str, text: str) -> Any:
    table = kind.codes.get(name)
    if table is not None:
        return table.get(text, _BAD)
    if not _NUMBER.fullmatch(text) or int(text) > MAX_ID:
        return _BAD
    return int(text)
