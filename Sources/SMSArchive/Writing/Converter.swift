import SMSIngest
import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts an Azure SMS log export into an archive, incrementally: `smsarchive convert` as a library call.
///
/// The inputs are export folders, walked recursively for blobs named `PT*.json` or `PT*.json.gz`
/// (such as the `PT1H.json` files of a storage export, or the `PT05M.json` files of a Log Analytics
/// workspace export), single blob files whatever their names, or `-` for standard input. A blob is
/// JSON Lines (gzip-compressed or not) or the legacy `{"records": [...]}` form; records may have the
/// storage shape or the flat shape of Log Analytics. Lines that are not records are kept as rejects
/// (see ``/SMSRecords/Reject``).
///
/// Each blob's state is remembered in the archive, so a rerun over the same export adds nothing, a
/// grown append blob is read on from where it stopped (a cut last line is taken once it is
/// complete), and a blob whose earlier part changed is reported instead of being imported twice.
/// A run is all or nothing: until it commits, the archive is left as it was.
///
/// ```swift
/// let converter = try Converter(inputs: ["export/insights-logs-smsoperational"], archive: "sms.smsa")
/// let summary = try converter.run { event in
///     switch event {
///     case .reject(let reject): print(reject.diagnostic)
///     case .changed(let path, let reason): print("\(path) changed, not read: \(reason)")
///     case .progress(let progress): print("\(progress.records) records so far")
///     }
/// }
/// print("\(summary.records) records and \(summary.rejects) rejects in \(summary.segments) new segments")
/// ```
public final class Converter {
    /// What a run did.
    public struct Summary: Sendable {
        /// Records added to the archive.
        public var records = 0
        /// Rejects added to the archive: lines that were not taken as records.
        public var rejects = 0
        /// Blobs read from their start: not seen by an earlier run (standard input always counts here).
        public var blobsNew = 0
        /// Blobs read on from where an earlier run stopped: append blobs that grew.
        public var blobsResumed = 0
        /// Blobs with nothing new: skipped because their size and modification time had not
        /// changed, or read and found to hold no new bytes.
        public var blobsUnchanged = 0
        /// Blobs whose part that was archived by an earlier run has changed since, with the reason:
        /// nothing was taken from them.
        public var changed: [(path: String, reason: String)] = []
        /// Blobs not read because another input of the run, a different file, has the same blob key
        /// (two copies of an export given at once): each with the path of the one that was read.
        public var sameKey: [(path: String, other: String)] = []
        /// Decompressed bytes read from the blobs in this run, not counting the part of a resumed
        /// blob that an earlier run read.
        public var bytesRead = 0
        /// Segment files the run added to the archive.
        public var segments = 0
        /// Bytes of the segment files the run added.
        public var archiveBytes = 0
    }

    /// How far a run has got. Folders are walked as reading goes on, so the totals are not known ahead.
    public struct Progress: Sendable {
        /// Blobs done (read, or skipped as unchanged).
        public var blobsDone = 0
        /// Bytes of the blobs done, as stored (compressed or not).
        public var bytesDone = 0
        /// Records read so far.
        public var records = 0
        /// Rejects met so far.
        public var rejects = 0
        /// Seconds since the run started.
        public var seconds = 0.0
    }

    /// What a run reports while it goes on, to the closure given to ``Converter/run(_:)``.
    public enum Event: Sendable {
        /// A line was not taken as a record; it is kept in the archive as this reject.
        case reject(Reject)
        /// A blob's part that an earlier run archived has changed since: nothing was taken from
        /// it. Carries the blob's path and the reason.
        case changed(path: String, reason: String)
        /// A blob was not read: `other`, an input of this run read before it, is a different file
        /// with the same blob key, and an archive keeps one blob per key. A separate run reads it
        /// (as a grown or changed copy of `other`).
        case sameKey(path: String, other: String)
        /// How far the run has got: reported about four times a second, and once when all the
        /// inputs have been read.
        case progress(Progress)
    }

    /// The inputs to read: export folders, blob files, or `-` for standard input.
    public let inputs: [String]
    /// The archive folder to add to; ``run(_:)`` creates it when it does not exist.
    public let archive: String
    /// How the run writes segments and waits for other writers.
    public let options: WriteOptions
    /// The longest input line read, in bytes (16 MiB unless set, at most 200 MiB: a larger value
    /// counts as 200 MiB); a longer line is not held in memory but kept as a `too-long` reject:
    /// its first 4 KiB, its length and its XXH64.
    public var maxLineBytes = ExportReader.defaultMaxLineBytes

