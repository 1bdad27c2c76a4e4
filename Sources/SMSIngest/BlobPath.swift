import SMSRecords

/// What an export blob's path says about its records: the category (from the
/// `insights-logs-<category>` or `am-<table>` container), the resource ID and the hour.
package struct BlobPath: Sendable, Equatable {
    /// The category named by the container, for example `smsoperational` or `usage`;
    /// for a workspace export's `am-<table>`, the table's category (see `WorkspaceTables`),
    /// else the table name.
    package var category: String?
    /// `/SUBSCRIPTIONS/…/COMMUNICATIONSERVICES/<name>` from the `resourceId=` part of the path
    /// (a workspace export's `WorkspaceResourceId=` names the workspace, not the resource: not taken).
    package var resourceId: String?
    /// The start of the hour named by `y=/m=/d=/h=`.
    package var hour: Timestamp?

    package init(category: String? = nil, resourceId: String? = nil, hour: Timestamp? = nil) {
        self.category = category
        self.resourceId = resourceId
        self.hour = hour
    }

    /// Reads what it can from `path`; parts it does not recognise are ignored.
    /// Runs once per blob of walks over a million files: works on bytes, without a string per part.
    package init(parsing path: String) {
        let bytes = Array(path.utf8)
        var y: Int64?, mo: Int64?, d: Int64?, h: Int64?
        // Where the parts after `resourceId=` begin, until the first time part.
        var resourceStart: Int?
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "/") { end += 1 }
            defer { start = end + 1 }
            let part = bytes[start..<end]
            if part.isEmpty { continue }
            if let (letter, value) = Self.timePartition(part) {
                switch letter {
                case UInt8(ascii: "y"):
                    y = value
                    if let from = resourceStart, from < start - 1 {
                        resourceId = "/" + String(decoding: bytes[from..<(start - 1)], as: UTF8.self)
                    }
                    resourceStart = nil
                case UInt8(ascii: "m"): if mo == nil { mo = value }
                case UInt8(ascii: "d"): d = value
                default: h = value
                }
            } else if Self.hasPrefix(part, "insights-logs-") {
                category = String(decoding: part.dropFirst(14), as: UTF8.self)
            } else if Self.hasPrefix(part, "am-") && category == nil {
                let table = String(decoding: part.dropFirst(3), as: UTF8.self)
                category = WorkspaceTables.category(ofTable: table) ?? table
            } else if part.count == 11 && Self.hasPrefix(part, "resourceid=") {
                resourceStart = end + 1
            }
        }
        if let y, let mo, let d, let h, (1...12).contains(mo), (1...31).contains(d), (0..<24).contains(h) {
            hour = Timestamp(ticks: (daysFromCivil(y, mo, d) * 24 + h) * 3600 * Timestamp.ticksPerSecond)
        }
    }

    /// A time folder's letter (lowercase `y`, `m`, `d` or `h`) and number, for names
    /// such as `y=2026`, `m=05`, `H=23`; nil for any other name.
    package static func timePartition(_ part: ArraySlice<UInt8>) -> (letter: UInt8, value: Int64)? {
        guard part.count >= 3, part.count <= 8, part[part.startIndex + 1] == UInt8(ascii: "=") else { return nil }
        let letter = part[part.startIndex] | 0x20
        guard letter == UInt8(ascii: "y") || letter == UInt8(ascii: "m") || letter == UInt8(ascii: "d") || letter == UInt8(ascii: "h") else {
            return nil
        }
        var value: Int64 = 0
        for byte in part.dropFirst(2) {
            guard byte &- 0x30 < 10 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return (letter, value)
    }

    /// Whether `part` starts with `prefix` (lowercase ASCII), ignoring ASCII case.
    private static func hasPrefix(_ part: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        guard part.count >= prefix.utf8CodeUnitCount else { return false }
        let p = prefix.utf8Start
        for (i, byte) in part.prefix(prefix.utf8CodeUnitCount).enumerated() {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if lower != p[i] { return false }
        }
        return true
    }
}
