"""Reading articles: text files with a metadata header, folders of them, and tables.

This module owns the articles table, the first step of every analysis: one row per
article with a stable ``article_id`` and these columns:

``article_id``  stable id: the mapped id column, the header's ``id``, or a hash of the content
``title``       headline ("" when unknown)
``outlet``      publication ("" when unknown)
``published``   publication date (datetime64, NaT when unknown)
``url``         address ("" when unknown)
``text``        the body, cleaned: UTF-8, ``\\n`` line endings, HTML markup removed
``origin``      where the row came from: a file path, or ``table.jsonl#row 12``
``is_english``  False when the text does not look like English (see :func:`english_share`)

Other metadata (header keys, table columns such as ``topic``) is carried along unchanged.

An article file is plain text (``.txt`` or ``.md``) that may start with a YAML header
between ``---`` lines, the front matter that Jekyll, Hugo and Pandoc use::

    ---
    title: AI as an international public good
    outlet: Global Times
    date: 2025-09-05
    url: https://www.globaltimes.cn/...
    ---
    Artificial intelligence (AI) should be an international public good ...

Bad input is refused with the file, the row and the fix: empty and binary files, text
that is in no known encoding, a malformed header, missing columns, dates that do not
parse, non-English text. Byte order marks, Windows line endings and other encodings
(with a warning naming the one detected) are handled; HTML markup is converted to text.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import difflib
import functools
import hashlib
import io
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from html.parser import HTMLParser
from os import PathLike
from pathlib import Path
from typing import Literal

import charset_normalizer
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from framelens.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    LanguageError,
    MetadataError,
    MissingColumnError,
    OptionError,
)
from framelens.segment import english_share

__all__ = ["ARTICLE_COLUMNS", "ArticleChunk", "ChunkPlan", "IdRegistry", "fingerprint",
           "html_to_text", "input_path", "iter_articles", "plan_chunks", "read_article",
           "read_articles", "read_chunk"]

log = logging.getLogger(__name__)

ARTICLE_COLUMNS = ["article_id", "title", "outlet", "published", "url", "text", "origin",
                   "is_english"]
ARTICLE_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
#: below this share of English stopwords (with at least _MIN_WORDS_FOR_LANGUAGE words)
#: a text is taken as not English
ENGLISH_THRESHOLD = 0.12
_MIN_WORDS_FOR_LANGUAGE = 30

HtmlPolicy = Literal["convert", "refuse", "keep"]

_BINARY_MAGIC = {
    b"%PDF": "a PDF; extract its text first (for example `pdftotext file.pdf`)",
    b"PK\x03\x04": "a ZIP archive or a Word/ODF document; save it as plain text first",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel document; save it as plain text first",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive; decompress it first",
    b"{\\rtf": "an RTF document; save it as plain text first",
}
_HTML_TAG_RE = re.compile(
    r"(?i)<\s*/?\s*(?:p|div|br|span|a|html|body|head|article|section|h[1-6]|li|ul|ol|strong|em|b|i|"
    r"img|figure|figcaption|blockquote|table|tr|td|script|style|meta|link)\b[^>]*>"
)


# --- decoding -----------------------------------------------------------------------


def _refuse_binary(head: bytes, *, where: str) -> None:
    """Refuse data whose first bytes show a binary format (only the first 8 KiB count)."""
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise BinaryInputError(f"this is not a text file: it looks like {what}.", path=where,
                                   fix="give framelens the article as plain UTF-8 text.")
    if b"\x00" in head[:8192]:
        raise BinaryInputError("this is not a text file: it contains NUL bytes.", path=where,
                               fix="give framelens the article as plain UTF-8 text.")


def _decode(data: bytes, *, where: str, encoding: str | None) -> str:
    """Bytes → text, refusing binary data and reporting guessed encodings."""
    if not data.strip():
        raise EmptyInputError(
            "the file is empty.", path=where, fix="add the article text, or remove the file."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as e:
            raise EncodingError(
                f"the file starts with a UTF-8 byte-order mark but byte {e.start + 3} is not "
                "UTF-8.", path=where,
                fix="open it in a text editor and save it again as UTF-8 (the mark says UTF-8, "
                "so no other encoding is guessed).") from e
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            problem = ("an odd number of bytes, so the last character is cut in half"
                       if e.reason == "truncated data"
                       else f"bytes that are no UTF-16 text ({e.reason}, byte {e.start})")
            raise EncodingError(
                f"the file starts with a UTF-16 byte-order mark but has {problem}.",
                path=where, fix="the file is damaged or cut short: export it again, as UTF-8 "
                "if you can.") from e
    _refuse_binary(data, where=where)
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise EncodingError(f"cannot decode the file as {encoding!r}: {e}.", path=where,
                                fix="pass the file's real encoding, or save it as UTF-8.") from e
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        results = charset_normalizer.from_bytes(data)
        best = results.best()
        if best is None or best.encoding in ("utf_8", "ascii"):
            raise EncodingError(
                f"the file is not valid UTF-8 (byte {e.start}) and its encoding could not be "
                "detected.", path=where,
                fix="save it as UTF-8, or pass encoding='cp1252' (or the right one).",
            ) from e
        encoding = _preferred_encoding(data, results, best)
        log.warning("%s: not UTF-8; decoded as %s (detected). Pass encoding=... (--encoding "
                    "on the command line) to override.", where, encoding)
        return str(best) if encoding == best.encoding else data.decode(encoding)


#: encodings charset-normalizer finds about as likely as the best guess are taken as
#: Windows-1252 when it is among them: the usual encoding of Western text that is not UTF-8
#: (and a superset of latin-1's printable characters), where cp1250/cp1257 guesses turn
#: "déjà" into "déją"
_CLOSE_CHAOS = 0.1
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def _preferred_encoding(data: bytes, results: object, best: object) -> str:
    """cp1252 when it is among the candidates close to the best guess and decodes the
    bytes; otherwise the best guess."""
    close = [m.encoding for m in results if m.chaos <= best.chaos + _CLOSE_CHAOS]
    if best.encoding != "cp1252" and any(e in _WESTERN for e in close):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return best.encoding
        return "cp1252"
    return best.encoding


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "article", "section", "tr", "figcaption", "figure", "header", "footer", "title"}
    _SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Turn HTML markup into plain text: block elements become line breaks, scripts and
    styles are dropped, entities are decoded.

    For whole web pages (menus, footers, comments) use a main-text extractor instead;
    this is for article text that was pasted or exported with its markup.

    Examples
    --------
    >>> html_to_text("<p>Trade &amp; tariffs</p><script>x()</script><p>Second</p>")
    'Trade & tariffs\\nSecond'
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES_RE = re.compile("[\u00a0\u2007\u202f\u3000\t]")


def _clean_text(text: str, *, where: str, html: HtmlPolicy) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES_RE.sub(" ", _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", text)))
    if html != "keep" and len(_HTML_TAG_RE.findall(text[:20000])) >= 2:
        if html == "refuse":
            raise InputError("the text contains HTML markup.", path=where,
                             fix="pass html='convert' to strip it, or save the text only.")
        log.warning("%s: HTML markup found and converted to text.", where)
        text = html_to_text(text)
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


# --- one article file --------------------------------------------------------------

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADER_ALIASES = {"date": "published", "source_name": "outlet", "publication": "outlet",
                   "headline": "title", "link": "url", "article_id": "id"}
#: columns framelens makes itself: a header key of that name would replace them
_RESERVED_HEADER_KEYS = ("text", "origin", "is_english")


def _parse_front_matter(text: str, *, where: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        raise MetadataError(
            "the metadata header opens with '---' on line 1 but is never closed.", path=where,
            line=1, fix="end the header with a line holding only '---'.",
        )
    try:
        meta = yaml.safe_load(m.group(1) or "") or {}
    except ValueError as e:  # a timestamp YAML recognises but that does not exist
        raise _impossible_date(m.group(1), where=where, error=e) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for '---'
        problem = getattr(e, "problem", None) or str(e)
        raise MetadataError(f"the metadata header is not valid YAML ({problem}).", path=where,
                            line=line, fix="write one 'key: value' per line; quote values "
                            "that contain ': ' (title: \"Trade: a primer\").") from e
    if not isinstance(meta, dict):
        raise MetadataError("the metadata header must be 'key: value' lines.", path=where,
                            line=2, fix="write e.g. 'title: ...', 'outlet: ...', 'date: ...'.")
    meta = {_HEADER_ALIASES.get(str(k).lower(), str(k).lower()): v for k, v in meta.items()}
    return meta, text[m.end():]


def _impossible_date(header: str, *, where: str, error: ValueError) -> MetadataError:
    """The error for a header value YAML reads as a date or time that does not exist
    (2025-13-45, 2025-02-30, 25:00), naming its key and line."""
    for number, line in enumerate(header.splitlines(), start=2):  # line 1 is '---'
        key, sep, value = line.partition(":")
        if not sep or line[:1].isspace():
            continue
        try:
            yaml.safe_load(value.strip() or "null")
        except ValueError:
            key = key.strip()
            as_text = "" if _HEADER_ALIASES.get(key.lower(), key.lower()) == "published" else (
                f', or quote the value to keep it as text ({key}: "{value.strip()}")')
            return MetadataError(
                f"{key}: {value.strip()!r} is not a real date or time ({error}).",
                path=where, line=number,
                fix=f"write a date that exists, as YYYY-MM-DD (2025-09-05){as_text}.")
        except yaml.YAMLError:
            continue
    return MetadataError(f"the metadata header holds a date or time that does not exist "
                         f"({error}).", path=where, line=2,
                         fix="write dates that exist, as YYYY-MM-DD (2025-09-05).")


def _check_header_types(meta: dict, text: str, *, where: str) -> None:
    """Refuse a header whose title, outlet, url or id is a list or a mapping (YAML makes
    one of ``title: [a, b]`` or ``outlet:`` followed by indented keys), or that has a key
    framelens's own columns use (``text``...), naming its line."""
    for key in _RESERVED_HEADER_KEYS:
        if key in meta:
            line = next((n for n, ln in enumerate(text.split("\n")[1:], start=2)
                         if re.match(rf"(?i){key}\s*:", ln)), None)
            raise MetadataError(
                f"the header key {key!r} would replace framelens's own {key!r} column.",
                path=where, line=line, fix=f"rename the key (say, {key}_note:), or remove it.")
    for field in ("title", "outlet", "url", "id", "published"):
        value = meta.get(field)
        if not isinstance(value, (list, dict)):
            continue
        keys = [k for k, v in _HEADER_ALIASES.items() if v == field] + [field]
        line = next((n for n, ln in enumerate(text.split("\n")[1:], start=2)
                     if re.match(rf"(?i)({'|'.join(map(re.escape, keys))})\s*:", ln)), None)
        kind = "a list" if isinstance(value, list) else "a mapping (indented keys)"
        raise MetadataError(
            f"{'date' if field == 'published' else field} is {kind}, not a single value "
            f"({value!r:.60}).", path=where, line=line,
            fix="write one value on the line, and quote it if it holds ': ', '[' or '{' "
                '(title: "Trade: [a] primer").')


