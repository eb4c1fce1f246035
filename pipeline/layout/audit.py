"""audit: every word inside a table's region ends in a cell, or is named as left out.

Layout decides line by line and band by band where a table's text goes; a word that no
decision takes (a line judged to be outside the columns, a stray glyph past a rule, a
note under a row) would vanish without a trace. This check is independent of how the
rows were found. Per page and table, the region is the band between the top of the
table's first row and the bottom of its last, across the table's columns and on to any
text that lies next to them: a row label printed left of a grid, a stray glyph past
its last rule. Only a gutter stops it (a white strip over the whole band, wider than a
type size: the other column of a page set in two, prose beside a small table). Each word
whose centre lies in the region must be in some row's ``word_ids``. A word that is not
becomes part of a ``left_out`` row, with the reason layout gave for leaving it out
(``LayoutState.leave_out``) or, when layout gave none, ``UNEXPLAINED``. Words layout left
out on purpose count wherever they are (a page number or a note under the table). Clean
turns such rows into rejects, or counts them as furniture when the reason names
furniture, so ``report.json`` accounts for every word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

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


Region = tuple[float, float, float, float]
"""(x0, top, x1, bottom) of a table's text on one page."""


def _bands(rows: Sequence[PhysicalRow]) -> dict[int, Region]:
    """Per table, the box its rows on this page cover (column edges, tops, bottoms)."""
    boxes: dict[int, Region] = {}
    for r in rows:
        x0 = r.columns[0] if r.columns else r.bbox[0]
        x1 = r.columns[-1] if r.columns else r.bbox[2]
        old = boxes.get(r.table, (x0, r.bbox[1], x1, r.bbox[3]))
        boxes[r.table] = (
            min(old[0], x0),
            min(old[1], r.bbox[1]),
            max(old[2], x1),
            max(old[3], r.bbox[3]),
        )
    return boxes


def _to_gutters(box: Region, words: Sequence[Word]) -> Region:
    """The box widened, left and right, to the words of its band that follow on from it
    with no gutter between: a gap of more than a type size stops it. (Each word's
    centre and size are taken once, as a tuple: this runs over every word of a page.)"""
    x0, top, x1, bottom = box
    band = [(w["x0"], w["x1"], _centre(w), _size(w)) for w in words if top <= _mid(w) <= bottom]
    for w_x0, w_x1, centre, size in sorted(band, key=_FIRST):
        if x0 <= centre and w_x0 <= x1 + size:
            x1 = max(x1, w_x1)
    for w_x0, w_x1, centre, size in sorted(band, key=_right_to_left):
        if centre <= x1 and w_x1 >= x0 - size:
            x0 = min(x0, w_x0)
    return x0, top, x1, bottom


_FIRST = itemgetter(0)


def _right_to_left(t: tuple[float, ...]) -> float:
    return -t[1]


def _mid(w: Word) -> float:
    return float(w["top"] + w["bottom"]) / 2


def _centre(w: Word) -> float:
    return float(w["x0"] + w["x1"]) / 2


def _size(w: Word) -> float:
    return max(float(w["bottom"] - w["top"]), 1.0)


def _table_at(regions: Mapping[int, Region], w: Word, explained: bool) -> int | None:
    """The table whose region holds the word; for words layout left out on purpose (a
    page number under the table, a note), the nearest table's."""
    x, y = _centre(w), _mid(w)
    inside = [
        t for t, (x0, top, x1, bottom) in regions.items() if top <= y <= bottom and x0 <= x <= x1
    ]
    if inside or not explained or not regions:
        return inside[0] if inside else None
    return min(regions, key=lambda t: min(abs(y - regions[t][1]), abs(y - regions[t][3])))


def audit_page(
    content: PageContent, rows: Sequence[PhysicalRow], reasons: Mapping[int, str]
) -> PageAudit:
    """The accounting of one page's words against the rows layout made of it."""
    placed = {i for r in rows for i in r.word_ids}
    loose = [w for w in content.words if "id" in w and w["id"] not in placed]
    regions = {t: _to_gutters(box, content.words) for t, box in _bands(rows).items()}
    width = {r.table: len(r.cells) for r in rows}
    in_region: set[int] = set(placed)
    left: dict[int, list[Word]] = {}
    for w in loose:
        table = _table_at(regions, w, w["id"] in reasons)
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
