import SMSArchive
import SMSFormat
import SMSRecords
import SMSSupport

/// `stats` by the combined chunk's tuples: when every `--by` key is a combined column (operation,
/// result, category...) or the day or hour, and the metrics are counts, a block's rows are counted
/// per tuple id (one small histogram per block), and each tuple's values are read once, instead of
/// decoding every combined column row by row. Times are decoded only for a block that the time range
/// cuts, or that straddles a day (hour) boundary when grouping by day (hour): the block index knows
/// each block's first and last time. A block without such a chunk is read as `scanBatches` reads it.
///
/// Skipping a block's time chunk also skips its order check; the chunk's checksum still guards it.
extension StatsAggregator {
    /// One block's counts: its tuples, and per run of rows in one time bucket (the bucket's start,
    /// or 0 without a time key), the rows per tuple id.
    struct TupleCounts {
        var tuples: CombinedEncoding.Tuples
        var runs: [(bucket: Int64, counts: [Int])]
    }

    /// What a block came to: tuple counts, or (no usable combined chunk) a batch and its matching rows.
    enum BlockResult {
        case tuples(TupleCounts)
        case batch(RecordBatch, [Int])
        case none
    }

    /// Whether `query` can be counted by tuples: no predicate but the time range, counts only, and
    /// keys that are columns (not the time itself) or the day or hour.
    func countsByTuples(_ query: ScanQuery) -> Bool {
        query.predicates.isEmpty
            && metrics.allSatisfy { $0 == .records || $0 == .failed }
            && keyReader.keys.allSatisfy { $0 != .column(.time) }
    }

    /// The combined columns a block must hold to be counted by tuples.
    private var tupleColumns: [Int] {
        var columns = keyReader.keys.compactMap { key -> Int? in if case .column(let c) = key { return c.position } else { return nil } }
        if wants(.failed) { columns.append(Column.resultType.position) }
        return columns
    }

    /// The finest time key's bucket (hour before day), or nil when no key is a time.
    private var timeUnit: Int64? { keyReader.keys.filter(\.isTime).map(\.unit).min() }

    /// Counts the records of `query` (see `countsByTuples`), blocks decoded on all cores as `scanBatches` does.
    mutating func countByTuples(_ reader: ArchiveReader, _ query: ScanQuery) throws {
        var blocks: [(segment: SegmentReader, block: Int)] = []
        for segment in try reader.candidateSegments(query) {
            for (i, block) in segment.blocks.enumerated() where query.overlaps(block) { blocks.append((segment, i)) }
        }
        let needed = tupleColumns, unit = timeUnit
        let groupSize = processorCount > 1 ? 2 * processorCount : 1
        var start = 0
        while start < blocks.count {
            let group = blocks[start..<min(start + groupSize, blocks.count)]
            start = group.endIndex
            let results = parallelMap(group.count) { k in
                let (segment, block) = group[group.startIndex + k]
                return Result { try Self.count(segment, block, query, needed: needed, unit: unit) }
            }
            for result in results {
                switch try result.get() {
                case .tuples(let counts): add(counts)
                case .batch(let batch, let rows): add(batch, rows)
                case .none: break
                }
            }
        }
    }

    /// One block's counts, computed off the calling thread (it reads only its arguments).
    private static func count(_ segment: SegmentReader, _ index: Int, _ query: ScanQuery, needed: [Int], unit: Int64?) throws -> BlockResult {
        let summary = segment.blocks[index]
        guard let tuples = try segment.readTuples(index, holding: needed), needed.allSatisfy({ tuples.index(of: $0) != nil }) else {
            let batch = try segment.readBatch(index, columns: query.decodedColumns, times: query.needsTimes)
            let rows = query.matchingRows(batch)
            return rows.isEmpty ? .none : .batch(batch, rows)
        }
        let oneBucket = unit.map { u in
            summary.minTime.ticks.quotientAndRemainderFlooring(dividingBy: u).0 == summary.maxTime.ticks.quotientAndRemainderFlooring(dividingBy: u).0
        } ?? true
        let ids = tuples.tupleIDs
        guard !query.coversWhole(summary) || !oneBucket else {
            var counts = [Int](repeating: 0, count: tuples.tupleCount)
            for id in ids { counts[Int(id)] += 1 }
            let bucket = unit.map { summary.minTime.ticks - summary.minTime.ticks.quotientAndRemainderFlooring(dividingBy: $0).1 } ?? 0
            return .tuples(TupleCounts(tuples: tuples, runs: [(bucket, counts)]))
        }
        // Times are read (and checked) with the block, rows in time order: each bucket is one run.
        let times = try segment.readBatch(index, columns: [], times: true).times
        let from = query.from?.ticks ?? .min, to = query.to?.ticks ?? .max
        var runs: [(bucket: Int64, counts: [Int])] = []
        var counts: [Int] = []
        var current: Int64?
        for (row, t) in times.enumerated() where t >= from && t < to {
            let bucket = unit.map { t - t.quotientAndRemainderFlooring(dividingBy: $0).1 } ?? 0
            if bucket != current {
                if let current { runs.append((current, counts)) }
                current = bucket
                counts = [Int](repeating: 0, count: tuples.tupleCount)
            }
            counts[Int(ids[row])] += 1
        }
        if let current { runs.append((current, counts)) }
        return runs.isEmpty ? .none : .tuples(TupleCounts(tuples: tuples, runs: runs))
    }

    /// Adds one block's tuple counts to their groups.
    private mutating func add(_ block: TupleCounts) {
        let tuples = block.tuples
        let keys = keyReader.keys
        // Each tuple's values of the column keys, and whether it failed, once per block.
        var columnValues: [[KeyValue]] = Array(repeating: [], count: tuples.tupleCount)
        var isFailed = [Bool](repeating: false, count: tuples.tupleCount)
        let failedColumn = wants(.failed) ? tuples.index(of: Column.resultType.position) : nil
        for t in 0..<tuples.tupleCount where block.runs.contains(where: { $0.counts[t] > 0 }) {
            for key in keys {
                guard case .column(let column) = key, let k = tuples.index(of: column.position) else { continue }
                let part = tuples.part(t, k)
                switch tuples.dictionaries[k] {
                case .strings(let values): columnValues[t].append(keyReader.keyValue(column, text: part > 0 ? values[part - 1] : nil))
                case .integers(let values): columnValues[t].append(part > 0 ? .integer(values[part - 1]) : .missing)
                }
            }
            if let failedColumn, case .strings(let values) = tuples.dictionaries[failedColumn] {
                let part = tuples.part(t, failedColumn)
                isFailed[t] = part > 0 && asciiCaseInsensitiveEquals(values[part - 1], "Failed")
            }
        }
        for (bucket, counts) in block.runs {
            for (t, n) in counts.enumerated() where n > 0 {
                var values: [KeyValue] = []
                var next = 0
                for key in keys {
                    if key.isTime {
                        values.append(.time(GroupKeyReader.bucket(bucket, key)))
                    } else {
                        values.append(columnValues[t][next])
                        next += 1
                    }
                }
                let g = Int(keyReader.group(values))
                growToGroups()
                records[g] += Int64(n)
                if isFailed[t] { failed[g] += Int64(n) }
            }
        }
    }
}
