"""Helpers for the moderation tests and bench/moderation_session.py: a private copy of the
session's built index, a new article that answers a question nothing answered before, a PDF
writer, and the moderator's Telegram session played against the fake Bot API."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.config import ModerationSettings, Settings
from tests.fakebotapi import JSON, FakeTelegram, button_data

MODERATOR = 1001
ADMIN = 1002
CITIZEN = 2002
ARTICLE_ID = "dostyq-uii"
QUESTION = "Достық үйі қай қалада ашылды?"
ANSWER = "Алматы қаласында ашылды"
ARTICLE = """Достық үйлері

Достық үйлері – Қазақстан халқы Ассамблеясының өңірлердегі қызметінің орталығы. Алғашқы \
Достық үйі 1999 жылы Алматы қаласында ашылды. Бүгінде Достық үйлері барлық облыс \
орталықтарында және республикалық маңызы бар қалаларда жұмыс істейді. Олардың ғимараттарында \
этномәдени бірлестіктер тегін орналасады. Достық үйлерінде жексенбілік мектептер, тіл курстары \
және шығармашылық ұжымдар жұмыс істейді.

Достық үйлері жыл сайын мерекелер, көрмелер мен концерттер өткізеді. Қазақстан халқының \
бірлігі күні Достық үйлерінің басты мерекесі болып саналады. Ассамблея мүшелері мен жастар \
осында қоғамдық келісім мәселелерін талқылайды.
"""


def indexed_copy(settings: Settings, folder: Path, **moderation: Any) -> Settings:
    """`settings` over a private copy of its articles and built index, under `folder`
    (articles/ and var/, the layout tests/telegram_support.make_settings expects)."""
    content = folder / "articles"
    shutil.copytree(settings.content_dir, content)
    data = folder / "var"
    data.mkdir(parents=True)
    (data / "models").symlink_to(settings.models_dir.resolve(), target_is_directory=True)
    source, target = sqlite3.connect(settings.db_path), sqlite3.connect(data / "bot.db")
    with target:
        source.backup(target)
    source.close()
    target.close()
    shutil.copy(settings.data_dir / "chunks.faiss", data / "chunks.faiss")
    return replace(
        settings,
        content_dir=content,
        data_dir=data,
        moderation=ModerationSettings(**moderation),
    )


def write_config(settings: Settings, path: Path) -> Path:
    """A config.toml for a subprocess using these settings' paths, moderators and models (the
    same trained models: the same questions, named by absolute globs)."""
    train, valid = (
        [str(settings.config_dir / g) for g in globs]
        for globs in (settings.training.train, settings.training.valid)
    )
    path.write_text(
        f'[paths]\ncontent_dir = "{settings.content_dir}"\ndata_dir = "{settings.data_dir}"\n'
        f'[model]\nname = "{settings.model.name}"\n'
        f"[reader]\nenabled = {str(settings.reader.enabled).lower()}\n"
        f"candidates = {settings.reader.candidates}\n"
        f"[training]\ntrain = {json.dumps(train)}\nvalid = {json.dumps(valid)}\n"
        f"[moderation]\nmoderators = {list(settings.moderation.moderators)}\n",
        encoding="utf-8",
    )
    return path


def text_pdf(text: str) -> bytes:
    """A one-font PDF whose text layer holds `text` (Cyrillic through a ToUnicode map)."""
    chars = sorted(set(text.replace("\n", "")))
    codes = {c: i + 1 for i, c in enumerate(chars)}
    assert len(codes) < 255
    lines = []
    for n, line in enumerate(text.split("\n")):
        hexed = "".join(f"{codes[c]:02X}" for c in line)
        lines.append(f"BT /F1 11 Tf 40 {800 - 14 * n} Td <{hexed}> Tj ET")
    stream = "\n".join(lines).encode()
    bfchar = "\n".join(f"<{codes[c]:02X}> <{ord(c):04X}>" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Custom def /CMapType 2 def\n"
        "1 begincodespacerange <01> <FF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    widths = " ".join("500" for _ in chars)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 1"
        f" /LastChar {len(chars)} /Widths [{widths}] /ToUnicode 6 0 R >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- the moderator's session in Telegram ------------------------------------------------------


@dataclass
class Session:
    """Drives users against the fake Bot API and keeps the transcript in order."""

    fake: FakeTelegram
    lines: list[tuple[float, str]] = field(default_factory=list)
    seen: int = 0  # bot messages already read

    def __post_init__(self) -> None:
        self.moderator = self.fake.user(MODERATOR, "Модератор")
        self.citizen = self.fake.user(CITIZEN, "Азамат")
        self.moderator_chat = self.fake.private_chat(self.moderator)
        self.citizen_chat = self.fake.private_chat(self.citizen)

    def _note(self, who: str, what: str) -> None:
        self.lines.append((time.monotonic(), f"{who}: {what}"))

    def say(self, text: str, *, citizen: bool = False) -> None:
        """A user writes a message."""
        user, chat = (
            (self.citizen, self.citizen_chat) if citizen else (self.moderator, self.moderator_chat)
        )
        self._note("👤 Азамат" if citizen else "👤 Модератор", text)
        self.fake.user_sends(chat, user, text)

    def upload(self, content: bytes, name: str, caption: str | None = None) -> None:
        """The moderator sends a file."""
        document = self.fake.add_file(content, name, "text/plain")
        extra: dict[str, Any] = {"caption": caption} if caption else {}
        self._note("👤 Модератор", f"[файл {name}, {len(content)} байт]")
        self.fake.user_sends(self.moderator_chat, self.moderator, document=document, **extra)

    def press(self, message: JSON, prefix: str, label: str) -> float:
        """The moderator presses the button whose callback data starts with `prefix`."""
        (data,) = [d for d in button_data(message, prefix)]
        self._note("👤 Модератор", f"[басты: {label}]")
        self.fake.user_presses(message, data, self.moderator)
        return time.monotonic()

    async def reply(self, predicate: Callable[[str], bool], timeout: float = 60) -> JSON:
        """The next bot message (text or caption) matching `predicate`; earlier ones are read."""
        deadline = time.monotonic() + timeout
        while True:
            sent = self.fake.sent()
            for index in range(self.seen, len(sent)):
                message = sent[index]
                text = message.get("text") or message.get("caption") or ""
                if predicate(text):
                    for earlier in sent[self.seen : index + 1]:
                        self._bot_line(earlier)
                    self.seen = index + 1
                    return message
            if time.monotonic() > deadline:
                seen = [m.get("text", "")[:60] for m in sent[self.seen :]]
                raise TimeoutError(f"no matching reply in {timeout} s; unread: {seen}")
            await self.fake_wait()

    async def fake_wait(self) -> None:
        """Give the bot a moment."""
        import asyncio

        await asyncio.sleep(0.02)

    def _bot_line(self, message: JSON) -> None:
        text = message.get("text") or message.get("caption") or ""
        if "photo" in message:
            text = f"[сурет {message['photo'][0]['width']}×{message['photo'][0]['height']}] {text}"
        buttons = [
            b["text"]
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        ]
        if buttons:
            text += "\n   [" + "] [".join(buttons) + "]"
        chat = message["chat"]["id"]
        who = "🤖 → Азамат" if chat == CITIZEN else "🤖 → Модератор"
        self.lines.append((time.monotonic(), f"{who}: {text}"))

    def transcript(self) -> str:
        """Everything said, in order."""
        return "\n".join(line for _, line in sorted(self.lines, key=lambda item: item[0]))


@dataclass
class SessionResult:
    """What the moderator's session showed."""

    declined_before: str
    answer_after: str
    answer_after_undo: str
    confirm_to_added: float  # seconds from pressing ✅ to the bot's "added"
    confirm_to_answer: float  # seconds from pressing ✅ to the first answer quoting the article
    transcript: str


