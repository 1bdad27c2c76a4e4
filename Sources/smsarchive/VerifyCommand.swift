import SMSIngest
import ArgumentParser
import SMSArchive

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an archive: every checksum, every block decoded; with --against, that it holds its export.",
        discussion: """
        Without --against, reads every segment, checks every checksum, decodes every block and rebuilds every \
        record. With --against EXPORT, also re-reads the export (folders, blob files) and checks that each of its \
        records is in the archive, equal, and each of its rejects is kept (a cut last line still pending is allowed).

        Exit status: 0 the archive holds; 1 it does not (each problem is printed on stderr) or it cannot be read.

        Example:
          smsarchive verify sms.smsa --against /data/export
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Export folders or blob files the archive was made from.", valueName: "export"))
    var against: [String] = []

    @Option(name: .customLong("max-line-bytes"), help: ArgumentHelp("With --against: the longest export line read, as given to convert (default 16 MiB).", valueName: "bytes"))
    var maxLineBytes: Int = ExportReader.defaultMaxLineBytes

    func validate() throws {
        guard (1...BlobParser.maxMaxLineBytes).contains(maxLineBytes) else {
            throw ValidationError("--max-line-bytes must be 1 to \(BlobParser.maxMaxLineBytes) (200 MiB), not \(maxLineBytes)")
        }
    }

    func run() throws {
        var holds = false
        try failingLoudly {
            let verifier = Verifier(archive: archive)
            verifier.maxLineBytes = maxLineBytes
            let report = try verifier.run(against: against.isEmpty ? nil : against)
            for problem in report.problems { StandardError.print("smsarchive: damaged: \(problem)") }
            for missing in report.missingRecords { StandardError.print("smsarchive: missing from the archive: \(missing)") }
            if report.missingRecordCount > report.missingRecords.count {
                StandardError.print("smsarchive: ... \(report.missingRecordCount - report.missingRecords.count) more records missing")
            }
            for missing in report.missingRejects { StandardError.print("smsarchive: reject not kept: \(missing)") }
            holds = report.holds
            var line = "smsarchive: \(holds ? "ok" : "FAILED"): \(report.segments) segments, \(report.blocks) blocks, \(report.records) records, \(report.rejects) rejects checked"
            if !against.isEmpty { line += "; \(report.sourceRecords) export records, \(report.missingRecordCount) missing" }
            StandardError.print(line)
        }
        if !holds { throw ExitStatus.failure }
    }
}
