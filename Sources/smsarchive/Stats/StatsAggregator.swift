import SMSRecords
import SMSArchive
import SMSFormat
import SMSSupport

/// One row of `stats`: a group's key values and its metrics (nil: a percentile of no values).
struct StatsRow {
    var keys: [KeyValue]
    var values: [Int64?]
}

/// Computes `stats` on column chunks: one pass over the matching records groups and counts them.
/// With `delivered` or `segments`, the pass covers the time range plus the join window and also
/// reads, whatever the other predicates say, the delivery reports and Usage records, which credit
/// their sends' groups (`SendJoin`). Counts by combined columns and time go by tuples (`TupleCounts`).
///
/// Memory: per group, its counters and a duration histogram; for the joins, what `SendJoin` keeps.
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
    private var join: SendJoin

    static let durationMs = try! Column(named: "durationMs")

    init(keys: [GroupKey], metrics: [StatsMetric], joinWindow: Int64) {
        self.metrics = metrics
        keyReader = GroupKeyReader(keys: keys)
        self.joinWindow = joinWindow
        join = SendJoin(delivered: metrics.contains(.delivered), segments: metrics.contains(.segments))
    }

    func wants(_ metric: StatsMetric) -> Bool { metrics.contains(metric) }
    private var wantsDurations: Bool { wants(.durationP50) || wants(.durationP95) }

    /// The groups of the records `query` selects, with their metrics, in no particular order.
    mutating func run(_ reader: ArchiveReader, _ query: ScanQuery) throws -> [StatsRow] {
        var main = query
        var columns = keyReader.columns
        if wants(.failed) { columns.insert(.resultType) }
        if wantsDurations { columns.insert(Self.durationMs) }
        main.columns = columns
        if countsByTuples(main) {
            try countByTuples(reader, main)
        } else if join.delivered || join.segments {
            try scanJoining(reader, main)
        } else {
            try reader.scanBatches(main) { batch, rows in
                add(batch, rows)
                return true
            }
        }
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

    /// Counts `rows` (matching rows of `batch`) in their groups; returns each row's group.
    @discardableResult
    mutating func add(_ batch: RecordBatch, _ rows: [Int]) -> [Int32] {
        let groups = keyReader.groups(batch, rows: rows)
        growToGroups()
        for g in groups { records[Int(g)] += 1 }
        if wants(.failed) {
            let isFailed = SendJoin.entries(batch.stringColumn(.resultType)) { asciiCaseInsensitiveEquals($0, "Failed") }
            for (i, row) in rows.enumerated() where isFailed(row) { failed[Int(groups[i])] += 1 }
        }
        if wantsDurations {
            for (i, row) in rows.enumerated() {
                if let d = batch.integer(Self.durationMs, row: row) { durations[Int(groups[i])].add(d) }
            }
        }
        return groups
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

    /// The range the joined records are read in: the query's, its end moved by the join window.
    private func joinQuery(_ query: ScanQuery) -> ScanQuery {
        let end = query.to.map { to in
            let (sum, overflow) = to.ticks.addingReportingOverflow(joinWindow)
            return Timestamp(ticks: overflow ? .max : sum)
        }
        return ScanQuery(from: query.from, to: end)
    }

    /// The one pass of a query with joins: the blocks of the joined range (the time range plus the
    /// join window), decoded on all cores as `scanBatches` does; in those that `main` may match, its
    /// matching rows are counted and their sends remembered; in all, the joined records are read.
    private mutating func scanJoining(_ reader: ArchiveReader, _ main: ScanQuery) throws {
        var sends = main
        sends.columns = main.columns.map { $0.union(join.sendColumns) }
        var joined = joinQuery(main)
        joined.columns = join.columns
        let sendSegments = Set(try reader.candidateSegments(sends).map(ObjectIdentifier.init))
        var blocks: [(segment: SegmentReader, block: Int, hasSends: Bool)] = []
        for segment in try reader.candidateSegments(joined) {
            let mayHaveSends = sendSegments.contains(ObjectIdentifier(segment))
            for (i, block) in segment.blocks.enumerated() where joined.overlaps(block) {
                blocks.append((segment, i, mayHaveSends && sends.overlaps(block)))
            }
        }
        // The blocks that may hold sends first (in their order, which decides a send's group when
        // its identifier is in two), so that the records of the others join known sends or none.
        let sendBlocks = blocks.filter(\.hasSends).count
        blocks = blocks.filter(\.hasSends) + blocks.filter { !$0.hasSends }
        // Groups of two blocks per core, decoded in parallel one group ahead of the join's table work;
        // a group ends where the blocks with sends end.
        let groupSize = processorCount > 1 ? 2 * processorCount : 1
        var ranges: [Range<Int>] = []
        while (ranges.last?.upperBound ?? 0) < blocks.count {
            let start = ranges.last?.upperBound ?? 0
            ranges.append(start..<min(start + groupSize, start < sendBlocks ? sendBlocks : blocks.count))
        }
        let toDecode = blocks
        try decodeAhead(ranges.count, decode: { g in
            let group = toDecode[ranges[g]]
            return (!group.contains(where: \.hasSends), parallelMap(group.count) { k -> Result<(RecordBatch, [Int], [Int]), any Error> in
                let (segment, block, hasSends) = group[group.startIndex + k]
                return Result {
                    var columns = joined.decodedColumns
                    if hasSends, let more = sends.decodedColumns { columns?.formUnion(more) }
                    let batch = try segment.readBatch(block, columns: columns, times: joined.needsTimes || hasSends && sends.needsTimes)
                    return (batch, hasSends ? sends.matchingRows(batch) : [], joined.matchingRows(batch))
                }
            })
        }, use: { (sendsComplete, decoded) in
            for result in decoded {
                let (batch, sendRows, joinedRows) = try result.get()
                let groups = sendRows.isEmpty ? [] : add(batch, sendRows)
                join.add(batch, sendRows: sendRows, groups: groups, joinedRows: joinedRows, sendsComplete: sendsComplete,
                         delivered: &delivered, segments: &segments)
            }
        })
        join.finish(delivered: &delivered, segments: &segments)
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
