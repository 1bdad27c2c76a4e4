"""The C interface's whole life cycle, for a leak checker (scripts/check_arrow_leaks.sh runs it under valgrind):
full reads, a consumer that stops halfway, capsules never taken, every error path, trace and info.

    python3 python/tests/leak_workload.py ARCHIVE DAMAGED_ARCHIVE
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys

import pyarrow as pa

import smsarchive


def first_phone(archive: str) -> str | None:
    phones = pa.RecordBatchReader.from_stream(smsarchive.scan(archive, columns=["PhoneNumber"])).read_all().column(0)
    return next((p for p in phones.to_pylist() if p), None)


def main(archive: str, damaged: str) -> None:
    for columns in (None, ["time", "MessageId", "record", "extra", "Quantity"]):
        table = pa.RecordBatchReader.from_stream(smsarchive.scan(archive, columns=columns, batch_rows=100)).read_all()
        assert table.num_rows > 0
        _ = table.schema
        del table
    reader = pa.RecordBatchReader.from_stream(smsarchive.scan(archive, batch_rows=50))
    reader.read_next_batch()
    reader.close()
    del reader
    smsarchive.scan(archive, result="Failed").__arrow_c_stream__()   # a capsule that nobody takes
    for bad in (lambda: smsarchive.scan(archive + "-missing"), lambda: smsarchive.scan(archive, where={"Colour": "x"}),
                lambda: smsarchive.scan(archive, columns=["nope"]), lambda: smsarchive.scan(archive, start="2026-10-02", end="2026-10-01"),
                lambda: smsarchive.info(archive + "-missing")):
        try:
            bad()
        except smsarchive.SMSArchiveError:
            pass
        else:
            raise AssertionError("no error")
    try:
        pa.RecordBatchReader.from_stream(smsarchive.scan(damaged)).read_all()
    except (OSError, smsarchive.SMSArchiveError):   # damage in a block, or in the footer
        pass
    else:
        raise AssertionError("the damaged archive read without error")
    first = pa.RecordBatchReader.from_stream(smsarchive.scan(archive, columns=["MessageId"])).read_all().column(0)
    ids = [m for m in first.to_pylist() if m][:3]
    assert pa.RecordBatchReader.from_stream(smsarchive.trace(archive, ids)).read_all().num_rows >= len(ids)
    try:
        smsarchive.trace(archive, [ids[0], "no-such-id"])   # the records found are freed with the error
    except smsarchive.MessageNotFoundError:
        pass
    else:
        raise AssertionError("no error for a MessageId no record has")
    partial = smsarchive.trace(archive, [ids[0], "no-such-id"], missing_ok=True)
    assert partial.missing == ["no-such-id"] and partial.to_reader().read_all().num_rows >= 1
    del partial
    # One scan read several times (as DuckDB does), its identifier probe, a stream dropped with blocks decoding ahead.
    looked_up = smsarchive.scan(archive, message_id=ids[:2] + ["Outgoing_20261001000000" + "0f8fad5b-d9cb-469f-a165-70867728950e"])
    for _ in range(3):
        assert pa.RecordBatchReader.from_stream(looked_up).read_all().num_rows >= 2
    _ = looked_up.schema
    del looked_up
    early = pa.RecordBatchReader.from_stream(smsarchive.scan(archive, phone=phone, batch_rows=1)) if (phone := first_phone(archive)) else None
    if early is not None:
        early.read_next_batch()
        early.close()
        del early
    assert smsarchive.info(archive)["records"] > 0
    if os.environ.get("SMSARCHIVE_LEAK_ON_PURPOSE"):
        # The control: a stream filled in and never released.
        from smsarchive import _native
        stream = _native.lib.smsarchive_stream_alloc()
        error = ctypes.c_void_p()
        _native.check(_native.lib.smsarchive_scan(archive.encode(), None, stream, ctypes.byref(error)), error)
    gc.collect()
    print("leak workload done")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
