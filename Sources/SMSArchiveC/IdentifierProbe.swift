import SMSArchive
import SMSFormat
import SMSRecords
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rules out a block for an exact predicate on an identifier column (MessageId, correlationId, RecordId)
/// or a phone number from the column's decompressed chunk alone, without decoding it.
///
/// A MessageId's Bloom filter lets about one block in ten through that does not hold it, and decoding a
/// block's MessageIds to find that out (their stamps need the rows' times, their kinds the combined
/// chunk's tuples) was most of a lookup's time. But a value can only be in an `identifiers` or
/// `rowIdentifiers` chunk (smsarchive-format(5), CHUNK ENCODINGS 6 and 10) in a few forms: as its own
/// bytes (a literal), or with its GUID (kinds 2, 3, 4 and 6) or its 16 base64 bytes and tail (kind 5) as a
/// run of bits in the packed stream, at any bit offset; repeats (kinds 1 and 7) point at an earlier value
/// of the same chunk. So when none of those byte strings occurs anywhere in the chunk, no row has the
/// value. Any occurrence (even in another part of the chunk) only means "maybe": the block is decoded.
struct IdentifierProbe: Sendable {
    /// The byte strings one of which a chunk holding one of the values must contain.
    private let needles: [[UInt8]]
    /// Bit p set when a needle starts with the two bytes of p (first byte low): one pass over the chunk
    /// looks for all of them at once.
    private let starts: [UInt64]
    /// A needle too short for `starts`: the probe cannot rule anything out.
    private let tooShort: Bool

    init(values: [String]) {
        needles = values.flatMap(Self.needles(of:))
        tooShort = needles.contains { $0.count < 2 }
        var starts = [UInt64](repeating: 0, count: 1024)
        for needle in needles where needle.count >= 2 {
            let pair = Int(needle[0]) | Int(needle[1]) << 8
            starts[pair >> 6] |= 1 << UInt64(pair & 63)
        }
        self.starts = starts
    }

    /// Whether the raw chunk may hold one of the values.
    func mayContain(_ chunk: [UInt8]) -> Bool {
        if tooShort { return true }
        return chunk.withUnsafeBytes { haystack in
            guard haystack.count >= 2 else { return false }
            for i in 0..<(haystack.count - 1) {
                let pair = Int(haystack[i]) | Int(haystack[i + 1]) << 8
                guard starts[pair >> 6] & (1 << UInt64(pair & 63)) != 0 else { continue }
                for needle in needles where needle.count <= haystack.count - i {
                    if needle.withUnsafeBytes({ memcmp(haystack.baseAddress! + i, $0.baseAddress!, $0.count) == 0 }) { return true }
                }
            }
            return false
        }
    }

    /// The encodings whose chunks the probe can read: identifiers, and those that store each distinct value
    /// as its bytes (plainStrings, dictionaryStrings, linkedStrings; a linked value repeats an entry of the
    /// same chunk), where the value's literal bytes must occur: a phone number's chunk, say.
    static let encodings: Set<UInt8> = Set([ChunkEncodingID.identifiers, .rowIdentifiers, .plainStrings, .dictionaryStrings,
                                            .linkedStrings].map(\.rawValue))

    /// The byte strings that a chunk holding `value` must contain one of.
    static func needles(of value: String) -> [[UInt8]] {
        let text = Array(value.utf8)
        var found: [[UInt8]] = [text]   // a literal (kind 0)
        var guids: [[UInt8]] = []
        if let guid = guidBytes(text[...]) { guids.append(guid) }   // kinds 2 and 3
        // Kinds 4 and 6: letters, "_", 14 digits, a GUID, the rest.
        if let u = text.prefix(17).firstIndex(of: UInt8(ascii: "_")), text.count >= u + 51,
           let guid = guidBytes(text[(u + 15)..<(u + 51)]) {
            guids.append(guid)
        }
        for guid in guids {
            // Writers set the flag exactly for version 4 GUIDs, but readers accept flag 0 for any.
            found += shifted(bits([(0, 1)] + guid.map { (UInt64($0), 8) }))
            if guid[6] >> 4 == 4, guid[8] >> 6 == 2 {
                var fields: [(UInt64, Int)] = [(1, 1)]
                for (i, byte) in guid.enumerated() {
                    fields.append(i == 6 ? (UInt64(byte & 0x0F), 4) : i == 8 ? (UInt64(byte & 0x3F), 6) : (UInt64(byte), 8))
                }
                found += shifted(bits(fields))
            }
        }
        if let (bytes, tail) = base64Bytes(text.prefix(22)) {   // kind 5
            found += shifted(bits(bytes.map { (UInt64($0), 8) } + [(UInt64(tail), 4)]))
        }
        return found
    }

    /// The stream bits of fields written one after another, each from its least significant bit.
    private static func bits(_ fields: [(value: UInt64, width: Int)]) -> [UInt8] {
        fields.flatMap { field in (0..<field.width).map { UInt8((field.value >> UInt64($0)) & 1) } }
    }

    /// For each of the 8 bit offsets `bits` may start at in the stream, the whole bytes it then covers.
    private static func shifted(_ bits: [UInt8]) -> [[UInt8]] {
        (0..<8).map { offset in
            let first = (8 - offset) % 8   // the pattern's first bit that starts a byte
            return stride(from: first, through: bits.count - 8, by: 8).map { start in
                (0..<8).reduce(UInt8(0)) { $0 | bits[start + $1] << UInt8($1) }
            }
        }
    }

    /// The 16 bytes of 8-4-4-4-12 hexadecimal GUID text, in either letter case.
    private static func guidBytes(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count == 36 else { return nil }
        var digits: [UInt8] = []
        for (i, c) in text.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digits.append(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digits.append(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        return stride(from: 0, to: 32, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// The 132 bits of 22 base64 characters (most significant first): 16 bytes and a 4-bit tail.
    private static func base64Bytes(_ text: ArraySlice<UInt8>) -> ([UInt8], UInt8)? {
        guard text.count == 22 else { return nil }
        var bits: [UInt8] = []
        for c in text {
            let v: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = c - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            default: return nil
            }
            for k in (0..<6).reversed() { bits.append((v >> UInt8(k)) & 1) }
        }
        func number(_ range: Range<Int>) -> UInt8 { range.reduce(UInt8(0)) { $0 << 1 | bits[$1] } }
        return ((0..<16).map { number($0 * 8..<$0 * 8 + 8) }, number(128..<132))
    }
}
