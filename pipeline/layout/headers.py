"""headers: a header of several printed rows -> one name per column.

Tables print their header in several rows: words stacked in one cell ("Medical &" over
"Public" over "Health"), a cell spanning header rows, a group header over several
columns ("Percent Fuel Savings" over "Improved Speed", "Decreased Accel"). The contract
(generic section) wants one name per column, its parts joined with a space.

Pure: the layout decides which column each piece of header text belongs to; a group
header spanning several columns is given, by the layout, to every column it spans, so
that names stay meaningful and distinct ("Percent Fuel Savings Improved Speed",
"Percent Fuel Savings Decreased Accel") rather than one column named after the group
and the others after their sub-headers alone. This module only joins.
"""

from __future__ import annotations

from collections.abc import Sequence


def join_header_rows(rows: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """One name per column: the non-empty parts of the column in the header rows, top
    to bottom, whitespace collapsed and joined with a space ("" where every part is
    empty). Rows shorter than the widest count as empty in the missing columns."""
    width = max((len(r) for r in rows), default=0)
    names = []
    for k in range(width):
        parts = (" ".join(r[k].split()) for r in rows if k < len(r))
        names.append(" ".join(p for p in parts if p))
    return tuple(names)
