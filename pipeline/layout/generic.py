"""generic: the profile that declares no columns. Each ruled grid pdfplumber finds
locates a table and its columns; a page without a grid goes to ``stream``, which infers
the columns from the text's alignment."""

from __future__ import annotations

import functools
import itertools
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import replace

from pipeline.layout.engine import (
    Grid,
    LayoutState,
    PageContent,
    Word,
    _Band,
    _cells_of_band,
    _group_lines,
    _Layout,
    _Line,
    _row_bands,
    _table_lines,
    _title_above,
    _without_trailing_note,
    body_rows,
    page_lines,
    profile_table_rows,
)
from pipeline.layout.stream import (
    StreamTable,
    band_rows,
    columns_drawn,
    find_stream_tables,
    row_groups,
)
from pipeline.model import PhysicalRow, TableLayout
from pipeline.profiles import Profile


def unique_labels(texts: Sequence[str]) -> tuple[str, ...]:
    """Header names as printed, whitespace collapsed; blank or repeated -> column_<n>."""
    printed = [" ".join(t.split()) for t in texts]
    taken = {label for label in printed if label}
    seen: set[str] = set()
    labels = []
    for n, label in enumerate(printed, start=1):
        if not label or label in seen or label in _GENERIC_RESERVED:
            label = f"column_{n}"
            while label in taken or label in seen:  # a printed "column_2" keeps its name
                label += "_"
        seen.add(label)
        labels.append(label)
    return tuple(labels)


_GENERIC_RESERVED = {"source_file", "table_index", "row_index", "page_start", "page_end"}


def _into_spanning_cell(w: Word, grid: Grid, loose: frozenset[int] = frozenset()) -> Word:
    """A word in a cell spanning several columns belongs to the span's first column;
    not a word of the ``loose`` rows (unruled rows in a ruled frame, ``band_rows``):
    their cell spans columns only because the producer ruled none in the body."""
    if id(w) in loose:
        return w
    cx, cy = (w["x0"] + w["x1"]) / 2, _mid(w)
    for x0, top, x1, bottom in grid.cells:
        if x0 <= cx <= x1 and top <= cy <= bottom:
            if any(x0 + 2 < x < x1 - 2 for x in grid.xs):
                return {**w, "column_x": x0 + 0.5}
            break
    return w


def _mid(w: Word) -> float:
    return float(w["top"] + w["bottom"]) / 2


def _same_columns(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3.0 for x, y in zip(a, b, strict=True))


def table_rows(content: PageContent, profile: Profile, state: LayoutState) -> Iterator[PhysicalRow]:
    """The physical rows of one page: a profile that names its columns finds its table
    by their header; a profile that declares none infers them (``generic_table_rows``)."""
    if not profile.infers_columns:
        return profile_table_rows(content, profile, state)
    return generic_table_rows(content, profile, state)


def generic_table_rows(
    content: PageContent, profile: Profile, state: LayoutState
) -> Iterator[PhysicalRow]:
    """A profile without columns: the page's ruled grids where it has any (grids whose
    columns are drawn as rules, not filled rectangles' edges: ``columns_drawn``), else
    the unruled tables its text's alignment shows."""
    grids = [g for g in content.grids if columns_drawn(g.xs, g.ys[0], g.ys[-1], content.vertical)]
    content = replace(content, grids=grids)
    if content.grids:
        yield from _grid_rows(content, profile, state)
    else:
        yield from stream_rows(content, state)


