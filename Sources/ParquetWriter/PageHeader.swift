/// Encodings as numbered in parquet.thrift (`Encoding`).
enum Encoding: Int32 {
    case plain = 0
    case rle = 3
    case rleDictionary = 8
}

/// The `PageHeader` that precedes every page of a column chunk (parquet.thrift).
struct PageHeader {
    enum Kind {
        /// A v1 data page: levels (each with its length prefix) and values, compressed together.
        case data(values: Int, encoding: Encoding)
        /// The dictionary page: PLAIN-encoded entries.
        case dictionary(entries: Int)
    }

    var kind: Kind
    var uncompressedSize: Int
    var compressedSize: Int

    /// The header in the compact protocol.
    func encoded() -> [UInt8] {
        var thrift = ThriftCompactWriter()
        switch kind {
        case .data(let values, let encoding):
            thrift.i32(1, 0)                                // DATA_PAGE
            thrift.i32(2, Int32(uncompressedSize))
            thrift.i32(3, Int32(compressedSize))
            thrift.beginStruct(5)                          // DataPageHeader
            thrift.i32(1, Int32(values))
            thrift.i32(2, encoding.rawValue)
            thrift.i32(3, Encoding.rle.rawValue)           // definition levels
            thrift.i32(4, Encoding.rle.rawValue)           // repetition levels (none: flat schema)
            thrift.endStruct()
        case .dictionary(let entries):
            thrift.i32(1, 2)                                // DICTIONARY_PAGE
            thrift.i32(2, Int32(uncompressedSize))
            thrift.i32(3, Int32(compressedSize))
            thrift.beginStruct(7)                          // DictionaryPageHeader
            thrift.i32(1, Int32(entries))
            thrift.i32(2, Encoding.plain.rawValue)
            thrift.endStruct()
        }
        thrift.endMessage()
        return thrift.bytes
    }
}
