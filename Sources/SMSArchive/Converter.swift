import SMSIngest
import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `convert` as a library call: reads an export into an archive incrementally.
///
/// Each blob's state is remembered in the archive (see `SourceState`), so a
/// rerun over the same export adds nothing, a grown append blob is read on from
/// where it stopped (a cut last line is taken once it is complete), and a blob
/// whose earlier part changed is reported instead of being imported twice.
public final class Converter {
    /// What a run did.
    public struct Summary: Sendable {
        public var records = 0
        public var rejects = 0
        /// Blobs read from their start, read on from where an earlier run stopped, and skipped as unchanged.
        public var blobsNew = 0
        public var blobsResumed = 0
        public var blobsUnchanged = 0
        /// Blobs whose content changed since they were archived: (path, why).
        public var changed: [(path: String, reason: String)] = []
        public var bytesRead = 0
        public var segments = 0
        public var archiveBytes = 0
    }

    /// How far a run has got. Folders are walked as reading goes on, so the totals are not known ahead.
    public struct Progress: Sendable {
        /// Blobs done (read, or skipped as unchanged).
        public var blobsDone = 0
        /// Bytes of the blobs done, as stored (compressed or not).
        public var bytesDone = 0
        public var records = 0
        public var rejects = 0
        public var seconds = 0.0
    }

    public enum Event {
        case reject(Reject)
        case changed(path: String, reason: String)
        case progress(Progress)
    }

    public let inputs: [String]
    public let archive: String
    public let options: ArchiveWriter.Options

    /// Checks that each of `inputs` (files, folders, `-`) exists and is not inside the
    /// archive; folders are walked during `run`.
    ///
    /// - Throws: `IngestError.unreadable` for an input that does not exist,
    ///   `InputInsideArchive` for one that is the archive or inside it.
    public init(inputs: [String], archive: String, options: ArchiveWriter.Options = .init()) throws {
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
    public static func inputInsideArchive(_ inputs: [String], archive: String) -> String? {
        guard let root = realPath(archive) else { return nil }   // no archive yet: nothing is inside it
        return inputs.first { input in
            guard input != "-", let path = realPath(input) else { return false }
            return path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Converts; on any error the archive is left as it was and the error is rethrown.
    public func run(_ report: (Event) -> Void = { _ in }) throws -> Summary {
        try ArchiveWriter.transaction(path: archive, options: options) { try convert(into: $0, report) }
    }

    /// What the reading threads hand the collecting thread.
    private enum Parsed {
        /// A record taken apart on a reading thread (only bytes cross between threads).
        case record(ShreddedRecord)
        case reject(Reject)
        /// A blob is done: skipped as unchanged (no outcome) or read; `size` is its size as
        /// the reading thread found it (0 for standard input), for the progress line.
        case blobDone(path: String, size: Int, previous: SourceState?, outcome: ExportReader.BlobOutcome?)
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
        let queue = OrderedBatchQueue<[Parsed]>(capacity: 4, ahead: readerCount)
        let walk = SharedWalk(inputs: inputs)
        let readers = (0..<readerCount).map { _ in
            ProducerThread { Self.read(walk, known: known, into: queue) }
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
                case .record(let shredded):
                    try writer.add(shredded)
                    summary.records += 1
                    progress.records += 1
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

    /// The walk of the inputs, shared by the reading threads (used under the queue's lock).
    private final class SharedWalk {
        let walker: InputWalker
        /// A blob named twice (overlapping inputs) is read once; one input cannot overlap itself.
        var seen: Set<String>?
        var failed = false

        init(inputs: [String]) {
            walker = InputWalker(inputs: inputs)
            seen = inputs.count > 1 ? [] : nil
        }

        /// The next blob to read, an error of the walk (once), or nil at the end.
        func next() -> Result<String, any Error>? {
            guard !failed else { return nil }
            do {
                while let blob = try walker.next() {
                    if blob != "-", seen != nil, !seen!.insert(SourceState.key(for: blob)).inserted { continue }
                    return .success(blob)
                }
                return nil
            } catch {
                failed = true
                return .failure(error)
            }
        }
    }

    /// A reading thread: claims blobs in the walk's order and sends each one's parsed items in batches.
    private static func read(_ walk: SharedWalk, known: [String: SourceState], into queue: OrderedBatchQueue<[Parsed]>) {
        let reader = ExportReader(blobs: [])
        while let (ticket, claimed) = queue.claim({ walk.next() }) {
            defer { queue.finish(ticket: ticket) }
            var batch: [Parsed] = []
            batch.reserveCapacity(1024)
            func send() -> Bool {
                defer { batch = []; batch.reserveCapacity(1024) }
                return queue.push(batch, ticket: ticket)
            }
            func add(_ item: Parsed) throws {
                batch.append(item)
                if batch.count >= 1024, !send() { throw CancellationError() }
            }
            do {
                let blob = try claimed.get()
                let key = blob == "-" ? nil : SourceState.key(for: blob)
                let previous = key.flatMap { known[$0] }
                let now = previous == nil ? nil : FileIO.sizeAndModified(blob)
                if let previous, let now, now.size == previous.size {
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
                    let outcome = try reader.readBlob(blob, resume: previous, shredded: { try add(.record($0)) }) { event in
                        switch event {
                        case .record(let record): try add(.record(RecordShredder.shred(record)))
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
                batch.append(.failed(error))
            }
            if !batch.isEmpty, !send() { return }
        }
    }
}

/// An input of `convert` is the output archive or inside it.
public struct InputInsideArchive: Error, Sendable, CustomStringConvertible {
    public var input: String
    public var archive: String

    public init(input: String, archive: String) {
        self.input = input
        self.archive = archive
    }

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
