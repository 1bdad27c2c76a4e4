import SMSRecords
import ArgumentParser
import SMSArchive

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print what an archive holds: records, exact duplicates, time span, segments, bytes, ratio to the source, bytes per column, rejects, top senders and countries.",
        discussion: """
        Example:
          smsarchive info sms.smsa
          smsarchive info sms.smsa --json | jq .records
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("How many top phone numbers and countries to list.", valueName: "n"))
    var top: Int = ArchiveStatistics.defaultTopCount

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 or more, not \(top)") }
    }

    func run() throws {
        try failingLoudly {
            let stats = try ArchiveStatistics(try ArchiveReader(path: archive), topCount: top)
            let out = StandardOutput()
            if json { out.write(JSONWriter.bytes(of: Self.json(stats)) + [0x0A]) } else { Self.text(stats, to: out) }
            out.flush()
        }
    }

    static func ratio(_ bytes: Int, _ stats: ArchiveStatistics) -> String {
        stats.bytesOnDisk > 0 ? String(format1: Double(bytes) / Double(stats.bytesOnDisk)) + "x" : "-"
    }

    static func text(_ stats: ArchiveStatistics, to out: StandardOutput) {
        out.write("records      \(stats.records)\n")
        out.write("duplicates   \(stats.duplicates) (exact copies of an earlier record; scan --distinct leaves them out)\n")
        out.write("rejects      \(stats.rejects)" + (stats.resolvedRejects > 0 ? " (\(stats.resolvedRejects) resolved since)" : "") + "\n")
        out.write("time span    \(stats.minTime?.iso8601 ?? "-") .. \(stats.maxTime?.iso8601 ?? "-")\n")
        out.write("segments     \(stats.segments) (\(stats.blocks) blocks, \(stats.layouts) record layouts)\n")
        out.write("bytes        \(stats.bytesOnDisk) (\(stats.records > 0 ? String(format1: Double(stats.bytesOnDisk) / Double(stats.records)) : "-") per record)\n")
        if stats.sourceBlobs > 0 {
            out.write("source       \(stats.sourceBlobs) blobs: \(stats.sourceJSONBytes) bytes of JSON (\(ratio(stats.sourceJSONBytes, stats)) the archive), "
                      + "\(stats.sourceBytes) bytes of files as read (\(ratio(stats.sourceBytes, stats)))\n")
        }
        out.write("index        \(stats.footerBytes) bytes of footers, row links and rejects, \(stats.filterBytes) of them Bloom filters, \(stats.linkBytes) row links\n")
        out.write("\ntop senders  " + stats.topPhoneNumbers.map { "\($0.value) \($0.records)" }.joined(separator: ", ") + "\n")
        out.write("top countries " + stats.topCountries.map { "\($0.value) \($0.records)" }.joined(separator: ", ") + "\n")
        out.write("\ncolumn                    stored bytes   raw bytes     values  encodings\n")
        for c in stats.columns.sorted(by: { $0.storedBytes > $1.storedBytes }) where c.values > 0 {
            let encodings = c.encodings.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out.write(c.name.padded(24) + String(c.storedBytes).leftPadded(14) + String(c.rawBytes).leftPadded(12)
                      + String(c.values).leftPadded(11) + "  " + encodings + "\n")
        }
    }

    static func json(_ stats: ArchiveStatistics) -> JSONValue {
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

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }

    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
