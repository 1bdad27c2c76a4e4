import Foundation
import Testing
@testable import SMSArchive

/// Options out of range are usage errors (exit 64, a message naming the option), not
/// crashes, confusing messages or silently empty answers.
@Suite struct UsageErrorTests {
    static func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests.run(arguments) }

    @Test func everyNumericOptionIsChecked() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        let blob = folder.write("PT1H.json", storageLine() + "\n")
        let out = folder.path + "/out"
        let cases: [(arguments: [String], option: String)] = [
            (["info", archive, "--top", "-1"], "--top"),      // was SIGSEGV
            (["info", archive, "--top=-2"], "--top"),         // was SIGABRT
            (["scan", archive, "--limit", "-1"], "--limit"),  // was "Missing value"
            (["scan", archive, "--limit=-5"], "--limit"),
            (["convert", blob, "-o", out, "--level", "0"], "--level"),
            (["convert", blob, "-o", out, "--level", "-3"], "--level"),
            (["convert", blob, "-o", out, "--buffer-size", "-1"], "--buffer-size"),
            (["convert", blob, "-o", out, "--buffer-size", "0"], "--buffer-size"),
            (["convert", blob, "-o", out, "--buffer-size", String(Int.max >> 10)], "--buffer-size"),   // MiB overflowing bytes
            (["compact", archive, "--target-size", "-5"], "--target-size"),
            (["compact", archive, "--target-size", String(Int.max >> 10)], "--target-size"),
            (["export", archive, "-o", out, "--row-group-rows", "-1"], "--row-group-rows"),
            (["export", archive, "-o", out, "--row-group-rows", "0"], "--row-group-rows"),
            (["export", archive, "-o", out, "--compression-level", "-1"], "--compression-level"),
            (["export", archive, "-o", out, "--compression-level", "23"], "--compression-level"),
        ]
        for (arguments, option) in cases {
            let run = try Self.run(arguments)
            #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains(option), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Missing value"), "\(arguments): \(run.stderr)")
        }
        // Nothing was written by a refused command.
        #expect(!FileManager.default.fileExists(atPath: out))

        // The smallest values allowed work.
        let top = try Self.run(["info", archive, "--top", "0", "--json"])
        #expect(top.status == 0, "\(top.stderr)")
        let info = try foundationJSON(top.stdout) as! NSDictionary
        #expect((info["topPhoneNumbers"] as? NSArray)?.count == 0)
        let one = try foundationJSON(try Self.run(["info", archive, "--top", "1", "--json"]).stdout) as! NSDictionary
        #expect((one["topPhoneNumbers"] as? NSArray)?.count == 1)
        #expect(try Self.run(["scan", archive, "--limit", "0"]).stdout.isEmpty)
    }

    @Test func aRangeThatEndsBeforeItStartsIsRefused() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        let before = try snapshot(archive)
        let backwards = ["--from", "2026-10-01T02:00", "--to", "2026-10-01T01:00"]
        for arguments in [["scan", archive], ["scan", archive, "--count"], ["export", archive, "-o", folder.path + "/out"],
                          ["export", archive, "--format", "jsonl"], ["compact", archive]] {
            let run = try Self.run(arguments + backwards)
            #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("--from") && run.stderr.contains("later than --to"), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out"))
        #expect(try snapshot(archive) == before)
        // Instants are compared, not texts: 03:00+02:00 is 01:00Z, before 02:00Z.
        let zoned = try Self.run(["scan", archive, "--count", "--from", "2026-10-01T03:00+02:00", "--to", "2026-10-01T02:00Z"])
        #expect(zoned.status == 0, "\(zoned.stderr)")
        let plain = try Self.run(["scan", archive, "--count", "--from", "2026-10-01T01:00Z", "--to", "2026-10-01T02:00Z"])
        #expect(zoned.stdout == plain.stdout)
        #expect(plain.stdout != Data("0\n".utf8))
    }

    @Test func fieldsNamingNoColumnIsRefused() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        for fields in ["", ",", " , "] {
            let run = try Self.run(["scan", archive, "--fields", fields])
            #expect(run.status == 64, "'\(fields)': \(run.status)")
            #expect(run.stderr.contains("--fields"))
            #expect(run.stdout.isEmpty)   // was a {} per record
        }
        let two = try Self.run(["scan", archive, "--fields", "time,,Country", "--limit", "1"])
        #expect(two.status == 0)
        #expect(try (foundationJSON(two.stdout) as! NSDictionary).allKeys.count == 2)
    }

    @Test func noCommandIsAUsageError() throws {
        let none = try Self.run([])
        #expect(none.status == 64)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr.contains("SUBCOMMANDS") && none.stderr.contains("smsarchive: error: no command given"))
        // Asking for help or the version is no error.
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        #expect(String(decoding: help.stdout, as: UTF8.self).contains("SUBCOMMANDS"))
        #expect(try Self.run(["--version"]).status == 0)
        #expect(try Self.run(["help", "scan"]).status == 0)
    }

    @Test func everyErrorBeginsTheSameWay() throws {
        let folder = TemporaryFolder()
        let cases: [(arguments: [String], status: Int32)] = [
            (["scan", folder.path, "--limit", "-1"], 64),       // a check of the command
            (["scan"], 64),                                      // the parser's: a missing argument
            (["bogus"], 64),                                     // the parser's: an unknown command
            (["scan", folder.path, "--no-such-option"], 64),
            (["info", folder.path + "/missing"], 1),             // a failure while running
            (["convert", folder.path + "/missing", "-o", folder.path + "/a.smsa"], 1),
        ]
        for (arguments, status) in cases {
            let run = try Self.run(arguments)
            #expect(run.status == status, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.hasPrefix("smsarchive: error: "), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Error:"), "\(arguments): \(run.stderr)")
        }
    }
}
