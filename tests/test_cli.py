"""The command line: exit codes and one-line messages."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import nbformat
import pytest

from framelens.cli import main


def test_codebooks_lists_the_shipped_codebooks(capsys):
    assert main(["codebooks"]) == 0
    out = capsys.readouterr().out
    for name in ("ai", "generic", "policy"):
        assert name in out


def test_report_on_a_binary_file_exits_2_naming_the_file(tmp_path, capsys):
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"%PDF-1.5\n\x00\x01")
    assert main(["report", str(bad), "--out", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "PDF" in err and "Fix:" in err
    assert not (tmp_path / "reports").exists()


def test_report_with_a_malformed_codebook_exits_2_naming_the_line(tmp_path, capsys, seed_path):
    book = tmp_path / "book.yml"
    book.write_text("name: x\nversion: '1'\nframes:\n  a:\n    terms: [ok, [nested]]\n")
    assert main(["report", str(seed_path), "--codebook", str(book),
                 "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert str(book) in err and "line 5" in err


@pytest.mark.notebook
def test_report_whose_notebook_fails_exits_1_and_names_the_cell(tmp_path, capsys, seed_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("article = ''\ncodebook = ''\ntop_n = 1\noutput_dir = ''",
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    code = main(["report", str(seed_path), "--notebook", str(path),
                 "--out", str(tmp_path / "reports")])
    assert code == 1
    err = capsys.readouterr().err
    assert "ZeroDivisionError" in err and "cell [3] (1 / 0)" in err
    assert "left untouched" in err


# --- framelens score --------------------------------------------------------------------


STORY = ("Officials praised the cooperation between the two countries. The joint agreement "
         "benefits both sides, a minister said. ")


def _corpus(tmp_path):
    import json

    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"Story {i}. {STORY}", "outlet": f"O{i % 2}"})
                              for i in range(3)))
    return path


def test_score_writes_a_scores_file_then_says_it_is_up_to_date(tmp_path, capsys):
    from framelens.scores import read_scores

    corpus, out = _corpus(tmp_path), tmp_path / "scores.parquet"
    command = ["score", str(corpus), "--out", str(out), "--chunk-size", "2", "--no-progress"]
    assert main(command) == 0
    printed = capsys.readouterr()
    assert "3 articles scored" in printed.out and f"scores:   {out}" in printed.out
    assert printed.err == ""  # no progress bar asked for
    assert len(read_scores(out).scores) == 3
    assert main(command) == 0
    assert "is up to date" in capsys.readouterr().out


@pytest.mark.parametrize(("options", "phrase"), [
    (["--workers", "2"], "--engine dask"),
    (["--jobs", "0"], "jobs must be"),
    (["--out", "scores.csv"], ".parquet"),
])
def test_score_with_bad_options_exits_2_and_says_why(tmp_path, capsys, options, phrase):
    corpus = _corpus(tmp_path)
    command = ["score", str(corpus), "--out", str(tmp_path / "scores.parquet"), *options]
    assert main(command) == 2
    assert phrase in capsys.readouterr().err


def test_score_of_a_missing_corpus_exits_2_naming_it(tmp_path, capsys):
    missing = tmp_path / "nothing.jsonl"
    assert main(["score", str(missing), "--out", str(tmp_path / "s.parquet")]) == 2
    assert str(missing) in capsys.readouterr().err


@pytest.mark.notebook
def test_compare_takes_a_scores_file_and_refuses_another_codebook(tmp_path, capsys):
    corpus, scores = _corpus(tmp_path), tmp_path / "scores.parquet"
    assert main(["score", str(corpus), "--out", str(scores), "--no-progress"]) == 0
    assert main(["compare", str(scores), "--by", "outlet", "--codebook", "policy",
                 "--out", str(tmp_path / "reports")]) == 2
    assert "computed with codebook ai" in capsys.readouterr().err
    assert main(["compare", str(scores), "--by", "outlet", "--min-articles", "1",
                 "--n-boot", "20", "--out", str(tmp_path / "reports")]) == 0
    assert "comparison-scores-by-outlet" in capsys.readouterr().out


def _actor_corpus(tmp_path):
    import json

    texts = ["Huawei said the Commerce Department had treated it unfairly.",
             "Apple reported record profits. Tim Cook thanked loyal customers.",
             "The weather was mild and pleasant in the valley this week."]
    path = tmp_path / "actors.jsonl"
    path.write_text("\n".join(json.dumps({"text": text, "outlet": f"O{i}"})
                              for i, text in enumerate(texts)))
    return path


def test_score_with_actors_writes_the_actors_file(tmp_path, capsys):
    from framelens.scores import read_scores

    corpus, out = _actor_corpus(tmp_path), tmp_path / "scores.parquet"
    assert main(["score", str(corpus), "--out", str(out), "--actors", "china-tech",
                 "--no-progress"]) == 0
    actors_file = tmp_path / "scores.actors.parquet"
    assert f"actors:   {actors_file}" in capsys.readouterr().out
    scored = read_scores(out)
    assert set(scored.actors["actor"]) == {"huawei", "us_government", "apple"}
    assert scored.metadata["actors"]["name"] == "china-tech"


@pytest.mark.parametrize(("options", "phrase"), [
    (["--actors", "no-such-list"], "no shipped actor list is called 'no-such-list'"),
    (["--actors", "BAD"], "line 5"),
    (["--actors", "china-tech", "--tone-model", "MODEL"], "model.json is missing"),
    (["--tone-model", "MODEL"], "--tone-model is for"),
])
def test_score_with_a_bad_actor_list_or_tone_model_exits_2_and_says_why(tmp_path, capsys,
                                                                        options, phrase):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nversion: '1'\nactors:\n  a:\n    names: [ok, [nested]]\n")
    (tmp_path / "model").mkdir()
    options = [{"BAD": str(bad), "MODEL": str(tmp_path / "model")}.get(o, o) for o in options]
    command = ["score", str(_actor_corpus(tmp_path)), "--out", str(tmp_path / "s.parquet"),
               "--no-progress", *options]
    assert main(command) == 2
    assert phrase in capsys.readouterr().err
    assert not (tmp_path / "s.parquet").exists()


# --- framelens sample --unit mention / validate: tone toward actors ---------------------------


MENTION_STORY = ("Voters praised Joe Biden for his brave leadership. Critics accused Nancy "
                 "Pelosi of lying to voters. Mitch McConnell will visit the factory on Tuesday.")


def _mention_sheet(tmp_path, capsys):
    import pandas as pd

    corpus = tmp_path / "corpus.csv"
    pd.DataFrame({"title": ["One", "Two"], "outlet": ["A", "B"],
                  "text": [MENTION_STORY, MENTION_STORY]}).to_csv(corpus, index=False)
    sheet = tmp_path / "coding" / "tone.csv"
    assert main(["sample", str(corpus), "--unit", "mention", "--actors", "us-politics",
                 "--n", "4", "--stratify", "outlet", "--seed", "2", "--coders", "ana", "ben",
                 "--out", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "4 mentions x 2 coder(s)" in out and "tone.machine.csv" in out
    return sheet


def _code_as_framelens(sheet, *, tone=None):
    """Both coders give framelens's own code (or ``tone`` everywhere)."""
    import pandas as pd

    table = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    machine = pd.read_csv(sheet.with_suffix(".machine.csv"), dtype=str,
                          keep_default_na=False).set_index("unit_id")
    table["tone"] = tone if tone is not None else table["unit_id"].map(machine["machine_tone"])
    table.to_csv(sheet, index=False)


