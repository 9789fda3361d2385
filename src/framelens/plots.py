"""Charts: matplotlib figures for the tables the analysis returns.

Each function takes a tidy table, draws one chart titled and labelled for a reader who
never saw the code, and returns the :class:`~matplotlib.figure.Figure` (so a notebook
shows it once and a script can ``savefig`` it). Figures are closed in pyplot as soon as
they are drawn, so no global state builds up when a loop draws hundreds of them, and a
notebook cell shows the returned figure once. Nothing here computes a score.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from framelens.columns import require_columns
from framelens.segment import ANALYSED_KINDS

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


class Chart(Figure):
    """A matplotlib figure that carries alt text: what it shows, for a screen reader.

    A notebook displays it as a PNG whose metadata holds :attr:`alt_text`; the HTML
    export of a report writes that into the image's ``alt`` attribute.
    """

    alt_text: str = ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
        data = {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                "text/plain": f"<Chart: {self.alt_text}>"}
        return data, {"image/png": {"alt": self.alt_text}}


def _figure(figsize: tuple[float, float], *, layout: str = "constrained"):
    fig, ax = plt.subplots(figsize=figsize, layout=layout, FigureClass=Chart)
    plt.close(fig)  # the caller owns the figure; pyplot keeps no reference
    return fig, ax


def _describe(fig: Figure, text: str) -> Figure:
    fig.alt_text = text
    return fig


def _names(values, limit: int = 4) -> str:
    """"a, b, c and 2 more": the first few names of a chart, for its alt text."""
    values = [str(v) for v in values]
    if len(values) <= limit:
        return ", ".join(values[:-1]) + (" and " if len(values) > 1 else "") + values[-1] \
            if values else "nothing"
    return f"{', '.join(values[:limit])} and {len(values) - limit} more"


def _one_article(table: pd.DataFrame, article_id: str | None, *, helper: str) -> pd.DataFrame:
    ids = table["article_id"].unique()
    if article_id is None:
        if len(ids) > 1:
            raise ValueError(f"{helper} draws one article; pass article_id= (one of {ids[:5]}).")
        return table
    return table[table["article_id"] == article_id]


def _wrap(text: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


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
    require_columns(sentences, ["article_id", "sentence_id", "kind", "is_lead", "polarity"],
                    helper="plot_sentiment_arc")
    data = _one_article(sentences, article_id, helper="plot_sentiment_arc")
    data = data[data["kind"].isin(kinds)].sort_values("sentence_id").reset_index(drop=True)
    fig, ax = _figure(figsize=(10, 4))
    # numbered as in sentences.csv (the headline is sentence 0)
    x = data["sentence_id"].to_numpy()
    polarity = data["polarity"]
    colors = [_POSITIVE if p > neutral_band else _NEGATIVE if p < -neutral_band else _NEUTRAL
              for p in polarity]
    ax.bar(x, polarity, color=colors, width=0.8)
    rolling = polarity.rolling(window, center=True, min_periods=1).mean()
    line = ax.plot(x, rolling, color="black", linewidth=1.5,
                   label=f"rolling mean ({window} sentences)")[0]
    ax.axhline(0, color="black", linewidth=0.6)
    opening = x[((data["kind"] == "headline") | data["is_lead"]).to_numpy()]
    if len(opening):
        first, last = int(opening.min()), int(opening.max())
        ax.axvspan(first - 0.5, last + 0.5, color="#f0f0f0", zorder=0)
        ax.annotate("headline\n+ lead" if (data["kind"] == "headline").any() else "lead",
                    ((first + last) / 2, -0.97), ha="center", va="bottom", fontsize=8,
                    color="#444")
    if len(x):
        ax.set_xlim(x.min() - 0.7, x.max() + 0.7)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("Sentence number, as in sentences.csv (headline 0; captions and bylines "
                  "left out)")
    ax.set_ylabel("Polarity (TextBlob)\n-1 negative ... +1 positive")
    ax.set_title("Sentiment across the article: blue positive, red negative, grey neutral")
    swatches = [Patch(color=_POSITIVE, label=f"positive (> {neutral_band:+.2f})"),
                Patch(color=_NEUTRAL, label="neutral"),
                Patch(color=_NEGATIVE, label=f"negative (< {-neutral_band:+.2f})")]
    ax.legend(handles=[*swatches, line], loc="upper right", fontsize=8, frameon=False,
              ncols=2)
    counts = [sum(c == colour for c in colors) for colour in (_POSITIVE, _NEGATIVE, _NEUTRAL)]
    extreme = (f"; the most negative is sentence {x[int(np.argmin(polarity))]} "
               f"({polarity.min():+.2f}), the most positive sentence "
               f"{x[int(np.argmax(polarity))]} ({polarity.max():+.2f})") if len(x) else ""
    return _describe(fig, f"Bar chart of the polarity of {len(x)} sentences in reading order: "
                          f"{counts[0]} positive, {counts[1]} negative, {counts[2]} neutral"
                          f"{extreme}.")


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
    require_columns(frames, ["article_id", "frame", "label", "hits", value],
                    helper="plot_frame_profile")
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
    ranked = data.iloc[::-1]
    return _describe(fig, f"Bar chart of codebook matches per 1,000 words for {len(data)} "
                          "frames, highest first: " + _names(
                              f"{lbl} {v:.1f}" for lbl, v in zip(ranked["label"],
                                                                 ranked[value])) + ".")


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
    require_columns(terms, ["term", "count"], helper="plot_top_terms")
    data = terms
    if "article_id" in terms.columns:
        data = _one_article(terms, article_id, helper="plot_top_terms")
    data = data.sort_values(["count", "term"], ascending=[False, True]).head(top_n)[::-1]
    fig, ax = _figure(figsize=(8, 0.32 * len(data) + 1.4))
    ax.barh(data["term"], data["count"], color="#525252")
    ax.set_xlabel("Occurrences in the article")
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ranked = data.iloc[::-1]
    return _describe(fig, f"{title}, bar chart: " + _names(
        f"{t} ({int(n)})" for t, n in zip(ranked["term"], ranked["count"])) + ".")


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
    require_columns(voices, ["article_id", "speaker", "n_words"], helper="plot_voices")
    data = _one_article(voices, article_id, helper="plot_voices")
    data = data.assign(speaker=data["speaker"].replace("", "(unnamed)"))
    data = data.sort_values(["n_words", "speaker"], ascending=[False, True]).head(top_n)[::-1]
    fig, ax = _figure(figsize=(8, 0.38 * len(data) + 1.4))
    ax.barh([_wrap(s, 40) for s in data["speaker"]], data["n_words"], color="#756bb1")
    ax.set_xlabel("Words attributed to the speaker (direct and reported speech)")
    ax.set_title("Who speaks in the article")
    ranked = data.iloc[::-1]
    return _describe(fig, "Bar chart of the words attributed to each quoted speaker: " + _names(
        f"{sp} ({int(n)} words)" for sp, n in zip(ranked["speaker"], ranked["n_words"])) + ".")


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
    require_columns(actor_tone, ["article_id", "label", "mentions", "share_negative",
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
    ranked = data.iloc[::-1]
    return _describe(fig, "Stacked bars of the share of negative, neutral and positive mentions "
                          "of each actor: " + _names(
                              f"{lbl} ({int(n)} mentions, {neg:.0%} negative, {pos:.0%} "
                              "positive)" for lbl, n, neg, pos in zip(
                                  ranked["label"], ranked["mentions"],
                                  ranked["share_negative"], ranked["share_positive"])) + ".")


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
    require_columns(prevalence, ["group", "frame", "n_articles", value, lo, hi],
                    helper="plot_frame_heatmap")
    groups = list(dict.fromkeys(prevalence["group"]))
    frames = list(dict.fromkeys(prevalence["frame"]))
    table = prevalence.set_index(["group", "frame"])
    grid = np.array([[table.loc[(g, f), value] for f in frames] for g in groups], dtype=float)
    sizes = prevalence.drop_duplicates("group").set_index("group")["n_articles"]
    # at most 10 inches wide, so that a report shows it near its own size and the cell
    # text (9 pt) stays readable at 100% zoom
    fig, ax = _figure(figsize=(min(1.1 * len(frames) + 2.6, 10), 0.75 * len(groups) + 2.4))
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
            ax.text(j, i, text, ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")
    names = [(labels or {}).get(f, f) for f in frames]
    ax.set_xticks(range(len(frames)), [_wrap(n, 12) for n in names], fontsize=9)
    ax.set_yticks(range(len(groups)), [f"{g} (n={int(sizes[g])})" for g in groups], fontsize=9)
    ax.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False)
    what = ("Share of articles that use each frame" if value == "share"
            else "Frame terms per 1,000 words")
    ax.set_title(f"{what}, with {ci:.0%} intervals")
    fig.colorbar(image, ax=ax, shrink=0.8,
                 label="share of articles" if value == "share" else "matches per 1,000 words")
    top = np.unravel_index(np.nanargmax(grid), grid.shape) if np.isfinite(grid).any() else None
    highest = (f"; the highest is {names[top[1]]} in {groups[top[0]]} "
               + (f"({grid[top]:.0%})" if value == "share" else f"({grid[top]:.1f})")
               ) if top is not None else ""
    return _describe(fig, f"Heatmap of {what.lower()} for {len(groups)} groups "
                          f"({_names(groups)}) and {len(frames)} frames, each cell with its "
                          f"interval{highest}.")


def plot_group_means(
    summary: pd.DataFrame,
    *,
    column: str | None = None,
    title: str = "Mean sentiment by group",
    xlabel: str = "Mean polarity of articles (TextBlob, -1 ... +1)",
    min_span: float = 0.25,
) -> Figure:
    """Forest plot: each group's mean with its confidence interval.

    Parameters
    ----------
    summary : the output of :func:`framelens.sentiment_by_group` (needs ``group, n, mean,
        mean_lo, mean_hi``; with a ``column`` column, pass ``column=`` to pick one score).
    min_span : the axis reaches at least this far on both sides of 0 (neutral).

    Examples
    --------
    >>> fig = plot_group_means(fl.sentiment_by_group(scores, by="outlet"))  # doctest: +SKIP
    """
    require_columns(summary, ["group", "n", "mean", "mean_lo", "mean_hi"],
                    helper="plot_group_means")
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
    ax.axvline(0, color="black", linewidth=0.8, label="0 = neutral")
    # the axis always shows neutral (0) and at least ±min_span around it, so that a
    # difference of 0.01 between groups looks as small as it is
    low = min(0.0, float(data["mean_lo"].min())) if len(data) else 0.0
    high = max(0.0, float(data["mean_hi"].max())) if len(data) else 0.0
    ax.set_xlim(min(low, -min_span) - 0.02, max(high, min_span) + 0.02)
    ax.set_yticks(y, [f"{g} (n={int(n)})" for g, n in zip(data["group"], data["n"])])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ranked = data.iloc[::-1]
    return _describe(fig, f"Dot plot of the mean and its interval for {len(data)} groups, on "
                          f"an axis from {ax.get_xlim()[0]:+.2f} to {ax.get_xlim()[1]:+.2f} "
                          "with 0 as neutral: " + _names(
                              (f"{g} {m:+.3f} ({lo:+.3f} to {hi:+.3f})" for g, m, lo, hi in zip(
                                  ranked["group"], ranked["mean"], ranked["mean_lo"],
                                  ranked["mean_hi"])), limit=6) + ".")


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
    require_columns(by_group, ["actor", "label", "group", "n_articles", "mean_net_tone",
                        "net_tone_lo", "net_tone_hi"], helper="plot_actor_tone_by_group")
    order = (by_group.groupby("actor")["n_articles"].sum().sort_values(ascending=False,
                                                                        kind="stable"))
    actors = list(order.index[:top_n])
    columns = 2 if len(actors) > 1 else 1
    rows = max(1, -(-len(actors) // columns))
    groups = list(dict.fromkeys(by_group["group"]))
    height = max(1.2, 0.32 * len(groups) + 0.9)
    fig, axes = plt.subplots(rows, columns, figsize=(9, height * rows + 0.8), squeeze=False,
                             sharex=True, layout="constrained", FigureClass=Chart)
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
    labels = by_group.drop_duplicates("actor").set_index("actor")["label"]
    return _describe(fig, f"Dot plots, one per actor, of each group's mean net tone toward "
                          f"the actor with its interval, on an axis from -1 to +1: "
                          f"{_names([labels[a] for a in actors], limit=8)}; groups "
                          f"{_names(groups)}.")


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
    require_columns(keyness, ["group", "reference", "term", "g2", "direction"],
                    helper="plot_keyness")
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
    return _describe(fig, f"Diverging bar chart of log-likelihood G²: terms used more by "
                          f"{group} ({_names(top['term'])}) and more by {reference} "
                          f"({_names(bottom['term'])}).")


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
    require_columns(trends, ["period", "group", "n_articles", value], helper="plot_trends")
    fig, ax = _figure(figsize=(10, 4))
    for group, data in trends.groupby("group", sort=False):
        shown = data[value].where(data["n_articles"] >= min_articles)
        ax.plot(data["period"], shown, marker="o", markersize=3, label=str(group))
    if value.startswith("share_"):
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    from framelens.compare import period_name

    period = period_name(trends["period"]) or "period"
    ax.set_xlabel(f"{period.capitalize()} (shown where a group has at least {min_articles} "
                  "articles)")
    ax.set_ylabel(ylabel or value.replace("_", " "))
    what = value.replace("_", " ")
    ax.set_title(title or f"{what.capitalize()} by {period}, by group")
    ax.legend(fontsize=8, frameon=False, ncols=2)
    groups = list(dict.fromkeys(trends["group"]))
    dates = pd.to_datetime(trends["period"])
    span = f" from {dates.min():%Y-%m} to {dates.max():%Y-%m}" if len(dates) else ""
    return _describe(fig, f"Line chart of {what} by {period}{span}, one line per group: "
                          f"{_names(groups, limit=6)}.")
