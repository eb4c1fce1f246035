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
import zlib
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
    "image-only.pdf": "image-only.pdf: no text layer, and OCR read no text on its pages",
    "no-table.pdf": "no-table.pdf: no ISCM events table found",
    "missing-column.pdf": "missing-column.pdf: table header lacks required column 'Place'; "
    "headers found: 'ISCM', 'Date', 'Event / Title', 'Outcome'; "
    "no header found is near an alias of place",
    "bomb-flate.pdf": "bomb-flate.pdf: page 1: a stream inflates past the limit",
    "endless-content.pdf": "endless-content.pdf: page 1: content stream over 32 MB",
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


def test_endless_content_stream_stops_on_the_content_limit(tmp_path: Path) -> None:
    """Default settings: 42 MB of drawing operators stop on the content limit, checked on
    the stream bytes before pdfminer builds an object per operator (which ran the worker
    out of memory after ~100 s), not on the timeout or the memory cap."""
    started = time.monotonic()
    results, _ = run_pipeline([BAD / "endless-content.pdf", RAW_PDF], tmp_path, Options(workers=2))
    assert time.monotonic() - started < 30
    assert results[0].document.error == EXPECTED["endless-content.pdf"]
    assert results[1].document.error is None and len(results[1].records) == 20


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_operator_limit_trips_before_interpretation(engine: str, tmp_path: Path) -> None:
    from tests.fixtures.generators.bad_inputs import endless_content_pdf

    path = tmp_path / "many-operators.pdf"
    path.write_bytes(endless_content_pdf(50_000))  # 150,000 operators, 700 KB
    limits = Limits(max_operations_per_page=100_000)
    assert error_of(path, limits=limits, engine=engine) == (
        "many-operators.pdf: page 1: over 100,000 operations"
    )
    # and the content limit, when it is the smaller one
    limits = Limits(max_content_bytes=1024 * 1024)
    error = error_of(BAD / "endless-content.pdf", limits=limits, engine=engine)
    assert error == "endless-content.pdf: page 1: content stream over 1 MB"


def test_operators_are_counted_outside_strings_names_and_numbers() -> None:
    from pipeline.read.plumber import count_operators

    data = b"BT /F1 12 Tf 72 720 Td (not an op (nested) Tj) Tj [(a) -20 (b)] TJ ET\n"
    data += b"q 1 0 0 1 0 0 cm /Im1 Do Q % a comment re f\n<414243> Tj T* 0 0 m 1 1 l S"
    # BT Tf Td Tj TJ ET, q cm Do Q, Tj T* m l S; strings of 21 + 1 + 1 + 3 bytes
    assert count_operators(data, 100) == (15, 26)
    assert count_operators(data, 5) == (6, 26)  # stops past the limit


def test_strings_for_far_more_chars_than_the_limit_stop_before_reading(tmp_path: Path) -> None:
    from tests.fixtures.generators.bad_inputs import _one_page, _stream

    content = b"BT /F1 1 Tf 0 0 Td (" + b"x" * 5_000_000 + b") Tj ET\n"
    path = tmp_path / "long-string.pdf"
    path.write_bytes(_one_page(_stream(zlib.compress(content), b"/Filter /FlateDecode")))
    started = time.monotonic()
    assert error_of(path) == "long-string.pdf: page 1: characters exceed the limit of 200000"
    assert time.monotonic() - started < 10


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
    assert results[0].document.error == "victim.pdf: timed out after 2 s"


def test_memory_error_in_worker_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _sabotage(monkeypatch, "victim.pdf", lambda: bytearray(64 << 30))  # 64 GiB
    results = _run_with_victim(tmp_path, workers=1)
    assert results[0].document.error == "victim.pdf: ran past the memory limit of 4096 MB"


def test_worker_killed_like_by_the_oom_killer_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _sabotage(monkeypatch, "victim.pdf", lambda: os.kill(os.getpid(), signal.SIGKILL))
    results = _run_with_victim(tmp_path, workers=1)
    assert results[0].document.error == "victim.pdf: the worker was killed (out of memory?)"


