import SMSRecords
import SMSArchive

/// One row of `stats`: a group's key values and its metrics (nil: a percentile of no values).
struct StatsRow {
    var keys: [KeyValue]
    var values: [Int64?]
}

/// Computes `stats` on column chunks: one pass over the matching records groups and counts them
/// (and keeps, for the joins, each matching send's MessageId or correlationId with its group); a
/// second pass per join reads the delivery reports or Usage records of the time range plus the
/// join window, whatever the other predicates say, and credits the send's group.
///
/// Memory: per group, its counters and a duration histogram; for `delivered`, one map entry
/// (MessageId → group) per matching send not yet found delivered; for `segments`, one entry
/// (correlationId → group) per matching send: a Swift `String` key plus the table's share, measured
/// at 27 MB (about 250 bytes a send, MessageIds being some 70 characters) and 17 MB (150 bytes) for
/// a day of 113,000 sends.
struct StatsAggregator {
    let metrics: [StatsMetric]
    var keyReader: GroupKeyReader
    /// How long after the range's end a delivery report or Usage record may come, in ticks.
    let joinWindow: Int64

    // Per group (internal: the tuple count in TupleCounts.swift adds to them too).
    var records: [Int64] = []
    var failed: [Int64] = []
    private var delivered: [Int64] = []
    private var segments: [Int64] = []
    private var durations: [DurationHistogram] = []
    private var sendsByMessageId: [String: Int32] = [:]
    private var sendsByCorrelationId: [String: Int32] = [:]

    static let sendOperation = "SMSMessagesSent"
    static let deliveryReportOperation = "SMSDeliveryReportsReceived"
    static let durationMs = try! Column(named: "durationMs")
    static let quantity = try! Column(named: "Quantity")

    init(keys: [GroupKey], metrics: [StatsMetric], joinWindow: Int64) {
        self.metrics = metrics
        keyReader = GroupKeyReader(keys: keys)
        self.joinWindow = joinWindow
    }

    func wants(_ metric: StatsMetric) -> Bool { metrics.contains(metric) }
    private var wantsDurations: Bool { wants(.durationP50) || wants(.durationP95) }

    /// The groups of the records `query` selects, with their metrics, in no particular order.
    mutating func run(_ reader: ArchiveReader, _ query: ScanQuery) throws -> [StatsRow] {
        var main = query
        var columns = keyReader.columns
        if wants(.failed) { columns.insert(.resultType) }
        if wantsDurations { columns.insert(Self.durationMs) }
        if wants(.delivered) { columns.formUnion([.operationName, .messageId]) }
        if wants(.segments) { columns.formUnion([.operationName, .correlationId]) }
        main.columns = columns
        if countsByTuples(main) {
            try countByTuples(reader, main)
        } else {
            try reader.scanBatches(main) { batch, rows in
                add(batch, rows)
                return true
            }
        }
        try joinDeliveryReports(reader, query)
        try joinUsage(reader, query)
        return (0..<keyReader.groupCount).map { g in
            StatsRow(keys: keyReader.values(ofGroup: g), values: metrics.map { value($0, group: g) })
        }
    }

    private func value(_ metric: StatsMetric, group g: Int) -> Int64? {
        switch metric {
        case .records: return records[g]
        case .failed: return failed[g]
        case .delivered: return delivered[g]
        case .segments: return segments[g]
        case .durationP50: return durations[g].percentile(50)
        case .durationP95: return durations[g].percentile(95)
        }
    }

    mutating func add(_ batch: RecordBatch, _ rows: [Int]) {
        let groups = keyReader.groups(batch, rows: rows)
        growToGroups()
        for g in groups { records[Int(g)] += 1 }
        if wants(.failed) {
            let isFailed = Self.entries(batch, .resultType) { asciiCaseInsensitiveEquals($0, "Failed") }
            for (i, row) in rows.enumerated() where isFailed(row) { failed[Int(groups[i])] += 1 }
        }
        if wantsDurations {
            for (i, row) in rows.enumerated() {
                if let d = batch.integer(Self.durationMs, row: row) { durations[Int(groups[i])].add(d) }
            }
        }
        if wants(.delivered) || wants(.segments) {
            let isSend = Self.entries(batch, .operationName) { asciiCaseInsensitiveEquals($0, Self.sendOperation) }
            if wants(.delivered) { remember(batch, rows, groups, isSend, .messageId, in: &sendsByMessageId) }
            if wants(.segments) { remember(batch, rows, groups, isSend, .correlationId, in: &sendsByCorrelationId) }
        }
    }

