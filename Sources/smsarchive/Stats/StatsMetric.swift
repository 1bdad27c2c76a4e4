/// What `stats` computes per group (`--metrics`).
enum StatsMetric: String, CaseIterable {
    /// Matching records.
    case records
    /// Matching records whose resultType is Failed.
    case failed
    /// Matching sends (SMSMessagesSent) with a successful delivery report, joined by MessageId.
    case delivered
    /// The sum of Quantity of the Usage records that share a matching send's correlationId.
    case segments
    /// The median durationMs of the matching records that have one.
    case durationP50 = "duration-p50"
    /// The 95th percentile of durationMs.
    case durationP95 = "duration-p95"

    static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The metrics of a `--metrics` value: comma-separated names, each once.
    static func parse(_ text: String) throws -> [StatsMetric] {
        var metrics: [StatsMetric] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(part).trimmingSpaces
            guard let metric = StatsMetric(rawValue: name.lowercased()) else {
                throw StatsUsageError(name.isEmpty ? "--metrics '\(text)' has an empty metric name; metrics are: \(allNames)"
                                                   : "--metrics: no metric '\(name)'; metrics are: \(allNames)")
            }
            guard !metrics.contains(metric) else { throw StatsUsageError("--metrics names \(metric.rawValue) twice") }
            metrics.append(metric)
        }
        return metrics
    }
}

/// The durations of one group, as counts per bucket: exact below 2048 ms; above, the value's top
/// 11 significant bits (a bucket spans less than 0.1% of its values). Its size is bounded by the
/// number of buckets a group uses (at most a few thousand), however many records it counts.
struct DurationHistogram {
    private(set) var counts: [Int64: Int] = [:]
    private(set) var total = 0

    static let exactBelow: Int64 = 2048

    mutating func add(_ value: Int64) {
        counts[Self.bucket(value), default: 0] += 1
        total += 1
    }

    /// A monotone bucket number of `value`.
    static func bucket(_ value: Int64) -> Int64 {
        if value < 0 { return -bucket(value == .min ? .max : -value) - 1 }
        guard value >= exactBelow else { return value }
        let shift = Int64(64 - value.leadingZeroBitCount - 11)
        return shift * exactBelow + (value >> shift)
    }

    /// The smallest value of bucket `b`.
    static func lowest(_ b: Int64) -> Int64 {
        if b < 0 { return -highest(-b - 1) }
        guard b >= exactBelow else { return b }
        let shift = b / exactBelow
        return (b % exactBelow) << shift
    }

    /// The largest value of bucket `b` (for negative values, whose order is mirrored).
    private static func highest(_ b: Int64) -> Int64 {
        guard b >= exactBelow else { return b }
        let shift = b / exactBelow
        return ((b % exactBelow) + 1) << shift - 1
    }

    /// The nearest-rank percentile: the smallest value with at least `percent`% of the values at or
    /// below it (of its bucket, the smallest value); nil when there are none.
    func percentile(_ percent: Int) -> Int64? {
        guard total > 0 else { return nil }
        let rank = max(1, (total * percent + 99) / 100)
        var seen = 0
        for bucket in counts.keys.sorted() {
            seen += counts[bucket]!
            if seen >= rank { return Self.lowest(bucket) }
        }
        return nil
    }
}
