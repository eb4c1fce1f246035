"""inspect: draw what the pipeline saw on each page, so a person can check it by eye.

For every page asked for, a PNG of the page with the table's physical rows (row
boundaries), the column boundaries extract cut the cells at, and, for each row, the fate
clean gave it: the event it became (``#row_index`` and a short title), or why it was
dropped. Rows that need a second look each have a colour of their own:

* **repaired** — the two halves of a row a page break split, stitched into one event;
* **filled** — a vertically merged cell (ISCM) that inherited the value of the row above;
* **header** / **furniture** — repeated header rows and page furniture, dropped;
* **rejected** — a row that became a line of ``rejects.csv``.

Plus ``index.html`` showing the pages with the legend and a list of the rows per page.

When no table is taken from the document (no header names the profile's columns, or
there is no text), that is the case a user most needs to see: each page is drawn with
its text lines, its ruling lines and the words that match one of the profile's header
aliases (the header candidates), and ``index.html`` says why no table was taken.

This module imports pdfplumber for drawing only (``page.to_image``); the rows, the
columns and the decisions come from extract and clean, exactly as ``run`` computes them,
so what the picture shows is what the outputs hold.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from PIL import ImageFont

from pipeline.clean import Decision, clean_extraction
from pipeline.errors import NoTableError, UsageError
from pipeline.extract import extract_document
from pipeline.model import BBox, Cleaned, PhysicalRow
from pipeline.profiles import Profile, header_key
from pipeline.validate import validate_cleaned

RGBA = tuple[int, int, int, int]

# mark -> (stroke, fill, what the legend says)
COLOURS: dict[str, tuple[RGBA, RGBA, str]] = {
    "event": ((30, 90, 200, 255), (30, 90, 200, 18), "row that became an event"),
    "repaired": ((235, 120, 0, 255), (255, 150, 0, 70), "split across pages, repaired"),
    "filled": ((0, 150, 70, 255), (0, 200, 90, 80), "merged cell filled down"),
    "header": ((110, 110, 110, 255), (120, 120, 120, 70), "repeated header, dropped"),
    "furniture": ((150, 60, 180, 255), (170, 80, 200, 70), "page furniture / empty, dropped"),
    "rejected": ((210, 20, 20, 255), (230, 30, 30, 70), "rejected (see rejects.csv)"),
}
_COLUMN_STROKE: RGBA = (30, 90, 200, 160)
_FILLED_TEXT: RGBA = (0, 80, 30, 255)
_LABEL_TITLE_CHARS = 48


@dataclass(frozen=True)
class RowMark:
    """One physical row as drawn: where it is, what clean decided, what it became."""

    page: int
    bbox: BBox
    columns: tuple[float, ...]
    decision: Decision
    marks: tuple[str, ...]
    """Keys of COLOURS, most telling first: e.g. ("repaired",) or ("filled", "event")."""
    label: str
    row_index: int | None = None
    """The event's row_index in events.csv (None when the row was dropped or rejected)."""
    event_id: str | None = None
    filled_cells: tuple[BBox, ...] = ()
    filled_texts: tuple[str, ...] = ()
    """The inherited value drawn into each filled cell (same order as filled_cells)."""


@dataclass
class InspectedPage:
    number: int
    png: Path
    width: int
    height: int
    marks: list[RowMark] = field(default_factory=list)


@dataclass
class Inspection:
    source: Path
    pages: list[InspectedPage]
    index: Path
    no_table: NoTableError | None = None
    """Why no table was taken (the pages then show lines, rules, header candidates)."""

    @property
    def marks(self) -> list[RowMark]:
        return [m for p in self.pages for m in p.marks]


# --------------------------------------------------------------------------- pages option


