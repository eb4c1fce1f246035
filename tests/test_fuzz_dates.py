"""Fuzzing the French and Spanish date forms (issue 13, item 5): any mix of the words a
date cell of an edition can hold either parses to a start on or before its end, or is
refused with ``DateParseError``; never another exception, never a range running
backwards. And every French and Spanish form the editions print round-trips.

The default suite runs a few thousand examples; ``make test-slow`` runs many more."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.dates import DateParseError, parse_date_range
from pipeline.normalise.languages import ENGLISH, FRENCH, SPANISH

WORDS = sorted(
    {
        *FRENCH.months,
        *SPANISH.months,
        *FRENCH.range_words,
        *SPANISH.range_words,
        *FRENCH.opening_words,
        *SPANISH.opening_words,
        *SPANISH.date_fillers,
        *ENGLISH.range_words,
    }
)
OTHER = ["1er", "1.º", "1º", "0", "2", "15", "29", "31", "32", "99", "2016", "2017", "1900"]
PUNCT = ["-", "–", "—", ",", ".", "/", "(", ")", "?"]
TOKENS = st.sampled_from([*WORDS, *OTHER, *PUNCT, "Mai", "AOÛT", "Févr.", "Setiembre"])
JOINS = st.sampled_from([" ", "", "\n", "\u00a0", " - "])
SLOW_EXAMPLES = int(os.environ.get("FUZZ_DATE_EXAMPLES", "50000"))


def _check(text: str) -> None:
    try:
        start, end = parse_date_range(text)
    except DateParseError as exc:
        assert "\n" not in str(exc), "the reason is one line"
        return
    assert start <= end, (text, start, end)
    assert end - start <= timedelta(days=366), (text, start, end)


@settings(max_examples=3000, deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=9), JOINS)
def test_any_mix_of_edition_date_words_parses_forwards_or_is_refused(
    tokens: list[str], join: str
) -> None:
    _check(join.join(tokens))


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=12), JOINS)
def test_any_mix_long(tokens: list[str], join: str) -> None:
    _check(join.join(tokens))


FR_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
ES_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def _day_fr(d: int) -> str:
    return "1er" if d == 1 else str(d)


def _forms(start: date, end: date) -> list[str]:
    """How the French and Spanish editions print a range within one month."""
    fr = FR_MONTHS[start.month - 1]
    es = ES_MONTHS[start.month - 1]
    d1, d2, y = start.day, end.day, start.year
    return [
        f"du {_day_fr(d1)} au {d2} {fr} {y}",
        f"{_day_fr(d1)} et {d2} {fr} {y}",
        f"{_day_fr(d1)}-{d2} {fr} {y}",
        f"del {d1} al {d2} de {es} de {y}",
        f"{d1} y {d2} de {es} de {y}",
        f"{d1} al {d2} de {es} de {y}",
    ]


@settings(max_examples=400, deadline=None)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 30)),
    st.integers(min_value=1, max_value=5),
)
def test_french_and_spanish_ranges_round_trip(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    if end.month != start.month:
        return
    for text in _forms(start, end):
        assert parse_date_range(text) == (start, end), text
