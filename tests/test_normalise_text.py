"""Specification of pipeline.normalise.text: whitespace, line joining, markup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.text import collapse_ws, join_lines, strip_markup

SHY = "\u00ad"

COLLAPSE_CASES = [
    ("plain", "a b", "a b"),
    ("strips ends", "  a b  ", "a b"),
    ("runs of spaces", "a    b", "a b"),
    ("newline and tab", "a\n\tb", "a b"),
    ("no-break space", "a\u00a0b", "a b"),
    ("narrow no-break and thin space", "a\u202f\u2009b", "a b"),
    ("ideographic space", "a\u3000b", "a b"),
    ("carriage return", "a\r\nb", "a b"),
    ("soft hyphen removed inside word", f"nego{SHY}tiations", "negotiations"),
    ("zero-width space removed, not a space", "Gene\u200bva", "Geneva"),
    ("byte-order mark removed", "\ufeffGeneva", "Geneva"),
    ("zero-width joiner removed", "a\u200db", "ab"),
    ("only whitespace", " \n\u00a0\t ", ""),
    ("empty", "", ""),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in COLLAPSE_CASES],
    ids=[case[0] for case in COLLAPSE_CASES],
)
def test_collapse_ws(text: str, expected: str) -> None:
    assert collapse_ws(text) == expected, f"collapse_ws({text!r})"


WHITESPACE = st.sampled_from([" ", "\n", "\t", "\u00a0", "\u2009", "\r", "\u3000"])
NOISY_TEXT = st.lists(
    st.one_of(st.text(max_size=5), WHITESPACE, st.sampled_from([SHY, "\u200b", "\ufeff"])),
    max_size=12,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(NOISY_TEXT)
def test_collapse_ws_is_idempotent(text: str) -> None:
    once = collapse_ws(text)
    assert collapse_ws(once) == once


@settings(max_examples=200, deadline=None)
@given(NOISY_TEXT)
def test_collapse_ws_leaves_single_spaces_only(text: str) -> None:
    result = collapse_ws(text)
    assert "  " not in result
    assert result == result.strip()
    assert all(ch == " " or not ch.isspace() for ch in result)
    assert not {SHY, "\u200b", "\ufeff"} & set(result)


JOIN_CASES = [
    ("single line", ["Cairo, Egypt"], "Cairo, Egypt"),
    (
        "plain lines join with a space",
        ["Global Forum on", "Migration"],
        "Global Forum on Migration",
    ),
    ("lines are stripped", ["  a  ", "  b "], "a b"),
    ("empty lines are skipped", ["a", "", "   ", "b"], "a b"),
    ("no lines", [], ""),
    ("soft hyphen removed, no space", [f"negoti{SHY}", "ations"], "negotiations"),
    ("soft hyphen before trailing space", [f"negoti{SHY}  ", "ations"], "negotiations"),
    ("soft hyphen carries over an empty line", [f"negoti{SHY}", "", "ations"], "negotiations"),
    ("hard hyphen, lower case next", ["Follow-", "up"], "Follow-up"),
    ("hard hyphen, capital next", ["Inter-", "Governmental"], "Inter-Governmental"),
    ("hard hyphen after a digit", ["2016-", "2017"], "2016-2017"),
    ("hyphen after a space is a dash", ["November 3 -", "4, 2016"], "November 3 - 4, 2016"),
    ("en dash at line end keeps a space", ["Asia –", "Pacific"], "Asia – Pacific"),
    ("en dash after a letter is not a hyphen", ["Asia–", "Pacific"], "Asia– Pacific"),
    ("non-breaking hyphen U+2011 acts like -", ["Follow\u2011", "up"], "Follow\u2011up"),
    ("typeset hyphen U+2010 before lower case goes", ["Follow\u2010", "up"], "Followup"),
    ("lone hyphen line", ["a", "-", "b"], "a - b"),
    ("newlines inside a line collapse", ["a\nb", "c"], "a b c"),
    ("zero-width space after soft hyphen", [f"negoti{SHY}\u200b", "ations"], "negotiations"),
    (
        "three lines",
        ["Regional Conference", "on Migra" + SHY, "tion (RCM)"],
        "Regional Conference on Migration (RCM)",
    ),
]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [case[1:] for case in JOIN_CASES],
    ids=[case[0] for case in JOIN_CASES],
)
def test_join_lines(lines: list[str], expected: str) -> None:
    assert join_lines(lines) == expected, f"join_lines({lines!r})"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab -\u00ad\n", max_size=8), max_size=6))
def test_join_lines_result_is_collapsed(lines: list[str]) -> None:
    result = join_lines(lines)
    assert collapse_ws(result) == result


MARKUP_CASES = [
    ("italic", "<i>Global RCP Meeting</i>", "Global RCP Meeting"),
    ("bold", "<b>IOM</b> report", "IOM report"),
    ("upper-case tags", "<I>x</I>", "x"),
    ("inside text", "the <i>Bali Process</i> meeting", "the Bali Process meeting"),
    ("other tags kept", "<u>x</u> a < b > c", "<u>x</u> a < b > c"),
    ("no markup", "plain", "plain"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in MARKUP_CASES],
    ids=[case[0] for case in MARKUP_CASES],
)
def test_strip_markup(text: str, expected: str) -> None:
    assert strip_markup(text) == expected, f"strip_markup({text!r})"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Secre\u2010", "tariats"], "Secretariats"),
        (["De\u2010", "velopment (GFMD)"], "Development (GFMD)"),
        (["Inter\u2010", "Governmental"], "Inter\u2010Governmental"),
        (["Follow-", "up"], "Follow-up"),
        (["2016\u2010", "2017"], "2016\u20102017"),
    ],
    ids=["browser-hyphen", "browser-hyphen-2", "capital-keeps", "hard-hyphen", "digits"],
)
def test_browser_hyphenation_is_undone_only_before_lower_case(
    lines: list[str], expected: str
) -> None:
    assert join_lines(lines) == expected, lines
