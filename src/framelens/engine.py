"""Running the scoring of a corpus file at scale: chunked streaming, worker processes, Dask,
resume.

This module owns ``framelens score`` (:func:`score_file`): a corpus file or folder of any
size in, a scores file out (``scores.parquet`` and its siblings, see
:mod:`framelens.scores`), with memory that stays flat however large the corpus is.

How a run goes:

1. **Plan.** :func:`framelens.corpus.plan_chunks` cuts the corpus into chunks of
   ``chunk_size`` articles without loading it (byte ranges of JSON Lines and CSV files,
   row ranges of Parquet files, lists of article files) and counts the articles for the
   progress bar. By default chunks hold 1,000 articles, fewer in a corpus of less than
   8,000 (:func:`auto_chunk_size`: about 8 chunks, at least 250 articles each), so that
   a small corpus still keeps several workers busy. The chunking depends on the corpus
   alone, not on the number of jobs, so a run resumed with other ``--jobs`` keeps its
   finished parts.
2. **Score.** Each chunk is read and scored (:func:`framelens.scores.score_articles`) by
   a worker, which writes the chunk's tables as a *part* in the work folder beside the
   output. The ``local`` engine runs ``jobs`` worker processes (one chunk each at a time,
   a few chunks queued, so memory stays flat; ``jobs=1`` scores in this process). The
   ``dask`` engine runs the same chunks as the partitions of a Dask DataFrame
   (:func:`dask.dataframe.from_map`) on a ``dask.distributed`` cluster: a new
   ``LocalCluster`` of ``workers`` processes, or the scheduler at ``scheduler``.
3. **Merge.** The parts are streamed, in corpus order, through Parquet writers into
   temporary files that are renamed into place at the end; ids repeated across chunks
   get their suffix here, as :func:`framelens.read_articles` gives it.
4. **Clean up.** The work folder is removed.

The part protocol, shared by both engines::

    scores.parquet.parts/
        <chunk index>-<hash>.terms.parquet
        <chunk index>-<hash>.voices.parquet
        <chunk index>-<hash>.actors.parquet     with an actor list only
        <chunk index>-<hash>.scores.parquet     written last: the part exists once this does

``<hash>`` hashes the chunk's content and how it is read (:class:`ArticleChunk.digest`)
with :func:`framelens.scores.cache_key` (codebook, framelens code, schema; with an actor
list, its content and the tone model's SHA-256); each file is written to a temporary
name and renamed. A run that is killed (``kill -9``, Ctrl-C,
a lost node) keeps its finished parts; the same command run again computes only the
missing ones, and the output has every article once. Parts of another corpus,
codebook or framelens are not reused. A finished output whose input, codebook,
framelens and column mapping are unchanged is *up to date* and nothing is computed.

The results do not depend on the engine, the number of jobs or workers, or the chunk
size: the output equals ``score_corpus(read_articles(corpus), codebook=...)`` written
with :meth:`CorpusScores.to_parquet`.

**Actor tone** (``actors=``, ``framelens score --actors LIST``) adds the
``.actors.parquet`` table, computed by each worker in the same pass as the rest. The tone
model is loaded lazily, once per worker process, with one onnxruntime thread (a worker
per core); it travels to the workers as its folder, never as a loaded session.

**Dask on a remote cluster**: every worker must see the corpus and the output folder at
the same absolute paths as the machine that runs ``framelens score`` (a shared
filesystem: NFS, a cluster's scratch space), and run the same framelens version (a
worker with another version refuses the work; one whose scoring code was edited after the
run started says so in a warning).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import logging.handlers
import multiprocessing
import os
import shutil
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from os import PathLike
from pathlib import Path
from typing import Literal, TextIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framelens.actors import ActorList, load_actors
from framelens.codebook import Codebook, load_codebook
from framelens.corpus import (
    ArticleChunk,
    ChunkPlan,
    HtmlPolicy,
    IdRegistry,
    dedupe_ids,
    fingerprint,
    plan_chunks,
    read_chunk,
)
from framelens.errors import FramelensError, InputError, OptionError, OutputError
from framelens.files import check_output_folder
from framelens.scores import (
    SCORES_SCHEMA_VERSION,
    CorpusScores,
    ScoresWriter,
    actor_metadata,
    cache_key,
    code_fingerprint,
    empty_schemas,
    file_metadata,
    frames_metadata,
    is_framelens_file,
    learned_frames,
    parquet_ready,
    score_articles,
    scores_files,
    table_schema,
    write_atomic,
)
from framelens.versions import framelens_version

__all__ = ["ScoreRun", "score_file"]

log = logging.getLogger(__name__)

Engine = Literal["local", "dask"]
ProgressMode = bool | Literal["bar", "log"]
#: the scores column that carries an article's id as read until the merge
_RAW_ID = "_framelens_raw_id"
# scores last: it marks the part complete
_TABLES = ("terms", "voices", "scores")
_ACTOR_TABLES = ("terms", "voices", "actors", "scores")


@dataclasses.dataclass(frozen=True)
class ScoreRun:
    """What :func:`score_file` did.

    Attributes
    ----------
    files : ``{"scores": path, "terms": ..., "voices": ...}`` (and ``"actors"``), the
        scores file.
    n_articles : articles in the corpus (rows of the scores table).
    n_chunks : chunks of the corpus (0 when up to date: it was not read); ``n_computed``
        of them were scored now, the others came from the parts of an interrupted run.
    up_to_date : True when the output was already up to date and nothing was done.
    seconds : time taken.
    """

    files: dict[str, Path]
    n_articles: int
    n_chunks: int
    n_computed: int
    up_to_date: bool
    seconds: float

    def summary(self) -> str:
        """One line for the command line."""
        if self.up_to_date:
            same = "codebook, actor list, tone model" if "actors" in self.files else "codebook"
            return (f"{self.files['scores']} is up to date ({self.n_articles:,} articles; same "
                    f"corpus, {same}, column mapping and framelens)")
        reused = self.n_chunks - self.n_computed
        rate = self.n_articles / self.seconds if self.seconds else float("nan")
        return (f"{self.n_articles:,} articles scored in {_duration(self.seconds)} "
                f"({rate:,.1f} articles/s): {self.n_computed} chunk(s) computed"
                + (f", {reused} kept from an interrupted run" if reused else ""))


# --- the parts --------------------------------------------------------------------------


class _BrokenPart(Exception):
    """A file of a finished chunk's part set cannot be read (damaged on disk)."""

    def __init__(self, chunk: ArticleChunk, path: Path, error: Exception) -> None:
        super().__init__(f"{path}: {error}")
        self.chunk, self.path, self.error = chunk, path, error


