"""An article's sidecar: metadata its text does not give, in a JSON file beside it.

    002_geneva.txt          the article ("GENEVA, Oct 3 (Reuters) -": no year)
    002_geneva.meta.json    its sidecar: {"year": 2023}

A sidecar is named like its article with `ingest.sidecar_suffix` in place of the article's
extension; it belongs to every article of that name. It is read with its article
(`RawDocument.sidecar`), listed in the `files` table as `sidecar`, and when it changes,
appears or goes, its article is read again (folder.plan). What a sidecar may hold is the
`Sidecar` model: a key it does not know or a value of the wrong type rejects the sidecar,
with the reason (its article is still read, without it). A new kind of metadata is a new
field here, and the stage that uses it.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Callable
from pathlib import Path

import pydantic
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from newsfigures.config.problems import suggest
from newsfigures.config.settings import Ingest


class Sidecar(BaseModel):
    """What a sidecar may say about its article. Every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The year of a date line written without one ("GENEVA, Oct 3 (Reuters)").
    year: StrictInt | None = Field(default=None, ge=1, le=9999)


def is_sidecar(path: Path, settings: Ingest) -> bool:
    suffix = settings.sidecar_suffix
    return bool(suffix) and path.name.endswith(suffix) and len(path.name) > len(suffix)


def sidecar_of(article: Path, settings: Ingest) -> Path | None:
    """Where the sidecar of `article` would be (None when sidecars are not declared)."""
    suffix = settings.sidecar_suffix
    return article.with_name(article.stem + suffix) if suffix else None


def articles_of(
    sidecar: Path, settings: Ingest, exists: Callable[[Path], bool] = Path.is_file
) -> list[Path]:
    """The articles a sidecar belongs to: the names a reader takes that share its stem.
    `exists`: how to tell a name is there (the plan asks its listing, not the disk)."""
    stem = sidecar.name[: -len(settings.sidecar_suffix or "")]
    found = []
    for pattern in settings.article_patterns:
        if not pattern.startswith("*"):
            continue  # a pattern naming whole files pairs with no stem
        ending = pattern[1:]
        if glob.has_magic(ending):
            candidates = sorted(sidecar.parent.glob(glob.escape(stem) + ending))
        else:
            candidates = [sidecar.parent / (stem + ending)]
        found += [c for c in candidates if c.stem == stem and exists(c)]
    return sorted(set(found))


def parse_sidecar(data: bytes) -> Sidecar | str:
    """The sidecar's metadata, or what is wrong with it (for a person)."""
    try:
        values = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return f"not valid JSON: {exc}"
    if not isinstance(values, dict):
        return 'expected a JSON object such as {"year": 2023}'
    try:
        return Sidecar.model_validate(values)
    except pydantic.ValidationError as exc:
        return "; ".join(_said(error) for error in exc.errors())


def _said(error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        known = suggest(key, Sidecar.model_fields)
        return f"{key!r} is not sidecar metadata{known} (knows: {', '.join(Sidecar.model_fields)})"
    return f"{key}: {error['input']!r}: {error['msg'].lower()}"