def _grid_rows(content: PageContent, profile: Profile, state: LayoutState) -> Iterator[PhysicalRow]:
    """Each ruled grid pdfplumber finds locates a table and its columns;
    rows are then cut exactly as for a profile table (rules, the open band a page break
    leaves under the last rule or above the first, merged cells), so a half row that
    pdfplumber's own finder would drop is kept.

    A grid continues the open table when its columns line up with it and it either
    repeats the header rows or is the page's first grid right after the open table
    reached the previous page's end; otherwise its first row is the header of a new one."""
    lines = page_lines(content.words, content.number) if content.words else []
    grids = content.grids
    if not lines:
        return
    for g_index, grid in enumerate(grids):
        bounds = list(grid.xs)
        lo = grids[g_index - 1].ys[-1] if g_index else float("-inf")
        hi = grids[g_index + 1].ys[0] if g_index + 1 < len(grids) else float("inf")
        bounds = _with_outside_labels(bounds, grid, content.words)
        # words, not lines: a label left of the grid or a stray glyph past its last rule
        # must not drop the line it stands on
        region = _group_lines(
            [
                w
                for w in content.words
                if lo < _mid(w) < hi and bounds[0] - 2 <= (w["x0"] + w["x1"]) / 2 <= bounds[-1] + 2
            ]
        )
        grid_bands = [
            _Band(a, b, False, [ln for ln in region if a <= _line_mid(ln) <= b], True)
            for a, b in itertools.pairwise(grid.ys)
        ]
        texts_of = [
            _cells_of_band(
                [_into_spanning_cell(w, grid) for ln in b.lines for w in ln.words], bounds
            )
            for b in grid_bands
        ]
        if not any(b.lines for b in grid_bands):
            continue
        layout = state.layout
        same = layout is not None and _same_columns(layout.bounds, bounds)
        repeats = same and bool(state.header_rows) and texts_of[0][0] == state.header_rows[0]
        follows = g_index == 0 and state.last_page_with_rows == content.number - 1
        if same and layout is not None and (repeats or follows):
            table = layout.table
            n_header = next(
                (
                    k
                    for k, (texts, _) in enumerate(texts_of[: len(state.header_rows)])
                    if texts != state.header_rows[k]
                ),
                min(len(texts_of), len(state.header_rows)),
            )
        else:
            above = [ln for ln in lines if ln.bottom <= grid.ys[0] + 1]
            table = _open_table(state, [t for t, _ in texts_of[:3]], bounds, True, content, above)
            n_header = 1
        for k in range(n_header):
            texts, italic = texts_of[k]
            yield PhysicalRow(
                table=table.index,
                page=content.number,
                bbox=(bounds[0], grid.ys[k], bounds[-1], grid.ys[k + 1]),
                columns=tuple(bounds),
                cells=texts,
                italic=italic,
                kind="header",
            )
        body_top = grid.ys[n_header] if n_header else grid.ys[0]
        # above the first rule only when the table goes on from the previous page
        candidates = [
            ln for ln in region if _line_mid(ln) > body_top or (n_header == 0 and follows)
        ]
        kept, ended, _ = _table_lines(candidates, bounds, profile, content, ruled=True)
        bands = _row_bands(kept, list(grid.ys[n_header:]), body_top, None)
        if ended:
            bands = _without_trailing_note(bands, bounds)
        bands = [row for band in bands for row in band_rows(band, bounds)]
        loose = frozenset(id(w) for b in bands if not b.ruled for ln in b.lines for w in ln.words)
        last_grid = g_index == len(grids) - 1
        yield from body_rows(
            bands,
            content.horizontal,
            bounds,
            table.index,
            content.number,
            into_cell=functools.partial(_into_spanning_cell, grid=grid, loose=loose),
            first=g_index == 0,
            last=last_grid,
        )
        state.last_page_with_rows = content.number if last_grid and not ended else 0
        if ended:
            state.layout = None


RUNNING_HEAD_LINES = 2  # lines above a table at the top of a page: a running head


def _lined_up(a: Sequence[float], b: Sequence[float], lines: Sequence[_Line]) -> bool:
    """Two tables' column boundaries are the same, within two type sizes."""
    size = statistics.median(ln.height for ln in lines) if lines else 0.0
    return len(a) == len(b) and all(abs(x - y) <= 2 * size for x, y in zip(a, b, strict=True))


def _open_table(
    state: LayoutState,
    header_rows: list[tuple[str, ...]],
    bounds: list[float],
    ruled: bool,
    content: PageContent,
    above: Sequence[_Line],
    names: Sequence[str] | None = None,
) -> TableLayout:
    """A new table, named by its first header row (or by ``names``, its header rows
    joined); the document's first table takes its title from the lines ``above`` it. It
    becomes the open table later pages continue."""
    index = len(state.tables) + 1
    labels = unique_labels(header_rows[0] if names is None else names)
    table = TableLayout(index, labels, labels, content.number)
    state.tables.append(table)
    if index == 1:
        state.title = _title_above(list(above))
    state.layout = _Layout(table, bounds, ruled)
    state.header_rows = header_rows
    return table


