"""Segmentation: paragraph kinds, glued subheadings, sentences and tokens."""

from __future__ import annotations

import nupunkt
import pandas as pd
import pytest

import framelens as fl
from framelens.segment import (
    _CLOSERS,
    _PERIOD_CONTEXT_RE,
    _SENTENCE_ENDS,
    _WORD_TOKEN_RE,
    _one_sentence,
    _punkt_spans,
    _token_arrays,
    _token_columns,
    _tokenizer,
    classify_paragraph,
    count_words,
    english_share,
    sentence_spans,
    split_paragraphs,
    split_sentences,
    tokenize,
    word_spans,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Visitors attend an exhibition at the venue on September 5, 2025. Photo: VCG", "caption"),
        ("Robots on display in Chongqing. (Photo/Xinhua)", "caption"),
        ("Media caption Trump constantly worries about the trade deficit", "caption"),
        ("Enlarge this image toggle caption Carlos Barria/Reuters Carlos Barria/Reuters",
         "caption"),
        ("A Bentley car at the Beijing Auto Show. Photographer: Nicolas Asfouri/Bloomberg",
         "caption"),
        ("JUST WATCHED Cybersecurity scares on the rise Replay More Videos ...", "boilerplate"),
        ("Story Continued Below", "boilerplate"),
        ("Get the Monitor Stories you care about delivered to your inbox. By signing up, you "
         "agree to our Privacy Policy", "boilerplate"),
        ("Terms of Trade is a daily newsletter that untangles a world embroiled in trade wars. "
         "Sign up here.", "boilerplate"),
        ("___", "boilerplate"),
        ("Slideshow (3 Images)", "boilerplate"),
        ("The Associated Press contributed to this report.", "byline"),
        ("Email is the channel most companies still use to reach customers in China, a survey "
         "of 300 firms found.", "body"),
        ("Global AI cooperation", "subheading"),
        ("By Jane Doe and John Roe", "byline"),
        ("Source: Xinhua", "byline"),
        ("Advertisement", "boilerplate"),
        ("Skip Twitter post by @realDonaldTrump Based on Justin's false statements", "boilerplate"),
        ("Xi said the photo was taken in 2019 by a reporter who later left the agency.", "body"),
        ("By positioning AI as a public good, China seeks to lead standard-setting.", "body"),
        ("The expo opened on Friday.", "body"),
        # a credit runs to the end of the paragraph, without sentence punctuation after it
        ("Photo: VCG. The robots were on display at the expo on Friday.", "body"),
        ("Robots on display at the expo (Photo: VCG)", "caption"),
        # the shortest credits, after a period (8 characters from it) and alone
        ("Robots.Photo:V", "caption"),
        ("Photo:V", "caption"),
        ("Robots.Photo:", "body"),
        # a case-insensitive "s" also matches the long s, which lower() leaves alone
        ("Get our briefing: \u017fign up here", "boilerplate"),
        ("Get our briefing: sign up here", "boilerplate"),
    ],
)
def test_classify_paragraph(text, kind):
    assert classify_paragraph(text) == kind


def test_seed_article_paragraph_kinds(seed_articles):
    paras = split_paragraphs(seed_articles)
    kinds = paras["kind"].value_counts().to_dict()
    assert kinds == {"body": 29, "caption": 3, "subheading": 2, "headline": 1}
    assert paras.loc[paras["is_lead"], "text"].str.startswith("Artificial intelligence").all()
    assert paras["is_lead"].sum() == 1


def test_glued_subheading_is_split_from_its_paragraph(seed_articles):
    paras = split_paragraphs(seed_articles)
    i = paras.index[paras["text"] == "Transforming technology"][0]
    assert paras.loc[i, "kind"] == "subheading"
    assert paras.loc[i + 1, "text"].startswith("With an indoor exhibition area of 130,000")
    assert paras.loc[i + 1, "kind"] == "body"


def test_brand_names_with_inner_capitals_are_not_split():
    text = ("Microsoft-owned LinkedIn said on Monday it would cut jobs across its teams.\n"
            "LinkedIn has 900 million members.")
    arts = pd.DataFrame({"article_id": ["a"], "title": [""], "text": [text]})
    assert split_paragraphs(arts)["text"].tolist() == text.split("\n")


def test_blank_line_paragraphs_and_hard_wrapped_text():
    wrapped = ("The first paragraph was wrapped\nat a fixed width by an old mail\nclient.\n\n"
               "The second one too, at the\nsame width as the first one\nwas.\n")
    arts = pd.DataFrame({"article_id": ["a"], "text": [wrapped]})
    assert split_paragraphs(arts)["text"].tolist() == [
        "The first paragraph was wrapped at a fixed width by an old mail client.",
        "The second one too, at the same width as the first one was.",
    ]


