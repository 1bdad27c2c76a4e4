/// Reads an archive: its manifest, its segments, and records in time order.
///
/// ```swift
/// let archive = try ArchiveReader(path: "sms.smsa")
/// try archive.scan(from: Timestamp(iso8601: "2026-10-01T00:00:00Z")) { row in
///     print(try row.record().object)
///     return true   // keep going
/// }
/// ```
public final class ArchiveReader {
    public let path: String
    public let manifest: Manifest
    public let segments: [SegmentReader]

    /// Opens the archive at `path` and every segment its manifest names.
    public init(path: String) throws {
        self.path = path
        let manifestPath = path + "/" + Manifest.fileName
        guard FileIO.exists(manifestPath) else {
            throw ArchiveError.notAnArchive(path, FileIO.exists(path) ? "no \(Manifest.fileName)" : "no such file or directory")
        }
        manifest = try Manifest.decode(try FileIO.readAll(manifestPath), path: manifestPath)
        segments = try manifest.segments.map { try SegmentReader(path: path + "/" + $0.file) }
    }

    /// Blocks decoded so far, over all segments.
    public var blocksRead: Int { segments.reduce(0) { $0 + $1.blocksRead } }

    /// Calls `body` for each record with `from <= time < to`, in time order
    /// (records of equal time in the order they were archived), until `body` returns false.
    /// Blocks whose time range lies outside the bounds are not read.
    public func scan(from: Timestamp? = nil, to: Timestamp? = nil, _ body: (StoredRow) throws -> Bool) throws {
        func overlaps(_ minTime: Timestamp, _ maxTime: Timestamp) -> Bool {
            if let from, maxTime < from { return false }
            if let to, minTime >= to { return false }
            return true
        }
        var cursors: [SegmentCursor] = []
        for segment in segments {
            let blocks = segment.footer.blocks.indices.filter { overlaps(segment.footer.blocks[$0].minTime, segment.footer.blocks[$0].maxTime) }
            var cursor = SegmentCursor(reader: segment, blocks: blocks[...])
            if try cursor.advance(from: from, to: to) { cursors.append(cursor) }
        }
        while !cursors.isEmpty {
            var best = 0
            for i in 1..<cursors.count where cursors[i].current!.time < cursors[best].current!.time { best = i }
            guard try body(cursors[best].current!) else { return }
            if try !cursors[best].advance(from: from, to: to) { cursors.remove(at: best) }
        }
    }

    /// Every reject of every segment, in the order they were archived.
    public func rejects() throws -> [Reject] {
        try segments.flatMap { try $0.readRejects() }
    }
}

/// Walks the rows of one segment's chosen blocks.
private struct SegmentCursor {
    let reader: SegmentReader
    var blocks: ArraySlice<Int>
    var rows: [StoredRow] = []
    var position = 0
    var current: StoredRow?

    init(reader: SegmentReader, blocks: ArraySlice<Int>) {
        self.reader = reader
        self.blocks = blocks
    }

    /// Moves to the next row inside the bounds; false when there is none.
    mutating func advance(from: Timestamp?, to: Timestamp?) throws -> Bool {
        while true {
            if position < rows.count {
                let row = rows[position]
                position += 1
                if let from, row.time < from { continue }
                if let to, row.time >= to { current = nil; return false }
                current = row
                return true
            }
            guard let next = blocks.popFirst() else { current = nil; return false }
            rows = try reader.readBlock(next)
            position = 0
        }
    }
}
