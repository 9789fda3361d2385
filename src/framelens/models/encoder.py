"""The shipped sentence encoder: texts to embeddings, for learned frames.

framelens ships all-MiniLM-L6-v2 (Reimers & Gurevych 2019, Apache-2.0) as an int8 ONNX
graph in ``models/encoder/`` (``training/export_encoder.py`` rebuilds it): mean-pooled,
L2-normalised 384-dimensional sentence embeddings, as sentence-transformers computes
them, run by onnxruntime without PyTorch. :func:`embed_texts` is the one entry point;
:func:`load_encoder` accepts the shipped folder, a user's folder with the same interface
or a loaded :class:`~framelens.models.runtime.OnnxModel`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from framelens.errors import ModelError
from framelens.models.runtime import OnnxModel

__all__ = ["ENCODER_DIR", "clear_embeddings", "embed_texts", "encoder_info", "load_encoder"]

ENCODER_DIR = Path(__file__).resolve().parent / "encoder"


@functools.lru_cache(maxsize=4)
def _cached(path: str, threads: int) -> OnnxModel:
    return OnnxModel(path, threads=threads)


def load_encoder(path: str | os.PathLike | OnnxModel | None = None, *,
                 threads: int = 1) -> OnnxModel:
    """The sentence encoder at ``path`` (default: the shipped one), loaded once per process.

    Raises
    ------
    ModelError : the folder is missing, corrupt, or holds a classifier, not an encoder.

    Examples
    --------
    >>> load_encoder().manifest["dimensions"]
    384
    """
    if isinstance(path, OnnxModel):
        model = path
    else:
        folder = Path(path) if path is not None else ENCODER_DIR
        model = _cached(str(folder.resolve()), int(threads))
    if model.output == "logits":
        raise ModelError(f"{model.folder} is a classifier, not a sentence encoder.",
                         path=model.folder,
                         fix="pass the folder of an encoder whose model.json names its "
                             "output (\"output\": \"embedding\").")
    return model


_CACHE_LIMIT = 200_000  # sentence embeddings kept per process (about 300 MB at most)
_cache: dict[tuple[str, str], np.ndarray] = {}


def embed_texts(texts: Sequence[str], *, encoder: str | os.PathLike | OnnxModel | None = None
                ) -> np.ndarray:
    """Embed ``texts`` (one row each, float32, unit length); long texts are cut at the end.

    A text's embedding does not depend on the texts embedded with it (the encoder runs
    each text alone), so embeddings are remembered per process: learning again on a
    grown coding sheet, or applying frames to sentences already seen, embeds only the
    new texts.

    Examples
    --------
    >>> e = embed_texts(["The minister must act.", "The minister has to act.", "Shares rose."])
    >>> bool(e[0] @ e[1] > e[0] @ e[2])
    True
    """
    model = load_encoder(encoder)
    dims = int(model.manifest.get("dimensions", 0))
    out = np.zeros((len(texts), dims), dtype="float32")
    if len(texts) == 0:
        return out
    key = model.sha256
    todo = [t for t in dict.fromkeys(texts) if (key, t) not in _cache]
    if todo:
        fresh = model.embed(model.encode(todo)).astype("float32")
        if len(_cache) + len(todo) > _CACHE_LIMIT:
            _cache.clear()
        _cache.update(((key, t), row) for t, row in zip(todo, fresh))
        local = dict(zip(todo, fresh))
    else:
        local = {}
    for i, t in enumerate(texts):
        row = local.get(t)
        out[i] = row if row is not None else _cache[(key, t)]
    return out


def clear_embeddings() -> None:
    """Forget the embeddings remembered by :func:`embed_texts` (to time a cold run, or
    to free memory)."""
    _cache.clear()


def encoder_info(path: str | os.PathLike | OnnxModel | None = None) -> dict[str, str]:
    """Name, version, SHA-256 and path of the encoder, for a report's provenance."""
    return load_encoder(path).provenance()
