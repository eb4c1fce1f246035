"""The split-row / fill-down decision (clean.classify_row via stitch), case by case,
on synthetic physical rows: one case per way producers split or merge rows."""

from __future__ import annotations

import pytest

from pipeline.clean import stitch
from pipeline.model import LogicalRow, PhysicalRow
from pipeline.profiles import load_profile

KEYS = ("iscm", "date", "place", "title", "outcome")
PROFILE = load_profile("iscm-events")


def row(
    page: int,
    cells: tuple[str, ...],
    *,
    first: bool = False,
    last: bool = False,
    kind: str = "body",
    open_bottom: bool = False,
    italic: bool = False,
) -> PhysicalRow:
    return PhysicalRow(
        table=1,
        page=page,
        bbox=(0.0, 0.0, 100.0, 10.0),
        cells=cells,
        italic=(italic, False, False, False, False),
        kind=kind,  # type: ignore[arg-type]
        first_on_page=first,
        last_on_page=last,
        open_bottom=open_bottom,
    )


HEADER = ("ISCM", "Date", "Place", "Event / Title", "Outcome")


def run(rows: list[PhysicalRow]) -> tuple[list[LogicalRow], dict[str, int]]:
    counts: dict[str, int] = {}
    return stitch(rows, {1: KEYS}, PROFILE, counts), counts


def test_only_some_cells_continue_gfmd() -> None:
    rows = [
        row(1, HEADER, kind="header"),
        row(
            1,
            (
                "Global Forum on Migration and",
                "November 14, 2016",
                "New York, USA",
                "Dialogue on the Global Compact",
                "from social, economic and legal",
            ),
            first=True,
            last=True,
            open_bottom=True,
        ),
        row(2, HEADER, kind="header"),
        row(2, ("Development (GFMD)", "", "", "", "aspects to be considered"), first=True),
        row(
            2, ("Bali Process", "November 15-16, 2016", "Colombo, Sri Lanka", "SOM", "x"), last=True
        ),
    ]
    logical, counts = run(rows)
    assert len(logical) == 2
    gfmd = logical[0]
    assert gfmd.cells["iscm"] == "Global Forum on Migration and\nDevelopment (GFMD)"
    assert gfmd.cells["outcome"].endswith("legal\naspects to be considered")
    assert (gfmd.page_start, gfmd.page_end) == (1, 2)
    assert counts["header_rows"] == 2 and counts["continuation_rows"] == 1
    assert counts["repaired_rows"] == 1


def test_every_cell_continues_with_date_broken_across_pages() -> None:
    rows = [
        row(
            1,
            ("Regional Conference on", "November 30 -", "Mexico City,", "XXII", "Start"),
            first=True,
            last=True,
        ),
        row(2, ("Migration (RCM)", "December 2, 2017", "Mexico", "RCM", "end"), first=True),
    ]
    logical, _ = run(rows)
    assert len(logical) == 1
    assert logical[0].cells["date"] == "November 30 -\nDecember 2, 2017"
    assert logical[0].cells["place"] == "Mexico City,\nMexico"


def test_first_half_holds_only_the_iscm_cell() -> None:
    rows = [
        row(1, ("Bali Process", "", "", "", ""), first=True, last=True),
        row(2, ("", "March 2, 2017", "Bali, Indonesia", "Meeting", "Done."), first=True),
    ]
    logical, _ = run(rows)
    assert len(logical) == 1
    assert logical[0].cells["iscm"] == "Bali Process"
    assert logical[0].cells["date"] == "March 2, 2017"


def test_merged_iscm_cell_at_top_of_page_is_filled_down_not_merged() -> None:
    rows = [
        row(
            1,
            ("Budapest Process", "March 2, 2017", "Istanbul, Turkey", "A", "x"),
            first=True,
            last=True,
            italic=True,
        ),
        row(2, ("", "March 3, 2017", "Istanbul, Turkey", "B", "y"), first=True),
        row(2, ("", "March 4, 2017", "Istanbul, Turkey", "C", "z"), last=True),
    ]
    logical, counts = run(rows)
    assert [r.cells["title"] for r in logical] == ["A", "B", "C"]
    assert all(r.cells["iscm"] == "Budapest Process" for r in logical)
    assert logical[1].filled_down == ("iscm",) and logical[1].italic["iscm"] is True
    assert counts.get("continuation_rows", 0) == 0


