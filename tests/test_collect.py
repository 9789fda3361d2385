"""Collecting articles: feeds.yml validation, address normalisation, and whole collection
runs against a news site served from 127.0.0.1 by this module (nothing reaches the internet).
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import filelock
import pandas as pd
import pytest
import yaml

from framelens.collect import (
    INDEX_NAME,
    LOCK_NAME,
    FeedConfig,
    Fetcher,
    Source,
    collect_articles,
    load_feeds,
    normalize_url,
)
from framelens.corpus import read_article, read_articles
from framelens.errors import InputError, OptionError

ROOT = Path(__file__).resolve().parents[1]
USER_AGENT = "framelens-test/1.0 (tests; contact: tests@example.org)"
TIMEOUT = 0.5  # seconds; the slow page answers after SLOW_FOR
SLOW_FOR = 3.0
DELAY = 2.0  # fake seconds between two requests to the host
RETRIES = 1


# --- the news site ------------------------------------------------------------------

ARTICLES = {
    "port-strike": (
        "Port strike halts container traffic",
        [
            "Dock workers at the country's largest container port walked off the job on "
            "Friday, halting the loading of ships and leaving dozens of vessels waiting at "
            "anchor outside the harbour.",
            "The union representing the workers said the strike would continue until the "
            "port operator agreed to talks on wages and on the introduction of automated "
            "cranes, which it says threaten hundreds of jobs.",
            '"We are not against technology, but we will not accept changes that are imposed '
            'on us without negotiation," the union\'s general secretary told reporters '
            "outside the terminal gates.",
            "The port operator said it regretted the disruption and remained open to dialogue, "
            "but added that automation was essential to keep the port competitive with rival "
            "hubs in the region.",
        ],
    ),
    "wind-farm": (
        "Council approves offshore wind farm despite fishing concerns",
        [
            "The regional council on Thursday approved plans for a 40-turbine wind farm off "
            "the northern coast, a project its backers say will power more than 200,000 homes "
            "by the end of the decade.",
            "Fishing associations had urged councillors to reject the scheme, arguing that "
            "construction would disturb spawning grounds and close off waters their members "
            "have worked for generations.",
            "The developer has promised a compensation fund and a monitoring programme run by "
            "the university's marine biology department, and said the first turbines could be "
            "installed within three years.",
            "Opposition councillors said the vote had been rushed and called for an "
            "independent review of the environmental assessment before any contracts are "
            "signed.",
        ],
    ),
    "rail-budget": (
        "Government trims rail budget as costs overrun",
        [
            "The transport ministry will cut next year's rail investment budget by eight per "
            "cent after cost overruns on the high-speed line pushed the programme far beyond "
            "its original estimate.",
            "Officials said maintenance of existing lines would be protected, but several "
            "station upgrades planned for smaller towns are expected to be delayed until "
            "after the next election.",
            "Passenger groups warned that the cuts would fall hardest on commuters outside "
            "the capital, where trains are already older, slower and more crowded than on the "
            "main intercity routes.",
            "The minister told parliament that the government remained committed to rail and "
            "that the savings would be reinvested once the high-speed project was back on "
            "schedule.",
        ],
    ),
    "school-meals": (
        "Free school meals to be extended to all primary pupils",
        [
            "Every primary school pupil will be entitled to a free hot lunch from next "
            "September, the education department announced on Monday, in a move it said "
            "would save families hundreds of pounds a year.",
            "Head teachers welcomed the policy but warned that many schools lack kitchens big "
            "enough to cook for every child and will need money for new equipment and staff "
            "before the change takes effect.",
            "Researchers who have studied similar schemes abroad said universal provision "
            "removes the stigma some children feel when they are singled out as eligible for "
            "free meals.",
        ],
    ),
    "leak-analysis": (
        "../../etc/passwd: how a leaked file exposed the ministry",
        [
            "A spreadsheet that was left on a public server for almost a year contained the "
            "names, phone numbers and home addresses of more than two thousand ministry "
            "employees, an investigation has found.",
            "The file was discovered by a security researcher who said she reported it to the "
            "ministry twice before it was taken down, and that neither message received a "
            "reply.",
            "The ministry said it had launched an internal review and informed the data "
            "protection authority, adding that there was no evidence the information had been "
            "misused.",
        ],
    ),
    "old-story": (
        "Archive: harbour dredging completed",
        ["The dredging of the harbour channel was completed ahead of schedule. " * 8],
    ),
}

NAV = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>'
              for s in ("Home", "World", "Business", "Politics", "Sport", "Culture"))


def article_page(slug: str, *, site: str = "Harbour Herald", date: str = "2025-09-05") -> str:
    title, paragraphs = ARTICLES[slug]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    title = html.escape(title)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{title}">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="{date}T06:00:00Z"></head>
<body><header><a class="logo" href="/">{site}</a><nav><ul>{NAV}</ul></nav></header>
<main><article><h1>{title}</h1>{body}</article></main>
<aside><h2>Most read</h2><ul><li><a href="/news/rail-budget">Rail budget trimmed</a></li>
<li><a href="/news/wind-farm">Wind farm approved</a></li></ul></aside>
<footer><p>&copy; 2025 {site}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


SECTION_FRONT = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>News | Harbour Herald</title></head><body><header><nav><ul>{NAV}</ul></nav></header>
<div class="menu"><a href="/login">Log in</a> <a href="/subscribe">Subscribe</a></div>
<footer>&copy; 2025 Harbour Herald</footer></body></html>"""


