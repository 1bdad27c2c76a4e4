#!/usr/bin/env python3
"""Query benchmark at 10x scale: smsarchive (as converted and compacted) against DuckDB's CLI on Parquet.

    python3 bench/query_benchmark.py [--export DIR] [--records 3000000] [--hours 240]
                                     [--smsarchive .build/release/smsarchive] [--duckdb PATH]
                                     [--work bench-out] [--repeat 5] [--rebuild]

1. Finds DuckDB's CLI binary (`pip install duckdb-cli` when missing; the pip package's `duckdb`
   command is a Python wrapper, so the benchmark runs the native binary inside the package).
   Uses --export, or generates WORK/export-<records>-s<seed>-h<hours>/ with generate_export.py
   (kept and reused while its parameters are the same).
2. Chooses the query values from the data, deterministically: the busiest hour, the
   PhoneNumber a third of the way down that hour's ranking (E.164 preferred, as
   run_benchmark.py picks it), the middle MessageId of that hour's successful sends and that
   send's correlationId, the busiest hour's UTC day, and the export's first 7 days.
3. Builds three stores of the same records (reused while the export, the smsarchive binary
   and the DuckDB version are the same; --rebuild forces it): WORK/q-archive.smsa as
   `smsarchive convert` leaves it, WORK/q-archive-compacted.smsa (a copy, then
   `smsarchive compact`), and WORK/q-duckdb.parquet written by DuckDB's CLI (read_json of both
   record shapes, sorted by time, zstd level 9, threads=2).
4. Times every query as whole processes (wall time spawn to exit, peak RSS from wait4),
   alternating the three engines round by round, median of --repeat runs; output goes to
   /dev/null.  Before the timed runs, one untimed run of each side with its output counted
   (JSON lines, or the printed count) checks that both return the same number of rows.
5. Prints a markdown table and writes WORK/queries.md and WORK/queries.json.

A query smsarchive cannot run (no such option or subcommand in this binary) reads "n/a",
with the reason under the table.  Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate_export  # noqa: E402
import run_benchmark as rb  # noqa: E402  (process timing, export generation, DuckDB SQL helpers)

NA = "n/a"


# --------------------------------------------------------------------------
# query values

def pick_values(export: Path, work: Path) -> dict:
    """The query values, chosen from the export (cached in WORK/<export>.queries.json)."""
    pf = export / rb.PARAMS_FILE
    params = json.loads(pf.read_text())["params"] if pf.exists() else {"export": str(export)}
    cache = work / f"{export.name}.queries.json"
    if cache.exists():
        v = json.loads(cache.read_text())
        if v.get("params") == params and v.get("export") == str(export):
            return v
    print("export: counting records per hour and choosing the query values")
    per_hour: Counter = Counter()
    blobs_by_hour: dict[str, list[Path]] = {}
    raw = records = 0
    has_flat = False
    for p in rb.blobs_of(export):
        data = rb.read_blob(p)
        raw += len(data)
        n = data.count(b"\n")
        records += n
        m = rb.HOUR_RE.search(p.as_posix())
        hour = f"{m[1]}-{m[2]}-{m[3]}T{m[4]}"
        per_hour[hour] += n
        blobs_by_hour.setdefault(hour, []).append(p)
        has_flat = has_flat or data.startswith(b'{"TimeGenerated"')
    busiest = max(sorted(per_hour), key=lambda h: per_hour[h])
    start = dt.datetime.fromisoformat(busiest + ":00:00+00:00")
    end = start + dt.timedelta(hours=1)
    phones: Counter = Counter()
    sends = []
    for p in blobs_by_hour[busiest]:
        for line in rb.read_blob(p).splitlines():
            rec = json.loads(line)
            t = rec.get("time") or rec.get("TimeGenerated")
            when = dt.datetime.fromisoformat(t[:19] + "+00:00")
            if not (start <= when < end):
                continue
            props = rec.get("properties", rec)
            phones[props.get("PhoneNumber")] += 1
            op = rec.get("operationName") or rec.get("OperationName")
            result = rec.get("resultType") or rec.get("ResultType")
            corr = rec.get("correlationId") or rec.get("CorrelationId")
            if op == "SMSMessagesSent" and result == "Succeeded" and props.get("MessageId") and corr:
                sends.append((props["MessageId"], corr))
    ranked = sorted((p for p in phones if p), key=lambda p: (-phones[p], p))
    candidates = [p for p in ranked if p.startswith("+")] or ranked
    phone = candidates[len(candidates) // 3]
    sends.sort()
    message_id, correlation_id = sends[len(sends) // 2]
    first_day = dt.datetime.fromisoformat(min(per_hour)[:10] + "T00:00:00+00:00")
    day = dt.datetime.fromisoformat(busiest[:10] + "T00:00:00+00:00")
    z = "%Y-%m-%dT%H:%M:%SZ"
    v = {
        "params": params, "export": str(export), "records": records, "raw_bytes": raw,
        "blobs": len(rb.blobs_of(export)), "hours": len(per_hour), "has_flat": has_flat,
        "hour_from": start.strftime(z), "hour_to": end.strftime(z), "hour_records": per_hour[busiest],
        "phone": phone, "phone_rank": ranked.index(phone) + 1, "phones_in_hour": len(ranked),
        "week_from": first_day.strftime(z), "week_to": (first_day + dt.timedelta(days=7)).strftime(z),
        "day_from": day.strftime(z), "day_to": (day + dt.timedelta(days=1)).strftime(z),
        "message_id": message_id, "correlation_id": correlation_id,
    }
    cache.write_text(json.dumps(v, indent=2) + "\n")
    return v


# --------------------------------------------------------------------------
# DuckDB's CLI

find_duckdb_cli = rb.find_duckdb_cli
duck_cmd = rb.duck_cmd
duck_convert_sql = rb.duck_convert_sql
duck_schema = rb.duck_schema


duck_shapes = rb.duck_shapes


def duck_queries(cols: dict, v: dict, parquet: Path) -> dict:
    """query key -> SQL for DuckDB (JSON lines to stdout, or a count).

    DuckDB does not push an OR across two columns into its Parquet scan (an hour + phone query written as
    `(time in H OR TimeGenerated in H) AND (properties.PhoneNumber = P OR PhoneNumber = P)` reads every row
    group: 0.48 s against 0.08 s here), so every filtered query is one UNION ALL branch per record shape, each
    with plain conditions on its own columns, ordered by time (smsarchive prints in time order)."""
    src = rb.sql_str(str(parquet))
    shapes = duck_shapes(cols)
    lit = rb.sql_str
    order = rb.duck_time_key(cols)

    def t_range(sh, t_from, t_to):
        return rb.duck_time_range(cols, sh, t_from, t_to)

    def branches(cond) -> str:
        return rb.duck_branches(src, shapes, cond)

    def json_of(cond) -> str:
        return f"COPY (SELECT * FROM ({branches(cond)}) ORDER BY {order}) TO '/dev/stdout' (FORMAT json)"

    def count_of(cond) -> str:
        return f"SELECT count(*) FROM ({branches(cond)})"

    mid = v["message_id"]
    # trace: the records with the MessageId, then every other record sharing a correlationId with them. Their
    # correlationIds go to a variable first: `correlationId IN (SELECT ... WHERE MessageId = M)` in one statement
    # took 1.5 s here, this 0.85 s.
    ids = " UNION ALL ".join(f'SELECT {sh["correlationId"]} AS c FROM {src} WHERE {sh["MessageId"]} = {lit(mid)}'
                             for sh in shapes)
    trace_rows = " UNION ALL ".join(
        f'SELECT * FROM {src} WHERE {sh["MessageId"]} = {lit(mid)} UNION ALL '
        f'SELECT * FROM {src} WHERE list_contains(getvariable(\'ids\'), {sh["correlationId"]}) '
        f'AND {sh["MessageId"]} IS DISTINCT FROM {lit(mid)}' for sh in shapes)
    return {
        "hour_phone": json_of(lambda sh: f'{t_range(sh, v["hour_from"], v["hour_to"])} '
                                         f'AND {sh["PhoneNumber"]} = {lit(v["phone"])}'),
        "week_phone": json_of(lambda sh: f'{t_range(sh, v["week_from"], v["week_to"])} '
                                         f'AND {sh["PhoneNumber"]} = {lit(v["phone"])}'),
        "message_id": json_of(lambda sh: f'{sh["MessageId"]} = {lit(mid)}'),
        "correlation_id": json_of(lambda sh: f'{sh["correlationId"]} = {lit(v["correlation_id"])}'),
        "count_all": f"SELECT count(*) FROM {src}",
        "count_day_failed": count_of(lambda sh: f'{t_range(sh, v["day_from"], v["day_to"])} '
                                                f'AND {sh["resultType"]} = {lit("Failed")}'),
        "day_jsonl": json_of(lambda sh: t_range(sh, v["day_from"], v["day_to"])),
        "all_jsonl": f"COPY (SELECT * FROM {src}) TO '/dev/stdout' (FORMAT json)",
        "trace": f"SET VARIABLE ids = (SELECT list(c) FROM ({ids})); "
                 f"COPY (SELECT * FROM ({trace_rows}) ORDER BY {order}) TO '/dev/stdout' (FORMAT json)",
        **duck_aggregates(cols, v, src, shapes),
    }


def duck_aggregates(cols: dict, v: dict, src: str, shapes: list[dict]) -> dict:
    """The `stats` queries as DuckDB's GROUP BY (CSV with a header, as `stats --format csv` prints): one
    UNION ALL branch per record shape picking the columns, then the aggregate over the union."""
    lit = rb.sql_str

    def union(select, cond=None) -> str:
        return " UNION ALL ".join(f"SELECT {select(sh)} FROM {src}" + (f" WHERE {cond(sh)}" if cond else
                                  f' WHERE "{sh["time"]}" IS NOT NULL') for sh in shapes)

    def day_of(sh) -> str:
        c = sh["time"]
        return f'strftime("{c}", \'%Y-%m-%d\')' if "TIMESTAMP" in cols[c] else f'substr("{c}", 1, 10)'

    def in_range(t_from, t_to):
        return lambda sh: rb.duck_time_range(cols, sh, t_from, t_to)

    # The joined records of one day's sends: their reports and Usage records until the end of the next day
    # (`stats --join-window 24h`, its default).
    day_from, day_to = v["day_from"], v["day_to"]
    join_to = (dt.datetime.fromisoformat(day_to.replace("Z", "+00:00")) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    sends = union(lambda sh: f'{sh["Country"]} AS Country, {sh["MessageId"]} AS m, {sh["correlationId"]} AS c',
                  lambda sh: f'{rb.duck_time_range(cols, sh, day_from, day_to)} AND {sh["operationName"]} = {lit("SMSMessagesSent")}')
    reports = union(lambda sh: f'{sh["MessageId"]} AS m',
                    lambda sh: f'{rb.duck_time_range(cols, sh, day_from, join_to)} AND {sh["operationName"]} = '
                               f'{lit("SMSDeliveryReportsReceived")} AND {sh["resultType"]} = {lit("Succeeded")}')
    usage = union(lambda sh: f'{sh["correlationId"]} AS c, {sh["Quantity"]} AS q',
                  lambda sh: f'{rb.duck_time_range(cols, sh, day_from, join_to)} AND {sh["category"]} = {lit("Usage")}')
    return {
        "stats_country": f"SET TimeZone='UTC'; SELECT Country, count(*) AS records FROM "
                         f"({union(lambda sh: sh['Country'] + ' AS Country')}) GROUP BY 1 ORDER BY 1",
        "stats_day_operation": f"SET TimeZone='UTC'; SELECT day, operationName, count(*) AS records, "
                               f"count(*) FILTER (WHERE resultType = 'Failed') AS failed FROM "
                               f"({union(lambda sh: day_of(sh) + ' AS day, ' + sh['operationName'] + ' AS operationName, ' + sh['resultType'] + ' AS resultType')}) "
                               f"GROUP BY 1, 2 ORDER BY 1, 2",
        "stats_day_joins": f"SET TimeZone='UTC'; WITH s AS ({sends}), r AS (SELECT DISTINCT m FROM ({reports})), "
                           f"u AS (SELECT c, sum(q) AS q FROM ({usage}) GROUP BY 1) "
                           f"SELECT s.Country, count(DISTINCT r.m) AS delivered, coalesce(sum(u.q), 0) AS segments "
                           f"FROM s LEFT JOIN r ON s.m = r.m LEFT JOIN u ON s.c = u.c GROUP BY 1 ORDER BY 1",
    }


# --------------------------------------------------------------------------
# smsarchive

def ours_queries(exe: str, v: dict, scan_help: str, has_trace: bool, has_stats: bool = False) -> dict:
    """query key -> (arguments after the archive's subcommand, with ARCHIVE for the archive) or a reason for n/a."""
    hour = ["--from", v["hour_from"], "--to", v["hour_to"]]
    week = ["--from", v["week_from"], "--to", v["week_to"]]
    day = ["--from", v["day_from"], "--to", v["day_to"]]
    scan = ["scan", "ARCHIVE"]
    no_stats = "`smsarchive stats` is not in this binary"
    corr_opt = next((o for o in ("--correlation-id", "--correlation") if re.search(re.escape(o) + r"\b", scan_help)),
                    None)
    return {
        "hour_phone": scan + hour + ["--phone", v["phone"]],
        "week_phone": scan + week + ["--phone", v["phone"]],
        "message_id": scan + ["--message-id", v["message_id"]],
        "correlation_id": (scan + [corr_opt, v["correlation_id"]]) if corr_opt else
        "`smsarchive scan` has no correlationId option in this binary",
        "count_all": scan + ["--count"],
        "count_day_failed": scan + day + ["--result", "Failed", "--count"],
        "day_jsonl": scan + day + ["--format", "jsonl"],
        "all_jsonl": scan + ["--format", "jsonl"],
        "trace": ["trace", "ARCHIVE", v["message_id"]] if has_trace else
        "`smsarchive trace` is not in this binary",
        "stats_country": ["stats", "ARCHIVE", "--by", "Country", "--format", "csv"] if has_stats else no_stats,
        "stats_day_operation": ["stats", "ARCHIVE", "--by", "day,operationName", "--metrics", "records,failed",
                                "--format", "csv"] if has_stats else no_stats,
        "stats_day_joins": ["stats", "ARCHIVE"] + day + ["--operation", "SMSMessagesSent", "--by", "Country",
                            "--metrics", "delivered,segments", "--format", "csv"] if has_stats else no_stats,
    }


QUERIES = [
    ("hour_phone", "one hour + phone", "json"),
    ("week_phone", "one phone over 7 days", "json"),
    ("message_id", "one MessageId, all days", "json"),
    ("correlation_id", "one correlationId, all days", "json"),
    ("count_all", "count of every record", "count"),
    ("count_day_failed", "count of one day's Failed", "count"),
    ("day_jsonl", "one day to JSON Lines", "json"),
    ("all_jsonl", "everything to JSON Lines", "json"),
    ("trace", "trace one MessageId", "json"),
    ("stats_country", "stats --by Country (GROUP BY)", "csv"),
    ("stats_day_operation", "stats --by day,operationName: records, failed", "csv"),
    ("stats_day_joins", "one day's sends by Country: delivered, segments", "csv"),
]


# --------------------------------------------------------------------------
# running

def count_rows(cmd: list[str], kind: str, ok_codes=(0,)) -> tuple[int | None, str]:
    """Run once (untimed), counting the JSON lines written, or reading the printed count."""
    for i in range(20):
        n, err = count_rows_once(cmd, kind, ok_codes)
        if n is not None or rb.LOCK_CLASH not in err:
            return n, err
        time.sleep(0.5 + i * 0.25)
    return n, err


def count_rows_once(cmd: list[str], kind: str, ok_codes=(0,)) -> tuple[int | None, str]:
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    n, first, last = 0, b"", b""
    while True:
        chunk = p.stdout.read(1 << 20)
        if not chunk:
            break
        if not first:
            first = chunk[:200]
        n += chunk.count(b"\n")
        last = chunk[-200:]
    err = p.stderr.read().decode("utf-8", "replace")
    rc = p.wait()
    if rc not in ok_codes:
        return None, f"exit {rc}: {err.strip()[-300:]}"
    if kind == "count":
        text = (first if n <= 1 else last).decode().strip()
        return (int(text), "") if text.isdigit() else (None, f"not a count: {text[:80]!r}")
    if last and not last.endswith(b"\n"):
        n += 1
    return n, ""


def build_stores(args, exe: str | None, duck: str | None, export: Path, v: dict, work: Path, R: dict):
    stamp_file = work / "q-stores.json"
    want = {"export": str(export), "params": v["params"],
            "smsarchive_sha256": R.get("smsarchive_sha256"), "duckdb": R["versions"].get("duckdb")}
    stamp = {}
    if stamp_file.exists() and not args.rebuild:
        try:
            stamp = json.loads(stamp_file.read_text())
        except ValueError:
            stamp = {}
    archive, compacted, parquet = work / "q-archive.smsa", work / "q-archive-compacted.smsa", work / "q-duckdb.parquet"
    logs = work / "logs"
    builds = stamp.get("builds", {}) if stamp.get("want") == want else {}
    if exe:
        if not (builds.get("convert") and archive.exists() and compacted.exists()):
            builds.pop("convert", None)
            builds.pop("compact", None)
            rb.rm(archive)
            rb.rm(compacted)
            print("smsarchive: convert")
            r = rb.run_once([exe, "convert", str(export), "--output", str(archive), "--quiet"], ok_codes=(0, 2),
                            log=logs / "q-convert.log")
            if not r.ok:
                raise SystemExit(f"smsarchive convert failed (exit {r.rc}): {r.stderr[-500:]}")
            builds["convert"] = {"seconds": r.wall, "rss_mb": r.rss_mb, "bytes": rb.tree_bytes(archive)}
            shutil.copytree(archive, compacted)
            print("smsarchive: compact (a copy)")
            r = rb.run_once([exe, "compact", str(compacted), "--quiet"], log=logs / "q-compact.log")
            if not r.ok:
                raise SystemExit(f"smsarchive compact failed (exit {r.rc}): {r.stderr[-500:]}")
            builds["compact"] = {"seconds": r.wall, "rss_mb": r.rss_mb, "bytes": rb.tree_bytes(compacted)}
        else:
            print(f"smsarchive: reusing {archive} and {compacted}")
        for key, path in (("convert", archive), ("compact", compacted)):
            builds[key]["segments"] = segments_of(exe, path)
    if duck:
        if not (builds.get("duckdb") and parquet.exists()):
            rb.rm(parquet)
            print("duckdb: read_json -> Parquet")
            r = rb.run_once(duck_cmd(duck, duck_convert_sql(export, parquet, v["has_flat"])),
                            log=logs / "q-duckdb-convert.log")
            if not r.ok:
                raise SystemExit(f"DuckDB convert failed (exit {r.rc}): {r.stderr[-500:]}")
            builds["duckdb"] = {"seconds": r.wall, "rss_mb": r.rss_mb, "bytes": rb.tree_bytes(parquet)}
        else:
            print(f"duckdb: reusing {parquet}")
    stamp_file.write_text(json.dumps({"want": want, "builds": builds}, indent=2) + "\n")
    return archive, compacted, parquet, builds


def segments_of(exe: str, archive: Path):
    r = rb.run_once([exe, "info", str(archive), "--json"], capture_stdout=True)
    if not r.ok:
        return None
    try:
        info = json.loads(r.stdout)
    except ValueError:
        return None
    seg = info.get("segments")
    return len(seg) if isinstance(seg, list) else seg


def fmt_s(x):
    return NA if x is None else (f"{x:.3f}" if x < 10 else f"{x:.2f}")


def fmt_mb(x):
    return NA if x is None else f"{x:.0f}"


def fmt_ratio(a, b):
    return NA if a is None or b is None or b == 0 else f"{a / b:.2f}"


def build_table(R: dict) -> str:
    v, m, b = R["values"], R["machine"], R["builds"]
    out = [f"# smsarchive vs DuckDB CLI: queries ({v['records']:,} records, {v['hours']} hours)\n"]
    out.append(f"- date: {m['date']}; machine: {m['nproc']} CPUs, {m['cpu']}, {m['ram_gib']} GiB RAM; {m['os']}; "
               f"load average {m.get('loadavg_start', NA)} at the start, {m.get('loadavg_end', NA)} at the end")
    out.append(f"- smsarchive {R['versions'].get('smsarchive') or NA} (sha256 "
               f"{(R.get('smsarchive_sha256') or NA)[:12]}); DuckDB CLI {R['versions'].get('duckdb') or NA} "
               f"({R.get('duckdb_source', NA)}), threads=2; Python {m['python']}")
    out.append(f"- export: {R['export']} ({v['blobs']} blobs, {v['raw_bytes'] / 1e9:.2f} GB of JSON)")
    conv, comp, duck = b.get("convert"), b.get("compact"), b.get("duckdb")

    def built(d, what):
        if not d:
            return f"{what}: {NA}"
        seg = f", {d['segments']} segments" if d.get("segments") is not None else ""
        return f"{what}: {d['bytes']:,} bytes{seg} (built in {d['seconds']:.1f} s, peak RSS {d['rss_mb']:.0f} MB)"
    out.append("- stores: " + "; ".join([built(conv, "archive as converted"), built(comp, "compacted copy"),
                                         built(duck, "DuckDB's Parquet (sorted by time, zstd 9)")]))
    out.append(f"- values: hour {v['hour_from']} .. {v['hour_to']} (the busiest); phone {v['phone']}; "
               f"7 days {v['week_from']} .. {v['week_to']}; day {v['day_from']} .. {v['day_to']}; "
               f"MessageId {v['message_id']}; correlationId {v['correlation_id']}")
    out.append(f"- times: wall seconds of the whole process (spawn to exit, output to /dev/null), median of "
               f"{R['repeat']} runs, the three engines alternating; peak RSS: the largest over the runs; "
               f"rows: counted in an untimed run of each side\n")
    out.append("| query | smsarchive (as converted) s | smsarchive (compacted) s | DuckDB CLI s | "
               "ratio converted / DuckDB | ratio compacted / DuckDB | peak RSS MB converted | "
               "peak RSS MB compacted | peak RSS MB DuckDB | rows |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key, label, _ in QUERIES:
        q = R["queries"][key]
        a, c, d = (q.get(e) or {} for e in ("converted", "compacted", "duckdb"))
        counts = {e: q.get(f"{e}_rows") for e in ("converted", "compacted", "duckdb")}
        got = {e: n for e, n in counts.items() if n is not None}
        if len(set(got.values())) > 1:
            rows = "**MISMATCH " + " / ".join(f"{e} {n:,}" for e, n in got.items()) + "**"
        elif got:
            rows = f"{next(iter(got.values())):,}"
        else:
            rows = NA
        out.append(f"| {label} | {fmt_s(a.get('seconds'))} | {fmt_s(c.get('seconds'))} | {fmt_s(d.get('seconds'))} | "
                   f"{fmt_ratio(a.get('seconds'), d.get('seconds'))} | {fmt_ratio(c.get('seconds'), d.get('seconds'))} | "
                   f"{fmt_mb(a.get('rss_max_mb'))} | {fmt_mb(c.get('rss_max_mb'))} | {fmt_mb(d.get('rss_max_mb'))} | {rows} |")
    out.append("")
    out.append("Commands (ARCHIVE is either archive; DuckDB runs `duckdb -no-init -batch -c \"SET threads=2; "
               "SET TimeZone='UTC'; SQL\"` on an in-memory database):\n")
    for key, label, _ in QUERIES:
        q = R["queries"][key]
        ours = q["smsarchive_cmd"]
        ours = f"`smsarchive {ours}`" if not q.get("smsarchive_na") else f"n/a: {q['smsarchive_na']}"
        out.append(f"- {label}: {ours}; DuckDB: `{q['duckdb_sql']}`")
    notes = R.get("notes") or []
    if notes:
        out.append("")
        out.extend(f"- note: {n}" for n in notes)
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--export", help="an existing export folder (default: generate one under WORK)")
    ap.add_argument("--records", type=int, default=3_000_000)
    ap.add_argument("--hours", type=int, default=240)
    ap.add_argument("--seed", type=int, default=generate_export.DEFAULT_SEED)
    ap.add_argument("--gzip-fraction", type=float, default=0.3)
    ap.add_argument("--smsarchive", default=str(ROOT / ".build/release/smsarchive"))
    ap.add_argument("--duckdb", help="DuckDB CLI binary (default: the duckdb-cli pip package's)")
    ap.add_argument("--work", default=str(ROOT / "bench-out"))
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query and engine (median reported)")
    ap.add_argument("--rebuild", action="store_true", help="convert, compact and write the Parquet again")
    ap.add_argument("--only", help="comma-separated query keys to run (for trying out)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    work = Path(args.work).resolve()
    (work / "logs").mkdir(parents=True, exist_ok=True)
    if args.export:
        export = Path(args.export).resolve()
    else:
        export = work / f"export-{args.records}-s{args.seed}-h{args.hours}"
        rb.generate(export, args)
    R = {"machine": rb.machine(), "repeat": args.repeat, "export": str(export), "versions": {}, "notes": [],
         "queries": {}}

    duck, R["duckdb_source"] = find_duckdb_cli(args.duckdb)
    if duck:
        r = rb.run_once([duck, "--version"], capture_stdout=True)
        R["versions"]["duckdb"] = r.stdout.strip() if r.ok else None
        R["duckdb_binary"] = duck
        print(f"duckdb: {duck} ({R['duckdb_source']}), {R['versions']['duckdb']}")
    else:
        R["notes"].append(f"DuckDB CLI not found ({R['duckdb_source']}): its cells are n/a")

    exe = None
    src = Path(args.smsarchive).resolve()
    if src.is_file():
        exe = str(work / "bin" / "smsarchive")
        Path(exe).parent.mkdir(exist_ok=True)
        shutil.copy2(src, exe)  # a private copy: a rebuild during the run cannot mix two versions
        R["smsarchive_sha256"] = hashlib.sha256(Path(exe).read_bytes()).hexdigest()
        r = rb.run_once([exe, "--version"], capture_stdout=True)
        R["versions"]["smsarchive"] = r.stdout.strip() if r.ok else None
        print(f"smsarchive: {src} ({R['versions']['smsarchive']})")
    else:
        R["notes"].append(f"smsarchive binary {src} not found: its cells are n/a")

    v = pick_values(export, work)
    R["values"] = v
    print(f"export: {v['records']:,} records, {v['blobs']} blobs, {v['raw_bytes']:,} bytes of JSON")
    print(f"values: hour {v['hour_from']}, phone {v['phone']}, day {v['day_from']}, MessageId {v['message_id']}, "
          f"correlationId {v['correlation_id']}")
    archive, compacted, parquet, builds = build_stores(args, exe, duck, export, v, work, R)
    R["builds"] = builds

    scan_help = ""
    has_trace = has_stats = False
    if exe:
        scan_help = rb.run_once([exe, "scan", "--help"], capture_stdout=True).stdout
        th = rb.run_once([exe, "trace", "--help"], capture_stdout=True)
        # an unknown subcommand with --help prints the top-level help (exit 0): look for trace's own usage line
        has_trace = th.ok and "USAGE: smsarchive trace" in th.stdout
        sh = rb.run_once([exe, "stats", "--help"], capture_stdout=True)
        has_stats = sh.ok and "USAGE: smsarchive stats" in sh.stdout
    ours_q = ours_queries(exe or "smsarchive", v, scan_help, has_trace, has_stats)
    cols = duck_schema(duck, parquet) if duck else {}
    R["duckdb_schema"] = cols
    duck_q = duck_queries(cols, v, parquet) if duck else {}

    only = set(args.only.split(",")) if args.only else None
    for key, label, kind in QUERIES:
        if only and key not in only:
            continue
        print(f"{label}:")
        q = R["queries"][key] = {}
        engines = []
        oq = ours_q[key]
        if isinstance(oq, str):
            q["smsarchive_na"] = oq
            q["smsarchive_cmd"] = ""
            R["notes"].append(f"{label}: smsarchive n/a, {oq}")
            print(f"  smsarchive: n/a ({oq})")
        else:
            q["smsarchive_cmd"] = " ".join(oq)
            if exe:
                for name, path in (("converted", archive), ("compacted", compacted)):
                    engines.append((name, [exe] + [str(path) if a == "ARCHIVE" else a for a in oq]))
        if duck:
            sql = duck_q[key]
            q["duckdb_sql"] = sql
            mode = {"count": ("-list", "-noheader"), "csv": ("-csv",)}.get(kind, ())
            engines.append(("duckdb", duck_cmd(duck, sql, *mode)))
        else:
            q["duckdb_sql"] = NA
        # rows, from one untimed run of each (also a warm-up)
        for name, cmd in engines:
            n, err = count_rows(cmd, kind)
            q[f"{name}_rows"] = n
            if n is None:
                R["notes"].append(f"{label}: {name} failed: {err}")
                print(f"  {name}: FAILED {err}")
        engines = [(name, cmd) for name, cmd in engines if q.get(f"{name}_rows") is not None]
        walls: dict = {name: [] for name, _ in engines}
        rss: dict = {name: [] for name, _ in engines}
        for i in range(args.repeat):
            k = i % len(engines) if engines else 0
            for name, cmd in engines[k:] + engines[:k]:  # rotate who goes first
                r = rb.run_retrying(cmd, log=work / "logs" / f"q-{key}-{name}.log")
                if not r.ok:
                    R["notes"].append(f"{label}: {name} failed in a timed run (exit {r.rc}): {r.stderr[-200:]}")
                    continue
                walls[name].append(r.wall)
                rss[name].append(r.rss_mb)
        for name, _ in engines:
            if walls[name]:
                q[name] = {"seconds": statistics.median(walls[name]), "runs": walls[name],
                           "rss_max_mb": max(rss[name]), "rss_median_mb": statistics.median(rss[name])}
                print(f"  {name}: {q[name]['seconds']:.3f} s (runs {', '.join(f'{w:.3f}' for w in walls[name])}), "
                      f"peak RSS {q[name]['rss_max_mb']:.0f} MB, rows {q.get(name + '_rows')}")
        got = {e: q.get(f"{e}_rows") for e in ("converted", "compacted", "duckdb") if q.get(f"{e}_rows") is not None}
        if len(set(got.values())) > 1:
            msg = f"{label}: ROW COUNT MISMATCH " + ", ".join(f"{e} {n}" for e, n in got.items())
            R["notes"].append(msg)
            print(f"  {msg}")

    for key, label, _ in QUERIES:
        R["queries"].setdefault(key, {"smsarchive_cmd": "", "smsarchive_na": "not run (--only)",
                                      "duckdb_sql": duck_q.get(key, NA)})
    R["machine"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    table = build_table(R)
    print()
    print(table)
    (work / "queries.md").write_text(table, encoding="utf-8")
    (work / "queries.json").write_text(json.dumps(R, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"written: {work / 'queries.md'}, {work / 'queries.json'}")


if __name__ == "__main__":
    main()
