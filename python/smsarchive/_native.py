"""The ctypes binding of libSMSArchiveC (include/smsarchive.h): loading it and declaring its functions."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Callable

_LIBRARY_NAME = "libSMSArchiveC.dylib" if sys.platform == "darwin" else "libSMSArchiveC.so"


class SMSArchiveError(Exception):
    """An error reading an archive: its message names the file (and block) and says what was wrong."""


def _library_path() -> str:
    """The library: $SMSARCHIVE_LIBRARY when set (a development build), else the copy installed with the package."""
    override = os.environ.get("SMSARCHIVE_LIBRARY")
    if override:
        return override
    installed = Path(__file__).with_name(_LIBRARY_NAME)
    if installed.exists():
        return str(installed)
    raise SMSArchiveError(
        f"{installed} is missing: install the package with `pip install ./python` from the repository, "
        "or set SMSARCHIVE_LIBRARY to a built libSMSArchiveC"
    )


_c_char_pp = ctypes.POINTER(ctypes.c_char_p)
_error_out = ctypes.POINTER(ctypes.c_void_p)

lib = ctypes.CDLL(_library_path())

lib.smsarchive_query_new.restype = ctypes.c_void_p
lib.smsarchive_query_new.argtypes = []
lib.smsarchive_query_free.restype = None
lib.smsarchive_query_free.argtypes = [ctypes.c_void_p]
lib.smsarchive_query_set_range.restype = ctypes.c_int
lib.smsarchive_query_set_range.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, _error_out]
lib.smsarchive_query_require.restype = ctypes.c_int
lib.smsarchive_query_require.argtypes = [ctypes.c_void_p, ctypes.c_char_p, _c_char_pp, ctypes.c_size_t, _error_out]
lib.smsarchive_query_set_columns.restype = ctypes.c_int
lib.smsarchive_query_set_columns.argtypes = [ctypes.c_void_p, _c_char_pp, ctypes.c_size_t, _error_out]
lib.smsarchive_query_set_batch_rows.restype = ctypes.c_int
lib.smsarchive_query_set_batch_rows.argtypes = [ctypes.c_void_p, ctypes.c_int64, _error_out]
lib.smsarchive_scan.restype = ctypes.c_int
lib.smsarchive_scan.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, _error_out]
lib.smsarchive_open.restype = ctypes.c_int
lib.smsarchive_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), _error_out]
lib.smsarchive_close.restype = None
lib.smsarchive_close.argtypes = [ctypes.c_void_p]
lib.smsarchive_archive_scan.restype = ctypes.c_int
lib.smsarchive_archive_scan.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, _error_out]
lib.smsarchive_archive_trace.restype = ctypes.c_int
lib.smsarchive_archive_trace.argtypes = [ctypes.c_void_p, _c_char_pp, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p), _error_out]
lib.smsarchive_trace_missing_count.restype = ctypes.c_size_t
lib.smsarchive_trace_missing_count.argtypes = [ctypes.c_void_p]
lib.smsarchive_trace_missing.restype = ctypes.c_char_p
lib.smsarchive_trace_missing.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
lib.smsarchive_trace_stream.restype = ctypes.c_int
lib.smsarchive_trace_stream.argtypes = [ctypes.c_void_p, ctypes.c_void_p, _error_out]
lib.smsarchive_trace_free.restype = None
lib.smsarchive_trace_free.argtypes = [ctypes.c_void_p]
lib.smsarchive_trace.restype = ctypes.c_int
lib.smsarchive_trace.argtypes = [ctypes.c_char_p, _c_char_pp, ctypes.c_size_t, ctypes.c_void_p, _error_out]
lib.smsarchive_info.restype = ctypes.c_int
lib.smsarchive_info.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), _error_out]
lib.smsarchive_free_string.restype = None
lib.smsarchive_free_string.argtypes = [ctypes.c_void_p]
lib.smsarchive_stream_alloc.restype = ctypes.c_void_p
lib.smsarchive_stream_alloc.argtypes = []
lib.smsarchive_stream_free.restype = None
lib.smsarchive_stream_free.argtypes = [ctypes.c_void_p]


def take_string(pointer: int | None) -> str:
    """The text of a string the library returned, which is then freed."""
    if not pointer:
        return ""
    try:
        return ctypes.string_at(pointer).decode("utf-8", errors="replace")
    finally:
        lib.smsarchive_free_string(pointer)


def check(status: int, error: ctypes.c_void_p) -> None:
    """Raises SMSArchiveError with the library's message when a call failed."""
    if status != 0:
        raise SMSArchiveError(take_string(error.value) or "smsarchive: unknown error")


def strings(values: list[str]) -> ctypes.Array[ctypes.c_char_p]:
    """A C array of UTF-8 C strings."""
    array = (ctypes.c_char_p * max(len(values), 1))()
    for i, value in enumerate(values):
        array[i] = value.encode("utf-8")
    return array


# The PyCapsule that carries a stream: named "arrow_array_stream" (the Arrow PyCapsule interface); its
# destructor releases the stream unless a consumer moved it out, then frees the struct.
_CAPSULE_NAME = b"arrow_array_stream"
_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]

# The destructor takes the capsule as a bare pointer: making it a Python object again while it is
# being freed would bring it back to life.
_Destructor = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


def _release_capsule_stream(capsule: int) -> None:
    pointer = _capsule_pointer(capsule, _CAPSULE_NAME)
    if pointer:
        lib.smsarchive_stream_free(pointer)


# Kept for the life of the module: the capsules' destructor must outlive every capsule.
_release_capsule = _Destructor(_release_capsule_stream)


def stream_capsule(fill: Callable[[int], None]) -> object:
    """A capsule holding a new stream that `fill` (given the struct's address) fills in."""
    pointer = lib.smsarchive_stream_alloc()
    if not pointer:
        raise MemoryError("no memory for an ArrowArrayStream")
    try:
        fill(pointer)
    except BaseException:
        lib.smsarchive_stream_free(pointer)
        raise
    return _capsule_new(pointer, _CAPSULE_NAME, ctypes.cast(_release_capsule, ctypes.c_void_p))

