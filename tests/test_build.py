"""Scheduled builds: the reports file, incremental plans, safe publishing, lock, manifest.

Most tests replace :func:`framelens.run_notebook` with a fake that publishes a folder at
once, so the bookkeeping is tested without kernels; the tests marked ``notebook`` run real
kernels (six starts in all) for what only a real run can show: publishing, a failing
cell, and a build killed mid-run.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import framelens
from framelens.build import BuildResult, Entry, build, load_build_config, plan
from framelens.errors import InputError, NotebookExecutionError, OptionError, ReportError
from framelens.files import REPORT_MARKER, mark_folder
from framelens.reports import ReportPaths

# the module, even if framelens/__init__.py ever exports a function named `build`
build_module = importlib.import_module("framelens.build")
SCRIPT = "<script>alert(1)</script>"
CODEBOOK = Path(build_module.__file__).parent / "codebooks" / "generic.yml"
PARAMETERS = "data = ''\ncodebook = 'ai'\ntop_n = 5\nfail = ''\ncache = ''\noutput_dir = ''"


def _notebook(path: Path, body: str, parameters: str = PARAMETERS) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def _articles(folder: Path, texts: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")


REPORTS_YML = """\
reports:
  - name: alpha
    title: Alpha report
    notebook: nb.ipynb
    inputs:
      data: data/a.csv
    parameters:
      codebook: cb.yml
  - name: beta
    notebook: nb.ipynb
    inputs:
      data: data/b.csv
    parameters:
      top_n: 5
  - name: gamma
    notebook: nb.ipynb
    inputs:
      data: data/articles
