import SMSFormat
import SMSIngest
import SMSRecords
import SMSSupport

/// Reads an archive: its manifest, its segments, and its records in time order.
///
/// Opening a reader reads the archive's `manifest.json` and opens every segment it lists (header,
/// footer and block index; no block is read), checking the manifest against them. Only the blocks
/// that a query cannot rule out are decompressed. A reader takes no lock and sees the archive as
/// the manifest stood when it was opened, even while a writer commits or `compact` replaces and
/// deletes segments: open files still read what they held (past 128 segments, a segment whose
/// descriptor was closed and that a compaction deleted since cannot be reopened, and its read
/// fails naming it). To see what was committed since, open a new reader.
///
/// A reader keeps the segments it has opened, so it is not `Sendable`: use it from one task at a
/// time, or open one reader per task.
///
/// On Linux, opening a reader raises glibc's malloc thresholds for the process (`M_MMAP_THRESHOLD` to
/// 32 MiB, `M_TRIM_THRESHOLD` to 64 MiB), so that the buffers each block needs are reused instead of
/// being returned to the kernel and faulted in again for the next block.
///
/// ```swift
/// import SMSArchive
///
/// let archive = try ArchiveReader(path: "sms.smsa")
/// var query = ScanQuery(from: Timestamp(queryBound: "2026-10-01T13:00"),
///                       to: Timestamp(queryBound: "2026-10-01T14:00"))
/// query.require(.phoneNumber, anyOf: ["+18334256463"])
/// try archive.scan(query) { batch, row in
///     print(Timestamp(ticks: batch.times[row]).iso8601, batch.string(.country, row: row) ?? "-")
///     return true   // false stops the scan
/// }
/// ```
public final class ArchiveReader {
    /// The path of the archive folder, as given to ``init(path:)``.
    public let path: String
    package private(set) var manifest: Manifest
    private var opened: [Int: SegmentReader] = [:]
    private var segmentsUsed = Set<Int>()

    /// Opens the archive at `path`: reads its manifest and checks it against every segment's footer
    /// (no block is read), so that a wrong manifest cannot hide records from a scan or a count;
    /// segments are then opened when a scan needs them.
    ///
    /// - Parameter path: The archive folder, the one that holds `manifest.json`.
    /// - Throws: ``ArchiveError/notAnArchive(_:_:)`` when `path` holds no `manifest.json` (or does
    ///   not exist); ``/SMSSupport/FormatError/damaged(_:)`` when the manifest is not a valid one or
    ///   disagrees with a segment, or ``/SMSSupport/FormatError/unsupportedVersion(_:)`` when a newer
    ///   smsarchive wrote it; ``/SMSSupport/FileError`` when it cannot be read.
    public convenience init(path: String) throws {
        try self.init(path: path, checkingManifest: true)
    }

    /// Opens the archive at `path`; without `checkingManifest`, the manifest is taken as it is (`verify`
    /// checks it segment by segment itself).
    package init(path: String, checkingManifest: Bool) throws {
        AllocatorTuning.keepBlockBuffers()
        self.path = path
        let manifestPath = path + "/" + Manifest.fileName
        guard FileIO.exists(manifestPath) else {
            throw ArchiveError.notAnArchive(path, FileIO.exists(path) ? "no \(Manifest.fileName)" : "no such file or directory")
        }
        // Every segment is opened now, so that the reader keeps to the manifest it read (see `openSegments`).
        // A segment gone by the time it is opened was replaced by a compaction since: read the new manifest.
        var attempts = 0
        repeat {
            manifest = Manifest()
            opened = [:]
            let bytes = try FileIO.readAll(manifestPath)
            manifest = try Manifest.decode(bytes, path: manifestPath)
            attempts += 1
            if openSegments() { break }
            guard attempts < 5, (try? FileIO.readAll(manifestPath)) != bytes else { break }
        } while true
        if checkingManifest { try checkManifest() }
    }

