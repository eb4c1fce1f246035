"""Stable event keys.

An ``event_id`` must not change between releases or producers, so it is built only from
what an event *is* (who held it, when it started, what it was called), never from where it
sits in a file. Every part is normalised so that line wrapping, curly quotes, dash styles,
accents and letter case cannot change the key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from .languages import ISCM_ACRONYMS

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def text_key(text: str) -> str:
    """Reduce text to lower-case ASCII words joined by single dashes. (ASCII text has no
    curly quote, compatibility form or accent: it is only case-folded.)"""
    if text.isascii():
        ascii_only = text
    else:
        folded = unicodedata.normalize("NFKD", text.translate(_QUOTES))
        ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_only = _DASHES.sub("-", ascii_only).casefold()
    return _NON_ALNUM.sub("-", ascii_only).strip("-")


def iscm_key(acronyms: Sequence[str], name: str) -> str:
    """Acronyms identify an ISCM across spelling changes of its long name
    ("Inter-Governmental" vs "Intergovernmental Consultations ... (IGC)") and across the
    editions' languages: the French or Spanish acronym counts as the English one
    ("CRM" is "RCM"), so an edition keys an ISCM alike whichever of the two it prints."""
    upper = [a.strip().upper() for a in acronyms if a.strip()]
    cleaned = [ISCM_ACRONYMS.get(a, a) for a in upper]
    return "+".join(cleaned) if cleaned else text_key(name)


def event_id(acronyms: Sequence[str], iscm_name: str, start: date, title: str) -> str:
    """16 hex digits of sha256 over the ISCM key, the start date and the title key (the
    iscm-events profile declares the same formula as its ``row_id``)."""
    raw = "\x1f".join([iscm_key(acronyms, iscm_name), start.isoformat(), text_key(title)])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def key_part(value: object) -> str:
    """One part of a stable key, normalised by its type: a list of codes upper-cased and
    joined with "+", a date in ISO form, a number as digits, text by ``text_key``."""
    if isinstance(value, list | tuple):
        return "+".join(str(v).strip().upper() for v in value if str(v).strip())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return text_key(str(value or ""))


def stable_id(parts: Sequence[object], length: int = 16) -> str:
    """``length`` hex digits of sha256 over the normalised parts joined by U+001F."""
    raw = "\x1f".join(key_part(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:length]
