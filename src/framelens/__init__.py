"""framelens: framing, sentiment, term and quote analysis of news articles.

The public API, one import away::

    import framelens as fl
    result = fl.analyze(fl.read_articles("data/articles"), codebook="ai")

Reading: :func:`read_articles`, :func:`read_article`. Segmentation:
:func:`split_paragraphs`, :func:`split_sentences`, :func:`tokenize`. Scores:
:func:`score_sentiment`, :func:`match_frames`, :func:`score_frames`, :func:`term_frequency`,
:func:`extract_quotes`, and :func:`analyze` for all of them at once. Charts: ``plot_*``.
Reports: :func:`report_article`, :func:`run_notebook`. Corpora of any size:
:func:`iter_articles`, :func:`score_file` (``framelens score``), :func:`read_scores`.
Errors: :class:`FramelensError` and its subclasses.

The names are loaded on first use (:pep:`562`): ``import framelens`` stays quick, and a
process that only scores (a ``framelens score`` worker) never imports the plotting,
reporting or collecting code.
"""

import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

#: module -> the public names it provides
_MODULES: dict[str, tuple[str, ...]] = {
    "actors": ("Actor", "ActorList", "actor_tone", "find_mentions", "list_actor_lists",
               "load_actors", "resolve_short_names", "score_mentions", "unmatched_actors"),
    "analysis": ("Analysis", "analyze"),
    "codebook": ("Codebook", "Frame", "Threshold", "codebook_digest", "list_codebooks",
                 "load_codebook"),
    "collect": ("CollectResult", "FeedConfig", "collect_articles", "load_feeds"),
    "compare": ("actor_group_sizes", "actor_tone_by_group", "actor_tone_pairwise",
                "actor_tone_tests", "actor_within_event", "boilerplate_lines",
                "corrected_pairwise", "corrected_prevalence", "frame_error_rates",
                "frame_pairwise", "frame_prevalence", "frame_tests", "group_sizes", "keyness",
                "quoting_by_group", "rogan_gladen", "sentiment_by_group", "sentiment_pairwise",
                "sentiment_tests", "summarize_actor_tone", "summarize_differences", "trends",
                "voices_by_group", "within_event"),
    "comparison": ("Comparison", "compare_corpus"),
    "corpus": ("fingerprint", "html_to_text", "iter_articles", "read_article", "read_articles"),
    "duplicates": ("drop_duplicates", "find_duplicates"),
    "engine": ("ScoreRun", "score_file"),
    "errors": ("ActorListError", "BinaryInputError", "CodebookError", "EmptyInputError",
               "EncodingError", "FramelensError", "InputError", "LanguageError", "MetadataError",
               "MissingColumnError", "ModelError", "NotebookExecutionError", "OptionError",
               "OutputError", "ReportError"),
    "framing": ("dominant_frames", "frame_evidence", "match_frames", "score_frames"),
    "models.frames": ("FrameModel", "apply_frames", "learn_frames", "load_frame_model",
                      "uncertain_units"),
    "models.tone": ("load_tone_model", "score_tone", "tone_agreement", "tone_model_info"),
    "plots": ("plot_actor_tone", "plot_actor_tone_by_group", "plot_frame_heatmap",
              "plot_frame_profile", "plot_group_means", "plot_keyness", "plot_sentiment_arc",
              "plot_top_terms", "plot_trends", "plot_voices"),
    "quotes": ("extract_quotes", "join_variants", "merge_speakers", "quote_share",
               "speaker_names", "speakers"),
    "reports": ("bullets_html", "note_html", "provenance", "provenance_html", "report_article",
                "report_comparison", "run_notebook", "safe_name", "summary_html", "table_html"),
    "scores": ("CorpusScores", "cache_key", "is_scores_file", "read_scores", "score_articles",
               "score_corpus"),
    "segment": ("ANALYSED_KINDS", "classify_paragraph", "english_share", "split_paragraphs",
                "split_sentences", "stopwords", "tokenize", "word_spans"),
    "sentiment": ("NEWS_NEUTRAL_WORDS", "TARGET_THRESHOLDS", "article_sentiment",
                  "extreme_sentences", "score_sentiment", "score_target_sentiment",
                  "sentiment_arc", "sentiment_drivers"),
    "terms": ("kwic", "term_frequency", "tfidf"),
    "validation": ("Validation", "draw_sample", "error_codes", "flag_frames",
                   "krippendorff_alpha", "latest_validation", "read_coded_table",
                   "read_coding_sheet", "validate", "validation_html", "write_coding_sheet"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'framelens' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"framelens.{module}"), name)
    globals()[name] = value  # the next look-up does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