async def moderator_session(fake: FakeTelegram) -> SessionResult:
    """Upload, preview, fill in, confirm, answer, list, undo, report: as people would."""
    s = Session(fake)
    s.say(QUESTION, citizen=True)
    declined = await s.reply(lambda t: bool(t))
    s.say("/articles", citizen=True)
    await s.reply(lambda t: "модераторларға" in t)

    s.upload(ARTICLE.encode(), f"{ARTICLE_ID}.txt")
    await s.reply(lambda t: "алдын ала қарау" in t)
    await s.reply(lambda t: "Дереккөзін" in t)
    s.say("«Егемен Қазақстан» газеті")
    await s.reply(lambda t: "қай жылы" in t)
    s.say("2020")
    preview = await s.reply(lambda t: "алдын ала қарау" in t)
    pressed = s.press(preview, "m:go:", "✅ Қосу")
    await s.reply(lambda t: t.startswith("✅ Мақала қосылды"))
    added_at = time.monotonic()
    s.say(QUESTION, citizen=True)
    answer = await s.reply(lambda t: "Достық" in t or "таппадым" in t)
    answered_at = time.monotonic()

    s.say("/articles")
    await s.reply(lambda t: "Мақалалар" in t)
    s.say(f"/undo {ARTICLE_ID}")
    confirm = await s.reply(lambda t: "Кері қайтарайын ба" in t)
    s.press(confirm, "m:go:", "↩️ Иә, кері қайтару")
    await s.reply(lambda t: t.startswith("↩️"))
    s.say(QUESTION, citizen=True)
    after_undo = await s.reply(lambda t: bool(t))
    s.say("/unanswered")
    await s.reply(lambda t: "Жауап табылмаған" in t)
    s.say("/stats")
    await s.reply(lambda t: "Соңғы" in t)
    return SessionResult(
        declined_before=declined["text"],
        answer_after=answer["text"],
        answer_after_undo=after_undo["text"],
        confirm_to_added=added_at - pressed,
        confirm_to_answer=answered_at - pressed,
        transcript=s.transcript(),
    )
