import Foundation
import Testing

/// `smsarchive stats` refuses bad options with exit 64 and a message that says what is valid, before reading anything.
@Suite struct StatsUsageErrorTests {
    /// A folder that is no archive: a usage error must be found before the archive is opened.
    static let nowhere = "/nonexistent/archive.smsa"

    static func refused(_ arguments: [String], saying parts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try CommandLineTests.run(["stats", nowhere] + arguments)
        #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("smsarchive: error: "), "\(run.stderr)", sourceLocation: sourceLocation)
        for part in parts { #expect(run.stderr.contains(part), "\(arguments): \(run.stderr)", sourceLocation: sourceLocation) }
    }

    @Test func unknownOrRepeatedFieldsListTheValidOnes() throws {
        try Self.refused(["--by", "Contry"], saying: ["no field 'Contry'", "day, hour", "Country", "PhoneNumber", "durationMs"])
        try Self.refused(["--by", "Country,,day"], saying: ["empty field name"])
        try Self.refused(["--by", ""], saying: ["empty field name"])
        try Self.refused(["--by", "country,COUNTRY"], saying: ["names Country twice"])
        try Self.refused(["--by", "layout"], saying: ["no field 'layout'"])
        try Self.refused([], saying: ["--by"])
    }

    @Test func unknownMetricsAndSortsListTheValidOnes() throws {
        try Self.refused(["--by", "Country", "--metrics", "records,cost"], saying: ["no metric 'cost'", "records, failed, delivered, segments, duration-p50, duration-p95"])
        try Self.refused(["--by", "Country", "--metrics", "records,records"], saying: ["names records twice"])
        try Self.refused(["--by", "Country", "--metrics", ""], saying: ["empty metric name"])
        try Self.refused(["--by", "Country", "--sort", "Country"], saying: ["--sort: no metric 'Country'", "duration-p95"])
        try Self.refused(["--by", "Country", "--metrics", "records", "--sort", "failed"], saying: ["--sort failed is not among --metrics records"])
        try Self.refused(["--by", "Country", "--format", "xml"], saying: ["xml"])
    }

    @Test func badTimesAndWindowsAreRefused() throws {
        try Self.refused(["--by", "day", "--from", "2026-10-02", "--to", "2026-10-01"], saying: ["--from 2026-10-02 is later than --to 2026-10-01"])
        try Self.refused(["--by", "day", "--from", "tomorrowish"], saying: ["--from 'tomorrowish' is not a time"])
        try Self.refused(["--by", "day", "--join-window", "1w"], saying: ["--join-window '1w' is not a duration"])
        try Self.refused(["--by", "day", "--join-window=-1h"], saying: ["--join-window '-1h' is negative"])
        // Written apart, the value was taken for an option ("Missing value for '--join-window'").
        try Self.refused(["--by", "day", "--join-window", "-5m"], saying: ["--join-window '-5m' is negative"])
    }

    @Test func aMissingArchiveIsAnErrorNotAUsageError() throws {
        let run = try CommandLineTests.run(["stats", Self.nowhere, "--by", "Country"])
        #expect(run.status == 1)
        #expect(run.stderr.contains(Self.nowhere))
    }
}