def _content_id(*parts: object) -> str:
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode())
    return digest.hexdigest()[:16]


#: a date that could be day/month or month/day: 05/09/2025, 5.9.25, 05-09-2025
_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")


def _ambiguous(value: object) -> bool:
    """True for a date written with day and month both 12 or less and different."""
    m = _NUMERIC_DATE_RE.match(value) if isinstance(value, str) else None
    return bool(m) and 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 12 and m[1] != m[2] \
        and int(m[1]) != int(m[2])


def _warn_ambiguous(values: Iterable[object], *, where: str, dayfirst: bool | None,
                    rows: Sequence[int] | None = None) -> None:
    """Say which rule read dates such as 05/09/2025, unless the caller chose it."""
    if dayfirst is not None:
        return
    found = [(i, v) for i, v in zip(rows if rows is not None else range(10**12), values)
             if _ambiguous(v)]
    if found:
        row, value = found[0]
        at = f" (rows {[r for r, _ in found[:10]]})" if rows is not None else ""
        try:
            read = f" ({pd.Timestamp(value).date().isoformat()})"
        except (ValueError, TypeError):  # refused as a date that does not parse, later
            read = ""
        log.warning("%s: %d date(s) such as %r could be day/month or month/day%s; read month "
                    "first%s. Pass dayfirst=True (--dayfirst) if the day comes first.",
                    where, len(found), value, at, read)


def _day_first(value: str) -> str:
    """A d/m/y date (05/09/2025, 5.9.25) rewritten as ISO year-month-day."""
    m = _NUMERIC_DATE_RE.match(value)
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    return f"{year:04d}-{int(m[2]):02d}-{int(m[1]):02d}{value[m.end():]}"


def _parse_date(value: object, *, where: str, row: int | None = None,
                dayfirst: bool | None = None) -> pd.Timestamp:
    if value is None or (isinstance(value, str) and not value.strip()):
        return pd.NaT
    _warn_ambiguous([value], where=where, dayfirst=dayfirst)
    try:
        ts = pd.Timestamp(_day_first(value)) if dayfirst and isinstance(value, str) \
            and _NUMERIC_DATE_RE.match(value) else pd.Timestamp(value)
    except (ValueError, TypeError) as e:
        raise MetadataError(f"the date {value!r} does not parse.", path=where, row=row,
                            fix="write dates as YYYY-MM-DD (2025-09-05).") from e
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    if not pd.Timestamp.min <= ts <= pd.Timestamp.max:  # what datetime64[ns] can hold
        raise MetadataError(f"the date {value!r} is outside the years 1678-2261 that "
                            "framelens can store.", path=where, row=row,
                            fix="check the year, or leave the date out.")
    return ts


#: function words of French, Spanish, Portuguese, Italian, German and Dutch that are no
#: English words: a short text full of them is not English even below _MIN_WORDS_FOR_LANGUAGE
_FOREIGN_FUNCTION_WORDS = frozenset(
    "le la les des du et est une pour dans que qui sur avec pas au aux ce cette sont nous "
    "vous ils elle leur "
    "el los las y del por con para una es lo como más pero sus "
    "não os uma com para pelo pela "
    "il di che della delle degli nel nella sono gli "
    "der das und ist nicht mit dem ein eine auch sich von zu auf für "
    "het een van zijn niet ook wordt".split())
