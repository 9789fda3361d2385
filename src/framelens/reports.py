"""Reports: run a parameterised notebook through Papermill and publish it safely as HTML.

This module owns everything between an analysis and a file a colleague opens:

- names: :func:`safe_name` turns titles and outlets into file names that cannot leave
  the output folder, and :func:`report_name` ends a report's name with its codebook
  (both live in :mod:`framelens.names`, which ``framelens build`` loads without pandas);
- display: :func:`table_html`, :func:`summary_html` and :func:`provenance_html` give the
  notebook HTML in which every piece of article text is escaped (a ``<script>`` in a
  headline shows as text);
- provenance: :func:`provenance` records parameters, input hashes, codebook name and
  version, package versions and run time;
- running: :func:`run_notebook` executes a notebook in a staging folder, exports a
  self-contained HTML file without code cells (images inlined, no script from a CDN),
  and moves the finished folder into place in one rename. A notebook that fails leaves
  the previous report untouched, keeps the failed notebook in ``_failed/`` and raises
  :class:`~framelens.errors.NotebookExecutionError` naming the cell.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import html
import importlib.metadata
import logging
import os
import platform
import re
import shutil
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.corpus import fingerprint, input_path, read_articles
from framelens.errors import InputError, NotebookExecutionError, OutputError, ReportError
from framelens.files import check_output_folder, folder_owner, mark_folder
from framelens.names import report_identity, report_name, safe_name

__all__ = [
    "HtmlBlock",
    "ReportPaths",
    "bullets_html",
    "export_html",
    "find_notebook",
    "format_cell",
    "note_html",
    "package_versions",
    "provenance",
    "provenance_html",
    "report_article",
    "report_comparison",
    "report_identity",
    "relative_paths",
    "report_name",
    "run_notebook",
    "safe_name",
    "summary_html",
    "table_html",
]

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
#: packages whose versions every report states
REPORTED_PACKAGES = ("framelens", "pandas", "numpy", "matplotlib", "textblob", "vaderSentiment",
                     "nupunkt", "onnxruntime", "tokenizers", "PyYAML", "papermill", "nbconvert",
                     "ipykernel")


# --- names -------------------------------------------------------------------------


def _inside(root: Path, name: str) -> Path:
    root = root.resolve()
    path = (root / name).resolve()
    if path.parent != root:
        raise ReportError(f"refusing to write {name!r} outside {root}.")
    return path


# --- display -----------------------------------------------------------------------


class HtmlBlock(str):
    """A string of finished HTML that Jupyter displays as HTML (not as text)."""

    def _repr_html_(self) -> str:
        return str(self)


#: what an empty cell of these columns means (by the column's name before renaming)
MISSING_TEXT = {"reliable": "not validated"}
#: columns that hold p-values, shown as "< 0.001" below that
P_VALUE_COLUMNS = frozenset({"p", "p_value", "p_adjusted", "p_raw"})
#: strings at least this long on average make a column of prose (kept readably wide)
_PROSE_LENGTH = 40


def format_cell(value: object, *, column: str = "", digits: int = 3) -> str:
    """The text of one table cell, as a reader expects it (not as Python prints it).

    Booleans read "yes"/"no", p-values below 0.001 read "< 0.001", numbers carry
    thousands separators, and an empty cell is blank, or what :data:`MISSING_TEXT` says it
    means for ``column`` ("not validated" for ``reliable``).

    Examples
    --------
    >>> format_cell(True), format_cell(1108982), format_cell(0.00001, column="p_value")
    ('yes', '1,108,982', '< 0.001')
    >>> format_cell(pd.NA, column="reliable")
    'not validated'
    """
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return MISSING_TEXT.get(column, "")
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if column in P_VALUE_COLUMNS and 0 <= value < 0.001:
            return "< 0.001"
        return f"{float(value):,.{digits}f}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {format_cell(v)}" for k, v in value.items()) or "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_cell(v) for v in value) or "none"
    return str(value)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _is_prose(series: pd.Series) -> bool:
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    lengths = series.dropna().astype(str).str.len()
    return bool(len(lengths)) and lengths.mean() >= _PROSE_LENGTH


def table_html(
    table: pd.DataFrame,
    *,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    max_rows: int = 50,
    digits: int = 3,
    caption: str | None = None,
) -> HtmlBlock:
    """An HTML table in which every cell is escaped and formatted for a reader.

    Cells are formatted by :func:`format_cell` (yes/no, "< 0.001", thousands
    separators); numeric columns are right-aligned (class ``num``), columns of prose
    keep a readable width (class ``prose``), and the table scrolls inside its own box
    on a narrow screen instead of widening the page.

    Parameters
    ----------
    table : any DataFrame.
    columns : the columns to show, or a mapping ``{column: heading}`` to rename them.
    max_rows : rows shown; a note says how many were left out.
    digits : decimals for floats.
    caption : shown above the table (escaped).

    Examples
    --------
    >>> "&lt;script&gt;" in table_html(pd.DataFrame({"title": ["<script>"]}))
    True
    """
    mapping = {c: c for c in table.columns} if columns is None else (
        dict(columns) if isinstance(columns, Mapping) else {c: c for c in columns})
    shown = table[list(mapping)].head(max_rows)
    kinds = {c: "num" if _is_numeric(table[c]) else "prose" if _is_prose(table[c]) else ""
             for c in mapping}

    def attr(column: str) -> str:
        return f' class="{kinds[column]}"' if kinds[column] else ""

    head = "".join(f"<th{attr(c)}>{html.escape(str(h))}</th>" for c, h in mapping.items())
    rows = "\n".join(
        "<tr>" + "".join(
            f"<td{attr(c)}>{html.escape(format_cell(v, column=c, digits=digits))}</td>"
            for c, v in zip(mapping, values)) + "</tr>"
        for values in shown.itertuples(index=False, name=None))
    parts = []
    if caption:
        parts.append(f"<p><strong>{html.escape(caption)}</strong></p>")
    parts.append(f'<div class="fl-scroll"><table class="fl-table">\n<thead><tr>{head}</tr>'
                 f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table></div>")
    if len(table) > len(shown):
        parts.append(f'<p class="fl-note">{len(table) - len(shown):,} more rows not shown; '
                     "see the CSV files.</p>")
    return HtmlBlock("\n".join(parts))


def bullets_html(sentences: Sequence[str]) -> HtmlBlock:
    """An escaped bulleted list, e.g. of :func:`framelens.summarize_differences` sentences.

    Each sentence starts with a capital, also when it opens with a group's name ("left").

    Examples
    --------
    >>> bullets_html(["a < b"])
    '<ul class="fl-bullets">\\n<li>A &lt; b</li>\\n</ul>'
    """
    items = "\n".join(f"<li>{html.escape(s[:1].upper() + s[1:])}</li>" for s in sentences)
    return HtmlBlock(f'<ul class="fl-bullets">\n{items}\n</ul>')


def note_html(text: str) -> HtmlBlock:
    """A short escaped note, shown where a table or chart has nothing to show."""
    return HtmlBlock(f'<p class="fl-note">{html.escape(text)}</p>')


def _rows_html(rows: Sequence[tuple[str, object]], *, css: str) -> HtmlBlock:
    cells = "\n".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(format_cell(v))}</td></tr>"
        for k, v in rows)
    return HtmlBlock(f'<div class="fl-scroll"><table class="fl-table {css}">\n{cells}\n'
                     "</table></div>")


def summary_html(analysis: Any, *, article_id: str | None = None) -> HtmlBlock:
    """A summary of one analysed article: outlet, date, length, sentiment, frames, sources.

    Parameters
    ----------
    analysis : an :class:`framelens.Analysis`.
    article_id : which article; the first one by default.

    Examples
    --------
    >>> summary_html(fl.analyze(fl.read_articles("data/articles")))  # doctest: +SKIP
    """
    scores = analysis.scores()
    row = scores.iloc[0] if article_id is None else scores.set_index("article_id").loc[article_id]
    labels = dict(zip(analysis.codebook.frame_ids, (f.label for f in analysis.codebook.frames)))
    dominant = "; ".join(labels.get(f, f) for f in str(row["dominant"]).split("; ") if f)
    published = row["published"]
    paragraphs = analysis.paragraphs
    if article_id is not None:
        paragraphs = paragraphs[paragraphs["article_id"] == article_id]
    set_aside = paragraphs["kind"].value_counts().reindex(
        ["caption", "byline", "boilerplate"], fill_value=0)
    rows = [
        ("Headline", row["title"] or "(none)"),
        ("Outlet", row["outlet"] or "(unknown)"),
        ("Published", published.date().isoformat() if pd.notna(published) else "(unknown)"),
        ("Length", f"{int(row['n_words']):,} words in {int(row['n_sentences'])} sentences"),
        ("Overall sentiment", f"{row['label']} (polarity {row['polarity']:+.3f}, "
                              f"subjectivity {row['subjectivity']:.2f}; "
                              f"VADER compound {row['vader_compound']:+.3f})"),
        ("Headline / lead sentiment", f"{row['headline_polarity']:+.3f} / "
                                      f"{row['lead_polarity']:+.3f}"),
        ("Dominant frame(s)", dominant or "none reaches the minimum number of hits"),
        ("Sources quoted", f"{int(row['n_speakers'])} speakers, {int(row['n_quotes'])} quotes; "
                           f"{row['quoted_share']:.0%} of the words are quoted or reported "
                           f"speech ({row['direct_share']:.0%} direct)"),
        ("Set aside", ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in set_aside.items())
         + " (not scored)"),
        ("Codebook", f"{analysis.codebook.title} ({analysis.codebook.name}, "
                     f"version {analysis.codebook.version})"),
    ]
    return _rows_html(rows, css="fl-summary")


# --- provenance ----------------------------------------------------------------------


def package_versions(names: Sequence[str] = REPORTED_PACKAGES) -> dict[str, str]:
    """Installed versions of the packages a report depends on ("not installed" if absent)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def provenance(
    *,
    parameters: Mapping[str, object],
    inputs: Sequence[str | PathLike] = (),
    codebook: Any = None,
    started: dt.datetime | None = None,
    tone_model: Any = None,
    actors: Any = None,
    frames: Any = None,
) -> dict[str, Any]:
    """What a reader needs to reproduce a report.

    Parameters
    ----------
    parameters : the notebook's parameters.
    inputs : input files or folders; each is hashed (SHA-256).
    codebook : the :class:`framelens.Codebook` used.
    started : when the run began (UTC); the duration is measured up to now.
    tone_model : the tone model's folder or loaded model; None is the shipped model,
        whose name, version and SHA-256 every report records.
    actors : the actor list used, if any (name, version and SHA-256 are recorded).
    frames : the learned frames used, if any (:class:`framelens.FrameModel`): the model
        file's name and SHA-256, and the sentence encoder's, are recorded.

    Returns
    -------
    dict with ``parameters, inputs, codebook, models, actors, packages, platform,
    started_utc, finished_utc, duration_s``.

    Examples
    --------
    >>> record = provenance(parameters={"top_n": 5})
    >>> record["models"][0]["name"]
    'tone-newsmtsc'
    """
    now = dt.datetime.now(dt.UTC)
    from framelens.models.tone import tone_model_info

    model = tone_model_info(tone_model)
    models = [{"role": "tone", "name": model["name"], "version": model["version"],
               "sha256": model["sha256"]}]
    if frames is not None:
        models.append({"role": "learned frames", "name": Path(frames.path).name
                       if frames.path else "(in memory)",
                       "version": f"{frames.codebook} {frames.codebook_version}",
                       "sha256": frames.sha256 or ""})
        models.append({"role": "sentence encoder", "name": frames.encoder.get("name", ""),
                       "version": frames.encoder.get("version", ""),
                       "sha256": frames.encoder.get("sha256", "")})
    actor_list = None
    if actors is not None:
        digest = hashlib.sha256(Path(actors.path).read_bytes()).hexdigest() if getattr(
            actors, "path", None) else ""
        actor_list = {"name": actors.name, "version": actors.version, "sha256": digest}
    book = None
    if codebook is not None:
        digest = hashlib.sha256(Path(codebook.path).read_bytes()).hexdigest() if getattr(
            codebook, "path", None) else ""
        book = {"name": codebook.name, "title": codebook.title, "version": codebook.version,
                "sha256": digest}
    return {
        "parameters": dict(parameters),
        "inputs": [{"path": str(p), "sha256": fingerprint(p)} for p in inputs],
        "codebook": book,
        "models": models,
        "actors": actor_list,
        "packages": package_versions(),
        "platform": f"{platform.system()} {platform.machine()}",
        "started_utc": started.isoformat(timespec="seconds") if started else "",
        "finished_utc": now.isoformat(timespec="seconds"),
        "duration_s": round((now - started).total_seconds(), 1) if started else None,
    }


