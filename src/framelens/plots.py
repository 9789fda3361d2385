"""Charts: matplotlib figures for the tables the analysis returns.

Each function takes a tidy table, draws one chart titled and labelled for a reader who
never saw the code, and returns the :class:`~matplotlib.figure.Figure` (so a notebook
shows it once and a script can ``savefig`` it). Figures are closed in pyplot as soon as
they are drawn, so no global state builds up when a loop draws hundreds of them, and a
notebook cell shows the returned figure once. Nothing here computes a score.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.segment import ANALYSED_KINDS, _require

__all__ = [
    "plot_actor_tone",
    "plot_actor_tone_by_group",
    "plot_frame_heatmap",
    "plot_frame_profile",
    "plot_group_means",
    "plot_keyness",
    "plot_sentiment_arc",
    "plot_top_terms",
    "plot_trends",
    "plot_voices",
]

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


def plot_actor_tone(actor_tone: pd.DataFrame, *, article_id: str | None = None,
                    top_n: int = 12) -> Figure:
    """Stacked bars: the share of each actor's mentions read as negative, neutral, positive.

    Parameters
    ----------
    actor_tone : the output of :func:`framelens.actors.actor_tone` (needs ``article_id,
        label, mentions, share_negative, share_neutral, share_positive``); one article.
    top_n : the most mentioned actors shown.

    Examples
    --------
    >>> fig = plot_actor_tone(result.actor_tone)  # doctest: +SKIP
    """
    _require(actor_tone, ["article_id", "label", "mentions", "share_negative",
                          "share_neutral", "share_positive"], helper="plot_actor_tone")
    data = _one_article(actor_tone, article_id, helper="plot_actor_tone")
    data = data.sort_values(["mentions", "label"], ascending=[False, True]).head(top_n)[::-1]
    fig, ax = _figure(figsize=(8, 0.42 * max(len(data), 1) + 1.6))
    names = [f"{_wrap(label, 36)} ({n})" for label, n in zip(data["label"], data["mentions"])]
    left = np.zeros(len(data))
    for column, colour, name in (("share_negative", _NEGATIVE, "negative"),
                                 ("share_neutral", _NEUTRAL, "neutral"),
                                 ("share_positive", _POSITIVE, "positive")):
        values = data[column].to_numpy(dtype="float64")
        ax.barh(names, values, left=left, color=colour, label=name)
        left = left + values
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_xlabel("Share of the actor's mentions, by the tone model's reading (mentions in "
                  "brackets)")
    ax.set_title("How the article treats the actors it names")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.06), ncols=3, frameon=False)
    return fig


# --- comparisons across groups ------------------------------------------------------


def plot_frame_heatmap(
    prevalence: pd.DataFrame,
    *,
    value: str = "share",
    labels: Mapping[str, str] | None = None,
    ci: float = 0.95,
) -> Figure:
    """Groups × frames heatmap of frame use, each cell annotated with its interval.

    Parameters
    ----------
    prevalence : the output of :func:`framelens.frame_prevalence` (needs ``group, frame,
        n_articles`` and ``value`` with its ``_lo``/``_hi`` interval columns: ``share``
        with ``share_lo, share_hi``, or ``rate_per_1k`` with ``rate_lo, rate_hi``).
    value : ``"share"`` (share of articles using the frame) or ``"rate_per_1k"``.
    labels : frame id → label, for the column headings.
    ci : the interval's level, named in the title.

    Examples
    --------
    >>> fig = plot_frame_heatmap(fl.frame_prevalence(scores, by="outlet"))  # doctest: +SKIP
    """
    lo, hi = ("share_lo", "share_hi") if value == "share" else ("rate_lo", "rate_hi")
    _require(prevalence, ["group", "frame", "n_articles", value, lo, hi],
             helper="plot_frame_heatmap")
    groups = list(dict.fromkeys(prevalence["group"]))
    frames = list(dict.fromkeys(prevalence["frame"]))
    table = prevalence.set_index(["group", "frame"])
    grid = np.array([[table.loc[(g, f), value] for f in frames] for g in groups], dtype=float)
    sizes = prevalence.drop_duplicates("group").set_index("group")["n_articles"]
    fig, ax = _figure(figsize=(1.25 * len(frames) + 3, 0.62 * len(groups) + 2.2))
    image = ax.imshow(grid, cmap="Blues", aspect="auto", vmin=0,
                      vmax=np.nanmax(grid) if np.isfinite(grid).any() else 1)
    for i, g in enumerate(groups):
        for j, f in enumerate(frames):
            v, a, b = (table.loc[(g, f), c] for c in (value, lo, hi))
            if value == "share":
                text = f"{v:.0%}\n{a:.0%}–{b:.0%}"
            else:
                text = f"{v:.1f}\n{a:.1f}–{b:.1f}"
            dark = np.isfinite(v) and v > 0.6 * np.nanmax(grid)
            ax.text(j, i, text, ha="center", va="center", fontsize=7.5,
                    color="white" if dark else "black")
    names = [(labels or {}).get(f, f) for f in frames]
    ax.set_xticks(range(len(frames)), [_wrap(n, 14) for n in names], fontsize=8)
    ax.set_yticks(range(len(groups)), [f"{g} (n={int(sizes[g])})" for g in groups], fontsize=8)
    ax.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False)
    what = ("Share of articles that use each frame" if value == "share"
            else "Frame terms per 1,000 words")
    ax.set_title(f"{what}, with {ci:.0%} intervals")
    fig.colorbar(image, ax=ax, shrink=0.8,
                 label="share of articles" if value == "share" else "matches per 1,000 words")
    return fig


def plot_group_means(
    summary: pd.DataFrame,
    *,
    column: str | None = None,
    title: str = "Mean sentiment by group",
    xlabel: str = "Mean polarity of articles (TextBlob, -1 ... +1)",
) -> Figure:
    """Forest plot: each group's mean with its confidence interval.

    Parameters
    ----------
    summary : the output of :func:`framelens.sentiment_by_group` (needs ``group, n, mean,
        mean_lo, mean_hi``; with a ``column`` column, pass ``column=`` to pick one score).

    Examples
    --------
    >>> fig = plot_group_means(fl.sentiment_by_group(scores, by="outlet"))  # doctest: +SKIP
    """
    _require(summary, ["group", "n", "mean", "mean_lo", "mean_hi"], helper="plot_group_means")
    data = summary
    if column is not None and "column" in summary.columns:
        data = summary[summary["column"] == column]
    data = data.iloc[::-1]
    fig, ax = _figure(figsize=(8, 0.45 * len(data) + 1.6))
    y = np.arange(len(data))
    ax.errorbar(data["mean"], y, xerr=[data["mean"] - data["mean_lo"],
                                      data["mean_hi"] - data["mean"]],
                fmt="o", color=_POSITIVE, ecolor="#444", capsize=3)
    overall = np.average(data["mean"], weights=data["n"]) if len(data) else 0.0
    ax.axvline(overall, color="#999", linestyle="--", linewidth=1,
               label="mean over all groups' articles")
    ax.set_yticks(y, [f"{g} (n={int(n)})" for g, n in zip(data["group"], data["n"])])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


def plot_actor_tone_by_group(by_group: pd.DataFrame, *, top_n: int = 8,
                             ci: float = 0.95) -> Figure:
    """Forest plots, one panel per actor: each group's mean net tone toward it.

    Parameters
    ----------
    by_group : the output of :func:`framelens.actor_tone_by_group` (needs ``actor, label,
        group, n_articles, mean_net_tone, net_tone_lo, net_tone_hi``).
    top_n : the actors mentioned in most articles are drawn, at most this many.
    ci : the interval's level, named in the axis label.

    Examples
    --------
    >>> fig = plot_actor_tone_by_group(comparison.actor_tone)  # doctest: +SKIP
    """
    _require(by_group, ["actor", "label", "group", "n_articles", "mean_net_tone",
                        "net_tone_lo", "net_tone_hi"], helper="plot_actor_tone_by_group")
    order = (by_group.groupby("actor")["n_articles"].sum().sort_values(ascending=False,
                                                                        kind="stable"))
    actors = list(order.index[:top_n])
    columns = 2 if len(actors) > 1 else 1
    rows = max(1, -(-len(actors) // columns))
    groups = list(dict.fromkeys(by_group["group"]))
    height = max(1.2, 0.32 * len(groups) + 0.9)
    fig, axes = plt.subplots(rows, columns, figsize=(9, height * rows + 0.8), squeeze=False,
                             sharex=True, layout="constrained")
    plt.close(fig)
    for ax, actor in zip(axes.flat, actors):
        data = by_group[by_group["actor"] == actor].set_index("group").reindex(groups[::-1])
        y = np.arange(len(data))
        ax.errorbar(data["mean_net_tone"], y,
                    xerr=[data["mean_net_tone"] - data["net_tone_lo"],
                          data["net_tone_hi"] - data["mean_net_tone"]],
                    fmt="o", color=_POSITIVE, ecolor="#444", capsize=3)
        ax.axvline(0, color="#999", linestyle="--", linewidth=1)
        ax.set_yticks(y, [g if pd.isna(n) else f"{g} (n={int(n)})"
                          for g, n in zip(data.index, data["n_articles"])], fontsize=8)
        label = by_group.loc[by_group["actor"] == actor, "label"].iloc[0]
        ax.set_title(_wrap(label, 45), fontsize=10)
        ax.set_xlim(-1, 1)
    for ax in list(axes.flat)[len(actors):]:
        ax.set_visible(False)
    fig.supxlabel(f"Mean net tone of articles toward the actor (share of positive minus "
                  f"negative mentions), {ci:.0%} interval", fontsize=9)
    fig.suptitle("Tone toward actors, by group")
    return fig


def plot_keyness(keyness: pd.DataFrame, *, group: object, top_n: int = 10) -> Figure:
    """Diverging bars: the terms most distinctive of a group, and of the rest.

    Bars to the right are over-used by ``group``, bars to the left by the reference;
    their length is the log-likelihood G².

    Parameters
    ----------
    keyness : the output of :func:`framelens.keyness` (needs ``group, reference, term,
        g2, direction``).
    group : which group's block to draw.

    Examples
    --------
    >>> table = fl.keyness(terms, scores, by="outlet")
    >>> fig = plot_keyness(table, group="Reuters")  # doctest: +SKIP
    """
    _require(keyness, ["group", "reference", "term", "g2", "direction"], helper="plot_keyness")
    block = keyness[keyness["group"] == group]
    top = block[block["direction"] == "target"].nlargest(top_n, "g2")
    bottom = block[block["direction"] == "reference"].nlargest(top_n, "g2")
    data = pd.concat([bottom.iloc[::-1], top.iloc[::-1]])
    signed = np.where(data["direction"] == "target", data["g2"], -data["g2"])
    reference = block["reference"].iloc[0] if len(block) else "the rest"
    fig, ax = _figure(figsize=(8, 0.3 * max(len(data), 1) + 1.6))
    ax.barh(range(len(data)), signed,
            color=[_POSITIVE if v > 0 else _NEGATIVE for v in signed])
    ax.set_yticks(range(len(data)), data["term"], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel(f"Log-likelihood G²: right = used more by {group}, left = by {reference}")
    ax.set_title(f"Distinctive terms: {group} against {reference}")
    return fig


def plot_trends(
    trends: pd.DataFrame,
    *,
    value: str = "mean_polarity",
    min_articles: int = 3,
    title: str | None = None,
    ylabel: str | None = None,
) -> Figure:
    """One line per group over time; periods with fewer than ``min_articles`` are gaps.

    Parameters
    ----------
    trends : the output of :func:`framelens.trends` (needs ``period, group, n_articles``
        and ``value``, e.g. ``mean_polarity`` or ``share_<frame>``).
    min_articles : a period's value is drawn only when the group has this many articles
        in it, so one article does not make a spike.

    Examples
    --------
    >>> fig = plot_trends(fl.trends(scores, by="outlet"), value="share_security")  # doctest: +SKIP
    """
    _require(trends, ["period", "group", "n_articles", value], helper="plot_trends")
    fig, ax = _figure(figsize=(10, 4))
    for group, data in trends.groupby("group", sort=False):
        shown = data[value].where(data["n_articles"] >= min_articles)
        ax.plot(data["period"], shown, marker="o", markersize=3, label=str(group))
    if value.startswith("share_"):
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(f"Period (shown where a group has at least {min_articles} articles)")
    ax.set_ylabel(ylabel or value.replace("_", " "))
    ax.set_title(title or f"{value.replace('_', ' ').capitalize()} over time, by group")
    ax.legend(fontsize=8, frameon=False, ncols=2)
    return fig
