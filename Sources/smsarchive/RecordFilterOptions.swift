import SMSRecords
import ArgumentParser
import SMSArchive

/// The time range and field predicates that `scan` and `export` share.
struct RecordFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only records at or after this time (ISO 8601, with or without fraction or zone; a date alone means its midnight UTC).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only records before this time.", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("Only records of this PhoneNumber (repeatable).", valueName: "number"))
    var phone: [String] = []

    @Option(help: ArgumentHelp("Only records of this Country (repeatable).", valueName: "code"))
    var country: [String] = []

    @Option(help: ArgumentHelp("Only records of this operationName (repeatable), e.g. SMSMessagesSent.", valueName: "name"))
    var operation: [String] = []

    @Option(help: ArgumentHelp("Only records of this resultType (repeatable), e.g. Succeeded or Failed.", valueName: "type"))
    var result: [String] = []

    @Option(name: .customLong("message-id"), help: ArgumentHelp("Only records of this MessageId (repeatable).", valueName: "id"))
    var messageID: [String] = []

    @Option(help: ArgumentHelp("Only records of this category (repeatable), e.g. SMSOperational or Usage.", valueName: "name"))
    var category: [String] = []

    func validate() throws {
        if let from, Timestamp(queryBound: from) == nil { throw ValidationError("--from '\(from)' is not an ISO 8601 time") }
        if let to, Timestamp(queryBound: to) == nil { throw ValidationError("--to '\(to)' is not an ISO 8601 time") }
        try Self.checkRange(from: from, to: to)
    }

    /// Refuses a --from later than --to, which no record can match.
    static func checkRange(from: String?, to: String?) throws {
        if let from, let to, let start = Timestamp(queryBound: from), let end = Timestamp(queryBound: to), start > end {
            throw ValidationError("--from \(from) is later than --to \(to): no record can match")
        }
    }

    /// The query of these options, decoding every column.
    func query() -> ScanQuery {
        var query = ScanQuery(from: from.flatMap(Timestamp.init(queryBound:)), to: to.flatMap(Timestamp.init(queryBound:)))
        if !phone.isEmpty { query.require("PhoneNumber", anyOf: phone) }
        if !country.isEmpty { query.require("Country", anyOf: country) }
        if !operation.isEmpty { query.require("operationName", anyOf: operation) }
        if !result.isEmpty { query.require("resultType", anyOf: result) }
        if !messageID.isEmpty { query.require("MessageId", anyOf: messageID) }
        if !category.isEmpty { query.require("category", anyOf: category) }
        return query
    }
}
