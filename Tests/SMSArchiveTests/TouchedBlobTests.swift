import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

/// A blob whose time changed but whose size did not has nothing new to read; `info`
/// and `rejects --all` count resolved rejects alike.
@Suite struct TouchedBlobTests {
    static func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests.run(arguments) }

    /// Sets the blob's modification time to `seconds` after 2026-01-01 (a touch).
    static func touch(_ path: String, _ seconds: Int) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_767_225_600 + Double(seconds))],
                                              ofItemAtPath: path)
    }

    static func resolvedCounts(_ archive: String) throws -> (info: Int?, listed: Int, rejects: Int?) {
        let info = try foundationJSON(try Self.run(["info", archive, "--json"]).stdout) as! NSDictionary
        let all = try Self.run(["rejects", archive, "--all"]).stdoutLines.map { try foundationJSON($0) as! NSDictionary }
        return (info["resolvedRejects"] as? Int, all.filter { $0["resolved"] as? Bool == true }.count, info["rejects"] as? Int)
    }

    /// A gzip blob rewritten with 3 more records at the same compressed size (the first padded with a
    /// gzip comment) was taken as touched and skipped; its file size says little of what it inflates to.
    @Test func aGzipBlobRewrittenAtTheSameSizeIsReadOn() throws {
        let folder = TemporaryFolder()
        let lines = (1...8).map { storageLine(time: "2026-10-01T00:00:0\($0)Z") + "\n" }
        let grown = gzip(Array(lines.joined().utf8))
        var first = gzip(Array(lines.prefix(5).joined().utf8))
        let padding = grown.count - first.count - 1
        try #require(padding >= 0)
        first[3] |= 0x10   // FLG.FCOMMENT: a zero-terminated comment after the 10-byte header
        first.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "x"), count: padding) + [0], at: 10)
        #expect(first.count == grown.count)
        let blob = folder.write("PT1H.json.gz", first)
        let archive = folder.path + "/a.smsa"
        #expect(try Self.run(["convert", blob, "-o", archive]).status == 0)
        folder.write("PT1H.json.gz", grown)
        try Self.touch(blob, 60)
        let again = try Self.run(["convert", blob, "-o", archive])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("added 3 records"), "\(again.stderr)")
        #expect(String(decoding: try Self.run(["scan", archive, "--count"]).stdout, as: UTF8.self) == "8\n")
        // Touched again with nothing new: unchanged.
        try Self.touch(blob, 120)
        let third = try Self.run(["convert", blob, "-o", archive])
        #expect(third.status == 0)
        #expect(third.stderr.contains("0 grown, 1 unchanged"), "\(third.stderr)")
    }

    @Test func aTouchedBlobWithACutLineIsNotReadAgain() throws {
        let folder = TemporaryFolder()
        let last = storageLine(time: "2026-10-01T00:00:03Z")
        let blob = folder.write("PT1H.json", storageLine(time: "2026-10-01T00:00:01Z") + "\n" + String(last.prefix(40)))
        let archive = folder.path + "/a.smsa"
        let first = try Self.run(["convert", blob, "-o", archive])
        #expect(first.status == 2)   // the cut line
        #expect(first.stderr.contains("truncated"))
        for run in 1...3 {
            try Self.touch(blob, run)
            let again = try Self.run(["convert", blob, "-o", archive])
            #expect(again.status == 0, "run \(run): \(again.stderr)")
            #expect(again.stderr.contains("0 grown, 1 unchanged, 0 changed"), "run \(run): \(again.stderr)")
            #expect(!again.stderr.contains("truncated"), "run \(run)")
        }
        #expect(try Self.run(["rejects", archive]).stdoutLines.count == 1)   // rejected once, not once per run

        // The line completed: taken, its reject resolved, counted alike by info and rejects --all.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: blob))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((last.dropFirst(40) + "\n").utf8))
        try handle.close()
        let grown = try Self.run(["convert", blob, "-o", archive])
        #expect(grown.status == 0, "\(grown.stderr)")
        #expect(grown.stderr.contains("added 1 records") && grown.stderr.contains("1 grown"), "\(grown.stderr)")
        let counts = try Self.resolvedCounts(archive)
        #expect(counts.info == 1 && counts.listed == 1 && counts.rejects == 1)
        #expect(try Self.run(["rejects", archive]).stdout.isEmpty)
        #expect(try Self.run(["scan", archive, "--count"]).stdout == Data("2\n".utf8))
    }

    @Test func aTouchedBlobRewrittenAtTheSameSizeIsStillReportedChanged() throws {
        let folder = TemporaryFolder()
        let text = storageLine(time: "2026-10-01T00:00:01Z") + "\n"
        let blob = folder.write("PT1H.json", text)
        let archive = folder.path + "/a.smsa"
        #expect(try Self.run(["convert", blob, "-o", archive]).status == 0)
        folder.write("PT1H.json", text.replacingOccurrences(of: "+18334256463", with: "+18334256464"))
        try Self.touch(blob, 7)
        let changed = try Self.run(["convert", blob, "-o", archive])
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("changed since it was archived"), "\(changed.stderr)")
        #expect(try Self.run(["scan", archive, "--count"]).stdout == Data("1\n".utf8))
    }

    /// An archive written before this fix holds the same cut line rejected on several runs;
    /// `info` counted the resolved (blob, line) pairs, `rejects --all` the reject entries.
    @Test func resolvedRejectsAreCountedAsRejectsListsThem() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        let source = folder.path + "/PT1H.json"
        let cut = Reject(source: source, line: 2, reason: .truncated, detail: "cut", bytes: Array("{\"time\":".utf8))
        for run in 0..<3 {
            let writer = try ArchiveWriter(path: archive)
            if run == 0 { try writer.add(try ingest(text: storageLine() + "\n").records[0]) }
            try writer.add(cut)
            let state = SourceState(key: SourceState.key(for: source), path: source, size: 100 + run, modified: Int64(run),
                                    consumed: 10, lines: 1, hash: 0, pendingLine: 2)
            _ = try writer.commit(sources: [state])
        }
        let writer = try ArchiveWriter(path: archive)
        _ = try writer.commit(sources: [SourceState(key: SourceState.key(for: source), path: source, size: 200, modified: 9,
                                                    consumed: 20, lines: 2, hash: 0, resolved: [2])])
        let counts = try Self.resolvedCounts(archive)
        #expect(counts.listed == 3)
        #expect(counts.info == 3)
        #expect(counts.rejects == 3)
    }
}
