"""The command line: a thin click layer over ``pipeline.runner``.

It parses options, calls the library, prints one line per failed input on stderr and maps
the outcome to the contract's exit codes: 0 all good, 1 an input failed or a row was
rejected, 2 usage error. Tracebacks only with -v/--debug.
"""

from __future__ import annotations

import functools
import logging
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
}


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
        help="Table profile (iscm-events, generic).",
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
    return f


def _setup_logging(debug: bool, quiet: bool) -> None:
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
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

    return wrapper  # type: ignore[return-value]


def _options(
    profile: str,
    workers: int | None,
    password: str | None,
    timeout: float,
    safe_csv: bool,
    debug: bool,
) -> Any:
    from pipeline.runner import Options, default_workers

    return Options(
        profile=profile,
        workers=workers or default_workers(),
        password=password,
        timeout=timeout,
        safe_csv=safe_csv,
        debug=debug,
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


@cli.command(epilog="Example:\n\n  " + EXAMPLES["run"])
@_input_options
@_common_options
@_out_option
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
) -> None:
    """Run every stage on PDFS (files or folders; default raw/) and write the outputs."""
    from pipeline.runner import exit_status, find_inputs, parse_inputs, write_results

    _setup_logging(debug, quiet)
    options = _options(profile, workers, password, timeout, safe_csv, debug)
    _check_profile(profile)
    started = time.perf_counter()
    inputs = find_inputs(list(paths) or [Path("raw")])
    results = parse_inputs(inputs, options, _Progress(len(inputs), quiet))
    write_results(out, results, options, time.perf_counter() - started)
    _report_failures(results, debug)
    if not quiet:
        click.echo(_summary(results), err=True)
    sys.exit(exit_status(results))


@cli.command(epilog="Example:\n\n  " + EXAMPLES["extract"])
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
    from pipeline.runner import find_inputs, parse_inputs
    from pipeline.stagefiles import write_extracted

    _setup_logging(debug, quiet)
    options = _options(profile, workers, password, timeout, safe_csv, debug)
    _check_profile(profile)
    inputs = find_inputs(list(paths) or [Path("raw")])
    results = parse_inputs(inputs, options, _Progress(len(inputs), quiet), extract_only=True)
    from pipeline.model import Extraction

    write_extracted(out, [r.extraction or Extraction(r.document) for r in results])
    _report_failures(results, debug)
    sys.exit(1 if any(r.document.error for r in results) else 0)


@cli.command(epilog="Example:\n\n  " + EXAMPLES["clean"])
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
        for e in read_extracted(out)
    ]
    write_cleaned(out, cleaned)
    sys.exit(1 if any(c.rejects or c.document.error for c in cleaned) else 0)


@cli.command(epilog="Example:\n\n  " + EXAMPLES["validate"])
@_common_options
@_out_option
@click.option("--safe-csv", is_flag=True, help="Neutralise formula-like CSV cells.")
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
    for c in read_cleaned(out):
        if c.document.error is None:
            records, rejects = validate_cleaned(c, prof)
        else:
            records, rejects = [], []
        results.append(FileResult(c.document, records, rejects))
    write_results(out, results, options, sum(r.document.seconds for r in results))
    _report_failures(results, debug)
    sys.exit(exit_status(results))


def _check_profile(name: str) -> None:
    from pipeline.profiles import load_profile

    load_profile(name)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        sys.exit(130)
