/// Field names the archive understands, matched ignoring ASCII case.
enum KnownFields {
    /// Candidate names of the time field, in order of preference.
    static let time = ["time", "TimeGenerated", "timestamp"]
    static let category = "category"
    /// Names of the resource ID: storage exports write `resourceId`, workspace exports `_ResourceId`.
    static let resourceId = ["resourceId", "_ResourceId"]
    /// The table name a workspace export writes in each row.
    static let table = "Type"
    static let properties = "properties"
}

extension JSONObject {
    /// The first member whose key matches one of `names` (ASCII case ignored), trying names in order.
    func firstMember(namedAnyOf names: [String]) -> JSONMember? {
        for name in names {
            if let m = member(named: name) { return m }
        }
        return nil
    }
}
