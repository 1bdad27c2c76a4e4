import Testing
@testable import SMSFormat
@testable import SMSSupport

/// Golomb-Rice decoding through a 64-bit window gives what reading the stream a bit at a time
/// gives (the format as man/smsarchive-format.5 describes it), values or error, on random and on
/// cut or changed streams.
@Suite struct RiceDecodeTests {
    /// A bit-at-a-time reader of the format: first value, k, then per value its quotient in ones,
    /// a zero, and k low bits; nothing but padding bits in the last byte may follow.
    static func reference(_ bytes: [UInt8], count: Int) -> String {
        var r = ByteReader(bytes, context: "rice")
        guard let first = try? r.signedVarint(), let kByte = try? r.byte(), kByte <= 56 else { return "error" }
        let k = Int(kByte)
        var bit = r.offset * 8
        func read() -> UInt64? {
            guard bit < bytes.count * 8 else { return nil }
            defer { bit += 1 }
            return UInt64(bytes[bit / 8] >> UInt8(bit % 8) & 1)
        }
        var values = [first]
        var value = first
        for _ in 1..<count {
            var q: UInt64 = 0
            while true {
                guard let b = read() else { return "error: ends early" }
                if b == 0 { break }
                q += 1
                guard q < 1 << 20 else { return "error: quotient" }
            }
            var low: UInt64 = 0
            for j in 0..<k {
                guard let b = read() else { return "error: ends early" }
                low |= b << UInt64(j)
            }
            value = value &+ Int64(bitPattern: q << UInt64(k) | low)
            values.append(value)
        }
        guard (bit + 7) / 8 == bytes.count else { return "error: bytes after" }
        return "\(values)"
    }

    static func fast(_ bytes: [UInt8], count: Int) -> String {
        do { return "\(try RiceDeltaEncoding.decode(bytes, count: count, context: "rice"))" } catch {
            let text = "\(error)"
            if text.contains("ends early") { return "error: ends early" }
            if text.contains("quotient") { return "error: quotient" }
            if text.contains("after the last value") { return "error: bytes after" }
            return "error"
        }
    }

    @Test func windowedDecodingMatchesBitByBitReading() throws {
        var random = SeededGenerator(seed: 21)
        for trial in 0..<200 {
            let count = Int.random(in: 1..<300, using: &random)
            let gap = Int64(1) << Int64.random(in: 0..<40, using: &random)
            var values: [Int64] = [Int64.random(in: -1_000_000...1_000_000_000, using: &random)]
            for _ in 1..<count {
                // Mostly gaps near the mean, some long ones (quotients past a 57-bit window).
                let long = Int.random(in: 0..<40, using: &random) == 0
                values.append(values.last! + Int64.random(in: 0...(long ? gap * 200 : gap * 2), using: &random))
            }
            guard let bytes = RiceDeltaEncoding.encode(values) else { continue }
            #expect(try RiceDeltaEncoding.decode(bytes, count: count, context: "rice") == values, "trial \(trial)")
            var damaged: [([UInt8], Int)] = [(Array(bytes.dropLast()), count), (bytes + [0], count), (bytes, count + 1), (bytes, max(1, count - 1))]
            for _ in 0..<6 {
                var changed = bytes
                changed[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                damaged.append((changed, count))
            }
            for (input, n) in damaged {
                #expect(Self.fast(input, count: n) == Self.reference(input, count: n), "trial \(trial): \(input.count) bytes, \(n) values")
            }
        }
        // A quotient of 2^20 ones, and one cut inside its run.
        var ones: [UInt8] = [0, 0] + [UInt8](repeating: 0xFF, count: (1 << 20) / 8 + 2)
        #expect(Self.fast(ones, count: 2) == "error: quotient")
        ones = [0, 0] + [UInt8](repeating: 0xFF, count: 1000)
        #expect(Self.fast(ones, count: 2) == "error: ends early")
    }
}
