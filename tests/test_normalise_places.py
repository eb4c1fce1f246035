"""Specification of pipeline.normalise.places.parse_place."""

from __future__ import annotations

from collections.abc import Callable

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise import places
from pipeline.normalise.languages import LANGUAGES, Language
from pipeline.normalise.places import Place, PlaceParseError, name_key, parse_place

PLACES = [
    # --- seed and brief examples
    ("Cairo, Egypt", "Cairo", "Egypt", "EGY"),
    ("Geneva, Switzerland", "Geneva", "Switzerland", "CHE"),
    ("New York, USA", "New York", "USA", "USA"),
    ("Washington, DC, USA", "Washington", "USA", "USA"),
    ("San Pedro Sula, Cortés Honduras", "San Pedro Sula", "Honduras", "HND"),
    ("Cairo, Egypt, League of Arab States Headquarters", "Cairo", "Egypt", "EGY"),
    ("Svalbard, Spitsbergen, Norway", "Svalbard", "Norway", "NOR"),
    ("Antalya, Turkey", "Antalya", "Turkey", "TUR"),
    ("Istanbul, Turkey", "Istanbul", "Turkey", "TUR"),
    ("Istanbul, Türkiye", "Istanbul", "Türkiye", "TUR"),
    ("Asunción, Paraguay", "Asunción", "Paraguay", "PRY"),
    ("Colombo, Sri Lanka", "Colombo", "Sri Lanka", "LKA"),
    ("Dhaka, Bangladesh", "Dhaka", "Bangladesh", "BGD"),
    ("Kampala, Uganda", "Kampala", "Uganda", "UGA"),
    ("London, United Kingdom", "London", "United Kingdom", "GBR"),
    ("London, UK", "London", "UK", "GBR"),
    ("Edinburgh, Scotland", "Edinburgh", "Scotland", "GBR"),
    ("Moscow, Russia", "Moscow", "Russia", "RUS"),
    ("Moscow, Russian Federation", "Moscow", "Russian Federation", "RUS"),
    ("Seoul, Republic of Korea", "Seoul", "Republic of Korea", "KOR"),
    ("Seoul, South Korea", "Seoul", "South Korea", "KOR"),
    ("Pyongyang, North Korea", "Pyongyang", "North Korea", "PRK"),
    ("Hanoi, Viet Nam", "Hanoi", "Viet Nam", "VNM"),
    ("Hanoi, Vietnam", "Hanoi", "Vietnam", "VNM"),
    ("Abidjan, Côte d'Ivoire", "Abidjan", "Côte d'Ivoire", "CIV"),
    ("Abidjan, Cote d’Ivoire", "Abidjan", "Cote d’Ivoire", "CIV"),
    ("Abidjan, Ivory Coast", "Abidjan", "Ivory Coast", "CIV"),
    ("Kinshasa, DR Congo", "Kinshasa", "DR Congo", "COD"),
    (
        "Kinshasa, Democratic Republic of the Congo",
        "Kinshasa",
        "Democratic Republic of the Congo",
        "COD",
    ),
    ("Brazzaville, Congo", "Brazzaville", "Congo", "COG"),
    ("Tehran, Iran", "Tehran", "Iran", "IRN"),
    ("La Paz, Bolivia", "La Paz", "Bolivia", "BOL"),
    ("Caracas, Venezuela", "Caracas", "Venezuela", "VEN"),
    ("Dar es Salaam, Tanzania", "Dar es Salaam", "Tanzania", "TZA"),
    ("Damascus, Syria", "Damascus", "Syria", "SYR"),
    ("Vientiane, Laos", "Vientiane", "Laos", "LAO"),
    ("Vientiane, Lao PDR", "Vientiane", "Lao PDR", "LAO"),
    ("Chisinau, Moldova", "Chisinau", "Moldova", "MDA"),
    ("Chisinau, Republic of Moldova", "Chisinau", "Republic of Moldova", "MDA"),
    ("Prague, Czech Republic", "Prague", "Czech Republic", "CZE"),
    ("Ramallah, Palestine", "Ramallah", "Palestine", "PSE"),
    ("The Hague, Netherlands", "The Hague", "Netherlands", "NLD"),
    ("The Hague, The Netherlands", "The Hague", "Netherlands", "NLD"),
    ("Brussels, Belgium", "Brussels", "Belgium", "BEL"),
    ("Bangkok, Thailand", "Bangkok", "Thailand", "THA"),
    ("Addis Ababa, Ethiopia", "Addis Ababa", "Ethiopia", "ETH"),
    ("Rabat, Morocco", "Rabat", "Morocco", "MAR"),
    ("Berlin, Germany", "Berlin", "Germany", "DEU"),
    ("Mexico City, Mexico", "Mexico City", "Mexico", "MEX"),
    ("Quito, Ecuador", "Quito", "Ecuador", "ECU"),
    ("Manila, Philippines", "Manila", "Philippines", "PHL"),
    ("Manila, the Philippines", "Manila", "Philippines", "PHL"),
    ("Banjul, The Gambia", "Banjul", "Gambia", "GMB"),
    # --- longest suffix wins
    ("Port Moresby, Papua New Guinea", "Port Moresby", "Papua New Guinea", "PNG"),
    ("Juba, South Sudan", "Juba", "South Sudan", "SSD"),
    ("Malabo, Equatorial Guinea", "Malabo", "Equatorial Guinea", "GNQ"),
    ("Bissau, Guinea-Bissau", "Bissau", "Guinea-Bissau", "GNB"),
    ("Niamey, Niger", "Niamey", "Niger", "NER"),
    # --- official names, codes, formatting
    ("Washington, United States of America", "Washington", "United States of America", "USA"),
    ("Bern, CHE", "Bern", "CHE", "CHE"),
    ("Geneva, Switzerland.", "Geneva", "Switzerland", "CHE"),
    ("Geneva (Switzerland)", "Geneva", "Switzerland", "CHE"),
    ("Cairo Egypt", "Cairo", "Egypt", "EGY"),
    ("Singapore", "Singapore", "Singapore", "SGP"),
    ("  Cairo ,\n Egypt ", "Cairo", "Egypt", "EGY"),
    ("CAIRO, EGYPT", "CAIRO", "EGYPT", "EGY"),
    ("Santa Fe, New Mexico, USA", "Santa Fe", "USA", "USA"),
    ("Port of Spain, Trinidad & Tobago", "Port of Spain", "Trinidad & Tobago", "TTO"),
    # --- French and Spanish editions (pycountry's translations, then the alias tables)
    ("Genève, Suisse", "Genève", "Suisse", "CHE"),
    ("Ginebra, Suiza", "Ginebra", "Suiza", "CHE"),
    ("Geneve, Suisse", "Geneve", "Suisse", "CHE"),
    ("Addis-Abeba, Éthiopie", "Addis-Abeba", "Éthiopie", "ETH"),
    ("Addis Abeba, Etiopía", "Addis Abeba", "Etiopía", "ETH"),
    ("Nueva York, Estados Unidos", "Nueva York", "Estados Unidos", "USA"),
    ("New York, États-Unis", "New York", "États-Unis", "USA"),
    ("Nueva York, EE. UU.", "Nueva York", "EE. UU.", "USA"),
    ("Nueva York, EE.UU.", "Nueva York", "EE.UU.", "USA"),
    ("Washington D. C., EE. UU.", "Washington D. C.", "EE. UU.", "USA"),
    (
        "Washington, D. C., Estados Unidos de América",
        "Washington",
        "Estados Unidos de América",
        "USA",
    ),
    ("Le Caire, Égypte", "Le Caire", "Égypte", "EGY"),
    ("El Cairo, Egipto, Sede de la Liga de los Estados Árabes", "El Cairo", "Egipto", "EGY"),
    ("Antalya, Turquie", "Antalya", "Turquie", "TUR"),
    ("Estambul, Turquía", "Estambul", "Turquía", "TUR"),
    ("Moscou, Russie", "Moscou", "Russie", "RUS"),
    ("Moscou, Fédération de Russie", "Moscou", "Fédération de Russie", "RUS"),
    ("Moscú, Rusia", "Moscú", "Rusia", "RUS"),
    ("Kinshasa, RDC", "Kinshasa", "RDC", "COD"),
    (
        "Kinshasa, République démocratique du Congo",
        "Kinshasa",
        "République démocratique du Congo",
        "COD",
    ),
    (
        "Kinshasa, República Democrática del Congo",
        "Kinshasa",
        "República Democrática del Congo",
        "COD",
    ),
    ("Abiyán, Costa de Marfil", "Abiyán", "Costa de Marfil", "CIV"),
    ("Londres, Royaume-Uni", "Londres", "Royaume-Uni", "GBR"),
    ("Londres, Reino Unido", "Londres", "Reino Unido", "GBR"),
    ("La Haye, Pays-Bas", "La Haye", "Pays-Bas", "NLD"),
    ("La Haya, Países Bajos", "La Haya", "Países Bajos", "NLD"),
    ("Kampala, Ouganda", "Kampala", "Ouganda", "UGA"),
    ("Séoul, République de Corée", "Séoul", "République de Corée", "KOR"),
    ("Ciudad de México, México", "Ciudad de México", "México", "MEX"),
    ("Ramala, Palestina", "Ramala", "Palestina", "PSE"),
    ("Roma, Santa Sede", "Roma", "Santa Sede", "VAT"),
]


