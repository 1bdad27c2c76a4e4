import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSIngest
@testable import SMSSupport

/// The nightly job: rerunning is idempotent, grown blobs are read on, changed
/// blobs are reported, compaction keeps every record, verify catches damage.
@Suite struct NightlyWorkflowTests {
    static let blobPath = "insights-logs-smsoperational/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N/y=2026/m=10/d=01/h=%02d/m=00/PT1H.json"

    static func line(_ hour: Int, _ second: Int) -> String {
        storageLine(time: "2026-10-01T\(String(format2: hour)):00:\(String(format2: second)).0000000Z")
    }

    /// An export of `hours` blobs with `perBlob` records each; returns its folder.
    static func export(_ folder: TemporaryFolder, hours: Int = 3, perBlob: Int = 20) -> String {
        for h in 0..<hours {
            folder.write("export/" + String(format: blobPath, h), (0..<perBlob).map { line(h, $0) + "\n" }.joined())
        }
        return folder.path + "/export"
    }

    static func convert(_ inputs: [String], _ archive: String) throws -> Converter.Summary {
        try Converter(inputs: inputs, archive: archive).run()
    }

    static func times(_ archive: String) throws -> [String] {
        try ArchiveRoundTripTests.scanAll(archive).map(\.time.iso8601)
    }

