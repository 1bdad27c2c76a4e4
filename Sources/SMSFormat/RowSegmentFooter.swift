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

    /// - Parameter what: names the chunk in errors, e.g. `"block 3 column time"`.
    package static func read(from r: inout ByteReader, fileSize: Int, what: String) throws(FormatError) -> ChunkRef {
        let encoding = try r.byte()
        guard let compression = ChunkCompression(rawValue: try r.byte()) else { throw r.damaged("\(what): unknown compression") }
        let offset = try r.count(limit: fileSize)
        let stored = try r.count(limit: fileSize - offset)
        // Decoders allocate what this says: bounded here, whatever the checksum says (a crafted file can have a right one).
        let raw = try r.varint()
        guard raw <= UInt64(SegmentLayout.maxChunkBytes) else {
            throw r.damaged("\(what): \(raw) bytes decompressed, over the format's limit of \(SegmentLayout.maxChunkBytes)")
        }
        guard compression != .none || Int(raw) == stored else {
            throw r.damaged("\(what): \(raw) bytes from \(stored) stored uncompressed")
        }
        return ChunkRef(encoding: encoding, compression: compression, offset: offset, storedLength: stored,
                        rawLength: Int(raw), checksum: try r.uint64())
    }
}

/// The count and chunk of a segment's rejects, at the end of every footer version.
func readRejects(from r: inout ByteReader, fileSize: Int) throws(FormatError) -> (count: Int, chunk: ChunkRef?) {
    let count = try r.count()
    guard count > 0 else { return (0, nil) }
    let chunk = try ChunkRef.read(from: &r, fileSize: fileSize, what: "rejects")
    // Each reject takes at least 4 bytes (four lengths and a line number), so no more can be in the chunk.
    guard count <= chunk.rawLength / 4 else { throw r.damaged("\(count) rejects in a chunk of \(chunk.rawLength) bytes") }
    return (count, chunk)
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
        for index in 0..<blockCount {
            let rows = try r.varint()
            guard rows <= UInt64(SegmentLayout.maxBlockRows) else {
                throw r.damaged("block \(index) has \(rows) rows, over the format's limit of \(SegmentLayout.maxBlockRows)")
            }
            let minTime = Timestamp(ticks: try r.signedVarint())
            let maxTime = Timestamp(ticks: try r.signedVarint())
            var chunks: [ChunkRef] = []
            for column in ColumnID.allCases {
                chunks.append(try ChunkRef.read(from: &r, fileSize: fileSize, what: "block \(index) column \(column.name)"))
            }
            blocks.append(BlockInfo(rowCount: Int(rows), minTime: minTime, maxTime: maxTime, columns: chunks))
        }
        let (rejectCount, rejects) = try readRejects(from: &r, fileSize: fileSize)
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