def test_row_missing_date_mid_page_is_not_merged() -> None:
    rows = [
        row(1, ("Bali Process", "March 2, 2017", "Bali, Indonesia", "A", "x"), first=True),
        row(1, ("IGC", "", "Geneva, Switzerland", "B", "y"), last=True),
    ]
    logical, _ = run(rows)
    assert len(logical) == 2


def test_url_broken_across_pages_joins_the_outcome() -> None:
    rows = [
        row(
            1,
            ("IGC", "May 2-5, 2017", "Oslo, Norway", "Full Round", "Done. https://igc.ch/"),
            first=True,
            last=True,
        ),
        row(2, ("", "", "", "", "docs/2017"), first=True),
    ]
    logical, _ = run(rows)
    assert len(logical) == 1
    assert logical[0].cells["outcome"] == "Done. https://igc.ch/\ndocs/2017"


def test_complete_row_at_top_of_page_starts_a_new_event() -> None:
    rows = [
        row(
            1,
            ("IGC", "May 2-5, 2017", "Oslo, Norway", "Full Round", "Done."),
            first=True,
            last=True,
        ),
        row(2, ("ARCP", "May 8-9, 2017", "Cairo, Egypt", "Third", "x"), first=True),
    ]
    logical, _ = run(rows)
    assert len(logical) == 2


@pytest.mark.parametrize("text", ["Page 3 of 10", "3 / 10", "- 4 -", "Page 7"])
def test_page_furniture_inside_the_table_is_dropped(text: str) -> None:
    rows = [
        row(1, ("IGC", "May 2-5, 2017", "Oslo, Norway", "Full Round", "Done."), first=True),
        row(1, ("", "", text, "", ""), last=True),
    ]
    logical, counts = run(rows)
    assert len(logical) == 1 and counts["furniture_rows"] == 1


def test_accounting_adds_up() -> None:
    rows = [
        row(1, HEADER, kind="header"),
        row(1, ("A (AA)", "May 2, 2017", "Oslo, Norway", "T", "o"), first=True, last=True),
        row(2, HEADER, kind="header"),
        row(2, ("", "", "", "", "more"), first=True),
        row(2, ("", "", "Page 2 of 2", "", ""), last=True),
    ]
    logical, c = run(rows)
    total = c["header_rows"] + c["furniture_rows"] + c["continuation_rows"] + len(logical)
    assert total == c["physical_rows"] == 5


def test_running_head_repeated_inside_the_table_area_is_furniture() -> None:
    rows = [
        row(
            1,
            ("IGC", "May 2-5, 2017", "Oslo, Norway", "Full Round", "Done."),
            first=True,
            last=True,
        ),
        row(2, ("IOM - ISCM events 2018", "", "", "", ""), first=True),
        row(2, ("ARCP", "May 8-9, 2017", "Cairo, Egypt", "Third", "x"), last=True),
        row(3, ("IOM - ISCM events 2018", "", "", "", ""), first=True),
        row(3, ("RCM", "May 9-10, 2017", "Cairo, Egypt", "Fourth", "y"), last=True),
    ]
    logical, counts = run(rows)
    assert [r.cells["iscm"] for r in logical] == ["IGC", "ARCP", "RCM"]
    assert counts["furniture_rows"] == 2


def test_footer_after_the_split_row_does_not_hide_the_split() -> None:
    rows = [
        row(
            1,
            (
                "Global Forum on Migration and",
                "November 14, 2016",
                "New York, USA",
                "Dialogue",
                "from social, economic and legal",
            ),
            first=True,
        ),
        row(1, ("", "", "Page 1 of 4", "", ""), last=True),
        row(2, ("IOM - ISCM events", "", "", "", ""), first=True),
        row(2, ("Development (GFMD)", "", "", "", "aspects to be considered")),
        row(3, ("IOM - ISCM events", "", "", "", ""), first=True, last=True),
    ]
    logical, counts = run(rows)
    assert len(logical) == 1
    assert logical[0].cells["iscm"].endswith("Development (GFMD)")
    assert counts["furniture_rows"] == 3 and counts["continuation_rows"] == 1


def test_bad_last_row_of_a_page_does_not_swallow_the_next_event() -> None:
    rows = [
        row(1, ("ARCP", "Spring 2017", "Cairo, Egypt", "Meeting", "x"), first=True, last=True),
        row(2, ("IGC", "1 – 2 June, 2017", "Geneva, Switzerland", "Round", "y"), first=True),
    ]
    logical, counts = run(rows)
    assert [r.cells["iscm"] for r in logical] == ["ARCP", "IGC"]
    assert counts.get("continuation_rows", 0) == 0
