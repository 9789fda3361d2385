"""Claims about comparing groups of articles: rates, intervals, corrected tests, effect sizes.

Every expected number is worked out by hand in the test (the arithmetic is written out);
scipy serves only as a second opinion.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import framelens as fl
from framelens.compare import (
    ACTOR_EVENT_COLUMNS,
    ACTOR_SIZE_COLUMNS,
    ACTOR_TEST_COLUMNS,
    ACTOR_TONE_COLUMNS,
    PAIRWISE_ACTOR_COLUMNS,
    _fdr_bh,
    actor_group_sizes,
    actor_tone_by_group,
    actor_tone_pairwise,
    actor_tone_tests,
    actor_within_event,
    boilerplate_lines,
    frame_pairwise,
    frame_prevalence,
    frame_tests,
    group_sizes,
    keyness,
    quoting_by_group,
    sentiment_by_group,
    sentiment_pairwise,
    sentiment_tests,
    summarize_actor_tone,
    summarize_differences,
    trends,
    voices_by_group,
    within_event,
)
from framelens.errors import EmptyInputError, InputError, MissingColumnError, OptionError


def _scores(uses: dict[str, list[int]], *, frame: str = "security", n_words: int = 100
            ) -> pd.DataFrame:
    """One article per hit count: ``uses={"A": [1, 0, 2]}`` is three articles of outlet A."""
    rows = [(f"{g}{i}", g, hits) for g, hits in uses.items() for i, hits in enumerate(hits)]
    out = pd.DataFrame(rows, columns=["article_id", "outlet", f"hits_{frame}"])
    out["n_words"] = n_words
    out[f"frame_{frame}"] = out[f"hits_{frame}"] / out["n_words"] * 1000
    return out


def _with_frame(k: int, n: int) -> list[int]:
    """``n`` articles, the first ``k`` of them using the frame once."""
    return [1] * k + [0] * (n - k)


def _sentiment(values: dict[str, list[float]], column: str = "polarity") -> pd.DataFrame:
    rows = [(f"{g}{i}", g, v) for g, vs in values.items() for i, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["article_id", "outlet", column])


# --- groups -----------------------------------------------------------------------------


def test_group_sizes_names_the_groups_left_out_and_why():
    scores = _scores({"A": [0] * 6, "B": [0] * 2, "C": [0] * 5})
    out = group_sizes(scores, by="outlet")
    assert out.columns.tolist() == ["group", "n_articles", "n_words", "included", "reason"]
    assert out[["group", "n_articles", "n_words", "included"]].values.tolist() == [
        ["A", 6, 600, True], ["B", 2, 200, False], ["C", 5, 500, True]]
    assert out.loc[1, "reason"] == "fewer than 5 articles (min_articles=5)"


def test_small_groups_are_left_out_of_statistics_and_named_in_a_warning(caplog):
    scores = _scores({"A": _with_frame(3, 6), "B": _with_frame(1, 2), "C": _with_frame(2, 5)})
    with caplog.at_level(logging.WARNING, logger="framelens.compare"):
        out = frame_prevalence(scores, by="outlet", n_boot=50)
    assert out["group"].tolist() == ["A", "C"]
    assert "'B' (2)" in caplog.text and "min_articles" in caplog.text


def test_articles_without_a_group_are_left_out_and_counted(caplog):
    scores = _scores({"A": [0] * 5, "B": [0] * 5})
    scores.loc[[0, 5], "outlet"] = [None, "  "]
    sizes = group_sizes(scores, by="outlet")
    assert sizes[["group", "n_articles", "included"]].iloc[:2].values.tolist() == [
        ["A", 4, False], ["B", 4, False]]
    assert pd.isna(sizes["group"].iloc[-1]) and sizes["n_articles"].iloc[-1] == 2
    assert sizes["reason"].iloc[-1] == "no outlet value"
    with caplog.at_level(logging.WARNING, logger="framelens.compare"):
        out = sentiment_by_group(scores.assign(polarity=0.0), by="outlet", min_articles=4,
                                 n_boot=10)
    assert out["n"].tolist() == [4, 4]
    assert "2 article(s) without a 'outlet' value" in caplog.text


def test_fewer_than_two_usable_groups_is_an_error_naming_groups_and_sizes():
    scores = _scores({"A": [0] * 6, "B": [0] * 3, "C": [0] * 2})
    with pytest.raises(InputError) as caught:
        frame_tests(scores, by="outlet")
    message = str(caught.value)
    assert "'A' (6), 'B' (3), 'C' (2)" in message
    assert "min_articles=3" in message and "another column" in message


def test_a_single_group_is_an_error():
    with pytest.raises(InputError, match="at least two groups"):
        frame_pairwise(_scores({"A": [0] * 10}), by="outlet")


def test_a_missing_by_column_is_an_error_naming_the_columns():
    with pytest.raises(MissingColumnError) as caught:
        frame_prevalence(_scores({"A": [0] * 5, "B": [0] * 5}), by="source")
    assert "'source'" in str(caught.value) and "'outlet'" in str(caught.value)


def test_an_empty_table_is_an_error():
    with pytest.raises(EmptyInputError):
        sentiment_tests(_sentiment({}).astype({"outlet": "object"}), by="outlet")


def test_groups_picks_a_subset_in_the_order_given():
    scores = _sentiment({"A": [0.0] * 5, "B": [1.0] * 5, "C": [2.0] * 5})
    out = sentiment_by_group(scores, by="outlet", groups=["C", "A"], n_boot=10)
    assert out["group"].tolist() == ["C", "A"]
    assert sentiment_pairwise(scores, by="outlet", groups=["C", "A"])[
        ["group_a", "group_b"]].values.tolist() == [["C", "A"]]


def test_an_unknown_group_is_an_option_error_listing_the_values():
    with pytest.raises(OptionError, match=r"\['A', 'B'\]"):
        group_sizes(_scores({"A": [0], "B": [0]}), by="outlet", groups=["A", "Z"])


# --- multiple comparisons ---------------------------------------------------------------


@pytest.mark.parametrize(("p", "expected"), [
    # sorted 0.01, 0.03, 0.04, 0.20 (m = 4): m p / rank = 0.04, 0.06, 0.0533, 0.20;
    # the running minimum from the largest down turns 0.06 into 0.0533
    ([0.01, 0.04, 0.03, 0.20], [0.04, 0.16 / 3, 0.16 / 3, 0.20]),
    # a NaN (a test that was not run) is not part of the family: m = 2
    ([0.5, 0.01, np.nan], [0.5, 0.02, np.nan]),
    # capped at 1
    ([0.9, 0.8], [0.9, 0.9]),
])
def test_benjamini_hochberg_adjusted_p_values(p, expected):
    np.testing.assert_allclose(_fdr_bh(p), expected)


def test_pairwise_frame_p_values_are_adjusted_across_all_frames_and_pairs():
    scores = _scores({"A": _with_frame(8, 10), "B": _with_frame(2, 10), "C": _with_frame(5, 10)})
    scores = scores.merge(_scores({"A": _with_frame(3, 10), "B": _with_frame(6, 10),
                                   "C": _with_frame(4, 10)}, frame="economy"),
                          on=["article_id", "outlet", "n_words"])
    out = frame_pairwise(scores, by="outlet")
    assert len(out) == 6  # 2 frames x 3 pairs: one family
    np.testing.assert_allclose(out["p_adjusted"], _fdr_bh(out["p_value"]))


# --- frames -----------------------------------------------------------------------------


def test_prevalence_share_pooled_rate_and_mean_rate_by_hand():
    scores = _scores({"A": [1, 0, 3, 0, 0], "B": [0] * 5})
    scores["n_words"] = [100, 200, 300, 400, 500] * 2
    scores["frame_security"] = scores["hits_security"] / scores["n_words"] * 1000
    out = frame_prevalence(scores, by="outlet", n_boot=200).set_index("group")
    assert out.loc["A", "articles_with_frame"] == 2
    assert out.loc["A", "share"] == pytest.approx(2 / 5)
    # pooled: 1000 * (1 + 3) hits / 1500 words; mean of article rates: (10 + 0 + 10 + 0 + 0) / 5
    assert out.loc["A", "rate_per_1k"] == pytest.approx(1000 * 4 / 1500)
    assert out.loc["A", "mean_rate"] == pytest.approx(4.0)
    assert out.loc["A", "rate_lo"] <= out.loc["A", "rate_per_1k"] <= out.loc["A", "rate_hi"]
    assert out.loc["B", ["share", "rate_per_1k"]].tolist() == [0.0, 0.0]


def test_articles_use_a_frame_by_their_used_column_when_the_scores_have_one():
    # hits 2, 1, 1, 0 in each group; the codebook's threshold said only the 2-hit
    # articles use the frame (used_<id>); old scores without the column count any hit
    scores = _scores({"A": [2, 1, 1, 0], "B": [2, 2, 1, 0]})
    old = frame_prevalence(scores, by="outlet", n_boot=10, min_articles=1).set_index("group")
    assert old["articles_with_frame"].to_dict() == {"A": 3, "B": 3}
    scores["used_security"] = pd.array([True, False, False, False, True, True, False, None],
                                       dtype="boolean")  # None: an unscored article
    new = frame_prevalence(scores, by="outlet", n_boot=10, min_articles=1).set_index("group")
    assert new["articles_with_frame"].to_dict() == {"A": 1, "B": 2}
    assert new.loc["B", "share"] == pytest.approx(2 / 4)
    assert new.loc["A", "hits"] == 4  # the hits and rates are the hits, whatever is used
    # the tests count the same used / not used table: A 1 / 3, B 2 / 2
    row = frame_pairwise(scores, by="outlet", min_articles=1).iloc[0]
    assert row["share_a"] == pytest.approx(1 / 4) and row["share_b"] == pytest.approx(2 / 4)


def test_share_interval_is_wilson_by_default():
    scores = _scores({"A": _with_frame(4, 10), "B": _with_frame(0, 10)})
    out = frame_prevalence(scores, by="outlet", n_boot=10).set_index("group")
    z = 1.959964  # 97.5th percentile of the standard normal
    centre = (4 + z**2 / 2) / (10 + z**2)  # 5.92073 / 13.84146 = 0.42775
    half = z / (10 + z**2) * math.sqrt(4 * 6 / 10 + z**2 / 4)  # 0.141601 * 1.83313 = 0.25957
    assert out.loc["A", ["share_lo", "share_hi"]].tolist() == pytest.approx(
        [centre - half, centre + half], abs=1e-5)
    # no article uses it, yet the interval still says "up to about 28%", not [0, 0]
    assert out.loc["B", "share_lo"] == 0 and out.loc["B", "share_hi"] > 0.25


def test_chi_square_and_cramers_v_on_a_hand_table():
    # with / without: A 8 / 2, B 2 / 8, C 5 / 5; column totals 15 / 15 of n = 30, so every
    # expected count is 10 * 15 / 30 = 5; X2 = (9 + 9 + 9 + 9 + 0 + 0) / 5 = 7.2, dof = 2
    scores = _scores({"A": _with_frame(8, 10), "B": _with_frame(2, 10), "C": _with_frame(5, 10)})
    row = frame_tests(scores, by="outlet").iloc[0]
    assert row["statistic"] == pytest.approx(7.2)
    assert row["dof"] == 2 and row["n"] == 30
    assert row["p_value"] == pytest.approx(math.exp(-7.2 / 2))  # chi2 sf with 2 dof
    assert row["cramers_v"] == pytest.approx(math.sqrt(7.2 / 30))
    assert row["warning"] == ""


def test_g_test_on_the_same_hand_table():
    scores = _scores({"A": _with_frame(8, 10), "B": _with_frame(2, 10), "C": _with_frame(5, 10)})
    row = frame_tests(scores, by="outlet", test="g").iloc[0]
    # G = 2 sum O ln(O / E) with E = 5: A and B give 8 ln 1.6 + 2 ln 0.4 each, C gives 0
    assert row["statistic"] == pytest.approx(2 * 2 * (8 * math.log(1.6) + 2 * math.log(0.4)))
    assert row["cramers_v"] == pytest.approx(math.sqrt(7.2 / 30))  # from Pearson's X2


def test_omnibus_test_warns_when_expected_counts_are_below_five():
    scores = _scores({"A": _with_frame(1, 5), "B": _with_frame(0, 5)})
    row = frame_tests(scores, by="outlet").iloc[0]
    assert row["min_expected"] == pytest.approx(5 * 1 / 10)
    assert "expected counts below 5" in row["warning"]


def test_a_frame_nobody_uses_is_not_tested_and_not_in_the_family():
    scores = _scores({"A": _with_frame(8, 10), "B": _with_frame(2, 10)})
    scores = scores.merge(_scores({"A": [0] * 10, "B": [0] * 10}, frame="ethics"),
                          on=["article_id", "outlet", "n_words"])
    out = frame_tests(scores, by="outlet").set_index("frame")
    assert np.isnan(out.loc["ethics", "p_value"]) and "no article" in out.loc["ethics", "warning"]
    assert out.loc["security", "p_adjusted"] == out.loc["security", "p_value"]  # family of 1


def test_pairwise_shares_cohens_h_and_odds_ratio_by_hand():
    scores = _scores({"A": _with_frame(8, 10), "B": _with_frame(2, 10)})
    row = frame_pairwise(scores, by="outlet").iloc[0]
    assert (row["group_a"], row["group_b"], row["test"]) == ("A", "B", "chi2")
    assert row["diff"] == pytest.approx(0.8 - 0.2)
    # 2 asin(sqrt .8) - 2 asin(sqrt .2) = 2 (1.107149 - 0.463648) = 1.287002
    assert row["cohens_h"] == pytest.approx(1.287002, abs=1e-6)
    assert row["odds_ratio"] == pytest.approx((8 * 8) / (2 * 2))
    # every expected count is 5: X2 = 4 * (8 - 5)^2 / 5 = 7.2 without Yates' correction
    assert row["statistic"] == pytest.approx(7.2)
    assert row["p_value"] == pytest.approx(stats.chi2.sf(7.2, 1))


def test_pairwise_uses_fisher_when_an_expected_count_is_below_five():
    # A 3 of 5, B 0 of 5: expected 5 * 3 / 10 = 1.5 articles with the frame per group
    scores = _scores({"A": _with_frame(3, 5), "B": _with_frame(0, 5)})
    row = frame_pairwise(scores, by="outlet").iloc[0]
    assert row["test"] == "fisher" and np.isnan(row["statistic"])
    # tables as extreme as 3/0 or 0/3, each C(3,3) C(7,2) / C(10,5) = 21 / 252
    assert row["p_value"] == pytest.approx(2 * 21 / 252)
    # a zero cell: 0.5 added to all four, (3.5 * 5.5) / (2.5 * 0.5)
    assert row["odds_ratio"] == pytest.approx(15.4)


# --- sentiment --------------------------------------------------------------------------


def test_bootstrap_interval_of_the_mean_holds_the_true_mean_and_repeats_for_a_seed():
    rng = np.random.default_rng(42)
    scores = _sentiment({"A": rng.normal(0.3, 0.2, 200).tolist(),
                         "B": rng.normal(-0.1, 0.2, 200).tolist()})
    first = sentiment_by_group(scores, by="outlet", n_boot=1000, seed=7).set_index("group")
    again = sentiment_by_group(scores, by="outlet", n_boot=1000, seed=7).set_index("group")
    other = sentiment_by_group(scores, by="outlet", n_boot=1000, seed=8).set_index("group")
    assert first.loc["A", "mean_lo"] < 0.3 < first.loc["A", "mean_hi"]
    assert first.loc["B", "mean_lo"] < -0.1 < first.loc["B", "mean_hi"]
    pd.testing.assert_frame_equal(first, again)
    assert first.loc["A", "mean_lo"] != other.loc["A", "mean_lo"]


def test_bootstrap_interval_narrows_as_the_group_grows():
    rng = np.random.default_rng(1)
    values = rng.normal(0, 1, 2000)
    scores = _sentiment({"small": values[:20].tolist(), "large": values[20:].tolist()})
    out = sentiment_by_group(scores, by="outlet", n_boot=500).set_index("group")
    width = out["mean_hi"] - out["mean_lo"]
    # about 2 * 1.96 / sqrt(n): 0.88 for 20 articles, 0.088 for 1,980
    assert width["large"] < width["small"] / 5


def test_a_groups_interval_does_not_depend_on_the_other_groups():
    values = {"A": [0.1, 0.5, 0.3, 0.9, 0.2, 0.4], "B": [0.0] * 6, "C": [1.0] * 6}
    both = sentiment_by_group(_sentiment(values), by="outlet", n_boot=300).set_index("group")
    alone = sentiment_by_group(_sentiment(values), by="outlet", groups=["A", "C"],
                               n_boot=300).set_index("group")
    assert both.loc["A", ["mean_lo", "mean_hi"]].tolist() == alone.loc[
        "A", ["mean_lo", "mean_hi"]].tolist()


def test_describe_by_hand():
    scores = _sentiment({"A": [0.1, 0.2, 0.3, 0.2, 0.2], "B": [-0.1, 0.0, 0.1, 0.0, 0.0]})
    row = sentiment_by_group(scores, by="outlet", n_boot=10).iloc[0]
    assert row[["n", "mean", "median", "q25", "q75"]].tolist() == pytest.approx(
        [5, 0.2, 0.2, 0.2, 0.2])
    assert row["sd"] == pytest.approx(math.sqrt((0.01 + 0 + 0.01 + 0 + 0) / 4))


def test_kruskal_wallis_matches_scipy_and_epsilon_squared_is_h_over_n_minus_one():
    values = {"A": [0.1, 0.4, 0.35, 0.8, 0.6], "B": [-0.2, 0.0, 0.1, 0.15, 0.05],
              "C": [0.3, 0.2, 0.25, 0.5, 0.45]}
    row = sentiment_tests(_sentiment(values), by="outlet").iloc[0]
    expected = stats.kruskal(*values.values())
    assert row["statistic"] == pytest.approx(expected.statistic)
    assert row["p_value"] == pytest.approx(expected.pvalue)
    assert row["dof"] == 2 and row["n"] == 15
    assert row["epsilon_squared"] == pytest.approx(expected.statistic / 14)


def test_mann_whitney_matches_scipy_and_rank_biserial_by_hand():
    # pairs (a, b) with a above b: 1 none; 4 above 2, 3; 6 above 2, 3, 5 -> U_a = 5 of 9
    values = {"A": [1.0, 4.0, 6.0], "B": [2.0, 3.0, 5.0]}
    row = sentiment_pairwise(_sentiment(values), by="outlet", min_articles=3).iloc[0]
    assert row["statistic"] == 5
    assert row["p_value"] == pytest.approx(
        stats.mannwhitneyu(values["A"], values["B"]).pvalue)
    assert row["rank_biserial"] == pytest.approx(2 * 5 / 9 - 1)  # = 1/9
    assert row["diff"] == pytest.approx(11 / 3 - 10 / 3)


def test_sentiment_pairwise_adjusts_across_pairs_and_columns():
    rng = np.random.default_rng(3)
    scores = _sentiment({g: rng.normal(m, 1, 15).tolist() for g, m in
                         (("A", 0), ("B", 0.5), ("C", 1))})
    scores["vader_compound"] = rng.normal(0, 1, len(scores))
    out = sentiment_pairwise(scores, by="outlet", column=["polarity", "vader_compound"])
    assert len(out) == 6
    np.testing.assert_allclose(out["p_adjusted"], _fdr_bh(out["p_value"]))


# --- keyness ----------------------------------------------------------------------------


def _corpus(counts: dict[str, dict[str, list[int]]], words: dict[str, list[int]]
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Terms and scores tables: ``counts[group][term]`` per article, ``words[group]``."""
    scores = pd.DataFrame(
        [(f"{g}{i}", g, w) for g, ws in words.items() for i, w in enumerate(ws)],
        columns=["article_id", "outlet", "n_words"])
    terms = pd.DataFrame(
        [(f"{g}{i}", term, c) for g, by_term in counts.items() for term, cs in by_term.items()
         for i, c in enumerate(cs) if c],
        columns=["article_id", "term", "count"])
    return terms, scores


