"""The unruled-table reading (``pipeline.layout.stream``) and the word building it relies
on, on synthetic words: each test states one rule of how a reader sees a table without
rules, and would fail if the rule were broken."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.layout.engine import _Band, _Line
from pipeline.layout.headers import join_header_rows
from pipeline.layout.ruled import split_by_baselines
from pipeline.layout.stream import (
    aligned_separators,
    blocks,
    body_start,
    column_bounds,
    columns_drawn,
    find_stream_tables,
    gutter,
    header_cells,
    is_numeric,
    row_groups,
    separators,
)
from pipeline.words import upright_frame, without_overprint

SIZE = 8.0
ADVANCE = 0.5 * SIZE  # a glyph's width
SPACE = 0.3 * SIZE  # a word space


def _word(x0: float, text: str, top: float, size: float = SIZE) -> dict[str, Any]:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + len(text) * 0.5 * size,
        "top": top,
        "bottom": top + size,
        "fontname": "Helvetica",
    }


def _cell(x0: float, text: str, top: float, size: float = SIZE) -> list[dict[str, Any]]:
    """A cell's words, a word space apart, from x0."""
    out = []
    for piece in text.split():
        out.append(_word(x0, piece, top, size))
        x0 = out[-1]["x1"] + 0.3 * size
    return out


def _right(x1: float, text: str, top: float) -> list[dict[str, Any]]:
    """A right-aligned cell ending at x1."""
    width = sum(len(p) * ADVANCE for p in text.split()) + SPACE * (len(text.split()) - 1)
    return _cell(x1 - width, text, top)


def _line(top: float, *cells: list[dict[str, Any]]) -> _Line:
    words = [w for c in cells for w in c]
    return _Line(words, top, top + SIZE)


def _rows(
    specs: list[tuple[str, str, str]], top: float = 100.0, pitch: float = 12.0
) -> list[_Line]:
    """Lines of a three-column table: a label at 50, figures ending at 200 and 300."""
    return [
        _line(
            top + pitch * k,
            _cell(50, a, top + pitch * k),
            _right(200, b, top + pitch * k),
            _right(300, c, top + pitch * k),
        )
        for k, (a, b, c) in enumerate(specs)
    ]


BODY = [
    ("North", "1,200", "3.5"),
    ("East Coast", "980", "12.0"),
    ("South", "15,020", "0.4"),
    ("West Hills", "7", "99.9"),
    ("Centre", "640", "1.1"),
]


# --------------------------------------------------------------------------- columns


def test_columns_are_where_rows_leave_a_cell_gap_and_no_word_lies() -> None:
    bounds = column_bounds(_rows(BODY))
    assert len(bounds) == 4
    label_end = max(ln.words[0]["x1"] for ln in _rows(BODY) if len(ln.words) == 3)
    assert label_end < bounds[1] < 200 - 6 * ADVANCE
    assert 200 < bounds[2] < 300 - 4 * ADVANCE


def test_a_word_space_over_the_river_keeps_a_header_cell_whole() -> None:
    """ "Long 1" over two narrow columns' river: the body leaves a gap there, but the
    header's word space says it is one cell's text."""
    header = _line(80, _cell(100, "Long 1", 80), _cell(200, "Other", 80))
    body = [
        _line(100 + 12 * k, _cell(100, f"C{k}", 100 + 12 * k), _cell(200, f"D{k}", 100 + 12 * k))
        for k in range(4)
    ]
    cuts = separators([header, *body], 90, 260)
    long_1 = header.words[:2]
    assert not any(long_1[0]["x1"] <= x <= long_1[1]["x0"] for x in cuts)
    assert len(cuts) == 1


def test_the_same_two_words_on_every_row_are_one_cell() -> None:
    """ "OKLAHOMA CITY" repeated: its word space is aligned on every row, yet no row
    shows a cell gap there, so it is no boundary."""
    lines = [
        _line(
            100 + 12 * k,
            _cell(50, "ACME LTD", 100 + 12 * k),
            _cell(150, "OKLAHOMA CITY", 100 + 12 * k),
        )
        for k in range(6)
    ]
    assert len(column_bounds(lines)) == 3