    /// Prepares a conversion of `inputs` into the archive at `archive`; nothing is read or written yet.
    ///
    /// Only checks that each input exists; folders are walked, and the archive opened, by ``run(_:)``.
    /// An input blob given twice (or inside two of the folders given) is read once.
    ///
    /// - Parameters:
    ///   - inputs: Export folders (walked recursively for `PT*.json` and `PT*.json.gz` blobs), blob
    ///     files (read whatever their names), or `-` for standard input.
    ///   - archive: The archive folder; it may not exist yet.
    ///   - options: How to write segments; the defaults suit most uses.
    /// - Throws: ``/SMSIngest/IngestError/unreadable(path:reason:)`` for an input that does not exist;
    ///   ``InputInsideArchive`` for one that is the archive folder or inside it.
    public init(inputs: [String], archive: String, options: WriteOptions = .init()) throws {
        for input in inputs where input != "-" {
            var info = stat()
            guard stat(input, &info) == 0 else { throw IngestError.unreadable(path: input, reason: String(cString: strerror(errno))) }
        }
        if let input = Self.inputInsideArchive(inputs, archive: archive) { throw InputInsideArchive(input: input, archive: archive) }
        self.inputs = inputs
        self.archive = archive
        self.options = options
    }

    /// The first of `inputs` that is the folder `archive` or inside it (its segments and
    /// sources are not an export: read as one, each would be a reject, kept for good), or nil.
    /// Paths are compared after resolving symbolic links, `.` and `..`.
    package static func inputInsideArchive(_ inputs: [String], archive: String) -> String? {
        guard let root = FileIO.realPath(archive) else { return nil }   // no archive yet: nothing is inside it
        return inputs.first { input in
            guard input != "-", let path = FileIO.realPath(input) else { return false }
            return FileIO.isWithin(path, resolvedFolder: root)
        }
    }

    /// Reads the inputs and adds their new records and rejects to the archive in one atomic commit.
    ///
    /// The archive folder is created when it does not exist. Records are collected and written as
    /// segments, one or more per UTC day, while the inputs are read; they become part of the archive
    /// only when the run commits, by replacing the manifest. On any error the segments written so far
    /// are removed, the archive is left as it was, and the error is rethrown.
    ///
    /// Only one process writes an archive at a time: when another one is writing, the run waits for
    /// it or throws ``ArchiveError/busy(_:)``, as ``WriteOptions/waitForLock`` says.
    ///
    /// - Parameter report: Called on the calling thread with each reject, each changed blob and
    ///   regular progress; by default, nothing is reported.
    /// - Returns: What the run did.
    /// - Throws: ``ArchiveError/notAnArchive(_:_:)`` when `archive` is a file or a folder that holds
    ///   something other than an archive; ``ArchiveError/busy(_:)`` when another process is writing it
    ///   and ``WriteOptions/waitForLock`` is `false`; ``/SMSIngest/IngestError`` when an input cannot
    ///   be read; ``/SMSSupport/FormatError`` when the archive's manifest or source states are damaged;
    ///   ``/SMSSupport/FileError`` when a file cannot be read or written.
    public func run(_ report: (Event) -> Void = { _ in }) throws -> Summary {
        try ArchiveWriter.transaction(path: archive, options: options) { try convert(into: $0, report) }
    }

    /// What the reading threads hand the collecting thread.
    private enum Parsed {
        /// Records taken apart on a reading thread (only bytes cross between threads).
        case records(ShreddedBatch)
        case reject(Reject)
        /// A blob is done: skipped as unchanged (no outcome) or read; `size` is its size as
        /// the reading thread found it (0 for standard input), for the progress line.
        case blobDone(path: String, size: Int, previous: SourceState?, outcome: ExportReader.BlobOutcome?)
        /// A blob not read: another of this run, a different file, has its key.
        case sameKey(path: String, other: String)
        case failed(any Error)
    }

