"""Figures stage: the grammar of counts, what is not a count, entities, events and dates."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from newsfigures.config import Project
from newsfigures.extract.figures import Figure, extract_figures
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.text import Segment
from newsfigures.extract.tokens import tokenize


@pytest.fixture(scope="module")
def grammar(project: Project) -> FigureGrammar:
    return FigureGrammar(project)


def test_tokens_and_their_kinds() -> None:
    text = "Some 1,500 U.S.-led troops, F-16s and 1.5m people — don’t 4.1 x"
    found = [(t.text, t.is_number, t.is_word, t.suffix) for t in tokenize(text)]
    assert found == [
        ("Some", False, True, None),
        ("1,500", True, False, None),
        ("U.S.", False, True, None),
        ("-", False, False, None),
        ("led", False, True, None),
        ("troops", False, True, None),
        (",", False, False, None),
        ("F-16s", False, True, None),
        ("and", False, True, None),
        ("1.5", True, False, "m"),
        ("people", False, True, None),
        ("—", False, False, None),
        ("don’t", False, True, None),
        ("4.1", True, False, None),
        ("x", False, True, None),
    ]
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text


def figures_in(text: str, grammar: FigureGrammar, published: date | None = None) -> list[Figure]:
    return extract_figures(text, [Segment(0, len(text))], published, grammar)


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


@pytest.mark.parametrize(
    "sentence",
    [
        "Britain stripped the citizenship of a 19-year-old who joined IS in 2015.",
        "Numbers increased during the last 20 days of the operation.",
        "More than four years after the caliphate was declared, it fell.",
        "The eight-year war has displaced half the population.",
        "Turnout was 40 percent, up from 12% last year.",
        "The donors pledged $3 million and 2 million euros.",
        "The camp lies 15 km from the border.",
        "The second evacuation began on March 5, 2019 at 1:24 am.",
        "Call +44 20 7946 0958 for details.",
        "One resident said the crossings were not safe.",
        "A magnitude 7.8 earthquake struck at 04:17.",
    ],
)
def test_non_figures_are_left_out(grammar: FigureGrammar, sentence: str) -> None:
    assert [f.span for f in figures_in(sentence, grammar)] == []


def test_implied_entity_comes_from_the_closest_noun_before(grammar: FigureGrammar) -> None:
    text = (
        "Some 200 Daesh fighters surrendered, but around 1,000 may still be holding out. "
        "As many as 2,000 people made it out. But he said possibly 1,000 more remain."
    )
    found = {f.span: f for f in figures_in(text, grammar)}
    assert found["around 1,000"].entity == "fighters" and found["around 1,000"].entity_implied
    assert found["around 1,000"].event == "remain"
    assert found["possibly 1,000 more"].category == "people"


def test_events_follow_the_nearest_cue(grammar: FigureGrammar) -> None:
    cases = {
        "Regime rocket fire killed four civilians.": "kill",
        "The SDF had captured around 800 foreign insurgents.": "detain",
        "The promised withdrawal of some 2,000 troops who have deployed into Syria.": "withdraw",
        "Dozens of trucks headed towards the village.": None,
    }
    for sentence, event in cases.items():
        assert figures_in(sentence, grammar)[0].event == event, sentence


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


def test_provenance_who_where_and_whose(grammar: FigureGrammar) -> None:
    text = (
        "Mostafa Bali, head of the SDF media office, said some 200 Daesh fighters had left Baghuz. "
        "In the past three days the terrorists endured casualties, he told Reuters. "
        "“About 200 terrorists surrendered today.” "
        "Regime fire killed four civilians in Khan Sheikhun, according to the Syrian Observatory for Human Rights."
    )
    found = {f.span: f for f in figures_in(text, grammar)}
    fighters = found["some 200 Daesh fighters"]
    assert (fighters.attribution, fighters.place, fighters.affiliation) == (
        "Mustafa Bali",
        "Baghouz",
        "Islamic State",
    )
    assert found["four civilians"].attribution == "the Syrian Observatory for Human Rights"
    assert found["four civilians"].place == "Khan Sheikhun"


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


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("Hundreds of foreigners, wounded Palestinians and others crossed into Egypt.", "flee"),
        ("Divers recovered 111 bodies from the sea.", "kill"),
        ("Boko Haram still holds 197 girls in captivity.", "detain"),
        ("Britain airlifted about 3,200 people from Kabul.", "evacuate"),
    ],
)
def test_events_from_verbs_before_adjectives_and_from_the_counted_noun(
    grammar: FigureGrammar, sentence: str, event: str
) -> None:
    assert figures_in(sentence, grammar)[0].event == event


def test_range_frames_are_read_from_the_vocabulary(project: Project) -> None:
    vocabulary = project.vocabulary.model_copy(update={"range_frames": {"from": "through"}})
    edited = FigureGrammar(dataclasses.replace(project, vocabulary=vocabulary))
    text = "From 300 through 500 people fled, and between 10 and 20 soldiers died."
    spans = [(f.span, f.value_low, f.value_high) for f in figures_in(text, edited)]
    assert spans[0] == ("From 300 through 500 people", 300, 500)
    # "between" is no longer a range frame: only "20 soldiers" is a figure there.
    assert ("10 and 20 soldiers", 10, 20) not in spans
    assert all("between" not in span for span, _, _ in spans)