def provenance_html(record: Mapping[str, Any]) -> HtmlBlock:
    """The provenance record as an escaped HTML block for the end of a report."""
    rows: list[tuple[str, object]] = []
    for key, value in record["parameters"].items():
        rows.append((f"parameter: {key}", value))
    for item in record["inputs"]:
        rows.append(("input", f"{item['path']} (sha256 {item['sha256']})"))
    if record.get("codebook"):
        book = record["codebook"]
        rows.append(("codebook", f"{book['name']} version {book['version']} "
                                 f"(sha256 {book['sha256'][:16]})"))
    for model in record.get("models") or ():
        rows.append((f"{model['role']} model", f"{model['name']} version {model['version']} "
                                               f"(sha256 {model['sha256'][:16]})"))
    if record.get("actors"):
        actors = record["actors"]
        rows.append(("actor list", f"{actors['name']} version {actors['version']} "
                                   f"(sha256 {actors['sha256'][:16]})"))
    rows.append(("packages", ", ".join(f"{k} {v}" for k, v in record["packages"].items())))
    rows.append(("platform", record["platform"]))
    rows.append(("run", f"started {record['started_utc']}, finished {record['finished_utc']}"
                        f" ({record['duration_s']} s)"))
    return HtmlBlock(_rows_html(rows, css="fl-provenance"))