    /// Two stages: reading threads (one per core) read, decompress, parse and take records
    /// apart, blob by blob; this one collects them into segments, in the order of the walk,
    /// and hands segments to the background writer. A bounded queue between them keeps
    /// memory flat.
    private func convert(into writer: ArchiveWriter, _ report: (Event) -> Void) throws -> Summary {
        let known = try SourceLedger.load(archive: archive, manifest: writer.currentManifest)
        // Beyond a few readers, the collecting thread is the limit.
        let readerCount = max(1, min(4, processorCount))
        // Blobs differ in size (an export's busy hours), so a reader may run a few blobs ahead of the
        // one being collected: held to one, it waited for the other reader's larger blob, and a
        // quarter of the cores sat idle while the first segment was collected.
        // Held to 64 MiB ahead all the same: lines near the length limit make batches of megabytes.
        let queue = OrderedBatchQueue<[Parsed]>(capacity: 4, ahead: 4 * readerCount, budget: 64 << 20) { batch in
            batch.reduce(0) { total, item in
                switch item {
                case .records(let records): return total + records.byteCount
                case .reject(let reject): return total + reject.bytes.count
                default: return total
                }
            }
        }
        let walk = SharedWalk(inputs: inputs)
        let readers = (0..<readerCount).map { _ in
            ProducerThread { [maxLineBytes] in Self.read(walk, known: known, maxLineBytes: min(maxLineBytes, BlobParser.maxMaxLineBytes), into: queue) }
        }
        defer {
            queue.cancel()
            for reader in readers { reader.join() }
        }

        var summary = Summary()
        var progress = Progress()
        let start = monotonicSeconds()
        var lastReport = start
        var states: [SourceState] = []
        while let batch = queue.pop() {
            for item in batch {
                switch item {
                case .records(let records):
                    try writer.add(records)
                    summary.records += records.count
                    progress.records += records.count
                case .reject(let reject):
                    try writer.add(reject)
                    summary.rejects += 1
                    progress.rejects += 1
                    report(.reject(reject))
                case .blobDone(let path, let size, let previous, let outcome):
                    progress.blobsDone += 1
                    progress.bytesDone += size
                    switch outcome {
                    case nil:
                        summary.blobsUnchanged += 1
                    case .read(let state, let bytes)?:
                        summary.bytesRead += bytes
                        if previous == nil { summary.blobsNew += 1 } else if bytes > 0 { summary.blobsResumed += 1 } else { summary.blobsUnchanged += 1 }
                        if path != "-" && state != previous { states.append(state) }
                    case .changed(let reason)?:
                        summary.changed.append((path, reason))
                        report(.changed(path: path, reason: reason))
                    }
                case .sameKey(let path, let other):
                    progress.blobsDone += 1
                    summary.sameKey.append((path, other))
                    report(.sameKey(path: path, other: other))
                case .failed(let error):
                    throw error
                }
            }
            let now = monotonicSeconds()
            if now - lastReport >= 0.25 {
                lastReport = now
                progress.seconds = now - start
                report(.progress(progress))
            }
        }
        progress.seconds = monotonicSeconds() - start
        report(.progress(progress))
        let written = try writer.commit(sources: states)
        summary.segments = written.segments
        summary.archiveBytes = written.bytes
        return summary
    }

    /// A blob the walk hands out, and the earlier blob of this run with the same key if it is another file.
    private typealias WalkedBlob = (path: String, sameKeyAs: String?)

    /// The walk of the inputs, shared by the reading threads (used under the queue's lock).
    private final class SharedWalk {
        let walker: InputWalker
        /// The blobs met so far by key, with the file each is (device and inode): the same file named
        /// twice (overlapping inputs) is read once; one input cannot overlap itself.
        var seen: [String: (path: String, file: FileIdentity?)]?
        var failed = false

        init(inputs: [String]) {
            walker = InputWalker(inputs: inputs)
            seen = inputs.count > 1 ? [:] : nil
        }

        /// The next blob to read, an error of the walk (once), or nil at the end.
        func next() -> Result<WalkedBlob, any Error>? {
            guard !failed else { return nil }
            do {
                while let blob = try walker.next() {
                    guard blob != "-", seen != nil else { return .success((blob, nil)) }
                    let key = SourceState.key(for: blob), file = FileIdentity(path: blob)
                    if let first = seen![key] {
                        if file != nil && file == first.file { continue }
                        // Another file with the key of one read in this run (two copies of an export, say): the
                        // archive keeps one state per key, so it cannot be read alongside; it is reported.
                        return .success((blob, first.path))
                    }
                    seen![key] = (blob, file)
                    return .success((blob, nil))
                }
                return nil
            } catch {
                failed = true
                return .failure(error)
            }
        }
    }