def test_sample_mentions_then_validate_reports_tone_alpha_f1_and_confusion(tmp_path, capsys):
    sheet = _mention_sheet(tmp_path, capsys)
    _code_as_framelens(sheet)
    out_dir = tmp_path / "validation"
    assert main(["validate", str(sheet), "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "tone toward actors (us-politics 1.0.0)" in out
    assert "ordinal" in out and "nominal" in out and "macro_f1" in out
    assert "per class" in out and "confusion" in out
    folder = out_dir / "tone-us-politics-1-0-0" / "tone"
    assert (folder / "validation.html").is_file() and (folder / "per_class.csv").is_file()


def test_validate_a_mention_sheet_without_its_machine_file_exits_2_naming_it(tmp_path, capsys):
    sheet = _mention_sheet(tmp_path, capsys)
    _code_as_framelens(sheet)
    machine = sheet.with_suffix(".machine.csv")
    machine.unlink()
    assert main(["validate", str(sheet), "--out", str(tmp_path / "v")]) == 2
    err = capsys.readouterr().err
    assert str(machine) in err and "--machine" in err


def test_validate_a_tone_written_as_a_word_exits_2_naming_row_and_fix(tmp_path, capsys):
    sheet = _mention_sheet(tmp_path, capsys)
    _code_as_framelens(sheet, tone="positive")
    assert main(["validate", str(sheet), "--out", str(tmp_path / "v")]) == 2
    err = capsys.readouterr().err
    assert str(sheet) in err and "row 2" in err and "1 positive" in err


def test_sample_with_actors_but_not_mention_units_exits_2(tmp_path, capsys):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text(f"title,text\nOne,{MENTION_STORY}\n")
    assert main(["sample", str(corpus), "--actors", "us-politics",
                 "--out", str(tmp_path / "s.csv")]) == 2
    assert "--unit mention" in capsys.readouterr().err


@pytest.mark.parametrize(("option", "phrase"), [
    (["--actors", "no-such-list"], "no-such-list"),
    (["--tone-model", "/no/such/model"], "model.json is missing"),
])
def test_report_with_a_bad_actor_list_or_tone_model_exits_2_before_a_kernel_starts(
        tmp_path, capsys, seed_path, option, phrase):
    out = tmp_path / "reports"
    assert main(["report", str(seed_path), "--out", str(out), *option]) == 2
    err = capsys.readouterr().err
    assert phrase in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_compare_with_a_malformed_actor_list_exits_2_naming_the_line(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(3):
        (corpus / f"a{k}.txt").write_text(
            f"---\ntitle: Story {k}\noutlet: Wire\n---\nHuawei said on Monday that the "
            "company would open a new research centre in the city next year.\n")
    actors = tmp_path / "actors.yml"
    actors.write_text("name: mine\nversion: '1'\nactors:\n  huawei:\n    label: Huawei\n"
                      "    nmes: [Huawei]\n")
    assert main(["compare", str(corpus), "--by", "outlet", "--actors", str(actors),
                 "--out", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert "line 6" in err and "names" in err
# --- nothing lost: outputs never replace what framelens did not make (issue 13) -----------


def _parquet_corpus(tmp_path):
    import pandas as pd

    path = tmp_path / "corpus.parquet"
    pd.DataFrame({"content_original": [f"Story {i}. {STORY}" for i in range(2)],
                  "title": ["a", "b"]}).to_parquet(path)
    return path


@pytest.mark.parametrize("out", ["corpus.parquet", "sub/../corpus.parquet", "link.parquet",
                                 "corpus-hard.parquet"])
def test_score_refuses_an_out_that_is_the_corpus_and_leaves_its_bytes(tmp_path, capsys,
                                                                       monkeypatch, out):
    import os

    corpus = _parquet_corpus(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.parquet").symlink_to(corpus)
    os.link(corpus, tmp_path / "corpus-hard.parquet")
    before = corpus.read_bytes()
    monkeypatch.chdir(tmp_path)
    code = main(["score", "corpus.parquet", "--text", "content_original", "--out", out,
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert "this is the corpus being scored" in err and "Fix: pass --out a new file" in err
    assert len(err.strip().splitlines()) == 1
    assert corpus.read_bytes() == before
    assert not (tmp_path / f"{out}.parts").exists()


def test_score_refuses_to_overwrite_a_sibling_that_is_not_a_scores_file(tmp_path, capsys):
    corpus = _parquet_corpus(tmp_path)
    mine = tmp_path / "scores.terms.parquet"  # the user's own table, in the terms' place
    mine.write_bytes(corpus.read_bytes())
    code = main(["score", str(corpus), "--text", "content_original",
                 "--out", str(tmp_path / "scores.parquet"), "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{mine}: the file exists and is not a framelens scores file" in err
    assert mine.read_bytes() == corpus.read_bytes()
    assert not (tmp_path / "scores.parquet").exists()


def test_score_overwrites_its_own_scores_file_with_force(tmp_path, capsys):
    corpus, out = _parquet_corpus(tmp_path), tmp_path / "scores.parquet"
    command = ["score", str(corpus), "--text", "content_original", "--out", str(out),
               "--no-progress"]
    assert main(command) == 0
    assert main([*command, "--force"]) == 0
    assert "2 articles scored" in capsys.readouterr().out


def _article(path, *, title, outlet="Data", date="2025-09-05"):
    path.write_text(f"---\ntitle: {title}\noutlet: {outlet}\ndate: {date}\n---\n"
                    f"{STORY * 3}\n", encoding="utf-8")
    return path


def _quick_notebook(tmp_path):
    """A notebook with the article report's parameters that writes one CSV: a report in
    a few seconds."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("article = ''\ncodebook = ''\ntop_n = 1\nvalidation = ''\n"
                                  "output_dir = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import pathlib\n(pathlib.Path(output_dir) / 'article.txt')"
                                  ".write_text(article)"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "quick.ipynb"
    nbformat.write(nb, path)
    return path


def test_report_refuses_to_replace_a_folder_framelens_did_not_make(tmp_path, capsys,
                                                                   monkeypatch):
    # outlet "data", no date, no title, the ai codebook: the report's folder is "data-ai"
    article = tmp_path / "a.txt"
    article.write_text(f"---\noutlet: data\n---\n{STORY * 3}\n", encoding="utf-8")
    own = tmp_path / "data-ai"
    own.mkdir()
    (own / "survey.csv").write_text("respondent,answer\n1,yes\n")
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(article), "--out", "."]) == 2
    err = capsys.readouterr().err
    assert "'data-ai' is already there and framelens did not make it" in err
    assert "Fix: pass --out another folder" in err
    assert (own / "survey.csv").read_text() == "respondent,answer\n1,yes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "data-ai"]


@pytest.mark.notebook
def test_two_articles_whose_titles_differ_in_punctuation_keep_two_reports(tmp_path, capsys):
    notebook, out = _quick_notebook(tmp_path), tmp_path / "reports"
    first = _article(tmp_path / "first.txt", title='"AI: good?"')
    second = _article(tmp_path / "second.txt", title='"AI good!"')
    for article in (first, second, first):  # the first again: it replaces its own folder
        assert main(["report", str(article), "--notebook", str(notebook),
                     "--out", str(out)]) == 0
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 2 and folders[0] == "data-2025-09-05-ai-good-ai"
    assert folders[1].startswith("data-2025-09-05-ai-good-ai-")
    # each folder holds its own article (its path as published: relative, not the machine's)
    written = {Path((out / f / "article.txt").read_text()).name for f in folders}
    assert written == {"first.txt", "second.txt"}
    assert not (out / ".staging").exists()  # no empty staging folder is left behind
    capsys.readouterr()


@pytest.mark.notebook
def test_reports_of_one_article_with_two_codebooks_keep_two_folders(tmp_path, capsys):
    # `make report CODEBOOK=policy` used to overwrite the ai report of the same article
    notebook, out = _quick_notebook(tmp_path), tmp_path / "reports"
    article = _article(tmp_path / "a.txt", title='"AI good"')
    for codebook in ("ai", "policy", "ai"):  # ai again: it replaces its own report only
        assert main(["report", str(article), "--codebook", codebook, "--notebook",
                     str(notebook), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["data-2025-09-05-ai-good-ai",
                                                    "data-2025-09-05-ai-good-policy"]
    capsys.readouterr()


# --- bad input ends in one line, exit 2, no traceback (issue 13) ---------------------------


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "Fix:" in err
    return err


@pytest.mark.parametrize(("date", "reason"), [
    ("2025-13-45", "month must be in 1..12"),
    ("2025-02-30", "day is out of range for month"),
    ("2025-09-05T25:00:00", "hour must be in 0..23"),
])
def test_an_impossible_header_date_names_the_file_and_line(tmp_path, capsys, date, reason):
    article = tmp_path / "a.txt"
    article.write_text(f"---\ntitle: T\ndate: {date}\n---\n{STORY}\n", encoding="utf-8")
    assert main(["score", str(article), "--out", str(tmp_path / "s.parquet")]) == 2
    err = _one_line_error(capsys)
    assert f"{article}, line 3: date: '{date}' is not a real date or time ({reason})" in err
    assert "Fix: write a date that exists, as YYYY-MM-DD" in err


@pytest.mark.parametrize(("data", "phrase"), [
    (b"\xef\xbb\xbfhello \xff\xfe world", "UTF-8 byte-order mark but byte 9 is not UTF-8"),
    (b"\xff\xfeh\x00i\x00x", "an odd number of bytes"),
    (b"\xff\xfeh\x00\x00\xd8i\x00", "illegal UTF-16 surrogate"),
])
def test_damaged_bytes_after_a_byte_order_mark_are_refused_in_one_line(tmp_path, capsys,
                                                                       data, phrase):
    article = tmp_path / "a.txt"
    article.write_bytes(data)
    assert main(["report", str(article), "--out", str(tmp_path / "r")]) == 2
    err = _one_line_error(capsys)
    assert str(article) in err and phrase in err


@pytest.mark.parametrize("command", ["report", "score", "compare"])
def test_a_symlink_loop_is_refused_naming_it(tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.txt").symlink_to("two.txt")
    (tmp_path / "two.txt").symlink_to("one.txt")
    extra = {"report": [], "score": ["--out", "s.parquet"], "compare": ["--by", "outlet"]}
    assert main([command, "one.txt", *extra[command]]) == 2
    err = _one_line_error(capsys)
    assert "one.txt: this is a symbolic link that leads back to itself (a loop)" in err


def test_report_out_that_is_a_file_is_refused(tmp_path, capsys, seed_path):
    taken = tmp_path / "reports"
    taken.write_text("my notes\n")
    assert main(["report", str(seed_path), "--out", str(taken)]) == 2
    err = _one_line_error(capsys)
    assert f"{taken}: this is a file, not a folder. Fix: pass --out a folder" in err
    assert taken.read_text() == "my notes\n"


@pytest.mark.parametrize("command", ["score", "compare"])
def test_a_json_lines_line_that_is_a_list_is_named_by_row_and_line(tmp_path, capsys, command):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(f'{{"text": "{STORY}"}}\n\n[1,2,3]\n')
    extra = ["--out", str(tmp_path / "s.parquet")] if command == "score" else ["--by", "x"]
    assert main([command, str(corpus), *extra]) == 2
    err = _one_line_error(capsys)
    assert "c.jsonl, row 1, line 3: the line is a JSON list, not an object" in err


@pytest.mark.parametrize("command", ["score", "compare"])
def test_a_truncated_last_json_line_names_its_line_not_row_0(tmp_path, capsys, command):
    import json

    lines = [json.dumps({"text": f"Story {i}. {STORY}"}) for i in range(60)]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines) + "\n" + lines[0][:30])
    extra = ["--out", str(tmp_path / "s.parquet")] if command == "score" else ["--by", "x"]
    assert main([command, str(corpus), *extra]) == 2
    err = _one_line_error(capsys)
    assert "c.jsonl, row 60, line 61: the line is not valid JSON (Unterminated string" in err
    assert "rows 0-60" not in err


def test_build_with_a_notebook_that_is_not_a_notebook_names_the_line(tmp_path, capsys):
    (tmp_path / "nb.ipynb").write_text('{"cells": [')
    config = tmp_path / "reports.yml"
    config.write_text("reports:\n  - name: alpha\n    notebook: nb.ipynb\n")
    assert main(["build", str(config)]) == 2
    err = _one_line_error(capsys)
    assert f"{config}, line 3:" in err and "nb.ipynb is not a Jupyter notebook" in err
    assert "Fix: point `notebook:` at a .ipynb file" in err


def test_report_with_a_notebook_that_is_not_a_notebook_is_refused(tmp_path, capsys, seed_path):
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text("not json")
    assert main(["report", str(seed_path), "--notebook", str(notebook),
                 "--out", str(tmp_path / "r")]) == 2
    err = _one_line_error(capsys)
    assert f"{notebook}: this is not a Jupyter notebook" in err


@pytest.mark.parametrize("command", ["report", "score", "build"])
def test_a_read_only_output_folder_is_refused_before_any_work(tmp_path, capsys, monkeypatch,
                                                             seed_path, command):
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    # chmod cannot stop root (who runs the CI containers): deny write access by hand
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path) == str(
        locked) and mode & os.W_OK else real_access(path, mode, **kw))
    _quick_notebook(tmp_path)
    config = tmp_path / "reports.yml"
    config.write_text("reports:\n  - name: alpha\n    notebook: quick.ipynb\n")
    commands = {
        "report": ["report", str(seed_path), "--out", str(locked)],
        "score": ["score", str(_corpus(tmp_path)), "--out", str(locked / "s.parquet")],
        "build": ["build", str(config), "--out", str(locked / "reports")],
    }
    assert main(commands[command]) == 2
    err = _one_line_error(capsys)
    assert f"cannot write in {locked}: permission denied or read-only" in err
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("name", ["sheet.xlsx", "sheet.csv"])  # a workbook renamed .csv too
def test_validate_an_excel_workbook_says_how_to_save_it_as_csv(tmp_path, capsys, name):
    import zipfile

    sheet = tmp_path / name
    with zipfile.ZipFile(sheet, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
    assert main(["validate", str(sheet)]) == 2
    err = _one_line_error(capsys)
    assert f"{sheet}: this is a spreadsheet workbook (Excel or LibreOffice), not a CSV" in err
    assert "'CSV UTF-8 (Comma delimited) (*.csv)'" in err


@pytest.mark.parametrize("command", ["report", "score", "compare", "sample"])
def test_every_command_that_reads_articles_takes_encoding(command):
    from framelens.cli import build_parser

    extra = {"score": ["--out", "s.parquet"], "compare": ["--by", "outlet"]}.get(command, [])
    args = build_parser().parse_args([command, "corpus.csv", *extra, "--encoding", "cp1252"])
    assert args.encoding == "cp1252"


def test_score_reads_a_cp1252_table_with_encoding(tmp_path, capsys):
    from framelens.scores import read_scores

    corpus = tmp_path / "c.csv"
    corpus.write_bytes(f"text,title\n{STORY},Café\n".encode("cp1252"))
    out = tmp_path / "s.parquet"
    assert main(["score", str(corpus), "--out", str(out), "--encoding", "cp1252",
                 "--no-progress"]) == 0
    assert read_scores(out).scores.loc[0, "title"] == "Café"
    capsys.readouterr()


def test_fixes_name_the_cli_flag_not_the_python_argument(tmp_path, capsys):
    corpus = tmp_path / "c.csv"
    corpus.write_text(f"body,title\n{STORY},T\n")
    assert main(["score", str(corpus), "--out", str(tmp_path / "s.parquet"),
                 "--text", "txt"]) == 2
    err = _one_line_error(capsys)
    assert "Fix: pass --text with the column's name." in err and "read_articles" not in err


@pytest.mark.notebook
def test_bad_input_found_by_a_notebook_is_reported_as_itself(tmp_path, capsys, seed_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("article = ''\ncodebook = ''\ntop_n = 1\nvalidation = ''\n"
                                  "output_dir = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import datetime as dt\nimport framelens as fl\n"
            "raise fl.MissingColumnError(\"no column 'x' for the article text.\", path='c.csv',"
            " fix=\"pass text='<column name>' to read_articles.\")"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert main(["report", str(seed_path), "--notebook", str(path),
                 "--out", str(tmp_path / "r")]) == 2
    err = _one_line_error(capsys)
    assert err.startswith("framelens: c.csv: no column 'x' for the article text.")
    assert "import datetime" not in err and "cell [" not in err
    assert "Fix: pass --text with the column's name." in err


@pytest.mark.parametrize(("text", "phrase"), [
    ("人工智能应该成为国际公共产品，部长周一表示。两国同意与发展中国家分享这项技术的好处。",
     "the text is not in the Latin alphabet"),
    ("Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir l'intelligence "
     "artificielle dans les entreprises.", "the text does not look like English"),
])
def test_report_refuses_chinese_and_one_french_sentence(tmp_path, capsys, text, phrase):
    article = tmp_path / "a.txt"
    article.write_text(f"---\ntitle: T\n---\n{text}\n", encoding="utf-8")
    assert main(["report", str(article), "--out", str(tmp_path / "r")]) == 2
    err = _one_line_error(capsys)
    assert f"{article}: {phrase}" in err and "check_language" not in err  # no CLI flag
    assert "translate the text first." in err
    assert not (tmp_path / "r").exists()


def test_version_prints_the_installed_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == \
        f"framelens {importlib.metadata.version('framelens')}"


def test_learn_from_a_coded_table_prints_cross_validated_f1(tmp_path, capsys):
    from conftest import coded_sample

    table = coded_sample().drop(columns=["unit_id"])
    table = table.rename(columns={"frame_economic": "economy"})
    path = tmp_path / "coded.csv"
    table.to_csv(path, index=False)
    out = tmp_path / "m.frames.json"
    command = ["learn", str(path), "--codebook", "generic", "--frame-column",
               "economic=economy", "--out", str(out)]
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert f"frames model: {out} (2 of 5 frames of generic" in printed
    assert "economic               F1 1.00" in printed or "economic               F1 0.9" in printed
    assert "morality               dictionary: never coded" in printed
    assert main(command) == 2  # the model exists: not replaced without --force
    assert "--force" in capsys.readouterr().err
    assert main([*command, "--force"]) == 0


def test_learn_refuses_a_table_with_a_bad_code_naming_row_and_column(tmp_path, capsys):
    from conftest import coded_sample

    table = coded_sample().astype({"frame_economic": object})
    table.loc[2, "frame_economic"] = "yes"
    path = tmp_path / "coded.csv"
    table.to_csv(path, index=False)
    assert main(["learn", str(path), "--codebook", "generic"]) == 2
    err = capsys.readouterr().err
    assert "row 4" in err and "frame_economic" in err and "'yes' is not a code" in err
    assert not (tmp_path / "coded.frames.json").exists()
    assert main(["learn", str(path)]) == 2
    assert "--codebook" in capsys.readouterr().err


def test_sample_code_learn_then_sample_where_unsure(tmp_path, capsys):
    # the loop of the issue: sample -> coders fill the sheet -> learn -> sample --uncertain
    import pandas as pd
    from conftest import coded_sample

    table = coded_sample()
    corpus = tmp_path / "corpus.csv"
    table[["unit_id", "title", "text"]].rename(columns={"unit_id": "id"}).to_csv(
        corpus, index=False)
    sheet = tmp_path / "coding" / "round1.csv"
    assert main(["sample", str(corpus), "--n", "30", "--codebook", "generic", "--id", "id",
                 "--coders", "ana", "ben", "--out", str(sheet)]) == 0
    capsys.readouterr()
    filled = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    truth = table.set_index("unit_id")["frame_economic"].astype(str)
    filled["frame_economic"] = filled["article_id"].map(truth)
    for frame in ("responsibility", "human_interest", "conflict", "morality"):
        filled[f"frame_{frame}"] = "0"
    filled["sentiment"] = "0"
    filled.to_csv(sheet, index=False)
    assert main(["learn", str(sheet)]) == 0  # the sheet names its codebook
    printed = capsys.readouterr().out
    model = sheet.with_name("round1.frames.json")
    assert f"frames model: {model} (1 of 5 frames of generic" in printed
    assert "from 30 coded articles" in printed
    assert "responsibility         dictionary: never coded as present in 30 units" in printed
    nxt = tmp_path / "coding" / "round2.csv"
    assert main(["sample", str(corpus), "--n", "8", "--codebook", "generic", "--id", "id",
                 "--uncertain", str(model), "--coded", str(sheet), "--out", str(nxt)]) == 0
    shown = pd.read_csv(nxt, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    units = shown.drop_duplicates("unit_id")
    assert len(units) == 8 and not set(units["article_id"]) & set(filled["article_id"])
    assert "drawn" not in shown.columns  # the coders do not see why a unit was drawn
    machine = pd.read_csv(nxt.with_suffix(".machine.csv"), dtype=str, encoding="utf-8-sig")
    assert sorted(machine["drawn"].value_counts().to_dict().items()) == [
        ("random", 2), ("uncertain", 6)]


def test_learned_frames_of_another_codebook_or_not_a_model_exit_2(tmp_path, capsys,
                                                                    learned_frames):
    corpus = _corpus(tmp_path)
    out = tmp_path / "scores.parquet"
    assert main(["score", str(corpus), "--out", str(out), "--codebook", "ai", "--frames",
                 str(learned_frames), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "learned for codebook generic" in err and "framelens learn" in err
    assert not out.exists()
    notes = tmp_path / "notes.json"
    notes.write_text('{"my": "notes"}')
    assert main(["compare", str(corpus), "--by", "outlet", "--codebook", "generic",
                 "--frames", str(notes), "--out", str(tmp_path / "reports")]) == 2
    assert "not a framelens frames model" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()
