import Foundation
import Testing
@testable import SMSArchive

/// A FIFO where a segment, `manifest.json`, a source-state file or the lock file should be is an
/// error naming it, not a hang (issue 20, item 10).
@Suite struct FIFOTests {
    /// Runs the CLI; kills it (and records a failure) when it has not finished within 20 seconds.
    static func runBounded(_ arguments: [String]) throws -> (status: Int32, stderr: String, hung: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.executable)
        process.arguments = arguments
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-test-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: err) }
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let hung = process.isRunning
        if hung { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: err), as: UTF8.self), hung)
    }

    static func replaceWithFIFO(_ path: String) throws {
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o644) == 0)
    }

    static func archive(_ folder: TemporaryFolder) throws -> (archive: String, blob: String, reader: ArchiveReader) {
        let blob = folder.write("PT1H.json", storageLine() + "\n" + storageLine(time: "2026-10-01T00:00:07Z") + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", blob, "-o", archive, "--quiet"]).status == 0)
        return (archive, blob, try ArchiveReader(path: archive))
    }

    static func expectError(_ arguments: [String], naming path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try runBounded(arguments)
        #expect(!run.hung, "\(arguments) hung on a FIFO", sourceLocation: sourceLocation)
        #expect(run.status == 1, "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(path) && run.stderr.contains("not a regular file (a FIFO)"), "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aFIFOForASegment() throws {
        let folder = TemporaryFolder()
        let (archive, _, reader) = try Self.archive(folder)
        let segment = archive + "/" + reader.manifest.segments[0].file
        try Self.replaceWithFIFO(segment)
        for command in [["scan", archive], ["scan", archive, "--count"], ["verify", archive], ["info", archive], ["rejects", archive],
                        ["export", archive, "--format", "jsonl", "-o", folder.path + "/out.jsonl"], ["compact", archive]] {
            try Self.expectError(command, naming: segment)
        }
    }

    @Test func aFIFOForTheManifest() throws {
        let folder = TemporaryFolder()
        let (archive, blob, _) = try Self.archive(folder)
        try Self.replaceWithFIFO(archive + "/manifest.json")
        for command in [["scan", archive], ["verify", archive], ["compact", archive], ["convert", blob, "-o", archive]] {
            try Self.expectError(command, naming: archive + "/manifest.json")
        }
    }

    @Test func aFIFOForASourceStateFile() throws {
        let folder = TemporaryFolder()
        let (archive, blob, reader) = try Self.archive(folder)
        let state = archive + "/" + reader.manifest.sourceFiles[0]
        try Self.replaceWithFIFO(state)
        for command in [["convert", blob, "-o", archive], ["rejects", archive]] {
            try Self.expectError(command, naming: state)
        }
    }

    @Test func aFIFOForTheLockFile() throws {
        let folder = TemporaryFolder()
        let (archive, blob, _) = try Self.archive(folder)
        try Self.replaceWithFIFO(archive + "/.lock")
        try Self.expectError(["convert", blob, "-o", archive], naming: archive + "/.lock")
    }
}
