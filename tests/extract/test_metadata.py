"""Metadata stage: dates in the formats real pages use, title, outlet, agencies, dateline."""

from __future__ import annotations

from datetime import date

import pytest

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar
from newsfigures.extract.metadata import MetadataRules, extract_metadata


@pytest.fixture(scope="module")
def rules(project: Project) -> MetadataRules:
    return MetadataRules(project)


@pytest.fixture(scope="module")
def dates(project: Project) -> DateGrammar:
    return DateGrammar(project.dates)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2019-03-26", date(2019, 3, 26)),
        ("March 5, 2019 at 1:24 am", date(2019, 3, 5)),
        ("Saturday, 23 Feb, 2019", date(2019, 2, 23)),
        ("Sunday, November 17, 2019", date(2019, 11, 17)),
        ("Feb. 20, 2019", date(2019, 2, 20)),
        ("20 February 2019 14:05 GMT", date(2019, 2, 20)),
        ("Published: 02/20/2019", date(2019, 2, 20)),
        ("Updated February 23, 2019 at 9:12 p.m. ET", date(2019, 2, 23)),
        # Day-first or month-first is decided by the weekday: 2019-02-03 was a Sunday.
        ("Sunday 03/02/2019", date(2019, 2, 3)),
        ("Saturday 03/02/2019", date(2019, 3, 2)),
    ],
)
def test_publication_date_formats(rules: MetadataRules, written: str, expected: date) -> None:
    meta = extract_metadata(
        f"A headline\n\n{written}\n\nThe body of the story follows here, and it is long enough to be one.",
        rules,
    )
    assert meta.published_date == expected
    assert meta.published_date_text and meta.published_date_text in written


def test_a_date_that_is_not_on_the_calendar_is_kept_as_text(rules: MetadataRules) -> None:
    text = "Convoy leaves\n\nFebruary 30, 2019\n\nAround 40 trucks left the besieged town on Thursday, officials said to reporters there."
    meta = extract_metadata(text, rules)
    assert meta.published_date is None
    assert meta.published_date_text == "February 30, 2019"
    assert text[meta.published_date_offset :].startswith("February 30, 2019")


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


def test_chrome_lines_feed_outlet_and_agencies_but_are_not_content(rules: MetadataRules) -> None:
    text = (
        "Creating new perspectives since 2009\n"
        "Home > World > Middle East\n"
        "Daesh fighters surrender in eastern Syria\n"
        "March 5, 2019 at 1:24 am\n"
        "Some 200 Daesh fighters surrendered after a ferocious battle, a spokesman told Reuters on Monday.\n"
        "READ: 10 Daesh members executed by rival militants\n"
        "– with reporting by Agence France-Presse\n"
        "Leave a comment\n"
    )
    meta = extract_metadata(text, rules)
    assert meta.title == "Daesh fighters surrender in eastern Syria"
    assert meta.outlet == "Middle East Monitor"
    assert meta.agencies == ["AFP", "Reuters"]
    content = [s.of(text) for s in meta.content_lines]
    assert not any(line.startswith(("READ:", "Home >", "Leave", "–")) for line in content)
    assert "March 5, 2019 at 1:24 am" not in content


def test_source_line_names_the_outlet_and_wire_dateline_the_place(rules: MetadataRules) -> None:
    text = "BAGHUZ, Syria (AP) — Hundreds of civilians left the enclave on Wednesday, officials said.\n\nSource: Voice of America\n"
    meta = extract_metadata(text, rules)
    assert meta.outlet == "Voice of America"
    assert meta.dateline == "Baghouz"  # title-cased and normalised through the aliases
    assert meta.agencies == ["AP"]
    assert meta.title is None


def test_a_text_without_header_has_no_title_or_date(rules: MetadataRules) -> None:
    meta = extract_metadata(
        "Dozens of militants emerged from tunnels to surrender to US-backed forces in eastern Syria on Sunday.",
        rules,
    )
    assert meta.title is None and meta.published_date is None and meta.outlet is None


@pytest.mark.parametrize(
    ("header", "outlet", "title"),
    [
        (
            "The Lakeshore Courier — News for the Great Lakes since 1921\nHome > World > Middle East\n\nIraqi PM in Mosul as last IS fighters cornered\n",
            "The Lakeshore Courier",
            "Iraqi PM in Mosul as last IS fighters cornered",
        ),
        (
            "The Orontes Observer | Independent news from the Levant\nMiddle East > Syria\n\nThousands evacuated from east Aleppo\n",
            "The Orontes Observer",
            "Thousands evacuated from east Aleppo",
        ),
        (
            "Capital Ledger\nNews › Asia\n\nDesperate crowds at Kabul airport\n\nBy Staff and wire reports\n",
            "Capital Ledger",
            "Desperate crowds at Kabul airport",
        ),
        (
            "WORLD NEWS\n\nCivilians stay put in Eastern Ghouta as truce falters\n",
            None,
            "Civilians stay put in Eastern Ghouta as truce falters",
        ),
        ("Mosul falls\n", None, "Mosul falls"),
        (
            "The Caribbean Courier\nServing Miami’s island communities since 1987\n"
            "News › World › Americas\n\nHaiti quake: U.S. troops pour in\n",
            "The Caribbean Courier",
            "Haiti quake: U.S. troops pour in",
        ),
    ],
)
def test_mastheads_section_labels_and_bylines_are_not_titles(
    rules: MetadataRules, header: str, outlet: str | None, title: str
) -> None:
    body = "\nGovernment forces said on Sunday that the last pocket of fighters had been cleared from the city.\n"
    meta = extract_metadata(header + body, rules)
    assert (meta.outlet, meta.title) == (outlet, title)


def test_a_wire_dateline_gives_the_date_with_the_header_year(rules: MetadataRules) -> None:
    text = "Health News | June 2017\n\nYemen cholera cases rise\n\nGeneva, June 24 (Reuters) - Yemen's cholera epidemic has infected more than 200,000 people since late April, the WHO said."
    meta = extract_metadata(text, rules)
    assert meta.published_date == date(2017, 6, 24)
    assert meta.dateline == "Geneva" and meta.agencies == ["Reuters"]


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("CAIRO (AP) — The crossing opened again on Thursday for hundreds of people.", "Cairo"),
        (
            "COX’S BAZAR, Bangladesh (AFP) — Aid groups said about 370,000 people had arrived.",
            "Cox's Bazar",
        ),
        (
            "Beirut, March 1 (Reuters) - Civilians stayed away from the corridor on Thursday, residents said.",
            "Beirut",
        ),
        (
            "MONROVIA, Sept 16 (Reuters) - The United States will send 3,000 military personnel.",
            "Monrovia",
        ),
        (
            "PORT-AU-PRINCE, Haiti (AP) — Aid flights landed on Friday as thousands slept outside.",
            "Port-au-Prince",
        ),
        (
            "BANGKOK — Security forces killed more than 100 people on Saturday, witnesses said.",
            "Bangkok",
        ),
    ],
)
def test_wire_datelines(rules: MetadataRules, line: str, place: str) -> None:
    assert extract_metadata(line, rules).dateline == place


def test_dotted_numeric_dates_are_day_first(dates: DateGrammar) -> None:
    [found] = dates.find_full("04.10.2013")
    assert found.value == date(2013, 10, 4)
