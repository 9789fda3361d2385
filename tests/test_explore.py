"""Exploring and codebook development: KWIC, highlighted articles, drivers, collocates,
silent sentences, codebook changes, and the explore notebook under Papermill."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import papermill as pm
import pytest

import framelens as fl
from framelens import explore

ROOT = fl.reports.find_notebook("explore").parent


def test_kwic_lines_carry_article_metadata(seed_analysis):
    lines = explore.kwic_lines(seed_analysis.tokens, seed_analysis.articles, "public good")
    assert len(lines) == 4  # the headline and three sentences
    assert set(lines["outlet"]) == {"Global Times"}
    assert (lines["keyword"].str.lower() == "public good").all()


def test_frame_lines_show_each_match_in_context(seed_analysis):
    lines = explore.frame_lines(seed_analysis.matches, seed_analysis.sentences,
                                seed_analysis.articles, frame="security")
    assert lines["keyword"].str.lower().tolist() == ["security", "risks"]
    assert lines.loc[0, "right"].startswith(" and governance of AI")


def test_frame_drivers_count_hits_articles_and_forms():
    matches = pd.DataFrame({
        "article_id": ["a", "a", "b", "b"], "frame": ["economy"] * 4,
        "term": ["econom*", "econom*", "econom*", "trade"],
        "matched": ["economy", "Economic", "economic", "trade"]})
    out = explore.frame_drivers(matches)
    assert out.to_dict("records") == [
        {"frame": "economy", "term": "econom*", "hits": 3, "articles": 2,
         "share_of_frame": 0.75, "forms": "economic; economy"},
        {"frame": "economy", "term": "trade", "hits": 1, "articles": 1,
         "share_of_frame": 0.25, "forms": "trade"},
    ]


def test_group_specific_terms_name_the_only_outlet():
    matches = pd.DataFrame({"article_id": ["a1", "a2", "b1", "a1"],
                            "frame": ["security"] * 4,
                            "term": ["cyber*", "cyber*", "threat*", "threat*"],
                            "matched": ["cyber", "cyber", "threat", "threats"]})
    articles = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"]})
    out = explore.group_specific_terms(matches, articles, by="outlet")
    assert out.to_dict("records") == [
        {"frame": "security", "term": "cyber*", "group": "A", "hits": 2, "articles": 2}]


def test_collocates_find_words_near_matches_not_in_the_codebook():
    text = ("Hackers launched a cyber attack on the grid. " * 3
            + "The weather was mild and the harvest was good. " * 3)
    arts = fl.read_articles(pd.DataFrame({"text": [text], "title": ["t"]}))
    result = fl.analyze(arts, codebook="ai")
    out = explore.collocates(result.tokens, result.matches, frame="security", codebook="ai",
                             window=3, min_count=2)
    assert "hackers" in set(out["term"]) or "launched" in set(out["term"])
    assert "weather" not in set(out["term"])
    assert not set(out["term"]) & {"cyber", "attack"}  # already matched by the codebook


def test_unmatched_sentences_are_those_no_frame_matches(seed_analysis):
    silent = explore.unmatched_sentences(seed_analysis.sentences, seed_analysis.matches)
    matched = set(zip(seed_analysis.matches["article_id"], seed_analysis.matches["sentence_id"]))
    assert not any((a, s) in matched for a, s in zip(silent["article_id"],
                                                     silent["sentence_id"]))
    assert any(t.startswith("US-based electric car maker Tesla") for t in silent["text"])


def test_codebook_diff_shows_gained_and_lost_matches(tmp_path, seed_analysis):
    book = tmp_path / "mine.yml"
    book.write_text(
        "name: mine\nversion: '2'\nframes:\n"
        "  security:\n    label: Security\n    description: risks\n"
        "    terms: [security, risk*, expo]\n")
    frames, changes = explore.codebook_diff(seed_analysis.sentences, old="ai", new=book)
    row = frames.set_index("frame").loc["security"]
    # "expo" occurs 7 times outside the captions (counted in the text by hand), once in
    # the name "World Smart Industry Expo 2025", where a term does not match
    assert (row["hits_old"], row["hits_new"]) == (2, 2 + 6)
    assert set(changes.loc[changes["status"] == "gained", "matched"].str.lower()) == {"expo"}
    assert frames.set_index("frame").loc["cooperation", "hits_new"] == 0


def test_article_html_highlights_matches_and_escapes_text():
    text = ('"Cooperation is <b>vital</b>," Wang Peng said. '
            "Officials warned of security risks.")
    arts = fl.read_articles(pd.DataFrame({"text": [text], "title": ["<script>x()</script>"]}),
                            html="keep")
    r = fl.analyze(arts, codebook="ai")
    out = explore.article_html(r.paragraphs, r.sentences, r.matches, r.quotes,
                               article_id=r.articles["article_id"][0], codebook="ai")
    assert "<script>x()" not in out and "&lt;script&gt;x()&lt;/script&gt;" in out
    assert "&lt;b&gt;vital&lt;/b&gt;" in out
    assert re.search(r'<mark [^>]*title="Cooperation and public good: cooperat\*?[^"]*">'
                     r"Cooperation</mark>", out)
    assert 'title="direct speech: Wang Peng"' in out
    assert out.count("<mark") == out.count("</mark>")
    assert out.count('<span class="fl-quote"') == out.count("</span>")


def _sentences(per_article):
    """A sentences table: article -> number of long body sentences, none matched."""
    rows = [{"article_id": aid, "sentence_id": i, "kind": "body", "n_words": 9,
             "text": f"{aid} sentence {i} says nothing a frame would notice here."}
            for aid, n in per_article.items() for i in range(n)]
    return pd.DataFrame(rows)


NO_MATCHES = pd.DataFrame({"article_id": [], "sentence_id": []})


def test_a_sample_of_silent_sentences_takes_one_per_article_before_a_second():
    sents = _sentences({"a": 5, "b": 1, "c": 1})
    three = explore.unmatched_sentences(sents, NO_MATCHES, sample=3)
    assert sorted(three["article_id"]) == ["a", "b", "c"]
    five = explore.unmatched_sentences(sents, NO_MATCHES, sample=5)
    assert five["article_id"].value_counts().to_dict() == {"a": 3, "b": 1, "c": 1}
    # in reading order, and the same sentences for the same seed
    assert five[["article_id", "sentence_id"]].values.tolist() == sorted(
        five[["article_id", "sentence_id"]].values.tolist())
    again = explore.unmatched_sentences(sents, NO_MATCHES, sample=5)
    assert again.equals(five)
    draws = {tuple(explore.unmatched_sentences(sents, NO_MATCHES, sample=3, seed=s)
                   ["sentence_id"]) for s in range(20)}
    assert len(draws) > 1  # article a's sentence is drawn at random, not always the first
    # a sample as large as the list is the whole list
    assert len(explore.unmatched_sentences(sents, NO_MATCHES, sample=50)) == 7


def test_a_sample_size_must_be_a_positive_whole_number():
    with pytest.raises(fl.OptionError, match="sample"):
        explore.unmatched_sentences(_sentences({"a": 2}), NO_MATCHES, sample=0)


def test_choose_corpus_takes_the_named_one_else_the_first_that_exists(tmp_path):
    (tmp_path / "second").mkdir()
    assert explore.choose_corpus("mine.csv") == explore.Path("mine.csv")
    assert explore.choose_corpus(candidates=["first.jsonl", "second", "third"],
                                 base=tmp_path) == tmp_path / "second"
    (tmp_path / "first.jsonl").write_text("{}\n")
    assert explore.choose_corpus(candidates=["first.jsonl", "second"],
                                 base=tmp_path) == tmp_path / "first.jsonl"
    assert explore.choose_corpus(candidates=["x", "y"], base=tmp_path) == tmp_path / "y"


def test_the_notebooks_sample_corpora_are_where_the_notebook_looks():
    # relative to notebooks/: the shared AllSides corpus beside the project, then the seed
    shared, seed = (ROOT / c for c in explore.SAMPLE_CORPORA)
    assert shared.resolve() == (ROOT.parent.parent / "shared" / "data" / "allsides-china-tech"
                                / "articles.jsonl").resolve()
    assert seed.is_dir() and any(seed.glob("*.txt"))
    assert explore.choose_corpus(base=ROOT) == (shared if shared.exists() else seed)


def test_an_empty_table_says_none_found_instead_of_headings():
    out = explore.explore_table(pd.DataFrame({"term": [], "hits": []}), name="t",
                                none_found="No term <found>.")
    assert out == '<p class="fl-note">No term &lt;found&gt;.</p>'


def test_a_cut_table_says_where_the_rest_is(tmp_path):
    table = pd.DataFrame({"term": [f"=t{i}" for i in range(25)], "hits": range(25)})
    shown = explore.explore_table(table, name="terms", none_found="-", max_rows=10)
    assert shown.count("<tr>") == 11  # heading and ten rows
    assert "15 more rows not shown; set output_dir to write every row as CSV." in shown
    written = explore.explore_table(table, name="terms", none_found="-", max_rows=10,
                                    output_dir=tmp_path / "out")
    assert "15 more rows not shown; all 25 rows are in terms.csv." in written
    csv = pd.read_csv(tmp_path / "out" / "terms.csv")
    assert len(csv) == 25 and csv.loc[0, "term"] == "'=t0"  # a formula shows as text
    whole = explore.explore_table(table.head(3), name="terms", none_found="-")
    assert "more rows" not in whole and "see the CSV" not in whole


def test_a_table_name_must_be_a_plain_file_name(tmp_path):
    with pytest.raises(fl.OptionError, match="plain file name"):
        explore.explore_table(pd.DataFrame({"a": [1]}), name="../x", none_found="-",
                              output_dir=tmp_path)


@pytest.mark.notebook
def test_explore_notebook_runs_top_to_bottom_under_papermill(tmp_path, small_corpus):
    corpus = tmp_path / "corpus.csv"
    small_corpus.to_csv(corpus, index=False)
    book = tmp_path / "alt.yml"
    book.write_text("name: alt\nversion: '1'\nframes:\n  security:\n    label: S\n"
                    "    description: d\n    terms: [threat*, officials]\n")
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(ROOT / "explore.ipynb"), str(out), kernel_name="python3",
                        progress_bar=False, cwd=str(ROOT),
                        parameters={"corpus": str(corpus), "columns": {"text": "body"},
                                    "limit": 10, "query": "export*", "frame": "security",
                                    "by": "source", "alt_codebook": str(book),
                                    "output_dir": str(tmp_path / "tables"), "top_n": 3})
    nb = nbformat.read(out, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                   for o in c.get("outputs", []))
    assert "Exports" in html  # the query export* found in context
    assert "<mark" in html  # the article view highlights frame matches
    assert "gained" in html  # the first top_n changes; officials gained
    # every table in full as CSV, as the notebook says
    written = {p.name for p in (tmp_path / "tables").iterdir()}
    assert written == {"kwic.csv", "frame_lines.csv", "frame_drivers.csv",
                       "group_specific_terms.csv", "collocates.csv", "unmatched_sentences.csv",
                       "codebook_frames.csv", "codebook_changes.csv"}
    changes = pd.read_csv(tmp_path / "tables" / "codebook_changes.csv")
    assert set(changes["status"]) == {"gained", "lost"}  # and ai security terms lost
    kwic = pd.read_csv(tmp_path / "tables" / "kwic.csv")
    assert len(kwic) > 3 and "more rows not shown; all" in html  # shown: top_n rows
    assert "see the CSV files" not in html
