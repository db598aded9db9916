"""Throughput at scale: generate N articles with known answers, run the real pipeline over
them, and print per stage docs/s, MB/s and time, the whole run's wall time and peak RSS, and
the extraction's accuracy against the generated answers.

    .venv/bin/python benchmarks/throughput.py 10000 [--runner thread|process|dask]
        [--workers 2] [--keep DIR [--reuse]] [--score 2000] [--corpus synth|realistic]
        [--format text|html|warc]

`--corpus realistic` loads articles built from the annotated articles' paragraphs
(benchmarks/realistic.py): denser and longer than synth.py's templates. With `--format html`
the articles are loaded as web pages in a news site's template, with `--format warc` as those
pages in one web archive (benchmarks/formats.py); scoring and the quantulum3 comparison are
for plain text only.

The pipeline runs as a real Prefect flow (ephemeral server) in this process, with the task
runner asked for; peak RSS is this process's and its children's (worker processes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import formats  # noqa: E402
import realistic  # noqa: E402
import synth  # noqa: E402

STAGES = ("ingest", "metadata", "figures", "validate", "stage")
# The run's steps on the wall clock (newsfigures.run.runner.STEPS); the serial ones follow extract.
STEPS = ("plan", "extract", "partners", "recheck", "run_checks", "commit", "publish")


class TreeMemory:
    """The peak of the resident memory of this process and all its descendants together
    (workers, Prefect's server), sampled twice a second from /proc (Linux)."""

    def __init__(self) -> None:
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.peak_mib = max(self.peak_mib, _tree_rss_kib(os.getpid()) / 1024)


def _tree_rss_kib(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _generated(generator: object, args: argparse.Namespace, articles: Path) -> int:
    """Generate the corpus into `articles` (its bytes), or with `--reuse` take the one an
    earlier run with the same arguments left in `--keep` (its marker file beside it)."""
    asked = {"n": args.n, "seed": args.seed, "corpus": args.corpus, "gold": args.score > 0}
    marker = articles.with_name(articles.name + ".generated.json")
    if args.reuse and marker.exists():
        made = json.loads(marker.read_text())
        if {k: made.get(k) for k in asked} == asked:
            return made["bytes"]
    marker.unlink(missing_ok=True)
    generated = generator.generate(args.n, articles, seed=args.seed, gold=asked["gold"])
    if args.keep:
        marker.write_text(json.dumps({**asked, "bytes": generated.bytes}))
    return generated.bytes


@contextmanager
def _answers_aside(gold: Path, scratch: Path) -> Iterator[None]:
    """The answers are not an export of articles: kept out of the folder while it loads,
    and put back whatever happens (the scratch folder is removed at the end)."""
    aside = scratch / gold.name
    if gold.exists():
        gold.rename(aside)
    try:
        yield
    finally:
        if aside.exists():
            aside.rename(gold)


def _cpu_seconds() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "self": own.ru_utime + own.ru_stime,
        "children": children.ru_utime + children.ru_stime,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="articles to generate and load")
    parser.add_argument("--runner", choices=["thread", "process", "dask"], default="thread")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument(
        "--reuse", action="store_true", help="use the corpus an earlier run left in --keep"
    )
    parser.add_argument("--score", type=int, default=2000, help="articles to score (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", choices=["synth", "realistic"], default="synth")
    parser.add_argument("--format", choices=["text", "html", "warc"], default="text")
    parser.add_argument(
        "--versus",
        type=int,
        default=300,
        help="articles to time figure extraction on against quantulum3 (0: skip)",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="newsfigures-bench-"))
    corpus = args.keep or scratch / "corpus"
    warehouse = scratch / "warehouse"
    try:
        started = time.perf_counter()
        if args.format != "text":
            args.score = args.versus = 0
        articles = corpus if args.format == "text" else scratch / "articles"
        generator = realistic if args.corpus == "realistic" else synth
        size = _generated(generator, args, articles)
        if args.format != "text":
            _, size = formats.write_pages(articles, corpus)
        if args.format == "warc":
            pages, corpus = corpus, scratch / "archive"
            corpus.mkdir()
            size = formats.write_warc(pages, corpus / "pages.warc.gz")
        generation = time.perf_counter() - started
        megabytes = size / 1e6
        gold = corpus / "gold.jsonl"

        from flows.pipeline import pipeline
        from newsfigures.run.server import prefect_api

        asked = {"task_runner": args.runner, "workers": args.workers}
        started = time.perf_counter()
        cpu_before = _cpu_seconds()
        # The API server `newsfigures run` starts: worker processes talk to it (each would
        # otherwise start an ephemeral server of its own), and it dies with this process.
        with (
            _answers_aside(gold, scratch),
            TreeMemory() as tree,
            prefect_api("bench-server.log", services=False),
        ):
            summary = pipeline(str(corpus), str(warehouse), str(ROOT), execution=asked)
        wall = time.perf_counter() - started
        cpu = {k: v - cpu_before[k] for k, v in _cpu_seconds().items()}
        whole_rss = peak_rss_mib()
        if args.score and not gold.exists():
            print(f"no answers ({gold}): accuracy not scored", file=sys.stderr)
        scored = args.score and gold.exists()
        accuracy = synth.score(corpus, args.score, show=0) if scored else None
        versus = side_by_side(corpus, args.versus, scratch) if args.versus else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; task runner {args.runner} ({args.workers} workers)"
    )
    print(
        f"corpus: {args.n:,} {args.corpus} articles as {args.format}, {megabytes:.1f} MB, "
        f"generated in {generation:.1f} s"
    )
    rss = summary.peak_rss_mib
    print(
        f"{'stage':10} {'seconds':>9} {'docs/s':>9} {'MB/s':>8} {'peak RSS':>9}"
        "  (time in stage summed over batches; RSS of the process running it, MiB)"
    )
    for stage in STAGES:
        seconds = summary.seconds.get(stage, 0.0)
        rate = args.n / seconds if seconds else float("inf")
        print(
            f"{stage:10} {seconds:9.1f} {rate:9.0f} {megabytes / seconds if seconds else 0:8.2f}"
            f" {rss.get(stage, 0.0):9,.0f}"
        )
    print(f"{'step':10} {'seconds':>9} {'peak RSS':>28}  (wall clock, the run's steps in order)")
    for step in STEPS:
        print(f"{step:10} {summary.seconds.get(step, 0.0):9.1f} {rss.get(step, 0.0):28,.0f}")
    phases = {k: v for k, v in summary.seconds.items() if k.startswith("commit.")}
    print("commit:    " + ", ".join(f"{k[7:]} {v:.1f}" for k, v in phases.items()))
    serial = sum(summary.seconds.get(s, 0.0) for s in STEPS if s not in ("extract", "recheck"))
    print(f"{'serial':10} {serial:9.1f}  (all steps but extract and recheck)")
    outside = wall - summary.seconds.get("run", wall)
    print(f"{'flow':10} {outside:9.1f}  (outside the run: Prefect start-up, artifacts)")
    print(
        f"whole run: {wall:.1f} s wall, {args.n / wall:.0f} docs/s, {megabytes / wall:.2f} MB/s; "
        f"peak RSS {whole_rss:,.0f} MiB (the largest process), {tree.peak_mib:,.0f} MiB "
        "(all the run's processes together)"
    )
    print(
        f"CPU time: {cpu['self']:.1f} s in this process (flow, Prefect's server, commit), "
        f"{cpu['children']:.1f} s in worker processes; {(cpu['self'] + cpu['children']) / wall:.2f} "
        "cores busy on average"
    )
    print(
        f"loaded: {summary.documents:,} documents, {summary.figures:,} figures; "
        f"{summary.errors} errors, {summary.warnings} warnings"
    )
    if accuracy:
        print(f"accuracy on the first {args.score:,} generated articles:")
        print(accuracy)
    if versus:
        print(versus)


