import SMSSupport
/// Writes JSON values as compact UTF-8 text: members in their original order,
/// numbers as their original text, strings with only the escapes JSON requires.
///
/// The output has no whitespace. In strings, `"` and `\` are escaped, as are control characters
/// (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00hh`); `/`, DEL and non-ASCII characters are written as
/// they are. Writing a record's ``JSONObject`` so gives back its input line when that line was
/// compact and used no other escapes; for the exact bytes of a record as read, SMSArchive's
/// `RecordBatch.writeJSON(row:to:)` is the way.
///
/// ```swift
/// let text = String(decoding: JSONWriter.bytes(of: record.object), as: UTF8.self)
/// ```
public enum JSONWriter {
    /// The compact JSON text of `value`.
    ///
    /// - Parameter value: The value to write.
    /// - Returns: The text's UTF-8 bytes.
    public static func bytes(of value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, to: &out)
        return out
    }

    /// The compact JSON text of `object`.
    ///
    /// - Parameter object: The object to write.
    /// - Returns: The text's UTF-8 bytes.
    public static func bytes(of object: JSONObject) -> [UInt8] {
        bytes(of: .object(object))
    }

    /// Appends the compact JSON text of `value` to `out`.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - out: The buffer to append to.
    public static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let s): writeString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `s` as a JSON string literal.
    package static func writeString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { writeString(utf8: $0, to: &out) }
    }

    /// Appends the UTF-8 text `utf8` as a JSON string literal.
    package static func writeString(utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<utf8.count {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            runStart = i + 1
            out.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        out.append(UInt8(ascii: "\""))
    }
}
