import SMSRecords
import SMSSupport

/// The values of one columnar block (versions 2 to 5) as `BlockDecoder` gives them back: what
/// `BlockEncoder` was given, with string columns as chunks that format values when asked.
package struct DecodedBlock {
    package var rowCount: Int
    /// Each row's time, in ticks, in time order; nil when not decoded.
    package var times: [Int64]?
    /// Each row's index into the segment's layouts; nil when not decoded (no column needed it).
    package var layoutIDs: [Int64]?
    /// The decoded string columns by position, the residual column excepted.
    package var strings: [Int: StringChunk]
    /// The decoded integer columns by position.
    package var integers: [Int: [Int64]]
    /// The residual members of the rows whose layout has some, when decoded.
    package var residuals: StringChunk?
    /// The row indexes (see `RowIndexes`) computed while decoding, by column.
    package var rowIndexes: [Int: [Int32]]
    /// When decoded for some rows (`decode(columns:selectedRows:)`): the combined chunk's columns,
    /// each as its dictionary and, per selected row, its entry (-1: none); these columns are not
    /// in `strings` and `integers`.
    package var combinedForRows: [(column: Int, entries: CombinedEncoding.Values, entryOfRow: [Int32])] = []
}

/// Decodes a columnar block: the mirror of `BlockEncoder`, one step per method.
///
/// Only what is asked for is read: a column's chunk, and what it needs to be placed in its rows:
/// the layout column (which rows have a value), for `linkedStrings` and kind-7 identifiers the
/// block's row links (version 5: their own chunk; version 4: derived from the identifier
/// chunks' repeats), for `rowIdentifiers` the times and the combined chunk's tuples. Times are
/// decoded when asked for. Every count, order and range that is read is checked: damaged input
/// throws `FormatError`, naming the block.
package final class BlockDecoder {
    private let block: ColumnarBlockInfo
    private let version: UInt32
    /// Per layout of the segment, bit c set when its rows have a value in column c (the residual's bit included).
    private let layoutMasks: [UInt64]
    private let context: String
    private let readChunk: (ChunkRef, String) throws -> [UInt8]
    private var refs: [Int: ColumnChunkRef] = [:]
    private var decodedTimes: [Int64]?
    private var decodedLayouts: [Int64]?
    /// Per column, how many rows have a value, from the layouts.
    private var valueCounts: [Int]?
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
    /// - Parameters:
    ///   - wanted: the columns to decode; nil decodes every column (and the times and layouts).
    ///   - times: whether to decode the time column.
    ///   - selectedRows: when given (ascending rows), the combined chunk's columns are placed for
    ///     these rows alone, in `combinedForRows` (the other columns whole): a scan that keeps a few
    ///     rows of a block does not place every row's value of every combined column.
    ///
    /// A decoder may decode again, with more columns: what it decoded before is reused (a scan
    /// decodes the columns its predicates test, then the others for a block with matching rows).
    package func decode(columns wanted: Set<Int>?, times: Bool = true, selectedRows: [Int]? = nil) throws -> DecodedBlock {
        if refs.isEmpty {
            for ref in block.chunks {
                guard refs.updateValue(ref, forKey: ref.column) == nil else {
                    throw FormatError.damaged("\(context): two chunks for column \(FieldSchema.columns[ref.column].name)")
                }
            }
        }
        guard refs[FieldSchema.time] != nil, refs[FieldSchema.layout] != nil else {
            throw FormatError.damaged("\(context): time or layout column missing")
        }
        if times || wanted == nil { _ = try rowTimes() }
        // The residual's members are placed by the layouts (and so are values written in another form).
        if wanted?.contains(FieldSchema.residual) ?? true { _ = try layouts() }

        var strings: [Int: StringChunk] = [:]
        var integers: [Int: [Int64]] = [:]
        var residuals: StringChunk?
        // The combined chunk holds columns that have no chunk of their own: it is read when such a
        // column is wanted (or a row-identifier chunk needs its tuples, see `string`).
        var counts: [Int: Int] = [:]
        var forRows: [(column: Int, entries: CombinedEncoding.Values, entryOfRow: [Int32])] = []
        if wanted.map({ $0.contains { $0 > FieldSchema.layout && refs[$0] == nil } }) ?? true {
            if let selectedRows {
                for (column, entries, entryOfRow, valueCount) in try combinedForRows(wanted, selectedRows) {
                    forRows.append((column, entries, entryOfRow))
                    counts[column] = valueCount
                }
            } else {
                counts = try decodeCombined(wanted: wanted, into: &strings, &integers)
            }
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
        return DecodedBlock(rowCount: block.rowCount, times: decodedTimes, layoutIDs: decodedLayouts, strings: strings,
                            integers: integers, residuals: residuals, rowIndexes: rowIndexes, combinedForRows: forRows)
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
        let values = try ChunkDecoder.integers(raw, encoding: encoding, count: ref.valueCount, context: columnContext)
        guard values.count == block.rowCount else {
            throw FormatError.damaged("\(context): time or layout column of the wrong length")
        }
        return values
    }

    /// The rows' times, decoded and checked once (also after `decode`, for a batch that did not ask for them).
    package func rowTimes() throws -> [Int64] {
        if let decodedTimes { return decodedTimes }
        let times = try essential(FieldSchema.time)
        for (row, t) in times.enumerated() {
            guard row == 0 || times[row - 1] <= t else {
                throw FormatError.damaged("\(context): rows out of time order at row \(row)")
            }
            guard t >= block.minTime.ticks, t <= block.maxTime.ticks else {
                throw FormatError.damaged("\(context): row \(row) time outside the block's range")
            }
        }
        decodedTimes = times
        return times
    }

    /// The rows' layout ids, decoded and checked once.
    private func layouts() throws -> [Int64] {
        if let decodedLayouts { return decodedLayouts }
        let layoutIDs = try essential(FieldSchema.layout)
        // Checked and counted in one pass: the counts give each column's number of values.
        var perLayout = [Int](repeating: 0, count: layoutMasks.count)
        for (row, id) in layoutIDs.enumerated() {
            guard id >= 0, id < layoutMasks.count else {
                throw FormatError.damaged("\(context): row \(row) has layout \(id) of \(layoutMasks.count)")
            }
            perLayout[Int(id)] += 1
        }
        var perColumn = [Int](repeating: 0, count: FieldSchema.columns.count)
        for (layout, rows) in perLayout.enumerated() where rows > 0 {
            for c in perColumn.indices where layoutMasks[layout] & (1 << UInt64(c)) != 0 { perColumn[c] += rows }
        }
        valueCounts = perColumn
        decodedLayouts = layoutIDs
        return layoutIDs
    }

    /// For each row, its position among `column`'s values (-1: none), computed once.
    /// A column whose chunk holds a value for every row needs no layouts: its values are the rows'
    /// (a full decode still checks that the layouts agree).
    private func rowIndex(_ column: Int) throws -> [Int32] {
        if let known = rowIndexes[column] { return known }
        let made = FieldSchema.isEffective(column) || refs[column]?.valueCount == block.rowCount
            ? (0..<Int32(block.rowCount)).map { $0 }
            : RowIndexes.index(column, layoutIDs: try layouts(), layoutMasks: layoutMasks)
        rowIndexes[column] = made
        return made
    }

    /// How many rows have a value in `column`: every row for the effective columns, else the rows
    /// whose layout has the column (counted per layout, not per row and column).
    private func valueCount(_ column: Int) throws -> Int {
        if FieldSchema.isEffective(column) { return block.rowCount }
        if valueCounts == nil { _ = try layouts() }
        return valueCounts![column]
    }

    /// The combined chunk, decoded once with the values of the `wanted` columns placed (nil: all);
    /// nil when the block has none.
    private func combined(_ wanted: Set<Int>? = []) throws -> [(column: Int, values: CombinedEncoding.Decoded)]? {
        if let combinedColumns, let placed = combinedWanted {
            // Decoded before: enough when it placed every column, or those wanted now.
            guard let placed else { return combinedColumns }
            if let wanted, wanted.isSubset(of: placed) { return combinedColumns }
        }
        guard let made = try decodeCombinedChunk(wanted, rows: nil) else { return nil }
        combinedColumns = made.columns
        combinedWanted = .some(wanted)
        return made.columns
    }

    /// The combined chunk's `wanted` columns placed for `rows` alone (see `decode`), with how many
    /// rows of the block have a value in each; empty when the block has no combined chunk.
    private func combinedForRows(_ wanted: Set<Int>?, _ rows: [Int]) throws -> [(column: Int, entries: CombinedEncoding.Values, entryOfRow: [Int32], valueCount: Int)] {
        guard let made = try decodeCombinedChunk(wanted, rows: rows) else { return [] }
        // Its tuple ids serve the identifier columns' row groups: no other column was placed.
        if combinedColumns == nil {
            combinedColumns = []
            combinedWanted = .some([])
        }
        return made.forRows
    }

    /// Reads, checks and decodes the combined chunk (see `CombinedEncoding.decodeSelected`); nil
    /// when the block has none.
    private func decodeCombinedChunk(_ wanted: Set<Int>?, rows: [Int]?) throws -> CombinedEncoding.Selected? {
        guard let ref = refs[FieldSchema.combined] else { return nil }
        let (raw, encoding, columnContext) = try load(ref)
        guard encoding == .combined else {
            throw FormatError.damaged("\(columnContext): encoding \(encoding) cannot hold combined columns")
        }
        guard ref.valueCount == block.rowCount else {
            throw FormatError.damaged("\(columnContext): \(ref.valueCount) rows for a block of \(block.rowCount)")
        }
        if let rows, let last = rows.last, last >= block.rowCount || rows.first! < 0 {
            throw FormatError.damaged("\(columnContext): row \(last) selected of \(block.rowCount)")
        }
        let made = try CombinedEncoding.decodeSelected(raw, rowCount: block.rowCount, context: columnContext, wanted: wanted, rows: rows)
        var seen = Set<Int>()
        for inner in made.stored {
            guard refs[inner] == nil, seen.insert(inner).inserted else {
                throw FormatError.damaged("\(columnContext): column \(FieldSchema.columns[inner].name) stored twice")
            }
        }
        tupleIDs = made.tupleIDs
        return made
    }
    /// The columns whose values `combinedColumns` holds (nil inside: all), once decoded.
    private var combinedWanted: Set<Int>??

    /// The wanted columns of the combined chunk, into `strings` and `integers`; returns their value counts.
    private func decodeCombined(wanted: Set<Int>?, into strings: inout [Int: StringChunk], _ integers: inout [Int: [Int64]]) throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for (inner, values) in try combined(wanted) ?? [] where wanted?.contains(inner) ?? true {
            switch values {
            case .strings(let v): strings[inner] = v; counts[inner] = v.count
            case .integers(let v): integers[inner] = v; counts[inner] = v.count
            }
        }
        return counts
    }

    /// The raw bytes of a version-5 block's row links chunk, read once; nil when it has none.
    private func linkBytes() throws -> [UInt8]? {
        if let rawLinks { return rawLinks }
        guard let ref = block.links else { return nil }
        let linksContext = "\(context) row links"
        guard ref.encoding == RowLinkEncoding.encodingID else {
            throw FormatError.damaged("\(linksContext): unknown encoding \(ref.encoding)")
        }
        let bytes = try readChunk(ref, linksContext)
        rawLinks = bytes
        return bytes
    }
    private var rawLinks: [UInt8]?

    /// Each row's linked row or -1: version 5 stores them in the block's row links chunk (none: no
    /// row has a link); version 4's `linkedStrings` derive them from the identifier chunks' repeats.
    private func links() throws -> [Int32] {
        if let rowLinks { return rowLinks }
        let made: [Int32]
        if version >= SegmentVersion.columnsAlone {
            if let bytes = try linkBytes() {
                made = try RowLinkEncoding.decode(bytes, rowCount: block.rowCount, context: "\(context) row links")
            } else {
                made = [Int32](repeating: -1, count: block.rowCount)
            }
        } else {
            var sources: [(rowIndex: [Int32], repeatOf: [Int32]?)] = []
            for column in RowLinks.sourceColumns {
                sources.append((try rowIndex(column), refs[column] == nil ? nil : try string(column).repeatOf))
            }
            made = try RowLinks.rows(rowCount: block.rowCount, sources: sources, context: context)
        }
        rowLinks = made
        return made
    }

    /// Each row's group for the `rowIdentifiers` form (layout and combined tuple), made once for
    /// the block's identifier columns.
    private func identifierGroups() throws -> [Int32] {
        if let groups { return groups }
        _ = try combined()   // its tuples group the rows
        let made = IdentifierEncoding.rowGroups(layoutIDs: try layouts(), tupleIDs: tupleIDs)
        groups = made
        return made
    }
    private var groups: [Int32]?

    /// A string column (or the residual), decoded once: in version 4, identifier columns may be
    /// needed for other columns' links even when not asked for.
    private func string(_ column: Int) throws -> StringChunk {
        if let known = decodedStrings[column] { return known }
        let ref = refs[column]!
        let (raw, encoding, columnContext) = try load(ref)
        var inputs = ChunkDecoder.Inputs()
        if version >= SegmentVersion.linkedColumns {
            if encoding == .rowIdentifiers {
                let index = try rowIndex(column)
                let groups = try identifierGroups()
                let times = try rowTimes()
                var valueTimes: [Int64] = [], valueGroups: [Int32] = []
                valueTimes.reserveCapacity(ref.valueCount)
                valueGroups.reserveCapacity(ref.valueCount)
                for row in index.indices where index[row] >= 0 {
                    valueTimes.append(times[row])
                    valueGroups.append(groups[row])
                }
                inputs.rows = IdentifierEncoding.Rows(times: valueTimes, groups: valueGroups)
            }
            if encoding == .linkedStrings {
                guard !RowLinks.sourceColumns.contains(column) else {
                    throw FormatError.damaged("\(columnContext): a link column cannot be linked itself")
                }
                if version >= SegmentVersion.columnsAlone {
                    inputs.storedLinks = { (try self.linkBytes(), try self.rowIndex(column), "\(self.context) row links") }
                } else {
                    inputs.links = { RowLinks.values(rowLinks: try self.links(), rowIndex: try self.rowIndex(column)) }
                }
            }
            // Version 5 identifiers may repeat their row's linked value (kind 7).
            if version >= SegmentVersion.columnsAlone, encoding == .identifiers || encoding == .rowIdentifiers {
                inputs.identifierLinks = { RowLinks.values(rowLinks: try self.links(), rowIndex: try self.rowIndex(column)) }
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
            // A value for every row: read without the layouts unless they were needed anyway.
            if wanted != nil, count == block.rowCount, decodedLayouts == nil { continue }
            let expected = try valueCount(column)
            guard count == expected else {
                throw FormatError.damaged("\(context) column \(FieldSchema.columns[column].name): \(count) values for \(expected) rows")
            }
        }
        if wanted == nil {
            for column in FieldSchema.residual..<FieldSchema.combined where counts[column] == nil {
                guard try valueCount(column) == 0 || FieldSchema.isEffective(column) else {
                    throw FormatError.damaged("\(context): rows call for column \(FieldSchema.columns[column].name), which the block lacks")
                }
            }
        }
    }
}
