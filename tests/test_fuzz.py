"""Fuzzing (issue 4): mutated fixture PDFs never crash, hang or corrupt the report.

Mutants (bit flips, truncation at random offsets, duplicated and deleted byte ranges,
shuffled objects, and combinations) are made with a seeded RNG and run through ONE CLI
invocation (a folder of mutants), so start-up is paid once. Asserted: exit status 0 or 1,
no traceback, report.json valid JSON with one entry per input, one error line per failed
input, no input over the timeout.

The bounded run is in the normal suite; ``make test-slow`` runs the long one, with
``FUZZ_MUTANTS`` mutants (default 1000) and seed ``FUZZ_SEED``; ``FUZZ_ENGINE=pdfium`` runs
any of them through the PDFium reader.

Scanned input (issue 13) is fuzzed apart: one-page scans (OCR costs seconds a page)
whose image stream is damaged (its JPEG bytes flipped, overwritten or cut short, its
declared size, filter, colour space or depth changed) or whose PDF bytes are, read with
``--ocr auto``; a handful in the normal suite, ``FUZZ_OCR_MUTANTS`` (default 60) in the
slow one.
"""

from __future__ import annotations

import hashlib
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
_CLI_LINE = re.compile(r"(error|note|warning): |\d+ PDFs, \d+ events, ")
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


# --------------------------------------------------------------------------- scans

_IMAGE = re.compile(rb"<<(?:(?!>>).)*?/Subtype\s*/Image(?:(?!>>).)*>>\s*stream\r?\n", re.S)
_LENGTH = re.compile(rb"/Length\s+(\d+)")


def _image_payload(data: bytes) -> tuple[int, int] | None:
    """[start, end) of the first image XObject's stream bytes (the scan's JPEG)."""
    m = _IMAGE.search(data)
    length = _LENGTH.search(m.group(0)) if m else None
    if m is None or length is None:
        return None
    return m.end(), min(len(data), m.end() + int(length.group(1)))


def _in_image(
    data: bytes, rng: random.Random, damage: Callable[[bytes, random.Random], bytes]
) -> bytes:
    """The PDF with its image's bytes damaged in place, their length kept (so the file's
    cross-reference offsets stay right and the image decoder, not the PDF parser, meets
    the damage); the whole file's bits flipped where it has no image left to find."""
    span = _image_payload(data)
    if span is None:
        return bit_flips(data, rng)
    a, b = span
    payload = damage(data[a:b], rng)
    return data[:a] + payload[: b - a].ljust(b - a, b"\0") + data[b:]


def image_bit_flips(data: bytes, rng: random.Random) -> bytes:
    return _in_image(data, rng, bit_flips)


def image_garbage(data: bytes, rng: random.Random) -> bytes:
    """A run of the JPEG overwritten with random bytes (a fax line lost)."""

    def overwrite(jpeg: bytes, r: random.Random) -> bytes:
        a = r.randrange(len(jpeg))
        n = min(len(jpeg) - a, r.randint(1, 20_000))
        return jpeg[:a] + r.randbytes(n) + jpeg[a + n :]

    return _in_image(data, rng, overwrite)


def image_cut_short(data: bytes, rng: random.Random) -> bytes:
    """The JPEG ends early, the rest of its stream zeros (a transfer cut off)."""
    return _in_image(data, rng, lambda jpeg, r: jpeg[: r.randrange(len(jpeg))])


_SWAPS = [
    (rb"/DCTDecode", [b"/JPXDecode", b"/LZWDecode", b"/Flate    "]),
    (rb"/DeviceGray", [b"/DeviceCMYK", b"/DeviceRGB ", b"/Indexed   "]),
    (rb"/BitsPerComponent 8", [b"/BitsPerComponent 1", b"/BitsPerComponent 0"]),
    (rb"/Width \d+", [b"/Width 0", b"/Width 9999999", b"/Width -5"]),
    (rb"/Height \d+", [b"/Height 1", b"/Height 99999999", b"/Height 7"]),
]


def image_dictionary(data: bytes, rng: random.Random) -> bytes:
    """The image's dictionary says something its bytes are not: another filter, colour
    space, depth or size (same length where it can, so offsets stay right)."""
    pattern, replacements = rng.choice(_SWAPS)
    return re.sub(pattern, rng.choice(replacements), data, count=1)


SCAN_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    image_bit_flips,
    image_garbage,
    image_cut_short,
    image_dictionary,
    image_dictionary,
    truncate,
    bit_flips,
]


