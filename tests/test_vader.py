"""framelens.vader scores exactly (==) as vaderSentiment's polarity_scores, rule by rule."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from framelens.vader import vader_scores

NEWSMTSC = Path(__file__).resolve().parents[2] / "shared" / "data" / "newsmtsc" / "train.jsonl"
KEYS = ("neg", "neu", "pos", "compound")

# (rule exercised, sentence)
RULES = [
    ("plain positive", "The book was good."),
    ("plain negative", "The plan was a disaster."),
    ("no lexicon word", "The minister met the delegation on Tuesday."),
    ("negation", "The book was not good."),
    ("negation two words back", "The book was not very good."),
    ("negation three words back", "It isn't really that good."),
    ("contraction negation", "At least it isn't a horrible book."),
    ("n't inside a word", "They mustn't fail."),
    ("without", "Without a doubt, excellent idea."),
    ("without doubt, two words", "Without doubt excellent."),
    ("never good", "Sentiment analysis has never been good."),
    ("never this good", "Sentiment analysis has never been this good!"),
    ("never so good", "It was never so good."),
    ("so two before", "It was so very good."),
    ("booster", "The results are extremely good."),
    ("booster before negative", "The results are extremely bad."),
    ("dampener", "The results are slightly good."),
    ("boosters at distance 2 and 3", "It is really quite extremely good."),
    ("ALL CAPS", "The book was GOOD."),
    ("ALL CAPS negative", "The book was BAD, really."),
    ("ALL CAPS booster", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!"),
    ("everything in caps", "THE BOOK WAS GOOD"),
    ("exclamation marks", "The book was good!!!"),
    ("many exclamation marks", "The book was bad!!!!!!"),
    ("one question mark", "Was the book good?"),
    ("two question marks", "Was the book good??"),
    ("many question marks", "Was the book good?????"),
    ("but", "The plot was good, but the characters are uncompelling and the dialog is not great."),
    ("but with repeated valences", "good good but good good bad"),
    ("But capitalised", "Today only kinda sux! But I'll get by, lol"),
    ("kind of", "The book was only kind of good."),
    ("kind of before a lexicon word", "I kind of like it."),
    ("sort of", "It was sort of a nice day."),
    ("just enough", "It was just enough fun."),
    ("idiom the shit", "With VADER, sentiment analysis is the shit!"),
    ("idiom the bomb", "That new phone is the bomb."),
    ("idiom bad ass", "On the other hand, VADER is quite bad ass"),
    ("idiom yeah right", "Oh yeah right, great plan."),
    ("idiom kiss of death", "For the campaign it was the kiss of death."),
    ("idiom to die for", "The food is to die for."),
    ("idiom beating heart", "The city is a beating heart of trade."),
    ("least", "Roger Dodger is one of the least compelling variations on this theme."),
    ("at least", "Roger Dodger is at least compelling as a variation on the theme."),
    ("very least", "It was the very least helpful answer."),
    ("least as second word", "Least helpful answer ever."),
    ("no before a lexicon word", "There was no good answer."),
    ("no as a word", "No, the answer is no."),
    ("no ... or", "There was no love or hate."),
    ("emoticons", "Make sure you :) or :D today!"),
    ("emoji", "Catch utf-8 emoji such as 💘 and 💋 and 😁"),
    ("emoji glued to words", "Great😁day💘"),
    ("symbol in the emoji lexicon", "© 2024 Global Times, all rights reserved."),
    ("punctuation stripped words", '"Good," she said; (bad).'),
    ("empty string", ""),
    ("whitespace only", "   \t\n "),
    ("punctuation only", "!!! ??? ..."),
    ("single word", "Hope"),
]


@pytest.fixture(scope="module")
def analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _reference(analyzer: SentimentIntensityAnalyzer, texts: list[str]) -> np.ndarray:
    rows = []
    for text in texts:
        scores = analyzer.polarity_scores(text)
        rows.append([scores[k] for k in KEYS])
    return np.array(rows, dtype="float64").reshape(len(rows), 4)


def _assert_identical(texts: list[str], expected: np.ndarray, got: np.ndarray) -> None:
    differ = np.flatnonzero(~(expected == got).all(axis=1))
    details = [f"{texts[i]!r}: {expected[i].tolist()} != {got[i].tolist()}" for i in differ[:5]]
    assert not len(differ), f"{len(differ)} of {len(texts)} texts differ:\n" + "\n".join(details)


@pytest.mark.parametrize(("rule", "text"), RULES, ids=[rule for rule, _ in RULES])
def test_each_rule_scores_exactly_as_vadersentiment(analyzer, rule, text):
    expected = analyzer.polarity_scores(text)
    got = vader_scores([text])
    assert got.shape == (1, 4)
    assert got[0].tolist() == [expected[k] for k in KEYS]


def test_rules_change_the_scores_they_are_about():
    good, not_good, never_this, very, caps, bang = vader_scores([
        "It was good.", "It was not good.", "It was never this good.", "It was very good.",
        "It was GOOD.", "It was good!!!",
    ])[:, 3]
    assert not_good < 0 < good < very
    assert good < caps and good < bang and good < never_this


def test_non_string_entries_give_nan_rows():
    got = vader_scores(["It was good.", None, math.nan, 3, "It was bad."])
    assert got.shape == (5, 4)
    assert np.isnan(got[1:4]).all()
    assert not np.isnan(got[[0, 4]]).any()


def test_no_texts_give_an_empty_table():
    assert vader_scores([]).shape == (0, 4)


def test_lexicons_are_the_ones_vadersentiment_reads(analyzer):
    from framelens import vader

    assert vader._LEXICON == analyzer.lexicon
    assert vader._EMOJIS == {k: v for k, v in analyzer.emojis.items() if len(k) == 1}


def test_every_allsides_sentence_scores_exactly_as_vadersentiment(allsides_path, analyzer):
    import framelens

    articles = framelens.read_articles(allsides_path, text="content_original", outlet="source",
                                       id="ID")
    sentences = framelens.split_sentences(framelens.split_paragraphs(articles))
    texts = list(dict.fromkeys(sentences["text"]))
    assert len(texts) > 40_000
    _assert_identical(texts, _reference(analyzer, texts), vader_scores(texts))


def test_every_newsmtsc_sentence_scores_exactly_as_vadersentiment(analyzer):
    if not NEWSMTSC.is_file():
        pytest.skip(f"NewsMTSC not found at {NEWSMTSC} (present beside the project in CI; "
                    "a fresh clone does not have it)")
    with NEWSMTSC.open(encoding="utf-8") as lines:
        texts = list(dict.fromkeys(json.loads(line)["sentence_normalized"] for line in lines))
    assert len(texts) > 5_000
    _assert_identical(texts, _reference(analyzer, texts), vader_scores(texts))
