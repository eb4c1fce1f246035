"""The committed source PDF paginates like the original IOM document.

Only plain pdfplumber is used here (no pipeline code): whole-page
``extract_text()`` plus, for robustness against line wrapping, the text of
each table column cropped between the table's vertical rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pdfplumber
import pytest

from tests.fixtures.generators.common import ISCM_RAW_PDF, collapse_ws, load_transcription

A4_LANDSCAPE = (842.0, 595.0)
HEADER = ["ISCM", "Date", "Place", "Event / Title", "Outcome"]
HEADER_TEXT = "ISCM Date Place Event / Title Outcome"
GFMD_SPLIT_ISCM = ("Global Forum on Migration and", "Development (GFMD)")
GFMD_SPLIT_OUTCOME_END_P1 = "from social, economic and legal"
GFMD_SPLIT_OUTCOME_START_P2 = "aspects to be considered in the Global Compact"
# events (1-based) whose cells lie entirely on each page; event 5 is split 1 -> 2
PAGE_EVENTS = {1: [1, 2, 3, 4], 2: [6, 7, 8, 9], 3: list(range(10, 18)), 4: [18, 19, 20]}


def squash(text: str) -> str:
    """Drop all whitespace: robust against any line wrapping (URLs break mid-word)."""
    return re.sub(r"\s+", "", text)


def is_italic(fontname: str) -> bool:
    return "Italic" in fontname or "Oblique" in fontname


@pytest.fixture(scope="module")
def pdf() -> Iterator[Any]:
    assert ISCM_RAW_PDF.exists(), f"missing {ISCM_RAW_PDF}"
    with pdfplumber.open(ISCM_RAW_PDF) as doc:
        yield doc


@pytest.fixture(scope="module")
def events() -> list[dict[str, Any]]:
    return list(load_transcription()["events"])


@pytest.fixture(scope="module")
def page_texts(pdf: Any) -> list[str]:
    return [page.extract_text() or "" for page in pdf.pages]


def column_bounds(page: Any) -> tuple[list[float], float, float]:
    """x positions of the table's six vertical rules and the table's top / bottom."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    xs: list[float] = []
    for x in sorted(e["x0"] for e in verticals):
        if not xs or x - xs[-1] > 2:
            xs.append(x)
    assert len(xs) == 6, xs
    top = min(e["top"] for e in verticals)
    bottom = max(e["bottom"] for e in verticals)
    return xs, top, bottom


def column_texts(page: Any) -> list[str]:
    xs, top, bottom = column_bounds(page)
    texts = []
    for x0, x1 in itertools.pairwise(xs):
        crop = page.within_bbox((x0, top - 1, x1, bottom + 1))
        texts.append(crop.extract_text() or "")
    return texts


def column_chars(page: Any, column: int) -> list[dict[str, Any]]:
    xs, top, bottom = column_bounds(page)
    crop = page.within_bbox((xs[column], top - 1, xs[column + 1], bottom + 1))
    return list(crop.chars)


def test_four_a4_landscape_pages(pdf: Any) -> None:
    assert len(pdf.pages) == 4
    for page in pdf.pages:
        assert abs(page.width - A4_LANDSCAPE[0]) <= 1
        assert abs(page.height - A4_LANDSCAPE[1]) <= 1


def test_every_page_has_the_header_row(pdf: Any, page_texts: list[str]) -> None:
    for number, (page, text) in enumerate(zip(pdf.pages, page_texts, strict=True), start=1):
        lines = [collapse_ws(line) for line in text.splitlines() if line.strip()]
        assert HEADER_TEXT in lines, f"page {number}"
        if number > 1:
            assert lines[0] == HEADER_TEXT, f"page {number}"
        for column, name in enumerate(HEADER):
            assert collapse_ws(column_texts(page)[column]).startswith(name), (number, name)


def test_page_1_heading_and_title(page_texts: list[str]) -> None:
    transcription = load_transcription()
    text = collapse_ws(page_texts[0])
    heading = " ".join(transcription["heading"])
    assert text.startswith(heading)
    assert collapse_ws(transcription["title"]) in text
    assert text.index(transcription["title"][:40]) < text.index(HEADER_TEXT)
    for other in page_texts[1:]:
        assert transcription["heading"][0] not in other


def test_gfmd_row_breaks_after_legal(pdf: Any, page_texts: list[str]) -> None:
    p1 = collapse_ws(page_texts[0])
    p2 = collapse_ws(page_texts[1])
    assert GFMD_SPLIT_OUTCOME_END_P1 in p1
    assert "aspects to be considered" not in p1
    assert "Development (GFMD)" not in p1
    assert p2.startswith(f"{HEADER_TEXT} Development (GFMD)")
    assert GFMD_SPLIT_OUTCOME_START_P2 in p2

    p1_cols = [collapse_ws(t) for t in column_texts(pdf.pages[0])]
    p2_cols = [collapse_ws(t) for t in column_texts(pdf.pages[1])]
    assert p1_cols[0].endswith(GFMD_SPLIT_ISCM[0])
    assert p1_cols[4].endswith(GFMD_SPLIT_OUTCOME_END_P1)
    assert p2_cols[0].startswith(f"ISCM {GFMD_SPLIT_ISCM[1]}")
    assert p2_cols[4].startswith(f"Outcome {GFMD_SPLIT_OUTCOME_START_P2}")
    # the Date / Place / Event cells of the split row are complete on page 1
    assert p1_cols[1].endswith("November 14, 2016")
    assert p1_cols[2].endswith("New York, USA")
    assert p1_cols[3].endswith("Dialogue on the Global Compact")


