"""engine: what every table of the layout shares, however it was found.

Pure geometry, no PDF library: ``extract`` reads each page once into a ``PageContent``
(words with fonts, ruling segments, pdfplumber's grids) and hands the pages to
``tables.table_rows`` in order, because a table's layout carries from page to page
(``LayoutState``). Here:

* lines and words (``_group_lines``, ``page_lines``), ruling lines across a table
  (``_rule_ys``, ``_vertical_xs``);
* header cells and a header naming a profile's columns (``_find_header``, aliases);
* rows: bands between horizontal rules, with the open edge a page break leaves closed at
  the text that follows on from the last rule, else gaps between lines and the date
  column (a new complete date starts a row) (``_row_bands``); where a table ends on a
  page (prose, notes, furniture: ``_table_lines``) and a note under it;
* cells: each word in the cell its centre falls in, lines and fonts (italic) kept; a
  vertically merged cell (no rule across its column) gives its text to the top of its
  span (``body_rows``); without rules, a fill-down column's text block goes to the first
  row of the span it was centred on (``_spanned_rows``).

No decision about what a row *means* is made here: repeated headers are marked, every
other row is passed on, and clean decides about continuations, fill-down and furniture.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.layout.header_error import missing_columns_message
from pipeline.model import (
    NOTE_UNDER_TABLE,
    PAGE_NUMBER,
    RUNNING_HEAD,
    OcrStats,
    PhysicalRow,
    RowKind,
    TableLayout,
)
from pipeline.normalise.dates import DateParseError, parse_date_range
from pipeline.profiles import Profile, header_key

Word = dict[str, Any]

_ITALIC_FONT = re.compile(r"italic|oblique|-(bold)?it$", re.IGNORECASE)
_X0 = operator.itemgetter("x0")
_RULE_TOLERANCE = 1.5  # pt: edges closer than this are one ruling line
_MIN_RULE_COVER = 0.5  # a horizontal rule must cover half the table width


@dataclass
class WordRun:
    """Words read together (a text line, one cell's text of a line): their x extent."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return float(min(w["x0"] for w in self.words))

    @property
    def x1(self) -> float:
        return float(max(w["x1"] for w in self.words))


@dataclass
class _Line(WordRun):
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return _join_words(self.words)


@dataclass
class _HeaderCell:
    key: str
    label: str
    x0: float
    x1: float


@dataclass
class _Header:
    cells: list[_HeaderCell]
    top: float
    bottom: float


@dataclass
class _Layout:
    """Column geometry of the open table, carried to pages that repeat no header."""

    table: TableLayout
    bounds: list[float]  # len(keys) + 1 x positions, left edge to right edge
    ruled_columns: bool = False
    edges: CellEdges | None = None
    """Where its cells' texts start and end in line (``stream.cell_edges``)."""
    header_named: bool = False
    """Opened by a header naming the profile's columns (``named``): later pages without
    a header go on with it."""


@dataclass
class LayoutState:
    tables: list[TableLayout] = field(default_factory=list)
    layout: _Layout | None = None
    title: str = ""
    near_misses: list[str] = field(default_factory=list)
    header_rows: list[tuple[str, ...]] = field(default_factory=list)
    """Generic profile: the first rows of the open table as printed on its first page."""
    page_before: str = ""
    """The short text of the last page before the table (a cover page's heading)."""
    last_page_with_rows: int = 0
    left_out: dict[int, str] = field(default_factory=dict)
    """Ids of words on the current page that layout left out on purpose, with why
    (``leave_out``); extract's audit reads and resets it after each page."""

    def leave_out(self, words: Sequence[Word], reason: str) -> None:
        """Words layout keeps out of every cell, on purpose: the audit reports them with
        this reason instead of as unexplained."""
        for w in words:
            if "id" in w:
                self.left_out[w["id"]] = reason


# --------------------------------------------------------------------------- opening


def word_ids(words: Sequence[Word]) -> tuple[int, ...]:
    """The ids extract gave the words (page-local), for the word-level accounting."""
    return tuple(sorted(w["id"] for w in words if "id" in w))


def _join_words(words: Sequence[Word]) -> str:
    """Words of one visual line, left to right. pdfplumber splits a word where its font
    changes (italic inside a word), so touching words are glued back without a space."""
    out: list[str] = []
    prev: Word | None = None
    for w in sorted(words, key=_X0):
        if prev is not None:
            gap = w["x0"] - prev["x1"]
            out.append("" if gap < 0.12 * (prev["bottom"] - prev["top"]) else " ")
        out.append(w["text"])
        prev = w
    return "".join(out)


def _group_lines(words: Sequence[Word]) -> list[_Line]:
    """Words whose vertical extents mostly overlap are one visual line. (The line being
    built is kept in locals, not read back from its ``_Line``: this runs for every cell
    of every row.)"""
    if len(words) < 2:  # (most cells of a line: nothing to sort or group)
        return [_Line([w], w["top"], w["bottom"]) for w in words]
    lines: list[_Line] = []
    top = bottom = 0.0
    current: list[Word] = []
    for w in sorted(words, key=_reading_order):
        w_top, w_bottom = w["top"], w["bottom"]
        if current:
            overlap = min(bottom, w_bottom) - max(top, w_top)
            if overlap > 0.5 * min(bottom - top, w_bottom - w_top):
                current.append(w)
                bottom = max(bottom, w_bottom)
                continue
            lines.append(_Line(current, top, bottom))
        current, top, bottom = [w], w_top, w_bottom
    lines.append(_Line(current, top, bottom))
    return lines


def _reading_order(w: Word) -> tuple[float, float]:
    return round(w["top"], 1), w["x0"]


def page_lines(words: Sequence[Word], pageno: int, state: LayoutState | None = None) -> list[_Line]:
    """The page's visual lines without a bare page number ("2" alone, as the page's first
    or last line): printed at a margin inside the last column's x-range, right under a
    row the page break split, it would end that row's cell ("… reintegration 1") or a URL
    ("http://csm-osumi.org2"). The number is left out in ``state``'s words."""
    lines = _group_lines(words)
    number = str(pageno)
    dropped: list[_Line] = []
    if lines and len(lines[-1].words) == 1 and lines[-1].text.strip() == number:
        dropped.append(lines.pop())
    if lines and len(lines[0].words) == 1 and lines[0].text.strip() == number:
        dropped.append(lines.pop(0))
    if state is not None:
        state.leave_out([w for ln in dropped for w in ln.words], PAGE_NUMBER)
    return lines


def _is_italic(words: Sequence[Word]) -> bool:
    total = sum(len(w["text"]) for w in words)
    italic = sum(len(w["text"]) for w in words if _italic_font(w.get("fontname", "")))
    return total > 0 and italic * 2 > total


@functools.lru_cache(maxsize=1024)
def _italic_font(fontname: str) -> bool:
    """(Asked for every word of every cell; a document has a handful of fonts.)"""
    return bool(_ITALIC_FONT.search(fontname))


# --------------------------------------------------------------------------- rulings


def _rule_ys(horizontal: Sequence[Word], left: float, right: float) -> list[float]:
    """y positions of horizontal rules covering at least half of [left, right].

    Producers draw a row's border cell by cell, so coverage is summed over segments."""
    width = max(right - left, 1.0)
    by_y: list[tuple[float, float, float]] = sorted(
        (e["top"], max(e["x0"], left), min(e["x1"], right)) for e in horizontal
    )
    ys: list[float] = []
    i = 0
    while i < len(by_y):
        y0 = by_y[i][0]
        spans: list[tuple[float, float]] = []
        while i < len(by_y) and by_y[i][0] - y0 <= _RULE_TOLERANCE:
            if by_y[i][2] > by_y[i][1]:
                spans.append((by_y[i][1], by_y[i][2]))
            i += 1
        if _covered(spans) >= _MIN_RULE_COVER * width:
            ys.append(y0)
    return ys


def _covered(spans: list[tuple[float, float]]) -> float:
    total = 0.0
    end = float("-inf")
    for a, b in sorted(spans):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _vertical_xs(vertical: Sequence[Word], top: float, bottom: float) -> list[float]:
    """x positions of vertical rules crossing the band [top, bottom]. A rule may stop a
    little short of the text: spreadsheets draw a cell's border from its top edge while
    its text box sticks out above it (Calc's print titles: 1.4 pt at 9 pt type), so the
    allowance is a quarter of the band's height, at least 1 pt."""
    slack = max(1.0, 0.25 * (bottom - top))
    xs = sorted(
        e["x0"] for e in vertical if e["top"] <= top + slack and e["bottom"] >= bottom - slack
    )
    merged: list[float] = []
    for x in xs:
        if not merged or x - merged[-1] > _RULE_TOLERANCE:
            merged.append(x)
    return merged


# --------------------------------------------------------------------------- header


def _header_cells(lines: Sequence[_Line], v_rules: Sequence[float]) -> list[list[Word]]:
    """Cluster the words of a 1-3 line header band into cells: words close on a line, or
    stacked above each other (a wrapped header such as "Event /" over "Title"), are one
    cell, unless a vertical ruling separates them. Where column rules are drawn (inner
    ones too, not only a box around the table), the words between two of them are one
    cell however far apart: a scan's OCR may lose the "/" of "Event / Title"."""
    words = sorted((w for line in lines for w in line.words), key=lambda w: w["x0"])
    cells: list[list[Word]] = []
    right = float("-inf")
    for w in words:
        size = w["bottom"] - w["top"]
        ruled_apart = any(right - 0.5 <= x <= w["x0"] + 0.5 for x in v_rules)
        near = w["x0"] <= right + 0.45 * size or _one_ruled_cell(v_rules, right, w["x1"])
        if cells and near and not ruled_apart:
            cells[-1].append(w)
            right = max(right, w["x1"])
        else:
            cells.append([w])
            right = w["x1"]
    return cells


def _one_ruled_cell(v_rules: Sequence[float], x0: float, x1: float) -> bool:
    """x0..x1 lies between two column rules of a header ruled inside, not only boxed."""
    return (
        len(v_rules) >= 3
        and any(x <= x0 + 0.5 for x in v_rules)
        and any(x >= x1 - 0.5 for x in v_rules)
    )


def _cell_text(words: Sequence[Word]) -> str:
    return " ".join(line.text for line in _group_lines(words))


def _match_profile_header(
    lines: Sequence[_Line], v_rules: Sequence[float], profile: Profile
) -> tuple[list[_HeaderCell], list[_HeaderCell]]:
    """Header cells matched to profile columns, and the cells no alias names.

    An unnamed cell ("No.", "Remarks") is still a column of the table: it gets a key of
    its own (``_extra<n>``) so its text cannot leak into its neighbours' cells."""
    matched: list[_HeaderCell] = []
    unmatched: list[_HeaderCell] = []
    used: set[str] = set()
    for words in _header_cells(lines, v_rules):
        label = _cell_text(words)
        key = header_key(label)
        x0 = min(w["x0"] for w in words)
        x1 = max(w["x1"] for w in words)
        column = next(
            (c for c in profile.columns if c.key not in used and key in c.alias_keys), None
        )
        if column is None:
            extra = f"_extra{len(unmatched) + 1}"
            unmatched.append(_HeaderCell(extra, " ".join(label.split()), x0, x1))
            continue
        used.add(column.key)
        matched.append(_HeaderCell(column.key, " ".join(label.split()), x0, x1))
    return matched, unmatched


def _may_name_required(words: Sequence[Word], profile: Profile) -> bool:
    """Whether the words could name every required column: each needs a word whose key
    (``header_key``) is part of one of the column's alias keys. A header cell's key is
    its words' keys put together (``header_key`` drops what lies between them), so a
    line without such a word cannot be a header: a quick no for a body line, before
    ``_match_profile_header`` clusters and reads its cells."""
    pieces = _alias_pieces(tuple(c.alias_keys for c in profile.columns if c.required))
    if pieces is None:
        return True
    keys = {header_key(w["text"]) for w in words}
    keys.discard("")
    return all(not keys.isdisjoint(column) for column in pieces)


@functools.cache
def _alias_pieces(alias_keys: tuple[frozenset[str], ...]) -> tuple[frozenset[str], ...] | None:
    """Per column, every non-empty piece of its alias keys (None when an alias has an
    empty key: a cell of punctuation alone would name that column)."""
    if any("" in keys for keys in alias_keys):
        return None
    return tuple(
        frozenset(a[i:j] for a in keys for i in range(len(a)) for j in range(i + 1, len(a) + 1))
        for keys in alias_keys
    )


def _find_header(
    lines: Sequence[_Line], vertical: Sequence[Word], profile: Profile, state: LayoutState
) -> tuple[int, int, _Header] | None:
    """The first band of 1-3 lines whose cells name every required column.

    Returns (first line index, line count, header). Of several band heights that match,
    the one naming most columns wins; at equal counts the taller band, so a wrapped
    header cell ("Event /" over "Title") is not cut in half."""
    if not profile.columns:  # nothing to name: no band is the profile's header
        return None
    required = set(profile.required_keys)
    for i, first in enumerate(lines):
        best: tuple[int, int, _Header] | None = None
        best_score = (-1, 0, 0)
        for size in (1, 2, 3):
            band = lines[i : i + size]
            if len(band) < size:
                break
            if size > 1 and band[-1].top - band[-2].bottom > 0.8 * band[-2].height:
                break
            v_rules = _vertical_xs(vertical, band[0].top, band[-1].bottom)
            cells, unmatched = _match_profile_header(band, v_rules, profile)
            keys = {c.key for c in cells}
            if not required <= keys:
                if size == 1 and len(keys) >= max(2, len(required) - 2):
                    missing = [c for c in profile.columns if c.key in required - keys]
                    found = [c.label for c in sorted([*cells, *unmatched], key=lambda c: c.x0)]
                    state.near_misses.append(
                        missing_columns_message(missing, found, [c.label for c in unmatched])
                    )
                continue
            # most named columns; then fewest unnamed cells (a taller band that swallowed
            # the first body row names fewer); then the taller band (a wrapped header)
            score = (len(cells), -len(unmatched), size)
            if score > best_score:
                best_score = score
                columns = sorted([*cells, *unmatched], key=lambda c: c.x0)
                header = _Header(columns, first.top, band[-1].bottom)
                best = (i, size, header)
        if best is not None:
            return best
    return None


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class CellEdges:
    """Where a table's cells start (just right of a column boundary) and end (just left
    of one) on several lines: the columns' aligned edges (``stream.cell_edges``)."""

    starts: tuple[float, ...] = ()
    ends: tuple[float, ...] = ()

    def meet(self, a: Word, b: Word) -> bool:
        """Two words a word space apart are two cells' texts, not one's: the left one
        ends at an aligned end (a right-aligned date), or the right one starts at an
        aligned start (the next column's left-aligned text)."""
        return any(abs(a["x1"] - x) <= _ALIGN for x in self.ends) or any(
            abs(b["x0"] - x) <= _ALIGN for x in self.starts
        )


_ALIGN = 1.0  # pt: edges this close are aligned


def _crosses(
    line: _Line, bounds: Sequence[float], at_least: int = 1, edges: CellEdges | None = None
) -> bool:
    """In a table without column rules, prose that runs across column boundaries is not
    part of the table: a word that overhangs a boundary, or two words on either side of
    one that are only a word space apart, as cells never are -- unless they meet at the
    columns' aligned ``edges`` (a spreadsheet's borderless print sets a right-aligned
    date 2 pt from the next column's text). ``at_least=2`` asks for unmistakable prose,
    for when the boundaries themselves may still be off."""
    inner = bounds[1:-1]
    words = sorted(line.words, key=lambda w: w["x0"])
    crossed: set[float] = set()
    for w in words:
        size = w["bottom"] - w["top"]
        crossed.update(x for x in inner if w["x0"] < x - size and w["x1"] > x + size)
    for a, b in itertools.pairwise(words):
        size = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
        if b["x0"] - a["x1"] < 0.45 * size and not (edges is not None and edges.meet(a, b)):
            centre_a, centre_b = (a["x0"] + a["x1"]) / 2, (b["x0"] + b["x1"]) / 2
            crossed.update(x for x in inner if centre_a < x <= centre_b)
    if crossed and len(crossed) >= min(at_least, len(inner)):
        return True
    return line.x0 < bounds[0] - 20 or line.x1 > bounds[-1] + 20


def _outside_rules(line: _Line, bounds: Sequence[float], vertical: Sequence[Word]) -> bool:
    """In a table whose columns are ruled, a line at a height where no column rule runs
    is outside the table (a note, prose, a footer)."""
    y = (line.top + line.bottom) / 2
    return not any(
        e["top"] - 1 <= y <= e["bottom"] + 1 and bounds[0] - 2 <= e["x0"] <= bounds[-1] + 2
        for e in vertical
    )


@dataclass(frozen=True)
class _DateColumn:
    """The profile's date column on a page: where rows start when no rule says so."""

    lo: float
    hi: float
    bounds: tuple[float, ...] = ()
    """Every column boundary of the table (to tell which columns a line uses)."""

    def text(self, lines: Sequence[_Line]) -> str:
        parts = (
            _join_words([w for w in ln.words if self.lo <= (w["x0"] + w["x1"]) / 2 < self.hi])
            for ln in lines
        )
        return " ".join(t for t in parts if t)

    def complete(self, lines: Sequence[_Line]) -> bool:
        text = self.text(lines)
        if not text:
            return False
        try:
            parse_date_range(text)
        except DateParseError:
            return False
        return True

    def _columns(self, line: _Line) -> set[int]:
        mids = ((w["x0"] + w["x1"]) / 2 for w in line.words)
        return {bisect.bisect(self.bounds, x) for x in mids}

    def continues_cell(self, current: Sequence[_Line], line: _Line) -> bool:
        """A line after a blank line that is the next paragraph of a cell, not a new row:
        no date, and only in columns the row's last line also fills (a long outcome's
        paragraphs). A new row, even one missing its date, starts in other columns too."""
        if not self.bounds or self.text([line]):
            return False
        return self._columns(line) <= self._columns(current[-1])

    def starts_row(self, current: Sequence[_Line], line: _Line) -> bool:
        """A line starts a new row when it has text in the date column and the date of
        the row so far is already complete ("November 30 -" is not)."""
        return bool(self.text([line])) and self.complete(current)


@dataclass
class _Band:
    top: float
    bottom: float
    open_bottom: bool
    lines: list[_Line]
    ruled: bool = False


def _near_rule(lines: Sequence[_Line], rule: float, downwards: bool) -> list[_Line]:
    """Lines that follow on from a rule without a gap: walking away from it, stop at the
    first gap of more than 1.5 line heights (what lies beyond is a footer or a head)."""
    taken: list[_Line] = []
    edge = rule
    for ln in lines if downwards else list(reversed(lines)):
        gap = ln.top - edge if downwards else edge - ln.bottom
        if gap > 1.5 * ln.height:
            break
        taken.append(ln)
        edge = ln.bottom if downwards else ln.top
    return taken if downwards else list(reversed(taken))


def _split_band(band: _Band, date: _DateColumn | None) -> list[_Band]:
    """A ruled band whose date cell is not one date but several is several rows whose
    separating rules the producer did not draw (booktabs style: rules only around the
    header and at the end): it is cut as an unruled table is. The pieces are not ruled
    apart, so no merged cell is inferred between them."""
    if date is None or len(band.lines) < 2 or date.complete(band.lines):
        return [band]
    groups = _segment(band.lines, date)
    if len(groups) == 1:
        return [band]
    pieces = []
    for k, group in enumerate(groups):
        last = k == len(groups) - 1
        top = band.top if k == 0 else group[0].top - 0.5
        bottom = band.bottom if last else group[-1].bottom + 0.5
        pieces.append(_Band(top, bottom, band.open_bottom and last, group, ruled=False))
    return pieces


def _row_bands(
    lines: Sequence[_Line],
    rule_ys: Sequence[float],
    body_top: float,
    date: _DateColumn | None = None,
    bounds: Sequence[float] = (),
    spanning: Sequence[int] = (),
) -> list[_Band]:
    """The rows on one page, each with its lines (every line in exactly one row).

    With horizontal rules, rows are the bands between them; text right above the first
    or below the last rule belongs to a row the page break left open. Without rules, a
    row ends at a gap clearly larger than the gaps between a cell's wrapped lines, or
    where the profile's date column says a new row begins (``_DateColumn.starts_row``);
    the text of the ``spanning`` columns (indexes into ``bounds``), which may be merged
    over several rows, is left out of that cut and given to its rows after
    (``_spanned_rows``)."""
    if not lines:
        return []
    ys = [y for y in rule_ys if y >= body_top - _RULE_TOLERANCE]
    if len(ys) >= 2 or (ys and lines[0].top > ys[0]):

        def mid(ln: _Line) -> float:
            return (ln.top + ln.bottom) / 2

        bands = [_Band(a, b, False, [], True) for a, b in itertools.pairwise(ys)]
        above = _near_rule([ln for ln in lines if mid(ln) < ys[0]], ys[0], downwards=False)
        below = _near_rule([ln for ln in lines if mid(ln) > ys[-1]], ys[-1], downwards=True)
        for ln in lines:
            for band in bands:
                if band.top <= mid(ln) <= band.bottom:
                    band.lines.append(ln)
                    break
        out = [sub for b in bands if b.lines for sub in _split_band(b, date)]
        if above:
            out[:0] = _split_band(_Band(above[0].top - 0.5, ys[0], False, above, True), date)
        if below:
            out += _split_band(_Band(ys[-1], below[-1].bottom + 0.5, True, below, True), date)
        return out
    if spanning:
        rows = _spanned_rows(lines, date, bounds, spanning)
    else:
        rows = [(g, g) for g in _segment(lines, date)]
    return [
        _Band(own[0].top - 0.5, own[-1].bottom + 0.5, k == len(rows) - 1, given)
        for k, (own, given) in enumerate(rows)
    ]


def _dated_block(
    lines: Sequence[_Line], start: int, gaps: Sequence[float], threshold: float, date: _DateColumn
) -> bool:
    """Whether the block of lines from ``start`` to the next blank line prints a date: a
    vertically centred cell's first lines come before its row's date, so such a block
    is a new row, and one without a date the next paragraph of a long cell."""
    for k in range(start, len(lines)):
        if k > start and gaps[k - 1] > threshold:
            return False
        if date.text([lines[k]]):
            return True
    return False


def _segment(lines: Sequence[_Line], date: _DateColumn | None) -> list[list[_Line]]:
    """Rows of lines no rule separates: a row ends at a gap clearly larger than the gaps
    between a cell's wrapped lines, or where the date column starts a new row. A gap
    before the next paragraph of a long cell (blank lines in an outcome running over
    pages) is not a row boundary: a row is cut only where a new row can start."""
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(lines)]
    height = statistics.median(ln.height for ln in lines)
    tight = statistics.quantiles(gaps, n=4)[0] if len(gaps) >= 4 else min(gaps, default=0.0)
    threshold = max(0.5 * height, 1.8 * max(tight, 0.0))
    groups: list[list[_Line]] = [[lines[0]]]
    for i, (gap, line) in enumerate(zip(gaps, lines[1:], strict=False), start=1):
        paragraph = (
            date is not None
            and gap > threshold
            and date.continues_cell(groups[-1], line)
            and not _dated_block(lines, i, gaps, threshold, date)
        )
        if (gap > threshold and not paragraph) or (
            date is not None and date.starts_row(groups[-1], line)
        ):
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


