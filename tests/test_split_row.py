"""The classic case: the GFMD row of the 2016-2017 table is cut by the page 1 -> 2 break
("Global Forum on Migration and" / "Development (GFMD)"). It must come out as one event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from tests.conftest import RAW_PDF


def _events(run_fixture: Any) -> list[dict[str, Any]]:
    out: Path = run_fixture(RAW_PDF)
    rows: list[dict[str, Any]] = pq.read_table(out / "events.parquet").to_pylist()
    return rows


def test_gfmd_row_split_across_pages_is_one_event(run_fixture: Any) -> None:
    gfmd = [e for e in _events(run_fixture) if e["date_text"] == "November 14, 2016"]
    assert len(gfmd) == 1
    (event,) = gfmd
    assert event["iscm"] == "Global Forum on Migration and Development (GFMD)"
    assert event["iscm_acronyms"] == ["GFMD"]
    assert (event["page_start"], event["page_end"]) == (1, 2)
    assert event["outcome"] == (
        "Discussions on key governance challenges and trade-offs from social, economic and "
        "legal aspects to be considered in the Global Compact and its contribution to the "
        "implementation of the 2030 Agenda and other global commitments."
    )


def test_no_other_event_spans_pages(run_fixture: Any) -> None:
    spanning = [e["row_index"] for e in _events(run_fixture) if e["page_end"] != e["page_start"]]
    assert spanning == [5]


def test_pages_of_events_follow_the_original_layout(run_fixture: Any) -> None:
    pages = [e["page_start"] for e in _events(run_fixture)]
    assert pages == [1] * 5 + [2] * 4 + [3] * 8 + [4] * 3
