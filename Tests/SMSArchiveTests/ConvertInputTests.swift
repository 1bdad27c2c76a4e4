import Foundation
import Testing
@testable import SMSArchive

/// `convert` refuses inputs that are the output archive or inside it: its segments and
/// sources read as an export would each become rejects, kept in the archive for good.
@Suite struct ConvertInputTests {
    static func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests.run(arguments) }

    @Test func inputsInsideTheOutputArchiveAreRefused() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        let before = try snapshot(archive)
        let segments = try FileManager.default.contentsOfDirectory(atPath: archive + "/segments").sorted().map { archive + "/segments/" + $0 }
        #expect(!segments.isEmpty)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link", withDestinationPath: archive)
        let name = (archive as NSString).lastPathComponent
        let cases: [(inputs: [String], named: String)] = [
            (segments, segments[0]),                                                   // convert A/segments/* -o A
            ([testdataExport, archive + "/sources"], archive + "/sources"),          // a good input first
            ([archive], archive),                                                      // the archive itself
            ([folder.path + "/link/segments"], folder.path + "/link/segments"),        // through a symbolic link
            ([archive + "/../" + name + "/segments"], archive + "/../" + name + "/segments"),
        ]
        for (inputs, named) in cases {
            let run = try Self.run(["convert"] + inputs + ["-o", archive])
            #expect(run.status == 64, "\(inputs): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("\(named): is inside the output archive"), "\(run.stderr)")
        }
        #expect(try snapshot(archive) == before)
        #expect(throws: InputInsideArchive.self) { try Converter(inputs: [segments[0]], archive: archive) }
    }

    @Test func anArchiveInsideAnInputFolderIsNotReadAsInput() throws {
        let folder = TemporaryFolder()
        folder.write("export/PT1H.json", storageLine() + "\n")
        let archive = folder.path + "/export/a.smsa"
        #expect(try Self.run(["convert", folder.path + "/export", "-o", archive]).status == 0)
        let again = try Self.run(["convert", folder.path + "/export", "-o", archive])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("added 0 records (0 rejected)"), "\(again.stderr)")
        #expect(try Self.run(["rejects", archive]).stdout.isEmpty)
    }
}