def test_log_likelihood_g2_and_log_ratio_on_a_hand_table():
    terms, scores = _corpus({"A": {"tariff": [20, 10]}, "B": {"tariff": [5, 5]}},
                            {"A": [500, 500], "B": [500, 500]})
    row = keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=2).iloc[0]
    # 2x2: tariff 30 | 10, other words 970 | 990 (1,000 words each side);
    # expected 20 | 20 and 980 | 980, so
    # G2 = 2 (30 ln(30/20) + 10 ln(10/20) + 970 ln(970/980) + 990 ln(990/980)) = 10.672
    g2 = 2 * (30 * math.log(30 / 20) + 10 * math.log(10 / 20)
              + 970 * math.log(970 / 980) + 990 * math.log(990 / 980))
    assert row["g2"] == pytest.approx(g2)
    assert row["g2"] == pytest.approx(stats.chi2_contingency(
        [[30, 10], [970, 990]], correction=False, lambda_="log-likelihood").statistic)
    assert row["p_value"] == pytest.approx(stats.chi2.sf(g2, 1))
    # log ratio: log2((30 / 1000) / (10 / 1000)) = log2(3)
    assert row["log_ratio"] == pytest.approx(math.log2(3))
    assert (row["count_target"], row["count_reference"]) == (30, 10)
    assert (row["per_1k_target"], row["per_1k_reference"]) == (30.0, 10.0)
    assert (row["articles_target"], row["articles_reference"]) == (2, 2)
    assert (row["group"], row["reference"], row["direction"]) == ("A", "B", "target")