#: a text with at least this many letters is judged by its script
_MIN_LETTERS_FOR_SCRIPT = 20
#: below this share of Latin letters (a-z, with or without accents) a text is not English
_LATIN_THRESHOLD = 0.5
_MIN_WORDS_FOR_FUNCTION_WORDS = 6


def _is_latin(char: str) -> bool:
    return "a" <= unicodedata.normalize("NFD", char.lower())[0] <= "z"


def _language_problem(text: str) -> str | None:
    """Why ``text`` is judged not English, or None when it may be English.

    Judged by characters first, so that unspaced scripts (Chinese, Japanese, Thai), which
    have few space-separated "words", are caught: 20 letters or more of which fewer than
    half are Latin. Then, from 6 words, a text whose function words are French, Spanish,
    German... rather than English; from 30 words, a text with too few English function
    words."""
    sample = text[:5000]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) >= _MIN_LETTERS_FOR_SCRIPT:
        latin = sum(map(_is_latin, letters)) / len(letters)
        if latin < _LATIN_THRESHOLD:
            return f"the text is not in the Latin alphabet (only {latin:.0%} of its letters are)"
    words = re.findall(r"[^\W\d_]+", sample.lower())
    share = english_share(sample)
    if len(words) >= _MIN_WORDS_FOR_FUNCTION_WORDS:
        foreign = sum(map(_FOREIGN_FUNCTION_WORDS.__contains__, words)) / len(words)
        if foreign >= 0.15 and foreign > share:
            return (f"the text does not look like English ({foreign:.0%} of its words are "
                    f"French, Spanish, German... function words, {share:.0%} English ones)")
    if len(text.split()) >= _MIN_WORDS_FOR_LANGUAGE and english_share(text) < ENGLISH_THRESHOLD:
        return (f"the text does not look like English ({english_share(text):.0%} English "
                "function words)")
    return None


def looks_english(text: str) -> bool:
    """False for texts judged not English (see :func:`_language_problem`)."""
    return _language_problem(text) is None


def input_path(source: str | PathLike) -> Path:
    """The absolute path of an input, refusing a symbolic link that loops back to itself.

    A path that does not exist is returned as it is resolved; readers refuse it with
    their own message.

    Raises
    ------
    InputError for a symbolic link loop.

    Examples
    --------
    >>> input_path("data/articles").is_absolute()
    True
    """
    path = Path(source)
    try:
        return path.resolve()
    except (RuntimeError, OSError) as e:  # RuntimeError before Python 3.13, OSError after
        raise InputError("this is a symbolic link that leads back to itself (a loop).",
                         path=str(source),
                         fix="point the link at the article or corpus itself (`ls -l` shows "
                         "where it leads), or give the file's real path.") from e


