"""ruled: what a grid of ruling lines says about a table, beyond its cells.

pdfplumber's finder gives every grid of rules drawn on a page. A reader sees more, and
less, in them than a list of cells:

* **Not every grid is a table.** A grid whose text all lies in one of its columns is a
  frame, a title banner or a page background (``table_grids``). A table drawn inside a
  cell of another grid (a table inside a page-layout grid) is a table of its own, as
  camelot's lattice mode finds it: its words are its own, not the outer cell's.
* **Captions and headers of several rows.** A first row that is one cell across the whole
  grid is a caption, not column names (``caption_bands``). The header goes on while a
  header cell spans into the next row ("Cycle" over "Name" in one cell) or a group
  header ("Percent Fuel Savings") still lacks the sub-headers it spans
  (``header_band_count``); each column's name joins every part above it
  (``header_parts`` + ``headers.column_names``).
* **Rows no rule separates.** Producers of long numeric tables rule a line every five
  rows or so; within such a band every printed line is a row of its own. A line that
  carries its own numbers in several columns starts a row; a wrapped cell (several lines
  in one column, one in the others) stays one row (``split_by_baselines``).
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.layout.engine import (
    Grid,
    Word,
    _Band,
    _cells_of_band,
    _group_lines,
    _Line,
    _vertical_xs,
)
from pipeline.layout.headers import HeaderPart
from pipeline.layout.stream import pinned

Box = tuple[float, float, float, float]

_SLACK = 1.0  # pt: a grid inside another may share its border
_RUN_GAP = 1.0  # type sizes: a wider gap on a header line separates two labels
MAX_HEADER_BANDS = 5


@dataclass(frozen=True)
class GridTable:
    """A grid that is a table: whether it sits inside another table's cell (then its
    region is its own frame), and the frames of the tables inside it (their words are
    theirs, not its cells')."""

    grid: Grid
    nested: bool
    holes: tuple[Box, ...]


def grid_box(grid: Grid) -> Box:
    return (grid.xs[0], grid.ys[0], grid.xs[-1], grid.ys[-1])


def _inside(inner: Box, outer: Box) -> bool:
    return (
        outer[0] - _SLACK <= inner[0]
        and inner[2] <= outer[2] + _SLACK
        and outer[1] - _SLACK <= inner[1]
        and inner[3] <= outer[3] + _SLACK
    )


def centre_in(w: Word, box: Box) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return bool(box[0] <= cx <= box[2] and box[1] <= cy <= box[3])


def _text_columns(grid: Grid, words: Sequence[Word]) -> int:
    """How many of the grid's columns hold a word."""
    return len({bisect.bisect(grid.xs, (w["x0"] + w["x1"]) / 2) for w in words})


def table_grids(grids: Sequence[Grid], words: Sequence[Word]) -> list[GridTable]:
    """The grids that are tables, top to bottom. A grid is a table when text stands in two
    of its columns or more, leaving aside the text of grids drawn inside it: a frame
    around a page or a text box, a banner behind a title (filled rectangles make grids
    too) hold their text in one column; and when its cells are not nearly all empty (a
    chart's gridlines: ``_plot_area``). A table inside another table's frame is
    ``nested``; the outer table's cells do not take its words (``holes``)."""
    boxes = [grid_box(g) for g in grids]

    def within(j: int, i: int) -> bool:  # grid j drawn inside grid i
        if j == i or not _inside(boxes[j], boxes[i]):
            return False
        return not _inside(boxes[i], boxes[j]) or j > i  # the same frame twice: once

    tables: list[int] = []
    for i, grid in enumerate(grids):
        inner = [boxes[j] for j in range(len(grids)) if within(j, i)]
        own = [
            w
            for w in words
            if centre_in(w, boxes[i]) and not any(centre_in(w, box) for box in inner)
        ]
        if _text_columns(grid, own) >= 2 and not _plot_area(grid, own):
            tables.append(i)
    return [
        GridTable(
            without_gutters(grids[i], [w for w in words if centre_in(w, boxes[i])]),
            nested=any(within(i, j) for j in tables),
            holes=tuple(boxes[j] for j in tables if within(j, i)),
        )
        for i in tables
    ]


PLOT_FILL = 0.15  # a grid of a dozen cells or more, fewer of them holding text: a chart


def _plot_area(grid: Grid, words: Sequence[Word]) -> bool:
    """Whether the grid is a chart's plot area: gridlines whose cells hold next to no
    text (axis labels at the edges, a legend); the sparsest tables of the peers' cases
    fill over a third of their cells, a chart under a tenth."""
    if len(grid.cells) < 12:
        return False
    filled = sum(1 for cell in grid.cells if any(centre_in(w, cell) for w in words))
    return filled < PLOT_FILL * len(grid.cells)


def without_gutters(grid: Grid, words: Sequence[Word]) -> Grid:
    """The grid without its gutters: tables drawn as filled cells leave white strips
    between them, and their edges make slivers of columns (24 columns where 8 are
    printed). A strip narrower than the type that holds no word of its own is no
    column: a run of them becomes one boundary, in its middle, and the cells' edges are
    moved onto the boundaries left. (A strip between rows gives an empty band, which
    is no row, and tells the rows on either side apart.)"""
    if not words:
        return grid
    size = statistics.median(w["bottom"] - w["top"] for w in words)
    xs = _merge_gutters(grid.xs, [(w["x0"], w["x1"]) for w in words], size)
    ys = grid.ys  # an empty strip between rows is no row, and keeps them apart
    if xs == grid.xs or len(xs) < 3:
        return grid

    def snap(v: float, edges: Sequence[float]) -> float:
        return min(edges, key=lambda e: abs(e - v))

    cells = []
    for x0, top, x1, bottom in grid.cells:
        cell = (snap(x0, xs), snap(top, ys), snap(x1, xs), snap(bottom, ys))
        if cell[0] < cell[2] and cell[1] < cell[3] and cell not in cells:
            cells.append(cell)
    return Grid(xs, ys, tuple(cells))


def _merge_gutters(
    edges: Sequence[float], extents: Sequence[tuple[float, float]], size: float
) -> tuple[float, ...]:
    """Boundaries with each run of gutters (narrower than ``size``, no extent wholly
    inside) replaced by its middle; a run at either end by the grid's edge."""
    gutter = [
        b - a < size and not any(a - 0.5 <= lo and hi <= b + 0.5 for lo, hi in extents)
        for a, b in itertools.pairwise(edges)
    ]
    out: list[float] = []
    k = 0
    while k < len(edges):
        j = k
        while j < len(gutter) and gutter[j]:
            j += 1  # edges k..j bound a run of gutters
        if j == k or k == 0:
            out.append(edges[k])  # the grid's outer edge stays where it is drawn
        elif j == len(edges) - 1:
            out.append(edges[j])
        else:
            out.append((edges[k] + edges[j]) / 2)
        k = j + 1
    return tuple(out)


def merged_cells(grid: Grid, words: Sequence[Word]) -> list[Box]:
    """The grid's cells that span several columns and hold one text: their words are
    that cell's, whatever column they stand over ("All the available individuals" across
    five columns). A spanning cell whose lines hold texts over several of its columns is
    not one: the producer drew no rules through the body (a ruled header over an
    unruled body, a frame around it), and the columns go on through it."""
    merged: list[Box] = []
    for cell in grid.cells:
        inner = [x for x in grid.xs if cell[0] + 2.0 < x < cell[2] - 2.0]
        if not inner:
            continue
        edges = [cell[0], *inner, cell[2]]
        lines = _group_lines([w for w in words if centre_in(w, cell)])
        columnar = any(
            len({_column_of(_centre(run), edges) for run in _runs(ln.words)}) >= 2 for ln in lines
        )
        if not columnar:
            merged.append(cell)
    return merged


def cell_sides(grid: Grid) -> list[Word]:
    """The left and right sides of the grid's cells, as vertical rules."""
    return [{"x0": x, "top": c[1], "bottom": c[3]} for c in grid.cells for x in (c[0], c[2])]


def separating_edges(
    bands: Sequence[_Band],
    bounds: Sequence[float],
    into_cell: Callable[[Word], Word],
    grid: Grid,
) -> list[Word]:
    """Row boundaries the drawn rules do not show, as rules: where a column has text on
    both sides of a boundary between two bands, and either

    * the grid's cells have an edge there: a filled rectangle (a zebra stripe, a cell's
      fill) is not a rule, unless it separates text, as here; or
    * the two bands each hold values of their own in two columns or more: they are two
      rows, whatever the drawing leaves out between them (a column's cells drawn as one
      box over several rows of numbers), unless the column's texts are set as tight as
      a cell's wrapped lines, far tighter than the rows' values ("Knowledge & Practices
      on HTN &" over "DM" in one cell spanning two rows of values).

    A column with text on one side only keeps its merged cell ("Low" centred in a box
    over five countries, "JAL Group" over seven routes: its text goes to the top of the
    span, and clean fills it down)."""
    per_band = [
        _column_words([into_cell(w) for ln in b.lines for w in ln.words], bounds) for b in bands
    ]
    valued = [sum(1 for ws in cols if _VALUE.match(_join(ws))) >= 2 for cols in per_band]
    edges: list[Word] = []
    for i in range(1, len(bands)):
        above, below, y = per_band[i - 1], per_band[i], bands[i].top
        value_gaps = [
            _gap(above[k], below[k])
            for k in range(len(above))
            if _VALUE.match(_join(above[k])) and _VALUE.match(_join(below[k]))
        ]
        rows_apart = min(value_gaps, default=0.0) if valued[i - 1] and valued[i] else None
        for k in range(len(below)):
            if not (below[k] and above[k]):
                continue
            lo, hi = bounds[k], bounds[k + 1]
            drawn = any(
                abs(c[3] - y) <= _SLACK and c[0] < hi - 1.0 and c[2] > lo + 1.0 for c in grid.cells
            )
            rows = rows_apart is not None and _gap(above[k], below[k]) >= _TIGHT * rows_apart
            if drawn or rows:
                edges.append({"top": y, "x0": lo, "x1": hi})
    return edges


def _column_words(words: Sequence[Word], bounds: Sequence[float]) -> list[list[Word]]:
    out: list[list[Word]] = [[] for _ in range(len(bounds) - 1)]
    for w in words:
        out[_column_of(w.get("column_x", (w["x0"] + w["x1"]) / 2), bounds)].append(w)
    return out


def _join(words: Sequence[Word]) -> str:
    return " ".join(ln.text for ln in _group_lines(words)) if words else ""


def _gap(above: Sequence[Word], below: Sequence[Word]) -> float:
    return float(min(w["top"] for w in below) - max(w["bottom"] for w in above))


def _centre(run: Sequence[Word]) -> float:
    return float(sum((w["x0"] + w["x1"]) / 2 for w in run) / len(run))


# --------------------------------------------------------------------------- header


def caption_bands(grid: Grid, texts: Sequence[Sequence[str]], merged: Sequence[Box]) -> int:
    """How many of the grid's first rows are not column names: rows without text, and a
    row that is one merged cell across the whole grid (a table's title printed inside
    its frame, "NICS Firearm Background Checks / November - 2015"; a title and a
    subtitle), unless such rows also stand between rows further down: then they are
    section labels ("Improved operation scenario", "Best practice scenario" over the
    same columns) and the first heads the table as printed. Full-width rows at the end
    (notes) do not count. A first row across the grid whose one line spreads its parts
    over the columns ("Table: 5   Public Health Outlay   (Rs. in 000)") is a title too.
    At least one row is left for the header."""
    rows = len(grid.ys) - 1
    across = [_across(grid, k, merged) for k in range(rows)]
    filled = [k < len(texts) and any(t.strip() for t in texts[k]) for k in range(rows)]
    if rows and not across[0] and _across(grid, 0, grid.cells):
        across[0] = sum(t.count("\n") for t in texts[0]) == 0 if texts else False
    regular = [k for k in range(rows) if filled[k] and not across[k]]
    first_row, last_row = (regular[0], regular[-1]) if regular else (0, 0)
    sections = any(across[k] and filled[k] for k in range(first_row + 1, last_row))
    n = 0
    while n + 1 < rows and (not filled[n] or (across[n] and not sections)):
        n += 1
    return n


def _across(grid: Grid, k: int, merged: Sequence[Box]) -> bool:
    """Whether the grid's row k is one merged cell from its left edge to its right edge
    (a cell holding columns of text is a frame around rows, not one text)."""
    top, bottom = grid.ys[k], grid.ys[k + 1]
    starting = [c for c in grid.cells if abs(c[1] - top) <= _SLACK]
    return (
        len(starting) == 1
        and abs(starting[0][3] - bottom) <= _SLACK
        and starting[0][0] <= grid.xs[0] + _SLACK
        and starting[0][2] >= grid.xs[-1] - _SLACK
        and starting[0] in merged
    )


def notes_top(
    grid: Grid, texts: Sequence[Sequence[str]], n_header: int, merged: Sequence[Box]
) -> float | None:
    """Where the notes inside a grid's frame begin: the rows at its end that are each
    one merged cell across the whole grid ("Source: Data Warehouse", "NOTES: *Refers
    to ..."), after the last row that is not; None when the grid ends with a row of the
    table."""
    rows = len(grid.ys) - 1
    k = rows
    while k - 1 > n_header and (
        _across(grid, k - 1, merged)
        or not (k - 1 < len(texts) and any(t.strip() for t in texts[k - 1]))
    ):
        k -= 1
    filled = any(any(t.strip() for t in texts[j]) for j in range(k, min(rows, len(texts))))
    return grid.ys[k] if k < rows and filled else None


def _runs(words: Sequence[Word]) -> list[list[Word]]:
    """Words of one line, left to right, grouped where they are a word space apart."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w["x0"]):
        size = w["bottom"] - w["top"]
        if out and w["x0"] - out[-1][-1]["x1"] <= _RUN_GAP * size:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _run_text(words: Sequence[Word]) -> str:
    """A label's text, line by line: a page's text line may chain two lines of a
    header cell through a cell beside them set at another height."""
    return " ".join(ln.text for ln in _group_lines(words))


def _column_of(x: float, bounds: Sequence[float]) -> int:
    return min(max(bisect.bisect(bounds, x) - 1, 0), len(bounds) - 2)


def _regions(
    line: _Line, bounds: Sequence[float], grid: Grid, vertical: Sequence[Word]
) -> list[tuple[int, int]]:
    """The column ranges [a, b) a header line is cut into: where vertical rules cross
    the line, at those rules (a group header's rules start below it, and a label
    printed over the edge of the grid, where the rule stops short of it, spans the
    columns on both sides). A line no inner rule crosses is cut at the edges of the
    grid's cells it passes through (a caption row drawn as one cell), and where no cell
    is drawn, column by column."""
    n = len(bounds) - 1
    rules = _vertical_xs(_joined_verticals(vertical), line.top, line.bottom)
    cuts = {k for k in range(1, n) if any(abs(x - bounds[k]) <= 2.0 for x in rules)}
    if not cuts:
        mid = (line.top + line.bottom) / 2
        cuts = {
            k
            for k in range(1, n)
            if not any(
                c[1] <= mid <= c[3] and c[0] + 2.0 < bounds[k] < c[2] - 2.0 for c in grid.cells
            )
        }
    return list(itertools.pairwise(sorted({0, n, *cuts})))


def _joined_verticals(vertical: Sequence[Word]) -> list[Word]:
    """Vertical rules with the pieces of one line joined: producers draw a cell's border
    cell by cell, so the rule beside a cell spanning two rows is two segments meeting
    halfway, at the height where a label centred in that cell stands."""
    columns: list[list[Word]] = []
    for e in sorted(vertical, key=lambda e: e["x0"]):
        if columns and e["x0"] - columns[-1][0]["x0"] <= 1.0:
            columns[-1].append(e)
        else:
            columns.append([e])
    out: list[Word] = []
    for segments in columns:
        joined: list[Word] = []
        for e in sorted(segments, key=lambda e: e["top"]):
            if joined and e["top"] <= joined[-1]["bottom"] + 1.0:
                joined[-1]["bottom"] = max(joined[-1]["bottom"], e["bottom"])
            else:
                joined.append({"x0": e["x0"], "top": e["top"], "bottom": e["bottom"]})
        out.extend(joined)
    return out


def line_parts(
    line: _Line, bounds: Sequence[float], grid: Grid, vertical: Sequence[Word]
) -> list[HeaderPart]:
    """The header parts of one printed line. A region of several columns (a grid cell
    spanning them, no rule crossing the line inside it) that holds one label is a group
    header over all of them ("Pre-Pawn" centred over Handgun, Long Gun, Other: the rules
    between those start below it). Elsewhere each label belongs to the column of its
    centre."""
    column = [_column_of((w["x0"] + w["x1"]) / 2, bounds) for w in line.words]
    parts: list[HeaderPart] = []
    for a, b in _regions(line, bounds, grid, vertical):
        runs = _runs([w for w, k in zip(line.words, column, strict=True) if a <= k < b])
        if len(runs) == 1 and b - a > 1:
            parts.append(HeaderPart(a, b - 1, line.top, _run_text(runs[0])))
            continue
        for run in runs:
            k = _column_of(_centre(run), bounds)
            parts.append(HeaderPart(k, k, line.top, _run_text(run)))
    return parts


def header_parts(
    lines: Sequence[_Line], bounds: Sequence[float], grid: Grid, vertical: Sequence[Word]
) -> list[HeaderPart]:
    return [p for ln in lines for p in line_parts(ln, bounds, grid, vertical)]


def lines_above(lines: Sequence[_Line], grid: Grid, bounds: Sequence[float]) -> list[_Line]:
    """Header lines printed right over a grid's top rule, outside it: lines set closer
    to the rule (or to the header line under them) than half their height, within the
    table's width, each of three labels or more (years over pairs of columns: "2001"
    over TM and M.U$S). A title or a caption above a table is one label, or two."""
    taken: list[_Line] = []
    edge = grid.ys[0]
    for line in reversed([ln for ln in lines if ln.bottom <= grid.ys[0] + 1.0]):
        if edge - line.bottom > 0.5 * line.height or len(taken) == 2:
            break
        inside = line.x0 >= bounds[0] - 2.0 and line.x1 <= bounds[-1] + 2.0
        if not inside or len(_runs(line.words)) < 3:
            break
        taken.insert(0, line)
        edge = line.top
    return taken


def above_parts(lines: Sequence[_Line], bounds: Sequence[float]) -> list[HeaderPart]:
    """The header parts of lines over the grid (``lines_above``): no rule crosses them,
    so a label spans the columns it stands over (a year centred over two)."""
    parts: list[HeaderPart] = []
    for line in lines:
        for run in _runs(line.words):
            inset = 0.25 * (run[0]["bottom"] - run[0]["top"])
            first = _column_of(min(w["x0"] for w in run) + inset, bounds)
            last = _column_of(max(w["x1"] for w in run) - inset, bounds)
            parts.append(HeaderPart(first, max(first, last), line.top, _run_text(run)))
    return parts


def _open_groups(parts: Sequence[HeaderPart]) -> bool:
    """A group header over columns that no part below it names yet."""
    for p in parts:
        if p.last == p.first:
            continue
        for k in range(p.first, p.last + 1):
            if not any(q.first <= k <= q.last and q.top > p.top for q in parts):
                return True
    return False


def header_band_count(
    grid: Grid,
    band_lines: Sequence[Sequence[_Line]],
    start: int,
    bounds: Sequence[float],
    vertical: Sequence[Word],
) -> int:
    """How many rows of the grid, from ``start``, are the header: one, and the next as
    long as a header cell reaches into it (a cell spanning header rows) or a group
    header still lacks the sub-headers it spans, unless that next row holds numbers
    (a body row: labels are words). At least one row is left for the body."""
    n = 1
    while start + n + 1 < len(band_lines) and n < MAX_HEADER_BANDS:
        top, edge = grid.ys[start], grid.ys[start + n]
        spans_on = any(
            c[1] >= top - _SLACK and c[1] < edge - _SLACK and c[3] > edge + _SLACK
            for c in grid.cells
        )
        lines = [ln for lines in band_lines[start : start + n] for ln in lines]
        if not (spans_on or _open_groups(header_parts(lines, bounds, grid, vertical))):
            break
        if _numeric(band_lines[start + n], bounds):
            break
        n += 1
    return n


def _numeric(lines: Sequence[_Line], bounds: Sequence[float]) -> bool:
    """Whether half the cells of a row or more hold a number."""
    texts = [t for t in _cells_of_band([w for ln in lines for w in ln.words], bounds)[0] if t]
    return bool(texts) and 2 * sum(1 for t in texts if _NUMBER.match(t.strip())) >= len(texts)


# --------------------------------------------------------------------------- body rows


_NUMBER = re.compile(r"^[(\-–−+]?[$€£¥]?\d[\d.,' ]*%?\)?$")
_VALUE = re.compile(r"^\S*\d\S*$|^\d{1,3}( \d{3})+$")  # one token with a digit: 12,345 05/03/2019
_TIGHT = 0.75  # of the usual gap between rows: a cell's wrapped lines are set closer


def _value_column(texts: Sequence[str]) -> bool:
    """A column holding one value (a number, a date, a code: one token with a digit) on
    each of two lines or more of a band: wrapped prose never gives a whole value per
    line."""
    filled = [t.strip() for t in texts if t.strip()]
    return len(filled) >= 2 and all(_VALUE.match(t) for t in filled)


def split_by_baselines(
    bands: Sequence[_Band], bounds: Sequence[float], into_cell: Callable[[Word], Word]
) -> list[_Band]:
    """Ruled bands that hold several rows (rules every few rows, or none through the
    body) cut into one band per row; other bands as they are."""
    out: list[_Band] = []
    for band in bands:
        out.extend(_rows_of_band(band, bounds, into_cell) if len(band.lines) >= 2 else [band])
    return out


def _rows_of_band(
    band: _Band, bounds: Sequence[float], into_cell: Callable[[Word], Word]
) -> list[_Band]:
    """A band's lines grouped into rows, where two columns or more hold a value on
    several of its lines (a band without that evidence, a wrapped cell or prose, is one
    row). A line with values of its own in two of those columns is a row, and so is a
    line without, set as far from the line above as rows are from each other (a section
    label). A line set tighter than rows are (a cell's lines are) joins the row above;
    the row's values may also stand on its last line (cells aligned to the bottom:
    "District of" over "Columbia 8 54")."""
    lines = band.lines
    texts = [_cells_of_band([into_cell(w) for w in ln.words], bounds)[0] for ln in lines]
    values = {k for k in range(len(bounds) - 1) if _value_column([t[k] for t in texts])}
    # one column of values is evidence enough when it has one on three lines or more (a
    # staff list: a name, a title and an amount a line); a wrapped cell never breaks
    # one value into three
    alone = len(values) == 1 and sum(1 for t in texts if t[min(values)].strip()) >= 3
    if len(values) < 2 and not alone:
        return [band]
    needed = 1 if alone else 2
    valued = [sum(1 for k in values if t[k].strip()) >= needed for t in texts]
    if sum(valued) < 2:
        return [band]
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(lines)]
    # rows are as far apart as the gaps above their lines of values (a record's second
    # description line under it, set tight, is no row gap)
    between = [g for g, v in zip(gaps, valued[1:], strict=True) if v]
    usual = statistics.median(between or gaps)
    groups: list[list[int]] = [[0]]
    for i in range(1, len(lines)):
        tight = gaps[i - 1] < _TIGHT * usual
        has_values = any(valued[j] for j in groups[-1])
        if (valued[i] and has_values) or not tight:
            groups.append([i])
        else:
            groups[-1].append(i)
    if len(groups) == 1:
        return [band]
    pieces: list[_Band] = []
    for k, group in enumerate(groups):
        first, last = lines[group[0]], lines[group[-1]]
        end = k == len(groups) - 1
        top = band.top if k == 0 else first.top - 0.5
        bottom = band.bottom if end else last.bottom + 0.5
        group_lines = [
            _Line(pinned(ln, bounds), ln.top, ln.bottom) for ln in lines[group[0] : group[-1] + 1]
        ]
        pieces.append(_Band(top, bottom, band.open_bottom and end, group_lines))
    return pieces
