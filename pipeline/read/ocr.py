"""read.ocr: a scanned page read by Tesseract, given to the layout as a text PDF's page.

A page without a text layer (``--ocr auto``, the default) or every page (``--ocr always``)
is rendered by PDFium (pypdfium2, which pdfplumber already depends on) at 300 dpi in
greyscale, levelled (``scan_image.skew_angle``), its ruling lines found and painted out
(``scan_image.ruling_segments``), and read by Tesseract through pytesseract: word boxes
with a confidence each (its TSV output), in English, French and Spanish at once. A page
read with doubt is asked Tesseract's orientation detection, and read again turned
upright when it was fed in at 90 or 180 degrees. A page in French or Spanish is read a
second time in its own language alone, for the accents the first reading lost
(``with_marks_of``); and every dash is told by its length in the image
(``measured_dashes``), since Tesseract's models have no en dash.

The result is the same ``RawPage`` a text PDF gives, so everything after reading (words,
rules, header, columns, rows, page stitching, split-row repair) is the same code:

* each word becomes chars spread evenly over its box, a space between two words of a
  line, so that the one word builder (``words.build_words``) finds Tesseract's
  words again and still cuts a word a ruling line crosses;
* the words of a Tesseract line share one baseline and one type size, measured from the
  ink (capitals and ascenders rise 0.72 of the size above the baseline, a descender
  drops 0.21 below it), and take a text PDF's char box: ``size`` tall, its bottom a
  descender below the baseline. A text PDF's words on one line have one top and bottom
  whatever their letters; OCR ink boxes do not ("on" is shorter than "Migration"), and
  the layout measures rows and gaps in line heights;
* the ruling lines found in the image are the page's ``lines``, as a vector rule is;
* no font is known: ``fontname`` is ``OCR``, or ``OCR-Italic`` for a word whose strokes
  lean right (``scan_image.italic``: the slant is in the image, the font is not).

Tesseract runs one thread per worker process (``OMP_THREAD_LIMIT=1``): pages are spread
over the workers instead (``pipeline.parallel``, one page per task).
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import math
import os
import statistics
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from pipeline.errors import InputError
from pipeline.glyphs import Glyphs
from pipeline.model import OcrStats
from pipeline.normalise.detect import detect_language
from pipeline.normalise.languages import LANGUAGES as PAGE_LANGUAGES
from pipeline.normalise.languages import Language
from pipeline.read import Obj, RawPage
from pipeline.read.scan_image import (
    Segment,
    dark_pixels,
    dash_lengths,
    italic,
    ruling_segments,
    skew_angle,
    without_rules,
    without_specks,
)

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "always", "never")
LANGUAGES = "eng+fra+spa"
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-spa"
FONTNAME = "OCR"
ITALIC_FONTNAME = "OCR-Italic"  # a word whose strokes lean right (``scan_image.italic``)

MIN_RULE_INCHES = 0.4  # a run of ink this long is a ruling line (letters are far shorter)
MAX_PIXELS = 40_000_000  # a page is rendered at most this large (A3 at 300 dpi: 17 M)
SPECK = 1.0  # pt: a "word" of no letter or digit smaller than this every way is a speck
CAP_HEIGHT = 0.72  # of the type size: capitals, ascenders and digits above the baseline
X_HEIGHT = 0.52
DESCENT = 0.21  # a char box's bottom lies this far below the baseline
WORD_GAP = 0.2  # of the size: the least space between two words Tesseract tells apart
MIN_LETTER = 0.2  # of the size: the least width a letter is given
DOUBTFUL = 75.0  # a page read with less mean confidence may have been fed in turned
SURE_TURN = 5.0  # Tesseract's orientation confidence from which a page is turned
PAGE_LAYOUT = 3  # Tesseract's --psm: find the page's blocks and lines, then read them
SPARSE_TEXT = 11  # --psm: every piece of text on its own, no blocks, no lines
SAME_WORD = 0.5  # boxes of two readings overlapping this much (of their union): one word
EN_DASH = 0.4  # of the type size: a dash at least this long is an en dash (hyphen 0.25)
EM_DASH = 0.8  # an em dash (en dash 0.55)
DASHES = "-\u2013\u2014"  # hyphen-minus, en dash, em dash
_TOUCH = 0.01  # pt: touching words, the space char between them kept in order


@dataclass(frozen=True)
class OcrSettings:
    """When pages are OCR'd, in which languages, at what resolution."""

    mode: OcrMode = "auto"
    languages: str = LANGUAGES
    dpi: int = 300

    def __post_init__(self) -> None:
        if self.mode not in OCR_MODES:
            raise ValueError(f"OCR mode must be one of {', '.join(OCR_MODES)}")
        if not 72 <= self.dpi <= 600:
            raise ValueError("OCR resolution must be between 72 and 600 dpi")

    def wants(self, raw: RawPage) -> bool:
        """Whether this page is to be OCR'd: in ``auto`` mode, a page with an image and no
        text layer (a scan, a fax); in ``always`` mode every page."""
        if self.mode == "never":
            return False
        if self.mode == "always":
            return True
        return raw.images > 0 and bool(raw.chars.blank.all())


