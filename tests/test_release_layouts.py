"""Release layouts of issue 10: a LibreOffice Calc export, a cell running over three
pages whose paragraphs are separated by blank lines, and a bare page number printed right
under a split row. The golden tests compare every field; these name the behaviour each
fixture is for."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from pipeline.layout.engine import page_lines
from tests.conftest import FIXTURES

PDFS = FIXTURES / "pdfs"


def _rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("rules", ["grid", "norules"])
def test_a_cell_over_three_pages_is_one_event(run_fixture: Any, rules: str) -> None:
    out = run_fixture(PDFS / f"rt2-three-page-cell-{rules}.pdf")
    events = _rows(out, "events.csv")
    assert _rows(out, "rejects.csv") == []
    assert [(e["page_start"], e["page_end"]) for e in events] == [
        ("1", "1"),
        ("1", "3"),
        ("3", "3"),
        ("3", "3"),
    ]
    long = events[1]["outcome"]
    # its six paragraphs, in order, each once: "(1) …" starts every paragraph
    assert long.count("(1) The meeting reviewed") == 6


@pytest.mark.parametrize("rules", ["grid", "hrules", "norules"])
def test_a_bare_page_number_is_not_part_of_the_split_row(run_fixture: Any, rules: str) -> None:
    out = run_fixture(PDFS / f"rt2-page-number-footer-{rules}.pdf")
    events = _rows(out, "events.csv")
    assert len(events) == 16 and _rows(out, "rejects.csv") == []
    split = [e for e in events if e["page_end"] != e["page_start"]]
    assert len(split) == 1 and " 1 " not in split[0]["outcome"]
    assert all(not u.endswith(("org1", "org2")) for e in events for u in e["urls"].split("|"))


def _word(text: str, top: float, x0: float = 100.0) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + 5 * len(text), "top": top, "bottom": top + 9}


def test_page_lines_drop_the_page_number_alone_at_the_top_or_bottom() -> None:
    words = [_word("2", 10), _word("Geneva,", 50), _word("2", 50, 200), _word("2", 800, 500)]
    assert [ln.text for ln in page_lines(words, 2)] == ["Geneva, 2"]


def test_page_lines_keep_a_number_that_is_not_this_page() -> None:
    words = [_word("Geneva,", 50), _word("2017", 62)]
    assert [ln.text for ln in page_lines(words, 2)] == ["Geneva,", "2017"]
    assert [ln.text for ln in page_lines([_word("Geneva,", 50), _word("3", 62)], 2)] == [
        "Geneva,",
        "3",
    ]


def test_a_calc_export_reads_whole_although_its_cells_touch_across_the_rules(
    run_fixture: Any,
) -> None:
    pdf = PDFS / "lo-calc-export.pdf"
    import pdfplumber

    with pdfplumber.open(pdf) as doc:  # the fixture has the property it is for
        assert "2016Cairo," in [w["text"] for w in doc.pages[0].extract_words()]
    out = run_fixture(pdf)
    events = _rows(out, "events.csv")
    assert len(events) == 20 and _rows(out, "rejects.csv") == []
    assert (events[0]["date_text"], events[0]["place"]) == ("August 2-3, 2016", "Cairo, Egypt")
