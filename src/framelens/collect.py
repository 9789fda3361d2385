"""Collecting articles: RSS/Atom feeds and lists of addresses into a folder of article files.

This module owns the step before :func:`~framelens.corpus.read_articles`: it downloads
new articles, extracts their main text and metadata with trafilatura, and writes one
``.txt`` file per article, with the YAML header ``read_articles`` reads, into a corpus
folder. What to collect is described in a ``feeds.yml`` file::

    corpus: data/collected        # the folder (relative to this file); created if missing
    user_agent: "my-study/1.0 (media study; contact: you@university.edu)"
    timeout: 20                   # seconds per request, the whole download included
    retries: 2                    # extra attempts after a timeout or a 5xx/429 answer
    delay: 2                      # seconds between two requests to the same host
    max_items: 50                 # items taken from each feed (feeds list newest first)
    min_words: 50                 # pages with fewer words of main text are not stored
    robots: true                  # obey robots.txt (false only with the site's permission)
    sources:
      - outlet: Harbour Herald    # written into every article's header
        feed: https://herald.example/rss.xml          # an RSS or Atom feed
        language: en              # optional, written into the header
        max_items: 10             # optional, overrides max_items for this feed
      - name: hand-picked         # a label for the tables (default: the outlet)
        urls:                     # article addresses
          - https://news.example/2025/09/05/port-strike
      - name: from a file
        url_list: urls.txt        # one address per line; lines starting with '#' are ignored

Only ``sources`` is required; the other values shown are the defaults, except
``corpus`` (else pass ``corpus=``/``--corpus``) and ``user_agent`` (default
``framelens/<version> (news research)``; name your project and a contact). A source has
exactly one of ``feed``, ``urls`` and ``url_list``. Without ``outlet`` an article's outlet is
the site name the page declares, else the feed's title, else the host name. Mistakes in
the file are refused with the line at fault (:class:`~framelens.errors.InputError`).

How an article is collected:

- **fetched** through one :class:`Fetcher`: a user agent, a timeout for the whole download,
  retries with exponential backoff after timeouts, dropped connections and 5xx/408/429
  answers (never after other 4xx), and a minimum delay between two requests to the same
  host (longer if robots.txt asks for a ``Crawl-delay``). Requests are made one at a time.
  Each host's robots.txt is read once per run and obeyed (RFC 9309: a missing robots.txt
  allows everything, an unreachable one forbids everything).
- **extracted** with ``trafilatura.bare_extraction``: title, author, date, site name and
  the main text, without comments. The page's title and author win; the feed fills the
  gaps. The date is the feed's (the publisher's own, to the minute) when it gives one,
  else the page's. A headline repeated as the first line of the text is dropped.
- **refused** when the main text has fewer than ``min_words`` words (navigation pages,
  paywalls, galleries), when the answer is not HTML, or when it cannot be fetched: such
  pages are logged and listed in :attr:`CollectResult.skipped`, never stored empty.
- **de-duplicated** by address and by content. Addresses are compared after
  :func:`normalize_url` (no fragment, no ``utm_*`` or click-id parameters, no trailing
  slash), both as listed and after redirects, so an item is not fetched again once
  collected. Texts are compared by a hash of their words, the ``exact`` duplicates of
  :func:`~framelens.duplicates.find_duplicates`; near duplicates (a corrected typo, a
  syndicated copy with another byline) are kept and can be found later with
  ``find_duplicates(read_articles(folder))``.
- **stored** as ``<outlet>-<date>-<title>-<hash>.txt`` (via
  :func:`~framelens.reports.safe_name`, so a headline cannot leave the folder), written
  to a temporary file and renamed into place. Every URL handled is recorded in
  ``.collected.jsonl`` in the folder: collected pages with their file and content hash,
  and pages refused for good (no text, not HTML, 4xx, duplicate content), so the next
  run fetches neither again; timeouts and 5xx answers are tried again next run. Delete
  a line to let that URL be collected again. Article files in the folder that the index
  does not list (added by hand) count for de-duplication too. A lock file keeps two runs
  from writing to one folder at once.

Running ``collect_articles`` again on unchanged feeds adds nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import hashlib
import http.client
import importlib.metadata
import io
import json
import logging
import math
import os
import tempfile
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections import Counter
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import filelock
import pandas as pd
import trafilatura
import yaml

from framelens.corpus import iter_article_files, read_article
from framelens.duplicates import content_words
from framelens.errors import FramelensError, InputError, OptionError
from framelens.files import share_like_new_file
from framelens.reports import safe_name
from framelens.yamlfile import describe, line_of

__all__ = [
    "CollectResult",
    "FeedConfig",
    "Fetcher",
    "Response",
    "Source",
    "collect_articles",
    "load_feeds",
    "normalize_url",
]

log = logging.getLogger(__name__)

INDEX_NAME = ".collected.jsonl"
LOCK_NAME = ".collected.lock"


def _version() -> str:
    try:
        return importlib.metadata.version("framelens")
    except importlib.metadata.PackageNotFoundError:
        return "dev"


#: sent when feeds.yml names no user agent; better name your project and a contact address
DEFAULT_USER_AGENT = f"framelens/{_version()} (news research)"

#: skip reasons, in :attr:`CollectResult.skipped` and :attr:`CollectResult.errors`
SKIP_REASONS = {
    "duplicate-url": "the address (normalised) was collected before, in this run or an earlier one",
    "duplicate-content": "the same text was collected before under another address",
    "refused-before": "an earlier run refused the address for good (the detail says why)",
    "no-text": "the page has no main text, or fewer words than min_words",
    "not-html": "the answer is not a web page (PDF, image, ...)",
    "robots": "robots.txt forbids the address to this user agent",
    "timeout": "no complete answer within the timeout, after every retry",
    "connection-error": "the host could not be reached, after every retry",
    "too-large": "the answer is larger than the size limit",
    "bad-url": "the item's address is not http(s)",
    "extract-error": "trafilatura failed on the page",
    "not-a-feed": "the feed address did not answer with RSS or Atom (errors only)",
    "http-<code>": "the server answered with this HTTP status, e.g. http-404, http-500",
}

# --- addresses ----------------------------------------------------------------------

_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid",
                              "mc_cid", "mc_eid", "igshid", "_ga", "yclid", "ocid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)


def normalize_url(url: str) -> str:
    """The address two links to the same article have in common.

    Scheme and host are lower-cased, default ports, the fragment, tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``...) and a trailing slash are dropped; the other
    query parameters keep their order.

    Examples
    --------
    >>> normalize_url("HTTPS://News.Example:443/a/story/?utm_source=rss&id=7#comments")
    'https://news.example/a/story?id=7'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


