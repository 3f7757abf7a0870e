"""Turn an engine `Answer` into the text a person reads: Telegram HTML or plain text."""

from __future__ import annotations

from html import escape

from index.answer import Answer, Quote, Source

_DECLINE = {
    "kk": "Кешіріңіз, бұл сұрақтың жауабын мақалалардан таппадым.",
    "ru": "К сожалению, в статьях нет ответа на этот вопрос.",
}
_INTRODUCE = {
    "kk": "Мен Қазақстан халқы Ассамблеясы туралы сұрақтарға мақалалардан үзінді келтіріп "
    "жауап беремін.",
    "ru": "Я отвечаю на вопросы об Ассамблее народа Казахстана цитатами из статей.",
}
_SUGGEST = {
    "kk": "Мына тақырыптар бойынша сұрай аласыз:",
    "ru": "Спросите, например, об этом:",
}
_RU_NOTE = "Ответ — цитата из статьи на казахском языке:"


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
    lang = answer.lang if answer.lang in _DECLINE else "kk"
    if not answer.answered:
        lines = [(_INTRODUCE if answer.small_talk else _DECLINE)[lang]]
        if answer.suggestions:
            lines.append(_SUGGEST[lang])
            lines.extend(f"• {escape(s) if html else s}" for s in answer.suggestions)
        return _fit("\n".join(lines), limit)
    blocks = [_RU_NOTE] if lang == "ru" else []
    for quote in answer.quotes:
        block = render_quote(quote, html=html)
        candidate = "\n\n".join([*blocks, block])
        if limit is not None and len(candidate) > limit and len(blocks) > (lang == "ru"):
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
    words, body = quote.text.split(), ""
    for word in words:
        piece = escape(word) if html else word
        if len(body) + len(piece) + 2 > room:
            break
        body = f"{body} {piece}" if body else piece
    body += " …"
    parts = [head] if head else []
    parts.append(f"{wrap[0]}{body}{wrap[1]}\n{sources}")
    return "\n\n".join(parts)


def _fit(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rsplit("\n", 1)[0] + "\n…"