def test_a_right_aligned_number_a_word_space_from_its_code_is_two_columns() -> None:
    """ "648765 AAA": figures of varying width ending at one x, codes starting at one x a
    word space later: only alignment shows the boundary (m27)."""
    numbers = ["648765", "82030", "509462", "7914", "600941"]
    lines = [
        _line(
            100 + 12 * k,
            _right(90, n, 100 + 12 * k),
            _cell(90 + SPACE, "AAA", 100 + 12 * k),
            _cell(160, "OKLAHOMA", 100 + 12 * k),
        )
        for k, n in enumerate(numbers)
    ]
    voted = separators(lines, 40, 220)
    extra = aligned_separators(lines, voted)
    assert len(extra) == 1 and 90 <= extra[0] <= 90 + SPACE


# --------------------------------------------------------------------------- header


def test_header_rows_join_into_one_name_per_column() -> None:
    rows = [
        ("", "Current spending", "Current spending", "Total"),
        ("Region", "Staff", "Medical &", ""),
        ("", "costs", "other supplies", ""),
    ]
    assert join_header_rows(rows) == (
        "Region",
        "Current spending Staff costs",
        "Current spending Medical & other supplies",
        "Total",
    )


def test_a_group_header_goes_to_every_column_whose_text_it_lies_over() -> None:
    bounds = [40.0, 120.0, 220.0, 320.0]
    extents = [(50.0, 100.0), (170.0, 200.0), (240.0, 300.0)]
    group = _line(80, _cell(180, "Percent fuel savings", 80))
    assert header_cells(group, bounds, extents) == (
        "",
        "Percent fuel savings",
        "Percent fuel savings",
    )
    # the lowest header line holds the columns' own names, however close they are set
    names = _line(90, _cell(170, "method", 90), _cell(203, "sterilization", 90))
    assert header_cells(names, [40.0, 120.0, 202.0, 320.0], extents, lowest=True) == (
        "",
        "method",
        "sterilization",
    )


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("1,850.00", True),
        ("(0.21)", True),
        ("-4.3", True),
        ("12%", True),
        ("$ 71.15", True),
        ("09/09/2019", True),
        ("-", True),
        ("2=", False),
        ("K2-1901", False),
        ("(3 to 6)+14", False),
        ("Total", False),
    ],
)
def test_figures_and_dashes_are_numeric_words_are_not(text: str, figure: bool) -> None:
    assert is_numeric(text) is figure


def test_the_body_starts_at_the_first_row_of_figures_not_at_column_numbers() -> None:
    head = [
        _line(60, _cell(50, "Region", 60), _right(200, "Staff", 60), _right(300, "Total", 60)),
        _line(72, _cell(50, "1", 72), _right(200, "2", 72), _right(300, "3", 72)),
    ]
    lines = [*head, *_rows(BODY)]
    start, numeric = body_start(lines, column_bounds(lines))
    assert start == 2 and numeric == {1, 2}


def test_a_table_is_found_with_its_header_under_a_title_in_larger_type() -> None:
    title = _Line(_cell(50, "Table 4: Outlay by region", 40, 12.0), 40, 52)
    head = _line(70, _cell(50, "Region", 70), _right(200, "Staff", 70), _right(300, "Share", 70))
    tables = find_stream_tables([title, head, *_rows(BODY, top=84)])
    assert len(tables) == 1
    assert tables[0].names == ("Region", "Staff", "Share")
    assert [ln.words[0]["text"] for ln in tables[0].lines] == [
        "North",
        "East",
        "South",
        "West",
        "Centre",
    ]
    assert tables[0].above == [title]


