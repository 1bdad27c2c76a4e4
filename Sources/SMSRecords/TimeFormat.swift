import SMSSupport
/// How a record's time text was spelled, so that it can be rebuilt from ticks
/// exactly: ISO 8601 with its fraction digits, date/time separator and zone, or
/// the US form (see `USTime`) with its padding and clock.
package struct TimeFormat: Hashable, Sendable {
    /// How a US-form time is written.
    package struct USStyle: OptionSet, Hashable, Sendable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Month and day always have two digits (`01/02/2026`).
        package static let paddedDate = USStyle(rawValue: 1)
        /// The hour always has two digits (`09:05:00`).
        package static let paddedHour = USStyle(rawValue: 2)
        /// A 12-hour clock with ` AM` or ` PM` after the time.
        package static let twelveHour = USStyle(rawValue: 4)
        package static let all: USStyle = [.paddedDate, .paddedHour, .twelveHour]
    }

    /// Digits after the decimal point; 0 means no fraction at all.
    package var fractionDigits: UInt8
    /// `T`, `t` or a space.
    package var separator: UInt8
    /// 0 no zone, 1 `Z`, 2 `z`, 3 a numeric offset `±HH:MM`.
    package var zone: UInt8
    /// The offset in minutes when `zone` is 3.
    package var offsetMinutes: Int16
    /// Set for a US-form time (then `separator`, `zone` and `offsetMinutes` are unused).
    package var us: USStyle?

    package init(fractionDigits: UInt8, separator: UInt8, zone: UInt8, offsetMinutes: Int16, us: USStyle? = nil) {
        self.fractionDigits = fractionDigits
        self.separator = separator
        self.zone = zone
        self.offsetMinutes = offsetMinutes
        self.us = us
    }

    /// The storage spelling `YYYY-MM-DDTHH:MM:SS.fffffffZ`, which rebuilds every time that
    /// `Timestamp.parseStorageForm` takes.
    package static let storage = TimeFormat(fractionDigits: 7, separator: UInt8(ascii: "T"), zone: 1, offsetMinutes: 0)

    /// The US format of `text` that rebuilds it exactly from `ticks`, if any.
    package static func exactUS(of text: String, ticks: Int64) -> TimeFormat? {
        var text = text
        guard let fields = text.withUTF8({ USTime.fields($0) }) else { return nil }
        for padding: USStyle in [[.paddedDate, .paddedHour], [.paddedDate], [.paddedHour], []] {
            let style = fields.twelveHour ? padding.union(.twelveHour) : padding
            let format = TimeFormat(fractionDigits: UInt8(fields.fractionDigits), separator: 0x20, zone: 0, offsetMinutes: 0, us: style)
            if format.text(for: ticks) == text { return format }
        }
        return nil
    }

    /// The format of `text` if rebuilding it from its ticks gives `text` back exactly.
    package static func exact(of text: String, ticks: Int64) -> TimeFormat? {
        var text = text
        return text.withUTF8 { exact(utf8: $0, ticks: ticks) }
    }

    /// `exact(of:ticks:)` for the time's UTF-8 bytes: the ingest path calls it once per record, so
    /// it builds no `String` and renders the check into one small buffer.
    package static func exact(utf8 bytes: UnsafeBufferPointer<UInt8>, ticks: Int64) -> TimeFormat? {
        if bytes.count > 2, bytes[1] == 0x2F || bytes[2] == 0x2F { return exactUS(of: String(decoding: bytes, as: UTF8.self), ticks: ticks) }
        guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[13] == 0x3A, bytes[16] == 0x3A else { return nil }
        var format = TimeFormat(fractionDigits: 0, separator: bytes[10], zone: 0, offsetMinutes: 0)
        var i = 19
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            let start = i
            while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
            // More digits than a UInt8 holds cannot be rebuilt (and no real time has them).
            guard i - start <= Int(UInt8.max) else { return nil }
            format.fractionDigits = UInt8(i - start)
        }
        if i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "Z"): format.zone = 1
            case UInt8(ascii: "z"): format.zone = 2
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard bytes.count == i + 6 else { return nil }
                let hours = Int16(bytes[i + 1] &- 0x30) * 10 + Int16(bytes[i + 2] &- 0x30)
                let minutes = Int16(bytes[i + 4] &- 0x30) * 10 + Int16(bytes[i + 5] &- 0x30)
                format.zone = 3
                format.offsetMinutes = (bytes[i] == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
            default: return nil
            }
        }
        var rebuilt: [UInt8] = []
        rebuilt.reserveCapacity(bytes.count)
        format.append(ticks, to: &rebuilt)
        return rebuilt.withUnsafeBufferPointer { $0.elementsEqual(bytes) } ? format : nil
    }

    /// The time text for `ticks` in this format.
    package func text(for ticks: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(34)
        append(ticks, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the time text for `ticks` in this format.
    package func append(_ ticks: Int64, to out: inout [UInt8]) {
        if let us { return appendUS(ticks, style: us, to: &out) }
        let local = ticks &+ Int64(offsetMinutes) * 60 * Timestamp.ticksPerSecond
        let (days, dayTicks) = local.quotientAndRemainderFlooring(dividingBy: 86_400 * Timestamp.ticksPerSecond)
        let (y, m, d) = civilFromDays(days)
        func put(_ v: Int64, _ width: Int) { Self.appendDigits(v, width: width, to: &out) }
        let seconds = dayTicks / Timestamp.ticksPerSecond
        put(y, 4); out.append(0x2D); put(m, 2); out.append(0x2D); put(d, 2)
        out.append(separator)
        put(seconds / 3600, 2); out.append(0x3A); put(seconds / 60 % 60, 2); out.append(0x3A); put(seconds % 60, 2)
        appendFraction(dayTicks % Timestamp.ticksPerSecond, to: &out)
        switch zone {
        case 1: out.append(UInt8(ascii: "Z"))
        case 2: out.append(UInt8(ascii: "z"))
        case 3:
            out.append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = Int64(abs(Int(offsetMinutes)))
            put(magnitude / 60, 2); out.append(0x3A); put(magnitude % 60, 2)
        default: break
        }
    }

    private func appendUS(_ ticks: Int64, style: USStyle, to out: inout [UInt8]) {
        let (days, dayTicks) = ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay)
        let (y, m, d) = civilFromDays(days)
        func put(_ v: Int64, _ width: Int) {
            let s = String(v)
            for _ in s.utf8.count..<max(width, s.utf8.count) { out.append(0x30) }
            out.append(contentsOf: s.utf8)
        }
        let date = style.contains(.paddedDate) ? 2 : 1
        put(m, date); out.append(0x2F); put(d, date); out.append(0x2F); put(y, 4)
        out.append(0x20)
        let seconds = dayTicks / Timestamp.ticksPerSecond
        var hour = seconds / 3600
        if style.contains(.twelveHour) { hour = hour % 12 == 0 ? 12 : hour % 12 }
        put(hour, style.contains(.paddedHour) ? 2 : 1); out.append(0x3A)
        put(seconds / 60 % 60, 2); out.append(0x3A); put(seconds % 60, 2)
        appendFraction(dayTicks % Timestamp.ticksPerSecond, to: &out)
        if style.contains(.twelveHour) {
            out.append(contentsOf: (seconds / 3600 < 12 ? " AM" : " PM").utf8)
        }
    }

    /// `.` and `fractionDigits` digits of the fraction (none when `fractionDigits` is 0): its seven
    /// digits cut or padded with zeros.
    private func appendFraction(_ fraction: Int64, to out: inout [UInt8]) {
        guard fractionDigits > 0 else { return }
        out.append(0x2E)
        let digits = Int(fractionDigits)
        if digits >= 7 {
            Self.appendDigits(fraction, width: 7, to: &out)
            for _ in 7..<digits { out.append(0x30) }
        } else {
            Self.appendDigits(fraction / Self.powersOfTen[7 - digits], width: digits, to: &out)
        }
    }

    private static let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]

    /// The last `width` (at most 7) decimal digits of `value` (not negative), zero-padded: times
    /// are written on every record that `scan` prints, so this appends in place, with no array.
    @inline(__always)
    private static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var divisor = powersOfTen[width - 1]
        while divisor > 0 {
            out.append(0x30 + UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }
}
