"""The tables a profile writes, as data: fields, keys, and where a child table's rows
come from.

A profile has one *row table* (one row per logical row of the printed table: ``events``)
and may have *child tables* exploded from a list a column type produces (``event_iscms``:
one row per (acronym, name) pair of the ISCM cell). A child's field takes its value from
the parent row (``source = "event_id"``) or from the item (``item.position``, the
1-based order in the list, or ``item.<part>``, a part the column type names).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.schema import Field, FieldType

Record = dict[str, Any]
ITEM = "item."


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    """Resource name in datapackage.json and file stem (``<name>.csv``, ``.parquet``)."""
    title: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows_from: str | None = None
    """Child table: the record key holding the list its rows are exploded from."""
    item_parts: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    """Child table: per field, a parent field name or ``item.<part>``."""
    per_source_table: bool = False
    """One file per table found in each input (``tables/<stem>-<k>``), with the columns
    inferred from its header appended to ``fields`` (the generic profile)."""
    path: str = ""
    """File stem relative to the output folder; empty: ``name``."""

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"table {self.name}: duplicate field names")
        for key in self.primary_key:
            if key not in names:
                raise ValueError(f"table {self.name}: key {key!r} is not one of its fields")
        if self.rows_from is not None and len(self.sources) != len(self.fields):
            raise ValueError(f"table {self.name}: every field needs a source")
        allowed = {f"{ITEM}position", *(f"{ITEM}{p}" for p in self.item_parts)}
        for source in self.sources:
            if source.startswith(ITEM) and source not in allowed:
                raise ValueError(
                    f"table {self.name}: source {source!r} is none of {', '.join(sorted(allowed))}"
                )

    @property
    def stem(self) -> str:
        return self.path or self.name


def child_rows(table: Table, records: Iterable[Record]) -> list[Record]:
    """The rows of a child table: one per item of each record's list, in order."""
    rows: list[Record] = []
    for record in records:
        for position, item in enumerate(record.get(table.rows_from or "") or [], start=1):
            parts = {"position": position, **dict(zip(table.item_parts, item, strict=True))}
            rows.append(
                {
                    f.name: parts[src[len(ITEM) :]] if src.startswith(ITEM) else record.get(src)
                    for f, src in zip(table.fields, table.sources, strict=True)
                }
            )
    return rows


def with_columns(
    table: Table, path: str, labels: Sequence[str], types: Sequence[FieldType] = ()
) -> Table:
    """A per-source-table table for one printed table: its inferred columns, as text
    unless ``types`` says otherwise (``columns.infer``)."""
    kinds = list(types) or ["string"] * len(labels)
    return Table(
        name=table.name.format(stem=path),
        title=table.title.format(stem=path),
        fields=(
            *table.fields,
            *(Field(label, kind) for label, kind in zip(labels, kinds, strict=True)),
        ),
        path=table.path.format(stem=path),
    )
