import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSSupport

/// Blocks that overlap in time, even in one segment (a footer listing a copy of a block, with its
/// checksum recomputed: the format does not forbid it), still scan in time order, and `--distinct`
/// drops every exact repeat wherever it is.
@Suite struct OverlappingBlocksTests {
    /// 30 records one second apart (seconds 0 to 29) in blocks of 10; the segment's footer then lists
    /// block 1 (seconds 10 to 19) a second time, after block 2.
    static func makeArchive(_ folder: TemporaryFolder) throws -> (archive: String, lines: [String]) {
        let lines = (0..<30).map { storageLine(time: "2026-10-01T00:00:\(String(format2: $0)).0000000Z", extra: #","n":\#($0)"#) }
        let blob = folder.write("PT1H.json", lines.joined(separator: "\n") + "\n")
        var options = ArchiveWriter.Options()
        options.blockRows = 10
        let archive = try ArchiveRoundTripTests.convert([blob], into: folder, options: options)
        let manifestPath = archive + "/" + Manifest.fileName
        var manifest = try Manifest.decode(try FileIO.readAll(manifestPath), path: manifestPath)
        let segment = archive + "/" + manifest.segments[0].file
        let bytes = try FileIO.readAll(segment)
        var trailer = ByteReader(Array(bytes.suffix(SegmentLayout.trailerSize)), context: "trailer")
        let footerStart = bytes.count - SegmentLayout.trailerSize - Int(try trailer.uint32())
        var footer = try ColumnarFooter.decode(Array(bytes[footerStart..<bytes.count - SegmentLayout.trailerSize]),
                                               fileSize: footerStart, version: UInt32(bytes[8]), context: segment)
        #expect(footer.blocks.map(\.rowCount) == [10, 10, 10])
        footer.blocks.append(footer.blocks[1])
        let encoded = footer.encoded(version: UInt32(bytes[8]))
        var w = ByteWriter()
        w.raw(Array(bytes[..<footerStart]) + encoded)
        w.uint32(UInt32(encoded.count))
        w.uint64(xxh64(encoded))
        w.raw(SegmentLayout.magic)
        try Data(w.bytes).write(to: URL(fileURLWithPath: segment))
        manifest.segments[0].bytes = w.bytes.count
        manifest.segments[0].records = 40
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: manifestPath))
        return (archive, lines)
    }

    /// The `n` member of each printed record, in order.
    static func numbers(_ output: Data) throws -> [Int] {
        try String(decoding: output, as: UTF8.self).split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["n"] as? Int)
        }
    }

    @Test func aCopiedBlockScansInTimeOrderAndDistinctDropsIt() throws {
        let folder = TemporaryFolder()
        let (archive, _) = try Self.makeArchive(folder)
        let all = try CommandLineTests.run(["scan", archive])
        #expect(all.status == 0, "\(all.stderr)")
        // Each record of block 1 twice, the copies together, in time order.
        let expected = Array(0..<10) + (10..<20).flatMap { [$0, $0] } + Array(20..<30)
        #expect(try Self.numbers(all.stdout) == expected)
        let distinct = try CommandLineTests.run(["scan", archive, "--distinct"])
        #expect(try Self.numbers(distinct.stdout) == Array(0..<30))
        #expect(try CommandLineTests.run(["scan", archive, "--distinct", "--count"]).stdout == Data("30\n".utf8))
        #expect(try CommandLineTests.run(["scan", archive, "--count"]).stdout == Data("40\n".utf8))
        // A predicate and a time range take the same path through the merge.
        let ranged = try CommandLineTests.run(["scan", archive, "--from", "2026-10-01T00:00:15Z", "--to", "2026-10-01T00:00:22Z", "--distinct"])
        #expect(try Self.numbers(ranged.stdout) == Array(15..<22))
        let jsonl = try CommandLineTests.run(["export", archive, "--format", "jsonl"])
        #expect(try Self.numbers(jsonl.stdout) == expected, "\(jsonl.stderr)")
    }

    /// Two segments of the same records (the same export converted from two places): merged by time,
    /// and `--distinct` keeps one of each.
    @Test func twoSegmentsOfTheSameRecordsMergeByTime() throws {
        let folder = TemporaryFolder()
        let lines = (0..<25).map { storageLine(time: "2026-10-01T00:00:\(String(format2: $0)).0000000Z", extra: #","n":\#($0)"#) }
        let first = folder.write("one/PT1H.json", lines.joined(separator: "\n") + "\n")
        let second = folder.write("two/PT1H.json", lines.reversed().joined(separator: "\n") + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", first, "-o", archive, "--quiet"]).status == 0)
        #expect(try CommandLineTests.run(["convert", second, "-o", archive, "--quiet"]).status == 0)
        #expect(try Self.numbers(try CommandLineTests.run(["scan", archive]).stdout) == (0..<25).flatMap { [$0, $0] })
        #expect(try Self.numbers(try CommandLineTests.run(["scan", archive, "--distinct"]).stdout) == Array(0..<25))
    }
}
