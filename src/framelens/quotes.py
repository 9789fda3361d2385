"""Quotes and voices: whose voices an article quotes, and how much of it is quotation.

This module owns the rules that find quotations in paragraphs, attribute them to a
speaker, and measure how much of an article they take up. It is rule-based (a list of
speech verbs and a few phrase patterns, no model), and works per paragraph, because a
direct quote often runs over several sentences. Headline and body paragraphs are
searched by default.

The rules, and the decisions behind them:

Direct quotes
    Text between double quotation marks, straight (``"``) or curly (``“ ”``); single
    quotes count only as nested quotes inside them. A quoted span is a quote when

    1. a speaker and a speech cue stand right after the closing mark (``"...," Liu said``,
       ``"...," said Liu Liehong, head of ...``, ``"...," according to Xinhua``) or before
       the opening mark in the same sentence (``Yu Yingtao, CEO ..., said at the expo
       that "...``, ``Xi said: "...``). A cue followed by a few words before the quote
       makes a *partial* quote (``Smith said the plan was "a disaster"``): the fragment
       is a direct quote, and its sentence is also reported speech;
    2. it stands as its own sentence (nothing before it in its sentence, and it ends with
       punctuation or the paragraph) and takes its speaker from another quote in the same
       paragraph (a quote split by its attribution: ``"First," she said, "second."`` gives
       **two rows** with the same speaker), or continues the previous paragraph's unclosed
       quote (news style for a quote running over paragraphs); or
    3. it stands as its own sentence and has at least :data:`MIN_UNATTRIBUTED_WORDS` words.
       Its speaker is then ``""``: the text names none.

    Anything else — a scare term or a title inside a sentence without a speech cue
    (``the themes "AI+" and "Intelligent Connected New Energy Vehicles"``) — is not a
    quote. An attribution reads through such short quoted terms (``Adrienne Watson, the
    DNC's "War Room" director, told me``). After a quote that ends with a full stop,
    ``He added, "...`` introduces the next quote, not the one before.
Reported speech
    Sentences outside direct quotes, in three shapes: content first (``..., Xi said in
    the letter``, ``..., said Liu Liehong, head of ...``), speaker first (``Xi also said
    that ...``, ``A Chinese expert said China has ...``; without "that" only after verbs
    that take a clause, such as said, added, argued, warned), and source attribution
    (``..., according to Xinhua``, ``According to X, ...``, ``..., per Xinhua``). When a
    sentence is attributed with a speech verb, a trailing ``per X``/``according to X``
    names the channel, not the speaker, and gives no extra row. A mid-sentence
    attribution (``Without clear demands, he argued, Beijing is unlikely to ...``) gives
    two rows, one per side.
Speakers
    A speaker is a run of capitalised name tokens (titles before the name — President,
    Premier, Minister, Dr, Professor... — go to ``role``; Mr/Ms/Mrs are dropped; an
    affiliation after the name, "Derek Scissors of the American Enterprise Institute",
    goes to ``role`` when there is no title), a pronoun (he/she/they/it), or a
    description of at most nine words that starts with a determiner (``a Chinese Foreign
    Ministry spokesperson``, ``one person who's been in the room``) or ends in a word
    such as analysts, experts or officials (``Chinese analysts``). Descriptions are kept
    as written; a description followed by a name (``the Hong Kong politician, Lau
    Nai-keung``) gives the name. A one-word name (``Xi``, ``Liu``, ``Trump``) resolves
    to the most recent earlier full name in the article that contains it (``Xi
    Jinping``, ``Liu Liehong``, ``Donald Trump``), looking at every paragraph, captions
    included. He/she resolve to the article's previous named speaker (or, before any,
    the most recent full name); they/it to the previous speaker of any kind.
Sources
    For ``according to``/``per`` the speaker is the source as written, cut before a
    relative clause or participle: ``according to Xinhua`` gives ``Xinhua``; ``per a
    press release the company sent to the Global Times`` gives ``a press release`` (the
    company it refers to is not resolved).
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import filterfalse
from typing import NamedTuple

import numpy as np
import pandas as pd

from framelens.actors import resolve_short_names
from framelens.columns import require_columns
from framelens.segment import sentence_spans, word_spans

__all__ = [
    "MIN_UNATTRIBUTED_WORDS",
    "QUOTE_COLUMNS",
    "SHARE_COLUMNS",
    "SPEAKER_COLUMNS",
    "extract_quotes",
    "join_variants",
    "merge_speakers",
    "quote_share",
    "speaker_names",
    "speakers",
]

#: A quoted sentence with no speaker in reach is a quote only from this many words on.
MIN_UNATTRIBUTED_WORDS = 5

QUOTE_COLUMNS = [
    "article_id",
    "paragraph_id",
    "quote_id",
    "kind",
    "speaker",
    "speaker_mention",
    "role",
    "cue",
    "text",
    "start",
    "end",
    "n_words",
]
SHARE_COLUMNS = [
    "article_id",
    "n_words",
    "direct_words",
    "reported_words",
    "quoted_share",
    "direct_share",
    "n_quotes",
    "n_speakers",
]
SPEAKER_COLUMNS = [
    "article_id",
    "speaker",
    "n_quotes",
    "n_direct",
    "n_reported",
    "n_words",
    "role",
]
_PARAGRAPH_COLUMNS = ["article_id", "paragraph_id", "kind", "text"]
_DEFAULT_KINDS = ("headline", "body")

# --- word lists -------------------------------------------------------------------

_SPEECH_VERBS = (
    "pointed out", "points out", "said", "says", "say", "told", "tells", "tell", "added",
    "adds", "noted", "notes", "stated", "states", "explained", "explains", "argued",
    "argues", "warned", "warns", "claimed", "claims", "stressed", "stresses", "emphasized",
    "emphasizes", "emphasised", "emphasises", "wrote", "writes", "asked", "asks",
    "remarked", "remarks", "observed", "observes", "insisted", "insists", "commented",
    "comments", "acknowledged", "acknowledges", "admitted", "admits", "suggested",
    "suggests", "replied", "replies", "responded", "responds", "continued", "continues",
    "announced", "announces", "declared", "declares", "recalled", "recalls", "contended",
    "contends", "maintained", "maintains", "predicted", "predicts", "confirmed", "confirms",
    "underlined", "underlines", "underscored", "underscores", "reiterated", "reiterates",
    "concluded", "concludes", "cautioned", "cautions", "estimated", "estimates", "reported",
    "reports", "tweeted", "yelled", "shouted", "joked", "quipped", "boasted", "complained",
    "lamented", "conceded", "testified", "reads", "read",
)
_VERB = r"(?:" + "|".join(v.replace(" ", r"\s+") for v in _SPEECH_VERBS) + r")"
# verbs that stand before their speaker ("..., said Liu"); others take an object there
_INVERTED_VERB = (
    r"(?:said|says|added|adds|wrote|writes|noted|notes|explained|explains|asked|asks"
    r"|continued|continues|recalled|recalls|argued|argues|stated|states|tweeted|reported"
    r"|reports|observed|observes|remarked|remarks|replied|replies|responded|responds"
    r"|concluded|concludes|quipped|joked)"
)
# speaker-first reported speech without "that": only verbs that take a clause
_CLAUSE_VERBS = frozenset(
    "said says say added adds argued argues insisted insists maintained maintains "
    "predicted predicts estimated estimates warned warns".split()
)
# verbs whose object may stand between the verb and "that" (told reporters that ...)
_OBJECT_VERBS = frozenset("told tells tell asked asks warned warns".split())

_PRONOUNS = frozenset({"he", "she", "they", "it"})
_TITLES = frozenset(
    "president premier minister secretary chairman chairwoman chairperson chair ceo cfo "
    "coo cto founder co-founder director governor senator sen rep representative "
    "congressman congresswoman mayor ambassador consul spokesperson spokesman spokeswoman "
    "dr doctor professor prof general gen colonel col admiral adm captain capt lieutenant "
    "lt sergeant sgt king queen prince princess pope chancellor commissioner judge justice "
    "envoy councillor councilor counselor counsellor chief head leader vice deputy acting "
    "gov lt-gov attorney-general superintendent archbishop bishop rabbi imam sheikh "
    "speaker whip adviser advisor "
    "former late then incoming outgoing".split()
)
_HONORIFICS = frozenset("mr mrs ms miss mx mister sir dame madam".split())
_ABBREVIATIONS = frozenset("dr mr mrs ms prof sen rep gov gen col adm capt lt sgt st jr sr".split())
_CONNECTORS = frozenset(
    "of and for the de da di du la le van von der den bin ibn al el del dos das".split()
)
_DETERMINERS = frozenset(
    "a an the some many several most other one two three four five few both all its his "
    "her their our this these those another each every numerous multiple various such "
    "any".split()
)
_ROLE_NOUNS = frozenset(
    "analyst analysts expert experts official officials observer observers source sources "
    "insider insiders critic critics scientist scientists researcher researchers scholar "
    "scholars economist economists diplomat diplomats lawmaker lawmakers legislator "
    "legislators authorities resident residents commentator commentators media netizens "
    "users witnesses witness police investigators prosecutors spokesperson spokesman "
    "spokeswoman representatives executives leaders people participants organizers "
    "organisers ministry government statement report reports data survey study agency "
    "company firm group".split()
)
_CLAUSE_WORDS = frozenset(
    "is are was were be been being has have had do does did will would can could should "
    "may might must shall that which who whom whose when where while if because although "
    "though than not to but or so there he she they we i it also".split()
)
# sentence adverbs and conjunctions: never the first word of a speaker
_BAD_FIRST = frozenset(
    "and but or so then while as nor yet however meanwhile moreover furthermore instead "
    "still thus therefore indeed also when after before if although though since because "
    "now separately earlier later asked speaking".split()
)
_PREPOSITIONS = frozenset(
    "at in on during to from with by for before after about over under into via of "
    "without through upon amid amidst despite ahead since until near outside inside "
    "while when as".split()
)
_TIME_WORDS = frozenset(
    "last this earlier later yesterday today tonight now recently previously again "
    "publicly repeatedly monday tuesday wednesday thursday friday saturday sunday".split()
)
_BAD_ROLE_START = _PREPOSITIONS | _BAD_FIRST | frozenset(
    "per according which who whom whose where citing adding saying noting speaking "
    "writing if because though although".split()
)
_ORG_WORDS = frozenset(
    "department ministry bank university institute office administration commission "
    "committee council bureau agency association center centre foundation organization "
    "organisation board court republic union house senate congress party group times "
    "post journal news school college academy federation chamber league corporation "
    "company fund society secretariat".split()
)
_NOT_PER = frozenset("cent capita annum person day week month year hour head unit".split())
# capitalised words that start a sentence but are not part of a name that follows
_NAME_PREFIX_NOISE = _PREPOSITIONS | frozenset(
    "a an the on in at as by for after before during when while but and or if this that "
    "last monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december".split()
)
# unions of the lists above, built once rather than at every test
_TITLES_OR_HONORIFICS = _TITLES | _HONORIFICS
_DETERMINERS_OR_CONNECTORS = _DETERMINERS | _CONNECTORS
_PREPOSITIONS_OR_CONNECTORS = _PREPOSITIONS | _CONNECTORS
# words that cannot end a speaker phrase
_BAD_LAST = _CONNECTORS | _DETERMINERS | _PREPOSITIONS
# words after a speaker that start an adverbial, not more of the name
_SPEAKER_FOLLOWERS = _PREPOSITIONS | _TIME_WORDS | frozenset({"who", "which", "whose"})
# words that may follow "..., X said" (an adverbial, or a channel: "per Xinhua")
_ADJUNCT_WORDS = _PREPOSITIONS | _TIME_WORDS | frozenset({"per", "according", "adding"})
# words after ", he said," that do not continue the reported clause
_NOT_CLAUSE_WORDS = _ADJUNCT_WORDS | _BAD_ROLE_START

# --- regular expressions ----------------------------------------------------------

# an adverb between a speaker and the verb: "has", "also", "repeatedly"
_ADV_WORD = (
    r"(?:has|have|had|was|is|would|will|also|further|later|then|once|earlier|again|\w+ly)"
)
_ADV = rf"(?:{_ADV_WORD}\s+){{0,2}}"
_NP = r"[^,;:!?\"“”()\[\]]{1,80}?"
_ROLE = r"[^;:!?\"“”]{1,160}?"
# speaker, verb: `Wang Peng, associate research fellow at ..., told`
# an age or a party label after a name: "Ahmed Khan, 45,", "Kevin McCarthy (R-Calif.)"
_AGE = r"(?:,\s*\d{1,3}|\s*\([^()]{1,25}\))?"
# What follows the speaker phrase starts with a comma (an age, a role), a parenthesis (a
# party label) or whitespace: the lookahead says so, which changes no match and lets the
# engine reject every other end of the lazy phrase at once instead of trying the rest.
_SV_RE = re.compile(
    rf"(?P<np>{_NP})(?=[,(\s]){_AGE}(?:,\s*(?P<role>{_ROLE}),)?\s+{_ADV}(?P<cue>{_VERB})\b"
)
# verb, speaker: `said Liu Liehong, head of the National Data Administration,`
_VS_RE = re.compile(
    rf"(?P<cue>{_INVERTED_VERB})\s+(?P<np>[^,;:!?\"“”()]{{1,120}}?){_AGE}"
    rf"(?:,\s*(?P<role>[^,;:!?\"“”]{{1,160}}?))?\s*(?=[,;:.!?]|$)"
)
# source: `according to Xinhua`, `per a release the company shared`
_SOURCE_RE = re.compile(
    r"(?P<cue>according\s+to|per)\s+(?P<np>[^,;:!?\"“”]{1,160}?)\s*(?=[,;.!?]|$)"
)
_LEADING_CONJUNCTION_RE = re.compile(
    r"(?i)(?:yet|but|and|so|still|however|meanwhile|now|then|also|instead)\s+(?!,)"
)
_TRAILING_TIME_RE = re.compile(
    r"(?i)\s+(?:(?:on|last|this|next|early|late)\s+)?(?:monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|week|month|year|night|morning|afternoon|evening|weekend)$"
    r"|\s+(?:yesterday|today|earlier|later|recently|previously)$"
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')]?\s+")
_QUOTE_MARK_RE = re.compile(r'[“”"]')
# a period that does not end a sentence: "Dr. Jane Smith", "John F. Kennedy", "U.S."
_ABBREVIATED = (
    "Dr Mr Mrs Ms Prof St Jr Sr Gen Sen Rep Gov Col Lt Capt Sgt Adm Inc Co Corp Ltd No Mt Ft"
).split()
# That is r"(?:\b(?:Dr|Mr|...|Ft)|\b[A-Z])\.(?=\s*[A-Z0-9]|\S)" matched from the period,
# which the engine can skip to, with the word before it checked by lookbehinds. The period
# is all that _mask replaces, and those matches cannot overlap: the same periods.
_ABBREVIATION_DOT_RE = re.compile(
    r"\.(?:" + "|".join(rf"(?<=\b{word}\.)" for word in (*_ABBREVIATED, "[A-Z]"))
    + r")(?=\s*[A-Z0-9]|\S)"
)
# what may follow "..., X said": nothing, punctuation, or an adverbial
_ADJUNCT_RE = re.compile(r"\s*(?:$|[,.;:!?)\"”]|(?P<word>[\w’']+))")
_NAME_RUN_RE = re.compile(
    r"[A-Z][\w'’\u2024-]*(?:\s+(?:(?:de|van|von|bin|al|da|di|der)\s+)?[A-Z][\w'’\u2024-]*)+"
)
# ", Beijing is ..." after a mid-sentence attribution
_PARENTHETICAL_RE = re.compile(r"[^,.;:!?]*,\s*(?P<word>[\w’']+)")
_FINAL = ".!?,;: "
_TITLE_OF_RE = re.compile(r"\b(\w+)\s+(?:of|for)\s+(?:the\s+)?$")
_SOURCE_START_RE = re.compile(r"(?i:according\s+to)\s+(?P<np>[^,]{1,120}),\s*")
_CUE_END_RE = re.compile(r"(?P<mid>(?:\s+[^\s,;:!?\"“”]+){0,8}?)\s*,?\s*(?:\bthat\b|:)")

# --- fast paths ---------------------------------------------------------------------
# Cheap tests that prove a pattern cannot match, and cheaper ways to the same numbers, so
# that the costly patterns run only where they may. Each keeps every output exactly as it
# was; tests/test_quotes.py checks them against the plain forms.

# The word tokens of framelens.word_spans that start with a letter or digit: its token
# pattern without the last branch (``\S``, one other character), which changes no other
# token: that branch only takes a character no other branch starts on, and a failed match
# moves on by one character too. A possessive split ("China's" -> "China", "'s") keeps one
# word. The branches follow one leading letter or digit, each checking it with a
# lookbehind, so that the engine can skip ahead to the next letter or digit.
_WORD_TOKEN_RE = re.compile(
    r"""
    [^\W_]
    (?: (?<=[A-Za-z]) \.(?:[A-Za-z]\.)+(?![A-Za-z])    # abbreviations: U.S., e.g.
      | (?<=\d) \d*(?:[.,:/]\d+)*[^\W\d_]*             # numbers: 130,000  3.5  5G
      | (?<=[^\W\d_]) \w*(?:[-'’]\w+)*                 # words: win-win, China's
    )
    """,
    re.VERBOSE,
)
# punctuation that is never part of a word token (no letter, digit, "_" or period)
_EDGE = "\"“”‘’'()[]{},;:!?-–—…*"


def _prefix_alternation(words: Iterable[str]) -> str:
    """A regex for exactly ``words``, factored by common prefixes (``s(?:a(?:id|ys?)...``).

    The same language as ``a|b|...`` (a space stands for ``\\s+``, as in :data:`_VERB`);
    the factored form is faster to search for.
    """
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(sub)
                for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(tree) + ")"


def _after_no_letter(alternation: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``(?<![a-z])alternation`` as two patterns: one to match at the start of a text,
    one to search for after a character other than a-z (``m.start() + 1``), which the
    engine can skip ahead to instead of trying the lookbehind everywhere."""
    return re.compile(alternation), re.compile("[^a-z]" + alternation)


# The speech verbs (_INVERTED_VERB's are among them) where they stand as words: not
# right after or before a lower-case letter, r"(?<![a-z])VERB(?![a-z])". Wherever _SV_RE
# or _VS_RE find a verb in a frame, this finds it too: _SV_RE puts a space before the verb
# and a word boundary after it, and _VS_RE starts at it, where a frame starts after a
# comma, a space or a quotation mark, and puts a space after it.
_VERB_FIRST_RE, _VERB_AFTER_RE = _after_no_letter(
    _prefix_alternation(_SPEECH_VERBS) + r"(?![a-z])")
# The same without the end: their first words where they may start, with anything after
# them. This also finds them in any text a frame is cut from, even cut inside a word.
_CUE_WORDS = frozenset(v.split()[0] for v in _SPEECH_VERBS)
_CUE_FIRST_RE, _CUE_AFTER_RE = _after_no_letter(_prefix_alternation(_CUE_WORDS))
# the same for the source cues: "per" (_SOURCE_RE; matched from the "p" on, which the
# engine can skip to) and "according" in any case (_SOURCE_RE, _SOURCE_START_RE), looked
# for only where the text holds "cord": the only characters that match "c", "o", "r", "d"
# ignoring case are those letters in either case, and str.lower keeps them in a row
_PER_RE = re.compile(r"per(?<![a-z]per)(?=\s)")
_ACCORDING_RE = re.compile(r"(?i)according")
_COMMA_RE = re.compile(",")
_COMMA_SPACE_RE = re.compile(r",\s*")
_CLAUSE_END_RE = re.compile(r"[,.;:!?]")
_INITIALS_END_RE = re.compile(r"\b[A-Z]\.[A-Z]$")
# what ends _SV_RE's speaker phrase, and what ends its role
_NP_STOP_RE = re.compile(r"[,;:!?()\[\]\"“”]")
_ROLE_STOP_RE = re.compile(r"[;:!?\"“”]")
_ADV_WORD_RE = re.compile(_ADV_WORD)


# --- speakers ---------------------------------------------------------------------


class _Voice(NamedTuple):
    """An attribution as found in the text, before names are resolved."""

    mention: str  # as written: "Chinese President Xi Jinping", "he", "a press release"
    name: str  # the mention without titles: "Xi Jinping"
    role: str  # appositive, or the titles before the name
    form: str  # name | pronoun | description | source
    cue: str
    pos: int = 0  # offset of the mention in its paragraph


def _is_cap(token: str) -> bool:
    return token[:1].isupper()


def _one_word(chunk: str) -> bool:
    """Whether a whitespace-free ``chunk`` that is not all letters is one word, with
    only punctuation around it ("said," "(Reuters)" "China."), without the regex.

    :data:`_EDGE` characters around a word are tokens of their own, and so is a final
    period after letters only: it would end an abbreviation ("U.S.") only after another
    period.
    """
    return chunk.strip(_EDGE).removesuffix(".").isalpha()


def _words(text: str) -> int:
    """Number of word tokens in ``text``: :func:`framelens.word_spans` tokens that start
    with a letter or digit (see :data:`_WORD_TOKEN_RE`).

    No token holds whitespace (``str.split`` and ``\\s`` agree on what that is), so the
    whitespace-separated chunks are tokenized on their own; a chunk of letters only is
    one word (so is one with punctuation around, :func:`_one_word`), and only the
    others go to the regex.
    """
    chunks = text.split()
    others = [c for c in filterfalse(str.isalpha, chunks) if not _one_word(c)]
    return len(chunks) - len(others) + len(_WORD_TOKEN_RE.findall(" ".join(others)))


def _word_starts(text: str) -> list[int]:
    """Start offsets of the word tokens of ``text``, as :func:`_words` counts them.

    Chunk by chunk as there, when spaces are the only whitespace (a printable text);
    else with the regex over the whole text.
    """
    if not text.isprintable():
        return [m.start() for m in _WORD_TOKEN_RE.finditer(text)]
    starts = []
    at = 0
    for chunk in text.split(" "):
        if chunk.isalpha():
            starts.append(at)
        elif chunk:
            if _one_word(chunk):
                starts.append(at + len(chunk) - len(chunk.lstrip(_EDGE)))
            else:
                starts.extend([at + m.start() for m in _WORD_TOKEN_RE.finditer(chunk)])
        at += len(chunk) + 1
    return starts


def _has_source(text: str) -> bool:
    """Whether ``text`` may hold a source cue: ``per`` or ``according`` (any case)."""
    return _PER_RE.search(text) is not None or (
        "cord" in text.lower() and _ACCORDING_RE.search(text) is not None
    )


def _has_quote_mark(text: str) -> bool:
    """Whether ``text`` holds a double quotation mark (what :data:`_QUOTE_MARK_RE` finds)."""
    return '"' in text or "“" in text or "”" in text


def _may_attribute(paragraph: str) -> bool:
    """Whether a frame cut from ``paragraph`` anywhere may hold a speech verb or a
    source cue (see :data:`_CUE_WORDS`).

    The verb test first: about half of the paragraphs hold a verb, and its search stops
    at the first, while the source test (a search and a lower-cased copy) reads the
    whole paragraph every time."""
    return bool(_CUE_FIRST_RE.match(paragraph) or _CUE_AFTER_RE.search(paragraph)) or (
        _has_source(paragraph))


def _verb_starts(text: str) -> list[int]:
    """Offsets in the frame ``text`` where a speech verb may start.

    No attribution pattern finds a verb elsewhere, in ``text`` or in a frame cut from it
    after a comma, a space or a quotation mark (see :data:`_VERB_AFTER_RE`).
    """
    starts = [m.start() + 1 for m in _VERB_AFTER_RE.finditer(text)]
    if _VERB_FIRST_RE.match(text):
        starts.insert(0, 0)
    return starts


def _cue_starts(text: str) -> tuple[list[int], list[int]]:
    """Offsets in ``text`` where a speech verb, and where a source cue, may start.

    A frame ``text[i:]`` that does not start right after a lower-case letter holds a cue
    only when one of these offsets is ``i`` or more (see :func:`_verb_starts`,
    :func:`_has_source`).
    """
    sources = [m.start() for m in _PER_RE.finditer(text)]
    if "cord" in text.lower():
        sources = sorted(sources + [m.start() for m in _ACCORDING_RE.finditer(text)])
    return _verb_starts(text), sources


@functools.lru_cache(maxsize=4096)
def _classify(phrase: str) -> tuple[str, str, str] | None:
    """Say whether ``phrase`` is a speaker: ``(form, name, title_role)`` or None.

    Cached: the same phrase is tried by several attribution patterns.
    """
    toks = word_spans(phrase)
    words = [t for t, _, _ in toks]
    lower = [t.lower().rstrip(".") for t in words]
    if len(words) == 1 and lower[0] in _PRONOUNS:
        return "pronoun", phrase, ""
    relative = next((i for i, w in enumerate(lower) if w in ("who", "that")), None)
    if (relative is not None and relative >= 2 and lower[0] in _DETERMINERS
            and len(words) - relative >= 3 and len(words) <= 12):
        # "one person who's been in the room": a description with a relative clause
        head = _classify(phrase[: toks[relative - 1][2]])
        return ("description", phrase, "") if head and head[0] == "description" else None
    if not toks or len(toks) > 9:
        return None
    if len(words) > 1 and lower[-1] in _BAD_LAST:
        return None
    for i, t in enumerate(words):
        if t == "." and not (i and (lower[i - 1] in _ABBREVIATIONS or len(words[i - 1]) == 1)):
            return None
        if not (t[0].isalnum() or t in ("'s", "’s", ".")):
            return None
    if lower[0] in _BAD_FIRST or lower[0] in _CLAUSE_WORDS:
        return None
    if lower[-1] in _ROLE_NOUNS and not any(w in _CLAUSE_WORDS for w in lower):
        return "description", phrase, ""
    if lower[0] not in _DETERMINERS and _is_cap(words[0]) and all(
        _is_cap(t) or low in _CONNECTORS or low in _TITLES or t in ("'s", "’s", ".")
        for t, low in zip(words, lower)
    ):
        titled = [i for i, low in enumerate(lower) if low in _TITLES or low in _HONORIFICS]
        k = titled[-1] if titled else -1
        of = lower.index("of", k + 1) if "of" in lower[k + 1 :] else -1
        if k + 1 < of <= k + 4 and not _ORG_WORDS & set(lower[k + 1 : of]):
            # "Derek Scissors of the American Enterprise Institute", "Rep. Adam Schiff of
            # California": the name, then an affiliation
            role = phrase[: toks[k][2]] if k >= 0 and lower[k] not in _HONORIFICS else ""
            name = phrase[toks[k + 1][1] : toks[of - 1][2]]
            return "name", name, role or phrase[toks[of][1] :]
        if k >= 0 and k + 1 < len(words) and lower[k + 1] in _CONNECTORS:
            k = _title_phrase_end(words, k)
        rest = [i for i in range(k + 1, len(words)) if words[i] != "."]
        if not rest:
            return "description", phrase, ""
        if not all(_is_cap(words[i]) or lower[i] in _CONNECTORS for i in rest):
            return None
        name = phrase[toks[rest[0]][1] : toks[rest[-1]][2]]
        role_end = k - 1 if k >= 0 and lower[k] in _HONORIFICS else k  # Mr/Ms: no role
        if role_end + 1 < len(words) and words[role_end + 1] == "." and role_end >= 0:
            role_end += 1  # keep the abbreviation's period: "Gov.", "Dr."
        role = phrase[: toks[role_end][2]] if role_end >= 0 else ""
        return "name", name, role
    if any(w in _CLAUSE_WORDS for w in lower[1:]):
        return None
    # "Passion Capital tech investor Eileen Burbidge": a descriptor, then a full name
    tail = len(words)
    while tail > 0 and (_is_cap(words[tail - 1]) or words[tail - 1] == "."):
        tail -= 1
    if 0 < tail < len(words) and words[tail - 1].islower() and (
        lower[tail - 1] not in _DETERMINERS_OR_CONNECTORS
    ):
        titled = [i for i in range(tail, len(words)) if lower[i] in _TITLES_OR_HONORIFICS]
        first = titled[-1] + 1 if titled else tail
        names = [i for i in range(first, len(words)) if words[i] != "."]
        if len(names) >= (1 if titled else 2):
            role_end = titled[-1] if titled and lower[titled[-1]] not in _HONORIFICS else tail - 1
            return "name", phrase[toks[names[0]][1] :], phrase[: toks[role_end][2]]
    if lower[0] in _DETERMINERS and len(words) > 1:
        return "description", phrase, ""
    return None


@functools.lru_cache(maxsize=4096)
def _mask(text: str) -> str:
    """``text`` with abbreviation periods and quotation marks replaced (same length).

    Patterns can then stop at a period that ends a sentence, and read through a scare
    term inside an attribution (``Adrienne Watson, the DNC's "War Room" director, told``).
    """
    text = _ABBREVIATION_DOT_RE.sub("\u2024", text)
    # double quotation marks become single ones (str.replace beats str.translate here)
    return text.replace('"', "'").replace("“", "‘").replace("”", "’")


def _title_phrase_end(words: list[str], k: int) -> int:
    """Last index of a title phrase such as "Secretary of State" before a name.

    The name is taken to be its last two words, with any initials between them.
    """
    i, picked = len(words) - 1, 0
    while i > k and picked < 2:
        if words[i] == "." or len(words[i]) == 1:
            i -= 1
            continue
        if not _is_cap(words[i]):
            break
        picked += 1
        i -= 1
    return i


def _role_status(role: str) -> str:
    """``"ok"`` for an appositive role, ``"relative"`` for ``which/who ...``, else ``"bad"``."""
    toks = [t for t, _, _ in word_spans(role)]
    if not toks or len(toks) > 24:
        return "bad"
    first = toks[0].lower()
    if not toks[0][0].isalnum():
        return "bad"
    if first in ("which", "who", "whose"):
        return "relative"
    if first in _BAD_ROLE_START or (toks[0].islower() and first.endswith("ing")):
        return "bad"
    return "ok"


def _voice(
    phrase: str,
    role: str | None,
    cue: str,
    pos: int,
    *,
    allow_trailing: bool = False,
    strict_role: bool = True,
) -> _Voice | None:
    """Build a voice from a speaker phrase, or None when it is not one.

    With ``allow_trailing`` a prefix of ``phrase`` followed by an adverbial may do; with
    ``strict_role`` an appositive that is not a role rejects the whole phrase. ``pos``
    is the offset of ``phrase`` in its paragraph.
    """
    found = _voice_at(phrase, role, cue, allow_trailing, strict_role)
    # found._replace(pos=...), built directly: NamedTuple._replace is a slow generic path
    return _Voice(*found[:5], found.pos + pos) if found else None


@functools.lru_cache(maxsize=8192)
def _voice_at(
    phrase: str, role: str | None, cue: str, allow_trailing: bool, strict_role: bool
) -> _Voice | None:
    """:func:`_voice` of a phrase at offset 0 (cached: attributions repeat, "he said")."""
    status = _role_status(role) if role else "none"
    if status == "bad" and strict_role:
        return None
    stripped = _TRAILING_TIME_RE.sub("", phrase.strip())
    pos = len(phrase) - len(phrase.lstrip())
    found = _classify(stripped)
    if found is None and allow_trailing:
        toks = word_spans(stripped)
        for n in range(len(toks) - 1, 0, -1):
            follower = toks[n][0].lower()
            if follower in _SPEAKER_FOLLOWERS or (
                n >= 2 and follower.endswith("ed") and toks[n][0].islower()
            ):
                found = _classify(stripped[: toks[n - 1][2]])
                if found:
                    stripped = stripped[: toks[n - 1][2]]
                    role = None
                    break
    if found is None:
        return None
    form, name, title_role = found
    appositive = " ".join(role.split()) if role and status == "ok" else ""
    named = _classify(appositive) if form == "description" and appositive else None
    if named and named[0] == "name" and " " in named[1]:
        # "the Hong Kong politician, Lau Nai-keung": the appositive is the name
        form, name, title_role, appositive = "name", named[1], "", stripped
    cue = " ".join(cue.lower().split())
    return _Voice(stripped, name, appositive or title_role, form, cue, pos)


def _verb_may_end(masked: str, verbs: list[int]) -> bool:
    """Whether a speech verb in the frame ``masked`` may stand near enough to its end for
    :func:`_before_attribution` to accept it before a direct quote.

    It accepts a verb followed by nothing but spaces and commas, by at most eight words,
    or by at most eight words and ``that`` or ``:`` (with a comma before: ten chunks).
    With the verb's own one or two words, a frame from the last possible verb on then
    has at most twelve whitespace-separated chunks, or two once commas are spaces.
    ``verbs`` are the offsets where a verb may start (:func:`_verb_starts`).
    """
    if not verbs:
        return False
    tail = masked[verbs[-1] :]
    return len(tail.split()) <= 12 or len(tail.replace(",", " ").split()) <= 2


def _sv_may_match(masked: str, at: int, verbs: list[int]) -> bool:
    """Whether :data:`_SV_RE` may match ``masked`` at ``at``; False is a proof.

    ``verbs`` are the offsets where a speech verb may start (:func:`_verb_starts`). The
    speaker phrase stops at the first of ``,;:!?()[]`` and quotation marks, and the
    adverbs between it and the verb are words and spaces: the verb stands before that
    stop, unless the stop is a parenthesis (a party label) or a comma (an age or an
    appositive role); a role still stops at ``;:!?`` and quotation marks.

    When every verb stands after that comma, the phrase must end at the comma (within
    its 80 characters), and the verb must follow the role's closing comma or the age,
    with at most two adverbs between (:func:`_after_role_or_age`).
    """
    i = bisect_right(verbs, at)  # the first verb after at
    if i == len(verbs):
        return False
    stop = _NP_STOP_RE.search(masked, at)
    if stop is None or verbs[i] < stop.start():
        return True
    kind, comma = stop.group(), stop.start()
    if kind != ",":
        return kind == "("
    if not 0 < comma - at <= 80:
        return False
    role_stop = _ROLE_STOP_RE.search(masked, comma)
    end = role_stop.start() if role_stop is not None else len(masked)
    return any(_after_role_or_age(masked, comma, v) for v in verbs[i:] if v < end)


def _after_role_or_age(masked: str, comma: int, verb: int) -> bool:
    """Whether :data:`_SV_RE` may reach the verb at ``verb`` from a comma at ``comma``
    that ends its speaker phrase; False is a proof.

    From there it reaches a verb only as ``, role, ADV verb`` or ``, 45 ADV verb``: the
    verb follows whitespace and at most two adverbs (:data:`_ADV_WORD`, each a whole
    whitespace-separated chunk), and before them stands a comma or a digit.
    """
    if not masked[verb - 1].isspace():
        return False
    chunks = masked[comma:verb].rsplit(None, 2)  # starts with the comma's chunk
    for n in range(len(chunks)):
        last = chunks[-1 - n]
        if last[-1] == "," or last[-1].isdecimal():
            return True
        if n == 2 or not _ADV_WORD_RE.fullmatch(last):
            return False
    return False


def _source_voice(phrase: str, cue: str, pos: int) -> _Voice | None:
    """A source after according to/per, cut before a relative clause."""
    toks = word_spans(phrase.strip())
    if not toks:
        return None
    first = toks[0][0]
    cue = " ".join(cue.lower().split())
    if cue == "per" and (first.lower() in _NOT_PER or not (_is_cap(first) or
                                                            first.lower() in _DETERMINERS)):
        return None
    if not (_is_cap(first) or first.lower() in _DETERMINERS or first.isalpha()):
        return None
    cut = len(toks)
    for i in range(1, len(toks)):
        low, prev = toks[i][0].lower(), toks[i - 1][0].lower()
        if low in ("which", "that", "who", "whose") or (
            i >= 2 and low.endswith("ed") and toks[i][0].islower()
        ):
            cut = i
            break
        if i >= 2 and low in _DETERMINERS and prev not in _PREPOSITIONS_OR_CONNECTORS:
            cut = i
            break
    words = [i for i in range(cut) if toks[i][0][0].isalnum()]
    if len(words) > 10:
        cut = words[10]
    text = phrase.strip()[: toks[cut - 1][2]]
    offset = pos + len(phrase) - len(phrase.lstrip())
    return _Voice(text, text, "", "source", cue, offset)


def _after_attribution(
    frame: str,
    offset: int,
    *,
    sources: bool = True,
    verbs: list[int] | None = None,
    masked: str | None = None,
) -> tuple[_Voice, int] | None:
    """Speaker right after a quote or a reported clause: ``, Liu said`` / ``, said Liu``.

    Returns the voice and where the attribution ends in ``frame``. With ``sources``,
    ``according to X`` and ``per X`` count too. ``verbs`` are the offsets in ``frame``
    where a speech verb may start (:func:`_verb_starts`; found when None): the verb
    patterns are tried only where one may match. ``masked`` is ``_mask(frame)`` when the
    caller has it.
    """
    if verbs is None:
        verbs = _verb_starts(frame)
    if not verbs and not sources:
        return None
    lead = len(frame) - len(frame.lstrip(" ,\u00a0"))
    rest = frame[lead:]
    # the lead is spaces and commas, which _mask leaves alone and which end no word
    masked = masked[lead:] if masked is not None else _mask(rest)
    at = offset + lead
    if lead:
        verbs = [v - lead for v in verbs if v >= lead]
    m = _SV_RE.match(masked) if _sv_may_match(masked, 0, verbs) else None
    if m:
        voice = _voice(_group(rest, m, "np"), _group(rest, m, "role"), m["cue"],
                       at + m.start("np"))
        follower = _ADJUNCT_RE.match(masked, m.end())
        word = (follower["word"] or "").lower() if follower else "?"
        # an object is fine after told/asked, but not a long one: "Obama asked the FCC to";
        # one word and an adverbial is an object too: "told reporters outside the Port of
        # Newark"
        words = _CLAUSE_END_RE.split(masked[m.end() :], maxsplit=1)[0].split()
        short_object = voice is not None and voice.cue in _OBJECT_VERBS and (
            len(words) <= 5
            or len(words) >= 2 and words[1].lower() in _ADJUNCT_WORDS and words[1] != "to")
        if voice and (
            not word
            or word in _ADJUNCT_WORDS
            or short_object
        ):
            return voice, lead + m.end()
    m = _VS_RE.match(masked) if verbs and verbs[0] == 0 else None  # a verb first
    if m:
        voice = _voice(_group(rest, m, "np"), _group(rest, m, "role"), m["cue"],
                       at + m.start("np"), allow_trailing=True, strict_role=False)
        if voice:
            return voice, lead + m.end()
    m = _SOURCE_RE.match(masked) if sources else None
    if m:
        voice = _source_voice(_group(rest, m, "np"), m["cue"], at + m.start("np"))
        return (voice, lead + m.end()) if voice else None
    return None


def _group(text: str, m: re.Match[str], name: str) -> str | None:
    """Group ``name`` of a match on the masked ``text``, taken from ``text`` itself."""
    if m.start(name) < 0:
        return None
    end = m.end(name)
    if text[end : end + 1] == "." and _INITIALS_END_RE.search(text[:end]):
        end += 1  # "the U.S." at the end of a sentence keeps its last period
    return text[m.start(name) : end]


def _before_attribution(
    frame: str, offset: int, *, need_cue_end: bool, verbs: list[int] | None = None
) -> tuple[_Voice, int] | None:
    """Speaker at the start of ``frame``: ``Xi also said that``, ``Yu ..., said at the expo:``.

    Returns the voice and the offset in ``frame`` where the content starts. With
    ``need_cue_end`` (a direct quote follows) the cue must end the frame. ``verbs`` are
    the offsets in ``frame`` where a speech verb may start (:func:`_verb_starts`; found
    when None): without one, only ``According to X,`` is tried.
    """
    if verbs is None:
        verbs = _verb_starts(frame)
    if not verbs and _ACCORDING_RE.search(frame) is None:
        return None
    masked = _mask(frame)
    # before a quote, a speaker found by _SV_RE gives a voice only when its verb stands
    # near the frame's end; when none does, only "According to X," is left to find
    verb_may_end = not need_cue_end or not verbs or _verb_may_end(masked, verbs)
    # the speaker may follow an introductory phrase: "In a statement, the company said";
    # before a direct quote it usually stands right before the quote, after any comma
    commas = [m.end() for m in _COMMA_SPACE_RE.finditer(masked if need_cue_end else masked[:150])]
    starts = [0] + (commas[-8:] if need_cue_end else commas[:2])
    conjunction = _LEADING_CONJUNCTION_RE.match(masked)
    if conjunction:  # "Yet Rep. T.J. Cox, a Democrat from ..., said"
        starts[0] = conjunction.end()
    for s in starts:
        if not verb_may_end and not _SOURCE_START_RE.match(masked, s):
            continue  # whether or not _SV_RE matches here, this start gives nothing
        m = _SV_RE.match(masked, s) if _sv_may_match(masked, s, verbs) else None
        if not m:
            src = _SOURCE_START_RE.match(masked, s)
            if src:
                voice = _source_voice(_group(frame, src, "np"), "according to",
                                      offset + src.start("np"))
                if voice:
                    return voice, src.end()
            continue
        voice = _voice(_group(frame, m, "np"), _group(frame, m, "role"), m["cue"],
                       offset + m.start("np"))
        if not voice:
            continue
        cue = voice.cue
        tail = masked[m.end() :]
        # (the pattern ends in "that" or ":")
        sep = _CUE_END_RE.match(tail) if "that" in tail or ":" in tail else None
        if sep:
            mid = sep["mid"].split()
            ok = (
                not mid
                or mid[0].lower() in _PREPOSITIONS
                or mid[0].lower() in _TIME_WORDS
                or (cue in _OBJECT_VERBS and len(mid) <= 6)
            )
            if ok and (not need_cue_end or not tail[sep.end() :].strip()):
                return voice, m.end() + sep.end()
        if need_cue_end:
            # `X said, "...`, `X told reporters "...`, or a partial quote: `X said the plan
            # was "a disaster"`; not `it said, while praising Beijing's "...`
            rest = tail.strip()
            words = rest.split()
            if rest.startswith(","):
                if rest.strip(" ,"):
                    continue
            elif len(words) > 8 or (cue in _OBJECT_VERBS and len(words) > 4):
                continue
            return voice, len(frame) if not words or rest.startswith(",") else m.end()
        if cue in _CLAUSE_VERBS:
            content = tail.lstrip()
            first = content.split(" ", 1)[0].lower().strip(",")
            if (first and first not in _PREPOSITIONS and first not in _TIME_WORDS
                    and len(content.split()) >= 4):
                return voice, len(frame) - len(content)
    return None


# --- direct quotes ----------------------------------------------------------------


@dataclass
class _Quote:
    para: int  # position of the paragraph in the article
    start: int
    end: int
    kind: str
    voice: _Voice | None
    open_at: int = 0
    close_at: int = 0
    closed: bool = True
    standalone: bool = False
    partial: bool = False
    linked: bool = False
    n_words: int = 0  # words of its text, counted once where a rule first needs them


def _quote_marks(text: str) -> list[tuple[int, int, bool]]:
    """Pairs of double quotation marks: ``(open, close, closed)``; unclosed runs to the end."""
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for m in _QUOTE_MARK_RE.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "“" or (ch == '"' and open_at is None):
            open_at = i
        elif ch in '”"' and open_at is not None:
            spans.append((open_at, i, True))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text), False))
    return spans


