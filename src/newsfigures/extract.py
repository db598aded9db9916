"""Run the text stages (metadata, then figures) over one decoded document.

The grammars are compiled once per project and reused for every document of a run.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfigures.config import Project
from newsfigures.figures import Figure, FigureGrammar, extract_figures
from newsfigures.ingest import RawDocument
from newsfigures.metadata import DocumentMetadata, MetadataRules, extract_metadata


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    raw: RawDocument
    metadata: DocumentMetadata
    figures: list[Figure]


class Extractor:
    """Metadata and figure grammars of one project, compiled once."""

    def __init__(self, project: Project):
        self.project = project
        self.metadata_rules = MetadataRules(project)
        self.figure_grammar = FigureGrammar(project)

    def extract(self, raw: RawDocument) -> ExtractedDocument:
        meta = extract_metadata(raw.text, self.metadata_rules)
        figures = extract_figures(
            raw.text, meta.content_lines, meta.published_date, self.figure_grammar
        )
        return ExtractedDocument(raw, meta, figures)
