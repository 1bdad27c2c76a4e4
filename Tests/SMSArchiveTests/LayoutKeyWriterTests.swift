import Testing
@testable import SMSRecords
@testable import SMSSupport

/// `LayoutKeyWriter` writes each key over the one before: whatever the two share (nothing, a
/// prefix, all of one), the key it gives is the bytes `ByteWriter` writes for the same tokens.
@Suite struct LayoutKeyWriterTests {
    /// Tokens as (op, column, key): a layout's keyed tokens, then a time token unless its offset is nil.
    typealias Tokens = [(op: UInt8, column: Int?, key: String)]

    static func write<Sink: LayoutByteSink>(_ tokens: Tokens, timeOffset: Int?, to sink: inout Sink) {
        for token in tokens {
            var key = token.key
            key.withUTF8 { RecordLayout.writeKeyed(token.op, column: token.column, key: $0, to: &sink) }
        }
        guard let timeOffset else { return }
        var timeKey = "time"
        let format = TimeFormat(fractionDigits: 7, separator: UInt8(ascii: "T"), zone: 1, offsetMinutes: Int16(timeOffset))
        timeKey.withUTF8 { RecordLayout.writeTime(key: $0, format: format, to: &sink) }
    }

    static let base: Tokens = [(1, 3, "category"), (1, 4, "resourceId"), (3, nil, "properties"), (1, 20, "PhoneNumber"), (1, 21, "Country")]

    static let layouts: [(Tokens, Int?)] = [
        (base, 0),
        (base, 0),                                             // the same
        (Array(base.prefix(3)), 0),                            // a prefix
        (base + [(1, 22, "MessageId")], 0),                    // longer
        (base.map { ($0.op, $0.column, $0.key == "Country" ? "country" : $0.key) }, 0),   // one byte of a key
        (base.map { ($0.op, $0.column, $0.key == "category" ? "categoryX" : $0.key) }, 0), // a key's length
        (base.map { ($0.op, $0.column == 20 ? 200 : $0.column, $0.key) }, 0),             // a column's varint grows
        (base, -330),                                          // the last bytes only
        ([], 0),                                               // nothing but the time
        (base, 0),
        (base + [(1, 23, String(repeating: "k", count: 200))], 0),   // a key whose length takes two bytes
        (base + [(1, 23, String(repeating: "k", count: 201))], 0),
        (base, nil),                                           // all of it, the key before ending later
        (Array(base.prefix(1)), nil),
    ]

    @Test func eachKeyIsWhatAFreshWriterGives() {
        var writer = LayoutKeyWriter()
        for (tokens, offset) in Self.layouts {
            writer.reset()
            Self.write(tokens, timeOffset: offset, to: &writer)
            var fresh = ByteWriter()
            Self.write(tokens, timeOffset: offset, to: &fresh)
            #expect(writer.finish() == fresh.bytes)
        }
    }

    @Test func aKeyHandedOutStaysAsItWasWhenTheNextIsWritten() {
        var writer = LayoutKeyWriter()
        Self.write(Self.base, timeOffset: 0, to: &writer)
        let first = writer.finish()
        writer.reset()
        Self.write(Array(Self.base.prefix(2)) + [(1, 9, "other")], timeOffset: 60, to: &writer)
        _ = writer.finish()
        var fresh = ByteWriter()
        Self.write(Self.base, timeOffset: 0, to: &fresh)
        #expect(first == fresh.bytes)
    }
}
