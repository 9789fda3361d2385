"""Time framelens's full analysis of the shared corpus against the plain approach.

The plain approach is what a researcher writes first: split each article into sentences
and ask TextBlob for each sentence's sentiment. framelens does much more per article
(paragraph kinds, tokens, two sentiment scorers, codebook frames, terms, quotes), so the
ratio says what that extra analysis costs, measured in the same process on the same
articles. The second part times the outlet comparison (scores, duplicates, statistics)
with a cold and then a warm scores cache.

    python benchmarks/bench_articles.py [--limit N] [--codebook ai] [--by bias_text]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nupunkt
from textblob import TextBlob

import framelens as fl

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/allsides-china-tech/articles.jsonl"


def plain_textblob(texts: list[str]) -> list[float]:
    """Sentence split, then TextBlob polarity per sentence, averaged per article."""
    out = []
    for text in texts:
        sentences = nupunkt.sent_tokenize(text)
        scores = [TextBlob(s).sentiment.polarity for s in sentences]
        out.append(sum(scores) / len(scores) if scores else 0.0)
    return out


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--codebook", default="ai")
    parser.add_argument("--by", default="bias_text", help="grouping column of the comparison")
    parser.add_argument("--skip-compare", action="store_true")
    args = parser.parse_args()

    articles, read_s = timed("read corpus (framelens.read_articles)", fl.read_articles,
                             args.corpus, text="content_original", outlet="source", id="ID")
    if args.limit:
        articles = articles.head(args.limit)
    n = len(articles)
    texts = articles["text"].tolist()
    print(f"articles: {n}, words: {sum(len(t.split()) for t in texts):,}")

    _, plain_s = timed("plain: nupunkt + TextBlob per sentence", plain_textblob, texts)
    sentences, seg_s = timed("framelens: paragraphs + sentences", fl.split_sentences, articles)
    _, sent_s = timed("framelens: sentiment only (TextBlob + VADER)", fl.score_sentiment,
                      sentences)
    result, full_s = timed("framelens: full analysis (fl.analyze)", fl.analyze, articles,
                           codebook=args.codebook)

    print()
    print(f"plain TextBlob loop:      {n / plain_s:8.1f} articles/s")
    print(f"framelens full analysis:  {n / full_s:8.1f} articles/s")
    print(f"ratio full / plain time:  {full_s / plain_s:8.2f}x "
          f"(framelens is {plain_s / full_s:.2f}x the speed of the plain loop)")
    print(f"sentences: {len(result.sentences):,}, tokens: {len(result.tokens):,}, "
          f"frame matches: {len(result.matches):,}, quotes: {len(result.quotes):,}")
    if args.skip_compare:
        return

    print()
    with tempfile.TemporaryDirectory() as cache:
        _, cold_s = timed(f"compare by {args.by}, cold cache", fl.compare_corpus, articles,
                          by=args.by, codebook=args.codebook, cache=cache)
        comparison, warm_s = timed(f"compare by {args.by}, warm cache", fl.compare_corpus,
                                   articles, by=args.by, codebook=args.codebook, cache=cache)
    print(f"cold / warm:              {cold_s / warm_s:8.1f}x "
          f"({len(comparison.groups)} groups, {len(comparison.summary)} summary sentences)")


if __name__ == "__main__":
    main()
