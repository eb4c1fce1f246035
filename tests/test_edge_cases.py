"""Edge cases found in code review, one test each: same-named and repeated inputs, stage
files, stale outputs, unwritable output folders, and normaliser corner cases.

Each test states the behaviour the contract (../shared/CONTRACT.md) or an analyst
expects; each failed before its fix.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import frictionless
import pytest

from pipeline.clean import row_record
from pipeline.layout import unique_labels
from pipeline.model import LogicalRow
from pipeline.normalise.places import parse_place
from pipeline.normalise.urls import rejoin_wrapped_urls
from pipeline.profiles import load_profile
from pipeline.runner import Options, run_pipeline
from pipeline.tables import child_rows
from tests.conftest import FIXTURES, RAW_PDF, cli

REJECTS_PDF = FIXTURES / "pdfs" / "rl-rejects-a4-landscape.pdf"
SCHOOLS_PDF = FIXTURES / "realworld" / "schools.pdf"  # generic: 1 table
EU_PDF = FIXTURES / "realworld" / "eu-017.pdf"  # generic: 2 tables


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _same_name_pair(tmp: Path, first: Path, second: Path, name: str) -> tuple[Path, Path]:
    """Two different PDFs with the same file name in different folders."""
    a, b = tmp / "a" / name, tmp / "b" / name
    a.parent.mkdir()
    b.parent.mkdir()
    shutil.copy(first, a)
    shutil.copy(second, b)
    return a, b


# --------------------------------------------------------------------------- stages


def test_stages_keep_two_pdfs_with_the_same_name_apart(tmp_path: Path) -> None:
    a, b = _same_name_pair(tmp_path, RAW_PDF, REJECTS_PDF, "x.pdf")
    run_out, stage_out = tmp_path / "run", tmp_path / "stages"
    cli("run", str(a), str(b), "--out", str(run_out), "--workers", "1", "--no-cache")
    cli("extract", str(a), str(b), "--out", str(stage_out), "--workers", "1")
    cli("clean", "--out", str(stage_out))
    cli("validate", "--out", str(stage_out))
    assert len(_rows(stage_out / "documents.csv")) == 2
    for name in ("events.csv", "event_iscms.csv", "documents.csv", "rejects.csv"):
        assert (stage_out / name).read_text() == (run_out / name).read_text(), name


def test_clean_with_a_different_profile_than_extract_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        cli("extract", str(SCHOOLS_PDF), "--profile", "generic", "--out", str(out)).returncode == 0
    )
    proc = cli("clean", "--out", str(out))  # default profile iscm-events
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-300:])


# --------------------------------------------------------------------------- inputs


def test_generic_tables_of_same_named_pdfs_do_not_overwrite_each_other(tmp_path: Path) -> None:
    a, b = _same_name_pair(tmp_path, SCHOOLS_PDF, EU_PDF, "t.pdf")
    out = tmp_path / "out"
    _, report = run_pipeline([a, b], out, Options(profile="generic", workers=1))
    n_tables = sum(e["tables_found"] for e in report["inputs"])
    assert n_tables == 3
    assert len(list((out / "tables").glob("*.csv"))) == n_tables
    assert frictionless.validate(out / "datapackage.json").valid


def test_generic_tables_of_unicode_names_do_not_collide(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SCHOOLS_PDF, folder / "é t.pdf")
    shutil.copy(EU_PDF, folder / "ü t.pdf")
    out = tmp_path / "out"
    _, report = run_pipeline([folder], out, Options(profile="generic", workers=1))
    n_tables = sum(e["tables_found"] for e in report["inputs"])
    assert len(list((out / "tables").glob("*.csv"))) == n_tables == 3


def test_the_same_pdf_given_twice_is_parsed_once(tmp_path: Path) -> None:
    once, twice = tmp_path / "once", tmp_path / "twice"
    run_pipeline([RAW_PDF], once, Options(workers=1))
    run_pipeline([RAW_PDF, RAW_PDF.parent], twice, Options(workers=1))
    assert (twice / "events.csv").read_text() == (once / "events.csv").read_text()
    assert frictionless.validate(twice / "datapackage.json").valid


def test_datapackage_valid_for_two_releases_with_the_same_file_name(tmp_path: Path) -> None:
    a, b = _same_name_pair(tmp_path, RAW_PDF, REJECTS_PDF, "iscm.pdf")
    out = tmp_path / "out"
    run_pipeline([a, b], out, Options(workers=1))
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["type", "message"])[:3]


def test_a_folder_without_pdfs_is_an_error_and_keeps_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli("run", str(RAW_PDF), "--out", str(out), "--workers", "1")
    before = (out / "events.csv").read_text()
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = cli("run", str(empty), "--out", str(out))
    assert proc.returncode == 2
    assert (out / "events.csv").read_text() == before


# --------------------------------------------------------------------------- outputs


def test_unwritable_out_is_one_line_error_without_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    proc = cli("run", str(RAW_PDF), "--out", str(blocker / "sub"), "--workers", "1")
    assert "Traceback" not in proc.stderr, proc.stderr[-400:]
    assert proc.returncode == 2
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "a-file" in errors[0]


def test_no_stale_generic_tables_from_an_earlier_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_pipeline([EU_PDF], out, Options(profile="generic", workers=1))
    run_pipeline([SCHOOLS_PDF], out, Options(profile="generic", workers=1))
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"] for r in package["resources"] if r["path"].startswith("tables/")}
    present = {f"tables/{p.name}" for p in (out / "tables").glob("*.csv")}
    assert present == listed


def test_event_iscms_rows_satisfy_their_required_fields() -> None:
    row = LogicalRow(
        table=1,
        row_index=1,
        page_start=1,
        page_end=1,
        cells={
            "iscm": "(RCM)",
            "date": "2 August 2016",
            "place": "Geneva, Switzerland",
            "title": "Annual meeting",
            "outcome": "",
        },
        italic={},
    )
    profile = load_profile("iscm-events")
    record = row_record(row, profile, profile.columns, "x.pdf", "0" * 64)
    (event_iscms,) = profile.child_tables
    required = [f.name for f in event_iscms.fields if f.required]
    assert required == ["event_id", "source_file", "source_sha256", "position", "iscm_name"]
    for r in child_rows(event_iscms, [record]):
        assert all(str(r[name]).strip() for name in required), r


# --------------------------------------------------------------------------- generic labels


def test_unique_labels_are_unique() -> None:
    labels = unique_labels(["column_2", ""])
    assert len(set(labels)) == len(labels), labels


# --------------------------------------------------------------------------- normalisers


@pytest.mark.parametrize(
    ("place", "country", "iso3"),
    [
        ("Geneva - Switzerland", "Switzerland", "CHE"),
        ("Geneva – Switzerland", "Switzerland", "CHE"),
        ("Brussels, Belgium / Luxembourg", "Luxembourg", "LUX"),
    ],
)
def test_country_as_printed_has_no_leading_punctuation(place: str, country: str, iso3: str) -> None:
    found = parse_place(place)
    assert (found.country, found.country_iso3) == (country, iso3), found


def test_url_ending_in_slash_is_not_glued_to_the_next_sentence() -> None:
    lines = ["Report online: https://www.iom.int/", "Report of the meeting"]
    assert rejoin_wrapped_urls(lines) == lines


def test_superscript_footnote_markers_are_dropped_ordinals_kept() -> None:
    from pipeline.extract import _without_footnote_markers
    from pipeline.glyphs import Glyphs

    def ch(text: str, x0: float, size: float = 9.0, bottom: float = 100.0) -> dict[str, Any]:
        box = {"x0": x0, "x1": x0 + 4, "top": bottom - size, "bottom": bottom}
        return {"text": text, "size": size, **box}

    raised = {"size": 6.0, "bottom": 97.0}
    chars = [
        ch("s", 0),
        ch("1", 4, **raised),
        ch(" ", 8),
        ch("3", 12),
        ch("1", 16),
        ch("s", 20, **raised),
        ch("t", 24, **raised),
    ]
    kept = _without_footnote_markers(Glyphs.from_dicts(chars))
    assert "".join(kept.text) == "s 31st"


def _table_with_text_far_off_the_page(path: Path) -> None:
    """A 3-column unruled table, and the same lines again 46 million points to the
    right of the page (a damaged text matrix, as a fuzzed PDF had)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    rows = [("Name", "City", "Count"), ("Ann", "Oslo", "3"), ("Bob", "Rome", "5")]
    rows += [("Cid", "Lima", "8"), ("Dee", "Kiev", "13")]
    for i, row in enumerate(rows):
        for x, text in zip((72, 200, 330), row, strict=True):
            c.drawString(x, 700 - 16 * i, text)
            c.drawString(46_000_000 + x, 700 - 16 * i, f"far {text} 10")
    c.save()


@pytest.mark.parametrize("profile", ["generic", "iscm-events"])
def test_text_far_off_the_page_is_not_read(tmp_path: Path, profile: str) -> None:
    """Glyphs set off the page are printed nowhere: they are no table's text, and
    measuring columns across 46 million points once ran a worker out of memory."""
    pdf = tmp_path / "far.pdf"
    _table_with_text_far_off_the_page(pdf)
    out = tmp_path / "out"
    run_pipeline([pdf], out, Options(profile=profile, workers=1))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))["inputs"][0]
    if profile == "iscm-events":  # no ISCM table on this page: refused by name, in time
        assert report["error"] == "far.pdf: no ISCM events table found"
        return
    assert report["error"] is None
    with (out / "tables" / "far-1.csv").open(encoding="utf-8", newline="") as f:
        rows = [r[5:] for r in csv.reader(f)]
    assert rows == [["Name", "City", "Count"], ["Ann", "Oslo", "3"], ["Bob", "Rome", "5"],
                    ["Cid", "Lima", "8"], ["Dee", "Kiev", "13"]]
