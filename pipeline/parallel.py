"""Page parallelism for one long PDF: pages read in worker processes, tables found in order.

Reading a page (pdfminer's content-stream interpretation and pdfplumber's char objects)
is nine tenths of the work and needs no context; finding the table in the pages is cheap
but sequential, because a table's column layout and an open row carry from one page to the
next. So ``ParallelPages`` is an ``extract.PageSource``: the page range is cut into chunks
of ``chunk`` pages, ``workers`` processes (spawned; each opens the PDF once and reads the
chunks it is given with ``extract.read_open_pages``, by the engine asked for) read
them, and the chunks are handed to
``extract_document`` strictly in page order. At most ``ahead`` chunks are in flight or
waiting at any time, so memory stays flat whatever the page count. Because the table
finder consumes the same ``PageContent`` in the same order, rows split across a chunk or
worker boundary are repaired exactly as in one process, and the output does not depend on
the number of workers.

A document of ``threshold`` pages or fewer is read in the calling process: forking and
opening the file again costs more than it saves on a short release. A scanned document
(its first page is one ``--ocr`` reads by OCR) is the exception: OCR takes seconds a
page, so every page is a task of its own, whatever the page count: with ``--workers 2``
two pages of a scan are read at a time.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.extract import Limits, PageContent, read_open_pages, read_pages
from pipeline.read import Engine, open_document
from pipeline.read.ocr import OcrSettings, PageScanner

_PR_SET_PDEATHSIG = 1

# per page-reading worker process: the PDF it opened once, and how to read it
_worker: dict[str, Any] = {}


@dataclass(frozen=True)
class ParallelPages:
    """An ``extract.PageSource`` reading pages 1..n in ``workers`` processes, in order."""

    workers: int
    password: str | None = None
    limits: Limits = field(default_factory=Limits)
    find_grids: bool = True
    chunk: int = 8
    threshold: int = 16
    timeout: float | None = None
    start_method: str = "spawn"
    engine: Engine = "pdfplumber"
    ocr: OcrSettings = field(default_factory=OcrSettings)

    def __call__(self, path: Path, n_pages: int) -> Iterator[PageContent]:
        if self.workers > 1:
            chunk, threshold = (1, 1) if self._scanned(path) else (self.chunk, self.threshold)
            if n_pages > threshold:
                yield from self._parallel(path, n_pages, chunk)
                return
        yield from read_pages(
            path, self.password, self.limits, 1, n_pages, self.find_grids, self.engine, self.ocr
        )

    def _scanned(self, path: Path) -> bool:
        """Whether the document's pages are read by OCR, judged by its first page."""
        if self.ocr.mode != "auto":
            return self.ocr.mode == "always"
        limits = self.limits
        with open_document(
            self.engine, path, self.password, limits.max_stream_bytes, limits.budget
        ) as doc:
            return self.ocr.wants(doc.read(1))

    def _parallel(self, path: Path, n_pages: int, chunk: int) -> Iterator[PageContent]:
        ranges = [(a, min(a + chunk - 1, n_pages)) for a in range(1, n_pages + 1, chunk)]
        workers = min(self.workers, len(ranges))
        ahead = 2 * workers
        # The runner's per-file worker is a daemonic process, and multiprocessing refuses
        # children to those. The page readers die with it anyway (PDEATHSIG, see _init).
        with contextlib.suppress(AssertionError):
            mp.current_process().daemon = False
        # spawned, not forked: a reader needs only pdfplumber, not the ~140 MB of pandas,
        # pandera and pyarrow the runner's processes hold, which a forked reader would
        # copy page by page as Python touches the objects' reference counts
        ctx = mp.get_context(self.start_method)
        args = (
            str(path),
            self.password,
            self.limits,
            self.find_grids,
            self.timeout,
            self.engine,
            self.ocr,
        )
        with ctx.Pool(workers, initializer=_init, initargs=args) as pool:
            todo = iter(ranges)
            pending: deque[Any] = deque()
            for r in todo:
                pending.append(pool.apply_async(_read_range, r))
                if len(pending) >= ahead:
                    break
            while pending:
                contents = pending.popleft().get()
                if isinstance(contents, _Failed):
                    raise InputError(contents.file, contents.reason, page=contents.page)
                nxt = next(todo, None)
                if nxt is not None:
                    pending.append(pool.apply_async(_read_range, nxt))
                yield from contents


def _init(
    path: str,
    password: str | None,
    limits: Limits,
    find_grids: bool,
    timeout: float | None,
    engine: Engine,
    ocr: OcrSettings,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner's parent handles Ctrl-C
    # die with the file worker, should the runner kill it (timeout) or it die
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if timeout:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(timeout) + 10)
    _worker.clear()
    _worker.update(
        path=Path(path),
        password=password,
        limits=limits,
        find_grids=find_grids,
        engine=engine,
        doc=None,
        scanner=PageScanner(Path(path), password, ocr),
    )


@dataclass(frozen=True)
class _Failed:
    """An InputError, sent back as data (its constructor does not survive pickling)."""

    file: str
    reason: str
    page: int | None


def _read_range(first: int, last: int) -> list[PageContent] | _Failed:
    w = _worker
    try:
        if w["doc"] is None:
            # opened once per worker, closed when the worker exits. The context manager is
            # kept too: dropped, it would be collected when this call returns and close
            # the file under the worker's next chunk ("seek of closed file")
            limits = w["limits"]
            w["opened"] = open_document(
                w["engine"], w["path"], w["password"], limits.max_stream_bytes, limits.budget
            )
            w["doc"] = w["opened"].__enter__()
        pages = list(
            read_open_pages(
                w["doc"], w["path"].name, w["limits"], first, last, w["find_grids"], w["scanner"]
            )
        )
        for page in pages:  # found here, in parallel, and sent as data (not as a closure)
            page.ruled_grids()
        return pages
    except InputError as exc:
        return _Failed(exc.file, exc.reason, exc.page)
