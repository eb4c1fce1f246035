"""extract: PDF -> physical table rows, with page, bounding box, cell texts and fonts.

The only module that imports pdfplumber to read PDFs (``inspect`` is the other one, for
drawing the debug images only). It opens the PDF honestly (a damaged, encrypted or
bomb-laden file is an error naming it, never a partial table), reads every page once into
a ``layout.PageContent`` (words with fonts and ruling segments; pages may be read in
worker processes) and lets ``layout`` find the table in the pages, in order.

It does not use ``page.extract_tables()``: that finder needs a closed grid, and when a
row is cut by a page break and the producer draws no bottom border under the first half,
pdfplumber silently drops that half (see ``layout``).
"""

from __future__ import annotations

import contextlib
import hashlib
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfminer.pdftypes
import pdfplumber
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef, PDFStream, resolve1
from pdfplumber.page import fix_fontname_bytes
from pdfplumber.utils.geometry import obj_to_edges

from pipeline.errors import InputError
from pipeline.layout import (
    Grid,
    LayoutState,
    PageContent,  # re-exported: parallel and tests build pages through extract
    Word,
    dedupe,
    generic_table_rows,
    profile_table_rows,
)
from pipeline.model import Document, Extraction
from pipeline.normalise.glyphs import repair_ligatures
from pipeline.profiles import Profile

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
    max_chars_per_page: int = 200_000
    # a Flate stream inflating past this is a decompression bomb (real content streams
    # are a few MB; images are never inflated by extract)
    max_stream_bytes: int = 128 * 1024 * 1024

    def __post_init__(self) -> None:
        if min(self.max_pages, self.max_chars_per_page, self.max_stream_bytes) < 1:
            raise ValueError("limits must be positive")


class StreamTooLarge(Exception):
    """A compressed stream inflates past ``Limits.max_stream_bytes``."""


class _BoundedZlib:
    """The ``zlib`` that pdfminer's stream decoder sees: the same calls, but inflating
    stops with StreamTooLarge at ``limit`` bytes, so a few KB of FlateDecode (possibly
    applied twice) cannot inflate to gigabytes. Installed into ``pdfminer.pdftypes``
    when this module is imported; pdfminer itself has no such bound."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def __init__(self) -> None:
        self.limit = Limits().max_stream_bytes

    def _too_large(self) -> StreamTooLarge:
        return StreamTooLarge(f"a stream inflates past the limit of {self.limit} bytes")

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        d = zlib.decompressobj(wbits)
        out = d.decompress(data, self.limit + 1)
        if len(out) > self.limit or d.unconsumed_tail:
            raise self._too_large()
        if not d.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    def decompressobj(self, wbits: int = zlib.MAX_WBITS) -> _BoundedDecompressor:
        return _BoundedDecompressor(self, zlib.decompressobj(wbits))


class _BoundedDecompressor:
    def __init__(self, owner: _BoundedZlib, inner: Any) -> None:
        self.owner = owner
        self.inner = inner
        self.total = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        budget = self.owner.limit + 1 - self.total
        out: bytes = self.inner.decompress(
            data, budget if max_length <= 0 else min(budget, max_length)
        )
        self.total += len(out)
        if self.total > self.owner.limit or (max_length <= 0 and self.inner.unconsumed_tail):
            raise self.owner._too_large()
        return out

    def flush(self, length: int = zlib.DEF_BUF_SIZE) -> bytes:
        out: bytes = self.inner.flush(length)
        self.total += len(out)
        if self.total > self.owner.limit:
            raise self.owner._too_large()
        return out

    def __getattr__(self, name: str) -> Any:  # eof, unused_data, unconsumed_tail
        return getattr(self.inner, name)


_ZLIB = _BoundedZlib()
pdfminer.pdftypes.zlib = _ZLIB  # type: ignore[assignment,attr-defined]


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


def _open(path: Path, password: str | None) -> Any:
    name = path.name
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer raises bare Exceptions for some damage
        raise _input_error(name, _cause(exc), password) from None
    plumber_close = pdf.close

    def close() -> None:
        """pdfplumber's close() walks the pages again: with a broken page tree it raises
        there too, on leaving the `with`, over the error being reported."""
        try:
            plumber_close()
        except Exception:
            with contextlib.suppress(Exception):
                pdf.stream.close()

    pdf.close = close  # type: ignore[method-assign]
    return pdf


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer exception inside pdfplumber's PdfminerException wrapper."""
    seen = 0
    while seen < 10 and type(exc).__name__ == "PdfminerException":
        seen += 1
        inner = next((a for a in exc.args if isinstance(a, BaseException)), None)
        inner = inner or exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    return exc


