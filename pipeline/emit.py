"""emit: the output files of the contract, every one written atomically.

Which tables there are, and their fields, comes from the profile (``pipeline.tables``):
emit writes whatever tables it is given, then documents, rejects, datapackage.json and
report.json.


Each file is written to a temporary name in the output folder, flushed to disk, then
renamed over the old one (``os.replace`` is atomic on POSIX): an interrupted run leaves
either the complete old file or the complete new one, never a truncated one.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pipeline.columns.infer import Printed
from pipeline.datapackage import descriptor as datapackage_descriptor
from pipeline.model import Reject
from pipeline.schema import DOCUMENTS, REJECTS, Field
from pipeline.tables import Table

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow (0.15 s to import) is imported where Parquet is written, not with this module:
# the runner imports emit, and its worker processes, which write nothing, are forked
# before the parent needs it (``runner._run_isolated``)

CONTRACT_VERSION = 2
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _arrow_type(field_type: str) -> pa.DataType:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    return types[field_type]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds.
    The file gets the mode any file the user creates gets (0666 less the umask), not
    mkstemp's private 0600: colleagues on a shared folder must be able to read it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with tmp_path.open("rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_text(target: Path) -> Iterator[IO[str]]:
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        yield f


def arrow_schema(fields: Sequence[Field]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(f.name, _arrow_type(f.type), nullable=True) for f in fields])


def _csv_value(value: Any, safe: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        text = "|".join(str(v) for v in value)
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    if safe and text.startswith(_FORMULA_START):
        # Spreadsheets run cells starting with these as formulas (CSV injection).
        text = "'" + text
    return text


def write_csv(
    target: Path,
    columns: Sequence[str],
    rows: Iterable[dict[str, Any]],
    *,
    safe: bool = False,
    bom: bool = False,
) -> None:
    """RFC 4180 CSV, UTF-8, "\\n" line ends, lists joined with "|". ``bom``: a UTF-8
    byte-order mark first, without which Excel on Windows reads the file as ANSI."""
    with atomic_text(target) as f:
        if bom:
            f.write("\ufeff")
        writer = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_value(row.get(c), safe) for c in columns])


def write_parquet(target: Path, fields: Sequence[Field], rows: Sequence[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(fields)
    data = {f.name: [_arrow_value(r.get(f.name), f) for r in rows] for f in fields}
    table = pa.table(data, schema=schema)
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp)


def _arrow_value(value: Any, f: Field) -> Any:
    if isinstance(value, Printed):  # a generic table's typed cell: its value, not its text
        return value.value
    if f.type == "list":
        return list(value) if value is not None else []
    if f.type == "string" and value is not None and not isinstance(value, str):
        return str(value)
    if f.type == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def write_table(
    out: Path,
    stem: str,
    fields: Sequence[Field],
    rows: Sequence[dict[str, Any]],
    *,
    safe: bool,
    bom: bool = False,
) -> None:
    write_csv(out / f"{stem}.csv", [f.name for f in fields], rows, safe=safe, bom=bom)
    write_parquet(out / f"{stem}.parquet", fields, rows)


def write_json(target: Path, data: Any) -> None:
    with atomic_text(target) as f:
        json.dump(data, f, indent=2, ensure_ascii=False, default=str)
        f.write("\n")


def reject_rows(rejects: Iterable[Reject]) -> list[dict[str, Any]]:
    return [
        {
            "source_file": r.source_file,
            "page": r.page,
            "row_index": r.row_index,
            "stage": r.stage,
            "reason": r.reason,
            "cells": json.dumps(list(r.cells), ensure_ascii=False),
        }
        for r in rejects
    ]


_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


def generic_table_stems(sources: Sequence[tuple[str, str]]) -> list[str]:
    """The file stem for each input's tables (``tables/<stem>-<k>.csv``), one per
    (source_file, sha256): the source's own stem, only characters no file name may hold
    replaced; two inputs with the same stem (same name in two folders) are told apart by
    the first 8 hex digits of their sha256, so no table overwrites another."""
    stems = [_UNSAFE_IN_NAME.sub("_", Path(name).stem) or "table" for name, _ in sources]
    counts: dict[str, int] = {}
    for stem in stems:
        counts[stem] = counts.get(stem, 0) + 1
    out: list[str] = []
    for stem, (_, sha) in zip(stems, sources, strict=True):
        unique = stem if counts[stem] == 1 else f"{stem}.{sha[:8]}"
        while unique in out:
            unique += "_"
        out.append(unique)
    return out


def write_outputs(
    out: Path,
    *,
    tables: Sequence[tuple[Table, Sequence[dict[str, Any]]]],
    documents: Sequence[dict[str, Any]],
    rejects: Sequence[Reject],
    report: dict[str, Any],
    safe_csv: bool = False,
    csv_bom: bool = False,
) -> None:
    """Write every output file of a run: the profile's ``tables`` (each with its rows),
    documents, rejects, datapackage.json. ``report.json`` goes last, so its presence
    with this run's content means the rest of the files are this run's too."""
    out.mkdir(parents=True, exist_ok=True)
    previous = _previous_stems(out)
    csv_options = {"safe": safe_csv, "bom": csv_bom}
    for table, rows in tables:
        write_table(out, table.stem, table.fields, rows, **csv_options)
    write_table(out, "documents", DOCUMENTS, documents, **csv_options)
    write_csv(out / "rejects.csv", [f.name for f in REJECTS], reject_rows(rejects), **csv_options)
    package = datapackage_descriptor(
        profile=str(report.get("profile", "")),
        contract_version=CONTRACT_VERSION,
        package_version=str(report.get("package_version", "")),
        tables=tables,
        encoding="utf-8-sig" if csv_bom else "utf-8",
    )
    write_json(out / "datapackage.json", package)
    _remove_stale(out, previous, {table.stem for table, _ in tables})
    write_json(out / "report.json", report)


def _previous_stems(out: Path) -> set[str]:
    """The tables the previous run in ``out`` wrote, as its datapackage.json lists them
    (only plain names inside ``out``)."""
    try:
        package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
        paths = [str(r["path"]) for r in package["resources"]]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    return {
        p[: -len(".csv")]
        for p in paths
        if p.endswith(".csv") and "/" not in p and "\\" not in p and not p.startswith(".")
    }


def _remove_stale(out: Path, previous: set[str], written: set[str]) -> None:
    """Files an earlier run wrote that this run does not: another profile's tables,
    tables of inputs no longer given. Left behind, they would pass for this run's
    output next to a report.json and datapackage.json that do not list them."""
    keep = {*written, "documents", "rejects"}
    stale = [out / f"{stem}.{ext}" for stem in previous - keep for ext in ("csv", "parquet")]
    tables = out / "tables"
    if tables.is_dir():
        stale += [
            p
            for p in tables.iterdir()
            if p.suffix in (".csv", ".parquet") and f"tables/{p.stem}" not in written
        ]
    for path in stale:
        path.unlink(missing_ok=True)


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """The CSV that write_csv would write, as a string (for tests and diffs)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c), False) for c in columns])
    return buf.getvalue()
