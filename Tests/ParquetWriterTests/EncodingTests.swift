import Testing
@testable import ParquetWriter

/// RLE / bit-packed hybrid and PLAIN bytes, checked by hand against Encodings.md.
@Suite struct EncodingTests {
    @Test func longRunsBecomeRLERuns() {
        // header 10 << 1 = 20, then the value in one byte
        #expect(RLEBitPackedHybrid.encode(Array(repeating: 1, count: 10), bitWidth: 1) == [0x14, 0x01])
        // width 9 takes two value bytes, little-endian
        #expect(RLEBitPackedHybrid.encode(Array(repeating: 300, count: 8), bitWidth: 9) == [0x10, 0x2C, 0x01])
    }

    @Test func shortSequencesAreBitPackedAndPadded() {
        // one group (header 1 << 1 | 1), values 0 1 0 1 then padding: bits LSB first 0b00001010
        #expect(RLEBitPackedHybrid.encode([0, 1, 0, 1], bitWidth: 1) == [0x03, 0x0A])
        // the example of Encodings.md: 0..7 in 3 bits is 10001000 11000110 11111010
        #expect(RLEBitPackedHybrid.encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func aRunTooShortAfterFillingTheGroupStaysBitPacked() {
        // [2, 3] then ten 5s: the group takes six 5s, four are left: one bit-packed run of two groups.
        let values: [UInt32] = [2, 3] + Array(repeating: 5, count: 10)
        #expect(RLEBitPackedHybrid.encode(values, bitWidth: 3) == [0x05, 0x5A, 0xDB, 0xB6, 0x6D, 0x0B, 0x00])
    }

    @Test func aLongRunAfterLiteralsCompletesTheirGroupThenRepeats() {
        // [7, 7, 7] then twenty 1s: five 1s complete the group, fifteen make an RLE run (header 30).
        let values: [UInt32] = [7, 7, 7] + Array(repeating: 1, count: 20)
        #expect(RLEBitPackedHybrid.encode(values, bitWidth: 3) == [0x03, 0xFF, 0x93, 0x24, 0x1E, 0x01])
    }

    @Test func levelsInV1PagesHaveALengthPrefix() {
        #expect(RLEBitPackedHybrid.encodeWithLengthPrefix(Array(repeating: 1, count: 10), bitWidth: 1)
                == [0x02, 0x00, 0x00, 0x00, 0x14, 0x01])
    }

    @Test func bitWidths() {
        #expect(RLEBitPackedHybrid.bitWidth(forMaxValue: 0) == 1)
        #expect(RLEBitPackedHybrid.bitWidth(forMaxValue: 1) == 1)
        #expect(RLEBitPackedHybrid.bitWidth(forMaxValue: 2) == 2)
        #expect(RLEBitPackedHybrid.bitWidth(forMaxValue: 3) == 2)
        #expect(RLEBitPackedHybrid.bitWidth(forMaxValue: 4) == 3)
        #expect(RLEBitPackedHybrid.bitWidth(forMaxValue: 255) == 8)
        #expect(RLEBitPackedHybrid.bitWidth(forMaxValue: 256) == 9)
    }

    /// A decoder written from the spec, independent of the encoder, over many shapes of input.
    static func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0
        func varint() -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = bytes[i]; i += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        while out.count < count {
            let header = varint()
            if header & 1 == 0 {
                var value: UInt32 = 0
                for k in 0..<((bitWidth + 7) / 8) { value |= UInt32(bytes[i + k]) << (8 * UInt32(k)) }
                i += (bitWidth + 7) / 8
                out.append(contentsOf: repeatElement(value, count: Int(header >> 1)))
            } else {
                let n = Int(header >> 1) * 8
                for k in 0..<n {
                    var value: UInt32 = 0
                    for bit in 0..<bitWidth {
                        let position = k * bitWidth + bit
                        if bytes[i + position / 8] >> (position % 8) & 1 == 1 { value |= 1 << UInt32(bit) }
                    }
                    out.append(value)
                }
                i += n * bitWidth / 8
            }
        }
        #expect(i == bytes.count, "trailing bytes")
        return Array(out.prefix(count))
    }

    @Test func randomSequencesDecodeBack() {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<300 {
            let width = [1, 2, 3, 5, 8, 13, 17, 32][trial % 8]
            let maxValue: UInt64 = width == 32 ? UInt64(UInt32.max) : (1 << UInt64(width)) - 1
            var values: [UInt32] = []
            let length = Int.random(in: 0...2000, using: &rng)
            while values.count < length {
                let v = UInt32(UInt64.random(in: 0...maxValue, using: &rng))
                // runs of every length, so both kinds of run and the 504-value cut occur
                values.append(contentsOf: repeatElement(v, count: Bool.random(using: &rng) ? 1 : Int.random(in: 1...40, using: &rng)))
            }
            let encoded = RLEBitPackedHybrid.encode(values, bitWidth: width)
            #expect(Self.decode(encoded, bitWidth: width, count: values.count) == values, "width \(width)")
        }
    }

    @Test func plainValues() {
        var out: [UInt8] = []
        PlainEncoding.append(int64: -2, to: &out)
        PlainEncoding.append(int32: 258, to: &out)
        PlainEncoding.append(byteArray: Array("hi".utf8), to: &out)
        #expect(out == [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x68, 0x69])
    }
}
