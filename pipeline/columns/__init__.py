"""Column types: one module per kind of cell, each parsing a cell into named outputs.

A profile column names its type (``type = "date_range"``) and the field each output
becomes; ``column_type`` looks the type up. A new kind of cell is one new module here.
"""

from __future__ import annotations

from pipeline.columns import (
    acronym_list,
    date,
    date_range,
    integer,
    number,
    place,
    text,
    url_list,
)
from pipeline.columns.base import Cell, CellError, ColumnType, Output

TYPES: dict[str, ColumnType] = {
    m.TYPE.name: m.TYPE
    for m in (text, date_range, date, place, acronym_list, url_list, integer, number)
}

__all__ = ["TYPES", "Cell", "CellError", "ColumnType", "Output", "column_type"]


def column_type(name: str) -> ColumnType:
    """The column type called ``name``; ValueError names the known ones."""
    try:
        return TYPES[name]
    except KeyError:
        raise ValueError(f"unknown column type {name!r} (known: {', '.join(TYPES)})") from None
