"""scan_image: what the OCR reader does to a scanned page's pixels before Tesseract reads it.

Numpy (and PIL's box filter) on a greyscale page (0 black .. 255 white), no OCR:

* ``dark_pixels``: ink, by Otsu's threshold (scans differ in paper and toner);
* ``skew_angle``: the sheet's tilt, from the projection of the ink on the vertical axis,
  which is sharpest when text lines and rules run level (a text PDF's lines are level by
  construction; a scan's are not, and the layout compares y positions across a row);
* ``without_specks``: isolated dots of dust or sensor noise painted out, which Tesseract
  would read as a stray "." or "-" inside a cell's text;
* ``italic``: a word's strokes lean right: sheared back by an italic's slant, its ink
  stands in sharper columns than as it is (the font is not in the image, the slant is);
* ``dash_lengths``: how long each dash of a word is, in type sizes: Tesseract's
  models have no en dash, and read "2–3" as "2-3"; the ink tells a hyphen (a quarter of
  the type size) from an en dash (a half) and an em dash (a whole);
* ``ruling_segments``: long straight runs of ink, horizontal and vertical, the way
  camelot's lattice mode and img2table find a grid in an image (a morphological opening
  with a long thin element). In a scan the table's borders are pixels, not vector
  paths, yet they are what cuts rows and columns in a ruled table; and left in the
  image they spoil Tesseract's reading of the text that touches them (a header word run
  into a rule is lost), so ``without_rules`` paints them out before OCR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Segment:
    """A ruling line found in the image, in pixels: horizontal (y0 == y1) or vertical
    (x0 == x1)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


def dark_pixels(gray: Gray) -> Mask:
    """Ink: pixels darker than Otsu's threshold (the grey level that best splits the
    histogram in two), never lighter than mid-grey on a nearly blank page."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return np.zeros(gray.shape, dtype=bool)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * levels)
    w0, w1 = weight, total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mass[-1] * w0 / total - mass) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0.0
    threshold = min(int(np.argmax(between)), 160)
    return np.asarray(gray <= threshold)


def skew_angle(dark: Mask, limit: float = 5.0, max_points: int = 200_000) -> float:
    """The tilt of the page's lines, in degrees (positive: rising to the right, as a
    sheet turned anticlockwise), within ``limit``. Each ink pixel is projected on the
    vertical axis along lines of each candidate slope; along the true slope, text lines
    and rules fall into few bins, so the sum of squared bin counts is largest. Coarse
    steps of 0.25 degrees, then 0.02 around the best."""
    ys, xs = np.nonzero(dark)
    if len(ys) < 100:
        return 0.0
    if len(ys) > max_points:
        keep = np.random.default_rng(0).choice(len(ys), max_points, replace=False)
        ys, xs = ys[keep], xs[keep]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - dark.shape[1] / 2

    def sharpness(angle: float) -> float:
        projected = ys + xs * np.tan(np.radians(angle))
        counts = np.bincount(np.round(projected - projected.min()).astype(np.int64))
        return float(np.dot(counts, counts))

    coarse = np.arange(-limit, limit + 1e-9, 0.25)
    best = float(max(coarse, key=sharpness))
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.02)
    return round(float(max(fine, key=sharpness)), 2)


def _runs_at_least(dark: Mask, length: int) -> Mask:
    """The pixels of horizontal runs of ink at least ``length`` long (what an opening
    with a 1 x length element keeps), from the runs' starts and ends: a page holds a few
    hundred thousand runs, of which only the rules' few hundred are long."""
    h, w = dark.shape
    edges = np.zeros((h, w + 2), dtype=np.int8)
    edges[:, 1:-1] = dark
    steps = np.diff(edges, axis=1)  # +1 where a run starts, -1 just after it ends
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)  # row-major order: the n-th end closes the n-th start
    long = (ends - starts) >= max(length, 1)
    mask = np.zeros((h, w), dtype=bool)
    for row, start, end in zip(rows[long], starts[long], ends[long], strict=True):
        mask[row, start:end] = True
    return mask


