import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSRecords

/// `scan` writes whole records on every core (`ParallelJSONLines`): the lines come out in the
/// order of the scan, each exactly once, and a row that cannot be written stops the output
/// right before it, as writing one row at a time did.
@Suite struct ParallelJSONLinesTests {
    /// The time text of second `s` of 2026-10-01, written by hand (not by TimeFormat).
    static func time(_ s: Int) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "2026-10-01T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
    }

    /// A batch of `count` rows (a time and one residual member `"n":i` each); row `damaged`, if
    /// any, has a residual of two members where its layout places one.
    static func batch(count: Int, damaged: Int? = nil) throws -> RecordBatch {
        let base = try #require(Timestamp(iso8601: time(0))).ticks
        let format = try #require(TimeFormat.exact(of: time(0), ticks: base))
        let layout = RecordLayout(tokens: [.time(key: "time", format: format), .residual])
        let residuals = (0..<count).map { $0 == damaged ? #"[["n",\#($0)],["m",0]]"# : #"[["n",\#($0)]]"# }
        return RecordBatch(times: (0..<count).map { base + Int64($0) * Timestamp.ticksPerSecond },
                           layoutIDs: [Int64](repeating: 0, count: count), layouts: [RenderedLayout(layout)],
                           strings: [:], integers: [:], residuals: StringChunk(each: residuals))
    }

    static func expectedLines(_ rows: Range<Int>) -> [String] {
        rows.map { #"{"time":"\#(time($0))","n":\#($0)}"# }
    }

    /// Whether `lines` are `expected`, with the first difference recorded (not both whole lists).
    static func check(_ lines: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(lines.count == expected.count, sourceLocation: sourceLocation)
        if let i = zip(lines, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("line \(i): \(lines[i]) where \(expected[i]) was expected", sourceLocation: sourceLocation)
        }
    }

    static func write(_ batches: [RecordBatch]) -> (lines: [String], error: (any Error)?) {
        var text: [UInt8] = []
        var lines = ParallelJSONLines { text.append(contentsOf: $0) }
        do {
            for batch in batches {
                for row in 0..<batch.count { try lines.add(batch, row: row) }
            }
            try lines.finish()
        } catch {
            return (text.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }, error)
        }
        return (text.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }, nil)
    }

    @Test func severalWindowsOfRowsComeOutInOrder() throws {
        let rows = ParallelJSONLines.windowRows * 2 + 1_000
        let (lines, error) = Self.write([try Self.batch(count: rows)])
        #expect(error == nil)
        Self.check(lines, Self.expectedLines(0..<rows))
    }

    @Test func rowsOfSeveralBatchesComeOutInOrder() throws {
        let first = try Self.batch(count: 30_000), second = try Self.batch(count: 5_000)
        let (lines, error) = Self.write([first, second])
        #expect(error == nil)
        Self.check(lines, Self.expectedLines(0..<30_000) + Self.expectedLines(0..<5_000))
    }

    /// The damaged row sits in the middle of the second window, inside a slice other than the first.
    @Test func aDamagedRowStopsTheOutputRightBeforeIt() throws {
        let damaged = ParallelJSONLines.windowRows + ParallelJSONLines.windowRows * 3 / 4
        let (lines, error) = Self.write([try Self.batch(count: ParallelJSONLines.windowRows * 3, damaged: damaged)])
        #expect(error is FormatError)
        Self.check(lines, Self.expectedLines(0..<damaged))
    }

    /// A sparse scan (a few rows in each of many blocks) keeps only a few blocks decoded, not every
    /// block the window's rows came from (a week of one phone number held 660 MB so).
    @Test func aWindowHoldsOnlyAFewBlocks() throws {
        final class Weak { weak var batch: RecordBatch?; init(_ b: RecordBatch) { batch = b } }
        var weak: [Weak] = []
        var text: [UInt8] = []
        var lines = ParallelJSONLines { text.append(contentsOf: $0) }
        var mostAlive = 0
        for _ in 0..<40 {
            let batch = try Self.batch(count: 3)
            weak.append(Weak(batch))
            for row in 0..<3 { try lines.add(batch, row: row) }
            mostAlive = max(mostAlive, weak.filter { $0.batch != nil }.count)
        }
        try lines.finish()
        #expect(mostAlive <= ParallelJSONLines.windowBatches + 1)
        let expected = (0..<40).flatMap { _ in Self.expectedLines(0..<3) }
        Self.check(text.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }, expected)
    }

    /// End to end: 40,000 records read from blobs out of time order come back from `scan`
    /// (and `scan --limit`) sorted by time, each line exactly as it was read.
    @Test func aLargeScanPrintsEveryRecordOnceInTimeOrder() throws {
        let folder = TemporaryFolder()
        var generator = SeededGenerator(seed: 29)
        let records = (0..<40_000).map { i in
            storageLine(time: Self.time(i), extra: #","n":\#(i),"id":"\#(UInt64.random(in: 0...UInt64.max, using: &generator))""#)
        }
        var inputs: [String] = []
        for (b, part) in records.shuffled(using: &generator).chunked(into: 7_000).enumerated() {
            inputs.append(folder.write("blob\(b)/PT1H.json", part.joined(separator: "\n") + "\n"))
        }
        let archive = try ArchiveRoundTripTests.convert(inputs, into: folder)
        let scan = try CommandLineTests.run(["scan", archive])
        #expect(scan.status == 0, "\(scan.stderr)")
        Self.check(scan.stdoutLines.map { String(decoding: $0, as: UTF8.self) }, records)
        let limited = try CommandLineTests.run(["scan", archive, "--limit", "20001"])
        Self.check(limited.stdoutLines.map { String(decoding: $0, as: UTF8.self) }, Array(records.prefix(20_001)))
    }
}

extension Array {
    /// The array cut into consecutive pieces of `size` elements (the last may be shorter).
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
