"""Charts: titled, labelled, one article at a time."""

from __future__ import annotations

import pandas as pd
import pytest

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
