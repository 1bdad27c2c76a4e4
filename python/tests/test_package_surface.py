"""The package's surface: dir() shows its public names only; a scan opens the archive once, when made, and
every stream of it (DuckDB asks for several per query) reads the archive as it stood then."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

import smsarchive


def test_dir_shows_the_public_names_only() -> None:
    names = dir(smsarchive)
    assert names == sorted(smsarchive.__all__)
    assert {"scan", "trace", "info", "Scan", "Trace", "SMSArchiveError", "MessageNotFoundError", "COLUMNS"} == set(names)
    for name in names:
        assert getattr(smsarchive, name) is not None
    for module in ("ctypes", "json", "weakref", "annotations", "Any", "Union", "datetime", "_native"):
        assert module not in names


def test_the_archive_is_opened_once_per_scan(archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = smsarchive._open

    def counting_open(archive: str) -> Any:
        opened.append(archive)
        return real_open(archive)

    monkeypatch.setattr(smsarchive, "_open", counting_open)
    r = smsarchive.scan(str(archives["generated"]), columns=["Country"])
    requests: list[object] = []
    fill = r._fill

    def counting_fill(stream: int) -> None:
        requests.append(stream)
        fill(stream)

    monkeypatch.setattr(r, "_fill", counting_fill)
    rows = duckdb.execute("SELECT Country, count(*) AS n FROM r GROUP BY ALL").fetchall()
    assert sum(n for _, n in rows) == smsarchive.info(str(archives["generated"]))["records"]
    assert len(requests) >= 2   # DuckDB asks for a stream (for its schema, then its rows) more than once
    assert opened == [str(archives["generated"])]


def test_a_scan_reads_the_archive_as_it_stood_when_made(archives: dict[str, Path], tmp_path: Path) -> None:
    archive = tmp_path / "copy.smsa"
    shutil.copytree(archives["testdata"], archive)
    r = smsarchive.scan(str(archive), columns=["time", "MessageId"])
    before = pa.RecordBatchReader.from_stream(r).read_all()
    shutil.rmtree(archive)   # its segments stay open: the scan still reads them
    assert pa.RecordBatchReader.from_stream(r).read_all().equals(before)
    assert before.num_rows == smsarchive.info(str(archives["testdata"]))["records"]
    with pytest.raises(smsarchive.SMSArchiveError, match="no such file or directory"):
        smsarchive.scan(str(archive))
