import SMSFormat
import SMSIngest
import SMSRecords
import SMSSupport

/// Reads an archive: its manifest, its segments, and records in time order.
///
/// ```swift
/// let archive = try ArchiveReader(path: "sms.smsa")
/// var query = ScanQuery(from: Timestamp(queryBound: "2026-10-01T13:00"), to: Timestamp(queryBound: "2026-10-01T14:00"))
/// query.require("PhoneNumber", anyOf: ["+18334256463"])
/// try archive.scan(query) { batch, row in
///     print(Timestamp(ticks: batch.times[row]).iso8601, batch.string(FieldSchema.column(named: "Country")!, row: row) ?? "")
///     return true   // false stops the scan
/// }
/// ```
public final class ArchiveReader {
    public let path: String
    public let manifest: Manifest
    private var opened: [Int: SegmentReader] = [:]

    /// Opens the archive at `path`: reads its manifest and checks it against every segment's footer
    /// (`checkManifest()`), so that a wrong manifest cannot hide records from a scan or a count;
    /// segments are then opened (and kept open) when a scan needs them.
    public convenience init(path: String) throws {
        try self.init(path: path, checkingManifest: true)
    }

    /// Opens the archive at `path`; without `checkingManifest`, the manifest is taken as it is (`verify`
    /// checks it segment by segment itself).
    package init(path: String, checkingManifest: Bool) throws {
        self.path = path
        let manifestPath = path + "/" + Manifest.fileName
        guard FileIO.exists(manifestPath) else {
            throw ArchiveError.notAnArchive(path, FileIO.exists(path) ? "no \(Manifest.fileName)" : "no such file or directory")
        }
        manifest = try Manifest.decode(try FileIO.readAll(manifestPath), path: manifestPath)
        if checkingManifest { try checkManifest() }
    }

    /// Checks the manifest against the segments' footers (header, trailer and footer only: no block
    /// is read): no segment listed twice, and each entry's records, rejects, bytes and time span as
    /// the footer has them. Each segment is opened, checked and closed in turn.
    ///
    /// - Throws: `FormatError.damaged` naming the manifest or the segment and what differs.
    package func checkManifest() throws {
        if let file = manifest.segmentListedTwice {
            throw FormatError.damaged("\(path)/\(Manifest.fileName): segment \(file) is listed more than once")
        }
        for (index, entry) in manifest.segments.enumerated() {
            let segment = try opened[index] ?? SegmentReader(path: path + "/" + entry.file)
            if let problem = Self.disagreement(entry, segment) { throw FormatError.damaged("\(segment.path): \(problem)") }
        }
    }

    /// What a manifest entry says that its segment's footer does not, or nil when they agree.
    package static func disagreement(_ entry: SegmentEntry, _ segment: SegmentReader) -> String? {
        var wrong: [String] = []
        let records = segment.blocks.reduce(0) { $0 + $1.rowCount }
        if records != entry.records { wrong.append("\(records) records, not \(entry.records)") }
        if segment.rejectCount != entry.rejects { wrong.append("\(segment.rejectCount) rejects, not \(entry.rejects)") }
        if segment.size != entry.bytes { wrong.append("\(segment.size) bytes, not \(entry.bytes)") }
        let minTime = segment.blocks.map(\.minTime).min(), maxTime = segment.blocks.map(\.maxTime).max()
        if minTime != entry.minTime || maxTime != entry.maxTime {
            func span(_ a: Timestamp?, _ b: Timestamp?) -> String {
                guard let a, let b else { return "no time span" }
                return "times \(a.iso8601) (ticks \(a.ticks)) to \(b.iso8601) (ticks \(b.ticks))"
            }
            wrong.append("\(span(minTime, maxTime)), not \(span(entry.minTime, entry.maxTime))")
        }
        return wrong.isEmpty ? nil : "the segment holds " + wrong.joined(separator: "; ") + " as the manifest says"
    }

    /// The distinct effective categories ("" when unknown) of the records of segment `index`,
    /// from its category column: what its manifest entry's `categories` must list.
    package func categories(ofSegment index: Int) throws -> Set<String> {
        let segment = try segment(index)
        var found = Set<String>()
        for block in segment.blocks.indices {
            let batch = try segment.readBatch(block, columns: [FieldSchema.category])
            for row in 0..<batch.count { found.insert(batch.string(FieldSchema.category, row: row) ?? "") }
        }
        return found
    }

