"""Profiles are data: a table kind is a TOML file, column types do the parsing.

Guards issue 9, item 8: renaming a column key in a copied profile still works, a second
table kind (displacement) runs from its profile file alone with typed Parquet output,
the stable row id is the documented formula, and a malformed profile is refused when
it is loaded instead of writing empty columns."""

from __future__ import annotations

import csv
import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.clean import clean_extraction
from pipeline.columns import TYPES, Cell, CellError
from pipeline.errors import UsageError
from pipeline.extract import extract_document
from pipeline.normalise.ids import event_id
from pipeline.profiles import load_profile, parse_profile
from pipeline.validate import validate_cleaned
from tests.conftest import RAW_PDF, ROOT

DISPLACEMENT_PDF = ROOT / "tests/fixtures/pdfs/dtm-displacement-districts.pdf"
DISPLACEMENT_EXPECTED = ROOT / "tests/fixtures/expected/dtm-displacement-districts"
ISCM_TOML = (resources.files("pipeline.profiles") / "iscm-events.toml").read_text("utf-8")


def _csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _records(pdf: Path, profile_text: str) -> list[dict[str, Any]]:
    profile = parse_profile(profile_text, "test profile")
    cleaned = clean_extraction(extract_document(pdf, profile), profile)
    valid, rejects = validate_cleaned(cleaned, profile)
    assert not rejects, rejects[:3]
    return valid


def _without_internal(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if not k.endswith("_pairs")} for r in records]


# --------------------------------------------------------------------------- no kinds


def test_no_profile_has_a_kind() -> None:
    for name in ("iscm-events", "generic", "displacement"):
        assert not hasattr(load_profile(name), "kind")


def test_the_generic_profile_is_one_that_declares_no_columns() -> None:
    assert load_profile("generic").infers_columns
    assert not load_profile("iscm-events").infers_columns
    assert not load_profile("displacement").infers_columns


def test_a_printed_tables_names_become_the_profiles_keys_by_their_aliases() -> None:
    """A table found by its rules or alignment is named by its header; the profile maps
    the names to its keys (aliases compared by letters and digits), keeps any other
    name, and refuses the table when a required column is left unnamed."""
    displacement = load_profile("displacement")
    names = ["No.", "Province", "District", "IDPs Individuals", "IDPs Households", "Date"]
    assert displacement.header_keys(names) == (
        "No.",
        "province",
        "district",
        "idps_individuals",
        "idps_households",
        "assessment_date",
    )
    assert displacement.header_keys(["Province", "District", "IDPs", "Date"]) is None
    assert load_profile("generic").header_keys(["Cycle Name", "Km"]) == ("Cycle Name", "Km")


def test_a_kind_key_is_refused_as_unknown() -> None:
    with pytest.raises(UsageError, match="unknown key kind"):
        parse_profile('kind = "iscm-events"\n' + ISCM_TOML, "copy.toml")


# --------------------------------------------------------------------------- renamed keys


def test_a_copied_profile_with_the_iscm_key_renamed_gives_the_same_events() -> None:
    renamed = ISCM_TOML.replace('key = "iscm"', 'key = "mechanism"', 1)
    assert renamed != ISCM_TOML
    expected = _records(RAW_PDF, ISCM_TOML)
    got = _records(RAW_PDF, renamed)
    assert len(got) == len(expected) == 20
    assert _without_internal(got) == _without_internal(expected)


def test_renamed_outputs_become_the_output_columns() -> None:
    text = (
        ISCM_TOML.replace('text = "iscm",', 'text = "mechanism",')
        .replace('name = "iscm"\n', 'name = "mechanism"\n')
        .replace('or = "iscm"', 'or = "mechanism"')
    )
    records = _records(RAW_PDF, text)
    expected = _records(RAW_PDF, ISCM_TOML)
    assert [r["mechanism"] for r in records] == [r["iscm"] for r in expected]
    assert [r["event_id"] for r in records] == [r["event_id"] for r in expected]
    assert all("iscm" not in r for r in records)


def test_a_field_no_column_produces_is_an_error_when_loading() -> None:
    text = ISCM_TOML.replace('text = "iscm",', 'text = "mechanism",').replace(
        'or = "iscm"', 'or = "mechanism"'
    )
    with pytest.raises(UsageError, match="field 'iscm': no column output"):
        parse_profile(text, "copy.toml")


