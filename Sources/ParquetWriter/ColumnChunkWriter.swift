/// Buffers one column's values for the row group being filled, then writes them as a
/// column chunk: for strings a dictionary page and RLE_DICTIONARY data pages (PLAIN
/// when the dictionary grows past its limit, as for unique ids), for integers PLAIN
/// data pages. Data pages are v1: definition levels (optional columns only), then values.
final class ColumnChunkWriter {
    let column: ParquetColumn
    private(set) var rows = 0
    /// Per row: 1 when it has a value, 0 when null (optional columns only).
    private var levels: [UInt32] = []
    private var integers: [Int64] = []
    private var dictionary = ByteArrayDictionary()
    private var ids: [UInt32] = []
    /// A rough count of the memory the buffered values take, to bound row groups by size.
    private(set) var bufferedBytes = 0

    /// Statistics min and max are left out for strings longer than this (the null count stays).
    static let maxStatisticsBytes = 256

    init(column: ParquetColumn) {
        self.column = column
    }

    private var isOptional: Bool { column.repetition == .optional }

    func append(int64 value: Int64?) {
        precondition(column.type != .byteArray, "column \(column.name) holds strings")
        rows += 1
        if let value {
            integers.append(value)
            if isOptional { levels.append(1) }
            bufferedBytes += 8
        } else {
            precondition(isOptional, "null in required column \(column.name)")
            levels.append(0)
        }
    }

    func append(string value: String?) {
        precondition(column.type == .byteArray, "column \(column.name) holds integers")
        rows += 1
        if let value {
            let before = dictionary.plainSize
            ids.append(dictionary.id(for: value))
            if isOptional { levels.append(1) }
            bufferedBytes += 4 + dictionary.plainSize - before
        } else {
            precondition(isOptional, "null in required column \(column.name)")
            levels.append(0)
        }
    }

    /// The column chunk's pages, to be written at file offset `offset`, and its footer entry.
    func encode(at offset: Int64, options: ParquetFileWriter.Options) -> (bytes: [UInt8], metadata: ColumnChunkMetadata) {
        var out: [UInt8] = []
        var uncompressed = 0
        func appendPage(_ kind: PageHeader.Kind, body: [UInt8]) {
            let compressed = options.compression.compress(body)
            let header = PageHeader(kind: kind, uncompressedSize: body.count, compressedSize: compressed.count).encoded()
            out.append(contentsOf: header)
            out.append(contentsOf: compressed)
            uncompressed += header.count + body.count
        }

        let useDictionary = column.type == .byteArray && dictionary.plainSize <= options.dictionaryPageLimit
        var dictionaryOffset: Int64?
        if useDictionary {
            dictionaryOffset = offset
            appendPage(.dictionary(entries: dictionary.count), body: dictionary.plainEncoded())
        }
        let dataOffset = offset + Int64(out.count)
        let valueEncoding: Encoding = useDictionary ? .rleDictionary : .plain
        let indexWidth = RLEBitPackedHybrid.bitWidth(forMaxValue: UInt32(max(0, dictionary.count - 1)))
        var nextValue = 0
        for pageStart in stride(from: 0, to: rows, by: options.pageRows) {
            let pageEnd = min(rows, pageStart + options.pageRows)
            var body: [UInt8] = []
            var values = pageEnd - pageStart
            if isOptional {
                let pageLevels = Array(levels[pageStart..<pageEnd])
                body.append(contentsOf: RLEBitPackedHybrid.encodeWithLengthPrefix(pageLevels, bitWidth: 1))
                values = pageLevels.reduce(0) { $0 + Int($1) }
            }
            let range = nextValue..<(nextValue + values)
            nextValue += values
            switch (column.type, useDictionary) {
            case (.int64, _):
                for v in integers[range] { PlainEncoding.append(int64: v, to: &body) }
            case (.int32, _):
                for v in integers[range] { PlainEncoding.append(int32: Int32(truncatingIfNeeded: v), to: &body) }
            case (.byteArray, true):
                body.append(UInt8(indexWidth))
                body.append(contentsOf: RLEBitPackedHybrid.encode(Array(ids[range]), bitWidth: indexWidth))
            case (.byteArray, false):
                for id in ids[range] { PlainEncoding.append(byteArray: dictionary.entries[Int(id)].utf8, to: &body) }
            }
            appendPage(.data(values: pageEnd - pageStart, encoding: valueEncoding), body: body)
        }

        let metadata = ColumnChunkMetadata(
            type: column.type,
            encodings: useDictionary ? [.plain, .rle, .rleDictionary] : [.plain, .rle],
            path: column.name,
            codec: options.compression.codec,
            values: Int64(rows),
            uncompressedSize: Int64(uncompressed),
            compressedSize: Int64(out.count),
            dataPageOffset: dataOffset,
            dictionaryPageOffset: dictionaryOffset,
            statistics: statistics())
        return (out, metadata)
    }

    private func statistics() -> ColumnStatistics {
        let nonNull = column.type == .byteArray ? ids.count : integers.count
        var stats = ColumnStatistics(nullCount: Int64(rows - nonNull))
        switch column.type {
        case .int64, .int32:
            guard let low = integers.min(), let high = integers.max() else { break }
            if column.type == .int64 {
                stats.minValue = PlainEncoding.bytes(int64: low)
                stats.maxValue = PlainEncoding.bytes(int64: high)
            } else {
                var l: [UInt8] = [], h: [UInt8] = []
                PlainEncoding.append(int32: Int32(truncatingIfNeeded: low), to: &l)
                PlainEncoding.append(int32: Int32(truncatingIfNeeded: high), to: &h)
                stats.minValue = l
                stats.maxValue = h
            }
        case .byteArray:
            guard let (low, high) = dictionary.bounds(),
                  low.utf8.count <= Self.maxStatisticsBytes, high.utf8.count <= Self.maxStatisticsBytes else { break }
            stats.minValue = Array(low.utf8)
            stats.maxValue = Array(high.utf8)
        }
        return stats
    }

    /// Empties the buffers for the next row group.
    func reset() {
        rows = 0
        levels.removeAll(keepingCapacity: true)
        integers.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        dictionary.removeAll()
        bufferedBytes = 0
    }
}
