"""`iom-pipeline inspect`: page images with the table, its rows and each row's fate."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from pipeline.inspect import Inspection, header_candidates, inspect_pdf, parse_pages, row_marks
from pipeline.model import Document, Extraction, PhysicalRow, TableLayout
from pipeline.profiles import load_profile
from tests.conftest import FIXTURES, RAW_PDF, ROOT

PROFILE = load_profile("iscm-events")
RESOLUTION = 60
EXPECTED_EVENTS = FIXTURES / "expected" / "iom-iscm-events-2016-2017" / "events.csv"


@pytest.fixture(scope="module")
def inspected(tmp_path_factory: pytest.TempPathFactory) -> Inspection:
    out = tmp_path_factory.mktemp("inspect")
    return inspect_pdf(RAW_PDF, out, PROFILE, resolution=RESOLUTION)


def _split_events() -> list[dict[str, str]]:
    with EXPECTED_EVENTS.open(encoding="utf-8", newline="") as f:
        return [e for e in csv.DictReader(f) if e["page_end"] != e["page_start"]]


def test_one_png_per_page_each_a_valid_image_of_the_page_size(inspected: Inspection) -> None:
    with pdfplumber.open(RAW_PDF) as pdf:
        sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
    assert [p.number for p in inspected.pages] == list(range(1, len(sizes) + 1))
    for page, (w, h) in zip(inspected.pages, sizes, strict=True):
        assert page.png.name == f"page-{page.number:03d}.png"
        with Image.open(page.png) as img:
            img.verify()
        with Image.open(page.png) as img:
            assert img.format == "PNG"
            scale = RESOLUTION / 72
            assert abs(img.size[0] - w * scale) <= 1 and abs(img.size[1] - h * scale) <= 1


def test_index_html_lists_every_page_image(inspected: Inspection) -> None:
    text = inspected.index.read_text(encoding="utf-8")
    for page in inspected.pages:
        assert f'src="{page.png.name}"' in text
    assert "split across pages, repaired" in text  # the legend


def test_split_row_is_marked_repaired_on_both_its_pages(inspected: Inspection) -> None:
    (gfmd,) = _split_events()  # the GFMD row, cut by the page 1 -> 2 break
    start, end = int(gfmd["page_start"]), int(gfmd["page_end"])
    repaired = [m for m in inspected.marks if "repaired" in m.marks]
    assert [(m.page, m.decision) for m in repaired] == [(start, "new"), (end, "continuation")]
    assert {m.row_index for m in repaired} == {int(gfmd["row_index"])}
    assert {m.event_id for m in repaired} == {gfmd["event_id"]}
    assert all("repaired" in m.label for m in repaired)


def test_every_physical_row_is_drawn_once_with_its_fate(inspected: Inspection) -> None:
    events = [m for m in inspected.marks if "event" in m.marks and m.decision == "new"]
    assert [m.row_index for m in events] == list(range(1, 21))
    headers = [m for m in inspected.marks if m.marks == ("header",)]
    assert [m.page for m in headers] == [1, 2, 3, 4]  # Word repeats the header
    for m in inspected.marks:
        assert len(m.columns) == 6, m  # left edge, 4 boundaries, right edge


def test_pages_option_draws_only_those_but_knows_the_whole_document(tmp_path: Path) -> None:
    (gfmd,) = _split_events()
    end = int(gfmd["page_end"])
    result = inspect_pdf(RAW_PDF, tmp_path, PROFILE, pages=str(end), resolution=36)
    assert [p.png.name for p in result.pages] == [f"page-{end:03d}.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", f"page-{end:03d}.png"]
    (first,) = [m for m in result.marks if m.decision != "header"][:1]
    assert "repaired" in first.marks and first.row_index == int(gfmd["row_index"])


@pytest.mark.parametrize(
    ("spec", "pages"),
    [(None, [1, 2, 3, 4]), ("1-3", [1, 2, 3]), ("2", [2]), ("1,3-4", [1, 3, 4]), ("4,1", [1, 4])],
)
def test_parse_pages(spec: str | None, pages: list[int]) -> None:
    assert parse_pages(spec, 4) == pages


@pytest.mark.parametrize("spec", ["0", "5", "3-2", "a", "1-"])
def test_parse_pages_rejects_pages_outside_the_document(spec: str) -> None:
    from pipeline.errors import UsageError

    with pytest.raises(UsageError):
        parse_pages(spec, 4)


def test_merged_cell_filled_down_is_marked_on_its_cell() -> None:
    """A vertically merged ISCM cell: the second row prints no ISCM and inherits it."""
    columns = (10.0, 110.0, 190.0, 290.0, 420.0, 560.0)

    def body(top: float, cells: tuple[str, ...], **flags: bool) -> PhysicalRow:
        return PhysicalRow(
            1, 1, (10.0, top, 560.0, top + 40), cells, (False,) * 5, columns=columns, **flags
        )

    rows = [
        PhysicalRow(
            1,
            1,
            (10.0, 50.0, 560.0, 60.0),
            ("ISCM", "Date", "Place", "Event / Title", "Outcome"),
            (False,) * 5,
            kind="header",
            columns=columns,
        ),
        body(
            60.0,
            ("Bali Process", "March 2, 2017", "Bali, Indonesia", "Meeting A", ""),
            first_on_page=True,
        ),
        body(100.0, ("", "March 3, 2017", "Bali, Indonesia", "Meeting B", ""), last_on_page=True),
    ]
    doc = Document(path="x.pdf", source_file="x.pdf", sha256="0" * 64, pages=1)
    doc.tables = [
        TableLayout(1, PROFILE.keys, ("ISCM", "Date", "Place", "Event / Title", "Outcome"), 1)
    ]
    marks = row_marks(Extraction(doc, rows), PROFILE)
    assert [m.marks for m in marks] == [("header",), ("event",), ("filled", "event")]
    filled = marks[2]
    assert filled.filled_cells == ((10.0, 100.0, 110.0, 140.0),)  # the ISCM cell
    assert filled.filled_texts == ("Bali Process",)  # drawn into it
    assert "iscm filled down" in filled.label and filled.row_index == 2


# --------------------------------------------------------------------------- no table


def _inspect_cli(pdf: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "inspect", str(pdf), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_inspect_without_a_table_still_draws_the_pages_and_says_why(tmp_path: Path) -> None:
    pdf = FIXTURES / "bad" / "missing-column.pdf"
    proc = _inspect_cli(pdf, tmp_path / "insp")
    assert proc.returncode == 1
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert "missing-column.pdf: table header lacks required column 'Place'" in line
    assert (tmp_path / "insp" / "page-001.png").is_file()
    index = (tmp_path / "insp" / "index.html").read_text(encoding="utf-8")
    assert "No table was taken: table header lacks required column" in index
    # the header words the profile's aliases name are listed as candidates
    assert "(alias of <code>date</code>)" in index
    assert "(alias of <code>iscm</code>)" in index


def test_inspect_without_any_header_shows_the_stray_alias_words(tmp_path: Path) -> None:
    pdf = FIXTURES / "bad" / "no-table.pdf"
    proc = _inspect_cli(pdf, tmp_path / "insp")
    assert proc.returncode == 1
    index = (tmp_path / "insp" / "index.html").read_text(encoding="utf-8")
    assert "No table was taken: no ISCM events table found" in index
    # the page's prose names the ISCM once: a candidate, but no header line
    assert "<ul><li>ISCM (alias of <code>iscm</code>) at y = 77 pt</li></ul>" in index
    assert sorted(p.name for p in (tmp_path / "insp").glob("*.png")) == ["page-001.png"]


def test_header_candidates_are_words_an_alias_names() -> None:
    words = [
        {"text": text, "x0": 10.0 * i, "x1": 10.0 * i + 8, "top": 5.0, "bottom": 12.0}
        for i, text in enumerate(["Fecha", "Lieu", "Banana", "ISCM", "Event"])
    ]
    found = header_candidates(words, 1, load_profile("iscm-events"))
    assert [(c.text, c.column) for c in found] == [
        ("Fecha", "date"),
        ("Lieu", "place"),
        ("ISCM", "iscm"),
        ("Event", "title"),
    ]
