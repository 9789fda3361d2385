"""Claims about term counts, tf-idf and keywords in context."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framelens.errors import MissingColumnError, OptionError
from framelens.segment import split_sentences, tokenize
from framelens.terms import kwic, term_frequency, tfidf

SEED = Path(__file__).parents[1] / "data/articles/global-times-2025-09-05-ai-public-good.txt"


def _tables(*texts: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and tokens of articles d1, d2... whose text is one paragraph each."""
    articles = pd.DataFrame({
        "article_id": [f"d{i}" for i in range(1, len(texts) + 1)],
        "text": list(texts),
    })
    sentences = split_sentences(articles)
    return sentences, tokenize(sentences)


def _terms(text: str, **options) -> list[str]:
    sentences, tokens = _tables(text)
    return term_frequency(tokens, sentences=sentences, **options)["term"].tolist()


@pytest.fixture(scope="module")
def seed() -> tuple[pd.DataFrame, pd.DataFrame]:
    body = SEED.read_text(encoding="utf-8").split("---\n", 2)[2]
    articles = pd.DataFrame({
        "article_id": ["seed"],
        "title": ["AI as an international public good"],
        "text": [body],
    })
    sentences = split_sentences(articles)
    return sentences, tokenize(sentences)


# --- term_frequency -----------------------------------------------------------------


def test_word_counts_and_rate_per_thousand_words():
    # 9 word tokens; "the" and "is" are stopwords
    sentences, tokens = _tables("Trade helps trade partners. The trade deal is good.")
    out = term_frequency(tokens, sentences=sentences)
    assert out.columns.tolist() == ["term", "count", "rel_freq", "rank"]
    assert out[["term", "count", "rank"]].values.tolist() == [
        ["trade", 3, 1],
        ["deal", 1, 2],
        ["good", 1, 2],
        ["helps", 1, 2],
        ["partners", 1, 2],
    ]
    assert out["rel_freq"].tolist() == pytest.approx([3 / 9 * 1000] + [1 / 9 * 1000] * 4)


def test_stopwords_are_counted_when_asked():
    terms = _terms("The trade deal is good.", drop_stopwords=False)
    assert "the" in terms and "is" in terms


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, ["built", "days", "h3c", "networks"]),
        ({"drop_numbers": False}, ["130,000", "2025", "3.5", "built", "days", "h3c", "networks"]),
    ],
)
def test_pure_numbers_are_not_terms_but_h3c_is(options, expected):
    assert _terms("In 2025 H3C built 130,000 networks in 3.5 days.", **options) == expected


@pytest.mark.parametrize(
    ("text", "bigrams"),
    [
        ("AI is a public good.", ["public good"]),
        ("The public good of the people.", ["public good"]),
        ("Economic growth, China said.", ["china said", "economic growth"]),
        ("Smart industry. Expo opened.", ["expo opened", "smart industry"]),
        ("A win-win plan.", ["win-win plan"]),
    ],
)
def test_bigrams_skip_stopwords_and_never_cross_punctuation(text, bigrams):
    assert _terms(text, ngram=2) == bigrams


def test_bigrams_with_stopwords_kept_still_stop_at_punctuation():
    terms = _terms("Growth of trade, China said.", ngram=2, drop_stopwords=False)
    assert terms == ["china said", "growth of", "of trade"]


def test_trigrams():
    assert _terms("Intelligent connected new energy vehicles.", ngram=3) == [
        "connected new energy", "intelligent connected new", "new energy vehicles"
    ]


def test_counts_by_article_use_each_article_word_total():
    sentences, tokens = _tables("Trade and more trade.", "Trade talks.")
    out = term_frequency(tokens, sentences=sentences, by="article_id")
    assert out.columns.tolist() == ["article_id", "term", "count", "rel_freq", "rank"]
    assert out[["article_id", "term", "count"]].values.tolist() == [
        ["d1", "trade", 2],
        ["d2", "talks", 1],
        ["d2", "trade", 1],
    ]
    # d1 has 4 word tokens ("and", "more" are stopwords but count in the total), d2 has 2
    assert out["rel_freq"].tolist() == pytest.approx([500.0, 500.0, 500.0])


def test_min_count_and_top_n():
    sentences, tokens = _tables("Trade trade trade deal deal talks.")
    assert term_frequency(tokens, sentences=sentences, min_count=2)["term"].tolist() == [
        "trade", "deal"
    ]
    assert term_frequency(tokens, sentences=sentences, top_n=1)["term"].tolist() == ["trade"]


def test_captions_are_not_counted_when_sentences_say_what_they_are():
    sentences, tokens = _tables("Visitors attend the expo. Photo: VCG\nRobots box at the expo.")
    assert "vcg" not in term_frequency(tokens, sentences=sentences)["term"].tolist()
    assert "vcg" in term_frequency(tokens, kinds=None)["term"].tolist()
    with_kind = tokens.merge(sentences[["article_id", "sentence_id", "kind"]])
    assert "vcg" not in term_frequency(with_kind)["term"].tolist()


