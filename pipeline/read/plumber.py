"""read.plumber: the default reader, pdfminer's interpretation through pdfplumber.

It opens the PDF honestly (a damaged, encrypted or bomb-laden file is an error naming it,
never a partial table): pdfminer quietly recovers damaged files, so the page tree and the
objects it refers to are checked, and every Flate stream inflates through a bounded zlib.
Chars are built straight from pdfminer's LTChar (``_lean_objects``); rules and rectangles
are pdfplumber's own objects.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pdfminer.pdftypes
import pdfplumber
from pdfminer import ascii85
from pdfminer.encodingdb import EncodingDB
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import fix_fontname_bytes

from pipeline.errors import InputError
from pipeline.glyphs import Glyphs, floats
from pipeline.read import Obj, PageBudget, RawPage

Word = Obj


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
        self.limit = 128 * 1024 * 1024  # set from Limits by open_pdf

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

_A85_BLANKS = b" \t\n\r\x0b"  # what base64.a85decode skips
_A85_DIGITS = bytes(range(ord("!"), ord("u") + 1))
_A85_WEIGHTS = np.array([85**4, 85**3, 85**2, 85, 1], dtype=np.uint64)


def _ascii85decode(data: bytes) -> bytes:
    """pdfminer's ``ascii85decode``, with the common case decoded by numpy: its
    ``base64.a85decode`` runs a Python loop per byte (0.5 s for the content of the
    long bench release, which reportlab writes in ASCII85). Input with anything but
    digits and blanks ("z", "~", other bytes) and groups that overflow go to pdfminer's
    own, which decodes or raises as before (``tests/test_bad_inputs.py``)."""
    body = ascii85.end_re.sub(b"", ascii85.start_re.sub(b"", data))
    digits = body.translate(None, _A85_BLANKS)
    if digits.translate(None, _A85_DIGITS):
        return ascii85.ascii85decode(data)
    pad = -len(digits) % 5  # the last group is filled up with "u", its bytes dropped
    groups = np.frombuffer(digits + b"u" * pad, dtype=np.uint8).reshape(-1, 5)
    values = (groups.astype(np.uint64) - 33) @ _A85_WEIGHTS
    if values.size and int(values.max()) > 0xFFFFFFFF:
        return ascii85.ascii85decode(data)
    out = values.astype(">u4").tobytes()
    return out[: len(out) - pad]


pdfminer.pdftypes.ascii85decode = _ascii85decode  # type: ignore[attr-defined]


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


# --------------------------------------------------------------------------- page budget

_MAX_FORM_DEPTH = 12
# what is not an operator: literal and hex strings, inline image data, comments
_NOT_OPERATORS = re.compile(
    rb"\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.)*+\))*+\)"  # (a string), one level nested
    rb"|<[0-9A-Fa-f\s]*>|\bID\s.*?\sEI\b|%[^\r\n]*",
    re.S,
)
# an operator is a bare keyword: letters (and * ' "), not a /Name or a number
_OPERATOR = re.compile(rb"(?<![^\s\[\]<>(){}%])[A-Za-z'\"][A-Za-z0-9*'\"]*")


def page_streams(page_obj: Any) -> list[PDFStream]:
    """A page's content streams and the form XObjects it can draw (depth-bounded, each
    once): everything an interpreter of the page will run."""
    contents = resolve1(page_obj.attrs.get("Contents"))
    items = contents if isinstance(contents, list) else [contents]
    streams = [s for s in (resolve1(x) for x in items) if isinstance(s, PDFStream)]
    stack = [(page_obj.resources, 0)]
    seen: set[int] = set()
    while stack:
        res, depth = stack.pop()
        res = resolve1(res)
        xobjects = resolve1(res.get("XObject")) if isinstance(res, dict) else None
        if not isinstance(xobjects, dict) or depth >= _MAX_FORM_DEPTH:
            continue
        for ref in xobjects.values():
            objid = getattr(ref, "objid", None)
            if objid is not None:
                if objid in seen:
                    continue
                seen.add(objid)
            xobj = resolve1(ref)
            subtype = resolve1(xobj.get("Subtype")) if isinstance(xobj, PDFStream) else None
            if isinstance(subtype, PSLiteral) and subtype.name == "Form":
                streams.append(xobj)
                stack.append((xobj.get("Resources"), depth + 1))
    return streams


def count_operators(data: bytes, limit: int) -> tuple[int, int]:
    """The operators in a content stream, counted up to ``limit + 1`` (then it stops),
    and the bytes of its strings (at least one per char they can show): a
    regular-expression pass over the bytes, far cheaper than pdfminer's tokenizer."""
    string_bytes = 0

    def blank(m: re.Match[bytes]) -> bytes:
        nonlocal string_bytes
        first = m.group()[:1]
        if first == b"(":
            string_bytes += m.end() - m.start() - 2
        elif first == b"<":  # two hex digits a byte
            string_bytes += (m.end() - m.start() - 2) // 2
        return b" "

    n = 0
    for _ in _OPERATOR.finditer(_NOT_OPERATORS.sub(blank, data)):
        n += 1
        if n > limit:
            break
    return n, string_bytes


