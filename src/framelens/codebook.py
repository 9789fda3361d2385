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
          - =United Nations       # = marks a case-sensitive term, which may match a name
        exclude:                  # optional: matches inside these phrases do not count
          - ...
        threshold:                # optional: when an article "uses" the frame
          matches: 3
    threshold:                    # optional: the default for every frame
      matches: 2                  # at least this many matches...
      sentences: 2                # ...in at least this many distinct sentences...
      per_1k: 0.5                 # ...and at least this many matches per 1,000 words

Terms are matched case-insensitively on the tokens of :func:`framelens.segment.word_spans`,
so a term is split into tokens the same way as the text ("China's" is ``china`` + ``'s``).
A term without a wildcard matches whole tokens only: ``public good`` does not match
"public goods"; write ``public good*`` for that. Punctuation between words breaks a
phrase ("public, good" is not ``public good``), and a phrase never spans two sentences.
A term that starts with ``*`` or ``?`` must be quoted in YAML (``- "*operation"``).

Proper names: a term does not match inside a proper name (a run of capitalised words in
mid-sentence, a title before a name, a named committee or institution; see
:mod:`framelens.framing`), so "labour" does not match the senator "Jim Talent" nor
"judiciary" the "Senate Judiciary Committee". A term written with a leading ``=``
(``- =Supreme Court``, ``- =Nato``) is case-sensitive instead: it matches only as
written, capitals included, and it may match inside a name. Use it for the names that
are themselves evidence of a frame. Acronyms ("NATO", "GDP", "AI") are not taken for
names, so they need no mark. Exclude phrases are never guarded (a veto inside a name
still vetoes).

Thresholds: an article *uses* a frame (the ``used`` column of
:func:`framelens.score_frames`, ``used_<frame>`` in the scores table, the share of
articles in comparisons) when the frame's evidence passes its threshold: at least
``matches`` matches, in at least ``sentences`` distinct sentences, and at least
``per_1k`` matches per 1,000 words. A frame's ``threshold:`` overrides the keys it gives
of the codebook's ``threshold:``; a key given nowhere takes the old rule's value
(``matches: 1, sentences: 1, per_1k: 0``: one match is enough).

This module owns loading and validating codebooks. Every fault is refused with a
:class:`~framelens.errors.CodebookError` naming the file and the line, because a typo
in a codebook ("term:" for "terms:") would otherwise silently change every score. The
checks a codebook shares with an actor list (the header, mappings, strings, lists of
strings, valid YAML) live in :mod:`framelens.yamlfile`; the rules for frames and terms
live here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from os import PathLike

import pandas as pd
import yaml

from framelens.errors import CodebookError
from framelens.segment import norm_token, word_spans
from framelens.yamlfile import (
    HEADER_KEYS,
    NULL_TAG,
    REQUIRED_HEADER_KEYS,
    NodeReader,
    compose,
    describe,
    line_of,
    read_named,
    shipped_files,
    suggest,
)

__all__ = ["Codebook", "Frame", "Threshold", "codebook_digest", "list_codebooks",
           "load_codebook"]

_SHIPPED_DIR = "codebooks"
_TOP_KEYS = (*HEADER_KEYS, "threshold", "frames")
_REQUIRED_TOP_KEYS = (*REQUIRED_HEADER_KEYS, "frames")
_FRAME_KEYS = ("label", "description", "terms", "exclude", "threshold")
_THRESHOLD_KEYS = ("matches", "sentences", "per_1k")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
#: the mark that opens a case-sensitive term (``=NATO``)
CASE_MARK = "="
_FRAME_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# Wildcards are swapped for two letters (Unicode category Lo, no case) before a term is
# tokenised, so the tokenizer keeps "cooperat*" as one token instead of splitting off "*".
_MASK = str.maketrans({"*": "ǂ", "?": "ǁ"})
_UNMASK = str.maketrans({"ǂ": "*", "ǁ": "?"})
_WILDCARDS = frozenset("*?")


@dataclasses.dataclass(frozen=True)
class Threshold:
    """When an article uses a frame: all three must hold.

    Attributes
    ----------
    matches : fewest matches of the frame's terms (at least 1).
    sentences : fewest distinct sentences holding a match (at least 1).
    per_1k : lowest rate of matches per 1,000 words (0 = no limit).

    Examples
    --------
    >>> Threshold(matches=2).passes(hits=2, sentences=1, rate_per_1k=4.0)
    True
    """

    matches: int = 1
    sentences: int = 1
    per_1k: float = 0.0

    def passes(self, *, hits: object, sentences: object, rate_per_1k: object) -> object:
        """Whether evidence passes; works on numbers and on arrays or Series alike
        (a NaN rate, an article without words, never passes)."""
        return (hits >= self.matches) & (sentences >= self.sentences) & (
            rate_per_1k >= self.per_1k)


def is_case_sensitive(term: str) -> bool:
    """True for a term marked case-sensitive with a leading ``=`` (``=NATO``).

    Examples
    --------
    >>> is_case_sensitive("=NATO"), is_case_sensitive("nato")
    (True, False)
    """
    return term.startswith(CASE_MARK)


@dataclasses.dataclass(frozen=True)
class Frame:
    """One frame of a codebook.

    Attributes
    ----------
    id : short identifier used in tables (``cooperation``).
    label : human-readable name used in reports (``Cooperation and public good``).
    description : what a coder looks for.
    terms : the terms that signal the frame, as written in the codebook (a
        case-sensitive term keeps its leading ``=``).
    exclude : phrases whose matches do not count for this frame.
    threshold : when an article uses the frame (the codebook's default merged with the
        frame's own keys).
    """

    id: str
    label: str
    description: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    threshold: Threshold = Threshold()


@dataclasses.dataclass(frozen=True)
class Codebook:
    """A validated codebook, as returned by :func:`load_codebook`.

    Frozen and hashable, so it can key caches and travel to Dask workers.

    Attributes
    ----------
    name, title, version, language, description, reference : from the YAML header.
    path : the file it was read from.
    frames : the frames, in the order of the file.
    threshold : the codebook-wide default threshold (each frame holds its own, merged).
    """

    name: str
    title: str
    version: str
    language: str
    description: str
    reference: str
    path: str
    frames: tuple[Frame, ...]
    threshold: Threshold = Threshold()

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


def term_tokens(term: str, *, keep_case: bool = False) -> tuple[str, ...]:
    """Split a codebook term into the normalised tokens it must match, wildcards kept.

    The case-sensitive mark (``=``) is dropped; ``keep_case=True`` keeps the capitals (for
    the tokens a case-sensitive term must match as written), straightening apostrophes
    only.

    Examples
    --------
    >>> term_tokens("China's win-win cooperat*")
    ('china', "'s", 'win-win', 'cooperat*')
    >>> term_tokens("=Supreme Court")
    ('supreme', 'court')
    >>> term_tokens("=Supreme Court", keep_case=True)
    ('Supreme', 'Court')
    """
    term = term.removeprefix(CASE_MARK)
    normal = (lambda token: token.replace("’", "'")) if keep_case else norm_token
    return tuple(
        normal(token).translate(_UNMASK) for token, _, _ in word_spans(term.translate(_MASK))
    )


def _term_problem(term: str) -> str | None:
    """Why ``term`` can never match running text, or None when it can."""
    if not term.strip():
        return "is empty"
    if is_case_sensitive(term):
        term = term.removeprefix(CASE_MARK)
        if not term.strip() or term[0].isspace():
            return ("has the case-sensitive mark '=' without a term right after it; "
                    "write it as '=NATO'")
    spans = [(norm_token(t).translate(_UNMASK), s, e)
             for t, s, e in word_spans(term.translate(_MASK))]
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


def _number(node: yaml.Node) -> float | None:
    """The number a YAML scalar holds (``2``, ``0.5``), or None for anything else."""
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _NUMBER_TAGS:
        return None
    number = float(yaml.safe_load(node.value))
    return number if number == number and abs(number) != float("inf") else None



class _Reader(NodeReader):
    """Validates a composed codebook tree: its header, thresholds, frames and terms."""

    def threshold(self, key_node: yaml.Node, node: yaml.Node, what: str,
                  base: Threshold) -> Threshold:
        """``base`` with the keys ``node`` gives (a frame's over the codebook's)."""
        example = f"'{key_node.value}: {{matches: 2, sentences: 2}}'"
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            raise self.fail(f"{what} is empty; give matches, sentences and/or per_1k, "
                            f"e.g. {example}, or delete it.", key_node)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping of matches, sentences and/or per_1k, "
                            f"e.g. {example}, not {describe(node)}.", node)
        fields = self.mapping(node, what)
        if not fields:
            raise self.fail(f"{what} is empty; give matches, sentences and/or per_1k, "
                            f"e.g. {example}, or delete it.", key_node)
        values: dict[str, int | float] = {}
        for key, (k, v) in fields.items():
            if key not in _THRESHOLD_KEYS:
                raise self.fail(f"{what} has an unknown key {key!r}; "
                                f"{suggest(key, _THRESHOLD_KEYS)}", k)
            number = _number(v)
            got = (repr(v.value) if isinstance(v, yaml.ScalarNode) and v.tag != NULL_TAG
                   else describe(v))
            if key == "per_1k":
                if number is None or number < 0:
                    raise self.fail(f"{what}, per_1k must be a number >= 0 (matches per "
                                    f"1,000 words, e.g. 'per_1k: 0.5'), not {got}.", v)
                values[key] = float(number)
            else:
                if number is None or number != int(number) or number < 1:
                    raise self.fail(f"{what}, {key} must be a whole number >= 1 (e.g. "
                                    f"'{key}: 2'), not {got}.", v)
                values[key] = int(number)
        return dataclasses.replace(base, **values)

    def terms(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        seen: dict[tuple, tuple[str, int]] = {}
        terms = []
        for item in self.strings(node, what, shape="a list of strings (one '- term' per line)",
                                 noun="term"):
            term = item.value.strip()
            problem = _term_problem(term)
            if problem:
                raise self.fail(f"{what}: the term {term!r} {problem}.", item)
            # "=NATO" and "=Nato" are two terms; "nato" and "NATO" one
            key = ((term,) if is_case_sensitive(term) else term_tokens(term))
            if key in seen:
                first, first_line = seen[key]
                raise self.fail(f"{what}: the term {term!r} repeats {first!r} (line "
                                f"{first_line}); each term may appear once per frame.", item)
            seen[key] = (term, line_of(item))
            terms.append(term)
        return tuple(terms)

    def frame(self, frame_id: str, key_node: yaml.Node, node: yaml.Node) -> Frame:
        where = f"frame {frame_id!r}"
        if not _FRAME_ID_RE.match(frame_id):
            raise self.fail(f"the frame id {frame_id!r} must be lower-case letters, digits "
                            "and '_', starting with a letter (e.g. 'human_interest').", key_node)
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            raise self.fail(f"{where} is empty; give it 'terms:' (and a 'label:').", key_node)
        fields = self.mapping(node, where)
        for key, (k, _) in fields.items():
            if key not in _FRAME_KEYS:
                raise self.fail(f"{where} has an unknown key {key!r}; "
                                f"{suggest(key, _FRAME_KEYS)}", k)
        if "terms" not in fields:
            raise self.fail(f"{where} has no 'terms:' list; every frame needs at least "
                            "one term.", key_node)
        if fields["terms"][1].tag == NULL_TAG:
            raise self.fail(f"{where}: 'terms:' is empty; give at least one term.",
                            fields["terms"][0])
        threshold = self.default_threshold
        if "threshold" in fields:
            threshold = self.threshold(*fields["threshold"], f"{where}, threshold",
                                       self.default_threshold)
        exclude: tuple[str, ...] = ()
        if "exclude" in fields and fields["exclude"][1].tag != NULL_TAG:
            exclude = self.terms(fields["exclude"][1], f"{where}, exclude")
        return Frame(
            id=frame_id,
            label=self.text(fields["label"][1], f"{where}, label", required=True)
            if "label" in fields else frame_id,
            description=self.text(fields["description"][1], f"{where}, description")
            if "description" in fields else "",
            terms=self.terms(fields["terms"][1], f"{where}, terms"),
            exclude=exclude,
            threshold=threshold,
        )

    def codebook(self, root: yaml.Node | None) -> Codebook:
        if root is None:
            raise self.fail("the file is empty; a codebook needs name, version and frames.", 1)
        fields = self.mapping(root, "the codebook")
        for key, (k, _) in fields.items():
            if key not in _TOP_KEYS:
                raise self.fail(f"unknown key {key!r} at the top of the codebook; "
                                f"{suggest(key, _TOP_KEYS)}", k)
        for key in _REQUIRED_TOP_KEYS:
            if key not in fields:
                raise self.fail(f"the codebook has no '{key}:'; name, version and frames "
                                "are required.", root)
        header = self.header(fields)
        self.default_threshold = Threshold()
        if "threshold" in fields:
            self.default_threshold = self.threshold(*fields["threshold"],
                                                    "the codebook's threshold", Threshold())
        frames_key, frames_node = fields["frames"]
        if isinstance(frames_node, yaml.ScalarNode) and frames_node.tag == NULL_TAG:
            raise self.fail("'frames:' is empty; give at least one frame.", frames_key)
        frame_items = self.mapping(frames_node, "'frames'", key_word="frame id")
        if not frame_items:
            raise self.fail("'frames:' is empty; give at least one frame.", frames_key)
        frames = tuple(self.frame(fid, k, v) for fid, (k, v) in frame_items.items())
        return Codebook(
            **header,
            path=self.path,
            frames=frames,
            threshold=self.default_threshold,
        )


# --- loading ------------------------------------------------------------------------


def shipped_codebooks() -> dict[str, object]:
    """The shipped codebook files by name (``{"name": file}``)."""
    return shipped_files(_SHIPPED_DIR)


@functools.lru_cache(maxsize=32)
def _parse(text: str, path: str) -> Codebook:
    """The codebook in ``text`` (read from ``path``), validated. Remembered by content:
    the YAML parser takes ~0.1 s, paid once however often a notebook or a chunk loads the
    same file, and an edited file is parsed again (a Codebook is immutable, so sharing it
    is safe; a failed parse is not remembered)."""
    root = compose(text, path=path, error=CodebookError,
                   alias_hint="A term that starts with * or ? must be quoted: - \"*operation\".")
    return _Reader(path, error=CodebookError).codebook(root)


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
    text, where = read_named(name_or_path, shipped_codebooks(), kind="codebook",
                             error=CodebookError)
    return _parse(text, where)


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
    for name in shipped_codebooks():
        cb = load_codebook(name)
        rows.append((name, cb.title, cb.version, len(cb.frames),
                     sum(len(frame.terms) for frame in cb.frames)))
    return pd.DataFrame(rows, columns=["name", "title", "version", "n_frames", "n_terms"])


def codebook_digest(codebook: Codebook) -> str:
    """SHA-256 of a codebook's content: header, frames, terms and rules, not its path.

    Moving the file or editing a comment is no change; editing a term is. Models learned
    for a codebook (:mod:`framelens.models.frames`) record it and refuse another codebook.

    Examples
    --------
    >>> len(codebook_digest(load_codebook("generic")))
    64
    """
    content = dataclasses.asdict(dataclasses.replace(codebook, path=""))
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
