"""Duplicate articles: the same story published twice, or wire copy republished by others.

This module owns what counts as a duplicate, so that one story does not count twice in an
outlet's (or several outlets') numbers:

``exact``
    the same words in the same order once case, punctuation and whitespace are set aside
    (``"Trade  talks, resumed."`` and ``"trade talks resumed"``). Found with a hash of
    the normalised text.
``near``
    texts whose sets of word shingles (runs of ``shingle_size`` consecutive normalised
    words) have a Jaccard similarity of at least ``threshold``: a wire story republished
    with a sentence added, a byline changed or a paragraph trimmed. Candidate pairs come
    from datasketch's MinHash LSH, tuned to find pairs at the threshold with a
    probability of at least 99%; each candidate pair is then checked with the exact
    Jaccard similarity of the two shingle sets, so the reported ``similarity`` is exact
    and the LSH's false positives are gone.

Only the body text counts (``text``): a republished wire story often gets a new
headline. Texts with fewer than ``shingle_size`` words only match exactly; texts without
a single word never match (the scores table lists them as ``"no text"``).

Duplicates form clusters (C copies B, which copies A): every member points at the
cluster's *original*, by default the earliest published article (reading order breaks
ties and ranks undated articles last), because the first publication is the one a wire
copy was taken from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

from framelens.columns import require_columns
from framelens.errors import OptionError

__all__ = ["drop_duplicates", "find_duplicates"]

_ARTICLES_FIX = ("pass an articles table from framelens.read_articles (or name the text "
                 "column with text_col=...).")

Keep = Literal["earliest", "first"]

_WORD_RE = re.compile(r"[^\W_]+")
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant (golden ratio)
#: candidate pairs at ``threshold`` are found with at least this probability
_LSH_RECALL = 0.99


def content_words(text: object) -> list[str]:
    """Case-folded words: punctuation, whitespace, case and Unicode variants set aside."""
    if not isinstance(text, str):
        return []
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _shingles(words: Sequence[str], size: int, cache: dict[str, int]) -> np.ndarray:
    """Sorted unique 64-bit hashes of the text's word shingles (a polynomial hash of
    each run of ``size`` words, so collisions are as rare as for any 64-bit hash)."""
    for word in set(words).difference(cache):
        cache[word] = _word_hash(word)
    hashes = np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
    n = len(hashes) - size + 1
    out = hashes[:n].copy()
    for j in range(1, size):
        out = out * _SHINGLE_BASE + hashes[j:j + n]
    return np.unique(_mix64(out))


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows): the most rows per band that still find a pair at ``threshold``
    with probability :data:`_LSH_RECALL` (more rows = fewer candidates to verify)."""
    best = (num_perm // 2, 2)
    for rows in range(1, num_perm // 2 + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= _LSH_RECALL:
            best = (bands, rows)
    return best


def _reading_rank(articles: pd.DataFrame, keep: Keep) -> np.ndarray:
    """Each row's position in the order that decides which copy is the original."""
    position = np.arange(len(articles))
    if keep == "first" or "published" not in articles.columns:
        return position
    published = pd.to_datetime(articles["published"], errors="coerce")
    order = pd.DataFrame({"undated": published.isna().to_numpy(),
                          "published": published.to_numpy(), "position": position})
    order = order.sort_values(["undated", "published", "position"], kind="stable")
    rank = np.empty(len(articles), dtype=np.int64)
    rank[order.index.to_numpy()] = position
    return rank


def _check_options(threshold: float, shingle_size: int, num_perm: int, keep: str) -> None:
    if not 0 < threshold <= 1:
        raise OptionError(f"threshold must lie in (0, 1]; got {threshold!r}.",
                          fix="pass a Jaccard similarity such as threshold=0.8.")
    for name, value, minimum in (("shingle_size", shingle_size, 1), ("num_perm", num_perm, 4)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
            raise OptionError(f"{name} must be a whole number of at least {minimum}; "
                              f"got {value!r}.", fix=f"pass {name}={minimum} or more.")
    if keep not in ("earliest", "first"):
        raise OptionError(f"keep must be 'earliest' or 'first'; got {keep!r}.",
                          fix="pass keep='earliest' (earliest published) or keep='first' "
                          "(reading order).")


class _Clusters:
    """Union-find whose root is always the member with the lowest rank."""

    def __init__(self, rank: np.ndarray) -> None:
        self.rank = rank
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while i != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            if self.rank[b] < self.rank[a]:
                a, b = b, a
            self.parent[b] = a


def find_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float = 0.8,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = 1,
    keep: Keep = "earliest",
    text_col: str = "text",
) -> pd.DataFrame:
    """Find articles that repeat an earlier article, exactly or nearly.

    Parameters
    ----------
    articles : DataFrame with ``article_id`` and ``text_col``; ``published`` (for
        ``keep="earliest"``) and ``outlet`` are used when present.
    threshold : the smallest Jaccard similarity of two texts' shingle sets that makes
        them near duplicates.
    shingle_size : words per shingle. Texts with fewer words only match exactly.
    num_perm, seed : size and seed of the MinHash signatures. They decide only which
        pairs are checked, never a pair's similarity; the result is the same for every
        seed except for the rare pair the LSH misses.
    keep : which member of a cluster is the original that the others point at:
        ``"earliest"`` published (ties and undated articles in reading order, undated
        last) or ``"first"`` in reading order.
    text_col : the column holding the text.

    Returns
    -------
    DataFrame, one row per duplicate (the originals have no row), in reading order:
    ``article_id, duplicate_of, kind, similarity``, plus ``outlet, duplicate_of_outlet``
    when the articles have an ``outlet`` column. ``duplicate_of`` is the cluster's
    original; ``kind`` is ``"exact"`` (same normalised text as the original,
    ``similarity`` 1.0) or ``"near"``; ``similarity`` is the exact Jaccard similarity
    of the two shingle sets. In a chain (C near B, B near A) C's similarity to A can
    fall below ``threshold``.

    See Also
    --------
    drop_duplicates : remove the duplicates from an articles or scores table.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["Reuters", "CNBC"],
    ...                      "text": ["Trade talks resumed on Monday.",
    ...                               "TRADE talks resumed   on Monday"]})
    >>> find_duplicates(arts)[["article_id", "duplicate_of", "kind"]].values.tolist()
    [['b', 'a', 'exact']]
    """
    _check_options(threshold, shingle_size, num_perm, keep)
    require_columns(articles, ["article_id", text_col], helper="find_duplicates",
                    fix=_ARTICLES_FIX)
    rank = _reading_rank(articles, keep)
    words = [content_words(t) for t in articles[text_col]]
    keys = [hashlib.sha1(" ".join(w).encode()).digest() if w else None for w in words]

    clusters = _Clusters(rank)
    exact_of: dict[bytes, int] = {}
    shingled: dict[int, np.ndarray] = {}
    word_cache: dict[str, int] = {}
    in_rank_order = [int(i) for i in np.argsort(rank, kind="stable")]
    for i in in_rank_order:
        if keys[i] is None:
            continue
        if keys[i] in exact_of:
            clusters.union(exact_of[keys[i]], i)
        else:
            exact_of[keys[i]] = i
            if len(words[i]) >= shingle_size:
                shingled[i] = _shingles(words[i], shingle_size, word_cache)

    lsh = MinHashLSH(num_perm=num_perm, params=_lsh_params(threshold, num_perm))
    signatures = MinHash.generator(shingled.values(), num_perm=num_perm, seed=seed,
                                   hashfunc=int, scheme="affine64")
    for i, signature in zip(shingled, signatures):  # insertion order = rank order
        for j in lsh.query(signature):
            if _jaccard(shingled[i], shingled[j]) >= threshold:
                clusters.union(j, i)
        lsh.insert(i, signature)

    rows = []
    for i in range(len(articles)):
        if keys[i] is None:
            continue
        root = clusters.find(i)
        if root == i:
            continue
        if keys[i] == keys[root]:
            rows.append((i, root, "exact", 1.0))
        else:
            similarity = _jaccard(shingled[exact_of[keys[i]]], shingled[root])
            rows.append((i, root, "near", similarity))
    return _duplicate_table(articles, rows)


def _duplicate_table(articles: pd.DataFrame, rows: list[tuple[int, int, str, float]]):
    copy, original = ([r[0] for r in rows], [r[1] for r in rows])
    ids = articles["article_id"].astype(str).to_numpy()
    out = pd.DataFrame({"article_id": pd.Series(ids[copy], dtype="str"),
                        "duplicate_of": pd.Series(ids[original], dtype="str"),
                        "kind": pd.Series([r[2] for r in rows], dtype="str"),
                        "similarity": pd.Series([r[3] for r in rows], dtype="float64")})
    if "outlet" in articles.columns:
        outlets = articles["outlet"].astype(str).to_numpy()
        out["outlet"] = pd.Series(outlets[copy], dtype="str")
        out["duplicate_of_outlet"] = pd.Series(outlets[original], dtype="str")
    return out


def drop_duplicates(table: pd.DataFrame, duplicates: pd.DataFrame) -> pd.DataFrame:
    """Remove the rows of the articles listed as duplicates, keeping the originals.

    Parameters
    ----------
    table : any table with an ``article_id`` column (articles, scores, terms...).
    duplicates : the output of :func:`find_duplicates` (needs ``article_id``).

    Returns
    -------
    ``table`` without the rows whose ``article_id`` is in ``duplicates["article_id"]``,
    in its order, with a fresh index.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "text": ["Same text.", "same text"]})
    >>> drop_duplicates(arts, find_duplicates(arts))["article_id"].tolist()
    ['a']
    """
    require_columns(table, ["article_id"], helper="drop_duplicates", fix=_ARTICLES_FIX)
    require_columns(duplicates, ["article_id"], helper="drop_duplicates", fix=_ARTICLES_FIX)
    dropped = table["article_id"].astype(str).isin(set(duplicates["article_id"].astype(str)))
    return table[~dropped.to_numpy()].reset_index(drop=True)
