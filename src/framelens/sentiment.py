"""Sentiment: score sentences with TextBlob and VADER, then aggregate them per article.

This module owns the sentence scores and the rules that turn them into an article score:

``polarity``, ``subjectivity``
    TextBlob's default (Pattern) analyser, identical to ``TextBlob(text).sentiment``.
    Polarity runs from -1 (negative) to 1 (positive), subjectivity from 0 (factual) to 1.
``vader_neg``, ``vader_neu``, ``vader_pos``, ``vader_compound``
    VADER's scores (the ``vaderSentiment`` package); ``vader_compound`` runs from -1 to 1.

Every sentence is scored; which kinds of sentence count (:data:`ANALYSED_KINDS` by default,
so captions, bylines and boilerplate are left out) is decided when sentences are aggregated.
Both lexicons ship with their packages, so nothing is downloaded.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
from textblob.sentiments import PatternAnalyzer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from framelens.errors import OptionError
from framelens.segment import ANALYSED_KINDS, _require

__all__ = [
    "article_sentiment",
    "extreme_sentences",
    "score_sentiment",
    "sentiment_arc",
]

VADER_COLUMNS = ["vader_neg", "vader_neu", "vader_pos", "vader_compound"]
ARTICLE_COLUMNS = [
    "article_id",
    "n_sentences",
    "polarity",
    "polarity_sd",
    "subjectivity",
    "vader_compound",
    "share_positive",
    "share_negative",
    "share_neutral",
    "headline_polarity",
    "lead_polarity",
    "label",
    "method",
]

Weight = Literal["words", "none"]


# Built once per process and looked up by name, so functions that use them pickle by
# reference (Dask, multiprocessing) and each worker builds its own on first use.
@functools.cache
def _pattern_analyzer() -> PatternAnalyzer:
    return PatternAnalyzer()


@functools.cache
def _vader_analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _check_choice(name: str, value: object, choices: Iterable[object]) -> None:
    choices = tuple(choices)
    if value not in choices:
        raise OptionError(
            f"{name} must be one of {list(choices)}; got {value!r}.",
            fix=f"pass {name}={choices[0]!r} or another listed value.",
        )


def score_sentiment(
    sentences: pd.DataFrame, *, text_col: str = "text", vader: bool = True
) -> pd.DataFrame:
    """Score every sentence with TextBlob (and VADER).

    Parameters
    ----------
    sentences : DataFrame with ``text_col``, usually the output of
        :func:`framelens.split_sentences`. All rows are scored, whatever their ``kind``.
    text_col : column holding the sentence text.
    vader : also add VADER's scores (this roughly doubles the time taken).

    Returns
    -------
    A copy of ``sentences`` with added columns ``polarity`` and ``subjectivity`` (equal to
    ``TextBlob(text).sentiment``), and, when ``vader``, ``vader_neg, vader_neu, vader_pos,
    vader_compound``. Rows whose text is missing (not a string) get NaN scores.

    Notes
    -----
    The function is pure and picklable, so it can run per partition:
    ``ddf.map_partitions(score_sentiment)``.

    Examples
    --------
    >>> sents = pd.DataFrame({"text": ["The plan is not good.", "A great success!"]})
    >>> score_sentiment(sents, vader=False)["polarity"].round(2).tolist()
    [-0.35, 0.59]
    """
    _require(sentences, [text_col], helper="score_sentiment")
    texts = sentences[text_col].tolist()
    analyze = _pattern_analyzer().analyze
    pattern = [analyze(t) if isinstance(t, str) else (np.nan, np.nan) for t in texts]
    out = sentences.copy()
    out["polarity"] = np.array([p[0] for p in pattern], dtype="float64")
    out["subjectivity"] = np.array([p[1] for p in pattern], dtype="float64")
    if vader:
        scores = _vader_analyzer().polarity_scores
        nan = dict.fromkeys(("neg", "neu", "pos", "compound"), np.nan)
        rows = [scores(t) if isinstance(t, str) else nan for t in texts]
        for column in VADER_COLUMNS:
            key = column.removeprefix("vader_")
            out[column] = np.array([r[key] for r in rows], dtype="float64")
    return out


def _kinds(kinds: Iterable[str] | None) -> tuple[str, ...] | None:
    if kinds is None:
        return None
    return (kinds,) if isinstance(kinds, str) else tuple(kinds)


def _analysed(scored: pd.DataFrame, kinds: Iterable[str] | None) -> pd.DataFrame:
    kinds = _kinds(kinds)
    if kinds is None:
        return scored
    return scored[scored["kind"].isin(kinds)]


def _in_reading_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by article (order of first appearance), then ``sentence_id``."""
    first_row = pd.Series(np.arange(len(frame)), index=frame.index)
    article_order = first_row.groupby(frame["article_id"], sort=False).transform("min")
    return frame.assign(_article_order=article_order).sort_values(
        ["_article_order", "sentence_id"], kind="stable"
    )


