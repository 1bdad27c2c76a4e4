/*
 * libSMSArchiveC: read an smsarchive archive from C (or from anything that loads C libraries: Python's
 * ctypes, for one) as Arrow record batches, through the Arrow C stream interface.
 *
 * Build it with `swift build -c release --product SMSArchiveC` (.build/release/libSMSArchiveC.so, or
 * .dylib on macOS). The Python package in python/ wraps it; see README.md.
 *
 * Conventions:
 *   - Functions that can fail return 0 on success and 1 on failure; on failure, when `error` is not
 *     NULL, *error receives a message (UTF-8, NUL-terminated) to free with smsarchive_free_string.
 *     No input makes the library abort: a bad path, a damaged segment, an unknown column or a start
 *     after the end all come back as messages. Passing a NULL pointer where one is required is reported too.
 *   - Strings passed in are UTF-8 and NUL-terminated; the library copies what it keeps.
 *   - A stream filled in by smsarchive_scan or smsarchive_trace owns its archive reader; release it
 *     with its release callback (or smsarchive_stream_free) when done, even halfway through. A stream
 *     made from a handle (smsarchive_archive_scan, smsarchive_trace_stream) keeps that handle alive
 *     until it is released, so the handle may be closed or freed first.
 *     Each ArrowArray it hands out is released with its own release callback, which frees every buffer
 *     and child; it stays valid after the stream is released.
 *
 * Schema (the same columns and types as `smsarchive export --format parquet`, plus two):
 *   time       timestamp[ns, tz=UTC], never null: the archive's 100 ns ticks × 100, so the seventh
 *              fractional digit of the record's time is exact (the last two digits are 0)
 *   resourceId, operationName, ... Direction   one column per known field: utf8 for text fields,
 *              int64 for integer fields; null when the record has no such member
 *   extra      utf8: a JSON object of the record's members that no typed column holds as written
 *              (unknown fields, values of another JSON type than their column's), null when there is none
 *   category   utf8: the record's category (SMSOperational, Usage, ...), null when unknown
 *   record     utf8: the record's exact JSON text, as `smsarchive scan` prints it; only when asked for
 *   Column names are matched ignoring ASCII letter case. Batches hold up to the query's batch size of
 *   rows (65,536 by default); rows come block by block, segment by segment in the manifest's order,
 *   each block's rows in time order (a compacted archive comes in time order as a whole).
 */
#ifndef SMSARCHIVE_H
#define SMSARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "smsarchive_arrow.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What to read: time range, predicates, columns, batch size. Opaque; free with smsarchive_query_free. */
typedef struct smsarchive_query smsarchive_query;

/* A query for every record and the default columns (all but `record`). Never NULL. */
smsarchive_query* smsarchive_query_new(void);

/* Frees a query (NULL is ignored). Streams made from it do not depend on it. */
void smsarchive_query_free(smsarchive_query* query);

/* Records at or after `start` and before `end`: ISO 8601 text as `smsarchive scan --from/--to` takes it
 * (a date alone is its midnight UTC). Either may be NULL for no bound. Fails when a bound is not a time or
 * `start` is after `end`. */
int smsarchive_query_set_range(smsarchive_query* query, const char* start, const char* end, char** error);

/* Keeps the records whose `column` (a column name, e.g. "PhoneNumber", "Country", "operationName",
 * "resultType", "MessageId", "correlationId", "category") equals one of the `count` values, compared as
 * `smsarchive scan` compares them (identifiers exactly, other text ignoring ASCII case). Calls for
 * different columns must all match. Fails on a column name no column has. */
int smsarchive_query_require(smsarchive_query* query, const char* column, const char* const* values, size_t count,
                             char** error);

/* The columns of the batches, in this order (names as in the schema above, "record" included).
 * Fails on an unknown or repeated name, or when count is 0. */
int smsarchive_query_set_columns(smsarchive_query* query, const char* const* names, size_t count, char** error);

