/// Writes one segment file from rows already sorted by time.
enum SegmentWriter {
    struct Options {
        var blockRows = SegmentLayout.defaultBlockRows
        var compressionLevel = Zstd.defaultLevel
    }

    /// Writes `rows` (sorted by time) and `rejects` to a new file at `path`, fsynced.
    static func write(rows: [StoredRow], rejects: [Reject], to path: String, options: Options) throws -> SegmentFooter {
        let file = try FileWriter(creating: path)
        var header = ByteWriter()
        header.raw(SegmentLayout.magic)
        header.uint32(SegmentLayout.currentVersion)
        header.uint32(0)
        try file.write(header.bytes)

        func writeChunk(_ raw: [UInt8], encoding: UInt8) throws -> ChunkRef {
            let stored = Zstd.compress(raw, level: options.compressionLevel)
            let ref = ChunkRef(encoding: encoding, compression: .zstd, offset: file.offset, storedLength: stored.count,
                               rawLength: raw.count, checksum: xxh64(stored))
            try file.write(stored)
            return ref
        }

        var blocks: [BlockInfo] = []
        var start = 0
        while start < rows.count {
            let slice = rows[start..<min(start + options.blockRows, rows.count)]
            start += slice.count
            let times = slice.map(\.time.ticks)
            let chunks = [
                try writeChunk(ColumnCodecs.encodeDeltaVarint(times), encoding: ColumnEncoding.deltaVarint.rawValue),
                try writeChunk(ColumnCodecs.encodeDictionary(slice.map(\.category)), encoding: ColumnEncoding.dictionary.rawValue),
                try writeChunk(ColumnCodecs.encodeDictionary(slice.map(\.resourceId)), encoding: ColumnEncoding.dictionary.rawValue),
                try writeChunk(ColumnCodecs.encodePlainBytes(slice.map { Array($0.document) }), encoding: ColumnEncoding.plainBytes.rawValue),
            ]
            blocks.append(BlockInfo(rowCount: slice.count, minTime: Timestamp(ticks: times.min()!),
                                    maxTime: Timestamp(ticks: times.max()!), columns: chunks))
        }
        let rejectChunk = rejects.isEmpty ? nil : try writeChunk(RejectCodec.encode(rejects), encoding: 0)
        let footer = SegmentFooter(columnNames: ColumnID.allCases.map(\.name), blocks: blocks,
                                   rejectCount: rejects.count, rejects: rejectChunk)
        let footerBytes = footer.encoded()
        var trailer = ByteWriter()
        trailer.raw(footerBytes)
        trailer.uint32(UInt32(footerBytes.count))
        trailer.uint64(xxh64(footerBytes))
        trailer.raw(SegmentLayout.magic)
        try file.write(trailer.bytes)
        try file.finish()
        return footer
    }
}
