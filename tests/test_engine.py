"""Claims about `framelens score`: the scores file equals score_corpus whatever the engine,
the jobs or the chunks; a killed run resumes without redoing or repeating; errors say where."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
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


# --- actor tone ----------------------------------------------------------------------------

#: a few mentions of the china-tech actors per article (about 20 in all, to keep the model
#: quick), a German and an empty article, an exact copy (row 5 of row 0)
ACTOR_ROWS = [
    ("h1", "Alpha", "Huawei said the Commerce Department had treated it unfairly. "
                    "Xi Jinping praised Huawei engineers for their work."),
    ("h2", "Beta", "Apple reported record profits. Tim Cook thanked loyal customers. "
                   "Regulators fined Google for abusing its dominance."),
    ("h3", "Gamma", GERMAN),
    ("h4", "Alpha", "Beijing accused Washington of bullying TikTok. ByteDance denied it."),
    ("h5", "Beta", ""),
    ("h6", "Gamma", "Huawei said the Commerce Department had treated it unfairly. "
                    "Xi Jinping praised Huawei engineers for their work."),
    ("h7", "Alpha", "Nvidia shares rose after Microsoft raised its forecast. Officials in "
                    "Washington welcomed the news."),
]


def assert_same_with_actors(got: CorpusScores, want: CorpusScores) -> None:
    assert_same(got, want)
    pd.testing.assert_frame_equal(got.actors, want.actors)


@pytest.fixture(scope="module")
def actor_corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("actors") / "corpus.jsonl"
    path.write_text("".join(json.dumps({"ID": id_, "source": source, "title": f"Story {id_}",
                                        "body": body}) + "\n"
                            for id_, source, body in ACTOR_ROWS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def actor_reference(actor_corpus) -> CorpusScores:
    return score_corpus(fl.read_articles(actor_corpus, **MAPPING), codebook="ai",
                        actors="china-tech")


@pytest.fixture(scope="module")
def actor_scored(actor_corpus, tmp_path_factory) -> engine.ScoreRun:
    out = tmp_path_factory.mktemp("actor-scored") / "scores.parquet"
    return score_file(actor_corpus, out=out, chunk_size=2, actors="china-tech", **MAPPING)


def test_scores_file_with_actors_holds_what_score_corpus_computes(actor_scored,
                                                                  actor_reference):
    assert [p.name for p in actor_scored.files.values()] == [
        "scores.parquet", "scores.terms.parquet", "scores.voices.parquet",
        "scores.actors.parquet"]
    got = read_scores(actor_scored.files["scores"])
    assert_same_with_actors(got, actor_reference)
    assert {"h1", "h2", "h4", "h6", "h7"} == set(got.actors["article_id"])
    meta = got.metadata
    assert meta["cache_key"] == fl.cache_key("ai")  # the codebook's, as without actors
    assert meta["actors_key"] == fl.cache_key("ai", actors="china-tech")
    assert meta["actors"]["name"] == "china-tech"
    from framelens.models.tone import tone_model_info

    assert meta["tone_model"]["sha256"] == tone_model_info()["sha256"]


def test_a_finished_run_with_actors_is_up_to_date_and_one_without_is_not(
        actor_scored, actor_corpus, tmp_path):
    again = score_file(actor_corpus, out=actor_scored.files["scores"], chunk_size=2,
                       actors="china-tech", **MAPPING)
    assert again.up_to_date and "actor list, tone model" in again.summary()
    assert "actors" in again.files
    out = tmp_path / "scores.parquet"
    for table, path in actor_scored.files.items():  # a copy, to score without actors
        shutil.copy(path, scores_files(out, actors=True)[table])
    plain = score_file(actor_corpus, out=out, chunk_size=4, **MAPPING)
    assert not plain.up_to_date and "actors" not in plain.files
    assert not scores_files(out, actors=True)["actors"].exists()  # no stale actors
    assert read_scores(out).actors.empty


def test_actor_tone_on_two_local_processes_equals_one(actor_corpus, actor_reference,
                                                      tmp_path):
    run = score_file(actor_corpus, out=tmp_path / "scores.parquet", chunk_size=2, jobs=2,
                     actors="china-tech", **MAPPING)
    assert run.n_computed == 4
    assert_same_with_actors(read_scores(run.files["scores"]), actor_reference)


def test_dask_finishes_a_local_run_with_actors_with_identical_tables(
        actor_corpus, actor_scored, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    out = tmp_path / "scores.parquet"
    _fail_on_row(monkeypatch, 2)  # the local run stops at chunk 1 and keeps chunk 0
    with pytest.raises(FramelensError):
        score_file(actor_corpus, out=out, chunk_size=2, actors="china-tech", **MAPPING)
    kept = sorted(p.name.split(".")[1] for p in (tmp_path / "scores.parquet.parts").glob("0*"))
    assert kept == ["actors", "scores", "terms", "voices"]
    monkeypatch.undo()
    run = score_file(actor_corpus, out=out, chunk_size=2, engine="dask", workers=2,
                     actors="china-tech", **MAPPING)
    assert (run.n_chunks, run.n_computed) == (4, 3)
    got, local = read_scores(out), read_scores(actor_scored.files["scores"])
    assert_same_with_actors(got, local)
    assert got.metadata["parameters"]["engine"] == "dask"


def test_parts_of_a_run_without_actors_are_not_reused_with_actors(actor_corpus, tmp_path,
                                                                  monkeypatch):
    out = tmp_path / "scores.parquet"
    _fail_on_row(monkeypatch, 2)
    with pytest.raises(FramelensError):
        score_file(actor_corpus, out=out, chunk_size=2, **MAPPING)  # keeps chunk 0
    monkeypatch.undo()
    run = score_file(actor_corpus, out=out, chunk_size=2, actors="china-tech", **MAPPING)
    assert run.n_computed == run.n_chunks == 4
    assert not read_scores(out).actors.empty


def test_a_bad_actor_list_or_model_is_refused_before_the_corpus_is_read(tmp_path):
    from framelens.errors import ActorListError, ModelError

    missing = tmp_path / "missing.jsonl"  # refused for the list first, not the corpus
    with pytest.raises(ActorListError, match="no shipped actor list"):
        score_file(missing, out=tmp_path / "s.parquet", actors="nope")
    with pytest.raises(ModelError):
        score_file(missing, out=tmp_path / "s.parquet", actors="china-tech",
                   tone_model=tmp_path)
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


# --- learned frames ----------------------------------------------------------------------


def test_learned_frames_score_the_same_in_one_process_two_processes_and_score_corpus(
        corpus, learned_frames, tmp_path):
    reference = score_corpus(fl.read_articles(corpus, **MAPPING), codebook="generic",
                             frames=learned_frames)
    one = score_file(corpus, out=tmp_path / "one.parquet", chunk_size=3, jobs=1,
                     codebook="generic", frames=learned_frames, **MAPPING)
    two = score_file(corpus, out=tmp_path / "two.parquet", chunk_size=3, jobs=2,
                     codebook="generic", frames=learned_frames, **MAPPING)
    got_one, got_two = read_scores(one.files["scores"]), read_scores(two.files["scores"])
    assert_same(got_one, reference)
    assert_same(got_two, got_one)
    assert got_one.scores["prob_economic"].notna().sum() == reference.scores[
        "prob_economic"].notna().sum() > 0
    meta = got_one.metadata
    assert meta["frames"]["sha256"] == fl.load_frame_model(learned_frames).sha256
    assert meta["cache_key"] == fl.cache_key("generic", frames=learned_frames)
    plain = score_file(corpus, out=tmp_path / "one.parquet", chunk_size=3,
                       codebook="generic", **MAPPING)
    assert not plain.up_to_date  # scores with learned frames are not scores without them
    assert "prob_economic" not in read_scores(plain.files["scores"]).scores.columns
