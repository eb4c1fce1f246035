"""clean: physical rows -> logical rows -> records.

Two steps, each in one place:

* ``stitch`` decides, for every physical row, what it is: a repeated header, page
  furniture, the continued half of a row that a page break split, or a new row (which
  may inherit a vertically merged cell from the row above). The evidence is in
  ``classify_row``'s docstring.
* ``row_record`` turns a logical row into output fields: each column's type parses its
  cell (wrapped lines joined, hyphenation undone, URLs re-joined and pulled out, dates,
  places and acronyms parsed) into the fields the profile names, and the profile's
  ``row_id`` is derived. A row whose fields cannot be parsed becomes a ``Reject`` with
  the reason; nothing is guessed and nothing is dropped silently.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pipeline.columns import CellError
from pipeline.model import FURNITURE_NOTES, Cleaned, Extraction, LogicalRow, PhysicalRow, Reject
from pipeline.normalise.detect import detect_language
from pipeline.profiles import Column, Profile

Decision = Literal["header", "furniture", "empty", "continuation", "new", "left_out"]
DecisionLog = list[tuple[PhysicalRow, Decision, int | None]]

log = logging.getLogger(__name__)

LEFT_OUT = "left out of the table"


@dataclass
class _Open:
    """The logical row being assembled, with the physical row it last absorbed."""

    row: LogicalRow
    last: PhysicalRow
    lines: dict[str, list[str]] = field(default_factory=dict)
    italic_chars: dict[str, bool] = field(default_factory=dict)


def _is_complete(cells: dict[str, str], profile: Profile) -> bool:
    """A logical row is complete when every required cell has text and the cell of its
    completing column (the date) parses. Fill-down cells may be empty: they inherit
    from the row above."""
    fill = set(profile.fill_down_keys)
    for key in profile.required_keys:
        if key not in fill and not cells.get(key, "").strip():
            return False
    column = profile.completing_column
    return column is None or column.complete(cells.get(column.key, ""))


_DIGITS = re.compile(r"\d+")


def running_furniture(rows: Sequence[PhysicalRow]) -> frozenset[tuple[int, str]]:
    """Per table, texts that recur at its top or bottom, alone in a row, on at least
    half of the table's pages (and two or more): running heads and feet ("IOM - ISCM
    events 2018", "Page 3 of 10", a bare page number) that a producer printed inside the
    table's area. Digits are folded so page numbers match. The share of pages is what
    tells them from the continued half of a row, which may repeat on a few pages of a
    long release but not on every other one. Counted table by table: a section label
    that opens each of several one-page tables ("Complete" over a rate table printed
    once per page) is a row of each, not a running head of the document."""
    pages: dict[tuple[int, str], set[int]] = {}
    table_pages: dict[int, set[int]] = {}
    for row in rows:
        if row.kind != "body":
            continue
        table_pages.setdefault(row.table, set()).add(row.page)
        if not (row.first_on_page or row.last_on_page):
            continue
        texts = [c for c in row.cells if c.strip()]
        if len(texts) == 1:
            pages.setdefault((row.table, _furniture_key(texts[0])), set()).add(row.page)
    return frozenset(
        key for key, v in pages.items() if len(v) >= max(2, len(table_pages[key[0]]) / 2)
    )


def usually_filled(rows: Sequence[PhysicalRow]) -> dict[int, frozenset[int]]:
    """Per table, the columns that have text in at least 90% of its body rows: the
    generic profile's stand-in for required columns (a new row prints them)."""
    totals: dict[int, int] = {}
    filled: dict[int, dict[int, int]] = {}
    for row in rows:
        if row.kind != "body":
            continue
        totals[row.table] = totals.get(row.table, 0) + 1
        per_column = filled.setdefault(row.table, {})
        for k, cell in enumerate(row.cells):
            if cell.strip():
                per_column[k] = per_column.get(k, 0) + 1
    return {
        t: frozenset(k for k, n in filled.get(t, {}).items() if n >= 0.9 * total)
        for t, total in totals.items()
        if total >= 3
    }


