"""Real PDFs nobody here designed, through the generic profile: it must stitch their
multi-page tables, repair their page-split rows, and never crash."""

from __future__ import annotations

import csv
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

REAL = ROOT / "tests" / "fixtures" / "realworld"


@pytest.fixture(scope="module")
def generic_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("realworld")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(REAL),
            "--profile",
            "generic",
            "--out",
            str(out),
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return out, proc


def _table(out: Path, stem: str) -> list[dict[str, str]]:
    with (out / "tables" / f"{stem}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _report(out: Path) -> dict[str, Any]:
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {e["source_file"]: e for e in data["inputs"]}


def test_no_crash_and_one_line_per_failure(generic_out: tuple[Path, Any]) -> None:
    out, proc = generic_out
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    report = _report(out)
    assert len(report) == len(list(REAL.glob("*.pdf")))
    failed = {name for name, e in report.items() if e["error"]}
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == len(failed)
    for entry in report.values():
        if entry["error"] is None:
            accounted = (
                entry["header_rows_dropped"]
                + entry["furniture_rows_dropped"]
                + entry["continuation_rows_merged"]
                + entry["events_written"]
                + entry["rows_rejected"]
            )
            assert entry["physical_rows"] == accounted, entry["source_file"]


def test_ghana_table_is_stitched_over_five_pages_with_its_split_rows_repaired(
    generic_out: tuple[Path, Any],
) -> None:
    out, _ = generic_out
    assert _report(out)["ghana-transport-awards-2016.pdf"]["tables_found"] == 1
    rows = _table(out, "ghana-transport-awards-2016-1")
    assert [r["Serial No."] for r in rows] == [str(n) for n in range(1, 45)]
    split = {
        r["Serial No."]: (r["page_start"], r["page_end"])
        for r in rows
        if r["page_start"] != r["page_end"]
    }
    assert split == {"24": ("2", "3"), "41": ("4", "5")}
    assert rows[23]["Address"] == "44 Pangbourine Drive Stanmore Middlesex H47, 4QT, UK"


def test_ghana_header_and_first_row_match_tabula(generic_out: tuple[Path, Any]) -> None:
    out, _ = generic_out
    with (REAL / "ghana-transport-awards-2016.expected-p1.tabula.csv").open(
        encoding="utf-8", newline=""
    ) as f:
        tabula = [[" ".join(c.split()) for c in row] for row in csv.reader(f)]
    rows = _table(out, "ghana-transport-awards-2016-1")
    labels = list(rows[0])[5:]
    assert labels == tabula[0]
    # tabula keeps line breaks (shown as spaces here); we join "G‐" + "1/Lot 1" without
    # one, so compare the cells without whitespace
    squeeze = ["".join(c.split()) for c in tabula[1]]
    assert ["".join(rows[0][k].split()) for k in labels] == squeeze


def test_ca_warn_report_is_one_table_over_its_pages_without_repeated_header(
    generic_out: tuple[Path, Any],
) -> None:
    out, _ = generic_out
    expected = json.loads(
        (REAL / "ca-warn-report.expected-p1-rows0-1.pdfplumber-test.json").read_text()
    )["rows"]
    rows = _table(out, "ca-warn-report-1")
    labels = list(rows[0])[5:]
    assert [lbl.replace(" ", "") for lbl in labels[:3]] == expected[0][:3]
    assert labels[3:] == expected[0][3:]
    first = [rows[0][k] for k in labels]
    assert [c.replace(" ", "") for c in first[:3]] == expected[1][:3]
    assert first[3:] == expected[1][3:]
    pages = {int(r["page_start"]) for r in rows}
    assert pages == set(range(1, max(pages) + 1)) and max(pages) >= 14
    assert [int(r["row_index"]) for r in rows] == list(range(1, len(rows) + 1))


def test_schools_header_repeated_on_every_page_is_dropped(
    generic_out: tuple[Path, Any],
) -> None:
    out, _ = generic_out
    entry = _report(out)["schools.pdf"]
    assert entry["tables_found"] == 1 and entry["header_rows_dropped"] == 5
    rows = _table(out, "schools-1")
    assert {r["page_start"] for r in rows} == {"1", "2", "3", "4", "5"}
    assert not any(list(r.values())[5:] == list(rows[0])[5:] for r in rows)


def test_spanning_cell_text_stays_in_one_cell(generic_out: tuple[Path, Any]) -> None:
    out, _ = generic_out
    rows = _table(out, "spanning_cells-1")
    assert list(rows[0])[5] == "Improved operation scenario"
    assert list(rows[0].values())[5:] == [
        "Volume servers in:",
        "2007",
        "2008",
        "2009",
        "2010",
        "2011",
    ]


def test_schools_sparse_row_after_a_page_break_is_its_own_row(
    generic_out: tuple[Path, Any],
) -> None:
    """Page 4 opens with "Mancinis", its own date and amount and nothing else: a new
    row, not the rest of page 3's last row (which would read "10/3/2012 10/4/2012")."""
    out, _ = generic_out
    rows = _table(out, "schools-1")
    assert len(rows) == 221
    anders, mancinis = next(
        (a, b) for a, b in itertools.pairwise(rows) if b["Last Name"] == "Mancinis"
    )
    assert (anders["Last Name"], anders["Date"], anders["Amount"]) == (
        "Anders",
        "10/3/2012",
        "150.00",
    )
    assert (anders["page_start"], anders["page_end"]) == ("3", "3")
    assert [mancinis[k] for k in list(mancinis)[3:]] == [
        "4",
        "4",
        "Mancinis",
        *[""] * 7,
        "10/4/2012",
        "150.00",
    ]


NICS = "nics-background-checks-2015-11"


def test_nics_one_state_per_row_under_rules_every_five_rows(
    generic_out: tuple[Path, Any],
) -> None:
    """A rule only every five rows: each printed line is a row (55 states and
    territories, then Totals), the columns named by their group headers, and the data
    checks itself: each column's states add up to its Totals."""
    out, _ = generic_out
    rows = _table(out, f"{NICS}-1")
    labels = list(rows[0])[5:]
    assert len(labels) == 25
    assert labels[:3] == ["State / Territory", "Permit", "Handgun"]
    assert labels[7] == "Pre-Pawn Handgun" and labels[-1] == "Totals"
    assert "Return to Seller - Private Sale Long Gun" in labels
    states = [r["State / Territory"] for r in rows]
    assert len(states) == 56 and len(set(states)) == 56
    assert states[:3] == ["Alabama", "Alaska", "Arizona"] and states[-1] == "Totals"
    assert rows[-2]["Totals"] == "5,017" and rows[0]["Totals"] == "71,137"

    def count(text: str) -> int:
        return int(text.replace(",", "").replace(" ", "") or 0)

    for label in labels[1:]:
        assert sum(count(r[label]) for r in rows[:-1]) == count(rows[-1][label]), label


def test_nics_title_and_notes_inside_the_frame_are_not_rows(
    generic_out: tuple[Path, Any],
) -> None:
    out, _ = generic_out
    entry = _report(out)[f"{NICS}.pdf"]
    assert entry["tables_found"] == 1
    assert entry["furniture_rows_dropped"] == 1  # the NOTES / DISCLAIMERS cell
    with (out / "documents.csv").open(encoding="utf-8", newline="") as f:
        titles = {d["source_file"]: d["title"] for d in csv.DictReader(f)}
    assert titles[f"{NICS}.pdf"] == "NICS Firearm Background Checks November - 2015"
def _cells(row: dict[str, str]) -> list[str]:
    return list(row.values())[5:]


def test_senate_expenditures_records_are_rows_in_their_printed_columns(
    generic_out: tuple[Path, Any],
) -> None:
    """A ruled header over a frame with no rules inside: each record is a row of its
    own (not 22 records in one cell), each value in the column printed over it."""
    out, _ = generic_out
    rows = _table(out, "senate-expenditures-1")
    labels = list(rows[0])[5:]
    assert len(labels) == 7
    assert [labels[k] for k in (0, 2, 5, 6)] == [
        "DOCUMENT NO.",
        "PAYEE NAME",
        "DESCRIPTION",
        "AMOUNT ($)",
    ]
    records = [_cells(r) for r in rows if _cells(r)[0].startswith("DHAW")]
    assert len(records) == 22
    assert records[0] == [
        "DHAW20190001",
        "05/03/2019",
        "CITIBANK - TRAVEL CBA CARD",
        "03/04/2019",
        "03/06/2019",
        # the description's two printed lines are one cell: its second line is set as
        # tight under the first as a cell's wrapped lines are, rows further apart
        "STAFF TRANSPORTATION AIRFARE FOR E JOHNSON KANSAS CITY TO WASHINGTON DC AND RETURN",
        "920.68",
    ]
    # pdfplumber's own test asserts this last record's first five cells
    assert records[-1][:5] == [
        "DHAW20190070",
        "09/09/2019",
        "CITIBANK - TRAVEL CBA CARD",
        "08/12/2019",
        "08/14/2019",
    ]
    staff = [c for c in map(_cells, rows) if c[2] and not c[0]]
    assert len(staff) == 10
    assert staff[0] == ["", "", "BAIN, J MATTHEW", "", "", "DISTRICT DIRECTOR", "37,499.96"]
    # a description running past its column's edge stays in its cell
    assert all(c[6] == "" or c[6][-3] == "." for c in map(_cells, rows) if c[0] or c[2])
    lines = [c for c in map(_cells, rows) if not any(c[:5]) and c[5]]
    assert lines == [], "a description's second line is no row of its own"


def test_birdisland_reads_its_printed_columns_each_glyph_once(
    generic_out: tuple[Path, Any],
) -> None:
    """Cell fills (zebra rows, a shaded column) are not the columns; the text's
    alignment is. Every glyph is painted twice (fake bold) and read once."""
    out, _ = generic_out
    assert _report(out)["birdisland.pdf"]["tables_found"] == 2
    rows = _table(out, "birdisland-1")
    assert list(rows[0])[5:] == [
        "Company/Brand",
        "Product/Brand†",
        "Technol.†",
        "Mat.",
        "SCN Resist.",
        "Seed Trmt.†",
        "Yield Bu/A",
        "Moisture %",
        "Lodging %",
        "Stand (x 1000)",
        "Gross Income",
    ]
    entries = [_cells(r) for r in rows if r["Product/Brand†"]]
    assert len(entries) == 30
    assert entries[0] == [
        "Kruger",
        "K2-1901",
        "RR2Y",
        "1.9",
        "R",
        "Ac,PV",
        "56.4",
        "7.6",
        "0",
        "126.3",
        "$846",
    ]
    assert entries[-1] == [
        "Gold Country",
        "1541",
        "RR2Y",
        "1.5",
        "R",
        "Ac",
        "48.4",
        "7.6",
        "0",
        "110.4",
        "$726",
    ]
    assert [r["Yield Bu/A"] for r in rows if r["Seed Trmt.†"] == "Test Average ="] == ["47.6"]
    legend = _table(out, "birdisland-2")
    assert _cells(legend[0]) == ["3111", "Agrisure® Viptera™ 3111", "A", "Allegiance®"]
