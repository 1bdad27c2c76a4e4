import SMSRecords

/// What to read from an archive: a time range, equality predicates on
/// columns, and the columns needed.
///
/// ```swift
/// var query = ScanQuery(from: Timestamp(queryBound: "2026-10-01T13:00"), to: Timestamp(queryBound: "2026-10-01T14:00"))
/// query.require("PhoneNumber", anyOf: ["+18334256463"])
/// ```
public struct ScanQuery: Sendable {
    /// Records at or after this time.
    public var from: Timestamp?
    /// Records before this time.
    public var to: Timestamp?
    /// Column position → accepted values; a record must match every column given (any of its values).
    public private(set) var predicates: [Int: Set<String>] = [:]
    /// The columns to decode; nil decodes every column (needed to rebuild JSON).
    public var columns: Set<Int>?

    public init(from: Timestamp? = nil, to: Timestamp? = nil) {
        self.from = from
        self.to = to
    }

    /// Keeps only records whose `column` equals one of `values`. Phone numbers and
    /// MessageIds compare exactly; other columns ignore ASCII letter case.
    public mutating func require(_ column: String, anyOf values: [String]) {
        guard let position = FieldSchema.columns.firstIndex(where: { asciiCaseInsensitiveEquals($0.name, column) }) else {
            preconditionFailure("no column named \(column)")
        }
        predicates[position, default: []].formUnion(values)
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
            default:
                break
            }
        }
        return keep.indices.filter { keep[$0] }
    }

    /// The columns a scan must decode: those asked for plus those the predicates test.
    package var decodedColumns: Set<Int>? {
        columns.map { $0.union(predicates.keys) }
    }
}
