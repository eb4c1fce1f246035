"""named: a table found by a header that names a profile's columns.

A profile that declares its columns finds its table on any page by a band of one to
three lines whose cells name every required column (``engine._find_header``, aliases
compared by letters and digits). The header cells give the columns their keys; the
boundaries between them are the ruling lines where the producer drew them, else what
the body's alignment shows. The table goes on over later pages without a header (the
open table's columns carried in ``LayoutState``) until prose or another table ends it.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.layout.engine import (
    _RULE_TOLERANCE,
    _TITLE_MAX_CHARS,
    CellEdges,
    LayoutState,
    PageContent,
    _cells_of_band,
    _crosses,
    _DateColumn,
    _find_header,
    _Header,
    _Layout,
    _Line,
    _row_bands,
    _rule_ys,
    _table_lines,
    _title_above,
    _vertical_xs,
    _without_trailing_note,
    body_rows,
    open_table,
    page_lines,
    rows_of_kind,
)
from pipeline.layout.stream import cell_edges, voted
from pipeline.model import PhysicalRow
from pipeline.profiles import Profile


def named_table_rows(
    content: PageContent, profile: Profile, state: LayoutState
) -> list[PhysicalRow] | None:
    """The rows of the page's table named by the profile's header: the table a header on
    this page names, or the one such a header opened on an earlier page, going on here.
    None when the page has neither (a profile that declares no columns names none)."""
    pageno = content.number
    words = content.words
    if not words:
        return None
    lines = page_lines(words, pageno, state)
    horizontal, vertical = content.horizontal, content.vertical

    found = _find_header(lines, vertical, profile, state)
    body_lines: list[_Line]
    rows: list[PhysicalRow] = []
    if found is not None:
        first, size, header = found
        if state.layout is None or not state.layout.header_named:
            keys = tuple(c.key for c in header.cells)
            layout_table = open_table(state, keys, tuple(c.label for c in header.cells), pageno)
        else:
            layout_table = state.layout.table
        body_lines = list(lines[first + size :])
        v_rules = _vertical_xs(vertical, header.top, header.bottom)
        columns = _columns(header, body_lines, v_rules)
        if not columns.ruled:
            # prose under the table would bend the columns' alignment: take the
            # boundaries again from the lines above the first unmistakable prose
            prose = next(
                (i for i, ln in enumerate(body_lines) if columns.crosses(ln, at_least=2)),
                len(body_lines),
            )
            if prose:
                columns = _columns(header, body_lines[:prose], v_rules)
        bounds = columns.bounds
        state.layout = _Layout(layout_table, bounds, columns.ruled, columns.edges, True)
        if layout_table.index == 1 and layout_table.first_page == pageno and not state.title:
            above = _without_super_header(lines[:first], header.top, bounds)
            # a table that starts a page after a cover: the heading is on the page before
            state.title = _title_above(above) or state.page_before
        header_words = [w for ln in lines[first : first + size] for w in ln.words]
        head = (header.top, header.bottom, _cells_of_band(header_words, bounds), header_words)
        rows.extend(rows_of_kind("header", [head], bounds, layout_table.index, pageno))
        body_top = header.bottom
    elif state.layout is not None and state.layout.header_named:
        bounds = state.layout.bounds
        body_lines = list(lines)
        body_top = 0.0
    else:
        state.page_before = _heading_at_top(lines)
        return None

    layout = state.layout
    assert layout is not None
    bounds = layout.bounds
    kept, ended, rest_top = _table_lines(
        body_lines, bounds, profile, content, layout.ruled_columns, state, layout.edges
    )
    if kept:
        body_top = max(body_top, kept[0].top - 2 * kept[0].height)
    rule_ys = _rule_ys(horizontal, bounds[0], bounds[-1])
    if found is not None:
        # the rule under the header row closes the header, it does not open a row
        rule_ys = [y for y in rule_ys if y > found[2].bottom - _RULE_TOLERANCE]
    date_key = profile.date_key
    keys = layout.table.keys
    date = None
    if date_key in keys:
        k = keys.index(date_key)
        date = _DateColumn(bounds[k], bounds[k + 1], tuple(bounds))
    spanning = [keys.index(k) for k in profile.fill_down_keys if k in keys]
    bands = _row_bands(kept, rule_ys, body_top, date, bounds, spanning)
    if ended:
        bands = _without_trailing_note(bands, bounds, state)
    rows.extend(body_rows(bands, horizontal, bounds, layout.table.index, pageno))
    if ended:
        state.layout = None  # the table ended on this page: prose or another table follows
        if rest_top is not None:  # ... which may be a second events table, on this page
            rest = [w for w in content.words if w["top"] >= rest_top - 0.5]
            if len(rest) < len(content.words):
                rows += named_table_rows(replace(content, words=rest), profile, state) or []
    return rows


@dataclass(frozen=True)
class _Columns:
    """A named table's column boundaries (left edge, boundaries, right edge), whether
    every one is a drawn rule, and where its cells' texts start and end in line."""

    bounds: list[float]
    ruled: bool
    edges: CellEdges

    def crosses(self, line: _Line, at_least: int = 1) -> bool:
        return _crosses(line, self.bounds, at_least, self.edges)


