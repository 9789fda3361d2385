"""Learned frames: per-frame classifiers trained on a coded sample, applied like a codebook.

A dictionary says an article uses a frame when enough of its terms match; coders judge
the whole story. :func:`learn_frames` fits, for each frame of a codebook, a classifier on
what coders decided in a filled coding sheet (the format :func:`framelens.validation.
write_coding_sheet` writes, or any table with the text and one 0/1 column per frame), and
:func:`apply_frames` codes new articles with it. The result is a :class:`FrameModel`,
saved as one JSON file beside the codebook (:meth:`FrameModel.save`); its SHA-256 goes
into every report made with it.

Features of a unit (an article, or a sentence for a sentence sheet), in this order:

* the **text embedding**: the mean of the unit's sentence embeddings from the shipped
  encoder (:mod:`framelens.models.encoder`, all-MiniLM-L6-v2, run by onnxruntime),
  normalised to length 1 (the headline counts as a sentence);
* the **frame's description**: the highest and the mean of the three highest cosine
  similarities between a sentence and the coding questions of the frame's
  ``description`` in the codebook (a frame often lives in two or three sentences);
* the **dictionary's evidence** for the frame: ``log(1 + hits)``, hits per 1,000 words,
  the number of sentences with a match and their share (:func:`framelens.score_frames`).

Per frame, features are standardised and a logistic regression with balanced class
weights is fitted (scikit-learn). Everything that is chosen is chosen by stratified
5-fold cross-validation on the sample: the penalty ``C`` (by average precision), a
Platt calibration of the decision value (fitted on out-of-fold decisions, so the
probabilities are honest), the probability threshold (the one at which the model marks,
out of fold, as many units as the coders did: shares counted from its decisions are not
inflated) and whether the thresholded dictionary agrees better with the coders (then the
frame keeps the dictionary). The published precision, recall and F1 come from a second,
*outer* 5-fold cross-validation around all of that (nested: no unit is scored by a model
that chose anything on it), side by side with the dictionary's on the same units and
with bootstrap intervals. The outer folds' out-of-fold codes are kept in the model
(:attr:`FrameModel.validation`): they give the sensitivity and specificity with which
:func:`framelens.corrected_prevalence` corrects group shares.

A frame with fewer than :data:`MIN_UNITS` coded units, or fewer than
:data:`MIN_PER_CLASS` units with (or without) it, is not learned: it falls back to the
dictionary, and the model says why and how many more coded units it needs.

At run time a model needs numpy, onnxruntime and tokenizers: the classifiers are stored
as plain numbers (means, scales, weights, calibration, threshold), not pickles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.codebook import Codebook, codebook_digest, load_codebook
from framelens.errors import InputError, ModelError, OutputError
from framelens.models.encoder import embed_texts, encoder_info, load_encoder
from framelens.versions import framelens_version

__all__ = [
    "FRAME_METRIC_COLUMNS",
    "MIN_PER_CLASS",
    "MIN_UNITS",
    "FrameModel",
    "LearnedFrame",
    "apply_frames",
    "frame_features",
    "learn_frames",
    "load_frame_model",
    "uncertain_units",
]

logger = logging.getLogger(__name__)

FORMAT = "framelens-frames"
FORMAT_VERSION = 1
MIN_UNITS = 20
MIN_PER_CLASS = 5
FOLDS = 5
C_GRID = (0.01, 0.1, 1.0)
N_BOOT = 1000
DICTIONARY_FEATURES = ("log_hits", "rate_per_1k", "sentences_with_frame",
                       "share_of_sentences")
DESCRIPTION_FEATURES = ("description_max", "description_top3")
FRAME_METRIC_COLUMNS = [
    "frame", "label", "method", "note", "n_units", "n_present", "precision", "recall", "f1",
    "f1_lo", "f1_hi", "dictionary_precision", "dictionary_recall", "dictionary_f1",
    "dictionary_f1_lo", "dictionary_f1_hi", "always_f1", "sensitivity", "specificity",
    "threshold", "C",
]


# --- the model ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LearnedFrame:
    """One frame's classifier, or the reason it falls back to the dictionary.

    ``probability = 1 / (1 + exp(-(a * d + b)))`` with the decision value
    ``d = ((x - mean) / scale) @ weights + intercept``; the frame is used when the
    probability reaches ``threshold``.
    """

    frame: str
    method: str  # "learned" or "dictionary"
    note: str = ""
    mean: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()
    intercept: float = 0.0
    calibration: tuple[float, float] = (1.0, 0.0)
    threshold: float = 0.5
    C: float = float("nan")

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probability that each row (a unit's features) uses the frame."""
        x = (np.asarray(features, dtype="float64") - np.asarray(self.mean)) \
            / np.asarray(self.scale)
        decision = x @ np.asarray(self.weights) + self.intercept
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-(a * decision + b)))


