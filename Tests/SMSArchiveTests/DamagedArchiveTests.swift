import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSSupport

/// A damaged segment gives a clear error naming the segment (and block), never a crash or wrong records.
@Suite struct DamagedArchiveTests {
    /// An archive of 50 records in blocks of 10, and the path of its one segment.
    static func makeArchive(_ folder: TemporaryFolder) throws -> (archive: String, segment: String) {
        let text = (0..<50).map { storageLine(time: "2026-10-01T00:00:\(String(format2: $0)).0000000Z") }.joined(separator: "\n") + "\n"
        let blob = folder.write("PT1H.json", text)
        var options = ArchiveWriter.Options()
        options.blockRows = 10
        let archive = try ArchiveRoundTripTests.convert([blob], into: folder, options: options)
        let segment = archive + "/" + (try ArchiveReader(path: archive).manifest.segments[0].file)
        return (archive, segment)
    }

    /// Every record's JSON text, one a line, and the rejects.
    static func readEverything(_ archive: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let reader = try ArchiveReader(path: archive)
        try reader.scan { batch, row in
            try batch.writeJSON(row: row, to: &bytes)
            bytes.append(0x0A)
            return true
        }
        bytes += try reader.rejects().flatMap(\.bytes)
        return bytes
    }

    static func message(of body: () throws -> [UInt8]) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test func aTruncatedSegmentIsNamed() throws {
        let folder = TemporaryFolder()
        let (archive, segment) = try Self.makeArchive(folder)
        let bytes = try FileIO.readAll(segment)
        for cut in [0, 10, bytes.count / 2, bytes.count - 1] {
            try Data(bytes[..<cut]).write(to: URL(fileURLWithPath: segment))
            let message = try #require(Self.message { try Self.readEverything(archive) })
            #expect(message.contains(segment), "\(message)")
        }
    }

    @Test func aWrongMagicIsNamed() throws {
        let folder = TemporaryFolder()
        let (archive, segment) = try Self.makeArchive(folder)
        var bytes = try FileIO.readAll(segment)
        bytes[0] = UInt8(ascii: "X")
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let message = try #require(Self.message { try Self.readEverything(archive) })
        #expect(message.contains("magic"))
        #expect(message.contains(segment))
    }

    @Test func aNewerVersionIsRefusedClearly() throws {
        let folder = TemporaryFolder()
        let (archive, segment) = try Self.makeArchive(folder)
        var bytes = try FileIO.readAll(segment)
        bytes[8] = 99
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let message = try #require(Self.message { try Self.readEverything(archive) })
        #expect(message.contains("version 99"))
    }

    /// Flips one bit at a time across the whole file: every flip must be detected, none may crash.
    @Test func everyFlippedBitIsDetected() throws {
        let folder = TemporaryFolder()
        let (archive, segment) = try Self.makeArchive(folder)
        let original = try FileIO.readAll(segment)
        let originalRecords = try Self.readEverything(archive)
        // Every header byte (the reserved ones must be zero), then about 400 more across the file, each
        // with the next bit position in turn, so every bit of a byte is tried.
        let offsets = Array(0..<SegmentLayout.headerSize) + Array(stride(from: SegmentLayout.headerSize, to: original.count, by: max(1, original.count / 400)))
        for (i, offset) in offsets.enumerated() {
            var bytes = original
            bytes[offset] ^= 1 << UInt8(i % 8)
            try Data(bytes).write(to: URL(fileURLWithPath: segment))
            let message = Self.message { try Self.readEverything(archive) }
            if message == nil {
                // The version is outside every checksum: a flip to another readable version whose
                // reader agrees (2 read as 3) goes unseen, and is harmless. Nothing else may.
                #expect((8..<12).contains(offset), "flip of bit \(i % 8) at byte \(offset) went unnoticed")
                #expect(try Self.readEverything(archive) == originalRecords, "flip of bit \(i % 8) at byte \(offset) changed the records")
            }
            if let message, offset >= SegmentLayout.headerSize, offset < original.count - SegmentLayout.trailerSize - 200 {
                // In the data area: the error names the block (or the footer/rejects chunk).
                #expect(message.contains("block") || message.contains("rejects") || message.contains("footer"), "\(message)")
            }
        }
    }

    @Test func aDamagedManifestIsNamed() throws {
        let folder = TemporaryFolder()
        let (archive, _) = try Self.makeArchive(folder)
        try Data("{\"format\":\"smsarchive\",\"version\":1,".utf8).write(to: URL(fileURLWithPath: archive + "/manifest.json"))
        let message = try #require(Self.message { try Self.readEverything(archive) })
        #expect(message.contains("manifest.json"))
    }
}
