"""Frame matching and scoring: hand-checked matches, arithmetic, dominance and evidence."""

from __future__ import annotations

import functools
import math
import pickle
import random
import re

import pandas as pd
import pytest

from framelens import framing
from framelens.codebook import load_codebook
from framelens.errors import InputError, MissingColumnError, OptionError
from framelens.framing import (
    MATCH_COLUMNS,
    SCORE_COLUMNS,
    dominant_frames,
    frame_evidence,
    match_frames,
    score_frames,
)
from framelens.segment import split_sentences, word_spans

TEST_CODEBOOK = """\
name: test
version: "1.0"
frames:
  economy:
    label: Economy
    terms:
      - econom*
      - trade
      - economic growth
  cooperation:
    label: Cooperation
    terms:
      - good
      - public good
      - international public good
      - win-win
      - china's partners
  security:
    label: Security
    terms:
      - security
      - threat* to * security
    exclude:
      - social security
  war:
    label: War
    terms:
      - trade war
      - war games
  plural:
    label: Plural goods
    terms:
      - public good*
  unused:
    label: Never matched
    terms:
      - unicorn
"""


@pytest.fixture(scope="module")
def codebook(tmp_path_factory):
    path = tmp_path_factory.mktemp("codebooks") / "test.yml"
    path.write_text(TEST_CODEBOOK, encoding="utf-8")
    return load_codebook(path)


def sentences_of(*texts, kinds=None, n_words=None, article_id="a"):
    """A sentences table like split_sentences gives; the first body sentence is the lead."""
    kinds = list(kinds) if kinds else ["body"] * len(texts)
    lead = kinds.index("body") if "body" in kinds else None
    counted = [sum(t[0].isalnum() for t, _, _ in word_spans(text)) for text in texts]
    return pd.DataFrame({
        "article_id": article_id,
        "paragraph_id": range(len(texts)),
        "sentence_id": range(len(texts)),
        "kind": kinds,
        "is_lead": [i == lead for i in range(len(texts))],
        "text": list(texts),
        "n_words": list(n_words) if n_words else counted,
    })


def found(text, codebook, frame=None):
    matches = match_frames(sentences_of(text), codebook=codebook)
    if frame is not None:
        matches = matches[matches["frame"] == frame]
    return matches["matched"].tolist()


# --- matching -------------------------------------------------------------------------


def test_wildcard_term_matches_inflections_in_any_case_but_not_other_words(codebook):
    text = "The economic outlook. Economy grows. Ecology matters. Economists agree."
    assert found(text, codebook, "economy") == ["economic", "Economy", "Economists"]


def test_phrase_term_matches_consecutive_tokens_with_their_offsets(codebook):
    sents = sentences_of("AI should be an international public good that benefits all.")
    row = match_frames(sents, codebook=codebook).query("frame == 'plural'").iloc[0]
    assert (row["matched"], row["start"], row["end"]) == ("public good", 30, 41)
    assert (row["token_start"], row["token_end"]) == (5, 7)
    assert sents["text"][0][row["start"]:row["end"]] == row["matched"]


@pytest.mark.parametrize(
    ("text", "exact", "wildcard"),
    [
        ("a public good for all", ["public good"], ["public good"]),
        ("Public goods are shared", [], ["Public goods"]),  # no wildcard: whole tokens only
        ("public, good", [], []),  # punctuation between the words breaks the phrase
        ("It is public. Good news.", [], []),  # a phrase never spans two sentences
    ],
)
def test_phrase_without_wildcard_does_not_match_the_plural(codebook, text, exact, wildcard):
    matches = match_frames(sentences_of(text), codebook=codebook)
    by_frame = matches.groupby("frame")["matched"].agg(list)
    assert [m for m in by_frame.get("cooperation", []) if " " in m] == exact
    assert by_frame.get("plural", []) == wildcard


def test_longest_match_wins_within_a_frame(codebook):
    # "good", "public good" and "international public good" all match; one hit counts
    assert found("an international public good", codebook, "cooperation") == [
        "international public good"
    ]


def test_overlapping_matches_of_equal_length_go_to_the_earliest(codebook):
    assert found("no trade war games", codebook, "war") == ["trade war"]