    @Test func convertingTwiceAddsNothing() throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder)
        let archive = folder.path + "/a.smsa"
        let first = try Self.convert([export], archive)
        #expect(first.records == 60)
        #expect(first.blobsNew == 3)
        let before = try Self.times(archive)
        let second = try Self.convert([export], archive)
        #expect(second.records == 0)
        #expect(second.blobsUnchanged == 3)
        #expect(second.segments == 0)
        #expect(try Self.times(archive) == before)
        // Touched but unchanged (a copy, a new mtime): read again, still nothing added.
        let blob = export + "/" + String(format: Self.blobPath, 1)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 100)], ofItemAtPath: blob)
        let third = try Self.convert([export], archive)
        #expect(third.records == 0)
        #expect(try Self.times(archive).count == 60)
    }

    @Test func aGrownBlobIsReadOnAndItsCutLineIsTakenOnceComplete() throws {
        let folder = TemporaryFolder()
        let relative = "export/" + String(format: Self.blobPath, 3)
        let full = Self.line(3, 2)
        let cut = String(full.prefix(40))
        let blob = folder.write(relative, Self.line(3, 0) + "\n" + Self.line(3, 1) + "\n" + cut)
        let archive = folder.path + "/a.smsa"
        let first = try Self.convert([folder.path + "/export"], archive)
        #expect(first.records == 2)
        #expect(first.rejects == 1)
        #expect(try ArchiveReader(path: archive).rejects().map(\.reason) == [.truncated])

        // The open hour's blob grows: the cut line is completed and more lines follow.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: blob))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((String(full.dropFirst(40)) + "\n" + Self.line(3, 3) + "\n").utf8))
        try handle.close()
        let second = try Self.convert([folder.path + "/export"], archive)
        #expect(second.records == 2)
        #expect(second.rejects == 0)
        #expect(second.blobsResumed == 1)
        #expect(try Self.times(archive) == (0...3).map { "2026-10-01T03:00:0\($0).0000000Z" })
        let reader = try ArchiveReader(path: archive)
        #expect(try reader.resolvedRejects() == [ResolvedLine(key: SourceState.key(for: blob), line: 3)])
        // The record taken from the completed line is exactly that line.
        let rows = try ArchiveRoundTripTests.scanAll(archive)
        #expect(String(decoding: rows[2].document, as: UTF8.self) == full)
        // And the archive still holds its export.
        #expect(try Verifier(archive: archive).run(against: [folder.path + "/export"]).holds)
    }

    @Test func aBlobWhoseStartChangedIsReportedNotImportedTwice() throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder, hours: 2)
        let archive = folder.path + "/a.smsa"
        _ = try Self.convert([export], archive)
        let blob = export + "/" + String(format: Self.blobPath, 0)
        folder.write("export/" + String(format: Self.blobPath, 0), (0..<25).map { Self.line(0, 59 - $0) + "\n" }.joined())
        let summary = try Self.convert([export], archive)
        #expect(summary.changed.map(\.path) == [blob])
        #expect(summary.records == 0)
        #expect(try Self.times(archive).count == 40)
    }

    /// Two copies of an export given at once: the second copy's blob has the key of the first and is
    /// another file (here grown by 10 records); it was skipped without a word. Now it is reported, and
    /// a separate run takes what it adds. The same file named twice (overlapping inputs) is read once.
    @Test func anotherFileWithTheKeyOfOneReadInTheSameRunIsReported() throws {
        let folder = TemporaryFolder()
        let first = Self.export(folder, hours: 1)
        let grown = folder.write("copy/" + String(format: Self.blobPath, 0), (0..<30).map { Self.line(0, $0) + "\n" }.joined())
        let copy = folder.path + "/copy"
        let archive = folder.path + "/a.smsa"
        let summary = try Self.convert([first, copy], archive)
        #expect(summary.records == 20)
        #expect(summary.sameKey.map(\.path) == [grown])
        #expect(summary.sameKey.map(\.other) == [first + "/" + String(format: Self.blobPath, 0)])
        let again = try Self.convert([copy], archive)
        #expect(again.records == 10)
        #expect(again.blobsResumed == 1)
        #expect(try Self.times(archive).count == 30)

        let overlapping = folder.path + "/b.smsa"
        let once = try Self.convert([first, first + "/insights-logs-smsoperational"], overlapping)
        #expect(once.records == 20)
        #expect(once.sameKey.isEmpty)

        let run = try CommandLineTests.run(["convert", first, copy, "-o", folder.path + "/c.smsa"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("\(grown): not read: \(first)/"), "\(run.stderr)")
        #expect(run.stderr.contains("1 not read (same key as another input)"), "\(run.stderr)")
    }

    @Test func compactionKeepsEveryRecordInFewerSegments() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        for night in 0..<4 {
            let blob = folder.write("night\(night)/" + String(format: Self.blobPath, night), (0..<30).map { Self.line(night, $0) + "\n" }.joined() + "bad line\n")
            _ = try Self.convert([blob], archive)
        }
        let before = try ArchiveRoundTripTests.scanAll(archive).map(\.document)
        let rejectsBefore = try ArchiveReader(path: archive).rejects().map(\.bytes)
        #expect(try ArchiveReader(path: archive).manifest.segments.count == 4)
        let summary = try Compactor(archive: archive).run()
        #expect(summary.merged == 4)
        let reader = try ArchiveReader(path: archive)
        #expect(reader.manifest.segments.count == 1)
        #expect(try ArchiveRoundTripTests.scanAll(archive).map(\.document) == before)
        #expect(try reader.rejects().map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) } == rejectsBefore.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(try FileIO.listDirectory(archive + "/segments").count == 1)
        #expect(try Verifier(archive: archive).run().holds)
    }

    @Test func verifyFailsOnDamageAndOnAMissingRecord() throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder, hours: 2)
        let archive = folder.path + "/a.smsa"
        _ = try Self.convert([export], archive)
        #expect(try Verifier(archive: archive).run(against: [export]).holds)

        // A record the archive never saw.
        let extra = folder.write("more/" + String(format: Self.blobPath, 5), Self.line(5, 0) + "\n")
        let missing = try Verifier(archive: archive).run(against: [export, extra])
        #expect(!missing.holds)
        #expect(missing.missingRecordCount == 1)

        // A flipped byte in a segment.
        let segment = archive + "/" + (try ArchiveReader(path: archive).manifest.segments[0].file)
        var bytes = try FileIO.readAll(segment)
        bytes[SegmentLayout.headerSize + 5] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let damaged = try Verifier(archive: archive).run()
        #expect(!damaged.holds)
        #expect(damaged.problems.first?.contains(segment) == true)
    }

    @Test func aSecondWriterIsToldTheArchiveIsBusy() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        let first = try ArchiveWriter(path: archive)
        var options = ArchiveWriter.Options()
        options.waitForLock = false
        #expect { try ArchiveWriter(path: archive, options: options) } throws: { error in
            "\(error)".contains("another smsarchive process")
        }
        try first.commit()
        _ = try ArchiveWriter(path: archive, options: options)   // free again
    }

    @Test func manyRejectsAreWrittenAsTheyComeAndAllKept() throws {
        let folder = TemporaryFolder()
        let blob = folder.write("bad/PT1H.json", (0..<500).map { "not json \($0)\n" }.joined())
        var options = ArchiveWriter.Options()
        options.segmentMemory = 16 << 10   // rejects are flushed every 4 KiB
        let summary = try Converter(inputs: [blob], archive: folder.path + "/a.smsa", options: options).run()
        #expect(summary.rejects == 500)
        #expect(summary.segments > 1)
        let rejects = try ArchiveReader(path: folder.path + "/a.smsa").rejects()
        #expect(rejects.map(\.line) == Array(1...500))
        #expect(rejects.last.map { String(decoding: $0.bytes, as: UTF8.self) } == "not json 499")
    }
}
