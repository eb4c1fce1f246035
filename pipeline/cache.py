"""cache: rerunning over an archive of releases re-parses only new or changed PDFs.

A parsed input's result (``runner.FileResult``: document facts, records, rejects) is
stored under ``DIR/.cache/`` keyed by

* the PDF's sha256 (its bytes, not its name or date: a renamed file still hits, an
  edited one misses),
* the package version and a digest of the package's source files (a new parser may
  parse differently, and while developing the version number does not move),
* the profile's name and the sha256 of its TOML text (an edited alias or field
  invalidates it), and the resource limits (a stricter limit must be able to fail),
* the OCR settings; and for a PDF with pages read by OCR, Tesseract's version, kept in
  the entry and compared on a hit (another Tesseract reads a scan differently). Asking
  Tesseract its version costs a subprocess, so a run whose PDFs have a text layer never
  asks.

Failed inputs are never cached: they are retried on every run. A hit is re-stamped with
the file's current path and name, so the outputs are identical with and without the
cache; only ``report.json`` tells them apart (``cached``, ``seconds``).

Entries are JSON, never pickles: whoever can write to the cache folder can at worst make
a rerun report wrong data for a PDF it already parsed (so do not share ``--cache-dir``
with people you do not trust), but cannot run code. An entry that cannot be read (a
truncated file, an older format) is a miss and is overwritten.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.emit import atomic_path
from pipeline.extract import sha256_file
from pipeline.model import Document
from pipeline.profiles import load_profile, profile_text
from pipeline.read.ocr import tesseract_version
from pipeline.runner import FileResult, Options, parse_inputs
from pipeline.stagefiles import (
    document_from_json,
    document_to_json,
    record_from_json,
    record_to_json,
    reject_from_json,
)

log = logging.getLogger("pipeline")

CACHE_FORMAT = 3
"""Bump when the stored structure changes, so old entries miss instead of breaking."""


@functools.cache
def code_digest() -> str:
    """sha256 of the package's own source: a parser change between two runs of the same
    version (a developer's working tree, a patched install) must not reuse old results."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def profile_digest(name: str) -> str:
    """sha256 of the profile's TOML text, built-in or a user's file (an edit changes it)."""
    return hashlib.sha256(profile_text(name).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ResultCache:
    folder: Path
    options: Options

    @property
    def _salt(self) -> str:
        o = self.options
        return "\0".join(
            [
                str(CACHE_FORMAT),
                __version__,
                code_digest(),
                load_profile(o.profile).name,
                profile_digest(o.profile),
                repr(dataclasses.astuple(o.limits)),
                o.engine,
                # scans: whether and how pages are OCR'd (by which Tesseract: in the entry)
                repr(dataclasses.astuple(o.ocr)),
                # an encrypted PDF parsed with its password is not served without it
                hashlib.sha256((o.password or "").encode()).hexdigest(),
            ]
        )

    def entry(self, sha256: str) -> Path:
        key = hashlib.sha256(f"{self._salt}\0{sha256}".encode()).hexdigest()
        return self.folder / f"{key[:32]}.json"

    def get(self, path: Path, sha256: str) -> FileResult | None:
        entry = self.entry(sha256)
        if not entry.is_file():
            return None
        try:
            stored = json.loads(entry.read_text(encoding="utf-8"))
            if stored.get("format") != CACHE_FORMAT or stored.get("sha256") != sha256:
                return None
            if stored["tesseract"] is not None and stored["tesseract"] != tesseract_version():
                return None
            result = FileResult(
                document_from_json(stored["document"]),
                [record_from_json(r) for r in stored["records"]],
                [reject_from_json(r) for r in stored["rejects"]],
            )
        except Exception as exc:  # unreadable entry: a miss, rewritten after parsing
            log.debug("cache: ignoring unreadable %s (%s)", entry.name, exc)
            return None
        return _restamp(result, path)

    def put(self, result: FileResult) -> None:
        d = result.document
        if d.error is not None or result.traceback is not None or not d.sha256:
            return
        stored = {
            "format": CACHE_FORMAT,
            "sha256": d.sha256,
            "tesseract": _tesseract_used(d),
            "document": document_to_json(d),
            "records": [record_to_json(r) for r in result.records],
            "rejects": [dataclasses.asdict(r) for r in result.rejects],
        }
        try:
            with atomic_path(self.entry(d.sha256)) as tmp:
                tmp.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:  # a read-only or full disk costs speed, not the run
            log.warning("cache: cannot write %s (%s)", self.folder, exc.strerror or exc)


def _tesseract_used(document: Document) -> str | None:
    """The version of the Tesseract that read the document's scanned pages; None when no
    page was OCR'd (then no Tesseract can read it differently)."""
    return tesseract_version() if document.counts.get("ocr_pages", 0) else None


def _restamp(result: FileResult, path: Path) -> FileResult:
    """The stored result as if this file had just been parsed: its path and name."""
    name = path.name
    doc = dataclasses.replace(result.document, path=str(path), source_file=name)
    records = [{**r, "source_file": name} if "source_file" in r else r for r in result.records]
    rejects = [dataclasses.replace(r, source_file=name) for r in result.rejects]
    return FileResult(doc, records, rejects, cached=True)


def parse_with_cache(
    paths: Sequence[Path],
    options: Options,
    progress: Callable[[FileResult], None] | None,
    cache: ResultCache | None,
) -> list[FileResult]:
    """runner.parse_inputs, but only for the inputs the cache does not hold."""
    if cache is None:
        return parse_inputs(paths, options, progress)
    results: dict[int, FileResult] = {}
    misses: list[int] = []
    for i, path in enumerate(paths):
        started = time.perf_counter()
        try:
            sha = sha256_file(path)
        except OSError:
            sha = ""
        hit = cache.get(path, sha) if sha else None
        if hit is None:
            misses.append(i)
            continue
        hit.document.seconds = round(time.perf_counter() - started, 3)
        results[i] = hit
        if progress is not None:
            progress(hit)
    parsed = parse_inputs([paths[i] for i in misses], options, progress) if misses else []
    for i, result in zip(misses, parsed, strict=True):
        cache.put(result)
        results[i] = result
    if len(misses) < len(paths):
        log.info(
            "%d of %d PDFs unchanged, taken from the cache", len(paths) - len(misses), len(paths)
        )
    return [results[i] for i in range(len(paths))]
