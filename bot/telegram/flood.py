"""Per-user flood control: at most N actions in a sliding window of T seconds."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable


class FloodControl:
    """A sliding-window counter per key (a Telegram user id).

    `hit(key)` records an action and returns 0.0 when it is allowed, or the seconds to wait.
    A blocked key is told so once per window (`should_warn`), so a flood never turns into a
    flood of warnings.
    """

    def __init__(
        self,
        max_events: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        if max_events < 1 or window_seconds <= 0:
            raise ValueError("flood control needs max_events >= 1 and window_seconds > 0")
        self.max_events = max_events
        self.window = float(window_seconds)
        self._clock = clock
        self._max_keys = max_keys
        self._events: dict[Hashable, deque[float]] = {}
        self._warned: dict[Hashable, float] = {}

    def hit(self, key: Hashable) -> float:
        """Record one action for `key`; 0.0 if allowed, else seconds until it would be."""
        now = self._clock()
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self._max_keys:
                self._sweep(now)
            events = self._events[key] = deque()
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) < self.max_events:
            events.append(now)
            self._warned.pop(key, None)
            return 0.0
        return max(self.window - (now - events[0]), 0.001)

    def should_warn(self, key: Hashable) -> bool:
        """True the first time a blocked key asks within the current window."""
        events = self._events.get(key)
        if not events:
            return False
        if self._warned.get(key) == events[0]:
            return False
        self._warned[key] = events[0]
        return True

    def _sweep(self, now: float) -> None:
        for key in [k for k, ev in self._events.items() if not ev or now - ev[-1] >= self.window]:
            del self._events[key]
            self._warned.pop(key, None)
