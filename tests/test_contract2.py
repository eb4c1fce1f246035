"""Contract 2 (CONTRACT.md, "Changes from contract 1"): several releases in one run, keys
that hold, one row numbering shared with rejects.csv, identical inputs parsed once, a
profile given by path. Through the CLI where the finding is about the CLI."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import frictionless
import pytest

from pipeline.clean import clean_extraction
from pipeline.extract import extract_document
from pipeline.profiles import load_profile, profile_text
from pipeline.validate import validate_cleaned
from tests.conftest import FIXTURES, RAW_PDF, ROOT, cli

OTHER_RELEASE = FIXTURES / "pdfs" / "rl-grid-a4-landscape.pdf"  # the same 20 events
REJECTS_PDF = FIXTURES / "pdfs" / "rl-rejects-a4-landscape.pdf"
CHECKER = ROOT / "tests" / "tools" / "check_contract.py"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    """Two different releases of the same events, plus a byte-identical copy of the
    first in a subfolder, in one run."""
    base = tmp_path_factory.mktemp("releases")
    raw = base / "raw"
    (raw / "archive").mkdir(parents=True)
    shutil.copy(RAW_PDF, raw / "release-2017.pdf")
    shutil.copy(OTHER_RELEASE, raw / "release-2018.pdf")
    shutil.copy(RAW_PDF, raw / "archive" / "release-2017-copy.pdf")
    out = base / "out"
    return raw, out, cli("run", raw, "--out", out, "--workers", "2", "--no-cache")


def test_the_copy_is_parsed_once_and_named_in_the_report(releases: Any) -> None:
    raw, out, proc = releases
    assert proc.returncode == 0, proc.stderr
    assert f"note: {raw / 'archive' / 'release-2017-copy.pdf'}: same bytes as" in proc.stderr
    assert "2 PDFs, 40 events" in proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["contract_version"] == 2
    entries = {e["source_file"]: e for e in report["inputs"]}
    assert sorted(entries) == ["release-2017.pdf", "release-2018.pdf"]
    assert entries["release-2017.pdf"]["copies"] == [
        str(raw / "archive" / "release-2017-copy.pdf")
    ]
    assert entries["release-2018.pdf"]["copies"] == []
    assert report["totals"]["copies_skipped"] == 1


def test_one_event_row_per_release_and_event(releases: Any) -> None:
    _, out, _ = releases
    events = _rows(out / "events.csv")
    keys = [(e["source_sha256"], e["event_id"]) for e in events]
    assert len(events) == 40 and len(set(keys)) == 40
    # the same 20 events in both releases: one event_id, two rows
    by_id: dict[str, set[str]] = {}
    for e in events:
        by_id.setdefault(e["event_id"], set()).add(e["source_file"])
    assert len(by_id) == 20
    assert all(files == {"release-2017.pdf", "release-2018.pdf"} for files in by_id.values())


def test_every_event_iscms_row_joins_exactly_one_event(releases: Any) -> None:
    _, out, _ = releases
    events = {(e["source_sha256"], e["event_id"]) for e in _rows(out / "events.csv")}
    iscms = _rows(out / "event_iscms.csv")
    assert list(iscms[0]) == [
        "event_id",
        "source_file",
        "source_sha256",
        "position",
        "iscm_acronym",
        "iscm_name",
    ]
    assert len(iscms) == 42  # 21 (event, ISCM) pairs per release, the copy not again
    keys = [(r["source_sha256"], r["event_id"], r["position"]) for r in iscms]
    assert len(set(keys)) == len(keys)
    assert all((r["source_sha256"], r["event_id"]) in events for r in iscms)
    gfmd = [r for r in iscms if r["iscm_acronym"] == "GFMD"]
    assert len({(r["source_sha256"], r["event_id"]) for r in gfmd}) == len(gfmd)


def test_frictionless_checks_every_declared_key(releases: Any) -> None:
    _, out, _ = releases
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["type", "fieldName", "note"])[:5]


def test_the_contract_checker_finds_no_violation(releases: Any) -> None:
    _, out, _ = releases
    proc = subprocess.run(
        [sys.executable, str(CHECKER), str(out)], capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip().splitlines()[-1] == "contract: 0 violations", proc.stdout
    assert proc.returncode == 0


def test_row_index_is_shared_with_rejects(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = cli("run", REJECTS_PDF, "--out", out, "--no-cache")
    assert proc.returncode == 1  # rows were rejected
    events = [int(e["row_index"]) for e in _rows(out / "events.csv")]
    rejected = [int(r["row_index"]) for r in _rows(out / "rejects.csv")]
    assert rejected == [5, 11]
    assert not set(events) & set(rejected)
    assert sorted(events + rejected) == list(range(1, len(events) + len(rejected) + 1))
    assert events == sorted(events)


def test_a_repeated_event_id_in_one_document_is_rejected_with_the_first_row() -> None:
    profile = load_profile("iscm-events")
    cleaned = clean_extraction(extract_document(RAW_PDF, profile), profile)
    third = dict(cleaned.records[2])
    cleaned.records.append({**third, "row_index": 21})
    records, rejects = validate_cleaned(cleaned, profile)
    assert len(records) == 20
    (reject,) = rejects
    assert reject.row_index == 21 and reject.stage == "validate"
    assert reject.reason.startswith("event_id duplicate of row 3")


def test_a_copied_builtin_profile_given_by_path_gives_the_default_output(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "profiles" / "iscm-events.toml"
    mine.parent.mkdir()
    mine.write_text(profile_text("iscm-events"), encoding="utf-8")
    default, by_path = tmp_path / "default", tmp_path / "by-path"
    assert cli("run", RAW_PDF, "--out", default, "--no-cache").returncode == 0
    proc = cli("run", RAW_PDF, "--out", by_path, "--profile", mine, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    for name in ("events.csv", "event_iscms.csv", "documents.csv", "rejects.csv"):
        assert (by_path / name).read_bytes() == (default / name).read_bytes(), name
    report = json.loads((by_path / "report.json").read_text(encoding="utf-8"))
    assert report["profile"] == "iscm-events"


def test_a_user_profile_with_its_own_name_and_alias_reads_a_renamed_column(
    tmp_path: Path,
) -> None:
    text = profile_text("iscm-events").replace(
        'name = "iscm-events"', 'name = "iscm-events-mine"', 1
    )
    mine = tmp_path / "mine.toml"
    mine.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("run", RAW_PDF, "--out", out, "--profile", mine, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert len(_rows(out / "events.csv")) == 20
    assert json.loads((out / "report.json").read_text())["profile"] == "iscm-events-mine"


def test_an_edited_copy_keeping_the_builtin_name_is_refused(tmp_path: Path) -> None:
    text = profile_text("iscm-events").replace('"Venue",', '"Venue", "Site",', 1)
    mine = tmp_path / "iscm-events.toml"
    mine.write_text(text, encoding="utf-8")
    proc = cli("run", RAW_PDF, "--out", tmp_path / "out", "--profile", mine)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert str(mine) in line and "'iscm-events' is a built-in profile's" in line
    assert not (tmp_path / "out" / "events.csv").exists()


def test_a_missing_profile_file_is_a_one_line_usage_error(tmp_path: Path) -> None:
    proc = cli("run", RAW_PDF, "--out", tmp_path / "out", "--profile", tmp_path / "nope.toml")
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "nope.toml" in line and "cannot read" in line
