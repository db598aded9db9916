"""Metadata stage: publication dates in the formats real pages use, title, outlet, agencies,
dateline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from newsfigures.config import OptionError, Project, with_year
from newsfigures.extract.metadata import MetadataRules, extract_metadata
from newsfigures.extract.published import YearSource, year_source
from newsfigures.sources.records import RawDocument
from newsfigures.sources.sidecar import Sidecar


@pytest.fixture(scope="module")
def rules(project: Project) -> MetadataRules:
    return MetadataRules(project)


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


# -- house styles: furniture around the headline, dates in bylines, datelines ---------------

BODY = (
    "\nGovernment forces said on Sunday that the last pocket of fighters had been cleared "
    "from the city, and that some 300 families had returned.\n"
)


@pytest.mark.parametrize(
    ("header", "title", "outlet"),
    [
        # Wire prefixes are not part of the headline.
        (
            "UPDATE 3-Floods cut off villages in northern Kenya\n",
            "Floods cut off villages in northern Kenya",
            None,
        ),
        (
            "EXCLUSIVE-Army weighs pullout from border posts\n",
            "Army weighs pullout from border posts",
            None,
        ),
        ("Breaking News: Dam bursts above mountain town\n", "Dam bursts above mountain town", None),
        ("LIVE: Ceasefire holds for a second day\n", "Ceasefire holds for a second day", None),
        # A time stamp alone is furniture, not a headline.
        (
            "Updated 9:48 p.m. ET\nCeasefire holds for a second day\n",
            "Ceasefire holds for a second day",
            None,
        ),
        # A headline saved with a known site's or agency's name after it.
        (
            "Ceasefire holds for a second day | Al Jazeera\n",
            "Ceasefire holds for a second day",
            None,
        ),
        ("Ceasefire holds for a second day - Reuters\n", "Ceasefire holds for a second day", None),
        ("Ceasefire holds for a second day — UN\n", "Ceasefire holds for a second day — UN", None),
        # An email saved with its headers: the subject is the headline, the sender the outlet.
        (
            "From: The Evening Wire <desk@eveningwire.example>\nSubject: Fwd: Storm forces 9,000 from homes\n",
            "Storm forces 9,000 from homes",
            "The Evening Wire",
        ),
        # A masthead in capitals is the outlet, title-cased; nav bars, section kickers (two
        # short items, one short line, a line in capitals) and phone lines are furniture.
        (
            "THE VALLEY SENTINEL\nSince 1898 · $1.50\nCall the newsroom: (555) 201-3344\n"
            "News | Sport | Business | Obituaries\nREGION\nRiver crests as crews reinforce levees\n",
            "River crests as crews reinforce levees",
            "The Valley Sentinel",
        ),
        (
            "Coastal Times\nWorld · Africa\nMozambique\nInsurgents raid port town at dawn\n",
            "Insurgents raid port town at dawn",
            "Coastal Times",
        ),
        (
            "NORTHERN CROSS RADIO 101.7 FM\nListen live · Podcasts · Schedule\n"
            "Avalanche buries ski lodge in the Alps\n",
            "Avalanche buries ski lodge in the Alps",
            "Northern Cross Radio",
        ),
        (
            "MEDIA RELEASE\nHarbour Aid Ltd · London / Dover\nCrew rescues 40 from dinghy in Channel\n",
            "Crew rescues 40 from dinghy in Channel",
            "Harbour Aid",
        ),
        # A breadcrumb that opens with the site's name names the outlet.
        (
            "Daily Digest › World › Asia\nMonsoon floods displace thousands in Assam\n",
            "Monsoon floods displace thousands in Assam",
            "Daily Digest",
        ),
        (
            "Print this page | Close window\nThe Hill Weekly — printer-friendly version\n"
            "Landslide blocks the only road to the valley\n",
            "Landslide blocks the only road to the valley",
            "The Hill Weekly",
        ),
        # A report's title line and its issuer ("This report was prepared by ...").
        (
            "Ministry of Foreign Affairs\nPress Release No. 112/2024\nNationals leave Sudan by sea\n",
            "Nationals leave Sudan by sea",
            "Ministry of Foreign Affairs",
        ),
        (
            "SOMALIA: Drought Response\nSituation Report No. 12\n",
            "SOMALIA: Drought Response",
            None,
        ),
    ],
)
def test_house_style_furniture_is_not_the_title(
    rules: MetadataRules, header: str, title: str, outlet: str | None
) -> None:
    meta = extract_metadata(header + BODY, rules)
    assert (meta.title, meta.outlet) == (title, outlet)


def test_a_report_names_its_issuer(rules: MetadataRules) -> None:
    text = (
        "YEMEN: Cholera Outbreak\nBulletin No. 7\n\n"
        "This report was prepared by the World Food Programme (WFP) with its partners and "
        "covers the week to 4 May.\n"
        "More than 2,000 new cases were recorded in Hodeidah, the ministry of health said on Monday.\n"
    )
    meta = extract_metadata(text, rules)
    assert (meta.title, meta.outlet) == ("YEMEN: Cholera Outbreak", "WFP")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Fires rage near the coast\n\nBy Jane Okoro | March 3, 2021\n", date(2021, 3, 3)),
        (
            "Fires rage near the coast\n\nPosted by editor | 12 June 2018 | 5 Comments\n",
            date(2018, 6, 12),
        ),
        (
            "NEWS | Published: Tue 4 May 2021 10:02 | Updated: 11:15\n\nFires rage near the coast\n",
            date(2021, 5, 4),
        ),
        ("Fires rage near the coast\n04.05.2021 | 08:30\n", date(2021, 5, 4)),
        ("Fires rage near the coast\n2021-05-04 09:10 (EAT)\n", date(2021, 5, 4)),
        ("Fires rage near the coast\n2021/05/04 09:10\n", date(2021, 5, 4)),
        ("Web Desk · 4 May 2021 · 3 min read\nFires rage near the coast\n", date(2021, 5, 4)),
    ],
)
def test_dates_in_bylines_and_header_lines_are_the_publication_date(
    rules: MetadataRules, header: str, expected: date
) -> None:
    meta = extract_metadata(header + BODY, rules)
    assert (meta.published_date, meta.title, meta.outlet) == (
        expected,
        "Fires rage near the coast",
        None,
    )


@pytest.mark.parametrize(
    ("first_paragraph", "place", "expected"),
    [
        (
            "NAIROBI, May 4, 2021 (Reuters) - Floods killed at least 30 people",
            "Nairobi",
            date(2021, 5, 4),
        ),
        (
            "Berlin, 4 May 2021 – The relief group said its ship had rescued 60 people",
            "Berlin",
            date(2021, 5, 4),
        ),
        (
            "WASHINGTON, May 4, 2021 -- The agency said 200 staff had been evacuated",
            "Washington",
            date(2021, 5, 4),
        ),
        (
            "NEW YORK, May 4, 2021 /PRNewswire/ -- The charity said 200 staff had been evacuated",
            "New York",
            date(2021, 5, 4),
        ),
        ("(ANSA) - ROME, JUNE 3 - About 400 migrants landed overnight, sources said", "Rome", None),
        ("Ankara (AA) - Coast guard teams rescued 35 migrants off the coast", "Ankara", None),
        ("Niamey (AFP) - Troops pulled out of two bases, the army said", "Niamey", None),
        ("KARACHI: Heavy rain flooded low-lying areas of the city on Monday", "Karachi", None),
    ],
)
def test_datelines_of_wires_dailies_and_press_releases(
    rules: MetadataRules, first_paragraph: str, place: str, expected: date | None
) -> None:
    text = f"Rains and rescues across the region\n\n{first_paragraph}, officials told reporters in the afternoon.\n"
    meta = extract_metadata(text, rules)
    assert (meta.dateline, meta.published_date) == (place, expected)
    assert meta.title == "Rains and rescues across the region"


def test_a_masthead_with_an_edition_is_not_a_dateline(rules: MetadataRules) -> None:
    text = "HIGHLAND POST — Weekend edition\n\nStorm cuts power to 20,000 homes\n" + BODY
    meta = extract_metadata(text, rules)
    assert (meta.outlet, meta.dateline, meta.title) == (
        "Highland Post",
        None,
        "Storm cuts power to 20,000 homes",
    )


def test_a_year_less_date_line_takes_the_year_the_header_writes(rules: MetadataRules) -> None:
    text = "World News | May 2021\n\nFires rage near the coast\nMay 4 · 08:30\n" + BODY
    meta = extract_metadata(text, rules)
    assert meta.published_date == date(2021, 5, 4) and meta.published_date_text == "May 4"
    assert meta.title == "Fires rage near the coast"


def test_without_a_year_a_year_less_date_stays_empty(rules: MetadataRules) -> None:
    text = "Fires rage near the coast\nMay 4 · 08:30\n\nGENEVA, May 4 (Reuters) - About 300 people fled, officials said on Tuesday afternoon.\n"
    meta = extract_metadata(text, rules)
    assert (meta.published_date, meta.published_date_text) == (None, None)
    assert (meta.title, meta.dateline) == ("Fires rage near the coast", "Geneva")


def test_a_headline_that_opens_with_a_date_is_still_the_title(rules: MetadataRules) -> None:
    text = "March 3 protests turn deadly in the capital\nFriday, March 5, 2021\n" + BODY
    meta = extract_metadata(text, rules)
    assert meta.title == "March 3 protests turn deadly in the capital"
    assert meta.published_date == date(2021, 3, 5)


def test_a_date_line_under_a_standfirst_is_the_publication_date(rules: MetadataRules) -> None:
    text = (
        "The Northern Star\nWorld news\nFloods cut off hill villages\n"
        "Rescuers reached only three of the eleven villages on Monday, and the army says the "
        "roads will take weeks to clear.\n"
        "Asha Rai in Kathmandu\nMon 8 Jul 2024 09.15 BST\nShare\n"
        "More than 200 families were evacuated from the Melamchi valley on Monday, officials said.\n"
    )
    meta = extract_metadata(text, rules)
    assert (meta.title, meta.published_date, meta.outlet) == (
        "Floods cut off hill villages",
        date(2024, 7, 8),
        "The Northern Star",
    )


def test_a_place_over_the_headline_is_not_a_masthead(rules: MetadataRules) -> None:
    meta = extract_metadata("Syria\nAid convoy reaches besieged town\n" + BODY, rules)
    assert (meta.outlet, meta.title) == (None, "Aid convoy reaches besieged town")


# -- the year of a date line written without one ---------------------------------------------

WIRE = (
    "Karabakh exodus nears its end\n\n"
    "GENEVA, Oct 3 (Reuters) - More than 100,000 people have crossed into Armenia, the U.N. "
    "refugee agency said on Tuesday.\n"
)


def test_a_year_less_dateline_takes_the_year_of_its_declared_source(rules: MetadataRules) -> None:
    sidecar = YearSource("sidecar", date(2023, 12, 31))
    meta = extract_metadata(WIRE, rules, sidecar)
    assert (meta.published_date, meta.published_date_text, meta.published_date_source) == (
        date(2023, 10, 3),
        "Oct 3",
        "dateline+sidecar",
    )
    assert WIRE[meta.published_date_offset :].startswith("Oct 3")
    # A file saved on 5 January 2024: the latest December 22 on or before it.
    saved = YearSource("mtime", date(2024, 1, 5))
    meta = extract_metadata(WIRE.replace("Oct 3", "Dec 22"), rules, saved)
    assert (meta.published_date, meta.published_date_source) == (
        date(2023, 12, 22),
        "dateline+mtime",
    )
    # Without a source, no date: never a guess.
    assert extract_metadata(WIRE, rules).published_date_source is None


def test_a_date_the_text_gives_wins_over_a_declared_year(rules: MetadataRules) -> None:
    option = YearSource("option", date(2019, 12, 31))
    full = WIRE.replace("Oct 3 (Reuters)", "Oct 3, 2023 (Reuters)")
    header_year = "World News | October 2023\n" + WIRE
    for text in (full, header_year):
        meta = extract_metadata(text, rules, option)
        assert (meta.published_date, meta.published_date_source) == (date(2023, 10, 3), "text")


def test_the_year_source_is_the_sidecar_then_the_run_option_then_the_mtime(
    project: Project,
) -> None:
    day = int(datetime(2024, 1, 5, 12, tzinfo=UTC).timestamp() * 1e9)
    raw = RawDocument("a.txt", "d", WIRE, "utf-8", len(WIRE), day, Sidecar(year=2022))
    allowed = project.settings.model_copy(
        update={"metadata": project.settings.metadata.model_copy(update={"year_from_mtime": True})}
    )
    from_sidecar = YearSource("sidecar", date(2022, 12, 31))
    assert year_source(raw, project) == from_sidecar
    assert year_source(raw, with_year(project, 2021)) == from_sidecar  # the article's own wins
    bare = replace(raw, sidecar=None)
    assert year_source(bare, with_year(project, 2021)) == YearSource("option", date(2021, 12, 31))
    assert year_source(bare, project) is None  # the mtime only when the settings say so
    mtime = replace(project, settings=allowed)
    assert year_source(bare, mtime) == YearSource("mtime", date(2024, 1, 5))


def test_a_run_option_year_outside_the_publication_window_is_refused(project: Project) -> None:
    with pytest.raises(OptionError, match=r"--year 1200: outside the publication-date window"):
        with_year(project, 1200)
    assert with_year(project, 2021).fingerprint != project.fingerprint
    assert with_year(project, None) is project
