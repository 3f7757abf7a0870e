"""Restoring a question's Kazakh spelling from the articles' own words.

A question typed on a Russian keyboard (`халкы`, `максаты`) or converted from Latin script loses the
letters ә ғ қ ң ө ұ ү һ і; the lexical retriever does not mind (it folds both sides), but the dense
model reads such words as different, half-Russian words. Each question word the articles do not use
is replaced by the article word that folds to the same letters, or, for a longer word, by the one
article word a single typo away.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from index.fold import fold

_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"


class Speller:
    """Knows the articles' words; fixes a question's spelling towards them."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        self.words = set(counts)
        self._by_fold: dict[str, str] = {}
        for word, _ in counts.most_common():
            self._by_fold.setdefault(fold(word, level=2), word)

    def _fix(self, word: str) -> str:
        lower = word.lower()
        if lower in self.words:
            return word
        folded = fold(lower, level=2)
        found = self._by_fold.get(folded)
        if found is None and len(folded) >= 6:
            found = self._one_typo(folded)
        if found is None:
            return word
        return found.capitalize() if word[:1].isupper() else found

    def _one_typo(self, folded: str) -> str | None:
        """The only article word one deletion, insertion, swap or substitution away."""
        candidates = set()
        for i in range(len(folded) + 1):
            head, tail = folded[:i], folded[i:]
            if tail:
                candidates.add(head + tail[1:])
                if len(tail) > 1:
                    candidates.add(head + tail[1] + tail[0] + tail[2:])
            for letter in _LETTERS:
                candidates.add(head + letter + tail)
                if tail:
                    candidates.add(head + letter + tail[1:])
        found = {self._by_fold[c] for c in candidates if c in self._by_fold}
        return found.pop() if len(found) == 1 else None

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
