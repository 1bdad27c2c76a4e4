"""Read smsarchive archives from Python as Arrow streams: pyarrow, polars and DuckDB read them directly.

>>> import smsarchive, pyarrow as pa
>>> r = smsarchive.scan("sms.smsa", start="2026-10-01", end="2026-10-02", result="Failed")
>>> table = pa.RecordBatchReader.from_stream(r).read_all()

``scan`` returns an object with ``__arrow_c_stream__`` (the Arrow PyCapsule interface) and ``schema``:
``pyarrow.RecordBatchReader.from_stream(r)``, ``polars.from_arrow(r)`` and ``duckdb.sql("SELECT ... FROM r")``
take it as it is. Each use reads the archive again, decoding blocks as the consumer pulls batches, so
memory stays bounded whatever the archive's size. The predicates are pushed into the scan: blocks that
cannot match (by time, category, or the Bloom filters of PhoneNumber and MessageId) are not read.

The columns are those of ``smsarchive export --format parquet``: ``time`` (``timestamp[ns, tz=UTC]``,
exact to the record's seventh fractional digit), one column per known field (strings, or int64 for
integer fields), ``extra`` (a JSON object of the members no typed column holds, else null), then
``category`` (null when unknown) and, only when asked for in ``columns``, ``record`` (the record's
exact JSON text, as ``smsarchive scan`` prints it).
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Union

from . import _native
from ._native import SMSArchiveError

__all__ = ["scan", "trace", "info", "Scan", "SMSArchiveError", "COLUMNS"]

Strings = Union[str, Sequence[str]]
TimeBound = Union[str, datetime]

#: Every column a scan can give, in order; all but ``record`` are given when ``columns`` is None.
COLUMNS: tuple[str, ...] = (
    "time", "resourceId", "operationName", "operationVersion", "resultType", "resultSignature",
    "resultDescription", "durationMs", "callerIpAddress", "correlationId", "level", "location", "URI",
    "OutgoingMessageLength", "IncomingMessageLength", "DeliveryAttempts", "PhoneNumber", "NumberType",
    "SdkType", "PlatformType", "Method", "MessageId", "Country", "RecordId", "UsageType", "UnitType",
    "Quantity", "Direction", "extra", "category", "record",
)


def _time_text(value: TimeBound | None, name: str) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        # A naive datetime is taken as UTC, as the archive's times are.
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat().encode()
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"{name} must be ISO 8601 text or a datetime, not {type(value).__name__}")


def _string_list(value: Strings, name: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    values = list(value)
    if not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a string or a list of strings")
    return values


class Scan:
    """The records of a scan, as an Arrow stream: pass it to pyarrow, polars or DuckDB.

    Every call of ``__arrow_c_stream__`` opens the archive and starts a new stream, so the object can be
    read any number of times (DuckDB may read it more than once). Make it with :func:`scan`.
    """

    def __init__(self, archive: str, predicates: list[tuple[str, list[str]]], start: bytes | None,
                 end: bytes | None, columns: list[str] | None, batch_rows: int) -> None:
        self._archive = archive
        self._predicates = predicates
        self._start = start
        self._end = end
        self._columns = columns
        self._batch_rows = batch_rows
        # Check the arguments (and that the archive opens) now, not when a consumer first reads: the
        # capsule is dropped at once, and its destructor releases the stream.
        self._new_stream()

    def _query(self) -> int:
        query = _native.lib.smsarchive_query_new()
        try:
            error = ctypes.c_void_p()
            if self._start is not None or self._end is not None:
                _native.check(_native.lib.smsarchive_query_set_range(query, self._start, self._end, ctypes.byref(error)), error)
            for column, values in self._predicates:
                _native.check(_native.lib.smsarchive_query_require(
                    query, column.encode("utf-8"), _native.strings(values), len(values), ctypes.byref(error)), error)
            if self._columns is not None:
                _native.check(_native.lib.smsarchive_query_set_columns(
                    query, _native.strings(self._columns), len(self._columns), ctypes.byref(error)), error)
            _native.check(_native.lib.smsarchive_query_set_batch_rows(query, self._batch_rows, ctypes.byref(error)), error)
        except BaseException:
            _native.lib.smsarchive_query_free(query)
            raise
        return int(query)

    def _fill(self, stream: int) -> None:
        query = self._query()
        try:
            error = ctypes.c_void_p()
            _native.check(_native.lib.smsarchive_scan(self._archive.encode("utf-8"), query, stream, ctypes.byref(error)), error)
        finally:
            _native.lib.smsarchive_query_free(query)

    def _new_stream(self) -> object:
        return _native.stream_capsule(self._fill)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """A new Arrow C stream of the records, in a PyCapsule named ``arrow_array_stream``.

        ``requested_schema`` is ignored: the stream has the schema that :attr:`schema` gives.
        """
        return self._new_stream()

    @property
    def schema(self) -> Any:
        """The stream's schema, as a ``pyarrow.Schema`` (needs pyarrow)."""
        import pyarrow

        return pyarrow.RecordBatchReader.from_stream(self).schema

    def to_reader(self) -> Any:
        """A ``pyarrow.RecordBatchReader`` over a new stream of the records."""
        import pyarrow

        return pyarrow.RecordBatchReader.from_stream(self)

    def __repr__(self) -> str:
        return f"smsarchive.Scan({self._archive!r})"


