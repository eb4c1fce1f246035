"""Text repair at extraction (issue 10): ligature glyphs read back as letters, counted.

The fixtures come from ``tests/fixtures/generators/ligatures.py``; their transcriptions
say how many ligature glyphs the PDF draws, counted glyph by glyph with plain pdfplumber
(the pipeline repairs word by word, so the two counts are independent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from tests.conftest import ROOT, fixture_entries

LIGATURE_FIXTURES = ["gs-redistilled-carlito", "chromium-unicode-ligatures"]
ENTRIES = {f["name"]: f for f in fixture_entries()}


def _transcription(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / ENTRIES[name]["transcription"]).read_text(encoding="utf-8")
    )
    return data


@pytest.mark.parametrize("name", LIGATURE_FIXTURES)
def test_report_counts_every_ligature_glyph(name: str, run_fixture: Any) -> None:
    out: Path = run_fixture(ROOT / ENTRIES[name]["pdf"])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    glyphs = _transcription(name)["ligature_glyphs"]
    assert report["inputs"][0]["ligatures_repaired"] == glyphs["unicode"] + glyphs["byte_swapped"]


def test_plain_fixture_reports_no_ligature(run_fixture: Any) -> None:
    out: Path = run_fixture(ROOT / ENTRIES["rl-grid-a4-landscape"]["pdf"])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["inputs"][0]["ligatures_repaired"] == 0


def test_redistilled_fixture_has_the_ghostscript_bug() -> None:
    """The committed PDF really carries byte-swapped ligatures, as pdfplumber reads it."""
    with pdfplumber.open(ROOT / ENTRIES["gs-redistilled-carlito"]["pdf"]) as pdf:
        words = [w["text"] for p in pdf.pages for w in p.extract_words()]
        producer = str(pdf.metadata.get("Producer", ""))
    assert "GPL Ghostscript" in producer, producer
    assert any(w.startswith("h\u7400\u7400p") for w in words)
    assert any("Migra\u7400\u6900on" in w for w in words)


def test_unicode_ligature_fixture_has_presentation_forms() -> None:
    """Ligature characters everywhere, URLs included ("budape\ufb06process.org")."""
    with pdfplumber.open(ROOT / ENTRIES["chromium-unicode-ligatures"]["pdf"]) as pdf:
        words = [w["text"] for p in pdf.pages for w in p.extract_words(expand_ligatures=False)]
    assert {"\ufb01", "\ufb02", "\ufb00", "\ufb03"} <= set("".join(words))
    assert any(w.startswith("https://www.budape\ufb06process.org") for w in words), words
