import Testing
@testable import SMSIngest
@testable import SMSRecords

/// `JSONStringScan.end` (eight bytes a step) and `firstInvalidUTF8` (32, then 8 bytes a step) must
/// find what a byte-by-byte reading finds, wherever in a word or block the byte that matters falls.
@Suite struct JSONStringScanTests {
    /// The byte-by-byte answer: the first quote, backslash or control character ends the scan; a quote
    /// ends the string if the bytes before it are valid UTF-8 (the standard library's validation).
    static func expectedEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard let j = bytes[start...].firstIndex(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }), bytes[j] == 0x22 else { return nil }
        return String(validating: bytes[start..<j], as: UTF8.self) == nil ? nil : j
    }

    static func scan(_ bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { JSONStringScan.end($0, from: start) }
    }

    static let nonASCII: [[UInt8]] = ["é", "✓", "😀"].map { Array($0.utf8) }
    static let invalid: [[UInt8]] = [
        [0x80],                    // a continuation byte alone
        [0xE2, 0x9C],              // a sequence cut short by the quote
        [0xC0, 0xAF],              // overlong
        [0xED, 0xA0, 0x80],        // a surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xFF],
    ]

    /// `{"` then `length` ASCII letters with `insert` at `position`, then a quote and `tail`.
    static func string(length: Int, insert: [UInt8], at position: Int, tail: [UInt8] = []) -> [UInt8] {
        var text = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        text.insert(contentsOf: insert, at: position)
        return Array(#"{""#.utf8) + text + [0x22] + tail
    }

    @Test func findsTheQuoteAfterNonASCIIAtEveryOffset() {
        for length in 0...40 {
            for position in 0...length {
                for char in Self.nonASCII {
                    for tail in [[], Array(#":1}"#.utf8), Array(repeating: UInt8(ascii: "x"), count: 17)] {
                        let line = Self.string(length: length, insert: char, at: position, tail: tail)
                        // The quote's offset, counted by hand: two bytes before the text, then the text.
                        #expect(Self.scan(line, from: 2) == 2 + length + char.count, "\(line)")
                        #expect(Self.scan(line, from: 2) == Self.expectedEnd(line, from: 2))
                    }
                }
            }
        }
    }

    @Test func stopsAtAnEscapeOrControlCharacterAtEveryOffset() {
        for length in 0...40 {
            for position in 0...length {
                for stop: UInt8 in [0x5C, 0x00, 0x09, 0x0A, 0x1F] {
                    let line = Self.string(length: length, insert: [stop], at: position, tail: Array(#":"x"}"#.utf8))
                    #expect(Self.scan(line, from: 2) == nil, "\(line)")
                    #expect(Self.expectedEnd(line, from: 2) == nil)
                }
                // 0x20 and 0x7F are not control characters to JSON; a quote ends the string where it is.
                for plain: UInt8 in [0x20, 0x7F, 0x21, 0x23, 0x5B, 0x5D] {
                    let line = Self.string(length: length, insert: [plain], at: position)
                    #expect(Self.scan(line, from: 2) == 2 + length + 1)
                }
                let quoted = Self.string(length: length, insert: [0x22], at: position)
                #expect(Self.scan(quoted, from: 2) == 2 + position)
            }
        }
    }

    @Test func rejectsInvalidUTF8AtEveryOffset() {
        for length in 0...40 {
            for position in 0...length {
                for bad in Self.invalid {
                    let line = Self.string(length: length, insert: bad, at: position, tail: Array(#":1}"#.utf8))
                    #expect(Self.scan(line, from: 2) == nil, "\(line)")
                    #expect(Self.expectedEnd(line, from: 2) == nil)
                    var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                    bytes.insert(contentsOf: bad, at: position)
                    #expect(bytes.withUnsafeBytes { firstInvalidUTF8($0) } == position, "\(bytes)")
                }
            }
        }
    }

    @Test func aStringWithoutItsQuoteOrCutInASequenceHasNoEnd() {
        for length in 0...40 {
            let open = Array(#"{""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: length)
            #expect(Self.scan(open, from: 2) == nil)
            for char in Self.nonASCII {
                // The line ends inside a multi-byte character.
                for cut in 1..<char.count {
                    let line = open + char.prefix(cut)
                    #expect(Self.scan(line, from: 2) == nil, "\(line)")
                    #expect(line.withUnsafeBytes { firstInvalidUTF8($0) } == 2 + length)
                }
            }
        }
        #expect(Self.scan([], from: 0) == nil)
    }

    @Test func validUTF8HasNoInvalidByte() {
        for length in 0...70 {
            for char in Self.nonASCII {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                bytes.insert(contentsOf: char, at: length / 2)
                #expect(bytes.withUnsafeBytes { firstInvalidUTF8($0) } == nil)
            }
        }
    }
}
