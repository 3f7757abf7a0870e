"""A one-time build step announced on standard error, with a bar through its stages.

Building the model and its ONNX export takes a minute on a fresh data folder; a bot started
with a new config must say what it is doing instead of sitting silent (issue 16).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence


def announce(title: str, stages: Sequence[str]) -> Callable[[str], None]:
    """Print `title` to standard error; return `step(name)`, which moves the bar (drawn on a
    terminal only: a log gets the title alone) past the stage `name`, closing it after the last."""
    from tqdm import tqdm

    print(f"{title}…", file=sys.stderr, flush=True)
    bar = tqdm(total=len(stages), desc=stages[0], unit="step", disable=None, leave=False)
    done = 0

    def step(name: str) -> None:
        nonlocal done
        bar.update(stages.index(name) + 1 - done)
        done = stages.index(name) + 1
        if done == len(stages):
            bar.close()
        else:
            bar.set_description(stages[done])

    return step
