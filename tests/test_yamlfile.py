"""Reading YAML node by node: lines, node descriptions, key suggestions and the shared
shape checks, each refusal naming the file and the line."""

from __future__ import annotations

import pytest
import yaml

from framelens.errors import ActorListError, CodebookError
from framelens.yamlfile import (
    NodeReader,
    compose,
    describe,
    line_of,
    read_text,
    shipped_files,
    suggest,
)


def node(text):
    return yaml.compose(text, Loader=yaml.SafeLoader)


def test_line_of_counts_from_one_as_an_editor_does():
    root = node("name: ai\n\nframes:\n  a:\n    terms: [x]\n")
    (name_key, _), (frames_key, frames) = root.value
    assert (line_of(root), line_of(name_key), line_of(frames_key)) == (1, 1, 3)
    assert line_of(frames.value[0][0]) == 4


@pytest.mark.parametrize(("text", "expected"), [
    ("{a: b}", "a mapping"),
    ("[a, b]", "a list"),
    ("word", "a string"),
    ("' '", "an empty string"),
    ("3", "a number"),
    ("1.5", "a number"),
    ("yes", "a yes/no value"),
    ("~", "empty"),
    ("2020-01-01", "a date"),
    ("!!binary aGk=", "tagged tag:yaml.org,2002:binary"),
])
def test_describe_names_each_kind_of_node(text, expected):
    assert describe(node(text)) == expected


@pytest.mark.parametrize(("key", "expected"), [
    ("term", "did you mean 'terms'? Allowed keys: label, terms, exclude."),
    ("colour", "Allowed keys: label, terms, exclude."),
])
def test_suggest_names_the_closest_key_then_all_of_them(key, expected):
    assert suggest(key, ("label", "terms", "exclude")) == expected


def test_a_key_given_twice_is_refused_naming_both_lines():
    reader = NodeReader("mine.yml", error=CodebookError)
    with pytest.raises(CodebookError) as info:
        reader.mapping(node("a: 1\nb: 2\na: 3\n"), "the codebook")
    assert str(info.value) == (
        "mine.yml, line 3: the codebook has the key 'a' twice (lines 1 and 3); YAML would "
        "silently keep only the last one. Merge or rename them.")
    assert info.value.line == 3


def test_the_reader_raises_the_error_class_it_was_given():
    reader = NodeReader("list.yml", error=ActorListError)
    with pytest.raises(ActorListError, match=r"^list.yml, line 2: 'name' must be a non-empty "
                                             r"string, not a list\.$"):
        reader.text(node("x: 1\nname: [a]\n").value[1][1], "'name'", required=True)


def test_a_mapping_keeps_file_order_and_the_header_fills_its_defaults():
    reader = NodeReader("mine.yml", error=CodebookError)
    fields = reader.mapping(node("version: 1.10\nname: ai\ntitle:\n"), "the codebook")
    assert list(fields) == ["version", "name", "title"]
    assert reader.header(fields) == {"name": "ai", "title": "ai", "version": "1.10",
                                     "language": "en", "description": "", "reference": ""}


def test_an_empty_required_header_key_is_refused_at_its_line():
    reader = NodeReader("mine.yml", error=CodebookError)
    fields = reader.mapping(node("name: ai\nversion:\n"), "the codebook")
    with pytest.raises(CodebookError, match=r"^mine.yml, line 2: 'version' must be a "
                                            r"non-empty string, not empty\.$"):
        reader.header(fields)


def test_a_list_of_strings_refuses_its_first_non_string_at_its_line():
    reader = NodeReader("mine.yml", error=CodebookError)
    items = reader.strings(node("- a\n- b\n- 3\n"), "terms", shape="a list", noun="term")
    assert [item.value for item in [next(items), next(items)]] == ["a", "b"]
    with pytest.raises(CodebookError, match=r"^mine.yml, line 3: terms: a term must be a "
                                            r"string, not a number \('3'\); put it in quotes\.$"):
        next(items)


@pytest.mark.parametrize(("text", "message"), [
    ("a: b\n", "mine.yml, line 1: terms must be a list, not a mapping."),
    ("[]\n", "mine.yml, line 1: terms is an empty list; give at least one term."),
])
def test_a_list_of_strings_must_be_a_non_empty_list(text, message):
    reader = NodeReader("mine.yml", error=CodebookError)
    with pytest.raises(CodebookError) as info:
        list(reader.strings(node(text), "terms", shape="a list", noun="term"))
    assert str(info.value) == message


def test_invalid_yaml_names_the_line_and_an_alias_gets_the_quoting_hint():
    with pytest.raises(CodebookError) as info:
        compose("a: 1\nb: [\n", path="mine.yml", error=CodebookError, alias_hint="Quote it.")
    assert info.value.line == 3 and "Check the indentation" in str(info.value)
    with pytest.raises(ActorListError, match=r"^mine.yml, line 2: .*alias 'soft'\. Quote it\.$"):
        compose("names:\n  - *soft\n", path="mine.yml", error=ActorListError,
                alias_hint="Quote it.")


def test_an_empty_document_composes_to_none():
    assert compose("# nothing\n", path="mine.yml", error=CodebookError, alias_hint="") is None


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.yml"
    path.write_bytes("name: café\n".encode("latin-1"))
    with pytest.raises(ActorListError, match="not UTF-8 text; save it as UTF-8"):
        read_text(path, error=ActorListError)


def test_the_shipped_files_are_found_by_name_in_file_order():
    assert list(shipped_files("codebooks")) == ["ai", "generic", "policy"]
    assert list(shipped_files("actorlists")) == ["china-tech", "us-politics"]