def test_parser_crash_is_one_line_naming_no_signal_and_nothing_else_on_stderr(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A segfault in C code (PDFium, a decoder): what happened, not how the worker ended;
    and what the worker printed (warnings, a traceback) never reaches the terminal."""

    def crash() -> None:
        print("noise from the parser", file=sys.stderr, flush=True)
        os.write(2, b"more noise, straight to fd 2\n")
        os.kill(os.getpid(), signal.SIGSEGV)

    _sabotage(monkeypatch, "victim.pdf", crash)
    capfd.readouterr()
    results = _run_with_victim(tmp_path, workers=1)
    assert results[0].document.error == "victim.pdf: the PDF parser crashed on this file"
    assert "noise" not in capfd.readouterr().err
    assert results[0].traceback == f"worker ended by signal {signal.SIGSEGV.value}"  # for -v


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


def _run_cli(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "run", *args, "--out", str(out), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_one_run_over_every_bad_file_and_a_good_one(tmp_path: Path) -> None:
    """Default settings (no --timeout, no limits given): one line per bad file on stderr
    and nothing else, exit status 1, and the good PDF's events out."""
    out = tmp_path / "out"
    started = time.monotonic()
    proc = _run_cli(out, str(BAD), str(RAW_PDF), "--workers", "2")
    assert time.monotonic() - started < 120, "every hostile input stops on a limit, fast"
    assert proc.returncode == 1, proc.stderr
    errors = proc.stderr.splitlines()
    assert all(ln.startswith("error: ") for ln in errors), proc.stderr
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


def test_a_tripped_limit_is_the_only_line_on_stderr(tmp_path: Path) -> None:
    """The one-line guarantee through the CLI, with a limit small enough to trip fast."""
    proc = _run_cli(
        tmp_path / "out", str(BAD / "endless-content.pdf"), "--max-content-mb", "1"
    )
    assert proc.returncode == 1
    assert proc.stderr == "error: endless-content.pdf: page 1: content stream over 1 MB\n"


HOSTILE = ["bomb-flate.pdf", "deep-nesting.pdf", "endless-content.pdf"]


def _outputs(out: Path) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for p in sorted(out.iterdir()):
        if p.name == "report.json":
            report = json.loads(p.read_text(encoding="utf-8"))
            for e in report["inputs"]:
                e.pop("seconds")
            report.pop("seconds")
            files[p.name] = report
        elif p.suffix in (".csv", ".json"):
            files[p.name] = p.read_text(encoding="utf-8")
    return files


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_hostile_inputs_with_default_settings_twice(tmp_path: Path, engine: str) -> None:
    """The hostile inputs, default settings (no limit given): one line each naming its
    cause (a limit, never the memory cap, a signal or a worker), exit 1, nothing else on
    stderr, and the same outputs on a second run. (About 2 s a run.)"""
    runs = []
    for i in range(2):
        out = tmp_path / str(i)
        proc = _run_cli(out, *(str(BAD / name) for name in HOSTILE), "--engine", engine)
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.splitlines()
        assert [ln.split(": ")[1] for ln in lines] == HOSTILE, proc.stderr
        for name, line in zip(HOSTILE, lines, strict=True):
            assert line.startswith(f"error: {EXPECTED.get(name, name)}"), line
            for word in ("signal", "worker", "memory", "internal error", "timed out"):
                assert word not in line, line
        runs.append((proc.stderr, _outputs(out)))
    assert runs[0] == runs[1]


def test_ascii85_decoded_as_pdfminer_decodes_it() -> None:
    """``read.plumber`` decodes ASCII85 streams with numpy where pdfminer loops in
    Python: the same bytes for any data, line breaks and Adobe's framing; the same
    error (or pdfminer's own result) for anything else, "z" groups included."""
    import base64
    import random

    from pdfminer import ascii85

    from pipeline.read.plumber import _ascii85decode

    rng = random.Random(14)

    def outcome(decode: Any, data: bytes) -> Any:
        try:
            return decode(data)
        except Exception as exc:
            return type(exc)

    for n in [*range(0, 40), 1000, 65536]:
        raw = rng.randbytes(n)
        for adobe in (False, True):
            data = base64.a85encode(raw, wrapcol=rng.choice([0, 75]), adobe=adobe)
            assert _ascii85decode(data) == raw == ascii85.ascii85decode(data)
    alphabet = b"!#+5<AZ^_`tuvz~ \n\x0c" + bytes(range(33, 118, 7))
    for _ in range(2000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert outcome(_ascii85decode, data) == outcome(ascii85.ascii85decode, data)


class _Stream:
    """A decoded content stream, as ``check_page_budget`` reads one."""

    def __init__(self, data: bytes) -> None:
        self.data: bytes | None = data
        self.kept = data

    def get_data(self) -> bytes:
        return self.kept


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ([(10, 0)], None),  # far under every limit: never counted
        ([(60, 0), (60, 0)], "over 100 operations"),  # each under, together over
        ([(101, 0), (0, 10_000)], "over 100 operations"),  # the first limit passed wins
        ([(0, 10_000), (101, 0)], "content stream over"),  # ... in stream order
        ([(0, 100), (0, 850)], "characters exceed the limit of 100"),  # 4 bytes a char
    ],
)
def test_page_budget_counts_late_but_reports_the_first_limit_passed(
    sizes: list[tuple[int, int]], expected: str | None
) -> None:
    """Operators are counted only once the streams' sizes could pass a limit; the
    reason is the one counting every stream at once would give."""
    from pipeline.errors import InputError
    from pipeline.read import PageBudget
    from pipeline.read.plumber import check_page_budget

    budget = PageBudget(max_content_bytes=9_000, max_operations=100, max_chars=100)
    streams = [_Stream(b"q\n" * ops + b"(" + b"x" * strings + b")") for ops, strings in sizes]
    if expected is None:
        check_page_budget(streams, budget, "f.pdf", 1)  # type: ignore[arg-type]
        return
    with pytest.raises(InputError, match=expected):
        check_page_budget(streams, budget, "f.pdf", 1)  # type: ignore[arg-type]
