import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct SMSArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smsarchive",
        abstract: "Archive Azure Communication Services SMS logs into a compact columnar archive, and read them back.",
        discussion: """
        Point `convert` at a folder of an Azure Monitor storage export (insights-logs-smsoperational/, \
        insights-logs-usage/, ... with PT1H.json or PT1H.json.gz blobs) or of a Log Analytics workspace export \
        (am-<table>/ with PT05M.json files) to build an archive; \
        `scan` prints the records back, `stats` counts them by group, `trace` the story of a message, `export` writes them as Parquet, JSON Lines or CSV, `rejects` the lines that were not records.

        Exit status: 0 success; 1 failure (the archive is left as it was); 2 finished, but some input lines were \
        rejected (they are kept in the archive; see `smsarchive rejects`); 3 `trace` found no record of some \
        MessageId; 64 bad command-line usage.
        """,
        version: "0.3.0",
        subcommands: [ConvertCommand.self, ScanCommand.self, StatsCommand.self, TraceCommand.self, ExportCommand.self, RejectsCommand.self, InfoCommand.self, VerifyCommand.self, CompactCommand.self]
    )

    /// No command given: a usage error, like any other (the help goes to stderr, exit 64).
    func run() throws {
        StandardError.print(Self.helpMessage())
        StandardError.print("smsarchive: error: no command given")
        throw ExitCode.validationFailure
    }

    /// Parses and runs the command; every error message begins `smsarchive: error:` (the
    /// argument parser's own begin `Error:`), help and version go to stdout with exit 0.
    static func main() {
        // Past a file-size limit (`ulimit -f`), write(2) then fails with EFBIG, an error like a full
        // disk that names the file and removes temporaries, instead of the signal killing the process.
        signal(SIGXFSZ, SIG_IGN)
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
            try command.run()
            Glibc.exit(0)
        } catch {
            let code = exitCode(for: error)
            var message = fullMessage(for: error)
            if code == .success {
                // Through StandardOutput: `--help > /dev/full` fails with a message and exit 1, not 0.
                if !message.isEmpty {
                    let output = StandardOutput()
                    output.write(message + "\n")
                    output.flush()
                }
                Glibc.exit(0)
            }
            if message.hasPrefix("Error: ") { message = "smsarchive: error: " + message.dropFirst("Error: ".count) }
            if !message.isEmpty { StandardError.print(message) }
            Glibc.exit(code.rawValue)
        }
    }
}
