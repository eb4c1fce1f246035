"""Output tables described as data: one list of ``Field``s per table.

A profile's own tables (events, event_iscms, ...) come from its TOML file (see
``pipeline.tables``); documents and rejects are fixed by the contract. validate turns
these into a pandera schema, emit into an Arrow schema and a Frictionless Table Schema,
so the three can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

FieldType = Literal["string", "integer", "number", "boolean", "date", "list"]
_TYPES = {"string", "integer", "number", "boolean", "date", "list"}


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    description: str = ""
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    minimum: Any = None
    maximum: Any = None

    def __post_init__(self) -> None:
        if self.type not in _TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")


@dataclass(frozen=True)
class RowCheck:
    left: str
    op: Literal[">=", ">", "=="]
    right: str

    def __post_init__(self) -> None:
        if self.op not in (">=", ">", "=="):
            raise ValueError(f"row check {self.left} {self.op} {self.right}: unknown operator")

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"


def field_from_toml(data: dict[str, Any]) -> Field:
    return Field(
        name=data["name"],
        type=data["type"],
        description=data.get("description", ""),
        required=bool(data.get("required", False)),
        unique=bool(data.get("unique", False)),
        pattern=data.get("pattern"),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
    )


DOCUMENTS: tuple[Field, ...] = (
    Field("source_file", "string", "File name of the input PDF.", required=True),
    Field("source_sha256", "string", "sha256 of the input PDF.", required=True),
    Field("pages", "integer", "Number of pages."),
    Field("title", "string", "The heading directly above the table, whitespace collapsed."),
    Field("events", "integer", "Events written."),
    Field("rejected", "integer", "Rows rejected."),
)

REJECTS: tuple[Field, ...] = (
    Field("source_file", "string", "File name of the input PDF.", required=True),
    Field("page", "integer", "1-based page where the row begins (empty when unknown)."),
    Field("row_index", "integer", "1-based position among the table's logical rows."),
    Field("stage", "string", "extract, clean or validate.", required=True),
    Field("reason", "string", "Why the row was rejected.", required=True),
    Field("cells", "string", "The raw cells of the row as a JSON array."),
)