def test_a_token_can_count_for_two_frames(codebook):
    matches = match_frames(sentences_of("A trade war looms."), codebook=codebook)
    assert matches[["frame", "matched"]].values.tolist() == [
        ["economy", "trade"], ["war", "trade war"]
    ]


def test_match_inside_an_exclude_phrase_is_dropped(codebook):
    text = "Social security reform is no threat to national security."
    assert found(text, codebook, "security") == ["threat to national security"]


def test_whole_word_wildcard_in_a_phrase_matches_a_word_not_punctuation(codebook):
    assert found("a threat to , security", codebook, "security") == ["security"]


def test_hyphenated_word_is_one_token(codebook):
    assert found("A win-win deal, a win for all.", codebook, "cooperation") == ["win-win"]


def test_possessive_and_curly_apostrophe_match_a_straight_apostrophe_term(codebook):
    assert found("China’s partners agreed.", codebook, "cooperation") == ["China’s partners"]


def test_captions_are_ignored_by_default_and_counted_with_kinds_none(codebook):
    sents = sentences_of("Trade fair opens. Photo: VCG", "Trade resumed.",
                         kinds=["caption", "body"])
    assert match_frames(sents, codebook=codebook)["sentence_id"].tolist() == [1]
    assert match_frames(sents, codebook=codebook, kinds=None)["sentence_id"].tolist() == [0, 1]


def test_match_table_has_documented_columns_and_types(codebook):
    matches = match_frames(sentences_of("Trade grew."), codebook=codebook)
    assert list(matches.columns) == MATCH_COLUMNS
    assert matches.dtypes[["start", "end", "token_start", "token_end"]].eq("int64").all()
    assert matches["is_lead"].dtype == bool


def test_no_match_gives_an_empty_table_with_the_columns(codebook):
    matches = match_frames(sentences_of("Nothing to see here."), codebook=codebook)
    assert matches.empty and list(matches.columns) == MATCH_COLUMNS


def test_match_frames_accepts_a_shipped_codebook_name():
    matches = match_frames(sentences_of("A win-win partnership."), codebook="ai")
    assert set(matches["frame"]) == {"cooperation"}


def test_match_frames_survives_pickling_for_dask_map_partitions(codebook):
    task = pickle.loads(pickle.dumps(functools.partial(match_frames, codebook=codebook)))
    assert task(sentences_of("Trade grew."))["matched"].tolist() == ["Trade"]


def test_missing_column_is_refused_by_name(codebook):
    with pytest.raises(MissingColumnError, match="is_lead"):
        match_frames(sentences_of("Trade.").drop(columns="is_lead"), codebook=codebook)


# --- where terms can start: the spotters and their fallbacks --------------------------

EDGE_CODEBOOK = """\
name: edge
version: "1.0"
frames:
  tech:
    label: Technology
    terms:
      - 5g network*       # starts with a digit
      - ai race
      - "#metoo"          # starts with punctuation
  cooperation:
    label: Cooperation
    terms:
      - "*operation"      # starts with a wildcard: every token is tried
"""


@pytest.fixture(scope="module")
def edge_codebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edge")
    digits = folder / "digits.yml"
    digits.write_text(EDGE_CODEBOOK.split("  cooperation:")[0], encoding="utf-8")
    wildcard = folder / "wildcard.yml"
    wildcard.write_text(EDGE_CODEBOOK, encoding="utf-8")
    return load_codebook(digits), load_codebook(wildcard)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trade", ["Trade"]),  # the whole sentence is the term
        ("Trade grew with economic growth", ["Trade", "economic growth"]),  # first and last
        ("(Economy) and “economic” ties", ["Economy", "economic"]),  # after punctuation
        ("economy-wide gains, economists said.", ["economy-wide", "economists"]),
        ("_trade and trade_ and 5trade and trade5", ["trade"]),  # glued to "_" only
        ("public\ngood, public\xa0good and public  good", ["public\ngood", "public\xa0good",
                                                         "public  good"]),
        ("public-good and public, good", []),  # hyphen and comma break the phrase
    ],
)
def test_terms_are_found_wherever_a_token_starts(codebook, text, expected):
    matches = match_frames(sentences_of(text), codebook=codebook)
    matches = matches[matches["frame"].isin(["economy", "plural"])]
    assert matches["matched"].tolist() == expected
    assert all(text[s:e] == m for s, e, m in matches[["start", "end", "matched"]].values)


