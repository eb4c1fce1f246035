"""-v gives debug logging of what each stage decided, page by page (issue 12), also from
the worker processes the stages run in; without -v nothing new is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, RAW_PDF, cli

REJECTS_PDF = FIXTURES / "pdfs" / "rl-rejects-a4-landscape.pdf"


@pytest.fixture(scope="module")
def verbose(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Two inputs, two workers: each file is parsed in its own forked worker."""
    out = tmp_path_factory.mktemp("verbose")
    proc = cli("run", str(REJECTS_PDF), str(RAW_PDF), "--out", str(out), "--workers", "2", "-v")
    assert proc.returncode == 1, proc.stderr  # the rejects fixture has rejected rows
    return proc.stderr.splitlines()


def test_header_found_with_page_position_and_columns(verbose: list[str]) -> None:
    assert (
        "pipeline.extract: rl-rejects-a4-landscape.pdf: page 1: table 1 header found at "
        "y=133.0, columns: ISCM | Date | Place | Event / Title | Outcome"
    ) in verbose
    assert any(
        ln.startswith("pipeline.extract: iom-iscm-events-2016-2017.pdf: page 1: table 1 header")
        for ln in verbose
    ), "the second worker's messages reach stderr too"


def test_rows_kept_and_dropped_per_page(verbose: list[str]) -> None:
    assert (
        "pipeline.clean: rl-rejects-a4-landscape.pdf: page 2: 7 rows kept, 1 dropped "
        "(header 'ISCM Date Place Event / Title Outcome')"
    ) in verbose
    pages = {ln.split(": page ")[1].split(":")[0] for ln in verbose if " rows kept" in ln}
    assert pages == {"1", "2", "3", "4"}


def test_rows_repaired_across_pages(verbose: list[str]) -> None:
    assert (
        "pipeline.clean: iom-iscm-events-2016-2017.pdf: page 2: row repaired across pages: "
        "continues row 5 of page 1"
    ) in verbose


def test_rejected_rows_and_why(verbose: list[str]) -> None:
    assert (
        "pipeline.clean: rl-rejects-a4-landscape.pdf: page 1: row 5 rejected in clean: "
        "unrecognised date \"Spring 2017\": unexpected 'spring'"
    ) in verbose
    assert (
        'pipeline.clean: rl-rejects-a4-landscape.pdf: page 2: row 11 rejected in clean: no '
        'country found in place "Online"'
    ) in verbose


def test_refused_header_candidate_is_logged(tmp_path: Path) -> None:
    proc = cli("run", str(FIXTURES / "bad" / "missing-column.pdf"), "--out", str(tmp_path), "-v")
    assert any(
        "page 1: header candidate refused: table header lacks required column 'Place'" in ln
        for ln in proc.stderr.splitlines()
    ), proc.stderr


def test_without_v_nothing_new_is_printed(tmp_path: Path) -> None:
    proc = cli("run", str(REJECTS_PDF), "--out", str(tmp_path), "--workers", "2")
    assert proc.stderr.splitlines() == ["1 PDFs, 12 events, 2 rejected, 0 failed"]
