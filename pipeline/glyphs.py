"""glyphs: a page's chars as columns (one numpy array per attribute), not a dict per char.

A long release has about 900,000 chars and every step between reading a page and its
words (turning it upright, footnote markers, the character count, overprint, word
building) looks at each of them. Done a dict at a time, those steps cost more than
PDFium takes to read the page; on columns they are a few array operations per page,
and only the words (seven times fewer than chars) become dicts for the layout.

Every reader gives its chars as ``Glyphs`` (``read.RawPage.chars``): PDFium's reader
fills the columns directly, pdfplumber's from pdfminer's LTChar, OCR's from its dicts
(``from_dicts``). ``dicts`` gives them back one dict per char (tests, debugging).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

Obj = dict[str, Any]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


def floats(values: Sequence[float] | Floats) -> Floats:
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Glyphs:
    """The chars of one page in content-stream order, as columns: ``text`` (one str a
    char; a ligature glyph's may be several letters, a glyph without Unicode's empty),
    ``x0``, ``x1``, ``top``, ``bottom`` (pdfplumber's page coordinates, top down),
    ``size``, ``upright`` (set left to right along the page's x), ``font`` (an index
    into ``fontnames``) and ``matrix_b`` (the b of the char's matrix, which says which
    way a turned char reads; NaN where the reader gives no matrix)."""

    text: list[str]
    x0: Floats
    x1: Floats
    top: Floats
    bottom: Floats
    size: Floats
    upright: Bools
    font: Ints
    fontnames: list[str]
    matrix_b: Floats = field(default_factory=lambda: np.empty(0))

    def __post_init__(self) -> None:
        if len(self.matrix_b) != len(self.text):
            object.__setattr__(self, "matrix_b", np.full(len(self.text), np.nan))

    def __len__(self) -> int:
        return len(self.text)

    @classmethod
    def empty(cls) -> Glyphs:
        return cls.from_dicts([])

    @classmethod
    def from_dicts(cls, chars: Sequence[Obj]) -> Glyphs:
        """Chars in pdfplumber's dict form (``text``, ``x0``, ``x1``, ``top``, ``bottom``;
        ``size``, ``fontname``, ``upright`` and ``matrix`` where known)."""
        ids: dict[str, int] = {}
        n = len(chars)

        def column(key: str) -> Floats:
            return np.fromiter((c[key] for c in chars), np.float64, n)

        return cls(
            text=[c["text"] for c in chars],
            x0=column("x0"),
            x1=column("x1"),
            top=column("top"),
            bottom=column("bottom"),
            size=np.fromiter((c.get("size") or 0.0 for c in chars), np.float64, n),
            upright=np.fromiter((c.get("upright", True) for c in chars), np.bool_, n),
            font=np.fromiter(
                (ids.setdefault(c.get("fontname", ""), len(ids)) for c in chars), np.int64, n
            ),
            fontnames=list(ids),
            matrix_b=np.fromiter(
                (c["matrix"][1] if c.get("matrix") is not None else np.nan for c in chars),
                np.float64,
                n,
            ),
        )

    def dicts(self) -> list[Obj]:
        """One dict per char, pdfplumber's keys (``matrix`` holds only its b)."""
        columns = zip(
            self.text,
            self.x0.tolist(),
            self.x1.tolist(),
            self.top.tolist(),
            self.bottom.tolist(),
            self.size.tolist(),
            self.upright.tolist(),
            self.font.tolist(),
            self.matrix_b.tolist(),
            strict=True,
        )
        out = []
        for text, x0, x1, top, bottom, size, upright, font, b in columns:
            char = {
                "text": text,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "size": size,
                "upright": upright,
                "fontname": self.fontnames[font],
            }
            if b == b:  # not NaN
                char["matrix"] = (0.0, b, 0.0, 0.0, 0.0, 0.0)
            out.append(char)
        return out

    def take(self, index: Ints | Bools) -> Glyphs:
        """The glyphs at ``index`` (positions, in that order, or a mask)."""
        positions = np.flatnonzero(index) if index.dtype == np.bool_ else index
        text = self.text
        return Glyphs(
            text=[text[i] for i in positions.tolist()],
            x0=self.x0[positions],
            x1=self.x1[positions],
            top=self.top[positions],
            bottom=self.bottom[positions],
            size=self.size[positions],
            upright=self.upright[positions],
            font=self.font[positions],
            fontnames=self.fontnames,
            matrix_b=self.matrix_b[positions],
        )

    def moved(self, x0: Floats, top: Floats, x1: Floats, bottom: Floats, upright: Bools) -> Glyphs:
        """The same glyphs at other boxes (a page turned upright)."""
        return Glyphs(
            self.text,
            x0,
            x1,
            top,
            bottom,
            self.size,
            upright,
            self.font,
            self.fontnames,
            self.matrix_b,
        )

    # ------------------------------------------------------------------ derived columns

    @cached_property
    def lengths(self) -> Ints:
        """Letters per char (1 but for ligature glyphs and chars without Unicode)."""
        return np.fromiter(map(len, self.text), np.int64, len(self.text))

    @cached_property
    def blank(self) -> Bools:
        """Chars that show nothing: whitespace, or no text at all (``not text.strip()``)."""
        spaces = np.fromiter(map(str.isspace, self.text), np.bool_, len(self.text))
        blank: Bools = spaces | (self.lengths == 0)
        return blank

    @cached_property
    def spaces(self) -> Bools:
        """Whitespace chars (``str.isspace``: an empty char is not one)."""
        return self.blank & (self.lengths > 0)

    @cached_property
    def one_letter(self) -> bool:
        """Every char is one letter (as nearly always: not a ligature glyph's letters,
        not a glyph without Unicode)."""
        return len("".join(self.text)) == len(self.text) and bool(self.lengths.all())

    @cached_property
    def codes(self) -> Ints:
        """A number per distinct text (equal texts, equal numbers): the code point where
        every char is one letter, otherwise numbered in order."""
        text = self.text
        if self.one_letter:
            joined = "".join(text).encode("utf-32-le", "surrogatepass")
            return np.frombuffer(joined, dtype=np.uint32).astype(np.int64)
        ids: dict[str, int] = {}
        return np.fromiter((ids.setdefault(t, len(ids)) for t in text), np.int64, len(text))

    def among(self, texts: frozenset[str]) -> Bools:
        """Per char, whether its text is one of ``texts``."""
        if self.one_letter:
            points = [ord(t) for t in texts if len(t) == 1]
            found: Bools = np.isin(self.codes, points)
            return found
        return np.fromiter((t in texts for t in self.text), np.bool_, len(self.text))
