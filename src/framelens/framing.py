"""Frame analysis: match codebook terms in sentences and score frames per article.

The pipeline is three tidy tables::

    sentences = fl.split_sentences(articles)
    matches = fl.match_frames(sentences, codebook="ai")          # one row per match
    scores = fl.score_frames(sentences, matches, codebook="ai")  # one row per article x frame
    fl.dominant_frames(scores)                                   # one row per article

Matching rules (see :mod:`framelens.codebook` for the term syntax):

* tokens come from :func:`framelens.segment.word_spans` and are compared lower-cased;
  a term matches a run of consecutive tokens inside one sentence;
* within one frame, overlapping matches count once: the longest wins, then the earliest,
  then the term listed first; a token can count for two different frames;
* a match that lies wholly inside a match of one of the frame's ``exclude`` phrases is
  dropped ("social security" does not count for a security frame);
* a term does not match inside a proper name (the proper-name guard below): "labour" is
  not the senator Jim Talent; a term marked case-sensitive in the codebook (``=NATO``)
  matches only with its capitals, and may match inside a name.

An article *uses* a frame (the ``used`` column of :func:`score_frames`) when the frame's
evidence passes the codebook's threshold (:class:`~framelens.codebook.Threshold`).

Only headlines, subheadings and body text are analysed by default
(:data:`framelens.segment.ANALYSED_KINDS`): photo captions, bylines and boilerplate are not.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from framelens.codebook import Codebook, is_case_sensitive, load_codebook, term_tokens
from framelens.columns import require_columns
from framelens.errors import InputError, OptionError
from framelens.segment import ANALYSED_KINDS, norm_token, word_spans

__all__ = ["dominant_frames", "frame_evidence", "match_frames", "score_frames"]

MATCH_COLUMNS = [
    "article_id",
    "sentence_id",
    "paragraph_id",
    "kind",
    "is_lead",
    "frame",
    "term",
    "matched",
    "start",
    "end",
    "token_start",
    "token_end",
]
SCORE_COLUMNS = [
    "article_id",
    "frame",
    "label",
    "hits",
    "rate_per_1k",
    "sentences_with_frame",
    "share_of_sentences",
    "headline_hits",
    "lead_hits",
    "weighted_hits",
    "weighted_rate_per_1k",
    "n_words",
    "n_sentences",
    "used",
]
DOMINANT_COLUMNS = ["article_id", "dominant", "top_frame", "top_score"]
EVIDENCE_COLUMNS = ["article_id", "frame", "sentence_id", "text", "n_matches", "n_terms", "terms"]

CodebookLike = Codebook | str | PathLike


def _require(df: pd.DataFrame, columns: Iterable[str], *, helper: str, table: str) -> None:
    require_columns(df, columns, helper=helper, name=table,
                    fix="pass the output of split_sentences (sentences) and match_frames "
                        "(matches), or rename your columns.")


def _check_number(
    name: str, value: object, *, low: float, high: float | None = None, whole: bool = False,
    example: str,
) -> None:
    """Refuse an option that is not a number in ``[low, high)`` (a whole one if ``whole``)."""
    kinds = (int, np.integer) if whole else (int, float, np.integer, np.floating)
    ok = isinstance(value, kinds) and not isinstance(value, bool) and value >= low
    if ok and high is not None:
        ok = value < high
    if not ok:
        what = "a whole number" if whole else "a number"
        limits = f">= {low}" + (f" and < {high}" if high is not None else "")
        raise OptionError(f"{name} must be {what} {limits}; got {value!r}.",
                          fix=f"pass {name}={example}.")


def _kinds(kinds: str | Iterable[str] | None, sentences: pd.DataFrame) -> pd.Series:
    """Boolean mask of the rows whose kind is analysed (``None`` = every row)."""
    if kinds is None:
        return pd.Series(True, index=sentences.index)
    if isinstance(kinds, str):
        kinds = (kinds,)
    return sentences["kind"].isin(list(kinds))


# --- the compiled codebook ----------------------------------------------------------
#
# Matching is driven by the codebook, not by the tokens. The sentences are joined into
# one text, and compiled regular expressions (the "spotters") list the places where a
# term could start; only there is the text tokenised. These facts keep this exact:
#
# * tokens never contain whitespace and never reach across it, so the tokens of a sentence
#   are the tokens of its whitespace-separated chunks, shifted; a chunk is tokenised with
#   :func:`word_spans` once and remembered (:func:`_chunk_spans`);
# * the spotters only skip places where no term can start: they require the term's
#   literal beginning (its tokens up to the first wildcard, with only whitespace between
#   them), no letter or digit just before a term that starts with a letter (a word token
#   is never glued to a letter or digit before it) and no letter just after a whole token
#   that ends with a letter (nor is it glued to a letter after it);
# * terms that start with a letter are spotted in a byte string where every character but
#   an ASCII letter or digit is a space (:data:`_SPOT_TABLE`), with the terms mapped the
#   same way, so that one fast search for spaces finds them all: the mapping keeps every
#   match (and adds a few, which tokenising rejects) and the offsets;
# * each sentence is lower-cased on its own, as before; a sentence that lower-casing
#   lengthens, or that holds the separator of the joined sentences (neither whitespace
#   nor a letter), is matched on its own, token by token (:func:`_match_tokens`).

_SEP = "\x00"  # joins the sentences into one text
_BATCH = 2000  # sentences joined at a time
_MAX_CHUNKS = 1 << 16  # chunks of text whose tokens are remembered
_CHUNK_RE = re.compile(r"[^\s\x00]+")  # a whitespace-separated chunk of one sentence
_LETTER_RE = re.compile(r"[^\W\d_]")  # a character that may begin a word token
_NOT_BEFORE_LETTER = r"(?![^\W\d_])"
# ASCII letters (lower-cased) and digits stay, any other byte becomes a space, including
# the "?" that stands for each character beyond ASCII
_SPOT_TABLE = bytes([ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(128)]
                    + [32] * 128)
_GAPS = {" +": r"\s+", " *": r"\s*"}  # whitespace between two tokens of a phrase


@dataclasses.dataclass(frozen=True)
class _Term:
    frame: int  # position of the frame in the codebook
    order: int  # position of the term in its frame, to break ties
    term: str
    exclude: bool
    rest: tuple[str | re.Pattern[str], ...]  # the tokens after the first
    size: int  # number of tokens
    # a case-sensitive term (``=NATO``): its tokens as written, which the text's tokens
    # must match with their case; None for the others, which the proper-name guard checks
    cased: tuple[str | re.Pattern[str], ...] | None = None


@dataclasses.dataclass(frozen=True)
class _Index:
    exact: dict[str, tuple[_Term, ...]]  # first token -> terms
    wild: dict[str, tuple[tuple[re.Pattern[str], _Term], ...]]  # 2-letter prefix -> terms
    wild_any: tuple[tuple[re.Pattern[str], _Term], ...]  # wildcard within the first 2 letters
    # where terms may start (see :func:`_spotters`); None when a term starts with a
    # wildcard, so that every token must be tried
    spotters: tuple[re.Pattern[bytes] | None, re.Pattern[str] | None] | None


# the terms starting at one token, and the most tokens any of them needs
_Starting = tuple[tuple[_Term, ...], int]
# a match: (term, token_start, token_end, start, end)
_Raw = tuple[_Term, int, int, int, int]


def _token_pattern(token: str) -> str | re.Pattern[str]:
    """A token as a string to compare, or a pattern when it holds a wildcard."""
    if not set(token) & {"*", "?"}:
        return token
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in token)
    if not token.strip("*?"):  # a whole-word wildcard matches words, not punctuation
        body = r"(?=[^\W_])" + body
    return re.compile(body, re.DOTALL)


def _letter(char: str) -> bool:
    return _LETTER_RE.match(char) is not None


def _keys(tokens: Sequence[str]) -> tuple[list[str], bool]:
    """What the lower-cased text must hold where a term of ``tokens`` starts.

    Returns the keys of a trie (see :func:`_alternation`): the tokens' characters up to
    the first wildcard, with a gap key for the whitespace between two tokens (at least one
    character between two letters, which would otherwise make one token); and whether no
    letter may follow (when the keys end a whole token with a letter).
    """
    keys: list[str] = []
    for j, token in enumerate(tokens):
        literal = re.split(r"[*?]", token)[0]
        if literal and j:
            keys.append(" +" if _letter(tokens[j - 1][-1]) and _letter(literal[0]) else " *")
        keys.extend(literal)
        if literal != token:  # a wildcard
            return keys, not literal and bool(j) and _letter(tokens[j - 1][-1])
    return keys, _letter(tokens[-1][-1])


def _alternation(trie: dict, ahead: str) -> str:
    """A regular expression for the strings of ``trie``, sharing their common prefixes.

    Keys are characters, a key of :data:`_GAPS`, or ``""`` to end a string: its value is
    True when no letter may follow (``ahead`` says so), False when anything may.
    """
    if trie.get("") is False:  # whatever follows, the place is a candidate
        return ""
    branches = [_GAPS.get(key, re.escape(key)) + _alternation(child, ahead)
                for key, child in sorted(trie.items()) if key]
    if "" in trie:
        branches.append(ahead)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _spotters(
    terms: Iterable[Sequence[str]],
) -> tuple[re.Pattern[bytes] | None, re.Pattern[str] | None] | None:
    """The regular expressions that spot every place where one of ``terms`` may start.

    ``terms`` are the terms' tokens. The first expression is for the terms that start with
    a letter: it searches the lower-cased text mapped through :data:`_SPOT_TABLE`, and
    each match is the space before the place. The second is for the other terms: it
    searches the lower-cased text, and each match is empty, at the place. Either is None
    when no term needs it; both are None when a term starts with a wildcard.
    """
    tries: dict[bool, dict] = {True: {}, False: {}}  # by "starts with a letter"
    for tokens in terms:
        keys, bounded = _keys(tokens)
        if not keys:
            return None
        letter = _letter(keys[0])
        if letter:  # a character beyond ASCII letters and digits becomes a space
            keys = [key if key in _GAPS or key.isascii() and key.isalnum() else " "
                    for key in keys]
        node = tries[letter]
        for key in keys:
            if node.get("") is False:
                break
            node = node.setdefault(key, {})
        else:
            if not bounded:
                node.clear()
            node.setdefault("", bounded)
    words = others = None
    if tries[True]:
        words = re.compile(b" (?=" + _alternation(tries[True], "(?![a-z])").encode() + b")")
    if tries[False]:
        others = re.compile("(?=" + _alternation(tries[False], _NOT_BEFORE_LETTER) + ")")
    return words, others


@functools.lru_cache(maxsize=16)
def _compile(codebook: Codebook) -> _Index:
    """Index the terms of ``codebook`` by their first token (cached per codebook)."""
    exact: dict[str, list[_Term]] = {}
    wild: dict[str, list[tuple[re.Pattern[str], _Term]]] = {}
    wild_any: list[tuple[re.Pattern[str], _Term]] = []
    phrases: dict[tuple[str, ...], None] = {}
    for f, frame in enumerate(codebook.frames):
        for exclude, terms in ((False, frame.terms), (True, frame.exclude)):
            for order, term in enumerate(terms):
                tokens = term_tokens(term)
                phrases[tokens] = None
                first, *rest = (_token_pattern(t) for t in tokens)
                cased = None
                if is_case_sensitive(term):
                    cased = tuple(_token_pattern(t) for t in term_tokens(term, keep_case=True))
                entry = _Term(f, order, term, exclude, tuple(rest), len(tokens), cased)
                if isinstance(first, str):
                    exact.setdefault(first, []).append(entry)
                    continue
                literal = re.split(r"[*?]", tokens[0])[0]
                if len(literal) >= 2:
                    wild.setdefault(literal[:2], []).append((first, entry))
                else:
                    wild_any.append((first, entry))
    return _Index(
        exact={k: tuple(v) for k, v in exact.items()},
        wild={k: tuple(v) for k, v in wild.items()},
        wild_any=tuple(wild_any),
        spotters=_spotters(phrases),
    )


# --- the proper-name guard ----------------------------------------------------------
#
# A term does not match inside a proper name: "labour" is not the senator Jim Talent,
# "security" not the Defense Secretary, "judiciary" not the Senate Judiciary Committee.
# The guard reads capitals, on the sentence's characters, and only for matches that hold
# a capital or that a title and a name follow (so the common case, a lower-case match,
# costs one regular-expression test). A word of a match is part of a name when it starts
# with a capital and holds a lower-case letter ("Talent", not "GDP" or "AI": acronyms
# are common nouns as often as names), is not a hyphenated word whose last part is lower
# case ("U.S.-led"), and
#
# * stands in mid-sentence, or
# * opens the sentence (or a quote, or follows a colon or a dash) and the next word is
#   capitalised too ("Defense Secretary Mattis said", not "Economic growth slowed").
#
# A lower-case match followed by a title and a capitalised name ("labor secretary Alex
# Acosta", "economic adviser Gary Cohn") is a title too. Across the sentences of an
# article (:func:`_known_names`), a capitalised sentence opener is a name when the article
# writes that word capitalised in mid-sentence and never in lower case ("Talent said ..."
# in a story about Senator Jim Talent). Sentences in title case or
# capitals (most headlines) say nothing by their capitals, so the guard leaves them alone.
# Case-sensitive terms (``=NATO``) and exclude phrases are never guarded.

#: words that name a role when a person's name follows ("labor secretary Alex Acosta")
NAME_TITLES = (
    "secretary", "minister", "spokesman", "spokeswoman", "spokesperson", "adviser",
    "advisor", "director", "chief", "chairman", "chairwoman", "chair", "commissioner",
    "czar", "envoy", "official", "officer", "aide", "correspondent", "editor",
    "secretary-general", "attorney", "counsel", "undersecretary", "administrator",
)
_TITLE_THEN_NAME_RE = re.compile(
    r"[ \t]+(?i:" + "|".join(NAME_TITLES) + r")[ \t]+[A-Z][a-z]")
# the first letter of a word (not of a hashtag or a handle: "#MeToo" is a keyword)
_WORD_START_RE = re.compile(r"(?<![\w'’.#@-])[^\W\d_]")
_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")  # a word from its first letter
_LETTERS_RE = re.compile(r"[^\W\d_]+")  # the letters of a word from its first
_NEXT_WORD_RE = re.compile(r"[ \t]+([^\W\d_][\w'’.-]*)")  # the word after a space
_LONG_WORD_RE = re.compile(r"(?<![\w'’.-])[^\W\d_]{4,}")  # a word of 4+ letters
_OPENERS = frozenset(":;\"“‘'([{—–-.!?…\x00")


def _name_word(word: str) -> bool:
    """True for a capitalised word that can be part of a name ("Talent", "McCain")."""
    if not word[0].isupper() or word == word.upper():
        return False
    tail = word.rsplit("-", 1)[-1]
    return not tail or not tail[0].islower()


def _title_case(text: str) -> bool:
    """True for a headline in title case or a sentence in capitals: of its 3+ words of
    4+ letters, 80% capitalised and the text does not end like a sentence (a body
    sentence full of names, "He met Defense Secretary Mattis on Tuesday.", does), or 80%
    in capitals."""
    words = _LONG_WORD_RE.findall(text)
    if len(words) < 3:
        return False
    if sum(w.isupper() for w in words) >= 0.8 * len(words):
        return True
    return (sum(w[0].isupper() for w in words) >= 0.8 * len(words)
            and not text.rstrip(" \t\"'”’)").endswith((".", "!", "?", "…")))


def _in_name(text: str, start: int, end: int) -> bool:
    """True when the match ``text[start:end]`` lies in a proper name (see above)."""
    for letter in _WORD_START_RE.finditer(text, start, end):
        at = letter.start()
        word = _WORD_RE.match(text, at).group()  # type: ignore[union-attr]
        if not _name_word(word):
            continue
        before = at - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before >= 0 and text[before] not in _OPENERS:  # mid-sentence
            return True
        following = _NEXT_WORD_RE.match(text, at + len(word))
        if following and _name_word(following.group(1)):  # "Defense Secretary ..."
            return True
    return _TITLE_THEN_NAME_RE.match(text, end) is not None


def _guard(raw: dict[int, list[_Raw]], text: str) -> None:
    """Drop from ``raw`` (the matches of the sentence ``text``) those inside a proper name."""
    title_case = None
    emptied = []
    for frame, found in raw.items():
        drop = []
        for k, match in enumerate(found):
            entry, start, end = match[0], match[3], match[4]
            if entry.exclude or entry.cased is not None:
                continue
            matched = text[start:end]
            if matched.lower() == matched and _TITLE_THEN_NAME_RE.match(text, end) is None:
                continue  # the common case: lower case, and no title with a name after it
            if not _in_name(text, start, end):
                continue
            if title_case is None:
                title_case = _title_case(text)
            if not title_case:
                drop.append(k)
        if drop:
            found[:] = [match for k, match in enumerate(found) if k not in drop]
            if not found:
                emptied.append(frame)
    for frame in emptied:
        del raw[frame]


def _opens_sentence(text: str, at: int) -> bool:
    """True when ``text[at]`` opens the sentence, a quote or a clause after a colon."""
    before = at - 1
    while before >= 0 and text[before].isspace():
        before -= 1
    return before < 0 or text[before] in _OPENERS


def _known_names(found: Sequence[_Raw], owners: Sequence[int], texts: Sequence[str],
                 article_ids: Sequence[object]) -> list[bool]:
    """Which of the matches ``found`` (in the sentences ``texts[owners[k]]``) to keep.

    A match that opens a sentence with a capitalised word is dropped when its article
    uses that word as a name: capitalised in mid-sentence somewhere (not in a title-case
    headline) and never in lower case ("Talent said ..." in a story about Senator Jim
    Talent). The sentence-by-sentence guard cannot see that.
    """
    keep = [True] * len(found)
    capitalised = [k for k, (row, match) in enumerate(zip(owners, found))
                   if texts[row][match[3]].isupper()]
    suspects: dict[object, list[tuple[int, str]]] = {}
    for k in capitalised:
        row, (entry, _, _, start, _) = owners[k], found[k]
        text = texts[row]
        word = _LETTERS_RE.match(text, start).group()  # type: ignore[union-attr]
        if entry.cased is None and _name_word(word) and _opens_sentence(text, start):
            suspects.setdefault(article_ids[row], []).append((k, word))
    if not suspects:
        return keep
    sentences: dict[object, list[str]] = {}
    for row, article in enumerate(article_ids):
        if article in suspects and isinstance(texts[row], str):
            sentences.setdefault(article, []).append(texts[row])
    for article, items in suspects.items():
        joined = "\x00".join(sentences[article])  # "\x00" opens a sentence, see _OPENERS
        verdict: dict[str, bool] = {}
        for k, word in items:
            if word not in verdict:
                verdict[word] = _used_as_name(joined, word)
            keep[k] = not verdict[word]
    return keep


def _used_as_name(joined: str, word: str) -> bool:
    """True when the sentences ``joined`` (by "\\x00") write ``word`` capitalised in
    mid-sentence (outside title-case headlines) and never in lower case."""
    if next(_whole_words(joined, word.lower()), None) is not None:
        return False
    for at in _whole_words(joined, word):
        if not _opens_sentence(joined, at):
            start = joined.rfind("\x00", 0, at) + 1
            end = joined.find("\x00", at)
            if not _title_case(joined[start:end if end >= 0 else len(joined)]):
                return True
    return False


def _whole_words(text: str, word: str) -> Iterator[int]:
    """Where ``word`` occurs in ``text`` as a whole word (str.find: no pattern to build)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_'’.-")) and (
                end == len(text) or not (text[end].isalnum() or text[end] == "_")):
            yield at
        at = text.find(word, at + 1)


