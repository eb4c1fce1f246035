"""Incremental reruns: unchanged PDFs come from DIR/.cache, and the outputs are the same
byte for byte as a run that parses everything."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import pipeline.cache as cache_module
from pipeline.cache import ResultCache, parse_with_cache
from pipeline.runner import FileResult, Options, find_inputs, write_results
from tests.conftest import RAW_PDF
from tests.conftest import cli as _cli

OPTIONS = Options(workers=2)


@pytest.fixture(scope="module")
def primed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """An archive of two releases (the same table under two names) and a failed download,
    parsed once without a cache (-> fresh/), those results stored in a cache."""
    root = tmp_path_factory.mktemp("cache")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(RAW_PDF, raw / "a-2016-2017.pdf")
    shutil.copy(RAW_PDF, raw / "b-renamed-copy.pdf")
    (raw / "c-broken.pdf").write_text("<html>502 Bad Gateway</html>", encoding="utf-8")
    cache = ResultCache(root / "cache", OPTIONS)
    for result in _run(raw, root / "fresh", None):
        cache.put(result)
    return raw, root / "cache", root / "fresh"


@pytest.fixture
def archive(primed: tuple[Path, Path, Path], tmp_path: Path) -> tuple[Path, ResultCache]:
    """A private copy of the primed archive and cache, for tests that change them."""
    raw, cache_dir, _ = primed
    shutil.copytree(raw, tmp_path / "raw")
    shutil.copytree(cache_dir, tmp_path / "cache")
    return tmp_path / "raw", ResultCache(tmp_path / "cache", OPTIONS)


def _run(raw: Path, out: Path, cache: ResultCache | None) -> list[FileResult]:
    results = parse_with_cache(find_inputs([raw]), OPTIONS, None, cache)
    write_results(out, results, OPTIONS, 0.0)
    return results


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def _report_without_timings(data: bytes) -> Any:
    report = json.loads(data)
    report.pop("seconds")
    for entry in report["inputs"]:
        entry.pop("seconds")
        entry.pop("cached")
    return report


def test_outputs_identical_with_and_without_the_cache(
    primed: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    raw, cache_dir, fresh_out = primed
    warm = _run(raw, tmp_path / "warm", ResultCache(cache_dir, OPTIONS))
    assert [r.cached for r in warm] == [True, True, False]
    fresh, files = _files(fresh_out), _files(tmp_path / "warm")
    assert sorted(files) == sorted(fresh)
    for f in fresh:
        if f == "report.json":
            assert _report_without_timings(files[f]) == _report_without_timings(fresh[f])
        else:
            assert files[f] == fresh[f], f"{f} differs"
    report = json.loads(files["report.json"])
    assert [e["cached"] for e in report["inputs"]] == [True, True, False]
    fresh_report = json.loads(fresh["report.json"])
    assert [e["cached"] for e in fresh_report["inputs"]] == [False, False, False]


def test_only_new_or_changed_files_are_parsed(
    archive: tuple[Path, ResultCache], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, cache = archive
    parsed: list[str] = []
    real = cache_module.parse_inputs

    def spy(paths: Sequence[Path], *args: Any, **kwargs: Any) -> list[FileResult]:
        parsed.extend(p.name for p in paths)
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(cache_module, "parse_inputs", spy)
    shutil.copy(RAW_PDF, raw / "d-new-release.pdf")
    with (raw / "a-2016-2017.pdf").open("ab") as f:
        f.write(b"\n%% appended: the bytes changed\n")
    results = _run(raw, tmp_path / "out", cache)
    # a changed, c failed last time (failures are never cached); b unchanged; d has the
    # bytes of a file already parsed, so it is a hit under its own name
    assert parsed == ["a-2016-2017.pdf", "c-broken.pdf"]
    assert [r.cached for r in results] == [False, True, False, True]
    assert [r.document.source_file for r in results] == sorted(p.name for p in raw.iterdir())
    assert all(rec["source_file"] == "d-new-release.pdf" for rec in results[3].records)
    assert results[0].document.error is None and results[2].document.error


@pytest.mark.parametrize("change", ["profile", "version", "code", "limits"])
def test_a_profile_edit_or_new_version_invalidates(
    archive: tuple[Path, ResultCache], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    raw, cache = archive
    pdf = raw / "a-2016-2017.pdf"
    sha = cache_module.sha256_file(pdf)
    assert cache.get(pdf, sha) is not None
    if change == "profile":
        monkeypatch.setattr(cache_module, "profile_digest", lambda name: "edited")
    elif change == "version":
        monkeypatch.setattr(cache_module, "__version__", "99.0")
    elif change == "code":
        monkeypatch.setattr(cache_module, "code_digest", lambda: "clean.py edited")
    else:
        from pipeline.extract import Limits

        cache = ResultCache(cache.folder, Options(limits=Limits(max_pages=3)))
    assert cache.get(pdf, sha) is None


def test_another_tesseract_misses_only_for_scanned_pdfs(
    archive: tuple[Path, ResultCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tesseract's version matters only to a PDF with pages it read: a text layer's
    entry does not ask for it (a subprocess per run), a scan's misses when it changes."""
    raw, cache = archive
    pdf = raw / "a-2016-2017.pdf"
    sha = cache_module.sha256_file(pdf)
    asked: list[str] = []

    def tesseract(version: str) -> Any:
        return lambda: asked.append(version) or version

    monkeypatch.setattr(cache_module, "tesseract_version", tesseract("5.3.0"))
    hit = cache.get(pdf, sha)
    assert hit is not None and asked == []
    hit.document.counts["ocr_pages"] = 2  # as if its pages had been scans
    cache.put(hit)
    assert asked == ["5.3.0"]
    assert cache.get(pdf, sha) is not None
    monkeypatch.setattr(cache_module, "tesseract_version", tesseract("5.4.1"))
    assert cache.get(pdf, sha) is None


def test_an_unreadable_entry_is_a_miss_and_is_rewritten(
    archive: tuple[Path, ResultCache],
) -> None:
    raw, cache = archive
    pdf = raw / "a-2016-2017.pdf"
    sha = cache_module.sha256_file(pdf)
    hit = cache.get(pdf, sha)
    assert hit is not None
    cache.entry(sha).write_bytes(b"not json")
    assert cache.get(pdf, sha) is None
    cache.put(hit)
    assert cache.get(pdf, sha) is not None


def test_failed_inputs_are_not_stored(archive: tuple[Path, ResultCache]) -> None:
    _, cache = archive
    assert len(list(cache.folder.iterdir())) == 1  # a and b share their bytes; c failed


def test_cli_caches_under_out_and_no_cache_reparses(tmp_path: Path) -> None:
    out = tmp_path / "out"

    def cached(*options: str) -> list[bool]:
        proc = _cli("run", str(RAW_PDF), "--out", str(out), "--workers", "1", *options)
        assert proc.returncode == 0, proc.stderr
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return [e["cached"] for e in report["inputs"]]

    assert cached("--no-cache") == [False]
    assert not (out / ".cache").exists()
    assert cached() == [False]
    assert list((out / ".cache").glob("*.json"))
    assert cached() == [True]


def test_cache_entries_are_data_not_code(tmp_path: Path) -> None:
    """A cache entry is JSON: a planted pickle is never unpickled (it would run code)."""
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(RAW_PDF), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    (entry,) = (out / ".cache").glob("*.json")
    json.loads(entry.read_text(encoding="utf-8"))
    entry.write_bytes(b"\x80\x04cos\nsystem\n(S'touch pwned'\ntR.")
    again = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(RAW_PDF), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert again.returncode == 0 and not (tmp_path / "pwned").exists()
