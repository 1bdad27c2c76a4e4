import Foundation
import Testing
@testable import SMSArchive

/// Writers racing to create an archive: the lock file is never removed, so every writer locks
/// the same file, and commands that need an archive never create one (issue 20, item 1).
@Suite(.serialized) struct LockRaceTests {
    /// Starts the CLI without waiting for it.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.executable)
        process.arguments = arguments + ["--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `compact X` raced against two `convert inN.json -o X` on an X that does not exist yet: both
    /// converts succeed and all their records and source states are kept, whatever the interleaving.
    @Test func racingCreatorsAndCompactKeepEveryRecord() throws {
        let folder = TemporaryFolder()
        let first = folder.write("in1.json", (0..<3).map { storageLine(time: "2026-10-01T01:00:0\($0)Z", extra: #","n":\#($0)"#) }.joined(separator: "\n") + "\n")
        let second = folder.write("in2.json", (0..<4).map { storageLine(time: "2026-10-01T02:00:0\($0)Z", extra: #","n":\#($0)"#) }.joined(separator: "\n") + "\n")
        var compactRan = 0
        for trial in 0..<30 {
            let archive = folder.path + "/x\(trial).smsa"
            var processes: [Process] = []
            if trial % 2 == 0 { processes.append(try Self.start(["compact", archive])) }
            processes.append(try Self.start(["convert", first, "-o", archive]))
            processes.append(try Self.start(["convert", second, "-o", archive]))
            if trial % 2 == 1 { processes.append(try Self.start(["compact", archive])) }
            for p in processes { p.waitUntilExit() }
            let compact = processes.first { $0.arguments?.first == "compact" }!
            let converts = processes.filter { $0.arguments?.first == "convert" }
            #expect(converts.map(\.terminationStatus) == [0, 0], "trial \(trial)")
            #expect([0, 1].contains(compact.terminationStatus), "trial \(trial)")
            if compact.terminationStatus == 0 { compactRan += 1 }
            let count = try CommandLineTests.run(["scan", archive, "--count"])
            #expect(String(decoding: count.stdout, as: UTF8.self) == "7\n", "trial \(trial): \(count.stderr)")
            let reader = try ArchiveReader(path: archive)
            #expect(reader.manifest.sourceFiles.count == 2, "trial \(trial)")
            #expect(Set(reader.manifest.segments.map(\.file)).count == reader.manifest.segments.count)
            #expect(try Verifier(archive: archive).run().holds, "trial \(trial)")
            #expect(FileManager.default.fileExists(atPath: archive + "/.lock"))
        }
        _ = compactRan
    }

    /// Commands that need an archive fail on a missing one, naming it, and create nothing.
    @Test(arguments: [["compact"], ["verify"], ["scan"], ["info"], ["rejects"], ["export", "--format", "jsonl", "-o", "OUT"]])
    func commandsNeedingAnArchiveDoNotCreateOne(_ command: [String]) throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/missing.smsa"
        let arguments = [command[0], archive] + command.dropFirst().map { $0 == "OUT" ? folder.path + "/out.jsonl" : $0 }
        let run = try CommandLineTests.run(arguments)
        #expect(run.status == 1, "\(command): \(run.stderr)")
        #expect(run.stderr.contains(archive), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: archive))
    }

    /// Item 13: `compact /nonexistent` exited 0.
    @Test func compactOfANonexistentPathFails() throws {
        let path = "/nonexistent-smsarchive-\(UUID().uuidString)"
        let run = try CommandLineTests.run(["compact", path])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("smsarchive: error: \(path): not an smsarchive archive: no such file or directory"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// `compact` on a folder a first convert is still creating (or left without a manifest) is
    /// refused, and the folder (its lock file above all) is left alone.
    @Test func compactLeavesAFolderWithoutManifestAlone() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        try FileManager.default.createDirectory(atPath: archive + "/segments", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: archive + "/.lock", contents: Data())
        let run = try CommandLineTests.run(["compact", archive])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(archive): not an smsarchive archive: no manifest.json"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: archive + "/.lock"))
        #expect(FileManager.default.fileExists(atPath: archive + "/segments"))
        #expect(!FileManager.default.fileExists(atPath: archive + "/sources"))
    }

    /// A convert that fails on an archive it created leaves the lock file and the folder (another
    /// process may be waiting on that lock file), and the next convert uses the folder.
    @Test func aFailedFirstConvertKeepsTheLockFile() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        let blob = folder.write("PT1H.json", storageLine() + "\n")
        // No file may grow: the (empty) lock file is made, the first segment cannot be written
        // (nor the message: stderr goes to a file too).
        let failed = try ChildProcess.shell(#"trap '' XFSZ; ulimit -f 0 || exit 99; exec "$@""#,
                                            [CommandLineTests.executable, "convert", blob, "-o", archive])
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(FileManager.default.fileExists(atPath: archive + "/.lock"))
        #expect(!FileManager.default.fileExists(atPath: archive + "/manifest.json"))
        let again = try CommandLineTests.run(["convert", blob, "-o", archive])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(String(decoding: try CommandLineTests.run(["scan", archive, "--count"]).stdout, as: UTF8.self) == "1\n")
    }
}
