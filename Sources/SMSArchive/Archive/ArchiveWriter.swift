#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adds records and rejects to an archive (creating it if needed) in one
/// all-or-nothing step: nothing is visible until `commit()` replaces the
/// manifest, and `abandon()` removes what was written.
///
/// Records are collected (taken apart into columns) up to `Options.segmentRecords`
/// or `Options.segmentMemory`, sorted by time, and written as a segment; memory is
/// bounded by that buffer, not by the input.
public final class ArchiveWriter {
    public struct Options: Sendable {
        /// Records collected (and sorted) per segment file, at most.
        public var segmentRecords = 1_000_000
        /// Bytes of memory a segment being collected may hold before it is written.
        public var segmentMemory = 96 << 20
        /// Rows per block within a segment.
        public var blockRows = SegmentLayout.defaultBlockRows
        /// zstd level.
        public var compressionLevel = Zstd.defaultLevel
        public init() {}
    }

    /// What a commit added.
    public struct Summary: Sendable, Equatable {
        public var records = 0
        public var rejects = 0
        public var segments = 0
        public var bytes = 0
    }

    public let path: String
    public let options: Options
    private var manifest: Manifest
    private var createdArchive = false
    private var builder = SegmentBuilder()
    private var rejects: [Reject] = []
    private var written: [SegmentEntry] = []
    private var finished = false

    /// Opens the archive at `path`, creating the folder when it does not exist.
    ///
    /// - Throws: when `path` exists but is not an archive (a file, or a non-empty folder without a manifest).
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        let manifestPath = path + "/" + Manifest.fileName
        if FileIO.exists(manifestPath) {
            manifest = try Manifest.decode(try FileIO.readAll(manifestPath), path: manifestPath)
        } else if FileIO.exists(path) {
            guard FileIO.isDirectory(path) else { throw ArchiveError.notAnArchive(path, "it is a file, not an archive folder") }
            guard try FileIO.listDirectory(path).filter({ !$0.hasPrefix(".") }).isEmpty else {
                throw ArchiveError.notAnArchive(path, "the folder is not empty and has no \(Manifest.fileName)")
            }
            manifest = Manifest()
        } else {
            try FileIO.makeDirectory(path)
            createdArchive = true
            manifest = Manifest()
        }
        try FileIO.makeDirectory(path + "/segments")
    }

    deinit {
        if !finished { abandon() }
    }

    public func add(_ record: Record) throws {
        builder.add(record)
        if builder.count >= options.segmentRecords || builder.estimatedBytes >= options.segmentMemory { try flush() }
    }

    public func add(_ reject: Reject) throws {
        rejects.append(reject)
        if rejects.count >= options.segmentRecords { try flush() }
    }

    /// Writes buffered records and rejects as a segment file (not yet part of the archive).
    private func flush() throws {
        guard builder.count > 0 || !rejects.isEmpty else { return }
        let sequence = manifest.nextSequence + written.count
        let name = "segments/" + String(format6: sequence) + "-" + randomSuffix() + ".smsseg"
        let finalPath = path + "/" + name
        let temporary = finalPath + ".tmp"
        do {
            let footer = try SegmentWriter.writeColumnar(builder, rejects: rejects, to: temporary,
                                                         options: .init(blockRows: options.blockRows, compressionLevel: options.compressionLevel))
            try FileIO.rename(temporary, to: finalPath)
            written.append(SegmentEntry(file: name, records: builder.count, rejects: rejects.count,
                                        bytes: FileIO.size(finalPath) ?? 0,
                                        minTime: footer.blocks.map(\.minTime).min(), maxTime: footer.blocks.map(\.maxTime).max()))
        } catch {
            FileIO.remove(temporary)
            throw error
        }
        builder = SegmentBuilder()
        rejects = []
    }

    /// Writes what is buffered and makes every new segment part of the archive
    /// by replacing its manifest atomically.
    @discardableResult
    public func commit() throws -> Summary {
        precondition(!finished, "commit after commit or abandon")
        try flush()
        var updated = manifest
        updated.segments.append(contentsOf: written)
        updated.nextSequence += written.count
        try FileIO.writeAtomically(updated.encoded(), to: path + "/" + Manifest.fileName)
        finished = true
        manifest = updated
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
    public func abandon() {
        guard !finished else { return }
        finished = true
        for s in written { FileIO.remove(path + "/" + s.file) }
        written = []
        if createdArchive {
            rmdir(path + "/segments")
            rmdir(path)
        }
    }

    private func randomSuffix() -> String {
        String(UInt32.random(in: 0...UInt32.max), radix: 16).leftPadded(to: 8)
    }
}

/// Errors about an archive as a whole.
public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    case notAnArchive(String, String)

    public var description: String {
        switch self {
        case .notAnArchive(let path, let why): return "\(path): not an smsarchive archive: \(why)"
        }
    }
}

extension String {
    init(format6 value: Int) { self = String(value).leftPadded(to: 6) }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
