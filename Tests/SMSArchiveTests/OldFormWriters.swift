import SMSFormat
@testable import SMSSupport
@testable import SMSArchive
@testable import SMSRecords

// Writers of what this build no longer writes, kept to test that old archives stay readable
// and that the encodings decode what they encode. They live in the tests, not the library.

/// A row of a version-1 (row-document) block: its time, category and resource,
/// and its JSON text. Only the version-1 writer takes it; version-2 segments hold columns.
struct StoredRow: Sendable {
    var time: Timestamp
    var category: String?
    var resourceId: String?
    /// The record's compact JSON text.
    var document: ArraySlice<UInt8>
}

extension SegmentWriter {
    /// Writes `rows` (sorted by time) and `rejects` as a version-1 row-document segment.
    /// Only tests use it now: it keeps the old version's reader honest.
    static func writeRowDocuments(rows: [StoredRow], rejects: [Reject], to path: String, options: Options) throws -> RowSegmentFooter {
        let file = try SegmentFileWriter(path: path, version: SegmentVersion.rowDocuments, level: options.compressionLevel)
        var blocks: [BlockInfo] = []
        var start = 0
        while start < rows.count {
            let slice = rows[start..<min(start + options.blockRows, rows.count)]
            start += slice.count
            let times = slice.map(\.time.ticks)
            let chunks = [
                try file.writeChunk(RowDocumentCodecs.encodeDeltaVarint(times), encoding: ColumnEncoding.deltaVarint.rawValue),
                try file.writeChunk(RowDocumentCodecs.encodeDictionary(slice.map(\.category)), encoding: ColumnEncoding.dictionary.rawValue),
                try file.writeChunk(RowDocumentCodecs.encodeDictionary(slice.map(\.resourceId)), encoding: ColumnEncoding.dictionary.rawValue),
                try file.writeChunk(RowDocumentCodecs.encodePlainBytes(slice.map { Array($0.document) }), encoding: ColumnEncoding.plainBytes.rawValue),
            ]
            blocks.append(BlockInfo(rowCount: slice.count, minTime: Timestamp(ticks: times.min()!),
                                    maxTime: Timestamp(ticks: times.max()!), columns: chunks))
        }
        let rejectChunk = rejects.isEmpty ? nil : try file.writeChunk(RejectCodec.encode(rejects), encoding: RejectCodec.encodingID)
        let footer = RowSegmentFooter(columnNames: ColumnID.allCases.map(\.name), blocks: blocks,
                                      rejectCount: rejects.count, rejects: rejectChunk)
        try file.finish(footer: footer.encoded())
        return footer
    }
}

extension IdentifierEncoding {
    /// The `identifiers` form (no kind 6).
    static func encode(_ values: [String]) -> [UInt8] {
        encode(values, rows: nil)
    }

    /// With `rows`, the `rowIdentifiers` form.
    static func encode(_ values: [String], rows: Rows?) -> [UInt8] {
        let forms = encodeForms(values, repeats: repeatSources(values), rows: rows)
        return forms.rowIdentifiers ?? forms.identifiers
    }
}

extension SegmentWriter {
    /// Writes the records of `builder` as a version-4 columnar segment, as smsarchive 0.3.0 did: row
    /// links derived from the identifier chunks' repeats when read (no links chunk, no kind 7), and
    /// Bloom filters without correlationIds. Only tests use it now: it keeps the version-4 reader honest.
    static func writeVersion4(_ builder: SegmentBuilder, to path: String, options: Options) throws {
        let order = builder.sortedOrder()
        let blockCount = (order.count + options.blockRows - 1) / options.blockRows
        let encoded = (0..<blockCount).map { i in
            let rows = order[i * options.blockRows..<min((i + 1) * options.blockRows, order.count)]
            return BlockEncoder.encode(builder.columns(of: rows, stringsAsIDs: true), level: options.compressionLevel,
                                       version: SegmentVersion.linkedColumns)
        }
        let file = try SegmentFileWriter(path: path, version: SegmentVersion.linkedColumns, level: options.compressionLevel)
        let blocks = try encoded.map { try BlockEncoder.write($0, to: file) }
        let footer = ColumnarFooter(columns: FieldSchema.columns, layouts: builder.layouts, blocks: blocks, rejectCount: 0, rejects: nil)
        try file.finish(footer: footer.encoded(version: SegmentVersion.linkedColumns))
    }

    /// Rewrites every segment of the archive at `archive` (records only, no rejects) as `writeVersion4`
    /// would have written it, and its manifest's sizes to match.
    static func rewriteAsVersion4(_ archive: String, blockRows: Int) throws {
        let reader = try ArchiveReader(path: archive)
        var manifest = reader.manifest
        for (index, entry) in manifest.segments.enumerated() {
            let segment = try reader.segment(index)
            let builder = SegmentBuilder()
            for block in segment.blocks.indices {
                let batch = try segment.readBatch(block)
                for row in 0..<batch.count { builder.add(try batch.record(row: row)) }
            }
            let path = archive + "/" + entry.file
            FileIO.remove(path)
            try writeVersion4(builder, to: path, options: Options(blockRows: blockRows, compressionLevel: 3))
            manifest.segments[index].bytes = try FileReader(path).size
        }
        try FileIO.writeAtomically(manifest.encoded(), to: archive + "/" + Manifest.fileName)
    }
}
