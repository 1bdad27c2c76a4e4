import Foundation
import Testing
@testable import SMSArchive
@testable import SMSRecords

/// `smsarchive export` through the built executable: filters, output folder rules, jsonl and csv streams.
@Suite struct ExportCommandTests {
    static func run(_ arguments: [String]) throws -> CommandLineTests.Run { try CommandLineTests.run(arguments) }

    static func archive(in folder: TemporaryFolder) throws -> String {
        try ArchiveRoundTripTests.convert([testdataExport], into: folder)
    }

    /// Relative paths of the files under `root` (hidden ones included).
    static func files(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { !FileManager.default.isDirectory(root + "/" + $0) }.sorted()
    }

    static let countScript = #"""
    import sys, json, pyarrow.dataset as ds
    t = ds.dataset(sys.argv[1], format="parquet", partitioning="hive").to_table()
    print(json.dumps({"rows": t.num_rows, "categories": sorted(set(t.column("category").to_pylist())),
                      "min_time": min(t.column("time").cast("int64").to_pylist())}))
    """#

    /// A time before 1677 (a .NET or Windows default, 0001-01-01 or 1601-01-01) cannot be a Parquet
    /// nanosecond timestamp: the export fails naming it and saying how to go on, and microseconds work.
    @Test func aTimeOutsideNanosecondsSaysHowToGoOn() throws {
        let folder = TemporaryFolder()
        let blob = folder.write("in/PT1H.json", storageLine(time: "1601-01-01T00:00:00Z") + "\n" + storageLine() + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", blob, "-o", archive, "-q"]).status == 0)
        let nanos = try CommandLineTests.run(["export", archive, "-o", folder.path + "/out"])
        #expect(nanos.status == 1)
        #expect(nanos.stderr.contains("record time 1601-01-01T00:00:00"), "\(nanos.stderr)")
        #expect(nanos.stderr.contains("--time-unit micros"), "\(nanos.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/category=SMSOperational"))
        let micros = try CommandLineTests.run(["export", archive, "-o", folder.path + "/out2", "--time-unit", "micros", "-q"])
        #expect(micros.status == 0, "\(micros.stderr)")
        let later = try CommandLineTests.run(["export", archive, "-o", folder.path + "/out3", "--from", "2000-01-01T00:00:00Z", "-q"])
        #expect(later.status == 0, "\(later.stderr)")
    }

    @Test func filtersAreThoseOfScan() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(in: folder)
        let filters = ["--category", "usage", "--from", "2026-10-01T01:00", "--to", "2026-10-01T03:00"]
        let output = folder.path + "/out"
        let export = try Self.run(["export", archive, "--output", output] + filters)
        #expect(export.status == 0, "\(export.stderr)")
        let count = try Self.run(["scan", archive, "--count"] + filters)
        let expected = Int(String(decoding: count.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(expected > 0)
        #expect(export.stderr.contains("exported \(expected) records"))
        let result = try Python.json(Self.countScript, [output]) as! [String: Any]
        #expect(result["rows"] as? Int == expected)
        // The folder name has the documented spelling of the category, whatever the option's.
        #expect(result["categories"] as? [String] == ["Usage"])
        #expect((result["min_time"] as! NSNumber).int64Value >= Timestamp(queryBound: "2026-10-01T01:00")!.ticks * 100)
        #expect(Self.files(output).allSatisfy { $0.hasPrefix("category=Usage/date=2026-10-01/part-") })
    }

    @Test func aNonEmptyOutputFolderIsRefusedUnlessForced() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(in: folder)
        let output = folder.path + "/out"
        folder.write("out/category=Old/date=2020-01-01/part-0.parquet", "stale")
        folder.write("out/notes.txt", "kept")

        let refused = try Self.run(["export", archive, "-o", output])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not empty") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(Self.files(output) == ["category=Old/date=2020-01-01/part-0.parquet", "notes.txt"])

        let forced = try Self.run(["export", archive, "-o", output, "--force", "--quiet"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.isEmpty)
        let after = Self.files(output)
        // The earlier export's partitions are gone, other files stay, no staging folder is left.
        #expect(!after.contains { $0.hasPrefix("category=Old") })
        #expect(after.contains("notes.txt"))
        #expect(!after.contains { $0.hasPrefix(".tmp-export") })
        #expect(after.contains("category=Usage/date=2026-10-01/part-0.parquet"))
        // One file per category and day of testdata: SMSOperational on 2022-09-26 and 2022-09-27 (the
        // documentation's examples), on 2026-09-29 and 2026-09-30 (late workspace rows) and 2026-10-01
        // (with the records without a category, named smsoperational by their path); Usage on
        // 2026-09-30 (a late row) and 2026-10-01.
        #expect(after.filter { $0.hasSuffix(".parquet") }.count == 7)
    }

    @Test func aFailedExportLeavesNothingBehind() throws {
        let folder = TemporaryFolder()
        let output = folder.path + "/out"
        let missing = try Self.run(["export", folder.path + "/no-archive", "-o", output])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-archive"))
        #expect(Self.files(output).isEmpty)
        let usage = try Self.run(["export", folder.path + "/no-archive"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--output"))
    }

    @Test func jsonlAndCSVAreScansOutput() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(in: folder)
        let scanJSON = try Self.run(["scan", archive, "--country", "US"])
        let exportJSON = try Self.run(["export", archive, "--format", "jsonl", "--country", "US"])
        #expect(exportJSON.status == 0, "\(exportJSON.stderr)")
        #expect(!scanJSON.stdout.isEmpty)
        #expect(exportJSON.stdout == scanJSON.stdout)

        let csvPath = folder.path + "/all.csv"
        let exportCSV = try Self.run(["export", archive, "--format", "csv", "-o", csvPath])
        #expect(exportCSV.status == 0, "\(exportCSV.stderr)")
        #expect(exportCSV.stdout.isEmpty)
        let scanCSV = try Self.run(["scan", archive, "--format", "csv"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: csvPath)) == scanCSV.stdout)
        #expect(String(decoding: scanCSV.stdout, as: UTF8.self).components(separatedBy: "\r\n").count >= 415)
        #expect(!Self.files(folder.path).contains { $0.hasPrefix("all.csv.tmp") })

        let again = try Self.run(["export", archive, "--format", "csv", "-o", csvPath])
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists"))
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
