"""The text stages over one decoded document: metadata, then figures, the date doubt and the
sentence fingerprints, with grammars compiled once per project."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from support import SEEDS, edit_file

from newsfigures.config import Project, load_project
from newsfigures.extract import ExtractedDocument, Extractor
from newsfigures.extract.figures import extract_figures
from newsfigures.extract.fingerprints import sentence_fingerprints
from newsfigures.extract.metadata import extract_metadata
from newsfigures.extract.text import split_sentences
from newsfigures.sources.records import RawDocument, content_id

TEXT = (
    "Daesh fighters surrender in eastern Syria\n"
    "March 5, 2019\n\n"
    "Some 200 Daesh fighters surrendered to the SDF on Monday, SDF spokesman Mustafa Bali said, "
    "and around 1,000 may still be holding out in Baghuz.\n"
)


def _raw(text: str, name: str = "a.txt") -> RawDocument:
    return RawDocument(name, content_id(text.encode()), text, "utf-8", len(text.encode()))


def test_a_document_s_metadata_figures_and_fingerprints(extractor: Extractor) -> None:
    raw = _raw(TEXT)
    extracted = extractor.extract(raw)
    assert isinstance(extracted, ExtractedDocument) and extracted.raw is raw
    assert extracted.metadata.title == "Daesh fighters surrender in eastern Syria"
    assert extracted.metadata.published_date == date(2019, 3, 5)
    assert [(f.span, f.event_date) for f in extracted.figures] == [
        ("Some 200 Daesh fighters", date(2019, 3, 4)),
        ("around 1,000", date(2019, 3, 4)),
    ]
    assert extracted.date_suspect is None
    assert len(extracted.fingerprints) == 1  # the one sentence of ten words or more


def test_the_stages_are_those_of_the_modules_run_in_order(
    project: Project, extractor: Extractor
) -> None:
    """The extractor adds nothing of its own: each value is the stage function's."""
    text = (SEEDS / "003_162858cfc94cf061.txt").read_text(encoding="utf-8")
    extracted = extractor.extract(_raw(text))
    meta = extract_metadata(text, extractor.metadata_rules)
    grammar = extractor.figure_grammar
    sentences = split_sentences(text, meta.content_lines, grammar.splitter)
    assert extracted.metadata == meta
    assert extracted.figures == extract_figures(
        text, meta.content_lines, meta.published_date, grammar
    )
    min_words = project.bounds.suspect_dates.min_sentence_words
    assert extracted.fingerprints == sentence_fingerprints(
        text, (s for _, s in sentences), min_words
    )
    assert len(extracted.figures) > 3


def test_a_date_long_after_the_days_the_text_names_is_doubted(extractor: Extractor) -> None:
    text = (
        "Europe urged to take back fighters\n"
        "Sunday, November 17, 2019\n\n"
        "Trump on Saturday, February 16, urged European powers to take back 800 fighters.\n"
    )
    extracted = extractor.extract(_raw(text))
    assert extracted.date_suspect is not None and "274 days" in extracted.date_suspect


def test_the_time_of_each_stage_is_added_to_what_is_given(extractor: Extractor) -> None:
    seconds = {"metadata": 1.0, "ingest": 2.0}
    extractor.extract(_raw(TEXT), seconds)
    extractor.extract(_raw(TEXT), seconds)
    assert set(seconds) == {"metadata", "figures", "ingest"}
    assert seconds["metadata"] > 1.0 and seconds["figures"] > 0 and seconds["ingest"] == 2.0


def test_a_text_without_figures_or_header(extractor: Extractor) -> None:
    extracted = extractor.extract(_raw("No numbers here, officials said on Monday.\n"))
    assert extracted.figures == [] and extracted.fingerprints == []
    assert extracted.metadata.published_date is None and extracted.date_suspect is None


def test_the_extractor_is_compiled_once_per_project_and_declarations(
    project: Project, project_copy: Path
) -> None:
    first = Extractor.of(project)
    assert Extractor.of(project) is first
    assert first.project is project
    assert (first.max_days_after_text, first.min_sentence_words) == (
        project.bounds.suspect_dates.max_days_after_text,
        project.bounds.suspect_dates.min_sentence_words,
    )
    # Other declarations, or another day (relative dates resolve against it): compiled again.
    assert Extractor.of(dataclasses.replace(project, today=date(2001, 1, 1))) is not first
    edit_file(project_copy, "config/bounds.yml", "min_sentence_words: 10", "min_sentence_words: 4")
    edited = Extractor.of(load_project(project_copy))
    assert edited.min_sentence_words == 4
    assert len(edited.extract(_raw("Some 200 men left the town today.")).fingerprints) == 1
