"""Property tests (Hypothesis) of the readers and the segmenter: whatever the bytes, text or
header, framelens gives articles or raises a framelens error, never another exception, and
reading writes nothing.

``make test`` runs them with a fixed seed and a bounded number of examples (profile
``ci``); ``make fuzz`` runs many more (profile ``fuzz``, or set ``HYPOTHESIS_PROFILE``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framelens as fl
from framelens.corpus import ARTICLE_COLUMNS
from framelens.errors import FramelensError
from framelens.segment import ANALYSED_KINDS

settings.register_profile("ci", max_examples=40, derandomize=True, deadline=None,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SENTENCE = "Officials said the agreement on trade would help both countries grow."

# text that looks like news some of the time and like noise the rest
_words = st.sampled_from(["the", "minister", "said", "trade", "Mr.", "U.S.", "“Yes,”", '"No."',
                          "Photo:", "VCG", "—", "\n\n", "\n", "<p>", "</p>", "...", "é", "中文",
                          "\u200b", "\r\n", "---", "2025-09-05", "05/09/2025", ":", "'", "!"])
news_like = st.lists(_words, max_size=60).map(" ".join)
any_text = st.one_of(news_like, st.text(max_size=300))
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                     st.text(max_size=30), st.dates(), st.datetimes())
header_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)
header_keys = st.one_of(st.sampled_from(["title", "outlet", "date", "url", "id", "headline",
                                         "publication", "link", "topic"]),
                        st.text(min_size=1, max_size=10))


def _read_or_refuse(read, *args, **kwargs) -> pd.DataFrame | None:
    """The articles, or None when framelens refused the input with its own error."""
    try:
        return read(*args, **kwargs)
    except FramelensError:
        return None


def _check_articles(articles: pd.DataFrame | None) -> None:
    if articles is None:
        return
    assert list(articles.columns[:len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert articles["article_id"].is_unique
    assert articles["text"].map(lambda t: isinstance(t, str)).all()


def _in_empty_folder(name: str, data: bytes, read) -> None:
    """Write ``data`` as ``name`` in a new folder, read it, and check nothing else appears
    there (readers write nothing)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        _check_articles(_read_or_refuse(read, path))
        assert sorted(p.name for p in Path(folder).iterdir()) == [name]


@pytest.mark.parametrize("name", ["a.txt", "a.md"])
@given(data=st.binary(max_size=400))
def test_any_bytes_as_an_article_give_an_article_or_a_framelens_error(name, data):
    _in_empty_folder(name, data, fl.read_article)


