"""Which of IOM's languages a document is written in, for ``report.json``.

Counted, not guessed from one word: the words of every cell are matched against each
language's frequent short words (``languages.Language.stopwords``, chosen so that no
two languages share one), and the language with the most hits wins if the evidence is
clear. Nothing else depends on the answer: dates, places and ISCM cells are read in
every language whatever this says, so a misdetection can never change a parsed field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .languages import LANGUAGES, fold

_WORD = re.compile(r"[^\W\d_]+")
MIN_HITS = 5  # fewer: too little text to tell (a table of place names only)
MIN_LEAD = 2.0  # the winner has at least twice the runner-up's hits


def detect_language(texts: Iterable[str]) -> str | None:
    """ISO 639-1 code of the language of ``texts`` ("en", "fr", "es"), or None when the
    text is too short or too mixed to tell."""
    seen = Counter(word for text in texts for word in _WORD.findall(fold(text)))
    hits = {
        lang.code: sum(seen[word] for word in {fold(w) for w in lang.stopwords})
        for lang in LANGUAGES
    }
    ranked = sorted(hits.items(), key=lambda item: -item[1])
    (best, most), (_, second) = ranked[0], ranked[1]
    if most < MIN_HITS or most < MIN_LEAD * second:
        return None
    return best
