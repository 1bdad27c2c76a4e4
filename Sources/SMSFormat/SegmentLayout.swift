import SMSRecords

/// Constants of the segment file format; `man/smsarchive-format.5` is the authority.
package enum SegmentLayout {
    /// The first and last eight bytes of every segment file.
    package static let magic: [UInt8] = Array("SMSASEG\0".utf8)
    /// The newest segment format version this build writes.
    package static let currentVersion: UInt32 = SegmentVersion.columnsAlone
    /// Versions this build can read.
    package static let readableVersions: ClosedRange<UInt32> = SegmentVersion.rowDocuments...currentVersion
    /// Header: magic (8), version (u32), reserved (u32).
    package static let headerSize = 16
    /// Trailer: footer length (u32), footer XXH64 (u64), magic (8).
    package static let trailerSize = 20
    /// Rows per block unless told otherwise.
    package static let defaultBlockRows = 32768
    /// The most rows a block may hold: a footer that says more is damage. Writers never exceed it
    /// (`SegmentWriter` caps its block size), and readers allocate per block no more than it allows.
    package static let maxBlockRows = 262_144
    /// The most bytes a chunk may hold once decompressed (rejects included): 256 MiB. A footer that
    /// says more is damage, so a crafted file cannot make a reader allocate more for one chunk.
    package static let maxChunkBytes = 256 << 20
    /// A writer ends a block early once its rows hold this many bytes of text, so that a chunk stays
    /// far below `maxChunkBytes` even with records near the longest line convert takes.
    package static let blockTextBudget = 16 << 20
}

/// The columns of a version-1 block, in the order they are stored.
package enum ColumnID: Int, CaseIterable, Sendable {
    /// Record time, Int64 ticks, `deltaVarint`.
    case time = 0
    /// Effective category, `dictionary`.
    case category = 1
    /// Effective resource ID, `dictionary`.
    case resource = 2
    /// The record's compact JSON text, `plainBytes`.
    case document = 3

    package var name: String {
        switch self {
        case .time: return "time"
        case .category: return "category"
        case .resource: return "resource"
        case .document: return "document"
        }
    }
}

/// How a column chunk's values are laid out before compression.
package enum ColumnEncoding: UInt8, Sendable {
    /// Int64 values as zigzag varints of the difference to the previous value (the first to 0).
    case deltaVarint = 1
    /// Byte strings, each a varint length and the bytes.
    case plainBytes = 2
    /// Optional strings: a dictionary of distinct values, then one varint per row (0 = absent, n = entry n-1).
    case dictionary = 3
}

/// How a chunk's bytes are compressed.
package enum ChunkCompression: UInt8, Sendable {
    case none = 0
    case zstd = 1
}
