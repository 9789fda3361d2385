"""Claims about corpus scores: one row per article, unscorable ones listed, cached on disk."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd
import pytest

import framelens as fl
from framelens import scores as scores_module
from framelens.errors import InputError, MissingColumnError, OptionError
from framelens.scores import (
    CorpusScores,
    cache_key,
    read_scores,
    score_articles,
    score_corpus,
)

log = logging.getLogger(__name__)

CODEBOOK = """\
name: tiny
title: A codebook small enough to count by hand
version: "0.1"
description: Two frames for the tests.
reference: none
frames:
  cooperation:
    terms:
      - cooperat*
      - public good
  conflict:
    terms:
      - dispute*
"""

GERMAN = (
    "Die Regierung hat am Montag gesagt, dass die Wirtschaft in diesem Jahr wieder wächst "
    "und die Menschen mit der Lage zufrieden sind. Das ist nicht immer so gewesen, denn "
    "in der Geschichte des Landes gab es viele Krisen, die das Leben der Menschen schwer "
    "gemacht haben."
)


@pytest.fixture
def codebook(tmp_path) -> Path:
    path = tmp_path / "tiny.yml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return path


def _articles(*texts: str, titles=None, **metadata) -> pd.DataFrame:
    """An articles table (as read_articles returns it) with ids a, b, c..."""
    n = len(texts)
    table = pd.DataFrame({
        "id": [chr(ord("a") + i) for i in range(n)],
        "title": titles or [f"Story {i}" for i in range(n)],
        "outlet": [f"Outlet {i}" for i in range(n)],
        "text": list(texts),
        **metadata,
    })
    return fl.read_articles(table, id="id")


def _story(i: int) -> str:
    return (f"Talks number {i} went on for hours. Both sides praised cooperation on "
            f"climate research. \"We will cooperate,\" Jane Doe said. A dispute over "
            f"tariffs remained.")


@pytest.fixture
def corpus() -> pd.DataFrame:
    return _articles(*(_story(i) for i in range(5)), topic=["trade"] * 5)


@pytest.fixture
def calls(monkeypatch) -> list[int]:
    """Count score_articles calls made by score_corpus (the size of each chunk)."""
    sizes: list[int] = []
    real = scores_module.score_articles

    def counting(articles, **options):
        sizes.append(len(articles))
        return real(articles, **options)

    monkeypatch.setattr(scores_module, "score_articles", counting)
    return sizes


def assert_same(left: CorpusScores, right: CorpusScores) -> None:
    for name in ("scores", "terms", "voices"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name))


# --- one chunk -----------------------------------------------------------------------


def test_scores_count_the_codebook_hits_of_each_article(codebook):
    arts = _articles("Cooperation is a public good. They cooperate.",
                     "A dispute, then another dispute.",
                     titles=["Cooperation", "Disputes"])
    scores = score_articles(arts, codebook=codebook).scores
    # the headline counts: "Cooperation" + cooperation, public good, cooperate = 4 hits
    # in 1 + 5 + 2 words; "Disputes" + dispute, dispute = 3 hits in 1 + 5 words
    assert scores["hits_cooperation"].tolist() == [4, 0]
    assert scores["hits_conflict"].tolist() == [0, 3]
    assert scores["n_words"].tolist() == [8, 6]
    assert scores.loc[1, "frame_conflict"] == pytest.approx(3 / 6 * 1000)
    assert scores["top_frame"].tolist() == ["cooperation", "conflict"]
    assert scores["codebook"].unique().tolist() == ["tiny 0.1"]


def test_scores_have_the_analysis_columns_then_metadata_then_key_and_status(codebook):
    arts = _articles(_story(0), topic=["trade"])
    scores = score_articles(arts, codebook=codebook).scores
    analysis = fl.analyze(arts, codebook=codebook).scores()
    columns = list(analysis.columns)
    after_hits = columns.index("hits_conflict") + 1
    columns[after_hits:after_hits] = ["used_cooperation", "used_conflict"]
    assert list(scores.columns) == [*columns, "url", "origin", "is_english", "id",
                                    "topic", "content_key", "status"]
    pd.testing.assert_frame_equal(scores[analysis.columns], analysis, check_dtype=False)


def test_used_columns_follow_the_codebook_threshold(tmp_path):
    # cooperation needs 2 matches in 2 sentences; conflict keeps the default (1 match)
    path = tmp_path / "tiny.yml"
    path.write_text(CODEBOOK.replace("      - public good\n", "      - public good\n"
                                     "    threshold: {matches: 2, sentences: 2}\n"),
                    encoding="utf-8")
    arts = _articles("Cooperation and cooperation. Then a dispute.",   # 2 matches, 1 sentence
                     "We cooperate. Cooperation again.",               # 2 in 2 sentences
                     "Nothing here at all.", titles=["One", "Two", "Three"])
    scores = score_articles(arts, codebook=path).scores
    assert scores["hits_cooperation"].tolist() == [2, 2, 0]
    assert scores["used_cooperation"].tolist() == [False, True, False]
    assert scores["used_conflict"].tolist() == [True, False, False]
    assert str(scores["used_conflict"].dtype) == "boolean"


def test_an_unscored_article_has_no_used_value(codebook):
    scores = score_articles(_articles("Cooperation.", ""), codebook=codebook).scores
    assert scores["used_cooperation"].tolist()[0] is True
    assert scores["used_cooperation"].isna().tolist() == [False, True]


def test_a_changed_threshold_changes_the_cache_key(tmp_path, codebook):
    other = tmp_path / "other.yml"
    other.write_text(CODEBOOK.replace("frames:", "threshold: {matches: 2}\nframes:"),
                     encoding="utf-8")
    assert cache_key(other) != cache_key(codebook)


def test_empty_and_non_english_articles_stay_as_rows_with_a_status_and_no_scores(codebook):
    arts = _articles(_story(0), "", GERMAN)
    result = score_articles(arts, codebook=codebook)
    scores = result.scores
    assert scores["status"].tolist() == ["ok", "no text", "not English"]
    assert scores.loc[1:, ["polarity", "frame_cooperation"]].isna().all().all()
    assert scores.loc[1:, "hits_cooperation"].isna().all()
    assert scores["outlet"].tolist() == ["Outlet 0", "Outlet 1", "Outlet 2"]
    assert set(result.terms["article_id"]) == set(result.voices["article_id"]) == {"a"}


def test_problems_lists_the_unscored_articles_and_why(codebook):
    problems = score_articles(_articles(_story(0), "", GERMAN), codebook=codebook).problems()
    assert list(problems.columns) == ["article_id", "outlet", "title", "origin", "status"]
    assert problems[["article_id", "status"]].values.tolist() == [["b", "no text"],
                                                                   ["c", "not English"]]
    assert problems["origin"].tolist() == ["<DataFrame>#row 1", "<DataFrame>#row 2"]


def test_terms_hold_full_word_and_bigram_counts(codebook):
    words = " ".join(f"word{chr(ord('a') + i)}" for i in range(25))
    arts = _articles(f"Public good, public good. {words}.", titles=["T"])
    terms = score_articles(arts, codebook=codebook).terms
    assert list(terms.columns) == ["article_id", "ngram", "term", "count"]
    counts = terms.set_index(["ngram", "term"])["count"]
    assert counts[(1, "public")] == 2 and counts[(2, "public good")] == 2
    assert (terms["ngram"] == 1).sum() == 28  # t, public, good + 25 words: no top 20 cut
    assert terms["ngram"].is_monotonic_increasing


def test_voices_name_the_quoted_speakers(codebook):
    voices = score_articles(_articles(_story(0)), codebook=codebook).voices
    assert list(voices.columns) == ["article_id", "speaker", "n_quotes", "n_direct",
                                    "n_reported", "n_words", "role"]
    assert voices[["speaker", "n_direct"]].values.tolist() == [["Jane Doe", 1]]


def test_an_articles_scores_do_not_depend_on_its_chunk(codebook, corpus):
    alone = score_articles(corpus.iloc[[3]], codebook=codebook)
    together = score_articles(corpus, codebook=codebook)
    pd.testing.assert_frame_equal(together.scores.iloc[[3]].reset_index(drop=True),
                                  alone.scores)


def test_repeated_article_ids_are_refused(codebook):
    arts = pd.DataFrame({"article_id": ["x", "x"], "text": ["One.", "Two."]})
    with pytest.raises(InputError, match="repeat"):
        score_articles(arts, codebook=codebook)


def test_a_table_without_text_is_refused_by_column(codebook):
    with pytest.raises(MissingColumnError, match="text"):
        score_articles(pd.DataFrame({"article_id": ["x"]}), codebook=codebook)


def test_a_bare_table_gets_default_metadata_and_language_check(codebook):
    arts = pd.DataFrame({"article_id": ["x", "y"], "text": [_story(0), GERMAN]})
    scores = score_articles(arts, codebook=codebook).scores
    assert scores["status"].tolist() == ["ok", "not English"]
    assert scores["outlet"].tolist() == ["", ""]


# --- a corpus, without and with a cache ------------------------------------------------


def test_score_corpus_without_cache_equals_one_chunk(codebook, corpus, calls):
    assert_same(score_corpus(corpus, codebook=codebook, chunk_size=2),
                score_articles(corpus, codebook=codebook))
    assert calls == [2, 2, 1]


def test_a_warm_run_computes_nothing_and_returns_the_same_tables(tmp_path, codebook, corpus,
                                                                  calls):
    cold = score_corpus(corpus, codebook=codebook, cache=tmp_path / "cache", chunk_size=2)
    assert calls == [2, 2, 1]
    warm = score_corpus(corpus, codebook=codebook, cache=tmp_path / "cache", chunk_size=2)
    assert calls == [2, 2, 1]
    assert_same(cold, warm)
    assert_same(cold, score_articles(corpus, codebook=codebook))


def test_adding_an_article_computes_only_that_one(tmp_path, codebook, corpus, calls):
    score_corpus(corpus, codebook=codebook, cache=tmp_path)
    bigger = _articles(*(_story(i) for i in range(6)), topic=["trade"] * 6)
    result = score_corpus(bigger, codebook=codebook, cache=tmp_path)
    assert calls == [5, 1]
    assert len(list((tmp_path / cache_key(codebook)).glob("*.scores.parquet"))) == 2
    assert result.scores["article_id"].tolist() == ["a", "b", "c", "d", "e", "f"]
    assert_same(result, score_articles(bigger, codebook=codebook))


def test_rows_follow_the_input_order_whatever_the_cache_holds(tmp_path, codebook, corpus):
    score_corpus(corpus.iloc[[4, 0, 2]], codebook=codebook, cache=tmp_path)
    shuffled = corpus.iloc[[3, 0, 4, 1, 2]]
    result = score_corpus(shuffled, codebook=codebook, cache=tmp_path)
    assert result.scores["article_id"].tolist() == ["d", "a", "e", "b", "c"]
    assert list(dict.fromkeys(result.terms["article_id"])) == ["d", "a", "e", "b", "c"]


def test_metadata_comes_from_the_current_table_not_the_cache(tmp_path, codebook, corpus,
                                                             calls):
    score_corpus(corpus, codebook=codebook, cache=tmp_path)
    renamed = corpus.assign(outlet="Reuters", topic="tech", article_id=list("vwxyz"))
    result = score_corpus(renamed, codebook=codebook, cache=tmp_path)
    assert calls == [5]
    assert result.scores["outlet"].unique().tolist() == ["Reuters"]
    assert result.scores["topic"].unique().tolist() == ["tech"]
    assert set(result.terms["article_id"]) == set("vwxyz")


def test_a_changed_text_is_computed_again(tmp_path, codebook, corpus, calls):
    score_corpus(corpus, codebook=codebook, cache=tmp_path)
    edited = corpus.copy()
    edited.loc[1, "text"] = _story(1) + " Another dispute."
    result = score_corpus(edited, codebook=codebook, cache=tmp_path)
    assert calls == [5, 1]
    assert result.scores.loc[1, "hits_conflict"] == 2


def test_exact_copies_are_computed_once_and_each_gets_its_rows(codebook, calls):
    arts = _articles(_story(0), _story(0), _story(1), titles=["Same", "Same", "Other"])
    result = score_corpus(arts, codebook=codebook)
    assert calls == [2]
    assert result.scores["content_key"].nunique() == 2
    assert result.voices["article_id"].tolist() == ["a", "b", "c"]


def test_a_changed_codebook_gets_a_new_cache_folder(tmp_path, codebook, corpus, calls):
    score_corpus(corpus, codebook=codebook, cache=tmp_path / "cache")
    codebook.write_text(CODEBOOK.replace("- dispute*", "- tariff*"), encoding="utf-8")
    result = score_corpus(corpus, codebook=codebook, cache=tmp_path / "cache")
    assert calls == [5, 5]
    assert result.scores["hits_conflict"].tolist() == [1] * 5  # "tariffs", not "dispute"
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_the_cache_key_follows_codebook_content_version_and_schema(tmp_path, codebook,
                                                                   monkeypatch):
    key = cache_key(codebook)
    assert key.startswith("tiny-0.1-")
    moved = tmp_path / "moved.yml"
    moved.write_text("# a comment\n" + CODEBOOK, encoding="utf-8")
    assert cache_key(moved) == key  # same frames and terms: same scores
    assert cache_key("ai") != key
    monkeypatch.setattr(fl, "__version__", "99.0")
    assert cache_key(codebook) != key
    monkeypatch.undo()
    monkeypatch.setattr(scores_module, "SCORES_SCHEMA_VERSION", 99)
    assert cache_key(codebook) != key


def test_an_upgrade_of_a_lexicon_package_changes_the_cache_key(codebook, monkeypatch):
    # a new TextBlob (or VADER, or nupunkt) may score the same text differently: its
    # scores must not be mixed with the old ones in one cache folder
    import importlib.metadata

    from framelens import versions

    key = cache_key(codebook)
    real = importlib.metadata.version
    for package in ("textblob", "vaderSentiment", "nupunkt"):
        monkeypatch.setattr(versions.importlib.metadata, "version",
                            lambda name, p=package: "999.0" if name == p else real(name))
        scores_module.code_fingerprint.cache_clear()
        assert versions.scoring_versions()[package] == "999.0"
        assert cache_key(codebook) != key, package
        monkeypatch.undo()
        scores_module.code_fingerprint.cache_clear()
    assert cache_key(codebook) == key  # and back: the same versions give the same key


def test_the_code_fingerprint_covers_every_module_scoring_imports():
    # a module that decides scores but is not hashed would let a cache outlive its rules
    import ast

    root = Path(scores_module.__file__).parent
    seen, todo = set(), ["scores"]
    while todo:
        name = todo.pop()  # a path under framelens/: "actors", "models/tone"
        if name in seen:
            continue
        seen.add(name)
        source = root / f"{name}.py"
        if not source.is_file():  # a package: its __init__
            source = root / name / "__init__.py"
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 \
                    and (node.module or "").startswith("framelens."):
                todo.append("/".join(node.module.split(".")[1:]))
    # errors only names the exceptions, columns only refuses tables, files only writes
    # finished tables as CSV; the
    # others are imported inside functions that do not score (reading a corpus, finding
    # duplicates)
    hashed = {*scores_module.SCORING_MODULES, *scores_module.ACTOR_SCORING_MODULES,
              *scores_module.FRAMES_SCORING_MODULES}
    assert seen - {"errors", "columns", "files", "duplicates"} <= hashed
    assert {"pattern", "vader"} <= set(scores_module.SCORING_MODULES)
    assert {"actors", "models/runtime", "models/tone"} <= set(
        scores_module.ACTOR_SCORING_MODULES)


def test_a_corrupt_chunk_is_removed_and_its_articles_computed_again(tmp_path, codebook,
                                                                     corpus, calls, caplog):
    cold = score_corpus(corpus, codebook=codebook, cache=tmp_path, chunk_size=2)
    folder = tmp_path / cache_key(codebook)
    chunks = sorted(folder.glob("*.scores.parquet"))
    bad = chunks[0]
    n_bad = len(pd.read_parquet(bad))
    bad.write_bytes(bad.read_bytes()[:100])  # a truncated file
    with caplog.at_level(logging.WARNING, logger="framelens.scores"):
        again = score_corpus(corpus, codebook=codebook, cache=tmp_path, chunk_size=2)
    assert "cannot read this cache chunk" in caplog.text and bad.name in caplog.text
    assert calls == [2, 2, 1, n_bad]
    assert_same(cold, again)
    assert len(list(folder.glob("*.scores.parquet"))) == len(chunks)


def test_a_chunk_missing_its_terms_file_is_computed_again(tmp_path, codebook, corpus, calls):
    score_corpus(corpus, codebook=codebook, cache=tmp_path)
    next((tmp_path / cache_key(codebook)).glob("*.terms.parquet")).unlink()
    result = score_corpus(corpus, codebook=codebook, cache=tmp_path)
    assert calls == [5, 5]
    assert len(result.terms)


def test_a_write_killed_midway_leaves_no_chunk_behind(tmp_path, codebook, corpus,
                                                      monkeypatch):
    real = pd.DataFrame.to_parquet

    def dies_midway(self, path, **options):
        Path(path).write_bytes(b"PAR1 half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_parquet", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        score_corpus(corpus, codebook=codebook, cache=tmp_path)
    folder = tmp_path / cache_key(codebook)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json"]
    monkeypatch.setattr(pd.DataFrame, "to_parquet", real)
    assert_same(score_corpus(corpus, codebook=codebook, cache=tmp_path),
                score_articles(corpus, codebook=codebook))


def test_progress_counts_articles_done(tmp_path, codebook, corpus):
    seen: list[tuple[int, int]] = []
    score_corpus(corpus.iloc[:3], codebook=codebook, cache=tmp_path, chunk_size=2,
                 progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (2, 3), (3, 3)]
    seen.clear()
    score_corpus(corpus, codebook=codebook, cache=tmp_path, chunk_size=2,
                 progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 5), (5, 5)]


def test_the_log_says_how_many_were_cached_and_computed(tmp_path, codebook, corpus, caplog):
    score_corpus(corpus.iloc[:2], codebook=codebook, cache=tmp_path)
    with caplog.at_level(logging.INFO, logger="framelens.scores"):
        score_corpus(corpus, codebook=codebook, cache=tmp_path)
    assert "5 article(s): 2 from the cache, 3 computed in 1 chunk(s)" in caplog.text


def test_an_empty_table_gives_empty_tables(codebook):
    result = score_corpus(_articles(_story(0)).iloc[:0], codebook=codebook)
    assert result.scores.empty and result.terms.empty and result.voices.empty
    assert "hits_cooperation" in result.scores.columns


@pytest.mark.parametrize("chunk_size", [0, 1.5, True])
def test_a_bad_chunk_size_is_refused(codebook, corpus, chunk_size):
    with pytest.raises(OptionError, match="chunk_size"):
        score_corpus(corpus, codebook=codebook, chunk_size=chunk_size)


# --- scores files ----------------------------------------------------------------------


def test_a_scores_file_reads_back_the_same_tables_and_its_metadata(tmp_path, codebook, corpus):
    scored = score_corpus(corpus, codebook=codebook)
    paths = scored.to_parquet(tmp_path / "scores.parquet", metadata={"input": "corpus.jsonl"})
    assert [p.name for p in paths.values()] == [
        "scores.parquet", "scores.terms.parquet", "scores.voices.parquet"]
    back = read_scores(tmp_path / "scores.parquet")
    assert_same(back, scored)
    assert back.metadata["input"] == "corpus.jsonl"
    assert back.metadata["n_articles"] == 5 and back.metadata["framelens"] == fl.__version__
    assert fl.is_scores_file(tmp_path / "scores.parquet")
    assert not fl.is_scores_file(tmp_path / "scores.terms.parquet")


def test_a_parquet_table_that_is_not_a_scores_file_is_refused(tmp_path, corpus):
    corpus.to_parquet(tmp_path / "articles.parquet")
    assert not fl.is_scores_file(tmp_path / "articles.parquet")
    with pytest.raises(InputError, match="not a framelens scores file"):
        read_scores(tmp_path / "articles.parquet")


def test_scores_files_of_two_runs_are_not_mixed(tmp_path, codebook, corpus):
    scored = score_corpus(corpus.head(2), codebook=codebook)
    scored.to_parquet(tmp_path / "a.parquet")
    scored.to_parquet(tmp_path / "b.parquet")
    (tmp_path / "b.terms.parquet").replace(tmp_path / "a.terms.parquet")
    with pytest.raises(InputError, match="different runs"):
        read_scores(tmp_path / "a.parquet")
    with pytest.raises(InputError, match="no such file"):
        read_scores(tmp_path / "b.parquet")


def test_a_failed_write_keeps_the_previous_scores_file(tmp_path, codebook, corpus,
                                                        monkeypatch):
    scored = score_corpus(corpus.head(2), codebook=codebook)
    scored.to_parquet(tmp_path / "scores.parquet")

    def broken(self, piece):
        raise OSError("disk full")

    monkeypatch.setattr(scores_module.ScoresWriter, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        score_corpus(corpus, codebook=codebook).to_parquet(tmp_path / "scores.parquet")
    assert len(read_scores(tmp_path / "scores.parquet").scores) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "scores.parquet", "scores.terms.parquet", "scores.voices.parquet", "tiny.yml"]


def test_scores_are_checked_against_the_codebook_they_are_compared_with(codebook, corpus):
    scored = score_corpus(corpus.head(1), codebook=codebook)
    assert scored.checked(codebook) is scored
    with pytest.raises(OptionError, match="computed with codebook tiny 0.1, not ai"):
        scored.checked("ai")


# --- the shared corpus ---------------------------------------------------------------


def test_allsides_sample_reads_back_from_the_cache_unchanged(tmp_path, allsides_path, calls):
    arts = fl.read_articles(allsides_path, text="content_original", outlet="source",
                            id="ID").head(30)
    start = time.perf_counter()
    cold = score_corpus(arts, codebook="ai", cache=tmp_path, chunk_size=10)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    warm = score_corpus(arts, codebook="ai", cache=tmp_path, chunk_size=10)
    log.info("allsides, 30 articles: cold %.1f s, warm %.2f s", cold_s,
             time.perf_counter() - start)
    assert calls == [10, 10, 10]
    assert_same(cold, warm)
    assert (cold.scores["status"] == "ok").all()
    assert cold.scores["source"].equals(arts["source"])  # AllSides' outlet column, kept


# --- actor tone -------------------------------------------------------------------------

ACTOR_STORIES = [
    "Huawei said the Commerce Department had treated it unfairly. Xi Jinping praised "
    "Huawei engineers for their work.",
    "Apple reported record profits. Tim Cook thanked loyal customers. Regulators fined "
    "Google for abusing its dominance.",
    "The weather was mild and pleasant in the valley this week, residents said.",
    "Beijing accused Washington of bullying TikTok. ByteDance denied the claims.",
]
ACTORS = """\
name: tiny-actors
version: "0.1"
actors:
  huawei:
    label: Huawei
    names: [Huawei]
  us_government:
    label: US government
    names: [Commerce Department, Washington]
    exclude: [Washington Post]
