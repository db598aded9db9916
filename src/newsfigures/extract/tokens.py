"""Words, numbers and punctuation as tokens with offsets into the text, and the phrase
tables the grammar looks words up in (longest phrase first)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_LETTER = r"[^\W\d_]"


_TOKEN = re.compile(
    # Every branch opens with a character class, which `re` checks before entering the branch
    # (a named group in front would be entered at every position, spaces included); a
    # token's kind is read from its first character instead.
    # Most tokens are plain words followed by a space: tried first, and taken only when no
    # other reading could start there (atomic, so it never backs off to a shorter word). An
    # ASCII word is tried first: `re` tests an ASCII range faster than the Unicode class,
    # and the branch takes only what the next one would ("café" and "don't" fall through).
    r"[A-Za-z]++(?![\w.'’-])"
    rf"|{_LETTER}(?>{_LETTER}*(?:['’]{_LETTER}+)*)(?![\w.-])"
    # A number ("1,500", "4.1"), with a scale suffix in either case ("1.5m", "300K") kept on it.
    r"|\d(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?(?:[a-zA-Z]{1,2}\b)?"
    r"|[^\w\s]"
    # Initialisms ("U.S.", "U.N.") and codes with digits ("A400M", "F-16", "COVID-19") are
    # single words, not numbers.
    rf"|{_LETTER}\.(?:{_LETTER}\.)+"
    rf"|{_LETTER}+-?\d\w*"
    rf"|{_LETTER}+(?:['’]{_LETTER}+)*",
)


_SUFFIX_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

# A footnote marker glued to a lower-case word ("camps3", "estimates12"): the word is the
# word, the digits are no number. Codes keep their digits: they open with a capital or are
# shorter ("F-16", "A400M", "M23", "mp3").
_FOOTNOTED = re.compile(r"([a-z]{3,})\d{1,2}")


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to build, and there are many
class Token:
    text: str
    lower: str
    start: int
    end: int
    is_number: bool
    suffix: str | None
    # A word (not a number or punctuation): set once here, read in every grammar window.
    is_word: bool


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    found = []
    append = found.append
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        piece = match.group()
        begin = match.start()
        if piece[0].isdecimal():
            # The suffix ("m" in "1.5m") is kept on the number; it is not a word of its own.
            number = piece.rstrip(_SUFFIX_LETTERS)
            suffix = piece[len(number) :].lower() or None
            append(Token(number, number, begin, begin + len(number), True, suffix, False))
        else:
            # A word, or a punctuation mark (the only tokens opening with neither a letter
            # nor a digit).
            word = piece[0].isalnum()
            if word and piece[-1].isdecimal() and (footnoted := _FOOTNOTED.fullmatch(piece)):
                piece = footnoted.group(1)
            append(Token(piece, piece.lower(), begin, begin + len(piece), False, None, word))
    return found


class PhraseTable:
    """Multi-word phrases (as lower-case token tuples) -> a value; longest match wins."""

    def __init__(self, plural_last_word: bool = False):
        self._by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._plural = plural_last_word
        self._lengths: list[int] | None = None

    def add(self, phrase: str, value: Any) -> None:
        self._lengths = None
        words = tuple(t.lower for t in tokenize(phrase))
        variants = {words}
        if self._plural and words[-1].isalpha():
            last = words[-1]
            variants |= {(*words[:-1], last + "s"), (*words[:-1], last + "es")}
            if last.endswith("y"):
                variants.add((*words[:-1], last[:-1] + "ies"))
        for variant in variants:
            entries = self._by_first.setdefault(variant[0], [])
            if all(existing != variant for existing, _ in entries):
                entries.append((variant, value))
                entries.sort(key=lambda e: -len(e[0]))

    def match(self, tokens: list[Token], i: int) -> tuple[int, Any] | None:
        """(length, value) of the longest phrase starting at token i."""
        if i >= len(tokens):
            return None
        entries = self._by_first.get(tokens[i].lower)
        if not entries:
            return None
        for words, value in entries:  # longest first
            n = len(words)
            if n == 1:
                return 1, value
            if i + n <= len(tokens):
                for k in range(1, n):
                    if tokens[i + k].lower != words[k]:
                        break
                else:
                    return n, value
        return None

    def all_at(self, tokens: list[Token], i: int) -> list[tuple[int, Any]]:
        """(length, value) of every phrase starting at token i, longest first."""
        if i >= len(tokens):
            return []
        found = []
        for words, value in self._by_first.get(tokens[i].lower, ()):
            n = len(words)
            if i + n <= len(tokens) and all(tokens[i + k].lower == words[k] for k in range(1, n)):
                found.append((n, value))
        return found

    @property
    def lengths(self) -> list[int]:
        """The phrase lengths (in tokens) the table holds, longest first."""
        if self._lengths is None:
            held = {len(words) for entries in self._by_first.values() for words, _ in entries}
            self._lengths = sorted(held, reverse=True)
        return self._lengths

    def phrases(self) -> list[tuple[tuple[str, ...], Any]]:
        """Every phrase (its lower-case words) with its value."""
        return [entry for entries in self._by_first.values() for entry in entries]

    def first_words(self) -> set[str]:
        return set(self._by_first)
