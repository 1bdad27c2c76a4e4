import Foundation
import Testing
@testable import SMSRecords

/// `--from`/`--to` take now, today and yesterday, and `--since DURATION`, as a nightly job
/// would write them; a time that is not one says what one looks like.
@Suite struct RelativeTimeTests {
    static func count(_ arguments: [String]) throws -> (status: Int32, count: Int?) {
        let run = try CommandLineTests.run(["scan"] + arguments + ["--count"])
        return (run.status, Int(String(decoding: run.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func relativeTimes() throws {
        let folder = TemporaryFolder()
        let now = Date()
        // Hours before now: 1 h, 30 h, 60 h and 10 days.
        let times = [1.0, 30, 60, 240].map { now.addingTimeInterval(-$0 * 3600) }
        let formatter = ISO8601DateFormatter()
        let blob = folder.write("PT1H.json", times.map { storageLine(time: formatter.string(from: $0)) + "\n" }.joined())
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", blob, "-o", archive, "-q"]).status == 0)

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now), yesterday = today.addingTimeInterval(-86_400)
        #expect(try Self.count([archive, "--from", "today"]) == (0, times.filter { $0 >= today }.count))
        #expect(try Self.count([archive, "--from", "yesterday", "--to", "today"]) == (0, times.filter { $0 >= yesterday && $0 < today }.count))
        #expect(try Self.count([archive, "--to", "now"]) == (0, 4))
        #expect(try Self.count([archive, "--since", "2h"]) == (0, 1))
        #expect(try Self.count([archive, "--since", "120m"]) == (0, 1))
        #expect(try Self.count([archive, "--since", "2d"]) == (0, 2))
        #expect(try Self.count([archive, "--since", "3d"]) == (0, 3))
        #expect(try CommandLineTests.run(["compact", archive, "--from", "yesterday", "--to", "today", "-q"]).status == 0)
        let export = try CommandLineTests.run(["export", archive, "--format", "jsonl", "--since", "2d"])
        #expect(export.stdoutLines.count == 2)
    }

    @Test func aBadTimeSaysWhatATimeLooksLike() throws {
        for bad in ["yesterday2", "10/01/2026", "2026-13-01", "tomorrow"] {
            for command in [["scan", "x", "--from", bad], ["scan", "x", "--to", bad], ["compact", "x", "--from", bad]] {
                let run = try CommandLineTests.run(command)
                #expect(run.status == 64, "\(command)")
                #expect(run.stderr.contains("'\(bad)' is not a time") && run.stderr.contains("such as 2026-10-01")
                        && run.stderr.contains("yesterday"), "\(command): \(run.stderr)")
            }
        }
        for arguments in [["--since", "24x"], ["--since", "h"], ["--since", "-1h"], ["--since", "24h", "--from", "today"],
                          ["--since", "1d", "--to", "2020-01-01"]] {
            let run = try CommandLineTests.run(["scan", "x"] + arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("--since"), "\(arguments): \(run.stderr)")
        }
    }
}
