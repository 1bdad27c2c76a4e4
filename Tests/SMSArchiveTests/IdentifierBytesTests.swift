import Testing
@testable import SMSFormat
@testable import SMSRecords
@testable import SMSSupport

/// Identifiers reach the block encoder as UTF-8 (`TextColumn`), not a `String` a value: repeats
/// are found over bytes, invalid UTF-8 is stored as a reader would see it, the Bloom filter hashes
/// the bytes as it hashed the strings, and GUID text is told apart by its characters.
@Suite struct IdentifierBytesTests {
    static func column(_ values: [[UInt8]]) -> TextColumn {
        var column = TextColumn()
        for v in values { v.withUnsafeBufferPointer { column.append($0) } }
        return column
    }

    @Test func repeatsPointAtTheLatestEqualValue() {
        // a b a c b a "" "": each repeat names the last index with the same bytes (by hand).
        let values: [[UInt8]] = [[0x61], [0x62], [0x61], [0x63], [0x62], [0x61], [], []]
        #expect(IdentifierEncoding.repeatSources(Self.column(values)) == [-1, -1, 0, -1, 1, 2, -1, 6])
        // Same bytes but one longer is not a repeat; nor is a prefix.
        let close: [[UInt8]] = [Array("abcdefghij".utf8), Array("abcdefghijk".utf8), Array("abcdefghi".utf8), Array("abcdefghij".utf8)]
        #expect(IdentifierEncoding.repeatSources(Self.column(close)) == [-1, -1, -1, 0])
        #expect(IdentifierEncoding.repeatSources(TextColumn()) == [])
    }

    @Test func invalidUTF8IsStoredAsItsRepairedText() {
        // "a", 0xFF (not UTF-8), then "b": a reader gets U+FFFD for the bad byte (EF BF BD).
        let column = Self.column([[0x61, 0xFF, 0x62], [0xE2, 0x82, 0xAC]])
        #expect(column.bytes == [0x61, 0xEF, 0xBF, 0xBD, 0x62, 0xE2, 0x82, 0xAC])
        #expect(column.ends == [5, 8])
        #expect(column.string(0) == "a\u{FFFD}b")
        #expect(column.string(1) == "€")
    }

    @Test func guidTextIsAllOneCaseHexWithFourDashes() {
        func check(_ s: String) -> Bool? { Array(s.utf8).withUnsafeBufferPointer { GUIDText.check($0) } }
        #expect(check("0f8fad5b-d9cb-469f-a165-70867728950e") == false)
        #expect(check("0F8FAD5B-D9CB-469F-A165-70867728950E") == true)
        #expect(check("01234567-8901-2345-6789-012345678901") == false)   // digits only: lowercase
        #expect(check("0f8fad5b-d9cb-469f-a165-70867728950E") == nil)     // mixed case
        #expect(check("0f8fad5g-d9cb-469f-a165-70867728950e") == nil)     // g is not hex
        #expect(check("0f8fad5b_d9cb-469f-a165-70867728950e") == nil)     // a dash missing
        #expect(check("0f8fad5b-d9cb-469f-a165-70867728950") == nil)      // 35 characters
        #expect(check("0f8fad5b-d9cb-469f-a165-70867728950e0") == nil)    // 37
        #expect(check("0f8fad5bd-9cb-469f-a165-70867728950e") == nil)     // dash moved
    }

    /// A block of `rows` usage-like rows whose RecordIds (identifier column 26) are `recordIds`.
    static func block(recordIds: [String], asBytes: Bool) -> BlockColumns {
        let recordId = FieldSchema.column(named: "RecordId")!
        let mask: UInt64 = 1 << UInt64(FieldSchema.category) | 1 << UInt64(FieldSchema.resourceId) | 1 << UInt64(recordId)
        var block = BlockColumns(times: recordIds.indices.map { Int64($0) * 10_000_000 }, layoutIDs: recordIds.map { _ in 0 },
                                 strings: [FieldSchema.category: recordIds.map { _ in "Usage" }, FieldSchema.resourceId: recordIds.map { _ in "r" }],
                                 layoutMasks: [mask])
        if asBytes { block.identifiers[recordId] = TextColumn(recordIds) } else { block.strings[recordId] = recordIds }
        return block
    }

    @Test func identifiersGivenAsBytesEncodeAsTheSameStrings() throws {
        var random = SeededGenerator(seed: 7)
        let hex = Array("0123456789abcdef")
        let guids = (0..<500).map { _ in
            String((0..<36).map { i in [8, 13, 18, 23].contains(i) ? "-" : hex[Int.random(in: 0..<16, using: &random)] })
        }
        // Some repeats, a literal and an empty value among the GUIDs.
        let values = guids + guids.prefix(50) + ["not a guid", ""]
        let fromBytes = BlockEncoder.encode(Self.block(recordIds: values, asBytes: true), level: 3)
        let fromStrings = BlockEncoder.encode(Self.block(recordIds: values, asBytes: false), level: 3)
        #expect(fromBytes.pending.map(\.choice.compressed) == fromStrings.pending.map(\.choice.compressed))
        #expect(fromBytes.filter == fromStrings.filter)

        let recordId = FieldSchema.column(named: "RecordId")!
        let chunk = try #require(fromBytes.pending.first { $0.column == recordId })
        let raw = try Zstd.decompress(chunk.choice.compressed, expectedSize: chunk.choice.rawLength, context: "RecordId")
        // Without MessageIds the two identifier forms differ only in the order of the kinds; these
        // kinds are all in one group (one layout, no combined chunk), so the forms are the same
        // bytes and the first listed, identifiers, is kept.
        #expect(chunk.choice.encoding == ChunkEncodingID.identifiers.rawValue)
        let decoded = try IdentifierEncoding.decode(raw, count: values.count, context: "RecordId")
        #expect((0..<values.count).map { decoded[$0] } == values)
    }

    @Test func theFilterHoldsIdentifiersHashedFromTheirBytes() {
        let messageId = FieldSchema.column(named: "MessageId")!
        var filter = BloomFilter(bitCount: 4096)
        var scratch: [UInt8] = []
        let values = ["Outgoing_20261001000000a8b5b4c3-5d2e-4f1a-9b8c-7d6e5f4a3b2c_noam", "x", "", "中文"]
        for v in values { Array(v.utf8).withUnsafeBufferPointer { filter.insert(column: messageId, utf8: $0, scratch: &scratch) } }
        for v in values { #expect(filter.mayContain(column: messageId, value: v)) }
        // The bits are those of XXH64 over the column byte and the UTF-8 (see BloomFilter), set by hand here.
        var expected = [UInt64](repeating: 0, count: 64)
        for v in values {
            let h = xxh64([UInt8(messageId)] + Array(v.utf8))
            for j in 0..<UInt64(4) {
                let bit = ((h & 0xFFFF_FFFF) &+ j &* (h >> 32)) % 4096
                expected[Int(bit >> 6)] |= 1 << (bit & 63)
            }
        }
        #expect(filter.bits == expected)
    }
}