# --------------------------------------------------------------------------- Tesseract


def _pytesseract() -> Any:
    import pytesseract  # type: ignore[import-untyped]

    return pytesseract


@functools.cache
def _available_languages() -> frozenset[str] | None:
    """The language data Tesseract has here; None when Tesseract itself is missing."""
    tess = _pytesseract()
    try:
        return frozenset(tess.get_languages(config=""))
    except (tess.TesseractNotFoundError, OSError):
        return None


@functools.cache
def tesseract_version() -> str:
    """Tesseract's version (part of the cache key: another Tesseract reads differently),
    or "" where it is not installed."""
    tess = _pytesseract()
    try:
        return str(tess.get_tesseract_version())
    except (tess.TesseractNotFoundError, OSError):
        return ""


def check_tesseract(name: str, languages: str, page: int | None = None) -> None:
    """Raise the one-line reason a scanned input cannot be read here: Tesseract, or the
    language data asked for, is not installed."""
    available = _available_languages()
    if available is None:
        raise InputError(
            name, f"scanned pages need Tesseract OCR, which is not installed ({INSTALL})", page
        )
    missing = [lang for lang in languages.split("+") if lang not in available]
    if missing:
        raise InputError(
            name,
            f"Tesseract lacks the language data {', '.join(missing)} ({INSTALL})",
            page,
        )


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Tesseract's own OpenMP threads off: the pipeline runs pages in parallel instead,
    and on a busy machine OpenMP's threads only slow each other down."""
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old


def tesseract_words(
    image: Any, languages: str, dpi: int, psm: int = PAGE_LAYOUT
) -> dict[str, list[Any]]:
    """Tesseract's TSV output as columns (``level``, ``block_num``, ``par_num``,
    ``line_num``, ``left``, ``top``, ``width``, ``height``, ``conf``, ``text``)."""
    tess = _pytesseract()
    # pytesseract hands Tesseract the image through a file in this format: PNG by
    # default, whose compression took a third of a second a page; PPM (a greyscale
    # image: PGM) is written as is
    image.format = "PPM"
    with _one_thread():
        data: dict[str, list[Any]] = tess.image_to_data(
            image,
            lang=languages,
            config=f"--psm {psm} --dpi {dpi}",
            output_type=tess.Output.DICT,
        )
    return data


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class OcrWord:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float
    line: tuple[int, int, int]
    italic: bool = False


def ocr_words(
    data: dict[str, list[Any]], scale: float, ink: npt.NDArray[np.bool_] | None = None
) -> list[OcrWord]:
    """Tesseract's words in page points (``scale``: points per pixel), specks left out: a
    "word" of no letter or digit smaller than a point every way is dust on the glass (a
    hyphen or a dash is wider, and may well be read with little confidence). With the
    page's ``ink``, each word's slant says whether it is set in italics."""
    words: list[OcrWord] = []
    for i, text in enumerate(data["text"]):
        text = str(text).strip()
        conf = float(data["conf"][i])
        if int(data["level"][i]) != 5 or not text or conf < 0:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        width, height = float(data["width"][i]), float(data["height"][i])
        if not any(ch.isalnum() for ch in text) and max(width, height) * scale < SPECK:
            continue
        line = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        box = (int(left), int(top), int(left + width), int(top + height))
        slanted = ink is not None and italic(ink, box)
        words.append(
            OcrWord(
                text,
                left * scale,
                top * scale,
                (left + width) * scale,
                (top + height) * scale,
                conf,
                line,
                slanted,
            )
        )
    return words


_DESCENDERS = frozenset("gjpqy,;()[]{}|/Qç")
_TALL = frozenset("bdfhiklt0123456789%&#@?!")
_TALLER = frozenset("()[]{}|/\\")  # rise above the capitals and drop below the baseline


def _tall(text: str) -> bool:
    """The word's ink rises a cap height: a capital, an ascender or a digit, and no
    bracket or slash (which rise higher)."""
    if _TALLER & set(text):
        return False
    return bool(_TALL & set(text)) or any(c.isupper() for c in text)


