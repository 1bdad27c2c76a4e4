import SMSArchive
import SMSRecords

/// What `smsarchive_query_*` set: the time range, predicates, columns and batch size of a scan.
final class Query {
    var from: Timestamp?
    var to: Timestamp?
    var predicates: [(Column, [String])] = []
    var columns = OutputColumn.defaults
    var batchRows = 65_536

    static let maxBatchRows = 1 << 24

    func setRange(start: String?, end: String?) throws {
        func bound(_ text: String?, _ what: String) throws -> Timestamp? {
            guard let text else { return nil }
            guard let time = Timestamp(queryBound: text) else {
                throw SMSArchiveCError("\(what) '\(text)' is not a time: use ISO 8601, such as 2026-10-01 (midnight UTC), 2026-10-01T13:00 or 2026-10-01T13:00:00.5Z")
            }
            return time
        }
        let from = try bound(start, "start"), to = try bound(end, "end")
        if let from, let to, from > to {
            throw SMSArchiveCError("start \(start!) is later than end \(end!): no record can match")
        }
        self.from = from
        self.to = to
    }

    func require(_ name: String, anyOf values: [String]) throws {
        predicates.append((try Column(named: name), values))
    }

    func setColumns(_ names: [String]) throws {
        guard !names.isEmpty else { throw SMSArchiveCError("no column asked for") }
        let columns = try names.map(OutputColumn.named)
        if let repeated = columns.first(where: { c in columns.filter { $0 == c }.count > 1 }) {
            throw SMSArchiveCError("column \(repeated.name) asked for twice")
        }
        self.columns = columns
    }

    func setBatchRows(_ rows: Int64) throws {
        guard rows >= 1, rows <= Self.maxBatchRows else {
            throw SMSArchiveCError("batch rows must be from 1 to \(Self.maxBatchRows), not \(rows)")
        }
        batchRows = Int(rows)
    }

    /// The reader's query, decoding what `builder`'s columns need.
    func scanQuery(for builder: BatchBuilder) -> ScanQuery {
        var query = ScanQuery(from: from, to: to)
        for (column, values) in predicates { query.require(column, anyOf: values) }
        builder.configure(&query)
        return query
    }
}
