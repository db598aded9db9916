"""Score extraction against gold annotation files (docs/ANNOTATION.md).

Matching rule: a predicted figure matches a gold figure when their spans overlap and their
low/high agree; for a vague gold figure, the predicted low must lie within the gold range.
Each gold figure matches at most one prediction. Gold figures marked `required: false`
(counts of things other than people and vehicles) are neither rewarded nor penalised, and
neither is an unmatched prediction whose category is `other`, by the same convention.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfigures.config import Project
from newsfigures.config.settings import Ingest
from newsfigures.extract import ExtractedDocument, Extractor
from newsfigures.extract.dates import FoundDate
from newsfigures.extract.figures import Figure, date_expressions
from newsfigures.sources.read import read_file
from newsfigures.sources.records import RawDocument

METADATA_FIELDS = ("title", "published_date", "outlet", "agencies", "dateline")


@dataclass
class GoldFigure:
    start: int
    end: int
    low: int
    high: int
    qualifier: str
    category: str
    event: str | None
    required: bool
    span: str
    # The day the event happened, where the annotation gives one ("" when it says nothing).
    event_date: str | None = ""

    @classmethod
    def from_entry(cls, entry: dict[str, Any], start: int, end: int) -> GoldFigure:
        """A gold file's figure entry, located at [start, end) in the text."""
        return cls(
            start,
            end,
            int(entry["low"]),
            int(entry["high"]),
            entry["qualifier"],
            entry["category"],
            entry.get("event"),
            bool(entry.get("required", True)),
            entry["span"],
            entry.get("event_date", ""),
        )


@dataclass
class DocumentScore:
    name: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    neutral: int = 0
    qualifier_agree: int = 0
    category_agree: int = 0
    event_agree: int = 0
    matched: int = 0
    dates_total: int = 0
    dates_correct: int = 0
    event_dates_total: int = 0
    event_dates_correct: int = 0
    # Matched figures given a date where the annotation says the text gives none.
    event_dates_spurious: int = 0
    # (gold event, predicted event) -> matched figures
    events: Counter = field(default_factory=Counter)
    metadata: dict[str, bool] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


@dataclass
class Score:
    documents: list[DocumentScore]

    def total(self, name: str) -> int:
        return sum(getattr(d, name) for d in self.documents)

    @property
    def precision(self) -> float:
        tp, fp = self.total("true_positives"), self.total("false_positives")
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = self.total("true_positives"), self.total("false_negatives")
        return tp / (tp + fn) if tp + fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def agreement(self, name: str) -> float:
        matched = self.total("matched")
        return self.total(name) / matched if matched else 1.0

    def metadata_accuracy(self, name: str) -> float:
        values = [d.metadata[name] for d in self.documents if name in d.metadata]
        return sum(values) / len(values) if values else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_positives": self.total("true_positives"),
            "false_positives": self.total("false_positives"),
            "false_negatives": self.total("false_negatives"),
            "neutral": self.total("neutral"),
            "qualifier_agreement": round(self.agreement("qualifier_agree"), 4),
            "category_agreement": round(self.agreement("category_agree"), 4),
            "event_agreement": round(self.agreement("event_agree"), 4),
            **{f"{f}_accuracy": round(self.metadata_accuracy(f), 4) for f in METADATA_FIELDS},
            "event_date_accuracy": round(
                self.total("event_dates_correct") / max(1, self.total("event_dates_total")), 4
            ),
            "event_dates": self.total("event_dates_total"),
            "event_dates_spurious": self.total("event_dates_spurious"),
            "relative_dates": self.total("dates_total"),
            "relative_date_accuracy": round(
                self.total("dates_correct") / max(1, self.total("dates_total")), 4
            ),
        }


