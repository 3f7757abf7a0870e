"""Moderators' dialogues without traps (issue 14), through the strict in-process fake: a paste
ended too early goes on, and a question or a wrong value is never taken for the field asked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.answers.shared import Answers
from bot.app import get_services_from_app
from bot.config import ConfigError, load_settings
from bot.moderation import pastes, render, texts
from bot.moderation.content import ContentManager
from bot.moderation.requests import get_request
from bot.moderation.roles import add_moderator
from bot.telegram.shared import kept
from index.answer import Answer
from index.articles import Article
from tests.conftest import FakeEmbedder
from tests.fakebotapi import button_data
from tests.moderation_support import ARTICLE
from tests.telegram_support import FakeEngine, Harness, play

MODERATOR = 7


class _Engine(FakeEngine):
    embedder = FakeEmbedder()  # what moderation counts a draft's tokens with


async def _say(h: Harness, user: dict[str, Any], text: str = "", **content: Any) -> str:
    chat = h.fake.private_chat(user)
    h.fake.user_sends(chat, user, text, **content)
    await h.process()
    return str(h.fake.sent(chat["id"])[-1].get("text", ""))


async def _press(h: Harness, user: dict[str, Any], prefix: str) -> str:
    chat = h.fake.private_chat(user)
    message = next(m for m in reversed(h.fake.sent(chat["id"])) if button_data(m, prefix))
    h.fake.user_presses(message, button_data(message, prefix)[0], user)
    await h.process()
    return str(h.fake.sent(chat["id"])[-1].get("text", ""))


async def _declined(h: Harness) -> list[tuple[str, str]]:
    store = kept(h.app.bot_data, Answers).store
    return await get_services_from_app(h.app).db(store.declined, 10)


def test_the_paste_trap(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        moderator = h.fake.user(MODERATOR)
        assert await _say(h, moderator, "/add") == texts.PASTE_START
        assert await _say(h, moderator, "✅") == texts.PASTE_NOT_TEXT  # not kept as text
        assert await _press(h, moderator, "m:pd") == texts.PASTE_EMPTY
        assert (await _say(h, moderator, "Достық үйлері")).startswith("Қабылдадым, барлығы 13")
        too_short = await _press(h, moderator, "m:pd")  # ended too early
        assert too_short.startswith("Мәтін тым қысқа") and texts.PASTE_KEPT in too_short
        assert pastes.pasting(h.settings) == {MODERATOR}  # the paste goes on
        rest = ARTICLE.split("\n", 1)[1]
        assert (await _say(h, moderator, rest)).startswith("Қабылдадым")
        await _press(h, moderator, "m:pd")
        sent = [m.get("text", "") for m in h.fake.sent(h.fake.private_chat(moderator)["id"])]
        preview = next(t for t in reversed(sent) if "алдын ала қарау" in t)
        assert "Достық үйлері" in preview
        assert h.engine.questions == [] and await _declined(h) == []  # nothing went to citizens

    play(tmp_path, scenario, _Engine())


def test_a_prompt_does_not_swallow_a_question_a_command_or_a_wrong_value(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        moderator = h.fake.user(MODERATOR)
        document = h.fake.add_file(ARTICLE.encode(), "dostyq.txt", "text/plain")
        assert await _say(h, moderator, document=document) == texts.ASK["source"]
        question = await _say(h, moderator, "Ассамблея қашан құрылды?")
        assert question.startswith("Бұл сұраққа ұқсайды") and texts.ASK["source"] in question
        number = await _say(h, moderator, "15")
        assert number.startswith("Мұнда бірде-бір сөз жоқ")
        assert (await _say(h, moderator, "/help")).startswith("Мен не істей аламын")
        request = await asyncio.to_thread(get_request, h.settings, 1)
        assert request is not None and request.draft is not None
        assert not request.draft.source  # nothing was stored
        assert "қай жылы" in await _say(h, moderator, "«Егемен Қазақстан» газеті")
        request = await asyncio.to_thread(get_request, h.settings, 1)
        assert request is not None and request.draft is not None
        assert request.draft.source == "«Егемен Қазақстан» газеті"
        assert h.engine.questions == []

    play(tmp_path, scenario, _Engine())


def test_stats_with_the_bots_name_in_a_group_points_to_the_private_chat(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        moderator, group = h.fake.user(MODERATOR), h.fake.group_chat()
        h.fake.user_sends(group, moderator, "/stats@kha_test_bot")
        await h.process()
        (reply,) = h.fake.sent(group["id"])
        assert reply["text"] == texts.PRIVATE_ONLY.format(bot="kha_test_bot")

    play(tmp_path, scenario, _Engine())


def test_moderators_read_the_list_of_moderators(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        moderator = h.fake.user(MODERATOR)
        listed = await _say(h, moderator, "/moderators")
        assert listed.startswith("👥 Модераторлар") and str(MODERATOR) in listed
        assert await _say(h, moderator, "/addmod 9") == texts.ADMIN_ONLY  # changing: admins

    play(tmp_path, scenario, _Engine())


def test_times_are_shown_in_the_configured_zone(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        store = kept(h.app.bot_data, Answers).store
        services = get_services_from_app(h.app)
        declined = Answer("Шахмат қалай ойналады?", ())
        answer_id = await services.db(store.record_answer, declined, "private")
        await services.db(
            store.db.execute,
            "UPDATE bot_answers SET created_at = '2026-05-01T14:03:00+00:00' WHERE id = ?",
            [answer_id],
        )
        report = await _say(h, h.fake.user(MODERATOR), "/unanswered")
        assert "2026-05-01 19:03 (UTC+5)" in report and "Шахмат қалай ойналады?" in report

    play(tmp_path, scenario, _Engine())


def test_an_unknown_time_zone_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[moderation]\ntime_zone = "Asia/Almatty"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="time_zone"):
        load_settings(config)
    assert render.when("2026-05-01T14:03:00+00:00", ZoneInfo("UTC")) == "2026-05-01 14:03 (UTC)"


def _files_preview(h: Harness, moderator: dict[str, Any]) -> str:
    sent = [m.get("text", "") for m in h.fake.sent(h.fake.private_chat(moderator)["id"])]
    return next(t for t in reversed(sent) if "алдын ала қарау" in t)


def test_replacing_an_article_by_file_keeps_its_fields_and_shows_what_changed(
    tmp_path: Path,
) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        manager = ContentManager(h.settings, FakeEmbedder)
        body = ARTICLE.split("\n", 1)[1].strip()
        article = Article("dostyq", "Достық үйлері", "«Егемен Қазақстан» газеті", 2020, "kk", body)
        await asyncio.to_thread(manager.put, article, "cli:test", replace=False)
        moderator = h.fake.user(MODERATOR)
        new = ARTICLE.replace("1999 жылы", "1999 жылы екі мыңнан астам адам қатысқан")
        document = h.fake.add_file(new.encode(), "dostyq.txt", "text/plain")
        await _say(h, moderator, document=document)
        preview = _files_preview(h, moderator)
        assert "Мақаланы жаңарту" in preview and "Атауы: Достық үйлері" in preview
        assert "Дереккөзі: «Егемен Қазақстан» газеті" in preview and "Жылы: 2020" in preview
        assert "Өзгерген жерлер (1)" in preview and "екі мыңнан" in preview
        assert "Қосу үшін" not in preview

    play(tmp_path, scenario, _Engine())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", texts.FILE_EMPTY),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 40, texts.FILE_DOCX_BROKEN),
        ("binary.txt", bytes(range(256)) * 4, texts.FILE_BINARY),
    ],
)
def test_a_refused_file_says_what_to_do(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        moderator = h.fake.user(MODERATOR)
        document = h.fake.add_file(content, name, "application/octet-stream")
        assert await _say(h, moderator, document=document) == expected
        assert "жіберіңіз" in expected  # what to do next

    play(tmp_path, scenario, _Engine())


def test_files_with_html_or_broken_front_matter_are_read_honestly(tmp_path: Path) -> None:
    async def scenario(h: Harness) -> None:
        add_moderator(h.settings, MODERATOR, by=0)
        moderator = h.fake.user(MODERATOR)
        body = ARTICLE.split("\n", 1)[1].strip()
        page = "<!DOCTYPE html><html><head><title>Тест</title></head><body><h1>Тест</h1>"
        page += "".join(f"<p>{p}</p>" for p in body.split("\n\n")) + "</body></html>"
        document = h.fake.add_file(page.encode(), "page.html", "text/html")
        await _say(h, moderator, document=document)
        preview = _files_preview(h, moderator)
        assert "Атауы: Тест" in preview and "<h1>" not in preview and "<p>" not in preview
        assert "веб-бет екен" in preview
        broken = f"---\ntitle Достық үйлері\nyear: биыл\n---\n{body}"
        document = h.fake.add_file(broken.encode(), "broken.md", "text/markdown")
        await _say(h, moderator, document=document)
        preview = _files_preview(h, moderator)
        assert "дұрыс жазылмаған" in preview
        assert "атауы мен дереккөзін алдым" not in preview

    play(tmp_path, scenario, _Engine())