def _weights(frame: pd.DataFrame, weight: Weight) -> pd.Series:
    if weight == "words":
        return frame["n_words"].astype("float64")
    return pd.Series(1.0, index=frame.index)


def _grouped_mean(values: pd.Series, weights: pd.Series, keys: pd.Series) -> pd.Series:
    """Weighted mean of ``values`` per key; sentences with a missing value carry no weight."""
    values = values.astype("float64")
    weights = weights.where(values.notna(), 0.0)
    total = weights.groupby(keys, sort=False).sum()
    num = (values * weights).groupby(keys, sort=False).sum()
    return num.div(total.where(total > 0))


def _grouped_sd(values: pd.Series, weights: pd.Series, keys: pd.Series) -> pd.Series:
    """Weighted population standard deviation per key, with the same weights as the mean."""
    values = values.astype("float64")
    weights = weights.where(values.notna(), 0.0)
    total = weights.groupby(keys, sort=False).transform("sum")
    mean = (values * weights).groupby(keys, sort=False).transform("sum") / total
    return _grouped_mean((values - mean) ** 2, weights, keys) ** 0.5


def _label(polarity: pd.Series, band: float) -> pd.Series:
    labels = [
        None if pd.isna(p) else "positive" if p > band else "negative" if p < -band else "neutral"
        for p in polarity
    ]
    return pd.Series(labels, index=polarity.index)


