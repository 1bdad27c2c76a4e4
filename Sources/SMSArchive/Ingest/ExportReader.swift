/// Reads an export (any mix of blob files, folders of the export tree, and
/// standard input, plain or gzip) and yields its records and rejects.
///
/// Everything streams: memory holds one chunk and one line at a time
/// (a pretty-printed legacy blob is the exception: it is held whole).
public struct ExportReader {
    /// The blobs to read, in order.
    public let blobs: [String]
    public var maxDepth = JSONParser.defaultMaxDepth

    /// Resolves `inputs` (files, folders, `-`) to blobs.
    public init(inputs: [String]) throws(IngestError) {
        blobs = try InputWalker.blobs(in: inputs)
    }

    public init(blobs: [String]) {
        self.blobs = blobs
    }

    /// Reads every blob, calling `handle` for each event.
    ///
    /// A damaged gzip stream does not stop the run: what came before the damage
    /// is kept and a `corrupt-input` reject names the file. An unreadable file does.
    public func read(_ handle: (IngestEvent) throws -> Void) throws {
        for blob in blobs {
            try readBlob(blob, handle)
        }
    }

    /// Reads one blob (a path, or `-` for standard input).
    public func readBlob(_ blob: String, _ handle: (IngestEvent) throws -> Void) throws {
        try handle(.blobStarted(source: blob))
        var parser = BlobParser(source: blob, path: BlobPath(parsing: blob), maxDepth: maxDepth)
        let file = try FileByteSource(path: blob)
        let first = try file.nextChunk() ?? []
        var source: any ByteSource = PrefixedByteSource(prefix: first, base: file)
        if first.starts(with: GzipDecoder.magic) {
            source = GzipDecoder(base: source, path: blob)
        }
        var damage: String?
        do {
            while let chunk = try source.nextChunk() {
                try parser.consume(chunk, emit: handle)
            }
        } catch IngestError.corrupt(_, let reason) {
            damage = reason
        }
        try parser.finish(damage: damage, emit: handle)
        try handle(.blobFinished(source: blob, bytesRead: parser.bytesRead, lines: parser.lineNumber, damage: damage))
    }
}
