"""extract: PDF -> physical table rows, with page, bounding box, cell texts and fonts.

A reader of ``pipeline.read`` (pdfplumber by default, ``--engine pdfium``) opens the PDF
honestly (a damaged, encrypted or bomb-laden file is an error naming it, never a partial
table) and gives each page's raw chars and painted paths. Everything after that is one
code path for every engine: footnote markers, words (``pipeline.words``), rules and
grids make a ``layout.PageContent`` (pages may be read in worker processes), and
``layout`` finds the table in the pages, in order.

It does not use ``page.extract_tables()``: that finder needs a closed grid, and when a
row is cut by a page break and the producer draws no bottom border under the first half,
pdfplumber silently drops that half (see ``layout``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pdfplumber.table import TableFinder
from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, obj_to_edges, rect_to_edges

from pipeline.errors import InputError, NoTableError
from pipeline.glyphs import Glyphs
from pipeline.layout import (
    Grid,
    LayoutState,
    PageContent,  # re-exported: parallel and tests build pages through extract
    Word,
    dedupe,
    table_rows,
)
from pipeline.layout.audit import PageAudit, audit_page
from pipeline.model import WORDS_LEFT_OUT, Document, Extraction, OcrStats, PhysicalRow, TableLayout
from pipeline.normalise.glyphs import has_ligatures, repair_ligatures
from pipeline.profiles import Profile
from pipeline.read import (
    MAX_CHARS,
    MAX_CONTENT_BYTES,
    MAX_OPERATIONS,
    Engine,
    OpenDocument,
    PageBudget,
    RawPage,
    open_document,
)
from pipeline.read.ocr import OcrSettings, PageScanner
from pipeline.words import (
    Transform,
    read_once,
    turned,
    turned_glyphs,
    upright_frame,
    words_of_glyphs_read_once,
)

log = logging.getLogger(__name__)

__all__ = [
    "Limits",
    "PageContent",
    "PageSource",
    "extract_document",
    "read_open_pages",
    "read_page",
    "read_pages",
    "sha256_file",
]


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile PDF from exhausting the machine."""

    max_pages: int = 2000
    max_chars_per_page: int = MAX_CHARS
    # a Flate stream inflating past this is a decompression bomb (real content streams
    # are a few MB; images are never inflated by extract)
    max_stream_bytes: int = 128 * 1024 * 1024
    # a page's content (its streams and forms, decoded) is checked against these before
    # it is interpreted: millions of operators would otherwise run the worker out of
    # memory (or time) with no reason given (``read.PageBudget``)
    max_content_bytes: int = MAX_CONTENT_BYTES
    max_operations_per_page: int = MAX_OPERATIONS

    def __post_init__(self) -> None:
        values = (
            self.max_pages,
            self.max_chars_per_page,
            self.max_stream_bytes,
            self.max_content_bytes,
            self.max_operations_per_page,
        )
        if min(values) < 1:
            raise ValueError("limits must be positive")

    @property
    def budget(self) -> PageBudget:
        return PageBudget(
            self.max_content_bytes, self.max_operations_per_page, self.max_chars_per_page
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_bytes(path: Path) -> None:
    """Fail early, with a reason a person understands, on files that are not PDFs."""
    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise InputError(name, "empty file")
    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        snippet = head[:20].decode("latin-1").strip().replace("\n", " ")
        raise InputError(name, f"not a PDF (starts with {snippet!r})")


# --------------------------------------------------------------------------- words


_TEXT = itemgetter("text")
_THIN = 2.0  # pt: a filled rectangle this thin is a drawn rule, not shading


def _rulings(raw: RawPage) -> tuple[list[Word], list[Word]]:
    """Horizontal and vertical ruling segments: lines, curves, stroked rectangles and
    thin filled ones (how browsers draw borders). A wide filled rectangle is shading (a
    header's background, a zebra stripe, a cell's fill): its edges are not rules, or a
    shaded cell would read as a ruled column and the body beside it as outside the table."""
    objects = [*raw.lines, *raw.curves]
    objects += [r for r in raw.rects if r.get("stroke") or min(r["width"], r["height"]) <= _THIN]
    horizontal: list[Word] = []
    vertical: list[Word] = []
    for obj in objects:
        for e in obj_to_edges(obj):
            if e["orientation"] == "h":
                horizontal.append({"top": e["top"], "x0": e["x0"], "x1": e["x1"]})
            elif e["orientation"] == "v":
                vertical.append({"x0": e["x0"], "top": e["top"], "bottom": e["bottom"]})
    return horizontal, vertical


class _EdgesOnly:
    """What pdfplumber's TableFinder reads of a page with its default ("lines") settings:
    the edges of every line, rect and curve, in pdfplumber's order (``Container.edges``)."""

    def __init__(self, raw: RawPage) -> None:
        self.edges = [
            *map(line_to_edge, raw.lines),
            *(e for r in raw.rects for e in rect_to_edges(r)),
            *(e for c in raw.curves for e in curve_to_edges(c)),
        ]
        self.bbox = (0, 0, raw.width, raw.height)


def _grids(raw: RawPage, turn: Transform | None = None) -> list[Grid]:
    """The ruled tables pdfplumber's finder sees (``page.find_tables()``), from the raw
    page whichever engine read it; on a turned page, in the upright frame."""
    grids = []
    for table in TableFinder(_EdgesOnly(raw)).tables:  # type: ignore[arg-type]
        boxes = [tuple(float(v) for v in c) for c in table.cells]
        if turn is not None:
            boxes = [turn(*box) for box in boxes]
        xs = dedupe(sorted(x for c in boxes for x in (c[0], c[2])))
        ys = dedupe(sorted(y for c in boxes for y in (c[1], c[3])))
        if len(xs) >= 3 and len(ys) >= 3:
            grids.append(Grid(tuple(xs), tuple(ys), tuple(boxes)))  # type: ignore[arg-type]
    return sorted(grids, key=lambda g: g.ys[0])


_MARKERS = frozenset("0123456789*†‡§")


def _without_footnote_markers(chars: Glyphs) -> Glyphs:
    """Superscript footnote markers glued to a word ("Bali Process¹", "2017²", "Egypt*")
    would become part of the cell's text (and spoil a date): a digit or mark right after
    a letter or digit, in a smaller size, raised above its baseline, is dropped. Raised
    letters stay ("31st" set as 31 + superscript "st" is still "31st").

    Most pages have none: the first marker of a page follows the glyph before it, so
    where no glyph is a marker of the one before (checked on the columns), none is; a
    page where one is goes through ``_marker_mask``, glyph by glyph."""
    if len(chars) < 2:
        return chars
    size, bottom = chars.size, chars.bottom
    marks = chars.among(_MARKERS)
    maybe = (
        marks[1:]
        & (size[:-1] != 0)
        & (size[1:] < 0.85 * size[:-1])
        & (bottom[1:] < bottom[:-1] - 0.2 * size[:-1])
        & (np.abs(chars.x0[1:] - chars.x1[:-1]) <= 0.5)
    )
    if not maybe.any():
        return chars
    return chars.take(_marker_mask(chars.dicts()))


def _marker_mask(chars: list[Word]) -> npt.NDArray[np.bool_]:
    """Which glyphs are kept (``_without_footnote_markers``), glyph by glyph."""
    kept = np.ones(len(chars), dtype=bool)
    prev: Word | None = None
    for i, c in enumerate(chars):
        if prev is not None and c["text"] in _MARKERS and _is_marker(c, prev):
            prev = {**prev, "x1": c["x1"]}  # a two-digit marker continues
            kept[i] = False
            continue
        prev = c
    return kept


def _is_marker(c: Word, prev: Word) -> bool:
    size, base = prev.get("size", 0.0), prev["bottom"]
    return bool(
        (prev["text"].isalnum() or prev["text"] in _MARKERS)
        and size
        and c.get("size", size) < 0.85 * size
        and c["bottom"] < base - 0.2 * size
        and abs(c["x0"] - prev["x1"]) <= 0.5
    )


def _turned_rulings(
    horizontal: list[Word], vertical: list[Word], turn: Transform
) -> tuple[list[Word], list[Word]]:
    """Ruling segments in the upright frame: a turned page's horizontals are verticals."""
    edges = [
        {"x0": e["x0"], "x1": e["x1"], "top": e["top"], "bottom": e["top"]} for e in horizontal
    ]
    edges += [
        {"x0": e["x0"], "x1": e["x0"], "top": e["top"], "bottom": e["bottom"]} for e in vertical
    ]
    new_h: list[Word] = []
    new_v: list[Word] = []
    for e in (turned(e, turn) for e in edges):
        if e["bottom"] - e["top"] > e["x1"] - e["x0"]:
            new_v.append({"x0": e["x0"], "top": e["top"], "bottom": e["bottom"]})
        else:
            new_h.append({"top": e["top"], "x0": e["x0"], "x1": e["x1"]})
    return new_h, new_v


def _on_page(chars: Glyphs, width: float, height: float) -> Glyphs:
    """The glyphs the page shows: a glyph set wholly off the page, or larger than the
    page itself (a damaged text matrix: a bit flip put 1,355 glyphs of one fuzzed page
    46 million points to the right), is printed nowhere a reader can see, and measuring
    columns over such a span would cost gigabytes."""
    x0, x1, top, bottom = chars.x0, chars.x1, chars.top, chars.bottom
    shown = (
        (x1 > 0)
        & (x0 < width)
        & (bottom > 0)
        & (top < height)
        & (x1 - x0 <= width)
        & (bottom - top <= height)
    )
    return chars if shown.all() else chars.take(shown)


def read_page(
    raw: RawPage, pageno: int, name: str, limits: Limits, find_grids: bool = True
) -> PageContent:
    """One raw page (from any engine) as the layout's page model. Its ruled grids are
    found when layout asks (``PageContent.ruled_grids``), if ever."""
    chars = raw.chars
    horizontal, vertical = _rulings(raw)
    width, height = raw.width, raw.height
    turn = upright_frame(chars, raw.width, raw.height)
    if turn is not None:  # a landscape table set at 90 degrees: read it upright
        chars = turned_glyphs(chars, turn)
        horizontal, vertical = _turned_rulings(horizontal, vertical, turn)
        width, height = raw.height, raw.width
    chars = read_once(_without_footnote_markers(chars))
    # the characters the page prints: spaces are not counted, as the engines do not
    # agree on them (PDFium keeps few of the space glyphs pdfminer reads, and adds
    # none), nor a glyph painted twice (PDFium reads it once, pdfminer twice), so that
    # the limit, its reason and the count are the same under both
    n_chars = len(chars) - int(np.count_nonzero(chars.spaces))
    if n_chars > limits.max_chars_per_page:
        raise InputError(
            name,
            f"{n_chars} characters exceed the limit of {limits.max_chars_per_page}",
            page=pageno,
        )
    words = words_of_glyphs_read_once(_on_page(chars, width, height), vertical)
    words, repaired = _repaired_words(words)
    # page-local ids: rows name the words in their cells (``layout.audit``); the words
    # are this page's own dicts
    for i, w in enumerate(words):
        w["id"] = i
    return PageContent(
        pageno,
        words,
        horizontal,
        vertical,
        n_chars,
        raw.images,
        [],
        height,
        ligatures_repaired=repaired,
        ocr=raw.ocr,
        grid_finder=functools.partial(_grids, raw, turn) if find_grids else None,
    )


def _repaired_words(words: list[Word]) -> tuple[list[Word], int]:
    """The words with ligature glyphs back as their letters (``normalise.glyphs``), and
    how many were repaired: the one place text is repaired, so every later stage and the
    report see the same letters. pdfplumber's own ligature expansion is off, so that
    Unicode ligatures are counted here with Ghostscript's byte-swapped ones."""
    if not has_ligatures("".join(map(_TEXT, words))):
        return words, 0
    out: list[Word] = []
    total = 0
    for w in words:
        text, n = repair_ligatures(w["text"])
        out.append({**w, "text": text} if n else w)
        total += n
    return out, total


def read_pages(
    path: Path,
    password: str | None,
    limits: Limits,
    first: int,
    last: int,
    find_grids: bool = True,
    engine: Engine = "pdfplumber",
    ocr: OcrSettings | None = None,
) -> Iterator[PageContent]:
    """Pages first..last (1-based, inclusive), read by ``engine`` one at a time so that
    memory does not grow with the page count; scanned pages by OCR (``ocr``)."""
    with (
        open_document(engine, path, password, limits.max_stream_bytes, limits.budget) as doc,
        contextlib.closing(PageScanner(path, password, ocr or OcrSettings())) as scanner,
    ):
        yield from read_open_pages(doc, path.name, limits, first, last, find_grids, scanner)


def read_open_pages(
    doc: OpenDocument,
    name: str,
    limits: Limits,
    first: int,
    last: int,
    find_grids: bool = True,
    scanner: PageScanner | None = None,
) -> Iterator[PageContent]:
    """read_pages on a PDF already open (``read.open_document``): a page-reading worker
    opens the file once and reads many ranges of it (``pipeline.parallel``). A page the
    OCR settings want read by OCR (``OcrSettings.wants``) goes through ``scanner``."""
    for pageno in range(first, last + 1):
        raw = doc.read(pageno)
        if scanner is not None and scanner.settings.wants(raw):
            raw = scanner.read(raw, name)
        yield read_page(raw, pageno, name, limits, find_grids)


PageSource = Callable[[Path, int], Iterable[PageContent]]
"""Yields the PageContent of pages 1..n in order (e.g. read by worker processes)."""


def _log_page(
    name: str,
    content: PageContent,
    rows: Sequence[PhysicalRow],
    new_tables: Sequence[TableLayout],
    near_misses: Sequence[str],
) -> None:
    """What layout decided on one page, for -v: headers found (where, which columns),
    header candidates refused, and how many table rows the page gave."""
    page = f"{name}: page {content.number}"
    headers = [r for r in rows if r.kind == "header"]
    for table in new_tables:
        top = next((r.bbox[1] for r in headers if r.table == table.index), None)
        where = f" at y={top:.1f}" if top is not None else ""
        columns = " | ".join(table.labels)
        log.debug("%s: table %d header found%s, columns: %s", page, table.index, where, columns)
    new = {t.index for t in new_tables}
    for r in headers:
        if r.table not in new:
            log.debug("%s: table %d header repeated at y=%.1f", page, r.table, r.bbox[1])
    for miss in near_misses:
        log.debug("%s: header candidate refused: %s", page, miss)
    body = [r for r in rows if r.kind == "body"]
    if not rows:
        log.debug("%s: no table rows (%d words)", page, len(content.words))
    else:
        tables = sorted({r.table for r in body})
        log.debug(
            "%s: %d body rows, %d header rows (table %s)",
            page,
            len(body),
            len(headers),
            ", ".join(map(str, tables)) or "-",
        )


def _count_words(counts: dict[str, int], audit: PageAudit) -> None:
    """The page's word accounting, added to the document's counts (``report.json``:
    words in table regions, placed in cells, left out per reason)."""
    counts["words_in_table_region"] = counts.get("words_in_table_region", 0) + audit.in_region
    counts["words_placed"] = counts.get("words_placed", 0) + audit.placed
    for row in audit.left_out:
        key = f"{WORDS_LEFT_OUT}{row.note}"
        counts[key] = counts.get(key, 0) + len(row.word_ids)


MIN_OCR_CONFIDENCE = 60.0
"""Below this mean word confidence a scan is too poor to read: Tesseract's words are
guesses there (a clean 200 dpi scan reads at 90 and more), and passing them on would
present guesses as the table's text."""


def extract_document(
    path: Path,
    profile: Profile,
    *,
    password: str | None = None,
    limits: Limits | None = None,
    pages: PageSource | None = None,
    engine: Engine = "pdfplumber",
    ocr: OcrSettings | None = None,
) -> Extraction:
    """Every physical row of the profile's table in one PDF.

    Raises InputError (naming the file and page) when the PDF cannot be read or holds
    no such table; a partly readable PDF is an error, never a partial table."""
    limits = limits or Limits()
    ocr = ocr or OcrSettings()
    name = path.name
    _check_bytes(path)
    document = Document(path=str(path), source_file=name, sha256=sha256_file(path))
    extraction = Extraction(document)
    state = LayoutState()
    # one opening of the file: its page count, then its pages (unless other processes
    # read them: ``pages``)
    with open_document(engine, path, password, limits.max_stream_bytes, limits.budget) as doc:
        n_pages = doc.page_count()
        document.pages = n_pages
        if n_pages == 0:
            raise InputError(name, "PDF has no pages")
        if n_pages > limits.max_pages:
            raise InputError(name, f"{n_pages} pages exceed the limit of {limits.max_pages}")
        scanner = PageScanner(path, password, ocr or OcrSettings())
        source = (
            pages(path, n_pages)
            if pages
            else read_open_pages(doc, name, limits, 1, n_pages, scanner=scanner)
        )
        chars_seen = 0
        images = 0
        repaired = 0
        scanned: list[OcrStats] = []
        with contextlib.closing(scanner):
            for content in source:
                chars_seen += content.chars
                repaired += content.ligatures_repaired
                images += content.images
                if content.ocr is not None:
                    scanned.append(content.ocr)
                    extraction.ocr_frames[content.number] = (content.ocr.skew, content.ocr.turn)
                tables, misses = len(state.tables), len(state.near_misses)
                rows = list(table_rows(content, profile, state))
                audit = audit_page(content, rows, state.left_out)
                state.left_out = {}
                _count_words(document.counts, audit)
                if log.isEnabledFor(logging.DEBUG):
                    _log_page(
                        name, content, rows, state.tables[tables:], state.near_misses[misses:]
                    )
                extraction.rows.extend(rows)
                extraction.rows.extend(audit.left_out)
    if scanned:
        document.counts["ocr_pages"] = len(scanned)
        document.ocr_confidence = _mean_confidence(scanned)
    try:
        _check_read(document, scanned, chars_seen, images, ocr)
        if not state.tables:
            reason = state.near_misses[0] if state.near_misses else profile.missing_table_error
            raise NoTableError(name, reason + _read_by_ocr(document))
        if scanned and not any(r.kind == "body" for r in extraction.rows):
            raise NoTableError(name, "the table's header was read by OCR, but no row under it")
    except InputError as exc:
        if scanned:  # what OCR read still goes to report.json (pages, ocr_pages)
            exc.document = document
        raise
    document.tables = state.tables
    document.title = state.title
    document.counts["ligatures_repaired"] = repaired
    return extraction


def _no_text_reason(images: int, ocr: OcrSettings) -> str:
    if not images:
        return "no text in PDF"
    if ocr.mode == "never":
        return "no text layer (a scan?); OCR is off (--ocr never)"
    return "no text layer, and OCR read no text on its pages"


def _mean_confidence(scanned: Sequence[OcrStats]) -> float | None:
    """The mean confidence of the words OCR read (None when it read none)."""
    words = sum(s.words for s in scanned)
    return round(sum(s.confidence for s in scanned) / words, 1) if words else None


def _check_read(
    document: Document, scanned: Sequence[OcrStats], chars: int, images: int, ocr: OcrSettings
) -> None:
    """Raise when the pages gave no text, or OCR's words are too doubtful to be taken for
    the table's text (nothing guessed is passed off as read)."""
    name = document.source_file
    mean = document.ocr_confidence
    if scanned and mean is not None and mean < MIN_OCR_CONFIDENCE:
        raise NoTableError(
            name,
            f"scan too poor to read: OCR's mean word confidence is {mean:g} "
            f"(below {MIN_OCR_CONFIDENCE:g}) on {_pages(len(scanned))} read by OCR",
        )
    if chars == 0:
        raise NoTableError(name, _no_text_reason(images, ocr))


def _read_by_ocr(document: Document) -> str:
    """Said after a reason when the pages were read by OCR: where to look first."""
    if document.ocr_confidence is None:
        return ""
    pages = document.counts.get("ocr_pages", 0)
    return f" ({_pages(pages)} read by OCR, mean word confidence {document.ocr_confidence:g})"


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"
