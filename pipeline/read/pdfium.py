"""read.pdfium: ``--engine pdfium``, Chrome's PDF engine through pypdfium2's raw API.

PDFium interprets the content streams in C, about six times faster than pdfminer in
Python. What it gives per char (an origin, the char's matrix, the font size and the
advance) is turned into the box pdfminer would compute: from the origin, ``descent`` to
``descent + size`` up and the advance across, in pdfplumber's coordinates (top-down,
pdfminer's rotation of a /Rotate page), so the layout sees the same geometry from either
engine. Painted paths are classified as pdfminer does (one segment a line, an
axis-aligned closed quadrilateral a rect, anything else a curve).

Two things come from pdfminer, which has the document open anyway: the opening checks
(encryption, truncation, the page tree; ``read.plumber``, so both engines give the same
one-line reasons) and each font's name and descent, which PDFium only knows for the
font program it substitutes (its descent of Helvetica is not the AFM's). Before PDFium
sees a page, the page's content streams, forms and font files are inflated through the
same bounded zlib as pdfminer's, so a decompression bomb is an error, not an abort.

pypdfium2 is not thread-safe: one document per process (the workers are processes).
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2  # type: ignore[import-untyped]  # noqa: F401  (initialises the library)
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import fix_fontname_bytes

from pipeline.errors import InputError
from pipeline.read import Obj, PageBudget, RawPage, plumber

Matrix = tuple[float, float, float, float, float, float]

_TEXT, _PATH, _IMAGE, _FORM = (
    pdfium_c.FPDF_PAGEOBJ_TEXT,
    pdfium_c.FPDF_PAGEOBJ_PATH,
    pdfium_c.FPDF_PAGEOBJ_IMAGE,
    pdfium_c.FPDF_PAGEOBJ_FORM,
)
_MOVETO, _LINETO, _BEZIERTO = (
    pdfium_c.FPDF_SEGMENT_MOVETO,
    pdfium_c.FPDF_SEGMENT_LINETO,
    pdfium_c.FPDF_SEGMENT_BEZIERTO,
)
_HYPHEN_MARK = 0x02  # PDFium's code for a hyphen it takes for a line-end hyphenation
_MAX_FORM_DEPTH = 12
_MAX_STREAMS_CHECKED = 10_000

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_FILE: "cannot read the file",
    pdfium_c.FPDF_ERR_FORMAT: "truncated or corrupt PDF (PDFium cannot parse it)",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF not supported (unsupported security handler)",
    pdfium_c.FPDF_ERR_PAGE: "truncated or corrupt PDF (page not found)",
}


def _mult(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 then m0, pdfminer's ``mult_matrix`` (row vectors: p' = p * m)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _device_ctm(page: Any) -> Matrix:
    """PDF user space -> pdfplumber's (x, top) coordinates: pdfminer's page CTM for the
    page's /Rotate, then pdfplumber's flip and mediabox offset."""
    x0, y0, x1, y1 = page.page_obj.mediabox
    rotate = page.rotation
    if rotate == 90:
        ctm: Matrix = (0, -1, 1, 0, -y0, x1)
    elif rotate == 180:
        ctm = (-1, 0, 0, 1, x1, y1)
    elif rotate == 270:
        ctm = (0, 1, -1, 0, y1, -x0)
    else:
        ctm = (1, 0, 0, 1, -x0, -y0)
    mb_x0, mb_top = page.mediabox[:2]
    flip: Matrix = (1, 0, 0, -1, float(mb_x0), float(page.height) + float(mb_top))
    return _mult(ctm, flip)


# --------------------------------------------------------------------------- fonts


def _base_name(name: str) -> str:
    """A font's name without its subset tag ("ABCDEF+Arial" -> "Arial"), as PDFium
    reports it."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name


class _Fonts:
    """pdfminer's name and descent of each font a page uses, looked up by the name PDFium
    reports (the base font without its subset tag). Two subsets of one font on a page are
    told apart by which one maps the char's text."""

    def __init__(self) -> None:
        self.manager = PDFResourceManager(caching=True)
        self.by_objid: dict[int, PDFFont] = {}

    def page_fonts(self, resources: Any, streams: list[PDFStream]) -> dict[str, list[PDFFont]]:
        out: dict[str, list[PDFFont]] = {}
        for objid, spec in _font_specs(resources, streams):
            font = self.by_objid.get(objid) if objid else None
            if font is None:
                font = self.manager.get_font(None, spec)
                if objid:
                    self.by_objid[objid] = font
            base = spec.get("BaseFont")
            raw = resolve1(base)
            name = raw.name if isinstance(raw, PSLiteral) else str(raw or "")
            if isinstance(name, bytes):
                name = name.decode("latin-1")
            out.setdefault(_base_name(name), []).append(font)
        return out


