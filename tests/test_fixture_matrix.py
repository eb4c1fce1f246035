"""Checks on the reportlab fixture PDFs themselves, without the pipeline.

The golden tests compare the pipeline's output with expected files; these make sure the
PDFs really are what their transcriptions claim: right page count, page size and
orientation, and page breaks that cut the crafted rows where intended (read back with
pdfplumber, independently of the pipeline's extractor)."""

from __future__ import annotations

import itertools
import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from tests.conftest import FIXTURES, ROOT

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)

# name -> (paper, orientation)
INTENDED = {
    "rl-grid-a4-landscape": (A4, "landscape"),
    "rl-hrules-letter-portrait": (LETTER, "portrait"),
    "rl-norules-a4-portrait": (A4, "portrait"),
    "rl-norules-a4-landscape": (A4, "landscape"),
    "rl-renamed-reordered": (A4, "landscape"),
    "rl-grouped-merged-iscm": (A4, "landscape"),
    "rl-split-cases": (A4, "portrait"),
    "rl-release-2018-long": (A4, "landscape"),
    "rl-rejects-a4-landscape": (A4, "landscape"),
    "rl-fr-grid-a4-landscape": (A4, "landscape"),
    "rl-es-norules-a4-landscape": (A4, "landscape"),
    "rl-es-hrules-letter-portrait": (LETTER, "portrait"),
}


def _entries() -> list[dict[str, Any]]:
    out = []
    for manifest in ("fixtures.toml", "fixtures-pending.toml"):
        path = FIXTURES / manifest
        if path.exists():
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            out += [f for f in data.get("fixture", []) if f["name"].startswith("rl-")]
    return out


ENTRIES = {e["name"]: e for e in _entries()}


def _transcription(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / ENTRIES[name]["transcription"]).read_text(encoding="utf-8")
    )
    return data


