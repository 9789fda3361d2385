"""Export the sentence encoder framelens ships for learned frames (int8 ONNX).

The encoder is all-MiniLM-L6-v2 (Reimers & Gurevych 2019; Apache-2.0), unchanged: its
token states are mean-pooled over the attention mask and L2-normalised inside the graph,
exactly as sentence-transformers computes the model's sentence embedding, so the ONNX
graph's output ``embedding`` (batch × 384) is the embedding users know. The float graph is
quantised with onnxruntime's dynamic int8 quantisation (per-channel weights,
``MatMulConstBOnly``), checked against the float PyTorch model on fixed sentences, and
written with its tokenizer and a manifest to ``src/framelens/models/encoder/``.

Needs the ``[train]`` extra (torch, transformers, onnx); nothing here is random, so the
same base model gives the same file.

    python training/export_encoder.py [--base sentence-transformers/all-MiniLM-L6-v2]
                                      [--out src/framelens/models/encoder]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

from train_tone import (  # noqa: E402
    DEFAULT_BASE,
    export_onnx,
    quantize_dynamic_int8,
    resolve_base,
)

from framelens.models.runtime import OnnxModel, file_sha256  # noqa: E402

MAX_LENGTH = 128
CHECK_SENTENCES = [
    "The government must act now to cut emissions, the minister said.",
    "Farmers in Iowa lost their crops to the third flood in five years.",
    "Republicans and Democrats clashed over the cost of the Green New Deal.",
    "It is our moral duty to protect creation for our children.",
    "The carbon tax would raise $2 trillion over a decade.",
    "Shares rose.",
]


def build_encoder(base_path: str):
    import torch
    from torch import nn
    from transformers import AutoModel

    class MeanPooledEncoder(nn.Module):
        """The base encoder, mean-pooled over real tokens and L2-normalised."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(base_path)

        def forward(self, input_ids, attention_mask):
            states = self.encoder(input_ids=input_ids,
                                  attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return MeanPooledEncoder().eval()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help="hub id or folder of the encoder")
    parser.add_argument("--out", type=Path, default=ROOT / "src/framelens/models/encoder")
    args = parser.parse_args(argv)
    import torch
    from tokenizers import Tokenizer

    torch.set_num_threads(2)
    base_path = resolve_base(args.base)
    model = build_encoder(base_path)
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer.from_file(str(Path(base_path) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.save(str(args.out / "tokenizer.json"))
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        export_onnx(model, float_path, [101, 2023, 2003, 1037, 3231, 102], output="embedding")
        quantize_dynamic_int8(float_path, args.out / "model.onnx")
    manifest = {
        "name": "minilm-l6-sentence",
        "version": "1.0.0",
        "task": "sentence embedding (mean-pooled, L2-normalised)",
        "output": "embedding",
        "dimensions": int(model.encoder.config.hidden_size),
        "labels": [],
        "max_length": MAX_LENGTH,
        "onnx": "model.onnx",
        "tokenizer": "tokenizer.json",
        "sha256": file_sha256(args.out / "model.onnx"),
        "quantization": "int8 weights per channel, int8 activations per call",
        "batch_invariant": False,
        "base_model": args.base,
        "licence": "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)",
    }
    (args.out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    # check: the int8 graph against the float model
    onnx_model = OnnxModel(args.out)
    encoded = onnx_model.encode(CHECK_SENTENCES)
    got = onnx_model.embed(encoded)
    with torch.no_grad():
        want = []
        for ids in encoded.ids:
            t = torch.tensor([ids])
            want.append(model(t, torch.ones_like(t)).numpy()[0])
    cosine = np.sum(got * np.array(want), axis=1)
    manifest["check"] = {"sentences": len(CHECK_SENTENCES),
                         "min_cosine_to_float": round(float(cosine.min()), 4)}
    (args.out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (min cosine to the float model {cosine.min():.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
