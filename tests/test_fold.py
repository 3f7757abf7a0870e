"""Spelling folding: Russian keyboard (level 1) and chat Latin (level 2)."""

from __future__ import annotations

from index.fold import fold


def test_level1_matches_russian_keyboard_typing() -> None:
    assert fold("Ассамблея Қазақстан Республикасы Президентінің қандай Жарлығымен құрылды") == (
        fold("Ассамблея Казакстан Республикасы Президентинин кандай Жарлыгымен курылды")
    )
    assert fold("Әлемдік өмір үшін Һ ЁЖ") == "алемдик омир ушин х еж"


def test_level1_keeps_letters_latin_cannot_tell() -> None:
    assert fold("Ассамблея ұйым бойынша") == "ассамблея уйым бойынша"


def test_level2_merges_what_latin_spellings_confuse() -> None:
    assert fold("Ассамблея ұйым бойынша", 2) == "ассамблеиа уиим боиинша"
    assert fold("этномәдени", 2) == fold("етномадени", 2) == "етномадени"
    assert fold("Конституция съезі", 2) == "конститутсииа сези"
    assert fold("ю", 2) == "иу"


def test_fold_is_idempotent() -> None:
    text = "Қазақстан халқы Ассамблеясының съезі ҚХА"
    for level in (1, 2):
        assert fold(fold(text, level), level) == fold(text, level)
