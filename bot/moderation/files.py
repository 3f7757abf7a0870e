"""Check an uploaded file before anything is stored, and take its text out.

The real type comes from the bytes (magic numbers), never from the name alone; a name that
disagrees with the bytes is refused. Word files are zip archives: their entries are counted and
their unpacked size is bounded before anything is unpacked. PDFs must open without a password
and carry a text layer. Every refusal is a `FileCheckError` whose message a moderator can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from bot.config import ModerationSettings
from bot.moderation import texts
from bot.moderation.htmltext import html_to_text, looks_like_html

MB = 1024 * 1024
TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
EXTENSIONS = TEXT_EXTENSIONS | {".docx", ".pdf"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .docx and old .doc files
_ARCHIVES = {
    b"\x1f\x8b": "gzip",
    b"Rar!\x1a\x07": "rar",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
}
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class FileCheckError(ValueError):
    """A file or text refused before anything was stored; the message says why, in Kazakh."""


@dataclass(frozen=True)
class Limits:
    """How big and how long things may be (from `[moderation]` in config.toml)."""

    max_bytes: int = 10 * MB
    max_unpacked_bytes: int = 50 * MB
    max_ratio: int = 100  # unpacked size / packed size of a Word file
    max_entries: int = 2000
    max_pdf_pages: int = 300
    min_chars: int = 200
    max_chars: int = 300_000

    @classmethod
    def of(cls, settings: ModerationSettings) -> Limits:
        """The limits `[moderation]` in config.toml sets."""
        return cls(
            max_bytes=int(settings.max_file_mb * MB),
            max_unpacked_bytes=int(settings.max_unpacked_mb * MB),
            max_pdf_pages=settings.max_pdf_pages,
            min_chars=settings.min_article_chars,
            max_chars=settings.max_article_chars,
        )


@dataclass(frozen=True)
class Extracted:
    """The text of a file, its real kind, what its own properties say, and what was fixed."""

    text: str
    kind: str  # "text", "docx" or "pdf"
    meta: dict[str, str] = field(default_factory=dict)  # title found in the file's properties
    notes: tuple[str, ...] = ()  # what reading it changed (texts.NOTES keys)


def real_kind(data: bytes) -> str:
    """What the bytes are: pdf, docx, zip, ole, archive, image, or text (anything else)."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if data.startswith(_OLE):
        return "ole"
    if any(data.startswith(magic) for magic in _ARCHIVES):
        return "archive"
    if any(data.startswith(magic) for magic in _IMAGES):
        return "image"
    return "text"


def read_document(name: str, data: bytes, limits: Limits) -> Extracted:
    """Check an uploaded file and return its text; FileCheckError with the reason otherwise."""
    if not data:
        raise FileCheckError(texts.FILE_EMPTY)
    if len(data) > limits.max_bytes:
        raise FileCheckError(too_big(len(data), limits))
    extension = PurePath(name or "").suffix.lower()
    kind = real_kind(data)
    if kind == "zip" and extension == ".docx" and not zipfile.is_zipfile(io.BytesIO(data)):
        # a Word file is a zip archive: this one is cut short or damaged, not "an archive"
        raise FileCheckError(texts.FILE_DOCX_BROKEN)
    if kind in ("zip", "archive"):
        raise FileCheckError(texts.FILE_ARCHIVE)
    if kind == "image":
        raise FileCheckError(texts.FILE_IMAGE)
    if kind == "ole":
        raise FileCheckError(
            texts.FILE_ENCRYPTED_OFFICE if extension == ".docx" else texts.FILE_OLD_DOC
        )
    expected = {".pdf": "pdf", ".docx": "docx"}.get(extension, "text")
    if extension and extension not in EXTENSIONS:
        raise FileCheckError(texts.FILE_UNSUPPORTED)
    if extension and kind != expected:
        raise FileCheckError(
            texts.FILE_MISMATCH.format(extension=extension, real=texts.KIND_NAMES[kind])
        )
    if kind == "pdf":
        extracted = _read_pdf(data, limits)
    elif kind == "docx":
        extracted = _read_docx(data, limits)
    else:
        text, notes = decode_text(data)
        extracted = Extracted(text, "text", notes=notes)
        if looks_like_html(text):
            text, title = html_to_text(text)
            extracted = Extracted(text, "text", {"title": title} if title else {}, (*notes, "html"))
    return Extracted(
        check_text(extracted.text, limits), extracted.kind, extracted.meta, extracted.notes
    )


