"""The command line: exit codes and one-line messages."""

from __future__ import annotations

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