def rss(base: str) -> str:
    def item(path: str, title: str, date: str = "Fri, 05 Sep 2025 08:30:00 GMT") -> str:
        return (f"<item><title>{html.escape(title)}</title><link>{base}{html.escape(path)}</link>"
                f"<pubDate>{date}</pubDate><author>desk@herald.example (News desk)</author>"
                "</item>")

    items = [
        item("/news/port-strike", "Port strike halts container traffic"),
        item("/news/port-strike?utm_source=rss&utm_medium=feed#top", "Port strike (again)"),
        item("/news/port-strike-copy", "Port strike halts traffic (syndicated)"),
        item("/news/section-front", "All the news"),
        item("/news/slow", "A page that never finishes"),
        item("/news/broken", "A page the server fails on"),
        item("/news/gone", "A page that was deleted"),
        item("/private/memo", "A page robots.txt forbids"),
        item("/files/report.pdf", "The full report (PDF)"),
    ]
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Harbour Herald - Top stories</title><link>{base}/</link>"
            f"<description>Top stories</description>{''.join(items)}</channel></rss>")


def atom(base: str) -> str:
    def entry(path: str, title: str, updated: str) -> str:
        return (f'<entry><title>{title}</title><link href="{base}{path}"/>'
                f"<id>{base}{path}</id><updated>{updated}</updated></entry>")

    entries = [
        entry("/news/port-strike/", "Port strike halts container traffic",
              "2025-09-05T08:30:00Z"),
        entry("/news/wind-farm", "Wind farm approved", "2025-09-04T17:00:00Z"),
        entry("/news/rail-budget", "Rail budget trimmed", "2025-09-04T09:15:00Z"),
        entry("/news/old-story", "Archive", "2024-01-01T00:00:00Z"),
    ]
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Coastal Courier</title><id>{base}/atom.xml</id>"
            f"<updated>2025-09-05T08:30:00Z</updated>{''.join(entries)}</feed>")


