import Synchronization
import SMSFormat
import SMSRecords
import SMSSupport

/// What the index says about one block, whatever the segment version.
package struct BlockSummary: Sendable {
    package var rowCount: Int
    package var minTime: Timestamp
    package var maxTime: Timestamp
    /// Phone numbers and MessageIds of the block (version 2; nil for version 1).
    package var filter: BloomFilter?
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
        case columnar(ColumnarFooter, [RenderedLayout])
    }

    private let footer: Footer
    private let file: FileReader
    /// False only for the segment fuzz target, so mutations reach the decoders behind the checksums.
    private let verifyChecksums: Bool
    /// Blocks decoded so far: lets tests and callers see what a scan touched.
    package var blocksRead: Int { readCount.withLock { $0 } }
    private let readCount = Mutex(0)

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
            footer = .columnar(columnar, columnar.layouts.map(RenderedLayout.init))
            blocks = columnar.blocks.map { BlockSummary(rowCount: $0.rowCount, minTime: $0.minTime, maxTime: $0.maxTime, filter: $0.filter) }
            rejectCount = columnar.rejectCount
        }
    }

    /// The record layouts of a version-2 segment.
    package var layouts: [RecordLayout] {
        if case .columnar(let f, _) = footer { return f.layouts }
        return []
    }

    /// The index entries of a version-2 segment's blocks (chunk sizes and encodings).
    package var columnarBlocks: [ColumnarBlockInfo] {
        if case .columnar(let f, _) = footer { return f.blocks }
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
    /// - Parameter columns: the columns to decode besides time and layout; nil
    ///   decodes all, as rebuilding JSON needs. Version-1 blocks always decode all.
    package func readBatch(_ index: Int, columns: Set<Int>? = nil) throws -> RecordBatch {
        readCount.withLock { $0 += 1 }
        switch footer {
        case .rows(let f): return try readRowBlock(f.blocks[index], index: index)
        case .columnar(let f, let layouts): return try readColumnarBlock(f.blocks[index], index: index, layouts: layouts, columns: columns)
        }
    }

    private func readColumnarBlock(_ block: ColumnarBlockInfo, index: Int, layouts: [RenderedLayout], columns wanted: Set<Int>?) throws -> RecordBatch {
        let context = "\(path): block \(index)"
        var refs: [Int: ColumnChunkRef] = [:]
        for ref in block.chunks {
            guard refs.updateValue(ref, forKey: ref.column) == nil else {
                throw FormatError.damaged("\(context): two chunks for column \(FieldSchema.columns[ref.column].name)")
            }
        }
        func load(_ ref: ColumnChunkRef) throws -> (raw: [UInt8], encoding: ChunkEncodingID, context: String) {
            let columnContext = "\(context) column \(FieldSchema.columns[ref.column].name)"
            let raw = try chunk(ref.chunk, context: columnContext)
            guard let encoding = ChunkEncodingID(rawValue: ref.chunk.encoding) else {
                throw FormatError.damaged("\(columnContext): unknown encoding \(ref.chunk.encoding)")
            }
            return (raw, encoding, columnContext)
        }

        // Time and layout first: the other columns' rows, row times and links depend on them.
        func essential(_ column: Int) throws -> [Int64] {
            guard let ref = refs[column] else { throw FormatError.damaged("\(context): time or layout column missing") }
            let (raw, encoding, columnContext) = try load(ref)
            return try ChunkDecoder.integers(raw, encoding: encoding, count: ref.valueCount, context: columnContext)
        }
        let times = try essential(FieldSchema.time), layoutIDs = try essential(FieldSchema.layout)
        guard times.count == block.rowCount, layoutIDs.count == block.rowCount else {
            throw FormatError.damaged("\(context): time or layout column of the wrong length")
        }
        for (row, t) in times.enumerated() {
            guard row == 0 || times[row - 1] <= t else {
                throw FormatError.damaged("\(context): rows out of time order at row \(row)")
            }
            guard t >= block.minTime.ticks, t <= block.maxTime.ticks else {
                throw FormatError.damaged("\(context): row \(row) time outside the block's range")
            }
            guard layoutIDs[row] >= 0, layoutIDs[row] < layouts.count else {
                throw FormatError.damaged("\(context): row \(row) has layout \(layoutIDs[row]) of \(layouts.count)")
            }
        }
        var rowIndexes: [Int: [Int32]] = [:]
        func rowIndex(_ column: Int) -> [Int32] {
            if let known = rowIndexes[column] { return known }
            let made = RecordBatch.rowIndex(column, layoutIDs: layoutIDs, layouts: layouts)
            rowIndexes[column] = made
            return made
        }

        var strings: [Int: StringChunk] = [:]
        var integers: [Int: [Int64]] = [:]
        var residuals: StringChunk?
        var combinedCounts: [Int: Int] = [:]
        var tupleIDs: [Int32]?
        if let ref = refs[FieldSchema.combined] {
            let (raw, encoding, columnContext) = try load(ref)
            guard encoding == .combined else {
                throw FormatError.damaged("\(columnContext): encoding \(encoding) cannot hold combined columns")
            }
            guard ref.valueCount == block.rowCount else {
                throw FormatError.damaged("\(columnContext): \(ref.valueCount) rows for a block of \(block.rowCount)")
            }
            let (columns, tuples) = try CombinedEncoding.decodeWithTuples(raw, rowCount: block.rowCount, context: columnContext)
            tupleIDs = tuples
            for (inner, values) in columns {
                guard refs[inner] == nil, combinedCounts[inner] == nil else {
                    throw FormatError.damaged("\(columnContext): column \(FieldSchema.columns[inner].name) stored twice")
                }
                switch values {
                case .strings(let v): strings[inner] = v; combinedCounts[inner] = v.count
                case .integers(let v): integers[inner] = v; combinedCounts[inner] = v.count
                }
            }
        }

        // Identifier chunks may be needed for other columns' links even when not asked for.
        var decodedStrings: [Int: StringChunk] = [:]
        var rowLinks: [Int32]?
        func links() throws -> [Int32] {
            if let rowLinks { return rowLinks }
            var sources: [(rowIndex: [Int32], repeatOf: [Int32]?)] = []
            for column in RowLinks.sourceColumns {
                sources.append((rowIndex(column), refs[column] == nil ? nil : try string(column).repeatOf))
            }
            let made = try RowLinks.rows(rowCount: block.rowCount, sources: sources, context: context)
            rowLinks = made
            return made
        }
        func string(_ column: Int) throws -> StringChunk {
            if let known = decodedStrings[column] { return known }
            let ref = refs[column]!
            let (raw, encoding, columnContext) = try load(ref)
            var inputs = ChunkDecoder.Inputs()
            if version >= SegmentVersion.linkedColumns {
                let index = rowIndex(column)
                if encoding == .rowIdentifiers {
                    let rows = index.indices.filter { index[$0] >= 0 }
                    let groups = IdentifierEncoding.rowGroups(layoutIDs: layoutIDs, tupleIDs: tupleIDs)
                    inputs.rows = IdentifierEncoding.Rows(times: rows.map { times[$0] }, groups: rows.map { groups[$0] })
                }
                if encoding == .linkedStrings {
                    guard !RowLinks.sourceColumns.contains(column) else {
                        throw FormatError.damaged("\(columnContext): a link column cannot be linked itself")
                    }
                    inputs.links = { RowLinks.values(rowLinks: try links(), rowIndex: index) }
                }
            }
            let made = try ChunkDecoder.strings(raw, encoding: encoding, count: ref.valueCount, inputs: inputs, context: columnContext)
            decodedStrings[column] = made
            return made
        }

        for ref in block.chunks where ref.column > FieldSchema.layout && ref.column != FieldSchema.combined {
            let column = ref.column
            if let wanted, !wanted.contains(column) { continue }
            switch FieldSchema.columns[column].type {
            case .integer:
                let (raw, encoding, columnContext) = try load(ref)
                integers[column] = try ChunkDecoder.integers(raw, encoding: encoding, count: ref.valueCount, context: columnContext)
            case .string:
                strings[column] = try string(column)
            case .residual:
                residuals = try string(column)
            default:
                throw FormatError.damaged("\(context): a chunk for column \(FieldSchema.columns[column].name)")
            }
        }
        let batch = RecordBatch(times: times, layoutIDs: layoutIDs, layouts: layouts, strings: strings, integers: integers, residuals: residuals)
        var counts = combinedCounts
        for ref in block.chunks where ref.column != FieldSchema.combined { counts[ref.column] = ref.valueCount }
        try checkCounts(batch, counts: counts, rowCount: block.rowCount, wanted: wanted, context: context)
        return batch
    }

    /// Every column must hold exactly as many values as the layouts of its rows call for.
    private func checkCounts(_ batch: RecordBatch, counts: [Int: Int], rowCount: Int, wanted: Set<Int>?, context: String) throws {
        for (column, count) in counts where column != FieldSchema.time && column != FieldSchema.layout {
            let index = batch.rowIndex(column)
            let expected = FieldSchema.isEffective(column)
                ? rowCount : index.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
            guard count == expected else {
                throw FormatError.damaged("\(context) column \(FieldSchema.columns[column].name): \(count) values for \(expected) rows")
            }
        }
        if wanted == nil {
            for column in FieldSchema.residual..<FieldSchema.combined where counts[column] == nil {
                guard batch.rowIndex(column).allSatisfy({ $0 < 0 }) || FieldSchema.isEffective(column) else {
                    throw FormatError.damaged("\(context): rows call for column \(FieldSchema.columns[column].name), which the block lacks")
                }
            }
        }
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
        return RecordBatch(builder.columns(of: Array(0..<rows)[...]), layouts: builder.layouts)
    }

    /// Every reject stored in the segment.
    package func readRejects() throws -> [Reject] {
        let ref: ChunkRef?
        switch footer {
        case .rows(let f): ref = f.rejects
        case .columnar(let f, _): ref = f.rejects
        }
        guard let ref else { return [] }
        let context = "\(path): rejects"
        return try RejectCodec.decode(try chunk(ref, context: context), count: rejectCount, context: context)
    }
}
