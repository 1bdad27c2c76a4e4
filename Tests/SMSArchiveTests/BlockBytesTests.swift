import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat

/// A block ends early once its rows hold 16 MiB of text, so that no chunk comes near the format's
/// 256 MiB limit, however long the records (up to convert's longest line, 200 MiB).
@Suite struct BlockBytesTests {
    @Test func largeRecordsAreCutIntoBlocksBySize() throws {
        let folder = TemporaryFolder()
        // 40 records of a little over 1 MiB each: 15 hold less than 16 MiB, 16 more.
        let value = String(repeating: "x", count: 1 << 20)
        let blob = folder.write("PT1H.json", (0..<40).map {
            storageLine(time: "2026-10-01T00:00:\(String(format2: $0)).0000000Z", extra: #","big":"\#(value)""#)
        }.joined(separator: "\n") + "\n")
        let archive = folder.path + "/a.smsa"
        let run = try CommandLineTests.run(["convert", blob, "-o", archive, "--max-line-bytes", "2097152", "--buffer-size", "256", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let reader = try ArchiveReader(path: archive)
        #expect(reader.manifest.segments.count == 1)
        let segment = try SegmentReader(path: archive + "/" + reader.manifest.segments[0].file)
        #expect(segment.blocks.map(\.rowCount) == [16, 16, 8])
        for block in segment.columnarBlocks {
            #expect(block.chunks.allSatisfy { $0.chunk.rawLength < 17 << 20 })
        }
        #expect(try CommandLineTests.run(["scan", archive, "--count"]).stdout == Data("40\n".utf8))
    }

    @Test func theLongestLineHasALimit() throws {
        let run = try CommandLineTests.run(["convert", "/nonexistent", "-o", "/tmp/x", "--max-line-bytes", String((200 << 20) + 1)])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--max-line-bytes must be 1 to 209715200"), "\(run.stderr)")
    }
}