@given(text=any_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_any_text_in_any_supported_encoding_reads_or_is_refused(text, encoding):
    _in_empty_folder("a.txt", text.encode(encoding, errors="replace"), fl.read_article)


@given(header=st.dictionaries(header_keys, header_values, max_size=5), body=any_text)
def test_any_front_matter_gives_an_article_or_a_framelens_error(header, body):
    front = yaml.safe_dump(header, allow_unicode=True, default_flow_style=False) if header \
        else ""
    _in_empty_folder("a.txt", f"---\n{front}---\n{body}\n".encode(), fl.read_article)


@given(front=st.text(max_size=120), body=any_text)
def test_any_header_text_between_dashes_reads_or_is_refused(front, body):
    _in_empty_folder("a.txt", f"---\n{front}\n---\n{body}\n".encode(), fl.read_article)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv", ".json"])
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_table_give_articles_or_a_framelens_error(suffix, data):
    _in_empty_folder(f"t{suffix}", data, fl.read_articles)
    _in_empty_folder(f"t{suffix}", data, lambda p: pd.concat(fl.iter_articles(p, chunk_size=2)))


_records = st.dictionaries(st.sampled_from(["text", "title", "outlet", "date", "url", "x"]),
                           st.one_of(_scalars.filter(lambda v: not hasattr(v, "year")),
                                     st.lists(st.integers(), max_size=2), news_like),
                           max_size=6)


@given(records=st.lists(st.one_of(_records, st.lists(st.integers(), max_size=2)),
                        min_size=1, max_size=6),
       cut=st.integers(min_value=0, max_value=40))
def test_json_lines_of_any_records_read_the_same_whole_and_in_chunks(records, cut):
    lines = [json.dumps(r, default=str) for r in records]
    data = "\n".join(lines).encode()
    data = data[:len(data) - cut] if cut < len(data) else data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.jsonl"
        path.write_bytes(data)
        whole = _read_or_refuse(fl.read_articles, path)
        chunked = _read_or_refuse(lambda p: pd.concat(fl.iter_articles(p, chunk_size=2)), path)
        _check_articles(whole)
        assert (whole is None) == (chunked is None)  # refused whole, refused in chunks
        if whole is not None:
            assert whole["article_id"].tolist() == chunked["article_id"].tolist()
            assert whole["text"].tolist() == chunked["text"].tolist()


@given(texts=st.lists(any_text, min_size=1, max_size=3), title=st.text(max_size=40))
def test_the_segmenter_keeps_every_word_and_never_fails(texts, title):
    articles = fl.read_articles(pd.DataFrame({"text": texts, "title": title}))
    paragraphs = fl.split_paragraphs(articles)
    sentences = fl.split_sentences(paragraphs)
    tokens = fl.tokenize(sentences)
    assert set(paragraphs["article_id"]) <= set(articles["article_id"])
    for article_id, text in zip(articles["article_id"], articles["text"]):
        kept = paragraphs.loc[paragraphs["article_id"] == article_id, "text"]
        in_sentences = "".join(sentences.loc[sentences["article_id"] == article_id, "text"])
        # every character of the body is in a paragraph, and every character of the
        # analysed paragraphs (not captions or bylines) in a sentence or the headline
        assert Counter("".join(text.split())) <= Counter("".join("".join(kept).split())), text
        analysed = paragraphs.loc[(paragraphs["article_id"] == article_id)
                                  & paragraphs["kind"].isin(ANALYSED_KINDS), "text"]
        assert Counter("".join("".join(analysed).split())) <= Counter(
            "".join(f"{title}{in_sentences}".split())), text
    assert (tokens["article_id"].isin(articles["article_id"])).all()


@given(text=any_text)
def test_reading_a_text_back_from_its_own_article_file_is_stable(text):
    with tempfile.TemporaryDirectory() as folder:
        first = Path(folder) / "a.txt"
        first.write_text(f"---\ntitle: T\n---\n{text}\n", encoding="utf-8")
        article = _read_or_refuse(fl.read_article, first, check_language=False)
        if article is None:
            return
        again = Path(folder) / "b.txt"
        again.write_text(f"---\ntitle: T\n---\n{article.loc[0, 'text']}\n", encoding="utf-8")
        assert fl.read_article(again, check_language=False).loc[0, "text"] == \
            article.loc[0, "text"]


# --- what the property tests found, kept as plain regression tests ------------------------


def test_a_header_date_pandas_cannot_store_is_refused(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"---\ndate: 2263-01-01\n---\n{SENTENCE}\n", encoding="utf-8")
    with pytest.raises(fl.MetadataError, match="outside the years 1678-2261"):
        fl.read_article(path)


def test_a_json_lines_row_that_is_an_empty_list_is_refused_whole_as_in_chunks(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(f'{{"text": "{SENTENCE}"}}\n[]\n')
    for read in (fl.read_articles, lambda p: next(fl.iter_articles(p))):
        with pytest.raises(fl.InputError, match="row 1, line 2: the line is a JSON list"):
            read(path)


@pytest.mark.parametrize(("value", "expected"), [(0, "0"), (7, "7"), (2.5, "2.5")])
def test_a_numeric_title_after_gaps_reads_the_same_whole_and_in_chunks(tmp_path, value,
                                                                       expected):
    # the gap made the whole column float: the title was "0.0" whole and "0" in a chunk
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"text": SENTENCE}, {"text": SENTENCE, "title": None},
        {"text": SENTENCE, "title": value}]))
    whole = fl.read_articles(path)
    chunked = pd.concat(fl.iter_articles(path, chunk_size=2))
    assert whole["title"].tolist() == chunked["title"].tolist() == ["", "", expected]
    assert whole["article_id"].tolist() == chunked["article_id"].tolist()


def test_a_true_false_title_is_refused_whole_as_in_chunks(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"text": SENTENCE}, {"text": SENTENCE}, {"text": SENTENCE, "title": False}]))
    for read in (fl.read_articles, lambda p: pd.concat(fl.iter_articles(p, chunk_size=2))):
        with pytest.raises(fl.InputError, match="column 'title' .* holds true/false"):
            read(path)


@pytest.mark.parametrize(("header", "phrase"), [
    ("ARTICLE_ID: []\n", "id is a list, not a single value"),  # was: unhashable type 'list'
    ("text: a summary\n", "the header key 'text' would replace framelens's own 'text' column"),
])
def test_header_keys_that_would_replace_framelens_columns_are_refused(tmp_path, header,
                                                                      phrase):
    path = tmp_path / "a.txt"
    path.write_text(f"---\n{header}---\n{SENTENCE}\n", encoding="utf-8")
    with pytest.raises(fl.MetadataError, match=re.escape(f"line 2: {phrase}")):
        fl.read_article(path)


def test_a_header_article_id_is_the_articles_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"---\narticle_id: gt-0905\n---\n{SENTENCE}\n", encoding="utf-8")
    assert fl.read_article(path).loc[0, "article_id"] == "gt-0905"


def test_a_day_month_lookalike_that_is_no_date_is_refused_not_crashed(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": SENTENCE, "date": "0/1/00:"}))
    with pytest.raises(fl.MetadataError, match="do not parse"):
        fl.read_articles(path)
