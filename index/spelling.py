"""Restoring a question's Kazakh spelling from the articles' own words.

A question typed on a Russian keyboard (`халкы`, `максаты`) or converted from Latin script loses the
letters ә ғ қ ң ө ұ ү һ і; the lexical retriever does not mind (it folds both sides), but the dense
model reads such words as different, half-Russian words. Each question word the articles do not use
is replaced by the article word that folds to the same letters, or with a doubled letter typed once
(барр → бар), or, for a longer word, by the article word a single typo away (the clearly most
frequent one when several are). Question words, which articles seldom use, are known too.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable

from index.fold import fold
from index.smalltalk import SMALL_TALK_WORDS
from index.stem import stem
from index.tokens import STOPWORDS

_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
_KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_DOUBLED = re.compile(r"(.)\1+")
# Words of questions rather than of articles, so that their typos are fixed too (нешее → неше).
QUESTION_WORDS = frozenset(
    str.split(
        "неше нешеу нешінші қанша қашан қандай қалай қайда қай қайсы кім кімнің кімге кімді не"
        " неге немен неден туралы жайлы бойы жатыр бар жоқ ма ме ба бе па пе"
    )
)
# A typo is fixed to the most frequent candidate only when it is this many times as frequent as
# the next one; otherwise the word is left alone.
_CLEAR_LEAD = 3


def _edits(word: str) -> set[str]:
    """Every spelling one deletion, swap of neighbours, insertion or substitution away."""
    edits = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            edits.add(head + tail[1:])
            if len(tail) > 1:
                edits.add(head + tail[1] + tail[0] + tail[2:])
        for letter in _LETTERS:
            edits.add(head + letter + tail)
            if tail:
                edits.add(head + letter + tail[1:])
    return edits


class Speller:
    """Knows the articles' words; fixes a question's spelling towards them."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        counts.update(w for w in QUESTION_WORDS if w not in counts)
        self.words = set(counts)
        self._count_of_fold: Counter[str] = Counter()
        self._by_fold: dict[str, str] = {}
        self._by_stem: dict[str, str] = {}  # the most frequent article word of each stem
        self._stem_list: list[str] = []  # the same stems, sorted (for "begins with")
        for word, count in counts.most_common():
            self._by_fold.setdefault(fold(word, level=2), word)
            self._by_stem.setdefault(stem(fold(word, level=2)), word)
            self._count_of_fold[fold(word, level=2)] += count
        self._stem_list = sorted(self._by_stem)
        self._stem_heads = {root[:4] for root in self._by_stem}

    def _fix(self, word: str) -> str:
        lower = word.lower()
        if lower in self.words:
            return word
        folded = fold(lower, level=2)
        found = self._by_fold.get(folded)
        if found is None and (folded in STOPWORDS or folded in SMALL_TALK_WORDS):
            return word  # a function or greeting word: no typo
        if found is None and stem(folded) in self._by_stem:
            return self._respell(word, self._by_stem[stem(folded)])
        found = found or self._by_fold.get(_DOUBLED.sub(r"\1", folded))
        if found is None and len(folded) >= 6:
            found = self._one_typo(folded)
        if found is None and len(folded) >= 7:
            found = self._typo_in_form(lower)
        if found is None:
            return word
        return found.capitalize() if word[:1].isupper() else found

    @staticmethod
    def _respell(word: str, model: str) -> str:
        """Another form of an article word, typed without Kazakh letters: spell the beginning it
        shares with the article word as the article does (алгашында → алғашында)."""
        if _KAZAKH_LETTERS.search(word):
            return word  # typed with Kazakh letters: an unseen ending is no typo
        typed, known = fold(word.lower()), fold(model)
        shared = next(
            (i for i, (a, b) in enumerate(zip(typed, known, strict=False)) if a != b),
            min(len(typed), len(known)),
        )
        if shared < 3:
            return word
        head = model[:shared]
        return (head.capitalize() if word[:1].isupper() else head) + word[shared:]

    def _one_typo(self, folded: str) -> str | None:
        """The article word one deletion, insertion, swap or substitution away: the only one, or
        one clearly more frequent than the others."""
        candidates = _edits(folded)
        known = sorted(
            (c for c in candidates if c in self._by_fold),
            key=self._count_of_fold.__getitem__,
            reverse=True,
        )
        if not known:
            return None
        if (
            len(known) > 1
            and self._count_of_fold[known[0]] < _CLEAR_LEAD * self._count_of_fold[known[1]]
        ):
            return None
        return self._by_fold[known[0]]

    def _typo_in_form(self, lower: str) -> str | None:
        """An unseen form of an article word with one typo (алғашынад, мәжілсіке): the one-edit
        spelling whose stem (at least half the word) the articles use, the longest such stem
        winning, an article word or the shortest spelling preferred; None on a tie, or when an
        article stem begins with the word's own (өзгеріп beside өзгеріс: no typo)."""
        own = stem(fold(lower, level=2))
        i = bisect.bisect_left(self._stem_list, own)
        if i < len(self._stem_list) and self._stem_list[i].startswith(own):
            return None
        by_stem: dict[str, list[str]] = {}
        for candidate in _edits(lower):
            folded = fold(candidate, level=2)
            if folded[:4] not in self._stem_heads:
                continue  # no article stem begins so: skip the costly stemming
            root = stem(folded)
            # a stem short against the word would "correct" words the articles never use
            if len(root) >= max(5, len(folded) / 2) and root in self._by_stem:
                by_stem.setdefault(root, []).append(candidate)
        if not by_stem:
            return None
        longest = max(map(len, by_stem))
        roots = [root for root in by_stem if len(root) == longest]
        if len(roots) > 1:
            return None
        return min(
            by_stem[roots[0]],
            key=lambda c: (c not in self.words, fold(c, level=2) not in self._by_fold, len(c), c),
        )

    def restore(self, text: str, *, names_only: bool = False) -> str:
        """The question with each unknown word replaced by its article spelling, where one exists.

        With `names_only` (a Russian question), only capitalised words after the first are tried:
        Kazakh names written the Russian way (Жансеит Туймебаев).
        """

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            if names_only and (match.start() == 0 or not word[:1].isupper()):
                return word
            return self._fix(word)

        return _WORD.sub(fix, text)
