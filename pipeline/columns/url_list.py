"""Text that may hold URLs (an outcome cell): URLs a line wrap broke are re-joined, then
pulled out: the text without them, and the URLs in order (``normalise.urls``)."""

from __future__ import annotations

from typing import Any

from pipeline.columns.base import Cell, ColumnType, Output
from pipeline.normalise.text import join_lines
from pipeline.normalise.urls import rejoin_wrapped_urls, split_urls


def parse(cell: Cell) -> dict[str, Any]:
    text, urls = split_urls(join_lines(rejoin_wrapped_urls(cell.lines)))
    return {"text": text, "urls": urls}


TYPE = ColumnType("url_list", (Output("text", "string"), Output("urls", "list")), parse)
