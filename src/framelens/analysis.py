"""The whole analysis of articles in one call (:func:`analyze`), with its tidy result tables.

:func:`analyze` runs the pipeline in its fixed order::

    articles → paragraphs → sentences → tokens
             → sentiment, frame matches, term counts, quotes
             → per-article scores

and returns :class:`Analysis`. Every step is a plain function from the other modules;
this one only wires them together, so a notebook, the CLI and a Dask partition all
compute the same numbers. It is the per-article layer: the scores table
(:mod:`framelens.scores`) is built from it, and the corpus comparison
(:mod:`framelens.comparison`) from the scores table, never the other way round.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.actors import (
    ActorList,
    actor_tone,
    find_mentions,
    load_actors,
    score_mentions,
    unmatched_actors,
)
from framelens.codebook import Codebook, load_codebook
from framelens.files import write_csv
from framelens.framing import dominant_frames, frame_evidence, match_frames, score_frames
from framelens.quotes import extract_quotes, quote_share, speakers
from framelens.segment import ANALYSED_KINDS, split_paragraphs, split_sentences, tokenize
from framelens.sentiment import article_sentiment, extreme_sentences, score_sentiment
from framelens.terms import term_frequency

log = logging.getLogger(__name__)

__all__ = ["Analysis", "analyze"]


@dataclasses.dataclass(frozen=True)
class Analysis:
    """The tables of one analysis run; every attribute is a DataFrame except ``codebook``.

    Attributes
    ----------
    articles : one row per article (:func:`framelens.read_articles`).
    paragraphs, sentences, tokens : the segmentation; ``sentences`` carries sentence
        sentiment (``polarity``, ``subjectivity``, ``vader_*``).
    matches : one row per codebook match (:func:`framelens.match_frames`).
    frames : one row per (article, frame) (:func:`framelens.score_frames`).
    dominant : one row per article with its dominant frame(s).
    evidence : the sentences that best evidence each frame (strongest frame first).
    sentiment : one row per article (:func:`framelens.article_sentiment`).
    extremes : the most positive and negative sentences of each article.
    quotes : one row per quote; ``voices``: one row per (article, speaker);
        ``quoting``: quote shares per article.
    terms, bigrams : top words and bigrams per article (stopwords removed).
    codebook : the :class:`Codebook` used.
    actor_list : the :class:`~framelens.actors.ActorList` whose actors are looked for,
        or None for the people and organisations the articles name.
    tone_model : the tone model's folder (None: the shipped model).

    The actor tables are computed when first asked for: ``mentions`` (every mention
    with the tone model's probabilities), ``actor_tone`` (one row per article and
    actor) and ``unmatched_actors`` (actors of the list that no article mentions).
    """

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    matches: pd.DataFrame
    frames: pd.DataFrame
    dominant: pd.DataFrame
    sentiment: pd.DataFrame
    quotes: pd.DataFrame
    voices: pd.DataFrame
    quoting: pd.DataFrame
    terms: pd.DataFrame
    bigrams: pd.DataFrame
    codebook: Codebook
    kinds: tuple[str, ...] = ANALYSED_KINDS
    actor_list: ActorList | None = None
    tone_model: Any = None

    # Computed when first asked for: a report shows them, a corpus's scores do not need
    # them (frame_evidence alone costs a tenth of the scoring time).
    @functools.cached_property
    def evidence(self) -> pd.DataFrame:
        """The sentences that best evidence each frame, strongest frame first."""
        labels = pd.DataFrame({"frame": list(self.codebook.frame_ids),
                               "label": [f.label for f in self.codebook.frames]})
        by_weight = self.frames.groupby("frame")["weighted_hits"].sum().sort_values(
            ascending=False, kind="stable")
        strongest = list(by_weight[by_weight > 0].index)
        return frame_evidence(self.matches, self.sentences, frame=strongest,
                              top_n=3).merge(labels, on="frame", how="left")

    @functools.cached_property
    def extremes(self) -> pd.DataFrame:
        """The three most positive and most negative sentences of each article."""
        return extreme_sentences(self.sentences, n=3, kinds=self.kinds)

    @functools.cached_property
    def mentions(self) -> pd.DataFrame:
        """Every actor mention, with the tone model's reading of its sentence."""
        found = find_mentions(self.sentences, actors=self.actor_list, kinds=self.kinds)
        return score_mentions(found, model=self.tone_model)

    @functools.cached_property
    def actor_tone(self) -> pd.DataFrame:
        """How each article treats each actor (:func:`framelens.actors.actor_tone`),
        most mentioned first."""
        table = actor_tone(self.mentions)
        return table.sort_values(["article_id", "mentions"], ascending=[True, False],
                                 kind="stable").reset_index(drop=True)

    @functools.cached_property
    def unmatched_actors(self) -> pd.DataFrame:
        """The actors of the list that no article mentions (empty without a list)."""
        if self.actor_list is None:
            return pd.DataFrame({"actor": [], "label": [], "names": []}, dtype="object")
        return unmatched_actors(self.actor_list, self.mentions)

    def scores(self) -> pd.DataFrame:
        """One row per article: metadata, length, sentiment, frame rates and quoting.

        Frame rates appear as ``frame_<id>`` columns (codebook hits per 1,000 words) and
        raw counts as ``hits_<id>``, so a corpus can say both how often a frame's terms
        occur and how many articles use the frame at all.

        Examples
        --------
        >>> analyze(read_articles("data/articles"), codebook="ai").scores()  # doctest: +SKIP
        """
        meta = self.articles[["article_id", "title", "outlet", "published"]]
        analysed = self.sentences[self.sentences["kind"].isin(ANALYSED_KINDS)]
        length = analysed.groupby("article_id", sort=False).agg(
            n_sentences=("sentence_id", "size"), n_words=("n_words", "sum")
        ).reset_index()
        sentiment = self.sentiment[["article_id", "polarity", "subjectivity", "vader_compound",
                                    "label", "headline_polarity", "lead_polarity"]]
        rates = self.frames.pivot(index="article_id", columns="frame", values="rate_per_1k")
        rates = rates[list(self.codebook.frame_ids)].add_prefix("frame_").reset_index()
        hits = self.frames.pivot(index="article_id", columns="frame", values="hits")
        hits = hits[list(self.codebook.frame_ids)].add_prefix("hits_").reset_index()
        dominant = self.dominant[["article_id", "dominant", "top_frame"]]
        quoting = self.quoting[["article_id", "n_quotes", "n_speakers", "quoted_share",
                                "direct_share"]]
        out = meta
        for table in (length, sentiment, dominant, rates, hits, quoting):
            out = out.merge(table, on="article_id", how="left")
        out["codebook"] = f"{self.codebook.name} {self.codebook.version}"
        return out

    def to_csv(self, folder: str | PathLike) -> list[Path]:
        """Write the score tables as CSV files in ``folder``; return their paths.

        Files: ``scores.csv`` (one row per article), ``sentences.csv`` (with sentiment),
        ``frames.csv``, ``matches.csv``, ``quotes.csv``, ``voices.csv``, ``terms.csv``,
        ``bigrams.csv``, ``actors.csv`` (tone toward each actor) and ``mentions.csv``
        (every actor mention with its tone). Text cells that a spreadsheet would run as a
        formula (a title starting with ``=``) get a leading apostrophe
        (:func:`framelens.files.safe_cell`).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tables = {
            "scores": self.scores(),
            "sentences": self.sentences,
            "frames": self.frames,
            "matches": self.matches,
            "quotes": self.quotes,
            "voices": self.voices,
            "terms": self.terms,
            "bigrams": self.bigrams,
            "actors": self.actor_tone,
            "mentions": self.mentions,
        }
        paths = []
        for name, table in tables.items():
            path = folder / f"{name}.csv"
            write_csv(table, path)
            paths.append(path)
        return paths


def analyze(
    articles: pd.DataFrame,
    *,
    codebook: Codebook | str | PathLike = "ai",
    kinds: tuple[str, ...] = ANALYSED_KINDS,
    top_n: int = 20,
    vader: bool = True,
    actors: ActorList | str | PathLike | None = None,
    tone_model: Any = None,
) -> Analysis:
    """Run the whole analysis on an articles table.

    Parameters
    ----------
    articles : one row per article, as returned by :func:`framelens.read_articles`.
    codebook : a :class:`Codebook`, a shipped codebook name ("ai", "generic", "policy")
        or the path of a YAML codebook.
    kinds : paragraph kinds that count (captions, bylines and boilerplate are left out
        by default).
    top_n : how many terms and bigrams to keep per article, and evidence sentences per frame.
    vader : also score sentences with VADER (a second opinion on sentiment).
    actors : an actor list (:func:`framelens.load_actors`; a shipped name such as
        ``"china-tech"`` or a YAML file), or None for the people and organisations the
        articles name. Actor tone is computed only when first asked for.
    tone_model : the folder of a tone model with the shipped model's interface; None
        uses the shipped model.

    Returns
    -------
    :class:`Analysis`

    Examples
    --------
    >>> import framelens as fl
    >>> result = fl.analyze(fl.read_articles("data/articles"), codebook="ai")
    >>> result.scores()[["outlet", "polarity", "dominant"]]  # doctest: +SKIP
    """
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    paragraphs = split_paragraphs(articles)
    sentences = score_sentiment(split_sentences(paragraphs), vader=vader)
    tokens = tokenize(sentences)
    matches = match_frames(sentences, codebook=codebook, kinds=kinds)
    frames = score_frames(sentences, matches, codebook=codebook, kinds=kinds)
    quotes = extract_quotes(paragraphs)
    return Analysis(
        articles=articles,
        paragraphs=paragraphs,
        sentences=sentences,
        tokens=tokens,
        matches=matches,
        frames=frames,
        dominant=dominant_frames(frames),
        sentiment=article_sentiment(sentences, kinds=kinds),
        quotes=quotes,
        voices=speakers(quotes),
        quoting=quote_share(paragraphs, quotes),
        terms=term_frequency(tokens, ngram=1, by="article_id", top_n=top_n, kinds=kinds),
        bigrams=term_frequency(tokens, ngram=2, by="article_id", top_n=top_n, kinds=kinds),
        codebook=codebook,
        kinds=tuple(kinds),
        actor_list=None if actors is None else load_actors(actors),
        tone_model=tone_model,
    )