def test_headline_is_sentence_zero_and_captions_are_kept_flagged(seed_articles):
    sents = split_sentences(seed_articles)
    assert sents.loc[0, ["sentence_id", "kind", "text"]].tolist() == [
        0, "headline", "AI as an international public good"]
    captions = sents[sents["kind"] == "caption"]
    assert len(captions) >= 3
    assert sents["sentence_id"].tolist() == list(range(len(sents)))


def test_sentences_do_not_break_at_abbreviations():
    paras = pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "kind": ["body"],
                          "is_lead": [True],
                          "text": ["The U.S. and Dr. Wang met in Jan. in Beijing. "
                                   "Talks went well."]})
    assert split_sentences(paras)["text"].tolist() == [
        "The U.S. and Dr. Wang met in Jan. in Beijing.", "Talks went well."]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("China's win-win plan", ["China", "'s", "win-win", "plan"]),
        ("the U.S. economy", ["the", "U.S.", "economy"]),
        ("130,000 square meters, 3.5 million", ["130,000", "square", "meters", ",", "3.5",
                                                 "million"]),
        ("\"AI+\" models", ['"', "AI", "+", '"', "models"]),
        ("people’s lives", ["people", "’s", "lives"]),
        ("don't stop", ["don't", "stop"]),
        # edge cases; only a word loses its possessive: "14th" is a number, "x_" ends in
        # no letter
        ("14th's", ["14th", "'", "s"]),
        ("x_'s", ["x_'s"]),
        ("CHINA'S", ["CHINA", "'S"]),
        ("a's's", ["a's", "'s"]),
        ("U.S.A", ["U", ".", "S", ".", "A"]),
        ("  e.g. 9/11,", ["e.g.", "9/11", ","]),
    ],
)
def test_word_spans_tokens_and_offsets(text, tokens):
    spans = word_spans(text)
    assert [t for t, _, _ in spans] == tokens
    assert all(text[s:e] == t for t, s, e in spans)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Wait, it's 3.5 times the U.S. rate!", 7),  # Wait it 3.5 times the U.S. rate
        ("14th's x_'s U.S.A !!!", 6),  # 14th s x_'s U S A
        ("China's win-win plan", 3),
        ("", 0),
        ("-- !", 0),
        # counted without the regular expression: letters, joiners, periods, the rest
        ("win-win-win a--b a-'b -a 'a a- a' '-a", 10),  # win-win-win a b a b a a a a a
        ("China\u2019s \u201cAI+\u201d plan\u2014and more\u2026", 5),
        ("It ended.-Then 'tis x.'y ok.", 7),  # It ended Then tis x y ok
        ("\u2018Yes,\u2019 he said \u2013 twice.", 4),
        ("a", 1), ("'", 0), ("-a-", 1), (".a", 1),
        # the regular expression: digits, underscores, a period before a letter, non-ASCII
        ("3a4 19-year-old COVID-19 x_y", 6),  # 3a 4 19 year-old COVID-19 x_y
        ("e.g. the U.S.-China talks", 5),
        ("Caf\u00e9 \u2022 na\u00efve", 2),
    ],
)
def test_count_words_counts_the_tokens_that_start_with_a_letter_or_digit(text, n):
    assert count_words(text) == n
    assert count_words(text) == sum(t[0].isalnum() for t, _, _ in word_spans(text))


def test_tokens_of_many_texts_at_once():
    tokens, owner, start, end = _token_arrays(["It's late.", "", "  U.S. 14th's"])
    assert tokens == ["It", "'s", "late", ".", "U.S.", "14th", "'", "s"]
    assert owner.tolist() == [0, 0, 0, 0, 2, 2, 2, 2]
    assert start.tolist() == [0, 2, 5, 9, 2, 7, 11, 12]
    assert end.tolist() == [2, 4, 9, 10, 6, 11, 12, 13]


def test_token_columns_treat_ascii_and_other_tokens_alike():
    token, norm, is_word, is_stop = _token_columns(
        ["The", "\u0130stanbul", "\u2019s", "\u039f\u0394\u039f\u03a3", "Don't", "\u201c", "3.5"])
    # İ lower-cases to i + combining dot; a final capital sigma to the final small sigma
    assert list(norm) == ["the", "i\u0307stanbul", "'s", "\u03bf\u03b4\u03bf\u03c2", "don't",
                          "\u201c", "3.5"]
    assert is_word.tolist() == [True, True, False, True, True, False, True]
    assert is_stop.tolist() == [True, False, True, False, True, False, False]
    assert list(token)[1] == "\u0130stanbul"


