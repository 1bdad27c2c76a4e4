/// The ids of the value encodings of version-2 column chunks; each is
/// specified in `man/smsarchive-format.5` and implemented in its own file.
public enum ChunkEncodingID: UInt8, Sendable, CaseIterable {
    /// Integers: zigzag varints.
    case varint = 1
    /// Integers: zigzag varints of differences to the previous value.
    case deltaVarint = 2
    /// Integers: frame of reference, then fixed-width bit packing.
    case bitPacked = 3
    /// Strings: each a varint length and its UTF-8 bytes.
    case plainStrings = 4
    /// Strings: a dictionary of distinct values, then one varint id per value.
    case dictionaryStrings = 5
    /// Identifiers (MessageId, correlationId, RecordId): split by structure, with back-references to repeats.
    case identifiers = 6
    /// Several low-cardinality columns together: a tuple dictionary and one tuple id per row.
    case combined = 7
}

/// Decoded strings of a chunk as a dictionary and one id per value, whatever
/// the encoding (plain strings get the identity mapping).
public struct StringChunk: Sendable {
    public var dictionary: [String]
    public var ids: [Int32]

    public var count: Int { ids.count }
    public subscript(i: Int) -> String { dictionary[Int(ids[i])] }
}

/// Picks, for one chunk, the candidate encoding whose zstd-compressed form is smallest.
enum EncodingChooser {
    struct Choice {
        var encoding: UInt8
        var raw: [UInt8]
        var compressed: [UInt8]
    }

    static func smallest(_ candidates: [(ChunkEncodingID, [UInt8])], level: Int32) -> Choice {
        var best: Choice?
        for (id, raw) in candidates {
            let compressed = Zstd.compress(raw, level: level)
            if best == nil || compressed.count < best!.compressed.count {
                best = Choice(encoding: id.rawValue, raw: raw, compressed: compressed)
            }
        }
        return best!
    }
}
