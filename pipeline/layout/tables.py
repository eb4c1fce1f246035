"""tables: one page's tables, each found once, and their rows; the one front end of the
layout for every profile. A page's tables are found, in this order:

* by a header naming the profile's columns (``named``), or as the table such a header
  opened on an earlier page, going on (a profile that declares no columns names none);
* by their rules: each ruled grid pdfplumber finds locates a table and its columns
  (``ruled``);
* by their text's alignment (``stream``).

A table found by its rules or its alignment is named by its printed header: a profile
that declares columns maps the names to its keys by their aliases and keeps the table
only when every required column is named (``Profile.header_keys``); one that declares
none keeps the names as printed. Rows, merged cells, notes and words are cut by the
engine's shared code (``engine.body_rows``, ``_row_bands``, ``_table_lines``)."""

from __future__ import annotations

import functools
import itertools
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from pipeline.layout.engine import (
    Grid,
    LayoutState,
    PageContent,
    Word,
    _Band,
    _band_words,
    _cells_of_band,
    _group_lines,
    _Layout,
    _Line,
    _row_bands,
    _table_lines,
    _title_above,
    _without_trailing_note,
    body_rows,
    open_table,
    page_lines,
    rows_of_kind,
)
from pipeline.layout.headers import column_names
from pipeline.layout.named import named_table_rows
from pipeline.layout.ruled import (
    Box,
    GridTable,
    above_parts,
    caption_bands,
    cell_sides,
    centre_in,
    grid_box,
    header_band_count,
    header_parts,
    lines_above,
    merged_cells,
    notes_top,
    separating_edges,
    split_by_baselines,
    table_grids,
)
from pipeline.layout.stream import (
    StreamTable,
    columns_drawn,
    columns_hold_text,
    find_stream_tables,
    row_groups,
)
from pipeline.model import STRAY_MARK, PhysicalRow, TableLayout
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


def _into_merged_cell(w: Word, merged: Sequence[Box]) -> Word:
    """A word in a merged cell (one text spanning several columns: ``ruled.merged_cells``)
    belongs to the span's first column."""
    for box in merged:
        if centre_in(w, box):
            return {**w, "column_x": box[0] + 0.5}
    return w


def _mid(w: Word) -> float:
    return float(w["top"] + w["bottom"]) / 2


def _same_columns(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3.0 for x, y in zip(a, b, strict=True))


def table_rows(content: PageContent, profile: Profile, state: LayoutState) -> Iterator[PhysicalRow]:
    """The physical rows of one page's tables: the table a header names (``named``), or
    else the page's ruled tables (grids whose columns are drawn as rules, not only filled
    rectangles' edges: ``_columns_of``, and that are tables, not frames or banners:
    ``ruled.table_grids``), or else the unruled tables its text's alignment shows."""
    named = named_table_rows(content, profile, state)
    if named is not None:
        yield from named
        return
    grids = [g for g in content.ruled_grids() if _columns_of(g, content)]
    tables = table_grids(grids, content.words) if grids else []
    if tables:
        yield from _grid_rows(content, profile, state, tables)
    else:
        yield from stream_rows(content, profile, state)


def _columns_of(grid: Grid, content: PageContent) -> bool:
    """Whether a grid pdfplumber's finder drew gives the table's columns: they are drawn
    as rules (``stream.columns_drawn``), or, drawn only by fills' edges, they are the
    columns of the text inside (``stream.columns_hold_text``); else the text's own
    alignment gives them (zebra stripes, a shaded column)."""
    if columns_drawn(grid.xs, grid.ys[0], grid.ys[-1], content.vertical):
        return True
    inside = [
        w
        for w in content.words
        if grid.ys[0] < _mid(w) < grid.ys[-1]
        and grid.xs[0] <= (w["x0"] + w["x1"]) / 2 <= grid.xs[-1]
    ]
    return columns_hold_text(grid.xs, _group_lines(inside))