    /// Opens every segment of the manifest (header, trailer and footer). An open descriptor still reads
    /// a file that `compact` has since replaced and deleted, so a reader sees the archive as its manifest
    /// said, as long as its segments stay open (see `DescriptorPool`). A segment that cannot be opened
    /// is left for the read that needs it to report; false when one no longer exists.
    private func openSegments() -> Bool {
        for (index, entry) in manifest.segments.enumerated() {
            let segmentPath = path + "/" + entry.file
            do {
                opened[index] = try SegmentReader(path: segmentPath)
            } catch {
                if !FileIO.exists(segmentPath) { return false }
            }
        }
        return true
    }

    /// Checks the manifest against the segments' footers (header, trailer and footer only: no block
    /// is read): no segment listed twice, and each entry's records, rejects, bytes and time span as
    /// the footer has them.
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
            let batch = try segment.readBatch(block, columns: [FieldSchema.category], times: false)
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
    package func segment(_ index: Int) throws -> SegmentReader {
        if let reader = opened[index] { return reader }
        let reader = try SegmentReader(path: path + "/" + manifest.segments[index].file)
        opened[index] = reader
        return reader
    }

    /// Every segment, opened.
    package var segments: [SegmentReader] {
        get throws { try manifest.segments.indices.map(segment) }
    }

    /// Segments that scans have looked into so far (those whose manifest entry may match their queries).
    package var segmentsOpened: Int { segmentsUsed.count }

    /// Blocks decoded so far, over all segments.
    package var blocksRead: Int { opened.values.reduce(0) { $0 + $1.blocksRead } }

    /// The segments whose time span and categories may hold records of `query`.
    package func candidateSegments(_ query: ScanQuery) throws -> [SegmentReader] {
        let indices = manifest.segments.indices.filter { query.mayMatch(manifest.segments[$0]) }
        segmentsUsed.formUnion(indices)
        return try indices.map(segment)
    }

    /// Calls `body` with each record that matches `query`, in time order, until `body` returns `false`.
    ///
    /// Records of equal time come in the order they were archived. The segments of an archive are
    /// merged, so records from different runs of ``Converter`` come interleaved by time. Segments
    /// and blocks that the query's time range, categories or Bloom filters rule out are neither read
    /// nor decompressed; of the others, only the columns in ``ScanQuery/columns`` (and those the
    /// predicates test) are decoded.
    ///
    /// Blocks are decoded on all cores, a few ahead of the merge (the first block alone, then up to
    /// two per core), and a block's predicate columns before its others: a block without a matching
    /// row is decoded no further.
    ///
    /// Each call hands over a ``RecordBatch`` (the decoded columns of one block) and the row of the
    /// record in it; the matching rows of one block share one batch. To count or sum over many
    /// records, ``scanBatches(_:_:)`` is faster.
    ///
    /// ```swift
    /// var failed = ScanQuery(from: Timestamp(queryBound: "2026-10-01"))
    /// failed.require(.resultType, anyOf: ["Failed"])
    /// try archive.scan(failed) { batch, row in
    ///     let record = try batch.record(row: row)
    ///     print(String(decoding: JSONWriter.bytes(of: record.object), as: UTF8.self))
    ///     return true
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - query: What to read; by default every record, with every column decoded.
    ///   - body: Called with a batch and the index of a matching row in it. Return `true` to go on,
    ///     `false` to stop the scan. The batch is valid only during the call. An error that `body`
    ///     throws ends the scan and is rethrown.
    /// - Throws: ``/SMSSupport/FormatError`` when a segment or a block is damaged (or of a newer
    ///   format version); ``/SMSSupport/FileError`` when a segment file cannot be read; or what
    ///   `body` throws.
    public func scan(_ query: ScanQuery = ScanQuery(), _ body: (RecordBatch, Int) throws -> Bool) throws {
        // The merge is over blocks, not segments: a block's rows are in time order (the decoder
        // checks), but nothing makes two blocks disjoint, even in one segment (a footer may list
        // overlapping copies of a block, a version 1 segment its blocks in any order). A block is
        // decoded only when the merge reaches the time where it starts: then only blocks that overlap
        // in time are decoded at once, however many days the archive holds. Ties go to the block
        // listed first (segments in manifest order, blocks in footer order), as in a merge of all.
        var pending: [MergeEntry] = []
        for (segmentOrder, segment) in try candidateSegments(query).enumerated() {
            for (i, block) in segment.blocks.enumerated() where query.overlaps(block) {
                pending.append(MergeEntry(order: (segmentOrder, i), start: block.minTime.ticks,
                                          cursor: BlockCursor(reader: segment, block: i, query: query)))
            }
        }
        pending.sort { ($0.start, $0.order.segment, $0.order.block) < ($1.start, $1.order.segment, $1.order.block) }
        var next = pending.startIndex
        var loads = 0
        var open: [MergeEntry] = []   // in (segment, block) order
        while true {
            var best: Int?
            for i in open.indices where best == nil || open[i].cursor.currentTime < open[best!].cursor.currentTime { best = i }
            if next < pending.endIndex, best.map({ pending[next].start <= open[$0].cursor.currentTime }) ?? true {
                if !pending[next].cursor.loaded {
                    // One block first, then more at a time: a scan stopped after a few rows decodes one.
                    Self.load(&pending, from: next, count: min(Self.blocksDecodedAhead, 1 << min(loads, 8)))
                    loads += 1
                }
                var entry = pending[next]
                // The merge holds the block from here on: the list must not keep it decoded too.
                pending[next].cursor.release()
                next += 1
                if try entry.cursor.advance() {
                    open.insert(entry, at: open.firstIndex { ($0.order.segment, $0.order.block) > (entry.order.segment, entry.order.block) } ?? open.endIndex)
                }
                continue
            }
            guard let best else { return }
            guard try body(open[best].cursor.batch!, open[best].cursor.currentRow) else { return }
            if try !open[best].cursor.advance() { open.remove(at: best) }
        }
    }

