"""Claims about sentence sentiment scores and how they add up to an article score."""

from __future__ import annotations

import math
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from framelens.errors import MissingColumnError, OptionError
from framelens.segment import split_sentences
from framelens.sentiment import (
    article_sentiment,
    extreme_sentences,
    score_sentiment,
    sentiment_arc,
)

SEED = Path(__file__).parents[1] / "data/articles/global-times-2025-09-05-ai-public-good.txt"


def _one(text: str, **options) -> pd.Series:
    return score_sentiment(pd.DataFrame({"text": [text]}), **options).iloc[0]


def _scored(polarity, n_words=None, kind="body", is_lead=False, article_id="a", **extra):
    """A hand-built scored table: one row per value of ``polarity``."""
    n = len(polarity)
    table = pd.DataFrame({
        "article_id": article_id,
        "sentence_id": range(n),
        "kind": kind,
        "is_lead": is_lead,
        "n_words": n_words if n_words is not None else [10] * n,
        "polarity": polarity,
        "subjectivity": 0.5,
        **extra,
    })
    return table


@pytest.fixture(scope="module")
def seed_sentences() -> pd.DataFrame:
    body = SEED.read_text(encoding="utf-8").split("---\n", 2)[2]
    articles = pd.DataFrame({
        "article_id": ["seed"],
        "title": ["AI as an international public good"],
        "text": [body],
    })
    return split_sentences(articles)


# --- sentence scores ----------------------------------------------------------------


def test_negated_positive_sentence_scores_below_zero():
    row = _one("The plan is not good.")
    assert row["polarity"] < 0
    assert row["polarity"] == TextBlob("The plan is not good.").sentiment.polarity


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("The expo was a great success.", 1),
        ("The plan is not good.", -1),
        ("The talks were a terrible failure.", -1),
        ("The expo opened on Friday.", 0),
    ],
)
def test_polarity_sign_and_value_match_textblob(text, sign):
    row = _one(text)
    expected = TextBlob(text).sentiment
    assert np.sign(row["polarity"]) == sign
    assert (row["polarity"], row["subjectivity"]) == (expected.polarity, expected.subjectivity)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("The expo was a great success.", 1),
        ("The talks were a terrible failure.", -1),
        ("The expo opened on Friday.", 0),
    ],
)
def test_vader_compound_has_the_sentence_sign(text, sign):
    row = _one(text)
    assert np.sign(row["vader_compound"]) == sign
    assert row["vader_compound"] == SentimentIntensityAnalyzer().polarity_scores(text)["compound"]


def test_every_seed_sentence_equals_textblob_own_score(seed_sentences):
    scored = score_sentiment(seed_sentences, vader=False)
    for text, polarity, subjectivity in scored[["text", "polarity", "subjectivity"]].itertuples(
        index=False
    ):
        expected = TextBlob(text).sentiment
        assert abs(polarity - expected.polarity) <= 1e-9
        assert abs(subjectivity - expected.subjectivity) <= 1e-9


def test_score_sentiment_adds_columns_and_leaves_input_alone(seed_sentences):
    before = seed_sentences.copy()
    scored = score_sentiment(seed_sentences)
    pd.testing.assert_frame_equal(seed_sentences, before)
    pd.testing.assert_frame_equal(scored[list(before.columns)], before)
    added = [c for c in scored.columns if c not in before.columns]
    assert added == [
        "polarity", "subjectivity", "vader_neg", "vader_neu", "vader_pos", "vader_compound"
    ]


def test_vader_false_adds_only_textblob_columns():
    scored = score_sentiment(pd.DataFrame({"text": ["Fine."]}), vader=False)
    assert list(scored.columns) == ["text", "polarity", "subjectivity"]


def test_custom_text_column_and_missing_text():
    scored = score_sentiment(pd.DataFrame({"sentence": ["Good news.", None]}), text_col="sentence")
    assert scored["polarity"].iloc[0] == TextBlob("Good news.").sentiment.polarity
    assert scored[["polarity", "vader_compound"]].iloc[1].isna().all()


def test_missing_text_column_names_the_helper():
    with pytest.raises(MissingColumnError, match="score_sentiment needs column"):
        score_sentiment(pd.DataFrame({"body": ["x"]}))


def test_score_sentiment_pickles_and_runs_per_partition_in_another_process(seed_sentences):
    assert pickle.loads(pickle.dumps(score_sentiment)) is score_sentiment
    parts = [seed_sentences.iloc[:20], seed_sentences.iloc[20:]]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        scored_parts = list(pool.map(score_sentiment, parts))
    pd.testing.assert_frame_equal(pd.concat(scored_parts), score_sentiment(seed_sentences))


# --- article scores -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "polarity", "polarity_sd", "label"),
    [
        # (0.5*10 - 0.5*30 + 0*10) / 50 = -0.2; sd = sqrt((10*.49 + 30*.09 + 10*.04) / 50)
        ("words", -0.2, 0.4, "negative"),
        # (0.5 - 0.5 + 0) / 3 = 0; sd = sqrt((.25 + .25 + 0) / 3)
        ("none", 0.0, math.sqrt(0.5 / 3), "neutral"),
    ],
)
def test_article_polarity_is_the_weighted_mean_of_its_sentences(
    weight, polarity, polarity_sd, label
):
    scored = _scored([0.5, -0.5, 0.0], n_words=[10, 30, 10])
    row = article_sentiment(scored, weight=weight).iloc[0]
    assert row["polarity"] == pytest.approx(polarity, abs=1e-12)
    assert row["polarity_sd"] == pytest.approx(polarity_sd)
    assert row["label"] == label
    assert (row["share_positive"], row["share_negative"], row["share_neutral"]) == (
        pytest.approx(1 / 3), pytest.approx(1 / 3), pytest.approx(1 / 3)
    )


