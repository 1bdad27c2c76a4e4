import SMSSupport
/// A UTC instant as 100-nanosecond ticks since 1970-01-01T00:00:00Z, the
/// resolution of Azure's seven fractional digits.
///
/// Times are in the proleptic Gregorian calendar, without leap seconds. The archive stores every
/// record's time as ticks, and `RecordBatch.times` (in SMSArchive) hands them out as plain `Int64` values;
/// `Timestamp(ticks:)` turns one into a timestamp. A record's time text is kept apart (it is given
/// back as written), so a timestamp only orders and selects records.
///
/// ```swift
/// let t = Timestamp(iso8601: "2026-10-01T00:00:06.4610620Z")!
/// print(t.ticks)                                   // 17908128064610620
/// print(t.iso8601)                                 // 2026-10-01T00:00:06.4610620Z
/// let day = Timestamp(queryBound: "2026-10-01")!   // midnight UTC
/// let nextDay = Timestamp(ticks: day.ticks + Timestamp.ticksPerDay)
/// let query = ScanQuery(from: day, to: nextDay)    // the records of one UTC day
/// ```
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Ticks in one second: 10,000,000.
    public static let ticksPerSecond: Int64 = 10_000_000
    /// Ticks in one day of 86,400 seconds: 864,000,000,000.
    public static let ticksPerDay: Int64 = 86_400 * ticksPerSecond

    /// Ticks of 100 ns since the Unix epoch (negative before it).
    public var ticks: Int64

    /// The instant `ticks` 100-nanosecond ticks after 1970-01-01T00:00:00Z (before it when negative).
    ///
    /// - Parameter ticks: The tick count, as `RecordBatch.times` holds it.
    public init(ticks: Int64) { self.ticks = ticks }

    /// Whether `a` is earlier than `b`.
    ///
    /// - Parameters:
    ///   - a: A timestamp.
    ///   - b: Another timestamp.
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.ticks < b.ticks }

    /// Parses a time as Azure writes it, or returns `nil` when `text` is not one.
    ///
    /// The form is `YYYY-MM-DD[T| ]HH:MM:SS[.f]` with 1 to 9 fraction digits and an optional zone
    /// `Z`, `z`, `+HH:MM` or `-HH:MM` (no zone means UTC; `t` may separate date and time too).
    /// Fractions beyond seven digits are truncated to ticks.
    ///
    /// - Parameter text: The time text, such as `2026-10-01T00:00:06.4610620Z`.
    public init?(iso8601 text: String) {
        var text = text
        guard let ticks = text.withUTF8({ Timestamp.parse($0, lenient: false) }) else { return nil }
        self.ticks = ticks
    }

    /// Parses a record's time field as a conversion does, or returns `nil` when `text` is not a time.
    ///
    /// It takes what ``init(iso8601:)`` takes, or the US form `M/D/YYYY h:mm:ss` (month, day and
    /// hour of one or two digits, optionally a fraction of 1 to 9 digits and ` AM` or ` PM`),
    /// taken as UTC.
    ///
    /// - Parameter text: The value of a record's time field.
    public init?(recordTime text: String) {
        var text = text
        guard let ticks = text.withUTF8({ Timestamp.parse($0, lenient: false) ?? USTime.ticks($0) }) else { return nil }
        self.ticks = ticks
    }

    /// Parses a time as people write it for a query, or returns `nil` when `text` is not a time.
    ///
    /// It takes what ``init(iso8601:)`` takes, and also a date alone (`2026-10-01`, its midnight
    /// UTC), a time without seconds (`2026-10-01T13:00`), a zone without a colon (`+0200`), and
    /// more than nine fraction digits.
    ///
    /// - Parameter text: The time text, such as `2026-10-01` or `2026-10-01T13:00Z`.
    public init?(queryBound text: String) {
        var text = text
        guard let ticks = text.withUTF8({ Timestamp.parse($0, lenient: true) }) else { return nil }
        self.ticks = ticks
    }

    /// The time as `YYYY-MM-DDTHH:MM:SS.fffffffZ`, Azure's storage spelling: UTC, always seven
    /// fraction digits.
    ///
    /// For an instant outside the years 0000 to 9999 the text is not a valid time.
    public var iso8601: String {
        let (days, dayTicks) = ticks.quotientAndRemainderFlooring(dividingBy: 86_400 * Timestamp.ticksPerSecond)
        let (y, m, d) = civilFromDays(days)
        let seconds = dayTicks / Timestamp.ticksPerSecond
        let fraction = dayTicks % Timestamp.ticksPerSecond
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 7))Z"
    }

    /// The ticks of a time written exactly in the storage spelling `YYYY-MM-DDTHH:MM:SS.fffffffZ`
    /// (what ``iso8601`` writes, and nearly every record's time), or nil for any other text, which
    /// `parse` then reads: this checks the one shape at fixed offsets, with no search.
    ///
    /// `TimeFormat.storage` rebuilds every text this takes exactly: each field has its fixed width
    /// and is checked to be in range, so writing the ticks back gives the same digits.
    package static func parseStorageForm(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard p.count == 28, p[4] == 0x2D, p[7] == 0x2D, p[10] == UInt8(ascii: "T"), p[13] == 0x3A, p[16] == 0x3A,
              p[19] == 0x2E, p[27] == UInt8(ascii: "Z") else { return nil }
        var bad: UInt8 = 0
        @inline(__always) func digits(_ from: Int, _ count: Int) -> Int64 {
            var v: Int64 = 0
            for k in from..<from + count {
                let d = p[k] &- 0x30
                bad |= d > 9 ? 1 : 0
                v = v * 10 + Int64(d)
            }
            return v
        }
        let year = digits(0, 4), month = digits(5, 2), day = digits(8, 2)
        let hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2), fraction = digits(20, 7)
        guard bad == 0, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year, month), hour < 24, minute < 60, second < 60
        else { return nil }
        return (daysFromCivil(year, month, day) * 86_400 + (hour * 60 + minute) * 60 + second) * Timestamp.ticksPerSecond + fraction
    }

    package static func parse(_ p: UnsafeBufferPointer<UInt8>, lenient: Bool) -> Int64? {
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= p.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let d = p[i + k] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < p.count, p[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else { return nil }
        var dayTicks: Int64 = 0
        var offsetSeconds: Int64 = 0
        guard lenient || i < p.count else { return nil }
        if i < p.count {
            guard p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: "t") || p[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard let hour = digits(2), hour < 24, expect(0x3A), let minute = digits(2), minute < 60 else { return nil }
            var second: Int64 = 0
            var fraction: Int64 = 0
            let hasSeconds = expect(0x3A)
            guard hasSeconds || lenient else { return nil }
            if hasSeconds {
                guard let s = digits(2), s < 60 else { return nil }
                second = s
                if expect(0x2E) {
                    var n = 0
                    while i < p.count, p[i] &- 0x30 < 10 {
                        if n < 7 { fraction = fraction * 10 + Int64(p[i] - 0x30) }
                        n += 1; i += 1
                    }
                    guard n >= 1, n <= 9 || lenient else { return nil }
                    for _ in n..<max(n, 7) { fraction *= 10 }
                }
            }
            dayTicks = ((hour * 60 + minute) * 60 + second) * Timestamp.ticksPerSecond + fraction
            if i < p.count {
                if p[i] == UInt8(ascii: "Z") || p[i] == UInt8(ascii: "z") {
                    i += 1
                } else if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                    let sign: Int64 = p[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = digits(2), oh < 24 else { return nil }
                    guard expect(0x3A) || lenient else { return nil }
                    guard let om = digits(2), om < 60 else { return nil }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == p.count else { return nil }
        let days = daysFromCivil(year, month, day)
        return days * 86_400 * Timestamp.ticksPerSecond + dayTicks - offsetSeconds * Timestamp.ticksPerSecond
    }
}

package func isLeap(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

package func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
    switch m {
    case 2: return isLeap(y) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
package func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
package func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
}

extension Int64 {
    package func quotientAndRemainderFlooring(dividingBy d: Int64) -> (Int64, Int64) {
        var (q, r) = quotientAndRemainder(dividingBy: d)
        if r < 0 { q -= 1; r += d }
        return (q, r)
    }
}
