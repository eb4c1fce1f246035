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

import numpy as np

Obj = dict[str, Any]
Box = tuple[float, float, float, float]
Transform = Callable[[float, float, float, float], Box]

X_TOLERANCE = 3.0  # pdfplumber's default: the most a word space may be
Y_TOLERANCE = 3.0  # pdfplumber's default: chars this close in ``top`` share a line
SPACE_RATIO = 0.25  # a gap of a quarter of the type size is a word space
WORD_KEYS = ("text", "x0", "x1", "top", "bottom", "fontname")


def _size(a: Obj, b: Obj) -> float:
    return min(float(a.get("size") or 0.0), float(b.get("size") or 0.0))


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


SPACED_GAP = 0.15  # type sizes: a jump this wide between glyphs, where spaces are glyphs


def split_glyphs(
    chars: Sequence[Obj], vertical: Sequence[Obj], spaces_drawn: bool = False
) -> list[list[Obj]]:
    """One word's glyphs cut where a gap is a word space for the type size, or where a
    vertical rule passes between two glyphs. Where the page draws its word spaces as
    glyphs (``spaces_drawn``), a jump of ``SPACED_GAP`` type sizes between two glyphs
    of a word that are otherwise set tight is no letter's kerning but the producer
    placing the next cell's text: a spreadsheet's right-aligned date 2 pt from the next
    column ("2016Cairo,")."""
    if len(chars) < 2:
        return [list(chars)]
    gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(chars)]
    tight = sorted(gaps)[len(gaps) // 2] if spaces_drawn else 0.0
    x0 = min(c["x0"] for c in chars)
    x1 = max(c["x1"] for c in chars)
    top = min(c["top"] for c in chars)
    bottom = max(c["bottom"] for c in chars)
    near = [e for e in vertical if x0 < e["x0"] < x1 and e["top"] <= bottom and e["bottom"] >= top]
    pieces: list[list[Obj]] = [[chars[0]]]
    for gap, (a, b) in zip(gaps, itertools.pairwise(chars), strict=True):
        size = min(float(a.get("size") or 0.0), float(b.get("size") or 0.0))
        jump = spaces_drawn and size > 0 and gap > SPACED_GAP * size and tight < 0.05 * size
        if gap > _gap_tolerance(a, b) or jump or (near and _rule_between(a, b, near)):
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


def _spaces_drawn(chars: Sequence[Obj]) -> bool:
    """Whether the page sets its word spaces as space glyphs (one for every 20 glyphs at
    least: prose has one in six), not only by moving the pen."""
    return sum(1 for c in chars if c["text"] == " ") * 20 >= len(chars) > 0


OVERPRINT = 1.0  # pt: a glyph drawn again this close to where it was drawn is the same
OVERPRINT_SHARE = 0.05  # of a page's glyphs: fewer doubles are ligatures, not overprint


def without_overprint(chars: Iterable[Obj]) -> list[Obj]:
    """The glyphs, each drawn once. Some producers fake bold or a shadow by painting the
    same text twice at (nearly) the same place; read as drawn, every word and figure
    comes out doubled ("KrugerKruger", "1 1.9 9"). Of glyphs with the same text, font
    and size less than ``OVERPRINT`` (and half a glyph's width) apart, one is kept
    (pdfplumber's ``dedupe_chars``). One pass may leave glyphs out ("1 9" under "1.9",
    "K21901" under "K2-1901"), so the glyphs left are then put in reading order (lines
    top to bottom, left to right), or a word would be read in pieces from two passes.

    Only a page where doubles are a share of its glyphs (``OVERPRINT_SHARE``) is
    overprinted: PDFium reads a ligature glyph ("ff", "tt") as its letters, each with
    the glyph's box, and "effective" must keep both f's. A page without overprint keeps
    its content-stream order."""
    glyphs = list(chars)
    if _twins_at_most(glyphs) <= OVERPRINT_SHARE * sum(1 for c in glyphs if c["text"].strip()):
        return glyphs  # not even the glyphs that might be doubles are a share: no overprint
    kept: list[Obj] = []
    seen: dict[tuple[str, str, float, int], list[Obj]] = {}
    for c in glyphs:
        key = (c["text"], c.get("fontname", ""), round(float(c.get("size") or 0.0), 1))
        row = int(c["top"])
        twins = (t for r in (row - 1, row, row + 1) for t in seen.get((*key, r), []))
        # a doubled letter ("ii") is one advance on: a glyph's width, however narrow
        near = min(OVERPRINT, 0.5 * (c["x1"] - c["x0"]))
        if any(
            abs(t["x0"] - c["x0"]) <= near and abs(t["top"] - c["top"]) <= OVERPRINT for t in twins
        ):
            continue
        kept.append(c)
        seen.setdefault((*key, row), []).append(c)
    doubles = len(glyphs) - len(kept)
    if doubles <= OVERPRINT_SHARE * sum(1 for c in glyphs if c["text"].strip()):
        return glyphs
    return _reading_order(kept)


_CELL = 1 << 21  # codes of (text, x cell, top cell), with room for negative coordinates


def _twins_at_most(glyphs: Sequence[Obj]) -> int:
    """How many glyphs could be doubles, at most: those with another glyph of the same
    text in their 1 pt cell or a neighbouring one (a double is within ``OVERPRINT`` of its
    twin both ways, so it always has one there). Vectorised, so that a page without
    overprint, nearly every page, costs next to nothing; only a page where this many are
    a share is searched glyph by glyph."""
    if len(glyphs) < 2:
        return 0
    ids: dict[str, int] = {}
    text = np.fromiter((ids.setdefault(c["text"], len(ids)) for c in glyphs), np.int64)
    x = np.floor(np.fromiter((c["x0"] for c in glyphs), np.float64)).astype(np.int64)
    y = np.floor(np.fromiter((c["top"] for c in glyphs), np.float64)).astype(np.int64)
    half = _CELL // 2
    code = (text * _CELL + (x + half)) * _CELL + (y + half)
    known, counts = np.unique(code, return_counts=True)
    maybe = np.zeros(len(glyphs), dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            at = np.searchsorted(known, code + dx * _CELL + dy)
            at = np.minimum(at, len(known) - 1)
            here = known[at] == code + dx * _CELL + dy
            need = 2 if dx == dy == 0 else 1  # in its own cell, another than itself
            maybe |= here & (counts[at] >= need)
    return int(maybe.sum())


def _reading_order(chars: Sequence[Obj]) -> list[Obj]:
    """Glyphs by line (tops within 1 pt of the line's first), then left to right."""
    lines: list[list[Obj]] = []
    for c in sorted(chars, key=lambda c: c["top"]):
        if lines and c["top"] - lines[-1][0]["top"] <= 1.0:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [c for line in lines for c in sorted(line, key=lambda c: c["x0"])]


def build_words(chars: Iterable[Obj], vertical: Sequence[Obj]) -> list[Obj]:
    """Upright words of a page, pdfplumber's where nothing says to cut them, each glyph
    read once (``without_overprint``), letter-spaced runs read as words
    (``without_tracking``).

    pdfplumber's words (``WordExtractor`` with ``extra_attrs=["fontname"]``, blank
    chars dropped, no ligature expansion: runs of one font and direction in content
    order, each clustered into lines 3 pt apart by ``top``, sorted by ``x0``, a word
    ending at a space, an empty char, a step back or a gap over 3 pt), then each cut by
    ``split_glyphs``; in one pass, each char looked at once. ``tests/test_words.py``
    checks it against pdfplumber's own extractor followed by ``split_glyphs`` on every
    fixture PDF."""
    glyphs_read = without_overprint(chars)
    spaces_drawn = _spaces_drawn(glyphs_read)
    words: list[Obj] = []
    for (upright, _font), run in itertools.groupby(glyphs_read, key=_run_key):
        if not upright:  # a turned word is dropped, so is a turned run
            continue
        for line in _lines(list(run)):
            _line_words(line, vertical, words, spaces_drawn)
    return without_tracking(words)


TRACKING = 0.3  # pt: letter gaps of one tracked run agree this closely
TRACKED_LETTERS = 4  # a run of single letters this long shows letter spacing


def without_tracking(words: Sequence[Obj]) -> list[Obj]:
    """Letter-spaced text read as words, not letters. Wide tracking (3 pt and more: a
    "J u n e 1 2 , 2 0 1 7" date) puts every glyph further from the next than
    pdfplumber's 3 pt, so each becomes a word of its own. A run of single-glyph words on
    a line whose smallest gaps agree (the tracking, at least ``TRACKED_LETTERS`` times)
    is joined where the gap is the tracking, and cut where it is wider (the word
    space)."""
    out: list[Obj] = []
    i = 0
    while i < len(words):
        j = i
        while j + 1 < len(words) and _next_letter(words[j], words[j + 1]):
            j += 1
        run = words[i : j + 1]
        out.extend(_joined_run(run) if len(run) >= TRACKED_LETTERS else run)
        i = j + 1
    return out


def _next_letter(a: Obj, b: Obj) -> bool:
    """b is a single glyph right after the single glyph a on its line (less than two
    type sizes away: a word space and the tracking either side of it)."""
    size = a["bottom"] - a["top"]
    gap = b["x0"] - a["x1"]
    same_line = abs(a["top"] - b["top"]) <= 0.5 and abs(a["bottom"] - b["bottom"]) <= 0.5
    return len(a["text"]) == 1 and len(b["text"]) == 1 and same_line and 0 < gap < 2 * size


def _joined_run(run: Sequence[Obj]) -> list[Obj]:
    gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(run)]
    tracking = min(gaps)
    if tracking <= X_TOLERANCE or sum(1 for g in gaps if g - tracking <= TRACKING) < 3:
        return list(run)
    pieces: list[list[Obj]] = [[run[0]]]
    for gap, w in zip(gaps, run[1:], strict=True):
        if gap - tracking <= TRACKING:
            pieces[-1].append(w)
        else:
            pieces.append([w])
    return [_word_of(p) for p in pieces]


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


def _line_words(
    line: list[Obj], vertical: Sequence[Obj], words: list[Obj], spaces_drawn: bool
) -> None:
    """The words of one sorted line (``iter_chars_to_words`` for left-to-right text),
    each cut where ``split_glyphs`` cuts it, appended to ``words``. ``split_glyphs`` is
    asked only about a word with a gap it might cut at (a rule across it, a gap wide for
    the type size, or where spaces are glyphs a jump of ``SPACED_GAP``)."""
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
                _add_word(word, cut, rules, words, spaces_drawn)
            word, cut, prev = [], False, None
            continue
        x0, x1, top = c["x0"], c["x1"], c["top"]
        if prev is None:
            word = [c]
        elif x0 < prev_x0 or x0 > prev_x1 + X_TOLERANCE or abs(top - prev_top) > Y_TOLERANCE:
            _add_word(word, cut, rules, words, spaces_drawn)
            word, cut = [c], False
        else:
            word.append(c)
            # (``_gap_tolerance`` is positive: a gap of zero or less never cuts)
            if not cut and x0 - prev_x1 > 0:
                cut = x0 - prev_x1 > _gap_tolerance(prev, c) or (
                    spaces_drawn and x0 - prev_x1 > SPACED_GAP * _size(prev, c)
                )
        prev, prev_x0, prev_x1, prev_top = c, x0, x1, top
    if word:
        _add_word(word, cut, rules, words, spaces_drawn)


def _rules_across(line: list[Obj], vertical: Sequence[Obj]) -> list[Obj]:
    """The vertical rules at the line's height (all a word of it can be cut at)."""
    if not vertical:
        return []
    top = min(map(_TOP, line))
    bottom = max(map(_BOTTOM, line))
    return [e for e in vertical if e["top"] <= bottom and e["bottom"] >= top]


def _add_word(
    glyphs: list[Obj], cut: bool, rules: list[Obj], words: list[Obj], spaces_drawn: bool
) -> None:
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
        pieces = split_glyphs(glyphs, rules, spaces_drawn) if cut else [glyphs]
        if len(pieces) > 1:
            words.extend(_word_of(p) for p in pieces if "".join(map(_TEXT, p)).strip())
            return
    word = {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom}
    word["fontname"] = first["fontname"]
    words.append(word)


# --------------------------------------------------------------------------- rotation


def _reading_up(chars: Sequence[Obj]) -> list[bool]:
    """Per glyph set at 90 degrees, whether it reads bottom to top: from its matrix where
    the reader gives one (pdfplumber), else from where it stands against the turned
    glyph before it on the same vertical line (PDFium gives no matrix): a line read
    bottom to top climbs the page."""
    votes: list[bool] = []
    prev: Obj | None = None
    for c in chars:
        if not c["text"].strip() or c.get("upright", True):
            continue
        matrix = c.get("matrix")
        if matrix is not None:
            votes.append(bool(matrix[1] > 0))
        elif prev is not None and abs(c["x0"] - prev["x0"]) < 1.0 and c["top"] != prev["top"]:
            votes.append(bool(c["top"] < prev["top"]))
        prev = c
    return votes


def _upright(char: Obj) -> bool:
    return bool(char.get("upright", True))


def upright_frame(chars: Sequence[Obj], width: float, height: float) -> Transform | None:
    """The turn that makes the page's text upright, when most of it is set at 90 degrees:
    a bbox (x0, top, x1, bottom) -> the same bbox on the page turned upright (its width
    is then the page's height). None when the page is upright already."""
    if all(map(_upright, chars)):
        return None
    text = [c for c in chars if c["text"].strip()]
    turned_glyphs = sum(1 for c in text if not c.get("upright", True))
    if turned_glyphs * 2 <= len(text):
        return None
    votes = _reading_up(chars)
    if sum(votes) * 2 > len(votes):  # reads bottom to top: turn the page clockwise

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
