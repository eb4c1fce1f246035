"""datapackage.json: the outputs described as a Frictionless Data Package.

One Table Schema per CSV (the profile's tables: events and event_iscms, or the generic
profile's tables; then documents and rejects), generated from the same ``Field`` lists
that validate turns into the pandera schema and emit into the Arrow schema, so the
published schema cannot drift from the one that is enforced. Any Frictionless tool
(``frictionless validate output/datapackage.json``, the R and JS libraries, Open Data
portals) can then check and load the files with their types.

Two things the Table Schema cannot say as our schema does:

* list columns (``iscm_acronyms``, ``urls``) are ``|``-joined in CSV; Frictionless has
  no list-of-strings CSV type, so they are declared ``string`` with a description
  saying so, and their per-item pattern becomes a pattern over the joined text;
* patterns are implicitly anchored in Table Schema, so our ``^…$`` anchors are dropped.

Keys are the profile's, as declared (contract 2): ``events`` is keyed by
(source_sha256, event_id), so the same event read from two releases is two rows; a
child table's foreign key names the row it belongs to by the same pair; ``documents``
is keyed by source_sha256. A field the profile declares ``unique`` (``event_id``) is
unique within one document only, so it carries no ``unique`` constraint here: the
primary key states what holds across the run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pipeline.columns.infer import csv_field
from pipeline.schema import DOCUMENTS, REJECTS, Field
from pipeline.tables import Table

_CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}
_LIST_NOTE = (
    " In CSV the items are joined with '|' (empty when there are none); in Parquet a list<string>."
)


def _unanchored(pattern: str) -> str:
    if pattern.startswith("^"):
        pattern = pattern[1:]
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1]
    return pattern


def table_field(f: Field) -> dict[str, Any]:
    """One Table Schema field descriptor for one of our fields."""
    constraints: dict[str, Any] = {}
    if f.required:
        constraints["required"] = True
    description = f.description
    if f.type == "list":
        descriptor: dict[str, Any] = {"name": f.name, "type": "string"}
        description = (description + _LIST_NOTE).strip()
        if f.pattern:
            item = f"(?:{_unanchored(f.pattern)})"
            constraints["pattern"] = f"(?:{item}(?:\\|{item})*)?"
    else:
        descriptor = {"name": f.name, "type": f.type}
        if f.pattern:
            constraints["pattern"] = _unanchored(f.pattern)
    if f.type == "boolean":
        descriptor["trueValues"] = ["true"]
        descriptor["falseValues"] = ["false"]
    if f.type == "date":
        descriptor["format"] = "default"  # ISO 8601, YYYY-MM-DD
    if f.type in ("integer", "number", "date"):
        if f.minimum is not None:
            constraints["minimum"] = f.minimum
        if f.maximum is not None:
            constraints["maximum"] = f.maximum
    if description:
        descriptor["description"] = description
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(
    fields: Sequence[Field],
    *,
    primary_key: Sequence[str] = (),
    foreign_keys: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [table_field(f) for f in fields],
        "missingValues": [""],
    }
    if primary_key:
        schema["primaryKey"] = list(primary_key)
    if foreign_keys:
        schema["foreignKeys"] = list(foreign_keys)
    return schema


def resource_name(stem: str) -> str:
    """Frictionless resource names: lower case letters, digits, '-', '_', '.'."""
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "table"


def csv_resource(
    name: str, path: str, title: str, schema: dict[str, Any], encoding: str = "utf-8"
) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": encoding,
        "dialect": dict(_CSV_DIALECT),
        "schema": schema,
    }


def _table_resource(table: Table, rows: Sequence[dict[str, Any]], encoding: str) -> dict[str, Any]:
    foreign = [
        {
            "fields": list(fk.fields),
            "reference": {"resource": fk.resource, "fields": list(fk.reference)},
        }
        for fk in table.foreign_keys
    ]
    schema = table_schema(
        [csv_field(f, [r.get(f.name) for r in rows]) for f in table.fields],
        primary_key=table.primary_key,
        foreign_keys=foreign,
    )
    return csv_resource(
        resource_name(table.name), f"{table.stem}.csv", table.title, schema, encoding
    )


def descriptor(
    *,
    profile: str,
    contract_version: int,
    package_version: str,
    tables: Sequence[tuple[Table, Sequence[dict[str, Any]]]] = (),
    encoding: str = "utf-8",
) -> dict[str, Any]:
    """The datapackage.json of one run's outputs. ``tables``: (table, its rows)."""
    resources = [_table_resource(table, rows, encoding) for table, rows in tables]
    resources.append(
        csv_resource(
            "documents",
            "documents.csv",
            "One row per input PDF parsed (identical copies once)",
            table_schema(DOCUMENTS, primary_key=["source_sha256"]),
            encoding,
        )
    )
    resources.append(
        csv_resource(
            "rejects",
            "rejects.csv",
            "Rows that failed parsing or validation, with the reason",
            table_schema(REJECTS),
            encoding,
        )
    )
    return {
        "profile": "tabular-data-package",
        "name": resource_name(f"iom-pipeline-{profile}"),
        "title": f"IOM PDF tables, profile {profile}",
        "description": (
            f"Written by iom-pipeline {package_version} (output contract v{contract_version}). "
            "CSV: UTF-8, RFC 4180, dates YYYY-MM-DD, empty for missing, booleans "
            "true/false, lists joined with '|'. The .parquet files hold the same tables "
            "with real types."
        ),
        "contract_version": contract_version,
        "package_version": package_version,
        "resources": resources,
    }