@pytest.mark.parametrize(
    ("text", "city", "country", "iso3"),
    PLACES,
    ids=[case[0] for case in PLACES],
)
def test_parse_place(text: str, city: str, country: str, iso3: str) -> None:
    assert parse_place(text) == Place(city, country, iso3), f"parse_place({text!r})"


UNPLACEABLE = [
    ("online", "Online", 'no country found in place "Online"'),
    ("city alone", "Geneva", 'no country found in place "Geneva"'),
    ("empty", "", 'no country found in place ""'),
    ("virtual meeting", "Virtual, online", "no country found"),
    ("US state abbreviation is not an alpha-2 code", "Atlanta, GA", "no country found"),
    ("lower-case alpha-3 is not a code", "New York, usa", "no country found"),
    ("state ending in a country name", "Santa Fe, New Mexico", "no country found"),
    ("Kosovo has no ISO code", "Pristina, Kosovo", "Kosovo has no ISO 3166-1 code"),
    # "Egypte" is French (accents dropped) since places read French names; a typo is not
    ("no fuzzy matching", "Cairo, Egipt", "no country found"),
    ("Spanish state ending in a country name", "Santa Fe, Nuevo México", "no country found"),
]


@pytest.mark.parametrize(
    ("text", "reason"),
    [case[1:] for case in UNPLACEABLE],
    ids=[case[0] for case in UNPLACEABLE],
)
def test_parse_place_rejects(text: str, reason: str) -> None:
    with pytest.raises(PlaceParseError, match=reason):
        parse_place(text)


