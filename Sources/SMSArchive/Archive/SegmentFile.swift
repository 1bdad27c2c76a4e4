/// The frame shared by every segment version: a header (magic, version), chunks,
/// then the footer, its length, its XXH64 and the magic again.
final class SegmentFileWriter {
    private let file: FileWriter
    let level: Int32

    init(path: String, version: UInt32, level: Int32) throws {
        file = try FileWriter(creating: path)
        self.level = level
        var header = ByteWriter()
        header.raw(SegmentLayout.magic)
        header.uint32(version)
        header.uint32(0)
        try file.write(header.bytes)
    }

    /// Writes a chunk: zstd-compressed `raw`, unless `compressed` is given.
    func writeChunk(_ raw: [UInt8], encoding: UInt8, compressed: [UInt8]? = nil) throws -> ChunkRef {
        let stored = compressed ?? Zstd.compress(raw, level: level)
        let ref = ChunkRef(encoding: encoding, compression: .zstd, offset: file.offset, storedLength: stored.count,
                           rawLength: raw.count, checksum: xxh64(stored))
        try file.write(stored)
        return ref
    }

    /// Writes the footer and trailer, and fsyncs the file.
    func finish(footer: [UInt8]) throws {
        var trailer = ByteWriter()
        trailer.raw(footer)
        trailer.uint32(UInt32(footer.count))
        trailer.uint64(xxh64(footer))
        trailer.raw(SegmentLayout.magic)
        try file.write(trailer.bytes)
        try file.finish()
    }
}
