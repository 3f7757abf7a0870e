"""Which quotes to show next for a question already answered: «тағы?» and «📚 Басқа
дереккөздер». People asking for more want what they have not read yet, and other articles
before more of the same one."""

from __future__ import annotations

from index.answer import Answer, Quote

# Quotes a follow-up shows at once.
MORE_AT_ONCE = 2
# Another article's quote goes first only when it scores this close to the best one left: a
# weak quote that merely shares a word («ашылды») is no answer, whatever article it is from.
CLOSE_ENOUGH = 0.85


def _articles(quotes: tuple[Quote, ...] | list[Quote]) -> set[str]:
    return {s.article for q in quotes for s in q.sources}


def other_articles(answer: Answer) -> tuple[Quote, ...]:
    """The further quotes that come from articles none of the shown quotes names."""
    shown = _articles(answer.quotes)
    return tuple(q for q in answer.others if not _articles([q]) & shown)


def next_quotes(answer: Answer, shown: list[str], count: int = MORE_AT_ONCE) -> tuple[Quote, ...]:
    """Up to `count` quotes not shown yet (by text), best first; among those scoring close to
    the best, other articles before the articles already quoted."""
    quotes = [*answer.quotes, *answer.others]
    seen = [q for q in quotes if q.text in shown]
    fresh = sorted((q for q in quotes if q.text not in shown), key=lambda q: -q.score)
    if not fresh:
        return ()
    quoted, best = _articles(seen), fresh[0].score
    fresh.sort(key=lambda q: q.score < CLOSE_ENOUGH * best or bool(_articles([q]) & quoted))
    return tuple(fresh[:count])
