#!/usr/bin/env python3
# Copy of ../shared/tools/check_contract.py, the team's contract checker (only these two
# comment lines added), kept here so that tests run without ../shared.
"""Check an output folder against ../CONTRACT.md (contract version 2).

Usage: python check_contract.py OUTPUT_DIR

Needs pandas and pyarrow (the project's own environment has both). Prints one line per
violation and a last line `contract: N violations`; exits 1 when there is any.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

EVENTS = [
    "event_id", "source_file", "source_sha256", "row_index", "page_start", "page_end",
    "iscm", "iscm_acronyms", "iscm_italic", "date_text", "start_date", "end_date",
    "place", "city", "country", "country_iso3", "title", "outcome", "urls",
]
EVENT_ISCMS = ["event_id", "source_file", "source_sha256", "position", "iscm_acronym", "iscm_name"]
DOCUMENTS = ["source_file", "source_sha256", "pages", "title", "events", "rejected"]
REJECTS = ["source_file", "page", "row_index", "stage", "reason", "cells"]

# arrow type name prefixes expected in the Parquet files
EVENT_TYPES = {
    "event_id": "string", "source_file": "string", "source_sha256": "string",
    "row_index": "int", "page_start": "int", "page_end": "int", "iscm": "string",
    "iscm_acronyms": "list<", "iscm_italic": "bool", "date_text": "string",
    "start_date": "date32", "end_date": "date32", "place": "string", "city": "string",
    "country": "string", "country_iso3": "string", "title": "string",
    "outcome": "string", "urls": "list<",
}


def csv_header(path: Path) -> list[str] | None:
    if not path.exists():
        return None
    with path.open(newline="", encoding="utf-8") as f:
        return next(csv.reader(f), [])


def rejected_rows(out: Path) -> dict[str, set[int]]:
    """row_index values in rejects.csv, per source_file (rows without one are skipped)."""
    found: dict[str, set[int]] = {}
    path = out / "rejects.csv"
    if path.exists():
        for r in csv.DictReader(path.open(newline="", encoding="utf-8")):
            if (r.get("row_index") or "").strip().isdigit():
                found.setdefault(r["source_file"], set()).add(int(r["row_index"]))
    return found


def main(out: Path) -> int:
    problems: list[str] = []

    def need(cond: bool, msg: str) -> None:
        if not cond:
            problems.append(msg)

    for name, cols in [("events.csv", EVENTS), ("event_iscms.csv", EVENT_ISCMS),
                       ("documents.csv", DOCUMENTS), ("rejects.csv", REJECTS)]:
        header = csv_header(out / name)
        need(header is not None, f"{name}: missing")
        if header is not None:
            need(header == cols, f"{name}: header {header} != {cols}")
    for name in ["events.parquet", "event_iscms.parquet", "documents.parquet"]:
        need((out / name).exists(), f"{name}: missing")

    report_path = out / "report.json"
    need(report_path.exists(), "report.json: missing")
    if report_path.exists():
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
            need(report.get("contract_version") == 2,
                 f"report.json: contract_version {report.get('contract_version')!r} != 2")
        except ValueError as e:
            problems.append(f"report.json: not JSON ({e})")

    if (out / "events.parquet").exists():
        import pyarrow.parquet as pq
        import pandas as pd

        schema = pq.read_schema(out / "events.parquet")
        need(schema.names == EVENTS, f"events.parquet: columns {schema.names} != {EVENTS}")
        for col, prefix in EVENT_TYPES.items():
            if col in schema.names:
                t = str(schema.field(col).type)
                ok = t.startswith(prefix) or (prefix == "string" and t == "large_string")
                if prefix == "list<":
                    ok = ok or t.startswith("large_list<")
                need(ok, f"events.parquet: {col} has type {t}, expected {prefix}…")
        ev = pd.read_parquet(out / "events.parquet")
        if len(ev):
            need(ev["event_id"].notna().all() and (ev["event_id"] != "").all(),
                 "events: empty event_id")
            rejected = rejected_rows(out)
            for sha, g in ev.groupby("source_sha256"):
                src = g["source_file"].iloc[0]
                need(g["event_id"].is_unique, f"events: duplicate event_id in {src}")
                idx = g["row_index"].tolist()
                need(idx == sorted(set(idx)) and min(idx) >= 1,
                     f"events: row_index of {src} is not strictly increasing from 1")
                clash = set(idx) & rejected.get(src, set())
                need(not clash, f"events: row_index {sorted(clash)[:5]} of {src} also in rejects.csv")
            need((ev["page_end"] >= ev["page_start"]).all(), "events: page_end < page_start")
            need((ev["end_date"] >= ev["start_date"]).all(), "events: end_date < start_date")
            need(ev["country_iso3"].fillna("").str.fullmatch(r"[A-Z]{3}").all(),
                 "events: country_iso3 not three capital letters")
        if (out / "events.csv").exists():
            n_csv = sum(1 for _ in csv.DictReader((out / "events.csv").open(encoding="utf-8")))
            need(n_csv == len(ev), f"events.csv has {n_csv} rows, events.parquet {len(ev)}")
        if (out / "event_iscms.parquet").exists():
            ei = pd.read_parquet(out / "event_iscms.parquet")
            if list(ei.columns) == EVENT_ISCMS:
                keys = set(zip(ev["source_sha256"], ev["event_id"]))
                need(set(zip(ei["source_sha256"], ei["event_id"])) <= keys,
                     "event_iscms: (source_sha256, event_id) not in events")
                need(not ei.duplicated(["source_sha256", "event_id", "position"]).any(),
                     "event_iscms: duplicate (source_sha256, event_id, position)")
        if (out / "documents.parquet").exists():
            docs = pd.read_parquet(out / "documents.parquet")
            need(int(docs["events"].sum()) == len(ev),
                 f"documents.events sums to {int(docs['events'].sum())}, events has {len(ev)}")
            need(docs["source_sha256"].is_unique, "documents: a source_sha256 appears twice")
            need(set(ev["source_sha256"]) <= set(docs["source_sha256"]),
                 "events: source_sha256 not in documents")

    for p in problems:
        print(p)
    print(f"contract: {len(problems)} violations")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
