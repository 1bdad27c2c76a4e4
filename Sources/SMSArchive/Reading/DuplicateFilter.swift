import SMSRecords

/// Tells, during a scan in time order, which records repeat an earlier one exactly:
/// the same JSON text as `scan` prints it (delivery retries write such copies).
///
/// Exact copies share their time, and a scan gives records of one time together,
/// so only the records of the current time are remembered: memory stays small.
package struct DuplicateFilter {
    private var time: Int64 = .min
    private var seen: Set<[UInt8]> = []

    package init() {}

    /// Whether a record with this time and JSON text came earlier in this scan.
    /// Call it for every record, in scan order.
    package mutating func isRepeat(time: Int64, json: [UInt8]) -> Bool {
        if time != self.time {
            self.time = time
            seen.removeAll(keepingCapacity: true)
        }
        return !seen.insert(json).inserted
    }
}

extension ArchiveReader {
    /// How many records repeat an earlier record exactly (see `DuplicateFilter`):
    /// the records a `scan --distinct` leaves out.
    ///
    /// A first pass reads only times; only records that share their time with
    /// another are then rebuilt as JSON and compared.
    package func duplicateCount() throws -> Int {
        try duplicateCount(sharedTimeLimit: 1 << 20)
    }

    /// `duplicateCount()`, comparing every record once more than `sharedTimeLimit`
    /// times are shared (memory stays bounded when times are coarse).
    func duplicateCount(sharedTimeLimit: Int) throws -> Int {
        var timesOnly = ScanQuery()
        timesOnly.columns = []
        // Times held by more than one record, ascending; past a limit, compare everything instead.
        var shared: [Int64] = []
        var tooMany = false
        var last = Int64.min, run = 0
        try scan(timesOnly) { batch, row in
            let t = batch.times[row]
            if t == last {
                run += 1
                if run == 2 { shared.append(t) }
            } else {
                last = t
                run = 1
            }
            tooMany = shared.count > sharedTimeLimit
            return !tooMany
        }
        if tooMany { return try countRepeats(ScanQuery()) { _ in true } }
        guard let first = shared.first, let final = shared.last else { return 0 }
        var next = 0
        return try countRepeats(ScanQuery(from: Timestamp(ticks: first), to: Timestamp(ticks: final + 1))) { t in
            while next < shared.count && shared[next] < t { next += 1 }
            return next < shared.count && shared[next] == t
        }
    }

    /// Counts the repeats among the records of `query` whose time passes `candidate`.
    private func countRepeats(_ query: ScanQuery, candidate: (Int64) -> Bool) throws -> Int {
        var filter = DuplicateFilter()
        var json: [UInt8] = []
        var repeats = 0
        try scan(query) { batch, row in
            let t = batch.times[row]
            guard candidate(t) else { return true }
            json.removeAll(keepingCapacity: true)
            try batch.writeJSON(row: row, to: &json)
            if filter.isRepeat(time: t, json: json) { repeats += 1 }
            return true
        }
        return repeats
    }
}
