"""What is wrong with a declaration, said so that a person can fix it: the file, the line,
the key path, the value and the problem, with a did-you-mean for a misspelt key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pydantic
import pytest
import yaml
from pydantic import Field

from newsfigures.config import ConfigError, load_project
from newsfigures.config.problems import (
    LineIndex,
    Problem,
    allowed_keys,
    key_path,
    suggest,
    validation_problems,
)
from newsfigures.config.settings import Bounds, Settings
from newsfigures.config.types import Declared, PositiveInt
from newsfigures.config.vocabulary import Vocabulary


def test_unquoted_yaml_booleans_in_word_lists_are_refused(project_copy: Path) -> None:
    vocabulary = project_copy / "config" / "vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text().replace('"on", at, from', "on, at, from"))
    with pytest.raises(ConfigError, match=r"entity_window\.stop_words\[\d+\].*quote it"):
        load_project(project_copy)


# -- key paths and problems as a person reads them -------------------------------------------


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("outlets", 3, "names"), "outlets[3].names"),
        (("ingest",), "ingest"),
        (("events", "cues", "surrender"), "events.cues.surrender"),
        (("vague_quantities", 2), "vague_quantities[2]"),
        ((), ""),
    ],
)
def test_key_path_joins_keys_with_dots_and_list_items_in_brackets(
    location: tuple, path: str
) -> None:
    assert key_path(location) == path


def test_a_problem_names_file_line_key_path_value_and_message() -> None:
    problem = Problem("config/bounds.yml", ("value_bounds", "troops"), "must be at least 1", -5, 12)
    assert str(problem) == "config/bounds.yml:12: value_bounds.troops: -5: must be at least 1"


def test_a_problem_leaves_out_what_it_does_not_know_or_the_message_already_says() -> None:
    assert str(Problem("schemas/", (), "no contract for table 'runs'")) == (
        "schemas/: no contract for table 'runs'"
    )
    assert str(Problem("a.yml", ("k",), "missing key", "x", 3, show_value=False)) == (
        "a.yml:3: k: missing key"
    )
    # The value is in the message already: not said twice.
    assert str(Problem("a.yml", ("k",), "no column 'spn'", "spn", 4)) == (
        "a.yml:4: k: no column 'spn'"
    )


def test_a_long_value_is_cut_to_seventy_characters() -> None:
    text = str(Problem("a.yml", ("k",), "bad", "x" * 100, 1))
    shown = text.split(": ")[2]
    assert len(shown) == 70 and shown == repr("x" * 100)[:67] + "..."


def test_a_config_error_lists_every_problem_one_a_line() -> None:
    problems = [Problem("a.yml", ("x",), "first", line=1), Problem("b.yml", ("y",), "second")]
    error = ConfigError(problems)
    assert error.problems == problems
    assert str(error) == "a.yml:1: x: first\nb.yml: y: second"
    assert ConfigError("no project found").problems == ["no project found"]
    assert str(ConfigError("no project found")) == "no project found"


# -- where a key path sits in a YAML file ------------------------------------------------------

SETTINGS_YAML = """\
# a comment
ingest:
  include: ["*.txt", "*.md"]
  encodings:
    - utf-8
    - cp1252
batch:
  size: 500
