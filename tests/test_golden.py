"""Golden-output regression tests: every fixture PDF's outputs equal the expected files
built from the data its generator rendered (tests/fixtures/build_expected.py).

A failure names the fixture, the file, the row and the field, with both values."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, fixture_entries

FILES = ["events.csv", "event_iscms.csv", "documents.csv", "rejects.csv"]
ENTRIES = [f for f in fixture_entries() if (ROOT / f["expected"]).is_dir()]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize("entry", ENTRIES, ids=[f["name"] for f in ENTRIES])
@pytest.mark.parametrize("name", FILES)
def test_output_equals_expected(entry: dict[str, Any], name: str, run_fixture: Any) -> None:
    expected_path = ROOT / entry["expected"] / name
    if not expected_path.exists():
        pytest.skip(f"{entry['name']} has no expected {name}")
    out = run_fixture(ROOT / entry["pdf"], entry.get("profile", "iscm-events"))
    exp_cols, expected = _read(expected_path)
    got_cols, got = _read(out / name)
    assert got_cols == exp_cols, f"{name}: columns differ"
    problems = []
    for i, (e, g) in enumerate(zip(expected, got, strict=False), start=1):
        for col in exp_cols:
            if e[col] != g[col]:
                problems.append(
                    f"{name} row {i} {col}:\n  expected {e[col]!r}\n  got      {g[col]!r}"
                )
    assert len(got) == len(expected), f"{name}: {len(got)} rows, expected {len(expected)}"
    assert not problems, f"{entry['name']}:\n" + "\n".join(problems[:30])


GENERIC = [f for f in ENTRIES if f.get("generic")]


@pytest.mark.parametrize("entry", GENERIC, ids=[f["name"] for f in GENERIC])
def test_generic_profile_table_equals_expected(entry: dict[str, Any], run_fixture: Any) -> None:
    """The same fixture through --profile generic: one table, columns as printed."""
    pdf = ROOT / entry["pdf"]
    expected_dir = ROOT / entry["expected"] / "generic" / "tables"
    out = run_fixture(pdf, "generic")
    got_tables = sorted(p.name for p in (out / "tables").glob("*.csv"))
    assert got_tables == sorted(p.name for p in expected_dir.glob("*.csv"))
    for expected_path in expected_dir.glob("*.csv"):
        exp_cols, expected = _read(expected_path)
        got_cols, got = _read(out / "tables" / expected_path.name)
        assert got_cols == exp_cols
        problems = [
            f"row {i} {col}:\n  expected {e[col]!r}\n  got      {g[col]!r}"
            for i, (e, g) in enumerate(zip(expected, got, strict=False), start=1)
            for col in exp_cols
            if e[col] != g[col]
        ]
        assert len(got) == len(expected), f"{len(got)} rows, expected {len(expected)}"
        assert not problems, f"{entry['name']} (generic):\n" + "\n".join(problems[:30])