class _Parts:
    """The work folder of finished chunks (see the module docstring); ``actors``: the
    parts hold an actors table."""

    def __init__(self, folder: str | PathLike, key: str, *, actors: bool = False) -> None:
        self.folder = Path(folder)
        self.key = key
        self.tables = _ACTOR_TABLES if actors else _TABLES

    def name(self, chunk: ArticleChunk) -> str:
        digest = hashlib.sha256(f"{chunk.digest}\0{self.key}".encode()).hexdigest()[:16]
        return f"{chunk.index:06d}-{digest}"

    def paths(self, chunk: ArticleChunk) -> dict[str, Path]:
        name = self.name(chunk)
        return {t: self.folder / f"{name}.{t}.parquet" for t in self.tables}

    def done(self, chunk: ArticleChunk) -> bool:
        """True when every file of the chunk's part set is there and readable (its Parquet
        footer); a set with a file missing or cut short is scored again by itself."""
        for path in self.paths(chunk).values():
            try:
                pq.read_metadata(path)
            except (OSError, ValueError, pa.ArrowException):
                return False
        return True

    def remove(self, chunk: ArticleChunk) -> None:
        """Delete the chunk's part set (a file of it is unreadable)."""
        for path in self.paths(chunk).values():
            path.unlink(missing_ok=True)

    def write(self, chunk: ArticleChunk, piece: CorpusScores) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        paths = self.paths(chunk)
        for table in self.tables:
            frame = getattr(piece, table)
            write_atomic(paths[table], lambda tmp, f=frame: f.to_parquet(tmp, index=False))

    def read(self, chunk: ArticleChunk, table: str) -> pa.Table:
        path = self.paths(chunk)[table]
        try:
            return pq.read_table(path)
        except (OSError, ValueError, pa.ArrowException) as e:
            raise _BrokenPart(chunk, path, e) from e


    def prune(self, chunks: Sequence[ArticleChunk]) -> int:
        """Delete the files that belong to no chunk of this run (another corpus, codebook
        or framelens, or temporary files of a killed writer); return how many."""
        if not self.folder.is_dir():
            return 0
        keep = {".lock"} | {p.name for c in chunks for p in self.paths(c).values()}
        stale = [p for p in self.folder.iterdir() if p.is_file() and p.name not in keep]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)


