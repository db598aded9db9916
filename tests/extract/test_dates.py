"""Written and relative dates, by the grammar of config/dates.yml."""

from __future__ import annotations

from datetime import date

import pytest

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar


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
