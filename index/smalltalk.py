"""Telling a greeting or a thank-you from a question: people open and close chats with them.

Such a message asks nothing of the articles, so it is neither searched nor recorded as a question
the articles failed to answer; the reply greets back and says what the bot can do.
"""

from __future__ import annotations

import re

from index.fold import fold
from index.translit import to_cyrillic

__all__ = ["GREETINGS", "SMALL_TALK_WORDS", "is_small_talk"]

# Hello and thanks, which carry no topic in a question either (the lexical index drops them).
# In level-2 folded spelling (so Russian-keyboard and Latin typing match too), like the rest.
GREETINGS = frozenset(str.split("салем салеметсиз салеметсизбе рахмет привет здравствуите спасибо"))
# Greetings, thanks, farewells, "how are you", "who are you": Kazakh and Russian.
SMALL_TALK_WORDS = GREETINGS | frozenset(
    str.split(
        "саламатсизба сау саумисиз сауммисиз ассалаумагалеикум салам рахмат кош болиниз бол"
        " калин калаи калаисин калаисиз жаксимисин жаксимисиз жаксисин кандаисин кандаисиз сен"
        " сиз кимсин кимсиз ким не исте истеисин истеисиз мен да бе ба ма ме жаксы жакси кутти"
        " таниспиз айиптама здравствуи добрии ден утро вечер благодариу пока до свидание"
        " свидании как дела ти вии кто ето"
    )
)
_WORD = re.compile(r"[^\W\d_]+")


def is_small_talk(text: str) -> bool:
    """True when every word of the message is a greeting, thanks or small-talk word."""
    words = _WORD.findall(fold(to_cyrillic(text), level=2))
    return bool(words) and all(w in SMALL_TALK_WORDS for w in words)
