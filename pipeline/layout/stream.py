"""stream: tables without ruling lines, their columns inferred from the text's alignment.

The idea of tabula's and camelot's stream modes (and of Nurminen's text edges), judged
against the type size rather than fixed tolerances:

* a line's words are grouped into **chunks**: words closer than a column gap are one
  cell's text. A line of two chunks or more is *evidence* of a table;
* **columns** are voted for by the evidence lines, word by word: an x position is a
  column boundary where lines have a cell gap (wider than a word space for their type)
  and next to no line has a word across it (``separators``). Words, not chunks, vote:
  two cells printed a word space apart ("INC WILL ROGERS") still show the river other
  rows leave, and a spanning header cell or a stray outlier cannot veto a boundary
  that the body agrees on;
* the **body** is a run of lines from the first to the last evidence line, between
  prose (a line of one long chunk) and wide vertical gaps; several runs on a page are
  several tables, and a page set in two columns of prose is first cut at its gutter;
* the **header** is read upwards from the body: lines packed tightly above it, up to a
  ruling line across the table, a wide gap, or a title (larger type, a long line);
  section labels ("Caste/tribe", "Class A") that fill only the first column stay rows;
* each visual line is a row, as those tools do, and each word goes to the column its
  centre falls in; in a header line, a piece of text over several columns' body text (a
  group header, "Modern method") goes to every column it spans.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from pipeline.layout.engine import (
    CellEdges,
    Word,
    WordRun,
    _cells_of_band,
    _crosses,
    _group_lines,
    _join_words,
    _Line,
    _rule_ys,
)
from pipeline.layout.headers import join_header_rows

CHUNK_GAP = 0.9  # type sizes: a wider gap on a line separates two cells' texts
CELL_GAP = 0.8  # type sizes: a gap this wide at a boundary is between cells
WORD_SPACE = 0.45  # type sizes: a narrower gap is a word space inside one cell's text
MAX_REGION_GAP = 3.5  # line heights: a wider vertical gap ends a table
PROSE_WIDTH = 0.6  # a line of one chunk this wide (share of the text width) is prose
PROSE_WORDS = 5  # ... with at least this many words
TITLE_SIZE = 1.2  # type this much larger than the body's is a title, not a header
HEADER_GAP = 0.8  # line heights: header lines are packed at most this far apart
STEP = 0.5  # pt: the x resolution of the column vote
MIN_ROWS = 3  # lines of two cells or more, header included, that make a table


@dataclass
class Chunk(WordRun):
    """One cell's text on a line: words closer than a column gap."""


@dataclass
class StreamTable:
    """A table found by alignment: its header lines, its body lines (one row each), the
    column boundaries (left edge, boundaries, right edge) and the header's cell texts,
    one tuple per header line (a group header repeated in every column it spans)."""

    header: list[_Line]
    lines: list[_Line]
    bounds: list[float]
    header_rows: list[tuple[str, ...]] = field(default_factory=list)
    above: list[_Line] = field(default_factory=list)
    """The lines of the table's block above it (where its title is): on a page set in
    two columns, those of its own column."""
    guessed_header: bool = False
    """No column of figures told the header from the body: the first line was taken."""
    rows: list[list[_Line]] = field(default_factory=list)
    """The body's lines grouped into rows (``row_groups``); one row per line when empty."""
    numeric: set[int] = field(default_factory=set)
    """The columns of figures."""

    @property
    def names(self) -> tuple[str, ...]:
        """One name per column, the header rows joined (``headers.join_header_rows``)."""
        if not self.header_rows:
            return tuple("" for _ in self.bounds[1:])
        return join_header_rows(self.header_rows)


def _size(w: Word) -> float:
    return float(w["bottom"] - w["top"])


def type_size(words: Sequence[Word]) -> float:
    """The median glyph height of the words: what a gap is judged against."""
    return statistics.median(_size(w) for w in words) if words else 0.0


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


_UNMAPPED = re.compile(r"\(cid:\d+\)")


def _has_text(chunk: Chunk) -> bool:
    """A bullet or a dash before a list item is not a cell: a bulleted list is no table.
    A glyph without a character (pdfminer's "(cid:129)", a symbol font's bullet) is
    no text either."""
    return any(ch.isalnum() for w in chunk.words for ch in _UNMAPPED.sub("", w["text"]))


def is_evidence(line: _Line) -> bool:
    """A line of two cells' texts or more: what a table's body is made of."""
    return sum(1 for c in chunks(line) if _has_text(c)) >= 2


