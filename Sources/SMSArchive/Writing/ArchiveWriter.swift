import SMSFormat
import SMSIngest
import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adds records and rejects to an archive (creating it if needed) in one
/// all-or-nothing step: nothing is visible until `commit()` replaces the
/// manifest, and `abandon()` removes what was written.
///
/// Records are partitioned by UTC day, collected (taken apart into columns) up
/// to `Options.segmentRecords` per day or `Options.segmentMemory` in all, sorted
/// by time, and written as segments; memory is bounded by those buffers, not by
/// the input. Only one writer works on an archive at a time (see `ArchiveLock`).
package final class ArchiveWriter {
    package typealias Options = WriteOptions

    /// What a commit added.
    package struct Summary: Sendable, Equatable {
        package var records = 0
        package var rejects = 0
        package var segments = 0
        package var bytes = 0
    }

    package let path: String
    package let options: Options
    private var manifest: Manifest
    private var builders: [Int64: SegmentBuilder] = [:]
    /// Batches added so far, which numbers them for the builders (see `SegmentBuilder.add(_:row:batchNumber:)`).
    private var batchesAdded = 0
    private var lock: ArchiveLock?
    private var rejects: [Reject] = []
    private var rejectBytes = 0
    /// Segments written, known once the background writer is drained (at commit or abandon).
    private var written: [SegmentEntry] = []
    private let background = BackgroundSegmentWriter()
    /// Segments handed to the background writer; each has its own sequence number.
    private var submitted = 0
    private var sourceFileWritten: String?
    private var finished = false

    /// Opens the archive at `path`, creating the folder when it does not exist (and `Options.create` is set).
    ///
    /// Creating is safe against a concurrent creator: `mkdir` succeeds for one and finds the folder for
    /// the other, and both then lock the same `.lock`, which is never removed (nor is the folder), so
    /// every writer of an archive always locks the same file.
    ///
    /// - Throws: when `path` exists but is not an archive (a file, or a non-empty folder without a manifest),
    ///   or, without `Options.create`, when it is not an archive already.
    package init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        let manifestPath = path + "/" + Manifest.fileName
        if !FileIO.exists(path) {
            guard options.create else { throw ArchiveError.notAnArchive(path, "no such file or directory") }
            try FileIO.makeDirectory(path)
        }
        guard FileIO.isDirectory(path) else { throw ArchiveError.notAnArchive(path, "it is a file, not an archive folder") }
        guard options.create || FileIO.exists(manifestPath) else {
            throw ArchiveError.notAnArchive(path, "no \(Manifest.fileName)")
        }
        // Refuse a foreign folder before touching it (the lock file would be the first thing written).
        let looksOwn = try FileIO.exists(manifestPath) || FileIO.listDirectory(path).allSatisfy(Self.isOwnName)
        guard looksOwn else {
            throw ArchiveError.notAnArchive(path, "the folder is not empty and has no \(Manifest.fileName)")
        }
        lock = try ArchiveLock(archive: path, wait: options.waitForLock, waiting: options.onWait)
        // Read, and check again, under the lock: another writer may have committed while we waited.
        if FileIO.exists(manifestPath) {
            manifest = try Manifest.decode(try FileIO.readAll(manifestPath), path: manifestPath)
        } else {
            guard options.create, try FileIO.listDirectory(path).allSatisfy(Self.isOwnName) else {
                lock = nil
                throw ArchiveError.notAnArchive(path, options.create ? "the folder is not empty and has no \(Manifest.fileName)" : "no \(Manifest.fileName)")
            }
            manifest = Manifest()
        }
        // A writer deletes what no manifest names in these folders: never in a folder that is not the archive's.
        for folder in ["segments", "sources"] {
            let full = path + "/" + folder
            guard !FileIO.isSymbolicLink(full) else {
                lock = nil
                throw ArchiveError.notAnArchive(path, "\(folder)/ is a symbolic link; an archive's folders must be its own (nothing was changed)")
            }
            try FileIO.makeDirectory(full)
            guard FileIO.isDirectory(full) else {
                lock = nil
                throw ArchiveError.notAnArchive(path, "\(folder) is not a folder")
            }
        }
        removeLeftovers()
    }

    /// What an archive's own first writer makes before its first commit (a killed first commit may
    /// also leave its temporary manifest), and the manifest that a concurrent creator's commit may
    /// have put there since we looked for it.
    private static func isOwnName(_ name: String) -> Bool {
        name == ".lock" || name == "segments" || name == "sources" || name == Manifest.fileName
            || name.hasPrefix(Manifest.fileName + ".tmp-")
    }

    /// Segment and source-state files that no manifest names, and temporary manifests, are what a
    /// killed run left behind: under the lock, no other writer can be making them. Only files of
    /// those names are removed; anything else in the archive is left alone.
    private func removeLeftovers() {
        let named = Set(manifest.segments.map(\.file) + manifest.sourceFiles)
        for (folder, suffix) in [("segments", ".smsseg"), ("sources", SourceLedger.fileSuffix)] {
            for name in (try? FileIO.listDirectory(path + "/" + folder)) ?? []
            where !named.contains(folder + "/" + name) && (name.hasSuffix(suffix) || name.hasSuffix(suffix + ".tmp") || name.contains(".tmp-")) {
                FileIO.remove(path + "/" + folder + "/" + name)
            }
        }
        for name in (try? FileIO.listDirectory(path)) ?? [] where name.hasPrefix(Manifest.fileName + ".tmp-") {
            FileIO.remove(path + "/" + name)
        }
    }

    /// Opens a writer on `path`, runs `body` (which commits), and abandons what was
    /// written when `body` throws, so the archive is left as it was.
    package static func transaction<T>(path: String, options: Options, _ body: (ArchiveWriter) throws -> T) throws -> T {
        let writer = try ArchiveWriter(path: path, options: options)
        do {
            return try body(writer)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The manifest as of opening (plus what this writer has committed).
    package var currentManifest: Manifest { manifest }

    deinit {
        if !finished { abandon() }
    }

    package func add(_ record: Record) throws {
        try add(RecordShredder.shred(record))
    }

    /// Adds a record already taken apart.
    package func add(_ shredded: ShreddedRecord) throws {
        var batch = ShreddedBatch()
        _ = batch.append(shredded)
        try add(batch)
    }

    /// Adds the records of a batch taken apart on a reading thread (as the converter does), in order.
    package func add(_ batch: ShreddedBatch) throws {
        batchesAdded += 1
        for row in 0..<batch.count {
            let day = batch.ticks[row].quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay).0
            let builder = builders[day] ?? SegmentBuilder()
            builders[day] = builder
            builder.add(batch, row: row, batchNumber: batchesAdded)
            try bound(afterAddingTo: day, builder)
        }
    }

    /// Writes segments once `builder`, which just got a record of `day`, or all builders together, are full.
    private func bound(afterAddingTo day: Int64, _ builder: SegmentBuilder) throws {
        if builder.count >= options.segmentRecords {
            try flush(day)
        } else {
            let total = builders.values.reduce(0) { $0 + $1.estimatedBytes }
            if builders.count > 1 && total >= options.segmentMemory / 2 {
                // Once memory is half used, write a day other than this record's: in time order (see
                // `InputWalker.inTimeOrder`) the oldest, the least likely to get more records. Never this
                // record's own day while another is held: given days out of order (a backfill, `d=02 d=01`),
                // that wrote a segment per record, since the day already read kept memory above half.
                try flush(builders.keys.filter { $0 != day }.min()!)
            } else if total >= options.segmentMemory {
                // Only the day being read: it is cut where its current hour starts, so that hour's records stay together.
                let rest = builder.splitAtLatestHour()
                try flush(day)
                if let rest { builders[day] = rest }
            }
        }
    }

    package func add(_ reject: Reject) throws {
        rejects.append(reject)
        rejectBytes += reject.bytes.count + reject.source.utf8.count + reject.detail.utf8.count + 64
        // A run of nothing but bad lines must not fill memory either.
        // Capped too, so that a segment's reject chunk stays far below the format's `maxChunkBytes`.
        if rejectBytes >= min(options.segmentMemory / 4, SegmentLayout.blockTextBudget) { try flush(nil, withRejects: true) }
    }

    /// Hands the records collected for `day` (with the rejects, if given) to the
    /// background writer, which writes them as a segment file, not yet part of the archive.
    /// `alongside`: at the commit, beside the segments before it (see `BackgroundSegmentWriter`).
    private func flush(_ day: Int64?, withRejects: Bool = false, alongside: Bool = false) throws {
        let builder = day.flatMap { builders.removeValue(forKey: $0) } ?? SegmentBuilder()
        let segmentRejects = withRejects ? rejects : []
        guard builder.count > 0 || !segmentRejects.isEmpty else { return }
        let sequence = manifest.nextSequence + submitted
        let dayName = day.map { Timestamp(ticks: $0 * Timestamp.ticksPerDay).iso8601.prefix(10) + "-" } ?? ""
        let name = "segments/" + dayName + String(format6: sequence) + "-" + randomSuffix() + ".smsseg"
        let finalPath = path + "/" + name
        let segmentOptions = SegmentWriter.Options(blockRows: options.blockRows, compressionLevel: options.compressionLevel)
        try background.submit(alongside: alongside) {
            let temporary = finalPath + ".tmp"
            do {
                let footer = try SegmentWriter.writeColumnar(builder, rejects: segmentRejects, to: temporary, options: segmentOptions)
                try FileIO.rename(temporary, to: finalPath)
                return SegmentEntry(file: name, records: builder.count, rejects: segmentRejects.count,
                                    bytes: FileIO.size(finalPath) ?? 0,
                                    minTime: footer.blocks.map(\.minTime).min(), maxTime: footer.blocks.map(\.maxTime).max(),
                                    categories: builder.categories)
            } catch {
                FileIO.remove(temporary)
                throw error
            }
        }
        submitted += 1
        if withRejects {
            rejects = []
            rejectBytes = 0
        }
    }

    /// Writes what is buffered and makes every new segment (and the source
    /// states, when given) part of the archive by replacing its manifest atomically;
    /// the segments named in `replacing` leave the archive in the same step (compaction).
    @discardableResult
    package func commit(sources: [SourceState] = [], replacing removed: [String] = []) throws -> Summary {
        precondition(!finished, "commit after commit or abandon")
        let days = builders.keys.sorted()
        for (i, day) in days.enumerated() { try flush(day, withRejects: i == days.count - 1, alongside: true) }
        if !rejects.isEmpty { try flush(nil, withRejects: true, alongside: true) }
        written = try background.drain()
        var updated = manifest
        let removedSet = Set(removed)
        updated.segments.removeAll { removedSet.contains($0.file) }
        updated.segments.append(contentsOf: written)
        if !sources.isEmpty {
            let name = "sources/" + String(format6: manifest.nextSequence + written.count) + "-" + randomSuffix() + SourceLedger.fileSuffix
            try FileIO.writeAtomically(SourceLedger.encode(sources), to: path + "/" + name)
            sourceFileWritten = name
            updated.sourceFiles.append(name)
        }
        updated.nextSequence += written.count + 1
        try FileIO.writeAtomically(updated.encoded(), to: path + "/" + Manifest.fileName)
        finished = true
        manifest = updated
        // The old files are no longer named by the manifest; a crash before this line leaves them
        // for the next writer to remove.
        for file in removed { FileIO.remove(path + "/" + file) }
        lock = nil
        var summary = Summary()
        for s in written {
            summary.records += s.records
            summary.rejects += s.rejects
            summary.bytes += s.bytes
        }
        summary.segments = written.count
        return summary
    }

    /// Removes every segment written since opening; the archive stays as it was.
    package func abandon() {
        guard !finished else { return }
        finished = true
        written = background.drainIgnoringErrors()
        for s in written { FileIO.remove(path + "/" + s.file) }
        if let sourceFileWritten { FileIO.remove(path + "/" + sourceFileWritten) }
        written = []
        builders = [:]
        // The lock file and the folders stay, even in an archive this writer created: another
        // process may be waiting on this very lock file, and must not find a new one beside it.
        lock = nil
    }

    private func randomSuffix() -> String {
        String(UInt32.random(in: 0...UInt32.max), radix: 16).leftPadded(to: 8)
    }
}


extension String {
    init(format6 value: Int) { self = String(value).leftPadded(to: 6) }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