@dataclass
class FakeClock:
    """Time that only moves when the collector sleeps, so delays cost no real time."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Hit:
    path: str
    user_agent: str
    at: float  # fake time on arrival


class NewsSite:
    """A news site on 127.0.0.1: feeds, article pages, and pages that misbehave."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.hits: list[Hit] = []
        self.release = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.hits.append(Hit(self.path, self.headers.get("User-Agent", ""),
                                     site.clock.now))
                status, content_type, body = site.answer(self.path)
                try:
                    self.send_response(status)
                    if status in (301, 302):
                        self.send_header("Location", body.decode())
                        body = b""
                    if status == 429:
                        self.send_header("Retry-After", "5")
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the collector gave up waiting (the slow page)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def answer(self, path: str) -> tuple[int, str, bytes]:
        page = path.split("?")[0].rstrip("/")
        html_type = "text/html; charset=utf-8"
        if page == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /private/\n"
        if page == "/rss.xml":
            return 200, "application/rss+xml", rss(self.base).encode()
        if page == "/atom.xml":
            return 200, "application/atom+xml", atom(self.base).encode()
        if page == "/news/port-strike-copy":  # the same article in another site's template
            return 200, html_type, article_page("port-strike", site="Bay Times").encode()
        if page.startswith("/news/") and page[6:] in ARTICLES:
            return 200, html_type, article_page(page[6:]).encode()
        if page in ("/news/section-front", "/home"):
            return 200, html_type, SECTION_FRONT.encode()
        if page == "/news/slow":
            self.release.wait(SLOW_FOR)
            return 200, html_type, article_page("school-meals").encode()
        if page == "/news/broken":
            return 500, "text/plain", b"Internal Server Error"
        if page.startswith("/go/"):  # a redirect, as feed proxies and short links do
            return 301, "text/plain", f"/news/{page[4:]}".encode()
        if page == "/escape":
            return 302, "text/plain", b"file:///etc/passwd"
        if page == "/busy":
            return 429, "text/plain", b"Too Many Requests"
        if page == "/files/report.pdf":
            return 200, "application/pdf", b"%PDF-1.7 not really a PDF"
        return 404, "text/plain", b"Not Found"

    def count(self, path: str) -> int:
        return sum(hit.path == path for hit in self.hits)

    def fetcher(self, **options) -> Fetcher:
        return Fetcher(user_agent=USER_AGENT, timeout=TIMEOUT, retries=RETRIES, delay=DELAY,
                       clock=self.clock.time, sleep=self.clock.sleep, **options)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site():
    news = NewsSite()
    yield news
    news.close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Requests to 127.0.0.1 must not be sent to a proxy named in the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def site_config(site: NewsSite, folder: Path, **settings) -> FeedConfig:
    base = site.base
    sources = (
        Source(name="Harbour Herald top stories", outlet="Harbour Herald",
               feed=f"{base}/rss.xml", language="en"),
        Source(name="Coastal Courier", feed=f"{base}/atom.xml", max_items=3),
        Source(name="hand-picked", urls=(f"{base}/news/school-meals",
                                         f"{base}/news/leak-analysis")),
        Source(name="missing feed", feed=f"{base}/missing.xml"),
        Source(name="not a feed", feed=f"{base}/home"),
    )
    return FeedConfig(sources=sources, corpus=folder, user_agent=USER_AGENT, timeout=TIMEOUT,
                      retries=RETRIES, delay=DELAY, **settings)


NOW = pd.Timestamp("2025-09-06 10:00:00", tz="UTC").to_pydatetime()


@dataclass
class Runs:
    folder: Path
    first: object
    first_hits: list[Hit]
    second: object
    second_hits: list[Hit]
    seconds: float


@pytest.fixture(scope="module")
def runs(site, tmp_path_factory) -> Runs:
    """Two collection runs on the same site and folder: a first one and a repeat."""
    folder = tmp_path_factory.mktemp("corpus") / "collected"
    config = site_config(site, folder)
    start = time.perf_counter()
    before = len(site.hits)
    first = collect_articles(config, now=NOW, fetcher=site.fetcher())
    first_hits = site.hits[before:]
    before = len(site.hits)
    second = collect_articles(config, now=NOW, fetcher=site.fetcher())
    return Runs(folder, first, first_hits, second, site.hits[before:],
                time.perf_counter() - start)


