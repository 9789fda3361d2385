"""Cleaning and segmentation: articles → paragraphs → sentences → tokens.

This module owns the units every score is computed on, and the rules that decide what
kind of text each paragraph is:

``headline``
    the article's title, as its own paragraph (``paragraph_id`` 0). Framing research
    weighs it more than the body.
``body``
    running text. The first body paragraph is the lead (``is_lead``).
``subheading``
    a short line without closing punctuation ("Global AI cooperation"), including one
    glued to the start of its paragraph by a careless copy ("Transforming technologyWith
    an indoor..." becomes the subheading "Transforming technology" and a body paragraph).
``caption``
    photo captions and credits ("... Photo: VCG", "Image caption ...").
``byline``
    author and source lines ("By Jane Doe", "Source: Xinhua").
``boilerplate``
    page furniture left by scrapers ("Advertisement", "Skip Twitter post ...").

Captions, bylines and boilerplate are kept in the tables, flagged, so nothing is lost,
but :data:`ANALYSED_KINDS` leaves them out of sentiment, framing and term counts.

Sentences come from nupunkt (a Punkt model that ships with the package, so nothing is
downloaded); tokens from a data-free regular expression that keeps hyphenated words
("win-win") and abbreviations ("U.S.") whole and splits the possessive ``'s``.
"""

from __future__ import annotations

import functools
import re
import string
from bisect import bisect_left
from collections.abc import Iterator
from importlib import resources
from itertools import accumulate, repeat
from operator import itemgetter

import numpy as np
import nupunkt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from framelens.columns import require_columns

__all__ = [
    "ANALYSED_KINDS",
    "classify_paragraph",
    "count_words",
    "english_share",
    "sentence_spans",
    "split_paragraphs",
    "split_sentences",
    "stopwords",
    "tokenize",
    "word_spans",
]

#: Paragraph kinds that sentiment, framing and term counts use by default.
ANALYSED_KINDS: tuple[str, ...] = ("headline", "subheading", "body")

PARAGRAPH_COLUMNS = ["article_id", "paragraph_id", "kind", "is_lead", "text"]
SENTENCE_COLUMNS = [
    "article_id",
    "paragraph_id",
    "sentence_id",
    "kind",
    "is_lead",
    "text",
    "n_words",
]
TOKEN_COLUMNS = [
    "article_id",
    "sentence_id",
    "token_id",
    "token",
    "norm",
    "is_word",
    "is_stop",
    "start",
    "end",
]

# --- tokens -----------------------------------------------------------------------

