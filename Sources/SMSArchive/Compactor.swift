import SMSRecords
import SMSSupport

/// Merges an archive's small segments, day by day, into large sorted ones with
/// fresh dictionaries and layouts. Records and rejects are carried over
/// unchanged; the old and new segments swap in one manifest replacement, so an
/// interrupted compaction leaves the archive as it was.
public final class Compactor {
    public struct Options: Sendable {
        /// Segments at least this large are left alone.
        public var targetBytes = 64 << 20
        /// Only segments overlapping this span.
        public var from: Timestamp?
        public var to: Timestamp?
        /// Writer options; by default a larger buffer than convert's, so that a whole day fits in one segment.
        public var writer: ArchiveWriter.Options = {
            var options = ArchiveWriter.Options()
            options.segmentMemory = 160 << 20
            return options
        }()
        public init() {}
    }

    public struct Summary: Sendable {
        public var segmentsBefore = 0
        public var segmentsAfter = 0
        public var merged = 0
        public var records = 0
        public var bytesBefore = 0
        public var bytesAfter = 0
    }

    public let archive: String
    public let options: Options

    public init(archive: String, options: Options = Options()) {
        self.archive = archive
        self.options = options
    }

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
        let rejects = try reader.rejects()
        for reject in rejects { try writer.add(reject) }
        // Everything is read back, or nothing is replaced.
        guard summary.records == subset.recordCount, rejects.count == subset.rejectCount else {
            throw CompactError.refused("\(archive): read back \(summary.records) records and \(rejects.count) rejects of the segments to merge, which hold \(subset.recordCount) and \(subset.rejectCount)")
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
    /// The archive does not hold up where compaction would rely on it.
    case refused(String)

    public var description: String {
        switch self {
        case .refused(let why): return "\(why); nothing was compacted or deleted (see smsarchive verify)"
        }
    }
}
