"""How much a re-run over an unchanged folder costs, against an empty Prefect flow run.

Both run the way a schedule runs them: a fresh Python process, Prefect in ephemeral mode
(its temporary API server started and stopped by the process), the same PREFECT_HOME.

    .venv/bin/python benchmarks/rerun_overhead.py [--seeds seeds] [--repeat 5]

Prints the median wall time of each and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMPTY_FLOW = """
from prefect import flow

@flow(name="empty")
def empty() -> None:
    return None

empty()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = {
        **os.environ,
        "PREFECT_HOME": str(ROOT / ".prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    newsfigures = [str(Path(sys.executable).parent / "newsfigures")]
    with tempfile.TemporaryDirectory() as scratch:
        warehouse = Path(scratch) / "warehouse"
        seeds = Path(scratch) / "seeds"
        shutil.copytree(args.seeds, seeds)
        run = [*newsfigures, "run", "--seeds", str(seeds), "--warehouse", str(warehouse)]
        first = timed(run, env)  # builds the warehouse; also warms Prefect's database
        empty = [timed([sys.executable, "-c", EMPTY_FLOW], env) for _ in range(args.repeat)]
        rerun = [timed(run, env) for _ in range(args.repeat)]
        files = sum(1 for path in seeds.rglob("*") if path.is_file())
    e, r = statistics.median(empty), statistics.median(rerun)
    print(f"folder: {args.seeds} ({files} files); first run {first:.2f} s")
    print(
        f"empty Prefect flow run     median {e:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in empty)})"
    )
    print(
        f"unchanged-folder re-run    median {r:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in rerun)})"
    )
    print(f"ratio {r / e:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
