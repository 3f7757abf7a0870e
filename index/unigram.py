"""The XLM-R Unigram tokenizer in 60 MB instead of 290, giving the same ids as tokenizer.json.

The `tokenizers` library holds the 250,002-piece vocabulary in a trie of hash maps: 290 MB of
resident memory and 1.3 s to load, more than the rest of the answering process together.
SentencePiece holds the same pieces in a double-array trie (56 MB, 0.4 s). Only its Viterbi
differs: it adds scores in float32 where `tokenizers` adds them in float64, so where two
segmentations of a word score within rounding of each other (a run of 90 dashes) the two can
disagree. Hence:
- normalization and the split into words stay `tokenizers`' own (a copy of tokenizer.json with
  an empty vocabulary: a few kilobytes);
- each word is segmented by SentencePiece, asking for its two best segmentations; when they are
  closer than `_NEAR_TIE`, or the word holds a character unknown to the vocabulary, the word is
  segmented again here exactly as `tokenizers` does it (float64, first path found wins a tie);
- a text holding a special token's spelling (`<s>`, `<mask>`...) goes to the full tokenizer,
  loaded on first need, because `tokenizers` cuts those out before anything else.
"""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path
from typing import Any

SENTENCEPIECE_FILE = "unigram.model"
SPLITTER_FILE = "splitter.json"
_NEAR_TIE = 1e-2  # float32 rounding over a word's pieces stays below 1e-4
_UNK_PENALTY = 10.0  # `tokenizers` (and SentencePiece): an unknown character's cost
_SPECIALS = "special_tokens"  # tokenizer.json's added tokens, kept in the splitter's file


