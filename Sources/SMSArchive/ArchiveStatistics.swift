import SMSFormat
import SMSRecords

/// What an archive holds and where its bytes go: for `info` and for tuning encodings.
public struct ArchiveStatistics: Sendable {
    public struct ColumnUsage: Sendable {
        public var name: String
        /// Bytes stored (compressed) over all blocks.
        public var storedBytes = 0
        /// Bytes before compression.
        public var rawBytes = 0
        public var values = 0
        /// How many chunks chose each encoding.
        public var encodings: [String: Int] = [:]
    }

    public var records = 0
    public var rejects = 0
    public var segments = 0
    public var blocks = 0
    public var bytesOnDisk = 0
    public var minTime: Timestamp?
    public var maxTime: Timestamp?
    /// Bytes of footers (block index, layouts, Bloom filters) and rejects.
    public var footerBytes = 0
    public var filterBytes = 0
    public var layouts = 0
    public var columns: [ColumnUsage] = []
    /// Bytes of the source blobs as last read (from the archive's source states); 0 when unknown.
    public var sourceBytes = 0
    /// Decompressed JSON bytes taken from those blobs.
    public var sourceJSONBytes = 0
    public var sourceBlobs = 0
    /// Rejects a later run resolved (cut lines taken once complete).
    public var resolvedRejects = 0
    /// Records that repeat an earlier record exactly (delivery retries); `scan --distinct` leaves them out.
    public var duplicates = 0
    /// The most frequent phone numbers and countries, with their record counts.
    public var topPhoneNumbers: [(value: String, records: Int)] = []
    public var topCountries: [(value: String, records: Int)] = []

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
            resolvedRejects = try archive.rejects().count { resolved.contains(ResolvedLine(key: SourceState.key(for: $0.source), line: $0.line)) }
        }
        duplicates = try archive.duplicateCount()
        topPhoneNumbers = try Self.top(archive, column: "PhoneNumber", count: topCount)
        topCountries = try Self.top(archive, column: "Country", count: topCount)
    }

    /// How many top values `info` lists.
    public static let defaultTopCount = 10

    /// The `count` most frequent values of a string column over the whole archive.
    package static func top(_ archive: ArchiveReader, column: String, count: Int) throws -> [(value: String, records: Int)] {
        guard let position = FieldSchema.column(named: column) else { return [] }
        var query = ScanQuery()
        query.columns = [position]
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