def one_page_scans(folder: Path) -> list[Path]:
    """The first page of the English and French 200 dpi scans (ruled tables, English and
    French: the second reading for accents, the measured dashes), and the 60 dpi fax
    (too poor to read), as one-page PDFs: OCR takes seconds a page."""
    import io

    import pypdfium2  # type: ignore[import-untyped]

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name in (
        "scan-iom-iscm-events-2016-2017-200dpi",
        "scan-rl-fr-grid-a4-landscape-200dpi",
        "scan-too-poor-60dpi",
    ):
        source = pypdfium2.PdfDocument(str(FIXTURES / "scans" / f"{name}.pdf"))
        page = pypdfium2.PdfDocument.new()
        try:
            page.import_pages(source, [0])
            buffer = io.BytesIO()
            page.save(buffer)
        finally:
            page.close()
            source.close()
        out = folder / f"{name}-p1.pdf"
        out.write_bytes(buffer.getvalue())
        made.append(out)
    return made


def make_mutants(
    folder: Path,
    count: int,
    seed: int,
    originals_from: list[Path] | None = None,
    mutations: list[Callable[[bytes, random.Random], bytes]] = MUTATIONS,
) -> dict[str, str]:
    """`count` mutant PDFs in `folder`; returns file name -> how it was made."""
    rng = random.Random(seed)
    originals = {p: p.read_bytes() for p in (originals_from or sources())}
    made: dict[str, str] = {}
    seen: set[bytes] = set()
    for k in range(count):
        source = rng.choice(sorted(originals))
        data = originals[source]
        steps = rng.choices(mutations, k=rng.choice([1, 1, 1, 2, 3]))
        for step in steps:
            data = step(data, rng) or data[:1]
        # a mutant with an earlier one's bytes is read once, as its copy (report.json:
        # ``copies``), and tests nothing new: flip bits until it differs (the few image
        # dictionary swaps repeat themselves)
        while hashlib.sha256(data).digest() in seen:
            data = bit_flips(data, rng)
            steps.append(bit_flips)
        seen.add(hashlib.sha256(data).digest())
        name = f"mutant-{k:05d}.pdf"
        (folder / name).write_bytes(data)
        made[name] = f"{source.name}: {'+'.join(s.__name__ for s in steps)}"
    return made


def fuzz(
    tmp_path: Path,
    count: int,
    seed: int,
    profile: str = "iscm-events",
    *,
    scans: bool = False,
    timeout: float = TIMEOUT,
) -> dict[str, Any]:
    """Run ``count`` mutants through one CLI invocation and check every promise; with
    ``scans``, mutants of one-page scans (``SCAN_MUTATIONS``), read by OCR."""
    inputs = tmp_path / "mutants"
    inputs.mkdir()
    if scans:
        originals = one_page_scans(tmp_path / "scans")
        made = make_mutants(inputs, count, seed, originals, SCAN_MUTATIONS)
    else:
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
            str(timeout),
            "--workers",
            str(workers),
            "--profile",
            profile,
            "--engine",
            os.environ.get("FUZZ_ENGINE", "pdfplumber"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60 + count * timeout,
        check=False,
    )
    wall = time.monotonic() - started
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    if scans:  # nothing from Tesseract, PDFium or a worker process: only the CLI's lines
        stray = [ln for ln in proc.stderr.splitlines() if not _CLI_LINE.match(ln)]
        assert stray == [], stray[:10]
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
        assert e["seconds"] is None or e["seconds"] <= timeout + 5, e
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
        "ocr_read": sum(bool(e.get("ocr_pages")) for e in entries),
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


OCR_TIMEOUT = 60.0  # a page of JPEG garbage can keep Tesseract busy for a while


def test_fuzz_bounded_scans(tmp_path: Path) -> None:
    """Damaged scans, read by OCR: each gives events or one named reason. A handful
    (about 3 s of OCR a page, 2 workers)."""
    count = int(os.environ.get("FUZZ_BOUNDED_OCR", "8"))
    result = fuzz(tmp_path, count=count, seed=20261213, scans=True, timeout=OCR_TIMEOUT)
    print(result)
    assert result["internal"] == [], "a mutant hit a bug, not a named reason"
    # the OCR path itself is fuzzed: damaged images still reach Tesseract
    assert result["ocr_read"] > 0, result


@pytest.mark.slow
def test_fuzz_long_scans(tmp_path: Path) -> None:
    count = int(os.environ.get("FUZZ_OCR_MUTANTS", "60"))
    seed = int(os.environ.get("FUZZ_SEED", "4"))
    result = fuzz(tmp_path, count=count, seed=seed, scans=True, timeout=OCR_TIMEOUT)
    print(json.dumps({**result, "kinds": dict(result["kinds"].most_common())}, indent=1))
    assert result["internal"] == [], "a mutant hit a bug, not a named reason"
    assert result["ocr_read"] > 0, result