    /// Makes room for the groups the key reader has made so far.
    mutating func growToGroups() {
        let count = keyReader.groupCount
        guard records.count < count else { return }
        let more = count - records.count
        records += repeatElement(0, count: more)
        failed += repeatElement(0, count: more)
        delivered += repeatElement(0, count: more)
        segments += repeatElement(0, count: more)
        if wantsDurations { durations += repeatElement(DurationHistogram(), count: more) }
    }

    /// Whether each row's value in `column` satisfies `test`, decided once per dictionary entry.
    private static func entries(_ batch: RecordBatch, _ column: Column, _ test: (String) -> Bool) -> (Int) -> Bool {
        let (dictionary, ids) = batch.stringColumn(column)
        let accepted = dictionary.map(test)
        return { row in ids[row] >= 0 && accepted[Int(ids[row])] }
    }

    /// Notes the identifier in `column` of each send among `rows` with its group (the first group
    /// an identifier was seen in keeps it).
    private func remember(_ batch: RecordBatch, _ rows: [Int], _ groups: [Int32], _ isSend: (Int) -> Bool,
                          _ column: Column, in map: inout [String: Int32]) {
        let (dictionary, ids) = batch.stringColumn(column)
        for (i, row) in rows.enumerated() where isSend(row) && ids[row] >= 0 {
            let id = dictionary[Int(ids[row])]
            if !id.isEmpty && map[id] == nil { map[id] = groups[i] }
        }
    }

    /// The range the joined records are read in: the query's, its end moved by the join window.
    private func joinQuery(_ query: ScanQuery) -> ScanQuery {
        let end = query.to.map { to in
            let (sum, overflow) = to.ticks.addingReportingOverflow(joinWindow)
            return Timestamp(ticks: overflow ? .max : sum)
        }
        return ScanQuery(from: query.from, to: end)
    }

    /// Credits each matching send that a successful delivery report names once, to its group.
    private mutating func joinDeliveryReports(_ reader: ArchiveReader, _ query: ScanQuery) throws {
        guard wants(.delivered), !sendsByMessageId.isEmpty else { return }
        var reports = joinQuery(query)
        reports.require(.operationName, anyOf: [Self.deliveryReportOperation])
        reports.require(.resultType, anyOf: ["Succeeded"])
        reports.columns = [.messageId]
        try reader.scanBatches(reports) { batch, rows in
            let (dictionary, ids) = batch.stringColumn(.messageId)
            for row in rows where ids[row] >= 0 {
                if let g = sendsByMessageId.removeValue(forKey: dictionary[Int(ids[row])]) { delivered[Int(g)] += 1 }
            }
            return !sendsByMessageId.isEmpty
        }
        sendsByMessageId = [:]
    }

    /// Adds the Quantity of each Usage record that shares a matching send's correlationId to the send's group.
    private mutating func joinUsage(_ reader: ArchiveReader, _ query: ScanQuery) throws {
        guard wants(.segments), !sendsByCorrelationId.isEmpty else { return }
        var usage = joinQuery(query)
        usage.require(.category, anyOf: ["Usage"])
        usage.columns = [.correlationId, Self.quantity]
        try reader.scanBatches(usage) { batch, rows in
            let (dictionary, ids) = batch.stringColumn(.correlationId)
            for row in rows where ids[row] >= 0 {
                if let g = sendsByCorrelationId[dictionary[Int(ids[row])]] {
                    segments[Int(g)] += batch.integer(Self.quantity, row: row) ?? 0
                }
            }
            return true
        }
        sendsByCorrelationId = [:]
    }
}

extension [StatsRow] {
    /// By the group keys ascending, or by `metric` descending (no value last), ties by the keys.
    func sorted(byMetricAt metric: Int?) -> [StatsRow] {
        func keysPrecede(_ a: StatsRow, _ b: StatsRow) -> Bool {
            for (x, y) in zip(a.keys, b.keys) where x != y { return KeyValue.precedes(x, y) }
            return false
        }
        guard let metric else { return sorted(by: keysPrecede) }
        return sorted { a, b in
            let x = a.values[metric] ?? .min, y = b.values[metric] ?? .min
            return x != y ? x > y : keysPrecede(a, b)
        }
    }
}
