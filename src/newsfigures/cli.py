"""The `newsfigures` command.

    newsfigures run    [--seeds DIR] [--warehouse DIR]   run the Prefect flow into DuckDB
    newsfigures check  [--seeds DIR]                     extract + validate, write nothing (CI gate)
    newsfigures score  [--seeds DIR] [--gold DIR]        precision/recall/F1 against gold files
    (run, check and score take --year YYYY: the year of date lines written without one)
    newsfigures serve  [--deployment NAME]               run on the prefect.yaml schedule
    newsfigures report [--warehouse DIR]                 the analyst report (one HTML file)
    newsfigures export TABLE_OR_VIEW --format csv|parquet|json [-o FILE]
                                                         a table or view of the warehouse as a file

Exit codes: 0 no error-severity violation, 1 some (everything valid was still loaded),
2 usage or runtime error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path

from newsfigures.config import ConfigError, Project, find_project_root, load_project, with_year

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2
YEAR_HELP = (
    "the year of date lines written without one ('GENEVA, Oct 3 (Reuters)') in articles "
    "whose sidecar does not give it"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfigures", description="Turn news article text into validated, queryable figures."
    )
    parser.add_argument(
        "--project",
        type=Path,
        help="project folder with config/ and schemas/ (default: found from cwd)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _run_arguments(
        commands.add_parser("run", help="run the pipeline (Prefect flow) and load the warehouse")
    )
    _check_arguments(
        commands.add_parser("check", help="extract and validate; write nothing; exit 1 on errors")
    )
    _score_arguments(
        commands.add_parser("score", help="score extraction against gold annotation files")
    )
    serve = commands.add_parser(
        "serve", help="run the pipeline on its prefect.yaml schedule until interrupted"
    )
    serve.add_argument(
        "--deployment", metavar="NAME", help="deployment in prefect.yaml (default: the only one)"
    )
    report = commands.add_parser(
        "report", help="write the analyst report: one self-contained HTML file"
    )
    report.add_argument(
        "--warehouse",
        type=Path,
        default=Path("warehouse"),
        help="warehouse folder (default: warehouse)",
    )
    _export_arguments(
        commands.add_parser("export", help="write a table or view of the warehouse to a file")
    )
    return parser


def _export_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument("name", metavar="TABLE_OR_VIEW", help="e.g. estimate_groups, figures")
    export.add_argument("--format", choices=("csv", "parquet", "json"), default="csv")
    export.add_argument(
        "-o", "--output", type=Path, help="file to write (default: TABLE_OR_VIEW.FORMAT here)"
    )
    export.add_argument(
        "--warehouse",
        type=Path,
        default=Path("warehouse"),
        help="warehouse folder (default: warehouse)",
    )


def _seeds_argument(command: argparse.ArgumentParser) -> None:
    """The articles folder, and the year of their date lines written without one."""
    command.add_argument(
        "--seeds", type=Path, default=Path("seeds"), help="folder of articles (default: seeds)"
    )
    command.add_argument("--year", type=int, metavar="YYYY", help=YEAR_HELP)


def _run_arguments(run: argparse.ArgumentParser) -> None:
    _seeds_argument(run)
    run.add_argument(
        "--warehouse",
        type=Path,
        default=Path("warehouse"),
        help="output folder (default: warehouse)",
    )
    run.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="wait this long for a run in progress (default: warehouse.lock_wait_seconds)",
    )
    run.add_argument(
        "--dask-address",
        metavar="ADDRESS",
        help="run the batches on this Dask cluster (e.g. tcp://10.0.0.5:8786)",
    )
    run.add_argument("-v", "--verbose", action="store_true", help="Prefect logs and every warning")


def _check_arguments(check: argparse.ArgumentParser) -> None:
    _seeds_argument(check)
    check.add_argument("--errors-only", action="store_true", help="do not list warnings")
    check.add_argument("--json", action="store_true", help="machine-readable report")


def _score_arguments(score: argparse.ArgumentParser) -> None:
    _seeds_argument(score)
    score.add_argument(
        "--gold",
        type=Path,
        default=Path("tests/annotations/seeds"),
        help="folder of gold JSON files",
    )
    score.add_argument(
        "-v", "--verbose", action="store_true", help="list misses, extras and disagreements"
    )
    score.add_argument("--json", action="store_true", help="print the totals as JSON")


def _prefect_environment(project_root: Path, verbose: bool) -> None:
    """Prefect reads its settings at import: keep its state in the project and offline."""
    os.environ.setdefault("PREFECT_HOME", str(project_root / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        # The terminal gets the CLI's own summary or one-line error: Prefect's log of a
        # failed run (its traceback) goes only to the API, and to the terminal with -v.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def _cmd_run(args: argparse.Namespace, project_root: Path) -> int:
    from newsfigures.run.preflight import preflight
    from newsfigures.run.report import run_summary
    from newsfigures.run.runner import Paths

    if not args.seeds.is_dir():
        print(f"error: seeds folder {args.seeds} does not exist", file=sys.stderr)
        return EXIT_ERROR
    # The declarations are checked before Prefect starts and before any article is read.
    project = _project(project_root, args.year)
    preflight(project, Paths.of(args.seeds, args.warehouse, project).state)
    _prefect_environment(project_root, args.verbose)
    from newsfigures.run.server import prefect_api

    status = nullcontext()
    if sys.stderr.isatty() and not args.verbose:
        from rich.console import Console

        status = Console(stderr=True).status(f"running the pipeline on {args.seeds} ...")
    # Prefect's ephemeral API server, but one that dies with this process (kill -9 included).
    with status, prefect_api("run-server.log", services=False):
        from flows.pipeline import run_pipeline

        summary = run_pipeline(
            str(args.seeds),
            str(args.warehouse),
            str(project_root),
            args.wait,
            args.dask_address,
            args.year,
        )
    print(
        run_summary(
            summary, str(args.seeds), project.settings.ingest.article_patterns, args.verbose
        )
    )
    return summary.exit_code


def _cmd_check(args: argparse.Namespace, project_root: Path) -> int:
    from newsfigures.run import runner
    from newsfigures.run.report import check_report

    if not args.seeds.is_dir():
        print(f"error: seeds folder {args.seeds} does not exist", file=sys.stderr)
        return EXIT_ERROR
    project = _project(project_root, args.year)
    # The run's own sequence, into a throwaway staging area, stopped before the commit.
    summary = runner.check(args.seeds, project, runner.LocalExecutor())
    if args.json:
        report = {
            "files": summary.files_seen,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "rejects": summary.rejects,
        }
        print(json.dumps(report, indent=2, default=str))
    else:
        include = project.settings.ingest.article_patterns
        print(check_report(summary, str(args.seeds), include, not args.errors_only))
    return EXIT_VIOLATIONS if summary.errors else EXIT_OK


def _cmd_score(args: argparse.Namespace, project_root: Path) -> int:
    from newsfigures.scoring import format_score, score_folder

    score = score_folder(_project(project_root, args.year), args.seeds, args.gold)
    print(json.dumps(score.as_dict(), indent=2) if args.json else format_score(score, args.verbose))
    return EXIT_OK


def _project(project_root: Path, year: int | None) -> Project:
    """The checked declarations, with the run's --year (refused outside the declared
    publication-date window)."""
    return with_year(load_project(project_root), year)


def _cmd_serve(args: argparse.Namespace, project_root: Path) -> int:
    # Long-running: keep Prefect's INFO logs, so every scheduled run shows up.
    _prefect_environment(project_root, verbose=True)
    from newsfigures.run.serve import serve

    serve(project_root, args.deployment)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, project_root: Path) -> int:
    from newsfigures.report.build import write_report

    try:
        written = write_report(load_project(project_root), args.warehouse)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"wrote {written}")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, project_root: Path) -> int:
    from newsfigures.load.export import ExportError, export

    database = args.warehouse / load_project(project_root).settings.warehouse.database
    output = args.output or Path(f"{args.name}.{args.format}")
    try:
        count = export(database, args.name, args.format, output)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"wrote {count} rows of {args.name} to {output}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        project_root = (args.project or find_project_root()).resolve()
        handlers = {
            "run": _cmd_run,
            "check": _cmd_check,
            "score": _cmd_score,
            "serve": _cmd_serve,
            "report": _cmd_report,
            "export": _cmd_export,
        }
        return handlers[args.command](args, project_root)
    except ConfigError as exc:
        # One problem per line, each naming its file, line, key and value.
        print("error: the declarations cannot be used:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    except Exception as exc:  # the CLI's contract: a message and exit 2, never a traceback
        print(f"error: {_said(exc)}", file=sys.stderr)
    return EXIT_ERROR


def _said(exc: Exception) -> str:
    """The message of an error the pipeline raises on purpose; else its type as well; on one
    line. The pipeline's own errors may arrive wrapped (a Prefect flow re-raises a task's
    failure)."""
    from newsfigures.config import OptionError
    from newsfigures.load.lock import WarehouseBusy
    from newsfigures.load.publish import PublishRefused
    from newsfigures.run.runner import DiskFull, IncompleteRun
    from newsfigures.validate.apply import ContractViolation

    ours = (WarehouseBusy, PublishRefused, DiskFull, IncompleteRun, ContractViolation, OptionError)
    said = str(exc) if isinstance(exc, ours) else f"{type(exc).__name__}: {exc}"
    return " ".join(line.strip() for line in said.splitlines() if line.strip())


if __name__ == "__main__":
    sys.exit(main())
