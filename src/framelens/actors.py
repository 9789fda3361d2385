"""Actors: who appears in an article, and how the article treats them.

This module owns actor lists, finding actor mentions in sentences, and the tone toward
each actor per article. An actor list is a YAML file in the style of a codebook::

    name: us-politics
    title: Actors of US politics
    version: "1.0.0"
    language: en
    description: What the list is for.
    reference: Where its names come from.
    actors:
      democrats:                  # actor id: lower-case letters, digits and _
        label: Democrats
        description: Who counts as this actor.
        names:                    # required, at least one
          - Democrat*             # * = any run of letters or digits inside a word, ? = one
          - Nancy Pelosi
          - Pelosi
        exclude:                  # optional: matches overlapping these names do not count
          - Democratic Republic of Congo

Names are proper names, so they match **case-sensitively** ("Apple" the company, not
"apple pie") and on word boundaries: ``Xi`` matches "Xi" and "Xi's" but not "Xinhua" or
"Xi'an"; ``Trump`` matches "pro-Trump" and "Trump-era". A space in a name matches any
run of spaces; straight and curly apostrophes match each other. Within one actor,
overlapping matches count once (the longest wins: "Nancy Pelosi" is one mention, not
two), and a match that overlaps an ``exclude`` name does not count. Different actors
may share a mention ("Trump administration" can be both ``trump`` and
``white_house``). A malformed list is refused with
:class:`~framelens.errors.ActorListError` naming the file, the line and the fix.

Without a list, the actors are the people and organisations an article names: runs of
capitalised words, cleaned by rules that favour precision over recall:

- titles and honorifics go ("Chinese President Xi Jinping" gives "Xi Jinping";
  "Secretary of State Mike Pompeo" gives "Mike Pompeo"; "Apple CEO Tim Cook" gives
  "Apple" and "Tim Cook"); a title alone ("President") is no actor;
- a capitalised word at the start of a sentence, and every word of a headline (often
  written in title case), counts only when the article, or at least twice the corpus,
  also writes it capitalised inside a sentence and the articles do not write it in lower
  case more often ("Currently", "However", "Boxing robots" do not count); a one-word
  name there that is not written alone inside a sentence counts only if it resolves to
  a full name ("Xi said ..." after "Xi Jinping"). Function words, months and days never
  count, nor do nationality adjectives ("Chinese"), generic acronyms ("AI", "CEO"),
  generic nouns on their own ("Initiative", "Summit") or a name that is all of a quoted
  term;
- a one-word name counts when it is an acronym ("FBI"), when it resolves to a full
  name (below), or when the articles do not write it in lower case more often than
  capitalised inside sentences ("China" and "Huawei" count, "Internet" and "Trade" do
  not);
- a one-word name resolves to the full name of a person that ends with it ("Trump" →
  "Donald Trump") or, failing that, starts with it ("Xi" → "Xi Jinping"). In its own
  article, the one full name that fits, or when several do, the latest before it (news
  names a person in full, then by surname: "Liu" after "Liu Liehong"); otherwise,
  across the whole table (and ``reference``), the one full name that fits among those
  named in two articles or more. "Clinton", where both Bill and Hillary Clinton appear,
  stays "Clinton". A word that the articles mostly write without any full name that
  holds it ("America" beside a rare "Latin America") is never resolved. Full names
  come from body text, not headlines; middle initials are dropped ("Donald J. Trump" is
  "Donald Trump").

Places are names too: without a list, countries and cities named as actors ("China",
"Washington") appear beside people and organisations. Use an actor list to group and
restrict them.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from typing import NamedTuple

import numpy as np
import pandas as pd
import yaml

from framelens.columns import require_columns
from framelens.errors import ActorListError
from framelens.segment import ANALYSED_KINDS, stopwords, word_spans
from framelens.yamlfile import (
    HEADER_KEYS,
    NULL_TAG,
    REQUIRED_HEADER_KEYS,
    NodeReader,
    compose,
    line_of,
    read_named,
    shipped_files,
    suggest,
)

__all__ = [
    "ACTOR_TONE_COLUMNS",
    "MENTION_COLUMNS",
    "Actor",
    "ActorList",
    "actor_tone",
    "find_mentions",
    "list_actor_lists",
    "load_actors",
    "resolve_short_names",
    "score_mentions",
    "unmatched_actors",
]

MENTION_COLUMNS = [
    "article_id",
    "sentence_id",
    "kind",
    "is_lead",
    "actor",
    "label",
    "mention",
    "start",
    "end",
    "text",
]
TONE_COLUMNS = [
    "tone_negative",
    "tone_neutral",
    "tone_positive",
    "tone_label",
    "tone_score",
    "tone_truncated",
]
ACTOR_TONE_COLUMNS = [
    "article_id",
    "actor",
    "label",
    "mentions",
    "share_negative",
    "share_neutral",
    "share_positive",
    "net_tone",
    "mean_tone",
    "in_headline",
    "in_lead",
    "most_negative",
    "most_negative_tone",
    "most_positive",
    "most_positive_tone",
]
UNMATCHED_COLUMNS = ["actor", "label", "names"]

_SENTENCE_NEEDS = ["article_id", "sentence_id", "kind", "is_lead", "text"]
_SENTENCES_FIX = ("pass the output of framelens.split_sentences (read_articles → "
                  "split_paragraphs → split_sentences) or rename your columns.")

# --- actor lists ------------------------------------------------------------------

_SHIPPED_DIR = "actorlists"
_TOP_KEYS = (*HEADER_KEYS, "actors")
_REQUIRED_TOP_KEYS = (*REQUIRED_HEADER_KEYS, "actors")
_ACTOR_KEYS = ("label", "description", "names", "exclude")
_ACTOR_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclasses.dataclass(frozen=True)
class Actor:
    """One actor of an actor list.

    Attributes
    ----------
    id : short identifier used in tables (``democrats``).
    label : human-readable name used in reports (``Democrats``).
    description : who counts as this actor.
    names : the names that signal the actor, as written in the list.
    exclude : names whose matches veto overlapping matches of this actor.
    """

    id: str
    label: str
    description: str
    names: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class ActorList:
    """A validated actor list, as returned by :func:`load_actors`.

    Frozen and hashable, so it can key caches and travel to Dask workers.

    Attributes
    ----------
    name, title, version, language, description, reference : from the YAML header.
    path : the file it was read from.
    actors : the actors, in the order of the file.
    """

    name: str
    title: str
    version: str
    language: str
    description: str
    reference: str
    path: str
    actors: tuple[Actor, ...]

    @property
    def actor_ids(self) -> tuple[str, ...]:
        """The actor ids, in list order."""
        return tuple(actor.id for actor in self.actors)

    def actor(self, actor_id: str) -> Actor:
        """The actor called ``actor_id``; KeyError names the actors that exist."""
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(f"actor list {self.name!r} has no actor {actor_id!r}; "
                       f"its actors are {list(self.actor_ids)}")

    def to_frame(self) -> pd.DataFrame:
        """The list as a tidy table, one row per name.

        Returns
        -------
        DataFrame with columns ``actor, label, description, name, role``; ``role`` is
        ``"name"`` for the names and ``"exclude"`` for the exclusions.

        Examples
        --------
        >>> load_actors("us-politics").to_frame().columns.tolist()
        ['actor', 'label', 'description', 'name', 'role']
        """
        rows = [
            (actor.id, actor.label, actor.description, name, role)
            for actor in self.actors
            for role, names in (("name", actor.names), ("exclude", actor.exclude))
            for name in names
        ]
        return pd.DataFrame(rows, columns=["actor", "label", "description", "name", "role"])


def _name_problem(name: str) -> str | None:
    """Why ``name`` cannot be used as an actor name, or None when it can."""
    if not name.strip():
        return "is empty"
    if not any(ch.isalnum() for ch in name):
        return "has no letters or digits, so it cannot match a name"
    for word in name.split():
        if not word.strip("*?"):
            return ("has a wildcard that is not part of a word (a lone * would match any "
                    "word); attach it to letters, e.g. 'Democrat*'")
    return None


class _Reader(NodeReader):
    """Validates a composed actor-list tree: its header, actors and names."""

    def names(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        seen: dict[str, int] = {}
        names = []
        for item in self.strings(node, what, noun="name",
                                 shape="a list of names (one '- name' per line, or [A, B])"):
            name = " ".join(item.value.split())
            problem = _name_problem(name)
            if problem:
                raise self.fail(f"{what}: the name {name!r} {problem}.", item)
            if name in seen:
                raise self.fail(f"{what}: the name {name!r} is listed twice (lines "
                                f"{seen[name]} and {line_of(item)}); remove one.", item)
            seen[name] = line_of(item)
            names.append(name)
        return tuple(names)

    def actor(self, actor_id: str, key_node: yaml.Node, node: yaml.Node) -> Actor:
        where = f"actor {actor_id!r}"
        if not _ACTOR_ID_RE.match(actor_id):
            raise self.fail(f"the actor id {actor_id!r} must be lower-case letters, digits "
                            "and '_', starting with a letter (e.g. 'white_house'); put the "
                            "readable name in 'label:'.", key_node)
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            raise self.fail(f"{where} is empty; give it 'names:' (and a 'label:').", key_node)
        fields = self.mapping(node, where)
        for key, (k, _) in fields.items():
            if key not in _ACTOR_KEYS:
                raise self.fail(f"{where} has an unknown key {key!r}; "
                                f"{suggest(key, _ACTOR_KEYS)}", k)
        if "names" not in fields:
            raise self.fail(f"{where} has no 'names:' list; every actor needs at least "
                            "one name.", key_node)
        names_key, names_node = fields["names"]
        if isinstance(names_node, yaml.ScalarNode) and names_node.tag == NULL_TAG:
            raise self.fail(f"{where}: 'names:' is empty; give at least one name.", names_key)
        names = self.names(names_node, f"{where}, names")
        exclude: tuple[str, ...] = ()
        if "exclude" in fields and fields["exclude"][1].tag != NULL_TAG:
            exclude_node = fields["exclude"][1]
            exclude = self.names(exclude_node, f"{where}, exclude")
            both = [name for name in exclude if name in names]
            if both:
                raise self.fail(f"{where}: {both[0]!r} is both a name and an exclusion, so "
                                "it could never match; keep it in one list.", exclude_node)
        return Actor(
            id=actor_id,
            label=self.text(fields["label"][1], f"{where}, label", required=True)
            if "label" in fields else actor_id,
            description=self.text(fields["description"][1], f"{where}, description")
            if "description" in fields else "",
            names=names,
            exclude=exclude,
        )

    def actor_list(self, root: yaml.Node | None) -> ActorList:
        if root is None:
            raise self.fail("the file is empty; an actor list needs name, version and "
                            "actors.", 1)
        fields = self.mapping(root, "the actor list")
        for key, (k, _) in fields.items():
            if key not in _TOP_KEYS:
                hint = (" (an actor list groups names under 'actors:', not 'frames:'; "
                        "a codebook is loaded with load_codebook)" if key == "frames" else "")
                raise self.fail(f"unknown key {key!r} at the top of the actor list{hint}; "
                                f"{suggest(key, _TOP_KEYS)}", k)
        for key in _REQUIRED_TOP_KEYS:
            if key not in fields:
                raise self.fail(f"the actor list has no '{key}:'; name, version and actors "
                                "are required.", root)
        header = self.header(fields)
        actors_key, actors_node = fields["actors"]
        if isinstance(actors_node, yaml.ScalarNode) and actors_node.tag == NULL_TAG:
            raise self.fail("'actors:' is empty; give at least one actor.", actors_key)
        items = self.mapping(actors_node, "'actors'", key_word="actor id")
        if not items:
            raise self.fail("'actors:' is empty; give at least one actor.", actors_key)
        return ActorList(
            **header,
            path=self.path,
            actors=tuple(self.actor(aid, k, v) for aid, (k, v) in items.items()),
        )


def shipped_actor_lists() -> dict[str, object]:
    """The shipped actor list files by name (``{"name": file}``)."""
    return shipped_files(_SHIPPED_DIR)


@functools.lru_cache(maxsize=32)
def _parse(text: str, path: str) -> ActorList:
    """The actor list in ``text`` (read from ``path``), validated; remembered by content."""
    root = compose(text, path=path, error=ActorListError,
                   alias_hint="A name that starts with * or ? must be quoted: - \"*soft\".")
    return _Reader(path, error=ActorListError).actor_list(root)


def load_actors(name_or_path: str | PathLike | ActorList) -> ActorList:
    """Load and validate an actor list: a shipped one by name, or your own YAML file.

    Parameters
    ----------
    name_or_path : ``"us-politics"`` (parties, leaders and branches of US government),
        ``"china-tech"`` (Chinese and US governments and officials, large technology
        companies), or the path of a ``.yml``/``.yaml`` file. An :class:`ActorList` is
        returned as is.

    Returns
    -------
    ActorList

    Raises
    ------
    ActorListError
        when the file does not exist or is malformed; the message names the file and line.

    Examples
    --------
    >>> load_actors("china-tech").actor("huawei").label
    'Huawei'
    """
    if isinstance(name_or_path, ActorList):
        return name_or_path
    text, where = read_named(name_or_path, shipped_actor_lists(), kind="actor list",
                             error=ActorListError)
    return _parse(text, where)


def list_actor_lists() -> pd.DataFrame:
    """The actor lists that ship with framelens.

    Returns
    -------
    DataFrame, one row per list: ``name, title, version, n_actors, n_names``.

    Examples
    --------
    >>> sorted(list_actor_lists()["name"])
    ['china-tech', 'us-politics']
    """
    rows = []
    for name in shipped_actor_lists():
        actors = load_actors(name)
        rows.append((name, actors.title, actors.version, len(actors.actors),
                     sum(len(actor.names) for actor in actors.actors)))
    return pd.DataFrame(rows, columns=["name", "title", "version", "n_actors", "n_names"])


# --- matching names ----------------------------------------------------------------

# A name starts where no letter or digit precedes it (nor a letter and an apostrophe:
# "Neill" is not in "O'Neill") and ends where none follows (nor an apostrophe and a letter,
# other than the possessive: "Xi's" holds "Xi", "Xi'an" does not).
_BEFORE = r"(?<!\w)(?<!\w['’])"
_BEFORE_RE = re.compile(_BEFORE)
_AFTER = r"(?!\w)(?!['’](?![sS]\b)\w)"
# the separator of the joined sentences: no pattern can match across it
_JOIN = "\x00"


def _name_pattern(name: str) -> str:
    """The regular expression of one name (without its word boundaries)."""
    parts = []
    for piece in re.split(r"(\s+|\*|\?|['’])", name):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s+")
        elif piece == "*":
            parts.append(r"\w*")
        elif piece == "?":
            parts.append(r"\w")
        elif piece in "'’":
            parts.append("['’]")
        else:
            parts.append(re.escape(piece))
    return "".join(parts)


class _Matcher:
    """Finds the spans of a group of names in a text: every start where a name matches,
    with the longest name that matches there. One alternation finds the starts (also
    those inside an earlier match); each name then measures its match there."""

    def __init__(self, names: Sequence[str]) -> None:
        alternation = "|".join(f"(?:{_name_pattern(n)})" for n in names)
        # no lookbehind in front, so that the engine can skip to a name's first letter;
        # the start's word boundary is checked for each match instead
        self.scan = re.compile(f"(?:{alternation}){_AFTER}")
        self.each = [re.compile(f"{_name_pattern(n)}{_AFTER}") for n in names]

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = []
        m = self.scan.search(text)
        while m is not None:
            at = m.start()
            if _BEFORE_RE.match(text, at) is not None:
                end = max(hit.end() for hit in (p.match(text, at) for p in self.each) if hit)
                found.append((at, end))
            m = self.scan.search(text, at + 1)
        return found


@functools.lru_cache(maxsize=16)
def _matchers(actor_list: ActorList) -> tuple[tuple[_Matcher, _Matcher | None], ...]:
    return tuple((_Matcher(actor.names), _Matcher(actor.exclude) if actor.exclude else None)
                 for actor in actor_list.actors)


def _longest_first(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, the longest kept first (ties: the earliest), in text order."""
    kept_starts: list[int] = []
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        i = bisect_left(kept_starts, start)
        if i > 0 and kept[i - 1][1] > start:
            continue
        if i < len(kept) and kept[i][0] < end:
            continue
        kept_starts.insert(i, start)
        kept.insert(i, (start, end))
    return kept