def _input_error(
    name: str, exc: BaseException, password: str | None, page: int | None = None
) -> InputError:
    """The one-line reason for a pdfminer failure, by what it means to the user."""
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, PDFPasswordIncorrect):
        reason = "wrong password" if password else "encrypted PDF (use --password)"
        return InputError(name, reason)
    if isinstance(exc, PDFEncryptionError):
        return InputError(name, f"encrypted PDF not supported ({_short(exc)})")
    if isinstance(exc, StreamTooLarge):
        return InputError(name, f"{exc} (decompression bomb?)", page=page)
    if isinstance(exc, RecursionError):
        return InputError(name, "objects nested too deeply", page=page)
    if page is not None:
        return InputError(name, f"unreadable page ({_short(exc)})", page=page)
    return InputError(name, f"truncated or corrupt PDF ({_short(exc)})")


_MAX_OBJECTS_CHECKED = 200_000


def _page_count(pdf: Any, name: str, password: str | None) -> int:
    """The page count, checked. pdfminer quietly recovers damaged files: it rebuilds a
    missing or broken xref by scanning for objects and, when the page tree is broken,
    scans for page objects. A truncated PDF can so come back with pages or objects
    missing; that is an error ("truncated or corrupt PDF"), never a partial table."""
    try:
        n_pages = len(pdf.pages)
        doc = pdf.doc
        tree = resolve1(doc.catalog.get("Pages"))
        count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
        recovered = any(type(x).__name__ == "PDFXRefFallback" for x in doc.xrefs)
        missing = _missing_object(doc) if recovered else None
    except MemoryError:
        raise
    except Exception as exc:
        raise _input_error(name, _cause(exc), password) from None
    if not isinstance(count, int) or isinstance(count, bool):
        raise InputError(name, "truncated or corrupt PDF (no page tree)")
    if count != n_pages:
        raise InputError(
            name, f"truncated or corrupt PDF (page tree counts {count} pages, {n_pages} found)"
        )
    if missing is not None:
        raise InputError(name, f"truncated or corrupt PDF (object {missing} is missing)")
    return n_pages


def _missing_object(doc: Any) -> int | None:
    """The first object referenced from the catalog that the file does not hold."""

    seen: set[int] = set()
    stack: list[Any] = [doc.catalog]
    while stack and len(seen) < _MAX_OBJECTS_CHECKED:
        obj = stack.pop()
        if isinstance(obj, PDFObjRef):
            if obj.objid in seen:
                continue
            seen.add(obj.objid)
            try:
                target = doc.getobj(obj.objid)
            except PDFObjectNotFound:
                return int(obj.objid)
            if target is None:
                return int(obj.objid)
            stack.append(target)
        elif isinstance(obj, PDFStream):
            stack.extend(obj.attrs.values())
        elif isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)
    return None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


# --------------------------------------------------------------------------- words


_THIN = 2.0  # pt: a filled rectangle this thin is a drawn rule, not shading


def _rulings(page: Any) -> tuple[list[Word], list[Word]]:
    """Horizontal and vertical ruling segments: lines, curves, stroked rectangles and
    thin filled ones (how browsers draw borders). A wide filled rectangle is shading (a
    header's background, a zebra stripe, a cell's fill): its edges are not rules, or a
    shaded cell would read as a ruled column and the body beside it as outside the table."""
    objects = [*page.lines, *page.curves]
    objects += [r for r in page.rects if r.get("stroke") or min(r["width"], r["height"]) <= _THIN]
    horizontal: list[Word] = []
    vertical: list[Word] = []
    for obj in objects:
        for e in obj_to_edges(obj):
            if e["orientation"] == "h":
                horizontal.append({"top": e["top"], "x0": e["x0"], "x1": e["x1"]})
            elif e["orientation"] == "v":
                vertical.append({"x0": e["x0"], "top": e["top"], "bottom": e["bottom"]})
    return horizontal, vertical


