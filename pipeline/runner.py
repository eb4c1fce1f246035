"""Running the stages over many inputs: isolation, limits, parallelism, the report.

Each input is parsed in a worker process of its own (forked), so a PDF that crashes the
parser, hangs it or eats memory costs only that input: the worker is killed at the
timeout, its memory is capped, and the other inputs go on. Results come back to the
parent, which alone writes the outputs, in input order, so the output does not depend on
the number of workers.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.clean import clean_extraction
from pipeline.columns.infer import typed_rows
from pipeline.emit import CONTRACT_VERSION, generic_table_stems, write_outputs
from pipeline.errors import InputError, UsageError
from pipeline.extract import Limits, extract_document, sha256_file
from pipeline.model import WORDS_LEFT_OUT, Cleaned, Document, Extraction, Reject
from pipeline.parallel import ParallelPages
from pipeline.profiles import Profile, load_profile
from pipeline.read import Engine
from pipeline.read.ocr import OcrSettings
from pipeline.tables import Table, child_rows, with_columns

log = logging.getLogger(__name__)

Record = dict[str, Any]


@dataclass(frozen=True)
class Options:
    profile: str = "iscm-events"
    workers: int = 1
    password: str | None = None
    timeout: float = 120.0
    memory_mb: int = 4096
    limits: Limits = field(default_factory=Limits)
    safe_csv: bool = False
    csv_bom: bool = False
    """CSV files start with a UTF-8 byte-order mark (for Excel)."""
    debug: bool = False
    engine: Engine = "pdfplumber"
    """The reader (``pipeline.read``): pdfplumber, or pdfium (faster, same output)."""
    ocr: OcrSettings = field(default_factory=OcrSettings)
    """When pages are read by OCR (``--ocr``), and how (``pipeline.read.ocr``)."""
    # processes reading the pages of one long input (pipeline.parallel); set by
    # _run_isolated from the workers left over when there are fewer inputs than workers
    page_workers: int = 1


@dataclass
class FileResult:
    document: Document
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    traceback: str | None = None
    extraction: Extraction | None = None
    cached: bool = False
    """Taken from the result cache (pipeline.cache), not parsed in this run."""
    copies: list[str] = field(default_factory=list)
    """Other inputs of this run with the same bytes: not parsed, named in report.json."""
    cleaned: Cleaned | None = None
    """Cleaned, not yet validated: what a worker process sends (``validated``)."""


def find_inputs(paths: Sequence[Path]) -> list[Path]:
    """PDF files as given, folders searched for *.pdf (sorted by path; hidden files such
    as macOS's ``._name.pdf`` skipped). A file named twice is parsed once. A folder with
    no PDF at all is a usage error, so that a wrong path never replaces good outputs with
    empty ones."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            pdfs = sorted(
                q
                for q in p.rglob("*.[pP][dD][fF]")
                if q.is_file() and not any(part.startswith(".") for part in q.relative_to(p).parts)
            )
            if not pdfs:
                raise UsageError(f"{p}: no PDF files in this folder")
            found.extend(pdfs)
        elif p.exists():
            found.append(p)
        else:
            raise UsageError(f"{p}: no such file or folder")
    unique: dict[Path, Path] = {}
    for q in found:
        unique.setdefault(q.resolve(), q)
    return list(unique.values())


def distinct_inputs(paths: Sequence[Path]) -> tuple[list[Path], dict[Path, list[Path]]]:
    """The inputs with identical bytes told apart: one path per content, and for it the
    other paths holding the same bytes. A copy is parsed once: two rows per event would
    break the keys, and the copy says nothing new. The path kept is the least deeply
    nested one (``raw/x.pdf`` over ``raw/archive/x.pdf``), then the first given; it
    takes the place of the first of its copies in the input order. A file that cannot
    be read stays an input of its own, to fail with its reason."""
    groups: dict[str, list[Path]] = {}
    order: list[str | Path] = []
    for path in paths:
        try:
            sha = sha256_file(path)
        except OSError:
            order.append(path)
            continue
        if sha not in groups:
            order.append(sha)
        groups.setdefault(sha, []).append(path)
    distinct: list[Path] = []
    copies: dict[Path, list[Path]] = {}
    for item in order:
        if isinstance(item, Path):
            distinct.append(item)
            continue
        group = groups[item]
        kept = min(group, key=lambda p: len(p.parts))  # min keeps the first of equals
        distinct.append(kept)
        if len(group) > 1:
            copies[kept] = [p for p in group if p is not kept]
    return distinct, copies


def note_copies(results: Sequence[FileResult], copies: dict[Path, list[Path]]) -> None:
    """Name in each result the other inputs with its bytes (report.json: ``copies``)."""
    for result in results:
        result.copies = [str(p) for p in copies.get(Path(result.document.path), [])]


