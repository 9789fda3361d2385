"""The encoder runtime: run a small ONNX text classifier on the CPU, without PyTorch.

A model is a folder holding three files, named in its manifest ``model.json``:

``model.onnx``
    the graph: inputs ``input_ids`` and ``attention_mask`` (int64, batch × length),
    output ``logits`` (float, batch × classes) for a classifier, or the output the
    manifest names under ``output`` (``embedding``, batch × dimensions) for a sentence
    encoder. framelens's own models are int8-quantised.
``tokenizer.json``
    a Hugging Face :mod:`tokenizers` tokenizer, with any marker tokens the model needs.
``model.json``
    the manifest: ``name``, ``version``, ``labels`` (one per logit; empty for an
    encoder), ``output`` (default ``logits``), ``max_length`` (tokens,
    special tokens included), optionally ``sha256`` of ``model.onnx`` (checked on load),
    ``markers``, ``batch_invariant`` (false for a graph whose activations are quantised
    per call, see below) and free metadata (base model, training data, metrics).

:class:`OnnxModel` loads and checks such a folder and turns texts into class
probabilities (:meth:`OnnxModel.predict_proba`) or embeddings (:meth:`OnnxModel.embed`):
texts are tokenised once, sorted by length and run in batches padded to the longest text
of the batch, so a batch of short sentences costs little. Texts longer than
``max_length`` tokens are cut around a *focus* token (the target marker of the tone model)
rather than at the end, and counted.

A model quantised *dynamically* (onnxruntime's ``quantize_dynamic``: int8 weights, and
activations quantised on the fly with one scale per call) computes in int8 and is about
three times as fast as the float model, but that scale covers the whole batch, so a
text's probabilities would depend on the texts batched with it. Such a manifest says
``"batch_invariant": false`` and :class:`OnnxModel` then runs every text on its own:
a text scores the same in any corpus, chunk or order.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from framelens.errors import ModelError

__all__ = ["Encoded", "OnnxModel", "encode_texts", "file_sha256", "softmax"]

MANIFEST = "model.json"


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB blocks.

    Examples
    --------
    >>> len(file_sha256(__file__))
    64
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a 2-D array, computed stably in float64.

    Examples
    --------
    >>> softmax(np.array([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """
    shifted = np.asarray(logits, dtype="float64")
    shifted = shifted - shifted.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Encoded:
    """Token ids of a list of texts, ready to batch.

    ``ids[i]`` are text i's token ids (special tokens included, at most ``max_length``);
    ``truncated[i]`` says whether text i was cut to fit.
    """

    ids: list[list[int]]
    truncated: np.ndarray = field(repr=False)


def _window(ids: list[int], focus: int | None, focus_end: int | None, max_length: int
            ) -> list[int]:
    """Cut ``[CLS] inner… [SEP]`` to ``max_length`` tokens, keeping ``focus`` in view.

    The window of inner tokens is centred on the span ``focus … focus_end`` (positions
    in ``ids``); without a focus the text is cut at its end, as BERT-style models usually
    are.
    """
    head, inner, tail = ids[:1], ids[1:-1], ids[-1:]
    room = max_length - 2
    if focus is None:
        return head + inner[:room] + tail
    first = focus - 1
    last = (focus_end if focus_end is not None else focus) - 1
    span = last - first + 1
    if span >= room:
        start = first
    else:
        start = first - (room - span) // 2
    start = max(0, min(start, len(inner) - room))
    return head + inner[start:start + room] + tail


def encode_texts(
    tokenizer,
    texts: Sequence[str],
    *,
    max_length: int,
    focus_token: str | None = None,
    focus_end_token: str | None = None,
) -> Encoded:
    """Tokenise ``texts`` with special tokens, cutting over-long ones around a focus.

    The training script (``training/train_tone.py``) and :class:`OnnxModel` both encode
    through this function, so a model sees at run time exactly the input it was trained on.

    Parameters
    ----------
    tokenizer : a :class:`tokenizers.Tokenizer` (no padding, no truncation).
    texts : the texts, already marked as the model expects.
    max_length : most tokens per text, special tokens included.
    focus_token, focus_end_token : tokens whose span must stay inside the window when a
        text is longer than ``max_length`` (the tone model's target markers); without
        them a long text is cut at its end.

    Examples
    --------
    >>> from tokenizers import Tokenizer
    >>> from framelens.models.tone import TONE_MODEL_DIR
    >>> tokenizer = Tokenizer.from_file(str(TONE_MODEL_DIR / "tokenizer.json"))
    >>> encode_texts(tokenizer, ["a b c"], max_length=4).ids[0][-1]  # cut, [SEP] kept
    102
    """
    focus_id = tokenizer.token_to_id(focus_token) if focus_token else None
    focus_end_id = tokenizer.token_to_id(focus_end_token) if focus_end_token else None
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=True)
    ids: list[list[int]] = []
    truncated = np.zeros(len(encodings), dtype=bool)
    for k, encoding in enumerate(encodings):
        row = encoding.ids
        if len(row) > max_length:
            focus = row.index(focus_id) if focus_id is not None and focus_id in row else None
            focus_end = (row.index(focus_end_id)
                         if focus_end_id is not None and focus_end_id in row else None)
            row = _window(row, focus, focus_end, max_length)
            truncated[k] = True
        ids.append(row)
    return Encoded(ids=ids, truncated=truncated)


