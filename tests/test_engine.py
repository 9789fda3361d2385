"""Claims about `framelens score`: the scores file equals score_corpus whatever the engine,
the jobs or the chunks; a killed run resumes without redoing or repeating; errors say where."""

from __future__ import annotations

import dataclasses
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import framelens as fl
from framelens import engine
from framelens.cli import main
from framelens.engine import score_file
from framelens.errors import FramelensError, InputError, OptionError
from framelens.scores import CorpusScores, read_scores, score_corpus, scores_files

COOPERATION = ("Officials praised the cooperation and partnership between the two countries. "
               "The joint agreement benefits both sides, a minister said. ")
SECURITY = ("Officials warned of security threats and cyber attacks from hackers. "
            "The military said the risks to national security were growing. ")
GERMAN = (
    "Die Regierung hat am Montag gesagt, dass die Wirtschaft in diesem Jahr wieder wächst "
    "und die Menschen mit der Lage zufrieden sind. Das ist nicht immer so gewesen, denn "
    "in der Geschichte des Landes gab es viele Krisen, die das Leben der Menschen schwer "
    "gemacht haben."
)
ECONOMY = "Exports rose 4 percent, boosting economic growth in the region. "
#: ids that repeat within and across chunks, a text-less and a German article, an exact
#: copy (row 6 of row 0), a key only some records have
ROWS = [
    ("a", "Alpha", "2024-01-15", COOPERATION + ECONOMY, "trade"),
    ("b", "Beta", "2024-02-15", SECURITY, None),
    ("a", "Gamma", "2024-03-15", COOPERATION + SECURITY, "tech"),
    ("c", "Alpha", "2024-04-15", "", "trade"),
    ("a", "Beta", "", SECURITY + ECONOMY, None),
    ("d", "Gamma", "2024-05-15", GERMAN, "tech"),
    ("e", "Alpha", "2024-06-15", COOPERATION + ECONOMY, "trade"),
    ("f", "Beta", "2024-07-15", "A spokesman said: \"We are worried.\" " + SECURITY, None),
    ("b", "Gamma", "2024-08-15", COOPERATION + ECONOMY + "Officials met again.", "tech"),
]
MAPPING = {"text": "body", "outlet": "source", "id": "ID"}
OPTIONS = ["--text", "body", "--outlet", "source", "--id", "ID"]


def _write_corpus(path: Path) -> Path:
    records = []
    for i, (id_, source, date, body, topic) in enumerate(ROWS):
        record = {"ID": id_, "title": f"Story {i}", "source": source, "date": date,
                  "body": body, "bias": i % 3}
        if topic:
            record["topic"] = topic
        records.append(json.dumps(record))
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def reference(corpus) -> CorpusScores:
    return score_corpus(fl.read_articles(corpus, **MAPPING), codebook="ai")


@pytest.fixture(scope="module")
def scored(corpus, tmp_path_factory) -> engine.ScoreRun:
    out = tmp_path_factory.mktemp("scored") / "scores.parquet"
    return score_file(corpus, out=out, chunk_size=3, jobs=1, **MAPPING)


def assert_same(got: CorpusScores, want: CorpusScores) -> None:
    for table in ("scores", "terms", "voices"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(want, table))


# --- what the scores file holds ----------------------------------------------------------


def test_scores_file_holds_exactly_what_score_corpus_computes(scored, reference):
    got = read_scores(scored.files["scores"])
    assert_same(got, reference)
    assert got.scores["article_id"].tolist()[:5] == ["a", "b", "a-2", "c", "a-3"]
    assert got.scores["status"].tolist()[3:6] == ["no text", "ok", "not English"]
    assert (scored.n_articles, scored.n_chunks, scored.n_computed) == (9, 3, 3)


def test_scores_file_records_its_provenance(scored, corpus):
    meta = read_scores(scored.files["scores"]).metadata
    assert meta["input"] == str(corpus.resolve())
    assert meta["input_sha256"] == fl.fingerprint(corpus)
    assert meta["cache_key"] == fl.cache_key("ai")
    assert (meta["codebook"], meta["framelens"]) == ("ai", fl.__version__)
    assert meta["columns"]["text"] == "body" and meta["parameters"]["chunk_size"] == 3
    assert [p.name for p in scored.files.values()] == [
        "scores.parquet", "scores.terms.parquet", "scores.voices.parquet"]
    assert not scored.files["scores"].with_name("scores.parquet.parts").exists()


