"""Russian or Kazakh, for every dev question and some harder ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.lang import detect_language

DEV_FILE = Path(__file__).parent / "fixtures" / "dev.jsonl"
DEV = [json.loads(line) for line in DEV_FILE.read_text(encoding="utf-8").splitlines()]
RUSSIAN_OFF_TOPIC = {"Сколько будет дважды два?"}


@pytest.mark.parametrize("item", DEV, ids=lambda d: d["q"][:30])
def test_dev_questions(item: dict[str, object]) -> None:
    expected = "ru" if item["cat"] == "E" or item["q"] in RUSSIAN_OFF_TOPIC else "kk"
    assert detect_language(str(item["q"])) == expected


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Кто такой Жансейіт Түймебаев?", "ru"),  # a Kazakh name inside Russian
        ("Когда создана Ассамблея народа Казахстана?", "ru"),
        ("Расскажи про Ассамблею", "ru"),
        ("Skolko etnicheskih grupp v Kazahstane?", "ru"),
        ("ассамблея кашан курылды", "kk"),
        ("Ассамблея туралы айтып бер", "kk"),
        ("Assambleya qashan quryldy", "kk"),
        ("Президент кім?", "kk"),
        ("", "kk"),
    ],
)
def test_harder_questions(question: str, lang: str) -> None:
    assert detect_language(question) == lang
