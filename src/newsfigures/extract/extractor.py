"""Run the text stages (metadata, then figures) over one decoded document.

The grammars are compiled once per project and reused for every document of a run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from newsfigures.config import Project
from newsfigures.extract.figures import Figure, extract_figures
from newsfigures.extract.fingerprints import date_after_text, sentence_fingerprints
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.metadata import (
    DocumentMetadata,
    MetadataRules,
    extract_metadata,
    with_given,
)
from newsfigures.extract.published import year_source
from newsfigures.extract.text import split_sentences
from newsfigures.sources.records import RawDocument


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    raw: RawDocument
    metadata: DocumentMetadata
    figures: list[Figure]
    # Why the publication date is doubtful, from the text alone (see fingerprints.py).
    date_suspect: str | None
    # Hashes of the long sentences, to find the same copy in other documents.
    fingerprints: list[int]


_EXTRACTORS: dict[tuple, Extractor] = {}


class Extractor:
    """Metadata and figure grammars of one project, compiled once."""

    def __init__(self, project: Project):
        self.project = project
        self.metadata_rules = MetadataRules(project)
        self.figure_grammar = FigureGrammar(project)
        suspect = project.bounds.suspect_dates
        self.max_days_after_text = suspect.max_days_after_text
        self.min_sentence_words = suspect.min_sentence_words

    @classmethod
    def of(cls, project: Project) -> Extractor:
        """The project's extractor, compiled once per process and set of declarations."""
        key = (project.root, project.fingerprint, project.today)
        if key not in _EXTRACTORS:
            _EXTRACTORS.clear()
            _EXTRACTORS[key] = cls(project)
        return _EXTRACTORS[key]

    def extract(
        self, raw: RawDocument, seconds: dict[str, float] | None = None
    ) -> ExtractedDocument:
        """Metadata, then figures, of one document; with `seconds`, each stage's time is
        added to it."""
        text, grammar = raw.text, self.figure_grammar
        started = time.perf_counter()
        meta = extract_metadata(text, self.metadata_rules, year_source(raw, self.project))
        meta, guessed = with_given(meta, raw.given)
        lines, published = meta.content_lines, meta.published_date
        middle = time.perf_counter()
        sentences = split_sentences(text, lines, grammar.splitter)
        figures = extract_figures(
            text, lines, published, grammar, sentences, meta.published_date_offset
        )
        ended = time.perf_counter()
        # The document-level signs for the syndication check count as metadata.
        date_suspect = date_after_text(
            text, lines, published, grammar.dates, self.max_days_after_text
        )
        date_suspect = date_suspect or guessed
        fingerprints = sentence_fingerprints(
            text, (sentence for _, sentence in sentences), self.min_sentence_words
        )
        if seconds is not None:
            metadata_seconds = middle - started + time.perf_counter() - ended
            seconds["metadata"] = seconds.get("metadata", 0.0) + metadata_seconds
            seconds["figures"] = seconds.get("figures", 0.0) + ended - middle
        return ExtractedDocument(raw, meta, figures, date_suspect, fingerprints)
