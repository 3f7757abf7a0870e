"""Fine-tuning the e5 embedder on our labelled questions (torch; set-up time only).

In-batch softmax over the batch's answering spans plus one hard negative per question (a span
the base model ranked high that does not hold the answer), at a low temperature as e5 itself was
trained. A candidate that also answers the question is masked out rather than counted wrong. The
word-embedding table (96M of the 118M weights) stays frozen: it barely moves on a few thousand
questions, and keeping it lets every model built here share one table.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.training.data import Corpus, Example
from index.training.schedule import steps_of, warmup_then_decay


@dataclass(frozen=True)
class BiencoderSettings:
    """What the cross-validation chose (docs/training.md)."""

    epochs: int = 2
    lr: float = 1e-4
    batch: int = 32
    scale: float = 50.0  # inverse temperature of the softmax
    hard_negatives: int = 1
    mine_depth: int = 10  # hard negatives come from the base model's top spans
    frozen_layers: int = 8  # lowest transformer layers kept as they are
    max_query_tokens: int = 64
    max_passage_tokens: int = 160
    seed: int = 13
    threads: int = 2


def mine_hard_negatives(
    query_vectors: np.ndarray,
    span_vectors: np.ndarray,
    examples: Sequence[Example],
    depth: int,
) -> list[list[int]]:
    """For each question, the best-ranked spans (by the given vectors) that do not answer it."""
    scores = query_vectors @ span_vectors.T
    mined = []
    for row, example in zip(scores, examples, strict=True):
        order = np.argsort(-row)
        mined.append(
            [int(i) for i in order[: depth + len(example.positives)] if i not in example.positives][
                :depth
            ]
        )
    return mined


def train_biencoder(
    base: Path,
    target: Path,
    examples: Sequence[Example],
    corpus: Corpus,
    settings: BiencoderSettings,
    *,
    log: Callable[[str], None] = print,
) -> None:
    """Fine-tune the sentence-transformers folder `base` on the answerable examples; save to
    `target` (a sentence-transformers folder the ONNX export reads).

    The lowest `frozen_layers` layers are run once over every text and their output kept: each
    step then runs only the layers being trained, which makes training several times cheaper.
    """
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    model = SentenceTransformer(str(base), device="cpu")
    train = [e for e in examples if e.answerable]
    span_texts = [s.text for s in corpus.spans]
    with torch.no_grad():
        span_vectors = model.encode(span_texts, prompt="passage: ", batch_size=64)
        query_vectors = model.encode([e.text for e in train], prompt="query: ", batch_size=64)
    negatives = mine_hard_negatives(query_vectors, span_vectors, train, settings.mine_depth)
    bert: Any = model[0].auto_model
    tokenizer = model.tokenizer
    stack = _Stack(bert, settings.frozen_layers)
    queries = stack.bottom(
        tokenizer, ["query: " + e.text for e in train], settings.max_query_tokens
    )
    spans = stack.bottom(
        tokenizer, ["passage: " + t for t in span_texts], settings.max_passage_tokens
    )
    params = stack.trainable()
    optimizer = torch.optim.AdamW(params, lr=settings.lr, weight_decay=0.01)
    steps = steps_of(len(train), settings.batch, settings.epochs)
    schedule = warmup_then_decay(optimizer, steps, warmup=5)
    bert.train()
    for epoch in range(settings.epochs):
        order = list(range(len(train)))
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), settings.batch):
            picked = order[start : start + settings.batch]
            batch = [train[i] for i in picked]
            candidates = [rng.choice(e.positives) for e in batch]
            for i in picked:
                candidates += rng.sample(
                    negatives[i], min(settings.hard_negatives, len(negatives[i]))
                )
            q = stack.top([queries[i] for i in picked])
            c = stack.top([spans[j] for j in candidates])
            loss = _loss(q, c, batch, candidates, settings.scale)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            total += float(loss.detach())
        batches = max(1, (len(order) + settings.batch - 1) // settings.batch)
        log(f"  embedder epoch {epoch + 1}/{settings.epochs}: loss {total / batches:.3f}")
    bert.eval()
    target.parent.mkdir(parents=True, exist_ok=True)
    model.save(str(target))


class _Stack:
    """The transformer cut in two: frozen lowest layers run once, the rest trained."""

    def __init__(self, bert: Any, frozen: int) -> None:
        self.bert, self.frozen = bert, frozen
        bert.embeddings.requires_grad_(False)
        for layer in bert.encoder.layer[:frozen]:
            layer.requires_grad_(False)

    def trainable(self) -> list[Any]:
        return [p for p in self.bert.parameters() if p.requires_grad]

    def bottom(self, tokenizer: Any, texts: list[str], max_tokens: int) -> list[Any]:
        """Each text's states after the frozen layers (padding cut off)."""
        import torch

        out = []
        self.bert.eval()
        with torch.no_grad():
            for start in range(0, len(texts), 64):
                enc = tokenizer(
                    texts[start : start + 64],
                    truncation=True,
                    max_length=max_tokens,
                    padding=True,
                    return_tensors="pt",
                )
                hidden = self.bert.embeddings(input_ids=enc["input_ids"])
                hidden = self._layers(
                    hidden, enc["attention_mask"], self.bert.encoder.layer[: self.frozen]
                )
                out += [
                    h[: int(m.sum())] for h, m in zip(hidden, enc["attention_mask"], strict=True)
                ]
        self.bert.train()
        return out

    def top(self, states: list[Any]) -> Any:
        """Normalized mean-pooled vectors from kept states, through the trained layers; run in
        groups of similar length, since padding to the longest would double the work."""
        import torch

        order = sorted(range(len(states)), key=lambda i: len(states[i]))
        vectors = [
            self._top_group([states[i] for i in order[g : g + 16]])
            for g in range(0, len(order), 16)
        ]
        stacked = torch.cat(vectors)
        return stacked[torch.argsort(torch.tensor(order))]

    def _top_group(self, states: list[Any]) -> Any:
        import torch

        hidden = torch.nn.utils.rnn.pad_sequence(states, batch_first=True)
        lengths = torch.tensor([len(s) for s in states])
        mask = (torch.arange(hidden.shape[1])[None, :] < lengths[:, None]).long()
        hidden = self._layers(hidden, mask, self.bert.encoder.layer[self.frozen :])
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def _layers(self, hidden: Any, mask: Any, layers: Any) -> Any:
        from transformers.masking_utils import create_bidirectional_mask

        full = create_bidirectional_mask(
            config=self.bert.config, inputs_embeds=hidden, attention_mask=mask
        )
        for layer in layers:
            hidden = layer(hidden, full)
        return hidden


def _loss(
    queries: Any, spans: Any, batch: Sequence[Example], candidates: list[int], scale: float
) -> Any:
    """Cross-entropy of each question over every candidate of the batch; other answers masked."""
    import torch

    logits = scale * queries @ spans.T
    mask = torch.tensor(
        [
            [j != i and c in e.positives for j, c in enumerate(candidates)]
            for i, e in enumerate(batch)
        ]
    )
    logits = logits.masked_fill(mask, float("-inf"))
    return torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
