import ArgumentParser
import SMSArchive

/// How `scan` prints records.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl
    case csv
    case table
}

/// A column `scan` can print: the record time, or a schema column.
struct OutputField {
    /// The schema column, or nil for the time.
    var column: Int?
    var name: String

    init?(name: String) {
        if asciiCaseInsensitiveEquals(name, "time") {
            column = nil
            self.name = "time"
            return
        }
        guard let position = FieldSchema.columns.indices.first(where: {
            $0 >= FieldSchema.category && asciiCaseInsensitiveEquals(FieldSchema.columns[$0].name, name)
        }) else { return nil }
        column = position
        self.name = FieldSchema.columns[position].name
    }

    static var allNames: [String] {
        ["time"] + FieldSchema.columns[FieldSchema.category...].map(\.name)
    }

    static func defaults(for format: OutputFormat) -> [OutputField] {
        let names = format == .table
            ? ["time", "category", "operationName", "resultType", "PhoneNumber", "Country", "MessageId"]
            : allNames
        return names.compactMap(OutputField.init(name:))
    }

    /// The field's value in `row`, as text, or nil when the record has none.
    func text(_ batch: RecordBatch, row: Int) -> String? {
        guard let column else { return Timestamp(ticks: batch.times[row]).iso8601 }
        if FieldSchema.columns[column].type == .integer { return batch.integer(column, row: row).map { String($0) } }
        return batch.string(column, row: row)
    }
}
