from pathlib import Path

import pytest

from index.articles import ArticleFormatError, parse_article, read_article, read_content_dir

SEEDS = Path(__file__).parent / "fixtures" / "seeds"  # the seed articles as delivered


def test_content_files_keep_the_seed_text_byte_for_byte(content_dir: Path) -> None:
    articles = read_content_dir(content_dir)
    assert len(articles) == 5
    seed_texts = {p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    assert {a.text for a in articles} == seed_texts


def test_front_matter_round_trips(content_dir: Path) -> None:
    for path in content_dir.glob("*.md"):
        article = read_article(path)
        assert article.title and article.source and article.lang == "kk"
        assert article.to_markdown() == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no front matter", "must start"),
        ("---\ntitle: A\nsource: B\n", "closing"),
        ("---\ntitle: A\n---\ntext", "missing source"),
        ("---\ntitle: A\nsource: B\nyear: soon\n---\ntext", "year"),
        ("---\ntitle: A\nsource: B\ncolour: red\n---\ntext", "line 4"),
        ("---\ntitle: A\nsource: B\n---\n   \n", "no text"),
    ],
)
def test_bad_files_say_what_to_fix(text: str, problem: str) -> None:
    with pytest.raises(ArticleFormatError, match=problem):
        parse_article("x", text)


def test_ids_are_safe_file_names() -> None:
    with pytest.raises(ArticleFormatError):
        parse_article("../etc", "---\ntitle: A\nsource: B\n---\ntext")


def test_hash_changes_with_text_and_metadata() -> None:
    a = parse_article("a", "---\ntitle: A\nsource: B\n---\ntext")
    b = parse_article("a", "---\ntitle: A\nsource: B\nyear: 2020\n---\ntext")
    c = parse_article("a", "---\ntitle: A\nsource: B\n---\ntext!")
    assert len({a.content_hash, b.content_hash, c.content_hash}) == 3
