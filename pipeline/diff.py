"""diff: what changed between two runs (or two releases), event by event.

Events are matched by ``event_id``, which is derived from the ISCM, the start date and
the title and not from the row's position, page or file: so an event that moved to
another page, or a re-typeset release, still matches, and a corrected title shows as
one event removed and one added. Position and provenance columns (source_file,
source_sha256, row_index, page_start, page_end) are ignored unless ``all_fields``: a
new release changes them for every event.

Both sides are read from ``events.csv``: the text an analyst sees, lists ``|``-joined.
A side given as a PDF (or a folder of PDFs) is run through the pipeline first, into a
temporary folder.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.errors import UsageError

Format = Literal["text", "csv", "json", "markdown"]
FORMATS: tuple[Format, ...] = ("text", "csv", "json", "markdown")
IGNORED_FIELDS = ("source_file", "source_sha256", "row_index", "page_start", "page_end")
_TEXT_WIDTH = 48

Event = dict[str, str]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class EventChange:
    event_id: str
    title: str
    changes: tuple[FieldChange, ...]


@dataclass
class EventsDiff:
    old_label: str
    new_label: str
    old_count: int
    new_count: int
    added: list[Event] = field(default_factory=list)
    removed: list[Event] = field(default_factory=list)
    changed: list[EventChange] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def summary(self) -> str:
        return (
            f"{self.old_count} old events, {self.new_count} new: {len(self.added)} added, "
            f"{len(self.removed)} removed, {len(self.changed)} changed"
        )

    def rows(self) -> Iterator[tuple[str, str, str, str, str]]:
        """(change, event_id, field, old, new): one row per added or removed event (its
        title in old / new) and one per changed field."""
        for e in self.removed:
            yield ("removed", e.get("event_id", ""), "title", e.get("title", ""), "")
        for e in self.added:
            yield ("added", e.get("event_id", ""), "title", "", e.get("title", ""))
        for c in self.changed:
            for f in c.changes:
                yield ("changed", c.event_id, f.field, f.old, f.new)


# --------------------------------------------------------------------------- reading


def read_events(folder: Path) -> list[Event]:
    path = folder / "events.csv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _is_output_folder(path: Path) -> bool:
    return path.is_dir() and (path / "events.csv").is_file()


def _events_of(path: Path, profile: str, workers: int | None, scratch: Path) -> list[Event]:
    """The events of an output folder, or of the PDFs at ``path`` run into ``scratch``."""
    if _is_output_folder(path):
        return read_events(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    from pipeline.runner import Options, default_workers, run_pipeline

    results, _ = run_pipeline(
        [path], scratch, Options(profile=profile, workers=workers or default_workers())
    )
    if not results:
        raise UsageError(f"{path}: neither an output folder (events.csv) nor PDFs")
    failed = [r.document.error for r in results if r.document.error]
    if failed:
        raise UsageError(f"{path}: cannot compare, an input failed: {failed[0]}")
    return read_events(scratch)


# --------------------------------------------------------------------------- comparing


def diff_events(
    old: Sequence[Event],
    new: Sequence[Event],
    *,
    all_fields: bool = False,
    old_label: str = "old",
    new_label: str = "new",
) -> EventsDiff:
    """Match by event_id. An id found k times on one side and m on the other (the same
    event in two releases run into one folder) pairs its rows in order; the rest are
    added or removed."""
    columns = list(dict.fromkeys([*(k for e in old for k in e), *(k for e in new for k in e)]))
    compared = [c for c in columns if c != "event_id" and (all_fields or c not in IGNORED_FIELDS)]
    old_by_id: dict[str, list[Event]] = defaultdict(list)
    for e in old:
        old_by_id[e.get("event_id", "")].append(e)
    result = EventsDiff(old_label, new_label, len(old), len(new))
    for e in new:
        matches = old_by_id.get(e.get("event_id", ""))
        if not matches:
            result.added.append(e)
            continue
        before = matches.pop(0)
        changes = tuple(
            FieldChange(c, before.get(c, ""), e.get(c, ""))
            for c in compared
            if before.get(c, "") != e.get(c, "")
        )
        if changes:
            result.changed.append(EventChange(e.get("event_id", ""), e.get("title", ""), changes))
    left = {id(e) for rows in old_by_id.values() for e in rows}
    result.removed = [e for e in old if id(e) in left]
    return result


def diff_paths(
    old: Path,
    new: Path,
    *,
    profile: str = "iscm-events",
    all_fields: bool = False,
    workers: int | None = None,
) -> EventsDiff:
    """Compare two output folders, or two PDFs / folders of PDFs (run first)."""
    with tempfile.TemporaryDirectory(prefix="iom-diff-") as tmp:
        old_events = _events_of(old, profile, workers, Path(tmp) / "old")
        new_events = _events_of(new, profile, workers, Path(tmp) / "new")
    return diff_events(
        old_events, new_events, all_fields=all_fields, old_label=str(old), new_label=str(new)
    )


# --------------------------------------------------------------------------- rendering


def _clip(text: str, width: int = _TEXT_WIDTH, start: int = 0) -> str:
    text = " ".join(text.split())
    if start > 0:
        text = "…" + text[start:]
    return text if len(text) <= width else text[: width - 1] + "…"


def _where_they_differ(old: str, new: str, context: int = 12) -> int:
    """Where to start showing two long values so that the difference is in view."""
    old, new = " ".join(old.split()), " ".join(new.split())
    same = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
    if same is None:
        same = min(len(old), len(new))
    return max(0, same - context) if same > _TEXT_WIDTH - context else 0


def render(diff: EventsDiff, fmt: Format = "text") -> str:
    if fmt == "json":
        return json.dumps(_as_json(diff), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["change", "event_id", "field", "old", "new"])
        writer.writerows(diff.rows())
        return buf.getvalue()
    if fmt == "markdown":
        return _markdown(diff)
    if fmt == "text":
        return _text(diff)
    raise UsageError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")


def _as_json(diff: EventsDiff) -> dict[str, object]:
    return {
        "old": diff.old_label,
        "new": diff.new_label,
        "old_events": diff.old_count,
        "new_events": diff.new_count,
        "identical": diff.identical,
        "added": diff.added,
        "removed": diff.removed,
        "changed": [
            {
                "event_id": c.event_id,
                "title": c.title,
                "changes": {f.field: {"old": f.old, "new": f.new} for f in c.changes},
            }
            for c in diff.changed
        ],
    }


def _text(diff: EventsDiff) -> str:
    head = f"old: {diff.old_label}\nnew: {diff.new_label}\n{diff.summary}\n"
    if diff.identical:
        return head + "identical\n"
    table = [("change", "event_id", "field", "old", "new")]
    for c, i, f, o, n in diff.rows():
        at = _where_they_differ(o, n)
        table.append((c, i, f, _clip(o, start=at), _clip(n, start=at)))
    widths = [max(len(r[k]) for r in table) for k in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        for r in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 3)
    return head + "\n" + "\n".join(line.rstrip() for line in lines) + "\n"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def _markdown(diff: EventsDiff) -> str:
    out = [
        f"**old:** `{diff.old_label}` · **new:** `{diff.new_label}`",
        "",
        diff.summary,
        "",
    ]
    if diff.identical:
        return "\n".join([*out, "Identical."]) + "\n"
    out += ["| change | event_id | field | old | new |", "|---|---|---|---|---|"]
    out += [f"| {c} | `{i}` | {f} | {_md(o)} | {_md(n)} |" for c, i, f, o, n in diff.rows()]
    return "\n".join(out) + "\n"
