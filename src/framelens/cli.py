"""The ``framelens`` command line.

This module owns argument parsing and exit codes; each command calls one library
function and prints where its output went. Errors are printed as one clear line (file,
row or cell, and the fix) with exit code 2 for bad input and 1 for a failed run.

Commands
--------
``framelens report ARTICLE [--codebook ai] [--out reports/] [--top-n 15]``
    run the article notebook and publish its HTML report, notebook and CSV files.
``framelens score CORPUS --out scores.parquet [--jobs N] [--engine dask] [--actors LIST]``
    score a corpus of any size into a scores file: streamed in chunks, on several
    processes or a Dask cluster, resumable after an interruption; with ``--actors``, the
    tone toward the list's actors too.
``framelens compare CORPUS --by outlet [--min-articles 5] [--groups A B] [--text COL ...]``
    run the outlet comparison notebook on a corpus (or on the scores file of
    ``framelens score``) and publish its HTML report.
``framelens sample CORPUS --n 200 [--stratify outlet] [--unit article|sentence|mention]``
    draw a reproducible sample and write a coding sheet for human coders (with
    ``--unit mention [--actors LIST]``, the tone toward actors).
``framelens validate SHEET [--allow-missing] [--sentiment-level ordinal|interval]``
    agreement between coders and with framelens (Krippendorff's alpha, P/R/F1).
``framelens learn SHEET [--codebook generic] [--out MODEL.frames.json]``
    learn the codebook's frames from a coded sample (cross-validated P/R/F1 beside the
    dictionary's); ``--frames MODEL`` makes score, report, compare and build use them,
    and ``sample --uncertain MODEL`` draws the next units where they are least sure.
``framelens build [reports.yml] [--only NAME ...] [--force] [--dry-run] [--jobs N] [--wait S]``
    rebuild the reports of reports.yml whose inputs changed; publish safely.
``framelens collect FEEDS [--corpus DIR] [--dry-run]``
    download new articles from feeds and address lists into a corpus folder.
``framelens codebooks``
    list the shipped codebooks.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import sys
from collections.abc import Sequence
from os import PathLike
from typing import TYPE_CHECKING

from framelens.errors import (
    CodebookError,
    FramelensError,
    InputError,
    NotebookExecutionError,
    OptionError,
    OutputError,
)

if TYPE_CHECKING:
    from framelens.validation import Validation

__all__ = ["main"]


def _report(args: argparse.Namespace) -> int:
    from framelens.reports import report_article

    paths = report_article(args.article, codebook=args.codebook, out_dir=args.out,
                           top_n=args.top_n, notebook=args.notebook, timeout=args.timeout,
                           actors=args.actors, tone_model=args.tone_model,
                           encoding=args.encoding, dayfirst=args.dayfirst,
                           frames=args.frames)
    print(f"report:   {paths.html}")
    print(f"notebook: {paths.notebook}")
    for path in paths.files:
        if path.suffix == ".csv":
            print(f"scores:   {path}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from framelens.reports import report_comparison

    columns = _column_mapping(args)
    paths = report_comparison(
        args.corpus, by=args.by, groups=args.groups, min_articles=args.min_articles,
        codebook=args.codebook, columns=columns, event=args.event,
        keep_duplicates=args.keep_duplicates, cache=args.cache, out_dir=args.out,
        top_n=args.top_n, n_boot=args.n_boot, seed=args.seed, notebook=args.notebook,
        timeout=args.timeout, actors=args.actors, tone_model=args.tone_model,
        frames=args.frames,
    )
    print(f"report:   {paths.html}")
    print(f"notebook: {paths.notebook}")
    for path in paths.files:
        if path.suffix == ".csv":
            print(f"tables:   {path}")
    return 0


def _print_validation_files(result: Validation, page: PathLike, files: list) -> int:
    """The notes of a validation and where its page and tables are; the exit code."""
    for note in result.notes:
        print(f"note: {note}")
    print(f"report: {page}")
    for path in files:
        print(f"tables: {path}")
    return 0


def _score(args: argparse.Namespace) -> int:
    from framelens.engine import score_file

    if args.engine == "local" and (args.scheduler or args.workers):
        raise OptionError("--scheduler and --workers are for --engine dask.",
                          fix="add --engine dask, or use --jobs N for local processes.")
    if args.tone_model and not args.actors:
        raise OptionError("--tone-model is for scoring the tone toward actors.",
                          fix="add --actors LIST (us-politics, china-tech or a .yml file).")
    try:
        run = score_file(
            args.corpus, out=args.out, codebook=args.codebook, chunk_size=args.chunk_size,
            jobs=args.jobs, engine=args.engine, scheduler=args.scheduler, workers=args.workers,
            progress=not args.no_progress, force=args.force, actors=args.actors,
            tone_model=args.tone_model, frames=args.frames, **_column_mapping(args))
    except KeyboardInterrupt:
        parts = f"{args.out}.parts"
        print(f"framelens: interrupted; finished chunks are kept in {parts}/: run the same "
              "command again to resume.", file=sys.stderr)
        return 130
    print(run.summary())
    for table, path in run.files.items():
        print(f"{table + ':':<9} {path}")
    return 0


def _collect(args: argparse.Namespace) -> int:
    from framelens.collect import collect_articles

    result = collect_articles(args.feeds, corpus=args.corpus, dry_run=args.dry_run)
    print(result.summary())
    return 1 if len(result.errors) else 0  # a source (feed) could not be read


def _sample(args: argparse.Namespace) -> int:
    from pathlib import Path

    from framelens.corpus import read_articles
    from framelens.reports import safe_name
    from framelens.validation import draw_sample, write_coding_sheet

    columns = _column_mapping(args)
    articles = read_articles(args.corpus, **columns)
    coded = ()
    if args.coded:
        from framelens.validation import read_coding_sheet

        coded = read_coding_sheet(args.coded, allow_missing=True)["article_id"].astype(str)
    sample = draw_sample(articles, n=args.n, stratify=args.stratify, unit=args.unit,
                         seed=args.seed, codebook=args.codebook, actors=args.actors,
                         tone_model=args.tone_model, uncertain=args.uncertain,
                         random_share=args.random_share, exclude=tuple(coded))
    out = args.out or Path("coding") / (
        f"{safe_name(Path(args.corpus).stem, default='corpus')}-{args.unit}-n{args.n}"
        f"-seed{args.seed}.csv")
    sheet, guide, *machine = write_coding_sheet(sample, out, codebook=args.codebook,
                                                coders=args.coders, unit=args.unit,
                                                overwrite=args.overwrite)
    print(f"sheet:        {sheet} ({len(sample)} {args.unit}s x {len(args.coders)} coder(s))")
    print(f"instructions: {guide}")
    for path in machine:
        print(f"framelens:    {path} (framelens's own codes: keep this file from the coders)")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from framelens.reports import safe_name
    from framelens.validation import read_coding_sheet, validate, validation_html

    sheet_path = Path(args.sheet)
    sheet = read_coding_sheet(sheet_path, codebook=args.codebook,
                              allow_missing=args.allow_missing)
    mentions = sheet.attrs["unit"] == "mention"
    machine = Path(args.machine) if args.machine else sheet_path.with_suffix(".machine.csv")
    if mentions and not machine.is_file():
        raise InputError("a mention sheet is validated against the tone model's codes, and "
                         "its machine file is missing.", path=machine,
                         fix="put the .machine.csv written by framelens sample --unit mention "
                             "beside the sheet, or pass --machine PATH.")
    if args.machine is None and not machine.is_file():
        print(f"note: {machine} not found; measuring agreement between coders only.")
        machine = None
    if mentions and args.codebook:
        print("note: --codebook is not used for a mention sheet (it codes tone only).")
    result = validate(sheet, machine, sentiment_level=args.sentiment_level)
    if mentions:
        return _report_tone(result, sheet_path=sheet_path, args=args)
    book = sheet.attrs["codebook"]
    folder = Path(args.out) / safe_name(book.name, book.version) / safe_name(sheet_path.stem)
    files = result.to_csv(folder)
    page = folder / "validation.html"
    page.write_text(validation_html(result, min_alpha=args.min_alpha), encoding="utf-8")
    table = result.agreement[["measure", "n_units", "n_coders", "alpha_coders",
                              "alpha_with_machine", "precision", "recall", "f1"]].copy()
    alpha = table["alpha_with_machine"]
    table["reliable"] = alpha.ge(args.min_alpha).where(alpha.notna(), None)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="-"))
    return _print_validation_files(result, page, files)


def _report_tone(result, *, sheet_path, args: argparse.Namespace) -> int:
    """Save and print the validation of a mention sheet: tone toward actors."""
    from pathlib import Path

    from framelens.reports import safe_name
    from framelens.validation import validation_html

    folder = Path(args.out) / safe_name("tone", result.codebook) / safe_name(sheet_path.stem)
    files = result.to_csv(folder)
    page = folder / "validation.html"
    page.write_text(validation_html(result, min_alpha=args.min_alpha), encoding="utf-8")
    table = result.agreement[["measure", "level", "n_units", "n_coders", "alpha_coders",
                              "alpha_with_machine", "precision", "recall", "f1"]]
    table = table.rename(columns={"f1": "macro_f1"})
    alpha = table["alpha_with_machine"]
    table = table.assign(reliable=alpha.ge(args.min_alpha).where(alpha.notna(), None))
    number = {"float_format": lambda x: f"{x:.3f}", "na_rep": "-", "index": False}
    print(f"tone toward actors ({result.codebook}), {len(result.coders)} coder(s):")
    print(table.to_string(**number))
    print("\nper class (framelens against the coders' majority):")
    per_class = result.per_class.drop(columns="measure")
    print(per_class.assign(code=per_class["code"].astype("string").fillna("")).to_string(
        **number))
    crosstab = result.confusion.pivot(index="human", columns="machine", values="count")
    crosstab.index.name, crosstab.columns.name = "coders \\ framelens", None
    print("\nconfusion (rows: coders' majority; columns: framelens):")
    print(crosstab.to_string())
    return _print_validation_files(result, page, files)


def _build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from framelens.build import build, load_build_config

    out = args.out or Path(args.config).resolve().parent / "reports"
    entries = load_build_config(args.config, out_dir=out)
    result = build(entries, out_dir=out, only=args.only, force=args.force,
                   dry_run=args.dry_run, jobs=args.jobs, wait=args.wait)
    for line in result.lines():
        print(line)
    if result.index is not None:
        print(f"index:    {result.index}")
    failed = result.failed
    if failed:
        print(f"framelens: build failed for {', '.join(failed)}; their last good reports stay "
              f"online (see {result.index}).", file=sys.stderr)
    return result.exit_code


def _codebooks(args: argparse.Namespace) -> int:
    from framelens.codebook import list_codebooks

    print(list_codebooks().to_string(index=False))
    return 0


_MAPPED_FIELDS = ("text", "title", "outlet", "date", "url", "id")


def _add_encoding(parser: argparse.ArgumentParser) -> None:
    """--encoding and --dayfirst: how article files and tables are read."""
    parser.add_argument("--encoding", default=None, metavar="NAME",
                        help="encoding of the article files or the CSV table (cp1252, "
                             "latin-1...) [UTF-8, or detected with a warning]")
    parser.add_argument("--dayfirst", action="store_const", const=True, default=None,
                        help="read dates such as 05/09/2025 day first (5 September) "
                             "[month first, with a warning]")


def _add_column_mapping(parser: argparse.ArgumentParser) -> None:
    """--text/--title/... options: the column mapping for corpus tables; and --encoding."""
    for field in _MAPPED_FIELDS:
        parser.add_argument(f"--{field}", default=None, metavar="COLUMN",
                            help=f"table column holding the article {field}")
    _add_encoding(parser)


def _column_mapping(args: argparse.Namespace) -> dict[str, str]:
    """The reading options of read_articles that were given: column mapping, encoding."""
    return {f: getattr(args, f) for f in (*_MAPPED_FIELDS, "encoding", "dayfirst")
            if getattr(args, f) is not None}


def _version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("framelens")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "unknown"


class _ShowVersion(argparse.Action):
    """``--version``: the installed version, looked up only when asked (reading the
    packages' metadata takes a tenth of a second, which every command would pay)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show framelens's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"framelens {_version()}")  # on stdout, as argparse's own version action
        parser.exit()


