/// What an export blob's path says about its records: the category (from the
/// `insights-logs-<category>` or `am-<table>` container), the resource ID and the hour.
public struct BlobPath: Sendable, Equatable {
    /// The category named by the container, for example `smsoperational` or `usage`;
    /// for a workspace export's `am-<table>`, the table's category (see `WorkspaceTables`),
    /// else the table name.
    public var category: String?
    /// `/SUBSCRIPTIONS/…/COMMUNICATIONSERVICES/<name>` from the `resourceId=` part of the path
    /// (a workspace export's `WorkspaceResourceId=` names the workspace, not the resource: not taken).
    public var resourceId: String?
    /// The start of the hour named by `y=/m=/d=/h=`.
    public var hour: Timestamp?

    public init(category: String? = nil, resourceId: String? = nil, hour: Timestamp? = nil) {
        self.category = category
        self.resourceId = resourceId
        self.hour = hour
    }

    /// Reads what it can from `path`; parts it does not recognise are ignored.
    public init(parsing path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var y: Int64?, mo: Int64?, d: Int64?, h: Int64?
        var resourceParts: [String]?
        for part in parts {
            let lower = part.lowercased()
            if lower.hasPrefix("insights-logs-") {
                category = String(part.dropFirst("insights-logs-".count))
            } else if lower.hasPrefix("am-") && category == nil {
                let table = String(part.dropFirst(3))
                category = WorkspaceTables.category(ofTable: table) ?? table
            } else if lower == "resourceid=" {
                resourceParts = []
                continue
            }
            if let value = Self.keyed(lower, "y") { y = value; resourceParts.map { resourceId = "/" + $0.joined(separator: "/") }; resourceParts = nil }
            else if let value = Self.keyed(lower, "m") { if mo == nil { mo = value } }
            else if let value = Self.keyed(lower, "d") { d = value }
            else if let value = Self.keyed(lower, "h") { h = value }
            else if resourceParts != nil { resourceParts!.append(part) }
        }
        if let y, let mo, let d, let h, (1...12).contains(mo), (1...31).contains(d), (0..<24).contains(h) {
            hour = Timestamp(ticks: (daysFromCivil(y, mo, d) * 24 + h) * 3600 * Timestamp.ticksPerSecond)
        }
    }

    private static func keyed(_ part: String, _ key: String) -> Int64? {
        guard part.hasPrefix(key + "=") else { return nil }
        return Int64(part.dropFirst(key.count + 1))
    }
}