def test_two_lines_of_cells_are_not_a_table() -> None:
    """A numbered heading over its subheading ("2.2 Crankshaft", "2.2.1 Check")."""
    lines = [
        _line(100, _cell(50, "2.2", 100), _cell(90, "Crankshaft", 100)),
        _line(114, _cell(50, "2.2.1", 114), _cell(90, "Check of the scantling", 114)),
    ]
    assert find_stream_tables(lines) == []


def test_a_bulleted_list_is_not_a_table() -> None:
    lines = [
        _line(
            100 + 12 * k,
            _cell(50, "(cid:129)", 100 + 12 * k),
            _cell(70, f"item number {k}", 100 + 12 * k),
        )
        for k in range(5)
    ]
    assert find_stream_tables(lines) == []


# --------------------------------------------------------------------------- pages


def _prose_line(top: float, x0: float) -> list[dict[str, Any]]:
    return _cell(x0, "the amounts below are net wages after the allowances", top, 7.0)


def test_two_columns_of_prose_have_a_gutter_a_table_has_none() -> None:
    page = [
        _line(100 + 10 * k, _prose_line(100 + 10 * k, 50), _prose_line(100 + 10 * k, 300))
        for k in range(8)
    ]
    cut = gutter(page)
    assert cut is not None and 50 + 180 < cut[0] < 300
    assert [len(b) for b in blocks(page)] == [8, 8]
    assert gutter(_rows(BODY * 3)) is None


# --------------------------------------------------------------------------- ruled bands


def test_a_band_whose_figures_repeat_in_a_column_holds_several_rows() -> None:
    bounds = [40.0, 120.0, 220.0, 320.0]
    rows = _rows(BODY[:3])
    band = _Band(95.0, 140.0, False, rows, ruled=True)
    pieces = split_by_baselines([band], bounds, lambda w: w)
    assert [len(b.lines) for b in pieces] == [1, 1, 1]
    assert not any(b.ruled for b in pieces)
    assert pieces[0].top == 95.0 and pieces[-1].bottom == 140.0


def test_a_wrapped_cell_is_one_row() -> None:
    bounds = [40.0, 120.0, 220.0, 320.0]
    wrapped = [
        _line(
            100, _cell(50, "Northern", 100), _right(200, "1,200", 100), _right(300, "2017-", 100)
        ),
        _line(112, _cell(50, "Coast", 112), _right(300, "2018", 112)),
    ]
    band = _Band(95.0, 125.0, False, wrapped, ruled=True)
    assert len(split_by_baselines([band], bounds, lambda w: w)) == 1


def test_fills_are_not_drawn_columns() -> None:
    rules = [
        {"x0": 120.0, "top": 90.0, "bottom": 110.0},
        {"x0": 220.0, "top": 90.0, "bottom": 110.0},
    ]
    assert columns_drawn([40.0, 120.0, 220.0, 320.0], 90.0, 300.0, rules)
    assert not columns_drawn([40.0, 120.0, 220.0, 320.0], 90.0, 300.0, [])


# --------------------------------------------------------------------------- glyphs


def _glyph(text: str, x0: float, top: float = 100.0, width: float = 4.0) -> dict[str, Any]:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + 8,
        "size": 8.0,
        "fontname": "F",
    }


def test_overprinted_glyphs_are_read_once_in_reading_order() -> None:
    """A first pass without the hyphen, then the whole word: "K2-1901" once."""
    word = "K2-1901"
    full = [_glyph(c, 10 + 4 * i) for i, c in enumerate(word)]
    partial = [g for g in full if g["text"] != "-"]
    kept = without_overprint([*partial, *full])
    assert "".join(g["text"] for g in kept) == word


def test_a_doubled_narrow_letter_is_not_an_overprint() -> None:
    glyphs = [_glyph("i", 10, width=1.6), _glyph("i", 11.6, width=1.6)]
    assert len(without_overprint(glyphs)) == 2
    assert without_overprint(glyphs) == glyphs  # nothing dropped: stream order kept


