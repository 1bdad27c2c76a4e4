import SMSRecords
import SMSSupport

/// The values of one columnar block (versions 2 to 4) as `BlockDecoder` gives them back: what
/// `BlockEncoder` was given, with string columns as chunks that format values when asked.
package struct DecodedBlock {
    /// Each row's time, in ticks, in time order.
    package var times: [Int64]
    /// Each row's index into the segment's layouts.
    package var layoutIDs: [Int64]
    /// The decoded string columns by position, the residual column excepted.
    package var strings: [Int: StringChunk]
    /// The decoded integer columns by position.
    package var integers: [Int: [Int64]]
    /// The residual members of the rows whose layout has some, when decoded.
    package var residuals: StringChunk?
    /// The row indexes (see `RowIndexes`) computed while decoding, by column.
    package var rowIndexes: [Int: [Int32]]
}

/// Decodes a columnar block: the mirror of `BlockEncoder`, one step per method.
///
/// Time and layout are decoded first, since the other columns' rows depend on them; then the
/// combined chunk, then each column asked for. A string column of version 4 may need other
/// columns to decode (`rowIdentifiers` needs each value's row time and group, `linkedStrings`
/// the rows linked by identifier repeats), so those are decoded, once, when first needed.
/// Every count, order and range is checked: damaged input throws `FormatError`, naming the block.
package final class BlockDecoder {
    private let block: ColumnarBlockInfo
    private let version: UInt32
    /// Per layout of the segment, bit c set when its rows have a value in column c (the residual's bit included).
    private let layoutMasks: [UInt64]
    private let context: String
    private let readChunk: (ChunkRef, String) throws -> [UInt8]
    private var refs: [Int: ColumnChunkRef] = [:]
    private var times: [Int64] = []
    private var layoutIDs: [Int64] = []
    private var tupleIDs: [Int32]?
    private var combinedColumns: [(column: Int, values: CombinedEncoding.Decoded)]?
    private var rowIndexes: [Int: [Int32]] = [:]
    private var decodedStrings: [Int: StringChunk] = [:]
    private var rowLinks: [Int32]?

    /// - Parameters:
    ///   - layoutMasks: per layout of the segment, its value mask (`RenderedLayout.valueMask`).
    ///   - context: names the block in errors, e.g. `"<path>: block 3"`.
    ///   - readChunk: the stored bytes of a chunk, checksum checked and decompressed.
    package init(_ block: ColumnarBlockInfo, version: UInt32, layoutMasks: [UInt64], context: String,
                 readChunk: @escaping (ChunkRef, String) throws -> [UInt8]) {
        self.block = block
        self.version = version
        self.layoutMasks = layoutMasks
        self.context = context
        self.readChunk = readChunk
    }

    /// Decodes the block.
    ///
    /// - Parameter wanted: the columns to decode besides time and layout; nil decodes every column.
    package func decode(columns wanted: Set<Int>?) throws -> DecodedBlock {
        for ref in block.chunks {
            guard refs.updateValue(ref, forKey: ref.column) == nil else {
                throw FormatError.damaged("\(context): two chunks for column \(FieldSchema.columns[ref.column].name)")
            }
        }
        times = try essential(FieldSchema.time)
        layoutIDs = try essential(FieldSchema.layout)
        try checkTimesAndLayouts()

        var strings: [Int: StringChunk] = [:]
        var integers: [Int: [Int64]] = [:]
        var residuals: StringChunk?
        // The combined chunk holds columns that have no chunk of their own: it is read when such a
        // column is wanted (or a row-identifier chunk needs its tuples, see `string`).
        var counts: [Int: Int] = [:]
        if wanted.map({ $0.contains { refs[$0] == nil } }) ?? true {
            counts = try decodeCombined(wanted: wanted, into: &strings, &integers)
        }
        for ref in block.chunks where ref.column > FieldSchema.layout && ref.column != FieldSchema.combined {
            let column = ref.column
            if let wanted, !wanted.contains(column) { continue }
            counts[column] = ref.valueCount
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
        try checkCounts(counts, wanted: wanted)
        return DecodedBlock(times: times, layoutIDs: layoutIDs, strings: strings, integers: integers,
                            residuals: residuals, rowIndexes: rowIndexes)
    }

    private func load(_ ref: ColumnChunkRef) throws -> (raw: [UInt8], encoding: ChunkEncodingID, context: String) {
        let columnContext = "\(context) column \(FieldSchema.columns[ref.column].name)"
        let raw = try readChunk(ref.chunk, columnContext)
        guard let encoding = ChunkEncodingID(rawValue: ref.chunk.encoding) else {
            throw FormatError.damaged("\(columnContext): unknown encoding \(ref.chunk.encoding)")
        }
        return (raw, encoding, columnContext)
    }

    /// The time or the layout column, which every block has.
    private func essential(_ column: Int) throws -> [Int64] {
        guard let ref = refs[column] else { throw FormatError.damaged("\(context): time or layout column missing") }
        let (raw, encoding, columnContext) = try load(ref)
        return try ChunkDecoder.integers(raw, encoding: encoding, count: ref.valueCount, context: columnContext)
    }

    private func checkTimesAndLayouts() throws {
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
            guard layoutIDs[row] >= 0, layoutIDs[row] < layoutMasks.count else {
                throw FormatError.damaged("\(context): row \(row) has layout \(layoutIDs[row]) of \(layoutMasks.count)")
            }
        }
    }

    /// For each row, its position among `column`'s values (-1: none), computed once.
    private func rowIndex(_ column: Int) -> [Int32] {
        if let known = rowIndexes[column] { return known }
        let made = RowIndexes.index(column, rowMasks: layoutIDs.map { layoutMasks[Int($0)] })
        rowIndexes[column] = made
        return made
    }

    /// The combined chunk, decoded once; nil when the block has none.
    private func combined() throws -> [(column: Int, values: CombinedEncoding.Decoded)]? {
        if let combinedColumns { return combinedColumns }
        guard let ref = refs[FieldSchema.combined] else { return nil }
        let (raw, encoding, columnContext) = try load(ref)
        guard encoding == .combined else {
            throw FormatError.damaged("\(columnContext): encoding \(encoding) cannot hold combined columns")
        }
        guard ref.valueCount == block.rowCount else {
            throw FormatError.damaged("\(columnContext): \(ref.valueCount) rows for a block of \(block.rowCount)")
        }
        let (columns, tuples) = try CombinedEncoding.decodeWithTuples(raw, rowCount: block.rowCount, context: columnContext)
        var seen = Set<Int>()
        for (inner, _) in columns {
            guard refs[inner] == nil, seen.insert(inner).inserted else {
                throw FormatError.damaged("\(columnContext): column \(FieldSchema.columns[inner].name) stored twice")
            }
        }
        tupleIDs = tuples
        combinedColumns = columns
        return columns
    }

    /// The wanted columns of the combined chunk, into `strings` and `integers`; returns their value counts.
    private func decodeCombined(wanted: Set<Int>?, into strings: inout [Int: StringChunk], _ integers: inout [Int: [Int64]]) throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for (inner, values) in try combined() ?? [] where wanted?.contains(inner) ?? true {
            switch values {
            case .strings(let v): strings[inner] = v; counts[inner] = v.count
            case .integers(let v): integers[inner] = v; counts[inner] = v.count
            }
        }
        return counts
    }

    /// The rows linked by identifier repeats (version 4's `linkedStrings` derive their values from them).
    private func links() throws -> [Int32] {
        if let rowLinks { return rowLinks }
        var sources: [(rowIndex: [Int32], repeatOf: [Int32]?)] = []
        for column in RowLinks.sourceColumns {
            sources.append((rowIndex(column), refs[column] == nil ? nil : try string(column).repeatOf))
        }
        let made = try RowLinks.rows(rowCount: block.rowCount, sources: sources, context: context)
        rowLinks = made
        return made
    }

    /// A string column (or the residual), decoded once: identifier columns may be needed for
    /// other columns' links even when not asked for.
    private func string(_ column: Int) throws -> StringChunk {
        if let known = decodedStrings[column] { return known }
        let ref = refs[column]!
        let (raw, encoding, columnContext) = try load(ref)
        var inputs = ChunkDecoder.Inputs()
        if version >= SegmentVersion.linkedColumns {
            let index = rowIndex(column)
            if encoding == .rowIdentifiers {
                let rows = index.indices.filter { index[$0] >= 0 }
                _ = try combined()   // its tuples group the rows
                let groups = IdentifierEncoding.rowGroups(layoutIDs: layoutIDs, tupleIDs: tupleIDs)
                inputs.rows = IdentifierEncoding.Rows(times: rows.map { times[$0] }, groups: rows.map { groups[$0] })
            }
            if encoding == .linkedStrings {
                guard !RowLinks.sourceColumns.contains(column) else {
                    throw FormatError.damaged("\(columnContext): a link column cannot be linked itself")
                }
                inputs.links = { RowLinks.values(rowLinks: try self.links(), rowIndex: index) }
            }
        }
        let made = try ChunkDecoder.strings(raw, encoding: encoding, count: ref.valueCount, inputs: inputs, context: columnContext)
        decodedStrings[column] = made
        return made
    }

    /// Every decoded column must hold exactly as many values as the layouts of its rows call for;
    /// with every column decoded, a column the rows call for must be there.
    private func checkCounts(_ counts: [Int: Int], wanted: Set<Int>?) throws {
        for (column, count) in counts where column != FieldSchema.time && column != FieldSchema.layout {
            let index = rowIndex(column)
            let expected = FieldSchema.isEffective(column) ? block.rowCount : index.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
            guard count == expected else {
                throw FormatError.damaged("\(context) column \(FieldSchema.columns[column].name): \(count) values for \(expected) rows")
            }
        }
        if wanted == nil {
            for column in FieldSchema.residual..<FieldSchema.combined where counts[column] == nil {
                guard rowIndex(column).allSatisfy({ $0 < 0 }) || FieldSchema.isEffective(column) else {
                    throw FormatError.damaged("\(context): rows call for column \(FieldSchema.columns[column].name), which the block lacks")
                }
            }
        }
    }
}
