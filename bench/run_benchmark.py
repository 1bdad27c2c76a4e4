#!/usr/bin/env python3
"""Benchmark smsarchive against DuckDB + zstd Parquet on a generated ACS SMS export.

    python3 bench/run_benchmark.py [--records 300000] [--smsarchive .build/release/smsarchive]
                                   [--work bench-out] [--repeat 3]

1. installs duckdb with pip when it is missing; generates the export with
   bench/generate_export.py into WORK/export-<records>-s<seed>/ (kept and reused while its
   parameters are the same); measures its raw size (decompressed JSON bytes) and its
   gzip -6 size (every blob gzipped), and picks the query: the busiest hour and a
   mid-popularity PhoneNumber present in it, with the expected match counts;
2. times each step as a whole process (wall seconds and peak RSS from wait4, median of
   --repeat runs): smsarchive convert / scan (hour + phone, hour, everything) and the
   same with DuckDB in a fresh python3 process each (threads=2): read_json of both
   categories and shapes -> Parquet (zstd 9) ordered by time, then queries on the Parquet
   file writing JSON lines to /dev/null;
3. prints a markdown table (also WORK/results.md and WORK/results.json).

A step of smsarchive that fails is reported and its cells read "n/a"; the rest goes on.
Relative paths are taken from the current directory; the defaults are relative to the
repository root.  Python 3.11; only duckdb comes from outside the standard library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate_export  # noqa: E402  (same folder; for its defaults and params format)

PARAMS_FILE = "generate_export.params"
NA = "n/a"


# --------------------------------------------------------------------------
# processes

class Run:
    def __init__(self, ok: bool, wall: float, rss_mb: float, rc: int, stdout: str, stderr: str):
        self.ok, self.wall, self.rss_mb, self.rc, self.stdout, self.stderr = ok, wall, rss_mb, rc, stdout, stderr


def run_once(cmd: list[str], *, ok_codes=(0,), capture_stdout=False, log: Path | None = None) -> Run:
    """Run cmd as a child process; wall time and peak RSS of that process (wait4)."""
    out_f = subprocess.PIPE if capture_stdout else subprocess.DEVNULL
    err_path = log if log is not None else Path(os.devnull)
    with open(err_path, "wb") as err_f:
        t0 = time.monotonic()
        try:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_f, stderr=err_f)
        except OSError as e:
            return Run(False, 0.0, 0.0, -1, "", str(e))
        stdout = p.stdout.read().decode("utf-8", "replace") if capture_stdout else ""
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.stdout:
            p.stdout.close()
    stderr = log.read_text("utf-8", "replace") if log is not None and log.exists() else ""
    return Run(p.returncode in ok_codes, wall, ru.ru_maxrss / 1024.0, p.returncode, stdout, stderr)


def timed(label: str, cmd: list[str], repeat: int, *, ok_codes=(0,), before=None, log: Path | None = None):
    """Median wall seconds and peak RSS MB over `repeat` runs, or None (printed) on failure."""
    walls, rsss = [], []
    for i in range(repeat):
        if before:
            before()
        r = run_once(cmd, ok_codes=ok_codes, log=log)
        if not r.ok:
            print(f"  {label}: FAILED (exit {r.rc}): {' '.join(cmd)}")
            for line in r.stderr.strip().splitlines()[-8:]:
                print(f"    {line}")
            return None
        walls.append(r.wall)
        rsss.append(r.rss_mb)
    res = {"seconds": statistics.median(walls), "rss_mb": statistics.median(rsss), "runs": walls}
    print(f"  {label}: {res['seconds']:.3f} s (runs {', '.join(f'{w:.3f}' for w in walls)}), "
          f"peak RSS {res['rss_mb']:.1f} MB")
    return res


# --------------------------------------------------------------------------
# setup

def ensure_duckdb():
    try:
        import duckdb  # noqa: F401
        return
    except ImportError:
        pass
    print("duckdb not found: pip install duckdb")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"], check=True)
    import importlib
    importlib.invalidate_caches()
    import duckdb  # noqa: F401


def generate(export: Path, args) -> float | None:
    """Generate the export unless it is there with the same parameters; seconds taken, or None."""
    gargs = generate_export.parse_args(["--records", str(args.records), "--out", str(export),
                                        "--seed", str(args.seed), "--hours", str(args.hours),
                                        "--gzip-fraction", str(args.gzip_fraction)])
    want = generate_export.params_of(gargs)
    pf = export / PARAMS_FILE
    if pf.exists():
        try:
            if json.loads(pf.read_text())["params"] == want:
                print(f"export: reusing {export}")
                return None
        except (ValueError, KeyError):
            pass
    print(f"export: generating {args.records} records into {export}")
    cmd = [sys.executable, str(BENCH / "generate_export.py"), "--records", str(args.records),
           "--out", str(export), "--seed", str(args.seed), "--hours", str(args.hours),
           "--gzip-fraction", str(args.gzip_fraction)]
    t0 = time.monotonic()
    subprocess.run(cmd, check=True)
    return time.monotonic() - t0


def blobs_of(export: Path) -> list[Path]:
    return sorted(p for p in export.glob("insights-logs-*/**/*")
                  if p.is_file() and p.name in ("PT1H.json", "PT1H.json.gz"))


def read_blob(p: Path) -> bytes:
    data = p.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


HOUR_RE = re.compile(r"/y=(\d{4})/m=(\d{2})/d=(\d{2})/h=(\d{2})/")


def export_stats(export: Path, work: Path) -> dict:
    """Raw and gzip sizes, and the query (busiest hour, mid-popularity phone) with expected counts."""
    params = json.loads((export / PARAMS_FILE).read_text())["params"]
    cache = work / f"{export.name}.stats.json"
    if cache.exists():
        st = json.loads(cache.read_text())
        if st.get("params") == params:
            return st
    print("export: measuring raw and gzip sizes, choosing the query")
    raw = gz = records = 0
    per_hour: Counter = Counter()
    blobs_by_hour: dict[str, list[Path]] = {}
    has_flat = False
    for p in blobs_of(export):
        data = read_blob(p)
        raw += len(data)
        c = zlib.compressobj(6, zlib.DEFLATED, 31)
        gz += len(c.compress(data)) + len(c.flush())
        n = data.count(b"\n")
        records += n
        m = HOUR_RE.search(p.as_posix())
        hour = f"{m[1]}-{m[2]}-{m[3]}T{m[4]}"
        per_hour[hour] += n
        blobs_by_hour.setdefault(hour, []).append(p)
        has_flat = has_flat or data.startswith(b'{"TimeGenerated"')
    busiest = max(sorted(per_hour), key=lambda h: per_hour[h])
    start = dt.datetime.fromisoformat(busiest + ":00:00+00:00")
    end = start + dt.timedelta(hours=1)
    phones: Counter = Counter()
    hour_count = 0
    for p in blobs_by_hour[busiest]:
        for line in read_blob(p).splitlines():
            rec = json.loads(line)
            t = rec.get("time") or rec.get("TimeGenerated")
            when = dt.datetime.fromisoformat(t[:19] + "+00:00")
            if not (start <= when < end):
                continue
            hour_count += 1
            props = rec.get("properties", rec)
            phones[props.get("PhoneNumber")] += 1
    ranked = sorted((p for p in phones if p), key=lambda p: (-phones[p], p))
    # mid popularity: a third of the way down the ranking, preferring E.164 long codes
    candidates = [p for p in ranked if p.startswith("+")] or ranked
    phone = candidates[len(candidates) // 3]
    st = {
        "params": params, "raw_bytes": raw, "gzip_bytes": gz, "records": records, "blobs": len(blobs_of(export)),
        "has_flat": has_flat, "hour_from": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hour_to": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "phone": phone, "phone_rank": ranked.index(phone) + 1,
        "phones_in_hour": len(ranked), "expected_hour": hour_count, "expected_hour_phone": phones[phone],
    }
    cache.write_text(json.dumps(st, indent=2) + "\n")
    return st


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "ram_gib": round(ram, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def tree_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def rm(path: Path):
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --------------------------------------------------------------------------
# DuckDB: each step is a fresh `python3 -c SCRIPT ARGS...` process

DUCK_PRELUDE = "import sys, duckdb\ncon = duckdb.connect()\ncon.execute('SET threads=2')\n"


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def duck_convert_script(export: Path, parquet: Path, has_flat: bool) -> str:
    src = (f"read_json({sql_str(str(export) + '/insights-logs-*/**/PT1H.json*')}, "
           "format='newline_delimited', union_by_name=true, hive_partitioning=false)")
    order = 'coalesce("time", "TimeGenerated")' if has_flat else '"time"'
    sql = (f"COPY (SELECT * FROM {src} ORDER BY {order}) TO {sql_str(str(parquet))} "
           "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9)")
    return DUCK_PRELUDE + f"con.execute({sql!r})\n"


def duck_where(columns: dict, t_from: str, t_to: str, phone: str | None) -> str:
    """WHERE clause for the schema DuckDB inferred (columns: name -> type)."""
    def ts(col):
        if "TIMESTAMP" in columns[col]:
            a, b = f"TIMESTAMPTZ {sql_str(t_from)}", f"TIMESTAMPTZ {sql_str(t_to)}"
        else:  # kept as text: ISO strings compare in time order
            a, b = sql_str(t_from[:19]), sql_str(t_to[:19])
        return f'("{col}" >= {a} AND "{col}" < {b})'
    time_cols = [c for c in ("time", "TimeGenerated") if c in columns]
    cond = "(" + " OR ".join(ts(c) for c in time_cols) + ")"
    if phone is not None:
        alts = []
        if "properties" in columns and "PhoneNumber" in columns["properties"]:
            alts.append(f'"properties"."PhoneNumber" = {sql_str(phone)}')
        if "PhoneNumber" in columns:
            alts.append(f'"PhoneNumber" = {sql_str(phone)}')
        cond += " AND (" + " OR ".join(alts) + ")"
    return cond


def duck_query_script(parquet: Path, where: str | None, count: bool) -> str:
    sel = f"SELECT * FROM {sql_str(str(parquet))}" + (f" WHERE {where}" if where else "")
    if count:
        return DUCK_PRELUDE + f"print(con.execute({('SELECT count(*) FROM (' + sel + ')')!r}).fetchone()[0])\n"
    # JSON lines to stdout (redirected to /dev/null), like `smsarchive scan --format jsonl`
    return DUCK_PRELUDE + f"con.execute({('COPY (' + sel + ') TO ' + sql_str('/dev/stdout') + ' (FORMAT json)')!r})\n"


def duck_schema(parquet: Path) -> dict:
    import duckdb
    con = duckdb.connect()
    rows = con.execute(f"DESCRIBE SELECT * FROM {sql_str(str(parquet))}").fetchall()
    return {r[0]: r[1] for r in rows}


# --------------------------------------------------------------------------
# report

def fmt(v, kind):
    if v is None:
        return NA
    if kind == "bytes":
        return f"{v:,}"
    if kind == "x":
        return f"{v:.1f}x"
    if kind == "s":
        return f"{v:.3f}"
    if kind == "mbs":
        return f"{v:.1f}"
    if kind == "mb":
        return f"{v:.0f}"
    return str(v)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def build_table(R: dict) -> str:
    st, ours, duck, m = R["export"], R["smsarchive"], R["duckdb"], R["machine"]
    raw, gz = st["raw_bytes"], st["gzip_bytes"]

    def g(d, *path):
        for k in path:
            if d is None:
                return None
            d = d.get(k)
        return d

    def size_ratio(d, base):
        b = g(d, "bytes")
        return base / b if b else None

    def mbs(d):
        s = g(d, "convert", "seconds")
        return raw / 1e6 / s if s else None

    rows = [
        ("archive bytes", g(ours, "bytes"), g(duck, "bytes"), "bytes"),
        ("compression vs raw JSON (raw/archive)", size_ratio(ours, raw), size_ratio(duck, raw), "x"),
        ("compression vs gzip -6 (gzip/archive)", size_ratio(ours, gz), size_ratio(duck, gz), "x"),
        ("convert seconds", g(ours, "convert", "seconds"), g(duck, "convert", "seconds"), "s"),
        ("convert MB/s of raw JSON", mbs(ours), mbs(duck), "mbs"),
        ("convert peak RSS MB", g(ours, "convert", "rss_mb"), g(duck, "convert", "rss_mb"), "mb"),
        ("one-hour + phone scan seconds", g(ours, "hour_phone", "seconds"), g(duck, "hour_phone", "seconds"), "s"),
        ("one-hour + phone matched records", g(ours, "hour_phone_count"), g(duck, "hour_phone_count"), "n"),
        ("one-hour scan seconds", g(ours, "hour", "seconds"), g(duck, "hour", "seconds"), "s"),
        ("one-hour matched records", g(ours, "hour_count"), g(duck, "hour_count"), "n"),
        ("full scan seconds", g(ours, "full", "seconds"), g(duck, "full", "seconds"), "s"),
        ("full scan peak RSS MB", g(ours, "full", "rss_mb"), g(duck, "full", "rss_mb"), "mb"),
        ("full scan records", g(ours, "full_count"), g(duck, "full_count"), "n"),
        ("export --format parquet seconds (DuckDB: none)", g(ours, "export", "seconds"), None, "s"),
        ("export Parquet bytes (DuckDB: its Parquet file)", g(ours, "export_bytes"), g(duck, "bytes"), "bytes"),
    ]
    out = []
    out.append(f"# smsarchive vs DuckDB ({st['records']:,} records)\n")
    out.append(f"- date: {m['date']}")
    out.append(f"- machine: {m['nproc']} CPUs, {m['cpu']}, {m['ram_gib']} GiB RAM; {m['os']}")
    out.append(f"- smsarchive: {R['versions'].get('smsarchive') or NA} ({R['smsarchive_binary']}, built "
               f"{(R.get('smsarchive_mtime') or NA)[:19]}, sha256 {(R.get('smsarchive_sha256') or NA)[:12]}); "
               f"DuckDB {R['versions'].get('duckdb') or NA} (threads=2, Parquet zstd level 9); Python {m['python']}")
    out.append(f"- export: {st['blobs']} blobs, {st['records']:,} records, raw JSON {raw:,} bytes, "
               f"gzip -6 {gz:,} bytes (raw/gzip {raw / gz:.1f}x)"
               + (f"; generated in {R['generate_seconds']:.1f} s" if R.get("generate_seconds") else ""))
    out.append(f"- query: {st['hour_from']} .. {st['hour_to']} (busiest hour, {st['expected_hour']:,} records), "
               f"PhoneNumber {st['phone']} (rank {st['phone_rank']} of {st['phones_in_hour']} numbers in that hour; "
               f"expected {st['expected_hour_phone']:,} records)")
    out.append(f"- times: wall seconds of the whole process, median of {R['repeat']} runs; peak RSS of that process; "
               f"load average {m.get('loadavg_start', NA)} at the start, {m.get('loadavg_end', NA)} at the end\n")
    out.append("| metric | smsarchive | DuckDB | ratio (ours/DuckDB) |")
    out.append("| --- | ---: | ---: | ---: |")
    for name, a, b, kind in rows:
        r = ratio(a, b)
        out.append(f"| {name} | {fmt(a, kind)} | {fmt(b, kind)} | {NA if r is None else f'{r:.2f}'} |")
    notes = R.get("notes") or []
    if notes:
        out.append("")
        out.extend(f"- note: {n}" for n in notes)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=300_000)
    ap.add_argument("--smsarchive", default=str(ROOT / ".build/release/smsarchive"))
    ap.add_argument("--work", default=str(ROOT / "bench-out"))
    ap.add_argument("--repeat", type=int, default=3, help="runs per timed step (median reported)")
    ap.add_argument("--seed", type=int, default=generate_export.DEFAULT_SEED)
    ap.add_argument("--hours", type=int, default=24)
    ap.add_argument("--gzip-fraction", type=float, default=0.3)
    ap.add_argument("--skip-duckdb", action="store_true", help="measure smsarchive only")
    args = ap.parse_args(argv)

    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    export = work / f"export-{args.records}-s{args.seed}"
    if not args.skip_duckdb:
        ensure_duckdb()
    gen_seconds = generate(export, args)
    st = export_stats(export, work)
    print(f"export: {st['records']:,} records in {st['blobs']} blobs; raw {st['raw_bytes']:,} B, "
          f"gzip -6 {st['gzip_bytes']:,} B")
    print(f"query: {st['hour_from']} .. {st['hour_to']}, phone {st['phone']} "
          f"(expected {st['expected_hour_phone']} of {st['expected_hour']} records in the hour)")

    R = {"export": st, "machine": machine(), "repeat": args.repeat, "generate_seconds": gen_seconds,
         "smsarchive_binary": args.smsarchive, "versions": {}, "smsarchive": None, "duckdb": None, "notes": []}
    logs = work / "logs"
    logs.mkdir(exist_ok=True)

    # -- smsarchive ---------------------------------------------------------
    src = Path(args.smsarchive).resolve()
    print(f"smsarchive: {src}")
    if not src.is_file():
        print("  binary not found: smsarchive cells are n/a")
        R["notes"].append(f"smsarchive binary {src} not found")
    else:
        # run a private copy, so that a rebuild during the benchmark cannot mix two versions
        # (the binary finds the Swift runtime through an absolute RUNPATH)
        exe = work / "bin" / "smsarchive"
        exe.parent.mkdir(exist_ok=True)
        shutil.copy2(src, exe)
        R["smsarchive_sha256"] = hashlib.sha256(exe.read_bytes()).hexdigest()
        R["smsarchive_mtime"] = dt.datetime.fromtimestamp(src.stat().st_mtime, dt.timezone.utc).isoformat()
        v = run_once([str(exe), "--version"], capture_stdout=True)
        R["versions"]["smsarchive"] = v.stdout.strip() if v.ok else None
        archive = work / "archive.smsa"
        ours: dict = {}
        conv = timed("convert", [str(exe), "convert", str(export), "--output", str(archive)], args.repeat,
                     ok_codes=(0, 2), before=lambda: rm(archive), log=logs / "smsarchive-convert.log")
        if conv:
            ours["convert"] = conv
            ours["bytes"] = tree_bytes(archive)
            last = (logs / "smsarchive-convert.log").read_text("utf-8", "replace").strip().splitlines()
            if last:
                print(f"  {last[-1]}")
            hour = ["--from", st["hour_from"], "--to", st["hour_to"]]
            scans = {
                "hour_phone": hour + ["--phone", st["phone"]],
                "hour": hour,
                "full": [],
            }
            for key, opts in scans.items():
                base = [str(exe), "scan", str(archive)] + opts
                res = timed(f"scan {key}", base + ["--format", "jsonl"], args.repeat,
                            log=logs / f"smsarchive-scan-{key}.log")
                if res:
                    ours[key] = res
                c = run_once(base + ["--count"], capture_stdout=True, log=logs / f"smsarchive-count-{key}.log")
                if c.ok and c.stdout.strip().isdigit():
                    ours[f"{key}_count"] = int(c.stdout.strip())
                    print(f"  scan {key} --count: {ours[key + '_count']}")
                else:
                    print(f"  scan {key} --count: FAILED (exit {c.rc}): {c.stderr.strip().splitlines()[:1]}")
            # the whole archive as partitioned Parquet (zstd), for DuckDB/Spark/Trino
            exported = work / "export-parquet"
            res = timed("export parquet", [str(exe), "export", str(archive), "--output", str(exported), "--quiet"],
                        args.repeat, before=lambda: rm(exported), log=logs / "smsarchive-export.log")
            if res:
                ours["export"] = res
                ours["export_bytes"] = tree_bytes(exported)
        R["smsarchive"] = ours

    # -- DuckDB -------------------------------------------------------------
    if not args.skip_duckdb:
        import duckdb
        R["versions"]["duckdb"] = duckdb.__version__
        print(f"duckdb {duckdb.__version__}")
        parquet = work / "duckdb.parquet"
        py = sys.executable
        duck: dict = {}
        conv = timed("convert", [py, "-c", duck_convert_script(export, parquet, st["has_flat"])], args.repeat,
                     before=lambda: rm(parquet), log=logs / "duckdb-convert.log")
        if conv:
            duck["convert"] = conv
            duck["bytes"] = tree_bytes(parquet)
            cols = duck_schema(parquet)
            duck["schema"] = cols
            dup = sorted(c for c in cols if re.search(r"_\d+$", c))
            if dup:
                R["notes"].append("DuckDB union_by_name renamed case-insensitive duplicates of the flat "
                                  "PascalCase shape: " + ", ".join(dup))
            if "TIMESTAMP" in cols.get("time", ""):
                R["notes"].append("DuckDB parsed `time` as " + cols["time"] + " (microseconds): the 7th "
                                  "fractional digit and the original text are not kept; smsarchive keeps the text")
            wheres = {
                "hour_phone": duck_where(cols, st["hour_from"], st["hour_to"], st["phone"]),
                "hour": duck_where(cols, st["hour_from"], st["hour_to"], None),
                "full": None,
            }
            for key, where in wheres.items():
                res = timed(f"query {key}", [py, "-c", duck_query_script(parquet, where, False)], args.repeat,
                            log=logs / f"duckdb-{key}.log")
                if res:
                    duck[key] = res
                c = run_once([py, "-c", duck_query_script(parquet, where, True)], capture_stdout=True,
                             log=logs / f"duckdb-count-{key}.log")
                if c.ok:
                    duck[f"{key}_count"] = int(c.stdout.strip())
                    print(f"  query {key} count: {duck[key + '_count']}")
                else:
                    print(f"  query {key} count: FAILED: {c.stderr.strip()[-300:]}")
            duck["hour_phone_sql"] = wheres["hour_phone"]
        R["duckdb"] = duck

    for side in ("smsarchive", "duckdb"):
        d = R[side] or {}
        for key, exp in (("hour_phone_count", st["expected_hour_phone"]), ("hour_count", st["expected_hour"]),
                         ("full_count", st["records"])):
            if key in d and d[key] != exp:
                R["notes"].append(f"{side} {key} = {d[key]}, generator expects {exp}")

    R["machine"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    table = build_table(R)
    print()
    print(table)
    (work / "results.md").write_text(table, encoding="utf-8")
    (work / "results.json").write_text(json.dumps(R, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"written: {work / 'results.md'}, {work / 'results.json'}")


if __name__ == "__main__":
    main()
