"""Report building: safe names, escaped HTML, provenance, Papermill runs and safe publishing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import framelens as fl
from framelens.reports import (
    HtmlBlock,
    bullets_html,
    export_html,
    format_cell,
    relative_paths,
    run_notebook,
    safe_name,
    table_html,
)

SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Global Times", "2025-09-05", "AI as a public good"),
         "global-times-2025-09-05-ai-as-a-public-good"),
        (("../../etc/passwd",), "etc-passwd"),
        (("/abs/path", "..", "x"), "abs-path-x"),
        (("C:\\Windows\\system32",), "c-windows-system32"),
        ((SCRIPT,), "script-alert-1-script"),
        (("Zürich Zeitung", None, ""), "zurich-zeitung"),
        (("..", "/", "\x00"), "report"),
        (("人民日报",), "report"),
    ],
)
def test_safe_name_cannot_escape_the_output_folder(parts, expected):
    assert safe_name(*parts) == expected


def test_safe_name_is_bounded_in_length():
    assert len(safe_name("word " * 100)) <= 80


def test_table_html_escapes_every_cell():
    out = table_html(pd.DataFrame({"title": [SCRIPT], "n": [1.23456]}))
    assert SCRIPT not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "1.235" in out
    assert isinstance(out, HtmlBlock) and out._repr_html_() == str(out)


def test_table_html_says_how_many_rows_are_hidden():
    out = table_html(pd.DataFrame({"x": range(12)}), max_rows=10)
    assert "2 more rows not shown" in out


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        (True, "in_headline", "yes"),
        (False, "reliable", "no"),
        (pd.NA, "reliable", "not validated"),
        (None, "validation_alpha", ""),
        (1108982, "n_words", "1,108,982"),
        (1234.5678, "mean", "1,234.568"),
        (0.0, "p_value", "< 0.001"),
        (0.00049, "p_adjusted", "< 0.001"),
        (0.0123, "p_adjusted", "0.012"),
        (0.0004, "mean", "0.000"),
        ({}, "columns", "none"),
        ({"text": "body"}, "columns", "text: body"),
        ([], "groups", "none"),
    ],
)
def test_cells_read_as_a_reader_expects(value, column, expected):
    assert format_cell(value, column=column) == expected


def test_table_html_right_aligns_numbers_and_scrolls_inside_its_box():
    table = pd.DataFrame({"group": ["left"], "n_words": [1108982], "p_value": [0.00001],
                          "text": ["A sentence long enough to be read as prose, not a label."]})
    out = table_html(table)
    assert out.count('<div class="fl-scroll">') == 1
    assert '<th class="num">n_words</th>' in out and '<td class="num">1,108,982</td>' in out
    assert '<td class="num">&lt; 0.001</td>' in out
    assert '<td class="prose">A sentence' in out
    assert "<td>left</td>" in out


def test_table_html_shows_booleans_and_missing_validation_in_words():
    frames = pd.DataFrame({"label": ["Security", "Economy", "Jobs"],
                           "in_headline": [True, False, True],
                           "reliable": pd.array([True, False, pd.NA], dtype="boolean")})
    out = table_html(frames, columns={"label": "Frame", "in_headline": "In headline",
                                      "reliable": "Reliable"})
    assert "<td>yes</td>" in out and "<td>no</td>" in out
    assert "<td>not validated</td>" in out
    assert "&lt;NA&gt;" not in out and "True" not in out and "False" not in out


def test_summary_sentences_start_with_a_capital():
    assert "<li>Left used" in bullets_html(["left used the Jobs frame"])


def test_provenance_shows_values_not_python_reprs():
    record = fl.provenance(parameters={"columns": {}, "groups": [], "drop_duplicates": True,
                                       "mapping": {"text": "body"}})
    block = fl.provenance_html(record)
    assert "{}" not in block and "[]" not in block and "True" not in block
    assert "<td>none</td>" in block and "text: body" in block and "<td>yes</td>" in block


def test_exported_report_fits_a_phone_and_describes_every_chart(tmp_path):
    chart = fl.plot_group_means(pd.DataFrame({"group": ["a", "b"], "n": [10, 12],
                                              "mean": [0.10, 0.11], "mean_lo": [0.05, 0.06],
                                              "mean_hi": [0.15, 0.16]}))
    data, metadata = chart._repr_mimebundle_()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("chart", outputs=[
        nbformat.v4.new_output("display_data", data=data, metadata=metadata)]),
        nbformat.v4.new_code_cell("table", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": str(table_html(pd.DataFrame({"x": [1]})))})])]
    executed = tmp_path / "nb.ipynb"
    nbformat.write(nb, executed)
    page = export_html(executed, tmp_path / "nb.html").read_text(encoding="utf-8")
    viewport = re.search(r'<meta[^>]*name="viewport"[^>]*>', page)
    assert viewport and 'content="width=device-width, initial-scale=1' in viewport.group()
    images = re.findall(r"<img[^>]*>", page)
    assert len(images) == 1
    assert all(re.search(r'alt="[^"]{20,}"', img) for img in images)
    assert "No description has been provided" not in page
    assert 'alt="Dot plot of the mean' in page
    assert ".fl-scroll { max-width: 100%; overflow-x: auto; }" in page
    assert "max-width: 100%; height: auto;" in page  # charts scale to the screen


def test_provenance_records_hashes_codebook_versions_and_time(seed_path):
    codebook = fl.load_codebook("ai")
    started = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    record = fl.provenance(parameters={"top_n": 5}, inputs=[seed_path], codebook=codebook,
                           started=started)
    assert record["inputs"][0]["sha256"] == fl.fingerprint(seed_path)
    assert record["codebook"]["version"] == codebook.version
    assert {"framelens", "pandas", "textblob", "python"} <= set(record["packages"])
    block = fl.provenance_html(record)
    assert "top_n" in block and codebook.version in block and "sha256" in block


def test_summary_names_outlet_sentiment_frames_and_sources(seed_analysis):
    out = fl.summary_html(seed_analysis)
    assert "Global Times" in out and "2025-09-05" in out
    assert "positive" in out
    assert "speakers" in out


# --- Papermill runs ------------------------------------------------------------------


def _notebook(tmp_path, body: str, name: str = "nb.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("value = 1\noutput_dir = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


@pytest.mark.notebook
def test_failed_notebook_keeps_previous_report_and_names_the_cell(tmp_path):
    out = tmp_path / "reports"
    good = _notebook(tmp_path, "print('value is', value)", "good.ipynb")
    paths = run_notebook(good, name="demo", parameters={"value": 7}, out_dir=out)
    before = paths.html.read_text()
    assert "value is 7" in before

    bad = _notebook(tmp_path, "raise ValueError('codebook has no frames')", "bad.ipynb")
    with pytest.raises(fl.NotebookExecutionError) as info:
        run_notebook(bad, name="demo", parameters={"value": 8}, out_dir=out)
    error = info.value
    assert error.ename == "ValueError" and "codebook has no frames" in error.evalue
    assert error.cell == 3  # parameters, papermill's injected parameters, then the failing cell
    assert "cell [3] (raise ValueError('codebook has no frames'))" in str(error)
    assert "previous report was left untouched" in str(error)
    assert paths.html.read_text() == before  # the good report is still online
    kept = out / "_failed" / "demo.ipynb"
    assert kept.is_file() and "codebook has no frames" in kept.read_text()
    assert not (out / ".staging").exists()  # no half-written report, no empty folder left


@pytest.mark.notebook
def test_article_report_end_to_end_with_a_script_in_the_headline(tmp_path, capfd):
    article = tmp_path / "hostile.txt"
    article.write_text(
        f"---\ntitle: 'Robots {SCRIPT} win'\noutlet: Test Wire\ndate: 2025-01-02\n---\n"
        '"Cooperation on AI is a public good that benefits everyone," Wang Peng said.\n'
        "Officials warned that security risks and threats grow as economic growth slows.\n"
        "The ministry said trade and investment would rise next year.\n",
        encoding="utf-8",
    )
    validation = _validated_ai_codebook(tmp_path, article)
    paths = fl.report_article(article, codebook="ai", out_dir=tmp_path / "reports", top_n=5,
                              validation=validation)
    assert paths.folder.parent == (tmp_path / "reports").resolve()
    # the codebook ends the name: a report with another codebook gets its own folder
    assert paths.folder.name == "test-wire-2025-01-02-robots-script-alert-1-script-win-ai"
    html = paths.html.read_text(encoding="utf-8")
    # the headline shows as text, never as a script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html
    # self-contained: no code cells, images inlined, nothing fetched from the network
    assert "fl.analyze" not in html
    assert "data:image/png;base64," in html
    assert not re.search(r"<script[^>]+src=", html)
    # provenance at the end
    assert "sha256" in html and fl.fingerprint(article) in html
    assert "ai version" in html
    # the scores as CSV
    names = {p.name for p in paths.files}
    assert {"scores.csv", "sentences.csv", "frames.csv", "quotes.csv"} <= names
    scores = pd.read_csv(paths.folder / "scores.csv")
    assert scores.loc[0, "outlet"] == "Test Wire"
    quotes = pd.read_csv(paths.folder / "quotes.csv")
    assert "Wang Peng" in set(quotes["speaker"])
    # each extreme sentence names the lexicon words behind its score
    assert "Words that drive the score" in html and "good (+0.7)" in html
    # the latest validation of the codebook is shown beside the frames
    assert "Validation alpha" in html and "Reliable" in html
    # phones and screen readers: a viewport, every chart described, tables in a scroll box
    assert re.search(r'<meta[^>]*name="viewport"', html)
    images = re.findall(r"<img[^>]*>", html)
    assert images and all('alt="' in img for img in images)
    assert "No description has been provided" not in html
    assert '<div class="fl-scroll">' in html
    # quiet: the kernel talks over local sockets, every chart has alt text
    printed = capfd.readouterr()
    assert "without encryption" not in printed.err + printed.out
    assert "Alternative text is missing" not in printed.err + printed.out


def _validated_ai_codebook(tmp_path, article):
    """A validation of the ai codebook in which two coders agree with framelens."""
    sample = fl.draw_sample(fl.read_articles(article), n=3, unit="sentence", codebook="ai")
    sheet, _, machine = fl.write_coding_sheet(sample, tmp_path / "coding" / "sheet.csv",
                                              codebook="ai", coders=("ana", "ben"),
                                              unit="sentence")
    codes = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    own = pd.read_csv(machine, dtype=str, keep_default_na=False,
                      encoding="utf-8-sig").set_index("unit_id")
    for column in [c for c in codes.columns if c.startswith("frame_")] + ["sentiment"]:
        codes[column] = codes["unit_id"].map(own[f"machine_{column}"])
    codes.to_csv(sheet, index=False)
    result = fl.validate(fl.read_coding_sheet(sheet), machine)
    result.to_csv(tmp_path / "validation" / "ai-1-1-0" / "sheet")
    return tmp_path / "validation"


@pytest.mark.notebook
def test_a_good_run_removes_the_failed_notebook_it_made_stale(tmp_path):
    out = tmp_path / "reports"
    with pytest.raises(fl.NotebookExecutionError):
        run_notebook(_notebook(tmp_path, "1 / 0", "bad.ipynb"), name="demo",
                     parameters={}, out_dir=out)
    assert (out / "_failed" / "demo.ipynb").is_file()
    run_notebook(_notebook(tmp_path, "print('fine')"), name="demo", parameters={}, out_dir=out)
    assert not (out / "_failed").exists()  # demo builds now: its old failure is gone
    assert sorted(p.name for p in out.iterdir()) == ["demo"]


@pytest.mark.notebook
def test_a_failed_notebook_that_cannot_be_kept_leaves_no_empty_file(tmp_path, monkeypatch):
    import errno
    import shutil

    def disk_full(source, target):
        Path(target).write_bytes(b"")  # the copy had begun
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    out = tmp_path / "reports"
    with pytest.raises(fl.NotebookExecutionError) as info:
        run_notebook(_notebook(tmp_path, "1 / 0"), name="demo", parameters={}, out_dir=out)
    assert info.value.kept is None and "kept at" not in str(info.value)
    assert list((out / "_failed").iterdir()) == []


# --- published reports show paths relative to the project (issue 14, item 9) -------------


def _executed(text: str, html: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell('article = "/home/ana/study/data/a.txt"',
                                     metadata={"tags": ["injected-parameters"]})
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=text),
                    nbformat.v4.new_output("display_data",
                                           data={"text/html": html,
                                                 "image/png": "/home/ana/study/AAAA"})]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    nb.metadata["papermill"] = {"parameters": {"article": "/home/ana/study/data/a.txt"},
                                "output_path": "/home/ana/study/reports/.staging/r-1a2b/r.ipynb"}
    return nb


def test_published_notes_show_paths_relative_to_the_project():
    nb = _executed(
        "WARNING /home/ana/study/data/articles.jsonl#row 112: no text; read "
        "/home/ana/shared/corpus.jsonl and /home/ana/studyx/other.csv in /home/ana/study\n",
        "<td>input</td><td>/home/ana/study/data/a.txt (sha256 12ab)</td>")
    relative_paths(nb, project="/home/ana/study",
                   shown={"/home/ana/study/reports/.staging/r-1a2b": "/home/ana/study/reports/r"})
    cell = nb.cells[0]
    assert cell.source == 'article = "data/a.txt"'
    assert cell.outputs[0].text == (
        "WARNING data/articles.jsonl#row 112: no text; read ../shared/corpus.jsonl and "
        "../studyx/other.csv in .\n")
    assert cell.outputs[1].data["text/html"] == "<td>input</td><td>data/a.txt (sha256 12ab)</td>"
    assert cell.outputs[1].data["image/png"] == "/home/ana/study/AAAA"  # images untouched
    assert nb.metadata["papermill"] == {"parameters": {"article": "data/a.txt"},
                                        "output_path": "reports/r/r.ipynb"}


def test_claim_keeps_a_build_entry_in_its_own_folder(tmp_path):
    from framelens.files import mark_folder
    from framelens.reports import _claim

    folder = tmp_path / "alpha"
    folder.mkdir()
    mark_folder(folder, report="alpha", identity="/p/nb.ipynb\n/p/a.txt\ncodebook: policy")
    # `framelens report`: another input's report moves to a suffixed name
    assert _claim(tmp_path, "alpha", "/p/nb.ipynb\n/p/a.txt\ncodebook: ai").name.startswith(
        "alpha-")
    # a build entry's name is fixed: refused, naming what is there
    with pytest.raises(fl.OutputError, match=r"holds another report \(nb.ipynb, a.txt, "
                                             r"codebook: policy\)"):
        _claim(tmp_path, "alpha", "/p/nb.ipynb\n/p/a.txt\ncodebook: ai", exact=True)
    # ... unless the build checked it is its own earlier output
    assert _claim(tmp_path, "alpha", "x", exact=True, replace_own=True) == folder.resolve()
