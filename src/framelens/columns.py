"""Column checks: the one place that refuses a table lacking the columns a step needs.

Every public function that takes a DataFrame checks its columns first, so a table from
the wrong step (or with renamed columns) is refused with the columns it lacks, the ones
it has and how to fix it, instead of a ``KeyError`` deep inside pandas.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

import pandas as pd

from framelens.errors import MissingColumnError

__all__ = ["PIPELINE_FIX", "require_columns"]

#: the fix when a step of the article pipeline gets a table of another step
PIPELINE_FIX = ("pass the output of the previous step (read_articles → split_paragraphs → "
                "split_sentences → tokenize) or rename your columns.")


def require_columns(
    table: pd.DataFrame,
    columns: Iterable[str],
    *,
    helper: str,
    fix: str = PIPELINE_FIX,
    name: str | None = None,
    path: str | PathLike | None = None,
) -> None:
    """Refuse ``table`` unless it has every one of ``columns``.

    Parameters
    ----------
    table : the DataFrame given to ``helper``.
    columns : the columns ``helper`` needs.
    helper : the function's name, for the message.
    fix : what the user should do.
    name : what the table is ("scores", "sentences"), when a helper takes several.
    path : the file the table came from, if any.

    Raises
    ------
    MissingColumnError : naming the missing columns and the ones the table has.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"text": []}), ["text"], helper="tokenize")
    >>> require_columns(pd.DataFrame({"x": []}), ["text"], helper="tokenize")
    Traceback (most recent call last):
    ...
    framelens.errors.MissingColumnError: tokenize needs column(s) ['text']; the table has ['x']. Fix: pass the output of the previous step (read_articles → split_paragraphs → split_sentences → tokenize) or rename your columns.
    """  # noqa: E501
    missing = [c for c in columns if c not in table.columns]
    if missing:
        where = f" in the {name} table" if name else ""
        raise MissingColumnError(
            f"{helper} needs column(s) {missing}{where}; the table has "
            f"{list(table.columns)}.", path=path, fix=fix)
