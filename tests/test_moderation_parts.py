"""The small parts of moderation: drafts from text, roles from config.toml and the database,
the reports and their chart, and the fake Bot API's sendPhoto."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from PIL import Image
from telegram import Update

from bot.answers.store import FeedbackStore
from bot.app import build_application, command_menu
from bot.config import ConfigError, ModerationSettings, load_settings
from bot.moderation import pastes, reports, texts
from bot.moderation.commands import set_menu
from bot.moderation.dialogue import Dialogue, Waiting
from bot.moderation.files import Extracted
from bot.moderation.preview import make_draft, slug, summarize, with_field
from bot.moderation.render import preview as render
from bot.moderation.roles import add_moderator, load_roles, remove_moderator
from bot.telegram.texts import KK
from index.answer import Answer
from tests.fakebotapi import FakeRequest, FakeTelegram
from tests.moderation_support import ARTICLE
from tests.telegram_support import make_settings


def draft_of(text: str, name: str = "", caption: str = "", versions=None):  # type: ignore[no-untyped-def]
    return make_draft(
        Extracted(text, "text"), file_name=name, caption=caption, versions=versions or {}
    )


def test_a_draft_finds_title_source_and_year_where_it_can() -> None:
    draft = draft_of(ARTICLE + "\nДереккөз: «Егемен Қазақстан», 2020 жыл")
    assert draft.title == "Достық үйлері" and draft.id == "dostyq-uileri"
    assert (draft.source, draft.year, draft.lang) == ("«Егемен Қазақстан», 2020 жыл", 2020, "kk")
    assert not draft.text.startswith("Достық үйлері\n") and draft.missing == []


def test_front_matter_and_the_file_name_decide_id_and_replacement() -> None:
    text = "---\ntitle: Атауы\nsource: Сайт\nyear: 2019\n---\n" + ARTICLE
    draft = draft_of(text, "assembly-role-in-society.md", versions={"assembly-role-in-society": 3})
    assert (draft.id, draft.replaces, draft.title, draft.year) == (
        "assembly-role-in-society",
        3,
        "Атауы",
        2019,
    )
    taken = draft_of(ARTICLE, "Мақала.docx", versions={"dostyq-uileri": 1})
    assert taken.id == "dostyq-uileri-2" and taken.replaces is None


def test_missing_fields_are_asked_and_checked() -> None:
    draft = draft_of("Бірінші сөйлем мұнда. " * 20)
    assert draft.missing == ["title", "source"] and draft.title == ""
    assert with_field(draft, "year", "15") is None
    assert with_field(draft, "year", "2015 ж.").year == 2015  # type: ignore[union-attr]
    assert with_field(draft, "source", "  Газет \n аты ").source == "Газет аты"  # type: ignore[union-attr]
    html = render(draft, summarize(draft.text, lambda t: len(t.split()), max_tokens=50, overlap=1))
    assert "атауын және дереккөзін жазыңыз" in html and "бөлік" in html


def test_slugs_are_latin() -> None:
    assert slug("Қазақстан халқы Ассамблеясы — 30 жыл!") == "qazaqstan-khalqy-assambleyasy-30-zhyl"
    assert slug("???") == "article"


def test_roles_come_from_config_and_from_admins(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[moderation]\nmoderators = [11]\nadmins = [12]\n", encoding="utf-8")
    settings = load_settings(config)
    roles = load_roles(settings)
    assert roles.is_moderator(11) and roles.is_moderator(12) and roles.is_admin(12)
    assert not roles.is_moderator(13) and not roles.is_admin(11)
    assert add_moderator(settings, 13, by=12) and not add_moderator(settings, 13, by=12)
    assert load_roles(settings).is_moderator(13)
    assert remove_moderator(settings, 13) and not load_roles(settings).is_moderator(13)
    config.write_text('[moderation]\nmoderators = ["@aigul"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="user ids"):
        load_settings(config)


def test_reports_count_questions_and_feedback_and_draw_them(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    store = FeedbackStore(db)
    first = store.record_answer(Answer("Сұрақ бір?", (), "kk"), "private")
    store.record_answer(Answer("Сұрақ екі?", (), "kk"), "private")
    store.vote(first, 5, -1)
    stats = reports.usage(db, 7)
    assert (stats.questions, stats.answered, stats.up, stats.down) == (2, 0, 0, 1)
    assert stats.days[-1].declined == 2 and len(stats.days) == 7
    assert [q for _, q in reports.disliked(db, 5)] == ["Сұрақ бір?"]
    assert [q for _, q in reports.declined(db, 5)] == ["Сұрақ екі?", "Сұрақ бір?"]  # as /stats
    image = Image.open(io.BytesIO(reports.chart_png(stats)))
    assert image.format == "PNG" and image.size == (1350, 675)
    empty = reports.usage(tmp_path / "none.db", 3, today=date(2025, 1, 3))
    assert empty.questions == 0 and [d.day.day for d in empty.days] == [1, 2, 3]
    image = Image.open(io.BytesIO(reports.chart_png(empty)))
    assert image.format == "PNG" and image.size == (1350, 675)


def _words(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]


def test_the_stats_chart_carries_kazakh_words_its_font_can_draw() -> None:
    days = [reports.Day(date(2025, 1, n), n, n % 2) for n in range(1, 15)]
    words = _words(reports.chart_figure(reports.Stats(days, 3, 1)))
    for text in (
        "Күн сайынғы сұрақтар, 01.01.2025 – 14.01.2025",
        "Сұрақтар саны",
        "Күн (UTC бойынша)",
        "Жауап берілген",
        "Жауапсыз қалған",
        "14",  # the total on the bar of 14 January
    ):
        assert text in words
    nothing = [reports.Day(d.day, 0, 0) for d in days]
    empty = _words(reports.chart_figure(reports.Stats(nothing, 0, 0)))
    assert empty == ["Соңғы 14 күнде бірде-бір сұрақ келмеген."]  # words, not empty axes
    font = font_manager.findfont(reports.CHART_FONT, fallback_to_default=False)
    assert Path(font).is_relative_to(matplotlib.get_data_path())  # the bundled DejaVu Sans
    letters = set(FT2Font(font).get_charmap())
    assert {ord(c) for c in "".join(words + empty)} <= letters
    assert {ord(c) for c in "әғқңөұүһіӘҒҚҢӨҰҮҺІ"} <= letters


def test_the_fake_refuses_photos_telegram_would_refuse() -> None:
    fake = FakeTelegram()
    chat = fake.private_chat(fake.user(1))
    png = io.BytesIO()
    Image.new("RGB", (2100, 100)).save(png, format="PNG")
    calls = [
        {"chat_id": chat["id"], "photo": "attach://p"},
        {"chat_id": chat["id"], "photo": "attach://p", "caption": "x" * 1025},
    ]
    wide = fake.respond(fake.token, "sendPhoto", calls[0], {"p": ("a.png", png.getvalue(), "")})
    assert wide[0] == 400 and b"PHOTO_INVALID_DIMENSIONS" in wide[1]
    text = fake.respond(fake.token, "sendPhoto", calls[0], {"p": ("a.png", b"not an image", "")})
    assert text[0] == 400
    png = io.BytesIO()
    Image.new("RGB", (900, 420)).save(png, format="PNG")
    long = fake.respond(fake.token, "sendPhoto", calls[1], {"p": ("a.png", png.getvalue(), "")})
    assert long[0] == 400 and b"caption is too long" in long[1]
    ok = fake.respond(fake.token, "sendPhoto", calls[0], {"p": ("a.png", png.getvalue(), "")})
    assert ok[0] == 200 and fake.sent()[-1]["photo"][0]["width"] == 900


def test_pasting_and_refusals_in_process(tmp_path: Path) -> None:
    async def main() -> list[str]:
        fake = FakeTelegram()
        settings = make_settings(tmp_path)
        add_moderator(settings, 7, by=0)
        app = build_application(settings, object(), fake.token, request=FakeRequest(fake))  # type: ignore[arg-type]
        await app.initialize()
        moderator, other = fake.user(7), fake.user(8)
        for user, text in (
            (other, "/stats"),
            (other, "/addmod 9"),
            (moderator, "/add"),
            (moderator, "қысқа"),
            (moderator, "/remove"),
            (moderator, "/undo жоқ"),
        ):
            fake.user_sends(fake.private_chat(user), user, text)
        for raw in fake.take_updates():
            await app.process_update(Update.de_json(raw, app.bot))
        pasted = fake.sent()[3]
        fake.user_presses(pasted, "m:pd", moderator)
        for raw in fake.take_updates():
            await app.process_update(Update.de_json(raw, app.bot))
        await app.shutdown()
        return [m["text"] for m in fake.sent()]

    sent = asyncio.run(main())
    assert sent[0] == texts.MODERATORS_ONLY and sent[1] == texts.ADMIN_ONLY
    assert sent[2] == texts.PASTE_START and sent[3].startswith("Қабылдадым, барлығы 5 таңба")
    assert sent[4].startswith("Мақаланың идентификаторын") and "деген мақала жоқ" in sent[5]
    assert sent[6].startswith("Мәтін тым қысқа")


def test_moderators_see_their_commands_in_their_own_menu(tmp_path: Path) -> None:
    def menu(fake: FakeTelegram, user_id: int) -> set[str]:
        key = (json.dumps({"chat_id": user_id, "type": "chat"}, sort_keys=True), "")
        return {c["command"] for c in fake.commands.get(key, [])}

    async def main() -> tuple[set[str], set[str], set[str]]:
        fake = FakeTelegram()
        settings = replace(make_settings(tmp_path), moderation=ModerationSettings(admins=(1,)))
        app = build_application(settings, object(), fake.token, request=FakeRequest(fake))  # type: ignore[arg-type]
        await app.initialize()
        await set_menu(
            app.bot, load_roles(settings), 1, command_menu(KK)
        )  # what the start-up job does
        admin = fake.user(1)
        for text in ("/addmod 9", "/delmod 9"):
            fake.user_sends(fake.private_chat(admin), admin, text)
            for raw in fake.take_updates():
                await app.process_update(Update.de_json(raw, app.bot))
            if text.startswith("/addmod"):
                added = menu(fake, 9)
        await app.shutdown()
        return menu(fake, 1), added, menu(fake, 9)

    admin, added, removed = asyncio.run(main())
    assert {"start", "articles", "modhelp", "addmod", "delmod"} <= admin
    assert {"start", "articles", "modhelp"} <= added and "addmod" not in added
    assert removed == set()


def test_a_paste_survives_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    add_moderator(settings, 7, by=0)
    fake = FakeTelegram()
    moderator = fake.user(7)
    chat = fake.private_chat(moderator)
    first, second, third = ARTICLE[:300], ARTICLE[300:600], ARTICLE[600:]

    async def run(texts_sent: list[str], press_done: bool = False) -> None:
        app = build_application(settings, object(), fake.token, request=FakeRequest(fake))  # type: ignore[arg-type]
        await app.initialize()
        for text in texts_sent:
            fake.user_sends(chat, moderator, text)
        if press_done:
            fake.user_presses(fake.sent()[-1], "m:pd", moderator)
        for raw in fake.take_updates():
            await app.process_update(Update.de_json(raw, app.bot))
        await app.shutdown()

    asyncio.run(run(["/add " + first, second]))
    asyncio.run(run([third]))  # a new process: the paste goes on
    got = fake.sent()[-1]["text"]
    assert got.startswith(f"Қабылдадым, барлығы {len(first + second + third)} таңба")
    asyncio.run(run([], press_done=True))  # "Дайын" under the last prompt
    assert fake.sent()[-1]["text"] == texts.ASK["source"]  # the draft, all three pieces in it
    with sqlite3.connect(settings.db_path) as db:
        (draft,) = db.execute("SELECT draft FROM mod_requests").fetchone()
    assert json.loads(draft)["text"].endswith(third.strip())
    asyncio.run(run(["Достық үйі қай қалада?"]))  # pasting ended: a question again
    assert not fake.sent()[-1]["text"].startswith("Қабылдадым")


def test_paste_pieces_are_kept_in_order_until_taken(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    assert pastes.append(settings, 7, 1, "ештеңе") is None  # not pasting: nothing is kept
    assert pastes.start(settings, 7, "бір", message_id=10) == 3
    # handled concurrently, a later message may be stored first: sent order wins
    assert pastes.append(settings, 7, 12, "үш") == 5
    assert pastes.append(settings, 7, 11, "екі «2»") == 12
    assert pastes.pasting(settings) == {7}
    assert pastes.take(settings, 7) == ["бір", "екі «2»", "үш"]
    assert pastes.take(settings, 7) is None and pastes.pasting(settings) == set()
    pastes.start(settings, 8)
    pastes.cancel(settings, 8)
    assert pastes.append(settings, 8, 1, "x") is None


def test_a_moderator_removed_while_pasting_is_asked_questions_again(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    add_moderator(settings, 7, by=0)

    async def main() -> list[str]:
        fake = FakeTelegram()
        app = build_application(settings, object(), fake.token, request=FakeRequest(fake))  # type: ignore[arg-type]
        await app.initialize()
        moderator = fake.user(7)
        chat = fake.private_chat(moderator)
        fake.user_sends(chat, moderator, "/add " + ARTICLE[:300])
        for raw in fake.take_updates():
            await app.process_update(Update.de_json(raw, app.bot))
        remove_moderator(settings, 7)
        fake.user_sends(chat, moderator, "Достық үйі қай қалада?")
        for raw in fake.take_updates():
            await app.process_update(Update.de_json(raw, app.bot))
        await app.shutdown()
        return [m.get("text", "") for m in fake.sent()]

    sent = asyncio.run(main())
    assert sent[0].startswith("Қабылдадым") and not sent[-1].startswith("Қабылдадым")
    assert pastes.pasting(settings) == set()


def test_a_moderators_place_in_the_dialogue_survives_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)

    async def before_restart() -> None:
        dialogue = Dialogue.load(settings)
        assert await dialogue.waiting(8) is None and not dialogue.is_pasting(7)
        await dialogue.start_paste(7, "бір", message_id=1)
        await dialogue.wait_for(8, 3, "title")
        await dialogue.mark_year_asked(8, 3)

    async def after_restart() -> None:
        dialogue = Dialogue.load(settings)
        assert dialogue.is_pasting(7) and not dialogue.is_pasting(8)
        assert await dialogue.waiting(8) == Waiting(3, "title")
        assert await dialogue.year_asked(8, 3) and not await dialogue.year_asked(8, 4)
        await dialogue.stop_waiting(8)
        assert await Dialogue.load(settings).waiting(8) is None
        assert await dialogue.year_asked(8, 3)  # asked once stays asked
        assert await dialogue.take_paste(7) == ["бір"] and not dialogue.is_pasting(7)

    asyncio.run(before_restart())
    asyncio.run(after_restart())
