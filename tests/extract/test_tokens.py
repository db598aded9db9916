"""Tokens: words, numbers and punctuation with their offsets into the text."""

from __future__ import annotations

from newsfigures.extract.tokens import tokenize


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
