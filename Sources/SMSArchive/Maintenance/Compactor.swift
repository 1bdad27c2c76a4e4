import SMSRecords
import SMSSupport

/// Merges an archive's small segments, day by day, into large sorted ones: `smsarchive compact` as a library call.
///
/// Each run of ``Converter`` adds at least one segment per UTC day it has records of, so an archive
/// fed every hour collects many small segments. Compaction merges those of each day into one (or
/// a few, for a very large day) sorted segment with fresh dictionaries and layouts, which
/// compresses better and scans faster.
///
/// A segment is merged when it is smaller than ``Options/targetBytes``, its records all lie in
/// one UTC day, it overlaps ``Options/from`` to ``Options/to``, and its day has at least one
/// other such segment. Segments that hold only rejects are merged whenever anything else is, or
/// when there are at least two of them. Records and rejects are carried over unchanged; the old
/// and new segments swap in one manifest replacement, so an interrupted compaction leaves the
/// archive as it was.
///
/// ```swift
/// var options = Compactor.Options()
/// options.targetBytes = 128 << 20          // merge segments below 128 MiB
/// let summary = try Compactor(archive: "sms.smsa", options: options).run()
/// print("\(summary.segmentsBefore) segments before, \(summary.segmentsAfter) after")
/// ```
public final class Compactor {
    /// Which segments a compaction merges, and how it writes the new ones.
    public struct Options: Sendable {
        /// Segments at least this large, in bytes, are left alone: 64 MiB by default.
        public var targetBytes = 64 << 20
        /// Only segments with records at or after this time are merged; `nil` (the default) for no lower bound.
        public var from: Timestamp?
        /// Only segments with records before this time are merged; `nil` (the default) for no upper bound.
        public var to: Timestamp?
        /// How the new segments are written; by default with a larger buffer than ``Converter``'s
        /// (160 MiB), so that a whole day fits in one segment.
        public var writer: WriteOptions = {
            var options = WriteOptions()
            options.segmentMemory = 160 << 20
            return options
        }()
        /// The defaults: segments below 64 MiB, of any time, written with a 160 MiB buffer.
        public init() {}
    }

    /// What a compaction did.
    public struct Summary: Sendable {
        /// Segments in the archive before.
        public var segmentsBefore = 0
        /// Segments in the archive after.
        public var segmentsAfter = 0
        /// Segments merged: replaced by new ones. 0 when there was nothing to merge.
        public var merged = 0
        /// Records rewritten into the new segments.
        public var records = 0
        /// Bytes of the segments merged.
        public var bytesBefore = 0
        /// Bytes of the segments that replaced them.
        public var bytesAfter = 0
    }

    /// The archive folder to compact.
    public let archive: String
    /// Which segments to merge, and how to write the new ones.
    public let options: Options

    /// Prepares a compaction of the archive at `archive`; nothing is read or written until ``run()``.
    ///
    /// - Parameters:
    ///   - archive: The archive folder.
    ///   - options: Which segments to merge, and how to write the new ones.
    public init(archive: String, options: Options = Options()) {
        self.archive = archive
        self.options = options
    }

    /// Merges the small segments of each day, and commits the result in one atomic manifest replacement.
    ///
    /// When there is nothing to merge, the archive is left untouched and the summary says so
    /// (``Summary/merged`` is 0); so it is, too, when no archive exists at `archive`. Only one
    /// process writes an archive at a time: when another one is writing, the run waits for it or
    /// throws, as ``WriteOptions/waitForLock`` in ``Options/writer`` says. The replaced segment files
    /// are deleted at the end, so an ``ArchiveReader`` opened before may fail to read them: open a
    /// new one after a compaction.
    ///
    /// - Returns: What the compaction did.
    /// - Throws: ``ArchiveError/busy(_:)`` when another process is writing the archive and
    ///   ``WriteOptions/waitForLock`` is `false`; ``ArchiveError/notAnArchive(_:_:)`` when `archive`
    ///   is a file or a folder that holds something other than an archive; ``/SMSSupport/FormatError``
    ///   when a segment to merge is damaged; ``/SMSSupport/FileError`` when a file cannot be read or
    ///   written. The archive is then left as it was.
    public func run() throws -> Summary {
        var writerOptions = options.writer
        writerOptions.create = false   // compacting needs an archive; it never makes one
        return try ArchiveWriter.transaction(path: archive, options: writerOptions) { try compact($0) }
    }

