"""The tone model: sentiment of a sentence toward a target it mentions, from a trained encoder.

framelens ships ``tone-newsmtsc`` (folder ``framelens/models/tone/``): all-MiniLM-L6-v2
fine-tuned on the human labels of NewsMTSC's training set (``training/train_tone.py``),
exported to ONNX and quantised to int8. Its card (``MODEL_CARD.md`` in that folder) gives
the training data, the held-out scores and the known failure modes.

The target is marked in its sentence with two tokens, ``[TGT]`` before and ``[/TGT]``
after the mention (:func:`mark_target`), and the model returns the probabilities of
negative, neutral and positive tone toward it. A sentence longer than the model's
``max_length`` (128 tokens) is cut around the target, never at the end, and the cut is
counted in the ``tone_truncated`` column.

A user's own model works the same way if its folder has the same three files
(``model.onnx``, ``tokenizer.json``, ``model.json``) and its labels are negative, neutral
and positive: :func:`load_tone_model` ``(path)``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.errors import ModelError
from framelens.models.runtime import OnnxModel

__all__ = [
    "TARGET_END",
    "TARGET_START",
    "TONE_LABELS",
    "TONE_MODEL_DIR",
    "load_tone_model",
    "mark_target",
    "score_tone",
    "set_default_threads",
    "tone_agreement",
    "tone_model_info",
]

#: the folder of the shipped tone model
TONE_MODEL_DIR = Path(__file__).resolve().parent / "tone"
#: the tokens that mark the target in its sentence
TARGET_START = "[TGT]"
TARGET_END = "[/TGT]"
#: the classes of the tone model, in the order of its outputs
TONE_LABELS = ("negative", "neutral", "positive")

_MODELS: dict[tuple[str, float, int], OnnxModel] = {}
_THREADS: list[int | None] = [None]


def set_default_threads(threads: int | None) -> None:
    """How many threads a tone model loaded without ``threads`` uses in this process.

    None (the default) uses every core the process may run on, which suits a notebook or
    ``framelens compare``; ``framelens score`` sets 1 in each of its workers, which run
    one per core.
    """
    _THREADS[0] = threads


def _default_threads() -> int:
    if _THREADS[0] is not None:
        return max(1, int(_THREADS[0]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def mark_target(text: str, start: int, end: int) -> str:
    """The sentence with its target between :data:`TARGET_START` and :data:`TARGET_END`.

    Examples
    --------
    >>> mark_target("Critics slammed Smith on Monday.", 16, 21)
    'Critics slammed [TGT] Smith [/TGT] on Monday.'
    """
    return f"{text[:start]}{TARGET_START} {text[start:end]} {TARGET_END}{text[end:]}"


def load_tone_model(path: str | os.PathLike | OnnxModel | None = None, *,
                    threads: int | None = None) -> OnnxModel:
    """Load the shipped tone model, or a user's model with the same interface.

    A model is loaded once per process and folder (and again when its manifest changes).

    Parameters
    ----------
    path : a model folder (``model.onnx``, ``tokenizer.json``, ``model.json``), an
        already loaded :class:`~framelens.models.runtime.OnnxModel`, or None for the
        shipped model.
    threads : onnxruntime's intra-op threads; None: see :func:`set_default_threads`.

    Raises
    ------
    ModelError : files missing or corrupt, or the labels are not negative, neutral,
        positive.

    Examples
    --------
    >>> load_tone_model().labels
    ('negative', 'neutral', 'positive')
    """
    if threads is None:
        threads = _default_threads()
    if isinstance(path, OnnxModel):
        model = path
    else:
        folder = Path(TONE_MODEL_DIR if path is None else path)
        manifest = folder / "model.json" if folder.name != "model.json" else folder
        try:
            stamp = manifest.stat().st_mtime
        except OSError:
            stamp = -1.0
        key = (str(folder.resolve()), stamp, int(threads))
        model = _MODELS.get(key)
        if model is None:
            model = OnnxModel(folder, threads=threads)
            _MODELS[key] = model
    if tuple(model.labels) != TONE_LABELS:
        raise ModelError(
            f"the model's labels are {list(model.labels)}; a tone model must give "
            f"{list(TONE_LABELS)} in that order.",
            path=model.folder / "model.json",
            fix="set \"labels\": [\"negative\", \"neutral\", \"positive\"] in model.json "
                "to match the order of the model's logits.",
        )
    return model


def tone_model_info(path: str | os.PathLike | OnnxModel | None = None) -> dict[str, str]:
    """Name, version, SHA-256 and folder of a tone model, for a report's provenance.

    Examples
    --------
    >>> sorted(tone_model_info())
    ['name', 'path', 'sha256', 'version']
    """
    return load_tone_model(path).provenance()


def tone_agreement(path: str | os.PathLike | OnnxModel | None = None) -> pd.DataFrame:
    """How well the tone model and the lexicons agree with human coders, as measured
    when the model was trained: macro-F1 on NewsMTSC pairs held out by story.

    The numbers are stored in the model's manifest by ``training/train_tone.py``, so a
    report states the agreement of the model it actually used. A user's model without
    them gives an empty table.

    Returns
    -------
    DataFrame with ``method, description, n, macro_f1, macro_f1_lo, macro_f1_hi,
    accuracy, f1_negative, f1_neutral, f1_positive``; the interval is a 95 % story
    bootstrap.

    Examples
    --------
    >>> tone_agreement()["method"].iloc[0]
    'tone model'
    """
    columns = ["method", "description", "n", "macro_f1", "macro_f1_lo", "macro_f1_hi",
               "accuracy", "f1_negative", "f1_neutral", "f1_positive"]
    rows = load_tone_model(path).manifest.get("agreement") or []
    return pd.DataFrame(rows, columns=columns)


def score_tone(
    texts: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    *,
    model: str | os.PathLike | OnnxModel | None = None,
    batch_size: int = 64,
) -> pd.DataFrame:
    """Probabilities of negative, neutral and positive tone toward each target.

    Each sentence is scored once per target; identical (sentence, span) pairs are scored
    once.

    Parameters
    ----------
    texts : the sentences.
    starts, ends : the mention's character offsets in each sentence, end exclusive.
    model : the tone model's folder, a loaded model, or None for the shipped one.
    batch_size : pairs per onnxruntime call (pairs are sorted by length first).

    Returns
    -------
    DataFrame with one row per input pair, in input order: ``tone_negative``,
    ``tone_neutral``, ``tone_positive`` (probabilities summing to 1), ``tone_label``
    (the most probable class), ``tone_score`` (``tone_positive - tone_negative``, -1 … 1)
    and ``tone_truncated`` (the sentence was cut around the target to fit the model).

    Examples
    --------
    >>> text = "Police arrested Smith after the attack."
    >>> score_tone([text], [16], [21])["tone_label"].tolist()
    ['negative']
    """
    loaded = load_tone_model(model)
    n = len(texts)
    keys = pd.DataFrame({"text": list(texts), "start": list(starts), "end": list(ends)})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
    marked = [mark_target(text, int(start), int(end)) for text, start, end in uniques]
    encoded = loaded.encode(marked, focus_token=TARGET_START, focus_end_token=TARGET_END)
    probabilities = loaded.predict_proba(encoded, batch_size=batch_size)[codes] if n else \
        np.empty((0, len(TONE_LABELS)))
    truncated = encoded.truncated[codes] if n else np.zeros(0, dtype=bool)
    out = pd.DataFrame(probabilities, columns=[f"tone_{label}" for label in TONE_LABELS])
    best = probabilities.argmax(axis=1) if n else np.zeros(0, dtype="int64")
    out["tone_label"] = pd.Series(np.asarray(TONE_LABELS, dtype=object)[best], dtype="object")
    out["tone_score"] = out["tone_positive"] - out["tone_negative"]
    out["tone_truncated"] = truncated
    return out
