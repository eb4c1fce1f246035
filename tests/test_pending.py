"""Pending fixtures (``tests/fixtures/fixtures-pending-*.toml``): known gaps, run as strict
xfails. Each entry's ``reason`` is its diagnosis; the day the pipeline gets one right,
its test XPASSes, which strict makes a failure, so the entry moves to fixtures.toml."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT

FILES = ["events.csv", "event_iscms.csv", "documents.csv", "rejects.csv"]


def _pending() -> list[Any]:
    params = []
    for manifest in sorted(FIXTURES.glob("fixtures-pending*.toml")):
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        for entry in data.get("fixture", []):
            assert entry.get("reason"), f"{manifest.name}: {entry['name']} has no diagnosis"
            mark = pytest.mark.xfail(strict=True, raises=AssertionError, reason=entry["reason"])
            params.append(pytest.param(entry, id=entry["name"], marks=mark))
    return params


PENDING = _pending()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_there_are_pending_fixtures() -> None:
    """Guards the glob: an empty list would make the xfails below pass by not running.
    (Two manifests still hold an entry; the count falls as entries move to fixtures.toml.)"""
    assert len(PENDING) >= 2


@pytest.mark.parametrize("entry", PENDING)
def test_pending_fixture_equals_expected(entry: dict[str, Any], run_fixture: Any) -> None:
    out = run_fixture(ROOT / entry["pdf"], entry.get("profile", "iscm-events"))
    for name in FILES:
        expected_path = ROOT / entry["expected"] / name
        if expected_path.exists():
            assert _read(out / name) == _read(expected_path), name
