"""datapackage.json: a Frictionless Data Package that validates the outputs it describes,
generated from the same Field lists as the pandera and Arrow schemas."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import frictionless
import pyarrow.parquet as pq
import pytest

from pipeline.datapackage import table_field
from pipeline.profiles import load_profile
from pipeline.runner import Options, run_pipeline
from pipeline.schema import DOCUMENTS, REJECTS, Field
from tests.conftest import RAW_PDF, ROOT

PROFILE = load_profile("iscm-events")
EVENT_ISCMS = PROFILE.child_tables[0].fields


def _package(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    return data


def _resource(out: Path, name: str) -> dict[str, Any]:
    (res,) = [r for r in _package(out)["resources"] if r["name"] == name]
    return res


def _errors(report: frictionless.Report) -> list[tuple[str, str | None]]:
    return [(e[0], e[1]) for e in report.flatten(["type", "fieldName"])]


def test_frictionless_validates_the_outputs_of_the_raw_pdf(run_fixture: Any) -> None:
    out: Path = run_fixture(RAW_PDF)
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, _errors(report)
    rows = {t.name: t.stats.get("rows") for t in report.tasks}
    assert rows["events"] == 20 and rows["event_iscms"] == 21 and rows["documents"] == 1


def test_one_resource_per_csv_with_its_dialect(run_fixture: Any) -> None:
    out: Path = run_fixture(RAW_PDF)
    resources = _package(out)["resources"]
    assert [r["path"] for r in resources] == [
        "events.csv",
        "event_iscms.csv",
        "documents.csv",
        "rejects.csv",
    ]
    for r in resources:
        assert r["dialect"]["lineTerminator"] == "\n" and r["encoding"] == "utf-8"
        assert r["schema"]["missingValues"] == [""]


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("events", PROFILE.fields),
        ("event_iscms", EVENT_ISCMS),
        ("documents", DOCUMENTS),
        ("rejects", REJECTS),
    ],
)
def test_schema_fields_are_the_csv_header_and_the_parquet_schema(
    run_fixture: Any, name: str, fields: tuple[Field, ...]
) -> None:
    out: Path = run_fixture(RAW_PDF)
    declared = [f["name"] for f in _resource(out, name)["schema"]["fields"]]
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert declared == [f.name for f in fields] == header
    if (out / f"{name}.parquet").exists():
        assert pq.read_schema(out / f"{name}.parquet").names == declared


def test_keys_of_events_event_iscms_and_documents(run_fixture: Any) -> None:
    out: Path = run_fixture(RAW_PDF)
    events = _resource(out, "events")["schema"]
    assert events["primaryKey"] == ["source_sha256", "event_id"]
    assert events["foreignKeys"] == [
        {
            "fields": ["source_sha256"],
            "reference": {"resource": "documents", "fields": ["source_sha256"]},
        }
    ]
    iscms = _resource(out, "event_iscms")["schema"]
    assert iscms["primaryKey"] == ["source_sha256", "event_id", "position"]
    assert iscms["foreignKeys"] == [
        {
            "fields": ["source_sha256", "event_id"],
            "reference": {"resource": "events", "fields": ["source_sha256", "event_id"]},
        }
    ]
    assert _resource(out, "documents")["schema"]["primaryKey"] == ["source_sha256"]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (
            Field("start_date", "date", "First day.", required=True, minimum="1950-01-01"),
            {
                "name": "start_date",
                "type": "date",
                "format": "default",
                "description": "First day.",
                "constraints": {"required": True, "minimum": "1950-01-01"},
            },
        ),
        (
            Field("iscm_italic", "boolean", required=True),
            {
                "name": "iscm_italic",
                "type": "boolean",
                "trueValues": ["true"],
                "falseValues": ["false"],
                "constraints": {"required": True},
            },
        ),
        (
            Field("event_id", "string", unique=True, pattern="^[0-9a-f]{16}$"),
            # unique within one document (validate rejects a repeat): across a run the
            # primary key (source_sha256, event_id) is what holds, so no "unique" here
            {
                "name": "event_id",
                "type": "string",
                "constraints": {"pattern": "[0-9a-f]{16}"},
            },
        ),
    ],
)
def test_field_types_and_constraints(field: Field, expected: dict[str, Any]) -> None:
    assert table_field(field) == expected


def test_list_columns_are_pipe_joined_strings_with_the_item_pattern_per_item() -> None:
    f = table_field(Field("iscm_acronyms", "list", "Acronyms.", pattern="^[A-Z]{2,5}$"))
    assert f["type"] == "string" and "joined with '|'" in f["description"]
    schema = frictionless.Schema.from_descriptor({"fields": [f], "missingValues": [""]})
    field = schema.get_field("iscm_acronyms")
    ok, bad = ["RCM", "RCM|SACM", ""], ["RCM|", "rcm", "RCM SACM"]
    assert [field.read_cell(v)[1] is None for v in ok] == [True] * len(ok)
    assert [field.read_cell(v)[1] is None for v in bad] == [False] * len(bad)


def test_a_broken_copy_fails_validation(run_fixture: Any, tmp_path: Path) -> None:
    out = tmp_path / "broken"
    shutil.copytree(run_fixture(RAW_PDF), out)
    path = out / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    rows[1][header.index("start_date")] = "2016-13-45"
    rows[2][header.index("country_iso3")] = "Turkey"
    rows[3][header.index("event_id")] = rows[4][header.index("event_id")]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    errors = _errors(frictionless.validate(out / "datapackage.json"))
    assert ("type-error", "start_date") in errors
    assert ("constraint-error", "country_iso3") in errors
    assert ("primary-key", None) in errors  # (source_sha256, event_id) repeated
    assert ("foreign-key", None) in errors  # event_iscms rows of the overwritten id


def test_two_releases_in_one_run_keep_one_declared_key(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_PDF, raw / "release-1.pdf")
    shutil.copy(ROOT / "tests/fixtures/pdfs/rl-grid-a4-landscape.pdf", raw / "release-2.pdf")
    run_pipeline([raw], tmp_path / "out", Options(workers=2))
    schema = _resource(tmp_path / "out", "events")["schema"]
    assert schema["primaryKey"] == ["source_sha256", "event_id"]
    assert "unique" not in schema["fields"][0]["constraints"]
    report = frictionless.validate(tmp_path / "out" / "datapackage.json")
    assert report.valid, _errors(report)
    assert {t.name: t.stats.get("rows") for t in report.tasks}["events"] == 40


def test_readme_documents_the_package_and_list_columns() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "datapackage.json" in readme
    assert "frictionless validate" in readme