def test_place_parse_error_is_a_value_error() -> None:
    assert issubclass(PlaceParseError, ValueError)


def test_last_country_wins_over_earlier_parts() -> None:
    # "Georgia" is a country too; the part nearest the end decides.
    assert parse_place("Atlanta, Georgia, USA").country_iso3 == "USA"


def test_place_is_frozen() -> None:
    place = parse_place("Cairo, Egypt")
    with pytest.raises(AttributeError):
        place.city = "Giza"  # type: ignore[misc]


NAME_KEYS = [
    ("accents", "Côte d'Ivoire", "cote divoire"),
    ("curly apostrophe", "Cote d’Ivoire", "cote divoire"),
    ("leading the", "The Netherlands", "netherlands"),
    ("'the' inside stays", "Democratic Republic of the Congo", "democratic republic of the congo"),
    ("ampersand", "Trinidad & Tobago", "trinidad and tobago"),
    ("punctuation", "U.S.A.", "u s a"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in NAME_KEYS],
    ids=[case[0] for case in NAME_KEYS],
)
def test_name_key(text: str, expected: str) -> None:
    assert name_key(text) == expected, f"name_key({text!r})"


ALIASES = [
    (lang.code, alias, code) for lang in LANGUAGES for alias, code in lang.country_aliases.items()
]


@pytest.fixture(scope="module")
def library_keys() -> set[str]:
    return {name_key(name) for lang in LANGUAGES for name, _ in places.library_names(lang)}


@pytest.mark.parametrize(
    ("lang", "alias", "code"), ALIASES, ids=[f"{a[0]}-{a[1]}" for a in ALIASES]
)
def test_alias_is_really_missing_from_pycountry(
    lang: str, alias: str, code: str, library_keys: set[str]
) -> None:
    """The alias tables must stay small: every entry is a name pycountry does not have,
    in any of the languages' translations."""
    assert name_key(alias) not in library_keys
    assert pycountry.countries.get(alpha_3=code) is not None


def test_pycountry_names_do_not_collide() -> None:
    """Not within a language, nor across them: the name index needs no language."""
    seen: dict[str, str] = {}
    for lang in LANGUAGES:
        for name, alpha_3 in places.library_names(lang):
            assert seen.setdefault(name_key(name), alpha_3) == alpha_3, (lang.code, name)


@pytest.mark.parametrize("lang", LANGUAGES[1:], ids=[lang.code for lang in LANGUAGES[1:]])
def test_every_translated_pycountry_name_is_found_after_a_city(lang: Language) -> None:
    missed = []
    for name, alpha_3 in places.library_names(lang):
        found = parse_place(f"Somewhere, {_reading_order(name)}").country_iso3
        if found != alpha_3:
            missed.append((name, alpha_3, found))
    assert missed == []


def _reading_order(name: str) -> str:
    head, comma, tail = name.partition(", ")
    return f"{tail} {head}" if comma else name


def test_every_pycountry_name_is_found_after_a_city() -> None:
    missed = []
    for country in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            name = getattr(country, field, None)
            if not name:
                continue
            found = parse_place(f"Somewhere, {_reading_order(name)}").country_iso3
            if found != country.alpha_3:
                missed.append((name, country.alpha_3, found))
    assert missed == []


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["Cairo, Egypt", "Hanoi, Viet Nam", "Abidjan, Côte d'Ivoire", "Lomé, Togo"]),
    st.sampled_from([str.upper, str.lower, str.title, str.swapcase]),
)
def test_matching_ignores_case(text: str, change_case: Callable[[str], str]) -> None:
    assert parse_place(change_case(text)).country_iso3 == parse_place(text).country_iso3


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["Geneva", "Cairo", "San José", "Port-au-Prince"]),
    st.sampled_from(["Switzerland", "Egypt", "Costa Rica", "Haiti"]),
    st.sampled_from([", ", " , ", ",\n", ",\u00a0"]),
)
def test_city_is_the_first_part(city: str, country: str, comma: str) -> None:
    place = parse_place(f"{city}{comma}{country}")
    assert (place.city, place.country) == (city, country)