@dataclasses.dataclass(frozen=True)
class _ChunkWork:
    """What a worker needs to score a chunk (picklable): the codebook, the actor list and
    the tone model's folder (None: none, the shipped one), the work folder, and what
    planned the run (its cache key, framelens version and code fingerprint)."""

    codebook: Codebook
    folder: str
    key: str
    version: str
    code: str
    actors: ActorList | None = None
    tone_model: str | None = None
    frames: object = None

    @property
    def options(self) -> dict:
        """The actor and learned-frames options of :func:`score_articles`."""
        options = {} if self.frames is None else {"frames": self.frames}
        if self.actors is None:
            return options
        return {**options, "actors": self.actors, "tone_model": self.tone_model}

    def __call__(self, chunk: ArticleChunk) -> int:
        return _score_chunk(chunk, self)


def _run_code(*, actors: bool) -> str:
    """The fingerprint of the code a run scores with: the scoring code, and the actor
    code when it scores actors."""
    code = code_fingerprint()
    return f"{code}+{code_fingerprint(actors=True)}" if actors else code


def _score_chunk(chunk: ArticleChunk, work: _ChunkWork) -> int:
    """Read, score and keep one chunk as a part; the work of both engines. Returns the
    chunk's number of articles."""
    parts = _Parts(work.folder, work.key, actors=work.actors is not None)
    if parts.done(chunk):  # a retried task, or another run of the same command
        return chunk.n_articles
    if work.actors is not None:  # workers run one per core: one thread each
        from framelens.models.tone import set_default_threads

        set_default_threads(1)
    _check_worker(work)
    articles = read_chunk(chunk)
    raw_ids = articles["article_id"]
    # unique within the chunk, for scoring; the merge makes them unique across chunks
    articles["article_id"] = dedupe_ids(raw_ids, where=None)
    try:
        piece = score_articles(articles, codebook=work.codebook, **work.options)
    except InputError as e:
        raise InputError(f"{chunk.rows} (chunk {chunk.index}): {e.problem}",
                         path=chunk.source, fix=e.fix) from e
    except Exception as e:
        raise _failure(chunk, articles, work, e) from e
    scores = parquet_ready(piece.scores, where=f"{chunk.source}, {chunk.rows}")
    scores = scores.assign(**{_RAW_ID: raw_ids.to_numpy()})
    parts.write(chunk, dataclasses.replace(piece, scores=scores))
    return chunk.n_articles


_warned_code: set[str] = set()


def _check_worker(work: _ChunkWork) -> None:
    """Refuse to score with another framelens version than the one that planned the run;
    warn (once per process) when only its code differs: edited since the run started."""
    if framelens_version() != work.version:
        raise FramelensError(
            f"this worker runs framelens {framelens_version()} ({Path(__file__).parent}), "
            f"not {work.version} as the machine that started the run: install the same "
            "framelens on every worker.")
    code = _run_code(actors=work.actors is not None)
    if code != work.code and code not in _warned_code:
        _warned_code.add(code)
        log.warning("this worker's framelens code (%s) differs from the code that started "
                    "the run: it was edited since. Its chunks are scored by the edited code; "
                    "run `framelens score --force` once the code is settled.",
                    Path(__file__).parent)


