"""Reading articles: headers, folders, tables, and every kind of bad input."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import framelens as fl
from framelens.corpus import fingerprint, html_to_text, read_article, read_articles

BODY = ("The ministry said on Monday that exports rose sharply in the third quarter, "
        "and officials expect the trend to continue through the end of the year as demand "
        "for electric vehicles and solar panels grows in Europe and in Southeast Asia.")


def write(tmp_path, name, content, *, mode="w", encoding="utf-8"):
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding, newline="")
    return path


def test_seed_article_metadata_comes_from_its_header(seed_articles):
    row = seed_articles.iloc[0]
    assert row["title"] == "AI as an international public good"
    assert row["outlet"] == "Global Times"
    assert row["published"] == pd.Timestamp("2025-09-05")
    assert row["text"].startswith("Unitree robots engage in a boxing match")
    assert row["text"].endswith("Liu said.")
    assert "source_file" in seed_articles.columns  # extra header keys are kept


def test_article_id_is_stable_and_depends_on_content(tmp_path):
    a = write(tmp_path, "a.txt", f"---\ntitle: T\n---\n{BODY}")
    b = write(tmp_path, "b.txt", f"---\ntitle: T\n---\n{BODY}")
    c = write(tmp_path, "c.txt", f"---\ntitle: Other\n---\n{BODY}")
    ids = [read_article(p).loc[0, "article_id"] for p in (a, b, c)]
    assert ids[0] == ids[1] != ids[2]
    assert len(ids[0]) == 16


def test_header_id_is_used_when_given(tmp_path):
    path = write(tmp_path, "a.md", f"---\nid: gt-001\ntitle: T\n---\n{BODY}")
    assert read_article(path).loc[0, "article_id"] == "gt-001"


def test_file_without_header_reads_with_empty_metadata(tmp_path):
    row = read_article(write(tmp_path, "a.txt", BODY)).iloc[0]
    assert (row["title"], row["outlet"], row["text"]) == ("", "", BODY)
    assert pd.isna(row["published"])


@pytest.mark.parametrize(
    ("raw", "expected_text"),
    [
        pytest.param(b"\xef\xbb\xbf" + BODY.encode(), BODY, id="utf8-bom"),
        pytest.param(BODY.replace(", and", ",\r\nand").encode(), BODY.replace(", and", ",\nand"),
                     id="windows-line-endings"),
        pytest.param("\ufeff".encode("utf-16-le").join([b""]) + b"\xff\xfe" + BODY.encode(
            "utf-16-le"), BODY, id="utf16-bom"),
        pytest.param(("Caf\u00e9 owners " + BODY).encode("cp1252"), "Caf\u00e9 owners " + BODY,
                     id="cp1252"),
    ],
)
def test_encodings_and_line_endings_are_normalised(tmp_path, raw, expected_text):
    path = write(tmp_path, "a.txt", raw, mode="wb")
    assert read_article(path).loc[0, "text"] == expected_text


@pytest.mark.parametrize(
    ("raw", "error", "phrase"),
    [
        (b"", fl.EmptyInputError, "empty"),
        (b"   \n\n  ", fl.EmptyInputError, "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", fl.BinaryInputError, "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", fl.BinaryInputError, "Word"),
        (b"abc\x00\x01\x02def" * 20, fl.BinaryInputError, "NUL"),
        (b"---\ntitle: T\n---\n   \n", fl.EmptyInputError, "no text"),
        (b"---\ntitle: T\noutlet: X\n" + BODY.encode(), fl.MetadataError, "never closed"),
        (b"---\ntitle: Trade: a primer: part 2\n---\n" + BODY.encode(), fl.MetadataError,
         "line 2"),
        (b"---\n- just\n- a list\n---\n" + BODY.encode(), fl.MetadataError, "key: value"),
        (b"---\ndate: next tuesday-ish\n---\n" + BODY.encode(), fl.MetadataError, "date"),
    ],
)
def test_bad_files_are_refused_with_file_and_fix(tmp_path, raw, error, phrase):
    path = write(tmp_path, "bad.txt", raw, mode="wb")
    with pytest.raises(error) as info:
        read_article(path)
    message = str(info.value)
    assert str(path) in message
    assert phrase in message
    assert "Fix:" in message


def test_non_english_article_is_refused_unless_asked(tmp_path):
    german = ("Die Regierung hat am Montag angekündigt, dass die Exporte im dritten Quartal "
              "deutlich gestiegen sind, und die Beamten erwarten, dass sich der Trend bis zum "
              "Ende des Jahres fortsetzt, weil die Nachfrage nach Elektroautos wächst.")
    path = write(tmp_path, "de.txt", german)
    with pytest.raises(fl.LanguageError, match="check_language=False"):
        read_article(path)
    row = read_article(path, check_language=False).iloc[0]
    assert not row["is_english"]


def test_html_pasted_as_text_is_converted(tmp_path):
    markup = (f"<html><body><h1>Headline</h1><script>alert(1)</script><p>{BODY}</p>"
              "<p>Second &amp; last paragraph.</p></body></html>")
    text = read_article(write(tmp_path, "a.txt", markup)).loc[0, "text"]
    assert text == f"Headline\n{BODY}\nSecond & last paragraph."


def test_html_can_be_refused(tmp_path):
    path = write(tmp_path, "a.txt", f"<p>{BODY}</p><p>More.</p>")
    with pytest.raises(fl.InputError, match="HTML markup"):
        read_article(path, html="refuse")


def test_html_to_text_drops_scripts_and_decodes_entities():
    assert html_to_text("<p>A &lt;b&gt;</p><style>p{}</style><br>B") == "A <b>\nB"


def test_folder_reads_every_article_file_in_order(tmp_path):
    write(tmp_path, "b.md", f"---\ntitle: B\n---\n{BODY}")
    write(tmp_path, "a.txt", f"---\ntitle: A\n---\n{BODY}")
    write(tmp_path, "notes.csv", "x\n1\n")
    arts = read_articles(tmp_path)
    assert arts["title"].tolist() == ["A", "B"]


def test_empty_folder_is_refused(tmp_path):
    with pytest.raises(fl.EmptyInputError, match="no article files"):
        read_articles(tmp_path)


def test_table_with_column_mapping(tmp_path):
    rows = [
        {"ID": "x1", "headline": "One", "source": "Outlet A", "day": "2024-01-02",
         "body": BODY, "topic": "trade"},
        {"ID": "x2", "headline": "Two", "source": "Outlet B", "day": "",
         "body": BODY.upper(), "topic": "tech"},
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    arts = read_articles(path, text="body", title="headline", outlet="source", date="day",
                         id="ID")
    assert arts["article_id"].tolist() == ["x1", "x2"]
    assert arts["outlet"].tolist() == ["Outlet A", "Outlet B"]
    assert arts.loc[0, "published"] == pd.Timestamp("2024-01-02")
    assert pd.isna(arts.loc[1, "published"])
    assert arts["topic"].tolist() == ["trade", "tech"]
    assert arts.loc[1, "origin"] == f"{path}#row 1"
    assert arts["source"].tolist() == ["Outlet A", "Outlet B"]  # own columns stay, text doesn't
    assert "body" not in arts.columns


def test_csv_and_parquet_give_the_same_articles(tmp_path):
    df = pd.DataFrame({"text": [BODY, BODY + " More."], "title": ["a", "b"]})
    df.to_csv(tmp_path / "t.csv", index=False)
    df.to_parquet(tmp_path / "t.parquet")
    a = read_articles(tmp_path / "t.csv")
    b = read_articles(tmp_path / "t.parquet")
    assert a["article_id"].tolist() == b["article_id"].tolist()
    assert a["text"].tolist() == b["text"].tolist()


def test_missing_column_names_the_columns_and_suggests(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"content": [BODY], "title": ["a"]}).to_csv(path, index=False)
    with pytest.raises(fl.MissingColumnError) as info:
        read_articles(path, text="contents")
    message = str(info.value)
    assert "'contents'" in message and "'content'" in message and str(path) in message


def test_unparseable_dates_in_a_table_name_the_rows(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [BODY] * 3, "date": ["2024-01-01", "soon", "32/13/2024"]}).to_csv(
        path, index=False)
    with pytest.raises(fl.MetadataError) as info:
        read_articles(path)
    assert "row 1: 'soon'" in str(info.value) and "row 2" in str(info.value)


def test_duplicate_ids_get_a_suffix_so_every_row_is_kept(tmp_path):
    arts = read_articles(pd.DataFrame({"text": [BODY, BODY, BODY]}))
    ids = arts["article_id"].tolist()
    assert ids[1] == ids[0] + "-2" and ids[2] == ids[0] + "-3"


def test_empty_table_is_refused():
    with pytest.raises(fl.EmptyInputError, match="no rows"):
        read_articles(pd.DataFrame({"text": []}))


def test_empty_rows_are_kept_and_flagged_in_a_warning(caplog):
    arts = read_articles(pd.DataFrame({"text": [BODY, "  ", None]}))
    assert arts["text"].tolist() == [BODY, "", ""]
    assert "2 row(s) have no text" in caplog.text


def test_fingerprint_changes_with_content(tmp_path):
    a = write(tmp_path, "a.txt", BODY)
    before = fingerprint(a)
    a.write_text(BODY + " Changed.")
    assert fingerprint(a) != before
    assert len(before) == 64


def test_common_column_names_are_recognised_without_a_mapping(tmp_path, caplog):
    path = tmp_path / "c.csv"
    pd.DataFrame({"content": [BODY], "headline": ["H"], "publication": ["P"],
                  "publish_date": ["2024-03-04"]}).to_csv(path, index=False)
    with caplog.at_level("INFO"):
        row = read_articles(path).iloc[0]
    assert (row["text"], row["title"], row["outlet"]) == (BODY, "H", "P")
    assert row["published"] == pd.Timestamp("2024-03-04")
    assert "using column 'content' for the article text" in caplog.text


def test_shared_corpus_reads_without_a_mapping(allsides_path):
    arts = read_articles(allsides_path)
    assert arts.loc[0, "text"].startswith("Media playback is unsupported")
    assert arts.loc[0, "outlet"] == "BBC News" == arts.loc[0, "source"]


def test_shared_corpus_reads_with_a_mapping(allsides_path):
    arts = read_articles(allsides_path, text="content_original", outlet="source", id="ID")
    assert len(arts) == 1183
    assert arts["article_id"].is_unique
    assert arts["outlet"].nunique() == 117
    assert {"topic", "bias_text"} <= set(arts.columns)


# --- a chunk at a time ---------------------------------------------------------------


TRICKY = [  # repeated ids (within and across chunks), gaps, keys some records lack
    {"ID": "a", "title": "One", "source": "Outlet A", "date": "2024-01-02", "body": BODY,
     "topic": "trade"},
    {"ID": "b", "title": "Two", "source": "Outlet B", "date": "", "body": "Line one,\n\"quoted\""
     " line two. " + BODY},
    {"ID": "a", "title": "Three", "source": "Outlet A", "date": "2024-02-03", "body": BODY,
     "rank": 3},
    {"ID": "c", "title": "", "source": "Outlet C", "date": "2024-03-04", "body": "",
     "topic": "tech"},
    {"ID": "a", "title": "Five", "source": "Outlet B", "date": "2024-04-05",
     "body": "<p>Trade</p><p>" + BODY + "</p>", "topic": "trade"},
    {"ID": "d", "title": "Six", "source": "Outlet A", "date": "2024-05-06", "body": BODY.upper(),
     "topic": "tech"},
    {"ID": "b", "title": "Seven", "source": "Outlet C", "date": "2024-06-07", "body": BODY},
]
MAPPING = {"text": "body", "outlet": "source", "id": "ID"}


def _tricky_file(tmp_path, suffix):
    path = tmp_path / f"corpus{suffix}"
    table = pd.DataFrame(TRICKY)
    if suffix == ".jsonl":  # blank lines and Windows line ends are no records
        lines = [json.dumps(r) for r in TRICKY]
        path.write_text("\n\n".join(lines[:3]) + "\r\n   \n" + "\n".join(lines[3:]) + "\n\n")
    elif suffix in (".csv", ".tsv"):  # quoted line breaks and blank lines
        sep = "\t" if suffix == ".tsv" else ","
        path.write_text(table[:2].to_csv(index=False, sep=sep) + "\n  \n"
                        + table[2:].to_csv(index=False, sep=sep, header=False))
    elif suffix == ".parquet":
        table.to_parquet(path, row_group_size=3)
    else:
        table.to_json(path, orient="records")
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv", ".parquet", ".json"])
@pytest.mark.parametrize("chunk_size", [1, 2, 100])
def test_chunks_together_are_the_articles_read_whole(tmp_path, suffix, chunk_size):
    path = _tricky_file(tmp_path, suffix)
    whole = read_articles(path, **MAPPING)
    chunks = list(fl.iter_articles(path, chunk_size=chunk_size, **MAPPING))
    assert [len(c) for c in chunks][:-1] == [chunk_size] * (len(chunks) - 1)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert whole["article_id"].tolist()[:5] == ["a", "b", "a-2", "c", "a-3"]


def test_chunks_of_a_folder_keep_every_header_key(tmp_path):
    write(tmp_path, "a.txt", f"---\ntitle: A\nid: x\n---\n{BODY}")
    write(tmp_path, "b.md", f"---\ntitle: B\ntopic: trade\n---\n{BODY}")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "c.txt", f"---\ntitle: C\nid: x\nrank: 2\n---\n{BODY}")
    whole = read_articles(tmp_path)
    chunks = list(fl.iter_articles(tmp_path, chunk_size=2))
    assert [len(c) for c in chunks] == [2, 1]
    assert "topic" not in chunks[1].columns  # each chunk has its own files' keys...
    joined = pd.concat(chunks, ignore_index=True)  # ...and together they are the folder
    pd.testing.assert_frame_equal(joined, whole)
    assert whole["article_id"].tolist() == ["x", whole["article_id"][1], "x-2"]


def test_chunk_rows_are_named_in_warnings_and_errors(tmp_path, caplog):
    path = tmp_path / "c.jsonl"
    rows = [{"text": BODY}, {"text": BODY + " Two."}, {"text": ""}, {"text": BODY + " Four."}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    list(fl.iter_articles(path, chunk_size=2))
    assert "1 row(s) have no text (rows [2])" in caplog.text  # counted from the file's start
    rows[3]["date"] = "soon"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    with pytest.raises(fl.MetadataError, match="row 3: 'soon'"):
        list(fl.iter_articles(path, chunk_size=2))
    path.write_text("\n".join(json.dumps(r) for r in rows[:3]) + "\n{broken\n")
    with pytest.raises(fl.InputError) as info:
        list(fl.iter_articles(path, chunk_size=2))
    # the line at fault, found before any chunk is read (issue 13: not "rows 2-3")
    assert f"{path}, row 3, line 4: the line is not valid JSON" in str(info.value)


def test_a_missing_column_is_refused_before_any_chunk(tmp_path):
    path = _tricky_file(tmp_path, ".jsonl")
    with pytest.raises(fl.MissingColumnError, match="'bodies'"):
        fl.iter_articles(path, chunk_size=2, text="bodies").__next__()


def test_chunked_shared_corpus_is_the_corpus_read_whole(allsides_path):
    whole = read_articles(allsides_path, text="content_original", outlet="source", id="ID")
    chunks = list(fl.iter_articles(allsides_path, chunk_size=500, text="content_original",
                                   outlet="source", id="ID"))
    assert [len(c) for c in chunks] == [500, 500, 183]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)


def test_a_table_in_another_encoding_is_cut_into_the_same_chunks(tmp_path, caplog):
    path = tmp_path / "c.csv"
    table = pd.DataFrame({"title": ["Caf\u00e9", "Na\u00efve", "Three"],
                          "text": ["Caf\u00e9 owners " + BODY, BODY, BODY + " Three."]})
    path.write_bytes(table.to_csv(index=False).encode("cp1252"))
    whole = read_articles(path)
    chunks = list(fl.iter_articles(path, chunk_size=2))
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert whole.loc[0, "title"] == "Caf\u00e9"


@pytest.mark.parametrize(("text", "phrase"), [
    # unspaced scripts: few space-separated "words", so a word count never judged them
    ("人工智能应该成为国际公共产品，部长周一表示。两国同意与发展中国家分享这项技术的好处。",
     "not in the Latin alphabet (only 0% of its letters are)"),
    ("人工知能は国際的な公共財であるべきだと大臣は月曜日に述べた。両国は技術を共有することで合意した。",
     "not in the Latin alphabet"),
    # one French sentence: under the 30 words the English function-word share needs
    ("Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir l'intelligence "
     "artificielle dans les entreprises.", "French, Spanish, German... function words"),
])
def test_short_and_unspaced_non_english_articles_are_refused(tmp_path, text, phrase):
    path = tmp_path / "a.txt"
    path.write_text(f"---\ntitle: T\n---\n{text}\n", encoding="utf-8")
    with pytest.raises(fl.LanguageError, match=re.escape(phrase)):
        read_article(path)
    assert not read_article(path, check_language=False).loc[0, "is_english"]


@pytest.mark.parametrize("text", [
    "Tariffs hit exporters",
    "Lula da Silva met Macron in Rio de Janeiro on Monday to discuss trade.",
    "Xi Jinping (习近平) met the delegation in Beijing on Monday, officials said.",
    "Le Monde and El País reported the summit; the minister said it went well.",
])
def test_short_english_with_foreign_names_is_still_english(tmp_path, text):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert read_article(path).loc[0, "is_english"]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_text_that_is_not_utf8_is_read_as_cp1252_not_cp1257(tmp_path, caplog,
                                                                     encoding):
    # charset-normalizer ranks cp1257 (and cp1250) first for these bytes: "déjà" → "déją"
    text = "The minister said it was déjà vu at the café in Zürich, naïve façade."
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    assert read_article(path).loc[0, "text"] == text
    assert "decoded as cp1252 (detected)" in caplog.text


def test_central_european_text_keeps_its_detected_encoding(tmp_path):
    text = "Zażółć gęślą jaźń, powiedział minister w poniedziałek."
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("cp1250"))
    assert read_article(path, check_language=False).loc[0, "text"] == text


def test_a_csv_table_is_read_in_the_encoding_given(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("text,title\nOfficials met at the café on Monday.,Ça va\n"
                     .encode("cp1252"))
    assert read_articles(path, encoding="cp1252").loc[0, "title"] == "Ça va"
    chunk = next(fl.iter_articles(path, encoding="cp1252"))
    assert chunk.loc[0, "title"] == "Ça va"
    with pytest.raises(fl.OptionError, match="unknown encoding 'nope'"):
        read_articles(path, encoding="nope")


@pytest.mark.parametrize(("columns", "phrase"), [
    ({"text": [1, 2]}, "column 'text' (the article text) holds a number (1) in 2 row(s), "
                       "not text; its type is int64"),
    ({"text": [BODY, BODY], "date": [1.7e9, 1.6e9]},
     "column 'date' (the article date) holds a number (1700000000.0) in 2 row(s)"),
    ({"text": [BODY, BODY], "title": [[1, 2], [3]]},
     "column 'title' (the article title) holds a list"),
])
def test_parquet_columns_of_the_wrong_type_are_refused_naming_column_and_type(
        tmp_path, columns, phrase):
    path = tmp_path / "t.parquet"
    pd.DataFrame(columns).to_parquet(path)
    for read in (read_articles, lambda p: next(fl.iter_articles(p))):
        with pytest.raises(fl.InputError) as info:
            read(path)
        assert f"{path}, row 0: {phrase}" in str(info.value)
        assert "Fix: map the right column with" in str(info.value)


def test_numbers_are_still_fine_as_outlets_and_dates_as_text(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"text": [BODY, BODY], "outlet": [7, 8],
                  "date": ["2025-09-05", None]}).to_parquet(path)
    articles = read_articles(path)
    assert articles["outlet"].tolist() == ["7", "8"]
    assert articles.loc[0, "published"] == pd.Timestamp("2025-09-05")


@pytest.mark.parametrize(("header", "line", "phrase"), [
    ("title: [AI, trade]\n", 2, "title is a list, not a single value (['AI', 'trade'])"),
    ("title: T\noutlet:\n  name: Reuters\n", 3, "outlet is a mapping (indented keys)"),
])
def test_header_titles_that_are_lists_or_outlets_that_are_mappings_are_refused(
        tmp_path, header, line, phrase):
    path = tmp_path / "a.txt"
    path.write_text(f"---\n{header}---\n{BODY}\n", encoding="utf-8")
    with pytest.raises(fl.MetadataError) as info:
        read_article(path)
    assert f"{path}, line {line}: {phrase}" in str(info.value)


def test_an_ambiguous_header_date_is_read_month_first_with_a_warning(tmp_path, caplog):
    path = tmp_path / "a.txt"
    path.write_text(f"---\ndate: 05/09/2025\n---\n{BODY}\n", encoding="utf-8")
    assert read_article(path).loc[0, "published"] == pd.Timestamp("2025-05-09")
    assert ("'05/09/2025' could be day/month or month/day; read month first (2025-05-09). "
            "Pass dayfirst=True (--dayfirst)") in caplog.text
    caplog.clear()
    assert read_article(path, dayfirst=True).loc[0, "published"] == pd.Timestamp("2025-09-05")
    assert read_article(path, dayfirst=False).loc[0, "published"] == pd.Timestamp("2025-05-09")
    assert "could be day/month" not in caplog.text  # the caller chose: no warning


def test_dayfirst_reads_only_day_month_dates_of_a_table_day_first(tmp_path, caplog):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [BODY] * 4, "date": ["05/09/2025", "2025-03-04", "25.12.24",
                                               "07/07/2025"]}).to_csv(path, index=False)
    default = read_articles(path)["published"].dt.strftime("%Y-%m-%d").tolist()
    assert default == ["2025-05-09", "2025-03-04", "2024-12-25", "2025-07-07"]
    assert "1 date(s) such as '05/09/2025' could be day/month or month/day (rows [0])" \
        in caplog.text  # 25.12.24 can only be day first, 07/07 reads the same either way
    for read in (read_articles, lambda p, **kw: next(fl.iter_articles(p, **kw))):
        dates = read(path, dayfirst=True)["published"].dt.strftime("%Y-%m-%d").tolist()
        assert dates == ["2025-09-05", "2025-03-04", "2024-12-25", "2025-07-07"]  # ISO kept


def test_score_takes_dayfirst(tmp_path):
    from framelens.cli import main
    from framelens.scores import read_scores

    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [BODY], "date": ["05/09/2025"]}).to_csv(path, index=False)
    out = tmp_path / "s.parquet"
    assert main(["score", str(path), "--out", str(out), "--dayfirst", "--no-progress"]) == 0
    assert read_scores(out).scores.loc[0, "published"] == pd.Timestamp("2025-09-05")