# --------------------------------------------------------------------------- columns


def separators(lines: Sequence[_Line], lo: float, hi: float) -> list[float]:
    """Column boundaries inside (lo, hi) voted for by the lines, word by word.

    At each x (every ``STEP`` pt) a line *supports* a boundary when two of its
    neighbouring words lie on either side, a cell gap apart (``CELL_GAP`` type sizes:
    more than a word space), and *vetoes* it when one of its words lies across x, or
    two of its words a word space apart (one cell's text: "Long 1" over a river). A
    boundary is where enough lines support (a fifth of them, at least two) and next to
    none veto (a tenth: a spanning header cell, an overflowing label). Of such a run of
    x, the boundary is the middle of the part fewest words cross."""
    n_steps = int((hi - lo) / STEP) + 2
    cover = [0] * (n_steps + 1)
    support = [0] * (n_steps + 1)

    def index(x: float) -> int:
        return min(max(math.floor((x - lo) / STEP), 0), n_steps)

    for line in lines:
        words = sorted(line.words, key=lambda w: w["x0"])
        em = type_size(words)
        for w in words:
            i, j = index(w["x0"]) + 1, index(w["x1"])
            if i <= j:
                cover[i] += 1
                cover[j + 1] -= 1
        for a, b in itertools.pairwise(words):
            gap = b["x0"] - a["x1"]
            i, j = index(a["x1"]) + 1, index(b["x0"])
            if i > j:
                continue
            if gap >= CELL_GAP * em:
                support[i] += 1
                support[j + 1] -= 1
            elif gap < WORD_SPACE * em:  # a word space: one cell's text runs across
                cover[i] += 1
                cover[j + 1] -= 1
    covers = list(itertools.accumulate(cover[:n_steps]))
    supports = list(itertools.accumulate(support[:n_steps]))
    n = len(lines)
    need = min(n, max(2, math.ceil(0.2 * n)))
    tolerated = n // 10
    ok = [s >= need and c <= tolerated for s, c in zip(supports, covers, strict=True)]
    found: list[tuple[float, int, int]] = []  # x, least cover, length of the run
    for good, run in itertools.groupby(range(n_steps), key=lambda k: ok[k]):
        ks = list(run)
        if not good:
            continue
        least = min(covers[k] for k in ks)
        best = max(
            (list(g) for c, g in itertools.groupby(ks, key=lambda k: covers[k]) if c == least),
            key=len,
        )
        x = lo + STEP * (best[0] + best[-1]) / 2
        if lo < x < hi:
            found.append((x, least, len(ks)))
    return _one_per_column(found, lines, need)


def _one_per_column(
    found: list[tuple[float, int, int]], lines: Sequence[_Line], need: int
) -> list[float]:
    """The boundaries less those that leave between them a column too few lines have a
    word in (fewer than ``need``): two runs of one river either side of a header word
    ("Equipment" over a narrow column) are one gap between two columns, not a column
    of their own. Of the two, the one with less cover and the longer run stays."""
    centres = [sorted((w["x0"] + w["x1"]) / 2 for w in ln.words) for ln in lines]

    def filled(a: float, b: float) -> int:
        return sum(1 for cs in centres if bisect.bisect_left(cs, b) > bisect.bisect_right(cs, a))

    out = list(found)
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        if filled(a[0], b[0]) >= need:
            k += 1
            continue
        weaker = k if (a[1], -a[2]) > (b[1], -b[2]) else k + 1
        del out[weaker]
        k = max(k - 1, 0)
    return [x for x, _, _ in out]


ALIGN = 1.0  # pt: edges this close are aligned


def aligned_separators(lines: Sequence[_Line], taken: Sequence[float]) -> list[float]:
    """Boundaries that only alignment shows: two columns printed closer than a cell
    gap ("648765 AAA", a phone number and a date), where the left words of several
    lines end at one x (a right-aligned column) and the right words start at one x, and
    the left words differ (three texts at least: "OKLAHOMA CITY" repeated, or "Net Asset
    Value at" / "Net Asset Value per", is one cell's text). No word may lie across the
    boundary, and none is added next to one already ``taken``."""
    pairs: list[tuple[float, float, str]] = []
    for line in lines:
        words = sorted(line.words, key=lambda w: w["x0"])
        em = type_size(words)
        pairs += [
            (a["x1"], b["x0"], a["text"])
            for a, b in itertools.pairwise(words)
            if 0 < b["x0"] - a["x1"] < CELL_GAP * em
        ]
    need = max(3, math.ceil(0.2 * len(lines)))
    every = [w for ln in lines for w in ln.words]
    em = type_size(every)
    out: list[float] = []
    for group in _clusters(pairs, key=lambda p: p[0]):
        for aligned in _clusters(group, key=lambda p: p[1]):
            if len(aligned) < need or len({p[2] for p in aligned}) < 3:
                continue
            x = (max(p[0] for p in aligned) + min(p[1] for p in aligned)) / 2
            crossed = any(w["x0"] < x < w["x1"] for w in every)
            near = any(abs(x - t) < 2 * em for t in [*taken, *out])
            if not crossed and not near:
                out.append(x)
    return out


