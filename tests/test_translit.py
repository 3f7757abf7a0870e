"""Latin-script Kazakh to Cyrillic, measured by round trips over the repaired seed articles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index.fold import fold
from index.normalize import repair
from index.sentences import split_sentences
from index.translit import Alphabet, script_of, to_cyrillic, to_latin

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))  # the seed articles as delivered
DEV = FIXTURES / "dev.jsonl"
WORD = re.compile(r"[^\W\d_]+")


def _sentences() -> list[str]:
    out: list[str] = []
    for path in SEEDS:
        text = repair(path.read_text(encoding="utf-8")).text
        out += [text[a:b] for a, b in split_sentences(text)]
    return out


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Assambleia qandai jarlyqpen quryldy?", "Ассамблея қандай жарлықпен қурылды?"),
        (
            "Qazaqstanda neshe etnomadeni birlestik bar?",
            "Қазақстанда неше этномадені бірлестік бар?",
        ),
        ("Qazaqstan Respýblıkasynyń Prezıdenti", "Қазақстан Республикасының Президенті"),
        ("Qazaqstan Respublikasynyñ Prezidentı", "Қазақстан Республикасының Президенті"),
        (
            "Qazaqstan halqy Assambleıasy qashan quryldy?",
            "Қазақстан халқы Ассамблеясы қашан қурылды?",
        ),
        ("Kazakhstan khalky assambleyasy", "Қазақстан халкы ассамблеясы"),
        ("QHA turaly", "ҚХА туралы"),
    ],
)
def test_examples(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_dev_latin_questions_fold_like_the_articles() -> None:
    latin = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    latin = [item for item in latin if item["cat"] == "D"]
    assert latin  # the set has Latin-script questions to check
    for item in latin:
        assert script_of(to_cyrillic(item["q"])) == "cyrillic"
    assert fold(to_cyrillic("Assambleia qandai jarlyqpen quryldy?"), 2) == fold(
        "Ассамблея қандай жарлықпен құрылды?", 2
    )
    assert fold(to_cyrillic("Qazaqstanda neshe etnomadeni birlestik bar?"), 2) == fold(
        "Қазақстанда неше этномәдени бірлестік бар?", 2
    )


@pytest.mark.parametrize(
    "text",
    [
        "IT",
        "iPhone",
        "WhatsApp",
        "https://akorda.kz/kk",
        "info@akorda.kz",
        "COVID-19",
        "Telegramда",
    ],
)
def test_non_kazakh_latin_is_left_alone(text: str) -> None:
    assert to_cyrillic(f"Бұл {text} туралы") == f"Бұл {text} туралы"


def test_cyrillic_and_numbers_untouched() -> None:
    text = "Ассамблея 1995 жылы құрылды."
    assert to_cyrillic(text) == text


def test_script_of() -> None:
    assert script_of("Ассамблея") == "cyrillic"
    assert script_of("Assambleia") == "latin"
    assert script_of("IT саласы") == "mixed"
    assert script_of("2024 ?!") == "none"


@pytest.mark.parametrize(
    ("alphabet", "exact", "folded"),
    [("2018", 0.98, 0.999), ("2021", 0.98, 0.999), ("chat", 0.45, 0.998)],
)
def test_round_trip_over_the_corpus(alphabet: Alphabet, exact: float, folded: float) -> None:
    """Every seed sentence to Latin and back, the alphabet guessed per sentence."""
    n = same = same_folded = 0
    for sentence in _sentences():
        orig = [w.lower() for w in WORD.findall(sentence)]
        back = [w.lower() for w in WORD.findall(to_cyrillic(to_latin(sentence, alphabet)))]
        assert len(orig) == len(back)
        for a, b in zip(orig, back, strict=True):
            n += 1
            same += a == b
            same_folded += fold(a, 2) == fold(b, 2)
    assert same / n >= exact
    assert same_folded / n >= folded
