"""Load the project's declarations: vocabulary, dates, bounds, settings and table contracts.

Everything the engine knows about language and plausibility comes from these YAML files;
this module only reads them, resolves `${file.key.path}` references and names the file
and key when something is wrong.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILES = ("vocabulary", "dates", "bounds", "settings")
PROJECT_ENV = "NEWSFIGURES_PROJECT"
_REFERENCE = re.compile(r"^\$\{([a-z_]+)\.([A-Za-z0-9_.]+)\}$")


class ConfigError(Exception):
    """A declaration file is missing or malformed; the message names the file and key."""


@dataclass(frozen=True)
class Project:
    """A newsfigures project folder and its parsed declarations."""

    root: Path
    vocabulary: dict[str, Any]
    dates: dict[str, Any]
    bounds: dict[str, Any]
    settings: dict[str, Any]
    contracts: dict[str, dict[str, Any]] = field(repr=False)
    today: date = field(default_factory=date.today)
    # Hash of every declaration file and the engine version: when it changes, an incremental
    # run reads every file again, because yesterday's rows were made under other rules.
    fingerprint: str = ""

    def path(self, relative: str) -> Path:
        return self.root / relative

    def resolve(self, value: Any, where: str) -> Any:
        """Replace a `${bounds.value_bounds}`-style reference with the declared value."""
        if not isinstance(value, str):
            return value
        match = _REFERENCE.match(value)
        if not match:
            return value
        source, key_path = match.groups()
        node: Any = getattr(self, source, None)
        if not isinstance(node, dict):
            raise ConfigError(f"{where}: reference {value!r} names unknown file {source!r}")
        for key in key_path.split("."):
            if not isinstance(node, dict) or key not in node:
                raise ConfigError(f"{where}: reference {value!r}: no key {key!r}")
            node = node[key]
        if node == "today":
            return self.today
        if isinstance(node, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node):
            return date.fromisoformat(node)
        return node


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
    """A YAML mapping, or a ConfigError naming the file and what is wrong with it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def require(mapping: dict[str, Any], key: str, where: str) -> Any:
    """mapping[key], or a ConfigError that says which file and key is missing."""
    if key not in mapping:
        raise ConfigError(f"{where}: missing key {key!r}")
    return mapping[key]


def _reject_yaml_booleans(node: Any, where: str) -> None:
    """YAML reads unquoted on/off/yes/no as booleans; in a word list that is always a typo."""
    if isinstance(node, dict):
        for key, value in node.items():
            _reject_yaml_booleans(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, bool):
                raise ConfigError(
                    f"{where}[{index}] is read as {value}: quote the word (YAML treats "
                    "unquoted on/off/yes/no as true/false)"
                )
            _reject_yaml_booleans(value, f"{where}[{index}]")


def _declaration_files(root: Path) -> list[Path]:
    return sorted([*(root / "config").glob("*.yml"), *(root / "schemas").glob("*.yml")])


@cache
def _load(root: Path, today: date, signature: tuple) -> Project:
    parts = {name: read_yaml(root / "config" / f"{name}.yml") for name in CONFIG_FILES}
    for name, data in parts.items():
        _reject_yaml_booleans(data, f"config/{name}.yml: {name}")
    contracts = {}
    for path in sorted((root / "schemas").glob("*.yml")):
        contract = read_yaml(path)
        name = require(contract, "table", str(path))
        contract["_path"] = str(path)
        contracts[name] = contract
    if not contracts:
        raise ConfigError(f"{root / 'schemas'}: no table contracts (*.yml) found")
    digest = hashlib.sha256(_engine_version().encode())
    for path in _declaration_files(root):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return Project(
        root=root, contracts=contracts, today=today, fingerprint=digest.hexdigest()[:16], **parts
    )


def _engine_version() -> str:
    try:
        return version("newsfigures")
    except PackageNotFoundError:
        return "unknown"


def load_project(root: Path | None = None, today: date | None = None) -> Project:
    """Read the declarations of the project at `root` (found from cwd if None). They are
    cached until a declaration file changes, so a long-running `serve` picks up edits."""
    root = (root or find_project_root()).resolve()
    signature = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in _declaration_files(root)
    )
    return _load(root, today or date.today(), signature)