def process_file(
    path: Path, options: Options, *, extract_only: bool = False, validate: bool = True
) -> FileResult:
    """extract -> clean -> validate for one input; never raises for a bad input.
    ``validate=False`` stops after clean (the result holds ``cleaned``: ``validated``
    finishes it)."""
    started = time.perf_counter()
    profile = load_profile(options.profile)
    result: FileResult | None = None
    try:
        pages = None
        if options.page_workers > 1:
            pages = ParallelPages(
                options.page_workers,
                options.password,
                options.limits,
                timeout=options.timeout,
                engine=options.engine,
                ocr=options.ocr,
            )
        extraction = extract_document(
            path,
            profile,
            password=options.password,
            limits=options.limits,
            pages=pages,
            engine=options.engine,
            ocr=options.ocr,
        )
        if extract_only:
            result = FileResult(extraction.document, extraction=extraction)
            result.document.seconds = round(time.perf_counter() - started, 3)
            return result
        cleaned = clean_extraction(extraction, profile)
        result = FileResult(extraction.document, cleaned=cleaned)
    except InputError as exc:
        result = FileResult(_failed_document(path, str(exc), exc.document))
    except MemoryError:  # the worker's RLIMIT_AS: the memory is back once unwound,
        result = None  # which is after this block (the traceback holds the frames)
    except Exception as exc:  # a bug or a PDF pdfminer chokes on: report, never crash
        result = _internal_error(path, exc)
    if result is None:
        result = FileResult(_failed_document(path, out_of_memory(path, options)))
    result.document.seconds = round(time.perf_counter() - started, 3)
    return validated(result, path, options) if validate else result


def validated(result: FileResult, path: Path, options: Options) -> FileResult:
    """A cleaned result validated (its records and rejects; ``cleaned`` dropped), with
    the time it took added to its seconds; a result without ``cleaned`` as it is.

    Worker processes stop after clean and the runner's own process validates what they
    send (``_run_isolated``): validation reads no PDF, and so the workers never import
    pandas and pandera, which the runner's process imports once, while they read."""
    cleaned = result.cleaned
    if cleaned is None:
        return result
    from pipeline.validate import validate_cleaned

    started = time.perf_counter()
    done: FileResult | None = None
    try:
        records, rejects = validate_cleaned(cleaned, load_profile(options.profile))
        for rej in (r for r in rejects if r.stage == "validate"):
            log.debug("%s: page %s: row %s rejected in validate: %s", *_where(rej), rej.reason)
        done = FileResult(cleaned.document, records, rejects)
    except MemoryError:
        done = None
    except Exception as exc:
        done = _internal_error(path, exc)
    if done is None:
        done = FileResult(_failed_document(path, out_of_memory(path, options)))
    seconds = result.document.seconds + time.perf_counter() - started
    done.document.seconds = round(seconds, 3)
    return done


def _internal_error(path: Path, exc: Exception) -> FileResult:
    message = f"{path.name}: internal error ({type(exc).__name__}: {exc})"
    return FileResult(_failed_document(path, message), traceback=traceback.format_exc())


def _where(rej: Reject) -> tuple[str, str, str]:
    return rej.source_file, str(rej.page or "?"), str(rej.row_index or "?")


def out_of_memory(path: Path, options: Options) -> str:
    return f"{path.name}: ran past the memory limit of {options.memory_mb} MB"


def _failed_document(path: Path, message: str, read: Document | None = None) -> Document:
    """A failed input's facts: its error, and what was read of it before (pages, OCR)."""
    if read is not None:
        return replace(read, path=str(path), error=message)
    try:
        sha = sha256_file(path)
    except OSError:
        sha = ""
    return Document(path=str(path), source_file=path.name, sha256=sha, error=message)


# --------------------------------------------------------------------------- workers


