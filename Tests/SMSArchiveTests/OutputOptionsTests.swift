import Foundation
import Testing

/// `scan -o FILE`, and `--fields`/`--limit` on `export --format jsonl|csv`.
@Suite struct OutputOptionsTests {
    static func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests.run(arguments) }

    @Test func scanWritesToAFile() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        let file = folder.path + "/us.csv"
        folder.write("us.csv", "an older file, replaced")
        for options in [["--country", "US", "--format", "csv"], ["--country", "US", "--count"], ["--format", "table", "--limit", "3"]] {
            let toFile = try Self.run(["scan", archive, "-o", file] + options)
            #expect(toFile.status == 0, "\(toFile.stderr)")
            #expect(toFile.stdout.isEmpty)
            let toStdout = try Self.run(["scan", archive] + options)
            #expect(!toStdout.stdout.isEmpty)
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == toStdout.stdout, "\(options)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }.isEmpty)
        // A folder that is not there: a failure, and no file.
        let missing = try Self.run(["scan", archive, "--output", folder.path + "/no/such/folder/x.jsonl"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no/such/folder"))
    }

    @Test func exportStreamsTakeFieldsAndLimit() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        for format in ["csv", "jsonl"] {
            let options = ["--fields", "time,PhoneNumber,Country", "--limit", "7", "--from", "2026-10-01"]
            let export = try Self.run(["export", archive, "--format", format] + options)
            #expect(export.status == 0, "\(export.stderr)")
            let scan = try Self.run(["scan", archive, "--format", format] + options)
            #expect(export.stdout == scan.stdout)
            #expect(scan.stdoutLines.count == (format == "csv" ? 8 : 7))   // csv: a header row
            if format == "jsonl" {
                #expect(try (foundationJSON(scan.stdoutLines[0]) as! NSDictionary).allKeys.count == 3)
            }
        }
        let file = folder.path + "/two.jsonl"
        #expect(try Self.run(["export", archive, "--format", "jsonl", "--limit", "2", "-o", file, "-q"]).status == 0)
        #expect(try lines(ofFile: file).count == 2)
        for wrong in [["--format", "parquet", "-o", folder.path + "/p", "--limit", "2"], ["-o", folder.path + "/p", "--fields", "time"],
                      ["--format", "csv", "--limit", "-2"], ["--format", "csv", "--fields", "nope"]] {
            let run = try Self.run(["export", archive] + wrong)
            #expect(run.status == 64, "\(wrong): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/p"))
    }
}