# --------------------------------------------------------------------------- merged cells


def _spanned_rows(
    lines: Sequence[_Line],
    date: _DateColumn | None,
    bounds: Sequence[float],
    spanning: Sequence[int],
) -> list[tuple[list[_Line], list[_Line]]]:
    """Rows of lines no rule separates in a table whose ``spanning`` columns (indexes
    into ``bounds``: the profile's fill-down columns) may hold vertically merged cells.

    Such a cell's text, centred over the rows it spans, sits across their boundaries
    and bridges the gap that cuts one row from the next, so the rows are cut without
    the text blocks of those columns that lie among the other columns' lines, and each
    block is then given to the row it belongs to (``_spanning_owners``); a block above
    or below all of them (a note under the table) is cut as before. Returns per row
    (its own lines, its lines with the blocks it was given)."""
    words = [w for ln in lines for w in ln.words]
    rest = [w for w in words if not any(_in_column(w, bounds, k) for k in spanning)]
    if not rest or len(rest) == len(words):
        return [(g, g) for g in _segment(lines, date)]
    top = min(w["top"] for w in rest)
    bottom = max(w["bottom"] for w in rest)
    cells = [
        _group_lines([w for w in words if _in_column(w, bounds, k)]) for k in range(len(bounds) - 1)
    ]
    leading = _leading(cells)
    among: list[list[_Line]] = []
    for k in spanning:
        blocks = _text_blocks(cells[k], leading)
        inside = [b[0].top < bottom and b[-1].bottom > top for b in blocks]
        rest += [
            w for b, i in zip(blocks, inside, strict=True) if not i for ln in b for w in ln.words
        ]
        among.append([ln for b, i in zip(blocks, inside, strict=True) if i for ln in b])
    groups = _segment(_group_lines(rest), date)
    height = statistics.median(ln.height for g in groups for ln in g)
    starts = [g[0].top for g in groups if not _centred_row(g, bounds, height)]
    given: list[list[_Line]] = [list(g) for g in groups]
    for column in among:
        blocks = _text_blocks(column, leading, starts)
        for block, owner in zip(blocks, _spanning_owners(groups, blocks, bounds), strict=True):
            given[owner].extend(block)
    return [
        (g, sorted(g_all, key=lambda ln: ln.top)) for g, g_all in zip(groups, given, strict=True)
    ]


