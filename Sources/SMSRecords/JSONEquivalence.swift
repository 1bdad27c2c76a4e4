/// JSON value equality in the sense of RFC 8259: object member order does not
/// matter and numbers compare by their numeric value, not their spelling.
///
/// This is the equality the archive guarantees between what was read and what
/// comes back; tests and `verify` use it.
extension JSONValue {
    package func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.isIdentical(to: b)
        case (.number(let a), .number(let b)):
            return a == b || DecimalText(a) == DecimalText(b)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let a), .object(let b)):
            return a.isEquivalent(to: b)
        default: return false
        }
    }
}

extension JSONObject {
    /// Equal as JSON objects: the same keys (exact spelling) with equivalent values, in any order.
    /// With duplicate keys, the last occurrence counts, as most JSON readers do.
    package func isEquivalent(to other: JSONObject) -> Bool {
        let a = lastValueByKey(), b = other.lastValueByKey()   // keyed by exact bytes
        guard a.count == b.count else { return false }
        for (key, value) in a {
            guard let otherValue = b[key], value.isEquivalent(to: otherValue) else { return false }
        }
        return true
    }

    private func lastValueByKey() -> [ExactString: JSONValue] {
        var result: [ExactString: JSONValue] = [:]
        for member in members { result[ExactString(member.key)] = member.value }
        return result
    }
}

/// A JSON number reduced to sign, significant digits and exponent, so that
/// `1.0`, `1`, `10e-1` and `0.1e1` compare equal; `-0` equals `0`.
package struct DecimalText: Equatable {
    package var negative = false
    package var digits: [UInt8] = []
    package var exponent = 0

    package init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        var pointShift = 0, seenPoint = false
        var mantissa: [UInt8] = []
        while let c = bytes.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            guard c >= 0x30, c <= 0x39 else { return nil }
            mantissa.append(c)
            if seenPoint { pointShift -= 1 }
        }
        var exp = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            var expNegative = false
            if bytes.first == UInt8(ascii: "-") { expNegative = true; bytes = bytes.dropFirst() }
            else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            for c in bytes {
                guard c >= 0x30, c <= 0x39 else { return nil }
                exp = min(exp * 10 + Int(c - 0x30), 1_000_000_000)
            }
            if expNegative { exp = -exp }
        }
        // Strip leading zeros, then trailing zeros into the exponent.
        while mantissa.first == 0x30 { mantissa.removeFirst() }
        var trailing = 0
        while mantissa.last == 0x30 { mantissa.removeLast(); trailing += 1 }
        digits = mantissa
        if digits.isEmpty { negative = false; exponent = 0; return }
        exponent = exp + pointShift + trailing
    }
}