def test_a_field_of_the_wrong_type_is_an_error_when_loading() -> None:
    text = ISCM_TOML.replace(
        'name = "start_date"\ntype = "date"', 'name = "start_date"\ntype = "string"'
    )
    assert text != ISCM_TOML
    with pytest.raises(UsageError, match=r"start_date.*declared string, but 'start_date' is date"):
        parse_profile(text, "copy.toml")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('type = "date_range"', 'type = "daterange"', "unknown column type 'daterange'"),
        ('start = "start_date"', 'begin = "start_date"', "date_range has no output begin"),
        ("fill_down = true", "fill_down = true\nmissing = ['-']", "unknown option missing"),
        ("[[columns]]", "[[colums]]", "unknown key colums"),
    ],
)
def test_malformed_profiles_are_refused(old: str, new: str, message: str) -> None:
    text = ISCM_TOML.replace(old, new, 1)
    assert text != ISCM_TOML
    with pytest.raises(UsageError, match=message):
        parse_profile(text, "copy.toml")


# --------------------------------------------------------------------------- row id


def test_row_id_is_the_documented_event_id_formula() -> None:
    profile = load_profile("iscm-events")
    row_id = profile.row_id
    assert row_id is not None
    (iscm,) = [c for c in profile.columns if c.type == "acronym_list"]
    args = (dt.date(2017, 5, 15), "“Annual” meeting – Vice-Ministers")

    def record(cell: str) -> dict[str, Any]:
        return {**iscm.parse(cell), "start_date": args[0], "title": args[1]}

    english = record("Regional Conference on Migration (RCM) and South American "
                     "Conference on Migration (SACM)")
    assert row_id.of(english) == event_id(["RCM", "SACM"], english["iscm"], *args)
    # the Spanish edition's own acronyms key the ISCMs as the English ones
    spanish = record("Conferencia Regional sobre Migración (CRM) y Conferencia "
                     "Suramericana sobre Migraciones (CSM)")
    assert spanish["iscm_acronyms"] == ["CRM", "CSM"]
    assert row_id.of(spanish) == row_id.of(english)
    no_codes = record("Bali Process")
    assert row_id.of(no_codes) == event_id([], "Bali Process", *args)


# --------------------------------------------------------------------------- column types


def _cell(text: str, **options: Any) -> Cell:
    return Cell(tuple(text.split("\n")), "Count", required=False, options=options)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234", 1234), ("12 345", 12345), ("987", 987), ("1,234,567", 1234567), ("0", 0)],
)
def test_integer_reads_grouped_counts(text: str, value: int) -> None:
    assert TYPES["integer"].parse(_cell(text)) == {"value": value}, text


@pytest.mark.parametrize("text", ["1,23", "12.5", "about 40", "1,234 567", "12,3456"])
def test_integer_refuses_what_is_not_a_count(text: str) -> None:
    with pytest.raises(CellError, match="not a whole number"):
        TYPES["integer"].parse(_cell(text))


def test_integer_missing_markers_and_empty_are_missing() -> None:
    assert TYPES["integer"].parse(_cell("-", missing=["-"])) == {"value": None}
    assert TYPES["integer"].parse(_cell("")) == {"value": None}
    with pytest.raises(CellError):
        TYPES["integer"].parse(_cell("-"))


@pytest.mark.parametrize(("text", "value"), [("1,234.5", 1234.5), ("0.75", 0.75), ("12 %", 12.0)])
def test_number_reads_decimals(text: str, value: float) -> None:
    assert TYPES["number"].parse(_cell(text)) == {"value": value}, text


def test_date_is_one_day_and_refuses_a_range() -> None:
    assert TYPES["date"].parse(_cell("12 Mar 2024")) == {"value": dt.date(2024, 3, 12)}
    with pytest.raises(CellError, match="a range"):
        TYPES["date"].parse(_cell("12-14 Mar 2024"))


def test_url_list_pulls_out_a_wrapped_url() -> None:
    got = TYPES["url_list"].parse(_cell("Report at https://example.org/a/\nlong-page.pdf"))
    assert got == {"text": "Report at", "urls": ["https://example.org/a/long-page.pdf"]}


