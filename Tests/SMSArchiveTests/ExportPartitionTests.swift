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
        #expect(ExportCommandTests.files(output) == [
            "category=AuthOperational/date=2026-10-01/part-0.parquet",
            "category=AuthOperational/date=2026-10-02/part-0.parquet",
            "category=Usage/date=2026-10-01/part-0.parquet",
        ])
    }

    /// Inode of each file under `root` (a file replaced, even by the same bytes, is another inode).
    static func inodes(_ root: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for file in ExportCommandTests.files(root) {
            result[file] = (try FileManager.default.attributesOfItem(atPath: root + "/" + file)[.systemFileNumber] as? NSNumber)?.intValue
        }
        return result
    }

    @Test func forceWithARangeOrCategoriesReplacesOnlyTheirPartitions() throws {
        let folder = TemporaryFolder()
        let archive = try ExportCommandTests.archive(in: folder)
        let output = folder.path + "/out"
        #expect(try Self.run(["export", archive, "-o", output, "-q"]).status == 0)
        folder.write("out/category=Old/date=2026-10-01/part-0.parquet", "stale, in the range")
        folder.write("out/category=Old/date=2020-01-01/part-0.parquet", "stale, outside the range")
        let total = try Self.count([archive])
        let full = try Self.inodes(output)
        let days = Set(full.keys.map { String($0.split(separator: "/")[1]) })
        #expect(days == ["date=2022-09-26", "date=2022-09-27", "date=2026-09-29", "date=2026-09-30", "date=2026-10-01", "date=2020-01-01"])

        // One day: its partitions (every category's) are replaced, the other days' files are untouched.
        let day = try Self.run(["export", archive, "-o", output, "--from", "2026-10-01", "--to", "2026-10-02", "--force", "-q"])
        #expect(day.status == 0, "\(day.stderr)")
        let afterDay = try Self.inodes(output)
        for (file, inode) in full where !file.contains("date=2026-10-01") {
            #expect(afterDay[file] == inode, "\(file) was replaced")
        }
        for (file, inode) in afterDay where file.contains("date=2026-10-01") {
            #expect(full[file] != inode, "\(file) was not replaced")
        }
        #expect(afterDay["category=Old/date=2026-10-01/part-0.parquet"] == nil)
        #expect(afterDay["category=Old/date=2020-01-01/part-0.parquet"] != nil)
        try FileManager.default.removeItem(atPath: output + "/category=Old")
        var counts = try Python.json(Self.duckCounts, [output]) as! [String: Int]
        #expect(counts.values.reduce(0, +) == total)   // nothing lost, nothing twice

        // One category, no range: its folder is replaced whole, the others are untouched.
        let usage = try Self.run(["export", archive, "-o", output, "--category", "usage", "--force", "-q"])
        #expect(usage.status == 0, "\(usage.stderr)")
        let afterUsage = try Self.inodes(output)
        #expect(afterUsage.keys.sorted() == afterDay.keys.filter { !$0.hasPrefix("category=Old") }.sorted())
        for (file, inode) in afterUsage {
            #expect((afterDay[file] == inode) == !file.hasPrefix("category=Usage/"), "\(file)")
        }
        counts = try Python.json(Self.duckCounts, [output]) as! [String: Int]
        #expect(counts.values.reduce(0, +) == total)

        // A category and a range together: only that category's days in the range.
        let both = try Self.run(["export", archive, "-o", output, "--category", "Usage", "--from", "2026-09-30T12:00", "--to", "2026-10-01", "--force", "-q"])
        #expect(both.status == 0, "\(both.stderr)")
        let afterBoth = try Self.inodes(output)
        for (file, inode) in afterBoth {
            #expect((afterUsage[file] == inode) == (file != "category=Usage/date=2026-09-30/part-0.parquet"), "\(file)")
        }
        #expect(afterBoth.keys.sorted() == afterUsage.keys.sorted())
    }
}