def _in_column(w: Word, bounds: Sequence[float], k: int) -> bool:
    """Whether the word's centre lies between column ``k``'s bounds."""
    return bool(bounds[k] <= (w["x0"] + w["x1"]) / 2 < bounds[k + 1])


def _leading(columns: Sequence[Sequence[_Line]]) -> float | None:
    """The table's leading: the usual step from one line's top to the next's within a
    column, which wrapped lines (most of a table's lines) set; None without any."""
    steps = [b.top - a.top for lines in columns for a, b in itertools.pairwise(lines)]
    steps = [s for s in steps if s > 0]
    return statistics.median(steps) if steps else None


def _text_blocks(
    column: Sequence[_Line], leading: float | None, starts: Sequence[float] = ()
) -> list[list[_Line]]:
    """One column's lines in blocks: lines at the table's ``leading`` are a cell's
    wrapped text; a larger step, by a tenth of a line (a tight table's rows are a
    point or so further apart than its lines), starts another cell, and so does a line
    level with one of the ``starts`` (the first lines of rows whose cells are set at
    the top: without padding, rows are as far apart as lines)."""
    if not column:
        return []
    blocks = [[column[0]]]
    for above, line in itertools.pairwise(column):
        height = min(line.height, above.height)
        if leading is None:
            apart = line.top - above.bottom > 0.5 * height
        else:
            apart = line.top - above.top > leading + 0.1 * height
        if apart or any(abs(line.top - s) <= 0.25 * height for s in starts):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return blocks


