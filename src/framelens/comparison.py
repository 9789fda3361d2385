"""The corpus comparison in one call: :func:`compare_corpus` and its :class:`Comparison`.

This module owns the step after the scores table. :func:`compare_corpus` scores a corpus
(cached, :func:`framelens.score_corpus`) or takes its scores file, sets aside duplicates and
unusable articles, and runs every comparison of :mod:`framelens.compare`, returning
:class:`Comparison` with its tidy tables. Data flows one way::

    articles → per-article analysis (analysis) → scores table (scores)
             → comparison (this module, statistics in compare) → reports

so this module imports the scores table and the statistics, and none of them imports it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from framelens import compare
from framelens.actors import ActorList, load_actors, unmatched_actors
from framelens.codebook import Codebook, load_codebook
from framelens.corpus import read_articles
from framelens.duplicates import drop_duplicates as drop
from framelens.duplicates import find_duplicates
from framelens.errors import MissingColumnError, OptionError
from framelens.files import write_csv
from framelens.scores import (
    CorpusScores,
    cache_key,
    is_scores_file,
    read_scores,
    score_corpus,
    scored_duplicates,
)

log = logging.getLogger(__name__)

__all__ = ["PERIOD_COLUMNS", "Comparison", "compare_corpus"]

#: grouping columns derived from ``published`` when the corpus has no column of that name
PERIOD_COLUMNS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W"}


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The tables of one comparison of a corpus across groups.

    Attributes
    ----------
    by : the grouping column; ``codebook``: the :class:`Codebook` used.
    n_read : articles read.
    scores : the articles compared (usable, duplicates dropped unless kept), one row each.
    sizes : every group with its size and whether it was included (and why not).
    duplicates : exact and near duplicates found (:func:`framelens.find_duplicates`).
    problems : articles with no usable text, listed rather than dropped silently.
    prevalence, frame_tests, frame_pairwise : frame use per group, omnibus and pairwise
        tests with FDR-adjusted p-values and effect sizes (each with the frame's ``label``).
    sentiment, sentiment_tests, sentiment_pairwise : the same for article polarity.
    keyness : distinctive terms of each group against the rest (G² and log ratio).
    voices, quoting : whom each group quotes, and how much.
    trends : series per group by week, month, quarter or year (:attr:`trend_period`;
        None without dates); ``within_event``: same-event
        differences (None without an event column).
    summary : plain-English sentences on the differences that are statistically reliable.
    actor_list : the :class:`~framelens.actors.ActorList` compared, or None (then every
        ``actor_*`` table is None).
    actor_tone, actor_tests, actor_pairwise : tone toward each actor per group (mean net
        tone per article with bootstrap intervals), Kruskal–Wallis per actor and pairwise
        Mann–Whitney tests, FDR-adjusted (:func:`framelens.actor_tone_by_group`...).
    actor_sizes : articles mentioning each actor per group, and which pairs were compared.
    actor_within_event : same-event differences of net tone (None without an event).
    actor_unmatched : actors of the list that no compared article mentions.
    frames_model : the learned frames (:class:`~framelens.models.frames.FrameModel`) the
        articles were coded with, or None for the codebook's dictionary alone.
    error_rates : sensitivity and specificity of each frame's measure, with ``source``
        (the learned frames' cross-validation, or a validation against coders); None when
        no frame's error is known (then ``corrected`` and ``corrected_pairwise`` are None).
    corrected, corrected_pairwise : each group's share raw and corrected for the measured
        error, and the differences tested on corrected shares
        (:func:`framelens.corrected_prevalence`, :func:`framelens.corrected_pairwise`).
    """

    by: str
    codebook: Codebook
    n_read: int
    scores: pd.DataFrame
    sizes: pd.DataFrame
    duplicates: pd.DataFrame
    problems: pd.DataFrame
    prevalence: pd.DataFrame
    frame_tests: pd.DataFrame
    frame_pairwise: pd.DataFrame
    sentiment: pd.DataFrame
    sentiment_tests: pd.DataFrame
    sentiment_pairwise: pd.DataFrame
    keyness: pd.DataFrame
    voices: pd.DataFrame
    quoting: pd.DataFrame
    trends: pd.DataFrame | None
    within_event: pd.DataFrame | None
    summary: list[str]
    actor_list: ActorList | None = None
    actor_tone: pd.DataFrame | None = None
    actor_tests: pd.DataFrame | None = None
    actor_pairwise: pd.DataFrame | None = None
    actor_sizes: pd.DataFrame | None = None
    actor_within_event: pd.DataFrame | None = None
    actor_unmatched: pd.DataFrame | None = None
    frames_model: Any = None
    error_rates: pd.DataFrame | None = None
    corrected: pd.DataFrame | None = None
    corrected_pairwise: pd.DataFrame | None = None

    @property
    def frame_labels(self) -> dict[str, str]:
        """Frame id → label, for tables and charts."""
        return {f.id: f.label for f in self.codebook.frames}

    @property
    def groups(self) -> list:
        """The groups compared, in order."""
        return self.sizes.loc[self.sizes["included"], "group"].tolist()

    @property
    def trend_period(self) -> str:
        """The period of :attr:`trends` ("week", "month", "quarter" or "year"), read from
        its dates; "" without trends."""
        return "" if self.trends is None else compare.period_name(self.trends["period"])

    def over_time_text(self) -> str:
        """What the over-time chart shows, in the period it uses.

        Examples
        --------
        >>> comparison.over_time_text()  # doctest: +SKIP
        'Yearly mean sentiment per group, for articles with a publication date. ...'
        """
        period = self.trend_period
        if not period:
            return "The corpus has no publication dates, so nothing is shown over time."
        adverb = {"week": "Weekly", "month": "Monthly", "quarter": "Quarterly",
                  "year": "Yearly"}[period]
        return (f"{adverb} mean sentiment per group, for articles with a publication date "
                f"(the period is chosen from the corpus's date range). {period.capitalize()}s "
                "in which a group published nothing are gaps, not zeros.")

    def overview(self) -> pd.DataFrame:
        """Key facts of the corpus as a two-column table (``what, value``)."""
        left_out = self.sizes.loc[~self.sizes["included"]]
        dated = self.scores["published"].notna() if "published" in self.scores else None
        rows = [
            ("articles read", self.n_read),
            ("without usable text (listed below)", len(self.problems)),
            ("exact duplicates", int((self.duplicates["kind"] == "exact").sum())),
            ("near duplicates", int((self.duplicates["kind"] == "near").sum())),
            ("articles compared", int(self.sizes.loc[self.sizes["included"],
                                                     "n_articles"].sum())),
            (f"groups compared (by {self.by})", len(self.groups)),
            ("groups left out (too small)", len(left_out)),
            ("words compared", int(self.sizes.loc[self.sizes["included"], "n_words"].sum())),
            ("articles with a date", int(dated.sum()) if dated is not None else 0),
            ("codebook", f"{self.codebook.name} {self.codebook.version}"),
        ]
        # counts read with thousands separators ("1,108,982"), as everywhere in a report
        rows = [(what, f"{value:,}" if isinstance(value, int) else str(value))
                for what, value in rows]
        return pd.DataFrame(rows, columns=["what", "value"])

    def to_csv(self, folder: str | PathLike) -> list[Path]:
        """Write every table as CSV in ``folder`` (and ``summary.txt``); return the paths.

        Text cells that a spreadsheet would run as a formula (an outlet starting with
        ``=``) get a leading apostrophe (:func:`framelens.files.safe_cell`).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tables = {name: getattr(self, name) for name in (
            "scores", "sizes", "duplicates", "problems", "prevalence", "frame_tests",
            "frame_pairwise", "sentiment", "sentiment_tests", "sentiment_pairwise", "keyness",
            "voices", "quoting", "trends", "within_event", "actor_tone", "actor_tests",
            "actor_pairwise", "actor_sizes", "actor_within_event", "actor_unmatched",
            "error_rates", "corrected", "corrected_pairwise")}
        paths = []
        for name, table in tables.items():
            if table is None:
                continue
            path = folder / f"{name}.csv"
            write_csv(table, path)
            paths.append(path)
        summary = folder / "summary.txt"
        summary.write_text("\n".join(self.summary) + "\n", encoding="utf-8")
        return [*paths, summary]


def compare_corpus(
    articles: pd.DataFrame | Any | str | PathLike,
    *,
    by: str,
    groups: list | None = None,
    min_articles: int = 5,
    codebook: Codebook | str | PathLike = "ai",
    cache: str | PathLike | None = None,
    drop_duplicates: bool = True,
    event: str | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
    min_count: int = 10,
    min_docs: int = 5,
    freq: str = "auto",
    columns: dict[str, str] | None = None,
    actors: ActorList | str | PathLike | None = None,
    tone_model: Any = None,
    frames: Any = None,
    validation: Any = None,
) -> Comparison:
    """Score a corpus (or take its scores) and compare its groups on frames, sentiment,
    terms and voices.

    Parameters
    ----------
    articles : the corpus, as one of
        - an articles table (:func:`framelens.read_articles`): scored here (cached);
        - its scores (:class:`framelens.CorpusScores`, from :func:`framelens.score_corpus`
          or :func:`framelens.read_scores`): not scored again;
        - a path: the scores file of ``framelens score`` (whichever engine wrote it),
          read with :func:`framelens.read_scores`, or a corpus file or folder, read with
          :func:`framelens.read_articles` and ``columns``.

        Duplicates are found in the texts, which scores do not keep: for a scores file
        they are read again from the corpus it names, when that is still there unchanged
        (otherwise a warning says that duplicates were not looked for).
    by : the column to compare by (``outlet``, ``bias_text``, ``topic``...); ``year``,
        ``quarter``, ``month`` or ``week`` are derived from ``published`` when the corpus
        has no column of that name (undated articles are then left out).
    groups : only these groups, in this order; default every group large enough.
    min_articles : groups with fewer usable articles are named and left out.
    codebook : a :class:`Codebook`, a shipped name or a YAML path; scores given must
        have been computed with it.
    cache : folder of the scores cache (:func:`framelens.score_corpus`); None for none.
    drop_duplicates : leave exact and near duplicates out (they are always listed).
    event : a column naming the story or event, for :func:`framelens.within_event`.
    n_boot, seed : bootstrap resamples and seed (results are reproducible for a seed).
    alpha : false discovery rate under which a difference counts as reliable.
    min_count, min_docs : terms with fewer occurrences, or found in fewer articles, are
        not tested for keyness (one long article must not make a group's vocabulary).
    freq : period of the trends: a pandas frequency (``"MS"`` months, ``"QS"`` quarters,
        ``"YS"`` years) or ``"auto"``: months for up to two years of dates, quarters for
        up to eight, years beyond.
    columns : the column mapping (``{"text": "body", "outlet": "source"}``) for a corpus
        given as a path.
    actors : an actor list (:func:`framelens.load_actors`: ``"us-politics"``,
        ``"china-tech"`` or a YAML file): the groups' tone toward each of its actors is
        compared too, with the same intervals, tests and corrections as frames. Scores
        given must have been computed with it (``framelens score --actors``).
    tone_model : the folder of a tone model (default: the shipped one).
    frames : learned frames (:func:`framelens.learn_frames`: a model or its file) to code
        the articles with instead of the dictionary; scores given must have been computed
        with them (``framelens score --frames``). Their cross-validated codes give each
        learned frame's sensitivity and specificity.
    validation : the error of the dictionary's frames, for the correction: one row per
        coded unit and frame, ``frame, truth, predicted`` (0/1), as
        ``fl.error_codes(fl.latest_validation("validation", codebook=...))`` rebuilds them
        from a saved validation (``attrs["source"]`` may say where they come from).
        Frames with a known error get shares corrected for it
        (:func:`framelens.corrected_prevalence`), and the summary uses them.

    Returns
    -------
    :class:`Comparison`; the same whether the corpus was scored here or its scores file
    was written by ``framelens score`` with either engine.

    Examples
    --------
    >>> arts = fl.read_articles("../shared/data/allsides-china-tech/articles.jsonl")
    >>> comparison = fl.compare_corpus(arts, by="bias_text")  # doctest: +SKIP
    >>> comparison = fl.compare_corpus("scores.parquet", by="bias_text")  # doctest: +SKIP
    >>> comparison.summary[:2]  # doctest: +SKIP
    """
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    actor_list = None if actors is None else load_actors(actors)
    frames_model = None
    if frames is not None:
        from framelens.models.frames import FrameModel, load_frame_model

        frames_model = frames if isinstance(frames, FrameModel) else \
            load_frame_model(frames, codebook=codebook)
    if isinstance(articles, (str, PathLike)):
        articles = (read_scores(articles) if is_scores_file(articles)
                    else read_articles(articles, **dict(columns or {})))
    given = articles if isinstance(articles, CorpusScores) else None
    table = articles.scores if given is not None else articles
    if by in PERIOD_COLUMNS and by not in table.columns and "published" in table.columns:
        period = table["published"].dt.to_period(PERIOD_COLUMNS[by]).astype(str)
        period = period.where(table["published"].notna())
        if given is None:
            table = table.assign(**{by: period})
        else:  # where score_corpus puts the articles' own columns
            table = table.copy()
            table.insert(table.columns.get_loc("content_key"), by, period)
    for column, what in ((by, "compare by"), (event, "use as the event")):
        if column is not None and column not in table.columns:
            raise MissingColumnError(
                f"no column {column!r} to {what}; the corpus has {list(table.columns)}.",
                fix="pick one of those columns (or map yours when reading the corpus).")
    if given is None:
        duplicates = find_duplicates(table)
        scored = score_corpus(table, codebook=codebook, cache=cache, actors=actor_list,
                              tone_model=tone_model, frames=frames_model)
    else:
        scored = dataclasses.replace(given.checked(codebook, frames=frames_model), scores=table)
        duplicates = scored_duplicates(scored)
        if actor_list is not None:
            _check_actor_scores(scored, actor_list, codebook=codebook, tone_model=tone_model)
    problems = scored.problems()
    scores = scored.scores[scored.scores["status"] == "ok"]
    if drop_duplicates:
        scores = drop(scores, duplicates)
    # lines repeated across an outlet's articles, left out of keyness (the scores file
    # keeps no texts: there, only reporting verbs and self-references are left out)
    boilerplate = (compare.boilerplate_lines(table) if given is None
                   and {"outlet", "text"} <= set(table.columns) else None)
    options = {"by": by, "groups": groups, "min_articles": min_articles}
    boot = {"n_boot": n_boot, "seed": seed}
    # every helper would name the left-out groups again: say it once, then keep them quiet
    quiet = _Quiet(logging.getLogger(compare.__name__))
    with quiet:
        sizes = compare.group_sizes(scores, **options)
        actor_tables = (_compare_actors(scores, scored, actor_list, options, boot,
                                        event=event)
                        if actor_list is not None else {})
        errors = _error_codes(frames_model, validation)
        corrections = _corrections(scores, errors, options, boot, codebook)
        result = _run_comparison(scores, scored, options, boot, sizes=sizes, by=by,
                                 event=event, freq=freq, alpha=alpha, min_count=min_count,
                                 min_docs=min_docs, codebook=codebook,
                                 actor_tables=actor_tables, boilerplate=boilerplate,
                                 corrections=corrections)
    for message in quiet.unique():
        log.warning("%s", message)
    return Comparison(n_read=len(table), duplicates=duplicates, problems=problems,
                      actor_list=actor_list, frames_model=frames_model, **actor_tables,
                      **corrections, **result)


def _error_codes(frames_model: Any, validation: pd.DataFrame | None) -> pd.DataFrame:
    """Truth and machine codes per frame: the learned frames' cross-validation for the
    frames their sheet coded, the validation codes given for the other frames."""
    parts = []
    learned = set(frames_model.measured) if frames_model is not None else set()
    if learned:
        own = frames_model.validation
        own = own[own["frame"].isin(learned)][["frame", "truth", "predicted"]]
        parts.append(own.assign(source="learned frames, cross-validated on "
                                f"{frames_model.n_units} coded {frames_model.unit}s"))
    if validation is not None and len(validation):
        missing = [c for c in ("frame", "truth", "predicted") if c not in validation.columns]
        if missing:
            raise MissingColumnError(
                f"compare_corpus: the validation codes lack column(s) {missing}.",
                fix="pass fl.error_codes(fl.latest_validation(folder)) or a table frame, "
                    "truth, predicted.")
        codes = validation[~validation["frame"].isin(learned)]
        source = str(validation.attrs.get("source") or "validation against coders")
        parts.append(codes[["frame", "truth", "predicted"]].assign(source=source))
    if not parts:
        return pd.DataFrame(columns=["frame", "truth", "predicted", "source"])
    return pd.concat(parts, ignore_index=True)


def _corrections(scores: pd.DataFrame, errors: pd.DataFrame, options: dict, boot: dict,
                 codebook: Codebook) -> dict:
    """The corrected-share tables (None each when no frame's error is known)."""
    frames = [f for f in codebook.frame_ids if f in set(errors["frame"])]
    if not frames:
        return dict(error_rates=None, corrected=None, corrected_pairwise=None)
    rates = compare.frame_error_rates(errors)
    rates["source"] = rates["frame"].map(errors.drop_duplicates("frame")
                                         .set_index("frame")["source"])
    return dict(
        error_rates=rates,
        corrected=compare.corrected_prevalence(scores, validation=errors, frames=frames,
                                               **options, **boot),
        corrected_pairwise=compare.corrected_pairwise(scores, validation=errors,
                                                      frames=frames, **options, **boot),
    )


def _check_actor_scores(scored: Any, actor_list: ActorList, *, codebook: Codebook,
                        tone_model: Any) -> None:
    """Refuse scores whose actor tone was not computed with this list and tone model."""
    wanted = cache_key(codebook, actors=actor_list, tone_model=tone_model)
    used = scored.metadata.get("actors_key")
    if used is None and not scored.metadata and not scored.actors.empty:
        return  # computed in memory by score_corpus with this list
    if used != wanted:
        what = "hold no tone toward actors" if used is None else \
            "were scored with another actor list or tone model"
        raise OptionError(
            f"these scores {what}, so the actors of {actor_list.name!r} cannot be compared.",
            fix=f"score the corpus with the list (framelens score CORPUS --actors "
                f"{actor_list.name} --out ...), or compare the corpus file itself.")


class _Quiet(logging.Filter):
    """Collect a logger's records while active, to re-emit each distinct one once."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__()
        self.logger = logger
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.messages.append(re.sub(r"^\w+: ", "", record.getMessage()))
        return False

    def __enter__(self) -> _Quiet:
        self.logger.addFilter(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeFilter(self)

    def unique(self) -> list[str]:
        return list(dict.fromkeys(self.messages))


def _compare_actors(scores: pd.DataFrame, scored: Any, actor_list: ActorList,
                    options: dict, boot: dict, *, event: str | None) -> dict:
    """The actor tables of a comparison: tone toward each actor of the list per group."""
    tone = scored.actors[scored.actors["article_id"].isin(scores["article_id"])]
    tone = tone[tone["actor"].isin(actor_list.actor_ids)]
    within = (compare.actor_within_event(tone, scores, **options, event=event, **boot)
              if event else None)
    unmatched = unmatched_actors(actor_list, tone)
    return dict(
        actor_tone=compare.actor_tone_by_group(tone, scores, **options, **boot),
        actor_tests=compare.actor_tone_tests(tone, scores, **options),
        actor_pairwise=compare.actor_tone_pairwise(tone, scores, **options, **boot),
        actor_sizes=compare.actor_group_sizes(tone, scores, **options),
        actor_within_event=within,
        actor_unmatched=unmatched,
    )


def _run_comparison(scores: pd.DataFrame, scored: Any, options: dict,
                    boot: dict, *, sizes: pd.DataFrame, by: str, event: str | None, freq: str,
                    alpha: float, min_count: int, min_docs: int, codebook: Codebook,
                    actor_tables: dict, boilerplate: pd.DataFrame | None = None,
                    corrections: dict | None = None) -> dict:
    terms = scored.terms[(scored.terms["ngram"] == 1)
                         & scored.terms["article_id"].isin(scores["article_id"])]
    prevalence = compare.frame_prevalence(scores, **options, **boot)
    frame_pairwise = compare.frame_pairwise(scores, **options)
    sentiment = compare.sentiment_by_group(scores, **options, **boot)
    sentiment_pairwise = compare.sentiment_pairwise(scores, **options)
    keyness = compare.keyness(terms, scores, **options, min_count=min_count, min_docs=min_docs,
                              boilerplate=boilerplate)
    dates = scores["published"].dropna() if "published" in scores.columns else pd.Series()
    if freq == "auto" and len(dates):
        years = (dates.max() - dates.min()).days / 365.25
        freq = "MS" if years <= 2 else "QS" if years <= 8 else "YS"
    trends = compare.trends(scores, **options, freq=freq) if len(dates) else None
    within = (compare.within_event(scores, **options, event=event, **boot)
              if event else None)
    summary = compare.summarize_differences(
        frame_pairwise=frame_pairwise, frame_prevalence=prevalence,
        sentiment_pairwise=sentiment_pairwise, sentiment_by_group=sentiment, keyness=keyness,
        alpha=alpha, frame_labels={f.id: f.label for f in codebook.frames}, max_frames=12,
        actor_tone_pairwise=actor_tables.get("actor_pairwise"),
        actor_tone_by_group=actor_tables.get("actor_tone"), max_actors=12,
        corrected_pairwise=(corrections or {}).get("corrected_pairwise"),
        corrected_prevalence=(corrections or {}).get("corrected"))
    labels = pd.DataFrame({"frame": list(codebook.frame_ids),
                           "label": [f.label for f in codebook.frames]})

    def labelled(table: pd.DataFrame) -> pd.DataFrame:
        out = table.merge(labels, on="frame", how="left")
        first = ["frame", "label"]
        return out[first + [c for c in out.columns if c not in first]]

    return dict(
        by=by,
        codebook=codebook,
        scores=scores.reset_index(drop=True),
        sizes=sizes,
        prevalence=labelled(prevalence),
        frame_tests=labelled(compare.frame_tests(scores, **options)),
        frame_pairwise=labelled(frame_pairwise),
        sentiment=sentiment,
        sentiment_tests=compare.sentiment_tests(scores, **options),
        sentiment_pairwise=sentiment_pairwise,
        keyness=keyness,
        voices=compare.voices_by_group(scores=scores, voices=scored.voices[
            scored.voices["article_id"].isin(scores["article_id"])], **options),
        quoting=compare.quoting_by_group(scores, **options, **boot),
        trends=trends,
        within_event=within,
        summary=summary,
    )
