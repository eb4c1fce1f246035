"""Free text: the cell's lines joined (hyphenation undone, whitespace collapsed).

Option ``rejoin_wrapped_urls``: first re-join URLs a line wrap broke (the generic
profile's cells may hold any text, URLs included)."""

from __future__ import annotations

from typing import Any

from pipeline.columns.base import Cell, ColumnType, Output, require_text
from pipeline.normalise.text import join_lines
from pipeline.normalise.urls import rejoin_wrapped_urls


def parse(cell: Cell) -> dict[str, Any]:
    if cell.options.get("rejoin_wrapped_urls"):
        return {"text": join_lines(rejoin_wrapped_urls(cell.lines))}
    return {"text": require_text(cell)}


TYPE = ColumnType(
    "text", (Output("text", "string"),), parse, options=frozenset({"rejoin_wrapped_urls"})
)
