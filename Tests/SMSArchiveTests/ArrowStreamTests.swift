import CArrowInterface
import Foundation
import Testing
@testable import SMSArchive
@testable import SMSArchiveC

/// The C interface's Arrow stream, read as a C consumer would: its schema, its batches' buffers, its
/// release callbacks, and its errors as messages (the Python tests in python/tests read it with pyarrow,
/// polars and DuckDB; these also run under the thread sanitizer, which the block decoding on all cores needs).
@Suite struct ArrowStreamTests {
    /// 25 records a second apart in blocks of 10; the 8th has `"durationMs":"78"` and a member no column holds.
    static func makeArchive(_ folder: TemporaryFolder) throws -> String {
        let text = (0..<25).map { i in
            storageLine(time: "2026-10-01T00:00:\(String(format2: i)).123456\(i % 10)Z", extra: i == 7 ? #","durationMs":"78","Note":"é""# : "")
        }.joined(separator: "\n") + "\n"
        var options = ArchiveWriter.Options()
        options.blockRows = 10
        return try ArchiveRoundTripTests.convert([folder.write("PT1H.json", text)], into: folder, options: options)
    }

    /// Calls `body` with a query; frees it after.
    static func withQuery<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        let query = smsarchive_query_new()
        defer { smsarchive_query_free(query) }
        return try body(query)
    }

    /// The message of a failed call, freed.
    static func failure(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard body(&error) != 0 else { return nil }
        defer { smsarchive_free_string(error) }
        return error.map { String(cString: $0) } ?? "(no message)"
    }

    @Test func theSchemaAndTheBatchesAreWhatTheSpecificationSays() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        var stream = ArrowArrayStream()
        Self.withQuery { query in
            let columns = ["time", "durationMs", "Country", "extra"]
            columns.map { strdup($0) }.withUnsafeBufferPointer { names in
                let pointers = names.map { UnsafePointer($0) }
                #expect(Self.failure { smsarchive_query_set_columns(query, pointers, pointers.count, $0) } == nil)
                names.forEach { free($0) }
            }
            #expect(Self.failure { smsarchive_query_set_batch_rows(query, 8, $0) } == nil)
            #expect(Self.failure { smsarchive_scan(archive, query, &stream, $0) } == nil)
        }
        defer { if let release = stream.release { release(&stream) } }

        var schema = ArrowSchema()
        #expect(stream.get_schema(&stream, &schema) == 0)
        #expect(String(cString: schema.format) == "+s")
        #expect(schema.n_children == 4)
        let fields = (0..<4).map { (String(cString: schema.children[$0]!.pointee.name), String(cString: schema.children[$0]!.pointee.format)) }
        #expect(fields.map(\.0) == ["time", "durationMs", "Country", "extra"])
        #expect(fields.map(\.1) == ["tsn:UTC", "l", "u", "u"])
        schema.release(&schema)
        #expect(schema.release == nil)

        var times: [Int64] = [], durations: [Int64?] = [], extras: [String?] = [], lengths: [Int64] = []
        while true {
            var array = ArrowArray()
            #expect(stream.get_next(&stream, &array) == 0)
            guard let release = array.release else { break }
            lengths.append(array.length)
            let time = array.children[0]!.pointee, duration = array.children[1]!.pointee, extra = array.children[3]!.pointee
            #expect(time.n_buffers == 2 && time.null_count == 0 && extra.n_buffers == 3)
            for row in 0..<Int(array.length) {
                times.append(time.buffers[1]!.load(fromByteOffset: row * 8, as: Int64.self))
                let valid = { (a: ArrowArray) in a.buffers[0].map { $0.load(fromByteOffset: row / 8, as: UInt8.self) & (1 << (row % 8)) != 0 } ?? true }
                durations.append(valid(duration) ? duration.buffers[1]!.load(fromByteOffset: row * 8, as: Int64.self) : nil)
                if valid(extra) {
                    let start = Int(extra.buffers[1]!.load(fromByteOffset: row * 4, as: Int32.self))
                    let end = Int(extra.buffers[1]!.load(fromByteOffset: row * 4 + 4, as: Int32.self))
                    extras.append(String(decoding: UnsafeRawBufferPointer(start: extra.buffers[2]! + start, count: end - start), as: UTF8.self))
                } else {
                    extras.append(nil)
                }
            }
            var moved = array
            release(&moved)
            #expect(moved.release == nil)
        }
        #expect(lengths == [8, 8, 8, 1])
        // 2026-10-01T00:00:00Z is 1790812800 s after 1970; the 7th fractional digit is i % 10.
        var expected: [Int64] = []
        for i in 0..<Int64(25) { expected.append((1_790_812_800 + i) * 1_000_000_000 + 123_456_000 + (i % 10) * 100) }
        #expect(times == expected)
        #expect(durations == (0..<25).map { (i: Int) -> Int64? in i == 7 ? 78 : nil })
        #expect(extras[7] == #"{"durationMs":"78","Note":"é"}"#)
        #expect(extras.enumerated().allSatisfy { $0.offset == 7 || $0.element == nil })
    }

    @Test func aConsumerThatStopsHalfwayReleasesTheStream() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        var stream = ArrowArrayStream()
        #expect(Self.failure { smsarchive_scan(archive, nil, &stream, $0) } == nil)
        var array = ArrowArray()
        #expect(stream.get_next(&stream, &array) == 0)
        #expect(array.length == 25)
        stream.release(&stream)   // before the batch: the batch stays valid
        #expect(stream.release == nil)
        #expect(array.children[0]!.pointee.buffers[1]!.load(as: Int64.self) == 1_790_812_800_123_456_000)
        array.release(&array)
    }

    @Test func badInputsComeBackAsMessages() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        var stream = ArrowArrayStream()
        #expect(Self.failure { smsarchive_scan(folder.path + "/none", nil, &stream, $0) }?.contains("no such file or directory") == true)
        #expect(Self.failure { smsarchive_scan(nil, nil, &stream, $0) } == "archive is NULL")
        #expect(Self.failure { smsarchive_scan(archive, nil, nil, $0) } == "out is NULL")
        #expect(stream.release == nil)
        Self.withQuery { query in
            #expect(Self.failure { smsarchive_query_require(query, "Colour", nil, 0, $0) }?.hasPrefix("no column named \"Colour\"") == true)
            #expect(Self.failure { smsarchive_query_require(query, "Country", nil, 2, $0) } == "values is NULL with a count of 2")
            #expect(Self.failure { smsarchive_query_set_range(query, "2026-10-02", "2026-10-01", $0) }?.contains("later than end") == true)
            #expect(Self.failure { smsarchive_query_set_range(query, "soon", nil, $0) }?.contains("is not a time") == true)
            #expect(Self.failure { smsarchive_query_set_batch_rows(query, 0, $0) }?.contains("from 1 to") == true)
            #expect(Self.failure { smsarchive_query_set_columns(query, nil, 0, $0) } == "no column asked for")
        }
        #expect(Self.failure { smsarchive_query_set_batch_rows(nil, 5, $0) } == "query is NULL")
        var json: UnsafeMutablePointer<CChar>?
        #expect(Self.failure { smsarchive_info(archive, &json, $0) } == nil)
        #expect(String(cString: json!).hasPrefix(#"{"records":25,"#))
        smsarchive_free_string(json)
    }
}