def _vetoed(spans: list[tuple[int, int]], vetoes: list[tuple[int, int]]
            ) -> list[tuple[int, int]]:
    """The spans that overlap none of ``vetoes``."""
    vetoes = sorted(vetoes)
    starts = [start for start, _ in vetoes]
    reach = list(itertools.accumulate((end for _, end in vetoes), max))  # furthest end so far
    kept = []
    for start, end in spans:
        i = bisect_left(starts, end)  # the vetoes that start before the span ends
        if i == 0 or reach[i - 1] <= start:
            kept.append((start, end))
    return kept


def _list_mentions(texts: list[str], actor_list: ActorList
                   ) -> list[tuple[int, str, str, int, int]]:
    """``(sentence index, actor id, label, start, end)`` of every mention in ``texts``."""
    joined = _JOIN.join(texts)
    firsts = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        firsts[1:] = np.cumsum([len(t) + 1 for t in texts[:-1]])
    found = []
    for actor, (names, exclude) in zip(actor_list.actors, _matchers(actor_list)):
        spans = names.spans(joined)
        if not spans:
            continue
        if exclude is not None:
            spans = _vetoed(spans, exclude.spans(joined))
        for start, end in _longest_first(spans):
            row = int(np.searchsorted(firsts, start, side="right")) - 1
            offset = int(firsts[row])
            found.append((row, actor.id, actor.label, start - offset, end - offset))
    return found


