"""How long a `framelens build` that has nothing to do takes, against `python -c pass`.

This is the command cron runs every night: most nights nothing changed, and the build
must say so quickly. The benchmark sets up a project like the shipped one in a temporary
folder: the seed article's report and a comparison of the shared AllSides corpus (when
``../shared/data`` is there; otherwise a corpus made of the seed article), each with a
notebook whose parameters cell is the shipped notebook's (so that reading it costs what
it costs) and whose body only prints its parameters (so that the first build takes
seconds). It builds once, then runs the no-op build and ``python -c pass`` alternately,
each in a fresh process, and prints both times and their ratio, measured in the same run
on the same machine. ``--reports PATH`` measures an existing project instead (after a
``framelens build`` of it).

    python benchmarks/bench_build.py [--repeats 9] [--reports reports.yml]

To compare two versions of framelens, run it once with each (for example with
``PYTHONPATH=/path/to/other/src``); the ratio, not the seconds, is what compares across
machines.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "global-times-2025-09-05-ai-public-good.txt"
CORPUS = ROOT.parent / "shared" / "data" / "allsides-china-tech" / "articles.jsonl"

REPORTS_YML = """\
reports:
  - name: seed-article-ai
    notebook: notebooks/article_report.ipynb
    inputs:
      article: data/seed.txt
    parameters: {codebook: ai, top_n: 15, actors: china-tech}
  - name: comparison-ai
    notebook: notebooks/outlet_comparison.ipynb
    inputs:
      corpus: CORPUS
    parameters: {by: bias_text, min_articles: 5, codebook: ai, actors: china-tech}
    paths:
      cache: reports/.cache
"""


def _quick_notebook(shipped: Path, target: Path) -> None:
    """The shipped notebook's parameters cell and one cell that prints the parameters."""
    nb = json.loads(shipped.read_text(encoding="utf-8"))
    parameters = next(c for c in nb["cells"]
                      if "parameters" in c.get("metadata", {}).get("tags", []))
    body = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": "print({k: v for k, v in globals().items() if not k.startswith('_')"
                      " and isinstance(v, (str, int, float, bool, list, dict))})"}
    nb["cells"] = [parameters, body]
    target.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def make_project(folder: Path) -> Path:
    """A project like the shipped one, with quick notebooks; returns its reports.yml."""
    (folder / "notebooks").mkdir(parents=True)
    (folder / "data").mkdir()
    for name in ("article_report", "outlet_comparison"):
        _quick_notebook(ROOT / "notebooks" / f"{name}.ipynb",
                        folder / "notebooks" / f"{name}.ipynb")
    shutil.copyfile(SEED, folder / "data" / "seed.txt")
    corpus = CORPUS if CORPUS.is_file() else folder / "data" / "seed.txt"
    reports = folder / "reports.yml"
    reports.write_text(REPORTS_YML.replace("CORPUS", str(corpus)), encoding="utf-8")
    return reports


def _run(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="runs of each command [9]")
    parser.add_argument("--reports", default=None,
                        help="measure this project's reports file instead of a new one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        reports = Path(args.reports).resolve() if args.reports else make_project(Path(tmp))
        # as the `framelens` command starts (python -m would compile cli.py every time)
        build = [sys.executable, "-c", "import sys; from framelens.cli import main; "
                 f"sys.exit(main(['build', {str(reports)!r}]))"]
        if not args.reports:
            seconds, first = _run(build)
            if first.returncode != 0:
                sys.exit(f"the first build failed:\n{first.stdout}{first.stderr}")
            print(f"first build (two quick notebooks): {seconds:.1f} s")
        baseline, noop = [], []
        for _ in range(args.repeats):  # alternately, so that load on the machine hits both
            baseline.append(_run([sys.executable, "-c", "pass"])[0])
            seconds, done = _run(build)
            statuses = [line.split()[0] for line in done.stdout.splitlines()
                        if line and not line.startswith("index:")]
            if done.returncode != 0 or set(statuses) - {"up-to-date", "skipped"}:
                sys.exit(f"not a no-op build:\n{done.stdout}{done.stderr}")
            noop.append(seconds)

    pass_s, noop_s = statistics.median(baseline), statistics.median(noop)
    print(f"no-op framelens build, {len(statuses)} entries, median of {args.repeats} runs "
          "each (fresh processes, alternating):")
    print(f"  python -c pass    {pass_s:6.3f} s  (min {min(baseline):.3f})")
    print(f"  framelens build   {noop_s:6.3f} s  (min {min(noop):.3f})   "
          f"{noop_s / pass_s:5.1f}x python -c pass")


if __name__ == "__main__":
    main()
