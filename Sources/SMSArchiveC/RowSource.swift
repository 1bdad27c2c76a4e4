import SMSArchive
import SMSRecords
import SMSSupport

/// Where a stream's rows come from, pulled as the consumer asks for batches.
protocol RowSource: AnyObject {
    /// The next matching rows, all of one reader batch and at most `limit` of them; nil at the end.
    func next(limit: Int) throws -> (RecordBatch, ArraySlice<Int>)?
}

/// The rows of a scan, block by block: segments in the manifest's order, blocks in each segment's
/// order, decoded only when the consumer reaches them, as many at once as there are cores (so at most
/// that many decoded blocks are held). It skips what `ArchiveReader.scanBatches` skips (segments and blocks
/// that the time range, categories and Bloom filters rule out), and with predicates decodes the tested
/// columns alone first, as `ArchiveReader.scan` does.
final class ScanSource: RowSource {
    private let reader: ArchiveReader
    private let query: ScanQuery
    /// The blocks the query may read, found when the first rows are asked for.
    private var candidates: [(segment: SegmentReader, block: Int)]?
    private var position = 0
    /// Decoded blocks with matching rows, in order, not yet handed out.
    private var ready: [(RecordBatch, [Int])] = []
    private var pending: (RecordBatch, ArraySlice<Int>)?
    /// Blocks read so far with and without a matching row: while at least one in five has none, the
    /// predicates' columns are decoded alone first; when nearly all match (a day's Failed records), that
    /// first pass would decode those columns twice for nothing.
    private var blocksMatching = 0
    private var blocksNotMatching = 0

    init(reader: ArchiveReader, query: ScanQuery) {
        self.reader = reader
        self.query = query
    }

    func next(limit: Int) throws -> (RecordBatch, ArraySlice<Int>)? {
        if pending == nil {
            guard let (batch, rows) = try nextBlock() else { return nil }
            pending = (batch, rows[...])
        }
        let (batch, rows) = pending!
        let taken = rows.prefix(limit)
        let rest = rows.dropFirst(taken.count)
        pending = rest.isEmpty ? nil : (batch, rest)
        return (batch, taken)
    }

    /// The next block with a matching row, and its matching rows.
    private func nextBlock() throws -> (RecordBatch, [Int])? {
        if candidates == nil {
            let query = query
            candidates = try reader.candidateSegments(query).flatMap { segment in
                segment.blocks.indices.filter { query.overlaps(segment.blocks[$0]) }.map { (segment, $0) }
            }
        }
        let candidates = candidates!
        while ready.isEmpty {
            guard position < candidates.count else { return nil }
            let group = candidates[position..<min(position + processorCount, candidates.count)]
            position += group.count
            let query = query
            let testFirst = blocksNotMatching * 4 >= blocksMatching
            let decoded = parallelMap(group.count) { i in
                Result { try Self.matches(query, group[group.startIndex + i].segment, group[group.startIndex + i].block, testFirst: testFirst) }
            }
            for result in decoded {
                if let found = try result.get() {
                    ready.append(found)
                    blocksMatching += 1
                } else {
                    blocksNotMatching += 1
                }
            }
            ready.reverse()   // taken from the end
        }
        return ready.popLast()
    }

    /// Block `index` of `segment` decoded, and its matching rows; nil when none matches. `testFirst`: decode
    /// the predicates' columns alone first, and the others only when a row matches.
    private static func matches(_ query: ScanQuery, _ segment: SegmentReader, _ index: Int, testFirst: Bool) throws -> (RecordBatch, [Int])? {
        // Unlike `ArchiveReader.scan`, a predicate on a Bloom-filtered column is tested first too: its blocks
        // are mostly false positives for one MessageId, and a whole block of every column costs far more.
        let tested = query.predicates.isEmpty ? nil : Set(query.predicates.keys)
        if testFirst, let tested, tested != query.decodedColumns,
           query.matchingRows(try segment.readBatch(index, columns: tested)).isEmpty {
            return nil
        }
        let batch = try segment.readBatch(index, columns: query.decodedColumns)
        let rows = query.matchingRows(batch)
        return rows.isEmpty ? nil : (batch, rows)
    }
}

/// Rows found beforehand (a trace's), handed out in their order.
final class ListSource: RowSource {
    private var groups: [(RecordBatch, [Int])]
    private var position = 0
    private var offset = 0

    /// `rows` grouped into runs of the same batch.
    init(_ rows: [(RecordBatch, Int)]) {
        var groups: [(RecordBatch, [Int])] = []
        for (batch, row) in rows {
            if let last = groups.last, last.0 === batch { groups[groups.count - 1].1.append(row) } else { groups.append((batch, [row])) }
        }
        self.groups = groups
    }

    func next(limit: Int) throws -> (RecordBatch, ArraySlice<Int>)? {
        guard position < groups.count else { return nil }
        let (batch, rows) = groups[position]
        let taken = rows[offset...].prefix(limit)
        offset += taken.count
        if offset == rows.count {
            groups[position] = (batch, [])   // the batch is not needed any more
            position += 1
            offset = 0
        }
        return (batch, taken)
    }
}
