"""Every error framelens raises, in one place.

Each message says *where* (file, row or line), *what* went wrong and *how to fix it*.
Catch :class:`FramelensError` to handle them all.

Hierarchy::

    FramelensError
    ├── InputError                 an article, file or table cannot be used
    │   ├── EmptyInputError        file or table has no text
    │   ├── BinaryInputError       file is not text (PDF, Word, image...)
    │   ├── EncodingError          bytes cannot be decoded as text
    │   ├── MetadataError          the metadata header of a .txt/.md article is malformed
    │   ├── MissingColumnError     a mapped or required column is absent
    │   ├── LanguageError          text is not English (the lexicons are English-only)
    │   └── ModelError             a model file is missing, corrupt or malformed
    ├── OptionError                a function was given an option value it does not accept
    ├── OutputError                an output path cannot be written without losing data
    ├── CodebookError              a codebook YAML file is malformed (names the line)
    │   └── ActorListError         an actor list YAML file is malformed (names the line)
    └── ReportError                a report could not be built
        └── NotebookExecutionError a notebook cell raised while running under Papermill
"""

from __future__ import annotations

from os import PathLike

__all__ = [
    "ActorListError",
    "BinaryInputError",
    "CodebookError",
    "EmptyInputError",
    "EncodingError",
    "FramelensError",
    "InputError",
    "LanguageError",
    "MetadataError",
    "MissingColumnError",
    "ModelError",
    "NotebookExecutionError",
    "OptionError",
    "OutputError",
    "ReportError",
]


def _where(path: str | PathLike | None, *, row: int | None = None, line: int | None = None) -> str:
    parts = []
    if path is not None:
        parts.append(str(path))
    if row is not None:
        parts.append(f"row {row}")
    if line is not None:
        parts.append(f"line {line}")
    return ", ".join(parts)


class FramelensError(Exception):
    """Base class of every framelens error."""


class InputError(FramelensError, ValueError):
    """An article, file or table cannot be used as input.

    Attributes ``path`` and ``row`` say where; ``fix`` says what to do.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | PathLike | None = None,
        row: int | None = None,
        line: int | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        self.row = row
        self.line = line
        self.fix = fix
        where = _where(path, row=row, line=line)
        message = f"{where}: {problem}" if where else problem
        if fix:
            message += f" Fix: {fix}"
        super().__init__(message)


class EmptyInputError(InputError):
    """The file, row or table holds no article text."""


class BinaryInputError(InputError):
    """The file is binary (PDF, Word, image, archive...), not text."""


class EncodingError(InputError):
    """The bytes cannot be decoded as text in any supported encoding."""


class MetadataError(InputError):
    """The metadata header at the top of a .txt/.md article is malformed."""


class MissingColumnError(InputError, KeyError):
    """A column named in the column mapping, or required by a helper, is absent."""

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return self.args[0] if self.args else ""


class LanguageError(InputError):
    """The text does not look like English; framelens's lexicons are English-only."""


class ModelError(InputError):
    """A model's files are missing, corrupt or malformed; ``fix`` says how to restore them."""


class OptionError(FramelensError, ValueError):
    """An option has a value the function does not accept; ``fix`` says which are valid."""

    def __init__(self, problem: str, *, fix: str | None = None) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} Fix: {fix}" if fix else problem)


class OutputError(FramelensError, ValueError):
    """An output path cannot be used: it is the input, a file or folder framelens did not
    make (and will not overwrite or delete), or a folder that cannot be written.

    Attributes ``path`` (the output at fault), ``problem`` and ``fix``.
    """

    def __init__(self, problem: str, *, path: str | PathLike | None = None,
                 fix: str | None = None) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        self.fix = fix
        message = f"{path}: {problem}" if path is not None else problem
        if fix:
            message += f" Fix: {fix}"
        super().__init__(message)


class CodebookError(FramelensError, ValueError):
    """A codebook is malformed. ``path`` and ``line`` point at the fault."""

    def __init__(
        self, problem: str, *, path: str | PathLike | None = None, line: int | None = None
    ) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        self.line = line
        where = _where(path, line=line)
        super().__init__(f"{where}: {problem}" if where else problem)


class ActorListError(CodebookError):
    """An actor list is malformed. ``path`` and ``line`` point at the fault."""


class ReportError(FramelensError, RuntimeError):
    """A report could not be built; the previous report, if any, is left untouched."""


class NotebookExecutionError(ReportError):
    """A notebook cell raised while the report notebook ran.

    Attributes ``notebook`` (the notebook that was run), ``cell`` (execution count of the
    failing cell in the executed notebook, which counts the parameters cell Papermill
    injects), ``source`` (the cell's first line), ``ename``, ``evalue`` and ``kept``
    (the failed notebook, kept for debugging).
    """

    def __init__(
        self,
        *,
        notebook: str | PathLike,
        cell: int | None,
        ename: str,
        evalue: str,
        source: str = "",
        kept: str | PathLike | None = None,
    ) -> None:
        self.notebook = str(notebook)
        self.cell = cell
        self.source = source.strip().splitlines()[0] if source.strip() else ""
        self.ename = ename
        self.evalue = evalue
        self.kept = None if kept is None else str(kept)
        where = f"cell [{cell}]" if cell is not None else "an unknown cell"
        if self.source:
            where += f" ({self.source[:80]})"
        message = f"{self.notebook} failed in {where}: {ename}: {evalue}."
        if kept:
            message += f" The failed notebook is kept at {kept}."
        message += " The previous report was left untouched."
        super().__init__(message)
