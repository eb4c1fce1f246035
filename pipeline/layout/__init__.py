"""layout: one page's words and ruling lines -> the physical rows of its tables.

Pure geometry, no PDF library; one engine for every profile. Modules by concept:

* ``tables``: the front end: a page's tables, each found once (by a header naming the
  profile's columns, by its rules, or by its text's alignment), and their rows;
* ``named``: a table found by a header naming the profile's columns, its columns
  between the header cells;
* ``ruled``: what a ruled grid holds (captions, headers of several rows, merged cells,
  notes, nested tables);
* ``stream``: tables without rules, their columns voted by the text's alignment;
* ``headers``: a header of several rows -> one name per column;
* ``engine``: what every table shares: lines, rules, header cells, rows, cells, words;
* ``audit``: every word in a table's region is in a cell, or named as left out.
"""

from pipeline.layout.engine import (
    Grid,
    LayoutState,
    PageContent,
    Word,
    dedupe,
)
from pipeline.layout.tables import table_rows, unique_labels

__all__ = [
    "Grid",
    "LayoutState",
    "PageContent",
    "Word",
    "dedupe",
    "table_rows",
    "unique_labels",
]
