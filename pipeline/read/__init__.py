"""read: one backend per way of getting a page's chars and rules; all give a ``RawPage``.

* ``plumber`` (``--engine pdfplumber``, the default): pdfminer interprets the content
  streams in Python, pdfplumber's arithmetic gives the char boxes;
* ``pdfium`` (``--engine pdfium``): Chrome's PDF engine through pypdfium2's raw API, the
  same boxes computed from PDFium's char origins and matrices (about six times faster).

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

Obj = dict[str, Any]
"""A char, line, rect or curve in pdfplumber's dict form (``top`` measured from the top
of the page, ``x0``/``x1`` from its left), whichever engine read it."""

Engine = Literal["pdfplumber", "pdfium"]
ENGINES: tuple[Engine, ...] = ("pdfplumber", "pdfium")


@dataclass
class RawPage:
    """What a reader gives of one page, before any interpretation.

    ``chars`` are in content-stream order (words are grouped by runs of one font in that
    order) with ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``doctop``, ``size``,
    ``fontname`` and ``upright``; ``lines``, ``rects`` and ``curves`` are the painted paths
    as pdfminer classifies them (one segment, an axis-aligned rectangle, anything else)."""

    number: int
    width: float
    height: float
    rotation: int
    chars: list[Obj]
    lines: list[Obj] = field(default_factory=list)
    rects: list[Obj] = field(default_factory=list)
    curves: list[Obj] = field(default_factory=list)
    images: int = 0


class OpenDocument(Protocol):
    """An open PDF: its checked page count, and its pages read one at a time."""

    def page_count(self) -> int: ...

    def read(self, pageno: int) -> RawPage: ...


def open_document(
    engine: Engine, path: Path, password: str | None, max_stream_bytes: int
) -> AbstractContextManager[OpenDocument]:
    """The PDF opened by ``engine``; raises ``InputError`` with the file's reason."""
    if engine == "pdfium":
        from pipeline.read import pdfium

        return pdfium.open_pdf(path, password, max_stream_bytes)
    from pipeline.read import plumber

    return plumber.open_pdf(path, password, max_stream_bytes)


def iter_pages(doc: OpenDocument, first: int, last: int) -> Iterator[RawPage]:
    for pageno in range(first, last + 1):
        yield doc.read(pageno)