def test_acronym_list_gives_the_pairs_a_child_table_explodes() -> None:
    cell = Cell(("Regional Conference on Migration (RCM) and Puebla",), "ISCM", italic=True)
    got = TYPES["acronym_list"].parse(cell)
    assert got["acronyms"] == ["RCM"] and got["italic"] is True
    assert got["pairs"] == [("RCM", "Regional Conference on Migration"), ("", "Puebla")]


def test_a_required_empty_text_cell_names_its_column() -> None:
    with pytest.raises(CellError, match="empty Event / Title cell"):
        TYPES["text"].parse(Cell(("",), "Event / Title", required=True))


def test_every_output_of_every_type_is_produced() -> None:
    samples = {
        "text": "x",
        "date_range": "15-17 May 2017",
        "date": "2024-03-12",
        "place": "Cairo, Egypt",
        "acronym_list": "Bali Process",
        "url_list": "see www.iom.int",
        "integer": "1,234",
        "number": "1.5",
    }
    assert set(samples) == set(TYPES)
    for name, kind in TYPES.items():
        assert set(kind.parse(_cell(samples[name]))) == set(kind.roles), name


# --------------------------------------------------------------------------- displacement


@pytest.fixture(scope="module")
def displacement_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.runner import Options, run_pipeline

    out = tmp_path_factory.mktemp("displacement")
    results, _ = run_pipeline([DISPLACEMENT_PDF], out, Options(profile="displacement", workers=1))
    assert results[0].document.error is None, results[0].document.error
    return out


@pytest.mark.parametrize("name", ["displacement.csv", "documents.csv", "rejects.csv"])
def test_displacement_outputs_equal_the_generator_data(displacement_out: Path, name: str) -> None:
    exp_cols, expected = _csv(DISPLACEMENT_EXPECTED / name)
    got_cols, got = _csv(displacement_out / name)
    assert got_cols == exp_cols
    problems = [
        f"row {i} {c}: expected {e[c]!r}, got {g[c]!r}"
        for i, (e, g) in enumerate(zip(expected, got, strict=False), start=1)
        for c in exp_cols
        if e[c] != g[c]
    ]
    assert len(got) == len(expected), f"{len(got)} rows, expected {len(expected)}"
    assert not problems, "\n".join(problems[:20])


def test_displacement_keeps_the_row_split_by_the_page_break(displacement_out: Path) -> None:
    _, rows = _csv(displacement_out / "displacement.csv")
    split = [r for r in rows if r["page_start"] != r["page_end"]]
    assert [(r["district"][:9], r["page_start"], r["page_end"]) for r in split] == [
        ("Jalalabad", "1", "2")
    ]


def test_displacement_parquet_is_typed(displacement_out: Path) -> None:
    table = pq.read_table(displacement_out / "displacement.parquet")
    types = dict(zip(table.schema.names, table.schema.types, strict=True))
    assert table.schema.names[:5] == [
        "source_file",
        "source_sha256",
        "row_index",
        "page_start",
        "page_end",
    ]
    assert types["idps_individuals"] == types["idps_households"] == pa.int64()
    assert types["returnees"] == pa.int64() and types["assessment_date"] == pa.date32()
    assert types["province"] == pa.string()
    transcription = json.loads(
        (ROOT / "tests/fixtures/transcription/displacement-districts.json").read_text("utf-8")
    )
    assert table.column("returnees").to_pylist() == [r["returnees"] for r in transcription["rows"]]
    assert None in table.column("returnees").to_pylist()  # "-": not assessed


def test_displacement_datapackage_declares_and_validates(displacement_out: Path) -> None:
    package = json.loads((displacement_out / "datapackage.json").read_text("utf-8"))
    (res,) = [r for r in package["resources"] if r["name"] == "displacement"]
    assert res["schema"]["primaryKey"] == ["source_sha256", "row_index"]
    types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
    assert types["idps_individuals"] == "integer" and types["assessment_date"] == "date"
    report = frictionless.validate(displacement_out / "datapackage.json")
    assert report.valid, report.flatten(["type", "message"])[:3]


def test_displacement_runs_from_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(DISPLACEMENT_PDF),
            "--profile",
            "displacement",
            "--out",
            str(tmp_path),
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert not (tmp_path / "events.csv").exists()
    assert (tmp_path / "displacement.parquet").exists()
