import SMSFormat
import SMSIngest
import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Entry points for the libFuzzer targets in `Sources/Fuzz*` (see `make fuzz`).
///
/// Each takes arbitrary bytes and must neither crash nor hang. Where the code under test
/// promises an invariant, `jsonLine` and `gzip` return the violation (nil: all held), which the
/// fuzz targets turn into a finding and the tests into a failure; `segment` checks what it reads
/// and stops the process when it cannot set up. Not for other uses.
@_spi(Fuzzing) public enum FuzzEntryPoints {
    /// The JSON parser and the blob's line parser.
    ///
    /// - A document that parses is written back compactly, and that text parses
    ///   to the same value and writes back to the same bytes.
    /// - The bytes read as a blob give the same records and rejects however
    ///   they are cut into chunks (the reader meets lines split across chunks).
    /// - A line `LineShredder` takes apart is one the general way takes apart the
    ///   same (layout, values, residual, time, category, resource), for the input
    ///   as one line and for each of its lines read by one shredder in turn.
    public static func jsonLine(_ data: UnsafeRawBufferPointer) -> String? {
        var shredder = LineShredder()
        if let problem = shredderDisagrees(&shredder, data) { return problem }
        // The input's lines through one shredder, as a blob's are: its key cache and its builder's
        // buffers are warm from the lines before (`LineShredder` keeps both from line to line).
        var warm = LineShredder()
        var start = 0
        for end in data.indices where data[end] == UInt8(ascii: "\n") || end == data.count - 1 {
            let line = UnsafeRawBufferPointer(rebasing: data[start..<(data[end] == UInt8(ascii: "\n") ? end : end + 1)])
            if let problem = shredderDisagrees(&warm, line) { return problem + " (a warm shredder)" }
            start = end + 1
        }
        if let value = try? JSONParser.parseDocument(data) {
            let written = JSONWriter.bytes(of: value)
            guard let again = try? JSONParser.parseDocument(written, maxDepth: JSONParser.storedMaxDepth) else {
                return "the parser's own output does not parse: \(String(decoding: written, as: UTF8.self))"
            }
            guard again == value else { return "written and parsed again, the value changed" }
            guard JSONWriter.bytes(of: again) == written else { return "writing is not stable" }
        }
        let bytes = Array(data)
        let whole = blobEvents(bytes, chunkSizes: [bytes.count])
        let cut = bytes.isEmpty ? 1 : Int(bytes[0]) % 13 + 1
        let pieces = blobEvents(bytes, chunkSizes: [cut, 1, 7, cut * 3])
        guard whole.records == pieces.records, whole.rejects == pieces.rejects else {
            return "the blob parser's result depends on how the bytes are cut into chunks"
        }
        for reject in whole.rejects where reject.line < 1 {
            return "a reject with line \(reject.line)"
        }
        return nil
    }

    /// Nil when `shredder` declines `line` or takes it apart as the general way does; else what differs.
    private static func shredderDisagrees(_ shredder: inout LineShredder, _ line: UnsafeRawBufferPointer) -> String? {
        let path = BlobPath(parsing: "insights-logs-usage/resourceId=/SUBSCRIPTIONS/S/y=2026/m=10/d=01/h=00/m=00/PT1H.json")
        guard let fast = shredder.shred(line, path: path) else { return nil }
        guard let value = try? JSONParser.parseDocument(line), case .success(let record) = RecordBuilder.build(value, categoryFallback: path.category, resourceFallback: path.resourceId) else {
            return "the fast path took a line that is not a record"
        }
        let general = RecordShredder.shred(record)
        guard fast.layoutKey == general.layoutKey, fast.text == general.text, fast.residual == general.residual,
              fast.time == general.time, fast.category == general.category, fast.resourceId == general.resourceId,
              fast.values.map(\.column) == general.values.map(\.column), fast.values.map(\.value) == general.values.map(\.value) else {
            return "the fast path and the general way take the line apart differently"
        }
        return nil
    }

    /// The gzip reader: decoding gives the same bytes and the same verdict
    /// (whole or damaged) however the compressed bytes arrive in chunks.
    public static func gzip(_ data: UnsafeRawBufferPointer) -> String? {
        let bytes = Array(data)
        let whole = gunzip(bytes, chunkSizes: [max(bytes.count, 1)])
        let step = bytes.isEmpty ? 1 : Int(bytes[bytes.count - 1]) % 17 + 1
        // In pieces and through zlib alone: the one-call path (libdeflate) must not change a byte or a verdict.
        let pieces = gunzip(bytes, chunkSizes: [step, 1, 2, step * 5], inflatesWhole: false)
        guard whole.output == pieces.output else {
            return "gzip output depends on chunking: \(whole.output.count) vs \(pieces.output.count) bytes"
        }
        guard whole.damaged == pieces.damaged else {
            return "gzip damage verdict depends on chunking: \(whole.damaged) vs \(pieces.damaged)"
        }
        // What was decoded then goes through the line parser, as `convert` does.
        var parser = BlobParser(source: "fuzz", path: BlobPath(parsing: "PT1H.json"))
        try? parser.consume(whole.output) { _ in }
        try? parser.finish(damage: whole.damaged ? "damaged" : nil) { _ in }
        return nil
    }