def test_term_offsets_at_the_start_and_end_of_a_sentence(codebook):
    text = "Trade grew with economic growth"
    rows = match_frames(sentences_of(text), codebook=codebook)
    assert rows[["start", "end", "token_start", "token_end"]].values.tolist() == [
        [0, 5, 0, 1], [16, 31, 3, 5]  # "economic growth" outlasts "econom*"
    ]


def test_exclude_phrase_at_the_end_of_a_sentence_drops_the_match(codebook):
    assert found("Security first, then reform of social security", codebook,
                 "security") == ["Security"]


def test_phrase_never_joins_the_end_of_one_sentence_to_the_next(codebook):
    sents = sentences_of("We want a public", "good for all.")
    assert match_frames(sents, codebook=codebook)["matched"].tolist() == ["good"]


@pytest.mark.parametrize(
    "texts",
    [
        ["İstanbul hosts trade talks.", "Trade resumed."],  # lower-casing lengthens İ
        ["Trade\x00economy", "economic growth"],  # holds the separator of joined sentences
        ["ΟΔΟΣ trade ΣΑΣ", "ΣΑΣ economy ΟΔΟΣ"],  # final sigma depends on the neighbours
    ],
)
def test_odd_sentences_match_like_they_do_alone(codebook, texts):
    together = match_frames(sentences_of(*texts), codebook=codebook)
    alone = [match_frames(sentences_of(text), codebook=codebook) for text in texts]
    assert together["matched"].tolist() == [m for one in alone for m in one["matched"]]
    columns = ["start", "end", "token_start", "token_end"]
    assert together[columns].values.tolist() == [
        row for one in alone for row in one[columns].values.tolist()
    ]
    for text, (start, end, matched) in zip(
            [texts[i] for i in together["sentence_id"]],
            together[["start", "end", "matched"]].values):
        assert text[start:end] == matched


def test_terms_starting_with_a_digit_or_punctuation(edge_codebooks):
    digits, _ = edge_codebooks
    # "a5G" is one token, but "#" is a token of its own even right after a letter
    text = "5G networks, a5G network, the 5g network’s AI race, #MeToo and a#metoo."
    matches = match_frames(sentences_of(text), codebook=digits)
    assert matches["matched"].tolist() == ["5G networks", "5g network", "AI race", "#MeToo",
                                           "#metoo"]


def test_term_starting_with_a_wildcard_tries_every_token(edge_codebooks):
    _, wildcard = edge_codebooks
    text = "Cooperation and co-operation, not operations; operation."
    matches = match_frames(sentences_of(text), codebook=wildcard)
    assert matches.loc[matches["frame"] == "cooperation", "matched"].tolist() == [
        "Cooperation", "co-operation", "operation"
    ]


@pytest.mark.parametrize(
    "text",
    ["China's U.S.-made chips", "(win-win) e.g. 3.5billion _abc 5G5 don't", "a  b\n\tc\xa0d",
     "Σ’s “quoted”—dash… café\u0301 ﬁne İi", ""],
)
def test_tokens_of_a_text_are_the_tokens_of_its_whitespace_separated_chunks(text):
    # match_frames tokenises only the chunks it needs, which relies on this
    chunked = [(token, m.start() + s, m.start() + e)
               for m in re.finditer(r"\S+", text) for token, s, e in word_spans(m.group())]
    assert word_spans(text) == chunked


def test_spotted_matches_equal_trying_every_token(edge_codebooks):
    pieces = ["Trade", "trade", "war", "wars", "economic", "growth", "Economy", "public",
              "good", "goods", "China", "China’s", "'s", "partners", "threat", "to", "social",
              "security", "win-win", "5G", "network", "AI", "race", "rivals", "_", "-", ",",
              ".", "(", "“", "”", "İ", "ΟΔΟΣ", "\x00", "é", "said", "3.5", "U.S."]
    gaps = [" ", " ", " ", "", "  ", "\n", "\xa0"]
    rng = random.Random(6)
    texts = ["".join(rng.choice(pieces) + rng.choice(gaps) for _ in range(rng.randint(1, 12)))
             for _ in range(400)]
    for book in (load_codebook("ai"), edge_codebooks[0]):
        index = framing._compile(book)
        spotted = list(framing._match_texts(texts, index))
        one_by_one = [(row, matches) for row, text in enumerate(texts)
                      if (matches := framing._match_tokens(text, index, {}))]
        assert spotted == one_by_one


