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
from tests.fixtures.build_expected import DOCUMENTS, EVENT_ISCMS, EVENTS, REJECTS

FILES = ["events.csv", "event_iscms.csv", "documents.csv", "rejects.csv"]
EXPECTED_COLUMNS = {
    "events.csv": EVENTS,
    "event_iscms.csv": EVENT_ISCMS,
    "documents.csv": DOCUMENTS,
    "rejects.csv": REJECTS,
}


def _manifests() -> dict[str, list[dict[str, Any]]]:
    """Each pending manifest's entries, by file name."""
    return {
        manifest.name: tomllib.loads(manifest.read_text(encoding="utf-8")).get("fixture", [])
        for manifest in sorted(FIXTURES.glob("fixtures-pending*.toml"))
    }


def _pending() -> list[Any]:
    params = []
    for entries in _manifests().values():
        for entry in entries:
            mark = pytest.mark.xfail(strict=True, raises=AssertionError, reason=entry.get("reason"))
            params.append(pytest.param(entry, id=entry["name"], marks=mark))
    return params


PENDING = _pending()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_pending_manifests_parse_and_give_reasons() -> None:
    """The mechanism stays for the next known gap, though none is pending now (the last,
    rt-merged-iscm-middle-norules, moved to fixtures.toml): the manifests are found and
    parse, and every entry carries its diagnosis and what a run needs."""
    manifests = _manifests()
    assert "fixtures-pending-rt.toml" in manifests  # guards the glob
    for name, entries in manifests.items():
        for entry in entries:
            assert entry.get("reason"), f"{name}: {entry.get('name')} has no diagnosis"
            for key in ("name", "pdf", "expected"):
                assert entry.get(key), f"{name}: an entry has no {key}"


@pytest.mark.parametrize("entry", [p.values[0] for p in PENDING], ids=[p.id for p in PENDING])
def test_pending_expected_files_have_the_contract_columns(entry: dict[str, Any]) -> None:
    """An expected file left with an older contract's columns fails every run, whatever
    the pipeline does, so a pending fixture's fix could never flip its xfail (the
    event_iscms.csv of both pending entries still had contract 1's columns, which hid
    that rt2-lo-landscape-section was read right)."""
    for name, columns in EXPECTED_COLUMNS.items():
        path = ROOT / entry["expected"] / name
        with path.open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == columns, f"{path}: rebuild it (see the manifest)"


@pytest.mark.parametrize("entry", PENDING)
def test_pending_fixture_equals_expected(entry: dict[str, Any], run_fixture: Any) -> None:
    out = run_fixture(ROOT / entry["pdf"], entry.get("profile", "iscm-events"))
    for name in FILES:
        expected_path = ROOT / entry["expected"] / name
        if expected_path.exists():
            assert _read(out / name) == _read(expected_path), name
