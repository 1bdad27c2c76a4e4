/// What an archive holds and where its bytes go: for `info` and for tuning encodings.
public struct ArchiveStatistics: Sendable {
    public struct ColumnUsage: Sendable {
        public var name: String
        /// Bytes stored (compressed) over all blocks.
        public var storedBytes = 0
        /// Bytes before compression.
        public var rawBytes = 0
        public var values = 0
        /// How many chunks chose each encoding.
        public var encodings: [String: Int] = [:]
    }

    public var records = 0
    public var rejects = 0
    public var segments = 0
    public var blocks = 0
    public var bytesOnDisk = 0
    public var minTime: Timestamp?
    public var maxTime: Timestamp?
    /// Bytes of footers (block index, layouts, Bloom filters) and rejects.
    public var footerBytes = 0
    public var filterBytes = 0
    public var layouts = 0
    public var columns: [ColumnUsage] = []

    public init(_ archive: ArchiveReader) throws {
        columns = FieldSchema.columns.map { ColumnUsage(name: $0.name) }
        for (entry, segment) in zip(archive.manifest.segments, try archive.segments) {
            segments += 1
            records += entry.records
            rejects += entry.rejects
            bytesOnDisk += segment.size
            blocks += segment.blocks.count
            layouts += segment.layouts.count
            if let t = entry.minTime { minTime = min(minTime ?? t, t) }
            if let t = entry.maxTime { maxTime = max(maxTime ?? t, t) }
            var chunkBytes = 0
            for block in segment.columnarBlocks {
                filterBytes += block.filter.bits.count * 8
                for ref in block.chunks {
                    columns[ref.column].storedBytes += ref.chunk.storedLength
                    columns[ref.column].rawBytes += ref.chunk.rawLength
                    columns[ref.column].values += ref.valueCount
                    let name = ChunkEncodingID(rawValue: ref.chunk.encoding).map { "\($0)" } ?? "\(ref.chunk.encoding)"
                    columns[ref.column].encodings[name, default: 0] += 1
                    chunkBytes += ref.chunk.storedLength
                }
            }
            footerBytes += segment.size - chunkBytes - SegmentLayout.headerSize
        }
    }
}