class _Trace(Scan):
    def __init__(self, archive: str, message_ids: list[str]) -> None:
        self._message_ids = message_ids
        super().__init__(archive, [], None, None, None, 65536)

    def _fill(self, stream: int) -> None:
        error = ctypes.c_void_p()
        ids = _native.strings(self._message_ids)
        _native.check(_native.lib.smsarchive_trace(self._archive.encode("utf-8"), ids, len(self._message_ids), stream,
                                                   ctypes.byref(error)), error)


def scan(archive: str, *, start: TimeBound | None = None, end: TimeBound | None = None, phone: Strings | None = None,
         country: Strings | None = None, operation: Strings | None = None, result: Strings | None = None,
         message_id: Strings | None = None, correlation_id: Strings | None = None, category: Strings | None = None,
         where: Mapping[str, Strings] | None = None, columns: Sequence[str] | None = None,
         batch_rows: int = 65536) -> Scan:
    """The records of ``archive`` that match, as an Arrow stream (see the module's documentation).

    Args:
        archive: The archive folder (the one holding ``manifest.json``).
        start: Records at or after this time: ISO 8601 text (a date alone is its midnight UTC) or a
            ``datetime`` (a naive one is taken as UTC).
        end: Records before this time.
        phone, country, operation, result, message_id, correlation_id, category: Records whose
            PhoneNumber, Country, operationName, resultType, MessageId, correlationId or category is one
            of these (a string or a list of strings), compared as ``smsarchive scan`` compares them:
            identifiers exactly, other text ignoring ASCII letter case.
        where: More predicates of the same kind, by column name (``{"NumberType": "TollFree"}``).
        columns: The columns to give, in this order (see ``COLUMNS``); None gives all but ``record``.
        batch_rows: The most rows per record batch.

    Returns:
        A :class:`Scan`, read by ``pyarrow.RecordBatchReader.from_stream``, ``polars.from_arrow`` or DuckDB.

    Raises:
        SMSArchiveError: when ``archive`` is not an archive or is damaged, a column name is unknown, a
            bound is not a time, or ``start`` is after ``end``.
    """
    predicates: list[tuple[str, list[str]]] = []
    for column, value in (("PhoneNumber", phone), ("Country", country), ("operationName", operation),
                          ("resultType", result), ("MessageId", message_id), ("correlationId", correlation_id),
                          ("category", category)):
        if value is not None:
            predicates.append((column, _string_list(value, column)))
    for column, value in (where or {}).items():
        predicates.append((column, _string_list(value, column)))
    column_list = None if columns is None else _string_list(columns, "columns")
    return Scan(str(archive), predicates, _time_text(start, "start"), _time_text(end, "end"), column_list, batch_rows)


def trace(archive: str, message_id: Strings) -> Scan:
    """The story of a message, as ``smsarchive trace`` tells it, as an Arrow stream with the default columns.

    Every record with the MessageId (the send or inbound message and its delivery reports) and every
    record sharing a correlationId with one of them (the send's Usage record), in time order.

    Args:
        archive: The archive folder.
        message_id: A MessageId, or a list of them.

    Raises:
        SMSArchiveError: when ``archive`` is not an archive or is damaged.
    """
    return _Trace(str(archive), _string_list(message_id, "message_id"))


def info(archive: str) -> dict[str, Any]:
    """What ``smsarchive info --json`` prints: records, duplicates, rejects, time span, segments, bytes,
    top senders and countries, bytes per column.

    Raises:
        SMSArchiveError: when ``archive`` is not an archive or is damaged.
    """
    text = ctypes.c_void_p()
    error = ctypes.c_void_p()
    _native.check(_native.lib.smsarchive_info(str(archive).encode("utf-8"), ctypes.byref(text), ctypes.byref(error)), error)
    result: dict[str, Any] = json.loads(_native.take_string(text.value))
    return result