@cache
def _page_texts(pdf: str) -> list[str]:
    with pdfplumber.open(ROOT / pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_every_reportlab_fixture_is_listed() -> None:
    assert set(INTENDED) == set(ENTRIES), "fixtures.toml/fixtures-pending.toml vs INTENDED"


def test_total_size_under_2mb() -> None:
    total = sum((ROOT / e["pdf"]).stat().st_size for e in ENTRIES.values())
    assert total < 2_000_000


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_pdf_pages_and_size(name: str) -> None:
    entry = ENTRIES[name]
    pdf = ROOT / entry["pdf"]
    assert pdf.is_file()
    t = _transcription(name)
    (short, long_), orientation = INTENDED[name]
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == entry["pages"] == t["pages"]
        for page in doc.pages:
            w, h = float(page.width), float(page.height)
            if orientation == "landscape":
                assert w > h
                w, h = h, w
            else:
                assert h > w
            assert abs(w - short) < 1 and abs(h - long_) < 1, (name, page.page_number, w, h)


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_event_pages_are_consistent(name: str) -> None:
    """page_start/page_end are within the document and in order, and each event's date
    starts on its start page (its first word, at least)."""
    t = _transcription(name)
    texts = _page_texts(ENTRIES[name]["pdf"])
    last_start = 1
    for ev in t["events"]:
        assert 1 <= ev["page_start"] <= ev["page_end"] <= t["pages"]
        assert ev["page_start"] >= last_start
        last_start = ev["page_start"]
    for ev in t["events"]:
        split = ev.get("split")
        first = split["first_half"]["date"] if split else [ev["date"]]
        if first:
            token = first[0].split()[0]
            assert token in texts[ev["page_start"] - 1], ev["date"]


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_header_repeats_as_intended(name: str) -> None:
    t = _transcription(name)
    texts = _page_texts(ENTRIES[name]["pdf"])
    label = t["header"][-1]  # the last header cell: "Outcome" / "Outcome(s)"
    with_header = [label in text for text in texts]
    assert with_header[0]
    if name == "rl-renamed-reordered":
        assert not any(with_header[1:]), "header must print on the first page only"
    else:
        assert all(with_header)


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_split_cases_split_where_intended() -> None:
    t = _transcription("rl-split-cases")
    texts = [_norm(x) for x in _page_texts(ENTRIES["rl-split-cases"]["pdf"])]
    checks = {c["case"]: c for c in t["split_checks"]}
    assert set(checks) == {"a", "b", "c", "d", "e"}
    # every recorded line of each half is on the page it was recorded for
    for case in checks.values():
        p = case["page"]
        for half, page in (("first_half", p), ("second_half", p + 1)):
            for key, lines in case[half].items():
                for line in lines:
                    assert _norm(line) in texts[page - 1], (case["case"], half, key, line)
    # (a) only some cells continue: ISCM and outcome go on, date/place/title do not
    a = checks["a"]
    assert not any(a["second_half"][k] for k in ("date", "place", "title"))
    assert a["second_half"]["iscm"] and a["second_half"]["outcome"]
    assert "March 7, 2018" in texts[a["page"] - 1]
    # (b) every cell continues; the date breaks as "November 30 -" / "December 2, 2017"
    b = checks["b"]
    assert all(b["first_half"][k] and b["second_half"][k] for k in b["first_half"])
    assert "November 30 -" in texts[b["page"] - 1]
    assert "December 2, 2017" not in texts[b["page"] - 1]
    assert "December 2, 2017" in texts[b["page"]]
    # (c) the first half holds only the ISCM cell
    c = checks["c"]
    assert c["first_half"]["iscm"] and not any(
        v for k, v in c["first_half"].items() if k != "iscm"
    )
    assert "October 23, 2017" not in texts[c["page"] - 1]
    assert "October 23, 2017" in texts[c["page"]]
    # (d) a URL breaks across the page
    d = checks["d"]
    assert d["first_half"]["outcome"][-1].endswith("https://www")
    assert d["second_half"]["outcome"][0].startswith(".colomboprocess.org/")
    # (e) "15–17 May" / "2017"
    e = checks["e"]
    assert e["first_half"]["date"] == ["15\u201317 May"]
    assert e["second_half"]["date"] == ["2017"]
    assert "15\u201317 May 2017" not in texts[e["page"] - 1]


def test_grouped_iscm_merged_over_a_page_break() -> None:
    """A group whose merged ISCM cell crosses a page break prints its ISCM text only on
    the group's first page."""
    t = _transcription("rl-grouped-merged-iscm")
    texts = [_norm(x) for x in _page_texts(ENTRIES["rl-grouped-merged-iscm"]["pdf"])]
    events = t["events"]
    crossing = [
        (a, b) for a, b in itertools.pairwise(events)
        if a["iscm"] == b["iscm"] and b["page_start"] > a["page_start"]
    ]
    assert crossing, "no ISCM group crosses a page break"
    for a, b in crossing:
        assert _norm(b["date"]) in texts[b["page_start"] - 1]
        assert _norm(a["iscm"]).split(" (")[0] not in texts[b["page_start"] - 1]


def test_release_furniture_on_every_page() -> None:
    t = _transcription("rl-release-2018-long")
    texts = _page_texts(ENTRIES["rl-release-2018-long"]["pdf"])
    n = t["pages"]
    assert len(t["events"]) >= 60
    for i, text in enumerate(texts, start=1):
        assert "IOM \u2013 ISCM events 2018" in text
        assert f"Page {i} of {n}" in text
    assert "Number of events" in texts[0]


def test_rejects_fixture_has_the_bad_rows() -> None:
    t = _transcription("rl-rejects-a4-landscape")
    texts = _page_texts(ENTRIES["rl-rejects-a4-landscape"]["pdf"])
    rejects = t["expected_rejects"]
    assert [r["reason"].split(" ")[0] for r in rejects] == ["unrecognised", "no"]
    for r in rejects:
        cells = json.loads(r["cells"])
        assert cells[1] in texts[r["page"] - 1] or cells[2] in texts[r["page"] - 1]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    from tests.fixtures.generators import reportlab_tables as rt

    spec = next(s for s in rt.SPECS if s.name == "rl-grid-a4-landscape")
    rt.build_fixture(spec, tmp_path, variants_dir=tmp_path)
    made = (tmp_path / f"{spec.name}.pdf").read_bytes()
    assert made == (ROOT / ENTRIES[spec.name]["pdf"]).read_bytes()