def _grids(page: Any) -> list[Grid]:
    grids = []
    for table in page.find_tables():
        xs = dedupe(sorted(x for c in table.cells for x in (c[0], c[2])))
        ys = dedupe(sorted(y for c in table.cells for y in (c[1], c[3])))
        if len(xs) >= 3 and len(ys) >= 3:
            cells = tuple(tuple(float(v) for v in c) for c in table.cells)
            grids.append(Grid(tuple(xs), tuple(ys), cells))  # type: ignore[arg-type]
    return sorted(grids, key=lambda g: g.ys[0])


_WORD_KEYS = ("text", "x0", "x1", "top", "bottom", "fontname")


_END = object()


def _lean_objects(page: Any) -> dict[str, list[Word]]:
    """``page.objects``, with each char built straight from pdfminer's LTChar.

    pdfplumber's ``process_object`` resolves and copies every attribute of every char
    (colours, colour spaces, graphic state): about two thirds of the time spent reading
    a page. Chars here carry only what word extraction and the page limits use (text,
    font, size, geometry, direction), with pdfplumber's own arithmetic, so the words are
    the same; every other object (rules, rectangles, curves, images) goes through
    ``process_object`` unchanged. ``tests/test_parallel.py`` checks the words and edges
    against pdfplumber's own on the fixture PDFs."""
    if page.pdf.laparams is not None or page.pdf.unicode_norm is not None:
        return dict(page.objects)
    objects: dict[str, list[Word]] = {"char": []}
    chars = objects["char"]
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop = page.initial_doctop
    number = page.page_number

    # depth first, in drawing order, as pdfplumber's iter_layout_objects (a loop, not a
    # recursive closure: that is a reference cycle keeping each page's chars alive
    # until the cyclic garbage collector runs)
    stack = [iter(page.layout._objs)]
    while stack:
        obj = next(stack[-1], _END)
        if obj is _END:
            stack.pop()
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj._objs))
        elif type(obj) is LTChar:
            fontname = obj.fontname
            if isinstance(fontname, bytes):
                fontname = fix_fontname_bytes(fontname)
            top = (height - obj.y1) + mb_top
            chars.append(
                {
                    "text": obj.get_text(),
                    "fontname": fontname,
                    "size": obj.size,
                    "adv": obj.adv,
                    "upright": obj.upright,
                    "matrix": obj.matrix,
                    "x0": obj.x0 + mb_x0,
                    "x1": obj.x1 + mb_x0,
                    "y0": obj.y0,
                    "y1": obj.y1,
                    "width": obj.width,
                    "height": obj.height,
                    "top": top,
                    "bottom": (height - obj.y0) + mb_top,
                    "doctop": doctop + top,
                    "object_type": "char",
                    "page_number": number,
                }
            )
        else:
            attr = page.process_object(obj)
            kind = attr["object_type"]
            if kind != "anno":
                objects.setdefault(kind, []).append(attr)
    return objects


_MARKERS = frozenset("0123456789*†‡§")


def _without_footnote_markers(chars: list[Word]) -> list[Word]:
    """Superscript footnote markers glued to a word ("Bali Process¹", "2017²", "Egypt*")
    would become part of the cell's text (and spoil a date): a digit or mark right after
    a letter or digit, in a smaller size, raised above its baseline, is dropped. Raised
    letters stay ("31st" set as 31 + superscript "st" is still "31st")."""
    kept: list[Word] = []
    prev: Word | None = None
    for c in chars:
        if prev is not None and c["text"] in _MARKERS and _is_marker(c, prev):
            prev = {**prev, "x1": c["x1"]}  # a two-digit marker continues
            continue
        kept.append(c)
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


