"""The type of a generic table's column, read from its printed cells.

The generic profile knows no column types: every cell is text as printed. A column whose
every non-empty cell reads as a count, a quantity or one day is still typed integer,
number or date in Parquet and datapackage.json, so analysts get numbers, not strings.
The CSV keeps the text as printed; the parsed value travels beside it (``Printed``).

Surprising but deliberate:

* One unreadable cell keeps the whole column text: ``null`` never stands in for text
  that did not parse ("about 40", "n/a", "-" stay visible).
* "(3)" is -3, as IOM's statistical tables print negatives; "−3" (minus sign) too.
* Separators follow the document's language: in English "1,234" is 1234 and "12.5" a
  decimal; in French and Spanish the decimal mark is a comma ("12,5") and thousands are
  grouped by spaces or points ("1 234", "1.234"). What could be either is refused:
  grouping must come in threes, a decimal needs its one mark.
* A leading zero makes a code, not a count ("007", a P-code's digits): text.
* A percent sign is dropped, the value kept as printed ("12.5 %" is 12.5).
* A date is one day in any shape ``normalise.dates`` knows ("3 March 2017", "3 mars
  2017", "2017-03-03"); a range ("2-3 March 2017") is not a date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from pipeline.normalise.dates import DateParseError, parse_date_range
from pipeline.schema import Field, FieldType

Value = int | float | dt.date

_SPACES = "\u00a0\u2009\u202f "
_GROUPS = {"en": f"[,{_SPACES}]", "other": f"[.{_SPACES}]"}
_DECIMAL = {"en": r"\.", "other": ","}
_SIGNED = re.compile(r"\((?P<paren>.*)\)|(?P<sign>[+\-\u2212]?)(?P<bare>.*)", re.DOTALL)


def _marks(language: str | None) -> tuple[str, str]:
    which = "en" if language in (None, "en") else "other"
    return _GROUPS[which], _DECIMAL[which]


def _magnitude(text: str, language: str | None) -> tuple[str, bool] | None:
    """(digits with "." as decimal mark, whether a decimal or percent was printed) of an
    unsigned number as the language prints it, or None."""
    group, decimal = _marks(language)
    percent = text.endswith("%")
    body = text[:-1].rstrip() if percent else text
    pattern = rf"(\d{{1,3}}(?:({group})\d{{3}})?(?:\2\d{{3}})*|\d+)(?:{decimal}(\d+))?"
    m = re.fullmatch(pattern, body)
    if m is None:
        return None
    whole = re.sub(r"\D", "", m.group(1))
    if len(whole) > 1 and whole.startswith("0"):
        return None  # "007", "0123": a code, not a count
    fraction = m.group(3)
    return (f"{whole}.{fraction}" if fraction else whole), percent or fraction is not None


def parse_number(text: str, language: str | None = None) -> int | float | None:
    """ "1,234" -> 1234, "(3)" -> -3, "12.5 %" -> 12.5; None when it is not a number."""
    m = _SIGNED.fullmatch(text.strip())
    if m is None:  # pragma: no cover - the pattern matches every string
        return None
    negative = m.group("paren") is not None or m.group("sign") in ("-", "\u2212")
    inner = (m.group("paren") if m.group("paren") is not None else m.group("bare")).strip()
    read = _magnitude(inner, language)
    if read is None:
        return None
    digits, decimal = read
    value: int | float = float(digits) if decimal else int(digits)
    return -value if negative else value


def parse_day(text: str) -> dt.date | None:
    try:
        start, end = parse_date_range(text)
    except DateParseError:
        return None
    return start if start == end else None


def parse_as(kind: FieldType, text: str, language: str | None = None) -> Value | None:
    """The value of a printed cell read as ``kind`` (integer, number, date); None when it
    does not read as one (an integer column never takes 12.5)."""
    if kind == "date":
        return parse_day(text)
    value = parse_number(text, language)
    if kind == "integer":
        return value if isinstance(value, int) else None
    if kind == "number":
        return float(value) if value is not None else None
    return None


def infer_type(texts: Iterable[str], language: str | None = None) -> FieldType:
    """integer, number or date when every non-empty cell reads as one; else string (also
    for a column with no text at all: nothing says what it holds)."""
    cells = [t.strip() for t in texts if t and t.strip()]
    if not cells:
        return "string"
    numbers = [parse_number(t, language) for t in cells]
    if all(isinstance(v, int) for v in numbers):
        return "integer"
    if all(v is not None for v in numbers):
        return "number"
    if all(parse_day(t) is not None for t in cells):
        return "date"
    return "string"


class Printed(str):
    """A cell's text as printed, with the value it reads as: the CSV writes the text,
    Parquet the value."""

    value: Value | None

    def __new__(cls, text: str, value: Value | None) -> Printed:
        self = super().__new__(cls, text)
        self.value = value
        return self


def typed_rows(
    rows: Sequence[dict[str, Any]], labels: Sequence[str], language: str | None = None
) -> tuple[list[FieldType], list[dict[str, Any]]]:
    """Each column's type (``infer_type``), and the rows again (copies) with the cells of
    typed columns as ``Printed`` (an empty one as None)."""
    kinds = [infer_type((str(r.get(label) or "") for r in rows), language) for label in labels]
    typed = {label: kind for label, kind in zip(labels, kinds, strict=True) if kind != "string"}
    out: list[dict[str, Any]] = []
    for row in rows:
        new = dict(row)
        for label, kind in typed.items():
            text = str(row.get(label) or "")
            new[label] = Printed(text, parse_as(kind, text, language)) if text.strip() else None
        out.append(new)
    return kinds, out


_FRICTIONLESS_FORMS: dict[str, re.Pattern[str]] = {
    "integer": re.compile(r"[+-]?\d+"),
    "number": re.compile(r"[+-]?\d+(?:\.\d+)?"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}


def csv_readable(kind: FieldType, texts: Iterable[Any]) -> bool:
    """Every printed cell is in the form a Frictionless reader takes for ``kind`` without
    hints ("1234", "12.5", "2017-03-03"), so the CSV's Table Schema may declare ``kind``
    and ``frictionless validate`` reads the same values as Parquet holds; "1,234", "(3)",
    "12.5 %" or "3 March 2017" it would refuse."""
    form = _FRICTIONLESS_FORMS.get(kind)
    if form is None:
        return False
    return all(form.fullmatch(str(t).strip()) for t in texts if t is not None and str(t).strip())


def csv_field(f: Field, cells: Sequence[Any]) -> Field:
    """The field as the CSV's Table Schema declares it: a typed column of printed cells
    keeps its type when Frictionless reads the text as is (``csv_readable``), else it is
    declared string and its description says where the typed values are."""
    if not any(isinstance(c, Printed) for c in cells) or csv_readable(f.type, cells):
        return f
    note = f"Text as printed; {f.type} in the .parquet file (e.g. '(3)' is -3)."
    return replace(f, type="string", description=(f"{f.description} {note}").strip())
