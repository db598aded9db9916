"""Written and relative dates, by the grammar of config/dates.yml."""

from __future__ import annotations

from datetime import date

import pytest

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar, FoundDate, sentence_date


@pytest.fixture(scope="module")
def dates(project: Project) -> DateGrammar:
    return DateGrammar(project.dates)


def test_relative_dates_resolve_to_the_latest_such_day_on_or_before_publication(
    dates: DateGrammar,
) -> None:
    published = date(2019, 3, 5)  # a Tuesday
    for phrase, expected in [
        ("on Monday", date(2019, 3, 4)),
        ("On Sunday", date(2019, 3, 3)),
        ("on Tuesday", date(2019, 3, 5)),
        ("late Wednesday", date(2019, 2, 27)),
        ("yesterday", date(2019, 3, 4)),
        # Live blogs date by the part of the day ("released ... this evening").
        ("this afternoon", date(2019, 3, 5)),
        ("this evening", date(2019, 3, 5)),
    ]:
        sentence = f"Fighters surrendered {phrase}, officials said."
        found = dates.resolve_in(sentence, 0, len(sentence), published)
        assert found is not None and found.value == expected, phrase


def test_explicit_dates_win_and_no_publication_date_means_unresolved(dates: DateGrammar) -> None:
    sentence = "Trump on Saturday, February 16, urged European powers"
    assert dates.resolve_in(sentence, 0, len(sentence), date(2019, 2, 23)).value == date(
        2019, 2, 16
    )
    assert dates.resolve_in("They left on Sunday.", 0, 20, None) is None


def test_dotted_numeric_dates_are_day_first(dates: DateGrammar) -> None:
    [found] = dates.find_full("04.10.2013")
    assert found.value == date(2013, 10, 4)


def test_a_date_without_a_year_takes_the_latest_year_not_after_the_anchor(
    dates: DateGrammar,
) -> None:
    def partial(text: str, anchor: date | None) -> list[tuple[str, date | None, str | None]]:
        return [
            (d.text, d.value, d.problem) for d in dates.find_partial(text, 0, len(text), anchor)
        ]

    assert partial("on February 16, urged", date(2019, 11, 17)) == [
        ("February 16", date(2019, 2, 16), None)
    ]
    assert partial("on December 30, urged", date(2019, 1, 5)) == [
        ("December 30", date(2018, 12, 30), None)
    ]
    assert partial("on February 16, urged", None) == [("February 16", None, "no year to anchor it")]
    assert partial("on February 30, urged", date(2019, 3, 5)) == [
        ("February 30", None, "not a calendar date (day is out of range for month)")
    ]


def test_written_dates_are_found_in_order_a_false_one_with_its_problem(
    dates: DateGrammar,
) -> None:
    found = dates.find_full("February 30, 2019 and March 5, 2019 and 2019-03-26")
    assert [(d.text, d.value) for d in found] == [
        ("February 30, 2019", None),
        ("March 5, 2019", date(2019, 3, 5)),
        ("2019-03-26", date(2019, 3, 26)),
    ]
    assert found[0].problem == "not a calendar date (day is out of range for month)"


def test_a_day_earlier_counts_from_the_last_date_given_else_from_publication(
    dates: DateGrammar,
) -> None:
    sentence = "They left a day earlier."
    [found] = dates.expressions(sentence, 0, len(sentence), date(2019, 3, 5), date(2019, 3, 1))
    assert (found.text, found.value, found.explicit) == ("a day earlier", date(2019, 2, 28), False)
    assert dates.resolve_in(sentence, 0, len(sentence), date(2019, 3, 5)).value == date(2019, 3, 4)


def test_a_sentence_s_date_is_its_first_written_one_else_its_first_relative_one() -> None:
    relative = FoundDate(0, 9, "On Sunday", date(2019, 3, 24), explicit=False)
    written = FoundDate(18, 31, "March 2, 2019", date(2019, 3, 2))
    assert sentence_date([relative, written]) is written
    assert sentence_date([relative]) is relative
    assert sentence_date([]) is None