_DIGIT_RUN = re.compile(r"\d+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def value_shape(text: str) -> str:
    """A cell's text with digit runs as "9" and letter runs as "a", whitespace
    collapsed: "10/4/2012" -> "9/9/9", "150.00" -> "9.9", "15-17 May 2017" -> "9-9 a 9"."""
    return _LETTER_RUN.sub("a", _DIGIT_RUN.sub("9", " ".join(text.split())))


def value_shapes(rows: Sequence[PhysicalRow]) -> dict[int, dict[int, str]]:
    """Per table, the columns whose body cells mostly (half or more, of three rows or
    more) share one shape with digits in it -- dates, amounts, counts -- and that shape:
    a cell of that shape is a whole value of its column, never half of one."""
    cells: dict[int, dict[int, list[str]]] = {}
    for row in rows:
        if row.kind == "body":
            per_column = cells.setdefault(row.table, {})
            for k, cell in enumerate(row.cells):
                per_column.setdefault(k, []).append(value_shape(cell))
    out: dict[int, dict[int, str]] = {}
    for table, per_column in cells.items():
        shapes: dict[int, str] = {}
        for k, column in per_column.items():
            common = max(set(column), key=column.count)
            if len(column) >= 3 and "9" in common and 2 * column.count(common) >= len(column):
                shapes[k] = common
        out[table] = shapes
    return out


def _own_values(
    row: PhysicalRow, keys: tuple[str, ...], current: _Open, shapes: Mapping[int, str]
) -> bool:
    """Whether the row holds a whole value of its own (a date, an amount) in a column
    where the open row already holds one: two whole values are two rows' cells, not the
    halves of one cell that a page break split ("10/3/2012" then "10/4/2012")."""
    return any(
        k < len(row.cells)
        and k < len(keys)
        and value_shape(row.cells[k]) == shape
        and value_shape("\n".join(current.lines.get(keys[k], []))) == shape
        for k, shape in shapes.items()
    )


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()).casefold())


def classify_row(
    row: PhysicalRow,
    keys: tuple[str, ...],
    current: _Open | None,
    profile: Profile,
    running: frozenset[tuple[int, str]] = frozenset(),
    filled: frozenset[int] = frozenset(),
    shapes: Mapping[int, str] | None = None,
) -> Decision:
    """What a physical row is. The one place that decides.

    * ``header``: extract recognised the header row (Word and browsers repeat it).
    * ``empty`` / ``furniture``: no text, a note inside the table's frame that layout
      marked (kind ``note``: "Source: ...", a full-width cell of notes under the last
      row), or text the profile calls page furniture
      ("Page 3 of 10"), or a single-cell text that recurs at the table's top or bottom
      on several pages (``running_furniture``) -- unless, at the top of a page, it is
      what completes the open row's date ("15–17 May" + "2017").
    * ``continuation``: the row is the first kept row on its page and the row before it
      the last kept row of an earlier page (headers and furniture in between do not
      count), and either
        - this row has no date (only some cells continue: "Development (GFMD)" and the
          rest of the outcome). A new event always prints its date; or
        - the row before is incomplete (a required cell empty, or its date does not parse
          yet) and the two date cells together make a date: "November 30 -" continues
          as "December 2, 2017"; a first half holding only the ISCM cell. A bad last row
          ("Spring 2017") thus stays a row of its own, to be rejected.
      A row elsewhere on a page is never a continuation: producers split rows only at
      page breaks, and a row missing its date mid-page is a reject, not a guess.
    * ``new``: anything else; an empty fill-down cell (a vertically merged ISCM cell)
      then inherits the value of the row above.

    A profile without a completing column (the generic one): there a top-of-page row
    continues the one before when a column that nearly every row of the table fills
    (``usually_filled``: a serial number, a date) is empty in it -- unless it holds a
    whole value of its own where the row before already holds one (``shapes``, from
    ``value_shapes``: a sparse genuine row, "Mancinis" with only its date and amount,
    is a new row; the continued half of a split row holds only the rest of its cells).
    """
    if row.kind == "header":
        return "header"
    if row.kind == "note":
        return "furniture"
    if row.kind == "left_out":
        return "furniture" if row.note in FURNITURE_NOTES else "left_out"
    texts = [c for c in row.cells if c.strip()]
    if not texts:
        return "empty"
    furniture = profile.is_furniture(" ".join(texts)) or (
        len(texts) == 1 and (row.table, _furniture_key(texts[0])) in running
    )
    cross_page = current is not None and current.last.page < row.page
    if current is None or not cross_page:
        return "furniture" if furniture else "new"
    cells = dict(zip(keys, row.cells, strict=False))
    completing = profile.completing_column
    if completing is None:
        if furniture:
            return "furniture"
        gaps = any(not row.cells[k].strip() for k in filled if k < len(row.cells))
        if gaps and not _own_values(row, keys, current, shapes or {}):
            return "continuation"
        return "new"
    date_key = completing.key
    assembled = {k: "\n".join(v) for k, v in current.lines.items()}
    if furniture:
        # "2017" alone at the top of a page looks like a page number, but it is the rest
        # of "15–17 May" when it completes the open row's date
        with_row = dict(assembled)
        with_row[date_key] = "\n".join([assembled.get(date_key, ""), cells.get(date_key, "")])
        completes = not _is_complete(assembled, profile) and _is_complete(with_row, profile)
        return "continuation" if completes else "furniture"
    own_date = cells.get(date_key, "").strip()
    if not own_date:
        return "continuation"
    if not _is_complete(assembled, profile):
        # the open row lacks something: this row continues it only if the dates fit
        # together ("November 30 -" + "December 2, 2017", "" + "March 2, 2017"); a bad
        # last row ("Spring 2017") must not swallow the next page's first event
        joined = " ".join([assembled.get(date_key, ""), own_date]).strip()
        return "continuation" if completing.complete(joined) else "new"
    return "new"


