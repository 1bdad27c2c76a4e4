import CArrowInterface
import Foundation
import SMSSupport
import Testing
@testable import SMSArchive
@testable import SMSArchiveC

/// An archive opened once for many streams (`smsarchive_open`, `smsarchive_archive_scan`): DuckDB asks for a
/// stream several times per query, and opening the archive each time was a point query's largest cost.
/// A trace found once (`smsarchive_archive_trace`) and streamed again, with the MessageIds no record has.
@Suite struct ArrowHandleTests {
    /// Every row's time (ns) in `stream`, read to the end; the stream is then released.
    static func times(_ stream: UnsafeMutablePointer<ArrowArrayStream>) -> [Int64] {
        var times: [Int64] = []
        while true {
            var array = ArrowArray()
            guard stream.pointee.get_next(stream, &array) == 0, let release = array.release else { break }
            let time = array.children[0]!.pointee
            for row in 0..<Int(array.length) { times.append(time.buffers[1]!.load(fromByteOffset: row * 8, as: Int64.self)) }
            release(&array)
        }
        stream.pointee.release(stream)
        return times
    }

    /// The 25 records' times as the specification gives them (see `ArrowStreamTests.makeArchive`).
    static let allTimes: [Int64] = (0..<Int64(25)).map { i in (1_790_812_800 + i) * 1_000_000_000 + 123_456_000 + (i % 10) * 100 }

    @Test func streamsOfOneHandleReadNothingForTheirSchemaAndReadAtOnceOnTwoThreads() throws {
        let folder = TemporaryFolder()
        let archive = try ArrowStreamTests.makeArchive(folder)
        var handle: OpaquePointer?
        #expect(ArrowStreamTests.failure { smsarchive_open(archive, &handle, $0) } == nil)
        let opened = Unmanaged<ArchiveHandle>.fromOpaque(UnsafeRawPointer(handle!)).takeUnretainedValue()
        let streams = UnsafeMutablePointer<ArrowArrayStream>.allocate(capacity: 3)
        streams.initialize(repeating: ArrowArrayStream(), count: 3)
        defer { streams.deallocate() }
        ArrowStreamTests.withQuery { query in
            #expect(ArrowStreamTests.failure { smsarchive_query_set_batch_rows(query, 4, $0) } == nil)
            for i in 0..<3 { #expect(ArrowStreamTests.failure { smsarchive_archive_scan(handle, query, streams + i, $0) } == nil) }
        }
        var schema = ArrowSchema()
        #expect(streams[0].get_schema(streams, &schema) == 0)
        #expect(schema.n_children == 30)
        schema.release(&schema)
        #expect(opened.withReader { $0.blocksRead } == 0)
        smsarchive_close(handle)   // the streams keep the archive open
        let read = parallelMap(2) { Self.times(streams + $0) }
        #expect(read == [Self.allTimes, Self.allTimes])
        streams[2].release(streams + 2)   // never read
        #expect(ArrowStreamTests.failure { smsarchive_archive_scan(nil, nil, streams, $0) } == "archive is NULL")
        #expect(ArrowStreamTests.failure { smsarchive_open(folder.path + "/none", &handle, $0) }?.contains("no such file or directory") == true)
    }

    @Test func aStreamReleasedWithBlocksBeingDecodedAheadStopsCleanly() throws {
        let folder = TemporaryFolder()
        let archive = try ArrowStreamTests.makeArchive(folder)
        for _ in 0..<20 {
            var stream = ArrowArrayStream()
            ArrowStreamTests.withQuery { query in
                #expect(ArrowStreamTests.failure { smsarchive_query_set_batch_rows(query, 1, $0) } == nil)
                #expect(ArrowStreamTests.failure { smsarchive_scan(archive, query, &stream, $0) } == nil)
            }
            var array = ArrowArray()
            #expect(stream.get_next(&stream, &array) == 0)
            #expect(array.length == 1)
            stream.release(&stream)   // the next blocks are being decoded on other threads
            array.release(&array)
        }
    }

    @Test func aTraceListsTheMessageIdsNoRecordHasAndStreamsItsRecordsAgain() throws {
        let folder = TemporaryFolder()
        let archive = try TraceTests.archive(folder)
        var handle: OpaquePointer?
        #expect(ArrowStreamTests.failure { smsarchive_open(archive, &handle, $0) } == nil)
        defer { smsarchive_close(handle) }
        var trace: OpaquePointer?
        let ids = ["nope-1", TraceTests.sent, "nope-2", "nope-1"]
        let copies = ids.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        #expect(ArrowStreamTests.failure { smsarchive_archive_trace(handle, copies.map { UnsafePointer($0) }, ids.count, &trace, $0) } == nil)
        defer { smsarchive_trace_free(trace) }
        #expect(smsarchive_trace_missing_count(trace) == 2)
        #expect((0..<2).map { String(cString: smsarchive_trace_missing(trace, $0)!) } == ["nope-1", "nope-2"])
        #expect(smsarchive_trace_missing(trace, 2) == nil)
        // The send (23:59:58.1), its Usage record (23:59:58.15) and its delivery report (00:00:03), twice over.
        let expected: [Int64] = [1_790_899_198_100_000_000, 1_790_899_198_150_000_000, 1_790_899_203_000_000_000]
        for _ in 0..<2 {
            var stream = ArrowArrayStream()
            #expect(ArrowStreamTests.failure { smsarchive_trace_stream(trace, &stream, $0) } == nil)
            #expect(Self.times(&stream) == expected)
        }
        #expect(ArrowStreamTests.failure { smsarchive_trace_stream(nil, nil, $0) } == "out is NULL")
        var stream = ArrowArrayStream()
        #expect(ArrowStreamTests.failure { smsarchive_trace_stream(nil, &stream, $0) } == "trace is NULL")
    }
}
