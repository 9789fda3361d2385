"""framelens.pattern must give TextBlob's own sentiment, exactly, for every text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from textblob import TextBlob
from textblob._text import RE_EMOTICONS, RE_SARCASM, find_tokens

import framelens as fl
from framelens.pattern import (
    _MAY_EMOTE,
    _joined,
    _piece,
    _words,
    pattern_scores,
    pattern_sentiment,
)

NEWSMTSC = Path(__file__).resolve().parents[2] / "shared/data/newsmtsc/train.jsonl"

# Each exercises one rule of TextBlob's tokeniser or of Sentiment.assessments.
CASES = [
    "The plan is good.",
    "The plan is not good.",                      # negation
    "The plan is not a good one.",                # negation kept across a small word
    "The plan is not at all good.",               # ... and dropped across a longer one
    "It was never so bad.",
    "A very good plan.",                          # modifier
    "A really not good plan.",                    # modifier then negation ("-ly")
    "Very, very good!",                           # modifier, punctuation, "!"
    "Great!!! Really great!",                     # exclamation marks boost
    "What a surprise (!) that was.",              # irony marker
    "What a surprise ( ! ) that was.",            # irony marker written with spaces
    "I love it :) and :-D and 8-d",               # emoticons, one only after lower-casing
    "He said: (the plan) works.",                 # ": (" joined into an emoticon by TextBlob
    "Doesn't work, isn't good, won't last.",      # contractions
    "It's the company's best year; they'd said so.",
    "“Great,” he said, ‘truly great’.",           # curly quotes
    'He called it "terrible" and "awful."',
    "The U.S. and Mr. Smith met at 3 p.m. on Jan. 5 ... nothing happened...",
    "Prices rose 5.5% to $3.2bn -- a record.",
    "First paragraph ends well.\n\nSecond one is bad.",   # paragraph break: TextBlob's path
    "Text with END-OF-SENTENCE inside is fine.",
    "",
    "   ",
    "!!!",
    "...",
    "🙂 emoji are unknown words",
    "ALL CAPS IS NOT SHOUTING HERE",
    # no word that adds an assessment: scored (0.0, 0.0) without the rules
    "Not now, never!",
    "The minister met the delegation on Tuesday.",
    # emoticons TextBlob finds only after tokenising (the pre-test must catch them)
    "See page 8) for details.",
    "The score was 8 - ) at half time.",
    "Section X D. applies, MAXD too, and so does xD",
    "He said o. O and o.O and x - D.",
    "It rose :-.... and fell.",
    "Ratings ;) and =] and *) and >.> and °o° and o_O and <3 and ♥.",
    # word shapes the tokeniser splits without its general rules
    "Words, words; words: words? words) (words Mr. U.S. İstanbul, ΟΔΟΣ. naïve!",
]


@pytest.mark.parametrize("text", CASES)
def test_equals_textblob_on_hand_picked_cases(text):
    expected = TextBlob(text).sentiment
    assert pattern_sentiment(text) == (expected.polarity, expected.subjectivity)


def test_hand_checked_values():
    # "good" is (0.7, 0.6) in the lexicon; negation gives -0.5 x 0.7; "very" (intensity
    # 1.3) gives min(0.7 x 1.3, 1) = 0.91 and 0.78.
    assert pattern_sentiment("good") == (0.7, 0.6000000000000001)
    assert pattern_sentiment("not good") == (-0.35, 0.6000000000000001)
    assert pattern_sentiment("very good") == (0.9099999999999999, 0.7800000000000001)
    assert pattern_sentiment("nothing here") == (0.0, 0.0)


def test_paths_that_need_textblob_are_recognised():
    assert _words("First.\n\nSecond.") is None
    assert _words("He said: (the plan) works.") is None
    assert _words("What a surprise ( ! ) that was.") is None
    assert _words("Doesn't work.") == ["does", "n", "'", "t", "work", "."]


@pytest.mark.parametrize("text", CASES)
def test_emoticon_pre_test_catches_every_emoticon_of_the_tokens(text):
    joined = _joined(text)
    if RE_EMOTICONS.search(joined) or RE_SARCASM.search(joined):
        assert _MAY_EMOTE.search(text)


CHUNKS = ["word,", "word)", "word(", "word'", 'word"', "Mr.", "U.S.", "İstanbul", "ΟΔΟΣ,",
          "it's", "...", "end....", "$3.2bn,", "5.5%"]


@pytest.mark.parametrize("chunk", CHUNKS)
def test_chunks_are_tokenised_as_textblob_does(chunk):
    assert _piece(chunk) == " ".join(find_tokens(chunk))


def test_missing_texts_get_nan():
    out = pattern_scores(["good", None, float("nan"), 3])
    assert out.shape == (4, 2)
    assert out[0].tolist() == [0.7, 0.6000000000000001]
    assert np.isnan(out[1:]).all()


def test_score_sentiment_uses_textblob_values():
    texts = ["A great success!", "The plan is not good.", None]
    out = fl.score_sentiment(pd.DataFrame({"text": texts}), vader=False)
    assert out["polarity"].iloc[0] == TextBlob(texts[0]).sentiment.polarity
    assert out["subjectivity"].iloc[1] == TextBlob(texts[1]).sentiment.subjectivity
    assert np.isnan(out["polarity"].iloc[2])


def _assert_all_equal(texts: list[str]) -> None:
    ours = pattern_scores(texts)
    theirs = np.array([tuple(TextBlob(t).sentiment) for t in texts], dtype="float64")
    differ = np.flatnonzero(np.abs(ours - theirs).max(axis=1) > 1e-9)
    assert not len(differ), [(texts[i], ours[i], theirs[i]) for i in differ[:5]]


def test_equals_textblob_on_every_sentence_of_the_allsides_corpus(allsides_path):
    arts = fl.read_articles(allsides_path, text="content_original", outlet="source", id="ID")
    sentences = fl.split_sentences(fl.split_paragraphs(arts))
    texts = sentences["text"].tolist()
    assert len(texts) > 50_000
    _assert_all_equal(texts)


def test_equals_textblob_on_every_newsmtsc_sentence():
    if not NEWSMTSC.exists():
        pytest.skip(f"the NewsMTSC data is not at {NEWSMTSC} (it sits beside the project "
                    "in ../shared/data; a fresh clone does not have it)")
    with NEWSMTSC.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["sentence_normalized"] for line in lines]
    assert len(texts) == 7758
    _assert_all_equal(texts)