def _lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


def _start(row: PhysicalRow, keys: tuple[str, ...], index: int) -> _Open:
    logical = LogicalRow(
        table=row.table,
        row_index=index,
        page_start=row.page,
        page_end=row.page,
        cells={},
        italic={},
    )
    lines = {
        k: [ln for ln in text.split("\n") if ln.strip()]
        for k, text in zip(keys, row.cells, strict=False)
    }
    italic = dict(zip(keys, row.italic, strict=False))
    return _Open(logical, row, lines, italic)


def _absorb(current: _Open, row: PhysicalRow, keys: tuple[str, ...]) -> None:
    """Append the continued half cell by cell, in reading order."""
    for k, text, italic in zip(keys, row.cells, row.italic, strict=False):
        extra = _lines(text)
        if extra:
            if not current.lines.get(k):
                current.italic_chars[k] = italic
            current.lines.setdefault(k, []).extend(extra)
    current.row.page_end = row.page
    current.row.physical_rows += 1
    current.last = row


def _finish(current: _Open) -> LogicalRow:
    row = current.row
    row.cells = {k: "\n".join(v) for k, v in current.lines.items()}
    row.italic = dict(current.italic_chars)
    return row


def stitch(
    rows: Sequence[PhysicalRow],
    keys_of_table: dict[int, tuple[str, ...]],
    profile: Profile,
    counts: dict[str, int],
    decisions: list[tuple[PhysicalRow, Decision, int | None]] | None = None,
) -> list[LogicalRow]:
    """Physical rows (all pages, in order) -> logical rows, counting every decision.

    When ``decisions`` is given, (row, decision, row_index of the logical row it went
    into, or None when dropped) is appended to it for every physical row, in order: what
    ``inspect`` draws."""
    logical: list[LogicalRow] = []
    current: _Open | None = None
    previous_done: LogicalRow | None = None
    fill = profile.fill_down_keys
    running = running_furniture(rows)
    filled = usually_filled(rows)
    shapes = value_shapes(rows)
    per_table: dict[int, int] = {}
    for row in rows:
        counts["physical_rows"] = counts.get("physical_rows", 0) + 1
        keys = keys_of_table[row.table]
        if current is not None and current.row.table != row.table:
            previous_done = _finish(current)
            logical.append(previous_done)
            current = None
            previous_done = None
        decision = classify_row(
            row,
            keys,
            current,
            profile,
            running,
            filled.get(row.table, frozenset()),
            shapes.get(row.table, {}),
        )
        if decision in ("header", "furniture", "empty", "left_out"):
            name = {
                "header": "header_rows",
                "furniture": "furniture_rows",
                "empty": "empty_rows",
                "left_out": "left_out_rows",
            }
            counts[name[decision]] = counts.get(name[decision], 0) + 1
            if decisions is not None:
                decisions.append((row, decision, None))
            continue
        if decision == "continuation" and current is not None:
            _absorb(current, row, keys)
            counts["continuation_rows"] = counts.get("continuation_rows", 0) + 1
            if decisions is not None:
                decisions.append((row, decision, current.row.row_index))
            continue
        if current is not None:
            previous_done = _finish(current)
            logical.append(previous_done)
        # rows are numbered through the document (an events list printed as several
        # tables is one list) unless the profile numbers them within each table
        counter = row.table if profile.rows_numbered_per_table else 0
        per_table[counter] = per_table.get(counter, 0) + 1
        current = _start(row, keys, per_table[counter])
        if decisions is not None:
            decisions.append((row, "new", current.row.row_index))
        if previous_done is not None and previous_done.table == row.table:
            merged = {key for key, m in zip(keys, row.merged, strict=False) if m}
            for k in (*fill, *sorted(merged - set(fill))):
                if not current.lines.get(k) and previous_done.cells.get(k):
                    current.lines[k] = previous_done.cells[k].split("\n")
                    current.italic_chars[k] = previous_done.italic.get(k, False)
                    current.row.filled_down = (*current.row.filled_down, k)
    if current is not None:
        logical.append(_finish(current))
    counts["repaired_rows"] = sum(1 for r in logical if r.page_end > r.page_start)
    return logical


