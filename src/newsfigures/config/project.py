"""Load a project's declarations once, check them, and hand them to every stage.

    config/vocabulary.yml  config/dates.yml  config/bounds.yml  config/settings.yml
    schemas/<table>.yml (table contracts, which may refer to the others: ${bounds.value_bounds})

Every file is read into typed objects and checked before any article is read: types,
required and unknown keys, ranges, regular expressions and their named groups, and what the
files say about each other (a category named in one must be declared in the vocabulary).
Every problem is reported at once, each with its file, line, key path and value.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pydantic
import yaml

from newsfigures.config.dates import DateRules
from newsfigures.config.problems import ConfigError, LineIndex, Problem, validation_problems
from newsfigures.config.settings import Bounds, Settings
from newsfigures.config.vocabulary import Vocabulary

PROJECT_ENV = "NEWSFIGURES_PROJECT"
CONFIG_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "vocabulary": Vocabulary,
    "dates": DateRules,
    "bounds": Bounds,
    "settings": Settings,
}
# The tables the engine writes: each needs its contract.
TABLES = ("documents", "figures", "rejects", "files", "runs", "document_sentences")
TABLES += ("document_texts",)
_REFERENCE = re.compile(r"^\$\{([a-z_]+)\.([A-Za-z0-9_.]+)\}$")


@dataclass(frozen=True)
class Project:
    """A newsfigures project folder and its checked declarations."""

    root: Path
    vocabulary: Vocabulary
    dates: DateRules
    bounds: Bounds
    settings: Settings
    contracts: dict[str, Any] = field(repr=False)
    today: date = field(default_factory=date.today)
    # Hash of every declaration file and the engine version: when it changes, an incremental
    # run reads every file again, because yesterday's rows were made under other rules.
    fingerprint: str = ""
    # The run's `--year`: the year a date line written without one takes when its article
    # has no sidecar that gives it (see with_year).
    year: int | None = None

    def path(self, relative: str) -> Path:
        return self.root / relative

    @property
    def views_dir(self) -> Path:
        return self.path(self.settings.warehouse.views)


class OptionError(ValueError):
    """A run option the declarations refuse (the message says which and why)."""


def with_year(project: Project, year: int | None) -> Project:
    """The project of a run given `--year`. The year is part of the fingerprint: a run with
    another year (or none) reads every file again, as for any change of the rules."""
    if year is None:
        return project
    window = project.bounds.published_date
    latest = project.today if window.latest == "today" else window.latest
    if not window.earliest.year <= year <= latest.year:
        raise OptionError(
            f"--year {year}: outside the publication-date window of config/bounds.yml "
            f"({window.earliest.year} to {latest.year}): every date given it would be refused"
        )
    fingerprint = hashlib.sha256(f"{project.fingerprint} year={year}".encode()).hexdigest()
    return replace(project, year=year, fingerprint=fingerprint[:16])


def find_project_root(start: Path | None = None) -> Path:
    """The project folder: $NEWSFIGURES_PROJECT, else the nearest folder holding config/."""
    if os.environ.get(PROJECT_ENV):
        return Path(os.environ[PROJECT_ENV]).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "config" / "vocabulary.yml").is_file():
            return candidate
    raise ConfigError(
        f"no newsfigures project found from {here}: expected config/vocabulary.yml "
        f"here or in a parent folder (or set {PROJECT_ENV})"
    )


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML mapping, or a ConfigError naming the file (and line) and what is wrong."""
    data, problem = _read_yaml(path, str(path))
    if problem:
        raise ConfigError([problem])
    return data


def _read_yaml(path: Path, label: str) -> tuple[Any, Problem | None]:
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, Problem(label, (), "file not found")
    except (OSError, UnicodeDecodeError) as exc:
        return None, Problem(label, (), f"cannot read: {exc}")
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, Problem(label, (), f"not valid YAML: {reason}", line=line)
    if not isinstance(data, dict):
        return None, Problem(label, (), "expected a mapping of keys at the top level")
    return data, None


def load_project(root: Path | None = None, today: date | None = None) -> Project:
    """Read and check the declarations of the project at `root` (found from cwd if None).
    Cached until a declaration file changes, so a long-running `serve` picks up edits."""
    root = (root or find_project_root()).resolve()
    signature = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in declaration_files(root)
    )
    return _load(root, today or date.today(), signature)


def declaration_files(root: Path) -> list[Path]:
    return sorted([*(root / "config").glob("*.yml"), *(root / "schemas").glob("*.yml")])


@cache
def _load(root: Path, today: date, signature: tuple) -> Project:
    problems: list[Problem] = []
    typed: dict[str, Any] = {}
    for name, model in CONFIG_MODELS.items():
        label = f"config/{name}.yml"
        typed[name], found = read_typed(root / label, label, model)
        problems += found
    problems += _cross_check(root, typed, today)
    contracts: dict[str, Any] = {}
    if not problems:
        contracts, found = _contracts(root, typed, today)
        problems += found
    if problems:
        raise ConfigError(problems)
    return Project(
        root=root,
        contracts=contracts,
        today=today,
        fingerprint=_fingerprint(root),
        **typed,
    )


