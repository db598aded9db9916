"""Throughput at scale: generate N articles with known answers, run the real pipeline over
them, and print per stage docs/s, MB/s and time, the whole run's wall time and peak RSS, and
the extraction's accuracy against the generated answers.

    .venv/bin/python benchmarks/throughput.py 10000 [--runner thread|process|dask]
        [--workers 2] [--keep DIR] [--score 2000]

The pipeline runs as a real Prefect flow (ephemeral server) in this process, with the task
runner asked for; peak RSS is this process's and its children's (worker processes).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import synth  # noqa: E402

STAGES = ("ingest", "metadata", "figures", "validate", "stage")
# The run's steps on the wall clock (newsfigures.runner.STEPS); the serial ones follow extract.
STEPS = ("plan", "extract", "partners", "recheck", "run_checks", "commit", "publish")


def peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="articles to generate and load")
    parser.add_argument("--runner", choices=["thread", "process", "dask"], default="thread")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument("--score", type=int, default=2000, help="articles to score (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="newsfigures-bench-"))
    corpus = args.keep or scratch / "corpus"
    warehouse = scratch / "warehouse"
    try:
        started = time.perf_counter()
        generated = synth.generate(args.n, corpus, seed=args.seed, gold=args.score > 0)
        generation = time.perf_counter() - started
        megabytes = generated.bytes / 1e6

        from flows.pipeline import pipeline, task_runner

        runner = task_runner({"task_runner": args.runner, "workers": args.workers})
        started = time.perf_counter()
        summary = pipeline.with_options(task_runner=runner)(str(corpus), str(warehouse), str(ROOT))
        wall = time.perf_counter() - started
        rss = peak_rss_mib()
        accuracy = synth.score(corpus, args.score, show=0) if args.score else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; task runner {args.runner} ({args.workers} workers)"
    )
    print(f"corpus: {args.n:,} articles, {megabytes:.1f} MB, generated in {generation:.1f} s")
    print(f"{'stage':10} {'seconds':>9} {'docs/s':>9} {'MB/s':>8}  (time in stage, all batches)")
    for stage in STAGES:
        seconds = summary.seconds.get(stage, 0.0)
        rate = args.n / seconds if seconds else float("inf")
        print(f"{stage:10} {seconds:9.1f} {rate:9.0f} {megabytes / seconds if seconds else 0:8.2f}")
    print(f"{'step':10} {'seconds':>9}  (wall clock, the run's steps in order)")
    for step in STEPS:
        print(f"{step:10} {summary.seconds.get(step, 0.0):9.1f}")
    serial = sum(summary.seconds.get(s, 0.0) for s in STEPS if s not in ("extract", "recheck"))
    print(f"{'serial':10} {serial:9.1f}  (all steps but extract and recheck)")
    outside = wall - summary.seconds.get("run", wall)
    print(f"{'flow':10} {outside:9.1f}  (outside the run: Prefect start-up, artifacts)")
    print(
        f"whole run: {wall:.1f} s wall, {args.n / wall:.0f} docs/s, {megabytes / wall:.2f} MB/s; "
        f"peak RSS {rss:,.0f} MiB"
    )
    print(
        f"loaded: {summary.documents:,} documents, {summary.figures:,} figures; "
        f"{summary.errors} errors, {summary.warnings} warnings"
    )
    if accuracy:
        print(f"accuracy on the first {args.score:,} generated articles:")
        print(accuracy)


if __name__ == "__main__":
    main()
