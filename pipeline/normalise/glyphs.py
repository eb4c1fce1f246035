"""Ligature glyphs read back as the letters they draw.

Two ways a ligature glyph reaches the text layer as something other than its letters:

* **Unicode ligature characters** (U+FB00-FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ): a producer maps the
  glyph to its presentation form instead of its letters (Ghostscript does for the
  standard ligatures; text pasted from another PDF carries them). They are expanded
  everywhere, inside URLs too: no table cell means the presentation form.
* **Ghostscript's byte-swapped ligatures**: ``gs -sDEVICE=pdfwrite`` (10.00 here) writes a
  ligature whose ToUnicode maps to two or three letters, such as Calibri's or Carlito's
  "ti", "tt", "ft", with each UTF-16 unit's bytes swapped: "t" U+0074 comes out as U+7400
  ("Migra琀椀on", "h琀琀p://"). A code point U+XX00 whose high byte XX is an ASCII letter
  is taken back to that letter, but only inside an otherwise Latin word: those code
  points are also real CJK ideographs, and a word with no Latin letter or digit, or with
  any other character beyond Latin, is left as it is.

Surprising but deliberate: what cannot be told apart is not guessed. Ghostscript also
re-encodes some fonts' ligatures onto unrelated Latin-1 code points (DejaVu's "ffi" as
"þ", "fl" as "ý", "fi" as "ü"); "ü" is a real letter, so those stay wrong
(docs/text-repair.md).
"""

from __future__ import annotations

import re
import string

UNICODE_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",  # LATIN SMALL LIGATURE LONG S T: NFKC gives "st"
    "\ufb06": "st",
}
_EXPAND = str.maketrans(UNICODE_LIGATURES)
_ASCII_LETTERS = frozenset(string.ascii_letters)
_LATIN_END = 0x0250  # Basic Latin, Latin-1, Latin Extended-A and -B
_PUNCTUATION = range(0x2000, 0x2070)  # General Punctuation: dashes, quotes, ellipsis
_SPACES = re.compile(r"(\s+)")


def swapped_letter(char: str) -> str | None:
    """The ASCII letter a byte-swapped UTF-16 unit encodes (U+7400 -> "t"), else None."""
    code = ord(char)
    if code & 0xFF or not 0x4100 <= code <= 0x7A00:
        return None
    letter = chr(code >> 8)
    return letter if letter in _ASCII_LETTERS else None


def _is_latin(char: str) -> bool:
    return ord(char) < _LATIN_END or ord(char) in _PUNCTUATION or char in UNICODE_LIGATURES


def _unswap(word: str) -> tuple[str, int]:
    """``word`` with its swapped letters restored, and how many runs of them there were
    (one run is one ligature glyph: "琀椀" is the glyph "ti")."""
    letters = [swapped_letter(c) for c in word]
    if not any(letters):
        return word, 0
    others = [c for c, letter in zip(word, letters, strict=True) if letter is None]
    latin_letter = any(c.isalnum() and ord(c) < _LATIN_END for c in others)
    if not latin_letter or not all(map(_is_latin, others)):
        return word, 0
    runs = sum(1 for i, x in enumerate(letters) if x and (i == 0 or not letters[i - 1]))
    return "".join(x or c for c, x in zip(word, letters, strict=True)), runs


_REPAIRABLE = re.compile("[\ufb00-\ufb06\u4100-\u7a00]")  # (a superset of both kinds)


def has_ligatures(text: str) -> bool:
    """Whether ``text`` may hold a ligature glyph ``repair_ligatures`` would repair: a
    quick no for the text of a whole page."""
    return _REPAIRABLE.search(text) is not None


def repair_ligatures(text: str) -> tuple[str, int]:
    """``text`` with ligature glyphs back as their letters, and how many were repaired.

    Works word by word (whitespace-separated), so that "inside a Latin word" is judged
    on the word itself; whitespace is kept as it was. (ASCII text holds neither kind.)"""
    if text.isascii():
        return text, 0
    count = sum(text.count(c) for c in UNICODE_LIGATURES)
    pieces = []
    for piece in _SPACES.split(text):
        fixed, runs = _unswap(piece)
        count += runs
        pieces.append(fixed)
    return "".join(pieces).translate(_EXPAND), count
