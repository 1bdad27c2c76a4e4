"""pyarrow, polars and DuckDB read, value for value, what `smsarchive scan --format jsonl` prints for the same
predicates: typed fields, nulls, unicode, drifted types, rows with no category, and `time` to its seventh
fractional digit (compared as text: the archive's 100 ns ticks, from the readers' own nanoseconds)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import duckdb
import polars as pl
import pyarrow as pa
import pytest

import smsarchive
from conftest import cli_rows

TYPED = [c for c in smsarchive.COLUMNS if c not in ("extra", "record")]


def time_text(nanoseconds: int) -> str:
    """ISO 8601 with seven fractional digits, as the CLI writes times."""
    seconds, rest = divmod(nanoseconds, 1_000_000_000)
    assert rest % 100 == 0, f"{nanoseconds} ns is not a whole number of 100 ns ticks"
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + f".{rest // 100:07d}Z"


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as sorted JSON texts: the comparison is of multisets (the stream goes block by block)."""
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)


def via_pyarrow(r: smsarchive.Scan) -> list[dict[str, Any]]:
    table = pa.RecordBatchReader.from_stream(r).read_all()
    rows: list[dict[str, Any]] = table.drop_columns(["time"]).to_pylist() if "time" in table.column_names else table.to_pylist()
    if "time" in table.column_names:
        assert table.schema.field("time").type == pa.timestamp("ns", tz="UTC")
        for row, ns in zip(rows, table.column("time").cast(pa.int64()).to_pylist()):
            row["time"] = time_text(ns)
    return rows


def via_polars(r: smsarchive.Scan) -> list[dict[str, Any]]:
    frame = pl.from_arrow(r)
    assert isinstance(frame, pl.Series)   # polars reads a stream of record batches as a struct Series
    df = frame.struct.unnest()
    assert df.columns == pl.DataFrame(r).columns
    if "time" in df.columns:
        df = df.with_columns(pl.col("time").cast(pl.Int64))
    rows = df.to_dicts()
    for row in rows:
        if "time" in row:
            row["time"] = time_text(row["time"])
    return rows


def via_duckdb(r: smsarchive.Scan) -> list[dict[str, Any]]:
    names = [f.name for f in r.schema]
    select = ", ".join(f'epoch_ns("{n}") AS "{n}"' if n == "time" else f'"{n}"' for n in names)
    relation = duckdb.sql(f"SELECT {select} FROM r")
    assert relation is not None
    rows = [dict(zip(relation.columns, values)) for values in relation.fetchall()]
    for row in rows:
        if "time" in row:
            row["time"] = time_text(row["time"])
    return rows


READERS: dict[str, Callable[[smsarchive.Scan], list[dict[str, Any]]]] = {
    "pyarrow": via_pyarrow, "polars": via_polars, "duckdb": via_duckdb,
}

# (archive, keyword arguments of scan, the same as `smsarchive scan` options)
CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("testdata", {}, []),
    ("testdata", {"start": "2026-10-01T01:00", "end": "2026-10-01T03:00"}, ["--from", "2026-10-01T01:00", "--to", "2026-10-01T03:00"]),
    ("testdata", {"start": datetime(2026, 10, 1, 1, 0)}, ["--from", "2026-10-01T01:00:00Z"]),
    ("testdata", {"result": "Failed"}, ["--result", "Failed"]),
    ("testdata", {"country": ["US", "ca"], "operation": "SMSMessagesSent"},
     ["--country", "US", "--country", "ca", "--operation", "SMSMessagesSent"]),
    ("testdata", {"category": "Usage"}, ["--category", "Usage"]),
    ("testdata", {"phone": "+18445791704"}, ["--phone", "+18445791704"]),
    ("generated", {}, []),
    ("generated", {"start": "2026-10-01T01:00", "end": "2026-10-01T02:00", "result": "Failed"},
     ["--from", "2026-10-01T01:00", "--to", "2026-10-01T02:00", "--result", "Failed"]),
    ("generated", {"category": ["SMSOperational"], "country": "GB"}, ["--category", "SMSOperational", "--country", "GB"]),
    ("awkward", {}, []),
    ("awkward", {"phone": "+15550000001"}, ["--phone", "+15550000001"]),
]


