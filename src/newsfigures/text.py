"""Text geometry shared by the stages: lines, sentences and words, all as offsets into the
decoded original text, so every extracted span can be traced back with text[start:end]."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n]*")
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text: [start, end) offsets into the document."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def lines(text: str) -> list[Segment]:
    """Every line (without its line ending), including blank ones, in order."""
    found = []
    pos = 0
    length = len(text)
    while pos <= length:
        match = _LINE.match(text, pos)
        end = match.end()
        found.append(Segment(pos, end))
        if end >= length:
            break
        pos = end + (2 if text.startswith("\r\n", end) else 1)
    return found


def stripped(text: str, segment: Segment) -> Segment:
    """The segment without its leading and trailing white space."""
    chunk = segment.of(text)
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    return Segment(segment.start + left, segment.start + max(left, right))


def word_count(chunk: str) -> int:
    return len(_WORD.findall(chunk))


class SentenceSplitter:
    """Split a paragraph into sentences at . ! ? followed by a capitalised word or a quote,
    except after declared abbreviations ("Col.", "U.S.", "Feb.")."""

    def __init__(self, abbreviations: Iterable[str]):
        names = sorted({re.escape(a.rstrip(".")) for a in abbreviations}, key=len, reverse=True)
        self._abbreviation = re.compile(r"(?:^|[\s(\"“])(?:" + "|".join(names) + r")\.$")
        self._boundary = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")

    def split(self, text: str, segment: Segment) -> Iterator[Segment]:
        start = segment.start
        for match in self._boundary.finditer(text, segment.start, segment.end):
            head = text[max(start, match.start() - 12) : match.start() + 1]
            if self._abbreviation.search(head):
                continue
            end = match.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                yield Segment(start, end)
            start = match.end()
        if start < segment.end:
            yield stripped(text, Segment(start, segment.end))
