import Foundation
import Testing
@testable import SMSArchive
@testable import SMSSupport

/// `export --format parquet` interrupted, killed, or rerun after a dead one: nothing a
/// `OUT/**/*.parquet` glob reads is ever left half-written or twice.
@Suite(.serialized) struct ExportInterruptionTests {
    /// An archive big enough that exporting it takes a second or more in a debug build:
    /// 60,000 records in 4 blobs of one day.
    static func bigArchive(in folder: TemporaryFolder) throws -> String {
        for h in 0..<4 {
            folder.write("export/" + String(format: NightlyWorkflowTests.blobPath, h), (0..<15_000).map { i in
                storageLine(time: String(format: "2026-10-01T%02d:%02d:%02d.%07dZ", h, i / 60 % 60, i % 60, i),
                            extra: #","n":\#(i)"#)
            }.joined(separator: "\n") + "\n")
        }
        let archive = folder.path + "/big.smsa"
        let convert = try CommandLineTests.run(["convert", folder.path + "/export", "-o", archive, "--quiet"])
        #expect(convert.status == 0, "\(convert.stderr)")
        return archive
    }

    /// How a signalled export ended.
    struct Ended {
        /// The signal that ended it, or nil when it exited.
        var signal: Int32?
    }

    /// Starts `smsarchive export ARCHIVE -o OUT ...` (with no signal blocked: the test
    /// runner's threads block SIGINT and SIGTERM, and a child would inherit that), waits
    /// until its first file is being written in its staging folder, sends `signal`, and
    /// waits for it to end.
    static func exportSignalled(_ archive: String, _ output: String, _ extra: [String] = [], signal: Int32) throws -> Ended {
        try signalled(["export", archive, "-o", output, "--row-group-rows", "1000"] + extra, signal: signal) { pid in
            !((try? FileManager.default.contentsOfDirectory(atPath: output + "/.tmp-export-\(pid)")) ?? []).isEmpty
        }
    }

    /// Starts `smsarchive ARGUMENTS` as `exportSignalled` does, and sends `signal` once `started(pid)` holds.
    static func signalled(_ smsarchiveArguments: [String], signal: Int32, once started: (pid_t) -> Bool) throws -> Ended {
        let arguments = [CommandLineTests.executable] + smsarchiveArguments
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw SpawnError(description: "posix_spawn: \(String(cString: strerror(spawned)))") }

        let deadline = Date().addingTimeInterval(30)
        var status: Int32 = 0
        var ended = false
        while Date() < deadline && !started(pid) {
            if waitpid(pid, &status, WNOHANG) == pid { ended = true; break }
            usleep(2_000)
        }
        #expect(!ended, "the export ended before it could be signalled")
        if !ended {
            kill(pid, signal)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        return Ended(signal: status & 0x7F == 0 ? nil : status & 0x7F)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func anInterruptedExportRemovesWhatItWrote(signal: Int32) throws {
        let folder = TemporaryFolder()
        let archive = try Self.bigArchive(in: folder)
        // Into a new folder: it is removed again.
        let fresh = folder.path + "/fresh"
        let first = try Self.exportSignalled(archive, fresh, signal: signal)
        #expect(first.signal == signal)
        #expect(!FileManager.default.fileExists(atPath: fresh))

        // Into the folder of an earlier export, with --force: the earlier export is left as it was.
        let output = folder.path + "/out"
        #expect(try CommandLineTests.run(["export", archive, "-o", output, "--to", "2026-10-01T01:00"]).status == 0)
        let before = try snapshot(output)
        #expect(before.count == 1)
        let second = try Self.exportSignalled(archive, output, ["--force"], signal: signal)
        #expect(second.signal == signal)
        #expect(try snapshot(output) == before)
        #expect(ExportCommandTests.files(output) == Array(before.keys))
    }

    @Test func aKilledExportLeavesNoParquetFileAndARerunCleansUp() throws {
        let folder = TemporaryFolder()
        let archive = try Self.bigArchive(in: folder)
        let output = folder.path + "/out"
        let killed = try Self.exportSignalled(archive, output, signal: SIGKILL)
        #expect(killed.signal == SIGKILL)
        let left = ExportCommandTests.files(output)
        #expect(!left.isEmpty)   // the staging folder of the dead export
        // What `OUT/**/*.parquet` (DuckDB descends into hidden folders) would read: nothing.
        #expect(!left.contains { $0.hasSuffix(".parquet") }, "\(left)")

        // A rerun without --force: the dead export's folder is not "not empty"; it is removed.
        let rerun = try CommandLineTests.run(["export", archive, "-o", output])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(ExportCommandTests.files(output) == ["category=SMSOperational/date=2026-10-01/part-0.parquet"])
        let rows = try Python.json(#"""
        import sys, json, duckdb
        print(json.dumps(duckdb.sql(f"SELECT count(*) FROM read_parquet('{sys.argv[1]}/**/*.parquet')").fetchall()[0][0]))
        """#, [output]) as? Int
        #expect(rows == 60_000)
    }

    @Test func aRerunRemovesOnlyTheStagingOfDeadExports() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        // The pid of a process that has ended.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let output = folder.path + "/out"
        folder.write("out/.tmp-export-\(ended.processIdentifier)/category=X/date=2026-10-01/part-0.parquet", "partial")
        let rerun = try CommandLineTests.run(["export", archive, "-o", output])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(!ExportCommandTests.files(output).contains { $0.hasPrefix(".tmp-export") || $0.contains("category=X") })

        // A staging folder of a live process (this one) is another export at work: left alone, and said so.
        let busy = folder.path + "/busy"
        folder.write("busy/.tmp-export-\(getpid())/0.partial", "partial")
        let refused = try CommandLineTests.run(["export", archive, "-o", busy, "--force"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another export (process \(getpid()))"), "\(refused.stderr)")
        #expect(ExportCommandTests.files(busy) == [".tmp-export-\(getpid())/0.partial"])
    }

    @Test func anInterruptedStreamIntoAFileLeavesNoFile() throws {
        let folder = TemporaryFolder()
        let archive = try Self.bigArchive(in: folder)
        let file = folder.path + "/out.jsonl"
        for (command, signal) in [(["scan", archive, "-o", file], SIGINT), (["export", archive, "--format", "jsonl", "-o", file], SIGTERM)] {
            let ended = try Self.signalled(command, signal: signal) { pid in
                (FileIO.size(file + ".tmp-\(pid)") ?? 0) > 0
            }
            #expect(ended.signal == signal, "\(command)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("out.jsonl") }.isEmpty, "\(command)")
        }
    }
}