def too_big(size: int, limits: Limits) -> str:
    """The refusal for a file over the size limit."""
    return texts.FILE_TOO_BIG.format(size=f"{size / MB:.1f}", limit=f"{limits.max_bytes / MB:g}")


def decode_text(data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or the Windows Kazakh code page."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ("utf16",)
        except UnicodeDecodeError:
            raise FileCheckError(texts.FILE_ENCODING) from None
    if b"\x00" in data:
        raise FileCheckError(texts.FILE_BINARY)
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    text = data.decode("kz1048", errors="replace")  # Windows Kazakh: cp1251 plus ә ғ қ ң ө ұ ү һ і
    letters = _LETTER.findall(text)
    if "\ufffd" in text or not letters or len(_CYRILLIC.findall(text)) < 0.6 * len(letters):
        raise FileCheckError(texts.FILE_ENCODING)
    return text, ("kz1048",)


def check_text(text: str, limits: Limits) -> str:
    """Line ends made uniform; refused when empty, too short or long, or not readable text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text)) > max(5, len(text) // 100):
        raise FileCheckError(texts.FILE_BINARY)
    text = _CONTROL.sub("", text)
    stripped = text.strip()
    if len(stripped) < limits.min_chars:
        raise FileCheckError(
            texts.TEXT_TOO_SHORT.format(chars=len(stripped), limit=limits.min_chars)
        )
    if len(stripped) > limits.max_chars:
        raise FileCheckError(
            texts.TEXT_TOO_LONG.format(chars=len(stripped), limit=limits.max_chars)
        )
    letters = len(_LETTER.findall(stripped))
    if letters < 0.5 * len(re.sub(r"\s", "", stripped)):
        raise FileCheckError(texts.TEXT_NOT_READABLE)
    return text


def _read_docx(data: bytes, limits: Limits) -> Extracted:
    """Paragraphs of a Word file, after bounding what unpacking it could produce."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise FileCheckError(texts.FILE_DOCX_BROKEN) from None
    unpacked = sum(info.file_size for info in infos)
    if (
        len(infos) > limits.max_entries
        or unpacked > limits.max_unpacked_bytes
        or unpacked > limits.max_ratio * max(len(data), 1)
    ):
        raise FileCheckError(texts.FILE_BOMB.format(size=f"{unpacked / MB:.0f}"))
    import docx  # python-docx: lxml without entity expansion; zip reads stop at declared sizes

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a damaged package
        raise FileCheckError(texts.FILE_DOCX_BROKEN) from None
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    meta = {}
    title = (document.core_properties.title or "").strip()
    if title:
        meta["title"] = title
    elif paragraphs and _style(paragraphs[0]).startswith(("Title", "Heading")):
        meta["title"] = paragraphs[0].text.strip()
        paragraphs = paragraphs[1:]
    return Extracted("\n\n".join(p.text for p in paragraphs), "docx", meta)


def _style(paragraph: Any) -> str:
    style = paragraph.style
    return str(style.name or "") if style is not None else ""


def _read_pdf(data: bytes, limits: Limits) -> Extracted:
    """The text layer of a PDF; refused when it is locked, too long, or only images."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileCheckError(texts.FILE_PDF_ENCRYPTED)
        pages = reader.pages
        if len(pages) > limits.max_pdf_pages:
            raise FileCheckError(
                texts.FILE_PDF_PAGES.format(pages=len(pages), limit=limits.max_pdf_pages)
            )
        text = "\n\n".join((page.extract_text() or "").strip() for page in pages)
        title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    except FileCheckError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, NotImplementedError):
        raise FileCheckError(texts.FILE_PDF_BROKEN) from None
    except Exception as exc:  # pypdf errors of other kinds (a cipher it cannot use, say)
        if "crypt" in type(exc).__name__.lower() or "AES" in str(exc):
            raise FileCheckError(texts.FILE_PDF_ENCRYPTED) from None
        raise FileCheckError(texts.FILE_PDF_BROKEN) from None
    if len(_LETTER.findall(text)) < max(50, 20 * len(pages)):  # scans: no text layer
        raise FileCheckError(texts.FILE_PDF_NO_TEXT)
    return Extracted(text, "pdf", {"title": title} if title else {})
