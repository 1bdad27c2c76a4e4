import Foundation
import Testing

/// `rejects --reason R` lists only the rejects of R; an unknown reason is a usage error.
@Suite struct RejectsReasonTests {
    @Test func onlyTheReasonsAskedFor() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        // What the generator says testdata holds, per reason.
        let expected = try lines(ofFile: repositoryRoot + "/testdata/expected/rejects.jsonl")
            .map { try foundationJSON($0) as! NSDictionary }
        let perReason = Dictionary(grouping: expected) { $0["reason"] as! String }.mapValues(\.count)
        #expect(perReason["invalid-json", default: 0] > 0 && perReason["bad-time", default: 0] > 0)
        for reasons in [["invalid-json"], ["invalid-json", "bad-time"]] {
            let run = try CommandLineTests.run(["rejects", archive] + reasons.flatMap { ["--reason", $0] })
            #expect(run.status == 0, "\(run.stderr)")
            let listed = try run.stdoutLines.map { try foundationJSON($0) as! NSDictionary }
            #expect(Set(listed.map { $0["reason"] as! String }) == Set(reasons))
            #expect(listed.count == reasons.map { perReason[$0, default: 0] }.reduce(0, +))
        }
        let bad = try CommandLineTests.run(["rejects", archive, "--reason", "invalid_json"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--reason 'invalid_json'") && bad.stderr.contains("invalid-json"))
    }
}