def _clusters(
    items: Sequence[tuple[float, float, str]], key: Callable[[tuple[float, float, str]], float]
) -> list[list[tuple[float, float, str]]]:
    """Items whose ``key`` values lie within ``ALIGN`` of their group's first."""
    groups: list[list[tuple[float, float, str]]] = []
    for item in sorted(items, key=key):
        if groups and key(item) - key(groups[-1][0]) <= ALIGN:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def voted(lines: Sequence[_Line]) -> list[float]:
    """The column boundaries the lines of two chunks or more vote for (``separators``)."""
    evidence = [ln for ln in lines if is_evidence(ln)] or list(lines)
    if not evidence:
        return []
    return separators(evidence, min(ln.x0 for ln in evidence), max(ln.x1 for ln in evidence))


def cell_edges(lines: Sequence[_Line], bounds: Sequence[float]) -> CellEdges:
    """The columns' aligned edges: at each inner boundary, the x where the lines' first
    words past it start, and where their last words before it end, when enough lines
    (``aligned_separators``' share) agree within ``ALIGN``. A left-aligned column's
    texts all start at one x, a right-aligned one's all end at one x; a line's text
    running across the boundary meets neither."""
    starts: list[float] = []
    ends: list[float] = []
    for x in bounds[1:-1]:
        firsts: list[tuple[float, float, str]] = []
        lasts: list[tuple[float, float, str]] = []
        for line in lines:
            left = [w for w in line.words if (w["x0"] + w["x1"]) / 2 < x]
            right = [w for w in line.words if (w["x0"] + w["x1"]) / 2 >= x]
            if left and right:
                lasts.append((max(w["x1"] for w in left), 0.0, ""))
                firsts.append((min(w["x0"] for w in right), 0.0, ""))
        need = max(3, math.ceil(0.2 * len(firsts)))
        starts += [g[0][0] for g in _clusters(firsts, key=lambda p: p[0]) if len(g) >= need]
        ends += [g[-1][0] for g in _clusters(lasts, key=lambda p: p[0]) if len(g) >= need]
    return CellEdges(tuple(starts), tuple(ends))


def column_bounds(lines: Sequence[_Line]) -> list[float]:
    """Left edge, the boundaries between columns, right edge, voted for by the lines of
    two chunks or more (``separators``, then ``aligned_separators``)."""
    evidence = [ln for ln in lines if is_evidence(ln)] or list(lines)
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    voted = separators(evidence, left, right)
    inner = sorted([*voted, *aligned_separators(evidence, voted)])
    return [left - 1.0, *inner, right + 1.0]


def columns_drawn(xs: Sequence[float], top: float, bottom: float, vertical: Sequence[Word]) -> bool:
    """Whether a grid's column boundaries ``xs`` are drawn as rules: half of its inner
    boundaries at least have a vertical rule somewhere over its height [top, bottom]
    (a header ruled and the body not is drawn too). pdfplumber's finder also makes
    grids of filled rectangles (zebra stripes, cell fills, a shaded column), whose
    edges are not rules (``extract._rulings``): there the text's own alignment gives
    the columns, not the fills' edges."""
    inner = xs[1:-1]
    drawn = sum(
        1
        for x in inner
        if any(
            abs(e["x0"] - x) <= 1.5 and min(e["bottom"], bottom) - max(e["top"], top) >= 3.0
            for e in vertical
        )
    )
    return 2 * drawn >= len(inner)


def columns_hold_text(xs: Sequence[float], lines: Sequence[_Line]) -> bool:
    """Whether a grid's columns ``xs`` are the columns of the text it holds (``lines``,
    the lines inside it): in at least half of the lines no column holds two cells'
    texts side by side. A table drawn as filled cells with white gaps between them has
    its columns in the fills' edges; zebra stripes and a shaded column make a grid of
    one column under several of the text's."""
    if not lines:
        return False
    split = 0
    for line in lines:
        for a, b in itertools.pairwise(xs):
            inside = [w for w in line.words if a <= (w["x0"] + w["x1"]) / 2 < b]
            if inside and sum(1 for c in chunks(replace(line, words=inside)) if _has_text(c)) > 1:
                split += 1
                break
    return 2 * split < len(lines)


