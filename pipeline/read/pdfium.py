"""read.pdfium: ``--engine pdfium``, Chrome's PDF engine through pypdfium2's raw API.

PDFium interprets the content streams in C; with four calls per char into it (text
object, code, origin, loose box: ``_CharReader``) a page is read about 3.5 times faster
than by pdfminer in Python. What it gives per char is turned into the box pdfminer would
compute: from the origin, ``descent`` to ``descent + size`` up and the advance across, in
pdfplumber's coordinates (top-down, pdfminer's rotation of a /Rotate page), so the layout
sees the same geometry from either engine. Where PDFium's text page reads a page
otherwise than pdfminer (a ligature's letters, text objects without ink, space glyphs),
the reader gives what the rendered page shows, which is what pdfminer reads
(docs/pdfium.md). Painted paths are classified as pdfminer does (one segment a line, an
axis-aligned closed quadrilateral a rect, anything else a curve).

Two things come from pdfminer, which has the document open anyway: the opening checks
(encryption, truncation, the page tree; ``read.plumber``, so both engines give the same
one-line reasons) and each font's name and descent, which PDFium only knows for the
font program it substitutes (its descent of Helvetica is not the AFM's). Before PDFium
sees a page, the page's content streams and forms pass the same page budget as under
pdfplumber and its font files the same bounded zlib, so a decompression bomb or a page
of millions of operators is an error, not an abort.

pypdfium2 is not thread-safe: one document per process (the workers are processes).
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2  # type: ignore[import-untyped]  # noqa: F401  (initialises the library)
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import fix_fontname_bytes

from pipeline.errors import InputError
from pipeline.glyphs import Bools, Floats, Glyphs, Ints, floats
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
        ctm = (-1, 0, 0, -1, x1, y1)
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
    told apart by which one maps the char's text. What PDFium measures of a font
    (``_Measures``) is kept for the document, by the font dict's object id."""

    def __init__(self) -> None:
        self.manager = PDFResourceManager(caching=True)
        self.by_objid: dict[int, PDFFont] = {}
        self.measures: dict[int, _Measures] = {}

    def page_fonts(self, resources: Any, streams: list[PDFStream]) -> dict[str, list[_Candidate]]:
        out: dict[str, list[_Candidate]] = {}
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
            out.setdefault(_base_name(name), []).append((objid, font))
        return out


_Candidate = tuple[int, PDFFont]
"""A font of the page's resources: its dict's object id (0 for a direct one), and
pdfminer's font."""


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


def _check_streams(streams: list[PDFStream], checked: set[int], name: str, pageno: int) -> None:
    """Inflate every stream PDFium will inflate through the bounded zlib (and drop the
    data again), each once: a bomb is an error naming the page, never an allocation in C
    that fails by aborting the process. (pdfminer keeps the stream objects it parsed, so
    a stream's ``id`` names it for the life of the document.)"""
    for stream in streams[:_MAX_STREAMS_CHECKED]:
        if id(stream) in checked or stream.data is not None:
            continue
        checked.add(id(stream))
        try:
            stream.decode()
        except plumber.StreamTooLarge as exc:
            raise InputError(name, f"{exc} (decompression bomb?)", page=pageno) from None
        except Exception:  # damage PDFium may well read past; it decides
            pass
        stream.data = None


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
        self.checked: set[int] = set()  # streams inflated once (the bomb check)

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
            # the content streams and forms: inflated, measured and counted (then
            # dropped: PDFium reads them again); the font programs: inflated once
            budgeted = plumber.page_streams(page.page_obj)
            plumber.check_page_budget(budgeted, self.budget, self.name, pageno, keep=False)
            streams: list[PDFStream] = []
            fonts = self.fonts.page_fonts(page.page_obj.resources, streams)
            self.checked.update(map(id, budgeted))
            _check_streams(streams, self.checked, self.name, pageno)
            return _read_page(self.handle, page, pageno, fonts, self.fonts.measures)
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


def _read_page(
    doc: Any,
    page: Any,
    pageno: int,
    fonts: dict[str, list[_Candidate]],
    measures: dict[int, _Measures],
) -> RawPage:
    handle = pdfium_c.FPDF_LoadPage(doc, pageno - 1)
    if not handle:
        raise InputError("", "unreadable page (PDFium cannot load it)")
    try:
        ctm = _device_ctm(page)
        textpage = pdfium_c.FPDFText_LoadPage(handle)
        try:
            reader = _CharReader(textpage, ctm, _PageFonts(fonts, measures))
            chars = reader.chars()
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        raw = RawPage(pageno, float(page.width), float(page.height), int(page.rotation), chars)
        blanks = _paths(handle, ctm, page, raw, reader.ends)
        if blanks:
            raw.chars = reader.with_blanks(chars, blanks)
        return raw
    finally:
        pdfium_c.FPDF_ClosePage(handle)


