"""Specification of pipeline.normalise.urls: split_urls and rejoin_wrapped_urls."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.normalise.urls import rejoin_wrapped_urls, split_urls

IOM_IDM = (
    "http://www.iom.int/international-dialogue-migration-2016-follow-and-review-migration-sdgs"
)
CSM = "http://csm-osumi.org/Archivos/ConfCSM/2%20Declaracion%20CSM%20Ingl%C3%A9s.pdf"

SPLIT_CASES = [
    ("no URL", "Issued a declaration.", "Issued a declaration.", []),
    ("URL at the end", f"Further by negotiating. {IOM_IDM}", "Further by negotiating.", [IOM_IDM]),
    ("percent escapes", f"In the Declaration. {CSM}", "In the Declaration.", [CSM]),
    (
        "https",
        "See https://www.iom.int/2016-global-rcp-meeting",
        "See",
        ["https://www.iom.int/2016-global-rcp-meeting"],
    ),
    ("bare www", "See www.igc.ch for more", "See for more", ["www.igc.ch"]),
    ("upper-case scheme", "See HTTP://WWW.IGC.CH now", "See now", ["HTTP://WWW.IGC.CH"]),
    ("full stop after URL", "See http://www.igc.ch.", "See.", ["http://www.igc.ch"]),
    ("comma after URL", "See http://www.igc.ch, then", "See, then", ["http://www.igc.ch"]),
    (
        "semicolon and colon",
        "a http://a.org; b http://b.org: c",
        "a; b: c",
        ["http://a.org", "http://b.org"],
    ),
    (
        "closing paren not in URL",
        "Report (http://www.igc.ch) here",
        "Report here",
        ["http://www.igc.ch"],
    ),
    ("empty parens removed", "Report (http://www.igc.ch).", "Report.", ["http://www.igc.ch"]),
    (
        "balanced paren kept",
        "See http://en.wikipedia.org/wiki/Bali_(island).",
        "See.",
        ["http://en.wikipedia.org/wiki/Bali_(island)"],
    ),
    (
        "balanced paren inside outer paren",
        "(see http://x.org/a_(b))",
        "(see)",
        ["http://x.org/a_(b)"],
    ),
    ("closing bracket", "[http://x.org/a]", "", ["http://x.org/a"]),
    (
        "query and fragment",
        "at https://x.org/p?a=1&b=2#top, more",
        "at, more",
        ["https://x.org/p?a=1&b=2#top"],
    ),
    ("tilde and underscore", "at http://x.org/~me/a_b rest", "at rest", ["http://x.org/~me/a_b"]),
    ("trailing slash kept", "http://www.gfmd.org/ is", "is", ["http://www.gfmd.org/"]),
    ("two URLs in order", "http://a.org and http://b.org", "and", ["http://a.org", "http://b.org"]),
    ("URLs glued by a comma", "http://a.org,http://b.org", ",", ["http://a.org", "http://b.org"]),
    (
        "archive URL stays whole",
        "http://web.archive.org/web/2016/http://x.org/",
        "",
        ["http://web.archive.org/web/2016/http://x.org/"],
    ),
    ("quotes end a URL", 'link "http://x.org" here', "link here", ["http://x.org"]),
    ("curly quotes end a URL", "link “http://x.org”.", "link.", ["http://x.org"]),
    ("newlines collapsed", "See\nhttp://x.org\nnow", "See now", ["http://x.org"]),
    ("www. alone is not a URL", "the www. prefix", "the www. prefix", []),
    ("e-mail is not a URL", "info@www.x.org", "info@www.x.org", []),
    ("URL only", IOM_IDM, "", [IOM_IDM]),
    ("empty", "", "", []),
]


@pytest.mark.parametrize(
    ("text", "rest", "urls"),
    [case[1:] for case in SPLIT_CASES],
    ids=[case[0] for case in SPLIT_CASES],
)
def test_split_urls(text: str, rest: str, urls: list[str]) -> None:
    assert split_urls(text) == (rest, urls), f"split_urls({text!r})"


REJOIN_CASES = [
    (
        "brief: broken after a hyphen",
        [
            "... SDGs.",
            "http://www.iom.int/international-dialogue-migration-2016-follow-",
            "and-review-migration-sdgs",
        ],
        ["... SDGs.", IOM_IDM],
    ),
    (
        "brief: broken mid-word before a percent escape",
        ["text http://csm-osumi.org/Archivos/ConfCSM/2%20Declaracion%20CSM%20Ingl", "%C3%A9s.pdf"],
        [f"text {CSM}"],
    ),
    (
        "brief: two URLs",
        ["http://www.rcmvs.org", "http://csm-osumi.org"],
        ["http://www.rcmvs.org", "http://csm-osumi.org"],
    ),
    (
        "brief: next sentence",
        ["see http://www.igc.ch", "The next sentence"],
        ["see http://www.igc.ch", "The next sentence"],
    ),
    (
        "after a slash, capital next",
        ["http://x.org/Archivos/", "ConfCSM/2.pdf"],
        ["http://x.org/Archivos/ConfCSM/2.pdf"],
    ),
    (
        "after a slash, text follows",
        ["see http://x.org/a/", "b.pdf More text"],
        ["see http://x.org/a/b.pdf More text"],
    ),
    ("after =", ["http://x.org/p?id=", "42"], ["http://x.org/p?id=42"]),
    ("three lines", ["http://x.org/a-", "b-", "c"], ["http://x.org/a-b-c"]),
    (
        "mid-word, continuation has a slash",
        ["http://www.iom", ".int/idm"],
        ["http://www.iom.int/idm"],
    ),
    (
        "mid-word, lower-case token with a dot",
        ["http://x.org/report2016", "final.pdf"],
        ["http://x.org/report2016final.pdf"],
    ),
    (
        "mid-word, lower-case word alone on its line",
        ["http://x.org/informa", "tion"],
        ["http://x.org/information"],
    ),
    (
        "mid-word, lower-case word ending a sentence",
        ["http://x.org/informa", "tion. More"],
        ["http://x.org/information. More"],
    ),
    ("after a dot, lower case next", ["http://www.", "iom.int"], ["http://www.iom.int"]),
    (
        "after a dot, capital next: sentence",
        ["see http://www.igc.ch.", "The next"],
        ["see http://www.igc.ch.", "The next"],
    ),
    (
        "lower-case prose after a URL",
        ["see http://www.igc.ch", "and more"],
        ["see http://www.igc.ch", "and more"],
    ),
    (
        "comma after URL ends it",
        ["see http://www.igc.ch,", "and-more"],
        ["see http://www.igc.ch,", "and-more"],
    ),
    (
        "closing paren after URL ends it",
        ["(http://www.igc.ch)", "a/b"],
        ["(http://www.igc.ch)", "a/b"],
    ),
    ("next line starts a URL", ["http://a.org/", "www.b.org"], ["http://a.org/", "www.b.org"]),
    ("URL not last on the line", ["see http://a.org/ here", "b"], ["see http://a.org/ here", "b"]),
    ("empty next line", ["http://a.org/", ""], ["http://a.org/", ""]),
    ("no URL at all", ["Follow-", "up"], ["Follow-", "up"]),
    ("untouched lines keep their spaces", ["  a  ", " b "], ["  a  ", " b "]),
    ("joined line drops the break's spaces", ["http://a.org/  ", "  b"], ["http://a.org/b"]),
    ("no lines", [], []),
]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [case[1:] for case in REJOIN_CASES],
    ids=[case[0] for case in REJOIN_CASES],
)
def test_rejoin_wrapped_urls(lines: list[str], expected: list[str]) -> None:
    assert rejoin_wrapped_urls(lines) == expected, f"rejoin_wrapped_urls({lines!r})"


def test_rejoin_then_split_gives_the_whole_url() -> None:
    lines = ["Further by negotiating.", *IOM_IDM.replace("follow-", "follow-\n").split("\n")]
    (joined,) = rejoin_wrapped_urls([" ".join(lines[:2]), lines[2]])
    assert split_urls(joined) == ("Further by negotiating.", [IOM_IDM])


# --- properties ------------------------------------------------------------------------

SCHEMES = st.sampled_from(["http://", "https://", "http://www.", "https://www.", "www."])
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
HOST = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(LABEL, min_size=1, max_size=3),
    st.sampled_from(["org", "int", "ch", "net"]),
)
ESCAPE = st.builds(lambda h: f"%{h:02X}", st.integers(min_value=0, max_value=255))
PATH_CHAR = st.one_of(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~/.?=&#"),
    ESCAPE,
)
# A generated URL never ends in sentence punctuation, so it is unambiguous in prose.
PATH = (
    st.lists(PATH_CHAR, max_size=30).map("".join).filter(lambda p: not p or p[-1] not in ".,;:)]")
)


@st.composite
def urls(draw: st.DrawFn) -> tuple[str, int]:
    """A URL and the length of its scheme + host."""
    scheme, host, path = draw(SCHEMES), draw(HOST), draw(PATH)
    return f"{scheme}{host}/{path}", len(scheme) + len(host)


PROSE = st.text(alphabet="abcdefghij ABC.,;", max_size=30).filter(
    lambda t: "www." not in t.casefold()
)


@settings(max_examples=200, deadline=None)
@given(PROSE, urls())
def test_split_urls_returns_an_appended_url_whole(text: str, url_and_host: tuple[str, int]) -> None:
    url, _ = url_and_host
    rest, found = split_urls(f"{text} {url}")
    assert found == [url]
    assert rest == split_urls(text)[0]


@settings(max_examples=200, deadline=None)
@given(PROSE, urls(), st.sampled_from([".", ",", ";", ":", ")", "]", " and more.", ""]))
def test_split_urls_leaves_sentence_punctuation_out(
    text: str, url_and_host: tuple[str, int], after: str
) -> None:
    url, _ = url_and_host
    assert split_urls(f"{text} {url}{after}")[1] == [url]


@st.composite
def broken_urls(draw: st.DrawFn, after: str) -> tuple[str, int]:
    """A URL and a break position past scheme and host, right after a char in ``after``."""
    scheme, host, head, rest = draw(SCHEMES), draw(HOST), draw(PATH), draw(PATH)
    cut = draw(st.sampled_from(after))
    assume(rest and not rest.casefold().startswith(("http", "www")))
    before = f"{scheme}{host}/" if cut == "/" and not head else f"{scheme}{host}/{head}{cut}"
    return before + rest, len(before)


TRAILERS = st.sampled_from(["", " More text.", " and so on"])


@settings(max_examples=200, deadline=None)
@given(PROSE, broken_urls("/-_?=&%#"), TRAILERS)
def test_url_broken_after_a_break_character_comes_back_whole(
    text: str, case: tuple[str, int], trailer: str
) -> None:
    """Contract rule 1: a URL ending in / - _ ? = & % # is continued, except after "/"
    by a capitalised word with no URL punctuation (that reads as prose)."""
    url, at = case
    token = (url[at:] + trailer).split()[0]
    prose = url[at - 1] == "/" and token[0].isupper() and not set(token) & set("/.-_~%?=&#")
    lines = [f"{text} {url[:at]}", url[at:] + trailer]
    expected = lines if prose else [f"{text} {url}{trailer}"]
    assert rejoin_wrapped_urls(lines) == expected, lines


@settings(max_examples=200, deadline=None)
@given(PROSE, broken_urls("."), TRAILERS)
def test_url_broken_after_a_dot_comes_back_whole_unless_a_capital_follows(
    text: str, case: tuple[str, int], trailer: str
) -> None:
    """Contract rule 2: after ".", join iff the next token starts lower-case, digit or
    URL punctuation; a capital after a full stop is read as the next sentence."""
    url, at = case
    lines = [f"{text} {url[:at]}", url[at:] + trailer]
    if url[at].isupper():
        assert rejoin_wrapped_urls(lines) == lines
    else:
        assert rejoin_wrapped_urls(lines) == [f"{text} {url}{trailer}"], lines


@settings(max_examples=100, deadline=None)
@given(urls(), st.data())
def test_url_broken_several_times_after_slashes_comes_back_whole(
    url_and_host: tuple[str, int], data: st.DataObject
) -> None:
    url, host_end = url_and_host
    slashes = [i + 1 for i in range(host_end, len(url) - 1) if url[i] == "/"]
    cuts = sorted(data.draw(st.sets(st.sampled_from(slashes), max_size=4))) if slashes else []
    pieces = [url[a:b] for a, b in zip([0, *cuts], [*cuts, len(url)], strict=True)]
    assume(all(not piece.casefold().startswith(("http", "www")) for piece in pieces[1:]))
    # a capitalised piece with no URL punctuation after a "/" reads as prose (rule 1)
    assume(not any(p[0].isupper() and not set(p) & set("/.-_~%?=&#") for p in pieces[1:]))
    assert rejoin_wrapped_urls(pieces) == [url]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc ABC.,-", max_size=15), max_size=5))
def test_lines_without_urls_are_untouched(lines: list[str]) -> None:
    assert rejoin_wrapped_urls(lines) == lines


@pytest.mark.parametrize(
    ("lines", "url"),
    [
        (
            ["the GCM. h", "ttps://www.iom.int/idm-2017-global-compact-migration"],
            "https://www.iom.int/idm-2017-global-compact-migration",
        ),
        (
            [
                "South America. htt",
                "p://csm-osumi.org/Archivos/",
                "ConfCSM/2%20Declaracion",
                "%20CSM%20Ingl%C3%A9s",
                ".pdf",
            ],
            "http://csm-osumi.org/Archivos/ConfCSM/2%20Declaracion%20CSM%20Ingl%C3%A9s.pdf",
        ),
        (["in 2017. https://", "www.budapestprocess.org"], "https://www.budapestprocess.org"),
        (["etc. http://", "www.igc.ch"], "http://www.igc.ch"),
    ],
    ids=["h|ttps", "htt|p", "bare-https", "bare-http"],
)
def test_url_broken_inside_or_right_after_its_scheme(lines: list[str], url: str) -> None:
    _, urls = split_urls(" ".join(rejoin_wrapped_urls(lines)))
    assert urls == [url], lines


def test_word_h_at_line_end_is_not_glued_to_plain_text() -> None:
    assert rejoin_wrapped_urls(["a h", "ttp is not a url"]) == ["a h", "ttp is not a url"]


def test_browser_hyphen_inside_a_wrapped_url_is_dropped() -> None:
    lines = ["GCM. http://abudha\u2010", "bidialogue.org.ae"]
    _, urls = split_urls(" ".join(rejoin_wrapped_urls(lines)))
    assert urls == ["http://abudhabidialogue.org.ae"]