@pytest.mark.parametrize(("a", "b", "expected"), [
    (6, 0, math.log2((6 / 1000) / (0.5 / 1000))),  # a zero count is taken as 0.5
    (0, 8, math.log2((0.5 / 1000) / (8 / 1000))),
    (4, 4, 0.0),
])
def test_log_ratio_takes_a_zero_count_as_one_half(a, b, expected):
    terms, scores = _corpus({"A": {"x": [a]}, "B": {"x": [b]}}, {"A": [1000], "B": [1000]})
    row = keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=1,
                  min_count=1).iloc[0]
    assert row["log_ratio"] == pytest.approx(expected)
    assert row["direction"] == ("target" if a >= b else "reference")


def test_keyness_one_group_against_the_rest():
    terms, scores = _corpus(
        {"A": {"x": [30], "y": [5]}, "B": {"x": [10], "y": [5]}, "C": {"x": [10], "y": [10]}},
        {"A": [1000], "B": [1000], "C": [2000]})
    out = keyness(terms, scores, by="outlet", min_articles=1)
    assert out["group"].unique().tolist() == ["A", "B", "C"]
    assert set(out["reference"]) == {"rest"}
    a_x = out[(out["group"] == "A") & (out["term"] == "x")].iloc[0]
    # A: 30 in 1,000 words; the rest (B + C): 10 + 10 = 20 in 3,000 words
    assert (a_x["count_target"], a_x["count_reference"]) == (30, 20)
    assert a_x["log_ratio"] == pytest.approx(math.log2((30 / 1000) / (20 / 3000)))
    c_x = out[(out["group"] == "C") & (out["term"] == "x")].iloc[0]
    # C: 10 in 2,000 words against 40 in 2,000: a quarter as frequent
    assert c_x["log_ratio"] == pytest.approx(-2.0) and c_x["direction"] == "reference"
    for _, block in out.groupby("group"):
        assert block["g2"].is_monotonic_decreasing


def test_keyness_filters_terms_by_count_and_ngram():
    terms, scores = _corpus({"A": {"public good": [6], "good": [3]}, "B": {"good": [1]}},
                            {"A": [1000], "B": [1000]})
    both = keyness(terms, scores, by="outlet", target="A", min_articles=1, min_count=4)
    assert both["term"].tolist() == ["public good", "good"]  # good: 3 + 1 = 4
    assert keyness(terms, scores, by="outlet", target="A", min_articles=1, min_count=4,
                   ngram=1)["term"].tolist() == ["good"]
    assert keyness(terms, scores, by="outlet", target="A", min_articles=1,
                   min_count=5)["term"].tolist() == ["public good"]
    assert keyness(terms, scores, by="outlet", target="A", min_articles=1, min_count=4,
                   min_groups=2)["term"].tolist() == ["good"]


def test_keyness_can_use_term_totals_as_corpus_sizes():
    terms, scores = _corpus({"A": {"x": [30], "y": [70]}, "B": {"x": [10], "y": [190]}},
                            {"A": [1000], "B": [1000]})
    row = keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=1,
                  corpus_size="terms").set_index("term").loc["x"]
    # corpus sizes 30 + 70 = 100 and 10 + 190 = 200
    assert row["per_1k_target"] == pytest.approx(300.0)
    assert row["log_ratio"] == pytest.approx(math.log2((30 / 100) / (10 / 200)))


def test_keyness_refuses_a_reference_without_a_target():
    terms, scores = _corpus({"A": {"x": [5]}, "B": {"x": [5]}}, {"A": [100], "B": [100]})
    with pytest.raises(OptionError, match="target"):
        keyness(terms, scores, by="outlet", reference="B", min_articles=1)


def test_reporting_verbs_leave_the_counts_and_the_corpus_sizes():
    terms, scores = _corpus({"A": {"tariff": [30], "said": [10]},
                             "B": {"tariff": [10], "said": [10]}},
                            {"A": [1000], "B": [1000]})
    out = keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=1)
    assert out["term"].tolist() == ["tariff"]
    row = out.iloc[0]
    # "said" leaves both sides: 990 words each; tariff 30 | 10, other words 960 | 980
    assert row["g2"] == pytest.approx(stats.chi2_contingency(
        [[30, 10], [960, 980]], correction=False, lambda_="log-likelihood").statistic)
    assert row["per_1k_target"] == pytest.approx(30 / 990 * 1000)
    assert row["log_ratio"] == pytest.approx(math.log2(3))
    left = out.attrs["left_out"]
    assert left[["group", "reason", "what", "n_articles", "words"]].values.tolist() == [
        ["A", "reporting verb", "said", 1, 10], ["B", "reporting verb", "said", 1, 10]]
    kept = keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=1,
                   reporting_verbs=False)
    assert set(kept["term"]) == {"tariff", "said"} and kept.attrs["left_out"].empty


def test_an_outlet_naming_itself_is_left_out_but_a_city_in_its_name_is_not():
    terms, scores = _corpus(
        {"Reuters": {"reuters": [3, 3], "washington": [2, 2], "chips": [4, 4]},
         "Washington Times": {"reuters": [1, 0], "washington": [2, 2], "chips": [1, 1]}},
        {"Reuters": [100, 100], "Washington Times": [100, 100]})
    out = keyness(terms, scores, by="outlet", min_articles=1, min_count=1)
    # Reuters writes "reuters" 6 / 200 words against 1 / 200 elsewhere: 6 times as often;
    # the Washington Times writes "washington" 4 / 200 as the others do: a city
    left = out.attrs["left_out"]
    assert left[["group", "what", "n_articles", "words"]].values.tolist() == [
        ["Reuters", "reuters (in Reuters's own articles)", 2, 6]]
    reuters = out[out["group"] == "Reuters"].set_index("term")
    assert reuters.loc["reuters", "count_target"] == 0
    times = out[out["group"] == "Washington Times"].set_index("term")
    # its one "reuters" is a citation and stays, and so does its "washington"
    assert times.loc["reuters", "count_target"] == 1
    assert times.loc["washington", "count_target"] == 4
    # the corpus of Reuters is 200 - 6 words
    assert reuters.loc["chips", "per_1k_target"] == pytest.approx(8 / 194 * 1000)


