"""Nothing lost, nothing half-written: a run killed at any moment leaves every output file
either complete old or complete new (issue 4).

A real run (a subprocess) writes into a folder holding a previous complete output and is
killed with SIGTERM, SIGINT (sent to the whole process group, like Ctrl-C) or SIGKILL
while parsing and while writing the first, a middle and the last file. A small driver
logs each step (parsing, each temporary file complete but not yet renamed) and blocks at
the step the test names until it is killed, so each kill lands where it is meant to
however loaded the machine: no race against a sleep.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES, RAW_PDF, ROOT

DRIVER = """
import contextlib, os, sys, time
import pipeline.emit as emit
import pipeline.runner as runner

stop_at = int(os.environ["IOM_TEST_STOP_AT"])
log_path = os.environ["IOM_TEST_LOG"]
steps = 0

def step(line):
    # log the step; at the step asked for, block until killed (the log line tells the
    # test that the run is there)
    global steps
    steps += 1
    with open(log_path, "a", encoding="utf-8") as f:
        f.write(line + "\\n")
    while steps == stop_at:
        time.sleep(3600)  # a signal's handler runs (and raises) in here

real_atomic = emit.atomic_path
real_parse = runner.parse_inputs

@contextlib.contextmanager
def slow_atomic(target):
    with real_atomic(target) as tmp:
        yield tmp
        if not target.parent.name.startswith("."):  # outputs, not caches
            step("write " + target.name)  # the temporary file is complete, not renamed

def slow_parse(*args, **kwargs):
    step("parse")
    return real_parse(*args, **kwargs)

emit.atomic_path = slow_atomic
runner.parse_inputs = slow_parse
from pipeline.cli import main
sys.argv = ["iom-pipeline", *sys.argv[1:]]
main()
"""

SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT, "SIGKILL": signal.SIGKILL}
# the step the run blocks at and is killed in: 1 = parsing, 2 = first file written, ...
MOMENTS = {"parsing": 1, "first-write": 2, "middle-write": 5, "last-write": None}


def _normalise(value: Any) -> Any:
    """JSON without what differs from run to run: timings, cache hits."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items() if k not in {"seconds", "cached"}}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def parse_output(path: Path) -> Any:
    """The whole file, parsed (a truncated file fails here)."""
    if path.suffix == ".csv":
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n"), f"{path.name}: truncated"
        return list(csv.reader(io.StringIO(text, newline="")))
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    if path.suffix == ".json":
        return _normalise(json.loads(path.read_text(encoding="utf-8")))
    raise AssertionError(f"unexpected output file {path}")


def snapshot(out: Path) -> dict[str, Any]:
    return {
        str(p.relative_to(out)): parse_output(p)
        for p in sorted(out.rglob("*"))
        # hidden: temporary files and caches, not outputs
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def temp_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two complete outputs: old (one PDF) and new (three PDFs), and the new run's input."""
    base = tmp_path_factory.mktemp("interrupt")
    old_in, new_in = base / "in-old", base / "in-new"
    old_in.mkdir()
    new_in.mkdir()
    shutil.copy(RAW_PDF, old_in)
    for pdf in [RAW_PDF, FIXTURES / "bad" / "formula-cells.pdf", FIXTURES / "bad" / "actions.pdf"]:
        shutil.copy(pdf, new_in)
    outs = {}
    for label, inputs in [("old", old_in), ("new", new_in)]:
        out = base / f"out-{label}"
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outs[label] = out
    old, new = snapshot(outs["old"]), snapshot(outs["new"])
    assert old["events.csv"] != new["events.csv"] and old["report.json"] != new["report.json"]
    driver = base / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    return {"old_dir": outs["old"], "old": old, "new": new, "input": new_in, "driver": driver}


def _wait_for_lines(log: Path, n: int, proc: subprocess.Popen[str], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if log.exists() and len(log.read_text(encoding="utf-8").splitlines()) >= n:
            return
        if proc.poll() is not None:
            raise AssertionError(f"run ended before step {n}: {proc.communicate()}")
        time.sleep(0.01)
    raise AssertionError(f"step {n} not reached")


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("signame", list(SIGNALS))
def test_killed_run_leaves_old_or_new_files(
    versions: dict[str, Any], tmp_path: Path, signame: str, moment: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(versions["old_dir"], out)
    log = tmp_path / "steps.log"
    step = MOMENTS[moment] or 1 + len(versions["new"])  # the last file: report.json
    env = {**os.environ, "IOM_TEST_STOP_AT": str(step), "IOM_TEST_LOG": str(log)}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(versions["driver"]),
            "run",
            str(versions["input"]),
            "--out",
            str(out),
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for_lines(log, step, proc)  # and blocked there
        sig = SIGNALS[signame]
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C: the whole process group
        else:
            proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    steps = log.read_text(encoding="utf-8").splitlines()
    assert proc.returncode == (-9 if sig == signal.SIGKILL else 128 + sig), stderr
    if sig != signal.SIGKILL:
        assert stderr.strip().splitlines()[-1] == f"error: interrupted ({signame})"
        assert "Traceback" not in stderr, stderr
        assert temp_files(out) == [], "temporary files left behind"

    now = snapshot(out)
    old, new = versions["old"], versions["new"]
    assert set(now) == set(old) | set(new) or set(now) == set(old)
    fates = {}
    for name, content in now.items():
        if content == new.get(name):
            fates[name] = "new"
        elif content == old.get(name):
            fates[name] = "old"
        else:
            raise AssertionError(f"{name} is neither the old nor the new file ({steps})")
    if now["report.json"] == new["report.json"]:
        # report.json is written last: when it is new, so is everything else
        assert all(f == "new" or old.get(n) == new.get(n) for n, f in fates.items()), fates
    written = [s.split(" ", 1)[1] for s in steps if s.startswith("write ")]
    for name in written[:-1]:  # renamed before the kill
        assert now[name] == new[name], name
    if moment == "parsing":
        assert all(content == old[name] for name, content in now.items())


def test_rerun_after_a_kill_completes(versions: dict[str, Any], tmp_path: Path) -> None:
    """A SIGKILL can leave a temporary file; the next run still writes everything."""
    out = tmp_path / "out"
    shutil.copytree(versions["old_dir"], out)
    (out / ".events.csv.leftover.tmp").write_text("half", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(versions["input"]), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    now = snapshot(out)
    assert now == versions["new"]
