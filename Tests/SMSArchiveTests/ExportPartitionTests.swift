import Foundation
import Testing
@testable import SMSArchive

/// The partitions of a Parquet export: one folder per category whatever its letter case,
/// and `--force` with a range or categories replaces only the partitions it covers.
@Suite struct ExportPartitionTests {
    static func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests.run(arguments) }

    static func count(_ arguments: [String]) throws -> Int {
        let run = try Self.run(["scan"] + arguments + ["--count"])
        return Int(String(decoding: run.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Rows per category value as DuckDB reads the folder through the README's glob.
    static let duckCounts = #"""
    import sys, json, duckdb
    rows = duckdb.sql(f"SELECT category, count(*) FROM read_parquet('{sys.argv[1]}/**/*.parquet', hive_partitioning=true) GROUP BY 1").fetchall()
    print(json.dumps({str(c): n for c, n in rows}))
    """#

    /// A line of category `category` at `time`.
    static func line(_ category: String, _ time: String) -> String {
        storageLine(time: time).replacingOccurrences(of: #""category":"SMSOperational""#, with: #""category":"\#(category)""#)
    }

    @Test func aCategoryIsOneFolderWhateverItsLetterCase() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        let output = folder.path + "/out"
        #expect(try Self.run(["export", archive, "-o", output, "--quiet"]).status == 0)
        let categories = Set(ExportCommandTests.files(output).map { String($0.split(separator: "/")[0]) })
        #expect(categories == ["category=SMSOperational", "category=Usage"])
        // testdata has SMSOperational and smsoperational (records named by their path): a filter on the
        // documented spelling counts what scan --category (which ignores case) counts.
        let counts = try Python.json(Self.duckCounts, [output]) as! [String: Int]
        let operational = try Self.count([archive, "--category", "SMSOperational"])
        #expect(operational > 0)
        #expect(counts["SMSOperational"] == operational)
        #expect(counts["Usage"] == (try Self.count([archive, "--category", "usage"])))
        #expect(counts.values.reduce(0, +) == (try Self.count([archive])))
    }

    @Test func anotherCategoryIsSpelledAsFirstMetOrAsTheFolderHasIt() throws {
        let folder = TemporaryFolder()
        folder.write("PT1H.json", [
            Self.line("usage", "2026-10-01T00:00:01Z"),          // a documented name: Usage
            Self.line("AuthOperational", "2026-10-01T00:00:02Z"), // met first
            Self.line("authoperational", "2026-10-01T00:00:03Z"),
            Self.line("AUTHOPERATIONAL", "2026-10-02T00:00:04Z"),
        ].joined(separator: "\n") + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try Self.run(["convert", folder.path + "/PT1H.json", "-o", archive, "-q"]).status == 0)
        let output = folder.path + "/out"
        #expect(try Self.run(["export", archive, "-o", output, "-q"]).status == 0)
        #expect(ExportCommandTests.files(output) == [
            "category=AuthOperational/date=2026-10-01/part-0.parquet",
            "category=AuthOperational/date=2026-10-02/part-0.parquet",
            "category=Usage/date=2026-10-01/part-0.parquet",
        ])
        // A later export of the last day alone meets AUTHOPERATIONAL first; the folder's spelling wins.
        let refresh = try Self.run(["export", archive, "-o", output, "--from", "2026-10-02", "--force", "-q"])
        #expect(refresh.status == 0, "\(refresh.stderr)")
        #expect(ExportCommandTests.files(output).filter { $0.lowercased().hasPrefix("category=auth") }
                == ["category=AuthOperational/date=2026-10-02/part-0.parquet"])
    }
}
