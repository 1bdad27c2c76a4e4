import SMSFormat
import SMSSupport

/// How `Converter` and `Compactor` write segments: how much they collect before writing one,
/// how they compress it, and what they do when another process is writing the archive.
///
/// ```swift
/// var options = WriteOptions()
/// options.segmentMemory = 64 << 20   // collect more per segment: fewer, larger segments
/// options.waitForLock = false        // fail with ArchiveError.busy instead of waiting
/// ```
public struct WriteOptions: Sendable {
    /// Records collected (and sorted) per segment file, at most.
    public var segmentRecords = 1_000_000
    /// Bytes of memory the segments being collected may hold before one is written. One more
    /// segment may be in memory while it is being written in the background.
    public var segmentMemory = 32 << 20
    /// Rows per block within a segment: the unit a scan decompresses.
    public var blockRows = SegmentLayout.defaultBlockRows
    /// zstd compression level of the chunks.
    public var compressionLevel = Zstd.defaultLevel
    /// When another process is writing the archive: wait for it (true) or throw `ArchiveError.busy`.
    public var waitForLock = true
    /// Called once if the writer has to wait for another process's lock.
    public var onWait: @Sendable () -> Void = {}

    /// The defaults: at most a million records or 32 MiB collected per segment, blocks of 32,768 rows,
    /// zstd level 9, and waiting for another writer.
    public init() {}
}
