"""The French and Spanish editions give the English edition's events, field by field:
dates, ISO3 codes, URLs, row structure and (with the editions' own ISCM acronyms taken
as the English ones) the same ISCM key; the ISCM, title and outcome as printed."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, RAW_PDF

EDITIONS = {
    "rl-fr-grid-a4-landscape": "fr",
    "lo-fr-grid-a4-landscape": "fr",
    "rl-es-norules-a4-landscape": "es",
    "rl-es-hrules-letter-portrait": "es",
    "lo-es-grid-a4-landscape": "es",
}
SAME = ["start_date", "end_date", "country_iso3", "urls", "iscm_italic"]


def _events(out: Path) -> list[dict[str, str]]:
    with (out / "events.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_an_edition_gives_the_english_events(run_fixture: Any, name: str) -> None:
    english = _events(run_fixture(RAW_PDF))
    out = run_fixture(FIXTURES / "pdfs" / f"{name}.pdf")
    edition = _events(out)
    assert len(edition) == len(english) == 20
    for en, ed in zip(english, edition, strict=True):
        assert {k: ed[k] for k in SAME} == {k: en[k] for k in SAME}
        assert ed["title"] != en["title"]  # printed in the edition's language
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["inputs"][0]["language"] == EDITIONS[name]
    with (out / "rejects.csv").open(encoding="utf-8") as f:
        assert len(f.readlines()) == 1  # the header line only