# --- feeds.yml ----------------------------------------------------------------------

_TOP_KEYS = ("corpus", "user_agent", "timeout", "retries", "delay", "max_items", "min_words",
             "robots", "sources")
_SOURCE_KEYS = ("name", "outlet", "feed", "urls", "url_list", "language", "max_items")
_KINDS = ("feed", "urls", "url_list")
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Source:
    """One entry of ``sources:`` in feeds.yml.

    Attributes
    ----------
    name : label of the source in the result tables and the article headers.
    outlet : outlet written into the articles ("" = the page's site name).
    feed : address of an RSS or Atom feed ("" for a list of addresses).
    urls : article addresses (from ``urls:`` or the ``url_list:`` file).
    language : written into the article headers when given.
    max_items : items taken from the feed (None = the file's ``max_items``).
    """

    name: str
    outlet: str = ""
    feed: str = ""
    urls: tuple[str, ...] = ()
    language: str = ""
    max_items: int | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class FeedConfig:
    """What to collect and how politely, as read from feeds.yml by :func:`load_feeds`.

    Attributes
    ----------
    sources : the feeds and address lists, in file order.
    corpus : the folder articles are written to (None: pass ``corpus=`` when collecting).
    user_agent, timeout, retries, delay, max_items, min_words, robots : see the module
        docstring.
    path : the file the configuration was read from ("" when built in code).
    """

    sources: tuple[Source, ...]
    corpus: Path | None = None
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0
    retries: int = 2
    delay: float = 2.0
    max_items: int = 50
    min_words: int = 50
    robots: bool = True
    path: str = ""

    def __post_init__(self) -> None:
        for name, minimum in (("timeout", 0.001), ("delay", 0), ("retries", 0),
                              ("max_items", 1), ("min_words", 1)):
            value = getattr(self, name)
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or value < minimum):
                raise OptionError(f"{name} must be a number of at least {minimum}; got {value!r}.",
                                  fix=f"set {name} to a value of {minimum} or more.")
        for name in ("retries", "max_items", "min_words"):
            if not isinstance(getattr(self, name), int):
                raise OptionError(f"{name} must be a whole number; got {getattr(self, name)!r}.",
                                  fix=f"set {name} to a whole number.")
        if not self.user_agent.strip():
            raise OptionError("user_agent is empty.",
                              fix="name your project and a contact address in it.")


