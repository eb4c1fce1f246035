"""Table profiles: the layout knowledge of one table kind, kept as data.

A profile names the columns a table must have, the header texts (aliases) that identify
each, which are required, which may be merged vertically (fill down), and what page
furniture looks like. Profiles are TOML files beside this module, so supporting a renamed
column in a new release is a one-line change there.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from pipeline.errors import UsageError
from pipeline.normalise.languages import fold
from pipeline.schema import Field, RowCheck, field_from_toml

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """Compare header texts by letters and digits only, so that "Event / Title",
    "Event/Title" and "EVENT TITLE" are the same header, and without accents, so that
    "Événement / Titre" and "EVENEMENT / TITRE" are too."""
    return _NOT_ALNUM.sub("", fold(text))


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    required: bool = True
    fill_down: bool = False
    completes_row: str | None = None

    def __post_init__(self) -> None:
        if not self.key or not self.aliases:
            raise ValueError(f"profile column {self.key!r} needs a key and aliases")

    @property
    def alias_keys(self) -> frozenset[str]:
        return frozenset(header_key(a) for a in self.aliases)


@dataclass(frozen=True)
class Profile:
    name: str
    kind: str
    description: str
    missing_table_error: str
    columns: tuple[Column, ...] = ()
    furniture_patterns: tuple[re.Pattern[str], ...] = field(default=())
    furniture_line_patterns: tuple[re.Pattern[str], ...] = field(default=())
    fields: tuple[Field, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in {"iscm-events", "generic"}:
            raise ValueError(f"profile {self.name}: unknown kind {self.kind!r}")
        keys = [c.key for c in self.columns]
        if len(keys) != len(set(keys)):
            raise ValueError(f"profile {self.name}: duplicate column keys")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.required)

    @property
    def fill_down_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.fill_down)

    @property
    def date_key(self) -> str | None:
        """The column whose parse decides whether a row is complete (see clean)."""
        for c in self.columns:
            if c.completes_row == "date":
                return c.key
        return None

    def is_furniture(self, text: str) -> bool:
        """A whole physical row that is page furniture."""
        line = " ".join(text.split()).casefold()
        return any(p.search(line) for p in self.furniture_patterns)

    def is_furniture_line(self, text: str) -> bool:
        """One visual line that is page furniture wherever it stands, even inside a cell
        ("Page 1 of 2" printed just under a row that the page break left open)."""
        line = " ".join(text.split()).casefold()
        return any(p.search(line) for p in self.furniture_line_patterns)


def available_profiles() -> list[str]:
    root = resources.files("pipeline.profiles")
    return sorted(p.name[: -len(".toml")] for p in root.iterdir() if p.name.endswith(".toml"))


@cache
def load_profile(name: str) -> Profile:
    root = resources.files("pipeline.profiles")
    path = root / f"{name}.toml"
    if not path.is_file():
        raise UsageError(f"unknown profile {name!r} (available: {', '.join(available_profiles())})")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    columns = tuple(
        Column(
            key=c["key"],
            aliases=tuple(c["aliases"]),
            required=bool(c.get("required", True)),
            fill_down=bool(c.get("fill_down", False)),
            completes_row=c.get("completes_row"),
        )
        for c in data.get("columns", [])
    )
    furniture = data.get("furniture", {})
    patterns = tuple(re.compile(p, re.IGNORECASE) for p in furniture.get("patterns", []))
    line_patterns = tuple(re.compile(p, re.IGNORECASE) for p in furniture.get("line_patterns", []))
    return Profile(
        name=data["name"],
        kind=data["kind"],
        description=data.get("description", ""),
        missing_table_error=data.get("missing_table_error", "no table found"),
        columns=columns,
        furniture_patterns=patterns,
        furniture_line_patterns=line_patterns,
        fields=tuple(field_from_toml(f) for f in data.get("fields", [])),
        row_checks=tuple(
            RowCheck(c["left"], c["op"], c["right"]) for c in data.get("row_checks", [])
        ),
    )
