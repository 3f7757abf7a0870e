"""What the Telegram handlers share: the engine, the feedback store, flood control, and the
worker threads that keep CPU-bound retrieval and SQLite off the event loop."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.telegram.feedback import FeedbackStore
from bot.telegram.flood import FloodControl
from index.answer import Answer, ArticleInfo, Passage

T = TypeVar("T")

SERVICES_KEY = "kha_services"


class Engine(Protocol):
    """The retrieval engine (index/search.py); its methods are called from worker threads."""

    def answer(self, question: str) -> Answer: ...

    def passage(self, chunk_id: int) -> Passage | None: ...

    def articles(self) -> list[ArticleInfo]: ...


@dataclass
class Services:
    """Everything handlers need besides the bot; kept in `application.bot_data`."""

    settings: Settings
    engine: Engine
    store: FeedbackStore
    flood: FloodControl  # questions
    button_flood: FloodControl  # button presses
    engine_pool: ThreadPoolExecutor = field(init=False)
    db_pool: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        workers = max(1, self.settings.telegram.engine_threads)
        self.engine_pool = ThreadPoolExecutor(workers, thread_name_prefix="kha-engine")
        self.db_pool = ThreadPoolExecutor(1, thread_name_prefix="kha-db")

    async def _run(self, pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, functools.partial(fn, *args))

    async def answer(self, question: str) -> Answer:
        """The engine's answer, computed in a worker thread; TimeoutError when it takes too long."""
        timeout = self.settings.telegram.answer_timeout_seconds
        return await asyncio.wait_for(
            self._run(self.engine_pool, self.engine.answer, question), timeout
        )

    async def passage(self, chunk_id: int) -> Passage | None:
        """A whole chunk, looked up in a worker thread."""
        return await self._run(self.engine_pool, self.engine.passage, chunk_id)

    async def articles(self) -> list[ArticleInfo]:
        """The articles the engine knows."""
        return await self._run(self.engine_pool, self.engine.articles)

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a `FeedbackStore` method in the single database thread."""
        return await self._run(self.db_pool, fn, *args)

    def close(self) -> None:
        """Stop the worker threads and close the database."""
        self.engine_pool.shutdown(wait=False, cancel_futures=True)
        self.db_pool.submit(self.store.close)
        self.db_pool.shutdown(wait=True)


def get_services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The `Services` of the running application."""
    services = context.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services


def attach(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """Make `services` available to the handlers of `application`."""
    application.bot_data[SERVICES_KEY] = services
