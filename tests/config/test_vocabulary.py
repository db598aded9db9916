"""config/vocabulary.yml typed: the closed sets (categories, event classes, qualifiers) and
the cross-checks of the file against itself."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from newsfigures.config import Project
from newsfigures.config.vocabulary import NonFigures, Outlet, VagueQuantity, Vocabulary


def _messages(model: type[pydantic.BaseModel], data: dict[str, Any]) -> list[str]:
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate(data)
    return [e["msg"].removeprefix("Value error, ") for e in caught.value.errors()]


def _edited(project: Project, **changes: Any) -> Vocabulary:
    """The project's vocabulary with some keys changed, validated again."""
    return Vocabulary.model_validate({**project.vocabulary.model_dump(), **changes})


def test_the_qualifier_kinds_are_the_unmarked_and_the_declared_ones(project: Project) -> None:
    assert project.vocabulary.qualifier_kinds == [
        "exact",
        "approx",
        "at_least",
        "at_most",
        "range",
        "vague",
    ]


def test_a_vague_quantity_runs_from_low_to_high() -> None:
    assert VagueQuantity(phrase="dozens", low=12, high=99).high == 99
    assert VagueQuantity(phrase="a dozen", low=12, high=12).low == 12
    assert _messages(VagueQuantity, {"phrase": "dozens", "low": 99, "high": 12}) == [
        "low 99 is greater than high 12"
    ]


def test_the_year_range_is_a_first_and_a_last_year(project: Project) -> None:
    declared = project.vocabulary.non_figures.model_dump()
    for years in ([2100, 1800], [1800], [1800, 1900, 2000]):
        assert _messages(NonFigures, {**declared, "year_range": years}) == [
            "expected [first year, last year]"
        ], years


def test_an_outlet_needs_only_its_name() -> None:
    outlet = Outlet(name="Voice of America")
    assert (outlet.names, outlet.taglines) == ([], [])


def test_categories_and_event_classes_are_declared_once(project: Project) -> None:
    categories = [*project.vocabulary.categories, "people"]
    assert _messages(Vocabulary, {**project.vocabulary.model_dump(), "categories": categories}) == [
        "category 'people' is declared twice"
    ]
    events = [*project.vocabulary.event_classes, "kill"]
    assert _messages(Vocabulary, {**project.vocabulary.model_dump(), "event_classes": events}) == [
        "event 'kill' is declared twice"
    ]


def test_the_project_s_vocabulary_has_no_problems(project: Project) -> None:
    assert list(project.vocabulary.problems()) == []


def test_a_category_named_anywhere_must_be_declared(project: Project) -> None:
    vocabulary = project.vocabulary
    groups = vocabulary.model_dump()["groups"]
    first_group = next(iter(groups))
    groups[first_group]["category"] = "combatant"
    edited = _edited(
        project,
        mixed_category="mixed",
        entities={**vocabulary.entities, "animals": ["camels"]},
        groups=groups,
        group_category_applies_to=[*vocabulary.group_category_applies_to, "troop"],
    )
    problems = list(edited.problems())
    assert (("mixed_category",), "mixed", "not a declared category") in problems
    assert (("entities", "animals"), "animals", "not a declared category") in problems
    assert (
        ("groups", first_group, "category"),
        "combatant",
        "not a declared category (did you mean 'combatants'?)",
    ) in problems
    index = len(vocabulary.group_category_applies_to)
    assert (
        ("group_category_applies_to", index),
        "troop",
        "not a declared category (did you mean 'troops'?)",
    ) in problems
    assert len(problems) == 4


def test_an_event_named_in_cues_or_nouns_must_be_declared(project: Project) -> None:
    events = project.vocabulary.events.model_dump()
    events["cues"]["ballot"] = ["voted"]
    events["from_entity"]["kil"] = ["bodies"]
    problems = list(_edited(project, events=events).problems())
    assert problems == [
        (("events", "cues", "ballot"), "ballot", "not a declared event class"),
        (
            ("events", "from_entity", "kil"),
            "kil",
            "not a declared event class (did you mean 'kill'?)",
        ),
    ]


def test_a_weak_number_word_must_be_a_unit(project: Project) -> None:
    numbers = project.vocabulary.numbers.model_dump()
    numbers["weak"] = [*numbers["weak"], "dozen"]
    index = len(numbers["weak"]) - 1
    assert list(_edited(project, numbers=numbers).problems()) == [
        (("numbers", "weak", index), "dozen", "not one of numbers.units")
    ]


def test_a_role_names_only_declared_classes_and_never_an_optional_event(
    project: Project,
) -> None:
    events = project.vocabulary.events.model_dump()
    events["roles"] = [
        {"name": "typo", "pattern": "COUNT VERBL* EVENT"},
        {"name": "maybe", "pattern": "COUNT VERBAL* EVENT?"},
        {"name": "frame", "pattern": "pulled COUNT from"},
    ]
    assert list(_edited(project, events=events).problems()) == [
        (
            ("events", "roles", 0, "pattern"),
            "VERBL",
            "not a slot or declared word class (did you mean 'VERBAL'?)",
        ),
        (
            ("events", "roles", 1, "pattern"),
            "COUNT VERBAL* EVENT?",
            "EVENT is never optional: declare two roles",
        ),
        (("events", "roles", 2, "event"), None, "a role without an EVENT word declares its event"),
    ]
