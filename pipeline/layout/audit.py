"""audit: every word inside a table's region ends in a cell, or is named as left out.

Layout decides line by line and band by band where a table's text goes; a word that no
decision takes (a line judged to be outside the columns, a stray glyph past a rule, a
note under a row) would vanish without a trace. This check is independent of how the
rows were found: per page and table, the region is the band of the page between the top
of the table's first row and the bottom of its last, and each word whose centre lies inside
it must be in some row's ``word_ids``. A word that is not becomes part of a ``left_out``
row, with the reason layout gave for leaving it out (``LayoutState.leave_out``) or, when
layout gave none, ``UNEXPLAINED``. Words layout left out on purpose count wherever they
are (a page number or a note under the table): clean turns such rows into rejects, or counts them as
furniture when the reason names furniture, so ``report.json`` accounts for every word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.layout.engine import PageContent, Word, _group_lines
from pipeline.model import PhysicalRow

UNEXPLAINED = "in the table's region but in no cell"


@dataclass(frozen=True)
class PageAudit:
    """One page's words in table regions: how many, how many in cells, and the rest as
    ``left_out`` rows (one per visual line)."""

    in_region: int
    placed: int
    left_out: list[PhysicalRow]


def _regions(rows: Sequence[PhysicalRow]) -> dict[int, tuple[float, float]]:
    """Per table, the band of the page its rows on this page span, top to bottom. The
    whole width counts: a row label printed left of a grid, or a cell's text past the
    last rule, is at the height of the row it belongs to."""
    spans: dict[int, tuple[float, float]] = {}
    for r in rows:
        top, bottom = spans.get(r.table, (r.bbox[1], r.bbox[3]))
        spans[r.table] = (min(top, r.bbox[1]), max(bottom, r.bbox[3]))
    return spans


def _table_at(regions: Mapping[int, tuple[float, float]], y: float, explained: bool) -> int | None:
    """The table whose band holds height ``y``; for words layout left out on purpose
    (a page number under the table, a note), the nearest table's."""
    inside = [t for t, (top, bottom) in regions.items() if top <= y <= bottom]
    if inside or not explained or not regions:
        return inside[0] if inside else None
    return min(regions, key=lambda t: min(abs(y - regions[t][0]), abs(y - regions[t][1])))


def audit_page(
    content: PageContent, rows: Sequence[PhysicalRow], reasons: Mapping[int, str]
) -> PageAudit:
    """The accounting of one page's words against the rows layout made of it."""
    placed = {i for r in rows for i in r.word_ids}
    regions = _regions(rows)
    width = {r.table: len(r.cells) for r in rows}
    in_region: set[int] = set(placed)
    left: dict[int, list[Word]] = {}
    for w in content.words:
        if "id" not in w or w["id"] in placed:
            continue
        table = _table_at(regions, (w["top"] + w["bottom"]) / 2, w["id"] in reasons)
        if table is not None:
            in_region.add(w["id"])
            left.setdefault(table, []).append(w)
    out: list[PhysicalRow] = []
    for table, words in left.items():
        for line in _group_lines(words):
            why = Counter(reasons.get(w["id"], UNEXPLAINED) for w in line.words)
            text = line.text
            out.append(
                PhysicalRow(
                    table=table,
                    page=content.number,
                    bbox=(line.x0, line.top, line.x1, line.bottom),
                    cells=(text, *[""] * (width[table] - 1)),
                    italic=(False,) * width[table],
                    kind="left_out",
                    word_ids=tuple(sorted(w["id"] for w in line.words)),
                    note=why.most_common(1)[0][0],
                )
            )
    out.sort(key=lambda r: (r.bbox[1], r.bbox[0]))
    return PageAudit(len(in_region), len(placed), out)
