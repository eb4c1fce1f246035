"""Dependencies and outputs that cannot be turned against users (issue 4)."""

from __future__ import annotations

import csv
import socket
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from pipeline.runner import Options, process_file
from tests.conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad"
# releases below these have known vulnerabilities
KNOWN_FIXED = {
    "pdfminer.six": ("20251107", "CVE-2025-64512: pickle deserialisation in CMap loading"),
}


def _requirements() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = [Requirement(r) for r in data["project"]["dependencies"]]
    return {r.name.lower(): r for r in reqs}


def _lower_bound(req: Requirement) -> Version | None:
    bounds = [Version(s.version) for s in req.specifier if s.operator in (">=", "==", "~=")]
    return max(bounds) if bounds else None


@pytest.mark.parametrize("name", list(KNOWN_FIXED))
def test_lower_bound_excludes_vulnerable_releases(name: str) -> None:
    fixed, why = KNOWN_FIXED[name]
    req = _requirements()[name]
    bound = _lower_bound(req)
    assert bound is not None and bound >= Version(fixed), f"{req}: needs >= {fixed} ({why})"
    assert Version(version(name)) >= Version(fixed), f"installed {name} {version(name)}: {why}"


def test_installed_versions_meet_every_lower_bound() -> None:
    for name, req in _requirements().items():
        assert req.specifier.contains(version(name), prereleases=True), (name, version(name))


def test_nothing_in_a_pdf_is_fetched_or_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """actions.pdf has a Launch action (runs a program), a URI link and a reference
    XObject whose content is at a URL. Parsing it opens no socket and starts no process."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the parser tried to reach out: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr("os.system", refuse)
    monkeypatch.setattr("os.execv", refuse)
    monkeypatch.setattr("webbrowser.open", refuse)
    data = (BAD / "actions.pdf").read_bytes()
    for marker in [b"/S /Launch", b"/S /URI", b"/Ref << /F << /FS /URL"]:
        assert marker in data
    result = process_file(BAD / "actions.pdf", Options())
    assert result.document.error is None
    assert len(result.records) == 2


def _run(pdf: Path, out: Path, *flags: str) -> list[dict[str, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(pdf), "--out", str(out), *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    with (out / "events.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_safe_csv_neutralises_formulas(tmp_path: Path) -> None:
    pdf = BAD / "formula-cells.pdf"
    plain = _run(pdf, tmp_path / "plain")
    safe = _run(pdf, tmp_path / "safe", "--safe-csv")
    cells = [(r["title"], r["outcome"]) for r in plain]
    assert [c[0][0] + c[1][0] for c in cells] == ["=+", "@-"]  # as printed, by default
    for row_plain, row_safe in zip(plain, safe, strict=True):
        for column, value in row_plain.items():
            expected = "'" + value if value[:1] in ("=", "+", "-", "@") else value
            assert row_safe[column] == expected, column
    # Parquet is typed data, not a spreadsheet: always the text as printed
    titles = [r["title"] for r in pq.read_table(tmp_path / "safe" / "events.parquet").to_pylist()]
    assert titles == [r["title"] for r in plain]