def by_url(table: pd.DataFrame, base: str) -> dict[str, str]:
    return {url.removeprefix(base): reason for url, reason in zip(table["url"], table["reason"])}


# --- feeds.yml ----------------------------------------------------------------------


def test_load_feeds_reads_settings_sources_and_url_lists(tmp_path):
    (tmp_path / "urls.txt").write_text(
        "# picked by hand\nhttps://news.example/a\n\n  https://news.example/b  \n")
    path = tmp_path / "feeds.yml"
    path.write_text("""\
corpus: data/collected
user_agent: "study/1.0 (me@uni.example)"
timeout: 7.5
retries: 0
delay: 1
sources:
  - outlet: Harbour Herald
    feed: https://herald.example/rss.xml
    language: en
  - name: picked
    url_list: urls.txt
    max_items: 5
  - urls: [https://news.example/c]
""")
    config = load_feeds(path)
    assert config.corpus == tmp_path / "data" / "collected"
    assert (config.user_agent, config.timeout, config.retries, config.delay) == (
        "study/1.0 (me@uni.example)", 7.5, 0, 1)
    assert (config.max_items, config.min_words, config.robots) == (50, 50, True)
    herald, picked, third = config.sources
    assert (herald.name, herald.outlet, herald.feed, herald.language) == (
        "Harbour Herald", "Harbour Herald", "https://herald.example/rss.xml", "en")
    assert picked.urls == ("https://news.example/a", "https://news.example/b")
    assert picked.max_items == 5
    assert (third.name, third.urls) == ("source 3", ("https://news.example/c",))


def test_example_feeds_file_is_valid():
    config = load_feeds(ROOT / "examples" / "feeds.yml")
    assert config.corpus == ROOT / "data" / "collected"
    assert [s.name for s in config.sources] == ["NPR World", "The Guardian", "hand-picked"]


GOOD_SOURCE = "sources:\n  - feed: https://herald.example/rss.xml\n"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("", 1, "empty"),
    ("corpus: data\n", 1, "no 'sources:'"),
    ("sources: []\n", 1, "at least one entry"),
    ("timout: 5\n" + GOOD_SOURCE, 1, "did you mean 'timeout'"),
    ("timeout: -1\n" + GOOD_SOURCE, 1, "at least"),
    ("timeout: soon\n" + GOOD_SOURCE, 1, "must be a number"),
    ("retries: 1.5\n" + GOOD_SOURCE, 1, "whole number"),
    ("robots: maybe\n" + GOOD_SOURCE, 1, "true or false"),
    ("delay: 1\ndelay: 2\n" + GOOD_SOURCE, 2, "twice (lines 1 and 2)"),
    ("sources:\n  - https://herald.example/rss.xml\n", 2, "bare address"),
    ("sources:\n  - name: x\n    outlet: y\n", 2, "exactly one of feed, urls and url_list"),
    ("sources:\n  - feed: https://a.example/f\n    urls: [https://a.example/x]\n", 2,
     "has feed and urls"),
    ("sources:\n  - feed: ftp://herald.example/rss.xml\n", 2, "not an http"),
    ("sources:\n  - urls:\n      - https://a.example/x\n      - a.example/y\n", 4, "not an http"),
    ("sources:\n  - urls: https://a.example/x\n", 2, "must be a list"),
    ("sources:\n  - feed: https://a.example/f\n    language: no\n", 3, "quotes"),
    ("sources:\n  - feed: https://a.example/f\n    max_item: 3\n", 3, "did you mean 'max_items'"),
    ("sources:\n  - feed: https://a.example/f\n  - feed: https://a.example/f\n", 3,
     "two sources are called"),
    ("sources:\n  - url_list: nowhere.txt\n", 2, "no such file"),
    ("sources:\n  - feed: https://a.example/f\n   outlet: x\n", 3, "not valid YAML"),
])
def test_load_feeds_refuses_mistakes_naming_the_line(tmp_path, text, line, words):
    path = tmp_path / "feeds.yml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_feeds(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert words in str(caught.value)