def _spanning_owners(
    rows: Sequence[Sequence[_Line]], blocks: Sequence[Sequence[_Line]], bounds: Sequence[float]
) -> list[int]:
    """The row each text block of a column that may hold merged cells belongs to.

    A block lies in the rows its lines' centres fall in (rows meet halfway across the
    gap between them). The rows around those with no text of their own in the column
    may be the rest of a merged cell's span: where the rows' cells are vertically
    centred (``_centred_row``), the block was centred on its span, so of the spans it can
    have, the one whose centre is nearest the block's wins, the widest of equally near
    ones (a one-line name centred over three rows of equal height sits exactly where it
    would centred in the middle one: the merged cell is what a fill-down column
    prints). Otherwise the text was set at the top of its cell: its first row's. The
    block's text goes to the span's first row."""
    if not blocks:
        return []
    tops = [min(ln.top for ln in r) for r in rows]
    bottoms = [max(ln.bottom for ln in r) for r in rows]
    cuts = [(b + t) / 2 for b, t in zip(bottoms, tops[1:], strict=False)]

    def row_of(line: _Line) -> int:
        return bisect.bisect(cuts, (line.top + line.bottom) / 2)

    held = [sorted({row_of(ln) for ln in block}) for block in blocks]
    taken = {r for rs in held for r in rs}
    height = statistics.median(ln.height for block in blocks for ln in block)
    owners = []
    for block, rs in zip(blocks, held, strict=True):
        first, last = rs[0], rs[-1]
        if not any(_centred_row(rows[r], bounds, height) for r in rs):
            owners.append(first)
            continue
        up = first
        while up > 0 and up - 1 not in taken:
            up -= 1
        down = last
        while down < len(rows) - 1 and down + 1 not in taken:
            down += 1
        centre = (block[0].top + block[-1].bottom) / 2
        spans = [(a, b) for a in range(up, first + 1) for b in range(last, down + 1)]
        off = {s: abs((tops[s[0]] + bottoms[s[1]]) / 2 - centre) for s in spans}
        nearest = min(off.values())
        near = [s for s in spans if off[s] <= nearest + 0.25 * height]
        owners.append(max(near, key=lambda s: (s[1] - s[0], -off[s]))[0])
    return owners