def _unchecked(binding: Any, restype: Any) -> Any:
    """The C function behind a pypdfium2 binding, called without ctypes' conversion of
    its arguments (pointers go as ``c_void_p``, indices as ``int``): for the calls made
    once per char or text object, the conversion costs more than the call itself."""
    raw = type(binding)(ctypes.cast(binding, ctypes.c_void_p).value)
    raw.restype = restype
    return raw


_OBJECT_AT = _unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_size_t)  # 0: none
_GET_UNICODE = _unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_GET_ORIGIN = _unchecked(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int)
_GET_LOOSE_BOX = _unchecked(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_IS_GENERATED = _unchecked(pdfium_c.FPDFText_IsGenerated, ctypes.c_int)
_GET_MATRIX = _unchecked(pdfium_c.FPDFText_GetMatrix, ctypes.c_int)
_GET_SIZE = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_GET_FONT = _unchecked(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)
_TEXT_INDEX = _unchecked(pdfium_c.FPDFText_GetTextIndexFromCharIndex, ctypes.c_int)


class _Measures:
    """What PDFium measures of one font, per char code: whether the glyph's ink reaches
    the right edge of its loose box (``inked``: then that edge is the ink's, not the
    advance's), and the advances found another way (``widths``)."""

    __slots__ = ("inked", "widths")

    def __init__(self) -> None:
        self.inked: dict[int, bool] = {}
        self.widths: dict[int, float] = {}


class _FontInfo:
    """A PDFium font of the loaded page: pdfminer's name and descent for it, whether its
    loose char boxes run one advance from the origin (``loose``: its ascent and descent
    differ; otherwise PDFium gives the glyph's ink only), and its ``_Measures``."""

    __slots__ = ("descent", "font", "handle", "loose", "measures", "name")

    def __init__(
        self,
        name: str,
        descent: float,
        handle: Any,
        measures: _Measures,
        font: PDFFont | None = None,
    ) -> None:
        self.name = name
        self.descent = descent
        self.handle = handle
        self.measures = measures
        self.font = font  # pdfminer's
        ascent, low = ctypes.c_float(), ctypes.c_float()
        pdfium_c.FPDFFont_GetAscent(handle, ctypes.c_float(1000.0), ascent)
        pdfium_c.FPDFFont_GetDescent(handle, ctypes.c_float(1000.0), low)
        self.loose = ascent.value != low.value


class _PageFonts:
    """The fonts of one loaded page: PDFium's font of a text object matched with
    pdfminer's, once per font; a font with two subsets of one name is matched per text
    object, by the first char it shows. The measures of a font named by one dict of
    the resources are the document's (``_Fonts.measures``); of any other, the page's."""

    def __init__(self, fonts: dict[str, list[_Candidate]], measures: dict[int, _Measures]) -> None:
        self.fonts = fonts
        self.measures = measures
        self.by_handle: dict[int, tuple[str, list[_Candidate]]] = {}
        self.infos: dict[tuple[int, int], _FontInfo] = {}

    def info(self, handle: int, text: str) -> _FontInfo:
        known = self.by_handle.get(handle)
        if known is None:
            font = ctypes.cast(handle, pdfium_c.FPDF_FONT)
            buf = ctypes.create_string_buffer(256)
            n = pdfium_c.FPDFFont_GetBaseFontName(font, buf, 256)
            reported = buf.raw[: max(n - 1, 0)].decode("utf-8", "replace")
            fonts = self.fonts
            candidates = fonts.get(reported) or fonts.get(_base_name(reported)) or []
            known = self.by_handle[handle] = (reported, candidates)
        reported, candidates = known
        chosen = candidates[0] if candidates else None
        if len(candidates) > 1:
            chosen = next((c for c in candidates if _maps(c[1], text)), chosen)
        key = (handle, id(chosen))
        info = self.infos.get(key)
        if info is None:
            objid = chosen[0] if chosen is not None and len(candidates) == 1 else 0
            measures = self.measures.setdefault(objid, _Measures()) if objid else _Measures()
            info = self.infos[key] = _font_info(reported, chosen, handle, measures)
        return info


def _font_info(
    reported: str, chosen: _Candidate | None, handle: int, measures: _Measures
) -> _FontInfo:
    font = ctypes.cast(handle, pdfium_c.FPDF_FONT)
    if chosen is None:  # a font pdfminer did not find in the resources
        desc = ctypes.c_float()
        pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), desc)
        return _FontInfo(reported, float(desc.value), font, measures)
    fontname = chosen[1].fontname
    if isinstance(fontname, bytes):
        fontname = fix_fontname_bytes(fontname)
    return _FontInfo(str(fontname), float(chosen[1].get_descent()), font, measures, chosen[1])


