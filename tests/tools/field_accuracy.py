"""Field accuracy of an events table against the expected one, for inputs (scans read by
OCR) whose output is to be near the expected, not byte-identical.

Rows are aligned in order (a dynamic programme that maximises the fields that agree, so
a missing or an extra event shifts nothing after it); every field of the contract is
counted except those naming the file (``source_file``, ``source_sha256``: a scan is
another file than its source). An expected event with no partner counts all its fields
wrong, and so does an event the output holds in excess.

    python -m tests.tools.field_accuracy EXPECTED/events.csv OUT/events.csv
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

IGNORED = ("source_file", "source_sha256")
Row = dict[str, str]


def read_events(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return [c for c in reader.fieldnames or [] if c not in IGNORED], rows


def _agree(a: Row, b: Row, fields: Sequence[str]) -> int:
    return sum(a.get(f) == b.get(f) for f in fields)


def align(
    expected: Sequence[Row], got: Sequence[Row], fields: Sequence[str]
) -> list[tuple[Row | None, Row | None]]:
    """Expected and got rows paired in order, maximising the fields that agree."""
    n, m = len(expected), len(got)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(
                best[i + 1][j],
                best[i][j + 1],
                best[i + 1][j + 1] + _agree(expected[i], got[j], fields),
            )
    pairs: list[tuple[Row | None, Row | None]] = []
    i = j = 0
    while i < n and j < m:
        paired = best[i + 1][j + 1] + _agree(expected[i], got[j], fields)
        if best[i][j] == paired and _agree(expected[i], got[j], fields) > 0:
            pairs.append((expected[i], got[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((expected[i], None))
            i += 1
        else:
            pairs.append((None, got[j]))
            j += 1
    pairs += [(e, None) for e in expected[i:]]
    pairs += [(None, g) for g in got[j:]]
    return pairs


@dataclass
class Accuracy:
    fields: list[str]
    right: dict[str, int] = field(default_factory=dict)
    total: int = 0
    wrong: list[str] = field(default_factory=list)
    """Each wrong field: which row, expected and got."""

    @property
    def overall(self) -> float:
        cells = self.total * len(self.fields)
        return sum(self.right.values()) / cells if cells else 0.0

    def of(self, name: str) -> float:
        return self.right.get(name, 0) / self.total if self.total else 0.0

    def table(self) -> str:
        lines = [f"{name:15s} {self.of(name):6.1%}" for name in self.fields]
        return "\n".join([*lines, f"{'overall':15s} {self.overall:6.1%}"])


def field_accuracy(expected_csv: Path, got_csv: Path, first: int | None = None) -> Accuracy:
    """``first``: only the first events are expected (a scan of the source's first pages)."""
    fields, expected = read_events(expected_csv)
    expected = expected[:first]
    _, got = read_events(got_csv)
    result = Accuracy(fields, dict.fromkeys(fields, 0))
    for e, g in align(expected, got, fields):
        result.total += 1
        for name in fields:
            if e is not None and g is not None and e[name] == g[name]:
                result.right[name] += 1
            else:
                where = (e or g or {}).get("row_index", "?")
                want = e[name] if e is not None else "(no such event)"
                have = g[name] if g is not None else "(missing)"
                result.wrong.append(f"row {where} {name}: expected {want!r}, got {have!r}")
    return result


def main() -> None:
    result = field_accuracy(Path(sys.argv[1]), Path(sys.argv[2]))
    print(result.table())
    print("\n".join(result.wrong))


if __name__ == "__main__":
    main()