def load_gold(path: Path, text: str) -> tuple[dict[str, Any], list[GoldFigure]]:
    """The gold file's metadata and figures, each figure located in the text."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    figures = []
    seen: dict[str, int] = {}
    for entry in gold["figures"]:
        span = entry["span"]
        occurrence = entry.get("occurrence") or seen.get(span, 0) + 1
        seen[span] = occurrence
        start = -1
        for _ in range(occurrence):
            start = text.find(span, start + 1)
        if start < 0:
            raise ValueError(f"{path}: span {span!r} (occurrence {occurrence}) is not in the text")
        figures.append(GoldFigure.from_entry(entry, start, start + len(span)))
    return gold["doc"], figures


def agrees(predicted: Figure, gold: GoldFigure) -> bool:
    if predicted.char_start >= gold.end or gold.start >= predicted.char_end:
        return False
    if gold.qualifier == "vague":
        return gold.low <= predicted.value_low <= gold.high
    return predicted.value_low == gold.low and predicted.value_high == gold.high


def score_dates(
    result: DocumentScore, text: str, gold_dates: dict[str, str], found: list[FoundDate]
) -> None:
    """Each gold date phrase against the expression the pipeline resolved at that place."""
    for phrase, expected in gold_dates.items():
        start = text.find(phrase)
        if start < 0:
            start = text.lower().find(phrase.lower())
        result.dates_total += 1
        end = start + len(phrase)
        hit = next((d for d in found if d.start < end and start < d.end), None)
        if hit is not None and hit.value is not None and hit.value.isoformat() == expected:
            result.dates_correct += 1
        else:
            got = hit.value.isoformat() if hit and hit.value else None
            result.disagreements.append(f"date {phrase!r}: got {got}, gold {expected}")


def score_document(
    name: str, doc_gold: dict[str, Any], gold: list[GoldFigure], extracted: ExtractedDocument
) -> DocumentScore:
    result = DocumentScore(name)
    meta = extracted.metadata
    predicted_meta = {
        "title": meta.title,
        "published_date": meta.published_date.isoformat() if meta.published_date else None,
        "outlet": meta.outlet,
        "agencies": sorted(meta.agencies),
        "dateline": meta.dateline,
    }
    for key in METADATA_FIELDS:
        if key in doc_gold:
            expected = sorted(doc_gold[key]) if key == "agencies" else doc_gold[key]
            result.metadata[key] = predicted_meta[key] == expected
            if not result.metadata[key]:
                result.disagreements.append(
                    f"{key}: got {predicted_meta[key]!r}, gold {expected!r}"
                )

    unmatched = list(extracted.figures)
    for g in gold:
        match = next((p for p in unmatched if agrees(p, g)), None)
        if match is None:
            if g.required:
                result.false_negatives += 1
                result.misses.append(f"{g.span!r} ({g.low}-{g.high} {g.qualifier})")
            continue
        unmatched.remove(match)
        if not g.required:
            result.neutral += 1
            continue
        result.true_positives += 1
        result.matched += 1
        result.qualifier_agree += match.qualifier == g.qualifier
        result.category_agree += match.category == g.category
        result.event_agree += match.event == g.event
        result.events[(g.event, match.event)] += 1
        _score_event_date(result, g, match)
        for attr, expected in (
            ("qualifier", g.qualifier),
            ("category", g.category),
            ("event", g.event),
        ):
            if getattr(match, attr) != expected:
                result.disagreements.append(
                    f"{g.span!r}: {attr} {getattr(match, attr)!r}, gold {expected!r}"
                )
    for p in unmatched:
        if p.category == "other":
            result.neutral += 1
        else:
            result.false_positives += 1
            result.extras.append(
                f"{p.span!r} ({p.value_low}-{p.value_high} {p.qualifier} {p.category})"
            )
    return result


def _score_event_date(result: DocumentScore, gold: GoldFigure, match: Figure) -> None:
    if gold.event_date == "":
        return  # this annotation does not give event dates
    predicted = match.event_date.isoformat() if match.event_date else None
    if gold.event_date is None:
        result.event_dates_spurious += predicted is not None
        return
    result.event_dates_total += 1
    result.event_dates_correct += predicted == gold.event_date
    if predicted != gold.event_date:
        result.disagreements.append(
            f"{gold.span!r}: event_date {predicted}, gold {gold.event_date}"
        )


def confusion(score: Score) -> Counter:
    """(gold event, predicted event) -> matched figures, over every document."""
    total: Counter = Counter()
    for document in score.documents:
        total.update(document.events)
    return total


def format_confusion(score: Score) -> list[str]:
    """The event confusion table: a row per gold event, a column per predicted event."""
    table = confusion(score)
    events = sorted({e for pair in table for e in pair}, key=lambda e: (e is None, e or ""))
    names = [e or "-" for e in events]
    width = max(len(n) for n in names) if names else 5
    lines = ["events    gold (rows) x predicted (columns); - is no event"]
    lines.append(" " * (width + 2) + " ".join(f"{n[:6]:>6}" for n in names))
    for gold in events:
        counts = " ".join(f"{table.get((gold, p), 0) or '.':>6}" for p in events)
        lines.append(f"{(gold or '-'):>{width}}  {counts}")
    return lines


def gold_articles(
    articles_dir: Path, gold_dir: Path, settings: Ingest
) -> Iterator[tuple[Path, RawDocument]]:
    """Each gold file of `gold_dir` with its article from `articles_dir` (same name, any
    extension), decoded as the pipeline ingests it."""
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        raise ValueError(f"{gold_dir}: no gold files (*.json)")
    for gold_path in gold_files:
        candidates = [p for p in articles_dir.glob(gold_path.stem + ".*") if p.suffix != ".json"]
        if not candidates:
            raise ValueError(f"{gold_path}: no article named {gold_path.stem}.* in {articles_dir}")
        raw = read_file(candidates[0], articles_dir, settings)
        if not isinstance(raw, RawDocument):
            raise ValueError(f"{candidates[0]}: {raw.reason}")
        yield gold_path, raw


def score_folder(project: Project, articles_dir: Path, gold_dir: Path) -> Score:
    """Score every article in `articles_dir` that has a gold file of the same name."""
    extractor = Extractor(project)
    settings = project.settings.ingest
    documents = []
    for gold_path, raw in gold_articles(articles_dir, gold_dir, settings):
        doc_gold, figures = load_gold(gold_path, raw.text)
        extracted = extractor.extract(raw)
        result = score_document(gold_path.stem, doc_gold, figures, extracted)
        gold_dates = json.loads(gold_path.read_text(encoding="utf-8")).get("dates") or {}
        meta = extracted.metadata
        found = date_expressions(
            raw.text, meta.content_lines, meta.published_date, extractor.figure_grammar
        )
        score_dates(result, raw.text, gold_dates, found)
        documents.append(result)
    return Score(documents)


def format_score(score: Score, verbose: bool = False) -> str:
    lines = [f"{'document':40} {'tp':>4} {'fp':>4} {'fn':>4} {'neutral':>7}  metadata"]
    for d in score.documents:
        meta_ok = sum(d.metadata.values())
        lines.append(
            f"{d.name:40} {d.true_positives:4} {d.false_positives:4} {d.false_negatives:4} "
            f"{d.neutral:7}  {meta_ok}/{len(d.metadata)}"
        )
        if verbose:
            lines += [f"    missed  {m}" for m in d.misses]
            lines += [f"    extra   {e}" for e in d.extras]
            lines += [f"    differs {x}" for x in d.disagreements]
    s = score.as_dict()
    lines += [
        "",
        f"figures   precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}"
        f"  (tp {s['true_positives']}, fp {s['false_positives']}, fn {s['false_negatives']},"
        f" neutral {s['neutral']})",
        f"matched   qualifier {s['qualifier_agreement']:.3f}"
        f"  category {s['category_agreement']:.3f}"
        f"  event {s['event_agreement']:.3f}",
        "metadata  " + "  ".join(f"{f} {s[f + '_accuracy']:.3f}" for f in METADATA_FIELDS),
        f"dates     relative/partial dates resolved {s['relative_date_accuracy']:.3f}"
        f" of {s['relative_dates']}; event dates exact {s['event_date_accuracy']:.3f}"
        f" of {s['event_dates']} (given where the text gives none: {s['event_dates_spurious']})",
    ]
    if verbose:
        lines += ["", *format_confusion(score)]
    return "\n".join(lines)
