import SMSIngest
import SMSRecords
import ArgumentParser
import SMSArchive

struct RejectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "Print the input lines that were not records, one JSON object per line.",
        discussion: """
        Each object has source (the blob's path as given to convert), line (1-based), reason (truncated, \
        invalid-utf8, invalid-json, too-deep, not-object, no-time, bad-time, corrupt-input, too-long), detail, and text \
        (the line as read) or, when the line is not valid UTF-8, base64 (its bytes). A cut last line that a later \
        run took once its blob had grown is not listed (with --all it is, with "resolved": true).

        Examples:
          smsarchive rejects sms.smsa
          smsarchive rejects sms.smsa --reason invalid-json --reason bad-time
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @Flag(help: "Also list rejects that a later run resolved (a cut line taken once complete).")
    var all = false

    @Option(help: ArgumentHelp("Only rejects of this reason (repeatable), e.g. invalid-json or truncated.", valueName: "reason"))
    var reason: [String] = []

    func validate() throws {
        for name in reason where RejectReason(rawValue: name) == nil {
            throw ValidationError("--reason '\(name)' is not a reason; reasons are: \(RejectReason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        try failingLoudly {
            let reader = try ArchiveReader(path: archive)
            let resolved = try reader.resolvedRejects()
            let out = StandardOutput()
            let reasons = Set(reason.compactMap(RejectReason.init(rawValue:)))
            try reader.forEachReject { reject in
                guard reasons.isEmpty || reasons.contains(reject.reason) else { return }
                let isResolved = resolved.contains(ResolvedLine(key: SourceState.key(for: reject.source), line: reject.line))
                if isResolved && !all { return }
                var object = JSONObject([
                    JSONMember(key: "source", value: .string(reject.source)),
                    JSONMember(key: "line", value: .number(String(reject.line))),
                    JSONMember(key: "reason", value: .string(reject.reason.rawValue)),
                    JSONMember(key: "detail", value: .string(reject.detail)),
                ])
                if let text = String(validating: reject.bytes, as: UTF8.self) {
                    object.members.append(JSONMember(key: "text", value: .string(text)))
                } else {
                    object.members.append(JSONMember(key: "base64", value: .string(Base64.encode(reject.bytes))))
                }
                if isResolved { object.members.append(JSONMember(key: "resolved", value: .bool(true))) }
                out.write(JSONWriter.bytes(of: object))
                out.write([0x0A])
            }
            out.flush()
        }
    }
}
