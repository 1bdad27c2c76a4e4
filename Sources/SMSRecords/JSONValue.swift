import SMSSupport
/// A JSON value exactly as it was read: numbers keep their text, objects keep
/// their member order and any duplicate keys, strings are decoded Unicode.
///
/// The archive promises to give every record back equal, as a JSON value, to
/// what was read; keeping number text and member order makes that promise
/// hold even for values that a `Double` or a dictionary would change.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number, as its JSON text (for example `1.0`, `-0`, `1e3`, `12345678901234567890123`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// One `"key": value` pair of a JSON object.
public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object's members in the order they were written.
public struct JSONObject: Hashable, Sendable {
    public var members: [JSONMember]

    public init(_ members: [JSONMember] = []) {
        self.members = members
    }

    /// The first member whose key equals `key` ignoring ASCII case, as Azure's
    /// field names are matched.
    public func member(named key: String) -> JSONMember? {
        members.first { asciiCaseInsensitiveEquals($0.key, key) }
    }

    /// The value of the first member named `key` (ASCII case ignored).
    public subscript(key: String) -> JSONValue? {
        member(named: key)?.value
    }
}

extension JSONValue {
    /// The string, when this is a JSON string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The object, when this is a JSON object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }
}

/// ASCII-only case-insensitive comparison: Azure field names are ASCII, and
/// this avoids Unicode case folding on the hot path.
@inlinable
package func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { ab in
        b.withUTF8 { bb in
            guard ab.count == bb.count else { return false }
            for i in 0..<ab.count where ab[i] != bb[i] {
                if ab[i] | 0x20 != bb[i] | 0x20 { return false }
                let lower = ab[i] | 0x20
                if lower < 0x61 || lower > 0x7A { return false }
            }
            return true
        }
    }
}

// Equality is exact: member order, number text, and strings byte for byte
// (Swift's `String ==` would call canonically equivalent strings equal).
extension JSONValue {
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x.isIdentical(to: y)
        case (.string(let x), .string(let y)): return x.isIdentical(to: y)
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let t): hasher.combine(ExactString(t))
        case .string(let s): hasher.combine(ExactString(s))
        case .array(let a): hasher.combine(a)
        case .object(let o): hasher.combine(o)
        }
    }
}

extension JSONMember {
    public static func == (a: JSONMember, b: JSONMember) -> Bool {
        a.key.isIdentical(to: b.key) && a.value == b.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ExactString(key))
        hasher.combine(value)
    }
}