def _baseline_and_size(words: Sequence[OcrWord]) -> tuple[float, float]:
    """A line's baseline and type size from its words' ink: words without a descender
    end at the baseline; words with a capital, an ascender or a digit rise
    ``CAP_HEIGHT`` sizes above it (x-height words only ``X_HEIGHT``)."""
    flat = [w.bottom for w in words if not _DESCENDERS & set(w.text)]
    ink_height = max(w.bottom for w in words) - min(w.top for w in words)
    if flat:
        baseline = statistics.median(flat)
    else:
        baseline = max(w.bottom for w in words) - DESCENT / (CAP_HEIGHT + DESCENT) * ink_height
    tall = [baseline - w.top for w in words if _tall(w.text)]
    if tall:
        size = statistics.median(tall) / CAP_HEIGHT
    else:
        size = statistics.median(baseline - w.top for w in words) / X_HEIGHT
    if not math.isfinite(size) or size <= 0:
        size = ink_height
    return baseline, size


def chars_of_words(words: Sequence[OcrWord]) -> list[Obj]:
    """The chars of the page's words, a line at a time: each word's letters spread evenly
    over its box, a space between two words, every char of a line on one baseline with
    one size (a text PDF's char boxes), no font known.

    Tesseract's boxes of two words of a line may overlap ("commitments" over "for", "et"
    over "9"): then the next word's start ends a word, a narrow word space (``WORD_GAP``
    sizes) before it, so that letters never interleave and the layout, which glues
    touching words, keeps the two apart. Words whose boxes only touch keep touching: the
    ink is one string there, which Tesseract cut ("https:" "//www.iom.int")."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    chars: list[Obj] = []
    for line_words in lines.values():
        line_words = sorted(line_words, key=lambda w: w.x0)
        baseline, size = _baseline_and_size(line_words)
        bottom = baseline + DESCENT * size
        top = bottom - size
        gap = WORD_GAP * size
        cursor = float("-inf")
        for k, w in enumerate(line_words):
            nxt = line_words[k + 1] if k + 1 < len(line_words) else None
            overlap = nxt is not None and nxt.x0 < w.x1
            x0 = max(w.x0, cursor)
            x1 = nxt.x0 - gap if nxt is not None and overlap else w.x1
            x1 = max(x1, x0 + MIN_LETTER * size * len(w.text))
            step = (x1 - x0) / len(w.text)
            font = ITALIC_FONTNAME if w.italic else FONTNAME
            for i, letter in enumerate(w.text):
                left = x0 + i * step
                chars.append(_char(letter, left, left + step, top, bottom, size, font))
            # words whose ink touches stay touching ("https:" "//www..." is one URL)
            cursor = x1 + (gap if overlap else _TOUCH)
            if nxt is not None:
                chars.append(_char(" ", x1, max(cursor, nxt.x0), top, bottom, size, FONTNAME))
    return chars


def _char(
    text: str, x0: float, x1: float, top: float, bottom: float, size: float, font: str
) -> Obj:
    return {
        "text": text,
        "fontname": font,
        "size": size,
        "upright": True,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "object_type": "char",
    }


# --------------------------------------------------------------------------- accents, dashes


def page_language(words: Sequence[OcrWord]) -> Language | None:
    """The language a page is written in, by its words (``normalise.detect``), or None
    when it is too short or too mixed to tell."""
    code = detect_language(w.text for w in words)
    return next((lang for lang in PAGE_LANGUAGES if lang.code == code), None)


def adds_marks(plain: str, marked: str) -> bool:
    """Whether ``marked`` is ``plain`` with accents added and nothing else changed:
    "Etats" -> "États", "a" -> "à"; not "Genéve" -> "Genève" (another accent), nor a
    changed letter."""
    if plain == marked or len(plain) != len(marked):
        return False
    for p, m in zip(plain, marked, strict=True):
        if p != m:
            base = unicodedata.normalize("NFD", m)
            if base[0] != p or len(base) < 2:
                return False
    return True


def with_marks_of(words: Sequence[OcrWord], second: Sequence[OcrWord]) -> list[OcrWord]:
    """The page's words, each with the accents a second reading of the same pixels (in
    the page's own language) saw on it: a word of ``second`` whose box is the word's
    (``SAME_WORD``) and whose text is the word's with accents added (``adds_marks``)
    gives its text.

    Why: in the three-language reading, a capital's accent is lost. The English model
    has no "É" at all (nor "À", "Ç"...), and Tesseract keeps its reading of a French word
    where it is surer of it (an "É" lost 10 times on the French scan, in "États-Unis",
    "États", "Égypte", "Échange"; "à" read "a" twice); and on the second line of a cell,
    Tesseract's line finder gives the accent above a capital to the line above
    ("États-Unis" under "Washington D. C.,"), so that even the French model, reading the
    line, never sees it. The French model
    alone, reading every piece of text without lines (``SPARSE_TEXT``), sees them. It
    reads other things worse (a date "3-4" as "8-4", "Asunción" as "Asunciôn"), so only
    the accents it adds are taken, nothing it would change or take away: no dictionary
    decides, the second reading's model saw the mark in the image."""
    by_middle = sorted(second, key=lambda o: (o.top + o.bottom) / 2)
    middles = [(o.top + o.bottom) / 2 for o in by_middle]
    out: list[OcrWord] = []
    for w in words:
        lo, hi = bisect.bisect_left(middles, w.top), bisect.bisect_right(middles, w.bottom)
        same = [o for o in by_middle[lo:hi] if _overlap(w, o) >= SAME_WORD]
        marked = next((o.text for o in same if adds_marks(w.text, o.text)), None)
        out.append(dataclasses.replace(w, text=marked) if marked else w)
    return out


