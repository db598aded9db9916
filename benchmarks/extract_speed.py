"""Time per article of the text stages (metadata + figures) on the annotated articles: real
house styles and real-shaped sentences, the text the speed bar of the grammar is measured on.

    .venv/bin/python benchmarks/extract_speed.py [--repeat 20]

Prints the number of articles and figures, and the median and best ms per article over the
repeats (each repeat extracts every article once, with one compiled extractor)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ("seeds", "tests/annotations/corpus/articles", "tests/annotations/holdout/articles")
SETS += ("tests/annotations/blind/articles",)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from newsfigures.config import load_project
    from newsfigures.extract import Extractor
    from newsfigures.sources.folder import discover
    from newsfigures.sources.read import read_file
    from newsfigures.sources.records import RawDocument

    project = load_project(ROOT)
    extractor = Extractor(project)
    documents = [
        raw
        for folder in SETS
        for name in discover(ROOT / folder, project.settings.ingest.exclude)
        if isinstance(
            raw := read_file(ROOT / folder / name, ROOT / folder, project.settings.ingest),
            RawDocument,
        )
    ]
    figures = sum(len(extractor.extract(raw).figures) for raw in documents)
    per_article = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for raw in documents:
            extractor.extract(raw)
        per_article.append((time.perf_counter() - started) * 1000 / len(documents))
    print(
        f"{len(documents)} articles, {figures} figures: metadata + figures "
        f"{statistics.median(per_article):.3f} ms/article median, {min(per_article):.3f} best "
        f"({args.repeat} repeats)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
