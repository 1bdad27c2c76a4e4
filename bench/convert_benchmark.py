#!/usr/bin/env python3
"""Convert throughput: smsarchive convert against DuckDB's CLI (read_json -> Parquet), in alternating runs.

    python3 bench/convert_benchmark.py [--records 300000] [--runs 7] [--work bench-out]   # or: make bench-convert

1. Generates the benchmark's 1-day export (bench/generate_export.py, both record shapes) with no gzip
   into WORK/convert-plain (kept while its parameters are the same), and copies it with every blob
   gzipped (gzip -6) into WORK/convert-gzip: the two forms issue 21 names.
2. For each form, runs the two tools in turn, ours then DuckDB's, --runs times (after one untimed
   run of each): `smsarchive convert FORM -o NEW` and `duckdb -no-init -batch -c "SET threads=2; COPY
   (SELECT * FROM read_json(...) ORDER BY time) TO NEW (FORMAT parquet, COMPRESSION zstd,
   COMPRESSION_LEVEL 9)"`, each a whole process started by GNU time, which gives its user + system
   CPU seconds (all threads) and peak RSS; wall seconds are this script's clock around it.
3. Prints, and writes to WORK/convert.md, the medians, CPU microseconds per record, MB/s of raw JSON,
   and the ratio of the medians (DuckDB's wall time / ours: the throughput ratio), with the load
   average before and after. The ratio is only meaningful on a machine doing nothing else.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import run_benchmark as rb  # noqa: E402  (same folder: export generation, DuckDB's CLI, the machine)

GNU_TIME = "/usr/bin/time"


def timed(cmd: list[str]) -> dict:
    """One whole process under GNU time: wall and CPU seconds, peak RSS MB; exits on failure."""
    with tempfile.NamedTemporaryFile("r", prefix="convert-bench-") as out:
        start = time.monotonic()
        r = subprocess.run([GNU_TIME, "-f", "%U %S %M", "-o", out.name, *cmd],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.monotonic() - start
        if r.returncode not in (0, 2):   # 2: convert finished with rejects
            raise SystemExit(f"{cmd[0]} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-2000:]}")
        user, system, rss = out.read().strip().splitlines()[-1].split()
    return {"wall": wall, "cpu": float(user) + float(system), "rss_mb": int(rss) / 1024}


def gzip_copy(plain: Path, target: Path) -> None:
    """Every blob of `plain` gzipped (level 6) under the same tree in `target`, as PT1H.json.gz."""
    if (target / "complete").exists():
        return
    shutil.rmtree(target, ignore_errors=True)
    for blob in rb.blobs_of(plain):
        out = target / blob.relative_to(plain)
        out = out.with_name(out.name if out.name.endswith(".gz") else out.name + ".gz")
        out.parent.mkdir(parents=True, exist_ok=True)
        data = blob.read_bytes()
        out.write_bytes(data if data[:2] == b"\x1f\x8b" else gzip.compress(data, 6, mtime=0))
    (target / "complete").write_text("")


def measure(form: str, export: Path, ours: str, duck: str, has_flat: bool, runs: int, work: Path) -> dict:
    scratch = work / "convert-scratch"
    sql = rb.duck_convert_sql(export, scratch / "out.parquet", has_flat)
    sides = {"smsarchive": [ours, "convert", str(export), "-o", str(scratch / "out.smsa"), "--quiet"],
             "duckdb": rb.duck_cmd(duck, sql)}
    results: dict[str, list[dict]] = {side: [] for side in sides}
    for run in range(runs + 1):
        for side, cmd in sides.items():
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir(parents=True)
            r = timed(cmd)
            if run > 0:   # the first round warms the page cache
                results[side].append(r)
        print(f"  {form} run {run}/{runs}: ours {results['smsarchive'][-1]['wall'] if run else '-'} s, "
              f"DuckDB {results['duckdb'][-1]['wall'] if run else '-'} s", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    return {side: {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "rss_mb")} | {"runs": rs}
            for side, rs in results.items()}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=rb.generate_export.DEFAULT_SEED)
    ap.add_argument("--runs", type=int, default=7, help="timed runs of each tool per form (median reported)")
    ap.add_argument("--work", default=str(rb.ROOT / "bench-out"))
    ap.add_argument("--smsarchive", default=str(rb.ROOT / ".build/release/smsarchive"))
    ap.add_argument("--duckdb", help="DuckDB CLI binary (default: the duckdb-cli pip package's)")
    args = ap.parse_args(argv)

    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    duck, source = rb.find_duckdb_cli(args.duckdb)
    if duck is None:
        raise SystemExit(f"DuckDB CLI not found ({source})")
    plain = work / "convert-plain"
    args.hours, args.gzip_fraction = 24, 0.0
    rb.generate(plain, args)
    gzipped = work / "convert-gzip"
    gzip_copy(plain, gzipped)
    st = rb.export_stats(plain, work)
    records, raw = st["records"], st["raw_bytes"]
    machine = rb.machine()
    print(f"export: {records:,} records, {raw:,} bytes of JSON; load average {machine['loadavg_start']}")

    rows = []
    for form, export in (("plain", plain), ("every blob gzipped", gzipped)):
        m = measure(form, export, args.smsarchive, duck, st["has_flat"], args.runs, work)
        for side in ("smsarchive", "duckdb"):
            s = m[side]
            rows.append((form, side, s["wall"], s["cpu"], s["cpu"] / records * 1e6, raw / 1e6 / s["wall"], s["rss_mb"]))
        rows.append((form, "ratio DuckDB / ours", m["duckdb"]["wall"] / m["smsarchive"]["wall"],
                     m["duckdb"]["cpu"] / m["smsarchive"]["cpu"], None, None, None))
    load_end = " ".join(f"{x:.2f}" for x in rb.os.getloadavg())

    out = [f"# smsarchive convert vs DuckDB's CLI ({records:,} records, {raw:,} bytes of JSON)\n",
           f"- date: {machine['date']}; machine: {machine['nproc']} CPUs, {machine['cpu']}, {machine['ram_gib']} GiB",
           f"- load average {machine['loadavg_start']} at the start, {load_end} at the end",
           f"- {args.runs} timed runs of each tool per form, alternating (after one untimed round); medians; "
           f"CPU is user + system of all threads; DuckDB: 2 threads, Parquet zstd 9, sorted by time\n",
           "| input | tool | wall s | CPU s | CPU µs per record | MB/s of JSON | peak RSS MB |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for form, side, wall, cpu, per, mbs, rss in rows:
        if per is None:
            out.append(f"| {form} | **{side}** | **{wall:.2f}x** | {cpu:.2f}x | | | |")
        else:
            out.append(f"| {form} | {side} | {wall:.3f} | {cpu:.3f} | {per:.2f} | {mbs:.1f} | {rss:.0f} |")
    text = "\n".join(out) + "\n"
    print("\n" + text)
    (work / "convert.md").write_text(text)


if __name__ == "__main__":
    main()
