"""ISCM cells -> the mechanisms they name, each as (acronym, long name).

One event can belong to several inter-state consultation mechanisms, written in a single
cell: "Regional Conference on Migration (RCM) and South American Conference on Migration
(SACM)". The acronym is what identifies a mechanism across spellings of its long name
(see ``ids.iscm_key``), so it has to be found reliably.

Surprising but deliberate:

* The cell is split on " and " (French "et", Spanish "y"/"e": ``languages``) only right
  after a parenthesised acronym. An "and" inside a
  name ("Global Forum on Migration and Development (GFMD)") never splits, and neither do
  commas, slashes or "or": "Name (ABC), Other (DEF)" is one part with acronym DEF.
* Only a parenthesis at the very end of a part gives the acronym. Inside it, alternatives
  separated by " or " ("ou", "o") are tried in order ("(Abu Dhabi Dialogue or ADD)" -> "ADD").
* An acronym is 2–10 characters of letters, digits, "&", "+" and "-", with no space,
  starting with a capital or a digit, with more capitals than lower-case letters (so
  "EaP" and "CoE" are acronyms, "Bali" is not), and with at least one capital unless it
  joins digits with "+" or "&" ("5+5"). Anything else in parentheses ("(2016 edition)",
  "(2016)") stays in the name and the part gets acronym "".
* Empty text gives no parts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .languages import LANGUAGES
from .text import collapse_ws, strip_markup

_ACRONYM_SHAPE = re.compile(r"[A-Z0-9][A-Za-z0-9&+\-]{1,9}")
_TRAILING_PARENS = re.compile(r"(?P<name>.*?)\s*\((?P<inside>[^()]*)\)")


def _words(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"\s+(?:{'|'.join(sorted(map(re.escape, words)))})\s+", re.IGNORECASE)


# "and" / "et" / "y": a cell reads in one language, and no ISCM name ends in another's word
_AND = _words(frozenset().union(*(lang.list_words for lang in LANGUAGES)))
_OR = _words(frozenset().union(*(lang.alternative_words for lang in LANGUAGES)))


@dataclass(frozen=True)
class IscmPart:
    acronym: str
    name: str


def is_acronym(text: str) -> bool:
    """True for "RCM", "IGAD-RCP", "5+5", "EaP"; false for "Bali", "2016", "2016 edition"."""
    if not _ACRONYM_SHAPE.fullmatch(text):
        return False
    upper = sum(ch.isupper() for ch in text)
    lower = sum(ch.islower() for ch in text)
    if upper == 0:
        return lower == 0 and any(ch in "+&" for ch in text)
    return upper > lower


def _acronym_in(inside: str) -> str:
    for alternative in _OR.split(inside.strip()):
        if is_acronym(alternative):
            return alternative
    return ""


def _parse_part(part: str) -> IscmPart:
    if is_acronym(part.strip()):  # "IGAD-RCP" alone: the acronym is the name
        return IscmPart(part.strip(), part.strip())
    match = _TRAILING_PARENS.fullmatch(part)
    if match:
        acronym = _acronym_in(match["inside"])
        if acronym:
            # "(RCM)" alone: the acronym is all the name there is
            return IscmPart(acronym, match["name"].strip(" ,;") or acronym)
    return IscmPart("", part)


def parse_iscm(text: str) -> list[IscmPart]:
    """The mechanisms named in an ISCM cell, in order."""
    cleaned = collapse_ws(strip_markup(text))
    if not cleaned:
        return []
    parts: list[str] = []
    start = 0
    for separator in _AND.finditer(cleaned):
        left = cleaned[start : separator.start()]
        if _parse_part(left).acronym:
            parts.append(left)
            start = separator.end()
    parts.append(cleaned[start:])
    return [_parse_part(part) for part in parts]


def acronyms(parts: Sequence[IscmPart]) -> list[str]:
    """The non-empty acronyms of ``parts``, in order."""
    return [part.acronym for part in parts if part.acronym]
