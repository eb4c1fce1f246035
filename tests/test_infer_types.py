"""Typed generic tables (issue 12): a generic table's column is integer, number or date in
Parquet and datapackage.json when every non-empty cell reads as one; the CSV keeps the
text as printed, and one unreadable cell keeps the column text."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.columns.infer import (
    Printed,
    csv_field,
    infer_type,
    parse_as,
    parse_number,
    typed_rows,
)
from pipeline.schema import Field
from tests.conftest import ROOT
from tests.fixtures.generators.bad_inputs import table_pdf


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("1,234", None, 1234),
        ("1 234", "en", 1234),
        ("1\u00a0234\u00a0567", "fr", 1234567),
        ("-3", None, -3),
        ("\u22123", None, -3),  # minus sign
        ("(3)", None, -3),  # IOM statistical tables print negatives in parentheses
        ("(1,234.5)", None, -1234.5),
        ("12.5 %", None, 12.5),
        ("12%", None, 12.0),
        ("0", None, 0),
        ("0.75", None, 0.75),
        ("12,5", "fr", 12.5),
        ("1.234", "es", 1234),
        ("1.234,5", "es", 1234.5),
    ],
)
def test_numbers_as_printed(text: str, language: str | None, value: float) -> None:
    got = parse_number(text, language)
    assert got == value and type(got) is type(value), (text, got)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("1,23", None),  # grouping comes in threes
        ("12,5", None),  # a decimal comma in English could be grouping
        ("12.5", "fr"),  # and a decimal point in French
        ("007", None),  # a code, not a count
        ("about 40", None),
        ("-", None),
        ("n/a", None),
        ("1,234,56", None),
        ("((3))", None),
        ("(-3)", None),
        ("3 -", None),
    ],
)
def test_not_numbers(text: str, language: str | None) -> None:
    assert parse_number(text, language) is None


@pytest.mark.parametrize(
    ("cells", "language", "kind"),
    [
        (["1,234", "(3)", "-3", ""], None, "integer"),
        (["1,234", "12.5 %"], None, "number"),
        (["3 March 2017", "2017-03-04"], None, "date"),
        (["3 mars 2017", "1er avril 2017"], "fr", "date"),
        (["2 de agosto de 2016"], "es", "date"),
        (["1", "2", "n/a"], None, "string"),  # one unreadable cell: text
        (["2-3 March 2017"], None, "string"),  # a range is not one day
        (["", " "], None, "string"),  # nothing printed: nothing to say
        (["1", "3 March 2017"], None, "string"),
    ],
)
def test_column_types(cells: list[str], language: str | None, kind: str) -> None:
    assert infer_type(cells, language) == kind


def test_an_integer_column_never_takes_a_decimal() -> None:
    assert parse_as("integer", "12.5") is None
    assert parse_as("number", "12") == 12.0


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_any_grouped_integer_reads_back(n: int) -> None:
    grouped = f"{abs(n):,}"
    for printed in (f"-{grouped}" if n < 0 else grouped, f"({grouped})" if n < 0 else grouped):
        assert parse_number(printed) == n, printed
    assert parse_number(f"{abs(n):,}".replace(",", "\u00a0"), "fr") == abs(n)


@given(st.lists(st.text(max_size=12), max_size=8))
def test_typed_rows_never_hide_text(cells: list[str]) -> None:
    """Whatever the cells, a typed column's every non-empty cell has a value, the text
    as printed is kept, and an empty cell is None."""
    rows = [{"c": c} for c in cells]
    (kind,), typed = typed_rows(rows, ["c"])
    for before, after in zip(rows, typed, strict=True):
        text = before["c"]
        if kind == "string":
            assert after["c"] == text
        elif text.strip():
            assert isinstance(after["c"], Printed) and str(after["c"]) == text
            assert after["c"].value is not None
        else:
            assert after["c"] is None
    assert rows == [{"c": c} for c in cells], "the input rows are not changed"


def test_table_schema_keeps_a_type_frictionless_reads_as_printed() -> None:
    plain = [Printed("1234", 1234), None]
    grouped = [Printed("1,234", 1234), Printed("(3)", -3)]
    assert csv_field(Field("n", "integer"), plain).type == "integer"
    declared = csv_field(Field("n", "integer"), grouped)
    assert declared.type == "string"
    assert "integer in the .parquet file" in declared.description


# --------------------------------------------------------------------------- through the CLI

HEADER = ["Country", "Migrants", "Share", "Change", "Counted on", "Remarks"]
ROWS = [
    ["Egypt", "1,234", "12.5 %", "(3)", "3 March 2017", "1"],
    ["Jordan", "987", "7 %", "-3", "4 March 2017", "n/a"],
    ["Libya", "12 345", "0.5 %", "", "5 March 2017", "2"],
]


@pytest.fixture(scope="module")
def generic_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("typed")
    pdf = tmp / "counts.pdf"
    pdf.write_bytes(table_pdf(HEADER, ROWS, heading="Migrants counted"))
    out = tmp / "out"
    args = ["run", str(pdf), "--profile", "generic", "--out", str(out), "--workers", "1"]
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *args, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_parquet_columns_are_typed(generic_out: Path) -> None:
    table = pq.read_table(generic_out / "tables" / "counts-1.parquet")
    types = {name: table.schema.field(name).type for name in HEADER}
    assert types == {
        "Country": pa.string(),
        "Migrants": pa.int64(),
        "Share": pa.float64(),
        "Change": pa.int64(),
        "Counted on": pa.date32(),
        "Remarks": pa.string(),  # "n/a" does not read as a number: text, not null
    }
    data = table.to_pydict()
    assert data["Migrants"] == [1234, 987, 12345]
    assert data["Share"] == [12.5, 7.0, 0.5]
    assert data["Change"] == [-3, -3, None]
    assert data["Counted on"] == [dt.date(2017, 3, d) for d in (3, 4, 5)]
    assert data["Remarks"] == ["1", "n/a", "2"]


def test_csv_keeps_the_text_as_printed(generic_out: Path) -> None:
    with (generic_out / "tables" / "counts-1.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [[r[h] for h in HEADER] for r in rows] == ROWS


def test_datapackage_declares_the_types_and_validates(generic_out: Path) -> None:
    package = json.loads((generic_out / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["path"] == "tables/counts-1.csv"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    # printed "1,234", "(3)", "3 March 2017": a Frictionless reader would refuse them as
    # typed, so the CSV's schema says text and where the typed values are
    for name, kind in [("Migrants", "integer"), ("Share", "number"), ("Counted on", "date")]:
        assert fields[name]["type"] == "string"
        assert f"{kind} in the .parquet file" in fields[name]["description"]
    assert fields["Remarks"]["type"] == "string" and "description" not in fields["Remarks"]
    report = frictionless.validate(generic_out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
