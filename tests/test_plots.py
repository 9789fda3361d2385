"""Charts: titled, labelled, one article at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import framelens as fl


def _texts(fig):
    ax = fig.axes[0]
    return ax.get_title(), ax.get_xlabel(), ax.get_ylabel()


def test_sentiment_arc_has_one_bar_per_analysed_sentence(seed_analysis):
    fig = fl.plot_sentiment_arc(seed_analysis.sentences)
    title, xlabel, ylabel = _texts(fig)
    assert "Sentiment" in title and "Sentence" in xlabel and "Polarity" in ylabel
    analysed = seed_analysis.sentences["kind"].isin(fl.ANALYSED_KINDS).sum()
    assert len(fig.axes[0].containers[0]) == analysed  # the bar container


def test_frame_profile_has_a_bar_per_frame_labelled_with_hits(seed_analysis):
    fig = fl.plot_frame_profile(seed_analysis.frames, codebook_name="ai")
    ax = fig.axes[0]
    assert len(ax.patches) == len(seed_analysis.codebook.frame_ids)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Cooperation and public good"  # longest bar on top
    assert "per 1,000 words" in ax.get_xlabel()


def test_top_terms_and_voices_are_labelled(seed_analysis):
    fig = fl.plot_top_terms(seed_analysis.terms, top_n=5)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][-1] == "ai"
    fig = fl.plot_voices(seed_analysis.voices)
    assert "Xi Jinping" in [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_a_table_of_several_articles_needs_article_id():
    frames = pd.DataFrame({"article_id": ["a", "b"], "frame": ["x", "x"], "label": ["X", "X"],
                           "hits": [1, 2], "rate_per_1k": [1.0, 2.0]})
    with pytest.raises(ValueError, match="article_id"):
        fl.plot_frame_profile(frames)
    fig = fl.plot_frame_profile(frames, article_id="b")
    assert fig.axes[0].patches[0].get_width() == 2.0


def _prevalence():
    rows = [{"group": g, "frame": f, "n_articles": 40, "share": s, "share_lo": s - 0.1,
             "share_hi": s + 0.1} for g, base in (("left", 0.3), ("right", 0.5))
            for f, s in zip([f"frame{i}" for i in range(9)], np.linspace(base, base + 0.4, 9))]
    return pd.DataFrame(rows)


def _trends(freq):
    periods = pd.date_range("2010-01-01", periods=6, freq=freq)
    return pd.DataFrame({"period": list(periods) * 2, "group": ["a"] * 6 + ["b"] * 6,
                         "n_articles": 5, "mean_polarity": np.linspace(-0.1, 0.1, 12)})


def _means(values):
    return pd.DataFrame({"group": ["left", "right"], "n": [100, 120], "mean": values,
                         "mean_lo": [v - 0.005 for v in values],
                         "mean_hi": [v + 0.005 for v in values]})


def test_every_chart_describes_what_it_shows(seed_analysis):
    charts = [fl.plot_sentiment_arc(seed_analysis.sentences),
              fl.plot_frame_profile(seed_analysis.frames),
              fl.plot_top_terms(seed_analysis.terms),
              fl.plot_voices(seed_analysis.voices),
              fl.plot_actor_tone(seed_analysis.actor_tone),
              fl.plot_frame_heatmap(_prevalence()),
              fl.plot_group_means(_means([0.10, 0.11])),
              fl.plot_trends(_trends("YS"))]
    for chart in charts:
        assert len(chart.alt_text) > 40, chart.alt_text
        data, metadata = chart._repr_mimebundle_()
        assert data["image/png"] and metadata["image/png"]["alt"] == chart.alt_text


def test_sentiment_arc_numbers_sentences_as_sentences_csv(seed_analysis):
    fig = fl.plot_sentiment_arc(seed_analysis.sentences)
    bars = fig.axes[0].containers[0]
    centres = [round(b.get_x() + b.get_width() / 2) for b in bars]
    analysed = seed_analysis.sentences[seed_analysis.sentences["kind"].isin(fl.ANALYSED_KINDS)]
    assert centres == sorted(analysed["sentence_id"].tolist())
    headline = analysed.loc[analysed["kind"] == "headline", "sentence_id"]
    assert centres[0] == headline.iloc[0] == 0


def test_sentiment_arc_legend_shows_each_colour_not_the_first_bar(seed_analysis):
    legend = fl.plot_sentiment_arc(seed_analysis.sentences).axes[0].get_legend()
    colours = {to_hex(h.get_facecolor()) for h in legend.legend_handles
               if hasattr(h, "get_facecolor")}
    assert {"#2b8cbe", "#d7301f", "#969696"} <= colours
    texts = [t.get_text() for t in legend.get_texts()]
    assert any("positive" in t for t in texts) and any("negative" in t for t in texts)


def test_group_means_axis_does_not_exaggerate_a_small_difference():
    ax = fl.plot_group_means(_means([0.10, 0.11])).axes[0]
    low, high = ax.get_xlim()
    assert low < 0 < high  # neutral is on the axis
    assert high - low >= 0.5  # 0.01 is a sliver of the axis, not its whole width


def test_heatmap_cell_text_is_readable_at_full_size():
    fig = fl.plot_frame_heatmap(_prevalence())
    assert fig.get_figwidth() <= 10  # shown near its own size in a 1,100 px report
    assert min(t.get_fontsize() for t in fig.axes[0].texts) >= 9


@pytest.mark.parametrize(("freq", "period"), [("MS", "Month"), ("QS", "Quarter"),
                                               ("YS", "Year")])
def test_trends_axis_names_the_period_used(freq, period):
    fig = fl.plot_trends(_trends(freq))
    assert fig.axes[0].get_xlabel().startswith(period)
    assert f"by {period.lower()}" in fig.alt_text
