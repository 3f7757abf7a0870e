"""Everything a citizen reads, built from the engine's answers: quotes with their sources, the
polite refusal, a whole passage, the list of articles. Telegram HTML, or plain text for the
terminal chat and `ask`; always within the length it is given."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from bot.answers import texts
from bot.telegram.fit import TEXT_LIMIT, cut_at_word, pack
from index.answer import Answer, ArticleInfo, Passage, Quote, Source


def source_line(sources: tuple[Source, ...], *, html: bool) -> str:
    """Name every article a quote comes from, with its year when known."""
    parts = []
    for source in sources:
        title = escape(source.title) if html else source.title
        if html:
            title = f"<i>{title}</i>"
        parts.append(f"{title} ({source.year})" if source.year else title)
    return "— " + "; ".join(parts)


def render_quote(quote: Quote, *, html: bool) -> str:
    """One quote with its sources under it."""
    body = f"<blockquote>{escape(quote.text)}</blockquote>" if html else f"«{quote.text}»"
    return f"{body}\n{source_line(quote.sources, html=html)}"


def render_answer(answer: Answer, *, html: bool = False, limit: int | None = None) -> str:
    """The whole reply: the quotes best first, or a plain refusal with topics to ask about.

    With `limit`, quotes that would push the reply past it are left out whole (the first one
    is cut at a word boundary), so the reply never breaks in the middle of a tag.
    """
    lang = answer.lang if answer.lang in texts.LANGS else texts.KK
    if not answer.answered:
        lines = [texts.pick(texts.INTRODUCE if answer.small_talk else texts.DECLINE, lang)]
        if answer.suggestions and html:  # Telegram: the questions are buttons under the reply
            lines.append(texts.pick(texts.SUGGEST_BUTTONS, lang))
        elif answer.suggestions:
            lines.append(texts.pick(texts.SUGGEST, lang))
            lines.extend(f"• {s}" for s in answer.suggestions)
        return _fit("\n".join(lines), limit)
    blocks = [texts.RU_NOTE] if lang == texts.RU else []
    for quote in answer.quotes:
        block = render_quote(quote, html=html)
        candidate = "\n\n".join([*blocks, block])
        if limit is not None and len(candidate) > limit and len(blocks) > (lang == texts.RU):
            break
        blocks.append(block)
    text = "\n\n".join(blocks)
    if limit is not None and len(text) > limit:
        text = _shorten_single(answer.quotes[0], html=html, limit=limit, prefix=blocks[:-1])
    return text


def _shorten_single(quote: Quote, *, html: bool, limit: int, prefix: list[str]) -> str:
    """Cut one over-long quote at a word boundary so the reply fits `limit`."""
    head = "\n\n".join(prefix)
    sources = source_line(quote.sources, html=html)
    wrap = ("<blockquote>", "</blockquote>") if html else ("«", "»")
    room = limit - len(head) - len(sources) - len(wrap[0]) - len(wrap[1]) - 4
    body = cut_at_word(quote.text, room, html=html)
    parts = [head] if head else []
    parts.append(f"{wrap[0]}{body}{wrap[1]}\n{sources}")
    return "\n\n".join(parts)


def _fit(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rsplit("\n", 1)[0] + "\n…"


def render_for_telegram(answer: Answer, header: str | None = None) -> str:
    """An answer as Telegram HTML within the message limit, optionally under a header."""
    if header is None:
        return render_answer(answer, html=True, limit=TEXT_LIMIT)
    body = render_answer(answer, html=True, limit=TEXT_LIMIT - len(header) - 2)
    return f"{header}\n\n{body}"


def render_passage(passage: Passage, lang: str) -> str:
    """A whole passage as a blockquote with its source, within the message limit."""
    header = texts.pick(texts.PASSAGE_HEADER, lang)
    source = source_line((passage.source,), html=True)
    room = TEXT_LIMIT - len(header) - len(source) - len("<blockquote></blockquote>") - 4
    body = cut_at_word(passage.text, room, html=True)
    return f"{header}\n<blockquote>{body}</blockquote>\n{source}"


# A file name in a source («…жинағы, 002_c2d10f7e9086d3ff.txt»): where a moderator's file came
# from, which tells a citizen nothing.
_FILE_NAME = re.compile(r"[,;:]?\s*[\w.-]+\.(?:txt|md|docx?|pdf|html?|rtf|odt)\b", re.IGNORECASE)


def source_name(source: str) -> str:
    """Where an article was published, as a citizen should read it (no file names)."""
    if urlsplit(source.strip()).scheme in ("http", "https"):
        return source.strip()
    return _FILE_NAME.sub("", source).strip(" ,;:—-")


def render_article(number: int, article: ArticleInfo) -> str:
    """One line of /sources: title, year, and where it was published."""
    line = f"{number}. <i>{cut_at_word(article.title, 300, html=True)}</i>"
    if article.year:
        line += f" ({article.year})"
    source = source_name(article.source or "")
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        line += f' — <a href="{escape(source, quote=True)}">{escape(parts.netloc)}</a>'
    elif source:
        line += f" — {cut_at_word(source, 200, html=True)}"
    return line


def render_sources(articles: list[ArticleInfo], lang: str) -> list[str]:
    """/sources: every article, oldest first (undated last), in as few messages as fit."""
    ordered = sorted(articles, key=lambda a: (a.year is None, a.year or 0, a.title))
    header = texts.pick(texts.SOURCES_HEADER, lang).format(count=len(ordered))
    return pack(header, [render_article(n, a) for n, a in enumerate(ordered, start=1)])


def render_help(username: str, lang: str) -> str:
    """/help, naming the bot as a group member would mention it."""
    return texts.pick(texts.HELP, lang).format(mention=escape(f"@{username}"))


def render_more_header(question: str, lang: str) -> str:
    """The header above further quotes for an earlier question («тағы?»)."""
    return texts.pick(texts.MORE_HEADER, lang).format(
        question=cut_at_word(question, 300, html=True)
    )


def render_question(question: str) -> str:
    """The header repeating an example question above its answer."""
    return texts.QUESTION_HEADER.format(question=escape(question))
