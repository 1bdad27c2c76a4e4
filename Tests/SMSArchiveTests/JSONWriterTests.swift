import Testing
@testable import SMSArchive
@testable import SMSRecords

@Suite struct JSONWriterTests {
    @Test func writesCompactTextWithRequiredEscapesOnly() {
        let value = JSONValue.object(JSONObject([
            JSONMember(key: "s", value: .string("a\"b\\c\n\u{01}/é😀")),
            JSONMember(key: "n", value: .number("1e3")),
            JSONMember(key: "z", value: .null),
            JSONMember(key: "l", value: .array([.bool(true), .bool(false), .object(JSONObject())])),
        ]))
        let text = String(decoding: JSONWriter.bytes(of: value), as: UTF8.self)
        #expect(text == #"{"s":"a\"b\\c\n\u0001/é😀","n":1e3,"z":null,"l":[true,false,{}]}"#)
    }

    @Test func roundTripsThroughTheParser() throws {
        let text = #"{"time":"2026-10-01T00:00:06.4610620Z","p":{"x":[1,-0,1.50,"\u0000\t"],"y":null},"":"empty key","é":"\u2028"}"#
        let value = try JSONParser.parseDocument(text)
        let again = try JSONParser.parseDocument(JSONWriter.bytes(of: value))
        #expect(again == value)
    }

    @Test func equivalenceIgnoresOrderAndNumberSpelling() throws {
        let a = try JSONParser.parseDocument(#"{"a":1.0,"b":[1e3,-0,0.10]}"#)
        let b = try JSONParser.parseDocument(#"{"b":[1000,0,1e-1],"a":1}"#)
        let c = try JSONParser.parseDocument(#"{"b":[1000,0,1e-1],"a":2}"#)
        #expect(a.isEquivalent(to: b))
        #expect(!a.isEquivalent(to: c))
        #expect(!JSONValue.string("1").isEquivalent(to: .number("1")))
    }
}

@Suite struct DecimalTests {
    @Test func appendDecimalWritesWhatStringWrites() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 123_456_789, -987_654_321_012, Int64.max, Int64.min, Int64.min + 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 { values.append(Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...62)) }
        for v in values {
            var out: [UInt8] = [UInt8(ascii: "x")]
            appendDecimal(v, to: &out)
            #expect(out == Array(("x" + String(v)).utf8), "\(v)")
        }
    }
}