# --- running and publishing ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportPaths:
    """Where a published report lives."""

    folder: Path
    html: Path
    notebook: Path
    files: tuple[Path, ...]


def find_notebook(name: str) -> Path:
    """Locate a shipped notebook (``article_report``...): in ``./notebooks`` or beside the
    framelens source tree."""
    filename = name if name.endswith(".ipynb") else f"{name}.ipynb"
    candidates = [Path(filename), Path.cwd() / "notebooks" / filename,
                  Path(__file__).resolve().parents[2] / "notebooks" / filename]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise ReportError(f"notebook {filename!r} not found in ./notebooks or beside framelens; "
                      "pass its path with --notebook.")


def _as_note(output: Any) -> Any:
    """Warnings a cell logged (stderr) become a quiet, escaped note in the HTML report."""
    if output.get("output_type") != "stream" or output.get("name") != "stderr":
        return output
    import nbformat

    lines = [ln for ln in output.get("text", "").splitlines() if ln.strip()]
    items = "".join(f"<li>{html.escape(ln)}</li>" for ln in lines)
    return nbformat.v4.new_output(
        "display_data", data={"text/html": f'<ul class="fl-note fl-log">{items}</ul>'})


def export_html(notebook: str | PathLike, target: str | PathLike) -> Path:
    """Export an executed notebook to a self-contained HTML file without code cells.

    Images are inlined; no script is loaded from the network, so the file opens offline.
    Warnings that cells wrote to stderr are shown as quiet notes (the executed notebook
    keeps them as they were).
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        cell["outputs"] = [_as_note(o) for o in cell.get("outputs", [])]
    exporter = HTMLExporter(
        template_name="framelens",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    target = Path(target)
    target.write_text(body, encoding="utf-8")
    return target


def _publish(staging: Path, final: Path) -> None:
    """Swap the staging folder into place; the old report survives any failure before."""
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.rename(final, old)
    try:
        os.rename(staging, final)
    except OSError:
        if old is not None:
            os.rename(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _made_before_markers(folder: Path, name: str) -> bool:
    """A report folder published before folders were marked: it holds the report's own
    ``<name>.html`` and ``<name>.ipynb``."""
    return (folder / f"{name}.html").is_file() and (folder / f"{name}.ipynb").is_file()


def _claim(out: Path, name: str, identity: str, *, exact: bool = False,
           replace_own: bool = False) -> Path:
    """The folder to publish the report ``name`` of input ``identity`` to.

    ``out/name`` when it is free or holds this same report (its marker says so). When it
    holds the report of another input (two titles that differ only in punctuation give one
    name), the name gets a suffix made from the input, so each keeps its own folder;
    with ``exact`` (a build entry, whose name is fixed) that is refused instead.
    ``replace_own``: the caller checked that ``out/name`` is its own earlier output.
    Any other file or folder there is framelens's to leave alone: refused."""
    digest = hashlib.sha256(identity.encode()).hexdigest()[:8]
    for candidate_name in (name,) if exact else (name, f"{name}-{digest}"):
        candidate = _inside(out, candidate_name)
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        owner = folder_owner(candidate) if candidate.is_dir() else None
        if candidate.is_dir() and not candidate.is_symlink() and (
                (replace_own and candidate_name == name)
                or (owner is None and _made_before_markers(candidate, candidate_name))):
            return candidate
        if owner is None:
            raise OutputError(
                f"{candidate_name!r} is already there and framelens did not make it; "
                "refusing to replace it.", path=candidate,
                fix="pass --out another folder (reports/), or move it away.")
        if owner.get("identity") == identity:
            return candidate
        if exact:
            raise OutputError(
                f"{candidate_name!r} holds another report ({_identity_text(owner)}), which "
                "this build did not make; refusing to replace it.", path=candidate,
                fix="move that folder away, or give the entry another name.")
        log.info("%s holds the report of %s; this one goes to %s-%s", candidate,
                 owner.get("identity"), name, digest)
    raise OutputError(f"{name!r} and {name}-{digest} hold the reports of other inputs.",
                      path=out / name, fix="pass --out another folder.")