"""


@pytest.mark.parametrize(
    ("location", "line"),
    [
        (("ingest",), 2),
        (("ingest", "include"), 3),
        (("ingest", "include", 1), 3),
        (("ingest", "encodings"), 4),
        (("ingest", "encodings", 1), 6),
        (("batch", "size"), 8),
        # Deeper than the file goes: the line of the deepest part it has.
        (("ingest", "encodings", 7), 4),
        (("batch", "size", "unit"), 8),
        (("nowhere", "at", "all"), 2),
    ],
)
def test_the_line_of_a_key_path(location: tuple, line: int) -> None:
    assert LineIndex(SETTINGS_YAML).line(location) == line


def test_a_file_that_is_not_yaml_has_no_lines() -> None:
    assert LineIndex("ingest: [unclosed\n").line(("ingest",)) is None
    assert LineIndex("").line(("ingest",)) is None


def test_numeric_keys_are_found_as_numbers() -> None:
    """months: {1: [January, Jan]} is read as the int key 1, and found under it."""
    lines = LineIndex("months:\n  1: [January, Jan]\n  2: [February]\n")
    assert lines.line(("months", 2)) == 3
    assert lines.line(("months", 1, 1)) == 2


# -- did you mean ----------------------------------------------------------------------------


def test_suggest_names_the_closest_choice_or_nothing() -> None:
    assert suggest("inclde", ["include", "exclude", "encodings"]) == " (did you mean 'include'?)"
    assert suggest("surender", ["surrender", "kill"]) == " (did you mean 'surrender'?)"
    assert suggest("zzz", ["include", "exclude"]) == ""
    assert suggest("include", []) == ""


@pytest.mark.parametrize(
    ("model", "location", "keys"),
    [
        (Settings, (), ["ingest", "text", "batch", "execution", "metadata", "warehouse"]),
        (Settings, ("batch",), ["size", "part_size", "read_ahead"]),
        # Through a list of models, a mapping of models and an optional model.
        (Vocabulary, ("outlets", 0), ["name", "names", "taglines"]),
        (Vocabulary, ("groups", "islamic_state"), ["category", "spellings"]),
        (
            Bounds,
            ("suspect_dates",),
            [
                "max_days_after_text",
                "max_days_apart",
                "min_sentence_words",
                "min_shared_sentences",
                "max_docs_per_shared_sentence",
            ],
        ),
        # Not a model there, or no such key: nothing to suggest from.
        (Settings, ("batch", "size"), []),
        (Settings, ("nowhere",), []),
        (Vocabulary, ("categories", 0), []),
    ],
)
def test_allowed_keys_are_read_off_the_model(model: type, location: tuple, keys: list) -> None:
    assert allowed_keys(model, location) == keys


# -- pydantic's errors as problems -------------------------------------------------------------


class _Limits(Declared):
    size: PositiveInt
    mode: Literal["fast", "slow"]
    names: list[str]


class _Block(Declared):
    limits: _Limits
    label: str


LIMITS_YAML = """\
limits:
  size: 0
  mode: quick
  names: [on, b]
  sise: 3
label: x
"""


def _problems(data: dict, source: str, prefix: tuple = ()) -> list[Problem]:
    with pytest.raises(pydantic.ValidationError) as caught:
        _Block.model_validate(data)
    return validation_problems(caught.value, "config/x.yml", _Block, LineIndex(source), prefix)


def test_each_validation_error_is_a_problem_with_its_line_and_message() -> None:
    found = _problems(yaml.safe_load(LIMITS_YAML), LIMITS_YAML)
    assert [str(p) for p in found] == [
        "config/x.yml:2: limits.size: 0: must be at least 1",
        "config/x.yml:3: limits.mode: 'quick': must be one of 'fast' or 'slow'",
        "config/x.yml:4: limits.names[0]: read as true/false: quote it "
        "(YAML reads unquoted on/off/yes/no as booleans)",
        "config/x.yml:5: limits.sise: unknown key (did you mean 'size'?)",
    ]


def test_a_missing_key_and_an_unknown_key_with_nothing_close() -> None:
    source = "limits: {size: 1, mode: fast, names: [], colour: red}\n"
    found = _problems(yaml.safe_load(source), source)
    assert [str(p) for p in found] == [
        "config/x.yml:1: limits.colour: unknown key (known keys: mode, names, size)",
        "config/x.yml:1: label: missing key",
    ]


def test_a_prefix_places_the_problems_inside_a_larger_file() -> None:
    source = "block:\n  limits: {size: 1, mode: fast, names: [x]}\n  label: [not, text]\n"
    [problem] = _problems(yaml.safe_load(source)["block"], source, ("block",))
    assert problem.location == ("block", "label")
    assert str(problem) == "config/x.yml:3: block.label: ['not', 'text']: expected text"


class _Circle(Declared):
    type: Literal["circle"]
    name: str


class _Square(Declared):
    type: Literal["square"]
    name: str


class _Shapes(Declared):
    shapes: list[Annotated[_Circle | _Square, Field(discriminator="type")]]


def test_an_unknown_type_of_a_tagged_union_names_the_item_and_the_closest_type() -> None:
    source = "shapes:\n  - {type: circle, name: a}\n  - {type: sqare, name: b}\n"
    with pytest.raises(pydantic.ValidationError) as caught:
        _Shapes.model_validate(yaml.safe_load(source))
    [problem] = validation_problems(caught.value, "s.yml", _Shapes, LineIndex(source))
    assert str(problem) == (
        "s.yml:3: shapes[1]: unknown type 'sqare' (in 'b') (did you mean 'square'?)"
    )