def _font_specs(resources: Any, streams: list[PDFStream]) -> Iterator[tuple[int, Any]]:
    """(object id, font dict) of every font in the page's resources and its forms'
    (depth-bounded); collects the forms' streams into ``streams`` for the bomb check."""
    stack = [(resources, 0)]
    seen: set[int] = set()
    while stack:
        res, depth = stack.pop()
        res = resolve1(res)
        if not isinstance(res, dict):
            continue
        fonts = resolve1(res.get("Font"))
        if isinstance(fonts, dict):
            for ref in fonts.values():
                spec = resolve1(ref)
                if isinstance(spec, dict):
                    yield getattr(ref, "objid", 0), spec
                    for key in ("FontFile", "FontFile2", "FontFile3"):
                        desc = resolve1(spec.get("FontDescriptor"))
                        if isinstance(desc, dict) and isinstance(
                            resolve1(desc.get(key)), PDFStream
                        ):
                            streams.append(resolve1(desc.get(key)))
        xobjects = resolve1(res.get("XObject"))
        if isinstance(xobjects, dict) and depth < _MAX_FORM_DEPTH:
            for ref in xobjects.values():
                objid = getattr(ref, "objid", None)
                if objid is not None and objid in seen:
                    continue
                if objid is not None:
                    seen.add(objid)
                xobj = resolve1(ref)
                if isinstance(xobj, PDFStream) and _name(xobj.get("Subtype")) == "Form":
                    streams.append(xobj)
                    stack.append((xobj.get("Resources"), depth + 1))


def _name(value: Any) -> str:
    value = resolve1(value)
    return str(value.name) if isinstance(value, PSLiteral) else str(value)


def _check_streams(streams: list[PDFStream], name: str, pageno: int) -> None:
    """Inflate every stream PDFium will inflate through the bounded zlib (and drop the
    data again): a bomb is an error naming the page, never an allocation in C that fails
    by aborting the process."""
    for stream in streams[:_MAX_STREAMS_CHECKED]:
        if stream.data is not None:
            continue
        try:
            stream.decode()
        except plumber.StreamTooLarge as exc:
            raise InputError(name, f"{exc} (decompression bomb?)", page=pageno) from None
        except Exception:  # damage PDFium may well read past; it decides
            pass
        stream.data = None


def _content_streams(page: Any) -> list[PDFStream]:
    contents = resolve1(page.page_obj.attrs.get("Contents"))
    items = contents if isinstance(contents, list) else [contents]
    return [s for s in (resolve1(x) for x in items) if isinstance(s, PDFStream)]


# --------------------------------------------------------------------------- the document


class PdfiumDocument:
    """``read.OpenDocument``: pdfminer's checked document beside PDFium's."""

    def __init__(
        self,
        pdf: Any,
        handle: Any,
        name: str,
        password: str | None,
        budget: PageBudget | None = None,
    ) -> None:
        self.pdf = pdf
        self.handle = handle
        self.name = name
        self.password = password
        self.budget = budget or PageBudget()
        self.fonts = _Fonts()
        self.doctop = 0.0

    def page_count(self) -> int:
        n = plumber._page_count(self.pdf, self.name, self.password)
        count = pdfium_c.FPDF_GetPageCount(self.handle)
        if count != n:
            raise InputError(
                self.name, f"truncated or corrupt PDF (PDFium finds {count} pages, {n} listed)"
            )
        return n

    def read(self, pageno: int) -> RawPage:
        try:
            page = self.pdf.pages[pageno - 1]
            streams = _content_streams(page)
            fonts = self.fonts.page_fonts(page.page_obj.resources, streams)
            budgeted = plumber.page_streams(page.page_obj)
            plumber.check_page_budget(budgeted, self.budget, self.name, pageno, keep=False)
            _check_streams(streams, self.name, pageno)
            return _read_page(self.handle, page, pageno, fonts)
        except (InputError, MemoryError):
            raise
        except Exception as exc:
            cause = plumber._cause(exc)
            raise plumber._input_error(self.name, cause, self.password, page=pageno) from None


