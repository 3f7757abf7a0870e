"""Reading config.toml: defaults, and clear errors for settings of the wrong kind."""

from pathlib import Path

import pytest
from telegram.constants import PollLimit

from bot.config import MIN_OPEN_PERIOD, ConfigError, load_settings
from tests.conftest import ROOT


def test_the_projects_config_reads_with_every_section() -> None:
    settings = load_settings(ROOT / "config.toml")
    assert settings.model.threads >= 1 and settings.search.max_quotes >= 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('[model]\nthreads = "two"', r"\[model\] threads should be a whole number"),
        ("[model]\nname = 5", r"\[model\] name should be text in quotes"),
        ("[search]\ncandidates = true", r"\[search\] candidates should be a whole number"),
        ("[model]\nspeed = 3", r"\[model\] has unknown settings: speed"),
    ],
)
def test_a_setting_of_the_wrong_kind_is_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_a_whole_number_is_accepted_where_a_number_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[telegram]\nanswer_timeout_seconds = 20\n", encoding="utf-8")
    assert load_settings(path).telegram.answer_timeout_seconds == 20


def test_the_shortest_quiz_timer_is_telegrams() -> None:
    assert MIN_OPEN_PERIOD == PollLimit.MIN_OPEN_PERIOD


def test_a_training_glob_may_be_absolute(tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.config import TrainingSettings

    project = load_settings()
    here = replace(project, training=TrainingSettings(train=("tests/training/*.jsonl",)))
    elsewhere = replace(
        here,
        training=TrainingSettings(train=(str(project.config_dir / "tests/training/*.jsonl"),)),
        config_dir=tmp_path,  # a config written in another folder (the moderation tests)
    )
    assert here.training_files("train")
    assert elsewhere.training_files("train") == here.training_files("train")
