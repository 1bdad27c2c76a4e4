#!/usr/bin/env python3
"""The nightly lake export: what an incremental run costs against exporting the new day alone.

    make release
    python3 bench/lake_benchmark.py [--work bench-out/lake] [--repeat 5] [--smsarchive .build/release/smsarchive]

Generates 10 days (3,000,000 records, `generate_export.py --hours 240`) and an 11th day apart
(`--start 2026-10-11`), converts the 10 days, exports them with `export --incremental` (Parquet,
`--time-unit micros`, and `--format delta`), converts day 11, then times, alternately, whole
processes each:

  incremental   the 10-day lake reset (day 11 removed, the state of the 10-day run restored), then
                `export --incremental` (writes day 11 only);
  alone         `export --from 2026-10-11 --to 2026-10-12` into an empty folder;
  nothing new   `export --incremental` once the lake is up to date;

and prints medians and the ratios incremental/alone. Generating and converting take a few minutes
the first time; the generated data and archive are reused when present.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import time


def run(*args: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode not in (0, 2):
        sys.exit(f"{' '.join(args)}: exit {done.returncode}: {done.stderr}")


def timed(args: list[str]) -> float:
    start = time.monotonic()
    run(*args)
    return time.monotonic() - start


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--work", default="bench-out/lake")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--smsarchive", default=".build/release/smsarchive")
    a = p.parse_args()
    b, w = os.path.abspath(a.smsarchive), os.path.abspath(a.work)
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(w, exist_ok=True)
    ten, eleven, archive = f"{w}/export10", f"{w}/export11", f"{w}/a.smsa"
    if not os.path.exists(f"{ten}/generate_export.params"):
        run(sys.executable, f"{here}/generate_export.py", "--records", "3000000", "--hours", "240", "--out", ten)
    if not os.path.exists(f"{eleven}/generate_export.params"):
        run(sys.executable, f"{here}/generate_export.py", "--records", "300000", "--hours", "24", "--start", "2026-10-11", "--out", eleven)
    shutil.rmtree(archive, ignore_errors=True)
    run(b, "convert", ten, "-o", archive, "--quiet")
    lakes = {"parquet": (f"{w}/lake-parquet", ["--time-unit", "micros"]), "delta": (f"{w}/lake-delta", ["--format", "delta"])}
    for lake, options in lakes.values():
        shutil.rmtree(lake, ignore_errors=True)
        run(b, "export", archive, "-o", lake, "--incremental", "--quiet", *options)
    states = {}
    for name, (lake, _) in lakes.items():
        if name == "parquet":
            states[name] = open(f"{lake}/_smsarchive_lake.json", "rb").read()
    run(b, "convert", eleven, "-o", archive, "--quiet")

    def reset(name: str) -> None:
        lake = lakes[name][0]
        for folder in glob.glob(f"{lake}/category=*/date=2026-10-11"):
            shutil.rmtree(folder)
        if name == "parquet":
            open(f"{lake}/_smsarchive_lake.json", "wb").write(states[name])
        else:
            for commit in glob.glob(f"{lake}/_delta_log/00000000000000000001.json"):
                os.remove(commit)

    alone = f"{w}/day11"
    times: dict[str, list[float]] = {}
    for _ in range(a.repeat):
        for name, (lake, options) in lakes.items():
            reset(name)
            times.setdefault(f"incremental {name}", []).append(timed([b, "export", archive, "-o", lake, "--incremental", "--quiet", *options]))
            times.setdefault(f"nothing new {name}", []).append(timed([b, "export", archive, "-o", lake, "--incremental", "--quiet", *options]))
        shutil.rmtree(alone, ignore_errors=True)
        times.setdefault("alone", []).append(timed([b, "export", archive, "--from", "2026-10-11", "--to", "2026-10-12",
                                                    "-o", alone, "--time-unit", "micros", "--quiet"]))
    medians = {k: statistics.median(v) for k, v in times.items()}
    for k, v in medians.items():
        print(f"{k:24} median {v:7.3f} s  (min {min(times[k]):.3f}, max {max(times[k]):.3f})")
    for name in lakes:
        print(f"incremental {name} / alone: {medians[f'incremental {name}'] / medians['alone']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
