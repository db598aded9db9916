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
from typing import Any

import duckdb
import pyarrow

from newsfigures.dates import DateGrammar
from newsfigures.text import Segment

_NOT_WORD = re.compile(r"[^\w]+")


def sentence_fingerprints(text: str, sentences: Iterable[Segment], min_words: int) -> list[int]:
    """Stable hashes of the text's long sentences, insensitive to case, punctuation and
    spacing (so "IS fighters - some" and "IS fighters � some" are the same sentence)."""
    found = set()
    for sentence in sentences:
        words = _NOT_WORD.sub(" ", sentence.of(text).lower()).split()
        if len(words) >= min_words:
            digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
            found.add(int.from_bytes(digest, "big", signed=True))
    return sorted(found)


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


def syndicated_query(settings: dict[str, Any]) -> str:
    """SQL giving (doc_id, reason) for each target document sharing sentences with one dated
    long before it, over two relations the caller provides:

    - `syndication_documents(doc_id, source_file, published_date, target)`: the documents
      that may be compared (a reason is given only to `target` ones);
    - `syndication_sentences(doc_id, sentence_hash)`: their long sentences (documents may
      have sentences and no row in `syndication_documents`: they count towards how many
      documents share a sentence, and are never a match).

    Two documents match when they share at least `min_shared_sentences` sentences, each found
    in at most `max_docs_per_shared_sentence` documents (a sentence in every document is
    boilerplate), and their dates are more than `max_days_apart` days apart; the later one
    gets the reason, naming the earlier. A document matching several earlier ones is given
    the first pair's reason, pairs ordered by their (smaller, larger) doc_id."""
    max_apart = int(settings.get("max_days_apart", 30))
    min_shared = int(settings.get("min_shared_sentences", 2))
    max_docs = int(settings.get("max_docs_per_shared_sentence", 50))
    return f"""
        WITH sentences AS (
            SELECT DISTINCT doc_id, sentence_hash FROM syndication_sentences
        ),
        common AS (
            SELECT sentence_hash FROM sentences
            GROUP BY sentence_hash HAVING count(*) BETWEEN 2 AND {max_docs}
        ),
        candidates AS (
            SELECT * FROM sentences WHERE sentence_hash IN (SELECT sentence_hash FROM common)
        ),
        shared AS (
            SELECT x.doc_id AS a, y.doc_id AS b, count(*) AS n
            FROM candidates x JOIN candidates y
                ON x.sentence_hash = y.sentence_hash AND x.doc_id < y.doc_id
            GROUP BY ALL
            HAVING count(*) >= {min_shared}
        ),
        pairs AS (
            SELECT
                s.a, s.b, s.n,
                -- the later of the two; the first of the pair when both have the same date
                CASE WHEN da.published_date <= db.published_date THEN db ELSE da END AS later,
                CASE WHEN da.published_date <= db.published_date THEN da ELSE db END AS earlier
            FROM shared s
            JOIN syndication_documents da ON da.doc_id = s.a
            JOIN syndication_documents db ON db.doc_id = s.b
            WHERE da.published_date IS NOT NULL AND db.published_date IS NOT NULL
        )
        SELECT
            later.doc_id AS doc_id,
            'shares ' || n || ' sentences with ' || earlier.source_file || ', dated '
                || CAST(earlier.published_date AS VARCHAR) || ' ('
                || (later.published_date - earlier.published_date) || ' days earlier)'
                AS reason
        FROM pairs
        WHERE later.target AND later.published_date - earlier.published_date > {max_apart}
        QUALIFY row_number() OVER (PARTITION BY later.doc_id ORDER BY a, b) = 1
    """


def sentence_table(fingerprints: dict[str, list[int]]) -> pyarrow.Table:
    """(doc_id, sentence_hash) rows of in-memory fingerprints."""
    return pyarrow.table(
        {
            "doc_id": pyarrow.array(
                [d for d, hashes in fingerprints.items() for _ in hashes], pyarrow.string()
            ),
            "sentence_hash": pyarrow.array(
                [h for hashes in fingerprints.values() for h in hashes], pyarrow.int64()
            ),
        }
    )


def syndicated_dates(
    documents: list[dict[str, Any]], fingerprints: dict[str, list[int]], settings: dict[str, Any]
) -> dict[str, str]:
    """doc_id -> reason, for each document sharing sentences with one dated long before it
    (`syndicated_query` over documents and their fingerprints held in memory)."""
    docs = pyarrow.table(
        {
            "doc_id": [d["doc_id"] for d in documents],
            "source_file": [d["source_file"] for d in documents],
            "published_date": pyarrow.array(
                [d["published_date"] for d in documents], pyarrow.date32()
            ),
            "target": [True] * len(documents),
        }
    )
    con = duckdb.connect()
    try:
        con.register("syndication_documents", docs)
        con.register("syndication_sentences", sentence_table(fingerprints))
        rows = con.execute(syndicated_query(settings) + " ORDER BY doc_id").fetchall()
    finally:
        con.close()
    return dict(rows)
