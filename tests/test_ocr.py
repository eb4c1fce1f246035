"""Scanned (image-only) PDFs read by OCR (``pipeline.read.ocr``), against the expected
outputs of the text PDFs they were scanned from (``tests/fixtures/scans.toml``).

OCR is near, not exact: the scans are held to a share of event fields exactly right
(``tests/tools/field_accuracy.py``), every field of the contract counted (page numbers
included) but the file's name and hash. The image work and the OCR-to-chars step are
tested on their own, without Tesseract, where a wrong result is easy to build by hand.
The long OCR runs (every page of the other scans) are marked slow."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

import pipeline.read.ocr as ocr
from pipeline.glyphs import Glyphs
from pipeline.parallel import ParallelPages
from pipeline.read import RawPage
from pipeline.read.ocr import (
    OcrSettings,
    OcrWord,
    adds_marks,
    chars_of_words,
    dash_of_length,
    measured_dashes,
    with_marks_of,
)
from pipeline.read.scan_image import (
    dark_pixels,
    dash_lengths,
    italic,
    ruling_segments,
    skew_angle,
    without_specks,
)
from pipeline.runner import Options, process_file, run_pipeline
from pipeline.words import build_words
from tests.conftest import FIXTURES, RAW_PDF, ROOT, cli
from tests.tools.field_accuracy import field_accuracy

SCANS = {s["name"]: s for s in tomllib.loads((FIXTURES / "scans.toml").read_text("utf-8"))["scan"]}
ENGLISH = SCANS["scan-iom-iscm-events-2016-2017-200dpi"]
FRENCH = SCANS["scan-rl-fr-grid-a4-landscape-200dpi"]
POOR = SCANS["scan-too-poor-60dpi"]
TURNED = SCANS["scan-iom-iscm-events-2016-2017-turned"]
SLOW = [s for s in SCANS.values() if "expected" in s and s not in (ENGLISH, FRENCH, TURNED)]


# --------------------------------------------------------------------------- the scans


def _word(text: str, x0: float, x1: float, top: float, bottom: float) -> OcrWord:
    return OcrWord(text, x0, top, x1, bottom, 95.0, (1, 1, 1))


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The 200 dpi skewed scan of the 2016-2017 release, run twice into one folder (the
    second run from the cache): (output folder, first run's stderr, second's)."""
    out = tmp_path_factory.mktemp("ocr-en")
    first = cli("run", ENGLISH["pdf"], "--out", str(out), "--workers", "2", timeout=600)
    report = json.loads((out / "report.json").read_text("utf-8"))
    (out / "first-report.json").write_text(json.dumps(report), "utf-8")
    second = cli("run", ENGLISH["pdf"], "--out", str(out), "--workers", "2", timeout=600)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    return out, first.stderr, second.stderr


def _accuracy(entry: dict[str, Any], out: Path) -> Any:
    expected = ROOT / entry["expected"] / "events.csv"
    return field_accuracy(expected, out / "events.csv", entry.get("events"))


def test_the_english_scan_gives_95_percent_of_fields_exactly_right(
    english: tuple[Path, str, str],
) -> None:
    out, _, _ = english
    result = _accuracy(ENGLISH, out)
    assert result.overall >= ENGLISH["accuracy"], result.table() + "\n" + "\n".join(result.wrong)
    # no field is lost wholesale: every field is at least 85 % right, and the italic
    # ISCM name ("Global RCP Meeting") is told by the slant of its strokes
    assert min(result.of(f) for f in result.fields) >= 0.85, result.table()
    assert result.of("iscm_italic") == 1.0, result.table()


def test_the_split_gfmd_row_is_repaired_across_pages_1_and_2(
    english: tuple[Path, str, str],
) -> None:
    out, _, _ = english
    events = (out / "events.csv").read_text("utf-8").splitlines()
    header = events[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in events[1:]]
    gfmd = [r for r in rows if r["row_index"] == "5"]
    assert gfmd and gfmd[0]["page_start"] == "1" and gfmd[0]["page_end"] == "2"
    report = json.loads((out / "first-report.json").read_text("utf-8"))
    (entry,) = report["inputs"]
    assert entry["rows_repaired_across_pages"] == 1
    assert entry["tables_found"] == 1


