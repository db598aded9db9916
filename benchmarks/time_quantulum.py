"""Time quantulum3's parser on article files, for the side-by-side figure in
benchmarks/throughput.py (which runs this with the benchmark venv, where quantulum3 lives).

    .venv-bench/bin/python benchmarks/time_quantulum.py FILE_LIST [--repeat N]

FILE_LIST names one UTF-8 article per line. Prints one JSON object: quantulum3's version, how
it disambiguates units, the number of documents, and the median over documents of each
document's median parse time, in milliseconds, with the total of those medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_quantulum import load_quantulum


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file_list", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = [
        Path(line).read_text(encoding="utf-8", errors="replace")
        for line in args.file_list.read_text().splitlines()
        if line
    ]
    quantulum, info = load_quantulum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in texts:  # warm-up: caches, lazy imports
            quantulum.parse(text)
        per_document = []
        for text in texts:
            runs = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                quantulum.parse(text)
                runs.append(time.perf_counter() - started)
            per_document.append(statistics.median(runs))
    print(
        json.dumps(
            {
                **info,
                "documents": len(texts),
                "median_ms": statistics.median(per_document) * 1000,
                "total_ms": sum(per_document) * 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
