"""URLs in table cells: take them out of the text, and glue back the ones a PDF wrapped.

Cells such as "Outcome" mix prose and links, and the PDF breaks a long link over several
visual lines with no hyphen or marker. Once lines are joined with spaces, a wrapped URL is
two tokens and both halves are wrong, so wrapped URLs are repaired on the *lines*, before
``text.join_lines``.

Surprising but deliberate:

* A URL starts at "http://", "https://" or "www." (any case) and runs to the next space,
  quote or angle bracket, or to the next "http(s)://" not preceded by "/" (so
  "http://a.org,http://b.org" is two URLs but a web-archive URL stays whole).
* Trailing ``. , ; : ) ]`` are sentence punctuation, not URL, except a ")" or "]" that
  closes a bracket opened inside the URL ("…/Foo_(bar)").
* ``split_urls`` fixes the prose it leaves behind: no space before ``. , ; : ! ? ) ]``, none
  after ``(`` or ``[``, and brackets left empty by the removal ("(see )" is fine,
  "Report ()" becomes "Report", and so do empty quotes "").

``rejoin_wrapped_urls`` is a heuristic; its exact contract is in its docstring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .text import collapse_ws

_URL_CHAR = r"[^\s<>\"'“”‘’]"
_URL = re.compile(
    rf"(?<![\w@./])(?:https?://|www\.)(?:(?!(?<!/)https?://){_URL_CHAR})+",
    re.IGNORECASE,
)
_URL_START = re.compile(r"https?://|www\.", re.IGNORECASE)
_TRAILING = ".,;:)]"
_PAIRS = {")": "(", "]": "["}
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?)\]])")
_SPACE_AFTER = re.compile(r"([(\[])\s+")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\)|\[\]|\"\"|“”)")

# rejoin_wrapped_urls: see its docstring.
_BREAK_END = frozenset("/-_?=&%#\u2010\u00ad")
_TYPESET_HYPHENS = "\u2010\u00ad"
_SENTENCE_END = frozenset(",;:)]!")
_URL_ONLY = frozenset("/%?=&#")
_URL_PUNCT = frozenset("/.-_~%?=&#")
_LOWER_WORD = re.compile(r"[a-z0-9]+")


def _trim(url: str) -> str:
    """Drop trailing sentence punctuation, keeping a bracket that closes one in the URL."""
    while url and url[-1] in _TRAILING:
        closer = url[-1]
        if closer in _PAIRS and url.count(_PAIRS[closer]) >= url.count(closer):
            break
        url = url[:-1]
    return url


def find_urls(text: str) -> list[tuple[int, int]]:
    """(start, end) of every URL in ``text``, trailing punctuation excluded."""
    spans = []
    for match in _URL.finditer(text):
        url = _trim(match.group())
        if _URL_START.fullmatch(url) is None:  # not a bare "www."
            spans.append((match.start(), match.start() + len(url)))
    return spans


def _tidy(text: str) -> str:
    text = _SPACE_BEFORE.sub(r"\1", _SPACE_AFTER.sub(r"\1", collapse_ws(text)))
    return _EMPTY_BRACKETS.sub("", text).strip()


def split_urls(text: str) -> tuple[str, list[str]]:
    """(text without its URLs, the URLs in order of appearance)."""
    spans = find_urls(text)
    urls = [text[start:end] for start, end in spans]
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    # Joining with "" cannot glue two words: a URL starts after a non-word character
    # and ends before a space, a quote, a bracket, punctuation or another URL.
    return _tidy("".join(pieces)), urls


def _trailing_url(line: str) -> str | None:
    """The URL that is the last token of ``line``, or None."""
    tokens = line.split()
    if not tokens:
        return None
    last = tokens[-1]
    start = _URL_START.search(last)
    if start is None or (start.start() > 0 and last[start.start() - 1].isalnum()):
        return None
    return last[start.start() :]


def _scheme_split(line: str, next_line: str) -> bool:
    """Some producers (reportlab) break an overlong URL anywhere, even inside its scheme:
    "… GCM. h" + "ttps://www.iom.int/…", "htt" + "p://csm-osumi.org/…"."""
    left, right = line.split(), next_line.split()
    if not left or not right:
        return False
    head, tail = left[-1], right[0]
    if _URL_START.match(head):
        return False
    prefix_of_scheme = any(s.startswith(head.casefold()) for s in _SCHEMES)
    return prefix_of_scheme and _URL_START.match(head + tail) is not None


_SCHEMES = ("https://", "http://", "www.")
_BARE_SCHEME = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def _continues(url: str, next_line: str) -> bool:
    tokens = next_line.split()
    if not tokens:
        return False
    token = tokens[0]
    if _BARE_SCHEME.fullmatch(url):
        return True  # "https://" + "www.budapestprocess.org/…": nothing can end there
    if token.casefold().startswith(("http", "www")):
        return False
    core = token.rstrip(".,;:)]") or token
    last_char = url[-1]
    if last_char == "/" and token[0].isupper() and not any(c in _URL_PUNCT for c in core):
        return False  # ".../" + "Report of the meeting": a complete URL, then prose
    if last_char in _BREAK_END:
        return True
    if last_char in _SENTENCE_END:
        return False
    if last_char == ".":
        return token[0].islower() or token[0].isdigit() or token[0] in _URL_PUNCT
    if token[0] in _URL_PUNCT or any(ch in _URL_ONLY for ch in core):
        return True
    starts_lower = token[0].islower() or token[0].isdigit()
    if starts_lower and any(ch in _URL_PUNCT for ch in core):
        return True
    ends_clause = len(tokens) == 1 or token[-1] in ".,;:"
    return _LOWER_WORD.fullmatch(core) is not None and ends_clause


def rejoin_wrapped_urls(lines: Sequence[str]) -> list[str]:
    """Glue a URL that the PDF wrapped over several lines back into one line.

    A line L is joined to the next line N (``L.rstrip() + N.lstrip()``, no space) when L's
    last whitespace-separated token contains a URL start (http://, https://, www., not
    glued to a preceding letter or digit), N's first token T does not start with "http" or
    "www" (any case), and:

    1. the URL ends with one of ``/ - _ ? = & % #`` (it cannot be finished), except a
       ``/`` followed by a capitalised word without URL punctuation (prose), or
    2. the URL ends with "." and T starts with a lower-case letter, a digit or one of
       ``/ . - _ ~ % ? = & #`` (a capital after a full stop is the next sentence), or
    3. the URL ends with anything else except ``, ; : ) ] !`` and T
       a. starts with one of ``/ . - _ ~ % ? = & #``, or contains one of ``/ % ? = & #``, or
       b. starts with a lower-case letter or digit and contains one of ``. - _ ~``, or
       c. is only lower-case ASCII letters and digits (ignoring trailing ``. , ; : ) ]``)
          and is the whole of N or ends with ``. , ; :``.

    Also joined: a URL that is only its scheme ("https://" + "www.…"), and a line ending in
    a piece of a scheme that the next line completes ("h" + "ttps://…", "htt" + "p://…").

    A U+2010 or soft hyphen a browser put at the break is dropped (URLs are ASCII).

    Joining repeats, so a URL wrapped over three lines comes back whole. Limits: a URL
    that really ends a sentence and is followed by a lower-case continuation of that
    sentence ("…/report." + "and then") or by a single lower-case word on a line of its
    own is glued to it; a URL wrapped right before an upper-case, punctuation-free word
    ("…/Ingl" + "Es") is not repaired.
    """
    out: list[str] = []
    for line in lines:
        if out:
            url = _trailing_url(out[-1])
            if (url is not None and _continues(url, line)) or _scheme_split(out[-1], line):
                # a typesetter's hyphen (browsers hyphenate long URLs too) is not the URL's
                out[-1] = out[-1].rstrip().rstrip(_TYPESET_HYPHENS) + line.lstrip()
                continue
        out.append(line)
    return out