def write_files(tokenizer_json: Path, folder: Path) -> None:
    """Write the SentencePiece model and the normalize-and-split copy of `tokenizer_json`."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    spec = json.loads(tokenizer_json.read_text("utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        raise ValueError(f"{tokenizer_json}: not a Unigram tokenizer without byte fallback")
    piece_type = pb.ModelProto.SentencePiece  # type: ignore[attr-defined]
    special = {t["id"] for t in spec["added_tokens"]}
    proto = pb.ModelProto()  # type: ignore[attr-defined]
    for i, (text, score) in enumerate(model["vocab"]):
        piece = proto.pieces.add()
        piece.piece, piece.score = text, score
        if i == model["unk_id"]:
            piece.type = piece_type.UNKNOWN
        elif i in special:
            piece.type = piece_type.CONTROL  # never matched inside text, as in `tokenizers`
    proto.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM  # type: ignore[attr-defined]
    proto.trainer_spec.unk_id = model["unk_id"]
    proto.trainer_spec.bos_id = proto.trainer_spec.eos_id = proto.trainer_spec.pad_id = -1
    normalizer = proto.normalizer_spec  # words arrive normalized and split: change nothing
    normalizer.name = "identity"
    normalizer.add_dummy_prefix = normalizer.remove_extra_whitespaces = False
    normalizer.escape_whitespaces = False
    (folder / SENTENCEPIECE_FILE).write_bytes(proto.SerializeToString())
    splitter = {**spec, "added_tokens": [], "post_processor": None, _SPECIALS: spec["added_tokens"]}
    splitter["model"] = {**model, "vocab": model["vocab"][: model["unk_id"] + 1]}
    (folder / SPLITTER_FILE).write_text(json.dumps(splitter, ensure_ascii=False), "utf-8")


class UnigramTokenizer:
    """Text → token ids with `<s>` and `</s>` around, as `Tokenizer.from_file(tokenizer.json)`.

    Safe to share between threads (nothing is reconfigured after loading).
    """

    def __init__(self, folder: Path, tokenizer_json: str = "tokenizer.json") -> None:
        import sentencepiece as spm
        from tokenizers import Tokenizer

        self._full_path = folder / tokenizer_json
        spec = json.loads((folder / SPLITTER_FILE).read_text("utf-8"))
        specials = spec.pop(_SPECIALS)
        self._splitter = Tokenizer.from_str(json.dumps(spec))
        self._sp = spm.SentencePieceProcessor(model_file=str(folder / SENTENCEPIECE_FILE))
        self._unk = int(spec["model"]["unk_id"])
        self._specials = [t["content"] for t in specials]
        ids = {t["content"]: t["id"] for t in specials}
        self.bos, self.eos = ids["<s>"], ids["</s>"]
        self._full: Any = None
        self._lock = threading.Lock()

    def full(self) -> Any:
        """The `tokenizers` tokenizer of tokenizer.json itself (290 MB), loaded on first use."""
        with self._lock:
            if self._full is None:
                from tokenizers import Tokenizer

                self._full = Tokenizer.from_file(str(self._full_path))
            return self._full

    def pieces(self, text: str) -> list[int]:
        """The ids of `text` without `<s>` and `</s>`."""
        if any(s in text for s in self._specials):
            return list(self.full().encode(text, add_special_tokens=False).ids)
        normalized = self._splitter.normalizer.normalize_str(text)
        words = [w for w, _ in self._splitter.pre_tokenizer.pre_tokenize_str(normalized)]
        ids: list[int] = []
        best_two = self._sp.NBestEncode(words, nbest_size=2, return_type="proto")
        for word, best in zip(words, best_two, strict=True):
            paths = best.nbests
            first = [p.id for p in paths[0].pieces]
            if self._unk in first or (
                len(paths) > 1 and paths[0].score - paths[1].score < _NEAR_TIE
            ):
                first = self._viterbi(word)
            ids += first
        return ids

    def encode(self, text: str) -> list[int]:
        """`<s>` + the ids of `text` + `</s>`."""
        return [self.bos, *self.pieces(text), self.eos]

    def encode_pair(self, first: str, second: str) -> list[int]:
        """`<s> A </s></s> B </s>`: the XLM-R input of a cross-encoder."""
        return [self.bos, *self.pieces(first), self.eos, self.eos, *self.pieces(second), self.eos]

    @functools.cached_property
    def _exact(self) -> tuple[float, int]:
        """(the score of an unknown character, the longest piece): for `_viterbi` only."""
        sp = self._sp
        size = sp.GetPieceSize()
        lowest = min(sp.GetScore(i) for i in range(size) if not sp.IsControl(i))
        return lowest - _UNK_PENALTY, max(len(sp.IdToPiece(i)) for i in range(size))

    def _viterbi(self, word: str) -> list[int]:
        """`tokenizers`' Unigram `encode_optimized` on one word: float64 sums, the first path to
        reach a position wins a tie, an unknown character costs the lowest score less 10, and
        consecutive unknown characters become one unknown token."""
        unk_score, longest = self._exact
        size = len(word)
        best: list[tuple[float, int, int] | None] = [None] * (size + 1)  # score, start, id
        best[0] = (0.0, -1, -1)
        for start in range(size):
            here = best[start]
            assert here is not None  # every position is reached (a character or unknown)
            single = False
            for end in range(start + 1, min(size, start + longest) + 1):
                piece = self._sp.PieceToId(word[start:end])
                if piece == self._unk or self._sp.IsControl(piece):
                    continue
                candidate = here[0] + self._sp.GetScore(piece)
                there = best[end]
                if there is None or candidate > there[0]:
                    best[end] = (candidate, start, piece)
                single = single or end == start + 1
            if not single:
                candidate = here[0] + unk_score
                there = best[start + 1]
                if there is None or candidate > there[0]:
                    best[start + 1] = (candidate, start, self._unk)
        ids: list[int] = []
        end = size
        while end > 0:
            node = best[end]
            assert node is not None
            if not (node[2] == self._unk and ids and ids[-1] == self._unk):
                ids.append(node[2])
            end = node[1]
        return ids[::-1]
