"""From checked text to a draft article: title, source and year found where they can be,
an id, and the figures a moderator sees before confirming (length, chunks, repairs)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePath

from bot.moderation.files import Extracted
from index.articles import FIELDS, Article, ArticleFormatError, check_id, parse_article
from index.chunking import chunk_sentences
from index.lang import detect_language
from index.normalize import repair
from index.sentences import split_sentences

MAX_TITLE = 300
MAX_SOURCE = 500
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_SOURCE_LINE = re.compile(r"^(дереккөз|дерек көзі|источник|source)\s*[:\-—]\s*(.+)$", re.I)
_URL_LINE = re.compile(r"^https?://\S+$")
_TO_LATIN = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
        **dict(zip("әғқңөұүһі", "agqnouuhi", strict=True)),
        "ё": "yo",
        "ж": "zh",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ю": "yu",
        "я": "ya",
        "ъ": "",
        "ь": "",
    }
)


@dataclass(frozen=True)
class Draft:
    """An article a moderator is about to add or replace; title and source may be missing."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    year: int | None = None
    lang: str = "kk"
    notes: tuple[str, ...] = ()
    replaces: int | None = None  # the current version of the article it would replace

    @property
    def missing(self) -> list[str]:
        """Required fields still empty, in the order they are asked for."""
        return [name for name in ("title", "source") if not getattr(self, name)]

    def article(self) -> Article:
        """The article to store; ArticleFormatError when something required is missing."""
        article = Article(self.id, self.title, self.source, self.year, self.lang, self.text)
        if parse_article(self.id, article.to_markdown()) != article:
            raise ArticleFormatError(f"{self.id}: the article does not survive its file form")
        return article


@dataclass(frozen=True)
class Summary:
    """What the index will make of the text."""

    chars: int
    sentences: int
    chunks: int
    fixes: dict[str, int]


