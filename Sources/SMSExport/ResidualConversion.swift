import SMSRecords

/// Typed values for members the archive keeps in the residual column because their
/// JSON type differs from their column's (`"durationMs":"78"`, a count written `1.0`,
/// a phone number written as a number). Only conversions with one possible result
/// are made; the member itself also goes to the export's `extra` column unchanged.
package enum ResidualConversion {
    /// The value for a string column: strings as they are, numbers as their JSON text, booleans as `true`/`false`.
    package static func string(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .number(let text): return text
        case .bool(let b): return b ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    /// The value for an integer column: a number, or a string holding a number, whose
    /// value is an integer that fits Int64 (`1.0`, `1e3`, `"78"`); nil otherwise.
    package static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .number(let text), .string(let text): return exactInteger(text)
        default: return nil
        }
    }

    /// The integer value of JSON number text, when it has no fractional part and fits Int64.
    static func exactInteger(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var scale = 0          // the value is digits × 10^scale
        var sawDigit = false
        while let b = bytes.first, (0x30...0x39).contains(b) { digits.append(b - 0x30); bytes = bytes.dropFirst(); sawDigit = true }
        // JSON's number grammar: a leading zero stands alone ("078" may be a code, not 78).
        guard sawDigit, digits.count == 1 || digits.first != 0 else { return nil }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            var fraction = false
            while let b = bytes.first, (0x30...0x39).contains(b) { digits.append(b - 0x30); scale -= 1; bytes = bytes.dropFirst(); fraction = true }
            guard fraction else { return nil }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            var exponent = 0
            var sawExponent = false
            while let b = bytes.first, (0x30...0x39).contains(b) {
                guard exponent < 10_000 else { return nil }
                exponent = exponent * 10 + Int(b - 0x30)
                bytes = bytes.dropFirst()
                sawExponent = true
            }
            guard sawExponent else { return nil }
            scale += exponentNegative ? -exponent : exponent
        }
        guard bytes.isEmpty else { return nil }
        // Trailing zeros of a fraction do not make it fractional: 1.50e1 is 15.
        while scale < 0, digits.last == 0 { digits.removeLast(); scale += 1 }
        guard scale >= 0 else { return nil }
        var magnitude: UInt64 = 0
        for d in digits {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            magnitude = a
        }
        for _ in 0..<scale where magnitude != 0 {
            let (m, o) = magnitude.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            magnitude = m
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
