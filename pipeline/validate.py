"""validate: records -> (valid records, rejects), with a pandera schema built from the
profile's fields.

Validation is lazy (``lazy=True``), so every failing check of every row is collected;
pandera's ``failure_cases`` (column, check, failure_case, index) map straight onto
``rejects.csv``: one reject per failing row, all its reasons joined with "; ". A field
declared ``unique`` is unique within one document: a second row with the same value
(a repeated ``event_id``) is rejected as "duplicate of row N".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from pipeline.model import Cleaned, Reject
from pipeline.profiles import Profile
from pipeline.schema import Field, RowCheck

Record = dict[str, Any]


def _is_type(f: Field) -> Callable[[Any], bool]:
    if f.type == "string":
        return lambda v: isinstance(v, str)
    if f.type == "integer":
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if f.type == "number":
        return lambda v: isinstance(v, int | float) and not isinstance(v, bool)
    if f.type == "boolean":
        return lambda v: isinstance(v, bool)
    if f.type == "date":
        return lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)
    return lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)


def _bound(f: Field, value: Any) -> Any:
    return dt.date.fromisoformat(value) if f.type == "date" and isinstance(value, str) else value


def _checks(f: Field) -> list[pa.Check]:
    checks = [pa.Check(_is_type(f), element_wise=True, error=f"is not of type {f.type}")]
    if f.required:
        checks.append(
            pa.Check(
                lambda v: v is not None and (not isinstance(v, str) or bool(v.strip())),
                element_wise=True,
                error="is empty",
            )
        )
    if f.pattern:
        rx = re.compile(f.pattern)

        def matches(v: Any, rx: re.Pattern[str] = rx) -> bool:
            items = v if isinstance(v, list) else [v]
            return all(isinstance(x, str) and (x == "" or rx.search(x)) for x in items)

        checks.append(pa.Check(matches, element_wise=True, error=f"does not match {f.pattern}"))
    if f.minimum is not None:
        lo = _bound(f, f.minimum)
        checks.append(
            pa.Check(lambda v, lo=lo: v is None or v >= lo, element_wise=True, error=f"< {lo}")
        )
    if f.maximum is not None:
        hi = _bound(f, f.maximum)
        checks.append(
            pa.Check(lambda v, hi=hi: v is None or v <= hi, element_wise=True, error=f"> {hi}")
        )
    return checks


def _row_check(c: RowCheck) -> pa.Check:
    ops: dict[str, Callable[[pd.Series, pd.Series], pd.Series]] = {
        ">=": lambda a, b: a >= b,
        ">": lambda a, b: a > b,
        "==": lambda a, b: a == b,
    }
    op = ops[c.op]

    def check(df: pd.DataFrame) -> pd.Series:
        return op(df[c.left], df[c.right]).astype(bool)

    return pa.Check(check, error=str(c))


def build_schema(fields: Sequence[Field], row_checks: Sequence[RowCheck]) -> pa.DataFrameSchema:
    columns = {
        f.name: pa.Column(
            object,
            checks=_checks(f),
            nullable=not f.required,
            unique=f.unique,
            report_duplicates="exclude_first",
        )
        for f in fields
    }
    return pa.DataFrameSchema(
        columns, checks=[_row_check(c) for c in row_checks], strict=False, ordered=False
    )


def _first_rows(records: Sequence[Record], column: str) -> dict[Any, Any]:
    """Each value of ``column`` -> the row_index of the first row holding it."""
    first: dict[Any, Any] = {}
    for r in records:
        first.setdefault(r.get(column), r.get("row_index"))
    return first


def _reasons(err: SchemaErrors, records: Sequence[Record]) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = defaultdict(list)
    n_rows = len(records)
    firsts: dict[str, dict[Any, Any]] = {}
    for case in err.failure_cases.to_dict("records"):
        index = case.get("index")
        column = case.get("column")
        check = str(case.get("check"))
        value = case.get("failure_case")
        if check.startswith("field_uniqueness") and column:
            # the contract's wording: "duplicate of row N", N the first row's row_index
            first = firsts.setdefault(column, _first_rows(records, column)).get(value)
            check = f"duplicate of row {first}"
        where = f"{column} " if column and column != "None" else ""
        text = f"{where}{check}"
        if value is not None and not isinstance(value, bool) and column:
            text += f" (got {value!r})"
        if index is None or (isinstance(index, float) and index != index):
            for i in range(n_rows):  # a schema-wide failure: every row carries it
                reasons[i].append(text)
        else:
            reasons[int(index)].append(text)
    return reasons


def validate_cleaned(cleaned: Cleaned, profile: Profile) -> tuple[list[Record], list[Reject]]:
    """Rows passing every check of the profile's schema, and rejects for the others."""
    records = cleaned.records
    rejects = list(cleaned.rejects)
    if not profile.fields or not records:
        return records, rejects
    names = [f.name for f in profile.fields]
    frame = pd.DataFrame({n: pd.Series([r.get(n) for r in records], dtype=object) for n in names})
    schema = build_schema(profile.fields, profile.row_checks)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        bad = _reasons(err, records)
    else:
        bad = {}
    valid: list[Record] = []
    for i, record in enumerate(records):
        if i in bad:
            rejects.append(
                Reject(
                    record["source_file"],
                    record.get("page_start"),
                    record.get("row_index"),
                    "validate",
                    "; ".join(dict.fromkeys(bad[i])),
                    tuple(record.get("_cells", ())),
                )
            )
        else:
            valid.append(record)
    # row_index stays the row's position among the document's logical rows, shared with
    # rejects.csv: a rejected row leaves a gap that names it
    rejects.sort(key=lambda r: r.row_index or 0)
    return valid, rejects