def _columns(header: _Header, lines: Sequence[_Line], v_rules: Sequence[float]) -> _Columns:
    """Column boundaries, one between each two header cells: the ruling there where one
    is drawn, else the boundary the lines' alignment votes for there (``stream.voted``:
    a white river most rows leave), else the widest run of x that no text crosses
    (``_river``: two columns printed closer than a cell gap, a right-aligned date 2 pt
    from the next column's text). Alignment alone (``stream.aligned_separators``)
    is not asked: the header already says how many columns lie between its cells, and
    the right edges of "2," and "29," before a right-aligned "2017" line up too.

    The vote and the cells' aligned edges are costly (every line's words, on every
    page) and only an unruled boundary needs them: where every boundary is drawn, as
    on most pages of a ruled release, neither is taken."""
    cells = header.cells
    words = [w for ln in lines for w in ln.words]
    rivers: list[float] | None = None
    bounds: list[float] = []
    ruled = True
    for left, right in itertools.pairwise(cells):
        lo, hi = left.x1, right.x0
        rule = [x for x in v_rules if lo - 1 <= x <= hi + 1]
        if rule:
            bounds.append(min(rule, key=lambda x: abs(x - (lo + hi) / 2)))
            continue
        ruled = False
        if rivers is None:
            rivers = voted(lines)
        between = [x for x in rivers if lo <= x <= hi]
        if between:
            bounds.append(min(between, key=lambda x: abs(x - (lo + hi) / 2)))
        else:
            bounds.append(_river(lo, hi, lines, right.x0))
    xs_left = [w["x0"] for w in words] + [cells[0].x0]
    xs_right = [w["x1"] for w in words] + [cells[-1].x1]
    left_rules = [x for x in v_rules if x <= cells[0].x0 + 1]
    right_rules = [x for x in v_rules if x >= cells[-1].x1 - 1]
    left_edge = max(left_rules) if left_rules else min(xs_left) - 1
    right_edge = min(right_rules) if right_rules else max(xs_right) + 1
    bounds = [left_edge, *bounds, right_edge]
    if ruled and v_rules:  # cells are cut at the rules, never where texts align
        return _Columns(bounds, True, CellEdges())
    return _Columns(bounds, False, cell_edges(lines, bounds))


def _river(lo: float, hi: float, lines: Sequence[_Line], name_x0: float) -> float:
    """The middle of the widest run of x in [lo, hi] that fewest of the lines' texts
    cross: their words, and the word spaces between them (one cell's "March 2, 2017",
    its year right-aligned, leaves a white run as wide as the 2 pt between the year and
    the next column). A word space before a word that starts at ``name_x0``, where the
    next column's name starts, is between two cells."""
    if hi <= lo:
        return (lo + hi) / 2
    spans = [(w["x0"], w["x1"]) for ln in lines for w in ln.words]
    for ln in lines:
        for before, after in itertools.pairwise(sorted(ln.words, key=lambda w: w["x0"])):
            size = min(before["bottom"] - before["top"], after["bottom"] - after["top"])
            gap = after["x0"] - before["x1"]
            if 0 < gap < 0.45 * size and abs(after["x0"] - name_x0) > 1.0:
                spans.append((before["x1"], after["x0"]))
    step = 0.5
    n = int((hi - lo) / step) + 1
    xs = [lo + k * step for k in range(n)]
    # cover[k] = number of spans with x0 < xs[k] < x1: one +1/-1 per span, then a
    # running sum (O(spans + steps), not O(spans x steps))
    delta = [0] * (n + 1)
    for x0, x1 in spans:
        if x1 <= lo or x0 >= xs[-1]:
            continue
        a = bisect.bisect_right(xs, x0)  # first k with xs[k] > x0
        b = bisect.bisect_left(xs, x1)  # first k with xs[k] >= x1
        if a < b:
            delta[a] += 1
            delta[b] -= 1
    cover = list(itertools.accumulate(delta[:n]))
    least = min(cover)
    best_run: tuple[int, int] = (0, 0)
    start: int | None = None
    for k, c in enumerate([*cover, least + 1]):
        if c == least and start is None:
            start = k
        elif c != least and start is not None:
            if k - start > best_run[1] - best_run[0]:
                best_run = (start, k)
            start = None
    a, b = best_run
    return (xs[a] + xs[b - 1]) / 2


def _without_super_header(
    lines: Sequence[_Line], header_top: float, bounds: Sequence[float]
) -> list[_Line]:
    """The lines above a header without the header's own upper row ("Event" spanning
    Title and Outcome, "When / Where"): lines right on top of it that leave the first
    column blank are part of the table, not of the title."""
    kept = list(lines)
    edge = header_top
    while kept and edge - kept[-1].bottom <= kept[-1].height and kept[-1].x0 > bounds[1] - 1:
        edge = kept[-1].top
        kept.pop()
    return kept


_BOLD_FONT = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)
_LARGER = 1.15  # times the page's usual line height: type set larger than its text


def _heading_at_top(lines: Sequence[_Line]) -> str:
    """The heading of a page without the table (a cover): its blocks of lines from the
    top, as long as together they stay short (intro prose below is not a heading). Where
    the first block stands out from the page's text (bold, or larger), the heading is the
    blocks that do: a short intro paragraph set plainly under it is prose, not title."""
    blocks: list[list[_Line]] = []
    for line in lines:
        if blocks and line.top - blocks[-1][-1].bottom <= 0.8 * line.height:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    usual = statistics.median(ln.height for ln in lines) if lines else 0.0
    if blocks and _emphasised(blocks[0], usual):
        blocks = list(itertools.takewhile(lambda b: _emphasised(b, usual), blocks))
    taken: list[str] = []
    for block in blocks:
        text = " ".join(" ".join(ln.text for ln in block).split())
        if len(" ".join([*taken, text])) > _TITLE_MAX_CHARS:
            break
        taken.append(text)
    return " ".join(taken)


def _emphasised(block: Sequence[_Line], usual: float) -> bool:
    """The block is set apart from the page's text as headings are: every word in a bold
    face, or its lines taller than the page's ``usual`` line height."""
    if all(_BOLD_FONT.search(w.get("fontname", "")) for ln in block for w in ln.words):
        return True
    return min(ln.height for ln in block) > _LARGER * usual
