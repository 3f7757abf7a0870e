"""Export a local sentence-transformers model to ONNX (fp32 or int8), once, at set-up.

On one core ONNX Runtime encodes a question about 1.8 times faster than sentence-transformers
+ torch with the same weights, and about 3 times faster with int8 feed-forward weights, which also
embed passages 1.7 times faster (figures in docs/benchmarks.md). The Hugging Face hub is
unreachable, so the export runs locally from the rebuilt model folder: the transformer with its
mean pooling and normalization baked into one graph, quantized with ONNX Runtime's dynamic int8
quantization when asked. The folder is built beside its target and renamed into place.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MARKER = "onnx-export.json"  # written last: its presence means the folder is complete
FORMAT_VERSION = 3  # raised when exports change (3: int8 keeps the word embeddings fp32)
PRECISIONS = ("fp32", "int8")


class ExportError(RuntimeError):
    """The model cannot be exported (not a local mean-pooled sentence-transformers folder)."""


def _source_info(source: Path, precision: str) -> dict[str, Any]:
    """What the marker records: any change to the source folder means a new export."""
    files = sorted(p for p in source.rglob("*") if p.is_file())
    return {
        "format": FORMAT_VERSION,
        "precision": precision,
        "source": str(source.resolve()),
        "files": {
            str(p.relative_to(source)): [p.stat().st_size, p.stat().st_mtime_ns] for p in files
        },
    }


def _marker(folder: Path) -> dict[str, Any] | None:
    try:
        return dict(json.loads((folder / MARKER).read_text("utf-8")))
    except (OSError, ValueError):
        return None


def read_marker(folder: Path) -> dict[str, Any]:
    """The export's settings (its longest input); an error when the folder is not an export."""
    marker = _marker(folder)
    if marker is None:
        raise ExportError(f"{folder} is not an ONNX export (no {MARKER})")
    return marker


def _check_mean_pooled(source: Path) -> int:
    """The model's longest input; refuses anything but Transformer → mean Pooling → Normalize."""
    try:
        modules = json.loads((source / "modules.json").read_text("utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = json.loads((source / modules[1]["path"] / "config.json").read_text("utf-8"))
        bert = json.loads((source / "sentence_bert_config.json").read_text("utf-8"))
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise ExportError(f"{source}: not a local sentence-transformers folder ({exc})") from exc
    if kinds != ["Transformer", "Pooling", "Normalize"] or not pooling.get(
        "pooling_mode_mean_tokens"
    ):
        raise ExportError(f"{source}: only Transformer → mean Pooling → Normalize is exported")
    if not (source / TOKENIZER_FILE).is_file():
        raise ExportError(f"{source}: no {TOKENIZER_FILE} (a fast tokenizer is needed)")
    return int(bert.get("max_seq_length", 512))


def _export_fp32(source: Path, target: Path) -> None:
    """The transformer, mean pooling and L2 normalization as one ONNX graph."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    body = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = body

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.body(input_ids=input_ids, attention_mask=attention_mask)[0]
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    ids = torch.tensor([[0, 100, 200, 300, 2], [0, 100, 200, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length", max=512)
    with (
        torch.inference_mode(),
        contextlib.redirect_stdout(io.StringIO()),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled().eval(),
            (ids, mask),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_shapes={
                "input_ids": {0: batch, 1: length},
                "attention_mask": {0: batch, 1: length},
            },
            dynamo=True,
            external_data=True,
            verbose=False,
        )


def _int8_nodes(model: Path, source: Path) -> list[str]:
    """The feed-forward matrix products: int8 there is where the speed is (a question in 6.7 ms
    instead of 12) and left every `bot eval` figure unchanged. Not the word-embedding lookup:
    int8 there saves 290 MB of model file but, once the engine weighed the dense scores more, cost
    1.2 points of recall@1 over the question sets (3.4 on questions.jsonl). Not attention either:
    twice as fast again, but 0.7 to 2 points of recall lost."""
    import onnx

    config = json.loads((source / "config.json").read_text("utf-8"))
    graph = onnx.load(str(model), load_external_data=False).graph
    shapes = {tensor.name: tuple(tensor.dims) for tensor in graph.initializer}
    ffn = config["intermediate_size"]
    return [
        node.name
        for node in graph.node
        if node.op_type == "MatMul" and any(ffn in shapes.get(x, ()) for x in node.input)
    ]


def export_model(
    source: Path, out_dir: Path, *, precision: str = "int8", force: bool = False
) -> Path:
    """Export the sentence-transformers folder `source` to `out_dir` (fp32 or int8); return it.

    A no-op when `out_dir` already holds an export of the same source files at this precision.
    """
    if precision not in PRECISIONS:
        raise ExportError(f"unknown precision {precision!r} (one of {', '.join(PRECISIONS)})")
    source, out_dir = Path(source), Path(out_dir)
    max_length = _check_mean_pooled(source)
    info = _source_info(source, precision)
    if not force and (_marker(out_dir) or {}).get("built_from") == info:
        return out_dir
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    logging.disable(logging.WARNING)  # the exporter's and quantizer's advice is for their authors
    try:
        if precision == "fp32":
            _export_fp32(source, tmp / MODEL_FILE)
        else:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            _export_fp32(source, tmp / "fp32.onnx")
            quantize_dynamic(
                tmp / "fp32.onnx",
                tmp / MODEL_FILE,
                weight_type=QuantType.QInt8,
                per_channel=True,
                nodes_to_quantize=_int8_nodes(tmp / "fp32.onnx", source),
            )
            for leftover in tmp.glob("fp32.onnx*"):
                leftover.unlink()
        shutil.copy2(source / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
        marker = {"built_from": info, "max_length": max_length}
        (tmp / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        logging.disable(logging.NOTSET)
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
