"""The Telegram handlers, driven in-process through the strict fake (no sockets).

Every reply goes through `FakeTelegram`, which refuses bad HTML, over-long text and bad
callback data as Telegram does: a test that gets a reply has also checked its format.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.answers import keyboards, texts
from bot.answers.shared import Answers
from bot.app import get_services_from_app
from bot.telegram.shared import kept
from tests.fakebotapi import FakeTelegram, button_data, parse_html, texts_of
from tests.telegram_support import FakeEngine, Harness, inprocess_bot, play


def private(
    fake: FakeTelegram, user_id: int = 1001, language_code: str = "kk"
) -> tuple[dict[str, Any], dict[str, Any]]:
    user = fake.user(user_id, language_code=language_code)
    return fake.private_chat(user), user


def last_text(fake: FakeTelegram, chat: dict[str, Any]) -> str:
    return texts_of(fake.sent(chat["id"]))[-1]


def toast(fake: FakeTelegram) -> str:
    return str(fake.calls_of("answerCallbackQuery")[-1].params.get("text") or "")


# --- commands -----------------------------------------------------------------------------


def test_start_greets_in_kazakh_with_example_buttons(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake, language_code="ru")
        h.fake.user_sends(chat, user, "/start")
        await h.process()
        (reply,) = h.fake.sent(chat["id"])
        assert reply["text"].startswith("Сәлеметсіз бе!")
        assert "Қазақстан халқы Ассамблеясы" in reply["text"]
        assert "по-русски" in reply["text"]
        data = button_data(reply)
        assert len(data) == len(texts.EXAMPLES) == 4
        assert all(isinstance(keyboards.parse(d), keyboards.ExampleData) for d in data)

    play(tmp_path, scenario)


def test_commands_are_registered_per_language(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        menus = {
            lang: [c["description"] for c in commands]
            for (_, lang), commands in h.fake.commands.items()
        }
        assert set(menus) == {"", "kk", "ru"}
        assert menus[""] == menus["kk"]
        assert "Анықтама" in menus["kk"] and "Справка" in menus["ru"]
        names = [c["command"] for c in h.fake.commands[next(iter(h.fake.commands))]]
        assert names[:4] == ["start", "help", "sources", "ask"]
        assert {"quiz", "top", "myscore"} <= set(names)  # bot/quiz

    play(tmp_path, scenario)


def test_help_names_the_bot_and_the_buttons(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "/help")
        await h.process()
        text = last_text(h.fake, chat)
        assert "@kha_test_bot" in text and "/sources" in text and "👍" in text

    play(tmp_path, scenario)


def test_sources_lists_titles_and_years_escaped(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "/sources")
        await h.process()
        (reply,) = h.fake.sent(chat["id"])
        text = reply["text"]
        assert "(3):" in text
        assert "Бейбітшілік пен келісім <тәжірибесі> & болашағы (2019)" in text
        assert text.index("(2015)") < text.index("(2019)")  # oldest first
        links = [e for e in reply["entities"] if e["type"] == "text_link"]
        assert links and links[0]["url"] == "https://example.kz/a?x=1&y=2"

    play(tmp_path, scenario)


def test_sources_splits_a_long_list(tmp_path: Path) -> None:
    from index.answer import ArticleInfo

    class ManyArticles(FakeEngine):
        def articles(self) -> list[ArticleInfo]:
            return [
                ArticleInfo(f"a{i}", f"Мақала № {i} " + "ұзын атау " * 20, 2000 + i % 20, "", 1, 3)
                for i in range(120)
            ]

    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "/sources")
        await h.process()
        sent = h.fake.sent(chat["id"])
        assert len(sent) > 1
        assert sum(t.count("Мақала №") for t in texts_of(sent)) == 120

    play(tmp_path, scenario, ManyArticles())


def test_unknown_command(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "/weather")
        await h.process()
        assert last_text(h.fake, chat) == texts.UNKNOWN_COMMAND["kk"]

    play(tmp_path, scenario)


# --- questions ----------------------------------------------------------------------------


def test_question_gets_quotes_sources_and_buttons(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "Ассамблея қашан құрылды?")
        await h.process()
        methods = [c.method for c in h.fake.calls if c.method in ("sendChatAction", "sendMessage")]
        assert methods == ["sendChatAction", "sendMessage"]  # typing first, then the answer
        (reply,) = h.fake.sent(chat["id"])
        assert "1995 жылғы 1 наурызда" in reply["text"]
        assert "— Қазақстан халқы Ассамблеясының қоғамдағы рөлі (2015)" in reply["text"]
        kinds = [e["type"] for e in reply["entities"]]
        assert kinds.count("blockquote") == 2 and "italic" in kinds
        data = button_data(reply)
        assert data[:2] == ["p:1", "p:2"]
        assert any(d.startswith("o:") for d in data)
        assert {d[-1] for d in data if d.startswith("v:")} == {"+", "-"}
        assert h.engine.threads and all(t.startswith("kha-engine") for t in h.engine.threads)

    play(tmp_path, scenario)


def test_quoted_html_is_escaped(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "html белгілері")
        await h.process()
        assert '<script>alert("x")</script> & <b>белгілер</b>' in last_text(h.fake, chat)

    play(tmp_path, scenario)


def test_a_very_long_quote_is_trimmed_to_fit(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "ұзын жауап")
        await h.process()
        (reply,) = h.fake.sent(chat["id"])
        assert 3000 < len(reply["text"]) <= 4096
        assert "…" in reply["text"]

    play(tmp_path, scenario)


def test_declined_question_offers_topics(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "Ауа райы белгісіз бе?")
        await h.process()
        (reply,) = h.fake.sent(chat["id"])
        assert reply["text"].startswith("Кешіріңіз")
        labels = [b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
        assert "Ассамблеяның құрылуы" in labels and button_data(reply, "s:")
        assert not button_data(reply, "p:") and button_data(reply, "v:")

    play(tmp_path, scenario)


def test_russian_question_switches_the_bot_to_russian(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "Когда создана Ассамблея?")
        await h.process()
        reply = h.fake.sent(chat["id"])[-1]
        assert reply["text"].startswith("Ответ — цитата")
        assert "📄 Отрывок 1" in [b["text"] for b in reply["reply_markup"]["inline_keyboard"][0]]
        h.fake.user_sends(
            chat,
            user,
            sticker={
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
        await h.process()
        assert last_text(h.fake, chat) == texts.NOT_TEXT["ru"]

    play(tmp_path, scenario)


@pytest.mark.parametrize(
    "content",
    [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}},
        {"location": {"latitude": 51.1, "longitude": 71.4}},
    ],
)
def test_non_text_messages_get_a_polite_reply(tmp_path: Path, content: dict[str, Any]) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, **content)
        group = h.fake.group_chat()
        h.fake.user_sends(group, user, **content)
        await h.process()
        assert texts_of(h.fake.sent()) == [texts.NOT_TEXT["kk"]]  # groups: silence
        assert not h.engine.questions

    play(tmp_path, scenario)


@pytest.mark.parametrize("text", ["   ", "???", "😀👍", "12345"])
def test_questions_without_words(tmp_path: Path, text: str) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, text)
        await h.process()
        assert last_text(h.fake, chat) == texts.EMPTY_QUESTION["kk"]
        assert not h.engine.questions

    play(tmp_path, scenario)


def test_a_4000_character_message_is_refused_politely(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "Ассамблея " * 400)
        await h.process()
        assert last_text(h.fake, chat) == texts.TOO_LONG["kk"].format(limit=1000)
        assert not h.engine.questions

    play(tmp_path, scenario)


def test_edited_messages_are_ignored(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        message = h.fake.user_sends(chat, user, "Ассамблея қашан құрылды?")
        await h.process()
        h.fake.user_edits(message, "Ассамблея не істейді?")
        h.fake.user_edits(message, "/start")
        await h.process()
        assert len(h.fake.sent()) == 1
        assert h.engine.questions == ["Ассамблея қашан құрылды?"]

    play(tmp_path, scenario)


def test_flood_control_warns_once_then_stays_quiet(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        for n in range(8):
            h.fake.user_sends(chat, user, f"Ассамблея туралы {n}-сұрақ")
        await h.process()
        sent = texts_of(h.fake.sent(chat["id"]))
        assert len(h.engine.questions) == 3
        assert len(sent) == 4
        assert sent[-1].startswith("Сұрақтарыңыз тым жиі")
        other, someone = private(h.fake, 2002)
        h.fake.user_sends(other, someone, "Ассамблея қашан құрылды?")
        await h.process()
        assert len(h.engine.questions) == 4  # one user's flood does not hold back others

    play(tmp_path, scenario, flood_max_questions=3)


def test_thanks_and_greetings_do_not_use_up_the_flood_limit(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        for text in ["Сәлем!", "Ассамблея қашан құрылды?", "Рахмет!", "спасибо", "Сау болыңыз"]:
            h.fake.user_sends(chat, user, text)
        h.fake.user_sends(chat, user, "Мәжіліске неше депутат сайлайды?")
        h.fake.user_sends(chat, user, "Тағы бір сұрақ: этностар саны қанша?")
        await h.process()
        sent = texts_of(h.fake.sent(chat["id"]))
        assert len(h.engine.questions) == 3
        assert not any(t.startswith("Сұрақтарыңыз тым жиі") for t in sent)

    play(tmp_path, scenario, flood_max_questions=3)


def test_engine_error_is_logged_and_the_user_told_without_details(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "қате сұрақ")
        with caplog.at_level(logging.ERROR):
            await h.process()
        assert last_text(h.fake, chat) == texts.ERROR["kk"]

    play(tmp_path, scenario)
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.errors"]
    assert record.exc_info is not None and "engine failure" in str(record.exc_info[1])


def test_slow_engine_times_out_politely(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "баяу сұрақ")
        await h.process()
        assert last_text(h.fake, chat) == texts.TIMEOUT["kk"]

    play(tmp_path, scenario, FakeEngine(slow_seconds=0.5), answer_timeout_seconds=0.1)


# --- groups -------------------------------------------------------------------------------


def test_group_answers_only_when_addressed(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        group = fake.group_chat()
        user = fake.user(3003)
        fake.user_sends(group, user, "Ассамблея қашан құрылды?")
        fake.user_sends(group, user, "/start@other_bot")
        fake.user_sends(group, user, "/weather")
        await h.process()
        assert fake.sent() == [] and h.engine.questions == []

        fake.user_sends(group, user, "@kha_test_bot Ассамблея қашан құрылды?")
        await h.process()
        assert h.engine.questions == ["Ассамблея қашан құрылды?"]
        answer = fake.sent(group["id"])[-1]
        assert answer["reply_to_message"]["from"]["id"] == user["id"]  # quotes the asker

        fake.user_sends(group, user, "Ал депутаттар ше?", reply_to=answer)
        fake.user_sends(group, user, "/ask@kha_test_bot Ассамблеяның міндеті қандай?")
        fake.user_sends(group, user, "/ask")
        fake.user_sends(group, user, "/weather@kha_test_bot")
        await h.process()
        assert h.engine.questions[1:] == ["Ал депутаттар ше?", "Ассамблеяның міндеті қандай?"]
        assert texts_of(fake.sent(group["id"]))[-2:] == [
            texts.ASK_USAGE["kk"],
            texts.UNKNOWN_COMMAND["kk"],
        ]

    play(tmp_path, scenario)


# --- buttons ------------------------------------------------------------------------------


async def ask_once(h: Harness, chat: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    h.fake.user_sends(chat, user, "Ассамблея қашан құрылды?")
    await h.process()
    return h.fake.sent(chat["id"])[-1]


def test_passage_button_sends_the_whole_passage(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        answer = await ask_once(h, chat, user)
        h.fake.user_presses(answer, "p:1", user)
        await h.process()
        passage = h.fake.sent(chat["id"])[-1]
        assert passage["text"].startswith("📄 Толық үзінді")
        assert "консультативтік-кеңесші орган <иә> & т.б." in passage["text"]
        assert passage["reply_to_message"]["message_id"] == answer["message_id"]
        assert toast(h.fake) == ""
        h.fake.user_presses(answer, "p:7", user)  # a 6,000-character passage
        await h.process()
        assert len(h.fake.sent(chat["id"])[-1]["text"]) <= 4096
        h.fake.user_presses(answer, "p:999", user)  # no longer in the index
        await h.process()
        assert toast(h.fake) == texts.PASSAGE_GONE["kk"]

    play(tmp_path, scenario)


def test_other_sources_button_survives_a_restart(tmp_path: Path) -> None:
    fake = FakeTelegram()
    chat, user = private(fake)
    answers: list[dict[str, Any]] = []

    async def first(h: Harness) -> None:
        answers.append(await ask_once(h, chat, user))

    async def second(h: Harness) -> None:
        (data,) = button_data(answers[0], "o:")
        h.fake.user_presses(answers[0], data, user)
        await h.process()
        reply = h.fake.sent(chat["id"])[-1]
        assert reply["text"].startswith("📚 Басқа дереккөздер")
        assert "Этносаралық келісім" in reply["text"]
        assert button_data(reply) == ["p:3"]

    async def main() -> None:
        async with inprocess_bot(tmp_path, fake=fake) as h:
            await first(h)
        async with inprocess_bot(tmp_path, fake=fake) as h:
            await second(h)

    asyncio.run(main())


def test_votes_are_stored_and_ticked(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        answer = await ask_once(h, chat, user)
        up = next(d for d in button_data(answer, "v:") if d.endswith("+"))
        down = up[:-1] + "-"
        for data in (up, up, down):
            h.fake.user_presses(answer, data, user)
            await h.process()
            assert toast(h.fake) == texts.VOTE_THANKS["kk"]
        edits = h.fake.calls_of("editMessageReplyMarkup")
        assert [c.ok for c in edits] == [True, True]  # the repeated 👍 changed nothing
        labels = [
            b["text"] for row in edits[-1].result["reply_markup"]["inline_keyboard"] for b in row
        ]
        assert "👎 ✓" in labels and "👍" in labels
        services = get_services_from_app(h.app)
        totals = await services.db(kept(h.app.bot_data, Answers).store.totals)
        assert totals == {"answers": 1, "declined": 0, "up": 0, "down": 1}

    play(tmp_path, scenario)


def test_votes_in_groups_are_not_ticked(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        group = h.fake.group_chat()
        user = h.fake.user(5005)
        h.fake.user_sends(group, user, "/ask Ассамблея қашан құрылды?")
        await h.process()
        answer = h.fake.sent(group["id"])[-1]
        h.fake.user_presses(answer, button_data(answer, "v:")[0], user)
        await h.process()
        assert toast(h.fake) == texts.VOTE_THANKS["kk"]
        assert not h.fake.calls_of("editMessageReplyMarkup")

    play(tmp_path, scenario)


@pytest.mark.parametrize(
    "data",
    [
        "zzz",
        "p:abc",
        "p:1x",
        "v:1:*",
        "v:0:+",
        "v:99999:+",
        "o:424242",
        "x:9",
        "x:-1",
        "p:" + "9" * 62,
        "ә" * 32,
        "",
    ],
)
def test_forged_or_stale_buttons_are_answered_safely(tmp_path: Path, data: str) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        answer = await ask_once(h, chat, user)
        h.fake.user_presses(answer, data, user)
        await h.process()
        assert toast(h.fake) == texts.STALE_BUTTON["kk"]
        assert len(h.fake.sent(chat["id"])) == 1

    play(tmp_path, scenario)


def test_example_button_asks_the_example(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        chat, user = private(h.fake)
        h.fake.user_sends(chat, user, "/start")
        await h.process()
        start = h.fake.sent(chat["id"])[-1]
        h.fake.user_presses(start, button_data(start)[2], user)
        await h.process()
        reply = h.fake.sent(chat["id"])[-1]
        assert reply["text"].startswith(f"❓ {texts.EXAMPLES[2]}")
        assert h.engine.questions == [texts.EXAMPLES[2]]
        assert button_data(reply, "p:")

    play(tmp_path, scenario)


def test_every_text_is_valid_telegram_html() -> None:
    for table in (
        texts.START,
        texts.HELP,
        texts.SOURCES_HEADER,
        texts.OTHERS_HEADER,
        texts.PASSAGE_HEADER,
    ):
        for text in table.values():
            parse_html(text.format(mention="@bot", count=3))
    for lang in texts.LANGS:
        for name, description in texts.COMMANDS[lang]:
            assert 1 <= len(description) <= 256 and name.islower()
    for table in (
        texts.STALE_BUTTON,
        texts.VOTE_THANKS,
        texts.NO_OTHERS,
        texts.PASSAGE_GONE,
        texts.SLOW_DOWN,
    ):
        assert all(len(t) <= 200 for t in table.values())