def test_turned_text_without_a_matrix_is_turned_by_where_its_glyphs_climb() -> None:
    """PDFium gives no char matrix: glyphs set bottom to top climb the page."""
    up = [
        {
            "text": c,
            "x0": 50.0,
            "x1": 58.0,
            "top": 300.0 - 5 * i,
            "bottom": 305.0 - 5 * i,
            "upright": False,
        }
        for i, c in enumerate("Total")
    ]
    turn = upright_frame(up, 600.0, 800.0)
    assert turn is not None
    assert turn(50.0, 280.0, 58.0, 305.0) == (800.0 - 305.0, 50.0, 800.0 - 280.0, 58.0)


def test_a_ligature_read_as_its_letters_is_not_an_overprint() -> None:
    """PDFium gives the "ff" of "effective" as two f's with the glyph's one box: on a
    page without overprint, both stay."""
    text = "the effective framework of the compact"
    glyphs = [_glyph(c, 10 + 4 * i) for i, c in enumerate(text)]
    ff = text.index("ff")
    glyphs[ff + 1] = {**glyphs[ff + 1], "x0": glyphs[ff]["x0"], "x1": glyphs[ff]["x1"]}
    assert without_overprint(glyphs) == glyphs


def _wrapped(top: float, cells: list[list[str]], lead: float = 10.0) -> tuple[list[_Line], float]:
    """One row of wrapped cells at x 50, 150, 250: its lines, and the next row's top."""
    depth = max(len(c) for c in cells)
    lines = []
    for k in range(depth):
        y = top + lead * k
        parts = [_cell(50 + 100 * i, c[k], y) for i, c in enumerate(cells) if k < len(c)]
        lines.append(_line(y, *parts))
    return lines, top + lead * depth + 10


def test_rows_of_wrapped_cells_are_told_apart_by_the_wider_gaps() -> None:
    lines: list[_Line] = []
    top = 100.0
    for name in ("North", "South", "East"):
        row, top = _wrapped(
            top, [[name, "Coast"], ["first line", "second line", "third"], ["2026"]]
        )
        lines += row
    bounds = [40.0, 140.0, 240.0, 340.0]
    groups = row_groups(lines, bounds, {2})
    assert [len(g) for g in groups] == [3, 3, 3]


def test_blank_lines_between_blocks_of_one_line_rows_do_not_make_rows() -> None:
    """Figures repeat in a column inside a block: every line is a row."""
    lines = _rows(BODY[:3]) + _rows(BODY[3:], top=160.0)
    groups = row_groups(lines, column_bounds(lines), {1, 2})
    assert [len(g) for g in groups] == [1] * 5


def test_a_date_wrapped_over_lines_is_one_row_not_two_figures() -> None:
    """ "November" / "15-16," / "2016": a figure a wrap cut ends with its comma."""
    lines: list[_Line] = []
    top = 100.0
    for name in ("Bali Process", "Rabat Process"):
        row, top = _wrapped(top, [[name], ["November", "15-16,", "2016"], ["agreed", "to meet"]])
        lines += row
    groups = row_groups(lines, [40.0, 140.0, 240.0, 340.0], {1})
    assert [len(g) for g in groups] == [3, 3]


def test_a_column_that_starts_again_starts_a_row() -> None:
    """Rows set as close as a cell's lines (a spreadsheet's), between blank lines: the
    first column's text starting again starts the next row."""
    lines: list[_Line] = []
    top = 100.0
    for _block in range(2):
        for name in ("North", "South"):
            row, top = _wrapped(top, [[name], ["first", "second"], ["x"]], lead=10.0)
            lines += row
            top -= 10  # rows of a block only a line apart
        top += 30
    groups = row_groups(lines, [40.0, 140.0, 240.0, 340.0], set())
    assert [[ln.words[0]["text"] for ln in g] for g in groups] == [
        ["North", "second"],
        ["South", "second"],
    ] * 2