class _FeedsReader:
    """Validates the composed YAML of a feeds file; every refusal names the line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.constructor = yaml.SafeLoader("")

    def relative(self, value: str) -> Path:
        """A path written in the file, taken relative to the file's folder."""
        return Path(os.path.normpath(self.path.parent / Path(value).expanduser()))

    def fail(self, problem: str, node: yaml.Node | int | None, fix: str | None = None
             ) -> InputError:
        line = line_of(node) if isinstance(node, yaml.Node) else node
        return InputError(problem, path=self.path, line=line, fix=fix)

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]
                ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be 'key: value' lines, not {describe(node)}.", node)
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise self.fail(f"{what} has an unknown key {key!r}.", key_node,
                                f"{hint}Allowed keys: {', '.join(allowed)}.")
            if key in fields:
                raise self.fail(f"{what} has {key!r} twice (lines {line_of(fields[key][0])} and "
                                f"{line_of(key_node)}); YAML would silently keep the last.",
                                key_node, "keep one of them.")
            fields[key] = (key_node, value_node)
        return fields

    def text(self, node: yaml.Node, what: str) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag in (_STR, _INT, _FLOAT):
            value = " ".join(node.value.split())
            if value:
                return value
        raise self.fail(f"{what} must be a non-empty string, not {describe(node)}.", node,
                        "put the value in quotes (YAML reads no, yes and on as true/false).")

    def number(self, node: yaml.Node, what: str, *, minimum: float, whole: bool) -> float | int:
        kind = "a whole number" if whole else "a number"
        if not (isinstance(node, yaml.ScalarNode)
                and node.tag in ((_INT,) if whole else (_INT, _FLOAT))):
            raise self.fail(f"{what} must be {kind}, not {describe(node)} "
                            f"({getattr(node, 'value', '')!r}).", node,
                            f"write e.g. '{what}: {max(1, int(minimum))}'.")
        value = self.constructor.construct_object(node)
        if not math.isfinite(value) or value < minimum:
            raise self.fail(f"{what} must be at least {minimum}; got {value}.", node)
        return value

    def flag(self, node: yaml.Node, what: str) -> bool:
        if not (isinstance(node, yaml.ScalarNode) and node.tag == _BOOL):
            raise self.fail(f"{what} must be true or false, not {describe(node)}.", node)
        return bool(self.constructor.construct_object(node))

    def url(self, node: yaml.Node, what: str) -> str:
        value = self.text(node, what)
        if not _is_web_url(value):
            raise self.fail(f"{what}: {value!r} is not an http:// or https:// address.", node,
                            "write the full address, starting with https://.")
        return value

    def url_file(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        list_path = self.relative(self.text(node, what))
        if not list_path.is_file():
            raise self.fail(f"{what}: no such file {str(list_path)!r}.", node,
                            "give the path of a text file with one address per line, "
                            "relative to the feeds file.")
        urls = []
        try:
            lines = list_path.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError as e:
            raise InputError("the address list is not UTF-8 text.", path=list_path,
                             fix="save it as UTF-8.") from e
        for number, line in enumerate(lines, start=1):
            value = "" if line.lstrip().startswith("#") else line.strip()
            if not value:
                continue
            if not _is_web_url(value):
                raise InputError(f"{value!r} is not an http:// or https:// address.",
                                 path=list_path, line=number,
                                 fix="write one full address per line; start comment lines "
                                 "with '#'.")
            urls.append(value)
        if not urls:
            raise self.fail(f"{what}: the file {str(list_path)!r} lists no addresses.", node)
        return tuple(urls)

    def source(self, node: yaml.Node, number: int) -> tuple[Source, yaml.Node]:
        what = f"source {number}"
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR and _is_web_url(node.value):
            raise self.fail(f"{what} is a bare address.", node,
                            f"write '- feed: {node.value}' (or 'urls:' for article addresses).")
        fields = self.mapping(node, what, _SOURCE_KEYS)
        kinds = [k for k in _KINDS if k in fields]
        if len(kinds) != 1:
            found = f"has {' and '.join(kinds)}" if kinds else "has none"
            raise self.fail(f"{what} needs exactly one of feed, urls and url_list; it {found}.",
                            node, "split it into one source per feed or list.")
        kind = kinds[0]
        value = fields[kind][1]
        feed, urls = "", ()
        if kind == "feed":
            feed = self.url(value, f"{what}, feed")
        elif kind == "url_list":
            urls = self.url_file(value, f"{what}, url_list")
        else:
            if not isinstance(value, yaml.SequenceNode) or not value.value:
                raise self.fail(f"{what}, urls must be a list of addresses ('- https://...' "
                                f"lines), not {describe(value)}.", value)
            urls = tuple(self.url(item, f"{what}, urls") for item in value.value)
        outlet = self.text(fields["outlet"][1], f"{what}, outlet") if "outlet" in fields else ""
        name = (self.text(fields["name"][1], f"{what}, name") if "name" in fields
                else outlet or feed or f"source {number}")
        return Source(
            name=name, outlet=outlet, feed=feed, urls=urls,
            language=self.text(fields["language"][1], f"{what}, language")
            if "language" in fields else "",
            max_items=self.number(fields["max_items"][1], f"{what}, max_items", minimum=1,
                                  whole=True) if "max_items" in fields else None,
        ), node

    def config(self, root: yaml.Node | None) -> FeedConfig:
        if root is None:
            raise self.fail("the file is empty.", 1, "list at least one feed under 'sources:'; "
                            "see examples/feeds.yml.")
        fields = self.mapping(root, "the feeds file", _TOP_KEYS)
        if "sources" not in fields:
            raise self.fail("the feeds file has no 'sources:' list.", root,
                            "add 'sources:' with '- feed: https://...' entries.")
        sources_key, sources_node = fields["sources"]
        if not isinstance(sources_node, yaml.SequenceNode) or not sources_node.value:
            raise self.fail("'sources:' must be a list with at least one entry "
                            f"('- feed: ...'), not {describe(sources_node)}.", sources_key)
        sources = [self.source(item, i) for i, item in enumerate(sources_node.value, start=1)]
        seen: dict[str, int] = {}
        for source, node in sources:
            if source.name in seen:
                raise self.fail(f"two sources are called {source.name!r} (lines "
                                f"{seen[source.name]} and {line_of(node)}).", node,
                                "give one of them its own 'name:'.")
            seen[source.name] = line_of(node)
        settings: dict[str, object] = {}
        for key, minimum, whole in (("timeout", 0.001, False), ("delay", 0, False),
                                    ("retries", 0, True), ("max_items", 1, True),
                                    ("min_words", 1, True)):
            if key in fields:
                settings[key] = self.number(fields[key][1], key, minimum=minimum, whole=whole)
        if "user_agent" in fields:
            settings["user_agent"] = self.text(fields["user_agent"][1], "user_agent")
        if "robots" in fields:
            settings["robots"] = self.flag(fields["robots"][1], "robots")
        corpus = None
        if "corpus" in fields:
            corpus = self.relative(self.text(fields["corpus"][1], "corpus"))
        return FeedConfig(sources=tuple(s for s, _ in sources), corpus=corpus,
                          path=str(self.path), **settings)


def load_feeds(path: str | PathLike) -> FeedConfig:
    """Read and validate a feeds file (the format is in the module docstring).

    Parameters
    ----------
    path : the ``feeds.yml`` file. Relative paths inside it (``corpus``, ``url_list``)
        are relative to the file's folder.

    Returns
    -------
    FeedConfig

    Raises
    ------
    InputError
        when the file is missing or malformed; the message names the file and the line
        (or the line of a ``url_list`` file) and the fix.

    Examples
    --------
    >>> config = load_feeds("examples/feeds.yml")
    >>> [s.name for s in config.sources][:1]
    ['NPR World']
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file.", path=path,
                         fix="give the path of a feeds .yml file; see examples/feeds.yml.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("the feeds file is not UTF-8 text.", path=path,
                         fix="save it as UTF-8.") from e
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(str(part) for part in (e.context, e.problem) if part)
        raise InputError(f"not valid YAML: {problem}.", path=path,
                         line=None if mark is None else mark.line + 1,
                         fix="check the indentation and the quotes on this line and the one "
                         "above; quote values that contain ': '.") from e
    except yaml.YAMLError as e:
        raise InputError(f"not valid YAML: {e}", path=path) from e
    return _FeedsReader(path).config(root)


# --- fetching -----------------------------------------------------------------------

_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_TRANSIENT = frozenset({"timeout", "connection-error"} | {f"http-{s}" for s in _RETRY_STATUS})
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/xml;q=0.9,*/*;q=0.8")


@dataclasses.dataclass(frozen=True)
class Response:
    """What :class:`Fetcher` got for one address, after its retries.

    ``error`` is "" when a body arrived with status 2xx; otherwise a skip reason
    (``timeout``, ``connection-error``, ``too-large``, ``bad-url``, ``http-404``...)
    with ``detail`` in words. ``final_url`` is the address after redirects.
    """

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    error: str = ""
    detail: str = ""
    attempts: int = 1
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return not self.error


class _TooLarge(Exception):
    pass


class _RedirectRefused(urllib.error.URLError):
    pass


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (never to file:, ftp: or data:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not _is_web_url(urljoin(req.full_url, newurl)):
            fp.close()
            raise _RedirectRefused(f"redirected to {newurl!r}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    """HTTP GET with a user agent, a timeout, retries and a per-host delay.

    One opener serves every request, made one at a time. Before each request the
    fetcher waits until ``delay`` seconds have passed since the last request to the
    same host finished; after a timeout, a dropped connection or a 408/425/429/5xx
    answer it tries again up to ``retries`` times, waiting ``backoff``, 2 × ``backoff``,
    4 × ``backoff``... seconds (or the ``Retry-After`` the server asks for, up to 60 s).

    Parameters
    ----------
    user_agent : sent with every request; name your project and a contact.
    timeout : seconds for one request, the whole download included.
    retries : extra attempts after a transient failure.
    delay : minimum seconds between two requests to one host.
    backoff : seconds before the first retry.
    max_bytes : answers larger than this are abandoned (``too-large``).
    clock, sleep : the time source and the wait used for delays and backoff
        (``time.monotonic`` and ``time.sleep``); tests pass a fake pair. Timeouts
        always run on real time.

    Attributes
    ----------
    requests : the number of HTTP requests made so far, retries included.

    Examples
    --------
    >>> fetch = Fetcher(user_agent="my-study/1.0 (me@uni.edu)", timeout=10, delay=1)
    >>> fetch("https://news.example/story").ok  # doctest: +SKIP
    True
    """

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 20.0,
        retries: int = 2,
        delay: float = 2.0,
        backoff: float = 1.0,
        max_bytes: int = 20_000_000,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.delay = delay
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.requests = 0
        self._clock = clock
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_WebOnlyRedirects())
        self._ready_at: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}

    @classmethod
    def from_config(cls, config: FeedConfig, **options) -> Fetcher:
        """A fetcher with the user agent, timeout, retries and delay of ``config``."""
        return cls(user_agent=config.user_agent, timeout=config.timeout,
                   retries=config.retries, delay=config.delay, **options)

    def slow_down(self, host: str, seconds: float) -> None:
        """Wait at least ``seconds`` between requests to ``host`` (robots.txt Crawl-delay)."""
        self._host_delay[host] = max(seconds, self._host_delay.get(host, 0.0))

    def __call__(self, url: str) -> Response:
        if not _is_web_url(url):
            return Response(url=url, error="bad-url", detail="not an http(s) address", attempts=0)
        host = _host(url)
        attempt = 0
        while True:
            wait = self._ready_at.get(host, float("-inf")) - self._clock()
            if wait > 0:
                self._sleep(wait)
            response = self._get(url)
            attempt += 1
            self.requests += 1
            self._ready_at[host] = self._clock() + max(self.delay,
                                                       self._host_delay.get(host, 0.0))
            if response.error not in _TRANSIENT or attempt > self.retries:
                return dataclasses.replace(response, attempts=attempt)
            pause = self.backoff * 2 ** (attempt - 1)
            if response.retry_after is not None:
                pause = max(pause, min(response.retry_after, 60.0))
            log.info("%s: %s; retry %d of %d in %.1f s", url, response.detail, attempt,
                     self.retries, pause)
            self._ready_at[host] = max(self._ready_at[host], self._clock() + pause)

    def _get(self, url: str) -> Response:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept": _ACCEPT})
        deadline = time.monotonic() + self.timeout
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                body = self._read(answer, deadline)
                return Response(url=url, final_url=answer.geturl(), status=answer.status,
                                content_type=answer.headers.get("Content-Type", ""), body=body)
        except urllib.error.HTTPError as e:
            retry_after = e.headers.get("Retry-After", "") if e.headers else ""
            e.close()
            if 300 <= e.code < 400 and not _is_web_url(str(e.filename)):
                # urllib itself refuses redirects to file: and friends
                return Response(url=url, error="bad-url", detail=f"redirected to {e.filename!r}"
                                ", which is not an http(s) address")
            return Response(url=url, final_url=e.filename or url, status=e.code,
                            error=f"http-{e.code}", detail=f"the server answered {e.code} "
                            f"{e.reason}", retry_after=float(retry_after)
                            if retry_after.strip().isdigit() else None)
        except _RedirectRefused as e:
            return Response(url=url, error="bad-url", detail=str(e.reason))
        except _TooLarge:
            return Response(url=url, error="too-large",
                            detail=f"the answer is larger than {self.max_bytes:,} bytes")
        except TimeoutError:
            return Response(url=url, error="timeout",
                            detail=f"no complete answer within {self.timeout:g} s")
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                return Response(url=url, error="timeout",
                                detail=f"no answer within {self.timeout:g} s")
            return Response(url=url, error="connection-error", detail=str(e.reason))
        except (http.client.HTTPException, OSError) as e:
            return Response(url=url, error="connection-error",
                            detail=f"{type(e).__name__}: {e}")

    def _read(self, answer: http.client.HTTPResponse, deadline: float) -> bytes:
        length = answer.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise _TooLarge
        chunks, size = [], 0
        while chunk := answer.read(65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            if time.monotonic() > deadline:  # a server trickling bytes under the socket timeout
                raise TimeoutError
            chunks.append(chunk)
        return b"".join(chunks)


# --- the collection run -------------------------------------------------------------

ADDED_COLUMNS = ["article_id", "source", "url", "path", "title", "outlet", "published", "words"]
SKIPPED_COLUMNS = ["source", "url", "reason", "detail"]
ERROR_COLUMNS = ["source", "url", "reason", "detail"]
#: refusals an earlier run's verdict stands for; the others (timeouts, 5xx) are retried
_FINAL_REASONS = frozenset({"no-text", "not-html", "too-large", "duplicate-content",
                            "extract-error"})
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclasses.dataclass(frozen=True)
class CollectResult:
    """What :func:`collect_articles` did.

    Attributes
    ----------
    corpus : the folder.
    added : one row per article written (or, in a dry run, that would be written):
        ``article_id, source, url, path, title, outlet, published, words``.
        ``article_id`` is the ``id`` in the file's header, so it matches
        ``read_articles(corpus)``.
    skipped : one row per item not written: ``source, url, reason, detail``
        (reasons in :data:`SKIP_REASONS`).
    errors : one row per source that could not be read at all (feed unreachable, not a
        feed): ``source, url, reason, detail``.
    requests : HTTP requests made, retries and robots.txt included.
    dry_run : True when nothing was written.
    """

    corpus: Path
    added: pd.DataFrame
    skipped: pd.DataFrame
    errors: pd.DataFrame
    requests: int
    dry_run: bool = False

    def summary(self) -> str:
        """One paragraph for the terminal: counts of added, skipped by reason, errors.

        Examples
        --------
        >>> print(result.summary())  # doctest: +SKIP
        added 3 article(s) to data/collected (14 requests); skipped 4: 2 duplicate-url, ...
        """
        verb = "would add" if self.dry_run else "added"
        text = f"{verb} {len(self.added)} article(s) to {self.corpus} ({self.requests} requests)"
        if len(self.skipped):
            counts = Counter(self.skipped["reason"])
            text += f"; skipped {len(self.skipped)}: " + ", ".join(
                f"{n} {reason}" for reason, n in counts.most_common())
        if len(self.errors):
            text += f"; {len(self.errors)} source(s) failed: " + "; ".join(
                f"{row.source} ({row.reason}: {row.detail})"
                for row in self.errors.itertuples())
        return text + "."


@dataclasses.dataclass(frozen=True)
class _Item:
    url: str
    title: str = ""
    author: str = ""
    published: dt.datetime | None = None


def _feed_date(entry: dict) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime(*value[:6], tzinfo=dt.UTC)
    return None


def _clean(value: object) -> str:
    return " ".join(str(value).split()) if value else ""


def _content_key(text: str) -> str:
    """The exact-duplicate key of :func:`~framelens.duplicates.find_duplicates`."""
    return hashlib.sha1(" ".join(content_words(text)).encode()).hexdigest()


def _naive_utc(value: dt.date | None) -> pd.Timestamp:
    """Dates as read_articles gives them: UTC without a time zone, NaT when unknown."""
    if value is None:
        return pd.NaT
    stamp = pd.Timestamp(value)
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp


def _page_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _extract(body: bytes, content_type: str, url: str) -> dict:
    charset = ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"')
    markup: bytes | str = body
    if charset:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            markup = body.decode(charset)
    document = trafilatura.bare_extraction(markup, url=url, with_metadata=True,
                                           include_comments=False)
    if document is None:
        return {}
    return document if isinstance(document, dict) else document.as_dict()  # 1.x gives a dict


def _body_text(text: str, title: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]
    return "\n".join(lines)


class _Index:
    """The URLs and content hashes the corpus folder already holds."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / INDEX_NAME
        self.urls: dict[str, dict] = {}
        self.contents: dict[str, dict] = {}
        if self.path.is_file():
            self._read_index()
        if folder.is_dir():
            self._scan(folder)

    def _read_index(self) -> None:
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                self.remember(entry)
            except (json.JSONDecodeError, TypeError, KeyError):
                log.warning("%s, line %d: not a valid index line; ignored.", self.path, number)

    def _scan(self, folder: Path) -> None:
        listed = {entry.get("path") for entry in self.urls.values()}
        for file in iter_article_files(folder):
            relative = file.relative_to(folder).as_posix()
            if relative in listed:
                continue
            try:
                article = read_article(file, check_language=False)
            except FramelensError as e:
                log.warning("%s: not read for de-duplication: %s", file, e)
                continue
            url = article.loc[0, "url"]
            self.remember({"status": "added", "path": relative, "url": normalize_url(url)
                           if url else "", "content": _content_key(article.loc[0, "text"])})

    def remember(self, entry: dict) -> None:
        for key in ("url", "requested"):
            if entry.get(key):
                self.urls.setdefault(entry[key], entry)
        if entry["status"] == "added" and entry.get("content"):
            self.contents.setdefault(entry["content"], entry)

    def append(self, entry: dict, *, write: bool) -> None:
        self.remember(entry)
        if write:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _write_atomic(path: Path, content: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        share_like_new_file(temporary)  # mkstemp makes it 0600: the user's umask instead
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _Run:
    def __init__(self, config: FeedConfig, folder: Path, fetcher: Fetcher, *,
                 collected_at: str, dry_run: bool) -> None:
        self.config = config
        self.folder = folder
        self.fetch = fetcher
        self.collected_at = collected_at
        self.dry_run = dry_run
        self.index = _Index(folder)
        self.robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self.added: list[dict] = []
        self.skipped: list[dict] = []
        self.errors: list[dict] = []
        self.planned: set[Path] = set()

    # robots.txt --------------------------------------------------------------------

    def forbidden(self, url: str) -> str:
        """Why robots.txt forbids ``url`` ("" when it allows it)."""
        if not self.config.robots:
            return ""
        parts = urlsplit(url)
        root = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if root not in self.robots:
            self.robots[root] = self._read_robots(root)
        rules = self.robots[root]
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.config.user_agent, url):
            return f"{root}/robots.txt disallows it for this user agent"
        return ""

    def _read_robots(self, root: str) -> urllib.robotparser.RobotFileParser | str:
        response = self.fetch(f"{root}/robots.txt")
        rules = urllib.robotparser.RobotFileParser(f"{root}/robots.txt")
        if response.ok:
            rules.parse(response.body.decode("utf-8", errors="replace").splitlines())
            crawl_delay = rules.crawl_delay(self.config.user_agent)
            if crawl_delay and float(crawl_delay) > self.config.delay:
                log.info("%s/robots.txt asks for %s s between requests.", root, crawl_delay)
                self.fetch.slow_down(_host(root), float(crawl_delay))
        elif (response.status is not None and 400 <= response.status < 500
              and response.error not in _TRANSIENT):
            rules.parse([])  # RFC 9309: robots.txt unavailable (4xx) → everything allowed
        else:  # RFC 9309: unreachable (5xx, network) → assume everything is disallowed
            return (f"{root}/robots.txt could not be read ({response.error}); RFC 9309 "
                    "asks crawlers to stay away until it can")
        return rules

    # reading sources ----------------------------------------------------------------

    def items(self, source: Source) -> tuple[list[_Item], str]:
        """The source's items, and the feed's title ("" for a list of addresses)."""
        if not source.feed:
            return [_Item(url=url) for url in source.urls], ""
        reason = self.forbidden(source.feed)
        if reason:
            self.error(source, source.feed, "robots", reason)
            return [], ""
        response = self.fetch(source.feed)
        if not response.ok:
            self.error(source, source.feed, response.error, response.detail)
            return [], ""
        parsed = feedparser.parse(io.BytesIO(response.body), response_headers={
            "content-location": response.final_url, "content-type": response.content_type})
        if not parsed.entries and parsed.bozo:
            self.error(source, source.feed, "not-a-feed",
                       f"not RSS or Atom ({parsed.get('bozo_exception', 'unreadable')})")
            return [], ""
        if not parsed.entries:
            log.info("%s: the feed lists no items.", source.feed)
        items = [
            _Item(url=urljoin(response.final_url, (entry.get("link") or entry.get("id") or "")
                              .strip()),
                  title=_clean(entry.get("title")), author=_clean(entry.get("author")),
                  published=_feed_date(entry))
            for entry in parsed.entries[:source.max_items or self.config.max_items]
        ]
        return items, _clean(parsed.feed.get("title"))

    def source(self, source: Source) -> None:
        items, feed_title = self.items(source)
        for item in items:
            self.item(source, item, feed_title=feed_title)

    # one item -----------------------------------------------------------------------

    def item(self, source: Source, item: _Item, *, feed_title: str) -> None:
        if not _is_web_url(item.url):
            self.skip(source, item.url, "bad-url", "not an http(s) address")
            return
        requested = normalize_url(item.url)
        if self.known(source, item.url, requested):
            return
        reason = self.forbidden(item.url)
        if reason:
            self.skip(source, item.url, "robots", reason)
            return
        response = self.fetch(item.url)
        final = normalize_url(response.final_url or item.url)
        if final != requested and self.known(source, item.url, final, also=requested):
            return
        if not response.ok:
            self.refuse(source, item.url, response.error, response.detail, requested, final)
            return
        content_type = response.content_type.split(";")[0].strip().lower()
        if content_type not in _HTML_TYPES:
            self.refuse(source, item.url, "not-html", f"the answer is {content_type}",
                        requested, final)
            return
        try:
            page = _extract(response.body, response.content_type, response.final_url)
        except Exception as e:  # one bad page must not end a long crawl
            self.refuse(source, item.url, "extract-error", f"{type(e).__name__}: {e}",
                        requested, final)
            return
        title = _clean(page.get("title")) or item.title
        text = _body_text(page.get("text") or "", title)
        words = len(content_words(text))
        if words < self.config.min_words:
            self.refuse(source, item.url, "no-text", f"{words} words of main text, fewer "
                        f"than min_words={self.config.min_words}", requested, final)
            return
        content = _content_key(text)
        if content in self.index.contents:
            earlier = self.index.contents[content]
            self.refuse(source, item.url, "duplicate-content",
                        f"same text as {earlier.get('path') or earlier.get('url')}",
                        requested, final)
            return
        self.store(source, item, page, title=title, text=text, words=words, url=final,
                   requested=requested, content=content, feed_title=feed_title)

    def known(self, source: Source, url: str, key: str, *, also: str = "") -> bool:
        entry = self.index.urls.get(key)
        if entry is None:
            return False
        if also:  # the redirect target is known: remember the address that led to it
            self.index.append({**entry, "requested": also}, write=not self.dry_run)
        if entry["status"] == "added":
            where = entry.get("path") or "the corpus"
            self.skip(source, url, "duplicate-url", f"already collected as {where}")
        else:
            self.skip(source, url, "refused-before",
                      f"{entry.get('reason')} on {entry.get('collected_at', 'an earlier run')}; "
                      f"delete its line in {INDEX_NAME} to try again")
        return True

    def store(self, source: Source, item: _Item, page: dict, *, title: str, text: str,
              words: int, url: str, requested: str, content: str, feed_title: str) -> None:
        published = item.published or _page_date(page.get("date"))
        host = _host(url)
        outlet = (source.outlet or _clean(page.get("sitename")) or feed_title or host)
        article_id = hashlib.sha1(url.encode()).hexdigest()[:16]
        header = {"title": title, "outlet": outlet, "date": published,
                  "author": _clean(page.get("author")) or item.author, "url": url,
                  "id": article_id, "source": source.name, "language": source.language,
                  "collected_at": self.collected_at}
        header = {k: v for k, v in header.items() if v not in ("", None)}
        day = published.strftime("%Y-%m-%d") if published else None
        stem = f"{safe_name(outlet, day, title, max_length=80, default='article')}-{article_id[:8]}"
        path = self.folder / f"{stem}.txt"
        n = 2
        while path.exists() or path in self.planned:
            path, n = self.folder / f"{stem}-{n}.txt", n + 1
        self.planned.add(path)
        front = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=1_000_000)
        if not self.dry_run:
            _write_atomic(path, f"---\n{front}---\n{text}\n")
        relative = path.relative_to(self.folder).as_posix()
        self.index.append({"status": "added", "url": url, "requested": requested,
                           "id": article_id, "path": relative, "content": content,
                           "collected_at": self.collected_at}, write=not self.dry_run)
        log.info("%s: %s (%d words)", "would add" if self.dry_run else "added", path, words)
        self.added.append({"article_id": article_id, "source": source.name, "url": url,
                           "path": str(path), "title": title, "outlet": outlet,
                           "published": published, "words": words})

    # bookkeeping --------------------------------------------------------------------

    def refuse(self, source: Source, url: str, reason: str, detail: str, requested: str,
               final: str) -> None:
        if reason in _FINAL_REASONS or (reason.startswith("http-4")
                                        and reason not in _TRANSIENT):
            self.index.append({"status": "refused", "reason": reason, "url": final,
                               "requested": requested, "collected_at": self.collected_at},
                              write=not self.dry_run)
        self.skip(source, url, reason, detail)

    def skip(self, source: Source, url: str, reason: str, detail: str) -> None:
        quiet = reason in ("duplicate-url", "refused-before", "duplicate-content")
        log.log(logging.INFO if quiet else logging.WARNING, "skipped %s: %s (%s)", url,
                reason, detail)
        self.skipped.append({"source": source.name, "url": url, "reason": reason,
                             "detail": detail})

    def error(self, source: Source, url: str, reason: str, detail: str) -> None:
        log.warning("source %r failed: %s: %s (%s)", source.name, url, reason, detail)
        self.errors.append({"source": source.name, "url": url, "reason": reason,
                            "detail": detail})

    def result(self) -> CollectResult:
        added = pd.DataFrame(self.added, columns=ADDED_COLUMNS)
        added["published"] = pd.Series([_naive_utc(p) for p in added["published"]],
                                        dtype="datetime64[ns]")
        added["words"] = added["words"].astype("int64")
        return CollectResult(
            corpus=self.folder, added=added,
            skipped=pd.DataFrame(self.skipped, columns=SKIPPED_COLUMNS, dtype="object"),
            errors=pd.DataFrame(self.errors, columns=ERROR_COLUMNS, dtype="object"),
            requests=self.fetch.requests, dry_run=self.dry_run)


