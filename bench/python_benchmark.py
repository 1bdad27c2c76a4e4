#!/usr/bin/env python3
"""DuckDB over `smsarchive.scan(...)` (the Arrow stream of libSMSArchiveC) against DuckDB over `read_parquet` of
DuckDB's own sorted zstd-9 Parquet of the same export, both in one Python process (issue 15's targets).

    python3 bench/python_benchmark.py [--work bench-out] [--runs 5]

Reads the stores that `make bench-queries` builds in WORK (the 10-day, 3M-record export): q-archive.smsa,
q-archive-compacted.smsa, q-duckdb.parquet and queries.json (the hour, phone, MessageId and day it chose).
The library is $SMSARCHIVE_LIBRARY, else .build/release/libSMSArchiveC.so, else the installed package's.

Queries (each timed as a whole: open, scan, DuckDB's work, results into an Arrow table):
  day_aggregate  one day's failed records, counted by country, operation and hour
  day_aggregate_no_columns  the same without columns= (DuckDB does not pass its projection through the Arrow
                 stream interface, so every column is decoded: what forgetting columns= costs)
  hour_phone     every column of one phone number's records in one hour
  message_id     every column of one MessageId's records
The archive side is written as the README tells a user to: the predicates as scan() arguments, and for the
aggregate the columns it uses in columns=.
Then, each in a child process of its own, peak RSS while DuckDB runs a GROUP BY over all 10 days streamed
from the archive (every column, and three columns). Times are medians of --runs, the two sides alternating;
the machine may be shared, so compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "bench"))
import run_benchmark as rb  # noqa: E402

RELEASE_LIBRARY = REPOSITORY / ".build" / "release" / "libSMSArchiveC.so"
if "SMSARCHIVE_LIBRARY" not in os.environ and RELEASE_LIBRARY.exists():
    os.environ["SMSARCHIVE_LIBRARY"] = str(RELEASE_LIBRARY)
    sys.path.insert(0, str(REPOSITORY / "python"))

import duckdb  # noqa: E402

import smsarchive  # noqa: E402


def parquet_queries(parquet: Path, v: dict[str, Any]) -> dict[str, str]:
    """The queries on DuckDB's Parquet: one UNION ALL branch per record shape, as bench/query_benchmark.py does
    (DuckDB pushes plain conditions into its Parquet scan, not an OR across the two shapes' columns)."""
    con = duckdb.connect()
    cols = {row[0]: row[1] for row in con.sql(f"DESCRIBE SELECT * FROM {rb.sql_str(str(parquet))}").fetchall()}
    shapes = rb.duck_shapes(cols, ("PhoneNumber", "MessageId", "resultType", "Country", "operationName"))
    src = rb.sql_str(str(parquet))
    lit = rb.sql_str

    def t_range(sh: dict[str, str], t_from: str, t_to: str) -> str:
        return rb.duck_time_range(cols, sh, t_from, t_to)

    day = " UNION ALL ".join(
        f'SELECT {sh["Country"]} AS Country, {sh["operationName"]} AS operationName, '
        f'date_trunc(\'hour\', CAST("{sh["time"]}" AS TIMESTAMPTZ)) AS hour FROM {src} '
        f'WHERE {t_range(sh, v["day_from"], v["day_to"])} AND {sh["resultType"]} = {lit("Failed")}' for sh in shapes)
    aggregate = f"SELECT Country, operationName, hour, count(*) AS n FROM ({day}) GROUP BY ALL"
    return {
        "day_aggregate": aggregate,
        "day_aggregate_no_columns": aggregate,
        "hour_phone": rb.duck_branches(src, shapes, lambda sh: f'{t_range(sh, v["hour_from"], v["hour_to"])} '
                                                               f'AND {sh["PhoneNumber"]} = {lit(v["phone"])}'),
        "message_id": rb.duck_branches(src, shapes, lambda sh: f'{sh["MessageId"]} = {lit(v["message_id"])}'),
    }


def archive_queries(archive: Path, v: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    a = str(archive)

    def day_aggregate() -> Any:
        r = smsarchive.scan(a, start=v["day_from"], end=v["day_to"], result="Failed",
                            columns=["time", "Country", "operationName"])
        return duckdb.sql("SELECT Country, operationName, date_trunc('hour', time) AS hour, count(*) AS n "
                          "FROM r GROUP BY ALL").to_arrow_table()

    def day_aggregate_no_columns() -> Any:
        r = smsarchive.scan(a, start=v["day_from"], end=v["day_to"], result="Failed")
        return duckdb.sql("SELECT Country, operationName, date_trunc('hour', time) AS hour, count(*) AS n "
                          "FROM r GROUP BY ALL").to_arrow_table()

    def hour_phone() -> Any:
        r = smsarchive.scan(a, start=v["hour_from"], end=v["hour_to"], phone=v["phone"])
        return duckdb.sql("SELECT * FROM r").to_arrow_table()

    def message_id() -> Any:
        r = smsarchive.scan(a, message_id=v["message_id"])
        return duckdb.sql("SELECT * FROM r").to_arrow_table()

    return {"day_aggregate": day_aggregate, "day_aggregate_no_columns": day_aggregate_no_columns, "hour_phone": hour_phone,
            "message_id": message_id}


def timed(body: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = body()
    return time.perf_counter() - started, result


PEAK_RSS_CHILD = """
import os, resource, sys, duckdb
sys.path[:0] = [p for p in os.environ.get("BENCH_PYTHONPATH", "").split(os.pathsep) if p]
import smsarchive
columns = None if sys.argv[2] == "all" else ["Country", "operationName", "resultType"]
duckdb.sql("SET enable_progress_bar = false")
r = smsarchive.scan(sys.argv[1], columns=columns)
rows = duckdb.sql("SELECT Country, operationName, resultType, count(*) FROM r GROUP BY ALL").fetchall()
print(sum(n for *_, n in rows), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def peak_rss(archive: Path, columns: str) -> tuple[int, int, float]:
    """(records, peak RSS in MB, seconds) of a child that streams the whole archive through a GROUP BY."""
    env = dict(os.environ, BENCH_PYTHONPATH=os.pathsep.join(p for p in sys.path[:2] if p.endswith("python")))
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK_RSS_CHILD, str(archive), columns], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1]), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=REPOSITORY / "bench-out")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the Markdown table here too")
    args = parser.parse_args()
    v = json.loads((args.work / "queries.json").read_text())["values"]
    parquet = args.work / "q-duckdb.parquet"
    stores = {"as converted": args.work / "q-archive.smsa", "compacted": args.work / "q-archive-compacted.smsa"}
    for path in [parquet, *stores.values()]:
        if not path.exists():
            raise SystemExit(f"{path} is missing: run `make bench-queries` first (it builds the stores)")
    duck_sql = parquet_queries(parquet, v)
    ours = {name: archive_queries(path, v) for name, path in stores.items()}
    print(f"library: {os.environ.get('SMSARCHIVE_LIBRARY', 'installed package')}; {v['records']:,} records; "
          f"DuckDB {duckdb.__version__}; {args.runs} runs", file=sys.stderr)

    lines = ["| query | DuckDB over read_parquet s | " + " | ".join(f"smsarchive.scan ({n}) s | ratio" for n in stores) + " | rows |",
             "|---|---:|" + "---:|---:|" * len(stores) + "---:|"]
    for query, sql in duck_sql.items():
        samples: dict[str, list[float]] = {"duckdb": [], **{n: [] for n in stores}}
        rows: dict[str, int] = {}
        for _ in range(args.runs):
            seconds, table = timed(lambda: duckdb.sql(sql).to_arrow_table())
            samples["duckdb"].append(seconds)
            rows["duckdb"] = table.num_rows
            for name in stores:
                seconds, table = timed(ours[name][query])
                samples[name].append(seconds)
                rows[name] = table.num_rows
        if len(set(rows.values())) != 1:
            raise SystemExit(f"{query}: the row counts differ: {rows}")
        duck = statistics.median(samples["duckdb"])
        cells = [f"{statistics.median(samples[n]):.3f} | {statistics.median(samples[n]) / duck:.2f}x" for n in stores]
        lines.append(f"| {query} | {duck:.3f} | " + " | ".join(cells) + f" | {rows['duckdb']:,} |")
        print(lines[-1], file=sys.stderr)

    lines.append("")
    lines.append("| 10 days through a GROUP BY (child process) | records | peak RSS MB | s |")
    lines.append("|---|---:|---:|---:|")
    for name, path in stores.items():
        for columns in ("all", "three"):
            records, mb, seconds = peak_rss(path, columns)
            lines.append(f"| {name}, {'every column' if columns == 'all' else 'three columns'} | {records:,} | {mb} | {seconds:.1f} |")
            print(lines[-1], file=sys.stderr)
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        args.out.write_text(table)


if __name__ == "__main__":
    main()
