"""The plain-text reader: an article file's bytes, decoded, or the reason they cannot be one."""

from __future__ import annotations

from collections.abc import Iterable

from newsfigures.config.settings import Ingest
from newsfigures.sources.records import FileReject, RawDocument, content_id


def decode(data: bytes, encodings: Iterable[str]) -> tuple[str, str] | None:
    """The text and the first encoding that decodes all of it, or None."""
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        # A UTF-8 byte order mark is an encoding artefact, not text.
        return text.removeprefix("\ufeff"), encoding
    return None


def read_text(
    data: bytes, source: str, size: int, mtime: int, settings: Ingest
) -> RawDocument | FileReject:
    """One article's bytes as text, or why they are not article text."""
    if not data.strip():
        return FileReject(
            source, "file_empty", "the file is empty or only white space", size, mtime
        )
    if b"\x00" in data[:8192]:
        reason = "the file is binary (contains NUL bytes), not text"
        return FileReject(source, "file_binary", reason, size, mtime)
    head = data[:1024].lstrip().lower()
    if any(head.startswith(m.encode()) for m in settings.html_markers):
        reason = "an HTML page, not article text (save the article's text instead)"
        return FileReject(source, "file_html", reason, size, mtime)
    decoded = decode(data, settings.encodings)
    if decoded is None:
        reason = f"the bytes are not valid in any of: {', '.join(settings.encodings)}"
        return FileReject(source, "file_undecodable", reason, size, mtime)
    text, encoding = decoded
    return RawDocument(source, content_id(data), text, encoding, len(data), mtime)