def article_sentiment(
    scored: pd.DataFrame,
    *,
    kinds: Iterable[str] | None = ANALYSED_KINDS,
    weight: Weight = "words",
    neutral_band: float = 0.05,
) -> pd.DataFrame:
    """Aggregate sentence scores into one sentiment score per article.

    The article's ``polarity`` is the mean of its sentences' polarities, each sentence
    weighted by its number of words (``weight="words"``: a 30-word sentence counts three
    times as much as a 10-word one, so the score is what a reader meets per word) or
    equally (``weight="none"``). Only sentences of the given ``kinds`` count: by default
    the headline, subheadings and body, not captions, bylines or boilerplate.

    Parameters
    ----------
    scored : the output of :func:`score_sentiment` on a sentences table; needs
        ``article_id, kind, is_lead, n_words, polarity, subjectivity``
        (``vader_compound`` is used when present).
    kinds : paragraph kinds whose sentences count; ``None`` for all.
    weight : ``"words"`` (weight sentences by ``n_words``) or ``"none"`` (plain mean).
    neutral_band : sentences and articles whose polarity lies within
        ``[-neutral_band, neutral_band]`` count as neutral.

    Returns
    -------
    DataFrame, one row per article (in order of first appearance), with columns

    ``article_id``
    ``n_sentences``
        number of sentences that count.
    ``polarity``, ``subjectivity``, ``vader_compound``
        means of the sentence scores, weighted as ``weight`` says (``vader_compound`` is
        NaN when the sentences were scored with ``vader=False``).
    ``polarity_sd``
        standard deviation of sentence polarity around ``polarity``, same weights
        (population formula: 0 for a one-sentence article).
    ``share_positive``, ``share_negative``, ``share_neutral``
        share of sentences (not words) with polarity above ``neutral_band``, below
        ``-neutral_band``, or in between; they sum to 1.
    ``headline_polarity``
        the headline's polarity, whatever ``kinds`` says; NaN when there is no headline.
    ``lead_polarity``
        mean polarity of the lead paragraph's sentences, same weights; NaN when none.
    ``label``
        ``"positive"``, ``"negative"`` or ``"neutral"`` from ``polarity`` and
        ``neutral_band``; missing when the article has no sentence that counts.
    ``method``
        how the score was made, e.g. ``"textblob-pattern, words-weighted mean of
        headline/subheading/body sentences, neutral band ±0.05"``.

    Examples
    --------
    >>> scored = pd.DataFrame({
    ...     "article_id": "a", "sentence_id": [0, 1, 2], "kind": "body",
    ...     "is_lead": [True, False, False], "n_words": [10, 30, 10],
    ...     "polarity": [0.5, -0.5, 0.0], "subjectivity": [0.5, 0.5, 0.0]})
    >>> round(article_sentiment(scored)["polarity"].item(), 6)
    -0.2
    >>> round(article_sentiment(scored, weight="none")["polarity"].item(), 6)
    0.0
    """
    _check_choice("weight", weight, ("words", "none"))
    _require(
        scored,
        ["article_id", "kind", "is_lead", "n_words", "polarity", "subjectivity"],
        helper="article_sentiment",
    )
    kinds = _kinds(kinds)
    articles = pd.Index(scored["article_id"].dropna().unique(), name="article_id")
    used = _analysed(scored, kinds)
    keys = used["article_id"]
    w = _weights(used, weight)
    polarity = used["polarity"]
    if "vader_compound" in used.columns:
        vader_compound = _grouped_mean(used["vader_compound"], w, keys)
    else:
        vader_compound = pd.Series(np.nan, index=articles)
    n_sentences = keys.groupby(keys, sort=False).size()
    positive = (polarity > neutral_band).groupby(keys, sort=False).sum()
    negative = (polarity < -neutral_band).groupby(keys, sort=False).sum()

    headlines = scored[scored["kind"] == "headline"]
    leads = scored[scored["is_lead"].fillna(False).astype(bool)]
    out = pd.DataFrame(
        {
            "n_sentences": n_sentences,
            "polarity": _grouped_mean(polarity, w, keys),
            "polarity_sd": _grouped_sd(polarity, w, keys),
            "subjectivity": _grouped_mean(used["subjectivity"], w, keys),
            "vader_compound": vader_compound,
            "share_positive": positive / n_sentences,
            "share_negative": negative / n_sentences,
            "share_neutral": (n_sentences - positive - negative) / n_sentences,
            "headline_polarity": headlines.groupby("article_id", sort=False)["polarity"].mean(),
            "lead_polarity": _grouped_mean(
                leads["polarity"], _weights(leads, weight), leads["article_id"]
            ),
        },
        index=articles,
    )
    out["n_sentences"] = out["n_sentences"].fillna(0).astype("int64")
    out["label"] = _label(out["polarity"], neutral_band)
    out["method"] = _method(kinds, weight, neutral_band)
    return out.reset_index()[ARTICLE_COLUMNS]


def _method(kinds: tuple[str, ...] | None, weight: Weight, neutral_band: float) -> str:
    weighting = "words-weighted mean" if weight == "words" else "unweighted mean"
    which = "all" if kinds is None else "/".join(kinds)
    return f"textblob-pattern, {weighting} of {which} sentences, neutral band ±{neutral_band:g}"


