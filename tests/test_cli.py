"""The real command line, run in a subprocess, against the contract."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW_PDF, ROOT, cli

EVENTS = [
    "event_id",
    "source_file",
    "source_sha256",
    "row_index",
    "page_start",
    "page_end",
    "iscm",
    "iscm_acronyms",
    "iscm_italic",
    "date_text",
    "start_date",
    "end_date",
    "place",
    "city",
    "country",
    "country_iso3",
    "title",
    "outcome",
    "urls",
]


@pytest.fixture(scope="module")
def cli_out(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("cli")
    return out, cli("run", str(RAW_PDF), "--out", str(out), "--workers", "1")


def test_run_exits_zero_and_writes_every_contract_file(
    cli_out: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, proc = cli_out
    assert proc.returncode == 0, proc.stderr
    for name in [
        "events.csv",
        "events.parquet",
        "event_iscms.csv",
        "event_iscms.parquet",
        "documents.csv",
        "documents.parquet",
        "rejects.csv",
        "report.json",
    ]:
        assert (out / name).is_file(), name
    assert not list(out.glob(".*.tmp")), "temporary files left behind"


def test_events_columns_and_types_follow_the_contract(
    cli_out: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = cli_out
    with (out / "events.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == EVENTS
    schema = pq.read_schema(out / "events.parquet")
    assert schema.names == EVENTS
    types = {n: str(schema.field(n).type) for n in schema.names}
    assert types["start_date"] == "date32[day]" and types["end_date"] == "date32[day]"
    assert types["row_index"] == "int64" and types["iscm_italic"] == "bool"
    assert types["urls"].startswith("list<") and types["iscm_acronyms"].startswith("list<")
    assert pq.read_table(out / "events.parquet").num_rows == 20


def test_report_accounts_for_every_physical_row(
    cli_out: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = cli_out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["contract_version"] == 2
    (entry,) = report["inputs"]
    assert entry["error"] is None and entry["pages"] == 4 and entry["events_written"] == 20
    assert entry["rows_repaired_across_pages"] == 1
    assert entry["physical_rows"] == (
        entry["header_rows_dropped"]
        + entry["furniture_rows_dropped"]
        + entry["continuation_rows_merged"]
        + entry["events_written"]
        + entry["rows_rejected"]
    )


def test_csv_uses_unix_line_ends_and_pipe_joined_lists(
    cli_out: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = cli_out
    raw = (out / "events.csv").read_bytes()
    assert b"\r\n" not in raw
    rows = list(csv.DictReader((out / "events.csv").open(encoding="utf-8", newline="")))
    both = [r for r in rows if r["iscm_acronyms"] == "RCM|SACM"]
    assert len(both) == 1 and both[0]["urls"] == "http://www.rcmvs.org|http://csm-osumi.org"


def test_bad_input_is_one_line_and_others_still_processed(tmp_path: Path) -> None:
    bad = tmp_path / "error-page.pdf"
    bad.write_text("<!DOCTYPE html><html>Not found</html>", encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("run", str(bad), str(RAW_PDF), "--out", str(out))
    assert proc.returncode == 1
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert errors == ["error: error-page.pdf: not a PDF (starts with '<!DOCTYPE html><html')"]
    assert "Traceback" not in proc.stderr
    rows = list(csv.DictReader((out / "events.csv").open(encoding="utf-8")))
    assert len(rows) == 20
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [e["error"] is None for e in report["inputs"]] == [False, True]


def test_unknown_profile_is_a_usage_error(tmp_path: Path) -> None:
    proc = cli("run", str(RAW_PDF), "--out", str(tmp_path), "--profile", "nope")
    assert proc.returncode == 2
    assert "unknown profile 'nope'" in proc.stderr


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    proc = cli("run", str(tmp_path / "missing.pdf"), "--out", str(tmp_path))
    assert proc.returncode == 2


def test_stages_one_at_a_time_equal_run(
    tmp_path: Path, cli_out: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    out, _ = cli_out
    staged = tmp_path / "staged"
    assert cli("extract", str(RAW_PDF), "--out", str(staged)).returncode == 0
    assert (staged / "stages" / "extracted.parquet").is_file()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    physical = report["inputs"][0]["physical_rows"]
    assert pq.read_table(staged / "stages" / "extracted.parquet").num_rows == physical
    assert cli("clean", "--out", str(staged)).returncode == 0
    assert (staged / "stages" / "cleaned.parquet").is_file()
    assert cli("validate", "--out", str(staged)).returncode == 0
    for name in ["events.csv", "event_iscms.csv", "documents.csv", "rejects.csv"]:
        assert (staged / name).read_text(encoding="utf-8") == (out / name).read_text(
            encoding="utf-8"
        ), name


def test_version_and_help() -> None:
    proc = cli("--version")
    assert proc.returncode == 0 and "0.1.0" in proc.stdout
    for command in ["run", "extract", "clean", "validate", "inspect", "diff"]:
        help_text = cli(command, "--help").stdout
        assert "Example" in help_text, command
        assert f"iom-pipeline {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example_that_the_readme_documents() -> None:
    """Also for commands added later: the list comes from the click group itself."""
    from click.testing import CliRunner

    from pipeline.cli import cli as group

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(group.commands) >= {"run", "extract", "clean", "validate", "inspect", "diff"}
    for name in group.commands:
        result = CliRunner().invoke(group, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output and f"iom-pipeline {name} " in result.output, name
        assert f"iom-pipeline {name}" in readme, f"README does not document {name}"


def test_summary_line_counts_pdfs_events_rejects_and_names_failures(tmp_path: Path) -> None:
    bad = tmp_path / "encrypted.pdf"
    bad.write_bytes(b"")
    proc = cli("run", str(RAW_PDF), str(bad), "--out", str(tmp_path / "out"), "--workers", "1")
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "2 PDFs, 20 events, 0 rejected, 1 failed: encrypted.pdf"


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    proc = cli("run", str(bad), "--out", str(tmp_path / "out"), "-q")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == ["error: empty.pdf: empty file"] and proc.stdout == ""