def test_load_feeds_names_the_line_of_a_bad_address_in_a_url_list(tmp_path):
    (tmp_path / "urls.txt").write_text("https://news.example/a\n# ok\nnews.example/b\n")
    path = tmp_path / "feeds.yml"
    path.write_text("sources:\n  - url_list: urls.txt\n")
    with pytest.raises(InputError) as caught:
        load_feeds(path)
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "urls.txt"), 3)


def test_load_feeds_refuses_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_feeds(tmp_path / "feeds.yml")


def test_feed_config_refuses_bad_settings_in_code():
    with pytest.raises(OptionError, match="timeout"):
        FeedConfig(sources=(), timeout=0)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://news.example/a/story", "https://news.example/a/story"),
    ("https://news.example/a/story/", "https://news.example/a/story"),
    ("https://news.example/a/story#comments", "https://news.example/a/story"),
    ("https://news.example/a?utm_source=rss&utm_medium=feed", "https://news.example/a"),
    ("https://news.example/a?id=7&UTM_Campaign=x&page=2", "https://news.example/a?id=7&page=2"),
    ("https://news.example/a?fbclid=abc&gclid=def", "https://news.example/a"),
    ("HTTPS://News.Example:443/a", "https://news.example/a"),
    ("http://news.example:80/a", "http://news.example/a"),
    ("http://news.example:8080/a", "http://news.example:8080/a"),
    ("https://news.example/", "https://news.example"),
    ("https://news.example/A/Story", "https://news.example/A/Story"),  # paths keep their case
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


# --- a collection run ---------------------------------------------------------------


def test_collect_adds_each_new_article_once(runs, site):
    added = runs.first.added
    assert sorted(u.removeprefix(site.base) for u in added["url"]) == [
        "/news/leak-analysis", "/news/port-strike", "/news/rail-budget", "/news/school-meals",
        "/news/wind-farm"]
    assert list(added.columns) == ["article_id", "source", "url", "path", "title", "outlet",
                                   "published", "words"]
    assert added["words"].min() >= 50
    files = sorted(p.name for p in runs.folder.glob("*.txt"))
    assert files == sorted(Path(p).name for p in added["path"])


def test_collected_files_round_trip_through_read_articles(runs, site):
    articles = read_articles(runs.folder).set_index("url")
    added = runs.first.added.set_index("url")
    assert set(articles.index) == set(added.index)
    assert articles.loc[added.index, "article_id"].tolist() == added["article_id"].tolist()
    strike = articles.loc[f"{site.base}/news/port-strike"]
    assert strike["title"] == "Port strike halts container traffic"
    assert strike["outlet"] == "Harbour Herald"
    assert strike["published"] == pd.Timestamp("2025-09-05 08:30")  # the feed's, to the minute
    assert strike["author"] == "Maria Lopez"
    assert strike["source"] == "Harbour Herald top stories"
    assert strike["language"] == "en"
    assert strike["collected_at"] == "2025-09-06T10:00:00Z"
    assert strike["text"].startswith("Dock workers at the country's largest container port")
    assert "Port strike halts" not in strike["text"]  # the headline is not repeated
    assert "Most read" not in strike["text"] and "All rights reserved" not in strike["text"]
    courier = articles.loc[f"{site.base}/news/wind-farm"]
    # no outlet in feeds.yml: the page's site name
    assert courier["outlet"] == "Harbour Herald"
    assert courier["published"] == pd.Timestamp("2025-09-04 17:00")


