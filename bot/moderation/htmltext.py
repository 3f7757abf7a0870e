"""Web pages saved as files: their text without the markup, their title from <title> or the
first heading. A moderator who saves an article from a site should get the article, not
«<h1>Тест</h1>» as its title."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

_HTML: Final = re.compile(
    r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b|<(?:h[1-6]|p|div)\b)", re.I
)
_BLOCKS: Final = frozenset(
    str.split(
        "p div br li tr h1 h2 h3 h4 h5 h6 title section article header footer blockquote ul ol"
        " table"
    )
)
_SKIPPED: Final = frozenset({"script", "style", "noscript", "template"})


def looks_like_html(text: str) -> bool:
    """Whether a text file is a web page (it starts with markup)."""
    return bool(_HTML.match(text[:2000]))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" or (tag == "h1" and not self.title):
            self._in = tag
        if tag in _SKIPPED:
            self._skip += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self._skip:
            self._skip -= 1
        if tag == self._in:
            self._in = None
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in and not self.title:
            self.title = " ".join(data.split())
        if not self._skip and self._in != "title":
            self.parts.append(data)


def html_to_text(page: str) -> tuple[str, str]:
    """The page's text, a paragraph a line, and its title ("" when it has none)."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n\n".join(line for line in lines if line), parser.title
