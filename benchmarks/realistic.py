"""Real-shaped news articles with known answers: the paragraphs of the project's own annotated
articles, recombined, with their numbers varied.

`synth.py` writes articles from templates; they are short and regular. The articles analysts
load are denser: house-style headers, long sentences, several counts per paragraph. This
generator builds them from the annotated articles in tests/annotations/{corpus,holdout,blind}
(written for the project, in its own words), so every answer is known:

- each article keeps one source article's header and page furniture (its masthead, title,
  date line, dateline, credits: the house style the metadata stage reads), so the source's
  metadata answers stay true, and its sidecar (NAME.meta.json) when it has one;
- its body is the source's paragraphs in their order, with up to two of the later ones left
  out, and up to two paragraphs of other sources put in after its lead (never another
  source's lead: that carries its dateline and agency; only from a source published no
  later, so no inserted paragraph names a day after the article's date);
- every figure written in digits gets a new value (its ranges stay ranges, its commas stay
  commas, and no bare four-digit number lands where it would read as a year), in the text
  and in the answers alike.

The answers are the source's, for the figures of the paragraphs kept. A figure of an inserted
paragraph keeps its event date only when the paragraph names it with a year: its relative
days ("on Sunday") counted from another article's date are not known.

    python benchmarks/realistic.py N OUT_DIR [--seed S]

writes OUT_DIR/00000/000000.txt ... (1,000 per folder) and OUT_DIR/gold.jsonl in the shape
synth.py writes, so `synth.score` scores either corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ("corpus", "holdout", "blind")
PER_FOLDER = 1000
# A paragraph of body text, not a line of page furniture.
BODY_MIN_WORDS = 20
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")
# Digits the variation leaves alone: decimals and scaled numbers ("1.5 million", "300K").
_SCALED = re.compile(r"\d[.]\d|\d\s*(?:[kKmM]\b|million|billion|thousand|hundred)")
_YEAR_NAMED = re.compile(r"\b(?:1[89]|20)\d\d\b")


@dataclass
class _Paragraph:
    text: str
    # (start, end, gold entry) of each figure in the paragraph, in order
    figures: list[tuple[int, int, dict]]
    names_a_year: bool


@dataclass
class _Source:
    name: str
    head: _Paragraph  # everything before the lead paragraph
    lead: _Paragraph
    body: list[_Paragraph]  # the later body paragraphs
    tail: _Paragraph  # page furniture after the last body paragraph
    doc: dict
    sidecar: bytes | None

    @property
    def paragraphs(self) -> list[_Paragraph]:
        """The body paragraphs another article may borrow: text, not furniture."""
        return [p for p in self.body if _is_text(p)]


def load_sources(root: Path = ROOT) -> list[_Source]:
    """The annotated articles, split into header, lead, body paragraphs and trailing
    furniture, each figure of the answers placed in its paragraph."""
    sources = []
    for name in SETS:
        folder = root / "tests" / "annotations" / name
        for gold_path in sorted((folder / "gold").glob("*.json")):
            article = folder / "articles" / f"{gold_path.stem}.txt"
            sidecar = folder / "articles" / f"{gold_path.stem}.meta.json"
            try:
                text = article.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # an article kept in another encoding on purpose
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            extra = sidecar.read_bytes() if sidecar.exists() else None
            source = _split(gold_path.stem, text, gold, extra)
            if source is not None:
                sources.append(source)
    return sources


def _split(name: str, text: str, gold: dict, sidecar: bytes | None) -> _Source | None:
    text = text.replace("\r\n", "\n")
    blocks = text.split("\n\n")
    body_at = [i for i, b in enumerate(blocks) if len(b.split()) >= BODY_MIN_WORDS]
    if not body_at:
        return None
    first, last = body_at[0], body_at[-1]
    offsets, at = [], 0
    for block in blocks:
        offsets.append(at)
        at += len(block) + 2
    paragraphs = {i: _Paragraph(blocks[i], [], False) for i in range(first, last + 1)}
    head = _Paragraph("\n\n".join(blocks[:first]), [], False)
    tail = _Paragraph("\n\n".join(blocks[last + 1 :]), [], False)
    tail_at = offsets[last + 1] if last + 1 < len(blocks) else len(text)
    seen: dict[str, int] = {}
    for entry in gold["figures"]:
        # The n-th occurrence of a span is the n-th figure with it (as the scorer reads it).
        span = entry["span"]
        seen[span] = entry.get("occurrence") or seen.get(span, 0) + 1
        start = -1
        for _ in range(seen[span]):
            start = text.find(span, start + 1)
        block = max(i for i, o in enumerate(offsets) if o <= start)
        # A figure in the header (a standfirst) or after the body (a caption) stays put.
        holder, at = (
            (head, 0)
            if block < first
            else (tail, tail_at)
            if block > last
            else (paragraphs[block], offsets[block])
        )
        holder.figures.append((start - at, start - at + len(span), entry))
    for paragraph in [head, *paragraphs.values(), tail]:
        paragraph.figures.sort(key=lambda f: f[0])
        paragraph.names_a_year = bool(_YEAR_NAMED.search(paragraph.text))
    return _Source(
        name=name,
        head=head,
        lead=paragraphs[first],
        body=[paragraphs[i] for i in range(first + 1, last + 1)],
        tail=tail,
        doc=gold["doc"],
        sidecar=sidecar,
    )


def _older(other: _Source, source: _Source) -> bool:
    """`other` was published no later than `source`: its paragraphs name no day after the
    article they are put into was published (the contracts would rightly refuse that)."""
    theirs, ours = other.doc.get("published_date"), source.doc.get("published_date")
    return bool(theirs and ours and theirs <= ours)


def _is_text(paragraph: _Paragraph) -> bool:
    return len(paragraph.text.split()) >= BODY_MIN_WORDS


def build(sources: list[_Source], index: int, seed: int) -> tuple[str, dict, bytes | None]:
    """Article `index` of the corpus of `seed`: its text, its answers (figures with
    start/end) and the sidecar it comes with, if any."""
    rng = random.Random(seed * 1_000_003 + index)
    source = sources[index % len(sources)]
    body = list(source.body)
    # Up to two later paragraphs of text left out (page furniture between them stays).
    for _ in range(rng.randint(0, 2)):
        text_at = [i for i, p in enumerate(body) if i > 0 and _is_text(p)]
        if text_at:
            body.pop(rng.choice(text_at))
    inserted: set[int] = set()
    for _ in range(rng.randint(0, 2)):
        other = sources[rng.randrange(len(sources))]
        if other is source or not other.paragraphs or not _older(other, source):
            continue
        paragraph = other.paragraphs[rng.randrange(len(other.paragraphs))]
        at = rng.randint(0, len(body))
        body.insert(at, paragraph)
        inserted = {i + (i >= at) for i in inserted} | {at}
    parts, figures = [], []
    offset = 0
    blocks = [(source.head, False)] if source.head.text else []
    blocks += [(source.lead, False)]
    blocks += [(paragraph, i in inserted) for i, paragraph in enumerate(body)]
    blocks += [(source.tail, False)] if source.tail.text else []
    # One factor for the whole article: a part stays smaller than its whole, a range a range.
    factor = rng.uniform(0.55, 1.8)
    for paragraph, foreign in blocks:
        fixed = paragraph is source.head or paragraph is source.tail  # a headline stays
        text, placed = _varied(paragraph, 1.0 if fixed else factor)
        for start, end, entry in placed:
            entry = dict(entry, start=offset + start, end=offset + end)
            if foreign and not paragraph.names_a_year:
                entry["event_date"] = ""  # not known: see the module's docstring
            figures.append(entry)
        parts.append(text)
        offset += len(text) + 2
    text = "\n\n".join(parts) + "\n"
    return text, {"doc": source.doc, "figures": figures, "dates": {}}, source.sidecar


def _varied(paragraph: _Paragraph, factor: float) -> tuple[str, list]:
    """The paragraph with each figure's digits given new values, and the figures placed in
    it (start, end, entry with the new span, low and high)."""
    pieces, placed = [], []
    at = shift = 0
    for start, end, entry in paragraph.figures:
        span, entry = _new_values(paragraph.text[start:end], entry, factor)
        pieces.append(paragraph.text[at:start])
        pieces.append(span)
        placed.append((start + shift, start + shift + len(span), entry))
        shift += len(span) - (end - start)
        at = end
    pieces.append(paragraph.text[at:])
    return "".join(pieces), placed


def _new_values(span: str, entry: dict, factor: float) -> tuple[str, dict]:
    numbers = list(_NUMBER.finditer(span))
    values = [int(m.group().replace(",", "")) for m in numbers]
    low, high = int(entry["low"]), int(entry["high"])
    # Only a span whose digits are its values, and nothing but them, is varied.
    if factor == 1.0 or not numbers or _SCALED.search(span) or set(values) != {low, high}:
        return span, entry
    new = {
        value: _near(value, factor, "," in m.group())
        for value, m in zip(values, numbers, strict=True)
    }
    if low != high and new[low] >= new[high]:
        return span, entry
    written = span
    for m in reversed(numbers):
        value = int(m.group().replace(",", ""))
        text = f"{new[value]:,}" if "," in m.group() else str(new[value])
        written = written[: m.start()] + text + written[m.end() :]
    return written, dict(entry, span=written, low=new[low], high=new[high])


def _near(value: int, factor: float, commas: bool) -> int:
    """A new value near `value`; written without commas, never one that reads as a year."""
    if value < 3:
        return value  # "2 soldiers" stays small; "one" and "a" are words anyway
    new = max(2, round(value * factor))
    if not commas and 1800 <= new <= 2100:
        new = 2101 + new % 100
    if commas and new < 1000:
        new = 1000 + new
    return new


@dataclass(frozen=True)
class Generated:
    articles: int
    bytes: int


def generate(n: int, out_dir: Path, seed: int = 0, gold: bool = True) -> Generated:
    """Write n articles and (with `gold`) gold.jsonl."""
    sources = load_sources()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    written = 0
    answers_file = out_dir / ("gold.jsonl" if gold else ".gold-not-kept")
    with answers_file.open("w", encoding="utf-8") as answers_out:
        for index in range(n):
            text, answers, sidecar = build(sources, index, seed)
            relative = f"{index // PER_FOLDER:05d}/{index:06d}.txt"
            path = out_dir / relative
            path.parent.mkdir(exist_ok=True)
            data = text.encode("utf-8")
            path.write_bytes(data)
            if sidecar is not None:
                path.with_suffix(".meta.json").write_bytes(sidecar)
            written += len(data)
            if gold:
                answers_out.write(json.dumps({"file": relative, **answers}) + "\n")
    if not gold:
        answers_file.unlink()
    return Generated(n, written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out_dir", type=Path, help="folder to write (replaced if present)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--score", type=int, default=0, help="articles to score afterwards")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generated = generate(args.n, args.out_dir, args.seed)
    articles, size = generated.articles, generated.bytes
    seconds = time.perf_counter() - started
    print(
        f"wrote {articles} articles ({size / 1e6:.1f} MB, {size / max(articles, 1):,.0f} bytes"
        f" each) in {seconds:.1f} s: {articles / seconds:,.0f} articles/s"
    )
    if args.score:
        sys.path.insert(0, str(ROOT / "src"))
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import synth

        print(synth.score(args.out_dir, args.score, show=5))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
