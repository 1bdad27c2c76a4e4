import Foundation
import Testing
@testable import SMSArchive

/// Every blob under a walked folder is read or reported: a folder whose name is not UTF-8, a
/// symbolic link to a folder, or a link whose target cannot be reached stops the run with a message
/// naming it, and the archive is unchanged.
@Suite struct WalkReportsTests {
    static func export(_ folder: TemporaryFolder) -> String {
        _ = folder.write("export/insights-logs-usage/a/PT1H.json", storageLine() + "\n")
        return folder.path + "/export"
    }

    @Test func aFolderNamedInOtherBytesThanUTF8IsNamed() throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder)
        // "caf\xE9": Latin-1, not UTF-8.
        let odd = Data((export + "/insights-logs-usage/caf").utf8) + Data([0xE9, 0])
        #expect(odd.withUnsafeBytes { mkdir($0.baseAddress!.assumingMemoryBound(to: CChar.self), 0o755) } == 0)
        let blob = Data((export + "/insights-logs-usage/caf").utf8) + Data([0xE9]) + Data("/PT1H.json\0".utf8)
        let fd = blob.withUnsafeBytes { open($0.baseAddress!.assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
        #expect(fd >= 0)
        _ = Array((storageLine(time: "2026-10-01T00:00:01Z") + "\n").utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let archive = folder.path + "/a.smsa"
        let run = try CommandLineTests.run(["convert", export, "-o", archive])
        #expect(run.status == 1)
        #expect(run.stderr.contains(#"insights-logs-usage/caf\xE9"#), "\(run.stderr)")
        #expect(run.stderr.contains("not UTF-8"))
        #expect(!FileManager.default.fileExists(atPath: archive + "/manifest.json"))
    }

    @Test func aSymlinkedFolderIsNamedNotSkipped() throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder)
        _ = folder.write("elsewhere/PT1H.json", storageLine(time: "2026-10-01T00:00:02Z") + "\n")
        try FileManager.default.createSymbolicLink(atPath: export + "/insights-logs-usage/linked", withDestinationPath: folder.path + "/elsewhere")
        let run = try CommandLineTests.run(["convert", export, "-o", folder.path + "/a.smsa"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("insights-logs-usage/linked"), "\(run.stderr)")
        #expect(run.stderr.contains("symbolic link to a folder"))
        // Given as an input, the target is read.
        let direct = try CommandLineTests.run(["convert", export + "/insights-logs-usage/a", folder.path + "/elsewhere", "-o", folder.path + "/b.smsa"])
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(String(decoding: try CommandLineTests.run(["scan", folder.path + "/b.smsa", "--count"]).stdout, as: UTF8.self) == "2\n")
    }

    /// A blob link or folder link into a share that is not mounted was skipped without a word.
    @Test(arguments: ["h=02/PT1H.json", "h=03"])
    func aLinkWhoseTargetCannotBeReachedIsNamed(link: String) throws {
        let folder = TemporaryFolder()
        let export = Self.export(folder)
        _ = folder.write("export/insights-logs-usage/h=02/keep", "")
        try FileManager.default.createSymbolicLink(atPath: export + "/insights-logs-usage/" + link, withDestinationPath: folder.path + "/unmounted/" + link)
        let archive = folder.path + "/a.smsa"
        let run = try CommandLineTests.run(["convert", export, "-o", archive])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("insights-logs-usage/\(link): cannot read: a symbolic link whose target cannot be reached"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: archive + "/manifest.json"))
    }
}
