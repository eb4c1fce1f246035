"""The differential test of issue 14: ``--engine pdfium`` gives what pdfplumber gives.

Every fixture PDF is read by both engines in-process (``runner.process_file``, the plain
function each worker runs) and the results must be identical: every event record (so
``events.csv`` and ``event_iscms``), every reject, the tables found, the error. The real
PDFs go through the generic profile (its per-table outputs). Bad inputs go through the
isolated runner (timeout, memory cap) and must give the same one-line reason.

A difference is never waved through: one not yet fixed is a strict xfail naming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.runner import FileResult, Options, parse_inputs, process_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MATRIX = sorted((FIXTURES / "pdfs").glob("*.pdf")) + sorted((ROOT / "raw").glob("*.pdf"))
REAL = sorted((FIXTURES / "realworld").glob("*.pdf"))
BAD = sorted((FIXTURES / "bad").glob("*.pdf"))

# a quick subset that runs in the default suite; the whole matrix is marked slow
QUICK = {
    "chromium-hyphenated.pdf",
    "chromium-unicode-ligatures.pdf",
    "rt-fonts.pdf",
    "rt2-rotate90-grid.pdf",
    "rt2-rotate90-norules.pdf",
    "rt2-footnotes.pdf",
    "weasy-hyphenated.pdf",
    "iom-iscm-events-2016-2017.pdf",
}

KNOWN = {
    "schools.pdf": (
        "pdfium joins 'Dick& Peg', '62Mississippi', 'SaintPaul' (row Lidstad): a space "
        "pdfminer keeps as a glyph is lost or zero wide under pdfium"
    ),
}


def _summary(result: FileResult) -> dict[str, Any]:
    d = result.document
    return {
        "error": d.error,
        "pages": d.pages,
        "title": d.title,
        "tables": [(t.index, t.keys) for t in d.tables],
        "records": result.records,
        "rejects": [repr(r) for r in result.rejects],
        "traceback": result.traceback,
    }


def _params(paths: list[Path], quick: set[str] | None) -> list[Any]:
    out = []
    for p in paths:
        marks: list[Any] = []
        if p.name in KNOWN:
            marks.append(pytest.mark.xfail(reason=KNOWN[p.name], strict=True))
        if quick is not None and p.name not in quick:
            marks.append(pytest.mark.slow)
        out.append(pytest.param(p, marks=marks, id=p.name))
    return out


def _both(path: Path, profile: str) -> tuple[dict[str, Any], dict[str, Any]]:
    plumber = _summary(process_file(path, Options(profile=profile)))
    pdfium = _summary(process_file(path, Options(profile=profile, engine="pdfium")))
    return plumber, pdfium


@pytest.mark.parametrize("path", _params(MATRIX, QUICK))
def test_fixture_matrix_same_events_under_both_engines(path: Path) -> None:
    plumber, pdfium = _both(path, "iscm-events")
    assert plumber["traceback"] is None
    assert pdfium == plumber


@pytest.mark.parametrize("path", _params(REAL, {"eu-017.pdf", "m27.pdf", "spanning_cells.pdf"}))
def test_real_pdfs_same_generic_tables_under_both_engines(path: Path) -> None:
    plumber, pdfium = _both(path, "generic")
    assert plumber["records"], "the generic profile reads rows from every real PDF"
    assert pdfium == plumber


def test_bad_inputs_same_one_line_reasons_under_both_engines() -> None:
    """Each bad input fails (or passes) the same way, with the same one-line reason,
    under the runner's isolation (timeout, memory cap) for both engines."""
    reasons = {}
    for engine in ("pdfplumber", "pdfium"):
        options = Options(workers=2, timeout=5, engine=engine)  # type: ignore[arg-type]
        results = parse_inputs(BAD, options)
        reasons[engine] = [(r.document.source_file, r.document.error) for r in results]
    assert reasons["pdfium"] == reasons["pdfplumber"]
    errors = [e for _, e in reasons["pdfium"] if e]
    assert len(errors) >= 10
    assert all("\n" not in e for e in errors)
    # the per-page content limit trips first, under both engines, well before the timeout
    assert dict(reasons["pdfium"])["endless-content.pdf"] == (
        "endless-content.pdf: page 1: content stream over 32 MB"
    )