    /// Blocks that `scan` decodes at once, on all cores, as the merge reaches the first of them: a
    /// selective scan spends nearly all its time decoding blocks one after the other.
    package static var blocksDecodedAhead: Int { processorCount > 1 ? 2 * processorCount : 1 }

    /// Decodes the blocks of `pending[start...]` (up to `count` of them) not decoded yet, in parallel.
    /// The next blocks in start order are the ones the merge opens next; a block's error is kept in
    /// its cursor and thrown when the merge reaches it, as without decoding ahead.
    private static func load(_ pending: inout [MergeEntry], from start: Int, count: Int) {
        let indices = (start..<min(pending.count, start + count)).filter { !pending[$0].cursor.loaded }
        let cursors = indices.map { pending[$0].cursor }
        let loaded = parallelMap(indices.count) { k -> BlockCursor in
            var cursor = cursors[k]
            cursor.load()
            return cursor
        }
        for (k, i) in indices.enumerated() { pending[i].cursor = loaded[k] }
    }

    /// The number of records that match `query`.
    ///
    /// A block that lies wholly inside the time range, when no other predicate is set, is counted
    /// from the block index without being read; other blocks are decoded only in the columns the
    /// predicates test, and their times only when the block reaches past the range.
    /// `query.columns` is ignored.
    ///
    /// ```swift
    /// var failed = ScanQuery(from: Timestamp(queryBound: "2026-10-01"), to: Timestamp(queryBound: "2026-10-02"))
    /// failed.require(.resultType, anyOf: ["Failed"])
    /// print(try archive.count(failed))
    /// ```
    ///
    /// - Parameter query: the records to count; by default every record.
    /// - Returns: how many records match.
    /// - Throws: ``/SMSSupport/FormatError`` or ``/SMSSupport/FileError`` when a segment it reads is
    ///   damaged or unreadable.
    public func count(_ query: ScanQuery = ScanQuery()) throws -> Int {
        var counting = query
        counting.columns = []
        counting.alsoDecoded = []
        var total = 0
        var decoded: [(segment: SegmentReader, block: Int, query: ScanQuery)] = []
        for segment in try candidateSegments(counting) {
            for (i, block) in segment.blocks.enumerated() where counting.overlaps(block) {
                if counting.coversWhole(block) {
                    total += block.rowCount
                } else {
                    // A block inside the time range needs its predicates tested, not its times.
                    var blockQuery = counting
                    if counting.rangeCovers(block) {
                        blockQuery.from = nil
                        blockQuery.to = nil
                    }
                    decoded.append((segment, i, blockQuery))
                }
            }
        }
        // The blocks that must be read are decoded on all cores, a group at a time (each holds only
        // the tested columns); the first error in block order is thrown, as one by one.
        let groupSize = 4 * processorCount
        for start in stride(from: 0, to: decoded.count, by: groupSize) {
            let group = decoded[start..<min(start + groupSize, decoded.count)]
            let counts = parallelMap(group.count) { k -> Result<Int, any Error> in
                let (segment, block, query) = group[group.startIndex + k]
                return Result { query.matchingRows(try segment.readBatch(block, columns: query.decodedColumns, times: query.needsTimes)).count }
            }
            for count in counts { total += try count.get() }
        }
        return total
    }

