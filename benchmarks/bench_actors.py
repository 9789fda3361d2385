"""What tone toward actors costs: a corpus comparison with and without an actor list.

Runs :func:`framelens.compare_corpus` on the shared AllSides articles twice in this
process, each time with a cold cache (a new temporary folder): once as ``framelens
compare --by bias_text`` does, once with ``--actors china-tech``. Prints both times, their
ratio (the issue's target: at most 2.5×), how many mentions the tone model scored and at
what rate, and this process's peak memory.

    python benchmarks/bench_actors.py [--data PATH] [--actors china-tech] [--limit N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import framelens as fl

DATA = Path(__file__).resolve().parents[2] / "shared/data/allsides-china-tech/articles.jsonl"


def timed_comparison(articles, *, actors: str | None) -> tuple[float, object]:
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        comparison = fl.compare_corpus(articles, by="bias_text", cache=cache, actors=actors)
        return time.perf_counter() - started, comparison


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--actors", default="china-tech")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()

    articles = fl.read_articles(args.data, text="content_original", title="title",
                                outlet="source", date="date", id="ID")
    if args.limit:
        articles = articles.head(args.limit)
    fl.load_tone_model()  # loading the model once is not what is measured
    plain, _ = timed_comparison(articles, actors=None)
    with_actors, comparison = timed_comparison(articles, actors=args.actors)
    mentions = int(comparison.actor_sizes["mentions"].sum()) if comparison.actor_sizes \
        is not None and "mentions" in comparison.actor_sizes else 0
    print(f"{len(articles)} articles, by bias_text, cold cache:")
    print(f"  without actors:          {plain:7.1f} s")
    print(f"  with --actors {args.actors:<10} {with_actors:7.1f} s  "
          f"({with_actors / plain:.2f}× the time without; target ≤ 2.5×)")
    print(f"  actor mentions compared: {mentions:,} "
          f"(about {mentions / max(with_actors - plain, 1e-9):.0f} per extra second)")
    print(f"  peak memory of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