# --- the proper-name guard ------------------------------------------------------------


@pytest.mark.parametrize(("text", "codebook_name", "frame", "expected"), [
    # the examples: names that fired frames on held-out US political news
    ("The bill was backed by Sen. Jim Talent of Missouri.", "ai", "labour", []),
    ("Firms compete for AI talent.", "ai", "labour", ["talent"]),
    ("He briefed Defense Secretary Mattis on Tuesday.", "policy", "security_defense", []),
    ("Defense Secretary Jim Mattis resigned on Thursday.", "policy", "security_defense", []),
    ("The defense budget grew again.", "policy", "security_defense", ["defense"]),
    ("The Senate Judiciary Committee met on Monday.", "policy", "legality", []),
    ("Critics fear the judiciary is not independent.", "policy", "legality", ["judiciary"]),
    # "law school" is no proper name: an exclude phrase keeps it out of the frames
    ("She went to law school in Ohio.", "ai", "governance", []),
    ("She went to law school in Ohio.", "policy", "legality", []),
    ("The law took effect in May.", "ai", "governance", ["law"]),
    # party names are not political framing in the policy codebook, whatever their place
    ("Senate Republicans blocked the bill.", "policy", "political", []),
    ("Republicans and Democrats argued for hours.", "policy", "political", []),
    ("The partisan fight went on.", "policy", "political", ["partisan"]),
    # names marked case-sensitive in the codebook count, inside a name too
    ("He spoke at the Supreme Court on Monday.", "policy", "legality", ["Supreme Court"]),
    ("Talks at the United Nations resumed.", "policy", "external_regulation",
     ["United Nations"]),
    ("The new US-China Cold War began.", "ai", "competition", ["US-China", "Cold War"]),
])
def test_terms_do_not_match_inside_proper_names(text, codebook_name, frame, expected):
    assert found(text, codebook_name, frame) == expected


GUARD_CODEBOOK = """\
name: guard
version: "1.0"
frames:
  labour:
    terms: [talent*, labor, labour, workers]
  security:
    terms: [security, "defen?e", security threat*]
  economy:
    terms: [econom*, trade, public goods]
  parties:
    terms: [republican*, "=Democrat*"]
"""


@pytest.fixture(scope="module")
def guard_codebook(tmp_path_factory):
    path = tmp_path_factory.mktemp("codebooks") / "guard.yml"
    path.write_text(GUARD_CODEBOOK, encoding="utf-8")
    return load_codebook(path)


@pytest.mark.parametrize(("text", "expected"), [
    # a capitalised run in mid-sentence is a name
    ("He hired Jim Talent last year.", []),
    ("He praised the Department of Labor and the Trade Representative.", []),
    # a title and a name after a lower-case term make a title
    ("He spoke with labor secretary Alex Acosta.", []),
    ("He spoke with the labor secretary on Monday.", ["labor"]),
    # a capitalised word opening a sentence is a name only if a capitalised word follows
    ("Security is tight.", ["Security"]),
    ("Trade Secretary Liam Fox spoke.", []),
    ("\"Security threats are rising,\" she said.", ["Security threats"]),
    ("She said: Talent matters most.", ["Talent"]),
    # acronyms, hashtags and hyphenated words with a lower-case end are not names
    ("US-led trade and #Labour posts grew.", ["trade", "Labour"]),
    ("The GDP figures and the economy.", ["economy"]),
    # a headline in title case says nothing by its capitals
    ("Trade War Hurts Economy And Workers", ["Trade", "Economy", "Workers"]),
    ("TRADE WAR HURTS ECONOMY", ["TRADE", "ECONOMY"]),
    # but a body sentence full of names still has them
    ("He met Defense Secretary Mattis on Tuesday.", []),
    # a guarded term still matches in lower case, at the start or inside a phrase
    ("Republican senators met. The republican ideal of public goods.",
     ["Republican", "republican", "public goods"]),
    # a case-sensitive term matches only as written, inside a name too
    ("Senate Democrats and the democrats of Athens.", ["Democrats"]),
])
def test_the_proper_name_guard_case_by_case(guard_codebook, text, expected):
    sentences = split_sentences(pd.DataFrame({
        "article_id": ["a"], "paragraph_id": [0], "kind": ["body"], "is_lead": [True],
        "text": [text]}))
    matches = match_frames(sentences, codebook=guard_codebook)
    assert matches["matched"].tolist() == expected