def test_an_outlets_web_site_name_is_always_its_own():
    terms, scores = _corpus({"New York Times": {"nytimes": [1], "x": [5]},
                             "Vox": {"nytimes": [1], "x": [5]}}, {"New York Times": [100],
                                                                 "Vox": [100]})
    scores["url"] = ["https://www.nytimes.com/2020/a.html", "https://www.vox.com/b"]
    left = keyness(terms, scores, by="outlet", min_articles=1, min_count=1).attrs["left_out"]
    assert left[["group", "what"]].values.tolist() == [
        ["New York Times", "nytimes (in New York Times's own articles)"]]


def test_outlets_whose_names_their_articles_never_write_leave_nothing_out():
    terms, scores = _corpus({"O1": {"x": [5]}, "O2": {"x": [5]}}, {"O1": [100], "O2": [100]})
    terms["term"] = terms["term"].astype("string[pyarrow]")  # as read from Parquet
    out = keyness(terms, scores, by="outlet", min_articles=1, min_count=1)
    assert out.attrs["left_out"].empty and out["term"].tolist() == ["x", "x"]


def test_boilerplate_lines_are_lines_repeated_in_several_articles_of_one_outlet():
    arts = pd.DataFrame({
        "article_id": ["p1", "p2", "p3", "v1", "v2", "v3"],
        "outlet": ["P", "P", "P", "V", "V", "V"],
        "text": ["Tariffs rose.\nStory Continued Below\nListen 5:06",
                 "Chips fell.\n  Story   Continued Below\nListen 3:46\nStory Continued Below",
                 "Talks.\nListen 2:05",
                 "Story Continued Below", "Tariffs rose.", "Tariffs rose."]})
    out = boilerplate_lines(arts)
    # numbers and white space do not count; V's articles of one line are their own text
    assert out[["article_id", "line", "occurrences", "n_articles"]].values.tolist() == [
        ["p1", "Listen 5:06", 1, 3], ["p2", "Listen 3:46", 1, 3], ["p3", "Listen 2:05", 1, 3]]
    two = boilerplate_lines(arts, min_articles=2)
    assert two[["article_id", "line", "occurrences"]].values.tolist()[3:] == [
        ["p1", "Story Continued Below", 1], ["p2", "Story Continued Below", 2]]
    with pytest.raises(OptionError, match="min_articles"):
        boilerplate_lines(arts, min_articles=1)
    # a long line is text (a paragraph quoted in several columns), never furniture
    assert boilerplate_lines(arts, max_words=2)["line"].tolist() == ["Listen 5:06",
                                                                     "Listen 3:46",
                                                                     "Listen 2:05"]
    assert boilerplate_lines(arts, max_words=1).empty


def test_boilerplate_words_leave_the_counts_and_the_corpus_sizes():
    terms, scores = _corpus({"A": {"share": [2, 2], "tariff": [9, 9]},
                             "B": {"tariff": [3, 3]}}, {"A": [100, 100], "B": [100, 100]})
    lines = pd.DataFrame({"article_id": ["A0", "A1"], "outlet": "A",
                          "line": ["SHARE THIS ARTICLE Share Tweet Post Email"] * 2,
                          "occurrences": 1, "n_articles": 2})
    out = keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=1,
                  min_count=1, boilerplate=lines)
    # the line's 7 words leave each A article: 200 - 14 words; "share" (twice a line) is gone
    assert out["term"].tolist() == ["tariff"]
    assert out.iloc[0]["per_1k_target"] == pytest.approx(18 / 186 * 1000)
    left = out.attrs["left_out"]
    assert left[["group", "what", "n_articles", "words"]].values.tolist() == [
        ["A", "\u201cSHARE THIS ARTICLE Share Tweet Post Email\u201d", 2, 14]]
    # a line that is never counted (page furniture the segmenter knows) takes nothing out
    furniture = lines.assign(line="Sign up for Daily Newsletters Manage Newsletters")
    assert keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=1,
                   min_count=1, boilerplate=furniture).attrs["left_out"].empty


# --- quotes -----------------------------------------------------------------------------


def test_voices_by_group_ranks_speakers_by_their_share_of_the_groups_quotes():
    scores = pd.DataFrame({"article_id": ["a1", "a2", "b1", "b2"], "outlet": ["A", "A", "B", "B"],
                           "quoted_share": [0.2, 0.4, 0.1, 0.0]})
    voices = pd.DataFrame({"article_id": ["a1", "a1", "a2", "a2", "b1"],
                           "speaker": ["Li", "", "Li", "Wang", "Wang"],
                           "n_quotes": [3, 1, 1, 2, 2]})
    out = voices_by_group(voices, scores, by="outlet", min_articles=2)
    a = out[out["group"] == "A"]
    # A: 3 + 1 + 1 + 2 = 7 quotes (1 unattributed) in 2 articles
    assert a[["speaker", "n_quotes", "n_articles_quoting", "rank"]].values.tolist() == [
        ["Li", 4, 2, 1], ["Wang", 2, 1, 2]]
    assert a["share_of_quotes"].tolist() == pytest.approx([4 / 7, 2 / 7])
    assert a[["group_quotes", "quotes_per_article", "quoted_share"]].iloc[0].tolist() == \
        pytest.approx([7, 3.5, 0.3])


def test_voices_by_group_merges_a_surname_with_the_full_name_and_shows_the_variants():
    scores = pd.DataFrame({"article_id": ["a1", "a2", "a3", "b1", "b2"],
                           "outlet": ["A", "A", "A", "B", "B"]})
    voices = pd.DataFrame({"article_id": ["a1", "a2", "a3", "b1", "b2", "b2"],
                           "speaker": ["Donald Trump", "Trump", "Trump", "Donald Trump",
                                       "Xi Jinping", "Trump"],
                           "n_quotes": [1, 2, 2, 3, 1, 1]})
    out = voices_by_group(voices, scores, by="outlet", min_articles=2)
    assert out[["group", "speaker", "variants", "n_quotes", "n_articles_quoting"]
               ].values.tolist() == [
        ["A", "Donald Trump", "Trump, Donald Trump", 5, 3],
        ["B", "Donald Trump", "Donald Trump, Trump", 4, 2],
        ["B", "Xi Jinping", "Xi Jinping", 1, 1]]
    apart = voices_by_group(voices, scores, by="outlet", min_articles=2, merge_names=False)
    assert apart[apart["group"] == "A"][["speaker", "n_quotes"]].values.tolist() == [
        ["Trump", 4], ["Donald Trump", 1]]


def test_quoting_by_group_means_and_intervals():
    scores = pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 5, "n_quotes": [0, 2, 4, 2, 2] + [1] * 5,
                           "quoted_share": [0.1, 0.2, 0.3, 0.2, 0.2] + [0.5] * 5})
    out = quoting_by_group(scores, by="outlet", n_boot=200).set_index("group")
    assert out.loc["A", ["quoted_share", "quotes_per_article"]].tolist() == pytest.approx(
        [0.2, 2.0])
    assert out.loc["A", "quoted_share_lo"] < 0.2 < out.loc["A", "quoted_share_hi"]
    assert out.loc["B", ["quoted_share_lo", "quoted_share_hi"]].tolist() == pytest.approx(
        [0.5, 0.5])


# --- time -------------------------------------------------------------------------------


def _dated(dates: list[object]) -> pd.DataFrame:
    scores = _scores({"A": [1, 0, 1], "B": [0, 1]})
    scores["polarity"] = [0.1, 0.3, -0.2, 0.0, 0.4]
    scores["published"] = dates
    return scores


def test_trends_per_month_with_empty_months_as_gaps():
    scores = _dated(pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-03", "2024-01-07",
                                    "2024-02-01"]))
    out = trends(scores, by="outlet", min_articles=1)
    assert out.columns.tolist() == ["period", "group", "n_articles", "mean_polarity",
                                    "share_security"]
    assert out["period"].dt.strftime("%Y-%m").tolist() == [
        "2024-01", "2024-01", "2024-02", "2024-02", "2024-03", "2024-03"]
    assert out["n_articles"].tolist() == [2, 1, 0, 1, 1, 0]
    a_jan = out.iloc[0]
    assert a_jan["mean_polarity"] == pytest.approx((0.1 + 0.3) / 2)
    assert a_jan["share_security"] == pytest.approx(1 / 2)
    assert np.isnan(out.iloc[2]["mean_polarity"])  # A published nothing in February


def test_trend_shares_count_the_articles_that_use_the_frame():
    scores = _dated(pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-03", "2024-01-07",
                                    "2024-02-01"]))
    scores["used_security"] = [False, False, True, False, True]  # A's January hit is too weak
    out = trends(scores, by="outlet", min_articles=1)
    assert out.iloc[0]["share_security"] == 0.0
    assert out["share_security"].tolist()[4] == 1.0  # A in March


def test_trends_leave_out_undated_articles_with_a_warning(caplog):
    scores = _dated([pd.Timestamp("2024-01-05"), pd.NaT, pd.Timestamp("2024-01-09"),
                     pd.Timestamp("2024-01-07"), pd.NaT])
    with caplog.at_level(logging.WARNING, logger="framelens.compare"):
        out = trends(scores, by="outlet", min_articles=1)
    assert out["n_articles"].sum() == 3
    assert "2 of 5 article(s) without a date" in caplog.text


