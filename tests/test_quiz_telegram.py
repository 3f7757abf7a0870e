"""Quizzes in Telegram, in-process against the strict fake Bot API: polls, scores, bad input."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram.ext import CallbackContext

from bot.config import QuizSettings
from bot.quiz import texts
from bot.quiz.rounds import resume_rounds
from bot.quiz.selection import clash
from bot.quiz.state import Round, get_quiz
from bot.quiz.store import Outcome, QuizStore
from bot.quiz.telegram import parse_args
from bot.quiz.topics import TOPIC_WORDS, TOPICS
from tests import telegram_support
from tests.fakebotapi import button_data
from tests.quiz_support import store_articles
from tests.telegram_support import Harness

QUIZ = QuizSettings(open_period=5, pause_seconds=0)


def play(tmp_path: Path, scenario: Any, quiz: QuizSettings = QUIZ) -> None:
    store_articles(tmp_path / "var" / "bot.db")
    telegram_support.play(tmp_path, scenario, quiz=quiz)


def polls(h: Harness) -> list[dict[str, Any]]:
    return [c.result for c in h.fake.calls_of("sendPoll") if c.ok]


def replies(h: Harness) -> list[str]:
    return [c.result["text"] for c in h.fake.calls_of("sendMessage") if c.ok]


def bank_question(h: Harness, poll: dict[str, Any]) -> Any:
    bank = get_quiz(h.app).bank()
    text = poll["poll"]["question"]
    return next(q for q in bank.questions if text.endswith(q.question))


def test_quiz_sends_a_quiz_poll_and_offers_the_next_one(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        user = fake.user(2001)
        chat = fake.private_chat(user)
        fake.user_sends(chat, user, "/quiz")
        await h.process()
        (call,) = fake.calls_of("sendPoll")
        assert call.ok, call.error
        params, poll = call.params, call.result["poll"]
        assert poll["type"] == "quiz" and poll["is_anonymous"] is False
        question = bank_question(h, call.result)
        assert params["correct_option_ids"] == [question.correct]
        assert [o["text"] for o in poll["options"]] == list(question.options)
        assert poll["explanation"] == question.explanation and len(question.explanation) <= 200
        assert button_data(call.result) == ["qz:all"]

        fake.user_presses(call.result, "qz:all", user)
        await h.process()
        first, second = polls(h)
        assert first["poll"]["question"] != second["poll"]["question"]
        assert all(c.ok for c in fake.calls if c.method != "getUpdates")

    play(tmp_path, scenario)


def test_answers_are_scored_per_user_and_chat(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        teacher, aida, ben = fake.user(1, "Мұғалім"), fake.user(2, "Аида"), fake.user(3, "Бекзат")
        group = fake.group_chat()
        fake.user_sends(group, aida, "/quiz")
        await h.process()
        for _ in range(2):
            poll = polls(h)[-1]
            right = bank_question(h, poll).correct
            fake.user_votes(poll["poll"]["id"], aida, [right])
            fake.user_votes(poll["poll"]["id"], ben, [(right + 1) % len(poll["poll"]["options"])])
            fake.user_presses(poll, "qz:all", teacher)
            await h.process()
        fake.user_sends(group, ben, "/top")
        fake.user_sends(group, ben, "/myscore")
        fake.user_sends(group, teacher, "/myscore")
        await h.process()
        top, ben_score, teacher_score = replies(h)[-3:]
        assert top.splitlines()[1:] == [
            "1. Аида — дұрыс жауап: 2, барлығы: 2",
            "2. Бекзат — дұрыс жауап: 0, барлығы: 2",
        ]
        assert "дұрыс жауап — 0, барлығы — 2" in ben_score and "орныңыз: 2" in ben_score
        assert teacher_score == texts.MY_SCORE_NONE["kk"]
        with_private = fake.private_chat(aida)
        fake.user_sends(with_private, aida, "/top")
        await h.process()
        assert replies(h)[-1] == texts.TOP_EMPTY["kk"]  # scores are per chat

    play(tmp_path, scenario)


def test_a_topic_can_be_chosen_and_nothing_repeats_or_gives_the_last_one_away(
    tmp_path: Path,
) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        user = fake.user(2002)
        chat = fake.private_chat(user)
        size = len(get_quiz(h.app).bank().by_topic("law"))
        assert size >= 5
        for _ in range(size + 1):
            fake.user_sends(chat, user, "/quiz заң")
            await h.process()
        asked = [bank_question(h, p) for p in polls(h)]
        assert {q.topic for q in asked} == {"law"}
        first_repeat = next(i for i, q in enumerate(asked) if q in asked[:i])
        # a question left over that would follow its own twin waits for the next turn
        assert first_repeat >= size - 2
        assert replies(h) == [texts.BANK_RESTART["kk"]]
        for before, after in itertools.pairwise(asked):  # never the one just answered
            assert not clash(before, after), (before.question, after.question)

    play(tmp_path, scenario)


def test_bad_input_gets_clear_replies_and_never_two_rounds(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        teacher, pupil, group = fake.class_group()
        fake.user_sends(group, pupil, "/quiz 5")
        fake.user_sends(group, teacher, "/quiz 100")
        fake.user_sends(group, teacher, "/quiz 1")
        fake.user_sends(group, teacher, "/quiz бірдеңе")
        await h.process()
        assert replies(h) == [
            texts.ADMINS_ONLY["kk"],
            texts.ROUND_SIZE["kk"].format(low=2, high=20),
            texts.ROUND_SIZE["kk"].format(low=2, high=20),
            texts.USAGE["kk"].replace("<b>", "").replace("</b>", ""),
        ]
        assert not polls(h)

        fake.user_sends(group, teacher, "/quiz 3 заң")
        await h.process()
        assert "Викторина басталды" in replies(h)[-1] and "Заңдар мен Парламент" in replies(h)[-1]
        (first,) = polls(h)
        assert first["poll"]["question"].startswith("1/3. ")
        assert first["poll"]["open_period"] == 5
        fake.user_sends(group, teacher, "/quiz 3")
        fake.user_sends(group, pupil, "/quiz")
        fake.user_presses(first, "qz:all", pupil)
        await h.process()
        assert replies(h)[-2:] == [texts.ROUND_RUNNING["kk"]] * 2
        assert fake.calls_of("answerCallbackQuery")[-1].params["text"] == texts.ROUND_RUNNING["kk"]
        assert len(polls(h)) == 1  # still the one round's first question

    play(tmp_path, scenario)


def test_an_answer_after_the_timer_does_not_count(tmp_path: Path) -> None:
    store = QuizStore(tmp_path / "bot.db")
    store.record_poll("p1", -100, "g-0123456789", 2, closes_at=1000.0)
    assert store.record_answer("p1", 7, "Аида", [2], now=1001.0).outcome is Outcome.LATE
    assert store.record_answer("p1", 7, "Аида", [2], now=999.0).outcome is Outcome.COUNTED
    assert store.record_answer("p1", 7, "Аида", [2], now=999.5).outcome is Outcome.REPEATED
    assert store.record_answer("nope", 7, "Аида", [2]).outcome is Outcome.UNKNOWN
    assert [s.correct for s in store.leaderboard(-100)] == [1]
    store.close()


def test_a_round_stopped_long_ago_is_ended_with_its_results_not_resumed(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        group = h.fake.group_chat()
        store = get_quiz(h.app).store
        questions = list(get_quiz(h.app).bank().questions[:3])
        round_id = store.start_round(group["id"], questions, None, 500, lang="kk")
        store.record_poll("p1", group["id"], questions[0].id, questions[0].correct,
                          time.time() - 3600, round_id, 42)  # fmt: skip
        store.record_answer("p1", 501, "Аида", [questions[0].correct], now=time.time() - 3700)
        (saved,) = store.unfinished_rounds()
        assert (saved.questions, saved.polls, saved.players, saved.answered) == (
            questions,
            [("p1", 42, saved.polls[0][2])],
            {501},
            {501},
        )
        await resume_rounds(CallbackContext(h.app))
        # scored out of the questions asked before the restart
        assert replies(h)[-1].splitlines()[:2] == ["🏁 Раунд аяқталды!", "🥇 Аида — 1/1"]
        assert texts.ROUND_RESUMED["kk"] not in replies(h) and not polls(h)
        assert store.unfinished_rounds() == [] and not get_quiz(h.app).rounds

    play(tmp_path, scenario)


def test_rounds_never_asked_or_already_replaced_are_not_resumed(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        quiz = get_quiz(h.app)
        questions = list(quiz.bank().questions[:2])
        never_asked = quiz.store.start_round(-1001, questions, None, 500)  # crashed before Q1
        long_ago = datetime.fromtimestamp(time.time() - 3600, UTC).isoformat()
        with quiz.store.db.conn:
            quiz.store.db.execute(
                "UPDATE quiz_rounds SET started_at = ? WHERE id = ?", [long_ago, never_asked]
            )
        quiz.store.start_round(-1002, questions, None, 500)  # its chat has a round again
        quiz.rounds[-1002] = Round(99, -1002, None, questions, "kk")  # started since the restart
        await resume_rounds(CallbackContext(h.app))
        assert not polls(h) and not replies(h)  # nothing said in either chat
        assert quiz.store.unfinished_rounds() == []
        assert set(quiz.rounds) == {-1002} and quiz.rounds[-1002].id == 99

    play(tmp_path, scenario)


def test_a_round_that_cannot_send_its_poll_is_ended_for_good(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        teacher = h.fake.user(10, "Мұғалім")
        group = h.fake.group_chat()
        h.fake.set_admins(group, teacher)
        h.fake.fail_next("sendPoll", code=400, description="Bad Request: polls are forbidden")
        h.fake.user_sends(group, teacher, "/quiz 3")
        await h.process()
        assert not polls(h) and not get_quiz(h.app).rounds  # the chat is free
        assert get_quiz(h.app).store.unfinished_rounds() == []  # no restart will resume it

    play(tmp_path, scenario)


def test_round_arguments() -> None:
    assert parse_args([]) == (None, None)
    assert parse_args(["5"]) == (5, None)
    assert parse_args(["10", "tarih"]) == (10, "history")
    assert parse_args(["заңдар", "7"]) == (7, "law")
    assert parse_args(["история"]) == (None, "history")
    assert parse_args(["5", "6"]) is None
    assert parse_args(["x"]) is None
    assert set(TOPIC_WORDS) == set(TOPICS)
