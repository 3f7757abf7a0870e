"""End to end: the bot with PTB's real networking stack against the fake Bot API on 127.0.0.1.

Long polling (and once a webhook), real HTTP for every call, file download included.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import socket
import time
from pathlib import Path

import httpx
import pytest

from bot.answers import texts
from bot.app import build_application, webhook_options
from bot.config import ConfigError
from tests import telegram_support
from tests.fakebotapi import FakeBotApiServer, button_data, texts_of
from tests.telegram_support import FakeEngine, Harness, make_settings

play = functools.partial(telegram_support.play, polling=True)


def test_a_conversation_over_http(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        user = fake.user(1001)
        chat = fake.private_chat(user)
        fake.user_sends(chat, user, "/start")
        (start,) = [c.result for c in await fake.await_for("sendMessage")]
        assert start["text"].startswith("Сәлеметсіз бе!")

        fake.user_sends(chat, user, "Ассамблея қашан құрылды?")
        calls = await fake.await_for("sendMessage", count=2)
        answer = calls[-1].result
        assert "1995 жылғы 1 наурызда" in answer["text"]
        assert fake.calls_of("sendChatAction")[0].at < calls[-1].at

        fake.user_presses(answer, "p:1", user)
        passage = (await fake.await_for("sendMessage", count=3))[-1].result
        assert passage["text"].startswith("📄 Толық үзінді")

        fake.user_presses(answer, button_data(answer, "v:")[0], user)
        await fake.await_for("editMessageReplyMarkup")
        assert fake.calls_of("answerCallbackQuery")[-1].params["text"] == texts.VOTE_THANKS["kk"]

        fake.user_presses(answer, "forged", user)
        await fake.await_for("answerCallbackQuery", count=3)
        assert fake.calls_of("answerCallbackQuery")[-1].params["text"] == (texts.STALE_BUTTON["kk"])

        methods = {c.method for c in fake.calls}
        assert {
            "getMe",
            "deleteWebhook",
            "setMyCommands",
            "getUpdates",
            "sendChatAction",
            "sendMessage",
            "answerCallbackQuery",
            "editMessageReplyMarkup",
        } <= methods
        assert all(c.ok for c in fake.calls if c.method != "getUpdates")

    play(tmp_path, scenario)


def test_a_slow_question_does_not_stall_other_chats(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        slow_user, quick_user = fake.user(1), fake.user(2)
        slow_chat, quick_chat = fake.private_chat(slow_user), fake.private_chat(quick_user)
        fake.user_sends(slow_chat, slow_user, "баяу сұрақ")
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        fake.user_sends(quick_chat, quick_user, "Ассамблея қашан құрылды?")
        first = (await fake.await_for("sendMessage"))[0].result
        assert first["chat"]["id"] == quick_chat["id"]
        assert time.perf_counter() - started < 0.6
        second = (await fake.await_for("sendMessage", count=2))[-1].result
        assert second["chat"]["id"] == slow_chat["id"]

    play(tmp_path, scenario, FakeEngine(slow_seconds=1.2))


def test_network_errors_and_429_are_retried_with_backoff(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        fake = h.fake
        user = fake.user(7)
        chat = fake.private_chat(user)
        fake.drop_next("sendMessage")
        fake.user_sends(chat, user, "Ассамблея қашан құрылды?")
        await fake.await_for("sendMessage")
        assert len(fake.sent(chat["id"])) == 1  # delivered once, after one retry

        fake.fail_next("sendMessage", retry_after=1)
        started = time.perf_counter()
        fake.user_sends(chat, user, "Ассамблеяның міндеті қандай?")
        calls = await fake.await_for("sendMessage", lambda c: c.ok, count=2)
        assert calls[-1].at - started >= 1.0  # waited Telegram's retry_after
        assert [c.ok for c in fake.calls_of("sendMessage")] == [True, False, True]

        fake.fail_next("sendMessage", retry_after=1, times=10)  # a 429 that never ends
        fake.user_sends(chat, user, "Ассамблея не істейді?")
        await fake.await_for("sendMessage", lambda c: not c.ok, count=3)
        await asyncio.sleep(0.3)
        assert len(fake.calls_of("sendMessage")) <= 2 + 1 + 4  # bounded: no blind loop

    play(tmp_path, scenario, max_retries=1)


def test_token_never_reaches_the_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    token_holder: list[str] = []

    async def scenario(h: Harness) -> None:
        token_holder.append(h.fake.token)
        user = h.fake.user(9)
        chat = h.fake.private_chat(user)
        h.fake.user_sends(chat, user, "қате сұрақ")  # an error, logged with its traceback
        await h.fake.await_for("sendMessage")
        h.fake.drop_next("sendMessage")
        h.fake.user_sends(chat, user, "Ассамблея қашан құрылды?")
        await h.fake.await_for("sendMessage", count=2)
        logging.getLogger("test").warning("url: %s/bot%s/getMe", "https://x", h.fake.token)
        try:
            raise RuntimeError(f"failed https://x/bot{h.fake.token}/sendMessage")
        except RuntimeError:
            logging.getLogger("test").exception("with traceback")

    with caplog.at_level(logging.DEBUG):
        play(tmp_path, scenario)
    token = token_holder[0]
    assert "Error while handling update" in caplog.text
    assert "<redacted>" in caplog.text
    assert token not in caplog.text
    formatter = logging.Formatter("%(message)s")
    assert all(token not in formatter.format(r) for r in caplog.records)
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


def test_polls_documents_and_files_through_the_bot(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        bot = h.app.bot
        user = h.fake.user(11)
        chat = h.fake.private_chat(user)
        message = await bot.send_poll(
            chat["id"],
            "Ассамблея қашан құрылды?",
            ["1995", "2005"],
            type="quiz",
            correct_option_ids=[0],
            is_anonymous=False,
        )
        assert message.poll is not None
        uploaded = h.fake.add_file("Сұрақ;Жауап\n".encode(), "quiz.csv", "text/csv")
        file = await bot.get_file(uploaded["file_id"])
        assert bytes(await file.download_as_bytearray()) == "Сұрақ;Жауап\n".encode()
        sent = await bot.send_document(chat["id"], b"report", filename="r.txt")
        assert sent.document is not None
        text = await bot.send_message(chat["id"], "ескі")
        new = await bot.edit_message_text(
            "<b>жаңа</b>", chat["id"], text.message_id, parse_mode="HTML"
        )
        assert getattr(new, "text", None) == "жаңа"

    play(tmp_path, scenario)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_webhook_mode_with_a_secret_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "kha_webhook-secret_123"
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", secret)

    async def main() -> None:
        with FakeBotApiServer() as server:
            settings = make_settings(
                tmp_path,
                base_url=server.base_url,
                base_file_url=server.base_file_url,
                mode="webhook",
                webhook_url="https://bot.example.kz/kha/hook",
                port=_free_port(),
            )
            app = build_application(settings, FakeEngine(), server.fake.token)
            options = webhook_options(settings)
            assert options["url_path"] == "kha/hook"
            await app.initialize()
            assert app.updater is not None
            await app.updater.start_webhook(**options)
            await app.start()
            try:
                fake = server.fake
                assert fake.webhook == {
                    "url": settings.telegram.webhook_url,
                    "secret_token": secret,
                }
                user = fake.user(21)
                fake.user_sends(fake.private_chat(user), user, "Ассамблея қашан құрылды?")
                (update,) = fake.take_updates()
                url = f"http://127.0.0.1:{settings.telegram.port}/kha/hook"
                async with httpx.AsyncClient() as client:
                    refused = await client.post(
                        url,
                        content=json.dumps(update),
                        headers={"Content-Type": "application/json"},
                    )
                    assert refused.status_code == 403
                    accepted = await client.post(
                        url,
                        content=json.dumps(update),
                        headers={
                            "Content-Type": "application/json",
                            "X-Telegram-Bot-Api-Secret-Token": secret,
                        },
                    )
                    assert accepted.status_code == 200
                (call,) = await fake.await_for("sendMessage")
                assert "1995" in call.result["text"]
            finally:
                await app.updater.stop()
                await app.stop()
                await app.post_shutdown(app)
                await app.shutdown()

    asyncio.run(asyncio.wait_for(main(), 30))


def test_webhook_settings_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "bad secret!")
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_options(make_settings(tmp_path, webhook_url="https://x.kz/hook"))
    with pytest.raises(ConfigError, match="https"):
        webhook_options(make_settings(tmp_path, webhook_url="http://x.kz/hook"))
    assert texts_of([]) == []
