"""Frame analysis: match codebook terms in sentences and score frames per article.

The pipeline is three tidy tables::

    sentences = fl.split_sentences(articles)
    matches = fl.match_frames(sentences, codebook="ai")          # one row per match
    scores = fl.score_frames(sentences, matches, codebook="ai")  # one row per article x frame
    fl.dominant_frames(scores)                                   # one row per article

Matching rules (see :mod:`framelens.codebook` for the term syntax):

* tokens come from :func:`framelens.segment.word_spans` and are compared lower-cased;
  a term matches a run of consecutive tokens inside one sentence;
* within one frame, overlapping matches count once: the longest wins, then the earliest,
  then the term listed first; a token can count for two different frames;
* a match that lies wholly inside a match of one of the frame's ``exclude`` phrases is
  dropped ("social security" does not count for a security frame).

Only headlines, subheadings and body text are analysed by default
(:data:`framelens.segment.ANALYSED_KINDS`): photo captions, bylines and boilerplate are not.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from framelens.codebook import Codebook, load_codebook, term_tokens
from framelens.errors import InputError, MissingColumnError, OptionError
from framelens.segment import ANALYSED_KINDS, _norm, word_spans

__all__ = ["dominant_frames", "frame_evidence", "match_frames", "score_frames"]

MATCH_COLUMNS = [
    "article_id",
    "sentence_id",
    "paragraph_id",
    "kind",
    "is_lead",
    "frame",
    "term",
    "matched",
    "start",
    "end",
    "token_start",
    "token_end",
]
SCORE_COLUMNS = [
    "article_id",
    "frame",
    "label",
    "hits",
    "rate_per_1k",
    "sentences_with_frame",
    "share_of_sentences",
    "headline_hits",
    "lead_hits",
    "weighted_hits",
    "weighted_rate_per_1k",
    "n_words",
    "n_sentences",
]
DOMINANT_COLUMNS = ["article_id", "dominant", "top_frame", "top_score"]
EVIDENCE_COLUMNS = ["article_id", "frame", "sentence_id", "text", "n_matches", "n_terms", "terms"]

CodebookLike = Codebook | str | PathLike


def _require(df: pd.DataFrame, columns: Iterable[str], *, helper: str, table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingColumnError(
            f"{helper} needs column(s) {missing} in {table}; the table has {list(df.columns)}.",
            fix="pass the output of split_sentences (sentences) and match_frames (matches), "
            "or rename your columns.",
        )


def _check_number(
    name: str, value: object, *, low: float, high: float | None = None, whole: bool = False,
    example: str,
) -> None:
    """Refuse an option that is not a number in ``[low, high)`` (a whole one if ``whole``)."""
    kinds = (int, np.integer) if whole else (int, float, np.integer, np.floating)
    ok = isinstance(value, kinds) and not isinstance(value, bool) and value >= low
    if ok and high is not None:
        ok = value < high
    if not ok:
        what = "a whole number" if whole else "a number"
        limits = f">= {low}" + (f" and < {high}" if high is not None else "")
        raise OptionError(f"{name} must be {what} {limits}; got {value!r}.",
                          fix=f"pass {name}={example}.")


def _kinds(kinds: str | Iterable[str] | None, sentences: pd.DataFrame) -> pd.Series:
    """Boolean mask of the rows whose kind is analysed (``None`` = every row)."""
    if kinds is None:
        return pd.Series(True, index=sentences.index)
    if isinstance(kinds, str):
        kinds = (kinds,)
    return sentences["kind"].isin(list(kinds))


# --- the compiled codebook ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Term:
    frame: int  # position of the frame in the codebook
    order: int  # position of the term in its frame, to break ties
    term: str
    exclude: bool
    rest: tuple[str | re.Pattern[str], ...]  # the tokens after the first

    @property
    def size(self) -> int:
        return len(self.rest) + 1


@dataclasses.dataclass(frozen=True)
class _Index:
    exact: dict[str, tuple[_Term, ...]]  # first token -> terms
    wild: dict[str, tuple[tuple[re.Pattern[str], _Term], ...]]  # 2-letter prefix -> terms
    wild_any: tuple[tuple[re.Pattern[str], _Term], ...]  # wildcard within the first 2 letters


def _token_pattern(token: str) -> str | re.Pattern[str]:
    if not set(token) & {"*", "?"}:
        return token
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in token)
    if not token.strip("*?"):  # a whole-word wildcard matches words, not punctuation
        body = r"(?=[^\W_])" + body
    return re.compile(body, re.DOTALL)


@functools.lru_cache(maxsize=16)
def _compile(codebook: Codebook) -> _Index:
    """Index the terms of ``codebook`` by their first token (cached per codebook)."""
    exact: dict[str, list[_Term]] = {}
    wild: dict[str, list[tuple[re.Pattern[str], _Term]]] = {}
    wild_any: list[tuple[re.Pattern[str], _Term]] = []
    for f, frame in enumerate(codebook.frames):
        for exclude, terms in ((False, frame.terms), (True, frame.exclude)):
            for order, term in enumerate(terms):
                tokens = term_tokens(term)
                first, *rest = (_token_pattern(t) for t in tokens)
                entry = _Term(f, order, term, exclude, tuple(rest))
                if isinstance(first, str):
                    exact.setdefault(first, []).append(entry)
                    continue
                literal = re.split(r"[*?]", tokens[0])[0]
                if len(literal) >= 2:
                    wild.setdefault(literal[:2], []).append((first, entry))
                else:
                    wild_any.append((first, entry))
    return _Index(
        exact={k: tuple(v) for k, v in exact.items()},
        wild={k: tuple(v) for k, v in wild.items()},
        wild_any=tuple(wild_any),
    )


def _starting_at(
    index: _Index, norm: str, cache: dict[str, tuple[_Term, ...]]
) -> tuple[_Term, ...]:
    """The terms whose first token matches ``norm``, memoised per distinct token."""
    found = cache.get(norm)
    if found is None:
        hits = list(index.exact.get(norm, ()))
        for pattern, entry in (*index.wild.get(norm[:2], ()), *index.wild_any):
            if pattern.fullmatch(norm):
                hits.append(entry)
        found = cache[norm] = tuple(hits)
    return found


def _match_sentence(
    text: str, index: _Index, cache: dict[str, tuple[_Term, ...]]
) -> list[tuple[_Term, int, int, int, int]]:
    """Matches in one sentence as ``(term, token_start, token_end, start, end)``, resolved."""
    spans = word_spans(text)
    lowered = _norm(text)  # once per sentence, unless lower-casing changed a length
    if len(lowered) == len(text):
        norms = [lowered[start:end] for _, start, end in spans]
    else:
        norms = [_norm(token) for token, _, _ in spans]
    n = len(norms)
    raw: dict[int, list[tuple[_Term, int, int]]] = {}
    for i, norm in enumerate(norms):
        starting = cache.get(norm)
        if starting is None:
            starting = _starting_at(index, norm, cache)
        for entry in starting:
            end = i + entry.size
            if end > n:
                continue
            for j, want in enumerate(entry.rest, i + 1):
                if want.__class__ is str:
                    if norms[j] != want:
                        break
                elif not want.fullmatch(norms[j]):
                    break
            else:
                raw.setdefault(entry.frame, []).append((entry, i, end))
    kept = []
    for found in raw.values():
        excluded = [(s, e) for entry, s, e in found if entry.exclude]
        candidates = [
            (entry, s, e)
            for entry, s, e in found
            if not entry.exclude and not any(xs <= s and e <= xe for xs, xe in excluded)
        ]
        candidates.sort(key=lambda m: (m[1] - m[2], m[1], m[0].order))
        taken: list[tuple[int, int]] = []
        for entry, s, e in candidates:
            if all(e <= ts or s >= te for ts, te in taken):
                taken.append((s, e))
                kept.append((entry, s, e, spans[s][1], spans[e - 1][2]))
    kept.sort(key=lambda m: (m[1], m[0].frame))
    return kept


def match_frames(
    sentences: pd.DataFrame,
    *,
    codebook: CodebookLike,
    kinds: str | Iterable[str] | None = ANALYSED_KINDS,
    text_col: str = "text",
) -> pd.DataFrame:
    """Find every codebook term in every sentence.

    Parameters
    ----------
    sentences : the output of :func:`framelens.split_sentences`: ``article_id,
        paragraph_id, sentence_id, kind, is_lead`` and ``text_col``.
    codebook : a :class:`~framelens.codebook.Codebook`, a shipped name ("generic",
        "policy", "ai") or the path of a YAML codebook.
    kinds : the paragraph kinds to search; ``None`` searches every row. By default
        headlines, subheadings and body text, not captions, bylines or boilerplate.
    text_col : the column holding the sentence text.

    Returns
    -------
    DataFrame, one row per match, in reading order: ``article_id, sentence_id,
    paragraph_id, kind, is_lead, frame, term, matched, start, end, token_start,
    token_end``. ``term`` is the codebook term as written, ``matched`` the text it
    matched (``text[start:end]``); ``start``/``end`` are character offsets and
    ``token_start``/``token_end`` token positions (end exclusive, like slices) in
    the sentence.

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "sentence_id": [0],
    ...     "kind": ["body"], "is_lead": [True],
    ...     "text": ["AI should be an international public good."]})
    >>> match_frames(sents, codebook="ai")[["frame", "matched", "start", "end"]].values.tolist()
    [['cooperation', 'public good', 30, 41]]
    """
    columns = ["article_id", "paragraph_id", "sentence_id", "kind", "is_lead", text_col]
    _require(sentences, columns, helper="match_frames", table="sentences")
    cb = load_codebook(codebook)
    index = _compile(cb)
    frame_ids = cb.frame_ids
    rows = sentences.loc[_kinds(kinds, sentences), columns]
    cache: dict[str, tuple[_Term, ...]] = {}
    out: list[tuple] = []
    for aid, pid, sid, kind, lead, text in rows.itertuples(index=False, name=None):
        if not isinstance(text, str) or not text:
            continue
        for entry, tok_start, tok_end, start, end in _match_sentence(text, index, cache):
            out.append((aid, sid, pid, kind, lead, frame_ids[entry.frame], entry.term,
                        text[start:end], start, end, tok_start, tok_end))
    table = pd.DataFrame(out, columns=MATCH_COLUMNS)
    table["article_id"] = table["article_id"].astype(sentences["article_id"].dtype)
    ints = ["sentence_id", "paragraph_id", "start", "end", "token_start", "token_end"]
    return table.astype({**dict.fromkeys(ints, "int64"), "is_lead": "bool"})


def score_frames(
    sentences: pd.DataFrame,
    matches: pd.DataFrame,
    *,
    codebook: CodebookLike,
    kinds: str | Iterable[str] | None = ANALYSED_KINDS,
    headline_weight: float = 2.0,
    lead_weight: float = 1.5,
) -> pd.DataFrame:
    """Score every frame of the codebook in every article.

    For an article with ``W`` words and ``S`` sentences of the analysed kinds::

        hits                 = number of matches of the frame
        rate_per_1k          = hits / W * 1000
        share_of_sentences   = sentences_with_frame / S
        weighted_hits        = headline_hits * headline_weight + lead_hits * lead_weight
                               + (hits - headline_hits - lead_hits)
        weighted_rate_per_1k = weighted_hits / W * 1000

    ``W`` is the sum of ``n_words`` (punctuation is not a word); the lead is the first
    body paragraph (``is_lead``). Rates are NaN for an article with no analysed words.
    The articles are those of ``sentences``; matches of other articles are ignored.

    Parameters
    ----------
    sentences : the output of :func:`framelens.split_sentences`
        (``article_id, sentence_id, kind, n_words``).
    matches : the output of :func:`match_frames` on those sentences
        (``article_id, sentence_id, kind, is_lead, frame``).
    codebook : the codebook the matches come from (object, name or path).
    kinds : the paragraph kinds that count, for the word count and for the hits;
        ``None`` counts every row.
    headline_weight, lead_weight : how much a hit in the headline or the lead counts.

    Returns
    -------
    DataFrame, one row per (article, frame), every frame of the codebook included even
    with 0 hits, articles in the order of ``sentences`` and frames in codebook order:
    ``article_id, frame, label, hits, rate_per_1k, sentences_with_frame,
    share_of_sentences, headline_hits, lead_hits, weighted_hits, weighted_rate_per_1k,
    n_words, n_sentences`` (``n_words`` = ``W``, ``n_sentences`` = ``S``).

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a", "a"], "paragraph_id": [0, 1],
    ...     "sentence_id": [0, 1], "kind": ["headline", "body"], "is_lead": [False, True],
    ...     "text": ["Economy grows", "Growth in trade and the economy."],
    ...     "n_words": [2, 6]})
    >>> matches = match_frames(sents, codebook="ai")
    >>> scores = score_frames(sents, matches, codebook="ai")
    >>> scores.loc[scores["frame"] == "economy", ["hits", "rate_per_1k", "weighted_hits"]]
       hits  rate_per_1k  weighted_hits
    2     4        500.0            6.5
    """
    _check_number("headline_weight", headline_weight, low=0, example="2.0")
    _check_number("lead_weight", lead_weight, low=0, example="1.5")
    _require(sentences, ["article_id", "sentence_id", "kind", "n_words"],
             helper="score_frames", table="sentences")
    _require(matches, ["article_id", "sentence_id", "kind", "is_lead", "frame"],
             helper="score_frames", table="matches")
    cb = load_codebook(codebook)
    unknown = sorted(set(matches["frame"]) - set(cb.frame_ids))
    if unknown:
        raise InputError(
            f"the matches have frame(s) {unknown} that codebook {cb.name!r} does not define.",
            fix="pass score_frames the codebook you gave match_frames.",
        )
    articles = pd.unique(sentences["article_id"])
    analysed = sentences[_kinds(kinds, sentences)]
    by_article = analysed.groupby("article_id", sort=False)
    words = by_article["n_words"].sum().reindex(articles, fill_value=0)
    n_sentences = by_article.size().reindex(articles, fill_value=0)

    hits = matches[_kinds(kinds, matches)].assign(
        headline=lambda m: m["kind"].eq("headline"),
        lead=lambda m: m["is_lead"].astype(bool) & m["kind"].ne("headline"),
    )
    counts = hits.groupby(["article_id", "frame"], sort=False).agg(
        hits=("frame", "size"),
        sentences_with_frame=("sentence_id", "nunique"),
        headline_hits=("headline", "sum"),
        lead_hits=("lead", "sum"),
    )
    full = pd.MultiIndex.from_product([articles, cb.frame_ids], names=["article_id", "frame"])
    table = counts.reindex(full, fill_value=0).astype("int64").reset_index()
    table["article_id"] = table["article_id"].astype(sentences["article_id"].dtype)

    labels = {frame.id: frame.label for frame in cb.frames}
    w = table["article_id"].map(words).to_numpy(dtype="float64")
    s = table["article_id"].map(n_sentences).to_numpy(dtype="float64")
    w_safe = np.where(w > 0, w, np.nan)
    other = table["hits"] - table["headline_hits"] - table["lead_hits"]
    weighted = (table["headline_hits"] * headline_weight + table["lead_hits"] * lead_weight
                + other).astype("float64")
    table = table.assign(
        label=table["frame"].map(labels),
        rate_per_1k=table["hits"] / w_safe * 1000,
        share_of_sentences=table["sentences_with_frame"] / np.where(s > 0, s, np.nan),
        weighted_hits=weighted,
        weighted_rate_per_1k=weighted / w_safe * 1000,
        n_words=w.astype("int64"),
        n_sentences=s.astype("int64"),
    )
    return table[SCORE_COLUMNS]


def dominant_frames(
    frame_scores: pd.DataFrame,
    *,
    by: str = "weighted_rate_per_1k",
    tolerance: float = 0.10,
    min_hits: int = 2,
) -> pd.DataFrame:
    """Name the dominant frame(s) of each article.

    A frame is dominant when it has at least ``min_hits`` hits (and at least one) and
    its score is within ``tolerance`` of the article's top score, relatively:
    ``score >= top_score * (1 - tolerance)``. Several frames can be dominant (a tie).

    Parameters
    ----------
    frame_scores : the output of :func:`score_frames` (``article_id, frame, hits`` and
        the ``by`` column).
    by : the score column to compare, e.g. ``"rate_per_1k"`` or ``"hits"``.
    tolerance : relative distance from the top score that still counts as a tie.
    min_hits : fewest hits a dominant frame needs.

    Returns
    -------
    DataFrame, one row per article: ``article_id, dominant, top_frame, top_score``.
    ``dominant`` joins the dominant frame ids with ``"; "``, highest score first, and
    is ``""`` when no frame reaches ``min_hits``; ``top_frame`` is the highest-scoring
    frame whatever its hits (the first in table order on a tie), ``""`` when no frame
    has a hit.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": ["a"] * 3, "frame": ["x", "y", "z"],
    ...                        "hits": [5, 5, 1], "rate_per_1k": [10.0, 9.5, 2.0]})
    >>> dominant_frames(scores, by="rate_per_1k").values.tolist()
    [['a', 'x; y', 'x', 10.0]]
    """
    _check_number("tolerance", tolerance, low=0, high=1, example="0.10")
    _check_number("min_hits", min_hits, low=0, whole=True, example="2")
    _require(frame_scores, ["article_id", "frame", "hits", by],
             helper="dominant_frames", table="frame_scores")
    if not pd.api.types.is_numeric_dtype(frame_scores[by]):
        raise OptionError(f"by={by!r} names a column that does not hold numbers.",
                          fix="pass by='weighted_rate_per_1k', 'rate_per_1k' or 'hits'.")
    table = frame_scores[["article_id", "frame", "hits"]].reset_index(drop=True)
    table["_score"] = frame_scores[by].to_numpy(dtype="float64")
    table["_top"] = table.groupby("article_id", sort=False)["_score"].transform("max")
    ranked = table.sort_values("_score", ascending=False, kind="stable", na_position="last")
    top = ranked.drop_duplicates("article_id").set_index("article_id")
    has_hits = table.groupby("article_id", sort=False)["hits"].max() > 0

    slack = table["_top"] * tolerance + 1e-9 * table["_top"].abs()
    eligible = (table["hits"] >= max(min_hits, 1)) & (table["_score"] >= table["_top"] - slack)
    chosen = ranked[eligible.loc[ranked.index]]
    dominant = chosen.groupby("article_id", sort=False)["frame"].agg("; ".join)

    articles = pd.unique(table["article_id"])
    dominant_of = dominant.to_dict()
    lit = has_hits.reindex(articles).to_numpy(dtype=bool)
    out = pd.DataFrame({
        "article_id": pd.Series(articles, dtype=frame_scores["article_id"].dtype),
        "dominant": [dominant_of.get(a, "") for a in articles],
        "top_frame": np.where(lit, top["frame"].reindex(articles).to_numpy(dtype=object), ""),
        "top_score": top["_score"].reindex(articles).to_numpy(dtype="float64"),
    })
    return out[DOMINANT_COLUMNS]


def frame_evidence(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    frame: str | Sequence[str] | None = None,
    top_n: int = 3,
) -> pd.DataFrame:
    """The sentences that best evidence each frame: those with the most distinct matches.

    Sentences are ranked within each frame by the number of distinct terms matched
    (``n_terms``, case-insensitive), then by the number of matches, then in reading order.

    Parameters
    ----------
    matches : the output of :func:`match_frames` (``article_id, sentence_id, frame,
        matched``). Filter it to one article first for a per-article report.
    sentences : the sentences the matches come from (``article_id, sentence_id, text``).
    frame : one frame id, or several (the output follows their order); ``None`` gives
        every frame that has a match, in order of first match.
    top_n : how many sentences to keep per frame.

    Returns
    -------
    DataFrame, up to ``top_n`` rows per frame: ``article_id, frame, sentence_id, text,
    n_matches, n_terms, terms``; ``terms`` joins the distinct matched words, lower-cased,
    with ``"; "`` in reading order.

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a", "a"], "paragraph_id": [1, 1],
    ...     "sentence_id": [0, 1], "kind": ["body", "body"], "is_lead": [True, True],
    ...     "text": ["Trade grew.", "Cooperation and a win-win partnership."]})
    >>> evidence = frame_evidence(match_frames(sents, codebook="ai"), sents,
    ...                           frame="cooperation")
    >>> evidence[["sentence_id", "n_terms", "terms"]].values.tolist()
    [[1, 3, 'cooperation; win-win; partnership']]
    """
    _check_number("top_n", top_n, low=1, whole=True, example="3")
    _require(matches, ["article_id", "sentence_id", "frame", "matched"],
             helper="frame_evidence", table="matches")
    _require(sentences, ["article_id", "sentence_id", "text"],
             helper="frame_evidence", table="sentences")
    if frame is None:
        frames = list(pd.unique(matches["frame"]))
    else:
        frames = [frame] if isinstance(frame, str) else list(frame)
    keys = ["frame", "article_id", "sentence_id"]
    found = matches.loc[matches["frame"].isin(frames), [*keys, "matched"]].reset_index(drop=True)
    found["matched"] = found["matched"].map(_norm)
    found["_first"] = np.arange(len(found))
    per_sentence = found.groupby(keys, sort=False).agg(
        n_matches=("matched", "size"),
        n_terms=("matched", "nunique"),
        terms=("matched", lambda m: "; ".join(dict.fromkeys(m))),
        _first=("_first", "min"),
    ).reset_index()
    per_sentence["_frame"] = per_sentence["frame"].map({f: i for i, f in enumerate(frames)})
    ranked = per_sentence.sort_values(
        ["_frame", "n_terms", "n_matches", "_first"], ascending=[True, False, False, True]
    )
    best = ranked.groupby("frame", sort=False).head(top_n)
    texts = sentences[["article_id", "sentence_id", "text"]].drop_duplicates(
        ["article_id", "sentence_id"]
    )
    best = best.merge(texts, on=["article_id", "sentence_id"], how="left")
    return best[EVIDENCE_COLUMNS].reset_index(drop=True)
