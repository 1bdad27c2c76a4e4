/// Why a piece of text is not a JSON value.
package struct JSONParseError: Error, Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// The bytes are not valid UTF-8.
        case invalidUTF8
        /// The text breaks the JSON grammar.
        case syntax
        /// Arrays and objects nest deeper than the parser's limit.
        case tooDeep
        /// The text ends inside a value: the usual sign of a cut line.
        case unexpectedEnd
    }
    package var kind: Kind
    /// Byte offset of the problem within the parsed text.
    package var offset: Int
    package var message: String

    package init(kind: Kind, offset: Int, message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }
}

/// A byte-level JSON parser (RFC 8259) that keeps what exact round trips need:
/// number text, member order, duplicate keys.
///
/// Written by hand because it is the hot path of `convert`; recursion is
/// bounded by `maxDepth`, so hostile input cannot exhaust the stack.
package struct JSONParser {
    /// Nesting deeper than this is rejected as `tooDeep`.
    package static let defaultMaxDepth = 512
    /// What archived JSON is read back with: a residual wraps members two levels deeper.
    package static let storedMaxDepth = defaultMaxDepth + 4

    /// Parses `bytes` as exactly one JSON value with optional surrounding whitespace.
    package static func parseDocument(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        if let bad = firstInvalidUTF8(bytes) {
            throw JSONParseError(kind: .invalidUTF8, offset: bad, message: "invalid UTF-8 at byte \(bad + 1)")
        }
        var scanner = JSONScanner(bytes, maxDepth: maxDepth)
        let value = try scanner.parseValue()
        scanner.skipWhitespace()
        if scanner.index < scanner.count {
            throw scanner.error(.syntax, "unexpected \(scanner.describeCurrent()) after the JSON value")
        }
        return value
    }

    /// Parses `bytes` as exactly one JSON value.
    package static func parseDocument(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buffer in
            do throws(JSONParseError) { return .success(try parseDocument(buffer, maxDepth: maxDepth)) }
            catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses `text` as exactly one JSON value.
    package static func parseDocument(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parseDocument(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// The parser's cursor over a buffer of already validated UTF-8.
package struct JSONScanner {
    package let base: UnsafePointer<UInt8>?
    package let count: Int
    package let maxDepth: Int
    package var index = 0
    package var depth = 0

    package init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        count = bytes.count
        self.maxDepth = maxDepth
    }

    @inline(__always) package func byte(_ i: Int) -> UInt8 { base![i] }

    package func error(_ kind: JSONParseError.Kind, _ message: String, at offset: Int? = nil) -> JSONParseError {
        let at = offset ?? index
        return JSONParseError(kind: kind, offset: at, message: "\(message) at column \(at + 1)")
    }

    package func endError(_ what: String) -> JSONParseError {
        JSONParseError(kind: .unexpectedEnd, offset: count, message: "input ends inside \(what)")
    }

    package func describeCurrent() -> String {
        guard index < count else { return "end of input" }
        let b = byte(index)
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    @inline(__always) package mutating func skipWhitespace() {
        while index < count {
            switch byte(index) {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    package mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < count else { throw endError("a value") }
        switch byte(index) {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), 0x30...0x39: return .number(try parseNumber())
        default: throw error(.syntax, "unexpected \(describeCurrent()) where a value was expected")
        }
    }

    package mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error(.tooDeep, "nesting deeper than \(maxDepth) levels") }
    }

    package mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if index < count, byte(index) == UInt8(ascii: "}") {
            index += 1; depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard index < count else { throw endError("an object") }
            guard byte(index) == UInt8(ascii: "\"") else {
                throw error(.syntax, "expected a string key but found \(describeCurrent())")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < count else { throw endError("an object") }
            guard byte(index) == UInt8(ascii: ":") else {
                throw error(.syntax, "expected ':' after an object key but found \(describeCurrent())")
            }
            index += 1
            let value = try parseValue()
            members.append(JSONMember(key: key, value: value))
            skipWhitespace()
            guard index < count else { throw endError("an object") }
            switch byte(index) {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1; depth -= 1
                return .object(JSONObject(members))
            default: throw error(.syntax, "expected ',' or '}' in an object but found \(describeCurrent())")
            }
        }
    }

    package mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < count, byte(index) == UInt8(ascii: "]") {
            index += 1; depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < count else { throw endError("an array") }
            switch byte(index) {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1; depth -= 1
                return .array(elements)
            default: throw error(.syntax, "expected ',' or ']' in an array but found \(describeCurrent())")
            }
        }
    }

    package mutating func parseLiteral(_ literal: StaticString) throws(JSONParseError) {
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for expected in bytes {
            guard index < count else { throw endError("'\(literal)'") }
            guard byte(index) == expected else {
                throw error(.syntax, "unexpected \(describeCurrent()) in what looks like '\(literal)'", at: index)
            }
            index += 1
        }
    }

    /// Grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; the text is kept as written.
    package mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        if byte(index) == UInt8(ascii: "-") { index += 1 }
        guard index < count else { throw endError("a number") }
        if byte(index) == UInt8(ascii: "0") {
            index += 1
            if index < count, isDigit(byte(index)) { throw error(.syntax, "number with a leading zero", at: start) }
        } else if isDigit(byte(index)) {
            while index < count, isDigit(byte(index)) { index += 1 }
        } else {
            throw error(.syntax, "expected a digit but found \(describeCurrent())")
        }
        if index < count, byte(index) == UInt8(ascii: ".") {
            index += 1
            try requireDigits()
        }
        if index < count, byte(index) | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, byte(index) == UInt8(ascii: "+") || byte(index) == UInt8(ascii: "-") { index += 1 }
            try requireDigits()
        }
        return String(decoding: UnsafeBufferPointer(start: base! + start, count: index - start), as: UTF8.self)
    }

    package mutating func requireDigits() throws(JSONParseError) {
        guard index < count else { throw endError("a number") }
        guard isDigit(byte(index)) else { throw error(.syntax, "expected a digit but found \(describeCurrent())") }
        while index < count, isDigit(byte(index)) { index += 1 }
    }

    @inline(__always) package func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Parses a string starting at its opening quote; the text is valid UTF-8 already.
    package mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < count {
            let b = byte(index)
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(start: base! + start, count: index - start), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error(.syntax, "unescaped control character 0x\(String(b, radix: 16, uppercase: true)) in a string") }
            index += 1
        }
        guard index < count else { throw endError("a string") }
        var decoded = Array(UnsafeBufferPointer(start: base! + start, count: index - start))
        while index < count {
            let b = byte(index)
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &decoded)
            case 0..<0x20:
                throw error(.syntax, "unescaped control character 0x\(String(b, radix: 16, uppercase: true)) in a string")
            default:
                decoded.append(b)
                index += 1
            }
        }
        throw endError("a string")
    }

    package mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < count else { throw endError("a string escape") }
        let c = byte(index)
        index += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(c)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                let lone = error(.syntax, "lone surrogate \\u\(String(scalar, radix: 16)) in a string", at: escapeStart)
                guard index < count else { throw endError("a string escape") }
                guard byte(index) == UInt8(ascii: "\\") else { throw lone }
                guard index + 1 < count else { throw endError("a string escape") }
                guard byte(index + 1) == UInt8(ascii: "u") else { throw lone }
                index += 2
                let low = try parseHex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error(.syntax, "lone surrogate \\u\(String(scalar, radix: 16)) in a string", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error(.syntax, "lone surrogate \\u\(String(scalar, radix: 16)) in a string", at: escapeStart)
            }
            appendUTF8(scalar, to: &out)
        default:
            throw error(.syntax, "invalid escape '\\\(Character(Unicode.Scalar(c)))' in a string", at: escapeStart)
        }
    }

    package mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < count else { throw endError("a \\u escape") }
            let b = byte(index)
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x41...0x46: digit = b - 0x41 + 10
            case 0x61...0x66: digit = b - 0x61 + 10
            default: throw error(.syntax, "invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

/// Appends the UTF-8 encoding of `scalar` (a valid Unicode scalar value).
package func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        out.append(UInt8(scalar))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (scalar >> 6)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (scalar >> 12)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (scalar >> 18)))
        out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
}