def test_trends_parse_date_strings():
    scores = _dated(["2024-01-05", "2024-01-20", "", "2024-02-07", None])
    out = trends(scores, by="outlet", min_articles=1)
    assert out["n_articles"].tolist() == [2, 0, 0, 1]


def test_trends_name_the_rows_whose_dates_do_not_parse():
    scores = _dated(["2024-01-05", "yesterday", None, "2024-02-30", "2024-02-07"])
    with pytest.raises(InputError) as caught:
        trends(scores, by="outlet", min_articles=1)
    message = str(caught.value)
    assert "row 1 ('A1': 'yesterday')" in message and "row 3 ('B0': '2024-02-30')" in message


def test_trends_refuse_an_unknown_frequency():
    with pytest.raises(OptionError, match="freq"):
        trends(_dated(["2024-01-05"] * 5), by="outlet", min_articles=1, freq="fortnightly")


def test_trends_without_any_date_is_an_error():
    with pytest.raises(InputError, match="no article has a date"):
        trends(_dated([pd.NaT] * 5), by="outlet", min_articles=1)


# --- same-event comparison --------------------------------------------------------------


def test_within_event_removes_a_difference_that_comes_from_story_choice():
    # A alone covers a bad-news event, B alone a good-news one; on the two stories both
    # cover, they write alike. Raw means differ; same-event deviations do not.
    rows = ([("A", "crash", -0.5)] * 5 + [("B", "rescue", 0.5)] * 5
            + [("A", "summit", 0.1)] * 3 + [("B", "summit", 0.1)] * 3
            + [("A", "vote", -0.1)] * 3 + [("B", "vote", -0.1)] * 3)
    scores = pd.DataFrame(rows, columns=["outlet", "story", "polarity"])
    out = within_event(scores, by="outlet", event="story", n_boot=200).set_index("group")
    assert out.loc["A", "mean_all"] == pytest.approx((5 * -0.5 + 3 * 0.1 + 3 * -0.1) / 11)
    assert out.loc["B", "mean_all"] - out.loc["A", "mean_all"] > 0.4
    assert out["mean_deviation"].tolist() == pytest.approx([0.0, 0.0])
    assert out["n_events"].tolist() == [2, 2] and out["n_articles"].tolist() == [6, 6]
    assert out.loc["A", ["deviation_lo", "deviation_hi"]].tolist() == pytest.approx([0, 0])


def test_within_event_keeps_a_difference_on_the_same_stories():
    # on each shared story B is 0.2 above A; the event mean is the mean of the two group
    # means, so A sits 0.1 below it and B 0.1 above, whatever the stories' levels
    rows = ([("A", "summit", 0.0)] * 5 + [("B", "summit", 0.2)] * 5
            + [("A", "vote", -0.4)] * 5 + [("B", "vote", -0.2)] * 5)
    scores = pd.DataFrame(rows, columns=["outlet", "story", "polarity"])
    out = within_event(scores, by="outlet", event="story", n_boot=200).set_index("group")
    assert out["mean_deviation"].tolist() == pytest.approx([-0.1, 0.1])


def test_within_event_weighs_groups_not_articles():
    # A ran four pieces at 0.0, B one at 1.0: the event mean is (0 + 1) / 2, not 1 / 5
    rows = [("A", "summit", 0.0)] * 4 + [("B", "summit", 1.0)]
    scores = pd.DataFrame(rows, columns=["outlet", "story", "polarity"])
    out = within_event(scores, by="outlet", event="story", min_articles=1).set_index("group")
    assert out["mean_deviation"].tolist() == pytest.approx([-0.5, 0.5])
    assert np.isnan(out.loc["A", "deviation_lo"])  # one event: no interval


def test_within_event_needs_the_event_column():
    scores = _sentiment({"A": [0.0] * 5, "B": [0.0] * 5})
    with pytest.raises(MissingColumnError, match="story"):
        within_event(scores, by="outlet", event="story")


# --- summary ----------------------------------------------------------------------------


def test_summary_states_reliable_differences_with_intervals_and_effect_sizes():
    scores = _scores({"Fox": _with_frame(42, 100), "Reuters": _with_frame(18, 100)})
    sentences = summarize_differences(
        frame_pairwise=frame_pairwise(scores, by="outlet"),
        frame_prevalence=frame_prevalence(scores, by="outlet", n_boot=100))
    # h = 2 asin(sqrt .42) - 2 asin(sqrt .18) = 1.40997 - 0.87630 = 0.53
    assert len(sentences) == 1
    assert sentences[0].startswith("Fox used the security frame in 42% of articles (95% CI 33")
    assert "against 18% (95% CI" in sentences[0] and "for Reuters" in sentences[0]
    assert "adjusted p < 0.001, Cohen's h = 0.53" in sentences[0]


def _three_frames() -> pd.DataFrame:
    """Fox uses each of three frames in 42% of its articles, Reuters in 18%."""
    scores = _scores({"Fox": _with_frame(42, 100), "Reuters": _with_frame(18, 100)})
    for frame in ("economy", "ethics"):
        scores = scores.merge(
            _scores({"Fox": _with_frame(42, 100), "Reuters": _with_frame(18, 100)},
                    frame=frame), on=["article_id", "outlet", "n_words"])
    return scores


def test_a_difference_on_a_frame_that_failed_validation_says_it_is_not_reliable():
    scores = _three_frames()
    validation = pd.DataFrame({  # as flag_frames makes it; ethics was not validated
        "frame": ["security", "economy", "ethics"], "validation_alpha": [0.81, 0.41, np.nan],
        "reliable": pd.array([True, False, pd.NA], dtype="boolean")})
    sentences = summarize_differences(frame_pairwise=frame_pairwise(scores, by="outlet"),
                                      frame_validation=validation)
    # the same evidence for each frame: the validated one first, the failed one last
    assert [s.split(" frame ")[0] for s in sentences] == [
        "Fox used the security", "Fox used the ethics", "Fox used the economy"]
    assert sentences[0].endswith("Cohen's h = 0.53).")
    assert sentences[1].endswith(
        "Not yet a reliable finding: the frame has not been validated against human coders "
        "(framelens validate).")
    assert sentences[2].endswith(
        "Not a reliable finding: the frame failed validation against human coders, "
        "Krippendorff's \u03b1 = 0.41, so the difference may be the codebook's error.")
    # the same from a validation's agreement table, through flag_frames
    from framelens.validation import flag_frames

    agreement = pd.DataFrame({"measure": ["frame_security", "frame_economy"],
                              "alpha_with_machine": [0.81, 0.41], "f1": [0.9, 0.5]})
    flagged = flag_frames(frame_tests(scores, by="outlet"), agreement)
    assert summarize_differences(frame_pairwise=frame_pairwise(scores, by="outlet"),
                                 frame_validation=flagged) == sentences


def test_without_a_validation_every_frame_difference_says_it_is_not_validated():
    sentences = summarize_differences(frame_pairwise=frame_pairwise(_three_frames(),
                                                                    by="outlet"))
    assert len(sentences) == 3
    assert all("has not been validated against human coders" in s for s in sentences)


def test_frame_differences_left_unnamed_are_counted_with_their_validation():
    validation = pd.DataFrame({"frame": ["security", "economy", "ethics"],
                               "validation_alpha": [0.81, 0.41, 0.9],
                               "reliable": [True, False, True]})
    sentences = summarize_differences(frame_pairwise=frame_pairwise(_three_frames(),
                                                                    by="outlet"),
                                      frame_validation=validation, max_frames=1)
    assert sentences[-1] == (
        "2 more pairs of groups differ in their use of a frame (adjusted p < 0.05, 1 of them "
        "on frames not validated or that failed validation); the table of pairwise tests "
        "lists them all.")


def test_summary_says_plainly_when_nothing_is_reliable():
    scores = _scores({"A": _with_frame(5, 10), "B": _with_frame(4, 10)})
    scores["polarity"] = [0.1, -0.1] * 10
    sentences = summarize_differences(
        frame_pairwise=frame_pairwise(scores, by="outlet"),
        sentiment_pairwise=sentiment_pairwise(scores, by="outlet"))
    assert sentences == [
        "No frame was used by a reliably different share of articles in any two groups "
        "(adjusted p < 0.05 in none of 1 pairwise tests).",
        "No two groups differed reliably in polarity (adjusted p < 0.05 in none of 1 pairwise "
        "tests).",
    ]


def test_summary_names_distinctive_terms():
    terms, scores = _corpus({"A": {"tariff": [20, 10]}, "B": {"tariff": [5, 5]}},
                            {"A": [500, 500], "B": [500, 500]})
    table = keyness(terms, scores, by="outlet", target="A", reference="B", min_articles=2)
    assert summarize_differences(keyness=table, min_term_articles=2) == [
        "Terms most over-used by A against B: \u201ctariff\u201d (in 2 articles, log ratio "
        "1.6, G\u00b2 = 10.7)."]
    # by default a term must be used by three of the group's articles to be named
    assert summarize_differences(keyness=table)[0].startswith("No term was reliably")


# --- the shared corpus ------------------------------------------------------------------


