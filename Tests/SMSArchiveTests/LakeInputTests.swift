import Foundation
import Testing

/// Bad input to `export --incremental` and `--format delta`: a folder that is not a lake of
/// ours, a damaged state file or Delta log, a change of format or time unit between runs,
/// options that do not go together. Each fails loudly, naming what is wrong, and writes nothing.
@Suite struct LakeInputTests {
    static func oneDay() throws -> LakeFixture {
        var lake = LakeFixture()
        try lake.add(day: 1, hour: 3, count: 10)
        return lake
    }

    @Test func aFolderThatIsNotALakeIsRefused() throws {
        let lake = try Self.oneDay()
        // An export without --incremental, and a folder of someone else's files.
        #expect(try CommandLineTests.run(["export", lake.archive, "-o", lake.lake]).status == 0)
        let foreign = lake.folder.path + "/foreign"
        lake.folder.write("foreign/notes.txt", "mine")
        for (output, format) in [(lake.lake, "parquet"), (lake.lake, "delta"), (foreign, "parquet"), (foreign, "delta")] {
            let before = try snapshot(output)
            let run = try lake.export(["--format", format], into: output)
            #expect(run.status == 1, "\(format) \(output)")
            #expect(run.stderr.contains("\(output): not a lake written by export --incremental or --format delta"), "\(run.stderr)")
            #expect(try snapshot(output) == before)
        }
        // A file where the folder should be.
        let file = lake.folder.write("plain", "x")
        let run = try lake.export(into: file)
        #expect(run.status == 1)
        #expect(run.stderr.contains("exists and is not a folder"), "\(run.stderr)")
    }

    /// `export --force` without --incremental would replace partitions behind the lake's state (or its
    /// Delta log): a filtered one-off export cuts a day down, and the next incremental run, trusting
    /// the state, would never put the day back.
    @Test(arguments: ["parquet", "delta"])
    func aOneOffForcedExportIntoALakeIsRefused(format: String) throws {
        let lake = try Self.oneDay()
        #expect(try lake.export(["--format", format]).status == 0)
        let before = try snapshot(lake.lake)
        let run = try CommandLineTests.run(["export", lake.archive, "-o", lake.lake, "--format", "parquet", "--force",
                                            "--result", "Failed"])
        #expect(run.status == 1, "\(run.stderr)")
        let marker = format == "parquet" ? "_smsarchive_lake.json" : "_delta_log"
        #expect(run.stderr.contains("\(lake.lake): "), "\(run.stderr)")
        #expect(run.stderr.contains("(it has \(marker))"), "\(run.stderr)")
        #expect(try snapshot(lake.lake) == before)
        // The same export into a fresh folder, or forced over a one-off export, still works.
        let plain = lake.folder.path + "/plain"
        #expect(try CommandLineTests.run(["export", lake.archive, "-o", plain, "--format", "parquet"]).status == 0)
        #expect(try CommandLineTests.run(["export", lake.archive, "-o", plain, "--format", "parquet", "--force"]).status == 0)
    }

    @Test(arguments: [
        ("{\"format\":\"smsarchive-lake\"", "not valid JSON"),
        ("{\"format\":\"other\",\"version\":1}", "not an smsarchive lake state"),
        ("{\"format\":\"smsarchive-lake\",\"version\":9,\"table\":\"parquet\",\"timeUnit\":\"nanos\",\"days\":{}}", "state version 9"),
        ("{\"format\":\"smsarchive-lake\",\"version\":1,\"table\":\"parquet\",\"timeUnit\":\"hours\",\"days\":{}}", "no valid timeUnit"),
        ("{\"format\":\"smsarchive-lake\",\"version\":1,\"table\":\"parquet\",\"timeUnit\":\"nanos\",\"days\":{\"yesterday\":\"0123456789abcdef\"}}", "day entry \"yesterday\""),
        ("{\"format\":\"smsarchive-lake\",\"version\":1,\"table\":\"parquet\",\"timeUnit\":\"nanos\",\"days\":{\"2026-10-01\":7}}", "day entry \"2026-10-01\""),
    ])
    func aDamagedStateFileIsRefused(text: String, reason: String) throws {
        var lake = try Self.oneDay()
        #expect(try lake.export().status == 0)
        try lake.add(day: 2, hour: 0, count: 3)
        lake.folder.write("lake/_smsarchive_lake.json", text)
        let before = try snapshot(lake.lake)
        let run = try lake.export()
        #expect(run.status == 1)
        #expect(run.stderr.contains("_smsarchive_lake.json: damaged lake state: \(reason)"), "\(run.stderr)")
        #expect(try snapshot(lake.lake) == before)
    }

