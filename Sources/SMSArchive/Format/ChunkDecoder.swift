/// Decodes a chunk's values by its encoding id.
enum ChunkDecoder {
    static func integers(_ raw: [UInt8], encoding: ChunkEncodingID, count: Int, context: String) throws(FormatError) -> [Int64] {
        switch encoding {
        case .varint: return try VarintEncoding.decode(raw, count: count, context: context)
        case .deltaVarint: return try DeltaVarintEncoding.decode(raw, count: count, context: context)
        case .bitPacked: return try BitPackedEncoding.decode(raw, count: count, context: context)
        case .riceDelta: return try RiceDeltaEncoding.decode(raw, count: count, context: context)
        default: throw .damaged("\(context): encoding \(encoding) does not hold integers")
        }
    }

    static func strings(_ raw: [UInt8], encoding: ChunkEncodingID, count: Int, context: String) throws(FormatError) -> StringChunk {
        switch encoding {
        case .plainStrings: return try PlainStringEncoding.decode(raw, count: count, context: context)
        case .dictionaryStrings: return try DictionaryStringEncoding.decode(raw, count: count, context: context)
        case .identifiers: return try IdentifierEncoding.decode(raw, count: count, context: context)
        default: throw .damaged("\(context): encoding \(encoding) does not hold strings")
        }
    }
}
