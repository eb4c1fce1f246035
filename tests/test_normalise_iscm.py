"""Specification of pipeline.normalise.iscm: parse_iscm, acronyms, is_acronym."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.iscm import IscmPart, acronyms, is_acronym, parse_iscm

P = IscmPart
IGC = "Intergovernmental Consultations on Migration, Asylum and Refugees"
GFMD = "Global Forum on Migration and Development"
ADD = (
    "Ministerial Consultation on Overseas Employment and Contractual Labour"
    " for Countries of Origin and Destination in Asia"
)
IGAD = "Intergovernmental Authority on Development (IGAD) Regional Consultative Process"

PARSE_CASES = [
    (
        "one mechanism",
        "Arab Regional Consultative Process on Migration (ARCP)",
        [P("ARCP", "Arab Regional Consultative Process on Migration")],
    ),
    (
        "two mechanisms joined by 'and'",
        "Regional Conference on Migration (RCM) and South American Conference on Migration (SACM)",
        [
            P("RCM", "Regional Conference on Migration"),
            P("SACM", "South American Conference on Migration"),
        ],
    ),
    (
        "'and' inside a name does not split",
        "Global Forum on Migration and Development (GFMD)",
        [P("GFMD", "Global Forum on Migration and Development")],
    ),
    (
        "'and' inside both names",
        f"{IGC} (IGC) and {GFMD} (GFMD)",
        [P("IGC", IGC), P("GFMD", GFMD)],
    ),
    (
        "three mechanisms",
        "Budapest Process (BP) and Prague Process (PP) and Rabat Process (RP)",
        [P("BP", "Budapest Process"), P("PP", "Prague Process"), P("RP", "Rabat Process")],
    ),
    (
        "'or' alternative in the parenthesis",
        f"{ADD} (Abu Dhabi Dialogue or ADD)",
        [P("ADD", ADD)],
    ),
    ("no parenthesis", "Bali Process", [P("", "Bali Process")]),
    ("italic markup removed", "<i>Global RCP Meeting</i>", [P("", "Global RCP Meeting")]),
    (
        "not an acronym stays in the name",
        "Pan-African Forum on Migration (2016 edition)",
        [P("", "Pan-African Forum on Migration (2016 edition)")],
    ),
    ("a year is not an acronym", "GFMD Summit (2016)", [P("", "GFMD Summit (2016)")]),
    (
        "a word is not an acronym",
        "Bali Process on People Smuggling (Bali)",
        [P("", "Bali Process on People Smuggling (Bali)")],
    ),
    (
        "digits and plus",
        "Western Mediterranean Forum (5+5)",
        [P("5+5", "Western Mediterranean Forum")],
    ),
    (
        "hyphenated acronym",
        "IGAD Regional Consultative Process (IGAD-RCP)",
        [P("IGAD-RCP", "IGAD Regional Consultative Process")],
    ),
    (
        "long acronym",
        "Coordinated Mekong Ministerial Initiative against Trafficking (COMMIT)",
        [P("COMMIT", "Coordinated Mekong Ministerial Initiative against Trafficking")],
    ),
    (
        "lower case inside",
        "Eastern Partnership Panel on Migration and Asylum (EaP)",
        [P("EaP", "Eastern Partnership Panel on Migration and Asylum")],
    ),
    (
        "MIDSA",
        "Migration Dialogue for Southern Africa (MIDSA)",
        [P("MIDSA", "Migration Dialogue for Southern Africa")],
    ),
    (
        "MTM",
        "Mediterranean Transit Migration Dialogue (MTM)",
        [P("MTM", "Mediterranean Transit Migration Dialogue")],
    ),
    (
        "inner acronym stays in the name",
        f"{IGAD} (IGAD-RCP)",
        [P("IGAD-RCP", IGAD)],
    ),
    (
        "parenthesis not at the end",
        "Regional Conference on Migration (RCM) Vice-Ministerial",
        [P("", "Regional Conference on Migration (RCM) Vice-Ministerial")],
    ),
    (
        "cell wrapped over lines",
        "Global Forum on Migration and\nDevelopment (GFMD)",
        [P("GFMD", "Global Forum on Migration and Development")],
    ),
    (
        "spaces inside the parenthesis",
        "International Dialogue on Migration ( IDM )",
        [P("IDM", "International Dialogue on Migration")],
    ),
    (
        "no split after a non-acronym parenthesis",
        "Forum (2016 edition) and Dialogue (IDM)",
        [P("IDM", "Forum (2016 edition) and Dialogue")],
    ),
    ("empty", "", []),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in PARSE_CASES],
    ids=[case[0] for case in PARSE_CASES],
)
def test_parse_iscm(text: str, expected: list[IscmPart]) -> None:
    assert parse_iscm(text) == expected, f"parse_iscm({text!r})"


ACRONYM_CASES = [
    ("RCM", True), ("IGAD-RCP", True), ("5+5", True), ("EaP", True), ("CoE", True),
    ("COMMIT", True), ("MIDSA", True), ("G7", True), ("A&B", True), ("ABCDEFGHIJ", True),
    ("A", False), ("ABCDEFGHIJK", False), ("Bali", False), ("2016", False),
    ("2016-17", False), ("2016 edition", False), ("rcm", False), ("eaP", False),
    ("Ab", False), ("R C M", False), ("", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), ACRONYM_CASES, ids=[c[0] or "empty" for c in ACRONYM_CASES]
)
def test_is_acronym(text: str, expected: bool) -> None:
    assert is_acronym(text) is expected, f"is_acronym({text!r})"


def test_acronyms_keeps_order_and_drops_empty() -> None:
    parts = [P("RCM", "a"), P("", "b"), P("SACM", "c")]
    assert acronyms(parts) == ["RCM", "SACM"]


def test_acronyms_of_nothing() -> None:
    assert acronyms([]) == []


def test_iscm_part_is_frozen() -> None:
    part = P("RCM", "Regional Conference on Migration")
    with pytest.raises(AttributeError):
        part.acronym = "X"  # type: ignore[misc]


NAME = st.lists(
    st.sampled_from(["Regional", "Forum", "on", "Migration", "and", "Development", "Process"]),
    min_size=1,
    max_size=6,
).map(" ".join)
ACRONYM = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=10)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(ACRONYM, NAME), min_size=1, max_size=4))
def test_parts_joined_by_and_come_back(pairs: list[tuple[str, str]]) -> None:
    text = " and ".join(f"{name} ({acronym})" for acronym, name in pairs)
    assert parse_iscm(text) == [P(acronym, name) for acronym, name in pairs]


@pytest.mark.parametrize("cell", ["IGAD-RCP", "MIDWA", "GFMD", "5+5"])
def test_a_bare_acronym_is_the_acronym_and_the_name(cell: str) -> None:
    assert parse_iscm(cell) == [IscmPart(cell, cell)], cell


@pytest.mark.parametrize("cell", ["Bali Process", "Budapest Process", "Colombo Process"])
def test_a_plain_name_has_no_acronym(cell: str) -> None:
    assert parse_iscm(cell) == [IscmPart("", cell)], cell
