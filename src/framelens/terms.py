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
import pyarrow as pa
import pyarrow.compute as pc

from framelens.columns import require_columns
from framelens.errors import OptionError
from framelens.segment import (
    ANALYSED_KINDS,
    STR_DTYPE,
    is_str_dtype,
    string_column,
    word_spans,
)

__all__ = ["kwic", "term_frequency", "tfidf"]

_TOKEN_KEYS = ["article_id", "sentence_id", "token_id"]
_TERM_COLUMNS = [*_TOKEN_KEYS, "norm", "is_word", "is_stop"]
_LETTER_RE = r"[^\W\d_]"
_LETTER = re.compile(_LETTER_RE)
_SPACE_OR_BELOW = re.compile(r"[\x00-\x20]")


def _kind_mask(
    tokens: pd.DataFrame,
    sentences: pd.DataFrame | None,
    kinds: Iterable[str] | None,
    *,
    helper: str,
    stacklevel: int,
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """``tokens`` (with their ``kind`` looked up in ``sentences`` when they have none) and
    which of its rows are of ``kinds``; ``None`` when every row counts."""
    if kinds is None:
        return tokens, None
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if "kind" not in tokens.columns:
        if sentences is None:
            warnings.warn(
                f"{helper}: the tokens table has no 'kind' column, so captions, bylines and "
                "boilerplate are counted too. Pass sentences=<the split_sentences table> to "
                "leave them out, or kinds=None to count everything without this warning.",
                UserWarning,
                stacklevel=stacklevel,
            )
            return tokens, None
        require_columns(sentences, ["article_id", "sentence_id", "kind"], helper=helper)
        kind = sentences[["article_id", "sentence_id", "kind"]].drop_duplicates(
            ["article_id", "sentence_id"]
        )
        tokens = tokens.merge(kind, on=["article_id", "sentence_id"], how="left")
    return tokens, tokens["kind"].isin(kinds).to_numpy(dtype=bool)


def _select_kinds(
    tokens: pd.DataFrame,
    sentences: pd.DataFrame | None,
    kinds: Iterable[str] | None,
    *,
    helper: str,
) -> pd.DataFrame:
    """Keep the tokens of sentences whose kind is in ``kinds``."""
    tokens, keep = _kind_mask(tokens, sentences, kinds, helper=helper, stacklevel=4)
    return tokens if keep is None else tokens[keep]


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


def _first_seen(codes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber ``codes`` (from :func:`pandas.factorize`, -1 for missing) by first
    appearance in ``rows``.

    Returns the new number of every row (-1 for missing values and rows not in ``rows``)
    and, per number, the first row holding it.
    """
    kept = codes[rows]
    present = np.flatnonzero(kept >= 0)
    renumbered = kept[present]
    highest = np.maximum.accumulate(renumbered)
    # already so when every number is at most one above all before it (and the first is 0)
    if len(renumbered) and (renumbered[0] != 0 or (renumbered[1:] > highest[:-1] + 1).any()):
        renumbered, _ = pd.factorize(renumbered)
        highest = np.maximum.accumulate(renumbered)
    numbers = np.full(len(codes), -1, dtype=np.int64)
    numbers[rows[present]] = renumbered
    # a number appears first where the running maximum grows
    grows = np.ones(len(renumbered), dtype=bool)
    grows[1:] = renumbered[1:] > highest[:-1]
    return numbers, rows[present[grows]]


def _reading_order(article: np.ndarray, tokens: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """``rows`` in the order :func:`_in_reading_order` puts them; ``article`` numbers the
    ``article_id`` of every row (:func:`pandas.factorize`)."""
    article = _first_seen(article, rows)[0][rows]
    article[article < 0] = len(rows)  # missing ids go last, as the sort puts NaN
    sentence = tokens["sentence_id"].to_numpy()[rows]
    token = tokens["token_id"].to_numpy()[rows]
    if sentence.dtype.kind not in "iuf" or token.dtype.kind not in "iuf":
        keys = pd.DataFrame({"a": article, "s": sentence, "t": token})
        return rows[keys.sort_values(["a", "s", "t"], kind="stable").index.to_numpy()]
    # tokenize gives them in reading order already: check that before sorting
    same_article = article[1:] == article[:-1]
    same_sentence = same_article & (sentence[1:] == sentence[:-1])
    ordered = (
        (article[1:] > article[:-1])
        | (same_article & (sentence[1:] > sentence[:-1]))
        | (same_sentence & (token[1:] >= token[:-1]))
    )
    if ordered.all():
        return rows
    return rows[np.lexsort((token, sentence, article))]


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


def _gram_starts(
    tokens: pd.DataFrame,
    order: np.ndarray,
    *,
    n: int,
    drop_stopwords: bool,
    drop_numbers: bool,
    article: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, object]:
    """The n-grams of the rows ``order`` of ``tokens``, read in that order.

    Returns where each n-gram starts (a position in ``order``), its term as a number, and
    the terms (an array of strings, in alphabetical order) those numbers index. Words are
    numbered once, by :func:`pandas.factorize`, so that each distinct ``norm`` is tested
    for a letter once and an n-gram is a tuple of numbers until its text is needed.
    ``article`` numbers the ``article_id`` of every row, when already known.
    """
    norm = tokens["norm"]
    codes, words = pd.factorize(norm if is_str_dtype(norm.dtype) else norm.astype(str))
    # number the words alphabetically
    by_text = np.asarray(words.argsort(), dtype=np.int64)
    words = words.take(by_text).tolist()
    rank = np.empty(len(words) + 1, dtype=np.int64)
    rank[by_text] = np.arange(len(words))
    rank[-1] = -1  # a missing norm
    codes = rank[codes]
    ok = tokens["is_word"].to_numpy(dtype=bool, copy=True)
    if drop_stopwords:
        ok &= ~tokens["is_stop"].to_numpy(dtype=bool)
    if drop_numbers:
        # a word of letters only has one (isalpha() accepts what [^\W\d_] accepts)
        has_letter = np.zeros(len(words) + 1, dtype=bool)
        has_letter[:-1] = np.fromiter(map(str.isalpha, words), dtype=bool, count=len(words))
        for i in np.flatnonzero(~has_letter[:-1]).tolist():
            has_letter[i] = _LETTER.search(words[i]) is not None
        ok &= has_letter[codes]
    ok &= codes >= 0  # a missing norm is no term
    ok, codes = ok[order], codes[order]
    valid = ok.copy()
    size = len(order)
    if n > 1:
        if article is None:
            article = pd.factorize(tokens["article_id"])[0]
        article = article[order]
        missing = article < 0
        # missing ids are compared as values, as before: None == None, but NaN != NaN
        ids = tokens["article_id"].to_numpy(dtype=object)[order] if missing.any() else None
        sentence = tokens["sentence_id"].to_numpy()[order]
        token = tokens["token_id"].to_numpy()[order]
        for k in range(1, n):
            head = max(size - k, 0)
            same = (article[k:] == article[:head]) & ~missing[:head]
            if ids is not None:
                both = np.flatnonzero(missing[k:] & missing[:head])
                same[both] = ids[both + k] == ids[both]
            follows = np.zeros(size, dtype=bool)
            follows[:head] = (
                same & (sentence[k:] == sentence[:head]) & (token[k:] == token[:head] + k)
            )
            valid &= follows
            valid[:head] &= ok[k:]
    starts = np.flatnonzero(valid)
    if n == 1:
        return starts, codes[starts], _string_array(words)
    # Number the n-grams by their tuples of word numbers, in order: that is the terms'
    # alphabetical order too, unless a word holds a space or a character below it ("a b"
    # + "c" and "a" + "b c" spell one term; "a\x01" > "a" but "a\x01 b" < "a b").
    term = codes[starts]
    for k in range(1, n):
        _, term = np.unique(term * len(words) + codes[starts + k], return_inverse=True)
    first = starts[np.unique(term, return_index=True)[1]]
    texts = _join_words(words, [codes[first + k] for k in range(n)])
    if _SPACE_OR_BELOW.search("".join(words)):
        same_text, texts = pd.factorize(np.asarray(texts, dtype=object))
        by_text = np.argsort(texts, kind="stable")
        rank = np.empty(len(texts), dtype=np.int64)
        rank[by_text] = np.arange(len(texts))
        term, texts = rank[same_text[term]], _string_array(texts[by_text].tolist())
    return starts, term, texts


def _string_array(values: list[str]) -> object:
    """``values`` as a pandas string array (pyarrow's, when pandas uses it for ``str``),
    else as an object array."""
    array = string_column(values)
    return np.asarray(values, dtype=object) if isinstance(array, list) else array


def _join_words(words: list[str], parts: list[np.ndarray]) -> object:
    """The strings ``words[parts[0][i]] + " " + words[parts[1][i]] + ...``, for every ``i``,
    joined by pyarrow when pandas keeps its strings there."""
    array = string_column(words)
    if isinstance(array, list):
        chosen = np.asarray(words, dtype=object)
        texts = chosen[parts[0]]
        for part in parts[1:]:
            texts = texts + " " + chosen[part]
        return texts
    column = pa.array(array)
    joined = pc.binary_join_element_wise(
        *[column.take(part) for part in parts], pa.scalar(" ", column.type)
    )
    return pd.array(joined, dtype=STR_DTYPE)


def _ngrams(
    tokens: pd.DataFrame, *, n: int, drop_stopwords: bool, drop_numbers: bool
) -> pd.DataFrame:
    """One row per n-gram (keyed on its first token) with the added column ``term``."""
    tokens = _in_reading_order(tokens)
    starts, term, texts = _gram_starts(
        tokens, np.arange(len(tokens)), n=n, drop_stopwords=drop_stopwords,
        drop_numbers=drop_numbers,
    )
    return tokens.iloc[starts].assign(term=np.asarray(texts[term], dtype=object))


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
    require_columns(tokens, _TERM_COLUMNS + ([by] if by is not None else []),
                    helper="term_frequency")
    tokens, keep = _kind_mask(tokens, sentences, kinds, helper="term_frequency", stacklevel=3)
    rows = np.arange(len(tokens)) if keep is None else np.flatnonzero(keep)
    article = pd.factorize(tokens["article_id"])[0]
    # only n-grams need the reading order: single words are counted wherever they stand
    order = rows if ngram == 1 else _reading_order(article, tokens, rows)
    starts, term, texts = _gram_starts(
        tokens, order, n=ngram, drop_stopwords=drop_stopwords, drop_numbers=drop_numbers,
        article=article,
    )
    if by is None:
        group = np.zeros(len(tokens), dtype=np.int64)
        n_groups = 1
    else:
        codes = article if by == "article_id" else pd.factorize(tokens[by])[0]
        group, first_rows = _first_seen(codes, rows)
        n_groups = len(first_rows)
        if isinstance(tokens[by].dtype, pd.CategoricalDtype):
            # a categorical sorts by its categories (as _sort_within_groups sorts it)
            by_category = np.argsort(tokens[by].cat.codes.to_numpy()[first_rows], kind="stable")
            renumber = np.empty(n_groups + 1, dtype=np.int64)
            renumber[by_category] = np.arange(n_groups)
            renumber[-1] = -1
            group, first_rows = renumber[group], first_rows[by_category]
    # count each (group, term) pair, one number per pair
    gram_group = group[order[starts]]
    known = gram_group >= 0
    pair_codes, pairs = pd.factorize(gram_group[known] * len(texts) + term[known])
    count = np.bincount(pair_codes, minlength=len(pairs))
    pair_group, pair_term = np.divmod(pairs, max(len(texts), 1))
    is_word = tokens["is_word"].astype(bool).to_numpy()[rows]
    totals = np.bincount(group[rows][is_word & (group[rows] >= 0)], minlength=n_groups)
    if by is None:
        rel_freq = count / totals[0] * 1000 if totals[0] else np.full(len(count), np.nan)
    else:
        rel_freq = count / totals[pair_group].astype("float64") * 1000
    # group (order of first appearance), count (descending), term (alphabetical: the
    # terms are numbered in that order), as one number when that fits in 63 bits
    most = int(count.max()) if len(count) else 0
    if n_groups * (most + 1) * max(len(texts), 1) < 2**62:
        at = np.argsort((pair_group * (most + 1) + most - count) * len(texts) + pair_term)
    else:
        at = np.lexsort((pair_term, -count, pair_group))
    at = at[count[at] >= min_count]
    pair_group, pair_term, count, rel_freq = pair_group[at], pair_term[at], count[at], rel_freq[at]
    # tied counts share the lower rank: a row's rank is where its run of equal counts starts
    place = np.arange(len(at))
    new_group = np.ones(len(at), dtype=bool)
    new_group[1:] = pair_group[1:] != pair_group[:-1]
    new_count = new_group.copy()
    new_count[1:] |= count[1:] != count[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, place, 0))
    rank = np.maximum.accumulate(np.where(new_count, place, 0)) - group_start + 1
    if top_n is not None:
        head = place - group_start < top_n
        pair_group, pair_term, count = pair_group[head], pair_term[head], count[head]
        rel_freq, rank = rel_freq[head], rank[head]
    out = pd.DataFrame({
        "term": texts[pair_term],
        "count": count.astype("int64"),
        "rel_freq": rel_freq.astype("float64"),
        "rank": rank.astype("int64"),
    })
    if by is not None:
        out.insert(0, by, _group_column(tokens[by], first_rows).iloc[pair_group]
                   .reset_index(drop=True))
    return out


def _group_column(column: pd.Series, first_rows: np.ndarray) -> pd.Series:
    """The groups of ``column`` (one row each), typed as a ``groupby`` names its groups
    (object ids that are all numbers become numbers)."""
    keys = column.iloc[first_rows].reset_index(drop=True)
    if is_str_dtype(column.dtype) or (
            isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf"):
        return keys  # named as they are
    keys = pd.DataFrame({"key": keys, "term": ""})
    named = keys.groupby(["key", "term"], sort=False).size().reset_index()["key"]
    return named if len(named) == len(first_rows) else column.iloc[first_rows]


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
    require_columns(tokens, _TERM_COLUMNS, helper="tfidf")
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
    require_columns(tokens, [*_TOKEN_KEYS, "token", "norm"], helper="kwic")
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