class OnnxModel:
    """An ONNX text classifier or encoder with its tokenizer, run by onnxruntime on the CPU.

    Parameters
    ----------
    path : the model's folder (holding ``model.json``) or its ``model.json``.
    threads : onnxruntime's intra-op threads; 1 (default) suits a process per core, as
        ``framelens score --jobs N`` and Dask workers run.
    check_hash : compare ``model.onnx`` with the manifest's ``sha256`` and refuse a file
        that differs (a truncated download, a file overwritten by accident).

    Attributes
    ----------
    manifest : the parsed ``model.json``.
    labels : class names, one per output column.
    sha256 : SHA-256 of ``model.onnx`` as read from disk.

    Raises
    ------
    ModelError : a file is missing, unreadable or corrupt, or the manifest is malformed;
        the message names the file and how to restore it.

    Examples
    --------
    >>> from framelens.models.tone import TONE_MODEL_DIR
    >>> model = OnnxModel(TONE_MODEL_DIR)
    >>> model.labels
    ('negative', 'neutral', 'positive')
    """

    def __init__(self, path: str | os.PathLike, *, threads: int = 1,
                 check_hash: bool = True) -> None:
        folder = Path(path)
        if folder.name == MANIFEST:
            folder = folder.parent
        self.folder = folder
        manifest_path = folder / MANIFEST
        self.manifest = _read_manifest(manifest_path)
        self.labels: tuple[str, ...] = tuple(self.manifest["labels"])
        self.max_length = int(self.manifest.get("max_length", 128))
        self.batch_invariant = bool(self.manifest.get("batch_invariant", True))
        self.name = str(self.manifest.get("name", folder.name))
        self.version = str(self.manifest.get("version", "unversioned"))
        self.output = str(self.manifest.get("output", "logits"))
        onnx_path = folder / self.manifest.get("onnx", "model.onnx")
        tokenizer_path = folder / self.manifest.get("tokenizer", "tokenizer.json")
        for needed in (onnx_path, tokenizer_path):
            if not needed.is_file():
                raise ModelError(f"{needed} is missing.", path=needed, fix=_RESTORE)
        self.onnx_path = onnx_path
        self.sha256 = file_sha256(onnx_path)
        expected = self.manifest.get("sha256")
        if check_hash and expected and expected != self.sha256:
            raise ModelError(
                f"{onnx_path} is corrupt or was replaced: its SHA-256 is {self.sha256[:12]}…, "
                f"the manifest expects {str(expected)[:12]}….",
                path=onnx_path, fix=_RESTORE,
            )
        self._tokenizer = _load_tokenizer(tokenizer_path)
        self._session = _load_session(onnx_path, threads, self.output)
        self._input_names = {i.name for i in self._session.get_inputs()}

    def __repr__(self) -> str:
        return f"OnnxModel({self.name!r}, version={self.version!r}, path={str(self.folder)!r})"

    def token_id(self, token: str) -> int | None:
        """The id of ``token`` in the model's vocabulary, or None."""
        return self._tokenizer.token_to_id(token)

    def encode(self, texts: Sequence[str], *, focus_token: str | None = None,
               focus_end_token: str | None = None) -> Encoded:
        """Tokenise ``texts``, cutting over-long ones around ``focus_token``.

        See :func:`encode_texts`.
        """
        return encode_texts(self._tokenizer, texts, max_length=self.max_length,
                            focus_token=focus_token, focus_end_token=focus_end_token)

    def predict_proba(self, encoded: Encoded, *, batch_size: int = 64) -> np.ndarray:
        """Class probabilities, one row per encoded text, in input order.

        Texts are run in batches of ``batch_size`` after sorting them by length, so that
        each batch is padded only to its own longest text. A model whose manifest says
        it is not batch-invariant runs each text alone, whatever ``batch_size``.
        """
        if not self.labels:
            raise ModelError(f"{self.folder} is an encoder (output {self.output!r}), not a "
                             "classifier.", path=self.folder,
                             fix="use OnnxModel.embed for an encoder's embeddings.")
        return softmax(self._run(encoded, batch_size=batch_size, width=len(self.labels)))

    def embed(self, encoded: Encoded, *, batch_size: int = 64) -> np.ndarray:
        """The model's output rows (an encoder's embeddings), one per encoded text.

        Batching as :meth:`predict_proba`; the rows are returned as the graph computes
        them (framelens's encoder normalises them to length 1).

        Examples
        --------
        >>> from framelens.models.encoder import ENCODER_DIR
        >>> model = OnnxModel(ENCODER_DIR)
        >>> model.embed(model.encode(["Shares rose."])).shape
        (1, 384)
        """
        width = int(self.manifest.get("dimensions", 0)) or None
        return self._run(encoded, batch_size=batch_size, width=width)

    def _run(self, encoded: Encoded, *, batch_size: int, width: int | None) -> np.ndarray:
        if not self.batch_invariant:
            batch_size = 1
        n = len(encoded.ids)
        if width is None:
            width = int(self._session.get_outputs()[0].shape[-1])
        out = np.empty((n, width), dtype="float64")
        if n == 0:
            return out
        lengths = np.fromiter((len(ids) for ids in encoded.ids), dtype="int64", count=n)
        order = np.argsort(lengths, kind="stable")
        for begin in range(0, n, batch_size):
            rows = order[begin:begin + batch_size]
            width = int(lengths[rows].max())
            input_ids = np.zeros((len(rows), width), dtype="int64")
            mask = np.zeros((len(rows), width), dtype="int64")
            for r, k in enumerate(rows):
                ids = encoded.ids[k]
                input_ids[r, :len(ids)] = ids
                mask[r, :len(ids)] = 1
            feed = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feed["token_type_ids"] = np.zeros_like(input_ids)
            (values,) = self._session.run([self.output], feed)
            out[rows] = values
        return out

    def provenance(self) -> dict[str, str]:
        """Name, version, SHA-256 and path of the model, for a report's provenance."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256,
                "path": str(self.folder)}


_RESTORE = ("reinstall framelens (pip install --force-reinstall framelens) to restore the "
            "shipped model, or pass the folder of a complete model (--tone-model PATH).")


def _read_manifest(path: Path) -> dict:
    if not path.is_file():
        raise ModelError(f"{path} is missing: a model folder needs its manifest.",
                         path=path, fix=_RESTORE)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{path} cannot be read as JSON ({error}).", path=path,
                         fix=_RESTORE) from error
    labels = manifest.get("labels") if isinstance(manifest, dict) else None
    encoder = isinstance(manifest, dict) and manifest.get("output", "logits") != "logits"
    if not (isinstance(labels, list) and (labels or encoder)
            and all(isinstance(x, str) for x in labels)):
        raise ModelError(f"{path} has no list of class names under 'labels'.", path=path,
                         fix='give the labels in the order of the logits, e.g. '
                             '"labels": ["negative", "neutral", "positive"].')
    return manifest


@functools.lru_cache(maxsize=8)
def _load_tokenizer_cached(path: str, mtime: float):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(path)


def _load_tokenizer(path: Path):
    try:
        tokenizer = _load_tokenizer_cached(str(path), path.stat().st_mtime)
    except Exception as error:  # tokenizers raises a bare Exception on a bad file
        raise ModelError(f"{path} is not a readable tokenizer ({error}).", path=path,
                         fix=_RESTORE) from error
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _load_session(path: Path, threads: int, output: str = "logits"):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.disable_quant_qdq", "1")
    try:
        session = ort.InferenceSession(str(path), sess_options=options,
                                       providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own Fail/InvalidProtobuf types
        raise ModelError(f"{path} is not a valid ONNX model ({error}).", path=path,
                         fix=_RESTORE) from error
    outputs = {o.name for o in session.get_outputs()}
    inputs = {i.name for i in session.get_inputs()}
    if output not in outputs or not {"input_ids", "attention_mask"} <= inputs:
        raise ModelError(
            f"{path} has inputs {sorted(inputs)} and outputs {sorted(outputs)}; framelens "
            f"needs inputs input_ids and attention_mask and an output named {output}.",
            path=path, fix="export the model with those names (see training/train_tone.py).",
        )
    return session
