import SMSArchive
import SMSRecords
import SMSSupport

/// What each UTC day of an archive is made of, in a few bytes: the XXH64 of the names, record
/// counts and sizes of the segments whose time range touches the day. Segment files are
/// never rewritten in place (a new one gets a new sequence number and random suffix), so
/// the fingerprint of a day changes when a segment of it is added (records of a new day,
/// late records of an old one) or replaced (compaction), and only then. Read from the
/// manifest alone: no segment is opened.
enum DayFingerprints {
    /// Day (`YYYY-MM-DD`) → fingerprint (16 hex digits), for every day with records.
    static func of(_ manifest: Manifest) -> [String: String] {
        var lines: [String: [String]] = [:]
        for segment in manifest.segments {
            guard segment.records > 0, let minTime = segment.minTime, let maxTime = segment.maxTime else { continue }
            let line = "\(segment.file)\t\(segment.records)\t\(segment.bytes)\n"
            let first = minTime.ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay).0
            let last = maxTime.ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay).0
            // A segment holds one day's records (convert and compact write a segment per day);
            // the bound only keeps a damaged manifest from making this loop long.
            for day in first...max(first, min(last, first + 4000)) {
                lines[date(ofDay: day), default: []].append(line)
            }
        }
        return lines.mapValues { list in
            let hex = String(xxh64(Array(list.sorted().joined().utf8)), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }

    /// `YYYY-MM-DD` of the UTC day `day` days after 1970-01-01, as `HivePartition` names it.
    static func date(ofDay day: Int64) -> String {
        String(Timestamp(ticks: day * Timestamp.ticksPerDay).iso8601.prefix(10))
    }

    /// The time range `[from, to)` of the day `date` (`YYYY-MM-DD`).
    static func range(of date: String) -> (from: Timestamp, to: Timestamp)? {
        guard let start = Timestamp(queryBound: date) else { return nil }
        return (start, Timestamp(ticks: start.ticks + Timestamp.ticksPerDay))
    }

    /// Queries for `dates`, one per run of consecutive days, in time order: each reads only its days' segments.
    static func queries(for dates: Set<String>) -> [ScanQuery] {
        var queries: [ScanQuery] = []
        for date in dates.sorted() {
            guard let (from, to) = range(of: date) else { continue }
            if let last = queries.last, last.to == from {
                queries[queries.count - 1].to = to
            } else {
                queries.append(ScanQuery(from: from, to: to))
            }
        }
        return queries
    }
}
