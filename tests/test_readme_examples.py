"""The README's many-releases examples run as printed, and print what the README shows.

The shell block builds an output of three releases and a byte-identical copy; each
``python`` block marked ``<!-- readme-example: releases -->`` then runs on it, and its
stdout must equal the ``text`` block that follows it in the README."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Many releases") :]
SECTION = SECTION[: SECTION.index("\n## ", 1)]
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)
MARK = "<!-- readme-example: releases -->"


def _blocks(text: str) -> list[tuple[str, str, int]]:
    return [(m.group(1), m.group(2), m.start()) for m in BLOCK.finditer(text)]


def _examples() -> list[tuple[str, str]]:
    """(python code, expected stdout) for each marked block."""
    blocks = _blocks(SECTION)
    out = []
    for i, (lang, code, start) in enumerate(blocks):
        if lang == "python" and SECTION[:start].rstrip().endswith(MARK):
            assert blocks[i + 1][0] == "text", "a marked example needs its output after it"
            out.append((code, blocks[i + 1][1]))
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's shell block, run as printed in a folder that has the repository's
    raw/ and tests/ and a .venv/bin/iom-pipeline running this interpreter."""
    work = tmp_path_factory.mktemp("readme")
    for name in ("raw", "tests"):
        (work / name).symlink_to(ROOT / name)
    script = work / ".venv" / "bin" / "iom-pipeline"
    script.parent.mkdir(parents=True)
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline "$@"\n')
    script.chmod(0o755)
    (lang, shell, _), (lang2, expected, _) = _blocks(SECTION)[:2]
    assert (lang, lang2) == ("sh", "text")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        ["bash", "-e", "-c", shell], cwd=work, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == expected
    return work


def test_the_readme_has_tested_examples() -> None:
    assert len(_examples()) >= 2


@pytest.mark.parametrize("number", range(len(_examples())))
def test_readme_example_prints_what_the_readme_shows(workdir: Path, number: int) -> None:
    code, expected = _examples()[number]
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
