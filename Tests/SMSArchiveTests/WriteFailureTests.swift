import Foundation
import Testing
@testable import SMSArchive

/// Every command that writes fails clearly when the writing does: past a file-size limit (the
/// signal SIGXFSZ left at its default, as a shell gives it) the run ends with exit status 1 and a
/// message naming the file, leaves no temporary file and the archive as it was; standard output
/// that cannot be written (`> /dev/full`) is named; a closed pipe (`| head`) stays quiet.
@Suite(.serialized) struct WriteFailureTests {
    static var executable: String { CommandLineTests.executable }

    /// Runs the CLI with a file-size limit of 64 KiB and SIGXFSZ at its default action (which ends
    /// the process), as a login shell gives it: a shell cannot reset a signal ignored when it started,
    /// and a test runner may ignore it, so python3 resets it before exec.
    static func limited(_ arguments: [String]) throws -> ChildProcess {
        let script = """
        import os, resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))
        os.execv(sys.argv[1], sys.argv[1:])
        """
        return try ChildProcess.run(["/usr/bin/env", "python3", "-c", script, executable] + arguments)
    }

    /// Every file under `folder` (relative paths) whose name holds `.tmp` or `.partial`.
    static func temporaries(_ folder: String) -> [String] {
        (FileManager.default.subpaths(atPath: folder) ?? []).filter { $0.contains(".tmp") || $0.contains(".partial") }
    }

    @Test func everyWritingCommandFailsClearlyPastAFileSizeLimit() throws {
        let folder = TemporaryFolder()
        let (archive, export, _, _) = try ResourceExhaustionTests.setUp(folder)
        // Two segments of 2026-10-02 for compact to merge into one larger than the limit.
        #expect(try CommandLineTests.run(["convert", export, "-o", archive, "--quiet"]).status == 0)
        let late = folder.write("late/PT1H.json", storageLine(time: "2026-10-02T23:00:00.0000000Z") + "\n")
        #expect(try CommandLineTests.run(["convert", late, "-o", archive, "--quiet"]).status == 0)
        let before = try snapshot(archive)
        let scan = try CommandLineTests.run(["scan", archive]).stdout

        // A new archive: nothing is left of it but what a failed first convert leaves (see the man page's FILES).
        let fresh = folder.path + "/fresh.smsa"
        let runs: [(arguments: [String], names: String)] = [
            (["convert", export, "-o", fresh, "--quiet"], fresh + "/"),
            (["compact", archive, "--quiet"], archive + "/segments/"),
            (["scan", archive, "-o", folder.path + "/out/scan.jsonl"], folder.path + "/out/scan.jsonl"),
            (["export", archive, "--format", "jsonl", "-o", folder.path + "/out/x.jsonl"], folder.path + "/out/x.jsonl"),
            (["export", archive, "--format", "csv", "-o", folder.path + "/out/x.csv"], folder.path + "/out/x.csv"),
            (["export", archive, "--output", folder.path + "/out/parquet"], folder.path + "/out/parquet/"),
        ]
        try FileManager.default.createDirectory(atPath: folder.path + "/out", withIntermediateDirectories: false)
        for (arguments, names) in runs {
            let run = try Self.limited(arguments)
            let what = arguments.joined(separator: " ")
            #expect(run.status == 1, "\(what): \(run.stderr)")
            #expect(run.stderr.hasPrefix("smsarchive: error: \(names)"), "\(what): the message names the file: \(run.stderr)")
            #expect(run.stderr.contains("File too large"), "\(what): \(run.stderr)")
            #expect(Self.temporaries(folder.path + "/out").isEmpty && Self.temporaries(archive).isEmpty
                    && Self.temporaries(fresh).isEmpty, "\(what) left \(Self.temporaries(folder.path))")
        }
        #expect((try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out")).filter { $0 != "parquet" }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fresh + "/manifest.json"))
        try ResourceExhaustionTests.expectUnchanged(archive, before, scan)
    }

    @Test func standardOutputThatCannotBeWrittenIsNamed() throws {
        let folder = TemporaryFolder()
        let (archive, _, _, _) = try ResourceExhaustionTests.setUp(folder)
        // A reject, and a record with a MessageId to trace.
        let messageId = "11111111-2222-3333-4444-555555555555"
        let more = folder.write("more/PT1H.json", "not a record\n"
                                + storageLine(time: "2026-10-03T00:00:00Z", extra: #","MessageId":"\#(messageId)""#) + "\n")
        #expect(try CommandLineTests.run(["convert", more, "-o", archive, "--quiet"]).status == 2)
        #expect(try CommandLineTests.run(["trace", archive, messageId]).stdout.count > 100)
        let commands = [["scan", archive], ["scan", archive, "--count"], ["rejects", archive, "--all"], ["info", archive],
                        ["info", archive, "--json"], ["trace", archive, messageId],
                        ["export", archive, "--format", "jsonl"], ["export", archive, "--format", "csv"],
                        ["stats", archive, "--by", "Country"], ["stats", archive, "--by", "day", "--format", "html"],
                        ["--help"], ["scan", "--help"], ["--version"]]
        for command in commands {
            let run = try ChildProcess.shell(#"exec "$@" >/dev/full"#, [Self.executable] + command)
            #expect(run.status == 1, "\(command): \(run.stderr)")
            #expect(run.stderr == "smsarchive: error: standard output: write: No space left on device\n", "\(command)")
            // A pipe closed early by its reader: no message.
            let piped = try ChildProcess.shell(#""$@" | head -c 1 >/dev/null"#, [Self.executable] + command)
            #expect(piped.stderr.isEmpty, "\(command): \(piped.stderr)")
        }
    }
}