def test_the_report_and_stderr_say_the_pages_were_read_by_ocr(
    english: tuple[Path, str, str],
) -> None:
    out, stderr, _ = english
    (entry,) = json.loads((out / "first-report.json").read_text("utf-8"))["inputs"]
    assert entry["ocr_pages"] == 4
    assert 85 <= entry["ocr_confidence"] <= 100
    notes = [line for line in stderr.splitlines() if "read by OCR" in line]
    assert notes == [
        f"note: {ENGLISH['pdf']}: 4 of 4 pages read by OCR, "
        f"mean word confidence {entry['ocr_confidence']:g}"
    ]


def test_a_rerun_takes_the_scan_from_the_cache(english: tuple[Path, str, str]) -> None:
    out, _, second = english
    (entry,) = json.loads((out / "report.json").read_text("utf-8"))["inputs"]
    assert entry["cached"] is True
    assert entry["seconds"] < 1.0
    assert entry["ocr_pages"] == 4
    assert "4 of 4 pages read by OCR" in second  # the notice is the data's, cached or not


def test_the_french_scan_reads_its_events(tmp_path: Path) -> None:
    """The French edition, scanned at 200 dpi: every event found, each on its pages, its
    dates and places parsed, as well as the English scan. The three-language reading
    loses a capital's accent ("États-Unis" -> "Etats-Unis", 8 country and place cells
    before the page's own language gave the accents back) and Tesseract's models have
    no en dash ("2–3 août" -> "2-3 août", before dashes were measured): every country
    and every date as printed now."""
    run_pipeline([ROOT / FRENCH["pdf"]], tmp_path, Options(workers=2))
    result = _accuracy(FRENCH, tmp_path)
    assert result.overall >= FRENCH["accuracy"], result.table() + "\n" + "\n".join(result.wrong)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["inputs"][0]["language"] == "fr"
    for name in ("row_index", "page_start", "page_end", "start_date", "country_iso3"):
        assert result.of(name) >= 0.95, result.table()
    for name in ("country", "date_text"):
        assert result.of(name) == 1.0, "\n".join(w for w in result.wrong if f" {name}:" in w)


def test_pages_fed_in_turned_are_read_upright(tmp_path: Path) -> None:
    """Page 1 scanned at 90 degrees (a landscape page on a portrait scan), page 2 upside
    down: both read upright, the GFMD row split across them repaired."""
    run_pipeline([ROOT / TURNED["pdf"]], tmp_path, Options(workers=2))
    result = _accuracy(TURNED, tmp_path)
    assert result.total == 9
    assert result.overall >= TURNED["accuracy"], result.table() + "\n" + "\n".join(result.wrong)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["inputs"][0]["rows_repaired_across_pages"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("entry", SLOW, ids=[s["name"] for s in SLOW])
def test_other_scans_read_their_events(entry: dict[str, Any], tmp_path: Path) -> None:
    run_pipeline([ROOT / entry["pdf"]], tmp_path, Options(workers=2))
    result = _accuracy(entry, tmp_path)
    assert result.overall >= entry["accuracy"], result.table() + "\n" + "\n".join(result.wrong)


def test_a_scan_too_poor_to_read_fails_with_one_line_never_zero_events(tmp_path: Path) -> None:
    result = cli("run", POOR["pdf"], "--out", str(tmp_path), "--no-cache", timeout=600)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(
        "error: scan-too-poor-60dpi.pdf: scan too poor to read: OCR's mean word confidence is "
    )
    assert errors[0].endswith("(below 60) on 1 page read by OCR")
    assert "Traceback" not in result.stderr
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["totals"] == {**report["totals"], "failed": 1, "events_written": 0}
    (entry,) = report["inputs"]
    assert entry["ocr_pages"] == 1 and entry["ocr_confidence"] < 60  # what OCR read


# --------------------------------------------------------------------------- without Tesseract


def test_without_tesseract_a_scan_fails_with_what_to_install_and_the_rest_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ocr, "_available_languages", lambda: None)
    results, report = run_pipeline(
        [ROOT / POOR["pdf"], RAW_PDF], tmp_path, Options(workers=1, profile="iscm-events")
    )
    scan, text = results
    assert scan.document.error == (
        "scan-too-poor-60dpi.pdf: page 1: scanned pages need Tesseract OCR, which is not "
        "installed (apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-spa)"
    )
    assert text.document.error is None and len(text.records) == 20
    assert report["totals"]["failed"] == 1


