"""What the handlers of every feature share: the settings, the engine, flood control, and the
worker threads that keep CPU-bound retrieval and SQLite off the event loop."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from telegram.ext import ContextTypes

from bot.config import Settings
from bot.telegram.flood import FloodControl
from bot.telegram.shared import kept
from index.answer import Answer, ArticleInfo, Passage

T = TypeVar("T")


class Engine(Protocol):
    """The retrieval engine (index/search.py); its methods are called from worker threads."""

    def answer(self, question: str) -> Answer: ...

    def passage(self, chunk_id: int) -> Passage | None: ...

    def articles(self) -> list[ArticleInfo]: ...

    def examples(self) -> tuple[str, ...]: ...

    def close(self) -> None: ...


@dataclass
class Services:
    """Everything handlers need besides the bot; kept in `application.bot_data`."""

    settings: Settings
    engine: Engine
    flood: FloodControl  # questions
    button_flood: FloodControl  # button presses
    engine_pool: ThreadPoolExecutor = field(init=False)
    db_pool: ThreadPoolExecutor = field(init=False)
    # calls in flight per engine, and engines swapped out that close when their last call ends
    _in_flight: dict[int, int] = field(init=False, default_factory=dict)
    _retired: dict[int, Engine] = field(init=False, default_factory=dict)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _closing: list[Callable[[], None]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        workers = max(1, self.settings.telegram.engine_threads)
        self.engine_pool = ThreadPoolExecutor(workers, thread_name_prefix="kha-engine")
        self.db_pool = ThreadPoolExecutor(1, thread_name_prefix="kha-db")

    def swap_engine(self, engine: Engine) -> None:
        """Answer from `engine` from now on; the old one closes once its calls in flight end."""
        with self._lock:
            old, self.engine = self.engine, engine
            if self._in_flight.get(id(old)):
                self._retired[id(old)] = old
                return
        old.close()

    def _engine_call(self, name: str) -> Callable[..., Any]:
        """The current engine's method `name`, counted as in flight until it returns in its thread
        (a timed-out wait does not stop the thread: counting in the event loop would not do)."""
        engine = self.engine
        method = getattr(engine, name)
        with self._lock:
            self._in_flight[id(engine)] = self._in_flight.get(id(engine), 0) + 1

        def call(*args: Any) -> Any:
            try:
                return method(*args)
            finally:
                with self._lock:
                    self._in_flight[id(engine)] -= 1
                    idle = not self._in_flight[id(engine)]
                    if idle:
                        del self._in_flight[id(engine)]
                    retired = self._retired.pop(id(engine), None) if idle else None
                if retired is not None:
                    retired.close()

        return call

    async def _run(self, pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, functools.partial(fn, *args))

    async def answer(self, question: str) -> Answer:
        """The engine's answer, computed in a worker thread; TimeoutError when it takes too long."""
        timeout = self.settings.telegram.answer_timeout_seconds
        call = self._engine_call("answer")
        return await asyncio.wait_for(self._run(self.engine_pool, call, question), timeout)

    async def passage(self, chunk_id: int) -> Passage | None:
        """A whole chunk, looked up in a worker thread."""
        return await self._run(self.engine_pool, self._engine_call("passage"), chunk_id)

    async def articles(self) -> list[ArticleInfo]:
        """The articles the engine knows."""
        return await self._run(self.engine_pool, self._engine_call("articles"))

    async def examples(self) -> tuple[str, ...]:
        """Example questions the articles answer (offered under a refusal)."""
        return await self._run(self.engine_pool, self._engine_call("examples"))

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a store method in the single database thread (stores are used by one thread)."""
        return await self._run(self.db_pool, fn, *args)

    def close_with(self, close: Callable[[], None]) -> None:
        """Call `close` (a store's) in the database thread when the bot shuts down."""
        self._closing.append(close)

    def close(self) -> None:
        """Stop the worker threads and close the stores."""
        self.engine_pool.shutdown(wait=False, cancel_futures=True)
        for close in self._closing:
            self.db_pool.submit(close)
        self.db_pool.shutdown(wait=True)


def get_services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The `Services` of the running application."""
    return kept(context.bot_data, Services)
