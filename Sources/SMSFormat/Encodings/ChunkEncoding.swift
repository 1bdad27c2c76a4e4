import SMSRecords
import SMSSupport

/// The ids of the value encodings of version-2 column chunks; each is
/// specified in `man/smsarchive-format.5` and implemented in its own file.
package enum ChunkEncodingID: UInt8, Sendable, CaseIterable {
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
    /// Non-decreasing integers: Golomb-Rice codes of their differences.
    case riceDelta = 8
    /// Strings: a bit per value whose row is linked (`RowLinks`), 1 when it repeats the linked
    /// row's value; the other values as in `dictionaryStrings`. Version 4 and later.
    case linkedStrings = 9
    /// Identifiers as `identifiers`, knowing their rows: MessageId stamps relative to the row's
    /// time, kinds stored by row group (layout and combined tuple). Version 4 and later.
    case rowIdentifiers = 10

    /// The oldest segment version whose readers know this encoding.
    package var minimumVersion: UInt32 { self == .linkedStrings || self == .rowIdentifiers ? SegmentVersion.linkedColumns : SegmentVersion.columnar }
}

/// Decoded strings of a chunk: a dictionary with an id per value, one string
/// per value, or values formatted on demand (identifiers: most are never printed
/// by a selective scan, so they are not turned into strings until asked for).
package struct StringChunk: Sendable {
    package enum Storage: Sendable {
        case dictionary([String], [Int32])
        case each([String])
        case computed(@Sendable (Int) -> String)
    }

    package let count: Int
    package let storage: Storage
    /// For identifier chunks: per value, the index of the earlier value it repeats, or -1 (see `RowLinks`).
    package var repeatOf: [Int32]?
    /// For identifier chunks: per value, whether it equals one of the given strings exactly, found by
    /// comparing their parts, without turning each value into text (a lookup's cost was that).
    package var exactMatches: (@Sendable ([String]) -> [Bool])?
    /// For identifier chunks: each value's key parts (`IdentifierParts`), for joins that compare
    /// identifiers as fixed-size keys instead of text.
    package var identifierParts: (@Sendable () -> IdentifierParts)?

    package init(dictionary: [String], ids: [Int32]) {
        count = ids.count
        storage = .dictionary(dictionary, ids)
    }

    package init(each values: [String]) {
        count = values.count
        storage = .each(values)
    }

    package init(count: Int, repeatOf: [Int32]? = nil, computed: @escaping @Sendable (Int) -> String) {
        self.count = count
        storage = .computed(computed)
        self.repeatOf = repeatOf
    }

    package subscript(i: Int) -> String {
        switch storage {
        case .dictionary(let entries, let ids): return entries[Int(ids[i])]
        case .each(let values): return values[i]
        case .computed(let make): return make(i)
        }
    }

    /// The values as a dictionary and one id per value (built when not stored that way).
    package var dictionaryForm: (dictionary: [String], ids: [Int32]) {
        switch storage {
        case .dictionary(let entries, let ids): return (entries, ids)
        case .each(let values): return (values, (0..<Int32(count)).map { $0 })
        case .computed: return ((0..<count).map { self[$0] }, (0..<Int32(count)).map { $0 })
        }
    }
}

/// Picks, for one chunk, the candidate encoding whose zstd-compressed form is smallest.
package enum EncodingChooser {
    package struct Choice {
        package var encoding: UInt8
        /// Bytes before compression (the uncompressed form itself is not kept: segments hold many blocks).
        package var rawLength: Int
        package var compressed: [UInt8]
    }

    /// `zstd`: the calling thread's compression context.
    package static func smallest(_ candidates: [(ChunkEncodingID, [UInt8])], level: Int32, zstd: Zstd.Compressor) -> Choice {
        // Candidates are compared at a fast level and only the winner is compressed at `level`:
        // the trials were a fifth of convert's time, and the ranking rarely differs.
        let trialLevel = min(level, trialCompressionLevel)
        guard candidates.count > 1 else {
            return Choice(encoding: candidates[0].0.rawValue, rawLength: candidates[0].1.count, compressed: zstd.compress(candidates[0].1, level: level))
        }
        // Trials keep only their sizes; the winner is compressed again at `level` (or at the same
        // level: the same frame).
        var best: (id: ChunkEncodingID, raw: [UInt8], size: Int)?
        for (id, raw) in candidates {
            let size = zstd.compressedSize(raw, level: trialLevel)
            if best == nil || size < best!.size { best = (id, raw, size) }
        }
        let winner = best!
        return Choice(encoding: winner.id.rawValue, rawLength: winner.raw.count, compressed: zstd.compress(winner.raw, level: level))
    }

    /// The size of the smallest candidate compressed at the trial level: what the column would
    /// cost on its own, to compare another form of it with.
    package static func smallestTrial(_ candidates: [(ChunkEncodingID, [UInt8])], level: Int32, zstd: Zstd.Compressor) -> Int {
        let trialLevel = min(level, trialCompressionLevel)
        return candidates.map { zstd.compressedSize($0.1, level: trialLevel) }.min()!
    }

    /// The zstd level candidates are compared at.
    package static let trialCompressionLevel: Int32 = 3
}
