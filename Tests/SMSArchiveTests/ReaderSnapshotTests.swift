import Foundation
import Testing
@testable import SMSArchive

/// A reader keeps to the archive as its manifest said when it opened, even while `compact` replaces
/// and deletes the segments it reads: it holds them open from the start.
@Suite struct ReaderSnapshotTests {
    @Test func aCompactionUnderAnOpenReaderChangesNothingItReads() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        var lines: [String] = []
        for run in 0..<4 {   // four runs, four small segments of one day
            let run = (0..<25).map { storageLine(time: "2026-10-01T0\(run):00:\(String(format2: $0)).0000000Z") }
            lines += run
            let blob = folder.write("in\(lines.count)/PT1H.json", run.joined(separator: "\n") + "\n")
            #expect(try CommandLineTests.run(["convert", blob, "-o", archive]).status == 0)
        }
        let reader = try ArchiveReader(path: archive)
        let before = reader.manifest.segments.map(\.file)
        #expect(before.count == 4)

        let compact = try CommandLineTests.run(["compact", archive])
        #expect(compact.status == 0, "\(compact.stderr)")
        let after = try ArchiveReader(path: archive).manifest.segments.map(\.file)
        #expect(after.count == 1)
        for file in before { #expect(!FileManager.default.fileExists(atPath: archive + "/" + file), "\(file) was not deleted") }

        // The reader opened before the compaction still reads every record, from the deleted files.
        #expect(try reader.count() == lines.count)
        var read: [String] = []
        try reader.scan { batch, row in
            var bytes: [UInt8] = []
            try batch.writeJSON(row: row, to: &bytes)
            read.append(String(decoding: bytes, as: UTF8.self))
            return true
        }
        #expect(read == lines)
    }
}