    /// Reads the segments of `manifest` (a subset of the archive's), for compaction.
    package init(path: String, manifest: Manifest) {
        self.path = path
        self.manifest = manifest
    }

    /// The reader of segment `index` of the manifest, opened (and its footer checked) on first use.
    public func segment(_ index: Int) throws -> SegmentReader {
        if let reader = opened[index] { return reader }
        let reader = try SegmentReader(path: path + "/" + manifest.segments[index].file)
        opened[index] = reader
        return reader
    }

    /// Every segment, opened.
    public var segments: [SegmentReader] {
        get throws { try manifest.segments.indices.map(segment) }
    }

    /// Segments opened so far.
    public var segmentsOpened: Int { opened.count }

    /// Blocks decoded so far, over all segments.
    public var blocksRead: Int { opened.values.reduce(0) { $0 + $1.blocksRead } }

    /// The segments whose time span and categories may hold records of `query`.
    package func candidateSegments(_ query: ScanQuery) throws -> [SegmentReader] {
        try manifest.segments.indices.filter { query.mayMatch(manifest.segments[$0]) }.map(segment)
    }

    /// Calls `body` with each matching record (a batch and a row of it) in time
    /// order (records of equal time in the order they were archived), until `body`
    /// returns false. Blocks that the time range or the Bloom filters rule out are not read.
    public func scan(_ query: ScanQuery = ScanQuery(), _ body: (RecordBatch, Int) throws -> Bool) throws {
        var cursors: [SegmentCursor] = []
        for segment in try candidateSegments(query) {
            var cursor = SegmentCursor(reader: segment, query: query)
            if try cursor.advance() { cursors.append(cursor) }
        }
        while !cursors.isEmpty {
            var best = 0
            for i in 1..<cursors.count where cursors[i].currentTime < cursors[best].currentTime { best = i }
            guard try body(cursors[best].batch!, cursors[best].currentRow) else { return }
            if try !cursors[best].advance() { cursors.remove(at: best) }
        }
    }

    /// Calls `body` with each block that may match and the rows of it that do,
    /// segment by segment (not merged in time order): the fast way to aggregate.
    public func scanBatches(_ query: ScanQuery, _ body: (RecordBatch, [Int]) throws -> Bool) throws {
        for segment in try candidateSegments(query) {
            for (i, block) in segment.blocks.enumerated() where query.overlaps(block) {
                let batch = try segment.readBatch(i, columns: query.decodedColumns)
                let rows = query.matchingRows(batch)
                if !rows.isEmpty, try !body(batch, rows) { return }
            }
        }
    }

    /// The (blob, line) of every reject that a later run superseded by reading the line again.
    public func resolvedRejects() throws -> Set<ResolvedLine> {
        var result = Set<ResolvedLine>()
        for state in try SourceLedger.load(archive: path, manifest: manifest).values {
            for line in state.resolved { result.insert(ResolvedLine(key: state.key, line: line)) }
        }
        return result
    }

    /// Every reject of every segment, in the order they were archived.
    public func rejects() throws -> [Reject] {
        try segments.flatMap { try $0.readRejects() }
    }
}

/// Walks the matching rows of one segment's candidate blocks.
private struct SegmentCursor {
    let reader: SegmentReader
    let query: ScanQuery
    var blocks: ArraySlice<Int>
    var batch: RecordBatch?
    var rows: [Int] = []
    var position = 0

    init(reader: SegmentReader, query: ScanQuery) {
        self.reader = reader
        self.query = query
        blocks = reader.blocks.indices.filter { query.overlaps(reader.blocks[$0]) }[...]
    }

    var currentRow: Int { rows[position - 1] }
    var currentTime: Int64 { batch!.times[currentRow] }

    /// Moves to the next matching row; false when there is none.
    mutating func advance() throws -> Bool {
        while position >= rows.count {
            guard let next = blocks.popFirst() else { return false }
            let batch = try reader.readBatch(next, columns: query.decodedColumns)
            self.batch = batch
            rows = query.matchingRows(batch)
            position = 0
        }
        position += 1
        return true
    }
}

/// A line of a source blob, by the blob's key (see `SourceState.key(for:)`).
public struct ResolvedLine: Hashable, Sendable {
    public var key: String
    public var line: Int

    public init(key: String, line: Int) {
        self.key = key
        self.line = line
    }
}
