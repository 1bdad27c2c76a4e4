import SMSSupport
/// The value type a column holds.
package enum ColumnType: UInt8, Sendable {
    /// Record time as Int64 ticks.
    case time = 0
    /// Strings.
    case string = 1
    /// Int64 values written in JSON as canonical integers.
    case integer = 2
    /// Per-row template ids (see `RecordLayout`).
    case layout = 3
    /// Per-row JSON text of members outside the schema.
    case residual = 4
    /// Several low-cardinality columns of a block stored together (see `CombinedEncoding`).
    case combined = 5
}

/// One column of the version-2 schema.
package struct ColumnSpec: Sendable, Equatable {
    package var name: String
    package var type: ColumnType

    package init(name: String, type: ColumnType) {
        self.name = name
        self.type = type
    }
}

/// The columns of a version-2 block, by position. Fields of SMS Operational and
/// Usage records (top level or under `properties`, any letter case) each have a
/// column; everything else goes to the residual column, so nothing is lost.
package enum FieldSchema {
    package static let time = 0
    package static let layout = 1
    package static let residual = 2
    /// The effective category: the record's `category`, else the blob path's.
    @usableFromInline package static let category = 3
    /// The effective resource ID: the record's `resourceId`, else the blob path's.
    @usableFromInline package static let resourceId = 4

    /// Whether `column` is the effective category or resource ID: every row has a value there (empty
    /// when unknown), the record's own else its blob path's, and a record member of that name must
    /// equal it to be stored in the column.
    @inlinable package static func isEffective(_ column: Int) -> Bool { column == category || column == resourceId }

    package static let columns: [ColumnSpec] = [
        ColumnSpec(name: "time", type: .time),
        ColumnSpec(name: "layout", type: .layout),
        ColumnSpec(name: "residual", type: .residual),
        ColumnSpec(name: "category", type: .string),
        ColumnSpec(name: "resourceId", type: .string),
        ColumnSpec(name: "operationName", type: .string),
        ColumnSpec(name: "operationVersion", type: .string),
        ColumnSpec(name: "resultType", type: .string),
        ColumnSpec(name: "resultSignature", type: .integer),
        ColumnSpec(name: "resultDescription", type: .string),
        ColumnSpec(name: "durationMs", type: .integer),
        ColumnSpec(name: "callerIpAddress", type: .string),
        ColumnSpec(name: "correlationId", type: .string),
        ColumnSpec(name: "level", type: .string),
        ColumnSpec(name: "location", type: .string),
        ColumnSpec(name: "URI", type: .string),
        ColumnSpec(name: "OutgoingMessageLength", type: .integer),
        ColumnSpec(name: "IncomingMessageLength", type: .integer),
        ColumnSpec(name: "DeliveryAttempts", type: .integer),
        ColumnSpec(name: "PhoneNumber", type: .string),
        ColumnSpec(name: "NumberType", type: .string),
        ColumnSpec(name: "SdkType", type: .string),
        ColumnSpec(name: "PlatformType", type: .string),
        ColumnSpec(name: "Method", type: .string),
        ColumnSpec(name: "MessageId", type: .string),
        ColumnSpec(name: "Country", type: .string),
        ColumnSpec(name: "RecordId", type: .string),
        ColumnSpec(name: "UsageType", type: .string),
        ColumnSpec(name: "UnitType", type: .string),
        ColumnSpec(name: "Quantity", type: .integer),
        ColumnSpec(name: "Direction", type: .string),
        ColumnSpec(name: "combined", type: .combined),
    ]

    /// The pseudo-column of a block's combined chunk.
    package static let combined = columns.count - 1

    /// The correlationId column.
    package static let correlationId = column(named: "correlationId")!

    /// Columns whose values go into each block's Bloom filter in segment versions 2 to 4.
    package static let filtered: [Int] = [column(named: "PhoneNumber")!, column(named: "MessageId")!]

    /// Columns whose values go into each block's Bloom filter in a segment of `version`: from
    /// version 5 also correlationId, so that a lookup by it skips blocks as one by MessageId does.
    package static func filtered(version: UInt32) -> [Int] {
        version >= SegmentVersion.columnsAlone ? filtered + [correlationId] : filtered
    }

    /// The name of the member holding the other fields in the storage shape.
    package static let propertiesKey = "properties"

    /// Open-addressing table from a key's ASCII-lowercase hash to its column: field
    /// lookups run for every member of every record, and `String` hashing is slow.
    private static let lookup: [Int16] = {
        var table = [Int16](repeating: -1, count: lookupSize)
        for (i, c) in columns.enumerated() where i >= category && i != combined {
            var slot = Int(lowercaseHash(c.name) & UInt64(lookupSize - 1))
            while table[slot] >= 0 { slot = (slot + 1) & (lookupSize - 1) }
            table[slot] = Int16(i)
        }
        return table
    }()
    private static let lookupSize = 256

    private static func lowercaseHash(_ s: String) -> UInt64 {
        withUTF8(s) { lowercaseHash(utf8: $0) }
    }

    private static func lowercaseHash(utf8: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in utf8 { h = (h ^ UInt64(b | 0x20)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The column of a member named `key` (ASCII case ignored), if the schema has one.
    /// `_ResourceId` (workspace exports) is another name of `resourceId`.
    package static func column(named key: String) -> Int? {
        withUTF8(key) { column(utf8: $0) }
    }

    /// `column(named:)` for a key given as UTF-8.
    package static func column(utf8 key: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Int(lowercaseHash(utf8: key) & UInt64(lookupSize - 1))
        while true {
            let column = lookup[slot]
            if column < 0 { return asciiCaseInsensitiveEquals(key, resourceIdAlias) ? resourceId : nil }
            if asciiCaseInsensitiveEquals(key, lowercaseNames[Int(column)]) { return Int(column) }
            slot = (slot + 1) & (lookupSize - 1)
        }
    }

    private static let resourceIdAlias = Array("_resourceid".utf8)
    private static let lowercaseNames: [[UInt8]] = columns.map { Array($0.name.lowercased().utf8) }
}

/// Whether `key` equals `lowercase` (ASCII, lowercase) ignoring ASCII case.
@inline(__always)
package func asciiCaseInsensitiveEquals(_ key: UnsafeBufferPointer<UInt8>, _ lowercase: [UInt8]) -> Bool {
    guard key.count == lowercase.count else { return false }
    for i in 0..<key.count {
        let b = key[i], l = lowercase[i]
        if b != l {
            // Only letters may differ, and only in case.
            guard b | 0x20 == l, l >= 0x61, l <= 0x7A else { return false }
        }
    }
    return true
}
