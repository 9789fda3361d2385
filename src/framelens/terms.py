"""Terms: word and n-gram frequencies, tf-idf, and keywords in context.

This module owns what counts as a *term*:

- a word is a token's ``norm`` (lower case) when the token is a word (``is_word``), by
  default not a stopword and not a pure number ("2025", "130,000", "3.5"; "H3C" is kept
  because it contains a letter);
- an n-gram is ``n`` consecutive tokens of the same sentence, all of them words by
  that rule, joined by a space ("public good"). Punctuation is a token, so n-grams never
  cross it ("growth, China" is not a bigram), and with ``drop_stopwords`` an n-gram
  containing a stopword ("of the", "good of") is skipped rather than bridged.

Tokens come from :func:`framelens.tokenize`. Only sentences of :data:`ANALYSED_KINDS`
count by default; the tokens table says nothing about kinds, so pass the sentences table
as ``sentences=`` (or a tokens table with a ``kind`` column) to leave captions, bylines
and boilerplate out.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from framelens.errors import OptionError
from framelens.segment import ANALYSED_KINDS, _require, word_spans

__all__ = ["kwic", "term_frequency", "tfidf"]

_TOKEN_KEYS = ["article_id", "sentence_id", "token_id"]
_TERM_COLUMNS = [*_TOKEN_KEYS, "norm", "is_word", "is_stop"]
_LETTER_RE = r"[^\W\d_]"


def _select_kinds(
    tokens: pd.DataFrame,
    sentences: pd.DataFrame | None,
    kinds: Iterable[str] | None,
    *,
    helper: str,
) -> pd.DataFrame:
    """Keep the tokens of sentences whose kind is in ``kinds``."""
    if kinds is None:
        return tokens
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if "kind" not in tokens.columns:
        if sentences is None:
            warnings.warn(
                f"{helper}: the tokens table has no 'kind' column, so captions, bylines and "
                "boilerplate are counted too. Pass sentences=<the split_sentences table> to "
                "leave them out, or kinds=None to count everything without this warning.",
                UserWarning,
                stacklevel=3,
            )
            return tokens
        _require(sentences, ["article_id", "sentence_id", "kind"], helper=helper)
        kind = sentences[["article_id", "sentence_id", "kind"]].drop_duplicates(
            ["article_id", "sentence_id"]
        )
        tokens = tokens.merge(kind, on=["article_id", "sentence_id"], how="left")
    return tokens[tokens["kind"].isin(kinds)]


def _in_reading_order(tokens: pd.DataFrame) -> pd.DataFrame:
    """Sort by article (order of first appearance), sentence and token; fresh index."""
    first_row = pd.Series(np.arange(len(tokens)), index=tokens.index)
    article_order = first_row.groupby(tokens["article_id"], sort=False).transform("min")
    return (
        tokens.assign(_article_order=article_order)
        .sort_values(["_article_order", "sentence_id", "token_id"], kind="stable")
        .drop(columns="_article_order")
        .reset_index(drop=True)
    )


def _followers(tokens: pd.DataFrame, k: int) -> np.ndarray:
    """True where the token ``k`` rows on is the ``k``-th next token of the same sentence."""
    n = len(tokens)
    same = np.zeros(n, dtype=bool)
    if k >= n:
        return same
    aid = tokens["article_id"].to_numpy(dtype=object)
    sid = tokens["sentence_id"].to_numpy()
    tid = tokens["token_id"].to_numpy()
    same[: n - k] = (aid[k:] == aid[: n - k]) & (sid[k:] == sid[: n - k]) & (
        tid[k:] == tid[: n - k] + k
    )
    return same


def _ngrams(
    tokens: pd.DataFrame, *, n: int, drop_stopwords: bool, drop_numbers: bool
) -> pd.DataFrame:
    """One row per n-gram (keyed on its first token) with the added column ``term``."""
    tokens = _in_reading_order(tokens)
    norm = tokens["norm"].astype(str)
    ok = tokens["is_word"].to_numpy(dtype=bool, copy=True)
    if drop_stopwords:
        ok &= ~tokens["is_stop"].to_numpy(dtype=bool)
    if drop_numbers:
        ok &= norm.str.contains(_LETTER_RE, regex=True).to_numpy(dtype=bool)
    valid = ok.copy()
    words = norm.to_numpy(dtype=object)
    terms = words.copy()
    size = len(tokens)
    for k in range(1, n):
        head = max(size - k, 0)
        valid &= _followers(tokens, k)
        valid[:head] &= ok[k:]
        terms[:head] = terms[:head] + " " + words[k:]
    return tokens[valid].assign(term=terms[valid])


def _check_whole(name: str, value: object, *, minimum: int) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise OptionError(
            f"{name} must be a whole number of at least {minimum}; got {value!r}.",
            fix=f"pass {name}={minimum} or more.",
        )


def _check_top_n(top_n: int | None) -> None:
    if top_n is not None:
        _check_whole("top_n", top_n, minimum=1)


def term_frequency(
    tokens: pd.DataFrame,
    *,
    ngram: int = 1,
    by: str | None = None,
    min_count: int = 1,
    drop_stopwords: bool = True,
    drop_numbers: bool = True,
    top_n: int | None = None,
    kinds: Iterable[str] | None = ANALYSED_KINDS,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count words (``ngram=1``) or n-grams (``ngram=2``: bigrams...) overall or per group.

    Parameters
    ----------
    tokens : the output of :func:`framelens.tokenize`; needs ``article_id, sentence_id,
        token_id, norm, is_word, is_stop`` (and ``by``).
    ngram : number of consecutive tokens per term; n-grams never leave their sentence or
        cross punctuation.
    by : ``None`` to count the whole input, or a column to count per group
        (``"article_id"``, or any column of ``tokens``).
    min_count : drop terms seen fewer times than this (per group).
    drop_stopwords : skip stopwords, and n-grams that contain one.
    drop_numbers : skip tokens without a letter ("2025", "3.5"), and n-grams containing one.
    top_n : keep only the first ``top_n`` terms of each group (after sorting).
    kinds : paragraph kinds whose sentences count; ``None`` for all.
    sentences : the sentences table, used to look up each token's ``kind`` when
        ``tokens`` has no ``kind`` column.

    Returns
    -------
    DataFrame with columns ``[by], term, count, rel_freq, rank``, sorted by group (order
    of first appearance), ``count`` (descending), then ``term`` (alphabetical).
    ``rel_freq`` is ``count`` per 1,000 word tokens of the group, counting *all* word
    tokens (stopwords and numbers included) in the sentences of ``kinds``, so rates are
    comparable across settings of ``drop_stopwords`` and ``ngram``. ``rank`` is 1 for the
    most frequent term; tied counts share the lower rank (1, 2, 2, 4).

    Examples
    --------
    >>> from framelens.segment import tokenize
    >>> toks = tokenize(pd.DataFrame({"article_id": "a", "sentence_id": [0],
    ...                               "text": ["AI is a public good, a public good."]}))
    >>> term_frequency(toks, ngram=2, kinds=None)[["term", "count"]].values.tolist()
    [['public good', 2]]
    """
    _check_whole("ngram", ngram, minimum=1)
    _check_whole("min_count", min_count, minimum=1)
    _check_top_n(top_n)
    _require(tokens, _TERM_COLUMNS + ([by] if by is not None else []), helper="term_frequency")
    tokens = _select_kinds(tokens, sentences, kinds, helper="term_frequency")
    grams = _ngrams(tokens, n=ngram, drop_stopwords=drop_stopwords, drop_numbers=drop_numbers)
    words = tokens[tokens["is_word"].astype(bool)]
    if by is None:
        counts = grams.groupby("term").size().rename("count").reset_index()
        counts["rel_freq"] = counts["count"] / len(words) * 1000 if len(words) else np.nan
        keys: list[str] = []
    else:
        counts = grams.groupby([by, "term"], sort=False).size().rename("count").reset_index()
        totals = words.groupby(by, sort=False).size()
        counts["rel_freq"] = counts["count"] / counts[by].map(totals).astype("float64") * 1000
        keys = [by]
    counts = counts[counts["count"] >= min_count]
    counts = _sort_within_groups(counts, tokens, keys, value="count")
    counts["rank"] = (
        counts.groupby(keys, sort=False)["count"].rank(method="min", ascending=False)
        if keys
        else counts["count"].rank(method="min", ascending=False)
    ).astype("int64")
    if top_n is not None:
        counts = counts.groupby(keys, sort=False).head(top_n) if keys else counts.head(top_n)
    counts = counts.astype({"term": "str", "count": "int64", "rel_freq": "float64"})
    return counts[[*keys, "term", "count", "rel_freq", "rank"]].reset_index(drop=True)


