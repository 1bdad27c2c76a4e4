import SMSRecords
import SMSArchive
import SMSExport

/// One `--by` field of `stats`: a column, or the UTC day or hour of the record's time.
enum GroupKey: Equatable {
    case column(Column)
    case day
    case hour

    /// The name printed in headers: the column's own spelling, or `day` / `hour`.
    var name: String {
        switch self {
        case .column(let column): return column.name
        case .day: return "day"
        case .hour: return "hour"
        }
    }

    /// Whether the key is a point in time (day, hour or the time itself), drawn as an axis of time.
    var isTime: Bool {
        switch self {
        case .day, .hour: return true
        case .column(let column): return column == .time
        }
    }

    /// A time key's bucket in ticks: a day, an hour, or one tick for the time itself (1 for other keys).
    var unit: Int64 {
        switch self {
        case .day: return Timestamp.ticksPerDay
        case .hour: return 3600 * Timestamp.ticksPerSecond
        case .column: return 1
        }
    }

    /// The names `--by` takes, for messages.
    static var allNames: [String] { ["day", "hour"] + Column.all.map(\.name) }

    /// The keys of a `--by` value: comma-separated names, matched ignoring letter case.
    static func parse(_ text: String) throws -> [GroupKey] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard !names.contains(where: \.isEmpty) else {
            throw StatsUsageError("--by '\(text)' has an empty field name; fields are: \(allNames.joined(separator: ", "))")
        }
        var keys: [GroupKey] = []
        for name in names {
            let key: GroupKey
            if asciiCaseInsensitiveEquals(name, "day") {
                key = .day
            } else if asciiCaseInsensitiveEquals(name, "hour") {
                key = .hour
            } else if let column = try? Column(named: name) {
                key = .column(column)
            } else {
                throw StatsUsageError("--by: no field '\(name)'; fields are: \(allNames.joined(separator: ", "))")
            }
            guard !keys.contains(key) else { throw StatsUsageError("--by names \(key.name) twice") }
            keys.append(key)
        }
        return keys
    }
}

/// A group's value of one key: text, an integer, a time (ticks) or nothing (the record has none).
enum KeyValue: Hashable {
    case missing
    case text(String)
    case integer(Int64)
    case time(Int64)

    /// Ascending order: missing first, then by value.
    static func precedes(_ a: KeyValue, _ b: KeyValue) -> Bool {
        switch (a, b) {
        case (.missing, .missing): return false
        case (.missing, _): return true
        case (_, .missing): return false
        case let (.text(x), .text(y)): return Array(x.utf8).lexicographicallyPrecedes(y.utf8)
        case let (.integer(x), .integer(y)), let (.time(x), .time(y)): return x < y
        default: return false
        }
    }
}

/// Turns the matching rows of a batch into group ids: the one place `stats` reads the `--by` columns.
///
/// Each key's values get small ids (a string column's dictionary entries are looked up once per
/// block, not per row); a tuple of value ids gets a group id. Memory grows with the distinct
/// values and groups, not with the records.
struct GroupKeyReader {
    let keys: [GroupKey]
    /// Per key, value id → value.
    private(set) var values: [[KeyValue]]
    private var valueIDs: [[KeyValue: Int32]]
    /// One spelling per category (the one `export` uses for its `category=` folders).
    private var categorySpellings = CategorySpellings(existing: [])
    /// Per key after the first: (id of the keys before, value id of this key) → id of the keys so far,
    /// and that id's value ids; the last key's ids are the groups.
    private var chains: [[Int64: Int32]]
    private var chainTuples: [[[Int32]]]

    init(keys: [GroupKey]) {
        self.keys = keys
        values = Array(repeating: [], count: keys.count)
        valueIDs = Array(repeating: [:], count: keys.count)
        chains = Array(repeating: [:], count: max(0, keys.count - 1))
        chainTuples = Array(repeating: [], count: max(0, keys.count - 1))
    }

    var groupCount: Int { keys.count == 1 ? values[0].count : chainTuples[keys.count - 2].count }

    /// The columns the keys read, for `ScanQuery.columns`: the time column too when a key is a time, so
    /// that it is decoded with the block (where damage is an error), not on first use.
    var columns: Set<Column> {
        var columns = Set(keys.compactMap { if case .column(let c) = $0 { return c } else { return nil } })
        if keys.contains(where: \.isTime) { columns.insert(.time) }
        return columns
    }

