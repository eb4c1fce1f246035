"""The pdfplumber and pdfminer internals ``pipeline.read`` relies on, checked by name.

pyproject bounds pdfplumber to the series these were read in (``<0.12``). When an
upgrade renames or reshapes one of them, this file fails with a message naming it,
instead of the pipeline reading pages wrongly (``_lean_objects`` falling back, chars
missing, bombs no longer bounded) or failing with an AttributeError per input.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import pdfminer.pdftypes
import pdfplumber
import pytest
from packaging.version import Version

from pipeline.read import plumber
from tests.conftest import RAW_PDF


def test_pdfplumber_is_the_series_the_internals_were_checked_in() -> None:
    v = Version(version("pdfplumber"))
    assert Version("0.11.8") <= v < Version("0.12"), (
        f"pdfplumber {v}: re-check the internals below, then move pyproject's bound"
    )


def test_page_attributes_used_by_lean_objects() -> None:
    with pdfplumber.open(RAW_PDF) as pdf:
        assert pdf.laparams is None and pdf.unicode_norm is None, (
            "pdfplumber.PDF.laparams / unicode_norm: _lean_objects only applies without them"
        )
        page = pdf.pages[0]
        for name in ("mediabox", "initial_doctop", "page_number", "height", "rotation"):
            assert hasattr(page, name), f"pdfplumber.Page.{name} is gone"
        layout = page.layout
        assert isinstance(layout._objs, list), "pdfminer LTContainer._objs is gone"
        assert callable(page.process_object), "pdfplumber.Page.process_object is gone"
        params = inspect.signature(page.process_object).parameters
        assert list(params) == ["obj"], f"Page.process_object now takes {list(params)}"
        # the chars built from LTChar agree with pdfplumber's own (keys and values)
        lean = plumber._lean_objects(page)[0].dicts()
        own = page.chars
        assert len(lean) == len(own) > 0
        for key in ("text", "fontname", "size", "x0", "x1", "top", "bottom", "upright"):
            assert [c[key] for c in lean] == [c[key] for c in own], f"char {key!r} differs"
        assert [c["matrix"][1] for c in lean] == [c["matrix"][1] for c in own]


def test_pdfminer_zlib_hook_is_still_used_by_the_stream_decoder() -> None:
    assert pdfminer.pdftypes.zlib is plumber._ZLIB, "the bounded zlib is not installed"
    source = inspect.getsource(pdfminer.pdftypes.PDFStream.decode)
    assert "zlib." in source, "PDFStream.decode no longer inflates through pdftypes.zlib"


def test_pdfminer_exception_wrapper_and_xref_fallback_names() -> None:
    from pdfminer.pdfdocument import PDFXRefFallback
    from pdfplumber.utils.exceptions import PdfminerException

    # read.plumber matches these by class name (_cause, _page_count)
    assert PdfminerException.__name__ == "PdfminerException"
    assert PDFXRefFallback.__name__ == "PDFXRefFallback"
    with pdfplumber.open(RAW_PDF) as pdf:
        assert isinstance(pdf.doc.xrefs, list), "pdfminer PDFDocument.xrefs is gone"


@pytest.mark.parametrize(
    "name",
    [
        "pdfplumber.page.fix_fontname_bytes",
        "pdfplumber.table.TableFinder",
        "pdfplumber.utils.geometry.obj_to_edges",
        "pdfplumber.utils.geometry.line_to_edge",
        "pdfplumber.utils.geometry.rect_to_edges",
        "pdfplumber.utils.geometry.curve_to_edges",
        "pdfplumber.utils.text.WordExtractor",
    ],
)
def test_imported_helpers_exist(name: str) -> None:
    import importlib

    module, _, attr = name.rpartition(".")
    assert hasattr(importlib.import_module(module), attr), f"{name} is gone"