def read_page(
    page: Any, pageno: int, name: str, limits: Limits, find_grids: bool = False
) -> PageContent:
    # the cache pdfplumber's ``page.objects`` fills on first use; page.close() drops it
    page._objects = _lean_objects(page)
    page._objects["char"] = _without_footnote_markers(page._objects.get("char", []))
    n_chars = len(page.chars)
    if n_chars > limits.max_chars_per_page:
        raise InputError(
            name,
            f"{n_chars} characters exceed the limit of {limits.max_chars_per_page}",
            page=pageno,
        )
    words, repaired = _repaired_words(
        {k: w[k] for k in _WORD_KEYS}
        for w in page.extract_words(
            extra_attrs=["fontname"], keep_blank_chars=False, expand_ligatures=False
        )
        if w.get("upright", True) and w["text"].strip()
    )
    horizontal, vertical = _rulings(page)
    grids = _grids(page) if find_grids else []
    return PageContent(
        pageno,
        words,
        horizontal,
        vertical,
        n_chars,
        len(page.images),
        grids,
        float(page.height),
        ligatures_repaired=repaired,
    )


def _repaired_words(words: Iterable[Word]) -> tuple[list[Word], int]:
    """The words with ligature glyphs back as their letters (``normalise.glyphs``), and
    how many were repaired: the one place text is repaired, so every later stage and the
    report see the same letters. pdfplumber's own ligature expansion is off, so that
    Unicode ligatures are counted here with Ghostscript's byte-swapped ones."""
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
    find_grids: bool = False,
) -> Iterator[PageContent]:
    """Pages first..last (1-based, inclusive), each closed after reading so that memory
    does not grow with the page count."""
    with _open(path, password) as pdf:
        yield from read_open_pages(pdf, path.name, password, limits, first, last, find_grids)


def read_open_pages(
    pdf: Any,
    name: str,
    password: str | None,
    limits: Limits,
    first: int,
    last: int,
    find_grids: bool = False,
) -> Iterator[PageContent]:
    """read_pages on a PDF already open (``_open``): a page-reading worker opens the
    file once and reads many ranges of it (``pipeline.parallel``)."""
    _ZLIB.limit = limits.max_stream_bytes
    for pageno in range(first, last + 1):
        try:
            page = pdf.pages[pageno - 1]
            try:
                yield read_page(page, pageno, name, limits, find_grids)
            finally:
                page.close()
        except (InputError, MemoryError):
            raise
        except Exception as exc:
            raise _input_error(name, _cause(exc), password, page=pageno) from None


PageSource = Callable[[Path, int], Iterable[PageContent]]
"""Yields the PageContent of pages 1..n in order (e.g. read by worker processes)."""


def extract_document(
    path: Path,
    profile: Profile,
    *,
    password: str | None = None,
    limits: Limits | None = None,
    pages: PageSource | None = None,
) -> Extraction:
    """Every physical row of the profile's table in one PDF.

    Raises InputError (naming the file and page) when the PDF cannot be read or holds
    no such table; a partly readable PDF is an error, never a partial table."""
    limits = limits or Limits()
    name = path.name
    _check_bytes(path)
    document = Document(path=str(path), source_file=name, sha256=sha256_file(path))
    extraction = Extraction(document)
    state = LayoutState()
    _ZLIB.limit = limits.max_stream_bytes
    with _open(path, password) as pdf:
        n_pages = _page_count(pdf, name, password)
    document.pages = n_pages
    if n_pages == 0:
        raise InputError(name, "PDF has no pages")
    if n_pages > limits.max_pages:
        raise InputError(name, f"{n_pages} pages exceed the limit of {limits.max_pages}")
    generic = profile.kind == "generic"
    source = (
        pages(path, n_pages)
        if pages
        else read_pages(path, password, limits, 1, n_pages, find_grids=generic)
    )
    chars_seen = 0
    images = 0
    repaired = 0
    for content in source:
        chars_seen += content.chars
        repaired += content.ligatures_repaired
        images += content.images
        page_rows = generic_table_rows if generic else profile_table_rows
        extraction.rows.extend(page_rows(content, profile, state))
    if chars_seen == 0:
        reason = "no text layer; OCR is not supported" if images else "no text in PDF"
        raise InputError(name, reason)
    if not state.tables:
        reason = state.near_misses[0] if state.near_misses else profile.missing_table_error
        raise InputError(name, reason)
    document.tables = state.tables
    document.title = state.title
    document.counts["ligatures_repaired"] = repaired
    return extraction
