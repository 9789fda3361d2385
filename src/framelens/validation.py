"""Validation against human coding: does the codebook measure the frame?

This module owns the loop a reviewer asks for, "how do you know your dictionary
measures the frame?":

1. :func:`draw_sample` draws a reproducible, stratified sample of articles or sentences
   and scores it with framelens (the *machine* codes);
2. :func:`write_coding_sheet` writes the coding sheet coders fill in (CSV), a companion
   file with the coding instructions (``<sheet>.codebook.md``) and, in a separate file
   the coders never see, framelens's codes (``<sheet>.machine.csv``);
3. :func:`read_coding_sheet` reads the filled sheet back and refuses missing codes,
   unknown frame columns and codes outside the allowed values, naming file, row, column;
4. :func:`validate` measures agreement between the coders (Krippendorff's alpha) and
   between framelens and the coders (precision, recall, F1, accuracy, alpha with
   framelens as one more coder), and lists the units where they disagree most;
5. :func:`validation_html` renders the result as a self-contained page;
   :func:`latest_validation` and :func:`flag_frames` bring the figures into other reports.

The coding sheet (long format: one row per unit and coder, so any number of coders
can code the same units)::

    unit_id codebook article_id [sentence_id] outlet title coder  frame_<id> sentiment comment text
    u001    ai 1.0.0 3f2a...    [4]           ...    ...   coder1 0 or 1     -1, 0, 1  (free)  ...

``unit_id`` (``u001``, ``u002``...) keys the sheet to the machine file; it starts with a
letter so spreadsheets do not turn it into a number or a date. ``codebook`` records the
codebook's name and version ("ai 1.0.0", as the ``codebook`` column of the score tables);
it is how :func:`read_coding_sheet` knows which frame columns are valid. Every text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or with an
apostrophe) gets a leading apostrophe, so a spreadsheet shows it as text and never runs it
as a formula (CSV injection); the readers take the apostrophe off again.

What the machine codes are: a frame is present (1) in an article when the article uses
it (its evidence passes the codebook's threshold: the ``used`` column of
:func:`framelens.score_frames`, as "articles using the frame" in
:func:`framelens.frame_prevalence`), and in a sentence when one of its terms matches
there; sentiment is the unit's TextBlob polarity (for an article the word-weighted mean
of :func:`framelens.article_sentiment`) turned into -1 / 0 / 1 with framelens's neutral
band of ±0.05.

Levels of measurement: frames are nominal (present / absent); sentiment is ordinal by
default (negative < neutral < positive, with no claim that the steps are equal);
``sentiment_level="interval"`` is available. Thresholds follow Krippendorff (2004,
*Content Analysis*, 2nd ed., p. 241): rely on variables with alpha >= 0.800, draw only
tentative conclusions from 0.667 <= alpha < 0.800, and discard variables below 0.667.
Alpha is computed with the ``krippendorff`` package; the tests check it against the
worked example of Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability".

Tone toward actors (``unit="mention"``): one unit is one actor mentioned in one
sentence (:func:`framelens.actors.find_mentions`; when a sentence names the same actor
twice, its first mention stands for both). The sheet shows the sentence with the mention
marked ``[[like this]]``, the ``mention`` as written, the actor's ``label``, and one code
column, ``tone`` (-1 negative, 0 neutral, 1 positive, as ``sentiment``); instead of
``codebook`` it names the actor list in ``actors`` ("china-tech 1.0.0", or "names in the
articles" without a list). framelens's code is the tone model's label
(:func:`framelens.actors.score_mentions`), kept in the machine file with its
probabilities and the model's name, version and SHA-256. Tone is reported at two levels,
``sentiment_level`` (ordinal by default) and nominal, with precision, recall and F1 per
class (:attr:`Validation.per_class`) besides the macro averages::

    unit_id actors           article_id sentence_id outlet title actor label      mention
    u001    china-tech 1.0.0 3f2a...    4           ...    ...   xi    Xi Jinping Xi

    ... coder tone     comment text
    ... ana   -1, 0, 1 (free)   "... [[Xi]] said ..."
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import logging
import re
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Literal, NamedTuple

import krippendorff
import numpy as np
import pandas as pd

from framelens.codebook import Codebook, load_codebook, shipped_codebooks
from framelens.columns import require_columns
from framelens.errors import EmptyInputError, InputError, MissingColumnError, OptionError
from framelens.files import markdown_text, restore_cell, safe_table
from framelens.segment import ANALYSED_KINDS

log = logging.getLogger(__name__)

__all__ = [
    "AGREEMENT_COLUMNS",
    "CONFUSION_COLUMNS",
    "DISAGREEMENT_COLUMNS",
    "PER_CLASS_COLUMNS",
    "Validation",
    "draw_sample",
    "error_codes",
    "read_coded_table",
    "flag_frames",
    "krippendorff_alpha",
    "latest_validation",
    "read_coding_sheet",
    "validate",
    "validation_html",
    "write_coding_sheet",
]

Unit = Literal["article", "sentence", "mention"]
Level = Literal["nominal", "ordinal", "interval", "ratio"]

UNITS: tuple[str, ...] = ("article", "sentence", "mention")
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")
#: the codes a coder may enter in a ``frame_<id>`` column and in ``sentiment`` (and ``tone``)
FRAME_VALUES: tuple[int, ...] = (0, 1)
SENTIMENT_VALUES: tuple[int, ...] = (-1, 0, 1)
#: the tone model's labels as codes of the ``tone`` column
TONE_CODES: dict[str, int] = {"negative": -1, "neutral": 0, "positive": 1}
#: how a mention is marked in the sentence coders read
MENTION_MARKS: tuple[str, str] = ("[[", "]]")
#: the ``actors`` column of a mention sheet drawn without an actor list
FOUND_ACTORS = "names in the articles"
#: Krippendorff (2004, p. 241): below this, discard; up to 0.800, tentative conclusions only
MIN_ALPHA = 0.667
GOOD_ALPHA = 0.800
#: polarity within ±this is neutral, as :func:`framelens.article_sentiment`'s default
NEUTRAL_BAND = 0.05

AGREEMENT_COLUMNS = [
    "measure", "level", "alpha_coders", "n_units", "n_coders", "alpha_with_machine",
    "precision", "recall", "f1", "accuracy", "n_positive_human", "n_positive_machine",
    "n_compared", "n_ties", "label", "note", "codebook", "unit",
]
CONFUSION_COLUMNS = ["measure", "human", "machine", "count"]
PER_CLASS_COLUMNS = ["measure", "class", "code", "precision", "recall", "f1", "n_human",
                     "n_machine"]
_NUMERIC_AGREEMENT = ("alpha_coders", "n_units", "n_coders", "alpha_with_machine", "precision",
                      "recall", "f1", "accuracy", "n_positive_human", "n_positive_machine",
                      "n_compared", "n_ties")
DISAGREEMENT_COLUMNS = [
    "unit_id", "article_id", "sentence_id", "measure", "human", "machine", "disagreement",
    "human_codes", "machine_detail", "title", "excerpt",
]

_SHEET_FIX = ("use the sheet written by write_coding_sheet (framelens sample) and do not "
              "rename its columns.")
_EXCEL_CELL_LIMIT = 32_767
_EXCERPT_CHARS = 200
_CODE_RE = re.compile(r"^'?\s*([+-]?\d+)(?:\.0*)?\s*$")
_MAX_LISTED = 10
#: code columns whose codes are -1 / 0 / 1
_THREE_WAY = ("sentiment", "machine_sentiment", "tone", "machine_tone")
_MENTION_SHEET_FIX = ("use the sheet written by write_coding_sheet (framelens sample --unit "
                      "mention) and do not rename its columns.")
_MENTION_MACHINE_FIX = ("pass the .machine.csv written with the sheet by framelens sample "
                        "--unit mention (--machine PATH); it holds the tone model's codes.")


# --- small checks -------------------------------------------------------------------


def _check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if value not in choices:
        raise OptionError(f"{name} must be one of {list(choices)}; got {value!r}.",
                          fix=f"pass {name}={choices[0]!r} or another listed value.")


def _check_whole(name: str, value: object, *, minimum: int) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise OptionError(f"{name} must be a whole number of at least {minimum}; "
                          f"got {value!r}.", fix=f"pass {name}={max(minimum, 1)} or more.")


def _check_alpha(min_alpha: object) -> None:
    if not isinstance(min_alpha, (int, float)) or isinstance(min_alpha, bool) \
            or not 0 <= min_alpha <= 1:
        raise OptionError(f"min_alpha must be a number between 0 and 1; got {min_alpha!r}.",
                          fix=f"pass min_alpha={MIN_ALPHA} (Krippendorff's lowest "
                              f"acceptable alpha) or {GOOD_ALPHA}.")


def _codebook_label(codebook: Codebook) -> str:
    """How sheets and score tables name a codebook: ``"ai 1.0.0"``."""
    return f"{codebook.name} {codebook.version}"


def _listing(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    more = len(items) - _MAX_LISTED
    return shown + (f" (and {more} more)" if more > 0 else "")


# --- Krippendorff's alpha -------------------------------------------------------------


def _matrix(data: pd.DataFrame | np.ndarray | Sequence) -> np.ndarray:
    table = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    return table.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def _alpha_and_reason(matrix: np.ndarray, level: str) -> tuple[float, str | None]:
    """Alpha of a coders × units matrix, or NaN and why alpha is undefined."""
    pairable = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
    values = pairable[~np.isnan(pairable)]
    if values.size == 0:
        return np.nan, "no unit was coded by two or more coders"
    if np.unique(values).size < 2:
        code = values[0]
        return np.nan, (f"no variation: every code is {code:g}, and alpha is undefined "
                        "without variation")
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)), None


def krippendorff_alpha(
    data: pd.DataFrame | np.ndarray | Sequence, *, level: Level = "nominal"
) -> float:
    """Krippendorff's alpha of a reliability data matrix.

    Parameters
    ----------
    data : one row per coder, one column per unit (Krippendorff's layout), numeric codes;
        NaN or None where a coder did not code a unit. Units coded by fewer than two
        coders do not count, as in Krippendorff's definition.
    level : level of measurement: ``"nominal"``, ``"ordinal"``, ``"interval"`` or
        ``"ratio"``.

    Returns
    -------
    float; NaN when alpha is undefined (no unit with two codes, or no variation at all).

    Examples
    --------
    >>> krippendorff_alpha([[1, 1, 0, 0], [1, 1, 0, 1]], level="nominal")  # doctest: +ELLIPSIS
    0.53...
    """
    _check_choice("level", level, LEVELS)
    return _alpha_and_reason(_matrix(data), level)[0]


# --- drawing the sample -----------------------------------------------------------------


def _usable(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles a coder and framelens can both code: English text that is not empty."""
    has_text = articles["text"].map(lambda t: isinstance(t, str) and bool(t.strip()))
    english = articles["is_english"].fillna(True).astype(bool) if "is_english" in articles \
        else pd.Series(True, index=articles.index)
    keep = has_text & english
    if (~keep).any():
        log.warning("%d article(s) without text or not in English are left out of the "
                    "sample frame.", int((~keep).sum()))
    usable = articles[keep]
    if usable.empty:
        raise EmptyInputError("no article has English text to sample.",
                              fix="check the text column of the corpus.")
    return usable


def _sentence_pool(articles: pd.DataFrame, meta: Sequence[str]) -> pd.DataFrame:
    from framelens.segment import split_paragraphs, split_sentences

    sentences = split_sentences(split_paragraphs(articles[["article_id", "title", "text"]]))
    sentences = sentences[sentences["kind"].isin(ANALYSED_KINDS)
                          & sentences["text"].str.strip().astype(bool)]
    meta = [c for c in meta if c != "article_id"]
    return sentences.merge(articles[["article_id", *meta]], on="article_id", how="left")


def _actors_label(actors: object) -> str:
    """How sheets name an actor list: ``"china-tech 1.0.0"``, or :data:`FOUND_ACTORS`."""
    return FOUND_ACTORS if actors is None else f"{actors.name} {actors.version}"


def _mention_pool(articles: pd.DataFrame, meta: Sequence[str], actors: object) -> pd.DataFrame:
    """One row per (sentence, actor): the actor's first mention in the sentence."""
    from framelens.actors import find_mentions
    from framelens.segment import split_paragraphs, split_sentences

    # the whole articles go in, so names without a list resolve as in the reports
    sentences = split_sentences(split_paragraphs(articles[["article_id", "title", "text"]]))
    mentions = find_mentions(sentences, actors=actors)
    if mentions.empty:
        which = f"of actor list {_actors_label(actors)!r} " if actors is not None else ""
        raise EmptyInputError(f"no actor {which}is mentioned in the corpus, so there is no "
                              "mention to sample.",
                              fix="check the actor list's names against the articles "
                                  "(framelens.actors.unmatched_actors), or leave --actors "
                                  "out to use the names the articles mention.")
    mentions = mentions.sort_values(["article_id", "sentence_id", "actor", "start", "end"],
                                    kind="stable")
    mentions = mentions.drop_duplicates(["article_id", "sentence_id", "actor"])
    meta = [c for c in meta if c not in ("article_id", *mentions.columns)]
    columns = ["article_id", "sentence_id", "actor", "label", "mention", "start", "end", "text"]
    return mentions[columns].merge(articles[["article_id", *meta]], on="article_id",
                                   how="left")


def _tone_codes(units: pd.DataFrame, *, tone_model: object) -> pd.DataFrame:
    """framelens's tone toward the actor of each sampled mention, in the order of ``units``."""
    from framelens.actors import score_mentions

    scored = score_mentions(units[["text", "start", "end"]], model=tone_model)
    out = pd.DataFrame(index=range(len(units)))
    out["machine_tone"] = scored["tone_label"].map(TONE_CODES).astype("Int64").to_numpy()
    out["machine_tone_label"] = scored["tone_label"].to_numpy()
    for label in TONE_CODES:
        out[f"machine_tone_{label}"] = scored[f"tone_{label}"].to_numpy()
    out["machine_tone_score"] = scored["tone_score"].to_numpy()
    out["machine_tone_truncated"] = scored["tone_truncated"].to_numpy()
    return out


def _allocate(sizes: pd.Series, n: int) -> pd.Series:
    """Proportional allocation by largest remainders, then at least one per stratum.

    ``sizes`` is indexed by stratum, in a fixed order; ``n`` is at most ``sizes.sum()``.
    Strata that get nothing by proportion each take one unit from the stratum whose
    allocation most exceeds its exact share (when ``n`` is at least the number of strata).
    """
    quota = sizes * n / sizes.sum()
    alloc = np.floor(quota).astype("int64")
    remainder = quota - alloc
    left = n - int(alloc.sum())
    # largest remainder first; ties to the larger stratum, then to the earlier one
    order = sorted(range(len(sizes)), key=lambda i: (-remainder.iloc[i], -sizes.iloc[i], i))
    for i in order[:left]:
        alloc.iloc[i] += 1
    if n >= len(sizes):
        for i in sorted(range(len(sizes)), key=lambda i: (-quota.iloc[i], i)):
            if alloc.iloc[i] > 0:
                continue
            surplus = (alloc - quota).where(alloc >= 2)
            donor = int(np.nanargmax(surplus.to_numpy(dtype="float64")))
            alloc.iloc[donor] -= 1
            alloc.iloc[i] += 1
    return alloc


def _stratified(pool: pd.DataFrame, *, n: int, stratify: str | None, seed: int,
                key: list[str]) -> pd.DataFrame:
    """Rows of ``pool`` drawn proportionally per stratum, in a seeded random order."""
    pool = pool.sort_values(key, kind="stable").reset_index(drop=True)
    if stratify is None:
        strata = pd.Series("all", index=pool.index)
    else:
        strata = pool[stratify].map(lambda v: "(missing)" if pd.isna(v) or v == "" else str(v))
    sizes = strata.value_counts().sort_index()
    if n >= len(pool):
        log.warning("n=%d is at least the number of units (%d); the sample is every unit.",
                    n, len(pool))
        n = len(pool)
    alloc = _allocate(sizes, n)
    if stratify is not None and (alloc == 0).any():
        log.warning("n=%d is smaller than the number of strata (%d); %d stratum(s) get no "
                    "unit: %s", n, len(sizes), int((alloc == 0).sum()),
                    list(alloc.index[alloc == 0][:_MAX_LISTED]))
    rng = np.random.default_rng(seed)
    picked = []
    for stratum, count in alloc.items():
        rows = np.flatnonzero((strata == stratum).to_numpy())
        picked.extend(rows[np.sort(rng.choice(len(rows), size=int(count), replace=False))])
    order = rng.permutation(len(picked))
    return pool.iloc[np.asarray(picked, dtype="int64")[order]].reset_index(drop=True)


def _terms_text(matches: pd.DataFrame, key: list[str]) -> pd.Series:
    """``"cooperat* (2); public good* (1)"`` per (key..., frame): the terms that matched."""
    if matches.empty:
        return pd.Series(dtype=object)
    counts = matches.groupby([*key, "frame", "term"], sort=False).size().rename("n")
    counts = counts.reset_index().sort_values([*key, "frame", "n", "term"],
                                              ascending=[*[True] * len(key), True, False, True],
                                              kind="stable")
    counts["item"] = counts["term"] + " (" + counts["n"].astype(str) + ")"
    return counts.groupby([*key, "frame"], sort=False)["item"].agg("; ".join)


def _sentiment_code(polarity: pd.Series) -> pd.Series:
    codes = np.select([polarity > NEUTRAL_BAND, polarity < -NEUTRAL_BAND], [1, -1], 0)
    return pd.Series(codes, index=polarity.index).astype("Int64").where(polarity.notna())


def _machine_codes(units: pd.DataFrame, *, codebook: Codebook, unit: str) -> pd.DataFrame:
    """framelens's codes of the sampled units, in the order of ``units``."""
    from framelens.framing import match_frames, score_frames
    from framelens.segment import split_paragraphs, split_sentences
    from framelens.sentiment import article_sentiment, score_sentiment

    if unit == "article":
        # the steps of framelens.analyze that make hits_<id> and polarity, with its defaults
        key = ["article_id"]
        sentences = score_sentiment(split_sentences(split_paragraphs(
            units[["article_id", "title", "text"]])), vader=False)
        matches = match_frames(sentences, codebook=codebook)
        frames = score_frames(sentences, matches, codebook=codebook)
        hits_table = frames.pivot(index="article_id", columns="frame", values="hits")
        hits_table = hits_table.reindex(units["article_id"]).fillna(0)
        hits = {f: hits_table[f] for f in codebook.frame_ids}
        used_table = frames.pivot(index="article_id", columns="frame", values="used")
        used_table = used_table.reindex(units["article_id"]).fillna(False).astype(bool)
        present = {f: used_table[f].to_numpy() for f in codebook.frame_ids}
        polarity = article_sentiment(sentences).set_index("article_id")["polarity"]
        polarity = polarity.reindex(units["article_id"]).astype("float64")
    else:
        key = ["article_id", "sentence_id"]
        polarity = score_sentiment(units, vader=False)["polarity"].astype("float64")
        matches = match_frames(units, codebook=codebook)
        counts = matches.groupby([*key, "frame"]).size().to_dict()
        keys = list(units[key].itertuples(index=False, name=None))
        hits = {f: [counts.get((*k, f), 0) for k in keys] for f in codebook.frame_ids}
        present = {f: np.asarray(hits[f]) > 0 for f in codebook.frame_ids}
    terms = _terms_text(matches, key)
    out = pd.DataFrame(index=range(len(units)))
    for frame_id in codebook.frame_ids:
        out[f"machine_frame_{frame_id}"] = present[frame_id].astype("int64")
    out["machine_sentiment"] = _sentiment_code(polarity.reset_index(drop=True))
    out["machine_polarity"] = polarity.to_numpy()
    for frame_id in codebook.frame_ids:
        out[f"machine_hits_{frame_id}"] = np.asarray(hits[frame_id], dtype="int64")
    keys = list(units[key].itertuples(index=False, name=None))
    for frame_id in codebook.frame_ids:
        out[f"machine_terms_{frame_id}"] = [terms.get((*k, frame_id), "") for k in keys]
    return out


def draw_sample(
    articles: pd.DataFrame,
    *,
    n: int,
    stratify: str | None = None,
    unit: Unit = "article",
    seed: int = 0,
    codebook: Codebook | str | PathLike = "ai",
    actors: object = None,
    tone_model: object = None,
    uncertain: object = None,
    random_share: float = 0.2,
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """Draw a reproducible sample of articles, sentences or actor mentions for human
    coding, with framelens's own codes of each unit.

    Sampling is proportional stratified sampling without replacement: each stratum (a
    value of ``stratify``; a missing value is a stratum of its own) gets a share of ``n``
    proportional to its number of units, rounded by largest remainders, and every stratum
    gets at least one unit when ``n`` is at least the number of strata (taken from the
    stratum whose share was rounded up most). Within a stratum units are drawn at random.
    Articles without text or not in English are left out first (a warning says how
    many). With ``unit="sentence"`` the units are the sentences of the headline,
    subheadings and body (:data:`framelens.ANALYSED_KINDS`), so strata are weighted by
    their number of sentences. With ``unit="mention"`` the units are the (sentence,
    actor) pairs of :func:`framelens.actors.find_mentions` (the actor's first mention in
    the sentence stands for any other), strata weighted by their number of mentions, and
    framelens's code is the tone model's label toward the actor.

    The sample is deterministic: the same units and the same ``seed`` give the same
    sample, whatever the order of the input rows (units are sorted by id before drawing).
    The rows come in a seeded random order, the order coders will see them in, so no
    outlet is coded in one block.

    Parameters
    ----------
    articles : one row per article (:func:`framelens.read_articles`); needs
        ``article_id`` and ``text``; ``title``, ``outlet`` and ``is_english`` are used
        when present.
    n : number of units to draw; all of them when ``n`` is larger.
    stratify : column to stratify by (``outlet``, ``bias_text``...), or None for a
        simple random sample; mentions may also be stratified by ``actor``.
    unit : ``"article"``, ``"sentence"`` or ``"mention"``.
    seed : seed of the random draw.
    codebook : the codebook whose frames are coded (a :class:`Codebook`, a shipped name
        or a YAML path); framelens codes the sample with it. Not used for mentions.
    actors : mentions only: an actor list (:func:`framelens.actors.load_actors`, a
        shipped name such as ``"china-tech"`` or a ``.yml`` path), or None for the
        people and organisations the articles name.
    tone_model : mentions only: the tone model's folder, or None for the shipped one.
    uncertain : articles only: learned frames (:func:`framelens.learn_frames`, object or
        path). Instead of a stratified sample, draw where the model is least sure
        (:func:`framelens.models.frames.uncertain_units`), with ``random_share`` of the
        units drawn at random; the column ``drawn`` says which is which.
    random_share : with ``uncertain``, the share of units drawn at random.
    exclude : article ids not to draw (the articles already coded).

    Returns
    -------
    DataFrame, one row per unit: ``unit_id`` (``u001``...), ``article_id``,
    ``sentence_id`` (sentence units only), ``outlet``, ``title``, the ``stratify``
    column, ``text`` (the article's body, or the sentence), ``codebook`` (``"ai 1.0.0"``),
    and framelens's codes: ``machine_frame_<id>`` (1 when a term of the frame matches),
    ``machine_sentiment`` (-1/0/1 from ``machine_polarity`` with the neutral band
    ±0.05), ``machine_polarity``, ``machine_hits_<id>`` (number of matches) and
    ``machine_terms_<id>`` (the terms that matched, with counts). Mention units have
    instead ``unit_id, article_id, sentence_id, outlet, title``, the ``stratify``
    column, ``actor`` (id), ``label``, ``mention`` (as written), ``start``, ``end``
    (its characters in the sentence, end exclusive), ``text`` (the sentence),
    ``actors`` (``"china-tech 1.0.0"`` or ``"names in the articles"``), ``tone_model``
    (name, version and SHA-256) and framelens's codes: ``machine_tone`` (-1/0/1),
    ``machine_tone_label``, ``machine_tone_negative``, ``machine_tone_neutral``,
    ``machine_tone_positive``, ``machine_tone_score`` and ``machine_tone_truncated``.

    See Also
    --------
    write_coding_sheet : writes the sample as a coding sheet, machine codes kept apart.

    Examples
    --------
    >>> arts = fl.read_articles("../shared/data/allsides-china-tech/articles.jsonl")
    >>> sample = draw_sample(arts, n=200, stratify="outlet", seed=1)  # doctest: +SKIP
    """
    _check_whole("n", n, minimum=1)
    _check_choice("unit", unit, UNITS)
    _check_whole("seed", seed, minimum=0)
    if uncertain is not None and (unit != "article" or stratify is not None):
        raise OptionError("uncertain= draws articles where learned frames are least sure; "
                          f"it cannot be combined with unit={unit!r} or stratify=.",
                          fix="pass unit='article' and no stratify with uncertain=.")
    if unit != "mention" and (actors is not None or tone_model is not None):
        raise OptionError(f"actors and tone_model are for unit='mention', not {unit!r}.",
                          fix="pass unit='mention' (--unit mention), or leave actors and "
                              "tone_model out.")
    fix = "read the corpus with fl.read_articles, or rename your columns."
    require_columns(articles, ["article_id", "text"], helper="draw_sample", fix=fix)
    if stratify is not None and not (unit == "mention" and stratify == "actor"):
        require_columns(articles, [stratify], helper=f"draw_sample(stratify={stratify!r})",
                        fix="pass the name of a column of the corpus, e.g. stratify='outlet'.")
    if unit == "mention":
        from framelens.actors import load_actors

        actor_list = None if actors is None else load_actors(actors)
    else:
        codebook = load_codebook(codebook)
    articles = _usable(articles).reset_index(drop=True)
    if len(exclude):
        articles = articles[~articles["article_id"].astype(str).isin(
            set(map(str, exclude)))].reset_index(drop=True)
    for column in ("title", "outlet"):
        if column not in articles:
            articles[column] = ""
    meta = ["article_id", "outlet", "title"] + (
        [stratify] if stratify not in (None, "article_id", "outlet", "title", "text") else [])
    if unit == "mention":
        meta = [c for c in meta if c != "actor"]
        return _draw_mentions(articles, n=n, stratify=stratify, seed=seed, meta=meta,
                              actors=actor_list, tone_model=tone_model)
    if unit == "article":
        pool = articles[[*meta, *[c for c in ("published", "text") if c in articles]]]
        key = ["article_id"]
    else:
        pool = _sentence_pool(articles, meta)
        key = ["article_id", "sentence_id"]
    if uncertain is not None:
        sample = _uncertain_sample(pool, uncertain, n=n, codebook=codebook, seed=seed,
                                   random_share=random_share)
        meta = [*meta, "drawn"]
    else:
        sample = _stratified(pool, n=n, stratify=stratify, seed=seed, key=key)
    machine = _machine_codes(sample, codebook=codebook, unit=unit)
    width = max(3, len(str(len(sample))))
    ids = pd.DataFrame({"unit_id": [f"u{i:0{width}d}" for i in range(1, len(sample) + 1)]})
    columns = ["article_id", *(["sentence_id"] if unit == "sentence" else []),
               *[c for c in meta if c != "article_id"], "text"]
    out = pd.concat([ids, sample[columns], machine], axis=1)
    out.insert(out.columns.get_loc("text") + 1, "codebook", _codebook_label(codebook))
    out.attrs["stratify"] = stratify
    log.info("drew %d %s(s) with seed %d%s.", len(out), unit, seed,
             f", stratified by {stratify}" if stratify else "")
    return out


def _uncertain_sample(pool: pd.DataFrame, model: object, *, n: int, codebook: Codebook,
                      seed: int, random_share: float) -> pd.DataFrame:
    """The articles of ``pool`` drawn by uncertainty, in a seeded random order."""
    from framelens.models.frames import uncertain_units

    drawn = uncertain_units(model, pool, n=n, codebook=codebook, seed=seed,
                            random_share=random_share)
    sample = pool.drop_duplicates("article_id").set_index("article_id") \
        .loc[drawn["article_id"]].reset_index()
    sample["drawn"] = drawn["drawn"].to_numpy()
    order = np.random.default_rng(seed).permutation(len(sample))
    return sample.iloc[order].reset_index(drop=True)


def _draw_mentions(articles: pd.DataFrame, *, n: int, stratify: str | None, seed: int,
                   meta: list[str], actors: object, tone_model: object) -> pd.DataFrame:
    from framelens.models.tone import tone_model_info

    pool = _mention_pool(articles, meta, actors)
    sample = _stratified(pool, n=n, stratify=stratify, seed=seed,
                         key=["article_id", "sentence_id", "actor", "start"])
    info = tone_model_info(tone_model)
    width = max(3, len(str(len(sample))))
    ids = pd.DataFrame({"unit_id": [f"u{i:0{width}d}" for i in range(1, len(sample) + 1)]})
    columns = ["article_id", "sentence_id", *[c for c in meta if c != "article_id"],
               "actor", "label", "mention", "start", "end", "text"]
    out = pd.concat([ids, sample[columns], _tone_codes(sample, tone_model=tone_model)],
                    axis=1)
    out.insert(out.columns.get_loc("text") + 1, "actors", _actors_label(actors))
    out.insert(out.columns.get_loc("actors") + 1, "tone_model",
               f"{info['name']} {info['version']} sha256:{info['sha256']}")
    out.attrs["stratify"] = stratify
    out.attrs["actors"] = actors
    log.info("drew %d mention(s) with seed %d%s.", len(out), seed,
             f", stratified by {stratify}" if stratify else "")
    return out


# --- writing the coding sheet -------------------------------------------------------------


def _instructions(codebook: Codebook, *, sheet: Path, unit: str, coders: Sequence[str],
                  n_units: int, extra: Sequence[str]) -> str:
    """The companion file: what each column means, the allowed values, how to code."""

    cell = markdown_text  # labels, descriptions and names show as written (no markup)

    def code(name: str) -> str:  # a column name in a code span, which shows HTML as text
        return "`" + " ".join(str(name).split()).replace("`", "'").replace("|", "\\|") + "`"

    what = "article (its title and text)" if unit == "article" else "sentence"
    read = ("the article: its `title` and its `text`" if unit == "article" else
            "the sentence in `text`; the `title` is context only, code the sentence alone")
    lines = [
        f"# Coding instructions for {sheet.name}",
        "",
        f"Codebook: **{cell(codebook.title)}** ({cell(_codebook_label(codebook))}). "
        f"Unit of coding: one {what}. {n_units} units; coders: {cell(', '.join(coders))}.",
        "",
        "## How to code",
        "",
        f"1. Open `{sheet.name}` in a spreadsheet (Excel, LibreOffice Calc, Google Sheets). "
        "There is one row per unit and coder: filter the `coder` column to your name and "
        "code only your rows.",
        f"2. Read {read}.",
        "3. In each `frame_...` column enter **1** if the text uses the frame as described "
        "below, **0** if it does not. Judge the meaning, not single words: a frame can be "
        "present without any particular word, and a word can appear without the frame.",
        "4. In `sentiment` enter the tone of the text as a whole: **-1** negative, "
        "**0** neutral, balanced or mixed, **1** positive. Code the tone of the text, "
        "not whether you agree with it.",
        "5. Leave no code empty. When unsure, give your best code and say why in `comment`.",
        "6. Code on your own: do not discuss units with other coders until all are done.",
        "7. Do not edit `unit_id`, `coder` or `codebook`, and do not rename, add or delete "
        "columns. You may sort the rows. Save as CSV (UTF-8 if you are asked).",
        "",
        "A cell that starts with an apostrophe (') was protected so that the spreadsheet "
        "shows it as text; read it without the apostrophe.",
        "",
        "## Columns",
        "",
        "| column | what it holds | allowed values |",
        "| --- | --- | --- |",
        "| `unit_id` | the unit's id; do not edit | |",
        "| `codebook` | the codebook's name and version; do not edit | |",
        "| `article_id` | the article's id | |",
    ]
    if unit == "sentence":
        lines.append("| `sentence_id` | the sentence's number in its article (0 is the "
                     "headline) | |")
    lines.append("| `outlet` | the publication | |")
    lines.extend(f"| {code(column)} | metadata of the article | |" for column in extra)
    lines += [
        "| `title` | the article's headline | |",
        "| `coder` | who codes this row; do not edit | |",
    ]
    for frame in codebook.frames:
        lines.append(f"| `frame_{frame.id}` | {cell(frame.label)}: is the frame present? "
                     "(see Frames) | 1 = present, 0 = absent |")
    lines += [
        "| `sentiment` | tone of the text as a whole | -1 = negative, 0 = neutral or "
        "mixed, 1 = positive |",
        "| `comment` | optional: doubts, remarks | free text |",
        f"| `text` | the {unit} to code | |",
        "",
        "## Frames",
        "",
    ]
    for frame in codebook.frames:
        lines += [f"### `frame_{frame.id}`: {cell(frame.label)}", "",
                  cell(frame.description) or "(no description in the codebook)", "",
                  "Enter 1 when the text uses this frame, 0 when it does not.", ""]
    if codebook.reference:
        lines += ["## Source", "", cell(codebook.reference), ""]
    return "\n".join(lines)


_TONE_EXAMPLES = (
    ("Analysts praised [[Acme]] for its strong results.", 1,
     "praised: the sentence presents Acme well."),
    ("[[Senator Smith]] pulled two children from the burning car, police said.", 1,
     "a good deed, told in plain words, still presents Smith well."),
    ("[[The mayor]] said the bridge will reopen on Monday.", 0,
     "a plain report of what the actor said or did."),
    ("Critics accused [[Senator Smith]] of misleading voters.", -1,
     "accused by others: the sentence presents Smith badly, whoever is right."),
    ("[[Acme]] was fined $2 million for polluting the river.", -1,
     "a fine for wrongdoing, reported neutrally, still presents Acme badly."),
    ("[[Lee]] won the debate, while Park stumbled.", 1,
     "two actors in one sentence: code the marked one only..."),
    ("Lee won the debate, while [[Park]] stumbled.", -1,
     "... so the same sentence can get different codes for different actors."),
)


def _sheet_companions(sample: pd.DataFrame, path: Path, *, overwrite: bool
                      ) -> tuple[Path, Path]:
    """The machine-codes and instructions files beside a coding sheet, once the sample's
    unit ids are checked and (unless ``overwrite``) none of the three files exists."""
    repeated = sample.loc[sample["unit_id"].duplicated(), "unit_id"].astype(str).tolist()
    if repeated:
        raise InputError(f"the sample repeats unit_id(s) {_listing(repeated)}.",
                         fix="pass the output of draw_sample unchanged.")
    machine_path = path.with_suffix(".machine.csv")
    guide_path = path.with_suffix(".codebook.md")
    if not overwrite:
        _refuse_existing((path, guide_path, machine_path))
    return machine_path, guide_path


def _mention_instructions(*, sheet: Path, actors: str, actor_list: object,
                          shown: Sequence[str], coders: Sequence[str], n_units: int,
                          extra: Sequence[str]) -> str:
    """The companion file of a mention sheet: how to code tone toward the marked actor."""
    start, end = MENTION_MARKS
    lines = [
        f"# Coding instructions for {markdown_text(sheet.name)}",
        "",
        "Unit of coding: one actor mentioned in one sentence. "
        f"Actors: **{markdown_text(actors)}**. "
        f"{n_units} units; coders: {markdown_text(', '.join(coders))}.",
        "",
        "## How to code",
        "",
        f"1. Open `{sheet.name}` in a spreadsheet (Excel, LibreOffice Calc, Google Sheets). "
        "There is one row per unit and coder: filter the `coder` column to your name and "
        "code only your rows.",
        f"2. Read the sentence in `text`. The actor's mention is marked with double square "
        f"brackets, `{start}like this{end}`; `mention` repeats the words as written and "
        "`label` names the actor they stand for. The `title` is context only: code the "
        "sentence.",
        "3. In `tone` enter the tone of the sentence **toward the marked actor**: **-1** "
        "negative, **0** neutral, **1** positive.",
        "    - Code how the sentence presents the actor, not your own opinion of the actor "
        "and not whether you agree with the sentence.",
        "    - What the sentence reports counts as well as its words: an actor praised, "
        "helped or succeeding is presented positively; an actor accused, criticised, "
        "punished or failing is presented negatively, even in neutral words.",
        "    - **0**: the sentence reports what the actor said or did without presenting "
        "it as good or bad, or the tone toward the actor is mixed or unclear.",
        "    - Only the marked actor counts: the tone toward other people or things in "
        "the sentence does not.",
        "    - If the marked words do not name a person, group or organisation (a place, "
        "a misread name), enter 0 and write \"not an actor\" in `comment`.",
        "4. Leave no code empty. When unsure, give your best code and say why in `comment`.",
        "5. Code on your own: do not discuss units with other coders until all are done.",
        "6. Do not edit `unit_id`, `coder`, `actors`, `actor` or `mention`, and do not "
        "rename, add or delete columns. You may sort the rows. Save as CSV (UTF-8 if you "
        "are asked).",
        "",
        "A cell that starts with an apostrophe (') was protected so that the spreadsheet "
        "shows it as text; read it without the apostrophe.",
        "",
        "## Examples",
        "",
        "| sentence | `tone` | why |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{text}` | {code} | {why} |" for text, code, why in _TONE_EXAMPLES]
    lines += [
        "",
        "## Columns",
        "",
        "| column | what it holds | allowed values |",
        "| --- | --- | --- |",
        "| `unit_id` | the unit's id; do not edit | |",
        "| `actors` | the actor list the mentions were found with; do not edit | |",
        "| `article_id` | the article's id | |",
        "| `sentence_id` | the sentence's number in its article (0 is the headline) | |",
        "| `outlet` | the publication | |",
    ]
    lines.extend(f"| `{markdown_text(column)}` | metadata of the article | |" for column in extra)
    lines += [
        "| `title` | the article's headline | |",
        "| `actor` | the actor's id; do not edit | |",
        "| `label` | the actor the mention stands for | |",
        "| `mention` | the marked words, as written; do not edit | |",
        "| `coder` | who codes this row; do not edit | |",
        "| `tone` | tone of the sentence toward the marked actor | -1 = negative, "
        "0 = neutral or mixed, 1 = positive |",
        "| `comment` | optional: doubts, remarks | free text |",
        f"| `text` | the sentence, the mention marked {start} {end} | |",
        "",
    ]
    if actor_list is None:
        lines += ["## Actors", "",
                  "The actors are the people and organisations the articles name, found "
                  "automatically (runs of capitalised words; short names resolved to full "
                  "names). Some marked words may not be actors: see step 3.", ""]
    else:
        about = (f"From the actor list {markdown_text(actor_list.title)} "
                 f"({markdown_text(actors)}). {markdown_text(actor_list.description)}")
        lines += ["## Actors", "", about.rstrip(), ""]
        for actor in actor_list.actors:
            if actor.id in shown:
                lines.append(f"- **{markdown_text(actor.label)}** (`{actor.id}`): "
                             f"{markdown_text(actor.description) or 'no description in the list'}")
        lines.append("")
        if actor_list.reference:
            lines += ["## Source", "", markdown_text(actor_list.reference), ""]
    return "\n".join(lines)


def _refuse_existing(paths: Sequence[Path]) -> None:
    for existing in paths:
        if existing.exists():
            raise InputError("the file exists; writing the sheet again could wipe out "
                             "codes already entered.", path=existing,
                             fix="choose another path, or pass overwrite=True "
                                 "(--overwrite) to replace it.")


def _marked(text: object, start: object, end: object) -> str:
    """The sentence with its mention between :data:`MENTION_MARKS`."""
    text = "" if not isinstance(text, str) else text
    start, end = int(start), int(end)
    return f"{text[:start]}{MENTION_MARKS[0]}{text[start:end]}{MENTION_MARKS[1]}{text[end:]}"


def _write_mention_sheet(sample: pd.DataFrame, path: Path, *, names: list[str],
                         overwrite: bool) -> list[Path]:
    key = ["unit_id", "article_id", "sentence_id"]
    require_columns(sample, [*key, "actor", "label", "mention", "start", "end", "text",
                      "machine_tone"],
                    helper="write_coding_sheet (unit='mention')",
                    fix="pass the output of draw_sample(unit='mention').")
    machine_path, guide_path = _sheet_companions(sample, path, overwrite=overwrite)
    labels = sorted({str(v) for v in sample["actors"].dropna()}) if "actors" in sample \
        else []
    actors = labels[0] if len(labels) == 1 else FOUND_ACTORS
    actor_list = sample.attrs.get("actors")
    if actor_list is None and actors != FOUND_ACTORS:
        from framelens.actors import load_actors
        from framelens.actors import shipped_actor_lists as shipped_actors

        name, version = _split_label(actors)
        if name in shipped_actors() and load_actors(name).version == version:
            actor_list = load_actors(name)
    stratify = sample.attrs.get("stratify")
    shown_columns = (*key, "outlet", "title", "text", "actor", "label", "mention", "actors")
    extra = [stratify] if stratify in sample.columns and stratify not in shown_columns else []
    units = pd.DataFrame({"unit_id": sample["unit_id"].astype(str), "actors": actors})
    for column in ["article_id", "sentence_id", "outlet", *extra, "title", "actor", "label",
                   "mention"]:
        units[column] = sample[column].to_numpy() if column in sample else ""
    text = [_marked(t, a, b) for t, a, b in zip(sample["text"], sample["start"], sample["end"])]
    blocks = [units.assign(coder=name, tone="", comment="", text=text) for name in names]
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_table(pd.concat(blocks, ignore_index=True)).to_csv(path, index=False,
                                                             encoding="utf-8-sig")
    guide = _mention_instructions(sheet=path, actors=actors, actor_list=actor_list,
                                  shown=set(sample["actor"].astype(str)), coders=names,
                                  n_units=len(sample), extra=extra)
    guide_path.write_text(guide + "\n", encoding="utf-8")
    machine_columns = [c for c in sample.columns if c.startswith("machine_")]
    provenance = [c for c in ("tone_model",) if c in sample.columns]
    machine = sample[[*key, "actor", "mention", "start", "end", *machine_columns,
                      *provenance]].assign(actors=actors, unit="mention")
    safe_table(machine).to_csv(machine_path, index=False, encoding="utf-8-sig")
    log.info("coding sheet of %d mention(s) × %d coder(s): %s", len(sample), len(names), path)
    return [path, guide_path, machine_path]


def write_coding_sheet(
    sample: pd.DataFrame,
    path: str | PathLike,
    *,
    codebook: Codebook | str | PathLike | None = None,
    coders: Sequence[str] = ("coder1",),
    unit: Unit | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write a coding sheet, its coding instructions and (apart) framelens's codes.

    Parameters
    ----------
    sample : the output of :func:`draw_sample`; needs ``unit_id``, ``article_id``,
        ``text`` (and ``sentence_id`` for sentence units).
    path : the sheet's path, ending in ``.csv``; the companion files go beside it.
    codebook : the codebook the sample was drawn with (its name and version must match
        the sample's ``codebook`` column); required for article and sentence units, not
        used for mentions.
    coders : the coders' names; the sheet has one row per (unit, coder), in one block
        per coder.
    unit : ``"article"``, ``"sentence"`` or ``"mention"``; by default ``"mention"`` when
        the sample has a ``mention`` column, ``"sentence"`` when it has a
        ``sentence_id`` column.
    overwrite : replace existing files; by default an existing sheet is refused, so a
        second run cannot wipe out codes already entered.

    Returns
    -------
    The paths written: ``<name>.csv`` (the sheet), ``<name>.codebook.md`` (the coding
    instructions: every column, its allowed values, each frame's description; never the
    codebook's terms, so coders judge meaning rather than words) and, when the sample
    carries ``machine_*`` columns, ``<name>.machine.csv`` (framelens's codes keyed by
    ``unit_id``; keep it from the coders). Files are UTF-8 with a byte-order mark, so
    Excel reads accents correctly; text cells are protected against formula injection.

    A mention sheet (columns ``unit_id, actors, article_id, sentence_id, outlet``, the
    stratifying column, ``title, actor, label, mention, coder, tone, comment, text``)
    shows the sentence with the mention marked ``[[like this]]`` and one code column,
    ``tone``; its instructions explain tone toward the marked actor with examples, and
    its machine file holds the tone model's label (``machine_tone``), probabilities and
    name, version and SHA-256 (``tone_model``).

    Examples
    --------
    >>> write_coding_sheet(sample, "coding/sheet.csv", codebook="ai",
    ...                    coders=["ana", "ben"])  # doctest: +SKIP
    """
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise OptionError(f"the coding sheet must be a .csv file; got {str(path)!r}.",
                          fix=f"pass a path such as {str(path.with_suffix('.csv'))!r}.")
    coders = [coders] if isinstance(coders, str) else list(coders)
    names = [str(c).strip() for c in coders]
    if not names or not all(names) or len(set(names)) != len(names):
        raise OptionError(f"coders must be one or more distinct, non-empty names; got "
                          f"{coders!r}.", fix="pass coders=['coder1', 'coder2'].")
    if unit is None:
        unit = "mention" if "mention" in sample.columns else \
            "sentence" if "sentence_id" in sample.columns else "article"
    _check_choice("unit", unit, UNITS)
    if unit == "mention":
        return _write_mention_sheet(sample, path, names=names, overwrite=overwrite)
    if codebook is None:
        raise OptionError(f"a coding sheet of {unit}s needs the codebook the sample was "
                          "drawn with.", fix="pass codebook='ai' (or the one you drew with).")
    codebook = load_codebook(codebook)
    key = ["unit_id", "article_id", *(["sentence_id"] if unit == "sentence" else [])]
    require_columns(sample, [*key, "text"], helper="write_coding_sheet",
                    fix="pass the output of draw_sample.")
    label = _codebook_label(codebook)
    if "codebook" in sample.columns:
        drawn = sorted(set(sample["codebook"].dropna()))
        if drawn and drawn != [label]:
            raise OptionError(f"the sample was coded by framelens with codebook {drawn}, "
                              f"not {label!r}.",
                              fix="pass the codebook the sample was drawn with, or draw it "
                                  "again with this one.")
    machine_path, guide_path = _sheet_companions(sample, path, overwrite=overwrite)
    stratify = sample.attrs.get("stratify")
    extra = [stratify] if stratify in sample.columns and stratify not in (
        *key, "outlet", "title", "text", "codebook") else []
    units = pd.DataFrame({"unit_id": sample["unit_id"].astype(str), "codebook": label})
    for column in [*key[1:], "outlet", *extra, "title"]:
        units[column] = sample[column].to_numpy() if column in sample else ""
    codes = ([f"frame_{f}" for f in codebook.frame_ids], ["sentiment", "comment"])
    blocks = []
    for name in names:
        block = units.assign(coder=name)
        for column in [*codes[0], *codes[1]]:
            block[column] = ""
        block["text"] = sample["text"].to_numpy()
        blocks.append(block)
    sheet = pd.concat(blocks, ignore_index=True)
    long_texts = sample["text"].map(lambda t: isinstance(t, str) and len(t) > _EXCEL_CELL_LIMIT)
    if long_texts.any():
        log.warning("%d text(s) are longer than %d characters; Excel cuts such cells short. "
                    "Use LibreOffice Calc, or sentence units.", int(long_texts.sum()),
                    _EXCEL_CELL_LIMIT)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_table(sheet).to_csv(path, index=False, encoding="utf-8-sig")
    guide = _instructions(codebook, sheet=path, unit=unit, coders=names,
                          n_units=len(sample), extra=extra)
    guide_path.write_text(guide + "\n", encoding="utf-8")
    written = [path, guide_path]
    # how each unit was drawn (``drawn``: random or uncertain) stays out of the coders'
    # sight, with framelens's codes: knowing the model was unsure could sway them
    machine_columns = [c for c in sample.columns if c.startswith("machine_")] + (
        ["drawn"] if "drawn" in sample.columns else [])
    if machine_columns:
        machine = sample[key + machine_columns].assign(codebook=label, unit=unit)
        safe_table(machine).to_csv(machine_path, index=False, encoding="utf-8-sig")
        written.append(machine_path)
    log.info("coding sheet of %d unit(s) × %d coder(s): %s", len(sample), len(names), path)
    return written


# --- reading a filled sheet ---------------------------------------------------------------


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text cells (blank = ""), from UTF-8 or, with a warning, cp1252, with the
    separator a spreadsheet chose (comma, semicolon or tab)."""
    if not path.is_file():
        raise InputError("no such file.", path=path, fix="check the path.")
    data = path.read_bytes()
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) \
            or path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise InputError(
            "this is a spreadsheet workbook (Excel or LibreOffice), not a CSV file.",
            path=path, fix="open it and save it as CSV: in Excel, File > Save As > 'CSV UTF-8 "
            "(Comma delimited) (*.csv)'; in LibreOffice, File > Save As > 'Text CSV', "
            "character set UTF-8. Then pass the .csv file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        log.warning("%s is not UTF-8; read it as Windows-1252 (cp1252). Save it as "
                    "'CSV UTF-8' to be sure accents survive.", path)
    first = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=first.count)
    from io import StringIO

    try:
        table = pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"cannot be read as CSV ({e}).", path=path,
                         fix="save the sheet from the spreadsheet as CSV.") from e
    table.columns = [str(restore_cell(str(c).strip())) for c in table.columns]
    for column in table.columns:
        table[column] = table[column].map(restore_cell)
    return table


def _parse_codes(table: pd.DataFrame, columns: Sequence[str], *, path: str | None,
                 allow_missing: bool, first_row: int = 2) -> pd.DataFrame:
    """Code columns as Int64; refuse values outside the allowed ones, and (unless
    ``allow_missing``) empty cells. Rows are named as a spreadsheet numbers them."""
    out = {}
    bad: list[str] = []
    empty: list[str] = []
    for column in columns:
        allowed = SENTIMENT_VALUES if column in _THREE_WAY else FRAME_VALUES
        values: list[object] = []
        for i, raw in enumerate(table[column].tolist()):
            text = "" if pd.isna(raw) else str(raw).strip()
            if text in ("", "'"):
                values.append(pd.NA)
                empty.append((i + first_row, column))
                continue
            match = _CODE_RE.match(text)
            code = int(match.group(1)) if match else None
            if code not in allowed:
                bad.append((i + first_row, column, text, allowed))
                values.append(pd.NA)
                continue
            values.append(code)
        out[column] = pd.array(values, dtype="Int64")
    if bad:
        row, column, value, allowed = bad[0]
        cells = [f"row {r} {c} = {v!r}" for r, c, v, _ in bad]
        allowed_text = " or ".join(str(v) for v in allowed)
        fix = "enter 0 or 1 in frame_ columns and -1, 0 or 1 in sentiment; leave a cell " \
              "empty only for a missing code."
        if column in ("tone", "machine_tone"):
            fix = ("enter the tone as a number: -1 negative, 0 neutral, 1 positive; leave a "
                   "cell empty only for a missing code.")
        raise InputError(
            f"column {column!r} has the code {value!r}, which is not allowed there "
            f"(allowed: {allowed_text}); {len(bad)} cell(s) hold a code outside the "
            f"allowed values: {_listing(cells)}.",
            path=path, row=row, fix=fix)
    if empty and not allow_missing:
        row, column = empty[0]
        cells = [f"row {r} {c}" for r, c in empty]
        raise InputError(
            f"{len(empty)} code cell(s) are empty, first in column {column!r}: "
            f"{_listing(cells)}.",
            path=path, row=row,
            fix="fill them in, or pass allow_missing=True (--allow-missing) to treat them "
                "as missing data, which Krippendorff's alpha allows for.")
    return pd.DataFrame(out, index=table.index)


def _split_label(label: str) -> tuple[str, str]:
    name, _, version = label.strip().rpartition(" ")
    return (name, version) if name else (version, "")


def _sheet_codebook(table: pd.DataFrame, codebook: Codebook | str | PathLike | None,
                    path: str) -> Codebook:
    """The codebook the sheet was made with: the ``codebook`` argument, checked against
    the sheet's ``codebook`` column, or the shipped codebook the column names."""
    labels = []
    if "codebook" in table.columns:
        labels = sorted({v.strip() for v in table["codebook"] if v.strip()})
    if len(labels) > 1:
        rows = [str(i + 2) for i, v in enumerate(table["codebook"]) if v.strip() != labels[0]]
        raise InputError(f"the codebook column names more than one codebook: {labels} "
                         f"(rows {_listing(rows)}).", path=path, row=int(rows[0]),
                         fix="one sheet is coded with one codebook; do not edit this column.")
    if codebook is not None:
        book = load_codebook(codebook)
        if labels:
            name, version = _split_label(labels[0])
            if name != book.name:
                raise InputError(f"the sheet was made with codebook {labels[0]!r}, not "
                                 f"{_codebook_label(book)!r}.", path=path,
                                 fix=f"pass the codebook {name!r} (--codebook).")
            if version != book.version:
                log.warning("%s was made with codebook %s; validating against version %s. "
                            "The frame definitions coders read may differ.", path,
                            labels[0], book.version)
        return book
    if not labels:
        raise MissingColumnError("the sheet has no 'codebook' column (or it is empty), so "
                                 "its frames cannot be checked.", path=path,
                                 fix="pass codebook='ai' (--codebook) or a YAML file.")
    name, version = _split_label(labels[0])
    if name not in set(shipped_codebooks()):
        raise InputError(f"the sheet was made with codebook {labels[0]!r}, which is not a "
                         "shipped codebook.", path=path,
                         fix=f"pass the codebook's YAML file: codebook='{name}.yml' "
                             "(--codebook).")
    book = load_codebook(name)
    if version != book.version:
        log.warning("%s was made with codebook %s; the shipped one is version %s.", path,
                    labels[0], book.version)
    return book


def _check_keys(table: pd.DataFrame, where: str) -> None:
    """Refuse blank ``unit_id`` or ``coder`` cells and a unit twice for one coder."""
    for column in ("unit_id", "coder"):
        blank = [i + 2 for i, v in enumerate(table[column]) if not str(v).strip()]
        if blank:
            raise InputError(f"column {column!r} is empty in {len(blank)} row(s): rows "
                             f"{_listing([str(r) for r in blank])}.", path=where,
                             row=blank[0], fix=f"fill in {column} as written by the sheet "
                                               f"(do not edit unit_id).")
        table[column] = table[column].str.strip()
    repeated = table.duplicated(["unit_id", "coder"], keep=False)
    if repeated.any():
        rows = [i + 2 for i in np.flatnonzero(repeated.to_numpy())]
        first = table.loc[repeated].iloc[0]
        raise InputError(f"unit {first['unit_id']!r} appears more than once for coder "
                         f"{first['coder']!r} (rows {_listing([str(r) for r in rows])}).",
                         path=where, row=rows[0],
                         fix="keep one row per unit and coder; give each coder a distinct "
                             "name.")


def _read_mention_sheet(table: pd.DataFrame, where: str, *, allow_missing: bool
                        ) -> pd.DataFrame:
    """The filled sheet of a mention sample: ``tone`` codes toward the marked actors."""
    require_columns(table, ["unit_id", "coder", "tone", "actor", "mention", "text"],
                    helper="read_coding_sheet (mention sheet)", fix=_MENTION_SHEET_FIX, path=where)
    stray = [c for c in table.columns if c.startswith("frame_") or c == "sentiment"]
    if stray:
        raise InputError(f"a mention sheet is coded for tone only; it has the column(s) "
                         f"{stray}.", path=where,
                         fix="delete those columns; frames and sentiment are coded on an "
                             "article or sentence sheet (framelens sample --unit sentence).")
    labels = sorted({v.strip() for v in table["actors"] if v.strip()}) \
        if "actors" in table.columns else []
    if len(labels) > 1:
        rows = [str(i + 2) for i, v in enumerate(table["actors"]) if v.strip() != labels[0]]
        raise InputError(f"the actors column names more than one actor list: {labels} "
                         f"(rows {_listing(rows)}).", path=where, row=int(rows[0]),
                         fix="one sheet is drawn with one actor list; do not edit this "
                             "column.")
    _check_keys(table, where)
    codes = _parse_codes(table, ["tone"], path=where, allow_missing=allow_missing)
    out = table.drop(columns=["tone"]).join(codes)[list(table.columns)]
    if "sentence_id" in out.columns:
        out["sentence_id"] = pd.to_numeric(out["sentence_id"], errors="coerce").astype("Int64")
    out.attrs.update(path=where, codebook=None, unit="mention",
                     actors=labels[0] if labels else FOUND_ACTORS)
    return out


def read_coding_sheet(
    path: str | PathLike,
    *,
    codebook: Codebook | str | PathLike | None = None,
    allow_missing: bool = False,
) -> pd.DataFrame:
    """Read a filled coding sheet, refusing what would make agreement figures wrong.

    Refused, each with the file, the spreadsheet row (the header is row 1), the column
    and the fix: a missing ``unit_id``, ``coder`` or ``sentiment`` column, or no frame
    column (:class:`~framelens.errors.MissingColumnError`); a ``frame_<id>`` column whose
    frame is not in the sheet's codebook, a blank ``unit_id`` or ``coder``, the same unit
    twice for one coder, a code outside the allowed values (frames 0/1, sentiment
    -1/0/1) and, unless ``allow_missing``, an empty code cell
    (:class:`~framelens.errors.InputError`). Codes written as ``1.0`` or ``'1`` (as
    spreadsheets sometimes save them) are read as ``1``.

    A sheet with a ``tone`` or ``mention`` column is a mention sheet
    (:func:`draw_sample` with ``unit="mention"``): it needs ``unit_id, coder, tone,
    actor, mention, text``; ``tone`` codes are -1/0/1 (a word such as "positive" is
    refused with the number to enter); frame and sentiment columns are refused; no
    codebook is needed (``codebook`` is not used).

    Parameters
    ----------
    path : the sheet (``.csv``; comma, semicolon or tab separated; UTF-8 or cp1252).
    codebook : the codebook to check the frame columns against; by default the shipped
        codebook named in the sheet's ``codebook`` column. A sheet made with your own
        codebook needs its YAML file here.
    allow_missing : treat empty code cells as missing data instead of refusing them.

    Returns
    -------
    DataFrame, one row per (unit, coder), with the sheet's columns; ``frame_<id>`` and
    ``sentiment`` are nullable integers (``<NA>`` for a missing code) and text cells lose
    the apostrophe that protected them. ``attrs`` holds ``path``, ``codebook`` (the
    :class:`Codebook`; None for a mention sheet), ``unit`` (``"article"``,
    ``"sentence"`` or ``"mention"``) and, for a mention sheet, ``actors`` (the list's
    name and version).

    Examples
    --------
    >>> sheet = read_coding_sheet("coding/sheet.csv")  # doctest: +SKIP
    """
    path = Path(path)
    where = str(path)
    table = _read_csv(path)
    if table.empty:
        raise EmptyInputError("the sheet has no rows.", path=where, fix=_SHEET_FIX)
    if "tone" in table.columns or "mention" in table.columns:
        return _read_mention_sheet(table, where, allow_missing=allow_missing)
    require_columns(table, ["unit_id", "coder", "sentiment"], helper="read_coding_sheet",
                    fix=_SHEET_FIX, path=where)
    frame_columns = [c for c in table.columns if c.startswith("frame_")]
    if not frame_columns:
        raise MissingColumnError("the sheet has no frame_<id> column to validate.",
                                 path=where, fix=_SHEET_FIX)
    book = _sheet_codebook(table, codebook, where)
    known = [f"frame_{f}" for f in book.frame_ids]
    for column in frame_columns:
        if column not in known:
            close = difflib.get_close_matches(column, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError(
                f"column {column!r} is not a frame of codebook {_codebook_label(book)!r}.",
                path=where,
                fix=f"{hint}rename or delete the column; the codebook's frame columns are "
                    f"{', '.join(known)}.")
    absent = [c for c in known if c not in frame_columns]
    if absent:
        log.warning("%s: frame column(s) %s of codebook %s are not on the sheet; only the "
                    "others are validated.", where, absent, _codebook_label(book))
    _check_keys(table, where)
    measures = [c for c in known if c in frame_columns] + ["sentiment"]
    codes = _parse_codes(table, measures, path=where, allow_missing=allow_missing)
    out = table.drop(columns=measures).join(codes)
    ordered = [c for c in table.columns if c in out.columns]
    out = out[ordered]
    if "sentence_id" in out.columns:
        out["sentence_id"] = pd.to_numeric(out["sentence_id"], errors="coerce").astype("Int64")
    out.attrs.update(path=where, codebook=book,
                     unit="sentence" if "sentence_id" in out.columns else "article")
    return out


def _read_machine(path: Path, measures: Sequence[str]) -> pd.DataFrame:
    table = _read_csv(path)
    columns = [f"machine_{m}" for m in measures]
    require_columns(table, ["unit_id", *columns], helper="validate (machine codes)",
                    path=str(path), fix=_MENTION_MACHINE_FIX if "tone" in measures else
                    "pass the .machine.csv file written with the sheet.")
    codes = _parse_codes(table, columns, path=str(path), allow_missing=True)
    out = table.drop(columns=columns).join(codes)
    for column in ("machine_polarity", *[f"machine_tone_{label}" for label in TONE_CODES]):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce")
    return out


# --- validation ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Validation:
    """Agreement of human coders with each other and with framelens.

    Attributes
    ----------
    agreement : one row per measure (``frame_<id>`` or ``sentiment``), columns
        :data:`AGREEMENT_COLUMNS`: ``level`` of measurement; ``alpha_coders``
        (Krippendorff's alpha among the human coders), ``n_units``, ``n_coders``;
        ``alpha_with_machine`` (alpha with framelens as one more coder); ``precision``,
        ``recall``, ``f1``, ``accuracy`` of framelens against the coders' majority code
        (for sentiment, macro averages over the classes); ``n_positive_human``,
        ``n_positive_machine`` (units coded 1 by the majority / by framelens, among the
        ``n_compared`` units that have both); ``n_ties`` (units without a majority);
        ``label``; ``note`` (why a figure is missing); ``codebook``; ``unit``.
    confusion : ``measure, human, machine, count``: every pair of codes, zeros included.
    disagreements : units where framelens differs from the coders' majority, strongest
        first (``disagreement`` is the mean distance between framelens's code and each
        coder's); columns :data:`DISAGREEMENT_COLUMNS`.
    notes : plain-English remarks (one coder only, ties, missing machine codes...).
    codebook : ``"ai 1.0.0"``; ``unit``: ``"article"`` or ``"sentence"``;
    sentiment_level : ``"ordinal"`` or ``"interval"``; ``coders``: the coders' names.
    per_class : mention sheets only (else None): precision, recall and F1 of framelens
        per tone class against the coders' majority, and their macro average (class
        ``"macro"``); columns :data:`PER_CLASS_COLUMNS`.

    A mention validation (``unit == "mention"``) has two agreement rows for ``tone``:
    alpha at ``sentiment_level`` (ordinal by default) and nominal; precision, recall
    and F1 (macro) are the same in both. ``codebook`` then names the actor list
    (``"china-tech 1.0.0"``), and the disagreements carry ``actor`` and ``mention``.
    """

    agreement: pd.DataFrame
    confusion: pd.DataFrame
    disagreements: pd.DataFrame
    notes: tuple[str, ...]
    codebook: str
    unit: str
    sentiment_level: str
    coders: tuple[str, ...]
    per_class: pd.DataFrame | None = None

    def to_csv(self, folder: str | PathLike) -> list[Path]:
        """Write ``validation.csv`` (the agreement table), ``confusion.csv``,
        ``disagreements.csv`` and ``notes.txt`` in ``folder``; return their paths.

        Text cells are protected against formula injection as on the coding sheet (a
        title starting with ``=`` is written ``'=``); :func:`latest_validation` reads
        them back without the apostrophe. A mention validation also writes
        ``per_class.csv`` (before ``notes.txt``).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        tables = [("validation", self.agreement), ("confusion", self.confusion),
                  ("disagreements", self.disagreements)]
        if self.per_class is not None:
            tables.append(("per_class", self.per_class))
        for name, table in tables:
            target = folder / f"{name}.csv"
            safe_table(table).to_csv(target, index=False, encoding="utf-8")
            paths.append(target)
        notes = folder / "notes.txt"
        notes.write_text("".join(f"{note}\n" for note in self.notes), encoding="utf-8")
        return [*paths, notes]


def _majority(matrix: np.ndarray, values: Sequence[int]) -> np.ndarray:
    """The most frequent code of each unit (column) of a coders × units matrix; NaN where
    the coders tie or nobody coded the unit."""
    counts = np.stack([(matrix == v).sum(axis=0) for v in values])
    top = counts.max(axis=0)
    unique = (counts == top).sum(axis=0) == 1
    majority = np.asarray(values, dtype="float64")[counts.argmax(axis=0)]
    return np.where((top > 0) & unique, majority, np.nan)


def _scores(human: np.ndarray, machine: np.ndarray, values: Sequence[int]) -> dict:
    """Precision, recall, F1 and accuracy: of class 1 for two values; for three, macro
    averages over the classes that occur (an undefined per-class figure counts as 0)."""
    if len(human) == 0:
        return dict.fromkeys(("precision", "recall", "f1", "accuracy"), np.nan)
    accuracy = float(np.mean(human == machine))
    if tuple(values) == FRAME_VALUES:
        tp = int(np.sum((human == 1) & (machine == 1)))
        fp = int(np.sum((human == 0) & (machine == 1)))
        fn = int(np.sum((human == 1) & (machine == 0)))
        return {"precision": tp / (tp + fp) if tp + fp else np.nan,
                "recall": tp / (tp + fn) if tp + fn else np.nan,
                "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan,
                "accuracy": accuracy}
    present = [v for v in values if (human == v).any() or (machine == v).any()]
    p, r, f = [], [], []
    for v in present:
        tp = np.sum((human == v) & (machine == v))
        fp = np.sum((human != v) & (machine == v))
        fn = np.sum((human == v) & (machine != v))
        p.append(tp / (tp + fp) if tp + fp else 0.0)
        r.append(tp / (tp + fn) if tp + fn else 0.0)
        f.append(2 * tp / (2 * tp + fp + fn))
    return {"precision": float(np.mean(p)), "recall": float(np.mean(r)),
            "f1": float(np.mean(f)), "accuracy": accuracy}


def _per_class(measure: str, human: np.ndarray, machine: np.ndarray) -> list[dict]:
    """Precision, recall and F1 per class of -1/0/1, as :func:`_scores` counts them (an
    undefined figure of a class that occurs is 0; a class nobody used is NaN), and the
    macro average over the classes that occur."""
    rows = []
    for name, code in TONE_CODES.items():
        tp = int(np.sum((human == code) & (machine == code)))
        fp = int(np.sum((human != code) & (machine == code)))
        fn = int(np.sum((human == code) & (machine != code)))
        row = {"measure": measure, "class": name, "code": code,
               "n_human": int(np.sum(human == code)), "n_machine": int(np.sum(machine == code))}
        if row["n_human"] or row["n_machine"]:
            row.update(precision=tp / (tp + fp) if tp + fp else 0.0,
                       recall=tp / (tp + fn) if tp + fn else 0.0,
                       f1=2 * tp / (2 * tp + fp + fn))
        else:
            row.update(precision=np.nan, recall=np.nan, f1=np.nan)
        rows.append(row)
    present = [r for r in rows if not np.isnan(r["f1"])]
    macro = {k: float(np.mean([r[k] for r in present])) if present else np.nan
             for k in ("precision", "recall", "f1")}
    rows.append({"measure": measure, "class": "macro", "code": pd.NA,
                 "n_human": len(human), "n_machine": len(machine), **macro})
    return rows


def _excerpt_around(text: object) -> str:
    """An excerpt that keeps the marked mention in view."""
    flat = " ".join(str(text).split()) if isinstance(text, str) else ""
    at = flat.find(MENTION_MARKS[0])
    if len(flat) <= _EXCERPT_CHARS or at < _EXCERPT_CHARS // 2:
        return _excerpt(flat)
    return _excerpt("…" + flat[at - _EXCERPT_CHARS // 3:].lstrip())


def _excerpt(text: object) -> str:
    flat = " ".join(str(text).split()) if isinstance(text, str) else ""
    return flat if len(flat) <= _EXCERPT_CHARS else flat[:_EXCERPT_CHARS - 1].rstrip() + "…"


def _resolve_book(sheet: pd.DataFrame, codebook: Codebook | str | PathLike | None
                  ) -> Codebook | None:
    if codebook is not None:
        return load_codebook(codebook)
    book = sheet.attrs.get("codebook")
    if isinstance(book, Codebook):
        return book
    if "codebook" in sheet.columns:
        names = {_split_label(str(v))[0] for v in sheet["codebook"].dropna() if str(v).strip()}
        if len(names) == 1 and names <= set(shipped_codebooks()):
            return load_codebook(names.pop())
    return None


def _disagreements(measure: str, matrix: np.ndarray, majority: np.ndarray,
                   machine_codes: np.ndarray, machine: pd.DataFrame, *, units: Sequence[str],
                   coders: Sequence[str], meta: dict[str, list]) -> list[dict]:
    """One row per unit where framelens's code differs from the coders' majority."""
    detail_column = "machine_polarity" if measure == "sentiment" else \
        f"machine_terms_{measure.removeprefix('frame_')}"
    details = machine[detail_column].tolist() if detail_column in machine.columns \
        else [""] * len(units)
    probabilities = [f"machine_tone_{label}" for label in TONE_CODES]
    if measure == "tone":
        details = [""] * len(units)
        if all(c in machine.columns for c in probabilities):
            details = [", ".join(f"{label} {p:.2f}" for label, p in zip(TONE_CODES, row))
                       if not any(pd.isna(v) for v in row) else ""
                       for row in machine[probabilities].itertuples(index=False)]
    rows = []
    for j in np.flatnonzero(~np.isnan(majority) & ~np.isnan(machine_codes)
                            & (majority != machine_codes)):
        who = np.flatnonzero(~np.isnan(matrix[:, j]))
        detail = details[j]
        if pd.isna(detail):
            detail = ""
        elif measure == "sentiment" and detail != "":
            detail = f"polarity {float(detail):+.3f}"
        rows.append({
            "unit_id": units[j], "article_id": meta["article_id"][j],
            "sentence_id": meta["sentence_id"][j], "measure": measure,
            "human": int(majority[j]), "machine": int(machine_codes[j]),
            "disagreement": float(np.mean(np.abs(matrix[who, j] - machine_codes[j]))),
            "human_codes": "; ".join(f"{coders[k]}={int(matrix[k, j])}" for k in who),
            "machine_detail": str(detail), "title": meta["title"][j],
            "excerpt": _excerpt_around(meta["text"][j]) if measure == "tone"
            else _excerpt(meta["text"][j]),
            **{column: meta[column][j] for column in ("actor", "mention") if column in meta},
        })
    return rows


def _machine_table(machine: pd.DataFrame | str | PathLike, measures: Sequence[str],
                   units: Sequence[str], book_label: str, notes: list[str]) -> pd.DataFrame:
    """framelens's codes, one row per unit of the sheet in its order (NaN where absent)."""
    fix = _MENTION_MACHINE_FIX if "tone" in measures else \
        "pass the .machine.csv file written with the sheet."
    table = machine if isinstance(machine, pd.DataFrame) else _read_machine(Path(machine),
                                                                            measures)
    require_columns(table, ["unit_id", *[f"machine_{m}" for m in measures]],
                    helper="validate (machine codes)", fix=fix)
    if "codebook" in table.columns and book_label:
        other = sorted({str(v) for v in table["codebook"].dropna()} - {book_label})
        if other:
            notes.append(f"framelens's codes were made with codebook {other}, the sheet "
                         f"with {book_label}.")
    if "actors" in table.columns and "tone" in measures and book_label:
        other = sorted({str(v) for v in table["actors"].dropna()} - {book_label})
        if other:
            notes.append(f"framelens's codes were made with actors {other}, the sheet "
                         f"with {book_label}.")
    table = table.assign(unit_id=table["unit_id"].astype(str)).drop_duplicates("unit_id")
    table = table.set_index("unit_id").reindex(units)
    for measure in measures:
        values = SENTIMENT_VALUES if measure in _THREE_WAY else FRAME_VALUES
        codes = table[f"machine_{measure}"].to_numpy(dtype="float64", na_value=np.nan)
        wrong = np.flatnonzero(~np.isnan(codes) & ~np.isin(codes, values))
        if len(wrong):
            raise InputError(f"framelens's code of unit {units[wrong[0]]!r} in column "
                             f"'machine_{measure}' is {codes[wrong[0]]:g}, not one of "
                             f"{list(values)}.", fix=fix)
    absent = int(table[f"machine_{measures[0]}"].isna().sum())
    if absent:
        notes.append(f"{absent} unit(s) of the sheet have no framelens code and are "
                     "compared on the coders' codes only.")
    return table


def _check_same_mentions(data: pd.DataFrame, mach: pd.DataFrame, machine: object) -> None:
    """Refuse a machine file whose units mark other mentions than the sheet's."""
    if "mention" not in data.columns or "mention" not in mach.columns:
        return
    sheet_mentions = data.drop_duplicates("unit_id").set_index("unit_id")["mention"]
    machine_mentions = mach["mention"].reindex(sheet_mentions.index)
    known = machine_mentions.notna() & (machine_mentions.astype(str) != "")
    differ = known & (machine_mentions.astype(str) != sheet_mentions.astype(str))
    if differ.any():
        unit = differ.index[differ.to_numpy()][0]
        raise InputError(
            f"the machine file does not belong to this sheet: unit {unit!r} marks "
            f"{sheet_mentions[unit]!r} on the sheet and {machine_mentions[unit]!r} in the "
            f"machine file ({int(differ.sum())} unit(s) differ).",
            path=None if isinstance(machine, pd.DataFrame) else str(machine),
            fix=_MENTION_MACHINE_FIX)


def validate(
    sheet: pd.DataFrame,
    machine: pd.DataFrame | str | PathLike | None = None,
    *,
    codebook: Codebook | str | PathLike | None = None,
    sentiment_level: Literal["ordinal", "interval"] = "ordinal",
) -> Validation:
    """How well the human coders agree, and how well framelens agrees with them.

    Per measure (every ``frame_<id>`` column of the sheet, and ``sentiment``):

    - **alpha_coders**: Krippendorff's alpha among the human coders, nominal for frames,
      ``sentiment_level`` (ordinal by default) for sentiment; missing codes are missing
      data. NaN, with a note, for one coder, or when alpha is undefined.
    - **alpha_with_machine**: the same alpha with framelens added as one more coder.
    - **precision, recall, f1, accuracy**: framelens against the coders' majority code.
      A unit whose coders tie (1 against 1, or -1 / 0 / 1) has no majority: it is left
      out of these figures and of the confusion table, and counted in ``n_ties``; it
      still counts in both alphas. For a frame, precision is TP / (TP + FP), recall
      TP / (TP + FN), F1 2·TP / (2·TP + FP + FN) (0 when framelens finds none of the
      frame's units); precision is NaN when framelens codes no unit 1, recall NaN when
      the coders code none. For sentiment they are macro averages over the classes
      -1, 0, 1 that occur, an undefined per-class precision or recall counting as 0 (as
      scikit-learn's ``zero_division=0``).

    Parameters
    ----------
    sheet : the output of :func:`read_coding_sheet` (or any table with ``unit_id``,
        ``coder``, ``frame_<id>`` columns and/or ``sentiment``, codes as 0/1 and -1/0/1).
    machine : framelens's codes: the ``.machine.csv`` written with the sheet (a path or
        a table with ``unit_id`` and ``machine_<measure>`` columns), or None to measure
        the coders only.
    codebook : for frame labels; by default the sheet's (``attrs`` or ``codebook``
        column).
    sentiment_level : ``"ordinal"`` (default) or ``"interval"``; also the level of the
        first alpha of ``tone``.

    A mention sheet (a ``tone`` column: :func:`read_coding_sheet` of a sheet drawn with
    ``unit="mention"``) is validated on ``tone`` alone: alpha at ``sentiment_level``
    and nominal (two rows), macro precision, recall and F1 as for sentiment, and
    :attr:`Validation.per_class`. It needs ``machine``: without the tone model's codes
    it is refused (:class:`~framelens.errors.InputError`), as is a machine file that
    marks other mentions than the sheet.

    Returns
    -------
    :class:`Validation`

    Examples
    --------
    >>> sheet = read_coding_sheet("coding/sheet.csv")  # doctest: +SKIP
    >>> result = validate(sheet, "coding/sheet.machine.csv")  # doctest: +SKIP
    >>> result.agreement[["measure", "alpha_coders", "alpha_with_machine", "f1"]]  # doctest: +SKIP
    """
    _check_choice("sentiment_level", sentiment_level, ("ordinal", "interval"))
    measures = _sheet_measures(sheet)
    # rows are named by position in the table (0 first): a table, not a spreadsheet
    codes = _parse_codes(sheet.reset_index(drop=True), measures, path=None, allow_missing=True,
                         first_row=0)
    units = _coded_units(sheet, measures, codes, codebook=codebook)
    if units.unit == "mention" and machine is None:
        where = sheet.attrs.get("path")
        raise InputError(
            "a mention sheet is validated against the tone model's codes, and none were "
            "given.", path=None if where is None else
            str(Path(where).with_suffix(".machine.csv")), fix=_MENTION_MACHINE_FIX)
    notes: list[str] = []
    if len(units.coders) < 2:
        notes.append(f"Only one coder ({units.coders[0]}): agreement between coders needs two "
                     "or more, so alpha_coders is NaN; framelens is compared with that coder.")
    mach = None
    if machine is None:
        notes.append("No framelens codes were given: only agreement between coders is "
                     "reported.")
    else:
        mach = _machine_table(machine, measures, units.ids, units.book_label, notes)
        if units.unit == "mention":
            _check_same_mentions(units.data, mach, machine)
    # tone gets a second, nominal alpha; its other figures are the same at both levels
    passes = [(m, sentiment_level if m in ("sentiment", "tone") else "nominal", True)
              for m in measures]
    if units.unit == "mention":
        passes.append(("tone", "nominal", False))
    tables = _Tables([], [], [], [])
    for measure, level, first_pass in passes:
        _measure_figures(units, mach, measure, level, first_pass=first_pass, into=tables)
    ties = sum(r["n_ties"] for r in tables.agreement[:len(measures)])
    if ties:
        notes.append(f"{ties} (unit, measure) pair(s) have no majority code (the coders tie); "
                     "they are left out of precision, recall, F1, accuracy and the confusion "
                     "table, and kept in alpha.")
    n_missing = int(codes.isna().sum().sum())
    if n_missing:
        notes.append(f"{n_missing} code cell(s) are empty and count as missing data.")
    return _validation(tables, units, notes=notes, sentiment_level=sentiment_level)


def _sheet_measures(sheet: pd.DataFrame) -> list[str]:
    """The measures a coding sheet holds: ``frame_<id>`` columns and ``sentiment``, or
    ``tone`` alone (a mention sheet)."""
    fix = "pass the output of read_coding_sheet."
    require_columns(sheet, ["unit_id", "coder"], helper="validate", fix=fix)
    measures = [c for c in sheet.columns if str(c).startswith("frame_")]
    measures += ["sentiment"] if "sentiment" in sheet.columns else []
    if "tone" in sheet.columns:
        if measures:
            raise InputError(f"a mention sheet is coded for tone only; it also has "
                             f"{measures}.", fix="validate tone and frames on separate "
                                                 "sheets.")
        measures = ["tone"]
    if not measures:
        raise MissingColumnError("validate needs frame_<id> or sentiment columns; the sheet "
                                 f"has {list(sheet.columns)}.", fix=fix)
    return measures


@dataclasses.dataclass(frozen=True)
class _Units:
    """A coding sheet's codes, one row per (unit, coder), and what the figures need."""

    data: pd.DataFrame  # the sheet's rows with parsed codes; unit_id and coder as text
    coders: tuple[str, ...]
    ids: list[str]  # unit ids, in order of first appearance
    unit: str  # "article", "sentence" or "mention"
    labels: dict[str, str]  # measure → readable label
    book_label: str  # "ai 1.0.0", or the actor list of a mention sheet
    meta: dict[str, list]  # per unit: article_id, sentence_id, title, text (actor, mention)

    def matrix(self, measure: str) -> np.ndarray:
        """Coders x units codes of ``measure`` (NaN where a coder did not code a unit)."""
        unit_pos = self.data["unit_id"].map({u: i for i, u in enumerate(self.ids)}).to_numpy()
        coder_pos = self.data["coder"].map({c: i for i, c in enumerate(self.coders)}).to_numpy()
        out = np.full((len(self.coders), len(self.ids)), np.nan)
        out[coder_pos, unit_pos] = self.data[measure].to_numpy(dtype="float64",
                                                                na_value=np.nan)
        return out


def _coded_units(sheet: pd.DataFrame, measures: list[str], codes: pd.DataFrame, *,
                 codebook: Codebook | str | PathLike | None) -> _Units:
    """The sheet's codes with its coders, units, labels and codebook (or actor list)."""
    book = _resolve_book(sheet, codebook)
    labels = {f"frame_{f.id}": f.label for f in book.frames} if book else {}
    labels["sentiment"] = "Sentiment"
    book_label = _codebook_label(book) if book else ""
    unit = "sentence" if "sentence_id" in sheet.columns else "article"
    if measures == ["tone"]:
        unit = "mention"
        labels["tone"] = "Tone toward the actor"
        named = sorted({str(v).strip() for v in sheet["actors"].dropna() if str(v).strip()}) \
            if "actors" in sheet.columns else []
        book_label = sheet.attrs.get("actors") or (named[0] if len(named) == 1 else
                                                   FOUND_ACTORS)
    data = sheet.reset_index(drop=True)[[c for c in sheet.columns if c not in measures]]
    data = data.join(codes)
    data["unit_id"] = data["unit_id"].astype(str)
    data["coder"] = data["coder"].astype(str)
    repeated = data.duplicated(["unit_id", "coder"])
    if repeated.any():
        twice = data.loc[repeated].iloc[0]
        raise InputError(f"unit {twice['unit_id']!r} appears more than once for coder "
                         f"{twice['coder']!r}.", fix="keep one row per unit and coder.")
    ids = list(dict.fromkeys(data["unit_id"]))
    info = data.drop_duplicates("unit_id")
    meta = {column: info[column].tolist() if column in info.columns else [default] * len(ids)
            for column, default in (("article_id", pd.NA), ("sentence_id", pd.NA),
                                    ("title", ""), ("text", ""))}
    if unit == "mention":
        meta.update({column: info[column].tolist() if column in info.columns
                     else [""] * len(ids) for column in ("actor", "mention")})
    return _Units(data, tuple(dict.fromkeys(data["coder"])), ids, unit, labels, book_label,
                  meta)


class _Tables(NamedTuple):
    """The rows of a validation's tables, filled measure by measure."""

    agreement: list[dict]
    confusion: list[tuple]
    disagreements: list[dict]
    per_class: list[dict]


def _measure_figures(units: _Units, mach: pd.DataFrame | None, measure: str, level: str, *,
                     first_pass: bool, into: _Tables) -> None:
    """The agreement row of one measure at one level of measurement; on its first pass,
    its confusion counts, disagreements (and per-class figures for tone) too."""
    values = SENTIMENT_VALUES if measure in _THREE_WAY else FRAME_VALUES
    matrix = units.matrix(measure)
    coded = ~np.isnan(matrix)
    human_matrix = matrix[coded.any(axis=1)]
    reasons = []
    if len(human_matrix) >= 2:
        alpha_coders, reason = _alpha_and_reason(human_matrix, level)
        if reason:
            reasons.append(f"alpha_coders undefined: {reason}")
    else:
        alpha_coders = np.nan
        reasons.append("one coder: no alpha between coders")
    majority = _majority(matrix, values)
    row = {"measure": measure, "level": level, "alpha_coders": alpha_coders,
           "n_units": int(coded.any(axis=0).sum()), "n_coders": len(human_matrix),
           "label": units.labels.get(measure, measure), "codebook": units.book_label,
           "unit": units.unit, "n_ties": int((coded.any(axis=0) & np.isnan(majority)).sum())}
    if mach is None:
        row.update(alpha_with_machine=np.nan, precision=np.nan, recall=np.nan, f1=np.nan,
                   accuracy=np.nan, n_positive_human=pd.NA, n_positive_machine=pd.NA,
                   n_compared=0, note="; ".join(reasons))
        into.agreement.append(row)
        return
    machine_codes = mach[f"machine_{measure}"].to_numpy(dtype="float64", na_value=np.nan)
    row["alpha_with_machine"], reason = _alpha_and_reason(
        np.vstack([human_matrix, machine_codes]), level)
    if reason:
        reasons.append(f"alpha_with_machine undefined: {reason}")
    compared = ~np.isnan(majority) & ~np.isnan(machine_codes)
    human = majority[compared].astype("int64")
    machine_values = machine_codes[compared].astype("int64")
    row.update(_scores(human, machine_values, values))
    row.update(n_compared=int(compared.sum()), n_positive_human=int(np.sum(human == 1)),
               n_positive_machine=int(np.sum(machine_values == 1)), note="; ".join(reasons))
    into.agreement.append(row)
    if not first_pass:
        return
    if measure == "tone":
        into.per_class.extend(_per_class(measure, human, machine_values))
    for h in values:
        for m in values:
            into.confusion.append((measure, h, m,
                                   int(np.sum((human == h) & (machine_values == m)))))
    into.disagreements.extend(_disagreements(
        measure, matrix, majority, machine_codes, mach, units=units.ids, coders=units.coders,
        meta=units.meta))


def _validation(tables: _Tables, units: _Units, *, notes: list[str], sentiment_level: str
                ) -> Validation:
    """The :class:`Validation` of the rows gathered, with their columns' types."""
    agreement_table = pd.DataFrame(tables.agreement).reindex(columns=AGREEMENT_COLUMNS)
    agreement_table = agreement_table.astype({
        "alpha_coders": "float64", "alpha_with_machine": "float64", "precision": "float64",
        "recall": "float64", "f1": "float64", "accuracy": "float64", "n_units": "int64",
        "n_coders": "int64", "n_positive_human": "Int64", "n_positive_machine": "Int64",
        "n_compared": "int64", "n_ties": "int64"})
    # rows were made measure by measure, unit by unit: a stable sort keeps that order in ties
    disagreement_columns = DISAGREEMENT_COLUMNS + (["actor", "mention"]
                                                   if units.unit == "mention" else [])
    disagreement_table = pd.DataFrame(tables.disagreements, columns=disagreement_columns
                                      ).sort_values("disagreement", ascending=False,
                                                    kind="stable").reset_index(drop=True)
    disagreement_table["sentence_id"] = pd.to_numeric(
        disagreement_table["sentence_id"], errors="coerce").astype("Int64")
    return Validation(
        agreement=agreement_table,
        confusion=pd.DataFrame(tables.confusion, columns=CONFUSION_COLUMNS).astype(
            {"human": "int64", "machine": "int64", "count": "int64"}),
        disagreements=disagreement_table,
        notes=tuple(notes),
        codebook=units.book_label,
        unit=units.unit,
        sentiment_level=sentiment_level,
        coders=units.coders,
        per_class=None if units.unit != "mention" else pd.DataFrame(
            tables.per_class, columns=PER_CLASS_COLUMNS).astype(
            {"code": "Int64", "precision": "float64", "recall": "float64", "f1": "float64",
             "n_human": "int64", "n_machine": "int64"}),
    )


# --- the validation page --------------------------------------------------------------------


def _number(x: object, digits: int = 2) -> str:
    return "n/a" if x is None or pd.isna(x) else f"{float(x):.{digits}f}"


def _verdict(alpha: object, min_alpha: float) -> str:
    if alpha is None or pd.isna(alpha):
        return "not validated"
    if alpha >= max(min_alpha, GOOD_ALPHA):
        return "reliable"
    return "tentative" if alpha >= min_alpha else "unreliable"


def _summary_sentences(validation: Validation, min_alpha: float) -> list[str]:
    units = f"{validation.unit}s"
    sentences = []
    for row in validation.agreement.to_dict("records"):
        name = f"{row['label']} ({row['measure']})"
        text = (f"{name}: {row['n_coders']} coder(s), {row['n_units']} {units}; "
                f"alpha between coders {_number(row['alpha_coders'])} ({row['level']})")
        if not pd.isna(row["alpha_with_machine"]):
            f1 = "macro-F1" if row["measure"] == "tone" else "F1"
            text += (f"; with framelens as one more coder {_number(row['alpha_with_machine'])}"
                     f", {f1} {_number(row['f1'])}, precision {_number(row['precision'])}, "
                     f"recall {_number(row['recall'])}")
            text += f": {_verdict(row['alpha_with_machine'], min_alpha)}."
        else:
            text += "."
        sentences.append(text)
    return sentences


_PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1100px;
       margin: 0 auto; padding: 1.5rem 2rem 4rem; color: #222; line-height: 1.45; }
table.fl-table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
table.fl-table th, table.fl-table td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.7rem;
                                       text-align: left; vertical-align: top; }
table.fl-table th { background: #f3f3f3; }
.fl-note { color: #555; font-size: 0.85rem; }
ul.fl-bullets li { margin-bottom: 0.35rem; }
table.fl-table td.num, table.fl-table th.num { text-align: right; white-space: nowrap; }
table.fl-table td.prose { min-width: 16rem; }
/* a wide table scrolls inside its own box; the page keeps the screen's width */
.fl-scroll { max-width: 100%; overflow-x: auto; }
@media (max-width: 600px) {
  body { padding: 0.8rem 0.6rem 3rem; }
  table.fl-table td.prose { min-width: 12rem; }
}
"""


def validation_html(validation: Validation, *, min_alpha: float = MIN_ALPHA) -> str:
    """A self-contained HTML page of a validation; every piece of text is escaped.

    Sections: a summary sentence per measure (with a verdict: reliable at alpha >= 0.800,
    tentative from ``min_alpha``, unreliable below it), the agreement table, the
    confusion tables, the units where framelens and the coders disagree most, notes and
    the method.

    Examples
    --------
    >>> Path("validation.html").write_text(validation_html(result))  # doctest: +SKIP
    """
    from framelens.reports import bullets_html, note_html, table_html

    _check_alpha(min_alpha)
    agreement = validation.agreement.assign(
        verdict=[_verdict(a, min_alpha) for a in validation.agreement["alpha_with_machine"]])
    tone = validation.unit == "mention"
    title = "Validation of framelens against human coding"
    if tone:
        title = "Validation of framelens's tone toward actors against human coding"
    if validation.codebook:
        title += f": {'actors' if tone else 'codebook'} {validation.codebook}"
    unit = "one actor mentioned in one sentence (mention)" if tone else validation.unit
    coded = "positive" if tone else "1"
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        note_html(f"Unit of coding: {unit}. Coders: "
                  f"{', '.join(validation.coders)}."),
        "<h2>Summary</h2>",
        bullets_html(_summary_sentences(validation, min_alpha)),
        "<h2>Agreement</h2>",
        table_html(agreement, columns={
            "label": "measure", "level": "level", "alpha_coders": "alpha (coders)",
            "n_units": "units", "n_coders": "coders",
            "alpha_with_machine": "alpha (coders + framelens)", "precision": "precision",
            "recall": "recall", "f1": "macro-F1" if tone else "F1", "accuracy": "accuracy",
            "n_positive_human": f"coded {coded} by coders", "n_positive_machine":
            f"coded {coded} by framelens", "n_compared": "compared", "n_ties": "ties",
            "verdict": "verdict", "note": "note"}, max_rows=len(agreement)),
        "<h2>Confusion tables</h2>",
        note_html("Rows: the coders' majority code; columns: framelens's code."),
    ]
    if validation.confusion.empty:
        parts.append(note_html("No framelens codes were given."))
    for measure, table in validation.confusion.groupby("measure", sort=False):
        crosstab = table.pivot(index="human", columns="machine", values="count")
        crosstab.columns = [f"framelens {c}" for c in crosstab.columns]
        crosstab = crosstab.reset_index().rename(columns={"human": "coders"})
        label = dict(zip(agreement["measure"], agreement["label"])).get(measure, measure)
        parts.append(table_html(crosstab, caption=f"{label} ({measure})"))
    if validation.per_class is not None:
        parts += ["<h2>Per class</h2>",
                  note_html("framelens's tone against the coders' majority, class by class; "
                            "macro is the mean over the classes that occur."),
                  table_html(validation.per_class, columns={
                      "class": "class", "code": "code", "precision": "precision",
                      "recall": "recall", "f1": "F1", "n_human": "coders (majority)",
                      "n_machine": "framelens"}, max_rows=len(validation.per_class))]
    parts.append("<h2>Where framelens and the coders disagree most</h2>")
    if validation.disagreements.empty:
        parts.append(note_html("framelens agrees with the coders' majority on every unit "
                               "compared."))
    else:
        columns = {"unit_id": "unit", "measure": "measure", "human": "coders (majority)",
                   "machine": "framelens", "disagreement": "distance", "human_codes": "codes",
                   "machine_detail": "framelens evidence", "title": "title", "excerpt": "text"}
        if tone:
            columns = {"unit_id": "unit", "actor": "actor", "mention": "mention",
                       "human": "coders (majority)", "machine": "framelens",
                       "disagreement": "distance", "human_codes": "codes",
                       "machine_detail": "tone model's probabilities", "title": "title",
                       "excerpt": "sentence"}
        parts.append(table_html(validation.disagreements, columns=columns, max_rows=50))
    if validation.notes:
        parts += ["<h2>Notes</h2>", bullets_html(list(validation.notes))]
    if tone:
        parts += ["<h2>Method</h2>", bullets_html(_tone_method(validation, min_alpha))]
    else:
        parts += ["<h2>Method</h2>", bullets_html(_frame_method(validation, min_alpha))]
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_PAGE_CSS}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def _tone_method(validation: Validation, min_alpha: float) -> list[str]:
    return [
        "Unit: one actor mentioned in one sentence; coders saw the sentence with the "
        "mention marked [[like this]] and coded the tone of the sentence toward that actor "
        "(-1 negative, 0 neutral, 1 positive), never framelens's code.",
        "Krippendorff's alpha among the coders, missing codes as missing data, at two "
        f"levels: {validation.sentiment_level} (negative < neutral < positive) and nominal "
        "(three unordered classes); computed with the krippendorff package, checked "
        "against Krippendorff 2011, 'Computing Krippendorff's Alpha-Reliability'.",
        "framelens as one more coder: alpha over the coders' codes and the tone model's.",
        "Precision, recall and F1 compare the tone model's label with the coders' majority "
        "code, per class and as macro averages over the classes that occur (an undefined "
        "figure of a class that occurs counts as 0); units whose coders tie are left out.",
        f"Verdicts follow Krippendorff (2004, Content Analysis, 2nd ed., p. 241): alpha >= "
        f"{GOOD_ALPHA:.3f} reliable, >= {min_alpha:.3f} tentative conclusions only, below "
        "that unreliable.",
        "framelens's code is the most probable class of the tone model "
        "(framelens.actors.score_mentions); the machine file names the model and its "
        "SHA-256.",
    ]


def _frame_method(validation: Validation, min_alpha: float) -> list[str]:
    return [
        "Krippendorff's alpha among the coders, missing codes as missing data; frames are "
        f"nominal, sentiment {validation.sentiment_level} (computed with the krippendorff "
        "package, checked against Krippendorff 2011, 'Computing Krippendorff's "
        "Alpha-Reliability').",
        "framelens as one more coder: alpha over the coders' codes and framelens's codes.",
        "Precision, recall, F1 and accuracy compare framelens with the coders' majority "
        "code; units whose coders tie are left out. For sentiment they are macro averages "
        "over the classes -1, 0, 1.",
        f"Verdicts follow Krippendorff (2004, Content Analysis, 2nd ed., p. 241): alpha >= "
        f"{GOOD_ALPHA:.3f} reliable, >= {min_alpha:.3f} tentative conclusions only, below "
        "that unreliable.",
        "framelens codes a frame as present when at least one of its terms matches in the "
        "unit; sentiment is TextBlob polarity with a neutral band of ±0.05.",
    ]


# --- validation figures in other reports ------------------------------------------------------


def latest_validation(
    folder: str | PathLike = "validation",
    *,
    codebook: Codebook | str | None = None,
) -> pd.DataFrame | None:
    """The newest ``validation.csv`` under ``folder`` (as the CLI saves them, e.g.
    ``validation/ai-1-0-0/<sheet>/validation.csv``), or None when there is none.

    Parameters
    ----------
    folder : searched recursively; newest means latest modified.
    codebook : only validations of this codebook: a :class:`Codebook` (its name and
        version must match), ``"ai 1.0.0"`` (name and version) or ``"ai"`` (any version).

    Returns
    -------
    The agreement table (:data:`AGREEMENT_COLUMNS`), ``attrs["path"]`` naming the file;
    None when no validation is found. Validations of tone toward actors (mention
    sheets) are skipped: they hold no frame figures.

    Examples
    --------
    >>> flag_frames(comparison.prevalence, latest_validation(codebook="ai"))  # doctest: +SKIP
    """
    root = Path(folder)
    if not root.is_dir():
        return None
    if isinstance(codebook, Codebook):
        wanted = _codebook_label(codebook)
    else:
        wanted = None if codebook is None else str(codebook).strip()
    found = sorted(root.rglob("validation.csv"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in found:
        table = _read_csv(path)
        missing = [c for c in ("measure", "alpha_with_machine", "f1", "codebook")
                   if c not in table.columns]
        if missing:
            log.warning("%s lacks column(s) %s; skipped.", path, missing)
            continue
        if "unit" in table.columns and len(table) and (table["unit"] == "mention").all():
            continue  # tone toward actors: no frame figures to bring into reports
        labels = set(table["codebook"])
        if wanted is not None and wanted not in labels and \
                wanted not in {_split_label(v)[0] for v in labels}:
            continue
        for column in _NUMERIC_AGREEMENT:
            if column in table.columns:
                table[column] = pd.to_numeric(table[column], errors="coerce")
        table.attrs["path"] = str(path)
        return table
    return None


def flag_frames(
    frame_table: pd.DataFrame,
    validation: Validation | pd.DataFrame | None,
    *,
    min_alpha: float = MIN_ALPHA,
) -> pd.DataFrame:
    """Add the latest validation figures to any table with a ``frame`` column.

    A frame is ``reliable`` when ``validation_alpha`` (Krippendorff's alpha with
    framelens as one more coder, so it falls when the coders disagree among themselves
    and when framelens disagrees with them) is at least ``min_alpha``: 0.667 is
    Krippendorff's (2004, p. 241) lowest acceptable value, for tentative conclusions;
    pass 0.8 for his standard.

    Parameters
    ----------
    frame_table : any table with a ``frame`` column of frame ids (``prevalence``,
        ``frame_tests``, ``Analysis.frames``...).
    validation : a :class:`Validation`, its ``agreement`` table, the output of
        :func:`latest_validation`, or None (no validation yet).
    min_alpha : the lowest alpha counted as reliable.

    Returns
    -------
    A copy of ``frame_table`` with ``validation_alpha``, ``validation_f1`` (NaN for a
    frame not validated) and ``reliable`` (boolean, ``<NA>`` when not validated).

    Examples
    --------
    >>> flag_frames(pd.DataFrame({"frame": ["economy"]}), None)["reliable"].tolist()
    [<NA>]
    """
    _check_alpha(min_alpha)
    require_columns(frame_table, ["frame"], helper="flag_frames",
                    fix="pass a table with one frame id per row in a 'frame' column.")
    agreement = validation.agreement if isinstance(validation, Validation) else validation
    if agreement is None:
        agreement = pd.DataFrame(columns=["measure", "alpha_with_machine", "f1"])
    require_columns(agreement, ["measure", "alpha_with_machine", "f1"], helper="flag_frames",
                    fix="pass a Validation or the output of latest_validation.")
    lookup = agreement.drop_duplicates("measure").set_index("measure")
    keys = "frame_" + frame_table["frame"].astype(str)
    alpha = pd.to_numeric(keys.map(lookup["alpha_with_machine"]), errors="coerce")
    f1 = pd.to_numeric(keys.map(lookup["f1"]), errors="coerce")
    reliable = pd.array([pd.NA if pd.isna(a) else bool(a >= min_alpha) for a in alpha],
                        dtype="boolean")
    return frame_table.assign(validation_alpha=alpha.astype("float64").to_numpy(),
                              validation_f1=f1.astype("float64").to_numpy(),
                              reliable=reliable)


def error_codes(validation: Validation | pd.DataFrame | str | PathLike | None) -> pd.DataFrame:
    """The coders' and framelens's frame codes of a validation, one row per unit and frame.

    What :func:`framelens.corrected_prevalence` needs to correct group shares for the
    measure's error: ``frame, truth, predicted`` (0/1), truth being the coders' majority
    code. The rows are rebuilt from the confusion table (the 2 x 2 counts per frame), so
    a saved validation (``confusion.csv`` beside ``validation.csv``) is enough.

    Parameters
    ----------
    validation : a :class:`Validation`, its ``confusion`` table, the agreement table
        :func:`latest_validation` returns (its ``confusion.csv`` is read from beside it),
        or the path of a ``confusion.csv`` or of the folder holding it. None gives an
        empty table.

    Examples
    --------
    >>> confusion = pd.DataFrame({"measure": "frame_economy", "human": [1, 1, 0, 0],
    ...                           "machine": [1, 0, 1, 0], "count": [8, 2, 3, 7]})
    >>> codes = error_codes(confusion)
    >>> codes.groupby(["truth", "predicted"]).size().tolist()
    [7, 3, 2, 8]
    """
    columns = ["frame", "truth", "predicted"]
    if validation is None:
        return pd.DataFrame(columns=columns)
    if isinstance(validation, Validation):
        confusion = validation.confusion
    elif isinstance(validation, pd.DataFrame) and "count" in validation.columns:
        confusion = validation
    else:
        if isinstance(validation, pd.DataFrame):
            where = validation.attrs.get("path")
            if not where:
                return pd.DataFrame(columns=columns)
            path = Path(where).with_name("confusion.csv")
        else:
            path = Path(validation)
            path = path / "confusion.csv" if path.is_dir() else path
        if not path.is_file():
            return pd.DataFrame(columns=columns)
        confusion = _read_csv(path)
        confusion.attrs["path"] = str(path)
    require_columns(confusion, CONFUSION_COLUMNS, helper="error_codes",
                    fix="pass a validation's confusion table (measure, human, machine, count).")
    frames = confusion[confusion["measure"].astype(str).str.startswith("frame_")]
    rows = []
    for measure, human, machine, count in frames[CONFUSION_COLUMNS].itertuples(index=False):
        try:
            truth, predicted, n = int(human), int(machine), int(count)
        except (TypeError, ValueError):
            continue
        if truth in (0, 1) and predicted in (0, 1) and n > 0:
            rows.extend([(str(measure)[len("frame_"):], truth, predicted)] * n)
    out = pd.DataFrame(rows, columns=columns)
    where = confusion.attrs.get("path")
    out.attrs["source"] = ("validation against coders" + (f" ({Path(where).parent})"
                                                          if where else ""))
    return out


def read_coded_table(
    path: str | PathLike,
    *,
    codebook: Codebook | str | PathLike | None = None,
    text: str | None = None,
    frame_columns: dict[str, str] | None = None,
) -> pd.DataFrame:
    """A coded sample to learn frames from: a coding sheet, or any table of coded articles.

    A CSV with the coding sheet's ``unit_id`` and ``codebook`` columns is read with
    :func:`read_coding_sheet` (every check included). Any other table (CSV, JSONL,
    Parquet...) is read with :func:`framelens.read_articles`, one row per article: it
    needs ``codebook`` and one 0/1 column per frame, named ``frame_<id>`` or ``<id>``, or
    mapped with ``frame_columns`` (``{"responsibility": "resolution"}``); true/false are
    read as 1/0.

    Returns
    -------
    DataFrame with ``unit_id``, ``text`` (``title`` when there is one) and
    ``frame_<id>`` columns; ``attrs``: ``path``, ``codebook`` (the :class:`Codebook`) and
    ``unit``.
    """
    source = Path(path)
    head = ""
    if source.suffix.lower() == ".csv" and source.is_file():
        with open(source, encoding="utf-8-sig", errors="replace") as handle:
            head = handle.readline()
    header = {c.strip().strip('"') for c in head.split(",")}
    if {"unit_id", "codebook"} <= header and not frame_columns:
        table = read_coding_sheet(source, codebook=codebook)
        if text and text != "text":
            table["text"] = table[text]
        return table
    if codebook is None:
        raise OptionError(f"{source} is not a coding sheet written by `framelens sample`, so "
                          "framelens cannot tell which codebook its frames belong to.",
                          fix="name it with --codebook (e.g. --codebook generic).")
    from framelens.corpus import read_articles

    book = load_codebook(codebook)
    articles = read_articles(source, text=text or "text")
    mapping = dict(frame_columns or {})
    unknown = [f for f in mapping if f not in book.frame_ids]
    if unknown:
        raise OptionError(f"codebook {book.name} has no frame {unknown[0]!r} (its frames: "
                          f"{list(book.frame_ids)}).", fix="map a frame of the codebook.")
    out = pd.DataFrame({"unit_id": articles["article_id"].astype(str),
                        "title": articles.get("title", ""), "text": articles["text"]})
    for frame in book.frame_ids:
        column = mapping.get(frame, f"frame_{frame}")
        if column not in articles.columns and frame not in mapping and frame in articles:
            column = frame  # a column named as the frame itself ("conflict")
        if column not in articles.columns:
            if frame in mapping:
                raise MissingColumnError(
                    f"{source} has no column {column!r} (mapped to frame {frame}); it has "
                    f"{list(articles.columns)}.", fix="map an existing column.")
            continue
        values = articles[column].map(lambda v: {True: 1, False: 0}.get(v, v)
                                      if isinstance(v, bool) else v)
        out[f"frame_{frame}"] = values.to_numpy()
    out.attrs.update(path=str(source), codebook=book, unit="article")
    return out
