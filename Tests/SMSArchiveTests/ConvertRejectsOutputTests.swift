import Foundation
import Testing

/// `convert --rejects all|summary|none`: by default the first 10 rejects, then a count per reason.
@Suite struct ConvertRejectsOutputTests {
    /// stderr lines that report one reject (FILE:LINE: reason: detail).
    static func rejectLines(_ stderr: String) -> [String] {
        stderr.components(separatedBy: "\n").filter { $0.range(of: #"^.+:[0-9]+: [a-z0-9-]+: "#, options: .regularExpression) != nil }
    }

    @Test func rejectsOnStderr() throws {
        let expected = try lines(ofFile: repositoryRoot + "/testdata/expected/rejects.jsonl").map { try foundationJSON($0) as! NSDictionary }
        let perReason = Dictionary(grouping: expected) { $0["reason"] as! String }.mapValues(\.count)
        #expect(expected.count > 10)
        let folder = TemporaryFolder()
        var byMode: [String: CommandLineTests.Run] = [:]
        for mode in ["default", "all", "summary", "none", "quiet"] {
            let options = mode == "default" ? [] : mode == "quiet" ? ["--quiet"] : ["--rejects", mode]
            let run = try CommandLineTests.run(["convert", testdataExport, "-o", folder.path + "/\(mode).smsa"] + options)
            #expect(run.status == 2, "\(mode): \(run.stderr)")
            byMode[mode] = run
        }
        #expect(Self.rejectLines(byMode["all"]!.stderr).count == expected.count)
        #expect(Self.rejectLines(byMode["default"]!.stderr) == Array(Self.rejectLines(byMode["all"]!.stderr).prefix(10)))
        #expect(Self.rejectLines(byMode["summary"]!.stderr).count == 10)
        #expect(Self.rejectLines(byMode["none"]!.stderr).isEmpty)
        #expect(byMode["quiet"]!.stderr.isEmpty)
        for mode in ["default", "all", "summary", "none"] {
            let stderr = byMode[mode]!.stderr
            let summary = try #require(stderr.components(separatedBy: "\n").first { $0.hasPrefix("smsarchive: rejected lines by reason: ") })
            for (reason, count) in perReason { #expect(summary.contains("\(reason) \(count)"), "\(mode): \(summary)") }
            #expect(summary.contains("not shown") == (mode != "all"), "\(mode): \(summary)")
            #expect(stderr.contains("added \(try #require(Self.recordCount)) records (\(expected.count) rejected)"))
        }
        let bad = try CommandLineTests.run(["convert", testdataExport, "-o", folder.path + "/x.smsa", "--rejects", "some"])
        #expect(bad.status == 64)
    }

    static var recordCount: Int? {
        let summary = try? foundationJSON(Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/testdata/expected/summary.json"))) as? NSDictionary
        return summary?["records"] as? Int
    }
}
