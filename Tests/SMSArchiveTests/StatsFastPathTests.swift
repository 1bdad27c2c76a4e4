import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSRecords
@testable import SMSSupport

/// The quick ways of `stats`, against Python's reading of the raw export: counts by the combined
/// chunk's tuples (blocks inside one day read without their times, blocks straddling midnight or cut
/// by the range with them), and the one-pass join on identifier keys (a report in another block than
/// its send, or met before it), on small blocks, a compacted archive and version-4 segments.
@Suite struct StatsFastPathTests {
    /// Python's rows reduced to the keys, records and failed (what the tuple count computes).
    static func counts(_ expected: [[Any]], keys: Int) -> [String] {
        expected.map { row in (row.prefix(keys) + row[keys..<keys + 2]).map { $0 is NSNull ? "null" : "\($0)" }.joined(separator: "|") }
    }

    static func counts(_ got: [[String: Any]], by: [String]) -> [String] {
        got.map { row in (by + ["records", "failed"]).map { row[$0].map { $0 is NSNull ? "null" : "\($0)" } ?? "absent" }.joined(separator: "|") }
    }

    /// The blocks of an archive: (first time, last time, rows).
    static func blocks(_ archive: String) throws -> [BlockSummary] {
        try ArchiveReader(path: archive).segments.flatMap(\.blocks)
    }

    @Test func tupleCountsInSmallBlocksMatchPython() throws {
        let fixture = try StatsFixture(blockRows: 300)
        let blocks = try Self.blocks(fixture.archive)
        let day = Timestamp.ticksPerDay
        #expect(blocks.filter { $0.minTime.ticks / day == $0.maxTime.ticks / day }.count >= 10, "blocks inside one day")
        let hour = 3600 * Timestamp.ticksPerSecond
        #expect(blocks.contains { $0.minTime.ticks / hour != $0.maxTime.ticks / hour })

        let whole = try fixture.stats(["--by", "day,operationName", "--metrics", "records,failed"])
        let python = try fixture.expected(by: ["day", "operationName"], from: nil, to: nil, windowSeconds: 0)
        #expect(Self.counts(whole, by: ["day", "operationName"]) == Self.counts(python, keys: 2))
        #expect(whole.count >= 8)

        // A range that cuts blocks, by hour and two combined columns (the category's spelling as scan gives it).
        let by = ["hour", "category", "resultType"]
        let cut = try fixture.stats(["--by", by.joined(separator: ","), "--from", "2026-10-01T10:30:00Z", "--to", "2026-10-02T03:00:00Z",
                                     "--metrics", "failed,records"])
        let cutPython = try fixture.expected(by: by, from: "2026-10-01T10:30:00Z", to: "2026-10-02T03:00:00Z", windowSeconds: 0)
        #expect(Self.counts(cut, by: by) == Self.counts(cutPython, keys: 3))
        #expect(cut.first?["hour"] as? String == "2026-10-01T10:00Z")

        // An integer column with missing values, and a key no combined chunk holds (read row by row): the same as Python.
        let mixed = try fixture.stats(["--by", "resultSignature,Country", "--metrics", "records,failed"])
        let mixedPython = try fixture.expected(by: ["resultSignature", "Country"], from: nil, to: nil, windowSeconds: 0)
        #expect(Self.counts(mixed, by: ["resultSignature", "Country"]) == Self.counts(mixedPython, keys: 2))
    }

