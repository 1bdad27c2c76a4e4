import Foundation
import Testing
@testable import SMSArchive
@testable import SMSSupport

/// `convert` and `compact` killed with SIGKILL at many points: a rerun gives
/// exactly the records of a clean run, and the archive is always whole.
@Suite(.serialized) struct CrashSafetyTests {
    /// An export big enough that a run takes a while: 12 blobs of 1,500 records.
    static func export(_ folder: TemporaryFolder) -> String {
        for h in 0..<12 {
            let path = String(format: NightlyWorkflowTests.blobPath, h)
            folder.write("export/" + path, (0..<1500).map { i in
                storageLine(time: "2026-10-01T\(String(format2: h)):\(String(format2: i / 60 % 60)):\(String(format2: i % 60)).\(String(i).leftPadded(to: 7))Z",
                            extra: #","n":\#(i)"#)
            }.joined(separator: "\n") + "\n")
        }
        return folder.path + "/export"
    }

    /// Runs the CLI and kills it after `delay` seconds (if still running).
    static func runKilled(_ arguments: [String], after delay: Double) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(delay * 1_000_000))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func scanLines(_ archive: String) throws -> [Data] {
        try CommandLineTests.run(["scan", archive]).stdoutLines
    }

    /// What an archive holds, whole: it must open and every block must decode.
    static func readable(_ archive: String) throws -> [Data]? {
        guard FileManager.default.fileExists(atPath: archive + "/manifest.json") else { return nil }
        #expect(try Verifier(archive: archive).run().holds)
        return try scanLines(archive)
    }

    @Test func aKilledConvertRerunGivesTheCleanResult() throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder)
        let clean = folder.path + "/clean.smsa"
        let start = Date()
        #expect(try CommandLineTests.run(["convert", export, "-o", clean, "--buffer-size", "1"]).status == 0)
        let duration = Date().timeIntervalSince(start)
        let expected = try Self.scanLines(clean)
        #expect(expected.count == 18_000)

        for point in 1...8 {
            let archive = folder.path + "/killed\(point).smsa"
            // Half the runs start on an archive that already holds part of the export.
            if point % 2 == 0 {
                #expect(try CommandLineTests.run(["convert", export + "/" + String(format: NightlyWorkflowTests.blobPath, 0), "-o", archive]).status == 0)
            }
            try Self.runKilled(["convert", export, "-o", archive, "--buffer-size", "1"], after: duration * Double(point) / 9)
            if let partial = try Self.readable(archive) {
                #expect(partial.count <= expected.count)
            }
            #expect(try CommandLineTests.run(["convert", export, "-o", archive, "--buffer-size", "1"]).status == 0)
            #expect(try Self.scanLines(archive) == expected, "killed at point \(point)")
            let leftovers = try FileIO.listDirectory(archive + "/segments").filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func aKilledCompactLeavesTheOldOrTheNewArchive() throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder)
        let archive = folder.path + "/a.smsa"
        for h in 0..<12 {
            #expect(try CommandLineTests.run(["convert", export + "/" + String(format: NightlyWorkflowTests.blobPath, h), "-o", archive]).status == 0)
        }
        let expected = try Self.scanLines(archive)
        let pristine = folder.path + "/pristine.smsa"
        try FileManager.default.copyItem(atPath: archive, toPath: pristine)
        let start = Date()
        #expect(try CommandLineTests.run(["compact", pristine]).status == 0)
        let duration = Date().timeIntervalSince(start)
        try FileManager.default.removeItem(atPath: pristine)

        for point in 1...8 {
            let copy = folder.path + "/copy\(point).smsa"
            try FileManager.default.copyItem(atPath: archive, toPath: copy)
            try Self.runKilled(["compact", copy], after: duration * Double(point) / 9)
            let segments = try ArchiveReader(path: copy).manifest.segments.count
            #expect(segments == 12 || segments == 1, "killed at point \(point): \(segments) segments")
            #expect(try Self.readable(copy) == expected, "killed at point \(point)")
            #expect(try CommandLineTests.run(["compact", copy]).status == 0)
            #expect(try ArchiveReader(path: copy).manifest.segments.count == 1)
            #expect(try Self.scanLines(copy) == expected)
            #expect(try FileIO.listDirectory(copy + "/segments").count == 1)
        }
    }
}