def _add_actor_options(parser: argparse.ArgumentParser, *, actors: str) -> None:
    """``--actors LIST`` and ``--tone-model FOLDER``; ``actors`` says what the list is for."""
    parser.add_argument("--actors", default=None, metavar="LIST",
                        help=f"actor list (us-politics, china-tech or a .yml file): {actors}")
    parser.add_argument("--tone-model", default=None, metavar="FOLDER",
                        help="folder of a tone model with the shipped model's interface "
                             "[the shipped model]")


def _add_frames_option(parser: argparse.ArgumentParser) -> None:
    """``--frames MODEL``: learned frames instead of the dictionary."""
    parser.add_argument("--frames", default=None, metavar="MODEL",
                        help="learned frames (the .frames.json of framelens learn) for the "
                             "codebook: code the articles with them [the codebook's terms]")


def build_parser() -> argparse.ArgumentParser:
    """The command line: one sub-command per task, each added by its own function."""
    parser = argparse.ArgumentParser(
        prog="framelens",
        description="Framing, sentiment, term and quote analysis of news articles.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    parser.add_argument("--version", action=_ShowVersion)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, summary, add_options in _COMMANDS:
        add_options(sub.add_parser(name, help=summary))
    return parser


def _report_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens report``."""
    parser.add_argument("article", help=".txt/.md article file (optional YAML metadata header)")
    parser.add_argument("--codebook", default="ai",
                        help="shipped codebook (ai, generic, policy) or a YAML file [ai]")
    parser.add_argument("--out", default="reports", help="output folder [reports]")
    parser.add_argument("--top-n", type=int, default=15, help="terms and speakers shown [15]")
    parser.add_argument("--notebook", default=None,
                        help="notebook to run [notebooks/article_report.ipynb]")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell [900]")
    _add_actor_options(parser, actors="whose tone to show [the people and organisations the "
                                      "article names]")
    _add_encoding(parser)
    _add_frames_option(parser)
    parser.set_defaults(func=_report)


def _score_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens score``."""
    parser.add_argument("corpus", help="folder of articles, or a CSV/TSV/JSONL/Parquet/JSON "
                        "table")
    parser.add_argument("--out", required=True,
                        help="the scores file to write (scores.parquet); .terms.parquet and "
                             ".voices.parquet (and with --actors .actors.parquet) are "
                             "written beside it")
    parser.add_argument("--codebook", default="ai",
                        help="shipped codebook (ai, generic, policy) or a YAML file [ai]")
    parser.add_argument("--chunk-size", type=int, default=None, metavar="N",
                        help="articles per chunk: the unit of work, of memory and of "
                             "resuming [1000; about 8 chunks for a corpus under 8,000]")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="worker processes of the local engine [1]")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local processes, or a Dask cluster [local]")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask scheduler to use (tcp://host:8786) [a new LocalCluster]; "
                             "its workers must see the corpus and the output folder")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker processes of the new LocalCluster [one per core]")
    _add_actor_options(parser, actors="also score the tone toward them in each article "
                                      "(.actors.parquet) [no actor tone]")
    _add_column_mapping(parser)
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bar or progress lines")
    parser.add_argument("--force", action="store_true",
                        help="score again even if the output is up to date")
    _add_frames_option(parser)
    parser.set_defaults(func=_score)


