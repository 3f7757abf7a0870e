"""The XLM-R Unigram tokenizer in 25 MB and 0.2 s instead of 290 MB and 1.3 s, same ids.

The `tokenizers` library holds the 250,002-piece vocabulary in a trie of hash maps: 290 MB of
resident memory and 1.3 s to load, more than the rest of the answering process together.
SentencePiece holds pieces in a double-array trie (all of them: 56 MB, 0.6 s to load). Two
steps more make it small and keep it exact:
- only the 145,000 pieces written in the scripts of Kazakh, Russian and English (Latin and
  Cyrillic letters, punctuation, symbols, emoji: `COVERED`) are loaded up front; a word with any
  other character is segmented with the whole vocabulary, loaded on first need. A word's
  segmentation only ever uses pieces made of its own characters, so nothing changes;
- SentencePiece adds scores in float32 where `tokenizers` adds them in float64, so where two
  segmentations of a word score within rounding of each other (a run of 90 dashes) the two can
  disagree. Each word's two best segmentations are asked for; when they are closer than
  `_NEAR_TIE`, or the word holds a character unknown to the vocabulary, the word is segmented
  again here exactly as `tokenizers` does it (float64, the first path found wins a tie).
Normalization and the split into words stay `tokenizers`' own (tokenizer.json with an empty
vocabulary: 60 KB), and a text holding a special token's spelling (`<s>`, `<mask>`...) goes to
the full tokenizer.json, because `tokenizers` cuts those out before anything else.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

SPLITTER_FILE = "splitter.json"  # tokenizer.json without its vocabulary, plus what is below
COVERED_FILE = "unigram-covered.model"  # the pieces made of covered characters only
COVERED_IDS_FILE = "unigram-covered-ids.npy"  # their ids in the whole vocabulary
FULL_FILE = "unigram-full.model"  # every piece, for words with any other character
# Code points of Kazakh (Cyrillic and Latin), Russian and English text with its punctuation,
# symbols and emoji: Basic Latin, Latin-1, Latin Extended-A and B, Cyrillic and its supplement,
# general punctuation, currency, letter-like symbols (№), arrows, ▁, symbols, dingbats, emoji.
COVERED = [
    (0x20, 0x7E), (0xA0, 0x24F), (0x400, 0x52F), (0x2000, 0x206F), (0x20A0, 0x20CF),
    (0x2100, 0x21FF), (0x2581, 0x2581), (0x2600, 0x27BF), (0x1F300, 0x1FAFF),
]  # fmt: skip
_NEAR_TIE = 1e-2  # float32 rounding over a word's pieces stays below 1e-4
_UNK_PENALTY = 10.0  # `tokenizers` (and SentencePiece): an unknown character's cost
_META = "compact_unigram"  # the splitter file's extra key (taken out before `tokenizers` reads it)


def _sentencepiece(spec: dict[str, Any], ids: list[int]) -> bytes:
    """A SentencePiece Unigram model of the pieces `ids` of tokenizer.json's `spec`, taking
    words already normalized and split (it changes nothing in them)."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    model = spec["model"]
    piece_type = pb.ModelProto.SentencePiece  # type: ignore[attr-defined]
    special = {t["id"] for t in spec["added_tokens"]}
    proto = pb.ModelProto()  # type: ignore[attr-defined]
    for i in ids:
        text, score = model["vocab"][i]
        piece = proto.pieces.add()
        piece.piece, piece.score = text, score
        if i == model["unk_id"]:
            piece.type = piece_type.UNKNOWN
        elif i in special:
            piece.type = piece_type.CONTROL  # never matched inside text, as in `tokenizers`
    proto.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM  # type: ignore[attr-defined]
    proto.trainer_spec.unk_id = ids.index(model["unk_id"])
    proto.trainer_spec.bos_id = proto.trainer_spec.eos_id = proto.trainer_spec.pad_id = -1
    normalizer = proto.normalizer_spec
    normalizer.name = "identity"
    normalizer.add_dummy_prefix = normalizer.remove_extra_whitespaces = False
    normalizer.escape_whitespaces = False
    return bytes(proto.SerializeToString())


def _uncovered() -> re.Pattern[str]:
    """Matches any character outside `COVERED`."""
    return re.compile("[^" + "".join(f"{chr(a)}-{chr(b)}" for a, b in COVERED) + "]")


