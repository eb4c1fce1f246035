"""Event date cells -> (first day, last day).

The events table is typed by hand, so the same range turns up as "August 2-3, 2016",
"2–3 August 2016", "2nd to 3rd August 2016" or "2016-08-02 – 2016-08-03", and in the
French and Spanish editions as "du 2 au 3 août 2016" or "2 al 3 de agosto de 2016". We
accept a fixed list of shapes and refuse everything else: a wrong date silently changes an
``event_id``, a refused one is fixed once in the source.

How it works: the text is reduced to tokens (day, month, year, and at most one range
separator) in one language at a time (``languages.LANGUAGES``: its month names, range
words and token patterns), then each side of the separator must match one of that
language's token patterns. A cell must read wholly in one language: "2 y 3 August 2016"
is refused.

Surprising but deliberate:

* The start inherits what it leaves out from the end ("2–3 August 2016", "30 November –
  2 December 2017"); the end inherits only its month ("August 2 - 3, 2016"). The end
  always needs a year.
* A start *month* later than the end month, with no start year, means the previous year
  ("30 December – 2 January 2018" starts on 2017-12-30). A start *day* later than the end
  day in the same month is an error, not a year-long range.
* Commas are ignored wherever they are; ordinal suffixes (st/nd/rd/th, "º") are accepted
  without checking that they fit the number. French "1er" is the only French ordinal.
* "2 et 3 août", "3 y 4 de noviembre" name two days: we read them as the range from the
  first to the last, which is what start_date / end_date can say.
* An opening word needs its partner: "du 12 au 14" and "del 2 al 3", not "du 12 – 14".
  Spanish "de" is accepted only between day and month or month and year.
* Accents may be missing ("aout", "decembre"); month names match either way.
* "Range longer than 366 days" counts both ends: 2016-01-01 to 2016-12-31 (366 days, a leap
  year) passes, 2016-01-01 to 2017-01-01 does not.
* Weekday names, "from", "Spring", two-digit years ... are leftovers and make the cell
  fail. We do not guess.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import NamedTuple

from .languages import LANGUAGES, Language, fold
from .text import collapse_ws

MAX_RANGE_DAYS = 366

# Hyphen, the Unicode hyphens and dashes (U+2010..U+2015) and the minus sign.
_DASH = r"[-\u2010-\u2015\u2212]"
_DASHES = re.compile(rf"\s*{_DASH}\s*")
_ISO_DAY = r"(\d{4})-(\d{2})-(\d{2})"
_ISO = re.compile(rf"{_ISO_DAY}(?:(?:\s*{_DASH}\s*|\s+(?:to|until|through)\s+){_ISO_DAY})?")
_YEAR = re.compile(r"\d{4}")
_SEP = "-"  # every range separator, once tokenised


class DateParseError(ValueError):
    """A date cell that is not one of the accepted shapes, or not a real date range."""


class _Side(NamedTuple):
    day: int
    month: int | None
    year: int | None
    shape: str  # token pattern: "D", "DM", "MD", "DMY", "MDY" or "DY"


class _Failure(NamedTuple):
    reason: str
    known: int  # tokens this language recognised: the best-read language explains a refusal


def _tokens(cleaned: str) -> list[str]:
    return _DASHES.sub(f" {_SEP} ", cleaned).replace(",", " ").split()


def _token_kind(token: str, lang: Language) -> tuple[str, int] | None:
    if _YEAR.fullmatch(token):
        return "Y", int(token)
    if day := re.fullmatch(lang.day_pattern, token):
        return "D", int(day.group(1)) if day.group(1) != "1er" else 1
    month = lang.months.get(fold(token).removesuffix("."))
    return ("M", month) if month else None


def _known(tokens: list[str], lang: Language) -> int:
    """How many tokens ``lang`` reads (numbers, its month names and joining words)."""
    words = [fold(t) for t in tokens]
    joining = {_SEP, *lang.range_words, *lang.opening_words, *lang.date_fillers}
    return sum(
        1 for t, w in zip(tokens, words, strict=True) if w in joining or _token_kind(t, lang)
    )


def _split(tokens: list[str], lang: Language, known: int) -> list[list[str]] | _Failure:
    """The sides of the range, opening and range words removed."""
    words = [fold(t) for t in tokens]
    closing: str | None = None
    if words and words[0] in lang.opening_words:
        closing = lang.opening_words[words[0]]
        tokens, words = tokens[1:], words[1:]
    seps = [i for i, w in enumerate(words) if w == _SEP or w in lang.range_words]
    if len(seps) > 1:
        return _Failure("more than one range separator", known)
    if closing is not None and not tokens:
        return _Failure("no date", known)  # "del" alone
    if closing is not None and (not seps or words[seps[0]] != closing):
        return _Failure(f"unexpected {tokens[0] if not seps else tokens[seps[0]]!r}", known)
    if not seps:
        return [tokens]
    return [tokens[: seps[0]], tokens[seps[0] + 1 :]]


def _kind_at(kinds: list[tuple[str, int] | None], i: int) -> str:
    kind = kinds[i] if 0 <= i < len(kinds) else None
    return kind[0] if kind else ""


def _side(tokens: list[str], lang: Language) -> _Side | str:
    """One side of the range, or the reason it is not one."""
    kinds = [_token_kind(token, lang) for token in tokens]
    kept: list[tuple[str, int]] = []
    for i, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        if kind is None and fold(token) in lang.date_fillers:
            before = _kind_at(kinds, i - 1)
            after = _kind_at(kinds, i + 1)
            if (before, after) in {("D", "M"), ("M", "Y")}:
                continue
        if kind is None:
            return f"unexpected {token!r}"
        kept.append(kind)
    shape = "".join(kind[0] for kind in kept)
    values = {kind[0]: kind[1] for kind in kept}
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


def _read(tokens: list[str], lang: Language) -> list[_Side] | _Failure:
    """The sides of the cell in ``lang``, checked against its shapes."""
    known = _known(tokens, lang)
    pieces = _split(tokens, lang, known)
    if isinstance(pieces, _Failure):
        return pieces
    sides: list[_Side] = []
    for piece in pieces:
        side = _side(piece, lang)
        if isinstance(side, str):
            return _Failure(side, known)
        sides.append(side)
    if len(sides) == 1 and sides[0].shape not in lang.single_shapes:
        return _Failure("expected day, month and year", known)
    if len(sides) == 2 and (sides[0].shape, sides[1].shape) not in lang.range_shapes:
        return _Failure("unsupported range shape", known)
    return sides


def _dates(text: str, sides: list[_Side]) -> tuple[datetime.date, datetime.date]:
    if len(sides) == 1:
        only = sides[0]
        assert only.month is not None and only.year is not None
        day = _make(text, only.year, only.month, only.day)
        return day, day
    first, last = sides
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


def _from_words(text: str, cleaned: str) -> tuple[datetime.date, datetime.date]:
    tokens = _tokens(cleaned)
    failures: list[_Failure] = []
    for lang in LANGUAGES:
        sides = _read(tokens, lang)
        if not isinstance(sides, _Failure):
            return _dates(text, sides)
        failures.append(sides)
    best = max(failures, key=lambda f: f.known)  # the first of equals: English
    raise DateParseError(f'unrecognised date "{text}": {best.reason}')


def parse_date_range(text: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of an event date cell; a single date gives (day, day).

    Raises DateParseError for empty text, unknown shapes or leftover words, impossible
    dates, a range that ends before it starts and one longer than 366 days.
    """
    parsed = _parsed(text)
    if isinstance(parsed, str):
        raise DateParseError(parsed)
    return parsed


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[datetime.date, datetime.date] | str:
    """``parse_date_range``'s dates, or its error message, kept per text: layout reads
    a date cell to tell whether a row is complete, clean reads it again, and a release
    repeats its dates from row to row (the answer depends on the text alone)."""
    try:
        return _parse(text)
    except DateParseError as exc:
        return str(exc)


def _parse(text: str) -> tuple[datetime.date, datetime.date]:
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
