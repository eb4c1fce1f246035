"""stream: a table without ruling lines, its columns inferred from the text's alignment.

The idea of tabula's and camelot's stream modes, kept small:

* a line's words are grouped into **chunks**: words closer than a column gap (judged
  against the type size) are one cell's text;
* the **table region** is the longest run of lines where most lines have two chunks
  or more (a title, prose or a page number above or below is not in it);
* **columns** are the white x-runs that no chunk of the region's body lines covers
  (the "rivers" between columns); the first lines are left out of that count, since a
  header cell may span several columns ("Percent Fuel Savings" over four);
* each visual line is a row, as those tools do; each chunk goes to the column it
  overlaps most (a header cell wider than its column stays whole).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.layout.engine import Word, WordRun, _Line

CHUNK_GAP = 0.9  # a gap wider than this many type sizes separates two cells' texts
HEADER_LINES = 3  # lines at the top of a region that may span columns
MAX_REGION_GAP = 3.5  # line heights: a wider vertical gap ends the table region


@dataclass
class Chunk(WordRun):
    """One cell's text on a line: words closer than a column gap."""


@dataclass
class StreamTable:
    """A table found by alignment: its lines (one row each) and column boundaries."""

    lines: list[_Line]
    bounds: list[float]


def _size(w: Word) -> float:
    return float(w["bottom"] - w["top"])


def chunks(line: _Line, v_rules: Sequence[float] = ()) -> list[Chunk]:
    """The line's words grouped into cells' texts: a gap of about a type size or more,
    or a vertical rule, separates two cells."""
    words = sorted(line.words, key=lambda w: w["x0"])
    out = [Chunk([words[0]])]
    for a, b in itertools.pairwise(words):
        gap = b["x0"] - a["x1"]
        ruled = any(a["x1"] - 0.5 <= x <= b["x0"] + 0.5 for x in v_rules)
        if gap > CHUNK_GAP * min(_size(a), _size(b)) or ruled:
            out.append(Chunk([b]))
        else:
            out[-1].words.append(b)
    return out


def _region_runs(lines: Sequence[_Line], multi: Sequence[bool]) -> list[tuple[int, int]]:
    """Runs [i, j) of lines with no wide vertical gap, that start and end at a line of
    several chunks."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    last_multi: int | None = None
    for i, line in enumerate(lines):
        if start is not None and i > 0:
            gap = line.top - lines[i - 1].bottom
            if gap > MAX_REGION_GAP * max(line.height, 1.0):
                if last_multi is not None:
                    runs.append((start, last_multi + 1))
                start, last_multi = None, None
        if multi[i]:
            if start is None:
                start = i
            last_multi = i
    if start is not None and last_multi is not None:
        runs.append((start, last_multi + 1))
    return runs


def _has_text(chunk: Chunk) -> bool:
    """A bullet or a dash before a list item is not a cell: a bulleted list is no table."""
    return any(ch.isalnum() for w in chunk.words for ch in w["text"])


def table_region(lines: Sequence[_Line]) -> tuple[int, int] | None:
    """The lines [i, j) of the page's main unruled table: of the runs of lines without
    a wide gap, the one with most multi-chunk lines (at least two)."""
    multi = [sum(1 for c in chunks(ln) if _has_text(c)) >= 2 for ln in lines]
    runs = _region_runs(lines, multi)
    scored = [(sum(multi[i:j]), -i, (i, j)) for i, j in runs]
    if not scored:
        return None
    best = max(scored)
    return best[2] if best[0] >= 2 else None


def _coverage_gaps(spans: Sequence[tuple[float, float]], lo: float, hi: float) -> list[float]:
    """Middles of the x-runs in (lo, hi) covered by no span."""
    gaps: list[float] = []
    edge = lo
    for a, b in sorted(spans):
        if a - edge >= 0.5:
            gaps.append((edge + a) / 2)
        edge = max(edge, b)
    return [g for g in gaps if lo < g < hi]


def column_bounds(lines: Sequence[_Line]) -> list[float]:
    """Left edge, the boundaries between columns, right edge: boundaries where no body
    chunk lies (the first ``HEADER_LINES`` lines do not count when the body is long
    enough, so a spanning header cell cannot merge the columns under it)."""
    parts = [chunks(ln) for ln in lines]
    body = parts[HEADER_LINES:] if len(parts) > 2 * HEADER_LINES else parts
    spans = [(c.x0, c.x1) for p in body if len(p) >= 2 for c in p]
    if not spans:
        spans = [(c.x0, c.x1) for p in body for c in p]
    left = min(c.x0 for p in parts for c in p)
    right = max(c.x1 for p in parts for c in p)
    inner = _coverage_gaps(spans, min(a for a, _ in spans), max(b for _, b in spans))
    return [left - 1.0, *inner, right + 1.0]


def place_chunks(line: _Line, bounds: Sequence[float]) -> list[Word]:
    """The line's words, each chunk pinned (``column_x``) to the column it overlaps most."""
    out: list[Word] = []
    for chunk in chunks(line):
        best, best_overlap = 0, -1.0
        for k in range(len(bounds) - 1):
            overlap = min(chunk.x1, bounds[k + 1]) - max(chunk.x0, bounds[k])
            if overlap > best_overlap:
                best, best_overlap = k, overlap
        centre = (bounds[best] + bounds[best + 1]) / 2
        out.extend({**w, "column_x": centre} for w in chunk.words)
    return out


def find_stream_table(lines: Sequence[_Line]) -> StreamTable | None:
    """The page's unruled table, or None when no run of lines has two columns."""
    region = table_region(lines)
    if region is None:
        return None
    table_lines = list(lines[region[0] : region[1]])
    bounds = column_bounds(table_lines)
    if len(bounds) < 3:
        return None
    return StreamTable(table_lines, bounds)


def median_size(lines: Sequence[_Line]) -> float:
    return statistics.median(ln.height for ln in lines) if lines else 0.0
