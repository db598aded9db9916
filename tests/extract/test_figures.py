"""Figures stage: the grammar of counts, their offsets in the original text, and the date
each figure's sentence gives."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from support import figures_in

from newsfigures.extract.figures import date_expressions, extract_figures, figure_id
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.text import lines


@pytest.mark.parametrize(
    ("sentence", "span", "low", "high", "qualifier", "category"),
    [
        (
            "Some 200 Daesh fighters surrendered.",
            "Some 200 Daesh fighters",
            200,
            200,
            "approx",
            "combatants",
        ),
        (
            "The SDF evacuated nearly 5,000 men, women and children.",
            "nearly 5,000 men, women and children",
            5000,
            5000,
            "approx",
            "people",
        ),
        (
            "We thought there were 1,000-1,500 terrorists.",
            "1,000-1,500 terrorists",
            1000,
            1500,
            "range",
            "combatants",
        ),
        (
            "Officials said between 300 and 500 civilians fled.",
            "between 300 and 500 civilians",
            300,
            500,
            "range",
            "civilians",
        ),
        (
            "Between 300 to 400 refugees arrived.",
            "300 to 400 refugees",
            300,
            400,
            "range",
            "people",
        ),
        (
            "Dozens of Islamic State (IS) group militants emerged.",
            "Dozens of Islamic State (IS) group militants",
            12,
            99,
            "vague",
            "combatants",
        ),
        (
            "Tens of thousands of residents fled.",
            "Tens of thousands of residents",
            10000,
            99999,
            "vague",
            "civilians",
        ),
        (
            "As many as 2,000 people made it out.",
            "As many as 2,000 people",
            2000,
            2000,
            "at_most",
            "people",
        ),
        (
            "At least 800 foreign fighters are in custody.",
            "At least 800 foreign fighters",
            800,
            800,
            "at_least",
            "combatants",
        ),
        (
            "More than a dozen soldiers were wounded.",
            "More than a dozen soldiers",
            12,
            12,
            "at_least",
            "troops",
        ),
        ("Two dozen trucks waited.", "Two dozen trucks", 24, 24, "exact", "vehicles"),
        ("Two hundred families returned.", "Two hundred families", 200, 200, "exact", "civilians"),
        (
            "Some 1.5 million refugees crossed.",
            "Some 1.5 million refugees",
            1500000,
            1500000,
            "approx",
            "people",
        ),
        (
            "A quarter of a million people fled.",
            "A quarter of a million people",
            250000,
            250000,
            "exact",
            "people",
        ),
        ("Eighteen soldiers were killed.", "Eighteen soldiers", 18, 18, "exact", "troops"),
        ("Twenty-five civilians died.", "Twenty-five civilians", 25, 25, "exact", "civilians"),
        ("Another 350 detainees were moved.", "Another 350 detainees", 350, 350, "exact", "people"),
        (
            "Several hundred migrants were rescued.",
            "Several hundred migrants",
            100,
            999,
            "vague",
            "people",
        ),
        ("No fewer than 40 buses left.", "No fewer than 40 buses", 40, 40, "at_least", "vehicles"),
    ],
)
def test_count_grammar(
    grammar: FigureGrammar,
    sentence: str,
    span: str,
    low: int,
    high: int,
    qualifier: str,
    category: str,
) -> None:
    found = figures_in(sentence, grammar)
    assert len(found) == 1, [f.span for f in found]
    figure = found[0]
    assert (
        figure.span,
        figure.value_low,
        figure.value_high,
        figure.qualifier,
        figure.category,
    ) == (span, low, high, qualifier, category)
    assert sentence[figure.char_start : figure.char_end] == figure.span


def test_event_dates_resolve_against_publication(grammar: FigureGrammar) -> None:
    text = "Dozens of militants on Sunday emerged from tunnels to surrender."
    [figure] = figures_in(text, grammar, published=date(2019, 3, 26))
    assert figure.event_date == date(2019, 3, 24) and figure.event_date_precision == "day"
    [undated] = figures_in(text, grammar, published=None)
    assert undated.event_date is None and undated.event_date_precision == "unresolved"


def test_offsets_point_into_the_original_text_with_crlf(grammar: FigureGrammar) -> None:
    text = "Title line\r\n\r\nOfficials said about 300 IS fighters remain in Baghuz.\r\n"
    [figure] = figures_in(text, grammar)
    assert text[figure.char_start : figure.char_end] == "about 300 IS fighters"


@pytest.mark.parametrize(
    ("sentence", "span", "category"),
    [
        ("The blast killed 13 U.S. troops and wounded others.", "13 U.S. troops", "troops"),
        (
            "France sent two A400M transport planes to the capital.",
            "two A400M transport planes",
            "vehicles",
        ),
        (
            "Russia said 53 seriously wounded soldiers were taken to hospital.",
            "53 seriously wounded soldiers",
            "troops",
        ),
        ("The number has climbed to 370,000 Rohingya, the UN said.", "370,000 Rohingya", "people"),
        ("Thousands flee Khartoum as foreign governments airlift citizens", "Thousands", "people"),
        ("Libya floods: thousands dead, 10,000 missing in Derna", "10,000", "people"),
        ("Storm Daniel dumped more than 400 millimetres of rain on the region.", None, None),
        ("Police detained men aged 18 to 60 at the border.", None, None),
        ("Two NATO F-16 jets shot down the aircraft.", "Two NATO F-16 jets", "vehicles"),
        ("COVID-19 patients filled the wards.", None, None),
        (
            "An air strike killed at least 64 people and wounded 180, health workers said.",
            "180",
            "people",
        ),
        ("The confirmed death toll from the typhoon climbed to 1,774.", "1,774", "people"),
        ("Scores of herders crossed the river.", "Scores of herders", "other"),
        (
            "More than 60,000 Tigrayans have crossed into Sudan.",
            "More than 60,000 Tigrayans",
            "people",
        ),
        ("Around 400 riot police guarded the square.", "Around 400 riot police", "troops"),
        ("Haiyan death toll tops 1,700 as aid trickles in", "tops 1,700", "people"),
        (
            "The population fell to 4.1 million people after the war.",
            "4.1 million people",
            "people",
        ),
        ("About 3,000 flee Calais as the camp is cleared", "About 3,000", "people"),
        (
            "Troops captured 180 militants, Doctors Without Borders said.",
            "180 militants",
            "combatants",
        ),
        (
            "The siege ended in July. Tens of thousands have since fled the district.",
            "Tens of thousands",
            "people",
        ),
    ],
)
def test_grammar_learned_from_unseen_house_styles(
    grammar: FigureGrammar, sentence: str, span: str | None, category: str | None
) -> None:
    found = [(f.span, f.category) for f in figures_in(sentence, grammar)]
    wanted = [] if span is None else [(span, category)]
    assert [f for f in found if span is None or f[0] == span] == wanted, found


def test_a_day_earlier_follows_the_last_date_the_text_gave(grammar: FigureGrammar) -> None:
    text = (
        "The first convoy left on Wednesday, officials said. "
        "A day earlier, 300 fighters surrendered to the SDF."
    )
    [figure] = figures_in(text, grammar, published=date(2019, 2, 23))
    assert figure.event_date == date(2019, 2, 19)


@pytest.mark.parametrize(
    "text",
    [
        "Rescuers reached the islandâ€™s coast as 155 people were pulled from the water.",
        "The bomber struck on Thursday � killing 13 service members, officials said.",
        "Officials said\r\nabout 300 IS fighters remain.\r\n",
    ],
)
def test_mojibake_replacement_characters_and_crlf_are_tolerated(
    grammar: FigureGrammar, text: str
) -> None:
    [figure] = figures_in(text, grammar)
    assert text[figure.char_start : figure.char_end] == figure.span
    assert figure.value_low in (155, 13, 300)


def test_a_figure_id_is_its_document_and_offsets() -> None:
    assert figure_id("d1", 3, 10) == hashlib.sha256(b"d1:3:10").hexdigest()[:16]
    assert figure_id("d1", 3, 10) != figure_id("d2", 3, 10) != figure_id("d1", 3, 11)


def test_a_pronoun_or_a_quote_takes_the_speaker_named_before(grammar: FigureGrammar) -> None:
    text = (
        "Mustafa Bali said the battle was over. He said 300 fighters surrendered. "
        "“About 200 more left today.”\n\n"
        "“Another 40 fled,” a witness said.\n\n"
        "“Some 50 civilians remain.”"
    )
    found = extract_figures(text, lines(text), date(2019, 3, 5), grammar)
    assert [(f.span, f.attribution) for f in found] == [
        ("300 fighters", "Mustafa Bali"),
        ("About 200 more", "Mustafa Bali"),
        ("Another 40", "a witness"),
        # A quote in a paragraph of its own, with no speaker there: unattributed.
        ("Some 50 civilians", None),
    ]


def test_only_the_content_lines_are_read(grammar: FigureGrammar) -> None:
    text = "READ: 10 Daesh members executed\nSome 200 fighters surrendered."
    content = [lines(text)[1]]
    assert [f.span for f in extract_figures(text, content, None, grammar)] == ["Some 200 fighters"]
    assert len(figures_in(text, grammar)) == 2


def test_date_expressions_are_resolved_as_the_figures_resolve_them(
    grammar: FigureGrammar,
) -> None:
    text = "The first convoy left on Wednesday. A day earlier, 300 fighters surrendered."
    found = date_expressions(text, lines(text), date(2019, 2, 23), grammar)
    assert [(d.text, d.value) for d in found] == [
        ("on Wednesday", date(2019, 2, 20)),
        ("A day earlier", date(2019, 2, 19)),
    ]
