import Foundation
import Testing
@testable import SMSArchive

/// `stats --by category` takes categories that differ only in letter case as one, with the
/// spelling `export` gives its `category=` folder, as `scan --category` matches them.
@Suite struct StatsCategoryTests {
    static func line(_ second: Int, category: String) -> String {
        #"{"time":"2026-10-01T00:00:\#(second < 10 ? "0" : "")\#(second).0000000Z","category":"\#(category)","operationName":"SMSMessagesSent","properties":{"Country":"US"}}"#
    }

    @Test func categoriesDifferingInCaseAreOneGroup() throws {
        let folder = TemporaryFolder()
        let lines = [Self.line(1, category: "SMSOperational"), Self.line(2, category: "smsoperational"),
                     Self.line(3, category: "SMSOPERATIONAL"), Self.line(4, category: "Usage"), Self.line(5, category: "usage")]
        let archive = try ArchiveRoundTripTests.convert([folder.write("in/PT1H.json", lines.joined(separator: "\n") + "\n")], into: folder)
        let run = try CommandLineTests.run(["stats", archive, "--by", "category", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(String(decoding: run.stdout, as: UTF8.self) == "category,records\r\nSMSOperational,3\r\nUsage,2\r\n")
    }
}