@pytest.mark.parametrize(("texts", "expected"), [
    # the article names Senator Jim Talent: "Talent" opening a sentence is his name too
    (["Sen. Jim Talent of Missouri backed the bill.", "Talent, a Republican, said so."], []),
    # the article also writes "talent" in lower case: the capitalised opener is the word
    (["Talent is scarce, said Jim Talent.", "Firms need more talent."],
     ["Talent", "talent"]),
    # no mid-sentence name anywhere: an opener is a word
    (["Talent is scarce.", "Workers are scarce too."], ["Talent", "Workers"]),
    # a title-case headline is no evidence of a name
    (["Talent Wars Heat Up", "Talent is scarce."], ["Talent", "Talent"]),
])
def test_a_sentence_opener_the_article_uses_as_a_name_is_a_name(guard_codebook, texts,
                                                                 expected):
    sents = sentences_of(*texts)
    matches = match_frames(sents, codebook=guard_codebook)
    assert matches["matched"].tolist() == expected


def test_names_are_judged_within_each_article(guard_codebook):
    sents = pd.concat([sentences_of("He met Jim Talent.", article_id="a"),
                       sentences_of("Talent is scarce.", article_id="b")], ignore_index=True)
    matches = match_frames(sents, codebook=guard_codebook)
    assert matches[["article_id", "matched"]].values.tolist() == [["b", "Talent"]]


def test_skip_names_false_matches_inside_names_as_before(guard_codebook):
    text = "He hired Jim Talent and the Senate Democrats last year."
    assert found(text, guard_codebook) == ["Democrats"]
    matches = match_frames(sentences_of(text), codebook=guard_codebook, skip_names=False)
    assert matches["matched"].tolist() == ["Talent", "Democrats"]


def test_the_guard_gives_the_same_matches_on_the_slow_path(guard_codebook):
    # a sentence that lower-casing lengthens ("İ") is matched token by token: same rules
    text = "İ met Jim Talent; labor and Trade Secretary Fox, then Senate Democrats."
    assert found(text, guard_codebook) == ["labor", "Democrats"]


# --- scoring --------------------------------------------------------------------------


def test_rate_per_1k_is_hits_per_thousand_words(codebook):
    # 2 sentences of 10 words each, 3 economy hits (trade, economy, economic)
    sents = sentences_of("Trade talks resumed.", "The economy and the economic outlook.",
                         n_words=[10, 10])
    scores = score_frames(sents, match_frames(sents, codebook=codebook), codebook=codebook)
    economy = scores.set_index("frame").loc["economy"]
    assert (economy["hits"], economy["n_words"]) == (3, 20)
    assert economy["rate_per_1k"] == 150.0
    assert (economy["sentences_with_frame"], economy["share_of_sentences"]) == (2, 1.0)
    # the lead sentence's 1 hit counts 1.5: 1.5 + 2 = 3.5 weighted hits, 175 per 1,000 words
    assert (economy["lead_hits"], economy["weighted_hits"]) == (1, 3.5)
    assert economy["weighted_rate_per_1k"] == 175.0


THRESHOLD_CODEBOOK = """\
name: thresholds
version: "1.0"
threshold:
  matches: 2
frames:
  economy:
    terms: [econom*, trade]
  security:
    terms: [security]
    threshold: {sentences: 2}
  dense:
    terms: [dense]
    threshold: {matches: 1, per_1k: 100}
"""


