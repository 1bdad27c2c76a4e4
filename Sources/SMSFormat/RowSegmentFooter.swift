import SMSSupport
import SMSRecords

/// Where one stored chunk is and how to read it back.
package struct ChunkRef: Sendable, Equatable {
    package var encoding: UInt8
    package var compression: ChunkCompression
    /// Byte offset of the chunk in the segment file.
    package var offset: Int
    /// Bytes stored in the file.
    package var storedLength: Int
    /// Bytes after decompression.
    package var rawLength: Int
    /// XXH64 of the stored bytes.
    package var checksum: UInt64

    package func write(to w: inout ByteWriter) {
        w.byte(encoding)
        w.byte(compression.rawValue)
        w.varint(offset)
        w.varint(storedLength)
        w.varint(rawLength)
        w.uint64(checksum)
    }

    package static func read(from r: inout ByteReader, fileSize: Int) throws(FormatError) -> ChunkRef {
        let encoding = try r.byte()
        guard let compression = ChunkCompression(rawValue: try r.byte()) else { throw r.damaged("unknown compression") }
        let offset = try r.count(limit: fileSize)
        let stored = try r.count(limit: fileSize - offset)
        let raw = try r.count(limit: 1 << 31)
        return ChunkRef(encoding: encoding, compression: compression, offset: offset, storedLength: stored,
                        rawLength: raw, checksum: try r.uint64())
    }
}

/// The index entry of one block: its rows, time range (a zone map) and column chunks.
package struct BlockInfo: Sendable, Equatable {
    package var rowCount: Int
    package var minTime: Timestamp
    package var maxTime: Timestamp
    /// One chunk per column, in `ColumnID` order.
    package var columns: [ChunkRef]

    package init(rowCount: Int, minTime: Timestamp, maxTime: Timestamp, columns: [ChunkRef]) {
        self.rowCount = rowCount
        self.minTime = minTime
        self.maxTime = maxTime
        self.columns = columns
    }
}

/// The footer of a version-1 (row-document) segment: its schema, block index and rejects.
package struct RowSegmentFooter: Sendable, Equatable {
    package var columnNames: [String]
    package var blocks: [BlockInfo]
    package var rejectCount: Int
    /// The chunk of rejects, when there are any.
    package var rejects: ChunkRef?

    package var recordCount: Int { blocks.reduce(0) { $0 + $1.rowCount } }

    package func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.varint(columnNames.count)
        for name in columnNames { w.string(name) }
        w.varint(blocks.count)
        for block in blocks {
            w.varint(block.rowCount)
            w.signedVarint(block.minTime.ticks)
            w.signedVarint(block.maxTime.ticks)
            for chunk in block.columns { chunk.write(to: &w) }
        }
        w.varint(rejectCount)
        if let rejects, rejectCount > 0 { rejects.write(to: &w) }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], fileSize: Int, context: String) throws(FormatError) -> RowSegmentFooter {
        var r = ByteReader(bytes, context: "\(context) footer")
        let columnCount = try r.count(limit: 1024)
        var names: [String] = []
        for _ in 0..<columnCount { names.append(try r.string()) }
        guard names == ColumnID.allCases.map(\.name) else {
            throw r.damaged("columns \(names) are not the version-1 columns")
        }
        let blockCount = try r.count(limit: r.remaining)
        var blocks: [BlockInfo] = []
        for _ in 0..<blockCount {
            let rows = try r.count()
            let minTime = Timestamp(ticks: try r.signedVarint())
            let maxTime = Timestamp(ticks: try r.signedVarint())
            var chunks: [ChunkRef] = []
            for _ in 0..<columnCount { chunks.append(try ChunkRef.read(from: &r, fileSize: fileSize)) }
            blocks.append(BlockInfo(rowCount: rows, minTime: minTime, maxTime: maxTime, columns: chunks))
        }
        let rejectCount = try r.count()
        let rejects = rejectCount > 0 ? try ChunkRef.read(from: &r, fileSize: fileSize) : nil
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the footer") }
        return RowSegmentFooter(columnNames: names, blocks: blocks, rejectCount: rejectCount, rejects: rejects)
    }

    package init(columnNames: [String], blocks: [BlockInfo], rejectCount: Int, rejects: ChunkRef?) {
        self.columnNames = columnNames
        self.blocks = blocks
        self.rejectCount = rejectCount
        self.rejects = rejects
    }
}