def test_front_matter_is_plain_yaml_between_dashes(runs, site):
    path = Path(runs.first.added.set_index("url").loc[f"{site.base}/news/port-strike", "path"])
    text = path.read_text(encoding="utf-8")
    header, body = text.removeprefix("---\n").split("---\n", 1)
    assert list(yaml.safe_load(header)) == ["title", "outlet", "date", "author", "url", "id",
                                            "source", "language", "collected_at"]
    assert body.startswith("Dock workers")
    assert path.name.startswith("harbour-herald-2025-09-05-port-strike-halts-container-traffic-")


def test_skipped_items_name_their_reason(runs, site):
    assert by_url(runs.first.skipped, site.base) == {
        "/news/port-strike?utm_source=rss&utm_medium=feed#top": "duplicate-url",
        "/news/port-strike-copy": "duplicate-content",
        "/news/section-front": "no-text",
        "/news/slow": "timeout",
        "/news/broken": "http-500",
        "/news/gone": "http-404",
        "/private/memo": "robots",
        "/files/report.pdf": "not-html",
        "/news/port-strike/": "duplicate-url",
    }
    errors = runs.first.errors.set_index("source")
    assert errors.loc["missing feed", "reason"] == "http-404"
    assert errors.loc["not a feed", "reason"] == "not-a-feed"


def test_no_page_without_article_text_is_stored(runs):
    for path in runs.folder.glob("*.txt"):
        article = read_article(path)
        assert len(article.loc[0, "text"].split()) >= 50
        assert "Subscribe" not in article.loc[0, "text"]


def test_failures_are_retried_only_when_they_may_pass(runs, site):
    hits = [hit.path for hit in runs.first_hits]
    assert hits.count("/news/broken") == RETRIES + 1
    assert hits.count("/news/slow") == RETRIES + 1
    assert hits.count("/news/gone") == 1  # a 404 is not retried
    assert hits.count("/missing.xml") == 1
    assert hits.count("/robots.txt") == 1
    assert not [h for h in hits if "utm_source" in h]  # a known address is not fetched
    assert "/private/memo" not in hits  # robots.txt forbids it
    assert "/news/old-story" not in hits  # beyond the feed's max_items
    assert runs.first.requests == len(hits)


def test_every_request_carries_the_user_agent(runs):
    assert {hit.user_agent for hit in runs.first_hits + runs.second_hits} == {USER_AGENT}


def test_requests_to_one_host_are_spaced_by_the_delay(runs, site):
    arrivals = [hit.at for hit in runs.first_hits]
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= DELAY
    assert sum(site.clock.sleeps) > 0  # waited on the fake clock, not in real time


def test_second_run_adds_nothing_and_fetches_only_feeds_and_transient_failures(runs, site):
    assert runs.second.added.empty
    assert sorted({hit.path for hit in runs.second_hits}) == [
        "/atom.xml", "/home", "/missing.xml", "/news/broken", "/news/slow", "/robots.txt",
        "/rss.xml"]
    reasons = by_url(runs.second.skipped, site.base)
    assert reasons["/news/port-strike"] == "duplicate-url"
    assert reasons["/news/section-front"] == "refused-before"
    assert reasons["/news/port-strike-copy"] == "refused-before"
    assert reasons["/news/slow"] == "timeout"
    assert len(list(runs.folder.glob("*.txt"))) == len(runs.first.added)


def test_file_names_never_leave_the_corpus_folder(runs, site):
    leak = Path(runs.first.added.set_index("url").loc[f"{site.base}/news/leak-analysis", "path"])
    assert leak.parent == runs.folder
    assert read_article(leak).loc[0, "title"] == ARTICLES["leak-analysis"][0]
    assert leak.name.startswith("harbour-herald-2025-09-05-etc-passwd-how-a-leaked-file-")


def test_index_lists_every_collected_article(runs):
    lines = (runs.folder / INDEX_NAME).read_text(encoding="utf-8").splitlines()
    entries = pd.DataFrame([json.loads(line) for line in lines])
    added = entries[entries["status"] == "added"]
    assert sorted(added["path"]) == sorted(Path(p).name for p in runs.first.added["path"])
    assert set(entries.loc[entries["status"] == "refused", "reason"]) == {
        "duplicate-content", "no-text", "http-404", "not-html"}


