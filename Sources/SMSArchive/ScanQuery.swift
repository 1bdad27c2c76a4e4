import SMSRecords

/// What to read from an archive: a time range, equality predicates on
/// columns, and the columns needed.
///
/// Segments and blocks that the time range, the categories or the Bloom filters rule out are
/// neither read nor decompressed.
///
/// ```swift
/// var query = ScanQuery(from: Timestamp(queryBound: "2026-10-01T13:00"), to: Timestamp(queryBound: "2026-10-01T14:00"))
/// query.require(.phoneNumber, anyOf: ["+18334256463"])
/// try query.require("resultType", anyOf: ["Failed"])   // a name no column has throws
/// query.columns = [.country]                             // decode only what the code reads
/// ```
public struct ScanQuery: Sendable {
    /// Records at or after this time; nil: from the first record.
    public var from: Timestamp?
    /// Records before this time; nil: to the last record.
    public var to: Timestamp?
    /// Column position → accepted values; a record must match every column given (any of its values).
    package private(set) var predicates: [Int: Set<String>] = [:]
    /// The columns a batch decodes, besides those the predicates test; nil decodes every column,
    /// which `RecordBatch.record(row:)` and `writeJSON(row:to:)` need.
    public var columns: Set<Column>?
    /// Columns by position that the reader decodes as well (the residual, for fields outside the columns).
    package var alsoDecoded: Set<Int> = []

    /// A query for the records in `[from, to)`, with no other predicate.
    ///
    /// - Parameters:
    ///   - from: the first time included; nil for no lower bound.
    ///   - to: the first time excluded; nil for no upper bound.
    public init(from: Timestamp? = nil, to: Timestamp? = nil) {
        self.from = from
        self.to = to
    }

    /// Keeps only records whose `column` equals one of `values`. Called again for the same
    /// column, it accepts the values of both calls; for different columns, a record must match each.
    ///
    /// `PhoneNumber` and `MessageId` compare exactly; other columns ignore ASCII letter case.
    /// An integer column compares the values as decimal integers, and `Column.time` as times
    /// (ISO 8601, as `Timestamp(queryBound:)` reads them; for a range, set `from` and `to`).
    ///
    /// - Parameters:
    ///   - column: the column to test.
    ///   - values: the accepted values; a record without a value in `column` never matches.
    public mutating func require(_ column: Column, anyOf values: [String]) {
        predicates[column.position, default: []].formUnion(values)
    }

    /// `require(_:anyOf:)` for a column given by name, ignoring ASCII letter case.
    ///
    /// - Throws: `UnknownColumnError` when no column has that name.
    public mutating func require(_ name: String, anyOf values: [String]) throws(UnknownColumnError) {
        require(try Column(named: name), anyOf: values)
    }

    package static func caseSensitive(_ column: Int) -> Bool { FieldSchema.filtered.contains(column) }

    /// Whether a segment's time span and categories (from the manifest) may hold matches.
    package func mayMatch(_ segment: SegmentEntry) -> Bool {
        guard segment.records > 0, let minTime = segment.minTime, let maxTime = segment.maxTime else { return false }
        if let from, maxTime < from { return false }
        if let to, minTime >= to { return false }
        if let wanted = predicates[FieldSchema.category], !segment.categories.isEmpty {
            if !segment.categories.contains(where: { c in wanted.contains { asciiCaseInsensitiveEquals($0, c) } }) { return false }
        }
        return true
    }

    package func overlaps(_ block: BlockSummary) -> Bool {
        if let from, block.maxTime < from { return false }
        if let to, block.minTime >= to { return false }
        if let filter = block.filter {
            for (column, values) in predicates where FieldSchema.filtered.contains(column) {
                if !values.contains(where: { filter.mayContain(column: column, value: $0) }) { return false }
            }
        }
        return true
    }

    /// The rows of `batch` that match, in order.
    package func matchingRows(_ batch: RecordBatch) -> [Int] {
        var keep = [Bool](repeating: true, count: batch.count)
        for row in 0..<batch.count {
            let t = batch.times[row]
            if let from, t < from.ticks { keep[row] = false }
            if let to, t >= to.ticks { keep[row] = false }
        }
        for (column, values) in predicates {
            switch FieldSchema.columns[column].type {
            case .string:
                let (dictionary, ids) = batch.stringColumn(column)
                let exact = Self.caseSensitive(column)
                let accepted = dictionary.map { entry in
                    exact ? values.contains { $0.isIdentical(to: entry) } : values.contains { asciiCaseInsensitiveEquals($0, entry) }
                }
                for row in 0..<batch.count where keep[row] {
                    let id = ids[row]
                    if id < 0 || !accepted[Int(id)] { keep[row] = false }
                }
            case .integer:
                let wanted = Set(values.compactMap { Int64($0) })
                for row in 0..<batch.count where keep[row] {
                    guard let v = batch.integer(column, row: row), wanted.contains(v) else { keep[row] = false; continue }
                }
            case .time:
                let wanted = Set(values.compactMap { Timestamp(queryBound: $0)?.ticks })
                for row in 0..<batch.count where keep[row] && !wanted.contains(batch.times[row]) { keep[row] = false }
            default:
                break
            }
        }
        return keep.indices.filter { keep[$0] }
    }

    /// The columns a scan must decode: those asked for plus those the predicates test.
    package var decodedColumns: Set<Int>? {
        columns.map { Set($0.map(\.position)).union(predicates.keys).union(alsoDecoded) }
    }
}
