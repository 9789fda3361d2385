"""Claims about finding quotes, attributing them to speakers, and measuring quotation."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from framelens import quotes
from framelens.errors import MissingColumnError
from framelens.quotes import (
    QUOTE_COLUMNS,
    SHARE_COLUMNS,
    SPEAKER_COLUMNS,
    extract_quotes,
    join_variants,
    merge_speakers,
    quote_share,
    speaker_names,
    speakers,
)
from framelens.segment import split_paragraphs, word_spans

SEED = Path(__file__).parents[1] / "data/articles/global-times-2025-09-05-ai-public-good.txt"


def _paragraphs(*texts: str, kinds: list[str] | None = None) -> pd.DataFrame:
    """One article ``a`` whose paragraphs 1, 2... are ``texts`` (body unless ``kinds``)."""
    return pd.DataFrame({
        "article_id": ["a"] * len(texts),
        "paragraph_id": list(range(1, len(texts) + 1)),
        "kind": kinds or ["body"] * len(texts),
        "is_lead": [i == 0 for i in range(len(texts))],
        "text": list(texts),
    })


def _quotes(*texts: str) -> list[tuple[str, str, str, str]]:
    found = extract_quotes(_paragraphs(*texts))
    return [tuple(row) for row in found[["speaker", "kind", "text", "cue"]].values.tolist()]


@pytest.fixture(scope="module")
def seed_paragraphs() -> pd.DataFrame:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    closing = lines.index("---", 1)  # the YAML front matter ends at the second "---" line
    body = "\n".join(lines[closing + 1 :])
    return split_paragraphs(pd.DataFrame({
        "article_id": ["gt"], "title": ["AI as an international public good"], "text": [body],
    }))


@pytest.fixture(scope="module")
def seed_quotes(seed_paragraphs) -> pd.DataFrame:
    return extract_quotes(seed_paragraphs)


# --- one paragraph, one quote -----------------------------------------------------

ONE_QUOTE = [
    # speaker after the quote, with an appositive role
    ('"We will win," Wang Peng, associate research fellow at the Beijing Academy of Social '
     'Sciences, told the Global Times.', "Wang Peng", "direct", "We will win", "told"),
    # speaker after the quote, verb first
    ('"Data is growing fast," said Liu Liehong, head of the National Data Administration, '
     "at a press conference.", "Liu Liehong", "direct", "Data is growing fast", "said"),
    # speaker before the quote, "said ... that"
    ('Yu Yingtao, CEO and president of Chinese tech company H3C, said at the expo that "the '
     'global AI boom is triggering a new round of transformation."', "Yu Yingtao", "direct",
     "the global AI boom is triggering a new round of transformation.", "said"),
    # speaker before the quote, colon
    ('The minister said: "We will act now."', "The minister", "direct", "We will act now.",
     "said"),
    # curly quotes, nested curly single quotes, a title dropped from the name
    ("“The ‘deal’ is dead,” said Dr. Jane Doe, a trade lawyer.", "Jane Doe", "direct",
     "The ‘deal’ is dead", "said"),
    # reported speech, speaker after, title before the name
    ("Artificial intelligence should be an international public good, Chinese President Xi "
     "Jinping said in a congratulatory letter.", "Xi Jinping", "reported",
     "Artificial intelligence should be an international public good", "said"),
    # reported speech, speaker before, "said that"
    ("Xi also said that China is ready to strengthen international cooperation.", "Xi",
     "reported", "China is ready to strengthen international cooperation", "said"),
    # reported speech, speaker before, no "that"
    ("A Chinese expert said China has demonstrated its open and inclusive approach.",
     "A Chinese expert", "reported", "China has demonstrated its open and inclusive approach",
     "said"),
    # a described speaker
    ("AI is a new frontier of human development, a Chinese Foreign Ministry spokesperson "
     "noted at the time.", "a Chinese Foreign Ministry spokesperson", "reported",
     "AI is a new frontier of human development", "noted"),
    ("The Chinese government is committed to deepening exchanges, Chinese analysts said.",
     "Chinese analysts", "reported", "The Chinese government is committed to deepening "
     "exchanges", "said"),
    # according to / per
    ("Boxing robots were among items displayed at the expo, according to Xinhua.", "Xinhua",
     "reported", "Boxing robots were among items displayed at the expo", "according to"),
    ("According to the Ministry of Commerce, exports rose 5 percent in May.",
     "the Ministry of Commerce", "reported", "exports rose 5 percent in May", "according to"),
    ("Geely displayed its smart EVs, per a press release the company sent to the Global Times.",
     "a press release", "reported", "Geely displayed its smart EVs", "per"),
    # "per X" after a speech verb is the channel, not a second speaker
    ("Currently, AI technology is rapidly evolving, Xi said in the letter, per Xinhua News "
     "Agency.", "Xi", "reported", "Currently, AI technology is rapidly evolving", "said"),
]


@pytest.mark.parametrize(("paragraph", "speaker", "kind", "text", "cue"), ONE_QUOTE)
def test_one_quote_is_found_with_its_speaker(paragraph, speaker, kind, text, cue):
    assert _quotes(paragraph) == [(speaker, kind, text, cue)]


NOT_QUOTES = [
    'The expo, held under the themes "AI+" and "Intelligent Connected New Energy Vehicles," is '
    "co-hosted by the Chongqing municipal government.",
    'He called the plan "a disaster" and left.',
    '"Short one."',
    "Despite the crisis, the company reported strong earnings.",
    "Sales rose 10 per cent per year in the region.",
]


@pytest.mark.parametrize("paragraph", NOT_QUOTES)
def test_scare_quotes_titles_and_plain_sentences_are_not_quotes(paragraph):
    assert _quotes(paragraph) == []


def test_title_goes_to_role_and_mention_keeps_it():
    found = extract_quotes(_paragraphs(ONE_QUOTE[5][0])).iloc[0]
    assert (found["speaker"], found["speaker_mention"], found["role"]) == (
        "Xi Jinping", "Chinese President Xi Jinping", "Chinese President")


def test_appositive_role_is_kept():
    found = extract_quotes(_paragraphs(ONE_QUOTE[0][0])).iloc[0]
    assert found["role"] == "associate research fellow at the Beijing Academy of Social Sciences"


def test_quote_text_is_the_paragraph_slice(seed_paragraphs, seed_quotes):
    texts = seed_paragraphs.set_index("paragraph_id")["text"]
    for row in seed_quotes.itertuples():
        assert texts[row.paragraph_id][row.start : row.end] == row.text


# --- several paragraphs: names, pronouns, split and continued quotes ---------------


def test_pronoun_resolves_to_the_previous_speaker():
    found = extract_quotes(_paragraphs(
        "AI should benefit humanity, Chinese President Xi Jinping said in a letter.",
        "China attaches great importance to the governance of AI, he added.",
    ))
    assert found[["speaker", "speaker_mention", "cue"]].values.tolist() == [
        ["Xi Jinping", "Chinese President Xi Jinping", "said"],
        ["Xi Jinping", "he", "added"],
    ]


def test_short_name_resolves_to_the_most_recent_full_name():
    found = extract_quotes(_paragraphs(
        '"Our model supports over 130 languages," Liu Qingfeng, chairman of iFlytek, said.',
        '"The platform has attracted 9 million developers," Liu said.',
        "China's AI sector has seen comprehensive advances, said Liu Liehong, head of the "
        "National Data Administration.",
        "China's computational power now ranks second in the world, Liu said.",
    ))
    assert found[["speaker", "speaker_mention"]].values.tolist() == [
        ["Liu Qingfeng", "Liu Qingfeng"],
        ["Liu Qingfeng", "Liu"],
        ["Liu Liehong", "Liu Liehong"],
        ["Liu Liehong", "Liu"],
    ]


def test_short_name_resolves_in_western_order_from_any_earlier_mention():
    found = extract_quotes(_paragraphs(
        "Donald Trump spoke to reporters on Monday.",
        '"We will win," Trump said.',
    ))
    assert found[["speaker", "speaker_mention"]].values.tolist() == [["Donald Trump", "Trump"]]


def test_quote_split_by_its_attribution_gives_two_rows_with_one_speaker():
    found = extract_quotes(_paragraphs(
        'Jane Doe chairs the union.', '"First part," she said, "second part."'))
    assert found[["speaker", "speaker_mention", "text"]].values.tolist() == [
        ["Jane Doe", "she", "First part"],
        ["Jane Doe", "she", "second part."],
    ]


def test_quote_continued_over_paragraphs_keeps_its_speaker():
    found = _quotes(
        '"We are not going anywhere. We will stay here and fight for our jobs.',
        '"This is our home," said Maria Lopez, a union leader.',
    )
    assert [(speaker, text) for speaker, _, text, _ in found] == [
        ("Maria Lopez", "We are not going anywhere. We will stay here and fight for our jobs."),
        ("Maria Lopez", "This is our home"),
    ]


def test_long_unattributed_quoted_sentence_is_a_quote_without_speaker():
    assert _quotes('"This is a long sentence that nobody claims."') == [
        ("", "direct", "This is a long sentence that nobody claims.", "")]


def test_partial_quote_is_direct_inside_reported_speech():
    found = extract_quotes(_paragraphs('Jane Doe said the plan was "a disaster".'))
    assert found[["kind", "speaker", "text"]].values.tolist() == [
        ["reported", "Jane Doe", 'the plan was "a disaster"'],
        ["direct", "Jane Doe", "a disaster"],
    ]
    assert speakers(found)["n_words"].tolist() == [5]  # "a disaster" counts once, not twice


def test_only_the_chosen_paragraph_kinds_are_searched():
    paras = _paragraphs('"We will win," Jane Doe said.', '"We will win," John Roe said.',
                        kinds=["caption", "body"])
    assert extract_quotes(paras)["speaker"].tolist() == ["John Roe"]
    assert extract_quotes(paras, kinds=("caption",))["speaker"].tolist() == ["Jane Doe"]


def test_paragraphs_in_any_row_order_are_read_in_paragraph_order():
    paras = pd.concat([
        _paragraphs("Jane Doe chairs the union.", '"First part," she said, "second part."'),
        _paragraphs('"We will win," John Roe said.').assign(article_id="b"),
    ]).iloc[[2, 1, 0]]  # article b first, then a's paragraphs backwards
    found = extract_quotes(paras)
    assert found[["article_id", "paragraph_id", "speaker", "text"]].values.tolist() == [
        ["b", 1, "John Roe", "We will win"],
        ["a", 2, "Jane Doe", "First part"],
        ["a", 2, "Jane Doe", "second part."],
    ]
    assert quote_share(paras, found)["article_id"].tolist() == ["b", "a"]
    assert speakers(found)[["article_id", "speaker", "n_quotes"]].values.tolist() == [
        ["b", "John Roe", 1], ["a", "Jane Doe", 2]]


# --- quote_share and speakers -----------------------------------------------------


def _hand_quotes(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "paragraph_id", "kind", "speaker",
                                       "start", "end"])


def test_quote_share_divides_quoted_words_by_all_words():
    text = "one two three four five six seven eight nine ten."
    paras = _paragraphs(text)
    # "one two three" direct, "four" reported: 4 of 10 words
    quotes = _hand_quotes([("a", 1, "direct", "X", 0, 13), ("a", 1, "reported", "Y", 14, 18)])
    share = quote_share(paras, quotes).iloc[0]
    assert share[["n_words", "direct_words", "reported_words", "n_quotes", "n_speakers"]]\
        .tolist() == [10, 3, 1, 2, 2]
    assert share["quoted_share"] == pytest.approx(0.4)
    assert share["direct_share"] == pytest.approx(0.3)


def test_quote_share_counts_overlapping_spans_once_and_direct_first():
    paras = _paragraphs("one two three four five six seven eight nine ten.")
    quotes = _hand_quotes([
        ("a", 1, "reported", "X", 0, 23),  # one .. five
        ("a", 1, "direct", "X", 8, 18),  # three four
        ("a", 1, "reported", "X", 14, 27),  # four five six
    ])
    share = quote_share(paras, quotes).iloc[0]
    assert share[["direct_words", "reported_words"]].tolist() == [2, 4]
    assert share["quoted_share"] == pytest.approx(0.6)


def test_quote_share_leaves_other_kinds_out_and_keeps_articles_without_quotes():
    paras = pd.concat([
        _paragraphs("one two three four five.", "Photo credit words here.",
                    kinds=["body", "caption"]),
        _paragraphs("six seven.").assign(article_id="b"),
    ])
    quotes = _hand_quotes([("a", 1, "direct", "", 0, 7)])
    share = quote_share(paras, quotes)
    assert share["article_id"].tolist() == ["a", "b"]
    assert share["n_words"].tolist() == [5, 2]
    assert share["quoted_share"].tolist() == [pytest.approx(0.4), 0.0]
    assert share["n_speakers"].tolist() == [0, 0]


def test_speakers_sums_per_speaker_and_sorts_by_words():
    quotes = pd.DataFrame({
        "article_id": ["a", "a", "a", "a"],
        "paragraph_id": [1, 2, 3, 4],
        "speaker": ["Xi Jinping", "Wang Peng", "Xi Jinping", "Wang Peng"],
        "kind": ["reported", "direct", "direct", "direct"],
        "n_words": [5, 20, 10, 1],
        "role": ["", "associate research fellow", "Chinese President", ""],
        "start": [0, 0, 0, 0],
        "end": [30, 100, 60, 5],
    })
    table = speakers(quotes)
    assert list(table.columns) == SPEAKER_COLUMNS
    assert table.drop(columns="article_id").values.tolist() == [
        ["Wang Peng", 2, 2, 0, 21, "associate research fellow"],
        ["Xi Jinping", 2, 1, 1, 15, "Chinese President"],
    ]


# --- the seed article -------------------------------------------------------------


def test_seed_article_quotes_its_expected_voices(seed_quotes):
    table = speakers(seed_quotes).set_index("speaker")
    assert {"Xi Jinping", "Wang Peng", "Liu Qingfeng", "Yu Yingtao", "Liu Liehong",
            "A Chinese expert", "Chinese analysts",
            "a Chinese Foreign Ministry spokesperson", "Xinhua"} <= set(table.index)
    # hand-checked against the article: (direct quotes, reported statements)
    assert table.loc["Xi Jinping", ["n_direct", "n_reported"]].tolist() == [0, 4]
    assert table.loc["Wang Peng", ["n_direct", "n_reported"]].tolist() == [2, 1]
    assert table.loc["Liu Qingfeng", ["n_direct", "n_reported"]].tolist() == [2, 0]
    assert table.loc["Yu Yingtao", ["n_direct", "n_reported"]].tolist() == [2, 0]
    assert table.loc["Liu Liehong", ["n_direct", "n_reported"]].tolist() == [0, 2]
    assert table.loc["Xi Jinping", "role"] == "Chinese President"
    assert table.loc["Yu Yingtao", "role"] == "CEO and president of Chinese tech company H3C"
    assert "" not in table.index  # every quote in the seed names its speaker


def test_seed_article_two_lius_resolve_to_the_right_one(seed_quotes):
    short = seed_quotes[seed_quotes["speaker_mention"] == "Liu"]
    assert short["speaker"].tolist() == ["Liu Qingfeng", "Liu Liehong"]


def test_seed_article_scare_quotes_are_not_quotes(seed_quotes):
    assert not seed_quotes["text"].isin(["AI+", "Intelligent Connected New Energy Vehicles"]).any()


def test_seed_article_is_almost_half_quotation(seed_paragraphs, seed_quotes):
    share = quote_share(seed_paragraphs, seed_quotes).iloc[0]
    assert share["n_quotes"] == 19
    assert share["n_speakers"] == 10
    assert 0.40 < share["quoted_share"] < 0.55
    assert 0.14 < share["direct_share"] < 0.20


# --- tables and errors ------------------------------------------------------------


def test_empty_tables_keep_their_columns():
    empty = _paragraphs()
    quotes = extract_quotes(empty)
    assert list(quotes.columns) == QUOTE_COLUMNS and quotes.empty
    assert list(quote_share(empty, quotes).columns) == SHARE_COLUMNS
    assert list(speakers(quotes).columns) == SPEAKER_COLUMNS


def test_missing_column_names_the_column():
    with pytest.raises(MissingColumnError, match="kind"):
        extract_quotes(pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "text": ["x"]}))
    with pytest.raises(MissingColumnError, match="start"):
        quote_share(_paragraphs("x"), pd.DataFrame({"article_id": ["a"]}))


# --- fast paths: the shortcuts give exactly what the plain forms give --------------

TRICKY = [
    "China's win-win plan, per the U.S. and the U.K., cost 3.5 times 130,000 (9/11).",
    "e.g. A.B.C. a.b U.S.5 5G5 14th 3_000 a_b _x rock'n'roll rock' 'tis -word word- ½ x²",
    "İstanbul, ıd, Kelvin \u212a, long \u017f, the DNC\u2019s \u201cWar Room\u201d \u2014 ok\u2026",
    "tabs\tand\nnew lines\x1cseparators\u00a0no-break\u2003em space; Dr. Jane Smith, Jr.",
    "Mr.Smith Mrs. Jones Ms.  Lee Prof.X St. Louis Gen. Y Corp. Inc.  No. 5 Ft. Z Co.,",
    "saidx xsaid ssaid Said, said, ,said \u201dsaid tell intelligence per paper percent",
    "ACCORDING TO X, AcCoRdInG to Y, accord\u0131ng to Z, reads ready pointed  out points",
]


def _reference_words(text: str) -> list[int]:
    return [start for token, start, _ in word_spans(text) if token[0].isalnum()]


def _texts(seed_paragraphs: pd.DataFrame) -> list[str]:
    return (seed_paragraphs["text"].tolist() + TRICKY
            + [p for p, *_ in ONE_QUOTE] + NOT_QUOTES)


def test_word_count_is_word_spans_count(seed_paragraphs):
    for text in _texts(seed_paragraphs):
        assert quotes._words(text) == len(_reference_words(text)), text
        assert quotes._word_starts(text) == _reference_words(text), text


def test_edge_punctuation_is_never_part_of_a_word():
    assert not re.search(r"[\w.\s]", quotes._EDGE)
    for text in ["(Reuters)", '"China."', "said,", "'tis", "rock'", "U.S.", "U.S.\"", "A.",
                 "e.g.", "x.,.", "-word-", "“Yes!”", "3,", "China's", "..", "(a.b.)"]:
        assert quotes._words(text) == len(_reference_words(text)), text
        assert quotes._word_starts(text) == _reference_words(text), text


def _every_character() -> str:
    return "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def test_str_split_and_regex_agree_on_whitespace():
    chars = _every_character()
    assert set(re.findall(r"\s", chars)) == {c for c in chars if c.isspace()}
    # in a printable text a space is the only whitespace
    assert not [c for c in chars if c.isspace() and c.isprintable() and c != " "]


def test_according_is_only_found_where_lower_case_text_holds_cord():
    chars = _every_character()
    for letter in "cord":
        assert set(re.findall(f"(?i){letter}", chars)) == {letter, letter.upper()}


def test_abbreviation_periods_are_those_of_the_plain_pattern(seed_paragraphs):
    plain = re.compile(
        r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|Gen|Sen|Rep|Gov|Col|Lt|Capt|Sgt|Adm|Inc|Co|Corp"
        r"|Ltd|No|Mt|Ft)|\b[A-Z])\.(?=\s*[A-Z0-9]|\S)"
    )
    for text in _texts(seed_paragraphs):
        assert quotes._ABBREVIATION_DOT_RE.sub("\u2024", text) == plain.sub(
            lambda m: m.group()[:-1] + "\u2024", text), text


def test_prefix_alternation_matches_the_same_words():
    words = ["said", "says", "say", "pointed out", "points out", "per", "a", "ab"]
    factored = re.compile(quotes._prefix_alternation(words))
    plain = re.compile("|".join(w.replace(" ", r"\s+") for w in words))
    for text in words + ["sa", "pointed", "pointed  out", "points\tout", "b", "abc", "", "saying"]:
        assert bool(factored.fullmatch(text)) == bool(plain.fullmatch(text)), text
    strict = re.compile(r"(?<![a-z])" + quotes._VERB + r"(?![a-z])")
    first_words = re.compile(r"(?<![a-z])(?:" + "|".join(quotes._CUE_WORDS) + ")")
    for text in TRICKY + [p for p, *_ in ONE_QUOTE] + ["said", "xsaid said", "said,said"]:
        assert quotes._verb_starts(text) == [m.start() for m in strict.finditer(text)]
        for cut in range(len(text)):
            assert quotes._may_attribute(text[cut:]) == bool(
                first_words.search(text[cut:]) or quotes._has_source(text[cut:]))


def test_every_verb_the_patterns_find_is_a_cue_start(seed_paragraphs):
    inverted = set(quotes._INVERTED_VERB[3:-1].split("|"))
    assert inverted <= quotes._CUE_WORDS
    for text in _texts(seed_paragraphs):
        masked = quotes._mask(text)
        verbs, sources = quotes._cue_starts(text)
        for start in range(len(text)):
            for pattern, group in ((quotes._SV_RE, "cue"), (quotes._VS_RE, "cue")):
                m = pattern.match(masked, start)
                if m and (pattern is quotes._SV_RE or start == 0 or not text[start - 1].isalpha()):
                    assert m.start(group) in verbs, (text, m)
            m = quotes._SOURCE_RE.match(masked, start)
            if m and (start == 0 or not text[start - 1].isalpha()):
                assert m.start("cue") in sources, (text, m)
            m = quotes._SOURCE_START_RE.match(masked, start)
            if m:
                assert quotes._has_source(text)


def test_the_speaker_verb_pattern_is_only_skipped_where_it_cannot_match(seed_paragraphs):
    texts = _texts(seed_paragraphs) + [
        "Kevin McCarthy (R-Calif.; leader) said it.", "Ahmed Khan, 45, said so.",
        "Jane Doe, a lawyer (and a judge), said so.", "Jane Doe: she said so.",
        "Jane Doe, a lawyer; she said so.", "Jane Doe [ret.] said so.",
        "Jane Doe, a lawyer, has repeatedly said so.", "Jane Doe, a lawyer, has been said",
        "Ahmed Khan, 45 said so.", "Ahmed Khan, 45, also said so.", "Ahmed Khan, ٤٥ said so.",
        "Looking back, Schwartzman said so.", "Jane, a lawyer,\tonce\n  said so.",
        "A" * 79 + ", a lawyer, said so.", "A" * 80 + ", a lawyer, said so.",
        "A" * 81 + ", a lawyer, said so.", ", a lawyer, said so.", "Jane,said so, said"]
    for text in texts:
        masked, verbs = quotes._mask(text), quotes._verb_starts(text)
        for start in range(len(text)):
            if quotes._SV_RE.match(masked, start):
                assert quotes._sv_may_match(masked, start, verbs), (text, start)
    assert not quotes._sv_may_match("Jane Doe: she said so.", 0, [14])
    assert not quotes._sv_may_match("Jane Doe, a lawyer; she said so.", 0, [24])
    # every verb after the comma: it must follow a role's comma or an age, and adverbs
    assert not quotes._sv_may_match("Looking back, Schwartzman said so.", 0, [26])
    assert not quotes._sv_may_match("Jane Doe, a lawyer, has been said", 0, [29])
    assert not quotes._sv_may_match("A" * 81 + ", a lawyer, said so.", 0, [93])
    assert quotes._sv_may_match("A" * 80 + ", a lawyer, said so.", 0, [92])
    # the digit of an age is what the pattern's \d matches
    chars = _every_character()
    assert {c for c in chars if re.fullmatch(r"\d", c)} == {c for c in chars if c.isdecimal()}


def test_the_speaker_verb_pattern_matches_as_its_plain_form(seed_paragraphs):
    plain = re.compile(rf"(?P<np>{quotes._NP}){quotes._AGE}(?:,\s*(?P<role>{quotes._ROLE}),)?"
                       rf"\s+{quotes._ADV}(?P<cue>{quotes._VERB})\b")
    texts = _texts(seed_paragraphs) + [
        "Kevin McCarthy (R-Calif.) said it.", "Ahmed Khan, 45, said so.", "  said it, he said",
        "Jane Doe, a lawyer, said so.", "Jane Doe\tsaid so.", "X (a) , said so", "a,said"]
    for text in texts:
        masked = quotes._mask(text)
        for start in range(len(text)):
            fast, slow = quotes._SV_RE.match(masked, start), plain.match(masked, start)
            assert (fast and (fast.span(), fast.groupdict(), fast.span("role"))) == (
                slow and (slow.span(), slow.groupdict(), slow.span("role"))), (text, start)


def test_a_frame_after_a_comma_masks_as_its_sentence(seed_paragraphs):
    for text in _texts(seed_paragraphs):
        masked = quotes._mask(text)
        for m in re.finditer(",", text):
            frame = text[m.end() :]
            lead = len(frame) - len(frame.lstrip(" ,\u00a0"))
            assert quotes._mask(frame) == masked[m.end() :]
            assert quotes._mask(frame[lead:]) == masked[m.end() + lead :]


def _without_fast_paths(patch: pytest.MonkeyPatch) -> None:
    """Make every cue test answer "maybe": extract_quotes then takes the plain, slow path."""
    everywhere = lambda text: list(range(len(text)))  # noqa: E731
    patch.setattr(quotes, "_may_attribute", lambda text: True)
    patch.setattr(quotes, "_has_source", lambda text: True)
    patch.setattr(quotes, "_verb_starts", everywhere)
    patch.setattr(quotes, "_cue_starts", lambda text: (everywhere(text), everywhere(text)))
    patch.setattr(quotes, "_reaches_further", lambda *args: True)
    patch.setattr(quotes, "_verb_may_end", lambda masked, verbs: True)
    patch.setattr(quotes, "_sv_may_match", lambda masked, at, verbs: True)


FAST_PATH_ARTICLES = [
    # no quotation mark and no cue: skipped before sentence splitting, and no quotes
    ["The weather was fine. Everyone went home early.", "Prices rose 3.5 percent in May."],
    # a speech verb and no quotation mark: still reported speech
    ["The plan will fail, Jane Doe said on Monday. Nothing else happened here at all."],
    # only a source cue, in capitals
    ["ACCORDING TO the ministry, exports rose 5 percent in May."],
    # pronouns before any speaker; one-word names resolved from earlier paragraphs
    ["Officials met in Beijing. Donald Trump and Xi Jinping spoke.",
     "The talks went well, he said.", '"We will win," Trump said.', "Xi said it was fine."],
    # a verb far before a quote, then near one; According to X before a quote
    ["Officials said on Monday that the new rules, which take effect next year after a long "
     'review by the agency, will cover "AI+" systems. Wang Peng said it was "a disaster".',
     'According to the ministry, officials said on Monday that it will, after a long review '
     'of all the rules and the agency, cover "AI+" and "smart" systems: "We will act."'],
    # a quote whose attribution reads through an inline quote
    ['"We will not back down," Adrienne Watson, the DNC\'s "War Room" director, told me.'],
    [p for p, *_ in ONE_QUOTE],
    NOT_QUOTES,
    TRICKY,
]


@pytest.mark.parametrize("texts", FAST_PATH_ARTICLES)
def test_fast_paths_change_no_quote(texts, monkeypatch):
    fast = extract_quotes(_paragraphs(*texts))
    _without_fast_paths(monkeypatch)
    pd.testing.assert_frame_equal(fast, extract_quotes(_paragraphs(*texts)))


def test_fast_paths_change_no_quote_in_the_seed(seed_paragraphs, seed_quotes, monkeypatch):
    _without_fast_paths(monkeypatch)
    pd.testing.assert_frame_equal(extract_quotes(seed_paragraphs), seed_quotes)


def test_paragraph_without_cue_or_quotation_mark_is_skipped_and_gives_nothing():
    text = "The weather was fine. Everyone went home early, and nobody spoke."
    assert not quotes._may_attribute(text) and not quotes._has_quote_mark(text)
    assert _quotes(text) == []


def test_paragraph_with_a_speech_verb_and_no_quotation_mark_gives_reported_speech():
    text = "The plan will fail, Jane Doe said on Monday."
    assert quotes._may_attribute(text) and not quotes._has_quote_mark(text)
    assert _quotes(text) == [("Jane Doe", "reported", "The plan will fail", "said")]


def test_a_verb_as_far_from_the_quote_as_accepted_still_may_end_the_frame():
    # the verb's two words, eight more, a comma and "that": the twelve chunks allowed
    frame = "Jane Doe pointed out in a1 a2 a3 a4 a5 a6 a7 , that "
    assert quotes._before_attribution(frame, 0, need_cue_end=True) is not None
    for text, near in ((frame, True), ("Jane Doe said " + "a " * 12, False),
                       ("Jane Doe said" + " ," * 12, True)):
        assert quotes._verb_may_end(quotes._mask(text), quotes._verb_starts(text)) is near


def test_own_sentence_offsets_are_those_found_from_the_sentences(seed_paragraphs, monkeypatch):
    def plain(kind, text):
        return quotes._sentence_offsets(text, quotes._sentences(kind, text))

    for text in _texts(seed_paragraphs) + ["  Lead space. And more.  ", "", "A.  B. C"]:
        for kind in ("body", "headline"):
            assert list(quotes._own_sentence_offsets(kind, text)) == plain(kind, text), text
    # spans that str.find would not give back: found the plain way
    for text, spans in [("ab ab", [(3, 5)]), ("ab ab", [(0, 2), (1, 2)]), ("ab  ab", [(3, 3)]),
                        ("x ab", [(2, 4), (4, 4)]), (" ab", [(0, 3)]), ("a\tb", [(0, 1), (2, 3)])]:
        monkeypatch.setattr(quotes, "sentence_spans", lambda text, kind, s=spans: list(s))
        assert list(quotes._own_sentence_offsets("body", text)) == plain("body", text), spans


@pytest.mark.parametrize("after", ["told reporters.", "told reporters outside the Port of Newark.",
                                   "told reporters at the port on Monday evening."])
def test_a_speaker_who_told_reporters_somewhere_keeps_the_quote(after):
    import framelens as fl

    text = f'"We will shut down every port," union president Harold Daggett {after}'
    articles = fl.read_articles(pd.DataFrame({"text": [text]}))
    quotes = fl.extract_quotes(fl.split_paragraphs(articles))
    assert quotes[["speaker", "kind", "cue"]].to_dict("records") == [
        {"speaker": "Harold Daggett", "kind": "direct", "cue": "told"}]


# --- speakers merged across a corpus ------------------------------------------------------


def _articles(texts: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame({"article_id": list(texts), "paragraph_id": 1, "kind": "body",
                          "text": list(texts.values())})
    return speakers(extract_quotes(frame))


def test_a_surname_quoted_alone_merges_with_the_one_full_name_quoted_elsewhere():
    voices = _articles({
        "a": '"Tariffs work," Donald Trump said.',
        "b": '"China will pay," Donald Trump said. "We are winning," Barack Obama said.',
        "c": '"It is a great deal," President Trump said. "Jobs matter," Obama said.',
        "d": '"We disagree," Obama told reporters.',
    })
    # article c never names Donald Trump: only the corpus says who "Trump" is
    assert voices[["article_id", "speaker"]].values.tolist() == [
        ["a", "Donald Trump"], ["b", "Donald Trump"], ["b", "Barack Obama"], ["c", "Trump"],
        ["c", "Obama"], ["d", "Obama"]]
    # "Barack Obama" is quoted in one article only: too little to capture every "Obama"
    assert speaker_names(voices) == {"Trump": "Donald Trump"}
    merged = merge_speakers(voices)
    assert merged[["article_id", "speaker", "n_quotes", "variants"]].values.tolist() == [
        ["a", "Donald Trump", 1, "Donald Trump"],
        ["b", "Donald Trump", 1, "Donald Trump"],
        ["b", "Barack Obama", 1, "Barack Obama"],
        ["c", "Donald Trump", 1, "Trump"],
        ["c", "Obama", 1, "Obama"],
        ["d", "Obama", 1, "Obama"],
    ]


def test_a_surname_stays_when_two_full_names_fit_it():
    voices = pd.DataFrame({
        "article_id": ["a", "b", "c", "d", "e"],
        "speaker": ["Bill Clinton", "Bill Clinton", "Hillary Clinton", "Hillary Clinton",
                    "Clinton"],
        "n_quotes": [3, 3, 2, 2, 5]})
    assert speaker_names(voices) == {}
    # one full name that holds 90% of the quotes of those that fit stands for it
    voices.loc[voices["speaker"] == "Bill Clinton", "n_quotes"] = 20
    assert speaker_names(voices) == {"Clinton": "Bill Clinton"}


def test_merged_rows_of_one_article_add_up_their_counts_and_keep_a_role():
    voices = pd.DataFrame({
        "article_id": ["a", "b", "b"], "speaker": ["Wang Peng", "Wang", "Wang Peng"],
        "n_quotes": [1, 2, 1], "n_direct": [1, 2, 0], "n_reported": [0, 0, 1],
        "n_words": [5, 9, 4], "role": ["", "", "an analyst"]})
    voices = pd.concat([voices, voices.iloc[[0]].assign(article_id="c")], ignore_index=True)
    merged = merge_speakers(voices).set_index("article_id")
    assert merged.loc["b"].tolist() == ["Wang Peng", 3, 2, 1, 13, "an analyst", "Wang, Wang Peng"]
    assert list(merged.columns) == [*SPEAKER_COLUMNS[1:], "variants"]


def test_variants_are_joined_most_quoted_first():
    rows = pd.DataFrame({"speaker": ["Donald Trump", "Donald Trump", "Xi Jinping"],
                         "written": ["Donald Trump", "Trump", "Xi Jinping"],
                         "n_quotes": [1, 3, 2]})
    assert join_variants(rows, keys=["speaker"]).tolist() == ["Trump, Donald Trump",
                                                               "Xi Jinping"]