def _thickened(dark: Mask, reach: int) -> Mask:
    """Ink spread by ``reach`` pixels up and down: a rule that the residual tilt steps
    by a pixel every few hundred is still one unbroken run."""
    out = dark.copy()
    for d in range(1, reach + 1):
        out[d:] |= dark[:-d]
        out[:-d] |= dark[d:]
    return out


def _intervals(flags: npt.NDArray[np.bool_], max_gap: int = 0) -> list[tuple[int, int]]:
    """[start, end) runs of True, runs closer than ``max_gap`` joined."""
    padded = np.concatenate(([False], flags, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    runs = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    joined: list[tuple[int, int]] = []
    for a, b in runs:
        if joined and a - joined[-1][1] <= max_gap:
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return joined


def _horizontal_segments(dark: Mask, length: int) -> tuple[list[Segment], Mask]:
    """Horizontal rules: runs of ink at least ``length`` long, the rows of one rule (its
    thickness) taken together; and the mask of their pixels."""
    mask = _runs_at_least(_thickened(dark, 1), length) & dark
    segments: list[Segment] = []
    for y0, y1 in _intervals(np.asarray(mask.any(axis=1)), max_gap=1):
        band = np.asarray(mask[y0:y1].any(axis=0))
        y = (y0 + y1 - 1) / 2
        for x0, x1 in _intervals(band, max_gap=2):
            if x1 - x0 >= length:
                segments.append(Segment(float(x0), y, float(x1), y))
    return segments, mask


def ruling_segments(dark: Mask, min_length: int) -> tuple[list[Segment], Mask]:
    """Horizontal and vertical rules at least ``min_length`` pixels long, and the mask of
    their pixels. Letters never make such runs (a letter's longest stroke is its
    height), so the threshold is a few line heights."""
    horizontal, h_mask = _horizontal_segments(dark, min_length)
    vertical_t, v_mask_t = _horizontal_segments(np.ascontiguousarray(dark.T), min_length)
    vertical = [Segment(s.y0, s.x0, s.y1, s.x1) for s in vertical_t]
    return horizontal + vertical, h_mask | v_mask_t.T


def _window_share(mask: Mask, half: int) -> npt.NDArray[np.uint8]:
    """For each pixel, the share of ``mask`` in the (2 half + 1)-square around it, 0-255
    (a box filter: PIL's, in C, ten times faster than an integral image in numpy)."""
    from PIL import Image, ImageFilter

    image = Image.fromarray(np.where(mask, 255, 0).astype(np.uint8))
    return np.asarray(image.filter(ImageFilter.BoxBlur(half)))


def without_specks(gray: Gray, dark: Mask, dots_per_point: float) -> Gray:
    """The page with isolated specks painted white: ink with less than 0.6 pt squared of
    grey (any pixel darker than the paper's light grey) within 0.75 pt around it. The
    smallest marks of text, a full stop or a thin hyphen in 8 pt type, hold twice that
    and more (their grey fringe counts, so a faint hyphen is not taken for dust); a speck
    of dust is a pixel or two and its fringe."""
    half = max(1, round(0.75 * dots_per_point))
    most = max(1, round((0.6 * dots_per_point) ** 2))
    share = most / (2 * half + 1) ** 2 * 255
    specks = dark & (_window_share(gray < 200, half) <= share)
    out = gray.copy()
    out[specks] = 255
    return out


ITALIC_SHEAR = 0.2  # an italic's slant, about 11 degrees (tan): Helvetica's 12, Arial's 12


def _column_sharpness(ys: npt.NDArray[np.intp], xs: npt.NDArray[np.intp], shear: float) -> float:
    """How tightly the ink stands in columns once each row is shifted left by ``shear``
    times its height above the bottom: the sum of squared column counts, per pixel."""
    shifted = np.round(xs + shear * (ys - ys.max())).astype(np.int64)
    counts = np.bincount(shifted - shifted.min())
    return float(np.dot(counts, counts)) / len(xs)


def italic(ink: Mask, box: tuple[int, int, int, int]) -> bool:
    """Whether the word in ``box`` (x0, top, x1, bottom, pixels) is set in italics: its
    vertical strokes stand upright once sheared back by an italic's slant, sharper (5 %)
    than as printed, and clearly sharper (0.1) than sheared the other way. The second
    test keeps out letters whose strokes lean both ways ("A", "y", "w"), which a shear
    either way sharpens alike. Measured on the scans: italic words 1.14-1.20, upright
    ones 0.77-0.98 (sharpness sheared back over as printed)."""
    x0, top, x1, bottom = box
    ys, xs = np.nonzero(ink[max(top, 0) : bottom, max(x0, 0) : x1])
    if len(xs) < 20:
        return False
    upright = _column_sharpness(ys, xs, 0.0)
    back = _column_sharpness(ys, xs, ITALIC_SHEAR) / upright
    other = _column_sharpness(ys, xs, -ITALIC_SHEAR) / upright
    return back > 1.05 and back > other + 0.1


def without_rules(gray: Gray, rules: Mask, reach: int = 2) -> Gray:
    """The page with its rules painted white (and their anti-aliased fringe), so that
    Tesseract reads the words beside them as words."""
    wide = _thickened(rules, reach)
    wide = _thickened(wide.T, reach).T
    out = gray.copy()
    out[wide] = 255
    return out


# A dash's bar, in type sizes above the baseline: Helvetica's hyphen 0.23-0.32, its en
# dash 0.24-0.31, Times' 0.19-0.26; the band leaves room for a baseline a pixel or two off
DASH_BAND = (0.12, 0.42)
CAP_ZONE = 0.75  # ink above the band, up to the capitals: a letter's, not a dash's
MIN_DASH = 0.15  # shorter runs are a letter's joins ("x" crossing), not a dash
MAX_DASH_STROKE = 0.16  # a dash's bar is one stroke thick (0.07-0.12 size on the scans)
MAX_DASH_DRIFT = 0.1  # and level: a slash's column runs climb from one end to the other


def dash_lengths(
    ink: Mask, x_range: tuple[float, float], baseline: float, size: float
) -> list[float]:
    """The lengths, in type sizes, of the dashes between ``x_range`` on the line of
    ``baseline`` and type ``size`` (pixels), left to right.

    A dash is the one mark of a line whose ink lies only in a thin band above the
    baseline: its columns hold no ink from the baseline up to the band, nor from the
    band up to the capitals (every letter's and digit's columns do, or their ink is
    not level). Where a dash touches a digit ("2–3" in a tight font), the digit's
    columns are left out, so a dash measures a little short, never long. The length
    tells the dashes apart where the glyphs do not: a hyphen is a quarter of the type
    size long (0.22-0.31 on the scans), an en dash half (0.54-0.61), an em dash a whole."""
    height, width = ink.shape

    def row(offset: float) -> int:
        return int(max(0, min(height, round(baseline - offset * size))))

    x0, x1 = max(0, math.floor(x_range[0])), min(width, math.ceil(x_range[1]))
    if x1 <= x0 or size <= 0:
        return []
    cap, band_top, band_bottom = row(CAP_ZONE), row(DASH_BAND[1]), row(DASH_BAND[0])
    line_bottom = row(0.0)
    band = ink[band_top:band_bottom, x0:x1]
    elsewhere = ink[cap:band_top, x0:x1].any(axis=0) | ink[band_bottom:line_bottom, x0:x1].any(
        axis=0
    )
    lengths: list[float] = []
    dash_only = np.asarray(band.any(axis=0) & ~elsewhere)
    for a, b in _intervals(dash_only, max_gap=1):
        if b - a >= MIN_DASH * size and _is_a_bar(band[:, a:b], size):
            lengths.append((b - a) / size)
    return lengths


def _is_a_bar(columns: Mask, size: float) -> bool:
    """Whether the ink of these columns is one level stroke: each column's ink no
    thicker than a stroke (the median column: an end may touch a digit), and its middle
    at one height from the first third of the run to the last."""
    counts = columns.sum(axis=0)
    if float(np.median(counts)) > MAX_DASH_STROKE * size:
        return False
    rows = np.arange(columns.shape[0])[:, None]
    middle = (columns * rows).sum(axis=0) / np.maximum(counts, 1)
    third = max(1, columns.shape[1] // 3)
    drift = abs(float(np.median(middle[:third])) - float(np.median(middle[-third:])))
    return drift <= MAX_DASH_DRIFT * size