def _maps(font: PDFFont, text: str) -> bool:
    return text in _unicode_values(font)


def _unicode_values(font: PDFFont) -> Any:
    """The texts pdfminer's font maps its glyphs to (its ToUnicode, else its encoding)."""
    umap = getattr(font, "unicode_map", None)
    cid2 = getattr(umap, "cid2unichr", None) if umap is not None else None
    table = cid2 if cid2 else getattr(font, "cid2unicode", None)
    return table.values() if isinstance(table, dict) else ()


class _Style:
    """What the chars of one text object share: the font, the size, the char matrix in
    pdfplumber's coordinates and the offsets of pdfminer's box from the origin."""

    __slots__ = (
        "a",
        "b",
        "bottom_x",
        "bottom_y",
        "flat",
        "info",
        "loose",
        "matrix",
        "own",
        "scale",
        "size",
        "top_first",
        "top_x",
        "top_y",
        "upright",
    )

    def __init__(self, own: Matrix, size: float, ctm: Matrix, info: _FontInfo) -> None:
        a, b, c, d = _mult((own[0], own[1], own[2], own[3], 0.0, 0.0), ctm)[:4]
        descent = info.descent * size
        self.info = info
        self.size = size
        self.own = own
        # text neither turned nor slanted: the loose box's right edge is one advance
        # from the origin (its left edge may be the ink's)
        self.scale = own[0] * size
        self.loose = info.loose and own[1] == 0 and own[2] == 0 and self.scale > 0
        self.a, self.b = a, b
        self.upright = a * -d > 0 and b * c >= 0  # the flip negated b and d
        # pdfminer's char matrix, as pdfplumber gives it (the rotation only: which way a
        # turned char reads is all that is read of it, ``words.upright_frame``)
        self.matrix = (a, -b, c, -d, 0.0, 0.0)
        # pdfminer's box: (0, descent) and (adv, descent + size) in text space
        self.bottom_x, self.bottom_y = c * descent, d * descent
        self.top_x, self.top_y = c * (descent + size), d * (descent + size)
        # set left to right along the page's x: the box's x from the origin and the
        # advance, its y from the origin's alone (``_CharReader.chars``)
        self.flat = b == 0 and self.bottom_x == 0 and self.top_x == 0 and a > 0
        self.top_first = self.top_y < self.bottom_y


