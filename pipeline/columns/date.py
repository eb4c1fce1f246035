"""One day ("12 March 2024", "2024-03-12"): parsed as a date range that must be a single
day, so the same shapes are known (and refused) as in date ranges. An empty optional
cell is missing (None)."""

from __future__ import annotations

from typing import Any

from pipeline.columns.base import Cell, CellError, ColumnType, Output, require_text
from pipeline.normalise.dates import DateParseError, parse_date_range


def parse(cell: Cell) -> dict[str, Any]:
    text = require_text(cell)
    if not text:
        return {"value": None}
    try:
        start, end = parse_date_range(text)
    except DateParseError as exc:
        raise CellError(str(exc)) from None
    if start != end:
        raise CellError(f'{cell.label}: a range, not one day "{text}"')
    return {"value": start}


TYPE = ColumnType("date", (Output("value", "date"),), parse)