# --- names without a list ---------------------------------------------------------

_TITLES = frozenset(
    "president premier minister secretary secretary-general chairman chairwoman "
    "chairperson chair ceo cfo coo cto founder co-founder director governor senator sen "
    "rep representative congressman congresswoman mayor ambassador consul spokesperson "
    "spokesman spokeswoman dr doctor professor prof gen colonel col admiral adm captain "
    "capt lieutenant lt sergeant sgt prince princess pope chancellor commissioner judge "
    "justice envoy councillor councilor counselor counsellor chief head leader vice deputy "
    "acting gov attorney superintendent archbishop bishop rabbi imam sheikh speaker whip "
    "adviser advisor executive officer former late incoming outgoing "
    "mr mrs ms miss mx mister sir madam".split()
)
# words that make a title with the title word after them ("Prime Minister", "National
# Security Adviser") and are no name
_TITLE_MODIFIERS = frozenset(
    "prime press foreign chief senior assistant vice deputy acting former trade commerce "
    "defense defence treasury finance executive managing operating majority minority "
    "national security general".split()
)
# the portfolio after "of" in a title ("Secretary of State", "Speaker of the House")
_PORTFOLIO = frozenset(
    "the state commerce defense defence treasury homeland security finance justice energy "
    "health education agriculture labor labour industry information technology science "
    "interior transportation housing veterans foreign affairs public house senate".split()
)
_CONNECTORS = frozenset("of for the de da di du la le van von der den bin ibn al el del dos"
                        .split())
_MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday".split()
)
# adjectives that are never an actor on their own ("Chinese", "Western")
_NATIONALITIES = frozenset(
    "chinese american british english japanese korean russian indian european french "
    "german canadian mexican australian taiwanese iranian israeli ukrainian saudi turkish "
    "brazilian italian spanish dutch swedish vietnamese western eastern asian african arab "
    "muslim christian catholic north south east west federal".split()
)
# ... and those that are no actor before a title ("U.S. President", "Republican Sen.")
_ADJECTIVES = _NATIONALITIES | frozenset(
    "us u.s. uk u.k. eu republican democratic democrat gop communist".split())
_NOT_NAMES = frozenset(
    "ai ceo cfo cto coo gdp it tv pc ipo ev evs nev nevs ar vr iot id llm llms ok pr hr "
    "ad am pm et est edt pst gmt utc usd pdf faq q a photo photos image images video "
    "videos read click sign share media replay getty file caption copyright related "
    "advertisement".split()
)
# nouns that name an event or a document when capitalised, never an actor on their own
_GENERIC = frozenset(
    "initiative summit plan expo conference forum agreement treaty act program programme "
    "strategy platform project workshop order policy".split()
)
_ORG_WORDS = frozenset(
    "department ministry bank university institute office administration commission "
    "committee council bureau agency association center centre foundation organization "
    "organisation board court republic union house senate congress party group times "
    "post journal news school college academy federation chamber league corporation "
    "company fund society secretariat expo tower street hill valley city state states "
    "province island islands sea ocean river international global national world "
    "inc co corp ltd llc airlines technologies technology systems network networks "
    "partnership agreement act treaty summit forum conference olympics order municipality "
    "county district region prefecture initiative plan platform program programme project "
    "strategy workshop workshops sciences studies".split()
)
# first words of place names: "North Korea" is no person that "Korea" could resolve to
_PLACE_FIRST = frozenset(
    "north south east west northern southern eastern western northeast northwest southeast "
    "southwest central mainland greater inner upper lower new san los las santa saint st "
    "hong sri el united great".split()
)
#: a full name resolves one-word names across the corpus when this many articles name it
_MIN_ARTICLES = 2
#: a one-word name stands for a person when at least this share of the articles that
#: write it alone also name a person whose full name holds it
_MIN_WITH_FULL_NAME = 0.25
_NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
_OPENERS = "\"“‘'([{—–-…*"


class _Token(NamedTuple):
    text: str
    start: int
    end: int


def _is_cap(token: str) -> bool:
    return token[:1].isupper() and token[:1].isalpha()


