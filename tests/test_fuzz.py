"""Fuzzing (issue 4): mutated fixture PDFs never crash, hang or corrupt the report.

Mutants (bit flips, truncation at random offsets, duplicated and deleted byte ranges,
shuffled objects, and combinations) are made with a seeded RNG and run through ONE CLI
invocation (a folder of mutants), so start-up is paid once. Asserted: exit status 0 or 1,
no traceback, report.json valid JSON with one entry per input, one error line per failed
input, no input over the timeout.

The bounded run is in the normal suite; ``make test-slow`` runs the long one, with
``FUZZ_MUTANTS`` mutants (default 1000) and seed ``FUZZ_SEED``.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, RAW_PDF, ROOT, fixture_entries

TIMEOUT = 10.0
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b.*?endobj", re.S)


def sources() -> list[Path]:
    """Every fixture PDF in the manifest that exists, plus the small good bad-fixtures."""
    found = [ROOT / e["pdf"] for e in fixture_entries()]
    found += [FIXTURES / "bad" / n for n in ("formula-cells.pdf", "actions.pdf", "encrypted.pdf")]
    return sorted({p for p in found if p.is_file()} | {RAW_PDF})


def generic_sources() -> list[Path]:
    """What the generic profile reads: the real PDFs nobody here made (ruled, unruled,
    rotated, RTL) and the fixtures also run through it."""
    found = [ROOT / e["pdf"] for e in fixture_entries() if e.get("generic")]
    found += sorted((FIXTURES / "realworld").glob("*.pdf"))
    return sorted(p for p in set(found) if p.is_file())


def bit_flips(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 32)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def duplicate_range(data: bytes, rng: random.Random) -> bytes:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 4096))
    at = rng.randrange(len(data))
    return data[:at] + data[a:b] + data[at:]


def delete_range(data: bytes, rng: random.Random) -> bytes:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 4096))
    return data[:a] + data[b:]


def shuffle_objects(data: bytes, rng: random.Random) -> bytes:
    spans = [m.span() for m in _OBJ.finditer(data)]
    if len(spans) < 2:
        return bit_flips(data, rng)
    bodies = [data[a:b] for a, b in spans]
    rng.shuffle(bodies)
    out = bytearray(data[: spans[0][0]])
    for k, (_a, b) in enumerate(spans):
        out += bodies[k]
        out += data[b : spans[k + 1][0]] if k + 1 < len(spans) else data[b:]
    return bytes(out)


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    bit_flips,
    truncate,
    duplicate_range,
    delete_range,
    shuffle_objects,
]


def make_mutants(
    folder: Path, count: int, seed: int, originals_from: list[Path] | None = None
) -> dict[str, str]:
    """`count` mutant PDFs in `folder`; returns file name -> how it was made."""
    rng = random.Random(seed)
    originals = {p: p.read_bytes() for p in (originals_from or sources())}
    made: dict[str, str] = {}
    for k in range(count):
        source = rng.choice(sorted(originals))
        data = originals[source]
        steps = rng.choices(MUTATIONS, k=rng.choice([1, 1, 1, 2, 3]))
        for step in steps:
            data = step(data, rng) or data[:1]
        name = f"mutant-{k:05d}.pdf"
        (folder / name).write_bytes(data)
        made[name] = f"{source.name}: {'+'.join(s.__name__ for s in steps)}"
    return made


def fuzz(tmp_path: Path, count: int, seed: int, profile: str = "iscm-events") -> dict[str, Any]:
    inputs = tmp_path / "mutants"
    inputs.mkdir()
    originals = generic_sources() if profile == "generic" else sources()
    made = make_mutants(inputs, count, seed, originals)
    out = tmp_path / "out"
    workers = max(1, len(os.sched_getaffinity(0)))
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(inputs),
            "--out",
            str(out),
            "--timeout",
            str(TIMEOUT),
            "--workers",
            str(workers),
            "--profile",
            profile,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60 + count * TIMEOUT,
        check=False,
    )
    wall = time.monotonic() - started
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    entries = report["inputs"]
    # every mutant is reported: parsed, or (two mutations can give the same bytes) named
    # as a copy of the one parsed; in input order
    names = [e["source_file"] for e in entries]
    copies = [Path(c).name for e in entries for c in e["copies"]]
    assert sorted(names + copies) == sorted(made)
    assert names == sorted(names)
    failed = [e for e in entries if e["error"]]
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == len(failed), "one error line per failed input"
    for line, e in zip(errors, failed, strict=True):
        assert line == f"error: {e['error']}"
        assert "\n" not in e["error"]
    for e in entries:
        assert e["seconds"] is None or e["seconds"] <= TIMEOUT + 5, e
        if e["error"] is None:
            assert e["physical_rows"] == (
                e["header_rows_dropped"]
                + e["furniture_rows_dropped"]
                + e["continuation_rows_merged"]
                + e["events_written"]
                + e["rows_rejected"]
            ), e
    assert proc.returncode == (1 if failed or any(e["rows_rejected"] for e in entries) else 0)
    kinds = Counter(_kind(e["error"]) for e in entries)
    return {
        "count": count,
        "seed": seed,
        "wall": round(wall, 1),
        "kinds": kinds,
        "internal": [
            (e["source_file"], made[e["source_file"]], e["error"])
            for e in entries
            if e["error"] and "internal error" in e["error"]
        ],
    }


def _kind(error: str | None) -> str:
    if error is None:
        return "parsed"
    reason = error.split(": ", 1)[1]
    reason = re.sub(r"^page \d+: ", "", reason)
    return re.split(r" \(|:", reason)[0]


def test_fuzz_bounded(tmp_path: Path) -> None:
    result = fuzz(tmp_path, count=int(os.environ.get("FUZZ_BOUNDED", "150")), seed=20260107)
    print(result)
    assert result["internal"] == [], "a mutant hit a bug, not a named reason"
    # the mutants exercise both outcomes: some still parse, some fail with a reason
    assert 0 < result["kinds"]["parsed"] < result["count"], result["kinds"]


def test_fuzz_bounded_generic(tmp_path: Path) -> None:
    """The generic profile's paths (grids, unruled tables found by alignment, turned
    pages, several tables a page) on mutants of the real PDFs nobody here made."""
    count = int(os.environ.get("FUZZ_BOUNDED_GENERIC", "120"))
    result = fuzz(tmp_path, count=count, seed=20261207, profile="generic")
    print(result)
    assert result["internal"] == [], "a mutant hit a bug, not a named reason"
    assert 0 < result["kinds"]["parsed"] < result["count"], result["kinds"]


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["iscm-events", "generic"])
def test_fuzz_long(tmp_path: Path, profile: str) -> None:
    count = int(os.environ.get("FUZZ_MUTANTS", "1000"))
    seed = int(os.environ.get("FUZZ_SEED", "4"))
    result = fuzz(tmp_path, count=count, seed=seed, profile=profile)
    print(json.dumps({**result, "kinds": dict(result["kinds"].most_common())}, indent=1))
    assert result["internal"] == [], "a mutant hit a bug, not a named reason"
