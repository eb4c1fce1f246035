"""Speed and memory of the full pipeline against plain pdfplumber, measured in one run.

    python -m bench.run            # or: make bench
    python -m bench.run --repeat 1 # quicker, noisier

Generates (into bench/out/, not timed; reused when already there) with reportlab the
fixtures' layout at scale:

* ``long``: one long release, 2,000 events on about 390 A4-landscape pages, full grid,
  header repeated on every page, rows split across page breaks;
* ``p20``: the first 100 events of it (about 20 pages), for memory growth with pages;
* ``batch``: 50 small releases of 2-6 pages;
* ``scan``: the committed 200 dpi scan of the 2016-2017 release (4 image-only pages),
  read by OCR (``tests/fixtures/scans/``): seconds per OCR'd page with 1 and 2 workers.

Then measures, each in a fresh wrapper subprocess: the real CLI (``python -m pipeline run
... --workers N --engine E``: extract, clean, validate, emit) with 1 and 2 workers under
both reading engines (pdfplumber, the default, and pdfium), and the baseline, plain
pdfplumber ``page.extract_tables()`` over every page with each page closed after use
(``python -m bench.run --baseline FILES``, one process). The runs take turns (one of each,
then the next round), so that load from elsewhere on the machine falls on all of them
alike, and the two engines' ``events.csv`` are compared byte for byte. For each: wall
seconds, pages per second, and the peak memory of the process tree, three ways:

* ``maxrss``: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of the wrapper, the largest single
  process of the tree;
* ``tree RSS``: the sum of the RSS of every process of the tree, polled every 20 ms; pages
  a fork shares with its parent are counted once per process, so an upper bound;
* ``tree PSS``: the same sum of proportional set sizes (shared pages split between the
  processes sharing them): what the run costs the machine.

Wall times are the best of ``--repeat`` runs (other load only ever slows a run down),
memory the largest. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LONG_EVENTS = 2000
P20_EVENTS = 100
BATCH = 50
GENERATOR_VERSION = "1"  # bump when the generated PDFs change
SCAN = ROOT / "tests" / "fixtures" / "scans" / "scan-iom-iscm-events-2016-2017-200dpi.pdf"
ENGINES = ("pdfplumber", "pdfium")

_WRAPPER = r"""
import json, os, resource, subprocess, sys, time

def tree(pid):
    out = [pid]
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                for child in f.read().split():
                    out.extend(tree(int(child)))
    except OSError:
        pass
    return out

def field(pid, name, key):
    try:
        with open(f"/proc/{pid}/{name}") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak_rss = peak_pss = 0
while proc.poll() is None:
    pids = tree(proc.pid)
    peak_rss = max(peak_rss, sum(field(p, "status", "VmRSS:") for p in pids))
    peak_pss = max(peak_pss, sum(field(p, "smaps_rollup", "Pss:") for p in pids))
    time.sleep(0.02)
wall = time.perf_counter() - started
err = proc.stderr.read().decode(errors="replace")
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rc": proc.returncode, "maxrss_kb": maxrss,
                  "tree_rss_kb": peak_rss, "tree_pss_kb": peak_pss, "stderr": err[-2000:]}))
"""


# --------------------------------------------------------------------------- generation


def _pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


def generate() -> dict[str, list[Path]]:
    """The benchmark PDFs, generated once (bench/out/ is git-ignored)."""
    from tests.fixtures.generators.reportlab_long import render, synthesise_events

    stamp = OUT / "generated.json"
    sets = {
        "long": [OUT / "long" / "iscm-long-2000.pdf"],
        "p20": [OUT / "p20" / "iscm-long-100.pdf"],
        "batch": [OUT / "batch" / f"iscm-small-{i:02d}.pdf" for i in range(BATCH)],
    }
    want = {"version": GENERATOR_VERSION, "long": LONG_EVENTS, "p20": P20_EVENTS, "n": BATCH}
    fresh = stamp.exists() and json.loads(stamp.read_text()) == want
    if fresh and all(p.exists() for paths in sets.values() for p in paths):
        return sets
    shutil.rmtree(OUT, ignore_errors=True)
    started = time.perf_counter()
    events = synthesise_events(LONG_EVENTS)
    render(sets["long"][0], events)
    render(sets["p20"][0], events[:P20_EVENTS])
    for i, path in enumerate(sets["batch"]):
        # 6..27 events: 2 to 6 pages, a different cut of the cycle for each release
        n = 6 + (i * 7) % 22
        render(path, events[i * 3 : i * 3 + n])
    stamp.write_text(json.dumps(want))
    print(f"generated bench PDFs in {time.perf_counter() - started:.1f} s (not timed)")
    return sets


# --------------------------------------------------------------------------- measuring


def measure(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd`` under a fresh wrapper process; wall time and peak memory of its tree."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["rc"] not in (0, 1):  # 1: rows rejected, still a complete run
        raise RuntimeError(f"{' '.join(cmd)} failed ({result['rc']}):\n{result['stderr']}")
    return result


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Best wall time of the runs (other load only ever slows a run down), largest
    memory."""
    return {
        "wall": min(r["wall"] for r in runs),
        "maxrss_mb": max(r["maxrss_kb"] for r in runs) / 1024,
        "tree_rss_mb": max(r["tree_rss_kb"] for r in runs) / 1024,
        "tree_pss_mb": max(r["tree_pss_kb"] for r in runs) / 1024,
    }