def _identity_text(owner: Mapping[str, Any]) -> str:
    """A report's identity as a reader needs it: its files and codebook, without the hash
    (markers written before identities were hashed list absolute paths, one a line)."""
    identity = str(owner.get("identity", ""))
    if "\n" in identity or identity.startswith("/"):
        return ", ".join(line if line.startswith("codebook: ") else Path(line).name
                         for line in identity.splitlines()) or "unknown"
    return identity.rsplit(" [", 1)[0] or "unknown"


def _keep_failed(executed: Path, out: Path, name: str) -> Path | None:
    """Copy the failed notebook to ``out/_failed/name.ipynb`` whole or not at all (a full
    disk leaves no empty file behind); return it, or None when it could not be kept."""
    if not executed.is_file():
        return None
    failed_dir = out / "_failed"
    kept = failed_dir / f"{name}.ipynb"
    partial = failed_dir / f".{name}-{uuid.uuid4().hex[:8]}.ipynb"
    try:
        failed_dir.mkdir(exist_ok=True)
        shutil.copyfile(executed, partial)
        os.replace(partial, kept)
    except OSError as e:
        partial.unlink(missing_ok=True)
        log.warning("could not keep the failed notebook in %s: %s", failed_dir, e)
        return None
    return kept


def _check_notebook(notebook: str | PathLike) -> None:
    """Refuse a notebook that is missing or is not a Jupyter notebook, before a kernel."""
    import nbformat

    try:
        nbformat.read(str(notebook), as_version=4)
    except FileNotFoundError as e:
        raise InputError("no such notebook.", path=notebook,
                         fix="check the path given with --notebook.") from e
    except (OSError, ValueError, KeyError, TypeError, AttributeError,
            nbformat.ValidationError) as e:
        raise InputError(f"this is not a Jupyter notebook ({type(e).__name__}: {e}).",
                         path=notebook,
                         fix="pass a .ipynb file saved by JupyterLab or Jupyter.") from e