    /// A file's device and inode: two paths to one file (overlapping inputs, links) are the same blob.
    private struct FileIdentity: Equatable {
        let device: UInt64
        let inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// A reading thread: claims blobs in the walk's order and sends each one's parsed items in batches.
    private static func read(_ walk: SharedWalk, known: [String: SourceState], maxLineBytes: Int, into queue: OrderedBatchQueue<[Parsed]>) {
        var reader = ExportReader(blobs: [])
        reader.maxLineBytes = maxLineBytes
        while let (ticket, claimed) = queue.claim({ walk.next() }) {
            defer { queue.finish(ticket: ticket) }
            var batch: [Parsed] = []
            // Records gather here, and go to `batch` before anything else does, keeping the order.
            // In a box: appended to in place, never copied (a captured struct was, once per record).
            let records = RecordsBox()
            func closeRecords() {
                guard records.batch.count > 0 else { return }
                batch.append(.records(records.batch))
                records.batch = ShreddedBatch()
            }
            func send() -> Bool {
                closeRecords()
                defer { batch = [] }
                return queue.push(batch, ticket: ticket)
            }
            func add(_ item: Parsed) throws {
                closeRecords()
                batch.append(item)
                if batch.count >= 1024, !send() { throw CancellationError() }
            }
            func add(_ record: ShreddedRecord) throws {
                if records.batch.append(record), !send() { throw CancellationError() }
            }
            do {
                let (blob, sameKeyAs) = try claimed.get()
                if let sameKeyAs {
                    try add(.sameKey(path: blob, other: sameKeyAs))
                    if !send() { return }
                    continue
                }
                let key = blob == "-" ? nil : SourceState.key(for: blob)
                let previous = key.flatMap { known[$0] }
                let now = previous == nil ? nil : FileIO.sizeAndModified(blob)
                // A gzip blob's file size says little of what it inflates to (a rewrite can keep it and add
                // lines): a touched one is read on like a grown one, which checks its start first; unless
                // it ended in a cut line, which reading on would reject again, as if it had grown.
                if let previous, let now, now.size == previous.size,
                   now.modified == previous.modified || previous.pendingLine != nil || !ExportReader.isGzip(blob) {
                    // The same size: nothing new to read (a cut last line is not read, nor rejected, again).
                    // Touched since (a new time), it is checked not to have been rewritten, and its new
                    // time kept so that the next run need not check again.
                    if now.modified == previous.modified {
                        try add(.blobDone(path: blob, size: now.size, previous: previous, outcome: nil))
                    } else if let reason = try reader.prefixChange(blob, since: previous) {
                        try add(.blobDone(path: blob, size: now.size, previous: previous, outcome: .changed(reason)))
                    } else {
                        var touched = previous
                        touched.modified = now.modified
                        try add(.blobDone(path: blob, size: now.size, previous: previous, outcome: .read(touched, bytes: 0)))
                    }
                } else {
                    // Most lines are taken apart straight from their bytes; the rest come as parsed records.
                    let outcome = try reader.readBlob(blob, resume: previous, shredded: { try add($0) }) { event in
                        switch event {
                        case .record(let record): try add(RecordShredder.shred(record))
                        case .reject(let reject): try add(.reject(reject))
                        default: break
                        }
                    }
                    var size = now?.size ?? 0
                    if case .read(let state, _) = outcome, blob != "-" { size = state.size }
                    try add(.blobDone(path: blob, size: size, previous: previous, outcome: outcome))
                }
            } catch is CancellationError {
                return
            } catch {
                closeRecords()
                batch.append(.failed(error))
            }
            if !batch.isEmpty || records.batch.count > 0, !send() { return }
        }
    }

    /// A reading thread's batch of records being filled.
    private final class RecordsBox {
        var batch = ShreddedBatch()
    }
}

/// An input of a conversion is the output archive or inside it: an archive's own files are not
/// an export (read as one, each would be a reject, kept for good), so nothing is converted.
public struct InputInsideArchive: Error, Sendable, CustomStringConvertible {
    /// The input as given.
    public var input: String
    /// The archive folder as given.
    public var archive: String

    package init(input: String, archive: String) {
        self.input = input
        self.archive = archive
    }

    /// The input, the archive, and that nothing was converted.
    public var description: String {
        "\(input): is inside the output archive \(archive); an archive's own files are not an export (nothing was converted)"
    }
}

/// The consumer stopped: the producer gives up quietly.
private struct CancellationError: Error {}

/// A thread running one closure, which `join` waits for.
package final class ProducerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void

    package init(_ body: @escaping () -> Void) {
        self.body = body
        let box = Unmanaged.passRetained(self)
        let status = pthread_create(&thread, nil, { context in
            let me = Unmanaged<ProducerThread>.fromOpaque(context!).takeRetainedValue()
            me.body()
            return nil
        }, box.toOpaque())
        precondition(status == 0, "pthread_create failed")
    }

    package func join() {
        pthread_join(thread, nil)
    }
}

/// Seconds on a monotonic clock.
package func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
