"""Word building from glyphs: spacing judged against the type size, cut at vertical rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils.text import WordExtractor

from pipeline.read import open_document
from pipeline.words import (
    WORD_KEYS,
    _spaces_drawn,
    build_words,
    split_glyphs,
    turned,
    upright_frame,
    without_overprint,
    without_tracking,
)


def _glyphs(
    text: str, x: float, size: float, advance: float, gap_after: dict[int, float]
) -> list[dict[str, Any]]:
    """Glyphs of one line: each `advance` wide, `gap_after[i]` extra space after glyph i."""
    out = []
    for i, ch in enumerate(text):
        out.append(
            {
                "text": ch,
                "x0": x,
                "x1": x + advance,
                "top": 100.0,
                "bottom": 100.0 + size,
                "size": size,
                "upright": True,
                "fontname": "Helvetica",
                "matrix": (1, 0, 0, 1, x, 0),
                "doctop": 100.0,
            }
        )
        x += advance + gap_after.get(i, 0.0)
    return out


def _texts(pieces: list[list[dict[str, Any]]]) -> list[str]:
    return ["".join(c["text"] for c in p) for p in pieces]


def test_small_type_word_space_splits_under_pdfplumbers_3pt() -> None:
    # 4.3 pt type, 1.7 pt word spaces: pdfplumber's fixed 3 pt would join them
    chars = _glyphs("AANONSEN,DEBORAH", 10, 4.3, 2.4, {8: 1.7})
    assert _texts(split_glyphs(chars, [])) == ["AANONSEN,", "DEBORAH"]


def test_body_text_gap_under_3pt_is_not_split() -> None:
    chars = _glyphs("ab", 10, 12.0, 6.0, {0: 2.9})
    assert _texts(split_glyphs(chars, [])) == ["ab"]


def test_cells_1pt_either_side_of_a_vertical_rule_are_two_words() -> None:
    chars = _glyphs("12.5Total", 10, 10.0, 5.0, {3: 2.0})
    rule = {"x0": 30.0 + 1.0, "top": 90.0, "bottom": 120.0}
    words = build_words(chars, [rule])
    assert [w["text"] for w in words] == ["12.5", "Total"]


def test_a_rule_above_the_line_does_not_cut_it() -> None:
    chars = _glyphs("12.5Total", 10, 10.0, 5.0, {3: 2.0})
    rule = {"x0": 31.0, "top": 40.0, "bottom": 90.0}
    assert [w["text"] for w in build_words(chars, [rule])] == ["12.5Total"]


@pytest.mark.parametrize("b", [1.0, -1.0])
def test_page_set_at_90_degrees_is_turned_upright(b: float) -> None:
    char = {
        "text": "A",
        "x0": 100.0,
        "x1": 110.0,
        "top": 200.0,
        "bottom": 206.0,
        "upright": False,
        "matrix": (0, b, -b, 0, 0, 0),
    }
    turn = upright_frame([char] * 3, 600.0, 800.0)
    assert turn is not None
    up = turned(char, turn)
    assert up["upright"] is True
    assert up["x1"] - up["x0"] == pytest.approx(6.0)
    assert up["bottom"] - up["top"] == pytest.approx(10.0)


def test_upright_page_is_left_alone() -> None:
    assert upright_frame(_glyphs("abc", 0, 10, 5, {}), 600.0, 800.0) is None


def test_wide_letter_spacing_is_read_as_words_not_letters() -> None:
    """Tracking of 3.2 pt at 9 pt type (over pdfplumber's 3 pt): "June 12, 2017"."""
    chars = _glyphs("June12,2017", 10, 9.0, 5.0, {})
    x = 10.0
    for i, c in enumerate(chars):  # every glyph 3.2 pt from the next, words 6 pt more
        c["x0"], c["x1"] = x, x + 5.0
        x += 5.0 + 3.2 + (6.0 if i in (3, 6) else 0.0)
    assert [w["text"] for w in build_words(chars, [])] == ["June", "12,", "2017"]


def test_single_letters_a_word_space_apart_stay_words() -> None:
    chars = _glyphs("abcd", 10, 12.0, 6.0, {0: 2.5, 1: 2.5, 2: 2.5})
    assert [w["text"] for w in build_words(chars, [])] == ["abcd"]


def test_a_jump_between_tight_glyphs_is_two_words_where_spaces_are_glyphs() -> None:
    """A spreadsheet's right-aligned "2016" 2 pt from the next column's "Cairo," at 9 pt
    (under the 2.25 pt word space): where the page draws its spaces, a jump between
    otherwise tight glyphs is the next cell's text."""
    chars = _glyphs("2016Cairo,", 10, 9.0, 5.0, {3: 2.0})
    assert _texts(split_glyphs(chars, [], spaces_drawn=True)) == ["2016", "Cairo,"]
    assert _texts(split_glyphs(chars, [])) == ["2016Cairo,"]


# --------------------------------------------------------------------------- against pdfplumber

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "tests" / "fixtures" / "pdfs").glob("*.pdf")) + sorted(
    (ROOT / "tests" / "fixtures" / "realworld").glob("*.pdf")
)
QUICK = {"rt2-footnotes.pdf", "lo-calc-export.pdf", "schools.pdf", "rt2-rotate90-grid.pdf"}


