"""The records that flow between stages, with the type aliases they use.

extract -> ``Extraction`` (physical rows, one per table row printed on a page)
clean   -> ``Cleaned`` (logical rows: page-split rows repaired, merged cells filled down)
validate -> valid records and ``Reject``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, top-left origin (pdfplumber's convention)."""

RowKind = Literal["header", "body", "note", "left_out"]
"""A note is text inside a table's frame that is no row of it ("Source: ...", notes
in a full-width cell under the last row): kept, so that it is counted, never a record.
A ``left_out`` row holds words of the table's region that no cell took, with why
(``layout.audit``)."""
Stage = Literal["extract", "clean", "validate"]

WORDS_LEFT_OUT = "words_left_out:"
"""Prefix of a document count: words left out of every cell for one reason."""
PAGE_NUMBER = "page number"
RUNNING_HEAD = "running head above the table"
NOTE_UNDER_TABLE = "note under the table"
STRAY_MARK = "mark outside the grid"
FURNITURE_NOTES = frozenset({PAGE_NUMBER, RUNNING_HEAD, NOTE_UNDER_TABLE, STRAY_MARK})
"""Reasons for leaving words out that name page furniture: such ``left_out`` rows are
counted as furniture, the others are rejected."""


@dataclass(frozen=True)
class PhysicalRow:
    """One table row as printed on one page.

    ``cells`` holds one string per table column, the cell's visual lines joined by "\\n"
    (line structure is kept because hyphenation and wrapped URLs are undone in clean).
    """

    table: int
    page: int
    bbox: BBox
    cells: tuple[str, ...]
    italic: tuple[bool, ...]
    kind: RowKind = "body"
    first_on_page: bool = False
    last_on_page: bool = False
    open_bottom: bool = False
    """No ruling line closes this row on its page: the table was cut by the page break."""
    columns: tuple[float, ...] = ()
    """x positions the cells were cut at: left edge, the boundaries between columns, right
    edge (len(cells) + 1 values). Only ``inspect`` draws them; not kept in stage files."""
    merged: tuple[bool, ...] = ()
    """Per cell: no rule separates it from the cell above (a vertically merged cell), so
    its text is the one above; clean fills it down."""
    word_ids: tuple[int, ...] = ()
    """The page's words (``Word["id"]``) in this row's cells: how extract checks that
    every word in a table's region ended in a cell. Not kept in stage files."""
    note: str = ""
    """A ``left_out`` row: why its words are in no cell (``layout.audit``)."""


@dataclass(frozen=True)
class OcrStats:
    """What OCR made of one scanned page: the words it read, the sum of their
    confidences (0-100 each; summed so that pages add up), and how the page was put
    upright: turned clockwise by ``turn`` degrees (fed in turned), then levelled by
    ``skew`` (a tilted sheet); the words' boxes are in that frame."""

    words: int = 0
    confidence: float = 0.0
    skew: float = 0.0
    turn: int = 0


@dataclass(frozen=True)
class TableLayout:
    """What extract learnt about one logical table: its columns as printed and as keyed."""

    index: int
    keys: tuple[str, ...]
    labels: tuple[str, ...]
    first_page: int


@dataclass
class Document:
    """Facts about one input PDF, filled in as the stages run."""

    path: str
    source_file: str
    sha256: str
    pages: int = 0
    title: str = ""
    tables: list[TableLayout] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    language: str | None = None
    """ISO 639-1 code of the language the table is written in (None: could not tell)."""
    ocr_confidence: float | None = None
    """Mean confidence (0-100) of the words OCR read on its scanned pages (None: no page
    was OCR'd); how many pages is ``counts["ocr_pages"]``."""


@dataclass
class Extraction:
    document: Document
    rows: list[PhysicalRow] = field(default_factory=list)
    ocr_frames: dict[int, tuple[float, int]] = field(default_factory=dict)
    """Per page read by OCR, (skew, turn) of ``OcrStats``: ``inspect`` draws the rows
    over the page as OCR saw it (in memory only, not kept in stage files)."""


@dataclass(frozen=True)
class Reject:
    source_file: str
    page: int | None
    row_index: int | None
    stage: Stage
    reason: str
    cells: tuple[str, ...]


@dataclass
class LogicalRow:
    """A table row after page-split repair: what the producer meant as one row."""

    table: int
    row_index: int
    page_start: int
    page_end: int
    cells: dict[str, str]
    italic: dict[str, bool]
    physical_rows: int = 1
    filled_down: tuple[str, ...] = ()


@dataclass
class Cleaned:
    document: Document
    records: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    logical: list[LogicalRow] = field(default_factory=list)
    """The logical rows the records were parsed from (in memory only, for inspect)."""
