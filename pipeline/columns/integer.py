"""A count as statistical tables print it: "1,234", "12 345", "987". Thousands are
grouped by commas or (thin, no-break) spaces, in threes, or not at all; anything else
("1,23", "12.5", "about 40") is refused rather than guessed. A cell whose text is one
of the column's ``missing`` markers (e.g. "-", "n/a"), or empty, is missing (None)."""

from __future__ import annotations

import re
from typing import Any

from pipeline.columns.base import Cell, CellError, ColumnType, Output, require_text

_GROUPED = re.compile(r"[+-]?(?:\d{1,3}(?:([,\u00a0\u2009\u202f ])\d{3})?(?:\1\d{3})*|\d+)")


def is_missing(text: str, cell: Cell) -> bool:
    markers = [str(m).casefold() for m in cell.options.get("missing", [])]
    return not text or text.casefold() in markers


def parse_integer(text: str, label: str) -> int:
    """ "1,234" -> 1234; raises CellError for anything that is not a grouped integer."""
    if not _GROUPED.fullmatch(text):
        raise CellError(f"{label}: not a whole number {text!r}")
    return int(re.sub(r"[^\d+-]", "", text))


def parse(cell: Cell) -> dict[str, Any]:
    text = require_text(cell)
    if is_missing(text, cell):
        return {"value": None}
    return {"value": parse_integer(text, cell.label)}


TYPE = ColumnType("integer", (Output("value", "integer"),), parse, options=frozenset({"missing"}))
