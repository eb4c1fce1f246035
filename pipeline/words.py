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
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np

from pipeline.glyphs import Bools, Floats, Glyphs, Ints, floats

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


def _spaces_drawn(chars: Glyphs | Sequence[Obj]) -> bool:
    """Whether the page sets its word spaces as space glyphs (one for every 20 glyphs at
    least: prose has one in six), not only by moving the pen."""
    texts = chars.text if isinstance(chars, Glyphs) else [c["text"] for c in chars]
    return texts.count(" ") * 20 >= len(texts) > 0


OVERPRINT = 1.0  # pt: a glyph drawn again this close to where it was drawn is the same
OVERPRINT_SHARE = 0.05  # of a page's glyphs: fewer doubles are ligatures, not overprint


def without_overprint(chars: Sequence[Obj]) -> list[Obj]:
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
    its content-stream order. (The glyphs as dicts; ``build_words`` does the same on
    columns, ``_overprint_order``.)"""
    glyphs = list(chars)
    order = _overprint_order(Glyphs.from_dicts(glyphs))
    return glyphs if order is None else [glyphs[i] for i in order]


def read_once(glyphs: Glyphs) -> Glyphs:
    """The glyphs, each drawn once, on columns (``without_overprint``): PDFium already
    reads a glyph painted twice as one char and pdfminer as two, so a page's printed
    characters are counted after this (``extract.read_page``), the same under both."""
    order = _overprint_order(glyphs)
    return glyphs if order is None else glyphs.take(np.array(order, dtype=np.int64))


def _overprint_order(glyphs: Glyphs) -> list[int] | None:
    """The positions of the glyphs read once, in reading order, when the page is
    overprinted (``without_overprint``); None when it is not."""
    shown = int(np.count_nonzero(~glyphs.blank))
    if _twins_at_most(glyphs) <= OVERPRINT_SHARE * shown:
        return None  # not even the glyphs that might be doubles are a share: no overprint
    text, font = glyphs.text, glyphs.font.tolist()
    x0, x1, top = glyphs.x0.tolist(), glyphs.x1.tolist(), glyphs.top.tolist()
    sizes = glyphs.size.tolist()
    kept: list[int] = []
    seen: dict[tuple[str, int, float, int], list[int]] = {}
    for i, t in enumerate(text):
        key = (t, font[i], round(sizes[i], 1))
        row = int(top[i])
        twins = (k for r in (row - 1, row, row + 1) for k in seen.get((*key, r), []))
        # a doubled letter ("ii") is one advance on: a glyph's width, however narrow
        near = min(OVERPRINT, 0.5 * (x1[i] - x0[i]))
        if any(abs(x0[k] - x0[i]) <= near and abs(top[k] - top[i]) <= OVERPRINT for k in twins):
            continue
        kept.append(i)
        seen.setdefault((*key, row), []).append(i)
    if len(text) - len(kept) <= OVERPRINT_SHARE * shown:
        return None
    return _reading_positions(kept, top, x0)


def _twins_at_most(glyphs: Glyphs) -> int:
    """How many glyphs could be doubles, at most: those with another glyph of the same
    text in their 1 pt cell of x or a neighbouring one, within one 2 pt band of tops of
    either of two sets of bands 1 pt apart. A double and its twin are within
    ``OVERPRINT`` both ways, so they share a band of one set and neighbouring cells
    there. On columns, with one sort of a number per glyph (text, band, cell) for each
    set of bands, so that a page without overprint, nearly every page, costs next to
    nothing; only a page where this many are a share is searched glyph by glyph.
    Coordinates are clipped to the cells there are, which only adds glyphs that could
    be doubles."""
    n = len(glyphs)
    if n < 2:
        return 0
    text = glyphs.codes << (2 * _CELL_BITS)
    cell = _cells(glyphs.x0, OVERPRINT)
    maybe = np.zeros(n, dtype=bool)
    for offset in (0.0, OVERPRINT):
        band = _cells(glyphs.top + offset, 2 * OVERPRINT)
        key = text | (band << _CELL_BITS) | cell
        order = np.argsort(key)
        ordered = key[order]
        # another glyph of the key, or of the cell either side
        near = np.searchsorted(ordered, ordered + 1, side="right") - np.searchsorted(
            ordered, ordered - 1, side="left"
        )
        maybe[order[near >= 2]] = True
    return int(np.count_nonzero(maybe))


_CELL_BITS = 17


def _cells(values: Floats, width: float) -> Ints:
    """The cell of each value, ``width`` wide, as a number from 0 to 2 ** _CELL_BITS."""
    half = 1 << (_CELL_BITS - 1)
    cells = np.floor(np.nan_to_num(values) / width)
    return np.clip(cells, -half, half - 1).astype(np.int64) + half


def _reading_order(chars: Sequence[Obj]) -> list[Obj]:
    """Glyphs by line (tops within 1 pt of the line's first), then left to right."""
    top = [c["top"] for c in chars]
    x0 = [c["x0"] for c in chars]
    return [chars[i] for i in _reading_positions(list(range(len(chars))), top, x0)]


def _reading_positions(positions: list[int], top: list[float], x0: list[float]) -> list[int]:
    """``positions`` by line (tops within 1 pt of the line's first), then left to right."""
    lines: list[list[int]] = []
    for i in sorted(positions, key=top.__getitem__):
        if lines and top[i] - top[lines[-1][0]] <= 1.0:
            lines[-1].append(i)
        else:
            lines.append([i])
    return [i for line in lines for i in sorted(line, key=x0.__getitem__)]


def build_words(chars: Glyphs | Sequence[Obj], vertical: Sequence[Obj]) -> list[Obj]:
    """Upright words of a page, pdfplumber's where nothing says to cut them, each glyph
    read once (``without_overprint``), letter-spaced runs read as words
    (``without_tracking``).

    pdfplumber's words (``WordExtractor`` with ``extra_attrs=["fontname"]``, blank
    chars dropped, no ligature expansion: runs of one font and direction in content
    order, each clustered into lines 3 pt apart by ``top``, sorted by ``x0``, a word
    ending at a space, an empty char, a step back or a gap over 3 pt), then each cut by
    ``split_glyphs``; on columns (``glyphs``), a page at a time: only a word with a gap
    it might be cut at goes through ``split_glyphs``. ``tests/test_words.py`` checks it
    against pdfplumber's own extractor followed by ``split_glyphs`` on every fixture
    PDF."""
    glyphs = chars if isinstance(chars, Glyphs) else Glyphs.from_dicts(chars)
    return words_of_glyphs_read_once(read_once(glyphs), vertical)


def words_of_glyphs_read_once(glyphs: Glyphs, vertical: Sequence[Obj]) -> list[Obj]:
    """``build_words`` on glyphs already read once (``read_once``): extract does that
    before it counts a page's characters, and the overprint search is not run twice."""
    words, columns = _words(glyphs, vertical, _spaces_drawn(glyphs))
    return without_tracking(words, columns)


def _word_order(glyphs: Glyphs) -> tuple[Ints, Ints]:
    """The positions of the upright glyphs in pdfplumber's word order, and each glyph's
    line. Runs of one direction and font, in content order; a run's glyphs clustered
    into lines by ``top`` (``Y_TOLERANCE`` apart, chained over the sorted tops, as
    pdfplumber's ``cluster_objects``); a line's glyphs by ``x0``, glyphs at one x in
    content order (``np.lexsort`` is stable)."""
    n = len(glyphs)
    upright, font, top = glyphs.upright, glyphs.font, glyphs.top
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (upright[1:] != upright[:-1]) | (font[1:] != font[:-1])
    run = np.cumsum(new_run)
    by_top = np.lexsort((top, run))
    tops, runs = top[by_top], run[by_top]
    new_line = np.ones(n, dtype=bool)
    new_line[1:] = (runs[1:] != runs[:-1]) | (tops[1:] > tops[:-1] + Y_TOLERANCE)
    line = np.empty(n, dtype=np.int64)
    line[by_top] = np.cumsum(new_line)
    order = np.lexsort((glyphs.x0, line))
    return order[upright[order]], line


class _WordColumns(NamedTuple):
    """The words' boxes and lengths as columns (what ``without_tracking`` looks at)."""

    x0: Floats
    x1: Floats
    top: Floats
    bottom: Floats
    letters: Ints


def _words(
    glyphs: Glyphs, vertical: Sequence[Obj], spaces_drawn: bool
) -> tuple[list[Obj], _WordColumns | None]:
    """The words of the page in pdfplumber's order (``build_words``), before
    ``without_tracking``; and their columns, unless a word was cut in pieces."""
    if not len(glyphs):
        return [], None
    order, line = _word_order(glyphs)
    x0, x1, top = glyphs.x0[order], glyphs.x1[order], glyphs.top[order]
    blank = glyphs.blank[order]
    # pdfplumber's word ends: a blank or empty char (not part of any word), a new line,
    # a step back, a gap over X_TOLERANCE, a jump of Y_TOLERANCE in top
    ends = np.ones(len(order), dtype=bool)
    ends[1:] = (
        (line[order][1:] != line[order][:-1])
        | blank[:-1]
        | (x0[1:] < x0[:-1])
        | (x0[1:] > x1[:-1] + X_TOLERANCE)
        | (np.abs(top[1:] - top[:-1]) > Y_TOLERANCE)
    )
    shown = ~blank
    order, starts = order[shown], ends[shown]
    x0, x1, top = x0[shown], x1[shown], top[shown]
    bottom, size = glyphs.bottom[order], glyphs.size[order]
    if not len(order):
        return [], None
    # a gap between two glyphs of a word that is wide for their type size
    gap = x0[1:] - x1[:-1]
    smaller = np.minimum(size[1:], size[:-1])
    tolerance = np.where(smaller > 0, np.minimum(X_TOLERANCE, SPACE_RATIO * smaller), X_TOLERANCE)
    wide = np.zeros(len(order), dtype=bool)
    wide[1:] = (
        ~starts[1:]
        & (gap > 0)
        & ((gap > tolerance) | (spaces_drawn & (gap > SPACED_GAP * smaller)))
    )
    first = np.flatnonzero(starts)
    cut = np.logical_or.reduceat(wide, first)
    word_x0 = x0[first]
    word_x1 = np.maximum.reduceat(x1, first)
    word_top = np.minimum.reduceat(top, first)
    word_bottom = np.maximum.reduceat(bottom, first)
    glyph_count = np.diff(np.append(first, len(order)))
    cut |= (glyph_count > 1) & _rule_across(word_x0, word_top, word_x1, word_bottom, vertical)
    texts = [glyphs.text[i] for i in order.tolist()]
    page_text = "".join(texts)
    offsets = np.concatenate(([0], np.cumsum(glyphs.lengths[order]))).tolist()
    fontnames = glyphs.fontnames
    fonts = glyphs.font[order[first]].tolist()
    bounds = zip(first.tolist(), np.append(first[1:], len(order)).tolist(), strict=True)
    boxes = zip(
        word_x0.tolist(), word_x1.tolist(), word_top.tolist(), word_bottom.tolist(), strict=True
    )
    words: list[Obj] = []
    pieces_cut = False
    for (a, b), (wx0, wx1, wtop, wbottom), font, split in zip(
        bounds, boxes, fonts, cut.tolist(), strict=True
    ):
        if split:
            pieces = split_glyphs(
                _glyph_dicts(glyphs, order[a:b], texts[a:b]), vertical, spaces_drawn
            )
            if len(pieces) > 1:
                words.extend(_word_of(p) for p in pieces if "".join(map(_TEXT, p)).strip())
                pieces_cut = True
                continue
        # (a word holds a glyph that is not blank: its text is never blank)
        words.append(
            {
                "text": page_text[offsets[a] : offsets[b]],
                "x0": wx0,
                "x1": wx1,
                "top": wtop,
                "bottom": wbottom,
                "fontname": fontnames[font],
            }
        )
    if pieces_cut:
        return words, None
    letters = np.diff(np.asarray(offsets)[np.append(first, len(order))])
    return words, _WordColumns(word_x0, word_x1, word_top, word_bottom, letters)


def _rule_across(
    x0: Floats, top: Floats, x1: Floats, bottom: Floats, vertical: Sequence[Obj]
) -> Bools:
    """Per box, whether a vertical rule runs inside it (strictly between its x0 and x1,
    at its height): a rule may pass between two of the word's glyphs."""
    across = np.zeros(len(x0), dtype=bool)
    if not vertical or not len(x0):
        return across
    rules = sorted(vertical, key=_RULE_X)
    rule_x = floats([e["x0"] for e in rules])
    first = np.searchsorted(rule_x, x0, side="right")
    last = np.searchsorted(rule_x, x1, side="left")
    for w in np.flatnonzero(last > first).tolist():
        across[w] = any(
            rules[k]["top"] <= bottom[w] and rules[k]["bottom"] >= top[w]
            for k in range(first[w], last[w])
        )
    return across


def _glyph_dicts(glyphs: Glyphs, positions: Ints, texts: list[str]) -> list[Obj]:
    """The glyphs of one word as dicts, for ``split_glyphs``."""
    fontnames = glyphs.fontnames
    return [
        {
            "text": t,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "size": size,
            "fontname": fontnames[font],
        }
        for t, x0, x1, top, bottom, size, font in zip(
            texts,
            glyphs.x0[positions].tolist(),
            glyphs.x1[positions].tolist(),
            glyphs.top[positions].tolist(),
            glyphs.bottom[positions].tolist(),
            glyphs.size[positions].tolist(),
            glyphs.font[positions].tolist(),
            strict=True,
        )
    ]


TRACKING = 0.3  # pt: letter gaps of one tracked run agree this closely
TRACKED_LETTERS = 4  # a run of single letters this long shows letter spacing


def without_tracking(words: Sequence[Obj], columns: _WordColumns | None = None) -> list[Obj]:
    """Letter-spaced text read as words, not letters. Wide tracking (3 pt and more: a
    "J u n e 1 2 , 2 0 1 7" date) puts every glyph further from the next than
    pdfplumber's 3 pt, so each becomes a word of its own. A run of single-glyph words on
    a line whose smallest gaps agree (the tracking, at least ``TRACKED_LETTERS`` times)
    is joined where the gap is the tracking, and cut where it is wider (the word
    space). Runs are found on columns (``_next_letters``; ``columns``: the words' own,
    where the caller has them); only a run long enough is looked at word by word."""
    out: list[Obj] = []
    i = 0
    for first, last in _letter_runs(_next_letters(columns or _columns_of(words))):
        out.extend(words[i:first])
        out.extend(_joined_run(words[first : last + 1]))
        i = last + 1
    out.extend(words[i:])
    return out


def _columns_of(words: Sequence[Obj]) -> _WordColumns:
    n = len(words)

    def column(key: str) -> Floats:
        return np.fromiter((w[key] for w in words), np.float64, n)

    letters = np.fromiter((len(w["text"]) for w in words), np.int64, n)
    return _WordColumns(column("x0"), column("x1"), column("top"), column("bottom"), letters)


def _next_letters(words: _WordColumns) -> Bools:
    """Per pair of neighbouring words, whether the second is a single glyph right after
    the single glyph before it on its line (less than two type sizes away: a word space
    and the tracking either side of it)."""
    if len(words.x0) < 2:
        return np.zeros(0, dtype=bool)
    x0, x1, top, bottom = words.x0, words.x1, words.top, words.bottom
    single = words.letters == 1
    gap = x0[1:] - x1[:-1]
    size = bottom[:-1] - top[:-1]
    linked: Bools = (
        single[:-1]
        & single[1:]
        & (np.abs(top[:-1] - top[1:]) <= 0.5)
        & (np.abs(bottom[:-1] - bottom[1:]) <= 0.5)
        & (gap > 0)
        & (gap < 2 * size)
    )
    return linked


def _letter_runs(linked: Bools) -> list[tuple[int, int]]:
    """(first, last) word of each run of at least ``TRACKED_LETTERS`` words, each linked
    to the next (``linked[i]``: word i to word i + 1)."""
    edges = np.diff(np.concatenate(([0], linked.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = stops - starts + 1 >= TRACKED_LETTERS  # words in the run: links + 1
    return list(zip(starts[long].tolist(), stops[long].tolist(), strict=True))


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


_TEXT = itemgetter("text")
_RULE_X = itemgetter("x0")


# --------------------------------------------------------------------------- rotation


def _reading_up(glyphs: Glyphs) -> list[bool]:
    """Per glyph set at 90 degrees, whether it reads bottom to top: from its matrix where
    the reader gives one (pdfplumber), else from where it stands against the turned
    glyph before it on the same vertical line (PDFium gives no matrix): a line read
    bottom to top climbs the page."""
    votes: list[bool] = []
    prev: int | None = None
    x0, top, matrix_b = glyphs.x0.tolist(), glyphs.top.tolist(), glyphs.matrix_b.tolist()
    for i in np.flatnonzero(~glyphs.blank & ~glyphs.upright).tolist():
        b = matrix_b[i]
        if b == b:  # a matrix (not NaN)
            votes.append(b > 0)
        elif prev is not None and abs(x0[i] - x0[prev]) < 1.0 and top[i] != top[prev]:
            votes.append(top[i] < top[prev])
        prev = i
    return votes


def upright_frame(chars: Glyphs | Sequence[Obj], width: float, height: float) -> Transform | None:
    """The turn that makes the page's text upright, when most of it is set at 90 degrees:
    a bbox (x0, top, x1, bottom) -> the same bbox on the page turned upright (its width
    is then the page's height). None when the page is upright already."""
    glyphs = chars if isinstance(chars, Glyphs) else Glyphs.from_dicts(chars)
    if glyphs.upright.all():
        return None
    shown = ~glyphs.blank
    if np.count_nonzero(shown & ~glyphs.upright) * 2 <= np.count_nonzero(shown):
        return None
    votes = _reading_up(glyphs)
    if sum(votes) * 2 > len(votes):  # reads bottom to top: turn the page clockwise

        def clockwise(x0: float, top: float, x1: float, bottom: float) -> Box:
            return (height - bottom, x0, height - top, x1)

        return clockwise

    def anticlockwise(x0: float, top: float, x1: float, bottom: float) -> Box:
        return (top, width - x1, bottom, width - x0)

    return anticlockwise


def turned_glyphs(glyphs: Glyphs, transform: Transform) -> Glyphs:
    """The glyphs in the upright frame, upright (``turned``, a glyph at a time: a page
    set at 90 degrees is rare)."""
    columns = (glyphs.x0.tolist(), glyphs.top.tolist(), glyphs.x1.tolist(), glyphs.bottom.tolist())
    boxes = [transform(*box) for box in zip(*columns, strict=True)]
    x0, top, x1, bottom = (floats([box[k] for box in boxes]) for k in range(4))
    return glyphs.moved(x0, top, x1, bottom, ~glyphs.upright)


def turned(obj: Obj, transform: Transform) -> Obj:
    """An object (glyph or ruling edge) in the upright frame; a turned glyph is upright."""
    x0, top, x1, bottom = transform(obj["x0"], obj["top"], obj["x1"], obj["bottom"])
    out = {**obj, "x0": x0, "x1": x1, "top": top, "bottom": bottom}
    if "upright" in obj:
        out["upright"] = not obj["upright"]
    if "width" in obj and "height" in obj:
        out["width"], out["height"] = x1 - x0, bottom - top
    return out
