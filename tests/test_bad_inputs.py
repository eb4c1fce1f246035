"""Bad, broken and hostile PDFs (issue 4): each gives one clear error and costs only itself.

The PDFs are in tests/fixtures/bad/, made by tests/fixtures/generators/bad_inputs.py.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import pipeline.extract
import pipeline.runner
from pipeline.cli import _report_failures
from pipeline.extract import Limits
from pipeline.runner import FileResult, Options, process_file, run_pipeline
from tests.conftest import FIXTURES, RAW_PDF, ROOT

BAD = FIXTURES / "bad"
TRUNCATED = sorted(BAD.glob("truncated-*.pdf"))
# bad file -> the reason its one error line must carry
EXPECTED = {
    "empty.pdf": "empty.pdf: empty file",
    "html-error-page.pdf": "html-error-page.pdf: not a PDF (starts with '<!DOCTYPE html>",
    "encrypted.pdf": "encrypted.pdf: encrypted PDF (use --password)",
    "image-only.pdf": "image-only.pdf: no text layer; OCR is not supported",
    "no-table.pdf": "no-table.pdf: no ISCM events table found",
    "missing-column.pdf": "missing-column.pdf: table header lacks required column 'Place'; "
    "headers found: 'ISCM', 'Date', 'Event / Title', 'Outcome'; "
    "no header found is near an alias of place",
    "bomb-flate.pdf": "bomb-flate.pdf: page 1: a stream inflates past the limit",
    "endless-content.pdf": "endless-content.pdf: timed out after",
    **{p.name: f"{p.name}: truncated or corrupt PDF" for p in TRUNCATED},
}
# hostile but well-formed: a clean parse or a clean error, either is fine
EITHER = {"deep-nesting.pdf"}
# good tables (with traps for the reader of the outputs, not for the parser)
GOOD = {"actions.pdf", "formula-cells.pdf"}


def error_of(path: Path, **options: Any) -> str | None:
    return process_file(path, Options(**options)).document.error


def test_every_bad_fixture_is_known() -> None:
    assert {p.name for p in BAD.glob("*.pdf")} == set(EXPECTED) | EITHER | GOOD
    for p in BAD.glob("*.pdf"):
        assert p.stat().st_size < 200_000, f"{p.name}: fixtures stay small"


def test_empty_file() -> None:
    assert error_of(BAD / "empty.pdf") == EXPECTED["empty.pdf"]


def test_html_error_page_saved_as_pdf() -> None:
    error = error_of(BAD / "html-error-page.pdf")
    assert error is not None and error.startswith(EXPECTED["html-error-page.pdf"])


@pytest.mark.parametrize("path", TRUNCATED, ids=lambda p: p.name)
def test_truncated_pdf_is_an_error_never_a_partial_table(path: Path) -> None:
    result = process_file(path, Options())
    assert result.document.error is not None
    assert result.document.error.startswith(f"{path.name}: truncated or corrupt PDF")
    assert result.records == [] and result.rejects == []


def test_truncation_pdfminer_recovers_from_is_still_an_error() -> None:
    """A range cut out of the middle: pdfminer rebuilds the xref by scanning and finds
    all pages, but objects they use are gone."""
    error = error_of(BAD / "truncated-spliced.pdf")
    assert error is not None and "truncated or corrupt PDF (object" in error


def test_page_tree_count_must_match_pages_found(tmp_path: Path) -> None:
    data = RAW_PDF.read_bytes()
    assert b"/Count 4" in data
    lying = tmp_path / "lying-count.pdf"
    lying.write_bytes(data.replace(b"/Count 4", b"/Count 5", 1))
    assert error_of(lying) == (
        "lying-count.pdf: truncated or corrupt PDF (page tree counts 5 pages, 4 found)"
    )


def test_encrypted_pdf_needs_the_password() -> None:
    path = BAD / "encrypted.pdf"
    assert error_of(path) == EXPECTED["encrypted.pdf"]
    assert error_of(path, password="not-it") == "encrypted.pdf: wrong password"
    opened = process_file(path, Options(password="secret"))
    assert opened.document.error is None
    assert [r["place"] for r in opened.records] == ["Geneva, Switzerland", "Istanbul, Turkey"]


def test_image_only_pdf() -> None:
    assert error_of(BAD / "image-only.pdf") == EXPECTED["image-only.pdf"]


def test_pdf_without_the_events_table() -> None:
    assert error_of(BAD / "no-table.pdf") == EXPECTED["no-table.pdf"]


def test_header_lacking_a_required_column_names_it() -> None:
    assert error_of(BAD / "missing-column.pdf") == EXPECTED["missing-column.pdf"]


def test_decompression_bomb_fails_fast_and_small() -> None:
    started = time.monotonic()
    error = error_of(BAD / "bomb-flate.pdf")
    assert error is not None and error.startswith(EXPECTED["bomb-flate.pdf"])
    assert "decompression bomb" in error
    assert time.monotonic() - started < 20


def test_deeply_nested_objects_do_not_crash() -> None:
    result = process_file(BAD / "deep-nesting.pdf", Options())
    error = result.document.error
    assert error is None or ("\n" not in error and "internal error" not in error)


def test_endless_content_stream_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    results, _ = run_pipeline(
        [BAD / "endless-content.pdf", RAW_PDF], tmp_path, Options(workers=2, timeout=3)
    )
    assert time.monotonic() - started < 30
    assert results[0].document.error == "endless-content.pdf: timed out after 3 s (worker killed)"
    assert results[1].document.error is None and len(results[1].records) == 20


def test_page_and_character_limits() -> None:
    assert error_of(RAW_PDF, limits=Limits(max_pages=3)) == (
        f"{RAW_PDF.name}: 4 pages exceed the limit of 3"
    )
    error = error_of(RAW_PDF, limits=Limits(max_chars_per_page=100))
    assert error is not None and error.startswith(f"{RAW_PDF.name}: page 1: ")
    assert error.endswith("characters exceed the limit of 100")


# --------------------------------------------------------------------------- workers


def _sabotage(monkeypatch: pytest.MonkeyPatch, victim: str, action: Any) -> None:
    """read_page does `action` for the victim file only (the workers are forked, so
    they inherit the patch)."""
    real = pipeline.extract.read_page

    def read_page(page: Any, pageno: int, name: str, *args: Any, **kwargs: Any) -> Any:
        if name == victim:
            action()
        return real(page, pageno, name, *args, **kwargs)

    monkeypatch.setattr(pipeline.extract, "read_page", read_page)


def _run_with_victim(tmp_path: Path, **options: Any) -> list[FileResult]:
    victim = tmp_path / "victim.pdf"
    # other bytes than RAW_PDF (a trailing comment), or the run would parse the pair once
    victim.write_bytes(RAW_PDF.read_bytes() + b"\n% victim\n")
    results, report = run_pipeline([victim, RAW_PDF], tmp_path / "out", Options(**options))
    assert [e["error"] is None for e in report["inputs"]] == [False, True]
    assert results[1].document.error is None and len(results[1].records) == 20
    assert (tmp_path / "out" / "events.csv").read_text(encoding="utf-8").count("\n") == 21
    return results


def test_slow_page_reader_hits_the_timeout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _sabotage(monkeypatch, "victim.pdf", lambda: time.sleep(60))
    started = time.monotonic()
    results = _run_with_victim(tmp_path, workers=2, timeout=2)
    assert time.monotonic() - started < 20
    assert results[0].document.error == "victim.pdf: timed out after 2 s (worker killed)"


def test_memory_error_in_worker_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _sabotage(monkeypatch, "victim.pdf", lambda: bytearray(64 << 30))  # 64 GiB
    results = _run_with_victim(tmp_path, workers=1)
    assert results[0].document.error == "victim.pdf: memory limit exceeded (4096 MB)"


def test_worker_killed_like_by_the_oom_killer_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _sabotage(monkeypatch, "victim.pdf", lambda: os.kill(os.getpid(), signal.SIGKILL))
    results = _run_with_victim(tmp_path, workers=1)
    assert results[0].document.error == (
        "victim.pdf: worker died (killed by signal 9 (SIGKILL: out of memory?))"
    )


def test_internal_error_is_one_line_with_traceback_only_on_request(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom() -> None:
        raise RuntimeError("a bug")

    real = pipeline.runner.clean_extraction

    def clean(extraction: Any, profile: Any) -> Any:
        if extraction.document.source_file == "victim.pdf":
            boom()
        return real(extraction, profile)

    monkeypatch.setattr(pipeline.runner, "clean_extraction", clean)
    results = _run_with_victim(tmp_path, workers=1)
    assert results[0].document.error == "victim.pdf: internal error (RuntimeError: a bug)"
    assert results[0].traceback is not None and "Traceback" in results[0].traceback
    capsys.readouterr()
    _report_failures(results, False)
    quiet = capsys.readouterr().err
    assert quiet == "error: victim.pdf: internal error (RuntimeError: a bug)\n"
    _report_failures(results, True)  # -v
    verbose = capsys.readouterr().err
    assert verbose.startswith(quiet) and "Traceback (most recent call last)" in verbose
    assert "RuntimeError: a bug" in verbose.rstrip().splitlines()[-1]


# --------------------------------------------------------------------------- one run


def test_one_run_over_every_bad_file_and_a_good_one(tmp_path: Path) -> None:
    """One line per bad file on stderr, exit status 1, and the good PDF's events out."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(BAD),
            str(RAW_PDF),
            "--out",
            str(out),
            "--timeout",
            "5",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    by_file = {ln.split(": ")[1]: ln for ln in errors}
    assert len(by_file) == len(errors), "one line per bad file"
    for name, reason in EXPECTED.items():
        assert by_file.pop(name).startswith(f"error: {reason}"), name
    assert set(by_file) <= EITHER, by_file
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    entries = {e["source_file"]: e for e in report["inputs"]}
    assert len(entries) == len(list(BAD.glob("*.pdf"))) + 1
    assert all(entries[name]["error"] for name in EXPECTED)
    assert entries[RAW_PDF.name]["error"] is None and entries[RAW_PDF.name]["events_written"] == 20
    with (out / "events.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_source: dict[str, int] = {}
    for r in rows:
        by_source[r["source_file"]] = by_source.get(r["source_file"], 0) + 1
    assert by_source == {RAW_PDF.name: 20, "actions.pdf": 2, "formula-cells.pdf": 2}