    @Test func joinsAcrossSmallBlocksMatchPython() throws {
        let fixture = try StatsFixture(blockRows: 200)
        // Reports in another block than their send: the join must not rely on sharing one.
        var sendBlock: [String: Int] = [:]
        var reportsElsewhere = 0
        var blockNumber = 0
        for segment in try ArchiveReader(path: fixture.archive).segments {
            for block in segment.blocks.indices {
                let batch = try segment.readBatch(block)
                for row in 0..<batch.count {
                    guard let id = batch.string(.messageId, row: row) else { continue }
                    switch batch.string(.operationName, row: row) {
                    case "SMSMessagesSent": sendBlock[id] = blockNumber
                    case "SMSDeliveryReportsReceived": if let b = sendBlock[id], b != blockNumber { reportsElsewhere += 1 }
                    default: break
                    }
                }
                blockNumber += 1
            }
        }
        #expect(reportsElsewhere >= 10, "\(reportsElsewhere) reports in a later block than their send")

        let metrics = ["--metrics", StatsFixture.allMetrics.joined(separator: ",")]
        let got = try fixture.stats(["--by", "Country", "--from", "2026-10-01", "--to", "2026-10-02", "--operation", "SMSMessagesSent"] + metrics)
        let expected = try fixture.expected(by: ["Country"], from: "2026-10-01", to: "2026-10-02", windowSeconds: 86400,
                                            where: ["operationName": ["SMSMessagesSent"]])
        StatsFixture.compare(got, expected, by: ["Country"])
        #expect(got.contains { ($0["delivered"] as? Int ?? 0) > 50 })
    }

    /// The reports of the hand-made sends are archived first: the scan meets the next-day report before its send.
    @Test func aReportMetBeforeItsSendStillCounts() throws {
        let fixture = try StatsFixture(reportsFirst: true)
        #expect(try ArchiveReader(path: fixture.archive).manifest.segments.count >= 2)
        let got = try fixture.stats(["--by", "Country", "--country", "ZZ", "--operation", "SMSMessagesSent",
                                     "--metrics", "records,delivered,segments"])
        // By hand: 3 sends; only the 23:59:58.5 send has a successful report; 3 + 2 + 1 segments.
        #expect(got.count == 1)
        #expect(got.first?["records"] as? Int == 3)
        #expect(got.first?["delivered"] as? Int == 1)
        #expect(got.first?["segments"] as? Int == 6)
        let all = try fixture.stats(["--by", "day"] + ["--metrics", StatsFixture.allMetrics.joined(separator: ",")])
        StatsFixture.compare(all, try fixture.expected(by: ["day"], from: nil, to: nil, windowSeconds: 0), by: ["day"])
    }

    @Test func aCompactedArchiveGivesTheSameStats() throws {
        let fixture = try StatsFixture(blockRows: 500)
        let queries: [[String]] = [
            ["--by", "day,operationName", "--metrics", "records,failed"],
            ["--by", "Country", "--from", "2026-10-01", "--to", "2026-10-02", "--operation", "SMSMessagesSent",
             "--metrics", "delivered,segments"],
        ]
        let before = try queries.map { try fixture.stats($0) as NSArray }
        let compact = try CommandLineTests.run(["compact", fixture.archive])
        #expect(compact.status == 0, "\(compact.stderr)")
        let after = try queries.map { try fixture.stats($0) as NSArray }
        #expect(zip(before, after).allSatisfy { $0.isEqual(to: $1 as! [Any]) })
        #expect(before.allSatisfy { $0.count >= 8 })
        let python = try fixture.expected(by: ["day", "operationName"], from: nil, to: nil, windowSeconds: 0)
        #expect(Self.counts(try fixture.stats(queries[0]), by: ["day", "operationName"]) == Self.counts(python, keys: 2))
    }

    /// Every record of `archive` rewritten into one version-4 segment of `blockRows` rows a block: unlike
    /// the writer's segments (one per day), its blocks straddle midnight.
    static func mergeIntoOneVersion4Segment(_ archive: String, blockRows: Int) throws {
        let reader = try ArchiveReader(path: archive)
        var manifest = reader.manifest
        let builder = SegmentBuilder()
        for segment in try reader.segments {
            for block in segment.blocks.indices {
                let batch = try segment.readBatch(block)
                for row in 0..<batch.count { builder.add(try batch.record(row: row)) }
            }
        }
        var entry = manifest.segments[0]
        entry.records = manifest.segments.reduce(0) { $0 + $1.records }
        entry.rejects = 0
        entry.minTime = manifest.segments.compactMap(\.minTime).min()
        entry.maxTime = manifest.segments.compactMap(\.maxTime).max()
        entry.categories = Array(Set(manifest.segments.flatMap(\.categories))).sorted()
        for old in manifest.segments { FileIO.remove(archive + "/" + old.file) }
        let path = archive + "/" + entry.file
        try SegmentWriter.writeVersion4(builder, to: path, options: SegmentWriter.Options(blockRows: blockRows, compressionLevel: 3))
        entry.bytes = try FileReader(path).size
        manifest.segments = [entry]
        try FileIO.writeAtomically(manifest.encoded(), to: archive + "/" + Manifest.fileName)
    }