@contextlib.contextmanager
def open_pdf(
    path: Path, password: str | None, max_stream_bytes: int, budget: PageBudget | None = None
) -> Iterator[PdfiumDocument]:
    plumber._ZLIB.limit = max_stream_bytes
    with plumber._open(path, password) as pdf:
        handle = pdfium_c.FPDF_LoadDocument(str(path).encode(), (password or "").encode())
        if not handle:
            error = pdfium_c.FPDF_GetLastError()
            if error == pdfium_c.FPDF_ERR_PASSWORD:
                reason = "wrong password" if password else "encrypted PDF (use --password)"
            else:
                reason = _LOAD_ERRORS.get(error, f"PDFium cannot open it (error {error})")
            raise InputError(path.name, reason)
        try:
            yield PdfiumDocument(pdf, handle, path.name, password, budget)
        finally:
            pdfium_c.FPDF_CloseDocument(handle)


# --------------------------------------------------------------------------- one page


def _read_page(doc: Any, page: Any, pageno: int, fonts: dict[str, list[PDFFont]]) -> RawPage:
    handle = pdfium_c.FPDF_LoadPage(doc, pageno - 1)
    if not handle:
        raise InputError("", "unreadable page (PDFium cannot load it)")
    try:
        ctm = _device_ctm(page)
        textpage = pdfium_c.FPDFText_LoadPage(handle)
        try:
            chars = _chars(textpage, ctm, fonts, float(page.initial_doctop), pageno)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        raw = RawPage(pageno, float(page.width), float(page.height), int(page.rotation), chars)
        _paths(handle, ctm, page, raw)
        return raw
    finally:
        pdfium_c.FPDF_ClosePage(handle)


class _FontInfo:
    __slots__ = ("descent", "handle", "name", "widths")

    def __init__(self, name: str, descent: float, handle: Any) -> None:
        self.name = name
        self.descent = descent
        self.handle = handle
        self.widths: dict[int, float] = {}


def _font_info(obj: Any, fonts: dict[str, list[PDFFont]], text: str) -> _FontInfo:
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    buf = ctypes.create_string_buffer(256)
    n = pdfium_c.FPDFFont_GetBaseFontName(font, buf, 256)
    reported = buf.raw[: max(n - 1, 0)].decode("utf-8", "replace")
    candidates = fonts.get(reported) or fonts.get(_base_name(reported)) or []
    chosen = candidates[0] if candidates else None
    if len(candidates) > 1:
        chosen = next((f for f in candidates if _maps(f, text)), chosen)
    if chosen is None:  # a font pdfminer did not find in the resources
        desc = ctypes.c_float()
        pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), desc)
        return _FontInfo(reported, float(desc.value), font)
    fontname = chosen.fontname
    if isinstance(fontname, bytes):
        fontname = fix_fontname_bytes(fontname)
    return _FontInfo(str(fontname), float(chosen.get_descent()), font)


def _maps(font: PDFFont, text: str) -> bool:
    umap = getattr(font, "unicode_map", None)
    cid2 = getattr(umap, "cid2unichr", None) if umap is not None else None
    if cid2:
        return text in cid2.values()
    table = getattr(font, "cid2unicode", None)
    return isinstance(table, dict) and text in table.values()


def _advance(
    info: _FontInfo, code: int, textpage: Any, i: int, origin_x: float, origin_y: float
) -> float:
    """The char's advance along the baseline, in text space per unit of font size
    (pdfminer's ``adv / fontsize``), cached per font and char.

    PDFium's loose box runs from the origin to origin + advance, but it is widened to the
    glyph's ink where the ink reaches further (a slash, an italic f): only a right edge
    that is not the ink's is the advance; otherwise the font's width for the char."""
    known = info.widths.get(code)
    if known is not None:
        return known
    loose = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(loose))
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(
        textpage,
        i,
        ctypes.byref(left),
        ctypes.byref(right),
        ctypes.byref(bottom),
        ctypes.byref(top),
    )
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix))
    size = pdfium_c.FPDFText_GetFontSize(textpage, i) or 1.0
    a, b = matrix.a, matrix.b
    # the baseline runs along x (a dominates) or along y (a page drawn rotated)
    if abs(a) >= abs(b):
        edge, ink = (loose.right, right.value) if a > 0 else (-loose.left, -left.value)
        start = origin_x if a > 0 else -origin_x
        scale = abs(a) * size
    else:
        edge, ink = (loose.top, top.value) if b > 0 else (-loose.bottom, -bottom.value)
        start = origin_y if b > 0 else -origin_y
        scale = abs(b) * size
    adv = (edge - start) / scale
    if abs(edge - ink) < 1e-4:
        width = ctypes.c_float()
        unicode = ord("-") if code == _HYPHEN_MARK else code
        if pdfium_c.FPDFFont_GetGlyphWidth(info.handle, unicode, ctypes.c_float(1.0), width):
            adv = float(width.value)
    info.widths[code] = float(adv)
    return float(adv)


