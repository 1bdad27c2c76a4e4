"""Bad inputs come back as Python exceptions with a precise message, never a crash: a path that is not an
archive, a damaged segment (named), an unknown column, start after end; and a consumer that stops halfway."""

from __future__ import annotations

import gc
import json
import shutil
import time
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pytest

import smsarchive


def read_all(r: smsarchive.Scan) -> pa.Table:
    return pa.RecordBatchReader.from_stream(r).read_all()


def test_a_path_that_is_not_an_archive(tmp_path: Path) -> None:
    with pytest.raises(smsarchive.SMSArchiveError, match="no such file or directory") as missing:
        smsarchive.scan(str(tmp_path / "nothing-here"))
    assert str(tmp_path / "nothing-here") in str(missing.value)
    (tmp_path / "folder").mkdir()
    with pytest.raises(smsarchive.SMSArchiveError, match="manifest.json"):
        smsarchive.scan(str(tmp_path / "folder"))
    with pytest.raises(smsarchive.SMSArchiveError):
        smsarchive.info(str(tmp_path / "folder"))
    with pytest.raises(smsarchive.SMSArchiveError):
        smsarchive.trace(str(tmp_path / "folder"), "m-1")


def segment_of(archive: Path) -> Path:
    manifest = json.loads((archive / "manifest.json").read_text())
    return archive / str(manifest["segments"][0]["file"])


def test_a_damaged_block_is_named_when_read(archives: dict[str, Path], tmp_path: Path) -> None:
    archive = tmp_path / "damaged.smsa"
    shutil.copytree(archives["generated"], archive)
    segment = segment_of(archive)
    data = bytearray(segment.read_bytes())
    middle = len(data) // 3
    data[middle:middle + 64] = bytes(b ^ 0x5A for b in data[middle:middle + 64])
    segment.write_bytes(bytes(data))
    r = smsarchive.scan(str(archive))   # the footers are intact: it opens
    with pytest.raises(OSError) as raised:
        read_all(r)
    assert str(segment) in str(raised.value) and "block" in str(raised.value)
    with pytest.raises(Exception) as in_duckdb:
        duckdb.execute("SELECT count(*) FROM r").fetchall()
    assert str(segment) in str(in_duckdb.value)
    with pytest.raises(Exception) as in_polars:
        pl.DataFrame(r)
    assert str(segment) in str(in_polars.value)


def test_a_truncated_segment_is_named_when_opened(archives: dict[str, Path], tmp_path: Path) -> None:
    archive = tmp_path / "truncated.smsa"
    shutil.copytree(archives["testdata"], archive)
    segment = segment_of(archive)
    segment.write_bytes(segment.read_bytes()[:100])
    with pytest.raises(smsarchive.SMSArchiveError) as raised:
        smsarchive.scan(str(archive))
    assert segment.name in str(raised.value)


def test_an_unknown_column(archives: dict[str, Path]) -> None:
    with pytest.raises(smsarchive.SMSArchiveError, match='no column named "Colour"'):
        smsarchive.scan(str(archives["testdata"]), where={"Colour": "red"})
    with pytest.raises(smsarchive.SMSArchiveError, match='no column named "Colour"'):
        smsarchive.scan(str(archives["testdata"]), columns=["time", "Colour"])
    with pytest.raises(smsarchive.SMSArchiveError, match="twice"):
        smsarchive.scan(str(archives["testdata"]), columns=["time", "TIME"])


def test_start_after_end_and_bad_times(archives: dict[str, Path]) -> None:
    with pytest.raises(smsarchive.SMSArchiveError, match="later than end"):
        smsarchive.scan(str(archives["testdata"]), start="2026-10-02", end="2026-10-01")
    with pytest.raises(smsarchive.SMSArchiveError, match="not a time"):
        smsarchive.scan(str(archives["testdata"]), start="yesterday-ish")
    with pytest.raises(TypeError):
        smsarchive.scan(str(archives["testdata"]), start=20261001)  # type: ignore[arg-type]
    with pytest.raises(smsarchive.SMSArchiveError, match="batch rows"):
        smsarchive.scan(str(archives["testdata"]), batch_rows=0)
    # start equal to end is an empty range, not an error.
    assert read_all(smsarchive.scan(str(archives["testdata"]), start="2026-10-01", end="2026-10-01")).num_rows == 0


def test_a_consumer_that_stops_halfway(archives: dict[str, Path]) -> None:
    """Reading one batch of many and dropping the rest returns at once, and repeating it does not grow memory."""
    r = smsarchive.scan(str(archives["generated"]), batch_rows=500, columns=["time", "MessageId", "Country"])

    def half() -> None:
        reader = pa.RecordBatchReader.from_stream(r)
        first = reader.read_next_batch()
        assert first.num_rows == 500
        reader.close()

    def rss_kb() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    for _ in range(20):
        half()
    gc.collect()
    before = rss_kb()
    started = time.monotonic()
    for _ in range(100):
        half()
    gc.collect()
    assert time.monotonic() - started < 30
    assert rss_kb() - before < 50_000, "100 streams dropped halfway grew memory by 50 MB or more"
    # A capsule that no consumer took is released when it is dropped.
    for _ in range(100):
        r.__arrow_c_stream__()
    gc.collect()
    assert rss_kb() - before < 50_000


def test_a_predicate_of_the_wrong_type_is_named(archives: dict[str, Path]) -> None:
    # `phone=5` said only "'int' object is not iterable".
    with pytest.raises(TypeError, match="phone must be a string or a list of strings, not int"):
        smsarchive.scan(str(archives["testdata"]), phone=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="country must be a string or a list of strings"):
        smsarchive.scan(str(archives["testdata"]), country=["US", 1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="start must be ISO 8601 text or a datetime, not int"):
        smsarchive.scan(str(archives["testdata"]), start=5)  # type: ignore[arg-type]
