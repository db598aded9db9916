"""Tokens: words, numbers and punctuation with their offsets into the text, and the phrase
tables the grammar looks words up in (longest phrase first)."""

from __future__ import annotations

import pytest

from newsfigures.extract.tokens import PhraseTable, tokenize


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


def test_tokens_of_a_stretch_of_the_text_keep_the_text_s_offsets() -> None:
    text = "Officials said 200 fighters left."
    tokens = tokenize(text, text.index("200"), text.index(" left"))
    assert [(t.text, t.start, t.end) for t in tokens] == [("200", 15, 18), ("fighters", 19, 27)]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # A scale suffix stays on its number, not as a word; the token's text is the digits.
        ("1.5bn dollars and 10km away", [("1.5", "bn"), ("10", "km")]),
        ("2,000,000 people", [("2,000,000", None)]),
        # Thousands groups have three digits: "1,50" is two numbers.
        ("1,50", [("1", None), ("50", None)]),
    ],
)
def test_numbers_and_their_suffixes(text: str, numbers: list[tuple[str, str | None]]) -> None:
    assert [(t.text, t.suffix) for t in tokenize(text) if t.is_number] == numbers


@pytest.fixture
def nouns() -> PhraseTable:
    table = PhraseTable(plural_last_word=True)
    for phrase, category in [
        ("fighter", "combatants"),
        ("foreign fighter", "foreign"),
        ("militia", "combatants"),
        ("bus", "vehicles"),
        ("U.S. troop", "troops"),
        ("family", "civilians"),
    ]:
        table.add(phrase, category)
    return table


def test_the_longest_phrase_wins(nouns: PhraseTable) -> None:
    tokens = tokenize("Some foreign fighters and fighters")
    assert nouns.match(tokens, 1) == (2, "foreign")
    assert nouns.match(tokens, 2) == (1, "combatants")
    assert nouns.match(tokens, 0) is None


def test_the_last_word_of_a_phrase_matches_its_plurals_in_any_case(nouns: PhraseTable) -> None:
    tokens = tokenize("Militias, BUSES, families and 2,000 U.S. troops")
    found = {t.text: nouns.match(tokens, i) for i, t in enumerate(tokens)}
    assert found["Militias"] == (1, "combatants")
    assert found["BUSES"] == (1, "vehicles")
    assert found["families"] == (1, "civilians")
    assert found["U.S."] == (2, "troops")
    assert found["and"] is None


def test_a_table_without_plurals_matches_the_phrase_as_declared() -> None:
    cues = PhraseTable()
    cues.add("surrendered", "surrender")
    cues.add("handed themselves over", "surrender")
    tokens = tokenize("They handed themselves over; others surrendereds")
    assert cues.match(tokens, 1) == (3, "surrender")
    assert tokens[6].text == "surrendereds" and cues.match(tokens, 6) is None
    # A phrase cut short by the end of the tokens is no match.
    assert cues.match(tokenize("They handed themselves"), 1) is None
    assert cues.match(tokens, len(tokens)) is None
    assert cues.first_words() == {"surrendered", "handed"}