    /// Calls `body` with each block that holds matching records, and the rows of it that match,
    /// until `body` returns `false`: the fast way to aggregate.
    ///
    /// Blocks come segment by segment, in the order of the manifest, not merged in time order;
    /// within a block, rows are in time order. Blocks that the query rules out are not read, and
    /// blocks without a matching row are not handed over. Set ``ScanQuery/columns`` to the columns
    /// that `body` reads, so that no other column is decoded: a column's read decodes its chunk
    /// and, unless every row has a value there, the layout column (which rows have one); in
    /// segments of version 5 and later never another column's values. Times are decoded when the query has a time range, or when
    /// ``ScanQuery/columns`` is `nil` or holds ``/SMSRecords/Column/time``; else
    /// ``RecordBatch/times`` is empty. Blocks are decoded as many at a time as there are cores,
    /// and handed to `body` one by one, in order, on the calling thread.
    ///
    /// To group by a string column, count its per-row dictionary ids and turn ids into strings
    /// once per block:
    ///
    /// ```swift
    /// var query = ScanQuery()
    /// query.columns = [.country]
    /// var counts: [String: Int] = [:]
    /// try archive.scanBatches(query) { batch, rows in
    ///     let (countries, ids) = batch.stringColumn(.country)
    ///     var perID = [Int](repeating: 0, count: countries.count)
    ///     for row in rows where ids[row] >= 0 { perID[Int(ids[row])] += 1 }
    ///     for (id, n) in perID.enumerated() where n > 0 { counts[countries[id], default: 0] += n }
    ///     return true
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - query: What to read.
    ///   - body: Called with a batch (the decoded columns of one block) and the indices of its
    ///     matching rows, ascending and never empty. Return `true` to go on, `false` to stop. The
    ///     batch is valid only during the call. An error that `body` throws ends the scan and is
    ///     rethrown.
    /// - Throws: ``/SMSSupport/FormatError`` when a segment or a block is damaged (or of a newer
    ///   format version); ``/SMSSupport/FileError`` when a segment file cannot be read; or what
    ///   `body` throws.
    public func scanBatches(_ query: ScanQuery, _ body: (RecordBatch, [Int]) throws -> Bool) throws {
        var blocks: [(segment: SegmentReader, block: Int)] = []
        for segment in try candidateSegments(query) {
            for (i, block) in segment.blocks.enumerated() where query.overlaps(block) { blocks.append((segment, i)) }
        }
        // Blocks are decoded two per core at a time, in parallel, and handed over in order: decoding
        // is most of the work of an aggregate, blocks differ in size (two per core keeps the cores
        // busy to the end of a group), and only that many batches are held at once.
        let columns = query.decodedColumns, times = query.needsTimes
        let groupSize = processorCount > 1 ? 2 * processorCount : 1
        var start = 0
        while start < blocks.count {
            let group = blocks[start..<min(start + groupSize, blocks.count)]
            start = group.endIndex
            let decoded = parallelMap(group.count) { k -> Result<(RecordBatch, [Int]), any Error> in
                let (segment, block) = group[group.startIndex + k]
                return Result {
                    let batch = try segment.readBatch(block, columns: columns, times: times)
                    return (batch, query.matchingRows(batch))
                }
            }
            for result in decoded {
                let (batch, rows) = try result.get()
                if !rows.isEmpty, try !body(batch, rows) { return }
            }
        }
    }

