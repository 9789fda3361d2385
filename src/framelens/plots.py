"""Charts: matplotlib figures for the tables the analysis returns.

Each function takes a tidy table, draws one chart titled and labelled for a reader who
never saw the code, and returns the :class:`~matplotlib.figure.Figure` (so a notebook
shows it once and a script can ``savefig`` it). Figures are closed in pyplot as soon as
they are drawn, so no global state builds up when a loop draws hundreds of them, and a
notebook cell shows the returned figure once. Nothing here computes a score.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from framelens.segment import ANALYSED_KINDS, _require

__all__ = ["plot_frame_profile", "plot_sentiment_arc", "plot_top_terms", "plot_voices"]

_POSITIVE = "#2b8cbe"
_NEGATIVE = "#d7301f"
_NEUTRAL = "#969696"


def _figure(figsize: tuple[float, float], *, layout: str = "constrained"):
    fig, ax = plt.subplots(figsize=figsize, layout=layout)
    plt.close(fig)  # the caller owns the figure; pyplot keeps no reference
    return fig, ax


def _one_article(table: pd.DataFrame, article_id: str | None, *, helper: str) -> pd.DataFrame:
    ids = table["article_id"].unique()
    if article_id is None:
        if len(ids) > 1:
            raise ValueError(f"{helper} draws one article; pass article_id= (one of {ids[:5]}).")
        return table
    return table[table["article_id"] == article_id]


def _wrap(text: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def plot_sentiment_arc(
    sentences: pd.DataFrame,
    *,
    article_id: str | None = None,
    kinds: tuple[str, ...] = ANALYSED_KINDS,
    window: int = 3,
    neutral_band: float = 0.05,
) -> Figure:
    """Sentence polarity in reading order, with a rolling mean.

    Parameters
    ----------
    sentences : sentences scored by :func:`framelens.score_sentiment` (needs
        ``article_id, sentence_id, kind, is_lead, polarity``).
    article_id : which article, when the table holds several.
    window : sentences in the centred rolling mean.
    neutral_band : bars within ±band are drawn grey (neutral).

    Examples
    --------
    >>> fig = plot_sentiment_arc(result.sentences)  # doctest: +SKIP
    """
    _require(sentences, ["article_id", "sentence_id", "kind", "is_lead", "polarity"],
             helper="plot_sentiment_arc")
    data = _one_article(sentences, article_id, helper="plot_sentiment_arc")
    data = data[data["kind"].isin(kinds)].sort_values("sentence_id").reset_index(drop=True)
    fig, ax = _figure(figsize=(10, 4))
    x = range(1, len(data) + 1)
    colors = [_POSITIVE if p > neutral_band else _NEGATIVE if p < -neutral_band else _NEUTRAL
              for p in data["polarity"]]
    ax.bar(x, data["polarity"], color=colors, width=0.8, label="sentence polarity")
    rolling = data["polarity"].rolling(window, center=True, min_periods=1).mean()
    ax.plot(x, rolling, color="black", linewidth=1.5, label=f"rolling mean ({window} sentences)")
    ax.axhline(0, color="black", linewidth=0.6)
    opening = data.index[(data["kind"] == "headline") | data["is_lead"]]
    if len(opening):
        last = int(opening.max()) + 1
        ax.axvspan(0.5, last + 0.5, color="#f0f0f0", zorder=0)
        ax.annotate("headline\n+ lead" if (data["kind"] == "headline").any() else "lead",
                    (0.5 + last / 2, -0.97), ha="center", va="bottom", fontsize=8, color="#444")
    ax.set_xlim(0.3, max(len(data), 1) + 0.7)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("Sentence, in reading order (captions and bylines left out)")
    ax.set_ylabel("Polarity (TextBlob)\n-1 negative ... +1 positive")
    ax.set_title("Sentiment across the article: blue positive, red negative, grey neutral")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig


def plot_frame_profile(
    frames: pd.DataFrame,
    *,
    article_id: str | None = None,
    value: str = "rate_per_1k",
    codebook_name: str | None = None,
) -> Figure:
    """Horizontal bars: how often each frame's terms occur, per 1,000 words.

    Parameters
    ----------
    frames : the output of :func:`framelens.score_frames` (needs ``article_id, frame,
        label, hits`` and ``value``).
    value : the column to plot (``rate_per_1k`` or ``weighted_rate_per_1k``).
    codebook_name : named in the title.

    Examples
    --------
    >>> fig = plot_frame_profile(result.frames, codebook_name="ai")  # doctest: +SKIP
    """
    _require(frames, ["article_id", "frame", "label", "hits", value], helper="plot_frame_profile")
    data = _one_article(frames, article_id, helper="plot_frame_profile")
    data = data.sort_values([value, "frame"], ascending=[True, False])
    fig, ax = _figure(figsize=(9, 0.45 * len(data) + 1.6))
    bars = ax.barh([_wrap(lbl) for lbl in data["label"]], data[value], color=_POSITIVE)
    for bar, hits in zip(bars, data["hits"]):
        ax.annotate(f"{int(hits)} hit{'s' if hits != 1 else ''}",
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    what = "weighted " if value.startswith("weighted") else ""
    ax.set_xlabel(f"Codebook term {what}matches per 1,000 words")
    source = f" ({codebook_name} codebook)" if codebook_name else ""
    ax.set_title(f"Frame profile{source}: which frames the article's wording evokes")
    ax.margins(x=0.15)
    return fig


def plot_top_terms(
    terms: pd.DataFrame,
    *,
    article_id: str | None = None,
    top_n: int = 15,
    title: str = "Most frequent words (stopwords removed)",
) -> Figure:
    """Horizontal bars of the most frequent terms.

    Parameters
    ----------
    terms : the output of :func:`framelens.term_frequency` (needs ``term, count``; and
        ``article_id`` when it holds several articles).

    Examples
    --------
    >>> fig = plot_top_terms(result.bigrams, title="Most frequent bigrams")  # doctest: +SKIP
    """
    _require(terms, ["term", "count"], helper="plot_top_terms")
    data = terms
    if "article_id" in terms.columns:
        data = _one_article(terms, article_id, helper="plot_top_terms")
    data = data.sort_values(["count", "term"], ascending=[False, True]).head(top_n)[::-1]
    fig, ax = _figure(figsize=(8, 0.32 * len(data) + 1.4))
    ax.barh(data["term"], data["count"], color="#525252")
    ax.set_xlabel("Occurrences in the article")
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def plot_voices(voices: pd.DataFrame, *, article_id: str | None = None, top_n: int = 12) -> Figure:
    """Horizontal bars: words of quoted and reported speech per speaker.

    Parameters
    ----------
    voices : the output of :func:`framelens.speakers` (needs ``article_id, speaker,
        n_words, n_direct, n_reported``).

    Examples
    --------
    >>> fig = plot_voices(result.voices)  # doctest: +SKIP
    """
    _require(voices, ["article_id", "speaker", "n_words"], helper="plot_voices")
    data = _one_article(voices, article_id, helper="plot_voices")
    data = data.assign(speaker=data["speaker"].replace("", "(unnamed)"))
    data = data.sort_values(["n_words", "speaker"], ascending=[False, True]).head(top_n)[::-1]
    fig, ax = _figure(figsize=(8, 0.38 * len(data) + 1.4))
    ax.barh([_wrap(s, 40) for s in data["speaker"]], data["n_words"], color="#756bb1")
    ax.set_xlabel("Words attributed to the speaker (direct and reported speech)")
    ax.set_title("Who speaks in the article")
    return fig
