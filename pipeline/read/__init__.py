"""read: one backend per way of getting a page's chars and rules; all give a ``RawPage``.

* ``plumber`` (``--engine pdfplumber``, the default): pdfminer interprets the content
  streams in Python, pdfplumber's arithmetic gives the char boxes;
* ``pdfium`` (``--engine pdfium``): Chrome's PDF engine through pypdfium2's raw API, the
  same boxes computed from PDFium's char origins and loose boxes (about 3.5 times faster);
* ``ocr`` (``--ocr auto|always``): a scanned page, rendered and read by Tesseract, its
  words given as chars and the ruling lines of the image as lines (``read.ocr``).

Everything after reading (footnote markers, words, rules, grids, the layout) is shared
code in ``extract``, so both engines feed the layout the same page model and a change to
word building applies to both. A backend only reads: opening checks (encryption,
truncation, page tree) and the one-line reasons are the backends' own, and both give the
same reason for the same file (``tests/test_engines.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pipeline.glyphs import Glyphs
from pipeline.model import OcrStats

Obj = dict[str, Any]
"""A line, rect or curve in pdfplumber's dict form (``top`` measured from the top of the
page, ``x0``/``x1`` from its left), whichever engine read it."""

Engine = Literal["pdfplumber", "pdfium"]
ENGINES: tuple[Engine, ...] = ("pdfplumber", "pdfium")


@dataclass
class RawPage:
    """What a reader gives of one page, before any interpretation.

    ``chars`` are in content-stream order (words are grouped by runs of one font in that
    order), as columns (``glyphs.Glyphs``: text, box, size, font, direction); ``lines``,
    ``rects`` and ``curves`` are the painted paths as pdfminer classifies them (one
    segment, an axis-aligned rectangle, anything else), in pdfplumber's dict form."""

    number: int
    width: float
    height: float
    rotation: int
    chars: Glyphs
    lines: list[Obj] = field(default_factory=list)
    rects: list[Obj] = field(default_factory=list)
    curves: list[Obj] = field(default_factory=list)
    images: int = 0
    ocr: OcrStats | None = None
    """Set when the page was read by OCR (``read.ocr``), not from a text layer."""


class OpenDocument(Protocol):
    """An open PDF: its checked page count, and its pages read one at a time."""

    def page_count(self) -> int: ...

    def read(self, pageno: int) -> RawPage: ...


MAX_CONTENT_BYTES = 32 * 1024 * 1024
MAX_OPERATIONS = 500_000
MAX_CHARS = 200_000


@dataclass(frozen=True)
class PageBudget:
    """What one page's content may hold before a reader interprets it: the decoded bytes
    of its content streams and forms, and their operators. Checked on the stream bytes,
    before pdfminer builds an object per operator (or PDFium allocates in C), so that a
    page of millions of operators stops on a named limit, long before the worker's
    memory cap or the timeout, and the same way on every run. (Chars are counted again,
    exactly, once read: ``extract.Limits.max_chars_per_page``.)"""

    max_content_bytes: int = MAX_CONTENT_BYTES
    max_operations: int = MAX_OPERATIONS
    max_chars: int = MAX_CHARS


def open_document(
    engine: Engine,
    path: Path,
    password: str | None,
    max_stream_bytes: int,
    budget: PageBudget | None = None,
) -> AbstractContextManager[OpenDocument]:
    """The PDF opened by ``engine``; raises ``InputError`` with the file's reason."""
    budget = budget or PageBudget()
    if engine == "pdfium":
        from pipeline.read import pdfium

        return pdfium.open_pdf(path, password, max_stream_bytes, budget)
    from pipeline.read import plumber

    return plumber.open_pdf(path, password, max_stream_bytes, budget)


def iter_pages(doc: OpenDocument, first: int, last: int) -> Iterator[RawPage]:
    for pageno in range(first, last + 1):
        yield doc.read(pageno)
