"""Errors that help (issue 12): a header that lacks a required column says what it did
find and which alias is nearest; a rejected row gives every reason, not only the first.

The PDFs are drawn here with the bad-input generator's reportlab table (a one-page grid),
so each test shows the header and rows it is about.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.layout.header_error import missing_columns_message, nearest_alias
from pipeline.profiles import Column, load_profile
from tests.conftest import cli
from tests.fixtures.generators.bad_inputs import HEADER, ROWS, table_pdf


def _column(key: str) -> Column:
    return next(c for c in load_profile("iscm-events").columns if c.key == key)


# --------------------------------------------------------------------------- missing column


def test_misspelt_header_names_the_headers_found_and_the_nearest_alias(tmp_path: Path) -> None:
    pdf = tmp_path / "misspelt.pdf"
    header = ["Locaton" if h == "Place" else h for h in HEADER]
    pdf.write_bytes(table_pdf(header, ROWS))
    proc = cli("run", str(pdf), "--out", str(tmp_path / "out"), "--workers", "1", "--no-cache")
    assert proc.returncode == 1, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert line == (
        "error: misspelt.pdf: table header lacks required column 'Place'; "
        "headers found: 'ISCM', 'Date', 'Locaton', 'Event / Title', 'Outcome'; "
        "nearest: 'Location' (alias of place) to 'Locaton'"
    )


def test_two_missing_columns_each_get_their_nearest_alias() -> None:
    message = missing_columns_message(
        [_column("place"), _column("title")],
        ["ISCM", "Date", "Lieux / pays", "Titres", "Outcome"],
        ["Lieux / pays", "Titres"],
    )
    assert message == (
        "table header lacks required column 'Place', 'Event / Title'; "
        "headers found: 'ISCM', 'Date', 'Lieux / pays', 'Titres', 'Outcome'; "
        "nearest: 'Lieu / Pays' (alias of place) to 'Lieux / pays'; "
        "nearest: 'Titre' (alias of title) to 'Titres'"
    )


def test_nearest_alias_compares_folded_keys() -> None:
    """Case, accents and punctuation do not count: "UBICACION" is "Ubicación"."""
    assert nearest_alias(_column("place"), ["UBICACION."]) == ("Ubicación", "UBICACION.")


def test_no_alias_is_named_when_nothing_found_is_close() -> None:
    assert nearest_alias(_column("place"), ["Outcome", "Remarks"]) is None


# --------------------------------------------------------------------------- every reason


def test_rejected_row_lists_every_reason(tmp_path: Path) -> None:
    pdf = tmp_path / "two-faults.pdf"
    bad = ["Budapest Process", "Spring 2017", "Online", "Senior Officials Meeting", ""]
    pdf.write_bytes(table_pdf(HEADER, [*ROWS, bad]))
    out = tmp_path / "out"
    proc = cli("run", str(pdf), "--out", str(out), "--workers", "1", "--no-cache")
    assert proc.returncode == 1, proc.stderr
    with (out / "rejects.csv").open(encoding="utf-8", newline="") as f:
        (reject,) = list(csv.DictReader(f))
    assert reject["stage"] == "clean"
    assert reject["reason"] == (
        "unrecognised date \"Spring 2017\": unexpected 'spring'; "
        'no country found in place "Online"'
    )
