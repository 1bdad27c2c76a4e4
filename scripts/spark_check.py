#!/usr/bin/env python3
"""Spark (pyspark in local mode, Java 17+) reads a `--time-unit micros` export: `make test-spark`.

    python3 scripts/spark_check.py --smsarchive .build/debug/smsarchive --work DIR

generates an export of a few days (bench/generate_export.py), converts it, exports it with
`export --incremental --time-unit micros`, and reads the lake with Spark's own Parquet reader
and partition discovery. Checks, each against `smsarchive scan --fields ...` of the archive:
the row count; the rows of each date; a date-partition filter (and that Spark pruned the other
partitions); every row's values, `time` to the microsecond. Then a day of late records is
added and the incremental export rerun: Spark reads the replaced day in full.
Exits 1 on a mismatch, printing it. Needs `pip install pyspark` (about 300 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys

COLUMNS = ["time", "category", "resourceId", "operationName", "operationVersion", "resultType", "resultSignature",
           "resultDescription", "durationMs", "callerIpAddress", "correlationId", "level", "location", "URI",
           "OutgoingMessageLength", "IncomingMessageLength", "DeliveryAttempts", "PhoneNumber", "NumberType", "SdkType",
           "PlatformType", "Method", "MessageId", "Country", "RecordId", "UsageType", "UnitType", "Quantity", "Direction"]


def run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode not in (0, 2):
        sys.exit(f"{' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.stdout


def scanned_rows(smsarchive: str, archive: str) -> list[tuple]:
    """Every record as `scan` prints its columns: time cut to the microsecond, values as text."""
    rows = []
    for line in run(smsarchive, "scan", archive, "--fields", ",".join(COLUMNS)).splitlines():
        record = json.loads(line)
        values = [record.get(c) for c in COLUMNS]
        values[0] = values[0][:26]   # 2026-10-01T00:00:06.461062 of 2026-10-01T00:00:06.4610620Z
        rows.append(tuple(None if v is None else str(v) for v in values))
    return rows


def spark_rows(spark, lake: str):
    from pyspark.sql import functions as F
    df = spark.read.parquet(lake)
    selected = [F.date_format("time", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS").alias("time")] + [
        F.col(c).cast("string").alias(c) for c in COLUMNS[1:]]
    return df, [tuple(r) for r in df.select(*selected).collect()]


def compare(label: str, expected: list[tuple], got: list[tuple]) -> bool:
    e, g = sorted(expected, key=repr), sorted(got, key=repr)
    if e == g:
        print(f"ok   {label}: {len(g)} rows equal")
        return True
    print(f"FAIL {label}: {len(g)} rows read, {len(e)} scanned")
    for a, b in zip(e, g):
        if a != b:
            print("  scan: ", a, "\n  spark:", b)
            break
    return False


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--smsarchive", required=True)
    p.add_argument("--work", required=True, help="a scratch folder (replaced)")
    p.add_argument("--records", type=int, default=30_000)
    p.add_argument("--hours", type=int, default=72)
    a = p.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    here = os.path.dirname(os.path.abspath(__file__))
    export, archive, lake = (os.path.join(a.work, n) for n in ("export", "a.smsa", "lake"))
    run(sys.executable, os.path.join(here, "..", "bench", "generate_export.py"), "--records", str(a.records),
        "--hours", str(a.hours), "--out", export)
    run(a.smsarchive, "convert", export, "-o", archive, "--quiet")
    run(a.smsarchive, "export", archive, "-o", lake, "--incremental", "--time-unit", "micros", "--quiet")

    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("smsarchive-spark-check")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    ok = True
    expected = scanned_rows(a.smsarchive, archive)
    df, rows = spark_rows(spark, lake)
    ok &= compare("every row, every column, time to the microsecond", expected, rows)
    print(f"     schema: time {df.schema['time'].dataType.simpleString()}, date {df.schema['date'].dataType.simpleString()}")
    ok &= df.schema["time"].dataType.simpleString() == "timestamp" and df.schema["date"].dataType.simpleString() == "date"

    per_date: dict[str, int] = {}
    for r in expected:
        per_date[r[0][:10]] = per_date.get(r[0][:10], 0) + 1
    spark_per_date = {str(r[0]): r[1] for r in df.groupBy("date").count().collect()}
    ok &= spark_per_date == per_date
    print(("ok  " if spark_per_date == per_date else "FAIL") + f" rows per date: {dict(sorted(spark_per_date.items()))}")

    day = sorted(per_date)[1]
    filtered = df.filter(df.date == day)
    count = filtered.count()
    plan = filtered._jdf.queryExecution().executedPlan().toString()
    pruned = "PartitionFilters: [isnotnull(date" in plan
    ok &= count == per_date[day] and pruned
    print(("ok  " if count == per_date[day] and pruned else "FAIL") + f" date = {day}: {count} rows (scan: {per_date[day]}), partitions pruned: {pruned}")

    # Late records for that day: a copy of one of its blobs under another hour of the same day.
    blobs = [os.path.join(d, f) for d, _, fs in os.walk(export) for f in fs if f.startswith("PT1H") and f"d={day[8:10]}" in d]
    source = sorted(blobs)[0]
    late_folder = source.replace(f"{os.sep}h=", f"{os.sep}late{os.sep}h=", 1)
    os.makedirs(os.path.dirname(late_folder), exist_ok=True)
    shutil.copy(source, late_folder)
    run(a.smsarchive, "convert", export, "-o", archive, "--quiet")
    out = subprocess.run([a.smsarchive, "export", archive, "-o", lake, "--incremental", "--time-unit", "micros"], capture_output=True, text=True)
    print("     " + out.stderr.strip())
    expected = scanned_rows(a.smsarchive, archive)
    spark.catalog.clearCache()
    _, rows = spark_rows(spark, lake)
    ok &= compare("after the incremental run that replaced " + day, expected, rows)
    spark.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
