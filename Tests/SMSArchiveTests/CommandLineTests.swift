import Foundation
import Testing
@testable import SMSArchive

/// The `smsarchive` executable as scripts see it: exit statuses, stdout and stderr.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutLines: [Data] { stdout.split(separator: 0x0A).map { Data($0) } }
    }

    /// The built executable, next to the test bundle.
    static let executable: String = {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("smsarchive").path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("smsarchive").path,
            repositoryRoot + "/.build/debug/smsarchive",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Run {
        let child = try runChild(executable, arguments, stdin: stdin)
        return Run(status: child.status, stdout: child.stdout, stderr: String(decoding: child.stderr, as: UTF8.self))
    }

    @Test func convertingCleanInputExitsZero() throws {
        let folder = TemporaryFolder()
        let blob = folder.write("PT1H.json", storageLine() + "\n" + storageLine(time: "2026-10-01T00:00:01Z") + "\n")
        let archive = folder.path + "/a.smsa"
        let convert = try Self.run(["convert", blob, "--output", archive])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(convert.stderr.contains("2 records"))
        let scan = try Self.run(["scan", archive, "--format", "jsonl"])
        #expect(scan.status == 0)
        #expect(scan.stdoutLines.count == 2)
        // Time order: the 00:00:01 record first.
        #expect(try (foundationJSON(scan.stdoutLines[0]) as! NSDictionary)["time"] as? String == "2026-10-01T00:00:01Z")
        let count = try Self.run(["scan", archive, "--count"])
        #expect(String(decoding: count.stdout, as: UTF8.self) == "2\n")
    }

    @Test func rejectsAreReportedWithFileAndLineAndExitTwo() throws {
        let folder = TemporaryFolder()
        let blob = folder.write("PT1H.json", Array((storageLine() + "\nnot json\n").utf8) + [0x7B, 0xFF, 0x7D, 0x0A] + Array(storageLine().prefix(30).utf8))
        let archive = folder.path + "/a.smsa"
        let convert = try Self.run(["convert", blob, "-o", archive])
        #expect(convert.status == 2)
        #expect(convert.stderr.contains("\(blob):2: invalid-json: "))
        #expect(convert.stderr.contains("\(blob):3: invalid-utf8: "))
        #expect(convert.stderr.contains("\(blob):4: truncated: "))

        let rejects = try Self.run(["rejects", archive])
        #expect(rejects.status == 0)
        let objects = try rejects.stdoutLines.map { try foundationJSON($0) as! NSDictionary }
        #expect(objects.map { $0["line"] as? Int } == [2, 3, 4])
        #expect(objects.map { $0["reason"] as? String } == ["invalid-json", "invalid-utf8", "truncated"])
        #expect(objects.map { $0["source"] as? String } == [blob, blob, blob])
        #expect(objects[0]["text"] as? String == "not json")
        #expect(objects[1]["text"] == nil)
        #expect(objects[1]["base64"] as? String == "e/99")   // the bytes 7B FF 7D
        #expect(objects[2]["text"] as? String == String(storageLine().prefix(30)))
    }

    @Test func readsStandardInput() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        let convert = try Self.run(["convert", "-", "-o", archive], stdin: Data(gzip(Array((storageLine() + "\n").utf8))))
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(try Self.run(["scan", archive, "--count"]).stdout == Data("1\n".utf8))
    }

    @Test func aFailureExitsOneAndLeavesTheArchiveAsItWas() throws {
        let folder = TemporaryFolder()
        let blob = folder.write("PT1H.json", storageLine() + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try Self.run(["convert", blob, "-o", archive]).status == 0)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: archive + "/manifest.json"))
        let missing = try Self.run(["convert", blob, folder.path + "/no-such-input", "-o", archive])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: archive + "/manifest.json")) == manifest)
        #expect(try Self.run(["scan", archive, "--count"]).stdout == Data("1\n".utf8))

        let notAnArchive = try Self.run(["scan", folder.path + "/nothing-here"])
        #expect(notAnArchive.status == 1)
        #expect(notAnArchive.stderr.contains("nothing-here"))
    }

    @Test func badUsageIsExplained() throws {
        let run = try Self.run(["scan", "x", "--from", "not-a-time"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--from"))
        let help = try Self.run(["convert", "--help"])
        #expect(help.status == 0)
        #expect(String(decoding: help.stdout, as: UTF8.self).contains("--output"))
    }
}