INTEGER_COLUMNS = {"resultSignature", "durationMs", "OutgoingMessageLength", "IncomingMessageLength", "DeliveryAttempts", "Quantity"}


def as_typed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The CLI's --fields values in the export's column types: `--fields` prints a member of another JSON type
    as written ("durationMs":"078"); an integer column holds it when its value is an integer (JSON's grammar:
    "078" is not one), else null (the member is in `extra`), and a text column holds a number as its text."""
    def integer(value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        if isinstance(value, float):
            return int(value) if value.is_integer() else None
        return value if isinstance(value, int) else None

    for row in rows:
        for column, value in row.items():
            if column in INTEGER_COLUMNS and not isinstance(value, int):
                row[column] = integer(value) if value is not None else None
            elif column not in INTEGER_COLUMNS and isinstance(value, (int, float)) and not isinstance(value, bool):
                row[column] = json.dumps(value)
    return rows


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("archive,kwargs,options", CASES)
def test_typed_columns_and_record_match_scan(archives: dict[str, Path], reader: str, archive: str,
                                             kwargs: dict[str, Any], options: list[str]) -> None:
    r = smsarchive.scan(str(archives[archive]), columns=TYPED + ["record"], **kwargs)
    got = READERS[reader](r)
    expected = as_typed(cli_rows(archives[archive], options, TYPED + ["record"]))
    assert len(got) == len(expected)
    assert canonical(got) == canonical(expected)


@pytest.mark.parametrize("reader", READERS)
def test_a_few_columns_in_the_order_asked(archives: dict[str, Path], reader: str) -> None:
    columns = ["MessageId", "time", "Country", "durationMs", "category"]
    r = smsarchive.scan(str(archives["testdata"]), columns=columns, result="Succeeded")
    assert [f.name for f in r.schema] == columns
    got = READERS[reader](r)
    assert canonical(got) == canonical(as_typed(cli_rows(archives["testdata"], ["--result", "Succeeded"], columns)))


def test_default_columns_are_the_parquet_exports_plus_category(archives: dict[str, Path], tmp_path: Path) -> None:
    """Same names and types as `export --format parquet`, and the same values, `extra` included."""
    import pyarrow.parquet as pq
    from conftest import cli

    archive = archives["testdata"]
    cli("export", str(archive), "--format", "parquet", "--output", str(tmp_path / "parquet"))
    exported = pa.concat_tables(pq.read_table(p, partitioning=None) for p in sorted((tmp_path / "parquet").rglob("*.parquet")))
    r = smsarchive.scan(str(archive))
    table = pa.RecordBatchReader.from_stream(r).read_all()
    assert table.schema.names == exported.schema.names + ["category"]
    for field in exported.schema:
        assert table.schema.field(field.name).type == field.type, field.name
    ours = table.drop_columns(["category"])

    def plain(t: pa.Table) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = t.set_column(0, "time", t.column("time").cast(pa.int64())).to_pylist()
        return rows

    assert canonical(plain(ours)) == canonical(plain(exported))
    assert ours.column("extra").null_count < ours.num_rows   # the sample has members outside the columns


def test_awkward_values_come_through(archives: dict[str, Path]) -> None:
    """Checked by hand against the records written in conftest.AWKWARD."""
    r = smsarchive.scan(str(archives["awkward"]), columns=["time", "PhoneNumber", "durationMs", "DeliveryAttempts",
                                                           "resultDescription", "NumberType", "extra", "category"])
    rows = sorted(via_pyarrow(r), key=lambda row: row["time"])
    assert [row["time"] for row in rows] == ["2026-10-05T10:00:00.1234567Z", "2026-10-05T10:00:00.1234568Z",
                                             "2026-10-05T10:00:01.0000001Z", "2026-10-05T10:00:02.9999999Z"]
    assert [row["category"] for row in rows] == [None, None, None, "Usage"]
    assert rows[0]["durationMs"] == 78 and rows[0]["NumberType"] == "TollFree"
    assert rows[1]["PhoneNumber"] == "15550000002"
    assert rows[1]["DeliveryAttempts"] == 1
    assert rows[1]["resultDescription"] == "Zustellung fehlgeschlagen — 送信失敗 🚫"
    extra = json.loads(rows[1]["extra"])
    assert extra["Note"] == "unknown field ✓" and extra["PhoneNumber"] == 15550000002
    assert rows[2]["extra"] is None and rows[2]["DeliveryAttempts"] == 2


def test_small_batches_give_the_same_rows(archives: dict[str, Path]) -> None:
    whole = pa.RecordBatchReader.from_stream(smsarchive.scan(str(archives["generated"]), columns=["time", "MessageId"])).read_all()
    reader = pa.RecordBatchReader.from_stream(smsarchive.scan(str(archives["generated"]), columns=["time", "MessageId"], batch_rows=1000))
    batches = list(reader)
    assert all(b.num_rows <= 1000 for b in batches) and len(batches) >= whole.num_rows // 1000
    assert pa.Table.from_batches(batches).equals(whole)


def test_duckdb_aggregates_over_the_scan(archives: dict[str, Path]) -> None:
    r = smsarchive.scan(str(archives["generated"]), result="Failed")
    relation = duckdb.sql("SELECT Country, count(*) FROM r GROUP BY Country")
    assert relation is not None
    got = dict(relation.fetchall())
    expected: dict[str, int] = {}
    for row in cli_rows(archives["generated"], ["--result", "Failed"], ["Country"]):
        expected[row["Country"]] = expected.get(row["Country"], 0) + 1
    assert got == expected


def test_identifier_lookups_match_scan(archives: dict[str, Path]) -> None:
    """MessageId, correlationId and RecordId lookups (blocks ruled out from their raw identifier chunks, see
    IdentifierProbe) find what `scan --message-id/--correlation-id/--where` finds, present or absent."""
    archive = archives["generated"]
    rows = cli_rows(archive, [], ["MessageId", "correlationId", "RecordId"])
    message_ids = sorted({str(row["MessageId"]) for row in rows if row.get("MessageId")})[::97][:8]
    correlation_ids = sorted({str(row["correlationId"]) for row in rows if row.get("correlationId")})[::101][:8]
    record_ids = sorted({str(row["RecordId"]) for row in rows if row.get("RecordId")})[::53][:4]
    assert len(message_ids) == len(correlation_ids) == 8 and len(record_ids) == 4
    absent = "Outgoing_20261001000000" + "0f8fad5b-d9cb-469f-a165-70867728950e" + "_noam"
    cases: list[tuple[dict[str, Any], list[str]]] = []
    for m in message_ids + [absent]:
        cases.append(({"message_id": m}, ["--message-id", m]))
    for c in correlation_ids + ["AAAAAAAAAAAAAAAAAAAAAA.0"]:
        cases.append(({"correlation_id": c}, ["--correlation-id", c]))
    cases.append(({"message_id": [message_ids[0], absent, message_ids[1]]},
                  ["--message-id", message_ids[0], "--message-id", absent, "--message-id", message_ids[1]]))
    fields = ["time", "MessageId", "correlationId", "RecordId", "operationName"]
    found = 0
    for kwargs, options in cases:
        got = via_pyarrow(smsarchive.scan(str(archive), columns=fields, **kwargs))
        expected = cli_rows(archive, options, fields)
        assert canonical(got) == canonical(expected), kwargs
        found += len(got)
    assert found >= 8 + 8 + 2
    for record_id in record_ids:
        got = via_pyarrow(smsarchive.scan(str(archive), columns=fields, where={"RecordId": record_id}))
        assert [row["RecordId"] for row in got] == [record_id]
