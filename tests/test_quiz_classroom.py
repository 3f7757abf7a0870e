"""A teacher's tools in Telegram, in-process against the strict fake Bot API: the next round
previewed privately, a question dropped with one button, the round started from the preview,
and a finished round's results as a CSV file."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

from telegram.ext import CallbackContext

from bot.config import QuizSettings
from bot.quiz import texts
from bot.quiz.rounds import resume_rounds
from bot.quiz.state import get_quiz
from bot.quiz.teacher import read_disabled
from bot.telegram.texts import STALE_BUTTON
from tests import telegram_support
from tests.fakebotapi import button_data
from tests.quiz_support import store_articles
from tests.telegram_support import Harness

QUIZ = QuizSettings(open_period=5, pause_seconds=0)


def play(tmp_path: Path, scenario: Any) -> None:
    store_articles(tmp_path / "var" / "bot.db")
    telegram_support.play(tmp_path, scenario, quiz=QUIZ)


def sent_to(h: Harness, chat_id: int) -> list[dict[str, Any]]:
    sent = [c.result for c in h.fake.calls_of("sendMessage") if c.ok]
    return [m for m in sent if m["chat"]["id"] == chat_id]


def test_a_teacher_previews_drops_a_question_and_starts_the_round(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        teacher, pupil, group = fake.class_group()
        fake.user_sends(group, pupil, "/preview 3")
        fake.user_sends(group, teacher, "/preview 3 заң")  # no private chat with the bot yet
        await h.process()
        assert [m["text"] for m in sent_to(h, group["id"])] == [
            texts.ADMINS_ONLY["kk"],
            texts.PLAN_NO_PRIVATE["kk"],
        ]
        fake.private_chat(teacher)
        fake.user_sends(group, teacher, "/preview 3 заң")
        await h.process()
        assert sent_to(h, group["id"])[-1]["text"] == texts.PLAN_SENT["kk"]
        header, *shown, footer = sent_to(h, teacher["id"])
        assert "Келесі раунд" in header["text"] and "Заңдар мен Парламент" in header["text"]
        assert len(shown) == 3 and footer["text"] == texts.PLAN_FOOTER["kk"]
        plan = get_quiz(h.app).plans[teacher["id"]]
        for n, (message, question) in enumerate(zip(shown, plan.questions, strict=True)):
            assert question.topic == "law"
            assert message["text"].startswith(f"{n + 1}. {question.question}")
            right = f"{texts.PLAN_RIGHT} {question.options[question.correct]}"
            assert right in message["text"].splitlines()  # the teacher sees the right option
            assert button_data(message) == [f"qzd:{plan.id}:{n}"]
        assert not fake.calls_of("sendPoll")  # nothing asked in the class yet

        dropped = plan.questions[0]
        fake.user_presses(shown[0], f"qzd:{plan.id}:0", pupil)  # not the teacher's preview
        fake.user_presses(shown[0], f"qzd:{plan.id}:0", teacher)
        fake.user_presses(shown[0], f"qzd:{plan.id}:0", teacher)  # twice: once only
        await h.process()
        ids, problems = read_disabled(h.settings.quiz_dir)
        assert ids == {dropped.id} and not problems  # as `quiz disable` records it
        assert h.settings.quiz_dir.joinpath("disabled.txt").read_text().count(dropped.id) == 1
        assert get_quiz(h.app).bank().get(dropped.id) is None
        (edit,) = [c for c in fake.calls_of("editMessageText") if c.ok]
        assert texts.DROPPED["kk"] in edit.result["text"]
        answered = [c.params.get("text") for c in fake.calls_of("answerCallbackQuery")]
        assert answered == [STALE_BUTTON["kk"], None, STALE_BUTTON["kk"]]

        fake.user_presses(footer, f"qzs:{plan.id}", teacher)
        await h.process()
        polls = [c.result for c in fake.calls_of("sendPoll") if c.ok]
        assert [p["chat"]["id"] for p in polls] == [group["id"]]
        assert polls[0]["poll"]["question"] == f"1/2. {plan.questions[1].question}"
        assert "Сұрақ саны: 2" in sent_to(h, group["id"])[-1]["text"]
        assert get_quiz(h.app).rounds[group["id"]].questions == plan.questions[1:]
        assert teacher["id"] not in get_quiz(h.app).plans
        fake.user_presses(footer, f"qzs:{plan.id}", teacher)  # the preview is used up
        await h.process()
        assert len([c for c in fake.calls_of("sendPoll") if c.ok]) == 1

    play(tmp_path, scenario)


def test_after_a_round_the_teacher_gets_the_results_as_a_csv_file(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        teacher, aida, group = fake.class_group((500, "Мұғалім"), (501, "Аида"))
        store = get_quiz(h.app).store
        questions = list(get_quiz(h.app).bank().questions[:2])
        round_id = store.start_round(group["id"], questions, None, 500, lang="kk")
        for n, q in enumerate(questions):
            closes = time.time() - 3600
            store.record_poll(f"p{n}", group["id"], q.id, q.correct, closes, round_id, n + 1)
            store.record_answer(f"p{n}", 501, "Аида", [q.correct], now=time.time() - 3700)
        wrong = (questions[0].correct + 1) % len(questions[0].options)
        store.record_answer("p0", 502, "=Бек", [wrong], now=time.time() - 3700)
        with store.db.conn:  # the polls were sent 42 seconds before the answers
            store.db.execute("UPDATE quiz_polls SET sent_at = ?", [time.time() - 42])
        await resume_rounds(CallbackContext(h.app))  # the round ends with its leaderboard
        board = sent_to(h, group["id"])[-1]
        assert board["text"].splitlines()[1:3] == ["🥇 Аида — 2/2", "2. =Бек — 0/2"]
        assert button_data(board) == [f"qzr:{round_id}"]

        fake.user_presses(board, f"qzr:{round_id}", aida)  # a pupil
        fake.user_presses(board, f"qzr:{round_id}", teacher)  # no private chat yet
        await h.process()
        answers = [c.params.get("text") for c in fake.calls_of("answerCallbackQuery")]
        assert answers == [texts.RESULTS_ADMINS_ONLY["kk"], texts.RESULTS_NO_PRIVATE["kk"]]
        fake.private_chat(teacher)
        fake.user_presses(board, f"qzr:{round_id}", teacher)
        await h.process()
        (call,) = [c for c in fake.calls_of("sendDocument") if c.ok]
        assert call.result["chat"]["id"] == teacher["id"]
        document = call.result["document"]
        assert document["file_name"] == f"quiz-round-{round_id}.csv"
        assert call.result["caption"] == texts.RESULTS_CAPTION["kk"].format(players=2, questions=2)
        content = fake.files[document["file_id"]][0]
        assert content.startswith("\ufeff".encode())  # a spreadsheet reads it as UTF-8
        header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert header == list(texts.CSV_HEADER["kk"])
        assert [r[:3] for r in rows] == [
            ["Аида", "2/2", "1"],
            ["Аида", "2/2", "2"],
            ["'=Бек", "0/2", "1"],  # never run as a formula
            ["'=Бек", "0/2", "2"],
        ]
        first, second = questions
        assert rows[0][3:7] == [
            first.question,
            first.options[first.correct],
            first.options[first.correct],
            "иә",
        ]
        assert rows[2][4:7] == [first.options[wrong], first.options[first.correct], "жоқ"]
        assert rows[3][4:] == ["", second.options[second.correct]]  # not answered
        assert rows[0][7].startswith(time.strftime("%Y-%m-%d", time.gmtime()))
        assert 41 <= int(rows[0][8]) <= 44  # seconds from the poll being sent

        fake.user_presses(board, "qzr:999", teacher)  # no such round in this chat
        await h.process()
        assert fake.calls_of("answerCallbackQuery")[-1].params["text"] == STALE_BUTTON["kk"]

    play(tmp_path, scenario)
