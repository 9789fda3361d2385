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
