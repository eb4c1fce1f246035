"""Table profiles: everything the pipeline knows about one table kind, kept as data.

A profile file (TOML) declares the columns a table has (printed names and aliases, a
column type that does the parsing, whether each is required, which may be merged
vertically), the fields each column's outputs become, how the stable row id is derived,
the tables the profile writes and what page furniture looks like. A profile that
declares no columns has them inferred from each table's header (``infers_columns``); the
layout names a table's columns by the profile's aliases (``header_keys``).
The code knows column types, never a profile's column names. The format is documented
in docs/profiles-data.md.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.columns import Cell, ColumnType, column_type
from pipeline.errors import UsageError
from pipeline.normalise.ids import stable_id
from pipeline.normalise.languages import fold
from pipeline.schema import Field, RowCheck, field_from_toml
from pipeline.tables import ITEM, ForeignKey, Table

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

ROW_FIELDS: dict[str, str] = {
    "source_file": "string",
    "source_sha256": "string",
    "table_index": "integer",
    "row_index": "integer",
    "page_start": "integer",
    "page_end": "integer",
}
"""Fields every record carries whatever the profile: where the row came from."""


@functools.lru_cache(maxsize=1 << 16)
def header_key(text: str) -> str:
    """Compare header texts by letters and digits only, so that "Event / Title",
    "Event/Title" and "EVENT TITLE" are the same header, and without accents, so that
    "Événement / Titre" and "EVENEMENT / TITRE" are too. (Cached: layout asks it of
    every word of every body line, to tell a second table's header; the words of a
    release repeat.)"""
    return _NOT_ALNUM.sub("", fold(text))


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    required: bool = True
    fill_down: bool = False
    completes_row: bool = False
    type: str = "text"
    outputs: tuple[tuple[str, str], ...] = ()
    """(role, field name) for each output of the column type; a role not listed gets
    the column key (single-output types) or ``<key>_<role>``."""
    options: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if not self.key or not self.aliases:
            raise ValueError(f"profile column {self.key!r} needs a key and aliases")
        kind = column_type(self.type)
        unknown = {role for role, _ in self.outputs} - set(kind.roles)
        if unknown:
            raise ValueError(
                f"column {self.key!r}: {kind.name} has no output {', '.join(sorted(unknown))} "
                f"(its outputs: {', '.join(kind.roles)})"
            )
        bad_options = {k for k, _ in self.options} - kind.options
        if bad_options:
            raise ValueError(
                f"column {self.key!r}: unknown option {', '.join(sorted(bad_options))} "
                f"for type {kind.name}"
            )

    @cached_property
    def alias_keys(self) -> frozenset[str]:
        """Folded once per column: the header finder asks for them on every text line."""
        return frozenset(header_key(a) for a in self.aliases)

    @property
    def column_type(self) -> ColumnType:
        return column_type(self.type)

    @property
    def field_names(self) -> dict[str, str]:
        """role -> the record key it is written to."""
        named = dict(self.outputs)
        roles = self.column_type.roles
        single = len(roles) == 1
        return {r: named.get(r, self.key if single else f"{self.key}_{r}") for r in roles}

    def cell(self, text: str, italic: bool = False) -> Cell:
        return Cell(
            tuple(text.split("\n")),
            self.aliases[0],
            required=self.required,
            italic=italic,
            options=dict(self.options),
        )

    def parse(self, text: str, italic: bool = False) -> dict[str, Any]:
        """The cell's outputs under their field names; raises CellError."""
        values = self.column_type.parse(self.cell(text, italic))
        return {name: values[role] for role, name in self.field_names.items()}

    def complete(self, text: str) -> bool:
        """The cell, whitespace collapsed to one line, parses."""
        return self.column_type.complete(self.cell(" ".join(text.split())))


@dataclass(frozen=True)
class IdPart:
    field: str
    fallback: str | None = None
    """Field used when ``field`` is empty (an ISCM without acronyms: its name)."""


