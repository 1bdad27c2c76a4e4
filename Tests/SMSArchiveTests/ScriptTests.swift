import Foundation
import Testing

/// The repository's scripts parse their arguments: `--help` or a wrong option has no side effect.
@Suite(.serialized) struct ScriptTests {
    static func python(_ arguments: [String]) throws -> ChildRun {
        try runChild("/usr/bin/env", ["python3"] + arguments)
    }

    /// The folder's identity (recreated, it is another inode) and every file in it.
    static func state(_ folder: String) throws -> (inode: Int?, files: [String: Data]) {
        let attributes = try FileManager.default.attributesOfItem(atPath: folder)
        return ((attributes[.systemFileNumber] as? NSNumber)?.intValue, try snapshot(folder))
    }

    @Test func destructiveScriptsAnswerHelpWithoutSideEffects() throws {
        let cases: [(script: String, touches: String)] = [
            ("scripts/make_testdata.py", "testdata/export"),
            ("scripts/make_testdata.py", "testdata/expected"),
            ("fuzz/make_corpus.py", "fuzz/corpus"),
        ]
        for (script, touched) in cases {
            let folder = repositoryRoot + "/" + touched
            let before = try Self.state(folder)
            #expect(!before.files.isEmpty)
            let help = try Self.python([repositoryRoot + "/" + script, "--help"])
            #expect(help.status == 0, "\(script)")
            #expect(String(decoding: help.stdout, as: UTF8.self).hasPrefix("usage:"), "\(script)")
            let wrong = try Self.python([repositoryRoot + "/" + script, "--no-such-option"])
            #expect(wrong.status == 2, "\(script)")
            #expect(String(decoding: wrong.stderr, as: UTF8.self).contains("unrecognized arguments"), "\(script)")
            let after = try Self.state(folder)
            #expect(after.inode == before.inode, "\(script) recreated \(touched)")
            #expect(after.files == before.files, "\(script) changed \(touched)")
        }
    }

    @Test func makeTestdataWritesWhereItIsTold() throws {
        let folder = TemporaryFolder()
        let before = try Self.state(testdataExport)
        let run = try Self.python([repositoryRoot + "/scripts/make_testdata.py", "--testdata", folder.path])
        #expect(run.status == 0, "\(String(decoding: run.stderr, as: UTF8.self))")
        #expect(try Self.state(testdataExport).inode == before.inode)
        // Deterministic: the expectations are those the repository holds.
        #expect(try snapshot(folder.path + "/expected") == snapshot(repositoryRoot + "/testdata/expected"))
        #expect(try snapshot(folder.path + "/export").keys.sorted() == before.files.keys.sorted())
    }
}