def _compare_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens compare``."""
    parser.add_argument("corpus", help="folder of articles, a CSV/JSONL/Parquet table, or "
                        "the scores file of `framelens score` (not scored again)")
    parser.add_argument("--by", required=True,
                        help="column to compare by: outlet, bias_text, topic...")
    parser.add_argument("--groups", nargs="+", default=None,
                        help="only these groups, in this order [all large enough]")
    parser.add_argument("--min-articles", type=int, default=5,
                        help="smaller groups are named and left out [5]")
    parser.add_argument("--codebook", default="ai",
                        help="shipped codebook (ai, generic, policy) or a YAML file [ai]")
    parser.add_argument("--event", default=None,
                        help="column naming the story or event, for same-event comparisons")
    parser.add_argument("--keep-duplicates", action="store_true",
                        help="keep exact and near duplicate articles (dropped by default)")
    _add_column_mapping(parser)
    parser.add_argument("--cache", default=None,
                        help="scores cache folder [<out>/.cache]")
    parser.add_argument("--out", default="reports", help="output folder [reports]")
    parser.add_argument("--top-n", type=int, default=15, help="terms and speakers shown [15]")
    parser.add_argument("--n-boot", type=int, default=2000,
                        help="bootstrap resamples for intervals [2000]")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap [0]")
    parser.add_argument("--notebook", default=None,
                        help="notebook to run [notebooks/outlet_comparison.ipynb]")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell [3600]")
    _add_actor_options(parser, actors="compare the tone toward them [no actor section]")
    _add_frames_option(parser)
    parser.set_defaults(func=_compare)


def _sample_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens sample``."""
    parser.add_argument("corpus", help="folder of articles, or a CSV/JSONL/Parquet table")
    parser.add_argument("--n", type=int, default=200, help="units to draw [200]")
    parser.add_argument("--stratify", default=None, metavar="COLUMN",
                        help="draw proportionally from each value of this column (outlet...)")
    parser.add_argument("--unit", choices=("article", "sentence", "mention"), default="article",
                        help="code whole articles, single sentences, or the tone toward one "
                             "actor mentioned in one sentence [article]")
    _add_actor_options(parser, actors="with --unit mention: whose mentions to draw [the people "
                                      "and organisations the articles name]")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the draw [0]")
    parser.add_argument("--codebook", default="ai",
                        help="shipped codebook (ai, generic, policy) or a YAML file [ai]")
    parser.add_argument("--coders", nargs="+", default=["coder1"], metavar="NAME",
                        help="coders' names; one block of rows each [coder1]")
    _add_column_mapping(parser)
    parser.add_argument("--out", default=None,
                        help="the sheet (.csv) [coding/<corpus>-<unit>-n<n>-seed<seed>.csv]")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing sheet (and the codes entered in it)")
    parser.add_argument("--uncertain", default=None, metavar="MODEL",
                        help="draw the articles where these learned frames (framelens learn) "
                             "are least sure, with a share drawn at random [a stratified "
                             "random sample]")
    parser.add_argument("--random-share", type=float, default=0.2, metavar="SHARE",
                        help="with --uncertain: the share of units drawn at random [0.2]")
    parser.add_argument("--coded", default=None, metavar="SHEET",
                        help="a coding sheet whose articles are already coded: not drawn again")
    parser.set_defaults(func=_sample)


