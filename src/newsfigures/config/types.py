"""Value types the declarations are made of, each checked when a file is read: words, counts,
regular expressions with their placeholders and named groups, DuckDB sizes."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


class Declared(BaseModel):
    """A block of a declaration file: unknown keys are refused, values are never changed."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def _word(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty word")
    return value


def _not_a_boolean(value: Any) -> Any:
    # YAML reads unquoted on/off/yes/no as true/false, which pydantic would take for 1 and 0.
    if isinstance(value, bool):
        raise ValueError(
            f"read as {str(value).lower()}: write a number (YAML reads unquoted on/off/yes/no "
            "as true/false)"
        )
    return value


Word = Annotated[str, AfterValidator(_word)]
Words = list[Word]
Count = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0)]
PositiveInt = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1)]
Fraction = Annotated[float, BeforeValidator(_not_a_boolean), Field(gt=0, lt=1)]

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def pattern(groups: tuple[str, ...] = (), placeholders: tuple[str, ...] = ()) -> Any:
    """A regular expression, kept as written (the engine compiles it after filling its
    placeholders), checked here: it compiles, uses only the `placeholders` allowed, and has
    the named `groups` the engine reads."""

    def check(source: str) -> str:
        unknown = sorted(set(_PLACEHOLDER.findall(source)) - set(placeholders))
        if unknown:
            allowed = ", ".join("{" + p + "}" for p in placeholders) or "none"
            raise ValueError(f"unknown placeholder {{{unknown[0]}}} (allowed: {allowed})")
        try:
            compiled = re.compile(_PLACEHOLDER.sub("(?:x)", source))
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        missing = [g for g in groups if g not in compiled.groupindex]
        if missing:
            raise ValueError(f"the pattern needs the named group (?P<{missing[0]}>...)")
        return source

    return Annotated[str, AfterValidator(check)]


def _encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown text encoding {name!r}") from None
    return name


Encoding = Annotated[str, AfterValidator(_encoding)]

_SIZE = re.compile(
    r"^\s*\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B|bytes?)\s*$|^\s*\d+(?:\.\d+)?\s*%\s*$", re.I
)


def _size(value: str) -> str:
    if not _SIZE.match(str(value)):
        raise ValueError("expected a size such as 1GB, 512MB or 80%")
    return str(value)


MemorySize = Annotated[str, AfterValidator(_size)]


def _relative_path(value: str) -> str:
    if value.startswith("/") or ".." in value.split("/"):
        raise ValueError("expected a path inside the folder (no leading / and no ..)")
    if value.strip(" ./") == "":
        raise ValueError("expected a path that names a file or folder, not an empty one")
    return value


RelativePath = Annotated[str, AfterValidator(_relative_path)]


def unique(what: str) -> Callable[[list[Any]], list[Any]]:
    """A check that the items of a list (or their `name`) are unique."""

    def check(items: list[Any]) -> list[Any]:
        seen: set[str] = set()
        for item in items:
            key = getattr(item, "name", item)
            if key in seen:
                raise ValueError(f"{what} {key!r} is declared twice")
            seen.add(key)
        return items

    return check
