"""Event place cells -> city, country as printed, ISO 3166-1 alpha-3 code.

Place cells are free text: "Cairo, Egypt", "Washington, DC, USA", "San Pedro Sula,
Cortés Honduras", "Cairo, Egypt, League of Arab States Headquarters". The country is
not always last and not always alone in its comma-separated part, so we scan the parts
from the last to the first and, in each, look for a country name that is the whole part
or a whole-word suffix of it (longest suffix first). The first hit wins.

Names come from pycountry (name, official name, common name, with "Korea, Republic of"
also read as "Republic of Korea") in English and, through the translations pycountry
ships (its gettext catalogs), in every other language of ``languages.LANGUAGES``
("Suisse", "Suiza", "États-Unis d'Amérique"), plus each language's small alias table for
the names the library does not know ("Turkey", "Russie", "EE. UU."). Alpha-3 codes
count only as a whole part written in capitals ("USA", not "usa"). Alpha-2 codes are not
used: two capitals in a place cell are far more often a US state or Canadian province
("Atlanta, GA" is not in Gabon); "UK" and "US" are aliases instead. Matching ignores
accents, case, apostrophes, punctuation and a leading "the". We never fuzzy-match
(``pycountry.countries.search_fuzzy`` guesses).

Surprising but deliberate:

* ``country`` is the text as printed, without a leading "the" ("the Philippines" ->
  "Philippines") and without surrounding punctuation, so the same country does not get
  two spellings because of an article. The final dot of an abbreviation stays ("EE. UU.").
* ``city`` is the first comma-separated part; only when the country was found *inside* the
  first part ("Cairo Egypt") is the city what precedes it.
* Phrases that end in a country name but are not that country ("New Mexico",
  "New Jersey", "New South Wales" ...) are listed in each language's ``not_countries``; they end the
  search in their part. Unlisted ones (a US state "Georgia" without ", USA") are
  misread — the price of suffix matching.
* Kosovo has no ISO 3166-1 code (XK/XKX are user-assigned), so a place in Kosovo raises
  PlaceParseError rather than inventing one.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from .languages import LANGUAGES, Language
from .text import collapse_ws

# No ISO 3166-1 code exists; raise instead of guessing one.
_NO_ISO_CODE = {"Kosovo": "Kosovo has no ISO 3166-1 code"}

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_CODE = re.compile(r"[A-Z]{3}")
_INVERTED = re.compile(r"(?P<head>[^,]+), (?P<tail>[^,]+)")
_WORD = re.compile(r"\S+")


class PlaceParseError(ValueError):
    """No country could be found in a place cell."""


@dataclass(frozen=True)
class Place:
    city: str
    country: str
    country_iso3: str


def name_key(text: str) -> str:
    """Accent-, case-, apostrophe- and punctuation-free form of a name, without a
    leading "the": "Côte d’Ivoire" and "cote d'ivoire" both give "cote divoire"."""
    folded = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = _NON_ALNUM.sub(" ", ascii_only.casefold().replace("&", " and ")).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _names(printed: list[str]) -> list[str]:
    names = list(printed)
    for name in printed:
        if inverted := _INVERTED.fullmatch(name):  # "Korea, Republic of" -> "Republic of Korea"
            names.append(f"{inverted['tail']} {inverted['head']}")
    return [name for name in names if name]


def _translator(lang: Language) -> Callable[[str], str]:
    if lang.country_locale is None:
        return lambda name: name
    catalog = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang.country_locale]
    )
    return catalog.gettext


def library_names(lang: Language) -> Iterator[tuple[str, str]]:
    """(name, alpha-3) for every country name pycountry gives in ``lang``."""
    translate = _translator(lang)
    for country in pycountry.countries:
        english = [getattr(country, f, "") for f in ("name", "official_name", "common_name")]
        for name in _names([translate(n) for n in english if n]):
            yield name, country.alpha_3


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """name key -> alpha-3, or "" for a phrase that is known not to be a country.
    Languages are read in order, so a name two languages share keeps the first's code."""
    index: dict[str, str] = {}
    for lang in LANGUAGES:
        for name, alpha_3 in library_names(lang):
            index.setdefault(name_key(name), alpha_3)
        for alias, alpha_3 in lang.country_aliases.items():
            index.setdefault(name_key(alias), alpha_3)
        for phrase in lang.not_countries:
            index[name_key(phrase)] = ""
    return index


@lru_cache(maxsize=1)
def _alpha_3_codes() -> frozenset[str]:
    return frozenset(country.alpha_3 for country in pycountry.countries)


def _clean_printed(text: str) -> str:
    # "Geneva – Switzerland", "Brussels, Belgium / Luxembourg": the separator before the
    # country is not part of it; a final dot is, in an abbreviation ("EE. UU.", "U.S.")
    stripped = text.strip(" .,;:").lstrip("-–—/|\\ ")
    abbreviation = "." in stripped and text.rstrip(" ,;:").endswith(".")
    text = stripped + "." if abbreviation else stripped
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)


def _find_country(part: str, place: str) -> tuple[int, str] | None:
    """(offset where the country starts in ``part``, alpha-3), or None."""
    stripped = part.strip(" .,;:")
    if _CODE.fullmatch(stripped) and stripped in _alpha_3_codes():
        return part.index(stripped), stripped
    for word in _WORD.finditer(part):  # longest suffix first
        key = name_key(part[word.start() :])
        for name, reason in _NO_ISO_CODE.items():
            if key == name_key(name):
                raise PlaceParseError(f'no country code for place "{place}": {reason}')
        alpha_3 = _name_index().get(key)
        if alpha_3 is not None:
            return (word.start(), alpha_3) if alpha_3 else None
    return None


def parse_place(text: str) -> Place:
    """Split a place cell into city, country as printed and the country's alpha-3 code.

    Raises PlaceParseError when no part names a country ("Online", "Geneva", "").
    """
    place = collapse_ws(text)
    parts = [part.strip() for part in place.split(",")]
    for position in range(len(parts) - 1, -1, -1):
        found = _find_country(parts[position], place)
        if found is None:
            continue
        offset, alpha_3 = found
        city = parts[0] if position > 0 or offset == 0 else parts[0][:offset].strip(" .,;:(")
        return Place(city, _clean_printed(parts[position][offset:]), alpha_3)
    raise PlaceParseError(f'no country found in place "{place}"')
