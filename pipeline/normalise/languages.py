"""The language data of IOM's three official languages, English, French and Spanish.

IOM publishes each table in all three. What differs between editions is words, not
layout: month names, the words that join the two ends of a date range, the word that
joins two ISCMs in one cell, a few country spellings the country-name library lacks.
They are kept here, as tables, so that the parsers (``dates``, ``places``, ``iscm``)
hold no word of any language and a fourth language is one more entry in ``LANGUAGES``.

Every word is stored case-folded and without accents (see ``fold``): printed tables
drop accents as often as they keep them ("aout", "decembre", "Mexico").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "OE", "Æ": "AE"})


def fold(text: str) -> str:
    """Case-folded text without accents or ligatures: "Août" -> "aout", "Œuvre" -> "oeuvre".
    Canonical decomposition only, so "º" (an ordinal mark, not an accented o) is kept.
    (ASCII text has no accent or ligature to remove: it is only case-folded.)"""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _months(table: str) -> dict[str, int]:
    """Month tables as data: ``"janvier janv, février févr fév, ..."``: the names and
    abbreviations of each month, months separated by commas."""
    months = table.split(",")
    assert len(months) == 12, table
    return {
        fold(word): number for number, words in enumerate(months, start=1) for word in words.split()
    }


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Language:
    """Everything the parsers need to know about one language."""

    code: str  # ISO 639-1, as report.json gives it
    tesseract: str  # the name of Tesseract's model for it (ISO 639-2/T): eng, fra, spa
    accented: bool  # its words carry accents, which OCR reads best in its own model
    months: Mapping[str, int]  # folded names and abbreviations (a trailing dot is dropped)
    range_words: frozenset[str]  # join the two ends of a range, like a dash
    opening_words: Mapping[str, str]  # word before the start -> the range word it needs
    date_fillers: frozenset[str]  # "14 de noviembre de 2016": between day/month and month/year
    day_pattern: str  # a day token, with this language's ordinal marks
    single_shapes: frozenset[str]  # token patterns of one date ("DMY", "MDY")
    range_shapes: frozenset[tuple[str, str]]  # (start, end) token patterns of a range
    list_words: frozenset[str]  # join two mechanisms in one ISCM cell
    alternative_words: frozenset[str]  # "(Abu Dhabi Dialogue or ADD)"
    stopwords: frozenset[str]  # frequent words only this language has, to detect it
    country_locale: str | None  # pycountry's gettext locale for country names (None: English)
    country_aliases: Mapping[str, str]  # names the library lacks -> alpha-3
    not_countries: tuple[str, ...] = ()  # end in a country name, are not that country


_DMY_RANGES = frozenset({("D", "DMY"), ("DM", "DMY"), ("DMY", "DMY")})

ENGLISH = Language(
    code="en",
    tesseract="eng",
    accented=False,
    months=_months(
        "january jan, february feb, march mar, april apr, may, june jun, july jul, "
        "august aug, september sep sept, october oct, november nov, december dec"
    ),
    range_words=frozenset({"to", "until", "through"}),
    opening_words={},
    date_fillers=frozenset(),
    day_pattern=r"(\d{1,2})(?:st|nd|rd|th)?",
    single_shapes=frozenset({"DMY", "MDY"}),
    range_shapes=frozenset(
        {
            *((start, end) for start in ("DM", "MD", "DMY", "MDY") for end in ("DMY", "MDY")),
            ("D", "DMY"),  # 2–3 August 2016
            ("MD", "DY"),  # August 2-3, 2016
        }
    ),
    list_words=frozenset({"and"}),
    alternative_words=frozenset({"or"}),
    stopwords=_words("the of and on for in to with at by from was were is are this that"),
    country_locale=None,
    country_aliases={
        "Turkey": "TUR",
        "Russia": "RUS",
        "UK": "GBR",
        "U.K.": "GBR",
        "Great Britain": "GBR",
        "England": "GBR",
        "Scotland": "GBR",
        "Wales": "GBR",
        "Northern Ireland": "GBR",
        "US": "USA",
        "U.S.": "USA",
        "U.S.A.": "USA",
        "DR Congo": "COD",
        "DRC": "COD",
        "Democratic Republic of Congo": "COD",
        "Ivory Coast": "CIV",
        "Lao PDR": "LAO",
        "Palestine": "PSE",
        "Cape Verde": "CPV",
        "East Timor": "TLS",
        "Swaziland": "SWZ",
        "Macedonia": "MKD",
        "Burma": "MMR",
        "Brunei": "BRN",
        "Holy See": "VAT",
        "Vatican": "VAT",
        "Micronesia": "FSM",
    },
    not_countries=("New Mexico", "New Jersey", "New South Wales", "New Guinea"),
)

FRENCH = Language(
    code="fr",
    tesseract="fra",
    accented=True,
    months=_months(
        "janvier janv, février févr fév, mars, avril avr, mai, juin, juillet juil, août, "
        "septembre sept, octobre oct, novembre nov, décembre déc"
    ),
    range_words=frozenset({"au", "et"}),  # "du 12 au 14", "2 et 3 août"
    opening_words={"du": "au"},
    date_fillers=frozenset(),
    day_pattern=r"(\d{1,2}|1er)",
    single_shapes=frozenset({"DMY"}),
    range_shapes=_DMY_RANGES,
    list_words=frozenset({"et"}),
    alternative_words=frozenset({"ou"}),
    stopwords=_words("le les des du et sur pour dans au aux une est ont été avec par qui ce"),
    country_locale="fr",
    country_aliases={"Russie": "RUS", "RDC": "COD", "Saint-Siège": "VAT"},
)

SPANISH = Language(
    code="es",
    tesseract="spa",
    accented=True,
    months=_months(
        "enero ene, febrero feb, marzo mar, abril abr, mayo may, junio jun, julio jul, "
        "agosto ago, septiembre setiembre sep sept set, octubre oct, noviembre nov, "
        "diciembre dic"
    ),
    range_words=frozenset({"al", "y", "a", "hasta"}),  # "2 al 3", "3 y 4", "del 2 al 3"
    opening_words={"del": "al", "desde": "hasta"},
    date_fillers=frozenset({"de"}),
    day_pattern=r"(\d{1,2})(?:\.?[º°])?",  # 1.º de marzo
    single_shapes=frozenset({"DMY"}),
    range_shapes=_DMY_RANGES,
    list_words=frozenset({"y", "e"}),
    alternative_words=frozenset({"o", "u"}),
    stopwords=_words("el los las del y sobre para con una por se fue al su sus como"),
    country_locale="es",
    country_aliases={
        "EE. UU.": "USA",
        "EE.UU.": "USA",
        "EEUU": "USA",
        "Rusia": "RUS",
        "RDC": "COD",
        "Palestina": "PSE",
        "Santa Sede": "VAT",
        "Vaticano": "VAT",
    },
    not_countries=("Nuevo México", "Nueva Jersey", "Nueva Gales del Sur", "Nueva Guinea"),
)

LANGUAGES: tuple[Language, ...] = (ENGLISH, FRENCH, SPANISH)
"""In the order ties are broken: a cell that two languages read alike is English first."""

# The acronym an ISCM prints in French or Spanish -> the one its English name gives.
# ``ids.iscm_key`` uses it, so that an edition printing "CRM" or "RCM" keys the ISCM alike.
ISCM_ACRONYMS: Mapping[str, str] = {
    "CRM": "RCM",  # Conferencia Regional sobre Migración / Conférence régionale sur les migrations
    "CSM": "SACM",  # Conferencia Suramericana sobre Migraciones
    "CSAM": "SACM",  # Conférence sud-américaine sur les migrations
    "FMMD": "GFMD",  # Foro Mundial / Forum mondial sur la migration et le développement
    "DIM": "IDM",  # Dialogue international / Diálogo Internacional sobre la Migración
    "PCRA": "ARCP",  # Processus consultatif régional arabe / Proceso Consultivo Regional Árabe
}