def _learn(args: argparse.Namespace) -> int:
    from pathlib import Path

    from framelens.models.frames import learn_frames
    from framelens.validation import read_coded_table

    sheet = Path(args.sheet)
    table = read_coded_table(sheet, codebook=args.codebook, text=args.text,
                             frame_columns=dict(_pairs(args.frame_column)))
    model = learn_frames(table, codebook=args.codebook, seed=args.seed)
    book = table.attrs["codebook"]
    out = Path(args.out) if args.out else sheet.with_name(f"{sheet.stem}.frames.json")
    model.save(out, overwrite=args.force)
    print(f"frames model: {out} ({len(model.learned)} of {len(model.frames)} frames of "
          f"{book.name} {book.version} learned from {model.n_units} coded {model.unit}s; "
          f"SHA-256 {model.sha256[:12]})")
    print("cross-validated agreement with the coders (F1 with 95% interval; the dictionary "
          "and always-used on the same units):")
    for r in model.metrics.itertuples():
        if r.method == "learned":
            print(f"  {r.frame:<22} F1 {r.f1:.2f} ({r.f1_lo:.2f}-{r.f1_hi:.2f})  dictionary "
                  f"{r.dictionary_f1:.2f}  always-used {r.always_f1:.2f}")
        elif r.note.startswith("never coded"):
            print(f"  {r.frame:<22} dictionary: {r.note}")
        else:
            print(f"  {r.frame:<22} dictionary, F1 {r.dictionary_f1:.2f}: {r.note}")
    return 0


