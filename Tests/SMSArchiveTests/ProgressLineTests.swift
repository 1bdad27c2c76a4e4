import Foundation
import Testing

/// On a terminal, convert's progress line counts down from the blobs and bytes the inputs hold.
@Suite struct ProgressLineTests {
    @Test func theProgressLineHasATotal() throws {
        let folder = TemporaryFolder()
        let export = CrashSafetyTests.export(folder)   // 12 blobs
        let archive = folder.path + "/a.smsa"
        // script(1) gives the command a terminal; its output is what the terminal showed.
        let command = "'\(CommandLineTests.executable)' convert '\(export)' -o '\(archive)' --buffer-size 1"
        let run = try runChild("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(run.status == 0, "\(String(decoding: run.stdout, as: UTF8.self))")
        let shown = String(decoding: run.stdout, as: UTF8.self).components(separatedBy: "\r").filter { $0.contains("rec/s") }
        #expect(!shown.isEmpty)
        #expect(shown.allSatisfy { $0.range(of: #"files [0-9]+/12  [0-9]+/[0-9]+ MB"#, options: .regularExpression) != nil }, "\(shown)")
        #expect(shown.contains { $0.contains("files 12/12") })
        // Not a terminal: no progress line at all.
        let plain = try CommandLineTests.run(["convert", export, "-o", folder.path + "/b.smsa"])
        #expect(plain.status == 0 && !plain.stderr.contains("rec/s"))
    }
}
