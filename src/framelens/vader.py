"""VADER scoring, fast and identical to vaderSentiment.

This module owns :func:`vader_scores`, which gives for every text exactly (``==``) the
``neg, neu, pos, compound`` of ``SentimentIntensityAnalyzer().polarity_scores(text)``
from the ``vaderSentiment`` package, several times faster.

It reads the lexicon and emoji files shipped in that package and applies the same rules in
the same order, with the same floating-point operations: emoji descriptions, punctuation
stripping, boosters and dampeners, ALL-CAPS emphasis, "no", negation windows, "never so",
"without doubt", special idioms, "least", "kind of", "but", "!" and "?" emphasis,
normalisation and rounding. What makes it faster:

- every token's properties (stripped word, lower case, lexicon and booster values,
  negation, ALL CAPS) are looked up once in a bounded cache instead of per rule;
- the rules look at the up to three words before a lexicon word directly, where
  vaderSentiment rebuilds a lower-cased copy of the whole sentence for every check;
- a sentence without a lexicon word (boosters aside) scores ``neu = 1`` at once: all its
  word valences are 0, so no rule can change them;
- multiword idioms ("the bomb", "kind of") are only looked for in sentences holding one
  of their uncommon words.

The quirks of vaderSentiment are kept on purpose, e.g. its "but" rule scales the *first*
word with an equal valence (``list.index``), not always the word at hand.

Upstream: a port of ``vaderSentiment/vaderSentiment.py`` of vaderSentiment 3.3.2 (C.J.
Hutto; Hutto & Gilbert, ICWSM 2014), under its MIT licence:

    Copyright (c) 2016 C.J. Hutto. Permission is hereby granted, free of charge, to any
    person obtaining a copy of this software and associated documentation files (the
    "Software"), to deal in the Software without restriction, including without
    limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
    and/or sell copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions: The above copyright notice
    and this permission notice shall be included in all copies or substantial portions
    of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND (the
    full text is in NOTICE at the root of the project).
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from itertools import compress
from operator import itemgetter
from pathlib import Path

import numpy as np
import vaderSentiment.vaderSentiment as _vs

__all__ = ["vader_scores"]

_PACKAGE = Path(_vs.__file__).resolve().parent
_BOOSTERS = _vs.BOOSTER_DICT
_NEGATE = frozenset(_vs.NEGATE)
_SPECIAL = _vs.SPECIAL_CASES
_C_INCR = _vs.C_INCR
_N_SCALAR = _vs.N_SCALAR
_PUNCTUATION = string.punctuation
_OR_NOR = ("or", "nor")
# a multiword idiom or booster n-gram ("the shit", "kind of") can only match in a sentence
# holding one of its uncommon words; "the", "of", "to" and "for" are in most sentences
_COMMON = frozenset(("the", "of", "to", "for"))
_TRIGGERS = frozenset(
    w
    for key in (*_SPECIAL, *_BOOSTERS) if " " in key
    for w in ([w for w in key.split() if w not in _COMMON] or key.split())
)
_TOKEN_CACHE_SIZE = 1 << 17


def _read_lines(name: str) -> list[str]:
    # as vaderSentiment's codecs.open: no newline translation ("\r" is stripped per line)
    with open(_PACKAGE / name, encoding="utf-8", newline="") as f:
        text = f.read()
    return text.rstrip("\n").split("\n")


def _load_lexicon() -> dict[str, float]:
    """The same dict as ``SentimentIntensityAnalyzer.make_lex_dict``."""
    lexicon = {}
    for line in _read_lines("vader_lexicon.txt"):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        lexicon[word] = float(measure)
    return lexicon


def _load_emojis() -> dict[str, str]:
    """The single-character entries of ``SentimentIntensityAnalyzer.make_emoji_dict``.

    vaderSentiment tests the text one character at a time, so longer keys never match.
    """
    emojis = {}
    for line in _read_lines("emoji_utf8_lexicon.txt"):
        emoji, description = line.strip().split("\t")[0:2]
        emojis[emoji] = description
    return {k: v for k, v in emojis.items() if len(k) == 1}


_LEXICON = _load_lexicon()
_EMOJIS = _load_emojis()
_EMOJI_CHARS = frozenset(_EMOJIS)
_ASCII_EMOJI = any(ch.isascii() for ch in _EMOJI_CHARS)


def _replace_emojis(text: str) -> str:
    """Emojis replaced by their descriptions, exactly as ``polarity_scores`` does."""
    emojis = _EMOJIS
    out = []
    prev_space = True
    for ch in text:
        description = emojis.get(ch)
        if description is not None:
            if not prev_space:
                out.append(" ")
            out.append(description)
            prev_space = False
        else:
            out.append(ch)
            prev_space = ch == " "
    return "".join(out)


# Token = (lower, lexicon value or None, booster value or None, is ALL CAPS, is negation,
#          is scored: a lexicon word that is not a booster, so it may get a valence,
#          may start or end a multiword idiom)
_LOWER, _LEX, _BOOST, _UPPER, _NEG, _SCORED, _TRIGGER = range(7)
_get_scored = itemgetter(_SCORED)
# raw token -> its properties; a plain dict (emptied when full) looks up faster than an
# lru_cache, and most tokens repeat across sentences
_TOKENS: dict[str, tuple] = {}


def _token(raw: str) -> tuple[str, float | None, float | None, bool, bool, bool, bool]:
    """Properties of one whitespace-separated token, as VADER's rules read them."""
    stripped = raw.strip(_PUNCTUATION)
    word = raw if len(stripped) <= 2 else stripped
    lower = word.lower()
    # negated() lower-cases the already lower-cased word once more
    twice = lower.lower()
    negation = twice in _NEGATE or "n't" in twice
    lex = _LEXICON.get(lower)
    boost = _BOOSTERS.get(lower)
    scored = lex is not None and boost is None
    return lower, lex, boost, word.isupper(), negation, scored, lower in _TRIGGERS


