import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSSupport

/// A segment crafted to make readers allocate (a row count of 2^31, a chunk said to decompress to
/// 2 GiB, a real 64 KiB zstd bomb of 2 GiB), with every checksum recomputed so that only the
/// format's own limits stand in the way: every reading command fails with exit 1, names the segment
/// and the block (or its rejects), and stays within 512 MiB of address space and resident memory.
@Suite(.serialized) struct CraftedFooterTests {
    static var executable: String { CommandLineTests.executable }

    enum Craft: String, CaseIterable, CustomTestStringConvertible {
        case rowCount, rawLength, zstdBomb, rejectsBomb
        var testDescription: String { rawValue }
        /// What the error must name besides the segment file.
        var place: String { self == .rejectsBomb ? "rejects" : "block 0" }
    }

    /// Two segments of the same day (so compact merges them), the first with a reject.
    static func makeArchive(_ folder: TemporaryFolder) throws -> (archive: String, segment: String) {
        let archive = folder.path + "/a.smsa"
        let first = folder.write("one/PT1H.json", (0..<20).map {
            storageLine(time: "2026-10-01T00:00:\(String(format2: $0)).0000000Z")
        }.joined(separator: "\n") + "\nnot a record\n")
        let second = folder.write("two/PT1H.json", storageLine(time: "2026-10-01T05:00:00.0000000Z") + "\n")
        #expect(try CommandLineTests.run(["convert", first, "-o", archive, "--quiet"]).status == 2)
        #expect(try CommandLineTests.run(["convert", second, "-o", archive, "--quiet"]).status == 0)
        let manifest = try ArchiveReader(path: archive).manifest
        #expect(manifest.segments.count == 2)
        return (archive, archive + "/" + manifest.segments[0].file)
    }

