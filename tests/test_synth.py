"""The synthetic corpus generator (benchmarks/synth.py): determinism, gold that matches the
decoded text, counts, speed, and the extractor's accuracy on what it generates."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsfigures.config import Project, load_project
from newsfigures.extract import Extractor
from newsfigures.scoring import GoldFigure, Score, score_document
from newsfigures.sources.read import read_file
from newsfigures.sources.records import RawDocument

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import synth  # noqa: E402


@pytest.fixture(scope="module")
def synth_project() -> Project:
    return load_project(REPO)


def _gold_lines(out_dir: Path) -> list[dict[str, Any]]:
    lines = (out_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _read(out_dir: Path, rel: str, project: Project) -> RawDocument:
    raw = read_file(out_dir / rel, out_dir, project.settings.ingest)
    assert isinstance(raw, RawDocument), raw
    return raw


def _gold_figures(entry: dict[str, Any]) -> list[GoldFigure]:
    return [GoldFigure.from_entry(f, f["start"], f["end"]) for f in entry["figures"]]


def test_same_seed_same_corpus(tmp_path: Path) -> None:
    first = list(synth.iter_articles(40, seed=7))
    assert first == list(synth.iter_articles(40, seed=7))
    assert [text for _, text, _ in first] != [text for _, text, _ in synth.iter_articles(40, 8)]
    # Article i depends on (seed, i) only: random access and longer corpora agree.
    text, _, gold = synth.article(23, seed=7)
    assert (text, {"file": first[23][0], **gold}) == (first[23][1], first[23][2])
    assert list(synth.iter_articles(60, seed=7))[:40] == first

    a = synth.generate(30, tmp_path / "a", seed=7)
    b = synth.generate(30, tmp_path / "b", seed=7)
    assert (tmp_path / "a" / "gold.jsonl").read_bytes() == (
        tmp_path / "b" / "gold.jsonl"
    ).read_bytes()
    for entry in _gold_lines(tmp_path / "a"):
        rel = entry["file"]
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    assert (a.articles, a.figures, a.bytes) == (b.articles, b.figures, b.bytes)


def test_gold_spans_are_the_decoded_text(tmp_path: Path, synth_project: Project) -> None:
    synth.generate(300, tmp_path, seed=11)
    entries = _gold_lines(tmp_path)
    assert len(entries) == 300
    for entry in entries:
        raw = _read(tmp_path, entry["file"], synth_project)
        text = raw.text
        assert raw.encoding == entry["encoding"]
        assert ("\r\n" in text) == entry["crlf"]
        doc = entry["doc"]
        assert set(doc) == {"title", "published_date", "outlet", "agencies", "dateline"}
        assert doc["title"] in text
        previous = -1
        for figure in entry["figures"]:
            assert text[figure["start"] : figure["end"]] == figure["span"], (entry["file"], figure)
            assert figure["start"] > previous  # in text order, no two at one place
            previous = figure["start"]
            assert figure["low"] <= figure["high"]
            assert figure["required"] == (figure["category"] != "other")
        for phrase in [*entry["dates"], *entry["non_figures"]]:
            assert phrase in text, (entry["file"], phrase)


def test_cp1252_and_crlf_articles_decode_to_the_gold_text(
    tmp_path: Path, synth_project: Project
) -> None:
    """Some articles are cp1252 with curly quotes, some have CRLF line endings; offsets are
    into the text as ingest decodes it."""
    kinds: dict[str, int] = {}
    for index in range(3000):
        _, encoding, gold = synth.article(index, seed=0)
        if encoding == "cp1252":
            kinds.setdefault("cp1252", index)
        if gold["crlf"]:
            kinds.setdefault("crlf", index)
    assert set(kinds) == {"cp1252", "crlf"}
    for index in kinds.values():
        text, encoding, gold = synth.article(index, seed=0)
        path = tmp_path / f"{index}.txt"
        path.write_bytes(text.encode(encoding))
        raw = _read(tmp_path, path.name, synth_project)
        assert raw.encoding == encoding
        assert raw.text == text
        for figure in gold["figures"]:
            assert raw.text[figure["start"] : figure["end"]] == figure["span"]
    cp1252_text = synth.article(kinds["cp1252"], seed=0)[0]
    assert "“" in cp1252_text or "’" in cp1252_text
    # Any article could be written in cp1252: the vocabulary stays inside it.
    for _, text, _ in synth.iter_articles(300, seed=3):
        text.encode("cp1252")


def test_counts_add_up(tmp_path: Path) -> None:
    result = synth.generate(120, tmp_path, seed=5, shard_size=50)
    files = sorted(tmp_path.glob("*/*.txt"))
    entries = _gold_lines(tmp_path)
    assert result.articles == len(files) == len(entries) == 120
    assert result.figures == sum(len(e["figures"]) for e in entries)
    assert result.bytes == sum(f.stat().st_size for f in files)
    assert result.gold_path == tmp_path / "gold.jsonl"
    assert [e["file"] for e in entries] == [f.relative_to(tmp_path).as_posix() for f in files]
    per_folder = Counter(f.parent.name for f in files)
    assert per_folder == {"00000": 50, "00001": 50, "00002": 20}
    assert result.seconds > 0 and result.articles_per_second > 0

    plain = synth.generate(120, tmp_path / "plain", seed=5, gold=False, shard_size=50)
    assert not (tmp_path / "plain" / "gold.jsonl").exists()
    assert plain.gold_path is None
    assert (plain.articles, plain.figures, plain.bytes) == (120, result.figures, result.bytes)


def test_articles_look_like_news() -> None:
    """300-700 words or so, mostly filler, figures of every kind, varied metadata."""
    words, figures, qualifiers, dates, styles = [], 0, Counter(), Counter(), Counter()
    for _, text, gold in synth.iter_articles(400, seed=2):
        words.append(len(text.split()))
        figures += len(gold["figures"])
        qualifiers.update(f["qualifier"] for f in gold["figures"])
        dates[gold["doc"]["published_date"] is None] += 1
        styles[gold["doc"]["dateline"] is not None, gold["doc"]["outlet"] is not None] += 1
    assert 380 <= sum(words) / len(words) <= 520
    assert min(words) >= 200 and max(words) <= 900
    assert 5 <= figures / 400 <= 15
    assert set(qualifiers) == {"exact", "approx", "at_least", "at_most", "range", "vague"}
    assert dates[True] > 0 and dates[False] > 0
    assert len(styles) == 4


def test_script_writes_a_corpus(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "synth.py"), "25", str(out), "--seed", "4"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "wrote 25 articles" in done.stdout and "articles/s" in done.stdout
    assert len(list(out.glob("*/*.txt"))) == 25
    assert len(_gold_lines(out)) == 25
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "synth.py"),
            "5",
            str(tmp_path / "x"),
            "--no-gold",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "(no gold)" in done.stdout
    assert not (tmp_path / "x" / "gold.jsonl").exists()


def test_extractor_scores_well_on_the_generated_corpus(
    tmp_path: Path, synth_project: Project
) -> None:
    """newsfigures' own extraction over 300 generated articles, scored by the project's
    matching rule (newsfigures.scoring), meets the accuracy the convention promises."""
    synth.generate(300, tmp_path, seed=2024)
    extractor = Extractor(synth_project)
    documents = []
    for entry in _gold_lines(tmp_path):
        raw = _read(tmp_path, entry["file"], synth_project)
        extracted = extractor.extract(raw)
        documents.append(
            score_document(entry["file"], entry["doc"], _gold_figures(entry), extracted)
        )
    score = Score(documents)
    misses = [m for d in documents for m in d.misses][:10]
    extras = [e for d in documents for e in d.extras][:10]
    assert score.f1 >= 0.95, (score.as_dict(), misses, extras)
    assert score.metadata_accuracy("published_date") >= 0.95, score.as_dict()
