"""The command line: a thin click layer over ``pipeline.runner``.

It parses options, calls the library, prints one line per failed input on stderr and maps
the outcome to the contract's exit codes: 0 all good, 1 an input failed or a row was
rejected, 2 usage error. Tracebacks only with -v/--debug.
"""

from __future__ import annotations

import functools
import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import __version__
from pipeline.errors import PipelineError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("pipeline")

EXAMPLES = {
    "run": "iom-pipeline run raw/ --out output/\n  iom-pipeline run new-release.pdf --workers 2",
    "extract": "iom-pipeline extract raw/ --out output/   # writes output/stages/extracted.parquet",
    "clean": "iom-pipeline clean --out output/           # reads extracted, writes cleaned",
    "validate": "iom-pipeline validate --out output/        # reads cleaned, writes the outputs",
    "inspect": "iom-pipeline inspect raw/iom-iscm-events-2016-2017.pdf --pages 1-2 "
    "--out inspect/\n  # then open inspect/index.html",
    "diff": "iom-pipeline diff output-2017/ output/            # two output folders\n"
    "  iom-pipeline diff old-release.pdf new-release.pdf --format markdown",
}


def _epilog(command: str) -> str:
    """The command's examples, kept as written (\\b stops click from rewrapping them)."""
    return "\b\nExample:\n  " + EXAMPLES[command]


def _out_option(f: F) -> F:
    return click.option(
        "--out",
        "out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("output"),
        show_default=True,
        help="Output folder.",
    )(f)


def _common_options(f: F) -> F:
    """Options shared by every command, defined once."""
    f = click.option(
        "-v",
        "--debug",
        "--verbose",
        "debug",
        is_flag=True,
        help="Show tracebacks and debug logging.",
    )(f)
    f = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")(f)
    f = click.option(
        "--profile",
        default="iscm-events",
        show_default=True,
        help="Table profile: a built-in one (iscm-events, generic, displacement) or the "
        "path of a profile file (.toml).",
    )(f)
    return f


def _input_options(f: F) -> F:
    f = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(f)
    f = click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (default: number of CPUs).",
    )(f)
    f = click.option("--password", default=None, help="Password for encrypted PDFs.")(f)
    f = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=120.0,
        show_default=True,
        help="Seconds allowed per input file.",
    )(f)
    f = click.option(
        "--safe-csv",
        is_flag=True,
        help="Prefix cells starting with = + - @ with ' so spreadsheets "
        "do not run them as formulas.",
    )(f)
    f = _csv_bom_option(f)
    f = click.option(
        "--engine",
        type=click.Choice(["pdfplumber", "pdfium"]),
        default="pdfplumber",
        show_default=True,
        expose_value=False,
        callback=_keep_engine,
        help="PDF reader: pdfplumber, or pdfium (several times faster, same output).",
    )(f)
    f = click.option(
        "--ocr",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        expose_value=False,
        callback=_keep_ocr,
        help="Read scanned pages with Tesseract OCR: auto (pages without a text layer), "
        "always (every page), never.",
    )(f)
    f = click.option(
        "--max-pages",
        type=click.IntRange(min=1),
        default=2000,
        show_default=True,
        expose_value=False,
        callback=_keep_limit,
        help="A PDF with more pages fails (resource limit).",
    )(f)
    f = click.option(
        "--max-chars-per-page",
        type=click.IntRange(min=1),
        default=200_000,
        show_default=True,
        expose_value=False,
        callback=_keep_limit,
        help="A page with more characters fails (resource limit).",
    )(f)
    f = click.option(
        "--max-content-mb",
        type=click.IntRange(min=1),
        default=32,
        show_default=True,
        expose_value=False,
        callback=_keep_content_limit,
        help="A page whose content streams decode to more MB fails (resource limit).",
    )(f)
    f = click.option(
        "--max-operations-per-page",
        type=click.IntRange(min=1),
        default=500_000,
        show_default=True,
        expose_value=False,
        callback=_keep_limit,
        help="A page with more drawing operators fails (resource limit).",
    )(f)
    return f


def _csv_bom_option(f: F) -> F:
    return click.option(
        "--csv-bom",
        is_flag=True,
        expose_value=False,
        callback=_keep_csv_bom,
        help="Start each CSV with a UTF-8 byte-order mark, so that Excel reads "
        "accents (Asunción) right.",
    )(f)


