"""Side-by-side benchmark: newsfigures' figure extraction against quantulum3.

Both tools read the same annotated articles (the seeds, with gold in tests/annotations/seeds;
the annotated sets under tests/annotations/: corpus and holdout, each articles/ + gold/) and are
scored by the project's own scorer,
`newsfigures.scoring.score_document`, so one matching rule applies to both: a prediction
matches a gold figure when their spans overlap and low/high agree (for a vague gold figure the
predicted low must lie within the gold range). Gold figures marked `required: false` and
unmatched predictions of category `other` are neutral, as docs/ANNOTATION.md says. Document
metadata is not compared: only figures.

quantulum3 extracts quantities, not counts, and has no qualifiers, entities or events, so its
output is adapted into figure-like objects:

- value -> low = high = round(value); with an uncertainty (quantulum3's reading of
  "1,000-1,500" or "between 300 and 500") low/high = round(value -/+ uncertainty);
- qualifier `range` when it reports an uncertainty, otherwise `exact` (it never reports
  about / at least / up to);
- quantulum3's unit `dozen` is a count: "Two dozen" (2 dozen) becomes 24;
- category `people` for a bare (`dimensionless`) number or dozens, `other` for any other unit
  (days, years, percent, km, dollars, and the units it misreads, e.g. "2019 at" as
  ampere-turns). `other` is neutral when unmatched, exactly as newsfigures' own `other`
  figures are; a bare number gives no hint of what it counts, so an unmatched one is a false
  positive. A bare number that matches a `required: false` gold figure ("54 countries") is
  neutral, as for newsfigures. Matching reads spans and values only, so a count quantulum3
  gives a wrong unit ("5,400 U" as atomic mass units) still matches.

quantulum3 reads the whole article text: it has no notion of page chrome, so numbers in link
lines and captions count against it, as they would against newsfigures if it did not skip them.

Timing covers the extraction call only (newsfigures: `Extractor.extract`, the whole text
stage, metadata included, since the figure stage needs its content lines; quantulum3:
`parser.parse`; neither reading the file nor adapting or scoring the output), after
imports, grammar compilation, classifier loading and one untimed warm-up pass over every
document. Each document is timed `--repeat` times; a tool's time for a document is the median
of those runs. Per set, `ms/doc` is the median over documents and `docs/s` is the number of
documents divided by the sum of their median times.

Each tool's errors are also sorted into failure kinds (FAILURE_KINDS below: dropped
qualifiers, collapsed ranges, missed vague words, years and chrome read as counts...) by
comparing its output with the gold, and a few quantulum3 examples of each are printed.

Run it with the benchmark venv, which has both packages (see benchmarks/README.md):

    .venv-bench/bin/python benchmarks/compare_quantulum.py [--sets seeds corpus holdout]
        [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

from newsfigures.config import load_project
from newsfigures.extract import Extractor
from newsfigures.scoring import (
    DocumentScore,
    GoldFigure,
    Score,
    agrees,
    gold_articles,
    load_gold,
    score_document,
)
from newsfigures.sources.records import RawDocument

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_SETS: dict[str, tuple[Path, Path]] = {
    "seeds": (ROOT / "seeds", ROOT / "tests" / "annotations" / "seeds"),
    "corpus": (
        ROOT / "tests" / "annotations" / "corpus" / "articles",
        ROOT / "tests" / "annotations" / "corpus" / "gold",
    ),
    "holdout": (
        ROOT / "tests" / "annotations" / "holdout" / "articles",
        ROOT / "tests" / "annotations" / "holdout" / "gold",
    ),
}
TOOLS = ("newsfigures", "quantulum3")
EXAMPLES_PER_KIND = 3
# quantulum3 units that are plain counts, and how many each one is ("Two dozen": 2 dozen).
COUNT_UNITS = {"dimensionless": 1, "dozen": 12}
_YEAR = re.compile(r"^(1[89]|20)\d\d$")

# Failure kinds, in report order, with what each one means.
FAILURE_KINDS: dict[str, str] = {
    "qualifier_dropped": "matched, but about/at least/up to read as exact",
    "range_collapsed": "gold range, got a single number or the range split in two",
    "vague_missed": "vague quantity (dozens, hundreds...) not matched",
    "number_words_missed": "number in words (four, Eighteen, a dozen) not found",
    "digits_missed": "number in digits not found at all",
    "wrong_value": "found the number, but low/high disagree with gold",
    "fp_fragment": "false positive inside a gold figure (half of a split range, misread value)",
    "fp_chrome": "false positive in page chrome (link line, caption credit, share bar)",
    "fp_year": "false positive: a year read as a count (outside page chrome)",
    "fp_non_figure": "false positive on an annotated non-figure (day of a date, age, time...)",
    "fp_other": "other false positive (e.g. day or time in a date line, 'the two countries')",
}


# -- adapting quantulum3 ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdaptedQuantity:
    """A quantulum3 Quantity with the Figure attributes the scorer reads."""

    char_start: int
    char_end: int
    span: str
    value_low: int
    value_high: int
    qualifier: str
    category: str
    unit: str
    event: str | None = None


def adapt_quantity(quantity: Any) -> AdaptedQuantity:
    """Map one quantulum3 Quantity onto the figure fields (see the module docstring)."""
    unit = quantity.unit.name
    scale = COUNT_UNITS.get(unit, 1)
    value = float(quantity.value) * scale
    uncertainty = float(quantity.uncertainty or 0.0) * scale
    start, end = quantity.span
    return AdaptedQuantity(
        char_start=start,
        char_end=end,
        span=quantity.surface,
        value_low=round(value - uncertainty),
        value_high=round(value + uncertainty),
        qualifier="range" if uncertainty else "exact",
        category="people" if unit in COUNT_UNITS else "other",
        unit=unit,
    )


@dataclass(frozen=True, slots=True)
class _NoMetadata:
    """Metadata fields score_document reads; gold metadata is not passed, so none is scored."""

    title: None = None
    published_date: None = None
    outlet: None = None
    agencies: tuple[str, ...] = ()
    dateline: None = None


@dataclass(frozen=True, slots=True)
class _Predictions:
    figures: list[Any]
    metadata: _NoMetadata = _NoMetadata()


# -- the tools ----------------------------------------------------------------------------


@dataclass
class Tool:
    """One extractor: `run` is the timed call, `figures` turns its output into figure-likes."""

    name: str
    run: Callable[[RawDocument], Any]
    figures: Callable[[Any], list[Any]]
    info: dict[str, str] = field(default_factory=dict)


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def load_quantulum(use_classifier: bool = True) -> tuple[ModuleType, dict[str, str]]:
    """quantulum3's parser module and a description of how it disambiguates units."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import classifier, parser
    except ImportError:
        sys.exit(
            "quantulum3 is not importable from this interpreter "
            f"({sys.executable}); run with .venv-bench/bin/python (benchmarks/README.md)"
        )
    info = {
        "quantulum3": _package_version("quantulum3"),
        "scikit-learn": _package_version("scikit-learn"),
    }
    if not use_classifier:
        classifier.USE_CLF = False
        info["disambiguation"] = "heuristic (--no-classifier)"
    elif not classifier.USE_CLF:
        info["disambiguation"] = "heuristic (classifier dependencies not installed)"
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loaded = classifier.classifier().loaded
        except Exception as exc:  # a pickled model from another scikit-learn fails to load
            loaded = False
            info["classifier_error"] = f"{type(exc).__name__}: {exc}"
        if loaded:
            info["disambiguation"] = "shipped scikit-learn classifier (clf.joblib)"
        else:
            classifier.USE_CLF = False
            info["disambiguation"] = "heuristic (the shipped classifier did not load)"
    return parser, info


