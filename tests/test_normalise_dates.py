"""Specification of pipeline.normalise.dates.parse_date_range."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.dates import DateParseError, parse_date_range

D = date

ACCEPTED = [
    # --- single days
    ("month first", "October 13, 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("month first, no comma", "October 13 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("day first", "13 October 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("day first with comma", "13 October, 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("ordinal, month first", "August 2nd, 2016", D(2016, 8, 2), D(2016, 8, 2)),
    ("ordinal, day first", "1st May 2017", D(2017, 5, 1), D(2017, 5, 1)),
    ("three-letter month", "Oct 13, 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("three-letter month with dot", "13 Oct. 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("Sept", "Sept 19, 2016", D(2016, 9, 19), D(2016, 9, 19)),
    ("Sept. with dot", "19 Sept. 2016", D(2016, 9, 19), D(2016, 9, 19)),
    ("upper case", "OCTOBER 13, 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("lower case", "october 13, 2016", D(2016, 10, 13), D(2016, 10, 13)),
    ("leap day", "February 29, 2016", D(2016, 2, 29), D(2016, 2, 29)),
    ("ISO day", "2016-08-02", D(2016, 8, 2), D(2016, 8, 2)),
    # --- ranges within a month
    ("month first, hyphen", "August 2-3, 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("month first, spaced hyphen", "August 2 - 3, 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("seed: November 3 - 4", "November 3 - 4, 2016", D(2016, 11, 3), D(2016, 11, 4)),
    ("month first, four days", "May 2-5, 2017", D(2017, 5, 2), D(2017, 5, 5)),
    ("day first, en dash", "2–3 August 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("day first, spaced hyphen", "2 - 3 August 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("day first, en dash, mid month", "15–17 May 2017", D(2017, 5, 15), D(2017, 5, 17)),
    ("em dash", "15—17 May 2017", D(2017, 5, 15), D(2017, 5, 17)),
    ("minus sign", "15 − 17 May 2017", D(2017, 5, 15), D(2017, 5, 17)),
    ("word 'to'", "2 to 3 August 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("word 'until'", "August 2 until 3, 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("word 'through', upper case", "2 THROUGH 3 August 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("ordinals on both days", "2nd–3rd August 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("ordinal range month first", "August 2nd - 3rd, 2016", D(2016, 8, 2), D(2016, 8, 3)),
    ("month repeated on the end", "Aug 2 - Aug 3, 2016", D(2016, 8, 2), D(2016, 8, 3)),
    # --- ranges across months
    ("day first across months", "30 November – 2 December 2017", D(2017, 11, 30), D(2017, 12, 2)),
    (
        "month first across months",
        "November 30 - December 2, 2017",
        D(2017, 11, 30),
        D(2017, 12, 2),
    ),
    ("abbreviated months across", "30 Nov. – 2 Dec. 2017", D(2017, 11, 30), D(2017, 12, 2)),
    (
        "mixed orders across months",
        "November 30 – 2 December 2017",
        D(2017, 11, 30),
        D(2017, 12, 2),
    ),
    # --- ranges across years
    ("day first, both years", "30 December 2017 – 2 January 2018", D(2017, 12, 30), D(2018, 1, 2)),
    (
        "month first, both years",
        "December 30, 2017 - January 2, 2018",
        D(2017, 12, 30),
        D(2018, 1, 2),
    ),
    ("start year implied", "30 December – 2 January 2018", D(2017, 12, 30), D(2018, 1, 2)),
    (
        "start year implied, month first",
        "December 30 - January 2, 2018",
        D(2017, 12, 30),
        D(2018, 1, 2),
    ),
    ("ISO range", "2016-08-02 – 2016-08-03", D(2016, 8, 2), D(2016, 8, 3)),
    ("ISO range, hyphen", "2016-08-02 - 2016-08-03", D(2016, 8, 2), D(2016, 8, 3)),
    ("ISO range, 'to'", "2017-12-30 to 2018-01-02", D(2017, 12, 30), D(2018, 1, 2)),
    # --- whitespace and range limits
    ("newline inside", "November 3 -\n4, 2016", D(2016, 11, 3), D(2016, 11, 4)),
    ("no-break spaces", "2\u00a0–\u00a03\u00a0August\u00a02016", D(2016, 8, 2), D(2016, 8, 3)),
    ("spaces around", "  13 October 2016  ", D(2016, 10, 13), D(2016, 10, 13)),
    ("no spaces around dash", "30 November–2 December 2017", D(2017, 11, 30), D(2017, 12, 2)),
    ("same day as a range", "2–2 August 2016", D(2016, 8, 2), D(2016, 8, 2)),
    (
        "a whole leap year is 366 days",
        "1 January – 31 December 2016",
        D(2016, 1, 1),
        D(2016, 12, 31),
    ),
]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [case[1:] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_date_range_accepted(text: str, start: date, end: date) -> None:
    assert parse_date_range(text) == (start, end), f"parse_date_range({text!r})"


REJECTED = [
    ("empty", "", "empty text"),
    ("only spaces", " \n ", "empty text"),
    ("season", "Spring 2017", r'unrecognised date "Spring 2017"'),
    ("month only", "May 2017", r'unrecognised date "May 2017"'),
    ("no year", "August 2-3", r'unrecognised date "August 2-3"'),
    ("day and month only", "13 October", r'unrecognised date "13 October"'),
    ("two-digit year", "13 October 16", r'unrecognised date "13 October 16"'),
    ("weekday left over", "Monday, 13 October 2016", r"unexpected 'monday'"),
    ("'from' left over", "from 2 to 3 August 2016", r"unexpected 'from'"),
    ("trailing words", "13 October 2016 (tbc)", r"unexpected"),
    ("unknown month", "13 Octember 2016", r"unexpected 'octember'"),
    ("to be confirmed", "TBC", r'unrecognised date "TBC"'),
    ("two separators", "1-2-3 May 2016", "more than one range separator"),
    ("dangling dash (date split over rows)", "November 3 -", r'unrecognised date "November 3 -"'),
    ("end without year", "2 August 2016 - 3 August", "unsupported range shape"),
    ("day only on the end, day first", "2 August - 3 2016", "unsupported range shape"),
    ("February 30", "February 30, 2017", r'impossible date "February 30, 2017"'),
    ("February 29 of a common year", "29 February 2017", "impossible date"),
    ("day 32", "August 32, 2016", "impossible date"),
    ("ISO month 13", "2016-13-01", "impossible date"),
    ("end before start, same month", "3-2 August 2016", "ends before it starts"),
    ("end before start, ISO", "2016-08-03 - 2016-08-02", "ends before it starts"),
    (
        "end before start, explicit years",
        "2 January 2018 - 30 December 2017",
        "ends before it starts",
    ),
    ("longer than 366 days", "1 January 2016 - 1 January 2017", "longer than 366 days"),
    ("two years", "March 2016 - March 2018", "unrecognised date"),
    ("slash dates", "02/08/2016", "unrecognised date"),
]


@pytest.mark.parametrize(
    ("text", "reason"),
    [case[1:] for case in REJECTED],
    ids=[case[0] for case in REJECTED],
)
def test_date_range_rejected(text: str, reason: str) -> None:
    with pytest.raises(DateParseError, match=reason):
        parse_date_range(text)


def test_date_parse_error_is_a_value_error() -> None:
    assert issubclass(DateParseError, ValueError)


def test_date_range_crossing_months() -> None:
    assert parse_date_range("31 January – 1 February 2017") == (D(2017, 1, 31), D(2017, 2, 1))


def test_date_range_crossing_years_without_start_year_uses_previous_year() -> None:
    assert parse_date_range("31 December – 1 January 2017") == (D(2016, 12, 31), D(2017, 1, 1))


def test_same_month_start_day_after_end_day_is_an_error_not_a_year_back() -> None:
    with pytest.raises(DateParseError, match="ends before it starts"):
        parse_date_range("15–2 May 2017")


def test_error_message_quotes_the_cell_on_one_line() -> None:
    with pytest.raises(DateParseError, match='"Spring 2017"'):
        parse_date_range("Spring\n2017")


# --- property: every supported style round-trips ---------------------------------------

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _month_names(number: int) -> list[str]:
    full = MONTHS[number - 1]
    names = [full, full.upper(), full.lower(), full[:3], full[:3] + "."]
    return [*names, "Sept", "Sept."] if number == 9 else names


@st.composite
def month_name(draw: st.DrawFn, number: int) -> str:
    return draw(st.sampled_from(_month_names(number)))


SEPARATORS = st.sampled_from(["-", "–", "—", "−", " - ", " – ", " to ", " until ", " through "])
ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


@st.composite
def day_number(draw: st.DrawFn, day: int) -> str:
    return f"{day}{ORDINAL.get(day, 'th')}" if draw(st.booleans()) else str(day)


def _day_first(draw: st.DrawFn, start: date, end: date, sep: str) -> str:
    d1, d2 = draw(day_number(start.day)), draw(day_number(end.day))
    m1, m2 = draw(month_name(start.month)), draw(month_name(end.month))
    if start == end:
        return f"{d1} {m1} {start.year}"
    if start.year != end.year:
        return f"{d1} {m1} {start.year}{sep}{d2} {m2} {end.year}"
    if start.month != end.month:
        return f"{d1} {m1}{sep}{d2} {m2} {end.year}"
    return f"{d1}{sep}{d2} {m2} {end.year}"


def _month_first(draw: st.DrawFn, start: date, end: date, sep: str) -> str:
    d1, d2 = draw(day_number(start.day)), draw(day_number(end.day))
    m1, m2 = draw(month_name(start.month)), draw(month_name(end.month))
    comma = draw(st.sampled_from([",", ""]))
    if start == end:
        return f"{m1} {d1}{comma} {start.year}"
    if start.year != end.year:
        return f"{m1} {d1}{comma} {start.year}{sep}{m2} {d2}{comma} {end.year}"
    if start.month != end.month:
        return f"{m1} {d1}{sep}{m2} {d2}{comma} {end.year}"
    return f"{m1} {d1}{sep}{d2}{comma} {end.year}"


def _full_both(draw: st.DrawFn, start: date, end: date, sep: str) -> str:
    m1, m2 = draw(month_name(start.month)), draw(month_name(end.month))
    return f"{start.day} {m1} {start.year}{sep}{end.day} {m2} {end.year}"


def _implied_start_year(draw: st.DrawFn, start: date, end: date, sep: str) -> str:
    if start.month == end.month:  # the shape only exists across months
        return _day_first(draw, start, end, sep)
    m1, m2 = draw(month_name(start.month)), draw(month_name(end.month))
    return f"{start.day} {m1}{sep}{end.day} {m2} {end.year}"


def _iso(draw: st.DrawFn, start: date, end: date, sep: str) -> str:
    if start == end:
        return start.isoformat()
    return (
        f"{start.isoformat()}{draw(st.sampled_from([' - ', ' – ', ' to ', '–']))}{end.isoformat()}"
    )


STYLES = [_day_first, _month_first, _full_both, _implied_start_year, _iso]


@st.composite
def formatted_range(draw: st.DrawFn) -> tuple[str, date, date]:
    start = draw(st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31)))
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=10)))
    style = draw(st.sampled_from(STYLES))
    return style(draw, start, end, draw(SEPARATORS)), start, end


@settings(max_examples=200, deadline=None)
@given(formatted_range())
def test_every_supported_style_round_trips(case: tuple[str, date, date]) -> None:
    text, start, end = case
    assert parse_date_range(text) == (start, end), f"parse_date_range({text!r})"


@settings(max_examples=100, deadline=None)
@given(formatted_range(), st.sampled_from(["\n", "\u00a0", "  ", "\t"]))
def test_whitespace_inside_does_not_matter(case: tuple[str, date, date], space: str) -> None:
    text, start, end = case
    assert parse_date_range(text.replace(" ", space)) == (start, end)


@settings(max_examples=100, deadline=None)
@given(formatted_range(), st.sampled_from(["Spring", "tbc", "Monday", "from", "(online)"]))
def test_extra_words_are_rejected(case: tuple[str, date, date], word: str) -> None:
    text, _, _ = case
    with pytest.raises(DateParseError):
        parse_date_range(f"{word} {text}")


@pytest.mark.parametrize("text", ["del", "du", "desde", "del ,", "du -"])
def test_an_opening_word_alone_is_refused_not_a_crash(text: str) -> None:
    """Found by tests/test_fuzz_dates.py: "del" alone raised IndexError, which would have
    failed the whole input as an internal error instead of rejecting one row."""
    with pytest.raises(DateParseError):
        parse_date_range(text)