# --------------------------------------------------------------------------- regions


def _is_prose(line: _Line, width: float) -> bool:
    """A line of one long chunk across most of the text's width (a paragraph, a title,
    a note), or with a run of words across most of it after a label ("TEST COMMENTS:
    Planting conditions were ..."): it ends a table, whose rows are cells."""
    parts = [c for c in chunks(line) if _has_text(c)]
    long = [c for c in parts if len(c.words) >= PROSE_WORDS]
    if len(parts) == 1:
        return bool(long) and long[0].x1 - long[0].x0 >= PROSE_WIDTH * width
    return any(c.x1 - c.x0 >= PROSE_WIDTH * width for c in long)


def _runs(lines: Sequence[_Line]) -> list[tuple[int, int]]:
    """Runs [i, j) of lines that may hold one table each: cut at a wide vertical gap
    and at prose."""
    if not lines:
        return []
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    runs: list[tuple[int, int]] = []
    start = 0
    for i, line in enumerate(lines):
        if _is_prose(line, width):
            if start < i:
                runs.append((start, i))
            start = i + 1
            continue
        if i > start:
            gap = line.top - lines[i - 1].bottom
            if gap > MAX_REGION_GAP * max(line.height, 1.0):
                runs.append((start, i))
                start = i
    if start < len(lines):
        runs.append((start, len(lines)))
    return runs


def _median_height(lines: Sequence[_Line]) -> float:
    return statistics.median(ln.height for ln in lines) if lines else 0.0


def _gaps(lines: Sequence[_Line]) -> list[float]:
    return [b.top - a.bottom for a, b in itertools.pairwise(lines)]


def _rules_between(rule_ys: Sequence[float], upper: _Line, lower: _Line) -> bool:
    """A ruling line across the table runs between two lines."""
    mid_upper = (upper.top + upper.bottom) / 2
    mid_lower = (lower.top + lower.bottom) / 2
    return any(mid_upper < y < mid_lower for y in rule_ys)


def _in_first_column(line: _Line, bounds: Sequence[float]) -> bool:
    return all((w["x0"] + w["x1"]) / 2 < bounds[1] for w in line.words)


def _is_title(line: _Line, body_size: float, bounds: Sequence[float]) -> bool:
    """Above a table: larger type than the body's, or a long line across most of the
    table (its caption), is the table's title, not a header row."""
    if type_size(line.words) > TITLE_SIZE * body_size:
        return True
    return _is_prose(line, bounds[-1] - bounds[0])


def _ends_paragraph(lines: Sequence[_Line], i: int, width: float) -> bool:
    """Line i is the last line of a paragraph: the line over it is prose (``_is_prose``
    against the block's text ``width``) set at a paragraph's leading ("... amounts by
    payroll period have" over "changed. For 2011, they are:")."""
    if i < 1:
        return False
    above, line = lines[i - 1], lines[i]
    tight = line.top - above.bottom <= 0.5 * line.height
    return tight and abs(above.x0 - line.x0) <= line.height and _is_prose(above, width)


@dataclass
class _Extent:
    """The lines of one table in a block's lines: header [head, body), body [body, end)."""

    head: int
    body: int
    end: int


