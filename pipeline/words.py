"""words: a page's glyphs -> words, with spacing judged against the type size.

pdfplumber's word finder joins two glyphs when they are less than a fixed 3 pt apart.
That is right for body text, but two failures follow from the fixed figure:

* in small type (4-5 pt) a word space is 1-2 pt, so whole lines come out as one word
  ("AANONSEN,DEBORAH,A");
* spreadsheet exports print two cells' texts 1 pt either side of a vertical rule, so
  the end of one cell and the start of the next become one word.

So pdfplumber's words are taken and then cut again, glyph by glyph: where the gap
between two glyphs is wide *for their size* (``space_ratio`` of the smaller glyph's
size, never more than pdfplumber's 3 pt: body text keeps exactly pdfplumber's words),
and where a vertical ruling line passes between two glyphs' centres.

A page whose text is mostly set at 90 degrees (a landscape table printed on a portrait
page) is turned upright first (``upright_frame``), so that the rest of the pipeline
reads it like any other page.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

Obj = dict[str, Any]
Box = tuple[float, float, float, float]
Transform = Callable[[float, float, float, float], Box]

X_TOLERANCE = 3.0  # pdfplumber's default: the most a word space may be
Y_TOLERANCE = 3.0  # pdfplumber's default: chars this close in ``top`` share a line
SPACE_RATIO = 0.25  # a gap of a quarter of the type size is a word space
WORD_KEYS = ("text", "x0", "x1", "top", "bottom", "fontname")


def _gap_tolerance(a: Obj, b: Obj) -> float:
    size = min(float(a.get("size") or 0.0), float(b.get("size") or 0.0))
    if size <= 0:
        return X_TOLERANCE
    return min(X_TOLERANCE, SPACE_RATIO * size)


def _rule_between(a: Obj, b: Obj, vertical: Sequence[Obj]) -> bool:
    """A vertical rule runs between the two glyphs' centres, at their height."""
    left = (a["x0"] + a["x1"]) / 2
    right = (b["x0"] + b["x1"]) / 2
    mid = (a["top"] + a["bottom"]) / 2
    return any(
        left < e["x0"] < right and e["top"] - 0.5 <= mid <= e["bottom"] + 0.5 for e in vertical
    )


def split_glyphs(chars: Sequence[Obj], vertical: Sequence[Obj]) -> list[list[Obj]]:
    """One word's glyphs cut where a gap is a word space for the type size, or where a
    vertical rule passes between two glyphs."""
    if len(chars) < 2:
        return [list(chars)]
    x0 = min(c["x0"] for c in chars)
    x1 = max(c["x1"] for c in chars)
    top = min(c["top"] for c in chars)
    bottom = max(c["bottom"] for c in chars)
    near = [e for e in vertical if x0 < e["x0"] < x1 and e["top"] <= bottom and e["bottom"] >= top]
    pieces: list[list[Obj]] = [[chars[0]]]
    for a, b in itertools.pairwise(chars):
        gap = b["x0"] - a["x1"]
        if gap > _gap_tolerance(a, b) or (near and _rule_between(a, b, near)):
            pieces.append([b])
        else:
            pieces[-1].append(b)
    return pieces


def _word_of(chars: Sequence[Obj]) -> Obj:
    return {
        "text": "".join(c["text"] for c in chars),
        "x0": min(c["x0"] for c in chars),
        "x1": max(c["x1"] for c in chars),
        "top": min(c["top"] for c in chars),
        "bottom": max(c["bottom"] for c in chars),
        "fontname": chars[0].get("fontname", ""),
    }


def build_words(chars: Iterable[Obj], vertical: Sequence[Obj]) -> list[Obj]:
    """Upright words of a page, pdfplumber's where nothing says to cut them.

    pdfplumber's words (``WordExtractor`` with ``extra_attrs=["fontname"]``, blank
    chars dropped, no ligature expansion: runs of one font and direction in content
    order, each clustered into lines 3 pt apart by ``top``, sorted by ``x0``, a word
    ending at a space, an empty char, a step back or a gap over 3 pt), then each cut by
    ``split_glyphs``; in one pass, each char looked at once. ``tests/test_words.py``
    checks it against pdfplumber's own on every fixture PDF."""
    words: list[Obj] = []
    for (upright, _font), run in itertools.groupby(chars, key=_run_key):
        if not upright:  # a turned word is dropped, so is a turned run
            continue
        glyphs = list(run)
        for line in _lines(glyphs):
            _line_words(line, vertical, words)
    return words


_TEXT, _X1, _TOP, _BOTTOM = (itemgetter(k) for k in ("text", "x1", "top", "bottom"))


def _run_key(char: Obj) -> tuple[Any, Any]:
    return char["upright"], char["fontname"]


def _lines(glyphs: list[Obj]) -> list[list[Obj]]:
    """A run's chars clustered into lines, as pdfplumber's ``cluster_objects`` by
    ``top`` (3 pt apart, chained over the sorted distinct values), each line sorted by
    ``x0`` (stable: chars at one x stay in content order)."""
    tops = sorted({c["top"] for c in glyphs})
    cluster: dict[float, int] = {}
    k = 0
    last = tops[0]
    for top in tops:
        if top > last + Y_TOLERANCE:
            k += 1
        cluster[top] = k
        last = top
    if k == 0:
        lines = [glyphs[:]]
    else:
        lines = [[] for _ in range(k + 1)]
        for c in glyphs:
            lines[cluster[c["top"]]].append(c)
    for line in lines:
        line.sort(key=_x0)
    return lines