def _failure(chunk: ArticleChunk, articles: pd.DataFrame, work: _ChunkWork,
             error: Exception) -> FramelensError:
    """The error of a chunk that failed, naming its rows and the first article that fails
    alone (found by halving the chunk: an article's scores do not depend on the others)."""
    rows = articles
    while len(rows) > 1:
        half = rows.iloc[:len(rows) // 2]
        try:
            score_articles(half, codebook=work.codebook, **work.options)
        except Exception:  # noqa: BLE001 - the failing article is in this half, whatever it raises
            rows = half
        else:
            rows = rows.iloc[len(rows) // 2:]
    culprit = ""
    if len(rows) == 1:
        try:
            score_articles(rows, codebook=work.codebook, **work.options)
        except Exception:  # noqa: BLE001
            row = rows.iloc[0]
            culprit = f" at {row['origin']} (article_id {row['article_id']!r})"
    return FramelensError(
        f"{chunk.source}, {chunk.rows} (chunk {chunk.index}): scoring failed{culprit}: "
        f"{type(error).__name__}: {error}")


# --- progress -----------------------------------------------------------------------------


class _Progress:
    """Articles done out of the total: a tqdm bar, log lines, or nothing."""

    def __init__(self, mode: ProgressMode, *, total: int, done: int,
                 stream: TextIO | None = None, every: float = 30.0) -> None:
        self.stream = stream or sys.stderr
        if mode is True:
            mode = "bar" if getattr(self.stream, "isatty", lambda: False)() else "log"
        self.mode = mode
        self.total, self.done, self.start_done = total, done, done
        self.started = self.last = time.monotonic()
        self.every = every
        self.bar = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit=" articles", file=self.stream,
                            desc="scoring", dynamic_ncols=True, smoothing=0.05)
        elif mode == "log" and done:
            self._line(f"{done:,} of {total:,} articles kept from an interrupted run")

    def update(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.mode == "log":
            now = time.monotonic()
            if now - self.last >= self.every or self.done >= self.total:
                self.last = now
                self._line(self._status(now))

    def _status(self, now: float) -> str:
        elapsed = now - self.started
        rate = (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        share = self.done / self.total if self.total else 1.0
        return (f"{self.done:,}/{self.total:,} articles ({share:.0%}) in {_duration(elapsed)}, "
                f"{rate:,.1f} articles/s, {_duration(left)} left")

    def _line(self, text: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        print(f"{stamp} framelens score: {text}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    if not np.isfinite(seconds):
        return "?"
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# --- the local engine ---------------------------------------------------------------------


def _init_worker(queue: multiprocessing.Queue, level: int, main: int) -> None:
    """A worker process sends its log records to the main process (which prints them above
    the progress bar), and exits when the main process dies (``kill -9``) instead of
    lingering: its parent is the fork server, which lives as long as its workers do."""
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(queue)]
    root.setLevel(level)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(main, 0)
            except OSError:  # gone (or its number taken by another user's process)
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class _Forward(logging.Handler):
    """Hand a worker's record to this process's logger of the same name."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)


def _forkserver() -> multiprocessing.context.BaseContext:
    """The context that starts the local workers: forked from a server process that has
    imported the scoring code once (this process may hold threads, which ``fork`` does
    not copy safely)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["framelens.analysis", "framelens.engine"])
    return context


def _run_local(todo: Sequence[ArticleChunk], work: _ChunkWork, *,
               jobs: int, progress: _Progress) -> None:
    if jobs == 1 or len(todo) <= 1:
        for chunk in todo:
            progress.update(work(chunk))
        return
    context = _forkserver()
    queue = context.Queue()
    listener = logging.handlers.QueueListener(queue, _Forward())
    listener.start()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                               initargs=(queue, logging.getLogger().getEffectiveLevel(),
                                         os.getpid()))
    try:
        chunks = iter(todo)
        pending: set[Future] = set()
        for chunk in chunks:  # a few chunks queued per worker: memory stays flat
            pending.add(pool.submit(work, chunk))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                progress.update(future.result())
                chunk = next(chunks, None)
                if chunk is not None:
                    pending.add(pool.submit(work, chunk))
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # the chunks they are scoring are lost, the parts are not
            process.terminate()
        raise
    else:
        pool.shutdown()
    finally:
        listener.stop()
        queue.close()


# --- the Dask engine -----------------------------------------------------------------------


def _score_partition(chunk: ArticleChunk, *, work: _ChunkWork) -> pd.DataFrame:
    """One Dask partition: score the chunk into its part; return what was done."""
    n = _score_chunk(chunk, work)
    return pd.DataFrame({"chunk": [chunk.index], "n_articles": [n]})


def _run_dask(todo: Sequence[ArticleChunk], work: _ChunkWork, *, scheduler: str | None,
              workers: int | None, progress: _Progress) -> None:
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster, as_completed

    if scheduler:
        cluster, client = None, Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None,
                               silence_logs=logging.WARNING)
        client = Client(cluster)
    try:
        meta = pd.DataFrame({"chunk": pd.Series(dtype="int64"),
                             "n_articles": pd.Series(dtype="int64")})
        frame = dd.from_map(_score_partition, list(todo), work=work, meta=meta,
                            enforce_metadata=False, label="framelens-score")
        futures = client.compute(frame.to_delayed())
        try:
            for future in as_completed(futures):
                progress.update(int(future.result()["n_articles"].sum()))
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- the merge -----------------------------------------------------------------------------


def _signature(frame: pd.DataFrame) -> tuple:
    """What decides the dtypes of a concatenation: columns, dtypes, all-missing columns."""
    return tuple((c, str(frame[c].dtype), bool(frame[c].isna().all())) for c in frame.columns)


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    """A few rows with the frame's :func:`_signature`: the first, and the first non-missing
    one of each column."""
    rows = {0}
    for column in frame.columns:
        present = frame[column].notna().to_numpy()
        if present.any():
            rows.add(int(present.argmax()))
    return frame.iloc[sorted(rows)]


def _merge(plan: ChunkPlan, parts: _Parts, out: Path, metadata: dict) -> dict[str, Path]:
    """Stream the parts, in corpus order, into the scores file (see the module docstring).

    A first pass over the parts' scores gives every article its final id and finds the
    columns and dtypes of the whole table (a folder's files may have different header
    keys, a JSON Lines chunk may lack a key); the second writes."""
    registry = IdRegistry()
    renames: list[dict[str, str]] = []
    samples: dict[tuple, pd.DataFrame] = {}
    for chunk in plan.chunks:
        scores = parts.read(chunk, "scores").to_pandas()
        raw = pd.Series(scores.pop(_RAW_ID).to_numpy(), index=pd.RangeIndex(chunk.start,
                                                                            chunk.stop))
        ids = registry.assign(raw.astype("str"), where=plan.source).to_numpy()
        local = scores["article_id"].to_numpy()
        changed = ids != local
        renames.append(dict(zip(local[changed], ids[changed])))
        samples.setdefault(_signature(scores), _sample(scores))
    if registry.clashes:
        raise InputError(
            f"{len(registry.clashes)} article_id value(s) repeat (first: "
            f"{registry.clashes[0]!r}): an id given a suffix (-2, -3...) equals another "
            "article's id.", path=plan.source,
            fix="give every article its own id (map another id column, or none to use "
            "content hashes).")
    model = pd.concat(list(samples.values()), ignore_index=True)
    schemas = {"scores": table_schema(parquet_ready(model, where=plan.source)),
               **{t: s for t, s in empty_schemas().items() if t in parts.tables}}
    with ScoresWriter(out, schemas=schemas, metadata=metadata) as writer:
        for chunk, rename in zip(plan.chunks, renames):
            for table in parts.tables:
                data = parts.read(chunk, table)
                if table == "scores":
                    data = data.drop_columns([_RAW_ID])
                conform = table == "scores" and len(samples) > 1
                if rename or conform:  # rare: through pandas; otherwise Arrow to Arrow
                    data = data.to_pandas()
                    if rename:
                        data["article_id"] = data["article_id"].replace(rename)
                    if conform:  # the dtypes the whole table has, as pandas concatenates
                        data = parquet_ready(pd.concat([model, data], ignore_index=True),
                                             where=None).iloc[len(model):]
                writer.write_table(table, data)
    return writer.paths


# --- the command ---------------------------------------------------------------------------


def _reading(source: str | PathLike, sha256: str, mapping: dict) -> dict:
    """What the scores depend on besides the codebook: the input and how it is read."""
    return {"input": str(Path(source).resolve()), "input_sha256": sha256,
            "columns": {k: v for k, v in mapping.items()
                        if k not in ("encoding", "html", "dayfirst")},
            "encoding": mapping.get("encoding"), "html": mapping.get("html", "convert"),
            **({"dayfirst": mapping["dayfirst"]} if mapping.get("dayfirst") is not None
               else {})}


def _up_to_date(out: Path, wanted: dict) -> int | None:
    """The number of articles of ``out`` if it is complete and was computed as ``wanted``
    says (``actors_key`` None: without actors), else None."""
    files = scores_files(out, actors=wanted.get("actors_key") is not None)
    found = [file_metadata(p) if p.is_file() else None for p in files.values()]
    if any(m is None for m in found) or len({m.get("run") for m in found}) != 1:
        return None
    have = found[0]
    if all(have.get(k) == v for k, v in wanted.items()):
        return int(have.get("n_articles", 0))
    return None


def score_file(
    source: str | PathLike,
    *,
    out: str | PathLike,
    codebook: Codebook | str | PathLike = "ai",
    chunk_size: int | None = None,
    jobs: int = 1,
    engine: Engine = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: ProgressMode = False,
    force: bool = False,
    text: str = "text",
    title: str | None = "title",
    outlet: str | None = "outlet",
    date: str | None = "date",
    url: str | None = "url",
    id: str | None = None,
    encoding: str | None = None,
    html: HtmlPolicy = "convert",
    actors: ActorList | str | PathLike | None = None,
    tone_model: str | PathLike | None = None,
    dayfirst: bool | None = None,
    frames: object = None,
) -> ScoreRun:
    """Score a corpus file or folder of any size into a scores file, resumably.

    See the module docstring for how it runs, resumes and stays within memory.

    Parameters
    ----------
    source : a corpus as :func:`framelens.read_articles` takes it: JSON Lines, CSV/TSV,
        Parquet or JSON file, or a folder of ``.txt``/``.md`` articles.
    out : the scores file to write (``scores.parquet``); its siblings
        ``.terms.parquet``, ``.voices.parquet`` (and with ``actors``,
        ``.actors.parquet``) are written beside it, and the work folder
        ``<out>.parts/`` while it runs.
    codebook : a :class:`Codebook`, a shipped codebook name or a YAML file's path.
    chunk_size : articles per chunk (per part, per task); None for
        :func:`auto_chunk_size` of the corpus.
    jobs : worker processes of the ``local`` engine; 1 scores in this process.
    engine : ``"local"`` (processes on this machine) or ``"dask"``.
    scheduler : for ``"dask"``, the address of a running scheduler
        (``tcp://host:8786``); None starts a ``LocalCluster``.
    workers : for ``"dask"`` without ``scheduler``, the LocalCluster's worker processes
        (one thread each); default one per core.
    progress : False for none; True for a progress bar on a terminal and log lines
        (every 30 s) otherwise; ``"bar"`` or ``"log"`` to choose. On stderr.
    force : score again even when the output is up to date.
    text, title, outlet, date, url, id, encoding, html, dayfirst : the column mapping and
        reading options of :func:`framelens.read_articles`.
    actors : an actor list (:func:`framelens.load_actors`: ``"us-politics"``,
        ``"china-tech"`` or a YAML file's path): also compute the tone toward its actors
        in each article (the ``.actors.parquet`` table). None (default): no actor tone,
        and no model is loaded.
    tone_model : with ``actors``, the folder of a tone model with the shipped model's
        interface; None for the shipped model. Each worker loads it once, with one
        thread.
    frames : learned frames (:func:`framelens.learn_frames`: a model or its file) for
        ``codebook``: each article also gets ``prob_<id>`` per frame and ``used_<id>``
        follows them. The model travels to the workers with the work.

    Returns
    -------
    :class:`ScoreRun`.

    Raises
    ------
    InputError for a bad corpus (naming the file and row); FramelensError when a chunk
    fails (naming its rows and the article); OptionError for bad options; ActorListError
    for an unknown or malformed actor list and ModelError for a missing or corrupt tone
    model (both before anything is read or scored).

    Examples
    --------
    >>> run = score_file("../shared/data/allsides-china-tech/articles.jsonl",
    ...                  out="scores.parquet", jobs=2)  # doctest: +SKIP
    >>> fl.read_scores(run.files["scores"]).scores.groupby("outlet")["polarity"].mean()
    ... # doctest: +SKIP
    """
    started = time.monotonic()
    _check_options(jobs=jobs, engine=engine, workers=workers, out=out)
    _check_out(Path(out), Path(source))
    codebook = load_codebook(codebook)
    code_fingerprint.cache_clear()  # the code on disk now, which new workers will import
    actor_list = None if actors is None else load_actors(actors)
    # a loaded model travels to the workers as its folder: a session cannot be pickled
    model_folder = getattr(tone_model, "folder", tone_model)
    model_folder = None if model_folder is None else str(model_folder)
    # checks the list and the model (loading it here once) before the corpus is read
    about_actors = ({} if actor_list is None
                    else actor_metadata(actor_list, model_folder, codebook))
    frames = learned_frames(frames, codebook)
    key = cache_key(codebook, frames=frames)
    actors_key = about_actors.get("actors_key")
    if actors_key and frames is not None:
        actors_key = cache_key(codebook, actors=actor_list, tone_model=model_folder,
                               frames=frames)
        about_actors["actors_key"] = actors_key
    mapping = {"text": text, "title": title, "outlet": outlet, "date": date, "url": url,
               "id": id, "encoding": encoding, "html": html, "dayfirst": dayfirst}
    out = Path(out)
    if not force and out.is_file() and Path(source).exists():  # before reading the corpus
        wanted = {**_reading(source, fingerprint(source), mapping), "cache_key": key,
                  "actors_key": actors_key}
        if (done := _up_to_date(out, wanted)) is not None:
            return ScoreRun(scores_files(out, actors=actors_key is not None), done, 0, 0,
                            True, time.monotonic() - started)
    size = CHUNK_SIZE if chunk_size is None else chunk_size
    plan = plan_chunks(source, chunk_size=size, **mapping)
    if chunk_size is None and auto_chunk_size(plan.n_articles) != size:
        size = auto_chunk_size(plan.n_articles)  # a small corpus, cheap to plan again
        plan = plan_chunks(source, chunk_size=size, **mapping)
    wanted = {**_reading(source, plan.sha256, mapping), "cache_key": key}
    from filelock import FileLock, Timeout

    folder = out.with_name(out.name + ".parts")
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout as e:
        raise FramelensError(f"{out}: another `framelens score` is writing it (lock "
                             f"{lock.lock_file}); wait for it to finish.") from e
    try:
        parts = _Parts(folder, actors_key or key, actors=actor_list is not None)
        if removed := parts.prune(plan.chunks):
            log.info("%s: %d file(s) of another corpus, codebook or framelens removed.",
                     folder, removed)
        todo = [c for c in plan.chunks if not parts.done(c)]
        if len(todo) < len(plan.chunks):
            log.info("%s: %d of %d chunk(s) kept from an interrupted run.", folder,
                     len(plan.chunks) - len(todo), len(plan.chunks))
        bar = _Progress(progress, total=plan.n_articles,
                        done=plan.n_articles - sum(c.n_articles for c in todo))
        work = _ChunkWork(codebook=codebook, folder=str(folder), key=parts.key,
                          version=framelens_version(),
                          code=_run_code(actors=actor_list is not None),
                          actors=actor_list, tone_model=model_folder, frames=frames)
        try:
            if engine == "dask":
                _run_dask(todo, work, scheduler=scheduler, workers=workers, progress=bar)
            else:
                _run_local(todo, work, jobs=jobs, progress=bar)
        finally:
            bar.close()
        metadata = {
            "framelens": framelens_version(), "schema": SCORES_SCHEMA_VERSION,
            "codebook": codebook.name, "codebook_version": codebook.version,
            "codebook_path": codebook.path, **wanted, **about_actors,
            **frames_metadata(frames), "source": plan.source,
            "n_articles": plan.n_articles,
            "parameters": {"chunk_size": size, "engine": engine, "jobs": jobs,
                           "workers": workers, "scheduler": scheduler},
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        try:
            files = _merge(plan, parts, out, metadata)
        except _BrokenPart as broken:  # damaged after it was checked: score it again, once
            log.warning("%s is damaged (%s); its chunk (%s) is scored again.", broken.path,
                        broken.error, broken.chunk.rows)
            parts.remove(broken.chunk)
            _run_local([broken.chunk], work, jobs=1, progress=_Progress(False, total=0, done=0))
            try:
                files = _merge(plan, parts, out, metadata)
            except _BrokenPart as again:
                raise FramelensError(
                    f"{again.path}: cannot read this part ({again.error}) even after scoring "
                    f"its chunk again; the disk may be failing or full. Run the same command "
                    "again when it is fixed.") from again
    finally:
        lock.release()
    shutil.rmtree(folder, ignore_errors=True)
    return ScoreRun(files, plan.n_articles, len(plan.chunks), len(todo), False,
                    time.monotonic() - started)


#: articles per chunk of a large corpus
CHUNK_SIZE = 1000
#: a smaller corpus is cut into about this many chunks, of at least MIN_CHUNK_SIZE articles
AUTO_CHUNKS = 8
MIN_CHUNK_SIZE = 250


def auto_chunk_size(n_articles: int) -> int:
    """The chunk size :func:`score_file` uses by default for a corpus of ``n_articles``.

    1,000 articles, or fewer so that a small corpus makes about 8 chunks (never fewer
    than 250 articles: each chunk has a fixed cost of about 0.25 s, mostly pandas work
    that does not grow with the chunk, plus reading and writing its part).

    Examples
    --------
    >>> auto_chunk_size(100_000), auto_chunk_size(4_000), auto_chunk_size(1_000)
    (1000, 500, 250)
    """
    return max(MIN_CHUNK_SIZE, min(CHUNK_SIZE, -(-n_articles // AUTO_CHUNKS)))


def _same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one file (through a symlink, ``..`` or a hard link)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # a symlink loop is no file to overwrite
        return False


def _check_out(out: Path, source: Path) -> None:
    """Refuse outputs that would destroy data: the corpus itself (or a file of a corpus
    folder), a folder, or a file that framelens did not write."""
    files = scores_files(out)
    for path in files.values():
        if _same_file(path, source):
            raise OutputError(
                f"this is the corpus being scored ({source}); writing the scores there would "
                "destroy it.", path=path,
                fix="pass --out a new file beside it, such as scores.parquet.")
        if path.is_dir():
            raise OutputError("this is a folder; the scores file must be a .parquet file.",
                              path=path, fix="pass --out a file path, such as "
                                             f"{path / 'scores.parquet'}.")
        if path.exists() and not is_framelens_file(path):
            raise OutputError(
                "the file exists and is not a framelens scores file; refusing to overwrite "
                "it.", path=path,
                fix="pass --out a new path, or move the file away if it may be replaced.")
    parts = out.with_name(out.name + ".parts")
    if parts.exists() and not parts.is_dir():
        raise OutputError("the work folder's name is taken by a file; refusing to overwrite "
                          "it.", path=parts, fix="pass --out another path, or move the file.")
    check_output_folder(out.parent)


def _check_options(*, jobs: int, engine: str, workers: int | None, out: object) -> None:
    for name, value in (("jobs", jobs), ("workers", workers)):
        if value is not None and (not isinstance(value, (int, np.integer))
                                  or isinstance(value, bool) or value < 1):
            raise OptionError(f"{name} must be a whole number of at least 1; got {value!r}.",
                              fix=f"pass {name}=2 (or the number of cores).")
    if engine not in ("local", "dask"):
        raise OptionError(f"engine must be 'local' or 'dask'; got {engine!r}.",
                          fix="pass engine='local' (processes on this machine) or "
                          "engine='dask' (a Dask cluster).")
    if Path(out).suffix.lower() != ".parquet":
        raise OptionError(f"the output must be a .parquet file; got {str(out)!r}.",
                          fix="pass out='scores.parquet'.")