    @Test func versionFourBlocksStraddlingMidnightMatchPython() throws {
        let fixture = try StatsFixture()
        try Self.mergeIntoOneVersion4Segment(fixture.archive, blockRows: 400)
        #expect(try ArchiveReader(path: fixture.archive).segments.allSatisfy { $0.version == SegmentVersion.linkedColumns })
        let day = Timestamp.ticksPerDay
        #expect(try Self.blocks(fixture.archive).contains { $0.minTime.ticks / day != $0.maxTime.ticks / day }, "a block straddles midnight")
        let counts = try fixture.stats(["--by", "day,operationName", "--metrics", "records,failed"])
        let python = try fixture.expected(by: ["day", "operationName"], from: nil, to: nil, windowSeconds: 0)
        #expect(Self.counts(counts, by: ["day", "operationName"]) == Self.counts(python, keys: 2))
        let metrics = ["--metrics", StatsFixture.allMetrics.joined(separator: ",")]
        let got = try fixture.stats(["--by", "Country", "--from", "2026-10-01", "--to", "2026-10-02"] + metrics)
        StatsFixture.compare(got, try fixture.expected(by: ["Country"], from: "2026-10-01", to: "2026-10-02", windowSeconds: 86400), by: ["Country"])
    }

    /// Version-1 segments have no combined chunk: their blocks are counted row by row, next to version-2 blocks.
    @Test func versionOneSegmentsAreCountedRowByRow() throws {
        let folder = TemporaryFolder()
        let archive = try OldVersionTests.mixedArchive(folder)
        let run = try CommandLineTests.run(["stats", archive, "--by", "operationName", "--metrics", "records,failed", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        // By hand from OldVersionTests' rows: 2 sends (one Failed), 1 report, 6 records without an operation.
        #expect(String(decoding: run.stdout, as: UTF8.self)
                == "operationName,records,failed\r\n,6,0\r\nSMSDeliveryReportsReceived,1,0\r\nSMSMessagesSent,2,1\r\n")
    }

    /// A damaged combined chunk (its checksum no longer matches) fails both quick paths loudly, naming the block.
    @Test func aDamagedBlockIsAnErrorNamingIt() throws {
        let fixture = try StatsFixture(blockRows: 500)
        let reader = try ArchiveReader(path: fixture.archive)
        let segment = try reader.segment(0)
        let block = segment.blocks.count - 1
        let ref = try #require(segment.columnarBlocks[block].chunks.first { $0.column == FieldSchema.combined })
        let handle = try #require(FileHandle(forUpdatingAtPath: segment.path))
        try handle.seek(toOffset: UInt64(ref.chunk.offset + ref.chunk.storedLength / 2))
        let byte = try #require(try handle.read(upToCount: 1)).first!
        try handle.seek(toOffset: UInt64(ref.chunk.offset + ref.chunk.storedLength / 2))
        try handle.write(contentsOf: [byte ^ 0x40])
        try handle.close()
        for metrics in ["records,failed", "delivered,segments"] {
            let run = try CommandLineTests.run(["stats", fixture.archive, "--by", "operationName", "--metrics", metrics])
            #expect(run.status == 1, "\(metrics): \(run.stderr)")
            #expect(run.stderr.contains("block \(block)") && run.stderr.contains("checksum"), "\(metrics): \(run.stderr)")
        }
    }
}
