/// Field names the archive understands, matched ignoring ASCII case.
package enum KnownFields {
    /// Candidate names of the time field, in order of preference.
    package static let time = ["time", "TimeGenerated", "timestamp"]
    package static let category = "category"
    /// Names of the resource ID: storage exports write `resourceId`, workspace exports `_ResourceId`.
    package static let resourceId = ["resourceId", "_ResourceId"]
    /// The table name a workspace export writes in each row.
    package static let table = "Type"
    package static let properties = "properties"
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
