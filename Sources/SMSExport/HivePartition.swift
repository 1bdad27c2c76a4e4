import SMSRecords

/// The folder of a record in an export: `category=<category>/date=<YYYY-MM-DD>`, the
/// Hive layout that DuckDB, Spark, Trino and pyarrow read as partition columns.
package struct HivePartition: Hashable, Sendable {
    /// The value Hive, Spark and DuckDB read back as null: for records without a category.
    package static let defaultPartition = "__HIVE_DEFAULT_PARTITION__"

    /// The record's effective category, nil when it has none.
    package var category: String?
    /// The UTC day of the record's time, `YYYY-MM-DD`.
    package var date: String

    package init(category: String?, ticks: Int64) {
        self.category = category
        date = String(Timestamp(ticks: ticks).iso8601.prefix(10))
    }

    /// The folder, relative to the export's root.
    package var path: String {
        "category=" + Self.escape(category) + "/date=" + date
    }

    /// A partition value as Hive writes it in a path: characters unsafe in paths or
    /// in `key=value` as `%XX` (upper-case hex of each UTF-8 byte), which readers decode.
    package static func escape(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return defaultPartition }
        var out: [UInt8] = []
        for b in value.utf8 {
            if b < 0x20 || b == 0x7F || unsafe.contains(b) {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The category a `category=` folder name stands for (`.some(nil)` for the default
    /// partition), or nil when `name` is not such a folder.
    static func category(ofFolder name: String) -> String?? {
        guard name.hasPrefix("category=") else { return nil }
        let value = Array(name.utf8.dropFirst(9))
        if value == Array(defaultPartition.utf8) { return .some(nil) }
        var out: [UInt8] = []
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: "%"), i + 2 < value.count,
               let high = hexValue(value[i + 1]), let low = hexValue(value[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(value[i])
                i += 1
            }
        }
        return .some(String(decoding: out, as: UTF8.self))
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// The characters Hive's `FileUtils.escapePathName` escapes.
    private static let unsafe: Set<UInt8> = Set("\"#%'*/:=?\\{[]^".utf8)
    private static let hex = Array("0123456789ABCDEF".utf8)
}
