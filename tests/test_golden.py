"""Golden-output regression tests: every fixture PDF's outputs equal the expected files
built from the data its generator rendered (tests/fixtures/build_expected.py).

A failure names the fixture, the file, the row and the field, with both values."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, fixture_entries

ENTRIES = [f for f in fixture_entries() if (ROOT / f["expected"]).is_dir()]
# every expected CSV of every fixture: events, event_iscms, documents, rejects for the
# ISCM profile; a profile's own tables (displacement.csv) for the others
CASES = [
    (entry, path.name)
    for entry in ENTRIES
    for path in sorted((ROOT / entry["expected"]).glob("*.csv"))
]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize(
    ("entry", "name"), CASES, ids=[f"{e['name']}-{n[: -len('.csv')]}" for e, n in CASES]
)
def test_output_equals_expected(entry: dict[str, Any], name: str, run_fixture: Any) -> None:
    expected_path = ROOT / entry["expected"] / name
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


@pytest.mark.parametrize("entry", ENTRIES, ids=[f["name"] for f in ENTRIES])
def test_the_run_writes_exactly_the_expected_tables(
    entry: dict[str, Any], run_fixture: Any
) -> None:
    out = run_fixture(ROOT / entry["pdf"], entry.get("profile", "iscm-events"))
    expected = {p.name for p in (ROOT / entry["expected"]).glob("*.csv")}
    assert {p.name for p in out.glob("*.csv")} == expected


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
