"""Event date cells -> (first day, last day).

The events table is typed by hand, so the same range turns up as "August 2-3, 2016",
"2–3 August 2016", "2nd to 3rd August 2016" or "2016-08-02 – 2016-08-03". We accept a
fixed list of shapes and refuse everything else: a wrong date silently changes an
``event_id``, a refused one is fixed once in the source.

How it works: the text is reduced to tokens (day, month, year, and at most one range
separator), then each side of the separator must match one of a few token patterns.

Surprising but deliberate:

* The start inherits what it leaves out from the end ("2–3 August 2016", "30 November –
  2 December 2017"); the end inherits only its month ("August 2 - 3, 2016"). The end
  always needs a year.
* A start *month* later than the end month, with no start year, means the previous year
  ("30 December – 2 January 2018" starts on 2017-12-30). A start *day* later than the end
  day in the same month is an error, not a year-long range.
* Commas are ignored wherever they are; ordinal suffixes (st/nd/rd/th) are accepted
  without checking that they fit the number.
* "Range longer than 366 days" counts both ends: 2016-01-01 to 2016-12-31 (366 days, a leap
  year) passes, 2016-01-01 to 2017-01-01 does not.
* Weekday names, "from", "Spring", two-digit years ... are leftovers and make the cell
  fail. We do not guess.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

from .text import collapse_ws

MAX_RANGE_DAYS = 366

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
# Full names and three-letter abbreviations (a trailing dot is dropped before lookup).
_MONTHS: dict[str, int] = {
    name: number
    for number, full in enumerate(_MONTH_NAMES.split(), start=1)
    for name in (full, full[:3])
} | {"sept": 9}

# Hyphen, the Unicode hyphens and dashes (U+2010..U+2015) and the minus sign.
_DASH = r"[-\u2010-\u2015\u2212]"
_SEPARATOR = re.compile(rf"\s*{_DASH}\s*|\s+(?:to|until|through)\s+", re.IGNORECASE)
_ISO_DAY = r"(\d{4})-(\d{2})-(\d{2})"
_ISO = re.compile(rf"{_ISO_DAY}(?:(?:\s*{_DASH}\s*|\s+(?:to|until|through)\s+){_ISO_DAY})?")
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\d{4}")


class DateParseError(ValueError):
    """A date cell that is not one of the accepted shapes, or not a real date range."""


class _Side(NamedTuple):
    day: int
    month: int | None
    year: int | None
    shape: str  # token pattern: "D", "DM", "MD", "DMY", "MDY" or "DY"


# Which side shapes may be combined into a range (start shape, end shape).
_FULL = ("DMY", "MDY")
_RANGE_SHAPES = {
    *((start, end) for start in ("DM", "MD", *_FULL) for end in _FULL),
    ("D", "DMY"),  # 2–3 August 2016
    ("MD", "DY"),  # August 2-3, 2016
}
_SINGLE_SHAPES = set(_FULL)


def _token_kind(token: str) -> tuple[str, int] | None:
    if _YEAR.fullmatch(token):
        return "Y", int(token)
    if day := _DAY.fullmatch(token):
        return "D", int(day.group(1))
    month = _MONTHS.get(token.removesuffix("."))
    return ("M", month) if month else None


def _side(words: str) -> _Side | str:
    """One side of the range, or the reason it is not one."""
    tokens = words.replace(",", " ").split()
    kinds = [_token_kind(token) for token in tokens]
    for token, kind in zip(tokens, kinds, strict=True):
        if kind is None:
            return f"unexpected {token!r}"
    shape = "".join(kind[0] for kind in kinds if kind)
    values = {kind[0]: kind[1] for kind in kinds if kind}
    if "D" not in values or len(values) != len(shape):
        return "expected day, month and year"
    return _Side(values["D"], values.get("M"), values.get("Y"), shape)


def _make(text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise DateParseError(f'impossible date "{text}": {error}') from None


def _from_iso(text: str, match: re.Match[str]) -> tuple[datetime.date, datetime.date]:
    numbers = [int(group) for group in match.groups() if group is not None]
    start = _make(text, *numbers[:3])
    end = _make(text, *numbers[3:]) if len(numbers) == 6 else start
    return start, end


def _from_words(text: str, cleaned: str) -> tuple[datetime.date, datetime.date]:
    pieces = _SEPARATOR.split(cleaned)
    if len(pieces) > 2:
        raise DateParseError(f'unrecognised date "{text}": more than one range separator')
    sides: list[_Side] = []
    for piece in pieces:
        side = _side(piece)
        if isinstance(side, str):
            raise DateParseError(f'unrecognised date "{text}": {side}')
        sides.append(side)
    if len(sides) == 1:
        only = sides[0]
        if only.shape not in _SINGLE_SHAPES:
            raise DateParseError(f'unrecognised date "{text}": expected day, month and year')
        assert only.month is not None and only.year is not None
        day = _make(text, only.year, only.month, only.day)
        return day, day
    first, last = sides
    if (first.shape, last.shape) not in _RANGE_SHAPES:
        raise DateParseError(f'unrecognised date "{text}": unsupported range shape')
    assert last.year is not None
    end_month = last.month if last.month is not None else first.month
    start_month = first.month if first.month is not None else end_month
    assert start_month is not None and end_month is not None
    start_year = first.year
    if start_year is None:
        crosses_new_year = first.month is not None and start_month > end_month
        start_year = last.year - 1 if crosses_new_year else last.year
    start = _make(text, start_year, start_month, first.day)
    return start, _make(text, last.year, end_month, last.day)


def parse_date_range(text: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of an event date cell; a single date gives (day, day).

    Raises DateParseError for empty text, unknown shapes or leftover words, impossible
    dates, a range that ends before it starts and one longer than 366 days.
    """
    shown = collapse_ws(text)  # error messages quote the cell on one line
    cleaned = shown.casefold()
    if not cleaned:
        raise DateParseError("unrecognised date: empty text")
    iso = _ISO.fullmatch(cleaned)
    start, end = _from_iso(shown, iso) if iso else _from_words(shown, cleaned)
    if end < start:
        raise DateParseError(f'date range ends before it starts "{shown}"')
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise DateParseError(f'date range longer than {MAX_RANGE_DAYS} days "{shown}"')
    return start, end
