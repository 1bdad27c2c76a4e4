import Foundation
import Testing
@testable import SMSArchive

/// Days given out of order (a backfill: `convert d=02 d=01`) are collected as days given in order:
/// a few segments, never one per record.
@Suite struct DayOrderTests {
    /// Record `i` of `day` (1 or 2): a distinct time and identifier, so that a day fills the buffer.
    static func line(day: Int, _ i: Int) -> String {
        let time = String(format: "2026-10-%02dT%02d:%02d:%02d.%07dZ", day, i / 3600 % 24, i / 60 % 60, i % 60, i)
        return storageLine(time: time, extra: #","n":\#(i),"id":"day\#(day)-record\#(i)-0123456789abcdef""#)
    }

    static func segments(_ archive: String) throws -> Int {
        try ArchiveReader(path: archive).manifest.segments.count
    }

    @Test func daysGivenInReverseMakeAsFewSegmentsAsInOrder() throws {
        let folder = TemporaryFolder()
        let perDay = 6_000
        let first = folder.write("d01/PT1H.json", (0..<perDay).map { Self.line(day: 1, $0) }.joined(separator: "\n") + "\n")
        let second = folder.write("d02/PT1H.json", (0..<perDay).map { Self.line(day: 2, $0) }.joined(separator: "\n") + "\n")
        var counts: [Int] = []
        for (name, inputs) in [("ordered", [first, second]), ("reversed", [second, first])] {
            let archive = folder.path + "/" + name + ".smsa"
            let run = try CommandLineTests.run(["convert"] + inputs + ["--output", archive, "--buffer-size", "1", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            counts.append(try Self.segments(archive))
            let count = try CommandLineTests.run(["scan", archive, "--count"])
            #expect(String(decoding: count.stdout, as: UTF8.self) == "\(2 * perDay)\n")
        }
        // A buffer of 1 MiB holds well under a day here: each order needs a few segments a day.
        #expect(counts[0] >= 2)
        #expect(counts[1] <= counts[0] + 2, "ordered \(counts[0]) segments, reversed \(counts[1])")
    }
}