def write_files(tokenizer_json: Path, folder: Path) -> None:
    """Write the compact tokenizer's files for `tokenizer_json` (a Unigram tokenizer) into
    `folder`."""
    spec = json.loads(tokenizer_json.read_text("utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        raise ValueError(f"{tokenizer_json}: not a Unigram tokenizer without byte fallback")
    vocab, unk = model["vocab"], model["unk_id"]
    special = {t["id"] for t in spec["added_tokens"]} | {unk}
    uncovered = _uncovered()
    covered = [i for i, (p, _) in enumerate(vocab) if i in special or not uncovered.search(p)]
    (folder / FULL_FILE).write_bytes(_sentencepiece(spec, list(range(len(vocab)))))
    (folder / COVERED_FILE).write_bytes(_sentencepiece(spec, covered))
    np.save(folder / COVERED_IDS_FILE, np.asarray(covered, dtype=np.int32))
    meta = {
        "special_tokens": spec["added_tokens"],
        "unknown_score": min(s for _, s in vocab) - _UNK_PENALTY,
        "longest_piece": max(len(p) for p, _ in vocab),
        "covered": COVERED,
    }
    splitter = {**spec, "added_tokens": [], "post_processor": None, _META: meta}
    splitter["model"] = {**model, "vocab": vocab[: unk + 1]}
    (folder / SPLITTER_FILE).write_text(json.dumps(splitter, ensure_ascii=False), "utf-8")


class _Vocabulary:
    """A SentencePiece model of some pieces, and the ids they have in the whole vocabulary."""

    def __init__(self, path: Path, ids: np.ndarray | None) -> None:
        import sentencepiece as spm

        self.sp = spm.SentencePieceProcessor(model_file=str(path))
        self.ids = ids
        self.unk = self.sp.unk_id()

    def original(self, pieces: list[int]) -> list[int]:
        return pieces if self.ids is None else [int(self.ids[p]) for p in pieces]


class UnigramTokenizer:
    """Text → token ids with `<s>` and `</s>` around, as `Tokenizer.from_file(tokenizer.json)`.

    Safe to share between threads (nothing is reconfigured after loading).
    """

    def __init__(self, folder: Path, tokenizer_json: str = "tokenizer.json") -> None:
        from tokenizers import Tokenizer

        self._folder = folder
        self._full_path = folder / tokenizer_json
        spec = json.loads((folder / SPLITTER_FILE).read_text("utf-8"))
        meta = spec.pop(_META)
        self._splitter = Tokenizer.from_str(json.dumps(spec))
        self._specials = [t["content"] for t in meta["special_tokens"]]
        ids = {t["content"]: t["id"] for t in meta["special_tokens"]}
        self.bos, self.eos = ids["<s>"], ids["</s>"]
        self._unknown_score = float(meta["unknown_score"])
        self._longest = int(meta["longest_piece"])
        ranges = "".join(f"{chr(a)}-{chr(b)}" for a, b in meta["covered"])
        self._uncovered = re.compile(f"[^{ranges}]")
        self._covered = _Vocabulary(folder / COVERED_FILE, np.load(folder / COVERED_IDS_FILE))
        self._lock = threading.Lock()
        self._whole: _Vocabulary | None = None
        self._tokenizers: Any = None

    def _everything(self) -> _Vocabulary:
        """The whole vocabulary (56 MB), for words with characters outside `COVERED`."""
        with self._lock:
            if self._whole is None:
                self._whole = _Vocabulary(self._folder / FULL_FILE, None)
            return self._whole

    def _full(self) -> Any:
        """`tokenizers` on tokenizer.json itself (290 MB), for text spelling a special token."""
        from tokenizers import Tokenizer

        with self._lock:
            if self._tokenizers is None:
                self._tokenizers = Tokenizer.from_file(str(self._full_path))
            return self._tokenizers

    def pieces(self, text: str) -> list[int]:
        """The ids of `text` without `<s>` and `</s>`."""
        if any(s in text for s in self._specials):
            return list(self._full().encode(text, add_special_tokens=False).ids)
        normalized = self._splitter.normalizer.normalize_str(text)
        words = [w for w, _ in self._splitter.pre_tokenizer.pre_tokenize_str(normalized)]
        outside = [bool(self._uncovered.search(w)) for w in words]
        inner = self._segment([w for w, o in zip(words, outside, strict=True) if not o], False)
        outer = self._segment([w for w, o in zip(words, outside, strict=True) if o], True)
        ids: list[int] = []
        for out in outside:
            ids += next(outer if out else inner)
        return ids

    def encode(self, text: str) -> list[int]:
        """`<s>` + the ids of `text` + `</s>`."""
        return [self.bos, *self.pieces(text), self.eos]

    def encode_pair(self, first: str, second: str) -> list[int]:
        """`<s> A </s></s> B </s>`: the XLM-R input of a cross-encoder."""
        return [self.bos, *self.pieces(first), self.eos, self.eos, *self.pieces(second), self.eos]

    def _segment(self, words: list[str], outside: bool) -> Iterator[list[int]]:
        """Each word's ids: SentencePiece's best segmentation, or `_viterbi`'s where the two
        might differ."""
        if not words:
            return
        vocabulary = self._everything() if outside else self._covered
        for word, best in zip(
            words,
            vocabulary.sp.NBestEncode(words, nbest_size=2, return_type="proto"),
            strict=True,
        ):
            paths = best.nbests
            ids = [p.id for p in paths[0].pieces]
            near = len(paths) > 1 and paths[0].score - paths[1].score < _NEAR_TIE
            if near or vocabulary.unk in ids:
                ids = self._viterbi(word, vocabulary)
            yield vocabulary.original(ids)

    def _viterbi(self, word: str, vocabulary: _Vocabulary) -> list[int]:
        """`tokenizers`' Unigram `encode_optimized` on one word: float64 sums, the first path to
        reach a position wins a tie, an unknown character costs the lowest score less 10, and
        consecutive unknown characters become one unknown token."""
        sp, unk = vocabulary.sp, vocabulary.unk
        size = len(word)
        best: list[tuple[float, int, int] | None] = [None] * (size + 1)  # score, start, id
        best[0] = (0.0, -1, -1)
        for start in range(size):
            here = best[start]
            assert here is not None  # every position is reached (a character or unknown)
            single = False
            for end in range(start + 1, min(size, start + self._longest) + 1):
                piece = sp.PieceToId(word[start:end])
                if piece == unk or sp.IsControl(piece):
                    continue
                candidate = here[0] + sp.GetScore(piece)
                there = best[end]
                if there is None or candidate > there[0]:
                    best[end] = (candidate, start, piece)
                single = single or end == start + 1
            if not single:
                candidate = here[0] + self._unknown_score
                there = best[start + 1]
                if there is None or candidate > there[0]:
                    best[start + 1] = (candidate, start, unk)
        ids: list[int] = []
        end = size
        while end > 0:
            node = best[end]
            assert node is not None
            if not (node[2] == unk and ids and ids[-1] == unk):
                ids.append(node[2])
            end = node[1]
        return ids[::-1]
