"""A place as printed ("Washington, DC, USA"): the text, its city, the country as
printed and that country's ISO 3166-1 alpha-3 code (``normalise.places``)."""

from __future__ import annotations

from typing import Any

from pipeline.columns.base import Cell, CellError, ColumnType, Output
from pipeline.normalise.places import PlaceParseError, parse_place


def parse(cell: Cell) -> dict[str, Any]:
    text = cell.text
    try:
        where = parse_place(text)
    except PlaceParseError as exc:
        raise CellError(str(exc)) from None
    return {
        "text": text,
        "city": where.city,
        "country": where.country,
        "country_iso3": where.country_iso3,
    }


TYPE = ColumnType(
    "place",
    (
        Output("text", "string"),
        Output("city", "string"),
        Output("country", "string"),
        Output("country_iso3", "string"),
    ),
    parse,
)