def test_sentence_spans_hands_out_a_fresh_list_each_time():
    text = "It rained. We stayed in."
    spans = sentence_spans(text)
    spans.append((0, 1))
    assert sentence_spans(text) == [(0, 10), (11, 24)]


def test_tokenize_marks_words_stopwords_and_norms():
    sents = pd.DataFrame({"article_id": ["a"], "sentence_id": [3], "text": ["The AI’s rise!"]})
    toks = tokenize(sents)
    assert toks["norm"].tolist() == ["the", "ai", "'s", "rise", "!"]
    assert toks["is_stop"].tolist() == [True, False, True, False, False]
    assert toks["is_word"].tolist() == [True, True, False, True, False]
    assert (toks["sentence_id"] == 3).all()


def test_n_words_counts_words_not_punctuation():
    paras = pd.DataFrame({"article_id": ["a"], "paragraph_id": [1], "kind": ["body"],
                          "is_lead": [True], "text": ["Wait, what? It's 3.5 times more."]})
    # "It's" is It + 's (the clitic is not a word): It, 3.5, times, more
    assert split_sentences(paras)["n_words"].tolist() == [2, 4]


def test_english_share_separates_english_from_other_languages():
    assert english_share("The cat sat on the mat and looked at the dog.") > 0.4
    assert english_share("Le chat est assis sur le tapis et regarde le chien.") < 0.1
    assert english_share("") == 0.0


# --- nupunkt, and the paragraphs whose cut is known without it ------------------------


def _nupunkt_spans(text):
    """What nupunkt itself gives: its pieces, surrounding whitespace trimmed."""
    spans = []
    for piece, (start, end) in nupunkt.sent_spans_with_text(text):
        lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
        if end - trail > start + lead:
            spans.append((start + lead, end - trail))
    return tuple(spans)


def test_the_nupunkt_rules_the_shortcut_is_argued_from():
    # _one_sentence's argument reads nupunkt 0.8's sentence tokenizer: if these change,
    # read it again
    tokenizer = _tokenizer()
    assert tokenizer is nupunkt.load("default")
    assert type(tokenizer) is nupunkt.PunktSentenceTokenizer
    assert type(tokenizer._lang_vars) is nupunkt.PunktLanguageVars
    lang = tokenizer._lang_vars
    assert lang.period_context_pattern.pattern == _PERIOD_CONTEXT_RE.pattern
    assert lang.sent_end_chars | {"\u2026"} == set(_SENTENCE_ENDS)
    assert tokenizer._CLOSING_CHARS == frozenset(_CLOSERS)
    assert lang.re_boundary_realignment.pattern == (
        r'[\'"\)\]}\u201d\u2019\u00bb*]+?(?:\s+|(?=--)|$)')


