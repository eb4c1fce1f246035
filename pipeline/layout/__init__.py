"""layout: one page's words and ruling lines -> the physical rows of its tables.

Pure geometry, no PDF library. Modules by concept:

* ``engine``: lines, rules, header matching, columns, rows and cells; the profile path
  (a profile that names its columns finds its table by the header);
* ``stream``: columns inferred from text alignment, for a table without rules or a
  profile that declares no columns;
* ``generic``: the profile without columns: ruled grids where drawn, else ``stream``.
"""

from pipeline.layout.engine import (
    Grid,
    LayoutState,
    PageContent,
    Word,
    dedupe,
)
from pipeline.layout.generic import generic_table_rows, table_rows, unique_labels
from pipeline.layout.named import profile_table_rows

__all__ = [
    "Grid",
    "LayoutState",
    "PageContent",
    "Word",
    "dedupe",
    "generic_table_rows",
    "profile_table_rows",
    "table_rows",
    "unique_labels",
]
