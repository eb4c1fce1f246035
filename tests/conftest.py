"""Shared fixtures: the pipeline is run once per fixture PDF and the outputs reused."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from pipeline.runner import Options, run_pipeline

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RAW_PDF = ROOT / "raw" / "iom-iscm-events-2016-2017.pdf"


def cli(
    *args: str | Path, cwd: Path = ROOT, timeout: float | None = 300
) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it (``python -m pipeline ARGS``), its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def fixture_entries() -> list[dict[str, Any]]:
    data = tomllib.loads((FIXTURES / "fixtures.toml").read_text(encoding="utf-8"))
    return list(data["fixture"])


_RUNS: dict[tuple[str, str], Path] = {}


@pytest.fixture(scope="session")
def run_fixture(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """run_fixture(pdf, profile) -> output folder of one pipeline run (cached)."""

    def run(pdf: Path, profile: str = "iscm-events") -> Path:
        key = (str(pdf), profile)
        if key not in _RUNS:
            out = tmp_path_factory.mktemp(pdf.stem)
            run_pipeline([pdf], out, Options(profile=profile, workers=1))
            _RUNS[key] = out
        return _RUNS[key]

    return run
