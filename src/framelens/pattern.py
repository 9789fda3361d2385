"""TextBlob's sentiment (the Pattern lexicon), computed fast and to the same values.

This module owns :func:`pattern_scores`, the polarity and subjectivity of sentences, equal
to ``TextBlob(text).sentiment`` (TextBlob's default ``PatternAnalyzer``) for every text,
only several times faster. TextBlob's own path spends most of its time outside the
scoring rules: it tokenises every sentence with a general tokeniser (regular expressions
run on each word, a sentence splitter), then walks the words through dictionaries of
dictionaries. Here the same steps run with the work that repeats taken out:

1. the text is prepared with the same replacements TextBlob makes (contractions split,
   quote marks padded) and split at white space;
2. each white-space chunk is split into tokens by the same rules as TextBlob's
   ``find_tokens`` (leading and trailing punctuation, ellipses, periods kept on
   abbreviations), once per distinct chunk (a bounded cache: news vocabulary repeats); a
   chunk of letters is its own token and is not looked up (lookups in a large cache cost
   more than the test);
3. each lower-cased token is looked up once in a table of what the scoring rules ask of
   it (polarity, subjectivity, intensity, adverb, negation, length tests, "!",
   emoticon); a text without a word that adds an assessment scores (0.0, 0.0) at once;
4. the rules of ``Sentiment.assessments`` (modifiers such as "very", negation such as
   "not", exclamation marks, emoticons) run over those records, and the averages are
   summed in the same order, so the floating-point results are identical.

Texts where TextBlob's tokeniser does something across tokens (a paragraph break inside
the text, an emoticon or "(!)" written with spaces, the literal ``END-OF-SENTENCE``
marker) are handed to TextBlob's own function, so they too get TextBlob's values; the
emoticon patterns are only searched in texts holding a character an emoticon needs. The
tests compare both paths on every sentence of the shared corpora.

Upstream: a port of the tokeniser and ``Sentiment`` rules of Pattern (CLiPS, University
of Antwerp) as ``textblob/_text.py`` of TextBlob 0.20.1 ships them (``make test-min``
checks the values against TextBlob 0.18, the lowest version allowed), under Pattern's
BSD-3 licence:

    Copyright (c) 2011-2013 University of Antwerp, Belgium. All rights reserved.
    Redistribution and use in source and binary forms, with or without modification,
    are permitted provided that the following conditions are met: redistributions of
    source code must retain the above copyright notice, this list of conditions and the
    following disclaimer; redistributions in binary form must reproduce the above
    copyright notice, this list of conditions and the following disclaimer in the
    documentation and/or other materials provided with the distribution; neither the
    name of Pattern nor the names of its contributors may be used to endorse or promote
    products derived from this software without specific prior written permission.
    THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY
    EXPRESS OR IMPLIED WARRANTIES ARE DISCLAIMED (the full text is in NOTICE at the
    root of the project).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np
from textblob._text import (
    ABBREVIATIONS,
    EMOTICONS,
    EOS,
    PUNCTUATION,
    RE_ABBR1,
    RE_ABBR2,
    RE_ABBR3,
    RE_EMOTICONS,
    RE_SARCASM,
    replacements,
)
from textblob.en import sentiment as _lexicon

__all__ = ["pattern_scores", "pattern_sentiment"]

#: what TextBlob's tokeniser splits off the start of a chunk (its punctuation, less ".")
_LEADING = tuple(PUNCTUATION.replace(".", ""))
#: and off the end
_TRAILING = (*_LEADING, ".")
#: TextBlob's paddings of quote marks, in its order
_QUOTES = (("“", " “ "), ("”", " ” "), ("‘", " ‘ "), ("’", " ’ "), ("'", " ' "),
           ('"', ' " '))
_QUOTE_MARKS = frozenset(mark for mark, _ in _QUOTES)
#: what :func:`_chunk_tokens` splits off the end of a word as one token, whatever the word
#: (not quote marks, which contractions and padding act on, nor "." after abbreviations)
_SPLIT_OFF = frozenset(_LEADING) - {"'", '"'}
_CACHE_SIZE = 1 << 18


def _chunk_tokens(chunk: str) -> str:
    """Tokens of one white-space chunk, by the rules of TextBlob's ``find_tokens``, joined
    by spaces."""
    tokens = []
    tail = []
    while chunk.startswith(_LEADING) and chunk not in replacements:
        tokens.append(chunk[0])
        chunk = chunk[1:]
    while chunk.endswith(_TRAILING) and chunk not in replacements:
        if chunk.endswith(_LEADING):
            tail.append(chunk[-1])
            chunk = chunk[:-1]
        if chunk.endswith("..."):
            tail.append("...")
            chunk = chunk[:-3].rstrip(".")
        if chunk.endswith("."):
            if (chunk in ABBREVIATIONS or RE_ABBR1.match(chunk) is not None
                    or RE_ABBR2.match(chunk) is not None or RE_ABBR3.match(chunk) is not None):
                break
            tail.append(chunk[-1])
            chunk = chunk[:-1]
    if chunk != "":
        tokens.append(chunk)
    tokens.extend(reversed(tail))
    return " ".join(tokens)


def _emoticon(word: str) -> float | None:
    """Polarity of ``word`` as an emoticon, as ``Sentiment.assessments`` tests it."""
    if word.isalpha() is False and len(word) <= 5 and word not in PUNCTUATION:
        for (_mood, polarity), faces in EMOTICONS.items():
            if word in {face.lower() for face in faces}:
                return polarity
    return None


def _word(word: str) -> tuple | None:
    """What the scoring rules ask of one lower-cased token.

    Known words: ``(True, polarity, subjectivity, intensity, is_adverb, is_negation)``;
    negations, "!", "(!)" and emoticons: ``(False, is_negation, keeps_negation,
    ends_modifier, is_bang, is_irony, emoticon polarity or None)``; any other word: None
    (it can only end a pending modifier or negation, by its length).
    """
    entry = dict.get(_lexicon, word)
    negation = word in _lexicon.negations
    if entry is not None and None in entry:
        polarity, subjectivity, intensity = entry[None]
        adverb = any(map(entry.__contains__, _lexicon.modifiers))
        return True, polarity, subjectivity, intensity, adverb, negation
    emoticon = _emoticon(word)
    if not negation and word != "!" and word != "(!)" and emoticon is None:
        return None
    return (False, negation, len(word.strip("'")) > 1, len(word) > 2, word == "!",
            word == "(!)", emoticon)


@functools.cache
def _records() -> dict[str, tuple]:
    """:func:`_word` of every word it says something of (lexicon words, negations, "!",
    "(!)", emoticons): other words are None, so one dictionary lookup serves any text."""
    if len(_lexicon) == 0:  # pragma: no cover - TextBlob loads its lexicon lazily
        raise RuntimeError("TextBlob's sentiment lexicon did not load.")
    faces = {face.lower() for group in EMOTICONS.values() for face in group}
    words = {*dict.keys(_lexicon), *_lexicon.negations, "!", "(!)", *faces}
    records = {word: _word(word) for word in words}
    return {word: record for word, record in records.items() if record is not None}


@functools.cache
def _keen() -> frozenset[str]:
    """The words that add an assessment by themselves (lexicon words, "(!)", emoticons):
    a text without one scores ``(0.0, 0.0)``."""
    return frozenset(word for word, record in _records().items()
                     if record[0] or record[5] or record[6] is not None)


#: a necessary condition, on the raw text, for TextBlob's emoticon or "(!)" patterns to
#: match its tokens: every emoticon holds one of these characters, or is "8)", "8-D",
#: "X-D", "xD" or "o.O" (tokenising only adds white space between characters and drops
#: dots of an ellipsis, hence the ``[\s.]*``), and "(!)" holds "!"
_MAY_EMOTE = re.compile(r"[:;=<>♥°*_!]|8[\s.]*(?:-[\s.]*)?[D)]|[Xx][\s.]*(?:-[\s.]*)?D|\.[\s.]*O")
#: white-space chunk of a text -> its tokens (see :func:`_piece`); a plain dict, emptied
#: when full, looks up faster than an lru_cache, and most chunks repeat across sentences
_PIECES: dict[str, str] = {}


def _piece(chunk: str) -> str:
    """The tokens TextBlob makes of one white-space chunk of a text, joined by spaces.

    Contractions are split and quote marks padded as ``find_tokens`` does on the whole
    text (all act within a chunk, so chunk by chunk gives the same tokens), then
    :func:`_chunk_tokens` splits each part.
    """
    if chunk.isalpha():  # most chunks: a word, or a word and a comma, colon...
        return chunk
    if chunk[-1] in _SPLIT_OFF and chunk[:-1].isalpha():
        return f"{chunk[:-1]} {chunk[-1]}"
    if "'" in chunk:
        for contraction, spaced in replacements.items():
            chunk = chunk.replace(contraction, spaced)
    if not _QUOTE_MARKS.isdisjoint(chunk):
        for mark, padded in _QUOTES:
            chunk = chunk.replace(mark, padded)
    return " ".join(map(_chunk_tokens, chunk.split()))


def _joined(text: str) -> str:
    """The tokens of ``text`` as TextBlob's tokeniser makes them, joined by spaces."""
    chunks = text.split()
    known = _PIECES.get
    # a word of letters is its own token: skipping the lookup in the large cache is cheaper
    pieces = [chunk if chunk.isalpha() else known(chunk) for chunk in chunks]
    if None in pieces:
        if len(_PIECES) > _CACHE_SIZE:
            _PIECES.clear()
        for k, piece in enumerate(pieces):
            if piece is None:
                chunk = chunks[k]
                pieces[k] = _PIECES[chunk] = _piece(chunk)
    return " ".join(pieces)