    private func compact(_ writer: ArchiveWriter) throws -> Summary {
        let manifest = writer.currentManifest
        // What is merged is read back through the manifest; a wrong manifest (an entry saying 0 records,
        // a wrong time span, a segment listed twice) would turn into records lost or duplicated for good.
        // So nothing is done unless the manifest agrees with every segment's footer.
        do {
            try ArchiveReader(path: archive, manifest: manifest).checkManifest()
        } catch let error as FormatError {
            throw CompactError.refused("\(error)")
        }
        var summary = Summary()
        summary.segmentsBefore = manifest.segments.count
        // Small segments with records, grouped by UTC day.
        var groups: [Int64: [Int]] = [:]
        for (i, s) in manifest.segments.enumerated() where s.bytes < options.targetBytes {
            guard let minTime = s.minTime, let maxTime = s.maxTime else { continue }
            if let from = options.from, maxTime < from { continue }
            if let to = options.to, minTime >= to { continue }
            let day = minTime.ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay).0
            guard day == maxTime.ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay).0 else { continue }
            groups[day, default: []].append(i)
        }
        let merging = groups.values.filter { $0.count >= 2 }.flatMap { $0 }
        // Segments holding only rejects are folded in whenever anything is merged, or when there are several.
        let rejectOnly = manifest.segments.indices.filter { manifest.segments[$0].records == 0 }
        let chosen = merging + (!merging.isEmpty || rejectOnly.count >= 2 ? rejectOnly : [])
        guard !chosen.isEmpty else {
            summary.segmentsAfter = summary.segmentsBefore
            writer.abandon()
            return summary
        }
        var subset = Manifest()
        subset.segments = chosen.map { manifest.segments[$0] }
        let reader = ArchiveReader(path: archive, manifest: subset)
        for (index, entry) in subset.segments.enumerated() where !entry.categories.isEmpty {
            let found = try reader.categories(ofSegment: index)
            guard found == Set(entry.categories) else {
                throw CompactError.refused("\(archive)/\(entry.file): the segment's records have categories \(found.sorted()), the manifest says \(entry.categories)")
            }
        }
        try reader.scan { batch, row in
            try writer.add(try batch.record(row: row))
            summary.records += 1
            return true
        }
        var rejects = 0
        try reader.forEachReject { try writer.add($0); rejects += 1 }
        // Everything is read back, or nothing is replaced.
        guard summary.records == subset.recordCount, rejects == subset.rejectCount else {
            throw CompactError.refused("\(archive): read back \(summary.records) records and \(rejects) rejects of the segments to merge, which hold \(subset.recordCount) and \(subset.rejectCount)")
        }
        summary.merged = chosen.count
        summary.bytesBefore = subset.segments.reduce(0) { $0 + $1.bytes }
        let written = try writer.commit(replacing: subset.segments.map(\.file))
        summary.bytesAfter = written.bytes
        summary.segmentsAfter = summary.segmentsBefore - chosen.count + written.segments
        return summary
    }
}

/// Why `compact` did nothing.
public enum CompactError: Error, Sendable, CustomStringConvertible {
    /// The archive does not hold up where compaction would rely on it: the message says where.
    /// Nothing was compacted or deleted.
    case refused(String)

    /// The reason, and that nothing was changed.
    public var description: String {
        switch self {
        case .refused(let why): return "\(why); nothing was compacted or deleted (see smsarchive verify)"
        }
    }
}
