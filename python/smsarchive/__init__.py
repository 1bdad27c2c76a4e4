"""Read smsarchive archives from Python as Arrow streams: pyarrow, polars and DuckDB read them directly.

>>> import smsarchive, pyarrow as pa
>>> r = smsarchive.scan("sms.smsa", start="2026-10-01", end="2026-10-02", result="Failed")
>>> table = pa.RecordBatchReader.from_stream(r).read_all()

``scan`` returns an object with ``__arrow_c_stream__`` (the Arrow PyCapsule interface) and ``schema``:
``pyarrow.RecordBatchReader.from_stream(r)``, ``polars.from_arrow(r)`` and ``duckdb.sql("SELECT ... FROM r")``
take it as it is. The archive is opened once, when ``scan`` is called (its manifest and segment footers
read and checked); every use of the object then streams the archive as it stood then, decoding blocks
as the consumer pulls batches, so memory stays bounded whatever the archive's size. The predicates are pushed into the scan: blocks that
cannot match (by time, category, or the Bloom filters of PhoneNumber and MessageId) are not read.

The columns are those of ``smsarchive export --format parquet``: ``time`` (``timestamp[ns, tz=UTC]``,
exact to the record's seventh fractional digit), one column per known field (strings, or int64 for
integer fields), ``extra`` (a JSON object of the members no typed column holds, else null), then
``category`` (null when unknown) and, only when asked for in ``columns``, ``record`` (the record's
exact JSON text, as ``smsarchive scan`` prints it).
"""

from __future__ import annotations

import ctypes as _ctypes
import json as _json
import weakref as _weakref
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Callable, Union

from . import _native
from ._native import SMSArchiveError

__all__ = ["scan", "trace", "info", "Scan", "Trace", "SMSArchiveError", "MessageNotFoundError", "COLUMNS"]

_Strings = Union[str, Sequence[str]]
_TimeBound = Union[str, datetime]

#: Every column a scan can give, in order; all but ``record`` are given when ``columns`` is None.
COLUMNS: tuple[str, ...] = (
    "time", "resourceId", "operationName", "operationVersion", "resultType", "resultSignature",
    "resultDescription", "durationMs", "callerIpAddress", "correlationId", "level", "location", "URI",
    "OutgoingMessageLength", "IncomingMessageLength", "DeliveryAttempts", "PhoneNumber", "NumberType",
    "SdkType", "PlatformType", "Method", "MessageId", "Country", "RecordId", "UsageType", "UnitType",
    "Quantity", "Direction", "extra", "category", "record",
)


def __dir__() -> list[str]:
    """The public names only (not the modules and typing names the package imports)."""
    return sorted(__all__)


class MessageNotFoundError(LookupError):
    """Raised by :func:`trace` when no record has one of the MessageIds (``smsarchive trace`` exits 3 then).

    ``missing`` lists those MessageIds, in the order given; pass ``missing_ok=True`` to :func:`trace` to get
    the records of the others instead.
    """

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__("no record has MessageId " + ", ".join(missing))


def _time_text(value: _TimeBound | None, name: str) -> bytes | None:
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


