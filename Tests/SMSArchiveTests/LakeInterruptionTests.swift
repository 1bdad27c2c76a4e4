import Foundation
import Testing

/// `export --incremental` killed at each step of putting a night's days in place: a glob over
/// the lake reads each partition whole, as before or after, never a record twice; the Delta
/// table stays at its last version; the next run finishes the job.
@Suite(.serialized) struct LakeInterruptionTests {
    /// Runs `smsarchive ARGUMENTS` with `SMSARCHIVE_TEST_KILL_AT=point` (see `TestHook`).
    static func run(killedAt point: String, _ arguments: [String]) throws -> Int32 {
        try runChild("/usr/bin/env", ["SMSARCHIVE_TEST_KILL_AT=" + point, CommandLineTests.executable] + arguments).status
    }

    /// Every `*.parquet` file under `root` is a partition's: none is left in a staging folder.
    static func parquetOutsidePartitions(_ root: String) -> [String] {
        ExportCommandTests.files(root).filter { file in
            file.hasSuffix(".parquet") && !(file.split(separator: "/").count == 3 && file.hasPrefix("category=") && file.contains("/date="))
        }
    }

    @Test(arguments: ["partition:1", "partition:2", "partition:3", "state:1"])
    func aParquetLakeKilledWhilePublishingIsWholeBeforeOrAfter(point: String) throws {
        var lake = try IncrementalExportTests.threeDays()
        #expect(try lake.export().status == 0)
        let before = lake.expected
        // Late records for day 2 and a new day 4: three partitions to replace or add.
        try lake.add(day: 2, hour: 20, count: 9)
        try lake.add(day: 4, hour: 2, count: 8)
        let status = try Self.run(killedAt: point, ["export", lake.archive, "-o", lake.lake, "--incremental"])
        #expect(status == 128 + SIGKILL)

        #expect(Self.parquetOutsidePartitions(lake.lake).isEmpty)
        let killed = try LakeFixture.globCounts(lake.lake)
        #expect(killed.rows == killed.distinct, "a record is read twice")
        for (partition, rows) in killed.perPartition {
            #expect(rows == before[partition] || rows == lake.expected[partition], "\(partition): \(rows)")
        }
        // Each partition swapped before the kill is new; those after it old (the order is by path).
        let swapped = point == "state:1" ? 3 : Int(point.split(separator: ":")[1])!
        let order = ["SMSOperational/2026-10-02", "SMSOperational/2026-10-04", "Usage/2026-10-02"]
        for (i, partition) in order.enumerated() where partition != "Usage/2026-10-02" {
            #expect(killed.perPartition[partition] == (i < swapped ? lake.expected[partition] : before[partition]), "\(partition)")
        }

        let rerun = try lake.export()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try LakeFixture.globCounts(lake.lake).perPartition == lake.expected)
        #expect(try lake.export().stderr.contains("nothing new"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: lake.folder.path).filter { $0.contains(".swap-") }
            + ExportCommandTests.files(lake.lake).filter { $0.hasPrefix(".tmp-export") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aDeltaExportKilledBeforeItsCommitLeavesTheLastVersion() throws {
        var lake = try IncrementalExportTests.threeDays()
        #expect(try lake.export(["--format", "delta"]).status == 0)
        let before = lake.expected
        try lake.add(day: 2, hour: 20, count: 9)
        let status = try Self.run(killedAt: "commit:1", ["export", lake.archive, "-o", lake.lake, "--incremental", "--format", "delta"])
        #expect(status == 128 + SIGKILL)
        let killed = try DeltaTableTests.read(lake.lake)
        #expect(killed["version"] as? Int == 0)
        #expect(killed["per"] as? [String: Int] == before)

        let rerun = try lake.export(["--format", "delta"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let after = try DeltaTableTests.read(lake.lake, scan: lake.archive)
        #expect(after["version"] as? Int == 1)
        #expect(after["per"] as? [String: Int] == lake.expected)
        #expect(after["equalToScan"] as? Bool == true)
    }

    /// (SIGINT and SIGTERM take the path of a plain export's, tested in ExportInterruptionTests.)
    @Test func anIncrementalExportKilledWhileWritingLeavesTheLakeAsItWas() throws {
        let signal = SIGKILL
        let folder = TemporaryFolder()
        let archive = try ExportInterruptionTests.bigArchive(in: folder)
        let lake = folder.path + "/lake"
        // An earlier night's export of the first hour (a lake with one day, whose fingerprint then changes).
        folder.write("early/" + String(format: NightlyWorkflowTests.blobPath, 0), storageLine(time: "2026-10-01T00:00:00.0000000Z") + "\n")
        let early = folder.path + "/early.smsa"
        #expect(try CommandLineTests.run(["convert", folder.path + "/early", "-o", early, "--quiet"]).status == 0)
        #expect(try CommandLineTests.run(["export", early, "-o", lake, "--incremental"]).status == 0)
        let before = try snapshot(lake)

        let ended = try ExportInterruptionTests.exportSignalled(archive, lake, ["--incremental"], signal: signal)
        #expect(ended.signal == signal)
        #expect(Self.parquetOutsidePartitions(lake).isEmpty)
        #expect(try snapshot(lake).filter { !$0.key.hasPrefix(".tmp-export") } == before)
        let rerun = try CommandLineTests.run(["export", archive, "-o", lake, "--incremental"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try LakeFixture.globCounts(lake).rows == 60_000)
    }
}