def _words(text: str) -> list[str] | None:
    """Lower-cased tokens of ``text`` as TextBlob scores them, or None where its tokeniser
    acts across tokens (then TextBlob's own function must run)."""
    if "\n" in text or EOS in text:
        return None
    joined = _joined(text)
    if _MAY_EMOTE.search(text) is not None and (RE_EMOTICONS.search(joined) is not None
                                                or RE_SARCASM.search(joined) is not None):
        return None
    return joined.lower().split()


def _assess(words: list[str]) -> tuple[float, float]:
    """``Sentiment.assessments`` and the averages of ``Sentiment.__call__``."""
    found: list[list] = []  # [polarity, subjectivity, intensity, negated]
    modifier = None
    negation = None
    for word, record in zip(words, map(_records().get, words)):
        if record is None:  # an ordinary word: it may only end a modifier or negation
            if modifier is None and negation is None:
                continue
            if negation and len(word.strip("'")) > 1:
                negation = None
            if negation is not None and modifier is not None and modifier.endswith("ly"):
                found[-1][3] = -1
                negation = None
            elif modifier and len(word) > 2:
                modifier = None
        elif record[0]:
            _, polarity, subjectivity, intensity, adverb, negates = record
            if modifier is None:
                found.append([polarity, subjectivity, intensity, 1])
            else:
                last = found[-1]
                last[0] = max(-1.0, min(polarity * last[2], +1.0))
                last[1] = max(-1.0, min(subjectivity * last[2], +1.0))
                last[2] = intensity
            if negation is not None:
                last = found[-1]
                last[2] = 1.0 / last[2]
                last[3] = -1
            modifier = word if adverb else None
            negation = word if negates else None
        else:
            _, negates, keeps, ends_modifier, bang, irony, emoticon = record
            if negates:
                negation = word
            elif negation and keeps:
                negation = None
            if negation is not None and modifier is not None and modifier.endswith("ly"):
                found[-1][3] = -1
                negation = None
            elif modifier and ends_modifier:
                modifier = None
            if bang and found:
                found[-1][0] = max(-1.0, min(found[-1][0] * 1.25, +1.0))
            if irony:
                found.append([0.0, 1.0, 1.0, 1])
            if emoticon is not None:
                found.append([emoticon, 1.0, 1.0, 1])
    # summed one by one in order, as TextBlob does (sum() may compensate on newer Pythons)
    polarity_sum = 0
    subjectivity_sum = 0
    for polarity, subjectivity, _intensity, negated in found:
        polarity_sum += polarity * -0.5 if negated < 0 else polarity
        subjectivity_sum += subjectivity
    count = float(len(found) or 1)
    return polarity_sum / count, subjectivity_sum / count


