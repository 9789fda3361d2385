"""framelens: framing, sentiment, term and quote analysis of news articles.

>>> import framelens as fl
"""

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
    ReportError,
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

__version__ = "0.1.0"
