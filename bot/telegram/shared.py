"""Where each feature keeps its one shared object (its store, its state): in the application's
`bot_data`, under the object's own class, so a getter is typed without a key to spell."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def keep(bot_data: dict[Any, Any], shared: object) -> None:
    """Keep `shared` for the handlers (one object of each class)."""
    bot_data[type(shared)] = shared


def kept(bot_data: Mapping[Any, Any], kind: type[T]) -> T:
    """The object of `kind` kept in `bot_data`."""
    found = bot_data[kind]
    assert isinstance(found, kind)
    return found
