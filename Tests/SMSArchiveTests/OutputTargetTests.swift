import Foundation
import Testing
@testable import SMSArchive

/// `-o FILE` replaces a regular file by renaming a temporary over it; a symbolic link is followed
/// (the file it names is replaced, the link stays), and a FIFO or device is written into as it is,
/// never replaced by a regular file.
@Suite struct OutputTargetTests {
    static func archive(_ folder: TemporaryFolder) throws -> String {
        let blob = folder.write("in/PT1H.json", storageLine() + "\n" + storageLine(time: "2026-10-01T00:00:07.0000000Z") + "\n")
        return try ArchiveRoundTripTests.convert([blob], into: folder)
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let target = folder.write("target.jsonl", "old\n")
        let link = folder.path + "/link.jsonl"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.jsonl")
        let run = try CommandLineTests.run(["scan", archive, "-o", link])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.isSymbolicLink(link))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == storageLine() + "\n" + storageLine(time: "2026-10-01T00:00:07.0000000Z") + "\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func aFIFOIsWrittenIntoNotReplaced() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let fifo = folder.path + "/out.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader opens the FIFO on another thread (opening blocks until the writer opens it too).
        let received = LockedBytes()
        let reading = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            if let handle = FileHandle(forReadingAtPath: fifo) { received.set(handle.readDataToEndOfFile()) }
            reading.signal()
        }
        let run = try CommandLineTests.run(["stats", archive, "--by", "Country", "--format", "csv", "-o", fifo])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(reading.wait(timeout: .now() + 30) == .success)
        #expect(String(decoding: received.get(), as: UTF8.self) == "Country,records\r\nUS,2\r\n")
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    /// `scan -o ARCHIVE/manifest.json` replaced the manifest, and every later command found a damaged
    /// archive; an output inside the archive being read (a file of it, a new file in it, the archive
    /// itself as an export folder, or a link into it) is a usage error, and nothing is written.
    @Test func anOutputInsideTheArchiveIsRefused() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let segment = try ArchiveReader(path: archive).manifest.segments[0].file
        symlink(archive + "/manifest.json", folder.path + "/link")
        let before = try snapshot(archive)
        let commands: [[String]] = [
            ["scan", archive, "--count", "-o", archive + "/manifest.json"],
            ["scan", archive, "-o", archive + "/" + segment],
            ["scan", archive, "-o", folder.path + "/link"],
            ["stats", archive, "--by", "Country", "-o", archive + "/../" + URL(fileURLWithPath: archive).lastPathComponent + "/new.csv"],
            ["export", archive, "--format", "jsonl", "-o", archive + "/manifest.json", "--force"],
            ["export", archive, "-o", archive, "--force"],
            ["export", archive, "-o", archive + "/lake"],
        ]
        for command in commands {
            let run = try CommandLineTests.run(command)
            #expect(run.status == 64, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("is inside the archive \(archive) being read"), "\(command): \(run.stderr)")
            #expect(try snapshot(archive) == before, "\(command)")
        }
        // Beside the archive is fine.
        #expect(try CommandLineTests.run(["scan", archive, "-o", folder.path + "/out.jsonl"]).status == 0)
    }

    @Test func aFolderIsRefusedByName() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let run = try CommandLineTests.run(["scan", archive, "-o", folder.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(folder.path): is a directory"))
    }
}

/// Bytes handed from one thread to another.
final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