class _CharReader:
    """The chars of one text page, with the calls into PDFium made once per char
    (its text object, code, origin and loose box) on preallocated buffers, and those
    made once per text object (font, matrix, size: its ``_Style``) cached."""

    def __init__(self, textpage: Any, ctm: Matrix, fonts: _PageFonts) -> None:
        self.textpage = textpage
        self.tp = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
        self.ctm = ctm
        self.fonts = fonts
        self.styles: dict[int, _Style] = {}  # by text object
        self.shared: dict[tuple[Any, ...], _Style] = {}  # by font, matrix and size
        self.matrix = (ctypes.c_float * 6)()  # FS_MATRIX
        self.matrix_ref = ctypes.c_void_p(ctypes.addressof(self.matrix))
        self.ends: dict[int, int] = {}  # text object -> the index after its last char
        self.ligatures: list[tuple[int, _FontInfo]] = []  # chars of two letters or more

    def style(self, obj: int, i: int, text: str) -> _Style:
        """The text object's style, found from its first char (index ``i``)."""
        style = self.styles.get(obj)
        if style is None:
            handle = _GET_FONT(ctypes.c_void_p(obj)) or 0
            info = self.fonts.info(handle, text)
            _GET_MATRIX(self.tp, i, self.matrix_ref)
            own = tuple(self.matrix)
            size = _GET_SIZE(self.tp, i)
            key = (id(info), *own[:4], size)
            style = self.shared.get(key)
            if style is None:
                style = self.shared[key] = _Style(own, size, self.ctm, info)
            self.styles[obj] = style
        return style

    def chars(self) -> Glyphs:
        """The page's chars in PDFium's order, each with pdfminer's box (``_Style``): its
        x from the origin and the loose box's right edge, one advance further (or, where
        that edge is the ink's, the font's width: ``_fallback_advance``).

        In passes over the page, each a tight loop making one call into PDFium per char
        (a call costs more than the Python around it): every char's text object (which
        tells the chars PDFium generated, and the runs of one object), the origins of the
        chars kept, the loose boxes of those that start a glyph. The Unicode comes with
        the page's text (``_page_text``); the boxes are computed for the page at once
        (``_boxes``)."""
        textpage, tp = self.textpage, self.tp
        n = max(pdfium_c.FPDFText_CountChars(textpage), 0)
        codes, letters = _codes(textpage, tp, n)
        get_object = _OBJECT_AT
        objects = np.fromiter((get_object(tp, i) for i in range(n)), np.uint64, n)
        # a char PDFium generated: a line break or a space (between text objects, with
        # no object; inside one, at a wide gap, with the object). A generated space
        # after a text object's chars is a space glyph it may have dropped
        # (``_real_spaces``)
        made = [
            i
            for i in np.flatnonzero(codes == 0x20).tolist()
            if not objects[i] or _IS_GENERATED(tp, i) == 1
        ]
        shown = objects != 0
        shown[made] = False
        kept = np.flatnonzero(shown)
        if not len(kept):
            return Glyphs.empty()
        # the runs of one text object: their first char's position in ``kept``
        kept_objects = objects[kept]
        starts = np.flatnonzero(np.concatenate(([True], kept_objects[1:] != kept_objects[:-1])))
        run_of = np.cumsum(np.isin(np.arange(len(kept)), starts)) - 1
        xs, ys = _origins(tp, kept.tolist())
        # a second letter of the glyph before (same object, same origin): a ligature
        # PDFium reads as its letters ("ti", U+FB06 as "st"), one char with all of them
        # for pdfminer, so one char here too
        ox, oy = floats(xs), floats(ys)
        heads = np.ones(len(kept), dtype=bool)
        heads[1:] = ~((run_of[1:] == run_of[:-1]) & (ox[1:] == ox[:-1]) & (oy[1:] == oy[:-1]))
        styles: list[_Style] = []
        style_index: dict[int, int] = {}
        run_style: list[int] = []
        for obj, first in zip(kept_objects[starts].tolist(), kept[starts].tolist(), strict=True):
            style = self.style(obj, first, letters[first])
            run_style.append(style_index.setdefault(id(style), len(styles)))
            if run_style[-1] == len(styles):
                styles.append(style)
        head_at = np.flatnonzero(heads)
        head_kept = kept[head_at].tolist()
        texts = [letters[i] for i in head_kept]
        out_of = np.cumsum(heads) - 1  # the glyph each kept char belongs to
        for k in np.flatnonzero(~heads).tolist():
            at = int(out_of[k])
            texts[at] += letters[kept[k]]
            if len(texts[at]) == 2:
                self.ligatures.append((at, styles[run_style[run_of[k]]].info))
        style_of = np.asarray(run_style, dtype=np.int64)[run_of[head_at]]
        ox, oy = ox[head_at], oy[head_at]
        joined = np.zeros(len(head_kept), dtype=bool)  # a ligature: its letters one glyph
        joined[[at for at, _ in self.ligatures]] = True
        advs = self._advances(head_kept, codes[head_kept], joined, ox, oy, style_of, styles)
        # each run's end among the glyphs, and there the spaces PDFium left out
        last_kept = np.append(starts[1:], len(kept)) - 1
        ends = (out_of[last_kept] + 1).tolist()
        suspect = _runs_before(kept, made, starts)
        run_objects = kept_objects[starts].tolist()
        order: list[int] = []  # glyphs, and after a run its spaces put back
        copies: list[int] = []  # where those spaces are in ``order``
        begin = 0
        for r, end in enumerate(ends):
            order.extend(range(begin, end))
            if r in suspect:
                count = _real_spaces(run_objects[r], textpage, "".join(texts[begin:end]))
                copies.extend(range(len(order), len(order) + count))
                order.extend([end - 1] * count)
            self.ends[run_objects[r]] = len(order)
            begin = end
        # (after the spaces: PDFium's text of a text object spells its ligatures)
        for at, font in self.ligatures:
            texts[at] = _as_pdfminer_reads(texts[at], font.font)
        return _boxes(texts, order, copies, ox, oy, advs, style_of, styles, self.ctm)

    def _advances(
        self,
        glyphs: list[int],
        codes: Ints,
        joined: Bools,
        ox: Floats,
        oy: Floats,
        style_of: Ints,
        styles: list[_Style],
    ) -> Floats:
        """Each glyph's advance per unit of size: from its loose box's right edge, one
        advance from the origin, where the font gives loose boxes and the glyph's ink
        does not reach past that edge (measured once per font and code); otherwise the
        font's width (``_fallback_advance``, once per font and code, from its first
        glyph in the page's order). ``glyphs`` are the glyphs' char indices; a ligature
        (``joined``) has the code of its first letter, but not its ink: an "f" whose hook
        reaches past its advance says nothing of the "fi" glyph (its edge was taken for
        ink, and the font's width of "f" gave "fi rst" in pr-138-example.pdf)."""
        textpage = self.textpage
        advs = np.full(len(glyphs), -1.0)
        loose = np.flatnonzero(np.asarray([s.loose for s in styles], dtype=bool)[style_of])
        if len(loose):
            rights = floats(_loose_rights(self.tp, [glyphs[j] for j in loose.tolist()]))
            # whether the ink reaches the right edge: per font (its measures) and code
            fonts: dict[int, _Measures] = {}
            font_of = [fonts.setdefault(id(s.info.measures), s.info.measures) for s in styles]
            number = {id(m): k for k, m in enumerate(fonts.values())}
            font_numbers = np.asarray([number[id(m)] for m in font_of], dtype=np.int64)
            key = (
                (font_numbers[style_of[loose]] << 32)
                | codes[loose]
                | (joined[loose].astype(np.int64) << 31)
            )
            pairs, first, which = np.unique(key, return_index=True, return_inverse=True)
            measures = list(fonts.values())
            ink = []
            for pair, j in zip(pairs.tolist(), first.tolist(), strict=True):
                inked, code = measures[pair >> 32].inked, pair & 0xFFFFFFFF
                if code not in inked:
                    inked[code] = _ink_reaches(textpage, glyphs[loose[j]], float(rights[j]))
                ink.append(inked[code])
            scale = np.asarray([s.scale for s in styles])[style_of[loose]]
            from_box = (rights - ox[loose]) / scale
            advs[loose] = np.where(np.asarray(ink, dtype=bool)[which], -1.0, from_box)
        for j in np.flatnonzero(advs < 0).tolist():
            style = styles[style_of[j]]
            info, code = style.info, int(codes[j])
            widths = info.measures.widths
            adv = widths.get(code, -1.0)
            if adv < 0:
                origin = (float(ox[j]), float(oy[j]))
                adv = widths[code] = _fallback_advance(
                    info.handle, code, textpage, glyphs[j], origin, style.own
                )
            advs[j] = adv
        return advs

    def with_blanks(self, chars: Glyphs, blanks: list[_Blank]) -> Glyphs:
        """The chars with a blank (a space) where each text object PDFium's text page
        leaves out stands: PDFium skips a text object whose glyphs draw no ink (a
        no-break space set in a font subset of its own, between "Saint" and "Paul"),
        pdfminer keeps its glyphs, and the page shows the gap. Only that the text
        breaks there is known, not how wide the gap is: the blank is zero wide, at the
        object's origin, after the chars of the text object drawn before it."""
        out = chars.dicts()
        size = ctypes.c_float()
        for at, obj, own in reversed(blanks):
            handle = _GET_FONT(ctypes.c_void_p(obj)) or 0
            info = self.fonts.info(handle, " ")
            pdfium_c.FPDFTextObj_GetFontSize(ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT), size)
            style = _Style(own, size.value, self.ctm, info)
            px, py = _apply(self.ctm, own[4], own[5])
            x0, y0 = px + style.bottom_x, py + style.bottom_y
            x1, y1 = px + style.top_x, py + style.top_y
            top, bottom = min(y0, y1), max(y0, y1)
            char = {
                "text": " ",
                "fontname": info.name,
                "size": bottom - top,
                "upright": style.upright,
                "x0": min(x0, x1),
                "x1": max(x0, x1),
                "top": top,
                "bottom": bottom,
            }
            if not style.upright:
                char["matrix"] = style.matrix
            out.insert(at, char)
        return Glyphs.from_dicts(out)