# A token is its first character and what that character lets follow. The patterns start
# with a plain character class, which lets the regex engine skip to where a token may start
# without trying every branch; each branch then looks back at the first character. The
# possessive quantifiers (*+, ++) never give back what they took: every branch is greedy and
# nothing after it can fail, so they change no token and spare the engine its backtracking.
_TOKEN_REST = r"""
      (?<=[A-Za-z])[A-Za-z]++(?![\w'’-])                # plain ASCII words, the common case
    | (?<=[A-Za-z])\.[A-Za-z]\.(?:[A-Za-z]\.)*+(?![A-Za-z])  # abbreviations: U.S., e.g.
    | (?<=\d)\d*+(?:[.,:/]\d++)*+[^\W\d_]*+              # numbers: 130,000  3.5  9/11  5G  14th
    | (?<=[^\W\d_])\w*+(?:[-'’]\w++)*+                   # words, inner hyphens and apostrophes kept
"""
# every token, as one group: re.split then gives whitespace, token, whitespace... all in C.
# A character that starts none of the branches above is a token by itself.
_TOKEN_SPLIT_RE = re.compile(rf"(\S(?:{_TOKEN_REST}|))", re.VERBOSE)
# the tokens that start with a letter or digit: a letter or digit always starts one of
# the branches, so these are exactly the tokens that count as words
_WORD_TOKEN_RE = re.compile(rf"[^\W_](?:{_TOKEN_REST})", re.VERBOSE)
# where a possessive may be cut off: 's after a letter or digit ("S" and the long "ſ" too,
# which is what a case-insensitive "s" matches); the apostrophe first, so that the search
# skips ahead to the next apostrophe
_POSSESSIVE_CUT_RE = re.compile(r"['’](?<=[^\W_]['’])[sSſ]")
# words for english_share: letters, with one inner apostrophe ("don't"); the first branch
# is a shortcut for the common plain ASCII word, the same match as the second's
_WORD_RE = re.compile(r"[a-z]++(?![^\W\d_]|['’])|[^\W\d_]++(?:['’][^\W\d_]++)?")


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` into tokens with their character offsets.

    Parameters
    ----------
    text : the string to split.

    Returns
    -------
    list of ``(token, start, end)`` with ``text[start:end] == token``.

    Examples
    --------
    >>> [t for t, _, _ in word_spans("China's win-win plan, per the U.S.")]
    ['China', "'s", 'win-win', 'plan', ',', 'per', 'the', 'U.S.']
    """
    pieces = _TOKEN_SPLIT_RE.split(text)  # whitespace, token, whitespace, ..., whitespace
    bounds = list(accumulate(map(len, pieces)))
    spans = list(zip(pieces[1::2], bounds[0::2], bounds[1::2]))
    if "'" in text or "’" in text:
        ends = bounds[1::2]
        # from the last cut to the first, so that the earlier tokens keep their index
        for cut in reversed([m.start() for m in _POSSESSIVE_CUT_RE.finditer(text)]):
            i = bisect_left(ends, cut + 2)
            # only a word that ends in the 's (not "14th" + "'" + "s") loses it
            if i < len(ends) and ends[i] == cut + 2 and spans[i][1] < cut:
                token, start, end = spans[i]
                spans[i : i + 1] = [(token[:-2], start, cut), (token[-2:], cut, end)]
    return spans


def count_words(text: str) -> int:
    """Number of :func:`word_spans` tokens of ``text`` that start with a letter or digit.

    The same as ``sum(t[0].isalnum() for t, _, _ in word_spans(text))``, without
    building the tokens: punctuation and a split-off possessive ``'s`` do not count.

    Examples
    --------
    >>> count_words("Wait, it's 3.5 times the U.S. rate!")
    7
    """
    plain = text
    if not plain.isascii():
        plain = (plain.replace("\u2019", "'").replace("\u201c", " ").replace("\u201d", " ")
                 .replace("\u2018", " ").replace("\u2014", " ").replace("\u2013", " ")
                 .replace("\u2026", " "))
        if not plain.isascii():
            return len(_WORD_TOKEN_RE.findall(text))
    kinds = plain.encode("ascii").translate(_CHAR_KINDS)
    if b"d" in kinds or b"pa" in kinds:
        return len(_WORD_TOKEN_RE.findall(text))
    # a letter after a space or a period, or at the start; or after a joiner that is
    # itself after a space, a period, a joiner or the start
    return (kinds.count(b" a") + kinds.count(b" ha") + kinds.count(b"pha")
            + kinds.count(b"hha") + kinds.startswith(b"a") + kinds.startswith(b"ha"))


# count_words without the regular expression, for most sentences: ASCII text (once the
# curly apostrophe is made straight and curly quotes, dashes and the ellipsis are made
# spaces), without digits or underscores, where no period comes right before a letter.
# Then _WORD_TOKEN_RE's number and abbreviation branches never match, and its word
# branches take a run of letters and any joiner (- or ') that links it to a next run of
# letters ("win-win", "China's"): a word starts at each letter that does not follow a
# letter, except one that follows a joiner that follows a letter. The curly apostrophe is
# a joiner like the straight one; the other replaced characters are, like a space and
# every other ASCII character left, in none of the pattern's classes (no word character,
# joiner or period), so they all play the same part. Each byte becomes its kind: "a" a
# letter, "h" a joiner, "p" a period, "d" a digit or underscore, " " anything else.
# tests/test_segment.py compares the two ways on every sentence of the AllSides corpus.
def _char_kinds() -> bytes:
    kinds = bytearray(b" " * 256)
    for chars, kind in ((string.ascii_letters, b"a"), ("-'", b"h"),
                        (string.digits + "_", b"d"), (".", b"p")):
        for char in chars:
            kinds[ord(char)] = kind[0]
    return bytes(kinds)


_CHAR_KINDS = _char_kinds()


def _token_arrays(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """:func:`word_spans` of many texts at once: ``(tokens, owner, start, end)``.

    ``owner`` is the index of each token's text in ``texts``; ``start`` and ``end`` are
    offsets in that text. The texts are joined by newlines and split with one regular
    expression: no token holds whitespace, so none crosses from one text to the next.
    """
    if not all(map(isinstance, texts, repeat(str))):
        bad = next(t for t in texts if not isinstance(t, str))
        raise TypeError(f"expected string or bytes-like object, got '{type(bad).__name__}'")
    joined = "\n".join(texts)
    pieces = _TOKEN_SPLIT_RE.split(joined)
    bounds = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)).cumsum()
    tokens = pieces[1::2]
    start, end = bounds[0:-1:2], bounds[1::2]
    if "'" in joined or "’" in joined:
        cuts = np.array([m.start() for m in _POSSESSIVE_CUT_RE.finditer(joined)], dtype=np.int64)
        at = np.searchsorted(end, cuts + 2)
        hit = at < len(end)
        hit[hit] &= (end[at[hit]] == cuts[hit] + 2) & (start[at[hit]] < cuts[hit])
        at, cuts = at[hit], cuts[hit]
        if len(at):
            cut_tokens: list[str] = []
            done = 0
            for i in at.tolist():
                token = tokens[i]
                cut_tokens += tokens[done:i]
                cut_tokens += (token[:-2], token[-2:])
                done = i + 1
            tokens = cut_tokens + tokens[done:]
            start = np.insert(start, at + 1, cuts)
            end = np.insert(end, at, cuts)
    firsts = np.zeros(len(texts) + 1, dtype=np.int64)
    firsts[1:] = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)).cumsum()
    firsts[1:] += np.arange(1, len(texts) + 1)  # the newlines
    owner = np.searchsorted(firsts, start, side="right") - 1
    offset = firsts[owner]
    return tokens, owner, start - offset, end - offset


def norm_token(token: str) -> str:
    return token.lower().replace("’", "'")


def _norms(tokens: list[str]) -> list[str]:
    """:func:`norm_token` of each token, with one ``lower`` over all of them.

    Tokens hold no whitespace, so a newline separates them safely; it is neither cased
    nor case-ignorable, so even the final-sigma rule sees each token on its own.
    """
    return "\n".join(tokens).lower().replace("’", "'").split("\n")


@functools.cache
def stopwords() -> frozenset[str]:
    """The English stopword list used by term counts (Snowball-based, lower case).

    Examples
    --------
    >>> "the" in stopwords() and "cooperation" not in stopwords()
    True
    """
    text = resources.files("framelens").joinpath("resources/stopwords_en.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def english_share(text: str, *, max_chars: int = 5000) -> float:
    """Share of the words in ``text`` that are English stopwords.

    English news prose scores about 0.35-0.5; other languages score near 0. Used to
    flag non-English articles, since the sentiment lexicons and codebooks are English.
    Only the first ``max_chars`` characters are read: plenty to judge the language.

    Examples
    --------
    >>> english_share("The cat sat on the mat.") > 0.3
    True
    >>> english_share("Der Hund schläft im Garten und träumt.")
    0.0
    """
    words = _WORD_RE.findall(text[:max_chars].lower())
    if not words:
        return 0.0
    return sum(map(stopwords().__contains__, words)) / len(words)


# --- paragraphs -------------------------------------------------------------------

_CREDIT_RE = re.compile(
    r"""(?ix)
    (?:^|[\s.(\[])
    (?:file\s+)?(?:photos?|photographers?|images?|pictures?|graphics?|illustrations?|videos?
       |credits?)
    \s*(?:[:/]|by\b)\s*
    [^\n.!?]{1,60}[)\]]?\s*$
    """
)
# a credit found after a punctuation mark (where "^" cannot match) holds at least 8
# characters: a space or mark, "photo" (or "image", "video"), ":" and one more
_CREDIT_MIN_CHARS = 8
_CAPTION_START_RE = re.compile(
    r"(?i)^(?:media caption|image caption|image copyright|image source|caption\s*:|"
    r"media playback is unsupported|getty images|file photo|enlarge this image|"
    r"(?:toggle|hide) caption)"
)
_BOILERPLATE_RE = re.compile(
    r"(?i)^(?:story continues below|story continued below|continue reading below|"
    r"just watched\b|skip (?:twitter|instagram|facebook|youtube) (?:post|content)|"
    r"follow (?:us on|@)|sign up for|subscribe to|read more\s*:|related\s*:|more\s*:|"
    r"click here|visit [\w\s']+ homepage|copyright ©|all rights reserved)"
)
# share buttons and page furniture that make up a whole line
_FURNITURE_RE = re.compile(
    r"(?i)^(?:advertisement|ad|email|whatsapp|facebook|twitter|linkedin|print|"
    r"share(?: this(?: story| article)?)?|more on this\W*|\[pullquote\]|"
    r"slideshow \(\d+ images?\))$"
)
# newsletter and sign-up blurbs, wherever they sit in a short paragraph
_PROMO_RE = re.compile(
    r"(?i)(?:delivered (?:daily )?to your inbox|sign up (?:here|to receive|for our)|"
    r"by signing up, you agree|subscribe to (?:the|our) [\w\s]{0,30}newsletter|"
    r"is available without charge to any eligible news publisher)"
)
_CREDIT_LINE_RE = re.compile(
    r"(?i)^(?:the )?(?:associated press|ap|reuters|afp|bloomberg|xinhua)(?: news)?"
    r"(?: writers?| reporters?)? contributed to this (?:report|story)\.?$"
)
_BYLINE_RE = re.compile(
    r"""(?x)
    ^(?:
        (?:By|BY|Written\ by|Reported\ by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}
            (?:\s*(?:,|and|&|\||-|–)\s*[A-Z][^.!?]{0,80})?
      | (?:Source|Reporter|Editor|Staff\ reporter|Staff\ writer)s?\s*:\s*[^.!?]{1,80}
      | (?:Staff\ (?:writer|reporter))
    )\.?\s*$
    """
)
# the letters a case-insensitive pattern's ASCII letter matches although lower() does not
# give that letter: İ (i), ı (i), ſ (s), the Kelvin sign (k)
_CASE_ODDITY_RE = re.compile("[\u0130\u0131\u017f\u212a]")
_ALNUM_RE = re.compile(r"[^\W_]")  # what str.isalnum() accepts
_SUBHEADING_MAX_WORDS = 12
# "Transforming technologyWith an indoor...": a short lower-case run glued to a capitalised word
_GLUED_RE = re.compile(r"^([A-Z][^\s.!?\"“”]*(?:\s+[^\s.!?\"“”]+){1,7}?[a-z]{3})([A-Z][a-z]+\s)")


def _may_promote(text: str) -> bool:
    """False when :data:`_PROMO_RE` cannot match ``text``: a cheap test before the search.

    Each of its phrases holds "inbox", "sign", "newsletter" or "without charge".
    """
    lowered = text.lower()
    return ("sign" in lowered or "inbox" in lowered or "newsletter" in lowered
            or "without charge" in lowered
            or (not text.isascii() and _CASE_ODDITY_RE.search(text) is not None))


def classify_paragraph(text: str) -> str:
    """Say what kind of paragraph ``text`` is: body, subheading, caption, byline or boilerplate.

    Examples
    --------
    >>> classify_paragraph("Visitors attend an exhibition on September 5, 2025. Photo: VCG")
    'caption'
    >>> classify_paragraph("Global AI cooperation")
    'subheading'
    >>> classify_paragraph("By Jane Doe and John Roe")
    'byline'
    """
    stripped = text.strip()
    # a credit runs to the end without sentence punctuation: search only after the last
    after_punctuation = max(stripped.rfind("."), stripped.rfind("!"), stripped.rfind("?"), 0)
    if _CAPTION_START_RE.match(stripped) or (
            (not after_punctuation or len(stripped) - after_punctuation >= _CREDIT_MIN_CHARS)
            and _CREDIT_RE.search(stripped, after_punctuation)):
        return "caption"
    if _FURNITURE_RE.match(stripped) or (
            _BOILERPLATE_RE.match(stripped) and len(stripped.split()) <= 25) or (
            _may_promote(stripped) and len(stripped.split()) <= 60
            and _PROMO_RE.search(stripped)) or not _ALNUM_RE.search(stripped):
        return "boilerplate"
    if len(stripped) < 140 and (_BYLINE_RE.match(stripped) or _CREDIT_LINE_RE.match(stripped)):
        return "byline"
    if (
        len(stripped) <= 90
        and len(stripped.split()) <= _SUBHEADING_MAX_WORDS
        and stripped[:1].isupper()
        and stripped[-1:] not in '.!?:;,"”’\')'
    ):
        return "subheading"
    return "body"


def _split_glued_subheading(text: str, full_text: str) -> tuple[str, str] | None:
    m = _GLUED_RE.match(text)
    if not m:
        return None
    head, rest = m.group(1), text[m.end(1) :]
    glued_word = head.split()[-1] + m.group(2).strip()
    # a real name like "LinkedIn" recurs in the article; a glued subheading does not
    if full_text.count(glued_word) > 1 or len(rest.split()) < 6:
        return None
    return head, rest


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when text has blank-line paragraphs whose lines were wrapped at a fixed width."""
    nonblank = [ln for ln in lines if ln.strip()]
    if len(nonblank) < 6 or len(nonblank) == len(lines):
        return False
    short = sum(len(ln) <= 100 for ln in nonblank)
    return short / len(nonblank) >= 0.9


def _raw_paragraphs(text: str) -> list[str]:
    lines = text.split("\n")
    if _is_hard_wrapped(lines):
        blocks = re.split(r"\n\s*\n", text)
        return [" ".join(b.split()) for b in blocks if b.strip()]
    # a line is blank when it splits into no words: the same whitespace as str.strip's
    return [para for para in map(" ".join, map(str.split, lines)) if para]


def _paragraph_rows(article_id: object, title: object, text: str) -> Iterator[tuple]:
    pid = 0
    if isinstance(title, str) and title.strip():
        yield (article_id, 0, "headline", False, " ".join(title.split()))
    seen_lead = False
    for raw in _raw_paragraphs(text):
        pieces: list[tuple[str, str]]
        kind = classify_paragraph(raw)
        glued = _split_glued_subheading(raw, text) if kind == "body" else None
        if glued:
            pieces = [("subheading", glued[0]), ("body", glued[1])]
        else:
            pieces = [(kind, raw)]
        for kind, piece in pieces:
            pid += 1
            is_lead = kind == "body" and not seen_lead
            seen_lead = seen_lead or is_lead
            yield (article_id, pid, kind, is_lead, piece)


def split_paragraphs(
    articles: pd.DataFrame, *, text_col: str = "text", title_col: str = "title"
) -> pd.DataFrame:
    """Split articles into classified paragraphs, with the headline as paragraph 0.

    Parameters
    ----------
    articles : DataFrame with ``article_id`` and ``text_col`` (``title_col`` optional),
        as returned by :func:`framelens.read_articles`.
    text_col, title_col : columns holding the body text and the headline.

    Returns
    -------
    DataFrame, one row per paragraph: ``article_id, paragraph_id, kind, is_lead, text``.
    ``kind`` is one of headline, body, subheading, caption, byline, boilerplate.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "title": ["Title"],
    ...                      "text": ["Robots box. Photo: VCG\\nThe expo opened on Friday."]})
    >>> split_paragraphs(arts)[["paragraph_id", "kind", "is_lead"]].values.tolist()
    [[0, 'headline', False], [1, 'caption', False], [2, 'body', True]]
    """
    require_columns(articles, ["article_id", text_col], helper="split_paragraphs")
    titles = (articles[title_col].tolist() if title_col in articles.columns
              else [None] * len(articles))
    rows = [
        row
        for aid, title, text in zip(articles["article_id"].tolist(), titles,
                                    articles[text_col].tolist())
        for row in _paragraph_rows(aid, title, text if isinstance(text, str) else "")
    ]
    if not rows:
        out = pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)
    else:
        aids, pids, kinds, leads, texts = zip(*rows)
        out = pd.DataFrame({"article_id": list(aids), "paragraph_id": pids,
                            "kind": string_column(list(kinds)), "is_lead": leads,
                            "text": string_column(list(texts))})
    return out.astype({"paragraph_id": "int64", "is_lead": "bool"})


def sentence_spans(text: str, *, kind: str = "body") -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, as :func:`split_sentences` cuts them.

    Headlines and subheadings are one sentence each; other paragraphs are split by
    nupunkt, with surrounding whitespace trimmed from every span.

    Examples
    --------
    >>> sentence_spans("It rained. We stayed in.")
    [(0, 10), (11, 24)]
    """
    if kind in ("headline", "subheading"):
        return [(0, len(text))]
    return list(_punkt_spans(text))


# split_sentences and extract_quotes both cut every paragraph: the second cut is a lookup
@functools.lru_cache(maxsize=50_000)
def _punkt_spans(text: str) -> tuple[tuple[int, int], ...]:
    """nupunkt's sentence spans of one paragraph, surrounding whitespace trimmed.

    The same spans as trimming each piece of ``nupunkt.sent_spans_with_text(text)``.
    A paragraph that nupunkt is sure to leave whole (four in ten news paragraphs, see
    :func:`_one_sentence`) is not handed to it; the others go to the tokenizer's
    ``span_tokenize``, the step under ``sent_spans_with_text``, without the strings
    of its pieces.
    """
    body = text.rstrip()
    if not body:  # nupunkt gives no piece, or one that is all whitespace
        return ()
    if _one_sentence(text, len(body)):
        return ((len(text) - len(text.lstrip()), len(body)),)
    # what sent_spans_with_text (tokenize_with_spans) does with these spans: each piece
    # runs from its sentence's start to the next one's (the last to the end of the text)
    starts = [start for start, _ in _tokenizer().span_tokenize(text)] or [0]
    spans = []
    for start, end in zip(starts, starts[1:] + [len(text)]):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if end - trail > start + lead:
            spans.append((start + lead, end - trail))
    return tuple(spans)


@functools.cache
def _tokenizer() -> nupunkt.PunktSentenceTokenizer:
    """nupunkt's default model, the one its ``sent_spans_with_text`` uses (loaded once)."""
    return nupunkt.load("default")


# Where nupunkt (0.8) looks for a sentence end: one of these characters, followed by a
# character that cannot start a word or by whitespace (the language's period context)
_PERIOD_CONTEXT_RE = nupunkt.PunktLanguageVars().period_context_pattern
_SENTENCE_ENDS = ".?!\u2026"  # the characters that pattern starts with
# the closing quotes and brackets nupunkt glues to the sentence end before them
# (its realignment pattern, and the closers its sentence tokenizer skips)
_CLOSERS = "\"')]}\u201d\u2019\u00bb*"


def _one_sentence(text: str, end: int) -> bool:
    """True when nupunkt is sure to keep ``text`` whole: one sentence, ``text[:end]``.

    ``end`` is the length of ``text`` without its trailing whitespace (at least 1).

    Why this holds, step by step through nupunkt 0.8's tokenizer, is proven in
    tests/test_segment.py (``test_why_one_sentence_needs_no_nupunkt``).
    """
    # a period and a space, with more text after: a period context before the run (the
    # space is no end or closer); most paragraphs of two sentences or more have one
    if -1 < text.find(". ") < end - 1:
        return False
    head = text[:end].rstrip(_CLOSERS).rstrip(_SENTENCE_ENDS)  # the text before the run
    if "." not in head and "?" not in head and "!" not in head and "\u2026" not in head:
        return True  # no sentence end before the run, so no period context either
    first = _PERIOD_CONTEXT_RE.search(text)
    return first is None or first.start() >= len(head)


def split_sentences(frame: pd.DataFrame) -> pd.DataFrame:
    """Split paragraphs (or whole articles) into sentences.

    Parameters
    ----------
    frame : the output of :func:`split_paragraphs`; an articles table is split into
        paragraphs first.

    Returns
    -------
    DataFrame, one row per sentence, in reading order:
    ``article_id, paragraph_id, sentence_id, kind, is_lead, text, n_words``.
    ``sentence_id`` counts from 0 within each article (the headline, when present, is 0);
    ``n_words`` counts word tokens (not punctuation).

    Examples
    --------
    >>> paras = pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "kind": ["body"],
    ...                       "is_lead": [True], "text": ["It rained. We stayed in."]})
    >>> split_sentences(paras)["text"].tolist()
    ['It rained.', 'We stayed in.']
    """
    if "paragraph_id" not in frame.columns:
        frame = split_paragraphs(frame)
    require_columns(frame, PARAGRAPH_COLUMNS, helper="split_sentences")
    texts: list[str] = []
    owner: list[int] = []  # the paragraph row of each sentence
    sids: list[int] = []
    last_article = object()
    sid = 0
    for row, (aid, kind, text) in enumerate(zip(frame["article_id"].tolist(),
                                                frame["kind"].tolist(),
                                                frame["text"].tolist())):
        if aid != last_article:
            last_article, sid = aid, 0
        # sentence_spans without its copy of the cached spans
        spans = ((0, len(text)),) if kind in ("headline", "subheading") else _punkt_spans(text)
        texts += [text[start:end] for start, end in spans]
        owner += [row] * len(spans)
        sids += range(sid, sid + len(spans))
        sid += len(spans)
    if not texts:
        out = pd.DataFrame([], columns=SENTENCE_COLUMNS)
    else:
        at = np.array(owner)
        out = pd.DataFrame({
            "article_id": _spread(frame["article_id"], at),
            "paragraph_id": _spread(frame["paragraph_id"], at),
            "sentence_id": sids,
            "kind": _spread(frame["kind"], at),
            "is_lead": _spread(frame["is_lead"], at),
            "text": string_column(texts),
            "n_words": list(map(count_words, texts)),
        })
    return out.astype({"paragraph_id": "int64", "sentence_id": "int64", "n_words": "int64",
                       "is_lead": "bool"})


def tokenize(sentences: pd.DataFrame, *, text_col: str = "text") -> pd.DataFrame:
    """Split sentences into tokens.

    Parameters
    ----------
    sentences : DataFrame with ``article_id``, ``sentence_id`` and ``text_col``
        (the output of :func:`split_sentences`).

    Returns
    -------
    DataFrame, one row per token:
    ``article_id, sentence_id, token_id, token, norm, is_word, is_stop, start, end``,
    plus ``paragraph_id, kind, is_lead`` when the sentences carry them (so term counts
    can leave captions out). ``norm`` is the lower-cased token (curly apostrophes made
    straight); ``is_word`` is True for tokens that start with a letter or digit;
    ``start``/``end`` are character offsets in the sentence text.

    Examples
    --------
    >>> sents = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "text": ["Not good!"]})
    >>> tokenize(sents)[["norm", "is_word", "is_stop"]].values.tolist()
    [['not', True, True], ['good', True, False], ['!', False, False]]
    """
    require_columns(sentences, ["article_id", "sentence_id", text_col], helper="tokenize")
    carried = [c for c in ("paragraph_id", "kind", "is_lead") if c in sentences.columns]
    tokens, owner, start, end = _token_arrays(sentences[text_col].tolist())
    if not tokens:
        out = pd.DataFrame([], columns=TOKEN_COLUMNS)
    else:
        counts = np.bincount(owner, minlength=len(sentences))
        token, norm, is_word, is_stop = _token_columns(tokens)
        out = pd.DataFrame({
            "article_id": _spread(sentences["article_id"], owner),
            "sentence_id": _spread(sentences["sentence_id"], owner),
            "token_id": np.arange(len(tokens)) - (np.cumsum(counts) - counts)[owner],
            "token": token,
            "norm": norm,
            "is_word": is_word,
            "is_stop": is_stop,
            "start": start,
            "end": end,
        })
    out = out.astype({"sentence_id": "int64", "token_id": "int64", "is_word": "bool",
                      "is_stop": "bool", "start": "int64", "end": "int64"})
    for col in carried:
        column = sentences[col]
        if not tokens:
            out[col] = column.iloc[:0]
        elif is_str_dtype(column.dtype):  # what the object array below would become
            out[col] = column.array.take(owner)
        else:
            out[col] = column.to_numpy()[owner]
    return out


# --- building the tables ----------------------------------------------------------

#: the type pandas gives a column of Python strings (``str``, on pyarrow when installed)
STR_DTYPE = pd.Series(["a"]).dtype
_ON_ARROW = isinstance(STR_DTYPE, pd.StringDtype) and STR_DTYPE.storage == "pyarrow"


def is_str_dtype(dtype: object) -> bool:
    """True for pandas' string type ``str`` (not for ``object``, whatever it holds)."""
    return isinstance(dtype, pd.StringDtype) and dtype == STR_DTYPE


def _token_columns(tokens: list[str]) -> tuple[object, object, np.ndarray, np.ndarray]:
    """The ``token``, ``norm``, ``is_word`` and ``is_stop`` columns of ``tokens``.

    On pyarrow, the ASCII tokens (all but a few percent) are lower-cased and tested there:
    for ASCII text its ``ascii_lower`` and ``ascii_is_alnum`` are exactly Python's
    ``lower`` and ``isalnum``. The other tokens go through :func:`norm_token` and ``isalnum``.
    """
    if not _ON_ARROW:
        norms = _norms(tokens)
        is_word = map(str.isalnum, map(itemgetter(0), tokens))
        return (tokens, norms, np.fromiter(is_word, dtype=bool, count=len(tokens)),
                np.fromiter(map(stopwords().__contains__, norms), dtype=bool, count=len(tokens)))
    token = pa.array(tokens, type=pa.large_string())
    norm = pc.ascii_lower(token)
    is_word = pc.ascii_is_alnum(pc.utf8_slice_codeunits(token, 0, 1)).to_numpy(
        zero_copy_only=False)
    other = ~pc.string_is_ascii(token).to_numpy(zero_copy_only=False)
    if other.any():
        odd = [tokens[i] for i in np.flatnonzero(other).tolist()]
        norm = pc.replace_with_mask(norm, pa.array(other),
                                    pa.array(_norms(odd), type=pa.large_string()))
        is_word[other] = [t[0].isalnum() for t in odd]
    is_stop = pc.is_in(norm, value_set=_stopword_array()).to_numpy(zero_copy_only=False)
    return (pd.array(token, dtype=STR_DTYPE), pd.array(norm, dtype=STR_DTYPE),
            is_word, is_stop)


@functools.cache
def _stopword_array() -> object:
    """:func:`stopwords` as a pyarrow array (for ``is_in``)."""
    return pa.array(sorted(stopwords()), type=pa.large_string())


def string_column(values: list[str]) -> pd.api.extensions.ExtensionArray | list[str]:
    """A column of Python strings, typed as pandas would type it, but built by pyarrow
    directly (pandas first checks every value, which costs more than the conversion)."""
    if _ON_ARROW:
        return pd.array(pa.array(values, type=pa.large_string()), dtype=STR_DTYPE)
    return values


def _spread(column: pd.Series, owner: np.ndarray) -> object:
    """``column``'s value for each of ``owner``'s row positions, typed as a table built row by
    row from those values would type it (a categorical or ``Int64`` column is not kept)."""
    if is_str_dtype(column.dtype) or column.dtype in (np.int64, np.float64, np.bool_):
        return column.array.take(owner)
    values = column.tolist()
    return [values[i] for i in owner.tolist()]
