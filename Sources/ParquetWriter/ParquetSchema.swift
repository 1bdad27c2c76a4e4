/// Physical types of Parquet values (`Type` in parquet.thrift) that this writer writes.
public enum PhysicalType: Int32, Sendable {
    /// 32-bit signed integers, 4 bytes little-endian.
    case int32 = 1
    /// 64-bit signed integers, 8 bytes little-endian.
    case int64 = 2
    /// Variable-length bytes (strings, JSON).
    case byteArray = 6
}

/// Whether a column may hold nulls (`FieldRepetitionType` in parquet.thrift).
public enum Repetition: Int32, Sendable {
    /// Every row has a value: the pages carry no definition levels.
    case required = 0
    /// A row may have no value: definition level 1 marks a value, 0 a null.
    case optional = 1
}

/// Units of timestamps (`TimeUnit` in parquet.thrift).
public enum TimeUnit: Sendable, Equatable {
    /// Milliseconds.
    case millis
    /// Microseconds.
    case micros
    /// Nanoseconds (LogicalType only: there is no ConvertedType for them).
    case nanos

    /// The field id of the unit in the `TimeUnit` union.
    var unionField: Int16 {
        switch self {
        case .millis: return 1
        case .micros: return 2
        case .nanos: return 3
        }
    }
}

/// How readers should interpret a column's physical values (`LogicalType` in
/// parquet.thrift; LogicalTypes.md in https://github.com/apache/parquet-format).
public enum LogicalType: Sendable, Equatable {
    /// UTF-8 text in BYTE_ARRAY.
    case string
    /// UTF-8 JSON text in BYTE_ARRAY.
    case json
    /// An instant (when adjusted to UTC) in INT64 units since 1970.
    case timestamp(unit: TimeUnit, adjustedToUTC: Bool)
    /// An integer of `bitWidth` bits (8, 16, 32 or 64) in INT32 or INT64.
    case integer(bitWidth: Int8, signed: Bool)

    /// The deprecated `ConvertedType` that older readers understand, when there is one.
    var convertedType: Int32? {
        switch self {
        case .string: return 0                                  // UTF8
        case .json: return 19                                   // JSON
        case .timestamp(.millis, _): return 9                   // TIMESTAMP_MILLIS
        case .timestamp(.micros, _): return 10                  // TIMESTAMP_MICROS
        case .timestamp(.nanos, _): return nil                  // none exists
        case .integer(let bits, let signed):
            let offset: Int32 = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3
            return (signed ? 15 : 11) + offset                  // INT_8... or UINT_8...
        }
    }

    /// Writes the `LogicalType` union as field `id`.
    func write(_ id: Int16, to thrift: inout ThriftCompactWriter) {
        thrift.beginStruct(id)
        switch self {
        case .string:
            thrift.emptyStruct(1)
        case .json:
            thrift.emptyStruct(12)
        case .timestamp(let unit, let utc):
            thrift.beginStruct(8)
            thrift.bool(1, utc)
            thrift.beginStruct(2)
            thrift.emptyStruct(unit.unionField)
            thrift.endStruct()
            thrift.endStruct()
        case .integer(let bits, let signed):
            thrift.beginStruct(10)
            thrift.byte(1, bits)
            thrift.bool(2, signed)
            thrift.endStruct()
        }
        thrift.endStruct()
    }
}

/// One leaf column of a flat schema.
public struct ParquetColumn: Sendable, Equatable {
    /// The column's name (and its one-element path).
    public var name: String
    /// How values are stored.
    public var type: PhysicalType
    /// How readers interpret the stored values, if more than the physical type says.
    public var logicalType: LogicalType?
    /// Whether nulls are allowed.
    public var repetition: Repetition

    /// A column of `name` storing `type`, read as `logicalType`.
    public init(name: String, type: PhysicalType, logicalType: LogicalType? = nil, repetition: Repetition = .optional) {
        self.name = name
        self.type = type
        self.logicalType = logicalType
        self.repetition = repetition
    }

    /// An optional UTF-8 string column.
    public static func string(_ name: String, repetition: Repetition = .optional) -> ParquetColumn {
        ParquetColumn(name: name, type: .byteArray, logicalType: .string, repetition: repetition)
    }

    /// An optional signed 64-bit integer column.
    public static func int64(_ name: String, repetition: Repetition = .optional) -> ParquetColumn {
        ParquetColumn(name: name, type: .int64, logicalType: .integer(bitWidth: 64, signed: true), repetition: repetition)
    }

    /// A UTC timestamp column in INT64 `unit`s since 1970.
    public static func timestamp(_ name: String, unit: TimeUnit, repetition: Repetition = .optional) -> ParquetColumn {
        ParquetColumn(name: name, type: .int64, logicalType: .timestamp(unit: unit, adjustedToUTC: true), repetition: repetition)
    }
}

/// A flat schema: a root group of leaf columns (no nesting, no repeated fields).
public struct ParquetSchema: Sendable, Equatable {
    /// The leaf columns, in file order.
    public var columns: [ParquetColumn]

    /// A schema of `columns`, whose names must be unique.
    public init(_ columns: [ParquetColumn]) {
        precondition(Set(columns.map(\.name)).count == columns.count, "column names must be unique")
        self.columns = columns
    }

    /// Writes the `schema` list of `FileMetaData` (field `id`): the root, then each leaf, depth first.
    func write(_ id: Int16, to thrift: inout ThriftCompactWriter) {
        thrift.beginList(id, of: .struct, count: columns.count + 1)
        thrift.beginStruct()
        thrift.string(4, "schema")
        thrift.i32(5, Int32(columns.count))
        thrift.endStruct()
        for column in columns {
            thrift.beginStruct()
            thrift.i32(1, column.type.rawValue)
            thrift.i32(3, column.repetition.rawValue)
            thrift.string(4, column.name)
            if let converted = column.logicalType?.convertedType { thrift.i32(6, converted) }
            column.logicalType?.write(10, to: &thrift)
            thrift.endStruct()
        }
    }
}
