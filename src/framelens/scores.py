"""Corpus scores: one row per article, computed in chunks and cached on disk.

This module owns the tables a corpus comparison starts from (:class:`CorpusScores`):

``scores``
    one row per article, in the order of the articles table: the columns of
    :meth:`framelens.Analysis.scores` (length, sentiment, frame rates and hits, quoting),
    ``used_<frame>`` per frame (True when the article uses the frame: its evidence passes
    the codebook's threshold, the ``used`` column of :func:`framelens.score_frames`), every
    other metadata column of the articles (``url, origin, is_english, topic``...;
    not ``text``), ``content_key`` and ``status``.
``terms``
    ``article_id, ngram, term, count``: every word (``ngram`` 1) and bigram (2) of each
    article, stopwords and numbers left out, captions and boilerplate too (the counts
    keyness needs; nothing is cut to a top N).
``voices``
    ``article_id, speaker, n_quotes, n_direct, n_reported, n_words, role``, from
    :func:`framelens.speakers`.
``actors``
    with an actor list only (``actors=``; empty otherwise): the tone toward each actor
    of the list in each article that mentions it, with the columns of
    :func:`framelens.actors.actor_tone` (``article_id, actor, label, mentions,
    share_negative ... most_positive_tone``), from the tone model
    (:mod:`framelens.models.tone`). Mentions go through the model one at a time: the
    int8 model quantises a batch as a whole, so in a batch a mention's tone would move
    (by up to 0.01) with the other mentions of the chunk.

Articles that cannot be scored stay in ``scores``, with NaN scores and a ``status``
saying why, so a report can list them (:meth:`CorpusScores.problems`):

``"ok"``           scored
``"no text"``      the text holds no word (empty, or punctuation only)
``"not English"``  the text does not look like English (``is_english`` is False): the
                   lexicons and codebooks are English, so its scores would be noise

:func:`score_articles` scores one chunk and is pure (articles in, tables out), so it can
run in a Dask ``map_partitions``. :func:`score_corpus` scores a whole corpus chunk by
chunk and, given a cache folder, keeps every computed chunk there as Parquet::

    <cache>/<codebook>-<version>[-<actor list>]-<digest>/     (the config key)
        config.json                       what the key stands for, for humans
        chunk-<hash>.terms.parquet
        chunk-<hash>.voices.parquet
        chunk-<hash>.actors.parquet       with an actor list only
        chunk-<hash>.scores.parquet       written last: a chunk exists once this does

The config key (:func:`cache_key`) hashes the codebook's content, the framelens version
and code and :data:`SCORES_SCHEMA_VERSION`; with an actor list, also the list's content,
the actor code and the tone model's SHA-256. Change any of them and the corpus is scored
afresh in a new folder (scores with and without actors live in different folders).
Within it each article is found by its ``content_key``, a hash of its title, text and
``is_english`` (everything the scores depend on), so a re-run computes nothing, new
articles are computed and appended as a new chunk, and metadata (outlet, date, topic...)
always comes from the articles table as it is now: correcting an outlet name needs no
re-scoring.

A **scores file** keeps the tables for later (:meth:`CorpusScores.to_parquet`,
:func:`read_scores`; ``framelens score`` writes one for a corpus of any size, see
:mod:`framelens.engine`)::

    scores.parquet              the scores table
    scores.terms.parquet        the terms table
    scores.voices.parquet       the voices table
    scores.actors.parquet       the actors table, when scored with an actor list

Each file's Parquet key-value metadata (key ``framelens``, JSON) records the framelens
version, the codebook and :func:`cache_key`, the input file and its SHA-256 and the
parameters, and a run id shared by the files; with an actor list, also the list and the
tone model (``actors`` and ``tone_model``: name, version, SHA-256, path) and the key
that covers them (``actors_key``). A scores file without ``.actors.parquet`` (written
without actors, or by an older framelens) reads back with an empty actors table.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framelens.actors import ACTOR_TONE_COLUMNS, ActorList, load_actors
from framelens.codebook import Codebook, load_codebook
from framelens.corpus import looks_english
from framelens.errors import InputError, MissingColumnError, OptionError
from framelens.files import share_like_new_file
from framelens.versions import framelens_version, scoring_versions

__all__ = ["SCORES_SCHEMA_VERSION", "CorpusScores", "ScoresWriter", "cache_key",
           "empty_schemas", "is_framelens_file", "is_scores_file", "parquet_ready",
           "read_scores", "score_articles", "score_corpus", "scored_duplicates", "scores_files",
           "table_schema"]

log = logging.getLogger(__name__)

#: Bump when the scores change without a new framelens version (a fixed rule, a new
#: column), so that caches written before are not read again.
SCORES_SCHEMA_VERSION = 2  # 2: used_<frame> columns (the codebook's thresholds)

#: The statuses of an article in the scores table.
STATUSES = ("ok", "no text", "not English")

TERM_COLUMNS = ["article_id", "ngram", "term", "count"]
VOICE_COLUMNS = ["article_id", "speaker", "n_quotes", "n_direct", "n_reported", "n_words",
                 "role"]
_META = ["article_id", "title", "outlet", "published"]
_KEYS = ["content_key", "status"]
_TERM_DTYPES = {"ngram": "int64", "term": "str", "count": "int64"}
_VOICE_DTYPES = {"speaker": "str", "n_quotes": "int64", "n_direct": "int64",
                 "n_reported": "int64", "n_words": "int64", "role": "str"}
_ACTOR_DTYPES = {"actor": "str", "label": "str", "mentions": "int64",
                 "share_negative": "float64", "share_neutral": "float64",
                 "share_positive": "float64", "net_tone": "float64", "mean_tone": "float64",
                 "in_headline": "bool", "in_lead": "bool", "most_negative": "str",
                 "most_negative_tone": "float64", "most_positive": "str",
                 "most_positive_tone": "float64"}
_WORD_CHAR_RE = re.compile(r"[^\W_]")

Progress = Callable[[int, int], object]


def _empty_actor_tone() -> pd.DataFrame:
    """The actors table of scores computed without an actor list: no rows, its columns."""
    return _empty(ACTOR_TONE_COLUMNS, {"article_id": "str", **_ACTOR_DTYPES})


@dataclasses.dataclass(frozen=True, eq=False)
class CorpusScores:
    """The score tables of a corpus (or of one chunk of it); see the module docstring.

    Attributes
    ----------
    scores : one row per article, in input order, with ``content_key`` and ``status``.
    terms : ``article_id, ngram, term, count``.
    voices : ``article_id, speaker, n_quotes, n_direct, n_reported, n_words, role``.
    actors : the tone toward each actor of an actor list per article, with the columns
        of :func:`framelens.actors.actor_tone` (``ACTOR_TONE_COLUMNS``); empty (with
        those columns) when scored without a list.
    metadata : where the tables came from, when read from a scores file
        (:func:`read_scores`): framelens version, codebook, :func:`cache_key`, input
        file and its SHA-256, parameters. For tables computed in memory, empty, or with
        an actor list the list and tone model used (``actors``, ``tone_model``,
        ``actors_key``).
    """

    scores: pd.DataFrame
    terms: pd.DataFrame
    voices: pd.DataFrame
    actors: pd.DataFrame = dataclasses.field(default_factory=lambda: _empty_actor_tone())
    metadata: dict = dataclasses.field(default_factory=dict)

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables a scores file of these scores holds: ``scores, terms, voices``, and
        ``actors`` when they were computed with an actor list (or hold actor tone)."""
        with_actors = bool(self.metadata.get("actors")) or not self.actors.empty
        return _TABLES if with_actors else _TABLES[:3]

    def to_parquet(self, path: str | PathLike, *, metadata: dict | None = None) -> dict:
        """Write the tables as a scores file: ``path`` (the scores) and its siblings
        ``.terms.parquet``, ``.voices.parquet`` and, with actor tone,
        ``.actors.parquet`` (see :func:`scores_files`), replaced at once;
        :func:`read_scores` reads them back.

        Parameters
        ----------
        path : the ``scores.parquet`` to write.
        metadata : provenance to store with them (merged over ``self.metadata``).

        Returns
        -------
        ``{"scores": path, "terms": ..., "voices": ...}`` (and ``"actors"``)

        Examples
        --------
        >>> fl.score_corpus(arts).to_parquet("scores.parquet")  # doctest: +SKIP
        """
        version = framelens_version()

        ready = dataclasses.replace(self, scores=parquet_ready(self.scores))
        schemas = {t: table_schema(getattr(ready, t)) for t in self.tables}
        meta = {"framelens": version, "schema": SCORES_SCHEMA_VERSION, **self.metadata,
                **(metadata or {}), "n_articles": len(self.scores)}
        with ScoresWriter(path, schemas=schemas, metadata=meta) as writer:
            writer.write(ready)
        return writer.paths

    def checked(self, codebook: Codebook | str | PathLike, *,
                frames: object = None) -> CorpusScores:
        """These scores, once checked to come from ``codebook`` (and ``frames``).

        Raises
        ------
        OptionError when they were computed with another codebook (another name or
        version, or without one of its frames), or without the learned ``frames``
        asked for. Scores of the same codebook computed by another framelens (another
        :func:`cache_key`) pass with a warning.
        """
        codebook = load_codebook(codebook)
        if frames is not None:
            wanted = learned_frames(frames, codebook).sha256
            got = (self.metadata.get("frames") or {}).get("sha256")
            if got != wanted:
                raise OptionError(
                    "these scores were computed " + ("without learned frames" if got is None
                                                     else "with other learned frames")
                    + ", so they cannot be compared on these.",
                    fix="score the corpus with them (framelens score CORPUS --frames MODEL "
                        "--out ...), or compare the corpus file itself.")
        label = f"{codebook.name} {codebook.version}"
        used = set(self.scores["codebook"].dropna()) if "codebook" in self.scores else set()
        lacking = [f"frame_{f}" for f in codebook.frame_ids
                   if f"frame_{f}" not in self.scores.columns]
        if used - {label} or lacking:
            named = ", ".join(sorted(used)) or "another codebook"
            raise OptionError(
                f"these scores were computed with codebook {named}, not {label}.",
                fix=f"pass the codebook they were computed with (codebook='{named.split()[0]}'"
                "), or score the corpus again with this one.")
        key = self.metadata.get("cache_key")
        if key and key != cache_key(codebook):
            log.warning("these scores were computed by framelens %s (key %s), not by this "
                        "framelens (key %s): run `framelens score --force` to compare what "
                        "this version computes.", self.metadata.get("framelens", "?"), key,
                        cache_key(codebook))
        return self

    def problems(self) -> pd.DataFrame:
        """The articles that were not scored, and why.

        Returns
        -------
        DataFrame with ``article_id, outlet, title, origin, status`` (those of them the
        scores table has), one row per article whose ``status`` is not ``"ok"``;
        ``origin`` says where to find the article (file, or table and row).
        """
        columns = [c for c in ("article_id", "outlet", "title", "origin", "status")
                   if c in self.scores.columns]
        unscored = self.scores["status"] != "ok"
        return self.scores.loc[unscored, columns].reset_index(drop=True)