"""
ACTOR_DTYPES = {"article_id": "str", "actor": "str", "label": "str", "mentions": "int64",
                "share_negative": "float64", "share_neutral": "float64",
                "share_positive": "float64", "net_tone": "float64", "mean_tone": "float64",
                "in_headline": "bool", "in_lead": "bool", "most_negative": "str",
                "most_negative_tone": "float64", "most_positive": "str",
                "most_positive_tone": "float64"}


@pytest.fixture
def actor_corpus() -> pd.DataFrame:
    return _articles(*ACTOR_STORIES, titles=["Huawei hits back", "Apple results", "Weather",
                                             "TikTok row"])


@pytest.fixture
def actor_list(tmp_path) -> Path:
    path = tmp_path / "tiny-actors.yml"
    path.write_text(ACTORS, encoding="utf-8")
    return path


def assert_same_with_actors(left: CorpusScores, right: CorpusScores) -> None:
    assert_same(left, right)
    pd.testing.assert_frame_equal(left.actors, right.actors)


def test_actor_tone_has_one_row_per_article_and_actor_with_stable_dtypes(codebook,
                                                                         actor_corpus):
    from framelens.actors import ACTOR_TONE_COLUMNS

    actors = score_articles(actor_corpus, codebook=codebook, actors="china-tech").actors
    assert list(actors.columns) == ACTOR_TONE_COLUMNS
    assert {c: str(t) for c, t in actors.dtypes.items()} == ACTOR_DTYPES
    assert set(actors["article_id"]) == {"a", "b", "d"}  # article ids, not content keys
    huawei = actors.set_index(["article_id", "actor"]).loc[("a", "huawei")]
    assert huawei["mentions"] == 3 and huawei["in_headline"] and huawei["label"] == "Huawei"
    assert not actors[["article_id", "actor"]].duplicated().any()
    empty = score_articles(actor_corpus, codebook=codebook).actors
    assert empty.empty and {c: str(t) for c, t in empty.dtypes.items()} == ACTOR_DTYPES
    assert {c: str(t) for c, t in CorpusScores(*[pd.DataFrame()] * 3).actors.dtypes.items()
            } == ACTOR_DTYPES


def test_actor_tone_is_the_same_in_one_chunk_or_several_and_from_the_cache(
        tmp_path, codebook, actor_corpus, calls):
    one = score_articles(actor_corpus, codebook=codebook, actors="china-tech")
    several = score_corpus(actor_corpus, codebook=codebook, actors="china-tech",
                           cache=tmp_path, chunk_size=1)
    assert calls == [1, 1, 1, 1]  # four chunks
    calls.clear()
    warm = score_corpus(actor_corpus, codebook=codebook, actors="china-tech", cache=tmp_path,
                        chunk_size=1)
    assert calls == []  # nothing computed: every table came from the cache
    assert_same_with_actors(several, one)
    assert_same_with_actors(warm, one)
    assert len(one.actors) >= 5
    folder = tmp_path / cache_key(codebook, actors="china-tech")
    assert len(list(folder.glob("*.actors.parquet"))) == 4


def test_an_articles_actor_tone_does_not_depend_on_the_articles_beside_it(codebook,
                                                                         actor_corpus):
    # the int8 model quantises a batch as a whole: mentions are scored one at a time
    together = score_articles(actor_corpus, codebook=codebook, actors="china-tech").actors
    alone = score_articles(actor_corpus.iloc[[3]], codebook=codebook, actors="china-tech")
    pd.testing.assert_frame_equal(
        together[together["article_id"] == "d"].reset_index(drop=True), alone.actors)


def test_without_actors_nothing_changes_and_no_model_runs(tmp_path, codebook, actor_corpus,
                                                           monkeypatch):
    with_actors = score_corpus(actor_corpus, codebook=codebook, actors="china-tech")

    def refuse(*args, **kwargs):
        raise AssertionError("the tone model ran without actors")

    import framelens.actors
    import framelens.models.tone

    monkeypatch.setattr(framelens.models.tone, "load_tone_model", refuse)
    monkeypatch.setattr(framelens.actors, "find_mentions", refuse)
    without = score_corpus(actor_corpus, codebook=codebook, cache=tmp_path)
    assert_same(without, with_actors)  # scores, terms and voices
    assert without.actors.empty and without.metadata == {}
    assert sorted(p.name.split(".")[1] for p in
                  (tmp_path / cache_key(codebook)).glob("chunk-*")) == ["scores", "terms",
                                                                         "voices"]


def test_without_actors_the_cache_key_is_what_it_was(codebook):
    import hashlib
    import json

    from framelens.codebook import load_codebook

    book = load_codebook(codebook)
    payload = json.dumps({"codebook": {**scores_module.dataclasses.asdict(book), "path": ""},
                          "framelens": fl.__version__,
                          "code": scores_module.code_fingerprint(),
                          "schema": scores_module.SCORES_SCHEMA_VERSION}, sort_keys=True)
    before = f"tiny-0.1-{hashlib.sha256(payload.encode()).hexdigest()[:16]}"
    assert cache_key(codebook) == cache_key(codebook, actors=None) == before
    assert cache_key(codebook, actors="china-tech").startswith("tiny-0.1-china-tech-")


def test_the_cache_key_follows_the_actor_lists_content_not_its_path(tmp_path, codebook,
                                                                    actor_list, monkeypatch):
    key = cache_key(codebook, actors=actor_list)
    assert key != cache_key(codebook) and key != cache_key(codebook, actors="china-tech")
    moved = tmp_path / "elsewhere" / "renamed.yaml"
    moved.parent.mkdir()
    moved.write_text("# a comment\n" + ACTORS, encoding="utf-8")
    assert cache_key(codebook, actors=moved) == key
    for old, new in (("[Huawei]", "[Huawei, Ren Zhengfei]"), ("label: Huawei", "label: HW"),
                     ("[Washington Post]", "[Washington Times]"), ('"0.1"', '"0.2"')):
        actor_list.write_text(ACTORS.replace(old, new), encoding="utf-8")
        assert cache_key(codebook, actors=actor_list) != key, new
    actor_list.write_text(ACTORS, encoding="utf-8")
    import types

    import framelens.models.tone

    other = types.SimpleNamespace(sha256="0" * 64, max_length=128)
    monkeypatch.setattr(framelens.models.tone, "load_tone_model", lambda path=None: other)
    assert cache_key(codebook, actors=actor_list) != key  # another tone model


def test_a_scores_file_with_actors_reads_back_with_its_actors_and_their_provenance(
        tmp_path, codebook, actor_corpus):
    scored = score_corpus(actor_corpus, codebook=codebook, actors="china-tech")
    paths = scored.to_parquet(tmp_path / "scores.parquet")
    assert [p.name for p in paths.values()] == [
        "scores.parquet", "scores.terms.parquet", "scores.voices.parquet",
        "scores.actors.parquet"]
    back = read_scores(tmp_path / "scores.parquet")
    assert_same_with_actors(back, scored)
    meta = back.metadata
    assert (meta["actors"]["name"], meta["actors"]["version"]) == ("china-tech", "1.0.0")
    assert len(meta["actors"]["sha256"]) == len(meta["tone_model"]["sha256"]) == 64
    from framelens.models.tone import tone_model_info

    assert meta["tone_model"]["sha256"] == tone_model_info()["sha256"]
    assert meta["actors_key"] == cache_key(codebook, actors="china-tech")


def test_a_scores_file_without_actors_reads_back_with_an_empty_actors_table(
        tmp_path, codebook, actor_corpus):
    with_actors = score_corpus(actor_corpus.head(2), codebook=codebook, actors="china-tech")
    with_actors.to_parquet(tmp_path / "scores.parquet")
    # written again without actors (as an older framelens writes): no stale actors file
    score_corpus(actor_corpus.head(2), codebook=codebook).to_parquet(tmp_path / "scores.parquet")
    assert not (tmp_path / "scores.actors.parquet").exists()
    back = read_scores(tmp_path / "scores.parquet")
    assert back.actors.empty and "actors" not in back.metadata
    assert {c: str(t) for c, t in back.actors.dtypes.items()} == ACTOR_DTYPES


def test_scores_with_actors_missing_their_actors_file_are_refused(tmp_path, codebook,
                                                                  actor_corpus):
    score_corpus(actor_corpus.head(1), codebook=codebook, actors="china-tech").to_parquet(
        tmp_path / "scores.parquet")
    (tmp_path / "scores.actors.parquet").unlink()
    with pytest.raises(InputError, match="no such file"):
        read_scores(tmp_path / "scores.parquet")


def test_an_unknown_or_malformed_actor_list_and_a_corrupt_model_are_refused(
        tmp_path, codebook, actor_corpus):
    from framelens.errors import ActorListError, ModelError

    with pytest.raises(ActorListError, match="no shipped actor list"):
        score_corpus(actor_corpus, codebook=codebook, actors="no-such-list")
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nversion: '1'\nactors:\n  a:\n    names: [ok, [nested]]\n")
    with pytest.raises(ActorListError, match="line 5"):
        score_corpus(actor_corpus, codebook=codebook, actors=bad)
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.json").write_text('{"labels": ["negative", "neutral", "positive"]}')
    with pytest.raises(ModelError, match="missing"):
        score_corpus(actor_corpus, codebook=codebook, actors="china-tech", tone_model=model)


# --- learned frames ----------------------------------------------------------------------


def test_learned_frames_add_probabilities_and_decide_use(learned_frames):
    from conftest import ECONOMIC, OTHER

    import framelens as fl
    from framelens.models.frames import load_frame_model

    articles = pd.DataFrame({"article_id": ["money", "weather"],
                             "title": ["Costs soar", "Snow again"],
                             "text": [" ".join(ECONOMIC), " ".join(OTHER)]})
    plain = fl.score_articles(articles, codebook="generic").scores.set_index("article_id")
    scored = fl.score_articles(articles, codebook="generic", frames=learned_frames)
    learned = scored.scores.set_index("article_id")
    assert "prob_economic" not in plain.columns
    assert learned.loc["money", "prob_economic"] > 0.5 > learned.loc["weather",
                                                                     "prob_economic"]
    assert bool(learned.loc["money", "used_economic"]) and \
        not bool(learned.loc["weather", "used_economic"])
    # a frame the model did not learn keeps the dictionary's decision; evidence is unchanged
    assert learned["prob_morality"].isna().all()
    assert learned["used_morality"].tolist() == plain["used_morality"].tolist()
    assert learned["hits_economic"].tolist() == plain["hits_economic"].tolist()
    model = load_frame_model(learned_frames)
    assert scored.metadata["frames"]["sha256"] == model.sha256
    key = fl.cache_key("generic", frames=learned_frames)
    assert key != fl.cache_key("generic") and "-learned-" in key


def test_scores_without_the_learned_frames_are_refused_for_them(learned_frames):
    import framelens as fl

    articles = pd.DataFrame({"article_id": ["a"], "text": ["Prices rose and the economy slowed."]})
    plain = fl.score_articles(articles, codebook="generic")
    with pytest.raises(fl.OptionError, match="without learned frames"):
        plain.checked("generic", frames=learned_frames)
    framed = fl.score_articles(articles, codebook="generic", frames=learned_frames)
    assert framed.checked("generic", frames=learned_frames) is framed
