#!/usr/bin/env python3
"""Benchmark smsarchive against DuckDB + zstd Parquet on a generated ACS SMS export.

    python3 bench/run_benchmark.py [--records 300000] [--smsarchive .build/release/smsarchive]
                                   [--work bench-out] [--repeat 3]

1. finds DuckDB's CLI (the native binary of the pip package duckdb-cli, installed when
   missing; --duckdb PATH to use another); generates the export with
   bench/generate_export.py into WORK/export-<records>-s<seed>/ (kept and reused while its
   parameters are the same); measures its raw size (decompressed JSON bytes) and its
   gzip -6 size (every blob gzipped), and picks the query: the busiest hour and a
   mid-popularity PhoneNumber present in it, with the expected match counts;
2. times each step as a whole process (wall seconds and peak RSS from wait4, median of
   --repeat runs): smsarchive convert / scan (hour + phone, hour, everything) and the
   same with a fresh process of DuckDB's CLI each (`duckdb -no-init -batch -c "SET threads=2;
   ..."`, in-memory database): read_json of both categories and shapes -> Parquet (zstd 9)
   ordered by time, then queries on the Parquet file writing JSON lines to /dev/null;
3. prints a markdown table (also WORK/results.md and WORK/results.json).

A step of smsarchive that fails is reported and its cells read "n/a"; the rest goes on.
Relative paths are taken from the current directory; the defaults are relative to the
repository root.  Python 3.11, standard library only; DuckDB's CLI comes from the pip
package duckdb-cli.
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
import tempfile
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


def _gnu_time() -> str | None:
    """/usr/bin/time when it is GNU time (it has -f and -o)."""
    t = "/usr/bin/time"
    if not os.access(t, os.X_OK):
        return None
    try:
        r = subprocess.run([t, "-f", "%M", "-o", os.devnull, "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return t if r.returncode == 0 else None


GNU_TIME = _gnu_time()


def run_once(cmd: list[str], *, ok_codes=(0,), capture_stdout=False, log: Path | None = None) -> Run:
    """Run cmd as a child process; wall time and peak RSS of that process (wait4).

    On Linux a process forked from this one starts with this Python process's high-water RSS as its own
    maxrss (the kernel carries it over the exec), so a small command would report ~30 MB. With GNU time
    installed, cmd is started by /usr/bin/time (a 1-2 MB process, about 1 ms), which takes the peak RSS
    from its own wait4 on cmd; the wall time is still this process's clock around the whole."""
    out_f = subprocess.PIPE if capture_stdout else subprocess.DEVNULL
    err_path = log if log is not None else Path(os.devnull)
    rss_file = None
    if GNU_TIME:
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file, *cmd]
    try:
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
        rss_mb = ru.ru_maxrss / 1024.0
        if rss_file:
            # the last line is %M (KiB); GNU time puts "Command exited with non-zero status N" before it
            lines = Path(rss_file).read_text().strip().splitlines()
            rss_mb = int(lines[-1]) / 1024.0 if lines and lines[-1].isdigit() else 0.0
    finally:
        if rss_file:
            os.unlink(rss_file)
    stderr = log.read_text("utf-8", "replace") if log is not None and log.exists() else ""
    return Run(p.returncode in ok_codes, wall, rss_mb, p.returncode, stdout, stderr)


LOCK_CLASH = "Could not set lock on file"


def run_retrying(cmd: list[str], *, ok_codes=(0,), capture_stdout=False, log: Path | None = None,
                 tries: int = 20) -> Run:
    """run_once, again after a pause when DuckDB could not lock its output file: COPY ... TO '/dev/stdout'
    locks the file, and with stdout sent to /dev/null two DuckDB processes at once (another user's) collide."""
    for i in range(tries):
        r = run_once(cmd, ok_codes=ok_codes, capture_stdout=capture_stdout, log=log)
        if r.ok or LOCK_CLASH not in r.stderr:
            return r
        print(f"    (DuckDB could not lock its output, another process holds it: retrying, {i + 1})")
        time.sleep(0.5 + i * 0.25)
    return r


def timed(label: str, cmd: list[str], repeat: int, *, ok_codes=(0,), before=None, log: Path | None = None):
    """Median wall seconds and peak RSS MB over `repeat` runs, or None (printed) on failure."""
    walls, rsss = [], []
    for i in range(repeat):
        if before:
            before()
        r = run_retrying(cmd, ok_codes=ok_codes, log=log)
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

