"""The whole analysis of a set of articles in one call, and its tidy result tables.

This module owns :func:`analyze`, which runs the pipeline in its fixed order::

    articles → paragraphs → sentences → tokens
             → sentiment, frame matches, term counts, quotes
             → per-article scores

and :class:`Analysis`, the bundle of tables it returns. Every step is a plain function
from the other modules; this one only wires them together, so a notebook, the CLI and a
Dask partition all compute the same numbers.
"""

from __future__ import annotations

import dataclasses
from os import PathLike
from pathlib import Path

import pandas as pd

from framelens.codebook import Codebook, load_codebook
from framelens.framing import dominant_frames, frame_evidence, match_frames, score_frames
from framelens.quotes import extract_quotes, quote_share, speakers
from framelens.segment import ANALYSED_KINDS, split_paragraphs, split_sentences, tokenize
from framelens.sentiment import article_sentiment, extreme_sentences, score_sentiment
from framelens.terms import term_frequency

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
    """

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    matches: pd.DataFrame
    frames: pd.DataFrame
    dominant: pd.DataFrame
    evidence: pd.DataFrame
    sentiment: pd.DataFrame
    extremes: pd.DataFrame
    quotes: pd.DataFrame
    voices: pd.DataFrame
    quoting: pd.DataFrame
    terms: pd.DataFrame
    bigrams: pd.DataFrame
    codebook: Codebook

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
        ``bigrams.csv``.
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
        }
        paths = []
        for name, table in tables.items():
            path = folder / f"{name}.csv"
            table.to_csv(path, index=False)
            paths.append(path)
        return paths


def analyze(
    articles: pd.DataFrame,
    *,
    codebook: Codebook | str | PathLike = "ai",
    kinds: tuple[str, ...] = ANALYSED_KINDS,
    top_n: int = 20,
    vader: bool = True,
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
    labels = pd.DataFrame({"frame": list(codebook.frame_ids),
                           "label": [f.label for f in codebook.frames]})
    by_weight = frames.groupby("frame")["weighted_hits"].sum().sort_values(ascending=False,
                                                                           kind="stable")
    evidence = frame_evidence(matches, sentences, frame=list(by_weight[by_weight > 0].index),
                              top_n=3).merge(labels, on="frame", how="left")
    return Analysis(
        articles=articles,
        paragraphs=paragraphs,
        sentences=sentences,
        tokens=tokens,
        matches=matches,
        frames=frames,
        dominant=dominant_frames(frames),
        evidence=evidence,
        sentiment=article_sentiment(sentences, kinds=kinds),
        extremes=extreme_sentences(sentences, n=3, kinds=kinds),
        quotes=quotes,
        voices=speakers(quotes),
        quoting=quote_share(paragraphs, quotes),
        terms=term_frequency(tokens, ngram=1, by="article_id", top_n=top_n, kinds=kinds),
        bigrams=term_frequency(tokens, ngram=2, by="article_id", top_n=top_n, kinds=kinds),
        codebook=codebook,
    )
