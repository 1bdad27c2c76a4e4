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

    /// How far a run has got.
    public struct Progress: Sendable {
        public var blobsDone = 0
        public var blobs = 0
        public var bytesDone = 0
        public var bytesTotal = 0
        public var records = 0
        public var rejects = 0
        public var seconds = 0.0
    }

    public enum Event {
        case reject(Reject)
        case changed(path: String, reason: String)
        case progress(Progress)
    }

    public let blobs: [String]
    public let archive: String
    public let options: ArchiveWriter.Options

    /// Resolves `inputs` (files, folders, `-`) to blobs.
    public init(inputs: [String], archive: String, options: ArchiveWriter.Options = .init()) throws {
        // A blob named twice (overlapping folders) is read once.
        var seen = Set<String>()
        blobs = try ExportReader(inputs: inputs).blobs.filter { $0 == "-" || seen.insert(SourceState.key(for: $0)).inserted }
        self.archive = archive
        self.options = options
    }

    /// Converts; on any error the archive is left as it was and the error is rethrown.
    public func run(_ report: (Event) -> Void = { _ in }) throws -> Summary {
        let writer = try ArchiveWriter(path: archive, options: options)
        do {
            let summary = try convert(into: writer, report)
            return summary
        } catch {
            writer.abandon()
            throw error
        }
    }

    private func convert(into writer: ArchiveWriter, _ report: (Event) -> Void) throws -> Summary {
        let known = try SourceLedger.load(archive: archive, manifest: writer.currentManifest)
        let reader = ExportReader(blobs: blobs)
        var summary = Summary()
        var progress = Progress()
        progress.blobs = blobs.count
        progress.bytesTotal = blobs.reduce(0) { $0 + (FileIO.sizeAndModified($1)?.size ?? 0) }
        let start = monotonicSeconds()
        var lastReport = start
        var states: [SourceState] = []

        for blob in blobs {
            defer {
                progress.blobsDone += 1
                progress.bytesDone += FileIO.sizeAndModified(blob)?.size ?? 0
            }
            let previous = blob == "-" ? nil : known[SourceState.key(for: blob)]
            if let previous, let now = FileIO.sizeAndModified(blob), now.size == previous.size, now.modified == previous.modified {
                summary.blobsUnchanged += 1
                continue
            }
            let outcome = try reader.readBlob(blob, resume: previous) { event in
                switch event {
                case .record(let record):
                    try writer.add(record)
                    summary.records += 1
                    progress.records += 1
                case .reject(let reject):
                    try writer.add(reject)
                    summary.rejects += 1
                    progress.rejects += 1
                    report(.reject(reject))
                default:
                    break
                }
                if progress.records & 4095 == 0 {
                    let now = monotonicSeconds()
                    if now - lastReport >= 0.25 {
                        lastReport = now
                        progress.seconds = now - start
                        report(.progress(progress))
                    }
                }
            }
            switch outcome {
            case .read(let state, let bytes):
                summary.bytesRead += bytes
                if previous == nil { summary.blobsNew += 1 } else if bytes > 0 { summary.blobsResumed += 1 } else { summary.blobsUnchanged += 1 }
                if blob != "-" && state != previous { states.append(state) }
            case .changed(let reason):
                summary.changed.append((blob, reason))
                report(.changed(path: blob, reason: reason))
            }
        }
        progress.seconds = monotonicSeconds() - start
        report(.progress(progress))
        let written = try writer.commit(sources: states)
        summary.segments = written.segments
        summary.archiveBytes = written.bytes
        return summary
    }
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