def test_method_says_how_sentences_were_aggregated():
    scored = _scored([0.5, -0.5, 0.0])
    assert "words-weighted mean" in article_sentiment(scored)["method"].item()
    assert "unweighted mean" in article_sentiment(scored, weight="none")["method"].item()


def test_captions_are_left_out_of_the_article_score():
    scored = _scored([0.2, 1.0, 0.4], kind=["body", "caption", "body"])
    row = article_sentiment(scored).iloc[0]
    assert row["n_sentences"] == 2
    assert row["polarity"] == pytest.approx(0.3)
    everything = article_sentiment(scored, kinds=None).iloc[0]
    assert everything["n_sentences"] == 3
    assert everything["polarity"] == pytest.approx(1.6 / 3)


def test_headline_and_lead_polarity():
    scored = _scored(
        [0.6, 0.1, 0.3, -0.4],
        n_words=[5, 10, 30, 10],
        kind=["headline", "body", "body", "body"],
        is_lead=[False, True, True, False],
    )
    row = article_sentiment(scored).iloc[0]
    assert row["headline_polarity"] == pytest.approx(0.6)
    assert row["lead_polarity"] == pytest.approx((0.1 * 10 + 0.3 * 30) / 40)
    # the headline keeps its own column even when headlines do not count in the mean
    body_only = article_sentiment(scored, kinds=["body"]).iloc[0]
    assert body_only["headline_polarity"] == pytest.approx(0.6)
    assert body_only["n_sentences"] == 3


def test_headline_polarity_is_nan_without_a_headline():
    assert np.isnan(article_sentiment(_scored([0.3]))["headline_polarity"].item())


def test_one_row_per_article_in_order_of_appearance_even_without_counted_sentences():
    scored = pd.concat([
        _scored([0.3, 0.5], article_id="b"),
        _scored([0.9], kind="caption", article_id="a"),
    ])
    out = article_sentiment(scored)
    assert out["article_id"].tolist() == ["b", "a"]
    assert out["n_sentences"].tolist() == [2, 0]
    assert out["label"].tolist()[0] == "positive"
    assert pd.isna(out["polarity"].iloc[1]) and pd.isna(out["label"].iloc[1])


def test_vader_compound_is_averaged_and_nan_when_not_scored():
    with_vader = _scored([0.1, 0.1], n_words=[10, 30], vader_compound=[0.8, 0.4])
    assert article_sentiment(with_vader)["vader_compound"].item() == pytest.approx(0.5)
    assert article_sentiment(with_vader, weight="none")["vader_compound"].item() == (
        pytest.approx(0.6)
    )
    assert np.isnan(article_sentiment(_scored([0.1]))["vader_compound"].item())


def test_article_sentiment_rejects_unknown_weight_and_missing_columns():
    with pytest.raises(OptionError, match="weight must be one of"):
        article_sentiment(_scored([0.1]), weight="sentences")
    with pytest.raises(MissingColumnError, match="n_words"):
        article_sentiment(_scored([0.1]).drop(columns="n_words"))


def test_seed_article_is_positive_overall(seed_sentences):
    row = article_sentiment(score_sentiment(seed_sentences)).iloc[0]
    assert row["label"] == "positive"
    assert row["polarity"] > 0.05
    assert row["vader_compound"] > 0.05
    assert row["n_sentences"] == (seed_sentences["kind"] != "caption").sum()


# --- extreme sentences and arcs -----------------------------------------------------


def test_extreme_sentences_are_ranked_with_ties_broken_by_sentence_id():
    scored = _scored([0.5, -0.2, 0.5, 0.0, -0.9, 1.0, 0.3], kind=["body"] * 6 + ["caption"])
    out = extreme_sentences(scored, n=2)
    assert out[["direction", "rank", "sentence_id"]].values.tolist() == [
        ["positive", 1, 5],
        ["positive", 2, 0],
        ["negative", 1, 4],
        ["negative", 2, 1],
    ]


def test_extreme_sentences_never_call_a_neutral_sentence_positive():
    out = extreme_sentences(_scored([0.0, 0.4, 0.0]), n=3)
    assert out[["direction", "sentence_id"]].values.tolist() == [["positive", 1]]


def test_extreme_sentences_per_article_by_vader():
    scored = pd.concat([
        _scored([0.1, 0.1], article_id="b", vader_compound=[-0.5, 0.7]),
        _scored([0.1], article_id="a", vader_compound=[0.2]),
    ])
    out = extreme_sentences(scored, n=1, by="vader_compound")
    assert out[["article_id", "direction", "sentence_id"]].values.tolist() == [
        ["b", "positive", 1],
        ["b", "negative", 0],
        ["a", "positive", 0],
    ]


def test_sentiment_arc_positions_and_centred_rolling_mean():
    scored = _scored([0.3, 0.9, 0.0, -0.3], kind=["body", "caption", "body", "body"])
    out = sentiment_arc(scored, window=3)
    assert out["sentence_id"].tolist() == [0, 2, 3]
    assert out["position"].tolist() == [0.0, 0.5, 1.0]
    assert out["rolling_polarity"].tolist() == pytest.approx([0.15, 0.0, -0.15])


def test_sentiment_arc_single_sentence_sits_at_zero():
    assert sentiment_arc(_scored([0.4]))["position"].tolist() == [0.0]