#: output types whose text a reader sees (images and widgets are left alone)
_TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex")


def relative_paths(nb: Any, *, project: str | PathLike,
                   shown: Mapping[str, str | PathLike] | None = None) -> Any:
    """The executed notebook ``nb`` with every absolute path in what a reader sees (cell
    outputs, the injected parameters, Papermill's metadata) shown relative to ``project``.

    A report is published, so ``/home/ana/study/data/articles.jsonl#row 112`` must read
    ``data/articles.jsonl#row 112``: paths under ``project`` lose its prefix, paths
    beside it get ``../`` (``../shared/corpus.jsonl``). ``shown`` maps other folders to
    what they should read as (the staging folder as the report's published folder).
    Images are left alone. Returns ``nb``, changed in place.

    Examples
    --------
    >>> relative_paths(nb, project="/home/ana/study")  # doctest: +SKIP
    """
    text = _path_rewriter(project, shown)

    def walk(value: Any) -> Any:
        return _map_text(value, text)

    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = text(cell["source"])
        for output in cell.get("outputs", []):
            # stream text, error messages and the text kinds of display data; not images
            for key in ("text", "evalue", "traceback"):
                if key in output:
                    output[key] = walk(output[key])
            data = output.get("data", {})
            for kind in _TEXT_TYPES:
                if kind in data:
                    data[kind] = walk(data[kind])
    papermill = nb.metadata.get("papermill")
    if papermill:
        nb.metadata["papermill"] = walk(papermill)
    return nb