def test_shared_corpus_compares_by_bias_rating(allsides_path):
    import framelens as fl

    raw = pd.read_json(allsides_path, lines=True).sample(40, random_state=0)
    result = fl.analyze(fl.read_articles(raw, text="content_original", outlet="source",
                                         id="ID"), vader=False)
    scores = result.scores().merge(
        raw.assign(article_id=raw["ID"].astype(str))[["article_id", "bias_text"]],
        on="article_id")
    prevalence = frame_prevalence(scores, by="bias_text", n_boot=200)
    assert set(prevalence["group"]) == {"left", "center", "right"}
    assert ((prevalence["share_lo"] <= prevalence["share"])
            & (prevalence["share"] <= prevalence["share_hi"])).all()
    assert frame_tests(scores, by="bias_text")["p_adjusted"].between(0, 1).all()
    assert isinstance(summarize_differences(
        frame_pairwise=frame_pairwise(scores, by="bias_text")), list)


# --- tone toward actors -----------------------------------------------------------------


def _actor_tone(tones: dict[str, dict[str, list[float]]], *, unmentioned: int = 0,
                mentions: dict[str, list[int]] | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``tones[group][actor]``: net tone of each of the group's articles mentioning the actor.

    Article ``i`` of group ``g`` is ``f"{g}{i}"`` whichever actor it mentions, so actors
    share articles; each group also has ``unmentioned`` articles that mention nobody. A
    tone ``t`` is read as shares ``max(-t, 0)`` negative, ``max(t, 0)`` positive, the rest
    neutral; ``mentions[actor]`` gives mentions per article (default 1).
    """
    rows, articles = [], []
    for g, by_actor in tones.items():
        longest = max((len(v) for v in by_actor.values()), default=0)
        articles += [(f"{g}{i}", g) for i in range(longest + unmentioned)]
        for actor, values in by_actor.items():
            counts = (mentions or {}).get(actor, [1] * len(values))
            rows += [(f"{g}{i}", actor, actor.title(), m, max(-t, 0.0), 1 - abs(t),
                      max(t, 0.0), t) for i, (t, m) in enumerate(zip(values, counts))]
    tone = pd.DataFrame(rows, columns=["article_id", "actor", "label", "mentions",
                                       "share_negative", "share_neutral", "share_positive",
                                       "net_tone"])
    return tone, pd.DataFrame(articles, columns=["article_id", "outlet"])


def test_actor_tone_by_group_counts_each_article_once_and_pools_shares_over_mentions():
    tone, scores = _actor_tone(
        {"A": {"biden": [-1.0, 0.0, 0.5, -0.5, 0.0]}, "B": {"biden": [0.2] * 5}},
        unmentioned=5, mentions={"biden": [3, 1, 1, 1, 1]})
    out = actor_tone_by_group(tone, scores, by="outlet", n_boot=500)
    assert out.columns.tolist() == ACTOR_TONE_COLUMNS
    a = out.set_index("group").loc["A"]
    assert (a["actor"], a["label"], a["n_articles"], a["group_articles"], a["mentions"]) == (
        "biden", "Biden", 5, 10, 7)
    assert a["share_of_articles"] == pytest.approx(5 / 10)
    # one vote per article: (-1 + 0 + 0.5 - 0.5 + 0) / 5, however often the first names him
    assert a["mean_net_tone"] == pytest.approx(-0.2)
    assert a["median_net_tone"] == pytest.approx(0.0)
    assert a["net_tone_lo"] < -0.2 < a["net_tone_hi"]
    # pooled over 7 mentions: negative 3 x 1 + 1 x 0.5 = 3.5; positive 1 x 0.5;
    # neutral 1 x 1 + 1 x 0.5 + 1 x 0.5 + 1 x 1 = 3
    assert a[["share_negative", "share_neutral", "share_positive"]].tolist() == \
        pytest.approx([3.5 / 7, 3 / 7, 0.5 / 7])
    b = out.set_index("group").loc["B"]
    # every article at 0.2: every resample's mean is 0.2
    assert b[["mean_net_tone", "net_tone_lo", "net_tone_hi"]].tolist() == pytest.approx(
        [0.2, 0.2, 0.2])
    assert out.attrs["ci"] == 0.95


def test_actor_pairs_with_too_few_articles_are_left_out_and_named(caplog):
    tone, scores = _actor_tone({"A": {"biden": [0.1] * 6, "trump": [0.0] * 5},
                                "B": {"biden": [0.2] * 6, "trump": [0.0] * 2},
                                "C": {"biden": [0.3] * 5}})
    with caplog.at_level(logging.WARNING, logger="framelens.compare"):
        out = actor_tone_by_group(tone, scores, by="outlet", n_boot=20)
    assert out[["actor", "group"]].values.tolist() == [
        ["biden", "A"], ["biden", "B"], ["biden", "C"], ["trump", "A"]]
    assert "'trump' in 'B' (2)" in caplog.text and "min_articles" in caplog.text
    sizes = actor_group_sizes(tone, scores, by="outlet")
    assert sizes.columns.tolist() == ACTOR_SIZE_COLUMNS
    trump = sizes[sizes["actor"] == "trump"].set_index("group")
    assert trump["n_articles"].tolist() == [5, 2, 0]
    assert trump["included"].tolist() == [True, False, False]
    assert trump.loc["B", "reason"] == ("fewer than 5 articles mention the actor "
                                        "(min_articles=5)")
    assert trump.loc["C", "reason"] == "no article mentions the actor"
    # trump is mentioned enough in A only: nothing to test
    with caplog.at_level(logging.WARNING, logger="framelens.compare"):
        assert actor_tone_tests(tone, scores, by="outlet")["actor"].tolist() == ["biden"]
    assert "1 actor(s) not tested" in caplog.text and "'trump'" in caplog.text
    assert set(actor_tone_pairwise(tone, scores, by="outlet", n_boot=20)["actor"]) == {"biden"}


def test_actor_tone_kruskal_wallis_by_hand():
    # A -1, -0.5, 0 and B 0.2, 0.5, 1 do not overlap: ranks 1..3 and 4..6 (sums 6 and 15);
    # H = 12 / (6 x 7) x (6^2 / 3 + 15^2 / 3) - 3 x 7 = (12 / 42) x 87 - 21 = 27 / 7
    values = {"A": [-1.0, -0.5, 0.0], "B": [0.2, 0.5, 1.0]}
    tone, scores = _actor_tone({g: {"biden": v} for g, v in values.items()})
    row = actor_tone_tests(tone, scores, by="outlet", min_articles=3).iloc[0]
    assert row["statistic"] == pytest.approx(27 / 7)
    assert row["statistic"] == pytest.approx(stats.kruskal(*values.values()).statistic)
    assert row["p_value"] == pytest.approx(math.erfc(math.sqrt(27 / 7 / 2)))  # chi2, 1 dof
    assert row["epsilon_squared"] == pytest.approx(27 / 7 / 5)
    assert (row["dof"], row["n"], row["n_groups"], row["label"]) == (1, 6, 2, "Biden")
    assert row["p_adjusted"] == row["p_value"]  # a family of one actor


def test_actor_tone_mann_whitney_rank_biserial_and_difference_interval_by_hand():
    # pairs (a, b) with a above b: 0.1 none; 0.4 above 0.2, 0.3; 0.6 above all three -> U_a = 5
    values = {"A": [0.1, 0.4, 0.6], "B": [0.2, 0.3, 0.5]}
    tone, scores = _actor_tone({g: {"biden": v} for g, v in values.items()})
    out = actor_tone_pairwise(tone, scores, by="outlet", min_articles=3, n_boot=500)
    assert out.columns.tolist() == PAIRWISE_ACTOR_COLUMNS
    row = out.iloc[0]
    assert (row["group_a"], row["group_b"], row["n_a"], row["n_b"]) == ("A", "B", 3, 3)
    assert row["statistic"] == 5
    assert row["p_value"] == pytest.approx(stats.mannwhitneyu(values["A"], values["B"]).pvalue)
    assert row["rank_biserial"] == pytest.approx(2 * 5 / 9 - 1)
    assert row["diff"] == pytest.approx(1.1 / 3 - 1.0 / 3)
    assert row["diff_lo"] < row["diff"] < row["diff_hi"]
    assert (row["median_a"], row["median_b"]) == pytest.approx((0.4, 0.3))


def _fox_and_times() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Fox is more negative toward Democrats (mean -0.2 against -0.05); both write alike
    # about Tesla (the same five values, so U is n_a n_b / 2 and r = 0)
    fox = [-0.4, -0.3, -0.2, -0.1, 0.0] * 4
    times = [-0.15, -0.1, -0.05, 0.0, 0.05] * 4
    tesla = [-0.2, 0.0, 0.1, 0.3, 0.4] * 4
    return _actor_tone({"Fox News": {"democrats": fox, "tesla": tesla},
                        "The New York Times": {"democrats": times, "tesla": tesla}})


def test_a_clear_difference_is_stated_with_its_direction_intervals_and_effect_size():
    tone, scores = _fox_and_times()
    pairs = actor_tone_pairwise(tone, scores, by="outlet", n_boot=500)
    described = actor_tone_by_group(tone, scores, by="outlet", n_boot=500)
    democrats = pairs.set_index("actor").loc["democrats"]
    assert democrats["diff"] == pytest.approx(-0.2 - -0.05)
    assert democrats["rank_biserial"] < 0 and democrats["diff_hi"] < 0
    # U_a: each Fox value above a Times value, ties counting one half. Per block of five
    # Fox values against five Times values: -0.4, -0.3 and -0.2 beat none, -0.1 beats -0.15
    # and ties -0.1, 0.0 beats -0.15, -0.1, -0.05 and ties 0.0; so 1.5 + 3.5 = 5 of 25
    # pairs, and over 4 x 4 blocks U = 16 x 5 = 80 of 400: r = 2 x 80 / 400 - 1 = -0.6
    assert democrats["statistic"] == pytest.approx(80)
    assert democrats["rank_biserial"] == pytest.approx(-0.6)
    tesla = pairs.set_index("actor").loc["tesla"]
    assert tesla["rank_biserial"] == 0 and tesla["p_value"] == pytest.approx(1.0)
    sentences = summarize_actor_tone(pairs, by_group=described)
    d = described.set_index(["actor", "group"])
    fox_lo, fox_hi = d.loc[("democrats", "Fox News"), ["net_tone_lo", "net_tone_hi"]]
    times_lo, times_hi = d.loc[("democrats", "The New York Times"),
                               ["net_tone_lo", "net_tone_hi"]]

    def number(x: float) -> str:
        return f"{x:.2f}".replace("-", "\u2212")

    p = pairs.set_index("actor").loc["democrats", "p_adjusted"]
    p_text = "< 0.001" if p < 0.001 else f"= {p:.3f}"
    assert sentences == [
        f"Fox News was more negative toward Democrats than The New York Times: net tone "
        f"\u22120.20 (95% CI {number(fox_lo)} to {number(fox_hi)}) against \u22120.05 "
        f"({number(times_lo)} to {number(times_hi)}) (adjusted p {p_text}, rank-biserial "
        f"r = 0.60)."]


def test_tone_above_zero_on_both_sides_is_said_as_more_positive_with_a_capital():
    tone, scores = _actor_tone({"left": {"tesla": [0.1] * 5 + [0.2] * 5},
                                "right": {"tesla": [0.5] * 5 + [0.7] * 5}})
    sentences = summarize_actor_tone(actor_tone_pairwise(tone, scores, by="outlet",
                                                         n_boot=50))
    # every right article above every left one: U = 0 for left (group a), r = -1
    assert sentences == [
        "Right was more positive toward Tesla than left: net tone 0.60 against 0.15 "
        "(adjusted p < 0.001, rank-biserial r = 1.00)."]


def test_no_reliable_difference_gives_no_difference_sentence():
    tone, scores = _actor_tone({"A": {"biden": [-0.3, 0.1, 0.2, -0.1, 0.0]},
                                "B": {"biden": [0.2, -0.3, 0.0, 0.1, -0.1]}})
    pairs = actor_tone_pairwise(tone, scores, by="outlet", n_boot=50)
    assert pairs["p_value"].iloc[0] == pytest.approx(1.0)  # the same five values
    assert summarize_actor_tone(pairs) == [
        "No two groups differed reliably in their tone toward any actor (adjusted p < 0.05 "
        "in none of 1 pairwise tests)."]


def test_actor_tone_p_values_are_adjusted_across_all_actors():
    rng = np.random.default_rng(5)
    tones = {g: {actor: np.clip(rng.normal(shift * i, 0.3, 12), -1, 1).tolist()
                 for actor, shift in (("biden", 0.25), ("trump", 0.0), ("tesla", 0.1))}
             for i, g in enumerate(["A", "B", "C"])}
    tone, scores = _actor_tone(tones)
    pairs = actor_tone_pairwise(tone, scores, by="outlet", n_boot=20)
    assert len(pairs) == 9  # 3 actors x 3 pairs: one family
    np.testing.assert_allclose(pairs["p_adjusted"], _fdr_bh(pairs["p_value"]))
    tests = actor_tone_tests(tone, scores, by="outlet")
    assert tests.columns.tolist() == ACTOR_TEST_COLUMNS and len(tests) == 3
    np.testing.assert_allclose(tests["p_adjusted"], _fdr_bh(tests["p_value"]))
    # the adjustment is not per actor: the smallest p of nine is multiplied by up to 9
    smallest = pairs["p_value"].idxmin()
    assert pairs.loc[smallest, "p_adjusted"] > pairs.loc[smallest, "p_value"]


def test_actor_tone_intervals_repeat_for_a_seed_and_ignore_other_actors():
    tone, scores = _fox_and_times()
    first = actor_tone_by_group(tone, scores, by="outlet", n_boot=300, seed=3)
    again = actor_tone_by_group(tone, scores, by="outlet", n_boot=300, seed=3)
    other = actor_tone_by_group(tone, scores, by="outlet", n_boot=300, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["net_tone_lo"], other["net_tone_lo"])
    alone = actor_tone_by_group(tone, scores, by="outlet", actors=["democrats"], n_boot=300,
                                seed=3)
    pd.testing.assert_frame_equal(alone, first[first["actor"] == "democrats"].reset_index(
        drop=True))
    pd.testing.assert_frame_equal(actor_tone_pairwise(tone, scores, by="outlet", seed=3),
                                  actor_tone_pairwise(tone, scores, by="outlet", seed=3))


def _actor_events(rows: list[tuple[str, str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One article per (outlet, story, net tone toward Biden)."""
    scores = pd.DataFrame([(f"a{i}", g, e) for i, (g, e, _) in enumerate(rows)],
                          columns=["article_id", "outlet", "story"])
    tone = pd.DataFrame([(f"a{i}", "biden", 1, max(-t, 0), 1 - abs(t), max(t, 0), t)
                         for i, (_, _, t) in enumerate(rows)],
                        columns=["article_id", "actor", "mentions", "share_negative",
                                 "share_neutral", "share_positive", "net_tone"])
    return tone, scores


def test_actor_within_event_removes_a_difference_that_comes_from_story_choice():
    # A alone covers Biden's scandal, B alone his rescue; on the two stories both cover,
    # they write alike about him. Raw means differ; same-event deviations do not.
    rows = ([("A", "scandal", -0.5)] * 5 + [("B", "rescue", 0.5)] * 5
            + [("A", "summit", 0.1)] * 3 + [("B", "summit", 0.1)] * 3
            + [("A", "vote", -0.1)] * 3 + [("B", "vote", -0.1)] * 3)
    tone, scores = _actor_events(rows)
    out = actor_within_event(tone, scores, by="outlet", event="story", n_boot=200)
    assert out.columns.tolist() == ACTOR_EVENT_COLUMNS
    out = out.set_index("group")
    assert out.loc["A", "mean_all"] == pytest.approx((5 * -0.5 + 3 * 0.1 + 3 * -0.1) / 11)
    assert out.loc["B", "mean_all"] - out.loc["A", "mean_all"] > 0.4
    assert out["mean_deviation"].tolist() == pytest.approx([0.0, 0.0])
    assert out["n_events"].tolist() == [2, 2] and out["n_articles"].tolist() == [6, 6]
    assert out.loc["A", ["deviation_lo", "deviation_hi"]].tolist() == pytest.approx([0, 0])
    assert out.loc["A", "mean_shared"] == pytest.approx(0.0)  # (3 x 0.1 + 3 x -0.1) / 6


def test_actor_within_event_keeps_a_difference_on_the_same_stories_and_weighs_groups():
    # on each shared story B is 0.2 above A, so A sits 0.1 below the event mean, B above;
    # on the third story A ran four pieces at 0.0 and B one at 0.2: the mean is 0.1, not 0.04
    rows = ([("A", "summit", 0.0)] * 5 + [("B", "summit", 0.2)] * 5
            + [("A", "vote", -0.4)] * 5 + [("B", "vote", -0.2)] * 5
            + [("A", "trial", 0.0)] * 4 + [("B", "trial", 0.2)])
    tone, scores = _actor_events(rows)
    out = actor_within_event(tone, scores, by="outlet", event="story", n_boot=200)
    assert out["mean_deviation"].tolist() == pytest.approx([-0.1, 0.1])
    assert out["n_events"].tolist() == [3, 3]
    assert (out["deviation_lo"] <= out["mean_deviation"]).all()
    assert (out["mean_deviation"] <= out["deviation_hi"]).all()


def test_actor_within_event_needs_the_event_column_and_two_groups_per_event():
    tone, scores = _actor_events([("A", "x", 0.1)] * 5 + [("B", "y", 0.2)] * 5)
    with pytest.raises(MissingColumnError, match="topic"):
        actor_within_event(tone, scores, by="outlet", event="topic")
    with pytest.raises(OptionError, match="min_groups"):
        actor_within_event(tone, scores, by="outlet", event="story", min_groups=1)
    # no story is covered by both: nothing to compare, an empty table
    assert actor_within_event(tone, scores, by="outlet", event="story").empty


def test_no_actor_rows_give_empty_tables_with_the_right_columns():
    tone, scores = _actor_tone({"A": {}, "B": {}}, unmentioned=5)
    scores["story"] = "x"
    assert tone.empty
    for helper, columns, options in (
            (actor_group_sizes, ACTOR_SIZE_COLUMNS, {}),
            (actor_tone_by_group, ACTOR_TONE_COLUMNS, {"n_boot": 10}),
            (actor_tone_tests, ACTOR_TEST_COLUMNS, {}),
            (actor_tone_pairwise, PAIRWISE_ACTOR_COLUMNS, {"n_boot": 10}),
            (actor_within_event, ACTOR_EVENT_COLUMNS, {"event": "story", "n_boot": 10})):
        out = helper(tone, scores, by="outlet", **options)
        assert out.empty and out.columns.tolist() == columns, helper.__name__
    pairs = actor_tone_pairwise(tone, scores, by="outlet", n_boot=10)
    assert summarize_actor_tone(pairs) == [
        "No actor was mentioned in enough articles of two groups to compare the tone toward "
        "it (see actor_group_sizes)."]


def test_actor_tone_refuses_bad_options_and_tables():
    tone, scores = _fox_and_times()
    with pytest.raises(MissingColumnError, match="net_tone"):
        actor_tone_by_group(tone.drop(columns="net_tone"), scores, by="outlet")
    with pytest.raises(MissingColumnError, match="article_id"):
        actor_tone_tests(tone, scores.drop(columns="article_id"), by="outlet")
    with pytest.raises(OptionError, match="n_boot"):
        actor_tone_by_group(tone, scores, by="outlet", n_boot=0)
    with pytest.raises(OptionError, match="min_articles"):
        actor_tone_pairwise(tone, scores, by="outlet", min_articles=0)
    with pytest.raises(OptionError, match="obama"):
        actor_tone_tests(tone, scores, by="outlet", actors=["democrats", "obama"])
    with pytest.raises(OptionError, match="alpha"):
        summarize_actor_tone(actor_tone_pairwise(tone, scores, by="outlet", n_boot=10),
                             alpha=5)
    with pytest.raises(InputError, match="one row per"):
        actor_tone_tests(pd.concat([tone, tone.head(1)]), scores, by="outlet")
    with pytest.raises(InputError, match="same articles"):
        actor_tone_tests(tone.assign(article_id="x" + tone["article_id"]), scores,
                         by="outlet")
    with pytest.raises(InputError, match=r"outside \[-1, 1\]"):
        actor_tone_tests(tone.assign(net_tone=tone["net_tone"] * 5), scores, by="outlet")


def test_summarize_differences_adds_actor_tone_after_sentiment():
    tone, scores = _fox_and_times()
    scores["polarity"] = 0.0
    sentences = summarize_differences(
        sentiment_pairwise=sentiment_pairwise(scores, by="outlet"),
        actor_tone_pairwise=actor_tone_pairwise(tone, scores, by="outlet", n_boot=100),
        actor_tone_by_group=actor_tone_by_group(tone, scores, by="outlet", n_boot=100))
    assert len(sentences) == 2
    assert sentences[0].startswith("No two groups differed reliably in polarity")
    assert sentences[1].startswith("Fox News was more negative toward Democrats than The New "
                                   "York Times: net tone \u22120.20 (95% CI ")


def test_a_sentence_says_so_when_ranks_and_means_point_different_ways():
    # most of A's articles (21 of 30 at 0.3) are above all of B's (0.1), but nine at -1 pull
    # A's mean down to (9 x -1 + 21 x 0.3) / 30 = -0.09: U_a = 21 x 30 = 630, r = 0.4
    tone, scores = _actor_tone({"A": {"tesla": [-1.0] * 9 + [0.3] * 21},
                                "B": {"tesla": [0.1] * 30}})
    pairs = actor_tone_pairwise(tone, scores, by="outlet", n_boot=50)
    assert pairs["rank_biserial"].iloc[0] == pytest.approx(0.4)
    (sentence,) = summarize_actor_tone(pairs)
    assert sentence.startswith("B tended to be more negative toward Tesla than A, though its "
                               "mean net tone was not lower: net tone 0.10 against \u22120.09 (")


# --- frames corrected for measured error ------------------------------------------------


def _validation(frame: str, tp: int, fn: int, tn: int, fp: int) -> pd.DataFrame:
    truth = [1] * (tp + fn) + [0] * (tn + fp)
    predicted = [1] * tp + [0] * fn + [0] * tn + [1] * fp
    return pd.DataFrame({"frame": frame, "truth": truth, "predicted": predicted})


def test_rogan_gladen_by_hand_on_a_two_by_two_table():
    # validation: 45 of 50 coded articles with the frame found (Se = 0.9), 40 of 50
    # without it left alone (Sp = 0.8); the measure marks 50 % of a group:
    # (0.5 + 0.8 - 1) / (0.9 + 0.8 - 1) = 0.3 / 0.7
    rates = fl.frame_error_rates(_validation("eco", 45, 5, 40, 10)).iloc[0]
    assert (rates.true_positive, rates.false_negative, rates.true_negative,
            rates.false_positive) == (45, 5, 40, 10)
    assert rates.sensitivity == 0.9 and rates.specificity == 0.8 and rates.measurable
    assert float(fl.rogan_gladen(0.5, 0.9, 0.8)) == pytest.approx(3 / 7)
    scores = pd.DataFrame({"g": ["a"] * 10 + ["b"] * 10,
                           "hits_eco": [1] * 5 + [0] * 5 + [1] * 2 + [0] * 8})
    scores["frame_eco"] = scores["hits_eco"]
    table = fl.corrected_prevalence(scores, by="g", validation=_validation("eco", 45, 5, 40,
                                                                            10), n_boot=300)
    a = table.set_index("group").loc["a"]
    assert a.raw_share == 0.5 and a.corrected_share == pytest.approx(3 / 7)
    assert a.corrected_lo <= 3 / 7 <= a.corrected_hi
    # 0.2 marked is below the false-positive rate: clipped to 0
    assert table.set_index("group").loc["b", "corrected_share"] == 0.0


def test_correction_recovers_a_known_share_in_a_simulation():
    rng = np.random.default_rng(11)
    se, sp = 0.75, 0.85
    true = {"left": 0.50, "right": 0.34}
    rows = []
    for group, share in true.items():
        truth = rng.random(3000) < share
        marked = np.where(truth, rng.random(3000) < se, rng.random(3000) > sp)
        rows.append(pd.DataFrame({"side": group, "hits_solution": marked.astype(int)}))
    scores = pd.concat(rows, ignore_index=True)
    scores["frame_solution"] = scores["hits_solution"]
    v_truth = rng.random(600) < 0.4
    v_pred = np.where(v_truth, rng.random(600) < se, rng.random(600) > sp)
    validation = pd.DataFrame({"frame": "solution", "truth": v_truth.astype(int),
                               "predicted": v_pred.astype(int)})
    table = fl.corrected_prevalence(scores, by="side", validation=validation, n_boot=1000,
                                    seed=2).set_index("group")
    for group, share in true.items():
        row = table.loc[group]
        # the raw share is biased toward 0.5 (left 0.45, right 0.35 expected) ...
        assert abs(row.raw_share - (share * se + (1 - share) * (1 - sp))) < 0.03
        # ... the corrected one recovers the truth, inside its interval
        assert abs(row.corrected_share - share) < 0.05
        assert row.corrected_lo <= share <= row.corrected_hi
        # the interval carries the validation's uncertainty: wider than the raw one
        assert row.corrected_hi - row.corrected_lo > row.raw_hi - row.raw_lo
    pairs = fl.corrected_pairwise(scores, by="side", validation=validation, n_boot=1000,
                                  seed=2).iloc[0]
    assert pairs.group_a == "left" and pairs.p_value < 0.01
    assert pairs.diff_lo <= 0.16 <= pairs.diff_hi
    assert pairs.corrected_diff > pairs.raw_diff > 0  # the raw difference is attenuated


def test_uninformative_measure_is_not_measurable():
    scores = pd.DataFrame({"g": ["a"] * 6 + ["b"] * 6, "hits_x": [1, 0] * 6})
    scores["frame_x"] = scores["hits_x"]
    validation = _validation("x", 5, 5, 4, 6)  # Se 0.5 + Sp 0.4 <= 1
    table = fl.corrected_prevalence(scores, by="g", validation=validation, n_boot=100)
    assert set(table["note"]) == {"not measurable with this codebook"}
    assert table["corrected_share"].isna().all() and not table["measurable"].any()
    assert table["raw_share"].tolist() == [0.5, 0.5]
    pairs = fl.corrected_pairwise(scores, by="g", validation=validation, n_boot=100)
    assert pairs["p_value"].isna().all()
    other = fl.corrected_prevalence(scores, by="g", validation=_validation("y", 5, 1, 5, 1),
                                    n_boot=100)
    assert set(other["note"]) == {"no validation of this frame"}


def test_validation_with_bad_codes_is_refused():
    bad = _validation("x", 3, 1, 3, 1)
    bad.loc[2, "truth"] = 2
    scores = pd.DataFrame({"g": ["a"] * 6 + ["b"] * 6, "hits_x": [1, 0] * 6})
    scores["frame_x"] = scores["hits_x"]
    with pytest.raises(fl.InputError, match="truth and predicted must be 0 or 1"):
        fl.corrected_prevalence(scores, by="g", validation=bad)


def test_correction_reads_the_used_column_when_the_scores_have_one():
    scores = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "hits_x": [3, 1, 1, 0] * 2,
                           "used_x": [True, False, False, False] * 2})
    scores["frame_x"] = scores["hits_x"]
    table = fl.corrected_prevalence(scores, by="g", validation=_validation("x", 9, 1, 9, 1),
                                    n_boot=50, min_articles=2)
    assert table["raw_share"].tolist() == [0.25, 0.25]