def _centred_row(row: Sequence[_Line], bounds: Sequence[float], height: float) -> bool:
    """Whether a row's cells are set vertically centred: a cell at least a line shorter
    than the row sits at its middle, not at its top. (A row of one-line cells shows
    neither: its cells are taken as set at the top.)"""
    top = min(ln.top for ln in row)
    bottom = max(ln.bottom for ln in row)
    middle = (top + bottom) / 2
    for k in range(len(bounds) - 1):
        words = [w for ln in row for w in ln.words if _in_column(w, bounds, k)]
        if not words:
            continue
        w_top = min(w["top"] for w in words)
        w_bottom = max(w["bottom"] for w in words)
        short = (bottom - top) - (w_bottom - w_top) >= height
        if short and abs((w_top + w_bottom) / 2 - middle) <= 0.25 * height:
            return True
    return False


def _covers(horizontal: Sequence[Word], y: float, lo: float, hi: float) -> bool:
    spans = [
        (max(e["x0"], lo), min(e["x1"], hi))
        for e in horizontal
        if abs(e["top"] - y) <= _RULE_TOLERANCE and e["x1"] > lo and e["x0"] < hi
    ]
    return _covered(spans) >= 0.5 * (hi - lo)


def _spanning_words(
    bands: Sequence[_Band], horizontal: Sequence[Word], bounds: Sequence[float]
) -> tuple[list[list[Word]], list[tuple[bool, ...]]]:
    """Each band's words, with the words of a vertically merged cell moved to the first
    row of its span: where no rule separates two ruled rows in one column (a merged ISCM
    cell, its name centred in the middle row), that column's text belongs to the top.
    Also returns, per band, which of its cells are merged with the cell above."""
    words = [[w for ln in b.lines for w in ln.words] for b in bands]
    columns = range(len(bounds) - 1)
    owner = [list(range(len(bands))) for _ in columns]
    for i in range(1, len(bands)):
        above, band = bands[i - 1], bands[i]
        if not (above.ruled and band.ruled) or above.open_bottom:
            continue
        if abs(above.bottom - band.top) > _RULE_TOLERANCE:
            continue
        for k in columns:
            if not _covers(horizontal, band.top, bounds[k], bounds[k + 1]):
                owner[k][i] = owner[k][i - 1]
    for k in columns:
        lo, hi = bounds[k], bounds[k + 1]
        for i, top in enumerate(owner[k]):
            if top == i:
                continue
            moving = [w for w in words[i] if lo <= (w["x0"] + w["x1"]) / 2 < hi]
            if moving:
                words[i] = [w for w in words[i] if not lo <= (w["x0"] + w["x1"]) / 2 < hi]
                words[top].extend(moving)
    merged = [tuple(owner[k][i] != i for k in columns) for i in range(len(bands))]
    return words, merged


