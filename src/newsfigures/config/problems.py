"""What is wrong with a declaration, said so that a person can fix it: the file, the line,
the key path, the value and the problem, every problem of a run at once.

Pydantic's validation errors are turned into these, with a did-you-mean for misspelt keys
(the allowed keys are read off the model at the error's location).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pydantic
import yaml

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one declaration file."""

    file: str
    location: Location
    message: str
    value: Any = None
    line: int | None = None
    show_value: bool = True

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.location:
            parts.append(key_path(self.location))
        if self.show_value and self.value is not None and _short(self.value) not in self.message:
            parts.append(_short(self.value))
        return ": ".join(parts) + f": {self.message}"


class ConfigError(Exception):
    """Declarations that cannot be trusted; the message lists every problem found."""

    def __init__(self, problems: str | Sequence[Problem]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def key_path(location: Location) -> str:
    """('outlets', 3, 'names') -> 'outlets[3].names'."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _short(value: Any) -> str:
    text = str(value) if isinstance(value, date) else repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


# -- lines: where a key path sits in a YAML file ---------------------------------------------


class LineIndex:
    """Key path -> line number (1-based) of a parsed YAML document, composed only when a
    problem asks for a line (reading files that have none stays fast)."""

    def __init__(self, source: str):
        self._source = source
        self._lines: dict[Location, int] | None = None

    def _index(self) -> dict[Location, int]:
        if self._lines is None:
            self._lines = {}
            try:
                node = yaml.compose(self._source, Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                node = None
            if node is not None:
                _walk(node, (), self._lines)
        return self._lines

    def line(self, location: Location) -> int | None:
        """The line of the deepest part of `location` the file has."""
        lines = self._index()
        for end in range(len(location), -1, -1):
            found = lines.get(tuple(location[:end]))
            if found is not None:
                return found
        return None


def _walk(node: yaml.Node, location: Location, lines: dict[Location, int]) -> None:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*location, _key_value(key.value))
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*location, index), lines)


def _key_value(text: str) -> str | int:
    return int(text) if text.isdigit() else text


# -- pydantic errors ---------------------------------------------------------------------------


def validation_problems(
    error: pydantic.ValidationError, file: str, model: type, lines: LineIndex, prefix: Location = ()
) -> list[Problem]:
    """Every error of a model's validation as a Problem in `file`."""
    problems = []
    for item in error.errors(include_url=False):
        location = tuple(part for part in item["loc"] if not _is_internal(part))
        full = (*prefix, *location)
        message, show = _message(item, model, location)
        problems.append(
            Problem(file, full, message, item.get("input"), lines.line(full), show_value=show)
        )
    return problems


def _is_internal(part: str | int) -> bool:
    # Tagged unions and validators add their tag to the location: not a key of the file.
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def _message(item: dict[str, Any], model: type, location: Location) -> tuple[str, bool]:
    kind, value, context = item["type"], item.get("input"), item.get("ctx") or {}
    if kind == "missing":
        return "missing key", False
    if kind == "extra_forbidden":
        return _unknown_key(model, location), False
    if isinstance(value, bool) and kind in ("string_type", "int_type", "float_type"):
        return (
            "read as true/false: quote it (YAML reads unquoted on/off/yes/no as booleans)",
            False,
        )
    simple = {
        "int_parsing": "expected a whole number",
        "int_type": "expected a whole number",
        "int_from_float": "expected a whole number",
        "float_parsing": "expected a number",
        "float_type": "expected a number",
        "string_type": "expected text",
        "list_type": "expected a list",
        "dict_type": "expected a mapping",
        "model_type": "expected a mapping",
        "bool_type": "expected true or false",
        "bool_parsing": "expected true or false",
        "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
        "date_parsing": "expected a date (YYYY-MM-DD)",
        "date_type": "expected a date (YYYY-MM-DD)",
    }
    if kind in simple:
        return simple[kind], True
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "greater_than": "greater than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }
        bound = next(iter(context.values()))
        return f"must be {words[kind]} {bound}", True
    if kind == "literal_error":
        return f"must be one of {context.get('expected')}", True
    if kind in ("too_short", "too_long"):
        return item["msg"].replace("List", "the list").replace("Dictionary", "the mapping"), False
    if kind == "union_tag_invalid":
        tag = str(context.get("tag"))
        known = [t.strip(" '") for t in str(context.get("expected_tags", "")).split(",")]
        named = f" (in {value['name']!r})" if isinstance(value, dict) and "name" in value else ""
        return f"unknown type {tag!r}{named}{suggest(tag, known)}", False
    message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message, repr(value) not in message


def _unknown_key(model: type, location: Location) -> str:
    allowed = allowed_keys(model, location[:-1])
    key = str(location[-1]) if location else ""
    if not allowed:
        return "unknown key"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(allowed))}"
    return f"unknown key ({hint})"


def allowed_keys(model: Any, location: Location) -> list[str]:
    """The keys the model accepts at `location` (walked through lists, mappings, unions)."""
    current: Any = model
    for part in location:
        current = _child_type(current, part)
        if current is None:
            return []
    fields = getattr(_unwrap(current), "model_fields", None)
    return list(fields) if fields else []


def _child_type(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    fields = getattr(annotation, "model_fields", None)
    if fields is not None:
        field = fields.get(str(part))
        return field.annotation if field else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple, Sequence) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    """The model inside Optional[...], Annotated[...], or a union of models (the first)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if options else annotation
            if len(options) <= 1:
                continue
            return annotation
        else:
            return annotation


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' for a close match among `choices`, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