    /// The (blob, line) of every reject that a later run superseded by reading the line again.
    package func resolvedRejects() throws -> Set<ResolvedLine> {
        var result = Set<ResolvedLine>()
        for state in try SourceLedger.load(archive: path, manifest: manifest).values {
            for line in state.resolved { result.insert(ResolvedLine(key: state.key, line: line)) }
        }
        return result
    }

    /// Every reject of every segment: the input lines that were not taken as records, kept byte for byte.
    ///
    /// The list includes rejects that a later run resolved (a cut last line of a blob that was read
    /// again once it was complete, and then taken as a record); `smsarchive rejects` leaves those
    /// out unless asked for all, but this method does not tell them apart.
    ///
    /// - Returns: The rejects, segment by segment in the order of the manifest, and within a
    ///   segment in the order they were met.
    /// - Throws: ``/SMSSupport/FormatError`` when a segment or its rejects are damaged;
    ///   ``/SMSSupport/FileError`` when a segment file cannot be read.
    public func rejects() throws -> [Reject] {
        try segments.flatMap { try $0.readRejects() }
    }

    /// Calls `body` with every reject of every segment, in the order of ``rejects()``, holding one
    /// segment's rejects at a time: memory does not grow with the archive, as it does with ``rejects()``.
    ///
    /// - Throws: What ``rejects()`` throws, and what `body` throws (which ends the walk).
    public func forEachReject(_ body: (Reject) throws -> Void) throws {
        for segment in try segments {
            for reject in try segment.readRejects() { try body(reject) }
        }
    }
}

/// A block in the merge of `scan`: where it starts, and its place (segment in the manifest, block in the footer).
private struct MergeEntry {
    let order: (segment: Int, block: Int)
    let start: Int64
    var cursor: BlockCursor
}

/// Walks the matching rows of one block, decoded when first advanced.
private struct BlockCursor {
    let reader: SegmentReader
    let block: Int
    let query: ScanQuery
    var batch: RecordBatch?
    var rows: [Int] = []
    var position = 0
    var finished = false

    init(reader: SegmentReader, block: Int, query: ScanQuery) {
        self.reader = reader
        self.block = block
        self.query = query
    }

    /// Whether the block was decoded (or found to have no matching row, or failed).
    private(set) var loaded = false
    private var loadError: (any Error)?

    var currentRow: Int { rows[position - 1] }
    var currentTime: Int64 { batch!.times[currentRow] }

    /// Decodes the block and finds its matching rows; an error is kept for `advance` to throw.
    mutating func load() {
        guard !loaded else { return }
        loaded = true
        do {
            // With predicates, the columns they test are decoded first: a block without a matching
            // row (most blocks, for an identifier no Bloom filter covers) is never decoded whole,
            // and of a block with a few, only those rows are kept (and written).
            let tested = query.predicates.isEmpty ? nil : Set(query.predicates.keys)
            let (batch, rows) = try reader.readMatching(block, tested: tested, columns: query.decodedColumns) { query.matchingRows($0) }
            if rows.isEmpty {
                finished = true
                return
            }
            // Made now, on this core, rather than by the writer on the merge's.
            _ = batch.times
            self.batch = batch
            self.rows = rows
        } catch {
            loadError = error
        }
    }

    /// Drops the decoded block (the copy of a cursor that the merge took over).
    mutating func release() {
        batch = nil
        rows = []
    }

    /// Moves to the next matching row; false when there is none.
    mutating func advance() throws -> Bool {
        load()
        if let loadError { throw loadError }
        guard !finished else { return false }
        guard position < rows.count else {
            finished = true
            batch = nil
            rows = []
            return false
        }
        position += 1
        return true
    }
}

/// A line of a source blob, by the blob's key (see `SourceState.key(for:)`).
package struct ResolvedLine: Hashable, Sendable {
    package var key: String
    package var line: Int

    package init(key: String, line: Int) {
        self.key = key
        self.line = line
    }
}