def _case_matches(entry: _Term, text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """True when the tokens at ``spans`` of ``text`` match the case-sensitive ``entry``."""
    for want, (start, end) in zip(entry.cased or (), spans):
        token = text[start:end].replace("’", "'")
        if want.__class__ is str:
            if token != want:
                return False
        elif not want.fullmatch(token):  # type: ignore[union-attr]
            return False
    return True


# --- matching -----------------------------------------------------------------------


def _starting_at(index: _Index, norm: str, cache: dict[str, _Starting]) -> _Starting:
    """The terms whose first token matches ``norm``, memoised per distinct token."""
    found = cache.get(norm)
    if found is None:
        hits = list(index.exact.get(norm, ()))
        for pattern, entry in (*index.wild.get(norm[:2], ()), *index.wild_any):
            if pattern.fullmatch(norm):
                hits.append(entry)
        found = cache[norm] = (tuple(hits), max([entry.size for entry in hits], default=0))
    return found


@functools.lru_cache(maxsize=_MAX_CHUNKS)
def _chunk_spans(chunk: str) -> tuple[tuple[int, int], ...]:
    """The token offsets in one whitespace-free chunk of text (memoised per chunk)."""
    return tuple((start, end) for _, start, end in word_spans(chunk))


class _ExtraTokens(dict):
    """How many tokens past the first each whitespace-free chunk of text holds, remembered.

    Bounded: forgets everything past :data:`_MAX_CHUNKS` chunks.
    """

    def __missing__(self, chunk: str) -> int:
        if len(self) >= _MAX_CHUNKS:
            self.clear()
        extra = self[chunk] = len(_chunk_spans(chunk)) - 1
        return extra


_EXTRA_TOKENS = _ExtraTokens()


def _count_tokens(text: str) -> int:
    """How many tokens ``text`` holds (a chunk of letters only is one token)."""
    chunks = text.split()
    return len(chunks) + sum(map(_EXTRA_TOKENS.__getitem__,
                                 itertools.filterfalse(str.isalpha, chunks)))


def _extends(entry: _Term, norms: Sequence[str]) -> bool:
    """True when ``norms[1:]`` match the tokens of ``entry`` after the first."""
    for want, norm in zip(entry.rest, norms[1:]):
        if want.__class__ is str:
            if norm != want:
                return False
        elif not want.fullmatch(norm):  # type: ignore[union-attr]
            return False
    return True


def _resolve(raw: dict[int, list[_Raw]]) -> list[_Raw]:
    """Drop excluded matches and, within a frame, overlapped ones; in reading order."""
    kept = []
    for found in raw.values():
        if len(found) == 1:
            if not found[0][0].exclude:
                kept.append(found[0])
            continue
        if not any([match[0].exclude for match in found]) and all(
                [a[2] <= b[1] for a, b in zip(found, found[1:])]):
            kept.extend(found)  # in reading order and apart: nothing to resolve
            continue
        excluded = [(s, e) for entry, s, e, _, _ in found if entry.exclude]
        candidates = [
            match
            for match in found
            if not match[0].exclude
            and not any(xs <= match[1] and match[2] <= xe for xs, xe in excluded)
        ]
        candidates.sort(key=lambda m: (m[1] - m[2], m[1], m[0].order))
        taken: list[tuple[int, int]] = []
        for match in candidates:
            s, e = match[1], match[2]
            if all(e <= ts or s >= te for ts, te in taken):
                taken.append((s, e))
                kept.append(match)
    if len(kept) > 1:
        kept.sort(key=lambda m: (m[1], m[0].frame))
    return kept


def _match_tokens(text: str, index: _Index, cache: dict[str, _Starting],
                  skip_names: bool = True) -> list[_Raw]:
    """The matches in one sentence, trying every token (the general, slower way)."""
    spans = word_spans(text)
    lowered = norm_token(text)  # once per sentence, unless lower-casing changed a length
    if len(lowered) == len(text):
        norms = [lowered[start:end] for _, start, end in spans]
    else:
        norms = [norm_token(token) for token, _, _ in spans]
    n = len(norms)
    raw: dict[int, list[_Raw]] = {}
    for i, norm in enumerate(norms):
        starting = cache.get(norm)
        if starting is None:
            starting = _starting_at(index, norm, cache)
        for entry in starting[0]:
            end = i + entry.size
            if end <= n and _extends(entry, norms[i:end]) and (
                    entry.cased is None
                    or _case_matches(entry, text, [(a, b) for _, a, b in spans[i:end]])):
                raw.setdefault(entry.frame, []).append(
                    (entry, i, end, spans[i][1], spans[end - 1][2]))
    if raw and skip_names:
        _guard(raw, text)
    return _resolve(raw)


def _match_joined(
    texts: Sequence[str], joined: str, lowered: str, index: _Index, cache: dict[str, _Starting],
    skip_names: bool = True,
) -> Iterator[tuple[int, list[_Raw]]]:
    """The matches in ``texts``, found through the spotters of ``index``.

    ``joined`` is :data:`_SEP` followed by the texts joined with :data:`_SEP`, ``lowered``
    the same with each text lower-cased, and as long: no text may hold :data:`_SEP`.
    Yields ``(position of the text, its resolved matches)`` for the texts with a match.
    """
    starts = list(itertools.accumulate([len(text) + 1 for text in texts[:-1]], initial=1))
    words, others = index.spotters or (None, None)
    places = []
    if words is not None:
        spotted = lowered.encode("ascii", "replace").translate(_SPOT_TABLE)
        places = [hit.end() for hit in words.finditer(spotted)]
    if others is not None:
        places = sorted([*places, *[hit.end() for hit in others.finditer(lowered)]])
    chunk_at, spans_of, cached = _CHUNK_RE.match, _chunk_spans, cache.get
    raw: dict[int, list[_Raw]] = {}
    row, first, last = -1, 0, 0  # the text being read and its span in ``joined``
    counted, n_before = 0, 0  # the tokens of the text before ``joined[counted]``
    skip = 0  # the end of the last token read
    for at in places:
        if at < skip:
            continue
        if at >= last:
            if raw:
                if skip_names:
                    _guard(raw, joined[first:last])
                if raw and (kept := _resolve(raw)):
                    yield row, kept
            raw = {}
            row = bisect.bisect_right(starts, at) - 1
            first = counted = starts[row]
            last = first + len(texts[row])
            n_before = 0
            if at >= last:  # on a separator
                continue
        chunk_start, k = at, 0
        if joined[at - 1] == " " or at == first:  # a chunk, hence a token, starts here
            chunk = chunk_at(joined, at, last)
            if chunk is None:  # whitespace
                continue
            spans = spans_of(chunk.group())
        else:
            while chunk_start > first and not joined[chunk_start - 1].isspace():
                chunk_start -= 1
            chunk = chunk_at(joined, chunk_start, last)
            if chunk is None:  # whitespace
                continue
            spans = spans_of(chunk.group())
            offset = at - chunk_start
            k = next((j for j, (start, _) in enumerate(spans) if start == offset), -1)
            if k < 0:  # not where a token starts
                continue
        end = skip = chunk_start + spans[k][1]
        norm = lowered[at:end]
        starting = cached(norm) or _starting_at(index, norm, cache)
        entries, want = starting
        if not entries:
            continue
        if want == 1:
            found = entries
            tokens = [(at, end)]
        else:
            tokens = [(at, end), *[(chunk_start + s, chunk_start + e)
                                   for s, e in spans[k + 1:k + want]]]
            chunk_end = chunk.end()
            while len(tokens) < want:
                chunk = _CHUNK_RE.search(joined, chunk_end, last)
                if chunk is None:
                    break
                base, chunk_end = chunk.span()
                tokens.extend([(base + s, base + e) for s, e in spans_of(chunk.group())])
            norms = [norm, *[lowered[s:e] for s, e in tokens[1:want]]]
            found = [entry for entry in entries
                     if entry.size <= len(norms) and _extends(entry, norms)]
            if not found:
                continue
        if counted < chunk_start:
            n_before += _count_tokens(joined[counted:chunk_start])
            counted = chunk_start
        i = n_before + k
        for entry in found:
            if entry.cased is not None and not _case_matches(entry, joined, tokens):
                continue
            match = (entry, i, i + entry.size, at - first, tokens[entry.size - 1][1] - first)
            if entry.frame in raw:
                raw[entry.frame].append(match)
            else:
                raw[entry.frame] = [match]
    if raw:
        if skip_names:
            _guard(raw, joined[first:last])
        if raw and (kept := _resolve(raw)):
            yield row, kept


def _match_texts(texts: Sequence[str], index: _Index, skip_names: bool = True
                 ) -> Iterator[tuple[int, list[_Raw]]]:
    """The resolved matches in each of ``texts`` that has one, as ``(position, matches)``.

    The texts are read :data:`_BATCH` at a time through the spotters; a text that
    lower-casing lengthens or that holds :data:`_SEP` is matched on its own.
    """
    cache: dict[str, _Starting] = {}
    if index.spotters is None:
        for row, text in enumerate(texts):
            matches = _match_tokens(text, index, cache, skip_names)
            if matches:
                yield row, matches
        return
    for low in range(0, len(texts), _BATCH):
        batch = texts[low:low + _BATCH]
        joined = _SEP + _SEP.join(batch)
        lowered = _SEP + _SEP.join([norm_token(text) for text in batch])
        if len(lowered) == len(joined) and joined.count(_SEP) == len(batch):
            for row, matches in _match_joined(batch, joined, lowered, index, cache,
                                              skip_names):
                yield low + row, matches
            continue
        alone = {row for row, text in enumerate(batch)
                 if _SEP in text or len(norm_token(text)) != len(text)}
        rest = ["" if row in alone else text for row, text in enumerate(batch)]
        joined = _SEP + _SEP.join(rest)
        lowered = _SEP + _SEP.join([norm_token(text) for text in rest])
        found = dict(_match_joined(rest, joined, lowered, index, cache, skip_names))
        for row, text in enumerate(batch):
            matches = (_match_tokens(text, index, cache, skip_names) if row in alone
                       else found.get(row))
            if matches:
                yield low + row, matches


def match_frames(
    sentences: pd.DataFrame,
    *,
    codebook: CodebookLike,
    kinds: str | Iterable[str] | None = ANALYSED_KINDS,
    text_col: str = "text",
    skip_names: bool = True,
) -> pd.DataFrame:
    """Find every codebook term in every sentence.

    A term does not match inside a proper name ("labour" in "Jim Talent", "security" in
    "Defense Secretary Mattis", "judiciary" in "Senate Judiciary Committee"), unless the
    codebook marks it case-sensitive (``=NATO``); see the module docstring.

    Parameters
    ----------
    sentences : the output of :func:`framelens.split_sentences`: ``article_id,
        paragraph_id, sentence_id, kind, is_lead`` and ``text_col``.
    codebook : a :class:`~framelens.codebook.Codebook`, a shipped name ("generic",
        "policy", "ai") or the path of a YAML codebook.
    kinds : the paragraph kinds to search; ``None`` searches every row. By default
        headlines, subheadings and body text, not captions, bylines or boilerplate.
    text_col : the column holding the sentence text.
    skip_names : False matches terms inside proper names too (the rule before the
        proper-name guard, for comparisons with older results).

    Returns
    -------
    DataFrame, one row per match, in reading order: ``article_id, sentence_id,
    paragraph_id, kind, is_lead, frame, term, matched, start, end, token_start,
    token_end``. ``term`` is the codebook term as written, ``matched`` the text it
    matched (``text[start:end]``); ``start``/``end`` are character offsets and
    ``token_start``/``token_end`` token positions (end exclusive, like slices) in
    the sentence.

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "sentence_id": [0],
    ...     "kind": ["body"], "is_lead": [True],
    ...     "text": ["AI should be an international public good."]})
    >>> match_frames(sents, codebook="ai")[["frame", "matched", "start", "end"]].values.tolist()
    [['cooperation', 'public good', 30, 41]]
    """
    columns = ["article_id", "paragraph_id", "sentence_id", "kind", "is_lead", text_col]
    _require(sentences, columns, helper="match_frames", table="sentences")
    cb = load_codebook(codebook)
    index = _compile(cb)
    frame_ids = cb.frame_ids
    rows = sentences.loc[_kinds(kinds, sentences), columns]
    texts = rows[text_col].tolist()
    usable = [row for row, text in enumerate(texts) if isinstance(text, str) and text]
    owners: list[int] = []  # the row of each match
    found: list[_Raw] = []
    for at, matches in _match_texts([texts[row] for row in usable], index, skip_names):
        owners.extend([usable[at]] * len(matches))
        found.extend(matches)
    if skip_names and found:
        keep = _known_names(found, owners, texts, rows["article_id"].tolist())
        if not all(keep):
            owners = [row for row, kept in zip(owners, keep) if kept]
            found = [match for match, kept in zip(found, keep) if kept]
    if not found:  # an empty table keeps the object columns it always had
        table = pd.DataFrame([], columns=MATCH_COLUMNS)
    else:
        table = _match_table(rows.iloc[owners], frame_ids, found,
                             [texts[row][m[3]:m[4]] for row, m in zip(owners, found)])
    table["article_id"] = table["article_id"].astype(sentences["article_id"].dtype)
    ints = ["sentence_id", "paragraph_id", "start", "end", "token_start", "token_end"]
    return table.astype({**dict.fromkeys(ints, "int64"), "is_lead": "bool"})


def _match_table(
    picked: pd.DataFrame, frame_ids: Sequence[str], found: list[_Raw], matched: list[str]
) -> pd.DataFrame:
    """The rows of the match table, before their types are set (see :func:`match_frames`)."""
    return pd.DataFrame({
        "article_id": picked["article_id"].tolist(),
        "sentence_id": picked["sentence_id"].tolist(),
        "paragraph_id": picked["paragraph_id"].tolist(),
        "kind": picked["kind"].tolist(),
        "is_lead": picked["is_lead"].tolist(),
        "frame": [frame_ids[m[0].frame] for m in found],
        "term": [m[0].term for m in found],
        "matched": matched,
        "start": [m[3] for m in found],
        "end": [m[4] for m in found],
        "token_start": [m[1] for m in found],
        "token_end": [m[2] for m in found],
    }, columns=MATCH_COLUMNS)


def score_frames(
    sentences: pd.DataFrame,
    matches: pd.DataFrame,
    *,
    codebook: CodebookLike,
    kinds: str | Iterable[str] | None = ANALYSED_KINDS,
    headline_weight: float = 2.0,
    lead_weight: float = 1.5,
) -> pd.DataFrame:
    """Score every frame of the codebook in every article.

    For an article with ``W`` words and ``S`` sentences of the analysed kinds::

        hits                 = number of matches of the frame
        rate_per_1k          = hits / W * 1000
        share_of_sentences   = sentences_with_frame / S
        weighted_hits        = headline_hits * headline_weight + lead_hits * lead_weight
                               + (hits - headline_hits - lead_hits)
        weighted_rate_per_1k = weighted_hits / W * 1000
        used                 = hits >= threshold.matches
                               and sentences_with_frame >= threshold.sentences
                               and rate_per_1k >= threshold.per_1k

    ``used`` says whether the article uses the frame: its evidence passes the frame's
    threshold in the codebook (:class:`~framelens.codebook.Threshold`; one match when the
    codebook sets none). ``W`` is the sum of ``n_words`` (punctuation is not a word);
    the lead is the first body paragraph (``is_lead``). Rates are NaN for an article
    with no analysed words. The articles are those of ``sentences``; matches of other
    articles are ignored.

    Parameters
    ----------
    sentences : the output of :func:`framelens.split_sentences`
        (``article_id, sentence_id, kind, n_words``).
    matches : the output of :func:`match_frames` on those sentences
        (``article_id, sentence_id, kind, is_lead, frame``).
    codebook : the codebook the matches come from (object, name or path).
    kinds : the paragraph kinds that count, for the word count and for the hits;
        ``None`` counts every row.
    headline_weight, lead_weight : how much a hit in the headline or the lead counts.

    Returns
    -------
    DataFrame, one row per (article, frame), every frame of the codebook included even
    with 0 hits, articles in the order of ``sentences`` and frames in codebook order:
    ``article_id, frame, label, hits, rate_per_1k, sentences_with_frame,
    share_of_sentences, headline_hits, lead_hits, weighted_hits, weighted_rate_per_1k,
    n_words, n_sentences, used`` (``n_words`` = ``W``, ``n_sentences`` = ``S``, ``used``
    a bool).

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a", "a"], "paragraph_id": [0, 1],
    ...     "sentence_id": [0, 1], "kind": ["headline", "body"], "is_lead": [False, True],
    ...     "text": ["Economy grows", "Growth in trade and the economy."],
    ...     "n_words": [2, 6]})
    >>> matches = match_frames(sents, codebook="ai")
    >>> scores = score_frames(sents, matches, codebook="ai")
    >>> scores.loc[scores["frame"] == "economy", ["hits", "rate_per_1k", "weighted_hits"]]
       hits  rate_per_1k  weighted_hits
    2     4        500.0            6.5
    >>> bool(scores.loc[scores["frame"] == "economy", "used"].iloc[0])
    True
    """
    _check_number("headline_weight", headline_weight, low=0, example="2.0")
    _check_number("lead_weight", lead_weight, low=0, example="1.5")
    _require(sentences, ["article_id", "sentence_id", "kind", "n_words"],
             helper="score_frames", table="sentences")
    _require(matches, ["article_id", "sentence_id", "kind", "is_lead", "frame"],
             helper="score_frames", table="matches")
    cb = load_codebook(codebook)
    unknown = sorted(set(matches["frame"]) - set(cb.frame_ids))
    if unknown:
        raise InputError(
            f"the matches have frame(s) {unknown} that codebook {cb.name!r} does not define.",
            fix="pass score_frames the codebook you gave match_frames.",
        )
    articles = pd.unique(sentences["article_id"])
    analysed = sentences[_kinds(kinds, sentences)]
    by_article = analysed.groupby("article_id", sort=False)
    words = by_article["n_words"].sum().reindex(articles, fill_value=0)
    n_sentences = by_article.size().reindex(articles, fill_value=0)

    hits = matches[_kinds(kinds, matches)].assign(
        headline=lambda m: m["kind"].eq("headline"),
        lead=lambda m: m["is_lead"].astype(bool) & m["kind"].ne("headline"),
    )
    counts = hits.groupby(["article_id", "frame"], sort=False).agg(
        hits=("frame", "size"),
        sentences_with_frame=("sentence_id", "nunique"),
        headline_hits=("headline", "sum"),
        lead_hits=("lead", "sum"),
    )
    full = pd.MultiIndex.from_product([articles, cb.frame_ids], names=["article_id", "frame"])
    table = counts.reindex(full, fill_value=0).astype("int64").reset_index()
    table["article_id"] = table["article_id"].astype(sentences["article_id"].dtype)

    labels = {frame.id: frame.label for frame in cb.frames}
    w = table["article_id"].map(words).to_numpy(dtype="float64")
    s = table["article_id"].map(n_sentences).to_numpy(dtype="float64")
    w_safe = np.where(w > 0, w, np.nan)
    other = table["hits"] - table["headline_hits"] - table["lead_hits"]
    weighted = (table["headline_hits"] * headline_weight + table["lead_hits"] * lead_weight
                + other).astype("float64")
    table = table.assign(
        label=table["frame"].map(labels),
        rate_per_1k=table["hits"] / w_safe * 1000,
        share_of_sentences=table["sentences_with_frame"] / np.where(s > 0, s, np.nan),
        weighted_hits=weighted,
        weighted_rate_per_1k=weighted / w_safe * 1000,
        n_words=w.astype("int64"),
        n_sentences=s.astype("int64"),
    )
    thresholds = {frame.id: frame.threshold for frame in cb.frames}
    used = np.zeros(len(table), dtype=bool)
    for frame_id, threshold in thresholds.items():
        rows = (table["frame"] == frame_id).to_numpy()
        used[rows] = threshold.passes(
            hits=table["hits"].to_numpy()[rows],
            sentences=table["sentences_with_frame"].to_numpy()[rows],
            rate_per_1k=np.nan_to_num(table["rate_per_1k"].to_numpy()[rows], nan=-1.0))
    table["used"] = used
    return table[SCORE_COLUMNS]


def dominant_frames(
    frame_scores: pd.DataFrame,
    *,
    by: str = "weighted_rate_per_1k",
    tolerance: float = 0.10,
    min_hits: int = 2,
) -> pd.DataFrame:
    """Name the dominant frame(s) of each article.

    A frame is dominant when it has at least ``min_hits`` hits (and at least one) and
    its score is within ``tolerance`` of the article's top score, relatively:
    ``score >= top_score * (1 - tolerance)``. Several frames can be dominant (a tie).

    Parameters
    ----------
    frame_scores : the output of :func:`score_frames` (``article_id, frame, hits`` and
        the ``by`` column).
    by : the score column to compare, e.g. ``"rate_per_1k"`` or ``"hits"``.
    tolerance : relative distance from the top score that still counts as a tie.
    min_hits : fewest hits a dominant frame needs.

    Returns
    -------
    DataFrame, one row per article: ``article_id, dominant, top_frame, top_score``.
    ``dominant`` joins the dominant frame ids with ``"; "``, highest score first, and
    is ``""`` when no frame reaches ``min_hits``; ``top_frame`` is the highest-scoring
    frame whatever its hits (the first in table order on a tie), ``""`` when no frame
    has a hit.

    Examples
    --------
    >>> scores = pd.DataFrame({"article_id": ["a"] * 3, "frame": ["x", "y", "z"],
    ...                        "hits": [5, 5, 1], "rate_per_1k": [10.0, 9.5, 2.0]})
    >>> dominant_frames(scores, by="rate_per_1k").values.tolist()
    [['a', 'x; y', 'x', 10.0]]
    """
    _check_number("tolerance", tolerance, low=0, high=1, example="0.10")
    _check_number("min_hits", min_hits, low=0, whole=True, example="2")
    _require(frame_scores, ["article_id", "frame", "hits", by],
             helper="dominant_frames", table="frame_scores")
    if not pd.api.types.is_numeric_dtype(frame_scores[by]):
        raise OptionError(f"by={by!r} names a column that does not hold numbers.",
                          fix="pass by='weighted_rate_per_1k', 'rate_per_1k' or 'hits'.")
    table = frame_scores[["article_id", "frame", "hits"]].reset_index(drop=True)
    table["_score"] = frame_scores[by].to_numpy(dtype="float64")
    table["_top"] = table.groupby("article_id", sort=False)["_score"].transform("max")
    ranked = table.sort_values("_score", ascending=False, kind="stable", na_position="last")
    top = ranked.drop_duplicates("article_id").set_index("article_id")
    has_hits = table.groupby("article_id", sort=False)["hits"].max() > 0

    slack = table["_top"] * tolerance + 1e-9 * table["_top"].abs()
    eligible = (table["hits"] >= max(min_hits, 1)) & (table["_score"] >= table["_top"] - slack)
    chosen = ranked[eligible.loc[ranked.index]]
    dominant = chosen.groupby("article_id", sort=False)["frame"].agg("; ".join)

    articles = pd.unique(table["article_id"])
    dominant_of = dominant.to_dict()
    lit = has_hits.reindex(articles).to_numpy(dtype=bool)
    out = pd.DataFrame({
        "article_id": pd.Series(articles, dtype=frame_scores["article_id"].dtype),
        "dominant": [dominant_of.get(a, "") for a in articles],
        "top_frame": np.where(lit, top["frame"].reindex(articles).to_numpy(dtype=object), ""),
        "top_score": top["_score"].reindex(articles).to_numpy(dtype="float64"),
    })
    return out[DOMINANT_COLUMNS]


def frame_evidence(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    frame: str | Sequence[str] | None = None,
    top_n: int = 3,
) -> pd.DataFrame:
    """The sentences that best evidence each frame: those with the most distinct matches.

    Sentences are ranked within each frame by the number of distinct terms matched
    (``n_terms``, case-insensitive), then by the number of matches, then in reading order.

    Parameters
    ----------
    matches : the output of :func:`match_frames` (``article_id, sentence_id, frame,
        matched``). Filter it to one article first for a per-article report.
    sentences : the sentences the matches come from (``article_id, sentence_id, text``).
    frame : one frame id, or several (the output follows their order); ``None`` gives
        every frame that has a match, in order of first match.
    top_n : how many sentences to keep per frame.

    Returns
    -------
    DataFrame, up to ``top_n`` rows per frame: ``article_id, frame, sentence_id, text,
    n_matches, n_terms, terms``; ``terms`` joins the distinct matched words, lower-cased,
    with ``"; "`` in reading order.

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a", "a"], "paragraph_id": [1, 1],
    ...     "sentence_id": [0, 1], "kind": ["body", "body"], "is_lead": [True, True],
    ...     "text": ["Trade grew.", "Cooperation and a win-win partnership."]})
    >>> evidence = frame_evidence(match_frames(sents, codebook="ai"), sents,
    ...                           frame="cooperation")
    >>> evidence[["sentence_id", "n_terms", "terms"]].values.tolist()
    [[1, 3, 'cooperation; win-win; partnership']]
    """
    _check_number("top_n", top_n, low=1, whole=True, example="3")
    _require(matches, ["article_id", "sentence_id", "frame", "matched"],
             helper="frame_evidence", table="matches")
    _require(sentences, ["article_id", "sentence_id", "text"],
             helper="frame_evidence", table="sentences")
    if frame is None:
        frames = list(pd.unique(matches["frame"]))
    else:
        frames = [frame] if isinstance(frame, str) else list(frame)
    keys = ["frame", "article_id", "sentence_id"]
    found = matches.loc[matches["frame"].isin(frames), [*keys, "matched"]].reset_index(drop=True)
    found["matched"] = found["matched"].map(norm_token)
    found["_first"] = np.arange(len(found))
    per_sentence = found.groupby(keys, sort=False).agg(
        n_matches=("matched", "size"),
        n_terms=("matched", "nunique"),
        terms=("matched", lambda m: "; ".join(dict.fromkeys(m))),
        _first=("_first", "min"),
    ).reset_index()
    per_sentence["_frame"] = per_sentence["frame"].map({f: i for i, f in enumerate(frames)})
    ranked = per_sentence.sort_values(
        ["_frame", "n_terms", "n_matches", "_first"], ascending=[True, False, False, True]
    )
    best = ranked.groupby("frame", sort=False).head(top_n)
    texts = sentences[["article_id", "sentence_id", "text"]].drop_duplicates(
        ["article_id", "sentence_id"]
    )
    best = best.merge(texts, on=["article_id", "sentence_id"], how="left")
    return best[EVIDENCE_COLUMNS].reset_index(drop=True)
