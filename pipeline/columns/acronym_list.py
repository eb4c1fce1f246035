"""A cell naming one or more bodies with their acronyms ("Regional Conference on
Migration (RCM) and South American Conference on Migration (SACM)"): the text, the
acronyms in order, whether it is set in italics, the (acronym, name) pairs a child
table explodes into one row each (``normalise.iscm`` has the rules), and the key: the
acronyms as one edition or another prints them, each taken as the English one ("CRM"
is "RCM"), so that a row id built on it is the same in every language."""

from __future__ import annotations

from typing import Any

from pipeline.columns.base import Cell, ColumnType, Output, require_text
from pipeline.normalise.iscm import acronyms, parse_iscm
from pipeline.normalise.languages import ISCM_ACRONYMS


def parse(cell: Cell) -> dict[str, Any]:
    text = require_text(cell)
    parts = parse_iscm(text)
    return {
        "text": text,
        "acronyms": acronyms(parts),
        "italic": bool(cell.italic),
        "pairs": [(p.acronym, p.name) for p in parts],
        "key": [ISCM_ACRONYMS.get(a.upper(), a) for a in acronyms(parts)],
    }


TYPE = ColumnType(
    "acronym_list",
    (
        Output("text", "string"),
        Output("acronyms", "list"),
        Output("italic", "boolean"),
        Output("pairs", None),
        Output("key", "list"),
    ),
    parse,
    item_parts=("acronym", "name"),
)