def test_tokens_without_kinds_warn_that_captions_count():
    _, tokens = _tables("Robots box at the expo.")
    with pytest.warns(UserWarning, match="captions, bylines and boilerplate are counted"):
        term_frequency(tokens.drop(columns="kind"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        term_frequency(tokens, kinds=None)


def test_term_frequency_rejects_bad_options_and_missing_columns():
    sentences, tokens = _tables("Robots box.")
    with pytest.raises(OptionError, match="ngram must be a whole number"):
        term_frequency(tokens, sentences=sentences, ngram=0)
    with pytest.raises(MissingColumnError, match="outlet"):
        term_frequency(tokens, sentences=sentences, by="outlet")
    with pytest.raises(MissingColumnError, match="is_stop"):
        term_frequency(tokens.drop(columns="is_stop"), sentences=sentences)


def test_ties_are_alphabetical_even_when_one_word_starts_another():
    # "ab c" < "abc d" because the space sorts before the letters
    assert _terms("Zeta alpha. Alpha zeta. Alpha beta. Abc dee. Ab cee.", ngram=2) == [
        "ab cee", "abc dee", "alpha beta", "alpha zeta", "zeta alpha"
    ]


def _hand_tokens(sentences: list[list[str]], article_id: object = "a") -> pd.DataFrame:
    """A tokens table (all words, no stopwords) with the given norms, one list per sentence."""
    rows = [(article_id, s, t, norm) for s, norms in enumerate(sentences)
            for t, norm in enumerate(norms)]
    out = pd.DataFrame(rows, columns=["article_id", "sentence_id", "token_id", "norm"])
    return out.assign(is_word=True, is_stop=False)


def test_terms_of_words_holding_spaces_or_control_characters_stay_strings():
    # ("a b", "c") and ("a", "b c") spell one bigram; "a\x01 b" sorts before "a b"
    tokens = _hand_tokens([["a b", "c"], ["a", "b c"], ["a\x01", "b"], ["a", "b"]])
    out = term_frequency(tokens, ngram=2, kinds=None)
    assert out[["term", "count", "rank"]].values.tolist() == [
        ["a b c", 2, 1], ["a\x01 b", 1, 2], ["a b", 1, 2]
    ]


def test_tokens_out_of_order_are_read_in_reading_order():
    tokens = _hand_tokens([["public", "good"], ["good", "public", "good"]])
    shuffled = tokens.iloc[[4, 0, 2, 1, 3]]
    out = term_frequency(shuffled, ngram=2, kinds=None)
    assert out[["term", "count"]].values.tolist() == [
        ["public good", 2], ["good public", 1]
    ]


def test_groups_come_in_order_of_first_appearance_or_category_order():
    tokens = pd.concat([_hand_tokens([["trade"]], "b"), _hand_tokens([["talks"]], "a")])
    out = term_frequency(tokens, by="article_id", kinds=None)
    assert out[["article_id", "term"]].values.tolist() == [["b", "trade"], ["a", "talks"]]
    # a categorical column sorts by its categories, as pandas sorts it
    tokens["article_id"] = tokens["article_id"].astype("category")
    out = term_frequency(tokens, by="article_id", kinds=None)
    assert out[["article_id", "term"]].values.tolist() == [["a", "talks"], ["b", "trade"]]
    assert isinstance(out["article_id"].dtype, pd.CategoricalDtype)


def test_number_ids_stay_numbers():
    tokens = _hand_tokens([["trade", "talks"]], article_id=7).astype({"article_id": object})
    out = term_frequency(tokens, by="article_id", kinds=None)
    assert out["article_id"].tolist() == [7, 7]
    assert out["article_id"].dtype == "int64"


def test_empty_result_keeps_its_columns():
    sentences, tokens = _tables("It is what it is.")
    out = term_frequency(tokens, sentences=sentences)
    assert out.empty and out.columns.tolist() == ["term", "count", "rel_freq", "rank"]


# --- tfidf --------------------------------------------------------------------------

IDF_IN_3 = math.log(4 / 4) + 1  # term in all 3 documents: 1.0
IDF_IN_2 = math.log(4 / 3) + 1  # 1.2876820724517808
IDF_IN_1 = math.log(4 / 2) + 1  # 1.6931471805599454


@pytest.fixture
def three_docs() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _tables("Cats chase mice.", "Cats sleep. Cats purr.", "Dogs chase cats.")


def test_tfidf_matches_a_hand_computation(three_docs):
    sentences, tokens = three_docs
    out = tfidf(tokens, sentences=sentences)
    assert out.columns.tolist() == ["article_id", "term", "tf", "df", "idf", "tfidf"]
    assert IDF_IN_2 == pytest.approx(1.2876820724517808)
    assert IDF_IN_1 == pytest.approx(1.6931471805599454)
    expected = [
        ("d1", "mice", 1, 1, IDF_IN_1, IDF_IN_1),
        ("d1", "chase", 1, 2, IDF_IN_2, IDF_IN_2),
        ("d1", "cats", 1, 3, IDF_IN_3, 1.0),
        ("d2", "cats", 2, 3, IDF_IN_3, 2.0),
        ("d2", "purr", 1, 1, IDF_IN_1, IDF_IN_1),
        ("d2", "sleep", 1, 1, IDF_IN_1, IDF_IN_1),
        ("d3", "dogs", 1, 1, IDF_IN_1, IDF_IN_1),
        ("d3", "chase", 1, 2, IDF_IN_2, IDF_IN_2),
        ("d3", "cats", 1, 3, IDF_IN_3, 1.0),
    ]
    got = list(out.itertuples(index=False, name=None))
    assert [row[:4] for row in got] == [row[:4] for row in expected]
    assert [row[4:] for row in got] == [pytest.approx(row[4:]) for row in expected]


def test_tfidf_l2_gives_each_article_unit_length(three_docs):
    sentences, tokens = three_docs
    out = tfidf(tokens, sentences=sentences, normalize="l2")
    d1 = out[out["article_id"] == "d1"].set_index("term")["tfidf"]
    length = math.sqrt(IDF_IN_1**2 + IDF_IN_2**2 + IDF_IN_3**2)
    assert d1["mice"] == pytest.approx(IDF_IN_1 / length)
    assert d1["cats"] == pytest.approx(1 / length)
    assert (out["tfidf"] ** 2).groupby(out["article_id"]).sum().tolist() == pytest.approx(
        [1.0, 1.0, 1.0]
    )


def test_tfidf_min_df_and_top_n(three_docs):
    sentences, tokens = three_docs
    assert set(tfidf(tokens, sentences=sentences, min_df=2)["term"]) == {"cats", "chase"}
    top = tfidf(tokens, sentences=sentences, top_n=1)
    assert top[["article_id", "term"]].values.tolist() == [
        ["d1", "mice"], ["d2", "cats"], ["d3", "dogs"]
    ]


def test_tfidf_of_bigrams():
    sentences, tokens = _tables("Public good matters.", "Public good again.")
    out = tfidf(tokens, sentences=sentences, ngram=2)
    assert out[["article_id", "term", "df"]].values.tolist() == [
        ["d1", "good matters", 1], ["d1", "public good", 2], ["d2", "public good", 2]
    ]


def test_tfidf_rejects_unknown_normalisation(three_docs):
    sentences, tokens = three_docs
    with pytest.raises(OptionError, match="normalize must be"):
        tfidf(tokens, sentences=sentences, normalize="l1")


# --- kwic ---------------------------------------------------------------------------


def test_kwic_with_a_wildcard_keeps_the_sentence_boundary():
    sentences, tokens = _tables("The economy grew. Economic growth and economics matter a lot.")
    out = kwic(tokens, "econom*", window=3, sentences=sentences)
    assert out.columns.tolist() == [
        "article_id", "sentence_id", "token_id", "left", "keyword", "right"
    ]
    assert out.drop(columns="article_id").values.tolist() == [
        [0, 1, "The", "economy", "grew ."],
        [1, 0, "", "Economic", "growth and economics"],
        [1, 3, "Economic growth and", "economics", "matter a lot"],
    ]


def test_kwic_with_a_phrase_matches_consecutive_tokens_only():
    sentences, tokens = _tables(
        "AI is a Public Good for all. A public, good idea. A good public good."
    )
    out = kwic(tokens, "public good", window=2, sentences=sentences)
    assert out[["sentence_id", "token_id", "left", "keyword", "right"]].values.tolist() == [
        [0, 3, "is a", "Public Good", "for all"],
        [2, 2, "A good", "public good", "."],
    ]


@pytest.mark.parametrize(
    ("pattern", "keywords"),
    [
        ("cooperation", ["cooperation", "Cooperation"]),
        ("COOPERATION", ["cooperation", "Cooperation"]),
        ("co?peration", ["cooperation", "Cooperation"]),
        ("international *", ["international cooperation", "international public"]),
        ("China's", ["China 's"]),
    ],
)
def test_kwic_patterns_are_case_insensitive_globs(pattern, keywords):
    sentences, tokens = _tables(
        "China's international cooperation grew. Cooperation is an international public good."
    )
    assert kwic(tokens, pattern, sentences=sentences)["keyword"].tolist() == keywords


def test_kwic_rejects_an_empty_pattern():
    _, tokens = _tables("Robots box.")
    with pytest.raises(OptionError, match="pattern must name at least one word"):
        kwic(tokens, "  ", kinds=None)


# --- the seed article ---------------------------------------------------------------


def test_seed_article_terms(seed):
    sentences, tokens = seed
    words = term_frequency(tokens, sentences=sentences, top_n=10)
    assert words["term"].iloc[0] == "ai"
    assert {"china", "cooperation", "international"} <= set(words["term"])
    bigrams = term_frequency(tokens, sentences=sentences, ngram=2)
    assert {"public good", "international cooperation"} <= set(bigrams["term"].head(5))
    every_word = term_frequency(tokens, sentences=sentences, ngram=1)["term"].tolist()
    assert "vcg" not in every_word and "photo" not in every_word
    good = kwic(tokens, "public good", sentences=sentences)
    assert len(good) == 4 and good["sentence_id"].is_monotonic_increasing
