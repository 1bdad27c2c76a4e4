import SMSRecords
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SMSArchive

/// The time range and field predicates that `scan` and `export` share.
struct RecordFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only records at or after this time (ISO 8601, with or without fraction or zone; a date alone means its midnight UTC; or now, today, yesterday).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only records before this time.", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("Only records of the last <duration> (e.g. 90m, 24h, 7d): --from now minus it.", valueName: "duration"))
    var since: String?

    @Option(help: ArgumentHelp("Only records of this PhoneNumber (repeatable).", valueName: "number"))
    var phone: [String] = []

    @Option(help: ArgumentHelp("Only records of this Country (repeatable).", valueName: "code"))
    var country: [String] = []

    @Option(help: ArgumentHelp("Only records of this operationName (repeatable), e.g. SMSMessagesSent.", valueName: "name"))
    var operation: [String] = []

    @Option(help: ArgumentHelp("Only records of this resultType (repeatable), e.g. Succeeded or Failed.", valueName: "type"))
    var result: [String] = []

    @Option(name: .customLong("message-id"), help: ArgumentHelp("Only records of this MessageId (repeatable).", valueName: "id"))
    var messageID: [String] = []

    @Option(name: .customLong("correlation-id"), help: ArgumentHelp("Only records of this correlationId (repeatable): a send and its Usage record share one.", valueName: "id"))
    var correlationID: [String] = []

    @Option(help: ArgumentHelp("Only records of this category (repeatable), e.g. SMSOperational or Usage.", valueName: "name"))
    var category: [String] = []

    func validate() throws {
        try TimeBound.check("--from", from)
        try TimeBound.check("--to", to)
        if let since {
            if from != nil { throw ValidationError("--since and --from both set where records start: give one") }
            guard TimeBound.duration(since) != nil else {
                throw ValidationError("--since '\(since)' is not a duration: a whole number and a unit, m, h or d (e.g. 90m, 24h, 7d)")
            }
        }
        try Self.checkRange(from: start, to: to, fromOption: since.map { "--since \($0) (from \(start ?? ""))" })
    }

    /// Whether any range or predicate is given.
    var isSet: Bool {
        from != nil || to != nil || since != nil || !phone.isEmpty || !country.isEmpty || !operation.isEmpty
            || !result.isEmpty || !messageID.isEmpty || !correlationID.isEmpty || !category.isEmpty
    }

    /// Where records start: --from, or now minus --since.
    private var start: String? {
        guard let since, let ticks = TimeBound.duration(since) else { return from }
        return Timestamp(ticks: TimeBound.now.ticks - ticks).iso8601
    }

    /// Refuses a --from later than --to, which no record can match.
    static func checkRange(from: String?, to: String?, fromOption: String? = nil) throws {
        if let from, let to, let start = TimeBound.parse(from), let end = TimeBound.parse(to), start > end {
            throw ValidationError("\(fromOption ?? "--from \(from)") is later than --to \(to): no record can match")
        }
    }

    /// The options set, as a reader would write them (for a report's subtitle); "all records" when none is.
    var summary: String {
        var parts: [String] = []
        if let start { parts.append("from \(start)") }
        if let to { parts.append("to \(to)") }
        for (name, values) in [("PhoneNumber", phone), ("Country", country), ("operationName", operation), ("resultType", result),
                               ("MessageId", messageID), ("correlationId", correlationID), ("category", category)] where !values.isEmpty {
            parts.append("\(name) \(values.joined(separator: " or "))")
        }
        return parts.isEmpty ? "all records" : parts.joined(separator: ", ")
    }

    /// The query of these options, decoding every column.
    func query() -> ScanQuery {
        var query = ScanQuery(from: start.flatMap(TimeBound.parse), to: to.flatMap(TimeBound.parse))
        if !phone.isEmpty { query.require(.phoneNumber, anyOf: phone) }
        if !country.isEmpty { query.require(.country, anyOf: country) }
        if !operation.isEmpty { query.require(.operationName, anyOf: operation) }
        if !result.isEmpty { query.require(.resultType, anyOf: result) }
        if !messageID.isEmpty { query.require(.messageId, anyOf: messageID) }
        if !correlationID.isEmpty { query.require(.correlationId, anyOf: correlationID) }
        if !category.isEmpty { query.require(.category, anyOf: category) }
        return query
    }
}

/// The times `--from` and `--to` take: ISO 8601 (`Timestamp(queryBound:)`: a date alone is
/// its midnight UTC), or `now`, `today` and `yesterday` (midnights UTC) for nightly jobs.
enum TimeBound {
    /// This run's now, the same for every option that refers to it.
    static let now: Timestamp = {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(ticks: Int64(time.tv_sec) * Timestamp.ticksPerSecond + Int64(time.tv_nsec) / 100)
    }()

    /// What a bad time is told to look like.
    static let forms = "an ISO 8601 time such as 2026-10-01 (midnight UTC), 2026-10-01T13:00, 2026-10-01T13:00:00.5Z or "
        + "2026-10-01T15:00+02:00; or now, today or yesterday (midnight UTC)"

    static func parse(_ text: String) -> Timestamp? {
        let midnight = now.ticks - now.ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay).1
        switch text.lowercased() {
        case "now": return now
        case "today": return Timestamp(ticks: midnight)
        case "yesterday": return Timestamp(ticks: midnight - Timestamp.ticksPerDay)
        default: return Timestamp(queryBound: text)
        }
    }

    /// Refuses a value of `option` that is not a time, saying what one looks like.
    static func check(_ option: String, _ value: String?) throws {
        if let value, parse(value) == nil { throw ValidationError("\(option) '\(value)' is not a time: use \(forms)") }
    }

    /// A duration `<n>m`, `<n>h` or `<n>d` in ticks, or nil.
    static func duration(_ text: String) -> Int64? {
        guard let unit = text.last, let n = Int64(text.dropLast()), n >= 0 else { return nil }
        let ticks: Int64
        switch unit {
        case "m": ticks = 60 * Timestamp.ticksPerSecond
        case "h": ticks = 3600 * Timestamp.ticksPerSecond
        case "d": ticks = Timestamp.ticksPerDay
        default: return nil
        }
        let (result, overflow) = n.multipliedReportingOverflow(by: ticks)
        return overflow || result > now.ticks ? nil : result
    }
}
