import SMSSupport

/// The frame shared by every segment version: a header (magic, version), chunks,
/// then the footer, its length, its XXH64 and the magic again.
package final class SegmentFileWriter {
    private let file: FileWriter
    private let path: String
    package let level: Int32

    package init(path: String, version: UInt32, level: Int32) throws {
        file = try FileWriter(creating: path)
        self.path = path
        self.level = level
        var header = ByteWriter()
        header.raw(SegmentLayout.magic)
        header.uint32(version)
        header.uint32(0)
        try file.write(header.bytes)
    }

    /// Writes a chunk of `raw`, zstd-compressed.
    package func writeChunk(_ raw: [UInt8], encoding: UInt8) throws -> ChunkRef {
        try writeCompressedChunk(Zstd.compress(raw, level: level), rawLength: raw.count, encoding: encoding)
    }

    /// Writes a chunk already compressed with zstd.
    package func writeCompressedChunk(_ stored: [UInt8], rawLength: Int, encoding: UInt8) throws -> ChunkRef {
        // Readers refuse larger chunks as damage: never write one (blocks are cut to stay far below).
        guard rawLength <= SegmentLayout.maxChunkBytes else {
            throw FileError(path: path, reason: "a chunk of \(rawLength) bytes, over the format's limit of \(SegmentLayout.maxChunkBytes)")
        }
        let ref = ChunkRef(encoding: encoding, compression: .zstd, offset: file.offset, storedLength: stored.count,
                           rawLength: rawLength, checksum: xxh64(stored))
        try file.write(stored)
        return ref
    }

    /// Writes the footer and trailer, and fsyncs the file.
    package func finish(footer: [UInt8]) throws {
        var trailer = ByteWriter()
        trailer.raw(footer)
        trailer.uint32(UInt32(footer.count))
        trailer.uint64(xxh64(footer))
        trailer.raw(SegmentLayout.magic)
        try file.write(trailer.bytes)
        try file.finish()
    }
}
