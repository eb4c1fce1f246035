"""The files between stages (``DIR/stages/``), for running the stages one at a time.

``extracted.parquet`` holds one row per physical table row (page, bounding box, cells,
italic flags); ``cleaned.parquet`` one row per logical row with its parsed fields;
``documents.json`` what is known of each input (errors, tables, counts) and the rejects so
far. Each stage reads the previous stage's files and writes its own, atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.emit import atomic_path, write_json
from pipeline.errors import UsageError
from pipeline.model import Cleaned, Document, Extraction, PhysicalRow, Reject, TableLayout

EXTRACTED_COLUMNS = (
    ("document", "int64"),
    ("source_file", "string"),
    ("table", "int64"),
    ("page", "int64"),
    ("x0", "float64"),
    ("top", "float64"),
    ("x1", "float64"),
    ("bottom", "float64"),
    ("kind", "string"),
    ("cells", "list<string>"),
    ("italic", "list<bool>"),
    ("first_on_page", "bool"),
    ("last_on_page", "bool"),
    ("open_bottom", "bool"),
    ("merged", "list<bool>"),
    ("note", "string"),
)
"""The columns of ``stages/extracted.parquet`` and their Arrow types (pyarrow is
imported where a stage file is written or read, not with this module: see ``emit``)."""


def _extracted_schema() -> Any:
    import pyarrow as pa

    types = {
        "int64": pa.int64(),
        "float64": pa.float64(),
        "string": pa.string(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
        "list<bool>": pa.list_(pa.bool_()),
    }
    return pa.schema([(name, types[kind]) for name, kind in EXTRACTED_COLUMNS])


def _stage_dir(out: Path) -> Path:
    return out / "stages"


def document_to_json(doc: Document) -> dict[str, Any]:
    """A document's facts as JSON, for stage files and the result cache."""
    return dataclasses.asdict(doc)


def document_from_json(data: dict[str, Any]) -> Document:
    fields = dict(data)
    tables = [
        TableLayout(t["index"], tuple(t["keys"]), tuple(t["labels"]), t["first_page"])
        for t in fields.pop("tables", [])
    ]
    return Document(**fields, tables=tables)


def write_documents(
    out: Path, profile: str, docs: Sequence[Document], rejects: Sequence[Sequence[Reject]]
) -> None:
    """The inputs in order (rows in the parquet files point at them by position, since
    two inputs may share a file name), each with its rejects so far, and the profile the
    stages ran with."""
    write_json(
        _stage_dir(out) / "documents.json",
        {
            "profile": profile,
            "documents": [
                {**document_to_json(d), "rejects": [dataclasses.asdict(r) for r in rs]}
                for d, rs in zip(docs, rejects, strict=True)
            ],
        },
    )


def read_documents(out: Path, profile: str) -> list[tuple[Document, list[Reject]]]:
    path = _stage_dir(out) / "documents.json"
    if not path.exists():
        raise UsageError(f"{path}: missing; run the previous stage first")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("profile") != profile:
        raise UsageError(
            f"{path}: the stages so far ran with --profile {data.get('profile')}, "
            f"not {profile}; give the same --profile to every stage"
        )
    result = []
    for d in data["documents"]:
        rejects = [reject_from_json(r) for r in d.pop("rejects", [])]
        result.append((document_from_json(d), rejects))
    return result


def write_extracted(out: Path, profile: str, extractions: Sequence[Extraction]) -> None:
    rows = [(i, e.document.source_file, r) for i, e in enumerate(extractions) for r in e.rows]
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, list[Any]] = {name: [] for name, _ in EXTRACTED_COLUMNS}
    for i, source, r in rows:
        columns["document"].append(i)
        columns["source_file"].append(source)
        columns["table"].append(r.table)
        columns["page"].append(r.page)
        for name, value in zip(("x0", "top", "x1", "bottom"), r.bbox, strict=True):
            columns[name].append(round(value, 2))
        columns["kind"].append(r.kind)
        columns["cells"].append(list(r.cells))
        columns["italic"].append(list(r.italic))
        columns["first_on_page"].append(r.first_on_page)
        columns["last_on_page"].append(r.last_on_page)
        columns["open_bottom"].append(r.open_bottom)
        columns["merged"].append(list(r.merged))
        columns["note"].append(r.note)
    with atomic_path(_stage_dir(out) / "extracted.parquet") as tmp:
        pq.write_table(pa.table(columns, schema=_extracted_schema()), tmp)
    write_documents(out, profile, [e.document for e in extractions], [[] for _ in extractions])


