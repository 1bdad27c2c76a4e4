import SMSSupport

/// Decodes a chunk's values by its encoding id.
package enum ChunkDecoder {
    package static func integers(_ raw: [UInt8], encoding: ChunkEncodingID, count: Int, context: String) throws(FormatError) -> [Int64] {
        switch encoding {
        case .varint: return try VarintEncoding.decode(raw, count: count, context: context)
        case .deltaVarint: return try DeltaVarintEncoding.decode(raw, count: count, context: context)
        case .bitPacked: return try BitPackedEncoding.decode(raw, count: count, context: context)
        case .riceDelta: return try RiceDeltaEncoding.decode(raw, count: count, context: context)
        default: throw .damaged("\(context): encoding \(encoding) does not hold integers")
        }
    }

    /// What some string encodings need from other columns: the time of each value's
    /// row (`identifiers` kind 6), each value's linked value (`linkedStrings`; and identifiers'
    /// kind 7, version 5). Nil where the segment version does not allow them.
    package struct Inputs {
        package var rows: IdentifierEncoding.Rows?
        package var links: (() throws -> [Int32])?
        package var identifierLinks: (() throws -> [Int32])?
        /// For `linkedStrings` in version 5: the row links chunk's raw bytes (nil: none), and the
        /// column's row index; used instead of `links`.
        package var storedLinks: (() throws -> (bytes: [UInt8]?, rowIndex: [Int32], context: String))?

        package init(rows: IdentifierEncoding.Rows? = nil, links: (() throws -> [Int32])? = nil, identifierLinks: (() throws -> [Int32])? = nil) {
            self.rows = rows
            self.links = links
            self.identifierLinks = identifierLinks
        }
    }

    package static func strings(_ raw: [UInt8], encoding: ChunkEncodingID, count: Int, inputs: Inputs = Inputs(), context: String) throws -> StringChunk {
        switch encoding {
        case .plainStrings: return try PlainStringEncoding.decode(raw, count: count, context: context)
        case .dictionaryStrings: return try DictionaryStringEncoding.decode(raw, count: count, context: context)
        case .identifiers: return try IdentifierEncoding.decode(raw, count: count, linked: try inputs.identifierLinks?(), context: context)
        case .rowIdentifiers:
            guard let rows = inputs.rows else { throw FormatError.damaged("\(context): encoding \(encoding) before segment version 4") }
            return try IdentifierEncoding.decode(raw, count: count, rows: rows, linked: try inputs.identifierLinks?(), context: context)
        case .linkedStrings:
            if let stored = inputs.storedLinks {
                let (bytes, rowIndex, linksContext) = try stored()
                return try LinkedStringEncoding.decode(raw, count: count, rowLinks: bytes, rowIndex: rowIndex, context: context, linksContext: linksContext)
            }
            guard let links = inputs.links else { throw FormatError.damaged("\(context): encoding \(encoding) before segment version 4") }
            return try LinkedStringEncoding.decode(raw, count: count, links: try links(), context: context)
        default: throw FormatError.damaged("\(context): encoding \(encoding) does not hold strings")
        }
    }
}
