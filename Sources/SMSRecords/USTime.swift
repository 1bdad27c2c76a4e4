/// The US spelling of a time that some Azure services write,
/// `MM/DD/YYYY HH:MM:SS` (taken as UTC), also with unpadded month, day or hour,
/// a fraction, or a 12-hour clock with ` AM` / ` PM`.
package enum USTime {
    /// What was read from the text, before it is turned into ticks.
    package struct Fields {
        package var year: Int64, month: Int64, day: Int64
        package var hour: Int64, minute: Int64, second: Int64
        /// The fraction as ticks (digits past the seventh dropped).
        package var fraction: Int64
        package var fractionDigits: Int
        package var twelveHour: Bool
    }

    /// The ticks of `text`, or nil when it is not a valid US-form time.
    package static func ticks(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let f = fields(p) else { return nil }
        return daysFromCivil(f.year, f.month, f.day) * Timestamp.ticksPerDay
            + ((f.hour * 60 + f.minute) * 60 + f.second) * Timestamp.ticksPerSecond + f.fraction
    }

    package static func fields(_ p: UnsafeBufferPointer<UInt8>) -> Fields? {
        var i = 0
        func number(_ widths: ClosedRange<Int>) -> Int64? {
            var v: Int64 = 0, n = 0
            while i < p.count, n < widths.upperBound, p[i] &- 0x30 < 10 {
                v = v * 10 + Int64(p[i] - 0x30); i += 1; n += 1
            }
            return widths.contains(n) ? v : nil
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < p.count, p[i] == c else { return false }
            i += 1
            return true
        }
        guard let month = number(1...2), expect(0x2F), let day = number(1...2), expect(0x2F),
              let year = number(4...4), expect(0x20),
              var hour = number(1...2), expect(0x3A), let minute = number(2...2), expect(0x3A),
              let second = number(2...2) else { return nil }
        var fraction: Int64 = 0, digits = 0
        if expect(0x2E) {
            while i < p.count, p[i] &- 0x30 < 10 {
                if digits < 7 { fraction = fraction * 10 + Int64(p[i] - 0x30) }
                digits += 1; i += 1
            }
            guard (1...9).contains(digits) else { return nil }
            for _ in min(digits, 7)..<7 { fraction *= 10 }
        }
        var twelveHour = false
        if i + 3 == p.count, p[i] == 0x20, p[i + 2] == UInt8(ascii: "M"),
           p[i + 1] == UInt8(ascii: "A") || p[i + 1] == UInt8(ascii: "P") {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (p[i + 1] == UInt8(ascii: "P") ? 12 : 0)
            twelveHour = true
            i += 3
        }
        guard i == p.count, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              hour < 24, minute < 60, second < 60 else { return nil }
        return Fields(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                      fraction: fraction, fractionDigits: digits, twelveHour: twelveHour)
    }
}