@pytest.mark.parametrize(("texts", "used"), [
    # economy: 2 matches anywhere; security: 2 matches in 2 sentences; dense: 1 match and
    # at least 100 per 1,000 words
    (["Trade and the economy."], {"economy": True, "security": False, "dense": False}),
    (["Trade.", "Nothing else here, really, in this long sentence of words."],
     {"economy": False, "security": False, "dense": False}),
    (["Security and security."], {"economy": False, "security": False, "dense": False}),
    (["Security first.", "Security again, and dense."],
     {"economy": False, "security": True, "dense": True}),
    (["Dense.", "One two three four five six seven eight nine ten eleven."],
     {"economy": False, "security": False, "dense": False}),  # 1 in 13 words: 77 per 1,000
])
def test_a_frame_is_used_when_its_evidence_passes_the_codebook_threshold(tmp_path, texts, used):
    path = tmp_path / "thresholds.yml"
    path.write_text(THRESHOLD_CODEBOOK, encoding="utf-8")
    sents = sentences_of(*texts)
    scores = score_frames(sents, match_frames(sents, codebook=path), codebook=path)
    assert dict(zip(scores["frame"], scores["used"])) == used
    assert scores["used"].dtype == bool


def test_without_a_threshold_one_match_is_enough(codebook):
    sents = sentences_of("Trade talks resumed.", "Nothing here.")
    scores = score_frames(sents, match_frames(sents, codebook=codebook), codebook=codebook)
    assert scores.set_index("frame")["used"].to_dict() == {
        "economy": True, "cooperation": False, "security": False, "war": False,
        "plural": False, "unused": False}


def test_headline_and_lead_hits_are_weighted(codebook):
    sents = sentences_of("Economy grows", "Trade grew.", "Economic news.",
                         kinds=["headline", "body", "body"], n_words=[2, 4, 4])
    matches = match_frames(sents, codebook=codebook)
    default = score_frames(sents, matches, codebook=codebook).set_index("frame")
    assert default.loc["economy", ["headline_hits", "lead_hits", "hits"]].tolist() == [1, 1, 3]
    assert default.loc["economy", "weighted_hits"] == 2.0 + 1.5 + 1.0
    assert default.loc["economy", "weighted_rate_per_1k"] == 450.0
    custom = score_frames(sents, matches, codebook=codebook, headline_weight=3.0,
                          lead_weight=1.0).set_index("frame")
    assert custom.loc["economy", "weighted_hits"] == 5.0


def test_every_frame_is_present_for_every_article_even_with_zero_hits(codebook):
    sents = pd.concat([sentences_of("Trade grew.", article_id="a"),
                       sentences_of("Nothing here.", article_id="b")], ignore_index=True)
    scores = score_frames(sents, match_frames(sents, codebook=codebook), codebook=codebook)
    assert list(scores.columns) == SCORE_COLUMNS
    assert len(scores) == 2 * len(codebook.frames)
    assert scores["frame"].tolist()[:len(codebook.frames)] == list(codebook.frame_ids)
    b = scores[scores["article_id"] == "b"]
    assert (b["hits"] == 0).all() and (b["rate_per_1k"] == 0.0).all()
    assert b.set_index("frame").loc["unused", "label"] == "Never matched"


def test_caption_words_and_hits_do_not_count(codebook):
    sents = sentences_of("Trade fair. Photo: VCG", "Trade grew.", kinds=["caption", "body"],
                         n_words=[4, 2])
    scores = score_frames(sents, match_frames(sents, codebook=codebook), codebook=codebook)
    economy = scores.set_index("frame").loc["economy"]
    assert (economy["hits"], economy["n_words"], economy["rate_per_1k"]) == (1, 2, 500.0)


def test_article_without_analysed_words_has_no_rate(codebook):
    sents = sentences_of("Trade fair. Photo: VCG", kinds=["caption"])
    scores = score_frames(sents, match_frames(sents, codebook=codebook), codebook=codebook)
    assert (scores["hits"] == 0).all() and scores["rate_per_1k"].isna().all()


def test_matches_from_another_codebook_are_refused(codebook):
    sents = sentences_of("An innovation breakthrough.")
    with pytest.raises(InputError, match="does not define"):
        score_frames(sents, match_frames(sents, codebook="ai"), codebook=codebook)


@pytest.mark.parametrize("option", [{"headline_weight": -1}, {"lead_weight": "high"}])
def test_negative_or_non_numeric_weights_are_refused(codebook, option):
    sents = sentences_of("Trade grew.")
    with pytest.raises(OptionError):
        score_frames(sents, match_frames(sents, codebook=codebook), codebook=codebook, **option)


# --- dominant frames ------------------------------------------------------------------