def _string_list(value: _Strings, name: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    # `phone=5` said only "'int' object is not iterable", naming neither the argument nor what it takes.
    try:
        values = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a string or a list of strings, not {type(value).__name__}") from None
    if not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a string or a list of strings")
    return values


def _open(archive: str) -> int:
    """A handle on the archive (smsarchive_open), to close with smsarchive_close."""
    handle = _ctypes.c_void_p()
    error = _ctypes.c_void_p()
    _native.check(_native.lib.smsarchive_open(archive.encode("utf-8"), _ctypes.byref(handle), _ctypes.byref(error)), error)
    return int(handle.value or 0)


class _Stream:
    """What a scan and a trace share: a new Arrow C stream for each ``__arrow_c_stream__`` call."""

    def _fill(self, stream: int) -> None:
        raise NotImplementedError

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """A new Arrow C stream of the records, in a PyCapsule named ``arrow_array_stream``.

        ``requested_schema`` is ignored: the stream has the schema that :attr:`schema` gives.
        """
        return _native.stream_capsule(self._fill)

    @property
    def schema(self) -> Any:
        """The stream's schema, as a ``pyarrow.Schema`` (needs pyarrow). Reads no record."""
        import pyarrow

        return pyarrow.RecordBatchReader.from_stream(self).schema

    def to_reader(self) -> Any:
        """A ``pyarrow.RecordBatchReader`` over a new stream of the records."""
        import pyarrow

        return pyarrow.RecordBatchReader.from_stream(self)


class Scan(_Stream):
    """The records of a scan, as an Arrow stream: pass it to pyarrow, polars or DuckDB.

    The archive was opened when the object was made; every call of ``__arrow_c_stream__`` starts a new
    stream of it as it stood then, so the object can be read any number of times (DuckDB asks for a
    stream more than once per query: a stream's schema costs nothing, its records are read when pulled).
    Make it with :func:`scan`; make a new one to see records committed since.
    """

    def __init__(self, archive: str, predicates: list[tuple[str, list[str]]], start: bytes | None,
                 end: bytes | None, columns: list[str] | None, batch_rows: int) -> None:
        self._archive = archive
        self._query = self._make_query(predicates, start, end, columns, batch_rows)
        _weakref.finalize(self, _native.lib.smsarchive_query_free, self._query)
        self._handle = _open(archive)
        _weakref.finalize(self, _native.lib.smsarchive_close, self._handle)

    @staticmethod
    def _make_query(predicates: list[tuple[str, list[str]]], start: bytes | None, end: bytes | None,
                    columns: list[str] | None, batch_rows: int) -> int:
        query = _native.lib.smsarchive_query_new()
        try:
            error = _ctypes.c_void_p()
            if start is not None or end is not None:
                _native.check(_native.lib.smsarchive_query_set_range(query, start, end, _ctypes.byref(error)), error)
            for column, values in predicates:
                _native.check(_native.lib.smsarchive_query_require(
                    query, column.encode("utf-8"), _native.strings(values), len(values), _ctypes.byref(error)), error)
            if columns is not None:
                _native.check(_native.lib.smsarchive_query_set_columns(
                    query, _native.strings(columns), len(columns), _ctypes.byref(error)), error)
            _native.check(_native.lib.smsarchive_query_set_batch_rows(query, batch_rows, _ctypes.byref(error)), error)
        except BaseException:
            _native.lib.smsarchive_query_free(query)
            raise
        return int(query)

    def _fill(self, stream: int) -> None:
        error = _ctypes.c_void_p()
        _native.check(_native.lib.smsarchive_archive_scan(self._handle, self._query, stream, _ctypes.byref(error)), error)

    def __repr__(self) -> str:
        return f"smsarchive.Scan({self._archive!r})"


class Trace(_Stream):
    """The records of a trace (see :func:`trace`), found once and streamed as often as asked for.

    ``missing`` lists the MessageIds that no record has (empty unless ``missing_ok=True`` was given).
    """

    def __init__(self, archive: str, message_ids: list[str], missing_ok: bool) -> None:
        self._archive = archive
        handle = _open(archive)
        try:
            result = _ctypes.c_void_p()
            error = _ctypes.c_void_p()
            _native.check(_native.lib.smsarchive_archive_trace(handle, _native.strings(message_ids), len(message_ids),
                                                               _ctypes.byref(result), _ctypes.byref(error)), error)
        finally:
            _native.lib.smsarchive_close(handle)
        self._result = int(result.value or 0)
        free: Callable[[], Any] = _weakref.finalize(self, _native.lib.smsarchive_trace_free, self._result)
        count = _native.lib.smsarchive_trace_missing_count(self._result)
        self.missing: list[str] = [
            (_native.lib.smsarchive_trace_missing(self._result, i) or b"").decode("utf-8", errors="replace") for i in range(count)
        ]
        if self.missing and not missing_ok:
            free()   # the records found are of no use to anyone now
            raise MessageNotFoundError(self.missing)

    def _fill(self, stream: int) -> None:
        error = _ctypes.c_void_p()
        _native.check(_native.lib.smsarchive_trace_stream(self._result, stream, _ctypes.byref(error)), error)

    def __repr__(self) -> str:
        return f"smsarchive.Trace({self._archive!r})"


def scan(archive: str, *, start: _TimeBound | None = None, end: _TimeBound | None = None, phone: _Strings | None = None,
         country: _Strings | None = None, operation: _Strings | None = None, result: _Strings | None = None,
         message_id: _Strings | None = None, correlation_id: _Strings | None = None, category: _Strings | None = None,
         where: Mapping[str, _Strings] | None = None, columns: Sequence[str] | None = None,
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
            Only these are decoded: name the columns a query uses (DuckDB does not pass its projection
            through the Arrow stream interface, so ``SELECT Country ... FROM r`` alone decodes them all).
        batch_rows: The most rows per record batch.

    Returns:
        A :class:`Scan`, read by ``pyarrow.RecordBatchReader.from_stream``, ``polars.from_arrow`` or DuckDB.

    Raises:
        SMSArchiveError: when ``archive`` is not an archive or is damaged, a column name is unknown, a
            bound is not a time, or ``start`` is after ``end``.
    """
    predicates: list[tuple[str, list[str]]] = []
    for argument, column, value in (("phone", "PhoneNumber", phone), ("country", "Country", country),
                                    ("operation", "operationName", operation), ("result", "resultType", result),
                                    ("message_id", "MessageId", message_id),
                                    ("correlation_id", "correlationId", correlation_id),
                                    ("category", "category", category)):
        if value is not None:
            predicates.append((column, _string_list(value, argument)))
    for column, value in (where or {}).items():
        predicates.append((column, _string_list(value, f"where[{column!r}]")))
    column_list = None if columns is None else _string_list(columns, "columns")
    return Scan(str(archive), predicates, _time_text(start, "start"), _time_text(end, "end"), column_list, batch_rows)


def trace(archive: str, message_id: _Strings, *, missing_ok: bool = False) -> Trace:
    """The story of a message, as ``smsarchive trace`` tells it, as an Arrow stream with the default columns.

    Every record with the MessageId (the send or inbound message and its delivery reports) and every
    record sharing a correlationId with one of them (the send's Usage record), in time order. The records
    are found now, once; the returned object streams them as often as asked for.

    Args:
        archive: The archive folder.
        message_id: A MessageId, or a list of them (compared exactly).
        missing_ok: When true, a MessageId that no record has is left out (and listed in the result's
            ``missing``) instead of raising.

    Raises:
        MessageNotFoundError: (a ``LookupError``) when no record has one of the MessageIds and
            ``missing_ok`` is false, as ``smsarchive trace`` exits 3; its ``missing`` lists them.
        ValueError: when no MessageId is given, or one is empty.
        SMSArchiveError: when ``archive`` is not an archive or is damaged.
    """
    ids = _string_list(message_id, "message_id")
    if not ids:
        raise ValueError("name at least one MessageId to trace")
    if any(not i for i in ids):
        raise ValueError("a MessageId cannot be empty")
    return Trace(str(archive), ids, missing_ok)


def info(archive: str) -> dict[str, Any]:
    """What ``smsarchive info --json`` prints: records, duplicates, rejects, time span, segments, bytes,
    top senders and countries, bytes per column.

    Raises:
        SMSArchiveError: when ``archive`` is not an archive or is damaged.
    """
    text = _ctypes.c_void_p()
    error = _ctypes.c_void_p()
    _native.check(_native.lib.smsarchive_info(str(archive).encode("utf-8"), _ctypes.byref(text), _ctypes.byref(error)), error)
    result: dict[str, Any] = _json.loads(_native.take_string(text.value))
    return result