def read_article(
    path: str | PathLike,
    *,
    encoding: str | None = None,
    html: HtmlPolicy = "convert",
    check_language: bool = True,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """Read one article file (``.txt`` or ``.md``, optional YAML metadata header).

    Parameters
    ----------
    path : the file.
    encoding : force an encoding; by default UTF-8 (with or without BOM), UTF-16 with a
        BOM, or, failing those, the encoding detected by charset-normalizer (with a warning).
    html : what to do with HTML markup in the text: ``"convert"`` it to text (default),
        ``"refuse"`` it, or ``"keep"`` it as is.
    check_language : refuse text that does not look like English (the lexicons and
        codebooks are English).
    dayfirst : how to read a date such as 05/09/2025: True for day first (5 September),
        False for month first (9 May); None reads month first and warns that it did.

    Returns
    -------
    DataFrame with one row and the columns listed in the module docstring, plus any other
    header keys.

    Raises
    ------
    EmptyInputError, BinaryInputError, EncodingError, MetadataError, LanguageError

    Examples
    --------
    >>> art = read_article("data/articles/global-times-2025-09-05-ai-public-good.txt")
    >>> art.loc[0, ["outlet", "published"]].tolist()
    ['Global Times', Timestamp('2025-09-05 00:00:00')]
    """
    return _read_article_file(Path(path), where=str(path), encoding=encoding, html=html,
                              check_language=check_language, dayfirst=dayfirst)


def _read_article_file(
    path: Path, *, where: str, encoding: str | None, html: HtmlPolicy, check_language: bool,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """:func:`read_article` of ``path``, naming it ``where`` in ``origin`` and messages (a
    worker reads the absolute path; the row names the file as the user gave it)."""
    if not path.is_file():
        input_path(path)  # a symbolic link loop says so
        raise InputError("no such file.", path=where,
                         fix="check the path (relative paths start from the current folder).")
    text = _decode(path.read_bytes(), where=where, encoding=encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _parse_front_matter(text, where=where)
    _check_header_types(meta, text, where=where)
    body = _clean_text(body, where=where, html=html)
    if not body.strip():
        raise EmptyInputError("the article has a header but no text.", path=where,
                              fix="add the article text below the closing '---'.")
    problem = _language_problem(body)
    is_english = problem is None
    if check_language and not is_english:
        raise LanguageError(
            f"{problem}.", path=where,
            fix="framelens's sentiment lexicons and codebooks are English: translate the text "
            "first, or pass check_language=False to analyse it anyway.",
        )
    title = " ".join(str(meta.pop("title", "") or "").split())
    outlet = str(meta.pop("outlet", "") or "")
    published = _parse_date(meta.pop("published", None), where=where, dayfirst=dayfirst)
    url = str(meta.pop("url", "") or "")
    given_id = meta.pop("id", None)
    article_id = str(given_id) if given_id else _content_id(title, outlet, published, body)
    row = {"article_id": article_id, "title": title, "outlet": outlet, "published": published,
           "url": url, "text": body, "origin": where, "is_english": is_english, **meta}
    return _finish(pd.DataFrame([row]))


# --- many articles ------------------------------------------------------------------


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    df["published"] = pd.to_datetime(df["published"]).astype("datetime64[ns]")
    df["is_english"] = df["is_english"].astype(bool)
    extra = [c for c in df.columns if c not in ARTICLE_COLUMNS]
    return df[ARTICLE_COLUMNS + extra].reset_index(drop=True)


def _id_hash(article_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(article_id.encode(), digest_size=8).digest(), "little")


class IdRegistry:
    """The article ids seen so far, so that every article keeps an id of its own however
    the corpus is cut into chunks: a repeated id gets a suffix (-2, -3...) in reading
    order, exactly as :func:`read_articles` gives it reading the corpus whole.

    It keeps a 64-bit hash of each distinct id (tens of bytes per article), not the ids.

    Attributes
    ----------
    clashes : ids that came out twice all the same: an id given a suffix equals an id of
        the input (``x`` twice becomes ``x, x-2``, and the input has its own ``x-2``).
        :func:`read_articles` keeps them; scoring refuses them.
    """

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}
        self._suffixed: set[int] = set()
        self.clashes: list[str] = []

    def assign(self, ids: pd.Series, *, where: str | None = None) -> pd.Series:
        """The ids of the next rows in reading order, repeats suffixed.

        Parameters
        ----------
        ids : the ids as read (``str``), with the rows' index.
        where : names the input in the warning about repeated ids; None for no warning.
        """
        hashes = [_id_hash(i) for i in ids]
        earlier = np.array([self._counts.get(h, 0) for h in hashes], dtype=np.int64)
        counts = ids.groupby(ids).cumcount() + earlier
        for h in hashes:
            self._counts[h] = self._counts.get(h, 0) + 1
        repeated = counts > 0
        out = ids.where(~repeated, ids + "-" + (counts + 1).astype(str))
        if repeated.any():
            for article_id in out[repeated]:
                hashed = _id_hash(article_id)
                if hashed in self._counts:
                    self.clashes.append(article_id)
                self._suffixed.add(hashed)
            if where is not None:
                log.warning("%s: %d article(s) share an id with an earlier one; suffixes -2, "
                            "-3... added (rows %s).", where, int(repeated.sum()),
                            list(ids.index[repeated][:10]))
        if self._suffixed:
            self.clashes += [i for i, h, c in zip(ids, hashes, counts) if c == 0
                             and h in self._suffixed]
        return out


def dedupe_ids(ids: pd.Series, *, where: str | None) -> pd.Series:
    """Keep ids unique: a repeated id gets a suffix (-2, -3...) in reading order."""
    return IdRegistry().assign(ids, where=where)


# --- tables -------------------------------------------------------------------------


_JSONL_FIX = ("write one JSON object per line ({\"text\": \"...\", \"title\": \"...\"}); a "
              "file cut short by a full disk or an interrupted copy ends in half a line: "
              "complete or delete that line.")


def _jsonl_record(line: str | bytes) -> tuple[dict | None, str | None]:
    """One line of a JSON Lines file → (its record, None), or (None, what is wrong)."""
    try:
        record = json.loads(line)
    except UnicodeDecodeError as e:
        return None, f"the line is not UTF-8 (byte {e.start})"
    except json.JSONDecodeError as e:
        return None, f"the line is not valid JSON ({e.msg}, column {e.colno})"
    if not isinstance(record, dict):
        return None, (f"the line is a JSON {type(record).__name__}, not an object with "
                      "named fields")
    return record, None


def _jsonl_frame(text: str, *, where: str = "<JSON Lines>", first_row: int = 0,
                 first_line: int = 1) -> pd.DataFrame:
    """JSON Lines text → its table; blank lines are skipped. A line that is not a JSON
    object is refused naming its row and its line (``first_row``/``first_line``: those
    of the text's first line in the file)."""
    try:
        if any(line.strip() and not line.lstrip().startswith("{")
               for line in text.split("\n")):  # pandas takes `[]` for a row: refuse it
            raise ValueError("a line is not a JSON object")
        return pd.read_json(io.StringIO(text), lines=True, dtype=False)
    except (ValueError, TypeError) as e:
        row = first_row
        for number, line in enumerate(text.split("\n"), start=first_line):
            if not line.strip():
                continue
            if (problem := _jsonl_record(line)[1]) is not None:
                raise InputError(f"{problem}.", path=where, row=row, line=number,
                                 fix=_JSONL_FIX) from e
            row += 1
        raise InputError(f"cannot read the JSON Lines: {e}", path=where,
                         fix="check that it is valid JSON Lines.") from e


def _csv_frame(text: str, *, sep: str) -> pd.DataFrame:
    """CSV/TSV text → its table, every cell a string ("" when empty)."""
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _arrow_frame(table: pa.Table) -> pd.DataFrame:
    """A Parquet table (or some of its rows) → DataFrame, as :func:`pandas.read_parquet`
    converts it."""
    return table.to_pandas()


def _separator(suffix: str) -> str:
    return "\t" if suffix == ".tsv" else ","


def _read_table(path: Path, *, encoding: str | None = None) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return _arrow_frame(pq.read_table(path, use_pandas_metadata=True))
        if suffix in (".jsonl", ".ndjson"):
            return _jsonl_frame(path.read_bytes().decode("utf-8"), where=str(path))
        if suffix == ".json":
            return pd.read_json(path, dtype=False)
        text = _decode(path.read_bytes(), where=str(path), encoding=encoding)
        return _csv_frame(text, sep=_separator(suffix))
    except InputError:
        raise
    except (ValueError, OSError, UnicodeDecodeError, pa.ArrowException) as e:
        raise InputError(f"cannot read the table: {e}", path=str(path),
                         fix=f"check that it is valid {suffix[1:].upper()}.") from e


def _find_column(columns: Sequence, name: str, *, role: str, where: str) -> str:
    if name in columns:
        return name
    close = difflib.get_close_matches(name, [str(c) for c in columns], n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise MissingColumnError(
        f"no column {name!r} for the article {role}; the table has {list(columns)}.{hint}",
        path=where, fix=f"pass {role}='<column name>' to read_articles.",
    )


_DEFAULT_COLUMNS = {"text": "text", "title": "title", "outlet": "outlet", "published": "date",
                    "url": "url"}
#: when a default column name is absent, these common names are tried in order
_COLUMN_CANDIDATES = {
    "text": ("text", "content", "content_original", "body", "article", "full_text", "maintext"),
    "title": ("title", "headline", "heading"),
    "outlet": ("outlet", "source", "source_name", "publication", "publisher", "media_name",
               "medium", "domain"),
    "published": ("date", "published", "publish_date", "pubdate", "publication_date",
                  "date_publish", "datetime", "timestamp"),
    "url": ("url", "link", "source_url"),
}


def _detect_column(columns: Sequence, target: str, *, where: str) -> str | None:
    lower = {str(c).lower(): c for c in columns}
    for candidate in _COLUMN_CANDIDATES[target]:
        if candidate in lower:
            column = lower[candidate]
            if column != _DEFAULT_COLUMNS[target]:
                log.info("%s: using column %r for the article %s.", where, column,
                         "date" if target == "published" else target)
            return column
    return None


def _resolve_columns(columns: Sequence, mapping: dict[str, str | None], *,
                     where: str) -> dict[str, str | None]:
    """The column mapping (target field → name or None) → the table's columns to use:
    default names that are absent are looked for among common alternatives, names that
    are given must exist."""
    resolved: dict[str, str | None] = {}
    for target, name in mapping.items():
        if name is not None and name == _DEFAULT_COLUMNS.get(target) and name not in columns:
            name = _detect_column(columns, target, where=where) or (
                name if target == "text" else None)  # text is required: refused below
        if name is not None:
            name = _find_column(columns, name,
                                role=target if target != "published" else "date", where=where)
        resolved[target] = name
    return resolved


_OPTION_OF = {"text": "text", "title": "title", "outlet": "outlet", "published": "date",
              "url": "url", "article_id": "id"}


def _type_name(value: object) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (bool, np.bool_)):
        return "true/false"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "a number"
    if isinstance(value, bytes):
        return "bytes"
    return type(value).__name__


def _wrong_type(value: object, target: str) -> bool:
    """True when a value cannot be the article's ``target`` field as it is."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return False
    if target == "text":
        return not isinstance(value, str)
    if target == "published":  # a number of days, seconds or ms since when? refuse
        return isinstance(value, (bool, int, float, np.number, list, tuple, dict, np.ndarray,
                                  bytes))
    return isinstance(value, (list, tuple, dict, np.ndarray, bytes, bool, np.bool_))


def _as_text(values: pd.Series) -> pd.Series:
    """Values as text, gaps kept: whole numbers that a gap made floats (a JSON column of 7,
    null, 8) are written 7, not 7.0, as a chunk without the gap reads them."""
    if pd.api.types.is_float_dtype(values):
        values = values.map(lambda v: str(int(v)) if np.isfinite(v) and v == int(v) else v,
                            na_action="ignore")
    return values.astype(object).where(values.notna(), None).map(
        lambda v: v if v is None or isinstance(v, str) else str(v))


def _check_column_types(df: pd.DataFrame, resolved: dict[str, str | None], *,
                        where: str) -> None:
    """Refuse a mapped column whose values are of a type the field cannot hold: text that
    is numbers, dates that are numbers (1970 + seconds), titles that are lists."""
    for target, column in resolved.items():
        if column is None or column not in df.columns:
            continue
        values = df[column]
        if values.dtype != np.dtype(object) and (
                target in ("title", "outlet", "url", "article_id")  # numbers are fine there
                and not pd.api.types.is_bool_dtype(values)
                or target == "published" and pd.api.types.is_datetime64_any_dtype(values)
                or target == "text" and pd.api.types.is_string_dtype(values)):
            continue
        bad = [(i, v) for i, v in zip(df.index, values) if _wrong_type(v, target)]
        if not bad:
            continue
        row, value = bad[0]
        kind = _type_name(value)
        option = _OPTION_OF[target]
        field = "date" if target == "published" else target
        wanted = {"text": "text", "published": "dates (2025-09-05) or timestamps"}.get(
            target, "text or numbers")
        raise InputError(
            f"column {column!r} (the article {field}) holds {kind} ({value!r:.60}) in "
            f"{len(bad)} row(s), not {wanted}; its type is {values.dtype}.", path=where,
            row=row, fix=f"map the right column with {option}='<column name>' (--{option}), "
            f"or convert {column!r} to {wanted.split(' (')[0]} first.")


def _build_articles(
    df: pd.DataFrame, resolved: dict[str, str | None], *, where: str, html: HtmlPolicy,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """Rows of a table (index = row numbers) → articles, ids not yet made unique.

    A resolved column the rows lack (a JSON Lines chunk whose records leave a key out)
    counts as empty, as it does when the whole table is read."""
    _check_column_types(df, resolved, where=where)
    out = pd.DataFrame(index=df.index)
    for target, column in resolved.items():
        if column is None:
            out[target] = "" if target != "published" else None
        elif column in df.columns:
            out[target] = df[column]
        else:
            out[target] = np.nan
    out["text"] = [
        _clean_text(t, where=f"{where}#row {i}", html=html) if isinstance(t, str) else ""
        for i, t in zip(df.index, out["text"])
    ]
    for col in ("title", "outlet", "url"):
        out[col] = _as_text(out[col]).fillna("").map(lambda s: " ".join(s.split()))
    raw_dates = out["published"]
    _warn_ambiguous(raw_dates, where=where, dayfirst=dayfirst, rows=list(df.index))
    parsed = pd.to_datetime(raw_dates, errors="coerce", utc=True, format="mixed")
    if dayfirst:  # only dates written d/m/y: dateutil would read 2025-09-05 as 9 May too
        numeric = raw_dates.map(lambda v: isinstance(v, str) and bool(_NUMERIC_DATE_RE.match(v)))
        if numeric.any():
            parsed = parsed.copy()
            parsed[numeric] = pd.to_datetime(raw_dates[numeric].map(_day_first),
                                             errors="coerce", utc=True)
    given = raw_dates.notna() & (raw_dates.astype(str).str.strip() != "")
    bad = given & parsed.isna()
    if bad.any():
        rows = list(df.index[bad][:5])
        examples = ", ".join(f"row {r}: {raw_dates[r]!r}" for r in rows)
        raise MetadataError(
            f"{int(bad.sum())} date(s) do not parse ({examples}).", path=where, row=rows[0],
            fix="write dates as YYYY-MM-DD, or pass date=None to ignore the date column.",
        )
    out["published"] = parsed.dt.tz_localize(None)
    if resolved["article_id"] is None:
        out["article_id"] = [
            _content_id(t, o, p, x)
            for t, o, p, x in zip(out["title"], out["outlet"], out["published"], out["text"])
        ]
    else:
        out["article_id"] = _as_text(out["article_id"]).astype(str)
    out["origin"] = [f"{where}#row {i}" for i in df.index]
    out["is_english"] = [looks_english(t) for t in out["text"]]
    empty = out["text"].str.strip() == ""
    if empty.any():
        log.warning("%s: %d row(s) have no text (rows %s); they are kept with text ''.",
                    where, int(empty.sum()), list(df.index[empty][:10]))
    if (~out["is_english"]).any():
        log.warning("%s: %d row(s) do not look like English (rows %s).", where,
                    int((~out["is_english"]).sum()), list(df.index[~out["is_english"]][:10]))
    # the table's own columns stay available under their own names (a corpus whose outlet
    # column is called "source" can still be grouped by "source"); only the text is not
    # kept twice
    text_column = resolved["text"]
    extra = df[[c for c in df.columns if c != text_column and c not in out.columns]]
    return _finish(pd.concat([out, extra], axis=1))


def _mapping(text: str, title: str | None, outlet: str | None, date: str | None,
             url: str | None, id: str | None) -> dict[str, str | None]:
    return {"text": text, "title": title, "outlet": outlet, "published": date, "url": url,
            "article_id": id}


def _articles_from_table(
    df: pd.DataFrame,
    *,
    where: str,
    text: str,
    title: str | None,
    outlet: str | None,
    date: str | None,
    url: str | None,
    id: str | None,
    html: HtmlPolicy,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    if df.empty:
        raise EmptyInputError("the table has no rows.", path=where,
                              fix="check the file, or the filter that produced it.")
    resolved = _resolve_columns(df.columns, _mapping(text, title, outlet, date, url, id),
                                where=where)
    out = _build_articles(df, resolved, where=where, html=html, dayfirst=dayfirst)
    out["article_id"] = dedupe_ids(out["article_id"], where=where)
    return out


def iter_article_files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower()
                  in ARTICLE_SUFFIXES and not p.name.startswith("."))


def _read_folder(files: Sequence[Path], wheres: Sequence[str], *, encoding: str | None,
                 html: HtmlPolicy, dayfirst: bool | None = None) -> pd.DataFrame:
    """The article files of a folder (or some of them), ids not yet made unique."""
    frames = [_read_article_file(f, where=w, encoding=encoding, html=html, check_language=False,
                                 dayfirst=dayfirst)
              for f, w in zip(files, wheres)]
    return pd.concat(frames, ignore_index=True)


def _warn_not_english(out: pd.DataFrame, where: str) -> None:
    if (~out["is_english"]).any():
        log.warning("%s: %d file(s) do not look like English: %s", where,
                    int((~out["is_english"]).sum()), list(out.loc[~out["is_english"],
                                                                 "origin"][:10]))


def read_articles(
    source: str | PathLike | pd.DataFrame,
    *,
    text: str = "text",
    title: str | None = "title",
    outlet: str | None = "outlet",
    date: str | None = "date",
    url: str | None = "url",
    id: str | None = None,
    encoding: str | None = None,
    html: HtmlPolicy = "convert",
    check_language: bool = True,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """Read articles from a file, a folder of files, a table file or a DataFrame.

    Parameters
    ----------
    source : a ``.txt``/``.md`` article; a folder of them (searched recursively, sorted);
        a ``.csv``/``.tsv``/``.jsonl``/``.json``/``.parquet`` table with one row per
        article; or a DataFrame with the same.
    text, title, outlet, date, url, id : for tables, the column holding each field
        (the column mapping). ``text`` is required; the others are optional and may be
        None. Left at their defaults, common alternatives are recognised (``content``,
        ``body`` for the text; ``headline``; ``source``, ``publication`` for the outlet;
        ``published``, ``publish_date`` for the date...) and the choice is logged. The
        table's own columns are kept under their own names too (all but the text).
        Without ``id``, ``article_id`` is a hash of title, outlet, date and text.
    encoding, html, dayfirst : see :func:`read_article`.
    check_language : refuse a non-English article file. For tables and folders
        non-English rows are kept, flagged by ``is_english`` and named in a warning.

    Returns
    -------
    DataFrame, one row per article, columns as in the module docstring.

    See Also
    --------
    iter_articles : the same articles, a chunk at a time, for corpora of any size.

    Examples
    --------
    >>> arts = read_articles("../shared/data/allsides-china-tech/articles.jsonl",
    ...                      text="content_original", outlet="source", id="ID")
    >>> arts[["article_id", "outlet", "published"]].head(2)  # doctest: +SKIP
    """
    _check_encoding(encoding)
    if isinstance(source, pd.DataFrame):
        return _articles_from_table(source.reset_index(drop=True), where="<DataFrame>",
                                    text=text, title=title, outlet=outlet, date=date, url=url,
                                    id=id, html=html, dayfirst=dayfirst)
    path = Path(source)
    if path.is_dir():
        files = _folder_files(path)
        out = _read_folder(files, [str(f) for f in files], encoding=encoding, html=html,
                           dayfirst=dayfirst)
        out["article_id"] = dedupe_ids(out["article_id"], where=str(path))
        _warn_not_english(out, str(path))
        return _finish(out)
    if path.suffix.lower() in TABLE_SUFFIXES:
        if not path.is_file():
            raise InputError("no such file.", path=str(path), fix="check the path.")
        return _articles_from_table(_read_table(path, encoding=encoding), where=str(path),
                                    text=text, title=title,
                                    outlet=outlet, date=date, url=url, id=id, html=html,
                                    dayfirst=dayfirst)
    return read_article(path, encoding=encoding, html=html, check_language=check_language,
                        dayfirst=dayfirst)


def _check_encoding(encoding: str | None) -> None:
    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except LookupError as e:
        raise OptionError(f"unknown encoding {encoding!r}.",
                          fix="pass an encoding Python knows: cp1252, latin-1, utf-16, "
                              "cp1250...") from e


def _folder_files(path: Path) -> list[Path]:
    files = list(iter_article_files(path))
    if not files:
        raise EmptyInputError(
            f"the folder holds no article files ({', '.join(ARTICLE_SUFFIXES)}).",
            path=str(path), fix="put one .txt or .md file per article in it.")
    return files


# --- chunks: a corpus of any size, a part at a time -----------------------------------


ChunkKind = Literal["lines", "parquet", "whole", "files"]


@dataclasses.dataclass(frozen=True)
class ArticleChunk:
    """Where one chunk of a corpus is, so that any process that sees the corpus file can
    read it (:func:`read_chunk`); made by :func:`plan_chunks`.

    Attributes
    ----------
    index : the chunk's number, from 0, in reading order.
    start, stop : its rows: ``start <= row < stop``, numbered as ``origin`` numbers them.
    digest : hash of everything the chunk's articles depend on: its bytes (or its files,
        or the whole file and its row range), its place, and how it is read.
    source : the corpus as the user named it (used in ``origin`` and in messages).
    path : the corpus's absolute path (what a worker opens).
    kind : how it is read: ``"lines"`` a byte range of a JSON Lines or CSV/TSV file,
        ``"parquet"`` a row range of a Parquet file, ``"files"`` article files,
        ``"whole"`` rows of a table read whole (JSON documents, CSV files that are not
        UTF-8).
    """

    index: int
    start: int
    stop: int
    digest: str
    source: str
    path: str
    kind: ChunkKind
    byte_start: int = 0
    byte_stop: int = 0
    header: bytes = b""
    files: tuple[str, ...] = ()
    columns: tuple[tuple[str, str | None], ...] = ()
    encoding: str | None = None
    html: HtmlPolicy = "convert"
    check_language: bool = False
    dayfirst: bool | None = None

    @property
    def n_articles(self) -> int:
        return self.stop - self.start

    @property
    def rows(self) -> str:
        """The rows, for messages: ``rows 1000-1999``."""
        return f"rows {self.start}-{self.stop - 1}"


@dataclasses.dataclass(frozen=True)
class ChunkPlan:
    """A corpus cut into chunks (:func:`plan_chunks`).

    Attributes
    ----------
    source : the corpus as named; ``path`` its absolute path.
    sha256 : the corpus's :func:`fingerprint`.
    n_articles : rows in all chunks.
    chunks : the chunks, in reading order.
    """

    source: str
    path: str
    sha256: str
    n_articles: int
    chunks: tuple[ArticleChunk, ...]


#: (start row, stop row, first byte, end byte, sha256 of the bytes)
_Span = tuple[int, int, int, int, str]


def _scan_jsonl(path: Path, *, chunk_size: int) -> tuple[list[_Span], list, str]:
    """Byte ranges of ``chunk_size`` records each (a record is a line that is not blank,
    as pandas reads JSON Lines), and the keys of all records in order of appearance: the
    columns of the whole table, which a chunk's records may not all have."""
    whole, part = hashlib.sha256(), hashlib.sha256()
    spans: list[_Span] = []
    keys: dict = {}
    rows = start_row = pos = start_byte = 0
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            whole.update(line)
            part.update(line)
            pos += len(line)
            if line.strip():
                record, problem = _jsonl_record(line)
                if problem is not None:
                    raise InputError(f"{problem}.", path=str(path), row=rows, line=number,
                                     fix=_JSONL_FIX)
                keys.update(dict.fromkeys(record))
                rows += 1
                if rows - start_row == chunk_size:
                    spans.append((start_row, rows, start_byte, pos, part.hexdigest()))
                    start_row, start_byte, part = rows, pos, hashlib.sha256()
    if rows > start_row:
        spans.append((start_row, rows, start_byte, pos, part.hexdigest()))
    return spans, list(keys), whole.hexdigest()


class _NotStreamable(Exception):
    """The table cannot be cut into byte ranges; it is read whole instead."""


def _scan_csv(path: Path, *, sep: str, chunk_size: int) -> tuple[list[_Span], bytes, str]:
    """Byte ranges of ``chunk_size`` rows each of a UTF-8 CSV/TSV file, and the header's
    bytes. Rows may span lines (quoted line breaks); blank lines are no rows, as for
    pandas. Raises :class:`_NotStreamable` for other encodings and malformed quoting."""
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip() or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _NotStreamable
    _refuse_binary(head, where=str(path))
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    blank_chars = " \t\r\n\f\v".replace(sep, "")
    whole, part = hashlib.sha256(), hashlib.sha256()
    whole.update(head[:bom])
    consumed: list[str] = []
    pos = bom

    def lines(f: io.BufferedReader) -> Iterable[str]:
        nonlocal pos
        for raw in f:
            whole.update(raw)
            part.update(raw)
            pos += len(raw)
            consumed.append(raw.decode("utf-8"))
            yield consumed[-1]

    spans: list[_Span] = []
    header_end = None
    rows = start_row = 0
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        with open(path, "rb") as f:
            f.seek(bom)
            for _ in csv.reader(lines(f), delimiter=sep, quotechar='"', doublequote=True):
                blank = len(consumed) == 1 and not consumed[0].strip(blank_chars)
                consumed.clear()
                if blank:
                    continue
                if header_end is None:
                    header_end, start_byte, part = pos, pos, hashlib.sha256()
                    continue
                rows += 1
                if rows - start_row == chunk_size:
                    spans.append((start_row, rows, start_byte, pos, part.hexdigest()))
                    start_row, start_byte, part = rows, pos, hashlib.sha256()
    except (UnicodeDecodeError, csv.Error) as e:
        raise _NotStreamable from e
    finally:
        csv.field_size_limit(limit)
    if header_end is None:
        raise _NotStreamable
    if rows > start_row:
        spans.append((start_row, rows, start_byte, pos, part.hexdigest()))
    with open(path, "rb") as f:
        f.seek(bom)
        header = f.read(header_end - bom)
    return spans, header, whole.hexdigest()


@functools.lru_cache(maxsize=1)
def _whole_table(path: str, size: int, mtime_ns: int,
                 encoding: str | None = None) -> pd.DataFrame:
    """A table read whole, kept for the next chunk of it (one table at a time)."""
    return _read_table(Path(path), encoding=encoding)


def _chunk_rows(chunk: ArticleChunk) -> pd.DataFrame:
    """The chunk's rows of a table, indexed by their row numbers."""
    path = Path(chunk.path)
    if chunk.kind == "whole":
        stat = path.stat()
        table = _whole_table(str(path), stat.st_size, stat.st_mtime_ns, chunk.encoding)
        return table.iloc[chunk.start:chunk.stop]
    suffix = path.suffix.lower()
    try:
        if chunk.kind == "parquet":
            parquet = pq.ParquetFile(path)
            first, groups, offset = 0, [], 0
            for g in range(parquet.metadata.num_row_groups):
                n = parquet.metadata.row_group(g).num_rows
                if first < chunk.stop and first + n > chunk.start:
                    offset = offset if groups else first
                    groups.append(g)
                first += n
            table = parquet.read_row_groups(groups, use_pandas_metadata=True)
            df = _arrow_frame(table.slice(chunk.start - offset, chunk.n_articles))
        else:
            with open(path, "rb") as f:
                f.seek(chunk.byte_start)
                data = chunk.header + f.read(chunk.byte_stop - chunk.byte_start)
            text = data.decode("utf-8")
            df = (_jsonl_frame(text) if suffix in (".jsonl", ".ndjson")
                  else _csv_frame(text, sep=_separator(suffix)))
    except (ValueError, OSError, pa.ArrowException) as e:
        raise InputError(f"cannot read {chunk.rows} of the table: {e}", path=chunk.source,
                         row=chunk.start, fix=f"check that it is valid {suffix[1:].upper()}."
                         ) from e
    if len(df) != chunk.n_articles:
        raise InputError(
            f"{chunk.rows} read as {len(df)} row(s), not {chunk.n_articles}: the file "
            "changed, or its quoting cannot be cut into chunks.", path=chunk.source,
            row=chunk.start, fix="read it whole, or convert it to JSON Lines or Parquet.")
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1:
        df.index = pd.RangeIndex(chunk.start, chunk.stop)
    return df


def read_chunk(chunk: ArticleChunk) -> pd.DataFrame:
    """Read one chunk of a corpus (see :func:`plan_chunks`).

    Parameters
    ----------
    chunk : from :func:`plan_chunks`. The process reading it must see ``chunk.path``.

    Returns
    -------
    The chunk's rows of ``read_articles(source, ...)``, except that ``article_id`` is as
    read: ids that repeat an earlier one get their suffix (-2, -3...) only from an
    :class:`IdRegistry` that saw the chunks before (as :func:`iter_articles` does).

    Raises
    ------
    InputError, naming the file and the rows.
    """
    if chunk.kind == "files" and chunk.files == ("",):  # one article file
        return _read_article_file(Path(chunk.path), where=chunk.source, encoding=chunk.encoding,
                                  html=chunk.html, check_language=chunk.check_language,
                                  dayfirst=chunk.dayfirst)
    if chunk.kind == "files":
        out = _read_folder([Path(chunk.path) / f for f in chunk.files],
                           [str(Path(chunk.source) / f) for f in chunk.files],
                           encoding=chunk.encoding, html=chunk.html, dayfirst=chunk.dayfirst)
        _warn_not_english(out, chunk.source)
        return _finish(out)
    return _build_articles(_chunk_rows(chunk), dict(chunk.columns), where=chunk.source,
                           html=chunk.html, dayfirst=chunk.dayfirst)


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def plan_chunks(
    source: str | PathLike,
    *,
    chunk_size: int = 1000,
    text: str = "text",
    title: str | None = "title",
    outlet: str | None = "outlet",
    date: str | None = "date",
    url: str | None = "url",
    id: str | None = None,
    encoding: str | None = None,
    html: HtmlPolicy = "convert",
    check_language: bool = True,
    dayfirst: bool | None = None,
) -> ChunkPlan:
    """Cut a corpus file or folder into chunks of ``chunk_size`` articles, without
    holding it in memory.

    JSON Lines and UTF-8 CSV/TSV files are scanned once for their rows' byte ranges,
    Parquet files by their metadata, folders by their file names; a JSON document (and a
    CSV file in another encoding) is read whole, once here and once by each process
    that reads a chunk of it. The first chunk is read to check the column mapping, so a
    missing column is refused before any work starts.

    Parameters
    ----------
    source : a corpus as :func:`read_articles` takes it (not a DataFrame).
    chunk_size : articles per chunk.
    text, title, outlet, date, url, id, encoding, html, check_language, dayfirst :
        see :func:`read_articles`.

    Returns
    -------
    :class:`ChunkPlan`.

    Examples
    --------
    >>> plan = plan_chunks("../shared/data/allsides-china-tech/articles.jsonl",
    ...                    chunk_size=500)
    >>> [(c.start, c.stop) for c in plan.chunks]  # doctest: +SKIP
    [(0, 500), (500, 1000), (1000, 1183)]
    """
    if not isinstance(chunk_size, (int, np.integer)) or isinstance(chunk_size, bool) \
            or chunk_size < 1:
        raise OptionError(f"chunk_size must be a whole number of at least 1; got "
                          f"{chunk_size!r}.", fix="pass chunk_size=1000.")
    _check_encoding(encoding)
    if isinstance(source, pd.DataFrame):
        raise OptionError("plan_chunks reads files and folders, not DataFrames.",
                          fix="save the table as Parquet or JSON Lines first.")
    path = Path(source)
    where = str(path)
    absolute = str(input_path(path))
    base = {"source": where, "path": absolute, "encoding": encoding, "html": html,
            "dayfirst": dayfirst}
    if path.is_dir():
        files = _folder_files(path)
        whole = hashlib.sha256()
        chunks = []
        for index, start in enumerate(range(0, len(files), chunk_size)):
            part = hashlib.sha256()
            names = tuple(str(f.relative_to(path)) for f in files[start:start + chunk_size])
            for name in names:
                for h in (whole, part):
                    h.update(name.encode() + b"\0")
                data = (path / name).read_bytes()
                whole.update(data)
                part.update(data)
            chunks.append(ArticleChunk(
                index=index, start=start, stop=start + len(names), kind="files", files=names,
                digest=_digest("files", where, start, part.hexdigest(), encoding, html,
                               *([dayfirst] if dayfirst is not None else [])), **base))
        return ChunkPlan(where, absolute, whole.hexdigest(), len(files), tuple(chunks))
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        if not path.is_file():
            raise InputError("no such file.", path=where,
                             fix="check the path (relative paths start from the current "
                             "folder).")
        sha = fingerprint(path)
        chunk = ArticleChunk(index=0, start=0, stop=1, kind="files", files=("",),
                             check_language=check_language,
                             digest=_digest("file", where, sha, encoding, html, check_language,
                                            *([dayfirst] if dayfirst is not None else [])),
                             **base)
        return ChunkPlan(where, absolute, sha, 1, (chunk,))
    if not path.is_file():
        raise InputError("no such file.", path=where, fix="check the path.")
    header = b""
    spans: list[_Span] = []
    keys: list | None = None
    kind: ChunkKind = "lines"
    if suffix in (".jsonl", ".ndjson"):
        spans, keys, sha = _scan_jsonl(path, chunk_size=chunk_size)
    elif suffix in (".csv", ".tsv"):
        try:
            if encoding and codecs.lookup(encoding).name != "utf-8":
                raise _NotStreamable  # byte ranges are cut for UTF-8 only
            spans, header, sha = _scan_csv(path, sep=_separator(suffix), chunk_size=chunk_size)
        except _NotStreamable:
            log.info("%s: not UTF-8 or not cut into rows cleanly; read whole.", where)
            kind = "whole"
    else:
        kind = "parquet" if suffix == ".parquet" else "whole"
    if kind != "lines":
        sha = fingerprint(path)
        n = (pq.ParquetFile(path).metadata.num_rows if kind == "parquet"
             else len(_whole_table(absolute, path.stat().st_size, path.stat().st_mtime_ns,
                                   encoding)))
        spans = [(start, min(start + chunk_size, n), 0, 0, sha)
                 for start in range(0, n, chunk_size)]
    if not spans:
        raise EmptyInputError("the table has no rows.", path=where,
                              fix="check the file, or the filter that produced it.")
    if keys is None:  # every chunk has the table's columns: the first one's will do
        start, stop, byte_start, byte_stop, _ = spans[0]
        keys = list(_chunk_rows(ArticleChunk(
            index=0, start=start, stop=stop, digest="", kind=kind, byte_start=byte_start,
            byte_stop=byte_stop, header=header, **base)).columns)
    resolved = _resolve_columns(keys, _mapping(text, title, outlet, date, url, id), where=where)
    columns = tuple(resolved.items())
    chunks = tuple(
        ArticleChunk(index=i, start=start, stop=stop, kind=kind, byte_start=byte_start,
                     byte_stop=byte_stop, header=header, columns=columns,
                     digest=_digest(kind, where, start, stop, content, header, columns, html,
                                    *([encoding] if encoding else []),
                                    *([dayfirst] if dayfirst is not None else [])),
                     **base)
        for i, (start, stop, byte_start, byte_stop, content) in enumerate(spans))
    return ChunkPlan(where, absolute, sha, spans[-1][1], chunks)


def iter_articles(
    source: str | PathLike,
    *,
    chunk_size: int = 1000,
    text: str = "text",
    title: str | None = "title",
    outlet: str | None = "outlet",
    date: str | None = "date",
    url: str | None = "url",
    id: str | None = None,
    encoding: str | None = None,
    html: HtmlPolicy = "convert",
    check_language: bool = True,
    dayfirst: bool | None = None,
) -> Iterator[pd.DataFrame]:
    """Read a corpus a chunk at a time, so memory stays bounded whatever its size.

    JSON Lines, CSV/TSV (UTF-8) and Parquet files and folders of article files are read
    in pieces; a JSON document is read whole (convert it to JSON Lines for large corpora).

    Parameters
    ----------
    source : a corpus file or folder, as :func:`read_articles` takes it.
    chunk_size : articles per chunk.
    text, title, outlet, date, url, id, encoding, html, check_language, dayfirst :
        see :func:`read_articles`.

    Yields
    ------
    DataFrames of up to ``chunk_size`` articles: together, exactly
    ``read_articles(source, ...)`` cut into pieces (same ids, columns, dtypes and row
    numbers), except that a column whose JSON values mix numbers and gaps may be read
    as integers in one chunk and as floats in another.

    Examples
    --------
    >>> for chunk in iter_articles("../shared/data/allsides-china-tech/articles.jsonl",
    ...                            chunk_size=500):
    ...     print(len(chunk))  # doctest: +SKIP
    500
    500
    183
    """
    plan = plan_chunks(source, chunk_size=chunk_size, text=text, title=title, outlet=outlet,
                       date=date, url=url, id=id, encoding=encoding, html=html,
                       dayfirst=dayfirst,
                       check_language=check_language)
    registry = IdRegistry()
    for chunk in plan.chunks:
        articles = read_chunk(chunk)
        ids = articles["article_id"].set_axis(pd.RangeIndex(chunk.start, chunk.stop))
        articles["article_id"] = registry.assign(ids, where=plan.source).to_numpy()
        yield articles


def fingerprint(source: str | PathLike) -> str:
    """SHA-256 of an input file, or of every article file in a folder (names and bytes).

    Reports print it so a reader can tell whether two reports saw the same input.

    Examples
    --------
    >>> fingerprint("data/articles/global-times-2025-09-05-ai-public-good.txt")[:12]
    '...'  # doctest: +SKIP
    """
    path = Path(source)
    h = hashlib.sha256()
    if path.is_dir():
        for f in iter_article_files(path):
            h.update(str(f.relative_to(path)).encode() + b"\0")
            h.update(f.read_bytes())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()
