"""The ``framelens`` command line.

This module owns argument parsing and exit codes; each command calls one library
function and prints where its output went. Errors are printed as one clear line (file,
row or cell, and the fix) with exit code 2 for bad input and 1 for a failed run.

Commands
--------
``framelens report ARTICLE [--codebook ai] [--out reports/] [--top-n 15]``
    run the article notebook and publish its HTML report, notebook and CSV files.
``framelens compare CORPUS --by outlet [--min-articles 5] [--groups A B] [--text COL ...]``
    run the outlet comparison notebook on a corpus and publish its HTML report.
``framelens collect FEEDS [--corpus DIR] [--dry-run]``
    download new articles from feeds and address lists into a corpus folder.
``framelens codebooks``
    list the shipped codebooks.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from framelens.errors import (
    CodebookError,
    FramelensError,
    InputError,
    NotebookExecutionError,
    OptionError,
)

__all__ = ["main"]


def _report(args: argparse.Namespace) -> int:
    from framelens.reports import report_article

    paths = report_article(args.article, codebook=args.codebook, out_dir=args.out,
                           top_n=args.top_n, notebook=args.notebook, timeout=args.timeout)
    print(f"report:   {paths.html}")
    print(f"notebook: {paths.notebook}")
    for path in paths.files:
        if path.suffix == ".csv":
            print(f"scores:   {path}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from framelens.reports import report_comparison

    columns = {k: getattr(args, k) for k in ("text", "title", "outlet", "date", "url", "id")
               if getattr(args, k) is not None}
    paths = report_comparison(
        args.corpus, by=args.by, groups=args.groups, min_articles=args.min_articles,
        codebook=args.codebook, columns=columns, event=args.event,
        keep_duplicates=args.keep_duplicates, cache=args.cache, out_dir=args.out,
        top_n=args.top_n, n_boot=args.n_boot, seed=args.seed, notebook=args.notebook,
        timeout=args.timeout,
    )
    print(f"report:   {paths.html}")
    print(f"notebook: {paths.notebook}")
    for path in paths.files:
        if path.suffix == ".csv":
            print(f"tables:   {path}")
    return 0


def _collect(args: argparse.Namespace) -> int:
    from framelens.collect import collect_articles

    result = collect_articles(args.feeds, corpus=args.corpus, dry_run=args.dry_run)
    print(result.summary())
    return 1 if len(result.errors) else 0  # a source (feed) could not be read


def _codebooks(args: argparse.Namespace) -> int:
    from framelens.codebook import list_codebooks

    print(list_codebooks().to_string(index=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framelens",
        description="Framing, sentiment, term and quote analysis of news articles.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)

    report = sub.add_parser("report", help="build the HTML report of one article")
    report.add_argument("article", help=".txt/.md article file (optional YAML metadata header)")
    report.add_argument("--codebook", default="ai",
                        help="shipped codebook (ai, generic, policy) or a YAML file [ai]")
    report.add_argument("--out", default="reports", help="output folder [reports]")
    report.add_argument("--top-n", type=int, default=15, help="terms and speakers shown [15]")
    report.add_argument("--notebook", default=None,
                        help="notebook to run [notebooks/article_report.ipynb]")
    report.add_argument("--timeout", type=int, default=900, help="seconds per cell [900]")
    report.set_defaults(func=_report)

    compare = sub.add_parser("compare", help="compare framing, sentiment, terms and voices "
                             "across outlets (or any grouping column)")
    compare.add_argument("corpus", help="folder of articles, or a CSV/JSONL/Parquet table")
    compare.add_argument("--by", required=True,
                         help="column to compare by: outlet, bias_text, topic...")
    compare.add_argument("--groups", nargs="+", default=None,
                         help="only these groups, in this order [all large enough]")
    compare.add_argument("--min-articles", type=int, default=5,
                         help="smaller groups are named and left out [5]")
    compare.add_argument("--codebook", default="ai",
                         help="shipped codebook (ai, generic, policy) or a YAML file [ai]")
    compare.add_argument("--event", default=None,
                         help="column naming the story or event, for same-event comparisons")
    compare.add_argument("--keep-duplicates", action="store_true",
                         help="keep exact and near duplicate articles (dropped by default)")
    for field in ("text", "title", "outlet", "date", "url", "id"):
        compare.add_argument(f"--{field}", default=None, metavar="COLUMN",
                             help=f"table column holding the article {field}")
    compare.add_argument("--cache", default=None,
                         help="scores cache folder [<out>/.cache]")
    compare.add_argument("--out", default="reports", help="output folder [reports]")
    compare.add_argument("--top-n", type=int, default=15, help="terms and speakers shown [15]")
    compare.add_argument("--n-boot", type=int, default=2000,
                         help="bootstrap resamples for intervals [2000]")
    compare.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap [0]")
    compare.add_argument("--notebook", default=None,
                         help="notebook to run [notebooks/outlet_comparison.ipynb]")
    compare.add_argument("--timeout", type=int, default=3600, help="seconds per cell [3600]")
    compare.set_defaults(func=_compare)

    collect = sub.add_parser("collect", help="download new articles from RSS/Atom feeds and "
                             "address lists into a corpus folder")
    collect.add_argument("feeds", help="feeds file (.yml); see examples/feeds.yml")
    collect.add_argument("--corpus", default=None,
                         help="folder to write the articles to [the feeds file's corpus:]")
    collect.add_argument("--dry-run", action="store_true",
                         help="fetch and extract, but write nothing")
    collect.set_defaults(func=_collect)

    codebooks = sub.add_parser("codebooks", help="list the shipped codebooks")
    codebooks.set_defaults(func=_codebooks)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except NotebookExecutionError as e:
        print(f"framelens: report failed: {e}", file=sys.stderr)
        return 1
    except (InputError, CodebookError, OptionError) as e:
        print(f"framelens: {e}", file=sys.stderr)
        return 2
    except FramelensError as e:
        print(f"framelens: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