def _map_text(value: Any, text: Any) -> Any:
    """``value`` (text, or lists and dicts of it, as in a notebook) with ``text`` applied
    to every string."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [_map_text(v, text) for v in value]
    if isinstance(value, dict):
        return type(value)({k: _map_text(v, text) for k, v in value.items()})
    return value


#: files a report folder holds whose text may name paths (tables the notebook wrote)
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".md", ".json")


def _relative_files(folder: Path, *, project: str | PathLike,
                    shown: Mapping[str, str | PathLike] | None = None) -> None:
    """Rewrite the text files of a report folder as :func:`relative_paths` rewrites its
    notebook (``origin`` of a problem article reads ``data/articles.jsonl#row 112``)."""
    text = _path_rewriter(project, shown)
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix.lower() in _TEXT_SUFFIXES:
            try:
                before = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:  # not text after all: left as it is
                continue
            after = text(before)
            if after != before:
                path.write_text(after, encoding="utf-8")


def _path_rewriter(project: str | PathLike,
                   shown: Mapping[str, str | PathLike] | None = None) -> Any:
    """A function that rewrites absolute paths in a text as :func:`relative_paths` says."""
    root = Path(project).resolve()
    prefixes: list[tuple[str, str]] = []
    for folder, target in (shown or {}).items():
        prefixes.append((str(Path(folder)), os.path.relpath(Path(target).resolve(), root)))
    prefixes.append((str(root), "."))
    # a path beside the project (../shared/...) is relative too; "/" itself is not a prefix
    for up, parent in enumerate(root.parents, start=1):
        if parent.parent != parent:
            prefixes.append((str(parent), "/".join([".."] * up)))
    prefixes.sort(key=lambda p: -len(p[0]))
    # a prefix counts only as a whole path or followed by "/" (not /work/wt1x for /work/wt1)
    pattern = re.compile(r"(?<![\w.~/-])(" + "|".join(re.escape(p) for p, _ in prefixes)
                         + r")(?:(/)|(?![\w.-]))")
    targets = dict(prefixes)

    def sub(match: re.Match) -> str:
        shown_as = targets[match.group(1)]
        if match.group(2):  # followed by "/": data/..., ../shared/..., reports/name/...
            return "" if shown_as == "." else shown_as + "/"
        return shown_as

    def text(value: str) -> str:
        return pattern.sub(sub, value)

    return text


def _kernel_transport(sockets: str | None) -> dict[str, Any]:
    """Papermill options that talk to the kernel over local sockets in ``sockets`` (a
    private temporary folder) rather than TCP, which the kernel warns about on every run.
    None (Windows, where there are no local sockets): TCP, as Jupyter does."""
    if sockets is None:
        return {}
    from traitlets.config import Config

    return {"config": Config({"KernelManager": {"transport": "ipc",
                                                "ip": os.path.join(sockets, "kernel")}})}


def run_notebook(
    notebook: str | PathLike,
    *,
    name: str,
    parameters: Mapping[str, object],
    out_dir: str | PathLike = "reports",
    title: str | None = None,
    timeout: int = 900,
    identity: str | None = None,
    exact_name: bool = False,
    replace_own: bool = False,
    project: str | PathLike | None = None,
) -> ReportPaths:
    """Execute ``notebook`` with Papermill and publish it as ``out_dir/name/``.

    The notebook receives ``output_dir`` (a staging folder) besides ``parameters`` and
    may write files there. When it finishes, the executed notebook and its HTML export
    (``name.ipynb``, ``name.html``) join them and the folder replaces ``out_dir/name``
    in one rename. When a cell raises, nothing in ``out_dir/name`` changes, the failed
    notebook is kept as ``out_dir/_failed/name.ipynb`` and
    :class:`~framelens.errors.NotebookExecutionError` says which cell failed and why.

    Only a folder framelens published for the same report is replaced: each holds a
    marker (:data:`framelens.files.REPORT_MARKER`) naming the report's ``identity``.
    The report of another input whose name is the same goes to ``name-<hash>``; a file
    or folder framelens did not make is never replaced (:class:`OutputError`).

    Paths of the machine that ran it never reach a reader: in the published notebook's
    outputs, its parameters, the HTML and the tables the notebook wrote (CSV, text),
    absolute paths are shown relative to
    ``project`` (``data/articles.jsonl#row 112``, ``../shared/corpus.jsonl``) and the
    staging folder as the report's own folder (:func:`relative_paths`).

    Parameters
    ----------
    identity : what makes two runs the same report (:func:`report_identity`); by
        default the name alone.
    exact_name : publish to ``out_dir/name`` or fail (a ``framelens build`` entry): a
        folder there holding another report is never moved to a suffixed name.
    replace_own : the caller checked that ``out_dir/name`` is its own earlier output
        (``framelens build`` records a hash of what it published): replace it even if
        its marker names another identity (one written by an older framelens).
    project : the folder paths are shown relative to (default: the working directory).

    Examples
    --------
    >>> run_notebook("notebooks/article_report.ipynb", name="demo",
    ...              parameters={"article": "data/articles"})  # doctest: +SKIP
    """
    import nbformat
    import papermill as pm

    name = safe_name(name)
    out = check_output_folder(out_dir)
    _check_notebook(notebook)
    identity = identity or name
    out.mkdir(parents=True, exist_ok=True)
    final = _claim(out, name, identity, exact=exact_name, replace_own=replace_own)
    name = final.name
    staging_root = out / ".staging"
    staging_root.mkdir(exist_ok=True)
    staging = staging_root / f"{name}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    executed = staging / f"{name}.ipynb"
    params = {**parameters, "output_dir": str(staging.resolve())}
    sockets = tempfile.mkdtemp(prefix="framelens-kernel-") if os.name == "posix" else None
    try:
        try:
            pm.execute_notebook(
                str(notebook), str(executed), parameters=params, kernel_name="python3",
                progress_bar=False, cwd=str(Path(notebook).resolve().parent),
                execution_timeout=timeout, **_kernel_transport(sockets),
            )
        except pm.PapermillExecutionError as e:
            kept = _keep_failed(executed, out, name)
            raise NotebookExecutionError(notebook=notebook, cell=e.exec_count, ename=e.ename,
                                         evalue=e.evalue, source=e.source or "",
                                         kept=kept) from e
        except Exception:
            # a cell timeout or a dead kernel: keep what ran, for debugging
            _keep_failed(executed, out, name)
            raise
        nb = nbformat.read(executed, as_version=4)
        if title:
            nb.metadata["title"] = title
        shown = {str(staging.resolve()): final}
        nbformat.write(relative_paths(nb, project=Path(project or Path.cwd()), shown=shown),
                       executed)
        _relative_files(staging, project=Path(project or Path.cwd()), shown=shown)
        html_path = export_html(executed, staging / f"{name}.html")
        files = tuple(sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file()))
        mark_folder(staging, report=name, identity=identity)
        _publish(staging, final)
    finally:
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):  # empty unless another run is publishing
            staging_root.rmdir()
    # this entry built: a notebook kept from an earlier failure is stale now
    (out / "_failed" / f"{name}.ipynb").unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        (out / "_failed").rmdir()
    return ReportPaths(folder=final, html=final / html_path.name, notebook=final / executed.name,
                       files=tuple(final / f for f in files))


