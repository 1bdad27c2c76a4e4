import ArgumentParser
import SMSArchive
import SMSRecords

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print the whole story of messages: was it delivered, and what did it cost?",
        discussion: """
        For each MessageId, prints in time order every record with that MessageId (the send, or the inbound \
        message, and its delivery reports) and every record that shares a correlationId with them (the Usage \
        record of a send, in the other category), across days and categories. Each record is printed once.

        --format jsonl (the default) prints the records exactly as they were read; --format table prints one \
        line per event (time, category, operation, result, its description, delivery attempts, quantity, \
        phone number and country); --fields names other columns.

        Exit status: 0 when every MessageId was found; 3 when one or more were not (each is named on stderr, \
        and the others are still printed); 1 on failure; 64 on bad usage.

        Examples:
          smsarchive trace sms.smsa Outgoing_20261001000013d7c3a5e1-...-4c1d_noam
          smsarchive trace sms.smsa ID1 ID2 --format table
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @Argument(help: ArgumentHelp("The MessageIds to trace (compared exactly).", valueName: "message-id"))
    var messageIds: [String]

    @Option(help: ArgumentHelp("Output format: jsonl, csv or table.", valueName: "format"))
    var format: OutputFormat = .jsonl

    @Option(help: ArgumentHelp("Print only these columns, comma-separated (e.g. time,operationName,resultType).", valueName: "a,b,..."))
    var fields: String?

    /// The columns of a table when --fields does not name them: one line per event.
    static let tableFields = ["time", "category", "operationName", "resultType", "resultDescription", "DeliveryAttempts",
                              "Quantity", "PhoneNumber", "Country"]

    func validate() throws {
        if messageIds.isEmpty { throw ValidationError("name at least one MessageId to trace") }
        if messageIds.contains(where: \.isEmpty) { throw ValidationError("a MessageId cannot be empty") }
        _ = try projectedFields()
    }

    func projectedFields() throws -> [OutputField]? {
        if fields == nil, format == .table { return Self.tableFields.compactMap(OutputField.init(name:)) }
        return try OutputField.parse(fields, format: format)
    }

    func run() throws {
        var missing: [String] = []
        try failingLoudly {
            let reader = try ArchiveReader(path: archive)
            let out = StandardOutput()
            let printer = RecordPrinter(format: format, fields: try projectedFields(), out: out,
                                        tableWidth: RecordPrinter.terminalWidth())
            let found = try reader.trace(messageIds: messageIds) { batch, row in
                try printer.print(batch, row: row)
                return true
            }
            printer.finish()
            out.flush()
            missing = messageIds.filter { !found.contains($0) }
        }
        guard missing.isEmpty else {
            for id in missing { StandardError.print("smsarchive: trace: no record has MessageId \(id)") }
            throw ExitStatus.notFound
        }
    }
}
