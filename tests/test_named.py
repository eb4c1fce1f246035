"""A table found by a header naming the profile's columns (``pipeline.layout.named``): its
columns between the header cells, on synthetic words. A spreadsheet's borderless print
(LibreOffice Calc, fixture ``lo-calc-export-noborders``) sets a right-aligned date 2 pt
from the next column's text, closer than a word space."""

from __future__ import annotations

from typing import Any

from pipeline.layout.engine import _Header, _HeaderCell, _Line
from pipeline.layout.named import _columns, _heading_at_top

SIZE = 9.0
ADVANCE = 0.5 * SIZE
SPACE = 0.3 * SIZE  # a word space: under 0.45 type sizes


def _cell(x0: float, text: str, top: float) -> list[dict[str, Any]]:
    out = []
    for piece in text.split():
        out.append(
            {"text": piece, "x0": x0, "x1": x0 + len(piece) * ADVANCE, "top": top,
             "bottom": top + SIZE, "fontname": "Helvetica"}
        )  # fmt: skip
        x0 = out[-1]["x1"] + SPACE
    return out


def _right(x1: float, text: str, top: float) -> list[dict[str, Any]]:
    width = sum(len(p) * ADVANCE for p in text.split()) + SPACE * (len(text.split()) - 1)
    return _cell(x1 - width, text, top)


def _line(top: float, *cells: list[dict[str, Any]]) -> _Line:
    return _Line([w for c in cells for w in c], top, top + SIZE)


DATE_END = 200.0  # the dates' right edge
PLACE = 202.0  # the places' left edge: 2 pt further, under a word space
HEADER = _Header(
    [
        _HeaderCell("event", "Event", 20.0, 45.0),
        _HeaderCell("date", "Date", 130.0, 150.0),
        _HeaderCell("place", "Place", PLACE, PLACE + 25.0),
    ],
    0.0,
    SIZE,
)
ROWS = [
    ("Budapest Process", "March 2, 2017", "Istanbul, Turkey"),
    ("Regional Conference", "March 29, 2017", "Washington, DC"),
    ("Bali Process", "April 6, 2017", "Geneva, Switzerland"),
    ("Abu Dhabi Dialogue", "May 15-17, 2017", "Kampala, Uganda"),
    ("IGC", "May 2-5, 2017", "Svalbard, Norway"),
]


def _table() -> list[_Line]:
    lines = []
    for k, (event, date, place) in enumerate(ROWS):
        top = 20.0 + 12 * k
        lines.append(_line(top, _cell(20.0, event, top), _right(DATE_END, date, top),
                           _cell(PLACE, place, top)))  # fmt: skip
    return lines


def test_a_right_aligned_date_a_word_space_from_the_next_column_ends_at_its_year() -> None:
    """"2," and "29," end at one x before the right-aligned year, leaving a white run as
    wide as the one before the places: the boundary is the one no word space crosses."""
    columns = _columns(HEADER, _table(), [])
    assert DATE_END <= columns.bounds[2] <= PLACE


def test_cells_meeting_at_the_columns_aligned_edges_are_no_prose() -> None:
    lines = _table()
    columns = _columns(HEADER, lines, [])
    assert not any(columns.crosses(ln) for ln in lines)


def test_a_line_running_across_the_columns_is_still_prose() -> None:
    lines = _table()
    columns = _columns(HEADER, lines, [])
    prose = _line(100.0, _cell(20.0, "Source: compiled by the secretariat from the reports", 100.0))
    assert columns.crosses(prose)


def _text_line(top: float, text: str, font: str = "Helvetica", size: float = SIZE) -> _Line:
    words = [{**w, "fontname": font, "bottom": top + size} for w in _cell(20.0, text, top)]
    return _Line(words, top, top + size)


INTRO = "This table lists the meetings at which the Compact was addressed."


def test_a_covers_bold_heading_is_its_title_and_the_plain_intro_is_not() -> None:
    """A cover: a bold title over two blocks, then a short plain paragraph. Under the
    400-character cap all three fit, and the paragraph was read as part of the title."""
    cover = [
        _text_line(50.0, "International Organization for Migration", "Arial-BoldMT"),
        _text_line(72.0, "ISCM events of the Global Compact", "Arial-BoldMT"),
        _text_line(94.0, INTRO),
        _text_line(106.0, "It is not exhaustive."),
    ]
    assert _heading_at_top(cover) == (
        "International Organization for Migration ISCM events of the Global Compact"
    )


def test_a_heading_set_larger_ends_where_the_text_size_begins() -> None:
    cover = [
        _text_line(40.0, "Displacement report", size=16.0),
        _text_line(80.0, INTRO),
        _text_line(92.0, "Figures as reported."),
        _text_line(104.0, "Another line."),
    ]
    assert _heading_at_top(cover) == "Displacement report"


def test_a_plain_cover_keeps_its_short_blocks_from_the_top() -> None:
    """Nothing stands out: the blocks from the top are taken while they stay short."""
    cover = [_text_line(50.0, "ISCM events 2019"), _text_line(72.0, INTRO)]
    assert _heading_at_top(cover) == f"ISCM events 2019 {INTRO}"
