import SMSSupport
import SMSRecords

/// One stored column chunk of a version-2 block.
package struct ColumnChunkRef: Sendable, Equatable {
    /// The column's position in the schema.
    package var column: Int
    /// How many values the chunk holds.
    package var valueCount: Int
    package var chunk: ChunkRef
}

/// The index entry of one version-2 block.
package struct ColumnarBlockInfo: Sendable, Equatable {
    package var rowCount: Int
    package var minTime: Timestamp
    package var maxTime: Timestamp
    /// Chunks of the columns that have values in this block.
    package var chunks: [ColumnChunkRef]
    /// Phone numbers and MessageIds of the block (and from version 5 its correlationIds).
    package var filter: BloomFilter
    /// The block's row links (`RowLinkEncoding`), version 5 and later; nil when no row has one.
    package var links: ChunkRef? = nil
}

/// The footer of a columnar segment (versions 2 to 5): schema, layouts, block index, rejects.
package struct ColumnarFooter: Sendable, Equatable {
    package var columns: [ColumnSpec]
    package var layouts: [RecordLayout]
    package var blocks: [ColumnarBlockInfo]
    package var rejectCount: Int
    package var rejects: ChunkRef?

    /// The footer's bytes for a segment of `version`.
    package func encoded(version: UInt32) -> [UInt8] {
        var w = ByteWriter()
        w.varint(columns.count)
        for c in columns { w.string(c.name); w.byte(c.type.rawValue) }
        w.varint(layouts.count)
        for layout in layouts { w.lengthPrefixed(layout.encoded()) }
        w.varint(blocks.count)
        for block in blocks {
            w.varint(block.rowCount)
            w.signedVarint(block.minTime.ticks)
            w.signedVarint(block.maxTime.ticks)
            w.varint(block.chunks.count)
            for c in block.chunks {
                w.varint(c.column)
                w.varint(c.valueCount)
                c.chunk.write(to: &w)
            }
            w.varint(block.filter.bits.count)
            w.byte(UInt8(block.filter.hashCount))
            for word in block.filter.bits { w.uint64(word) }
            if version >= SegmentVersion.columnsAlone {
                if let links = block.links {
                    w.byte(1)
                    links.write(to: &w)
                } else {
                    w.byte(0)
                }
            }
        }
        w.varint(rejectCount)
        if let rejects, rejectCount > 0 { rejects.write(to: &w) }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], fileSize: Int, version: UInt32, context: String) throws(FormatError) -> ColumnarFooter {
        var r = ByteReader(bytes, context: "\(context) footer")
        let columnCount = try r.count(limit: 1024)
        var columns: [ColumnSpec] = []
        for _ in 0..<columnCount {
            let name = try r.string()
            guard let type = ColumnType(rawValue: try r.byte()) else { throw r.damaged("unknown column type") }
            columns.append(ColumnSpec(name: name, type: type))
        }
        guard columns == FieldSchema.columns else { throw r.damaged("the column list is not the version-2 schema") }
        let layoutCount = try r.count(limit: r.remaining)
        var layouts: [RecordLayout] = []
        for i in 0..<layoutCount {
            let bytes = Array(try r.lengthPrefixed())
            layouts.append(try RecordLayout.decode(bytes, columnCount: columnCount, version: version, context: "\(context) layout \(i)"))
        }
        let blockCount = try r.count(limit: r.remaining)
        var blocks: [ColumnarBlockInfo] = []
        for index in 0..<blockCount {
            // Decoders allocate per row: bounded here, whatever the checksum says (a crafted file can have a right one).
            let rowCount = try r.varint()
            guard rowCount <= UInt64(SegmentLayout.maxBlockRows) else {
                throw r.damaged("block \(index) has \(rowCount) rows, over the format's limit of \(SegmentLayout.maxBlockRows)")
            }
            let rows = Int(rowCount)
            let minTime = Timestamp(ticks: try r.signedVarint())
            let maxTime = Timestamp(ticks: try r.signedVarint())
            guard rows > 0, minTime <= maxTime else { throw r.damaged("block \(index) with \(rows) rows from \(minTime.ticks) to \(maxTime.ticks)") }
            let chunkCount = try r.count(limit: columnCount)
            var chunks: [ColumnChunkRef] = []
            for _ in 0..<chunkCount {
                let column = try r.count(limit: columnCount - 1)
                let values = try r.count(limit: rows)
                let what = "block \(index) column \(FieldSchema.columns[column].name)"
                chunks.append(ColumnChunkRef(column: column, valueCount: values, chunk: try ChunkRef.read(from: &r, fileSize: fileSize, what: what)))
            }
            let words = try r.count(limit: r.remaining / 8)
            let hashCount = Int(try r.byte())
            guard words > 0, (1...32).contains(hashCount) else { throw r.damaged("block \(index): bad Bloom filter") }
            // Many words a block: read them as one run of little-endian bytes.
            let raw = try r.raw(words * 8)
            let bits = [UInt64](unsafeUninitializedCapacity: words) { out, made in
                raw.withUnsafeBytes { bytes in
                    for k in 0..<words { out[k] = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)) }
                }
                made = words
            }
            var links: ChunkRef?
            if version >= SegmentVersion.columnsAlone {
                switch try r.byte() {
                case 0: break
                case 1: links = try ChunkRef.read(from: &r, fileSize: fileSize, what: "block \(index) row links")
                case let flag: throw r.damaged("block \(index): row links flag \(flag)")
                }
            }
            blocks.append(ColumnarBlockInfo(rowCount: rows, minTime: minTime, maxTime: maxTime, chunks: chunks,
                                            filter: BloomFilter(bits: bits, hashCount: hashCount), links: links))
        }
        let (rejectCount, rejects) = try readRejects(from: &r, fileSize: fileSize)
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the footer") }
        return ColumnarFooter(columns: columns, layouts: layouts, blocks: blocks, rejectCount: rejectCount, rejects: rejects)
    }

    package init(columns: [ColumnSpec], layouts: [RecordLayout], blocks: [ColumnarBlockInfo], rejectCount: Int, rejects: ChunkRef?) {
        self.columns = columns
        self.layouts = layouts
        self.blocks = blocks
        self.rejectCount = rejectCount
        self.rejects = rejects
    }
}
