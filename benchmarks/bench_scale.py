"""Throughput at scale: framelens scoring of 1k-100k articles against the plain loop.

Builds corpora of the requested sizes from the shared AllSides articles, varied so that
no two articles are identical and nothing repeats whole: article ``k`` is a base article
(the bases taken in a seeded order) with its paragraphs shuffled, about a fifth of them
replaced by paragraphs of another article on the same topic, one lower-case word of
every paragraph replaced by a word of that other article (so that no paragraph or
sentence repeats and caches keyed by text cannot serve one article from another), its
numbers re-drawn, and its own ID, title suffix, URL and date. The same ``--seed`` gives
the same corpora; the size is part of every article's seed, so the corpora of different
sizes share no article (a scores cache kept between runs could not serve one from
another). Corpora are written line by line to the work folder and reused by later runs
with the same parameters (see ``--keep``). Each framelens run writes to a fresh folder,
with a fresh cache if the command has one.

For each size it then runs, each in a fresh child process:

``plain``
    what a researcher writes first: nupunkt sentence split of each article's text and
    ``TextBlob(s).sentiment`` per sentence in a Python loop, one process.
``framelens jN``
    framelens's full scoring (sentences, tokens, two sentiment scorers, frames, terms,
    quotes) with ``framelens score CORPUS --out OUT --jobs N --no-progress``. Until that
    command exists a stand-in child runs ``framelens.score_corpus`` (``--jobs 1``) or
    ``score_articles`` on chunks in a process pool (``--jobs N``); the output says which.

Times are wall-clock seconds of the whole child process (start-up and imports included,
which weigh most at the smallest size; the start-up alone is measured first), plus its
CPU seconds (user + system, the child and all its workers). The speed-up divides
articles/s by the plain loop's at the same size; ``cpu x`` divides CPU seconds per
article instead, which other agents' load on a shared machine disturbs less (but which
does not credit parallel jobs). Memory, three ways: ``peak MB`` is the largest sum of
the resident set sizes of the child and all its descendants, sampled from
/proc/PID/smaps_rollup every 0.1 s (pages that forked workers share count once per
process); ``PSS MB`` the same with proportional set sizes (shared pages split among
their processes, so the run's real footprint); ``max proc MB`` the largest single
process's exact peak (``ru_maxrss`` from ``os.wait4``, which covers the child and its
waited-for workers).

    python benchmarks/bench_scale.py [--sizes 1000 10000 100000] [--plain-sizes 1000 10000]
        [--job-sizes 1=1000,10000]
        [--jobs 1 2] [--seed 0] [--keep] [--report scale.json]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared/data/allsides-china-tech/articles.jsonl"
WORKDIR = Path("/tmp/framelens-bench")
#: bump when the way corpora are varied changes, so that old files are not reused
BUILD_VERSION = 2
FIELDS = ("ID", "title", "source", "date", "url", "content_original", "topic", "bias_text")
SWAP_SHARE = 0.2
SAMPLE_SECONDS = 0.1
TARGET_SPEEDUP = 5.0
FLAT_MEMORY = 1.25


# --- corpora ----------------------------------------------------------------------

def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _renumber(text: str, rng: random.Random) -> str:
    """Every run of digits re-drawn with as many digits (leading digit never 0)."""
    def draw(match: re.Match) -> str:
        n = len(match.group())
        return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
    return re.sub(r"\d+", draw, text)


_WORD_RE = re.compile(r"\b[a-z]{4,}\b")  # a lower-case word that is not a name


def _reword(paragraph: str, rng: random.Random, vocabulary: list[str]) -> str:
    """``paragraph`` with one lower-case word replaced by another from ``vocabulary``."""
    words = list(_WORD_RE.finditer(paragraph))
    if not words or not vocabulary:
        return paragraph
    word = rng.choice(words)
    other = rng.choice(vocabulary)
    if other == word.group():
        other = vocabulary[(vocabulary.index(other) + 1) % len(vocabulary)]
    return paragraph[:word.start()] + other + paragraph[word.end():]


class Varier:
    """Deterministic varied articles from a base corpus: ``varier.article(k)``."""

    def __init__(self, rows: list[dict], seed: int, size: int) -> None:
        self.seed = seed
        self.size = size
        self.rows = rows
        self.paragraphs = [_paragraphs(r["content_original"]) for r in rows]
        self.order = list(range(len(rows)))
        random.Random(f"{seed}:order").shuffle(self.order)
        by_topic: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            by_topic[row["topic"]].append(i)
        self.by_topic = dict(by_topic)

    def article(self, k: int) -> dict:
        rng = random.Random(f"{self.seed}:{self.size}:{k}")
        index = self.order[k % len(self.order)]
        base = self.rows[index]
        paragraphs = list(self.paragraphs[index])
        rng.shuffle(paragraphs)
        peers = [i for i in self.by_topic[base["topic"]] if i != index] \
            or [i for i in range(len(self.rows)) if i != index]
        donor = self.paragraphs[rng.choice(peers)]
        if donor and paragraphs:
            n_swap = max(1, round(SWAP_SHARE * len(paragraphs)))
            for slot in rng.sample(range(len(paragraphs)), min(n_swap, len(paragraphs))):
                paragraphs[slot] = rng.choice(donor)
        vocabulary = sorted({w for p in donor for w in _WORD_RE.findall(p)})
        paragraphs = [_reword(p, rng, vocabulary) for p in paragraphs]
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        return {
            "ID": f"s{self.seed}-n{self.size}-{k:07d}",
            "title": f"{base['title']} ({k + 1}/{self.size})",
            "source": base["source"],
            "date": date.isoformat(),
            "url": f"{base['url']}#bench-{self.seed}-{self.size}-{k}",
            "content_original": _renumber("\n\n".join(paragraphs), rng),
            "topic": base["topic"],
            "bias_text": base["bias_text"],
        }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def build_corpus(source: Path, size: int, *, seed: int, workdir: Path) -> dict:
    """Write (or reuse) the varied corpus of ``size`` articles; returns its description."""
    params = {"source": str(source), "source_sha256": _digest(source), "size": size,
              "seed": seed, "build_version": BUILD_VERSION}
    stem = f"articles-{size}-seed{seed}-{params['source_sha256']}-v{BUILD_VERSION}"
    path = workdir / f"{stem}.jsonl"
    meta_path = workdir / f"{stem}.meta.json"
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("params") == params and path.stat().st_size == meta.get("bytes"):
            return {**meta, "path": path, "meta_path": meta_path, "built": False,
                    "build_s": 0.0}
    start = time.perf_counter()
    with source.open(encoding="utf-8") as handle:
        rows = [{f: (json.loads(line).get(f) or "") for f in FIELDS}
                for line in handle if line.strip()]
    rows = [r for r in rows if r["content_original"].strip()]
    varier = Varier(rows, seed, size)
    words = 0
    tmp = path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for k in range(size):
            article = varier.article(k)
            words += len(article["content_original"].split())
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    tmp.replace(path)
    meta = {"params": params, "articles": size, "words": words,
            "bytes": path.stat().st_size}
    meta_path.write_text(json.dumps(meta, indent=1))
    return {**meta, "path": path, "meta_path": meta_path, "built": True,
            "build_s": time.perf_counter() - start}


# --- the children -----------------------------------------------------------------

def child_plain(corpus: str) -> None:
    """The plain loop, streaming the corpus; prints what it counted as JSON."""
    start = time.perf_counter()
    import nupunkt
    from textblob import TextBlob
    imported = time.perf_counter()
    articles = sentences = 0
    total = 0.0
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["content_original"]
            for sentence in nupunkt.sent_tokenize(text):
                total += TextBlob(sentence).sentiment.polarity
                sentences += 1
            articles += 1
    print(json.dumps({"articles": articles, "sentences": sentences, "polarity_sum": total,
                      "import_s": imported - start,
                      "loop_s": time.perf_counter() - imported}))


def _score_chunk(chunk, codebook: str):
    import framelens as fl
    return fl.score_articles(chunk, codebook=codebook).scores


def child_standin(corpus: str, out: str, jobs: int, codebook: str) -> None:
    """What ``framelens score`` will do, from the library, until the command exists."""
    import pandas as pd

    import framelens as fl
    articles = fl.read_articles(corpus, text="content_original", outlet="source", id="ID")
    if jobs == 1:
        scores = fl.score_corpus(articles, codebook=codebook).scores
    else:
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial
        chunks = [articles.iloc[i:i + 500] for i in range(0, len(articles), 500)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(partial(_score_chunk, codebook=codebook), chunks))
        scores = pd.concat(parts, ignore_index=True)
    scores.to_parquet(out)
    print(json.dumps({"articles": len(scores)}))


# --- measuring --------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


_TICK = os.sysconf("SC_CLK_TCK")


def _tree_memory(pid: int, cpu: dict[int, float]) -> tuple[int, int]:
    """Summed RSS and PSS (bytes) of ``pid`` and its descendants, from /proc; records
    each one's CPU seconds so far in ``cpu`` (by pid)."""
    rss = pss = 0
    for member in _descendants(pid):
        try:
            with open(f"/proc/{member}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            cpu[member] = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
        try:
            with open(f"/proc/{member}/smaps_rollup") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
            rss += int(fields["Rss"].split()[0]) * 1024
            pss += int(fields["Pss"].split()[0]) * 1024
        except (OSError, KeyError, IndexError, ValueError):
            continue
    return rss, pss


def measure(cmd: list[str], *, logs: Path) -> dict:
    """Run ``cmd``; wall and CPU seconds, sampled tree RSS peak, exact max process RSS.

    Its output goes to ``stdout.log`` and ``stderr.log`` in the folder ``logs``.
    """
    stdout, stderr = logs / "stdout.log", logs / "stderr.log"
    with stderr.open("w") as err, stdout.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        peak_rss = peak_pss = 0
        cpu: dict[int, float] = {}
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            rss, pss = _tree_memory(proc.pid, cpu)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    max_proc = usage.ru_maxrss * 1024  # kilobytes on Linux
    # rusage covers the child and the descendants it waited for; workers started by a
    # forkserver are not among them, so their CPU comes from the /proc samples (which
    # miss at most a process's last 0.1 s)
    waited = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "cpu_s": max(waited, sum(cpu.values())),
            "peak_mb": max(peak_rss, max_proc) / 2**20, "pss_mb": peak_pss / 2**20,
            "max_proc_mb": max_proc / 2**20,
            "returncode": proc.returncode,
            "stdout": stdout.read_text().strip().splitlines()[-1:],
            "stderr_tail": stderr.read_text()[-2000:]}