def _x0(char: Obj) -> float:
    return float(char["x0"])


def _line_words(line: list[Obj], vertical: Sequence[Obj], words: list[Obj]) -> None:
    """The words of one sorted line (``iter_chars_to_words`` for left-to-right text),
    each cut where ``split_glyphs`` cuts it, appended to ``words``."""
    rules = _rules_across(line, vertical)
    word: list[Obj] = []
    cut = False  # a gap in the word is wide for its type size
    prev: Obj | None = None
    prev_x0 = prev_x1 = prev_top = 0.0
    for c in line:
        text = c["text"]
        if text.isspace() or not text:
            # a space ends the word; an empty char (no Unicode) is a word of its own,
            # which has no text and is dropped
            if word:
                _add_word(word, cut, rules, words)
            word, cut, prev = [], False, None
            continue
        x0, x1, top = c["x0"], c["x1"], c["top"]
        if prev is None:
            word = [c]
        elif x0 < prev_x0 or x0 > prev_x1 + X_TOLERANCE or abs(top - prev_top) > Y_TOLERANCE:
            _add_word(word, cut, rules, words)
            word, cut = [c], False
        else:
            word.append(c)
            # (``_gap_tolerance`` is positive: a gap of zero or less never cuts)
            if not cut and x0 - prev_x1 > 0:
                cut = x0 - prev_x1 > _gap_tolerance(prev, c)
        prev, prev_x0, prev_x1, prev_top = c, x0, x1, top
    if word:
        _add_word(word, cut, rules, words)


def _rules_across(line: list[Obj], vertical: Sequence[Obj]) -> list[Obj]:
    """The vertical rules at the line's height (all a word of it can be cut at)."""
    if not vertical:
        return []
    top = min(map(_TOP, line))
    bottom = max(map(_BOTTOM, line))
    return [e for e in vertical if e["top"] <= bottom and e["bottom"] >= top]


def _add_word(glyphs: list[Obj], cut: bool, rules: list[Obj], words: list[Obj]) -> None:
    """pdfplumber's word of ``glyphs`` (its text and bbox), or the pieces
    ``split_glyphs`` cuts it into; a word of blanks is dropped. ``cut``: a gap between
    two of the glyphs is wide for their size."""
    text = "".join(map(_TEXT, glyphs))
    if not text.strip():
        return
    first = glyphs[0]
    x0 = first["x0"]  # the glyphs are sorted by x0
    x1, top, bottom = first["x1"], first["top"], first["bottom"]
    if len(glyphs) > 1:
        x1 = max(map(_X1, glyphs))
        top = min(map(_TOP, glyphs))
        bottom = max(map(_BOTTOM, glyphs))
        # a rule inside the word's box may pass between two of its glyphs
        cut = cut or any(
            x0 < e["x0"] < x1 and e["top"] <= bottom and e["bottom"] >= top for e in rules
        )
        pieces = split_glyphs(glyphs, rules) if cut else [glyphs]
        if len(pieces) > 1:
            words.extend(_word_of(p) for p in pieces if "".join(map(_TEXT, p)).strip())
            return
    word = {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom}
    word["fontname"] = first["fontname"]
    words.append(word)


# --------------------------------------------------------------------------- rotation


def _reading_up(char: Obj) -> bool | None:
    """True for a glyph set bottom to top, False for top to bottom, None if upright."""
    if char.get("upright", True):
        return None
    matrix = char.get("matrix") or (1, 0, 0, 1, 0, 0)
    return bool(matrix[1] > 0)


def _upright(char: Obj) -> bool:
    return bool(char.get("upright", True))


def upright_frame(chars: Sequence[Obj], width: float, height: float) -> Transform | None:
    """The turn that makes the page's text upright, when most of it is set at 90 degrees:
    a bbox (x0, top, x1, bottom) -> the same bbox on the page turned upright (its width
    is then the page's height). None when the page is upright already."""
    if all(map(_upright, chars)):
        return None
    ups = [_reading_up(c) for c in chars if c["text"].strip()]
    turned = [u for u in ups if u is not None]
    if len(turned) * 2 <= len(ups):
        return None
    if sum(turned) * 2 > len(turned):  # reads bottom to top: turn the page clockwise

        def clockwise(x0: float, top: float, x1: float, bottom: float) -> Box:
            return (height - bottom, x0, height - top, x1)

        return clockwise

    def anticlockwise(x0: float, top: float, x1: float, bottom: float) -> Box:
        return (top, width - x1, bottom, width - x0)

    return anticlockwise


def turned(obj: Obj, transform: Transform) -> Obj:
    """An object (glyph or ruling edge) in the upright frame; a turned glyph is upright."""
    x0, top, x1, bottom = transform(obj["x0"], obj["top"], obj["x1"], obj["bottom"])
    out = {**obj, "x0": x0, "x1": x1, "top": top, "bottom": bottom}
    if "upright" in obj:
        out["upright"] = not obj["upright"]
    if "width" in obj and "height" in obj:
        out["width"], out["height"] = x1 - x0, bottom - top
    return out
