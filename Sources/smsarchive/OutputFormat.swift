import SMSRecords
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
        guard let position = FieldSchema.column(named: name) else { return nil }
        column = position
        self.name = FieldSchema.columns[position].name
    }

    static var allNames: [String] {
        ["time"] + FieldSchema.columns[FieldSchema.category..<FieldSchema.combined].map(\.name)
    }

    /// The columns of a `--fields` value (nil: each format's default; jsonl's is the whole record).
    static func parse(_ fields: String?, format: OutputFormat) throws -> [OutputField]? {
        guard let fields else { return format == .jsonl ? nil : defaults(for: format) }
        let names = fields.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        if names.isEmpty {
            throw ValidationError("--fields names no column; columns are: \(allNames.joined(separator: ", "))")
        }
        return try names.map { name in
            guard let field = OutputField(name: name) else {
                throw ValidationError("--fields: no column '\(name)'; columns are: \(allNames.joined(separator: ", "))")
            }
            return field
        }
    }

    static func defaults(for format: OutputFormat) -> [OutputField] {
        let names = format == .table
            ? ["time", "category", "operationName", "resultType", "PhoneNumber", "Country", "MessageId"]
            : allNames
        return names.compactMap(OutputField.init(name:))
    }

    /// The field's value in `row` as JSON, or nil when the record has none.
    func value(_ batch: RecordBatch, row: Int) throws -> JSONValue? {
        guard let column else { return .string(Timestamp(ticks: batch.times[row]).iso8601) }
        if FieldSchema.columns[column].type == .integer, let v = batch.integer(column, row: row) { return .number(String(v)) }
        if let s = batch.string(column, row: row) { return .string(s) }
        // Not in the typed column: a value of another JSON type lives in the residual.
        return try batch.memberValue(named: name, row: row)
    }

    /// The field's value in `row` as text (strings unquoted, other values as JSON), or nil when the record has
    /// none or has it as JSON null (an empty CSV field, as a missing one).
    func text(_ batch: RecordBatch, row: Int) throws -> String? {
        switch try value(batch, row: row) {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: return String(decoding: JSONWriter.bytes(of: other), as: UTF8.self)
        }
    }
}
