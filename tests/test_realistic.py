"""The real-shaped corpus generator (benchmarks/realistic.py): answers placed exactly in the
text, numbers varied in both, the same corpus for the same seed, articles the size and
density of real reports, and the extractor's accuracy on them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import realistic  # noqa: E402
import synth  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("realistic") / "corpus"
    realistic.generate(120, out, seed=3)
    return out


def _answers(corpus: Path) -> list[dict]:
    with (corpus / "gold.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_every_answer_is_where_it_says_in_the_text(corpus: Path) -> None:
    answers = _answers(corpus)
    assert len(answers) == 120
    for entry in answers:
        text = (corpus / entry["file"]).read_text(encoding="utf-8")
        for figure in entry["figures"]:
            assert text[figure["start"] : figure["end"]] == figure["span"], entry["file"]


def test_articles_are_sized_and_dense_like_real_reports(corpus: Path) -> None:
    answers = _answers(corpus)
    sizes = [len((corpus / e["file"]).read_bytes()) for e in answers]
    figures = [len(e["figures"]) for e in answers]
    assert 1000 <= sorted(sizes)[len(sizes) // 2] <= 3000
    assert 5 <= sorted(figures)[len(figures) // 2] <= 12


def test_numbers_are_varied_in_text_and_answers_alike(corpus: Path) -> None:
    sources = {s.name: s for s in realistic.load_sources()}
    written = {f["span"] for e in _answers(corpus) for f in e["figures"]}
    original = {
        p.text[a:b] for s in sources.values() for p in (s.lead, *s.body) for a, b, _ in p.figures
    }
    assert len(written - original) > len(written) // 4
    for entry in _answers(corpus):
        for figure in entry["figures"]:
            assert figure["low"] <= figure["high"]


def test_the_same_seed_gives_the_same_corpus(tmp_path: Path, corpus: Path) -> None:
    again = tmp_path / "again"
    realistic.generate(120, again, seed=3)
    assert (again / "gold.jsonl").read_bytes() == (corpus / "gold.jsonl").read_bytes()
    other = tmp_path / "other"
    realistic.generate(120, other, seed=4)
    assert (other / "gold.jsonl").read_bytes() != (corpus / "gold.jsonl").read_bytes()


def test_a_sidecar_comes_with_the_article_that_needs_it(corpus: Path) -> None:
    sidecars = list(corpus.rglob("*.meta.json"))
    assert sidecars
    for sidecar in sidecars:
        assert sidecar.with_name(sidecar.name.removesuffix(".meta.json") + ".txt").exists()


def test_the_extractor_reads_them_as_it_reads_the_annotated_sets(corpus: Path) -> None:
    report = synth.score(corpus, 120, show=0)
    f1 = float(report.split(" F1 ")[1].split()[0])
    assert f1 >= 0.98, report


def test_script_writes_a_corpus(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "realistic.py"), "30", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "wrote 30 articles" in done.stdout and "articles/s" in done.stdout
    assert len(list(out.glob("*/*.txt"))) == 30
