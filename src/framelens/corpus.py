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

import difflib
import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser
from os import PathLike
from pathlib import Path
from typing import Literal

import charset_normalizer
import pandas as pd
import yaml

from framelens.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    LanguageError,
    MetadataError,
    MissingColumnError,
)
from framelens.segment import english_share

__all__ = ["ARTICLE_COLUMNS", "fingerprint", "html_to_text", "read_article", "read_articles"]

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


def _decode(data: bytes, *, where: str, encoding: str | None) -> str:
    """Bytes → text, refusing binary data and reporting guessed encodings."""
    if not data.strip():
        raise EmptyInputError(
            "the file is empty.", path=where, fix="add the article text, or remove the file."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise BinaryInputError(f"this is not a text file: it looks like {what}.", path=where,
                                   fix="give framelens the article as plain UTF-8 text.")
    if b"\x00" in data[:8192]:
        raise BinaryInputError("this is not a text file: it contains NUL bytes.", path=where,
                               fix="give framelens the article as plain UTF-8 text.")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise EncodingError(f"cannot decode the file as {encoding!r}: {e}.", path=where,
                                fix="pass the file's real encoding, or save it as UTF-8.") from e
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        best = charset_normalizer.from_bytes(data).best()
        if best is None or best.encoding in ("utf_8", "ascii"):
            raise EncodingError(
                f"the file is not valid UTF-8 (byte {e.start}) and its encoding could not be "
                "detected.", path=where,
                fix="save it as UTF-8, or pass encoding='cp1252' (or the right one).",
            ) from e
        log.warning("%s: not UTF-8; decoded as %s (detected). Pass encoding=... to override.",
                    where, best.encoding)
        return str(best)


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
                   "headline": "title", "link": "url"}


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


def _content_id(*parts: object) -> str:
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode())
    return digest.hexdigest()[:16]


def _parse_date(value: object, *, where: str, row: int | None = None) -> pd.Timestamp:
    if value is None or (isinstance(value, str) and not value.strip()):
        return pd.NaT
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as e:
        raise MetadataError(f"the date {value!r} does not parse.", path=where, row=row,
                            fix="write dates as YYYY-MM-DD (2025-09-05).") from e
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _looks_english(text: str) -> bool:
    """False only for texts long enough to judge and with too few English function words."""
    if len(text.split()) < _MIN_WORDS_FOR_LANGUAGE:
        return True
    return english_share(text) >= ENGLISH_THRESHOLD


