"""An event's dates as printed ("15–17 May 2017", "November 30 - December 2, 2017"):
the text, its first and its last day (``normalise.dates`` refuses shapes it does not
know; that refusal is the row's reject reason)."""

from __future__ import annotations

from typing import Any

from pipeline.columns.base import Cell, CellError, ColumnType, Output
from pipeline.normalise.dates import DateParseError, parse_date_range


def parse(cell: Cell) -> dict[str, Any]:
    text = cell.text
    try:
        start, end = parse_date_range(text)
    except DateParseError as exc:
        raise CellError(str(exc)) from None
    return {"text": text, "start": start, "end": end}


TYPE = ColumnType(
    "date_range",
    (Output("text", "string"), Output("start", "date"), Output("end", "date")),
    parse,
)
