import SMSRecords
import ParquetWriter

/// The columns of an exported Parquet file: `time` (TIMESTAMP, UTC; in nanoseconds the
/// archive's 100 ns ticks × 100, exact), one column per known field with its type
/// (strings UTF8, integers INT64), and `extra`, the JSON object of the members no
/// typed column holds. `category` and `date` are not in the files: they are the
/// partition folders' names (see `HivePartition`).
package enum ParquetExportSchema {
    /// The archive columns written as Parquet columns 1, 2, ... after `time`.
    package static let fieldColumns: [Int] = FieldSchema.columns.indices.filter { c in
        c != FieldSchema.category && c != FieldSchema.combined
            && (FieldSchema.columns[c].type == .string || FieldSchema.columns[c].type == .integer)
    }

    /// The name of the column of members outside the typed columns.
    package static let extraName = "extra"

    /// The Parquet position of `extra`, the last column.
    package static var extraPosition: Int { fieldColumns.count + 1 }

    /// The Parquet schema, with `time` in nanoseconds (exact) or microseconds (for readers
    /// without nanosecond timestamps, such as Spark).
    package static func schema(timeUnit: TimeUnit = .nanos) -> ParquetSchema {
        ParquetSchema(
        [.timestamp("time", unit: timeUnit, repetition: .required)]
            + fieldColumns.map { c -> ParquetColumn in
                let spec = FieldSchema.columns[c]
                return spec.type == .integer ? .int64(spec.name) : .string(spec.name)
            }
            + [.string(extraName)])
    }
}