def test_missing_language_data_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_available_languages", lambda: frozenset({"eng", "osd"}))
    result = process_file(ROOT / POOR["pdf"], Options())
    assert result.document.error is not None
    assert result.document.error.endswith(
        "page 1: Tesseract lacks the language data fra, spa "
        "(apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-spa)"
    )


def test_ocr_never_refuses_a_scan_with_the_reason() -> None:
    result = process_file(ROOT / POOR["pdf"], Options(ocr=OcrSettings(mode="never")))
    assert result.document.error == (
        "scan-too-poor-60dpi.pdf: no text layer (a scan?); OCR is off (--ocr never)"
    )


@pytest.mark.parametrize(
    ("mode", "chars", "images", "wanted"),
    [
        ("auto", 0, 1, True),  # a scan
        ("auto", 5, 1, False),  # a text PDF with a logo
        ("auto", 0, 0, False),  # a blank page: nothing to read
        ("always", 5, 1, True),
        ("never", 0, 1, False),
    ],
)
def test_which_pages_are_ocrd(mode: Any, chars: int, images: int, wanted: bool) -> None:
    char = {"text": "a", "x0": 0, "x1": 1, "top": 0, "bottom": 1}
    raw = RawPage(1, 100, 100, 0, Glyphs.from_dicts([char] * chars), images=images)
    assert OcrSettings(mode=mode).wants(raw) is wanted


def test_a_scanned_document_is_read_one_page_per_task() -> None:
    pages = ParallelPages(workers=2)
    assert pages._scanned(ROOT / POOR["pdf"]) is True
    assert pages._scanned(RAW_PDF) is False
    assert (
        ParallelPages(workers=2, ocr=OcrSettings(mode="never"))._scanned(ROOT / POOR["pdf"])
        is False
    )


# --------------------------------------------------------------------------- image work


def _page_with_grid(angle: float = 0.0) -> np.ndarray[Any, Any]:
    """A white 1000 x 700 page with a ruled 3 x 3 grid and blocks of 'text' (short
    strokes), turned by ``angle`` degrees."""
    image = Image.new("L", (1000, 700), 255)
    draw = ImageDraw.Draw(image)
    for y in (100, 250, 400, 550):
        draw.line([(100, y), (900, y)], fill=0, width=3)
    for x in (100, 366, 633, 900):
        draw.line([(x, 100), (x, 550)], fill=0, width=3)
    for row in (130, 280, 430):
        for col in (120, 390, 660):
            for k in range(8):  # "letters": 12 px tall, 8 px wide, 4 px apart
                x = col + k * 12
                draw.rectangle([x, row, x + 8, row + 12], fill=0)
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(image)


@pytest.mark.parametrize("angle", [0.0, 1.0, -1.5, 3.0])
def test_skew_angle_finds_the_tilt(angle: float) -> None:
    assert skew_angle(dark_pixels(_page_with_grid(angle))) == pytest.approx(angle, abs=0.1)


def test_ruling_lines_are_found_and_letters_are_not() -> None:
    segments, mask = ruling_segments(dark_pixels(_page_with_grid()), min_length=120)
    horizontal = sorted(round(s.y0) for s in segments if s.horizontal)
    vertical = sorted(round(s.x0) for s in segments if not s.horizontal)
    assert horizontal == [100, 250, 400, 550]
    assert vertical == [100, 366, 633, 900]
    for s in segments:
        assert (s.x1 - s.x0 if s.horizontal else s.y1 - s.y0) == pytest.approx(
            800 if s.horizontal else 450, abs=6
        )
    assert not mask[130:143, 120:220].any(), "a letter was taken for a rule"


def test_specks_go_and_full_stops_stay() -> None:
    page = np.full((60, 60), 255, dtype=np.uint8)
    page[10, 10] = 40  # a speck: one pixel
    page[30:33, 30:33] = 20  # a full stop of 8 pt type at 300 dpi: 3 x 3 pixels
    clean = without_specks(page, dark_pixels(page), 300 / 72)
    assert clean[10, 10] == 255
    assert (clean[30:33, 30:33] == 20).all()


