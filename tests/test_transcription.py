"""The hand-written transcription of the ISCM events table agrees with its seed.

The seed (``tests/fixtures/seed/iscm-events-2016-2017.txt``) is the text of the
original four-page PDF: a bold two-line heading, the table title and, per page,
the repeated header line followed by tab-separated rows.  ``<i>`` marks
italics.  The fifth row (GFMD, 14 November 2016) breaks from page 1 to page 2,
so its second half appears at the top of page 2 with empty Date / Place /
Event cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fixtures.generators.common import (
    ISCM_SEED,
    ISCM_TRANSCRIPTION,
    collapse_ws,
    event_cells,
    find_urls,
    load_transcription,
)

SEED_SHA256 = "5977c7c5dd6b00b6323353c7a5a471e9fbc3d32adebdeba0e2920017b169615e"
HEADER_LINE = "ISCM\tDate\tPlace\tEvent / Title\tOutcome"
ITALIC_RE = re.compile(r"</?i>")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class SeedRow:
    page: int
    cells: list[str]  # raw cells, <i> markers kept


@dataclass(frozen=True)
class Seed:
    heading: list[str]
    title: str
    header: list[str]
    pages: list[list[SeedRow]]


def parse_seed(text: str) -> Seed:
    """A deliberately simple, independent reading of the seed layout."""
    lines = text.split("\n")
    first_header = lines.index(HEADER_LINE)
    preamble = [line for line in lines[:first_header] if line.strip()]
    assert len(preamble) == 3, preamble
    heading_raw = preamble[:2]
    assert heading_raw[0].startswith("**") and heading_raw[1].endswith("**")
    heading = [heading_raw[0][2:], heading_raw[1][:-2]]
    title = preamble[2]

    pages: list[list[SeedRow]] = []
    for line in lines[first_header:]:
        if line == HEADER_LINE:
            pages.append([])
        elif "\t" in line:
            cells = line.split("\t")
            assert len(cells) == 5, line
            pages[-1].append(SeedRow(page=len(pages), cells=cells))
        else:
            assert not line.strip(), f"unexpected non-table line {line!r}"
    return Seed(heading=heading, title=title, header=HEADER_LINE.split("\t"), pages=pages)


def seed_events(seed: Seed) -> list[dict[str, Any]]:
    """Seed rows as events, joining a row continued at the top of the next page."""
    events: list[dict[str, Any]] = []
    for page in seed.pages:
        for index, row in enumerate(page):
            continuation = index == 0 and events and not any(row.cells[1:4])
            if continuation:
                prev = events[-1]
                prev["cells"] = [
                    f"{a} {b}" if b else a for a, b in zip(prev["cells"], row.cells, strict=True)
                ]
                prev["page_end"] = row.page
            else:
                events.append(
                    {"cells": list(row.cells), "page_start": row.page, "page_end": row.page}
                )
    return events


@pytest.fixture(scope="module")
def seed_text() -> str:
    return ISCM_SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Seed:
    return parse_seed(seed_text)


@pytest.fixture(scope="module")
def transcription() -> dict[str, Any]:
    return load_transcription()


@pytest.fixture(scope="module")
def events(transcription: dict[str, Any]) -> list[dict[str, Any]]:
    return list(transcription["events"])


def test_seed_copy_is_unaltered() -> None:
    assert hashlib.sha256(ISCM_SEED.read_bytes()).hexdigest() == SEED_SHA256


def test_transcription_file_format() -> None:
    raw = ISCM_TRANSCRIPTION.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert raw == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert set(data) == {"heading", "title", "header", "events"}


def test_seed_has_four_pages_with_header(seed: Seed, seed_text: str) -> None:
    assert len(seed.pages) == 4
    assert seed_text.split("\n").count(HEADER_LINE) == 4
    assert [len(p) for p in seed.pages] == [5, 5, 8, 3]


def test_heading_title_header(seed: Seed, transcription: dict[str, Any]) -> None:
    assert transcription["heading"] == seed.heading
    assert transcription["heading"] == [
        "International Organization for Migration (IOM)",
        "International Partnerships Division (IPD)",
    ]
    assert transcription["title"] == seed.title
    assert (
        transcription["header"]
        == seed.header
        == [
            "ISCM",
            "Date",
            "Place",
            "Event / Title",
            "Outcome",
        ]
    )


def test_twenty_events(events: list[dict[str, Any]], seed: Seed) -> None:
    assert len(events) == 20
    assert len(seed_events(seed)) == 20


def test_cells_match_seed(events: list[dict[str, Any]], seed: Seed) -> None:
    for number, (event, seed_event) in enumerate(
        zip(events, seed_events(seed), strict=True), start=1
    ):
        expected_cells = [ITALIC_RE.sub("", c) for c in seed_event["cells"]]
        assert event_cells(event) == expected_cells, f"event {number}"
        italic = "<i>" in seed_event["cells"][0]
        assert event["iscm_italic"] is italic, f"event {number}"
        assert event["seed_page_start"] == seed_event["page_start"], f"event {number}"
        assert event["seed_page_end"] == seed_event["page_end"], f"event {number}"


def test_italic_only_in_iscm_of_global_rcp_meeting(
    events: list[dict[str, Any]], seed_text: str
) -> None:
    assert seed_text.count("<i>") == seed_text.count("</i>") == 1
    assert [e["iscm"] for e in events if e["iscm_italic"]] == ["Global RCP Meeting"]
    for event in events:
        for cell in event_cells(event):
            assert "<" not in cell and ">" not in cell


def test_split_gfmd_row_is_reassembled(events: list[dict[str, Any]], seed: Seed) -> None:
    first = seed.pages[0][-1].cells
    second = seed.pages[1][0].cells
    assert second[1:4] == ["", "", ""]
    gfmd = events[4]
    assert gfmd["iscm"] == "Global Forum on Migration and Development (GFMD)"
    assert gfmd["iscm"] == f"{first[0]} {second[0]}"
    assert gfmd["outcome"] == f"{first[4]} {second[4]}"
    assert first[4].endswith("from social, economic and legal")
    assert second[4].startswith("aspects to be considered in the Global Compact")
    assert [gfmd["date"], gfmd["place"], gfmd["title"]] == first[1:4]
    assert (gfmd["seed_page_start"], gfmd["seed_page_end"]) == (1, 2)
    others = [e for i, e in enumerate(events) if i != 4]
    assert all(e["seed_page_start"] == e["seed_page_end"] for e in others)


def test_page_assignment(events: list[dict[str, Any]]) -> None:
    pages = [e["seed_page_start"] for e in events]
    assert pages == [1] * 5 + [2] * 4 + [3] * 8 + [4] * 3


def test_typography_is_preserved(events: list[dict[str, Any]]) -> None:
    text = "\n".join(cell for e in events for cell in event_cells(e))
    assert "Asunción" in text and "Cortés" in text and "vis-à-vis" in text
    assert "“Preparing for Future Migration Scenarios: IGC States’ Response" in text
    assert "Member States’ efforts" in text
    assert "The Chair's Summary" in text  # straight apostrophe in the seed
    assert '"Follow-up and review of migration in the SDGs"' in text


# ---------------------------------------------------------------- expected ---


def test_expected_keys(events: list[dict[str, Any]]) -> None:
    keys = {
        "iscm_acronyms",
        "iscm_names",
        "start_date",
        "end_date",
        "city",
        "country",
        "country_iso3",
        "outcome",
        "urls",
    }
    for event in events:
        assert set(event["expected"]) == keys


def test_expected_dates(events: list[dict[str, Any]]) -> None:
    for event in events:
        exp = event["expected"]
        start = dt.date.fromisoformat(exp["start_date"])
        end = dt.date.fromisoformat(exp["end_date"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", exp["start_date"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", exp["end_date"])
        assert start <= end
        cell = event["date"]
        assert cell.startswith(MONTHS[start.month - 1] + " ")
        assert cell.endswith(f", {start.year}") and start.year == end.year
        days = [int(d) for d in re.findall(r"\b\d{1,2}\b", cell.rsplit(",", 1)[0])]
        assert days[0] == start.day and days[-1] == end.day
    starts = [e["expected"]["start_date"] for e in events]
    assert starts == sorted(starts)  # the table is chronological


def test_expected_place(events: list[dict[str, Any]]) -> None:
    iso_by_country: dict[str, str] = {}
    for event in events:
        exp = event["expected"]
        place = event["place"]
        assert exp["city"] == place.split(",")[0].strip()
        assert exp["country"] in place
        assert place.rstrip().endswith(exp["country"]) or exp["country"] in [
            part.strip() for part in place.split(",")
        ]
        assert re.fullmatch(r"[A-Z]{3}", exp["country_iso3"])
        assert iso_by_country.setdefault(exp["country"], exp["country_iso3"]) == exp["country_iso3"]
    specific = {e["place"]: e["expected"] for e in events}
    assert specific["San Pedro Sula, Cortés Honduras"]["country_iso3"] == "HND"
    assert specific["San Pedro Sula, Cortés Honduras"]["city"] == "San Pedro Sula"
    assert specific["Washington, DC, USA"]["city"] == "Washington"
    assert specific["Svalbard, Spitsbergen, Norway"]["country"] == "Norway"
    assert specific["Cairo, Egypt, League of Arab States Headquarters"]["country"] == "Egypt"
    assert specific["Antalya, Turkey"]["country_iso3"] == "TUR"


def test_expected_iscm(events: list[dict[str, Any]]) -> None:
    for event in events:
        exp = event["expected"]
        iscm = event["iscm"]
        assert len(exp["iscm_names"]) >= 1
        for name in exp["iscm_names"]:
            assert name in iscm
        for acronym in exp["iscm_acronyms"]:
            assert re.search(rf"\((?:[^()]* or )?{re.escape(acronym)}\)", iscm)
        if "(" not in iscm:
            assert exp["iscm_acronyms"] == [] and exp["iscm_names"] == [iscm]
    by_iscm = {e["iscm"]: e["expected"] for e in events}
    both = by_iscm[
        "Regional Conference on Migration (RCM) and South American Conference on Migration (SACM)"
    ]
    assert both["iscm_acronyms"] == ["RCM", "SACM"]
    assert both["iscm_names"] == [
        "Regional Conference on Migration",
        "South American Conference on Migration",
    ]
    add = next(e["expected"] for e in events if "Abu Dhabi" in e["iscm"])
    assert add["iscm_acronyms"] == ["ADD"]
    assert add["iscm_names"] == [
        "Ministerial Consultation on Overseas Employment and Contractual Labour for "
        "Countries of Origin and Destination in Asia"
    ]


def test_expected_outcome_and_urls(events: list[dict[str, Any]]) -> None:
    for number, event in enumerate(events, start=1):
        exp = event["expected"]
        outcome = event["outcome"]
        assert exp["urls"] == find_urls(outcome), f"event {number}"
        position = 0
        for url in exp["urls"]:
            assert url in outcome
            found = outcome.index(url, position)
            assert found > 0 and outcome[found - 1] == " "  # preceded by a space
            position = found + len(url)
        assert exp["outcome"] == collapse_ws(exp["outcome"])
        rebuilt = " ".join([exp["outcome"], *exp["urls"]])
        assert collapse_ws(rebuilt) == collapse_ws(outcome), f"event {number}"
        assert "http" not in exp["outcome"]
    by_date = {e["date"]: e["expected"]["urls"] for e in events}
    assert by_date["March 30, 2017"] == ["http://www.rcmvs.org", "http://csm-osumi.org"]
    assert sum(1 for e in events if not e["expected"]["urls"]) == 3
