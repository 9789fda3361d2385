"""Codebooks: the frames a study codes for and the terms that signal each frame.

A codebook is a YAML file that researchers read, cite and copy::

    name: ai
    title: Framing of artificial intelligence in news coverage
    version: "1.0.0"
    language: en
    description: What the codebook is for.
    reference: The literature it draws on.
    frames:
      cooperation:                # frame id: lower-case letters, digits and _
        label: Cooperation and public good
        description: What a coder looks for.
        terms:                    # required, at least one
          - cooperat*             # * = any run of characters inside one token, ? = one
          - public good*          # a phrase matches consecutive tokens
          - win-win               # a hyphenated word is one token
          - threat* to * security # a lone * in a phrase stands for any one word
        exclude:                  # optional: matches inside these phrases do not count
          - ...

Terms are matched case-insensitively on the tokens of :func:`framelens.segment.word_spans`,
so a term is split into tokens the same way as the text ("China's" is ``china`` + ``'s``).
A term without a wildcard matches whole tokens only: ``public good`` does not match
"public goods"; write ``public good*`` for that. Punctuation between words breaks a
phrase ("public, good" is not ``public good``), and a phrase never spans two sentences.
A term that starts with ``*`` or ``?`` must be quoted in YAML (``- "*operation"``).

This module owns loading and validating codebooks. Every fault is refused with a
:class:`~framelens.errors.CodebookError` naming the file and the line, because a typo
in a codebook ("term:" for "terms:") would otherwise silently change every score.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from importlib import resources
from os import PathLike
from pathlib import Path

import pandas as pd
import yaml

from framelens.errors import CodebookError
from framelens.segment import _norm, word_spans

__all__ = ["Codebook", "Frame", "list_codebooks", "load_codebook"]

_SHIPPED_DIR = "codebooks"
_SUFFIXES = (".yml", ".yaml")
_TOP_KEYS = ("name", "title", "version", "language", "description", "reference", "frames")
_REQUIRED_TOP_KEYS = ("name", "version", "frames")
_FRAME_KEYS = ("label", "description", "terms", "exclude")
_FRAME_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TAG_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no value",
    _NULL: "empty",
    "tag:yaml.org,2002:timestamp": "a date",
}

# Wildcards are swapped for two letters (Unicode category Lo, no case) before a term is
# tokenised, so the tokenizer keeps "cooperat*" as one token instead of splitting off "*".
_MASK = str.maketrans({"*": "ǂ", "?": "ǁ"})
_UNMASK = str.maketrans({"ǂ": "*", "ǁ": "?"})
_WILDCARDS = frozenset("*?")


@dataclasses.dataclass(frozen=True)
class Frame:
    """One frame of a codebook.

    Attributes
    ----------
    id : short identifier used in tables (``cooperation``).
    label : human-readable name used in reports (``Cooperation and public good``).
    description : what a coder looks for.
    terms : the terms that signal the frame, as written in the codebook.
    exclude : phrases whose matches do not count for this frame.
    """

    id: str
    label: str
    description: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Codebook:
    """A validated codebook, as returned by :func:`load_codebook`.

    Frozen and hashable, so it can key caches and travel to Dask workers.

    Attributes
    ----------
    name, title, version, language, description, reference : from the YAML header.
    path : the file it was read from.
    frames : the frames, in the order of the file.
    """

    name: str
    title: str
    version: str
    language: str
    description: str
    reference: str
    path: str
    frames: tuple[Frame, ...]

    @property
    def frame_ids(self) -> tuple[str, ...]:
        """The frame ids, in codebook order."""
        return tuple(frame.id for frame in self.frames)

    def frame(self, frame_id: str) -> Frame:
        """The frame called ``frame_id``; KeyError names the frames that exist."""
        for frame in self.frames:
            if frame.id == frame_id:
                return frame
        raise KeyError(f"codebook {self.name!r} has no frame {frame_id!r}; "
                       f"its frames are {list(self.frame_ids)}")

    def to_frame(self) -> pd.DataFrame:
        """The codebook as a tidy table, one row per term.

        Returns
        -------
        DataFrame with columns ``frame, label, description, term, role``; ``role`` is
        ``"term"`` for the terms and ``"exclude"`` for the exclude phrases.

        Examples
        --------
        >>> table = load_codebook("generic").to_frame()
        >>> list(table.columns)
        ['frame', 'label', 'description', 'term', 'role']
        """
        rows = [
            (frame.id, frame.label, frame.description, term, role)
            for frame in self.frames
            for role, terms in (("term", frame.terms), ("exclude", frame.exclude))
            for term in terms
        ]
        return pd.DataFrame(rows, columns=["frame", "label", "description", "term", "role"])


def term_tokens(term: str) -> tuple[str, ...]:
    """Split a codebook term into the normalised tokens it must match, wildcards kept.

    Examples
    --------
    >>> term_tokens("China's win-win cooperat*")
    ('china', "'s", 'win-win', 'cooperat*')
    """
    return tuple(
        _norm(token).translate(_UNMASK) for token, _, _ in word_spans(term.translate(_MASK))
    )


def _term_problem(term: str) -> str | None:
    """Why ``term`` can never match running text, or None when it can."""
    if not term.strip():
        return "is empty"
    spans = [(_norm(t).translate(_UNMASK), s, e) for t, s, e in word_spans(term.translate(_MASK))]
    if all(set(token) <= _WILDCARDS for token, _, _ in spans):
        return "is only wildcards, so it would match every word"
    if not any(ch.isalnum() for token, _, _ in spans for ch in token):
        return ("has no letters or digits, so it cannot match a word "
                "(framelens matches words, not punctuation)")
    for (left, _, left_end), (right, right_start, _) in zip(spans, spans[1:]):
        if left_end != right_start:
            continue
        if set(left) <= _WILDCARDS or set(right) <= _WILDCARDS:
            return (f"has a wildcard that is not inside a word ({left!r} and {right!r} are "
                    "separate tokens); wildcards work inside words and as whole words only")
    if len(spans) > 1 and (spans[0][0] == "-" and spans[0][2] == spans[1][1]
                           or spans[-1][0] == "-" and spans[-2][2] == spans[-1][1]):
        return ("starts or ends with a hyphen; a hyphenated word is one token, so write "
                "the whole word, e.g. '*-led' instead of '-led'")
    return None


# --- reading YAML nodes -------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _STR:
        return "an empty string" if not node.value.strip() else "a string"
    return _TAG_NAMES.get(node.tag, f"tagged {node.tag}")


def _suggest(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{hint}Allowed keys: {', '.join(allowed)}."


class _Reader:
    """Validates a composed YAML node tree; every refusal names the file and the line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, problem: str, node: yaml.Node | int | None) -> CodebookError:
        line = _line(node) if isinstance(node, yaml.Node) else node
        return CodebookError(problem, path=self.path, line=line)

    def mapping(
        self, node: yaml.Node, what: str, *, key_word: str = "key"
    ) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping of 'key: value' lines, "
                            f"not {_describe(node)}.", node)
        seen: dict[str, int] = {}
        items = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL:
                raise self.fail(f"{what} has a key that is not a plain name.", key_node)
            key = key_node.value
            if key in seen:
                raise self.fail(f"{what} has the {key_word} {key!r} twice (lines {seen[key]} and "
                                f"{_line(key_node)}); YAML would silently keep only the "
                                "last one. Merge or rename them.", key_node)
            seen[key] = _line(key_node)
            items.append((key, key_node, value_node))
        return items

    def text(self, node: yaml.Node, what: str, *, required: bool = False) -> str:
        """A string value; numbers keep the text as written (``version: 1.10`` → "1.10")."""
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR or node.tag in _NUMBER_TAGS:
                value = " ".join(node.value.split())
                if value or not required:
                    return value
            elif node.tag == _NULL and not required:
                return ""
        raise self.fail(f"{what} must be a non-empty string, not {_describe(node)}.", node)

    def terms(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(f"{what} must be a list of strings (one '- term' per line), "
                            f"not {_describe(node)}.", node)
        if not node.value:
            raise self.fail(f"{what} is an empty list; give at least one term.", node)
        seen: dict[tuple[str, ...], tuple[str, int]] = {}
        terms = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != _STR:
                shown = f" ({item.value!r})" if isinstance(item, yaml.ScalarNode) else ""
                raise self.fail(f"{what}: a term must be a string, not {_describe(item)}"
                                f"{shown}; put it in quotes.", item)
            term = item.value.strip()
            problem = _term_problem(term)
            if problem:
                raise self.fail(f"{what}: the term {term!r} {problem}.", item)
            key = term_tokens(term)
            if key in seen:
                first, first_line = seen[key]
                raise self.fail(f"{what}: the term {term!r} repeats {first!r} (line "
                                f"{first_line}); each term may appear once per frame.", item)
            seen[key] = (term, _line(item))
            terms.append(term)
        return tuple(terms)

    def frame(self, frame_id: str, key_node: yaml.Node, node: yaml.Node) -> Frame:
        where = f"frame {frame_id!r}"
        if not _FRAME_ID_RE.match(frame_id):
            raise self.fail(f"the frame id {frame_id!r} must be lower-case letters, digits "
                            "and '_', starting with a letter (e.g. 'human_interest').", key_node)
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            raise self.fail(f"{where} is empty; give it 'terms:' (and a 'label:').", key_node)
        fields = {key: (k, v) for key, k, v in self.mapping(node, where)}
        for key, (k, _) in fields.items():
            if key not in _FRAME_KEYS:
                raise self.fail(f"{where} has an unknown key {key!r}; "
                                f"{_suggest(key, _FRAME_KEYS)}", k)
        if "terms" not in fields:
            raise self.fail(f"{where} has no 'terms:' list; every frame needs at least "
                            "one term.", key_node)
        if fields["terms"][1].tag == _NULL:
            raise self.fail(f"{where}: 'terms:' is empty; give at least one term.",
                            fields["terms"][0])
        exclude: tuple[str, ...] = ()
        if "exclude" in fields and fields["exclude"][1].tag != _NULL:
            exclude = self.terms(fields["exclude"][1], f"{where}, exclude")
        return Frame(
            id=frame_id,
            label=self.text(fields["label"][1], f"{where}, label", required=True)
            if "label" in fields else frame_id,
            description=self.text(fields["description"][1], f"{where}, description")
            if "description" in fields else "",
            terms=self.terms(fields["terms"][1], f"{where}, terms"),
            exclude=exclude,
        )

    def codebook(self, root: yaml.Node | None) -> Codebook:
        if root is None:
            raise self.fail("the file is empty; a codebook needs name, version and frames.", 1)
        items = self.mapping(root, "the codebook")
        fields = {key: (k, v) for key, k, v in items}
        for key, (k, _) in fields.items():
            if key not in _TOP_KEYS:
                raise self.fail(f"unknown key {key!r} at the top of the codebook; "
                                f"{_suggest(key, _TOP_KEYS)}", k)
        for key in _REQUIRED_TOP_KEYS:
            if key not in fields:
                raise self.fail(f"the codebook has no '{key}:'; name, version and frames "
                                "are required.", root)
        header = {
            key: self.text(fields[key][1], f"'{key}'", required=key in _REQUIRED_TOP_KEYS)
            if key in fields else ""
            for key in _TOP_KEYS if key != "frames"
        }
        frames_key, frames_node = fields["frames"]
        if isinstance(frames_node, yaml.ScalarNode) and frames_node.tag == _NULL:
            raise self.fail("'frames:' is empty; give at least one frame.", frames_key)
        frame_items = self.mapping(frames_node, "'frames'", key_word="frame id")
        if not frame_items:
            raise self.fail("'frames:' is empty; give at least one frame.", frames_key)
        frames = tuple(self.frame(fid, k, v) for fid, k, v in frame_items)
        return Codebook(
            name=header["name"],
            title=header["title"] or header["name"],
            version=header["version"],
            language=header["language"] or "en",
            description=header["description"],
            reference=header["reference"],
            path=self.path,
            frames=frames,
        )


# --- loading ------------------------------------------------------------------------


def _shipped() -> dict[str, object]:
    folder = resources.files("framelens").joinpath(_SHIPPED_DIR)
    return {
        entry.name.rsplit(".", 1)[0]: entry
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(_SUFFIXES)
    }


@functools.lru_cache(maxsize=32)
def _parse(text: str, path: str) -> Codebook:
    """The codebook in ``text`` (read from ``path``), validated. Remembered by content:
    the YAML parser takes ~0.1 s, paid once however often a notebook or a chunk loads the
    same file, and an edited file is parsed again (a Codebook is immutable, so sharing it
    is safe; a failed parse is not remembered)."""
    reader = _Reader(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        hint = ("Check the indentation and the quotes on this line and the one above."
                if "alias" not in problem else
                "A term that starts with * or ? must be quoted: - \"*operation\".")
        raise CodebookError(
            f"not valid YAML: {problem}. {hint}",
            path=path,
            line=None if mark is None else mark.line + 1,
        ) from exc
    except yaml.YAMLError as exc:
        raise CodebookError(f"not valid YAML: {exc}", path=path) from exc
    return reader.codebook(root)


def load_codebook(name_or_path: str | PathLike | Codebook) -> Codebook:
    """Load and validate a codebook: a shipped one by name, or your own YAML file.

    Parameters
    ----------
    name_or_path : ``"generic"`` (Semetko & Valkenburg's five generic news frames),
        ``"policy"`` (the 15 dimensions of the Policy Frames Codebook), ``"ai"``
        (framing of artificial intelligence), or the path of a ``.yml``/``.yaml`` file.
        A :class:`Codebook` is returned as is.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        when the file does not exist or is malformed; the message names the file and line.

    Examples
    --------
    >>> cb = load_codebook("ai")
    >>> cb.frame_ids[:3]
    ('cooperation', 'competition', 'economy')
    """
    if isinstance(name_or_path, Codebook):
        return name_or_path
    shipped = _shipped()
    raw = str(name_or_path)
    if isinstance(name_or_path, str) and raw in shipped:
        entry = shipped[raw]
        return _parse(entry.read_text(encoding="utf-8"), str(entry))
    path = Path(name_or_path)
    names = ", ".join(repr(n) for n in shipped)
    if path.suffix.lower() not in _SUFFIXES:
        if path.suffix or len(path.parts) > 1:
            raise CodebookError("a codebook file must end in .yml or .yaml.", path=path)
        raise CodebookError(
            f"no shipped codebook is called {raw!r}; the shipped ones are {names}. "
            "For your own codebook pass the path of a .yml or .yaml file."
        )
    if not path.is_file():
        raise CodebookError(
            f"the codebook file does not exist (looked in {path.resolve().parent}). "
            f"The shipped codebooks are {names}.",
            path=path,
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError("the file is not UTF-8 text; save it as UTF-8.", path=path) from exc
    return _parse(text, str(path))


def list_codebooks() -> pd.DataFrame:
    """The codebooks that ship with framelens.

    Returns
    -------
    DataFrame, one row per codebook: ``name, title, version, n_frames, n_terms``.

    Examples
    --------
    >>> sorted(list_codebooks()["name"])
    ['ai', 'generic', 'policy']
    """
    rows = []
    for name in _shipped():
        cb = load_codebook(name)
        rows.append((name, cb.title, cb.version, len(cb.frames),
                     sum(len(frame.terms) for frame in cb.frames)))
    return pd.DataFrame(rows, columns=["name", "title", "version", "n_frames", "n_terms"])