def _chars(
    textpage: Any, ctm: Matrix, fonts: dict[str, list[PDFFont]], doctop: float, pageno: int
) -> list[Obj]:
    n = pdfium_c.FPDFText_CountChars(textpage)
    out: list[Obj] = []
    if n <= 0:
        return out
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    infos: dict[int | None, _FontInfo] = {}
    get_unicode = pdfium_c.FPDFText_GetUnicode
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    get_matrix = pdfium_c.FPDFText_GetMatrix
    get_size = pdfium_c.FPDFText_GetFontSize
    get_object = pdfium_c.FPDFText_GetTextObject
    by_ref = ctypes.byref
    ox_ref, oy_ref, m_ref = by_ref(origin_x), by_ref(origin_y), by_ref(matrix)
    run_obj: Any = None  # the text object of the chars at the end of ``out``
    run_start = 0
    suspect = False  # PDFium put a space of its own after them
    for i in range(n):
        if is_generated(textpage, i) == 1:
            suspect = suspect or get_unicode(textpage, i) == 0x20
            continue
        code = get_unicode(textpage, i)
        text = "-" if code == _HYPHEN_MARK else chr(code) if code else ""
        obj = get_object(textpage, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value
        info = infos.get(key)
        if info is None:
            info = infos[key] = _font_info(obj, fonts, text)
        if key != ctypes.cast(run_obj, ctypes.c_void_p).value:
            if suspect and run_obj is not None:
                out[run_start:] = _with_real_spaces(run_obj, textpage, out[run_start:])
            run_obj, run_start, suspect = obj, len(out), False
        get_origin(textpage, i, ox_ref, oy_ref)
        get_matrix(textpage, i, m_ref)
        size = get_size(textpage, i)
        adv = _advance(info, code, textpage, i, origin_x.value, origin_y.value)
        full = _mult((matrix.a, matrix.b, matrix.c, matrix.d, 0.0, 0.0), ctm)
        px, py = _apply(ctm, origin_x.value, origin_y.value)
        a, b, c, d = full[:4]
        descent = info.descent * size
        # pdfminer's box: (0, descent) and (adv, descent + size) in text space
        x0, y0 = px + c * descent, py + d * descent
        x1, y1 = (
            px + a * adv * size + c * (descent + size),
            py + b * adv * size + d * (descent + size),
        )
        # pdfplumber's y grows downwards: ``ctm`` flipped it, so top is the smaller y
        top, bottom = min(y0, y1), max(y0, y1)
        left, right = min(x0, x1), max(x0, x1)
        upright = a * -d > 0 and b * c >= 0  # the flip negated b and d
        out.append(
            {
                "text": text,
                "fontname": info.name,
                "size": bottom - top,
                "upright": upright,
                "x0": left,
                "x1": right,
                "top": top,
                "bottom": bottom,
                "doctop": doctop + top,
                "width": right - left,
                "height": bottom - top,
                "object_type": "char",
                "page_number": pageno,
            }
        )
    if suspect and run_obj is not None:
        out[run_start:] = _with_real_spaces(run_obj, textpage, out[run_start:])
    return out


def _object_text(obj: Any, textpage: Any) -> str:
    n = pdfium_c.FPDFTextObj_GetText(obj, textpage, None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    pdfium_c.FPDFTextObj_GetText(
        obj, textpage, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n
    )
    return buf.raw[: n - 2].decode("utf-16-le", "replace")


def _with_real_spaces(obj: Any, textpage: Any, run: list[Obj]) -> list[Obj]:
    """The chars of one text object with the spaces its string ends with put back.

    Where a string ends with a space glyph (Chromium draws "n " as one string), PDFium
    drops the glyph from the text page and puts a space of its own ("generated", with no
    text object) in the gap; pdfminer keeps the glyph. A space only ends a word, so it is
    put back after the object's last char (zero wide). Spaces inside a string are not
    touched: there the object's text also holds PDFium's own spaces at wide gaps, which
    pdfminer does not see."""
    text = _object_text(obj, textpage)
    shown = "".join(c["text"] for c in run)
    if not run or not text.startswith(shown) or text == shown or text[len(shown) :].strip():
        return run
    last = run[-1]
    spaces = [{**last, "text": " ", "x0": last["x1"], "width": 0.0} for _ in text[len(shown) :]]
    return [*run, *spaces]


def _paths(page_handle: Any, ctm: Matrix, page: Any, raw: RawPage) -> None:
    """Every painted path of the page (forms included), as pdfplumber's lines, rects and
    curves; images are counted."""
    stack: list[tuple[Any, int, Matrix, int]] = []
    count = pdfium_c.FPDFPage_CountObjects(page_handle)
    stack.extend((pdfium_c.FPDFPage_GetObject(page_handle, k), 0, ctm, 0) for k in range(count))
    stack.reverse()
    fs = pdfium_c.FS_MATRIX()
    doctop_adj = float(page.initial_doctop)
    while stack:
        obj, _, outer, depth = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _IMAGE:
            raw.images += 1
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs))
            inner = _mult((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), outer)
            n = pdfium_c.FPDFFormObj_CountObjects(obj)
            children = [
                (pdfium_c.FPDFFormObj_GetObject(obj, k), 0, inner, depth + 1) for k in range(n)
            ]
            stack.extend(reversed(children))
        elif kind == _PATH:
            pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs))
            m = _mult((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), outer)
            _add_path(obj, m, raw, doctop_adj)


