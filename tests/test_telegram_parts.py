"""Small parts of the Telegram bot: callback data, flood control, the feedback store, and the
token filter for logs."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest
from telegram.constants import InlineKeyboardButtonLimit

from bot.answers import keyboards
from bot.answers.store import MIGRATIONS, FeedbackStore
from bot.telegram import redact
from bot.telegram.flood import FloodControl
from bot.telegram.services import Services
from index.answer import Answer, Quote, Source
from tests.telegram_support import FakeEngine, make_settings

SOURCE = Source("a", "Мақала", 2020)


def test_callback_data_round_trips_and_fits() -> None:
    for data in (
        keyboards.PassageData(0),
        keyboards.PassageData(2**53 - 1),
        keyboards.OthersData(7),
        keyboards.VoteData(12345678901, 1),
        keyboards.VoteData(3, -1),
        keyboards.ExampleData(3),
    ):
        raw = keyboards.encode(data)
        assert keyboards.parse(raw) == data
        assert len(raw.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    for forged in (
        None,
        5,
        "",
        "p:",
        "p:-1",
        "p: 1",
        "p:1 ",
        "p:" + "9" * 17,
        "o:0",
        "v:1",
        "v:1:x",
        "x:4",
        "x:99",
        "ә" * 40,
    ):
        assert keyboards.parse(forged) is None
    with pytest.raises(ValueError):
        keyboards.encode(keyboards.OthersData(0))


def test_answer_keyboard_shapes() -> None:
    one = Answer("q", (Quote("т", (SOURCE,), 1.0, 5),), "kk")
    markup = keyboards.answer_keyboard(one, 9)
    assert markup is not None
    rows = [[b.callback_data for b in row] for row in markup.inline_keyboard]
    assert rows == [["p:5"], ["v:9:+", "v:9:-"]]
    assert keyboards.answer_keyboard(one, None) is not None
    declined = Answer("q", (), "kk")
    assert keyboards.answer_keyboard(declined, None) is None
    marked = keyboards.with_vote_marked(markup, 9, -1)
    assert marked is not None
    assert [b.text for b in marked.inline_keyboard[1]] == ["👍", "👎 ✓"]


def test_flood_control_sliding_window() -> None:
    now = [0.0]
    flood = FloodControl(2, 10, clock=lambda: now[0])
    assert flood.hit(1) == 0 and flood.hit(1) == 0
    assert flood.hit(1) == pytest.approx(10)
    assert flood.should_warn(1) and not flood.should_warn(1)
    assert flood.hit(2) == 0  # another user
    now[0] = 10.5
    assert flood.hit(1) == 0
    assert flood.hit(1) == 0
    assert flood.hit(1) > 0 and flood.should_warn(1)  # a new window warns again


def test_feedback_store_migrates_once_and_records(tmp_path: Path) -> None:
    db_path = tmp_path / "var" / "bot.db"
    store = FeedbackStore(db_path)
    answer = Answer("Ассамблея қашан құрылды?", (Quote("т", (SOURCE,), 1.0, 5),), "kk")
    answer_id = store.record_answer(answer, "private")
    assert store.question(answer_id) == ("Ассамблея қашан құрылды?", "kk")
    assert store.question(answer_id + 1) is None
    assert store.vote(answer_id, 42, 1) == 0
    assert store.vote(answer_id, 42, -1) == 1
    assert store.vote(answer_id + 1, 42, 1) is None
    assert store.totals() == {"answers": 1, "declined": 0, "up": 0, "down": 1}
    assert store.prune(keep_days=0) == 0  # it has feedback: kept
    store.close()

    again = FeedbackStore(db_path)  # reopening applies nothing twice
    names = [r[0] for r in again.db.execute("SELECT name FROM _migrations").fetchall()]
    assert names == [name for name, _ in MIGRATIONS]
    assert all(name.startswith("bot_") for name in names)
    voter = again.db.execute("SELECT voter FROM bot_feedback").fetchone()[0]
    assert "42" not in voter and voter == again.voter(42)
    again.close()


def test_feedback_store_shares_the_migrations_table(tmp_path: Path) -> None:
    db_path = tmp_path / "bot.db"
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE _migrations(name TEXT PRIMARY KEY, applied_at TEXT)")
        conn.execute("INSERT INTO _migrations VALUES ('001_articles', 'x')")
    store = FeedbackStore(db_path)
    names = {r[0] for r in store.db.execute("SELECT name FROM _migrations").fetchall()}
    assert names == {"001_articles", "bot_001_answers", "bot_002_feedback", "bot_003_quote"}
    store.close()


def test_redaction_covers_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "987654:SECRET-token-for-redaction"
    redact.install(secret)
    log = logging.getLogger("kha.test.redact")
    with caplog.at_level(logging.INFO):
        log.info("GET https://api.telegram.org/bot%s/getMe", secret)
        log.info(f"inline {secret}")
        try:
            raise ValueError(f"bad url /bot{secret}/x")
        except ValueError:
            log.exception("failed")
    assert secret not in caplog.text
    assert caplog.text.count(redact.REPLACEMENT) >= 3


def test_a_swapped_out_engine_closes_when_its_last_answer_ends(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, engine_threads=2)
    old, new = FakeEngine(slow_seconds=0.3), FakeEngine()
    services = Services(settings, old, FloodControl(5, 60), FloodControl(5, 60))

    async def main() -> None:
        slow = asyncio.create_task(services.answer("баяу сұрақ"))
        await asyncio.sleep(0.05)  # the slow answer is running in a worker thread
        services.swap_engine(new)
        assert services.engine is new and not old.closed  # in use: not closed under it
        assert (await slow).question == "баяу сұрақ"
        assert old.closed and not new.closed
        services.swap_engine(old)  # nothing in flight: closed at once
        assert new.closed

    try:
        asyncio.run(main())
    finally:
        services.close()


def test_declines_are_counted_once_and_greetings_by_neither_report(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "bot.db")
    store.record_answer(Answer("Сәлем!", (), "kk", small_talk=True), "private")
    store.record_answer(Answer("Шахмат қалай ойналады?", (), "kk"), "private")
    store.record_answer(
        Answer("Ассамблея қашан құрылды?", (Quote("т", (SOURCE,), 1.0, 5),)), "group"
    )
    assert [q for _, q in store.declined(10)] == ["Шахмат қалай ойналады?"]
    assert list(store.daily("2000-01-01").values()) == [(1, 1)]
    assert store.totals()["declined"] == 1
    store.close()


def test_every_features_buttons_share_one_checked_format() -> None:
    from bot.moderation import keyboards as moderation
    from bot.quiz import keyboards as quiz
    from bot.telegram import callbacks

    expected = {
        moderation.Confirm(5): "m:go:5",
        moderation.Cancel(5): "m:no:5",
        moderation.Edit(4, "year"): "m:ed:4:y",
        moderation.NoYear(4): "m:ny:4",
        moderation.PasteDone(): "m:pd",
        moderation.PasteCancel(): "m:pc",
        quiz.NextQuestion(None): "qz:all",
        quiz.NextQuestion("law"): "qz:law",
    }
    for data, raw in expected.items():
        assert callbacks.encode(data) == raw and callbacks.parse(raw) == data
    for forged in ("m:go", "m:go:1:2", "m:ed:4:x", "m:pd:1", "qz:chess", "qz:"):
        assert callbacks.parse(forged) is None
    with pytest.raises(ValueError):
        callbacks.encode(moderation.Edit(4, "colour"))
