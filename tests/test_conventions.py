"""Conventions of the files and folders a user hands the tool or gets back: folder search,
identical inputs, file modes, CSV for Excel. Through the CLI where it is about the CLI."""

from __future__ import annotations

import csv
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from pipeline.errors import UsageError
from pipeline.runner import distinct_inputs, find_inputs
from tests.conftest import RAW_PDF, ROOT


def _cli(*args: str | Path, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def preexec() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        preexec_fn=preexec,
    )


def _touch_pdf(path: Path, content: bytes = b"%PDF-1.4\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_folder_search_is_recursive_case_insensitive_sorted_and_skips_hidden(
    tmp_path: Path,
) -> None:
    a = _touch_pdf(tmp_path / "b.pdf", b"1")
    b = _touch_pdf(tmp_path / "A.PDF", b"2")
    c = _touch_pdf(tmp_path / "sub" / "c.Pdf", b"3")
    _touch_pdf(tmp_path / "._b.pdf", b"4")  # macOS resource fork
    _touch_pdf(tmp_path / ".hidden" / "d.pdf", b"5")
    (tmp_path / "notes.txt").write_text("not a pdf")
    assert find_inputs([tmp_path]) == [b, a, c]


def test_a_file_named_twice_is_one_input_and_an_empty_folder_is_an_error(
    tmp_path: Path,
) -> None:
    a = _touch_pdf(tmp_path / "a.pdf")
    assert find_inputs([a, tmp_path / "." / "a.pdf"]) == [a]
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no PDF files in this folder"):
        find_inputs([tmp_path / "empty"])


def test_identical_bytes_keep_the_least_nested_path_in_first_place(tmp_path: Path) -> None:
    deep = _touch_pdf(tmp_path / "archive" / "old" / "x.pdf", b"same")
    other = _touch_pdf(tmp_path / "y.pdf", b"other")
    top = _touch_pdf(tmp_path / "x.pdf", b"same")
    missing = tmp_path / "gone.pdf"
    distinct, copies = distinct_inputs([deep, other, top, missing])
    assert distinct == [top, other, missing]
    assert copies == {top: [deep]}


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_outputs_honour_the_umask(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "out"
    assert _cli("run", RAW_PDF, "--out", out, "--no-cache", umask=umask).returncode == 0
    for name in ("events.csv", "events.parquet", "report.json", "datapackage.json"):
        mode = stat.S_IMODE((out / name).stat().st_mode)
        assert mode == 0o666 & ~umask, (name, oct(mode))


def test_csv_bom_for_excel_keeps_the_package_valid(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_PDF, raw / "release.pdf")
    plain, bom = tmp_path / "plain", tmp_path / "bom"
    assert _cli("run", raw, "--out", plain, "--no-cache").returncode == 0
    assert _cli("run", raw, "--out", bom, "--no-cache", "--csv-bom").returncode == 0
    for name in ("events.csv", "event_iscms.csv", "documents.csv", "rejects.csv"):
        data = (bom / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert data[3:] == (plain / name).read_bytes(), name
        assert not (plain / name).read_bytes().startswith(b"\xef\xbb\xbf")
    with (bom / "events.csv").open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f))[0] == "event_id"
    report = frictionless.validate(bom / "datapackage.json")
    assert report.valid, report.flatten(["type", "fieldName", "note"])[:5]


def test_no_merge_conflict_markers_are_left_in_the_repository() -> None:
    """A merge once committed its markers into the README: nothing runs the README, so
    no other test saw them. (A line of seven "=" alone is a Markdown heading's rule.)"""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    if not tracked:  # not a git checkout (an sdist): nothing to check
        return
    marker = re.compile(r"^(<{7}|>{7}) ", re.M)
    found = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".pdf", ".parquet", ".png", ".xlsx", ".docx"} or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{name}:{text[: m.start()].count(chr(10)) + 1}" for m in marker.finditer(text)]
    assert found == []