# --------------------------------------------------------------------------- records


class RowError(ValueError):
    """A logical row whose fields cannot be parsed; becomes a reject."""


def row_record(
    row: LogicalRow,
    profile: Profile,
    columns: Sequence[Column],
    source_file: str,
    sha256: str,
) -> dict[str, Any]:
    """The output fields of one logical row: where it came from, each column's outputs
    under the names the profile gives them, and the profile's row id. Raises RowError
    with every failing column's reason, in column order, joined by "; ": a user fixing
    the row in the PDF or the profile needs them all, not one per run."""
    record: dict[str, Any] = {
        "source_file": source_file,
        "source_sha256": sha256,
        "table_index": row.table,
        "row_index": row.row_index,
        "page_start": row.page_start,
        "page_end": row.page_end,
    }
    reasons: list[str] = []
    for column in columns:
        try:
            record.update(
                column.parse(row.cells.get(column.key, ""), row.italic.get(column.key, False))
            )
        except CellError as exc:
            reasons.append(str(exc))
    if reasons:
        raise RowError("; ".join(reasons))
    if profile.row_id is not None:
        record[profile.row_id.field] = profile.row_id.of(record)
    return record


def _log_decisions(source: str, decisions: DecisionLog, logical: Sequence[LogicalRow]) -> None:
    """What stitch decided, page by page, for -v: rows kept, dropped (header, furniture,
    empty, with the dropped text) and repaired across a page break."""
    start_of = {(r.table, r.row_index): r.page_start for r in logical}
    pages = sorted({row.page for row, _, _ in decisions})
    for page in pages:
        here = [(row, d, i) for row, d, i in decisions if row.page == page]
        tally = {d: sum(1 for _, k, _ in here if k == d) for d in ("new", "continuation")}
        dropped = [(d, " ".join(" ".join(row.cells).split())) for row, d, i in here if i is None]
        log.debug(
            "%s: page %d: %d rows kept, %d dropped (%s)",
            source,
            page,
            tally["new"],
            len(dropped),
            ", ".join(f"{d} {text[:40]!r}" if text else d for d, text in dropped) or "none",
        )
        for row, d, index in here:
            if d == "continuation" and index is not None:
                log.debug(
                    "%s: page %d: row repaired across pages: continues row %d of page %d",
                    source,
                    page,
                    index,
                    start_of.get((row.table, index), page),
                )


def clean_extraction(
    extraction: Extraction,
    profile: Profile,
    decisions: list[tuple[PhysicalRow, Decision, int | None]] | None = None,
) -> Cleaned:
    """Stitch, repair and parse one document's physical rows. ``decisions``, when given,
    receives each physical row's decision (see ``stitch``)."""
    doc = extraction.document
    counts = doc.counts
    keys_of_table = {t.index: t.keys for t in doc.tables}
    columns_of_table = {t.index: profile.columns_for(t.keys) for t in doc.tables}
    debug = log.isEnabledFor(logging.DEBUG)
    if decisions is None and debug:
        decisions = []
    logical = stitch(extraction.rows, keys_of_table, profile, counts, decisions)
    if debug and decisions is not None:
        _log_decisions(doc.source_file, decisions, logical)
    doc.language = detect_language(text for row in logical for text in row.cells.values())
    cleaned = Cleaned(doc, logical=logical)
    cleaned.rejects.extend(
        Reject(
            doc.source_file,
            r.page,
            None,
            "extract",
            f"left out of the table: {r.note}",
            r.cells[:1],
        )
        for r in extraction.rows
        if r.kind == "left_out" and r.note not in FURNITURE_NOTES
    )
    for row in logical:
        keys = keys_of_table[row.table]
        raw = tuple(row.cells.get(k, "") for k in keys)
        try:
            columns = columns_of_table[row.table]
            record = row_record(row, profile, columns, doc.source_file, doc.sha256)
        except (RowError, ValueError) as exc:
            cleaned.rejects.append(
                Reject(doc.source_file, row.page_start, row.row_index, "clean", str(exc), raw)
            )
            log.debug(
                "%s: page %d: row %d rejected in clean: %s",
                doc.source_file,
                row.page_start,
                row.row_index,
                exc,
            )
            continue
        record["_cells"] = raw
        cleaned.records.append(record)
    counts["clean_rejects"] = len(cleaned.rejects)
    return cleaned
