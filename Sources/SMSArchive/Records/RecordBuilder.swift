/// Turns a parsed JSON value into a `Record`, or says why it is not one.
enum RecordBuilder {
    static func build(_ value: JSONValue, path: BlobPath) -> Result<Record, RecordProblem> {
        guard case .object(let object) = value else {
            return .failure(RecordProblem(reason: .notObject, detail: "the line is \(kindName(value)), not an object"))
        }
        guard let timeMember = object.firstMember(namedAnyOf: KnownFields.time) else {
            return .failure(RecordProblem(reason: .noTime, detail: "no time, TimeGenerated or timestamp field"))
        }
        guard case .string(let text) = timeMember.value else {
            return .failure(RecordProblem(reason: .badTime, detail: "\(timeMember.key) is \(kindName(timeMember.value)), not a string"))
        }
        guard let time = Timestamp(recordTime: text) else {
            return .failure(RecordProblem(reason: .badTime, detail: "\(timeMember.key) \"\(text.prefix(64))\" is neither an ISO 8601 time nor MM/DD/YYYY HH:MM:SS"))
        }
        let category = object[KnownFields.category]?.stringValue
            ?? object[KnownFields.table]?.stringValue.flatMap(WorkspaceTables.category(ofTable:))
            ?? path.category
        let resourceId = object.firstMember(namedAnyOf: KnownFields.resourceId)?.value.stringValue ?? path.resourceId
        return .success(Record(object: object, time: time, category: category, resourceId: resourceId))
    }

    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why a JSON value is not a record.
struct RecordProblem: Error {
    var reason: RejectReason
    var detail: String
}
