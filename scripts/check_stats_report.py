#!/usr/bin/env python3
"""Renders `smsarchive stats --format html` in a real browser (headless Chromium) and checks the page.

    python3 scripts/check_stats_report.py [--smsarchive .build/debug/smsarchive] [--work .build/report-check]
                                          [--screenshot docs/stats-report.png]

1. Generates a 3-day export (bench/generate_export.py) and converts it.
2. Writes two reports: lines over time (--by hour,NumberType) and bars (--by Country).
3. Checks that each page is self-contained: no script, no link, no image, nothing fetched (the only
   URL is the SVG namespace).
4. Screenshots each with `chromium --headless` and checks the pixels: the chart's colours were
   drawn (a page that failed to render, or drew no chart, has none of them). The line chart's
   screenshot is copied to --screenshot, the picture the README shows.

`make report-check` runs it (CI does not: the browser is large). Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLUE, ORANGE, RED = (0x4E, 0x79, 0xA7), (0xF2, 0x8E, 0x2B), (0xE1, 0x57, 0x59)


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of an 8-bit PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"{path}: depth {depth} colour type {colour}"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, channels)]


def colour_count(pixels, rgb) -> int:
    # Anti-aliasing blends edges: count pixels within a few levels of the colour.
    return sum(1 for p in pixels if all(abs(p[i] - rgb[i]) <= 6 for i in range(3)))


def check_self_contained(html: str, name: str):
    lowered = html.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "@import", "url("):
        assert banned not in lowered, f"{name}: has {banned}"
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}, f"{name}: fetches {urls}"
    assert "<svg" in html and "<table>" in html, f"{name}: no chart or no table"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--smsarchive", default=str(ROOT / ".build/debug/smsarchive"))
    p.add_argument("--work", default=str(ROOT / ".build/report-check"))
    p.add_argument("--screenshot", default=str(ROOT / "docs/stats-report.png"))
    p.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = p.parse_args(argv)
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, str(ROOT / "bench/generate_export.py"), "--records", "30000", "--hours", "72",
                    "--out", str(work / "export")], check=True, stdout=subprocess.DEVNULL)
    archive = work / "sms.smsa"
    subprocess.run([args.smsarchive, "convert", str(work / "export"), "--output", str(archive), "--quiet"], check=True)
    reports = {
        "lines": ["--by", "hour,NumberType", "--metrics", "records,failed,delivered"],
        "bars": ["--by", "Country", "--operation", "SMSMessagesSent", "--metrics", "records,delivered,segments,duration-p95"],
    }
    for name, options in reports.items():
        page = work / f"{name}.html"
        subprocess.run([args.smsarchive, "stats", str(archive), *options, "--format", "html", "-o", str(page)], check=True)
        check_self_contained(page.read_text(encoding="utf-8"), name)
        shot = work / f"{name}.png"
        # --no-sandbox: CI and containers run as root; the page is our own file.
        subprocess.run([args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=1100,900", f"--screenshot={shot}", page.as_uri()],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        width, height, pixels = png_pixels(shot)
        counts = {c: colour_count(pixels, c) for c in (BLUE, ORANGE, RED)}
        assert counts[BLUE] > 2000, f"{name}: the chart's first colour is nearly absent ({counts[BLUE]} pixels)"
        if name == "lines":
            assert counts[ORANGE] > 300 and counts[RED] > 300, f"{name}: fewer than three lines drawn {counts}"
        print(f"{name}: {width}x{height}, chart colours {counts}: ok ({shot})")
    Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(work / "lines.png", args.screenshot)
    print(f"screenshot: {args.screenshot}")


if __name__ == "__main__":
    main()
