import Foundation
import Testing

/// `export --incremental` into a Parquet lake: only the days whose records changed are
/// written (new days, late records, compaction); the others are left as they were, file
/// for file; a run with nothing new writes nothing and says so.
@Suite struct IncrementalExportTests {
    /// Three days, two categories on the second.
    static func threeDays() throws -> LakeFixture {
        var lake = LakeFixture()
        try lake.add(day: 1, hour: 3, count: 30)
        try lake.add(day: 2, hour: 4, count: 20)
        try lake.add(day: 2, hour: 5, count: 7, category: "Usage")
        try lake.add(day: 3, hour: 6, count: 25)
        return lake
    }

    @Test func aFirstRunWritesEveryDayAndASecondWritesNothing() throws {
        let lake = try Self.threeDays()
        let first = try lake.export()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("exported 82 records of 3 days (2026-10-01 to 2026-10-03)"), "\(first.stderr)")
        let counts = try LakeFixture.globCounts(lake.lake)
        #expect(counts.perPartition == lake.expected)
        #expect(counts.rows == 82 && counts.distinct == 82)
        #expect(FileManager.default.fileExists(atPath: lake.lake + "/_smsarchive_lake.json"))

        let before = LakeFixture.identities(lake.lake)
        let second = try lake.export()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("nothing new since the last export"), "\(second.stderr)")
        #expect(LakeFixture.identities(lake.lake) == before)
        #expect(ExportCommandTests.files(lake.lake).allSatisfy { !$0.hasPrefix(".tmp-export") })
    }

    @Test func aNewDayIsWrittenAndTheOtherDaysAreLeftAlone() throws {
        var lake = try Self.threeDays()
        #expect(try lake.export().status == 0)
        let before = LakeFixture.identities(lake.lake)
        try lake.add(day: 4, hour: 0, count: 15)
        let run = try lake.export()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("exported 15 records of 1 day (2026-10-04)"), "\(run.stderr)")
        let after = LakeFixture.identities(lake.lake)
        for (file, identity) in before where file != "_smsarchive_lake.json" {
            #expect(after[file] == identity, "\(file) was rewritten")
        }
        #expect(Set(after.keys).subtracting(before.keys) == ["category=SMSOperational/date=2026-10-04/part-0.parquet"])
        #expect(try LakeFixture.globCounts(lake.lake).perPartition == lake.expected)
    }

    @Test func lateRecordsForAnOldDayReplaceThatDay() throws {
        var lake = try Self.threeDays()
        #expect(try lake.export().status == 0)
        let before = LakeFixture.identities(lake.lake)
        // A blob of day 2 that arrives late, with records of both categories' hours.
        try lake.add(day: 2, hour: 9, count: 11)
        let run = try lake.export()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("exported 38 records of 1 day (2026-10-02)"), "\(run.stderr)")
        let after = LakeFixture.identities(lake.lake)
        for (file, identity) in before where !file.contains("date=2026-10-02") && file != "_smsarchive_lake.json" {
            #expect(after[file] == identity, "\(file) was rewritten")
        }
        #expect(after["category=SMSOperational/date=2026-10-02/part-0.parquet"] != before["category=SMSOperational/date=2026-10-02/part-0.parquet"])
        let counts = try LakeFixture.globCounts(lake.lake)
        #expect(counts.perPartition == lake.expected)
        #expect(counts.perPartition["SMSOperational/2026-10-02"] == 31)
        #expect(counts.rows == 93 && counts.distinct == 93)
    }

    @Test func compactionRewritesTheCompactedDaysOnly() throws {
        // Days 2 and 3 get two segments each (two conversions), which compaction merges; day 1 has one.
        var lake = try Self.threeDays()
        try lake.add(day: 3, hour: 7, count: 5)
        #expect(try lake.export().status == 0)
        let before = LakeFixture.identities(lake.lake)
        let compact = try CommandLineTests.run(["compact", lake.archive])
        #expect(compact.status == 0, "\(compact.stderr)")
        let run = try lake.export()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("exported 57 records of 2 days (2026-10-02 to 2026-10-03)"), "\(run.stderr)")
        let after = LakeFixture.identities(lake.lake)
        let dayOne = "category=SMSOperational/date=2026-10-01/part-0.parquet"
        #expect(after[dayOne] != nil && after[dayOne] == before[dayOne])
        #expect(after.filter { $0.key.contains("date=2026-10-03") } != before.filter { $0.key.contains("date=2026-10-03") })
        let counts = try LakeFixture.globCounts(lake.lake)
        #expect(counts.perPartition == lake.expected)
        #expect(counts.rows == 87 && counts.distinct == 87)
        #expect(try lake.export().stderr.contains("nothing new"))
    }

    @Test func theStateFileRecordsEveryDayExported() throws {
        var lake = try Self.threeDays()
        try lake.add(day: 5, hour: 1, count: 2)
        #expect(try lake.export(["--time-unit", "micros"]).status == 0)
        let state = try foundationJSON(Data(contentsOf: URL(fileURLWithPath: lake.lake + "/_smsarchive_lake.json"))) as! [String: Any]
        #expect(state["format"] as? String == "smsarchive-lake")
        #expect(state["timeUnit"] as? String == "micros")
        #expect((state["days"] as? [String: String]).map { $0.keys.sorted() } == ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-05"])
    }
}