def pipeline_cmd(inputs: list[Path], out: Path, workers: int, engine: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        *map(str, inputs),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--engine",
        engine,
        "--no-cache",
        "-q",
    ]


def baseline_cmd(inputs: list[Path]) -> list[str]:
    return [sys.executable, "-m", "bench.run", "--baseline", *map(str, inputs)]


def baseline(paths: list[str]) -> int:
    """Plain pdfplumber: every table on every page, each page closed after use."""
    import pdfplumber

    tables = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                page.close()
    print(tables)
    return 0


# --------------------------------------------------------------------------- report


def _row(name: str, pages: int, m: dict[str, Any], base: dict[str, Any] | None) -> str:
    ratio = f"{m['wall'] / base['wall']:5.2f}" if base else "    -"
    return (
        f"{name:<26} {m['wall']:7.2f} {pages / m['wall']:8.1f} {ratio}  "
        f"{m['maxrss_mb']:7.0f} {m['tree_rss_mb']:8.0f} {m['tree_pss_mb']:8.0f}"
    )


def _runs(sets: dict[str, list[Path]]) -> list[tuple[str, list[str], Path | None]]:
    """(name, command, output folder) of every run of one round."""
    runs: list[tuple[str, list[str], Path | None]] = []
    for name in ("long", "batch", "p20"):
        inputs = sets[name]
        if name != "p20":
            runs.append((f"{name} baseline", baseline_cmd(inputs), None))
        for engine in ENGINES:
            for workers in (1, 2) if name != "p20" else (1,):
                out = OUT / "runs" / f"{name}-{engine}-w{workers}"
                cmd = pipeline_cmd(inputs, out, workers, engine)
                runs.append((f"{name} {engine} w{workers}", cmd, out))
    return runs