@dataclasses.dataclass
class FrameModel:
    """Learned frames for one codebook, as :func:`learn_frames` makes them.

    Attributes
    ----------
    codebook, codebook_version, codebook_sha256 : the codebook the frames belong to.
    unit : ``"article"`` or ``"sentence"``: what one coded unit was.
    frames : one :class:`LearnedFrame` per codebook frame, in codebook order.
    metrics : cross-validated precision, recall and F1 per frame beside the dictionary's
        (:data:`FRAME_METRIC_COLUMNS`).
    validation : the outer cross-validation's codes, one row per (unit, frame):
        ``unit_id, frame, truth, predicted, dictionary, probability``.
    encoder : name, version and SHA-256 of the encoder.
    framelens_version, seed, sheet_sha256, n_units : how it was made.
    path, sha256 : the file it was read from or saved to, and that file's SHA-256.
    """

    codebook: str
    codebook_version: str
    codebook_sha256: str
    unit: str
    frames: dict[str, LearnedFrame]
    metrics: pd.DataFrame
    validation: pd.DataFrame
    encoder: dict[str, str]
    framelens_version: str
    seed: int
    sheet_sha256: str
    n_units: int
    path: str = ""
    sha256: str = ""

    @property
    def learned(self) -> list[str]:
        """The frames with a classifier (the others fall back to the dictionary)."""
        return [f for f, m in self.frames.items() if m.method == "learned"]

    @property
    def measured(self) -> list[str]:
        """The frames whose error the cross-validation measured: every frame the sheet
        coded (a frame coded too rarely to learn keeps the dictionary, whose codes were
        still compared with the coders)."""
        return [f for f, m in self.frames.items() if not m.note.startswith("never coded")]

    def provenance(self) -> dict[str, str]:
        """What a report states about the model: file, SHA-256, codebook, encoder."""
        return {"frames_model": os.path.basename(self.path) or "(not saved)",
                "frames_sha256": self.sha256, "codebook": f"{self.codebook} "
                f"{self.codebook_version}", "unit": self.unit,
                "learned": ", ".join(self.learned) or "none",
                "dictionary": ", ".join(f for f in self.frames if f not in self.learned)
                or "none",
                "encoder": f"{self.encoder.get('name')} {self.encoder.get('version')}",
                "encoder_sha256": self.encoder.get("sha256", "")}

    def to_json(self) -> str:
        """The model as JSON text (what :meth:`save` writes)."""
        payload = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "framelens_version": self.framelens_version, "codebook": self.codebook,
            "codebook_version": self.codebook_version,
            "codebook_sha256": self.codebook_sha256, "unit": self.unit,
            "encoder": self.encoder, "seed": self.seed, "sheet_sha256": self.sheet_sha256,
            "n_units": self.n_units,
            "features": {"description": list(DESCRIPTION_FEATURES),
                         "dictionary": list(DICTIONARY_FEATURES)},
            "frames": [dataclasses.asdict(m) for m in self.frames.values()],
            "metrics": json.loads(self.metrics.to_json(orient="records")),
            "validation": json.loads(self.validation.to_json(orient="records")),
        }
        return json.dumps(payload, indent=1, allow_nan=True) + "\n"

    def save(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write the model to ``path`` (JSON), refusing to replace a file it did not make.

        A file that exists is replaced only with ``overwrite=True`` and only when it is a
        framelens frames model itself.
        """
        target = Path(path)
        if target.exists():
            if not overwrite:
                raise OutputError("exists.", path=target,
                                  fix="choose another --out, or pass --force to replace "
                                      "the earlier model.")
            if not _is_frames_file(target):
                raise OutputError("is not a framelens frames model; framelens will not "
                                  "replace it.", path=target, fix="choose another --out.")
        text = self.to_json()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        self.path = str(target)
        self.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return target


def _is_frames_file(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(200)
    except (OSError, UnicodeDecodeError):
        return False
    return f'"format": "{FORMAT}"' in head


def load_frame_model(path: str | os.PathLike, *,
                     codebook: Codebook | str | os.PathLike | None = None) -> FrameModel:
    """Read a frames model saved by :meth:`FrameModel.save`, and check it fits.

    Parameters
    ----------
    path : the model's JSON file.
    codebook : the codebook the report uses; the model must have been learned for it
        (same name, version and content). None skips that check.

    Raises
    ------
    ModelError : the file is missing, not a frames model, made by another framelens
        version, or learned for another codebook; the message says how to fix it.
    """
    target = Path(path)
    relearn = (f"run `framelens learn SHEET --codebook CODEBOOK --out {target}` again with "
               "this framelens (the coded sheet is all it needs).")
    if not target.is_file():
        raise ModelError(f"{target} does not exist.", path=target,
                         fix="give the file `framelens learn` wrote.")
    text = target.read_bytes()
    try:
        payload = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{target} is not a framelens frames model ({error}).",
                         path=target, fix="give the file `framelens learn` wrote.") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelError(f"{target} is not a framelens frames model.", path=target,
                         fix="give the file `framelens learn` wrote.")
    made_by = str(payload.get("framelens_version"))
    if payload.get("format_version") != FORMAT_VERSION or made_by != framelens_version():
        raise ModelError(f"{target} was made by framelens {made_by}; this is framelens "
                         f"{framelens_version()}, whose features may differ.", path=target,
                         fix=relearn)
    if codebook is not None:
        book = load_codebook(codebook)
        if (payload.get("codebook"), payload.get("codebook_version")) != \
                (book.name, book.version) or payload.get("codebook_sha256") != \
                codebook_digest(book):
            raise ModelError(
                f"{target} was learned for codebook {payload.get('codebook')} "
                f"{payload.get('codebook_version')}, not for {book.name} {book.version}"
                + (" (same name and version, different terms)"
                   if payload.get("codebook") == book.name
                   and payload.get("codebook_version") == book.version else "") + ".",
                path=target, fix=relearn.replace("CODEBOOK", book.name))
    frames = {}
    for item in payload["frames"]:
        item = dict(item)
        for key in ("mean", "scale", "weights", "calibration"):
            item[key] = tuple(item.get(key) or ())
        frames[item["frame"]] = LearnedFrame(**item)
    return FrameModel(
        codebook=payload["codebook"], codebook_version=payload["codebook_version"],
        codebook_sha256=payload["codebook_sha256"], unit=payload["unit"], frames=frames,
        metrics=pd.DataFrame(payload["metrics"], columns=FRAME_METRIC_COLUMNS),
        validation=pd.DataFrame(payload["validation"]), encoder=payload["encoder"],
        framelens_version=made_by, seed=int(payload["seed"]),
        sheet_sha256=payload["sheet_sha256"], n_units=int(payload["n_units"]),
        path=str(target), sha256=hashlib.sha256(text).hexdigest())


# --- features ----------------------------------------------------------------------------


def _question_embeddings(book: Codebook, encoder: object) -> dict[str, np.ndarray]:
    """The embedding of each coding question (sentence) of each frame's description."""
    out = {}
    for frame in book.frames:
        parts = [p.strip() for p in re.split(r"(?<=[.?;:])\s+", frame.description or "")
                 if len(p.strip()) > 10] or [frame.label]
        out[frame.id] = embed_texts(parts, encoder=encoder)
    return out


def frame_features(
    sentences: pd.DataFrame,
    frame_scores: pd.DataFrame,
    *,
    codebook: Codebook | str | os.PathLike,
    units: Sequence[str] | None = None,
    unit_column: str = "article_id",
    encoder: object = None,
) -> dict[str, np.ndarray]:
    """The features of each unit for each frame (see the module's description).

    Parameters
    ----------
    sentences : the analysed sentences (:func:`framelens.split_sentences`, headline,
        subheadings and body) with ``text`` and ``unit_column``.
    frame_scores : :func:`framelens.score_frames` for the same units, keyed by
        ``unit_column`` (one row per unit and frame).
    codebook : the codebook of ``frame_scores``.
    units : the units, in the order of the rows wanted; default the order of first
        appearance in ``sentences``.
    encoder : the sentence encoder (default the shipped one).

    Returns
    -------
    dict frame id -> array ``(units, 384 + 2 + 4)``: embedding, description similarity,
    dictionary evidence. A unit without sentences has zeros.

    Examples
    --------
    >>> import framelens as fl
    >>> arts = pd.DataFrame({"article_id": ["a"], "title": ["Costs soar"],
    ...                      "text": ["The plan will cost families $2,000 a year."]})
    >>> s = fl.split_sentences(arts)
    >>> sc = fl.score_frames(s, fl.match_frames(s, codebook="generic"), codebook="generic")
    >>> frame_features(s, sc, codebook="generic")["economic"].shape
    (1, 390)
    """
    book = load_codebook(codebook)
    model = load_encoder(encoder)
    ids = list(dict.fromkeys(sentences[unit_column])) if units is None else list(units)
    index = {u: i for i, u in enumerate(ids)}
    rows = sentences[sentences[unit_column].isin(index)]
    owner = rows[unit_column].map(index).to_numpy("int64")
    embeddings = embed_texts(rows["text"].astype(str).tolist(), encoder=model) \
        .astype("float64")
    dims = embeddings.shape[1] if len(embeddings) else int(model.manifest["dimensions"])
    n = len(ids)
    mean = np.zeros((n, dims))
    np.add.at(mean, owner, embeddings)
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    mean = np.divide(mean, norms, out=np.zeros_like(mean), where=norms > 0)
    questions = _question_embeddings(book, model)
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(n + 1))
    out = {}
    for frame in book.frames:
        best = (embeddings @ questions[frame.id].T).max(axis=1) if len(embeddings) \
            else np.zeros(0)
        described = np.zeros((n, len(DESCRIPTION_FEATURES)))
        for i in range(n):
            own = np.sort(best[order[bounds[i]:bounds[i + 1]]])[::-1]
            if len(own):
                described[i] = (own[0], own[:3].mean())
        evidence = _dictionary_features(frame_scores, frame.id, ids, unit_column)
        out[frame.id] = np.hstack([mean, described, evidence])
    return out


