"""Export a local BERT-like model folder to ONNX (fp32 or int8), once, at set-up.

On one core ONNX Runtime encodes a question about 1.8 times faster than sentence-transformers
+ torch with the same weights, and about 3 times faster with int8 feed-forward weights, which also
embed passages 1.7 times faster (figures in docs/benchmarks.md). The Hugging Face hub is
unreachable, so the export runs locally from a model folder: the transformer with its head baked
into one graph (mean pooling and normalization for a sentence embedder, the logits for a
cross-encoder), quantized with ONNX Runtime's dynamic int8 quantization when asked.

The graph starts from the input embeddings: the 250,002 × 384 word-embedding table (384 MB in
fp32) is saved apart, as a .npy file from which the answering process reads the rows of the
tokens it meets, and nothing else (index/onnx_model.py). In the graph the table was resident
twice over while loading: 1.2 GB peak to answer one question (docs/memory.md). The tokenizer
gets the compact files of index/unigram.py beside its tokenizer.json. The folder is built
beside its target and renamed into place.
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

import numpy as np

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
EMBEDDINGS_FILE = "embeddings.npy"  # the word-embedding table, fp32, one row per token id
EMBEDS_INPUT = "inputs_embeds"
MARKER = "onnx-export.json"  # written last: its presence means the folder is complete
FORMAT_VERSION = 4  # raised when exports change (4: the word embeddings outside the graph)
# "int8": feed-forward products only (the embedder: attention in int8 cost it recall);
# "int8-all": every matrix product (the reader, twice as fast as fp32; its decline model is
# fitted on these very scores, index/training/build.py)
PRECISIONS = ("fp32", "int8", "int8-all")
HEADS = ("mean", "logits")  # a mean-pooled sentence embedder; a sequence classifier


class ExportError(RuntimeError):
    """The model cannot be exported (not a local folder of a model the head fits)."""


def _source_info(source: Path, precision: str, head: str) -> dict[str, Any]:
    """What the marker records: any change to the source folder means a new export."""
    files = sorted(p for p in source.rglob("*") if p.is_file())
    return {
        "format": FORMAT_VERSION,
        "precision": precision,
        "head": head,
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


def _max_length(source: Path, head: str) -> int:
    """The model's longest input; refuses a folder the head does not fit (a sentence embedder
    must be Transformer → mean Pooling → Normalize; a classifier, a sequence classifier)."""
    try:
        if not (source / TOKENIZER_FILE).is_file():
            raise ExportError(f"{source}: no {TOKENIZER_FILE} (a fast tokenizer is needed)")
        if head == "logits":
            config = json.loads((source / "config.json").read_text("utf-8"))
            kinds = config["architectures"]
            if not any(a.endswith("ForSequenceClassification") for a in kinds):
                raise ExportError(f"{source}: not a sequence classifier ({kinds})")
            tokenizer = json.loads((source / "tokenizer_config.json").read_text("utf-8"))
            return min(int(tokenizer.get("model_max_length", 512)), 512)
        modules = json.loads((source / "modules.json").read_text("utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = json.loads((source / modules[1]["path"] / "config.json").read_text("utf-8"))
        bert = json.loads((source / "sentence_bert_config.json").read_text("utf-8"))
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise ExportError(f"{source}: not a local model folder ({exc})") from exc
    # sentence-transformers 6 writes {"pooling_mode": "mean"}, earlier ones a flag per mode
    mean = pooling.get("pooling_mode_mean_tokens") or pooling.get("pooling_mode") == "mean"
    if kinds != ["Transformer", "Pooling", "Normalize"] or not mean:
        raise ExportError(f"{source}: only Transformer → mean Pooling → Normalize is exported")
    return int(bert.get("max_seq_length", 512))


def _export_fp32(source: Path, target: Path, head: str) -> np.ndarray:
    """The transformer from its input embeddings on, with its head (mean pooling and L2
    normalization, or the classifier's logits), as one ONNX graph; returns the word-embedding
    table, which the graph leaves out (it is looked up in numpy, see index/onnx_model.py)."""
    import torch
    from transformers import AutoModel, AutoModelForSequenceClassification
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    kind = AutoModel if head == "mean" else AutoModelForSequenceClassification
    model = kind.from_pretrained(str(source), attn_implementation="eager").eval()
    table = model.get_input_embeddings().weight.detach().numpy().copy()
    model.set_input_embeddings(torch.nn.Embedding(1, table.shape[1]))  # not in the graph

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            out = self.model(inputs_embeds=embeds, attention_mask=attention_mask)
            if head == "logits":
                return out.logits
            weights = attention_mask.unsqueeze(-1).to(out[0].dtype)
            mean = (out[0] * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    ids = np.array([[0, 100, 200, 300, 2], [0, 100, 200, 2, 1]])
    embeds = torch.from_numpy(table[ids])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length", max=512)
    with (
        torch.inference_mode(),
        contextlib.redirect_stdout(io.StringIO()),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Graph().eval(),
            (embeds, mask),
            str(target),
            input_names=[EMBEDS_INPUT, "attention_mask"],
            output_names=["logits" if head == "logits" else "sentence_embedding"],
            dynamic_shapes={
                "embeds": {0: batch, 1: length},
                "attention_mask": {0: batch, 1: length},
            },
            dynamo=True,
            external_data=True,
            verbose=False,
        )
    return table


def _int8_nodes(model: Path, source: Path) -> list[str]:
    """The feed-forward matrix products: int8 there is where the speed is (a question in 6.7 ms
    instead of 12) and left every `bot eval` figure unchanged. The word embeddings (outside the
    graph) stay fp32: int8 there cost 1.2 points of recall@1 over the question sets (3.4 on
    questions.jsonl), and memory-mapped only the rows used are read anyway. Not attention
    either: twice as fast again, but 0.7 to 2 points of recall lost."""
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
    source: Path,
    out_dir: Path,
    *,
    precision: str = "int8",
    head: str = "mean",
    force: bool = False,
) -> Path:
    """Export the model folder `source` to `out_dir` (fp32 or int8); return it.

    `head` "mean": a sentence-transformers folder, giving normalized mean-pooled vectors;
    "logits": a Hugging Face sequence classifier (a cross-encoder), giving its logits. Any
    BERT-like model with a Unigram tokenizer.json (the XLM-R vocabulary) fits. Load the result
    with index.onnx_model.OnnxModel. A no-op when `out_dir` already holds an export of the same
    source files at this precision.
    """
    if precision not in PRECISIONS:
        raise ExportError(f"unknown precision {precision!r} (one of {', '.join(PRECISIONS)})")
    if head not in HEADS:
        raise ExportError(f"unknown head {head!r} (one of {', '.join(HEADS)})")
    source, out_dir = Path(source), Path(out_dir)
    max_length = _max_length(source, head)
    info = _source_info(source, precision, head)
    if not force and (_marker(out_dir) or {}).get("built_from") == info:
        return out_dir
    from index.progress import announce
    from index.unigram import write_files

    stages = ["exporting the graph", *(["quantizing to int8"] if precision != "fp32" else [])]
    stages.append("writing the embeddings and tokenizer")
    step = announce(f"Exporting {source.name} to ONNX {precision} into {out_dir} (once)", stages)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    logging.disable(logging.WARNING)  # the exporter's and quantizer's advice is for their authors
    try:
        if precision == "fp32":
            table = _export_fp32(source, tmp / MODEL_FILE, head)
        else:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            table = _export_fp32(source, tmp / "fp32.onnx", head)
            step(stages[0])
            quantize_dynamic(
                tmp / "fp32.onnx",
                tmp / MODEL_FILE,
                weight_type=QuantType.QInt8,
                per_channel=True,
                nodes_to_quantize=(
                    _int8_nodes(tmp / "fp32.onnx", source) if precision == "int8" else None
                ),
            )
            for leftover in tmp.glob("fp32.onnx*"):
                leftover.unlink()
        step(stages[-2])
        np.save(tmp / EMBEDDINGS_FILE, np.ascontiguousarray(table, dtype=np.float32))
        del table
        shutil.copy2(source / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
        write_files(tmp / TOKENIZER_FILE, tmp)
        step(stages[-1])
        marker = {"built_from": info, "max_length": max_length, "head": head}
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
