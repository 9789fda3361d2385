"""The ``framelens`` command line.

This module owns argument parsing and exit codes; each command calls one library
function and prints where its output went. Errors are printed as one clear line (file,
row or cell, and the fix) with exit code 2 for bad input and 1 for a failed run.

Commands
--------
``framelens report ARTICLE [--codebook ai] [--out reports/] [--top-n 15]``
    run the article notebook and publish its HTML report, notebook and CSV files.
``framelens codebooks``
    list the shipped codebooks.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from framelens.errors import CodebookError, FramelensError, InputError, NotebookExecutionError

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
    except (InputError, CodebookError) as e:
        print(f"framelens: {e}", file=sys.stderr)
        return 2
    except FramelensError as e:
        print(f"framelens: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