# a char shown takes one to four bytes of a string (simple fonts one, CID fonts
# mostly two): strings of more than this many bytes per allowed char are over the limit
_BYTES_PER_CHAR = 4


def check_page_budget(
    streams: list[PDFStream], budget: PageBudget, name: str, pageno: int, keep: bool = True
) -> None:
    """Raise ``InputError`` when the page's streams decode to more than the budget's bytes,
    hold more operators, or strings for far more chars than the limit, before any
    interpreter runs them (the chars are counted again, exactly, once read). The streams
    inflate through the bounded zlib (a bomb is an error naming the page); one that
    fails to decode is left to the interpreter, which decides. ``keep`` leaves the
    decoded data on the stream, where pdfminer's interpreter reuses it."""
    total = operations = string_bytes = 0
    # Counting is a regular-expression pass over each stream, put off while no limit can
    # be reached yet: a stream of n bytes holds at most (n + 1) // 2 operators (each
    # follows a delimiter) and n bytes of strings. The streams held back are counted, in
    # order, as soon as the bounds could pass a limit, so the first limit passed is
    # still the one reported; most pages are never counted.
    pending: list[bytes] = []
    operations_bound = strings_bound = 0
    for stream in streams:
        try:
            data = stream.get_data()
        except StreamTooLarge as exc:
            raise InputError(name, f"{exc} (decompression bomb?)", page=pageno) from None
        except Exception:  # damage the interpreter may well read past
            continue
        finally:
            if not keep:
                stream.data = None
        total += len(data)
        if total > budget.max_content_bytes:
            mb = budget.max_content_bytes / (1024 * 1024)
            raise InputError(name, f"content stream over {mb:g} MB", page=pageno)
        pending.append(data)
        operations_bound += (len(data) + 1) // 2
        strings_bound += len(data)
        if (
            operations_bound <= budget.max_operations
            and strings_bound <= _BYTES_PER_CHAR * budget.max_chars
        ):
            continue
        for held in pending:
            ops, strings = count_operators(held, budget.max_operations - operations)
            operations += ops
            string_bytes += strings
            if operations > budget.max_operations:
                raise InputError(name, f"over {budget.max_operations:,} operations", page=pageno)
            if string_bytes > _BYTES_PER_CHAR * budget.max_chars:
                reason = f"characters exceed the limit of {budget.max_chars}"
                raise InputError(name, reason, page=pageno)
        pending.clear()
        operations_bound, strings_bound = operations, string_bytes


_END = object()


def _lean_objects(page: Any) -> tuple[Glyphs, dict[str, list[Word]]]:
    """``page.chars`` and ``page.objects`` but chars, with each char taken straight from
    pdfminer's LTChar into columns (``Glyphs``).

    pdfplumber's ``process_object`` resolves and copies every attribute of every char
    (colours, colour spaces, graphic state) into a dict: about two thirds of the time
    spent reading a page. Chars here carry only what word extraction and the page
    limits use (text, font, size, geometry, direction), with pdfplumber's own
    arithmetic (on the columns, term for term), so the words are the same; every other
    object (rules, rectangles, curves, images) goes through ``process_object``
    unchanged. ``tests/test_parallel.py`` checks the words and edges against
    pdfplumber's own on the fixture PDFs."""
    if page.pdf.laparams is not None or page.pdf.unicode_norm is not None:
        given: dict[str, list[Word]] = dict(page.objects)
        return Glyphs.from_dicts(given.pop("char", [])), given
    objects: dict[str, list[Word]] = {}
    texts: list[str] = []
    x0s: list[float] = []
    x1s: list[float] = []
    y0s: list[float] = []
    y1s: list[float] = []
    sizes: list[float] = []
    uprights: list[bool] = []
    fonts: list[int] = []
    matrix_bs: list[float] = []
    fontnames: dict[Any, int] = {}

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
            texts.append(obj.get_text())
            x0s.append(obj.x0)
            x1s.append(obj.x1)
            y0s.append(obj.y0)
            y1s.append(obj.y1)
            sizes.append(obj.size)
            uprights.append(obj.upright)
            fonts.append(fontnames.setdefault(obj.fontname, len(fontnames)))
            matrix_bs.append(obj.matrix[1])
        else:
            attr = page.process_object(obj)
            kind = attr["object_type"]
            if kind != "anno":
                objects.setdefault(kind, []).append(attr)
    if "(cid:" in "".join(texts):
        _with_win_ansi_bullets(page, texts, fonts, list(fontnames))
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    names = [fix_fontname_bytes(f) if isinstance(f, bytes) else f for f in fontnames]
    chars = Glyphs(
        text=texts,
        x0=floats(x0s) + mb_x0,
        x1=floats(x1s) + mb_x0,
        top=(height - floats(y1s)) + mb_top,
        bottom=(height - floats(y0s)) + mb_top,
        size=floats(sizes),
        upright=np.asarray(uprights, dtype=np.bool_),
        font=_font_ids(fonts, names),
        fontnames=names,
        matrix_b=floats(matrix_bs),
    )
    return chars, objects