def test_running_a_finished_command_again_computes_nothing(scored, corpus):
    before = scored.files["scores"].stat().st_mtime_ns
    again = score_file(corpus, out=scored.files["scores"], chunk_size=5, **MAPPING)
    assert again.up_to_date and again.n_computed == 0
    assert "up to date" in again.summary()
    assert scored.files["scores"].stat().st_mtime_ns == before


def test_a_column_mixing_numbers_and_text_is_stored_as_text(tmp_path, caplog):
    path = tmp_path / "c.jsonl"
    rows = [{"text": COOPERATION, "bias": 1}, {"text": SECURITY, "bias": 2},
            {"text": SECURITY + ECONOMY, "bias": "left"}, {"text": ECONOMY}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    run = score_file(path, out=tmp_path / "scores.parquet", chunk_size=2)
    assert "['bias'] mix numbers and text; stored as text" in caplog.text
    got = read_scores(run.files["scores"])
    assert got.scores["bias"].tolist()[:3] == ["1", "2", "left"]
    score_corpus(fl.read_articles(path)).to_parquet(tmp_path / "whole.parquet")
    assert_same(got, read_scores(tmp_path / "whole.parquet"))


# --- interruptions ---------------------------------------------------------------------


def _fail_on_row(monkeypatch, row: int) -> None:
    real = engine.score_articles

    def failing(articles, **kwargs):
        if articles["origin"].str.endswith(f"#row {row}").any():
            raise ZeroDivisionError("boom")
        return real(articles, **kwargs)

    monkeypatch.setattr(engine, "score_articles", failing)


def test_a_failing_chunk_names_its_rows_and_its_article(corpus, tmp_path, monkeypatch):
    _fail_on_row(monkeypatch, 4)
    out = tmp_path / "scores.parquet"
    with pytest.raises(FramelensError) as info:
        score_file(corpus, out=out, chunk_size=3, **MAPPING)
    message = str(info.value)
    assert "rows 3-5 (chunk 1)" in message and f"{corpus}#row 4" in message
    assert "'a-3'" not in message and "ZeroDivisionError: boom" in message
    assert not out.exists()
    assert len(list(tmp_path.glob("scores.parquet.parts/*.scores.parquet"))) == 1  # chunk 0


def test_a_failed_write_leaves_no_scores_file(corpus, tmp_path, monkeypatch):
    def broken(self, table, data):
        raise OSError("disk full")

    monkeypatch.setattr(engine.ScoresWriter, "write_table", broken)
    out = tmp_path / "scores.parquet"
    with pytest.raises(OSError, match="disk full"):
        score_file(corpus, out=out, chunk_size=5, **MAPPING)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.parquet.parts"]
    assert len(list(tmp_path.glob("scores.parquet.parts/*.parquet"))) == 6  # 2 parts kept


def test_ctrl_c_keeps_the_finished_chunks_and_says_how_to_resume(corpus, tmp_path, capsys,
                                                                  monkeypatch):
    real = engine.score_articles

    def interrupted(articles, **kwargs):
        if articles["origin"].str.endswith("#row 3").any():
            raise KeyboardInterrupt
        return real(articles, **kwargs)

    monkeypatch.setattr(engine, "score_articles", interrupted)
    out = tmp_path / "scores.parquet"
    code = main(["score", str(corpus), "--out", str(out), "--chunk-size", "2",
                 "--no-progress", *OPTIONS])
    assert code == 130
    assert "run the same command again to resume" in capsys.readouterr().err
    assert not out.exists()
    assert len(list(tmp_path.glob("scores.parquet.parts/*.scores.parquet"))) == 1  # rows 0-1


def _run_until(command: list[str], parts: Path, n_parts: int, sig: int) -> tuple[int, str]:
    """Start the command, wait for n_parts finished parts, send sig, return code and stderr."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 300
    while len(list(parts.glob("*.scores.parquet"))) < n_parts:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the run ended before it was interrupted: {process.communicate()}")
        time.sleep(0.02)
    process.send_signal(sig)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def test_a_killed_run_resumes_without_redoing_or_repeating(corpus, reference, tmp_path):
    out = tmp_path / "scores.parquet"
    parts = tmp_path / "scores.parquet.parts"
    command = [sys.executable, "-m", "framelens.cli", "score", str(corpus), "--out", str(out),
               "--chunk-size", "1", "--no-progress", *OPTIONS]
    code, _ = _run_until(command, parts, 2, signal.SIGKILL)
    assert code == -signal.SIGKILL and not out.exists()
    kept = len(list(parts.glob("*.scores.parquet")))
    assert 1 < kept < len(ROWS)
    run = score_file(corpus, out=out, chunk_size=1, jobs=2, **MAPPING)  # two processes
    assert run.n_computed == len(ROWS) - kept
    got = read_scores(out)
    assert got.scores["article_id"].is_unique
    assert_same(got, reference)
    assert not parts.exists()


def test_dask_finishes_a_local_run_with_identical_tables(corpus, scored, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    out = tmp_path / "scores.parquet"
    _fail_on_row(monkeypatch, 2)  # the local run stops at chunk 1 and keeps chunk 0
    with pytest.raises(FramelensError):
        score_file(corpus, out=out, chunk_size=2, **MAPPING)
    monkeypatch.undo()
    run = score_file(corpus, out=out, chunk_size=2, engine="dask", workers=2, **MAPPING)
    assert (run.n_chunks, run.n_computed) == (5, 4)
    got, local = read_scores(out), read_scores(scored.files["scores"])
    assert_same(got, local)
    assert got.metadata["parameters"]["engine"] == "dask"


# --- errors and progress ---------------------------------------------------------------


def test_bad_input_is_refused_with_file_and_row(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"text": COOPERATION}) + "\n{not json\n")
    with pytest.raises(InputError) as info:
        score_file(path, out=tmp_path / "scores.parquet", chunk_size=1)
    assert f"{path}, row 1, line 2: the line is not valid JSON" in str(info.value)
    with pytest.raises(InputError, match="no such file"):
        score_file(tmp_path / "missing.jsonl", out=tmp_path / "scores.parquet")


@pytest.mark.parametrize(("n", "size"), [(0, 250), (1, 250), (2_000, 250), (2_001, 251),
                                         (4_000, 500), (8_000, 1000), (1_000_000, 1000)])
def test_auto_chunk_size_cuts_a_small_corpus_into_about_8_chunks(n, size):
    assert engine.auto_chunk_size(n) == size


def test_by_default_a_small_corpus_gets_several_chunks_whatever_the_jobs(tmp_path, monkeypatch):
    rows = [{"ID": f"a{i}", "body": f"{COOPERATION} Story {i}.", "source": "X"}
            for i in range(7)]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(engine, "MIN_CHUNK_SIZE", 2)
    monkeypatch.setattr(engine, "AUTO_CHUNKS", 3)
    run = score_file(path, out=tmp_path / "s.parquet", **MAPPING)
    assert run.n_chunks == 3  # 7 articles in chunks of 3, whatever the jobs
    meta = fl.read_scores(run.files["scores"]).metadata
    assert meta["parameters"]["chunk_size"] == 3
    assert len(fl.read_scores(run.files["scores"]).scores) == 7


@pytest.mark.parametrize(("option", "value"), [("jobs", 0), ("engine", "spark"),
                                               ("out", "scores.csv"), ("chunk_size", 0)])
def test_bad_options_are_refused(corpus, tmp_path, option, value):
    options = {"out": tmp_path / "scores.parquet", option: value}
    if option == "out":
        options["out"] = tmp_path / value
    with pytest.raises(OptionError):
        score_file(corpus, **options)


def test_progress_lines_give_articles_per_second_and_time_left():
    stream = io.StringIO()
    progress = engine._Progress("log", total=10, done=2, stream=stream, every=0)
    progress.update(3)
    progress.close()
    first, second = stream.getvalue().splitlines()
    assert "2 of 10 articles kept from an interrupted run" in first
    assert "5/10 articles (50%)" in second and "articles/s" in second and "left" in second


# --- comparing from the scores file ------------------------------------------------------


def _assert_same_comparison(a, b) -> None:
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, obj=field.name)
        elif field.name != "codebook":
            assert x == y, field.name


@pytest.mark.parametrize("by", ["source", "quarter"])
def test_comparing_a_scores_file_equals_comparing_its_corpus(scored, corpus, by):
    options = {"by": by, "min_articles": 1, "n_boot": 20}
    from_file = fl.compare_corpus(str(scored.files["scores"]), **options)
    from_corpus = fl.compare_corpus(fl.read_articles(corpus, **MAPPING), **options)
    _assert_same_comparison(from_file, from_corpus)
    assert "e" in from_file.duplicates["article_id"].tolist()  # row 6 copies row 0


def test_comparing_scores_whose_corpus_changed_warns_that_duplicates_were_not_sought(
        scored, corpus, tmp_path, caplog):
    moved = dataclasses.replace(read_scores(scored.files["scores"]))
    moved.metadata["input"] = str(tmp_path / "gone.jsonl")
    comparison = fl.compare_corpus(moved, by="source", min_articles=1, n_boot=20)
    assert comparison.duplicates.empty
    assert "duplicates were not looked for" in caplog.text


def test_scores_of_another_codebook_are_refused(scored):
    with pytest.raises(OptionError, match="computed with codebook ai"):
        fl.compare_corpus(read_scores(scored.files["scores"]), by="source", codebook="policy")


def test_scores_files_are_named_beside_the_scores(tmp_path):
    names = {t: p.name for t, p in scores_files(tmp_path / "run.parquet").items()}
    assert names == {"scores": "run.parquet", "terms": "run.terms.parquet",
                     "voices": "run.voices.parquet"}


@pytest.mark.parametrize("damage", ["terms missing", "voices cut short", "terms unreadable"])
def test_a_broken_terms_or_voices_part_is_scored_again_by_itself(corpus, tmp_path,
                                                                 monkeypatch, damage):
    # before, only the .scores part was checked: "delete it and run again" looped forever
    _fail_on_row(monkeypatch, 4)
    out = tmp_path / "scores.parquet"
    with pytest.raises(FramelensError):
        score_file(corpus, out=out, chunk_size=3, **MAPPING)  # keeps chunk 0 (rows 0-2)
    monkeypatch.undo()
    table = damage.split()[0]
    part = next(tmp_path.glob(f"scores.parquet.parts/*.{table}.parquet"))
    if damage.endswith("missing"):
        part.unlink()
    elif damage.endswith("cut short"):
        part.write_bytes(part.read_bytes()[:40])
    else:  # readable footer, damaged inside: found only when the merge reads it
        real = engine._Parts.read
        broken = []

        def read_once_broken(self, chunk, name):
            if self.paths(chunk)[name] == part and not broken:
                broken.append(part)
                raise engine._BrokenPart(chunk, part, OSError("bad page"))
            return real(self, chunk, name)

        monkeypatch.setattr(engine._Parts, "read", read_once_broken)
    run = score_file(corpus, out=out, chunk_size=3, **MAPPING)
    chunks = -(-len(pd.read_json(corpus, lines=True)) // 3)
    assert run.n_chunks == chunks
    assert run.n_computed == (chunks - 1 if damage == "terms unreadable" else chunks)
    fresh = score_file(corpus, out=tmp_path / "fresh.parquet", chunk_size=3, **MAPPING)
    pd.testing.assert_frame_equal(read_scores(out).terms, read_scores(fresh.files["scores"]).terms)
    pd.testing.assert_frame_equal(read_scores(out).voices,
                                  read_scores(fresh.files["scores"]).voices)


def test_the_scores_file_has_the_users_usual_permissions(corpus, tmp_path):
    import os

    umask = os.umask(0)
    os.umask(umask)
    run = score_file(corpus, out=tmp_path / "scores.parquet", chunk_size=5, **MAPPING)
    assert {p.stat().st_mode & 0o777 for p in run.files.values()} == {0o666 & ~umask}