def _cells_of_band(
    words: Sequence[Word], bounds: Sequence[float]
) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    per_column: list[list[Word]] = [[] for _ in range(len(bounds) - 1)]
    for w in words:
        centre = w.get("column_x", (w["x0"] + w["x1"]) / 2)
        for k in range(len(per_column)):
            if centre < bounds[k + 1] or k == len(per_column) - 1:
                per_column[k].append(w)
                break
    texts = tuple("\n".join(ln.text for ln in _group_lines(ws)) if ws else "" for ws in per_column)
    italic = tuple(_is_italic(ws) if ws else False for ws in per_column)
    return texts, italic


# --------------------------------------------------------------------------- pages


_TITLE_MAX_CHARS = 400


def _title_above(lines: Sequence[_Line]) -> str:
    """The heading above the table on its first page: all the text there when it is
    short (a heading and a caption), else only the block of lines directly above the
    table, so that intro prose or another table before it are not taken for a title."""
    if not lines:
        return ""
    everything = " ".join(" ".join(ln.text for ln in lines).split())
    if len(everything) <= _TITLE_MAX_CHARS:
        return everything
    block = [lines[-1]]
    for line in reversed(lines[:-1]):
        if block[0].top - line.bottom > 0.8 * line.height:
            break
        block.insert(0, line)
    return " ".join(" ".join(ln.text for ln in block).split())