def _grid_rows(
    content: PageContent, profile: Profile, state: LayoutState, tables: Sequence[GridTable]
) -> Iterator[PhysicalRow]:
    """The page's ruled tables, top to bottom. A table's region reaches up and down to
    its neighbours (so the open band a page break leaves above its first rule or under
    its last is kept); a table drawn inside another's cell is read within its own frame,
    after the others, and leaves the open table of the page as it was."""
    lines = page_lines(content.words, content.number, state) if content.words else []
    if not lines:
        return
    outer = [t for t in tables if not t.nested]
    for k, table in enumerate(outer):
        lo = outer[k - 1].grid.ys[-1] if k else float("-inf")
        hi = outer[k + 1].grid.ys[0] if k + 1 < len(outer) else float("inf")
        follows = k == 0 and state.last_page_with_rows == content.number - 1
        place = _Place(lo, hi, first=k == 0, last=k == len(outer) - 1, follows=follows)
        yield from _grid_table_rows(content, profile, state, lines, table, place)
    for table in tables:
        if table.nested:
            saved = (state.layout, state.header_rows, state.last_page_with_rows)
            box = grid_box(table.grid)
            place = _Place(box[1] - 1.0, box[3] + 1.0, first=True, last=True, follows=False)
            yield from _grid_table_rows(content, profile, state, lines, table, place)
            state.layout, state.header_rows, state.last_page_with_rows = saved


@dataclass(frozen=True)
class _Place:
    """Where a grid's table stands on its page: the heights its region may take words
    from, whether it is the page's first and last table, and whether it may go on from
    the previous page's last table."""

    lo: float
    hi: float
    first: bool
    last: bool
    follows: bool


