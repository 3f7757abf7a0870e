"""Articles as Markdown files a moderator can edit: front matter, then the text as written."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("title", "source", "year", "lang")
REQUIRED = ("title", "source")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class ArticleFormatError(ValueError):
    """A content file that cannot be read as an article; the message says what to fix."""


@dataclass(frozen=True)
class Article:
    """One source article: its id is the file's stem; `text` is exactly what its author wrote."""

    id: str
    title: str
    source: str
    year: int | None
    lang: str
    text: str

    @property
    def content_hash(self) -> str:
        """Changes whenever the text or any front-matter field changes."""
        digest = hashlib.sha256(self.to_markdown().encode("utf-8"))
        return digest.hexdigest()

    def to_markdown(self) -> str:
        """The file form: front matter, then the untouched text."""
        lines = ["---", f"title: {self.title}", f"source: {self.source}"]
        if self.year is not None:
            lines.append(f"year: {self.year}")
        lines += [f"lang: {self.lang}", "---", ""]
        return "\n".join(lines) + self.text


def check_id(article_id: str) -> str:
    """Ids are file names: lower-case Latin letters, digits and hyphens."""
    if not _SLUG.match(article_id):
        raise ArticleFormatError(
            f"article id {article_id!r}: use lower-case Latin letters, digits and hyphens"
        )
    return article_id


def parse_article(article_id: str, markdown: str) -> Article:
    """Read one article file's text; raise ArticleFormatError naming the problem."""
    check_id(article_id)
    if markdown.startswith("\ufeff"):
        markdown = markdown[1:]
    lines = markdown.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ArticleFormatError(f"{article_id}: the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ArticleFormatError(f"{article_id}: the front matter has no closing '---'") from None
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in FIELDS:
            raise ArticleFormatError(
                f"{article_id}, line {number}: expected one of {', '.join(FIELDS)} as 'name: value'"
            )
        meta[key] = value.strip()
    missing = [f for f in REQUIRED if not meta.get(f)]
    if missing:
        raise ArticleFormatError(f"{article_id}: missing {', '.join(missing)}")
    year = meta.get("year") or None
    if year is not None and not (year.isdigit() and 1800 <= int(year) <= 2100):
        raise ArticleFormatError(f"{article_id}: year must be a year such as 2015, not {year!r}")
    text = "\n".join(lines[end + 1 :])
    if not text.strip():
        raise ArticleFormatError(f"{article_id}: the article has no text")
    return Article(
        id=article_id,
        title=meta["title"],
        source=meta["source"],
        year=int(year) if year else None,
        lang=meta.get("lang") or "kk",
        text=text,
    )


def read_article(path: Path) -> Article:
    """Read `content/articles/<id>.md`."""
    try:
        markdown = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(f"{path.name}: not UTF-8 text") from exc
    return parse_article(path.stem, markdown)


def read_content_dir(folder: Path) -> list[Article]:
    """Every article of the content folder, sorted by id; one bad file stops the build loudly."""
    return [read_article(path) for path in sorted(folder.glob("*.md"))]


def _sync_dir(folder: Path) -> None:
    """Make a rename or a deletion in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_article(folder: Path, article: Article) -> Path:
    """Write `<id>.md` atomically: a temporary file, fsync, rename, fsync the folder.

    A crash at any moment leaves either the old file or the new one, whole. The temporary
    name does not end in .md, so a build never reads it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{check_id(article.id)}.md"
    tmp = folder / f".{article.id}.md.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(article.to_markdown())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _sync_dir(folder)
    return path


def delete_article(folder: Path, article_id: str) -> bool:
    """Delete `<id>.md` durably; False when there was no such file."""
    path = folder / f"{check_id(article_id)}.md"
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _sync_dir(folder)
    return True
