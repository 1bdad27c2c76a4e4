import ArgumentParser
import SMSArchive

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Read an export (folders, blob files or - for stdin; plain or gzip) and add its records to an archive.",
        discussion: """
        Folders are walked recursively for PT1H.json, PT05M.json and their .gz forms; files named explicitly are read \
        whatever their name. gzip is recognised by its magic bytes. Each blob may be JSON Lines (LF or CRLF) or the \
        legacy {"records": [...]} form.

        A line that is not a record (invalid JSON or UTF-8, not an object, no parsable time, or the cut last line of \
        an open blob) is reported on stderr as FILE:LINE: reason: detail, kept byte for byte in the archive \
        (see `smsarchive rejects`), and the run goes on.

        The archive folder is created if needed. Nothing is visible in it until the run succeeds; on failure it is \
        left exactly as it was.

        Exit status: 0 all lines archived; 2 finished with rejects; 1 failure.

        Example:
          smsarchive convert exports/insights-logs-smsoperational --output sms.smsa
        """
    )

    @Argument(help: ArgumentHelp("Export folders, blob files, or - for standard input.", valueName: "input"))
    var inputs: [String]

    @Option(name: [.short, .long], help: ArgumentHelp("The archive folder to create or add to.", valueName: "archive"))
    var output: String

    @Flag(name: [.short, .long], help: "Print neither rejects nor the summary on stderr.")
    var quiet = false

    @Option(help: ArgumentHelp("zstd compression level (1-19).", valueName: "level"))
    var level: Int32 = Zstd.defaultLevel

    func validate() throws {
        guard (1...22).contains(level) else { throw ValidationError("--level must be between 1 and 22") }
    }

    func run() throws {
        var rejectCount = 0
        try failingLoudly {
            let reader = try ExportReader(inputs: inputs)
            var options = ArchiveWriter.Options()
            options.compressionLevel = level
            let writer = try ArchiveWriter(path: output, options: options)
            var blobs = 0
            do {
                try reader.read { event in
                    switch event {
                    case .record(let record):
                        try writer.add(record)
                    case .reject(let reject):
                        rejectCount += 1
                        if !quiet { StandardError.print(reject.diagnostic) }
                        try writer.add(reject)
                    case .blobFinished:
                        blobs += 1
                    case .blobStarted:
                        break
                    }
                }
                let summary = try writer.commit()
                if !quiet {
                    StandardError.print("smsarchive: \(summary.records) records from \(blobs) blobs added to \(output) (\(summary.rejects) rejected, \(summary.bytes) bytes in \(summary.segments) segments)")
                }
            } catch {
                writer.abandon()
                throw error
            }
        }
        if rejectCount > 0 { throw ExitStatus.rejects }
    }
}