def _pairs(items: Sequence[str] | None) -> list[tuple[str, str]]:
    out = []
    for item in items or ():
        frame, sep, column = item.partition("=")
        if not sep or not frame or not column:
            raise OptionError(f"--frame-column {item!r} is not FRAME=COLUMN.",
                              fix="write it as --frame-column responsibility=resolution.")
        out.append((frame, column))
    return out


def _learn_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens learn``."""
    parser.add_argument("sheet", help="the filled coding sheet (.csv), or any CSV/JSONL/Parquet "
                                      "table with the text and a 0/1 column per frame")
    parser.add_argument("--codebook", default=None,
                        help="the codebook whose frames were coded [the one the sheet names]")
    parser.add_argument("--frame-column", action="append", metavar="FRAME=COLUMN",
                        help="a table's column holding a frame's codes, when it is not "
                             "named frame_<FRAME> (repeat per frame)")
    parser.add_argument("--text", default=None, metavar="COLUMN",
                        help="a table's column holding the text [text]")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the cross-validation folds and intervals [0]")
    parser.add_argument("--out", default=None,
                        help="the model file to write [<sheet>.frames.json beside the sheet]")
    parser.add_argument("--force", action="store_true",
                        help="replace an earlier frames model at --out")
    parser.set_defaults(func=_learn)


def _validate_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens validate``."""
    parser.add_argument("sheet", help="the filled coding sheet (.csv)")
    parser.add_argument("--machine", default=None,
                        help="framelens's codes [<sheet>.machine.csv beside the sheet]")
    parser.add_argument("--codebook", default=None,
                        help="codebook the sheet was made with [the one the sheet names]")
    parser.add_argument("--allow-missing", action="store_true",
                        help="treat empty code cells as missing data instead of refusing them")
    parser.add_argument("--sentiment-level", choices=("ordinal", "interval"), default="ordinal",
                        help="level of measurement of sentiment for alpha [ordinal]")
    parser.add_argument("--min-alpha", type=float, default=0.667,
                        help="alpha below which a measure is flagged unreliable [0.667]")
    parser.add_argument("--out", default="validation",
                        help="output folder; results go to <out>/<codebook>-<version>/<sheet>/ "
                             "[validation]")
    parser.set_defaults(func=_validate)


