import SMSFormat
import SMSRecords
import SMSSupport

/// What the index says about one block, whatever the segment version.
package struct BlockSummary: Sendable {
    package var rowCount: Int
    package var minTime: Timestamp
    package var maxTime: Timestamp
    /// Phone numbers and MessageIds of the block, from version 5 also correlationIds (nil for version 1).
    package var filter: BloomFilter?
    /// The columns whose values `filter` holds.
    package var filterColumns: [Int] = []
}

/// Reads a segment file of any readable version: checks its header, trailer and
/// footer on open, then reads and checks only the chunks asked for.
package final class SegmentReader: Sendable {
    package let path: String
    package let version: UInt32
    package let blocks: [BlockSummary]
    package let rejectCount: Int
    /// Bytes of the file.
    package let size: Int

    private enum Footer {
        case rows(RowSegmentFooter)
        case columnar(ColumnarFooter, [RenderedLayout], masks: [UInt64])
    }

    private let footer: Footer
    private let file: FileReader
    /// False only for the segment fuzz target, so mutations reach the decoders behind the checksums.
    private let verifyChecksums: Bool
    /// The blocks decoded so far, each counted once however often it was: lets tests and callers see
    /// what a scan touched.
    package var blocksRead: Int { blocksDecoded.withLock { $0.count } }
    private let blocksDecoded = LockedValue(Set<Int>())

    package convenience init(path: String) throws {
        try self.init(path: path, verifyChecksums: true)
    }

    package init(path: String, verifyChecksums: Bool) throws {
        self.path = path
        self.verifyChecksums = verifyChecksums
        file = try FileReader(path)
        size = file.size
        let minimum = SegmentLayout.headerSize + SegmentLayout.trailerSize
        guard file.size >= minimum else {
            throw FormatError.damaged("\(path): \(file.size) bytes, too short to be a segment (truncated?)")
        }
        let header = try file.read(at: 0, count: SegmentLayout.headerSize)
        guard Array(header[0..<8]) == SegmentLayout.magic else {
            throw FormatError.damaged("\(path): wrong magic number at the start; not a segment file")
        }
        var hr = ByteReader(header, context: path, range: 8..<16)
        version = try hr.uint32()
        guard try hr.uint32() == 0 else { throw FormatError.damaged("\(path): reserved header bytes are not zero") }
        guard SegmentLayout.readableVersions.contains(version) else {
            throw FormatError.unsupportedVersion("\(path): segment version \(version); this build reads \(SegmentLayout.readableVersions)")
        }
        let trailer = try file.read(at: file.size - SegmentLayout.trailerSize, count: SegmentLayout.trailerSize)
        guard Array(trailer[12..<20]) == SegmentLayout.magic else {
            throw FormatError.damaged("\(path): wrong magic number at the end (truncated or not a segment)")
        }
        var tr = ByteReader(trailer, context: "\(path) trailer")
        let footerLength = Int(try tr.uint32())
        let footerHash = try tr.uint64()
        let footerStart = file.size - SegmentLayout.trailerSize - footerLength
        guard footerStart >= SegmentLayout.headerSize else {
            throw FormatError.damaged("\(path): footer length \(footerLength) does not fit the file")
        }
        let footerBytes = try file.read(at: footerStart, count: footerLength)
        guard xxh64(footerBytes) == footerHash || !verifyChecksums else {
            throw FormatError.damaged("\(path): footer checksum mismatch")
        }
        if version == SegmentVersion.rowDocuments {
            let rows = try RowSegmentFooter.decode(footerBytes, fileSize: footerStart, context: path)
            footer = .rows(rows)
            blocks = rows.blocks.map { BlockSummary(rowCount: $0.rowCount, minTime: $0.minTime, maxTime: $0.maxTime, filter: nil) }
            rejectCount = rows.rejectCount
        } else {
            let columnar = try ColumnarFooter.decode(footerBytes, fileSize: footerStart, version: version, context: path)
            let rendered = columnar.layouts.map(RenderedLayout.init)
            footer = .columnar(columnar, rendered, masks: rendered.map(\.valueMask))
            let filtered = FieldSchema.filtered(version: version)
            blocks = columnar.blocks.map {
                BlockSummary(rowCount: $0.rowCount, minTime: $0.minTime, maxTime: $0.maxTime, filter: $0.filter, filterColumns: filtered)
            }
            rejectCount = columnar.rejectCount
        }
    }

    /// The record layouts of a version-2 segment.
    package var layouts: [RecordLayout] {
        if case .columnar(let f, _, _) = footer { return f.layouts }
        return []
    }

    /// The index entries of a version-2 segment's blocks (chunk sizes and encodings).
    package var columnarBlocks: [ColumnarBlockInfo] {
        if case .columnar(let f, _, _) = footer { return f.blocks }
        return []
    }

    /// The stored bytes of a chunk, checksum verified, decompressed.
    package func chunk(_ ref: ChunkRef, context: String) throws -> [UInt8] {
        let stored = try file.read(at: ref.offset, count: ref.storedLength)
        guard stored.count == ref.storedLength else {
            throw FormatError.damaged("\(context): chunk runs past the end of the file")
        }
        guard xxh64(stored) == ref.checksum || !verifyChecksums else {
            throw FormatError.damaged("\(context): checksum mismatch")
        }
        switch ref.compression {
        case .none: return stored
        case .zstd: return try Zstd.decompress(stored, expectedSize: ref.rawLength, context: context)
        }
    }

    /// Reads and decodes block `index`.
    ///
    /// - Parameters:
    ///   - columns: the columns to decode; nil decodes all, as rebuilding JSON needs. Version-1
    ///     blocks always decode all.
    ///   - times: whether to decode the time column (always, when `columns` is nil).
    package func readBatch(_ index: Int, columns: Set<Int>? = nil, times: Bool = true) throws -> RecordBatch {
        blocksDecoded.withLock { _ = $0.insert(index) }
        switch footer {
        case .rows(let f): return try readRowBlock(f.blocks[index], index: index)
        case .columnar(let f, let layouts, let masks):
            return try readColumnarBlock(f.blocks[index], index: index, layouts: layouts, masks: masks, columns: columns, times: times)
        }
    }

    /// The chunks read so far (row links and rejects aside), by column position, each counted as
    /// often as it was read: lets tests see that a column read touched no other column.
    package var chunkReads: [Int: Int] { chunksRead.withLock { $0 } }
    private let chunksRead = LockedValue([Int: Int]())

    private func readColumnarBlock(_ block: ColumnarBlockInfo, index: Int, layouts: [RenderedLayout], masks: [UInt64],
                                   columns wanted: Set<Int>?, times: Bool) throws -> RecordBatch {
        let decoder = blockDecoder(block, index: index, masks: masks)
        return batch(try decoder.decode(columns: wanted, times: times), decoder, layouts: layouts, complete: wanted == nil)
    }

    private func blockDecoder(_ block: ColumnarBlockInfo, index: Int, masks: [UInt64]) -> BlockDecoder {
        let columnOfChunk = Dictionary(block.chunks.map { ($0.chunk.offset, $0.column) }, uniquingKeysWith: { a, _ in a })
        return BlockDecoder(block, version: version, layoutMasks: masks, context: "\(path): block \(index)") { [self] ref, context in
            if let column = columnOfChunk[ref.offset] { chunksRead.withLock { $0[column, default: 0] += 1 } }
            return try chunk(ref, context: context)
        }
    }

    private func batch(_ decoded: DecodedBlock, _ decoder: BlockDecoder, layouts: [RenderedLayout], complete: Bool) -> RecordBatch {
        RecordBatch(count: decoded.rowCount, times: decoded.times, timeSource: { try decoder.rowTimes() },
                    layoutIDs: decoded.layoutIDs ?? [], layouts: layouts,
                    strings: decoded.strings, integers: decoded.integers, residuals: decoded.residuals,
                    rowIndexes: decoded.rowIndexes, isComplete: complete)
    }

    /// Block `index`'s rows that `matching` selects, and a batch holding them: the `tested` columns
    /// (and the times) are decoded first and `matching` is given that batch; a block without a
    /// matching row is decoded no further. Then the `columns` (nil: all) are decoded, reusing what
    /// was decoded; when the matching rows are a few of the block's, the batch holds those rows
    /// alone (`RecordBatch.selecting`; rows are then `0..<count`), the combined chunk's values
    /// looked up for them alone. `tested` nil: the whole block is decoded at once.
    package func readMatching(_ index: Int, tested: Set<Int>?, columns: Set<Int>?,
                              matching: (RecordBatch) -> [Int]) throws -> (batch: RecordBatch, rows: [Int]) {
        guard case .columnar(let f, let layouts, let masks) = footer, let tested else {
            let batch = try readBatch(index, columns: columns)
            let rows = matching(batch)
            if !rows.isEmpty, batch.shouldSelect(rows.count) { return (batch.selecting(rows: rows), Array(rows.indices)) }
            return (batch, rows)
        }
        blocksDecoded.withLock { _ = $0.insert(index) }
        let decoder = blockDecoder(f.blocks[index], index: index, masks: masks)
        let first = batch(try decoder.decode(columns: tested), decoder, layouts: layouts, complete: false)
        let rows = matching(first)
        guard !rows.isEmpty else { return (first, []) }
        if first.shouldSelect(rows.count) {
            let decoded = try decoder.decode(columns: columns, selectedRows: rows)
            let whole = batch(decoded, decoder, layouts: layouts, complete: columns == nil)
            return (whole.selecting(rows: rows, combined: decoded.combinedForRows), Array(rows.indices))
        }
        return (batch(try decoder.decode(columns: columns), decoder, layouts: layouts, complete: columns == nil), rows)
    }

    private func readRowBlock(_ block: BlockInfo, index: Int) throws -> RecordBatch {
        let context = "\(path): block \(index)"
        func column(_ id: ColumnID, _ expected: ColumnEncoding) throws -> [UInt8] {
            let ref = block.columns[id.rawValue]
            let columnContext = "\(context) column \(id.name)"
            guard ref.encoding == expected.rawValue else {
                throw FormatError.damaged("\(columnContext): unknown encoding \(ref.encoding)")
            }
            return try chunk(ref, context: columnContext)
        }
        let rows = block.rowCount
        let times = try RowDocumentCodecs.decodeDeltaVarint(try column(.time, .deltaVarint), rows: rows, context: "\(context) time")
        let categories = try RowDocumentCodecs.decodeDictionary(try column(.category, .dictionary), rows: rows, context: "\(context) category")
        let resources = try RowDocumentCodecs.decodeDictionary(try column(.resource, .dictionary), rows: rows, context: "\(context) resource")
        let documents = try RowDocumentCodecs.decodePlainBytes(try column(.document, .plainBytes), rows: rows, context: "\(context) document")
        // Version-1 blocks hold JSON text: take each record apart as the writer would.
        let builder = SegmentBuilder()
        for i in 0..<rows {
            let time = Timestamp(ticks: times[i])
            guard time >= block.minTime, time <= block.maxTime else {
                throw FormatError.damaged("\(context): row \(i) time outside the block's range")
            }
            guard case .object(let object) = try? JSONParser.parseDocument(Array(documents[i])) else {
                throw FormatError.damaged("\(context): row \(i) is not a JSON object")
            }
            builder.add(Record(object: object, time: time, category: categories[i], resourceId: resources[i]))
        }
        // Nothing made a version-1 writer's rows be in time order: sorted here (ties in stored order), as scans need.
        return RecordBatch(builder.columns(of: builder.sortedOrder()[...]), layouts: builder.layouts)
    }

    /// Every reject stored in the segment.
    package func readRejects() throws -> [Reject] {
        let ref: ChunkRef?
        switch footer {
        case .rows(let f): ref = f.rejects
        case .columnar(let f, _, _): ref = f.rejects
        }
        guard let ref else { return [] }
        let context = "\(path): rejects"
        return try RejectCodec.decode(try chunk(ref, context: context), count: rejectCount, context: context)
    }
}
