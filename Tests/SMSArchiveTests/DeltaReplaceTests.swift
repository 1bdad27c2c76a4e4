import Foundation
import Testing

/// `export --format delta` without `--incremental`: a new table, and `--force` with a range
/// replacing that range's days in one commit; a later `--incremental` run takes the table over.
@Suite struct DeltaReplaceTests {
    @Test func aForcedRangeReplacesItsDaysInOneCommit() throws {
        var lake = try IncrementalExportTests.threeDays()
        let first = try CommandLineTests.run(["export", lake.archive, "--format", "delta", "-o", lake.lake])
        #expect(first.status == 0, "\(first.stderr)")
        let v0 = lake.expected
        try lake.add(day: 3, hour: 12, count: 4)
        let forced = try CommandLineTests.run(["export", lake.archive, "--format", "delta", "-o", lake.lake, "--force",
                                                "--from", "2026-10-03", "--to", "2026-10-04"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let commit = try DeltaTableTests.actions(lake.lake, version: 1)
        #expect(commit["remove"] == ["category=SMSOperational/date=2026-10-03/part-0-v0.parquet"])
        #expect(commit["add"] == ["category=SMSOperational/date=2026-10-03/part-0-v1.parquet"])
        let v1 = try DeltaTableTests.read(lake.lake, scan: lake.archive)
        #expect(v1["per"] as? [String: Int] == lake.expected)
        #expect(v1["equalToScan"] as? Bool == true)
        #expect(try DeltaTableTests.read(lake.lake, version: 0)["per"] as? [String: Int] == v0)

        // Files written without --incremental carry no fingerprint: the first incremental run writes every day again.
        let taken = try lake.export(["--format", "delta"])
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(taken.stderr.contains("of 3 days") && taken.stderr.contains("Delta version 2"), "\(taken.stderr)")
        #expect(try DeltaTableTests.read(lake.lake)["per"] as? [String: Int] == lake.expected)
        #expect(try lake.export(["--format", "delta"]).stderr.contains("nothing new"))
    }
}