def slug(text: str) -> str:
    """An article id from a title or file name: Latin letters, digits and hyphens."""
    latin = text.lower().translate(_TO_LATIN)
    words = re.sub(r"[^a-z0-9]+", " ", latin).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > 48:
            break
        out = f"{out}-{word}" if out else word
    return out or "article"


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`... when it is taken."""
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def clean_field(value: str, limit: int) -> str | None:
    """One line of at most `limit` characters, or None when it does not fit."""
    value = " ".join(value.split())
    return value if 0 < len(value) <= limit else None


_LETTER = re.compile(r"[^\W\d_]")


def not_an_answer(name: str, value: str) -> str | None:
    """Why a message cannot be the title or source the bot asked for ("question": the
    moderator asked the bot something; "no_words": a number or a sign), or None when it can."""
    if name not in ("title", "source"):
        return None
    if not _LETTER.search(value):
        return "no_words"
    if name == "source" and value.strip().endswith("?") and "://" not in value:
        return "question"
    return None


def parse_year(value: str) -> int | None:
    """A year such as 2015 written alone, or None."""
    value = value.strip().rstrip(".").removesuffix("ж").removesuffix("жыл").strip()
    return int(value) if value.isdigit() and 1800 <= int(value) <= 2100 else None


def _front_matter(text: str) -> tuple[dict[str, str], str, bool]:
    """Fields of a leading front-matter block, the text after it, and whether the block was
    broken (not closed, or a line that is not `field: value`): a moderator must hear of it."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, False
    end = next((i for i in range(1, min(len(lines), 20)) if lines[i].strip() == "---"), None)
    if end is None:
        return {}, text, True
    meta, broken = {}, False
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if sep and key.strip() in FIELDS and value.strip():
            meta[key.strip()] = value.strip()
        elif line.strip():
            broken = True
    if "year" in meta and parse_year(meta["year"]) is None:
        del meta["year"]
        broken = True
    return meta, "\n".join(lines[end + 1 :]), broken


def _title_line(text: str) -> tuple[str, str]:
    """A first line that reads as a title (short, no final full stop), and the rest."""
    body = text.lstrip()
    first, _, rest = body.partition("\n")
    heading = first.lstrip("#").strip()
    if first.startswith("#") or (
        0 < len(heading) <= 200 and not heading.endswith((".", ",", ";", ":")) and rest.strip()
    ):
        return heading, rest.lstrip("\n")
    return "", text


def _edge_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return lines[:3] + lines[-3:]


def make_draft(
    extracted: Extracted,
    *,
    file_name: str,
    caption: str,
    versions: dict[str, int | None],
    current: Mapping[str, tuple[str, str, int | None]] | None = None,
) -> Draft:
    """A draft from checked text. `versions` maps every known id to its current version (None
    when removed), `current` to its title, source and year. The draft replaces an article when
    the caption or the file name is its id, and keeps its title, source and year unless the
    file gives them."""
    notes = list(extracted.notes)
    meta, text, broken = _front_matter(extracted.text)
    if meta.get("title") or meta.get("source"):
        notes.append("front_matter")
    if broken:
        notes.append("front_matter_broken")
    stem = PurePath(file_name).stem.lower() if file_name else ""
    target = next((c for c in (caption.strip(), stem) if c in versions), None)
    kept = (current or {}).get(target or "")
    title = meta.get("title") or extracted.meta.get("title", "")
    if not title and kept is not None:  # a replacement keeps what the file does not say
        title = kept[0]
        first, _, rest = text.lstrip().partition("\n")
        if first.lstrip("#").strip() == title:
            text = rest.lstrip("\n")
    elif not title:
        title, text = _title_line(text)
        if title:
            notes.append("title_line")
    source = meta.get("source", "") or (kept[1] if kept else "")
    year = parse_year(meta.get("year", "")) or (kept[2] if kept else None)
    if kept is not None and not (meta.get("title") or meta.get("source") or meta.get("year")):
        notes.append("kept_fields")
    for line in _edge_lines(text):
        if not source and (match := _SOURCE_LINE.match(line)):
            source = match[2]
        elif not source and _URL_LINE.match(line):
            source = line
        if year is None and len(line) <= 60 and (found := _YEAR.search(line)):
            year = int(found[1])
    if target is not None:
        article_id, replaces = target, versions[target]
    else:
        try:
            article_id = check_id(stem) if len(stem) >= 3 else ""
        except ArticleFormatError:
            article_id = ""
        article_id = unique_id(article_id or slug(title or stem), versions)
        replaces = None
    return Draft(
        id=article_id,
        text=text.strip("\n"),
        title=clean_field(title, MAX_TITLE) or "",
        source=clean_field(source, MAX_SOURCE) or "",
        year=year,
        lang=meta.get("lang") or detect_language(text[:3000]),
        notes=tuple(notes),
        replaces=replaces,
    )


def summarize(
    text: str, count_tokens: Callable[[str], int], *, max_tokens: int, overlap: int
) -> Summary:
    """Length, sentences, chunks and repairs, exactly as a build would make them."""
    repaired = repair(text)
    spans = split_sentences(repaired.text)
    chunks = chunk_sentences(
        repaired.text, spans, count_tokens, max_tokens=max_tokens, overlap=overlap
    )
    return Summary(len(text.strip()), len(spans), len(chunks), repaired.fixes)


def changes(old: str, new: str, limit: int = 5, context: int = 2) -> list[tuple[str, str]]:
    """Where a replacement's text differs from the current one: up to `limit` pairs of
    (before, after), each with `context` words around the change («мыңнан» → «екі мыңнан»)."""
    a, b = old.split(), new.split()
    pairs = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start_a, start_b = max(0, i1 - context), max(0, j1 - context)
        before = " ".join(a[start_a : min(len(a), i2 + context)])
        after = " ".join(b[start_b : min(len(b), j2 + context)])
        pairs.append((before, after))
        if len(pairs) >= limit:
            break
    return pairs


def with_field(draft: Draft, name: str, value: str) -> Draft | None:
    """The draft with one field set from a moderator's message; None when the value is wrong."""
    if name == "year":
        year = parse_year(value)
        return None if year is None else replace(draft, year=year)
    limit = MAX_TITLE if name == "title" else MAX_SOURCE
    cleaned = clean_field(value, limit)
    if cleaned is None:
        return None
    return replace(draft, title=cleaned) if name == "title" else replace(draft, source=cleaned)
