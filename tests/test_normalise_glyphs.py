"""Specification of pipeline.normalise.glyphs: ligature glyphs back as their letters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise.glyphs import UNICODE_LIGATURES, repair_ligatures, swapped_letter


def swap(letters: str) -> str:
    """What Ghostscript writes for a ligature of ``letters``: each UTF-16 unit byte-swapped."""
    return "".join(chr(ord(c) << 8) for c in letters)


REPAIR_CASES = [
    # (id, text, repaired, glyphs repaired)
    ("plain text untouched", "Migration office", "Migration office", 0),
    ("empty", "", "", 0),
    ("fi", "\ufb01rst", "first", 1),
    ("fl", "\ufb02uent", "fluent", 1),
    ("ff", "e\ufb00ect", "effect", 1),
    ("ffi", "o\ufb03ce", "office", 1),
    ("ffl", "ba\ufb04e", "baffle", 1),
    ("long s t", "\ufb05reet", "street", 1),
    ("st", "Be\ufb06", "Best", 1),
    ("two in one word", "\ufb01\ufb00y", "fiffy", 2),
    ("inside a URL", "https://www.iom.int/o\ufb03ce", "https://www.iom.int/office", 1),
    ("unicode ligature alone is still expanded", "\ufb01", "fi", 1),
    ("gs ti", f"Migra{swap('ti')}on", "Migration", 1),
    ("gs tt in http", f"h{swap('tt')}p://www.iom.int", "http://www.iom.int", 1),
    ("gs twice in a word", f"nego{swap('ti')}a{swap('ti')}ons", "negotiations", 2),
    ("gs ft after a unicode fi", f"\ufb01{swap('ft')}y", "fifty", 2),
    ("gs capital", f"{swap('Th')}e", "The", 1),
    ("gs at word start", f"{swap('ti')}tle", "title", 1),
    ("gs with digits only beside", f"1{swap('st')}", "1st", 1),
    ("gs with punctuation", f"(Consulta{swap('ti')}ons),", "(Consultations),", 1),
    ("gs next to an accented letter", f"é{swap('ti')}é", "étié", 1),
    ("gs in a sentence", f"the Migra{swap('ti')}on of", "the Migration of", 1),
    ("whitespace kept", f"a\n Migra{swap('ti')}on\t b", "a\n Migration\t b", 1),
    # real CJK text keeps its ideographs, even those that look byte-swapped
    ("lone ideograph pair", swap("ti"), swap("ti"), 0),
    ("ideographs beside other CJK", f"{swap('ti')}\u6c34", f"{swap('ti')}\u6c34", 0),
    ("Latin word with other CJK kept", f"a{swap('ti')}\u6c34", f"a{swap('ti')}\u6c34", 0),
    ("ideograph after a Latin word", f"Migration {swap('ti')}", f"Migration {swap('ti')}", 0),
    ("non-letter high byte kept", "a\u3100b", "a\u3100b", 0),
    ("low byte set kept", "a\u7401b", "a\u7401b", 0),
    ("Cyrillic word kept", f"\u0434{swap('ti')}\u0434", f"\u0434{swap('ti')}\u0434", 0),
    # what Ghostscript did to DejaVu's ligatures cannot be told from real letters
    ("Latin-1 stand-ins not guessed", "o\u00fece \u00fdfty", "o\u00fece \u00fdfty", 0),
]


@pytest.mark.parametrize(
    ("text", "repaired", "count"),
    [c[1:] for c in REPAIR_CASES],
    ids=[c[0] for c in REPAIR_CASES],
)
def test_repair_ligatures(text: str, repaired: str, count: int) -> None:
    assert repair_ligatures(text) == (repaired, count), f"repair_ligatures({text!r})"


@pytest.mark.parametrize("letter", "azAZtiTf")
def test_swapped_letter_decodes_every_ascii_letter(letter: str) -> None:
    assert swapped_letter(swap(letter)) == letter


@pytest.mark.parametrize("char", ["t", "\u4000", "\u5b00", "\u6000", "\u7b00", "\u7401", "\u3000"])
def test_swapped_letter_refuses_non_letters(char: str) -> None:
    assert swapped_letter(char) is None, repr(char)


def test_every_unicode_ligature_is_its_nfkc_letters() -> None:
    import unicodedata

    for char, letters in UNICODE_LIGATURES.items():
        assert unicodedata.normalize("NFKC", char) == letters, hex(ord(char))
    assert sorted(UNICODE_LIGATURES) == [chr(c) for c in range(0xFB00, 0xFB07)]


@given(st.text(alphabet=st.characters(max_codepoint=0x024F)))
def test_latin_text_without_ligatures_is_unchanged(text: str) -> None:
    assert repair_ligatures(text) == (text, 0)


@given(
    st.from_regex(r"[a-z]{0,5}", fullmatch=True),
    st.from_regex(r"[a-z]{1,3}", fullmatch=True),
    st.from_regex(r"[a-z]{1,5}", fullmatch=True),
)
def test_swapped_ligature_inside_a_latin_word_is_its_letters(
    head: str, ligature: str, tail: str
) -> None:
    assert repair_ligatures(head + swap(ligature) + tail) == (head + ligature + tail, 1)
