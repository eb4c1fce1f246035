"""A decimal quantity: "1,234.5", "0.75", "12 %" (a percent sign is dropped, the value
kept as printed: 12.0). Thousands grouping as for integers; a decimal comma is not
accepted (it would be ambiguous with grouping). ``missing`` markers as for integers."""

from __future__ import annotations

import re
from typing import Any

from pipeline.columns.base import Cell, CellError, ColumnType, Output, require_text
from pipeline.columns.integer import is_missing

_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:([,\u00a0\u2009\u202f ])\d{3})?(?:\1\d{3})*|\d+)(?:\.\d+)?\s*%?"
)


def parse(cell: Cell) -> dict[str, Any]:
    text = require_text(cell)
    if is_missing(text, cell):
        return {"value": None}
    if not _NUMBER.fullmatch(text):
        raise CellError(f"{cell.label}: not a number {text!r}")
    return {"value": float(re.sub(r"[^\d.+-]", "", text))}


TYPE = ColumnType("number", (Output("value", "number"),), parse, options=frozenset({"missing"}))
