import SMSArchive
import SMSFormat
import SMSRecords
import SMSSupport

/// Where a stream's rows come from, pulled as the consumer asks for batches.
protocol RowSource: AnyObject {
    /// The next matching rows, all of one reader batch and at most `limit` of them; nil at the end.
    func next(limit: Int) throws -> (RecordBatch, ArraySlice<Int>)?
}

/// The rows of a scan, block by block: segments in the manifest's order, blocks in each segment's
/// order, decoded on all cores a few blocks ahead of the consumer (see `BlockPrefetch`). It skips what
/// `ArchiveReader.scanBatches` skips (segments and blocks that the time range, categories and Bloom
/// filters rule out), and with predicates decodes the tested columns alone first, as `ArchiveReader.scan` does.
final class ScanSource: RowSource {
    private let archive: ArchiveHandle
    private let query: ScanQuery
    /// The candidate blocks being decoded, set up when the first rows are asked for (a stream's schema
    /// alone reads nothing).
    private var prefetch: BlockPrefetch?
    private var pending: (RecordBatch, ArraySlice<Int>)?

    init(archive: ArchiveHandle, query: ScanQuery) {
        self.archive = archive
        self.query = query
    }

    deinit { prefetch?.cancel() }

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
        if prefetch == nil {
            let query = query
            let candidates = try archive.withReader { try $0.candidateSegments(query) }.flatMap { segment in
                segment.blocks.indices.filter { query.overlaps(segment.blocks[$0]) }.map { (segment, $0) }
            }
            let probes = Self.probes(query)
            // Until blocks come back, the predicates' columns are tested first only when one is a phone number
            // or an identifier: those pick out few rows; a day's Failed records are in every block.
            let selective = query.predicates.keys.contains { FieldSchema.filtered.contains($0) || $0 == FieldSchema.correlationId }
            prefetch = BlockPrefetch(candidates, testFirst: selective) { segment, block, testFirst in
                try Self.matches(query, probes, segment, block, testFirst: testFirst)
            }
        }
        while let result = prefetch!.next() {
            if let found = try result.get() { return found }
        }
        return nil
    }

    /// Block `index` of `segment` decoded, and its matching rows; nil when none matches. `testFirst`: decode
    /// the predicates' columns alone first, and the others only when a row matches.
    private static func matches(_ query: ScanQuery, _ probes: [Int: IdentifierProbe], _ segment: SegmentReader, _ index: Int,
                                testFirst: Bool) throws -> (RecordBatch, [Int])? {
        // Identifier predicates rule blocks out from their raw chunks first (see `IdentifierProbe`); when they
        // are all the predicates there are, a block they let through nearly always matches.
        var probedAll = !probes.isEmpty && probes.count == query.predicates.count
        if !probes.isEmpty {
            let chunks = segment.columnarBlocks.indices.contains(index) ? segment.columnarBlocks[index].chunks : []
            for (column, probe) in probes {
                guard let ref = chunks.first(where: { $0.column == column }), IdentifierProbe.encodings.contains(ref.chunk.encoding) else {
                    probedAll = false
                    continue
                }
                let raw = try segment.chunk(ref.chunk, context: "\(segment.path): block \(index) column \(FieldSchema.columns[column].name)")
                if !probe.mayContain(raw) { return nil }
            }
        }
        // Unlike `ArchiveReader.scan`, a predicate on a Bloom-filtered column is tested first too: its blocks
        // are mostly false positives for one MessageId, and a whole block of every column costs far more.
        let tested = query.predicates.isEmpty ? nil : Set(query.predicates.keys)
        if testFirst, !probedAll, let tested, tested != query.decodedColumns,
           query.matchingRows(try segment.readBatch(index, columns: tested)).isEmpty {
            return nil
        }
        let batch = try segment.readBatch(index, columns: query.decodedColumns)
        let rows = query.matchingRows(batch)
        return rows.isEmpty ? nil : (batch, rows)
    }

    /// A probe for each exact predicate on a string column (the identifiers; `IdentifierProbe` reads only
    /// their chunks' encodings).
    static func probes(_ query: ScanQuery) -> [Int: IdentifierProbe] {
        var probes: [Int: IdentifierProbe] = [:]
        for (column, values) in query.predicates where FieldSchema.columns[column].type == .string && ScanQuery.caseSensitive(column) {
            probes[column] = IdentifierProbe(values: Array(values))
        }
        return probes
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
