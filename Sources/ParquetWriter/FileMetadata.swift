/// Column chunk statistics (`Statistics` in parquet.thrift): min and max in the
/// column's type-defined order, as PLAIN bytes without length prefix.
struct ColumnStatistics {
    var nullCount: Int64
    var minValue: [UInt8]?
    var maxValue: [UInt8]?

    func write(_ id: Int16, to thrift: inout ThriftCompactWriter) {
        thrift.beginStruct(id)
        thrift.i64(3, nullCount)
        if let maxValue { thrift.binary(5, maxValue) }
        if let minValue { thrift.binary(6, minValue) }
        thrift.endStruct()
    }
}

/// What the footer says of one column chunk (`ColumnChunk` and `ColumnMetaData`).
struct ColumnChunkMetadata {
    var type: PhysicalType
    var encodings: [Encoding]
    var path: String
    var codec: Int32
    var values: Int64
    var uncompressedSize: Int64
    var compressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: ColumnStatistics?

    /// The offset of the chunk's first page.
    var startOffset: Int64 { dictionaryPageOffset ?? dataPageOffset }

    func write(to thrift: inout ThriftCompactWriter) {
        thrift.beginStruct()                                  // ColumnChunk
        thrift.i64(2, 0)                                      // file_offset: deprecated, 0 as the spec asks
        thrift.beginStruct(3)                                 // ColumnMetaData
        thrift.i32(1, type.rawValue)
        thrift.beginList(2, of: .i32, count: encodings.count)
        for e in encodings { thrift.element(i32: e.rawValue) }
        thrift.beginList(3, of: .binary, count: 1)
        thrift.element(string: path)
        thrift.i32(4, codec)
        thrift.i64(5, values)
        thrift.i64(6, uncompressedSize)
        thrift.i64(7, compressedSize)
        thrift.i64(9, dataPageOffset)
        if let dictionaryPageOffset { thrift.i64(11, dictionaryPageOffset) }
        statistics?.write(12, to: &thrift)
        thrift.endStruct()
        thrift.endStruct()
    }
}

/// What the footer says of one row group (`RowGroup`).
struct RowGroupMetadata {
    var columns: [ColumnChunkMetadata]
    var rows: Int64
    var ordinal: Int16

    func write(to thrift: inout ThriftCompactWriter) {
        thrift.beginStruct()
        thrift.beginList(1, of: .struct, count: columns.count)
        for c in columns { c.write(to: &thrift) }
        thrift.i64(2, columns.reduce(0) { $0 + $1.uncompressedSize })
        thrift.i64(3, rows)
        if let first = columns.first { thrift.i64(5, first.startOffset) }
        thrift.i64(6, columns.reduce(0) { $0 + $1.compressedSize })
        thrift.i16(7, ordinal)
        thrift.endStruct()
    }
}

/// The footer (`FileMetaData`).
struct FileMetadata {
    var schema: ParquetSchema
    var rowGroups: [RowGroupMetadata]
    var keyValues: [(key: String, value: String)]
    var createdBy: String

    func encoded() -> [UInt8] {
        var thrift = ThriftCompactWriter()
        thrift.i32(1, 2)                                      // version
        schema.write(2, to: &thrift)
        thrift.i64(3, rowGroups.reduce(0) { $0 + $1.rows })
        thrift.beginList(4, of: .struct, count: rowGroups.count)
        for g in rowGroups { g.write(to: &thrift) }
        if !keyValues.isEmpty {
            thrift.beginList(5, of: .struct, count: keyValues.count)
            for (key, value) in keyValues {
                thrift.beginStruct()
                thrift.string(1, key)
                thrift.string(2, value)
                thrift.endStruct()
            }
        }
        thrift.string(6, createdBy)
        // Statistics min/max follow each type's defined order (byte-wise for strings, signed for integers).
        thrift.beginList(7, of: .struct, count: schema.columns.count)
        for _ in schema.columns {
            thrift.beginStruct()                              // ColumnOrder union
            thrift.emptyStruct(1)                             // TYPE_ORDER
            thrift.endStruct()
        }
        thrift.endMessage()
        return thrift.bytes
    }
}
