"""Claims about duplicate detection: exact copies, republished wire copy, clusters."""

from __future__ import annotations

import logging
import re
import time

import pandas as pd
import pytest

import framelens as fl
from framelens.duplicates import drop_duplicates, find_duplicates
from framelens.errors import MissingColumnError, OptionError

log = logging.getLogger(__name__)

WIRE = (
    "BEIJING (Reuters) - China's commerce ministry said on Thursday that Beijing and "
    "Washington had agreed to cancel tariff increases in phases as trade talks make "
    "progress, raising hopes of an end to the 16-month trade war.\n"
    "The two sides have been negotiating a so-called phase one deal, which U.S. "
    "President Donald Trump said in October would cover large purchases of American farm "
    "goods by China and some protection of intellectual property.\n"
    "Ministry spokesman Gao Feng told reporters that if the two countries reach the "
    "first phase of the agreement, they should roll back existing tariffs simultaneously "
    "and in the same proportion, which he called an important condition for any deal.\n"
    "Stock markets in Asia and Europe rose on the news, and the yuan strengthened past "
    "seven per dollar for the first time since August."
)
ADDED = "Analysts in Shanghai cautioned that the details of the rollback remained unclear."
OTHER_STORY = (
    "WASHINGTON - Farmers in Iowa say the tariff fight with Beijing has cost them their "
    "best customer, and many doubt that promised purchases of soybeans will ever arrive.\n"
    "Soybean exports to China fell by three quarters last year, according to the "
    "Agriculture Department, and federal aid payments covered only part of the losses.\n"
    "Several growers said they would wait to see signed contracts before planting more "
    "soybeans, while others have already switched to corn despite lower prices.\n"
    "The White House said on Thursday that talks with China were going well and that a "
    "first phase of a trade deal could be signed within weeks."
)


def _articles(texts, outlets=None, published=None) -> pd.DataFrame:
    ids = [chr(ord("a") + i) for i in range(len(texts))]
    table = {"article_id": ids, "text": texts}
    if outlets is not None:
        table["outlet"] = outlets
    if published is not None:
        table["published"] = pd.to_datetime(published)
    return pd.DataFrame(table)


def _reference_jaccard(a: str, b: str, k: int = 5) -> float:
    """The Jaccard similarity of two texts' word k-shingles, computed the slow plain way."""
    def shingles(text):
        words = re.findall("[a-z0-9]+", text.lower())  # ASCII texts: letters and digits
        return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def _tokens(prefix: str, n: int) -> str:
    """``n`` distinct made-up words, so every shingle is distinct and counts are easy."""
    return " ".join(f"{prefix}{i}" for i in range(n))


# --- exact ---------------------------------------------------------------------------


def test_copy_differing_in_whitespace_case_and_punctuation_is_an_exact_duplicate():
    copy = WIRE.upper().replace(" ", "   ").replace("\n", "\n\n").replace(",", "")
    found = find_duplicates(_articles([WIRE, copy], outlets=["Reuters", "CNBC"]))
    assert found.to_dict("records") == [
        {"article_id": "b", "duplicate_of": "a", "kind": "exact", "similarity": 1.0,
         "outlet": "CNBC", "duplicate_of_outlet": "Reuters"}
    ]


def test_without_an_outlet_column_the_outlet_columns_are_left_out():
    found = find_duplicates(_articles([WIRE, WIRE]))
    assert list(found.columns) == ["article_id", "duplicate_of", "kind", "similarity"]


# --- near ----------------------------------------------------------------------------


def test_republished_wire_story_with_one_added_sentence_is_a_near_duplicate():
    republished = WIRE.replace("BEIJING (Reuters) - ", "") + "\n" + ADDED
    found = find_duplicates(_articles([WIRE, republished], outlets=["Reuters", "Yahoo"]))
    assert found[["article_id", "duplicate_of", "kind"]].values.tolist() == [["b", "a", "near"]]
    assert found.loc[0, "similarity"] == pytest.approx(_reference_jaccard(WIRE, republished))
    assert 0.8 < found.loc[0, "similarity"] < 1
    assert found.loc[0, "duplicate_of_outlet"] == "Reuters"


def test_similarity_is_the_exact_jaccard_of_the_shingle_sets():
    # 60 distinct words give 56 shingles; adding 10 new words adds 4 shingles across the
    # join and 6 inside the new words: J = 56 / 66.
    original = _tokens("w", 60)
    found = find_duplicates(_articles([original, original + " " + _tokens("x", 10)]))
    assert found.loc[0, "similarity"] == pytest.approx(56 / 66)


def test_two_different_stories_on_the_same_topic_are_not_duplicates():
    assert find_duplicates(_articles([WIRE, OTHER_STORY]), threshold=0.3).empty


def test_a_pair_below_the_threshold_is_not_reported():
    original = _tokens("w", 60)
    pair = _articles([original, original + " " + _tokens("x", 10)])  # J = 0.848
    assert len(find_duplicates(pair, threshold=0.84)) == 1
    assert find_duplicates(pair, threshold=0.85).empty


# --- clusters and order --------------------------------------------------------------


