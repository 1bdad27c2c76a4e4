import SMSSupport
/// A JSON value exactly as it was read: numbers keep their text, objects keep
/// their member order and any duplicate keys, strings are decoded Unicode.
///
/// The archive promises to give every record back equal, as a JSON value, to
/// what was read; keeping number text and member order makes that promise
/// hold even for values that a `Double` or a dictionary would change.
///
/// Equality is exact: two values are equal when they have the same members in the same order,
/// the same number text and the same string bytes (strings that Unicode calls canonically
/// equivalent but that differ in bytes are not equal).
///
/// ```swift
/// let record = try batch.record(row: row)
/// if case .number(let text)? = record.object["durationMs"] { print(text) }          // "199"
/// let phone = record.object["properties"]?.objectValue?["PhoneNumber"]?.stringValue // flat records: record.object["PhoneNumber"]
/// ```
public enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its JSON text (for example `1.0`, `-0`, `1e3`, `12345678901234567890123`).
    case number(String)
    /// A string, its escapes decoded.
    case string(String)
    /// An array of values.
    case array([JSONValue])
    /// An object: its members in order, duplicate keys kept.
    case object(JSONObject)
}

/// One `"key": value` pair of a JSON object.
public struct JSONMember: Hashable, Sendable {
    /// The member's name, its escapes decoded.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// A member named `key` with `value`.
    ///
    /// - Parameters:
    ///   - key: The member's name.
    ///   - value: The member's value.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object's members in the order they were written.
///
/// Duplicate keys are kept, in order. Lookups by name (``member(named:)`` and the subscript)
/// ignore ASCII letter case, as Azure's field names are matched, and find the first member of
/// that name.
public struct JSONObject: Hashable, Sendable {
    /// The members, in the order they were written, duplicates included.
    public var members: [JSONMember]

    /// An object of the given members, in order.
    ///
    /// - Parameter members: The members; none by default.
    public init(_ members: [JSONMember] = []) {
        self.members = members
    }

    /// The first member whose key equals `key` ignoring ASCII case, as Azure's
    /// field names are matched.
    ///
    /// - Parameter key: The name to look for.
    /// - Returns: The member, or `nil` when the object has none of that name.
    public func member(named key: String) -> JSONMember? {
        members.first { asciiCaseInsensitiveEquals($0.key, key) }
    }

    /// The value of the first member named `key` (ASCII case ignored), or `nil` when there is none.
    ///
    /// - Parameter key: The name to look for.
    public subscript(key: String) -> JSONValue? {
        member(named: key)?.value
    }
}

extension JSONValue {
    /// The string, when this is a JSON string; otherwise `nil` (a number's text is not a string).
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The object, when this is a JSON object; otherwise `nil`.
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
    /// Whether two values are exactly equal: same type, same member order and keys, same number
    /// text and same string bytes.
    ///
    /// - Parameters:
    ///   - a: A value.
    ///   - b: Another value.
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

    /// Hashes the value consistently with `==`: by its exact bytes and member order.
    ///
    /// - Parameter hasher: The hasher to feed.
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
    /// Whether two members are exactly equal: the same key bytes (letter case counts here) and
    /// equal values.
    ///
    /// - Parameters:
    ///   - a: A member.
    ///   - b: Another member.
    public static func == (a: JSONMember, b: JSONMember) -> Bool {
        a.key.isIdentical(to: b.key) && a.value == b.value
    }

    /// Hashes the member consistently with `==`: by its key's exact bytes and its value.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ExactString(key))
        hasher.combine(value)
    }
}