def _strokes(lean: float, kind: str = "|") -> np.ndarray[Any, Any]:
    """A 'word' of five letters 30 px tall: vertical strokes ("|"), or strokes leaning
    both ways ("A"), shifted right by ``lean`` px per px of height (italics: 0.2)."""
    ink = np.zeros((40, 120), dtype=bool)
    for k in range(5):
        for y in range(5, 35):
            rise = 35 - y
            if kind == "|":
                x = 10 + 20 * k + round(lean * rise)
                ink[y, x : x + 3] = True
            else:  # "A": two strokes meeting at the top
                ink[y, 10 + 20 * k + rise // 3 : 12 + 20 * k + rise // 3] = True
                ink[y, 28 + 20 * k - rise // 3 : 30 + 20 * k - rise // 3] = True
    return ink


@pytest.mark.parametrize(
    ("lean", "kind", "expected"),
    [(0.0, "|", False), (0.2, "|", True), (0.25, "|", True), (-0.2, "|", False), (0, "A", False)],
)
def test_italic_is_told_by_the_slant_of_the_strokes(lean: float, kind: str, expected: bool) -> None:
    assert italic(_strokes(lean, kind), (0, 0, 120, 40)) is expected


SIZE, BASELINE = 40, 100  # px: 9.6 pt type at 300 dpi


def _dash_line(dash: int, gap: int = 3, *, slash: bool = False) -> np.ndarray[Any, Any]:
    """Ink of "8?8" in ``SIZE`` px type on ``BASELINE``: two digits (full-height blocks
    with a hollow), between them a bar ``dash`` px long and 4 px thick a quarter of the
    size above the baseline, ``gap`` px from each digit (0: touching), or a slash."""
    ink = np.zeros((140, 200), dtype=bool)
    cap = BASELINE - round(0.72 * SIZE)
    ink[cap:BASELINE, 20:42] = True
    ink[cap + 4 : BASELINE - 4, 24:38] = False
    left = 42 + gap
    if slash:
        for y in range(cap, BASELINE + 8):
            x = left + (BASELINE + 8 - y) // 3
            ink[y, x : x + 4] = True
        right = left + 16 + gap
    else:
        bar = BASELINE - round(0.27 * SIZE)
        ink[bar - 2 : bar + 2, left : left + dash] = True
        right = left + dash + gap
    ink[cap:BASELINE, right : right + 22] = True
    ink[cap + 4 : BASELINE - 4, right + 4 : right + 18] = False
    return ink


@pytest.mark.parametrize(
    ("dash", "gap", "told"),
    [(10, 3, "-"), (22, 3, "\u2013"), (22, 0, "\u2013"), (40, 3, "\u2014"), (12, 0, "-")],
)
def test_a_dash_is_told_by_its_length(dash: int, gap: int, told: str) -> None:
    """A hyphen is a quarter of the type size long, an en dash half, an em dash a whole;
    a dash touching its digits measures a little short, still within its kind."""
    lengths = dash_lengths(_dash_line(dash, gap), (0, 200), BASELINE, SIZE)
    assert len(lengths) == 1
    assert lengths[0] == pytest.approx(dash / SIZE, abs=0.05)
    assert dash_of_length(lengths[0]) == told


def test_a_slash_or_a_letter_is_no_dash() -> None:
    assert dash_lengths(_dash_line(0, slash=True), (0, 200), BASELINE, SIZE) == []
    ink = np.zeros((140, 200), dtype=bool)
    ink[BASELINE - 21 : BASELINE, 20:40] = True  # an x-height letter: ink down to the baseline
    assert dash_lengths(ink, (0, 200), BASELINE, SIZE) == []


def test_a_words_dashes_are_measured_one_for_one() -> None:
    """Tesseract's "2-3" over an en dash's ink reads "2–3"; a word whose dashes the ink
    does not show one for one is left as read."""
    scale = 0.25  # points per pixel
    ink = _dash_line(22)

    def word(text: str) -> OcrWord:
        top, bottom = (BASELINE - 0.72 * SIZE) * scale, BASELINE * scale
        return OcrWord(text, 20 * scale, top, 110 * scale, bottom, 95.0, (1, 1, 1))

    assert [w.text for w in measured_dashes([word("2-3")], ink, scale)] == ["2\u20133"]
    assert [w.text for w in measured_dashes([word("2\u20143")], ink, scale)] == ["2\u20133"]
    assert [w.text for w in measured_dashes([word("2-3-")], ink, scale)] == ["2-3-"]
    assert [w.text for w in measured_dashes([word("23")], ink, scale)] == ["23"]


@pytest.mark.parametrize(
    ("plain", "marked", "adds"),
    [
        ("Etats-Unis", "États-Unis", True),
        ("a", "à", True),
        ("Echange", "Échange", True),
        ("Genéve", "Genève", False),  # another accent: the first reading's is kept
        ("d'Asunción", "d'Asunciôn", False),
        ("Asuncion", "Asunci6n", False),  # a changed letter
        ("Etats", "Etats", False),
        ("Etats", "États-", False),
    ],
)
def test_only_added_accents_count(plain: str, marked: str, adds: bool) -> None:
    assert adds_marks(plain, marked) is adds


def test_a_second_reading_gives_its_accents_to_the_same_word() -> None:
    words = [_word("Etats-Unis", 100, 140, 50, 57), _word("a", 150, 154, 51, 57)]
    second = [
        _word("États-Unis", 100.2, 140.1, 47.5, 57.1),  # the box rises to the accent
        _word("ä", 300, 304, 49, 57),  # another place: not this word
    ]
    assert [w.text for w in with_marks_of(words, second)] == ["États-Unis", "a"]
    assert with_marks_of(words, second)[0].x0 == 100  # the first reading's box


def test_inspect_draws_a_scanned_page_as_ocr_read_it() -> None:
    """A page fed in at 90 degrees and tilted: inspect turns and levels its image as OCR
    did, so that the rows found in OCR's frame fall on their text."""
    from pipeline.inspect import _as_read_by_ocr

    page = Image.new("RGB", (200, 100), (255, 255, 255))
    ImageDraw.Draw(page).rectangle([10, 10, 30, 20], fill=(0, 0, 0))  # top left
    upright = _as_read_by_ocr(page, (0.0, 90))
    assert upright.size == (100, 200)
    assert upright.getpixel((85, 15)) == (0, 0, 0)  # turned clockwise: now top right
    assert _as_read_by_ocr(page, (1.0, 0)).size == (200, 100)


# --------------------------------------------------------------------------- words to chars


def test_overlapping_tesseract_boxes_give_the_words_in_order() -> None:
    """Tesseract's box of "commitments" ran over "for": the letters must not interleave
    ("commitmentfosr"), and the two words stay apart."""
    words = [
        _word("commitments", 596.4, 662.6, 502.8, 509.8),
        _word("for", 650.6, 662.4, 501.8, 512.4),
        _word("the", 665.0, 678.0, 502.8, 509.8),
    ]
    got = build_words(chars_of_words(words), [])
    assert [w["text"] for w in got] == ["commitments", "for", "the"]
    assert got[0]["x1"] < got[1]["x0"] - 1.0


def test_touching_boxes_stay_touching() -> None:
    """Tesseract cut a URL after "https:": the ink is one string, so the words touch and
    the layout reads them as one."""
    words = [
        _word("https:", 100.0, 120.0, 50.0, 57.0),
        _word("//www.iom.int", 120.0, 170.0, 50.0, 57.0),
    ]
    got = build_words(chars_of_words(words), [])
    assert got[1]["x0"] - got[0]["x1"] < 0.1


def test_words_of_a_line_share_one_baseline_and_size() -> None:
    """ "on" (x-height ink), "Migration" (a capital and a descender) and "(IDM)" give one
    top and bottom, as a text PDF's chars of one line do: 9 pt type, baseline at 100."""
    size, baseline = 9.0, 100.0
    cap, x_height, desc = 0.72 * size, 0.52 * size, 0.21 * size
    words = [
        _word("on", 10, 20, baseline - x_height, baseline),
        _word("Migration", 22, 60, baseline - cap, baseline + desc),
        _word("(IDM)", 62, 85, baseline - cap - 0.5, baseline + desc),
    ]
    chars = chars_of_words(words)
    assert {(round(c["top"], 2), round(c["bottom"], 2)) for c in chars} == {
        (round(baseline + desc - size, 2), round(baseline + desc, 2))
    }
    assert chars[0]["size"] == pytest.approx(size)
    assert {c["fontname"] for c in chars} == {"OCR"}


def test_a_word_whose_strokes_lean_is_set_in_an_italic_font() -> None:
    """The layout tells italics by the font name (``engine._ITALIC_FONT``)."""
    words = [
        OcrWord("Global", 10, 90, 40, 97, 95.0, (1, 1, 1), italic=True),
        OcrWord("RCP", 42, 90, 60, 97, 95.0, (1, 1, 1), italic=True),
    ]
    got = build_words(chars_of_words(words), [])
    assert {w["fontname"] for w in got} == {"OCR-Italic"}