# for type checkers, editors and linters, which need literal imports and a literal
# __all__: the same names as _MODULES (a test checks that the three agree)
if _typing.TYPE_CHECKING:
    from framelens.actors import (
        Actor,
        ActorList,
        actor_tone,
        find_mentions,
        list_actor_lists,
        load_actors,
        resolve_short_names,
        score_mentions,
        unmatched_actors,
    )
    from framelens.analysis import Analysis, analyze
    from framelens.codebook import (
        Codebook,
        Frame,
        Threshold,
        codebook_digest,
        list_codebooks,
        load_codebook,
    )
    from framelens.collect import CollectResult, FeedConfig, collect_articles, load_feeds
    from framelens.compare import (
        actor_group_sizes,
        actor_tone_by_group,
        actor_tone_pairwise,
        actor_tone_tests,
        actor_within_event,
        boilerplate_lines,
        corrected_pairwise,
        corrected_prevalence,
        frame_error_rates,
        frame_pairwise,
        frame_prevalence,
        frame_tests,
        group_sizes,
        keyness,
        quoting_by_group,
        rogan_gladen,
        sentiment_by_group,
        sentiment_pairwise,
        sentiment_tests,
        summarize_actor_tone,
        summarize_differences,
        trends,
        voices_by_group,
        within_event,
    )
    from framelens.comparison import Comparison, compare_corpus
    from framelens.corpus import (
        fingerprint,
        html_to_text,
        iter_articles,
        read_article,
        read_articles,
    )
    from framelens.duplicates import drop_duplicates, find_duplicates
    from framelens.engine import ScoreRun, score_file
    from framelens.errors import (
        ActorListError,
        BinaryInputError,
        CodebookError,
        EmptyInputError,
        EncodingError,
        FramelensError,
        InputError,
        LanguageError,
        MetadataError,
        MissingColumnError,
        ModelError,
        NotebookExecutionError,
        OptionError,
        OutputError,
        ReportError,
    )
    from framelens.framing import dominant_frames, frame_evidence, match_frames, score_frames
    from framelens.models.frames import (
        FrameModel,
        apply_frames,
        learn_frames,
        load_frame_model,
        uncertain_units,
    )
    from framelens.models.tone import load_tone_model, score_tone, tone_agreement, tone_model_info
    from framelens.plots import (
        plot_actor_tone,
        plot_actor_tone_by_group,
        plot_frame_heatmap,
        plot_frame_profile,
        plot_group_means,
        plot_keyness,
        plot_sentiment_arc,
        plot_top_terms,
        plot_trends,
        plot_voices,
    )
    from framelens.quotes import (
        extract_quotes,
        join_variants,
        merge_speakers,
        quote_share,
        speaker_names,
        speakers,
    )
    from framelens.reports import (
        bullets_html,
        note_html,
        provenance,
        provenance_html,
        report_article,
        report_comparison,
        run_notebook,
        safe_name,
        summary_html,
        table_html,
    )
    from framelens.scores import (
        CorpusScores,
        cache_key,
        is_scores_file,
        read_scores,
        score_articles,
        score_corpus,
    )
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
        NEWS_NEUTRAL_WORDS,
        TARGET_THRESHOLDS,
        article_sentiment,
        extreme_sentences,
        score_sentiment,
        score_target_sentiment,
        sentiment_arc,
        sentiment_drivers,
    )
    from framelens.terms import kwic, term_frequency, tfidf
    from framelens.validation import (
        Validation,
        draw_sample,
        error_codes,
        flag_frames,
        krippendorff_alpha,
        latest_validation,
        read_coded_table,
        read_coding_sheet,
        validate,
        validation_html,
        write_coding_sheet,
    )