"""


@pytest.fixture
def project(tmp_path):
    """Three entries sharing one notebook: alpha (a.csv, own codebook), beta (b.csv,
    top_n), gamma (a folder of articles)."""
    _notebook(tmp_path / "nb.ipynb", "print(data)")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    (tmp_path / "data" / "b.csv").write_text("x\n2\n")
    _articles(tmp_path / "data" / "articles", ["cooperation", "security and cooperation"])
    shutil.copyfile(CODEBOOK, tmp_path / "cb.yml")
    (tmp_path / "reports.yml").write_text(REPORTS_YML)
    return tmp_path


@pytest.fixture
def fake_run(monkeypatch):
    """run_notebook without a kernel: publishes <out>/<name>/ with an HTML file and, for
    a folder of articles, a scores.csv with a frame column per word in the texts."""
    calls: list[str] = []

    def run(notebook, *, name, parameters, out_dir, title=None, timeout=900, identity=None,
            **options):
        calls.append(name)
        if parameters.get("fail"):
            raise NotebookExecutionError(notebook=notebook, cell=3, ename="ValueError",
                                         evalue=parameters["fail"], source="raise ValueError",
                                         kept=Path(out_dir) / "_failed" / f"{name}.ipynb")
        folder = Path(out_dir).resolve() / name
        folder.mkdir(parents=True, exist_ok=True)
        mark_folder(folder, report=name, identity=identity or name)  # as run_notebook does
        page = folder / f"{name}.html"
        page.write_text(f"<h1>{html.escape(title or name)}</h1>"
                        f"{html.escape(json.dumps(parameters))} run {len(calls)}")
        data = Path(parameters.get("data", ""))
        if data.is_dir():
            texts = [f.read_text() for f in sorted(data.glob("*.txt"))]
            pd.DataFrame({f"frame_{w}": [float(w in t) for t in texts]
                          for w in ("cooperation", "security")}).to_csv(
                folder / "scores.csv", index=False)
        return ReportPaths(folder=folder, html=page, notebook=folder / f"{name}.ipynb",
                           files=tuple(sorted(p for p in folder.iterdir()
                                              if p.name != REPORT_MARKER)))

    monkeypatch.setattr(build_module, "run_notebook", run)
    return calls


def _statuses(result: BuildResult) -> dict[str, str]:
    return dict(zip(result.outcomes["entry"], result.outcomes["status"]))


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


# --- the reports file -----------------------------------------------------------------


def test_paths_are_resolved_against_the_reports_file_and_passed_absolute(tmp_path):
    _notebook(tmp_path / "nb.ipynb", "pass")
    sub = tmp_path / "project"
    sub.mkdir()
    (sub / "cb.yml").write_text("")
    (sub / "reports.yml").write_text(
        "reports:\n"
        "  - name: demo\n"
        "    notebook: ../nb.ipynb\n"
        "    inputs: {data: data/x.csv}\n"
        "    parameters: {codebook: cb.yml, top_n: 3}\n"
        "    paths: {cache: reports/.cache}\n"
        "  - name: listed\n"
        "    notebook: ../nb.ipynb\n"
        "    inputs: [data/y.csv, data/folder]\n")
    demo, listed = load_build_config(sub / "reports.yml")
    assert demo.notebook == tmp_path / "nb.ipynb"
    assert demo.parameters == {"codebook": str(sub / "cb.yml"), "top_n": 3,
                               "data": str(sub / "data" / "x.csv"),
                               "cache": str(sub / "reports" / ".cache")}
    assert demo.inputs == (sub / "data" / "x.csv",)
    assert demo.untracked == ("cache",)  # moving the cache rebuilds nothing
    assert demo.codebook == str(sub / "cb.yml")
    assert demo.source == "reports.yml, line 2"
    # listed inputs are tracked, not passed; the notebook's default codebook is tracked
    assert listed.inputs == (sub / "data" / "y.csv", sub / "data" / "folder")
    assert listed.parameters == {"codebook": "ai"}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("reports:\n  - name: a\n    notebook: nb.ipynb\n   title: x\n", "not valid YAML", 4),
        ("reports:\n  - name: a\n    notebok: nb.ipynb\n", "unknown key 'notebok'", 3),
        ("reports:\n  - name: a\n    notebook: missing.ipynb\n", "notebook not found", 3),
        ("reports:\n  - name: Seed Article\n    notebook: nb.ipynb\n", "use 'seed-article'", 2),
        ("reports:\n  - name: a\n    notebook: nb.ipynb\n  - name: a\n    notebook: nb.ipynb\n",
         "the name 'a' is used twice", 4),
        ("reports:\n  - name: a\n    notebook: nb.ipynb\n    parameters:\n      topn: 3\n",
         "takes no parameter 'topn'", 5),
        ("reports:\n  - name: a\n    notebook: nb.ipynb\n    paths: {output_dir: x}\n",
         "`output_dir` is set by the build", 4),
        ("reports:\n  - name: a\n    notebook: nb.ipynb\n    name: b\n", "appears twice", 4),
        ("reports:\n  - name: a\n", "no `notebook:`", 2),
        ("entries: []\n", "`reports:`", 1),
    ],
)
def test_a_malformed_reports_file_is_refused_with_file_and_line(tmp_path, text, message, line):
    _notebook(tmp_path / "nb.ipynb", "pass")
    (tmp_path / "reports.yml").write_text(text)
    with pytest.raises(InputError, match=message) as info:
        load_build_config(tmp_path / "reports.yml")
    assert info.value.line == line
    assert str(tmp_path / "reports.yml") in str(info.value)


def test_the_shipped_reports_file_loads():
    root = Path(__file__).resolve().parents[1]
    entries = load_build_config(root / "reports.yml")
    assert [e.notebook.name for e in entries] == ["article_report.ipynb",
                                                  "outlet_comparison.ipynb"]
    assert entries[1].parameters["by"] == "bias_text"
    assert all(Path(p).is_absolute() for e in entries for p in e.inputs)


# --- planning and incremental builds (no kernel) ---------------------------------------


def test_a_second_build_does_no_work(project, fake_run):
    out = project / "reports"
    entries = load_build_config(project / "reports.yml")
    first = build(entries, out_dir=out)
    assert _statuses(first) == {"alpha": "built", "beta": "built", "gamma": "built"}
    assert first.exit_code == 0 and len(fake_run) == 3

    planned = plan(entries, out_dir=out)
    assert list(planned["action"]) == ["skip"] * 3
    assert set(planned["reasons"]) == {"nothing changed since the last build"}
    second = build(load_build_config(project / "reports.yml"), out_dir=out)
    assert len(fake_run) == 3  # nothing ran
    assert {e["status"] for e in _manifest(out)["entries"].values()} == {"up-to-date"}
    assert second.exit_code == 0
    # each line says it once: "up-to-date  alpha  nothing changed since the last build"
    assert all(line.startswith("up-to-date") and "up to date" not in line
               for line in second.lines())


def _edit_codebook(project: Path) -> None:
    path = project / "cb.yml"
    path.write_text(path.read_text().replace("      - liable\n",
                                             "      - liable\n      - answerable\n", 1))


@pytest.mark.parametrize(
    ("change", "rebuilt", "dependency"),
    [
        (lambda p: (p / "data" / "a.csv").write_text("x\n1\n3\n"), ["alpha"], "inputs"),
        (lambda p: _articles(p / "data" / "articles", ["a", "b", "c"]), ["gamma"], "inputs"),
        (lambda p: (p / "reports.yml").write_text(REPORTS_YML.replace("top_n: 5", "top_n: 7")),
         ["beta"], "parameters"),
        (lambda p: (p / "reports.yml").write_text(
            REPORTS_YML.replace("Alpha report", "Alpha, renamed")), ["alpha"], "parameters"),
        (lambda p: (p / "reports.yml").write_text(
            REPORTS_YML.replace("top_n: 5", "top_n: 5\n    paths: {cache: elsewhere}")), [], ""),
        (_edit_codebook, ["alpha"], "codebook"),
        (lambda p: _notebook(p / "nb.ipynb", "print(data, top_n)"), ["alpha", "beta", "gamma"],
         "notebook"),
        # same content: a touched file, a copied folder, a notebook saved with outputs
        (lambda p: os.utime(p / "data" / "a.csv", ns=(1, 1)), [], ""),
        (lambda p: (p / "cb.yml").write_text("# a comment\n" + (p / "cb.yml").read_text()),
         [], ""),
        (lambda p: _save_with_outputs(p / "nb.ipynb"), [], ""),
    ],
    ids=["input-file", "input-folder", "parameter", "title", "untracked-path", "codebook",
         "notebook", "touch",
         "codebook-comment", "notebook-outputs"],
)
def test_a_change_rebuilds_exactly_the_entries_that_depend_on_it(
        project, fake_run, change, rebuilt, dependency):
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    change(project)
    entries = load_build_config(project / "reports.yml")
    planned = plan(entries, out_dir=out).set_index("entry")
    assert list(planned.index[planned["action"] == "build"]) == rebuilt
    for name in rebuilt:
        assert planned.loc[name, "changed"] == dependency
    fake_run.clear()
    result = build(entries, out_dir=out)
    assert fake_run == rebuilt
    assert sorted(n for n, s in _statuses(result).items() if s == "built") == rebuilt


def test_a_new_framelens_rebuilds_every_entry(project, fake_run, monkeypatch):
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    monkeypatch.setattr(build_module, "_framelens_hash",
                        lambda cache=None: "9.9.9-0123456789abcdef")
    planned = plan(load_build_config(project / "reports.yml"), out_dir=out)
    assert list(planned["action"]) == ["build"] * 3
    assert set(planned["changed"]) == {"framelens"}
    assert planned["reasons"].str.startswith(
        f"framelens changed (version {framelens.__version__} → 9.9.9)").all()


def test_a_new_textblob_rebuilds_every_entry(project, fake_run, monkeypatch):
    # the lexicon versions decide the scores of every report, like framelens's own code
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    versions = build_module.scoring_versions()
    monkeypatch.setattr(build_module, "scoring_versions",
                        lambda: {**versions, "textblob": "999.0"})
    planned = plan(load_build_config(project / "reports.yml"), out_dir=out)
    assert list(planned["action"]) == ["build"] * 3
    assert set(planned["changed"]) == {"framelens"}
    assert planned["reasons"].str.contains("the version of textblob, vaderSentiment or "
                                           "nupunkt").all()


def _save_with_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="saved\n")]
    nb.cells[1].execution_count = 7
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, path)


def test_dry_run_names_the_changed_dependency_and_writes_nothing(project, fake_run):
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    _edit_codebook(project)
    (project / "reports.yml").write_text(REPORTS_YML.replace("top_n: 5", "top_n: 9"))
    before = (out / "manifest.json").read_bytes()
    fake_run.clear()
    result = build(load_build_config(project / "reports.yml"), out_dir=out, dry_run=True)
    assert fake_run == [] and (out / "manifest.json").read_bytes() == before
    assert result.dry_run and result.manifest is None
    assert _statuses(result) == {"alpha": "would build", "beta": "would build",
                                 "gamma": "up-to-date"}
    lines = "\n".join(result.lines())
    assert "codebook changed (cb.yml)" in lines
    assert "parameters changed: top_n 5 → 9" in lines


def test_new_articles_and_moved_frame_shares_are_recorded_and_shown(project, fake_run):
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out, only="gamma")
    _articles(project / "data" / "articles",
              ["cooperation", "security and cooperation", "security", "security threats"])
    result = build(load_build_config(project / "reports.yml"), out_dir=out, only="gamma")
    assert result.outcomes.loc[0, "reasons"] == "input changed: articles: 2 new articles (2 → 4)"
    assert _manifest(out)["entries"]["gamma"]["last_success"]["changes"] == [
        "input changed: articles: 2 new articles (2 → 4)",
        "Cooperation and public good: 100% → 50% of articles",  # labels from the codebook
        "Security and risk: 50% → 75% of articles",
    ]
    index = (out / "index.html").read_text()
    assert "2 new articles (2 → 4)" in index and "Cooperation and public good: 100% → 50%" in index


def test_a_missing_input_skips_its_entry_and_the_others_build(project, fake_run):
    (project / "data" / "b.csv").unlink()
    out = project / "reports"
    result = build(load_build_config(project / "reports.yml"), out_dir=out)
    assert _statuses(result) == {"alpha": "built", "beta": "skipped", "gamma": "built"}
    assert result.exit_code == 0
    reasons = result.outcomes.set_index("entry").loc["beta", "reasons"]
    # said relative to the project: the index is published, the machine's paths are not
    assert reasons == "input not found: data/b.csv"
    assert "skipped" in (out / "index.html").read_text()


def test_a_failure_is_recorded_with_its_cell_and_the_others_still_build(project, fake_run):
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    good = (out / "alpha" / "alpha.html").read_text()
    (project / "reports.yml").write_text(
        REPORTS_YML.replace("codebook: cb.yml", f"codebook: cb.yml\n      fail: '{SCRIPT}'")
        .replace("top_n: 5", "top_n: 6"))
    result = build(load_build_config(project / "reports.yml"), out_dir=out)
    assert _statuses(result) == {"alpha": "failed", "beta": "built", "gamma": "up-to-date"}
    assert result.exit_code == 1
    assert (out / "alpha" / "alpha.html").read_text() == good
    record = _manifest(out)["entries"]["alpha"]
    assert record["error"]["cell"] == 3 and record["error"]["ename"] == "ValueError"
    assert record["last_success"]["html"] == "alpha/alpha.html"  # still online
    assert "alpha" in "\n".join(result.lines()) and "cell [3]" in "\n".join(result.lines())
    # a failed entry is tried again next time, even though nothing changed
    assert plan(load_build_config(project / "reports.yml"), out_dir=out).set_index(
        "entry").loc["alpha", "reasons"].startswith("the previous build failed")


def test_the_index_escapes_titles_parameters_and_errors(project, fake_run):
    (project / "reports.yml").write_text(
        REPORTS_YML.replace("Alpha report", f"'{SCRIPT} report'")
        .replace("top_n: 5", f"top_n: 5\n      fail: '{SCRIPT}'"))
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    index = (out / "index.html").read_text()
    assert SCRIPT not in index and "<script" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt; report" in index  # the title
    assert "ValueError: &lt;script&gt;" in index  # the error
    assert "http" not in index  # self-contained: nothing fetched


def test_force_and_only(project, fake_run):
    out = project / "reports"
    entries = load_build_config(project / "reports.yml")
    build(entries, out_dir=out, only=["beta"])
    assert fake_run == ["beta"] and set(_manifest(out)["entries"]) == {"beta"}
    fake_run.clear()
    build(entries, out_dir=out)
    assert fake_run == ["alpha", "gamma"]
    fake_run.clear()
    result = build(entries, out_dir=out, only="alpha", force=True)
    assert fake_run == ["alpha"] and result.outcomes.loc[0, "reasons"] == "forced (--force)"
    assert list(_manifest(out)["entries"]) == ["alpha", "beta", "gamma"]
    with pytest.raises(OptionError, match="no entry named 'delta'"):
        build(entries, out_dir=out, only="delta")


def test_parallel_jobs_give_the_same_results(project, fake_run):
    entries = load_build_config(project / "reports.yml")
    one = build(entries, out_dir=project / "one", jobs=1).outcomes
    three = build(entries, out_dir=project / "three", jobs=3).outcomes
    columns = ["entry", "status", "changed", "reasons"]
    pd.testing.assert_frame_equal(one[columns], three[columns])


def test_a_codebook_that_does_not_load_fails_its_entry_before_a_kernel(project, fake_run):
    (project / "cb.yml").write_text("name: broken\nframes: [\n")
    result = build(load_build_config(project / "reports.yml"), out_dir=project / "reports")
    assert _statuses(result) == {"alpha": "failed", "beta": "built", "gamma": "built"}
    assert "alpha" not in fake_run
    assert "cb.yml" in result.outcomes.loc[0, "error"]


def test_entries_made_in_python_are_checked(tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb", "pass")
    with pytest.raises(OptionError, match="used twice"):
        plan([Entry("a", notebook), Entry("a", notebook)], out_dir=tmp_path)
    with pytest.raises(OptionError, match="not a safe folder name"):
        plan([Entry("../a", notebook)], out_dir=tmp_path)


# --- locking and recovery (no kernel) ---------------------------------------------------


def test_a_second_build_while_one_runs_exits_with_a_clear_message_or_waits(
        project, fake_run, monkeypatch):
    out = project / "reports"
    entries = load_build_config(project / "reports.yml")
    release = threading.Event()
    running = threading.Event()
    events: list[str] = []
    fake = build_module.run_notebook

    def slow(notebook, **kwargs):
        events.append(f"start {kwargs['name']}")
        running.set()
        release.wait(30)
        paths = fake(notebook, **kwargs)
        events.append(f"end {kwargs['name']}")
        return paths

    monkeypatch.setattr(build_module, "run_notebook", slow)
    first = threading.Thread(target=build, args=(entries,), kwargs={"out_dir": out,
                                                                    "only": "alpha"})
    first.start()
    assert running.wait(30)
    with pytest.raises(ReportError, match="another framelens build is writing") as info:
        build(entries, out_dir=out, only="beta")
    assert f"pid {os.getpid()}" in str(info.value) and "--wait" in str(info.value)

    waited: list[BuildResult] = []
    second = threading.Thread(target=lambda: waited.append(
        build(entries, out_dir=out, only="beta", wait=30)))
    second.start()
    time.sleep(0.5)
    assert events == ["start alpha"]  # the second build waits for the lock
    release.set()
    first.join(30)
    second.join(30)
    assert events == ["start alpha", "end alpha", "start beta", "end beta"]
    assert _statuses(waited[0]) == {"beta": "built"}
    assert {n: r["status"] for n, r in _manifest(out)["entries"].items()} == {
        "alpha": "built", "beta": "built"}


def test_leftovers_of_an_interrupted_publish_are_repaired(project, fake_run):
    out = project / "reports"
    entries = load_build_config(project / "reports.yml")
    build(entries, out_dir=out)
    # killed between the two renames of a publish, and while staging
    (out / "alpha").rename(out / ".old-alpha-0123abcd")
    (out / ".staging" / "beta-89abcdef").mkdir(parents=True)
    (out / ".staging" / "other-89abcdef").mkdir()  # not ours: left alone
    fake_run.clear()
    result = build(entries, out_dir=out)
    assert fake_run == [] and set(_statuses(result).values()) == {"up-to-date"}
    assert (out / "alpha" / "alpha.html").is_file()
    assert not list(out.glob(".old-*"))
    assert [p.name for p in (out / ".staging").iterdir()] == ["other-89abcdef"]


# --- real kernels -----------------------------------------------------------------------

TABLE_NOTEBOOK = """\
from pathlib import Path
import pandas as pd
if fail:
    raise ValueError(fail)
