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

:func:`score_target_sentiment` scores the tone of a sentence *toward a target* it mentions
(``target_polarity``, ``target_label``), weighting each lexicon word by its distance from
the mention, by window or by clause; ``benchmarks/bench_newsmtsc.py`` measures it against
the human labels of NewsMTSC.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from os import PathLike
from typing import Literal

import numpy as np
import pandas as pd
from textblob._text import find_tokens
from textblob.en import sentiment as pattern_sentiment
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from framelens.columns import require_columns
from framelens.errors import InputError, OptionError
from framelens.models.runtime import OnnxModel
from framelens.models.tone import TONE_LABELS, score_tone
from framelens.pattern import pattern_scores
from framelens.segment import ANALYSED_KINDS, word_spans
from framelens.vader import vader_scores

__all__ = [
    "NEWS_NEUTRAL_WORDS",
    "TARGET_THRESHOLDS",
    "article_sentiment",
    "extreme_sentences",
    "score_sentiment",
    "score_target_sentiment",
    "sentiment_arc",
    "sentiment_drivers",
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
    require_columns(sentences, [text_col], helper="score_sentiment")
    texts = sentences[text_col].tolist()
    # TextBlob's values, computed without its per-call overheads (framelens.pattern)
    pattern = pattern_scores(texts)
    out = sentences.copy()
    out["polarity"] = pattern[:, 0]
    out["subjectivity"] = pattern[:, 1]
    if vader:
        # VADER's values, computed without its per-word overheads (framelens.vader)
        values = vader_scores(texts)
        for i, column in enumerate(VADER_COLUMNS):
            out[column] = values[:, i]
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
    require_columns(
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
    require_columns(scored, ["article_id", "sentence_id", "kind", by], helper="extreme_sentences")
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


def sentiment_drivers(
    sentences: pd.DataFrame,
    *,
    text_col: str = "text",
    lexicon: Literal["textblob", "vader"] = "textblob",
    n: int = 3,
) -> pd.DataFrame:
    """Name the lexicon words that drive each sentence's score, with their scores.

    A lexicon score is made of a few words, and one of them often decides it: TextBlob's
    lexicon scores "artificial" -0.6, so every sentence about "artificial intelligence"
    reads negative. Shown next to a sentence, the words let a reader judge whether the
    score describes the sentence or an artefact of the lexicon.

    ``"textblob"``
        the chunks TextBlob's Pattern analyser assesses, with their polarity after
        intensifiers and negation ("not good" -0.35, "very great" +1); the sentence's
        ``polarity`` is the plain mean of these values (chunks scored 0, such as "public",
        count in the mean but are not named).
    ``"vader"``
        the words VADER gives a valence, after boosters, negation and capitals ("good"
        after "not" -1.4); ``vader_compound`` is their sum mapped into [-1, 1] (VADER's
        "but" rule, which reweighs the words before and after a "but", is left out).

    Parameters
    ----------
    sentences : DataFrame with ``text_col``, e.g. the output of :func:`extreme_sentences`.
    text_col : column holding the sentence text.
    lexicon : ``"textblob"`` (the lexicon of ``polarity``) or ``"vader"`` (of
        ``vader_compound``).
    n : how many words to name per sentence, those with the largest contributions.

    Returns
    -------
    A copy of ``sentences`` with a column ``drivers``: up to ``n`` words as they stand in
    the sentence (lower-cased), each with its score, largest absolute contribution first
    (a word that occurs several times counts that often, shown as ``×2``), joined by
    ``"; "``, e.g. ``"artificial (-0.6 ×2); great (+0.8)"``. An empty string when no
    lexicon word scores, or when the text is missing.

    Examples
    --------
    >>> sents = pd.DataFrame({"text": ["Artificial intelligence will transform artificial "
    ...                                "markets.", "The plan is not good, but a great idea."]})
    >>> sentiment_drivers(sents)["drivers"].tolist()
    ['artificial (-0.6 ×2)', 'great (+0.8); not good (-0.35)']
    >>> sentiment_drivers(sents, lexicon="vader", n=1)["drivers"].tolist()
    ['intelligence (+2.1)', 'great (+3.1)']
    """
    _check_choice("lexicon", lexicon, ("textblob", "vader"))
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise OptionError(f"n must be a positive whole number; got {n!r}.", fix="pass n=3.")
    require_columns(sentences, [text_col], helper="sentiment_drivers")
    find_hits = _textblob_hits if lexicon == "textblob" else _vader_hits
    out = sentences.copy()
    out["drivers"] = [_drivers_text(text, find_hits, n) for text in sentences[text_col]]
    return out


def _drivers_text(text: object, find_hits: Callable[[str], list[tuple[int, int, float]]],
                  n: int) -> str:
    """The ``n`` hits of ``text`` with the largest total absolute score, formatted."""
    if not isinstance(text, str):
        return ""
    counts: dict[tuple[str, float], int] = {}
    for start, end, value in find_hits(text):
        word = " ".join(w.strip(_EDGE_PUNCT) for w in text[start:end].lower().split())
        if word and value:
            key = (word, round(value, 4))
            counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -abs(item[0][1]) * item[1])
    return "; ".join(f"{word} ({value:+.2g}{f' ×{count}' if count > 1 else ''})"
                     for (word, value), count in ranked[:n])


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
    require_columns(scored, ["article_id", "sentence_id", "kind", "polarity"],
                    helper="sentiment_arc")
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


# --- sentiment toward a target -----------------------------------------------------------

TargetMethod = Literal["model", "sentence", "window", "clause", "distance"]
TargetLexicon = Literal["vader", "textblob"]
TARGET_METHODS: tuple[str, ...] = ("model", "sentence", "window", "clause", "distance")
TARGET_LEXICONS: tuple[str, ...] = ("vader", "textblob")

#: ``(negative_below, positive_above)`` per ``(lexicon, method)``: the pair on a 0.05 grid
#: that maximises macro-F1 on the tuning part (70 % of stories) of NewsMTSC's train.jsonl,
#: with the defaults ``window=15``, ``decay=5`` and ``ignore_words`` (``window`` and
#: ``decay`` were chosen the same way, for VADER); ``benchmarks/bench_newsmtsc.py --tune``
#: repeats the search. Lexicon scores of news text lean positive, so the positive
#: threshold sits above zero while any net negative tone counts as negative.
TARGET_THRESHOLDS: dict[tuple[str, str], tuple[float, float]] = {
    ("textblob", "sentence"): (0.0, 0.1),
    ("textblob", "window"): (0.0, 0.0),
    ("textblob", "clause"): (0.0, 0.0),
    ("textblob", "distance"): (0.0, 0.05),
    ("vader", "sentence"): (0.0, 0.35),
    ("vader", "window"): (0.0, 0.25),
    ("vader", "clause"): (0.0, 0.15),
    ("vader", "distance"): (0.0, 0.1),
}

#: Lexicon words that news text mostly uses in a sense without tone: "leaders *like* X",
#: "the *party*", "national *security*", "*special* counsel", "*top* aide", "as *well*",
#: "made it *clear*", "*no* comment", "health *care*". The default ``ignore_words`` of
#: :func:`score_target_sentiment`, picked by reading the errors of the distance method on
#: the tuning part of NewsMTSC (never the held-out part); it adds about 0.01 macro-F1 on
#: the held-out part.
NEWS_NEUTRAL_WORDS: frozenset[str] = frozenset({
    "care", "clear", "defense", "intelligence", "interest", "justice", "like", "no",
    "party", "security", "special", "supreme", "top", "united", "want", "well",
})

# A clause ends at punctuation that separates clauses or asides, and before a contrastive
# or concessive conjunction ("X did well, but Y failed").
_CLAUSE_BREAK_RE = re.compile(
    r"[,;:()\[\]—–\"“”]|\s-\s|\b(?:but|while|although|though|whereas|however|yet)\b",
    re.IGNORECASE,
)
# Text after which a capital letter is ordinary sentence or quotation capitalisation.
_OPENING_RE = re.compile(r"(?:^|[.!?:;(\"“‘'—–-])\s*$")
_EDGE_PUNCT = "\"'“”‘’()[].,;:!?"
_STRAIGHT_QUOTES = str.maketrans("“”‘’", "\"\"''")
# VADER's own normalisation of a summed valence into [-1, 1].
_VADER_ALPHA = 15.0


def _is_name(text: str, start: int, end: int) -> bool:
    """Whether the token at ``text[start:end]`` is capitalised inside the sentence.

    A capitalised word mid-sentence is part of a name ("Supreme Court", "Justice
    Department", "Democratic Party", "Intelligence Committee"), and names carry no tone.
    """
    word = text[start:end].strip(_EDGE_PUNCT)
    if not word[:1].isupper() or word.isupper():
        return False
    return not _OPENING_RE.search(text[:start])


def _head_word(text: str, start: int, end: int) -> str:
    """The last word of a hit, lower-cased, without surrounding punctuation."""
    words = text[start:end].split()
    return words[-1].strip(_EDGE_PUNCT).lower() if words else ""


def _token_spans(text: str, tokens: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``tokens`` found in order in ``text`` (empty span if altered)."""
    spans = []
    cursor = 0
    for token in tokens:
        at = text.find(token, cursor)
        if at < 0:
            spans.append((cursor, cursor))
        else:
            spans.append((at, at + len(token)))
            cursor = at + len(token)
    return spans


def _textblob_hits(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, polarity)`` of every chunk TextBlob's Pattern analyser assesses.

    These are the chunks ``TextBlob(text).sentiment`` averages (negation and intensifiers
    applied, as in "not very good"), located in ``text``; their plain mean is TextBlob's
    polarity.
    """
    tokens = " ".join(find_tokens(text)).split()
    spans = _token_spans(text, tokens)
    lowered = [t.lower() for t in tokens]
    hits = []
    cursor = 0
    for words, polarity, _, _ in pattern_sentiment.assessments((w, None) for w in lowered):
        found = []
        for word in words:
            if word == "!" or word not in lowered[cursor:]:
                continue
            at = lowered.index(word, cursor)
            found.append(at)
            cursor = at + 1
        first, last = (found[0], found[-1]) if found else (max(cursor - 1, 0),) * 2
        hits.append((spans[first][0], spans[last][1], float(polarity)))
    return hits


def _vader_hits(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, valence)`` of every token to which VADER gives a non-zero valence.

    The valences are the ones ``polarity_scores`` sums (negation, boosters and capitals
    applied over the whole sentence, so a window that leaves out a negating word still
    sees the word as negated), except that VADER's "but" rule, which halves everything
    before a "but" and boosts everything after it whatever the target, is not applied.
    Curly quotes and apostrophes are read as straight ones first (same length, so offsets
    hold): VADER strips only ASCII punctuation, so it misses "“great" and "don’t".
    Emoji are not translated.
    """
    analyzer = _vader_analyzer()
    senti = SentiText(text.translate(_STRAIGHT_QUOTES))
    words = senti.words_and_emoticons
    valences: list[float] = []
    for i, item in enumerate(words):
        lowered = item.lower()
        is_kind_of = lowered == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
        if lowered in BOOSTER_DICT or is_kind_of:
            valences.append(0.0)
            continue
        valences = analyzer.sentiment_valence(0, senti, item, i, valences)
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    return [(s, e, float(v)) for (s, e), v in zip(spans, valences) if v]


def _word_index(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return np.maximum(np.searchsorted(starts, positions, side="right") - 1, 0)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    cuts = [m.start() for m in _CLAUSE_BREAK_RE.finditer(text)]
    lo = max((c for c in cuts if c <= start), default=0)
    hi = min((c for c in cuts if c >= end), default=len(text))
    return lo, hi


def _is_whole(value: object) -> bool:
    """Whether ``value`` is a whole number (``4`` or ``4.0``; not ``True``, ``"4"``, NaN)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and float(value).is_integer()


def _check_spans(
    texts: list[object], starts: list[object], ends: list[object], index: pd.Index
) -> None:
    for row, text, start, end in zip(index, texts, starts, ends):
        if not isinstance(text, str):
            continue
        whole = all(_is_whole(v) for v in (start, end))
        if not whole or not 0 <= start < end <= len(text):
            raise InputError(
                f"the target span ({start!r}, {end!r}) is not inside the text "
                f"({len(text)} characters).",
                row=row,
                fix="give start and end as character offsets with 0 <= start < end <= "
                "len(text), end exclusive (text[start:end] is the mention).",
            )


def _label_by(polarity: np.ndarray, negative_below: float, positive_above: float) -> list:
    return [
        None if np.isnan(p)
        else "positive" if p > positive_above
        else "negative" if p < negative_below
        else "neutral"
        for p in polarity
    ]


def score_target_sentiment(
    items: pd.DataFrame,
    *,
    text_col: str = "text",
    start_col: str = "start",
    end_col: str = "end",
    method: TargetMethod = "model",
    model: str | PathLike | OnnxModel | None = None,
    lexicon: TargetLexicon = "vader",
    window: int = 15,
    decay: float = 5.0,
    skip_names: bool = True,
    ignore_words: Iterable[str] = NEWS_NEUTRAL_WORDS,
    negative_below: float | None = None,
    positive_above: float | None = None,
) -> pd.DataFrame:
    """Score the sentiment of a sentence toward a target mentioned in it.

    Each row is one (sentence, target) pair: the sentence text and the character span of
    the target's mention (a person, party, country...). A sentence that mentions several
    targets appears once per target.

    ``"model"`` (default)
        framelens's tone model (:mod:`framelens.models.tone`): a small encoder fine-tuned
        on the human labels of NewsMTSC, run offline with onnxruntime. It reads the whole
        sentence with the target marked and gives the probability of each label; it
        agrees with human coders far better than the lexicons (README, "Sentiment toward
        a target"). ``model`` may name another model folder with the same interface.

    The lexicon methods are the transparent baseline: the lexicon scores each word's
    tone, and ``method`` decides which words speak about the target and how much each
    counts:

    ``"sentence"``
        the whole sentence, exactly ``TextBlob(text).sentiment.polarity`` or VADER's
        ``compound``, whatever the target (the baseline).
    ``"window"``
        only words within ``window`` words of the mention, equally weighted.
    ``"clause"``
        only words in the clause that holds the mention; clauses end at ``, ; : ( ) —``,
        quotation marks and before *but, while, although, though, whereas, however, yet*.
    ``"distance"``
        every word, weighted ``1 / (1 + d / decay)`` where ``d`` is its distance in words
        from the mention (1 for a neighbour): nearby words dominate, far ones still count.

    Negation and intensifiers are applied over the whole sentence before words are
    selected, so "not" outside a window still negates "good" inside it. VADER's "but" rule
    (tone after "but" outweighs tone before it) is left to the sentence method: which side
    of a "but" matters depends on where the target stands.
    The target-aware methods skip the words of the mention itself ("Winner", "Justice
    Kennedy"), with ``skip_names`` capitalised words inside the sentence, which belong to
    names ("Supreme Court", "Democratic Party"), and the ``ignore_words`` that news uses
    without tone ("leaders like Merkel"). The selected scores are then
    combined as the lexicon does: VADER sums valences and maps the sum into [-1, 1]
    (``x / sqrt(x² + 15)``), TextBlob takes the (weighted) mean of its assessed chunks.
    A row with no lexicon word selected scores 0.

    Parameters
    ----------
    items : DataFrame with ``text_col``, ``start_col`` and ``end_col``, one row per
        (sentence, target).
    text_col : column holding the sentence.
    start_col, end_col : columns holding the mention's character offsets in the
        sentence, end exclusive (``text[start:end]`` is the mention).
    method : ``"model"``, ``"sentence"``, ``"window"``, ``"clause"`` or ``"distance"``,
        see above.
    model : with ``method="model"``, the tone model's folder or a loaded model; None
        (default) uses the shipped one.
    lexicon : ``"vader"`` (default; VADER's lexicon, which knows far more news verbs such
        as *accused, arrested, criticized, praised*) or ``"textblob"`` (Pattern's
        adjective lexicon).
    window : half-width in words of the ``"window"`` method.
    decay : distance in words at which a word counts half, for ``"distance"``.
    skip_names : leave capitalised mid-sentence words out (target-aware methods only).
    ignore_words : words (any case) whose lexicon score is left out (target-aware
        methods only) because the corpus mostly uses them in a sense without tone;
        default :data:`NEWS_NEUTRAL_WORDS` ("leaders like Merkel", "the party", "national
        security"); pass ``()`` to keep every lexicon word. A TextBlob chunk such as "not
        good" is left out when its last word is listed.
    negative_below, positive_above : ``target_polarity`` below ``negative_below`` is
        labelled negative, above ``positive_above`` positive, anything between neutral.
        ``None`` takes the pair in :data:`TARGET_THRESHOLDS` for ``(lexicon, method)``;
        for the default that is ``(0.0, 0.1)``: any net negative tone is negative, and
        positive needs ``target_polarity > 0.1``.

    Returns
    -------
    A copy of ``items`` with added columns ``target_polarity`` (float, -1 to 1) and
    ``target_label`` (``"negative"``, ``"neutral"`` or ``"positive"``). Rows whose text
    is missing get NaN and no label. With ``method="model"``, ``target_polarity`` is the
    probability of positive minus that of negative, the label is the most probable
    class, and ``tone_negative``, ``tone_neutral``, ``tone_positive`` (probabilities) and
    ``tone_truncated`` (an over-long sentence was cut around the target) are added.

    Raises
    ------
    MissingColumnError : a named column is absent.
    InputError : a target span does not lie inside its text.
    OptionError : an option has a value the function does not accept.
    ModelError : the tone model's files are missing or corrupt.

    Notes
    -----
    The lexicon defaults (VADER, ``"distance"``, ``decay=5``, :data:`NEWS_NEUTRAL_WORDS`,
    thresholds ``(0.0, 0.1)``) were chosen on 70 % of the stories in NewsMTSC's
    train.jsonl. On the other 30 % they reach macro-F1 0.554 (accuracy 0.555), against
    0.540 for whole-sentence VADER and 0.440 for whole-sentence TextBlob with their own
    tuned thresholds, and 0.183 for always answering "negative", the largest class
    (``benchmarks/bench_newsmtsc.py``). Lexicons measure the tone of words, not the
    stance toward a target, which human coders often infer; treat the labels as a rough,
    transparent first pass, and validate them on your own corpus.
    The function is pure and picklable: ``ddf.map_partitions(score_target_sentiment)``.

    Examples
    --------
    >>> text = "The mayor praised the brave nurses, but the governor was a disaster."
    >>> items = pd.DataFrame({"text": text, "start": [4, 44], "end": [9, 52]})
    >>> items["text"].str.slice(4, 9)[0], items["text"].str.slice(44, 52)[0]
    ('mayor', 'governor')
    >>> score_target_sentiment(items)["target_label"].tolist()
    ['positive', 'negative']
    >>> score_target_sentiment(items, method="clause")["target_label"].tolist()
    ['positive', 'negative']
    >>> score_target_sentiment(items, method="sentence")["target_label"].tolist()
    ['negative', 'negative']
    """
    _check_choice("method", method, TARGET_METHODS)
    _check_choice("lexicon", lexicon, TARGET_LEXICONS)
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 0:
        raise OptionError(
            f"window must be a whole number of words, 0 or more; got {window!r}.",
            fix="pass window=15.",
        )
    if not isinstance(decay, (int, float)) or isinstance(decay, bool) or not decay > 0:
        raise OptionError(f"decay must be a number above 0; got {decay!r}.", fix="pass decay=5.")
    if method == "model":
        if negative_below is not None or positive_above is not None:
            raise OptionError(
                "negative_below and positive_above set the thresholds of the lexicon "
                "methods; the model labels each pair with its most probable class.",
                fix="leave them out, or pass method='distance' (or another lexicon method).",
            )
        return _model_sentiment(items, text_col=text_col, start_col=start_col,
                                end_col=end_col, model=model)
    default_low, default_high = TARGET_THRESHOLDS[(lexicon, method)]
    low = default_low if negative_below is None else negative_below
    high = default_high if positive_above is None else positive_above
    if not low <= high:
        raise OptionError(
            f"negative_below ({low!r}) must not be above positive_above ({high!r}).",
            fix="pass negative_below <= positive_above, e.g. -0.05 and 0.05.",
        )
    require_columns(items, [text_col, start_col, end_col], helper="score_target_sentiment")
    texts = items[text_col].tolist()
    starts = items[start_col].tolist()
    ends = items[end_col].tolist()
    _check_spans(texts, starts, ends, items.index)

    if method == "sentence":
        polarity = _sentence_polarity(texts, lexicon)
    else:
        polarity = _target_polarity(
            texts, starts, ends, method=method, lexicon=lexicon, window=window,
            decay=float(decay), skip_names=skip_names,
            ignore_words=frozenset(w.lower() for w in ignore_words),
        )
    out = items.copy()
    out["target_polarity"] = polarity
    out["target_label"] = _label_by(polarity, low, high)
    return out


def _model_sentiment(items: pd.DataFrame, *, text_col: str, start_col: str, end_col: str,
                     model: str | PathLike | OnnxModel | None) -> pd.DataFrame:
    require_columns(items, [text_col, start_col, end_col], helper="score_target_sentiment")
    texts = items[text_col].tolist()
    starts = items[start_col].tolist()
    ends = items[end_col].tolist()
    _check_spans(texts, starts, ends, items.index)
    present = np.array([isinstance(t, str) for t in texts], dtype=bool)
    rows = np.flatnonzero(present)
    tone = score_tone([texts[i] for i in rows], [int(starts[i]) for i in rows],
                      [int(ends[i]) for i in rows], model=model)
    out = items.copy()
    polarity = np.full(len(items), np.nan)
    polarity[rows] = tone["tone_score"].to_numpy()
    labels = np.full(len(items), None, dtype=object)
    labels[rows] = tone["tone_label"].to_numpy(dtype=object)
    out["target_polarity"] = polarity
    out["target_label"] = labels.tolist()
    for label in TONE_LABELS:
        column = np.full(len(items), np.nan)
        column[rows] = tone[f"tone_{label}"].to_numpy()
        out[f"tone_{label}"] = column
    truncated = np.zeros(len(items), dtype=bool)
    truncated[rows] = tone["tone_truncated"].to_numpy()
    out["tone_truncated"] = truncated
    return out


def _sentence_polarity(texts: list[object], lexicon: str) -> np.ndarray:
    if lexicon == "textblob":
        return pattern_scores(texts)[:, 0]
    return vader_scores(texts)[:, 3]


def _target_polarity(
    texts: list[object],
    starts: list[object],
    ends: list[object],
    *,
    method: str,
    lexicon: str,
    window: int,
    decay: float,
    skip_names: bool,
    ignore_words: frozenset[str],
) -> np.ndarray:
    """Weight each sentence's lexicon hits by where they stand relative to the target.

    Every unique sentence is scored once; its hits are then joined to all of its targets
    and weighted in one vectorised pass.
    """
    n = len(texts)
    present = np.array([isinstance(t, str) for t in texts], dtype=bool)
    codes, uniques = pd.factorize(pd.Series(texts, dtype="object")[present])
    find_hits = _vader_hits if lexicon == "vader" else _textblob_hits
    hit_rows = []
    word_starts = []
    for code, text in enumerate(uniques):
        starts_of_words = np.array(
            [s for token, s, _ in word_spans(text) if token[0].isalnum()] or [0]
        )
        word_starts.append(starts_of_words)
        for start, end, value in find_hits(text):
            if skip_names and _is_name(text, start, end):
                continue
            if ignore_words and _head_word(text, start, end) in ignore_words:
                continue
            first, last = _word_index(starts_of_words, np.array([start, max(end - 1, start)]))
            hit_rows.append((code, start, end, first, last, value))
    hits = pd.DataFrame(hit_rows, columns=["code", "h_start", "h_end", "h_first", "h_last",
                                           "value"])
    hits = hits.astype({"code": "int64", "h_start": "int64", "h_end": "int64",
                        "h_first": "int64", "h_last": "int64", "value": "float64"})

    rows = np.flatnonzero(present)
    t_start = np.array([int(starts[i]) for i in rows], dtype="int64")
    t_end = np.array([int(ends[i]) for i in rows], dtype="int64")
    t_first = np.empty(len(rows), dtype="int64")
    t_last = np.empty(len(rows), dtype="int64")
    lo = np.zeros(len(rows), dtype="int64")
    hi = np.zeros(len(rows), dtype="int64")
    for k, (code, start, end) in enumerate(zip(codes, t_start, t_end)):
        t_first[k], t_last[k] = _word_index(word_starts[code], np.array([start, end - 1]))
        if method == "clause":
            lo[k], hi[k] = _clause_bounds(uniques[code], start, end)
    targets = pd.DataFrame({"row": rows, "code": codes, "t_start": t_start, "t_end": t_end,
                            "t_first": t_first, "t_last": t_last, "lo": lo, "hi": hi})
    pairs = targets.merge(hits, on="code", how="inner")
    in_mention = (pairs["h_start"] >= pairs["t_start"]) & (pairs["h_end"] <= pairs["t_end"])
    pairs = pairs[~in_mention]
    distance = np.maximum.reduce([
        (pairs["t_first"] - pairs["h_last"]).to_numpy(),
        (pairs["h_first"] - pairs["t_last"]).to_numpy(),
        np.zeros(len(pairs), dtype="int64"),
    ])
    if method == "window":
        weight = (distance <= window).astype("float64")
    elif method == "clause":
        weight = ((pairs["h_start"] >= pairs["lo"]) & (pairs["h_end"] <= pairs["hi"]))
        weight = weight.to_numpy(dtype="float64")
    else:
        weight = 1.0 / (1.0 + distance / decay)
    pairs = pairs.assign(weight=weight, weighted=weight * pairs["value"].to_numpy())
    sums = pairs.groupby("row")[["weight", "weighted"]].sum()
    total = sums["weighted"].reindex(rows, fill_value=0.0).to_numpy(dtype="float64")
    weights = sums["weight"].reindex(rows, fill_value=0.0).to_numpy(dtype="float64")
    if lexicon == "vader":
        scored = total / np.sqrt(total * total + _VADER_ALPHA)
    else:
        scored = np.divide(total, weights, out=np.zeros_like(total), where=weights > 0)
    polarity = np.full(n, np.nan)
    polarity[rows] = scored
    return polarity
