"""Paths, helpers, the fault tally and process helpers shared by the tests (importable: tests/
is on the path)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from newsfigures.config import Project
    from newsfigures.config.settings import Ingest
    from newsfigures.extract.figures import Figure
    from newsfigures.extract.grammar import FigureGrammar
    from newsfigures.run.summary import RunSummary

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
GOLD = REPO / "tests" / "annotations" / "seeds"
FIXTURES = REPO / "tests" / "fixtures"
# The project's declarations a worker or `newsfigures serve` needs, copied so that nothing is
# written into the repo.
PROJECT_FOLDERS = ("config", "schemas", "warehouse/views", "report", "flows", "seeds")
PROJECT_FILES = ("prefect.yaml", "warehouse/rules.yml")


def copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in PROJECT_FOLDERS:
        shutil.copytree(REPO / folder, target / folder, ignore=ignore)
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, target / name)
    return target


class FaultTally:
    """What the fault suite tried and survived, printed at the end of the session."""

    def __init__(self) -> None:
        self.inputs = self.survived = self.lost = self.duplicated = 0

    def record(self, inputs: int, survived: int, lost: int, duplicated: int) -> None:
        self.inputs += inputs
        self.survived += survived
        self.lost += lost
        self.duplicated += duplicated


fault_tally = FaultTally()


# Memory measured by tests/run/test_memory.py, printed at the end of the session.
memory_tally: list[str] = []


# -- runs and their warehouse ------------------------------------------------------------------
# (newsfigures is imported inside the helpers: conftest.py imports this module before it sets
# the environment Prefect reads at import time.)


def run_once(project: Project, seeds: Path, warehouse: Path) -> RunSummary:
    """One run of the pipeline over `seeds` into `warehouse`, without Prefect."""
    from newsfigures.run import runner

    return runner.run(seeds, warehouse, project, runner.LocalExecutor())


def rows(warehouse: Path, sql: str) -> list[tuple]:
    """The rows `sql` selects from the published warehouse."""
    import duckdb

    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


# -- the figures stage on one text ------------------------------------------------------------


def figures_in(text: str, grammar: FigureGrammar, published: date | None = None) -> list[Figure]:
    """The figures of `text` read as one content line."""
    from newsfigures.extract.figures import extract_figures
    from newsfigures.extract.text import Segment

    return extract_figures(text, [Segment(0, len(text))], published, grammar)


# -- files of an articles folder ---------------------------------------------------------------


def write_file(folder: Path, name: str, data: bytes) -> Path:
    """`data` as the file `folder/name` (its folders made)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def ingest_settings(**changes: object) -> Ingest:
    """The ingest settings of a small project: *.txt articles, hidden names excluded, UTF-8
    then cp1252, at most 1,000 bytes, HTML pages refused, NAME.meta.json read as a sidecar."""
    from newsfigures.config.settings import Ingest

    declared = {
        "include": ["*.txt"],
        "exclude": [".*"],
        "encodings": ["utf-8", "cp1252"],
        "max_bytes": 1000,
        "max_archive_bytes": 100_000,
        "html_markers": ["<!doctype html"],
        "sidecar_suffix": ".meta.json",
        "formats": {
            "json_lines": ["*.jsonl"],
            "json_array": ["*.json"],
            "csv": ["*.csv"],
            "parquet": ["*.parquet"],
            "html": ["*.html"],
            "warc": ["*.warc", "*.warc.gz"],
        },
        "html": {
            "published_meta": ["article:published_time", "datePublished", "date"],
            "title_meta": ["og:title"],
            "site_meta": ["og:site_name"],
            "article_types": ["NewsArticle", "Article"],
            "title_separators": [" | ", " :: ", " - "],
        },
        "fields": {
            "text": ["text", "body"],
            "title": ["title"],
            "published": ["published", "date"],
            "url": ["url"],
            "outlet": ["outlet"],
        },
        "refused": {
            "file_pdf": {"patterns": ["*.pdf"], "advice": "a PDF: export its text"},
            "file_docx": {"patterns": ["*.docx"], "advice": "a Word file: save it as text"},
        },
    }
    return Ingest(**{**declared, **changes})


# -- declarations --------------------------------------------------------------------------------


def edit_file(project: Path, file: str, old: str, new: str) -> None:
    """Replace the first `old` in the project's `file` with `new` (`old` must be there)."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- Processes a command leaves behind (Linux /proc) -------------------------------------


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (command) "
    return fields[0], int(fields[1])


def descendants(pid: int) -> dict[int, str]:
    """The processes below `pid` now, with their command lines."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[1], []).append(int(entry.name))
    found: dict[int, str] = {}
    stack = list(children.get(pid, []))
    while stack:
        child = stack.pop()
        try:
            found[child] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        stack.extend(children.get(child, []))
    return found


def alive(pid: int) -> bool:
    """Running: neither gone nor a zombie (a killed orphan may wait a while to be reaped)."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def listening(port: int, host: str = "127.0.0.1") -> bool:
    """Something accepts connections on the port."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, port)) == 0


# -- web archives ---------------------------------------------------------------------------------

PAGES = Path(__file__).parent / "fixtures" / "pages"


def build_warc(path: Path, names: list[str]) -> Path:
    """An archive as a crawler writes it: warcinfo, then per page of tests/fixtures/pages a
    response and its request, plus an image, a robots.txt, a metadata and a revisit record."""
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for name in names:
            url = f"https://news.example.org/{name}"
            _pair(writer, url, (PAGES / f"{name}.html").read_bytes(), "text/html; charset=utf-8")
        _pair(writer, "https://news.example.org/photo.jpg", b"\xff\xd8\xff\xe0" * 50, "image/jpeg")
        _pair(writer, "https://news.example.org/robots.txt", b"User-agent: *\n", "text/plain")
        meta = writer.create_warc_record(
            "https://news.example.org/", "metadata", payload=io.BytesIO(b"outlinks: 3")
        )
        writer.write_record(meta)
        revisit = writer.create_revisit_record(
            f"https://news.example.org/{names[0]}", "sha1:AAAA", "https://news.example.org/", "now"
        )
        writer.write_record(revisit)
    return path


def _pair(writer: Any, url: str, body: bytes, media: str) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", media), ("Content-Length", str(len(body)))], "HTTP/1.1"
    )
    response = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers
    )
    writer.write_record(response)
    request = StatusAndHeaders(
        "GET / HTTP/1.1", [("Host", "news.example.org")], is_http_request=True
    )
    writer.write_record(
        writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request)
    )


def process_of(item: int, tag: str) -> tuple[int, str]:
    """The process a mapped item ran in (importable by pool workers)."""
    import os

    return os.getpid(), f"{tag}{item}"