def extreme_sentences(
    scored: pd.DataFrame,
    *,
    n: int = 3,
    kinds: Iterable[str] | None = ANALYSED_KINDS,
    by: str = "polarity",
) -> pd.DataFrame:
    """The most positive and most negative sentences of each article.

    Parameters
    ----------
    scored : the output of :func:`score_sentiment`; needs ``article_id, sentence_id,
        kind`` and ``by``.
    n : how many sentences to keep in each direction per article.
    kinds : paragraph kinds whose sentences count; ``None`` for all.
    by : the score to rank on, e.g. ``"polarity"`` or ``"vader_compound"``.

    Returns
    -------
    The selected rows of ``scored`` with two added columns placed after ``article_id``:
    ``direction`` (``"positive"`` or ``"negative"``) and ``rank`` (1 = most extreme).
    Only sentences scoring above 0 are candidates for ``"positive"`` and below 0 for
    ``"negative"``, so a sentence never appears twice and an article with fewer than
    ``n`` such sentences returns fewer rows. Ties are broken by ``sentence_id`` (earlier
    first). Rows are sorted by article (order of first appearance), direction (positive
    first) and rank.

    Examples
    --------
    >>> scored = pd.DataFrame({"article_id": "a", "sentence_id": [0, 1, 2], "kind": "body",
    ...                        "polarity": [0.2, -0.4, 0.8]})
    >>> extreme_sentences(scored, n=1)[["direction", "sentence_id"]].values.tolist()
    [['positive', 2], ['negative', 1]]
    """
    if not isinstance(n, int) or n < 1:
        raise OptionError(f"n must be a positive whole number; got {n!r}.", fix="pass n=3.")
    _require(scored, ["article_id", "sentence_id", "kind", by], helper="extreme_sentences")
    used = _in_reading_order(_analysed(scored, kinds))
    parts = []
    for direction, sign in (("positive", 1.0), ("negative", -1.0)):
        side = used[used[by] * sign > 0]
        side = side.assign(_key=-sign * side[by]).sort_values(
            ["_article_order", "_key", "sentence_id"], kind="stable"
        )
        side = side.groupby("article_id", sort=False).head(n)
        rank = side.groupby("article_id", sort=False).cumcount() + 1
        parts.append(side.assign(direction=direction, rank=rank.astype("int64"),
                                 _direction_order=0 if sign > 0 else 1))
    out = pd.concat(parts).sort_values(
        ["_article_order", "_direction_order", "rank"], kind="stable"
    )
    columns = ["article_id", "direction", "rank"]
    columns += [c for c in scored.columns if c != "article_id"]
    return out[columns].reset_index(drop=True)


def sentiment_arc(
    scored: pd.DataFrame,
    *,
    kinds: Iterable[str] | None = ANALYSED_KINDS,
    window: int = 3,
) -> pd.DataFrame:
    """Sentence polarity along each article, with a rolling mean, for plotting.

    Parameters
    ----------
    scored : the output of :func:`score_sentiment`; needs ``article_id, sentence_id,
        kind, polarity``.
    kinds : paragraph kinds whose sentences count; ``None`` for all.
    window : number of sentences in the centred rolling mean (partial windows at the
        start and end of an article average what is there).

    Returns
    -------
    DataFrame, one row per sentence that counts, in reading order:
    ``article_id, sentence_id, kind, position, polarity, rolling_polarity``.
    ``position`` runs from 0 (first counted sentence) to 1 (last), evenly spaced;
    a one-sentence article has position 0.

    Examples
    --------
    >>> scored = pd.DataFrame({"article_id": "a", "sentence_id": [0, 1, 2], "kind": "body",
    ...                        "polarity": [0.3, 0.0, -0.3]})
    >>> sentiment_arc(scored)[["position", "rolling_polarity"]].values.tolist()
    [[0.0, 0.15], [0.5, 0.0], [1.0, -0.15]]
    """
    if not isinstance(window, int) or window < 1:
        raise OptionError(
            f"window must be a positive whole number; got {window!r}.", fix="pass window=3."
        )
    _require(scored, ["article_id", "sentence_id", "kind", "polarity"], helper="sentiment_arc")
    used = _in_reading_order(_analysed(scored, kinds))
    groups = used.groupby("article_id", sort=False)
    index = groups.cumcount()
    last = groups["sentence_id"].transform("size") - 1
    rolling = groups["polarity"].transform(
        lambda s: s.rolling(window, center=True, min_periods=1).mean()
    )
    out = used.assign(
        position=(index / last.where(last > 0, 1)).astype("float64"),
        rolling_polarity=rolling.astype("float64"),
    )
    columns = ["article_id", "sentence_id", "kind", "position", "polarity", "rolling_polarity"]
    return out[columns].reset_index(drop=True)
