"""headers: a header of several printed rows -> one name per column.

Tables print their header in several rows: a cell spanning header rows ("Cycle" over
"Name" in one cell), a group header over several columns ("Percent Fuel Savings" over
"Improved Speed", "Decreased Accel", ...). The contract wants one name per column, its
parts joined with a space. A group header gives its text to every column it spans, so
that the names stay meaningful and unique ("Percent Fuel Savings Improved Speed",
"Percent Fuel Savings Decreased Accel") rather than one column named after the group
and the others after their sub-headers alone.

Pure: the layout finds the parts (which columns each piece of header text spans, and
how high it stands); this module only orders and joins them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class HeaderPart:
    """One piece of header text: the columns it spans (first..last, inclusive) and the
    height it is printed at (its top: parts higher up come first in a name)."""

    first: int
    last: int
    top: float
    text: str


def column_names(parts: Sequence[HeaderPart], n_columns: int) -> list[str]:
    """One name per column: the texts of the parts spanning it, top to bottom (left to
    right at equal height), whitespace collapsed and joined with a space. A column no
    part spans gets "" (``unique_labels`` then names it ``column_<n>``)."""
    names: list[str] = []
    for k in range(n_columns):
        spanning = sorted(
            (p for p in parts if p.first <= k <= p.last and p.text.strip()),
            key=lambda p: (p.top, p.first),
        )
        names.append(" ".join(" ".join(p.text.split()) for p in spanning))
    return names


def join_header_rows(rows: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """Header rows already cut into the table's columns (an unruled table's header lines)
    -> one name per column: each row's cell is a part spanning its own column, so the
    non-empty parts are joined top to bottom ("" where every part is empty). Rows
    shorter than the widest count as empty in the missing columns."""
    width = max((len(r) for r in rows), default=0)
    parts = [
        HeaderPart(k, k, float(i), text) for i, row in enumerate(rows) for k, text in enumerate(row)
    ]
    return tuple(column_names(parts, width))