def _sort_within_groups(
    frame: pd.DataFrame, tokens: pd.DataFrame, keys: list[str], *, value: str
) -> pd.DataFrame:
    """Sort by group (order of first appearance in ``tokens``), ``value`` desc, ``term``."""
    if keys:
        order = {g: i for i, g in enumerate(pd.unique(tokens[keys[0]]))}
        frame = frame.assign(_group_order=frame[keys[0]].map(order))
        return frame.sort_values(
            ["_group_order", value, "term"], ascending=[True, False, True], kind="stable"
        ).drop(columns="_group_order")
    return frame.sort_values([value, "term"], ascending=[False, True], kind="stable")


def tfidf(
    tokens: pd.DataFrame,
    *,
    ngram: int = 1,
    min_df: int = 1,
    drop_stopwords: bool = True,
    drop_numbers: bool = True,
    top_n: int | None = None,
    normalize: Literal["none", "l2"] = "none",
    kinds: Iterable[str] | None = ANALYSED_KINDS,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score each article's terms by tf-idf: frequent here, rare in the other articles.

    With ``N`` articles and a term found in ``df`` of them, the smoothed inverse document
    frequency is ``idf = ln((1 + N) / (1 + df)) + 1`` (scikit-learn's default), and
    ``tfidf = tf * idf`` with ``tf`` the raw count of the term in the article.
    ``normalize="l2"`` then divides each article's ``tfidf`` values by their Euclidean
    length, as ``TfidfVectorizer()`` does.

    Parameters
    ----------
    tokens : the output of :func:`framelens.tokenize`; needs ``article_id, sentence_id,
        token_id, norm, is_word, is_stop``. ``N`` is the number of distinct
        ``article_id`` values in it.
    ngram, drop_stopwords, drop_numbers, kinds, sentences : what counts as a term, as in
        :func:`term_frequency`.
    min_df : drop terms found in fewer than this many articles (before ``normalize``).
    top_n : keep only the ``top_n`` highest-scoring terms of each article.
    normalize : ``"none"`` (raw ``tf * idf``) or ``"l2"`` (unit length per article).

    Returns
    -------
    DataFrame with columns ``article_id, term, tf, df, idf, tfidf``, sorted by article
    (order of first appearance), ``tfidf`` (descending), then ``term``.

    Examples
    --------
    >>> from framelens.segment import tokenize
    >>> toks = tokenize(pd.DataFrame({"article_id": ["a", "b"], "sentence_id": [0, 0],
    ...                               "text": ["AI, AI and trade.", "Trade talks."]}))
    >>> tfidf(toks, kinds=None).query("article_id == 'a'")[["term", "tf", "df"]].values.tolist()
    [['ai', 2, 1], ['trade', 1, 2]]
    """
    _check_whole("ngram", ngram, minimum=1)
    _check_whole("min_df", min_df, minimum=1)
    _check_top_n(top_n)
    if normalize not in ("none", "l2"):
        raise OptionError(
            f"normalize must be 'none' or 'l2'; got {normalize!r}.", fix="pass normalize='l2'."
        )
    _require(tokens, _TERM_COLUMNS, helper="tfidf")
    n_docs = tokens["article_id"].nunique()
    selected = _select_kinds(tokens, sentences, kinds, helper="tfidf")
    grams = _ngrams(selected, n=ngram, drop_stopwords=drop_stopwords, drop_numbers=drop_numbers)
    out = grams.groupby(["article_id", "term"], sort=False).size().rename("tf").reset_index()
    out["df"] = out.groupby("term")["article_id"].transform("size")
    out = out[out["df"] >= min_df]
    out["idf"] = np.log((1 + n_docs) / (1 + out["df"].astype("float64"))) + 1
    out["tfidf"] = out["tf"] * out["idf"]
    if normalize == "l2":
        length = (out["tfidf"] ** 2).groupby(out["article_id"]).transform("sum") ** 0.5
        out["tfidf"] = out["tfidf"] / length
    out = _sort_within_groups(out, tokens, ["article_id"], value="tfidf")
    if top_n is not None:
        out = out.groupby("article_id", sort=False).head(top_n)
    out = out.astype(
        {"term": "str", "tf": "int64", "df": "int64", "idf": "float64", "tfidf": "float64"}
    )
    return out[["article_id", "term", "tf", "df", "idf", "tfidf"]].reset_index(drop=True)


def _pattern_regexes(pattern: str) -> list[str]:
    """One full-match regex per pattern token; ``*`` and ``?`` are wildcards."""
    parts: list[str] = []
    for piece in pattern.lower().replace("’", "'").split():
        if "*" in piece or "?" in piece:
            parts.append(piece)
        else:
            parts.extend(token for token, _, _ in word_spans(piece))
    return [re.escape(p).replace(r"\*", ".*").replace(r"\?", ".") for p in parts]


def kwic(
    tokens: pd.DataFrame,
    pattern: str,
    *,
    window: int = 5,
    kinds: Iterable[str] | None = ANALYSED_KINDS,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Keywords in context: every occurrence of ``pattern`` with the tokens around it.

    Parameters
    ----------
    tokens : the output of :func:`framelens.tokenize`; needs ``article_id, sentence_id,
        token_id, token, norm``.
    pattern : a word (``"cooperation"``), a glob where ``*`` stands for any letters and
        ``?`` for one (``"econom*"``), or a phrase of such words (``"public good"``,
        ``"international public *"``). Matched case-insensitively against ``norm``; a
        phrase matches consecutive tokens of one sentence.
    window : at most this many tokens of the same sentence on each side.
    kinds : paragraph kinds whose sentences are searched; ``None`` for all.
    sentences : the sentences table, used to look up each token's ``kind`` when
        ``tokens`` has no ``kind`` column.

    Returns
    -------
    DataFrame, one row per match, in reading order (article, sentence, token):
    ``article_id, sentence_id, token_id, left, keyword, right``. ``token_id`` is the
    match's first token; ``left``, ``keyword`` and ``right`` are the tokens as written,
    joined by single spaces (punctuation included, as quanteda's ``pre, keyword, post``).

    Examples
    --------
    >>> from framelens.segment import tokenize
    >>> toks = tokenize(pd.DataFrame({"article_id": "a", "sentence_id": [0],
    ...                               "text": ["The economy and economic growth grew."]}))
    >>> kwic(toks, "econom*", window=2, kinds=None)[["left", "keyword", "right"]].values.tolist()
    [['The', 'economy', 'and economic'], ['economy and', 'economic', 'growth grew']]
    """
    _check_whole("window", window, minimum=0)
    regexes = _pattern_regexes(pattern) if isinstance(pattern, str) else []
    if not regexes:
        raise OptionError(
            f"pattern must name at least one word; got {pattern!r}.",
            fix='pass a word ("trade"), a glob ("econom*") or a phrase ("public good").',
        )
    _require(tokens, [*_TOKEN_KEYS, "token", "norm"], helper="kwic")
    tokens = _in_reading_order(_select_kinds(tokens, sentences, kinds, helper="kwic"))
    norm = tokens["norm"].astype(str)
    size, width = len(tokens), len(regexes)
    hit = np.ones(size, dtype=bool)
    for k, regex in enumerate(regexes):
        matches = norm.str.fullmatch(regex).to_numpy(dtype=bool)
        if k:
            hit &= _followers(tokens, k)
            hit[: max(size - k, 0)] &= matches[k:]
        else:
            hit &= matches
    sentence = tokens.groupby(["article_id", "sentence_id"], sort=False)
    start = np.arange(size) - sentence.cumcount().to_numpy()
    end = start + sentence["token_id"].transform("size").to_numpy()
    text = tokens["token"].astype(str).tolist()
    rows = []
    for i in np.flatnonzero(hit):
        stop = i + width
        rows.append((
            " ".join(text[max(start[i], i - window) : i]),
            " ".join(text[i:stop]),
            " ".join(text[stop : min(end[i], stop + window)]),
        ))
    out = tokens.loc[hit, _TOKEN_KEYS].reset_index(drop=True)
    context = pd.DataFrame(rows, columns=["left", "keyword", "right"], dtype="str")
    return pd.concat([out, context], axis=1)