def _pdfplumbers_words(chars: list[dict[str, Any]], vertical: list[dict[str, Any]]) -> list[Any]:
    """What ``build_words`` stands for: each glyph read once (``without_overprint``),
    pdfplumber's ``WordExtractor`` (fontname runs, blank chars dropped, no ligature
    expansion), each word cut by ``split_glyphs``, letter-spaced runs joined
    (``without_tracking``)."""
    extractor = WordExtractor(
        extra_attrs=["fontname"], keep_blank_chars=False, expand_ligatures=False
    )
    glyphs_read = without_overprint(chars)
    spaces_drawn = _spaces_drawn(glyphs_read)
    words: list[Any] = []
    for word, glyphs in extractor.iter_extract_tuples(glyphs_read):
        if not word.get("upright", True) or not word["text"].strip():
            continue
        pieces = split_glyphs(glyphs, vertical, spaces_drawn)
        if len(pieces) == 1:
            words.append({k: word[k] for k in WORD_KEYS})
            continue
        for p in pieces:
            text = "".join(c["text"] for c in p)
            if text.strip():
                words.append(
                    {
                        "text": text,
                        "x0": min(c["x0"] for c in p),
                        "x1": max(c["x1"] for c in p),
                        "top": min(c["top"] for c in p),
                        "bottom": max(c["bottom"] for c in p),
                        "fontname": p[0].get("fontname", ""),
                    }
                )
    return without_tracking(words)


@pytest.mark.parametrize(
    "pdf",
    [pytest.param(p, id=p.name, marks=[] if p.name in QUICK else [pytest.mark.slow]) for p in PDFS],
)
@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_words_are_pdfplumbers_cut_by_split_glyphs(pdf: Path, engine: Any) -> None:
    """``build_words`` reads each char once; it must give exactly the words of
    pdfplumber's extractor followed by ``split_glyphs``, on every page of the fixtures
    (text, bbox to the last bit, font, order), as each engine reads them."""
    with open_document(engine, pdf, None, 1 << 27) as doc:
        for pageno in range(1, doc.page_count() + 1):
            raw = doc.read(pageno)
            # (pdfplumber's extractor wants a doctop: the page's own top will do)
            chars = [{**c, "doctop": c["top"]} for c in raw.chars.dicts()]
            turn = upright_frame(chars, raw.width, raw.height)
            if turn is not None:
                chars = [turned(c, turn) for c in chars]
            vertical = [
                {"x0": e["x0"], "top": e["top"], "bottom": e["bottom"]}
                for e in (*raw.lines, *raw.rects)
                if e["x1"] - e["x0"] < 1
            ]
            assert build_words(chars, vertical) == _pdfplumbers_words(chars, vertical)


def test_words_cut_at_a_rule_and_at_an_empty_char() -> None:
    chars = _glyphs("ab cd", 10, 10.0, 5.0, {})
    chars[3]["text"] = ""  # a glyph with no Unicode: a word of its own, dropped
    rule = {"x0": 16.0, "top": 90.0, "bottom": 120.0}  # between "a" and "b"
    expected = _pdfplumbers_words(chars, [rule])
    assert [w["text"] for w in build_words(chars, [rule])] == ["a", "b", "d"]
    assert build_words(chars, [rule]) == expected


def _overprint_reference(glyphs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``without_overprint`` as first written: every glyph compared with the kept ones
    near it, no vectorised check first."""
    from pipeline.words import OVERPRINT, OVERPRINT_SHARE, _reading_order

    kept: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for c in glyphs:
        key = (c["text"], c.get("fontname", ""), round(float(c.get("size") or 0.0), 1))
        row = int(c["top"])
        twins = [t for r in (row - 1, row, row + 1) for t in seen.get((*key, r), [])]
        near = min(OVERPRINT, 0.5 * (c["x1"] - c["x0"]))
        if any(abs(t["x0"] - c["x0"]) <= near and abs(t["top"] - c["top"]) <= 1.0 for t in twins):
            continue
        kept.append(c)
        seen.setdefault((*key, row), []).append(c)
    if len(glyphs) - len(kept) <= OVERPRINT_SHARE * sum(1 for c in glyphs if c["text"].strip()):
        return glyphs
    return _reading_order(kept)


_GLYPH = st.tuples(
    st.sampled_from("ab1."),
    st.floats(min_value=-3, max_value=40, allow_nan=False),
    st.floats(min_value=-3, max_value=12, allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_GLYPH, max_size=40), st.lists(st.integers(0, 39), max_size=20))
def test_the_vectorised_check_never_changes_which_glyphs_are_kept(
    spots: list[tuple[str, float, float]], doubled: list[int]
) -> None:
    """``_twins_at_most`` only skips the glyph-by-glyph search where it cannot matter:
    on any page (glyphs anywhere, some painted twice a fraction of a point apart) the
    result is the reference's."""
    glyphs = [
        {"text": t, "x0": x, "x1": x + 2.0, "top": y, "bottom": y + 4.0, "fontname": "F", "size": 4}
        for t, x, y in spots
    ]
    for k in doubled:
        if k < len(glyphs):
            g = glyphs[k]
            glyphs.append({**g, "x0": g["x0"] + 0.3, "x1": g["x1"] + 0.3, "top": g["top"] + 0.2})
    assert without_overprint(glyphs) == _overprint_reference(glyphs)