def read_extracted(out: Path, profile: str) -> list[Extraction]:
    docs = read_documents(out, profile)
    path = _stage_dir(out) / "extracted.parquet"
    if not path.exists():
        raise UsageError(f"{path}: missing; run `extract` first")
    import pyarrow.parquet as pq

    extractions = [Extraction(d) for d, _ in docs]
    for rec in pq.read_table(path).to_pylist():
        extractions[rec["document"]].rows.append(
            PhysicalRow(
                table=rec["table"],
                page=rec["page"],
                bbox=(rec["x0"], rec["top"], rec["x1"], rec["bottom"]),
                cells=tuple(rec["cells"]),
                italic=tuple(rec["italic"]),
                kind=rec["kind"],
                first_on_page=rec["first_on_page"],
                last_on_page=rec["last_on_page"],
                open_bottom=rec["open_bottom"],
                merged=tuple(rec["merged"]),
                note=rec["note"],
            )
        )
    return extractions


def record_to_json(record: dict[str, Any]) -> str:
    """A cleaned record as JSON (dates tagged), for stage files and the result cache."""

    def default(v: Any) -> Any:
        if isinstance(v, dt.date):
            return {"__date__": v.isoformat()}
        if isinstance(v, tuple):
            return list(v)
        raise TypeError(type(v).__name__)

    return json.dumps(record, default=default, ensure_ascii=False)


def record_from_json(text: str) -> dict[str, Any]:
    def hook(d: dict[str, Any]) -> Any:
        if set(d) == {"__date__"}:
            return dt.date.fromisoformat(d["__date__"])
        return d

    record: dict[str, Any] = json.loads(text, object_hook=hook)
    if "_cells" in record:
        record["_cells"] = tuple(record["_cells"])
    return record


def reject_from_json(data: dict[str, Any]) -> Reject:
    return Reject(**{**data, "cells": tuple(data["cells"])})


def write_cleaned(out: Path, profile: str, cleaned: Sequence[Cleaned]) -> None:
    """One row per logical row: its position and its parsed fields (as JSON, because the
    generic profile's columns differ from table to table)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, list[Any]] = {
        "document": [],
        "source_file": [],
        "row_index": [],
        "page_start": [],
        "page_end": [],
        "record": [],
    }
    for i, c in enumerate(cleaned):
        for rec in c.records:
            columns["document"].append(i)
            columns["source_file"].append(c.document.source_file)
            columns["row_index"].append(rec["row_index"])
            columns["page_start"].append(rec["page_start"])
            columns["page_end"].append(rec["page_end"])
            columns["record"].append(record_to_json(rec))
    with atomic_path(_stage_dir(out) / "cleaned.parquet") as tmp:
        pq.write_table(pa.table(columns), tmp)
    write_documents(out, profile, [c.document for c in cleaned], [c.rejects for c in cleaned])


def read_cleaned(out: Path, profile: str) -> list[Cleaned]:
    docs = read_documents(out, profile)
    path = _stage_dir(out) / "cleaned.parquet"
    if not path.exists():
        raise UsageError(f"{path}: missing; run `clean` first")
    import pyarrow.parquet as pq

    cleaned = [Cleaned(d, rejects=list(rs)) for d, rs in docs]
    for rec in pq.read_table(path, columns=["document", "record"]).to_pylist():
        cleaned[rec["document"]].records.append(record_from_json(rec["record"]))
    return cleaned