@dataclass
class PageContent:
    """What extract needs of one page, read once: words with fonts, and ruling segments.

    Reading a page (pdfplumber's char parsing) is the expensive part and needs no context,
    so pages can be read in worker processes; finding the table in them is cheap and
    sequential, because a table's layout carries from page to page."""

    number: int
    words: list[Word]
    horizontal: list[Word]
    vertical: list[Word]
    chars: int
    images: int
    grids: list[Grid] = field(default_factory=list)
    height: float = 0.0
    ligatures_repaired: int = 0
    """Ligature glyphs whose text extract repaired (``normalise.glyphs``)."""
    ocr: OcrStats | None = None
    """Set when the page was read by OCR (``read.ocr``)."""
    grid_finder: Callable[[], list[Grid]] | None = field(default=None, repr=False)
    """When set, ``grids`` are not found yet: ``ruled_grids`` finds them when asked."""

    def ruled_grids(self) -> list[Grid]:
        """The grids pdfplumber's finder draws on the page, found on the first ask when
        reading left them to later: a page whose table a header names (most pages of a
        release) never asks, and finding them costs about as much as building its words."""
        if self.grid_finder is not None:
            self.grids, self.grid_finder = self.grid_finder(), None
        return self.grids


@dataclass(frozen=True)
class Grid:
    """A ruled table pdfplumber's finder drew on a page: its column boundaries and row
    boundaries, left to right and top to bottom."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[tuple[float, float, float, float], ...] = ()


def dedupe(values: Sequence[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tolerance:
            out.append(float(v))
    return out


def open_table(
    state: LayoutState, keys: tuple[str, ...], labels: tuple[str, ...], page: int
) -> TableLayout:
    """A new table of the document, numbered after the others, its columns' keys and
    printed names; the caller makes it the open table (``LayoutState.layout``)."""
    table = TableLayout(len(state.tables) + 1, keys, labels, page)
    state.tables.append(table)
    return table


def body_rows(
    bands: Sequence[_Band],
    horizontal: Sequence[Word],
    bounds: Sequence[float],
    table: int,
    page: int,
    into_cell: Callable[[Word], Word] = lambda w: w,
    first: bool = True,
    last: bool = True,
) -> list[PhysicalRow]:
    """The body rows of a table's bands on one page (bands without words give none),
    with merged cells' words moved to the top of their span; ``into_cell`` may redirect
    a word (a cell spanning columns). ``first``/``last`` say whether the first and last
    rows open and close the table's part on this page."""
    band_words, merged = _spanning_words(bands, horizontal, bounds)
    body: list[PhysicalRow] = []
    for band, words, merged_cells in zip(bands, band_words, merged, strict=True):
        if not words:
            continue
        texts, italic = _cells_of_band([into_cell(w) for w in words], bounds)
        body.append(
            PhysicalRow(
                table=table,
                page=page,
                bbox=(bounds[0], band.top, bounds[-1], band.bottom),
                columns=tuple(bounds),
                cells=texts,
                italic=italic,
                kind="body",
                open_bottom=band.open_bottom,
                merged=merged_cells,
                word_ids=word_ids(words),
            )
        )
    if body:
        body[0] = replace(body[0], first_on_page=first)
        body[-1] = replace(body[-1], last_on_page=last)
    return body


