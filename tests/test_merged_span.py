"""A fill-down column's merged cell in a table without rules (``engine._spanned_rows``),
on hand-built lines: three rows of three columns, the first a fill-down column. Its text,
centred over rows it spans, sits across their boundaries and bridges the gaps that cut
one row from the next (fixture ``rt-merged-iscm-middle-norules``)."""

from __future__ import annotations

from typing import Any

from pipeline.layout.engine import _Line, _segment, _spanned_rows

SIZE = 9.0
LEADING = 10.8
BOUNDS = (0.0, 100.0, 200.0, 400.0)  # name (fill-down) | date | title
SPANNING = (0,)
ROW_TOPS = (100.0, 138.4, 176.8)  # three rows of three title lines, 7.8 pt apart
TITLE_LINES = 3


def _word(text: str, x0: float, top: float) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + 5.0 * len(text), "top": top, "bottom": top + SIZE}


def _lines(words: list[dict[str, Any]]) -> list[_Line]:
    tops = sorted({w["top"] for w in words})
    return [
        _Line([w for w in words if w["top"] == t], t, t + SIZE)
        for t in tops  # (the hand-built words of one line share their top)
    ]


def _table(name_tops: list[float], centred: bool) -> list[_Line]:
    """Three rows: a three-line title, a one-line date set at the row's middle (centred)
    or top, and a name line in the first column at each of ``name_tops``."""
    words = []
    for r, top in enumerate(ROW_TOPS):
        words += [_word(f"title{r}", 210.0, top + k * LEADING) for k in range(TITLE_LINES)]
        words.append(_word(f"date{r}", 110.0, top + LEADING if centred else top))
    words += [_word(f"name{k}", 10.0, t) for k, t in enumerate(name_tops)]
    return _lines(words)


def _names(row: list[_Line]) -> list[str]:
    return [w["text"] for ln in row for w in ln.words if w["text"].startswith("name")]


def _centred_block(lines: int, first: int, last: int) -> list[float]:
    """The tops of a block of ``lines`` lines centred over rows first..last."""
    row_bottom = (TITLE_LINES - 1) * LEADING + SIZE
    middle = (ROW_TOPS[first] + ROW_TOPS[last] + row_bottom) / 2
    top = middle - ((lines - 1) * LEADING + SIZE) / 2
    return [top + k * LEADING for k in range(lines)]


def test_a_block_centred_over_three_rows_goes_whole_to_the_first() -> None:
    # four lines centred over the three rows reach into the gaps above and below the
    # middle row: cut with them, the three rows were one
    lines = _table(_centred_block(4, 0, 2), centred=True)
    assert len(_segment(lines, None)) == 1
    rows = _spanned_rows(lines, None, BOUNDS, SPANNING)
    assert len(rows) == 3
    assert [_names(given) for _, given in rows] == [["name0", "name1", "name2", "name3"], [], []]
    assert [
        [w["text"] for ln in own for w in ln.words if "date" in w["text"]] for own, _ in rows
    ] == [
        ["date0"],
        ["date1"],
        ["date2"],
    ]


def test_a_one_line_name_centred_over_three_rows_goes_to_the_first() -> None:
    # centred over rows 0-2 it is level with the middle of row 1, as centred in row 1
    # alone: rows 0 and 2 have no name of their own, and the merged cell wins
    rows = _spanned_rows(_table(_centred_block(1, 0, 2), True), None, BOUNDS, SPANNING)
    assert [_names(given) for _, given in rows] == [["name0"], [], []]


def test_a_block_set_at_the_top_of_its_span_stays_in_its_first_row() -> None:
    # a four-line name at the top of row 0 runs into row 1 (the date is at each row's
    # top: the cells are set at the top)
    tops = [ROW_TOPS[0] + k * LEADING for k in range(4)]
    rows = _spanned_rows(_table(tops, centred=False), None, BOUNDS, SPANNING)
    assert len(rows) == 3
    assert [_names(given) for _, given in rows] == [["name0", "name1", "name2", "name3"], [], []]


def test_a_name_at_the_top_of_a_middle_row_is_that_rows() -> None:
    # cells set at the top: an empty cell above is the row above's fill-down, not a span
    rows = _spanned_rows(_table([ROW_TOPS[1]], centred=False), None, BOUNDS, SPANNING)
    assert [_names(given) for _, given in rows] == [[], ["name0"], []]


def test_blocks_that_do_not_straddle_stay_in_their_rows() -> None:
    # one name per row, each centred in its own row: no span to choose
    tops = [_centred_block(1, r, r)[0] for r in range(3)]
    rows = _spanned_rows(_table(tops, centred=True), None, BOUNDS, SPANNING)
    assert [_names(given) for _, given in rows] == [["name0"], ["name1"], ["name2"]]
    # ... and two names, in rows 0 and 2, centred in them: row 1 is nobody's span
    tops = [_centred_block(1, 0, 0)[0], _centred_block(1, 2, 2)[0]]
    rows = _spanned_rows(_table(tops, centred=True), None, BOUNDS, SPANNING)
    assert [_names(given) for _, given in rows] == [["name0"], [], ["name1"]]