def read_typed(
    path: Path, label: str, model: type[pydantic.BaseModel]
) -> tuple[Any, list[Problem]]:
    """A YAML declaration read into `model`: the object, or the problems with their lines."""
    data, problem = _read_yaml(path, label)
    if problem:
        return None, [problem]
    try:
        return model.model_validate(data), []
    except pydantic.ValidationError as exc:
        lines = LineIndex(path.read_text(encoding="utf-8"))
        return None, validation_problems(exc, label, model, lines)


def _cross_check(root: Path, typed: dict[str, Any], today: date) -> list[Problem]:
    """What the files say about each other and about today (for the files that parsed)."""
    vocabulary: Vocabulary | None = typed["vocabulary"]
    bounds: Bounds | None = typed["bounds"]
    settings: Settings | None = typed["settings"]
    found: list[tuple[str, tuple, Any, str]] = []
    if vocabulary is not None:
        found += [("vocabulary", *problem) for problem in vocabulary.problems()]
    if vocabulary is not None and bounds is not None:
        for category in bounds.value_bounds:
            if category != "default" and category not in vocabulary.categories:
                message = "not a declared category (config/vocabulary.yml: categories)"
                found.append(("bounds", ("value_bounds", category), category, message))
    if bounds is not None:
        found += [("bounds", *problem) for problem in _window_problems(bounds, today)]
    if settings is not None and not (root / settings.warehouse.views).is_dir():
        message = "no such folder of SQL views"
        found.append(("settings", ("warehouse", "views"), settings.warehouse.views, message))
    problems = []
    for name, location, value, message in found:
        label = f"config/{name}.yml"
        lines = LineIndex((root / label).read_text(encoding="utf-8"))
        problems.append(Problem(label, location, message, value, lines.line(location)))
    return problems


def _window_problems(bounds: Bounds, today: date) -> list[tuple[tuple, Any, str]]:
    """The publication-date window must lie in the past and be ordered."""
    window = bounds.published_date
    latest = today if window.latest == "today" else window.latest
    found = []
    if window.earliest > today:
        message = f"is after today ({today}): every publication date would be refused"
        found.append((("published_date", "earliest"), window.earliest, message))
    if latest > today:
        message = f"is in the future (today is {today}): the window must end by today"
        found.append((("published_date", "latest"), window.latest, message))
    elif window.earliest > latest and window.earliest <= today:
        message = f"is after published_date.latest ({latest})"
        found.append((("published_date", "earliest"), window.earliest, message))
    return found


def _contracts(root: Path, typed: dict[str, Any], today: date) -> tuple[dict, list[Problem]]:
    """schemas/*.yml, with their ${file.key} references filled in, as compiled contracts."""
    from newsfigures.validate.contracts import Contract, ContractDeclaration

    contracts, problems = {}, []
    for path in sorted((root / "schemas").glob("*.yml")):
        label = f"schemas/{path.name}"
        data, problem = _read_yaml(path, label)
        if problem:
            problems.append(problem)
            continue
        lines = LineIndex(path.read_text(encoding="utf-8"))
        resolved, unresolved = _resolve(data, typed, today, label, lines, ())
        if unresolved:
            problems += unresolved
            continue
        try:
            declaration = ContractDeclaration.model_validate(resolved)
        except pydantic.ValidationError as exc:
            problems += validation_problems(exc, label, ContractDeclaration, lines)
            continue
        problems += [
            Problem(label, location, message, value, lines.line(location))
            for location, value, message in declaration.problems()
        ]
        if declaration.table in contracts:
            message = f"table {declaration.table!r} has two contracts"
            problems.append(Problem(label, ("table",), message, line=lines.line(("table",))))
        contracts[declaration.table] = Contract(declaration, label)
    for table in TABLES:
        if table not in contracts and not problems:
            problems.append(Problem("schemas/", (), f"no contract for table {table!r}"))
    return contracts, problems


def _resolve(
    node: Any, typed: dict[str, Any], today: date, label: str, lines: LineIndex, at: tuple
) -> tuple[Any, list[Problem]]:
    """The node with every "${file.key.path}" string replaced by the declared value."""
    if isinstance(node, dict):
        pairs = [(k, _resolve(v, typed, today, label, lines, (*at, k))) for k, v in node.items()]
        return {k: v for k, (v, _) in pairs}, [p for _, (_, ps) in pairs for p in ps]
    if isinstance(node, list):
        items = [_resolve(v, typed, today, label, lines, (*at, i)) for i, v in enumerate(node)]
        return [v for v, _ in items], [p for _, ps in items for p in ps]
    match = _REFERENCE.match(node) if isinstance(node, str) else None
    if not match:
        return node, []
    source, key_path = match.groups()
    value: Any = typed.get(source)
    for key in key_path.split(".") if value is not None else ():
        value = value.get(key) if isinstance(value, dict) else getattr(value, key, None)
    if value is None:
        return node, [Problem(label, at, "refers to nothing declared", node, lines.line(at))]
    if value == "today":
        return today, []
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump()
    return value, []


def _fingerprint(root: Path) -> str:
    digest = hashlib.sha256(_engine_version().encode())
    for path in declaration_files(root):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _engine_version() -> str:
    try:
        return version("newsfigures")
    except PackageNotFoundError:
        return "unknown"