def _count_rows(path: Path) -> int | None:
    try:
        import pyarrow.dataset as ds
        return ds.dataset(str(path), format="parquet").count_rows()
    except Exception:  # noqa: BLE001 - a sanity check only; a missing count is shown as "?"
        return None


def find_cli() -> tuple[Path | None, str]:
    """The ``framelens`` executable if it has a working ``score`` command, and its help."""
    exe = ROOT / ".venv/bin/framelens"
    if not exe.exists():
        found = shutil.which("framelens")
        exe = Path(found) if found else None
    if exe is None:
        return None, ""
    done = subprocess.run([str(exe), "score", "--help"], capture_output=True, text=True)
    return (exe, done.stdout) if done.returncode == 0 else (None, "")


# --- the report -------------------------------------------------------------------

def _fmt(value: float | None, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-".rjust(int(re.match(r"\d*", spec).group() or 0))
    return format(value, spec)


def loglog_exponent(sizes: list[int], seconds: list[float]) -> float | None:
    if len(sizes) < 2:
        return None
    xs = [math.log(s) for s in sizes]
    ys = [math.log(s) for s in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else None


def add_ratios(rows: list[dict]) -> None:
    plain = {r["size"]: r for r in rows if r["method"] == "plain" and r["ok"]}
    for row in rows:
        row["speedup"] = row["cpu_speedup"] = row["speedup_from"] = None
        if row["method"] == "plain" or not row["ok"] or not plain:
            continue
        ref_size = row["size"] if row["size"] in plain else \
            min(plain, key=lambda s: abs(math.log(s / row["size"])))
        ref = plain[ref_size]
        row["speedup"] = row["articles_per_s"] / ref["articles_per_s"]
        row["cpu_speedup"] = (ref["cpu_s"] / ref["size"]) / (row["cpu_s"] / row["size"])
        row["speedup_from"] = ref_size


def render(rows: list[dict], runner: str) -> tuple[str, dict, list[str]]:
    lines = [f"{'size':>8} {'method':<14} {'seconds':>8} {'cpu s':>8} {'articles/s':>10} "
             f"{'words/s':>9} {'speed-up':>9} {'cpu x':>6} {'peak MB':>8} {'PSS MB':>7} "
             f"{'max proc MB':>11}"]
    estimated = False
    for r in rows:
        speed = _fmt(r["speedup"], ".2f") + ("x" if r["speedup"] is not None else "")
        if r["speedup_from"] not in (None, r["size"]):
            speed += "*"
            estimated = True
        status = "" if r["ok"] else f"  FAILED (exit {r['returncode']}, rows {r['rows']})"
        lines.append(f"{r['size']:>8} {r['method']:<14} {_fmt(r['seconds'], '8.1f')} "
                     f"{_fmt(r['cpu_s'], '8.1f')} {_fmt(r['articles_per_s'], '10.1f')} "
                     f"{_fmt(r['words_per_s'], '9,.0f')} {speed:>9} "
                     f"{_fmt(r['cpu_speedup'], '6.2f')} {_fmt(r['peak_mb'], '8.0f')} "
                     f"{_fmt(r['pss_mb'], '7.0f')} {_fmt(r['max_proc_mb'], '11.0f')}{status}")
    if estimated:
        lines.append("* against the plain loop at the nearest size measured (--plain-sizes)")
    lines += [f"framelens runs: {runner}.",
              "seconds = wall time of the whole child process (start-up included); cpu s = "
              "its user+system time, workers included.",
              "speed-up = articles/s over the plain loop's (wall); cpu x = the plain loop's "
              "CPU s per article over this run's (less",
              "  sensitive to other load on the machine, blind to parallelism).",
              "peak MB / PSS MB = sampled peaks of the summed RSS / PSS of the run's process "
              "tree (PSS shares pages among",
              "  forked workers); max proc MB = the largest single process's ru_maxrss."]

    growth: dict[str, dict] = {}
    lines += ["", "How time grows with size (seconds per 1k articles; exponent of a log-log "
              "fit of seconds on size, 1 = linear):"]
    for method in sorted(dict.fromkeys(r["method"] for r in rows), key=lambda m: m != "plain"):
        ok = [r for r in rows if r["method"] == method and r["ok"]]
        per_1k = {r["size"]: 1000 * r["seconds"] / r["size"] for r in ok}
        exponent = loglog_exponent([r["size"] for r in ok], [r["seconds"] for r in ok])
        growth[method] = {"seconds_per_1k": per_1k, "exponent": exponent}
        cells = "  ".join(f"{s:>7}: {v:6.2f} s" for s, v in per_1k.items())
        lines.append(f"  {method:<14} {cells}   exponent {_fmt(exponent, '.2f')}")

    verdict = []
    scored = [r for r in rows if r["method"] != "plain" and r["speedup"] is not None]
    fewest = min((int(r["method"].rsplit("j", 1)[1]) for r in scored), default=None)
    one_job = [r for r in scored if r["method"] == f"framelens j{fewest}"]
    if one_job:
        r = max(one_job, key=lambda r: (r["speedup_from"] == r["size"], r["size"]))
        best = max((x for x in rows if x["size"] == r["size"] and x["speedup"] is not None),
                   key=lambda x: x["speedup"])
        met = "MET" if r["speedup"] >= TARGET_SPEEDUP else "NOT met"
        verdict.append(f"speed: framelens full analysis, --jobs {fewest}, is {r['speedup']:.2f}x "
                       f"the plain loop at {r['size']:,} articles "
                       f"(target >= {TARGET_SPEEDUP:.0f}x: {met}); "
                       f"best: {best['method']} {best['speedup']:.2f}x; CPU per article: "
                       f"{r['cpu_speedup']:.2f}x")
    for method in dict.fromkeys(r["method"] for r in rows if r["method"] != "plain"):
        mem = {r["size"]: r["peak_mb"] for r in rows if r["method"] == method and r["ok"]}
        if len(mem) < 2:
            continue
        small, large = (10_000, 100_000) if {10_000, 100_000} <= set(mem) \
            else tuple(sorted(mem)[-2:])
        ratio = mem[large] / mem[small]
        flat = "flat" if ratio <= FLAT_MEMORY else "NOT flat"
        verdict.append(f"memory: {method} peak {mem[small]:.0f} MB at {small:,} vs "
                       f"{mem[large]:.0f} MB at {large:,} ({ratio:.2f}x, {flat}; "
                       f"flat = at most {FLAT_MEMORY}x)")
    if verdict:
        lines += ["", "Verdict:"] + [f"  {v}" for v in verdict]
    return "\n".join(lines), growth, verdict


REPORT_FIELDS = ["size", "method", "articles", "words", "seconds", "cpu_s", "articles_per_s",
                 "words_per_s", "speedup", "cpu_speedup", "speedup_from", "peak_mb", "pss_mb",
                 "max_proc_mb", "ok", "returncode", "rows", "runner"]


def write_report(path: Path, rows: list[dict], growth: dict, verdict: list[str],
                 runner: str, startup: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=REPORT_FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    else:
        path.write_text(json.dumps({
            "rows": [{k: r.get(k) for k in REPORT_FIELDS} for r in rows],
            "growth": growth, "verdict": verdict, "runner": runner,
            "memory": "peak_mb / pss_mb: sampled peaks of the summed RSS / PSS of the "
                      f"process tree (/proc/PID/smaps_rollup every {SAMPLE_SECONDS} s); "
                      "max_proc_mb: largest single process's ru_maxrss via os.wait4",
            "startup": startup,
            "python": sys.version, "cpus": os.cpu_count(),
            "when": dt.datetime.now().isoformat(timespec="seconds"),
        }, indent=1, default=str))


# --- main -------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "plain":
            child_plain(*rest)
        else:
            child_standin(rest[0], rest[1], int(rest[2]), rest[3])
        return

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="JSONL of base articles [the shared AllSides articles]")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--plain-sizes", type=int, nargs="+", default=None,
                        help="sizes to run the plain loop at [all --sizes]; others compare "
                             "against the nearest one measured")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--job-sizes", nargs="+", default=[], metavar="JOBS=SIZE,SIZE",
                        help="run framelens with JOBS jobs only at these sizes [all --sizes], "
                             "e.g. 1=1000,10000 to leave the one-job run out at 100k")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--codebook", default="ai")
    parser.add_argument("--workdir", type=Path, default=WORKDIR,
                        help=f"scratch folder for corpora and outputs [{WORKDIR}]")
    parser.add_argument("--keep", action="store_true",
                        help="keep the corpora built and the scores written by this run "
                             "(corpora found from an earlier run are always kept and reused)")
    parser.add_argument("--runner", choices=["auto", "cli", "standin"], default="auto",
                        help="framelens runs: the `framelens score` command, the library "
                             "stand-in, or the command when it works [auto]")
    parser.add_argument("--chunk-size", type=int, default=None,
                        help="passed to `framelens score --chunk-size` [the command's default]")
    parser.add_argument("--report", type=Path, default=None,
                        help="also write the table to this .csv or .json file")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    plain_sizes = set(sizes if args.plain_sizes is None else args.plain_sizes)
    if not plain_sizes <= set(sizes):
        parser.error("--plain-sizes must be among --sizes")
    job_sizes = {jobs: set(sizes) for jobs in args.jobs}
    for item in args.job_sizes:
        jobs, _, listed = item.partition("=")
        try:
            job_sizes[int(jobs)] = {int(x) for x in listed.split(",")}
        except ValueError:
            parser.error(f"--job-sizes takes JOBS=SIZE,SIZE; got {item!r}")

    exe, help_text = find_cli() if args.runner != "standin" else (None, "")
    if args.runner == "cli" and exe is None:
        parser.error("`framelens score --help` fails: the command does not exist yet")
    runner = f"`{exe} score`" if exe else "stand-in (framelens.score_corpus in a child)"
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"framelens runs: {runner}; work folder {args.workdir}; "
          f"{os.cpu_count()} CPUs; seed {args.seed}")
    # framelens loads its modules on first use: import what scoring imports
    startup = measure([sys.executable, "-c", "import framelens.analysis, framelens.engine"],
                      logs=args.workdir)
    startup = {k: startup[k] for k in ("seconds", "cpu_s", "peak_mb")}
    for scratch in ("stdout.log", "stderr.log"):
        (args.workdir / scratch).unlink(missing_ok=True)
    print(f"start-up (importing framelens's scoring code): {startup['seconds']:.1f} s wall, "
          f"{startup['cpu_s']:.1f} s CPU, {startup['peak_mb']:.0f} MB; part of every framelens "
          "row below")

    rows: list[dict] = []
    created: list[Path] = []
    try:
        for size in sizes:
            corpus = build_corpus(args.corpus, size, seed=args.seed, workdir=args.workdir)
            if corpus["built"]:
                created += [corpus["path"], corpus["meta_path"]]
            print(f"\n{size:,} articles, {corpus['words']:,} words: "
                  + (f"built in {corpus['build_s']:.1f} s" if corpus["built"] else "reused")
                  + f" ({corpus['path'].name})")
            methods = [("plain", None)] if size in plain_sizes else []
            methods += [(f"framelens j{j}", j) for j in args.jobs
                        if size in job_sizes.get(j, set(sizes))]
            for method, jobs in methods:
                run_dir = args.workdir / f"run-{size}-{method.replace(' ', '-')}"
                shutil.rmtree(run_dir, ignore_errors=True)
                run_dir.mkdir()
                out = run_dir / "scores.parquet"
                if jobs is None:
                    cmd = [sys.executable, __file__, "--child", "plain", str(corpus["path"])]
                elif exe:
                    cmd = [str(exe), "score", str(corpus["path"]), "--out", str(out),
                           "--jobs", str(jobs), "--no-progress"]
                    if "--codebook" in help_text:
                        cmd += ["--codebook", args.codebook]
                    if "--id" in help_text:
                        cmd += ["--text", "content_original", "--outlet", "source", "--id", "ID"]
                    if args.chunk_size and "--chunk-size" in help_text:
                        cmd += ["--chunk-size", str(args.chunk_size)]
                    if "--force" in help_text:
                        cmd += ["--force"]
                    if "--no-cache" in help_text:
                        cmd += ["--no-cache"]
                    elif "--cache" in help_text:
                        cmd += ["--cache", str(run_dir / "cache")]
                else:
                    cmd = [sys.executable, __file__, "--child", "standin", str(corpus["path"]),
                           str(out), str(jobs), args.codebook]
                result = measure(cmd, logs=run_dir)
                if jobs is None:
                    counted = json.loads(result["stdout"][0]) if result["stdout"] else {}
                    n_rows = counted.get("articles")
                else:
                    n_rows = _count_rows(out)
                ok = result["returncode"] == 0 and n_rows == size
                row = {"size": size, "method": method, "articles": size,
                       "words": corpus["words"], **result, "ok": ok, "rows": n_rows,
                       "runner": "plain" if jobs is None else runner,
                       "articles_per_s": size / result["seconds"],
                       "words_per_s": corpus["words"] / result["seconds"]}
                rows.append(row)
                print(f"  {method:<14} {result['seconds']:8.1f} s  {size / result['seconds']:8.1f}"
                      f" articles/s  peak {row['peak_mb']:.0f} MB"
                      + ("" if ok else f"  FAILED: exit {result['returncode']}, rows {n_rows}\n"
                         + result["stderr_tail"]))
                if not args.keep:
                    shutil.rmtree(run_dir, ignore_errors=True)
    finally:
        if not args.keep:
            for path in created:
                path.unlink(missing_ok=True)

    add_ratios(rows)
    table, growth, verdict = render(rows, runner)
    print("\n" + table)
    if args.report:
        write_report(args.report, rows, growth, verdict, runner, startup)
        print(f"\nwrote {args.report}")


if __name__ == "__main__":
    main()
