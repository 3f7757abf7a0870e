"""The learning-rate schedule both trainings use: a short warm-up, then a linear decay to zero."""

from __future__ import annotations

from typing import Any


def warmup_then_decay(optimizer: Any, steps: int, warmup: int) -> Any:
    """A torch LambdaLR over `steps` optimizer steps, the first `warmup` of them rising."""
    import torch

    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / max(steps, 1))
    )


def steps_of(items: int, batch: int, epochs: int) -> int:
    """Optimizer steps for `epochs` passes over `items` in batches of `batch`."""
    return epochs * ((items + batch - 1) // batch)