def parse_pages(spec: str | None, n_pages: int) -> list[int]:
    """ "1-3", "2", "1,3-4" -> page numbers (1-based, sorted); None -> every page."""
    if spec is None or not spec.strip():
        return list(range(1, n_pages + 1))
    pages: set[int] = set()
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not m:
            raise UsageError(f"--pages {spec!r}: expected e.g. 1-3 or 1,4")
        first = int(m.group(1))
        last = int(m.group(2) or first)
        if first < 1 or last < first or last > n_pages:
            raise UsageError(f"--pages {spec!r}: the document has pages 1-{n_pages}")
        pages.update(range(first, last + 1))
    return sorted(pages)


# --------------------------------------------------------------------------- the fates


def _short(text: str, limit: int = _LABEL_TITLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def row_marks(extraction: Any, profile: Profile) -> list[RowMark]:
    """Every physical row with its decision and its fate, in document order."""
    doc = extraction.document
    keys_of_table = {t.index: t.keys for t in doc.tables}
    decisions: list[tuple[PhysicalRow, Decision, int | None]] = []
    cleaned = clean_extraction(extraction, profile, decisions)
    logical = cleaned.logical
    by_key = {(r.table, r.row_index): r for r in logical}

    # records come out in logical-row order, each carrying its raw cells, so they can be
    # matched back to the rows they were parsed from
    raw_of = {
        key: tuple(r.cells.get(k, "") for k in keys_of_table[r.table]) for key, r in by_key.items()
    }
    records = iter(cleaned.records)
    pending = next(records, None)
    record_of: dict[tuple[int, int], dict[str, Any]] = {}
    for row in logical:
        key = (row.table, row.row_index)
        if pending is not None and tuple(pending.get("_cells", ())) == raw_of[key]:
            record_of[key] = pending
            pending = next(records, None)
    valid, rejects = validate_cleaned(Cleaned(doc, cleaned.records, cleaned.rejects), profile)
    valid_ids = {id(r) for r in valid}
    reason_of = {tuple(r.cells): r.reason for r in rejects}

    marks: list[RowMark] = []
    for prow, decision, index in decisions:
        if index is None:
            kind = {"header": "header", "left_out": "rejected"}.get(decision, "furniture")
            what = {"header": "header", "furniture": "page furniture", "empty": "empty row"}
            label = (
                f"left out: {prow.note}"
                if prow.kind == "left_out"
                else f"{what[decision]} (dropped)"
            )
            marks.append(RowMark(prow.page, prow.bbox, prow.columns, decision, (kind,), label))
            continue
        lrow = by_key[(prow.table, index)]
        record = record_of.get((prow.table, index))
        tags: list[str] = []
        split = lrow.page_end > lrow.page_start
        if split:
            tags.append("repaired")
        filled_cells: tuple[BBox, ...] = ()
        filled_texts: tuple[str, ...] = ()
        if decision == "new" and lrow.filled_down:
            tags.append("filled")
            keys = keys_of_table[prow.table]
            filled_cells = _cell_boxes(prow, keys, lrow.filled_down)
            filled_texts = tuple(
                " ".join(lrow.cells.get(k, "").split()) for k in keys if k in lrow.filled_down
            )
        if record is not None and id(record) in valid_ids:
            tags.append("event")
            title = str(record.get("title") or _first_text(record))
            label = f"#{record['row_index']} {_short(title)}"
            if split:
                part = "continued" if decision == "continuation" else "split"
                label += f"  [{part} p{lrow.page_start}→p{lrow.page_end}, repaired]"
            if filled_cells:
                label += f"  [{', '.join(lrow.filled_down)} filled down]"
            marks.append(
                RowMark(
                    prow.page,
                    prow.bbox,
                    prow.columns,
                    decision,
                    tuple(tags),
                    label,
                    int(record["row_index"]),
                    record.get("event_id"),
                    filled_cells,
                    filled_texts,
                )
            )
        else:
            raw = raw_of[(prow.table, index)]
            reason = reason_of.get(raw, "rejected")
            marks.append(
                RowMark(
                    prow.page,
                    prow.bbox,
                    prow.columns,
                    decision,
                    ("rejected", *tags),
                    f"rejected: {_short(reason, 70)}",
                    None,
                    None,
                    filled_cells,
                    filled_texts,
                )
            )
    return marks


def _first_text(record: dict[str, Any]) -> str:
    meta = {"source_file", "table_index", "row_index", "page_start", "page_end", "_cells"}
    return next((str(v) for k, v in record.items() if k not in meta and v), "")


def _cell_boxes(row: PhysicalRow, keys: Sequence[str], wanted: Sequence[str]) -> tuple[BBox, ...]:
    if len(row.columns) != len(keys) + 1:
        return ()
    _, top, _, bottom = row.bbox
    return tuple(
        (row.columns[i], top, row.columns[i + 1], bottom) for i, k in enumerate(keys) if k in wanted
    )


# --------------------------------------------------------------------------- drawing


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _margin_notes(m: RowMark) -> tuple[str, list[str]]:
    """What is written beside a row: its event number in the left margin, its status
    (why it is coloured) in the right margin. The row's own text stays readable."""
    tag = f"#{m.row_index}" if m.row_index is not None else ""
    status: list[str] = []
    for mark in m.marks:
        if mark == "repaired":
            status.append("continued" if m.decision == "continuation" else "split")
            status.append("repaired")
        elif mark == "filled":
            status.append("filled down")
        elif mark in ("header", "furniture"):
            status.extend([m.decision, "dropped"])
        elif mark == "rejected":
            status.append("rejected")
    return tag, status


def _as_read_by_ocr(image: Any, frame: tuple[float, int]) -> Any:
    """The page image turned and levelled as OCR did before reading it (``OcrStats``), so
    that rows found in OCR's frame fall on their text."""
    from PIL import Image

    skew, turn = frame
    if turn:
        image = image.rotate(-turn, expand=True)
    if skew:
        image = image.rotate(-skew, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    return image


def _draw_page(
    page: Any,
    marks: Sequence[RowMark],
    resolution: int,
    target: Path,
    ocr_frame: tuple[float, int] | None = None,
) -> tuple[int, int]:
    im = page.to_image(resolution=resolution)
    if ocr_frame is not None:
        im.original = _as_read_by_ocr(im.original.convert("RGB"), ocr_frame)
        im.reset()
    scale = float(im.scale)
    x_origin, y_origin = float(im.bbox[0]), float(im.bbox[1])
    width, height = (int(v) for v in im.annotated.size)

    def px(x: float, y: float) -> tuple[float, float]:
        return ((x - x_origin) * scale, (y - y_origin) * scale)

    for m in marks:
        stroke, fill, _ = COLOURS[m.marks[0]]
        im.draw_rect(m.bbox, fill=fill, stroke=stroke, stroke_width=2)
        for cell in m.filled_cells:
            s, f, _ = COLOURS["filled"]
            im.draw_rect(cell, fill=f, stroke=s, stroke_width=2)
        _, top, _, bottom = m.bbox
        for x in m.columns[1:-1]:
            im.draw_line([(x, top), (x, bottom)], stroke=_COLUMN_STROKE, stroke_width=1)
    draw = im.draw
    big = _font(max(10, round(9 * scale)))
    small = _font(max(8, round(6.5 * scale)))
    line_h = draw.textbbox((0, 0), "Ag", font=small)[3] + 2
    free_y = 0.0  # the right margin's notes never overlap: each starts below the last
    for m in marks:
        stroke, _, _ = COLOURS[m.marks[0]]
        tag, status = _margin_notes(m)
        left, top = px(m.bbox[0], m.bbox[1])
        right, _ = px(m.bbox[2], m.bbox[1])
        w = draw.textlength(tag, font=big)
        x = max(2.0, left - w - 6)
        draw.text((x, top + 2), tag, fill=stroke, font=big)
        y = max(top + 2, free_y)
        for line in status:
            w = draw.textlength(line, font=small)
            x = min(right + 6, width - w - 2)
            draw.text((x, y), line, fill=stroke, font=small)
            y += line_h
        free_y = y
        for cell, text in zip(m.filled_cells, m.filled_texts, strict=False):
            x0, y0 = px(cell[0] + 3, cell[1] + 2)
            x1, y1 = px(cell[2] - 3, cell[3] - 2)
            _draw_wrapped(draw, (x0, y0, x1, y1), f"= {text}", small, _FILLED_TEXT)
    _draw_legend(im, small)
    target.parent.mkdir(parents=True, exist_ok=True)
    im.save(target, format="PNG", quantize=False)
    return width, height


def _draw_wrapped(
    draw: Any, box: tuple[float, float, float, float], text: str, font: Any, fill: RGBA
) -> None:
    """Words wrapped to the box's width, as many lines as fit its height."""
    x0, y0, x1, y1 = box
    line_h = draw.textbbox((0, 0), "Ag", font=font)[3] + 2
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= x1 - x0:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    for k, line in enumerate(lines):
        if y0 + (k + 1) * line_h > y1:
            break
        draw.text((x0, y0 + k * line_h), line, fill=fill, font=font)


def _printed_extent(page: Any) -> tuple[float, float]:
    """Top and bottom (points) of everything printed on the page."""
    objs = [*page.chars, *page.rects, *page.lines, *page.curves, *page.images]
    if not objs:
        return float(page.height), 0.0
    return min(float(o["top"]) for o in objs), max(float(o["bottom"]) for o in objs)


def _draw_legend(im: Any, font: Any) -> None:
    """The legend, in rows of three swatches, in whichever margin (top, else bottom) is
    free of print; none when neither is (index.html always has it)."""
    draw = im.draw
    width, height = im.annotated.size
    line_h = draw.textbbox((0, 0), "Ag", font=font)[3] + 6
    items = list(COLOURS.values())
    per_row = 3
    legend_h = -(-len(items) // per_row) * line_h + 8
    top, bottom = _printed_extent(im.page)
    scale, y_origin = float(im.scale), float(im.bbox[1])
    if (top - y_origin) * scale >= legend_h + 2:
        y0 = 4.0
    elif height - (bottom - y_origin) * scale >= legend_h + 2:
        y0 = height - legend_h
    else:
        return
    col_w = (width - 16) // per_row
    for k, (stroke, fill, text) in enumerate(items):
        x = 8 + (k % per_row) * col_w
        y = y0 + 2 + (k // per_row) * line_h
        draw.rectangle((x, y + 1, x + line_h, y + line_h - 3), fill=fill, outline=stroke)
        draw.text((x + line_h + 6, y), text, fill=(0, 0, 0), font=font)


# --------------------------------------------------------------------------- no table

_LINE_STROKE: RGBA = (120, 120, 120, 200)
_RULE_STROKE: RGBA = (30, 90, 200, 255)
_CANDIDATE: tuple[RGBA, RGBA] = ((235, 120, 0, 255), (255, 150, 0, 90))


@dataclass(frozen=True)
class Candidate:
    """A word that one of the profile's header aliases names (or begins)."""

    page: int
    text: str
    column: str
    bbox: BBox


def alias_index(profile: Profile) -> dict[str, str]:
    """Folded alias (and an alias's first word) -> the column key it names."""
    index: dict[str, str] = {}
    for column in profile.columns:  # whole aliases first: "Event" is title's, not date's
        for alias in column.aliases:
            index.setdefault(header_key(alias), column.key)
    for column in profile.columns:
        for alias in column.aliases:
            first = alias.split()[0] if alias.split() else ""
            if header_key(first):
                index.setdefault(header_key(first), column.key)
    return index


def header_candidates(
    words: Sequence[dict[str, Any]], page: int, profile: Profile
) -> list[Candidate]:
    index = alias_index(profile)
    found = []
    for w in words:
        key = header_key(str(w["text"]))
        if key and key in index:
            bbox = (float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
            found.append(Candidate(page, str(w["text"]), index[key], bbox))
    return found


def _text_lines(words: Sequence[dict[str, Any]]) -> list[BBox]:
    """Boxes of the page's visual lines: words whose vertical extents overlap."""
    lines: list[list[float]] = []
    for w in sorted(words, key=lambda w: (float(w["top"]), float(w["x0"]))):
        x0, top, x1, bottom = (float(w[k]) for k in ("x0", "top", "x1", "bottom"))
        if lines and top < lines[-1][3] - 0.3 * (bottom - top):
            line = lines[-1]
            line[0], line[1] = min(line[0], x0), min(line[1], top)
            line[2], line[3] = max(line[2], x1), max(line[3], bottom)
        else:
            lines.append([x0, top, x1, bottom])
    return [(a, b, c, d) for a, b, c, d in lines]


def _draw_no_table(
    page: Any, number: int, profile: Profile, resolution: int, target: Path
) -> tuple[int, int, list[Candidate], int, int]:
    """The page with its text lines (grey), ruling lines and rect edges (blue) and header
    candidates (orange). Returns size, candidates, line and rule counts."""
    im = page.to_image(resolution=resolution)
    words = page.extract_words()
    lines = _text_lines(words)
    for box in lines:
        im.draw_rect(box, fill=(0, 0, 0, 0), stroke=_LINE_STROKE, stroke_width=1)
    rules = [*page.lines, *page.rects]
    for r in rules:
        box = (float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
        im.draw_rect(box, fill=(0, 0, 0, 0), stroke=_RULE_STROKE, stroke_width=1)
    candidates = header_candidates(words, number, profile)
    for c in candidates:
        im.draw_rect(c.bbox, fill=_CANDIDATE[1], stroke=_CANDIDATE[0], stroke_width=2)
    target.parent.mkdir(parents=True, exist_ok=True)
    im.save(target, format="PNG", quantize=False)
    width, height = (int(v) for v in im.annotated.size)
    return width, height, candidates, len(lines), len(rules)


def _no_table_html(
    source: Path,
    reason: str,
    pages: Sequence[tuple[InspectedPage, list[Candidate], int, int]],
) -> str:
    sections = []
    for p, candidates, n_lines, n_rules in pages:
        found = "".join(
            f"<li>{html.escape(c.text)} (alias of <code>{html.escape(c.column)}</code>) at "
            f"y = {c.bbox[1]:.0f} pt</li>"
            for c in candidates
        )
        sections.append(
            f'<section id="page-{p.number}"><h2>Page {p.number}</h2>'
            f"<p>{n_lines} text lines (grey), {n_rules} ruling lines and rectangles (blue), "
            f"{len(candidates)} header candidates (orange)</p>"
            f"<ul>{found or '<li>no word of this page is a header alias</li>'}</ul>"
            f'<a href="{p.png.name}"><img src="{p.png.name}" width="{p.width}" '
            f'height="{p.height}" alt="page {p.number}"></a></section>'
        )
    title = html.escape(source.name)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>inspect: {title}</title><style>body{{font:14px sans-serif;margin:1em}}"
        "img{max-width:100%;height:auto;border:1px solid #999}.why{font-size:1.2em;"
        "border-left:4px solid #d22;padding-left:.6em}</style></head><body>"
        f'<h1>{title}</h1><p class="why">No table was taken: {html.escape(reason)}</p>'
        "<p>A table is taken where one text line holds a header naming every required "
        "column of the profile; the orange words are the profile's aliases found on the "
        "page. A renamed header needs its text added to the column's <code>aliases</code>."
        f"</p>{''.join(sections)}</body></html>\n"
    )


def inspect_without_table(
    pdf: Path,
    out: Path,
    profile: Profile,
    error: NoTableError,
    *,
    pages: str | None,
    password: str | None,
    resolution: int,
) -> Inspection:
    out.mkdir(parents=True, exist_ok=True)
    drawn: list[tuple[InspectedPage, list[Candidate], int, int]] = []
    with pdfplumber.open(pdf, password=password or "") as doc:
        for number in parse_pages(pages, len(doc.pages)):
            target = out / f"page-{number:03d}.png"
            page = doc.pages[number - 1]
            width, height, candidates, n_lines, n_rules = _draw_no_table(
                page, number, profile, resolution, target
            )
            page.close()
            drawn.append(
                (InspectedPage(number, target, width, height), candidates, n_lines, n_rules)
            )
    index = out / "index.html"
    index.write_text(_no_table_html(pdf, error.reason, drawn), encoding="utf-8")
    return Inspection(pdf, [p for p, *_ in drawn], index, no_table=error)


# --------------------------------------------------------------------------- index.html


def _css(colour: RGBA) -> str:
    r, g, b, a = colour
    return f"rgba({r},{g},{b},{a / 255:.2f})"


def _index_html(source: Path, pages: Sequence[InspectedPage]) -> str:
    legend = "".join(
        f'<li><span class="sw" style="background:{_css(fill)};border-color:{_css(stroke)}">'
        f"</span>{html.escape(text)}</li>"
        for stroke, fill, text in COLOURS.values()
    )
    sections = []
    for p in pages:
        rows = "".join(
            f"<tr><td>{html.escape(m.marks[0])}</td><td>{html.escape(m.decision)}</td>"
            f"<td>{html.escape(m.label)}</td><td><code>{html.escape(m.event_id or '')}</code>"
            "</td></tr>"
            for m in p.marks
        )
        sections.append(
            f'<section id="page-{p.number}"><h2>Page {p.number}</h2>'
            f'<a href="{p.png.name}"><img src="{p.png.name}" width="{p.width}" '
            f'height="{p.height}" alt="page {p.number}"></a>'
            "<table><tr><th>mark</th><th>decision</th><th>row</th><th>event_id</th></tr>"
            f"{rows}</table></section>"
        )
    nav = " ".join(f'<a href="#page-{p.number}">{p.number}</a>' for p in pages)
    title = html.escape(source.name)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>inspect: {title}</title><style>"
        "body{font:14px sans-serif;margin:1em}img{max-width:100%;height:auto;"
        "border:1px solid #999}.sw{display:inline-block;width:1.2em;height:1em;"
        "border:2px solid;margin-right:.4em;vertical-align:middle}ul{list-style:none;"
        "padding:0}table{border-collapse:collapse;margin:.5em 0 2em}td,th{border:1px solid"
        " #ccc;padding:2px 6px;text-align:left}"
        f"</style></head><body><h1>{title}</h1><p>Pages: {nav}</p>"
        f"<ul>{legend}</ul>{''.join(sections)}</body></html>\n"
    )


# --------------------------------------------------------------------------- entry point


def inspect_pdf(
    pdf: Path,
    out: Path,
    profile: Profile,
    *,
    pages: str | None = None,
    password: str | None = None,
    resolution: int = 100,
) -> Inspection:
    """Write DIR/page-NNN.png for the pages asked for (all by default) and DIR/index.html.

    The whole document is extracted and cleaned (a row split across pages 1 and 2 needs
    both), only the pages asked for are drawn. Raises InputError like ``run`` would,
    except when no table is taken: the pages are then drawn as they are
    (``inspect_without_table``) and ``Inspection.no_table`` says why."""
    try:
        extraction = extract_document(pdf, profile, password=password)
    except NoTableError as exc:
        return inspect_without_table(
            pdf, out, profile, exc, pages=pages, password=password, resolution=resolution
        )
    wanted = parse_pages(pages, extraction.document.pages)
    marks = row_marks(extraction, profile)
    out.mkdir(parents=True, exist_ok=True)
    drawn: list[InspectedPage] = []
    with pdfplumber.open(pdf, password=password or "") as doc:
        for number in wanted:
            page_marks = [m for m in marks if m.page == number]
            target = out / f"page-{number:03d}.png"
            page = doc.pages[number - 1]
            frame = extraction.ocr_frames.get(number)
            width, height = _draw_page(page, page_marks, resolution, target, frame)
            page.close()
            drawn.append(InspectedPage(number, target, width, height, page_marks))
    index = out / "index.html"
    index.write_text(_index_html(pdf, drawn), encoding="utf-8")
    return Inspection(pdf, drawn, index)