@dataclass(frozen=True)
class RowId:
    """A stable key derived from what a row *is*, never from where it is printed."""

    field: str
    parts: tuple[IdPart, ...]
    length: int = 16

    def of(self, record: Mapping[str, Any]) -> str:
        values = []
        for part in self.parts:
            value = record.get(part.field)
            if part.fallback is not None and not _has_value(value):
                value = record.get(part.fallback)
            values.append(value)
        return stable_id(values, self.length)


def _has_value(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(str(v).strip() for v in value)
    return value is not None and str(value).strip() != ""


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    missing_table_error: str
    columns: tuple[Column, ...] = ()
    furniture_patterns: tuple[re.Pattern[str], ...] = field(default=())
    furniture_line_patterns: tuple[re.Pattern[str], ...] = field(default=())
    tables: tuple[Table, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    row_id: RowId | None = None
    rows_numbered_per_table: bool = False
    """row_index counts within each printed table, not through the document."""
    inferred_column: Column | None = None
    """The column every inferred header becomes (``infers_columns``)."""

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(keys) != len(set(keys)):
            raise ValueError(f"profile {self.name}: duplicate column keys")
        if sum(1 for t in self.tables if t.rows_from is None) > 1:
            raise ValueError(f"profile {self.name}: more than one table with a row per row")
        _check_fields(self)

    @property
    def infers_columns(self) -> bool:
        """No columns declared: each table's columns come from its printed header (and,
        in the layout engine, the text alignment)."""
        return not self.columns

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
    def completing_column(self) -> Column | None:
        """The column whose parse decides whether a row is complete (see clean)."""
        return next((c for c in self.columns if c.completes_row), None)

    @property
    def date_key(self) -> str | None:
        """Key of ``completing_column`` (the layout engine reads it as a date)."""
        column = self.completing_column
        return column.key if column is not None else None

    @property
    def row_table(self) -> Table | None:
        """The table with one row per logical row."""
        return next((t for t in self.tables if t.rows_from is None), None)

    @property
    def child_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.rows_from is not None)

    @property
    def fields(self) -> tuple[Field, ...]:
        """The fields validate checks: the row table's, unless its columns are only known
        per printed table (then they are text as printed and nothing is checked)."""
        table = self.row_table
        return table.fields if table is not None and not table.per_source_table else ()

    def columns_for(self, labels: Sequence[str]) -> tuple[Column, ...]:
        """The columns of one printed table: the declared ones, or one per header label."""
        if not self.infers_columns or self.inferred_column is None:
            return self.columns
        base = self.inferred_column
        return tuple(
            Column(
                key=label,
                aliases=(label,),
                required=False,
                type=base.type,
                outputs=tuple((role, label) for role in base.column_type.roles),
                options=base.options,
            )
            for label in labels
        )

    def header_keys(self, labels: Sequence[str]) -> tuple[str, ...] | None:
        """The keys of a printed table's columns, from their header names: a name that
        is an alias of a declared column gives that column's key, any other name stays
        the key (a profile that declares no columns keeps every name as printed). None
        when a required column is left unnamed: the table is not this profile's."""
        keys: list[str] = []
        named: set[str] = set()
        for label in labels:
            key = header_key(label)
            column = next(
                (c for c in self.columns if c.key not in named and key in c.alias_keys), None
            )
            if column is not None:
                named.add(column.key)
            keys.append(label if column is None else column.key)
        return tuple(keys) if named >= set(self.required_keys) else None

    def is_furniture(self, text: str) -> bool:
        """A whole physical row that is page furniture."""
        line = " ".join(text.split()).casefold()
        return any(p.search(line) for p in self.furniture_patterns)

    def is_furniture_line(self, text: str) -> bool:
        """One visual line that is page furniture wherever it stands, even inside a cell
        ("Page 1 of 2" printed just under a row that the page break left open)."""
        line = " ".join(text.split()).casefold()
        return any(p.search(line) for p in self.furniture_line_patterns)


def _output_types(profile: Profile) -> dict[str, str | None]:
    """Every record key the profile's rows carry, with its field type."""
    types: dict[str, str | None] = dict(ROW_FIELDS)
    for column in profile.columns:
        roles = {o.role: o.field_type for o in column.column_type.outputs}
        for role, name in column.field_names.items():
            if name in types:
                raise ValueError(f"profile {profile.name}: two outputs named {name!r}")
            types[name] = roles[role]
    if profile.row_id is not None:
        types[profile.row_id.field] = "string"
    return types


def _check_fields(profile: Profile) -> None:
    """Every declared field is something a row carries, of the declared type: a typo in
    a profile is an error when it is loaded, not an empty column in the output."""
    if profile.infers_columns:
        return
    types = _output_types(profile)
    if profile.row_id is not None:
        for part in profile.row_id.parts:
            for name in (part.field, part.fallback):
                if name is not None and name not in types:
                    raise ValueError(f"profile {profile.name}: row_id part {name!r} is no output")
    for table in profile.tables:
        sources = table.sources if table.rows_from is not None else ()
        for f, source in zip(table.fields, sources or [f.name for f in table.fields], strict=True):
            if source.startswith(ITEM):
                continue
            if source not in types:
                raise ValueError(
                    f"profile {profile.name}: table {table.name} field {f.name!r}: "
                    f"no column output or row field {source!r}"
                )
            if types[source] != f.type:
                raise ValueError(
                    f"profile {profile.name}: table {table.name} field {f.name!r} is declared "
                    f"{f.type}, but {source!r} is {types[source]}"
                )


# --------------------------------------------------------------------------- loading

_COLUMN_KEYS = {"key", "aliases", "required", "fill_down", "completes_row", "type", "outputs"}


def column_from_toml(data: Mapping[str, Any]) -> Column:
    """A ``[[columns]]`` entry; keys other than the known ones are type options."""
    return Column(
        key=data["key"],
        aliases=tuple(data["aliases"]),
        required=bool(data.get("required", True)),
        fill_down=bool(data.get("fill_down", False)),
        completes_row=bool(data.get("completes_row", False)),
        type=data.get("type", "text"),
        outputs=tuple(data.get("outputs", {}).items()),
        options=tuple((k, v) for k, v in data.items() if k not in _COLUMN_KEYS),
    )


def _item_parts(columns: Sequence[Column], rows_from: str) -> tuple[str, ...]:
    for column in columns:
        for name in column.field_names.values():
            if name == rows_from and column.column_type.item_parts:
                return column.column_type.item_parts
    raise ValueError(f"rows_from {rows_from!r} names no list of items a column produces")


def table_from_toml(data: Mapping[str, Any], columns: Sequence[Column]) -> Table:
    rows_from = data.get("rows_from")
    fields = data.get("fields", [])
    return Table(
        name=data["name"],
        title=data.get("title", data["name"]),
        fields=tuple(field_from_toml(f) for f in fields),
        primary_key=tuple(data.get("primary_key", ())),
        foreign_keys=tuple(
            ForeignKey(tuple(k["fields"]), k["resource"], tuple(k["reference"]))
            for k in data.get("foreign_keys", [])
        ),
        rows_from=rows_from,
        item_parts=_item_parts(columns, rows_from) if rows_from else (),
        sources=tuple(f.get("source", f["name"]) for f in fields) if rows_from else (),
        per_source_table=bool(data.get("per_source_table", False)),
        path=data.get("path", ""),
    )


def _row_id(data: Mapping[str, Any] | None) -> RowId | None:
    if not data:
        return None
    parts = tuple(IdPart(p["field"], p.get("or")) for p in data["parts"])
    return RowId(data["field"], parts, int(data.get("length", 16)))


_PROFILE_KEYS = {
    "name",
    "description",
    "missing_table_error",
    "row_index",
    "columns",
    "inferred_columns",
    "furniture",
    "row_id",
    "tables",
}
_TABLE_KEYS = {
    "name",
    "path",
    "title",
    "primary_key",
    "foreign_keys",
    "rows_from",
    "per_source_table",
    "fields",
    "row_checks",
}


def _no_unknown_keys(data: Mapping[str, Any], known: set[str], where: str) -> None:
    """A misspelt key ("colums") would silently mean "none": refuse it."""
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{where}: unknown key {', '.join(unknown)}")


def profile_from_toml(data: Mapping[str, Any]) -> Profile:
    """A profile from the parsed TOML of its file; ValueError/KeyError when malformed."""
    _no_unknown_keys(data, _PROFILE_KEYS, "profile")
    for table in data.get("tables", []):
        _no_unknown_keys(table, _TABLE_KEYS, f"table {table.get('name', '?')}")
    if data.get("row_index", "document") not in ("document", "table"):
        raise ValueError('row_index must be "document" or "table"')
    columns = tuple(column_from_toml(c) for c in data.get("columns", []))
    inferred = data.get("inferred_columns")
    furniture = data.get("furniture", {})
    tables = tuple(table_from_toml(t, columns) for t in data.get("tables", []))
    checks = [c for t in data.get("tables", []) for c in t.get("row_checks", [])]
    return Profile(
        name=data["name"],
        description=data.get("description", ""),
        missing_table_error=data.get("missing_table_error", "no table found"),
        columns=columns,
        furniture_patterns=tuple(
            re.compile(p, re.IGNORECASE) for p in furniture.get("patterns", [])
        ),
        furniture_line_patterns=tuple(
            re.compile(p, re.IGNORECASE) for p in furniture.get("line_patterns", [])
        ),
        tables=tables,
        row_checks=tuple(RowCheck(c["left"], c["op"], c["right"]) for c in checks),
        row_id=_row_id(data.get("row_id")),
        rows_numbered_per_table=data.get("row_index", "document") == "table",
        inferred_column=(
            column_from_toml({"key": "inferred", "aliases": ["inferred"], **inferred})
            if inferred
            else None
        ),
    )


def available_profiles() -> list[str]:
    root = resources.files("pipeline.profiles")
    return sorted(p.name[: -len(".toml")] for p in root.iterdir() if p.name.endswith(".toml"))


def is_profile_path(name: str) -> bool:
    """``--profile`` takes a built-in name or a file path (a name holds no "/" nor ".toml")."""
    return name.endswith(".toml") or "/" in name or os.sep in name


def builtin_text(name: str) -> str | None:
    path = resources.files("pipeline.profiles") / f"{name}.toml"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def profile_text(name: str) -> str:
    """The TOML text of a profile: a built-in one by name, or a user's file by path."""
    if is_profile_path(name):
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise UsageError(f"profile {name}: cannot read ({reason})") from None
    text = builtin_text(name)
    if text is None:
        raise UsageError(
            f"unknown profile {name!r} (available: {', '.join(available_profiles())}; "
            "or give the path of a profile file, e.g. ./my-table.toml)"
        )
    return text


def parse_profile(text: str, where: str) -> Profile:
    """A profile from TOML text; a malformed one is a usage error naming ``where``."""
    try:
        return profile_from_toml(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where}: not valid TOML ({exc})") from None
    except KeyError as exc:
        raise UsageError(f"{where}: missing key {exc}") from None
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{where}: {exc}") from None


@cache
def load_profile(name: str) -> Profile:
    """A built-in profile by name, or a profile file by path. A file that keeps a
    built-in profile's name but changes its content is refused: its outputs would be
    labelled, cached and compared as the built-in's."""
    text = profile_text(name)
    profile = parse_profile(text, f"profile {name}")
    if is_profile_path(name):
        builtin = builtin_text(profile.name)
        if builtin is not None and builtin != text:
            raise UsageError(
                f"profile {name}: its name {profile.name!r} is a built-in profile's, but "
                'its content differs; give it a name of its own (name = "...")'
            )
    return profile
