"""Shared helpers for the Telegram tests: a fake engine, settings, and two ways to run the bot.

- `inprocess_bot(...)`: the application with `FakeRequest`; updates are processed one by one
  with `Application.process_update` (fast, no sockets).
- `polling_bot(...)`: the application with PTB's real HTTP stack, long-polling a
  `FakeBotApiServer` on 127.0.0.1.

Import these in test modules (the lead owns tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import (
    ChunkSettings,
    QuizSettings,
    SearchSettings,
    Settings,
    TelegramSettings,
    load_settings,
)
from index.answer import Answer, ArticleInfo, Passage, Quote, Source
from tests.fakebotapi import FakeBotApiServer, FakeRequest, FakeTelegram

SOURCE_A = Source("a001", "Қазақстан халқы Ассамблеясының қоғамдағы рөлі", 2015)
SOURCE_B = Source("b002", "Бейбітшілік пен келісім <тәжірибесі> & болашағы", 2019)
SOURCE_C = Source("c003", "Этносаралық келісім", None)

_RUSSIAN = re.compile(r"\b(когда|что|как|где|кто|сколько|зачем|почему)\b", re.IGNORECASE)


@dataclass
class FakeEngine:
    """A deterministic stand-in for index/search.py's Engine.

    Question words steer it: "белгісіз" declines, "ұзын" returns a 6,000-character quote,
    "html" returns text full of HTML specials, "баяу" sleeps `slow_seconds`, "қате" raises.
    Every call records the thread it ran in.
    """

    delay: float = 0.0
    slow_seconds: float = 1.0
    busy: bool = False  # spin the CPU for `delay` instead of sleeping (holds the GIL)
    questions: list[str] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)
    closed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self) -> None:
        self.closed = True

    def _wait(self, seconds: float) -> None:
        if not self.busy:
            time.sleep(seconds)
            return
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass

    def answer(self, question: str) -> Answer:
        with self._lock:
            self.questions.append(question)
            self.threads.add(threading.current_thread().name)
        lowered = question.lower()
        lang = "ru" if _RUSSIAN.search(lowered) else "kk"
        if "қате" in lowered:
            raise RuntimeError("engine failure for the test")
        if "баяу" in lowered:
            self._wait(self.slow_seconds)
        elif self.delay:
            self._wait(self.delay)
        if "белгісіз" in lowered:
            return Answer(question, (), lang, suggestions=self.examples())
        if "ұзын" in lowered:
            text = " ".join(["Ассамблея елдегі татулық пен келісімді нығайтады."] * 120)
            return Answer(question, (Quote(text, (SOURCE_A,), 0.9, 7),), lang)
        if "html" in lowered:
            text = 'Мәтінде <script>alert("x")</script> & <b>белгілер</b> бар.'
            return Answer(question, (Quote(text, (SOURCE_B,), 0.9, 8),), lang)
        quotes = (
            Quote(
                "Қазақстан халқы Ассамблеясы 1995 жылғы 1 наурызда құрылды.",
                (SOURCE_A, SOURCE_B),
                0.92,
                1,
            ),
            Quote("Ассамблея Мәжіліске 9 депутат сайлайды.", (SOURCE_B,), 0.81, 2),
        )
        others = (Quote("Ассамблея — этносаралық келісімнің тірегі.", (SOURCE_C,), 0.5, 3),)
        return Answer(question, quotes, lang, others=others)

    def passage(self, chunk_id: int) -> Passage | None:
        if chunk_id not in (1, 2, 3, 7, 8):
            return None
        text = (
            "Қазақстан халқы Ассамблеясы 1995 жылғы 1 наурызда құрылды. "
            "Ол — Президент жанындағы консультативтік-кеңесші орган <иә> & т.б."
        )
        if chunk_id == 7:
            text = "Ұзын үзінді. " * 500
        return Passage(chunk_id, text, SOURCE_A)

    def examples(self) -> tuple[str, ...]:
        return ("Ассамблеяның құрылуы", "Ассамблеяның міндеттері")

    def articles(self) -> list[ArticleInfo]:
        return [
            ArticleInfo("b002", SOURCE_B.title, 2019, "https://example.kz/a?x=1&y=2", 1, 12),
            ArticleInfo("a001", SOURCE_A.title, 2015, "«Егемен Қазақстан» газеті", 1, 20),
            ArticleInfo("c003", SOURCE_C.title, None, "", 2, 5),
        ]


def make_settings(tmp_path: Path, quiz: QuizSettings | None = None, **telegram: Any) -> Settings:
    """Settings with the database under tmp_path and the given [telegram] and [quiz] overrides;
    the models are config.toml's, in the set-up's model folder (an engine built from these loads
    the ones the project uses, trained once by the set-up)."""
    project = load_settings()
    models = tmp_path / "var" / "models"
    if not models.exists():
        models.parent.mkdir(parents=True, exist_ok=True)
        project.models_dir.mkdir(parents=True, exist_ok=True)
        models.symlink_to(project.models_dir.resolve(), target_is_directory=True)
    return Settings(
        content_dir=tmp_path / "articles",
        data_dir=tmp_path / "var",
        model=project.model,
        chunking=ChunkSettings(),
        search=SearchSettings(),
        telegram=TelegramSettings(**telegram),
        quiz=quiz or QuizSettings(),
        reader=project.reader,
        training=project.training,
        config_dir=project.config_dir,
    )


@dataclass
class Harness:
    """A running bot and the fake Telegram it talks to."""

    fake: FakeTelegram
    app: Any
    engine: FakeEngine
    settings: Settings

    async def process(self) -> None:
        """In-process only: handle every queued update, one after the other."""
        for raw in self.fake.take_updates():
            await self.app.process_update(Update.de_json(raw, self.app.bot))


@contextlib.asynccontextmanager
async def inprocess_bot(
    tmp_path: Path,
    engine: FakeEngine | None = None,
    fake: FakeTelegram | None = None,
    quiz: QuizSettings | None = None,
    **telegram: Any,
) -> AsyncIterator[Harness]:
    """The bot driven in-process through `FakeRequest`."""
    fake = fake or FakeTelegram()
    engine = engine or FakeEngine()
    settings = make_settings(tmp_path, quiz, **telegram)
    app = build_application(
        settings,
        engine,
        fake.token,
        request=FakeRequest(fake),
        get_updates_request=FakeRequest(fake),
    )
    await app.initialize()
    try:
        await app.post_init(app)
        yield Harness(fake, app, engine, settings)
    finally:
        await app.post_shutdown(app)
        await app.shutdown()


@contextlib.asynccontextmanager
async def polling_bot(
    tmp_path: Path,
    engine: FakeEngine | None = None,
    server: FakeBotApiServer | None = None,
    quiz: QuizSettings | None = None,
    **telegram: Any,
) -> AsyncIterator[Harness]:
    """The bot long-polling a fake Bot API server over real HTTP."""
    own_server = server is None
    server = server or FakeBotApiServer().start()
    engine = engine or FakeEngine()
    settings = make_settings(
        tmp_path, quiz, base_url=server.base_url, base_file_url=server.base_file_url, **telegram
    )
    app = build_application(settings, engine, server.fake.token)
    try:
        await app.initialize()
        await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=2, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            yield Harness(server.fake, app, engine, settings)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)
            await app.shutdown()
    finally:
        if own_server:
            server.stop()


Scenario = Callable[[Harness], Awaitable[None]]


def play(
    tmp_path: Path,
    scenario: Scenario,
    engine: FakeEngine | None = None,
    *,
    polling: bool = False,
    quiz: QuizSettings | None = None,
    **telegram: Any,
) -> None:
    """Run `scenario` against the bot in-process, or with `polling` over real HTTP; 30 s at most."""
    bot = polling_bot if polling else inprocess_bot

    async def main() -> None:
        async with bot(tmp_path, engine, quiz=quiz, **telegram) as harness:
            await scenario(harness)

    asyncio.run(asyncio.wait_for(main(), 30))
