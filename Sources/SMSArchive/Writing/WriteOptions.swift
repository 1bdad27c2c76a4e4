import SMSFormat
import SMSSupport

/// How ``Converter`` and ``Compactor`` write segments: how much they collect before writing one,
/// how they compress it, and what they do when another process is writing the archive.
///
/// Records are partitioned by UTC day and collected, taken apart into columns, until a day holds
/// ``segmentRecords`` records or all days together hold ``segmentMemory`` bytes; then a segment
/// is sorted by time and written in the background while collecting goes on. Memory stays bounded
/// by these buffers, whatever the size of the input. None of these options changes what a reader
/// gets back.
///
/// ```swift
/// var options = WriteOptions()
/// options.segmentMemory = 64 << 20   // collect more per segment: fewer, larger segments
/// options.waitForLock = false        // fail with ArchiveError.busy instead of waiting
/// ```
public struct WriteOptions: Sendable {
    /// The most records collected (and sorted) per segment file: 1,000,000 by default.
    public var segmentRecords = 1_000_000
    /// Bytes of memory the segments being collected may hold before one is written: 32 MiB by default.
    ///
    /// One more segment may be in memory while it is being written in the background. Larger values
    /// make fewer, larger segments, which compress better.
    public var segmentMemory = 32 << 20
    /// Rows per block within a segment, the unit that a scan decompresses and that Bloom filters
    /// cover: 32,768 by default, at most 262,144 (the format's limit; a larger value counts as that).
    /// A block also ends early once its rows hold 16 MiB of text.
    public var blockRows = SegmentLayout.defaultBlockRows
    /// The zstd compression level of the column chunks: 9 by default.
    ///
    /// zstd's levels run from 1 (fastest) to 19 (smallest; 20 to 22 need much more memory).
    public var compressionLevel = Zstd.defaultLevel
    /// What to do when another process is writing the archive: wait for it (`true`, the default)
    /// or throw ``ArchiveError/busy(_:)``.
    public var waitForLock = true
    /// Called once, before waiting, if the writer has to wait for another process's lock: for
    /// example to tell a user why nothing happens. By default it does nothing.
    public var onWait: @Sendable () -> Void = {}
    /// Whether a missing archive is created (convert) or is an error (compact).
    package var create = true

    /// The defaults: at most a million records or 32 MiB collected per segment, blocks of 32,768 rows,
    /// zstd level 9, and waiting for another writer.
    public init() {}
}