def _segments(obj: Any) -> list[tuple[str, float, float]]:
    """The path as pdfminer's operators with their end points: m, l, c (a Bézier's three
    points are one segment), h after a closing segment."""
    n = pdfium_c.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[str, float, float]] = []
    pending_bezier = 0
    for k in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        if kind == _BEZIERTO:
            pending_bezier += 1
            if pending_bezier < 3:
                continue
            pending_bezier = 0
            op = "c"
        else:
            op = "m" if kind == _MOVETO else "l"
        out.append((op, float(x.value), float(y.value)))
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            out.append(("h", float("nan"), float("nan")))
    return out


def _add_path(obj: Any, m: Matrix, raw: RawPage, doctop: float) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return
    is_stroke, is_fill = bool(stroke.value), fill_mode.value != 0
    if not (is_stroke or is_fill):
        return
    segments = _segments(obj)
    # pdfminer paints each subpath (from an m to the next) on its own
    start = 0
    for k in range(1, len(segments) + 1):
        if k == len(segments) or segments[k][0] == "m":
            _add_subpath(segments[start:k], m, raw, doctop, is_stroke, is_fill)
            start = k


def _add_subpath(
    path: list[tuple[str, float, float]],
    m: Matrix,
    raw: RawPage,
    doctop: float,
    stroke: bool,
    fill: bool,
) -> None:
    if not path or path[0][0] != "m":
        return
    shape = "".join(op for op, _, _ in path)
    first = _apply(m, path[0][1], path[0][2])
    pts = [first if op == "h" else _apply(m, px, py) for op, px, py in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    common = {"stroke": stroke, "fill": fill, "page_number": raw.number}
    if shape in {"mlh", "ml"}:
        (xa, ya), (xb, yb) = pts[0], pts[1]
        raw.lines.append(_boxed("line", xa, ya, xb, yb, raw.height, doctop, pts, common))
    elif shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if closed and square:
            raw.rects.append(_boxed("rect", x0, y0, x2, y2, raw.height, doctop, pts, common))
        else:
            raw.curves.append(_curve(pts, raw.height, doctop, common))
    else:
        raw.curves.append(_curve(pts, raw.height, doctop, common))


def _boxed(
    kind: str,
    xa: float,
    ta: float,
    xb: float,
    tb: float,
    height: float,
    doctop: float,
    pts: list[tuple[float, float]],
    common: dict[str, Any],
) -> Obj:
    """A line or rect in pdfplumber's form; points are already (x, top)."""
    x0, x1 = min(xa, xb), max(xa, xb)
    top, bottom = min(ta, tb), max(ta, tb)
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "y0": height - bottom,
        "y1": height - top,
        "width": x1 - x0,
        "height": bottom - top,
        "doctop": doctop + top,
        "pts": pts,
        **common,
    }


def _curve(
    pts: list[tuple[float, float]], height: float, doctop: float, common: dict[str, Any]
) -> Obj:
    xs = [p[0] for p in pts]
    tops = [p[1] for p in pts]
    curve = _boxed("curve", min(xs), min(tops), max(xs), max(tops), height, doctop, pts, common)
    return curve
