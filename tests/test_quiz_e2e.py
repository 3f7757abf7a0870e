"""End to end: a 5-question class round in a group with three pupils, over real HTTP against the
fake Bot API server, through to the leaderboard."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path
from typing import Any

from bot.config import QuizSettings
from bot.quiz import texts
from tests.fakebotapi import FakeBotApiServer
from tests.quiz_support import store_articles
from tests.telegram_support import Harness, polling_bot

# Telegram's shortest timer; the round moves on early once all players answered.
QUIZ = QuizSettings(open_period=5, pause_seconds=0.2, min_round=2, max_round=10)


def test_a_class_round_with_three_pupils_ends_with_the_leaderboard(tmp_path: Path) -> None:
    store_articles(tmp_path / "var" / "bot.db")

    async def scenario(h: Harness) -> None:
        fake = h.fake
        teacher = fake.user(500, "Мұғалім")
        pupils = [fake.user(501, "Аида"), fake.user(502, "Бекзат"), fake.user(503, "Дана")]
        group = fake.group_chat()
        fake.set_admins(group, teacher)

        fake.user_sends(group, pupils[0], "/quiz 5")  # not an admin
        await fake.await_for("sendMessage")
        fake.user_sends(group, teacher, "/quiz 5")
        started = time.monotonic()
        first_poll: dict[str, Any] = {}
        for number in range(1, 6):
            call = (await fake.await_for("sendPoll", count=number, timeout=10))[-1]
            assert call.ok, call.error
            poll = call.result["poll"]
            assert poll["question"].startswith(f"{number}/5. ")
            assert poll["type"] == "quiz" and not poll["is_anonymous"]
            right = call.params["correct_option_ids"][0]
            n = len(poll["options"])  # 4, or 2 for a statement to judge
            fake.user_votes(poll["id"], pupils[0], [right])  # Аида: always right
            bekzat = right if number % 2 else (right + 1) % n  # Бекзат: 1st, 3rd, 5th
            fake.user_votes(poll["id"], pupils[1], [bekzat])
            fake.user_votes(poll["id"], pupils[2], [(right + n - 1) % n])  # Дана: never
            if number == 1:
                first_poll = call.result
            if number == 2:  # the first poll closed by its timer: a late answer
                assert fake.poll_closed(first_poll["poll"]["id"])
                late = first_poll["poll"]["correct_option_ids"][0]
                fake.push_update(  # as Telegram may deliver a vote that crossed the close
                    {
                        "poll_answer": {
                            "poll_id": first_poll["poll"]["id"],
                            "user": pupils[2],
                            "option_ids": [late],
                            "option_persistent_ids": [str(late)],
                        }
                    }
                )
                fake.user_sends(group, teacher, "/quiz 3")  # a second round: refused
        board = (
            await fake.await_for(
                "sendMessage", lambda c: c.ok and "Раунд аяқталды" in c.result["text"], timeout=10
            )
        )[0].result["text"]
        elapsed = time.monotonic() - started
        assert board.splitlines() == [
            "🏁 Раунд аяқталды!",
            "🥇 Аида — 5/5",
            "🥈 Бекзат — 3/5",
            "3. Дана — 0/5",  # no medal for no right answer
            texts.ROUND_FOOTER["kk"],
        ]
        assert elapsed < 5 + 4 * 5  # questions 2-5 moved on before their timers
        sent = [m["text"] for m in fake.sent(group["id"]) if "text" in m]
        assert sent[0] == texts.ADMINS_ONLY["kk"]
        assert texts.ROUND_RUNNING["kk"] in sent

        fake.user_sends(group, pupils[1], "/top")
        top = (await fake.await_for("sendMessage", lambda c: c.ok and "үздік" in c.result["text"]))[
            0
        ]
        assert top.result["text"].splitlines()[1:] == [
            "1. Аида — дұрыс жауап: 5, барлығы: 5",
            "2. Бекзат — дұрыс жауап: 3, барлығы: 5",
            "3. Дана — дұрыс жауап: 0, барлығы: 5",
        ]
        failed = [c for c in fake.calls if not c.ok and c.method not in ("getUpdates", "stopPoll")]
        # the late voter is told privately when they have started the bot; Дана has not
        assert [(c.params["chat_id"], c.params["text"]) for c in failed] == [
            (str(pupils[2]["id"]), texts.LATE_ANSWER["kk"])
        ]
        assert {"getChatMember", "sendPoll", "stopPoll"} <= {c.method for c in fake.calls}

    async def main() -> None:
        async with polling_bot(tmp_path, quiz=QUIZ) as harness:
            await scenario(harness)

    asyncio.run(asyncio.wait_for(main(), 60))


def test_a_round_cut_by_a_restart_goes_on_where_it_stopped(tmp_path: Path) -> None:
    store_articles(tmp_path / "var" / "bot.db")
    server = FakeBotApiServer().start()
    fake = server.fake
    teacher, pupil, group = fake.class_group((500, "Мұғалім"), (501, "Аида"))

    def answers() -> int:
        with contextlib.closing(sqlite3.connect(tmp_path / "var" / "bot.db")) as db:
            return int(db.execute("SELECT count(*) FROM quiz_answers").fetchone()[0])

    async def before_restart(h: Harness) -> None:
        fake.user_sends(group, teacher, "/quiz 3")
        call = (await fake.await_for("sendPoll", timeout=10))[-1]
        fake.user_votes(call.result["poll"]["id"], pupil, call.params["correct_option_ids"])
        while not answers():  # scored before the bot stops
            await asyncio.sleep(0.05)

    async def after_restart(h: Harness) -> None:
        resumed = await fake.await_for(
            "sendMessage", lambda c: c.ok and c.result["text"] == texts.ROUND_RESUMED["kk"]
        )
        assert resumed
        for number in (2, 3):
            call = (await fake.await_for("sendPoll", count=number, timeout=15))[-1]
            assert call.result["poll"]["question"].startswith(f"{number}/3. ")
            fake.user_votes(call.result["poll"]["id"], pupil, call.params["correct_option_ids"])
        board = await fake.await_for(
            "sendMessage", lambda c: c.ok and "Раунд аяқталды" in c.result["text"], timeout=15
        )
        assert "Аида — 3/3" in board[0].result["text"]  # the answer before the restart counts
        questions = [c.result["poll"]["question"][6:] for c in fake.calls_of("sendPoll")]
        assert len(set(questions)) == 3  # the round's own questions, none asked twice

    async def main() -> None:
        async with polling_bot(tmp_path, server=server, quiz=QUIZ) as harness:
            await before_restart(harness)
        async with polling_bot(tmp_path, server=server, quiz=QUIZ) as harness:
            await after_restart(harness)

    try:
        asyncio.run(asyncio.wait_for(main(), 60))
    finally:
        server.stop()