#: paragraphs that end in every way nupunkt's sentence-end rules read
EDGE_CASES = [
        "", " ", "\n\t ", ".", "!", "?!", "...", "\u2026", '"', '."', " . ", "x", "It rained",
        "It rained.", "It rained. ", " It rained.\n", "It rained.  \t", "Did it rain?!",
        "Did it rain?!\"", "Did it rain ?!", "Wow!!!", "Wow! !", "Wait...", "Wait. . .",
        "Wait\u2026", "He said: \u201cIt rained.\u201d", "He said: \u201cIt rained.\u201d ",
        "He said, \"It rained.\")", "(It rained.)", "It rained.'\"", "It rained.\"!",
        "It rained.\" !", "It rained.\") x", "It rained.\" he said.", "It rained.\" He left.",
        "Rain?\" she asked.", "It rained.*", "It rained.--", "Made in the U.S.",
        "Made in the U.S. ", "Made in the U.S.\"", "He met Dr.", "He met Dr. Wang.",
        "Growth was 3.5 percent.", "See example.com for more.", "It rained. We stayed in.",
        "It rained.We stayed in.", "It rained! We stayed in.", "1. It rained.",
        "It rained.\n\nWe stayed in.", "The U.S. and China.", "It rained. . . .",
        "\u00a0It rained.\u00a0", "It rained\u2019s.", "Yes.\u2019 No.", "\u201cYes.\u201d",
        ".\u201d", "!?\u201d\u00bb*", "(a)", "--", "It rained.) (", "It rained\u2026 We left.",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_punkt_spans_are_nupunkt_spans(text):
    assert _punkt_spans.__wrapped__(text) == _nupunkt_spans(text)
    assert sentence_spans(text) == list(_nupunkt_spans(text))


@pytest.mark.parametrize("text", [t for t in EDGE_CASES
                                  if t.strip() and _one_sentence(t, len(t.rstrip()))])
def test_why_one_sentence_needs_no_nupunkt(text):
    # The argument behind segment._one_sentence, checked step by step on nupunkt 0.8's
    # PunktSentenceTokenizer. Call the final run the sentence ends and then the closers
    # just before `end` ('?!"', '."', '.' or nothing); `head` is the text before it.
    tokenizer = _tokenizer()
    end = len(text.rstrip())
    head = len(text[:end].rstrip(_CLOSERS).rstrip(_SENTENCE_ENDS))
    # 1. _slices_from_text breaks only at candidates, which are matches of the period
    #    context, and _one_sentence accepts a paragraph only when none starts before the run
    assert all(m.start() >= head for m in _PERIOD_CONTEXT_RE.finditer(text))
    # 2. In the run, an end followed by "." or "..." is no match, and one followed by "!" or
    #    "?" is skipped before any decision, so only the run's last end may break (it is a
    #    match when closers or whitespace follow it). If it does not, the one slice is
    #    (0, end); if it does, the slices are (0, e), up to that end, and (e, end), the
    #    closers (the next slice starts at e after skipping whitespace, and closers are not
    #    whitespace).
    slices = [(s.start, s.stop) for s in tokenizer._slices_from_text(text)]
    if len(slices) == 1:
        assert slices == [(0, end)]
    else:
        (first, e), second = slices
        assert first == 0 and second == (e, end)
        assert text[e - 1] in _SENTENCE_ENDS and not text[e:end].strip(_CLOSERS)
    # 3. _realign_boundaries matches its pattern (closers, lazily, up to whitespace, "--"
    #    or the end, which on the slice (e, end) is only its end) and merges the two
    realigned = tokenizer._realign_boundaries(text, tokenizer._slices_from_text(text))
    assert [(s.start, s.stop) for s in realigned] == [(0, end)]
    # 4. so tokenize_with_spans gives the one piece text[0:], which trims to text[:end]
    #    less its leading whitespace: what _punkt_spans returns without asking nupunkt
    assert [span for _, span in tokenizer.tokenize_with_spans(text)] == [(0, len(text))]
    assert _punkt_spans.__wrapped__(text) == ((len(text) - len(text.lstrip()), end),)


def test_punkt_spans_skip_nupunkt_for_one_sentence_paragraphs():
    for text in ["It rained.", "Did it rain?!\"", "Made in the U.S. ", "Growth was 3.5%",
                 "It rained\u2026\u201d", "No end here", ".", "Really?!?"]:
        assert _one_sentence(text, len(text.rstrip()))
    # a period context before the final run: nupunkt decides
    for text in ["It rained. We left.", "It rained.\" He left.", "It rained.\"!",
                 "Wow! !", "Made in the U.S.\" too"]:
        assert not _one_sentence(text, len(text.rstrip()))


@pytest.fixture(scope="module")
def allsides_paragraphs(allsides_path):
    arts = fl.read_articles(allsides_path, text="content_original", outlet="source", id="ID")
    return arts, split_paragraphs(arts)


def test_punkt_spans_are_nupunkt_spans_on_every_paragraph_of_the_allsides_corpus(
        allsides_paragraphs):
    arts, paras = allsides_paragraphs
    texts = paras["text"].tolist()
    raw = [line for text in arts["text"].tolist() for line in text.split("\n")]
    assert len(texts) > 25_000
    # the raw lines keep their whitespace; the variants end in every way a shortcut reads
    variants = [v for t in texts[::7] for v in (t + " ", t + '"', t + '?!"', t + " U.S.")]
    differ = [t for t in texts + raw + variants
              if _punkt_spans.__wrapped__(t) != _nupunkt_spans(t)]
    assert not differ, differ[:5]


def test_count_words_is_the_regular_expression_on_the_allsides_corpus(allsides_paragraphs):
    arts, paras = allsides_paragraphs
    texts = (split_sentences(paras)["text"].tolist() + paras["text"].tolist()
             + [line for text in arts["text"].tolist() for line in text.split("\n")])
    differ = [t for t in texts if count_words(t) != len(_WORD_TOKEN_RE.findall(t))]
    assert not differ, differ[:5]
