"""Extract stage: the metadata and figures of one decoded article, by the declared grammar."""

from newsfigures.extract.extractor import ExtractedDocument, Extractor

__all__ = ["ExtractedDocument", "Extractor"]