/* The most rows per batch, from 1 to 16,777,216 (default 65,536). */
int smsarchive_query_set_batch_rows(smsarchive_query* query, int64_t rows, char** error);

/* An archive opened once for many streams: its manifest read and every segment's footer checked, as
 * smsarchive_scan does each time. Consumers such as DuckDB ask for a new stream several times per query
 * (for the schema, then for the rows): open the archive once and make each stream from the handle.
 * Every stream sees the archive as it stood when opened (open a new handle to see later commits). */
typedef struct smsarchive_archive smsarchive_archive;

/* Opens the archive at `archive` into *out (close it with smsarchive_close). Fails when it is not an
 * archive or is damaged (the message names the file). */
int smsarchive_open(const char* archive, smsarchive_archive** out, char** error);

/* Closes a handle (NULL is ignored); streams made from it stay valid until released. */
void smsarchive_close(smsarchive_archive* archive);

/* Fills `out` with a stream of the records `query` selects (NULL: every record). Nothing is read until
 * the consumer first calls get_next (get_schema reads nothing); then blocks are read and decoded as the
 * consumer calls get_next, those that the query rules out skipped. Streams of one handle may be read at
 * the same time, from different threads. */
int smsarchive_archive_scan(smsarchive_archive* archive, const smsarchive_query* query, struct ArrowArrayStream* out,
                            char** error);

/* Opens the archive at `archive` and fills `out` with a stream of the records `query` selects
 * (NULL: every record): smsarchive_open and smsarchive_archive_scan in one. */
int smsarchive_scan(const char* archive, const smsarchive_query* query, struct ArrowArrayStream* out, char** error);

/* The records of a trace, found once and streamed as often as asked for. Free with smsarchive_trace_free. */
typedef struct smsarchive_trace_result smsarchive_trace_result;

/* The story of messages, as `smsarchive trace` tells it: every record with one of the `count` MessageIds
 * and every record sharing a correlationId with one of them, in time order. The records are found now
 * (the blocks that hold them stay decoded in *out until it is freed); a MessageId no record has is not an
 * error here: see smsarchive_trace_missing. */
int smsarchive_archive_trace(smsarchive_archive* archive, const char* const* message_ids, size_t count,
                             smsarchive_trace_result** out, char** error);

/* How many of the MessageIds asked for no record has (`smsarchive trace` exits 3 when there is one), and
 * the i-th of them (in the order asked, each once; NULL when i is out of range). The text is valid as long
 * as the trace. */
size_t smsarchive_trace_missing_count(const smsarchive_trace_result* trace);
const char* smsarchive_trace_missing(const smsarchive_trace_result* trace, size_t i);

/* Fills `out` with a stream of the trace's records, in time order, with the default columns. */
int smsarchive_trace_stream(smsarchive_trace_result* trace, struct ArrowArrayStream* out, char** error);

/* Frees a trace (NULL is ignored); streams made from it stay valid until released. */
void smsarchive_trace_free(smsarchive_trace_result* trace);

/* smsarchive_open, smsarchive_archive_trace and smsarchive_trace_stream in one; the MessageIds that no
 * record has are left out silently. */
int smsarchive_trace(const char* archive, const char* const* message_ids, size_t count, struct ArrowArrayStream* out,
                     char** error);

/* What `smsarchive info --json` prints, as a JSON object in *json (free with smsarchive_free_string). */
int smsarchive_info(const char* archive, char** json, char** error);

/* Frees a string that the library returned (NULL is ignored). */
void smsarchive_free_string(char* string);

/* A zeroed ArrowArrayStream on the heap (for callers that cannot allocate a C struct themselves, such as
 * a PyCapsule); NULL if out of memory. */
struct ArrowArrayStream* smsarchive_stream_alloc(void);

/* Releases the stream if it was not released (or moved) yet, then frees what smsarchive_stream_alloc gave. */
void smsarchive_stream_free(struct ArrowArrayStream* stream);

#ifdef __cplusplus
}
#endif

#endif  // SMSARCHIVE_H