def read_article(
    path: str | PathLike,
    *,
    encoding: str | None = None,
    html: HtmlPolicy = "convert",
    check_language: bool = True,
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
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise InputError("no such file.", path=where,
                         fix="check the path (relative paths start from the current folder).")
    text = _decode(path.read_bytes(), where=where, encoding=encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _parse_front_matter(text, where=where)
    body = _clean_text(body, where=where, html=html)
    if not body.strip():
        raise EmptyInputError("the article has a header but no text.", path=where,
                              fix="add the article text below the closing '---'.")
    is_english = _looks_english(body)
    if check_language and not is_english:
        raise LanguageError(
            f"the text does not look like English ({english_share(body):.0%} English "
            "function words).", path=where,
            fix="framelens's sentiment lexicons and codebooks are English: translate the text "
            "first, or pass check_language=False to analyse it anyway.",
        )
    title = " ".join(str(meta.pop("title", "") or "").split())
    outlet = str(meta.pop("outlet", "") or "")
    published = _parse_date(meta.pop("published", None), where=where)
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


def _dedupe_ids(ids: pd.Series) -> pd.Series:
    """Keep ids unique: a repeated id gets a suffix (-2, -3...) in reading order."""
    counts = ids.groupby(ids).cumcount()
    if counts.any():
        log.warning("%d article(s) share an id with an earlier one; suffixes -2, -3... added.",
                    int((counts > 0).sum()))
    return ids.where(counts == 0, ids + "-" + (counts + 1).astype(str))


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, dtype=False)
        if suffix == ".json":
            return pd.read_json(path, dtype=False)
        data = path.read_bytes()
        text = _decode(data, where=str(path), encoding=None)
        return pd.read_csv(io.StringIO(text), sep="\t" if suffix == ".tsv" else ",", dtype=str,
                           keep_default_na=False)
    except InputError:
        raise
    except (ValueError, OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the table: {e}", path=str(path),
                         fix=f"check that it is valid {suffix[1:].upper()}.") from e


def _find_column(df: pd.DataFrame, name: str, *, role: str, where: str) -> str:
    if name in df.columns:
        return name
    close = difflib.get_close_matches(name, [str(c) for c in df.columns], n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise MissingColumnError(
        f"no column {name!r} for the article {role}; the table has {list(df.columns)}.{hint}",
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


def _detect_column(df: pd.DataFrame, target: str, *, where: str) -> str | None:
    lower = {str(c).lower(): c for c in df.columns}
    for candidate in _COLUMN_CANDIDATES[target]:
        if candidate in lower:
            column = lower[candidate]
            if column != _DEFAULT_COLUMNS[target]:
                log.info("%s: using column %r for the article %s.", where, column,
                         "date" if target == "published" else target)
            return column
    return None


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
) -> pd.DataFrame:
    if df.empty:
        raise EmptyInputError("the table has no rows.", path=where,
                              fix="check the file, or the filter that produced it.")
    mapping = {"text": text, "title": title, "outlet": outlet, "published": date, "url": url,
               "article_id": id}
    out = pd.DataFrame(index=df.index)
    used: set[str] = set()
    for target, name in mapping.items():
        if name is not None and name == _DEFAULT_COLUMNS.get(target) and name not in df.columns:
            name = _detect_column(df, target, where=where) or (
                name if target == "text" else None)  # text is required: refused below
            mapping[target] = name
        if name is None:
            out[target] = "" if target != "published" else None
            continue
        column = _find_column(df, name, role=target if target != "published" else "date",
                              where=where)
        out[target] = df[column]
        used.add(column)
    out["text"] = [
        _clean_text(t, where=f"{where}#row {i}", html=html) if isinstance(t, str) else ""
        for i, t in zip(df.index, out["text"])
    ]
    for col in ("title", "outlet", "url"):
        out[col] = out[col].fillna("").astype(str).map(lambda s: " ".join(s.split()))
    raw_dates = out["published"]
    parsed = pd.to_datetime(raw_dates, errors="coerce", utc=True, format="mixed")
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
    if id is None:
        out["article_id"] = [
            _content_id(t, o, p, x)
            for t, o, p, x in zip(out["title"], out["outlet"], out["published"], out["text"])
        ]
    else:
        out["article_id"] = out["article_id"].astype(str)
    out["article_id"] = _dedupe_ids(out["article_id"])
    out["origin"] = [f"{where}#row {i}" for i in df.index]
    out["is_english"] = [_looks_english(t) for t in out["text"]]
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
    text_column = mapping["text"]
    extra = df[[c for c in df.columns if c != text_column and c not in out.columns]]
    return _finish(pd.concat([out, extra], axis=1))


def _iter_article_files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower()
                  in ARTICLE_SUFFIXES and not p.name.startswith("."))


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
    encoding, html : see :func:`read_article`.
    check_language : refuse a non-English article file. For tables and folders
        non-English rows are kept, flagged by ``is_english`` and named in a warning.

    Returns
    -------
    DataFrame, one row per article, columns as in the module docstring.

    Examples
    --------
    >>> arts = read_articles("../shared/data/allsides-china-tech/articles.jsonl",
    ...                      text="content_original", outlet="source", id="ID")
    >>> arts[["article_id", "outlet", "published"]].head(2)  # doctest: +SKIP
    """
    if isinstance(source, pd.DataFrame):
        return _articles_from_table(source.reset_index(drop=True), where="<DataFrame>",
                                    text=text, title=title, outlet=outlet, date=date, url=url,
                                    id=id, html=html)
    path = Path(source)
    if path.is_dir():
        files = list(_iter_article_files(path))
        if not files:
            raise EmptyInputError(
                f"the folder holds no article files ({', '.join(ARTICLE_SUFFIXES)}).",
                path=str(path), fix="put one .txt or .md file per article in it.")
        frames = [read_article(f, encoding=encoding, html=html, check_language=False)
                  for f in files]
        out = pd.concat(frames, ignore_index=True)
        out["article_id"] = _dedupe_ids(out["article_id"])
        if (~out["is_english"]).any():
            log.warning("%s: %d file(s) do not look like English: %s", path,
                        int((~out["is_english"]).sum()), list(out.loc[~out["is_english"],
                                                                     "origin"][:10]))
        return _finish(out)
    if path.suffix.lower() in TABLE_SUFFIXES:
        if not path.is_file():
            raise InputError("no such file.", path=str(path), fix="check the path.")
        return _articles_from_table(_read_table(path), where=str(path), text=text, title=title,
                                    outlet=outlet, date=date, url=url, id=id, html=html)
    return read_article(path, encoding=encoding, html=html, check_language=check_language)


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
        for f in _iter_article_files(path):
            h.update(str(f.relative_to(path)).encode() + b"\0")
            h.update(f.read_bytes())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()
