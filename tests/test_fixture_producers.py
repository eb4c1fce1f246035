"""The fixture PDFs from other producers (GitHub issue 3) are what they claim to be.

Pipeline-free checks, with plain pdfplumber, on the Chromium, WeasyPrint and LibreOffice
fixtures (``tests/fixtures/generators/html_print.py`` and ``docx_variants.py``) listed in
``fixtures.toml`` or ``fixtures-pending-html.toml``: the PDF exists, has the page count
of its entry and transcription, was written by that producer, has the intended page size
and orientation, and every event's date is printed on the page its transcription says
the row begins on.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from tests.conftest import FIXTURES, ROOT

# points, portrait (width, height); landscape is the transpose
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

# name -> (Producer pattern, Creator pattern or None, page size, landscape)
SPECS: dict[str, tuple[str, str | None, tuple[float, float], bool]] = {
    "chromium-grid-a4-landscape": (r"^Skia/PDF", r"HeadlessChrome", A4, True),
    "chromium-norules-letter-portrait": (r"^Skia/PDF", r"HeadlessChrome", LETTER, False),
    "weasy-hrules-a4-portrait": (r"^WeasyPrint", None, A4, False),
    "chromium-header-variants": (r"^Skia/PDF", r"HeadlessChrome", A4, True),
    "chromium-hyphenated": (r"^Skia/PDF", r"HeadlessChrome", A4, False),
    "weasy-hyphenated": (r"^WeasyPrint", None, A4, False),
    "lo-header-first-page-only": (r"^LibreOffice", r"^Writer", A4, False),
    "lo-header-own-page": (r"^LibreOffice", r"^Writer", A4, False),
    "lo-grouped-merged": (r"^LibreOffice", r"^Writer", A4, True),
}


def _entries() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for manifest in ("fixtures.toml", "fixtures-pending-html.toml"):
        path = FIXTURES / manifest
        if path.exists():
            for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("fixture", []):
                if entry["name"] in SPECS:
                    found[entry["name"]] = entry
    return found


ENTRIES = _entries()
NAMES = sorted(SPECS)


def _squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def test_every_fixture_is_listed() -> None:
    assert sorted(ENTRIES) == NAMES, "each producer fixture is in fixtures.toml or pending"


def test_total_size_is_small() -> None:
    total = sum((ROOT / e["pdf"]).stat().st_size for e in ENTRIES.values())
    assert total < 3_000_000


@pytest.fixture(scope="module", params=NAMES)
def fixture(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any], dict[str, Any]]:
    name = str(request.param)
    if name not in ENTRIES:
        pytest.fail(f"{name} is in neither fixtures.toml nor fixtures-pending-html.toml")
    entry = ENTRIES[name]
    transcription = json.loads((ROOT / entry["transcription"]).read_text(encoding="utf-8"))
    return name, entry, transcription


def test_pdf_matches_entry(fixture: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    name, entry, transcription = fixture
    producer, creator, (w, h), landscape = SPECS[name]
    pdf_path: Path = ROOT / entry["pdf"]
    assert pdf_path.is_file(), f"missing {pdf_path}"
    assert pdf_path.name == f"{name}.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == entry["pages"] == transcription["pages"]
        meta = pdf.metadata
        assert re.search(producer, str(meta.get("Producer", ""))), meta
        if creator is not None:
            assert re.search(creator, str(meta.get("Creator", ""))), meta
        want = (h, w) if landscape else (w, h)
        for page in pdf.pages:
            size = (float(page.width), float(page.height))
            assert size == pytest.approx(want, abs=1.0), f"page {page.page_number}: {size}"


def test_rows_begin_where_transcribed(
    fixture: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    name, entry, transcription = fixture
    with pdfplumber.open(ROOT / entry["pdf"]) as pdf:
        texts = [_squash(page.extract_text() or "") for page in pdf.pages]
    assert len(transcription["events"]) == 20
    for number, ev in enumerate(transcription["events"], start=1):
        start, end = ev["page_start"], ev["page_end"]
        assert 1 <= start <= end <= len(texts), (number, start, end)
        # the date cell sits at the top of its row: on the row's first page
        date = _squash(ev["date"])
        if date not in texts[start - 1]:
            # a narrow date column wraps it; each of its words is still there
            words = re.split(r"[\s\-]+", ev["date"])
            assert all(w in texts[start - 1] for w in words if w), (name, number, ev["date"])
    title = transcription["document_title"]
    assert 0 < len(title) <= 400


def test_header_repetition() -> None:
    """What the LibreOffice variants promise about where the header row is printed."""
    header = "ISCMDatePlaceEvent/TitleOutcome"

    def header_pages(name: str) -> list[int]:
        with pdfplumber.open(ROOT / ENTRIES[name]["pdf"]) as pdf:
            return [p.page_number for p in pdf.pages if header in _squash(p.extract_text() or "")]

    assert header_pages("lo-header-first-page-only") == [1]
    own = ENTRIES["lo-header-own-page"]
    assert header_pages("lo-header-own-page") == [2]
    transcription = json.loads((ROOT / own["transcription"]).read_text(encoding="utf-8"))
    assert min(ev["page_start"] for ev in transcription["events"]) == 3
    assert header_pages("lo-grouped-merged") == list(
        range(1, ENTRIES["lo-grouped-merged"]["pages"] + 1)
    )


def test_grouped_merged_prints_each_iscm_once_per_group() -> None:
    entry = ENTRIES["lo-grouped-merged"]
    transcription = json.loads((ROOT / entry["transcription"]).read_text(encoding="utf-8"))
    groups = transcription["groups"]
    events = transcription["events"]
    assert any(len(g) > 1 for g in groups)
    crossing = [
        g
        for g in groups
        if len(g) > 1 and events[g[0] - 1]["page_start"] < events[g[-1] - 1]["page_end"]
    ]
    assert crossing, "a merged group crosses a page break"
    for g in groups:
        assert len({events[i - 1]["iscm"] for i in g}) == 1
