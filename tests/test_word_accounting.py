"""Word-level accounting (issue 13, part 2): every word inside a table's region ends in a
cell, or is counted in report.json with a reason and shown in rejects.csv (unless the
reason names page furniture). Checked on every fixture, and on the audit itself."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.clean import LEFT_OUT
from pipeline.layout import PageContent
from pipeline.layout.audit import UNEXPLAINED, audit_page
from pipeline.model import FURNITURE_NOTES, NOTE_UNDER_TABLE, STRAY_MARK, PhysicalRow
from pipeline.runner import Options, run_pipeline
from tests.conftest import ROOT, fixture_entries

REAL = ROOT / "tests" / "fixtures" / "realworld"

RUNS = [(e["pdf"], e.get("profile", "iscm-events")) for e in fixture_entries()]
RUNS += [(e["pdf"], "generic") for e in fixture_entries() if e.get("generic")]
RUNS += [(str(p.relative_to(ROOT)), "generic") for p in sorted(REAL.glob("*.pdf"))]


def _word(i: int, text: str, x0: float, top: float, size: float = 10.0) -> dict[str, Any]:
    width = 0.5 * size * len(text)
    return {"id": i, "text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size}


def _row(ids: tuple[int, ...], top: float, bottom: float, table: int = 1) -> PhysicalRow:
    return PhysicalRow(
        table=table,
        page=1,
        bbox=(100.0, top, 400.0, bottom),
        cells=("a", "b"),
        italic=(False, False),
        columns=(100.0, 250.0, 400.0),
        word_ids=ids,
    )


def _page(words: list[dict[str, Any]]) -> PageContent:
    return PageContent(1, words, [], [], chars=sum(len(w["text"]) for w in words), images=0)


def test_a_word_in_the_tables_band_but_in_no_cell_is_left_out_unexplained() -> None:
    words = [
        _word(0, "Alpha", 110, 100),
        _word(1, "Beta", 260, 100),
        _word(2, "label", 72, 130),  # left of the columns (3 pt), at a row's height
        _word(3, "Gamma", 110, 130),
        _word(4, "Delta", 260, 130),
    ]
    rows = [_row((0, 1), 98, 112), _row((3, 4), 128, 142)]
    audit = audit_page(_page(words), rows, {})
    assert (audit.in_region, audit.placed) == (5, 4)
    [left] = audit.left_out
    assert left.kind == "left_out"
    assert left.cells == ("label", "")
    assert left.word_ids == (2,)
    assert left.note == UNEXPLAINED


def test_a_gutter_ends_the_region_prose_in_the_other_column_is_not_the_tables() -> None:
    words = [
        _word(0, "Alpha", 110, 100),
        _word(1, "Beta", 260, 100),
        _word(2, "prose", 450, 100),  # a gutter (16 pt) past "nearby", the rightmost text
        _word(3, "nearby", 404, 130),  # 4 pt past it: the table's text
    ]
    rows = [_row((0, 1), 98, 112), _row((), 128, 142)]
    audit = audit_page(_page(words), rows, {})
    assert (audit.in_region, audit.placed) == (3, 2)
    assert [r.word_ids for r in audit.left_out] == [(3,)]


def test_words_outside_the_band_are_not_counted_unless_layout_left_them_out() -> None:
    words = [
        _word(0, "Alpha", 110, 100),
        _word(1, "Title", 110, 40),  # a heading above the table: not the table's
        _word(2, "Source:", 110, 160),  # a note layout dropped on purpose
    ]
    rows = [_row((0,), 98, 112)]
    audit = audit_page(_page(words), rows, {2: NOTE_UNDER_TABLE})
    assert (audit.in_region, audit.placed) == (2, 1)
    [left] = audit.left_out
    assert left.note == NOTE_UNDER_TABLE
    assert left.word_ids == (2,)


def test_every_word_placed_gives_no_left_out_rows() -> None:
    words = [_word(0, "Alpha", 110, 100), _word(1, "Beta", 260, 100)]
    audit = audit_page(_page(words), [_row((0, 1), 98, 112)], {})
    assert (audit.in_region, audit.placed, audit.left_out) == (2, 2, [])


def _report(out: Path) -> dict[str, Any]:
    entries = json.loads((out / "report.json").read_text(encoding="utf-8"))["inputs"]
    [entry] = entries
    return dict(entry)


def _extract_rejects(out: Path) -> list[dict[str, str]]:
    with (out / "rejects.csv").open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["stage"] == "extract"]


@pytest.mark.parametrize(("pdf", "profile"), RUNS, ids=[f"{Path(p).stem}-{pr}" for p, pr in RUNS])
def test_every_fixture_accounts_for_every_word(pdf: str, profile: str, run_fixture: Any) -> None:
    out = run_fixture(ROOT / pdf, profile)
    entry = _report(out)
    if entry["error"]:
        return  # a refused input has no table region (its one-line reason is tested elsewhere)
    words = entry["words"]
    left_out = words["left_out"]
    assert words["in_table_region"] == words["placed"] + sum(left_out.values())
    assert words["placed"] > 0
    assert UNEXPLAINED not in left_out, f"{pdf}: {left_out}"
    rejected = {r["reason"] for r in _extract_rejects(out)}
    for reason in left_out:
        if reason not in FURNITURE_NOTES:
            assert f"{LEFT_OUT}: {reason}" in rejected, (pdf, reason)
    assert all(r.startswith(LEFT_OUT) for r in rejected)


def _grid_with_stray_glyph(path: Path, glyph: str) -> None:
    """A 3-column ruled grid of 4 rows, and ``glyph`` printed 3 pt right of its last rule
    on the second body row (a stray "." as in camelot's row_span test file)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    xs, top, h = [72.0, 200.0, 330.0, 460.0], 700.0, 20.0
    rows = [("Name", "City", "Count"), ("Ann", "Oslo", "3"), ("Bob", "Rome", "5")]
    rows.append(("Cid", "Lima", "8"))
    for i in range(len(rows) + 1):
        c.line(xs[0], top - i * h, xs[-1], top - i * h)
    for x in xs:
        c.line(x, top, x, top - len(rows) * h)
    c.setFont("Helvetica", 10)
    for i, row in enumerate(rows):
        for x, text in zip(xs, row, strict=False):
            c.drawString(x + 4, top - (i + 1) * h + 6, text)
    c.drawString(xs[-1] + 3, top - 2 * h + 6, glyph)
    c.save()


Outcome = tuple[dict[str, Any], list[str], list[dict[str, str]]]


def _run_stray(tmp_path: Path, glyph: str) -> Outcome:
    pdf = tmp_path / "stray.pdf"
    _grid_with_stray_glyph(pdf, glyph)
    out = tmp_path / "out"
    run_pipeline([pdf], out, Options(profile="generic", workers=1))
    with (out / "tables" / "stray-1.csv").open(encoding="utf-8", newline="") as f:
        cells = [c for row in list(csv.reader(f))[1:] for c in row[5:]]
    return _report(out)["words"], cells, _extract_rejects(out)


def test_a_stray_mark_past_the_last_rule_is_counted_not_lost(tmp_path: Path) -> None:
    """A "." 3 pt past a grid's frame is no cell's text and no data: it is named in
    report.json (before the word audit, it vanished without a trace)."""
    words, cells, rejects = _run_stray(tmp_path, ".")
    assert words["in_table_region"] == 13  # 12 cell words and the "."
    assert words["left_out"] == {STRAY_MARK: 1}
    assert words["placed"] == 12
    assert not any("." in c for c in cells)
    assert rejects == []


def test_a_stray_word_past_the_last_rule_is_in_a_cell_or_rejected(tmp_path: Path) -> None:
    """A letter or digit outside the frame may be data: never counted away as a mark."""
    words, cells, rejects = _run_stray(tmp_path, "x7")
    in_cell = any("x7" in c for c in cells)
    rejected = [r for r in rejects if r["cells"] == '["x7"]']
    assert in_cell or rejected, "the stray 'x7' vanished"
    assert STRAY_MARK not in words["left_out"]
    assert words["in_table_region"] == words["placed"] + sum(words["left_out"].values())
