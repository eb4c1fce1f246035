"""The exceptions users see. Each renders as one line naming the file (and page)."""

from __future__ import annotations

from typing import Any


class PipelineError(Exception):
    """Base class: anything the CLI reports as `error: <file>[: page N]: <reason>`."""


class UsageError(PipelineError):
    """Bad options or arguments (exit status 2)."""


class InputError(PipelineError):
    """One input PDF could not be processed; the others still are."""

    def __init__(self, file: str, reason: str, page: int | None = None) -> None:
        self.file = file
        self.reason = reason
        self.page = page
        self.document: Any = None
        """The ``model.Document`` as far as it was read, when the pages were (a scan's
        OCR figures go to report.json even when it is too poor to read)."""
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: page {self.page}" if self.page else self.file
        return f"{where}: {self.reason}"


class NoTableError(InputError):
    """The PDF was read, but no table was taken from it (no text, no header naming the
    profile's columns): ``inspect`` can still draw what the pages hold."""