def _extend(
    lines: Sequence[_Line],
    start: int,
    last: int,
    floor: int,
    ceiling: int,
    bounds: Sequence[float],
    rule_ys: Sequence[float],
    numeric: set[int],
) -> _Extent:
    """The table around its body's first line ``start`` and last evidence line
    ``last``. Upwards: section labels in the first column ("Caste/tribe") while no
    header line and no rule was seen, then header lines -- the first within two line
    heights, the next packed no looser than the body's rows (``HEADER_GAP`` line heights
    at least) -- up to a wider gap, a title, or a line of figures (the last row of a
    table above). Rules do not end a header: producers rule between its parts ("1 2 3"
    column numbers under the names). Downwards: lines that fit the columns, as close as
    the body's rows are, up to a rule or prose. ``floor``/``ceiling`` bound the lines it
    may take."""
    body = lines[start : last + 1]
    height = _median_height(body)
    body_size = type_size([w for ln in body for w in ln.words])
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    gaps = _gaps(body)
    row_gap = max([*gaps, height])
    header_gap = max(HEADER_GAP * height, 1.25 * statistics.median(gaps) if gaps else 0.0)
    head = body_start = start
    header_seen = crossed = False
    for i in range(start - 1, floor - 1, -1):
        line, below = lines[i], lines[head]
        gap = below.top - line.bottom
        ruled = _rules_between(rule_ys, line, below)
        crossed = crossed or ruled
        if _is_title(line, body_size, bounds) or _ends_paragraph(lines, i, width):
            break
        if not header_seen and not crossed and _in_first_column(line, bounds):
            if gap > 1.5 * row_gap:
                break
            head = body_start = i
            continue
        if gap > (header_gap if header_seen else 2.0 * height):
            break
        cells = _cells_of_band(line.words, bounds)[0]
        labelled = any(t.strip() for k, t in enumerate(cells) if k not in numeric)
        if numeric and labelled and _is_data(cells, numeric):
            break  # a labelled row of figures; "2016" alone over its column is a header
        header_seen = True
        head = i
    end = last + 1
    for i in range(last + 1, ceiling):
        line, above = lines[i], lines[end - 1]
        gap = line.top - above.bottom
        if gap > 1.5 * row_gap or _rules_between(rule_ys, above, line):
            break
        if _crosses(line, bounds) or _is_title(line, body_size, bounds):
            break
        end = i + 1
    return _Extent(head, body_start, end)


# --------------------------------------------------------------------------- body start

_FIGURE = re.compile(
    r"^[\d\s.,'/:()+\-\u2212\u2013%$\u20ac\u00a3\u00a5*#]*\d[\d\s.,'/:()+\-\u2212\u2013%$\u20ac\u00a3\u00a5*#]*$"
)
_PLACEHOLDERS = frozenset({"-", "\u2013", "\u2014", "..", "...", "n/a", "na", "x"})


def is_numeric(text: str) -> bool:
    """A figure ("1,850.00", "(0.21)", "-4.3", "12%", "$ 71.15", "09/09/2019") or the
    dash a table prints for none: digits and the signs around figures, no letters."""
    t = " ".join(text.split())
    return bool(_FIGURE.match(t)) or t.casefold() in _PLACEHOLDERS


def _numeric_columns(rows: Sequence[tuple[str, ...]]) -> set[int]:
    """Columns whose cells are mostly figures (at least two, and 60 % of those filled)."""
    out = set()
    for k in range(len(rows[0]) if rows else 0):
        filled = [r[k] for r in rows if r[k].strip()]
        figures = sum(1 for t in filled if is_numeric(t))
        if figures >= 2 and figures >= 0.6 * len(filled):
            out.add(k)
    return out


def _is_data(cells: tuple[str, ...], numeric: set[int]) -> bool:
    """A row of data, not of a header: figures in most of the figure columns
    (a date in a title line is not a row), mostly figures there, and no figure in a
    column of words (a header's column numbers "1 2 3")."""
    score = figures = 0
    for k, text in enumerate(cells):
        if not text.strip():
            continue
        if k in numeric:
            figures += is_numeric(text)
            score += 1 if is_numeric(text) else -1
        elif is_numeric(text):
            return False
    return score > 0 and 2 * figures > len(numeric)


def body_start(lines: Sequence[_Line], bounds: Sequence[float]) -> tuple[int, set[int]]:
    """Index of the first body line among a table's evidence lines (the lines above it
    are header rows), and the columns of figures. In a table of figures, the first line
    of figures; in a table of words only, the second line (a header names the columns
    first)."""
    rows = [_cells_of_band(ln.words, bounds)[0] for ln in lines]
    numeric = _numeric_columns(rows)
    if not numeric:
        evidence = [i for i, ln in enumerate(lines) if is_evidence(ln)]
        return (evidence[1] if len(evidence) > 1 else min(1, len(lines) - 1)), numeric
    return next((i for i, cells in enumerate(rows) if _is_data(cells, numeric)), 0), numeric


def pinned(line: _Line, bounds: Sequence[float]) -> list[Word]:
    """The line's words, each piece of text (words a word space apart, ``_pieces``)
    pinned (``column_x``) to the column it overlaps most: where no rule is drawn, a
    description running a few words past its column's edge ("... TO KANSAS") stays one
    cell."""
    out: list[Word] = []
    for piece in _pieces(line):
        overlaps = [
            min(piece.x1, bounds[k + 1]) - max(piece.x0, bounds[k]) for k in range(len(bounds) - 1)
        ]
        k = max(range(len(overlaps)), key=lambda i: overlaps[i])
        centre = (bounds[k] + bounds[k + 1]) / 2
        out += [{**w, "column_x": centre} for w in piece.words]
    return out


