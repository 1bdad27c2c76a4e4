import SMSRecords

/// What to read from an archive: a time range, equality predicates on columns, and the columns to decode.
///
/// A query selects the records whose time lies in `[from, to)` and that satisfy every predicate
/// added with ``require(_:anyOf:)-(Column,_)``. The reader uses it to skip work: segments whose
/// time span or categories (from the manifest) cannot match, and blocks whose time span or Bloom
/// filters (for ``/SMSRecords/Column/phoneNumber``, ``/SMSRecords/Column/messageId`` and, in
/// archives written since segment version 5, ``/SMSRecords/Column/correlationId``) cannot match,
/// are neither read nor decompressed. ``columns`` limits the columns decoded in the blocks
/// that are read.
///
/// ```swift
/// var query = ScanQuery(from: Timestamp(queryBound: "2026-10-01T13:00"),
///                       to: Timestamp(queryBound: "2026-10-01T14:00"))
/// query.require(.phoneNumber, anyOf: ["+18334256463"])
/// try query.require("resultType", anyOf: ["Failed"])   // a name no column has throws
/// query.columns = [.country]                             // decode only what the code reads
/// ```
///
/// `ScanQuery()` selects every record and decodes every column.
public struct ScanQuery: Sendable {
    /// The start of the time range, included: records at or after this time; `nil` for no lower bound.
    public var from: Timestamp?
    /// The end of the time range, excluded: records before this time; `nil` for no upper bound.
    public var to: Timestamp?
    /// Column position → accepted values; a record must match every column given (any of its values).
    package private(set) var predicates: [Int: Set<String>] = [:]
    /// The columns that a batch decodes, besides those the predicates test; `nil` (the default)
    /// decodes every column.
    ///
    /// Times are always decoded. A column left out reads as having no values: ``RecordBatch/string(_:row:)``
    /// and ``RecordBatch/integer(_:row:)`` return `nil` for it. Rebuilding records needs every
    /// column: with a set here, ``RecordBatch/record(row:)``, ``RecordBatch/writeJSON(row:to:)``,
    /// ``RecordBatch/memberValue(named:row:)`` and ``RecordBatch/residualMembers(row:)`` throw
    /// ``/SMSSupport/FormatError/damaged(_:)`` for a row that uses a column that was not decoded.
    /// An empty set decodes only the times (and the columns the predicates test).
    public var columns: Set<Column>?
    /// Columns by position that the reader decodes as well (the residual, for fields outside the columns).
    package var alsoDecoded: Set<Int> = []

    /// A query for the records in `[from, to)`, with no other predicate, decoding every column.
    ///
    /// ``/SMSRecords/Timestamp/init(queryBound:)`` reads bounds as people write them, from a date
    /// alone (its midnight UTC) to a full ISO 8601 time.
    ///
    /// - Parameters:
    ///   - from: The first time included; `nil` for no lower bound.
    ///   - to: The first time excluded; `nil` for no upper bound.
    public init(from: Timestamp? = nil, to: Timestamp? = nil) {
        self.from = from
        self.to = to
    }

    /// Keeps only the records whose value in `column` equals one of `values`.
    ///
    /// Called again for the same column, it accepts the values of both calls; for different
    /// columns, a record must match each.
    ///
    /// ``/SMSRecords/Column/phoneNumber`` and ``/SMSRecords/Column/messageId`` compare exactly, byte
    /// for byte; other string columns ignore ASCII letter case. An integer column compares the values
    /// as decimal integers (a value that is not one matches nothing), and ``/SMSRecords/Column/time``
    /// as times, read as ``/SMSRecords/Timestamp/init(queryBound:)`` reads them; for a range of
    /// times, set ``from`` and ``to`` instead.
    ///
    /// ```swift
    /// var query = ScanQuery()
    /// query.require(.operationName, anyOf: ["SMSMessagesSent"])
    /// query.require(.country, anyOf: ["US", "CA"])   // sends to the US or Canada
    /// ```
    ///
    /// - Parameters:
    ///   - column: The column to test.
    ///   - values: The accepted values. A record without a value in `column` never matches, and an
    ///     empty list matches no record.
    public mutating func require(_ column: Column, anyOf values: [String]) {
        predicates[column.position, default: []].formUnion(values)
    }

    /// Keeps only the records whose value in the column named `name` equals one of `values`.
    ///
    /// The same as ``require(_:anyOf:)-(Column,_)`` with `try Column(named: name)`: the name is
    /// matched ignoring ASCII letter case. Useful for names that come from a user, such as a
    /// command-line option.
    ///
    /// - Parameters:
    ///   - name: A column name, such as `"PhoneNumber"` or `"resultType"` (see ``/SMSRecords/Column/all``).
    ///   - values: The accepted values, compared as ``require(_:anyOf:)-(Column,_)`` describes.
    /// - Throws: ``/SMSRecords/UnknownColumnError`` when no column has that name; the query is then unchanged.
    public mutating func require(_ name: String, anyOf values: [String]) throws(UnknownColumnError) {
        require(try Column(named: name), anyOf: values)
    }

    /// Phone numbers and identifiers compare exactly (base64 ids differ by letter case alone).
    package static func caseSensitive(_ column: Int) -> Bool { exactColumns.contains(column) }
    private static let exactColumns = Set([Column.phoneNumber, .messageId, .correlationId].map(\.position) + [FieldSchema.column(named: "RecordId")!])

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
            for (column, values) in predicates where block.filterColumns.contains(column) {
                if !values.contains(where: { filter.mayContain(column: column, value: $0) }) { return false }
            }
        }
        return true
    }

    /// Whether every row of `block` matches: no predicate but the time range, and the block inside it.
    package func coversWhole(_ block: BlockSummary) -> Bool {
        predicates.isEmpty && rangeCovers(block)
    }

    /// Whether every row of `block` lies in the time range (the index's span of the block; the
    /// decoder checks each row's time against it).
    package func rangeCovers(_ block: BlockSummary) -> Bool {
        if let from, block.minTime < from { return false }
        if let to, block.maxTime >= to { return false }
        return true
    }

    /// Whether a batch must decode its times: to test the time range or a time predicate, or
    /// because the columns asked for (all, when nil) include them.
    package var needsTimes: Bool {
        from != nil || to != nil || predicates[FieldSchema.time] != nil || columns.map { $0.contains(.time) } ?? true
    }

    /// The rows of `batch` that match, in order.
    package func matchingRows(_ batch: RecordBatch) -> [Int] {
        if predicates.isEmpty, from == nil, to == nil { return Array(0..<batch.count) }
        var keep = [Bool](repeating: true, count: batch.count)
        if from != nil || to != nil {
            for row in 0..<batch.count {
                let t = batch.times[row]
                if let from, t < from.ticks { keep[row] = false }
                if let to, t >= to.ticks { keep[row] = false }
            }
        }
        for (column, values) in predicates {
            switch FieldSchema.columns[column].type {
            case .string:
                let exact = Self.caseSensitive(column)
                if exact, let matches = batch.exactMatches(column, Array(values)) {
                    for row in 0..<batch.count where keep[row] && !matches[row] { keep[row] = false }
                    continue
                }
                let (dictionary, ids) = batch.stringColumn(column)
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