def side_by_side(corpus: Path, count: int, scratch: Path, repeat: int = 3) -> str:
    """Figure extraction alone against quantulum3's parser, on the same `count` generated
    articles: each document timed `repeat` times, its median kept; ms/doc is the median over
    documents, the speed-up the ratio of the summed medians. quantulum3 runs in the
    benchmark venv (`make compare` sets it up), in its own process."""
    from newsfigures.config import load_project
    from newsfigures.extract import Extractor
    from newsfigures.sources.read import read_file
    from newsfigures.sources.records import RawDocument

    project = load_project(ROOT)
    extractor = Extractor.of(project)
    ingest = project.settings.ingest
    documents = []
    for path in sorted(corpus.rglob("*.txt"))[:count]:
        raw = read_file(path, corpus, ingest)
        if isinstance(raw, RawDocument):
            documents.append(raw)
    texts = [raw.text for raw in documents]

    # The stages as the pipeline times them (Extractor.extract): "figures" is sentence
    # splitting and the figure grammar, "text" metadata and figures together.
    def stage_times(raw: RawDocument) -> dict[str, float]:
        seconds: dict[str, float] = {}
        extractor.extract(raw, seconds)
        return {"figures": seconds["figures"], "text": seconds["metadata"] + seconds["figures"]}

    for raw in documents:  # warm-up
        stage_times(raw)
    runs = [[stage_times(raw) for _ in range(repeat)] for raw in documents]
    ours = {
        name: [statistics.median(run[name] for run in doc_runs) for doc_runs in runs]
        for name in ("figures", "text")
    }

    # Both tools read the same decoded text.
    folder = scratch / "versus"
    folder.mkdir(exist_ok=True)
    listing = folder / "files.txt"
    names = []
    for n, text in enumerate(texts):
        names.append(str(folder / f"{n:05d}.txt"))
        Path(names[-1]).write_text(text, encoding="utf-8")
    listing.write_text("\n".join(names))
    lines = [
        f"figure extraction alone, side by side on {len(texts):,} generated articles "
        f"(median of {repeat} runs per document):",
        f"  newsfigures figures stage        {statistics.median(ours['figures']) * 1e3:8.2f} ms/doc",
        f"  newsfigures metadata + figures   {statistics.median(ours['text']) * 1e3:8.2f} ms/doc",
    ]
    bench_python = ROOT / ".venv-bench" / "bin" / "python"
    if not bench_python.exists():
        return "\n".join([*lines, "  quantulum3: not installed (make compare sets it up)"])
    result = subprocess.run(
        [
            str(bench_python),
            str(ROOT / "benchmarks" / "time_quantulum.py"),
            str(listing),
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    quantulum = json.loads(result.stdout.strip().splitlines()[-1])
    speedup = quantulum["total_ms"] / (sum(ours["figures"]) * 1e3)
    lines += [
        f"  quantulum3 {quantulum['quantulum3']} parse       {quantulum['median_ms']:8.2f} ms/doc"
        f"  ({quantulum['disambiguation']})",
        f"  newsfigures' figure extraction is {speedup:.0f}x faster than quantulum3 "
        f"(whole text stage: {quantulum['total_ms'] / (sum(ours['text']) * 1e3):.0f}x)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
