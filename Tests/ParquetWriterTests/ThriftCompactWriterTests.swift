import Testing
@testable import ParquetWriter

/// The compact protocol's bytes, checked by hand against the Thrift compact protocol
/// specification (field header `delta << 4 | type`, zigzag varints, list headers).
@Suite struct ThriftCompactWriterTests {
    static func varint(_ v: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        ThriftCompactWriter.appendVarint(v, to: &out)
        return out
    }

    @Test func varintsAreLittleEndianGroupsOfSevenBits() {
        #expect(Self.varint(0) == [0x00])
        #expect(Self.varint(1) == [0x01])
        #expect(Self.varint(127) == [0x7F])
        #expect(Self.varint(128) == [0x80, 0x01])
        #expect(Self.varint(300) == [0xAC, 0x02])
        #expect(Self.varint(UInt64.max) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func zigzagInterleavesSigns() {
        #expect(ThriftCompactWriter.zigzag(0) == 0)
        #expect(ThriftCompactWriter.zigzag(-1) == 1)
        #expect(ThriftCompactWriter.zigzag(1) == 2)
        #expect(ThriftCompactWriter.zigzag(-2) == 3)
        #expect(ThriftCompactWriter.zigzag(2_147_483_647) == 4_294_967_294)
        #expect(ThriftCompactWriter.zigzag(-2_147_483_648) == 4_294_967_295)
        #expect(ThriftCompactWriter.zigzag(Int64.min) == UInt64.max)
    }

    @Test func shortAndLongFieldHeaders() {
        var t = ThriftCompactWriter()
        t.i32(1, 5)          // delta 1, i32 (5): 0x15; zigzag(5) = 10
        t.i32(3, -1)         // delta 2: 0x25; zigzag(-1) = 1
        t.i64(20, 1)         // delta 17 does not fit: type byte 0x06, zigzag(20) = 40, zigzag(1) = 2
        t.i32(2, 1)          // going back: long form again, 0x05, zigzag(2) = 4, zigzag(1) = 2
        t.endMessage()
        #expect(t.bytes == [0x15, 0x0A, 0x25, 0x01, 0x06, 0x28, 0x02, 0x05, 0x04, 0x02, 0x00])
    }

    @Test func booleansLiveInTheTypeNibble() {
        var t = ThriftCompactWriter()
        t.bool(1, true)
        t.bool(2, false)
        t.byte(3, -1)        // i8 (type 3) as one raw byte
        t.i16(4, 7)          // i16 (type 4), zigzag 14
        t.endMessage()
        #expect(t.bytes == [0x11, 0x12, 0x13, 0xFF, 0x14, 0x0E, 0x00])
    }

    @Test func stringsAreLengthPrefixed() {
        var t = ThriftCompactWriter()
        t.string(4, "ab")
        t.binary(5, [])
        t.endMessage()
        #expect(t.bytes == [0x48, 0x02, 0x61, 0x62, 0x18, 0x00, 0x00])
    }

    @Test func listsCarrySizeAndElementTypeInTheirHeader() {
        var t = ThriftCompactWriter()
        t.beginList(2, of: .i32, count: 3)
        for v: Int32 in [0, 3, 8] { t.element(i32: v) }
        t.beginList(3, of: .binary, count: 20)
        for _ in 0..<20 { t.element(string: "x") }
        t.endMessage()
        let long: [UInt8] = Array([[UInt8]](repeating: [0x01, 0x78], count: 20).joined())
        #expect(t.bytes == [0x29, 0x35, 0x00, 0x06, 0x10] + [0x19, 0xF8, 0x14] + long + [0x00])
    }

    @Test func nestedStructsRestartAndRestoreFieldIDs() {
        var t = ThriftCompactWriter()
        t.i32(1, 1)
        t.beginStruct(5)     // 0x4C
        t.i32(1, 7)          // ids restart at 0 inside: 0x15, zigzag 14
        t.endStruct()        // stop
        t.i32(6, 2)          // delta from 5, not from 1: 0x15
        t.beginList(7, of: .struct, count: 2)
        t.beginStruct(); t.i32(2, 0); t.endStruct()
        t.beginStruct(); t.emptyStruct(1); t.endStruct()
        t.endMessage()
        #expect(t.bytes == [0x15, 0x02, 0x4C, 0x15, 0x0E, 0x00, 0x15, 0x04,
                            0x19, 0x2C, 0x25, 0x00, 0x00, 0x1C, 0x00, 0x00, 0x00])
    }

    @Test func dictionaryPageHeaderBytes() {
        let header = PageHeader(kind: .dictionary(entries: 2), uncompressedSize: 10, compressedSize: 9).encoded()
        // type DICTIONARY_PAGE (2), sizes 10 and 9, field 7 DictionaryPageHeader {num_values 2, encoding PLAIN}.
        #expect(header == [0x15, 0x04, 0x15, 0x14, 0x15, 0x12, 0x4C, 0x15, 0x04, 0x15, 0x00, 0x00, 0x00])
    }

    @Test func timestampLogicalTypeBytes() {
        var t = ThriftCompactWriter()
        LogicalType.timestamp(unit: .nanos, adjustedToUTC: true).write(10, to: &t)
        t.endMessage()
        // field 10 (delta 10 fits: 0xAC), TIMESTAMP is field 8 (0x8C), isAdjustedToUTC true (0x11),
        // unit field 2 (0x1C), NANOS field 3 (0x3C) empty, then the stops.
        #expect(t.bytes == [0xAC, 0x8C, 0x11, 0x1C, 0x3C, 0x00, 0x00, 0x00, 0x00, 0x00])
    }
}
