import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import parser
from bot.config import Settings
from tests.conftest import CONTENT, ROOT
from tests.moderation_support import write_config


@pytest.fixture(scope="module")
def config_file(settings: Settings, engine, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """A config pointing at the session's already-built data folder, with its models (another
    model would re-embed that folder's index under the session's engine)."""
    return write_config(settings, tmp_path_factory.mktemp("cfg") / "config.toml")


def run(config: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_ask_prints_the_reply_with_its_source(config_file: Path) -> None:
    result = run(config_file, "ask", "Қазақстан халқы Ассамблеясы қай жылы құрылды?")
    assert result.returncode == 0, result.stderr
    # a quote may span lines (a sentence starting «Осыған сәйкес ол…» brings the one before it)
    lines = result.stdout.strip().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("— "))
    quote, source = "\n".join(lines[:at]), lines[at]
    assert "1995" in quote
    titles = [p.read_text(encoding="utf-8").split("\n")[1][7:] for p in CONTENT.glob("*.md")]
    assert any(source.startswith(f"— {title}") for title in titles)


def test_ask_json_answers_every_line_in_one_process(config_file: Path) -> None:
    dev = ROOT / "tests" / "eval" / "blind2.jsonl"  # the project's own: no ../shared needed
    questions = [json.loads(line)["q"] for line in dev.read_text(encoding="utf-8").splitlines()]
    result = run(config_file, "ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["question"] for row in rows] == questions
    for row in rows:
        assert set(row) == {"question", "answered", "quotes", "reply"}
        assert isinstance(row["answered"], bool) and row["reply"]
        scores = [q["score"] for q in row["quotes"]]
        assert scores == sorted(scores, reverse=True)
        for quote in row["quotes"]:
            assert set(quote) == {"text", "article", "title", "score"}
            assert (ROOT / "content" / "articles" / f"{quote['article']}.md").exists()
        if not row["answered"]:
            assert "таппадым" in row["reply"] or "нет ответа" in row["reply"]


def test_ask_without_a_question_explains_itself(config_file: Path) -> None:
    result = run(config_file, "ask")
    assert result.returncode == 2 and "python -m bot ask" in result.stderr


def test_eval_pools_several_sets_and_calibrate_leaves_each_out(config_file: Path) -> None:
    sets = [str(ROOT / "tests" / "eval" / f"{name}.jsonl") for name in ("holdout", "blind")]
    figures = run(config_file, "eval", *sets)
    assert figures.returncode == 0, figures.stderr
    assert "all all in scope              148" in figures.stdout  # 56 + 92 in-scope questions
    fitted = run(config_file, "eval", *sets, "--calibrate")
    assert fitted.returncode == 0, fitted.stderr
    assert fitted.stdout.startswith("COEFFICIENTS = np.array([")
    assert "THRESHOLD = " in fitted.stdout
    assert all(f"  {path}: off-topic declined" in fitted.stdout for path in sets)


def test_a_broken_config_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[model]\nnmae = 'x'\n", encoding="utf-8")
    result = run(bad, "ask", "сұрақ")
    assert result.returncode == 2 and "nmae" in result.stderr


def _commands(p: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    found = []
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                nested = _commands(sub, full)
                found.extend(nested or [full])
    return found


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _commands(parser()) if f"python -m bot {c}" not in readme]
    assert not missing, f"document these commands in README.md: {missing}"
