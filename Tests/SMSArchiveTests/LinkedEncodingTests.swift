import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSRecords
@testable import SMSSupport

/// The version-4 encodings that use other columns of the block: row links
/// (`RowLinks`), `linkedStrings` and the `rowIdentifiers` form. Byte layouts
/// worked out by hand, round trips, and damaged input that must throw.
@Suite struct LinkedEncodingTests {
    private static func values(_ chunk: StringChunk) -> [String] { (0..<chunk.count).map { chunk[$0] } }

    // MARK: RowLinks

    @Test func rowLinksComeFromRepeatsCorrelationIdFirst() throws {
        // Rows 0-2 have a correlationId, row 3 has none; rows 0, 1, 3 have a MessageId.
        // Row 2 repeats row 0's correlationId; row 3 repeats row 1's MessageId.
        let links = try RowLinks.rows(rowCount: 4, sources: [
            (rowIndex: [0, 1, 2, -1], repeatOf: [-1, -1, 0]),
            (rowIndex: [0, 1, -1, 2], repeatOf: [-1, -1, 1]),
        ], context: "t")
        #expect(links == [-1, -1, 0, 1])
        // Both columns repeat: the correlationId wins.
        let both = try RowLinks.rows(rowCount: 3, sources: [
            (rowIndex: [0, 1, 2], repeatOf: [-1, -1, 0]),
            (rowIndex: [0, 1, 2], repeatOf: [-1, -1, 1]),
        ], context: "t")
        #expect(both == [-1, -1, 0])
        // A column without repeats (not in an identifier encoding) links nothing.
        #expect(try RowLinks.rows(rowCount: 2, sources: [(rowIndex: [0, 1], repeatOf: nil)], context: "t") == [-1, -1])
    }

    @Test func valueLinksSkipRowsWithoutTheColumn() {
        // Row 1's layout lacks the column: row 3, linked to it, has no linked value.
        #expect(RowLinks.values(rowLinks: [-1, -1, 0, 1], rowIndex: [0, -1, 1, 2]) == [-1, 0, -1])
    }