# --- the computed columns ------------------------------------------------------------


def _computed_dtypes(codebook: Codebook, frames: object = None) -> dict[str, str]:
    """The columns :func:`score_articles` computes (not metadata), with their dtypes.

    Counts are nullable integers (``Int64``) so unscored articles hold ``<NA>``, and every
    chunk has the same schema whatever its articles. With learned frames (``frames``) the
    probability of each frame (``prob_<id>``, NaN for a frame coded by the dictionary)
    and whether the article uses it (``used_<id>``) come last.
    """
    ids = codebook.frame_ids
    learned = {} if frames is None else {
        **{f"prob_{f}": "float64" for f in ids}, **{f"used_{f}": "boolean" for f in ids}}
    return {
        "n_sentences": "Int64", "n_words": "Int64", "polarity": "float64",
        "subjectivity": "float64", "vader_compound": "float64", "label": "str",
        "headline_polarity": "float64", "lead_polarity": "float64", "dominant": "str",
        "top_frame": "str",
        **{f"frame_{f}": "float64" for f in ids},
        **{f"hits_{f}": "Int64" for f in ids},
        **{f"used_{f}": "boolean" for f in ids},
        "n_quotes": "Int64", "n_speakers": "Int64", "quoted_share": "float64",
        "direct_share": "float64", "codebook": "str", **learned,
    }


def _content_key(title: object, text: object, is_english: bool) -> str:
    parts = ("" if not isinstance(title, str) else title,
             "" if not isinstance(text, str) else text, str(bool(is_english)))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _status(text: object, is_english: bool) -> str:
    if not isinstance(text, str) or not _WORD_CHAR_RE.search(text):
        return "no text"
    return "ok" if is_english else "not English"