def _content(text: str, start: int, end: int, *, final: str = ",;:") -> tuple[int, int]:
    """Shrink ``[start, end)`` past spaces and trailing ``final`` punctuation."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in final):
        end -= 1
    return start, end


def _is_inline(text: str, mark: tuple[int, int, bool]) -> bool:
    """A short closed quote such as a scare term: at most four words."""
    o, c, closed = mark
    return closed and _words(text[o + 1 : c]) <= 4


def _attribution(
    text: str, marks: list[tuple[int, int, bool]], i: int, *, reach: bool
) -> tuple[_Voice, bool] | None:
    """The attribution of quote ``i``: after it, before it, then according to/per.

    Returns the voice and whether the quote is partial: a fragment inside its speaker's
    sentence (``X said the plan was "a disaster"``). With ``reach``, the frames read
    through short inline quotes next to the quote (``Adrienne Watson, the DNC's "War
    Room" director, told me``).
    """
    masked = _mask(text)
    o, c, closed = marks[i]
    j = i + 1
    while reach and j < len(marks) and _is_inline(text, marks[j]) and not (
        _SENTENCE_END_RE.search(masked, c + 1, marks[j][0])
    ):
        j += 1
    after = text[c + 1 : marks[j][0] if j < len(marks) else len(text)] if closed else ""
    k = i - 1
    while reach and k >= 0 and _is_inline(text, marks[k]) and not (
        _SENTENCE_END_RE.search(masked, marks[k][1], o)
    ):
        k -= 1
    before_start = marks[k][1] + 1 if k >= 0 else 0
    for m in _SENTENCE_END_RE.finditer(masked, before_start, o):
        before_start = m.end()
    before = text[before_start:o]
    # `"... bias." He added, "This is ...`: the attribution introduces the next quote
    introduces_next = (
        text[o + 1 : c].rstrip().endswith(".")
        and j < len(marks)
        and after.rstrip().endswith((",", ":"))
    )
    found = None
    look_after = bool(after.strip(" ,")) and not introduces_next
    verbs_after = _verb_starts(after) if look_after else []
    if verbs_after:  # without a verb, this call finds nothing
        found = _after_attribution(after, c + 1, sources=False, verbs=verbs_after)
    if found is None and before.strip():
        ahead = _before_attribution(before, before_start, need_cue_end=True)
        if ahead:
            return ahead[0], bool(before[ahead[1] :].strip(" ,"))
    if found is None and look_after and _has_source(after):
        # the verb patterns gave nothing above: only according to/per is left to try
        found = _after_attribution(after, c + 1, verbs=[])
    return (found[0], False) if found else None


def _reaches_further(
    text: str, masked: str, marks: list[tuple[int, int, bool]], i: int
) -> bool:
    """Whether :func:`_attribution` with ``reach`` reads other frames than without it.

    When it does not, both give the same answer, and the second call can be left out.
    """
    o, c, _ = marks[i]
    nxt = marks[i + 1] if i + 1 < len(marks) else None
    prev = marks[i - 1] if i else None
    return bool(
        (nxt and _is_inline(text, nxt) and not _SENTENCE_END_RE.search(masked, c + 1, nxt[0]))
        or (prev and _is_inline(text, prev)
            and not _SENTENCE_END_RE.search(masked, prev[1], o))
    )


def _direct_quotes(text: str, para: int) -> list[_Quote]:
    marks = _quote_marks(text)
    masked = _mask(text)
    quotes: list[_Quote] = []
    for i, (o, c, closed) in enumerate(marks):
        start, end = _content(text, o + 1, c)
        if start >= end:
            continue
        found = _attribution(text, marks, i, reach=False)
        if found is None and _reaches_further(text, masked, marks, i):
            found = _attribution(text, marks, i, reach=True)
        voice, partial = found if found else (None, False)
        prev_close = marks[i - 1][1] + 1 if i else 0
        before_start = prev_close
        for m in _SENTENCE_END_RE.finditer(masked, prev_close, o):
            before_start = m.end()
        after = text[c + 1 : marks[i + 1][0] if i + 1 < len(marks) else len(text)]
        inner = text[o + 1 : c].rstrip()
        standalone = not text[before_start:o].strip(" —–-") and (
            not closed
            or inner[-1:] in ".!?,;:…—–-"
            or after.lstrip()[:1] in ("", ".", "!", "?")
            or voice is not None
        )
        quotes.append(
            _Quote(para, start, end, "direct", voice, o, c, closed, standalone, partial=partial)
        )
    return quotes


def _accept_direct(quotes_by_para: list[list[_Quote]], texts: Sequence[str]) -> list[_Quote]:
    """Share attributions within a paragraph and across an unclosed quote, then filter."""
    prev_open: _Quote | None = None
    for quotes in quotes_by_para:
        attributed = [q for q in quotes if q.voice is not None]
        for q in quotes:
            if q.voice is None and q.standalone and attributed:
                before = [a for a in attributed if a.start < q.start]
                q.voice = (before[-1] if before else attributed[0]).voice
                q.linked = True
        if quotes and prev_open is not None:
            first = quotes[0]
            para_text = texts[first.para]
            if first.standalone and not para_text[: first.open_at].strip():
                if first.voice is None:
                    first.voice = prev_open.voice
                elif prev_open.voice is None:
                    prev_open.voice = first.voice
                first.linked = prev_open.linked = True
        prev_open = quotes[-1] if quotes and not quotes[-1].closed else None
    accepted = []
    for quotes in quotes_by_para:
        for q in quotes:
            n = q.n_words = _words(texts[q.para][q.start : q.end])
            if q.voice is not None or (q.linked and q.standalone) or (
                q.standalone and n >= MIN_UNATTRIBUTED_WORDS
            ):
                accepted.append(q)
    return accepted


# --- reported speech --------------------------------------------------------------


def _reported(sentence: str, offset: int, para: int) -> list[_Quote]:
    """Reported speech in one sentence without direct quotes: zero, one or two parts.

    Two parts come from an attribution in the middle of the sentence
    (``Without clear demands, he argued, Beijing is unlikely to offer much``).
    """
    cues = _cue_starts(sentence)
    verbs, sources = cues
    if not verbs and not sources:  # no attribution pattern can match
        return []
    found = _before_attribution(sentence, offset, need_cue_end=False, verbs=verbs)
    if found:
        voice, at = found
        start, end = _content(sentence, at, _channel_start(sentence, at, cues), final=_FINAL)
        n = _words(sentence[start:end])
        if n >= 3:
            return [_Quote(para, offset + start, offset + end, "reported", voice, n_words=n)]
    last = max(verbs[-1] if verbs else -1, sources[-1] if sources else -1)
    masked = _mask(sentence)
    for m in _COMMA_RE.finditer(sentence, 0, last):
        # the frame after a comma holds the cues that start after the comma; it masks
        # as the sentence does, since the comma ends no word
        after = _after_attribution(sentence[m.end() :], offset + m.end(),
                                   sources=bool(sources) and sources[-1] >= m.end(),
                                   verbs=_shifted(verbs, m.end()),
                                   masked=masked[m.end() :])
        if after is None:
            continue
        voice, attribution_end = after
        start, end = _content(sentence, 0, m.start())
        n = _words(sentence[start:end])
        if n < 3:
            continue
        parts = [_Quote(para, offset + start, offset + end, "reported", voice, n_words=n)]
        rest = _PARENTHETICAL_RE.match(masked, m.end() + attribution_end)
        if rest and _continues_clause(rest["word"]):
            start, end = _content(sentence, rest.start("word"), len(sentence), final=_FINAL)
            n = _words(sentence[start:end])
            if n >= 3:
                parts.append(
                    _Quote(para, offset + start, offset + end, "reported", voice, n_words=n))
        return parts
    return []


def _channel_start(
    sentence: str, at: int, cues: tuple[list[int], list[int]]
) -> int:
    """Where a closing channel attribution starts, after the content that begins at ``at``.

    ``Liu said the two sides will ..., China's official Xinhua news agency reported.``
    ``cues`` is :func:`_cue_starts` of ``sentence``: commas after the last cue are skipped.
    """
    verbs, sources = cues
    last = max(verbs[-1] if verbs else -1, sources[-1] if sources else -1)
    masked = _mask(sentence)
    for m in _COMMA_RE.finditer(sentence, at, last):
        cut = m.start()
        after = _after_attribution(sentence[cut + 1 :], 0,
                                   sources=bool(sources) and sources[-1] > cut,
                                   verbs=_shifted(verbs, cut + 1),
                                   masked=masked[cut + 1 :])
        if after and not sentence[cut + 1 + after[1] :].strip(" .!?") or (
            after and after[0].form == "source"
        ):
            return cut
    return len(sentence)


def _shifted(offsets: list[int], at: int) -> list[int]:
    """The sorted ``offsets`` from ``at`` on, counted from ``at``: offsets in a frame."""
    return [o - at for o in offsets[bisect_left(offsets, at) :]]


def _continues_clause(word: str) -> bool:
    """Whether ``word`` after ``, he said,`` starts the rest of the reported clause."""
    low = word.lower()
    return not (
        low in _NOT_CLAUSE_WORDS
        or (word.islower() and low.endswith("ing"))
    )


def _sentence_offsets(text: str, sentences: Iterable[str]) -> list[tuple[int, int]]:
    spans, at = [], 0
    for sent in sentences:
        i = text.find(sent, at)
        if i < 0:
            continue
        spans.append((i, i + len(sent)))
        at = i + len(sent)
    return spans


def _own_sentence_offsets(kind: object, text: str) -> Sequence[tuple[int, int]]:
    """``_sentence_offsets(text, _sentences(kind, text))``, without cutting the sentences.

    That finds each sentence from where the previous one ends: at its own span when the
    span starts there, or after whitespace only at a character that is not whitespace
    (no earlier offset can then start the sentence's text). The spans are returned as
    they are when every one does; otherwise the sentences are found the plain way.
    """
    spans = sentence_spans(text, kind=str(kind))
    at = 0
    for start, end in spans:
        if start != at and not (
            at < start < end and text[at:start].isspace() and not text[start].isspace()
        ):
            return _sentence_offsets(text, [text[s:e] for s, e in spans])
        at = end
    return spans


# --- name resolution --------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _name_run_tokens(run: str) -> tuple[tuple[tuple[str, int, int], ...], int]:
    """Tokens of a run of capitalised words after its leading noise words and titles,
    and how many of them are not ``'s`` or ``.`` (cached: runs are names)."""
    toks = word_spans(run)
    while toks and toks[0][0].lower() in _NAME_PREFIX_NOISE:
        toks = toks[1:]
    titled = [i for i, (t, _, _) in enumerate(toks)
              if t.lower().rstrip(".") in _TITLES_OR_HONORIFICS]
    if titled:
        toks = toks[titled[-1] + 1 :]
    return tuple(toks), sum(t not in ("'s", "’s", ".") for t, _, _ in toks)


def _full_names(text: str) -> list[tuple[int, str, frozenset[str]]]:
    """Candidate full names in ``text``: ``(offset, name, name tokens)``, titles stripped."""
    found = []
    for m in _NAME_RUN_RE.finditer(_mask(text)):
        toks, n_words = _name_run_tokens(text[m.start() : m.end()])
        if n_words < 2:
            continue  # what follows only drops tokens: no name of two or more words
        # a title phrase ("Secretary of State Mike Pompeo") ends in a space right before
        title_of = _TITLE_OF_RE.search(text, max(0, m.start() - 40), m.start()) if (
            text[m.start() - 1 : m.start()].isspace()) else None
        if title_of and title_of[1].lower() in _TITLES:  # "Secretary of State Mike Pompeo"
            toks = toks[_title_phrase_end([t for t, _, _ in toks], -1) + 1 :]
        toks = [t for t in toks if t[0] not in ("'s", "’s", ".")]
        if 2 <= len(toks) <= 4 and all(_is_cap(t) for t, _, _ in toks):
            name = text[m.start() + toks[0][1] : m.start() + toks[-1][2]]
            found.append((m.start() + toks[0][1], name, frozenset(t for t, _, _ in toks)))
    return found


def _resolve(quotes: list[_Quote], texts: Sequence[str]) -> list[tuple[_Quote, str]]:
    """Pair each quote with its speaker, in reading order."""
    names: dict[int, list[tuple[int, str, frozenset[str]]]] = {}

    def latest(here: tuple[int, int], token: str | None = None) -> str | None:
        """The latest full name before ``here`` (containing ``token``), None if none.

        The ``max`` of ``(paragraph, offset, name)`` over all earlier full names, found
        paragraph by paragraph from ``here`` back: the first paragraph with one holds the
        maximum. A paragraph is read only when needed, and not at all when its text
        lacks ``token``.
        """
        para = here[0]
        for p in range(para, -1, -1):
            if token is not None and token not in texts[p]:
                continue
            if p not in names:
                names[p] = _full_names(texts[p])
            earlier = [(off, name) for off, name, toks in names[p]
                       if (token is None or token in toks) and (p, off) < here]
            if earlier:
                return max(earlier)[1]
        return None

    last_speaker = last_person = ""
    out = []
    for q in sorted(quotes, key=lambda q: (q.para, q.start)):
        v = q.voice
        speaker = ""
        if v is not None:
            speaker = v.name
            here = (q.para, v.pos)
            if v.form == "pronoun" and v.name.lower() in ("he", "she"):
                speaker = last_person
                if not speaker:
                    speaker = latest(here) or ""
            elif v.form == "pronoun":
                speaker = last_speaker
            elif v.form == "name" and " " not in v.name:
                speaker = latest(here, v.name) or speaker
            if speaker and v.form != "source":
                last_speaker = speaker
                if v.form in ("name", "pronoun"):
                    last_person = speaker
        out.append((q, speaker))
    return out


# --- public API -------------------------------------------------------------------


_PARAGRAPHS_FIX = "pass the output of framelens.split_paragraphs (one row per paragraph)."


def _article_rows(paragraphs: pd.DataFrame) -> list[tuple[object, list[int]]]:
    """Row positions of each article's paragraphs, in reading order.

    Parameters
    ----------
    paragraphs : DataFrame with ``article_id`` and ``paragraph_id``.

    Returns
    -------
    list of ``(article_id, positions)``, articles in order of first appearance, positions
    sorted by ``paragraph_id`` (ties in table order). Rows without an ``article_id`` are
    left out. This is ``groupby("article_id", sort=False)`` with each group sorted, done
    with one sort and plain Python instead of a DataFrame per article.
    """
    keys = pd.DataFrame({"paragraph_id": paragraphs["paragraph_id"].array,
                         "_order": np.arange(len(paragraphs))})
    reading = keys.sort_values(["paragraph_id", "_order"], kind="stable")["_order"].tolist()
    aids = paragraphs["article_id"].tolist()
    missing = paragraphs["article_id"].isna().tolist()
    groups: dict[object, list[int]] = {}
    for aid, absent in zip(aids, missing):  # articles in order of first appearance
        if not absent:
            groups.setdefault(aid, [])
    for i in reading:
        if not missing[i]:
            groups[aids[i]].append(i)
    return list(groups.items())


def _sentences(kind: object, text: str) -> list[str]:
    """The sentences :func:`framelens.split_sentences` gives for one paragraph."""
    return [text[start:end] for start, end in sentence_spans(text, kind=str(kind))]


def extract_quotes(
    paragraphs: pd.DataFrame, *, kinds: Sequence[str] = _DEFAULT_KINDS
) -> pd.DataFrame:
    """Find direct quotes and reported speech, and who said them.

    Parameters
    ----------
    paragraphs : DataFrame with ``article_id, paragraph_id, kind, text``, as returned by
        :func:`framelens.split_paragraphs`.
    kinds : paragraph kinds searched for quotes. All paragraphs still serve to resolve
        short names ("Liu") to full ones ("Liu Liehong").

    Returns
    -------
    DataFrame, one row per quote, in reading order, with columns
    ``article_id, paragraph_id, quote_id, kind, speaker, speaker_mention, role, cue,
    text, start, end, n_words``. ``quote_id`` counts from 0 within each article;
    ``kind`` is ``"direct"`` (inside quotation marks) or ``"reported"``; ``speaker`` is
    the resolved name or description ("" when the text names none); ``speaker_mention``
    the words at this quote ("Xi", "he"); ``role`` the appositive or title ("" when
    none); ``cue`` the speech verb, "according to" or "per"; ``text`` the quoted or
    reported content, equal to ``paragraph text[start:end]``; ``n_words`` its word count.
    See the module docstring for the rules.

    Examples
    --------
    >>> paras = pd.DataFrame({"article_id": ["a", "a"], "paragraph_id": [1, 2],
    ...     "kind": ["body", "body"],
    ...     "text": ['"We will win," Jane Doe, a city councillor, said.',
    ...              "The plan is sound and the money is there, she added."]})
    >>> cols = ["kind", "speaker", "speaker_mention", "role", "text"]
    >>> extract_quotes(paras)[cols].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['direct', 'Jane Doe', 'Jane Doe', 'a city councillor', 'We will win'],
     ['reported', 'Jane Doe', 'she', '', 'The plan is sound and the money is there']]
    """
    require_columns(paragraphs, _PARAGRAPH_COLUMNS, helper="extract_quotes", fix=_PARAGRAPHS_FIX)
    wanted = {kinds} if isinstance(kinds, str) else set(kinds)
    all_aids = paragraphs["article_id"].tolist()
    all_pids = paragraphs["paragraph_id"].tolist()
    all_kinds = paragraphs["kind"].tolist()
    all_texts = [t if isinstance(t, str) else "" for t in paragraphs["text"].tolist()]
    # the searched paragraphs' rows by (article, paragraph id): their sentences, as
    # split_sentences would give them, are joined per key, and split only when needed
    keyed: dict[tuple[object, object], list[int]] = {}
    for r, (aid, pid, kind) in enumerate(zip(all_aids, all_pids, all_kinds)):
        if kind in wanted:
            keyed.setdefault((aid, pid), []).append(r)
    rows = []
    for aid, positions in _article_rows(paragraphs):
        texts = [all_texts[r] for r in positions]
        pids = [all_pids[r] for r in positions]
        searched = [i for i, r in enumerate(positions) if all_kinds[r] in wanted]
        # a paragraph without a double quotation mark holds no direct quote
        direct = _accept_direct(
            [_direct_quotes(texts[i], i) if _has_quote_mark(texts[i]) else [] for i in searched],
            texts,
        )
        quotes = list(direct)
        taken: dict[int, list[tuple[int, int]]] = {}
        for q in direct:
            if not q.partial:
                taken.setdefault(q.para, []).append((q.open_at, q.close_at + 1))
        for i in searched:
            if not _may_attribute(texts[i]):
                continue  # no sentence of it can be reported speech: skip the splitting
            here = taken.get(i, [])
            same_key = keyed[(aid, pids[i])]
            if same_key == [positions[i]]:  # the paragraph alone has its id
                spans = _own_sentence_offsets(all_kinds[positions[i]], texts[i])
            else:
                spans = _sentence_offsets(texts[i], [
                    sent for r in same_key for sent in _sentences(all_kinds[r], all_texts[r])])
            for s, e in spans:
                if not any(s < qe and qs < e for qs, qe in here):
                    quotes.extend(_reported(texts[i][s:e], s, i))
        for qid, (q, speaker) in enumerate(_resolve(quotes, texts)):
            v = q.voice
            body = texts[q.para][q.start : q.end]
            rows.append((  # n_words: _words(body), counted when the quote was found
                aid, pids[q.para], qid, q.kind, speaker,
                v.mention if v else "", v.role if v else "", v.cue if v else "",
                body, q.start, q.end, q.n_words,
            ))
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return out.astype({"paragraph_id": "int64", "quote_id": "int64", "start": "int64",
                       "end": "int64", "n_words": "int64"})


def _covered(starts: list[int], spans: list[tuple[int, int, object]]) -> tuple[int, int]:
    """Count words in direct and in reported spans only; a word in both is direct.

    Parameters
    ----------
    starts : sorted start offsets of the paragraph's words.
    spans : ``(start, end, kind)`` of the paragraph's quotes; a word is inside a span when
        it starts in ``[start, end)``.

    Returns
    -------
    ``(direct, reported)`` word counts, each word counted once.
    """
    level = bytearray(len(starts))  # 0 outside, 1 reported, 2 direct
    for direct_pass in (False, True):  # direct spans last, so they win
        for s, e, kind in spans:
            if (kind == "direct") is direct_pass:
                first, stop = bisect_left(starts, s), bisect_left(starts, e)
                if first < stop:
                    level[first:stop] = (b"\2" if direct_pass else b"\1") * (stop - first)
    return level.count(2), level.count(1)


def quote_share(
    paragraphs: pd.DataFrame, quotes: pd.DataFrame, *, kinds: Sequence[str] = _DEFAULT_KINDS
) -> pd.DataFrame:
    """Share of each article's words that are quoted, directly or as reported speech.

    Words are :func:`framelens.word_spans` tokens starting with a letter or digit, in
    paragraphs of ``kinds``. A word counts once even when quote spans overlap; a word in
    both a direct and a reported span counts as direct.

    Parameters
    ----------
    paragraphs : DataFrame with ``article_id, paragraph_id, kind, text``
        (:func:`framelens.split_paragraphs`).
    quotes : DataFrame with ``article_id, paragraph_id, kind, start, end`` and, for
        ``n_speakers``, ``speaker`` (:func:`extract_quotes`).
    kinds : paragraph kinds whose words are counted; use the same as for the quotes.

    Returns
    -------
    DataFrame, one row per article in ``paragraphs``, with columns
    ``article_id, n_words, direct_words, reported_words, quoted_share, direct_share,
    n_quotes, n_speakers``. Shares are ``(direct_words + reported_words) / n_words`` and
    ``direct_words / n_words``, NaN for an article without words; ``n_speakers`` counts
    distinct non-empty speakers.

    Examples
    --------
    >>> paras = pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "kind": ["body"],
    ...     "text": ['"We will win," she said, and the crowd went home.']})
    >>> quote_share(paras, extract_quotes(paras))[["n_words", "direct_words", "quoted_share"]]
       n_words  direct_words  quoted_share
    0       10             3           0.3
    """
    require_columns(paragraphs, _PARAGRAPH_COLUMNS, helper="quote_share", fix=_PARAGRAPHS_FIX)
    require_columns(quotes, ["article_id", "paragraph_id", "kind", "start", "end"],
                    helper="quote_share", fix="pass the output of framelens.extract_quotes.")
    wanted = {kinds} if isinstance(kinds, str) else set(kinds)
    spans: dict[tuple[object, object], list[tuple[int, int, object]]] = {}
    quote_aids = quotes["article_id"].tolist()
    for aid, pid, kind, s, e in zip(quote_aids, *(
        quotes[c].tolist() for c in ("paragraph_id", "kind", "start", "end")
    )):
        spans.setdefault((aid, pid), []).append((int(s), int(e), kind))
    n_quotes = Counter(quote_aids)
    voices: dict[object, set[object]] = {}
    if "speaker" in quotes.columns:
        for aid, speaker, absent in zip(quote_aids, quotes["speaker"].tolist(),
                                        quotes["speaker"].isna().tolist()):
            if not absent and speaker != "":
                voices.setdefault(aid, set()).add(speaker)
    all_pids = paragraphs["paragraph_id"].tolist()
    all_kinds = paragraphs["kind"].tolist()
    all_texts = paragraphs["text"].tolist()
    rows = []
    for aid, positions in _article_rows(paragraphs):
        n = direct = reported = 0
        plain = []
        for r in positions:
            text = all_texts[r]
            if all_kinds[r] not in wanted or not isinstance(text, str):
                continue
            here = spans.get((aid, all_pids[r]))
            if here:
                starts = _word_starts(text)
                n += len(starts)
                in_direct, in_reported = _covered(starts, here)
                direct += in_direct
                reported += in_reported
            else:
                plain.append(text)
        n += _words("\n".join(plain))  # no word holds whitespace: one count for them all
        rows.append((aid, n, direct, reported,
                     (direct + reported) / n if n else float("nan"),
                     direct / n if n else float("nan"), n_quotes.get(aid, 0),
                     len(voices.get(aid, ()))))
    out = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    return out.astype({"n_words": "int64", "direct_words": "int64", "reported_words": "int64",
                       "quoted_share": "float64", "direct_share": "float64",
                       "n_quotes": "int64", "n_speakers": "int64"})


def _distinct_words(total: int, spans: Sequence[tuple]) -> int:
    """Words of one speaker's quotes, leaving out quotes that lie inside another of theirs.

    A partial direct quote inside a reported sentence (``X said the plan was "a
    disaster"``) is two rows; its words count once.

    Parameters
    ----------
    total : the summed ``n_words`` of the speaker's quotes.
    spans : ``(paragraph_id, start, end, n_words)`` of each quote, in table order; empty
        when the quotes carry no offsets.

    Returns
    -------
    ``total`` less the words of quotes nested in another of the speaker's quotes.
    """
    for i, (pid, start, end, n) in enumerate(spans):
        inside = (
            j != i and p == pid and s <= start and end <= e and (e - s, -j) > (end - start, -i)
            for j, (p, s, e, _) in enumerate(spans)
        )
        if any(inside):
            total -= int(n)
    return total


def speakers(quotes: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted, how often and at what length, per article.

    Parameters
    ----------
    quotes : DataFrame with ``article_id, speaker, kind, n_words, role``
        (:func:`extract_quotes`).

    Returns
    -------
    DataFrame, one row per (article, speaker), with columns
    ``article_id, speaker, n_quotes, n_direct, n_reported, n_words, role``; ``role`` is
    the speaker's first non-empty role. ``n_words`` counts a quote that lies inside
    another of the same speaker's quotes (a partial direct quote inside reported speech)
    once, when ``quotes`` has ``paragraph_id, start, end``. Quotes without a named
    speaker are grouped under ``""``. Articles keep their order; within an article, rows
    are sorted by ``n_words``, most quoted first (ties by first appearance).

    Examples
    --------
    >>> paras = pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "kind": ["body"],
    ...     "text": ['"We will win," Jane Doe said. "They will lose," said John Roe.']})
    >>> speakers(extract_quotes(paras))[["speaker", "n_quotes", "n_words"]].values.tolist()
    [['Jane Doe', 1, 3], ['John Roe', 1, 3]]
    """
    require_columns(quotes, ["article_id", "speaker", "kind", "n_words", "role"], helper="speakers",
                    fix="pass the output of framelens.extract_quotes.")
    # group rows by article, then speaker, both in order of first appearance; rows with a
    # missing article or speaker are left out (as DataFrame.groupby does)
    groups: dict[object, dict[object, list[int]]] = {}
    for i, (aid, speaker, absent) in enumerate(zip(
        quotes["article_id"].tolist(), quotes["speaker"].tolist(),
        (quotes["article_id"].isna() | quotes["speaker"].isna()).tolist(),
    )):
        if not absent:
            groups.setdefault(aid, {}).setdefault(speaker, []).append(i)
    kinds, roles, counts = (quotes[c].tolist() for c in ("kind", "role", "n_words"))
    # plain integer counts are summed in Python; anything else the way pandas sums it
    plain_ints = isinstance(quotes["n_words"].dtype, np.dtype) and (
        quotes["n_words"].dtype.kind in "iu")
    offsets = (
        list(zip(*(quotes[c].tolist() for c in ("paragraph_id", "start", "end"))))
        if {"paragraph_id", "start", "end"} <= set(quotes.columns) else None
    )
    rows = []
    for aid, by_speaker in groups.items():
        article = []
        for speaker, idx in by_speaker.items():
            total = (sum(counts[i] for i in idx) if plain_ints
                     else int(quotes["n_words"].iloc[idx].sum()))
            spans = [(*offsets[i], counts[i]) for i in idx] if offsets else []
            role = next((roles[i] for i in idx if isinstance(roles[i], str) and roles[i]), "")
            article.append((aid, speaker, len(idx), sum(kinds[i] == "direct" for i in idx),
                            sum(kinds[i] == "reported" for i in idx),
                            _distinct_words(total, spans), role))
        # most words first; sorted() is stable, so ties keep their first appearance
        rows.extend(sorted(article, key=lambda row: -row[5]))
    out = pd.DataFrame(rows, columns=SPEAKER_COLUMNS)
    return out.astype({"n_quotes": "int64", "n_direct": "int64", "n_reported": "int64",
                       "n_words": "int64"})



#: a full name stands for a one-word speaker across a corpus only when this many
#: articles quote it: one article's "Jane Trump" must not capture every "Trump"
MIN_FULL_NAME_ARTICLES = 2
#: when several quoted full names fit a one-word speaker, the one that holds this share
#: of their quotes stands for it ("Donald Trump" against "Melania Trump")
MIN_FULL_NAME_SHARE = 0.9
_SUMMED = ("n_quotes", "n_direct", "n_reported", "n_words")


def speaker_names(voices: pd.DataFrame) -> dict[str, str]:
    """The full name each one-word speaker of a corpus stands for, where one fits.

    A one-word speaker becomes the full name that fits it
    (:func:`framelens.actors.resolve_short_names`: the full name ending, or else
    starting, with the word) when that full name is quoted in at least
    :data:`MIN_FULL_NAME_ARTICLES` articles and no other full name that fits is, or one
    of them holds :data:`MIN_FULL_NAME_SHARE` of their quotes. "Clinton" beside "Bill
    Clinton" and "Hillary Clinton" (each quoted in a few articles) stays "Clinton".

    Parameters
    ----------
    voices : DataFrame with ``article_id, speaker, n_quotes`` (:func:`speakers`).

    Returns
    -------
    dict, speaker as written → full name, for the speakers that resolve.

    Examples
    --------
    >>> voices = pd.DataFrame({"article_id": ["a", "b", "c"],
    ...     "speaker": ["Donald Trump", "Donald Trump", "Trump"], "n_quotes": [2, 1, 1]})
    >>> speaker_names(voices)
    {'Trump': 'Donald Trump'}
    """
    require_columns(voices, ["article_id", "speaker", "n_quotes"], helper="speaker_names",
                    fix="pass the output of framelens.speakers.")
    named = _names(voices)
    quotes = pd.to_numeric(voices["n_quotes"], errors="coerce").fillna(0)
    full = named.str.contains(" ", regex=False).to_numpy()
    articles = voices[full].groupby(named[full])["article_id"].nunique()
    weights = quotes[full].groupby(named[full]).sum()
    wide = articles.index[articles >= MIN_FULL_NAME_ARTICLES]
    return resolve_short_names(named[~full & named.ne("").to_numpy()].unique(), wide,
                               weights=weights.to_dict(), min_share=MIN_FULL_NAME_SHARE)


def _names(voices: pd.DataFrame) -> pd.Series:
    return voices["speaker"].where(voices["speaker"].map(lambda v: isinstance(v, str)), "")


def merge_speakers(voices: pd.DataFrame) -> pd.DataFrame:
    """Merge a speaker quoted by surname alone with the full name quoted elsewhere.

    Within an article :func:`extract_quotes` already reads "Trump" as the "Donald Trump"
    named before; across articles, an article that only writes "President Trump" still
    quotes the same person. :func:`speaker_names` says which one-word speakers stand for
    which full name; their rows are merged with the full name's.

    Parameters
    ----------
    voices : DataFrame with ``article_id, speaker, n_quotes`` (:func:`speakers`;
        ``n_direct, n_reported, n_words`` are summed and ``role`` kept when present).

    Returns
    -------
    The table with one row per (article, merged speaker), in the order of first
    appearance, and a ``variants`` column: the names as written that the row merges,
    the most quoted first ("Trump, Donald Trump"; just the name when nothing merged).

    Examples
    --------
    >>> voices = pd.DataFrame({"article_id": ["a", "b", "b", "c"],
    ...     "speaker": ["Donald Trump", "Trump", "Donald Trump", "Trump"],
    ...     "n_quotes": [2, 3, 1, 1]})
    >>> merge_speakers(voices)[["article_id", "speaker", "n_quotes", "variants"]
    ...                        ].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['a', 'Donald Trump', 2, 'Donald Trump'], ['b', 'Donald Trump', 4, 'Trump, Donald Trump'],
     ['c', 'Donald Trump', 1, 'Trump']]
    """
    resolved = speaker_names(voices)
    named = _names(voices)
    out = voices.assign(speaker=voices["speaker"].where(~named.isin(resolved.keys()),
                                                        named.map(resolved)))
    keys = ["article_id", "speaker"]
    summed = {c: (c, "sum") for c in _SUMMED if c in out.columns}
    kept = {c: (c, _first_text) for c in voices.columns if c not in (*keys, *summed)}
    merged = out.groupby(keys, sort=False, dropna=False).agg(**summed, **kept).reset_index()
    merged["variants"] = join_variants(out.assign(_written=named.to_numpy()), keys=keys,
                                       written="_written").to_numpy()
    return merged[[*voices.columns, "variants"]]


def _first_text(values: pd.Series) -> object:
    """The first non-empty text of ``values`` (a speaker's role), else the first value."""
    for value in values:
        if isinstance(value, str) and value:
            return value
    return values.iloc[0] if len(values) else ""


def join_variants(rows: pd.DataFrame, *, keys: Sequence[str], written: str = "written",
                  weight: str = "n_quotes") -> pd.Series:
    """The names as written that each merged speaker stands for, most quoted first.

    Parameters
    ----------
    rows : DataFrame with ``keys``, ``written`` (a speaker as written) and ``weight``
        (its quotes), e.g. the voices with ``speaker`` replaced by :func:`speaker_names`.
    keys : the columns of one merged row, e.g. ``["article_id", "speaker"]``.
    written, weight : the columns of the names as written and of their weight.

    Returns
    -------
    Series of str (names joined by ", "), one per ``keys`` group in order of first
    appearance.

    Examples
    --------
    >>> rows = pd.DataFrame({"speaker": ["Donald Trump"] * 2,
    ...                      "written": ["Donald Trump", "Trump"], "n_quotes": [1, 3]})
    >>> join_variants(rows, keys=["speaker"]).tolist()
    ['Trump, Donald Trump']
    """
    keys = list(keys)
    quotes = pd.to_numeric(rows[weight], errors="coerce").fillna(0).rename("_weight")
    per_name = quotes.groupby([rows[k] for k in [*keys, written]], sort=False,
                              dropna=False).sum()
    ranked = per_name.reset_index().sort_values("_weight", ascending=False, kind="stable")
    joined = ranked.groupby(keys, sort=False, dropna=False)[written].agg(
        lambda names: ", ".join(n for n in names if isinstance(n, str) and n))
    order = rows.drop_duplicates(keys)[keys]
    return order.merge(joined.reset_index(), on=keys, how="left")[written].fillna("")
