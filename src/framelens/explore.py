"""Exploring a corpus and developing codebooks with evidence.

This module owns the drill-down a researcher does before reporting:

- search: keyword-in-context lines for a term (:func:`kwic_lines`) or for a frame's
  matches (:func:`frame_lines`), with article, outlet and date;
- reading: one article with its frame matches and quotes highlighted
  (:func:`article_html`; every piece of text is HTML-escaped);
- codebook development: the terms that drive a frame (:func:`frame_drivers`), terms
  that fire in only one outlet (:func:`group_specific_terms`), candidate terms found
  near existing matches (:func:`collocates`), sentences no frame matches
  (:func:`unmatched_sentences`), and what moves when the codebook changes
  (:func:`codebook_diff`).

Every function takes the tables of :func:`framelens.analyze` and returns a DataFrame
(or, for :func:`article_html`, finished HTML), so it works the same in a notebook with
widgets, without them, and under Papermill. The notebook's own needs live here too: which
corpus to open when none is named (:func:`choose_corpus`), and a table that says "none
found" when it is empty and writes every row as CSV when asked (:func:`explore_table`).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.codebook import Codebook, load_codebook
from framelens.columns import require_columns
from framelens.compare import g2_statistic
from framelens.errors import OptionError
from framelens.files import check_output_folder, write_csv
from framelens.framing import match_frames
from framelens.reports import HtmlBlock, note_html, table_html
from framelens.segment import ANALYSED_KINDS, sentence_spans
from framelens.terms import kwic

__all__ = [
    "SAMPLE_CORPORA",
    "article_html",
    "choose_corpus",
    "codebook_diff",
    "collocates",
    "explore_table",
    "frame_drivers",
    "frame_lines",
    "group_specific_terms",
    "kwic_lines",
    "unmatched_sentences",
]

_META = ["article_id", "title", "outlet", "published"]

#: the corpora explore.ipynb opens when it is given none, the first that exists, relative
#: to the notebooks folder: the AllSides China and technology corpus beside the project
#: (1,183 articles from outlets rated left, center and right), else the seed article that
#: ships with framelens (one article: enough to try the notebook, not to explore)
SAMPLE_CORPORA: tuple[str, ...] = ("../../shared/data/allsides-china-tech/articles.jsonl",
                                   "../data/articles")


def choose_corpus(
    corpus: str | PathLike = "",
    *,
    candidates: Sequence[str | PathLike] = SAMPLE_CORPORA,
    base: str | PathLike = ".",
) -> Path:
    """The corpus to explore: the one named, or else the first of ``candidates`` found.

    Parameters
    ----------
    corpus : a folder of articles or a table (CSV, JSONL, Parquet...); empty to choose.
    candidates : paths tried in order when ``corpus`` is empty, relative to ``base``.
    base : the folder relative paths start from (the notebook's folder).

    Returns
    -------
    The path of ``corpus`` when one is named (whether it exists is for
    :func:`framelens.read_articles` to say), else the first candidate that exists, else
    the last candidate.

    Examples
    --------
    >>> choose_corpus("my_corpus.jsonl").name
    'my_corpus.jsonl'
    >>> choose_corpus(candidates=["no/such/corpus.jsonl", "."]) == Path(".")
    True
    """
    if str(corpus):
        return Path(corpus)
    if not candidates:
        raise OptionError("choose_corpus was given no corpus and no candidates.",
                          fix="name a corpus: a folder of articles or a table.")
    paths = [Path(base) / c for c in candidates]
    return next((p for p in paths if p.exists()), paths[-1])


def explore_table(
    table: pd.DataFrame,
    *,
    name: str,
    none_found: str,
    output_dir: str | PathLike = "",
    columns: Mapping[str, str] | Sequence[str] | None = None,
    max_rows: int = 20,
    caption: str | None = None,
) -> HtmlBlock:
    """Show the first rows of an exploration table, or say that nothing was found.

    An empty table shows the note ``none_found`` instead of a table of headings. With
    ``output_dir``, every row (all columns) is written to ``output_dir/name.csv``, text
    cells protected as in every framelens CSV (:func:`framelens.files.write_csv`), and a
    table cut at ``max_rows`` says where the rest is; without it, the note says how to get
    them.

    Parameters
    ----------
    table : the table to show.
    name : the CSV file's name, without ``.csv`` (letters, digits, ``_`` and ``-``).
    none_found : what to say when the table is empty, e.g. "No sentence matches the query."
    output_dir : folder for the CSV file ("" writes none).
    columns, caption : as for :func:`framelens.table_html`.
    max_rows : rows shown.

    Returns
    -------
    The HTML to display.

    Examples
    --------
    >>> explore_table(pd.DataFrame({"term": []}), name="t", none_found="No term found.")
    '<p class="fl-note">No term found.</p>'
    """
    if not name or not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in name):
        raise OptionError(f"name {name!r} is not a plain file name.",
                          fix="use letters, digits, '_' and '-' only, e.g. name='kwic'.")
    written = None
    if str(output_dir):
        folder = check_output_folder(output_dir, option="output_dir")
        folder.mkdir(parents=True, exist_ok=True)
        written = write_csv(table, folder / f"{name}.csv")
    if table.empty:
        return note_html(none_found)
    shown = str(table_html(table.head(max_rows), columns=columns, caption=caption,
                           max_rows=max_rows))
    left = len(table) - min(len(table), max_rows)
    if left:
        where = (f"all {len(table):,} rows are in {written.name}" if written is not None
                 else "set output_dir to write every row as CSV")
        shown += "\n" + note_html(f"{left:,} more rows not shown; {where}.")
    return HtmlBlock(shown)




def _with_meta(table: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    meta = articles[[c for c in _META if c in articles.columns]]
    out = table.merge(meta, on="article_id", how="left")
    first = [c for c in _META if c in out.columns]
    return out[first + [c for c in out.columns if c not in first]]


def kwic_lines(
    tokens: pd.DataFrame, articles: pd.DataFrame, pattern: str, *, window: int = 8
) -> pd.DataFrame:
    """Keyword-in-context lines for a word, wildcard or phrase, with article metadata.

    Parameters
    ----------
    tokens : the output of :func:`framelens.tokenize`.
    articles : the articles table (for ``title, outlet, published``).
    pattern : a word, a wildcard (``econom*``) or a phrase (``public good``).
    window : tokens shown on each side.

    Returns
    -------
    DataFrame: ``article_id, title, outlet, published, sentence_id, token_id, left,
    keyword, right``.

    Examples
    --------
    >>> kwic_lines(result.tokens, result.articles, "cooperat*")  # doctest: +SKIP
    """
    return _with_meta(kwic(tokens, pattern, window=window), articles)


def frame_lines(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    frame: str,
    width: int = 70,
) -> pd.DataFrame:
    """Keyword-in-context lines for every match of one frame.

    Parameters
    ----------
    matches : the output of :func:`framelens.match_frames`.
    sentences : the sentences the matches come from.
    articles : the articles table (for ``title, outlet, published``).
    frame : the frame id.
    width : characters shown on each side of the match.

    Returns
    -------
    DataFrame: ``article_id, title, outlet, published, sentence_id, term, left, keyword,
    right``, in reading order.

    Examples
    --------
    >>> frame_lines(result.matches, result.sentences, result.articles, frame="security")
    ... # doctest: +SKIP
    """
    require_columns(matches, ["article_id", "sentence_id", "frame", "term", "start", "end"],
                    helper="frame_lines")
    chosen = matches[matches["frame"] == frame]
    text = sentences.set_index(["article_id", "sentence_id"])["text"]
    rows = []
    for aid, sid, term, start, end in chosen[["article_id", "sentence_id", "term", "start",
                                              "end"]].itertuples(index=False):
        sentence = text.loc[(aid, sid)]
        rows.append((aid, sid, term, sentence[max(0, start - width):start],
                     sentence[start:end], sentence[end:end + width]))
    out = pd.DataFrame(rows, columns=["article_id", "sentence_id", "term", "left", "keyword",
                                      "right"])
    return _with_meta(out, articles)


def frame_drivers(matches: pd.DataFrame, *, frame: str | None = None) -> pd.DataFrame:
    """Which codebook terms fire, how often and in how many articles.

    Parameters
    ----------
    matches : the output of :func:`framelens.match_frames`.
    frame : one frame id, or None for every frame.

    Returns
    -------
    DataFrame: ``frame, term, hits, articles, share_of_frame, forms`` (the distinct
    matched forms, most frequent first), sorted by frame then hits.

    Examples
    --------
    >>> frame_drivers(result.matches, frame="economy").head()  # doctest: +SKIP
    """
    require_columns(matches, ["article_id", "frame", "term", "matched"], helper="frame_drivers")
    data = matches if frame is None else matches[matches["frame"] == frame]
    if data.empty:
        return pd.DataFrame(columns=["frame", "term", "hits", "articles", "share_of_frame",
                                     "forms"])
    forms = (data.assign(form=data["matched"].str.lower())
             .groupby(["frame", "term"])["form"]
             .agg(lambda s: "; ".join(s.value_counts().index)))
    out = data.groupby(["frame", "term"]).agg(hits=("article_id", "size"),
                                              articles=("article_id", "nunique"))
    out["share_of_frame"] = out["hits"] / out.groupby(level="frame")["hits"].transform("sum")
    out["forms"] = forms
    return (out.reset_index()
            .sort_values(["frame", "hits", "term"], ascending=[True, False, True])
            .reset_index(drop=True))


def group_specific_terms(
    matches: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    frame: str | None = None,
    min_hits: int = 2,
) -> pd.DataFrame:
    """Codebook terms that fire in only one group (outlet, leaning...).

    A term that only one outlet triggers may be that outlet's house style or boilerplate
    rather than the frame; check its lines before trusting it.

    Parameters
    ----------
    matches : the output of :func:`framelens.match_frames`.
    articles : the articles table with the ``by`` column.
    by : the grouping column.
    frame : one frame id, or None for every frame.
    min_hits : ignore terms with fewer hits in all.

    Returns
    -------
    DataFrame: ``frame, term, group, hits, articles``, one row per term used by a single
    group, most hits first.

    Examples
    --------
    >>> group_specific_terms(result.matches, result.articles, by="outlet")  # doctest: +SKIP
    """
    require_columns(articles, ["article_id", by], helper="group_specific_terms")
    data = matches if frame is None else matches[matches["frame"] == frame]
    data = data.merge(articles[["article_id", by]], on="article_id")
    per = data.groupby(["frame", "term"]).agg(
        groups=(by, "nunique"), hits=("article_id", "size"), articles=("article_id", "nunique"),
        group=(by, "first")).reset_index()
    out = per[(per["groups"] == 1) & (per["hits"] >= min_hits)]
    return (out[["frame", "term", "group", "hits", "articles"]]
            .sort_values(["hits", "frame", "term"], ascending=[False, True, True])
            .reset_index(drop=True))


def collocates(
    tokens: pd.DataFrame,
    matches: pd.DataFrame,
    *,
    frame: str,
    codebook: Codebook | str | None = None,
    window: int = 5,
    min_count: int = 3,
    top_n: int = 30,
) -> pd.DataFrame:
    """Candidate terms for a frame: words found near its matches more than elsewhere.

    Counts content words (no stopwords, no numbers) within ``window`` tokens of a match
    of ``frame`` in the same sentence, against their count in all other positions, and
    ranks them by log-likelihood G² (Dunning 1993) with the log ratio as effect size.
    Words already matched by the frame are left out, so the list is what the codebook
    does not yet have.

    Parameters
    ----------
    tokens : the output of :func:`framelens.tokenize`.
    matches : the output of :func:`framelens.match_frames`.
    frame : the frame id.
    codebook : when given, words that any of the frame's terms already match are left out.
    window : tokens on each side of a match.
    min_count : ignore words seen fewer times near matches.
    top_n : rows returned.

    Returns
    -------
    DataFrame: ``term, near, elsewhere, per_1k_near, per_1k_elsewhere, g2, log_ratio``,
    over-represented words only, strongest first.

    Examples
    --------
    >>> collocates(result.tokens, result.matches, frame="security")  # doctest: +SKIP
    """
    require_columns(tokens, ["article_id", "sentence_id", "token_id", "norm", "is_word", "is_stop"],
                    helper="collocates")
    hits = matches[matches["frame"] == frame]
    content = tokens[tokens["is_word"] & ~tokens["is_stop"]
                     & tokens["norm"].str.contains(r"[^\W\d_]", regex=True)]
    if "kind" in content.columns:
        content = content[content["kind"].isin(ANALYSED_KINDS)]
    near_keys: set[tuple] = set()
    inside: set[tuple] = set()
    for aid, sid, t0, t1 in hits[["article_id", "sentence_id", "token_start",
                                  "token_end"]].itertuples(index=False):
        for t in range(t0 - window, t1 + window):
            (inside if t0 <= t < t1 else near_keys).add((aid, sid, t))
    keys = list(zip(content["article_id"], content["sentence_id"], content["token_id"]))
    near_mask = np.fromiter((k in near_keys and k not in inside for k in keys), bool,
                            count=len(keys))
    matched_forms = set(hits["matched"].str.lower())
    if codebook is not None:
        book = load_codebook(codebook) if not isinstance(codebook, Codebook) else codebook
        words = sorted(set(content["norm"]))
        probe = match_frames(
            pd.DataFrame({"article_id": "probe", "paragraph_id": 0, "kind": "body",
                          "is_lead": False, "sentence_id": range(len(words)), "text": words}),
            codebook=book)
        matched_forms |= set(probe.loc[probe["frame"] == frame, "matched"].str.lower())
    near = Counter(content["norm"][near_mask])
    elsewhere = Counter(content["norm"][~near_mask])
    size_near, size_else = max(sum(near.values()), 1), max(sum(elsewhere.values()), 1)
    terms = [t for t, n in near.items() if n >= min_count and t not in matched_forms]
    if not terms:
        return pd.DataFrame(columns=["term", "near", "elsewhere", "per_1k_near",
                                     "per_1k_elsewhere", "g2", "log_ratio"])
    a = np.array([near[t] for t in terms], dtype=float)
    b = np.array([elsewhere.get(t, 0) for t in terms], dtype=float)
    out = pd.DataFrame({"term": terms, "near": a.astype(int), "elsewhere": b.astype(int),
                        "per_1k_near": 1000 * a / size_near,
                        "per_1k_elsewhere": 1000 * b / size_else,
                        "g2": g2_statistic(a, b, size_near, size_else)})
    out["log_ratio"] = np.log2(((a + 0.5 * (a == 0)) / size_near)
                               / ((b + 0.5 * (b == 0)) / size_else))
    out = out[out["per_1k_near"] > out["per_1k_elsewhere"]]
    return (out.sort_values(["g2", "term"], ascending=[False, True]).head(top_n)
            .reset_index(drop=True))


def unmatched_sentences(
    sentences: pd.DataFrame,
    matches: pd.DataFrame,
    *,
    kinds: Sequence[str] = ANALYSED_KINDS,
    min_words: int = 8,
    sample: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Sentences that no frame of the codebook matches: where the codebook is silent.

    Parameters
    ----------
    sentences : the output of :func:`framelens.split_sentences`.
    matches : the output of :func:`framelens.match_frames`.
    kinds : paragraph kinds to look at.
    min_words : skip shorter sentences (datelines, fragments).
    sample : draw this many sentences at random, spread across the corpus: one from each
        article (articles in random order) before a second from any, so a long article
        does not fill the sample; None returns every silent sentence.
    seed : the random seed of ``sample``: the same seed draws the same sentences.

    Returns
    -------
    DataFrame: ``article_id, sentence_id, kind, n_words, text``, in reading order.

    Examples
    --------
    >>> unmatched_sentences(result.sentences, result.matches).head()  # doctest: +SKIP
    >>> unmatched_sentences(result.sentences, result.matches, sample=20)  # doctest: +SKIP
    """
    if sample is not None and (not isinstance(sample, int) or isinstance(sample, bool)
                               or sample < 1):
        raise OptionError(f"sample must be a whole number above 0, or None; got {sample!r}.",
                          fix="pass sample=20, or sample=None for every silent sentence.")
    require_columns(sentences, ["article_id", "sentence_id", "kind", "n_words", "text"],
                    helper="unmatched_sentences")
    matched = set(zip(matches["article_id"], matches["sentence_id"]))
    keep = [(a, s) not in matched for a, s in zip(sentences["article_id"],
                                                  sentences["sentence_id"])]
    out = sentences[np.array(keep, dtype=bool) & sentences["kind"].isin(kinds).to_numpy()
                    & (sentences["n_words"] >= min_words).to_numpy()]
    if sample is not None and len(out) > sample:
        # shuffle, then take each article's first (shuffled) sentence before any second one
        shuffled = np.random.default_rng(seed).permutation(len(out))
        articles = out["article_id"].to_numpy()[shuffled]
        turn = pd.Series(articles).groupby(articles, sort=False).cumcount().to_numpy()
        order = np.lexsort((np.arange(len(shuffled)), turn))
        out = out.iloc[np.sort(shuffled[order[:sample]])]
    return out[["article_id", "sentence_id", "kind", "n_words", "text"]].reset_index(drop=True)


def codebook_diff(
    sentences: pd.DataFrame,
    *,
    old: Codebook | str,
    new: Codebook | str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What moves when a codebook changes: frame totals before and after, and the matches
    gained or lost.

    Parameters
    ----------
    sentences : the output of :func:`framelens.split_sentences`.
    old, new : two codebooks (objects, shipped names or YAML paths).

    Returns
    -------
    (frames, changes): ``frames`` has one row per frame in either codebook:
    ``frame, hits_old, hits_new, articles_old, articles_new, rate_old, rate_new`` (hits
    per 1,000 words over the whole table), ``change``; ``changes`` lists every match
    only one codebook makes: ``status`` (gained/lost), ``article_id, sentence_id, frame,
    term, matched``.

    Examples
    --------
    >>> frames, changes = codebook_diff(result.sentences, old="ai", new="my_ai.yml")
    ... # doctest: +SKIP
    """
    books = [c if isinstance(c, Codebook) else load_codebook(c) for c in (old, new)]
    found = [match_frames(sentences, codebook=b) for b in books]
    analysed = sentences[sentences["kind"].isin(ANALYSED_KINDS)]
    words = max(int(analysed["n_words"].sum()), 1)
    totals = []
    for tag, m in zip(("old", "new"), found):
        t = m.groupby("frame").agg(**{f"hits_{tag}": ("article_id", "size"),
                                      f"articles_{tag}": ("article_id", "nunique")})
        totals.append(t)
    ids = list(dict.fromkeys([*books[0].frame_ids, *books[1].frame_ids]))
    frames = pd.concat(totals, axis=1).reindex(ids).fillna(0).astype("int64")
    frames["rate_old"] = 1000 * frames["hits_old"] / words
    frames["rate_new"] = 1000 * frames["hits_new"] / words
    frames["change"] = frames["hits_new"] - frames["hits_old"]
    frames = frames.rename_axis("frame").reset_index()
    key = ["article_id", "sentence_id", "frame", "start", "end"]
    both = found[0].merge(found[1], on=key, how="outer", indicator=True,
                          suffixes=("_old", "_new"))
    changed = both[both["_merge"] != "both"].copy()
    changed["status"] = np.where(changed["_merge"] == "right_only", "gained", "lost")
    changed["term"] = changed["term_new"].fillna(changed["term_old"])
    changed["matched"] = changed["matched_new"].fillna(changed["matched_old"])
    changes = changed[["status", "article_id", "sentence_id", "frame", "term", "matched"]]
    return frames, changes.sort_values(["status", "article_id", "sentence_id"]).reset_index(
        drop=True)


_PALETTE = ["#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe", "#fed7aa", "#a5f3fc",
            "#fbcfe8", "#e5e7eb", "#d9f99d"]


def article_html(
    paragraphs: pd.DataFrame,
    sentences: pd.DataFrame,
    matches: pd.DataFrame,
    quotes: pd.DataFrame,
    *,
    article_id: str,
    codebook: Codebook | str,
) -> HtmlBlock:
    """One article with its frame matches highlighted and its quotes marked.

    Matches are ``<mark>`` elements coloured by frame (hover for frame and term); quoted
    and reported speech is underlined with the speaker on hover; captions and bylines are
    shown greyed out. All article text is HTML-escaped, so markup in an article shows as
    text.

    Parameters
    ----------
    paragraphs, sentences, matches, quotes : the tables of :func:`framelens.analyze`.
    article_id : which article.
    codebook : the codebook of the matches (for the legend).

    Examples
    --------
    >>> article_html(result.paragraphs, result.sentences, result.matches, result.quotes,
    ...              article_id=result.articles.article_id[0], codebook="ai")  # doctest: +SKIP
    """
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    colour = {f: _PALETTE[i % len(_PALETTE)] for i, f in enumerate(book.frame_ids)}
    label = {f.id: f.label for f in book.frames}
    paras = paragraphs[paragraphs["article_id"] == article_id]
    sents = sentences[sentences["article_id"] == article_id].sort_values("sentence_id")
    hits = matches[matches["article_id"] == article_id]
    said = quotes[quotes["article_id"] == article_id]
    # where each sentence starts inside its paragraph, cut exactly as split_sentences cuts
    offset: dict[int, int] = {}
    sids = iter(sents["sentence_id"].tolist())
    for text, kind in zip(paras["text"], paras["kind"]):
        for start, _ in sentence_spans(text, kind=kind):
            offset[next(sids)] = start
    sentence_para = dict(zip(sents["sentence_id"], sents["paragraph_id"]))
    blocks = []
    for pid, kind, text in paras[["paragraph_id", "kind", "text"]].itertuples(index=False):
        events: list[tuple[int, int, str, str]] = []  # (position, order, kind, html)
        for sid, frame, term, s, e in hits[["sentence_id", "frame", "term", "start",
                                            "end"]].itertuples(index=False):
            if sentence_para.get(sid) != pid:
                continue
            base = offset[sid]
            tip = html.escape(f"{label.get(frame, frame)}: {term}", quote=True)
            events.append((base + s, 1, "open",
                           f'<mark style="background:{colour.get(frame, "#eee")}" '
                           f'title="{tip}">'))
            events.append((base + e, 0, "close", "</mark>"))
        for s, e, speaker, qkind in said.loc[said["paragraph_id"] == pid,
                                             ["start", "end", "speaker", "kind"]].itertuples(
                                                 index=False):
            tip = html.escape(f"{qkind} speech: {speaker or 'unnamed'}", quote=True)
            events.append((s, 0, "open", f'<span class="fl-quote" title="{tip}">'))
            events.append((e, 1, "close", "</span>"))
        body = _interleave(text, events)
        style = ' class="fl-setaside"' if kind not in ANALYSED_KINDS else ""
        tag = "h3" if kind in ("headline", "subheading") else "p"
        blocks.append(f"<{tag}{style}><small>[{html.escape(kind)}]</small> {body}</{tag}>")
    legend = " ".join(
        f'<mark style="background:{colour[f]}">{html.escape(label[f])}</mark>'
        for f in book.frame_ids if f in set(hits["frame"]))
    css = ("<style>.fl-quote{text-decoration:underline dotted #555;}"
           ".fl-setaside{color:#999}</style>")
    return HtmlBlock(f'{css}<div class="fl-article"><p>Frames: {legend or "none"}</p>'
                     + "\n".join(blocks) + "</div>")


def _interleave(text: str, events: list[tuple[int, int, str, str]]) -> str:
    """Escape ``text`` and insert tags at character positions; tags that would overlap
    badly are closed and reopened so the HTML stays well formed."""
    out, pos, stack = [], 0, []
    for at, _, what, tag in sorted(events, key=lambda e: (e[0], e[1])):
        at = min(max(at, pos), len(text))
        out.append(html.escape(text[pos:at]))
        pos = at
        if what == "open":
            out.append(tag)
            stack.append(tag)
        elif stack:
            closing = "</mark>" if tag == "</mark>" else "</span>"
            reopen = []
            while stack:
                top = stack.pop()
                top_close = "</mark>" if top.startswith("<mark") else "</span>"
                out.append(top_close)
                if top_close == closing:
                    break
                reopen.append(top)
            for again in reversed(reopen):
                out.append(again)
                stack.append(again)
    out.append(html.escape(text[pos:]))
    for top in reversed(stack):
        out.append("</mark>" if top.startswith("<mark") else "</span>")
    return "".join(out)
