import SMSArchive
import SMSSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An archive opened once (manifest read, every segment's footer read and checked) for any number of
/// streams: `smsarchive_open`'s handle. A consumer such as DuckDB asks for a new stream several times per
/// query (for the schema, then for the rows), and opening the archive each time was a point query's
/// largest cost. Every stream sees the archive as it stood when the handle was opened.
final class ArchiveHandle: Sendable {
    let path: String
    /// The reader is not thread-safe (it notes the segments scans use); streams on other threads share it.
    private let reader: LockedValue<ArchiveReader>

    init(path: String) throws {
        self.path = path
        reader = LockedValue(try ArchiveReader(path: path))
    }

    func withReader<T>(_ body: (ArchiveReader) throws -> T) rethrows -> T {
        try reader.withLock { try body($0) }
    }
}

/// The records of a trace, found once (`smsarchive_archive_trace`) and handed out as often as asked for.
final class TraceResult {
    let rows: [(RecordBatch, Int)]
    /// The MessageIds asked for that no record has, in the order given.
    let missing: [UnsafeMutablePointer<CChar>?]

    init(_ archive: ArchiveHandle, messageIds: [String]) throws {
        var rows: [(RecordBatch, Int)] = []
        let found = try archive.withReader { reader in
            try reader.trace(messageIds: messageIds) { batch, row in
                rows.append((batch, row))
                return true
            }
        }
        self.rows = rows
        var seen = Set<String>()
        missing = messageIds.filter { !found.contains($0) && seen.insert($0).inserted }.map(cString)
    }

    deinit { for text in missing { free(text) } }
}
