import SMSFormat
import SMSRecords

/// What an archive holds and where its bytes go: `smsarchive info` as a library call, and the
/// numbers for tuning encodings.
///
/// Gathering the statistics reads every segment's footer and scans the whole archive (for the
/// duplicates and the top phone numbers and countries), so it takes about as long as a full scan.
///
/// ```swift
/// let stats = try ArchiveStatistics(try ArchiveReader(path: "sms.smsa"), topCount: 5)
/// print("\(stats.records) records in \(stats.segments) segments, \(stats.bytesOnDisk) bytes")
/// if let first = stats.minTime, let last = stats.maxTime { print("from", first.iso8601, "to", last.iso8601) }
/// for top in stats.topCountries { print(top.value, top.records) }
/// for column in stats.columns where column.values > 0 {
///     print(column.name, column.storedBytes, column.encodings)
/// }
/// ```
public struct ArchiveStatistics: Sendable {
    /// The space one column takes, over all blocks of the archive.
    public struct ColumnUsage: Sendable {
        /// The column's name, as the format names it (see ``/SMSRecords/Column/name``); besides the
        /// columns of ``/SMSRecords/Column/all`` there are the format's own `layout`, `residual`
        /// and `combined` columns.
        public var name: String
        /// Bytes stored (compressed) over all blocks.
        public var storedBytes = 0
        /// Bytes before compression.
        public var rawBytes = 0
        /// Values stored in the column's own chunks. Columns stored together in a block's
        /// `combined` chunk count there (one value per row), not here.
        public var values = 0
        /// How many chunks chose each encoding, by the encoding's name in the format (such as
        /// `deltaVarint` or `dictionaryStrings`).
        public var encodings: [String: Int] = [:]
    }

    /// Records in the archive (duplicates included).
    public var records = 0
    /// Rejects in the archive (resolved ones included).
    public var rejects = 0
    /// Segment files.
    public var segments = 0
    /// Blocks, over all segments.
    public var blocks = 0
    /// Bytes of the segment files.
    public var bytesOnDisk = 0
    /// The earliest record time; `nil` when the archive holds no records.
    public var minTime: Timestamp?
    /// The latest record time; `nil` when the archive holds no records.
    public var maxTime: Timestamp?
    /// Bytes of the segments that are not column chunks: headers, footers (block index, layouts,
    /// Bloom filters), trailers and rejects.
    public var footerBytes = 0
    /// Bytes of the blocks' Bloom filters (part of ``footerBytes``).
    public var filterBytes = 0
    /// Bytes of the blocks' row links chunks (segment version 5; part of ``footerBytes``): which
    /// rows repeat an earlier row's phone number, country and identifiers.
    public var linkBytes = 0
    /// Record layouts (distinct shapes of member names and order), summed over the segments.
    public var layouts = 0
    /// Per column of the format, in the order the format numbers them, the space it takes.
    public var columns: [ColumnUsage] = []
    /// Bytes of the source blobs as last read (from the archive's source states); 0 when unknown.
    public var sourceBytes = 0
    /// Decompressed JSON bytes taken from those blobs.
    public var sourceJSONBytes = 0
    /// Source blobs the archive has a state for (standard input has none).
    public var sourceBlobs = 0
    /// Rejects a later run resolved (cut lines taken once complete).
    public var resolvedRejects = 0
    /// Records that repeat an earlier record exactly (delivery retries); `scan --distinct` leaves them out.
    public var duplicates = 0
    /// The most frequent phone numbers, with their record counts, most frequent first (ties in
    /// the order of the values).
    public var topPhoneNumbers: [(value: String, records: Int)] = []
    /// The most frequent countries, with their record counts, most frequent first (ties in the
    /// order of the values).
    public var topCountries: [(value: String, records: Int)] = []

    /// Gathers the statistics of an archive.
    ///
    /// - Parameters:
    ///   - archive: The archive, opened.
    ///   - topCount: How many phone numbers and countries to list in ``topPhoneNumbers`` and
    ///     ``topCountries``; 10 by default.
    /// - Throws: ``/SMSSupport/FormatError`` when a segment, a block or a source state is damaged;
    ///   ``/SMSSupport/FileError`` when a file cannot be read.
    public init(_ archive: ArchiveReader, topCount: Int = ArchiveStatistics.defaultTopCount) throws {
        columns = FieldSchema.columns.map { ColumnUsage(name: $0.name) }
        for (entry, segment) in zip(archive.manifest.segments, try archive.segments) {
            segments += 1
            records += entry.records
            rejects += entry.rejects
            bytesOnDisk += segment.size
            blocks += segment.blocks.count
            layouts += segment.layouts.count
            if let t = entry.minTime { minTime = min(minTime ?? t, t) }
            if let t = entry.maxTime { maxTime = max(maxTime ?? t, t) }
            var chunkBytes = 0
            for block in segment.columnarBlocks {
                filterBytes += block.filter.bits.count * 8
                linkBytes += block.links?.storedLength ?? 0
                for ref in block.chunks {
                    columns[ref.column].storedBytes += ref.chunk.storedLength
                    columns[ref.column].rawBytes += ref.chunk.rawLength
                    columns[ref.column].values += ref.valueCount
                    let name = ChunkEncodingID(rawValue: ref.chunk.encoding).map { "\($0)" } ?? "\(ref.chunk.encoding)"
                    columns[ref.column].encodings[name, default: 0] += 1
                    chunkBytes += ref.chunk.storedLength
                }
            }
            footerBytes += segment.size - chunkBytes - SegmentLayout.headerSize
        }
        let sources = try SourceLedger.load(archive: archive.path, manifest: archive.manifest)
        sourceBlobs = sources.count
        sourceBytes = sources.values.reduce(0) { $0 + $1.size }
        sourceJSONBytes = sources.values.reduce(0) { $0 + $1.consumed }
        // Reject entries, as `rejects --all` lists them (a cut line may have been rejected on more than one run).
        let resolved = try archive.resolvedRejects()
        if !resolved.isEmpty {
            var count = 0
            try archive.forEachReject { if resolved.contains(ResolvedLine(key: SourceState.key(for: $0.source), line: $0.line)) { count += 1 } }
            resolvedRejects = count
        }
        duplicates = try archive.duplicateCount()
        topPhoneNumbers = try Self.top(archive, column: "PhoneNumber", count: topCount)
        topCountries = try Self.top(archive, column: "Country", count: topCount)
    }

    /// How many top phone numbers and countries are listed by default, as `smsarchive info` does: 10.
    public static let defaultTopCount = 10

    /// The `count` most frequent values of a string column over the whole archive.
    package static func top(_ archive: ArchiveReader, column: String, count: Int) throws -> [(value: String, records: Int)] {
        guard let position = FieldSchema.column(named: column) else { return [] }
        var query = ScanQuery()
        query.columns = [Column(position: position)]
        var counts: [String: Int] = [:]
        try archive.scanBatches(query) { batch, rows in
            let (dictionary, ids) = batch.stringColumn(position)
            var perEntry = [Int](repeating: 0, count: dictionary.count)
            for row in rows where ids[row] >= 0 { perEntry[Int(ids[row])] += 1 }
            for (entry, n) in zip(dictionary, perEntry) where n > 0 { counts[entry, default: 0] += n }
            return true
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(max(0, count)).map { ($0.key, $0.value) }
    }
}