def make_tools(use_classifier: bool = True) -> list[Tool]:
    """Both tools, ready to run: grammars compiled, models loaded."""
    extractor = Extractor(load_project(ROOT))
    parser, info = load_quantulum(use_classifier)
    return [
        Tool(
            "newsfigures",
            extractor.extract,
            lambda doc: list(doc.figures),
            {"newsfigures": _package_version("newsfigures")},
        ),
        Tool(
            "quantulum3",
            lambda raw: parser.parse(raw.text),
            lambda quantities: [adapt_quantity(q) for q in quantities],
            info,
        ),
    ]


# -- articles -----------------------------------------------------------------------------


@dataclass
class Article:
    set_name: str
    name: str
    raw: RawDocument
    gold: list[GoldFigure]
    non_figures: list[tuple[int, int]]
    chrome: list[tuple[int, int]]


def _occurrences(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    found = []
    for phrase in phrases:
        start = text.find(phrase)
        while start >= 0:
            found.append((start, start + len(phrase)))
            start = text.find(phrase, start + 1)
    return found


def load_articles(set_name: str) -> list[Article]:
    """The articles of one set that have a gold file, decoded as newsfigures ingests them."""
    articles_dir, gold_dir = ARTICLE_SETS[set_name]
    settings = load_project(ROOT).settings.ingest
    articles = []
    for gold_path, raw in gold_articles(articles_dir, gold_dir, settings):
        _, gold = load_gold(gold_path, raw.text)
        extra = json.loads(gold_path.read_text(encoding="utf-8"))
        articles.append(
            Article(
                set_name,
                gold_path.stem,
                raw,
                gold,
                _occurrences(raw.text, extra.get("non_figures", [])),
                _occurrences(raw.text, extra.get("boilerplate", [])),
            )
        )
    return articles


# -- failure kinds ------------------------------------------------------------------------


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(p: Any) -> str:
    values = f"{p.value_low}" if p.value_low == p.value_high else f"{p.value_low}-{p.value_high}"
    return f"{_short(p.span, 30)!r} {values} {p.qualifier}"


def failure_kinds(article: Article, predictions: list[Any]) -> dict[str, list[str]]:
    """Each failure of one tool on one article, by kind, as readable examples.

    The pairing repeats score_document's (gold in order, first agreeing prediction), so the
    failures here are exactly the misses, extras and qualifier disagreements it counts.
    """
    kinds: dict[str, list[str]] = {kind: [] for kind in FAILURE_KINDS}
    unmatched = list(predictions)
    for g in article.gold:
        match = next((p for p in unmatched if agrees(p, g)), None)
        gold_text = f"{_short(g.span)!r} {g.low}-{g.high} {g.qualifier}"
        if match is not None:
            unmatched.remove(match)
            hedged = g.qualifier in ("approx", "at_least", "at_most")
            if g.required and hedged and match.qualifier == "exact":
                kinds["qualifier_dropped"].append(f"{gold_text} -> {_describe(match)}")
            continue
        if not g.required:
            continue
        near = [p for p in predictions if _overlaps(p.char_start, p.char_end, g.start, g.end)]
        got = ", ".join(_describe(p) for p in near) or "nothing"
        example = f"{gold_text} -> {got}"
        if g.qualifier == "range" and any(p.value_low == p.value_high for p in near):
            kinds["range_collapsed"].append(example)
        elif g.qualifier == "vague":
            kinds["vague_missed"].append(example)
        elif near:
            kinds["wrong_value"].append(example)
        elif any(c.isdigit() for c in g.span):
            kinds["digits_missed"].append(example)
        else:
            kinds["number_words_missed"].append(example)
    for p in unmatched:
        if p.category == "other":
            continue
        example = _describe(p)
        if any(_overlaps(p.char_start, p.char_end, g.start, g.end) for g in article.gold):
            kinds["fp_fragment"].append(example)
        elif any(_overlaps(p.char_start, p.char_end, s, e) for s, e in article.chrome):
            kinds["fp_chrome"].append(example)
        elif _YEAR.match(p.span.strip()):
            kinds["fp_year"].append(example)
        elif any(_overlaps(p.char_start, p.char_end, s, e) for s, e in article.non_figures):
            kinds["fp_non_figure"].append(example)
        else:
            kinds["fp_other"].append(example)
    return kinds


# -- running ------------------------------------------------------------------------------


@dataclass
class ToolResult:
    scores: list[DocumentScore] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # median per document
    failures: dict[str, list[str]] = field(
        default_factory=lambda: {kind: [] for kind in FAILURE_KINDS}
    )

    def extend(self, other: ToolResult) -> None:
        self.scores += other.scores
        self.seconds += other.seconds
        for kind, examples in other.failures.items():
            self.failures[kind] += examples

    def summary(self) -> dict[str, Any]:
        score = Score(self.scores)
        total_seconds = sum(self.seconds)
        return {
            "documents": len(self.scores),
            "precision": round(score.precision, 4),
            "recall": round(score.recall, 4),
            "f1": round(score.f1, 4),
            "true_positives": score.total("true_positives"),
            "false_positives": score.total("false_positives"),
            "false_negatives": score.total("false_negatives"),
            "neutral": score.total("neutral"),
            "matched": score.total("matched"),
            "qualifier_agreement": round(score.agreement("qualifier_agree"), 4),
            "ms_per_doc_median": round(1000 * statistics.median(self.seconds), 3)
            if self.seconds
            else None,
            "docs_per_s": round(len(self.seconds) / total_seconds, 1) if total_seconds else None,
            "failure_kinds": {kind: len(v) for kind, v in self.failures.items()},
        }


def run_set(articles: list[Article], tools: list[Tool], repeat: int) -> dict[str, ToolResult]:
    """Score every tool on the articles (the untimed warm-up pass), then time `repeat` passes."""
    results = {tool.name: ToolResult() for tool in tools}
    for tool in tools:
        for article in articles:
            predictions = tool.figures(tool.run(article.raw))
            results[tool.name].scores.append(
                score_document(article.name, {}, article.gold, _Predictions(predictions))
            )
            for kind, examples in failure_kinds(article, predictions).items():
                results[tool.name].failures[kind] += [f"{article.name}: {e}" for e in examples]
    for tool in tools:
        runs: list[list[float]] = [[] for _ in articles]
        for _ in range(repeat):
            for index, article in enumerate(articles):
                started = time.perf_counter()
                tool.run(article.raw)
                runs[index].append(time.perf_counter() - started)
        results[tool.name].seconds = [statistics.median(r) for r in runs]
    return results


# -- reporting ----------------------------------------------------------------------------


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_report(report: dict[str, Any], examples: dict[str, list[str]]) -> str:
    """The plain-text tables: metrics per set and overall, failure kinds, examples."""
    env = report["environment"]
    lines = [
        "newsfigures vs quantulum3 - figure extraction on annotated articles",
        f"python {env['python']}, {env['cpu_count']} cores, repeat {report['repeat']}; "
        + ", ".join(f"{k} {v}" for k, v in env["versions"].items()),
        f"quantulum3 unit disambiguation: {env['disambiguation']}",
        "",
        f"{'set':8} {'docs':>4}  {'tool':12} {'prec':>6} {'recall':>6} {'F1':>6}"
        f" {'tp':>4} {'fp':>4} {'fn':>4} {'neutral':>7} {'qual.agree':>10}"
        f" {'ms/doc':>8} {'docs/s':>8}",
    ]
    for set_name, per_tool in report["results"].items():
        for index, tool in enumerate(TOOLS):
            s = per_tool[tool]
            head = f"{set_name:8} {s['documents']:4}" if index == 0 else " " * 13
            lines.append(
                f"{head}  {tool:12} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}"
                f" {s['true_positives']:4} {s['false_positives']:4} {s['false_negatives']:4}"
                f" {s['neutral']:7} {s['qualifier_agreement']:10.3f}"
                f" {_fmt(s['ms_per_doc_median'], '8.2f')} {_fmt(s['docs_per_s'], '8.1f')}"
            )
    overall = report["results"]["overall"]
    lines += [
        "",
        "qual.agree: share of matched gold figures whose qualifier the tool got right.",
        "ms/doc: median over documents of each document's median time; docs/s: documents"
        " / summed medians.",
        "",
        f"failure kinds, all sets   {'newsfigures':>12} {'quantulum3':>11}",
    ]
    for kind, meaning in FAILURE_KINDS.items():
        counts = [overall[tool]["failure_kinds"][kind] for tool in TOOLS]
        lines.append(f"  {kind:22}  {counts[0]:12} {counts[1]:11}   {meaning}")
    lines += ["", "quantulum3 examples (gold -> what quantulum3 produced):"]
    for kind in FAILURE_KINDS:
        found = examples[kind]
        if not found:
            continue
        lines.append(f"  {kind} ({len(found)}):")
        lines += [f"    {e}" for e in found[:EXAMPLES_PER_KIND]]
    return "\n".join(lines)


def benchmark(set_names: list[str], repeat: int, use_classifier: bool = True) -> dict[str, Any]:
    """Run both tools over the named sets; the report as a JSON-ready dict."""
    tools = make_tools(use_classifier)
    versions: dict[str, str] = {}
    for tool in tools:
        versions.update({k: v for k, v in tool.info.items() if k not in ("disambiguation",)})
    disambiguation = tools[1].info.get("disambiguation", "")
    if "classifier_error" in versions:
        disambiguation += f" [{versions.pop('classifier_error')}]"
    overall = {tool.name: ToolResult() for tool in tools}
    results: dict[str, Any] = {}
    for set_name in set_names:
        per_tool = run_set(load_articles(set_name), tools, repeat)
        results[set_name] = {name: r.summary() for name, r in per_tool.items()}
        for name, r in per_tool.items():
            overall[name].extend(r)
    results["overall"] = {name: r.summary() for name, r in overall.items()}
    return {
        "environment": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "versions": versions,
            "disambiguation": disambiguation,
        },
        "repeat": repeat,
        "sets": set_names,
        "results": results,
        "quantulum3_examples": overall["quantulum3"].failures,
        "newsfigures_examples": overall["newsfigures"].failures,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets", nargs="+", choices=sorted(ARTICLE_SETS), default=list(ARTICLE_SETS)
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per document")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--no-classifier",
        action="store_true",
        help="make quantulum3 disambiguate units heuristically, without its scikit-learn model",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    report = benchmark(args.sets, args.repeat, use_classifier=not args.no_classifier)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report, report["quantulum3_examples"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
