"""Actors: lists load or are refused by line, names match as proper names, one-word names
resolve to full names, and the tone per actor adds up on a hand-built table."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest

from framelens.actors import (
    ACTOR_TONE_COLUMNS,
    MENTION_COLUMNS,
    ActorList,
    actor_tone,
    find_mentions,
    list_actor_lists,
    load_actors,
    resolve_short_names,
    score_mentions,
    unmatched_actors,
)
from framelens.errors import ActorListError, CodebookError, MissingColumnError
from framelens.models.tone import TONE_MODEL_DIR

LIST = """\
name: mine
title: My actors
version: "0.1"
actors:
  democrats:
    label: Democrats
    names: [Democrat*, Nancy Pelosi, Pelosi]
    exclude: [Democratic Republic of Congo]
  congress:
    label: Congress
    names: [Congress]
  apple:
    label: Apple
    names: [Apple, Tim Cook]
  xi:
    label: Xi Jinping
    names: [Xi Jinping, Xi]
  nobody:
    label: Nobody
    names: [Zyxwv Qwerty]
"""


def write(tmp_path, text, name="actors.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def sentences(*texts, kinds=None, article="a", leads=None):
    """A sentences table as split_sentences gives it, one row per text."""
    n = len(texts)
    return pd.DataFrame({
        "article_id": [article] * n,
        "paragraph_id": list(range(n)),
        "sentence_id": list(range(n)),
        "kind": kinds or ["body"] * n,
        "is_lead": leads or [False] * n,
        "text": list(texts),
    })


@pytest.fixture()
def mine(tmp_path):
    return load_actors(write(tmp_path, LIST))


def spans(mentions):
    return [(a, m, s, e) for a, m, s, e in
            mentions[["actor", "mention", "start", "end"]].itertuples(index=False)]


# --- loading ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["us-politics", "china-tech"])
def test_each_shipped_list_loads_with_labelled_actors(name):
    actors = load_actors(name)
    assert actors.name == name and actors.version and actors.title
    assert all(actor.label and actor.names for actor in actors.actors)


def test_china_tech_has_the_required_actors():
    ids = set(load_actors("china-tech").actor_ids)
    assert {"xi_jinping", "chinese_government", "us_government", "huawei", "tiktok", "apple",
            "nvidia", "google", "microsoft", "meta", "alibaba", "tencent", "deepseek",
            "openai"} <= ids


def test_list_actor_lists_describes_the_shipped_lists():
    table = list_actor_lists()
    assert list(table.columns) == ["name", "title", "version", "n_actors", "n_names"]
    assert sorted(table["name"]) == ["china-tech", "us-politics"]
    assert (table["n_names"] > table["n_actors"]).all()


def test_a_user_list_loads_with_its_fields(mine):
    assert isinstance(mine, ActorList)
    assert mine.actor_ids == ("democrats", "congress", "apple", "xi", "nobody")
    assert mine.actor("democrats").exclude == ("Democratic Republic of Congo",)
    assert mine.to_frame().query("role == 'exclude'")["name"].tolist() == [
        "Democratic Republic of Congo"]
    assert load_actors(mine) is mine


@pytest.mark.parametrize(("text", "line", "words"), [
    ("", 1, "empty"),
    ("name: x\nversion: '1'\nactor:\n  a:\n    names: [A]\n", 3, "did you mean 'actors'"),
    ("name: x\nactors:\n  a:\n    names: [A]\n", 1, "no 'version:'"),
    ("name: x\nversion: '1'\nactors:\n", 3, "'actors:' is empty"),
    ("name: x\nversion: '1'\nactors:\n  White House:\n    names: [A]\n", 4, "lower-case"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    label: A\n", 4, "no 'names:'"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: []\n", 5, "empty list"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    name: [A]\n", 5, "did you mean 'names'"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: [A, A]\n", 5, "listed twice"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names:\n      - A\n      - 2024\n", 7,
     "put it in quotes"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: ['* Biden']\n", 5,
     "not part of a word"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: ['--']\n", 5, "no letters"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: [A]\n    exclude: [A]\n", 6,
     "both a name and an exclusion"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: [A]\n  a:\n    names: [B]\n", 6,
     "twice"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: [A\n", 6, "not valid YAML"),
    ("name: x\nversion: '1'\nactors:\n  a:\n    names: A\n", 5, "must be a list"),
])
def test_a_malformed_list_is_refused_naming_the_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ActorListError) as info:
        load_actors(path)
    assert info.value.line == line
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_an_actor_list_error_is_a_codebook_error(tmp_path):
    with pytest.raises(CodebookError):
        load_actors(write(tmp_path, "name: x\n"))


def test_unknown_names_and_missing_files_are_refused(tmp_path):
    with pytest.raises(ActorListError, match="shipped ones are 'china-tech', 'us-politics'"):
        load_actors("eu-politics")
    with pytest.raises(ActorListError, match="does not exist"):
        load_actors(tmp_path / "missing.yml")
    with pytest.raises(ActorListError, match=r"\.yml or \.yaml"):
        load_actors(tmp_path / "actors.txt")


# --- matching with a list --------------------------------------------------------------


def test_names_match_case_sensitively_on_word_boundaries(mine):
    found = find_mentions(sentences(
        "Apple shares rose while an apple pie cooled.",
        "Xi's letter reached Xinhua in Xi'an.",
        "Pineapple and Applebee's are not Apple's rivals."), actors=mine)
    assert spans(found) == [("apple", "Apple", 0, 5), ("xi", "Xi", 0, 2),
                            ("apple", "Apple", 33, 38)]


def test_a_wildcard_matches_inside_a_word(mine):
    found = find_mentions(sentences("Democrats and Democratic senators met a democrat."),
                          actors=mine)
    assert found["mention"].tolist() == ["Democrats", "Democratic"]


def test_an_exclusion_vetoes_overlapping_matches(mine):
    found = find_mentions(sentences(
        "Troops left the Democratic Republic of Congo before Congress voted.",
        "Democrats cheered."), actors=mine)
    assert spans(found) == [("congress", "Congress", 52, 60),
                            ("democrats", "Democrats", 0, 9)]


def test_overlapping_names_of_one_actor_count_once_longest_wins(mine):
    found = find_mentions(sentences("Nancy Pelosi spoke; Pelosi left."), actors=mine)
    assert spans(found) == [("democrats", "Nancy Pelosi", 0, 12),
                            ("democrats", "Pelosi", 20, 26)]


def test_a_name_matches_across_line_breaks_and_curly_apostrophes(tmp_path):
    actors = load_actors(write(tmp_path, """\
        name: x
        version: "1"
        actors:
          pd:
            names: ["People's Daily"]
    """))
    found = find_mentions(sentences("The People’s  Daily said so."), actors=actors)
    assert found["mention"].tolist() == ["People’s  Daily"]


def test_captions_and_bylines_are_left_out(mine):
    found = find_mentions(sentences("Xi waves. Photo: VCG", "By Tim Cook", "Xi spoke.",
                                    kinds=["caption", "byline", "body"]), actors=mine)
    assert found["sentence_id"].tolist() == [2]


def test_mentions_carry_the_sentence_and_its_offsets(mine):
    found = find_mentions(sentences("Apple", "Critics said Tim Cook erred.",
                                    kinds=["headline", "body"], leads=[False, True]),
                          actors="china-tech")
    assert list(found.columns) == MENTION_COLUMNS
    row = found.iloc[1]
    assert (row["actor"], row["label"], row["kind"], bool(row["is_lead"])) == (
        "apple", "Apple", "body", True)
    assert row["text"][row["start"]:row["end"]] == row["mention"] == "Tim Cook"


def test_no_sentences_give_an_empty_table_with_the_columns():
    empty = find_mentions(sentences(), actors="china-tech")
    assert list(empty.columns) == MENTION_COLUMNS and empty.empty
    assert empty["start"].dtype == np.int64 and empty["is_lead"].dtype == bool
    assert list(find_mentions(sentences()).columns) == MENTION_COLUMNS


def test_a_table_without_the_needed_columns_is_refused():
    with pytest.raises(MissingColumnError, match="is_lead"):
        find_mentions(pd.DataFrame({"article_id": ["a"], "sentence_id": [0],
                                    "kind": ["body"], "text": ["Xi"]}))


def test_unmatched_actors_are_listed_in_list_order(mine):
    found = find_mentions(sentences("Xi met Tim Cook."), actors=mine)
    missing = unmatched_actors(mine, found)
    assert list(missing.columns) == ["actor", "label", "names"]
    assert missing["actor"].tolist() == ["democrats", "congress", "nobody"]
    assert missing.iloc[0]["names"] == "Democrat*; Nancy Pelosi; Pelosi"


# --- actors without a list ---------------------------------------------------------------


def auto(*texts, **kwargs):
    found = find_mentions(sentences(*texts, **kwargs))
    return [(a, m) for a, m in found[["actor", "mention"]].itertuples(index=False)]


def test_titles_go_and_short_names_resolve_within_the_article():
    assert auto("Chinese President Xi Jinping wrote a letter.",
                "Xi said AI should be a public good.") == [
        ("Xi Jinping", "Xi Jinping"), ("Xi Jinping", "Xi")]


def test_a_title_of_a_portfolio_and_an_organisation_before_a_title_are_handled():
    assert auto("He met Secretary of State Mike Pompeo and Apple CEO Tim Cook on Monday.") == [
        ("Mike Pompeo", "Mike Pompeo"), ("Apple", "Apple"), ("Tim Cook", "Tim Cook")]


def test_a_title_alone_and_sentence_start_words_are_no_actors():
    assert auto("The President spoke on Friday.", "Currently the expo is open.",
                "Boxing robots drew crowds in March.") == []


def test_middle_initials_are_dropped_and_an_organisation_is_kept_whole():
    assert auto("Donald J. Trump called the Justice Department.") == [
        ("Donald Trump", "Donald J. Trump"), ("Justice Department", "Justice Department")]


def test_several_full_names_in_an_article_resolve_to_the_latest_before():
    assert auto("Liu Qingfeng spoke first.", "Then Liu Liehong spoke.", "Liu agreed.") == [
        ("Liu Qingfeng", "Liu Qingfeng"), ("Liu Liehong", "Liu Liehong"),
        ("Liu Liehong", "Liu")]


def corpus(*articles):
    return pd.concat([sentences(*texts, article=aid) for aid, texts in articles],
                     ignore_index=True)


def test_short_names_resolve_across_the_corpus_when_one_full_name_fits():
    table = corpus(("a", ["Donald Trump met Xi Jinping."]),
                   ("b", ["Donald Trump spoke in Ohio."]),
                   ("c", ["Critics said Trump lost."]))
    found = find_mentions(table)
    assert found.query("article_id == 'c'")["actor"].tolist() == ["Donald Trump"]


def test_a_short_name_that_fits_two_people_in_the_corpus_is_left_as_it_is():
    table = corpus(("a", ["Hillary Clinton spoke.", "Clinton left."]),
                   ("b", ["Bill Clinton spoke."]), ("c", ["Hillary Clinton won."]),
                   ("d", ["Bill Clinton lost."]), ("e", ["Voters said Clinton erred."]))
    found = find_mentions(table)
    assert found.query("article_id == 'a'")["actor"].tolist() == ["Hillary Clinton"] * 2
    assert found.query("article_id == 'e'")["actor"].tolist() == ["Clinton"]


def test_the_reference_table_resolves_names_without_adding_mentions():
    reference = corpus(("r1", ["Donald Trump spoke."]), ("r2", ["Donald Trump left."]))
    found = find_mentions(sentences("Critics said Trump lost."), reference=reference)
    assert found["actor"].tolist() == ["Donald Trump"]
    assert set(found["article_id"]) == {"a"}


def test_a_quoted_theme_and_a_lower_case_word_are_no_actors():
    assert auto('The expo ran under the theme "Intelligent Connected Vehicles" in Chongqing.',
                "Officials in Chongqing cheered.", "The Internet and the internet, the internet."
                ) == [("Chongqing", "Chongqing"), ("Chongqing", "Chongqing")]


# --- tone ------------------------------------------------------------------------------


def scored_table():
    """Two articles; Xi is mentioned three times in article a (headline, lead, body)."""
    rows = [
        # article, sentence, kind, lead, actor, label, text, tone label, tone score
        ("a", 0, "headline", False, "xi", "Xi Jinping", "Xi hails AI", "positive", 0.6),
        ("a", 1, "body", True, "xi", "Xi Jinping", "Xi said the plan works.", "neutral", 0.1),
        ("a", 1, "body", True, "apple", "Apple", "Xi said the plan works.", "neutral", 0.0),
        ("a", 2, "body", False, "xi", "Xi Jinping", "Critics slammed Xi.", "negative", -0.7),
        ("b", 0, "body", False, "apple", "Apple", "Apple lost a case.", "negative", -0.4),
        ("b", 1, "body", False, "apple", "Apple", "Apple was fined.", "negative", -0.4),
    ]
    table = pd.DataFrame(rows, columns=["article_id", "sentence_id", "kind", "is_lead", "actor",
                                        "label", "text", "tone_label", "tone_score"])
    return table


def test_actor_tone_adds_up_per_article_and_actor():
    tone = actor_tone(scored_table())
    assert list(tone.columns) == ACTOR_TONE_COLUMNS
    assert tone[["article_id", "actor", "mentions"]].values.tolist() == [
        ["a", "xi", 3], ["a", "apple", 1], ["b", "apple", 2]]
    xi = tone.iloc[0]
    assert (xi["share_negative"], xi["share_neutral"], xi["share_positive"]) == pytest.approx(
        (1 / 3, 1 / 3, 1 / 3))
    assert xi["net_tone"] == pytest.approx(0.0)
    assert xi["mean_tone"] == pytest.approx(0.0)
    assert bool(xi["in_headline"]) and bool(xi["in_lead"])
    assert (xi["most_negative"], xi["most_negative_tone"]) == ("Critics slammed Xi.", -0.7)
    assert (xi["most_positive"], xi["most_positive_tone"]) == ("Xi hails AI", 0.6)


def test_extremes_come_only_from_mentions_of_that_tone_and_ties_take_the_first():
    tone = actor_tone(scored_table()).set_index(["article_id", "actor"])
    apple_a = tone.loc[("a", "apple")]  # one neutral mention: neither extreme
    assert pd.isna(apple_a["most_negative"]) and pd.isna(apple_a["most_positive"])
    assert np.isnan(apple_a["most_negative_tone"]) and np.isnan(apple_a["most_positive_tone"])
    assert bool(apple_a["in_lead"]) and not bool(apple_a["in_headline"])
    apple_b = tone.loc[("b", "apple")]  # two negative mentions scored alike: the first
    assert apple_b["net_tone"] == pytest.approx(-1.0)
    assert apple_b["most_negative"] == "Apple lost a case."
    assert apple_b["most_negative_tone"] == pytest.approx(-0.4)
    assert pd.isna(apple_b["most_positive"])
    assert not bool(apple_b["in_lead"])


def test_actor_tone_of_nothing_is_an_empty_table_with_typed_columns():
    tone = actor_tone(scored_table().iloc[:0])
    assert list(tone.columns) == ACTOR_TONE_COLUMNS and tone.empty
    assert tone["mentions"].dtype == np.int64 and tone["net_tone"].dtype == np.float64
    assert tone["in_headline"].dtype == bool


def test_score_mentions_of_nothing_adds_empty_tone_columns_without_a_model():
    scored = score_mentions(find_mentions(sentences(), actors="china-tech"))
    assert list(scored.columns)[-6:] == ["tone_negative", "tone_neutral", "tone_positive",
                                         "tone_label", "tone_score", "tone_truncated"]
    assert scored.empty and list(actor_tone(scored).columns) == ACTOR_TONE_COLUMNS


def test_score_mentions_adds_one_tone_row_per_mention():
    if not (TONE_MODEL_DIR / "model.onnx").is_file():
        pytest.skip(f"the shipped tone model is not at {TONE_MODEL_DIR} yet")
    mentions = find_mentions(sentences("Critics slammed Apple and praised Huawei."),
                             actors="china-tech")
    scored = score_mentions(mentions)
    assert len(scored) == len(mentions) == 2
    assert scored[["tone_negative", "tone_neutral", "tone_positive"]].sum(axis=1).to_numpy() \
        == pytest.approx([1.0, 1.0])
    assert scored["mention"].tolist() == ["Apple", "Huawei"]


# --- the seed article and the shared corpus -------------------------------------------------


@pytest.fixture(scope="module")
def seed_sentences(seed_articles):
    from framelens.segment import split_paragraphs, split_sentences

    return split_sentences(split_paragraphs(seed_articles))


def test_the_seed_article_names_xi_the_chinese_government_and_deepseek(seed_sentences):
    found = find_mentions(seed_sentences, actors="china-tech")
    assert {"xi_jinping", "chinese_government", "china", "chinese_state_media",
            "deepseek"} <= set(found["actor"])
    assert "caption" not in set(found["kind"])


def test_the_seed_article_without_a_list_names_its_people(seed_sentences):
    actors = set(find_mentions(seed_sentences)["actor"])
    assert {"Xi Jinping", "Wang Peng", "Liu Liehong", "Yu Yingtao", "Global Times"} <= actors
    assert not actors & {"Xi", "Wang", "Yu", "Artificial", "Currently", "Chinese President"}


def test_the_allsides_corpus_matches_quickly_and_keeps_congo_out(allsides_path):
    from framelens.corpus import read_articles
    from framelens.segment import split_paragraphs, split_sentences

    articles = read_articles(allsides_path, text="content_original", title="title",
                             outlet="source", id="ID").head(200)
    found = find_mentions(split_sentences(split_paragraphs(articles)), actors="us-politics")
    assert {"trump", "democrats", "republicans", "congress"} <= set(found["actor"])
    assert not found["mention"].str.contains("Congo").any()


@pytest.mark.parametrize(("short", "full", "expected"), [
    (["Trump"], ["Donald Trump"], {"Trump": "Donald Trump"}),
    (["Clinton"], ["Bill Clinton", "Hillary Clinton"], {}),  # two fit
    (["Xi"], ["Xi Jinping"], {"Xi": "Xi Jinping"}),  # no surname fits: the first name does
    (["Korea"], ["North Korea"], {}),  # a place, not a person
    (["House"], ["White House"], {}),
    (["Donald Trump"], ["Donald Trump"], {}),  # only one-word names resolve
])
def test_a_short_name_resolves_only_to_the_one_full_name_that_fits(short, full, expected):
    assert resolve_short_names(short, full) == expected


def test_a_weighted_full_name_resolves_a_short_name_when_it_holds_most_of_the_weight():
    full = ["Donald Trump", "Melania Trump"]
    assert resolve_short_names(["Trump"], full,
                               weights={"Donald Trump": 658, "Melania Trump": 7}) == {
        "Trump": "Donald Trump"}
    assert resolve_short_names(["Trump"], full,
                               weights={"Donald Trump": 8, "Melania Trump": 2}) == {}
