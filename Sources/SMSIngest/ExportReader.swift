import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an export (any mix of blob files, folders of the export tree, and
/// standard input, plain or gzip) and yields its records and rejects.
///
/// Everything streams: memory holds one chunk and one line at a time
/// (a pretty-printed legacy blob is the exception: it is held whole), and a line
/// (or such a blob) longer than `maxLineBytes` is not held but rejected as `too-long`.
package struct ExportReader {
    /// The blobs to read, in order.
    package let blobs: [String]
    package var maxDepth = JSONParser.defaultMaxDepth
    /// The longest line read (see `BlobParser.maxLineBytes`).
    package var maxLineBytes = ExportReader.defaultMaxLineBytes
    /// 16 MiB.
    package static let defaultMaxLineBytes = BlobParser.defaultMaxLineBytes

    /// Resolves `inputs` (files, folders, `-`) to blobs.
    package init(inputs: [String]) throws(IngestError) {
        blobs = try InputWalker.blobs(in: inputs)
    }

    package init(blobs: [String]) {
        self.blobs = blobs
    }

    /// Reads every blob from its start, calling `handle` for each event.
    ///
    /// A damaged gzip stream does not stop the run: what came before the damage
    /// is kept and a `corrupt-input` reject names the file. An unreadable file does.
    package func read(_ handle: (IngestEvent) throws -> Void) throws {
        for blob in blobs {
            _ = try readBlob(blob, resume: nil, handle)
        }
    }

    /// What reading a blob found.
    package enum BlobOutcome: Sendable {
        /// Read; the state to remember (with the bytes read this time).
        case read(SourceState, bytes: Int)
        /// Its first `consumed` bytes are not what was read before: nothing was taken from it.
        case changed(String)
    }

    /// Reads one blob (a path, or `-` for standard input). With `resume`, the
    /// first `resume.consumed` decompressed bytes are checked against the
    /// recorded hash and skipped, and reading goes on from there.
    package func readBlob(_ blob: String, resume: SourceState?, _ handle: (IngestEvent) throws -> Void) throws -> BlobOutcome {
        try readBlob(blob, resume: resume, shredded: nil, handle)
    }

    /// Whether `blob` starts with gzip's magic bytes (false when it cannot be read).
    package static func isGzip(_ blob: String) -> Bool {
        // Two bytes, not a first chunk of up to a megabyte.
        guard let (fd, _) = try? FileIO.openRegular(blob, flags: O_RDONLY, operation: "open") else { return false }
        defer { close(fd) }
        var magic: [UInt8] = [0, 0]
        return pread(fd, &magic, 2, 0) == 2 && magic == GzipDecoder.magic
    }

    /// Whether the first `state.consumed` decompressed bytes of `blob` still hash to
    /// `state.hash`: nil when they do, else why not. For a blob whose size is that of
    /// `state` but whose time is not (touched, or copied): it has nothing new to read,
    /// but it may have been rewritten.
    package func prefixChange(_ blob: String, since state: SourceState) throws -> String? {
        let file = try FileByteSource(path: blob)
        let first = try file.nextChunk() ?? []
        var source: any ByteSource = PrefixedByteSource(prefix: first, base: file)
        if first.starts(with: GzipDecoder.magic) {
            source = GzipDecoder(base: source, path: blob)
        }
        let hasher = StreamingXXH64()
        var toHash = state.consumed
        var damage: String?
        while toHash > 0 {
            let chunk: [UInt8]
            do {
                guard let next = try source.nextChunk() else { break }
                chunk = next
            } catch {
                guard case .corrupt(_, let reason) = error else { throw error }
                damage = reason
                break
            }
            let taken = min(toHash, chunk.count)
            hasher.update(chunk[..<taken])
            toHash -= taken
        }
        if let damage { return "it can no longer be read: \(damage)" }
        if toHash > 0 { return "it is shorter than the \(state.consumed) bytes archived before" }
        if hasher.digest != state.hash { return "its first \(state.consumed) bytes differ from what was archived" }
        return nil
    }

    /// `readBlob(_:resume:_:)`; with `shredded`, records that `LineShredder` can take apart go
    /// there instead of to `handle` (in their place in the order of events).
    package func readBlob(_ blob: String, resume: SourceState?, shredded: ((ShreddedRecord) throws -> Void)?,
                  _ handle: (IngestEvent) throws -> Void) throws -> BlobOutcome {
        try withoutActuallyEscaping(handle) { try read(blob, resume: resume, shredded: shredded, $0) }
    }

    private func read(_ blob: String, resume: SourceState?, shredded: ((ShreddedRecord) throws -> Void)?,
                      _ outer: @escaping (IngestEvent) throws -> Void) throws -> BlobOutcome {
        let file = try FileByteSource(path: blob)
        let first = try file.nextChunk() ?? []
        var source: any ByteSource = PrefixedByteSource(prefix: first, base: file)
        var gzip: GzipDecoder?
        if first.starts(with: GzipDecoder.magic) {
            gzip = GzipDecoder(base: source, path: blob)
            source = gzip!
        }
        var hasher = StreamingXXH64()
        var toSkip = resume?.consumed ?? 0
        var parser = BlobParser(source: blob, path: BlobPath(parsing: blob), maxDepth: maxDepth,
                                startLine: (resume?.lines ?? 0) + 1, startOffset: toSkip)
        parser.maxLineBytes = maxLineBytes
        parser.shreddedSink = shredded
        // `hasher` has hashed the bytes taken for good (up to `parser.consumedBytes`). Bytes fed to the
        // parser but not yet known to be taken (the current partial line) are kept in `unhashed` while
        // few; past 1 MiB (a long line), `ahead` hashes everything fed instead, so memory stays bounded.
        var unhashed: [UInt8] = []
        var ahead: StreamingXXH64?
        // Whether the line left pending last time (cut short) is rejected again now it is read whole
        // (too long, say): then its earlier reject is not superseded by a record, and stays listed.
        var pendingRejectedAgain = false
        let handle: (IngestEvent) throws -> Void = { event in
            if case .reject(let reject) = event, reject.line == resume?.pendingLine { pendingRejectedAgain = true }
            try outer(event)
        }
        var damage: String?
        var started = false
        do {
            while var chunk = try source.nextChunk() {
                // Bytes of a gzip member that failed its check: their lines are kept as rejects.
                if let damage = gzip?.suspectDamage { parser.suspect = damage }
                if toSkip > 0 {
                    let skipped = min(toSkip, chunk.count)
                    hasher.update(chunk[..<skipped])
                    toSkip -= skipped
                    chunk.removeFirst(skipped)
                    if toSkip == 0, let resume, hasher.digest != resume.hash {
                        return .changed("its first \(resume.consumed) bytes differ from what was archived")
                    }
                    if chunk.isEmpty { continue }
                }
                if !started {
                    started = true
                    try handle(.blobStarted(source: blob))
                }
                let before = parser.consumedBytes
                let chunkStart = parser.bytesRead
                try parser.consume(chunk, emit: handle)
                let taken = parser.consumedBytes - before
                if let running = ahead {
                    // Lines end only within this chunk: the bytes `ahead` hashed held no line end.
                    if taken > 0 {
                        let inChunk = parser.consumedBytes - chunkStart
                        running.update(chunk[..<inChunk])
                        hasher = running
                        ahead = nil
                        unhashed = Array(chunk[inChunk...])
                    } else {
                        running.update(chunk)
                    }
                } else {
                    if taken >= unhashed.count {
                        // Lines ended in this chunk: the held bytes and the chunk up to the last line end
                        // are taken; only the rest of the chunk is held (not the whole chunk copied first).
                        let takenInChunk = taken - unhashed.count
                        hasher.update(unhashed)
                        hasher.update(chunk[..<takenInChunk])
                        unhashed = Array(chunk[takenInChunk...])
                    } else {
                        hasher.update(unhashed[..<taken])
                        unhashed.removeFirst(taken)
                        unhashed.append(contentsOf: chunk)
                    }
                    if unhashed.count > 1 << 20 {
                        let running = hasher.copy()
                        running.update(unhashed)
                        unhashed = []
                        ahead = running
                    }
                }
            }
        } catch IngestError.corrupt(_, let reason) {
            damage = reason
        }
        if toSkip > 0 {
            return .changed("it is shorter than the \(resume!.consumed) bytes archived before")
        }
        if !started { try handle(.blobStarted(source: blob)) }
        let before = parser.consumedBytes
        try parser.finish(damage: damage, emit: handle)
        if let running = ahead {
            // Either nothing more was taken, or everything fed was.
            if parser.consumedBytes > before { hasher = running }
        } else {
            hasher.update(unhashed[..<(parser.consumedBytes - before)])
        }
        try handle(.blobFinished(source: blob, bytesRead: parser.bytesRead - (resume?.consumed ?? 0), lines: parser.lineNumber, damage: damage))

        let stat = FileIO.sizeAndModified(blob)
        var resolved = resume?.resolved ?? []
        if let pending = resume?.pendingLine, parser.lineNumber >= pending, parser.pendingLine != pending, !pendingRejectedAgain {
            resolved.append(pending)
        }
        let lines = parser.pendingLine.map { $0 - 1 } ?? parser.lineNumber
        let state = SourceState(key: SourceState.key(for: blob), path: blob, size: stat?.size ?? 0, modified: stat?.modified ?? 0,
                                consumed: parser.consumedBytes, lines: lines, hash: hasher.digest,
                                pendingLine: parser.pendingLine, resolved: resolved)
        return .read(state, bytes: parser.bytesRead - (resume?.consumed ?? 0))
    }
}
