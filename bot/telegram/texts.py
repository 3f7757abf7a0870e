"""The languages of the bot and the few texts every feature shows (stale buttons, slowing
down, errors). Each feature keeps its own texts in its own `texts` module.

Kazakh is the default; Russian is used once the user has asked a question in Russian (the
engine tells which). Texts are plain (no HTML) and fit a button's notice (200 characters).
"""

from __future__ import annotations

from typing import Final

KK: Final = "kk"
RU: Final = "ru"
LANGS: Final = (KK, RU)


def pick(table: dict[str, str], lang: str | None) -> str:
    """The text in the user's language, Kazakh when unknown."""
    return table.get(lang or KK, table[KK])


STALE_BUTTON = {
    KK: "Бұл батырма ескірген. Сұрағыңызды қайта жіберіңіз.",
    RU: "Эта кнопка устарела. Задайте вопрос ещё раз.",
}
SLOW_DOWN = {
    KK: "Тым жиі басып жатырсыз. Сәл күте тұрыңыз.",
    RU: "Слишком часто. Подождите немного.",
}
TIMEOUT = {
    KK: "Кешіріңіз, жауап іздеу тым ұзаққа созылды. Сәл кейінірек қайталап көріңіз.",
    RU: "Извините, поиск ответа занял слишком много времени. Попробуйте чуть позже.",
}
ERROR = {
    KK: "Кешіріңіз, бір қате шықты. Сәл кейінірек қайталап көріңіз.",
    RU: "Извините, что-то пошло не так. Попробуйте чуть позже.",
}
