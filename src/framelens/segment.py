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
from collections.abc import Iterable, Iterator
from importlib import resources

import nupunkt
import pandas as pd

from framelens.errors import MissingColumnError

__all__ = [
    "ANALYSED_KINDS",
    "classify_paragraph",
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

_TOKEN_RE = re.compile(
    r"""
      (?:[A-Za-z]\.){2,}(?![A-Za-z])          # abbreviations: U.S., e.g.
    | \d+(?:[.,:/]\d+)*[^\W\d_]*                # numbers: 130,000  3.5  9/11  5G  14th
    | [^\W\d_][\w]*(?:[-'’][\w]+)*             # words, inner hyphens and apostrophes kept
    | \S                                       # any other single character
    """,
    re.VERBOSE,
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_POSSESSIVE_RE = re.compile(r"(?i)^(.+?)(['’]s)$")


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
    spans: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        token, start, end = m.group(), m.start(), m.end()
        pm = _POSSESSIVE_RE.match(token) if len(token) > 2 else None
        if pm and pm.group(1)[-1:].isalnum():
            cut = start + len(pm.group(1))
            spans.append((pm.group(1), start, cut))
            spans.append((pm.group(2), cut, end))
        else:
            spans.append((token, start, end))
    return spans


def _norm(token: str) -> str:
    return token.lower().replace("’", "'")


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
    stops = stopwords()
    return sum(w in stops for w in words) / len(words)


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
_SUBHEADING_MAX_WORDS = 12
# "Transforming technologyWith an indoor...": a short lower-case run glued to a capitalised word
_GLUED_RE = re.compile(r"^([A-Z][^\s.!?\"“”]*(?:\s+[^\s.!?\"“”]+){1,7}?[a-z]{3})([A-Z][a-z]+\s)")


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
    if _CAPTION_START_RE.match(stripped) or _CREDIT_RE.search(stripped):
        return "caption"
    if _FURNITURE_RE.match(stripped) or (
            _BOILERPLATE_RE.match(stripped) and len(stripped.split()) <= 25) or (
            len(stripped.split()) <= 60 and _PROMO_RE.search(stripped)) or not any(
            c.isalnum() for c in stripped):
        return "boilerplate"
    if len(stripped) < 140 and (_BYLINE_RE.match(stripped) or _CREDIT_LINE_RE.match(stripped)):
        return "byline"
    n_words = len(stripped.split())
    if (
        n_words <= _SUBHEADING_MAX_WORDS
        and len(stripped) <= 90
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
    return [" ".join(ln.split()) for ln in lines if ln.strip()]


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


def _require(df: pd.DataFrame, columns: Iterable[str], *, helper: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingColumnError(
            f"{helper} needs column(s) {missing}; the table has {list(df.columns)}.",
            fix="pass the output of the previous step (read_articles → split_paragraphs → "
            "split_sentences → tokenize) or rename your columns.",
        )


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
    _require(articles, ["article_id", text_col], helper="split_paragraphs")
    titles = articles[title_col] if title_col in articles.columns else [None] * len(articles)
    rows = [
        row
        for aid, title, text in zip(articles["article_id"], titles, articles[text_col])
        for row in _paragraph_rows(aid, title, text if isinstance(text, str) else "")
    ]
    out = pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)
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
    spans = []
    for _, (start, end) in nupunkt.sent_spans_with_text(text):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if end - trail > start + lead:
            spans.append((start + lead, end - trail))
    return spans


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
    _require(frame, PARAGRAPH_COLUMNS, helper="split_sentences")
    rows = []
    last_article = object()
    sid = 0
    for aid, pid, kind, lead, text in frame[PARAGRAPH_COLUMNS].itertuples(index=False):
        if aid != last_article:
            last_article, sid = aid, 0
        spans = sentence_spans(text, kind=kind)
        for start, end in spans:
            sent = text[start:end]
            n_words = sum(t[0].isalnum() for t, _, _ in word_spans(sent))
            rows.append((aid, pid, sid, kind, lead, sent, n_words))
            sid += 1
    out = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
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
    _require(sentences, ["article_id", "sentence_id", text_col], helper="tokenize")
    carried = [c for c in ("paragraph_id", "kind", "is_lead") if c in sentences.columns]
    stops = stopwords()
    rows = []
    owners = []
    for row, (aid, sid, text) in enumerate(zip(sentences["article_id"], sentences["sentence_id"],
                                               sentences[text_col])):
        for i, (tok, start, end) in enumerate(word_spans(text)):
            norm = _norm(tok)
            rows.append((aid, sid, i, tok, norm, tok[0].isalnum(), norm in stops, start, end))
            owners.append(row)
    out = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    out = out.astype({"sentence_id": "int64", "token_id": "int64", "is_word": "bool",
                      "is_stop": "bool", "start": "int64", "end": "int64"})
    for col in carried:
        out[col] = sentences[col].to_numpy()[owners] if owners else sentences[col].iloc[:0]
    return out
