"""`iom-pipeline diff OLD NEW`: events added, removed and changed, matched by event_id."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from pipeline.diff import diff_events, read_events, render
from tests.conftest import FIXTURES, RAW_PDF, cli

EXPECTED = FIXTURES / "expected" / "iom-iscm-events-2016-2017"


def _write(folder: Path, rows: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture
def release(tmp_path: Path) -> tuple[Path, Path]:
    """The expected 2016-2017 events, and a 'new release' of them: one event corrected
    (outcome and end date), one dropped, one added, and every row moved one page on."""
    old = read_events(EXPECTED)
    new = [dict(e) for e in old]
    new[1]["outcome"] = new[1]["outcome"].replace("GCM", "Global Compact")
    new[2]["end_date"] = "2016-10-14"
    del new[5]
    new.append(dict(new[0], event_id="0123456789abcdef", title="A new meeting"))
    for e in new:
        e["page_start"] = str(int(e["page_start"]) + 1)
        e["source_file"] = "iom-iscm-events-2016-2018.pdf"
    return _write(tmp_path / "old", old), _write(tmp_path / "new", new)


def test_identical_outputs_have_no_differences() -> None:
    events = read_events(EXPECTED)
    result = diff_events(events, [dict(e) for e in events])
    assert result.identical and list(result.rows()) == []


def test_added_removed_and_changed_fields(release: tuple[Path, Path]) -> None:
    old, new = release
    result = diff_events(read_events(old), read_events(new))
    assert [e["title"] for e in result.added] == ["A new meeting"]
    assert [e["event_id"] for e in result.removed] == [read_events(old)[5]["event_id"]]
    changed = {c.event_id: {f.field: (f.old, f.new) for f in c.changes} for c in result.changed}
    assert list(changed.values()) == [
        {"outcome": (read_events(old)[1]["outcome"], read_events(new)[1]["outcome"])},
        {"end_date": ("2016-10-13", "2016-10-14")},
    ]


def test_position_and_provenance_are_ignored_unless_all_fields(release: tuple[Path, Path]) -> None:
    old, new = release
    result = diff_events(read_events(old), read_events(new), all_fields=True)
    fields = {f.field for c in result.changed for f in c.changes}
    assert {"page_start", "source_file"} <= fields
    assert len(result.changed) == 19  # every matched event moved page and file


def test_duplicate_ids_pair_in_order() -> None:
    a = {"event_id": "a", "title": "x"}
    result = diff_events([a], [dict(a), dict(a)])
    assert result.changed == [] and result.added == [a] and result.removed == []


@pytest.mark.parametrize("fmt", ["text", "csv", "json", "markdown"])
def test_every_format_names_the_changed_event(release: tuple[Path, Path], fmt: str) -> None:
    old, new = release
    text = render(diff_events(read_events(old), read_events(new)), fmt)  # type: ignore[arg-type]
    assert "0123456789abcdef" in text and "end_date" in text and "2016-10-14" in text


def test_json_and_csv_carry_full_values(release: tuple[Path, Path]) -> None:
    old, new = release
    result = diff_events(read_events(old), read_events(new))
    data = json.loads(render(result, "json"))
    assert data["identical"] is False and data["old_events"] == 20 and data["new_events"] == 20
    assert data["changed"][1]["changes"] == {"end_date": {"old": "2016-10-13", "new": "2016-10-14"}}
    rows = list(csv.DictReader(render(result, "csv").splitlines()))
    assert [r["change"] for r in rows] == ["removed", "added", "changed", "changed"]
    assert rows[2]["new"] == read_events(new)[1]["outcome"]  # not clipped


def test_text_shows_where_a_long_value_differs() -> None:
    old = {"event_id": "a", "outcome": "x" * 100 + " Troika " + "y" * 20}
    new = {"event_id": "a", "outcome": "x" * 100 + " troika " + "y" * 20}
    text = render(diff_events([old], [new]), "text")
    assert "Troika" in text and "troika" in text


def test_cli_exit_status_is_1_when_different_0_when_identical(
    release: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = release
    proc = cli("diff", str(old), str(new))
    assert proc.returncode == 1, proc.stderr
    assert "1 added, 1 removed, 2 changed" in proc.stdout
    same = tmp_path / "same"
    shutil.copytree(old, same)
    proc = cli("diff", str(old), str(same), "--format", "markdown")
    assert proc.returncode == 0 and "Identical." in proc.stdout


def test_cli_runs_the_pipeline_when_given_a_pdf() -> None:
    proc = cli("diff", str(EXPECTED), str(RAW_PDF), "--workers", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "20 old events, 20 new: 0 added, 0 removed, 0 changed" in proc.stdout


def test_cli_missing_side_is_a_usage_error(tmp_path: Path) -> None:
    proc = cli("diff", str(EXPECTED), str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "no such file or folder" in proc.stderr
