"""The error for a header that names some of the profile's columns but not all.

"lacks required column 'Place'" alone leaves the user guessing what the PDF printed
instead. The message lists the header cells as printed and, for each missing column, the
alias of the profile nearest to one of the cells no alias named: a misspelt or renamed
header ("Locaton", "Lieu de l'événement") then points at the alias to add or correct.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pipeline.profiles import Column, header_key

_CLOSE = 0.5
"""difflib ratio below which an alias and a header are unrelated words, not worth naming."""


def nearest_alias(column: Column, unnamed: Sequence[str]) -> tuple[str, str] | None:
    """(alias, header as printed) of the closest pair over the folded header keys, or None
    when no unnamed header is close to any alias of the column."""
    best: tuple[float, str, str] | None = None
    for label in unnamed:
        key = header_key(label)
        for alias in column.aliases:
            ratio = difflib.SequenceMatcher(None, key, header_key(alias)).ratio()
            if ratio >= _CLOSE and (best is None or ratio > best[0]):
                best = (ratio, alias, label)
    return None if best is None else (best[1], best[2])


def missing_columns_message(
    missing: Sequence[Column], found: Sequence[str], unnamed: Sequence[str]
) -> str:
    """``found``: every header cell as printed, left to right; ``unnamed``: those no alias
    of the profile names (only they can be the missing columns under another name)."""
    names = ", ".join(repr(c.aliases[0]) for c in missing)
    parts = [f"table header lacks required column {names}"]
    parts.append(f"headers found: {', '.join(map(repr, found)) or 'none'}")
    for column in missing:
        near = nearest_alias(column, unnamed)
        if near is None:
            parts.append(f"no header found is near an alias of {column.key}")
        else:
            alias, label = near
            parts.append(f"nearest: {alias!r} (alias of {column.key}) to {label!r}")
    return "; ".join(parts)