def _dictionary_features(frame_scores: pd.DataFrame, frame: str, ids: Sequence[str],
                         unit_column: str) -> np.ndarray:
    part = frame_scores[frame_scores["frame"] == frame].drop_duplicates(unit_column) \
        .set_index(unit_column).reindex(ids)
    hits = pd.to_numeric(part["hits"], errors="coerce").fillna(0).to_numpy("float64")
    rate = pd.to_numeric(part["rate_per_1k"], errors="coerce").fillna(0).to_numpy("float64")
    with_frame = pd.to_numeric(part["sentences_with_frame"], errors="coerce").fillna(0) \
        .to_numpy("float64")
    share = pd.to_numeric(part["share_of_sentences"], errors="coerce").fillna(0) \
        .to_numpy("float64")
    return np.column_stack([np.log1p(hits), rate, with_frame, share])


def dictionary_used(frame_scores: pd.DataFrame, frame: str, ids: Sequence[str],
                    unit_column: str = "article_id") -> np.ndarray:
    """The dictionary's own decision for ``frame`` per unit: the ``used`` column of
    :func:`framelens.score_frames` when it has one, else at least one match."""
    part = frame_scores[frame_scores["frame"] == frame].drop_duplicates(unit_column) \
        .set_index(unit_column).reindex(ids)
    if "used" in part.columns:
        return part["used"].fillna(False).astype(bool).to_numpy()
    return (pd.to_numeric(part["hits"], errors="coerce").fillna(0) > 0).to_numpy()


