import SMSRecords

extension ArchiveStatistics {
    /// The statistics as one JSON object: what `smsarchive info --json` prints, and what the C library's
    /// `smsarchive_info` (Python's `smsarchive.info`) returns.
    package var json: JSONValue {
        let stats = self
        func n(_ v: Int) -> JSONValue { .number(String(v)) }
        func top(_ list: [(value: String, records: Int)]) -> JSONValue {
            .array(list.map { .object(JSONObject([JSONMember(key: "value", value: .string($0.value)), JSONMember(key: "records", value: n($0.records))])) })
        }
        var members = [
            JSONMember(key: "records", value: n(stats.records)),
            JSONMember(key: "duplicates", value: n(stats.duplicates)),
            JSONMember(key: "rejects", value: n(stats.rejects)),
            JSONMember(key: "resolvedRejects", value: n(stats.resolvedRejects)),
            JSONMember(key: "minTime", value: stats.minTime.map { .string($0.iso8601) } ?? .null),
            JSONMember(key: "maxTime", value: stats.maxTime.map { .string($0.iso8601) } ?? .null),
            JSONMember(key: "segments", value: n(stats.segments)),
            JSONMember(key: "blocks", value: n(stats.blocks)),
            JSONMember(key: "bytes", value: n(stats.bytesOnDisk)),
            JSONMember(key: "sourceBytes", value: n(stats.sourceBytes)),
            JSONMember(key: "sourceJSONBytes", value: n(stats.sourceJSONBytes)),
            JSONMember(key: "sourceBlobs", value: n(stats.sourceBlobs)),
            JSONMember(key: "indexBytes", value: n(stats.footerBytes)),
            JSONMember(key: "linkBytes", value: n(stats.linkBytes)),
            JSONMember(key: "topPhoneNumbers", value: top(stats.topPhoneNumbers)),
            JSONMember(key: "topCountries", value: top(stats.topCountries)),
        ]
        members.append(JSONMember(key: "columns", value: .array(stats.columns.filter { $0.values > 0 }.map { c in
            .object(JSONObject([
                JSONMember(key: "name", value: .string(c.name)),
                JSONMember(key: "storedBytes", value: n(c.storedBytes)),
                JSONMember(key: "rawBytes", value: n(c.rawBytes)),
                JSONMember(key: "values", value: n(c.values)),
            ]))
        })))
        return .object(JSONObject(members))
    }
}