__all__ = [
    "ANALYSED_KINDS",
    "Actor",
    "ActorList",
    "ActorListError",
    "Analysis",
    "BinaryInputError",
    "Codebook",
    "CodebookError",
    "CollectResult",
    "Comparison",
    "CorpusScores",
    "EmptyInputError",
    "EncodingError",
    "FeedConfig",
    "Frame",
    "FrameModel",
    "FramelensError",
    "InputError",
    "LanguageError",
    "MetadataError",
    "MissingColumnError",
    "ModelError",
    "NEWS_NEUTRAL_WORDS",
    "NotebookExecutionError",
    "OptionError",
    "OutputError",
    "ReportError",
    "ScoreRun",
    "TARGET_THRESHOLDS",
    "Threshold",
    "Validation",
    "actor_group_sizes",
    "actor_tone",
    "actor_tone_by_group",
    "actor_tone_pairwise",
    "actor_tone_tests",
    "actor_within_event",
    "analyze",
    "apply_frames",
    "article_sentiment",
    "boilerplate_lines",
    "bullets_html",
    "cache_key",
    "classify_paragraph",
    "codebook_digest",
    "collect_articles",
    "compare_corpus",
    "corrected_pairwise",
    "corrected_prevalence",
    "dominant_frames",
    "draw_sample",
    "drop_duplicates",
    "english_share",
    "error_codes",
    "extract_quotes",
    "extreme_sentences",
    "find_duplicates",
    "find_mentions",
    "fingerprint",
    "flag_frames",
    "frame_error_rates",
    "frame_evidence",
    "frame_pairwise",
    "frame_prevalence",
    "frame_tests",
    "group_sizes",
    "html_to_text",
    "is_scores_file",
    "iter_articles",
    "join_variants",
    "keyness",
    "krippendorff_alpha",
    "kwic",
    "latest_validation",
    "learn_frames",
    "list_actor_lists",
    "list_codebooks",
    "load_actors",
    "load_codebook",
    "load_feeds",
    "load_frame_model",
    "load_tone_model",
    "match_frames",
    "merge_speakers",
    "note_html",
    "plot_actor_tone",
    "plot_actor_tone_by_group",
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
    "quoting_by_group",
    "read_article",
    "read_articles",
    "read_coded_table",
    "read_coding_sheet",
    "read_scores",
    "report_article",
    "report_comparison",
    "resolve_short_names",
    "rogan_gladen",
    "run_notebook",
    "safe_name",
    "score_articles",
    "score_corpus",
    "score_file",
    "score_frames",
    "score_mentions",
    "score_sentiment",
    "score_target_sentiment",
    "score_tone",
    "sentiment_arc",
    "sentiment_by_group",
    "sentiment_drivers",
    "sentiment_pairwise",
    "sentiment_tests",
    "speaker_names",
    "speakers",
    "split_paragraphs",
    "split_sentences",
    "stopwords",
    "summarize_actor_tone",
    "summarize_differences",
    "summary_html",
    "table_html",
    "term_frequency",
    "tfidf",
    "tokenize",
    "tone_agreement",
    "tone_model_info",
    "trends",
    "uncertain_units",
    "unmatched_actors",
    "validate",
    "validation_html",
    "voices_by_group",
    "within_event",
    "word_spans",
    "write_coding_sheet",
]