# --- learning ----------------------------------------------------------------------------


def _f1(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    tp = float(((truth == 1) & (predicted == 1)).sum())
    fp = float(((truth == 0) & (predicted == 1)).sum())
    fn = float(((truth == 1) & (predicted == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, f1


def _f1_interval(truth: np.ndarray, predicted: np.ndarray, *, seed: int
                 ) -> tuple[float, float]:
    """95 % percentile bootstrap interval of F1, resampling units."""
    rng = np.random.default_rng(seed)
    n = len(truth)
    draws = rng.integers(0, n, size=(N_BOOT, n))
    t, p = truth[draws], predicted[draws]
    tp = ((t == 1) & (p == 1)).sum(axis=1)
    wrong = (t != p).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(tp > 0, 2 * tp / (2 * tp + wrong), 0.0)
    lo, hi = np.percentile(f1, [2.5, 97.5])
    return float(lo), float(hi)


def _share_threshold(truth: np.ndarray, probability: np.ndarray) -> float:
    """The probability threshold at which the model marks as many units as the coders did.

    The ``k``-th highest out-of-fold probability, ``k`` being the number of units the
    coders marked: classify-and-count then estimates a share without the inflation of an
    F1-maximising threshold (which, on this project's coded climate articles, marked 90%
    of articles for a frame coders found in 60%), at the same macro-F1 there.
    """
    k = int(truth.sum())
    ranked = np.sort(probability)[::-1]
    if k == 0:
        return float(np.nextafter(ranked[0], np.inf)) if len(ranked) else 1.0
    return float(ranked[k - 1])


def _folds(truth: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    k = int(min(FOLDS, np.bincount(truth, minlength=2).min()))
    splitter = StratifiedKFold(n_splits=max(k, 2), shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(truth)), truth))


def _fit(x: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    clf.fit((x - scaler.mean_) / scale, y)
    return scaler.mean_, scale, clf.coef_[0], float(clf.intercept_[0])


def _decision(fitted, x: np.ndarray) -> np.ndarray:
    mean, scale, weights, intercept = fitted
    return ((x - mean) / scale) @ weights + intercept


def _select_and_fit(x: np.ndarray, y: np.ndarray, *, seed: int, frame: str,
                    dictionary: np.ndarray | None = None) -> LearnedFrame:
    """Choose C, the calibration and the threshold by cross-validation; fit on all units.

    When the dictionary's own decisions (``dictionary``) agree better with the coders on
    these units than the classifier's out-of-fold decisions, the frame keeps the
    dictionary (the choice is part of what the outer cross-validation measures)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    folds = _folds(y, seed)
    best = None
    for C in C_GRID:
        decision = np.zeros(len(y))
        for train, test in folds:
            decision[test] = _decision(_fit(x[train], y[train], C), x[test])
        score = average_precision_score(y, decision)
        if best is None or score > best[0] + 1e-12:
            best = (score, C, decision)
    _, C, decision = best
    platt = LogisticRegression(C=1e6, max_iter=5000).fit(decision[:, None], y)
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    probability = 1.0 / (1.0 + np.exp(-(a * decision + b)))
    threshold = _share_threshold(y, probability)
    if dictionary is not None:
        learned_f1 = _f1(y, (probability >= threshold).astype(int))[2]
        dictionary_f1 = _f1(y, dictionary)[2]
        if dictionary_f1 > learned_f1:
            return LearnedFrame(frame=frame, method="dictionary", note=(
                f"the dictionary agreed better with the coders in cross-validation (F1 "
                f"{dictionary_f1:.2f} against the classifier's {learned_f1:.2f})"))
    mean, scale, weights, intercept = _fit(x, y, C)
    return LearnedFrame(frame=frame, method="learned", mean=tuple(map(float, mean)),
                        scale=tuple(map(float, scale)), weights=tuple(map(float, weights)),
                        intercept=intercept, calibration=(a, b), threshold=threshold, C=C)


def _unlearnable(truth: np.ndarray) -> str:
    """Why a frame with these codes cannot be learned ("" when it can)."""
    n, present = len(truth), int(truth.sum())
    absent = n - present
    if n < MIN_UNITS:
        return (f"only {n} coded units; code at least {MIN_UNITS - n} more "
                f"({MIN_UNITS} in all)")
    if present == 0:
        return (f"never coded as present in {n} units; code units that use it "
                f"(at least {MIN_PER_CLASS})")
    if absent == 0:
        return (f"coded as present in all {n} units; code units without it "
                f"(at least {MIN_PER_CLASS})")
    if present < MIN_PER_CLASS:
        return (f"coded as present in only {present} of {n} units; code at least "
                f"{MIN_PER_CLASS - present} more units that use it")
    if absent < MIN_PER_CLASS:
        return (f"coded as absent in only {absent} of {n} units; code at least "
                f"{MIN_PER_CLASS - absent} more units without it")
    return ""


def learn_frames(
    sheet: pd.DataFrame,
    *,
    codebook: Codebook | str | os.PathLike | None = None,
    seed: int = 0,
    encoder: object = None,
    text_column: str = "text",
    title_column: str | None = "title",
) -> FrameModel:
    """Learn each frame of a codebook from a coded sample.

    Parameters
    ----------
    sheet : a filled coding sheet as :func:`framelens.read_coding_sheet` reads it
        (article or sentence units, any number of coders), or any table with
        ``text_column`` and one 0/1 ``frame_<id>`` column per frame. With several coders
        per unit the unit's code is the majority (a tie counts as present).
    codebook : the codebook (object, shipped name or YAML path); default the one the
        sheet names (``attrs["codebook"]``), else ``generic``.
    seed : seed of the cross-validation folds and of the bootstrap intervals.
    encoder : the sentence encoder (default the shipped one).
    text_column, title_column : the columns holding the unit's text and (articles) title.

    Returns
    -------
    FrameModel : the classifiers, the cross-validated metrics beside the dictionary's,
    and the out-of-fold codes. Save it with :meth:`FrameModel.save`.

    Raises
    ------
    InputError : the sheet has no usable frame column, no text, or codes other than
        0/1 (naming the row and column).

    Examples
    --------
    >>> sheet = fl.read_coding_sheet("sample.csv")              # doctest: +SKIP
    >>> model = learn_frames(sheet)                             # doctest: +SKIP
    >>> model.metrics[["frame", "f1", "dictionary_f1"]]        # doctest: +SKIP
    """
    from framelens.framing import match_frames, score_frames
    from framelens.segment import ANALYSED_KINDS, split_sentences

    table, book, unit, where = _read_sheet(sheet, codebook, text_column)
    units = _unit_codes(table, book, where=where)
    texts = units.set_index("unit_id")
    if unit == "sentence":
        sentences = pd.DataFrame({"unit_id": texts.index, "sentence_id": 0, "kind": "body",
                                  "is_lead": False, "paragraph_id": 0,
                                  "text": texts[text_column].astype(str).to_numpy()})
        sentences["n_words"] = sentences["text"].str.split().str.len()
        sentences["article_id"] = sentences["unit_id"]
    else:
        source = pd.DataFrame({"article_id": texts.index,
                               "text": texts[text_column].astype(str).to_numpy()})
        if title_column and title_column in texts:
            source["title"] = texts[title_column].fillna("").astype(str).to_numpy()
        sentences = split_sentences(source)
        sentences = sentences[sentences["kind"].isin(ANALYSED_KINDS)]
        sentences["unit_id"] = sentences["article_id"]
    matches = match_frames(sentences, codebook=book)
    frame_scores = score_frames(sentences, matches, codebook=book)
    ids = list(texts.index)
    features = frame_features(sentences, frame_scores, codebook=book, units=ids,
                              unit_column="article_id", encoder=encoder)
    frames, metrics, codes = {}, [], []
    for frame in book.frames:
        truth = texts[f"frame_{frame.id}"].to_numpy("int64")
        dictionary = dictionary_used(frame_scores, frame.id, ids).astype("int64")
        note = (f"never coded (the sheet has no frame_{frame.id} column); code it in at least "
                f"{MIN_UNITS} units, {MIN_PER_CLASS} of them with the frame"
                if frame.id in units.attrs.get("never_coded", ()) else _unlearnable(truth))
        x = features[frame.id]
        if note:
            logger.warning("learn_frames: frame %r falls back to the dictionary: %s.",
                           frame.id, note)
            frames[frame.id] = LearnedFrame(frame=frame.id, method="dictionary", note=note)
            predicted, probability = dictionary, np.full(len(ids), np.nan)
        else:
            predicted = np.zeros(len(ids), dtype="int64")
            probability = np.zeros(len(ids))
            for train, test in _folds(truth, seed + 1):
                inner = _select_and_fit(x[train], truth[train], seed=seed, frame=frame.id,
                                        dictionary=dictionary[train])
                if inner.method == "learned":
                    probability[test] = inner.probability(x[test])
                    predicted[test] = (probability[test] >= inner.threshold).astype("int64")
                else:
                    probability[test] = np.nan
                    predicted[test] = dictionary[test]
            frames[frame.id] = _select_and_fit(x, truth, seed=seed, frame=frame.id,
                                               dictionary=dictionary)
        metrics.append(_metric_row(frame, frames[frame.id], truth, predicted, dictionary,
                                   seed=seed))
        codes.append(pd.DataFrame({"unit_id": ids, "frame": frame.id, "truth": truth,
                                   "predicted": predicted, "dictionary": dictionary,
                                   "probability": np.round(probability, 6)}))
    return FrameModel(
        codebook=book.name, codebook_version=book.version,
        codebook_sha256=codebook_digest(book), unit=unit, frames=frames,
        metrics=pd.DataFrame(metrics, columns=FRAME_METRIC_COLUMNS),
        validation=pd.concat(codes, ignore_index=True), encoder=dict(
            (k, v) for k, v in encoder_info(encoder).items() if k != "path"),
        framelens_version=framelens_version(), seed=int(seed),
        sheet_sha256=_table_digest(units), n_units=len(ids))


def _metric_row(frame, learned: LearnedFrame, truth: np.ndarray, predicted: np.ndarray,
                dictionary: np.ndarray, *, seed: int) -> list:
    precision, recall, f1 = _f1(truth, predicted)
    lo, hi = _f1_interval(truth, predicted, seed=seed)
    d_precision, d_recall, d_f1 = _f1(truth, dictionary)
    d_lo, d_hi = _f1_interval(truth, dictionary, seed=seed)
    always = _f1(truth, np.ones_like(truth))[2]
    present, absent = truth == 1, truth == 0
    sensitivity = float(predicted[present].mean()) if present.any() else np.nan
    specificity = float(1 - predicted[absent].mean()) if absent.any() else np.nan
    return [frame.id, frame.label, learned.method, learned.note, len(truth),
            int(truth.sum()), precision, recall, f1, lo, hi, d_precision, d_recall, d_f1,
            d_lo, d_hi, always, sensitivity, specificity, learned.threshold, learned.C]


def _table_digest(units: pd.DataFrame) -> str:
    text = units.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_sheet(sheet: pd.DataFrame, codebook: Codebook | str | os.PathLike | None,
                text_column: str) -> tuple[pd.DataFrame, Codebook, str, str]:
    """The sheet, its codebook, its unit and a name for messages."""
    if not isinstance(sheet, pd.DataFrame):
        raise InputError(f"learn_frames takes a table, not {type(sheet).__name__}.",
                         fix="read a coding sheet with fl.read_coding_sheet(path) first "
                             "(or run `framelens learn SHEET`).")
    table = sheet.copy()
    where = str(sheet.attrs.get("path") or "the coded table")
    book = load_codebook(codebook if codebook is not None
                         else sheet.attrs.get("codebook") or "generic")
    unit = sheet.attrs.get("unit", "sentence" if "sentence_id" in table else "article")
    if unit not in ("article", "sentence"):
        raise InputError(f"{where} codes {unit}s; frames are learned from article or "
                         "sentence units.",
                         fix="pass a sheet written by `framelens sample --unit article` "
                             "(or sentence).")
    if text_column not in table.columns:
        raise InputError(f"{where} has no {text_column!r} column with the units' text "
                         f"(it has {list(table.columns)}).",
                         fix="name the text column with --text COLUMN.")
    return table, book, unit, where


def _unit_codes(table: pd.DataFrame, book: Codebook, *, where: str) -> pd.DataFrame:
    """One row per unit: id, text (and title), majority code of each frame."""
    frame_cols = [f"frame_{f}" for f in book.frame_ids if f"frame_{f}" in table.columns]
    if not frame_cols:
        raise InputError(
            f"{where} has no frame_<id> column of codebook {book.name} (frames: "
            f"{list(book.frame_ids)}).",
            fix="code the frames in columns frame_<id> with 0 or 1, as `framelens sample` "
                "writes them.")
    for column in frame_cols:
        values = pd.to_numeric(table[column], errors="coerce")
        bad = table[column].notna() & ~values.isin([0, 1])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            value = table[column].iloc[row]
            shown = repr(value) if isinstance(value, str) else str(value)
            raise InputError(
                f"{where}, row {row + 2} (the header is row 1), column {column}: "
                f"{shown} is not a code.",
                fix="code each frame 0 (absent) or 1 (present); leave a cell empty only "
                    "when the unit was not coded.")
    key = "unit_id" if "unit_id" in table.columns else None
    if key is None:
        table = table.reset_index(drop=True)
        table["unit_id"] = [f"r{i + 1}" for i in range(len(table))]
        key = "unit_id"
    keep = [key, "text"] + (["title"] if "title" in table.columns else [])
    first = table.groupby(key, sort=False)[keep[1:]].first()
    codes = {}
    for frame in book.frame_ids:
        column = f"frame_{frame}"
        if column in table.columns:
            mean = pd.to_numeric(table[column], errors="coerce").groupby(
                table[key], sort=False).mean()
            codes[column] = (mean >= 0.5).astype("int64").where(mean.notna())
        else:
            codes[column] = pd.Series(np.nan, index=first.index)
    out = first.join(pd.DataFrame(codes))
    coded = out[frame_cols].notna().all(axis=1)
    if not coded.all():
        logger.warning("learn_frames: %d unit(s) of %s without a code for every frame "
                       "left out.", int((~coded).sum()), where)
    out = out[coded]
    for frame in book.frame_ids:
        if f"frame_{frame}" not in frame_cols:
            out[f"frame_{frame}"] = 0  # never coded: falls back (see _unlearnable)
    out = out.reset_index().rename(columns={key: "unit_id"})
    out["unit_id"] = out["unit_id"].astype(str)
    missing = [f for f in book.frame_ids if f"frame_{f}" not in frame_cols]
    out.attrs["never_coded"] = missing
    return out


# --- applying ----------------------------------------------------------------------------

APPLIED_COLUMNS = ["article_id", "frame", "probability", "used", "method"]


def apply_frames(
    sentences: pd.DataFrame,
    frame_scores: pd.DataFrame,
    model: FrameModel | str | os.PathLike,
    *,
    codebook: Codebook | str | os.PathLike,
    encoder: object = None,
) -> pd.DataFrame:
    """Code articles with learned frames.

    Parameters
    ----------
    sentences : the articles' analysed sentences (:func:`framelens.split_sentences`).
    frame_scores : :func:`framelens.score_frames` of the same articles and codebook.
    model : a :class:`FrameModel` or the path of one.
    codebook : the codebook of ``frame_scores``; the model must belong to it.
    encoder : the sentence encoder (default the shipped one; it must be the model's).

    Returns
    -------
    DataFrame, one row per (article, frame), articles in the order of ``frame_scores``:
    ``article_id, frame, probability, used, method``. A frame that fell back to the
    dictionary has ``method="dictionary"``, NaN probability and the dictionary's ``used``.
    For a model learned on sentences, an article uses a frame when one of its sentences
    does, and its probability is the highest of its sentences'.
    """
    book = load_codebook(codebook)
    if not isinstance(model, FrameModel):
        model = load_frame_model(model, codebook=book)
    elif model.codebook_sha256 != codebook_digest(book):
        raise ModelError(f"the frames model was learned for codebook {model.codebook} "
                         f"{model.codebook_version}, not this {book.name} {book.version}.",
                         path=model.path or None,
                         fix="learn the frames again for this codebook (framelens learn).")
    info = encoder_info(encoder)
    if model.learned and info["sha256"] != model.encoder.get("sha256"):
        raise ModelError(f"the frames model was learned with encoder "
                         f"{model.encoder.get('name')} ({model.encoder.get('sha256', '')[:12]}"
                         f"…), not {info['name']} ({info['sha256'][:12]}…).",
                         path=model.path or None,
                         fix="apply it with the encoder it was learned with, or learn again.")
    ids = list(dict.fromkeys(frame_scores["article_id"]))
    n = len(ids)
    probability = {f: np.full(n, np.nan) for f in book.frame_ids}
    if model.learned and n:
        if model.unit == "sentence":
            rows = sentences.reset_index(drop=True).assign(
                unit_id=lambda d: d["article_id"].astype(str) + "#"
                + d["sentence_id"].astype(str))
            from framelens.framing import match_frames, score_frames

            per_sentence = rows.assign(article_id=rows["unit_id"])
            scored = score_frames(per_sentence, match_frames(per_sentence, codebook=book),
                                  codebook=book)
            features = frame_features(per_sentence, scored, codebook=book,
                                      units=list(per_sentence["article_id"]),
                                      encoder=encoder)
            owner = rows["article_id"].map({a: i for i, a in enumerate(ids)}).to_numpy()
            for f in model.learned:
                p = model.frames[f].probability(features[f])
                best = np.full(n, np.nan)
                ok = ~pd.isna(owner)
                np.fmax.at(best, owner[ok].astype("int64"), p[ok])
                probability[f] = best
        else:
            features = frame_features(sentences, frame_scores, codebook=book, units=ids,
                                      encoder=encoder)
            for f in model.learned:
                probability[f] = model.frames[f].probability(features[f])
    blocks = []
    for f in book.frame_ids:
        learned = model.frames.get(f)
        if learned is not None and learned.method == "learned":
            used = np.nan_to_num(probability[f], nan=0.0) >= learned.threshold
            method = "learned"
        else:
            used = dictionary_used(frame_scores, f, ids)
            method = "dictionary"
        blocks.append(pd.DataFrame({"article_id": ids, "frame": f,
                                    "probability": probability[f], "used": used,
                                    "method": method}))
    out = pd.concat(blocks, ignore_index=True)
    out["order"] = out["article_id"].map({a: i for i, a in enumerate(ids)})
    return out.sort_values(["order"], kind="stable").drop(columns="order") \
        .reset_index(drop=True)[APPLIED_COLUMNS]


# --- coding where it helps ---------------------------------------------------------------

UNCERTAIN_COLUMNS = ["article_id", "drawn", "uncertainty", "closest_frame"]


def uncertain_units(
    model: FrameModel | str | os.PathLike,
    articles: pd.DataFrame,
    *,
    n: int,
    codebook: Codebook | str | os.PathLike,
    random_share: float = 0.2,
    seed: int = 0,
    encoder: object = None,
) -> pd.DataFrame:
    """The ``n`` articles whose coding would teach the model most, plus a random share.

    Uncertainty sampling (Lewis and Gale 1994): an article's uncertainty is, over the
    learned frames, the highest ``1 - |p - t| / max(t, 1 - t)``, where ``p`` is the
    calibrated probability and ``t`` the frame's threshold: 1 on the threshold, 0 at
    certainty. ``round(n * random_share)`` articles are drawn at random from the whole
    pool first (``drawn="random"``), so that estimates made from the coded sample can
    rest on a probability sample; the rest are the most uncertain of the remaining
    articles (``drawn="uncertain"``; ties broken by article id).

    Parameters
    ----------
    model : the learned frames (object or path).
    articles : the pool (``article_id``, ``text``, optionally ``title``); articles already
        coded should be left out by the caller.
    n : how many to draw (all of the pool when larger).
    codebook : the model's codebook.
    random_share : the share drawn at random, 0 to 1.
    seed : seed of the random part.

    Returns
    -------
    DataFrame ``article_id, drawn, uncertainty, closest_frame``, random draws first.
    """
    from framelens.framing import match_frames, score_frames
    from framelens.segment import ANALYSED_KINDS, split_sentences

    if not 0 <= random_share <= 1:
        raise InputError(f"random_share is {random_share}; it must be between 0 and 1.",
                         fix="pass a share such as 0.2.")
    book = load_codebook(codebook)
    if not isinstance(model, FrameModel):
        model = load_frame_model(model, codebook=book)
    if not model.learned:
        raise InputError("the frames model learned no frame, so it has no uncertainty to "
                         "sample by.", fix="code more units (see the notes of "
                         "`framelens learn`), or draw a random sample without --uncertain.")
    pool = articles.drop_duplicates("article_id").sort_values("article_id", kind="stable")
    k = min(int(n), len(pool))
    columns = ["article_id", "text"] + (["title"] if "title" in pool else [])
    sentences = split_sentences(pool[columns])
    sentences = sentences[sentences["kind"].isin(ANALYSED_KINDS)]
    scores = score_frames(sentences, match_frames(sentences, codebook=book), codebook=book)
    applied = apply_frames(sentences, scores, model, codebook=book, encoder=encoder)
    learned = applied[applied["method"] == "learned"].copy()
    threshold = learned["frame"].map({f: model.frames[f].threshold for f in model.learned})
    width = np.maximum(threshold, 1 - threshold)
    learned["uncertainty"] = 1 - (learned["probability"] - threshold).abs() / width
    best = learned.sort_values(["article_id", "uncertainty"], ascending=[True, False],
                               kind="stable").drop_duplicates("article_id")
    best = best.set_index("article_id").reindex(pool["article_id"])
    rng = np.random.default_rng(seed)
    n_random = int(round(k * random_share))
    ids = pool["article_id"].to_numpy()
    random_ids = list(rng.choice(ids, size=n_random, replace=False)) if n_random else []
    rest = best.drop(index=random_ids).reset_index()
    rest = rest.sort_values(["uncertainty", "article_id"], ascending=[False, True],
                            kind="stable").head(k - n_random)
    out = pd.concat([
        pd.DataFrame({"article_id": random_ids, "drawn": "random"}),
        pd.DataFrame({"article_id": rest["article_id"].to_numpy(), "drawn": "uncertain"}),
    ], ignore_index=True)
    out["uncertainty"] = out["article_id"].map(best["uncertainty"]).round(4)
    out["closest_frame"] = out["article_id"].map(best["frame"])
    return out[UNCERTAIN_COLUMNS]