def test_summary_counts_what_happened(runs):
    summary = runs.first.summary()
    assert summary.startswith("added 5 article(s) to ")
    assert "1 duplicate-content" in summary and "2 duplicate-url" in summary
    assert "2 source(s) failed" in summary


def test_collection_runs_take_little_real_time(runs):
    # two runs; the slow page costs (RETRIES + 1) * TIMEOUT each time
    assert runs.seconds < 2 * (RETRIES + 1) * TIMEOUT + 5


# --- other runs ---------------------------------------------------------------------


def test_dry_run_writes_nothing(site, tmp_path):
    folder = tmp_path / "collected"
    config = FeedConfig(sources=(Source(name="picked", urls=(
        f"{site.base}/news/school-meals", f"{site.base}/news/section-front")),),
        corpus=folder, user_agent=USER_AGENT, timeout=TIMEOUT, delay=DELAY)
    result = collect_articles(config, dry_run=True, fetcher=site.fetcher())
    assert result.added["title"].tolist() == ["Free school meals to be extended to all "
                                              "primary pupils"]
    assert by_url(result.skipped, site.base) == {"/news/section-front": "no-text"}
    assert not folder.exists()
    assert result.summary().startswith("would add 1 article(s)")


def test_pages_without_text_are_logged(site, tmp_path, caplog):
    config = FeedConfig(sources=(Source(name="picked", urls=(
        f"{site.base}/news/section-front",)),), user_agent=USER_AGENT, delay=DELAY)
    with caplog.at_level("WARNING", logger="framelens.collect"):
        collect_articles(config, corpus=tmp_path, dry_run=True, fetcher=site.fetcher())
    assert "/news/section-front: no-text" in caplog.text.replace("skipped ", "").replace(
        site.base, "")


def test_collect_from_a_feeds_file(site, tmp_path):
    path = tmp_path / "feeds.yml"
    path.write_text(f"""\
corpus: out
user_agent: "{USER_AGENT}"
timeout: 5
delay: 0
sources:
  - outlet: Harbour Herald
    urls: [{site.base}/news/rail-budget]
""")
    result = collect_articles(path)  # the Fetcher built from the file, on real time
    assert [Path(p).parent for p in result.added["path"]] == [tmp_path / "out"]
    assert read_articles(tmp_path / "out").loc[0, "outlet"] == "Harbour Herald"


def test_a_redirected_address_is_remembered_with_its_target(site, tmp_path):
    config = FeedConfig(sources=(Source(name="picked", urls=(f"{site.base}/go/school-meals",)),),
                        corpus=tmp_path, user_agent=USER_AGENT, delay=DELAY)
    first = collect_articles(config, fetcher=site.fetcher())
    assert first.added["url"].tolist() == [f"{site.base}/news/school-meals"]
    before = (site.count("/go/school-meals"), site.count("/news/school-meals"))
    direct = dataclasses.replace(config, sources=(
        Source(name="picked", urls=(f"{site.base}/go/school-meals",
                                    f"{site.base}/news/school-meals/")),))
    again = collect_articles(direct, fetcher=site.fetcher())
    assert again.skipped["reason"].tolist() == ["duplicate-url", "duplicate-url"]
    assert (site.count("/go/school-meals"), site.count("/news/school-meals")) == before


def test_a_redirect_away_from_the_web_is_refused(site):
    response = site.fetcher()(f"{site.base}/escape")
    assert response.error == "bad-url"
    assert "file:///etc/passwd" in response.detail


def test_fetcher_waits_as_long_as_retry_after_asks(site):
    before = len(site.hits)
    response = site.fetcher()(f"{site.base}/busy")
    hits = site.hits[before:]
    assert (response.error, response.attempts, len(hits)) == ("http-429", RETRIES + 1,
                                                              RETRIES + 1)
    assert hits[1].at - hits[0].at >= 5


