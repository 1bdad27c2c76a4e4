import Testing
@testable import SMSArchive
@testable import SMSRecords

@Suite struct JSONParserTests {
    @Test func keepsNumberTextExactly() throws {
        for text in ["0", "-0", "1.0", "1e3", "1E+2", "-12.5e-7", "12345678901234567890123", "0.1"] {
            #expect(try JSONParser.parseDocument(text) == .number(text))
        }
    }

    @Test func keepsMemberOrderAndDuplicates() throws {
        let value = try JSONParser.parseDocument(#"{"b":1,"a":null,"b":[true,false]}"#)
        #expect(value == .object(JSONObject([
            JSONMember(key: "b", value: .number("1")),
            JSONMember(key: "a", value: .null),
            JSONMember(key: "b", value: .array([.bool(true), .bool(false)])),
        ])))
    }

    @Test func decodesEscapesAndUnicode() throws {
        let value = try JSONParser.parseDocument(#"["\"\\\/\b\f\n\r\t","\u00e9\u4e2d","\ud83d\ude00","é中😀","\u0000"]"#)
        #expect(value == .array([
            .string("\"\\/\u{08}\u{0C}\n\r\t"), .string("é中"), .string("😀"), .string("é中😀"), .string("\u{0}"),
        ]))
    }

    @Test func allowsWhitespaceAroundTokens() throws {
        let value = try JSONParser.parseDocument(" \t{ \"a\" :\r\n [ 1 , 2 ] } \n")
        #expect(value == .object(JSONObject([JSONMember(key: "a", value: .array([.number("1"), .number("2")]))])))
    }

    /// Each invalid text, with the error kind it must give.
    @Test(arguments: [
        (#"{"a": }"#, JSONParseError.Kind.syntax),
        (#"{"a":1,}"#, .syntax),
        ("[1,]", .syntax),
        ("this is not json", .syntax),
        ("{'a':1}", .syntax),
        (#"{"a":1} trailing"#, .syntax),
        (#"{"n": 01}"#, .syntax),
        ("-", .unexpectedEnd),
        ("1.", .unexpectedEnd),
        ("1.e5", .syntax),
        (".5", .syntax),
        ("+1", .syntax),
        ("NaN", .syntax),
        ("-Infinity", .syntax),
        ("TRUE", .syntax),
        ("nul", .unexpectedEnd),
        ("nulx", .syntax),
        (#"["\x41"]"#, .syntax),
        (#"["\ud800"]"#, .syntax),
        (#"["\ud800\u0041"]"#, .syntax),
        (#"["\udc00"]"#, .syntax),
        (#"["\u12"]"#, .syntax),
        ("[\"a\u{01}b\"]", .syntax),
        ("{a:1}", .syntax),
        (#"{"a":1"#, .unexpectedEnd),
        (#"{"a":"abc"#, .unexpectedEnd),
        ("[1,2,", .unexpectedEnd),
        ("", .unexpectedEnd),
        ("   ", .unexpectedEnd),
        ("}", .syntax),
        (#"{"a" 1}"#, .syntax),
        ("[1 2]", .syntax),
    ])
    func rejectsInvalidText(text: String, kind: JSONParseError.Kind) {
        #expect(throws: JSONParseError.self) { try JSONParser.parseDocument(text) }
        do {
            _ = try JSONParser.parseDocument(text)
        } catch {
            #expect(error.kind == kind, "\(text): \(error.message)")
        }
    }

    @Test(arguments: [
        [0xC3, 0x28] as [UInt8], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ])
    func rejectsInvalidUTF8(bad: [UInt8]) {
        let bytes = Array(#"{"a":""#.utf8) + bad + Array(#""}"#.utf8)
        do {
            _ = try JSONParser.parseDocument(bytes)
            Issue.record("accepted invalid UTF-8 \(bad)")
        } catch {
            #expect(error.kind == .invalidUTF8)
            #expect(error.offset == 6)
        }
    }

    @Test func acceptsFourByteAndBoundaryUTF8() throws {
        let bytes: [UInt8] = [0x22, 0xF0, 0x9F, 0x98, 0x80, 0xEF, 0xBF, 0xBF, 0xC2, 0x80, 0x22]
        #expect(try JSONParser.parseDocument(bytes) == .string("😀\u{FFFF}\u{80}"))
    }

    @Test func limitsNesting() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONParser.parseDocument(ok)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect { try JSONParser.parseDocument(deep) } throws: { ($0 as? JSONParseError)?.kind == .tooDeep }
        // Far deeper than any stack could recurse: must fail cleanly, not crash.
        let hostile = String(repeating: "[{\"a\":", count: 200_000)
        #expect { try JSONParser.parseDocument(hostile) } throws: { ($0 as? JSONParseError)?.kind == .tooDeep }
    }

    @Test func parsesAHugeLine() throws {
        let big = String(repeating: "x", count: 5_000_000)
        #expect(try JSONParser.parseDocument("[\"\(big)\"]") == .array([.string(big)]))
    }
}