def _model_parameters(actors: str | PathLike | None,
                      tone_model: str | PathLike | None) -> tuple[str, str]:
    """The notebook parameters for an actor list and a tone model, checked first so that
    a malformed list or a missing model is refused before a kernel starts."""
    from framelens.actors import load_actors
    from framelens.models.tone import load_tone_model

    actors_param = ""
    if actors:
        load_actors(actors)
        actors_param = str(Path(actors).resolve()) if Path(str(actors)).suffix in (
            ".yml", ".yaml") else str(actors)
    model_param = str(Path(tone_model).resolve()) if tone_model else ""
    load_tone_model(model_param or None)
    return actors_param, model_param


def _model_notebook_parameters(actors: str, tone_model: str) -> dict[str, str]:
    """Only the parameters given: a notebook of your own need not take them."""
    return {key: value for key, value in (("actors", actors), ("tone_model", tone_model))
            if value}


def _validation_folder(folder: str | PathLike) -> str:
    """The validation results folder as an absolute path, or "" when there is none."""
    path = Path(folder)
    return str(path.resolve()) if path.is_dir() else ""


def report_article(
    article: str | PathLike,
    *,
    codebook: str = "ai",
    out_dir: str | PathLike = "reports",
    top_n: int = 15,
    notebook: str | PathLike | None = None,
    timeout: int = 900,
    validation: str | PathLike = "validation",
    actors: str | PathLike | None = None,
    tone_model: str | PathLike | None = None,
    encoding: str | None = None,
    dayfirst: bool | None = None,
    frames: str | PathLike | None = None,
) -> ReportPaths:
    """Build the article report: run ``notebooks/article_report.ipynb`` for ``article``.

    The article is read once here first, so bad input is refused with its message before
    a kernel starts. The report folder is named from outlet, date and title. When
    ``validation`` holds results of ``framelens validate``, the frame table shows them.
    ``actors`` names an actor list (shipped name or YAML file; default: the people and
    organisations the article names) and ``tone_model`` the folder of a tone model
    (default: the shipped one); both are checked before a kernel starts.
    ``encoding`` forces the article's encoding and ``dayfirst`` says how to read a date
    such as 05/09/2025 (see :func:`framelens.read_article`). ``frames`` names a
    learned-frames file (``framelens learn``) for the codebook, checked before a kernel
    starts: the report then shows each frame's probability and decision beside the terms.

    Returns
    -------
    :class:`ReportPaths` of ``out_dir/<outlet-date-title>-<codebook>/`` (the codebook ends
    the name: reports of one article with two codebooks never share a folder): the HTML
    report, the executed notebook and the score tables as CSV.

    Examples
    --------
    >>> report_article("data/articles/global-times-2025-09-05-ai-public-good.txt")  # doctest: +SKIP
    """
    from framelens.codebook import load_codebook

    article = input_path(article)
    meta = read_articles(article, encoding=encoding, dayfirst=dayfirst).iloc[0]
    book = load_codebook(codebook)  # refuse a malformed codebook before starting a kernel
    actors_param, model_param = _model_parameters(actors, tone_model)
    published = meta["published"].date().isoformat() if pd.notna(meta["published"]) else None
    name = report_name(meta["outlet"], published, meta["title"], codebook=book.name,
                       default=meta["article_id"])
    nb_path = Path(notebook) if notebook else find_notebook("article_report")
    codebook_param = str(Path(codebook).resolve()) if Path(codebook).suffix in (
        ".yml", ".yaml") else codebook
    parameters = {"article": str(article), "codebook": codebook_param, "top_n": top_n,
                  "validation": _validation_folder(validation),
                  **_model_notebook_parameters(actors_param, model_param)}
    if encoding:  # only then: a notebook of your own need not take them
        parameters["encoding"] = encoding
    if dayfirst is not None:
        parameters["dayfirst"] = dayfirst
    inputs = [article]
    if frames:
        from framelens.models.frames import load_frame_model

        model = load_frame_model(frames, codebook=book)
        parameters["frames"] = str(Path(model.path).resolve())
        inputs.append(Path(model.path))
    log.info("running %s for %s", nb_path, article)
    return run_notebook(nb_path, name=name, parameters=parameters, out_dir=out_dir,
                        title=meta["title"] or name, timeout=timeout,
                        identity=report_identity(nb_path, inputs, codebook=codebook_param))


