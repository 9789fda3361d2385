"""The corpus comparison end to end: compare_corpus on a small known corpus, its bad
inputs, and the outlet comparison notebook under Papermill."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

import framelens as fl


@pytest.fixture(scope="module")
def articles(small_corpus):
    return fl.read_articles(small_corpus, text="body", outlet="source")


@pytest.fixture(scope="module")
def comparison(articles):
    return fl.compare_corpus(articles, by="outlet", min_articles=5, n_boot=200)


def test_small_groups_are_named_and_left_out(comparison):
    sizes = comparison.sizes.set_index("group")
    assert not sizes.loc["Tiny", "included"]
    assert comparison.groups == ["Alpha", "Beta", "Gamma"]
    assert set(comparison.prevalence["group"]) == {"Alpha", "Beta", "Gamma"}


def test_known_frame_differences_are_found_and_summarised(comparison):
    prevalence = comparison.prevalence.set_index(["group", "frame"])["share"]
    assert prevalence[("Alpha", "cooperation")] == 1.0
    assert prevalence[("Beta", "cooperation")] == 0.0
    assert prevalence[("Beta", "security")] == 1.0
    reliable = comparison.frame_pairwise.query("p_adjusted < 0.05")
    pairs = set(zip(reliable["frame"], reliable["group_a"], reliable["group_b"]))
    assert ("security", "Alpha", "Beta") in pairs and ("cooperation", "Alpha", "Beta") in pairs
    assert ("economy", "Alpha", "Beta") not in pairs  # every article mentions the economy
    text = " ".join(comparison.summary)
    assert "Security and risk" in text and "Beta" in text


def test_overview_counts_what_was_read_and_compared(comparison):
    facts = dict(zip(comparison.overview()["what"], comparison.overview()["value"]))
    assert facts["articles read"] == "26"
    assert facts["articles compared"] == "24"
    assert facts["groups left out (too small)"] == "1"
    words = int(comparison.sizes.loc[comparison.sizes["included"], "n_words"].sum())
    assert words >= 1000 and facts["words compared"] == f"{words:,}"


def test_duplicates_are_found_and_do_not_count(small_corpus):
    copy = small_corpus.iloc[[0]].assign(source="Beta", title="Republished")
    arts = fl.read_articles(pd.concat([small_corpus, copy], ignore_index=True), text="body",
                            outlet="source")
    result = fl.compare_corpus(arts, by="outlet", n_boot=50)
    assert len(result.duplicates) == 1
    assert result.duplicates.iloc[0]["kind"] == "exact"
    assert result.sizes.set_index("group").loc["Beta", "n_articles"] == 8
    kept = fl.compare_corpus(arts, by="outlet", n_boot=50, drop_duplicates=False)
    assert kept.sizes.set_index("group").loc["Beta", "n_articles"] == 9


def test_trends_use_the_dates(comparison):
    assert comparison.trends is not None
    assert comparison.trends["n_articles"].sum() == 24


def test_over_time_text_names_the_period_the_trends_use(comparison, articles):
    assert comparison.trend_period == "month"
    assert comparison.over_time_text().startswith("Monthly mean sentiment")
    spread = articles.assign(published=pd.to_datetime(
        [f"{2010 + i % 12}-03-01" for i in range(len(articles))]))
    yearly = fl.compare_corpus(spread, by="outlet", min_articles=5, n_boot=20)
    assert yearly.trend_period == "year"
    assert yearly.over_time_text().startswith("Yearly mean sentiment")
    assert "Years in which" in yearly.over_time_text()
    assert "Month" not in yearly.over_time_text()


def test_month_groups_are_derived_from_the_dates(articles):
    result = fl.compare_corpus(articles, by="month", min_articles=3, n_boot=20)
    assert result.groups == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    # January holds stories 0 and 6 of Alpha, Beta and Gamma, and story 0 of Tiny
    assert result.sizes.set_index("group").loc["2024-01", "n_articles"] == 7


def test_to_csv_writes_every_table(tmp_path, comparison):
    names = {p.name for p in comparison.to_csv(tmp_path)}
    assert {"prevalence.csv", "frame_pairwise.csv", "keyness.csv", "summary.txt"} <= names
    assert "within_event.csv" not in names  # no event column given


@pytest.mark.parametrize(
    ("options", "error", "phrase"),
    [
        ({"by": "country"}, fl.MissingColumnError, "'country'"),
        ({"by": "outlet", "event": "story"}, fl.MissingColumnError, "'story'"),
        ({"by": "outlet", "min_articles": 20}, fl.InputError, "min_articles"),
        ({"by": "outlet", "groups": ["Alpha"]}, fl.InputError, "two groups"),
    ],
)
def test_bad_comparisons_are_refused_clearly(articles, options, error, phrase):
    with pytest.raises(error, match=phrase):
        fl.compare_corpus(articles, n_boot=10, **options)


def test_single_article_groups_are_left_out_with_a_warning(articles, caplog):
    one = articles.assign(outlet=[f"Solo {i}" for i in range(len(articles))])
    one.loc[:9, "outlet"] = "Big A"
    one.loc[10:19, "outlet"] = "Big B"
    with caplog.at_level(logging.WARNING):
        result = fl.compare_corpus(one, by="outlet", n_boot=10)
    assert result.groups == ["Big A", "Big B"]
    assert "Solo" in caplog.text


def test_empty_corpus_is_refused():
    with pytest.raises(fl.EmptyInputError):
        fl.read_articles(pd.DataFrame({"text": []}))


def test_dates_that_do_not_parse_are_refused(small_corpus):
    bad = small_corpus.assign(date=["2024-01-01"] * 25 + ["the other day"])
    with pytest.raises(fl.MetadataError, match="row 25: 'the other day'"):
        fl.read_articles(bad, text="body", outlet="source")


@pytest.mark.notebook
def test_comparison_report_under_papermill(tmp_path, small_corpus):
    corpus = tmp_path / "corpus.jsonl"
    hostile = small_corpus.assign(source=small_corpus["source"].replace(
        "Gamma", "<script>alert(1)</script>"))
    hostile.to_json(corpus, orient="records", lines=True)
    paths = fl.report_comparison(corpus, by="source", columns={"text": "body"},
                                 out_dir=tmp_path / "reports", n_boot=100, top_n=5)
    assert paths.folder.name == "comparison-corpus-by-source-ai"  # the codebook ends it
    html = paths.html.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "What differs, reliably" in html and "Security and risk" in html
    assert html.count("data:image/png;base64,") >= 3
    assert "Tiny" in html  # named as left out
    assert (paths.folder / "prevalence.csv").is_file()
    assert "sha256" in html
    # the over-time text comes from the data (six months of 2024: monthly)
    assert "Monthly mean sentiment per group" in html
    assert "Monthly mean sentiment per group, for articles with a publication date. " \
        "Months in which" not in html  # the old hard-coded sentence


@pytest.mark.notebook
def test_comparison_report_says_which_frame_differences_failed_validation(tmp_path,
                                                                         small_corpus):
    corpus = tmp_path / "corpus.jsonl"
    small_corpus.to_json(corpus, orient="records", lines=True)
    folder = tmp_path / "validation" / "ai" / "sheet"
    folder.mkdir(parents=True)
    codebook = fl.load_codebook("ai")
    pd.DataFrame({"measure": ["frame_security", "frame_cooperation"],
                  "alpha_with_machine": [0.41, 0.85], "f1": [0.5, 0.9],
                  "codebook": f"{codebook.name} {codebook.version}", "unit": "sentence"}
                 ).to_csv(folder / "validation.csv", index=False)
    paths = fl.report_comparison(corpus, by="source", columns={"text": "body"},
                                 out_dir=tmp_path / "reports", n_boot=100, top_n=5,
                                 validation=tmp_path / "validation")
    html = paths.html.read_text(encoding="utf-8")
    summary = html[html.index("What differs, reliably"):html.index("What was read")]
    # security failed validation, cooperation passed: said in the sentences themselves
    assert "Not a reliable finding: the frame failed validation against human coders" \
        in summary and "\u03b1 = 0.41" in summary
    assert summary.index("Cooperation") < summary.index("Security and risk")
    assert "Left out of the distinctive terms" in html
    assert "self-reference of the outlet" in html  # "alpha" in Alpha's own articles