def test_a_chain_of_copies_points_at_the_clusters_first_article():
    # 100 words give 96 shingles. B adds 20 words to A, C adds 20 more: J(A,B) = 96/116,
    # J(B,C) = 116/136, but J(A,C) = 96/136 = 0.71 is below the threshold; C still
    # belongs to A's cluster, and reports its similarity to A.
    a = _tokens("w", 100)
    b = a + " " + _tokens("x", 20)
    c = b + " " + _tokens("y", 20)
    found = find_duplicates(_articles([a, b, c, b.upper()]))
    assert found[["article_id", "duplicate_of", "kind"]].values.tolist() == [
        ["b", "a", "near"], ["c", "a", "near"], ["d", "a", "near"]]
    assert found["similarity"].tolist() == pytest.approx([96 / 116, 96 / 136, 96 / 116])


def test_the_earliest_published_copy_is_the_original_by_default():
    arts = _articles([WIRE, WIRE, WIRE], outlets=["CNBC", "Reuters", "Yahoo"],
                     published=["2019-11-08", "2019-11-07", None])
    assert find_duplicates(arts)[["article_id", "duplicate_of"]].values.tolist() == [
        ["a", "b"], ["c", "b"]]
    assert find_duplicates(arts, keep="first")[["article_id", "duplicate_of"]].values.tolist() \
        == [["b", "a"], ["c", "a"]]


# --- short and empty texts -----------------------------------------------------------


def test_short_texts_match_only_exactly():
    arts = _articles(["Trade talks resumed.", "trade talks RESUMED", "Trade talks resumed again",
                      "Talks resumed"])
    found = find_duplicates(arts)
    assert found[["article_id", "duplicate_of", "kind"]].values.tolist() == [["b", "a", "exact"]]


def test_texts_without_words_are_never_duplicates():
    assert find_duplicates(_articles(["", "  ", "...", None])).empty


# --- determinism and options ---------------------------------------------------------


def test_result_is_the_same_for_a_seed_and_across_seeds():
    texts = [WIRE, WIRE.replace("BEIJING (Reuters) - ", "") + " " + ADDED, OTHER_STORY,
             WIRE.lower()]
    arts = _articles(texts)
    first = find_duplicates(arts, seed=7)
    pd.testing.assert_frame_equal(first, find_duplicates(arts, seed=7))
    for seed in (1, 2, 3):
        pd.testing.assert_frame_equal(first, find_duplicates(arts, seed=seed))


@pytest.mark.parametrize(("option", "value"), [("threshold", 0), ("threshold", 1.5),
                                               ("shingle_size", 0), ("num_perm", 2),
                                               ("keep", "last")])
def test_bad_options_are_refused(option, value):
    with pytest.raises(OptionError, match=option):
        find_duplicates(_articles([WIRE]), **{option: value})


def test_a_missing_text_column_is_named():
    with pytest.raises(MissingColumnError, match="body"):
        find_duplicates(_articles([WIRE]), text_col="body")


# --- drop_duplicates ------------------------------------------------------------------


def test_drop_duplicates_keeps_the_originals_in_order():
    arts = _articles([WIRE, OTHER_STORY, WIRE.lower(), OTHER_STORY])
    kept = drop_duplicates(arts, find_duplicates(arts))
    assert kept["article_id"].tolist() == ["a", "b"]
    assert kept.index.tolist() == [0, 1]


def test_drop_duplicates_works_on_any_table_with_article_ids():
    arts = _articles([WIRE, WIRE])
    scores = pd.DataFrame({"article_id": ["b", "a", "b"], "term": ["x", "y", "z"]})
    assert drop_duplicates(scores, find_duplicates(arts))["term"].tolist() == ["y"]


def test_drop_duplicates_with_no_duplicates_keeps_everything():
    arts = _articles([WIRE, OTHER_STORY])
    pd.testing.assert_frame_equal(drop_duplicates(arts, find_duplicates(arts)), arts)


# --- the shared corpus ---------------------------------------------------------------


def test_allsides_corpus_duplicates_are_real_republications(allsides_path):
    arts = fl.read_articles(allsides_path, text="content_original", outlet="source", id="ID")
    start = time.perf_counter()
    found = find_duplicates(arts, threshold=0.5)
    log.info("allsides: %d duplicate(s) at J >= 0.5 in %.1f s: %s", len(found),
             time.perf_counter() - start, found.to_dict("records"))
    # AllSides picks one article per outlet and story, so copies are rare: an updated
    # Washington Times story (J = 0.73) and an AP story republished, updated, by CBS
    # News (J = 0.52). No pair reaches the default threshold of 0.8.
    pairs = set(zip(found["article_id"], found["duplicate_of"]))
    assert ("Keg3VQZYerWgYpIH", "FUJwAYECJVo0L3fK") in pairs
    assert ("1Rsmj3XNrft7jrcb", "9CMwzJJVs4vAcUUv") in pairs
    assert (found["similarity"] >= 0.5).all()
    assert find_duplicates(arts[arts["article_id"].isin(
        ["Keg3VQZYerWgYpIH", "FUJwAYECJVo0L3fK"])]).empty