def report_comparison(
    corpus: str | PathLike,
    *,
    by: str,
    groups: Sequence[str] | None = None,
    min_articles: int = 5,
    codebook: str = "ai",
    columns: Mapping[str, str] | None = None,
    event: str | None = None,
    keep_duplicates: bool = False,
    cache: str | PathLike | None = None,
    out_dir: str | PathLike = "reports",
    top_n: int = 15,
    n_boot: int = 2000,
    seed: int = 0,
    notebook: str | PathLike | None = None,
    timeout: int = 3600,
    validation: str | PathLike = "validation",
    actors: str | PathLike | None = None,
    tone_model: str | PathLike | None = None,
    frames: str | PathLike | None = None,
) -> ReportPaths:
    """Build the outlet comparison: run ``notebooks/outlet_comparison.ipynb`` on a corpus.

    The corpus is read once here first, so a bad file, a missing column or a group
    column that does not exist is refused before a kernel starts.

    Parameters
    ----------
    corpus : a folder of articles, a CSV/JSONL/Parquet table, or the scores file of
        ``framelens score`` (:func:`framelens.read_scores`; not scored again).
    by : the column to compare by (``outlet``, ``bias_text``, ``topic``...).
    groups : only these groups, in this order (default: every group large enough).
    min_articles : groups with fewer articles are named and left out.
    columns : the column mapping for tables (``{"text": "body", "outlet": "source"}``).
    event : a column naming the story/event, for same-event comparisons.
    keep_duplicates : keep exact and near duplicates (dropped by default).
    cache : folder for the scores cache (default ``<out_dir>/.cache``).
    validation : folder of ``framelens validate`` results; when it holds some for the
        codebook, frames are shown with their alpha and flagged when unreliable.
    actors : an actor list (shipped name such as ``"china-tech"`` or a YAML file): the
        report then compares the groups' tone toward each actor. None: no actor section.
    tone_model : the folder of a tone model (default: the shipped one).
    frames : a learned-frames file (``framelens learn``) for the codebook: the articles
        are coded with it, and each frame's shares are shown raw and corrected for the
        error its cross-validation measured. Checked before a kernel starts.

    Returns
    -------
    :class:`ReportPaths` of ``out_dir/comparison-<corpus>-by-<column>-<codebook>/``.

    Examples
    --------
    >>> report_comparison("../shared/data/allsides-china-tech/articles.jsonl",
    ...                   by="bias_text")  # doctest: +SKIP
    """
    from framelens.codebook import load_codebook
    from framelens.comparison import PERIOD_COLUMNS
    from framelens.errors import MissingColumnError
    from framelens.scores import is_scores_file, read_scores

    corpus = input_path(corpus)
    mapping = dict(columns or {})
    frames_path = ""
    if frames:
        from framelens.models.frames import load_frame_model

        frames_path = str(load_frame_model(frames, codebook=codebook).path)
        frames_path = str(Path(frames_path).resolve())
    if is_scores_file(corpus):  # refuse scores of another codebook before a kernel starts
        articles = read_scores(corpus).checked(codebook, frames=frames or None).scores
    else:
        articles = read_articles(corpus, **mapping)
    if by not in articles.columns and by not in PERIOD_COLUMNS:
        raise MissingColumnError(
            f"no column {by!r} to compare by; the corpus has {list(articles.columns)}.",
            path=str(corpus), fix="pass --by with one of those columns.")
    if event and event not in articles.columns:
        raise MissingColumnError(
            f"no event column {event!r}; the corpus has {list(articles.columns)}.",
            path=str(corpus), fix="pass --event with one of those columns, or leave it out.")
    book = load_codebook(codebook)
    actors_param, model_param = _model_parameters(actors, tone_model)
    nb_path = Path(notebook) if notebook else find_notebook("outlet_comparison")
    codebook_param = str(Path(codebook).resolve()) if Path(codebook).suffix in (
        ".yml", ".yaml") else codebook
    cache_dir = Path(cache).resolve() if cache else (Path(out_dir) / ".cache").resolve()
    parameters = {
        "corpus": str(corpus), "columns": mapping, "by": by,
        "groups": list(groups) if groups else [], "min_articles": min_articles,
        "codebook": codebook_param, "event": event or "", "drop_duplicates": not keep_duplicates,
        "cache": str(cache_dir), "top_n": top_n, "n_boot": n_boot, "seed": seed,
        "validation": _validation_folder(validation),
        **_model_notebook_parameters(actors_param, model_param),
        **({"frames": frames_path} if frames_path else {}),
    }
    name = report_name("comparison", corpus.stem, "by", by, codebook=book.name)
    return run_notebook(nb_path, name=name, parameters=parameters, out_dir=out_dir,
                        title=f"Comparison of {corpus.name} by {by} ({book.name} codebook)",
                        timeout=timeout,
                        identity=report_identity(nb_path, [corpus, *([frames_path] if frames_path
                                                                  else [])],
                                                 codebook=codebook_param))
