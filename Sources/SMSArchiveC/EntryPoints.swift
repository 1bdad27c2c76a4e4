import CArrowInterface
import SMSArchive
import SMSRecords
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The C functions of include/smsarchive.h. Each catches every error and hands it back as a message:
// nothing here may throw across the C boundary or trap on bad input.

public typealias ErrorOut = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
public typealias CStrings = UnsafePointer<UnsafePointer<CChar>?>?

private func queryObject(_ pointer: OpaquePointer?) throws -> Query {
    guard let pointer else { throw SMSArchiveCError("query is NULL") }
    return Unmanaged<Query>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

/// Runs `body`: 0 when it returns, 1 and the message in `error` when it throws.
private func calling(_ error: ErrorOut, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return 0
    } catch let thrown {
        return fail(thrown, error)
    }
}

@_cdecl("smsarchive_query_new")
public func smsarchive_query_new() -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(Query()).toOpaque())
}

@_cdecl("smsarchive_query_free")
public func smsarchive_query_free(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<Query>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

@_cdecl("smsarchive_query_set_range")
public func smsarchive_query_set_range(_ pointer: OpaquePointer?, _ start: UnsafePointer<CChar>?, _ end: UnsafePointer<CChar>?,
                                       _ error: ErrorOut) -> Int32 {
    calling(error) {
        try queryObject(pointer).setRange(start: try start.map { try argument($0, "start") }, end: try end.map { try argument($0, "end") })
    }
}

@_cdecl("smsarchive_query_require")
public func smsarchive_query_require(_ pointer: OpaquePointer?, _ column: UnsafePointer<CChar>?, _ values: CStrings, _ count: Int,
                                     _ error: ErrorOut) -> Int32 {
    calling(error) {
        try queryObject(pointer).require(try argument(column, "column"), anyOf: try arguments(values, count, "values"))
    }
}

@_cdecl("smsarchive_query_set_columns")
public func smsarchive_query_set_columns(_ pointer: OpaquePointer?, _ names: CStrings, _ count: Int, _ error: ErrorOut) -> Int32 {
    calling(error) { try queryObject(pointer).setColumns(try arguments(names, count, "names")) }
}

@_cdecl("smsarchive_query_set_batch_rows")
public func smsarchive_query_set_batch_rows(_ pointer: OpaquePointer?, _ rows: Int64, _ error: ErrorOut) -> Int32 {
    calling(error) { try queryObject(pointer).setBatchRows(rows) }
}

@_cdecl("smsarchive_open")
public func smsarchive_open(_ archive: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?, _ error: ErrorOut) -> Int32 {
    calling(error) {
        guard let out else { throw SMSArchiveCError("out is NULL") }
        let handle = try ArchiveHandle(path: try argument(archive, "archive"))
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
    }
}

@_cdecl("smsarchive_close")
public func smsarchive_close(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<ArchiveHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

private func archiveObject(_ pointer: OpaquePointer?) throws -> ArchiveHandle {
    guard let pointer else { throw SMSArchiveCError("archive is NULL") }
    return Unmanaged<ArchiveHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

/// A stream of the records of `query` (nil: every record) in `archive`, which the stream keeps open.
private func scanStream(_ archive: ArchiveHandle, _ pointer: OpaquePointer?, into out: UnsafeMutablePointer<ArrowArrayStream>?) throws {
    guard let out else { throw SMSArchiveCError("out is NULL") }
    let query = try pointer.map { try queryObject($0) } ?? Query()
    let builder = BatchBuilder(columns: query.columns)
    let source = ScanSource(archive: archive, query: query.scanQuery(for: builder))
    StreamState(source: source, columns: query.columns, batchRows: query.batchRows).export(into: out)
}

@_cdecl("smsarchive_archive_scan")
public func smsarchive_archive_scan(_ archive: OpaquePointer?, _ pointer: OpaquePointer?,
                                    _ out: UnsafeMutablePointer<ArrowArrayStream>?, _ error: ErrorOut) -> Int32 {
    calling(error) { try scanStream(try archiveObject(archive), pointer, into: out) }
}

@_cdecl("smsarchive_scan")
public func smsarchive_scan(_ archive: UnsafePointer<CChar>?, _ pointer: OpaquePointer?,
                            _ out: UnsafeMutablePointer<ArrowArrayStream>?, _ error: ErrorOut) -> Int32 {
    calling(error) {
        guard out != nil else { throw SMSArchiveCError("out is NULL") }
        try scanStream(try ArchiveHandle(path: try argument(archive, "archive")), pointer, into: out)
    }
}

private func traceObject(_ pointer: OpaquePointer?) throws -> TraceResult {
    guard let pointer else { throw SMSArchiveCError("trace is NULL") }
    return Unmanaged<TraceResult>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

@_cdecl("smsarchive_archive_trace")
public func smsarchive_archive_trace(_ archive: OpaquePointer?, _ messageIds: CStrings, _ count: Int,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?, _ error: ErrorOut) -> Int32 {
    calling(error) {
        guard let out else { throw SMSArchiveCError("out is NULL") }
        let ids = try arguments(messageIds, count, "message_ids")
        let result = try TraceResult(try archiveObject(archive), messageIds: ids)
        out.pointee = OpaquePointer(Unmanaged.passRetained(result).toOpaque())
    }
}

@_cdecl("smsarchive_trace_missing_count")
public func smsarchive_trace_missing_count(_ pointer: OpaquePointer?) -> Int {
    (try? traceObject(pointer))?.missing.count ?? 0
}

@_cdecl("smsarchive_trace_missing")
public func smsarchive_trace_missing(_ pointer: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    guard let result = try? traceObject(pointer), result.missing.indices.contains(index) else { return nil }
    return result.missing[index].map { UnsafePointer($0) }
}

@_cdecl("smsarchive_trace_stream")
public func smsarchive_trace_stream(_ pointer: OpaquePointer?, _ out: UnsafeMutablePointer<ArrowArrayStream>?,
                                    _ error: ErrorOut) -> Int32 {
    calling(error) {
        guard let out else { throw SMSArchiveCError("out is NULL") }
        let result = try traceObject(pointer)
        StreamState(source: ListSource(result.rows), columns: OutputColumn.defaults, batchRows: 65_536).export(into: out)
    }
}

@_cdecl("smsarchive_trace_free")
public func smsarchive_trace_free(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<TraceResult>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

@_cdecl("smsarchive_trace")
public func smsarchive_trace(_ archive: UnsafePointer<CChar>?, _ messageIds: CStrings, _ count: Int,
                             _ out: UnsafeMutablePointer<ArrowArrayStream>?, _ error: ErrorOut) -> Int32 {
    calling(error) {
        guard let out else { throw SMSArchiveCError("out is NULL") }
        let ids = try arguments(messageIds, count, "message_ids")
        let result = try TraceResult(try ArchiveHandle(path: try argument(archive, "archive")), messageIds: ids)
        StreamState(source: ListSource(result.rows), columns: OutputColumn.defaults, batchRows: 65_536).export(into: out)
    }
}

@_cdecl("smsarchive_info")
public func smsarchive_info(_ archive: UnsafePointer<CChar>?, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                            _ error: ErrorOut) -> Int32 {
    calling(error) {
        guard let json else { throw SMSArchiveCError("json is NULL") }
        let stats = try ArchiveStatistics(try ArchiveReader(path: try argument(archive, "archive")),
                                          topCount: ArchiveStatistics.defaultTopCount)
        json.pointee = cString(String(decoding: JSONWriter.bytes(of: stats.json), as: UTF8.self))
    }
}

@_cdecl("smsarchive_free_string")
public func smsarchive_free_string(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}

@_cdecl("smsarchive_stream_alloc")
public func smsarchive_stream_alloc() -> UnsafeMutablePointer<ArrowArrayStream>? {
    calloc(1, MemoryLayout<ArrowArrayStream>.size)?.assumingMemoryBound(to: ArrowArrayStream.self)
}

@_cdecl("smsarchive_stream_free")
public func smsarchive_stream_free(_ stream: UnsafeMutablePointer<ArrowArrayStream>?) {
    guard let stream else { return }
    if let release = stream.pointee.release { release(stream) }
    free(stream)
}
