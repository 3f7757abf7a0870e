"""Training the reader: a cross-encoder that reads the question against each candidate span.

It starts from the fine-tuned embedder's weights (a cold start on a few thousand pairs did not
learn, ../shared/notes/training.md), keeps only its lowest layers (answer time: it runs on every
question), mean-pools like e5 and adds one linear score. The loss is listwise: for each question
a softmax over its candidates (the engine's best spans) and a learned "no answer" score, whose
target is the span holding the answer, or "no answer" for a question the articles do not cover.
So one model both reranks the candidates and says when none of them answers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.reader import Head, pair_text
from index.training.data import Corpus, Example
from index.training.schedule import steps_of, warmup_then_decay


@dataclass(frozen=True)
class ReaderSettings:
    """What the cross-validation chose (docs/training.md)."""

    layers: int = 6  # lowest layers of the embedder kept
    # how it runs at answer time, and on how many candidates: the decline model is fitted so
    precision: str = "int8-all"
    read: int = 2
    epochs: int = 2
    lr: float = 5e-5
    head_lr: float = 1e-3
    candidates: int = 3  # spans read per question while training
    max_groups: int = 1500  # questions learnt from (all off-topic ones, then a sample)
    max_tokens: int = 160
    batch: int = 8  # questions a step
    seed: int = 13
    threads: int = 2


@dataclass(frozen=True)
class Group:
    """One question with the spans the engine would hand the reader; `target` is the position of
    the answering span among them, or None when none answers."""

    question: str
    spans: tuple[int, ...]
    target: int | None


def make_groups(
    examples: Sequence[Example],
    ranked: Sequence[Sequence[int]],
    size: int,
    rng: random.Random,
    limit: int | None = None,
) -> list[Group]:
    """Candidates as the engine ranks them; an answerable question whose answer the engine missed
    gets it in place of the last candidate, so every answerable group can be learnt from. With a
    `limit`, every off-topic question and a seeded sample of the others."""
    pairs = list(zip(examples, ranked, strict=True))
    if limit is not None and len(pairs) > limit:
        off = [p for p in pairs if not p[0].answerable]
        real = [p for p in pairs if p[0].answerable]
        pairs = off + rng.sample(real, max(0, limit - len(off)))
    groups = []
    for example, order in pairs:
        spans = list(order[:size])
        positives = [s for s in spans if s in example.positives]
        if example.answerable and not positives:
            spans[-1] = rng.choice(example.positives)
            positives = [spans[-1]]
        # keep one answering span: the others would be false negatives
        spans = (
            [s for s in spans if s not in example.positives or s == positives[0]]
            if positives
            else spans
        )
        rng.shuffle(spans)
        target = spans.index(positives[0]) if positives else None
        groups.append(Group(example.text, tuple(spans), target))
    return groups


def build_reader(source: Path, layers: int) -> Any:
    """The embedder folder cut to its lowest `layers` layers: the reader's body."""
    from sentence_transformers import SentenceTransformer

    body = SentenceTransformer(str(source), device="cpu")
    bert: Any = body[0].auto_model
    bert.encoder.layer = bert.encoder.layer[:layers]
    bert.config.num_hidden_layers = layers
    bert.embeddings.word_embeddings.weight.requires_grad_(False)
    return body


def train_reader(
    source: Path,
    target: Path,
    groups: Sequence[Group],
    corpus: Corpus,
    settings: ReaderSettings,
    *,
    log: Callable[[str], None] = print,
) -> Head:
    """Train the reader from the embedder folder `source`; save its body to `target` (a
    sentence-transformers folder, exported like an embedder) and return its head."""
    import torch

    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    body = build_reader(source, settings.layers)
    body.max_seq_length = settings.max_tokens
    dim = body.get_embedding_dimension()
    weights = torch.nn.Parameter(torch.zeros(dim))
    bias, no_answer = torch.nn.Parameter(torch.zeros(())), torch.nn.Parameter(torch.zeros(()))
    params = [p for p in body.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [
            {"params": params, "lr": settings.lr},
            {"params": [weights, bias, no_answer], "lr": settings.head_lr, "weight_decay": 0.0},
        ],
        weight_decay=0.01,
    )
    steps = steps_of(len(groups), settings.batch, settings.epochs)
    schedule = warmup_then_decay(optimizer, steps, warmup=10)
    body.train()
    for epoch in range(settings.epochs):
        order = list(range(len(groups)))
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), settings.batch):
            batch = [groups[i] for i in order[start : start + settings.batch]]
            texts = [pair_text(g.question, corpus.spans[s].text) for g in batch for s in g.spans]
            vectors = _embed(body, texts)
            scores = vectors @ weights + bias
            loss = _listwise_loss(scores, batch, no_answer)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        log(f"  reader epoch {epoch + 1}/{settings.epochs}: loss {total / max(1, len(groups)):.3f}")
    body.eval()
    target.parent.mkdir(parents=True, exist_ok=True)
    body.save(str(target))
    head = Head(
        tuple(float(w) for w in weights.detach()),
        float(bias.detach()),
        float(no_answer.detach()),
        max_tokens=settings.max_tokens,
    )
    head.save(target)
    return head


def _embed(body: Any, texts: list[str]) -> Any:
    """The pooled vectors, run in groups of similar length (padding to the longest of a whole
    batch would more than double the work)."""
    import torch

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    parts = [
        body(body.tokenize([texts[i] for i in order[g : g + 8]]))["sentence_embedding"]
        for g in range(0, len(order), 8)
    ]
    return torch.cat(parts)[torch.argsort(torch.tensor(order))]


def _listwise_loss(scores: Any, batch: Sequence[Group], no_answer: Any) -> Any:
    """Per question, a softmax over its candidates and "no answer"; the target is the span that
    answers, or "no answer"."""
    import torch

    losses = []
    offset = 0
    for group in batch:
        logits = torch.cat([scores[offset : offset + len(group.spans)], no_answer.reshape(1)])
        offset += len(group.spans)
        target = len(group.spans) if group.target is None else group.target
        losses.append(torch.nn.functional.cross_entropy(logits[None], torch.tensor([target])))
    return torch.stack(losses).mean()