def _prepare(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles with ``content_key`` and ``status`` (and the optional metadata
    columns added when absent), checked, with a fresh index."""
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise MissingColumnError(
            f"scoring needs column(s) {missing}; the table has {list(articles.columns)}.",
            fix="pass the output of framelens.read_articles.")
    out = articles.reset_index(drop=True).copy()
    out["article_id"] = out["article_id"].astype(str)
    repeated = out["article_id"][out["article_id"].duplicated()]
    if len(repeated):
        raise InputError(
            f"{len(repeated)} article_id value(s) repeat (first: {repeated.iloc[0]!r}).",
            fix="give every article its own id; framelens.read_articles adds suffixes "
            "(-2, -3...) to repeated ids.")
    for column, default in (("title", ""), ("outlet", "")):
        if column not in out.columns:
            out[column] = default
    if "published" not in out.columns:
        out["published"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    if "is_english" not in out.columns:
        out["is_english"] = [not isinstance(t, str) or looks_english(t) for t in out["text"]]
    english = out["is_english"].fillna(True).astype(bool)
    out["content_key"] = pd.Series(
        [_content_key(*row) for row in zip(out["title"], out["text"], english)],
        index=out.index, dtype="str")
    out["status"] = pd.Series([_status(t, e) for t, e in zip(out["text"], english)],
                              index=out.index, dtype="str")
    return out


# --- one chunk ------------------------------------------------------------------------


def _empty(columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns})


#: the tables computed per content, in the order :func:`_compute` returns them
_KEYED = ("scores", "terms", "voices", "actors")


def _empty_keyed(codebook: Codebook, frames: object = None) -> tuple[pd.DataFrame, ...]:
    """Empty computed, terms, voices and actors tables keyed by ``content_key``, with their
    dtypes."""
    dtypes = _computed_dtypes(codebook, frames)
    return (_empty([*_KEYS, *dtypes], dtypes),
            _empty(["content_key", *TERM_COLUMNS[1:]], _TERM_DTYPES),
            _empty(["content_key", *VOICE_COLUMNS[1:]], _VOICE_DTYPES),
            _empty(["content_key", *ACTOR_TONE_COLUMNS[1:]], _ACTOR_DTYPES))


def actor_metadata(actor_list: ActorList, tone_model: object,
                    codebook: Codebook) -> dict:
    """The provenance of actor tone: the list and tone model used, and the key covering
    them (:func:`cache_key` with the list)."""
    from framelens.models.tone import tone_model_info

    path = Path(actor_list.path) if actor_list.path else None
    digest = (hashlib.sha256(path.read_bytes()).hexdigest()
              if path is not None and path.is_file() else None)
    model = tone_model_info(tone_model)
    return {
        "actors": {"name": actor_list.name, "version": actor_list.version,
                   "sha256": digest, "path": actor_list.path},
        "tone_model": {k: model[k] for k in ("name", "version", "sha256", "path")},
        "actors_key": cache_key(codebook, actors=actor_list, tone_model=tone_model),
    }


def score_articles(
    articles: pd.DataFrame,
    *,
    codebook: Codebook | str | PathLike = "ai",
    actors: ActorList | str | PathLike | None = None,
    tone_model: object = None,
    frames: object = None,
) -> CorpusScores:
    """Score one chunk of articles: sentiment, frames, length, quoting, terms and voices,
    and with an actor list the tone toward its actors.

    Pure (articles in, tables out, nothing read or written), so a Dask
    ``map_partitions`` or a worker process can run it on any chunk; the scores of an
    article do not depend on the other articles in its chunk.

    Parameters
    ----------
    articles : one row per article (:func:`framelens.read_articles`); needs
        ``article_id`` (unique) and ``text``. ``title``, ``outlet``, ``published`` and
        ``is_english`` are used when present (``is_english`` is worked out when absent);
        every other column is carried into ``scores`` as metadata.
    codebook : a :class:`Codebook`, a shipped codebook name or a YAML file's path.
    actors : an actor list (:func:`framelens.load_actors`: ``"us-politics"``,
        ``"china-tech"`` or a YAML file's path) to fill the ``actors`` table with the
        tone toward its actors; None (default) leaves it empty and runs no model.
    tone_model : with ``actors``, the folder of a tone model (or a loaded one); None
        for the shipped model (:func:`framelens.models.tone.load_tone_model`).
    frames : learned frames (:func:`framelens.learn_frames`, a model or its file) for
        ``codebook``: each article also gets ``prob_<id>`` per frame, and ``used_<id>``
        follows the learned frames (the dictionary's evidence columns stay).

    Returns
    -------
    :class:`CorpusScores`. Articles with no text or not in English have a row in
    ``scores`` with NaN scores and their ``status``, and no terms, voices or actors.
    With ``actors``, its ``metadata`` names the list and the tone model.

    Raises
    ------
    ActorListError for an unknown or malformed actor list; ModelError for a missing or
    corrupt tone model.

    Examples
    --------
    >>> import framelens as fl
    >>> result = fl.score_articles(fl.read_articles("data/articles"), codebook="ai")
    >>> result.scores[["outlet", "polarity", "top_frame", "status"]]  # doctest: +SKIP
    """
    codebook = load_codebook(codebook)
    actor_list = None if actors is None else load_actors(actors)
    frames = learned_frames(frames, codebook)
    prepared = _prepare(articles)
    keyed = _compute(prepared.drop_duplicates("content_key"), codebook, actor_list,
                     tone_model, frames)
    metadata = {} if actor_list is None else actor_metadata(actor_list, tone_model, codebook)
    return _assemble(prepared, keyed, codebook, {**metadata, **frames_metadata(frames)},
                     frames)


def learned_frames(frames: object, codebook: Codebook) -> object:
    """The learned frames to score with: None, or a loaded model checked against
    ``codebook`` (a path is read with :func:`framelens.load_frame_model`)."""
    if frames is None:
        return None
    from framelens.models.frames import FrameModel, load_frame_model

    if isinstance(frames, FrameModel):
        return frames
    return load_frame_model(frames, codebook=codebook)


def frames_metadata(frames: object) -> dict:
    """What scores record of the learned frames they were computed with."""
    if frames is None:
        return {}
    return {"frames": {"file": Path(frames.path).name if frames.path else "",
                       "sha256": frames.sha256, "learned": list(frames.learned),
                       "encoder": frames.encoder}}


#: mentions per tone model call: one, so that a mention's tone depends on its sentence
#: alone. The int8 model quantises each batch as a whole, so in a batch of 64 a mention's
#: probabilities moved by up to 0.01 with the other mentions in it, and an article's
#: tone with its chunk; one at a time was also faster on one core (210 pairs/s against
#: 160 for batches of 64: no padding).
_TONE_BATCH = 1


def _actor_tone(sentences: pd.DataFrame, actor_list: ActorList,
                tone_model: object) -> pd.DataFrame:
    """The tone toward the list's actors in each article of ``sentences``."""
    from framelens.actors import actor_tone, find_mentions, score_mentions

    mentions = find_mentions(sentences, actors=actor_list)
    return actor_tone(score_mentions(mentions, model=tone_model, batch_size=_TONE_BATCH))


def _compute(
    contents: pd.DataFrame,
    codebook: Codebook,
    actor_list: ActorList | None = None,
    tone_model: object = None,
    frames: object = None,
) -> tuple[pd.DataFrame, ...]:
    """Score distinct contents; every table is keyed by ``content_key``, not article."""
    dtypes = _computed_dtypes(codebook, frames)
    # imported here: planning, reading and writing scores files (all a `framelens score`
    # process does when workers score) need no sentiment, framing or quotes code
    from framelens.analysis import analyze

    ok = contents[contents["status"] == "ok"]
    if len(ok):
        # Keyed by content, so the tables do not depend on the articles' ids or metadata.
        result = analyze(pd.DataFrame({"article_id": ok["content_key"].to_numpy(),
                                       "title": ok["title"].to_numpy(), "outlet": "",
                                       "published": pd.NaT, "text": ok["text"].to_numpy()}),
                         codebook=codebook, top_n=None)
        scores = result.scores()
        used = result.frames.pivot(index="article_id", columns="frame", values="used")
        used = used[list(codebook.frame_ids)].add_prefix("used_").reset_index()
        scores = scores.merge(used, on="article_id", how="left")
        scores = scores.rename(columns={"article_id": "content_key"})
        if frames is not None:  # the learned frames decide used_<id>
            learned = _learned_columns(result, frames, codebook)
            scores = scores.drop(columns=[c for c in learned.columns
                                          if c in scores.columns and c != "content_key"])
            scores = scores.merge(learned, on="content_key", how="left")
        scores = scores[["content_key", *dtypes]]
        terms = pd.concat([result.terms.assign(ngram=1), result.bigrams.assign(ngram=2)],
                          ignore_index=True)
        order = {key: i for i, key in enumerate(ok["content_key"])}
        terms = terms.assign(_article=terms["article_id"].map(order)).sort_values(
            ["_article", "ngram"], kind="stable")
        terms = terms.rename(columns={"article_id": "content_key"})
        voices = result.voices.rename(columns={"article_id": "content_key"})
        actors = _empty_keyed(codebook, frames)[3] if actor_list is None else _actor_tone(
            result.sentences, actor_list, tone_model).rename(
            columns={"article_id": "content_key"})
    else:
        scores, terms, voices, actors = _empty_keyed(codebook, frames)
        scores = scores.drop(columns="status")
    computed = contents[_KEYS].merge(scores, on="content_key", how="left")
    computed["codebook"] = f"{codebook.name} {codebook.version}"
    computed = computed.astype(dtypes).reset_index(drop=True)
    terms = terms[["content_key", *TERM_COLUMNS[1:]]].astype(_TERM_DTYPES)
    voices = voices[["content_key", *VOICE_COLUMNS[1:]]].astype(_VOICE_DTYPES)
    actors = actors[["content_key", *ACTOR_TONE_COLUMNS[1:]]].astype(_ACTOR_DTYPES)
    return (computed, terms.reset_index(drop=True), voices.reset_index(drop=True),
            actors.reset_index(drop=True))


def _learned_columns(result: object, frames: object, codebook: Codebook) -> pd.DataFrame:
    """``prob_<id>`` and ``used_<id>`` per article of an analysis, keyed by content."""
    from framelens.models.frames import apply_frames
    from framelens.segment import ANALYSED_KINDS

    sentences = result.sentences[result.sentences["kind"].isin(ANALYSED_KINDS)]
    applied = apply_frames(sentences, result.frames, frames, codebook=codebook)
    wide = applied.pivot(index="article_id", columns="frame", values=["probability", "used"])
    out = pd.DataFrame({"content_key": wide.index})
    for f in codebook.frame_ids:
        out[f"prob_{f}"] = wide[("probability", f)].to_numpy("float64")
        out[f"used_{f}"] = wide[("used", f)].astype(bool).to_numpy()
    return out


def _per_article(prepared: pd.DataFrame, table: pd.DataFrame, columns: list[str]):
    """Rows keyed by content → rows per article (an exact copy gets its own rows), in
    article order, each content's rows in their stored order."""
    owners = pd.DataFrame({"article_id": prepared["article_id"],
                           "content_key": prepared["content_key"],
                           "_article": np.arange(len(prepared))})
    rows = table.assign(_row=np.arange(len(table))).merge(owners, on="content_key")
    rows = rows.sort_values(["_article", "_row"], kind="stable")
    return rows[columns].reset_index(drop=True)


def _assemble(
    prepared: pd.DataFrame,
    keyed: tuple[pd.DataFrame, ...],
    codebook: Codebook,
    metadata: dict,
    frames: object = None,
) -> CorpusScores:
    """Attach the current metadata to the computed rows (``keyed``: computed, terms,
    voices, actors), one row per input article."""
    computed, terms, voices, actors = keyed
    metrics = list(_computed_dtypes(codebook, frames))
    extra = [c for c in prepared.columns if c not in {*_META, "text", *_KEYS}]
    clashing = [c for c in extra if c in metrics]
    if clashing:
        log.warning("the articles' column(s) %s are replaced by the computed scores of the "
                    "same name.", clashing)
        extra = [c for c in extra if c not in clashing]
    by_key = computed.drop(columns="status").drop_duplicates("content_key")
    scores = prepared[[*_META, *extra, *_KEYS]].merge(by_key, on="content_key", how="left")
    scores = scores[[*_META, *metrics, *extra, *_KEYS]].reset_index(drop=True)
    return CorpusScores(
        scores=scores,
        terms=_per_article(prepared, terms, TERM_COLUMNS),
        voices=_per_article(prepared, voices, VOICE_COLUMNS),
        actors=_per_article(prepared, actors, ACTOR_TONE_COLUMNS),
        metadata=metadata,
    )


# --- the cache ------------------------------------------------------------------------


#: the modules whose code decides a scores row (``score_articles`` and every framelens
#: module it imports, tested); editing another module (the CLI, the build, the
#: collector) must not empty the cache
SCORING_MODULES = ("analysis", "codebook", "corpus", "framing", "pattern", "quotes", "scores",
                   "segment", "sentiment", "terms", "vader", "versions", "yamlfile")
#: the modules that decide the actors table (paths under framelens/, tested with the
#: others): hashed into the key of scores computed with an actor list only, so editing
#: them leaves the scores of users without actors cached
ACTOR_SCORING_MODULES = ("actors", "models/runtime", "models/tone")
#: the modules that turn learned frames into scores: in the key of scores computed with
#: learned frames only (the model and its encoder count by their SHA-256)
FRAMES_SCORING_MODULES = ("models/encoder", "models/frames", "models/runtime")


@functools.cache
def code_fingerprint(*, actors: bool = False, frames: bool = False) -> str:
    """Hash of the scoring code and resources: a changed rule (a caption pattern, a
    speech verb) changes scores without a version bump, so it must change the key.
    The versions of the packages whose lexicons and sentence model score the text
    (:func:`framelens.versions.scoring_versions`) count too: a new TextBlob must not mix
    its scores with the old one's in a cache.
    ``actors=True``: the hash of the actor code instead (:data:`ACTOR_SCORING_MODULES`;
    the tone model itself counts by its SHA-256); ``frames=True``: of the learned-frames
    code (:data:`FRAMES_SCORING_MODULES`)."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    if frames:
        files = [root / f"{m}.py" for m in FRAMES_SCORING_MODULES]
    elif actors:
        files = [root / f"{m}.py" for m in ACTOR_SCORING_MODULES]
    else:
        digest.update(json.dumps(scoring_versions(), sort_keys=True).encode() + b"\0")
        files = [root / f"{m}.py" for m in SCORING_MODULES] + sorted(root.glob("resources/*"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _actor_list_content(actor_list: ActorList) -> dict:
    """What of an actor list decides the actors table: its actors (ids, labels, names,
    exclusions) and its name and version, not its file or descriptions."""
    return {"name": actor_list.name, "version": actor_list.version,
            "actors": [[a.id, a.label, list(a.names), list(a.exclude)]
                       for a in actor_list.actors]}


def cache_key(
    codebook: Codebook | str | PathLike = "ai",
    *,
    actors: ActorList | str | PathLike | None = None,
    tone_model: object = None,
    frames: object = None,
) -> str:
    """The config key that names a cache folder: codebook, framelens code and schema, and
    the actor list and tone model when scoring with one, and the learned frames.

    The codebook counts by its content (frames, terms, exclusions, header), not by its
    file, so editing a term changes the key but moving the file or editing a comment
    does not. framelens counts by its version and a hash of its source files and of the
    versions of textblob, vaderSentiment and nupunkt (:func:`code_fingerprint`), so an
    upgrade of framelens or of a lexicon, or a local change to the scoring rules, starts
    a fresh cache. An actor list
    counts by its content too (name, version, and each actor's id, label, names and
    exclusions), with the actor code and the tone model's SHA-256 (and ``max_length``);
    without a list the key is the codebook's alone.

    Parameters
    ----------
    codebook : a :class:`Codebook`, a shipped codebook name or a YAML file's path.
    actors : an actor list (object, shipped name or YAML path), or None.
    tone_model : with ``actors``, the tone model's folder or a loaded model; None for
        the shipped one. Loaded (once per process) to read its SHA-256.

    Examples
    --------
    >>> cache_key("ai")  # doctest: +SKIP
    'ai-1.0.0-5d41402abc4b2a76'
    >>> cache_key("ai", actors="china-tech")  # doctest: +SKIP
    'ai-1.0.0-china-tech-0e1f5c2d9a8b7c6d'
    """
    version = framelens_version()

    codebook = load_codebook(codebook)
    content = dataclasses.asdict(dataclasses.replace(codebook, path=""))
    config = {"codebook": content, "framelens": version, "code": code_fingerprint(),
              "schema": SCORES_SCHEMA_VERSION}
    label = f"{codebook.name}-{codebook.version}"
    if actors is not None:
        from framelens.models.tone import load_tone_model

        actor_list = load_actors(actors)
        model = load_tone_model(tone_model)
        config["actors"] = _actor_list_content(actor_list)
        config["actor_code"] = code_fingerprint(actors=True)
        config["tone_model"] = {"sha256": model.sha256, "max_length": model.max_length}
        label += f"-{actor_list.name}"
    if frames is not None:
        model = learned_frames(frames, codebook)
        config["frames"] = {"sha256": model.sha256, "encoder": model.encoder.get("sha256"),
                            "code": code_fingerprint(frames=True)}
        label += "-learned"
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]
    label = re.sub(r"[^\w.-]+", "_", label)
    return f"{label}-{digest}"


def write_atomic(path: Path, write: Callable[[str], object]) -> None:
    """Write through a temporary file in the same folder, then rename it into place, so
    readers see the old file or the whole new one, never half of it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _ChunkCache:
    """One config key's folder of computed chunks (see the module docstring); with an
    actor list (``actor_list``) each chunk has an actors part too."""

    def __init__(self, folder: Path, codebook: Codebook,
                 actor_list: ActorList | None = None, tone_model: object = None,
                 frames: object = None) -> None:
        version = framelens_version()

        self.folder = folder
        self.empty = dict(zip(_KEYED, _empty_keyed(codebook, frames)))
        # scores last: it marks the chunk complete
        self.parts = ("terms", "voices", "scores") if actor_list is None else (
            "terms", "voices", "actors", "scores")
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "config.json"
        if not config.exists():
            about = {"codebook": codebook.name, "codebook_version": codebook.version,
                     "codebook_path": codebook.path, "framelens": version,
                     "schema": SCORES_SCHEMA_VERSION}
            if actor_list is not None:
                from framelens.models.tone import tone_model_info

                about["actors"] = {"name": actor_list.name, "version": actor_list.version,
                                   "path": actor_list.path}
                about["tone_model"] = tone_model_info(tone_model)
            text = json.dumps(about, indent=2)
            write_atomic(config, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))

    def _paths(self, name: str) -> dict[str, Path]:
        return {part: self.folder / f"{name}.{part}.parquet" for part in self.parts}

    def _read_chunk(self, name: str) -> dict[str, pd.DataFrame]:
        tables = {part: pd.read_parquet(path) for part, path in self._paths(name).items()}
        for part, table in tables.items():
            if list(table.columns) != list(self.empty[part].columns):
                raise ValueError(f"the {part} file has columns {list(table.columns)}, "
                                 f"not {list(self.empty[part].columns)}")
        return tables

    def read(self, wanted: set[str]) -> tuple[pd.DataFrame, ...]:
        """The cached rows of the ``wanted`` content keys (computed, terms, voices, actors);
        unreadable chunks are removed with a warning, so their articles are computed
        again."""
        found: dict[str, list[pd.DataFrame]] = {part: [] for part in self.parts}
        seen: set[str] = set()
        for path in sorted(self.folder.glob("*.scores.parquet")):
            name = path.name.removesuffix(".scores.parquet")
            try:
                tables = self._read_chunk(name)
            except (OSError, ValueError, pa.ArrowException) as e:
                log.warning("%s: cannot read this cache chunk (%s); it is removed and its "
                            "articles are scored again.", path, e)
                for part_path in self._paths(name).values():
                    part_path.unlink(missing_ok=True)
                continue
            keys = set(tables["scores"]["content_key"]) & (wanted - seen)
            if not keys:
                continue
            seen |= keys
            for part, table in tables.items():
                found[part].append(table[table["content_key"].isin(keys)])
        return tuple(
            pd.concat([empty, *found.get(part, [])], ignore_index=True).astype(
                empty.dtypes.to_dict())
            for part, empty in self.empty.items()
        )

    def write(self, keyed: tuple[pd.DataFrame, ...]) -> None:
        """Add one chunk (computed, terms, voices, actors). Its name hashes its content
        keys, so writing the same chunk twice (two runs at once) leaves one copy."""
        tables = dict(zip(_KEYED, keyed))
        digest = hashlib.sha1("\n".join(sorted(tables["scores"]["content_key"])).encode())
        paths = self._paths(f"chunk-{digest.hexdigest()[:16]}")
        for part in self.parts:
            write_atomic(paths[part],
                          lambda tmp, t=tables[part]: t.to_parquet(tmp, index=False))


# --- a corpus -------------------------------------------------------------------------


def _by_content(result: CorpusScores, chunk: pd.DataFrame, codebook: Codebook,
                frames: object = None) -> tuple[pd.DataFrame, ...]:
    """A chunk's :class:`CorpusScores` → its computed tables keyed by ``content_key``."""
    key_of = dict(zip(chunk["article_id"], chunk["content_key"]))
    computed = result.scores[[*_KEYS, *_computed_dtypes(codebook, frames)]]
    keyed = [computed]
    for table, columns in ((result.terms, TERM_COLUMNS), (result.voices, VOICE_COLUMNS),
                           (result.actors, ACTOR_TONE_COLUMNS)):
        table = table.assign(content_key=table["article_id"].map(key_of))
        keyed.append(table[["content_key", *columns[1:]]])
    return tuple(keyed)


def score_corpus(
    articles: pd.DataFrame,
    *,
    codebook: Codebook | str | PathLike = "ai",
    cache: str | PathLike | None = None,
    chunk_size: int = 500,
    progress: Progress | None = None,
    actors: ActorList | str | PathLike | None = None,
    tone_model: object = None,
    frames: object = None,
) -> CorpusScores:
    """Score a corpus chunk by chunk, reusing the scores cached by earlier runs.

    Parameters
    ----------
    articles : one row per article (:func:`framelens.read_articles`); see
        :func:`score_articles` for the columns used.
    codebook : a :class:`Codebook`, a shipped codebook name or a YAML file's path.
    cache : a folder to keep the computed scores in (created if needed), or None to
        compute everything and keep nothing. See the module docstring for its layout.
    chunk_size : articles per chunk, and so per cache file.
    progress : called as ``progress(done, total)`` after the cache is read and after
        each chunk, counting articles of the input.
    actors : an actor list (:func:`framelens.load_actors`: ``"us-politics"``,
        ``"china-tech"`` or a YAML file's path) to fill the ``actors`` table with the
        tone toward its actors, cached like the rest (under another key); None (default)
        leaves it empty and runs no model.
    tone_model : with ``actors``, the folder of a tone model (or a loaded one); None
        for the shipped model.
    frames : learned frames (a model or its file) to code the articles with too (see
        :func:`score_articles`); cached under their own key.

    Returns
    -------
    :class:`CorpusScores`, rows in the order of ``articles``; the same tables whether
    they were computed now or read from the cache, and whatever the chunk size. An
    article whose title and text repeat another's is computed once and gets its own
    rows. With ``actors``, its ``metadata`` names the list and the tone model.

    Raises
    ------
    ActorListError for an unknown or malformed actor list; ModelError for a missing or
    corrupt tone model; OptionError for a bad ``chunk_size``.

    Examples
    --------
    >>> import framelens as fl
    >>> arts = fl.read_articles("../shared/data/allsides-china-tech/articles.jsonl",
    ...                         text="content_original", outlet="source", id="ID")
    >>> result = fl.score_corpus(arts, codebook="ai", cache="data/cache/scores")
    >>> result.scores.groupby("outlet")["polarity"].mean()  # doctest: +SKIP
    """
    if not isinstance(chunk_size, (int, np.integer)) or isinstance(chunk_size, bool) \
            or chunk_size < 1:
        raise OptionError(f"chunk_size must be a whole number of at least 1; got "
                          f"{chunk_size!r}.", fix="pass chunk_size=500.")
    codebook = load_codebook(codebook)
    actor_list = None if actors is None else load_actors(actors)
    # checks the list and the model before anything is scored
    metadata = {} if actor_list is None else actor_metadata(actor_list, tone_model, codebook)
    frames = learned_frames(frames, codebook)
    metadata.update(frames_metadata(frames))
    prepared = _prepare(articles)
    contents = prepared.drop_duplicates("content_key")
    store = None if cache is None else _ChunkCache(
        Path(cache) / cache_key(codebook, actors=actor_list, tone_model=tone_model,
                                frames=frames), codebook, actor_list, tone_model, frames)
    cached = _empty_keyed(codebook, frames) if store is None else store.read(
        set(contents["content_key"]))
    parts = [cached]
    have = set(cached[0]["content_key"])
    missing = contents[~contents["content_key"].isin(have)]
    rows_per_key = prepared["content_key"].value_counts()
    total = len(prepared)
    done = int(rows_per_key.reindex(list(have), fill_value=0).sum())
    n_cached = done
    if progress is not None:
        progress(done, total)
    for start in range(0, len(missing), chunk_size):
        chunk = missing.iloc[start:start + chunk_size]
        options = {} if actor_list is None else {"actors": actor_list,
                                                  "tone_model": tone_model}
        part = _by_content(score_articles(chunk.drop(columns=_KEYS), codebook=codebook,
                                          frames=frames, **options), chunk, codebook, frames)
        if store is not None:
            store.write(part)
        parts.append(part)
        done += int(rows_per_key[chunk["content_key"]].sum())
        if progress is not None:
            progress(done, total)
    n_chunks = -(-len(missing) // chunk_size)
    log.info("scores of %d article(s): %d from the cache, %d computed in %d chunk(s)%s.",
             total, n_cached, total - n_cached, n_chunks,
             "" if store is None else f" (cache {store.folder})")
    keyed = tuple(pd.concat([p[i] for p in parts], ignore_index=True)
                  for i in range(len(_KEYED)))
    return _assemble(prepared, keyed, codebook, metadata, frames)


# --- scores files ---------------------------------------------------------------------


#: the key of the scores files' Parquet key-value metadata, and the format it names
METADATA_KEY = b"framelens"
SCORES_FORMAT = "framelens-scores"
_TABLES = ("scores", "terms", "voices", "actors")


def scores_files(path: str | PathLike, *, actors: bool = False) -> dict[str, Path]:
    """The files of a scores file: ``scores.parquet`` and its siblings
    ``scores.terms.parquet``, ``scores.voices.parquet`` and, with ``actors=True`` (scores
    computed with an actor list), ``scores.actors.parquet``.

    Examples
    --------
    >>> [p.name for p in scores_files("out/scores.parquet").values()]
    ['scores.parquet', 'scores.terms.parquet', 'scores.voices.parquet']
    >>> scores_files("out/scores.parquet", actors=True)["actors"].name
    'scores.actors.parquet'
    """
    path = Path(path)
    stem, suffix = path.name.removesuffix(path.suffix), path.suffix
    tables = _TABLES if actors else _TABLES[:3]
    return {"scores": path, **{t: path.with_name(f"{stem}.{t}{suffix}") for t in tables[1:]}}


def file_metadata(path: Path) -> dict | None:
    """The framelens metadata of a Parquet file, or None when it has none."""
    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowException):
        return None
    try:
        value = json.loads(meta[METADATA_KEY])
    except (KeyError, ValueError):
        return None
    return value if isinstance(value, dict) and value.get("format") == SCORES_FORMAT else None


def is_scores_file(path: str | PathLike) -> bool:
    """True for the ``scores.parquet`` that ``framelens score`` (or
    :meth:`CorpusScores.to_parquet`) writes, False for anything else (an articles
    table, a folder...).

    Examples
    --------
    >>> is_scores_file("scores.parquet")  # doctest: +SKIP
    True
    """
    path = Path(path)
    if path.suffix.lower() != ".parquet" or not path.is_file():
        return False
    metadata = file_metadata(path)
    return metadata is not None and metadata.get("table") == "scores"


def is_framelens_file(path: str | PathLike) -> bool:
    """True for any of the three files of a scores file (scores, terms, voices), which
    framelens may overwrite; False for every other file.

    Examples
    --------
    >>> is_framelens_file("scores.terms.parquet")  # doctest: +SKIP
    True
    """
    path = Path(path)
    return path.is_file() and file_metadata(path) is not None


def parquet_ready(table: pd.DataFrame, *, where: str | None = "the scores") -> pd.DataFrame:
    """The table, with every column Parquet cannot store as it is (values of mixed types:
    numbers and text in one column, as a JSON field can have) turned into text, with a
    warning naming ``where`` (None for none); other columns are untouched."""
    fixed = {}
    for column in [c for c, dtype in table.dtypes.items() if dtype is np.dtype(object)]:
        try:
            pa.array(table[column], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            values = table[column]
            fixed[column] = values.astype(str).where(values.notna(), None)
    if fixed:
        if where is not None:
            log.warning("%s: column(s) %s mix numbers and text; stored as text.", where,
                        list(fixed))
        return table.assign(**fixed)
    return table


def table_schema(table: pd.DataFrame) -> pa.Schema:
    """The Parquet schema of a table (with the pandas metadata that restores its dtypes)."""
    return pa.Schema.from_pandas(table, preserve_index=False)


def empty_schemas() -> dict[str, pa.Schema]:
    """The schemas of the terms, voices and actors tables (the same for every corpus)."""
    return {
        "terms": table_schema(_empty(TERM_COLUMNS, {"article_id": "str", **_TERM_DTYPES})),
        "voices": table_schema(_empty(VOICE_COLUMNS, {"article_id": "str", **_VOICE_DTYPES})),
        "actors": table_schema(_empty_actor_tone()),
    }


class ScoresWriter:
    """Write the tables of a scores file piece by piece, in bounded memory, and publish
    them at once.

    Each table goes through a :class:`pyarrow.parquet.ParquetWriter` into a temporary
    file beside its destination; :meth:`commit` renames the siblings into place and then
    ``scores.parquet``, so a failed or interrupted run never leaves a half-written
    scores file. Every file carries the same metadata, with a ``run`` id that
    :func:`read_scores` checks across them. Written without an actors table, the commit
    removes the ``.actors.parquet`` an earlier run may have left.

    Parameters
    ----------
    path : the ``scores.parquet`` to write.
    schemas : ``{"scores": ..., "terms": ..., "voices": ...}``, and ``"actors"`` to write
        the actors table too; see :func:`table_schema`.
    metadata : JSON-able provenance stored in each file's key-value metadata under
        ``framelens`` (``format`` and ``run`` are added).

    Examples
    --------
    >>> with ScoresWriter(path, schemas=schemas, metadata={}) as writer:  # doctest: +SKIP
    ...     for piece in pieces:
    ...         writer.write(piece)
    """

    def __init__(self, path: str | PathLike, *, schemas: dict[str, pa.Schema],
                 metadata: dict) -> None:
        self.paths = scores_files(path, actors="actors" in schemas)
        self._stale = scores_files(path, actors=True)["actors"]
        self.paths["scores"].parent.mkdir(parents=True, exist_ok=True)
        self.metadata = {"format": SCORES_FORMAT, **metadata,
                         "run": hashlib.sha256(os.urandom(16)).hexdigest()[:16]}
        self.schemas, self._tmp, self._writers = {}, {}, {}
        try:
            for table in self.paths:
                encoded = json.dumps({**self.metadata, "table": table}, sort_keys=True,
                                     default=str).encode()
                schema = schemas[table]
                self.schemas[table] = schema.with_metadata(
                    {**(schema.metadata or {}), METADATA_KEY: encoded})
                dest = self.paths[table]
                fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.",
                                           suffix=".tmp")
                os.close(fd)
                self._tmp[table] = Path(tmp)
                self._writers[table] = pq.ParquetWriter(tmp, self.schemas[table])
        except BaseException:
            self.abort()
            raise

    def write(self, piece: CorpusScores) -> None:
        """Append the rows of one piece (its tables in the schemas' columns)."""
        for table in self.paths:
            self.write_table(table, getattr(piece, table))

    def write_table(self, table: str, data: pd.DataFrame | pa.Table) -> None:
        """Append rows to one table (``"scores"``, ``"terms"``, ``"voices"`` or
        ``"actors"``): a DataFrame, or an Arrow table with the schema's columns (cast
        to its types)."""
        schema = self.schemas[table]
        if isinstance(data, pd.DataFrame):
            data = pa.Table.from_pandas(data, schema=schema, preserve_index=False)
        else:
            data = data.select(schema.names).cast(schema)
        self._writers[table].write_table(data)

    def commit(self) -> dict[str, Path]:
        """Close the files and move them into place, ``scores.parquet`` last."""
        for writer in self._writers.values():
            writer.close()
        for table in [t for t in self.paths if t != "scores"] + ["scores"]:
            share_like_new_file(self._tmp[table])  # not mkstemp's 0600
            os.replace(self._tmp[table], self.paths[table])
        self._tmp = {}
        if "actors" not in self.paths:  # an earlier run's, of other scores
            self._stale.unlink(missing_ok=True)
        return self.paths

    def abort(self) -> None:
        """Close and delete the temporary files; the destinations stay as they were."""
        for writer in self._writers.values():
            try:
                writer.close()
            except (OSError, pa.ArrowException):
                pass
        for tmp in self._tmp.values():
            tmp.unlink(missing_ok=True)
        self._tmp = {}

    def __enter__(self) -> ScoresWriter:
        return self

    def __exit__(self, kind: type | None, *exc: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def read_scores(path: str | PathLike) -> CorpusScores:
    """Read a scores file written by ``framelens score`` or :meth:`CorpusScores.to_parquet`.

    Parameters
    ----------
    path : the ``scores.parquet``; its siblings ``.terms.parquet``,
        ``.voices.parquet`` and (when there) ``.actors.parquet`` are read too.

    Returns
    -------
    :class:`CorpusScores` with the tables and, in ``metadata``, what produced them
    (framelens version, codebook, :func:`cache_key`, the input and its SHA-256, the
    parameters; the actor list and tone model when scored with actors). Scores written
    without an actor list (or by a framelens that had none) have an empty actors table.

    Raises
    ------
    InputError when a file is missing (``.actors.parquet`` too, when the scores were
    computed with an actor list), is not a scores file, or the files come from different
    runs.

    Examples
    --------
    >>> scored = read_scores("scores.parquet")  # doctest: +SKIP
    >>> scored.scores.groupby("outlet")["polarity"].mean()  # doctest: +SKIP
    """
    paths = scores_files(path)
    own = file_metadata(paths["scores"]) if paths["scores"].is_file() else None
    actors_file = scores_files(path, actors=True)["actors"]
    if own is not None and (own.get("actors") or (
            actors_file.is_file()
            and (file_metadata(actors_file) or {}).get("run") == own.get("run"))):
        paths = scores_files(path, actors=True)
    metadata = {}
    for table, file in paths.items():
        if not file.is_file():
            raise InputError("no such file.", path=str(file),
                             fix="write the scores with `framelens score CORPUS --out "
                             f"{paths['scores']}`.")
        metadata[table] = file_metadata(file)
        if metadata[table] is None or metadata[table].get("table") != table:
            raise InputError("this is not a framelens scores file.", path=str(file),
                             fix="write one with `framelens score CORPUS --out "
                             "scores.parquet`, or pass the corpus itself.")
    if len({m.get("run") for m in metadata.values()}) != 1:
        raise InputError(f"the {', '.join(paths)} files come from different runs.",
                         path=str(paths["scores"]),
                         fix="run `framelens score` again to write them together.")
    try:
        tables = {t: pd.read_parquet(f) for t, f in paths.items()}
    except (OSError, ValueError, pa.ArrowException) as e:
        raise InputError(f"cannot read the scores: {e}", path=str(paths["scores"]),
                         fix="run `framelens score` again.") from e
    metadata["scores"].pop("table")
    return CorpusScores(**tables, metadata=metadata["scores"])


def scored_duplicates(scored: CorpusScores, *, chunk_size: int = 5000) -> pd.DataFrame:
    """:func:`framelens.find_duplicates` for the articles of a scores file.

    Duplicates are found in the texts, which the scores table does not keep; they are
    read again (a chunk at a time, only the columns needed) from the corpus that
    ``scored.metadata`` names, if it is still there and unchanged (same SHA-256).

    Returns
    -------
    The duplicates table; empty, with a warning, when the corpus cannot be read again
    (scores computed in memory, a corpus moved or changed since).
    """
    from framelens.corpus import fingerprint, iter_articles
    from framelens.duplicates import find_duplicates

    meta = scored.metadata
    source = meta.get("input")
    problem = "the scores do not name the corpus they were computed from"
    if source:
        problem = f"{source} is not there any more"
        if Path(source).exists():
            problem = f"{source} changed after it was scored"
            if fingerprint(source) == meta.get("input_sha256"):
                columns = ["article_id", "outlet", "published", "text"]
                texts = pd.concat(
                    [chunk[columns] for chunk in iter_articles(
                        source, chunk_size=chunk_size, encoding=meta.get("encoding"),
                        html=meta.get("html", "convert"), **meta.get("columns", {}))],
                    ignore_index=True)
                if texts["article_id"].tolist() == scored.scores["article_id"].tolist():
                    return find_duplicates(texts)
                problem = f"{source} does not hold the articles of these scores"
    log.warning("%s, so duplicates were not looked for (the scores keep no texts).", problem)
    empty = pd.Series(dtype="str")
    return find_duplicates(pd.DataFrame({"article_id": empty, "outlet": empty, "text": empty}))