def test_articles_already_in_the_folder_are_not_collected_again(site, tmp_path):
    folder = tmp_path / "collected"
    folder.mkdir()
    title, paragraphs = ARTICLES["school-meals"]
    (folder / "by-hand.txt").write_text(
        f"---\ntitle: {title}\noutlet: Harbour Herald\n---\n" + "\n".join(paragraphs) + "\n")
    config = FeedConfig(sources=(Source(name="picked", urls=(
        f"{site.base}/news/school-meals?utm_source=newsletter",)),),
        user_agent=USER_AGENT, timeout=TIMEOUT, delay=DELAY)
    result = collect_articles(config, corpus=folder, fetcher=site.fetcher())
    assert result.added.empty
    assert result.skipped["reason"].tolist() == ["duplicate-content"]


def test_a_lost_index_is_rebuilt_from_the_files(site, tmp_path):
    folder = tmp_path / "collected"
    config = FeedConfig(sources=(Source(name="picked", urls=(f"{site.base}/news/wind-farm",)),),
                        corpus=folder, user_agent=USER_AGENT, timeout=TIMEOUT, delay=DELAY)
    assert len(collect_articles(config, fetcher=site.fetcher()).added) == 1
    (folder / INDEX_NAME).unlink()
    before = site.count("/news/wind-farm")
    again = collect_articles(config, fetcher=site.fetcher())
    assert again.added.empty
    assert again.skipped["reason"].tolist() == ["duplicate-url"]
    assert site.count("/news/wind-farm") == before  # known from the file's url: header


def test_two_runs_cannot_write_to_one_folder(tmp_path):
    folder = tmp_path / "collected"
    folder.mkdir()
    config = FeedConfig(sources=(Source(name="x", urls=("https://news.example/a",)),),
                        corpus=folder)
    with filelock.FileLock(folder / LOCK_NAME):
        with pytest.raises(InputError, match="another collection run"):
            collect_articles(config, fetcher=Fetcher(clock=lambda: 0.0, sleep=lambda s: None))


def test_collect_needs_a_corpus_folder():
    config = FeedConfig(sources=(Source(name="x", urls=("https://news.example/a",)),))
    with pytest.raises(OptionError, match="no corpus folder"):
        collect_articles(config)


def test_robots_txt_can_be_ignored_when_allowed(site, tmp_path):
    config = FeedConfig(sources=(Source(name="picked", urls=(f"{site.base}/private/memo",)),),
                        corpus=tmp_path, user_agent=USER_AGENT, timeout=TIMEOUT, delay=DELAY,
                        robots=False)
    before = site.count("/robots.txt")
    result = collect_articles(config, dry_run=True, fetcher=site.fetcher())
    assert result.skipped["reason"].tolist() == ["http-404"]  # fetched, not forbidden
    assert site.count("/robots.txt") == before


def test_fetcher_gives_up_on_an_answer_larger_than_the_limit(site):
    response = site.fetcher(max_bytes=1000)(f"{site.base}/news/wind-farm")
    assert (response.error, response.attempts) == ("too-large", 1)


def test_fetcher_refuses_addresses_that_are_not_http():
    fetch = Fetcher(clock=lambda: 0.0, sleep=lambda s: None)
    assert fetch("file:///etc/passwd").error == "bad-url"
    assert fetch.requests == 0


def test_collected_files_have_the_users_usual_permissions(runs):
    # written through mkstemp (0600), they were unreadable for the rest of a research group
    umask = os.umask(0)
    os.umask(umask)
    files = [*runs.folder.glob("*.txt"), runs.folder / ".collected.jsonl"]
    assert {p.stat().st_mode & 0o777 for p in files if p.is_file()} == {0o666 & ~umask}
