"""framelens: framing, sentiment, term and quote analysis of news articles.

The public API, one import away::

    import framelens as fl
    result = fl.analyze(fl.read_articles("data/articles"), codebook="ai")

Reading: :func:`read_articles`, :func:`read_article`. Segmentation:
:func:`split_paragraphs`, :func:`split_sentences`, :func:`tokenize`. Scores:
:func:`score_sentiment`, :func:`match_frames`, :func:`score_frames`, :func:`term_frequency`,
:func:`extract_quotes`, and :func:`analyze` for all of them at once. Charts: ``plot_*``.
Reports: :func:`report_article`, :func:`run_notebook`. Errors: :class:`FramelensError`
and its subclasses.
"""

from framelens.analysis import Analysis, analyze
from framelens.codebook import Codebook, Frame, list_codebooks, load_codebook
from framelens.corpus import fingerprint, html_to_text, read_article, read_articles
from framelens.duplicates import drop_duplicates, find_duplicates
from framelens.errors import (
    BinaryInputError,
    CodebookError,
    EmptyInputError,
    EncodingError,
    FramelensError,
    InputError,
    LanguageError,
    MetadataError,
    MissingColumnError,
    NotebookExecutionError,
    OptionError,
    ReportError,
)
from framelens.framing import dominant_frames, frame_evidence, match_frames, score_frames
from framelens.plots import (
    plot_frame_heatmap,
    plot_frame_profile,
    plot_group_means,
    plot_keyness,
    plot_sentiment_arc,
    plot_top_terms,
    plot_trends,
    plot_voices,
)
from framelens.quotes import extract_quotes, quote_share, speakers
from framelens.reports import (
    provenance,
    provenance_html,
    report_article,
    report_comparison,
    run_notebook,
    safe_name,
    summary_html,
    table_html,
)
from framelens.scores import CorpusScores, cache_key, score_articles, score_corpus
from framelens.segment import (
    ANALYSED_KINDS,
    classify_paragraph,
    english_share,
    split_paragraphs,
    split_sentences,
    stopwords,
    tokenize,
    word_spans,
)
from framelens.sentiment import (
    article_sentiment,
    extreme_sentences,
    score_sentiment,
    sentiment_arc,
)
from framelens.terms import kwic, term_frequency, tfidf

__version__ = "0.1.0"

__all__ = [
    "ANALYSED_KINDS",
    "Analysis",
    "BinaryInputError",
    "Codebook",
    "CodebookError",
    "CorpusScores",
    "EmptyInputError",
    "EncodingError",
    "Frame",
    "FramelensError",
    "InputError",
    "LanguageError",
    "MetadataError",
    "MissingColumnError",
    "NotebookExecutionError",
    "OptionError",
    "ReportError",
    "analyze",
    "article_sentiment",
    "cache_key",
    "classify_paragraph",
    "dominant_frames",
    "drop_duplicates",
    "english_share",
    "extract_quotes",
    "extreme_sentences",
    "find_duplicates",
    "fingerprint",
    "frame_evidence",
    "html_to_text",
    "kwic",
    "list_codebooks",
    "load_codebook",
    "match_frames",
    "plot_frame_heatmap",
    "plot_frame_profile",
    "plot_group_means",
    "plot_keyness",
    "plot_sentiment_arc",
    "plot_top_terms",
    "plot_trends",
    "plot_voices",
    "provenance",
    "provenance_html",
    "quote_share",
    "read_article",
    "read_articles",
    "report_article",
    "report_comparison",
    "run_notebook",
    "safe_name",
    "score_articles",
    "score_corpus",
    "score_frames",
    "score_sentiment",
    "sentiment_arc",
    "speakers",
    "split_paragraphs",
    "split_sentences",
    "stopwords",
    "summary_html",
    "table_html",
    "term_frequency",
    "tfidf",
    "tokenize",
    "word_spans",
]