def _build_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens build``."""
    parser.add_argument("config", nargs="?", default="reports.yml",
                        help="the reports file [reports.yml]")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME",
                        help="build only these entries")
    parser.add_argument("--force", action="store_true",
                        help="rebuild even the entries that are up to date")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be built and which dependency changed; "
                             "run nothing")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="entries built in parallel [1]")
    parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                        help="wait this long for a running build to finish "
                             "[0: exit at once]")
    parser.add_argument("--out", default=None,
                        help="output folder [reports/ beside the reports file]")
    parser.set_defaults(func=_build)


def _collect_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens collect``."""
    parser.add_argument("feeds", help="feeds file (.yml); see examples/feeds.yml")
    parser.add_argument("--corpus", default=None,
                        help="folder to write the articles to [the feeds file's corpus:]")
    parser.add_argument("--dry-run", action="store_true",
                        help="fetch and extract, but write nothing")
    parser.set_defaults(func=_collect)


def _codebooks_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``framelens codebooks``."""
    parser.set_defaults(func=_codebooks)


#: every command: name, the line ``framelens --help`` shows, the function adding its options
_COMMANDS = (
    ("report", "build the HTML report of one article", _report_options),
    ("score", "score a corpus of any size into a scores file (chunked, parallel, resumable; "
              "locally or on a Dask cluster)", _score_options),
    ("compare", "compare framing, sentiment, terms and voices across outlets (or any grouping "
                "column)", _compare_options),
    ("sample", "draw a reproducible sample and write a coding sheet for human coders "
               "(validation, step 1)", _sample_options),
    ("validate", "agreement of the coders with each other and with framelens on a filled "
                 "coding sheet (validation, step 2)", _validate_options),
    ("learn", "learn the frames of a codebook from a coded sample: classifiers with "
              "cross-validated agreement beside the dictionary's", _learn_options),
    ("build", "rebuild the reports listed in reports.yml whose notebook, parameters, inputs, "
              "codebook, validation or framelens changed", _build_options),
    ("collect", "download new articles from RSS/Atom feeds and address lists into a corpus "
                "folder", _collect_options),
    ("codebooks", "list the shipped codebooks", _codebooks_options),
)


#: fixes written for Python callers, said as the command line says them
_CLI_WORDING = (
    (re.compile(r"pass (text|title|outlet|date|url|id)='<column name>' to read_articles"),
     r"pass --\1 with the column's name"),
    (re.compile(r"pass encoding='([^']*)'"), r"pass --encoding \1"),
    (re.compile(r"pass date=None to ignore the date column"),
     "map another column with --date"),
    (re.compile(r", or pass check_language=False to analyse it anyway"), ""),
)


def _input_error_names() -> set[str]:
    """Names of the errors that mean bad input (exit 2), as a notebook reports them."""
    names, todo = set(), [InputError, CodebookError, OptionError, OutputError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names


def _cli_words(message: str) -> str:
    """``message`` with the Python arguments it names replaced by the CLI's flags."""
    for pattern, words in _CLI_WORDING:
        message = pattern.sub(words, message)
    return message


