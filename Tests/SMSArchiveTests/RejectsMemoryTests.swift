import Foundation
import Testing
@testable import SMSArchive

/// Rejects are read one segment at a time: `rejects`, `info` and `compact` on an archive holding
/// 160 MiB of rejected lines (in segments of at most 16 MiB of rejects each) stay below that in
/// memory, and still hand every reject back.
@Suite(.serialized) struct RejectsMemoryTests {
    static let lineBytes = 1 << 20
    static let lineCount = 160

    /// An archive of one record and 160 rejected lines of 1 MiB each, converted in two runs, so that
    /// compaction has segments to merge.
    static func makeArchive(_ folder: TemporaryFolder) throws -> String {
        let archive = folder.path + "/a.smsa"
        let junk = String(repeating: "x", count: lineBytes - 1)
        for run in 0..<2 {
            let lines = [storageLine(time: "2026-10-01T0\(run):00:00.0000000Z")]
                + Array(repeating: junk, count: lineCount / 2)
            let blob = folder.write("run\(run)/PT1H.json", lines.joined(separator: "\n") + "\n")
            let convert = try CommandLineTests.run(["convert", blob, "-o", archive, "--quiet"])
            #expect(convert.status == 2, "\(convert.stderr)")
        }
        return archive
    }

    @Test func everyRejectComesBackWithoutHoldingThemAll() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        let reader = try ArchiveReader(path: archive)
        #expect(reader.manifest.segments.count > 4, "rejects are cut into segments of at most 16 MiB")
        var streamed = 0
        try reader.forEachReject { reject in
            #expect(reject.bytes.count == Self.lineBytes - 1)
            streamed += 1
        }
        #expect(streamed == Self.lineCount)

        let limitKiB = 140 << 10   // 160 MiB of rejects held at once exceed it (188 and 220 MiB before)
        let rejects = try ChildProcess.measured([CommandLineTests.executable, "rejects", archive, "--all"])
        #expect(rejects.status == 0, "\(rejects.stderr)")
        #expect(rejects.stdout.count { $0 == 0x0A } == Self.lineCount)
        #expect(rejects.maxRSSKiB < limitKiB, "rejects: \(rejects.maxRSSKiB) KiB")

        let info = try ChildProcess.measured([CommandLineTests.executable, "info", archive])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.maxRSSKiB < limitKiB, "info: \(info.maxRSSKiB) KiB")

        let compact = try ChildProcess.measured([CommandLineTests.executable, "compact", archive, "--quiet"])
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(compact.maxRSSKiB < limitKiB, "compact: \(compact.maxRSSKiB) KiB")
        var afterCompact = 0
        try ArchiveReader(path: archive).forEachReject { _ in afterCompact += 1 }
        #expect(afterCompact == Self.lineCount)
    }
}