table = pd.read_csv(data)
print("rows:", len(table), "read from", data)
if output_dir:
    table.assign(double=table["x"] * 2, origin=[f"{data}#row {i}" for i in table.index]).to_csv(
        Path(output_dir) / "scores.csv", index=False)
"""


@pytest.mark.notebook
def test_real_build_publishes_reports_and_a_second_build_is_a_no_op(project):
    _notebook(project / "nb.ipynb", TABLE_NOTEBOOK)
    (project / "reports.yml").write_text(REPORTS_YML.split("  - name: gamma")[0])
    out = project / "reports"
    result = build(load_build_config(project / "reports.yml"), out_dir=out, jobs=2)
    assert _statuses(result) == {"alpha": "built", "beta": "built"}
    page = (out / "alpha" / "alpha.html").read_text()
    assert "rows: 1" in page and "<title>Alpha report</title>" in page
    # published: the paths of the machine that built it read relative to the project
    assert "read from data/a.csv" in page
    for published in ("alpha/alpha.html", "alpha/alpha.ipynb", "manifest.json", "index.html",
                      "beta/scores.csv", f"alpha/{REPORT_MARKER}"):
        assert str(project) not in (out / published).read_text(), published
    assert pd.read_csv(out / "beta" / "scores.csv")["origin"].tolist() == ["data/b.csv#row 0"]
    assert pd.read_csv(out / "beta" / "scores.csv")["double"].tolist() == [4]
    record = _manifest(out)["entries"]["alpha"]
    assert record["inputs"][0] == {"path": "data/a.csv", "n_articles": 1,
                                   "sha256": framelens.fingerprint(project / "data" / "a.csv")}
    assert set(record["dependencies"]) == {"notebook", "parameters", "inputs", "codebook",
                                           "validation", "models", "framelens"}
    assert "alpha/scores.csv" in record["outputs"] and record["versions"]["papermill"]
    assert not (out / ".staging").exists()

    entries = load_build_config(project / "reports.yml")
    assert set(plan(entries, out_dir=out)["action"]) == {"skip"}
    again = build(entries, out_dir=out)
    assert set(_statuses(again).values()) == {"up-to-date"}
    assert (out / "alpha" / "alpha.html").read_text() == page


@pytest.mark.notebook
def test_a_raising_notebook_keeps_the_previous_report_and_the_others_build(
        project, fake_run, monkeypatch):
    _notebook(project / "nb.ipynb", TABLE_NOTEBOOK)
    (project / "reports.yml").write_text(REPORTS_YML.split("  - name: gamma")[0])
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)  # the previous reports
    previous = (out / "alpha" / "alpha.html").read_text()
    monkeypatch.undo()  # real kernels from here

    (project / "reports.yml").write_text(
        REPORTS_YML.split("  - name: gamma")[0]
        .replace("codebook: cb.yml", "codebook: cb.yml\n      fail: no frames in this corpus"))
    (project / "data" / "b.csv").write_text("x\n5\n")
    result = build(load_build_config(project / "reports.yml"), out_dir=out, jobs=2)
    assert _statuses(result) == {"alpha": "failed", "beta": "built"}
    assert result.exit_code == 1
    assert (out / "alpha" / "alpha.html").read_text() == previous
    error = _manifest(out)["entries"]["alpha"]["error"]
    assert error["cell"] == 3 and error["source"] == "from pathlib import Path"
    assert error["ename"] == "ValueError" and error["evalue"] == "no frames in this corpus"
    assert error["kept"] == "_failed/alpha.ipynb" and (out / "_failed" / "alpha.ipynb").is_file()
    assert "rows: 1" in (out / "beta" / "beta.html").read_text()
    index = (out / "index.html").read_text()
    assert "no frames in this corpus" in index and 'href="_failed/alpha.ipynb"' in index


SLEEPING_NOTEBOOK = """\
import os, time
from pathlib import Path
Path(marker).write_text(str(os.getpid()))
if Path(gate).exists():
    time.sleep(120)
