import SMSArchive
import SMSExport
import SMSRecords

/// A column of the Arrow schema the library hands out: the Parquet export's columns (`time`, the typed
/// fields, `extra`), then `category`, and `record` when asked for (see include/smsarchive.h).
enum OutputColumn: Hashable {
    case time
    /// A typed field, by its archive column position: text or integer.
    case field(Int)
    case extra
    case category
    case record

    /// Every column but `record`, in the order of the Parquet export.
    static let defaults: [OutputColumn] = [.time] + ParquetExportSchema.fieldColumns.map(OutputColumn.field) + [.extra, .category]

    /// Every column there is.
    static let all: [OutputColumn] = defaults + [.record]

    var name: String {
        switch self {
        case .time: return "time"
        case .field(let c): return FieldSchema.columns[c].name
        case .extra: return ParquetExportSchema.extraName
        case .category: return "category"
        case .record: return "record"
        }
    }

    /// The Arrow C data interface format string.
    var format: String {
        switch self {
        case .time: return "tsn:UTC"
        case .field(let c): return FieldSchema.columns[c].type == .integer ? "l" : "u"
        case .extra, .category, .record: return "u"
        }
    }

    var nullable: Bool { self != .time }

    /// The column named `name`, ignoring ASCII letter case.
    static func named(_ name: String) throws -> OutputColumn {
        guard let column = all.first(where: { asciiCaseInsensitiveEquals($0.name, name) }) else {
            throw SMSArchiveCError("no column named \"\(name)\"; the columns are " + all.map(\.name).joined(separator: ", "))
        }
        return column
    }
}
