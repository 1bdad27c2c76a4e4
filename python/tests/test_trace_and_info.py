"""trace() gives the records `smsarchive trace` prints, in its order; info() the object `info --json` prints."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow as pa

import smsarchive
from conftest import CLI, cli, cli_rows, lines


def a_message_with_a_usage_record(archive: Path) -> str:
    """A MessageId of a send whose correlationId a Usage record shares (found from the CLI's output)."""
    usage = {row["correlationId"] for row in cli_rows(archive, ["--category", "Usage"], ["correlationId"])}
    for row in cli_rows(archive, ["--operation", "SMSMessagesSent"], ["MessageId", "correlationId"]):
        if row["correlationId"] in usage and row["MessageId"]:
            return str(row["MessageId"])
    raise AssertionError("no send with a Usage record")


def test_trace_matches_the_cli(archives: dict[str, Path]) -> None:
    archive = archives["generated"]
    message = a_message_with_a_usage_record(archive)
    fields = ["time", "category", "operationName", "MessageId", "correlationId", "DeliveryAttempts"]
    expected = [json.loads(t) for t in lines(cli("trace", str(archive), message, "--format", "jsonl", "--fields", ",".join(fields)))]
    table = pa.RecordBatchReader.from_stream(smsarchive.trace(str(archive), message)).read_all()
    got = table.select(fields[1:]).to_pylist()
    times = table.column("time").cast(pa.int64()).to_pylist()
    assert [row["category"] for row in got].count("Usage") >= 1
    assert len(got) == len(expected) >= 2
    for row, ns, want in zip(got, times, expected):
        assert ns // 100 % 10_000_000 == int(want["time"][20:27])   # the fraction, to the 7th digit
        assert row == {k: v for k, v in want.items() if k != "time"}


def test_trace_of_an_unknown_message_is_empty(archives: dict[str, Path]) -> None:
    table = pa.RecordBatchReader.from_stream(smsarchive.trace(str(archives["testdata"]), ["no-such-id"])).read_all()
    assert table.num_rows == 0
    assert table.schema == smsarchive.scan(str(archives["testdata"])).schema


def test_info_is_what_info_json_prints(archives: dict[str, Path]) -> None:
    for archive in archives.values():
        expected = json.loads(subprocess.run([str(CLI), "info", str(archive), "--json"], check=True, capture_output=True).stdout)
        assert smsarchive.info(str(archive)) == expected
    assert smsarchive.info(str(archives["awkward"]))["records"] == 4