_UNDEFINED = re.compile(r"\(cid:(\d+)\)")
_WIN_ANSI = EncodingDB.get_encoding("WinAnsiEncoding")
# codes over 0o40 WinAnsiEncoding leaves unused: 0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D
_WIN_ANSI_UNUSED = frozenset(c for c in range(0o41, 0x100) if c not in _WIN_ANSI)
# what tells WinAnsi from the other base encodings (Standard, MacRoman, PDFDoc)
_WIN_ANSI_MARKS = {0x80: "€", 0x95: "•", 0x99: "™"}


def _with_win_ansi_bullets(page: Any, texts: list[str], fonts: list[int], names: list[Any]) -> None:
    """A glyph whose code WinAnsiEncoding leaves unused is a bullet, in place: "In
    WinAnsiEncoding, all unused codes greater than 40 (octal) map to the bullet
    character" (PDF 1.7, Annex D). pdfminer reads "(cid:129)", PDFium and viewers show
    the bullet (the list items of diesel_engines.pdf)."""
    by_name = {font.fontname: font for font in page.pdf.rsrcmgr._cached_fonts.values()}
    win_ansi: dict[int, bool] = {}
    for i, text in enumerate(texts):
        undefined = _UNDEFINED.fullmatch(text)
        if undefined is None or int(undefined.group(1)) not in _WIN_ANSI_UNUSED:
            continue
        k = fonts[i]
        if k not in win_ansi:
            table = getattr(by_name.get(names[k]), "cid2unicode", {})
            win_ansi[k] = all(table.get(c) == t for c, t in _WIN_ANSI_MARKS.items())
        if win_ansi[k]:
            texts[i] = "\u2022"


def _font_ids(fonts: list[int], names: list[str]) -> npt.NDArray[np.int64]:
    """Font numbers by name: two fonts pdfminer names apart may share a name once the
    bytes of one are decoded."""
    first: dict[str, int] = {}
    same = np.asarray([first.setdefault(name, k) for k, name in enumerate(names)], np.int64)
    return same[np.asarray(fonts, dtype=np.int64)] if fonts else np.zeros(0, np.int64)


class PlumberDocument:
    """``read.OpenDocument`` over an open pdfplumber PDF; each page closed once read, so
    that memory does not grow with the page count."""

    def __init__(
        self, pdf: Any, name: str, password: str | None, budget: PageBudget | None = None
    ) -> None:
        self.pdf = pdf
        self.name = name
        self.password = password
        self.budget = budget or PageBudget()

    def page_count(self) -> int:
        return _page_count(self.pdf, self.name, self.password)

    def read(self, pageno: int) -> RawPage:
        try:
            page = self.pdf.pages[pageno - 1]
            try:
                check_page_budget(page_streams(page.page_obj), self.budget, self.name, pageno)
                return raw_page(page, pageno)
            finally:
                page.close()
        except (InputError, MemoryError):
            raise
        except Exception as exc:
            raise _input_error(self.name, _cause(exc), self.password, page=pageno) from None


@contextlib.contextmanager
def open_pdf(
    path: Path, password: str | None, max_stream_bytes: int, budget: PageBudget | None = None
) -> Iterator[PlumberDocument]:
    _ZLIB.limit = max_stream_bytes
    with _open(path, password) as pdf:
        yield PlumberDocument(pdf, path.name, password, budget)


def raw_page(page: Any, pageno: int) -> RawPage:
    """One page's chars (``_lean_objects``) and painted paths, pdfplumber's way."""
    chars, objects = _lean_objects(page)
    return RawPage(
        number=pageno,
        width=float(page.width),
        height=float(page.height),
        rotation=int(page.rotation),
        chars=chars,
        lines=objects.get("line", []),
        rects=objects.get("rect", []),
        curves=objects.get("curve", []),
        images=len(objects.get("image", [])),
    )