def _child(conn: Connection, path: Path, options: Options, extract_only: bool) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (and kills the
    # workers), so a worker neither prints a traceback nor dies half-way on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # and should the parent itself be killed (SIGKILL), the worker still ends itself
    # shortly after the timeout instead of living on as an orphan
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(int(options.timeout) + 10)
    cap = options.memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if not options.debug:
        _silence_stderr()
    result: FileResult | None = None
    # a MemoryError, unwound: the memory it held is free again below
    with contextlib.suppress(MemoryError):
        result = process_file(path, options, extract_only=extract_only, validate=False)
    if result is None:
        result = FileResult(_failed_document(path, out_of_memory(path, options)))
    if result.cleaned is not None:
        result.cleaned.logical = []  # (for inspect, in process only: not sent)
    try:
        conn.send(result)
    except BaseException:
        # the result does not go through (the pipe, or memory, again): the parent
        # reports a worker that ended without one; nothing reaches the terminal
        os._exit(3)
    finally:
        conn.close()


def _silence_stderr() -> None:
    """The worker's stderr goes to /dev/null (unless -v): whatever pdfminer, PDFium or
    multiprocessing would print (warnings, "Process ForkProcess-1:", a traceback) never
    reaches the user, whose one line per input comes from the parent."""
    faulthandler.disable()  # it writes to a stderr of its own (pytest enables it)
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (the worker's, for its life)


def _run_isolated(
    paths: Sequence[Path],
    options: Options,
    progress: Callable[[FileResult], None] | None,
    extract_only: bool = False,
) -> list[FileResult]:
    ctx = mp.get_context("fork")
    results: dict[int, FileResult] = {}
    pending = list(enumerate(paths))
    running: dict[int, tuple[Any, Connection, float]] = {}
    workers = max(1, options.workers)
    _warm_up_readers(options.engine)
    warm = extract_only  # validation's imports: once the first workers are reading
    if 0 < len(paths) < workers:
        # fewer inputs than workers: the spare ones read pages of the (long) inputs, so
        # that no more than `workers` processes read at any time
        options = replace(options, page_workers=workers // len(paths))
    while pending or running:
        while pending and len(running) < workers:
            i, path = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_child, args=(child, path, options, extract_only), daemon=True
            )
            proc.start()
            child.close()
            running[i] = (proc, parent, time.monotonic())
        if not warm:
            _warm_up_validation(options.profile)
            warm = True
        # sleep until a worker sends its result (or 50 ms, to check deaths and timeouts)
        ready = set(wait([conn for _, conn, _ in running.values()], timeout=0.05))
        for i, (proc, conn, started) in list(running.items()):
            path = paths[i]
            # liveness first, then the pipe: a worker that sent its result and exited in
            # between must not be taken for one that died without sending
            alive = proc.is_alive()
            if conn in ready or conn.poll(0):
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    proc.join(5)  # for its exit code
                    result = _died(path, proc)
                proc.join(5)
            elif not alive:
                result = _died(path, proc)
            elif time.monotonic() - started > options.timeout:
                proc.kill()
                proc.join(5)
                result = FileResult(
                    _failed_document(path, f"{path.name}: timed out after {options.timeout:g} s")
                )
                result.document.seconds = round(time.monotonic() - started, 3)
            else:
                continue
            conn.close()
            del running[i]
            results[i] = result = validated(result, path, options)
            if progress is not None:
                progress(result)
    return [results[i] for i in range(len(paths))]


def _warm_up_readers(engine: Engine) -> None:
    """Fill, once in the parent, the lazy caches each forked worker would otherwise fill on
    its own for every input: pdfminer loads its font metrics, the PDFium reader its
    library."""
    with contextlib.suppress(Exception):
        import pdfminer.fontmetrics  # noqa: F401

        if engine == "pdfium":
            import pipeline.read.pdfium  # noqa: F401


def _warm_up_validation(profile_name: str) -> None:
    """Import pandas and pandera, and let pandera register its backends (and import
    hypothesis: 0.1 s), as the first validate would: in the parent, which validates
    what the workers send (``validated``), called once the first workers are reading,
    so that this second of imports overlaps their work instead of delaying it."""
    with contextlib.suppress(Exception):
        import pandas as pd

        from pipeline.validate import build_schema

        profile = load_profile(profile_name)
        if profile.fields:
            frame = pd.DataFrame({f.name: pd.Series([], dtype=object) for f in profile.fields})
            build_schema(profile.fields, profile.row_checks).validate(frame, lazy=True)
        # the output stage's imports too (``emit``): the workers write nothing
        import pyarrow.parquet  # noqa: F401


def _died(path: Path, proc: Any) -> FileResult:
    """A worker that ended without a result, reported by what it means: killed from
    outside (the kernel's OOM killer, most likely), or a crash in the parser's C code
    (PDFium, zlib, a segfault). How it ended is the traceback, shown with -v."""
    code = proc.exitcode
    if code is not None and code < 0:
        how = f"worker ended by signal {-code}"
        if -code == signal.SIGKILL:
            reason = "the worker was killed (out of memory?)"
        else:
            reason = "the PDF parser crashed on this file"
    else:
        how = f"worker exited with status {code}"
        reason = "the worker ended without a result"
    return FileResult(_failed_document(path, f"{path.name}: {reason}"), traceback=how)


def parse_inputs(
    paths: Sequence[Path],
    options: Options,
    progress: Callable[[FileResult], None] | None = None,
    *,
    extract_only: bool = False,
) -> list[FileResult]:
    """Every input through the stages (or only extract), each in its own worker."""
    return _run_isolated(paths, options, progress, extract_only)


# --------------------------------------------------------------------------- outputs


def document_row(result: FileResult) -> Record:
    d = result.document
    return {
        "source_file": d.source_file,
        "source_sha256": d.sha256,
        "pages": d.pages,
        "title": d.title,
        "events": len(result.records),
        "rejected": len(result.rejects),
    }


def report_entry(result: FileResult) -> Record:
    d = result.document
    c = d.counts
    return {
        "source_file": d.source_file,
        "path": d.path,
        "sha256": d.sha256,
        "pages": d.pages,
        "tables_found": len(d.tables),
        "physical_rows": c.get("physical_rows", 0),
        "header_rows_dropped": c.get("header_rows", 0),
        "furniture_rows_dropped": c.get("furniture_rows", 0) + c.get("empty_rows", 0),
        "continuation_rows_merged": c.get("continuation_rows", 0),
        "rows_repaired_across_pages": c.get("repaired_rows", 0),
        "ligatures_repaired": c.get("ligatures_repaired", 0),
        "events_written": len(result.records),
        "rows_rejected": len(result.rejects),
        "error": d.error,
        "seconds": d.seconds,
        "cached": result.cached,
        "language": d.language,
        "copies": result.copies,
        "words": word_accounting(c),
        "ocr_pages": c.get("ocr_pages", 0),
        "ocr_confidence": d.ocr_confidence,
    }


def word_accounting(counts: dict[str, int]) -> Record:
    """Every word inside a table's region: placed in a cell, or left out with a reason
    (``layout.audit``); ``in_table_region == placed + sum(left_out.values())``."""
    return {
        "in_table_region": counts.get("words_in_table_region", 0),
        "placed": counts.get("words_placed", 0),
        "left_out": {
            k.removeprefix(WORDS_LEFT_OUT): n
            for k, n in sorted(counts.items())
            if k.startswith(WORDS_LEFT_OUT)
        },
    }


def build_report(results: Sequence[FileResult], profile: Profile, seconds: float) -> Record:
    entries = [report_entry(r) for r in results]
    return {
        "contract_version": CONTRACT_VERSION,
        "package_version": __version__,
        "profile": profile.name,
        "inputs": entries,
        "totals": {
            "inputs": len(entries),
            "failed": sum(1 for e in entries if e["error"]),
            "events_written": sum(e["events_written"] for e in entries),
            "rows_rejected": sum(e["rows_rejected"] for e in entries),
            "copies_skipped": sum(len(e["copies"]) for e in entries),
        },
        "seconds": round(seconds, 3),
    }


def output_tables(
    profile: Profile, parsed: Sequence[FileResult]
) -> list[tuple[Table, Sequence[Record]]]:
    """Each table the profile declares, with its rows: the row table gets the valid
    records, a child table the rows exploded from them, a per-source table one table
    per printed table of each input (its inferred columns appended)."""
    records = [rec for r in parsed for rec in r.records]
    out: list[tuple[Table, Sequence[Record]]] = []
    for table in profile.tables:
        if table.per_source_table:
            stems = generic_table_stems(
                [(r.document.source_file, r.document.sha256) for r in parsed]
            )
            for r, stem in zip(parsed, stems, strict=True):
                for t in r.document.tables:
                    rows = [rec for rec in r.records if rec["table_index"] == t.index]
                    kinds, rows = typed_rows(rows, t.keys, r.document.language)
                    out.append((with_columns(table, f"{stem}-{t.index}", t.keys, kinds), rows))
        elif table.rows_from is None:
            out.append((table, records))
        else:
            out.append((table, child_rows(table, records)))
    return out


def write_results(
    out: Path, results: Sequence[FileResult], options: Options, seconds: float
) -> Record:
    profile = load_profile(options.profile)
    parsed = [r for r in results if r.document.error is None]
    rejects = [rej for r in parsed for rej in r.rejects]
    report = build_report(results, profile, seconds)
    write_outputs(
        out,
        tables=output_tables(profile, parsed),
        documents=[document_row(r) for r in parsed],
        rejects=rejects,
        report=report,
        safe_csv=options.safe_csv,
        csv_bom=options.csv_bom,
    )
    return report


def run_pipeline(
    paths: Sequence[Path],
    out: Path,
    options: Options | None = None,
    progress: Callable[[FileResult], None] | None = None,
) -> tuple[list[FileResult], Record]:
    """Parse every input and write the outputs. Returns the results and the report."""
    options = options or Options()
    load_profile(options.profile)  # an unknown profile is a usage error, before any work
    started = time.perf_counter()
    inputs, copies = distinct_inputs(find_inputs(paths))
    results = parse_inputs(inputs, options, progress)
    note_copies(results, copies)
    report = write_results(out, results, options, time.perf_counter() - started)
    return results, report


def exit_status(results: Sequence[FileResult]) -> int:
    failed = any(r.document.error for r in results)
    rejected = any(r.rejects for r in results)
    return 1 if failed or rejected else 0


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