def _grid_table_rows(
    content: PageContent,
    profile: Profile,
    state: LayoutState,
    lines: Sequence[_Line],
    table: GridTable,
    place: _Place,
) -> Iterator[PhysicalRow]:
    """One grid's table: its columns are the grid's; rows are cut exactly as for a
    profile table (rules, the open band a page break leaves under the last rule or above
    the first, merged cells), so a half row that pdfplumber's own finder would drop is
    kept; rows a producer did not rule apart are told apart by their lines' numbers
    (``ruled.split_by_baselines``).

    A grid continues the open table when its columns line up with it and it either
    repeats the header rows or is the page's first grid right after the open table
    reached the previous page's end; otherwise its first rows (a caption, then a header
    of one row or several: ``ruled``) open a new one."""
    grid = table.grid
    bounds = list(grid.xs)
    if not table.nested:
        bounds = _with_outside_labels(bounds, grid, content.words)
    # words, not lines: a label left of the grid or a stray glyph past its last rule
    # must not drop the line it stands on
    region = _group_lines(
        [
            w
            for w in content.words
            if place.lo < _mid(w) < place.hi
            and bounds[0] - 2 <= (w["x0"] + w["x1"]) / 2 <= bounds[-1] + 2
            and not any(centre_in(w, hole) for hole in table.holes)
        ]
    )
    state.leave_out(_stray_marks(content.words, grid, bounds), STRAY_MARK)
    grid_bands = [
        _Band(a, b, False, [ln for ln in region if a <= _line_mid(ln) <= b], True)
        for a, b in itertools.pairwise(grid.ys)
    ]
    merged = merged_cells(grid, [w for ln in region for w in ln.words])
    into_cell = functools.partial(_into_merged_cell, merged=merged)
    texts_of = [
        _cells_of_band([into_cell(w) for ln in b.lines for w in ln.words], bounds)
        for b in grid_bands
    ]
    if not any(b.lines for b in grid_bands):
        return
    layout = state.layout
    same = layout is not None and _same_columns(layout.bounds, bounds)
    repeats = same and bool(state.header_rows) and texts_of[0][0] == state.header_rows[0]
    over = lines_above(region, grid, bounds)
    if same and layout is not None and (repeats or place.follows):
        opened = layout.table
        n_header = next(
            (
                k
                for k, (texts, _) in enumerate(texts_of[: len(state.header_rows)])
                if texts != state.header_rows[k]
            ),
            min(len(texts_of), len(state.header_rows)),
        )
        # without its header repeated, what stands over the first rule goes on from
        # the previous page (a row the page break split), it heads nothing
        over = over if n_header else []
    else:
        new = _open_grid_table(
            state, profile, content, lines, grid, grid_bands, bounds, merged, over
        )
        if new is None:  # not the profile's table
            return
        opened, n_header = new
    # header labels printed over the grid's top rule, then the grid's header rows
    heads = [(ln.top, ln.bottom, _cells_of_band(ln.words, bounds), ln.words) for ln in over]
    heads += [
        (grid.ys[k], grid.ys[k + 1], texts_of[k], _band_words(grid_bands[k]))
        for k in range(n_header)
    ]
    yield from rows_of_kind("header", heads, bounds, opened.index, content.number)
    body_top = grid.ys[n_header] if n_header else grid.ys[0]
    # above the first rule only when the table goes on from the previous page
    candidates = [
        ln for ln in region if _line_mid(ln) > body_top or (n_header == 0 and place.follows)
    ]
    # the grid's cells are its column rules too: a table drawn as filled cells has no
    # other, and a line at a height where none runs is outside the table
    drawn = replace(content, vertical=[*content.vertical, *cell_sides(grid)])
    kept, ended, _ = _table_lines(candidates, bounds, profile, drawn, True, state)
    bands = _row_bands(kept, list(grid.ys[n_header:]), body_top, None)
    if ended:
        bands = _without_trailing_note(bands, bounds, state)
    notes_at = notes_top(grid, [t for t, _ in texts_of], n_header, merged)
    notes = [b for b in bands if notes_at is not None and _band_mid(b) > notes_at]
    bands = [b for b in bands if b not in notes]
    bands = split_by_baselines(bands, bounds, into_cell)
    yield from body_rows(
        bands,
        [*content.horizontal, *separating_edges(bands, bounds, into_cell, grid)],
        bounds,
        opened.index,
        content.number,
        into_cell=into_cell,
        first=place.first,
        last=place.last,
    )
    yield from rows_of_kind(
        "note",
        [(b.top, b.bottom, _cells_of_band(_band_words(b), bounds), _band_words(b)) for b in notes],
        bounds,
        opened.index,
        content.number,
    )
    ended = ended or bool(notes)
    state.last_page_with_rows = content.number if place.last and not ended else 0
    if ended:
        state.layout = None


def _stray_marks(words: Sequence[Word], grid: Grid, bounds: Sequence[float]) -> list[Word]:
    """Glyphs without a letter or digit printed just outside a grid's frame, within a
    type size of it and between its first and last rule (a "." after a total's border):
    no cell's text, and no data either, so they are named, not rejected."""
    marks = []
    for w in words:
        cx, size = (w["x0"] + w["x1"]) / 2, w["bottom"] - w["top"]
        outside = bounds[0] - size <= cx < bounds[0] - 2 or bounds[-1] + 2 < cx <= bounds[-1] + size
        if (
            outside
            and grid.ys[0] < _mid(w) < grid.ys[-1]
            and not any(c.isalnum() for c in w["text"])
        ):
            marks.append(w)
    return marks


def _band_mid(band: _Band) -> float:
    return (band.top + band.bottom) / 2