def _overlap(a: OcrWord, b: OcrWord) -> float:
    """Intersection over union of two words' boxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    if w <= 0 or h <= 0:
        return 0.0
    area = (a.x1 - a.x0) * (a.bottom - a.top) + (b.x1 - b.x0) * (b.bottom - b.top)
    return w * h / (area - w * h)


def dash_of_length(length: float) -> str:
    """The dash a bar of this length (in type sizes) is: hyphen, en dash or em dash."""
    if length < EN_DASH:
        return "-"
    return "\u2013" if length < EM_DASH else "\u2014"


def measured_dashes(
    words: Sequence[OcrWord], ink: npt.NDArray[np.bool_], scale: float
) -> list[OcrWord]:
    """The page's words, each dash told by its length in the image
    (``scan_image.dash_lengths``): Tesseract's English, French and Spanish models have
    a hyphen and an em dash but no en dash, and read "2–3 août" as "2-3 août". A word
    whose dashes the ink does not show one for one (a slash or a letter taken for a
    dash, a dash lost) is left as Tesseract read it."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    measured: dict[int, OcrWord] = {}
    for line_words in lines.values():
        baseline, size = _baseline_and_size(line_words)
        for w in line_words:
            wanted = sum(ch in DASHES for ch in w.text)
            if not wanted:
                continue
            lengths = dash_lengths(
                ink, (w.x0 / scale, w.x1 / scale), baseline / scale, size / scale
            )
            if len(lengths) != wanted:
                continue
            told = iter(dash_of_length(length) for length in lengths)
            text = "".join(next(told) if ch in DASHES else ch for ch in w.text)
            measured[id(w)] = dataclasses.replace(w, text=text)
    return [measured.get(id(w), w) for w in words]


def rule_objects(segments: Sequence[Segment], scale: float) -> list[Obj]:
    """The ruling lines found in the image as the line objects a text PDF's rules are."""
    out: list[Obj] = []
    for s in segments:
        x0, x1 = sorted((s.x0 * scale, s.x1 * scale))
        top, bottom = sorted((s.y0 * scale, s.y1 * scale))
        out.append(
            {
                "object_type": "line",
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": x1 - x0,
                "height": bottom - top,
                "stroke": True,
                "linewidth": 0.5,
            }
        )
    return out


# --------------------------------------------------------------------------- pages


