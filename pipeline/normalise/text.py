"""Whitespace and line-joining rules for text lifted out of PDF table cells.

pdfplumber hands us a cell as *visual* lines, with whatever invisible characters the
typesetter used: no-break spaces, soft hyphens (U+00AD, which a PDF only shows at a line
break), zero-width spaces and byte-order marks. They must go before anything is compared,
keyed or written out, or two identical-looking cells stop being equal.

Surprising but deliberate:

* ``collapse_ws`` deletes soft hyphens and zero-width characters *everywhere*, not only at
  line ends, so it cannot tell where a soft hyphen sat. ``join_lines`` therefore looks at
  the raw lines first and only then collapses.
* A hard hyphen directly after a letter or digit at the end of a line is taken as part of
  the word ("Follow-" + "up" -> "Follow-up", "Inter-" + "Governmental" ->
  "Inter-Governmental", "2016-" + "2017" -> "2016-2017"), whatever the case of the next
  character. Typesetters do not insert hard hyphens, so one at a line end was printed on
  purpose; the cost is that a genuine "word- word" break keeps no space. A hyphen after a
  space ("November 3 -" + "4, 2016") is a dash and keeps its spaces.
* The exception is U+2010 HYPHEN before a lower-case letter: that is the character
  browsers (Chromium's ``hyphens: auto``) insert when they hyphenate a word at a line
  end ("Secre\u2010" + "tariats"), so it is removed like a soft hyphen. A hyphen
  that was in the source text is U+002D and stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

SOFT_HYPHEN = "\u00ad"
# Deleted, never replaced by a space: they sit *inside* words in PDF text.
_ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
_INVISIBLE = str.maketrans(dict.fromkeys([SOFT_HYPHEN, *_ZERO_WIDTH]))
_ZERO_WIDTH_ONLY = str.maketrans(dict.fromkeys(_ZERO_WIDTH))
# "-" plus the Unicode HYPHEN and NON-BREAKING HYPHEN; dashes (en, em, minus) are not hyphens.
_HARD_HYPHENS = frozenset("-\u2010\u2011")
_TYPESET_HYPHEN = "\u2010"
_MARKUP = re.compile(r"</?[ib]>", re.IGNORECASE)


def collapse_ws(text: str) -> str:
    """Every run of Unicode whitespace (NBSP, tabs, newlines ...) becomes one space; the
    result is stripped, and soft hyphens and zero-width characters are removed."""
    return " ".join(text.translate(_INVISIBLE).split())


def _clean_line(line: str) -> str:
    # Keep soft hyphens (they drive the join) but drop the other invisible characters so
    # that a line ending in "\u00ad\u200b" still counts as ending in a soft hyphen.
    return line.translate(_ZERO_WIDTH_ONLY).strip()


def _glue(left: str, right: str = "") -> tuple[str, str]:
    """What ``left`` becomes and what separates it from the next line."""
    if left.endswith(SOFT_HYPHEN):
        return left.rstrip(SOFT_HYPHEN), ""
    if (
        left.endswith(_TYPESET_HYPHEN)
        and len(left) >= 2
        and left[-2].isalpha()
        and right[:1].islower()
    ):
        return left[:-1], ""
    if len(left) >= 2 and left[-1] in _HARD_HYPHENS and left[-2].isalnum():
        return left, ""
    return left, " "


def join_lines(lines: Sequence[str]) -> str:
    """Join the visual lines of one table cell into one string.

    Lines are stripped and empty ones skipped. A line ending in a soft hyphen loses it and
    joins the next line without a space, and so does a typesetter's U+2010 before a
    lower-case letter; a line ending in a hard hyphen right after a letter or digit keeps
    it and joins without a space; all other lines join with one space.
    """
    cleaned = [line for line in (_clean_line(raw) for raw in lines) if line]
    parts: list[str] = []
    for line, following in zip(cleaned, [*cleaned[1:], ""][: len(cleaned)], strict=True):
        head, separator = _glue(line, following)
        parts.append(head)
        if following:
            parts.append(separator)
    return collapse_ws("".join(parts))


def strip_markup(text: str) -> str:
    """Remove the ``<i>``/``</i>``/``<b>``/``</b>`` tags the seed transcript uses for
    italics and bold (any case). Other angle-bracket text is left alone."""
    return _MARKUP.sub("", text)