print("read", Path(data).read_text().count("\\n"), "lines")
"""


@pytest.mark.notebook
def test_a_killed_build_leaves_the_previous_report_and_the_next_build_repairs(
        project, fake_run, monkeypatch):
    _notebook(project / "nb.ipynb", SLEEPING_NOTEBOOK,
              parameters="data = ''\nmarker = ''\ngate = ''\noutput_dir = ''")
    (project / "reports.yml").write_text(
        "reports:\n  - name: slow\n    notebook: nb.ipynb\n    inputs: {data: data/a.csv}\n"
        "    paths: {marker: marker.txt, gate: gate.txt}\n")
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    previous = (out / "slow" / "slow.html").read_text()
    manifest_before = (out / "manifest.json").read_text()
    monkeypatch.undo()

    (project / "data" / "a.csv").write_text("x\n1\n2\n")
    (project / "gate.txt").write_text("sleep")
    code = ("from framelens.build import build, load_build_config; "
            f"build(load_build_config({str(project / 'reports.yml')!r}), "
            f"out_dir={str(out)!r})")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = project / "marker.txt"
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert marker.exists(), "the kernel never started"
        time.sleep(0.5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, ValueError, FileNotFoundError):
            os.kill(int(marker.read_text()), signal.SIGKILL)  # the orphaned kernel

    # killed mid-run: the half-done run sits in staging, nothing of it is online
    assert any((out / ".staging").iterdir())
    assert (out / "slow" / "slow.html").read_text() == previous
    assert sorted(p.name for p in (out / "slow").iterdir()) == [REPORT_MARKER, "slow.html"]
    assert (out / "manifest.json").read_text() == manifest_before

    (project / "gate.txt").unlink()
    result = build(load_build_config(project / "reports.yml"), out_dir=out)  # wait=0
    assert _statuses(result) == {"slow": "built"}
    assert "read 3 lines" in (out / "slow" / "slow.html").read_text()
    assert not (out / ".staging").exists()


# --- validation results are a dependency, like the codebook ----------------------------


def _validation_csv(project: Path, codebook: str, alpha: float) -> Path:
    """A validation result as `framelens validate` saves it, for ``codebook`` 1.1.0."""
    folder = project / "validation" / f"{codebook}-1-1-0" / "sheet"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "validation.csv"
    pd.DataFrame({"measure": ["frame_economic"], "alpha_with_machine": [alpha], "f1": [0.9],
                  "codebook": [f"{codebook} 1.1.0"], "unit": ["sentence"]}).to_csv(
        path, index=False)
    return path


@pytest.fixture
def validated_project(project):
    """The project, its notebook taking `validation` as the shipped notebooks do."""
    _notebook(project / "nb.ipynb", "print(data)", PARAMETERS + "\nvalidation = ''")
    return project


def test_validation_results_are_passed_and_tracked_like_the_codebook(validated_project,
                                                                     fake_run):
    project, out = validated_project, validated_project / "reports"
    entries = load_build_config(project / "reports.yml")
    # framelens validate writes validation/ beside the reports file: the notebook gets it
    assert {e.parameters["validation"] for e in entries} == {str(project / "validation")}
    build(entries, out_dir=out)

    # alpha uses cb.yml (the generic codebook): its validation rebuilds alpha only
    _validation_csv(project, "generic", 0.71)
    planned = plan(load_build_config(project / "reports.yml"), out_dir=out).set_index("entry")
    assert list(planned.index[planned["action"] == "build"]) == ["alpha"]
    assert planned.loc["alpha", "changed"] == "validation"
    assert planned.loc["alpha", "reasons"] == (
        "validation results found (validation/generic-1-1-0/sheet/validation.csv)")
    dry = build(load_build_config(project / "reports.yml"), out_dir=out, dry_run=True)
    assert _statuses(dry)["alpha"] == "would build"
    fake_run.clear()
    build(load_build_config(project / "reports.yml"), out_dir=out)
    assert fake_run == ["alpha"]
    assert set(plan(load_build_config(project / "reports.yml"), out_dir=out)["action"]) == {
        "skip"}

    # new figures for the same codebook: rebuilt; touching the file is no change
    path = _validation_csv(project, "generic", 0.52)
    os.utime(path, ns=(1, 1))
    planned = plan(load_build_config(project / "reports.yml"), out_dir=out).set_index("entry")
    assert planned.loc["alpha", "reasons"] == (
        "validation changed (validation/generic-1-1-0/sheet/validation.csv)")
    build(load_build_config(project / "reports.yml"), out_dir=out)
    os.utime(path, ns=(2, 2))
    assert set(plan(load_build_config(project / "reports.yml"), out_dir=out)["action"]) == {
        "skip"}

    # beta and gamma use the notebook's default codebook, ai: its validation rebuilds them
    _validation_csv(project, "ai", 0.8)
    planned = plan(load_build_config(project / "reports.yml"), out_dir=out)
    assert list(planned.loc[planned["action"] == "build", "entry"]) == ["beta", "gamma"]


def test_an_entry_may_name_its_own_validation_folder_or_none(validated_project, fake_run):
    project = validated_project
    (project / "reports.yml").write_text(
        REPORTS_YML.replace("      codebook: cb.yml", "      codebook: cb.yml\n"
                            "      validation: checks/").replace(
            "      top_n: 5", "      top_n: 5\n      validation: ''"))
    entries = {e.name: e for e in load_build_config(project / "reports.yml")}
    assert entries["alpha"].validation == project / "checks"
    assert entries["beta"].validation is None
    # where the results are is not a change; what they say is
    assert "validation" not in entries["alpha"].tracked_parameters


# --- a report folder that something else replaced ---------------------------------------


def test_a_report_replaced_by_another_run_is_noticed_and_rebuilt(project, fake_run):
    out = project / "reports"
    build(load_build_config(project / "reports.yml"), out_dir=out)
    assert set(plan(load_build_config(project / "reports.yml"), out_dir=out)["action"]) == {
        "skip"}
    # `framelens report` (or a hand) writes into the folder the build published
    (out / "alpha" / "alpha.html").write_text("<h1>the policy codebook's report</h1>")
    planned = plan(load_build_config(project / "reports.yml"), out_dir=out).set_index("entry")
    assert list(planned.index[planned["action"] == "build"]) == ["alpha"]
    assert "not the one this build made" in planned.loc["alpha", "reasons"]
    fake_run.clear()
    result = build(load_build_config(project / "reports.yml"), out_dir=out)
    assert fake_run == ["alpha"] and _statuses(result)["alpha"] == "built"
    assert "policy" not in (out / "alpha" / "alpha.html").read_text()
    # a touched file with the same bytes is not a replacement
    os.utime(out / "beta" / "beta.html", ns=(1, 1))
    assert set(plan(load_build_config(project / "reports.yml"), out_dir=out)["action"]) == {
        "skip"}


# --- a build with nothing to do is quick --------------------------------------------------


def test_a_build_with_nothing_to_do_loads_neither_pandas_nor_papermill(project, fake_run):
    # the nightly cron job: deciding that nothing changed must not pay for the imports
    # of building (pandas, papermill and nbconvert take most of a second)
    build(load_build_config(project / "reports.yml"), out_dir=project / "reports")
    script = ("import sys\nfrom framelens.cli import main\n"
              f"code = main(['build', {str(project / 'reports.yml')!r}])\n"
              "print(code, sorted(m for m in ('pandas', 'papermill', 'nbconvert', 'numpy') "
              "if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "0 []"
    assert done.stdout.count("up-to-date") == 3


def test_notebook_parameters_are_read_by_papermill_and_remembered(project, fake_run,
                                                                  monkeypatch):
    notebook = build_module.PACKAGE.parents[1] / "notebooks" / "article_report.ipynb"
    known = build_module._notebook_parameters(notebook)
    assert list(known)[:4] == ["article", "codebook", "top_n", "output_dir"]
    assert known["codebook"] == "ai" and known["top_n"] == 15 and known["dayfirst"] is None
    # remembered by the build's cache: the next reports file is read without papermill
    build(load_build_config(project / "reports.yml"), out_dir=project / "reports")

    def inspect(*args, **kwargs):
        raise AssertionError("papermill was asked again")

    monkeypatch.setattr("papermill.inspect_notebook", inspect)
    entries = load_build_config(project / "reports.yml")
    assert entries[0].parameters["codebook"] == str(project / "cb.yml")


@pytest.mark.notebook
def test_build_never_replaces_a_report_it_did_not_make_without_saying_so(project):
    _notebook(project / "nb.ipynb", TABLE_NOTEBOOK)
    (project / "reports.yml").write_text(REPORTS_YML.split("  - name: beta")[0])
    out, folder = project / "reports", project / "reports" / "alpha"
    assert _statuses(build(load_build_config(project / "reports.yml"), out_dir=out)) == {
        "alpha": "built"}
    entry = load_build_config(project / "reports.yml")[0]

    # the report of another codebook took the folder (as `make report CODEBOOK=policy` did)
    shutil.rmtree(folder)
    folder.mkdir()
    mark_folder(folder, report="alpha", identity=f"{entry.notebook}\ncodebook: policy")
    (folder / "alpha.html").write_text("the policy report")
    result = build(load_build_config(project / "reports.yml"), out_dir=out)
    assert _statuses(result) == {"alpha": "failed"} and result.exit_code == 1
    error = result.outcomes.loc[0, "error"]
    assert "holds another report (nb.ipynb, codebook: policy)" in error
    assert "refusing to replace it" in error
    assert (folder / "alpha.html").read_text() == "the policy report"

    # the same report (notebook, input, codebook) made by `framelens report`: replaced,
    # and the build says why
    mark_folder(folder, report="alpha", identity=entry.identity)
    result = build(load_build_config(project / "reports.yml"), out_dir=out)
    assert _statuses(result) == {"alpha": "built"}
    assert "not the one this build made" in result.outcomes.loc[0, "reasons"]
    assert "rows: 1" in (folder / "alpha.html").read_text()


@pytest.mark.notebook
def test_a_built_report_shows_the_validation_as_framelens_report_does(tmp_path, seed_path):
    # after `framelens validate`, the built report's frame table is the one `framelens
    # report` shows: the same "Validation alpha" and "Reliable" cells
    (tmp_path / "data").mkdir()
    shutil.copyfile(seed_path, tmp_path / "data" / "seed.txt")
    folder = tmp_path / "validation" / "ai-1-1-0" / "sheet"
    folder.mkdir(parents=True)
    pd.DataFrame({"measure": ["frame_cooperation", "frame_security"],
                  "alpha_with_machine": [0.71, 0.52], "f1": [0.9, 0.6],
                  "codebook": ["ai 1.1.0"] * 2, "unit": ["sentence"] * 2}).to_csv(
        folder / "validation.csv", index=False)
    notebook = build_module.PACKAGE.parents[1] / "notebooks" / "article_report.ipynb"
    (tmp_path / "reports.yml").write_text(
        f"reports:\n  - name: seed-ai\n    notebook: {notebook}\n"
        "    inputs: {article: data/seed.txt}\n    parameters: {codebook: ai, top_n: 5}\n")
    result = build(load_build_config(tmp_path / "reports.yml"), out_dir=tmp_path / "reports")
    assert _statuses(result) == {"seed-ai": "built"}
    built = (tmp_path / "reports" / "seed-ai" / "seed-ai.html").read_text(encoding="utf-8")
    paths = framelens.report_article(tmp_path / "data" / "seed.txt", codebook="ai", top_n=5,
                                     out_dir=tmp_path / "by-hand",
                                     validation=tmp_path / "validation")
    by_hand = paths.html.read_text(encoding="utf-8")

    def frame_table(page: str) -> str:
        return re.search(r"<strong>Frame scores</strong>.*?</table>", page, re.S).group(0)

    assert frame_table(built) == frame_table(by_hand)
    assert "Validation alpha" in frame_table(built)
    assert ">0.710<" in frame_table(built) and ">0.520<" in frame_table(built)


def test_an_entrys_learned_frames_are_passed_and_tracked_as_a_model(tmp_path, fake_run):
    _notebook(tmp_path / "nb.ipynb", "print(frames)", PARAMETERS + "\nframes = ''")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    (tmp_path / "generic.frames.json").write_text('{"format": "framelens-frames", "v": 1}')
    (tmp_path / "reports.yml").write_text(
        "reports:\n  - name: framed\n    notebook: nb.ipynb\n    inputs:\n"
        "      data: data/a.csv\n    parameters:\n      frames: generic.frames.json\n")
    out = tmp_path / "reports"
    build(load_build_config(tmp_path / "reports.yml"), out_dir=out)
    passed = json.loads(html.unescape((out / "framed" / "framed.html").read_text())
                        .split("</h1>", 1)[1].rsplit(" run ", 1)[0])
    assert Path(passed["frames"]) == (tmp_path / "generic.frames.json").resolve()
    assert list(plan(load_build_config(tmp_path / "reports.yml"), out_dir=out)["action"]) \
        == ["skip"]
    (tmp_path / "generic.frames.json").write_text('{"format": "framelens-frames", "v": 2}')
    planned = plan(load_build_config(tmp_path / "reports.yml"), out_dir=out)
    assert list(planned["action"]) == ["build"]
    assert set(planned["changed"]) == {"models"}
    assert planned["reasons"].str.contains("learned frames changed").all()