    /// The group of each row of `rows` (same order).
    mutating func groups(_ batch: RecordBatch, rows: [Int]) -> [Int32] {
        var result = valueIDs(of: 0, batch, rows)
        if keys.count == 1 { return result }
        for k in 1..<keys.count {
            let next = valueIDs(of: k, batch, rows)
            var lastPair: Int64 = -1, lastID: Int32 = 0
            for i in result.indices {
                let pair = Int64(result[i]) << 32 | Int64(next[i])
                if pair != lastPair {
                    lastPair = pair
                    if let known = chains[k - 1][pair] {
                        lastID = known
                    } else {
                        lastID = Int32(chainTuples[k - 1].count)
                        chains[k - 1][pair] = lastID
                        let before = k == 1 ? [result[i]] : chainTuples[k - 2][Int(result[i])]
                        chainTuples[k - 1].append(before + [next[i]])
                    }
                }
                result[i] = lastID
            }
        }
        return result
    }

    /// The value id of key `k` for each row of `rows`.
    private mutating func valueIDs(of k: Int, _ batch: RecordBatch, _ rows: [Int]) -> [Int32] {
        switch keys[k] {
        case .day, .hour: return timeIDs(k, batch, rows, unit: keys[k].unit)
        case .column(let column) where column == .time: return timeIDs(k, batch, rows, unit: 1)
        case .column(let column) where column.kind == .integer:
            var last: Int64?? = .none, lastID: Int32 = 0
            return rows.map { row in
                let v = batch.integer(column, row: row)
                if last != .some(v) {
                    last = .some(v)
                    lastID = id(k, v.map(KeyValue.integer) ?? .missing)
                }
                return lastID
            }
        case .column(let column):
            // The one read of a string key's per-row ids: where a cheaper per-row dictionary-id accessor goes.
            let (dictionary, ids) = batch.stringColumn(column)
            var global = [Int32](repeating: -1, count: dictionary.count)
            var missing: Int32 = -1
            return rows.map { row in
                let entry = ids[row]
                if entry < 0 {
                    if missing < 0 { missing = id(k, .missing) }
                    return missing
                }
                if global[Int(entry)] < 0 { global[Int(entry)] = id(k, keyValue(column, text: dictionary[Int(entry)])) }
                return global[Int(entry)]
            }
        }
    }

    /// The key value of a string column's value `text` (nil: the row has none).
    mutating func keyValue(_ column: Column, text: String?) -> KeyValue {
        guard let text else { return .missing }
        // Categories that differ only in letter case are one group, as scan and export take them.
        let value = column == .category ? categorySpellings.canonical(text) : text
        // An unknown category or resource ID reads as the empty string: no value.
        return value.isEmpty && (column == .category || column == .resourceId) ? .missing : .text(value)
    }

    /// The group of one value per key (each as `keyValue` or `.integer` / `.time` gives it): for
    /// counts made without rows, such as per combined tuple.
    mutating func group(_ values: [KeyValue]) -> Int32 {
        var result = id(0, values[0])
        for k in keys.indices.dropFirst() {
            let pair = Int64(result) << 32 | Int64(id(k, values[k]))
            if let known = chains[k - 1][pair] {
                result = known
            } else {
                let made = Int32(chainTuples[k - 1].count)
                chains[k - 1][pair] = made
                let before = k == 1 ? [result] : chainTuples[k - 2][Int(result)]
                chainTuples[k - 1].append(before + [Int32(pair & 0xFFFF_FFFF)])
                result = made
            }
        }
        return result
    }

    /// The start of the bucket of `ticks` for time key `key` (day, hour, or the time itself).
    static func bucket(_ ticks: Int64, _ key: GroupKey) -> Int64 {
        let unit = key.unit
        return ticks - ticks.quotientAndRemainderFlooring(dividingBy: unit).1
    }

    private mutating func timeIDs(_ k: Int, _ batch: RecordBatch, _ rows: [Int], unit: Int64) -> [Int32] {
        var lastBucket = Int64.min, lastID: Int32 = 0
        return rows.map { row in
            let t = batch.times[row]
            let bucket = t - t.quotientAndRemainderFlooring(dividingBy: unit).1
            if bucket != lastBucket {
                lastBucket = bucket
                lastID = id(k, .time(bucket))
            }
            return lastID
        }
    }

    private mutating func id(_ k: Int, _ value: KeyValue) -> Int32 {
        if let known = valueIDs[k][value] { return known }
        let id = Int32(values[k].count)
        values[k].append(value)
        valueIDs[k][value] = id
        return id
    }

    /// The values of group `group`, one per key.
    func values(ofGroup group: Int) -> [KeyValue] {
        if keys.count == 1 { return [values[0][group]] }
        return zip(keys.indices, chainTuples[keys.count - 2][group]).map { values[$0][Int($1)] }
    }
}

/// A usage error of `stats` found while reading its options (exit 64).
struct StatsUsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