    @Test func rowLinksRejectARepeatListOfTheWrongLength() {
        #expect(throws: FormatError.self) {
            try RowLinks.rows(rowCount: 2, sources: [(rowIndex: [0, 1], repeatOf: [-1])], context: "t")
        }
    }

    // MARK: linkedStrings

    @Test func linkedStringsByteLayout() throws {
        // v1 is the same as v0 (bit 1); v2 differs from v0 (bit 0, "B"); v3 differs from v2 (bit 0, "").
        let encoded = LinkedStringEncoding.encode(["A", "A", "B", ""], links: [-1, 0, 0, 2])
        #expect(encoded == [0x03, 0x01, 0x41, 0x01, 0x42, 0x00,   // dictionary "A", "B", ""
                            0x01, 0x01,                           // one byte of flags: 1, 0, 0
                            0x00, 0x01, 0x02])                    // explicit ids of v0, v2, v3
        let decoded = try LinkedStringEncoding.decode(encoded, count: 4, links: [-1, 0, 0, 2], context: "t")
        #expect(Self.values(decoded) == ["A", "A", "B", ""])
    }

    @Test func linkedStringsFollowChains() throws {
        // Each value links to the one before: two 1 bits, one explicit value.
        let encoded = LinkedStringEncoding.encode(["x", "x", "x"], links: [-1, 0, 1])
        #expect(encoded == [0x01, 0x01, 0x78, 0x01, 0x03, 0x00])
        #expect(Self.values(try LinkedStringEncoding.decode(encoded, count: 3, links: [-1, 0, 1], context: "t")) == ["x", "x", "x"])
    }

    @Test func linkedStringsWithoutLinksAreADictionary() throws {
        let encoded = LinkedStringEncoding.encode(["a", "b", "a"], links: [-1, -1, -1])
        #expect(encoded == [0x02, 0x01, 0x61, 0x01, 0x62, 0x00, 0x00, 0x01, 0x00])
        #expect(Self.values(try LinkedStringEncoding.decode(encoded, count: 3, links: [-1, -1, -1], context: "t")) == ["a", "b", "a"])
        #expect(LinkedStringEncoding.encode([], links: []) == [0x00, 0x00])
        #expect(try LinkedStringEncoding.decode([0x00, 0x00], count: 0, links: [], context: "t").count == 0)
    }

    @Test func linkedStringsKeepExactBytes() throws {
        // "é" precomposed and decomposed are equal Swift strings but different bytes.
        let values = ["\u{E9}", "e\u{301}", "e\u{301}", "😀"]
        let links: [Int32] = [-1, 0, 1, 2]
        let decoded = try LinkedStringEncoding.decode(LinkedStringEncoding.encode(values, links: links), count: 4, links: links, context: "t")
        #expect(Self.values(decoded).map { Array($0.utf8) } == values.map { Array($0.utf8) })
    }

    @Test func damagedLinkedStringsThrow() {
        let good = LinkedStringEncoding.encode(["A", "A", "B", ""], links: [-1, 0, 0, 2])
        func decode(_ bytes: [UInt8], _ links: [Int32] = [-1, 0, 0, 2], count: Int = 4) throws {
            _ = try LinkedStringEncoding.decode(bytes, count: count, links: links, context: "t")
        }
        #expect(throws: FormatError.self) { try decode(good, [-1, 2, 0, 2]) }            // a link forward
        #expect(throws: FormatError.self) { try decode(good, [-1, 0, 0], count: 4) }       // links for fewer values
        // Flags 1, 1 for a single linked value: a 1 bit left over.
        #expect(throws: FormatError.self) { try decode([0x01, 0x01, 0x78, 0x01, 0x03, 0x00, 0x00], [-1, 0, -1], count: 3) }
        #expect(throws: FormatError.self) { try decode(good, [-1, 0, 0, 2, 3], count: 5) } // too few flag bits
        #expect(throws: FormatError.self) { try decode(Array(good.dropLast())) }          // an id missing
        #expect(throws: FormatError.self) { try decode(good + [0x00]) }                   // trailing bytes
        var badID = good
        badID[badID.count - 1] = 0x03                                                      // entry 3 of 3
        #expect(throws: FormatError.self) { try decode(badID) }
        #expect(throws: FormatError.self) { try decode([0x00, 0x00, 0x00], [-1], count: 1) } // a value, no dictionary
    }

    // MARK: rowIdentifiers

    private static let guid = "544caa93-017b-460a-be57-24dc247bf507"

    /// 2026-10-01T02:00:01.4161213Z
    private static let sendTime: Int64 = (daysFromCivil(2026, 10, 1) * 86_400 + 2 * 3600 + 1) * 10_000_000 + 4_161_213

    @Test func rowStampIsTheUTCSecondAsDigits() {
        #expect(IdentifierEncoding.rowStamp(Self.sendTime) == 20261001020001)
        #expect(IdentifierEncoding.rowStamp(0) == 19700101000000)
        #expect(IdentifierEncoding.rowStamp(-1) == 19691231235959)
    }

    @Test func rowIdentifiersGroupKindsAndStampMessageIdsByRowTime() throws {
        // Groups 0, 1, 0: the kinds are stored for values 0 and 2, then 1.
        let encoded = IdentifierEncoding.encode(["a", "b", "a"], rows: .init(times: [0, 0, 0], groups: [0, 1, 0]))
        #expect(encoded == [0x00,                          // no tokens
                            0x03, 0x00, 0x01, 0x00,        // kinds: literal, repeat (value 2), literal (value 1)
                            0x01, 0x02,                    // numbers: distance 2
                            0x00,                          // no packed bits
                            0x04, 0x01, 0x61, 0x01, 0x62]) // literals "a", "b"
        let decoded = try IdentifierEncoding.decode(encoded, count: 3, rows: .init(times: [0, 0, 0], groups: [0, 1, 0]), context: "t")
        #expect(Self.values(decoded) == ["a", "b", "a"])
        #expect(decoded.repeatOf == [-1, -1, 0])

        // A MessageId sent in its row's second: kind 6, difference 0.
        let mid = "Outgoing_20261001020001" + Self.guid + "_noam"
        let late = "Outgoing_20261001020003" + "00000000-0000-4000-8000-000000000001" + "_noam"
        let rows = IdentifierEncoding.Rows(times: [Self.sendTime, Self.sendTime, Self.sendTime], groups: [0, 0, 0])
        let m = IdentifierEncoding.encode([mid, late, mid], rows: rows)
        let back = try IdentifierEncoding.decode(m, count: 3, rows: rows, context: "t")
        #expect(Self.values(back) == [mid, late, mid])
        // Without row times the same chunk cannot be read.
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(m, count: 3, context: "t") }
        // Row times for the wrong number of values.
        #expect(throws: FormatError.self) {
            try IdentifierEncoding.decode(m, count: 3, rows: .init(times: [Self.sendTime], groups: [0, 0, 0]), context: "t")
        }
    }

    @Test func rowIdentifierStampDifferencesAreSmall() throws {
        let mid = "Outgoing_20261001020001" + Self.guid + "_noam"
        let encoded = IdentifierEncoding.encode([mid], rows: .init(times: [Self.sendTime], groups: [0]))
        // tokens "Outgoing_", "_noam"; kinds [6]; numbers: prefix 0, suffix 1, stamp difference 0.
        #expect(Array(encoded.prefix(20)) == [0x02, 0x09] + Array("Outgoing_".utf8) + [0x05] + Array("_noam".utf8) + [0x01, 0x06, 0x03])
        #expect(Array(encoded[20..<23]) == [0x00, 0x01, 0x00])
        // A stamp one second after its row: zigzag 2.
        let next = "Outgoing_20261001020002" + Self.guid + "_noam"
        let later = IdentifierEncoding.encode([next], rows: .init(times: [Self.sendTime], groups: [0]))
        #expect(Array(later[20..<23]) == [0x00, 0x01, 0x02])
    }

    @Test func rowGroupsPairLayoutAndTuple() {
        #expect(IdentifierEncoding.rowGroups(layoutIDs: [0, 1, 0, 0], tupleIDs: [5, 5, 5, 6]) == [0, 1, 0, 2])
        #expect(IdentifierEncoding.rowGroups(layoutIDs: [3, 3, 1], tupleIDs: nil) == [0, 0, 1])
        #expect(IdentifierEncoding.groupOrder([0, 1, 0, 2, 1]) == [0, 2, 1, 4, 3])
    }
}
