/// Turns a parsed JSON value into a `Record`, or says why it is not one.
package enum RecordBuilder {
    /// - Parameters:
    ///   - categoryFallback: the category to use when the record names none (its blob path's).
    ///   - resourceFallback: the resource ID to use when the record names none (its blob path's).
    package static func build(_ value: JSONValue, categoryFallback: String?, resourceFallback: String?) -> Result<Record, RecordProblem> {
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
            ?? categoryFallback
        let resourceId = object.firstMember(namedAnyOf: KnownFields.resourceId)?.value.stringValue ?? resourceFallback
        return .success(Record(object: object, time: time, category: category, resourceId: resourceId))
    }

    package static func kindName(_ value: JSONValue) -> String {
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
package struct RecordProblem: Error {
    package var reason: RejectReason
    package var detail: String
}