def _row_gap(gaps: Sequence[float]) -> float | None:
    """The gap that ends rows, where the gaps between lines are of two kinds: tight ones
    between a cell's wrapped lines (the lower quartile), and ones at least 1.6 times as
    wide and half a point more between rows (a browser's baselines jitter between 1.5
    and 2.2 pt inside a cell; a spreadsheet sets its rows 1.2 pt further apart). The cut
    is halfway from the widest tight gap to the narrowest row gap. None when the gaps
    are all of a kind (one line rows, or mostly: a few wrapped lines are no evidence)."""
    ordered = sorted(g for g in gaps if g > -0.5)
    if len(ordered) < 2:
        return None
    tight = max(statistics.quantiles(ordered, n=4)[0] if len(ordered) >= 4 else ordered[0], 0.0)
    wide = max(1.6 * tight, tight + 0.5)
    above = [g for g in ordered if g >= wide]
    below = [g for g in ordered if g < wide]
    if not above or not below:
        return None
    return (max(below) + above[0]) / 2


def row_groups(
    lines: Sequence[_Line], bounds: Sequence[float], numeric: set[int]
) -> list[list[_Line]]:
    """The body's lines grouped into rows, told apart by their baselines and checked by
    their columns. Where the gaps between lines are of two kinds (``_row_gap``) --
    tight ones between a cell's wrapped lines, wider ones between rows -- the wider gaps
    end the rows, unless a group so made repeats a figure in a column (then the wide
    gaps are blank lines between blocks of one-line rows, and every line is a row); a
    group is cut again where a column's text starts again after it stopped
    (``_split_at_resumes``). A first line that is only a label in the first column (a
    section label) stays a row of its own. Gaps of one
    kind: each visual line is a row, as the peers read unruled tables; nothing tells a
    wrapped cell's line from a row there."""
    single = [[ln] for ln in lines]
    gaps = _gaps(lines)
    cut = _row_gap(gaps)
    if cut is None:
        return single
    groups: list[list[_Line]] = [[lines[0]]]
    for gap, line in zip(gaps, lines[1:], strict=True):
        if gap >= cut:
            groups.append([line])
        else:
            groups[-1].append(line)
    if any(_figures_repeat(g, bounds, numeric) for g in groups):
        return single
    out: list[list[_Line]] = []
    for group in groups:
        for row in _split_at_resumes(group, bounds):
            if len(row) > 1 and _in_first_column(row[0], bounds):
                out += [[row[0]], row[1:]]
            else:
                out.append(row)
    return out


def _figures_repeat(group: Sequence[_Line], bounds: Sequence[float], numeric: set[int]) -> bool:
    """A figure twice in a column of figures: the lines are several rows (not counting
    a figure a wrap cut: "November" / "15-16," / "2016" is one date)."""
    rows = [_cells_of_band(ln.words, bounds)[0] for ln in group]
    for k in numeric:
        figures = [r[k].strip() for r in rows if r[k].strip() and is_numeric(r[k])]
        # a figure a wrap cut ends with what joins it to the next line
        if sum(1 for f in figures if not f.endswith((",", "-", "\u2013"))) >= 2:
            return True
    return False


def _split_at_resumes(group: Sequence[_Line], bounds: Sequence[float]) -> list[list[_Line]]:
    """Lines cut where a column's text starts again after it stopped for a line: a
    cell's wrapped lines follow each other, so the text that resumes is the next row's
    (a row set closer to the one above than the producer's usual row gap)."""
    rows: list[list[_Line]] = [[group[0]]]
    stopped: set[int] = set()
    filled = set(_filled_columns(group[0], bounds))
    for line in group[1:]:
        now = set(_filled_columns(line, bounds))
        if now & stopped:
            rows.append([line])
            stopped, filled = set(), now
            continue
        stopped |= filled - now
        filled |= now
        rows[-1].append(line)
    return rows


def _filled_columns(line: _Line, bounds: Sequence[float]) -> list[int]:
    return [k for k, t in enumerate(_cells_of_band(line.words, bounds)[0]) if t.strip()]


# --------------------------------------------------------------------------- header