def _same_events(a: Path, b: Path) -> bool:
    return (a / "events.csv").read_bytes() == (b / "events.csv").read_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="speed and memory against plain pdfplumber")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of runs (best wall)")
    parser.add_argument("--baseline", nargs="+", metavar="PDF", help=argparse.SUPPRESS)
    parser.add_argument("--ocr-only", action="store_true", help="only the scan read by OCR")
    args = parser.parse_args(argv)
    if args.baseline:
        return baseline(args.baseline)
    if args.ocr_only:
        return ocr_bench(args.repeat)

    sets = generate()
    pages = {name: sum(_pages(p) for p in paths) for name, paths in sets.items()}
    batch_pages = [_pages(p) for p in sets["batch"]]
    print(
        f"long: {pages['long']} pages, {LONG_EVENTS} events; p20: {pages['p20']} pages; "
        f"batch: {len(sets['batch'])} releases, {pages['batch']} pages "
        f"({min(batch_pages)}-{max(batch_pages)} each); CPUs: {os.cpu_count()}; "
        f"load average before: {os.getloadavg()[0]:.2f}; best of {args.repeat}"
    )
    runs = _runs(sets)
    measured: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in runs}
    for _ in range(args.repeat):
        for name, cmd, out in runs:
            if out is not None:
                shutil.rmtree(out, ignore_errors=True)
            measured[name].append(measure(cmd))
    results = {name: summarise(m) for name, m in measured.items()}

    print()
    print(
        f"{'run':<26} {'wall s':>7} {'pages/s':>8} {'ratio':>5}  "
        f"{'maxrss':>7} {'tree RSS':>8} {'tree PSS':>8}   (MB; ratio = wall / baseline)"
    )
    for name in ("long", "batch"):
        base = results[f"{name} baseline"]
        print(_row(f"{name} baseline", pages[name], base, None))
        for engine in ENGINES:
            for workers in (1, 2):
                m = results[f"{name} {engine} w{workers}"]
                print(_row(f"{name} {engine} w{workers}", pages[name], m, base))
    for engine in ENGINES:
        print(_row(f"p20 {engine} w1", pages["p20"], results[f"p20 {engine} w1"], None))

    print()
    for engine in ENGINES:
        _targets(results, engine)
    plumber, pdfium = results["long pdfplumber w1"], results["long pdfium w1"]
    same = all(
        _same_events(OUT / "runs" / f"{name}-pdfplumber-w{w}", OUT / "runs" / f"{name}-pdfium-w{w}")
        for name in ("long", "batch")
        for w in (1, 2)
    )
    print("pdfium against pdfplumber (long release, same run):")
    print(
        f"  wall w1 pdfium / pdfplumber   {pdfium['wall'] / plumber['wall']:.2f}  (target <= 0.25)"
    )
    w2 = results["long pdfium w2"]["wall"] / results["long pdfplumber w2"]["wall"]
    print(f"  wall w2 pdfium / pdfplumber   {w2:.2f}")
    print(
        f"  peak w1 maxrss / tree PSS / tree RSS  {pdfium['maxrss_mb']:.0f} / "
        f"{pdfium['tree_pss_mb']:.0f} / {pdfium['tree_rss_mb']:.0f} MB  (target <= 200)"
    )
    print(f"  events.csv identical (long and batch, 1 and 2 workers): {'yes' if same else 'NO'}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    return ocr_bench(args.repeat)


def _targets(results: dict[str, dict[str, Any]], engine: str) -> None:
    """The first round's targets for the pipeline under one engine."""
    long1, long2 = results[f"long {engine} w1"], results[f"long {engine} w2"]
    base = results["long baseline"]
    p20 = results[f"p20 {engine} w1"]
    print(f"targets ({engine}, long release):")
    print(f"  wall w1 / baseline        {long1['wall'] / base['wall']:.2f}  (target <= 1.0)")
    print(f"  wall w2 / baseline        {long2['wall'] / base['wall']:.2f}  (target <= 0.6)")
    kinds = (("maxrss_mb", "maxrss"), ("tree_pss_mb", "tree PSS"), ("tree_rss_mb", "tree RSS"))
    for key, label in kinds:
        peak = max(long1[key], long2[key])
        print(
            f"  peak {label:<9} w1/w2      {long1[key]:.0f} / {long2[key]:.0f} MB  (target <= 250);"
            f"  w1 vs 20-page run {long1[key] / p20[key]:.2f}x (target <= 1.3)"
            + ("" if peak <= 250 else "  [over 250]")
        )
    b1, b2 = results[f"batch {engine} w1"], results[f"batch {engine} w2"]
    bb = results["batch baseline"]
    print(
        f"  batch: wall w1 / baseline {b1['wall'] / bb['wall']:.2f}, "
        f"w2 / baseline {b2['wall'] / bb['wall']:.2f}"
    )


def ocr_bench(repeat: int) -> int:
    """Seconds per page of a scan read by OCR (rendering, levelling, rules, Tesseract,
    then the same layout as a text PDF), with 1 and 2 workers (pages one per task)."""
    pages = _pages(SCAN)
    print(
        f"scan: {SCAN.name}, {pages} pages read by OCR; load average before: "
        f"{os.getloadavg()[0]:.2f}; best of {repeat}"
    )
    print(f"{'run':<24} {'wall s':>7} {'s/page':>7}  {'maxrss':>7} {'tree PSS':>8}   (MB)")
    for workers in (1, 2):
        out = OUT / "runs" / f"scan-w{workers}"
        runs = []
        for _ in range(repeat):
            shutil.rmtree(out, ignore_errors=True)
            runs.append(measure(pipeline_cmd([SCAN], out, workers, "pdfplumber")))
        m = summarise(runs)
        print(
            f"{f'scan pipeline w{workers}':<24} {m['wall']:7.2f} {m['wall'] / pages:7.2f}  "
            f"{m['maxrss_mb']:7.0f} {m['tree_pss_mb']:8.0f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
