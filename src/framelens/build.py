"""Scheduled report builds: rebuild what changed, publish safely, record what ran.

This module owns ``framelens build``, the command a nightly job runs:

- the reports file: :func:`load_build_config` reads ``reports.yml`` (a list of entries,
  each a notebook, its parameters and its inputs) into :class:`Entry` objects and refuses
  a malformed file with the line at fault;
- planning: :func:`plan` decides for each entry whether to build it. An entry is rebuilt
  only when one of its dependencies differs, by content, from the build whose report is
  online: the notebook's cells, its parameters, its input data
  (:func:`framelens.fingerprint`), the codebook's content, the validation result the
  report shows (:func:`framelens.latest_validation`), its own actor list or tone model,
  or framelens's version and code; or when the report online is not the one the build
  published (something else replaced or edited it: the folder's hash is recorded). A
  file is re-read only when its size or timestamps moved (a stat cache in
  ``<out>/.build-hashes.json``, which also remembers each notebook's parameters), but the
  decision rests on the hash, so a build with nothing to do reads almost nothing and
  imports neither pandas nor papermill;
- building: :func:`build` takes ``<out>/.build.lock`` so two builds never interleave,
  repairs what an interrupted build left behind, runs each entry through
  :func:`framelens.run_notebook` (staging folder, one rename; a failure leaves the last
  good report online) and records every outcome in ``<out>/manifest.json`` and
  ``<out>/index.html``, both written atomically.

Files in the output folder::

    <out>/<entry>/                 each report, as run_notebook publishes it
    <out>/_failed/<entry>.ipynb    the last failed run, for debugging
    <out>/manifest.json            every entry: status, hashes, parameters, times, errors
    <out>/index.html               the page a colleague opens in the morning
    <out>/.build.lock              held while a build runs
    <out>/.build-hashes.json       stat cache of hashes and notebook parameters (safe to delete)
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import html
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

import yaml

from framelens.errors import (
    CodebookError,
    InputError,
    NotebookExecutionError,
    OptionError,
    ReportError,
)
from framelens.files import check_output_folder, folder_owner, restore_cell
from framelens.names import report_identity, safe_name
from framelens.versions import framelens_version, scoring_versions

if TYPE_CHECKING:
    import pandas as pd

# A build that finds nothing to do runs every night from cron: it imports only what it
# needs to decide that (no pandas, no papermill, no notebook machinery). The modules that
# run and read reports are imported where a report is built.

__all__ = ["BuildResult", "Entry", "build", "load_build_config", "plan"]

log = logging.getLogger(__name__)

#: what an entry depends on, in the order reasons are given
DEPENDENCIES = ("notebook", "parameters", "inputs", "codebook", "validation", "models",
                "framelens")
#: parameters that name files or folders: resolved against the reports file. Codebooks
#: and actor lists only when given as a YAML file (otherwise they are shipped names).
PATH_PARAMETERS = {"codebook": (".yml", ".yaml"), "actors": (".yml", ".yaml"),
                   "tone_model": None, "validation": None, "frames": (".json",)}
#: where ``framelens validate`` writes its results, relative to the reports file
VALIDATION_FOLDER = "validation"
#: keys an entry of reports.yml may have
ENTRY_KEYS = ("name", "title", "notebook", "parameters", "inputs", "paths", "timeout")
#: a frame's share of articles must move by this much (0.05 = 5 points) to be reported
SHARE_MOVE = 0.05
MANIFEST = "manifest.json"
INDEX = "index.html"
LOCK = ".build.lock"
HOLDER = ".build.holder"  # who holds the lock, for the message a second build prints
HASHES = ".build-hashes.json"
MANIFEST_VERSION = 1
#: framelens modules that never run inside a report (they orchestrate or download):
#: editing them rebuilds nothing
NOT_IN_REPORTS = ("build.py", "cli.py", "collect.py")

Status = Literal["built", "up-to-date", "failed", "skipped"]


# --- entries and the reports file -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Entry:
    """One report the build produces: a notebook run with parameters on inputs.

    Attributes
    ----------
    name : the report's folder name under the output folder; must equal its
        :func:`framelens.safe_name`.
    notebook : the notebook to run (absolute path).
    parameters : what the notebook receives, path parameters already absolute (the
        notebook runs with its own folder as working directory). ``output_dir`` is added
        by :func:`framelens.run_notebook`.
    inputs : files, article folders and corpus tables the report reads; their content is
        hashed to decide whether to rebuild.
    title : shown in the HTML page title and the index.
    timeout : seconds a cell may run.
    untracked : parameters that do not count as a change (the ``paths:`` of the reports
        file, such as a scores cache: moving it changes no report; the validation folder,
        whose content is tracked instead).
    source : where the entry was defined (``reports.yml, line 12``), for messages.
    project : the folder of the reports file: paths in the published report are shown
        relative to it (default: the working directory).

    An entry made in Python rather than read from a reports file should give absolute
    paths: the notebook runs in its own folder.
    """

    name: str
    notebook: Path
    parameters: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    inputs: tuple[Path, ...] = ()
    title: str | None = None
    timeout: int = 3600
    untracked: tuple[str, ...] = ()
    source: str = ""
    project: Path | None = None

    @property
    def tracked_parameters(self) -> dict[str, Any]:
        """The parameters whose change rebuilds the report (all but ``untracked``)."""
        return {k: v for k, v in self.parameters.items() if k not in self.untracked}

    @property
    def codebook(self) -> str | None:
        """The ``codebook`` parameter (a shipped name or a YAML path), tracked by content."""
        value = self.parameters.get("codebook")
        return value if isinstance(value, str) and value else None

    @property
    def validation(self) -> Path | None:
        """The folder of ``framelens validate`` results the report shows (the
        ``validation`` parameter), tracked by the content of the result it uses."""
        value = self.parameters.get("validation")
        return Path(value) if isinstance(value, str) and value else None

    @property
    def identity(self) -> str:
        """What makes a published folder this entry's report (:func:`report_identity`)."""
        return report_identity(self.notebook, self.inputs, codebook=self.codebook)


