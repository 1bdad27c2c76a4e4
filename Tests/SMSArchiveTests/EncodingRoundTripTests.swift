import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSRecords
@testable import SMSSupport

/// The value encodings of version-2 chunks, one by one: round trips on edge
/// values, byte layouts worked out by hand, and damaged input that must throw.
@Suite struct EncodingRoundTripTests {
    // MARK: helpers

    /// The strings of a decoded chunk, in order.
    private static func values(_ chunk: StringChunk) -> [String] { (0..<chunk.count).map { chunk[$0] } }

    /// UTF-8 bytes of each string: Swift's `==` on strings is canonical equivalence, the archive promises the exact bytes.
    private static func bytes(_ strings: [String]) -> [[UInt8]] { strings.map { Array($0.utf8) } }

    /// Unsigned LEB128, written here independently of `ByteWriter`.
    private static func leb128(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    private static func zigzag(_ v: Int64) -> UInt64 {
        v >= 0 ? UInt64(v) * 2 : UInt64(-(v + 1)) * 2 + 1
    }

    static let integerCases: [[Int64]] = [
        [],
        [0],
        [-1],
        [Int64.min],
        [Int64.max],
        [0, -1, 1, Int64.min, Int64.max, -1, 0],
        [Int64.max, Int64.min],
        [Int64.min, Int64.max],
        [Int64.min, 0, Int64.max, Int64.min],
        [Int64.max, Int64.max - 1, Int64.min + 1, Int64.min],
        Array(repeating: 42, count: 10_000),
        Array(repeating: Int64.min, count: 1_000),
        (0..<5_000).map { Int64($0) * 7 - 3 },
        (0..<1_000).map { $0 % 2 == 0 ? Int64.min : Int64.max },
        (0..<64).map { Int64(1) << Int64($0) },
        (0..<64).map { 0 &- (Int64(1) << Int64($0)) },   // the last is Int64.min
    ]

    // MARK: VarintEncoding

    @Test(arguments: integerCases)
    func varintRoundTrips(_ values: [Int64]) throws {
        let encoded = VarintEncoding.encode(values)
        #expect(try VarintEncoding.decode(encoded, count: values.count, context: "t") == values)
        // Each value is its own zigzag LEB128.
        #expect(encoded == values.flatMap { Self.leb128(Self.zigzag($0)) })
    }

    @Test func varintByteLayoutIsZigzagLEB128() throws {
        // 0 → 0, -1 → 1, 1 → 2, 300 → 600 = 0x258 → D8 04.
        #expect(VarintEncoding.encode([0, -1, 1, 300]) == [0x00, 0x01, 0x02, 0xD8, 0x04])
        // Int64.min → 2^64-1: nine 0xFF then 0x01; Int64.max → 2^64-2: 0xFE, eight 0xFF, 0x01.
        #expect(VarintEncoding.encode([Int64.min]) == Array(repeating: 0xFF, count: 9) + [0x01])
        #expect(VarintEncoding.encode([Int64.max]) == [0xFE] + Array(repeating: 0xFF, count: 8) + [0x01])
        #expect(VarintEncoding.encode([]) == [])
        #expect(try VarintEncoding.decode([], count: 0, context: "t") == [])
    }

    @Test func varintDamageThrows() {
        let values: [Int64] = [0, -1, 1, 300, Int64.min]
        let encoded = VarintEncoding.encode(values)
        #expect(throws: FormatError.self) { try VarintEncoding.decode(encoded, count: values.count + 1, context: "t") }
        #expect(throws: FormatError.self) { try VarintEncoding.decode(encoded, count: values.count - 1, context: "t") }
        #expect(throws: FormatError.self) { try VarintEncoding.decode(Array(encoded.dropLast()), count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try VarintEncoding.decode(encoded + [0x00], count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try VarintEncoding.decode([0x80], count: 1, context: "t") }
        // Eleven bytes: longer than 64 bits.
        #expect(throws: FormatError.self) { try VarintEncoding.decode(Array(repeating: 0xFF, count: 10) + [0x01], count: 1, context: "t") }
        // Ten bytes whose last carries more than the 64th bit.
        #expect(throws: FormatError.self) { try VarintEncoding.decode(Array(repeating: 0xFF, count: 9) + [0x02], count: 1, context: "t") }
        #expect(throws: FormatError.self) { try VarintEncoding.decode([0x01], count: 0, context: "t") }
    }

    // MARK: DeltaVarintEncoding

    @Test(arguments: integerCases)
    func deltaVarintRoundTrips(_ values: [Int64]) throws {
        let encoded = DeltaVarintEncoding.encode(values)
        #expect(try DeltaVarintEncoding.decode(encoded, count: values.count, context: "t") == values)
    }

    @Test func deltaVarintByteLayout() throws {
        // Differences 10, 0, -1, 291 → zigzag 20, 0, 1, 582 = 0x246 → C6 04.
        #expect(DeltaVarintEncoding.encode([10, 10, 9, 300]) == [0x14, 0x00, 0x01, 0xC6, 0x04])
        // Int64.min then Int64.max: the difference wraps to -1 → 0x01.
        #expect(DeltaVarintEncoding.encode([Int64.min, Int64.max]) == Array(repeating: 0xFF, count: 9) + [0x01, 0x01])
        #expect(DeltaVarintEncoding.encode([]) == [])
    }

    @Test func deltaVarintDamageThrows() {
        let values: [Int64] = [10, 10, 9, 300, -7]
        let encoded = DeltaVarintEncoding.encode(values)
        #expect(throws: FormatError.self) { try DeltaVarintEncoding.decode(encoded, count: values.count + 1, context: "t") }
        #expect(throws: FormatError.self) { try DeltaVarintEncoding.decode(encoded, count: values.count - 1, context: "t") }
        #expect(throws: FormatError.self) { try DeltaVarintEncoding.decode(Array(encoded.dropLast()), count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try DeltaVarintEncoding.decode(encoded + [0x00], count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try DeltaVarintEncoding.decode([0x05], count: 0, context: "t") }
    }

    // MARK: BitPackedEncoding

    /// Whether the values' range needs more than 56 bits (a difference that overflows Int64 certainly does).
    private static func tooWideForBitPacking(_ values: [Int64]) -> Bool {
        guard let lo = values.min(), let hi = values.max() else { return false }
        let (range, overflow) = hi.subtractingReportingOverflow(lo)
        return overflow || range >= Int64(1) << 56
    }

    @Test(arguments: integerCases)
    func bitPackedRoundTripsOrDeclines(_ values: [Int64]) throws {
        let encoded = BitPackedEncoding.encode(values)
        if Self.tooWideForBitPacking(values) {
            #expect(encoded == nil, "a range over 56 bits must be declined")
        } else {
            let encoded = try #require(encoded)
            #expect(try BitPackedEncoding.decode(encoded, count: values.count, context: "t") == values)
        }
    }

    @Test func bitPackedByteLayouts() throws {
        // Minimum 5 (zigzag 10 = 0x0A), width 2, values 0 1 2 → bits 00 10 01 LSB first → 0b0010_0100.
        #expect(BitPackedEncoding.encode([5, 6, 7]) == [0x0A, 0x02, 0x24])
        // Minimum -3 (zigzag 5), range 7 → width 3, values 0 and 7 → bits 3-5 set → 0x38.
        #expect(BitPackedEncoding.encode([-3, 4]) == [0x05, 0x03, 0x38])
        // A constant: width 0, no packed bytes.
        #expect(BitPackedEncoding.encode([7, 7, 7]) == [0x0E, 0x00])
        #expect(try BitPackedEncoding.decode([0x0E, 0x00], count: 3, context: "t") == [7, 7, 7])
        // Empty: minimum 0, width 0.
        #expect(BitPackedEncoding.encode([]) == [0x00, 0x00])
        #expect(try BitPackedEncoding.decode([0x00, 0x00], count: 0, context: "t") == [])
        // Width 8: one byte a value.
        #expect(BitPackedEncoding.encode([0, 255, 17]) == [0x00, 0x08, 0x00, 0xFF, 0x11])
        // Width 9 crosses bytes: 0, 511, 1 → bits 9-17 and bit 18 set of 27 → 00 FE 07 00.
        #expect(BitPackedEncoding.encode([0, 511, 1]) == [0x00, 0x09, 0x00, 0xFE, 0x07, 0x00])
    }

    @Test func bitPackedWidthLimitIsFiftySixBits() throws {
        let widest: [Int64] = [0, (1 << 56) - 1, 12345, (1 << 55) + 1]
        let encoded = try #require(BitPackedEncoding.encode(widest))
        #expect(encoded[1] == 56)
        #expect(try BitPackedEncoding.decode(encoded, count: widest.count, context: "t") == widest)
        #expect(BitPackedEncoding.encode([0, 1 << 56]) == nil)
        #expect(BitPackedEncoding.encode([Int64.min, Int64.max]) == nil)
        #expect(BitPackedEncoding.encode([-1, Int64.max]) == nil)       // range 2^63: the subtraction wraps
        #expect(BitPackedEncoding.encode([Int64.min, 0]) == nil)
        // Near the ends of Int64 but a narrow range: fine.
        let high: [Int64] = [Int64.max, Int64.max - 3, Int64.max - 1]
        #expect(try BitPackedEncoding.decode(try #require(BitPackedEncoding.encode(high)), count: 3, context: "t") == high)
        let low: [Int64] = [Int64.min, Int64.min + (1 << 56) - 1]
        #expect(try BitPackedEncoding.decode(try #require(BitPackedEncoding.encode(low)), count: 2, context: "t") == low)
    }

    @Test func bitPackedRandomWidthsRoundTrip() throws {
        var rng = SeededGenerator(seed: 7)
        for width in 0...56 {
            let base = Int64(bitPattern: rng.next())
            let values: [Int64] = (0..<(37 + width)).map { _ in
                let offset = width == 0 ? 0 : rng.next() & ((UInt64(1) << UInt64(width)) - 1)
                return base &+ Int64(bitPattern: offset)
            }
            if Self.tooWideForBitPacking(values) { continue }   // base + offset wrapped around
            let encoded = try #require(BitPackedEncoding.encode(values))
            #expect(try BitPackedEncoding.decode(encoded, count: values.count, context: "t") == values, "width \(width)")
        }
    }

    @Test func bitPackedDamageThrows() {
        let encoded = BitPackedEncoding.encode([0, 255, 17])!
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode(encoded, count: 4, context: "t") }
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode(encoded, count: 2, context: "t") }
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode(Array(encoded.dropLast()), count: 3, context: "t") }
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode(encoded + [0], count: 3, context: "t") }
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode([], count: 0, context: "t") }
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode([0x0A], count: 1, context: "t") }
        // A width over 56 is refused, not used to shift.
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode([0x00, 57] + Array(repeating: 0, count: 8), count: 1, context: "t") }
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode([0x00, 64] + Array(repeating: 0, count: 8), count: 1, context: "t") }
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode([0x00, 0xFF] + Array(repeating: 0, count: 32), count: 1, context: "t") }
        // [5,6,7] in width 2 with a count of 8 needs two bytes.
        #expect(throws: FormatError.self) { try BitPackedEncoding.decode([0x0A, 0x02, 0x24], count: 8, context: "t") }
    }

    // MARK: RiceDeltaEncoding

    @Test func riceDeltaByteLayout() throws {
        // First 100 (zigzag 200 = C8 01), differences 1 2 3, mean 2 → k = 1.
        // d=1: q 0 → "0", low "1"; d=2: q 1 → "1" "0", low "0"; d=3: q 1 → "1" "0", low "1".
        // Bits LSB first: 0 1 1 0 0 1 0 1 → 0b1010_0110 = 0xA6.
        #expect(RiceDeltaEncoding.encode([100, 101, 103, 106]) == [0xC8, 0x01, 0x01, 0xA6])
        #expect(try RiceDeltaEncoding.decode([0xC8, 0x01, 0x01, 0xA6], count: 4, context: "t") == [100, 101, 103, 106])
        // One value: first value, k = 0, no bits.
        #expect(RiceDeltaEncoding.encode([-5]) == [0x09, 0x00])
        #expect(try RiceDeltaEncoding.decode([0x09, 0x00], count: 1, context: "t") == [-5])
        // Empty and decreasing input are declined.
        #expect(RiceDeltaEncoding.encode([]) == nil)
        #expect(RiceDeltaEncoding.encode([3, 2]) == nil)
        #expect(RiceDeltaEncoding.encode([Int64.max, Int64.min]) == nil)
        #expect(try RiceDeltaEncoding.decode([], count: 0, context: "t") == [])
    }

    @Test(arguments: [
        [0, 0, 0, 0],
        [Int64.min, Int64.min, Int64.min + 1],
        [Int64.max - 10, Int64.max - 5, Int64.max],
        (0..<10_000).map { Int64($0) * 3 + 17_000_000_000_000_000 },
        [-1_000_000, -1, 0, 1, 1_000_000],
        [0, 1 << 40, (1 << 40) + 1],
        [0, 1 << 61],
        [0, Int64.max],
    ] as [[Int64]])
    func riceDeltaRoundTripsSortedValues(_ values: [Int64]) throws {
        let encoded = try #require(RiceDeltaEncoding.encode(values))
        #expect(try RiceDeltaEncoding.decode(encoded, count: values.count, context: "t") == values)
    }

    @Test func riceDeltaRoundTripsRandomSortedValuesOfEveryScale() throws {
        var rng = SeededGenerator(seed: 2026)
        for scale in 0...56 {   // mean gaps under 2^56; wider ones: see riceDeltaWithAWideParameterDecodesExactly
            for _ in 0..<4 {
                let n = Int(rng.next() % 40) + 2
                var v = Int64(bitPattern: rng.next() >> 4) - (1 << 59)
                var values: [Int64] = []
                for _ in 0..<n {
                    values.append(v)
                    let gap = scale == 0 ? 0 : Int64(rng.next() >> UInt64(64 - scale))
                    let (next, overflow) = v.addingReportingOverflow(gap)
                    if overflow { break }
                    v = next
                }
                guard let encoded = RiceDeltaEncoding.encode(values) else { continue }
                #expect((try? RiceDeltaEncoding.decode(encoded, count: values.count, context: "t")) == values, "scale \(scale): \(values)")
            }
        }
    }

    @Test func riceDeltaDeclinesAHugeGap() {
        // 2^21 equal values then a gap of 2^40: the mean gap is 2^19, so k = 19 and the
        // gap's quotient is 2^40 >> 19 = 2^21, over the 2^20 limit.
        var values = [Int64](repeating: 0, count: 1 << 21)
        values.append(1 << 40)
        #expect(RiceDeltaEncoding.encode(values) == nil)
        // The same gap first.
        var first: [Int64] = [0]
        first.append(contentsOf: [Int64](repeating: 1 << 40, count: 1 << 21))
        #expect(RiceDeltaEncoding.encode(first) == nil)
    }

    @Test func riceDeltaDamageThrows() throws {
        // Differences of 100: mean 100 → k = 6, each 1 + 1 + 6 = 8 bits, no padding.
        let values: [Int64] = [1000, 1100, 1200, 1300, 1400]
        let encoded = try #require(RiceDeltaEncoding.encode(values))
        #expect(encoded.count == 2 + 1 + 4)
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode(encoded, count: values.count + 1, context: "t") }
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode(encoded, count: values.count - 1, context: "t") }
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode(Array(encoded.dropLast()), count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode(encoded + [0x00], count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode([0xC8], count: 2, context: "t") }
        // k of 63 or more is refused.
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode([0x00, 63, 0xFF], count: 2, context: "t") }
        // A run of one-bits longer than 2^20: refused, not looped over forever.
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode([0x00, 0x00] + [UInt8](repeating: 0xFF, count: (1 << 17) + 8), count: 2, context: "t") }
    }

    /// The widest span: a mean difference of 2^63 or more. (Before k was capped at 56 the
    /// encoder wrote k = 63, which the decoder refused.)
    @Test func riceDeltaOfTheWidestSpanDecodesOrIsDeclined() throws {
        for values: [Int64] in [[Int64.min, Int64.max], [Int64.min, -1, Int64.max], [Int64.min, Int64.max, Int64.max]] {
            if let encoded = RiceDeltaEncoding.encode(values) {
                #expect(try RiceDeltaEncoding.decode(encoded, count: values.count, context: "t") == values, "\(values)")
            }
        }
    }

    /// Wide Rice parameters: `BitReader` shifts a new byte in at up to k-1 bits, so any k
    /// over 56 would push bits off its 64-bit accumulator. k must stay at 56 or below
    /// (before the cap, these values got k = 62 and decoded wrong).
    @Test func riceDeltaWithAWideParameterDecodesExactly() throws {
        // Differences 2^63 and 2^62 - 1: mean just under 1.5 * 2^62.
        let values: [Int64] = [Int64.min, 0, (1 << 62) - 1]
        let encoded = try #require(RiceDeltaEncoding.encode(values))
        #expect(encoded[10] <= 56)   // ten bytes of the first value (zigzag 2^64-1), then k
        #expect(try RiceDeltaEncoding.decode(encoded, count: values.count, context: "t") == values)
        // Every k from 50 up, each with remainders starting at every bit offset.
        var rng = SeededGenerator(seed: 5)
        for scale in 50..<63 {
            for _ in 0..<8 {
                var v = Int64.min
                var values: [Int64] = []
                while values.count < 12 {
                    values.append(v)
                    let (next, overflow) = v.addingReportingOverflow(Int64(rng.next() >> UInt64(64 - scale)))
                    if overflow { break }
                    v = next
                }
                guard let encoded = RiceDeltaEncoding.encode(values) else { continue }
                #expect((try? RiceDeltaEncoding.decode(encoded, count: values.count, context: "t")) == values, "scale \(scale)")
            }
        }
        // A stored k over 56 is refused.
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode([0x00, 57, 0, 0, 0, 0, 0, 0, 0, 0], count: 2, context: "t") }
    }

    /// Known issue (minor): a count of 0 returns no values without looking at the bytes,
    /// where every other decoder refuses bytes left over.
    @Test func riceDeltaWithCountZeroRefusesLeftoverBytes() {
        #expect(throws: FormatError.self) { try RiceDeltaEncoding.decode([0xC8, 0x01, 0x01, 0xA6], count: 0, context: "t") }
    }

    // MARK: Strings

    static let stringCases: [[String]] = [
        [],
        [""],
        ["", "", ""],
        ["é", "中文", "😀", "\u{0}", "a\u{0}b", "👩‍👩‍👧", "\u{FEFF}", "\u{2028}\u{2029}", "\"\\\n\r\t"],
        ["e\u{301}", "é", "e\u{301}"],          // distinct in bytes, canonically equal in Swift
        [String(repeating: "x", count: 100_000)],
        [String(repeating: "中", count: 70_000), "", String(repeating: "😀", count: 5_000)],
        (0..<1_000).map { "v\($0 % 7)" },
        (0..<300).map { String(repeating: "a", count: $0) },
    ]

    @Test(arguments: stringCases)
    func plainStringsRoundTrip(_ strings: [String]) throws {
        let encoded = PlainStringEncoding.encode(strings)
        #expect(Self.bytes(Self.values(try PlainStringEncoding.decode(encoded, count: strings.count, context: "t"))) == Self.bytes(strings))
        // Each value is its byte length as LEB128 and its bytes.
        #expect(encoded == strings.flatMap { Self.leb128(UInt64($0.utf8.count)) + Array($0.utf8) })
    }

    @Test(arguments: stringCases)
    func dictionaryStringsRoundTrip(_ strings: [String]) throws {
        let encoded = DictionaryStringEncoding.encode(strings)
        let decoded = try DictionaryStringEncoding.decode(encoded, count: strings.count, context: "t")
        // Byte-exact, also for strings that are canonically equivalent (equal as Swift Strings).
        #expect(Self.bytes(Self.values(decoded)) == Self.bytes(strings))
        // One dictionary entry per distinct byte sequence.
        #expect(decoded.dictionaryForm.dictionary.count == Set(Self.bytes(strings)).count)
    }

    @Test func stringByteLayouts() throws {
        #expect(PlainStringEncoding.encode(["", "é"]) == [0x00, 0x02, 0xC3, 0xA9])
        // Entries in order of first use, then one id per value.
        #expect(DictionaryStringEncoding.encode(["b", "a", "b"]) == [0x02, 0x01, 0x62, 0x01, 0x61, 0x00, 0x01, 0x00])
        #expect(DictionaryStringEncoding.encode([]) == [0x00])
        #expect(Self.values(try DictionaryStringEncoding.decode([0x00], count: 0, context: "t")) == [])
        let chunk = try DictionaryStringEncoding.decode([0x02, 0x01, 0x62, 0x01, 0x61, 0x00, 0x01, 0x00], count: 3, context: "t")
        #expect(chunk.dictionaryForm.dictionary == ["b", "a"])
        #expect(chunk.dictionaryForm.ids == [0, 1, 0])
    }

    @Test func stringDamageThrows() {
        let strings = ["é", "中文", "", "x"]
        let plain = PlainStringEncoding.encode(strings)
        #expect(throws: FormatError.self) { try PlainStringEncoding.decode(plain, count: 5, context: "t") }
        #expect(throws: FormatError.self) { try PlainStringEncoding.decode(plain, count: 3, context: "t") }
        #expect(throws: FormatError.self) { try PlainStringEncoding.decode(Array(plain.dropLast()), count: 4, context: "t") }
        #expect(throws: FormatError.self) { try PlainStringEncoding.decode(plain + [0x00], count: 4, context: "t") }
        #expect(throws: FormatError.self) { try PlainStringEncoding.decode([0x01, 0xFF], count: 1, context: "t") }   // not UTF-8
        #expect(throws: FormatError.self) { try PlainStringEncoding.decode([0x02, 0xC3], count: 1, context: "t") }   // length past the end
        #expect(throws: FormatError.self) { try PlainStringEncoding.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], count: 1, context: "t") }

        let dictionary = DictionaryStringEncoding.encode(strings)
        #expect(throws: FormatError.self) { try DictionaryStringEncoding.decode(dictionary, count: 5, context: "t") }
        #expect(throws: FormatError.self) { try DictionaryStringEncoding.decode(dictionary, count: 3, context: "t") }
        #expect(throws: FormatError.self) { try DictionaryStringEncoding.decode(Array(dictionary.dropLast()), count: 4, context: "t") }
        #expect(throws: FormatError.self) { try DictionaryStringEncoding.decode(dictionary + [0x00], count: 4, context: "t") }
        // An id past the dictionary.
        #expect(throws: FormatError.self) { try DictionaryStringEncoding.decode([0x01, 0x01, 0x61, 0x01], count: 1, context: "t") }
        // Values but an empty dictionary.
        #expect(throws: FormatError.self) { try DictionaryStringEncoding.decode([0x00, 0x00], count: 1, context: "t") }
        // A huge entry count.
        #expect(throws: FormatError.self) { try DictionaryStringEncoding.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00], count: 1, context: "t") }
    }

    // MARK: IdentifierEncoding

    static let lowerGUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
    static let upperGUID = "0F8FAD5B-D9CB-469F-A165-70867728950E"

    static let identifierCases: [String] = [
        lowerGUID,
        upperGUID,
        "0f8fad5b-D9CB-469f-a165-70867728950e",                       // mixed case: must stay a literal
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "12345678-1234-1234-1234-123456789012",                       // digits only
        "0f8fad5b-d9cb-469f-a165-70867728950",                        // 35 characters
        "0f8fad5b-d9cb-469f-a165-70867728950e0",                      // 37 characters
        "0f8fad5bxd9cb-469f-a165-70867728950e",                       // no dash
        "0f8fad5b-d9cb-469f-a165-70867728950g",                       // not hex
        "Outgoing_20261001000006" + lowerGUID + "_noam",
        "Outgoing_20261001000006" + lowerGUID,
        "Incoming_20261001235959" + "7c9e6679-7425-40de-944b-e07fc1f90ae7" + "_eur",
        "Outgoing_00000000000000" + lowerGUID + "_noam",
        "Outgoing_99999999999999" + lowerGUID + "_noam",
        "Outgoing_20261001000006" + upperGUID + "_noam",              // uppercase GUID in a MessageId
        "Outgoing_2026100100000X" + lowerGUID + "_noam",
        "_20261001000006" + lowerGUID + "_x",                         // empty prefix
        "Abcdefghijklmnop_20261001000006" + lowerGUID,                // 16 letters
        "Abcdefghijklmnopq_20261001000006" + lowerGUID,               // 17 letters
        "Outgoing_20261001000006" + lowerGUID + "_中文😀",
        "Outgoing_20261001000006" + lowerGUID + "\u{301}",            // suffix starts with a combining mark
        "Q2hlY2tUaGlzT3V0QWdhaW4.0",
        "Q2hlY2tUaGlzT3V0QWdhaW4",                                    // 22 base64 characters, nothing after
        "Q2hlY2tUaGlzT3V0QWdhaW5",
        "AAAAAAAAAAAAAAAAAAAAAA",
        "//////////////////////.0",
        "++++++++++++++++++++++",
        "zzzzzzzzzzzzzzzzzzzzzz.1",
        "Q2hlY2tUaGlzT3V0QWdhaW4é",
        "Q2hlY2tUaGlzT3V0QWdha",                                      // 21 characters
        "Q2hlY2tUaGlzT3V0QWdh-W4.0",
        "",
        "x",
        "not-an-id",
        "\u{0}",
        "中文",
        "😀",
        " " + lowerGUID,
        String(repeating: "Z", count: 10_000),
    ]

    @Test func identifiersRoundTripExactly() throws {
        let values = Self.identifierCases
        let encoded = IdentifierEncoding.encode(values)
        let decoded = try IdentifierEncoding.decode(encoded, count: values.count, context: "t")
        #expect(decoded.count == values.count)
        for (i, value) in values.enumerated() {
            #expect(Array(decoded[i].utf8) == Array(value.utf8), "value \(i): \(value.prefix(80))")
        }
    }

    @Test func identifierRepeatsNearAndFarComeBack() throws {
        let mid = "Outgoing_20261001000006" + Self.lowerGUID + "_noam"
        var values = [Self.lowerGUID, Self.lowerGUID, Self.upperGUID, mid, mid, "x", "x", "", ""]
        // 3000 fillers, then every value again.
        for i in 0..<3_000 { values.append("Outgoing_2026100100\(String(1000 + i % 9000))" + Self.lowerGUID + "_f\(i % 5)") }
        values.append(contentsOf: Self.identifierCases)
        values.append(contentsOf: Self.identifierCases.reversed())
        let decoded = try IdentifierEncoding.decode(IdentifierEncoding.encode(values), count: values.count, context: "t")
        #expect(Self.bytes(Self.values(decoded)) == Self.bytes(values))
    }

    @Test func identifierRandomGUIDsAndMessageIdsRoundTrip() throws {
        var rng = SeededGenerator(seed: 99)
        func hex(_ n: Int, upper: Bool = false) -> String {
            let digits = Array(upper ? "0123456789ABCDEF" : "0123456789abcdef")
            return String((0..<n).map { _ in digits[Int(rng.next() % 16)] })
        }
        func guid(upper: Bool = false) -> String {
            "\(hex(8, upper: upper))-\(hex(4, upper: upper))-\(hex(4, upper: upper))-\(hex(4, upper: upper))-\(hex(12, upper: upper))"
        }
        var values: [String] = []
        for i in 0..<2_000 {
            switch i % 5 {
            case 0: values.append(guid())
            case 1: values.append(guid(upper: true))
            case 2:
                let stamp = String(20_261_001_000_000 + Int64(rng.next() % 1_000_000))
                values.append("Outgoing_" + stamp + guid() + (rng.next() % 2 == 0 ? "_noam" : ""))
            case 3:
                let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                values.append(String((0..<22).map { _ in alphabet[Int(rng.next() % 64)] }) + ".0")
            default: values.append(values[Int(rng.next() % UInt64(values.count))])
            }
        }
        let decoded = try IdentifierEncoding.decode(IdentifierEncoding.encode(values), count: values.count, context: "t")
        #expect(Self.bytes(Self.values(decoded)) == Self.bytes(values))
    }

    /// Parses the stream framing of an identifier chunk, as the format describes it, independently of the decoder.
    private static func identifierStreams(_ bytes: [UInt8]) -> (tokens: [String], kinds: [UInt8], numbers: [UInt8], packed: [UInt8], literals: [UInt8])? {
        var i = 0
        func varint() -> Int? {
            var v = 0, shift = 0
            while i < bytes.count {
                let b = bytes[i]; i += 1
                v |= Int(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
            return nil
        }
        func run() -> [UInt8]? {
            guard let n = varint(), i + n <= bytes.count else { return nil }
            defer { i += n }
            return Array(bytes[i..<i + n])
        }
        guard let tokenCount = varint() else { return nil }
        var tokens: [String] = []
        for _ in 0..<tokenCount { guard let t = run() else { return nil }; tokens.append(String(decoding: t, as: UTF8.self)) }
        guard let kinds = run(), let numbers = run(), let packed = run(), let literals = run(), i == bytes.count else { return nil }
        return (tokens, kinds, numbers, packed, literals)
    }

    /// The documented bit packing, written independently: bits least significant first,
    /// each GUID a flag (1 = version 4) then its bytes without the 4 version and 2 variant
    /// bits when version 4; each base64 id 16 bytes and a 4-bit tail.
    private static func referencePack(guids: [[UInt8]], base64: [[UInt8]]) -> [UInt8] {
        var bits: [Bool] = []
        func put(_ value: UInt8, _ count: Int) { for k in 0..<count { bits.append(value >> k & 1 == 1) } }
        for g in guids {
            let v4 = g[6] >> 4 == 4 && g[8] >> 6 == 2
            put(v4 ? 1 : 0, 1)
            for (i, b) in g.enumerated() { put(b, v4 && i == 6 ? 4 : v4 && i == 8 ? 6 : 8) }
        }
        for id in base64 {
            for b in id[..<16] { put(b, 8) }
            put(id[16], 4)
        }
        return stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, k in start + k < bits.count && bits[start + k] ? byte | 1 << k : byte }
        }
    }

    @Test func identifierByteLayouts() throws {
        // One literal: no tokens; kinds [0]; no numbers or packed bits; literal "x".
        #expect(IdentifierEncoding.encode(["x"]) == [0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x78])
        // A repeat one value back: kind 1, distance 1 in numbers.
        #expect(IdentifierEncoding.encode(["x", "x"]) == [0x00, 0x02, 0x00, 0x01, 0x01, 0x01, 0x00, 0x02, 0x01, 0x78])

        // A lowercase GUID (version 4): kind 2; flag 1 and 122 bits = 123 bits, 16 bytes.
        let guidBytes: [UInt8] = [0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x46, 0x9f, 0xa1, 0x65, 0x70, 0x86, 0x77, 0x28, 0x95, 0x0e]
        let lower = try #require(Self.identifierStreams(IdentifierEncoding.encode([Self.lowerGUID])))
        #expect(lower.kinds == [2])
        #expect(lower.packed == Self.referencePack(guids: [guidBytes], base64: []))
        #expect(lower.packed.count == 16)
        // Its first byte: flag 1, then the low 7 bits of 0x0f.
        #expect(lower.packed[0] == 0x1F)
        #expect(lower.literals.isEmpty && lower.numbers.isEmpty && lower.tokens.isEmpty)
        let upper = try #require(Self.identifierStreams(IdentifierEncoding.encode([Self.upperGUID])))
        #expect(upper.kinds == [3])
        #expect(upper.packed == lower.packed)

        // A GUID that is not version 4 keeps all 128 bits: two GUIDs, 123 + 129 bits = 32 bytes.
        let second = "00112233-4455-6677-8899-aabbccddeeff"
        let two = try #require(Self.identifierStreams(IdentifierEncoding.encode([Self.lowerGUID, second])))
        let secondBytes: [UInt8] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]
        #expect(two.packed == Self.referencePack(guids: [guidBytes, secondBytes], base64: []))
        #expect(two.packed.count == 32)

        // A mixed-case GUID is a literal.
        let mixed = "0f8fad5b-D9CB-469f-a165-70867728950e"
        let m = try #require(Self.identifierStreams(IdentifierEncoding.encode([mixed])))
        #expect(m.kinds == [0])
        #expect(m.literals == [36] + Array(mixed.utf8))

        // A MessageId: kind 4; prefix and suffix tokens; the stamp as a zigzag difference to 0; the GUID.
        let messageId = "Outgoing_20261001000006" + Self.lowerGUID + "_noam"
        let mid = try #require(Self.identifierStreams(IdentifierEncoding.encode([messageId])))
        #expect(mid.tokens == ["Outgoing_", "_noam"])
        #expect(mid.kinds == [4])
        #expect(mid.numbers == [0x00, 0x01] + Self.leb128(20_261_001_000_006 * 2))
        #expect(mid.packed == lower.packed)

        // Without a suffix, the suffix token is the empty string.
        let bare = try #require(Self.identifierStreams(IdentifierEncoding.encode(["Incoming_20261001000006" + Self.lowerGUID])))
        #expect(bare.tokens == ["Incoming_", ""])
        #expect(bare.kinds == [4])

        // A base64 id: kind 5; 132 bits (all zero for "A"s) in 17 bytes; the ".0" token.
        let b = try #require(Self.identifierStreams(IdentifierEncoding.encode(["AAAAAAAAAAAAAAAAAAAAAA.0"])))
        #expect(b.tokens == [".0"])
        #expect(b.kinds == [5])
        #expect(b.numbers == [0x00])
        #expect(b.packed == [UInt8](repeating: 0, count: 17))
        // "/" is 63: 132 one-bits → 16 bytes of 0xFF and a last byte 0x0F.
        let ones = try #require(Self.identifierStreams(IdentifierEncoding.encode([String(repeating: "/", count: 22)])))
        #expect(ones.kinds == [5])
        #expect(ones.packed == [UInt8](repeating: 0xFF, count: 16) + [0x0F])
        #expect(ones.tokens == [""])
    }

    @Test func identifierDamageThrows() throws {
        let values = [Self.lowerGUID, "Outgoing_20261001000006" + Self.lowerGUID + "_noam", "Q2hlY2tUaGlzT3V0QWdhaW4.0", "lit", "lit"]
        let encoded = IdentifierEncoding.encode(values)
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(encoded, count: values.count + 1, context: "t") }
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(encoded, count: values.count - 1, context: "t") }
        // Cut short (see identifierCutShortThrows): here cut before the literals stream.
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(Array(encoded.prefix(encoded.count - 10)), count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(encoded + [0x00], count: values.count, context: "t") }
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([], count: 0, context: "t") }
        // Layout: token count, tokens, then kinds, numbers, packed, literals, each a varint length and bytes.
        // Unknown kind 9.
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x09, 0x00, 0x00, 0x00], count: 1, context: "t") }
        // A repeat of distance 0, and one reaching before the first value.
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00], count: 1, context: "t") }
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00], count: 1, context: "t") }
        // A GUID kind without packed bits.
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x02, 0x00, 0x00, 0x00], count: 1, context: "t") }
        // An all-zero GUID (flag 0, 128 bits) fits 17 bytes; an 18th byte, or a padding bit set, is damage.
        let zeroGUID: [UInt8] = [0x00, 0x01, 0x02, 0x00, 0x11] + [UInt8](repeating: 0, count: 17) + [0x00]
        #expect(try IdentifierEncoding.decode(zeroGUID, count: 1, context: "t")[0] == "00000000-0000-0000-0000-000000000000")
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x02, 0x00, 0x12] + [UInt8](repeating: 0, count: 18) + [0x00], count: 1, context: "t") }
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x02, 0x00, 0x11] + [UInt8](repeating: 0, count: 16) + [0x80, 0x00], count: 1, context: "t") }
        // A MessageId kind naming a token that does not exist (no tokens at all).
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x04, 0x03, 0x00, 0x00, 0x00, 0x11] + [UInt8](repeating: 0, count: 17) + [0x00], count: 1, context: "t") }
        // A MessageId stamp over 14 digits: 2 * 10^14 as zigzag, with one empty token.
        let tooLate: [UInt8] = [0x01, 0x00, 0x01, 0x04] + Self.leb128Stream([0x00, 0x00] + Self.leb128(200_000_000_000_000)) + [0x11] + [UInt8](repeating: 0, count: 17) + [0x00]
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(tooLate, count: 1, context: "t") }
        // A base64 id with only 128 of its 132 bits.
        let shortBase64: [UInt8] = [0x01, 0x00, 0x01, 0x05, 0x01, 0x00, 0x10] + [UInt8](repeating: 0, count: 16) + [0x00]
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(shortBase64, count: 1, context: "t") }
        // A literal that is not UTF-8.
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode([0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0xFF], count: 1, context: "t") }
    }

    /// Known issue: `ByteReader.rangePrefixed` checks the run's length against the bytes
    /// left *before* its varint, so a run may end past the buffer by the varint's length.
    @Test func rangePrefixedRefusesARunPastTheEnd() {
        var reader = ByteReader([0x02, 0xAA], context: "t")
        #expect(throws: FormatError.self) { try reader.rangePrefixed() }
        var limited = ByteReader([0x00, 0x02, 0xAA, 0xBB], context: "t", range: 1..<3)
        #expect(throws: FormatError.self) { try limited.rangePrefixed() }
    }

    /// An identifier chunk whose last stream (the literals) is cut short by one byte:
    /// the literal's range runs past the buffer and reading it traps (index out of range).
    @Test
    func identifierCutShortThrows() {
        let values = ["lit"]
        let encoded = IdentifierEncoding.encode(values)
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(Array(encoded.dropLast()), count: values.count, context: "t") }
    }

    /// A length-prefixed run.
    private static func leb128Stream(_ bytes: [UInt8]) -> [UInt8] { leb128(UInt64(bytes.count)) + bytes }

    @Test func canonicallyEquivalentIdentifiersStayDistinct() throws {
        // "é" as one code point and as e + combining acute: different bytes, equal as Swift Strings.
        let values = ["caf\u{E9}", "cafe\u{301}", "caf\u{E9}"]
        let decoded = try IdentifierEncoding.decode(IdentifierEncoding.encode(values), count: values.count, context: "t")
        #expect(Self.bytes(Self.values(decoded)) == Self.bytes(values))
    }

    // MARK: CombinedEncoding

    @Test func combinedByteLayoutAndRowsWithoutValues() throws {
        let operation = try #require(FieldSchema.column(named: "operationName"))
        let attempts = try #require(FieldSchema.column(named: "DeliveryAttempts"))
        #expect(operation == 5 && attempts == 18)
        // Three rows: operation A B A; attempts 1, none, 1.
        let attemptsRow: [Int?] = [0, nil, 1]
        let encoded = CombinedEncoding.encode(columns: [(operation, .strings(["A", "B", "A"])), (attempts, .integers([1, 1]))], rowCount: 3) { column, row in
            column == operation ? Optional(row) : attemptsRow[row]
        }
        // 2 columns; column 5: 2 entries "A" "B"; column 18: 1 entry, 1 (zigzag 2);
        // 2 tuples (1,1) and (2,0); rows 0 1 0.
        #expect(encoded == [0x02, 0x05, 0x02, 0x01, 0x41, 0x01, 0x42, 0x12, 0x01, 0x02, 0x02, 0x01, 0x01, 0x02, 0x00, 0x00, 0x01, 0x00])
        let decoded = try CombinedEncoding.decode(encoded, rowCount: 3, context: "t")
        #expect(decoded.map(\.column) == [operation, attempts])
        guard case .strings(let ops) = decoded[0].values, case .integers(let counts) = decoded[1].values else {
            Issue.record("wrong column kinds"); return
        }
        #expect(Self.values(ops) == ["A", "B", "A"])
        #expect(counts == [1, 1])
    }

    @Test func combinedRoundTripsManyRowsWithGaps() throws {
        let country = try #require(FieldSchema.column(named: "Country"))
        let result = try #require(FieldSchema.column(named: "resultType"))
        let quantity = try #require(FieldSchema.column(named: "Quantity"))
        let rows = 500
        // Row r has a country unless r % 7 == 3, a result always, a quantity when r % 3 == 0.
        let hasCountry = (0..<rows).map { $0 % 7 != 3 }
        let hasQuantity = (0..<rows).map { $0 % 3 == 0 }
        let countries = (0..<rows).filter { hasCountry[$0] }.map { ["US", "CA", "中国", "", "\u{0}"][$0 % 5] }
        let results = (0..<rows).map { $0 % 4 == 0 ? "Failed" : "Succeeded" }
        let quantities = (0..<rows).filter { hasQuantity[$0] }.map { [Int64.min, -1, 0, Int64.max][$0 % 4] }
        func position(_ has: [Bool], _ row: Int) -> Int? {
            has[row] ? has[..<row].filter { $0 }.count : nil
        }
        let encoded = CombinedEncoding.encode(columns: [(country, .strings(countries)), (result, .strings(results)), (quantity, .integers(quantities))],
                                              rowCount: rows) { column, row in
            switch column {
            case country: return position(hasCountry, row)
            case result: return row
            default: return position(hasQuantity, row)
            }
        }
        let decoded = try CombinedEncoding.decode(encoded, rowCount: rows, context: "t")
        #expect(decoded.map(\.column) == [country, result, quantity])
        if case .strings(let c) = decoded[0].values { #expect(Self.bytes(Self.values(c)) == Self.bytes(countries)) } else { Issue.record("country") }
        if case .strings(let r) = decoded[1].values { #expect(Self.values(r) == results) } else { Issue.record("result") }
        if case .integers(let q) = decoded[2].values { #expect(q == quantities) } else { Issue.record("quantity") }
    }

    @Test func combinedWithNoRowsAndEmptyColumns() throws {
        let operation = try #require(FieldSchema.column(named: "operationName"))
        let encoded = CombinedEncoding.encode(columns: [(operation, .strings([]))], rowCount: 0) { _, _ in nil }
        #expect(encoded == [0x01, 0x05, 0x00, 0x00])
        let decoded = try CombinedEncoding.decode(encoded, rowCount: 0, context: "t")
        #expect(decoded.count == 1)
        if case .strings(let s) = decoded[0].values { #expect(s.count == 0) } else { Issue.record("kind") }
        // Rows with no value in any column: one tuple (0).
        let none = CombinedEncoding.encode(columns: [(operation, .strings([]))], rowCount: 2) { _, _ in nil }
        #expect(none == [0x01, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00])
        if case .strings(let s) = try CombinedEncoding.decode(none, rowCount: 2, context: "t")[0].values { #expect(s.count == 0) }
    }

    @Test func combinedCanonicallyEquivalentStringsStayDistinct() throws {
        let country = try #require(FieldSchema.column(named: "Country"))
        let values = ["caf\u{E9}", "cafe\u{301}"]
        let encoded = CombinedEncoding.encode(columns: [(country, .strings(values))], rowCount: 2) { _, row in row }
        let decoded = try CombinedEncoding.decode(encoded, rowCount: 2, context: "t")
        guard case .strings(let s) = decoded[0].values else { Issue.record("kind"); return }
        #expect(Self.bytes(Self.values(s)) == Self.bytes(values))
    }

    @Test func combinedDamageThrows() {
        let good: [UInt8] = [0x02, 0x05, 0x02, 0x01, 0x41, 0x01, 0x42, 0x12, 0x01, 0x02, 0x02, 0x01, 0x01, 0x02, 0x00, 0x00, 0x01, 0x00]
        #expect(throws: FormatError.self) { try CombinedEncoding.decode(good, rowCount: 4, context: "t") }
        #expect(throws: FormatError.self) { try CombinedEncoding.decode(good, rowCount: 2, context: "t") }
        #expect(throws: FormatError.self) { try CombinedEncoding.decode(Array(good.dropLast()), rowCount: 3, context: "t") }
        #expect(throws: FormatError.self) { try CombinedEncoding.decode(good + [0x00], rowCount: 3, context: "t") }
        // Columns that cannot be combined: time (0), residual (2), combined (31), one past the schema.
        for column: UInt8 in [0, 1, 2, 31, 32, 200] {
            #expect(throws: FormatError.self) { try CombinedEncoding.decode([0x01, column, 0x00, 0x00], rowCount: 0, context: "t") }
        }
        // The same column twice.
        #expect(throws: FormatError.self) { try CombinedEncoding.decode([0x02, 0x05, 0x00, 0x05, 0x00, 0x00], rowCount: 0, context: "t") }
        // A tuple naming entry 3 of a 2-entry dictionary.
        #expect(throws: FormatError.self) { try CombinedEncoding.decode([0x01, 0x05, 0x02, 0x01, 0x41, 0x01, 0x42, 0x01, 0x03, 0x00], rowCount: 1, context: "t") }
        // A row naming tuple 1 of 1.
        #expect(throws: FormatError.self) { try CombinedEncoding.decode([0x01, 0x05, 0x01, 0x01, 0x41, 0x01, 0x01, 0x01], rowCount: 1, context: "t") }
        // Rows but no tuples.
        #expect(throws: FormatError.self) { try CombinedEncoding.decode([0x01, 0x05, 0x00, 0x00, 0x00], rowCount: 1, context: "t") }
        // A column count over the schema's.
        #expect(throws: FormatError.self) { try CombinedEncoding.decode([0x7F], rowCount: 0, context: "t") }
    }

    // MARK: StringChunk

    @Test func stringChunkStoragesAgree() {
        let dictionary = StringChunk(dictionary: ["a", "é"], ids: [1, 0, 1])
        let each = StringChunk(each: ["é", "a", "é"])
        let computed = StringChunk(count: 3) { ["é", "a", "é"][$0] }
        for chunk in [dictionary, each, computed] {
            #expect(chunk.count == 3)
            #expect(Self.values(chunk) == ["é", "a", "é"])
            let form = chunk.dictionaryForm
            #expect(form.ids.count == 3)
            #expect(form.ids.map { form.dictionary[Int($0)] } == ["é", "a", "é"])
        }
        #expect(dictionary.dictionaryForm.dictionary == ["a", "é"])
        #expect(dictionary.dictionaryForm.ids == [1, 0, 1])
    }

    // MARK: the chunk decoder

    @Test func chunkDecoderRefusesAnEncodingOfTheWrongType() throws {
        let ints = VarintEncoding.encode([1, 2])
        #expect(throws: FormatError.self) { try ChunkDecoder.strings(ints, encoding: .varint, count: 2, context: "t") }
        #expect(throws: FormatError.self) { try ChunkDecoder.integers(PlainStringEncoding.encode(["a"]), encoding: .plainStrings, count: 1, context: "t") }
        #expect(throws: FormatError.self) { try ChunkDecoder.integers([0x00], encoding: .combined, count: 0, context: "t") }
        #expect(try ChunkDecoder.integers(ints, encoding: .varint, count: 2, context: "t") == [1, 2])
        #expect(try ChunkDecoder.integers(try #require(BitPackedEncoding.encode([5, 6, 7])), encoding: .bitPacked, count: 3, context: "t") == [5, 6, 7])
        #expect(try ChunkDecoder.integers([0xC8, 0x01, 0x01, 0xA6], encoding: .riceDelta, count: 4, context: "t") == [100, 101, 103, 106])
    }
}