def is_native(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def find_duckdb_cli(explicit: str | None) -> tuple[str | None, str]:
    """The native DuckDB CLI binary: --duckdb, the duckdb-cli pip package's binary, or a native `duckdb` on PATH.

    The pip package's `duckdb` console script is a Python program that starts the binary as a child, which
    would add an interpreter start-up (and a pyenv shim) to every timing; the binary is used directly."""
    if explicit:
        return (explicit, "given with --duckdb") if os.access(explicit, os.X_OK) else (None, f"{explicit} not executable")

    def from_package():
        r = subprocess.run([sys.executable, "-c", "import duckdb_cli, os; print(os.path.dirname(duckdb_cli.__file__))"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            p = Path(r.stdout.strip()) / "duckdb"
            if is_native(str(p)):
                return str(p)
        return None

    p = from_package()
    if p:
        return p, "pip package duckdb-cli"
    w = shutil.which("duckdb")
    if w and is_native(os.path.realpath(w)):
        return os.path.realpath(w), "PATH"
    print("DuckDB CLI not found: pip install duckdb-cli")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb-cli"], check=True)
    p = from_package()
    return (p, "pip package duckdb-cli (installed now)") if p else (None, "pip install duckdb-cli gave no binary")



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
# DuckDB: each step is a fresh process of DuckDB's own CLI (`duckdb -no-init -batch -c "SET threads=2; ..."`),
# timed as a whole like smsarchive's; not a python process, whose start-up and `import duckdb` (about 0.3 s)
# would dwarf a short query.

DUCK_SETUP = "SET threads=2; SET TimeZone='UTC'; "


def duck_cmd(duck: str, sql: str, *extra: str) -> list[str]:
    """A whole DuckDB CLI process on an in-memory database: no init file, batch mode."""
    return [duck, "-no-init", "-batch", *extra, "-c", DUCK_SETUP + sql]


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def duck_convert_sql(export: Path, parquet: Path, has_flat: bool) -> str:
    src = (f"read_json({sql_str(str(export) + '/insights-logs-*/**/PT1H.json*')}, "
           "format='newline_delimited', union_by_name=true, hive_partitioning=false)")
    # DuckDB may infer `time` as text (7 fractional digits) and TimeGenerated as a TIMESTAMP: order by both as
    # TIMESTAMPTZ (UTC), whatever was inferred
    order = ('coalesce(CAST("time" AS TIMESTAMPTZ), CAST("TimeGenerated" AS TIMESTAMPTZ))' if has_flat
             else 'CAST("time" AS TIMESTAMPTZ)')
    return (f"COPY (SELECT * FROM {src} ORDER BY {order}) TO {sql_str(str(parquet))} "
            "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9)")


def duck_time_key(columns: dict) -> str:
    """A record's time as TIMESTAMPTZ, for ORDER BY on the Parquet file."""
    keys = [f'CAST("{c}" AS TIMESTAMPTZ)' for c in ("time", "TimeGenerated") if c in columns]
    return keys[0] if len(keys) == 1 else "coalesce(" + ", ".join(keys) + ")"


def duck_shapes(cols: dict, fields: tuple = ("PhoneNumber", "MessageId", "correlationId", "resultType", "Country",
                                             "operationName", "category", "Quantity")) -> list[dict]:
    """Where each record shape keeps the fields the queries use, in the schema DuckDB inferred.

    The storage shape has `time`, top-level camelCase columns and a `properties` struct; the flat (Log
    Analytics) shape has `TimeGenerated` and top-level PascalCase columns, which union_by_name renames to
    Name_1 when they only differ in case from a storage-shape column (CorrelationId_1, ResultType_1)."""
    props = cols.get("properties", "")

    def in_props(name):
        return re.search(r'[(,]\s*"?' + re.escape(name) + r'"?\s', props) is not None

    def storage(name):
        if in_props(name):
            return f'"properties"."{name}"'
        return f'"{name}"' if name in cols else None

    def flat(name):
        # a top-level column of the name in any case, other than the one the storage shape uses
        taken = storage(name)
        for c in cols:
            if f'"{c}"' != taken and re.fullmatch(re.escape(name.lower()) + r"(_\d+)?", c.lower()):
                return f'"{c}"'
        return None

    shapes = []
    if "time" in cols:
        shapes.append({"time": "time", **{f: storage(f) for f in fields}})
    if "TimeGenerated" in cols:
        shapes.append({"time": "TimeGenerated", **{f: flat(f) for f in fields}})
    for sh in shapes:
        missing = [f for f in fields if sh[f] is None]
        if missing:
            raise SystemExit(f"DuckDB's Parquet has no column for {missing} next to {sh['time']}: {sorted(cols)}")
    return shapes


def duck_time_range(cols: dict, shape: dict, t_from: str, t_to: str) -> str:
    """[t_from, t_to) on the shape's time column: a TIMESTAMP(TZ), or text (ISO strings sort in time order)."""
    c = shape["time"]
    if "TIMESTAMP" in cols[c]:
        return f'"{c}" >= TIMESTAMPTZ {sql_str(t_from)} AND "{c}" < TIMESTAMPTZ {sql_str(t_to)}'
    return f'"{c}" >= {sql_str(t_from[:19])} AND "{c}" < {sql_str(t_to[:19])}'


def duck_branches(src: str, shapes: list[dict], cond) -> str:
    """One SELECT per record shape, each with plain conditions on its own columns, as a UNION ALL.

    DuckDB does not push an OR across two columns into its Parquet scan: `(time in H OR TimeGenerated in H)
    AND (properties.PhoneNumber = P OR PhoneNumber = P)` reads every row group (0.48 s on 3M records, against
    0.08 s for the branches)."""
    return " UNION ALL ".join(f"SELECT * FROM {src} WHERE {cond(sh)}" for sh in shapes)


def duck_query_sql(parquet: Path, cols: dict, cond, count: bool) -> str:
    """cond: shape -> condition, or None for every row."""
    src = sql_str(str(parquet))
    if cond is None:
        sel = f"SELECT * FROM {src}"
    else:
        sel = f"SELECT * FROM ({duck_branches(src, duck_shapes(cols), cond)})"
    if count:
        return f"SELECT count(*) FROM ({sel})"
    if cond is not None:  # in time order, as smsarchive prints
        sel += f" ORDER BY {duck_time_key(cols)}"
    # JSON lines to stdout (redirected to /dev/null), like `smsarchive scan --format jsonl`
    return f"COPY ({sel}) TO '/dev/stdout' (FORMAT json)"


def duck_schema(duck: str, parquet: Path) -> dict:
    import csv
    r = subprocess.run(duck_cmd(duck, f"DESCRIBE SELECT * FROM {sql_str(str(parquet))}", "-csv", "-noheader"),
                       capture_output=True, text=True, check=True)
    return {row[0]: row[1] for row in csv.reader(r.stdout.splitlines()) if row}


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
    ap.add_argument("--duckdb", help="DuckDB CLI binary (default: the duckdb-cli pip package's native binary)")
    args = ap.parse_args(argv)

    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    export = work / f"export-{args.records}-s{args.seed}"
    duck = duck_source = None
    if not args.skip_duckdb:
        duck, duck_source = find_duckdb_cli(args.duckdb)
        if duck is None:
            print(f"DuckDB CLI not found ({duck_source}): DuckDB cells are n/a")
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
    if not args.skip_duckdb and duck is None:
        R["notes"].append(f"DuckDB CLI not found ({duck_source}): its cells are n/a")

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
    if not args.skip_duckdb and duck:
        r = run_once([duck, "--version"], capture_stdout=True)
        R["versions"]["duckdb"] = ("CLI " + r.stdout.strip()) if r.ok else "CLI"
        print(f"duckdb: {duck} ({duck_source}), {R['versions']['duckdb']}")
        parquet = work / "duckdb.parquet"
        duck_res: dict = {}
        conv = timed("convert", duck_cmd(duck, duck_convert_sql(export, parquet, st["has_flat"])), args.repeat,
                     before=lambda: rm(parquet), log=logs / "duckdb-convert.log")
        if conv:
            duck_res["convert"] = conv
            duck_res["bytes"] = tree_bytes(parquet)
            cols = duck_schema(duck, parquet)
            duck_res["schema"] = cols
            dup = sorted(c for c in cols if re.search(r"_\d+$", c))
            if dup:
                R["notes"].append("DuckDB union_by_name renamed case-insensitive duplicates of the flat "
                                  "PascalCase shape: " + ", ".join(dup))
            if "TIMESTAMP" in cols.get("time", ""):
                R["notes"].append("DuckDB parsed `time` as " + cols["time"] + " (microseconds): the 7th "
                                  "fractional digit and the original text are not kept; smsarchive keeps the text")
            hour = (st["hour_from"], st["hour_to"])
            conds = {
                "hour_phone": lambda sh: (f"{duck_time_range(cols, sh, *hour)} AND "
                                          f"{sh['PhoneNumber']} = {sql_str(st['phone'])}"),
                "hour": lambda sh: duck_time_range(cols, sh, *hour),
                "full": None,
            }
            for key, cond in conds.items():
                res = timed(f"query {key}", duck_cmd(duck, duck_query_sql(parquet, cols, cond, False)), args.repeat,
                            log=logs / f"duckdb-{key}.log")
                if res:
                    duck_res[key] = res
                c = run_retrying(duck_cmd(duck, duck_query_sql(parquet, cols, cond, True), "-list", "-noheader"),
                             capture_stdout=True, log=logs / f"duckdb-count-{key}.log")
                if c.ok and c.stdout.strip().isdigit():
                    duck_res[f"{key}_count"] = int(c.stdout.strip())
                    print(f"  query {key} count: {duck_res[key + '_count']}")
                else:
                    print(f"  query {key} count: FAILED: {c.stderr.strip()[-300:]}")
            duck_res["hour_phone_sql"] = duck_query_sql(parquet, cols, conds["hour_phone"], False)
        R["duckdb"] = duck_res

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
