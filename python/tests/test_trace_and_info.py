"""trace() gives the records `smsarchive trace` prints, in its order; info() the object `info --json` prints."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

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


def test_trace_of_an_unknown_message_raises_a_lookup_error(archives: dict[str, Path]) -> None:
    archive = str(archives["testdata"])
    # The CLI exits 3 for it, naming the MessageId; the package raises, naming it too.
    status = subprocess.run([str(CLI), "trace", archive, "no-such-id"], capture_output=True, text=True)
    assert status.returncode == 3 and "no-such-id" in status.stderr
    with pytest.raises(smsarchive.MessageNotFoundError, match="no-such-id") as raised:
        smsarchive.trace(archive, ["no-such-id", "no-such-id"])
    assert isinstance(raised.value, LookupError)
    assert not isinstance(raised.value, smsarchive.SMSArchiveError)
    assert raised.value.missing == ["no-such-id"]
    empty = smsarchive.trace(archive, "no-such-id", missing_ok=True)
    assert empty.missing == ["no-such-id"]
    table = pa.RecordBatchReader.from_stream(empty).read_all()
    assert table.num_rows == 0
    assert table.schema == smsarchive.scan(archive).schema


def test_trace_with_some_messages_missing(archives: dict[str, Path]) -> None:
    archive = archives["generated"]
    message = a_message_with_a_usage_record(archive)
    with pytest.raises(smsarchive.MessageNotFoundError) as raised:
        smsarchive.trace(str(archive), ["gone-1", message, "gone-2"])
    assert raised.value.missing == ["gone-1", "gone-2"]
    partial = smsarchive.trace(str(archive), ["gone-1", message, "gone-2"], missing_ok=True)
    whole = smsarchive.trace(str(archive), message)
    assert partial.missing == ["gone-1", "gone-2"] and whole.missing == []
    assert partial.to_reader().read_all().equals(whole.to_reader().read_all())


def test_a_trace_is_found_once_and_read_again(archives: dict[str, Path]) -> None:
    archive = archives["generated"]
    message = a_message_with_a_usage_record(archive)
    t = smsarchive.trace(str(archive), message)
    first = t.to_reader().read_all()
    rows = duckdb.execute("SELECT count(*) FROM t").fetchall()[0][0]
    assert rows == first.num_rows >= 2
    assert t.to_reader().read_all().equals(first)
    assert repr(t) == f"smsarchive.Trace({str(archive)!r})"


def test_trace_rejects_no_message_id_and_an_empty_one(archives: dict[str, Path]) -> None:
    for bad in ([], [""], ["x", ""]):
        with pytest.raises(ValueError):
            smsarchive.trace(str(archives["testdata"]), bad)


def test_info_is_what_info_json_prints(archives: dict[str, Path]) -> None:
    for archive in archives.values():
        expected = json.loads(subprocess.run([str(CLI), "info", str(archive), "--json"], check=True, capture_output=True).stdout)
        assert smsarchive.info(str(archive)) == expected
    assert smsarchive.info(str(archives["awkward"]))["records"] == 4
