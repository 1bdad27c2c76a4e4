import Foundation
import Testing
@testable import SMSArchive

/// Exact duplicates (delivery retries) are archived as they came; `scan --distinct`
/// leaves repeats out and `info` counts them.
@Suite struct DuplicateTests {
    /// Lines of testdata/expected/records.jsonl that repeat an earlier line: the
    /// generator writes each record with `json.dumps`, so equal records give equal lines.
    static func expectedDuplicates() throws -> (records: Int, duplicates: Int) {
        let all = try lines(ofFile: repositoryRoot + "/testdata/expected/records.jsonl")
        return (all.count, all.count - Set(all).count)
    }

    @Test func testdataDuplicatesAreCountedAndKept() throws {
        let expected = try Self.expectedDuplicates()
        #expect(expected.duplicates == 3)  // one record written four times: see scripts/make_testdata.py
        let folder = TemporaryFolder()
        var options = ArchiveWriter.Options()
        options.blockRows = 16  // repeats land in different blocks and segments
        options.segmentRecords = 100
        let archive = try ArchiveRoundTripTests.convert([testdataExport], into: folder, options: options)
        let reader = try ArchiveReader(path: archive)
        #expect(try reader.duplicateCount() == expected.duplicates)
        // Comparing every record, not only those that share a time, finds the same.
        #expect(try reader.duplicateCount(sharedTimeLimit: 0) == expected.duplicates)
        #expect(try ArchiveRoundTripTests.scanAll(archive).count == expected.records)
    }

    @Test func theCommandLineDropsRepeatsOnlyWhenAsked() throws {
        let folder = TemporaryFolder()
        let line = storageLine(time: "2026-10-01T00:00:05.0000000Z")
        // The same record in two blobs, the second converted in a later run: two segments.
        let first = folder.write("a/PT1H.json", line + "\n" + storageLine(time: "2026-10-01T00:00:04Z") + "\n" + line + "\n")
        let second = folder.write("b/PT1H.json", line + "\n" + storageLine(time: "2026-10-01T00:00:05.0000000Z", extra: #","x":1"#) + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", first, "-o", archive, "--quiet"]).status == 0)
        #expect(try CommandLineTests.run(["convert", second, "-o", archive, "--quiet"]).status == 0)
        let all = try CommandLineTests.run(["scan", archive])
        #expect(all.stdoutLines.count == 5)
        let distinct = try CommandLineTests.run(["scan", archive, "--distinct"])
        #expect(distinct.stdoutLines.map { String(decoding: $0, as: UTF8.self) }.sorted()
                == [storageLine(time: "2026-10-01T00:00:04Z"), line, storageLine(time: "2026-10-01T00:00:05.0000000Z", extra: #","x":1"#)].sorted())
        #expect(String(decoding: try CommandLineTests.run(["scan", archive, "--distinct", "--count"]).stdout, as: UTF8.self) == "3\n")
        #expect(String(decoding: try CommandLineTests.run(["scan", archive, "--count"]).stdout, as: UTF8.self) == "5\n")
        let info = try CommandLineTests.run(["info", archive, "--json"])
        let object = try foundationJSON(info.stdout) as! NSDictionary
        #expect(object["duplicates"] as? Int == 2)
        #expect(object["records"] as? Int == 5)
    }

    @Test func theFilterForgetsEarlierTimes() {
        var filter = DuplicateFilter()
        let seen = [(1, "a"), (1, "a"), (1, "b"), (2, "a"), (2, "a"), (1, "a")].map { time, text in
            filter.isRepeat(time: Int64(time), json: Array(text.utf8))
        }
        #expect(seen == [false, true, false, false, true, false])
    }
}