    /// A zstd frame that names `size` bytes of zeros as its content and holds them as RLE blocks of
    /// 128 KiB: 4 bytes each, so 2 GiB take 64 KiB. (RFC 8878: frame header, then the blocks.)
    static func zstdBomb(size: Int) -> [UInt8] {
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        frame += [0xC0, 0x38]   // an 8-byte content size, not single-segment; a 128 KiB window
        frame += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(size) >> (8 * $0)) }
        let blockSize = 128 << 10
        var left = size
        while left > 0 {
            let n = min(blockSize, left)
            left -= n
            let header = UInt32(n) << 3 | 1 << 1 | (left == 0 ? 1 : 0)   // size, type 1 (RLE), last
            frame += [UInt8(header & 0xFF), UInt8(header >> 8 & 0xFF), UInt8(header >> 16 & 0xFF), 0]
        }
        return frame
    }

    /// Rewrites `segment` with its footer changed by `craft`, every checksum recomputed.
    static func craft(_ segment: String, _ craft: Craft) throws {
        let bytes = try FileIO.readAll(segment)
        var trailer = ByteReader(Array(bytes.suffix(SegmentLayout.trailerSize)), context: "trailer")
        let footerLength = Int(try trailer.uint32())
        let footerStart = bytes.count - SegmentLayout.trailerSize - footerLength
        let version = UInt32(bytes[8]) | UInt32(bytes[9]) << 8
        var footer = try ColumnarFooter.decode(Array(bytes[footerStart..<bytes.count - SegmentLayout.trailerSize]),
                                               fileSize: footerStart, version: version, context: segment)
        var body = Array(bytes[..<footerStart])
        func bombChunk(encoding: UInt8) -> ChunkRef {
            let bomb = zstdBomb(size: 1 << 31)
            #expect(bomb.count == 64 << 10 + 14)
            defer { body += bomb }
            return ChunkRef(encoding: encoding, compression: .zstd, offset: body.count, storedLength: bomb.count,
                            rawLength: 1 << 31, checksum: xxh64(bomb))
        }
        let time = try #require(footer.blocks[0].chunks.firstIndex { $0.column == FieldSchema.time })
        switch craft {
        case .rowCount:
            let rows = footer.blocks[0].rowCount
            footer.blocks[0].rowCount = 1 << 31
            for i in footer.blocks[0].chunks.indices where footer.blocks[0].chunks[i].valueCount == rows {
                footer.blocks[0].chunks[i].valueCount = 1 << 31
            }
        case .rawLength:
            footer.blocks[0].chunks[time].chunk.rawLength = 1 << 31
        case .zstdBomb:
            footer.blocks[0].chunks[time].chunk = bombChunk(encoding: footer.blocks[0].chunks[time].chunk.encoding)
        case .rejectsBomb:
            footer.rejects = bombChunk(encoding: RejectCodec.encodingID)
        }
        let encoded = footer.encoded(version: UInt32(bytes[8]))
        var w = ByteWriter()
        w.raw(body)
        w.raw(encoded)
        w.uint32(UInt32(encoded.count))
        w.uint64(xxh64(encoded))
        w.raw(SegmentLayout.magic)
        try replace(segment, with: w.bytes)
    }

    /// Writes `bytes` as `segment`, and its new size in the manifest (readers check it).
    static func replace(_ segment: String, with bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let archive = ((segment as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let manifestPath = archive + "/" + Manifest.fileName
        var manifest = try Manifest.decode(try FileIO.readAll(manifestPath), path: manifestPath)
        for i in manifest.segments.indices where archive + "/" + manifest.segments[i].file == segment {
            manifest.segments[i].bytes = bytes.count
        }
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: manifestPath))
    }

    /// Every command that reads segments, as a user would run it.
    static func readingCommands(_ archive: String, _ folder: TemporaryFolder) -> [[String]] {
        [["scan", archive], ["scan", archive, "--count"], ["verify", archive], ["info", archive], ["rejects", archive],
         ["trace", archive, "11111111-2222-3333-4444-555555555555"],
         ["export", archive, "--output", folder.path + "/parquet"],
         ["export", archive, "--format", "jsonl", "-o", folder.path + "/out.jsonl"],
         ["export", archive, "--format", "csv", "-o", folder.path + "/out.csv"],
         ["compact", archive]]
    }

    @Test(arguments: Craft.allCases)
    func aCraftedFooterIsDamageWithBoundedMemory(_ craft: Craft) throws {
        let folder = TemporaryFolder()
        let (archive, segment) = try Self.makeArchive(folder)
        try Self.craft(segment, craft)
        let name = (segment as NSString).lastPathComponent
        for command in Self.readingCommands(archive, folder) {
            // 512 MiB of address space: an allocation beyond it fails (and the command with it) ...
            let run = try ChildProcess.measured(["/bin/sh", "-c", #"ulimit -v 524288 && exec "$@""#, "sh", Self.executable] + command)
            let what = "\(craft) \(command.dropFirst().first ?? "") \(command.joined(separator: " ")): \(run.stderr)"
            #expect(run.status == 1, "\(what)")
            #expect(run.stderr.contains("damaged archive: ") && run.stderr.contains(name) && run.stderr.contains(craft.place), "\(what)")
            // ... and what is used stays well below it.
            #expect(run.maxRSSKiB < 512 << 10, "\(what): \(run.maxRSSKiB) KiB")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out.jsonl"))
    }

    /// A bomb within the format's limit (256 MiB of zeros) is read, found damaged by the decoder
    /// (zeros are not the time column it claims to be), and costs at most that.
    @Test func aBombWithinTheLimitCostsAtMostTheLimit() throws {
        let folder = TemporaryFolder()
        let (archive, segment) = try Self.makeArchive(folder)
        let bytes = try FileIO.readAll(segment)
        var trailer = ByteReader(Array(bytes.suffix(SegmentLayout.trailerSize)), context: "trailer")
        let footerStart = bytes.count - SegmentLayout.trailerSize - Int(try trailer.uint32())
        var footer = try ColumnarFooter.decode(Array(bytes[footerStart..<bytes.count - SegmentLayout.trailerSize]),
                                               fileSize: footerStart, version: UInt32(bytes[8]), context: segment)
        let bomb = Self.zstdBomb(size: SegmentLayout.maxChunkBytes)
        let time = try #require(footer.blocks[0].chunks.firstIndex { $0.column == FieldSchema.time })
        footer.blocks[0].chunks[time].chunk = ChunkRef(encoding: footer.blocks[0].chunks[time].chunk.encoding, compression: .zstd,
                                                       offset: footerStart, storedLength: bomb.count,
                                                       rawLength: SegmentLayout.maxChunkBytes, checksum: xxh64(bomb))
        let encoded = footer.encoded(version: UInt32(bytes[8]))
        var w = ByteWriter()
        w.raw(Array(bytes[..<footerStart]) + bomb + encoded)
        w.uint32(UInt32(encoded.count))
        w.uint64(xxh64(encoded))
        w.raw(SegmentLayout.magic)
        try Self.replace(segment, with: w.bytes)
        let run = try ChildProcess.measured(["/bin/sh", "-c", #"ulimit -v 524288 && exec "$@""#, "sh", Self.executable, "scan", archive])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains((segment as NSString).lastPathComponent + ": block 0 column time"), "\(run.stderr)")
        #expect(run.maxRSSKiB < 400 << 10, "\(run.maxRSSKiB) KiB")
    }
}