def _keep_csv_bom(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta["pipeline.csv_bom"] = value
    return value


def _keep_engine(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The reading engine goes to the context, as the limits do."""
    ctx.meta["pipeline.engine"] = value
    return value


def _keep_ocr(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.meta["pipeline.ocr"] = value
    return value


def _keep_limit(ctx: click.Context, param: click.Parameter, value: int) -> int:
    """Resource limits go to the context, not to every command's signature."""
    ctx.meta.setdefault("pipeline.limits", {})[param.name] = value
    return value


def _keep_content_limit(ctx: click.Context, param: click.Parameter, value: int) -> int:
    ctx.meta.setdefault("pipeline.limits", {})["max_content_bytes"] = value * 1024 * 1024
    return value


def _setup_logging(debug: bool, quiet: bool) -> None:
    """The "pipeline" logger, parent of every module's (``logging.getLogger(__name__)``),
    writes to stderr. Set up before any worker is forked, so the workers, where the
    stages run, inherit it. With -v each line names the module that decided."""
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s" if debug else "%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _reports_errors(f: F) -> F:
    """Map the project's exceptions to one line on stderr and the contract's exit codes."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = kwargs.get("debug", False)
        try:
            return f(*args, **kwargs)
        except UsageError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except PipelineError as exc:
            if debug:
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # writing the outputs: a full or read-only disk
            if debug:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _check_out(out: Path) -> None:
    """Fail before any parsing when the output folder cannot be made."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: --out is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot create the output folder ({exc.strerror})") from None


def _options(
    profile: str,
    workers: int | None,
    password: str | None,
    timeout: float,
    safe_csv: bool,
    debug: bool,
) -> Any:
    from pipeline.extract import Limits
    from pipeline.read.ocr import OcrSettings
    from pipeline.runner import Options, default_workers

    ctx = click.get_current_context(silent=True)
    limits = ctx.meta.get("pipeline.limits", {}) if ctx is not None else {}
    engine = "pdfium" if ctx is not None and ctx.meta.get("pipeline.engine") == "pdfium" else None
    return Options(
        engine="pdfium" if engine else "pdfplumber",
        profile=profile,
        workers=workers or default_workers(),
        password=password,
        timeout=timeout,
        limits=Limits(**limits),
        safe_csv=safe_csv,
        csv_bom=bool(ctx is not None and ctx.meta.get("pipeline.csv_bom")),
        debug=debug,
        ocr=OcrSettings(mode=ctx.meta.get("pipeline.ocr", "auto") if ctx is not None else "auto"),
    )


class _Progress:
    """Progress on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total = total
        self.done = 0
        self.enabled = sys.stderr.isatty() and not quiet and total > 0

    def __call__(self, result: Any) -> None:
        self.done += 1
        if self.enabled:
            d = result.document
            click.echo(
                f"\r[{self.done}/{self.total}] {d.source_file} ({d.pages} pages)".ljust(70),
                err=True,
                nl=self.done == self.total,
            )


def _report_failures(results: Any, debug: bool) -> None:
    for r in results:
        if r.document.error:
            click.echo(f"error: {r.document.error}", err=True)
            if debug and r.traceback:
                click.echo(r.traceback, err=True)


def _report_copies(copies: dict[Path, list[Path]], quiet: bool) -> None:
    if quiet:
        return
    for first, others in copies.items():
        for other in others:
            click.echo(f"note: {other}: same bytes as {first}, parsed once", err=True)


def _report_ocr(results: Any, quiet: bool) -> None:
    """One notice per input read by OCR: its text is Tesseract's reading of a scan,
    and how sure Tesseract was is the first thing to know before trusting it."""
    if quiet:
        return
    for r in results:
        d = r.document
        pages = d.counts.get("ocr_pages", 0)
        if pages and d.error is None:
            sure = (
                "no word read"
                if d.ocr_confidence is None
                else f"mean word confidence {d.ocr_confidence:g}"
            )
            click.echo(f"note: {d.path}: {pages} of {d.pages} pages read by OCR, {sure}", err=True)


def _summary(results: Any) -> str:
    n_events = sum(len(r.records) for r in results)
    n_rej = sum(len(r.rejects) for r in results)
    failed = [r.document.source_file for r in results if r.document.error]
    line = f"{len(results)} PDFs, {n_events} events, {n_rej} rejected, {len(failed)} failed"
    return line + (f": {', '.join(failed)}" if failed else "")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iom-pipeline")
def cli() -> None:
    """Turn IOM PDF tables into tidy, validated CSV and Parquet.

    \b
    Example:
      iom-pipeline run raw/ --out output/
    """


@cli.command(epilog=_epilog("run"))
@_input_options
@_common_options
@_out_option
@click.option("--no-cache", is_flag=True, help="Re-parse every PDF, even unchanged ones.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where parsed results are kept between runs (default: DIR/.cache).",
)
@_reports_errors
def run(
    paths: tuple[Path, ...],
    out: Path,
    profile: str,
    workers: int | None,
    password: str | None,
    timeout: float,
    safe_csv: bool,
    debug: bool,
    quiet: bool,
    no_cache: bool,
    cache_dir: Path | None,
) -> None:
    """Run every stage on PDFS (files or folders; default raw/) and write the outputs.

    PDFs parsed by an earlier run (same bytes, same package version, same profile) are
    taken from the cache in DIR/.cache instead of being parsed again.
    """
    from pipeline.cache import ResultCache, parse_with_cache
    from pipeline.runner import (
        distinct_inputs,
        exit_status,
        find_inputs,
        note_copies,
        write_results,
    )

    _setup_logging(debug, quiet)
    options = _options(profile, workers, password, timeout, safe_csv, debug)
    _check_profile(profile)
    _check_out(out)
    started = time.perf_counter()
    inputs, copies = distinct_inputs(find_inputs(list(paths) or [Path("raw")]))
    _report_copies(copies, quiet)
    cache = None if no_cache else ResultCache(cache_dir or out / ".cache", options)
    results = parse_with_cache(inputs, options, _Progress(len(inputs), quiet), cache)
    note_copies(results, copies)
    write_results(out, results, options, time.perf_counter() - started)
    _report_ocr(results, quiet)
    _report_failures(results, debug)
    if not quiet:
        click.echo(_summary(results), err=True)
    sys.exit(exit_status(results))


@cli.command(epilog=_epilog("extract"))
@_input_options
@_common_options
@_out_option
@_reports_errors
def extract(
    paths: tuple[Path, ...],
    out: Path,
    profile: str,
    workers: int | None,
    password: str | None,
    timeout: float,
    safe_csv: bool,
    debug: bool,
    quiet: bool,
) -> None:
    """Stage 1: PDFs -> DIR/stages/extracted.parquet (one row per physical table row)."""
    from pipeline.runner import distinct_inputs, find_inputs, parse_inputs
    from pipeline.stagefiles import write_extracted

    _setup_logging(debug, quiet)
    options = _options(profile, workers, password, timeout, safe_csv, debug)
    _check_profile(profile)
    _check_out(out)
    inputs, copies = distinct_inputs(find_inputs(list(paths) or [Path("raw")]))
    _report_copies(copies, quiet)
    results = parse_inputs(inputs, options, _Progress(len(inputs), quiet), extract_only=True)
    from pipeline.model import Extraction

    write_extracted(out, profile, [r.extraction or Extraction(r.document) for r in results])
    _report_ocr(results, quiet)
    _report_failures(results, debug)
    sys.exit(1 if any(r.document.error for r in results) else 0)


@cli.command(epilog=_epilog("clean"))
@_common_options
@_out_option
@_reports_errors
def clean(out: Path, profile: str, debug: bool, quiet: bool) -> None:
    """Stage 2: DIR/stages/extracted.parquet -> DIR/stages/cleaned.parquet (logical rows)."""
    from pipeline.clean import clean_extraction
    from pipeline.model import Cleaned
    from pipeline.profiles import load_profile
    from pipeline.stagefiles import read_extracted, write_cleaned

    _setup_logging(debug, quiet)
    prof = load_profile(profile)
    cleaned = [
        clean_extraction(e, prof) if e.document.error is None else Cleaned(e.document)
        for e in read_extracted(out, profile)
    ]
    write_cleaned(out, profile, cleaned)
    sys.exit(1 if any(c.rejects or c.document.error for c in cleaned) else 0)


@cli.command(epilog=_epilog("validate"))
@_common_options
@_out_option
@click.option("--safe-csv", is_flag=True, help="Neutralise formula-like CSV cells.")
@_csv_bom_option
@_reports_errors
def validate(out: Path, profile: str, debug: bool, quiet: bool, safe_csv: bool) -> None:
    """Stage 3: DIR/stages/cleaned.parquet -> the schema check and the final output files."""
    from pipeline.profiles import load_profile
    from pipeline.runner import FileResult, exit_status, write_results
    from pipeline.stagefiles import read_cleaned
    from pipeline.validate import validate_cleaned

    _setup_logging(debug, quiet)
    prof = load_profile(profile)
    options = _options(profile, 1, None, 120.0, safe_csv, debug)
    results = []
    for c in read_cleaned(out, profile):
        if c.document.error is None:
            records, rejects = validate_cleaned(c, prof)
        else:
            records, rejects = [], []
        results.append(FileResult(c.document, records, rejects))
    write_results(out, results, options, sum(r.document.seconds for r in results))
    _report_failures(results, debug)
    sys.exit(exit_status(results))


@cli.command("inspect", epilog=_epilog("inspect"))
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pages", default=None, help="Pages to draw: 1-3, 2 or 1,3-4 (default: all).")
@click.option(
    "--resolution",
    type=click.IntRange(min=36, max=600),
    default=100,
    show_default=True,
    help="Image resolution in dpi.",
)
@click.option("--password", default=None, help="Password for an encrypted PDF.")
@_common_options
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("inspect"),
    show_default=True,
    help="Folder for page-NNN.png and index.html.",
)
@_reports_errors
def inspect_command(
    pdf: Path,
    pages: str | None,
    resolution: int,
    password: str | None,
    out: Path,
    profile: str,
    debug: bool,
    quiet: bool,
) -> None:
    """Draw the detected table, its columns, rows and each row's fate over the pages of PDF.

    Each physical row is labelled with the event it became (#row_index, as in
    events.csv); rows repaired across a page break, merged cells filled down, dropped
    header and furniture rows and rejected rows each have their own colour.
    """
    from pipeline.inspect import inspect_pdf
    from pipeline.profiles import load_profile

    _setup_logging(debug, quiet)
    result = inspect_pdf(
        pdf, out, load_profile(profile), pages=pages, password=password, resolution=resolution
    )
    log.info("%d page images written; open %s", len(result.pages), result.index)
    if result.no_table is not None:
        raise result.no_table  # one line and exit 1, after the pages are drawn


@cli.command("diff", epilog=_epilog("diff"))
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--all-fields",
    is_flag=True,
    help="Also compare source_file, source_sha256, row_index, page_start, page_end.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes when OLD or NEW are PDFs (default: number of CPUs).",
)
@_common_options
@_reports_errors
def diff_command(
    old: Path,
    new: Path,
    fmt: str,
    all_fields: bool,
    workers: int | None,
    profile: str,
    debug: bool,
    quiet: bool,
) -> None:
    """Compare the events of OLD and NEW by event_id: added, removed, changed fields.

    OLD and NEW are output folders (holding events.csv), or PDFs / folders of PDFs,
    which are run through the pipeline first. Exit status 0 when identical, 1 when they
    differ, 2 when either cannot be read.
    """
    from pipeline.diff import diff_paths, render

    _setup_logging(debug, quiet)
    _check_profile(profile)
    result = diff_paths(old, new, profile=profile, all_fields=all_fields, workers=workers)
    if not quiet:
        click.echo(render(result, fmt), nl=False)  # type: ignore[arg-type]
    sys.exit(0 if result.identical else 1)


def _check_profile(name: str) -> None:
    from pipeline.profiles import load_profile

    load_profile(name)


class Interrupted(BaseException):
    """SIGINT or SIGTERM, raised in the main process. A BaseException, so that nothing
    swallows it (click turns KeyboardInterrupt into "Aborted!" and exit status 1): every
    open atomic write removes its temporary file on the way out, the files already
    renamed stay complete, the workers are terminated at exit, and the run ends with
    128 + the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def main() -> None:
    handled = (signal.SIGINT, signal.SIGTERM)
    for sig in handled:
        signal.signal(sig, _on_signal)
    try:
        cli(standalone_mode=True)
    except (Interrupted, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else int(signal.SIGINT)
        # no more signals while exiting: a second Ctrl-C must not interrupt the cleanup
        for sig in handled:
            signal.signal(sig, signal.SIG_IGN)
        click.echo(f"error: interrupted ({signal.Signals(signum).name})", err=True)
        sys.exit(128 + signum)