    @Test func aChangeOfFormatOrTimeUnitBetweenRunsIsRefused() throws {
        var lake = try Self.oneDay()
        #expect(try lake.export(["--time-unit", "micros"]).status == 0)
        try lake.add(day: 2, hour: 0, count: 3)
        let before = try snapshot(lake.lake)
        let nanos = try lake.export()
        #expect(nanos.status == 1)
        #expect(nanos.stderr.contains("was exported with --time-unit micros"), "\(nanos.stderr)")
        let delta = try lake.export(["--format", "delta"])
        #expect(delta.status == 1)
        #expect(delta.stderr.contains("is an incremental Parquet export"), "\(delta.stderr)")
        #expect(try snapshot(lake.lake) == before)

        let table = lake.folder.path + "/table"
        #expect(try lake.export(["--format", "delta"], into: table).status == 0)
        let parquet = try lake.export(into: table)
        #expect(parquet.status == 1)
        #expect(parquet.stderr.contains("is a Delta table"), "\(parquet.stderr)")
        // A plain (not incremental) Delta export into an existing table needs --force.
        let plain = try CommandLineTests.run(["export", lake.archive, "--format", "delta", "-o", table])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("not empty"), "\(plain.stderr)")
    }

    @Test(arguments: [
        (["--from", "2026-10-01"], "--incremental exports every record"),
        (["--category", "Usage"], "--incremental exports every record"),
        (["--force"], "--force is for a one-off export"),
        (["--format", "jsonl"], "--incremental applies to --format parquet and delta"),
        (["--format", "delta", "--time-unit", "nanos"], "--time-unit nanos does not apply"),
    ])
    func optionsThatDoNotGoTogetherAreUsageErrors(extra: [String], message: String) throws {
        let lake = try Self.oneDay()
        let run = try lake.export(extra)
        #expect(run.status == 64)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lake.lake))
    }

    @Test(arguments: [
        ("{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],\"writerFeatures\":[\"deletionVectors\"]}}", "00000000000000000001.json: line 1: the table needs Delta reader version 3 and writer version 7"),
        ("{\"add\":{\"path\":\"x.parquet\"", "00000000000000000001.json: line 1: not valid JSON"),
        ("{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{\"category\":null}}}", "line 1: add of x.parquet without a date partition value"),
    ])
    func aDeltaLogThisProgramCannotExtendIsRefused(commit: String, message: String) throws {
        var lake = try Self.oneDay()
        #expect(try lake.export(["--format", "delta"]).status == 0)
        try lake.add(day: 2, hour: 0, count: 3)
        lake.folder.write("lake/_delta_log/00000000000000000001.json", commit + "\n")
        let before = try snapshot(lake.lake)
        let run = try lake.export(["--format", "delta"])
        #expect(run.status == 1)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(try snapshot(lake.lake) == before)
    }

    @Test func aDeltaLogWithAGapOrACleanedStartIsRefused() throws {
        var lake = try Self.oneDay()
        #expect(try lake.export(["--format", "delta"]).status == 0)
        try lake.add(day: 2, hour: 0, count: 3)
        let log = lake.lake + "/_delta_log/"
        try FileManager.default.copyItem(atPath: log + "00000000000000000000.json", toPath: log + "00000000000000000002.json")
        let gap = try lake.export(["--format", "delta"])
        #expect(gap.status == 1)
        #expect(gap.stderr.contains("version 1 is missing from the log"), "\(gap.stderr)")
        try FileManager.default.removeItem(atPath: log + "00000000000000000000.json")
        let cleaned = try lake.export(["--format", "delta"])
        #expect(cleaned.status == 1)
        #expect(cleaned.stderr.contains("the log starts at version 2"), "\(cleaned.stderr)")
    }
}