def _open_grid_table(
    state: LayoutState,
    profile: Profile,
    content: PageContent,
    lines: Sequence[_Line],
    grid: Grid,
    bands: Sequence[_Band],
    bounds: list[float],
    merged: Sequence[Box],
    over: Sequence[_Line],
) -> tuple[TableLayout, int] | None:
    """A new table from a grid's first rows, and how many rows they are: a caption (its
    text goes to the title with the lines above the grid), then the header, each
    column named by every part of the header above it (``headers.column_names``),
    the labels printed ``over`` the grid's top rule first. None when the names are not
    the profile's (``_open_table``)."""
    texts = [_cells_of_band([w for ln in b.lines for w in ln.words], bounds)[0] for b in bands]
    skip = caption_bands(grid, texts, merged)
    n = header_band_count(grid, [b.lines for b in bands], skip, bounds, content.vertical)
    header_lines = [ln for b in bands[skip : skip + n] for ln in b.lines]
    parts = above_parts(over, bounds) + header_parts(header_lines, bounds, grid, content.vertical)
    labels = column_names(parts, len(bounds) - 1)
    top = over[0].top - 0.5 if over else grid.ys[0] + 1
    above = [ln for ln in lines if ln.bottom <= top]
    above += [ln for b in bands[:skip] for ln in b.lines]
    into_cell = functools.partial(_into_merged_cell, merged=merged)
    header_rows = [
        _cells_of_band([into_cell(w) for ln in b.lines for w in ln.words], bounds)[0]
        for b in bands[: skip + n]
    ]
    table = _open_table(state, profile, header_rows, bounds, True, content, above, labels)
    return None if table is None else (table, skip + n)


RUNNING_HEAD_LINES = 2  # lines above a table at the top of a page: a running head


def _lined_up(a: Sequence[float], b: Sequence[float], lines: Sequence[_Line]) -> bool:
    """Two tables' column boundaries are the same, within two type sizes."""
    size = statistics.median(ln.height for ln in lines) if lines else 0.0
    return len(a) == len(b) and all(abs(x - y) <= 2 * size for x, y in zip(a, b, strict=True))


def _open_table(
    state: LayoutState,
    profile: Profile,
    header_rows: list[tuple[str, ...]],
    bounds: list[float],
    ruled: bool,
    content: PageContent,
    above: Sequence[_Line],
    names: Sequence[str] | None = None,
) -> TableLayout | None:
    """A new table, named by its first header row (or by ``names``, one per column, for
    a header of several rows), its columns keyed by the profile (``Profile.header_keys``);
    the document's first table takes its title from the lines ``above`` it. It becomes
    the open table later pages continue. None, and nothing opened, when the names leave
    one of the profile's required columns unnamed: the table is not the profile's."""
    labels = unique_labels(header_rows[0] if names is None else names)
    keys = profile.header_keys(labels)
    if keys is None:
        return None
    table = open_table(state, keys, labels, content.number)
    if table.index == 1:
        state.title = _title_above(list(above))
    state.layout = _Layout(table, bounds, ruled)
    state.header_rows = header_rows
    return table


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


def stream_rows(
    content: PageContent, profile: Profile, state: LayoutState
) -> Iterator[PhysicalRow]:
    """The page's unruled tables, one row per visual line. The first continues the open
    table when its columns line up with it and it repeats the open table's header or
    prints none; the others, and any other, open a table of their own."""
    lines = page_lines(content.words, content.number, state) if content.words else []
    tables = find_stream_tables(lines, content.horizontal)
    read = False
    for t_index, found in enumerate(tables):
        rows = list(_stream_table_rows(content, profile, state, found, first=t_index == 0))
        read = read or bool(rows)
        yield from rows
    if read:
        state.last_page_with_rows = content.number


def _stream_table_rows(
    content: PageContent,
    profile: Profile,
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
        opened = _open_table(
            state, profile, header_rows, bounds, False, content, found.above, found.names
        )
        if opened is None:  # not the profile's table
            return
        table = opened
    heads = [
        (line.top, line.bottom, (texts, tuple(False for _ in texts)), line.words)
        for line, texts in zip(header, header_rows, strict=True)
    ]
    yield from rows_of_kind("header", heads, bounds, table.index, content.number)
    last = len(rows) - 1
    bands = [_Band(row[0].top, row[-1].bottom, k == last, row) for k, row in enumerate(rows)]
    yield from body_rows(bands, content.horizontal, bounds, table.index, content.number)
