"""What every column type is: named outputs with their types, and a cell parser.

A column type knows how to read one kind of cell ("15-17 May 2017", "Cairo, Egypt",
"1,234"); it never knows which table or column it is used in. The profile gives each
output (``role``) its field name, so renaming a column or its outputs is data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.normalise.text import join_lines
from pipeline.schema import FieldType


class CellError(ValueError):
    """A cell its column type cannot parse; the row becomes a reject with this reason."""


@dataclass(frozen=True)
class Cell:
    """One logical cell: its visual lines (a page break may have added some), whether its
    text is set in italics, and what the profile says about its column."""

    lines: tuple[str, ...]
    label: str
    """The column's printed name, for messages ("empty Event / Title cell")."""
    required: bool = False
    italic: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The lines joined: hyphenation undone, whitespace collapsed."""
        return join_lines(self.lines)


@dataclass(frozen=True)
class Output:
    """One value a column type produces. ``field_type`` None: internal to the record
    (e.g. the pairs a child table is exploded from), never an output column."""

    role: str
    field_type: FieldType | None


Parser = Callable[[Cell], dict[str, Any]]


@dataclass(frozen=True)
class ColumnType:
    name: str
    outputs: tuple[Output, ...]
    parse: Parser
    """Cell -> {role: value} for every role of ``outputs``; raises CellError."""
    options: frozenset[str] = frozenset()
    """The option keys a profile may give a column of this type."""
    item_parts: tuple[str, ...] = ()
    """For a list of items a child table explodes (see ``pipeline.tables``): the parts of
    one item, in order, as the child's fields name them (``item.<part>``)."""

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(o.role for o in self.outputs)

    def complete(self, cell: Cell) -> bool:
        """The cell parses: clean's test of whether a page break left a row unfinished."""
        try:
            self.parse(cell)
        except CellError:
            return False
        return True


def require_text(cell: Cell) -> str:
    """The cell's text; an empty required cell is an error."""
    text = cell.text
    if cell.required and not text:
        raise CellError(f"empty {cell.label} cell")
    return text
