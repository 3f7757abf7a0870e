"""The fake Bot API is only useful if it refuses what Telegram refuses: check that, through
PTB's real HTTP stack where it matters."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputPollOption,
)
from telegram.constants import MessageLimit, PollLimit
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, RetryAfter

from tests.fakebotapi import (
    EntityParseError,
    FakeBotApiServer,
    FakeTelegram,
    parse_html,
    utf16_len,
)

T = TypeVar("T")


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


def with_bot(
    server: FakeBotApiServer, body: Callable[[Bot], Awaitable[T]], token: str | None = None
) -> T:
    async def main() -> T:
        bot = Bot(
            token or server.fake.token, base_url=server.base_url, base_file_url=server.base_file_url
        )
        async with bot:
            return await body(bot)

    return run(main())


@pytest.fixture(scope="module")
def server() -> Any:
    with FakeBotApiServer(lifetime=120) as running:
        yield running


@pytest.fixture(scope="module")
def chat(server: FakeBotApiServer) -> dict[str, Any]:
    return server.fake.private_chat(server.fake.user(42))


# --- HTML, as TDLib parses it -------------------------------------------------------------


def test_html_entities_and_offsets() -> None:
    text, entities = parse_html(
        '<b>Қазақ</b> &lt;&amp;&gt; &#1178; <a href="https://x.kz">сілтеме</a>'
        "<blockquote expandable>дәйексөз</blockquote>"
    )
    assert text == "Қазақ <&> Қ сілтемедәйексөз"
    assert entities[0] == {"type": "bold", "offset": 0, "length": 5}
    assert {"type": "text_link", "offset": 12, "length": 7, "url": "https://x.kz"} in entities
    assert entities[-1]["type"] == "blockquote"
    assert parse_html("a & b &nbsp;")[0] == "a & b &nbsp;"  # Telegram keeps a lone & as is
    assert utf16_len("👍a") == 3


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Ә <b", "Unclosed start tag at byte offset 3"),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<blockquote><b>x</blockquote></b>", "Unmatched end tag"),
    ],
)
def test_html_refused_like_telegram(html: str, error: str) -> None:
    with pytest.raises(EntityParseError, match=error.replace("(", r"\(")):
        parse_html(html)


# --- sendMessage / editMessageText --------------------------------------------------------


def test_message_length_is_counted_after_parsing(
    server: FakeBotApiServer, chat: dict[str, Any]
) -> None:
    async def body(bot: Bot) -> None:
        limit = MessageLimit.MAX_TEXT_LENGTH
        await bot.send_message(chat["id"], "ә" * limit)
        await bot.send_message(chat["id"], f"<b>{'ә' * limit}</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(chat["id"], "ә" * (limit + 1))
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(chat["id"], "👍" * (limit // 2 + 1))  # UTF-16 units
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(chat["id"], "<b> </b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unsupported start tag"):
            await bot.send_message(chat["id"], "1 < 2", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(999, "сәлем")

    with_bot(server, body)


def test_callback_data_over_64_bytes_is_refused(
    server: FakeBotApiServer, chat: dict[str, Any]
) -> None:
    async def body(bot: Bot) -> None:
        ok = InlineKeyboardMarkup([[InlineKeyboardButton("ә", callback_data="ә" * 32)]])
        await bot.send_message(chat["id"], "батырма", reply_markup=ok)
        too_long = InlineKeyboardMarkup([[InlineKeyboardButton("ә", callback_data="ә" * 33)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(chat["id"], "батырма", reply_markup=too_long)

    with_bot(server, body)


def test_edit_message_text(server: FakeBotApiServer, chat: dict[str, Any]) -> None:
    async def body(bot: Bot) -> None:
        sent = await bot.send_message(chat["id"], "<i>бір</i>", parse_mode="HTML")
        edited = await bot.edit_message_text(
            "<b>екі</b>", chat["id"], sent.message_id, parse_mode="HTML"
        )
        assert isinstance(edited, object) and edited.text == "екі"  # type: ignore[union-attr]
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "<b>екі</b>", chat["id"], sent.message_id, parse_mode="HTML"
            )
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("үш", chat["id"], 10_000)
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.edit_message_text("ә" * 4097, chat["id"], sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.edit_message_text("<b>үш", chat["id"], sent.message_id, parse_mode="HTML")

    with_bot(server, body)


def test_reply_to_a_missing_message(server: FakeBotApiServer, chat: dict[str, Any]) -> None:
    async def body(bot: Bot) -> None:
        with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
            await bot.send_message(chat["id"], "жауап", reply_to_message_id=9_999)
        await bot.send_message(
            chat["id"], "жауап", reply_to_message_id=9_999, allow_sending_without_reply=True
        )

    with_bot(server, body)


# --- callback queries, chat actions, commands ---------------------------------------------


def test_answer_callback_query_once_and_only_known(
    server: FakeBotApiServer, chat: dict[str, Any]
) -> None:
    fake = server.fake
    user = fake.user(42)

    async def body(bot: Bot) -> None:
        sent = await bot.send_message(chat["id"], "батырма")
        query_id = fake.user_presses(sent.to_dict(), "p:1", user)
        with pytest.raises(BadRequest, match=r"(?i)text is too long|message_too_long"):
            await bot.answer_callback_query(query_id, "ә" * 201)
        assert await bot.answer_callback_query(query_id, "Рақмет!")
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(query_id)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query("forged")

    with_bot(server, body)
    fake.take_updates()


def test_chat_action_and_commands(server: FakeBotApiServer, chat: dict[str, Any]) -> None:
    from telegram import BotCommand

    async def body(bot: Bot) -> None:
        assert await bot.send_chat_action(chat["id"], "typing")
        with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
            await bot.send_chat_action(chat["id"], "dancing")
        await bot.set_my_commands([BotCommand("start", "Бастау")], language_code="kk")
        assert [c.command for c in await bot.get_my_commands(language_code="kk")] == ["start"]
        assert await bot.get_my_commands(language_code="ru") == ()
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Бастау", "Бастау")])
        with pytest.raises(BadRequest, match=r"(?i)bot_command_description_invalid"):
            await bot.set_my_commands([BotCommand("start", "ә" * 257)])

    with_bot(server, body)


# --- polls --------------------------------------------------------------------------------


def test_poll_bounds(server: FakeBotApiServer, chat: dict[str, Any]) -> None:
    async def body(bot: Bot) -> None:
        cid = chat["id"]
        quiz = await bot.send_poll(
            cid,
            "Ассамблея қашан құрылды?",
            ["1995", "2000", "2007"],
            type="quiz",
            correct_option_ids=[0],
            is_anonymous=False,
            explanation="1995 жылғы 1 наурызда.",
            open_period=30,
        )
        assert quiz.poll is not None and quiz.poll.correct_option_ids == (0,)
        cases: list[tuple[dict[str, Any], str]] = [
            (
                {"question": "ә" * (PollLimit.MAX_QUESTION_LENGTH + 1)},
                "poll question length must not exceed 300",
            ),
            (
                {"options": ["ә" * (PollLimit.MAX_OPTION_LENGTH + 1), "б"]},
                "poll options length must not exceed 100",
            ),
            (
                {"options": [str(i) for i in range(PollLimit.MAX_OPTION_NUMBER + 1)]},
                "more than 12 options",
            ),
            ({"options": ["а", " "]}, "text must be non-empty"),
            ({"type": "quiz", "correct_option_ids": [5]}, "wrong correct option"),
            (
                {
                    "type": "quiz",
                    "correct_option_ids": [0],
                    "explanation": "ә" * (PollLimit.MAX_EXPLANATION_LENGTH + 1),
                },
                "explanation is too long",
            ),
            (
                {"type": "quiz", "correct_option_ids": [0], "explanation": "1\n2\n3\n4"},
                "line feeds",
            ),
            ({"open_period": PollLimit.MIN_OPEN_PERIOD - 1}, "wrong open period"),
        ]
        for overrides, error in cases:
            kwargs: dict[str, Any] = {
                "chat_id": cid,
                "question": "Сұрақ?",
                "options": ["а", "б"],
                **overrides,
            }
            with pytest.raises(BadRequest, match=rf"(?i){error}"):
                await bot.send_poll(**kwargs)
        options = [InputPollOption("а"), InputPollOption("б")]
        poll = await bot.send_poll(cid, "Сұрақ?", options, is_anonymous=False)
        assert poll.poll is not None and not poll.poll.is_closed

    with_bot(server, body)


# --- documents and files ------------------------------------------------------------------


def test_document_upload_get_file_and_download(
    server: FakeBotApiServer, chat: dict[str, Any]
) -> None:
    content = "Сұрақ;Жауап\nАссамблея қашан құрылды?;1995\n".encode()

    async def body(bot: Bot) -> None:
        sent = await bot.send_document(
            chat["id"], content, filename="quiz.csv", caption="<b>Викторина</b>", parse_mode="HTML"
        )
        assert sent.document is not None and sent.caption == "Викторина"
        again = await bot.send_document(chat["id"], sent.document.file_id)
        assert again.document is not None
        file = await bot.get_file(sent.document.file_id)
        assert bytes(await file.download_as_bytearray()) == content
        with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
            await bot.get_file("nope")
        with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
            await bot.send_document(chat["id"], content, filename="a.txt", caption="ә" * 1025)

    with_bot(server, body)


def test_user_uploaded_file_is_downloadable(server: FakeBotApiServer) -> None:
    document = server.fake.add_file(b"abc", "a.txt")

    async def body(bot: Bot) -> bytes:
        file = await bot.get_file(document["file_id"])
        return bytes(await file.download_as_bytearray())

    assert with_bot(server, body) == b"abc"


# --- getUpdates, tokens, failures ---------------------------------------------------------


def test_long_polling_returns_as_soon_as_an_update_arrives(server: FakeBotApiServer) -> None:
    fake = server.fake
    user = fake.user(77)
    chat = fake.private_chat(user)
    fake.take_updates()

    async def body(bot: Bot) -> tuple[float, float, int]:
        started = time.perf_counter()
        assert await bot.get_updates(timeout=1) == ()
        idle = time.perf_counter() - started
        threading.Timer(0.2, fake.user_sends, (chat, user, "сәлем")).start()
        started = time.perf_counter()
        updates = await bot.get_updates(timeout=5)
        woke = time.perf_counter() - started
        confirmed = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        return idle, woke, len(confirmed) + 10 * len(updates)

    idle, woke, counts = with_bot(server, body)
    assert 0.9 < idle < 2.0
    assert woke < 1.0
    assert counts == 10  # one update, confirmed by the next offset


def test_two_pollers_conflict(server: FakeBotApiServer) -> None:
    server.fake.take_updates()

    async def body(bot: Bot) -> None:
        other = Bot(server.fake.token, base_url=server.base_url)
        first = asyncio.create_task(bot.get_updates(timeout=2))
        await asyncio.sleep(0.2)
        async with other:
            second = asyncio.create_task(other.get_updates(timeout=0))
            with pytest.raises(Conflict, match="terminated by other getUpdates"):
                await first
            await second

    with_bot(server, body)


def test_wrong_token_and_unknown_method(server: FakeBotApiServer) -> None:
    async def body(bot: Bot) -> None:
        pass

    with pytest.raises(InvalidToken):
        with_bot(server, body, token="1:wrong")
    assert server.fake.respond(server.fake.token, "sendNothing", {})[0] == 404


def test_injected_429_and_dropped_connection(
    server: FakeBotApiServer, chat: dict[str, Any]
) -> None:
    fake = server.fake

    async def body(bot: Bot) -> None:
        fake.fail_next("sendMessage", retry_after=3)
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(chat["id"], "сәлем")
        assert caught.value._retry_after.total_seconds() == 3
        fake.drop_next("sendMessage")
        with pytest.raises(NetworkError):
            await bot.send_message(chat["id"], "сәлем")
        await bot.send_message(chat["id"], "сәлем")

    with_bot(server, body)


def test_server_stops_by_itself() -> None:
    server = FakeBotApiServer(FakeTelegram(), lifetime=0.3).start()
    deadline = time.monotonic() + 5
    while not server._stopped and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server._stopped

    async def body(bot: Bot) -> None:
        pass

    with pytest.raises(NetworkError):
        with_bot(server, body)
