"""YAML files read node by node: every refusal names the file and the line.

This module owns what the YAML files researchers write (codebooks, actor lists) share:
finding the shipped ones, reading a file as UTF-8, composing its node tree (nodes keep
their line, Python objects would not), and the checks of the shapes every such file
uses (a mapping without repeated keys, a string field, a list of strings), each refused
with the file and the line of the fault. What a file holds (frames and their terms,
actors and their names) is checked by its own module, :mod:`framelens.codebook` or
:mod:`framelens.actors`, which also chooses the error class and the wording.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path

import yaml

from framelens.errors import CodebookError

__all__ = [
    "HEADER_KEYS",
    "NULL_TAG",
    "REQUIRED_HEADER_KEYS",
    "STR_TAG",
    "YAML_SUFFIXES",
    "NodeReader",
    "compose",
    "describe",
    "line_of",
    "read_named",
    "read_text",
    "shipped_files",
    "suggest",
]

YAML_SUFFIXES = (".yml", ".yaml")
#: the keys that open every codebook and actor list, in the order a file lists them
HEADER_KEYS = ("name", "title", "version", "language", "description", "reference")
REQUIRED_HEADER_KEYS = ("name", "version")
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TAG_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no value",
    NULL_TAG: "empty",
    "tag:yaml.org,2002:timestamp": "a date",
}


def line_of(node: yaml.Node) -> int:
    """The line ``node`` starts on, counted from 1 as an editor shows it.

    Examples
    --------
    >>> line_of(yaml.compose("name: ai\\nversion: 1").value[1][0])
    2
    """
    return node.start_mark.line + 1


def describe(node: yaml.Node) -> str:
    """What ``node`` is, in the words of a refusal: "a mapping", "a list", "a string",
    "an empty string", "a number", "a yes/no value", "empty", "a date", or "tagged ..."
    for any other tag.

    Examples
    --------
    >>> describe(yaml.compose("[a, b]"))
    'a list'
    """
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == STR_TAG:
        return "an empty string" if not node.value.strip() else "a string"
    return _TAG_NAMES.get(node.tag, f"tagged {node.tag}")


def suggest(key: str, allowed: tuple[str, ...]) -> str:
    """The end of an unknown-key refusal: the closest allowed key, if any, then all of them.

    Examples
    --------
    >>> suggest("term", ("label", "terms"))
    "did you mean 'terms'? Allowed keys: label, terms."
    """
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{hint}Allowed keys: {', '.join(allowed)}."


def shipped_files(folder: str) -> dict[str, Traversable]:
    """The YAML files that ship in ``framelens/<folder>``, by name (the file name without
    its suffix), sorted by file name.

    Examples
    --------
    >>> list(shipped_files("codebooks"))
    ['ai', 'generic', 'policy']
    """
    root = resources.files("framelens").joinpath(folder)
    return {
        entry.name.rsplit(".", 1)[0]: entry
        for entry in sorted(root.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(YAML_SUFFIXES)
    }


def read_text(path: str | PathLike, *, error: type[CodebookError]) -> str:
    """The text of the file at ``path`` (UTF-8, a byte-order mark dropped).

    Raises
    ------
    error
        when the file is not UTF-8 text.
    """
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error("the file is not UTF-8 text; save it as UTF-8.", path=path) from exc


def read_named(name_or_path: str | PathLike, shipped: dict[str, Path], *, kind: str,
               error: type[CodebookError]) -> tuple[str, str]:
    """The text of a shipped file named ``name_or_path``, or of the YAML file at that path,
    and where it was read from: what :func:`framelens.load_codebook` and
    :func:`framelens.load_actors` share.

    Parameters
    ----------
    name_or_path : a shipped name (a key of ``shipped``) or a ``.yml``/``.yaml`` path.
    shipped : shipped name -> file.
    kind : what the file is, for messages ("codebook", "actor list").
    error : the error class to raise.

    Raises
    ------
    error
        for a path that is not YAML, an unknown shipped name (naming the shipped ones) or
        a file that does not exist.

    Examples
    --------
    >>> from framelens.codebook import shipped_codebooks
    >>> read_named("ai", shipped_codebooks(), kind="codebook", error=CodebookError)[1]
    ... # doctest: +ELLIPSIS
    '.../codebooks/ai.yml'
    """
    raw = str(name_or_path)
    if isinstance(name_or_path, str) and raw in shipped:
        entry = shipped[raw]
        return entry.read_text(encoding="utf-8"), str(entry)
    path = Path(name_or_path)
    names = ", ".join(repr(n) for n in shipped)
    article = "an" if kind[:1] in "aeiou" else "a"
    if path.suffix.lower() not in YAML_SUFFIXES:
        if path.suffix or len(path.parts) > 1:
            raise error(f"{article} {kind} file must end in .yml or .yaml.", path=path)
        raise error(f"no shipped {kind} is called {raw!r}; the shipped ones are {names}. "
                    f"For your own {kind} pass the path of a .yml or .yaml file.")
    if not path.is_file():
        raise error(f"the {kind} file does not exist (looked in {path.resolve().parent}). "
                    f"The shipped {kind}s are {names}.", path=path)
    return read_text(path, error=error), str(path)


def compose(
    text: str, *, path: str, error: type[CodebookError], alias_hint: str
) -> yaml.Node | None:
    """The YAML node tree of ``text`` (read from ``path``); None for an empty document.

    Parameters
    ----------
    text : the file's text.
    path : the file, named in the refusal.
    error : the error class to raise (:class:`~framelens.errors.CodebookError` or a
        subclass).
    alias_hint : the fix to give when YAML took a leading ``*`` for an alias, e.g.
        ``'A term that starts with * or ? must be quoted: - "*operation".'``.

    Raises
    ------
    error
        when ``text`` is not valid YAML, with the line of the fault where YAML knows it.
    """
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        hint = ("Check the indentation and the quotes on this line and the one above."
                if "alias" not in problem else alias_hint)
        raise error(f"not valid YAML: {problem}. {hint}", path=path,
                    line=None if mark is None else mark.line + 1) from exc
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {exc}", path=path) from exc


class NodeReader:
    """Checks the shapes of a composed YAML node tree; every refusal names the file and
    the line.

    A module that reads one kind of file subclasses it with the checks of what that file
    holds, and raises what :meth:`fail` returns.

    Parameters
    ----------
    path : the file the tree was read from.
    error : the error class every refusal is raised as
        (:class:`~framelens.errors.CodebookError` or a subclass such as
        :class:`~framelens.errors.ActorListError`).

    Examples
    --------
    >>> reader = NodeReader("ai.yml", error=CodebookError)
    >>> fields = reader.mapping(yaml.compose("name: ai\\nversion: 1.10"), "the codebook")
    >>> reader.text(fields["version"][1], "'version'")
    '1.10'
    """

    def __init__(self, path: str, *, error: type[CodebookError]) -> None:
        self.path = path
        self.error = error

    def fail(self, problem: str, node: yaml.Node | int | None) -> CodebookError:
        """The error to raise for ``problem`` at ``node`` (or at a line number)."""
        line = line_of(node) if isinstance(node, yaml.Node) else node
        return self.error(problem, path=self.path, line=line)

    def mapping(
        self, node: yaml.Node, what: str, *, key_word: str = "key"
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The entries of a mapping, in file order: key → (key node, value node).

        ``what`` names the mapping in a refusal ("frame 'economy'"), ``key_word`` its keys
        ("frame id"). A key given twice is refused naming both lines, because YAML would
        silently keep only the last.
        """
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping of 'key: value' lines, "
                            f"not {describe(node)}.", node)
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == NULL_TAG:
                raise self.fail(f"{what} has a key that is not a plain name.", key_node)
            key = key_node.value
            if key in items:
                raise self.fail(f"{what} has the {key_word} {key!r} twice (lines "
                                f"{line_of(items[key][0])} and {line_of(key_node)}); YAML "
                                "would silently keep only the last one. Merge or rename them.",
                                key_node)
            items[key] = (key_node, value_node)
        return items

    def text(self, node: yaml.Node, what: str, *, required: bool = False) -> str:
        """A string value, white space folded; numbers keep the text as written
        (``version: 1.10`` → "1.10"); empty gives "" unless ``required``."""
        if isinstance(node, yaml.ScalarNode):
            if node.tag == STR_TAG or node.tag in _NUMBER_TAGS:
                value = " ".join(node.value.split())
                if value or not required:
                    return value
            elif node.tag == NULL_TAG and not required:
                return ""
        raise self.fail(f"{what} must be a non-empty string, not {describe(node)}.", node)

    def header(self, fields: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, str]:
        """The header of a file, by :data:`HEADER_KEYS`, from its top-level ``fields``
        (:meth:`mapping`), checked in that order. The caller has made sure that the
        :data:`REQUIRED_HEADER_KEYS` are present. ``title`` defaults to the name,
        ``language`` to ``"en"``, the others to ``""``."""
        header = {
            key: self.text(fields[key][1], f"'{key}'", required=key in REQUIRED_HEADER_KEYS)
            if key in fields else ""
            for key in HEADER_KEYS
        }
        return {**header, "title": header["title"] or header["name"],
                "language": header["language"] or "en"}

    def strings(self, node: yaml.Node, what: str, *, shape: str,
                noun: str) -> Iterator[yaml.ScalarNode]:
        """The items of a non-empty list of strings, one at a time.

        Each item is checked only when it is reached, so a caller that refuses an item
        for its own reasons refuses faults in file order.

        Parameters
        ----------
        node : the list.
        what : names the list in a refusal ("frame 'economy', terms").
        shape : how the list should look, for a refusal of anything else
            ("a list of strings (one '- term' per line)").
        noun : what one item is ("term").
        """
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(f"{what} must be {shape}, not {describe(node)}.", node)
        if not node.value:
            raise self.fail(f"{what} is an empty list; give at least one {noun}.", node)
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != STR_TAG:
                shown = f" ({item.value!r})" if isinstance(item, yaml.ScalarNode) else ""
                raise self.fail(f"{what}: a {noun} must be a string, not {describe(item)}"
                                f"{shown}; put it in quotes.", item)
            yield item