def _pieces(line: _Line) -> list[Chunk]:
    """A header line's pieces of text: words a word space apart (less than
    ``WORD_SPACE`` type sizes) are one piece ("Percent Fuel Savings"), a wider gap
    separates two headers ("NUMBER  TYPE")."""
    words = sorted(line.words, key=lambda w: w["x0"])
    out = [Chunk([words[0]])]
    for a, b in itertools.pairwise(words):
        if b["x0"] - a["x1"] > WORD_SPACE * min(_size(a), _size(b)):
            out.append(Chunk([b]))
        else:
            out[-1].words.append(b)
    return out


def _extents(lines: Sequence[_Line], bounds: Sequence[float]) -> list[tuple[float, float]]:
    """Per column, the x extent of the words in it, each in the column its centre falls
    in (the column's own box when it has none): of the body, and of the header, so that
    a group header spans the names under it ("Capital spending" over "Buildings" and
    "Equipment", wider than the figures)."""
    spans: list[list[float]] = [[] for _ in bounds[1:]]
    for line in lines:
        for w in line.words:
            k = _column_of((w["x0"] + w["x1"]) / 2, bounds)
            spans[k] += [w["x0"], w["x1"]]
    return [(min(s), max(s)) if s else (bounds[k], bounds[k + 1]) for k, s in enumerate(spans)]


def _filled(line: _Line, bounds: Sequence[float]) -> int:
    """How many columns the line has text in."""
    return len({_column_of((w["x0"] + w["x1"]) / 2, bounds) for w in line.words})


def _column_of(x: float, bounds: Sequence[float]) -> int:
    for k in range(len(bounds) - 2):
        if x < bounds[k + 1]:
            return k
    return len(bounds) - 2


def header_cells(
    line: _Line,
    bounds: Sequence[float],
    extents: Sequence[tuple[float, float]],
    lowest: bool = False,
) -> tuple[str, ...]:
    """A header line's text per column: each piece (``_pieces``) goes to the columns
    whose body text it lies over; a piece over several (a group header) goes to each of
    them, so that every column it spans carries its name. A piece over no column's text
    goes to the column its centre falls in. The ``lowest`` header line, right over the
    body, holds no group header (a group stands over its columns' own names): there
    each word goes to its column, however tightly narrow columns set their names
    ("method method sterilization")."""
    if lowest:
        return _cells_of_band(line.words, bounds)[0]
    texts: list[list[str]] = [[] for _ in bounds[1:]]
    for piece in _pieces(line):
        text = _join_words(piece.words)
        over = [k for k, (a, b) in enumerate(extents) if piece.x0 < b and piece.x1 > a]
        if not over:
            over = [_column_of((piece.x0 + piece.x1) / 2, bounds)]
        for k in over:
            texts[k].append(text)
    return tuple(" ".join(t) for t in texts)


# --------------------------------------------------------------------------- tables


def _locate(
    lines: Sequence[_Line],
    evidence: Sequence[int],
    floor: int,
    ceiling: int,
    horizontal: Sequence[Word],
) -> tuple[_Extent, list[float], set[int]] | None:
    """A table's lines and columns from a run's evidence lines: columns voted, the body's
    start found, the table extended up and down (``_extend``), and its columns of
    figures (none: its header is only guessed). The header walk may leave out evidence
    lines at the top (a title set in parts, a banner over the table): the columns are
    then voted again without them."""
    located: tuple[_Extent, list[float], set[int]] | None = None
    for _ in range(2):
        if len(evidence) < 2:
            return located
        first, last = evidence[0], evidence[-1]
        bounds = column_bounds(lines[first : last + 1])
        if len(bounds) < 3:
            return located
        rule_ys = _rule_ys(horizontal, bounds[0], bounds[-1])
        offset, numeric = body_start(lines[first : last + 1], bounds)
        extent = _extend(lines, first + offset, last, floor, ceiling, bounds, rule_ys, numeric)
        located = (extent, bounds, numeric)
        if extent.head <= first:
            break
        evidence = [k for k in evidence if k >= extent.head]
    return located