def _words(band: _Band) -> list[Word]:
    return [w for ln in band.lines for w in ln.words]


def _line_mid(line: _Line) -> float:
    return (line.top + line.bottom) / 2


def _with_outside_labels(bounds: list[float], grid: Grid, words: Sequence[Word]) -> list[float]:
    """Row labels printed left (or right) of a ruled grid, on two rows or more, are a
    column of the table: the grid is widened to hold them."""
    top, bottom = grid.ys[0], grid.ys[-1]
    inside = [w for w in words if top < _mid(w) < bottom]
    left = [w for w in inside if w["x1"] <= bounds[0] + 1]
    right = [w for w in inside if w["x0"] >= bounds[-1] - 1]
    out = list(bounds)
    if _on_rows(left, grid) >= 2:
        out.insert(0, min(w["x0"] for w in left) - 1.0)
    if _on_rows(right, grid) >= 2:
        out.append(max(w["x1"] for w in right) + 1.0)
    return out


def _on_rows(words: Sequence[Word], grid: Grid) -> int:
    return len({sum(1 for y in grid.ys if y < _mid(w)) for w in words})


def stream_rows(content: PageContent, state: LayoutState) -> Iterator[PhysicalRow]:
    """The page's unruled tables, one row per visual line. The first continues the open
    table when its columns line up with it and it repeats the open table's header or
    prints none; the others, and any other, open a table of their own."""
    lines = page_lines(content.words, content.number) if content.words else []
    tables = find_stream_tables(lines, content.horizontal)
    for t_index, found in enumerate(tables):
        yield from _stream_table_rows(content, state, found, first=t_index == 0)
    if tables:
        state.last_page_with_rows = content.number


def _stream_table_rows(
    content: PageContent,
    state: LayoutState,
    found: StreamTable,
    first: bool,
) -> Iterator[PhysicalRow]:
    """One unruled table's rows. It continues the open table when it is the page's first,
    the open table reached the previous page, its columns are as many, and it repeats
    the open table's header rows, prints none, or -- its columns lining up with the open
    table's -- has a header only guessed (a table of words: its first line) or starts
    at the top of the page (no title above it, a running head at most). Lines the
    header walk took under a repeated header (the first line of a row whose cells are
    set low), or a header that is not repeated, are then body rows."""
    bounds = found.bounds
    layout = state.layout
    prev = state.header_rows
    header, header_rows = found.header, found.header_rows
    rows = found.rows or [[ln] for ln in found.lines]
    repeats = bool(prev) and header_rows[: len(prev)] == prev
    lined_up = layout is not None and _lined_up(layout.bounds, bounds, found.lines)
    at_top = len(found.above) <= RUNNING_HEAD_LINES
    if (
        first
        and layout is not None
        and len(layout.bounds) == len(bounds)
        and state.last_page_with_rows == content.number - 1
        and (repeats or not header_rows or (lined_up and (found.guessed_header or at_top)))
    ):
        table = layout.table
        bounds = bounds if repeats else layout.bounds
        n = len(prev) if repeats else 0
        header, header_rows = header[:n], header_rows[:n]
        if found.header[n:]:
            lines = [*found.header[n:], *found.lines]
            rows = row_groups(lines, bounds, found.numeric)
    else:
        table = _open_table(
            state, header_rows, bounds, False, content, found.above, names=found.names
        )
    for line, texts in zip(header, header_rows, strict=True):
        yield PhysicalRow(
            table=table.index,
            page=content.number,
            bbox=(bounds[0], line.top, bounds[-1], line.bottom),
            columns=tuple(bounds),
            cells=texts,
            italic=tuple(False for _ in texts),
            kind="header",
        )
    last = len(rows) - 1
    for k, row in enumerate(rows):
        texts, italic = _cells_of_band([w for ln in row for w in ln.words], bounds)
        yield PhysicalRow(
            table=table.index,
            page=content.number,
            bbox=(bounds[0], row[0].top, bounds[-1], row[-1].bottom),
            columns=tuple(bounds),
            cells=texts,
            italic=italic,
            kind="body",
            first_on_page=k == 0,
            last_on_page=k == last,
            open_bottom=k == last,
        )