class PageScanner:
    """Reads pages of one PDF by OCR; PDFium opens the file once, on the first page
    asked for."""

    def __init__(self, path: Path, password: str | None, settings: OcrSettings) -> None:
        self.path = path
        self.password = password
        self.settings = settings
        self._pdf: Any = None

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def _render(self, pageno: int, width: float) -> tuple[Any, float]:
        """The page in greyscale at the settings' resolution (less for a huge page), and
        the points per pixel."""
        import pypdfium2  # type: ignore[import-untyped]

        if self._pdf is None:
            self._pdf = pypdfium2.PdfDocument(str(self.path), password=self.password)
        page = self._pdf[pageno - 1]
        try:
            w, h = page.get_size()
            scale = self.settings.dpi / 72
            scale = min(scale, math.sqrt(MAX_PIXELS / max(w * h, 1.0)))
            image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        finally:
            page.close()
        return image, width / image.width

    def read(self, raw: RawPage, name: str) -> RawPage:
        """The page as Tesseract reads it: chars, and the ruling lines of the image. A
        page read with doubt (``DOUBTFUL`` mean confidence) is asked Tesseract's
        orientation detection, and read again turned upright when it was fed in at 90
        or 180 degrees; the better reading is kept."""
        check_tesseract(name, self.settings.languages, raw.number)
        try:
            image, scale = self._render(raw.number, raw.width)
        except Exception as exc:
            raise InputError(name, f"cannot render the page for OCR ({exc})", raw.number) from None
        width, height, turned_by = raw.width, raw.height, 0
        reading = self._read_image(image, scale, name, raw.number)
        if reading.mean_confidence < DOUBTFUL:
            turn = upright_turn(image)
            if turn:
                turned = self._read_image(image.rotate(-turn, expand=True), scale, name, raw.number)
                if turned.mean_confidence > reading.mean_confidence:
                    reading, turned_by = turned, turn
                    if turn in (90, 270):
                        width, height = height, width
        words = reading.words
        return RawPage(
            number=raw.number,
            width=width,
            height=height,
            rotation=raw.rotation,
            chars=Glyphs.from_dicts(chars_of_words(words)),
            lines=rule_objects(reading.segments, scale),
            images=raw.images,
            ocr=OcrStats(
                words=len(words),
                confidence=sum(w.conf for w in words),
                skew=reading.skew,
                turn=turned_by,
            ),
        )

    def _read_image(self, image: Any, scale: float, name: str, pageno: int) -> _Reading:
        """Level the image, find and paint out its rules and specks, and read it."""
        from PIL import Image

        gray = np.asarray(image)
        angle = skew_angle(dark_pixels(gray))
        if angle:
            image = image.rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            gray = np.asarray(image)
        dpi = round(72 / scale)
        dark = dark_pixels(gray)
        segments, rules = ruling_segments(dark, round(MIN_RULE_INCHES * dpi))
        clean = without_specks(without_rules(gray, rules), dark & ~rules, dpi / 72)
        page = Image.fromarray(clean)
        ink = dark_pixels(clean)
        words = ocr_words(
            self._tesseract(page, self.settings.languages, dpi, name, pageno), scale, ink
        )
        language = page_language(words)
        if language is not None and language.accented:
            words = self._with_accents(page, words, language, scale, name, pageno)
        return _Reading(measured_dashes(words, ink, scale), segments, angle)

    def _with_accents(
        self,
        image: Any,
        words: list[OcrWord],
        language: Language,
        scale: float,
        name: str,
        pageno: int,
    ) -> list[OcrWord]:
        """The words with the accents that the page's own language's model, reading the
        page again as sparse text, saw on them (``with_marks_of``); as they are where
        that model is not among the languages asked for."""
        if language.tesseract not in self.settings.languages.split("+"):
            return words
        data = self._tesseract(
            image, language.tesseract, round(72 / scale), name, pageno, SPARSE_TEXT
        )
        return with_marks_of(words, ocr_words(data, scale))

    @staticmethod
    def _tesseract(
        image: Any, languages: str, dpi: int, name: str, pageno: int, psm: int = PAGE_LAYOUT
    ) -> dict[str, list[Any]]:
        """``tesseract_words``, its failure the input's one-line reason."""
        try:
            return tesseract_words(image, languages, dpi, psm)
        except Exception as exc:  # pytesseract's TesseractError: Tesseract's own message
            reason = str(exc).strip().splitlines()[-1][:120] if str(exc).strip() else type(exc)
            raise InputError(name, f"Tesseract failed ({reason})", pageno) from None


@dataclass(frozen=True)
class _Reading:
    """One reading of a page image: Tesseract's words, the rules found, the tilt."""

    words: list[OcrWord]
    segments: list[Segment]
    skew: float

    @property
    def mean_confidence(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0


def upright_turn(image: Any) -> int:
    """Degrees (clockwise) that turn the page upright, by Tesseract's orientation and
    script detection (``--psm 0``, the ``osd`` data of the tesseract-ocr package); 0
    when it cannot tell (too little text, or too unsure: a page fed in turned scores 15
    and more, a blurred fax's guess 1) or the page is upright."""
    tess = _pytesseract()
    image.format = "PPM"  # as in tesseract_words
    try:
        with _one_thread():
            found = tess.image_to_osd(image, output_type=tess.Output.DICT)
    except Exception:  # "Too few characters", no osd data: leave the page as it is
        return 0
    turn = int(found.get("rotate", 0)) % 360
    if float(found.get("orientation_conf", 0.0)) < SURE_TURN:
        return 0
    return turn if turn in (90, 180, 270) else 0