class _Located(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps line numbers and refuses duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Located:
    loader.flatten_mapping(node)
    mapping = _Located()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise _ConfigProblem(f"the key {key!r} appears twice (first on line "
                                 f"{mapping.lines[key]}).", line=line,
                                 fix="keep one of them.")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _ConfigProblem(Exception):
    """Raised inside the loader; load_build_config turns it into an InputError with the
    file's path (the loader does not know it)."""

    def __init__(self, problem: str, *, line: int | None, fix: str | None = None) -> None:
        super().__init__(problem)
        self.problem, self.line, self.fix = problem, line, fix


def _plain(value: Any) -> Any:
    """YAML values as plain JSON-like Python (dates as ISO strings), for Papermill and
    for hashing."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


#: notebooks this process inspected: cache key -> answer (see :func:`_notebook_parameters`)
_INSPECTED: dict[str, dict[str, Any]] = {}


def _literal(source: str) -> Any:
    """A default value papermill gives as source text (``"'ai'"``), as Python; None when
    it is not a literal (``Path.home()``)."""
    try:
        return ast.literal_eval(source)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _notebook_parameters(notebook: Path, cache: _BuildCache | None = None,
                         ) -> dict[str, Any] | None:
    """The names the notebook's ``parameters`` cell defines, with their default values
    where these are literals (None otherwise); None when the notebook has no such cell.

    :func:`papermill.inspect_notebook` reads them (as Papermill will when it runs the
    notebook). Its answer is remembered in the build's cache by the notebook's cells:
    importing papermill takes longer than all the rest of a build that has nothing to do.
    """
    key = f"notebook-parameters:{_notebook_hash(notebook)}"
    known = cache.get(key) if cache is not None else None
    if known is not None:
        return known["parameters"]
    import papermill
    from papermill.iorw import load_notebook_node
    from papermill.utils import any_tagged_cell

    if not any_tagged_cell(load_notebook_node(str(notebook)), "parameters"):
        parameters = None  # papermill adds its parameters at the top: nothing to check
    else:
        parameters = {name: _literal(item["default"])
                      for name, item in papermill.inspect_notebook(str(notebook)).items()}
    _INSPECTED[key] = {"parameters": parameters}  # for build() to keep in its cache
    return parameters


def load_build_config(path: str | PathLike = "reports.yml", *,
                      out_dir: str | PathLike | None = None) -> list[Entry]:
    """Read the reports file: every report the project builds.

    The file holds a list ``reports:`` of entries::

        reports:
          - name: seed-article                 # folder name under reports/
            title: AI as an international public good
            notebook: notebooks/article_report.ipynb
            inputs:                            # hashed; each passed as an absolute path
              article: data/articles/global-times-2025-09-05-ai-public-good.txt
            parameters:                        # everything else the notebook takes
              codebook: ai                     # a shipped name or a .yml file, by content
              top_n: 15
            paths:                             # other paths the notebook gets, not hashed
              cache: reports/.cache
            timeout: 3600                      # seconds per cell

    Paths are relative to the reports file. ``inputs`` may also be a plain list of paths
    the notebook reads without being told (they are hashed, not passed). A notebook that
    takes ``validation`` gets the ``validation/`` folder beside the reports file (where
    ``framelens validate`` writes) unless the entry names another; the result it shows
    is tracked like the codebook.

    ``out_dir`` is the reports folder (default ``reports/`` beside the reports file):
    its build cache remembers the parameters of each notebook already inspected.

    Returns
    -------
    list of :class:`Entry`, in the order of the file.

    Raises
    ------
    InputError
        naming the file and line: malformed YAML, an unknown or duplicate key, a missing
        notebook, a parameter the notebook does not take, an unsafe or repeated name.
        A missing input is not an error here: :func:`build` skips that entry.

    Examples
    --------
    >>> entries = load_build_config("reports.yml")  # doctest: +SKIP
    >>> [e.name for e in entries]  # doctest: +SKIP
    ['global-times-2025-09-05-ai-as-an-international-public-good-ai',
     'comparison-articles-by-bias-text-ai']
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("the reports file does not exist.", path=path,
                         fix="create it (see the reports.yml shipped with framelens) or "
                             "pass its path.")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader
    except _ConfigProblem as e:
        raise InputError(e.problem, path=path, line=e.line, fix=e.fix) from e
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise InputError(f"not valid YAML: {e.problem or e.context}.", path=path,
                         line=mark.line + 1 if mark else None,
                         fix="check the indentation and quoting on that line.") from e
    base = path.resolve().parent
    cache = _BuildCache(Path(out_dir or base / "reports") / HASHES)
    try:
        return _entries(data, base=base, label=path.name, cache=cache)
    except _ConfigProblem as e:
        raise InputError(e.problem, path=path, line=e.line, fix=e.fix) from e


def _entries(data: Any, *, base: Path, label: str, cache: _BuildCache) -> list[Entry]:
    if not isinstance(data, _Located) or "reports" not in data:
        raise _ConfigProblem("the file must be a mapping with a `reports:` list.",
                             line=getattr(data, "line", 1), fix="start it with `reports:`.")
    unknown = [k for k in data if k != "reports"]
    if unknown:
        raise _ConfigProblem(f"unknown key {unknown[0]!r}.", line=data.lines[unknown[0]],
                             fix="the file has one key, `reports:`.")
    items = data["reports"]
    if not isinstance(items, list) or not items:
        raise _ConfigProblem("`reports:` must be a non-empty list of entries.",
                             line=data.lines["reports"], fix="start each entry with `- name:`.")
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for item in items:
        if not isinstance(item, _Located):
            raise _ConfigProblem(f"an entry must be a mapping, not {item!r}.",
                                 line=data.lines["reports"],
                                 fix="give each entry `name:` and `notebook:`.")
        entry = _entry(item, base=base, label=label, cache=cache)
        if entry.name in seen:
            raise _ConfigProblem(f"the name {entry.name!r} is used twice (first on line "
                                 f"{seen[entry.name]}).", line=item.lines["name"],
                                 fix="give every entry its own name.")
        seen[entry.name] = item.lines["name"]
        entries.append(entry)
    return entries


def _entry(item: _Located, *, base: Path, label: str, cache: _BuildCache) -> Entry:
    """One entry of the reports file, checked key by key, paths resolved."""
    _check_keys(item)
    name = item["name"]
    notebook = _notebook_path(item, base=base)
    parameters, lines = _given_parameters(item, base=base)
    inputs = _add_inputs(item, base=base, parameters=parameters, lines=lines)
    untracked = _add_paths(item, base=base, parameters=parameters, lines=lines)
    if "output_dir" in parameters:
        raise _ConfigProblem("`output_dir` is set by the build (the staging folder).",
                             line=lines["output_dir"], fix="remove it.")
    known = _notebook_parameters(notebook, cache)
    if known is not None:
        _check_against_notebook(notebook, known, parameters, lines)
        _add_notebook_defaults(notebook, known, parameters, base=base)
    if "validation" in parameters:  # its content is tracked, not where it is
        untracked.append("validation")
    title = item.get("title")
    return Entry(name=name, notebook=notebook, parameters=parameters, inputs=tuple(inputs),
                 title=None if title is None else str(title), timeout=_timeout(item),
                 untracked=tuple(untracked), source=f"{label}, line {item.line}",
                 project=base)


def _check_keys(item: _Located) -> None:
    """Only known keys; a text ``name`` that is a safe folder name and a ``notebook``."""
    for key in item:
        if key not in ENTRY_KEYS:
            raise _ConfigProblem(f"unknown key {key!r} in an entry.", line=item.lines[key],
                                 fix=f"an entry takes {', '.join(ENTRY_KEYS)}.")
    for key in ("name", "notebook"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise _ConfigProblem(f"the entry has no `{key}:`.", line=item.lines.get(key, item.line),
                                 fix=f"give it `{key}:` with a text value.")
    name = item["name"]
    if safe_name(name) != name:
        raise _ConfigProblem(f"the name {name!r} is not a safe folder name.",
                             line=item.lines["name"], fix=f"use {safe_name(name)!r}.")


def _notebook_path(item: _Located, *, base: Path) -> Path:
    """The entry's notebook, which must exist and be a Jupyter notebook."""
    notebook = (base / item["notebook"]).resolve()
    if not notebook.is_file():
        raise _ConfigProblem(f"notebook not found: {notebook}.", line=item.lines["notebook"],
                             fix="give its path relative to the reports file.")
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if not isinstance(cells, list):
            raise TypeError("`cells` is not a list")
    except (ValueError, KeyError, TypeError) as e:  # JSONDecodeError and bad bytes too
        raise _ConfigProblem(f"{notebook} is not a Jupyter notebook ({e}).",
                             line=item.lines["notebook"],
                             fix="point `notebook:` at a .ipynb file saved by JupyterLab or "
                                 "Jupyter.") from e
    return notebook


def _resolved(key: str, value: Any, *, base: Path) -> Any:
    """A parameter that names a file or folder (:data:`PATH_PARAMETERS`), made absolute."""
    if key not in PATH_PARAMETERS or not isinstance(value, str) or not value:
        return value
    suffixes = PATH_PARAMETERS[key]
    if suffixes is not None and Path(value).suffix.lower() not in suffixes:
        return value  # a shipped codebook or actor list, by name
    return str((base / value).resolve())


def _given_parameters(item: _Located, *, base: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The entry's ``parameters:`` (paths among them resolved) and the line of each."""
    raw = item.get("parameters") or {}  # `parameters:` left empty is no parameters
    if not isinstance(raw, Mapping):
        raise _ConfigProblem("`parameters:` must be a mapping of names to values.",
                             line=item.lines["parameters"])
    parameters = {str(k): _resolved(str(k), _plain(v), base=base) for k, v in raw.items()}
    return parameters, {str(k): raw.lines[k] for k in raw}


def _add_inputs(item: _Located, *, base: Path, parameters: dict[str, Any],
                lines: dict[str, int]) -> list[Path]:
    """The entry's ``inputs:`` (absolute); named ones are passed as parameters too."""
    inputs: list[Path] = []
    raw = item.get("inputs") or []
    named = raw.items() if isinstance(raw, Mapping) else (
        ((None, p) for p in raw) if isinstance(raw, list) else None)
    if named is None:
        raise _ConfigProblem("`inputs:` must map parameter names to paths, or list paths.",
                             line=item.lines["inputs"])
    for key, value in named:
        line = raw.lines[key] if key is not None else item.lines["inputs"]
        if not isinstance(value, str) or not value:
            raise _ConfigProblem(f"an input must be a path, not {value!r}.", line=line)
        resolved = (base / value).resolve()
        inputs.append(resolved)
        if key is not None:
            if str(key) in parameters:
                raise _ConfigProblem(f"{key!r} is both an input and a parameter.", line=line,
                                     fix="keep it under `inputs:` only.")
            parameters[str(key)] = str(resolved)
            lines[str(key)] = line
    return inputs


def _add_paths(item: _Located, *, base: Path, parameters: dict[str, Any],
               lines: dict[str, int]) -> list[str]:
    """The entry's ``paths:`` (absolute, passed, not tracked); returns their names."""
    raw = item.get("paths") or {}
    if not isinstance(raw, Mapping):
        raise _ConfigProblem("`paths:` must map parameter names to paths.",
                             line=item.lines["paths"])
    for key, value in raw.items():
        if not isinstance(value, str) or not value:
            raise _ConfigProblem(f"a path must be text, not {value!r}.", line=raw.lines[key])
        if str(key) in parameters:
            raise _ConfigProblem(f"{key!r} is given twice (in `paths:` and elsewhere).",
                                 line=raw.lines[key])
        parameters[str(key)] = str((base / value).resolve())
        lines[str(key)] = raw.lines[key]
    return [str(k) for k in raw]


def _check_against_notebook(notebook: Path, known: Mapping[str, Any],
                            parameters: Mapping[str, Any], lines: Mapping[str, int]) -> None:
    for key in parameters:
        if key not in known:
            raise _ConfigProblem(
                f"{notebook.name} takes no parameter {key!r}.", line=lines[key],
                fix=f"its parameters cell defines {', '.join(known)}.")


def _add_notebook_defaults(notebook: Path, known: Mapping[str, Any],
                           parameters: dict[str, Any], *, base: Path) -> None:
    """Name the dependencies the entry leaves at the notebook's defaults: the codebook
    (its content is tracked like a codebook the entry sets) and the validation folder
    (``validation/`` beside the reports file, as ``framelens report`` reads it)."""
    default = known.get("codebook")
    if "codebook" not in parameters and isinstance(default, str) and default:
        parameters["codebook"] = _resolved("codebook", default, base=notebook.parent)
    if "validation" in known and "validation" not in parameters:
        parameters["validation"] = str(base / VALIDATION_FOLDER)


def _timeout(item: _Located) -> int:
    timeout = item.get("timeout", 3600)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        raise _ConfigProblem(f"`timeout:` must be a positive number of seconds, not {timeout!r}.",
                             line=item.lines["timeout"])
    return timeout


def _check_entries(entries: Sequence[Entry]) -> None:
    """Entries made in Python get the checks the reports file gets."""
    seen = set()
    for entry in entries:
        if safe_name(entry.name) != entry.name:
            raise OptionError(f"the entry name {entry.name!r} is not a safe folder name.",
                              fix=f"use {safe_name(entry.name)!r}.")
        if entry.name in seen:
            raise OptionError(f"the entry name {entry.name!r} is used twice.",
                              fix="give every entry its own name.")
        seen.add(entry.name)


# --- hashing ------------------------------------------------------------------------

#: framelens's own folder: its code, resources and shipped codebooks
PACKAGE = Path(__file__).parent


def _sha(payload: object) -> str:
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _stat(path: Path) -> list[int]:
    s = path.stat()
    return [s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino]


def _notebook_hash(notebook: Path) -> str:
    """The notebook's cells (type and source): saving outputs or metadata from JupyterLab
    does not count as a change, editing a cell or its text does."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return _sha([(c.get("cell_type"), "".join(c.get("source", ""))) for c in nb.get("cells", [])])


def _codebook_info(codebook: str) -> tuple[str, dict[str, str]]:
    """The codebook's content hash (frames, terms, header, as :func:`framelens.cache_key`
    counts it: moving the file or editing a comment is no change) and its frame labels."""
    path = Path(codebook)
    stat = path.stat() if path.is_file() else None
    return _codebook_info_cached(codebook, stat and (stat.st_size, stat.st_mtime_ns))


@functools.lru_cache(maxsize=64)
def _codebook_info_cached(codebook: str, _signature: object) -> tuple[str, dict[str, str]]:
    from framelens.codebook import load_codebook  # parsing takes ~0.3 s: done once per file

    book = load_codebook(codebook)
    return (_sha(dataclasses.asdict(dataclasses.replace(book, path=""))),
            {f.id: f.label for f in book.frames})


def _codebook_hash(codebook: str, cache: _BuildCache, framelens_hash: str) -> str:
    """:func:`_codebook_info`'s hash, parsed again only when the file moved (a shipped
    codebook: when framelens or its codebooks folder did)."""
    path = Path(codebook)
    if path.suffix.lower() in (".yml", ".yaml"):
        signature = ["file", str(path), *_stat(path)]
    else:
        signature = ["shipped", framelens_hash,
                     [[p.name, *_stat(p)] for p in sorted(PACKAGE.glob("codebooks/*"))]]
    return cache.remember(f"codebook:{codebook}", signature,
                          lambda: {"sha256": _codebook_info(codebook)[0]})["sha256"]


def _framelens_files() -> list[Path]:
    """framelens's files a report can depend on: its modules but those in
    :data:`NOT_IN_REPORTS`, its resources, templates, actor lists and models."""
    files = [p for p in PACKAGE.glob("*.py") if p.name not in NOT_IN_REPORTS]
    files += [p for p in [*PACKAGE.glob("resources/*"), *PACKAGE.glob("templates/**/*"),
                          *PACKAGE.glob("actorlists/*"), *PACKAGE.glob("models/**/*")]
              if p.is_file() and p.suffix != ".pyc"]
    return sorted(files)


def _framelens_hash(cache: _BuildCache | None = None) -> str:
    """framelens's version and a hash of everything of it a report can depend on: its
    modules (like :func:`framelens.cache_key`, a changed rule counts without a version
    bump), resources and HTML templates, and the versions of the packages that score the
    text (:func:`framelens.versions.scoring_versions`). The modules in
    :data:`NOT_IN_REPORTS` never run inside a report, so editing them rebuilds nothing.
    With ``cache``, the files (the tone model is 23 MB) are read again only when one of
    them moved."""
    version = framelens_version()

    files = _framelens_files()
    versions = scoring_versions()

    def compute() -> dict[str, str]:
        digest = hashlib.sha256(json.dumps(versions, sort_keys=True).encode() + b"\0")
        for path in files:
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
        return {"hash": f"{version}-{digest.hexdigest()[:16]}"}

    if cache is None:
        return compute()["hash"]
    signature = [version, versions,
                 [[str(p.relative_to(PACKAGE)), *_stat(p)] for p in files]]
    return cache.remember("framelens", signature, compute)["hash"]


def _validation_state(entry: Entry, cache: _BuildCache, codebook_hash: str) -> dict[str, str]:
    """The validation result the entry's report shows, as the notebook finds it
    (:func:`framelens.latest_validation` for the entry's codebook): ``{"sha256", "path"}``
    of that ``validation.csv``, or empty when there is none. Looked for again only when a
    ``validation.csv`` under the folder (or the codebook) changed."""
    folder, codebook = entry.validation, entry.codebook
    if folder is None or not codebook:
        return {}
    found = sorted(folder.rglob("validation.csv")) if folder.is_dir() else []
    signature = [codebook, codebook_hash, [[str(p), *_stat(p)] for p in found]]

    def compute() -> dict[str, str]:
        if not found:
            return {}
        from framelens.codebook import load_codebook
        from framelens.validation import latest_validation

        table = latest_validation(folder, codebook=load_codebook(codebook))
        if table is None:
            return {}
        path = Path(table.attrs["path"])
        return {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "path": _shown_path(path, entry.project)}

    return cache.remember(f"validation:{folder}:{codebook}", signature, compute)


def _output_state(folder: Path, known: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What a published report folder holds: ``{"signature", "sha256"}``, the hash over
    every file's name and bytes. Files are read only when their sizes or times differ from
    ``known`` (the state recorded when the build published it)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    signature = [[str(p.relative_to(folder)), *_stat(p)[:2]] for p in files]
    if known and known.get("signature") == signature:
        return dict(known)
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return {"signature": signature, "sha256": digest.hexdigest()}


def _shown_path(path: Path, project: Path | None) -> str:
    """``path`` as a reader of the index and manifest should see it: relative to the
    project (``data/articles.jsonl``, ``../shared/corpus.jsonl``)."""
    if project is None:
        return str(path)
    try:
        return os.path.relpath(path, project)
    except ValueError:  # another drive on Windows
        return str(path)


def _count_articles(path: Path) -> int | None:
    """How many articles an input holds, cheaply (rows, lines or files); None if unknown."""
    import pandas as pd

    from framelens.corpus import ARTICLE_SUFFIXES, iter_article_files

    if path.is_dir():
        return len(iter_article_files(path))
    suffix = path.suffix.lower()
    try:
        if suffix in ARTICLE_SUFFIXES:
            return 1
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as f:
                return sum(1 for line in f if line.strip())
        if suffix in (".csv", ".tsv"):
            return len(pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str,
                                   usecols=[0]))
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix == ".json":
            return len(pd.read_json(path))
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        # a count is only for the index ("N new articles"); reading the input is the
        # notebook's business, and it reports problems properly
        log.info("could not count the articles in %s: %s", path, e)
    return None


class _BuildCache:
    """What the build computed from files, keyed by a stat signature, so that unchanged
    files are not read again: input hashes (by path), codebook and framelens hashes, the
    validation result, each notebook's parameters. A changed signature means "compute
    again", never "changed": a touched file with the same bytes keeps its hash and
    triggers no rebuild. Stored in ``<out>/.build-hashes.json``; safe to delete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: dict[str, dict[str, Any]] = {}
        if path.is_file():
            with contextlib.suppress(ValueError, OSError):  # a cache: unreadable means empty
                self.items = json.loads(path.read_text(encoding="utf-8"))
        self.used: set[str] = set()
        self.changed = False
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            self.used.add(key)
            return self.items.get(key)

    def put(self, key: str, item: dict[str, Any]) -> None:
        with self._lock:
            self.used.add(key)
            self.items[key] = item
            self.changed = True

    def remember(self, key: str, signature: object, compute: Any) -> dict[str, Any]:
        """``compute()`` (a JSON-able dict), or what it gave when ``signature`` was the
        same; ``signature`` must be JSON-like (it is compared after a JSON round trip)."""
        signature = json.loads(json.dumps(signature, default=str))
        known = self.get(key)
        if known is not None and known.get("signature") == signature and "value" in known:
            return known["value"]
        value = compute()
        self.put(key, {"signature": signature, "value": value})
        return value

    @staticmethod
    def _signature(path: Path) -> list:
        if path.is_dir():  # every file, not only articles: a signature only says "look again"
            return ["dir", _sha([(str(f.relative_to(path)), _stat(f))
                                 for f in sorted(path.rglob("*")) if f.is_file()])]
        return ["file", *_stat(path)]

    def lookup(self, path: Path) -> dict[str, Any]:
        """``{"sha256", "n_articles"}`` of an existing file or folder."""
        def compute() -> dict[str, Any]:
            from framelens.corpus import fingerprint

            return {"sha256": fingerprint(path), "n_articles": _count_articles(path)}

        return self.remember(str(path), self._signature(path), compute)

    def save(self, *, prune: bool = False) -> None:
        """Write the cache if anything changed; ``prune`` forgets what this run did not
        look up."""
        items = {k: v for k, v in self.items.items() if k in self.used} if prune else self.items
        if not self.changed and len(items) == len(self.items):
            return
        _write_text(self.path, json.dumps(items, indent=1, sort_keys=True))


def _write_text(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename it into place: a
    reader sees the old file or the new one, never half of one. (Created with open(), so
    the file gets the usual permissions and a web server can read it.)"""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- planning -----------------------------------------------------------------------


@dataclasses.dataclass
class _Planned:
    """One entry's plan: what to do, why, and the hashes it was decided on."""

    entry: Entry
    action: Literal["build", "skip"]
    reasons: list[tuple[str, str]]  # (what, sentence); what is a dependency or a cause
    dependencies: dict[str, str]
    inputs: list[dict[str, Any]]
    missing: list[Path]
    problem: str | None = None  # the entry cannot run (a codebook that does not load)
    validation: dict[str, str] = dataclasses.field(default_factory=dict)
    output: dict[str, Any] | None = None  # the report folder as found (None: not looked at)

    @property
    def changed(self) -> list[str]:
        return [what for what, _ in self.reasons if what in DEPENDENCIES]


def _read_manifest(out: Path) -> dict[str, Any]:
    path = out / MANIFEST
    if not path.is_file():
        return {"entries": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        log.warning("%s is not valid JSON (%s); every entry will be rebuilt.", path, e)
        return {"entries": {}}
    manifest.setdefault("entries", {})
    return manifest


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _parameter_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    parts = []
    for key in sorted(set(old) | set(new)):
        if key not in old:
            parts.append(f"{key} added ({_shown(new[key])})")
        elif key not in new:
            parts.append(f"{key} removed")
        elif old[key] != new[key]:
            parts.append(f"{key} {_shown(old[key])} → {_shown(new[key])}")
    return ", ".join(parts)


def _input_changes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> str:
    before = {item["path"]: item for item in old}
    parts = []
    for item in new:
        prev = before.get(item["path"])
        name = Path(item["path"]).name
        if prev is None:
            parts.append(f"{name} is a new input")
            continue
        if prev["sha256"] == item["sha256"]:
            continue
        n_old, n_new = prev.get("n_articles"), item.get("n_articles")
        if n_old is not None and n_new is not None and n_new != n_old:
            diff = n_new - n_old
            counted = f"{diff:,} new article{'s' if diff != 1 else ''}" if diff > 0 else \
                f"{-diff:,} article{'s' if diff != -1 else ''} fewer"
            parts.append(f"{name}: {counted} ({n_old:,} → {n_new:,})")
        else:
            parts.append(f"{name} changed")
    gone = [Path(p).name for p in before if p not in {i["path"] for i in new}]
    parts += [f"{name} is no longer an input" for name in gone]
    return "; ".join(parts) or "the inputs changed"


def _models_hash(entry: Entry) -> str:
    """The content of the entry's own actor list, tone model and learned frames
    (``actors``, ``tone_model`` and ``frames`` parameters given as files); shipped ones
    count in framelens's hash."""
    parts: dict[str, str] = {}
    actors = entry.parameters.get("actors")
    if isinstance(actors, str) and Path(actors).suffix.lower() in (".yml", ".yaml"):
        path = Path(actors)
        parts["actors"] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() \
            else "missing"
    tone_model = entry.parameters.get("tone_model")
    if isinstance(tone_model, str) and tone_model:
        manifest = Path(tone_model) / "model.json"
        parts["tone_model"] = hashlib.sha256(manifest.read_bytes()).hexdigest() \
            if manifest.is_file() else "missing"
    frames = entry.parameters.get("frames")
    if isinstance(frames, str) and frames:
        path = Path(frames)
        parts["frames"] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() \
            else "missing"
    return _sha(parts) if parts else ""


def _framelens_change(old: str, new: str) -> str:
    old_version, _, _ = old.partition("-")
    new_version, _, _ = new.partition("-")
    if old_version != new_version:
        return f"framelens changed (version {old_version or 'unknown'} → {new_version})"
    return (f"framelens changed (its code, or the version of textblob, vaderSentiment or "
            f"nupunkt; version {new_version})")


def _plan_one(entry: Entry, *, out: Path, previous: Mapping[str, Any] | None, force: bool,
              cache: _BuildCache, framelens_hash: str) -> _Planned:
    missing = [p for p in entry.inputs if not p.exists()]
    codebook = entry.codebook
    if codebook and Path(codebook).suffix.lower() in (".yml", ".yaml") and \
            not Path(codebook).exists():
        missing.append(Path(codebook))
    if missing:
        return _Planned(entry, "skip", [("missing", "input not found: "
                                         + _shown_path(p, entry.project)) for p in missing],
                        {}, [], missing)

    dependencies, inputs, validation, problem = _dependencies(entry, cache, framelens_hash)
    reasons: list[tuple[str, str]] = []
    last = (previous or {}).get("last_success")
    output = None
    if force:
        reasons.append(("forced", "forced (--force)"))
    if problem:
        reasons.append(("codebook", f"the codebook cannot be read: {problem}"))
    if last is None:
        reasons.append(("new", "never built successfully" if previous else "new entry"))
    else:
        output, found = _report_state(entry, out=out, previous=previous, last=last)
        reasons += found
        old = last.get("dependencies", {})
        for name in DEPENDENCIES:
            if old.get(name) == dependencies[name] or (name == "codebook" and problem):
                continue
            if name in ("models", "validation") and old.get(name) is None \
                    and not dependencies[name]:
                continue  # built before these were tracked, and there are none
            reasons.append((name, _dependency_change(name, entry, last, dependencies,
                                                     inputs=inputs, validation=validation)))
    if not reasons:
        return _Planned(entry, "skip", [("up-to-date", "nothing changed since the last build")],
                        dependencies, inputs, [], validation=validation, output=output)
    return _Planned(entry, "build", reasons, dependencies, inputs, [], problem,
                    validation=validation, output=output)


def _dependencies(entry: Entry, cache: _BuildCache, framelens_hash: str,
                  ) -> tuple[dict[str, str], list[dict[str, Any]], dict[str, str], str | None]:
    """The entry's dependency hashes, its inputs (path, hash, articles), the validation
    result it shows, and the problem that stops it from running (a broken codebook)."""
    inputs = [{"path": _shown_path(p, entry.project), **cache.lookup(p)} for p in entry.inputs]
    problem = None
    codebook_hash = ""
    if entry.codebook:
        try:
            codebook_hash = _codebook_hash(entry.codebook, cache, framelens_hash)
        except CodebookError as e:
            # this entry fails without starting a kernel; the others still build
            problem = str(e)
            codebook_hash = "unreadable"
    validation = _validation_state(entry, cache, codebook_hash) if not problem else {}
    dependencies = {
        "notebook": _notebook_hash(entry.notebook),
        "parameters": _sha({"parameters": entry.tracked_parameters, "title": entry.title}),
        "inputs": _sha([item["sha256"] for item in inputs]),
        "codebook": codebook_hash,
        "validation": validation.get("sha256", ""),
        "models": _models_hash(entry),
        "framelens": framelens_hash,
    }
    return dependencies, inputs, validation, problem


def _report_state(entry: Entry, *, out: Path, previous: Mapping[str, Any],
                  last: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    """Whether the report online is the one the last build published (the folder's
    state, None when not looked at) and the reasons to build found there."""
    reasons = []
    output = None
    folder = out / entry.name
    if not (folder / f"{entry.name}.html").is_file():
        reasons.append(("missing report",
                        f"the report is missing ({entry.name}/{entry.name}.html)"))
    elif last.get("output"):
        output = _output_state(folder, last["output"])
        if output["sha256"] != last["output"]["sha256"]:
            reasons.append(("replaced", "the report online is not the one this build made: "
                                        "something else replaced or changed it since"))
    if previous.get("status") == "failed":
        error = previous.get("error") or {}
        reasons.append(("failed", "the previous build failed"
                        + (f" ({error.get('ename')})" if error.get("ename") else "")))
    return output, reasons


def _dependency_change(name: str, entry: Entry, last: Mapping[str, Any],
                       dependencies: Mapping[str, str], *, inputs: list[dict[str, Any]],
                       validation: Mapping[str, str]) -> str:
    """The sentence that says how the dependency ``name`` changed since ``last``."""
    if name == "notebook":
        return f"notebook changed ({entry.notebook.name})"
    if name == "parameters":
        old_params = {**{k: v for k, v in last.get("parameters", {}).items()
                         if k not in entry.untracked}, "title": last.get("title")}
        shown = _shown_parameters(entry)
        new_params = {**{k: shown[k] for k in entry.tracked_parameters}, "title": entry.title}
        return f"parameters changed: {_parameter_changes(old_params, new_params)}"
    if name == "inputs":
        return f"input changed: {_input_changes(last.get('inputs', []), inputs)}"
    if name == "codebook":
        return f"codebook changed ({Path(entry.codebook).name if entry.codebook else 'none'})"
    if name == "validation":
        before = last.get("validation") or {}
        if not validation:
            return "validation results removed: the report will show none"
        if not before:
            return f"validation results found ({validation['path']})"
        return f"validation changed ({validation['path']})"
    if name == "models":
        return "the actor list, tone model or learned frames changed"
    return _framelens_change(last.get("dependencies", {}).get(name, ""), dependencies[name])


def _plan(entries: Sequence[Entry], *, out: Path, force: bool, cache: _BuildCache,
          manifest: Mapping[str, Any]) -> list[_Planned]:
    framelens_hash = _framelens_hash(cache)
    return [_plan_one(e, out=out, previous=manifest["entries"].get(e.name), force=force,
                      cache=cache, framelens_hash=framelens_hash) for e in entries]


def _plan_frame(planned: Sequence[_Planned]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [{"entry": p.entry.name, "action": p.action, "changed": ", ".join(p.changed),
          "reasons": "; ".join(text for _, text in p.reasons)} for p in planned],
        columns=["entry", "action", "changed", "reasons"])


def plan(
    entries: Sequence[Entry],
    *,
    out_dir: str | PathLike = "reports",
    force: bool = False,
) -> pd.DataFrame:
    """What a build would do, and why, without running anything.

    Each entry is compared with the build whose report is online (recorded in
    ``<out_dir>/manifest.json``). It is built when it never built successfully, its report
    is missing or was replaced by something else (its files differ from what the build
    published), its previous build failed, ``force`` is set, or a dependency changed:
    ``notebook`` (the cells), ``parameters`` (and title), ``inputs`` (content),
    ``codebook`` (content), ``validation`` (the ``framelens validate`` result the report
    shows), ``models`` (an actor list or tone model of its own) or ``framelens`` (version
    and code). An entry whose input does not exist is skipped.

    Returns
    -------
    DataFrame, one row per entry: ``entry``, ``action`` (``build`` or ``skip``),
    ``changed`` (the dependencies that changed, comma-separated) and ``reasons``
    (sentences, ``"; "``-separated: ``"input changed: articles: 3 new articles (5 → 8)"``,
    ``"nothing changed since the last build"``, ``"input not found: ..."``).

    Examples
    --------
    >>> plan(load_build_config("reports.yml"), out_dir="reports")  # doctest: +SKIP
    """
    _check_entries(entries)
    out = Path(out_dir)
    planned = _plan(entries, out=out, force=force, cache=_BuildCache(out / HASHES),
                    manifest=_read_manifest(out))
    return _plan_frame(planned)


# --- key numbers: what moved between two builds -------------------------------------


def _key_numbers(folder: Path, entry: Entry) -> dict[str, Any]:
    """The numbers the index compares between builds: how many articles, and each
    frame's share of articles (per group for a comparison), from the notebook's CSVs."""
    import pandas as pd

    numbers: dict[str, Any] = {}
    scores_csv, prevalence_csv = folder / "scores.csv", folder / "prevalence.csv"
    scores = pd.read_csv(scores_csv) if scores_csv.is_file() else None
    if scores is not None:
        numbers["n_articles"] = len(scores)
    if prevalence_csv.is_file():
        table = pd.read_csv(prevalence_csv)
        if {"frame", "group", "share"} <= set(table.columns):
            labels = table["label"] if "label" in table.columns else table["frame"]
            numbers["shares"] = {  # the CSV protects cells against formulas: undo that
                f"{restore_cell(label)} ({restore_cell(group)})": round(float(share), 4)
                for label, group, share in zip(labels, table["group"], table["share"])}
            return numbers
    if scores is not None:
        labels = {}
        if entry.codebook:
            with contextlib.suppress(CodebookError, OSError):  # labels are a nicety
                labels = _codebook_info(entry.codebook)[1]
        frames = [c for c in scores.columns if c.startswith("frame_")]
        if frames and len(scores):
            numbers["shares"] = {
                labels.get(c.removeprefix("frame_"), c.removeprefix("frame_")):
                    round(float((pd.to_numeric(scores[c], errors="coerce") > 0).mean()), 4)
                for c in frames}
    return numbers


def _moves(old: Mapping[str, Any], new: Mapping[str, Any], *, top: int = 5) -> list[str]:
    before, after = old.get("shares", {}), new.get("shares", {})
    moved = sorted(((k, before[k], after[k]) for k in after
                    if k in before and abs(after[k] - before[k]) >= SHARE_MOVE),
                   key=lambda m: -abs(m[2] - m[1]))
    lines = [f"{k}: {a:.0%} → {b:.0%} of articles" for k, a, b in moved[:top]]
    if len(moved) > top:
        lines.append(f"{len(moved) - top} more frame shares moved by "
                     f"{SHARE_MOVE:.0%} or more")
    return lines


# --- building -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BuildResult:
    """What a build did.

    Attributes
    ----------
    rows : one dict per entry built or considered, with the keys of :data:`OUTCOME_COLUMNS`
        (``outcomes`` as a table).
    exit_code : 0, or 1 when an entry failed.
    manifest, index : the files written (None in a dry run).
    dry_run : True when nothing ran.
    """

    rows: tuple[dict[str, Any], ...]
    exit_code: int
    manifest: Path | None = None
    index: Path | None = None
    dry_run: bool = False

    @functools.cached_property
    def outcomes(self) -> pd.DataFrame:
        """DataFrame, one row per entry built or considered: ``entry``, ``status``
        (``built``, ``up-to-date``, ``failed``, ``skipped``; in a dry run ``would build``),
        ``changed`` (dependencies that changed), ``reasons``, ``duration_s``, ``html``
        (the report online, if any) and ``error`` (the failing cell and error)."""
        import pandas as pd  # only when asked: a build that does nothing needs no pandas

        return pd.DataFrame(list(self.rows), columns=OUTCOME_COLUMNS)

    @property
    def failed(self) -> list[str]:
        """The entries that failed."""
        return [row["entry"] for row in self.rows if row["status"] == "failed"]

    def lines(self) -> list[str]:
        """One line per entry, as ``framelens build`` prints them."""
        width = max([len(row["entry"]) for row in self.rows] + [5])
        out = []
        for row in self.rows:
            if row["status"] == "built":
                detail = f"{row['duration_s']:.1f} s  {row['html']}  ({row['reasons']})"
            elif row["status"] == "failed":
                detail = row["error"]
            else:
                detail = row["reasons"]
            out.append(f"{row['status']:<12} {row['entry']:<{width}}  {detail}")
        return out


OUTCOME_COLUMNS = ["entry", "status", "changed", "reasons", "duration_s", "html", "error"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _holder(out: Path) -> str:
    path = out / HOLDER
    with contextlib.suppress(OSError, ValueError):
        info = json.loads(path.read_text(encoding="utf-8"))
        return f" (pid {info['pid']} on {info['host']}, started {info['started']})"
    return ""


@contextlib.contextmanager
def _locked(out: Path, *, wait: float):
    """Hold ``<out>/.build.lock``; a second build waits up to ``wait`` seconds, then
    gives up with a message saying who holds it. The operating system releases the lock
    when its holder dies, so a killed build never blocks the next one."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(out / LOCK))
    try:
        lock.acquire(timeout=max(wait, 0))
    except Timeout as e:
        raise ReportError(
            f"another framelens build is writing {out}{_holder(out)}; this one did not "
            f"start{f' after waiting {wait:g} s' if wait else ''}. The running build was not "
            f"touched. Try again when it has finished, or pass --wait SECONDS.") from e
    try:
        _write_text(out / HOLDER, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                              "started": _stamp(_now())}))
        yield
    finally:
        (out / HOLDER).unlink(missing_ok=True)
        lock.release()


def _recover(out: Path, names: Iterable[str]) -> None:
    """Repair what an interrupted build left: staging folders of our entries are removed,
    and a report that a killed publish had moved aside (``.old-<name>-*``) is put back.
    Only called under the lock, so no other build is using them."""
    names = set(names)
    staging = out / ".staging"
    if staging.is_dir():
        for folder in staging.iterdir():
            match = re.fullmatch(r"(.+)-[0-9a-f]{8}", folder.name)
            if match and match.group(1) in names:
                log.info("removing %s, left by an interrupted build", folder)
                shutil.rmtree(folder, ignore_errors=True)
    for folder in sorted(out.glob(".old-*"), key=lambda p: p.stat().st_mtime, reverse=True):
        match = re.fullmatch(r"\.old-(.+)-[0-9a-f]{8}", folder.name)
        if not match or match.group(1) not in names:
            continue
        final = out / match.group(1)
        if not final.exists():
            log.warning("restoring %s, moved aside by an interrupted build", final)
            os.rename(folder, final)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _relative(path: Path, out: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(out.resolve()))
    return str(path)


def run_notebook(notebook: str | PathLike, **options: Any) -> Any:
    """:func:`framelens.run_notebook`, imported when an entry is built (it loads
    papermill, nbconvert and pandas, which a build with nothing to do never needs)."""
    from framelens.reports import run_notebook as run

    return run(notebook, **options)


def _run_one(item: _Planned, *, out: Path, versions: Mapping[str, str],
             previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """Build one entry; return its manifest record. Never raises for a failed notebook."""
    entry = item.entry
    started = _now()
    clock = time.perf_counter()
    record: dict[str, Any] = {
        "name": entry.name, "title": entry.title,
        "notebook": _shown_path(entry.notebook, entry.project),
        "source": entry.source, "reasons": [text for _, text in item.reasons],
        "changed": item.changed, "started": _stamp(started),
        "inputs_hash": item.dependencies.get("inputs", ""), "dependencies": item.dependencies,
        "inputs": item.inputs, "parameters": _shown_parameters(entry),
        "versions": dict(versions), "error": None,
    }
    last = (previous or {}).get("last_success")
    paths = None
    if item.problem:
        record["error"] = {"cell": None, "source": "", "ename": "CodebookError",
                           "evalue": item.problem, "kept": None,
                           "message": f"not run: {item.problem}"}
    else:
        try:
            paths = run_notebook(entry.notebook, name=entry.name, parameters=entry.parameters,
                                 out_dir=out, title=entry.title or entry.name,
                                 timeout=entry.timeout, identity=entry.identity,
                                 exact_name=True, replace_own=_is_own(out / entry.name, item,
                                                                      last),
                                 project=entry.project)
        except NotebookExecutionError as e:
            record["error"] = {"cell": e.cell, "source": e.source, "ename": e.ename,
                               "evalue": e.evalue,
                               "kept": _relative(Path(e.kept), out) if e.kept else None,
                               "message": str(e)}
        except Exception as e:
            # a dead kernel, a cell timeout, a full disk: this entry fails and says why,
            # the other entries still build and the previous report stays online
            record["error"] = {"cell": None, "source": "", "ename": type(e).__name__,
                               "evalue": str(e), "kept": None,
                               "message": f"{entry.name} failed: {type(e).__name__}: {e}. "
                                          "The previous report was left untouched."}
    record["duration_s"] = round(time.perf_counter() - clock, 1)
    if paths is None:
        record["status"] = "failed"
        record["outputs"] = (last or {}).get("outputs", [])
        record["html"] = (last or {}).get("html")
        record["last_success"] = last
        return record

    try:
        numbers = _key_numbers(paths.folder, entry)
    except (OSError, ValueError, KeyError) as e:
        # the numbers only feed "what changed" in the index: the report itself is fine
        log.warning("could not read the key numbers of %s: %s", entry.name, e)
        numbers = {}
    changes = [text for what, text in item.reasons if what in DEPENDENCIES]
    if last is not None:
        changes += _moves(last.get("key_numbers", {}), numbers)
        if not changes:
            changes = ["no dependency changed: " + "; ".join(t for _, t in item.reasons)]
    record["status"] = "built"
    record["outputs"] = [_relative(p, out) for p in paths.files]
    record["html"] = _relative(paths.html, out)
    record["last_success"] = {
        "built": record["started"], "duration_s": record["duration_s"],
        "title": entry.title, "dependencies": item.dependencies,
        "inputs_hash": record["inputs_hash"], "inputs": item.inputs,
        "validation": item.validation, "parameters": record["parameters"],
        "versions": dict(versions), "outputs": record["outputs"], "html": record["html"],
        "key_numbers": numbers, "changes": changes if last is not None else ["first build"],
        # what the build published, to notice when something else replaces it
        "output": _output_state(paths.folder),
    }
    return record


def _is_own(folder: Path, item: _Planned, last: Mapping[str, Any] | None) -> bool:
    """Whether ``folder`` is exactly what this build published last (its files' hash is
    the one recorded), so it may replace it whatever the folder's marker says."""
    if last is None or not folder.is_dir():
        return False
    recorded = last.get("output")
    if recorded:
        state = item.output or _output_state(folder, recorded)
        return state["sha256"] == recorded["sha256"]
    # built by a framelens that recorded no hash: its marker named notebook and inputs,
    # absolute, one a line
    owner = folder_owner(folder) or {}
    legacy = [str(item.entry.notebook.resolve()),
              *sorted(str(p.resolve()) for p in item.entry.inputs)]
    return owner.get("identity") == "\n".join(legacy)


def _shown_parameters(entry: Entry) -> dict[str, Any]:
    """The entry's parameters as the manifest shows them: paths relative to the project."""
    return {k: _shown_path(Path(v), entry.project)
            if isinstance(v, str) and os.path.isabs(v) else v
            for k, v in entry.parameters.items()}


def _kept_record(item: _Planned, previous: Mapping[str, Any] | None,
                 status: Status) -> dict[str, Any]:
    """The record of an entry that was not run (up to date, or skipped)."""
    last = (previous or {}).get("last_success")
    record = dict(previous or {"name": item.entry.name})
    if last is not None and item.output is not None and status == "up-to-date":
        last = {**last, "output": item.output}  # same files, touched: remember their times
    record.update({
        "name": item.entry.name, "title": item.entry.title,
        "notebook": _shown_path(item.entry.notebook, item.entry.project),
        "source": item.entry.source, "status": status,
        "reasons": [text for _, text in item.reasons], "changed": item.changed,
        "started": _stamp(_now()), "duration_s": 0.0,
        "parameters": _shown_parameters(item.entry), "error": None,
        "outputs": (last or {}).get("outputs", []), "html": (last or {}).get("html"),
        "last_success": last,
    })
    if item.dependencies:
        record.update(dependencies=item.dependencies, inputs=item.inputs,
                      inputs_hash=item.dependencies["inputs"])
    return record


def _outcome(record: Mapping[str, Any], out: Path) -> dict[str, Any]:
    error = record.get("error")
    return {
        "entry": record["name"], "status": record["status"],
        "changed": ", ".join(record.get("changed", [])),
        "reasons": "; ".join(record.get("reasons", [])),
        "duration_s": record.get("duration_s", 0.0),
        "html": str(out / record["html"]) if record.get("html") else "",
        "error": error["message"] if error else "",
    }


def build(
    entries: Sequence[Entry],
    *,
    out_dir: str | PathLike = "reports",
    only: str | Sequence[str] | None = None,
    force: bool = False,
    dry_run: bool = False,
    jobs: int = 1,
    wait: float = 0,
) -> BuildResult:
    """Build the entries that need it, publish them safely and record what ran.

    Under ``<out_dir>/.build.lock`` (a second build waits ``wait`` seconds, then raises
    :class:`~framelens.errors.ReportError` naming the running one), leftovers of an
    interrupted build are cleaned up, then each entry that :func:`plan` says to build is
    run by :func:`framelens.run_notebook`. An entry that fails keeps its last good report
    online, its failed notebook in ``_failed/`` and its error (with the cell) in the
    manifest; the other entries still build. ``manifest.json`` and ``index.html`` are
    rewritten (atomically) after every entry, so they are right even if the build is
    killed.

    Parameters
    ----------
    entries : from :func:`load_build_config`.
    out_dir : the reports folder.
    only : build only these entries (names); the others keep their records.
    force : rebuild even what is up to date (missing inputs are still skipped).
    dry_run : only say what would be built and why; nothing is written.
    jobs : entries built in parallel (each notebook runs in its own kernel process).
    wait : seconds to wait for a running build to finish.

    Returns
    -------
    :class:`BuildResult`: ``outcomes`` (one row per entry, see there) and ``exit_code``
    (1 when an entry failed).

    Examples
    --------
    >>> result = build(load_build_config("reports.yml"), out_dir="reports")  # doctest: +SKIP
    >>> result.outcomes[["entry", "status"]]  # doctest: +SKIP
    """
    _check_entries(entries)
    if jobs < 1:
        raise OptionError(f"jobs must be at least 1, not {jobs}.", fix="pass --jobs 1 or more.")
    selected = list(entries)
    if only is not None:
        wanted = [only] if isinstance(only, str) else list(only)
        names = [e.name for e in entries]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            raise OptionError(f"no entry named {unknown[0]!r} in the reports file.",
                              fix=f"use one of {', '.join(names)}.")
        selected = [e for e in entries if e.name in wanted]
    out = Path(out_dir)

    if dry_run:
        planned = _plan(selected, out=out, force=force, cache=_BuildCache(out / HASHES),
                        manifest=_read_manifest(out))
        rows = [{"entry": p.entry.name,
                 "status": "would build" if p.action == "build" else
                 ("skipped" if p.missing else "up-to-date"),
                 "changed": ", ".join(p.changed),
                 "reasons": "; ".join(t for _, t in p.reasons), "duration_s": 0.0,
                 "html": "", "error": ""} for p in planned]
        return BuildResult(tuple(rows), 0, dry_run=True)

    check_output_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    started = _now()
    with _locked(out, wait=wait):
        _recover(out, [e.name for e in entries])
        cache = _BuildCache(out / HASHES)
        manifest = _read_manifest(out)
        planned = _plan(selected, out=out, force=force, cache=cache, manifest=manifest)
        _keep_notebook_parameters(entries, cache)
        cache.save(prune=only is None)
        previous = dict(manifest["entries"])
        if only is None:  # entries removed from the reports file leave the index
            manifest["entries"] = {k: v for k, v in previous.items()
                                   if k in {e.name for e in entries}}
        manifest.update(framelens=_framelens_hash(cache), manifest_version=MANIFEST_VERSION,
                        build={"started": _stamp(started)})
        records = _build_planned(planned, out=out, manifest=manifest, previous=previous,
                                 entries=entries, jobs=jobs)
        rows = tuple(_outcome(records[e.name], out) for e in selected)
        exit_code = int(any(row["status"] == "failed" for row in rows))
        finished = _now()
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        manifest["build"] = {
            "started": _stamp(started), "finished": _stamp(finished),
            "duration_s": round((finished - started).total_seconds(), 1),
            "only": None if only is None else ([only] if isinstance(only, str) else list(only)),
            "force": force, "jobs": jobs, "exit_code": exit_code, "counts": counts,
        }
        _write_outputs(out, manifest)
    return BuildResult(rows, exit_code, manifest=out / MANIFEST, index=out / INDEX)


def _keep_notebook_parameters(entries: Sequence[Entry], cache: _BuildCache) -> None:
    """Keep in the build's cache what :func:`load_build_config` learnt of each notebook's
    parameters, so that the next build need not inspect them (nor import papermill)."""
    for entry in entries:
        key = f"notebook-parameters:{_notebook_hash(entry.notebook)}"
        if cache.get(key) is None and key in _INSPECTED:
            cache.put(key, _INSPECTED[key])


def _build_planned(planned: Sequence[_Planned], *, out: Path, manifest: dict[str, Any],
                   previous: Mapping[str, Any], entries: Sequence[Entry],
                   jobs: int) -> dict[str, dict[str, Any]]:
    """Record the entries not to build, build the others (``jobs`` at a time), and
    rewrite the manifest and index after each; return every entry's record."""
    records: dict[str, dict[str, Any]] = {}
    guard = threading.Lock()

    def record(rec: dict[str, Any], *, write: bool = True) -> None:
        with guard:
            records[rec["name"]] = rec
            manifest["entries"][rec["name"]] = rec
            manifest["entries"] = _ordered(manifest["entries"], entries)
            if write:
                _write_outputs(out, manifest)

    for item in planned:
        if item.action == "skip":
            status: Status = "skipped" if item.missing else "up-to-date"
            record(_kept_record(item, previous.get(item.entry.name), status), write=False)
    to_build = [p for p in planned if p.action == "build"]
    if not to_build:
        return records  # the caller writes the manifest and index once
    from framelens.reports import package_versions

    if records:  # the entries not built are final: the index shows them while others run
        _write_outputs(out, manifest)
    versions = package_versions()
    for item in to_build:
        log.info("building %s: %s", item.entry.name, "; ".join(t for _, t in item.reasons))

    def run(item: _Planned) -> None:
        record(_run_one(item, out=out, versions=versions,
                        previous=previous.get(item.entry.name)))

    if jobs == 1 or len(to_build) <= 1:
        for item in to_build:
            run(item)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for future in [pool.submit(run, item) for item in to_build]:
                future.result()
    return records


def _ordered(records: Mapping[str, Any], entries: Sequence[Entry]) -> dict[str, Any]:
    order = {e.name: i for i, e in enumerate(entries)}
    return dict(sorted(records.items(), key=lambda kv: order.get(kv[0], len(order))))


def _write_outputs(out: Path, manifest: Mapping[str, Any]) -> None:
    _write_text(out / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, default=str))
    _write_text(out / INDEX, _index_html(manifest))


# --- the index page -----------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}.meta{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;
padding:.5rem .6rem;border-bottom:1px solid #ddd}th{background:#f4f4f4;font-weight:600}
.status{font-weight:600;white-space:nowrap;padding:.1rem .45rem;border-radius:.3rem}
.built{background:#dff3e3;color:#14532d}.up-to-date{background:#e8eef8;color:#1e3a8a}
.failed{background:#fde2e1;color:#7f1d1d}.skipped{background:#f3f0e0;color:#5b4a0b}
ul{margin:0;padding-left:1.1rem}.none{color:#777}code{font-size:.9em}small{color:#555}
.scroll{overflow-x:auto}.meta,td{overflow-wrap:anywhere}
"""


def _when(stamp: str) -> str:
    """``2025-01-02T03:04:05+00:00`` as ``2025-01-02 03:04 UTC``."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if stamp.endswith("+00:00") else stamp


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _href(path: str) -> str:
    return _e(quote(path.replace(os.sep, "/")))


def _list(items: Sequence[str]) -> str:
    if not items:
        return '<span class="none">nothing recorded</span>'
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def _index_html(manifest: Mapping[str, Any]) -> str:
    """The index page of a manifest: one row per report with its status, last
    successful build, what changed in it, and any error. Self-contained (no script, no
    external file) and every value HTML-escaped."""
    rows = []
    for name, rec in manifest.get("entries", {}).items():
        last = rec.get("last_success") or {}
        title = rec.get("title") or name
        link = (f'<a href="{_href(last["html"])}">{_e(title)}</a>' if last.get("html")
                else _e(title))
        status = rec.get("status", "")
        notes = []
        if status == "failed" and rec.get("error"):
            error = rec["error"]
            cell = (f"cell [{error['cell']}]" if error.get("cell") is not None
                    else "before a cell ran")
            where = f"{cell} ({error['source']})" if error.get("source") else cell
            kept = (f'<br><a href="{_href(error["kept"])}">failed notebook</a>'
                    if error.get("kept") else "")
            online = ("the report online is the last good build" if last
                      else "no report has been built yet")
            notes.append(f"<strong>failed</strong> in {_e(where)}: <code>{_e(error['ename'])}: "
                         f"{_e(error['evalue'])}</code>; {_e(online)}.{kept}")
        elif status == "skipped":
            notes.append(_e("; ".join(rec.get("reasons", []))))
        built = _e(_when(last.get("built", ""))) or '<span class="none">never</span>'
        if last.get("duration_s") is not None and last.get("built"):
            built += f"<br><small>{_e(last['duration_s'])} s</small>"
        rows.append(
            f"<tr><td>{link}<br><small><code>{_e(name)}</code></small></td>"
            f'<td><span class="status {_e(status)}">{_e(status)}</span></td>'
            f"<td>{built}</td><td>{_list(last.get('changes', []))}</td>"
            f"<td>{' '.join(notes)}</td></tr>")
    info = manifest.get("build", {})
    summary = ", ".join(f"{n} {s}" for s, n in info.get("counts", {}).items())
    if info.get("finished"):
        meta = (f"Last build started {_e(_when(info['started']))}, took {_e(info['duration_s'])} s "
                f"({_e(summary)}); framelens {_e(manifest.get('framelens', ''))}.")
    else:
        meta = (f"The build started {_e(_when(info.get('started', '')))} had not finished "
                "when this page was written.")
    body = "\n".join(rows) or '<tr><td colspan="5" class="none">No reports.</td></tr>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reports</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Reports</h1>
<p class="meta">{meta} Details in <a href="{MANIFEST}">{MANIFEST}</a>.</p>
<div class="scroll"><table>
<thead><tr><th>Report</th><th>Status</th><th>Last successful build</th>
<th>What changed in that build</th><th>Notes</th></tr></thead>
<tbody>
{body}
</tbody>
</table></div>
</body>
</html>
"""
