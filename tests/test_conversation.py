"""Conversations as people hold them (issue 14): follow-ups, bare question words, greetings,
thanks and goodbyes, driven through the strict in-process fake."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.answers import texts
from bot.answers.more import next_quotes
from bot.answers.shared import Answers
from bot.answers.talk import Kind, classify
from bot.app import get_services_from_app
from bot.moderation import reports
from bot.telegram.shared import kept
from index.answer import Answer, ArticleInfo, Quote, Source
from index.quoting import holds_wording
from tests.fakebotapi import FakeTelegram, button_data, texts_of
from tests.telegram_support import SOURCE_A, SOURCE_B, SOURCE_C, FakeEngine, Harness, play


def private(fake: FakeTelegram, user_id: int = 1001) -> tuple[dict[str, Any], dict[str, Any]]:
    user = fake.user(user_id, language_code="kk")
    return fake.private_chat(user), user


async def say(h: Harness, chat: dict[str, Any], user: dict[str, Any], text: str) -> str:
    h.fake.user_sends(chat, user, text)
    await h.process()
    return texts_of(h.fake.sent(chat["id"]))[-1]


async def recorded(h: Harness) -> int:
    store = kept(h.app.bot_data, Answers).store
    return (await get_services_from_app(h.app).db(store.totals))["answers"]


@pytest.mark.parametrize(
    ("text", "kind", "lang"),
    [
        ("тағы?", Kind.MORE, "kk"),
        ("Тағы бар ма?", Kind.MORE, "kk"),
        ("ещё", Kind.MORE, "ru"),
        ("more", Kind.MORE, None),
        ("толығырақ", Kind.MORE, "kk"),
        ("неге?", Kind.BARE, "kk"),
        ("Қалай?", Kind.BARE, "kk"),
        ("Почему?", Kind.BARE, "ru"),
        ("Сәлем!", Kind.GREETING, "kk"),
        ("Привет", Kind.GREETING, "ru"),
        ("Рахмет!", Kind.THANKS, "kk"),
        ("Көп рақмет", Kind.THANKS, "kk"),
        ("спасибо большое", Kind.THANKS, "ru"),
        ("Сау болыңыз", Kind.GOODBYE, "kk"),
        ("До свидания!", Kind.GOODBYE, "ru"),
        ("Ассамблея қашан құрылды?", Kind.QUESTION, None),
        ("Тағы төрт ұлттық театр қандай?", Kind.QUESTION, None),
    ],
)
def test_what_a_message_is(text: str, kind: Kind, lang: str | None) -> None:
    assert classify(text) == classify(text.upper())  # case does not matter
    talk = classify(text)
    assert (talk.kind, talk.lang) == (kind, lang)


@pytest.mark.parametrize("more", ["тағы?", "тағы бар ма", "ещё", "more", "толығырақ"])
def test_follow_ups_give_the_next_quotes_other_articles_first(tmp_path: Path, more: str) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        await say(h, chat, user, "Ассамблея қашан құрылды?")
        asked = len(h.engine.questions)
        reply = await say(h, chat, user, more)
        assert h.engine.questions[asked:] == ["Ассамблея қашан құрылды?"]  # not «тағы» itself
        assert reply.startswith("➕ Тағы да: Ассамблея қашан құрылды?")
        assert "этносаралық келісімнің тірегі" in reply  # the one quote not shown yet
        assert "1995 жылғы" not in reply
        assert await say(h, chat, user, more) == texts.NO_MORE["kk"]
        assert await recorded(h) == 1  # follow-ups are not questions

    play(tmp_path, scenario)


def test_a_follow_up_leads_with_another_article_only_when_it_answers_as_well() -> None:
    a, b = (Source(x, x, None) for x in "ab")
    shown = Quote("Ассамблея 1995 жылы құрылды.", (a,), 4.0, 1)
    same = Quote("Ассамблея 1 наурызда құрылды.", (a,), 3.6, 2)
    weak = Quote("Мектептер ашылды.", (b,), 2.5, 3)
    assert next_quotes(Answer("q", (shown,), others=(same, weak)), [shown.text]) == (same, weak)
    close = replace(weak, score=3.4)
    assert next_quotes(Answer("q", (shown,), others=(same, close)), [shown.text]) == (close, same)


def test_a_follow_up_with_nothing_before_asks_for_a_question(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        assert await say(h, chat, user, "тағы?") == texts.NOTHING_BEFORE["kk"]
        await say(h, chat, user, "белгісіз сұрақ")  # declined: nothing to continue
        assert await say(h, chat, user, "тағы?") == texts.NOTHING_BEFORE["kk"]
        assert h.engine.questions == ["белгісіз сұрақ"]

    play(tmp_path, scenario)


@pytest.mark.parametrize(("word", "lang"), [("неге?", "kk"), ("қалай?", "kk"), ("Почему?", "ru")])
def test_one_word_questions_ask_for_the_whole_question(
    tmp_path: Path, word: str, lang: str
) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        assert await say(h, chat, user, word) == texts.WHOLE_QUESTION[lang]
        assert h.engine.questions == [] and await recorded(h) == 0

    play(tmp_path, scenario)


def test_stats_do_not_count_greetings_and_thanks(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        for said in ("Сәлем!", "Ассамблея қашан құрылды?", "Рахмет!", "спасибо большое", "Пока"):
            await say(h, chat, user, said)
        stats = reports.usage(h.settings.db_path, 1)
        assert (stats.questions, stats.answered) == (1, 1)

    play(tmp_path, scenario)


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("Сәлем!", texts.GREETING_REPLY["kk"]),
        ("Привет", texts.GREETING_REPLY["ru"]),
        ("Рахмет!", texts.THANKS_REPLY["kk"]),
        ("спасибо большое", texts.THANKS_REPLY["ru"]),
        ("Сау болыңыз", texts.GOODBYE_REPLY["kk"]),
        ("До свидания", texts.GOODBYE_REPLY["ru"]),
    ],
)
def test_greetings_thanks_goodbyes_get_a_reply_in_kind(
    tmp_path: Path, said: str, reply: str
) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        await say(h, chat, user, "Ассамблея қашан құрылды?")
        sent = h.fake.sent(chat["id"])[-1]
        assert await say(h, chat, user, said) == reply
        assert h.fake.sent(chat["id"])[-1].get("reply_markup") is None  # no 👍/👎 under it
        assert await recorded(h) == 1  # neither counted nor listed as unanswered
        store = kept(h.app.bot_data, Answers).store
        assert await get_services_from_app(h.app).db(store.declined, 10) == []
        help_text = await say(h, chat, user, "/help")
        assert help_text.startswith("Мен не істей аламын")  # the language did not switch
        assert sent["text"]

    play(tmp_path, scenario)


def test_a_list_is_quoted_with_its_items_in_the_reply_and_in_the_passage(
    tmp_path: Path, engine: Any
) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        reply = await say(h, chat, user, "Ассамблеяның қызметінің негізгі қағидаттары қандай?")
        assert "мыналар жатады:\nа) адамның" in reply and "д) жариялылық." in reply
        assert "[" not in reply
        message = h.fake.sent(chat["id"])[-1]
        h.fake.user_presses(message, button_data(message, "p:")[0], user)
        await h.process()
        passage = texts_of(h.fake.sent(chat["id"]))[-1]
        assert passage.startswith("📄") and "д) жариялылық." in passage
        tasks = await say(h, chat, user, "Какие задачи у Ассамблеи?")
        assert "тұр:" not in tasks  # the introduction whose items the article lost
        example = await say(h, chat, user, "Ассамблеяның негізгі міндеті қандай?")
        assert "Ассамблеяның негізгі міндеті –" in example and "тұр:" not in example

    play(tmp_path, scenario, engine)


class _SeedSources(FakeEngine):
    """Articles as the seed files describe their source, and further quotes from the article
    already quoted as well as from another one."""

    def articles(self) -> list[ArticleInfo]:
        source = "Бастапқы мақалалар жинағы, 002_c2d10f7e9086d3ff.txt"
        return [ArticleInfo("a001", SOURCE_A.title, 2015, source, 1, 20)]

    def answer(self, question: str) -> Answer:
        answer = super().answer(question)
        same = Quote("Ассамблея 2015 жылы жиырма жасқа толды.", (SOURCE_B,), 0.6, 2)
        return replace(answer, others=(same, *answer.others))


def test_sources_show_title_year_and_source_never_a_file_name(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        reply = await say(h, chat, user, "/sources")
        assert f"1. {SOURCE_A.title} (2015) — Бастапқы мақалалар жинағы" in reply
        assert ".txt" not in reply and "002_" not in reply

    play(tmp_path, scenario, _SeedSources())


def test_other_sources_are_only_other_articles(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        await say(h, chat, user, "Ассамблея қашан құрылды?")
        message = h.fake.sent(chat["id"])[-1]
        h.fake.user_presses(message, button_data(message, "o:")[0], user)
        await h.process()
        others = texts_of(h.fake.sent(chat["id"]))[-1]
        assert others.startswith("📚 Басқа дереккөздер")
        assert SOURCE_C.title in others and "жиырма жасқа" not in others
        assert SOURCE_B.title not in others  # already quoted in the answer

    play(tmp_path, scenario, _SeedSources())


def test_a_merged_twin_quote_credits_only_articles_with_the_same_wording(engine: Any) -> None:
    answer = engine.answer("Ассамблея туралы заң қашан қабылданды?")
    for quote in (*answer.quotes, *answer.others):
        texts = {a.id: a.text for a in engine.store.articles()}
        assert all(holds_wording(texts[s.article], quote.text) for s in quote.sources)
    law = [q for q in (*answer.quotes, *answer.others) if "20 қазанда" in q.text]
    assert law and all(len(q.sources) == 1 for q in law)


def test_a_photo_whose_caption_is_a_question_is_answered(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        h.fake.user_sends(chat, user, photo=photo, caption="Ассамблея қашан құрылды?")
        await h.process()
        assert "1995 жылғы 1 наурызда" in texts_of(h.fake.sent(chat["id"]))[-1]
        assert h.engine.questions == ["Ассамблея қашан құрылды?"]

    play(tmp_path, scenario)


def test_start_in_a_group_says_how_to_ask_there(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        group, user = h.fake.group_chat(), h.fake.user(1001)
        h.fake.user_sends(group, user, "/start@kha_test_bot")
        await h.process()
        start = texts_of(h.fake.sent(group["id"]))[-1]
        assert "@kha_test_bot" in start and "/ask сұрақ" in start
        assert "жаза беріңіз" not in start

    play(tmp_path, scenario)


def test_a_vote_for_an_answer_the_user_never_received_is_not_stored(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        await say(h, chat, user, "Ассамблея қашан құрылды?")
        other_chat, other = private(h.fake, 1002)
        await say(h, other_chat, other, "Ассамблея қашан құрылды?")
        mine = h.fake.sent(chat["id"])[-1]
        theirs = button_data(h.fake.sent(other_chat["id"])[-1], "v:")[0]
        h.fake.user_presses(mine, theirs, user)  # data naming an answer not under this message
        await h.process()
        assert (
            h.fake.calls_of("answerCallbackQuery")[-1].params["text"] == (texts.STALE_BUTTON["kk"])
        )
        store = kept(h.app.bot_data, Answers).store
        totals = await get_services_from_app(h.app).db(store.totals)
        assert totals["up"] == totals["down"] == 0

    play(tmp_path, scenario)


def test_suggestions_are_example_questions_from_the_articles_as_buttons(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        await say(h, chat, user, "Ауа райы белгісіз бе?")
        declined = h.fake.sent(chat["id"])[-1]
        assert "батырманы басып көріңіз" in declined["text"] and "•" not in declined["text"]
        h.fake.user_presses(declined, button_data(declined, "s:")[1], user)
        await h.process()
        reply = texts_of(h.fake.sent(chat["id"]))[-1]
        assert reply.startswith("❓ Ассамблеяның міндеттері")
        assert h.engine.questions[-1] == "Ассамблеяның міндеттері"

    play(tmp_path, scenario)


def test_example_questions_are_made_from_the_articles_not_their_titles(engine: Any) -> None:
    examples = engine.examples()
    assert 3 <= len(examples) <= 5 and len(set(examples)) == len(examples)
    titles = {a.title for a in engine.articles()}
    assert not titles & set(examples) and all(q.endswith("?") for q in examples)
    for question in examples:  # every example is answered
        assert engine.answer(question).answered, question
    declined = engine.answer("Шахматта ферзь қалай жүреді?")
    assert declined.suggestions == examples
