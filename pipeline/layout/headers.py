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
