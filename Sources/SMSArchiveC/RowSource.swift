import SMSArchive
import SMSRecords

/// Where a stream's rows come from, pulled as the consumer asks for batches.
protocol RowSource: AnyObject {
    /// The next matching rows, all of one reader batch and at most `limit` of them; nil at the end.
    func next(limit: Int) throws -> (RecordBatch, ArraySlice<Int>)?
}

/// The rows of a scan, block by block: segments in the manifest's order, blocks in each segment's
/// order, a block decoded only when the consumer reaches it. It skips what `ArchiveReader.scanBatches`
/// skips (segments and blocks that the time range, categories and Bloom filters rule out), and with
/// predicates decodes the tested columns alone first, as `ArchiveReader.scan` does.
final class ScanSource: RowSource {
    private let reader: ArchiveReader
    private let query: ScanQuery
    private var segments: [SegmentReader]?
    private var segment = 0
    private var block = 0
    private var pending: (RecordBatch, ArraySlice<Int>)?

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
        if segments == nil { segments = try reader.candidateSegments(query) }
        while let segments, segment < segments.count {
            let current = segments[segment]
            while block < current.blocks.count {
                let index = block
                block += 1
                guard query.overlaps(current.blocks[index]) else { continue }
                if let tested = query.testedColumns, tested != query.decodedColumns,
                   query.matchingRows(try current.readBatch(index, columns: tested)).isEmpty {
                    continue
                }
                let batch = try current.readBatch(index, columns: query.decodedColumns)
                let rows = query.matchingRows(batch)
                if !rows.isEmpty { return (batch, rows) }
            }
            segment += 1
            block = 0
        }
        return nil
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
