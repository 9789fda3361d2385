"""Compare groups of articles (outlets, bias ratings, topics): rates, intervals, tests, effects.

This module owns the statistics behind "how do these outlets cover the story differently?"
for two *or more* groups, in a form that survives peer review: every difference is a
difference in shares or rates (never raw counts), shown with its uncertainty, tested with
a correction for the many comparisons made, and sized with an effect size beside its
p-value. Every function is pure and returns a tidy DataFrame a researcher can ``to_csv``.

Inputs are the per-article ``scores`` table (:meth:`framelens.Analysis.scores`: one row per
article with ``article_id``, metadata such as ``outlet``, ``n_words``, sentiment columns,
and a ``frame_<id>`` rate / ``hits_<id>`` count pair per codebook frame), a ``terms``
table (``article_id, term, count``) and a ``voices`` table (``article_id, speaker,
n_quotes``). Frames are the ``frame_<id>``/``hits_<id>`` column pairs unless ``frames=``
names them. Tone toward actors (people, parties, companies) comes from an ``actor_tone``
table, one row per (article, actor): ``article_id, actor, mentions, share_negative,
share_neutral, share_positive, net_tone`` (``framelens.actors``). Its unit is the article
(each article that mentions an actor counts once), and a group enters an actor's
statistics only if ``min_articles`` of its articles mention the actor
(:func:`actor_group_sizes`).

Conventions shared by every helper:

* **Groups.** ``by`` names the grouping column; ``groups`` picks a subset, in that order
  (default: the column's categories if it is categorical, else its values sorted).
  Articles without a value (missing or blank) are left out and counted in a ``logging``
  warning. Groups with fewer than ``min_articles`` articles are named in a warning and
  left out of *all* statistics; fewer than two usable groups is an :class:`InputError`.
  :func:`group_sizes` shows what was kept and why.
* **Bootstrap.** Percentile intervals from ``n_boot`` resamples of the group's articles
  (cases, with replacement), drawn as a matrix at once. Each group draws from its own
  stream, seeded by ``(seed, group name)``, so results repeat exactly for a seed and a
  group's interval does not change when other groups are added or dropped.
* **Multiple comparisons.** ``p_adjusted`` is the Benjamini–Hochberg false discovery rate
  adjustment (:func:`scipy.stats.false_discovery_control`) over the family each function
  documents; tests that could not be run (NaN) are not part of the family.
* **Effect sizes.** Cramér's V (omnibus share tests), Cohen's h and odds ratios (pairs
  of shares), epsilon squared (Kruskal–Wallis), rank-biserial correlation (Mann–Whitney),
  log ratio (keyness).
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import warnings
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import special, stats

from framelens.columns import require_columns
from framelens.errors import EmptyInputError, InputError, MissingColumnError, OptionError
from framelens.quotes import join_variants, speaker_names

__all__ = [
    "actor_group_sizes",
    "actor_tone_by_group",
    "actor_tone_pairwise",
    "actor_tone_tests",
    "actor_within_event",
    "corrected_pairwise",
    "corrected_prevalence",
    "frame_error_rates",
    "frame_pairwise",
    "frame_prevalence",
    "frame_tests",
    "group_sizes",
    "keyness",
    "quoting_by_group",
    "rogan_gladen",
    "sentiment_by_group",
    "sentiment_pairwise",
    "sentiment_tests",
    "summarize_actor_tone",
    "summarize_differences",
    "trends",
    "voices_by_group",
    "within_event",
]

logger = logging.getLogger(__name__)

_SCORES_FIX = ("pass the per-article scores table (Analysis.scores()), or rename your "
               "columns.")
_MAX_CELLS = 2_000_000  # bootstrap weights held in memory at once (replicates x articles)
_MIN_EXPECTED = 5.0


# --- option and column checks ---------------------------------------------------------


def _check_whole(name: str, value: object, *, minimum: int) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise OptionError(f"{name} must be a whole number of at least {minimum}; got {value!r}.",
                          fix=f"pass {name}={max(minimum, 1)} or more.")


def _check_ci(ci: object) -> None:
    ok = isinstance(ci, (int, float, np.floating)) and not isinstance(ci, bool) and 0 < ci < 1
    if not ok:
        raise OptionError(f"ci must be a number between 0 and 1; got {ci!r}.",
                          fix="pass ci=0.95 for a 95% interval.")


def _check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if value not in choices:
        raise OptionError(f"{name} must be one of {list(choices)}; got {value!r}.",
                          fix=f"pass {name}={choices[0]!r}.")


def _check_boot(n_boot: object, ci: object, seed: object) -> None:
    _check_whole("n_boot", n_boot, minimum=1)
    _check_ci(ci)
    _check_whole("seed", seed, minimum=0)


def _require(
    df: pd.DataFrame, columns: Sequence[str], *, helper: str, table: str = "scores",
    fix: str = _SCORES_FIX,
) -> None:
    require_columns(df, columns, helper=helper, name=table, fix=fix)


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# --- groups ---------------------------------------------------------------------------


def _missing(values: pd.Series) -> pd.Series:
    """True where a group value is missing or blank."""
    blank = values.astype("string").str.strip().eq("").fillna(False).astype(bool)
    return values.isna().to_numpy() | blank.to_numpy()


def _natural_order(values: pd.Series) -> list[Hashable]:
    present = pd.unique(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        seen = set(present)
        return [c for c in values.cat.categories if c in seen]

    def key(v: object) -> tuple[bool, object]:
        number = isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
        return (not number, v if number else str(v))

    return sorted(present, key=key)


def _check_table(scores: pd.DataFrame, *, by: str, helper: str) -> None:
    if not isinstance(scores, pd.DataFrame):
        raise InputError(f"{helper} needs a DataFrame of per-article scores; got "
                         f"{type(scores).__name__}.", fix=_SCORES_FIX)
    if not len(scores):
        raise EmptyInputError(f"{helper}: the scores table has no rows, so there is nothing "
                              "to compare.", fix="check the filter that built the table.")
    if by not in scores.columns:
        raise MissingColumnError(
            f"{helper}: by={by!r} is not a column of the scores table; its columns are "
            f"{list(scores.columns)}.", fix="pass by= one of those columns, e.g. by='outlet'.")


def _size_table(
    scores: pd.DataFrame, *, by: str, groups: Sequence[Hashable] | None, min_articles: int,
    helper: str,
) -> pd.DataFrame:
    _check_whole("min_articles", min_articles, minimum=1)
    _check_table(scores, by=by, helper=helper)
    missing = _missing(scores[by])
    present = scores.loc[~missing, by]
    order = _natural_order(present)
    counts = present.value_counts(sort=False)
    if "n_words" in scores.columns:
        words = pd.to_numeric(scores.loc[~missing, "n_words"], errors="coerce").groupby(
            present, observed=True, sort=False).sum()
    else:
        words = pd.Series(dtype="float64")
    if groups is not None:
        groups = [groups] if isinstance(groups, (str, int)) else list(groups)
        unknown = [g for g in groups if g not in set(order)]
        if unknown:
            raise OptionError(f"{helper}: groups {unknown} are not values of {by!r}; its values "
                              f"are {order}.", fix="pass groups= a list of those values.")
        order = groups + [g for g in order if g not in set(groups)]
    rows = []
    for g in order:
        n = int(counts.get(g, 0))
        if groups is not None and g not in groups:
            reason = "not in groups="
        elif n < min_articles:
            reason = f"fewer than {min_articles} articles (min_articles={min_articles})"
        else:
            reason = ""
        rows.append((g, n, words.get(g, np.nan), reason == "", reason))
    if missing.any():
        rows.append((None, int(missing.sum()),
                     pd.to_numeric(scores.loc[missing, "n_words"], errors="coerce").sum()
                     if "n_words" in scores.columns else np.nan,
                     False, f"no {by} value"))
    out = pd.DataFrame(rows, columns=["group", "n_articles", "n_words", "included", "reason"])
    out["n_words"] = out["n_words"].astype("Int64") if "n_words" in scores.columns else pd.NA
    return out.astype({"n_articles": "int64", "n_words": "Int64", "included": "bool"})


def group_sizes(
    scores: pd.DataFrame,
    *,
    by: str,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
) -> pd.DataFrame:
    """How many articles and words each group has, and whether comparisons include it.

    Every comparison helper of :mod:`framelens.compare` applies this rule, and refuses to
    run with fewer than two included groups; call this to see why.

    Parameters
    ----------
    scores : DataFrame with one row per article and the column ``by`` (``n_words`` is
        summed when present).
    by : the grouping column, e.g. ``"outlet"`` or ``"bias_text"``.
    groups : the groups to include, in this order; ``None`` for all.
    min_articles : groups with fewer articles are left out of every statistic.

    Returns
    -------
    DataFrame, one row per group: ``group, n_articles, n_words, included, reason``.
    Rows are in comparison order (the ``groups`` given first); ``reason`` says why a group
    is left out. Articles without a ``by`` value are counted in a last row whose ``group``
    is missing.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 6 + ["B"] * 2, "n_words": 100})
    >>> group_sizes(scores, by="outlet")[["group", "n_articles", "included"]].values.tolist()
    [['A', 6, True], ['B', 2, False]]
    """
    return _size_table(scores, by=by, groups=groups, min_articles=min_articles,
                       helper="group_sizes")


def _name_sizes(sizes: pd.DataFrame, *, limit: int) -> str:
    """``'A' (12), 'B' (3)``, largest first, at most ``limit`` named."""
    ranked = sizes.sort_values("n_articles", ascending=False, kind="stable")
    named = ", ".join(f"{g!r} ({n})" for g, n in
                      zip(ranked["group"][:limit], ranked["n_articles"][:limit]))
    if len(ranked) > limit:
        named += (f" and {len(ranked) - limit} more of at most "
                  f"{ranked['n_articles'].iloc[limit]} (see group_sizes)")
    return named


def _select(
    scores: pd.DataFrame, *, by: str, groups: Sequence[Hashable] | None, min_articles: int,
    helper: str,
) -> tuple[pd.DataFrame, list[Hashable]]:
    """The rows of the included groups and the groups in comparison order."""
    sizes = _size_table(scores, by=by, groups=groups, min_articles=min_articles, helper=helper)
    blank = sizes["group"].isna() & ~sizes["included"]
    if blank.any():
        logger.warning("%s: %d article(s) without a %r value left out.", helper,
                       int(sizes.loc[blank, "n_articles"].sum()), by)
    small = sizes[sizes["reason"].str.startswith("fewer than")]
    if len(small):
        named = _name_sizes(small, limit=20)
        logger.warning("%s: left out group(s) with fewer than %d articles (min_articles): %s.",
                       helper, min_articles, named)
    included = sizes.loc[sizes["included"], "group"].tolist()
    if len(included) < 2:
        real = sizes[sizes["group"].notna() & (sizes["reason"] != "not in groups=")]
        named = _name_sizes(real, limit=10)
        sizes_desc = sorted(real["n_articles"], reverse=True)
        others = [c for c in scores.columns if c != by
                  and (pd.api.types.is_string_dtype(scores[c])
                       or isinstance(scores[c].dtype, pd.CategoricalDtype))
                  and 2 <= scores[c].nunique() <= 50]
        fix = []
        if groups is not None:
            fix.append("name more groups in groups=")
        if len(sizes_desc) >= 2 and sizes_desc[1] >= 1:
            fix.append(f"pass a lower min_articles= (min_articles={sizes_desc[1]} keeps "
                       "two groups)")
        fix.append("compare by another column" + (f" such as {others}" if others else ""))
        raise InputError(
            f"{helper}: comparing by {by!r} needs at least two groups with at least "
            f"{min_articles} articles each; found {len(included)}. Group sizes: {named}.",
            fix=", or ".join(fix) + ".")
    return scores[~_missing(scores[by]) & scores[by].isin(included).to_numpy()], included


def _positions(data: pd.DataFrame, by: str, order: Sequence[Hashable]) -> dict:
    """Row positions of each group in ``data``."""
    idx = data.groupby(by, observed=True, sort=False).indices
    return {g: idx.get(g, np.array([], dtype=np.intp)) for g in order}


def _frame_ids(scores: pd.DataFrame, frames: str | Sequence[str] | None, *, helper: str
               ) -> list[str]:
    columns = set(scores.columns)
    if frames is None:
        ids = [c[len("frame_"):] for c in scores.columns if isinstance(c, str)
               and c.startswith("frame_") and f"hits_{c[len('frame_'):]}" in columns]
        if not ids:
            raise MissingColumnError(
                f"{helper}: the scores table has no frame_<id>/hits_<id> column pairs; it has "
                f"{list(scores.columns)}.",
                fix="pass the scores of an analysis run with a codebook (Analysis.scores()), "
                    "or name the frames with frames=.")
        return ids
    ids = _as_list(frames)
    _require(scores, [c for f in ids for c in (f"frame_{f}", f"hits_{f}")], helper=helper,
             fix="pass frames= ids whose frame_<id> and hits_<id> columns exist.")
    return ids


# --- bootstrap, intervals, corrections ------------------------------------------------


def _rng(seed: int, group: Hashable) -> np.random.Generator:
    return np.random.default_rng([int(seed), zlib.crc32(str(group).encode("utf-8"))])


def _boot_weights(n: int, *, n_boot: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Resample counts, ``(replicates, n)``: how often each case is drawn in a replicate."""
    chunk = max(1, _MAX_CELLS // max(n, 1))
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        draws = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        yield np.bincount(draws.ravel(), minlength=b * n).reshape(b, n).astype("float64")
        done += b


def _bootstrap(n: int, *, n_boot: int, rng: np.random.Generator,
               statistic: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Replicates of ``statistic(weights)`` for every resample of ``n`` cases."""
    return np.concatenate([statistic(w) for w in _boot_weights(n, n_boot=n_boot, rng=rng)])


def _percentile(replicates: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1 - ci) / 2 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column of NaN stays NaN
        lo, hi = np.nanpercentile(replicates, [tail, 100 - tail], axis=0)
    return lo, hi


def _mean_intervals(values: np.ndarray, *, n_boot: int, ci: float, rng: np.random.Generator
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap intervals of the column means of ``values`` (articles x columns; NaN = none).

    Articles are resampled once for all columns; a column's mean in a resample is over
    its non-missing values, so a missing value never counts as 0.
    """
    n, k = values.shape
    if n == 0:
        return np.full(k, np.nan), np.full(k, np.nan)
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)

    def statistic(w: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return (w @ filled) / (w @ present)

    return _percentile(_bootstrap(n, n_boot=n_boot, rng=rng, statistic=statistic), ci)


def _wilson(x: np.ndarray, n: int, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``x`` successes in ``n`` trials."""
    z = stats.norm.ppf(1 - (1 - ci) / 2)
    x = np.asarray(x, dtype="float64")
    centre = (x + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * np.sqrt(x * (n - x) / n + z * z / 4)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _fdr_bh(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values; NaN (tests not run) stay NaN, outside the family.

    For sorted p-values ``p_(1) <= ... <= p_(m)``, ``p_adj_(i) = min_{j >= i} m p_(j) / j``,
    capped at 1 (R's ``p.adjust(method="BH")``).
    """
    p = np.asarray(p_values, dtype="float64")
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def _pairs(order: Sequence[Hashable]) -> list[tuple[Hashable, Hashable]]:
    return list(itertools.combinations(order, 2))


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


# --- frames ---------------------------------------------------------------------------


PREVALENCE_COLUMNS = ["group", "frame", "n_articles", "articles_with_frame", "share",
                      "share_lo", "share_hi", "hits", "n_words", "rate_per_1k", "rate_lo",
                      "rate_hi", "mean_rate"]


def frame_prevalence(
    scores: pd.DataFrame,
    *,
    by: str,
    frames: str | Sequence[str] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
    share_interval: Literal["wilson", "bootstrap"] = "wilson",
) -> pd.DataFrame:
    """How many of each group's articles use each frame, and how densely, with intervals.

    ``share`` is the share of the group's articles that use the frame: ``used_<id>``
    (the codebook's threshold, :func:`framelens.score_frames`), or at least one hit in
    scores without that column.
    ``rate_per_1k`` is the pooled rate, ``1000 * total hits / total words`` of the group
    (long articles weigh more); ``mean_rate`` is the mean of the articles' own rates
    (every article weighs the same). ``rate_lo, rate_hi`` is a bootstrap percentile
    interval: articles are resampled with their words and hits. ``share_lo, share_hi`` is
    the Wilson score interval by default, which keeps its coverage for small groups and
    for shares near 0 or 1 where a bootstrap interval collapses to a point;
    ``share_interval="bootstrap"`` uses the same resamples as the rate instead.

    Parameters
    ----------
    scores : DataFrame with ``by``, ``n_words`` and ``frame_<id>``, ``hits_<id>`` per frame.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    frames : frame ids; default every ``frame_<id>``/``hits_<id>`` pair of ``scores``.
    n_boot, ci, seed : bootstrap resamples, interval level and random seed.
    share_interval : ``"wilson"`` or ``"bootstrap"``.

    Returns
    -------
    DataFrame, one row per (group, frame): ``group, frame, n_articles,
    articles_with_frame, share, share_lo, share_hi, hits, n_words, rate_per_1k, rate_lo,
    rate_hi, mean_rate``. ``attrs["ci"]`` holds the interval level.

    See Also
    --------
    frame_tests, frame_pairwise : whether the shares differ.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 5, "n_words": 500,
    ...                        "hits_economy": [2, 0, 1, 0, 0, 0, 0, 0, 1, 0]})
    >>> scores["frame_economy"] = scores["hits_economy"] / scores["n_words"] * 1000
    >>> frame_prevalence(scores, by="outlet")[["group", "share", "rate_per_1k"]].values.tolist()
    [['A', 0.4, 1.2], ['B', 0.2, 0.4]]
    """
    helper = "frame_prevalence"
    _check_boot(n_boot, ci, seed)
    _check_choice("share_interval", share_interval, ["wilson", "bootstrap"])
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    ids = _frame_ids(scores, frames, helper=helper)
    _require(data, ["n_words"], helper=helper)
    words_all = pd.to_numeric(data["n_words"], errors="coerce").fillna(0).to_numpy("float64")
    hits_all = data[[f"hits_{f}" for f in ids]].apply(pd.to_numeric, errors="coerce") \
        .fillna(0).to_numpy("float64")
    used_all = _used(data, ids).astype("float64")
    rates_all = data[[f"frame_{f}" for f in ids]].apply(pd.to_numeric, errors="coerce") \
        .to_numpy("float64")
    blocks = []
    for g, pos in _positions(data, by, order).items():
        n = len(pos)
        words, hits, used = words_all[pos], hits_all[pos], used_all[pos]

        def statistic(w: np.ndarray, words=words, hits=hits, used=used, n=n) -> np.ndarray:
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = 1000 * (w @ hits) / (w @ words)[:, None]
            return np.concatenate([rate, w @ used / n], axis=1)

        reps = _bootstrap(n, n_boot=n_boot, rng=_rng(seed, g), statistic=statistic)
        lo, hi = _percentile(reps, ci)
        k = len(ids)
        with_frame = used.sum(axis=0)
        if share_interval == "wilson":
            share_lo, share_hi = _wilson(with_frame, n, ci)
        else:
            share_lo, share_hi = lo[k:], hi[k:]
        total_words = words.sum()
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a frame without rates: NaN
            rate = 1000 * hits.sum(axis=0) / total_words
            mean_rate = np.nanmean(rates_all[pos], axis=0)
        blocks.append(pd.DataFrame({
            "group": [g] * k, "frame": ids, "n_articles": n,
            "articles_with_frame": with_frame.astype("int64"), "share": with_frame / n,
            "share_lo": share_lo, "share_hi": share_hi, "hits": hits.sum(axis=0).astype("int64"),
            "n_words": int(total_words), "rate_per_1k": rate, "rate_lo": lo[:k],
            "rate_hi": hi[:k], "mean_rate": mean_rate,
        }))
    out = pd.concat(blocks, ignore_index=True)[PREVALENCE_COLUMNS]
    out.attrs["ci"] = ci
    return out


def _used(data: pd.DataFrame, ids: Sequence[str]) -> np.ndarray:
    """Whether each article uses each frame ``(articles, frames)``: its ``used_<id>``
    column (the codebook's threshold), or at least one hit in scores made before
    thresholds existed (no ``used_<id>`` column)."""
    columns = []
    for f in ids:
        if f"used_{f}" in data.columns:
            columns.append(data[f"used_{f}"].astype("boolean").fillna(False)
                           .to_numpy(dtype=bool))
        else:
            columns.append(pd.to_numeric(data[f"hits_{f}"], errors="coerce").fillna(0)
                           .to_numpy() > 0)
    return np.column_stack(columns) if columns else np.zeros((len(data), 0), dtype=bool)


def _frame_use(data: pd.DataFrame, by: str, order: Sequence[Hashable], ids: Sequence[str]
               ) -> tuple[np.ndarray, np.ndarray]:
    """Articles per group ``(k,)`` and articles using each frame ``(k, frames)``."""
    used = _used(data, ids)
    pos = _positions(data, by, order)
    n = np.array([len(pos[g]) for g in order], dtype="float64")
    with_frame = np.array([used[pos[g]].sum(axis=0) for g in order], dtype="float64")
    return n, with_frame


TEST_COLUMNS = ["frame", "test", "statistic", "dof", "p_value", "p_adjusted", "cramers_v", "n",
                "n_groups", "min_expected", "warning"]


def frame_tests(
    scores: pd.DataFrame,
    *,
    by: str,
    frames: str | Sequence[str] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    test: Literal["chi2", "g"] = "chi2",
) -> pd.DataFrame:
    """Test, frame by frame, whether the share of articles using it differs across groups.

    For each frame the table is ``k`` groups x (articles with the frame, without it). The
    omnibus test is Pearson's chi-square (``test="chi2"``) or the likelihood-ratio G-test
    (``test="g"``), with ``k - 1`` degrees of freedom and no continuity correction.
    ``p_adjusted`` is Benjamini–Hochberg over the frames tested (the family is this
    table). ``cramers_v = sqrt(X2 / n)`` (a k x 2 table has ``min(k, 2) - 1 = 1``) uses
    Pearson's X2 for either test. A frame that no article (or every article) uses cannot
    be tested: its statistic and p-values are NaN and ``warning`` says why. When an
    expected count is below 5 the chi-square approximation is rough; ``warning`` says so.

    Parameters
    ----------
    scores : DataFrame with ``by`` and ``hits_<id>`` (and ``frame_<id>``) per frame.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    frames : frame ids; default every frame of ``scores``.
    test : ``"chi2"`` or ``"g"``.

    Returns
    -------
    DataFrame, one row per frame: ``frame, test, statistic, dof, p_value, p_adjusted,
    cramers_v, n, n_groups, min_expected, warning`` (``warning`` is ``""`` when fine).

    See Also
    --------
    frame_pairwise : which pairs of groups differ.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 10 + ["B"] * 10,
    ...                        "hits_economy": [1] * 8 + [0] * 2 + [1] * 2 + [0] * 8})
    >>> scores["frame_economy"] = scores["hits_economy"]
    >>> frame_tests(scores, by="outlet")[["statistic", "cramers_v"]].round(3).values.tolist()
    [[7.2, 0.6]]
    """
    helper = "frame_tests"
    _check_choice("test", test, ["chi2", "g"])
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    ids = _frame_ids(scores, frames, helper=helper)
    n, with_frame = _frame_use(data, by, order, ids)
    rows = []
    for j, frame in enumerate(ids):
        observed = np.column_stack([with_frame[:, j], n - with_frame[:, j]])
        total = observed.sum()
        used = observed[:, 0].sum()
        dof = len(order) - 1
        if used in (0, total):
            who = "no article" if used == 0 else "every article"
            rows.append((frame, test, np.nan, dof, np.nan, np.nan, np.nan, int(total),
                         len(order), np.nan, f"{who} uses the frame; nothing to test"))
            continue
        counts = observed.astype("int64")
        result = stats.chi2_contingency(counts, correction=False,
                                        lambda_="log-likelihood" if test == "g" else None)
        statistic, p, expected = float(result.statistic), result.pvalue, result.expected_freq
        # Cramér's V from Pearson's X2 whichever test was run
        cramers_v = stats.contingency.association(counts, method="cramer")
        low = int((expected < _MIN_EXPECTED).sum())
        warning = (f"{low} of {expected.size} expected counts below 5 (smallest "
                   f"{expected.min():.1f}): the p-value is approximate; pool small groups or "
                   "see frame_pairwise, which uses Fisher's exact test there") if low else ""
        rows.append((frame, test, statistic, dof, float(p), np.nan,
                     cramers_v, int(total), len(order),
                     float(expected.min()), warning))
    out = pd.DataFrame(rows, columns=TEST_COLUMNS)
    out["p_adjusted"] = _fdr_bh(out["p_value"])
    return out.astype({"dof": "int64", "n": "int64", "n_groups": "int64",
                       "statistic": "float64", "p_value": "float64"})


PAIRWISE_FRAME_COLUMNS = ["frame", "group_a", "group_b", "n_a", "n_b", "share_a", "share_b",
                          "diff", "test", "statistic", "p_value", "p_adjusted", "cohens_h",
                          "odds_ratio"]


def _cohens_h(p_a: np.ndarray | float, p_b: np.ndarray | float) -> np.ndarray:
    return 2 * np.arcsin(np.sqrt(p_a)) - 2 * np.arcsin(np.sqrt(p_b))


def frame_pairwise(
    scores: pd.DataFrame,
    *,
    by: str,
    frames: str | Sequence[str] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    test: Literal["auto", "chi2", "fisher"] = "auto",
) -> pd.DataFrame:
    """Compare every pair of groups on the share of articles using each frame.

    Each (frame, pair) is a 2x2 table (group a / b x with / without the frame). With
    ``test="auto"`` it is tested with Pearson's chi-square without Yates' correction
    when every expected count is at least 5, and with Fisher's exact test (two-sided)
    otherwise; ``test`` in the output says which was used. ``statistic`` is the
    chi-square (NaN for Fisher's test, which has none). A pair in which neither group, or
    both entirely, use the frame has nothing to test: ``test`` is ``"none"`` and the
    p-values are NaN.

    ``p_adjusted`` is Benjamini–Hochberg over *all* pairwise tests of *all* frames in the
    table (the family is every row with a p-value), so asking about more frames or more
    groups costs power, as it should. ``diff = share_a - share_b``; ``cohens_h =
    2 asin(sqrt(share_a)) - 2 asin(sqrt(share_b))`` (0.2 small, 0.5 medium, 0.8 large);
    ``odds_ratio`` is the odds of using the frame in a over b, with 0.5 added to every
    cell when one of them is 0 (Haldane–Anscombe).

    Parameters
    ----------
    scores : DataFrame with ``by`` and ``hits_<id>`` (and ``frame_<id>``) per frame.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    frames : frame ids; default every frame of ``scores``.
    test : ``"auto"``, ``"chi2"`` or ``"fisher"``.

    Returns
    -------
    DataFrame, one row per (frame, pair of groups) in comparison order: ``frame, group_a,
    group_b, n_a, n_b, share_a, share_b, diff, test, statistic, p_value, p_adjusted,
    cohens_h, odds_ratio``.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 10 + ["B"] * 10,
    ...                        "hits_economy": [1] * 8 + [0] * 2 + [1] * 2 + [0] * 8})
    >>> scores["frame_economy"] = scores["hits_economy"]
    >>> frame_pairwise(scores, by="outlet")[["diff", "cohens_h", "odds_ratio"]].round(2
    ...     ).values.tolist()
    [[0.6, 1.29, 16.0]]
    """
    helper = "frame_pairwise"
    _check_choice("test", test, ["auto", "chi2", "fisher"])
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    ids = _frame_ids(scores, frames, helper=helper)
    n, with_frame = _frame_use(data, by, order, ids)
    index = {g: i for i, g in enumerate(order)}
    rows = []
    for j, frame in enumerate(ids):
        for ga, gb in _pairs(order):
            ia, ib = index[ga], index[gb]
            a, c = with_frame[ia, j], with_frame[ib, j]
            b, d = n[ia] - a, n[ib] - c
            table = np.array([[a, b], [c, d]])
            share_a, share_b = a / n[ia], c / n[ib]
            cells = table + 0.5 if (table == 0).any() else table
            odds = cells[0, 0] * cells[1, 1] / (cells[0, 1] * cells[1, 0])
            used = a + c
            if used in (0, table.sum()):
                kind, statistic, p = "none", np.nan, np.nan
            else:
                result = stats.chi2_contingency(table, correction=False)
                kind = test
                if test == "auto":
                    kind = "fisher" if result.expected_freq.min() < _MIN_EXPECTED else "chi2"
                if kind == "fisher":
                    statistic, p = np.nan, float(stats.fisher_exact(table).pvalue)
                else:
                    statistic, p = float(result.statistic), float(result.pvalue)
            rows.append((frame, ga, gb, int(n[ia]), int(n[ib]), share_a, share_b,
                         share_a - share_b, kind, statistic, p, np.nan,
                         float(_cohens_h(share_a, share_b)), float(odds)))
    out = pd.DataFrame(rows, columns=PAIRWISE_FRAME_COLUMNS)
    out["p_adjusted"] = _fdr_bh(out["p_value"])
    return out.astype({"statistic": "float64", "p_value": "float64"})


# --- frames corrected for measured classification error -------------------------------

ERROR_RATE_COLUMNS = ["frame", "n_units", "n_present", "n_absent", "true_positive",
                      "false_negative", "true_negative", "false_positive", "sensitivity",
                      "specificity", "youden", "measurable"]
CORRECTED_COLUMNS = ["group", "frame", "n_articles", "articles_with_frame", "raw_share",
                     "raw_lo", "raw_hi", "sensitivity", "specificity", "n_validation",
                     "corrected_share", "corrected_lo", "corrected_hi", "measurable", "note"]
CORRECTED_PAIRWISE_COLUMNS = ["frame", "group_a", "group_b", "n_a", "n_b", "raw_diff",
                              "corrected_a", "corrected_b", "corrected_diff", "diff_lo",
                              "diff_hi", "p_value", "p_adjusted"]
UNMEASURABLE = "not measurable with this codebook"


def rogan_gladen(observed: float | np.ndarray, sensitivity: float | np.ndarray,
                 specificity: float | np.ndarray) -> np.ndarray:
    """The true share implied by an observed share and the measure's error rates.

    Rogan and Gladen (1978): a classifier with sensitivity ``Se`` and specificity ``Sp``
    that labels a share ``p`` of units positive implies a true share
    ``(p + Sp - 1) / (Se + Sp - 1)``, clipped to [0, 1]. When ``Se + Sp <= 1`` the
    measure carries no information about the frame and the share is NaN ("not
    measurable").

    Examples
    --------
    >>> float(rogan_gladen(0.69, 0.73, 0.68))   # (0.69 + 0.68 - 1) / (0.73 + 0.68 - 1)
    0.9024390243902438
    >>> rogan_gladen([0.30, 0.05], 0.8, 0.9).round(3).tolist()  # the second is clipped
    [0.286, 0.0]
    >>> bool(np.isnan(rogan_gladen(0.5, 0.5, 0.4)))
    True
    """
    p = np.asarray(observed, dtype="float64")
    se = np.asarray(sensitivity, dtype="float64")
    sp = np.asarray(specificity, dtype="float64")
    youden = se + sp - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        corrected = np.clip((p + sp - 1) / youden, 0.0, 1.0)
    return np.where(youden > 0, corrected, np.nan)


def _check_validation(validation: pd.DataFrame, ids: Sequence[str], *, helper: str
                      ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Truth and machine codes (0/1 arrays) per frame of ``ids`` found in ``validation``."""
    require_columns(validation, ["frame", "truth", "predicted"], helper=helper,
                    name="validation",
                    fix="pass one row per validated unit and frame with 0/1 columns truth "
                        "(the coders) and predicted (framelens), e.g. FrameModel.validation "
                        "or validation_codes(...).")
    out = {}
    for frame, part in validation.groupby("frame", sort=False):
        truth = pd.to_numeric(part["truth"], errors="coerce")
        predicted = pd.to_numeric(part["predicted"], errors="coerce")
        bad = ~(truth.isin([0, 1]) & predicted.isin([0, 1]))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"{helper}: validation row {part.index[row]!r} of frame {frame!r} has codes "
                f"{part['truth'].iloc[row]!r}/{part['predicted'].iloc[row]!r}; truth and "
                "predicted must be 0 or 1.", fix="drop uncoded units before correcting.")
        if frame in ids:
            out[frame] = (truth.to_numpy("int8"), predicted.to_numpy("int8"))
    return out


def frame_error_rates(validation: pd.DataFrame) -> pd.DataFrame:
    """Sensitivity and specificity of the frame measure, per frame, from coded units.

    ``sensitivity`` is the share of units the coders marked as using the frame that the
    measure marks too (recall); ``specificity`` the share of units without the frame that
    the measure leaves unmarked. ``measurable`` is ``Se + Sp > 1`` (Youden's J > 0): only
    then can :func:`rogan_gladen` correct a share.

    Parameters
    ----------
    validation : one row per coded unit and frame: ``frame, truth, predicted`` (0/1).

    Returns
    -------
    DataFrame, one row per frame: ``frame, n_units, n_present, n_absent, true_positive,
    false_negative, true_negative, false_positive, sensitivity, specificity, youden,
    measurable``.

    Examples
    --------
    >>> v = pd.DataFrame({"frame": "economic", "truth": [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    ...                   "predicted": [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]})
    >>> frame_error_rates(v)[["sensitivity", "specificity"]].round(3).values.tolist()
    [[0.75, 0.833]]
    """
    frames = list(dict.fromkeys(validation["frame"])) if "frame" in validation else []
    rows = []
    for frame, (truth, predicted) in _check_validation(validation, frames,
                                                       helper="frame_error_rates").items():
        tp = int(((truth == 1) & (predicted == 1)).sum())
        fn = int(((truth == 1) & (predicted == 0)).sum())
        tn = int(((truth == 0) & (predicted == 0)).sum())
        fp = int(((truth == 0) & (predicted == 1)).sum())
        se = tp / (tp + fn) if tp + fn else np.nan
        sp = tn / (tn + fp) if tn + fp else np.nan
        youden = se + sp - 1
        rows.append((frame, len(truth), tp + fn, tn + fp, tp, fn, tn, fp, se, sp, youden,
                     bool(youden > 0)))
    return pd.DataFrame(rows, columns=ERROR_RATE_COLUMNS)


def _error_replicates(truth: np.ndarray, predicted: np.ndarray, *, n_boot: int,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Sensitivity and specificity in ``n_boot`` resamples of the validation units.

    Units with and without the frame are resampled separately (stratified by the coders'
    code), so every replicate has both and its rates are defined.
    """
    present = predicted[truth == 1].astype("float64")
    absent = predicted[truth == 0].astype("float64")
    if len(present) == 0 or len(absent) == 0:
        return np.full(n_boot, np.nan), np.full(n_boot, np.nan)
    se = rng.binomial(len(present), present.mean(), size=n_boot) / len(present)
    sp = rng.binomial(len(absent), 1 - absent.mean(), size=n_boot) / len(absent)
    return se, sp


def _corrected_replicates(
    scores: pd.DataFrame, *, by: str, validation: pd.DataFrame,
    frames: str | Sequence[str] | None, groups: Sequence[Hashable] | None,
    min_articles: int, n_boot: int, seed: int, helper: str,
) -> tuple[list[Hashable], list[str], dict, np.ndarray, dict, dict]:
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    ids = _frame_ids(scores, frames, helper=helper)
    codes = _check_validation(validation, ids, helper=helper)
    used = _used(data, ids).astype("float64")
    positions = _positions(data, by, order)
    # one validation replicate per bootstrap replicate, shared by all groups: a pair's
    # difference carries the validation's uncertainty once, not twice
    rng_validation = _rng(seed, "validation")
    se_rep = np.full((n_boot, len(ids)), np.nan)
    sp_rep = np.full((n_boot, len(ids)), np.nan)
    rates = {}
    for j, frame in enumerate(ids):
        if frame in codes:
            truth, predicted = codes[frame]
            se_rep[:, j], sp_rep[:, j] = _error_replicates(truth, predicted, n_boot=n_boot,
                                                           rng=rng_validation)
            rates[frame] = (truth, predicted)
    raw_rep = {}
    for g in order:
        pos = positions[g]
        n = len(pos)
        block = used[pos]
        raw_rep[g] = np.concatenate([w @ block / n for w in
                                     _boot_weights(n, n_boot=n_boot, rng=_rng(seed, g))])
    corrected_rep = {g: rogan_gladen(raw_rep[g], se_rep, sp_rep) for g in order}
    return order, ids, positions, used, rates, {"raw": raw_rep, "corrected": corrected_rep}


def corrected_prevalence(
    scores: pd.DataFrame,
    *,
    by: str,
    validation: pd.DataFrame,
    frames: str | Sequence[str] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Each group's share of articles using each frame, raw and corrected for measured error.

    A frame measure that over-detects (the dictionary's "economic" fires in most
    articles) inflates every group's share, and one that misses a frame shrinks it; the
    difference between two groups shrinks or even flips with them. Given the measure's
    sensitivity and specificity from coded units (a validation sample, or the
    cross-validation of :func:`framelens.learn_frames`), the corrected share is the
    Rogan–Gladen estimate (:func:`rogan_gladen`). Its interval is a percentile bootstrap
    over *both* samples: in each replicate the group's articles are resampled and the
    validation units are resampled (stratified by the coders' code), so the interval
    carries the uncertainty of the corpus and of the validation (TeBlunthuis, Hase and
    Chan 2024). A frame whose measure has ``Se + Sp <= 1``, or that the validation does
    not cover, keeps its raw share; its corrected columns are NaN and ``note`` says why.

    Parameters
    ----------
    scores : DataFrame with ``by`` and ``used_<id>`` (or ``hits_<id>``) per frame.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    validation : one row per coded unit and frame: ``frame, truth, predicted`` (0/1),
        the coders' code and the measure's code of the same unit.
    frames : frame ids; default every frame of ``scores``.
    n_boot, ci, seed : the bootstrap.

    Returns
    -------
    DataFrame, one row per (group, frame): ``group, frame, n_articles,
    articles_with_frame, raw_share, raw_lo, raw_hi, sensitivity, specificity,
    n_validation, corrected_share, corrected_lo, corrected_hi, measurable, note``.

    Examples
    --------
    >>> scores = pd.DataFrame({"side": ["L"] * 10 + ["R"] * 10,
    ...                        "hits_eco": [1] * 8 + [0] * 2 + [1] * 6 + [0] * 4})
    >>> scores["frame_eco"] = scores["hits_eco"]
    >>> v = pd.DataFrame({"frame": "eco", "truth": [1] * 10 + [0] * 10,
    ...                   "predicted": [1] * 9 + [0] + [1] * 4 + [0] * 6})
    >>> t = corrected_prevalence(scores, by="side", validation=v, n_boot=200)
    >>> t[["group", "raw_share", "corrected_share"]].round(3).values.tolist()
    [['L', 0.8, 0.8], ['R', 0.6, 0.4]]
    """
    return _corrected_table(scores, by=by, validation=validation, frames=frames,
                            groups=groups, min_articles=min_articles, n_boot=n_boot, ci=ci,
                            seed=seed, helper="corrected_prevalence")[0]


def _corrected_table(scores: pd.DataFrame, *, by: str, validation: pd.DataFrame,
                     frames: str | Sequence[str] | None, groups: Sequence[Hashable] | None,
                     min_articles: int, n_boot: int, ci: float, seed: int, helper: str
                     ) -> tuple[pd.DataFrame, list[Hashable], list[str], dict]:
    """The corrected-prevalence table, the groups, the frames and the replicates."""
    _check_boot(n_boot, ci, seed)
    order, ids, positions, used, rates, reps = _corrected_replicates(
        scores, by=by, validation=validation, frames=frames, groups=groups,
        min_articles=min_articles, n_boot=n_boot, seed=seed, helper=helper)
    rows = []
    for g in order:
        pos = positions[g]
        n = len(pos)
        with_frame = used[pos].sum(axis=0)
        raw_lo, raw_hi = _percentile(reps["raw"][g], ci)
        cor_lo, cor_hi = _percentile(reps["corrected"][g], ci)
        for j, frame in enumerate(ids):
            raw = with_frame[j] / n
            if frame not in rates:
                se = sp = np.nan
                n_val, note = 0, "no validation of this frame"
            else:
                truth, predicted = rates[frame]
                se = float(predicted[truth == 1].mean()) if (truth == 1).any() else np.nan
                sp = float(1 - predicted[truth == 0].mean()) if (truth == 0).any() else np.nan
                n_val, note = len(truth), ""
                if not se + sp > 1:
                    note = UNMEASURABLE
            corrected = float(rogan_gladen(raw, se, sp)) if not note else np.nan
            lo, hi = (float(cor_lo[j]), float(cor_hi[j])) if not note else (np.nan, np.nan)
            rows.append((g, frame, n, int(with_frame[j]), raw, float(raw_lo[j]),
                         float(raw_hi[j]), se, sp, n_val, corrected, lo, hi,
                         not note, note))
    out = pd.DataFrame(rows, columns=CORRECTED_COLUMNS)
    out.attrs["ci"] = ci
    return out, order, ids, reps


def corrected_pairwise(
    scores: pd.DataFrame,
    *,
    by: str,
    validation: pd.DataFrame,
    frames: str | Sequence[str] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Differences between groups in the corrected share of each frame, with tests.

    ``corrected_diff = corrected_a - corrected_b`` (:func:`corrected_prevalence`). Its
    interval and p-value come from the same bootstrap: replicate ``b`` resamples both
    groups' articles and, once for both groups, the validation units, so the measure's
    uncertainty enters the difference as it should. The p-value is the two-sided
    bootstrap p, ``2 min(P*(diff <= 0), P*(diff >= 0))`` with the usual ``+1`` in
    numerator and denominator; ``p_adjusted`` is Benjamini–Hochberg over every row with
    a p-value. Frames that are not measurable have NaN statistics.

    Returns
    -------
    DataFrame, one row per (frame, pair of groups): ``frame, group_a, group_b, n_a, n_b,
    raw_diff, corrected_a, corrected_b, corrected_diff, diff_lo, diff_hi, p_value,
    p_adjusted``.

    Examples
    --------
    >>> scores = pd.DataFrame({"side": ["L"] * 40 + ["R"] * 40,
    ...                        "hits_eco": [1] * 32 + [0] * 8 + [1] * 16 + [0] * 24})
    >>> scores["frame_eco"] = scores["hits_eco"]
    >>> v = pd.DataFrame({"frame": "eco", "truth": [1] * 20 + [0] * 20,
    ...                   "predicted": [1] * 18 + [0] * 2 + [1] * 4 + [0] * 16})
    >>> t = corrected_pairwise(scores, by="side", validation=v, n_boot=500)
    >>> round(float(t["corrected_diff"].iloc[0]), 3), bool(t["p_value"].iloc[0] < 0.01)
    (0.571, True)
    """
    table, order, ids, reps = _corrected_table(
        scores, by=by, validation=validation, frames=frames, groups=groups,
        min_articles=min_articles, n_boot=n_boot, ci=ci, seed=seed,
        helper="corrected_pairwise")
    lookup = table.set_index(["group", "frame"])
    rows = []
    for j, frame in enumerate(ids):
        for ga, gb in _pairs(order):
            a, b = lookup.loc[(ga, frame)], lookup.loc[(gb, frame)]
            diff = a["corrected_share"] - b["corrected_share"]
            if not a["measurable"]:
                lo = hi = p = np.nan
            else:
                d = reps["corrected"][ga][:, j] - reps["corrected"][gb][:, j]
                d = d[~np.isnan(d)]
                lo, hi = _percentile(d[:, None], ci)
                lo, hi = float(lo[0]), float(hi[0])
                tail = min((d <= 0).sum(), (d >= 0).sum())
                p = min(1.0, 2 * (tail + 1) / (len(d) + 1))
            rows.append((frame, ga, gb, int(a["n_articles"]), int(b["n_articles"]),
                         a["raw_share"] - b["raw_share"], a["corrected_share"],
                         b["corrected_share"], diff, lo, hi, p, np.nan))
    out = pd.DataFrame(rows, columns=CORRECTED_PAIRWISE_COLUMNS)
    out["p_adjusted"] = _fdr_bh(out["p_value"])
    out.attrs["ci"] = ci
    return out


# --- sentiment (or any numeric score) -------------------------------------------------


def _values(data: pd.DataFrame, column: str, pos: np.ndarray) -> np.ndarray:
    values = pd.to_numeric(data[column].iloc[pos], errors="coerce").to_numpy("float64")
    return values[~np.isnan(values)]


def _numeric_columns(data: pd.DataFrame, column: str | Sequence[str], *, helper: str
                     ) -> list[str]:
    columns = _as_list(column)
    if not columns:
        raise OptionError(f"{helper}: column= names no column.", fix="pass column='polarity'.")
    _require(data, columns, helper=helper)
    for c in columns:
        missing = int(pd.to_numeric(data[c], errors="coerce").isna().sum())
        if missing:
            logger.warning("%s: %d article(s) without a %r value left out of its statistics.",
                           helper, missing, c)
    return columns


MEAN_COLUMNS = ["column", "group", "n", "mean", "mean_lo", "mean_hi", "median", "sd", "q25",
                "q75"]


def sentiment_by_group(
    scores: pd.DataFrame,
    *,
    by: str,
    column: str | Sequence[str] = "polarity",
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Describe a per-article score (sentiment by default) in each group, with a mean CI.

    ``mean_lo, mean_hi`` is a bootstrap percentile interval of the mean (articles
    resampled with replacement). ``sd`` is the sample standard deviation (``ddof=1``);
    ``q25, q75`` are the quartiles. Articles without a value are left out (``n`` counts
    the rest).

    Parameters
    ----------
    scores : DataFrame with ``by`` and ``column``.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    column : one numeric column or several, e.g. ``["polarity", "vader_compound"]``.
    n_boot, ci, seed : bootstrap resamples, interval level and random seed.

    Returns
    -------
    DataFrame, one row per (column, group): ``column, group, n, mean, mean_lo, mean_hi,
    median, sd, q25, q75``. ``attrs["ci"]`` holds the interval level.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 5,
    ...                        "polarity": [0.1, 0.2, 0.3, 0.2, 0.2, -0.1, 0, 0.1, 0, 0]})
    >>> sentiment_by_group(scores, by="outlet")[["group", "mean", "median"]].values.tolist()
    [['A', 0.2, 0.2], ['B', 0.0, 0.0]]
    """
    helper = "sentiment_by_group"
    _check_boot(n_boot, ci, seed)
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    columns = _numeric_columns(data, column, helper=helper)
    out = _describe(data, by, order, columns, n_boot=n_boot, ci=ci, seed=seed)
    out.attrs["ci"] = ci
    return out


def _describe(data: pd.DataFrame, by: str, order: Sequence[Hashable], columns: Sequence[str],
              *, n_boot: int, ci: float, seed: int) -> pd.DataFrame:
    matrix = data[list(columns)].apply(pd.to_numeric, errors="coerce").to_numpy("float64")
    rows = []
    for g, pos in _positions(data, by, order).items():
        lo, hi = _mean_intervals(matrix[pos], n_boot=n_boot, ci=ci, rng=_rng(seed, g))
        for j, c in enumerate(columns):
            x = matrix[pos, j]
            x = x[~np.isnan(x)]
            q25, median, q75 = np.percentile(x, [25, 50, 75]) if len(x) else [np.nan] * 3
            rows.append((c, g, len(x), x.mean() if len(x) else np.nan, lo[j], hi[j], median,
                         x.std(ddof=1) if len(x) > 1 else np.nan, q25, q75))
    out = pd.DataFrame(rows, columns=MEAN_COLUMNS).astype({"n": "int64"})
    column_order = {c: i for i, c in enumerate(columns)}
    return out.sort_values("column", key=lambda s: s.map(column_order), kind="stable"
                           ).reset_index(drop=True)


def _kruskal(samples: Sequence[np.ndarray]) -> tuple[float, int, float, float, int, int]:
    """Kruskal–Wallis over the non-empty samples: ``H, dof, p, epsilon_squared, n, k``.

    ``epsilon_squared = H / (n - 1)`` (Tomczak & Tomczak 2014). Fewer than two non-empty
    samples, or one value throughout, cannot be tested: H, p and epsilon are NaN.
    """
    samples = [x for x in samples if len(x)]
    n, k = sum(len(x) for x in samples), len(samples)
    if k < 2 or np.ptp(np.concatenate(samples)) == 0:
        return np.nan, k - 1, np.nan, np.nan, n, k
    result = stats.kruskal(*samples)
    h = float(result.statistic)
    return h, k - 1, float(result.pvalue), h / (n - 1), n, k


def _mann_whitney(xa: np.ndarray, xb: np.ndarray) -> tuple[float, float, float]:
    """Two-sided Mann–Whitney U of ``xa`` against ``xb``: ``U_a, p, rank_biserial``.

    ``rank_biserial = 2 U_a / (n_a n_b) - 1``. Two samples of one value throughout are
    not tested (U and p NaN, r 0); an empty sample gives NaN throughout.
    """
    na, nb = len(xa), len(xb)
    if not (na and nb):
        return np.nan, np.nan, np.nan
    if np.ptp(np.concatenate([xa, xb])) == 0:
        return np.nan, np.nan, 0.0
    result = stats.mannwhitneyu(xa, xb, alternative="two-sided")
    u = float(result.statistic)
    return u, float(result.pvalue), 2 * u / (na * nb) - 1


KRUSKAL_COLUMNS = ["column", "test", "statistic", "dof", "p_value", "p_adjusted",
                   "epsilon_squared", "n", "n_groups"]


def sentiment_tests(
    scores: pd.DataFrame,
    *,
    by: str,
    column: str | Sequence[str] = "polarity",
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
) -> pd.DataFrame:
    """Test whether a per-article score differs across groups (Kruskal–Wallis).

    Kruskal–Wallis compares the groups' rank distributions (no normality assumed; ties
    corrected), with ``k - 1`` degrees of freedom. The effect size is
    ``epsilon_squared = H / (n - 1)`` (Tomczak & Tomczak 2014), from 0 (no difference)
    to 1. With several columns, ``p_adjusted`` is Benjamini–Hochberg across them;
    with one it equals ``p_value``. A column whose values are all equal is not tested
    (NaN).

    Parameters
    ----------
    scores : DataFrame with ``by`` and ``column``.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    column : one numeric column or several.

    Returns
    -------
    DataFrame, one row per column: ``column, test, statistic, dof, p_value, p_adjusted,
    epsilon_squared, n, n_groups``.

    See Also
    --------
    sentiment_pairwise : which pairs of groups differ.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 5, "polarity": range(10)})
    >>> sentiment_tests(scores, by="outlet")[["statistic", "p_value"]].round(4).values.tolist()
    [[6.8182, 0.009]]
    """
    helper = "sentiment_tests"
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    columns = _numeric_columns(data, column, helper=helper)
    positions = _positions(data, by, order)
    rows = []
    for c in columns:
        statistic, dof, p, epsilon, n, k = _kruskal([_values(data, c, positions[g])
                                                     for g in order])
        rows.append((c, "kruskal", statistic, dof, p, np.nan, epsilon, n, k))
    out = pd.DataFrame(rows, columns=KRUSKAL_COLUMNS)
    out["p_adjusted"] = _fdr_bh(out["p_value"])
    return out.astype({"dof": "int64", "n": "int64", "n_groups": "int64",
                       "statistic": "float64", "p_value": "float64"})


PAIRWISE_SENTIMENT_COLUMNS = ["column", "group_a", "group_b", "n_a", "n_b", "mean_a",
                              "mean_b", "diff", "median_a", "median_b", "statistic",
                              "p_value", "p_adjusted", "rank_biserial"]


def sentiment_pairwise(
    scores: pd.DataFrame,
    *,
    by: str,
    column: str | Sequence[str] = "polarity",
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
) -> pd.DataFrame:
    """Compare every pair of groups on a per-article score (Mann–Whitney U).

    ``statistic`` is U of group a (scipy's two-sided test: exact for small samples
    without ties, else the normal approximation with continuity correction).
    ``rank_biserial = 2 U_a / (n_a n_b) - 1``: the probability that an article of a
    scores above one of b, minus the reverse (+1: every a above every b; 0: no
    tendency). ``diff = mean_a - mean_b``. ``p_adjusted`` is Benjamini–Hochberg over all
    pairs of all columns (the family is this table).

    Parameters
    ----------
    scores : DataFrame with ``by`` and ``column``.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    column : one numeric column or several.

    Returns
    -------
    DataFrame, one row per (column, pair of groups): ``column, group_a, group_b, n_a, n_b,
    mean_a, mean_b, diff, median_a, median_b, statistic, p_value, p_adjusted,
    rank_biserial``.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 5, "polarity": range(10)})
    >>> sentiment_pairwise(scores, by="outlet")[["diff", "rank_biserial"]].values.tolist()
    [[-5.0, -1.0]]
    """
    helper = "sentiment_pairwise"
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    columns = _numeric_columns(data, column, helper=helper)
    positions = _positions(data, by, order)
    rows = []
    for c in columns:
        values = {g: _values(data, c, positions[g]) for g in order}
        for ga, gb in _pairs(order):
            xa, xb = values[ga], values[gb]
            na, nb = len(xa), len(xb)
            u, p, r = _mann_whitney(xa, xb)
            mean = {g: x.mean() if len(x) else np.nan for g, x in ((ga, xa), (gb, xb))}
            median = {g: np.median(x) if len(x) else np.nan for g, x in ((ga, xa), (gb, xb))}
            rows.append((c, ga, gb, na, nb, mean[ga], mean[gb], mean[ga] - mean[gb],
                         median[ga], median[gb], u, p, np.nan, r))
    out = pd.DataFrame(rows, columns=PAIRWISE_SENTIMENT_COLUMNS)
    out["p_adjusted"] = _fdr_bh(out["p_value"])
    return out.astype({"n_a": "int64", "n_b": "int64", "statistic": "float64",
                       "p_value": "float64"})


# --- keyness --------------------------------------------------------------------------


KEYNESS_COLUMNS = ["group", "reference", "term", "count_target", "count_reference",
                   "per_1k_target", "per_1k_reference", "articles_target",
                   "articles_reference", "g2", "p_value", "p_adjusted", "log_ratio",
                   "direction"]
LEFT_OUT_COLUMNS = ["group", "reason", "what", "n_articles", "words"]
BOILERPLATE_COLUMNS = ["article_id", "outlet", "line", "occurrences", "n_articles"]

#: Neutral attribution: every outlet writes them, at rates that follow how much it quotes,
#: not what it says. Verbs that carry a stance ("claimed", "admitted", "warned") stay.
REPORTING_VERBS = frozenset(
    "said says say saying told tells tell telling added adds adding according noted stated "
    "explained explains asked asks wrote writes commented remarked continued".split())
# words of outlet names that name no outlet in particular
_GENERIC_NAME_WORDS = frozenset(
    "news online web daily media network com www org net co guest writer opinion left right "
    "center".split())
#: a word of an outlet's name is the outlet naming itself when the outlet writes it this
#: many times as often (per word) as the other articles compared: "fox" in Fox News (7x),
#: not "washington" in The Washington Times (1.2x), a city every outlet writes about
_SELF_RATIO = 4.0

_TERMS_FIX = ("pass a term table with one row per (article, term), e.g. "
              "term_frequency(tokens, by='article_id') without top_n.")


def g2_statistic(a: np.ndarray, b: np.ndarray, size_a: float, size_b: float) -> np.ndarray:
    """Log-likelihood G2 of the 2x2 tables (term, other words) x (target, reference).

    ``scipy.stats.chi2_contingency(..., lambda_="log-likelihood")`` gives the same value
    for one table; written out here because it runs on every term at once (tens of
    thousands of tables), which a call per table would not.
    """
    total = size_a + size_b
    observed = np.stack([a, b, size_a - a, size_b - b])
    expected = np.stack([size_a * (a + b), size_b * (a + b),
                         size_a * (total - a - b), size_b * (total - a - b)]) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * special.xlogy(observed, observed / expected).sum(axis=0)


def _chi2_sf_1(statistic: np.ndarray) -> np.ndarray:
    """Upper tail of chi-square with 1 dof: P(|Z| > sqrt(x)); exact, and fast for many terms."""
    return special.erfc(np.sqrt(np.maximum(statistic, 0) / 2))


def _log_ratio(a: np.ndarray, b: np.ndarray, size_a: float, size_b: float) -> np.ndarray:
    """Hardie's log ratio: log2 of the ratio of relative frequencies; a zero count is 0.5."""
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    return np.log2((a / size_a) / (b / size_b))


def _line_key(line: str) -> str:
    """A line as compared: white space collapsed, every number the same ("LISTEN TO ARTICLE
    5:06" and "... 3:46" are one line)."""
    return _DIGITS_RE.sub("0", " ".join(line.split()))


_DIGITS_RE = re.compile(r"\d+")


def boilerplate_lines(
    articles: pd.DataFrame,
    *,
    outlet: str = "outlet",
    text: str = "text",
    min_articles: int = 3,
    max_words: int = 60,
) -> pd.DataFrame:
    """Lines repeated verbatim in several articles of one outlet: page furniture.

    A scraped article carries its site's furniture ("Story Continued Below", "Sign up for
    Daily Newsletters Manage Newsletters", "Copyright © 2019 The Washington Times, LLC"),
    which no list can foresee but the corpus itself reveals: the same line in many of one
    outlet's articles. A line is a line of the text, compared with its white space
    collapsed and its numbers ignored ("LISTEN TO ARTICLE 5:06" and "... 3:46" are the
    same line); it is boilerplate when at least ``min_articles`` different articles of
    the same outlet hold it. An article of one line has no furniture: its line is its
    text; and a line of more than ``max_words`` words is text too (a paragraph quoted
    in several columns), not furniture. :func:`keyness` leaves their words out.

    Parameters
    ----------
    articles : DataFrame with ``article_id``, ``outlet`` and ``text`` columns
        (:func:`framelens.read_articles`).
    outlet, text : the columns of the outlet and of the text.
    min_articles : how many of an outlet's articles must hold a line.
    max_words : longer lines are never boilerplate.

    Returns
    -------
    DataFrame, one row per (article, repeated line): ``article_id, outlet, line,
    occurrences, n_articles`` (``occurrences``: times in this article; ``n_articles``:
    the outlet's articles that hold it), the most repeated lines first.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": list("abc"), "outlet": "P", "text": [
    ...     "Tariffs rose.\\nStory Continued Below", "Chips.\\nStory Continued Below",
    ...     "Story Continued Below\\nTalks."]})
    >>> boilerplate_lines(arts)[["article_id", "n_articles"]].values.tolist()
    [['a', 3], ['b', 3], ['c', 3]]
    """
    helper = "boilerplate_lines"
    _check_whole("min_articles", min_articles, minimum=2)
    _check_whole("max_words", max_words, minimum=1)
    _require(articles, ["article_id", outlet, text], helper=helper, table="articles",
             fix="pass the articles table of read_articles, or name the columns with "
                 "outlet= and text=.")
    rows = []
    no_outlet = _missing(articles[outlet])
    for aid, source, body, skip in zip(articles["article_id"], articles[outlet],
                                       articles[text], no_outlet):
        if skip or not isinstance(body, str):
            continue
        first: dict[str, str] = {}
        lines = Counter()
        for line in body.splitlines():
            key = _line_key(line)
            if key and key.count(" ") < max_words:
                lines[key] += 1
                first.setdefault(key, " ".join(line.split()))
        if len(lines) > 1:  # an article's only line is its text, not its furniture
            rows += [(aid, source, first[key], n, key) for key, n in lines.items()]
    table = pd.DataFrame(rows, columns=[*BOILERPLATE_COLUMNS[:-1], "_key"])
    table["n_articles"] = (table.groupby(["outlet", "_key"], sort=False)["article_id"]
                           .transform("nunique") if len(table) else 0)
    out = table[table["n_articles"] >= min_articles]
    out = out.sort_values(["n_articles", "outlet", "_key"], ascending=[False, True, True],
                          kind="stable").reset_index(drop=True)
    return out.astype({"occurrences": "int64", "n_articles": "int64"})[BOILERPLATE_COLUMNS]


class _LeftOut(NamedTuple):
    """What :func:`keyness` leaves out of the term counts and the corpus sizes."""

    terms: pd.DataFrame  # article_id, term, count: the counts that remain
    words: pd.Series  # words left out of each article, by article_id
    table: pd.DataFrame  # LEFT_OUT_COLUMNS, the record shown in reports


def _name_words(name: object, url: object) -> tuple[set[str], set[str]]:
    """The words of an outlet's name, and the names of its web site (always its own)."""
    from framelens.segment import stopwords

    words = set()
    if isinstance(name, str):
        plain = re.sub(r"\(.*?\)", " ", name.split(" - ")[0])
        capitals = [w[0] for w in plain.split() if w[:1].isupper()]
        if len(capitals) >= 2:  # "Associated Press" writes itself "AP"
            words.add("".join(capitals).lower())
        for token in re.findall(r"[\w.&'’]+", plain.lower()):
            token = token.strip(".'’")
            words |= {token, *token.split(".")} if "." in token else {token}
    words = {w for w in words if len(w) > 1 and not w.isdigit()
             and w not in _GENERIC_NAME_WORDS and w not in stopwords()}
    site: set[str] = set()
    if isinstance(url, str) and url.strip():
        host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0]
        host = re.sub(r"^(www\d?|m|amp)\.", "", host.split(":")[0])
        if "." in host:
            site = {host, host.split(".")[0]}
    return words, site


def _self_references(kept: pd.DataFrame, data: pd.DataFrame, outlet: str
                     ) -> pd.DataFrame:
    """Rows of ``kept`` (article_id, term, count) that are their outlet naming itself: its
    site's name, or a word of its name that it writes :data:`_SELF_RATIO` times as often
    (per word) as the other articles do ("reuters" in Reuters; not "washington" in The
    Washington Times, a city every outlet writes about)."""
    owners = data.drop_duplicates("article_id").set_index("article_id")
    if "n_words" in owners.columns:
        words = pd.to_numeric(owners["n_words"], errors="coerce").fillna(0)
    else:
        words = kept.groupby("article_id")["count"].sum().reindex(owners.index, fill_value=0)
    names = []  # (outlet, term, is its site's name)
    for source, block in owners.groupby(outlet, sort=False, observed=True):
        urls = block["url"].dropna() if "url" in block.columns else pd.Series(dtype=object)
        name, site = _name_words(source, urls.iloc[0] if len(urls) else None)
        names += [(source, term, term in site) for term in sorted(name | site)]
    if not names:
        return kept.iloc[:0].assign(_what=pd.Series(dtype="object"))
    names = pd.DataFrame(names, columns=["_outlet", "term", "_site"])
    rows = kept[kept["term"].isin(names["term"]).to_numpy()]
    rows = rows.assign(_outlet=rows["article_id"].map(owners[outlet]).to_numpy()).merge(
        names, on=["_outlet", "term"])
    if rows.empty:
        return kept.iloc[:0].assign(_what=pd.Series(dtype="object"))
    # per word: the outlet's own rate against the rate in every other article
    own = rows.groupby(["_outlet", "term"], sort=False)["count"].transform("sum")
    everywhere = rows["term"].map(kept[kept["term"].isin(rows["term"]).to_numpy()]
                                  .groupby("term")["count"].sum()).astype("float64")
    own_words = rows["_outlet"].map(words.groupby(owners[outlet], observed=True).sum()
                                    ).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (own / own_words) / ((everywhere - own) / (words.sum() - own_words))
    mine = rows[(rows["_site"] | ~(ratio < _SELF_RATIO)).to_numpy()]
    what = mine["term"] + " (in " + mine["_outlet"].astype(str) + "'s own articles)"
    return mine.assign(_what=what.to_numpy())[["article_id", "term", "count", "_what"]]


def _boilerplate_counts(boilerplate: pd.DataFrame, owners: pd.Index
                        ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Term counts of the repeated lines per article (as the term table counts them), and
    the words of each line per article (``article_id, _what, words``); lines of kinds that
    are never counted (captions, page furniture) count nothing."""
    from framelens.segment import ANALYSED_KINDS, classify_paragraph, count_words, tokenize
    from framelens.terms import term_frequency

    _require(boilerplate, ["article_id", "line", "occurrences"], helper="keyness",
             table="boilerplate", fix="pass the output of boilerplate_lines.")
    lines = boilerplate[pd.Index(owners).get_indexer(boilerplate["article_id"]) >= 0]
    counted = [classify_paragraph(line) in ANALYSED_KINDS for line in lines["line"]]
    lines = lines[np.array(counted, dtype=bool)]
    distinct = pd.Series(lines["line"].unique())
    if distinct.empty:
        return (pd.DataFrame(columns=["article_id", "term", "count", "_what"]),
                pd.DataFrame(columns=["article_id", "_what", "words"]))
    tokens = tokenize(pd.DataFrame({"article_id": np.arange(len(distinct)), "sentence_id": 0,
                                    "kind": "body", "text": distinct}))
    per_line = term_frequency(tokens, by="article_id", kinds=None)[["article_id", "term",
                                                                     "count"]]
    code = pd.Series(np.arange(len(distinct)), index=distinct.to_numpy())
    joined = lines.assign(_line=lines["line"].map(code).to_numpy()).merge(
        per_line.rename(columns={"article_id": "_line", "count": "_n"}), on="_line")
    joined["count"] = joined["_n"] * joined["occurrences"]
    def shown(line: str) -> str:
        return f"\u201c{line[:80]}{'…' if len(line) > 80 else ''}\u201d"

    counts = joined.assign(_what=joined["line"].map(shown).to_numpy())[
        ["article_id", "term", "count", "_what"]]
    words = pd.DataFrame({"article_id": lines["article_id"].to_numpy(),
                          "_what": lines["line"].map(shown).to_numpy(),
                          "words": (lines["line"].map(count_words)
                                    * lines["occurrences"]).to_numpy("float64")})
    return counts, words


def _subtract(kept: pd.DataFrame, taken: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``kept`` less ``taken`` (both ``article_id, term, count``), never below 0; and
    ``taken`` cut to what the article had (a term of a line counted twice)."""
    have = taken.merge(kept, on=["article_id", "term"], how="left", suffixes=("", "_have"))[
        "count_have"].fillna(0).to_numpy()
    total = taken.groupby(["article_id", "term"], sort=False)["count"].transform("sum")
    taken = taken.assign(count=np.where(total > have, taken["count"] * have
                                        / total.where(total > 0, 1), taken["count"]))
    less = taken.groupby(["article_id", "term"], sort=False)["count"].sum().rename("_less")
    kept = kept.merge(less.reset_index(), on=["article_id", "term"], how="left")
    kept["count"] = kept["count"] - kept["_less"].fillna(0)
    return kept[kept["count"] > 1e-9].drop(columns="_less"), taken


def _leave_out(terms: pd.DataFrame, data: pd.DataFrame, by: str, *,
               reporting_verbs: bool, outlet: str | None, boilerplate: pd.DataFrame | None,
               exclude: Sequence[str]) -> _LeftOut:
    """Take boilerplate lines, then reporting verbs, ``exclude`` and outlet
    self-references out of the term counts (each occurrence once: what a line took is
    gone before the words are looked at), and record what was taken out of each group
    and why."""
    owners = data.drop_duplicates("article_id").set_index("article_id")[by]
    kept = terms[["article_id", "term", "count"]].copy()
    kept["count"] = pd.to_numeric(kept["count"], errors="coerce").fillna(0).astype("float64")
    kept = kept[kept["article_id"].isin(owners.index).to_numpy() & (kept["count"] > 0)]
    kept["term"] = kept["term"].astype(str)
    words = pd.Series(0.0, index=owners.index)
    records = []  # article_id, _reason, _what, count (words)
    if boilerplate is not None:
        counts, line_words = _boilerplate_counts(boilerplate, owners.index)
        kept, _ = _subtract(kept, counts[["article_id", "term", "count"]].astype(
            {"count": "float64"}))
        # a line's words all leave the corpus size (stopwords too, as n_words counts them)
        words = words.add(line_words.groupby("article_id")["words"].sum(), fill_value=0)
        records.append(line_words.rename(columns={"words": "count"}).assign(
            _reason="boilerplate: line repeated in several of the outlet's articles"))
    removed = []
    for reason, chosen in (("reporting verb", REPORTING_VERBS if reporting_verbs else ()),
                           ("excluded by request", set(map(str, exclude)))):
        hit = kept[kept["term"].isin(chosen).to_numpy()]
        removed.append(hit.assign(_what=hit["term"], _reason=reason))
    if outlet is not None and outlet in data.columns:
        removed.append(_self_references(kept, data, outlet).assign(
            _reason="self-reference of the outlet"))
    removed = [r for r in removed if len(r)]
    if removed:
        taken = pd.concat(removed, ignore_index=True)
        kept, taken = _subtract(kept, taken)
        words = words.add(taken.groupby("article_id")["count"].sum(), fill_value=0)
        records.append(taken[["article_id", "_reason", "_what", "count"]])
    records = [r for r in records if len(r)]
    if not records:
        return _LeftOut(kept, words, _empty(LEFT_OUT_COLUMNS))
    taken = pd.concat(records, ignore_index=True)
    taken["group"] = taken["article_id"].map(owners).to_numpy()
    summary = taken.groupby(["group", "_reason", "_what"], sort=False).agg(
        n_articles=("article_id", "nunique"), words=("count", "sum")).reset_index()
    summary = summary.rename(columns={"_reason": "reason", "_what": "what"})
    summary["words"] = summary["words"].round().astype("int64")
    return _LeftOut(kept, words, summary[LEFT_OUT_COLUMNS])


def _check_keyness_options(**whole: int | None) -> None:
    for name, value in whole.items():
        if value is not None:
            _check_whole(name, value, minimum=1)


def _keyness_blocks(order: Sequence[Hashable], target: Hashable | None,
                    reference: Hashable | None) -> list[tuple[Hashable, list[int], list[int],
                                                               Hashable]]:
    """``(group, target rows, reference rows, reference label)`` of each block compared."""
    if reference is not None and target is None:
        raise OptionError("keyness: reference= needs target= as well.",
                          fix="pass target=<group> and reference=<group>, or neither.")
    for name, value in (("target", target), ("reference", reference)):
        if value is not None and value not in order:
            raise OptionError(f"keyness: {name}={value!r} is not one of the compared groups "
                              f"{list(order)}.", fix=f"pass {name}= one of them.")
    if target is not None and target == reference:
        raise OptionError("keyness: target and reference are the same group.",
                          fix="pass two different groups.")
    index = {g: i for i, g in enumerate(order)}
    rest = [(g, [index[g]], [i for i in range(len(order)) if i != index[g]], "rest")
            for g in order]
    if target is None:
        return rest
    if reference is None:
        return [block for block in rest if block[0] == target]
    return [(target, [index[target]], [index[reference]], reference)]


class _TermMatrices(NamedTuple):
    counts: np.ndarray  # groups x terms: occurrences
    docs: np.ndarray  # groups x terms: articles using the term
    vocab: np.ndarray  # the terms, alphabetical


def _term_matrices(terms: pd.DataFrame, data: pd.DataFrame, by: str,
                   order: Sequence[Hashable]) -> _TermMatrices:
    """Counts and article counts per (group, term), with integer codes throughout:
    articles by position in ``data``, terms in alphabetical order."""
    owner = data[["article_id", by]].drop_duplicates("article_id")
    article = pd.Index(owner["article_id"]).get_indexer(terms["article_id"])
    count = pd.to_numeric(terms["count"], errors="coerce").fillna(0).to_numpy("float64")
    mine = (article >= 0) & (count > 0)
    article, count = article[mine], count[mine]
    group = owner[by].astype(object).map({g: i for i, g in enumerate(order)}).to_numpy(
        "int64")[article]
    codes, vocab = pd.factorize(terms["term"].astype(str).to_numpy(dtype=object)[mine],
                                sort=True)
    shape = (len(order), len(vocab))
    cell = group * len(vocab) + codes
    counts = np.bincount(cell, weights=count, minlength=shape[0] * shape[1]).reshape(shape)
    distinct = np.unique(cell * len(owner) + article) // len(owner)
    docs = np.bincount(distinct, minlength=shape[0] * shape[1]).reshape(shape).astype(
        "float64")
    return _TermMatrices(counts, docs, np.asarray(vocab, dtype=object))


def _corpus_sizes(data: pd.DataFrame, by: str, order: Sequence[Hashable], matrices:
                  _TermMatrices, *, corpus_size: str, words_left_out: pd.Series) -> np.ndarray:
    """Words per group: summed ``n_words`` less the words left out, or the term counts."""
    if corpus_size == "terms":
        return matrices.counts.sum(axis=1)
    words = pd.to_numeric(data["n_words"], errors="coerce").fillna(0).to_numpy("float64")
    words = words - data["article_id"].map(words_left_out).fillna(0).to_numpy("float64")
    size = np.array([words[p].sum() for p in _positions(data, by, order).values()],
                    dtype="float64")
    if (matrices.counts.sum(axis=1) > size + 1e-6).any():
        raise InputError("keyness: a group's term counts exceed its n_words, so the term "
                         "table and the scores table do not describe the same articles.",
                         fix="pass matching tables, or corpus_size='terms'.")
    return size


def _keyness_block(matrices: _TermMatrices, size: np.ndarray, block: tuple, *,
                   min_count: int, min_groups: int, min_docs: int, top_n: int | None
                   ) -> pd.DataFrame:
    """One target against its reference: every term kept by the filters, G2 descending."""
    label, tgt, ref, ref_label = block
    counts, docs = matrices.counts, matrices.docs
    a, b = counts[tgt].sum(axis=0), counts[ref].sum(axis=0)
    present = (counts[tgt + ref] > 0).sum(axis=0)
    keep = ((a + b >= min_count) & (present >= min_groups)
            & (docs[tgt + ref].sum(axis=0) >= min_docs))
    a, b = a[keep], b[keep]
    size_a, size_b = size[tgt].sum(), size[ref].sum()
    g2 = g2_statistic(a, b, size_a, size_b)
    p = _chi2_sf_1(g2)
    adjusted = _fdr_bh(p)  # over every term tested, before top_n
    rank = np.lexsort((np.flatnonzero(keep), -g2))[:top_n]  # G2 desc, then term
    a, b, g2, p, adjusted = a[rank], b[rank], g2[rank], p[rank], adjusted[rank]
    return pd.DataFrame({
        "group": [label] * len(rank), "reference": ref_label,
        "term": matrices.vocab[keep][rank],
        "count_target": np.round(a).astype("int64"),
        "count_reference": np.round(b).astype("int64"),
        "per_1k_target": 1000 * a / size_a, "per_1k_reference": 1000 * b / size_b,
        "articles_target": docs[tgt].sum(axis=0)[keep][rank].astype("int64"),
        "articles_reference": docs[ref].sum(axis=0)[keep][rank].astype("int64"),
        "g2": g2, "p_value": p, "p_adjusted": adjusted,
        "log_ratio": _log_ratio(a, b, size_a, size_b),
        "direction": np.where(a / size_a >= b / size_b, "target", "reference"),
    })


def keyness(
    terms: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str,
    target: Hashable | None = None,
    reference: Hashable | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    min_count: int = 5,
    min_groups: int = 1,
    min_docs: int = 1,
    ngram: int | None = None,
    top_n: int | None = None,
    corpus_size: Literal["n_words", "terms"] = "n_words",
    reporting_verbs: bool = True,
    outlet: str | None = "outlet",
    boilerplate: pd.DataFrame | None = None,
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """Terms a group uses more (or less) than others: log-likelihood G2 and log ratio.

    For each term, the 2x2 table is (the term, every other word) x (target corpus,
    reference corpus). ``g2 = 2 * sum(O * ln(O / E))`` over its four cells (Dunning 1993;
    quanteda's ``textstat_keyness(measure="lr", correction="none")``; Rayson & Garside's
    calculator sums only the two cells of the term, which gives a slightly smaller value),
    and ``p_value`` is from chi-square with 1 degree of freedom. ``p_adjusted`` is
    Benjamini–Hochberg over the terms tested in the block (one block per target group).
    ``log_ratio = log2((count_target / size_target) / (count_reference /
    size_reference))`` (Hardie 2014): +1 means twice as frequent in the target; a count
    of 0 is taken as 0.5 so the ratio stays finite. ``direction`` is ``"target"`` when
    the term is relatively more frequent in the target, else ``"reference"``.

    Corpus sizes are, by default (``corpus_size="n_words"``), the summed ``n_words`` of
    each side's articles in ``scores``: every word counts, so ``per_1k_*`` is per 1,000
    words like the frame rates, and a term table cut to each article's top terms does not
    shrink the corpus. ``corpus_size="terms"`` uses the summed counts of the term table
    instead (stopwords then do not count).

    **What is left out.** Words that say how a text is made rather than what it says can
    be taken out first: ``reporting_verbs`` (:data:`REPORTING_VERBS`: "said", "says",
    "told", "according"...), an outlet's references to itself (``outlet=`` its column: the
    words of its name that it writes at least four times as often as the other articles,
    such as "reuters" in Reuters' own articles, and its web site's name from a ``url``
    column, such as "nytimes"), and ``boilerplate`` lines (:func:`boilerplate_lines`:
    "Story Continued Below", newsletter sign-ups, copyright lines). Their occurrences leave the term
    counts *and* the corpus sizes, so G2, the log ratio and ``per_1k_*`` are the same
    statistics computed on what remains. ``attrs["left_out"]`` records what was taken
    out of each group and why (:data:`LEFT_OUT_COLUMNS`: ``group, reason, what,
    n_articles, words``), the most words first.

    Parameters
    ----------
    terms : DataFrame with ``article_id, term, count`` (and optionally ``ngram``).
    scores : DataFrame with ``article_id``, ``by`` and ``n_words``: which group each
        article belongs to.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    target, reference : ``None, None``: each group against all the others ("one against
        the rest", one block per group); ``target`` only: that group against the rest;
        both: two chosen groups.
    min_count : keep terms counted at least this often in target and reference together.
    min_groups : keep terms found in at least this many of the compared groups.
    min_docs : keep terms found in at least this many articles (guards against one
        article that repeats a name carrying a whole group).
    ngram : keep only terms of this many words (the ``ngram`` column, else the number of
        space-separated words in the term); ``None`` keeps all.
    top_n : keep the ``top_n`` highest-G2 terms of each block.
    corpus_size : ``"n_words"`` or ``"terms"``.
    reporting_verbs : leave out :data:`REPORTING_VERBS`.
    outlet : the column of ``scores`` naming each article's outlet, to leave out its
        references to itself (nothing is left out when ``scores`` has no such column);
        None keeps them.
    boilerplate : the output of :func:`boilerplate_lines` for these articles; the words of
        those lines are left out.
    exclude : more terms to leave out everywhere.

    Returns
    -------
    DataFrame, one row per (group, term), sorted by ``g2`` (descending) within each
    group: ``group, reference, term, count_target, count_reference, per_1k_target,
    per_1k_reference, articles_target, articles_reference, g2, p_value, p_adjusted,
    log_ratio, direction``. ``reference`` is the reference group, or ``"rest"``.
    ``attrs["left_out"]`` is the record of what was left out.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["A", "B"],
    ...                        "n_words": [1000, 1000]})
    >>> terms = pd.DataFrame({"article_id": ["a", "b"], "term": ["tariff", "tariff"],
    ...                       "count": [30, 10]})
    >>> keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=1
    ...         )[["term", "g2", "log_ratio"]].round(2).values.tolist()
    [['tariff', 10.67, 1.58]]
    """
    helper = "keyness"
    _check_keyness_options(min_count=min_count, min_groups=min_groups, min_docs=min_docs,
                           top_n=top_n, ngram=ngram)
    _check_choice("corpus_size", corpus_size, ["n_words", "terms"])
    _require(terms, ["article_id", "term", "count"], helper=helper, table="terms",
             fix=_TERMS_FIX)
    _require(scores, ["article_id"] + (["n_words"] if corpus_size == "n_words" else []),
             helper=helper, fix="pass the per-article scores table, or corpus_size='terms'.")
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    blocks = _keyness_blocks(order, target, reference)
    if ngram is not None:
        sizes = (terms["ngram"] if "ngram" in terms.columns
                 else terms["term"].astype(str).str.count(" ") + 1)
        terms = terms[sizes.to_numpy() == ngram]
    left_out = _leave_out(terms, data, by, reporting_verbs=reporting_verbs, outlet=outlet,
                          boilerplate=boilerplate, exclude=exclude)
    matrices = _term_matrices(left_out.terms, data, by, order)
    size = _corpus_sizes(data, by, order, matrices, corpus_size=corpus_size,
                         words_left_out=left_out.words)
    out = [_keyness_block(matrices, size, block, min_count=min_count, min_groups=min_groups,
                          min_docs=min_docs, top_n=top_n) for block in blocks]
    out = [block for block in out if not block.empty]
    table = (pd.concat(out, ignore_index=True)[KEYNESS_COLUMNS] if out
             else _empty(KEYNESS_COLUMNS))
    # the largest first, then in group order
    rank = left_out.table["group"].map({g: i for i, g in enumerate(order)})
    record = left_out.table.assign(_rank=rank.to_numpy()).sort_values(
        ["words", "_rank"], ascending=[False, True], kind="stable")
    table.attrs["left_out"] = record.drop(columns="_rank").reset_index(drop=True)
    return table


# --- quotes ---------------------------------------------------------------------------


VOICE_COLUMNS = ["group", "n_articles", "group_quotes", "quotes_per_article", "quoted_share",
                 "rank", "speaker", "variants", "n_quotes", "n_articles_quoting",
                 "share_of_quotes"]


def voices_by_group(
    voices: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    top_n: int = 10,
    merge_names: bool = True,
) -> pd.DataFrame:
    """Who each group quotes, and how much it quotes at all.

    With ``merge_names``, a speaker quoted by surname alone in some articles ("Trump") is
    counted with the full name quoted in others ("Donald Trump") when only that full name
    fits, across the compared articles (:func:`framelens.speaker_names`); ``variants``
    lists the names as written that each row counts, the most quoted first.

    Parameters
    ----------
    voices : DataFrame with ``article_id, speaker, n_quotes`` (``Analysis.voices``).
    scores : DataFrame with ``article_id`` and ``by`` (``quoted_share`` when present).
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    top_n : how many speakers to keep per group.
    merge_names : merge one-word speakers with the full name they stand for.

    Returns
    -------
    DataFrame, one row per (group, speaker), the group's most quoted speakers first:
    group-level ``group, n_articles, group_quotes, quotes_per_article, quoted_share``
    (repeated on each of the group's rows; ``quoted_share`` is the mean over articles)
    and speaker-level ``rank, speaker, variants, n_quotes, n_articles_quoting,
    share_of_quotes`` (``n_quotes / group_quotes``). Quotes without a named speaker count in
    ``group_quotes`` but are not ranked; a group that quotes nobody by name has no rows
    (see :func:`quoting_by_group`). Tied speakers share the lower rank.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["A", "B"]})
    >>> voices = pd.DataFrame({"article_id": ["a", "a", "b"], "speaker": ["Li", "", "Li"],
    ...                        "n_quotes": [3, 1, 2]})
    >>> voices_by_group(voices, scores, by="outlet", min_articles=1
    ...                 )[["group", "speaker", "share_of_quotes"]].values.tolist()
    [['A', 'Li', 0.75], ['B', 'Li', 1.0]]
    """
    helper = "voices_by_group"
    _check_whole("top_n", top_n, minimum=1)
    _require(voices, ["article_id", "speaker", "n_quotes"], helper=helper, table="voices",
             fix="pass Analysis.voices (framelens.speakers).")
    _require(scores, ["article_id"], helper=helper)
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    owner = data[["article_id", by]].drop_duplicates("article_id").rename(
        columns={by: "_group"})
    owner["_group"] = owner["_group"].astype(object).map({g: i for i, g in enumerate(order)})
    quotes = voices[["article_id", "speaker", "n_quotes"]].merge(owner, on="article_id")
    quotes["n_quotes"] = pd.to_numeric(quotes["n_quotes"], errors="coerce").fillna(0)
    quotes["written"] = quotes["speaker"]
    if merge_names:
        names = speaker_names(quotes)
        quotes["speaker"] = quotes["speaker"].map(lambda s: names.get(s, s))
    positions = _positions(data, by, order)
    share = (pd.to_numeric(data["quoted_share"], errors="coerce")
             if "quoted_share" in data.columns else None)
    blocks = []
    for i, g in enumerate(order):
        mine = quotes[quotes["_group"] == i]
        n_articles = len(positions[g])
        total = mine["n_quotes"].sum()
        named = mine[~_missing(mine["speaker"])]
        if named.empty:
            continue
        top = named.groupby("speaker", sort=False).agg(
            n_quotes=("n_quotes", "sum"), n_articles_quoting=("article_id", "nunique")
        ).reset_index().sort_values(["n_quotes", "n_articles_quoting", "speaker"],
                                    ascending=[False, False, True], kind="stable")
        top["rank"] = top["n_quotes"].rank(method="min", ascending=False).astype("int64")
        top = top.head(top_n)
        variants = join_variants(named, keys=["speaker"])
        top["variants"] = top["speaker"].map(dict(zip(named["speaker"].drop_duplicates(),
                                                      variants)))
        blocks.append(top.assign(
            group=g, n_articles=n_articles, group_quotes=int(total),
            quotes_per_article=total / n_articles,
            quoted_share=share.iloc[positions[g]].mean() if share is not None else np.nan,
            share_of_quotes=top["n_quotes"] / total,
        ))
    if not blocks:
        return _empty(VOICE_COLUMNS)
    out = pd.concat(blocks, ignore_index=True)[VOICE_COLUMNS]
    return out.astype({"n_quotes": "int64", "n_articles_quoting": "int64"})


QUOTING_COLUMNS = ["group", "n_articles", "quoted_share", "quoted_share_lo", "quoted_share_hi",
                   "quotes_per_article", "quotes_per_article_lo", "quotes_per_article_hi"]


def quoting_by_group(
    scores: pd.DataFrame,
    *,
    by: str,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """How much each group quotes: mean quoted share and quotes per article, with CIs.

    Intervals are bootstrap percentile intervals of the means, as in
    :func:`sentiment_by_group`. Articles without a ``quoted_share`` (no words) are left
    out of that mean.

    Parameters
    ----------
    scores : DataFrame with ``by``, ``quoted_share`` and ``n_quotes``.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    n_boot, ci, seed : bootstrap resamples, interval level and random seed.

    Returns
    -------
    DataFrame, one row per group: ``group, n_articles, quoted_share, quoted_share_lo,
    quoted_share_hi, quotes_per_article, quotes_per_article_lo, quotes_per_article_hi``.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 5, "n_quotes": range(10),
    ...                        "quoted_share": [0.1] * 5 + [0.3] * 5})
    >>> quoting_by_group(scores, by="outlet")[["group", "quoted_share"]].values.tolist()
    [['A', 0.1], ['B', 0.3]]
    """
    helper = "quoting_by_group"
    _check_boot(n_boot, ci, seed)
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    columns = _numeric_columns(data, ["quoted_share", "n_quotes"], helper=helper)
    described = _describe(data, by, order, columns, n_boot=n_boot, ci=ci, seed=seed)
    share = described[described["column"] == "quoted_share"].reset_index(drop=True)
    quotes = described[described["column"] == "n_quotes"].reset_index(drop=True)
    positions = _positions(data, by, order)
    out = pd.DataFrame({
        "group": order, "n_articles": [len(positions[g]) for g in order],
        "quoted_share": share["mean"], "quoted_share_lo": share["mean_lo"],
        "quoted_share_hi": share["mean_hi"], "quotes_per_article": quotes["mean"],
        "quotes_per_article_lo": quotes["mean_lo"], "quotes_per_article_hi": quotes["mean_hi"],
    })
    out.attrs["ci"] = ci
    return out


# --- time -----------------------------------------------------------------------------


def _dates(scores: pd.DataFrame, date_col: str, *, helper: str) -> pd.Series:
    """``date_col`` as datetimes (NaT where missing); unparseable strings are an error."""
    values = scores[date_col]
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    blank = pd.Series(_missing(values), index=values.index)
    parsed = pd.to_datetime(values.where(~blank), errors="coerce", format="mixed", utc=True)
    parsed = parsed.dt.tz_convert(None)
    bad = parsed.isna() & ~blank
    if bad.any():
        where = scores.index[bad.to_numpy()]
        ids = (scores.loc[bad, "article_id"].tolist() if "article_id" in scores.columns
               else list(where))
        shown = ", ".join(f"row {r} ({i!r}: {v!r})" for r, i, v in
                          list(zip(where, ids, values[bad]))[:5])
        more = f" and {int(bad.sum()) - 5} more" if bad.sum() > 5 else ""
        raise InputError(f"{helper}: {int(bad.sum())} value(s) of {date_col!r} are not dates: "
                         f"{shown}{more}.",
                         fix="fix or blank those values (ISO 8601, e.g. 2024-05-31), or read "
                             "the articles with read_articles(date=...).")
    return parsed


def period_name(periods: pd.Series) -> str:
    """The period between consecutive dates of a :func:`trends` table: "week", "month",
    "quarter" or "year" ("" when there are none).

    Examples
    --------
    >>> period_name(pd.Series(pd.to_datetime(["2020-01-01", "2021-01-01"])))
    'year'
    """
    dates = pd.Series(sorted(set(pd.to_datetime(periods))))
    if not len(dates):
        return ""
    gap = dates.diff().dt.days.median() if len(dates) > 1 else 31
    return "week" if gap <= 8 else "month" if gap <= 31 else "quarter" if gap <= 92 else "year"


def trends(
    scores: pd.DataFrame,
    *,
    by: str,
    freq: str = "MS",
    frames: str | Sequence[str] | None = None,
    column: str | None = "polarity",
    date_col: str = "published",
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
) -> pd.DataFrame:
    """Per period and group: how many articles, their mean score and each frame's share.

    Articles without a date are counted and left out (a ``logging`` warning says how
    many); groups are then chosen among the dated articles (``min_articles``). Periods
    run from the first to the last dated article for every group, so a period in which a
    group published nothing appears with ``n_articles`` 0 and NaN values: a gap, not a 0.
    Dates given as strings are parsed (ISO 8601 and other common forms) and converted to
    UTC.

    Parameters
    ----------
    scores : DataFrame with ``by``, ``date_col``, ``column`` and ``hits_<id>`` per frame.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    freq : a pandas frequency: ``"MS"`` (months), ``"W"`` (weeks), ``"QS"``, ``"YS"``...
    frames : frame ids; default every frame of ``scores`` (none if it has none).
    column : the score to average, or None.
    date_col : the column of publication dates.

    Returns
    -------
    DataFrame, one row per (period, group): ``period, group, n_articles, mean_<column>``
    and ``share_<frame>`` for each frame (share of the period's articles that use it).

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "polarity": [0.1, 0.3, 0, 0],
    ...     "published": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-01-07", "2024-02-01"])})
    >>> trends(scores, by="outlet", min_articles=1)[["period", "group", "n_articles"]].shape
    (4, 3)
    """
    helper = "trends"
    _check_freq(freq)
    _check_table(scores, by=by, helper=helper)
    _require(scores, [date_col] + ([column] if column is not None else []), helper=helper)
    dates = _dates(scores, date_col, helper=helper)
    undated = dates.isna()
    if undated.all():
        raise InputError(f"{helper}: no article has a date in {date_col!r}, so there is no "
                         "trend to draw.", fix="read the articles with their dates "
                         "(read_articles(date=...)), or pass date_col= the date column.")
    if undated.any():
        logger.warning("%s: %d of %d article(s) without a date left out.", helper,
                       int(undated.sum()), len(scores))
    dated = scores.assign(_date=dates)[~undated.to_numpy()]
    data, order = _select(dated, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    has_frames = frames is not None or any(
        isinstance(c, str) and c.startswith("hits_") for c in scores.columns)
    ids = _frame_ids(scores, frames, helper=helper) if has_frames else []
    index = {g: i for i, g in enumerate(order)}
    values = pd.DataFrame({"_group": data[by].astype(object).map(index), "_date": data["_date"]})
    if column is not None:
        values[f"mean_{column}"] = pd.to_numeric(data[column], errors="coerce")
    for f, used in zip(ids, _used(data, ids).T):
        values[f"share_{f}"] = used.astype("float64")
    grouper = pd.Grouper(key="_date", freq=freq)
    periods = values.groupby(grouper).size().index
    agg = values.groupby(["_group", grouper]).agg(
        n_articles=("_date", "size"),
        **{c: (c, "mean") for c in values.columns if c not in ("_group", "_date")})
    full = pd.MultiIndex.from_product([range(len(order)), periods], names=["_group", "_date"])
    agg = agg.reindex(full)
    agg["n_articles"] = agg["n_articles"].fillna(0).astype("int64")
    out = agg.reset_index().rename(columns={"_date": "period"})
    out["group"] = [order[i] for i in out["_group"]]
    out = out.sort_values(["period", "_group"], kind="stable").drop(columns="_group")
    measures = [c for c in out.columns if c not in ("period", "group", "n_articles")]
    return out[["period", "group", "n_articles", *measures]].reset_index(drop=True)


def _check_freq(freq: str) -> None:
    fix = "pass freq='MS' (months), 'W' (weeks), 'QS' (quarters) or 'YS' (years)."
    if not isinstance(freq, str) or not freq:
        raise OptionError(f"freq must be a pandas frequency string; got {freq!r}.", fix=fix)
    try:
        pd.tseries.frequencies.to_offset(freq)
    except ValueError as e:
        raise OptionError(f"freq={freq!r} is not a pandas frequency ({e}).", fix=fix) from e


# --- same-event comparison ------------------------------------------------------------


EVENT_COLUMNS = ["measure", "group", "n_articles", "n_events", "mean_deviation",
                 "deviation_lo", "deviation_hi", "mean_shared", "mean_all"]


def _event_deviations(data: pd.DataFrame, *, by: str, event: str, measures: list[str],
                      no_event: np.ndarray, min_groups: int) -> pd.DataFrame:
    """Each article's value of each measure minus its event's mean (the mean of the group
    means), on the events covered by ``min_groups`` groups: ``group, event, x, measure``
    (the measure's position), ``dev``."""
    long = []
    for j, m in enumerate(measures):
        values = pd.to_numeric(data[m], errors="coerce").to_numpy("float64")
        frame = pd.DataFrame({"group": data[by].to_numpy(), "event": data[event].to_numpy(),
                              "x": values, "measure": j})[~no_event & ~np.isnan(values)]
        coverage = frame.groupby("event", observed=True)["group"].nunique()
        kept = frame[frame["event"].isin(coverage.index[coverage >= min_groups])]
        group_means = kept.groupby(["event", "group"], observed=True)["x"].mean()
        event_means = group_means.groupby(level="event", observed=True).mean()
        long.append(kept.assign(
            dev=kept["x"] - kept["event"].map(event_means).to_numpy("float64")))
    return pd.concat(long, ignore_index=True)


def _group_deviation_rows(mine: pd.DataFrame, group: Hashable, measures: list[str],
                          everything: np.ndarray, *, n_boot: int, ci: float, seed: int
                          ) -> list[tuple]:
    """One group's :data:`EVENT_COLUMNS` rows, one per measure, from its deviations."""
    # one event x measure table of sums and counts, so all measures share resamples
    table = mine.groupby(["event", "measure"], observed=True).agg(
        dev=("dev", "sum"), x=("x", "sum"), n=("dev", "size")).unstack("measure",
                                                                       fill_value=0)
    table = table.reindex(columns=pd.MultiIndex.from_product(
        [["dev", "x", "n"], range(len(measures))]), fill_value=0)
    sums, raw, counts = (table[k].to_numpy("float64") for k in ("dev", "x", "n"))
    n_events = (counts > 0).sum(axis=0)
    lo = hi = np.full(len(measures), np.nan)
    if len(table) >= 2:

        def statistic(w: np.ndarray) -> np.ndarray:
            with np.errstate(divide="ignore", invalid="ignore"):
                return (w @ sums) / (w @ counts)

        lo, hi = _percentile(_bootstrap(len(table), n_boot=n_boot, rng=_rng(seed, group),
                                        statistic=statistic), ci)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_dev = sums.sum(axis=0) / counts.sum(axis=0)
        mean_shared = raw.sum(axis=0) / counts.sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a measure with no value: NaN
        mean_all = np.nanmean(everything, axis=0)
    rows = []
    for j, m in enumerate(measures):
        few = n_events[j] < 2
        rows.append((m, group, int(counts[:, j].sum()), int(n_events[j]), mean_dev[j],
                     np.nan if few else lo[j], np.nan if few else hi[j], mean_shared[j],
                     mean_all[j]))
    return rows


def within_event(
    scores: pd.DataFrame,
    *,
    by: str,
    event: str,
    frames: str | Sequence[str] | None = None,
    column: str | None = "polarity",
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    min_groups: int = 2,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare groups on the same stories, so the choice of stories does not pass for framing.

    Only events (stories) covered by at least ``min_groups`` of the compared groups are
    kept. Each article's score is taken as its deviation from its event's mean, where the
    event's mean is the mean of the *group* means within the event (an outlet that ran
    ten pieces on the story counts as much as one that ran one). A group's
    ``mean_deviation`` is the mean of its articles' deviations: positive means it scored
    higher than the other groups did on the same stories.

    ``deviation_lo, deviation_hi`` is a bootstrap percentile interval that resamples the
    group's *events* (all its articles on an event together, since they share the story;
    the same resamples for every measure), with the event means held fixed; it is NaN for
    a group with fewer than two events, and few events make a rough interval.
    ``mean_shared`` is the plain mean of the group's articles on the kept events;
    ``mean_all`` the plain mean of all its articles, for contrast.

    Parameters
    ----------
    scores : DataFrame with ``by``, ``event``, ``column`` and ``frame_<id>`` per frame.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    event : the column naming each article's event or story.
    frames : frame ids whose rates (``frame_<id>``, per 1,000 words) are compared; default
        every frame of ``scores`` (none if it has none).
    column : the score compared besides the frames (None for frames only).
    min_groups : keep events covered by at least this many groups (2 or more).
    n_boot, ci, seed : bootstrap resamples, interval level and random seed.

    Returns
    -------
    DataFrame, one row per (measure, group): ``measure, group, n_articles, n_events,
    mean_deviation, deviation_lo, deviation_hi, mean_shared, mean_all``; ``measure`` is
    ``column`` or ``frame_<id>``.

    Examples
    --------
    >>> scores = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "story": ["x", "y", "x", "z"],
    ...                        "polarity": [0.0, -0.5, 0.2, 0.5]})
    >>> within_event(scores, by="outlet", event="story", min_articles=1
    ...              )[["group", "mean_deviation", "mean_all"]].values.tolist()
    [['A', -0.1, -0.25], ['B', 0.1, 0.35]]
    """
    helper = "within_event"
    _check_boot(n_boot, ci, seed)
    _check_whole("min_groups", min_groups, minimum=2)
    _check_table(scores, by=by, helper=helper)
    if event not in scores.columns:
        raise MissingColumnError(
            f"{helper}: event={event!r} is not a column of the scores table; its columns are "
            f"{list(scores.columns)}.",
            fix="pass event= the column naming each article's story or event.")
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    has_frames = frames is not None or any(
        isinstance(c, str) and c.startswith("hits_") for c in scores.columns)
    ids = _frame_ids(scores, frames, helper=helper) if has_frames else []
    measures = ([column] if column is not None else []) + [f"frame_{f}" for f in ids]
    if not measures:
        raise OptionError(f"{helper}: nothing to compare: column=None and no frames.",
                          fix="pass column='polarity' or frames=.")
    _require(data, measures, helper=helper)
    no_event = _missing(data[event])
    if no_event.any():
        logger.warning("%s: %d article(s) without a %r value left out.", helper,
                       int(no_event.sum()), event)
    deviations = _event_deviations(data, by=by, event=event, measures=measures,
                                   no_event=no_event, min_groups=min_groups)
    everything = data[measures].apply(pd.to_numeric, errors="coerce").to_numpy("float64")
    positions = _positions(data, by, order)
    rows = []
    for g in order:
        rows += _group_deviation_rows(
            deviations[(deviations["group"] == g).to_numpy()], g, measures,
            everything[positions[g]], n_boot=n_boot, ci=ci, seed=seed)
    rows.sort(key=lambda r: measures.index(r[0]))
    if not any(r[3] for r in rows):
        raise InputError(f"{helper}: no {event!r} value is covered by at least {min_groups} of "
                         f"the groups {order}, so there is no same-event comparison to make.",
                         fix="pass a lower min_groups= (at least 2), more groups, or check "
                             "that the event labels match across groups.")
    out = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    out.attrs["ci"] = ci
    return out.astype({"n_articles": "int64", "n_events": "int64"})


# --- tone toward actors ---------------------------------------------------------------


_ACTOR_FIX = ("pass the per-(article, actor) tone table of framelens.actors (actor_tone), or "
              "rename your columns.")
_ACTOR_NEEDS = ["article_id", "actor", "mentions", "share_negative", "share_neutral",
                "share_positive", "net_tone"]
_SHARES = ["share_negative", "share_neutral", "share_positive"]


class _ActorTone(NamedTuple):
    """The mentions of the compared (group, actor) pairs, ready for the statistics."""

    long: pd.DataFrame  # actor, group, article_id, net_tone, mentions, share_*, [event], _a, _g
    order: list[Hashable]  # groups, in comparison order
    actors: list[Hashable]  # actors, in output order
    labels: dict[Hashable, str]
    sizes: pd.DataFrame  # ACTOR_SIZE_COLUMNS
    group_n: dict[Hashable, int]  # articles per group, mentioning an actor or not


def _check_actors(actors: object) -> list[Hashable] | None:
    if actors is None:
        return None
    wanted = [actors] if isinstance(actors, str) else actors
    ok = isinstance(wanted, Sequence) and len(wanted) > 0 and all(
        isinstance(a, Hashable) for a in wanted)
    if not ok:
        raise OptionError(f"actors must be an actor's name or a list of them; got {actors!r}.",
                          fix="pass actors=['Joe Biden', 'Democrats'], or None for all.")
    return list(dict.fromkeys(wanted))


def _name_pairs(pairs: pd.DataFrame, *, limit: int) -> str:
    """``'Biden' in 'Fox' (3), ...``, largest first, at most ``limit`` named."""
    ranked = pairs.sort_values("n_articles", ascending=False, kind="stable")
    named = ", ".join(f"{a!r} in {g!r} ({n})" for a, g, n in
                      zip(ranked["actor"][:limit], ranked["group"][:limit],
                          ranked["n_articles"][:limit]))
    if len(ranked) > limit:
        named += f" and {len(ranked) - limit} more (see actor_group_sizes)"
    return named


def _actor_tone(
    actor_tone: pd.DataFrame, scores: pd.DataFrame, *, by: str,
    groups: Sequence[Hashable] | None, min_articles: int, actors: object, helper: str,
    event: str | None = None, warn: bool = True,
) -> _ActorTone:
    """Check both tables, join each article's group to its actors, apply ``min_articles``."""
    wanted = _check_actors(actors)
    if not isinstance(actor_tone, pd.DataFrame):
        raise InputError(f"{helper} needs a DataFrame of tone per (article, actor); got "
                         f"{type(actor_tone).__name__}.", fix=_ACTOR_FIX)
    _require(actor_tone, _ACTOR_NEEDS, helper=helper, table="actor_tone", fix=_ACTOR_FIX)
    _check_table(scores, by=by, helper=helper)
    _require(scores, ["article_id"], helper=helper)
    if event is not None and event not in scores.columns:
        raise MissingColumnError(
            f"{helper}: event={event!r} is not a column of the scores table; its columns are "
            f"{list(scores.columns)}.",
            fix="pass event= the column naming each article's story or event.")
    data, order = _select(scores, by=by, groups=groups, min_articles=min_articles,
                          helper=helper)
    known_actors = set(actor_tone["actor"].dropna())
    if wanted is not None:
        unknown = [a for a in wanted if a not in known_actors]
        if unknown:
            shown = sorted(map(str, known_actors))[:20]
            raise OptionError(f"{helper}: actors {unknown} are not in the actor_tone table; "
                              f"its actors include {shown}.",
                              fix="pass actors= names from its 'actor' column.")
    duplicated = actor_tone.duplicated(["article_id", "actor"], keep=False).to_numpy()
    if duplicated.any():
        shown = actor_tone.loc[duplicated, ["article_id", "actor"]].drop_duplicates().head(5)
        raise InputError(
            f"{helper}: the actor_tone table has {int(duplicated.sum())} rows for "
            f"{len(actor_tone[duplicated].drop_duplicates(['article_id', 'actor']))} "
            f"(article, actor) pair(s) that should each have one, e.g. "
            f"{list(shown.itertuples(index=False, name=None))}.",
            fix="pass one row per (article_id, actor), as framelens.actors makes it.")
    every_article = pd.Index(scores["article_id"].drop_duplicates())
    outside = (every_article.get_indexer(actor_tone["article_id"]) < 0)
    if len(actor_tone) and outside.all():
        raise InputError(
            f"{helper}: no article_id of the actor_tone table is in the scores table (e.g. "
            f"{actor_tone['article_id'].iloc[0]!r} against {scores['article_id'].iloc[0]!r}), "
            "so they do not describe the same articles.",
            fix="pass the actor tone and the scores of the same corpus; article_id must have "
                "the same type (text) in both.")
    if outside.any():
        logger.warning("%s: %d actor_tone row(s) whose article is not in the scores table "
                       "left out.", helper, int(outside.sum()))
    columns = ["article_id", by] + ([event] if event is not None else [])
    owner = data[columns].drop_duplicates("article_id")
    where = pd.Index(owner["article_id"]).get_indexer(actor_tone["article_id"])
    tone = pd.to_numeric(actor_tone["net_tone"], errors="coerce").to_numpy("float64")
    if (np.abs(tone) > 1 + 1e-9).any():
        bad = int((np.abs(tone) > 1 + 1e-9).sum())
        raise InputError(f"{helper}: {bad} net_tone value(s) lie outside [-1, 1] (e.g. "
                         f"{tone[np.abs(tone) > 1 + 1e-9][0]!r}); net tone is share_positive "
                         "minus share_negative.", fix="pass the net_tone column of "
                         "framelens.actors, not a sum or a count.")
    no_actor = _missing(actor_tone["actor"])
    no_tone = np.isnan(tone) & ~no_actor & (where >= 0)
    if no_tone.any():
        logger.warning("%s: %d (article, actor) row(s) without a net_tone value left out.",
                       helper, int(no_tone.sum()))
    keep = (where >= 0) & ~no_actor & ~np.isnan(tone)
    if wanted is not None:
        keep &= actor_tone["actor"].isin(wanted).to_numpy()
    rows = actor_tone[keep]
    long = pd.DataFrame({
        "actor": rows["actor"].to_numpy(dtype=object),
        "group": owner[by].to_numpy(dtype=object)[where[keep]],
        "article_id": rows["article_id"].to_numpy(dtype=object),
        "net_tone": tone[keep],
        "mentions": pd.to_numeric(rows["mentions"], errors="coerce").to_numpy("float64"),
        **{s: pd.to_numeric(rows[s], errors="coerce").to_numpy("float64") for s in _SHARES},
    })
    if event is not None:
        long["event"] = owner[event].to_numpy(dtype=object)[where[keep]]
    labels: dict[Hashable, str] = {}
    if "label" in actor_tone.columns:
        named = actor_tone[~no_actor & ~_missing(actor_tone["label"])]
        labels = dict(zip(named["actor"], named["label"].astype(str)))
    counts = long.groupby(["actor", "group"], sort=False).agg(
        n_articles=("article_id", "size"), mentions=("mentions", "sum"))
    if wanted is None:
        per_actor = counts["n_articles"].groupby(level="actor", sort=False).sum()
        wanted = sorted(per_actor.index, key=lambda a: (-per_actor[a], str(a)))
    full = pd.MultiIndex.from_product([wanted, order], names=["actor", "group"])
    sizes = counts.reindex(full, fill_value=0).reset_index()
    n = sizes["n_articles"].to_numpy()
    sizes["included"] = n >= min_articles
    sizes["reason"] = np.where(n >= min_articles, "", np.where(
        n == 0, "no article mentions the actor",
        f"fewer than {min_articles} articles mention the actor (min_articles={min_articles})"))
    sizes.insert(1, "label", [labels.get(a, str(a)) for a in sizes["actor"]])
    sizes = sizes.astype({"n_articles": "int64", "included": "bool"})
    sizes["mentions"] = sizes["mentions"].round().astype("int64")
    small = sizes[(n > 0) & (n < min_articles)]
    if warn and len(small):
        logger.warning("%s: left out %d (actor, group) pair(s) with fewer than %d articles "
                       "mentioning the actor (min_articles): %s.", helper, len(small),
                       min_articles, _name_pairs(small, limit=20))
    kept = pd.MultiIndex.from_frame(sizes.loc[sizes["included"], ["actor", "group"]])
    long = long[pd.MultiIndex.from_frame(long[["actor", "group"]]).isin(kept)]
    actor_code = {a: i for i, a in enumerate(wanted)}
    group_code = {g: j for j, g in enumerate(order)}
    long = long.assign(_a=long["actor"].map(actor_code).astype("int64"),
                       _g=long["group"].map(group_code).astype("int64"))
    long = long.sort_values(["_a", "_g"], kind="stable").reset_index(drop=True)
    group_n = {g: len(p) for g, p in _positions(data, by, order).items()}
    return _ActorTone(long, order, list(wanted), labels, sizes[ACTOR_SIZE_COLUMNS], group_n)


def _blocks(tone: _ActorTone) -> dict[tuple[int, int], np.ndarray]:
    """Row positions of each kept (actor, group) pair, keyed by their codes, in output order."""
    if tone.long.empty:
        return {}
    return dict(sorted(tone.long.groupby(["_a", "_g"], sort=False).indices.items()))


def _actor_rng(seed: int, group: Hashable, actor: Hashable) -> np.random.Generator:
    """One stream per (group, actor): an interval stays put when actors or groups are added."""
    return _rng(seed, f"{group}\x1f{actor}")


def _mean_replicates(x: np.ndarray, *, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap replicates of the mean of ``x`` (cases resampled with replacement)."""
    n = len(x)
    return _bootstrap(n, n_boot=n_boot, rng=rng, statistic=lambda w: (w @ x) / n)


ACTOR_SIZE_COLUMNS = ["actor", "label", "group", "n_articles", "mentions", "included",
                      "reason"]


def actor_group_sizes(
    actor_tone: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str,
    actors: str | Sequence[Hashable] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
) -> pd.DataFrame:
    """How many of each group's articles mention each actor, and whether comparisons use them.

    Every ``actor_*`` helper of :mod:`framelens.compare` applies this rule: a group enters
    an actor's statistics only if at least ``min_articles`` of its articles mention the
    actor; the helpers name the pairs left out in a ``logging`` warning. Groups
    themselves are chosen as by :func:`group_sizes` (fewer than two is an error).

    Parameters
    ----------
    actor_tone : DataFrame with one row per (article, actor): ``article_id, actor,
        mentions, share_negative, share_neutral, share_positive, net_tone`` (``label``,
        the actor's readable name, is used when present).
    scores : DataFrame with ``article_id`` and ``by``: which group each article belongs to.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`).
    actors : the actors to include, in this order; ``None`` for all, the most mentioned
        (in most articles) first.

    Returns
    -------
    DataFrame, one row per (actor, group): ``actor, label, group, n_articles, mentions,
    included, reason``; ``n_articles`` counts the group's articles that mention the actor,
    ``reason`` says why a pair is left out.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": list("abcd"), "outlet": list("AABB")})
    >>> tone = pd.DataFrame({"article_id": ["a", "b", "c"], "actor": "Smith", "mentions": 1,
    ...                      "share_negative": [1.0, 0.0, 0.0], "share_neutral": 0.0,
    ...                      "share_positive": [0.0, 1.0, 1.0], "net_tone": [-1.0, 1.0, 1.0]})
    >>> actor_group_sizes(tone, scores, by="outlet", min_articles=2
    ...                   )[["group", "n_articles", "included"]].values.tolist()
    [['A', 2, True], ['B', 1, False]]
    """
    return _actor_tone(actor_tone, scores, by=by, groups=groups, min_articles=min_articles,
                       actors=actors, helper="actor_group_sizes", warn=False).sizes


ACTOR_TONE_COLUMNS = ["actor", "label", "group", "n_articles", "group_articles",
                      "share_of_articles", "mentions", "mean_net_tone", "net_tone_lo",
                      "net_tone_hi", "median_net_tone", "share_negative", "share_neutral",
                      "share_positive"]


def actor_tone_by_group(
    actor_tone: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str,
    actors: str | Sequence[Hashable] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Each group's tone toward each actor: mean net tone per article with a bootstrap CI.

    The unit is the article: ``mean_net_tone`` is the mean of the ``net_tone`` of the
    group's articles that mention the actor, each article counting once whatever its
    number of mentions (a piece that names a politician twenty times does not outweigh
    twenty pieces that name them once). ``net_tone_lo, net_tone_hi`` is a bootstrap
    percentile interval of that mean: the articles are resampled with replacement, from a
    stream seeded by ``(seed, group, actor)``, so an interval repeats for a seed and does
    not move when other groups or actors are added. ``share_negative``, ``share_neutral``
    and ``share_positive`` are pooled over mentions (``sum(share x mentions) /
    sum(mentions)``): of all the group's mentions of the actor, the share the tone model
    read as negative, neutral, positive. ``share_of_articles = n_articles /
    group_articles`` says how visible the actor is in the group.

    A (group, actor) pair with fewer than ``min_articles`` articles mentioning the actor
    is left out and named in a ``logging`` warning (:func:`actor_group_sizes` lists them
    all).

    Parameters
    ----------
    actor_tone : DataFrame with one row per (article, actor): ``article_id, actor,
        mentions, share_negative, share_neutral, share_positive, net_tone`` (and
        ``label``, the actor's readable name, when present); see ``framelens.actors``.
    scores : DataFrame with ``article_id`` and ``by``.
    by, groups, min_articles : which groups to compare (see :func:`group_sizes`);
        ``min_articles`` applies to each group's articles that mention the actor.
    actors : the actors to describe, in this order; ``None`` for all, the most mentioned
        first.
    n_boot, ci, seed : bootstrap resamples, interval level and random seed.

    Returns
    -------
    DataFrame, one row per (actor, group), actor by actor: ``actor, label, group,
    n_articles, group_articles, share_of_articles, mentions, mean_net_tone, net_tone_lo,
    net_tone_hi, median_net_tone, share_negative, share_neutral, share_positive``.
    ``attrs["ci"]`` holds the interval level. No actor: no rows, the same columns.

    See Also
    --------
    actor_tone_tests, actor_tone_pairwise : whether the tone differs.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "outlet": list("AABB")})
    >>> tone = pd.DataFrame({"article_id": list("abcd"), "actor": "Smith",
    ...                      "mentions": [3, 1, 1, 1], "share_negative": [1, 0, 0, 0.0],
    ...                      "share_neutral": [0, 1, 0, 0.0], "share_positive": [0, 0, 1, 1.0],
    ...                      "net_tone": [-1, 0, 1, 1.0]})
    >>> actor_tone_by_group(tone, scores, by="outlet", min_articles=2
    ...     )[["group", "mean_net_tone", "share_negative"]].values.tolist()
    [['A', -0.5, 0.75], ['B', 1.0, 0.0]]
    """
    helper = "actor_tone_by_group"
    _check_boot(n_boot, ci, seed)
    tone = _actor_tone(actor_tone, scores, by=by, groups=groups, min_articles=min_articles,
                       actors=actors, helper=helper)
    values = tone.long["net_tone"].to_numpy("float64")
    mentions = tone.long["mentions"].to_numpy("float64")
    shares = tone.long[_SHARES].to_numpy("float64")
    rows = []
    for (i, j), pos in _blocks(tone).items():
        actor, group = tone.actors[i], tone.order[j]
        x = values[pos]
        lo, hi = _percentile(_mean_replicates(x, n_boot=n_boot,
                                              rng=_actor_rng(seed, group, actor)), ci)
        m, s = mentions[pos], shares[pos]
        valid = ~np.isnan(s) & ~np.isnan(m)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = (np.where(valid, s, 0) * np.where(valid, m[:, None], 0)).sum(axis=0) / \
                np.where(valid, m[:, None], 0).sum(axis=0)
        n_group = tone.group_n[group]
        rows.append((actor, tone.labels.get(actor, str(actor)), group, len(x), n_group,
                     len(x) / n_group, int(round(np.nansum(m))), x.mean(), float(lo),
                     float(hi), float(np.median(x)), *pooled))
    out = pd.DataFrame(rows, columns=ACTOR_TONE_COLUMNS).astype(
        {"n_articles": "int64", "group_articles": "int64", "mentions": "int64"})
    out.attrs["ci"] = ci
    return out


ACTOR_TEST_COLUMNS = ["actor", "label", "test", "statistic", "dof", "p_value", "p_adjusted",
                      "epsilon_squared", "n", "n_groups"]


def _samples(tone: _ActorTone) -> dict[int, dict[Hashable, np.ndarray]]:
    """Per actor code: each kept group's net tones, groups in comparison order."""
    values = tone.long["net_tone"].to_numpy("float64")
    out: dict[int, dict[Hashable, np.ndarray]] = {}
    for (i, j), pos in _blocks(tone).items():
        out.setdefault(i, {})[tone.order[j]] = values[pos]
    return out


def _untested(tone: _ActorTone, samples: Mapping[int, Mapping], *, helper: str,
              min_articles: int) -> None:
    few = [tone.actors[i] for i in range(len(tone.actors)) if len(samples.get(i, {})) < 2]
    if few and len(tone.long):
        shown = ", ".join(repr(a) for a in few[:10]) + (
            f" and {len(few) - 10} more" if len(few) > 10 else "")
        logger.warning("%s: %d actor(s) not tested, mentioned in at least %d articles "
                       "(min_articles) of fewer than two groups: %s.", helper, len(few),
                       min_articles, shown)


def actor_tone_tests(
    actor_tone: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str,
    actors: str | Sequence[Hashable] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
) -> pd.DataFrame:
    """Test, actor by actor, whether the groups' tone toward the actor differs (Kruskal–Wallis).

    For each actor the samples are the net tones of each group's articles that mention it
    (one value per article), in the groups that have at least ``min_articles`` such
    articles. Kruskal–Wallis compares their rank distributions (ties corrected), with
    ``k - 1`` degrees of freedom; ``epsilon_squared = H / (n - 1)`` (0: no difference, 1:
    complete separation). ``p_adjusted`` is Benjamini–Hochberg over all actors tested
    (the family is this table). An actor whose net tone is one value throughout is not
    tested (NaN, outside the family); actors mentioned enough in fewer than two groups
    have no row and are named in a ``logging`` warning.

    Parameters
    ----------
    actor_tone : DataFrame with ``article_id, actor, mentions, share_negative,
        share_neutral, share_positive, net_tone`` (see :func:`actor_tone_by_group`).
    scores : DataFrame with ``article_id`` and ``by``.
    by, groups, min_articles : which groups to compare (see :func:`actor_group_sizes`).
    actors : the actors to test; ``None`` for all.

    Returns
    -------
    DataFrame, one row per actor: ``actor, label, test, statistic, dof, p_value,
    p_adjusted, epsilon_squared, n, n_groups`` (``n`` articles in ``n_groups`` groups).

    See Also
    --------
    actor_tone_pairwise : which pairs of groups differ.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": list("abcdef"), "outlet": list("AAABBB")})
    >>> tone = pd.DataFrame({"article_id": list("abcdef"), "actor": "Smith", "mentions": 1,
    ...                      "share_negative": 0.0, "share_neutral": 0.0,
    ...                      "share_positive": 0.0, "net_tone": [-1, -0.5, 0, 0.2, 0.5, 1]})
    >>> actor_tone_tests(tone, scores, by="outlet", min_articles=3
    ...                  )[["statistic", "epsilon_squared"]].round(3).values.tolist()
    [[3.857, 0.771]]
    """
    helper = "actor_tone_tests"
    tone = _actor_tone(actor_tone, scores, by=by, groups=groups, min_articles=min_articles,
                       actors=actors, helper=helper)
    samples = _samples(tone)
    _untested(tone, samples, helper=helper, min_articles=min_articles)
    rows = []
    for i, by_group in samples.items():
        if len(by_group) < 2:
            continue
        actor = tone.actors[i]
        statistic, dof, p, epsilon, n, k = _kruskal(list(by_group.values()))
        rows.append((actor, tone.labels.get(actor, str(actor)), "kruskal", statistic, dof, p,
                     np.nan, epsilon, n, k))
    out = pd.DataFrame(rows, columns=ACTOR_TEST_COLUMNS)
    out["p_adjusted"] = _fdr_bh(out["p_value"])
    return out.astype({"dof": "int64", "n": "int64", "n_groups": "int64",
                       "statistic": "float64", "p_value": "float64"})


PAIRWISE_ACTOR_COLUMNS = ["actor", "label", "group_a", "group_b", "n_a", "n_b", "mean_a",
                          "mean_b", "diff", "diff_lo", "diff_hi", "median_a", "median_b",
                          "statistic", "p_value", "p_adjusted", "rank_biserial"]


def actor_tone_pairwise(
    actor_tone: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str,
    actors: str | Sequence[Hashable] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare every pair of groups on their tone toward each actor (Mann–Whitney U).

    The values are the net tones of the articles that mention the actor, one per
    article. ``statistic`` is U of group a (two-sided; exact for small samples without
    ties, else the normal approximation). ``rank_biserial = 2 U_a / (n_a n_b) - 1``: the
    probability that an article of a is more positive toward the actor than one of b,
    minus the reverse (negative: a is more negative). ``diff = mean_a - mean_b`` with a
    bootstrap percentile interval ``diff_lo, diff_hi``: each group's articles resampled
    on their own, from the same streams as :func:`actor_tone_by_group`, so the
    difference's interval belongs with the means' intervals there. ``p_adjusted`` is
    Benjamini–Hochberg over all pairs of all actors (the family is this table). Only
    pairs in which both groups have ``min_articles`` articles mentioning the actor are
    compared.

    Parameters
    ----------
    actor_tone : DataFrame with ``article_id, actor, mentions, share_negative,
        share_neutral, share_positive, net_tone`` (see :func:`actor_tone_by_group`).
    scores : DataFrame with ``article_id`` and ``by``.
    by, groups, min_articles : which groups to compare (see :func:`actor_group_sizes`).
    actors : the actors to compare; ``None`` for all.
    n_boot, ci, seed : bootstrap resamples, interval level and random seed.

    Returns
    -------
    DataFrame, one row per (actor, pair of groups): ``actor, label, group_a, group_b, n_a,
    n_b, mean_a, mean_b, diff, diff_lo, diff_hi, median_a, median_b, statistic, p_value,
    p_adjusted, rank_biserial``. ``attrs["ci"]`` holds the interval level.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": list("abcdef"), "outlet": list("AAABBB")})
    >>> tone = pd.DataFrame({"article_id": list("abcdef"), "actor": "Smith", "mentions": 1,
    ...                      "share_negative": 0.0, "share_neutral": 0.0,
    ...                      "share_positive": 0.0, "net_tone": [-1, -0.5, 0, 0.2, 0.5, 1]})
    >>> actor_tone_pairwise(tone, scores, by="outlet", min_articles=3
    ...     )[["diff", "rank_biserial"]].round(2).values.tolist()
    [[-1.07, -1.0]]
    """
    helper = "actor_tone_pairwise"
    _check_boot(n_boot, ci, seed)
    tone = _actor_tone(actor_tone, scores, by=by, groups=groups, min_articles=min_articles,
                       actors=actors, helper=helper)
    samples = _samples(tone)
    _untested(tone, samples, helper=helper, min_articles=min_articles)
    rows = []
    for i, by_group in samples.items():
        actor = tone.actors[i]
        replicates = {g: _mean_replicates(x, n_boot=n_boot, rng=_actor_rng(seed, g, actor))
                      for g, x in by_group.items()} if len(by_group) >= 2 else {}
        for ga, gb in _pairs(list(by_group)):
            xa, xb = by_group[ga], by_group[gb]
            u, p, r = _mann_whitney(xa, xb)
            lo, hi = _percentile(replicates[ga] - replicates[gb], ci)
            rows.append((actor, tone.labels.get(actor, str(actor)), ga, gb, len(xa), len(xb),
                         xa.mean(), xb.mean(), xa.mean() - xb.mean(), float(lo), float(hi),
                         float(np.median(xa)), float(np.median(xb)), u, p, np.nan, r))
    out = pd.DataFrame(rows, columns=PAIRWISE_ACTOR_COLUMNS)
    out["p_adjusted"] = _fdr_bh(out["p_value"])
    out = out.astype({"n_a": "int64", "n_b": "int64", "statistic": "float64",
                      "p_value": "float64"})
    out.attrs["ci"] = ci
    return out


ACTOR_EVENT_COLUMNS = ["actor", "label", "group", "n_articles", "n_events", "mean_deviation",
                       "deviation_lo", "deviation_hi", "mean_shared", "mean_all"]


def actor_within_event(
    actor_tone: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str,
    event: str,
    actors: str | Sequence[Hashable] | None = None,
    groups: Sequence[Hashable] | None = None,
    min_articles: int = 5,
    min_groups: int = 2,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare groups' tone toward each actor on the same stories, as :func:`within_event` does.

    An outlet that covers a politician's scandal and another that covers their charity
    gala differ in tone toward them because of the stories they chose. For each actor,
    only events in which at least ``min_groups`` of the compared groups mention the actor
    are kept. Each article's net tone toward the actor is taken as its deviation from its
    event's mean, the mean of the *group* means on that event (an outlet with ten pieces
    counts as much as one with one). ``mean_deviation`` is the mean of the group's
    deviations: negative means the group was more negative toward the actor than the
    other groups were on the same stories.

    ``deviation_lo, deviation_hi`` is a bootstrap percentile interval that resamples the
    group's *events* (all its articles on an event together), with the event means held
    fixed, from a stream seeded by ``(seed, group, actor)``; NaN with fewer than two
    events. ``mean_shared`` is the plain mean of the group's articles on the kept events,
    ``mean_all`` that of all its articles mentioning the actor, for contrast. The
    ``min_articles`` rule (:func:`actor_group_sizes`) applies first; a kept group with no
    shared event has ``n_events`` 0 and NaN values. Actors without any shared event have
    no rows; if no actor has one, the table is empty and a ``logging`` warning says so.
    Articles without an ``event`` value are left out (counted in a warning).

    Parameters
    ----------
    actor_tone : DataFrame with ``article_id, actor, mentions, share_negative,
        share_neutral, share_positive, net_tone`` (see :func:`actor_tone_by_group`).
    scores : DataFrame with ``article_id``, ``by`` and ``event``.
    by, groups, min_articles : which groups to compare (see :func:`actor_group_sizes`).
    event : the column of ``scores`` naming each article's event or story.
    actors : the actors to compare; ``None`` for all.
    min_groups : keep events in which at least this many groups mention the actor (2 or
        more).
    n_boot, ci, seed : bootstrap resamples, interval level and random seed.

    Returns
    -------
    DataFrame, one row per (actor, group): ``actor, label, group, n_articles, n_events,
    mean_deviation, deviation_lo, deviation_hi, mean_shared, mean_all``; ``n_articles``
    and ``n_events`` count the group's articles and events on the kept events.
    ``attrs["ci"]`` holds the interval level.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": list("abcd"), "outlet": list("AABB"),
    ...                        "story": ["x", "y", "x", "z"]})
    >>> tone = pd.DataFrame({"article_id": list("abcd"), "actor": "Smith", "mentions": 1,
    ...                      "share_negative": 0.0, "share_neutral": 0.0,
    ...                      "share_positive": 0.0, "net_tone": [0.0, -0.5, 0.2, 0.5]})
    >>> actor_within_event(tone, scores, by="outlet", event="story", min_articles=1
    ...     )[["group", "mean_deviation", "mean_all"]].values.tolist()
    [['A', -0.1, -0.25], ['B', 0.1, 0.35]]
    """
    helper = "actor_within_event"
    _check_boot(n_boot, ci, seed)
    _check_whole("min_groups", min_groups, minimum=2)
    tone = _actor_tone(actor_tone, scores, by=by, groups=groups, min_articles=min_articles,
                       actors=actors, helper=helper, event=event)
    long = tone.long
    no_event = _missing(long["event"])
    if no_event.any():
        logger.warning("%s: %d (article, actor) row(s) without a %r value left out.", helper,
                       int(no_event.sum()), event)
    dated = long[~no_event]
    coverage = dated.groupby(["_a", "event"], sort=False)["_g"].transform("nunique")
    kept = dated[(coverage >= min_groups).to_numpy()]
    group_means = kept.groupby(["_a", "event", "_g"], sort=False)["net_tone"].mean()
    event_means = group_means.groupby(level=["_a", "event"], sort=False).mean()
    centre = event_means.reindex(pd.MultiIndex.from_frame(kept[["_a", "event"]])).to_numpy()
    kept = kept.assign(dev=kept["net_tone"].to_numpy("float64") - centre)
    per_event = kept.groupby(["_a", "_g", "event"], sort=False).agg(
        dev=("dev", "sum"), x=("net_tone", "sum"), n=("dev", "size"))
    events = {key: block for key, block in per_event.groupby(level=["_a", "_g"], sort=False)}
    shared = set(kept["_a"])
    all_values = long["net_tone"].to_numpy("float64")
    rows = []
    for (i, j), pos in _blocks(tone).items():
        if i not in shared:
            continue
        actor, group = tone.actors[i], tone.order[j]
        block = events.get((i, j))
        sums, raw, counts = ((block[k].to_numpy("float64") for k in ("dev", "x", "n"))
                             if block is not None else (np.array([]),) * 3)
        lo = hi = np.nan
        if len(counts) >= 2:

            def statistic(w: np.ndarray, sums=sums, counts=counts) -> np.ndarray:
                return (w @ sums) / (w @ counts)

            lo, hi = (float(v) for v in _percentile(_bootstrap(
                len(counts), n_boot=n_boot, rng=_actor_rng(seed, group, actor),
                statistic=statistic), ci))
        total = counts.sum()
        rows.append((actor, tone.labels.get(actor, str(actor)), group, int(total),
                     len(counts), sums.sum() / total if total else np.nan, lo, hi,
                     raw.sum() / total if total else np.nan, all_values[pos].mean()))
    if len(long) and not rows:
        logger.warning("%s: no %r value has an actor mentioned by at least %d of the groups "
                       "%s, so there is no same-event comparison to make.", helper, event,
                       min_groups, tone.order)
    out = pd.DataFrame(rows, columns=ACTOR_EVENT_COLUMNS).astype(
        {"n_articles": "int64", "n_events": "int64"})
    out.attrs["ci"] = ci
    return out


# --- plain-English summary ------------------------------------------------------------


def _p_text(p: float) -> str:
    return "adjusted p < 0.001" if p < 0.001 else f"adjusted p = {p:.3f}"


def _ci_label(table: pd.DataFrame | None) -> str:
    level = None if table is None else table.attrs.get("ci")
    return f"{level * 100:g}% CI" if level else "CI"


def _number(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text.replace("-", "\u2212")


def _lookup(table: pd.DataFrame | None, keys: Mapping[str, object]) -> pd.Series | None:
    if table is None:
        return None
    mask = np.ones(len(table), dtype=bool)
    for k, v in keys.items():
        if k not in table.columns:
            return None
        mask &= (table[k] == v).to_numpy()
    return table[mask].iloc[0] if mask.any() else None


def _validation_status(validation: pd.DataFrame | None) -> dict[str, tuple[bool, float]]:
    """Frame id → (reliable, alpha) for the frames a validation covers."""
    if validation is None:
        return {}
    alphas = (pd.to_numeric(validation["validation_alpha"], errors="coerce")
              if "validation_alpha" in validation.columns
              else pd.Series(np.nan, index=validation.index))
    return {str(frame): (bool(reliable), float(alpha))
            for frame, reliable, alpha in zip(validation["frame"], validation["reliable"],
                                              alphas)
            if not pd.isna(reliable)}


def _validation_text(status: tuple[bool, float] | None) -> str:
    """What a frame's validation says about a difference in its use."""
    if status is None:
        return (" Not yet a reliable finding: the frame has not been validated against "
                "human coders (framelens validate).")
    reliable, alpha = status
    shown = "" if math.isnan(alpha) else f", Krippendorff's \u03b1 = {alpha:.2f}"
    if reliable:
        return ""
    return (f" Not a reliable finding: the frame failed validation against human coders"
            f"{shown}, so the difference may be the codebook's error.")


def _frame_sentences(pairwise: pd.DataFrame, prevalence: pd.DataFrame | None, alpha: float,
                     labels: Mapping[str, str], max_frames: int | None = None,
                     validation: pd.DataFrame | None = None) -> list[str]:
    tested = pairwise[pairwise["p_adjusted"].notna()]
    reliable = tested[tested["p_adjusted"] < alpha]
    if reliable.empty:
        return [f"No frame was used by a reliably different share of articles in any two "
                f"groups (adjusted p < {alpha:g} in none of {len(tested)} pairwise tests)."]
    status = _validation_status(validation)
    # validated frames first, then frames not validated, then frames that failed
    standing = reliable["frame"].astype(str).map(
        lambda f: 1 if f not in status else 0 if status[f][0] else 2)
    reliable = reliable.assign(_size=reliable["cohens_h"].abs(), _standing=standing)
    reliable = reliable.sort_values(["_standing", "p_adjusted", "_size"],
                                    ascending=[True, True, False], kind="stable")
    label = _ci_label(prevalence)
    out = []
    rest = reliable.iloc[:0]
    if max_frames is not None and len(reliable) > max_frames:
        rest = reliable.iloc[max_frames:]
        reliable = reliable.head(max_frames)
    for _, row in reliable.iterrows():
        hi, lo = ("a", "b") if row["share_a"] >= row["share_b"] else ("b", "a")
        name = labels.get(row["frame"], row["frame"])
        parts = []
        for side in (hi, lo):
            share = row[f"share_{side}"]
            found = _lookup(prevalence, {"group": row[f"group_{side}"], "frame": row["frame"]})
            interval = (f" ({label} {found['share_lo'] * 100:.0f}\u2013"
                        f"{found['share_hi'] * 100:.0f}%)" if found is not None else "")
            of = " of articles" if side == hi else ""
            parts.append((row[f"group_{side}"], f"{share * 100:.0f}%{of}{interval}"))
        out.append(f"{parts[0][0]} used the {name} frame in {parts[0][1]}, against "
                   f"{parts[1][1]} for {parts[1][0]} ({_p_text(row['p_adjusted'])}, "
                   f"Cohen's h = {abs(row['cohens_h']):.2f})."
                   + _validation_text(status.get(str(row["frame"]))))
    if len(rest):
        more = len(rest)
        unsure = int((rest["_standing"] > 0).sum())
        caveat = (f", {unsure} of them on frames not validated or that failed validation"
                  if unsure else "")
        out.append(f"{more} more pair{'s' if more != 1 else ''} of groups differ in their "
                   f"use of a frame (adjusted p < {alpha:g}{caveat}); the table of pairwise "
                   "tests lists them all.")
    return out


def _corrected_sentences(pairwise: pd.DataFrame, prevalence: pd.DataFrame | None,
                         alpha: float, labels: Mapping[str, str]) -> tuple[list[str], set[str]]:
    """Sentences on corrected shares, and the frames they cover (measurable or not)."""
    frames = list(dict.fromkeys(pairwise["frame"].astype(str)))
    out = []
    unmeasurable = [f for f in frames
                    if pairwise.loc[pairwise["frame"].astype(str) == f, "corrected_diff"]
                    .isna().all()]
    tested = pairwise[pairwise["p_adjusted"].notna()]
    reliable = tested[tested["p_adjusted"] < alpha]
    reliable = reliable.assign(_size=reliable["corrected_diff"].abs()).sort_values(
        ["p_adjusted", "_size"], ascending=[True, False], kind="stable")
    label = _ci_label(prevalence)
    for _, row in reliable.iterrows():
        hi, lo = ("a", "b") if row["corrected_a"] >= row["corrected_b"] else ("b", "a")
        name = labels.get(row["frame"], row["frame"])
        parts = []
        for side in (hi, lo):
            found = _lookup(prevalence, {"group": row[f"group_{side}"], "frame": row["frame"]})
            interval = (f" ({label} {found['corrected_lo'] * 100:.0f}\u2013"
                        f"{found['corrected_hi'] * 100:.0f}%)" if found is not None else "")
            raw = f"{found['raw_share'] * 100:.0f}%" if found is not None else "?"
            parts.append((row[f"group_{side}"], f"{row[f'corrected_{side}'] * 100:.0f}%",
                          interval, raw))
        out.append(f"Corrected for the frame measure's error, {parts[0][0]} used the {name} "
                   f"frame in {parts[0][1]} of articles{parts[0][2]}, against {parts[1][1]}"
                   f"{parts[1][2]} for {parts[1][0]} (raw shares {parts[0][3]} and "
                   f"{parts[1][3]}; {_p_text(row['p_adjusted'])}, bootstrap over the articles "
                   "and the validation).")
    measurable = [f for f in frames if f not in unmeasurable]
    if measurable and reliable.empty:
        out.append("Corrected for the frame measure's error, no frame was used by a reliably "
                   f"different share of articles in any two groups (adjusted p < {alpha:g} in "
                   f"none of {len(tested)} pairwise tests).")
    for f in unmeasurable:
        out.append(f"The {labels.get(f, f)} frame is not measurable with this codebook: its "
                   "measure's sensitivity and specificity add up to 1 or less, so no share "
                   "of it can be corrected or compared.")
    return out, set(frames)


def _sentiment_sentences(pairwise: pd.DataFrame, described: pd.DataFrame | None,
                         alpha: float) -> list[str]:
    tested = pairwise[pairwise["p_adjusted"].notna()]
    reliable = tested[tested["p_adjusted"] < alpha]
    if reliable.empty:
        columns = " or ".join(dict.fromkeys(pairwise["column"].astype(str))) or "sentiment"
        return [f"No two groups differed reliably in {columns} (adjusted p < {alpha:g} in "
                f"none of {len(tested)} pairwise tests)."]
    reliable = reliable.assign(_size=reliable["rank_biserial"].abs()).sort_values(
        ["p_adjusted", "_size"], ascending=[True, False], kind="stable")
    label = _ci_label(described)
    out = []
    for _, row in reliable.iterrows():
        hi, lo = ("a", "b") if row["rank_biserial"] >= 0 else ("b", "a")
        column = row["column"]
        tone = column in ("polarity", "vader_compound")
        parts = []
        for side in (hi, lo):
            found = _lookup(described, {"column": column, "group": row[f"group_{side}"]})
            interval = (f", {label} {_number(found['mean_lo'])} to {_number(found['mean_hi'])}"
                        if found is not None else "")
            parts.append((row[f"group_{side}"], f"{_number(row[f'mean_{side}'])}{interval}"))
        verb = "were more positive" if tone else f"scored higher on {column}"
        out.append(f"Articles from {parts[0][0]} {verb} than those from {parts[1][0]} "
                   f"(mean {column} {parts[0][1]}, against {parts[1][1]}; "
                   f"{_p_text(row['p_adjusted'])}, rank-biserial r = "
                   f"{abs(row['rank_biserial']):.2f}).")
    return out


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _actor_sentences(pairwise: pd.DataFrame, described: pd.DataFrame | None, alpha: float,
                     labels: Mapping[Hashable, str], max_actors: int | None = None
                     ) -> list[str]:
    tested = pairwise[pairwise["p_adjusted"].notna()]
    reliable = tested[tested["p_adjusted"] < alpha]
    if pairwise.empty:
        return ["No actor was mentioned in enough articles of two groups to compare the tone "
                "toward it (see actor_group_sizes)."]
    if reliable.empty:
        return [f"No two groups differed reliably in their tone toward any actor (adjusted "
                f"p < {alpha:g} in none of {len(tested)} pairwise tests)."]
    reliable = reliable.assign(_size=reliable["rank_biserial"].abs()).sort_values(
        ["p_adjusted", "_size"], ascending=[True, False], kind="stable")
    more = 0
    if max_actors is not None and len(reliable) > max_actors:
        more = len(reliable) - max_actors
        reliable = reliable.head(max_actors)
    label = _ci_label(described)
    out = []
    for _, row in reliable.iterrows():
        actor = row["actor"]
        name = labels.get(actor) or (row["label"] if "label" in row.index
                                     and isinstance(row["label"], str) and row["label"]
                                     else str(actor))
        # the side the rank test puts lower, and the other
        low, high = ("a", "b") if row["rank_biserial"] < 0 else ("b", "a")
        group_low, group_high = row[f"group_{low}"], row[f"group_{high}"]
        if row[f"mean_{low}"] >= row[f"mean_{high}"]:
            # ranks and means disagree (a few extreme articles): say what was found
            first, second = low, high
            claim = (f"{group_low} tended to be more negative toward {name} than {group_high}, "
                     "though its mean net tone was not lower")
        elif row[f"mean_{low}"] >= 0:
            first, second = high, low
            claim = f"{group_high} was more positive toward {name} than {group_low}"
        else:
            first, second = low, high
            claim = f"{group_low} was more negative toward {name} than {group_high}"
        shown = []
        for side in (first, second):
            found = _lookup(described, {"actor": actor, "group": row[f"group_{side}"]})
            level = "" if any("(" in text for text in shown) else f"{label} "
            interval = (f" ({level}{_number(found['net_tone_lo'])} to "
                        f"{_number(found['net_tone_hi'])})" if found is not None else "")
            shown.append(f"{_number(row[f'mean_{side}'])}{interval}")
        out.append(_capital(
            f"{claim}: net tone {shown[0]} against {shown[1]} ({_p_text(row['p_adjusted'])}, "
            f"rank-biserial r = {abs(row['rank_biserial']):.2f})."))
    if more:
        out.append(f"{more} more pair{'s' if more != 1 else ''} of groups differ reliably in "
                   "their tone toward an actor; the table of pairwise tests lists them all.")
    return out


def summarize_actor_tone(
    pairwise: pd.DataFrame,
    *,
    by_group: pd.DataFrame | None = None,
    alpha: float = 0.05,
    actor_labels: Mapping[Hashable, str] | None = None,
    max_actors: int | None = None,
) -> list[str]:
    """Plain-English sentences about the reliable differences in tone toward actors.

    A difference is reliable when its Benjamini–Hochberg adjusted p-value (over all pairs
    of all actors, :func:`actor_tone_pairwise`) is below ``alpha``; only those are
    stated, the strongest evidence first (smallest adjusted p, then largest
    rank-biserial r). The direction is the Mann–Whitney test's (the sign of r). Each
    sentence names the group that was more negative toward the actor, or, when both
    groups' mean net tone is at least 0, the group that was more positive, and gives both
    means with their intervals (when ``by_group`` is passed), the adjusted p-value and
    the rank-biserial r. When the ranks and the means disagree (a few extreme articles),
    the sentence says so. Without any reliable difference, one sentence says so.

    Parameters
    ----------
    pairwise : output of :func:`actor_tone_pairwise`.
    by_group : output of :func:`actor_tone_by_group` (adds the means' intervals).
    alpha : the false discovery rate under which a difference counts as reliable.
    actor_labels : readable names by actor, overriding the tables' ``label`` column.
    max_actors : state at most this many differences (the strongest), then say how many
        more there are; None states them all.

    Returns
    -------
    list of str, one sentence per reliable difference (or one saying there is none).
    Numbers use the minus sign (−); an adjusted p below 0.001 is written "< 0.001".

    Examples
    --------
    >>> pairs = fl.actor_tone_pairwise(tone, scores, by="outlet")  # doctest: +SKIP
    >>> summarize_actor_tone(pairs, by_group=fl.actor_tone_by_group(tone, scores, by="outlet"))
    ... # doctest: +SKIP
    ['Fox News was more negative toward Democrats than The New York Times: net tone −0.21
    (95% CI −0.30 to −0.12) against −0.05 (−0.12 to 0.02) (adjusted p = 0.003,
    rank-biserial r = 0.31).']
    """
    _check_alpha(alpha)
    if max_actors is not None:
        _check_whole("max_actors", max_actors, minimum=1)
    helper = "summarize_actor_tone"
    _require(pairwise, PAIRWISE_ACTOR_COLUMNS, helper=helper, table="actor_tone_pairwise",
             fix="pass the output of actor_tone_pairwise.")
    if by_group is not None:
        _require(by_group, ["actor", "group", "net_tone_lo", "net_tone_hi"], helper=helper,
                 table="actor_tone_by_group", fix="pass the output of actor_tone_by_group.")
    return _actor_sentences(pairwise, by_group, alpha, actor_labels or {}, max_actors)


def _check_alpha(alpha: object) -> None:
    ok = isinstance(alpha, (int, float)) and not isinstance(alpha, bool) and 0 < alpha < 1
    if not ok:
        raise OptionError(f"alpha must be a number between 0 and 1; got {alpha!r}.",
                          fix="pass alpha=0.05.")


def _articles(n: object) -> str:
    return f"in {int(n)} article{'s' if int(n) != 1 else ''}"


def _keyness_sentences(table: pd.DataFrame, alpha: float, top_terms: int,
                       min_term_articles: int) -> list[str]:
    p = table["p_adjusted"] if "p_adjusted" in table.columns else table["p_value"]
    reliable = table[(p < alpha).to_numpy() & (table["direction"] == "target").to_numpy()
                     & (table["articles_target"] >= min_term_articles).to_numpy()]
    if reliable.empty:
        return [f"No term was reliably more frequent in one group than in the others "
                f"(adjusted p < {alpha:g})."]
    out = []
    for (group, reference), block in reliable.groupby(["group", "reference"], sort=False):
        block = block.sort_values("g2", ascending=False, kind="stable").head(top_terms)
        against = "the other groups" if reference == "rest" else reference
        terms = ", ".join(
            f"\u201c{t}\u201d ({_articles(n)}, log ratio {lr:.1f}, G\u00b2 = {g:.1f})"
            for t, n, lr, g in zip(block["term"], block["articles_target"], block["log_ratio"],
                                   block["g2"]))
        out.append(f"Terms most over-used by {group} against {against}: {terms}.")
    return out


def summarize_differences(
    *,
    frame_pairwise: pd.DataFrame | None = None,
    frame_prevalence: pd.DataFrame | None = None,
    sentiment_pairwise: pd.DataFrame | None = None,
    sentiment_by_group: pd.DataFrame | None = None,
    keyness: pd.DataFrame | None = None,
    actor_tone_pairwise: pd.DataFrame | None = None,
    actor_tone_by_group: pd.DataFrame | None = None,
    alpha: float = 0.05,
    top_terms: int = 5,
    frame_labels: Mapping[str, str] | None = None,
    max_frames: int | None = None,
    min_term_articles: int = 3,
    actor_labels: Mapping[Hashable, str] | None = None,
    max_actors: int | None = None,
    frame_validation: pd.DataFrame | None = None,
    corrected_pairwise: pd.DataFrame | None = None,
    corrected_prevalence: pd.DataFrame | None = None,
) -> list[str]:
    """Plain-English sentences about the differences that are statistically reliable.

    A difference is reliable when its Benjamini–Hochberg adjusted p-value is below
    ``alpha``. Each sentence gives both groups' values, their intervals (when the
    matching descriptive table is passed), the adjusted p-value and an effect size.
    A difference in a frame's use is a finding about framing only if the frame measures
    what human coders see: a sentence about a frame whose validation failed says so
    ("Not a reliable finding: the frame failed validation ..."), and so does one about a
    frame not validated (every frame, without ``frame_validation``); frames that passed
    come first, then those not validated, then those that failed.
    Sentences about frames come first, then sentiment, then tone toward actors (see
    :func:`summarize_actor_tone`), then terms; within each, the strongest evidence
    first. Each kind of table passed that holds no reliable difference gets a sentence
    saying so.

    Parameters
    ----------
    frame_pairwise, frame_prevalence : outputs of :func:`frame_pairwise` and
        :func:`frame_prevalence` (the second adds the share intervals).
    sentiment_pairwise, sentiment_by_group : outputs of :func:`sentiment_pairwise` and
        :func:`sentiment_by_group` (the second adds the mean intervals).
    keyness : output of :func:`keyness`; terms over-used by each target group.
    actor_tone_pairwise, actor_tone_by_group : outputs of :func:`actor_tone_pairwise` and
        :func:`actor_tone_by_group` (the second adds the mean intervals).
    alpha : the false discovery rate under which a difference counts as reliable.
    top_terms : how many terms to name per group.
    frame_labels : readable frame names by frame id, e.g. from the codebook.
    max_frames : name at most this many frame differences (the strongest), then say how
        many more there are; None names them all.
    min_term_articles : name a term for a group only when this many of the group's
        articles use it, so one long article (a name, a quoted document) is not presented
        as the group's vocabulary.
    actor_labels : readable actor names by actor, overriding the tables' ``label`` column.
    max_actors : state at most this many differences in tone toward actors, then say how
        many more there are; None states them all.
    frame_validation : one row per frame with ``frame``, ``reliable`` (True, False, or
        missing for a frame not validated) and ``validation_alpha``: the output of
        :func:`framelens.flag_frames` on any frame table, e.g.
        ``flag_frames(frame_tests, latest_validation(codebook="ai"))``.
    corrected_pairwise, corrected_prevalence : outputs of :func:`corrected_pairwise` and
        :func:`corrected_prevalence`. With them, the frame sentences use the shares
        corrected for the measure's error, say so and give the raw shares beside them;
        a frame that is not measurable (sensitivity + specificity <= 1) is named as such,
        and frames without a correction keep their raw sentences.

    Returns
    -------
    list of str, one sentence per reliable difference (or per "nothing found").

    Examples
    --------
    >>> pairs = fl.frame_pairwise(scores, by="outlet")  # doctest: +SKIP
    >>> summarize_differences(frame_pairwise=pairs,
    ...                       frame_prevalence=fl.frame_prevalence(scores, by="outlet"))
    ... # doctest: +SKIP
    ['Fox News used the security frame in 42% of articles (95% CI 35–49%), against 18%
    (95% CI 13–25%) for Reuters (adjusted p = 0.003, Cohen's h = 0.53).', ...]
    """
    _check_alpha(alpha)
    _check_whole("top_terms", top_terms, minimum=1)
    if (frame_pairwise is None and sentiment_pairwise is None and keyness is None
            and actor_tone_pairwise is None):
        raise OptionError("summarize_differences needs at least one table of tests.",
                          fix="pass frame_pairwise=, sentiment_pairwise=, "
                              "actor_tone_pairwise= or keyness=.")
    helper = "summarize_differences"
    out: list[str] = []
    if frame_pairwise is not None:
        _require(frame_pairwise, PAIRWISE_FRAME_COLUMNS, helper=helper, table="frame_pairwise",
                 fix="pass the output of frame_pairwise.")
        if frame_validation is not None:
            _require(frame_validation, ["frame", "reliable"], helper=helper,
                     table="frame_validation",
                     fix="pass flag_frames(comparison.frame_tests, latest_validation(...)).")
        corrected_frames: set[str] = set()
        if corrected_pairwise is not None:
            _require(corrected_pairwise, CORRECTED_PAIRWISE_COLUMNS, helper=helper,
                     table="corrected_pairwise", fix="pass the output of corrected_pairwise.")
            sentences, corrected_frames = _corrected_sentences(
                corrected_pairwise, corrected_prevalence, alpha, frame_labels or {})
            out += sentences
        raw_pairs = frame_pairwise[~frame_pairwise["frame"].astype(str).isin(corrected_frames)]
        if len(raw_pairs) or not corrected_frames:
            out += _frame_sentences(raw_pairs, frame_prevalence, alpha, frame_labels or {},
                                    max_frames, frame_validation)
    if sentiment_pairwise is not None:
        _require(sentiment_pairwise, PAIRWISE_SENTIMENT_COLUMNS, helper=helper,
                 table="sentiment_pairwise", fix="pass the output of sentiment_pairwise.")
        out += _sentiment_sentences(sentiment_pairwise, sentiment_by_group, alpha)
    if actor_tone_pairwise is not None:
        out += summarize_actor_tone(actor_tone_pairwise, by_group=actor_tone_by_group,
                                    alpha=alpha, actor_labels=actor_labels,
                                    max_actors=max_actors)
    if keyness is not None:
        _require(keyness, ["group", "reference", "term", "articles_target", "g2",
                           "log_ratio", "direction", "p_value"], helper=helper, table="keyness",
                 fix="pass the output of keyness.")
        out += _keyness_sentences(keyness, alpha, top_terms, min_term_articles)
    return out