_Blank = tuple[int, int, Matrix]
"""A text object left out of PDFium's text page: where it goes among the chars, its
address, and its text matrix in PDF user space."""


_PRESENTATION_FORMS = {
    "ff": ("\ufb00",),
    "fi": ("\ufb01",),
    "fl": ("\ufb02",),
    "ffi": ("\ufb03",),
    "ffl": ("\ufb04",),
    "st": ("\ufb05", "\ufb06"),
}


def _as_pdfminer_reads(letters: str, font: PDFFont | None) -> str:
    """A ligature glyph's text as pdfminer gives it. PDFium spells a Unicode
    presentation form (U+FB00 "ﬀ") as its letters, as it does a glyph the font maps to
    the letters themselves; pdfminer keeps the form, which ``normalise.glyphs`` then
    spells and counts (``ligatures_repaired`` in report.json). Where the font maps a
    glyph to exactly one presentation form of these letters and none to the letters,
    that form is what the page's text holds."""
    forms = _PRESENTATION_FORMS.get(letters)
    if not forms or font is None:
        return letters
    values = _unicode_values(font)
    mapped = [form for form in forms if form in values]
    return mapped[0] if len(mapped) == 1 and letters not in values else letters


def _ink_reaches(textpage: Any, i: int, right: float) -> bool:
    """Whether the char's ink reaches the right edge of its loose box: then that edge is
    the ink's (a slash, an italic f), not one advance from the origin."""
    left, ink, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(
        textpage, i, ctypes.byref(left), ctypes.byref(ink), ctypes.byref(bottom), ctypes.byref(top)
    )
    return abs(right - ink.value) < 1e-4


