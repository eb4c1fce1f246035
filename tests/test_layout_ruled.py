"""What a ruled grid says about a table (``layout.ruled``, ``layout.headers``) and the
generic profile's split-row decision (``clean.classify_row`` via ``stitch``), on
synthetic words, grids and rows: one case per way a grid misleads a reader."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from pipeline.clean import stitch, value_shape
from pipeline.layout.engine import Grid, _Band, _group_lines, _Line
from pipeline.layout.headers import HeaderPart, column_names
from pipeline.layout.ruled import (
    above_parts,
    caption_bands,
    header_band_count,
    line_parts,
    lines_above,
    merged_cells,
    notes_top,
    separating_edges,
    split_by_baselines,
    table_grids,
)
from pipeline.model import PhysicalRow
from pipeline.profiles import load_profile

SIZE = 8.0


def word(text: str, x0: float, top: float, width: float | None = None) -> dict[str, Any]:
    w = width if width is not None else 0.5 * SIZE * len(text)
    return {"text": text, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + SIZE}


def grid(xs: list[float], ys: list[float], spans: Sequence[tuple[int, int, int, int]] = ()) -> Grid:
    """A grid with one cell per column and row, except the spans (first column, first
    row, last column, last row; inclusive) drawn as one cell."""
    covered: set[tuple[int, int]] = set()
    cells = []
    for c0, r0, c1, r1 in spans:
        cells.append((xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        covered |= {(c, r) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)}
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if (c, r) not in covered:
                cells.append((xs[c], ys[r], xs[c + 1], ys[r + 1]))
    return Grid(tuple(xs), tuple(ys), tuple(cells))


def vrule(x: float, top: float, bottom: float) -> dict[str, Any]:
    return {"x0": x, "top": top, "bottom": bottom}


# --------------------------------------------------------------------------- names


def test_group_header_names_every_column_it_spans() -> None:
    parts = [
        HeaderPart(0, 0, 0.0, "Cycle"),
        HeaderPart(0, 0, 10.0, "Name"),
        HeaderPart(1, 2, 0.0, "Percent Fuel  Savings"),
        HeaderPart(1, 1, 10.0, "Improved Speed"),
        HeaderPart(2, 2, 10.0, "Decreased Accel"),
    ]
    assert column_names(parts, 4) == [
        "Cycle Name",
        "Percent Fuel Savings Improved Speed",
        "Percent Fuel Savings Decreased Accel",
        "",
    ]


def test_parts_at_one_height_read_left_to_right() -> None:
    parts = [HeaderPart(0, 1, 5.0, "B"), HeaderPart(1, 1, 5.0, "C"), HeaderPart(0, 1, 0.0, "A")]
    assert column_names(parts, 2) == ["A B", "A B C"]


# --------------------------------------------------------------------------- grids


def test_a_frame_holding_text_in_one_column_is_no_table_but_the_grid_inside_is() -> None:
    frame = grid([-14.0, 0.0, 580.0, 600.0], [-15.0, 40.0, 60.0, 800.0])
    table = grid([100.0, 200.0, 300.0], [100.0, 120.0, 140.0])
    words = [
        word("Banner title", 50.0, 45.0),
        word("Name", 110.0, 105.0),
        word("Count", 210.0, 105.0),
        word("Oslo", 110.0, 125.0),
        word("12", 210.0, 125.0),
        word("Prose under the table", 50.0, 300.0),
    ]
    found = table_grids([frame, table], words)
    assert [(t.grid, t.nested) for t in found] == [(table, False)]


def test_a_table_inside_a_layout_grids_cell_is_a_table_of_its_own() -> None:
    layout = grid([0.0, 100.0, 500.0], [0.0, 50.0, 300.0])
    inner = grid([150.0, 250.0, 350.0], [100.0, 120.0, 140.0])
    words = [
        word("Purpose", 5.0, 10.0),
        word("A policy", 105.0, 10.0),
        word("Cover", 5.0, 60.0),
        word("On death:", 105.0, 60.0),
        word("Age", 155.0, 105.0),
        word("Share", 255.0, 105.0),
        word("18-75", 155.0, 125.0),
        word("1.00%", 255.0, 125.0),
    ]
    outer_t, inner_t = table_grids([layout, inner], words)
    assert (outer_t.nested, inner_t.nested) == (False, True)
    assert outer_t.holes == ((150.0, 100.0, 350.0, 140.0),)


def test_a_charts_gridlines_are_no_table() -> None:
    # a 5 x 5 plot area, its axis labels outside it, a legend of two entries inside
    xs = [0.0, 40.0, 80.0, 120.0, 160.0, 200.0]
    chart = grid(xs, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0])
    words = [word(f"{v}", -20.0, 20.0 * k + 5) for k, v in enumerate((80, 60, 40, 20))]
    words += [
        word(f"{y}", x, 105.0) for x, y in zip(xs[1:-1], (2001, 2002, 2003, 2004), strict=True)
    ]
    words += [word("men", 125.0, 5.0), word("women", 165.0, 5.0)]
    assert table_grids([chart], words) == []
    # the same grid with a value in every cell is a table
    spots = [(x, y) for x in xs[:-1] for y in (0.0, 20.0, 40.0, 60.0, 80.0)]
    full = [word(f"{k}", x + 5, y + 5) for k, (x, y) in enumerate(spots)]
    assert [t.grid for t in table_grids([chart], full)] == [chart]


def test_strips_of_padding_between_filled_cells_are_no_columns() -> None:
    # Word's shaded cells: left padding, content, right padding, each a rectangle
    xs = [0.0, 5.4, 94.6, 100.0, 105.4, 194.6, 200.0]
    g = grid(xs, [0.0, 20.0, 40.0])
    words = [word("Name", 10.0, 5.0), word("Count", 110.0, 5.0)]
    words += [word("Oslo", 10.0, 25.0), word("12", 110.0, 25.0)]
    (table,) = table_grids([g], words)
    assert table.grid.xs == (0.0, 100.0, 200.0)


# --------------------------------------------------------------------------- header


def test_a_full_width_first_row_is_a_caption_unless_such_rows_also_head_sections() -> None:
    xs, ys = [0.0, 100.0, 200.0, 300.0], [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    texts = [("Title", "", ""), ("A", "B", "C"), ("a", "1", "2"), ("b", "3", "4"), ("N", "", "")]
    # the last full-width row is a note, not a section label
    captioned = grid(xs, ys, [(0, 0, 2, 0), (0, 4, 2, 4)])
    merged = merged_cells(captioned, [])
    assert caption_bands(captioned, texts, merged) == 1
    assert notes_top(captioned, texts, 1, merged) == 80.0
    sections = [*texts[:3], ("Second section", "", ""), ("b", "3", "4")]
    sectioned = grid(xs, ys, [(0, 0, 2, 0), (0, 3, 2, 3)])
    merged = merged_cells(sectioned, [])
    assert caption_bands(sectioned, sections, merged) == 0
    assert notes_top(sectioned, sections, 1, merged) is None


def test_a_full_width_cell_holding_columns_of_text_is_a_frame_not_one_text() -> None:
    # a ruled header over an unruled body: the body is one cell across the grid
    xs, ys = [0.0, 100.0, 200.0, 300.0], [0.0, 20.0, 100.0]
    g = grid(xs, ys, [(0, 1, 2, 1)])
    body = [word("Ann", 10.0, 25.0), word("12", 110.0, 25.0), word("30", 210.0, 25.0)]
    assert merged_cells(g, body) == []
    assert merged_cells(g, [word("All the available individuals", 60.0, 25.0)]) == [
        (0.0, 20.0, 300.0, 100.0)
    ]


def _lines(*words: dict[str, Any]) -> list[_Line]:
    return _group_lines(list(words))


def test_header_goes_on_while_a_cell_spans_rows_or_a_group_lacks_its_sub_headers() -> None:
    xs = [0.0, 100.0, 200.0, 300.0]
    ys = [0.0, 20.0, 40.0, 60.0, 80.0]
    # "Product" spans rows 0-1; "Harvest" spans columns 1-2; the body holds numbers
    g = grid(xs, ys, [(0, 0, 0, 1), (1, 0, 2, 0)])
    bands = [
        _lines(word("Harvest", 130.0, 5.0)),
        _lines(word("Product", 10.0, 25.0), word("May", 110.0, 25.0), word("June", 210.0, 25.0)),
        _lines(word("Rice", 10.0, 45.0), word("1.5", 110.0, 45.0), word("2.5", 210.0, 45.0)),
        _lines(word("Corn", 10.0, 65.0), word("3.5", 110.0, 65.0), word("4.5", 210.0, 65.0)),
    ]
    vertical = [vrule(x, 0.0, 80.0) for x in (0.0, 300.0)]
    vertical += [vrule(100.0, 0.0, 80.0), vrule(200.0, 20.0, 80.0)]
    assert header_band_count(g, bands, 0, xs, vertical) == 2
    parts = [p for b in bands[:2] for ln in b for p in line_parts(ln, xs, g, vertical)]
    assert column_names(parts, 3) == ["Product", "Harvest May", "Harvest June"]


def test_a_row_of_numbers_never_joins_the_header() -> None:
    xs = [0.0, 100.0, 200.0, 300.0]
    ys = [0.0, 20.0, 40.0, 60.0]
    g = grid(xs, ys, [(1, 0, 2, 0)])  # a group header with no sub-headers under it
    bands = [
        _lines(word("Name", 10.0, 5.0), word("Votes", 130.0, 5.0)),
        _lines(word("Ann", 10.0, 25.0), word("12", 110.0, 25.0), word("30", 210.0, 25.0)),
        _lines(word("Bo", 10.0, 45.0), word("7", 110.0, 45.0), word("8", 210.0, 45.0)),
    ]
    assert header_band_count(g, bands, 0, xs, []) == 1


def test_labels_printed_over_the_grids_top_rule_head_the_columns_they_stand_over() -> None:
    xs = [0.0, 100.0, 150.0, 200.0, 250.0, 300.0]
    g = grid(xs, [20.0, 40.0, 60.0])
    lines = _lines(
        word("2001", 140.0, 10.0, 20.0),
        word("2002", 240.0, 10.0, 20.0),
        word("(EURm)", 40.0, 10.0, 20.0),
    )
    over = lines_above([*_lines(word("Table 2", 0.0, 0.0)), *lines], g, xs)
    assert [ln.text for ln in over] == ["(EURm) 2001 2002"]
    assert column_names(above_parts(over, xs), 5) == ["(EURm)", "2001", "2001", "2002", "2002"]
    # a title over the table is no header: one label (or two)
    assert lines_above(_lines(word("Table 2: Results", 0.0, 10.0)), g, xs) == []


# --------------------------------------------------------------------------- body rows


def _band(lines: list[_Line]) -> _Band:
    return _Band(lines[0].top - 2, lines[-1].bottom + 2, False, lines, True)


BOUNDS = [0.0, 100.0, 200.0, 300.0]


def _row(label: str, a: str, b: str, top: float) -> list[dict[str, Any]]:
    out = [word(label, 5.0, top)]
    out += [word(t, x, top) for t, x in ((a, 150.0), (b, 250.0)) if t]
    return out


def test_a_band_ruled_every_five_rows_is_one_row_per_line_of_numbers() -> None:
    words = [w for k in range(5) for w in _row(f"State{k}", f"{k},100", f"{k}00", 10.0 * k)]
    rows = split_by_baselines([_band(_group_lines(words))], BOUNDS, lambda w: w)
    assert [r.lines[0].words[0]["text"] for r in rows] == [f"State{k}" for k in range(5)]


def test_a_wrapped_label_joins_the_row_its_lines_are_set_closer_to() -> None:
    # "District of" / "Columbia" 9 pt apart, numbers on the second line (valign bottom);
    # rows 12 pt apart
    words = [
        *_row("Delaware", "204", "2,152", 0.0),
        word("District of", 5.0, 12.0),
        *_row("Columbia", "8", "54", 21.0),
        *_row("Florida", "15,907", "50,796", 33.0),
    ]
    rows = split_by_baselines([_band(_group_lines(words))], BOUNDS, lambda w: w)
    labels = [" ".join(w["text"] for ln in r.lines for w in ln.words[:1]) for r in rows]
    assert labels == ["Delaware", "District of Columbia", "Florida"]


def test_a_wrapped_cell_of_prose_stays_one_row() -> None:
    words = [
        word("Purpose", 5.0, 0.0),
        word("A policy that", 105.0, 0.0),
        word("invests in", 105.0, 10.0),
        word("one fund.", 105.0, 20.0),
    ]
    band = _band(_group_lines(words))
    assert split_by_baselines([band], BOUNDS, lambda w: w) == [band]


def test_a_cell_with_two_numbers_and_one_label_stays_one_row() -> None:
    # one column of stacked numbers is a cell of two values, not two rows
    words = [word("Phone", 5.0, 0.0), word("555 0101", 105.0, 0.0), word("555 0102", 105.0, 10.0)]
    band = _band(_group_lines(words))
    assert split_by_baselines([band], BOUNDS, lambda w: w) == [band]


def test_two_rows_of_values_are_two_rows_unless_a_label_wraps_across_them() -> None:
    # a grid whose columns are one box over two rows of values: no edge drawn between
    xs, ys = [0.0, 100.0, 200.0, 300.0], [0.0, 40.0, 80.0]
    g = grid(xs, ys, [(c, 0, c, 1) for c in range(3)])

    def rows(label_top: float, dm_top: float) -> list[_Band]:
        first = [word("Knowledge &", 5.0, label_top), word("2400", 110.0, 24.0)]
        second = [word("DM", 5.0, dm_top), word("2400", 110.0, 50.0)]
        first.append(word("1728", 210.0, 24.0))
        second.append(word("1728", 210.0, 50.0))
        return [
            _Band(0.0, 40.0, False, _group_lines(first), True),
            _Band(40.0, 80.0, False, _group_lines(second), True),
        ]

    # the label's lines 1 pt apart, the rows' values 18: the label is one text
    edges = separating_edges(rows(30.0, 39.0), xs, lambda w: w, g)
    assert [(e["x0"], e["x1"]) for e in edges] == [(100.0, 200.0), (200.0, 300.0)]
    # set as far apart as the values are, the labels are the two rows' own cells
    edges = separating_edges(rows(24.0, 50.0), xs, lambda w: w, g)
    assert [(e["x0"], e["x1"]) for e in edges] == [(0.0, 100.0), (100.0, 200.0), (200.0, 300.0)]


# --------------------------------------------------------------------------- clean


GENERIC = load_profile("generic")
KEYS = ("name", "address", "date", "amount")


def body(page: int, cells: tuple[str, ...], first: bool = False) -> PhysicalRow:
    return PhysicalRow(1, page, (0, 0, 1, 1), cells, (False,) * 4, first_on_page=first)


PAGE_ONE = [
    body(1, (f"Donor {k}", f"{k} Hague Ave", f"9/{k + 1}/2012", "60.00"), first=k == 0)
    for k in range(9)
] + [body(1, ("Anders", "1410 Albert St", "10/3/2012", "150.00"))]


@pytest.mark.parametrize(
    ("top_of_page_two", "rows", "anders"),
    [
        # its own date and amount where Anders has them: a sparse genuine row
        (("Mancinis", "", "10/4/2012", "150.00"), 12, "10/3/2012"),
        # only the rest of a cell: the continued half of Anders' row
        (("", "Apartment 4", "", ""), 11, "10/3/2012"),
        # a date's year alone is not a whole date of this column: it continues
        (("", "", "2013", ""), 11, "10/3/2012\n2013"),
    ],
)
def test_a_top_of_page_row_continues_only_without_whole_values_of_its_own(
    top_of_page_two: tuple[str, ...], rows: int, anders: str
) -> None:
    physical = [*PAGE_ONE, body(2, top_of_page_two, first=True), body(2, PAGE_ONE[0].cells)]
    logical = stitch(physical, {1: KEYS}, GENERIC, {})
    assert len(logical) == rows
    assert logical[9].cells["name"] == "Anders"
    assert logical[9].cells["date"] == anders


def test_value_shape() -> None:
    assert value_shape("10/4/2012") == "9/9/9"
    assert value_shape(" 1,150.00 ") == "9,9.9"
    assert value_shape("15-17 May\n2017") == "9-9 a 9"


def test_a_label_opening_each_of_several_one_page_tables_is_a_row_of_each() -> None:
    """Running heads recur at the top of one table's pages; a section label that opens
    each of two tables (a rate table printed once per page) is a row of each."""

    def table(t: int, page: int) -> list[PhysicalRow]:
        rows = [PhysicalRow(t, page, (0, 0, 1, 1), ("Complete", "", ""), (False,) * 3)]
        rows += [
            PhysicalRow(t, page, (0, 0, 1, 1), (f"Rate {k}", "5.37%", "5.51%"), (False,) * 3)
            for k in range(3)
        ]
        rows[0] = PhysicalRow(
            t, page, (0, 0, 1, 1), rows[0].cells, rows[0].italic, first_on_page=True
        )
        return rows

    counts: dict[str, int] = {}
    logical = stitch([*table(1, 1), *table(2, 2)], {1: KEYS[:3], 2: KEYS[:3]}, GENERIC, counts)
    assert [r.cells["name"] for r in logical].count("Complete") == 2
    assert counts.get("furniture_rows", 0) == 0
