/// How a record's time text was spelled, so that it can be rebuilt from ticks
/// exactly: fraction digits, date/time separator, and zone.
public struct TimeFormat: Hashable, Sendable {
    /// Digits after the decimal point; 0 means no fraction at all.
    public var fractionDigits: UInt8
    /// `T`, `t` or a space.
    public var separator: UInt8
    /// 0 no zone, 1 `Z`, 2 `z`, 3 a numeric offset `±HH:MM`.
    public var zone: UInt8
    /// The offset in minutes when `zone` is 3.
    public var offsetMinutes: Int16

    /// The format of `text` if rebuilding it from its ticks gives `text` back exactly.
    static func exact(of text: String, ticks: Int64) -> TimeFormat? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[13] == 0x3A, bytes[16] == 0x3A else { return nil }
        var format = TimeFormat(fractionDigits: 0, separator: bytes[10], zone: 0, offsetMinutes: 0)
        var i = 19
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            let start = i
            while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
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
        return format.text(for: ticks) == text ? format : nil
    }

    /// The time text for `ticks` in this format.
    public func text(for ticks: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(34)
        append(ticks, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the time text for `ticks` in this format.
    public func append(_ ticks: Int64, to out: inout [UInt8]) {
        let local = ticks &+ Int64(offsetMinutes) * 60 * Timestamp.ticksPerSecond
        let (days, dayTicks) = local.quotientAndRemainderFlooring(dividingBy: 86_400 * Timestamp.ticksPerSecond)
        let (y, m, d) = civilFromDays(days)
        func put(_ v: Int64, _ width: Int) {
            var digits = [UInt8](repeating: 0x30, count: width)
            var v = v
            for k in stride(from: width - 1, through: 0, by: -1) {
                digits[k] = 0x30 + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: digits)
        }
        let seconds = dayTicks / Timestamp.ticksPerSecond
        put(y, 4); out.append(0x2D); put(m, 2); out.append(0x2D); put(d, 2)
        out.append(separator)
        put(seconds / 3600, 2); out.append(0x3A); put(seconds / 60 % 60, 2); out.append(0x3A); put(seconds % 60, 2)
        if fractionDigits > 0 {
            out.append(0x2E)
            let fraction = dayTicks % Timestamp.ticksPerSecond
            var seven = [UInt8](repeating: 0x30, count: 7)
            var f = fraction
            for k in stride(from: 6, through: 0, by: -1) { seven[k] = 0x30 + UInt8(f % 10); f /= 10 }
            for k in 0..<Int(fractionDigits) { out.append(k < 7 ? seven[k] : 0x30) }
        }
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
}
