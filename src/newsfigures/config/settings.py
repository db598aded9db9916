"""config/settings.yml (how the engine runs) and config/bounds.yml (what is plausible), as
typed declarations. The files hold every value; a key missing from them is an error, so no
default hides in code."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from newsfigures.config.types import (
    Count,
    Declared,
    Encoding,
    MemorySize,
    PositiveInt,
    RelativePath,
    Word,
    Words,
)


def name_matches(name: str, patterns: Sequence[str]) -> bool:
    """Whether a file name matches any of the shell patterns (as `fnmatch` matches them)."""
    return _any_of(tuple(patterns)).match(os.path.normcase(name)) is not None


@lru_cache(maxsize=256)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    # One expression for the list: the names of every file of a folder are matched against
    # the same few lists.
    translated = [fnmatch.translate(os.path.normcase(p)) for p in patterns]
    return re.compile("|".join(translated) or "(?!)")


# -- settings.yml ------------------------------------------------------------------------------


def _name_ending(value: str) -> str:
    if not value.startswith(".") or "/" in value or len(value) < 2:
        raise ValueError("expected the end of a file name, such as .meta.json")
    return value


class Formats(Declared):
    """The file patterns each reader other than plain text takes (sources/readers.py)."""

    json_lines: Words
    json_array: Words
    csv: Words
    parquet: Words
    html: Words
    warc: Words


class RecordFields(Declared):
    """Which field of an exported record (a JSON object, a CSV row) holds what: for each,
    the names tried in order, the first present and not empty wins."""

    text: Annotated[Words, Field(min_length=1)]
    title: Words
    published: Words
    url: Words
    outlet: Words


class HtmlSettings(Declared):
    """What a web page's metadata is made of (sources/html.py): names are matched without
    regard to case, the first found wins."""

    # <meta property|name|itemprop=...> giving the publication date.
    published_meta: Annotated[Words, Field(min_length=1)]
    # <meta> giving the headline and the site's name.
    title_meta: Words
    site_meta: Words
    # JSON-LD objects of these @types describe the article (datePublished, headline, publisher).
    article_types: Words
    # Between a headline and the site's name in a title ("Headline | Site").
    title_separators: Words


class RefusedFormat(Declared):
    """Files no reader takes but that are articles in another form: quarantined under a
    check name of their own, with advice."""

    patterns: Annotated[Words, Field(min_length=1)]
    advice: Word


class Ingest(Declared):
    # Plain-text articles.
    include: Annotated[Words, Field(min_length=1)]
    formats: Formats
    fields: RecordFields
    html: HtmlSettings
    # Check name (file_pdf, ...) -> the files it names and what to do instead.
    refused: dict[Word, RefusedFormat]
    # Names matching these are not listed at all (editor and system files).
    exclude: Words
    encodings: Annotated[list[Encoding], Field(min_length=1)]
    max_bytes: PositiveInt
    # The same for a file of several records (an export, a web archive).
    max_archive_bytes: PositiveInt
    html_markers: Words
    # NAME<suffix> beside NAME.txt holds the article's metadata (sources/sidecar.py).
    sidecar_suffix: Annotated[str, AfterValidator(_name_ending)] | None

    @model_validator(mode="after")
    def _sidecars_are_not_articles(self) -> Ingest:
        suffix = self.sidecar_suffix
        if suffix and name_matches("name" + suffix, self.include):
            raise ValueError(f"sidecar_suffix {suffix!r} names articles too (include)")
        return self

    def reader_of(self, name: str) -> str | None:
        """The reader a file name calls for: `text`, a format of `formats`, or None."""
        if name_matches(name, self.include):
            return "text"
        for reader, patterns in self.formats:
            if name_matches(name, patterns):
                return reader
        return None

    def refused_as(self, name: str) -> tuple[str, str] | None:
        """The check name and advice of a file in a refused format, or None."""
        for check, refused in self.refused.items():
            if name_matches(name, refused.patterns):
                return check, refused.advice
        return None

    @property
    def article_patterns(self) -> list[str]:
        """Every pattern a reader takes, plain text first."""
        return [*self.include, *(p for _, patterns in self.formats for p in patterns)]


class Batch(Declared):
    size: PositiveInt
    part_size: PositiveInt
    read_ahead: Count


class Execution(Declared):
    task_runner: Literal["auto", "thread", "process", "dask"]
    process_from_files: PositiveInt
    workers: PositiveInt
    dask_address: str | None


class MetadataSettings(Declared):
    header_max_lines: PositiveInt
    body_min_words: PositiveInt
    title_max_words: PositiveInt
    title_min_words: PositiveInt
    title_in_capitals: bool
    chrome_max_chars: PositiveInt
    dateline_max_chars: PositiveInt
    # A year-less date line may take the year of the file's modification time.
    year_from_mtime: bool


def _file_name(value: str) -> str:
    if "/" in value or value in ("", ".", ".."):
        raise ValueError("expected a file name, not a path")
    return value


class Warehouse(Declared):
    database: Annotated[str, AfterValidator(_file_name)]
    state_database: RelativePath
    deleted_files: Literal["retire", "delete"]
    lock_wait_seconds: Annotated[float, Field(ge=0)]
    storage_compatibility_version: Annotated[str, Field(pattern=r"^v\d+\.\d+\.\d+$")] | None
    memory_limit: MemorySize | None
    temp_directory: RelativePath | None
    views: RelativePath
    # Parquet snapshots of this many runs are kept (the newest is `parquet/current`).
    keep_snapshots: PositiveInt


class TextSettings(Declared):
    sentence_max_chars: PositiveInt


class Settings(Declared):
    ingest: Ingest
    text: TextSettings
    batch: Batch
    execution: Execution
    metadata: MetadataSettings
    warehouse: Warehouse


# -- bounds.yml --------------------------------------------------------------------------------


class PublishedDateWindow(Declared):
    earliest: date
    latest: date | Literal["today"]


class SuspectDates(Declared):
    max_days_after_text: PositiveInt
    max_days_apart: Count
    min_sentence_words: PositiveInt
    min_shared_sentences: PositiveInt
    max_docs_per_shared_sentence: PositiveInt


class Bounds(Declared):
    value_bounds: dict[Word, PositiveInt]
    published_date: PublishedDateWindow
    suspect_dates: SuspectDates

    @model_validator(mode="after")
    def _has_default(self) -> Bounds:
        if "default" not in self.value_bounds:
            raise ValueError("value_bounds needs a `default` bound for unlisted categories")
        return self

    def bound_of(self, category: str) -> int:
        return self.value_bounds.get(category, self.value_bounds["default"])
