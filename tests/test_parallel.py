"""Page parallelism (pipeline.parallel): the output does not depend on the number of page
workers, even where a row split across a page break falls on a chunk (and worker) boundary;
and the lean page reading of extract gives pdfplumber's own words and edges."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipeline.errors import InputError
from pipeline.extract import Limits, extract_document
from pipeline.parallel import ParallelPages
from pipeline.profiles import load_profile
from pipeline.read.plumber import _lean_objects
from pipeline.runner import Options, run_pipeline
from tests.conftest import ROOT
from tests.fixtures.generators.reportlab_long import render, synthesise_events

PROFILE = load_profile("iscm-events")


@pytest.fixture(scope="session")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 40 A4-landscape pages, header repeated, rows split across page breaks."""
    path = tmp_path_factory.mktemp("parallel") / "iscm-long-200.pdf"
    return render(path, synthesise_events(200))


def _rows(pdf: Path, pages: ParallelPages | None = None) -> list[object]:
    return extract_document(pdf, PROFILE, pages=pages).rows


@pytest.fixture(scope="session")
def sequential_rows(long_pdf: Path) -> list[object]:
    return _rows(long_pdf)


def _split_pages(rows: list[object]) -> list[int]:
    """Pages p whose last row continues as the first row of page p + 1."""
    from pipeline.clean import stitch

    keys = {1: tuple(c.key for c in PROFILE.columns)}
    logical = stitch(rows, keys, PROFILE, {})  # type: ignore[arg-type]
    return sorted({r.page_start for r in logical if r.page_end > r.page_start})


def test_the_fixture_splits_rows_across_pages(
    long_pdf: Path, sequential_rows: list[object]
) -> None:
    with pdfplumber.open(long_pdf) as pdf:
        assert len(pdf.pages) >= 35
    assert len(_split_pages(sequential_rows)) >= 10


@pytest.mark.parametrize("workers", [2, 3])
def test_rows_identical_whatever_the_number_of_workers(
    long_pdf: Path, sequential_rows: list[object], workers: int
) -> None:
    pages = ParallelPages(workers, chunk=4, threshold=1)
    assert _rows(long_pdf, pages) == sequential_rows


def test_split_row_on_a_chunk_and_worker_boundary(
    long_pdf: Path, sequential_rows: list[object]
) -> None:
    # chunk = p: the row split from page p to p + 1 straddles chunks 1 and 2, which two
    # workers read (typically two different ones)
    p = next(p for p in _split_pages(sequential_rows) if p >= 2)
    for workers in (2, 3):
        pages = ParallelPages(workers, chunk=p, threshold=1)
        assert _rows(long_pdf, pages) == sequential_rows


def test_short_documents_are_read_in_process(long_pdf: Path) -> None:
    pages = ParallelPages(2, threshold=10_000)
    assert [c.number for c in pages(long_pdf, 3)] == [1, 2, 3]


def test_a_page_error_in_a_worker_is_the_same_input_error(long_pdf: Path) -> None:
    limits = Limits(max_chars_per_page=50)
    with pytest.raises(InputError) as sequential:
        extract_document(long_pdf, PROFILE, limits=limits)
    with pytest.raises(InputError) as parallel:
        pages = ParallelPages(2, limits=limits, chunk=2, threshold=1)
        extract_document(long_pdf, PROFILE, limits=limits, pages=pages)
    assert str(parallel.value) == str(sequential.value)


def test_outputs_identical_with_1_2_3_workers(long_pdf: Path, tmp_path: Path) -> None:
    """The real runner: one long input and spare workers -> page parallelism."""
    outputs = []
    for workers in (1, 2, 3):
        out = tmp_path / f"w{workers}"
        run_pipeline([long_pdf], out, Options(workers=workers))
        outputs.append(
            {
                name: (out / name).read_bytes()
                for name in ("events.csv", "event_iscms.csv", "documents.csv", "rejects.csv")
            }
        )
    assert outputs[0]["events.csv"].count(b"\n") > 150
    assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[0]


FIXTURE_PDFS = sorted((ROOT / "tests" / "fixtures" / "pdfs").glob("*.pdf")) + sorted(
    (ROOT / "raw").glob("*.pdf")
)


@pytest.mark.parametrize("pdf", FIXTURE_PDFS, ids=[p.name for p in FIXTURE_PDFS])
def test_lean_chars_give_pdfplumbers_words_and_edges(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(extra_attrs=["fontname"], keep_blank_chars=False)
            edges, n_chars, n_images = page.edges, len(page.chars), len(page.images)
            page.close()
            chars, objects = _lean_objects(page)
            doctop = page.initial_doctop  # (pdfplumber's words carry it; ours do not)
            objects["char"] = [{**c, "doctop": doctop + c["top"]} for c in chars.dicts()]
            page._objects = objects
            assert page.extract_words(extra_attrs=["fontname"], keep_blank_chars=False) == words
            assert page.edges == edges
            assert (len(page.chars), len(page.images)) == (n_chars, n_images)
            page.close()


def test_lean_chars_on_the_long_release(long_pdf: Path) -> None:
    test_lean_chars_give_pdfplumbers_words_and_edges(long_pdf)


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_a_worker_reads_its_second_chunk_from_the_file_it_opened(engine: str) -> None:
    """With one page a chunk and two workers, the first worker reads pages 1 and 3: the
    PDF it opened for page 1 must still be open for page 3. (pdfminer reads this PDF's
    objects from the file lazily; the worker once closed it between chunks.)"""
    pdf = ROOT / "tests" / "fixtures" / "realworld" / "eu-017.pdf"
    profile = load_profile("generic")
    pages = ParallelPages(2, chunk=1, threshold=1, find_grids=True, engine=engine)  # type: ignore[arg-type]
    parallel = extract_document(pdf, profile, pages=pages, engine=engine)  # type: ignore[arg-type]
    alone = extract_document(pdf, profile, engine=engine)  # type: ignore[arg-type]
    assert parallel.rows == alone.rows
    assert 3 in {r.page for r in parallel.rows}  # read by the first worker, after page 1