    /// The segment reader: `data` is written to `scratchPath` and read as a segment
    /// file (every block decoded, every row rebuilt as JSON, the rejects read),
    /// once checking checksums and once not, so mutations reach the decoders
    /// behind them. Errors are expected; crashes and hangs are findings.
    public static func segment(_ data: UnsafeRawBufferPointer, scratchPath: String) {
        let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { fatalError("cannot create \(scratchPath)") }
        var done = 0
        while done < data.count {
            let n = write(fd, data.baseAddress! + done, data.count - done)
            guard n > 0 else { fatalError("cannot write \(scratchPath)") }
            done += n
        }
        close(fd)
        for verify in [true, false] {
            guard let reader = try? SegmentReader(path: scratchPath, verifyChecksums: verify) else { continue }
            var bytes: [UInt8] = []
            for block in reader.blocks.indices {
                guard let batch = try? reader.readBatch(block) else { continue }
                for row in 0..<batch.count {
                    bytes.removeAll(keepingCapacity: true)
                    _ = try? batch.writeJSON(row: row, to: &bytes)
                }
                // What `stats` reads: identifiers as join keys, the combined chunk as tuples.
                var keys = IdentifierKeyTable()
                for column in [Column.messageId, .correlationId] {
                    if let (chunk, _) = batch.stringValues(column.position) { _ = keys.keys(chunk) }
                }
                _ = try? reader.readTuples(block)
                _ = try? reader.readBatch(block, columns: [])
                // One column alone, without times: the version-5 path that reads the row links inline.
                for column in [Column.country, .phoneNumber, .correlationId] {
                    _ = (try? reader.readBatch(block, columns: [column.position], times: false))?.stringColumn(column)
                }
            }
            _ = try? reader.readRejects()
        }
    }

    /// Runs `body` on each file named in `arguments` (folders: each file in them),
    /// as the fuzz targets do when built without the fuzzer: a corpus and its
    /// crash files replay as plain runs. Returns the number of files run.
    @discardableResult
    public static func replay(_ arguments: [String], _ body: (UnsafeRawBufferPointer) -> Void) throws -> Int {
        var files: [String] = []
        for argument in arguments {
            if FileIO.isDirectory(argument) {
                files += try FileIO.listDirectory(argument).map { argument + "/" + $0 }.filter { !FileIO.isDirectory($0) }
            } else {
                files.append(argument)
            }
        }
        for file in files {
            try FileIO.readAll(file).withUnsafeBytes(body)
        }
        return files.count
    }

    private static func blobEvents(_ bytes: [UInt8], chunkSizes: [Int]) -> (records: [Record], rejects: [Reject]) {
        var records: [Record] = []
        var rejects: [Reject] = []
        let emit: BlobParser.Emit = { event in
            switch event {
            case .record(let r): records.append(r)
            case .reject(let r): rejects.append(r)
            default: break
            }
        }
        var parser = BlobParser(source: "fuzz", path: BlobPath(parsing: "PT1H.json"))
        var start = 0, turn = 0
        while start < bytes.count {
            let end = min(bytes.count, start + max(1, chunkSizes[turn % chunkSizes.count]))
            try? parser.consume(Array(bytes[start..<end]), emit: emit)
            start = end
            turn += 1
        }
        try? parser.finish(damage: nil, emit: emit)
        return (records, rejects)
    }

    private struct MemorySource: ByteSource {
        let bytes: [UInt8]
        let chunkSizes: [Int]
        var offset = 0
        var turn = 0

        mutating func nextChunk() throws(IngestError) -> [UInt8]? {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + max(1, chunkSizes[turn % chunkSizes.count]))
            defer { offset = end; turn += 1 }
            return Array(bytes[offset..<end])
        }
    }

    private static func gunzip(_ bytes: [UInt8], chunkSizes: [Int], inflatesWhole: Bool = true) -> (output: [UInt8], damaged: Bool) {
        let decoder = GzipDecoder(base: MemorySource(bytes: bytes, chunkSizes: chunkSizes), path: "fuzz.gz",
                                  inflatesWhole: inflatesWhole)
        var output: [UInt8] = []
        do {
            while let chunk = try decoder.nextChunk() {
                output += chunk
                // A bomb: stop well before memory runs out (the real reader streams).
                if output.count > 64 << 20 { break }
            }
            return (output, false)
        } catch {
            return (output, true)
        }
    }
}