def collect_articles(
    config: FeedConfig | str | PathLike,
    *,
    corpus: str | PathLike | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    fetcher: Fetcher | None = None,
) -> CollectResult:
    """Download the new articles of the feeds and lists in ``config`` into a corpus folder.

    Parameters
    ----------
    config : a feeds file (see the module docstring) or a :class:`FeedConfig`.
    corpus : the folder to write to, instead of the file's ``corpus:``.
    dry_run : fetch and extract everything, but write nothing (no files, no index).
    now : the time recorded as ``collected_at`` (default: now, UTC).
    fetcher : the :class:`Fetcher` to use instead of one built from ``config``.

    Returns
    -------
    CollectResult with the tables ``added``, ``skipped`` and ``errors``. A source that
    cannot be read lands in ``errors``, an item that cannot be stored in ``skipped``;
    neither stops the run.

    Raises
    ------
    InputError
        for a malformed feeds file, a corpus path that is a file, or a folder another
        run is writing to.
    OptionError
        when no corpus folder is given.

    Examples
    --------
    >>> result = collect_articles("feeds.yml")  # doctest: +SKIP
    >>> result.added[["outlet", "published", "title"]]  # doctest: +SKIP
    >>> articles = read_articles(result.corpus)  # doctest: +SKIP
    """
    if not isinstance(config, FeedConfig):
        config = load_feeds(config)
    folder = corpus if corpus is not None else config.corpus
    if folder is None:
        raise OptionError("no corpus folder to collect into.",
                          fix="add 'corpus: data/collected' to the feeds file, or pass "
                          "corpus=... (--corpus on the command line).")
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError("the corpus must be a folder, and this is a file.", path=folder,
                         fix="give the folder the articles should be written to.")
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    collected_at = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    fetcher = fetcher or Fetcher.from_config(config)
    with contextlib.ExitStack() as stack:
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(folder / LOCK_NAME)
            try:
                stack.enter_context(lock.acquire(timeout=0))
            except filelock.Timeout as e:
                raise InputError("another collection run is writing to this folder.",
                                 path=folder, fix="wait for it to finish, or collect into "
                                 "another folder.") from e
        run = _Run(config, folder, fetcher, collected_at=collected_at, dry_run=dry_run)
        for source in config.sources:
            run.source(source)
    result = run.result()
    log.info("%s", result.summary())
    return result
