"""Doubtful publication dates.

A page often carries a date that is not the story's: a later "page updated" date, or the
date a syndicated copy was republished. Two signs, with thresholds from config/bounds.yml
(`suspect_dates`):

- in the text: the header date is long after the latest year-less date the text gives
  ("on February 16" is written only of recent days);
- across documents: the text shares sentences with another document dated long before it
  (seeds 003 and 004 share sentences nine months apart).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from newsfigures.extract.dates import DateGrammar
from newsfigures.extract.text import Segment

_WORD = re.compile(r"\w+")


def sentence_fingerprints(text: str, sentences: Iterable[Segment], min_words: int) -> list[int]:
    """Stable hashes of the text's long sentences (`sentence_hash`), to find the documents
    that share them."""
    found = set()
    for sentence in sentences:
        words = _WORD.findall(sentence.of(text).lower())
        if len(words) >= min_words:
            found.add(_words_hash(words))
    return sorted(found)


@lru_cache(maxsize=64)  # a sentence with several figures is hashed once
def sentence_hash(sentence: str) -> int:
    """A stable 64-bit hash of a sentence, insensitive to case, punctuation and spacing (so
    "IS fighters - some" and "IS fighters � some" are the same sentence): the same sentence
    in another document, a syndicated copy, has the same hash."""
    return _words_hash(_WORD.findall(sentence.lower()))


def _words_hash(words: list[str]) -> int:
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def date_after_text(
    text: str,
    lines: Iterable[Segment],
    published: date | None,
    grammar: DateGrammar,
    max_days: int,
) -> str | None:
    """The reason to doubt `published` when the dates the text gives without a year ("on
    February 16"), which news copy uses only for recent days, all lie long before it.

    Dates with a year are left out: "the siege began on April 14, 2014" is background."""
    if published is None:
        return None
    # Only lines naming a month can hold such a date: the rest are not searched.
    months = [m.start() for m in grammar.any_month.finditer(text)]
    if not months:
        return None
    recent = [
        d
        for line in lines
        if bisect_left(months, line.start) < len(months)
        and months[bisect_left(months, line.start)] < line.end
        for d in grammar.find_partial(text, line.start, line.end, published)
        if d.value is not None
    ]
    if not recent:
        return None
    latest = max(recent, key=lambda d: d.value)
    gap = (published - latest.value).days
    if gap > max_days:
        return (
            f"dated {published}, {gap} days after the latest day its text names "
            f"({latest.text!r} -> {latest.value})"
        )
    return None
