import Testing
@testable import SMSFormat
@testable import SMSRecords

/// The word-at-a-time unpacking of GUIDs and base64 ids, and the grouping of identifier kinds by
/// row group, against plain bit-by-bit and sort-based versions written here from the format's
/// description (man/smsarchive-format.5), on random and on damaged input.
@Suite struct PackedIdentifierTests {
    /// The packed stream read one bit at a time, least significant bit of each byte first.
    static func referenceUnpack(_ packed: [UInt8], guids: Int, base64: Int) -> (guids: [UInt8], base64: [UInt8])? {
        var bit = 0
        func read(_ n: Int) -> Int? {
            guard bit + n <= packed.count * 8 else { return nil }
            var v = 0
            for k in 0..<n where packed[(bit + k) / 8] >> UInt8((bit + k) % 8) & 1 == 1 { v |= 1 << k }
            bit += n
            return v
        }
        var g: [UInt8] = [], b: [UInt8] = []
        for _ in 0..<guids {
            guard let flag = read(1) else { return nil }
            for i in 0..<16 {
                if flag == 1, i == 6 { guard let v = read(4) else { return nil }; g.append(0x40 | UInt8(v)) }
                else if flag == 1, i == 8 { guard let v = read(6) else { return nil }; g.append(0x80 | UInt8(v)) }
                else { guard let v = read(8) else { return nil }; g.append(UInt8(v)) }
            }
        }
        for _ in 0..<base64 {
            for _ in 0..<16 { guard let v = read(8) else { return nil }; b.append(UInt8(v)) }
            guard let tail = read(4) else { return nil }
            b.append(UInt8(tail))
        }
        // Only zero bits may follow, within the last byte.
        guard (bit + 7) / 8 == packed.count, read(packed.count * 8 - bit).map({ $0 == 0 }) ?? false else { return nil }
        return (g, b)
    }

    @Test func unpackingMatchesBitByBitReading() {
        var random = SeededGenerator(seed: 99)
        for trial in 0..<300 {
            let guidCount = Int.random(in: 0..<12, using: &random), base64Count = Int.random(in: 0..<6, using: &random)
            var guids: [UInt8] = []
            for _ in 0..<guidCount {
                var g = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
                if Bool.random(using: &random) {   // version 4: the fixed bits that packing leaves out
                    g[6] = 0x40 | g[6] & 0x0F
                    g[8] = 0x80 | g[8] & 0x3F
                }
                guids += g
            }
            var base64: [UInt8] = []
            for _ in 0..<base64Count { base64 += (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) } + [UInt8.random(in: 0..<16, using: &random)] }
            let packed = PackedIdentifiers.pack(guids: guids, base64: base64)
            let unpacked = PackedIdentifiers.unpack(packed, guids: guidCount, base64: base64Count)
            #expect(unpacked?.guids == guids && unpacked?.base64 == base64, "trial \(trial)")
            // Damage: a byte cut or added, a changed bit anywhere, counts off by one.
            var damaged: [[UInt8]] = [packed + [0], packed + [1]]
            if !packed.isEmpty { damaged.append(Array(packed.dropLast())) }
            for _ in 0..<4 where !packed.isEmpty {
                var changed = packed
                changed[Int.random(in: 0..<packed.count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                damaged.append(changed)
            }
            for bytes in damaged {
                for (g, b) in [(guidCount, base64Count), (guidCount + 1, base64Count), (guidCount, base64Count + 1), (max(0, guidCount - 1), base64Count)] {
                    let fast = PackedIdentifiers.unpack(bytes, guids: g, base64: b)
                    let slow = Self.referenceUnpack(bytes, guids: g, base64: b)
                    #expect(fast?.guids == slow?.guids && fast?.base64 == slow?.base64 && (fast == nil) == (slow == nil),
                            "trial \(trial): \(bytes.count) bytes for \(g) GUIDs and \(b) base64 ids")
                }
            }
        }
    }

    /// Stamps worked out with the date kept from one row to the next are those of `rowStamp`, across
    /// days, before 1970, and back and forth in time.
    @Test func rowStampsWithACachedDateMatchRowStamp() {
        var random = SeededGenerator(seed: 3)
        var stamps = IdentifierEncoding.RowStamps()
        var ticks: Int64 = 17_594_000_000_000_000   // 2025-10-01
        for _ in 0..<5000 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: ticks = Int64.random(in: -20_000_000_000_000_000...40_000_000_000_000_000, using: &random)
            case 1: ticks -= Int64.random(in: 0...Timestamp.ticksPerDay, using: &random)
            default: ticks += Int64.random(in: 0...30 * Timestamp.ticksPerSecond, using: &random)
            }
            #expect(stamps.of(ticks) == IdentifierEncoding.rowStamp(ticks), "ticks \(ticks)")
        }
    }

    /// Value indexes group by group, groups in order of first appearance: a stable sort by that rank.
    @Test func groupOrderIsAStableSortByFirstAppearance() {
        var random = SeededGenerator(seed: 5)
        let cases: [[Int32]] = [[], [0], [3, 3, 1], [0, 1, 0, 2, 1, 0], [7, 1_000_000, 7, -4, 1_000_000, -4, 2]]
            + (0..<50).map { _ in (0..<Int.random(in: 1..<200, using: &random)).map { _ in Int32.random(in: 0..<Int32.random(in: 1..<40, using: &random), using: &random) } }
        for groups in cases {
            var firstSeen: [Int32: Int] = [:]
            for g in groups where firstSeen[g] == nil { firstSeen[g] = firstSeen.count }
            let expected = groups.indices.sorted { (firstSeen[groups[$0]]!, $0) < (firstSeen[groups[$1]]!, $1) }.map { Int32($0) }
            #expect(IdentifierEncoding.groupOrder(groups) == expected, "\(groups)")
        }
        // Rows numbered by first appearance of (layout, tuple), with and without tuples, wide ids too.
        let layouts: [Int64] = [2, 2, 0, 70_000, 2, 0]
        #expect(IdentifierEncoding.rowGroups(layoutIDs: layouts, tupleIDs: [1, 1, 1, 1, 9, 1]) == [0, 0, 1, 2, 3, 1])
        #expect(IdentifierEncoding.rowGroups(layoutIDs: layouts, tupleIDs: nil) == [0, 0, 1, 2, 0, 1])
        #expect(IdentifierEncoding.rowGroups(layoutIDs: [1, 1], tupleIDs: [100_000, 5]) == [0, 1])
    }
}