def _tables_in_block(lines: Sequence[_Line], horizontal: Sequence[Word]) -> list[StreamTable]:
    """The tables of one block of lines, top to bottom: one per run of lines
    (``_runs``) with two evidence lines or more, and ``MIN_ROWS`` lines of cells at
    least: one line of cells is a banner or a key-value strip, two are a numbered
    heading and its subheading ("2.2 Crankshaft" over "2.2.1 Check of the scantling")."""
    found: list[StreamTable] = []
    floor = 0
    runs = _runs(lines)
    for r, (i, j) in enumerate(runs):
        evidence = [k for k in range(i, j) if is_evidence(lines[k])]
        ceiling = runs[r + 1][0] if r + 1 < len(runs) else len(lines)
        located = _locate(lines, evidence, max(floor, i), ceiling, horizontal)
        if located is None:
            continue
        extent, bounds, numeric = located
        floor = extent.end
        header = list(lines[extent.head : extent.body])
        body = list(lines[extent.body : extent.end])
        if sum(1 for ln in [*header, *body] if _filled(ln, bounds) >= 2) < MIN_ROWS:
            continue
        every = [w for ln in [*header, *body] for w in ln.words]
        bounds[0] = min(bounds[0], min(w["x0"] for w in every) - 1.0)
        bounds[-1] = max(bounds[-1], max(w["x1"] for w in every) + 1.0)
        extents = _extents([*header, *body], bounds)
        rows = [
            header_cells(ln, bounds, extents, lowest=k == len(header) - 1)
            for k, ln in enumerate(header)
        ]
        above = list(lines[: extent.head])
        table = StreamTable(header, body, bounds, rows, above, not numeric, numeric=numeric)
        table.rows = row_groups(body, bounds, numeric)
        found.append(table)
    return found


GUTTER_LINES = 5  # a page's text is set in columns when this many lines show the gutter


def gutter(lines: Sequence[_Line]) -> tuple[float, float, float] | None:
    """The white gutter of a page set in two columns of prose, as (x, top, bottom): an x
    where many lines (``GUTTER_LINES``, a fifth of them) are two paragraphs' lines and
    nothing else (a table whose last two columns are long texts has more cells on its
    lines), and which no word between their top and bottom lies across; the lines
    just above and below that stay clear of it are in the columns too. A table's column
    gap has cells beside it, not paragraphs, so a table is never cut here."""
    spans: list[tuple[float, float, _Line]] = []
    for line in lines:
        parts = [c for c in chunks(line) if _has_text(c)]
        if len(parts) == 2 and all(len(c.words) >= PROSE_WORDS for c in parts):
            spans.append((parts[0].x1, parts[1].x0, line))
    need = max(GUTTER_LINES, math.ceil(0.2 * len(lines)))
    if len(spans) < need:
        return None
    edges = sorted({round(x, 1) for a, b, _ in spans for x in (a, b)})
    best: tuple[int, float] | None = None
    for lo, hi in itertools.pairwise(edges):
        x = (lo + hi) / 2
        n = sum(1 for a, b, _ in spans if a < x < b)
        if n >= need and (best is None or n > best[0]):
            best = (n, x)
    if best is None:
        return None
    x = best[1]
    witnesses = [ln for a, b, ln in spans if a < x < b]
    first = lines.index(witnesses[0])
    last = lines.index(witnesses[-1])
    if any(w["x0"] < x < w["x1"] for ln in lines[first : last + 1] for w in ln.words):
        return None

    def beside(i: int, j: int) -> bool:
        """Line i continues the columns from line j: close, and clear of the gutter."""
        gap = abs(lines[i].top - lines[j].top) - max(lines[i].height, lines[j].height)
        clear = all(not w["x0"] < x < w["x1"] for w in lines[i].words)
        return clear and gap <= 1.5 * lines[j].height

    while first > 0 and beside(first - 1, first):
        first -= 1
    while last + 1 < len(lines) and beside(last + 1, last):
        last += 1
    return x, lines[first].top, lines[last].bottom


def blocks(lines: Sequence[_Line]) -> list[list[_Line]]:
    """The page's lines in reading order, as blocks read one after the other: a page set
    in two columns (``gutter``) is the text above them, the left column, the right
    column and the text below; any other page is one block."""
    cut = gutter(lines)
    if cut is None:
        return [list(lines)]
    x, top, bottom = cut
    words = [w for ln in lines for w in ln.words]
    inside = [w for w in words if top <= (w["top"] + w["bottom"]) / 2 <= bottom]
    parts = [
        [w for w in words if (w["top"] + w["bottom"]) / 2 < top],
        [w for w in inside if (w["x0"] + w["x1"]) / 2 < x],
        [w for w in inside if (w["x0"] + w["x1"]) / 2 >= x],
        [w for w in words if (w["top"] + w["bottom"]) / 2 > bottom],
    ]
    return [_group_lines(p) for p in parts if p]


def find_stream_tables(
    lines: Sequence[_Line], horizontal: Sequence[Word] = ()
) -> list[StreamTable]:
    """The page's unruled tables, in reading order (none when no run of lines has two
    columns)."""
    return [t for block in blocks(lines) for t in _tables_in_block(block, horizontal)]