def _fallback_advance(
    font: Any,
    code: int,
    textpage: Any,
    i: int,
    origin: tuple[float, float],
    own: Matrix,
) -> float:
    """The advance (per unit of font size) of a char whose loose box's edge is not one
    advance from the origin (its ink reaches further, the font has no ascent and
    descent, the text is turned in its own matrix): the loose box where its edge is
    not the ink's, otherwise the font's width for the char. ``own`` is the char's
    matrix."""
    origin_x, origin_y = origin
    a, b = own[0], own[1]
    size = pdfium_c.FPDFText_GetFontSize(textpage, i) or 1.0
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
    if abs(edge - ink) < 1e-4 or abs(a) < abs(b):
        width = ctypes.c_float()
        unicode = ord("-") if code == _HYPHEN_MARK else code
        if pdfium_c.FPDFFont_GetGlyphWidth(font, unicode, ctypes.c_float(1.0), width):
            adv = float(width.value)
    return float(adv)


def _object_text(address: int, textpage: Any) -> str:
    obj = ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)
    n = pdfium_c.FPDFTextObj_GetText(obj, textpage, None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    pdfium_c.FPDFTextObj_GetText(
        obj, textpage, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n
    )
    return buf.raw[: n - 2].decode("utf-16-le", "replace")


def _real_spaces(obj: int, textpage: Any, shown: str) -> int:
    """How many space glyphs the text object's string ends with that PDFium left out of
    its chars (``shown``, their texts).

    Where a string ends with a space glyph (Chromium draws "n " as one string), PDFium
    drops the glyph from the text page and puts a space of its own ("generated", with no
    text object) in the gap; pdfminer keeps the glyph. A space only ends a word, so it is
    put back after the object's last char (zero wide, ``_copy_last``). Spaces inside a
    string are not touched: there the object's text also holds PDFium's own spaces at
    wide gaps, which pdfminer does not see."""
    text = _object_text(obj, textpage)
    if not shown or not text.startswith(shown) or text == shown or text[len(shown) :].strip():
        return 0
    return len(text) - len(shown)


def _codes(textpage: Any, tp: Any, n: int) -> tuple[Ints, list[str]]:
    """Each char's Unicode and its text: a line-end hyphen PDFium marks 0x02 is "-", a
    char without Unicode has no text."""
    page_text = _page_text(textpage, tp, n)
    if page_text is None:
        codes = np.asarray([_GET_UNICODE(tp, i) for i in range(n)], dtype=np.int64)
        odd = list(range(n))
        letters = [""] * n
    else:
        points = page_text.encode("utf-32-le", "surrogatepass")
        codes = np.frombuffer(points, dtype=np.uint32).astype(np.int64)
        # U+FFFE: PDFium's text for a char without Unicode or a line-end hyphen
        odd = np.flatnonzero(codes == 0xFFFE).tolist()
        codes[odd] = [_GET_UNICODE(tp, i) for i in odd]
        letters = list(page_text)
    for i in odd:
        code = int(codes[i])
        letters[i] = "-" if code == _HYPHEN_MARK else chr(code) if code else ""
    return codes, letters


def _origins(tp: Any, chars: list[int]) -> tuple[list[float], list[float]]:
    """The origin of each of ``chars`` (indices), a call each."""
    origin = (ctypes.c_double * 2)()
    ox_ref = ctypes.c_void_p(ctypes.addressof(origin))
    oy_ref = ctypes.c_void_p(ctypes.addressof(origin) + ctypes.sizeof(ctypes.c_double))
    get_origin = _GET_ORIGIN
    xs: list[float] = []
    ys: list[float] = []
    append_x, append_y = xs.append, ys.append
    for i in chars:
        get_origin(tp, i, ox_ref, oy_ref)
        append_x(origin[0])
        append_y(origin[1])
    return xs, ys


def _loose_rights(tp: Any, chars: list[int]) -> list[float]:
    """The right edge of the loose box of each of ``chars`` (indices), a call each."""
    box = (ctypes.c_float * 4)()  # FS_RECTF: left, top, right, bottom
    box_ref = ctypes.c_void_p(ctypes.addressof(box))
    get_loose_box = _GET_LOOSE_BOX
    rights: list[float] = []
    append = rights.append
    for i in chars:
        get_loose_box(tp, i, box_ref)
        append(box[2])
    return rights


def _runs_before(kept: Ints, made: list[int], starts: Ints) -> set[int]:
    """The runs (by their place in ``starts``) followed by a space PDFium generated,
    before the next run starts (``made``: where those spaces are among all chars)."""
    last = np.searchsorted(kept, made, side="left") - 1  # the last char kept before
    runs = np.searchsorted(starts, last[last >= 0], side="right") - 1
    return set(runs.tolist())


def _page_text(textpage: Any, tp: Any, n: int) -> str | None:
    """The Unicode of the page's ``n`` chars in one call (``FPDFText_GetText``), one
    letter per char, or None where the page's text is not one letter per char (a char
    PDFium gives no text, such as a control char, shifts the rest).

    PDFium's text holds each char's Unicode but for a char without one and a line-end
    hyphen, which it writes as U+FFFE (``FPDFText_GetUnicode`` then tells which). A
    char with no text at all is seen by the index of the last char's text: it is the
    last char's own index only when every char has one."""
    if n == 0:
        return ""
    if _TEXT_INDEX(tp, n - 1) != n - 1:
        return None
    units = 2 * n + 2  # a char may take two UTF-16 units; and the terminating NUL
    buf = (ctypes.c_ushort * units)()
    written = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
    if written <= 0 or written > units:
        return None
    text = bytes(buf)[: 2 * (written - 1)].decode("utf-16-le", "surrogatepass")
    return text if len(text) == n else None


def _boxes(
    texts: list[str],
    order: list[int],
    copies: list[int],
    ox: Floats,
    oy: Floats,
    advs: Floats,
    style_of: Ints,
    styles: list[_Style],
    ctm: Matrix,
) -> Glyphs:
    """pdfminer's box of every glyph, from its origin, advance and style, for the whole
    page at once: from the origin, ``descent`` to ``descent + size`` up (along the
    char matrix) and one advance across, in pdfplumber's coordinates. Each value is
    computed term for term in the order a char at a time would (numpy's float64
    arithmetic is Python's), so the boxes are the same to the last bit. The chars are
    the glyphs in ``order``; a space put back (at ``copies``) is a copy of the glyph
    before it, a blank from its right edge, zero wide."""
    if not texts:
        return Glyphs.empty()
    ca, cb, cc, cd, ce, cf = ctm
    level = cb == 0 and cc == 0 and ca > 0  # a page without /Rotate

    def per_style(values: list[Any], dtype: Any = np.float64) -> Any:
        return np.asarray(values, dtype=dtype)[style_of]

    a, b = per_style([s.a for s in styles]), per_style([s.b for s in styles])
    size = per_style([s.size for s in styles])
    bottom_x = per_style([s.bottom_x for s in styles])
    bottom_y = per_style([s.bottom_y for s in styles])
    top_x, top_y = per_style([s.top_x for s in styles]), per_style([s.top_y for s in styles])
    flat = per_style([level and s.flat for s in styles], np.bool_)
    top_first = per_style([s.top_first for s in styles], np.bool_)
    upright = per_style([s.upright for s in styles], np.bool_)
    matrix_b = per_style([np.nan if s.upright else s.matrix[1] for s in styles])
    names: dict[str, int] = {}
    font = per_style([names.setdefault(s.info.name, len(names)) for s in styles], np.int64)
    across = a * advs * size
    # set left to right along the page's x: x from the origin and the advance, y from
    # the origin's alone
    left = ca * ox + ce
    flat_right = left + across
    py = cd * oy + cf
    flat_top = np.where(top_first, py + top_y, py + bottom_y)
    flat_bottom = np.where(top_first, py + bottom_y, py + top_y)
    # any other: both corners through the char matrix; pdfplumber's y grows downwards
    # (``ctm`` flipped it), so top is the smaller y
    px = ca * ox + cc * oy + ce
    py = cb * ox + cd * oy + cf
    x0, y0 = px + bottom_x, py + bottom_y
    x1 = px + across + top_x
    y1 = py + b * advs * size + top_y
    lower = y0 < y1
    top = np.where(flat, flat_top, np.where(lower, y0, y1))
    bottom = np.where(flat, flat_bottom, np.where(lower, y1, y0))
    lefter = x0 < x1
    x_left = np.where(flat, left, np.where(lefter, x0, x1))
    x_right = np.where(flat, flat_right, np.where(lefter, x1, x0))
    at = np.asarray(order, dtype=np.int64)
    x_left, x_right, top, bottom = x_left[at], x_right[at], top[at], bottom[at]
    chars = [texts[i] for i in order]
    for c in copies:
        chars[c] = " "
    x_left[copies] = x_right[copies]
    return Glyphs(
        text=chars,
        x0=x_left,
        x1=x_right,
        top=top,
        bottom=bottom,
        size=bottom - top,
        upright=upright[at],
        font=font[at],
        fontnames=list(names),
        matrix_b=matrix_b[at],
    )


_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_BLANK_WIDTH = 0.01  # PDFium leaves out a text object narrower than this (kSizeEpsilon)


def _paths(
    page_handle: Any, ctm: Matrix, page: Any, raw: RawPage, ends: dict[int, int]
) -> list[_Blank]:
    """Every painted path of the page (forms included), as pdfplumber's lines, rects and
    curves; images are counted. Returns the text objects PDFium's text page left out
    for drawing no ink (``_CharReader.with_blanks``), placed after the chars of the text
    object drawn before each (``ends``)."""
    # (object, its form's matrix to the device, the form's own in user space, depth)
    stack: list[tuple[Any, Matrix, Matrix, int]] = []
    count = pdfium_c.FPDFPage_CountObjects(page_handle)
    stack.extend(
        (pdfium_c.FPDFPage_GetObject(page_handle, k), ctm, _IDENTITY, 0) for k in range(count)
    )
    stack.reverse()
    fs = pdfium_c.FS_MATRIX()
    doctop_adj = float(page.initial_doctop)
    blanks: list[_Blank] = []
    last_end = 0
    while stack:
        obj, outer, form, depth = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _IMAGE:
            raw.images += 1
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs))
            own = (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)
            inner, inner_form = _mult(own, outer), _mult(own, form)
            n = pdfium_c.FPDFFormObj_CountObjects(obj)
            children = [
                (pdfium_c.FPDFFormObj_GetObject(obj, k), inner, inner_form, depth + 1)
                for k in range(n)
            ]
            stack.extend(reversed(children))
        elif kind == _PATH:
            pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs))
            m = _mult((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), outer)
            _add_path(obj, m, raw, doctop_adj)
        elif kind == _TEXT:
            address = ctypes.cast(obj, ctypes.c_void_p).value or 0
            end = ends.get(address)
            if end is not None:
                last_end = end
            elif _draws_no_ink(obj):
                pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs))
                own = _mult((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), form)
                blanks.append((last_end, address, own))
    return blanks


def _draws_no_ink(obj: Any) -> bool:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return False
    return abs(right.value - left.value) < _BLANK_WIDTH


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