def rows_of_kind(
    kind: RowKind,
    rows: Sequence[tuple[float, float, tuple[tuple[str, ...], tuple[bool, ...]], list[Word]]],
    bounds: Sequence[float],
    table: int,
    page: int,
) -> Iterator[PhysicalRow]:
    """Header or note rows, or any rows whose cells are already cut: (top, bottom,
    (cells, italic), words) each."""
    for top, bottom, (texts, italic), words in rows:
        yield PhysicalRow(
            table=table,
            page=page,
            bbox=(bounds[0], top, bounds[-1], bottom),
            columns=tuple(bounds),
            cells=texts,
            italic=italic,
            kind=kind,
            word_ids=word_ids(words),
        )


def _without_trailing_note(
    bands: list[_Band], bounds: Sequence[float], state: LayoutState | None = None
) -> list[_Band]:
    kept = _bands_before_note(bands, bounds)
    if state is not None:
        state.leave_out([w for b in bands[len(kept) :] for w in _band_words(b)], NOTE_UNDER_TABLE)
    return kept


def _band_words(band: _Band) -> list[Word]:
    return [w for ln in band.lines for w in ln.words]


def _bands_before_note(bands: list[_Band], bounds: Sequence[float]) -> list[_Band]:
    """When the table ends on this page (prose follows), a last band that is set apart is
    a note under the table ("Source: IOM."), not a row: text under the closing rule of a
    ruled table; unruled, a band further from the row above than any row is from the
    next, or a single line in a single column (a row of the table fills several)."""
    if len(bands) < 2 or not bands[-1].open_bottom or bands[-2].open_bottom:
        return bands
    last = bands[-1]
    if last.ruled:
        return bands[:-1]
    gaps = [b.lines[0].top - a.lines[-1].bottom for a, b in itertools.pairwise(bands)]
    if len(gaps) >= 2 and gaps[-1] > 1.5 * max(gaps[:-1]):
        return bands[:-1]
    texts, _ = _cells_of_band([w for ln in last.lines for w in ln.words], bounds)
    if len(last.lines) == 1 and sum(1 for t in texts if t) == 1:
        return bands[:-1]
    return bands


def _table_lines(
    body_lines: Sequence[_Line],
    bounds: Sequence[float],
    profile: Profile,
    content: PageContent,
    ruled: bool,
    state: LayoutState | None = None,
    edges: CellEdges | None = None,
) -> tuple[list[_Line], bool, float | None]:
    """The lines of the table on one page, whether the table ends on this page, and the
    top of the first line after it (where another table may start).

    Lines outside the table (across the columns, or where a ruled table has no column
    rules) and page furniture ("Page 3 of 10") are running heads when they come before
    the body; after it, they end the table on this page. When more than a footer's worth
    of text follows (notes, prose, another table), the table has ended for good and later
    pages need a header to start one again. ``edges``: where the columns' texts start
    and end in line (``_crosses``)."""
    kept: list[_Line] = []
    page_bottom = content.height or max(ln.bottom for ln in body_lines)

    def outside(line: _Line) -> bool:
        if ruled:  # a "word" over a rule is two cells' text printed without a gap
            return _outside_rules(line, bounds, content.vertical)
        return _crosses(line, bounds, edges=edges)

    def another_header(line: _Line) -> bool:
        if not profile.columns or not _may_name_required(line.words, profile):
            return False
        cells, _ = _match_profile_header([line], [], profile)
        return set(profile.required_keys) <= {c.key for c in cells}

    for i, line in enumerate(body_lines):
        if kept and another_header(line):  # a second table starts under this one
            return kept, True, line.top
        if outside(line) or profile.is_furniture_line(line.text):
            if not kept:
                if state is not None:
                    state.leave_out(line.words, RUNNING_HEAD)
                continue
            rest = body_lines[i:]
            footer = len(rest) <= 3 and all(ln.top > 0.8 * page_bottom for ln in rest)
            return kept, not footer, None if footer else line.top
        kept.append(line)
    return kept, False, None