def _tokens(text: str) -> list[tuple]:
    """The properties of every token of ``text`` (split on whitespace)."""
    raws = text.split()
    tokens = list(map(_TOKENS.get, raws))
    if None in tokens:
        if len(_TOKENS) > _TOKEN_CACHE_SIZE:
            _TOKENS.clear()
        for k, raw in enumerate(raws):
            if tokens[k] is None:
                tokens[k] = _TOKENS[raw] = _token(raw)
    return tokens


def _scalar(token: tuple, valence: float, cap_diff: bool) -> float:
    """``scalar_inc_dec``: what a booster or dampener before a lexicon word adds."""
    scalar = 0.0
    boost = token[_BOOST]
    if boost is not None:
        scalar = boost
        if valence < 0:
            scalar *= -1
        if token[_UPPER] and cap_diff:
            if valence > 0:
                scalar += _C_INCR
            else:
                scalar -= _C_INCR
    return scalar


def _idioms(valence: float, lower: Sequence[str], i: int, n: int) -> float:
    """``_special_idioms_check`` for the lexicon word at ``i`` (``i >= 3``)."""
    w3, w2, w1, w0 = lower[i - 3], lower[i - 2], lower[i - 1], lower[i]
    for seq in (f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}", f"{w3} {w2} {w1}",
                f"{w3} {w2}"):
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
            break
    if n - 1 > i:
        zeroone = f"{w0} {lower[i + 1]}"
        if zeroone in _SPECIAL:
            valence = _SPECIAL[zeroone]
    if n - 1 > i + 1:
        zeroonetwo = f"{w0} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in _SPECIAL:
            valence = _SPECIAL[zeroonetwo]
    for n_gram in (f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"):
        if n_gram in _BOOSTERS:
            valence = valence + _BOOSTERS[n_gram]
    return valence


def _valence(
    tokens: list[tuple],
    lower: Sequence[str],
    lexvals: Sequence[float | None],
    i: int,
    n: int,
    cap_diff: bool,
    idioms: bool,
) -> float:
    """``sentiment_valence`` for the lexicon word at ``i``.

    ``idioms`` says whether the sentence holds a word that may be part of an idiom.
    """
    lex_i = lexvals[i]
    valence = lex_i
    lower_i = lower[i]
    if lower_i == "no" and i != n - 1 and lexvals[i + 1] is not None:
        valence = 0.0
    if ((i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in _OR_NOR)):
        valence = lex_i * _N_SCALAR
    if cap_diff and tokens[i][_UPPER]:
        if valence > 0:
            valence += _C_INCR
        else:
            valence -= _C_INCR

    # the up to three words before, when not lexicon words themselves
    if i > 0 and lexvals[i - 1] is None:
        valence = valence + _scalar(tokens[i - 1], valence, cap_diff)
        if tokens[i - 1][_NEG]:
            valence = valence * _N_SCALAR
    if i > 1 and lexvals[i - 2] is None:
        s = _scalar(tokens[i - 2], valence, cap_diff)
        if s != 0:
            s = s * 0.95
        valence = valence + s
        w2, w1 = lower[i - 2], lower[i - 1]
        if w2 == "never" and (w1 == "so" or w1 == "this"):
            valence = valence * 1.25
        elif w2 == "without" and w1 == "doubt":
            pass
        elif tokens[i - 2][_NEG]:
            valence = valence * _N_SCALAR
    if i > 2 and lexvals[i - 3] is None:
        s = _scalar(tokens[i - 3], valence, cap_diff)
        if s != 0:
            s = s * 0.9
        valence = valence + s
        w3, w2, w1 = lower[i - 3], lower[i - 2], lower[i - 1]
        if (w3 == "never" and (w2 == "so" or w2 == "this")) or (w1 == "so" or w1 == "this"):
            valence = valence * 1.25
        elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
            pass
        elif tokens[i - 3][_NEG]:
            valence = valence * _N_SCALAR
        if idioms:
            valence = _idioms(valence, lower, i, n)

    # "least" as negation, but not "at least" or "very least"
    if i > 1 and lexvals[i - 1] is None and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * _N_SCALAR
    elif i > 0 and lexvals[i - 1] is None and lower[i - 1] == "least":
        valence = valence * _N_SCALAR
    return valence


def _but(lower: Sequence[str], sentiments: list) -> None:
    """``_but_check``, in place, quirks included (``index`` finds the first equal value)."""
    bi = lower.index("but")
    for k in range(len(sentiments)):
        sentiment = sentiments[k]
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments[si] = sentiment * 0.5
        elif si > bi:
            sentiments[si] = sentiment * 1.5


def _punctuation_emphasis(text: str) -> float:
    ep_count = text.count("!")
    if ep_count > 4:
        ep_count = 4
    ep_amplifier = ep_count * 0.292
    qm_count = text.count("?")
    qm_amplifier = 0
    if qm_count > 1:
        if qm_count <= 3:
            qm_amplifier = qm_count * 0.18
        else:
            qm_amplifier = 0.96
    return ep_amplifier + qm_amplifier


def _score_valence(sentiments: list, candidates: list, text: str
                   ) -> tuple[float, float, float, float]:
    """``score_valence``: sums, punctuation emphasis, normalisation and rounding.

    ``candidates`` are the sentiments, in order, that may be nonzero (the others add
    nothing to the positive and negative sums).
    """
    sum_s = float(sum(sentiments))
    punct = _punctuation_emphasis(text)
    if sum_s > 0:
        sum_s += punct
    elif sum_s < 0:
        sum_s -= punct
    compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
    if compound < -1.0:
        compound = -1.0
    elif compound > 1.0:
        compound = 1.0
    pos_sum = 0.0
    neg_sum = 0.0
    neu_count = sentiments.count(0)
    for score in candidates:
        if score > 0:
            pos_sum += float(score) + 1
        if score < 0:
            neg_sum += float(score) - 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += punct
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= punct
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return (round(math.fabs(neg_sum / total), 3), round(math.fabs(neu_count / total), 3),
            round(math.fabs(pos_sum / total), 3), round(compound, 4))


_EMPTY = (0.0, 0.0, 0.0, 0.0)
_NEUTRAL = (0.0, 1.0, 0.0, 0.0)


def _polarity(text: str) -> tuple[float, float, float, float]:
    """``polarity_scores(text)`` as ``(neg, neu, pos, compound)``."""
    if (_ASCII_EMOJI or not text.isascii()) and not _EMOJI_CHARS.isdisjoint(text):
        text = _replace_emojis(text)
    text = text.strip()
    tokens = _tokens(text)
    n = len(tokens)
    if not n:
        return _EMPTY
    scored = list(map(_get_scored, tokens))
    if True not in scored:
        # every valence is 0: no rule changes a 0, punctuation only adds to a nonzero sum
        return _NEUTRAL
    # one tuple per property: lower, lexicon value, booster, ALL CAPS, negation, scored, trigger
    lower, lexvals, _, upper, _, _, trigger = zip(*tokens)
    n_upper = upper.count(True)
    cap_diff = 0 < n - n_upper < n
    idioms = True in trigger
    sentiments = [0] * n
    for i in compress(range(n), scored):
        if lower[i] == "kind" and i < n - 1 and lower[i + 1] == "of":
            continue
        sentiments[i] = _valence(tokens, lower, lexvals, i, n, cap_diff, idioms)
    if "but" in lower:
        _but(lower, sentiments)
    return _score_valence(sentiments, list(compress(sentiments, scored)), text)


def vader_scores(texts: Sequence[object]) -> np.ndarray:
    """VADER's scores of every text, identical to ``vaderSentiment``.

    Parameters
    ----------
    texts : the texts to score, usually sentences; entries that are not ``str`` (None,
        NaN) are allowed.

    Returns
    -------
    float64 array of shape ``(len(texts), 4)``, columns ``neg, neu, pos, compound``, each
    row equal (``==``) to ``SentimentIntensityAnalyzer().polarity_scores(text)``; rows of
    entries that are not ``str`` are NaN.

    Examples
    --------
    >>> vader_scores(["The plan is not good.", "A great success!", None]).tolist()
    [[0.376, 0.624, 0.0, -0.3412], [0.0, 0.11, 0.89, 0.8439], [nan, nan, nan, nan]]
    """
    nan = (math.nan,) * 4
    rows = [_polarity(t) if isinstance(t, str) else nan for t in texts]
    return np.array(rows, dtype="float64").reshape(len(rows), 4)
