import Foundation
import Testing
@testable import SMSArchive
#if canImport(Glibc)
import Glibc
#endif

/// A full disk, an unwritable archive folder, a missing input and an input without
/// blobs: each gives a clear message, exit status 1, and leaves the archive as it was.
@Suite(.serialized) struct ResourceExhaustionTests {
    static var executable: String { CommandLineTests.executable }

    /// A small archive (10 records) and a larger export (4,000 records of incompressible
    /// text, about 1 MB) whose conversion needs far more room than the archive takes.
    static func setUp(_ folder: TemporaryFolder) throws -> (archive: String, export: String, before: [String: Data], scan: Data) {
        let small = folder.write("small/PT1H.json", (0..<10).map {
            storageLine(time: "2026-10-01T00:00:\(String(format2: $0)).0000000Z")
        }.joined(separator: "\n") + "\n")
        var generator = SystemRandomNumberGenerator()
        folder.write("big/PT1H.json", (0..<4000).map { i in
            let noise = (0..<25).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
            return storageLine(time: "2026-10-02T01:\(String(format2: i / 60 % 60)):\(String(format2: i % 60)).0000000Z", extra: #","noise":"\#(noise)""#)
        }.joined(separator: "\n") + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", small, "-o", archive]).status == 0)
        return (archive, folder.path + "/big", try snapshot(archive), try CommandLineTests.run(["scan", archive]).stdout)
    }

    /// The archive holds exactly what it held before: the same files, bytes, records, and it verifies.
    static func expectUnchanged(_ archive: String, _ before: [String: Data], _ scan: Data, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try snapshot(archive)
        #expect(after.keys.sorted() == before.keys.sorted(), "files left behind or removed", sourceLocation: sourceLocation)
        #expect(after == before, "the archive's files changed", sourceLocation: sourceLocation)
        #expect(try CommandLineTests.run(["scan", archive]).stdout == scan, sourceLocation: sourceLocation)
        #expect(try Verifier(archive: archive).run().holds, sourceLocation: sourceLocation)
    }

    /// A file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored so write(2) fails with EFBIG)
    /// stands in for a full disk at several points of the run: segments, source states, manifest.
    @Test(arguments: [4, 16, 64, 256])
    func aFileSizeLimitFailsClearlyAndKeepsThePreviousArchive(limitKiB: Int) throws {
        let folder = TemporaryFolder()
        let (archive, export, before, scan) = try Self.setUp(folder)
        let run = try ChildProcess.shell(#"trap '' XFSZ; ulimit -f "$1" || exit 99; shift; exec "$@""#,
                                         [String(limitKiB * 2), Self.executable, "convert", export, "-o", archive, "--quiet"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("smsarchive: error: "))
        #expect(run.stderr.contains(archive + "/"), "the message names the file: \(run.stderr)")
        #expect(run.stderr.contains("File too large"), "the message gives the system's reason: \(run.stderr)")
        try Self.expectUnchanged(archive, before, scan)
        // With room again, the same run succeeds and adds everything.
        #expect(try CommandLineTests.run(["convert", export, "-o", archive, "--quiet"]).status == 0)
        #expect(try CommandLineTests.run(["scan", archive, "--count"]).stdout == Data("4010\n".utf8))
    }

    /// Whether this process may mount a tmpfs in a private mount namespace (root in most containers, CI).
    static let canMountTmpfs: Bool = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let folder = TemporaryFolder()
        let run = try? ChildProcess.shell(#"unshare --mount --propagation private sh -c 'mount -t tmpfs -o size=64k tmpfs "$1"' sh "$1""#, [folder.path])
        return run?.status == 0
    }()

    /// A real full disk: the archive lives on a 512 KiB tmpfs (in a private mount namespace), and the
    /// conversion runs out of room (ENOSPC). What the tmpfs holds afterwards is copied out and checked.
    @Test(.enabled(if: canMountTmpfs, "needs root and unshare to mount a tmpfs"))
    func aFullDiskFailsClearlyAndKeepsThePreviousArchive() throws {
        let folder = TemporaryFolder()
        let (archive, export, before, scan) = try Self.setUp(folder)
        let mountPoint = folder.path + "/disk"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        let script = #"""
            set -e
            mount -t tmpfs -o size=512k tmpfs "$1"
            cp -a "$2" "$1/a.smsa"
            set +e
            "$3" convert "$4" -o "$1/a.smsa" --quiet 2>"$5/convert.err"
            echo $? >"$5/convert.status"
            cp -a "$1/a.smsa" "$5/after.smsa"
            """#
        let run = try ChildProcess.run(["/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh",
                                        mountPoint, archive, Self.executable, export, folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        let status = try String(contentsOfFile: folder.path + "/convert.status", encoding: .utf8)
        let stderr = try String(contentsOfFile: folder.path + "/convert.err", encoding: .utf8)
        #expect(status == "1\n", "\(stderr)")
        #expect(stderr.contains(mountPoint + "/a.smsa/"), "the message names the file: \(stderr)")
        #expect(stderr.contains("No space left on device"), "\(stderr)")
        try Self.expectUnchanged(folder.path + "/after.smsa", before, scan)
    }

    /// Runs the CLI as an unprivileged user when the tests run as root (root may write anywhere).
    static func runUnprivileged(_ arguments: [String]) throws -> ChildProcess {
        if geteuid() == 0 {
            return try ChildProcess.run(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments)
        }
        return try ChildProcess.run([executable] + arguments)
    }

    static let canDropPrivileges = geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test(.enabled(if: canDropPrivileges, "needs setpriv when run as root"))
    func anUnwritableArchiveFolderFailsClearly() throws {
        let folder = TemporaryFolder()
        let (archive, export, before, scan) = try Self.setUp(folder)
        for path in [archive, archive + "/segments", archive + "/sources"] { chmod(path, 0o555) }
        defer { for path in [archive, archive + "/segments", archive + "/sources"] { chmod(path, 0o755) } }
        let run = try Self.runUnprivileged(["convert", export, "-o", archive])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("smsarchive: error: \(archive)"), "\(run.stderr)")
        #expect(run.stderr.contains("Permission denied"), "\(run.stderr)")
        try Self.expectUnchanged(archive, before, scan)

        // A new archive in a folder that cannot be written to.
        let locked = folder.path + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o555)
        let fresh = try Self.runUnprivileged(["convert", export, "-o", locked + "/new.smsa"])
        #expect(fresh.status == 1)
        #expect(fresh.stderr.contains(locked + "/new.smsa"), "\(fresh.stderr)")
        #expect(fresh.stderr.contains("Permission denied"), "\(fresh.stderr)")
        #expect(!FileManager.default.fileExists(atPath: locked + "/new.smsa"))
    }

    @Test func anArchivePathUnderAFileFailsClearly() throws {
        let folder = TemporaryFolder()
        let blob = folder.write("PT1H.json", storageLine() + "\n")
        let file = folder.write("notes.txt", "x")
        let run = try CommandLineTests.run(["convert", blob, "-o", file + "/a.smsa"])
        #expect(run.status == 1)
        #expect(run.stderr.contains(file + "/a.smsa"), "\(run.stderr)")
        #expect(run.stderr.contains("Not a directory"), "\(run.stderr)")
    }

    @Test func aMissingInputFailsBeforeTouchingTheArchive() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        let run = try CommandLineTests.run(["convert", folder.path + "/no-such-export", "-o", archive])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(folder.path)/no-such-export: cannot read: No such file or directory"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: archive))
    }

    /// A folder of unrelated files holds no blob: said so, and nothing is created.
    @Test func anInputFolderWithoutBlobsIsExplained() throws {
        let folder = TemporaryFolder()
        folder.write("stuff/README.txt", "hello\n")
        folder.write("stuff/sub/data.csv", "a,b\n1,2\n")
        folder.write("stuff/sub/export.json", storageLine() + "\n")   // not a blob name: not read from a folder
        let archive = folder.path + "/a.smsa"
        let run = try CommandLineTests.run(["convert", folder.path + "/stuff", "-o", archive])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("\(folder.path)/stuff: no export blobs"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: archive))

        // Beside a real blob, the empty folder is warned about and the blob converted.
        let blob = folder.write("export/PT1H.json", storageLine() + "\n")
        let mixed = try CommandLineTests.run(["convert", folder.path + "/stuff", blob, "-o", archive])
        #expect(mixed.status == 0, "\(mixed.stderr)")
        #expect(mixed.stderr.contains("\(folder.path)/stuff: no export blobs"), "\(mixed.stderr)")
        #expect(try CommandLineTests.run(["scan", archive, "--count"]).stdout == Data("1\n".utf8))
    }
}