def _log_above_progress_bars(args: argparse.Namespace) -> contextlib.AbstractContextManager:
    """Log lines above the progress bar of ``framelens score``, not through it (tqdm is
    imported for that command only: the nightly ``framelens build`` has no bar)."""
    if args.command != "score":
        return contextlib.nullcontext()
    from tqdm.contrib.logging import logging_redirect_tqdm

    return logging_redirect_tqdm()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        with _log_above_progress_bars(args):
            return args.func(args)
    except NotebookExecutionError as e:
        if e.ename in _input_error_names():  # bad input found in the notebook: say so plainly
            print(f"framelens: {_cli_words(e.evalue)}", file=sys.stderr)
            return 2
        print(f"framelens: report failed: {e}", file=sys.stderr)
        return 1
    except (InputError, CodebookError, OptionError, OutputError) as e:
        print(f"framelens: {_cli_words(str(e))}", file=sys.stderr)
        return 2
    except FramelensError as e:
        print(f"framelens: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # a file the checks could not foresee: a full disk, a lost mount
        logging.getLogger("framelens").debug("error", exc_info=True)
        where = f"{e.filename}: " if e.filename else ""
        print(f"framelens: {where}{e.strerror or e}. Fix: check that the path exists, that "
              "you may read and write it, and that the disk has room; then run the command "
              "again.", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
