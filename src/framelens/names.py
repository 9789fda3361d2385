"""Report names: folder names that cannot leave the output folder, and report identities.

This module owns how a report is named, in one light module (no pandas), because
``framelens build`` checks every entry's name on every run, also when nothing is built:

- :func:`safe_name` turns titles, outlets and dates into a file name that cannot escape
  the output folder;
- :func:`report_name` is the folder name of a report made with a codebook: the codebook
  ends the name, so reports of one article with two codebooks never share a folder;
- :func:`report_identity` says what makes two runs the same report (notebook, inputs,
  codebook), which decides whether one run may replace another's folder.

:mod:`framelens.reports` re-exports all three (``fl.safe_name``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from os import PathLike
from pathlib import Path

__all__ = ["report_identity", "report_name", "safe_name"]


def _missing(part: object) -> bool:
    if part is None or isinstance(part, str):
        return part is None
    import pandas as pd  # only for parts taken from a table (NaN, NA, NaT), never for text

    return bool(pd.isna(part))


def safe_name(*parts: object, max_length: int = 80, default: str = "report") -> str:
    """A file name from titles, outlets or dates that cannot escape the output folder.

    Letters are reduced to ASCII, everything but ``a-z``, ``0-9`` becomes ``-``, so
    ``/``, ``..``, NUL bytes and drive letters cannot survive. Missing parts (None, NaN)
    are left out.

    Examples
    --------
    >>> safe_name("Global Times", "2025-09-05", "AI as an international public good")
    'global-times-2025-09-05-ai-as-an-international-public-good'
    >>> safe_name("../../etc/passwd")
    'etc-passwd'
    """
    text = "-".join(str(p) for p in parts if not _missing(p) and str(p))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or default


def report_name(*parts: object, codebook: str, max_length: int = 80,
                default: str = "report") -> str:
    """The folder name of a report made with ``codebook``: :func:`safe_name` of ``parts``
    followed by the codebook's name, which shortening a long title never cuts off.

    Examples
    --------
    >>> report_name("Global Times", "2025-09-05", "AI as a public good", codebook="policy")
    'global-times-2025-09-05-ai-as-a-public-good-policy'
    >>> len(report_name("a" * 200, codebook="ai"))
    80
    """
    suffix = safe_name(codebook, default="codebook")
    stem = safe_name(*parts, max_length=max(max_length - len(suffix) - 1, 1), default=default)
    return f"{stem}-{suffix}"


def report_identity(notebook: str | PathLike, inputs: Sequence[str | PathLike] = (), *,
                    codebook: str | None = None) -> str:
    """What makes two runs the same report: the notebook, the input paths (absolute) and
    the codebook (a shipped name, or a codebook file's absolute path).

    ``framelens report`` of an article and a ``framelens build`` entry that run the same
    notebook on the same article with the same codebook make the same report, so either
    may replace the other's folder; the same article with another codebook, or another
    article whose title gives the same folder name, does not.

    The identity is written into every published report folder, so it names the files
    by their names only and the absolute paths by a hash: a published report never shows
    the paths of the machine that built it.

    Examples
    --------
    >>> report_identity("/srv/nb/article_report.ipynb", ["/srv/data/a.txt"], codebook="ai")
    'article_report.ipynb, a.txt, codebook: ai [f1b755a98d0039b5]'
    """
    paths = [str(Path(notebook).resolve()), *sorted(str(Path(p).resolve()) for p in inputs)]
    extra = [f"codebook: {codebook}"] if codebook else []
    digest = hashlib.sha256("\n".join([*paths, *extra]).encode()).hexdigest()[:16]
    shown = [f"codebook: {Path(codebook).name}"] if codebook else []  # a file: its name
    about = ", ".join([*(Path(p).name for p in paths), *shown])
    return f"{about} [{digest}]"