def test_columns_hold_exactly_the_expected_events(pdf: Any, events: list[dict[str, Any]]) -> None:
    keys = ["iscm", "date", "place", "title", "outcome"]
    gfmd = events[4]
    iscm_split = GFMD_SPLIT_ISCM
    outcome_cut = gfmd["outcome"].index(GFMD_SPLIT_OUTCOME_START_P2)
    outcome_split = (gfmd["outcome"][:outcome_cut], gfmd["outcome"][outcome_cut:])
    for number, page in enumerate(pdf.pages, start=1):
        cols = column_texts(page)
        for column, key in enumerate(keys):
            parts = [HEADER[column]]
            if number == 2 and key in ("iscm", "outcome"):
                parts.append((iscm_split if key == "iscm" else outcome_split)[1])
            parts.extend(events[n - 1][key] for n in PAGE_EVENTS[number])
            if number == 1:
                if key == "iscm":
                    parts.append(iscm_split[0])
                elif key == "outcome":
                    parts.append(outcome_split[0])
                else:
                    parts.append(gfmd[key])
            assert squash(cols[column]) == squash("".join(parts)), (number, key)


def test_page_2_ends_with_igc_december_row(pdf: Any, page_texts: list[str]) -> None:
    assert collapse_ws(page_texts[1]).endswith("http://www.igc.ch")
    cols = [collapse_ws(t) for t in column_texts(pdf.pages[1])]
    assert squash(cols[0]).endswith(
        squash("Inter-Governmental Consultations on Migration, Asylum and Refugees (IGC)")
    )
    assert cols[1].endswith("December 13 - 14, 2016")
    assert cols[3].endswith("Mini full round (Senior Officials' Meeting)")
    assert cols[4].endswith("vis-à-vis the GCM. http://www.igc.ch")
    assert "Budapest Process" not in page_texts[1]


def test_page_3_ends_with_idm_april_row(pdf: Any, page_texts: list[str]) -> None:
    text = collapse_ws(page_texts[2])
    assert text.startswith(f"{HEADER_TEXT} Budapest Process December 15, 2016")
    cols = column_texts(pdf.pages[2])
    assert collapse_ws(cols[1]).endswith("April 18-19, 2017")
    assert squash(cols[4]).endswith(squash("https://www.iom.int/idm-2017-global-compact-migration"))
    assert "Svalbard" not in page_texts[2]


def test_page_4_holds_the_last_three_events(
    pdf: Any, page_texts: list[str], events: list[dict[str, Any]]
) -> None:
    text = collapse_ws(page_texts[3])
    assert "May 2-5, 2017" in text and "May 8-9, 2017" in text and "May 15-17, 2017" in text
    assert "April 18-19, 2017" not in text
    iscm = squash(column_texts(pdf.pages[3])[0])
    assert iscm == squash("ISCM" + "".join(e["iscm"] for e in events[17:]))
    assert iscm.startswith(squash("ISCM Intergovernmental Consultations on Migration"))
    assert collapse_ws(column_texts(pdf.pages[3])[4]).endswith(
        "input to the Global compact on Migration."
    )


def test_only_global_rcp_meeting_is_italic_in_iscm_column(pdf: Any) -> None:
    italic_by_page = []
    for page in pdf.pages:
        chars = column_chars(page, 0)
        italic_by_page.append("".join(c["text"] for c in chars if is_italic(c["fontname"])))
    assert squash(italic_by_page[0]) == "GlobalRCPMeeting"
    assert all(not squash(t) for t in italic_by_page[1:])
    # and every character of "Global RCP Meeting" is italic
    words = pdf.pages[0].extract_words(extra_attrs=["fontname"])
    rcp = [
        w for w in words if w["text"] in ("Global", "RCP", "Meeting") and is_italic(w["fontname"])
    ]
    assert [w["text"] for w in rcp] == ["Global", "RCP", "Meeting"]


def test_header_row_and_heading_are_bold(pdf: Any) -> None:
    for number, page in enumerate(pdf.pages, start=1):
        xs, top, bottom = column_bounds(page)
        for column, name in enumerate(HEADER):
            crop = page.within_bbox((xs[column], top - 1, xs[column + 1], bottom + 1))
            words = crop.extract_words(extra_attrs=["fontname"])
            head = words[: len(name.split())]
            assert " ".join(w["text"] for w in head) == name, (number, name)
            assert all("Bold" in w["fontname"] for w in head), (number, name)
            assert not any("Bold" in w["fontname"] for w in words[len(head) :]), (number, name)
    first = pdf.pages[0].extract_words(extra_attrs=["fontname"])
    heading = [w for w in first if w["text"] in ("Organization", "Partnerships")]
    assert len(heading) == 2 and all("Bold" in w["fontname"] for w in heading)