def scores_of(rows):
    return pd.DataFrame(rows, columns=["article_id", "frame", "hits", "weighted_rate_per_1k"])


def test_frames_within_tolerance_of_the_top_share_dominance():
    scores = scores_of([("a", "x", 5, 10.0), ("a", "y", 6, 9.5), ("a", "z", 4, 8.0)])
    out = dominant_frames(scores)
    assert out.values.tolist() == [["a", "x; y", "x", 10.0]]
    assert dominant_frames(scores, tolerance=0.25)["dominant"][0] == "x; y; z"


def test_exact_tie_lists_both_frames_in_table_order():
    scores = scores_of([("a", "x", 3, 6.0), ("a", "y", 3, 6.0)])
    assert dominant_frames(scores, tolerance=0.0).values.tolist() == [["a", "x; y", "x", 6.0]]


def test_frame_below_min_hits_is_not_dominant_even_at_the_top():
    scores = scores_of([("a", "x", 1, 10.0), ("a", "y", 2, 9.5), ("b", "x", 1, 4.0)])
    out = dominant_frames(scores).set_index("article_id")
    assert out.loc["a", ["dominant", "top_frame"]].tolist() == ["y", "x"]
    assert out.loc["b", ["dominant", "top_frame"]].tolist() == ["", "x"]


def test_article_without_hits_has_no_dominant_or_top_frame():
    out = dominant_frames(scores_of([("a", "x", 0, 0.0), ("a", "y", 0, 0.0)]))
    assert out.values.tolist() == [["a", "", "", 0.0]]


def test_dominance_can_be_judged_on_another_score_column():
    scores = scores_of([("a", "x", 9, 5.0), ("a", "y", 4, 8.0)])
    assert dominant_frames(scores, by="hits")["dominant"].tolist() == ["x"]


@pytest.mark.parametrize("option", [{"tolerance": 1.5}, {"tolerance": -0.1},
                                    {"min_hits": 1.5}, {"by": "frame"}])
def test_bad_dominance_options_are_refused(option):
    with pytest.raises(OptionError):
        dominant_frames(scores_of([("a", "x", 3, 6.0)]), **option)


# --- evidence -------------------------------------------------------------------------


def test_evidence_ranks_sentences_by_distinct_terms_then_matches(codebook):
    sents = sentences_of(
        "Trade, trade and more trade.",       # 3 matches, 1 distinct term
        "Trade and the economy.",             # 2 matches, 2 distinct terms
        "Economic trade and economic growth.",  # 3 matches, 3 distinct forms
        "A quiet day.",
    )
    evidence = frame_evidence(match_frames(sents, codebook=codebook), sents, frame="economy",
                              top_n=2)
    assert evidence["sentence_id"].tolist() == [2, 1]
    assert evidence[["n_matches", "n_terms"]].values.tolist() == [[3, 3], [2, 2]]
    assert evidence["terms"][0] == "economic; trade; economic growth"
    assert evidence["text"][1] == "Trade and the economy."


def test_evidence_follows_the_requested_frame_order(codebook):
    sents = sentences_of("Trade grew.", "A win-win deal.")
    evidence = frame_evidence(match_frames(sents, codebook=codebook), sents,
                              frame=["cooperation", "economy"])
    assert evidence["frame"].tolist() == ["cooperation", "economy"]


# --- the seed article -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_scores(seed_articles):
    sents = split_sentences(seed_articles)
    matches = match_frames(sents, codebook="ai")
    return matches, score_frames(sents, matches, codebook="ai")


@pytest.mark.parametrize("column", ["hits", "rate_per_1k", "weighted_rate_per_1k"])
def test_seed_article_frames_cooperation_and_economy_above_security(seed_scores, column):
    scores = seed_scores[1].set_index("frame")[column]
    assert scores["cooperation"] > scores["security"]
    assert scores["economy"] > scores["security"]


def test_seed_article_security_hits_are_its_one_security_and_one_risks(seed_scores):
    matches = seed_scores[0]
    assert sorted(matches.loc[matches["frame"] == "security", "matched"]) == ["risks", "security"]


def test_seed_article_is_dominated_by_cooperation(seed_scores):
    dominant = dominant_frames(seed_scores[1])
    assert dominant["dominant"].tolist() == ["cooperation"]
    assert not math.isnan(dominant["top_score"][0])
