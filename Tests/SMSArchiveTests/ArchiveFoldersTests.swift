import Foundation
import Testing
@testable import SMSArchive

/// A writer deletes only what is its own: never through a symbolic link out of the archive, never a
/// file that is not a leftover of a killed run; and it sweeps those leftovers, temporary manifests too.
@Suite struct ArchiveFoldersTests {
    static func archive(_ folder: TemporaryFolder) throws -> (archive: String, blob: String) {
        let blob = folder.write("in/PT1H.json", storageLine() + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", blob, "-o", archive]).status == 0)
        return (archive, folder.write("in2/PT1H.json", storageLine(time: "2026-10-02T00:00:00Z") + "\n"))
    }

    @Test(arguments: ["segments", "sources"])
    func aSymlinkedFolderIsRefusedAndNothingOutsideIsTouched(name: String) throws {
        let folder = TemporaryFolder()
        let (archive, blob) = try Self.archive(folder)
        let elsewhere = folder.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let precious = folder.write("elsewhere/precious.smsseg", "not ours")
        // The archive's folder is moved aside and replaced by a link to an unrelated folder.
        try FileManager.default.moveItem(atPath: archive + "/" + name, toPath: folder.path + "/moved")
        try FileManager.default.createSymbolicLink(atPath: archive + "/" + name, withDestinationPath: elsewhere)
        let run = try CommandLineTests.run(["convert", blob, "-o", archive])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(name)/ is a symbolic link"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: precious))
        #expect(try CommandLineTests.run(["compact", archive]).status == 1)
        #expect(FileManager.default.fileExists(atPath: precious))
    }

    @Test func leftoversAreSweptAndOtherFilesKept() throws {
        let folder = TemporaryFolder()
        let (archive, blob) = try Self.archive(folder)
        let staleManifest = folder.write("a.smsa/manifest.json.tmp-999999", "{")
        let staleSegment = folder.write("a.smsa/segments/2026-10-01-000009-deadbeef.smsseg.tmp", "partial")
        let orphan = folder.write("a.smsa/segments/2026-10-01-000010-deadbeef.smsseg", "no manifest names it")
        let notes = folder.write("a.smsa/segments/notes.txt", "a user's file")
        let run = try CommandLineTests.run(["convert", blob, "-o", archive])
        #expect(run.status == 0, "\(run.stderr)")
        for stale in [staleManifest, staleSegment, orphan] { #expect(!FileManager.default.fileExists(atPath: stale), "\(stale)") }
        #expect(FileManager.default.fileExists(atPath: notes))
        #expect(String(decoding: try CommandLineTests.run(["scan", archive, "--count"]).stdout, as: UTF8.self) == "2\n")
    }
}
