"""Loading and validating codebooks: shipped ones load, malformed ones are refused by line."""

from __future__ import annotations

import pickle
import textwrap

import pytest

from framelens.codebook import (
    Codebook,
    Threshold,
    is_case_sensitive,
    list_codebooks,
    load_codebook,
    term_tokens,
)
from framelens.errors import CodebookError

USER_CODEBOOK = """\
name: mine
title: My study
version: "0.2"
description: Frames for my thesis.
reference: Me (2025).
frames:
  cooperation:
    label: Cooperation
    description: Countries working together.
    terms:
      - cooperat*
      - public good
    exclude:
      - cooperation organisation
  conflict:
    terms:
      - dispute*
"""


def write(tmp_path, text, name="codebook.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- shipped codebooks ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "n_frames"), [("generic", 5), ("policy", 15), ("ai", 9)])
def test_each_shipped_codebook_loads_with_its_frames(name, n_frames):
    codebook = load_codebook(name)
    assert codebook.name == name
    assert len(codebook.frames) == n_frames
    assert codebook.version and codebook.reference and codebook.title


def test_ai_codebook_has_at_least_the_seven_required_frames():
    required = {"cooperation", "competition", "economy", "governance", "security",
                "innovation", "everyday_benefit"}
    assert required <= set(load_codebook("ai").frame_ids)


@pytest.mark.parametrize("name", ["generic", "policy", "ai"])
def test_every_shipped_frame_has_a_label_a_description_and_terms(name):
    for frame in load_codebook(name).frames:
        assert frame.label and frame.description and frame.terms, frame.id


@pytest.mark.parametrize(("name", "low", "high"), [("generic", 25, 75), ("policy", 20, 40)])
def test_shipped_substantive_frames_have_a_reasonable_number_of_terms(name, low, high):
    counts = {f.id: len(f.terms) for f in load_codebook(name).frames if f.id != "other"}
    assert all(low <= n <= high for n in counts.values()), counts


def test_list_codebooks_describes_the_shipped_ones():
    table = list_codebooks()
    assert list(table.columns) == ["name", "title", "version", "n_frames", "n_terms"]
    assert dict(zip(table["name"], table["n_frames"])) == {"ai": 9, "generic": 5, "policy": 15}
    assert (table["n_terms"] > table["n_frames"]).all()


# --- user codebooks -------------------------------------------------------------------


def test_user_codebook_from_a_path_loads_with_its_header_frames_and_excludes(tmp_path):
    path = write(tmp_path, USER_CODEBOOK)
    codebook = load_codebook(path)
    assert (codebook.name, codebook.title, codebook.version) == ("mine", "My study", "0.2")
    assert codebook.path == str(path)
    assert codebook.frame_ids == ("cooperation", "conflict")
    cooperation = codebook.frame("cooperation")
    assert cooperation.terms == ("cooperat*", "public good")
    assert cooperation.exclude == ("cooperation organisation",)


def test_user_codebook_loads_from_a_string_path_too(tmp_path):
    path = write(tmp_path, USER_CODEBOOK, name="mine.yaml")
    assert load_codebook(str(path)).name == "mine"


def test_a_file_is_parsed_once_until_it_changes(tmp_path):
    path = write(tmp_path, USER_CODEBOOK)
    first = load_codebook(path)
    assert load_codebook(path) is first  # remembered: chunks and cells reload it often
    write(tmp_path, USER_CODEBOOK.replace("- dispute*", "- dispute*\n      - quarrel*"))
    edited = load_codebook(path)
    assert edited.frame("conflict").terms == ("dispute*", "quarrel*")
    write(tmp_path, USER_CODEBOOK.replace("frames:", "frames: [oops"))
    with pytest.raises(CodebookError):  # an error is not remembered as the old codebook
        load_codebook(path)


def test_frame_without_label_is_labelled_by_its_id(tmp_path):
    conflict = load_codebook(write(tmp_path, USER_CODEBOOK)).frame("conflict")
    assert (conflict.label, conflict.description, conflict.exclude) == ("conflict", "", ())


def test_version_written_as_a_number_keeps_the_text_as_written(tmp_path):
    text = USER_CODEBOOK.replace('version: "0.2"', "version: 1.10")
    assert load_codebook(write(tmp_path, text)).version == "1.10"


def test_to_frame_is_one_row_per_term_and_exclude_phrase(tmp_path):
    table = load_codebook(write(tmp_path, USER_CODEBOOK)).to_frame()
    assert list(table.columns) == ["frame", "label", "description", "term", "role"]
    assert table[["frame", "term", "role"]].values.tolist() == [
        ["cooperation", "cooperat*", "term"],
        ["cooperation", "public good", "term"],
        ["cooperation", "cooperation organisation", "exclude"],
        ["conflict", "dispute*", "term"],
    ]


def test_a_codebook_passes_through_load_codebook_unchanged():
    codebook = load_codebook("ai")
    assert load_codebook(codebook) is codebook


def test_codebook_is_hashable_and_survives_pickling_for_dask_workers():
    codebook = load_codebook("generic")
    copy = pickle.loads(pickle.dumps(codebook))
    assert copy == codebook and hash(copy) == hash(codebook)
    assert isinstance(copy, Codebook)


def test_unknown_frame_lookup_names_the_existing_frames():
    with pytest.raises(KeyError, match="morality"):
        load_codebook("generic").frame("moral")


@pytest.mark.parametrize(
    ("term", "tokens"),
    [
        ("cooperat*", ("cooperat*",)),
        ("Public Good", ("public", "good")),
        ("China’s win-win", ("china", "'s", "win-win")),
        ("*-led", ("*-led",)),
        ("organi?ation", ("organi?ation",)),
        ("AI+", ("ai", "+")),
        ("=Supreme Court", ("supreme", "court")),
    ],
)
def test_terms_are_tokenised_like_the_text_with_wildcards_kept_in_their_word(term, tokens):
    assert term_tokens(term) == tokens


def test_thresholds_default_to_one_match_and_frames_override_the_codebook_keys(tmp_path):
    assert load_codebook(write(tmp_path, USER_CODEBOOK)).frame("conflict").threshold == \
        Threshold(matches=1, sentences=1, per_1k=0.0)
    text = USER_CODEBOOK.replace("frames:", "threshold:\n  matches: 2\n  per_1k: 0.5\nframes:")
    text = text.replace("      - dispute*\n", "      - dispute*\n    threshold:\n"
                        "      sentences: 3\n      per_1k: 0\n")
    codebook = load_codebook(write(tmp_path, text))
    assert codebook.threshold == Threshold(matches=2, sentences=1, per_1k=0.5)
    assert codebook.frame("cooperation").threshold == Threshold(2, 1, 0.5)
    assert codebook.frame("conflict").threshold == Threshold(2, 3, 0.0)  # its keys win


@pytest.mark.parametrize(("hits", "sentences", "rate", "expected"), [
    (2, 2, 1.0, True), (1, 1, 9.0, False), (3, 1, 9.0, False), (2, 2, 0.4, False),
])
def test_a_threshold_passes_only_when_all_three_hold(hits, sentences, rate, expected):
    threshold = Threshold(matches=2, sentences=2, per_1k=0.5)
    assert threshold.passes(hits=hits, sentences=sentences, rate_per_1k=rate) is expected


def test_case_sensitive_terms_keep_their_mark_and_may_sit_beside_the_plain_term(tmp_path):
    text = USER_CODEBOOK.replace("      - dispute*\n",
                                 "      - dispute*\n      - =NATO\n      - =Nato\n      - nato\n")
    conflict = load_codebook(write(tmp_path, text)).frame("conflict")
    assert conflict.terms == ("dispute*", "=NATO", "=Nato", "nato")
    assert is_case_sensitive("=NATO") and not is_case_sensitive("nato")


# --- refusals -------------------------------------------------------------------------

HEADER = 'name: bad\nversion: "1"\n'

MALFORMED = [
    # (YAML text, line at fault, phrase the message must contain)
    (HEADER + "frames:\n  a:\n    terms: [x, y\n  b: 1\n", 6, "not valid YAML"),
    (HEADER + "frames:\n  a:\n    terms:\n      - *operation\n", 6, "must be quoted"),
    ("name: bad\nframes:\n  a:\n    terms: [x]\n", 1, "no 'version:'"),
    ('version: "1"\nframes:\n  a:\n    terms: [x]\n', 1, "no 'name:'"),
    (HEADER + "title: no frames\n", 1, "no 'frames:'"),
    (HEADER + "frames:\n", 3, "'frames:' is empty"),
    (HEADER + "frames:\n  - a\n  - b\n", 4, "must be a mapping"),
    (HEADER + "frames:\n  a:\n    label: A\n", 4, "has no 'terms:'"),
    (HEADER + "frames:\n  a:\n    label: A\n    terms: []\n", 6, "empty list"),
    (HEADER + "frames:\n  a:\n    terms:\n", 5, "'terms:' is empty"),
    (HEADER + "frames:\n  a:\n    terms: cooperation\n", 5, "must be a list"),
    (HEADER + "frames:\n  a:\n    terms:\n      - x\n      - 2030\n", 7, "not a number"),
    (HEADER + "frames:\n  a:\n    terms:\n      - x\n      - yes\n", 7, "yes/no"),
    (HEADER + "frames:\n  a:\n    terms:\n      - a: b\n", 6, "must be a string"),
    (HEADER + 'frames:\n  a:\n    terms:\n      - ""\n', 6, "is empty"),
    (HEADER + 'frames:\n  a:\n    terms:\n      - x\n      - "*"\n', 7, "only wildcards"),
    (HEADER + 'frames:\n  a:\n    terms:\n      - "!!"\n', 6, "no letters or digits"),
    (HEADER + "frames:\n  a:\n    terms:\n      - -led\n", 6, "hyphen"),
    (HEADER + "frames:\n  a:\n    terms:\n      - gpt-4.*\n", 6, "not inside a word"),
    (HEADER + "frames:\n  a:\n    terms:\n      - Trade\n      - x\n      - trade\n", 8,
     "repeats 'Trade' (line 6)"),
    (HEADER + "frames:\n  a:\n    terms: [x]\n  b:\n    terms: [y]\n  a:\n    terms: [z]\n", 8,
     "twice (lines 4 and 8)"),
    (HEADER + "frames:\n  a:\n    terms: [x]\n    terms: [y]\n", 6, "the key 'terms' twice"),
    (HEADER + "name: again\nframes:\n  a:\n    terms: [x]\n", 3, "the key 'name' twice"),
    (HEADER + "frames:\n  a:\n    term:\n      - x\n", 5, "did you mean 'terms'"),
    (HEADER + "frames:\n  a:\n    terms: [x]\n    exclude: [x, X]\n", 6, "repeats 'x'"),
    (HEADER + "refrence: me\nframes:\n  a:\n    terms: [x]\n", 3, "did you mean 'reference'"),
    (HEADER + "frames:\n  Human Interest:\n    terms: [x]\n", 4, "frame id 'Human Interest'"),
    (HEADER + "frames:\n  a:\n", 4, "frame 'a' is empty"),
    ('name: bad\nversion: ""\nframes:\n  a:\n    terms: [x]\n', 2, "non-empty string"),
    ("", 1, "the file is empty"),
    ("just a sentence\n", 1, "must be a mapping"),
    # thresholds
    (HEADER + "threshold: 2\nframes:\n  a:\n    terms: [x]\n", 3, "must be a mapping"),
    (HEADER + "threshold:\nframes:\n  a:\n    terms: [x]\n", 3, "threshold is empty"),
    (HEADER + "threshold: {}\nframes:\n  a:\n    terms: [x]\n", 3, "threshold is empty"),
    (HEADER + "threshold:\n  match: 2\nframes:\n  a:\n    terms: [x]\n", 4,
     "did you mean 'matches'"),
    (HEADER + "threshold:\n  matches: 0\nframes:\n  a:\n    terms: [x]\n", 4,
     "matches must be a whole number >= 1 (e.g. 'matches: 2'), not '0'"),
    (HEADER + "threshold:\n  sentences: 1.5\nframes:\n  a:\n    terms: [x]\n", 4,
     "sentences must be a whole number"),
    (HEADER + "threshold:\n  per_1k: -1\nframes:\n  a:\n    terms: [x]\n", 4,
     "per_1k must be a number >= 0"),
    (HEADER + "threshold:\n  per_1k: lots\nframes:\n  a:\n    terms: [x]\n", 4,
     "not 'lots'"),
    (HEADER + "frames:\n  a:\n    terms: [x]\n    threshold:\n      matches: two\n", 7,
     "frame 'a', threshold, matches must be a whole number"),
    (HEADER + "frames:\n  a:\n    terms: [x]\n    threshold: [2]\n", 6, "must be a mapping"),
    # the case-sensitive mark
    (HEADER + 'frames:\n  a:\n    terms:\n      - "= NATO"\n', 6, "write it as '=NATO'"),
    (HEADER + 'frames:\n  a:\n    terms:\n      - "="\n', 6, "case-sensitive mark"),
    (HEADER + "frames:\n  a:\n    terms:\n      - =NATO\n      - =NATO\n", 7, "repeats"),
]


@pytest.mark.parametrize(("text", "line", "phrase"), MALFORMED)
def test_malformed_codebook_is_refused_naming_file_and_line(tmp_path, text, line, phrase):
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    error = caught.value
    assert error.line == line, str(error)
    assert phrase in str(error)
    assert str(path) in str(error) and error.path == str(path)


def test_missing_file_is_refused_and_the_shipped_names_are_listed(tmp_path):
    path = tmp_path / "nowhere.yml"
    with pytest.raises(CodebookError, match="does not exist") as caught:
        load_codebook(path)
    assert "'ai', 'generic', 'policy'" in str(caught.value)
    assert caught.value.path == str(path)


def test_unknown_shipped_name_is_refused_with_the_names_that_exist():
    with pytest.raises(CodebookError, match="no shipped codebook is called 'frames'.*'generic'"):
        load_codebook("frames")


def test_file_that_is_not_yaml_is_refused_by_its_suffix(tmp_path):
    path = tmp_path / "codebook.txt"
    path.write_text(USER_CODEBOOK, encoding="utf-8")
    with pytest.raises(CodebookError, match=r"must end in \.yml or \.yaml"):
        load_codebook(path)


def test_codebook_error_is_a_value_error_for_callers_that_catch_those(tmp_path):
    with pytest.raises(ValueError):
        load_codebook(write(tmp_path, HEADER))