def pattern_sentiment(text: str) -> tuple[float, float]:
    """Polarity and subjectivity of one text, equal to ``TextBlob(text).sentiment``.

    Parameters
    ----------
    text : a sentence (or any text).

    Returns
    -------
    ``(polarity, subjectivity)``: polarity in [-1, 1], subjectivity in [0, 1].

    Examples
    --------
    >>> pattern_sentiment("The plan is not very good!")
    (-0.2275, 0.7800000000000001)
    """
    words = _words(text)
    if words is None:
        return tuple(_lexicon(text))[:2]
    if _keen().isdisjoint(words):  # no word adds an assessment
        return 0.0, 0.0
    return _assess(words)


def pattern_scores(texts: Sequence[object]) -> np.ndarray:
    """Polarity and subjectivity of many texts (see :func:`pattern_sentiment`).

    Parameters
    ----------
    texts : sentences; entries that are not strings get NaN.

    Returns
    -------
    Array of shape ``(len(texts), 2)``: polarity, subjectivity.

    Examples
    --------
    >>> pattern_scores(["A great success!", None]).round(2).tolist()
    [[0.59, 0.81], [nan, nan]]
    """
    _records()  # loads the lexicon
    out = np.full((len(texts), 2), np.nan)
    for row, text in enumerate(texts):
        if isinstance(text, str):
            out[row] = pattern_sentiment(text)
    return out
