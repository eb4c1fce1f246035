"""Nothing lost: on every fixture of tests/fixtures/fixtures.toml (read at test time, so
fixtures added later are covered), report.json accounts for every physical row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, fixture_entries

ENTRIES = fixture_entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_physical_rows_add_up(entry: dict[str, Any], run_fixture: Any) -> None:
    out: Path = run_fixture(ROOT / entry["pdf"], entry.get("profile", "iscm-events"))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    (e,) = report["inputs"]
    assert e["error"] is None, e["error"]
    assert e["physical_rows"] > 0
    assert e["physical_rows"] == (
        e["header_rows_dropped"]
        + e["furniture_rows_dropped"]
        + e["continuation_rows_merged"]
        + e["events_written"]
        + e["rows_rejected"]
    ), e