def _is_acronym(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _bare(token: str) -> str:
    return token.lower().rstrip(".")


def _runs(text: str) -> list[list[_Token]]:
    """Runs of capitalised tokens of one sentence, joined by spaces, lower-case connectors
    ("Bank of China", "Ministry of the Interior"), the period of an initial or
    abbreviation ("Donald J. Trump", "Mr. Xi") and "&" ("AT&T")."""
    runs: list[list[_Token]] = []
    run: list[_Token] = []
    for tok, start, end in word_spans(text):
        joined = bool(run) and (start == run[-1].end or text[run[-1].end:start].isspace())
        if joined and _is_cap(tok):
            run.append(_Token(tok, start, end))
        elif joined and tok == "." and start == run[-1].end and (
                len(run[-1].text) == 1 or _bare(run[-1].text) in _TITLES
                or _bare(run[-1].text) in _NAME_SUFFIXES):
            run.append(_Token(tok, start, end))
        elif joined and (tok == "&" or (tok.islower() and tok in _CONNECTORS and (
                tok != "the" or run[-1].text in ("of", "for")))):
            run.append(_Token(tok, start, end))
        else:
            if run:
                runs.append(run)
            run = []
            if _is_cap(tok):
                head, hyphen, rest = tok.partition("-")
                if hyphen and rest[:1].islower() and not _is_acronym(head):
                    # "Trump-era", "Huawei-made": the name before the hyphen, on its own
                    runs.append([_Token(head, start, start + len(head))])
                else:
                    run = [_Token(tok, start, end)]
    if run:
        runs.append(run)
    return runs


def _trim(name: list[_Token]) -> list[_Token]:
    """A name without connectors, "&" and stray periods at its ends."""
    while name and (name[0].text in _CONNECTORS or name[0].text in (".", "&")):
        name = name[1:]
    while name and (name[-1].text in _CONNECTORS or name[-1].text == "&" or (
            name[-1].text == "." and (len(name) < 2
                                      or _bare(name[-2].text) not in _NAME_SUFFIXES))):
        name = name[:-1]
    return name


def _sentence_start(text: str) -> int:
    """Offset of the first word of a sentence, after opening quotes and brackets."""
    return len(text) - len(text.lstrip(" " + _OPENERS))


class _Words:
    """How the articles write each word: capitalised inside a sentence, or in lower case."""

    def __init__(self) -> None:
        self.cap_inside: Counter[str] = Counter()
        self.alone: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()
        self.stop = stopwords()

    def add(self, text: str) -> tuple[set[str], set[str]]:
        """Count one body sentence; return the words it writes capitalised inside it, and
        those of them that stand alone (no capitalised word beside them)."""
        first = _sentence_start(text)
        inside, alone = set(), set()
        spans = word_spans(text)
        for i, (tok, start, _) in enumerate(spans):
            if not tok[:1].isalpha():
                continue
            if tok[:1].islower():
                self.lower[tok] += 1
            elif start > first:
                self.cap_inside[tok] += 1
                inside.add(tok)
                if not (i > 0 and _is_cap(spans[i - 1][0])
                        or i + 1 < len(spans) and _is_cap(spans[i + 1][0])):
                    self.alone[tok] += 1
                    alone.add(tok)
        return inside, alone

    def is_noise(self, word: str) -> bool:
        """A function word, month or day: never part of a name ("The", "May", "In")."""
        low = word.lower().replace("’", "'")
        return (low in self.stop and not _is_acronym(word)) or low.rstrip(".") in _MONTHS_DAYS

    def known(self, word: str, article: set[str]) -> bool:
        """A capitalised word that the article, or twice the corpus, writes capitalised
        inside a sentence, and the articles do not write in lower case more often: a name
        word even at a sentence start or in a headline ("However" is not)."""
        return ((word in article or self.cap_inside[word] >= 2)
                and self.cap_inside[word] >= self.lower[word.lower()])

    def known_alone(self, word: str, article: set[str]) -> bool:
        """A one-word name at a sentence start or in a headline: the article, or twice the
        corpus, writes it alone inside a sentence ("Artificial" in "Global Artificial
        Intelligence Initiative" is not known alone)."""
        return word in article or self.alone[word] >= 2 and (
            self.cap_inside[word] >= self.lower[word.lower()])

    def single_counts(self, word: str) -> bool:
        """An unresolved one-word name counts when it is an acronym, or the articles
        write it capitalised inside sentences at least as often as in lower case."""
        if _is_acronym(word):
            return True
        return self.cap_inside[word] >= max(1, self.lower[word.lower()])


def _title_span(words: list[str]) -> tuple[int, int] | None:
    """``(start, end)`` of the title before the name in ``words``, None when none.

    The last title word counts ("Chinese President Xi Jinping"), with the words that make
    a title with it ("Prime Minister") and "of" and a portfolio after it ("Secretary of
    State Mike Pompeo"). A title before an organisation ("Justice Department") or
    before nothing is no title.
    """
    lowered = [_bare(w) for w in words]
    last = max((i for i, w in enumerate(lowered) if w in _TITLES), default=-1)
    if last < 0:
        return None
    end = last + 1
    if end < len(words) and words[end] == ".":
        end += 1
    if end < len(words) and lowered[end] in ("of", "for"):
        end += 1
        while end < len(words) and lowered[end] in _PORTFOLIO:
            end += 1
    if any(w in _ORG_WORDS for w in lowered[end:]):
        return None  # "Justice Department": an organisation, not a title
    start = last
    while start > 0 and (lowered[start - 1] in _TITLES or lowered[start - 1] in _TITLE_MODIFIERS
                         or words[start - 1] == "."):
        start -= 1
    return start, end


def _names_in(text: str, *, headline: bool, words: _Words,
              article: tuple[set[str], set[str]]) -> list[tuple[str, int, int, bool]]:
    """``(name, start, end, weak)`` of the names in one sentence (see the module docstring).

    ``weak`` marks a one-word name at a sentence start or in a headline that the articles
    do not write alone inside a sentence: it counts only if it resolves to a full name
    ("Xi said ..." after "Xi Jinping"), since "Currently" and "Boxing" look the same.
    """
    first = _sentence_start(text)
    found = []
    for run in _runs(text):
        # a run breaks at function words, months, days, and at sentence-start or
        # headline words that are not known as names
        pieces: list[list[_Token]] = [[]]
        for i, t in enumerate(run):
            if _is_cap(t.text) and (words.is_noise(t.text) or (
                    (headline or t.start <= first) and not words.known(t.text, article[0])
                    # a first name at a sentence start: "Nancy Pelosi said ..."
                    and (headline or i + 1 >= len(run) or not _is_cap(run[i + 1].text)
                         or words.lower[t.text.lower()] > words.cap_inside[t.text]))):
                pieces.append([])
            else:
                pieces[-1].append(t)
        for piece in pieces:
            piece = _trim(piece)
            if not piece:
                continue
            span = _title_span([t.text for t in piece])
            names = [piece]
            if span is not None:
                before = _trim(piece[:span[0]])
                names = [piece[span[1]:]]
                if before and not all(_bare(t.text) in _ADJECTIVES or t.text in _CONNECTORS
                                      for t in before):
                    names.insert(0, before)
            for name in map(_trim, names):
                while len(name) > 1 and _bare(name[-1].text) in _NOT_NAMES:
                    name = _trim(name[:-1])  # "Chinese AI", "Global AI"
                if not name or _fills_quote(text, name[0].start, name[-1].end):
                    continue
                if len(name) == 1 and (len(name[0].text) == 1 or _bare(name[0].text) in (
                        _NATIONALITIES | _NOT_NAMES | _GENERIC | _TITLES | _TITLE_MODIFIERS)):
                    continue
                weak = len(name) == 1 and (headline or name[0].start <= first) and (
                    not words.known_alone(name[0].text, article[1]))
                found.append((_canonical(name, text), name[0].start, name[-1].end, weak))
    return found


def _fills_quote(text: str, start: int, end: int) -> bool:
    """True when the name is all that a pair of quotation marks holds ("AI+" themes)."""
    before = text[:start].rstrip()
    after = text[end:].lstrip(" ,.;:!?+")
    return before[-1:] in ("\"", "“") and after[:1] in ("\"", "”")


def _canonical(name: list[_Token], text: str) -> str:
    """The name as one string, middle initials dropped ("Donald J. Trump" → "Donald Trump")."""
    if any(t.text == "&" for t in name):
        return " ".join(text[name[0].start:name[-1].end].split())
    words: list[str] = []
    i = 0
    while i < len(name):
        t = name[i]
        if t.text == ".":
            words[-1] += "."
        elif (len(t.text) == 1 and words and i + 2 < len(name) and name[i + 1].text == "."):
            i += 1  # a middle initial and its period
        else:
            words.append(t.text)
        i += 1
    return " ".join(words)


def _is_person(name: str) -> bool:
    """A full name a one-word name may resolve to: two to four capitalised words that
    are no organisation or place ("Xi Jinping", not "White House" or "North Korea")."""
    words = name.split()
    if not 2 <= len(words) <= 4 or _bare(words[0]) in _PLACE_FIRST | _ADJECTIVES:
        return False
    return all(_is_cap(w) and not _is_acronym(w) and _bare(w) not in _ORG_WORDS
               and _bare(w) not in _TITLES and _bare(w) not in _TITLE_MODIFIERS for w in words)


def _people_index(people: Iterable[str]) -> dict[str, set[str]]:
    """For each word: the full names that end with it (key ``"$word"``) and start with it
    (key ``"^word"``); a suffix (Jr., III) is no last name."""
    index: dict[str, set[str]] = {}
    for name in people:
        words = name.split()
        if _bare(words[-1]) not in _NAME_SUFFIXES:
            index.setdefault("$" + words[-1], set()).add(name)
        index.setdefault("^" + words[0], set()).add(name)
    return index


def _resolve(word: str, index: dict[str, set[str]],
             weights: Mapping[str, float] | None = None, min_share: float = 1.0) -> str | None:
    """The one full name ``word`` stands for; "" when several fit, None when none. With
    ``weights``, one of several that holds ``min_share`` of their weight is the one."""
    for key in ("$" + word, "^" + word):
        fits = index.get(key)
        if not fits:
            continue
        if len(fits) == 1:
            return next(iter(fits))
        if weights is not None:
            top = min(fits, key=lambda name: (-weights.get(name, 0), name))
            total = sum(weights.get(name, 0) for name in fits)
            if total > 0 and weights.get(top, 0) >= min_share * total:
                return top
        return ""
    return None


def resolve_short_names(
    short_names: Iterable[str],
    full_names: Iterable[str],
    *,
    weights: Mapping[str, float] | None = None,
    min_share: float = 0.9,
) -> dict[str, str]:
    """The one full name each one-word name stands for, where only one fits.

    A one-word name ("Trump") stands for a person's full name ("Donald Trump") that ends
    with it (a surname) or, when none ends with it, starts with it, provided no other
    full name does: "Clinton" stays "Clinton" beside "Bill Clinton" and "Hillary
    Clinton". Full names are two to four capitalised words that name no organisation or
    place ("Xi Jinping", not "White House" or "North Korea"). :func:`find_mentions`
    resolves names across a corpus with this rule; :func:`framelens.merge_speakers` merges
    quoted speakers with it.

    Parameters
    ----------
    short_names : names to resolve; names of more than one word are passed over.
    full_names : the full names they may stand for.
    weights : how much each full name weighs (how often it is quoted...). With weights,
        one of several full names that fit still stands for the word when it holds at
        least ``min_share`` of their weight ("Donald Trump", quoted 658 times, against
        "Melania Trump", 7); without, any second full name leaves the word as it is.
    min_share : see ``weights``.

    Returns
    -------
    dict, one-word name → full name, for the names that resolve.

    Examples
    --------
    >>> resolve_short_names(["Trump", "Clinton", "Xi", "Ford"],
    ...                     ["Donald Trump", "Bill Clinton", "Hillary Clinton", "White House"])
    {'Trump': 'Donald Trump'}
    >>> resolve_short_names(["Trump"], ["Donald Trump", "Melania Trump"],
    ...                     weights={"Donald Trump": 658, "Melania Trump": 7})
    {'Trump': 'Donald Trump'}
    """
    index = _people_index(name for name in dict.fromkeys(full_names)
                          if isinstance(name, str) and _is_person(name))
    out = {}
    for word in dict.fromkeys(short_names):
        if isinstance(word, str) and word and " " not in word:
            found = _resolve(word, index, weights, min_share)
            if found:
                out[word] = found
    return out


def _auto_mentions(sentences: pd.DataFrame, analysed: np.ndarray,
                   reference: pd.DataFrame | None, kinds: frozenset[str]
                   ) -> list[tuple[int, str, str, int, int]]:
    """``(row, actor, label, start, end)`` of every named actor in the analysed rows."""
    texts = [t if isinstance(t, str) else "" for t in sentences["text"].tolist()]
    kinds_of = sentences["kind"].tolist()
    articles = [(0, aid) for aid in sentences["article_id"].tolist()]
    rows = np.flatnonzero(analysed).tolist()
    if reference is not None:  # read like more articles, whose mentions are not returned
        keep = np.flatnonzero(reference["kind"].isin(kinds).to_numpy()).tolist()
        ref_texts = reference["text"].tolist()
        ref_kinds = reference["kind"].tolist()
        ref_aids = reference["article_id"].tolist()
        rows += range(len(texts), len(texts) + len(keep))
        texts += [ref_texts[r] if isinstance(ref_texts[r], str) else "" for r in keep]
        kinds_of += [ref_kinds[r] for r in keep]
        articles += [(1, ref_aids[r]) for r in keep]
    words = _Words()
    seen: dict[object, tuple[set[str], set[str]]] = {}
    for row in rows:
        if kinds_of[row] != "headline":
            inside, alone = words.add(texts[row])
            known = seen.setdefault(articles[row], (set(), set()))
            known[0].update(inside)
            known[1].update(alone)
    found: list[tuple[int, str, int, int, bool]] = []
    people: dict[object, list[tuple[int, int, str]]] = {}  # where each full name stands
    nothing: tuple[set[str], set[str]] = (set(), set())
    for row in rows:
        for name, start, end, weak in _names_in(texts[row], headline=kinds_of[row] == "headline",
                                                words=words,
                                                article=seen.get(articles[row], nothing)):
            found.append((row, name, start, end, weak))
            if kinds_of[row] not in ("headline", "subheading") and _is_person(name):
                people.setdefault(articles[row], []).append((row, start, name))
    # a full name resolves a word across the corpus when two articles or more name it:
    # one title-case line ("Militarizing Mexico") must not capture every "Mexico"
    in_articles = Counter(name for places in people.values()
                          for name in {name for _, _, name in places})
    corpus_names = resolve_short_names(
        {name for _, name, _, _, _ in found if " " not in name},
        [name for name, n in in_articles.items() if n >= _MIN_ARTICLES])
    article_index = {key: _people_index(name for _, _, name in places)
                     for key, places in people.items()}
    standalone = _standalone_words(found, articles, article_index)
    out = []
    n_own = len(sentences)
    for row, name, start, end, weak in found:
        if row >= n_own:
            continue
        if " " not in name and name in standalone:
            if weak or not words.single_counts(name):
                continue
        elif " " not in name:
            key = articles[row]
            resolved = _resolve_in_article(name, (row, start), article_index.get(key, {}),
                                           people.get(key, []))
            if resolved is None:
                resolved = corpus_names.get(name)
            if resolved:
                name = resolved
            elif weak or not words.single_counts(name):
                continue
        out.append((row, name, name, start, end))
    return out


def _standalone_words(found: list[tuple[int, str, int, int, bool]], articles: list[object],
                      article_index: dict[object, dict[str, set[str]]]) -> set[str]:
    """One-word names that stand for themselves, not for a person's full name: fewer than
    :data:`_MIN_WITH_FULL_NAME` of the articles that write the word (alone or in a full
    name) name a person whose name starts or ends with it. "America" beside an occasional
    "Latin America", "Amazon" beside "Amazon Web Services" (both pass as person-like
    names) stay as they are; "Trump", usually beside "Donald Trump", resolves."""
    alone: dict[str, set[object]] = {}
    for row, name, _, _, _ in found:
        if " " not in name:
            alone.setdefault(name, set()).add(articles[row])
    with_full: dict[str, set[object]] = {}
    for key, index in article_index.items():
        for word_key in index:
            word = word_key[1:]
            if word in alone:
                with_full.setdefault(word, set()).add(key)
    return {word for word, where in alone.items()
            if len(with_full.get(word, ())) < _MIN_WITH_FULL_NAME
            * len(where | with_full.get(word, set()))}


def _resolve_in_article(word: str, here: tuple[int, int], index: dict[str, set[str]],
                        places: list[tuple[int, int, str]]) -> str | None:
    """The full name ``word`` stands for in its article: the one that fits, or, when
    several do, the latest before ``here`` (news introduces a person by full name, then
    writes the surname); "" when several fit and none comes before, None when none fits."""
    for key in ("$" + word, "^" + word):
        fits = index.get(key)
        if not fits:
            continue
        if len(fits) == 1:
            return next(iter(fits))
        before = [(row, start, name) for row, start, name in places
                  if name in fits and (row, start) < here]
        return max(before)[2] if before else ""
    return None


# --- public API ---------------------------------------------------------------------


def _mentions_frame(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return out.astype({"sentence_id": "int64", "is_lead": "bool", "start": "int64",
                       "end": "int64"})


def find_mentions(
    sentences: pd.DataFrame,
    *,
    actors: ActorList | str | PathLike | None = None,
    kinds: Sequence[str] = ANALYSED_KINDS,
    reference: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Find every mention of an actor in the sentences.

    Parameters
    ----------
    sentences : DataFrame with ``article_id, sentence_id, kind, is_lead, text``, as
        returned by :func:`framelens.split_sentences`.
    actors : an actor list (:func:`load_actors`, a shipped name such as ``"china-tech"``,
        or a ``.yml`` path), or None for the people and organisations the articles name
        (see the module docstring for the rules).
    kinds : sentence kinds searched; captions, bylines and boilerplate are left out by
        default.
    reference : without a list, more sentences (the same columns, e.g. a whole corpus)
        used only to resolve one-word names and to judge capitalised words; their
        mentions are not returned.

    Returns
    -------
    DataFrame, one row per (sentence, actor, span), in reading order, with columns
    ``article_id, sentence_id, kind, is_lead, actor, label, mention, start, end, text``.
    ``actor`` is the actor id of the list (without a list, the resolved full name);
    ``label`` the actor's label (without a list, the name again); ``mention`` the words
    as written, equal to ``text[start:end]`` (end exclusive); ``text`` the sentence.

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a"], "sentence_id": [1], "kind": ["body"],
    ...     "is_lead": [True], "text": ["Nancy Pelosi met Apple staff over apple pie."]})
    >>> find_mentions(sents, actors="us-politics")[["actor", "mention"]].values.tolist()
    [['democrats', 'Nancy Pelosi']]
    >>> find_mentions(sents)[["actor", "start", "end"]].values.tolist()
    [['Nancy Pelosi', 0, 12], ['Apple', 17, 22]]
    """
    require_columns(sentences, _SENTENCE_NEEDS, helper="find_mentions", fix=_SENTENCES_FIX)
    wanted = frozenset({kinds} if isinstance(kinds, str) else kinds)
    if reference is not None:
        require_columns(reference, ["article_id", "kind", "text"],
                        helper="find_mentions (reference)",
                        fix=_SENTENCES_FIX)
    analysed = sentences["kind"].isin(wanted).to_numpy()
    if actors is None:
        found = _auto_mentions(sentences, analysed, reference, wanted)
    else:
        actor_list = load_actors(actors)
        rows = np.flatnonzero(analysed)
        texts = sentences["text"].tolist()
        picked = [texts[r] if isinstance(texts[r], str) else "" for r in rows.tolist()]
        found = [(int(rows[i]), actor, label, start, end)
                 for i, actor, label, start, end in _list_mentions(picked, actor_list)]
    if not found:
        return _mentions_frame([])
    found.sort(key=lambda f: (f[0], f[3], f[4], f[1]))
    aids, sids, skinds, leads, texts = (sentences[c].tolist() for c in
                                        ("article_id", "sentence_id", "kind", "is_lead", "text"))
    rows = []
    seen = set()
    for row, actor, label, start, end in found:
        if (row, actor, start, end) in seen:
            continue
        seen.add((row, actor, start, end))
        text = texts[row]
        rows.append((aids[row], sids[row], skinds[row], bool(leads[row]), actor, label,
                     text[start:end], start, end, text))
    return _mentions_frame(rows)


def score_mentions(
    mentions: pd.DataFrame,
    *,
    model: str | PathLike | object | None = None,
    batch_size: int = 64,
) -> pd.DataFrame:
    """Add the tone model's reading of how each mention's sentence treats the actor.

    Parameters
    ----------
    mentions : DataFrame with ``text, start, end`` (:func:`find_mentions`).
    model : the tone model's folder, a loaded model, or None for the shipped one
        (see :func:`framelens.models.tone.load_tone_model`).
    batch_size : pairs per model call.

    Returns
    -------
    ``mentions`` with the columns ``tone_negative, tone_neutral, tone_positive``
    (probabilities summing to 1), ``tone_label`` (the most probable class),
    ``tone_score`` (positive minus negative, -1 … 1) and ``tone_truncated`` (the
    sentence was cut around the mention to fit the model) added. A sentence that
    mentions the same actor twice is scored once per mention.

    Examples
    --------
    >>> scored = score_mentions(find_mentions(sentences, actors="china-tech"))
    >>> scored[["label", "mention", "tone_label", "tone_score"]].head()
    """
    require_columns(mentions, ["text", "start", "end"], helper="score_mentions",
                    fix="pass the output of framelens.actors.find_mentions.")
    out = mentions.reset_index(drop=True)
    if len(out):
        from framelens.models.tone import score_tone  # loads onnxruntime: only when scoring

        tone = score_tone(out["text"].tolist(), out["start"].tolist(), out["end"].tolist(),
                          model=model, batch_size=batch_size)
    else:
        tone = pd.DataFrame({
            "tone_negative": pd.Series([], dtype="float64"),
            "tone_neutral": pd.Series([], dtype="float64"),
            "tone_positive": pd.Series([], dtype="float64"),
            "tone_label": pd.Series([], dtype="object"),
            "tone_score": pd.Series([], dtype="float64"),
            "tone_truncated": pd.Series([], dtype="bool"),
        })
    out = out.drop(columns=[c for c in TONE_COLUMNS if c in out.columns])
    return pd.concat([out, tone.reset_index(drop=True)], axis=1)


def actor_tone(scored_mentions: pd.DataFrame) -> pd.DataFrame:
    """How each article treats each actor: shares of tone, net tone and the extremes.

    Parameters
    ----------
    scored_mentions : DataFrame with ``article_id, actor, label, kind, is_lead, text,
        tone_label, tone_score`` (:func:`score_mentions`), in reading order.

    Returns
    -------
    DataFrame, one row per (article, actor), with columns ``article_id, actor, label,
    mentions, share_negative, share_neutral, share_positive, net_tone, mean_tone,
    in_headline, in_lead, most_negative, most_negative_tone, most_positive,
    most_positive_tone``. The shares are the fractions of the actor's mentions whose
    ``tone_label`` is negative, neutral or positive; ``net_tone`` is ``share_positive -
    share_negative``; ``mean_tone`` the mean ``tone_score``; ``in_headline`` and
    ``in_lead`` say whether the actor is mentioned in the headline and in the lead (the
    first body paragraph, ``is_lead``); ``most_negative`` is the sentence with the lowest
    ``tone_score`` among the mentions read as negative, ``most_positive`` the one with
    the highest among those read as positive (the first in reading order on a tie), and
    ``*_tone`` their scores; an actor with no negative (positive) mention has none, so a
    neutral sentence is never shown as its "most negative". Articles keep their order;
    within an article, actors with more mentions come first (ties by first mention).

    Examples
    --------
    >>> tone = actor_tone(score_mentions(find_mentions(sentences, actors="china-tech")))
    >>> tone[["label", "mentions", "net_tone", "in_headline"]]
    """
    require_columns(scored_mentions, ["article_id", "actor", "label", "kind", "is_lead",
                                      "text", "tone_label", "tone_score"],
                    helper="actor_tone", fix="pass the output of framelens.actors.score_mentions.")
    groups: dict[object, dict[object, list[int]]] = {}
    for i, (aid, actor) in enumerate(zip(scored_mentions["article_id"].tolist(),
                                         scored_mentions["actor"].tolist())):
        groups.setdefault(aid, {}).setdefault(actor, []).append(i)
    labels, kinds, leads, texts, tone_labels = (
        scored_mentions[c].tolist() for c in ("label", "kind", "is_lead", "text", "tone_label"))
    scores = scored_mentions["tone_score"].to_numpy(dtype="float64")
    rows = []
    for aid, by_actor in groups.items():
        article = []
        for actor, idx in by_actor.items():
            n = len(idx)
            shares = [sum(tone_labels[i] == label for i in idx) / n
                      for label in ("negative", "neutral", "positive")]
            values = scores[idx]
            low = _extreme(idx, scores, tone_labels, "negative")
            high = _extreme(idx, scores, tone_labels, "positive")
            article.append((
                aid, actor, labels[idx[0]], n, *shares, shares[2] - shares[0],
                float(values.mean()), any(kinds[i] == "headline" for i in idx),
                any(bool(leads[i]) for i in idx),
                None if low is None else texts[low],
                np.nan if low is None else float(scores[low]),
                None if high is None else texts[high],
                np.nan if high is None else float(scores[high]),
            ))
        rows.extend(sorted(article, key=lambda row: -row[3]))
    out = pd.DataFrame(rows, columns=ACTOR_TONE_COLUMNS)
    return out.astype({
        "mentions": "int64", "share_negative": "float64", "share_neutral": "float64",
        "share_positive": "float64", "net_tone": "float64", "mean_tone": "float64",
        "in_headline": "bool", "in_lead": "bool", "most_negative_tone": "float64",
        "most_positive_tone": "float64",
    })


def _extreme(idx: list[int], scores: np.ndarray, tone_labels: list, label: str) -> int | None:
    """The row among ``idx`` read as ``label`` whose score is most extreme, or None."""
    rows = [i for i in idx if tone_labels[i] == label]
    if not rows:
        return None
    values = scores[rows]
    return rows[int(np.argmin(values) if label == "negative" else np.argmax(values))]


def unmatched_actors(actor_list: ActorList | str | PathLike,
                     mentions: pd.DataFrame) -> pd.DataFrame:
    """The actors of a list that the mentions never name, so a report can list them.

    Parameters
    ----------
    actor_list : the list the mentions were found with (or its name or path).
    mentions : DataFrame with ``actor`` (:func:`find_mentions`).

    Returns
    -------
    DataFrame, one row per actor without a mention, in list order, with columns
    ``actor, label, names`` (its names joined by ``"; "``).

    Examples
    --------
    >>> mentions = find_mentions(sentences, actors="china-tech")
    >>> unmatched_actors("china-tech", mentions)["label"].tolist()
    """
    require_columns(mentions, ["actor"], helper="unmatched_actors",
                    fix="pass the output of framelens.actors.find_mentions.")
    found = set(mentions["actor"].tolist())
    rows = [(actor.id, actor.label, "; ".join(actor.names))
            for actor in load_actors(actor_list).actors if actor.id not in found]
    return pd.DataFrame(rows, columns=UNMATCHED_COLUMNS)
