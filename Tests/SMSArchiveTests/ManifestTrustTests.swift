import Foundation
import Testing
@testable import SMSArchive
@testable import SMSSupport

/// A manifest that disagrees with its segments: `verify` finds every field, readers do not let it
/// hide records, and `compact` refuses to turn it into loss (issue 20, items 5 and 7).
@Suite struct ManifestTrustTests {
    /// An archive of three segments: two small ones of 2026-10-01 (a night's two runs) and one of
    /// 2026-10-02, 30 records in all, of two categories.
    static func archive(_ folder: TemporaryFolder) throws -> String {
        let archive = folder.path + "/a.smsa"
        for (name, day, hour, category) in [("a", "01", "03", "SMSOperational"), ("b", "01", "07", "Usage"), ("c", "02", "05", "SMSOperational")] {
            let lines = (0..<10).map { i in
                #"{"time":"2026-10-\#(day)T\#(hour):00:\#(String(i).leftPadded(to: 2))Z","category":"\#(category)","properties":{"PhoneNumber":"+1555000\#(i)","n":\#(i)}}"#
            }
            let blob = folder.write("\(name)/PT1H.json", lines.joined(separator: "\n") + "\n")
            let run = try CommandLineTests.run(["convert", blob, "-o", archive, "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        return archive
    }

    /// Rewrites the manifest's segment entries with `edit`.
    static func editManifest(_ archive: String, _ edit: (inout [[String: Any]]) -> Void) throws {
        let url = URL(fileURLWithPath: archive + "/manifest.json")
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var segments = root["segments"] as! [[String: Any]]
        edit(&segments)
        root["segments"] = segments
        try JSONSerialization.data(withJSONObject: root).write(to: url)
    }

    static func count(_ archive: String, _ arguments: [String] = []) throws -> CommandLineTests.Run {
        try CommandLineTests.run(["scan", archive, "--count"] + arguments)
    }

    /// Index of the entry of the first segment of 2026-10-01.
    static func firstOfDay(_ segments: [[String: Any]]) -> Int {
        segments.firstIndex { ($0["minTime"] as? String)?.hasPrefix("2026-10-01") == true }!
    }

    @Test func compactRefusesAnEntryWithZeroRecordsAndDeletesNothing() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        var file = ""
        try Self.editManifest(archive) { segments in
            let i = Self.firstOfDay(segments)
            segments[i]["records"] = 0
            file = segments[i]["file"] as! String
        }
        let before = try snapshot(archive)
        let compact = try CommandLineTests.run(["compact", archive])
        #expect(compact.status == 1, "\(compact.stderr)")
        #expect(compact.stderr.contains(archive + "/" + file), "\(compact.stderr)")
        #expect(compact.stderr.contains("10 records, not 0"), "\(compact.stderr)")
        #expect(try snapshot(archive) == before, "compact changed the archive")
        let verify = try CommandLineTests.run(["verify", archive])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains(file), "\(verify.stderr)")
        // Readers do not take the 0 on faith either: no wrong count.
        let count = try Self.count(archive)
        #expect(count.status == 1 && count.stdout.isEmpty, "\(count.stderr)")
        #expect(count.stderr.contains(file), "\(count.stderr)")
    }

    @Test func compactRefusesASegmentListedTwice() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        var file = ""
        try Self.editManifest(archive) { segments in
            let i = Self.firstOfDay(segments)
            segments.append(segments[i])
            file = segments[i]["file"] as! String
        }
        let before = try snapshot(archive)
        let compact = try CommandLineTests.run(["compact", archive])
        #expect(compact.status == 1, "\(compact.stderr)")
        #expect(compact.stderr.contains("segment \(file) is listed more than once"), "\(compact.stderr)")
        #expect(try snapshot(archive) == before, "compact changed the archive")
        let verify = try CommandLineTests.run(["verify", archive])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("segment \(file) is listed more than once"), "\(verify.stderr)")
        #expect(try Self.count(archive).status == 1)
    }

    @Test func compactAndVerifyRefuseWrongCategories() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        var file = ""
        try Self.editManifest(archive) { segments in
            let i = Self.firstOfDay(segments)
            segments[i]["categories"] = ["Usage"]   // its records are SMSOperational
            file = segments[i]["file"] as! String
        }
        let before = try snapshot(archive)
        let compact = try CommandLineTests.run(["compact", archive])
        #expect(compact.status == 1, "\(compact.stderr)")
        #expect(compact.stderr.contains(file), "\(compact.stderr)")
        #expect(try snapshot(archive) == before)
        let verify = try CommandLineTests.run(["verify", archive])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains(file) && verify.stderr.contains("categories"), "\(verify.stderr)")
    }

    /// The clean archive compacts, and its counts hold: what the tests above change is what is caught.
    @Test func theUntouchedArchiveCompactsAndCounts() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        #expect(String(decoding: try Self.count(archive).stdout, as: UTF8.self) == "30\n")
        #expect(String(decoding: try Self.count(archive, ["--from", "2026-10-01T05:00:00Z", "--to", "2026-10-02T00:00:00Z"]).stdout, as: UTF8.self) == "10\n")
        let compact = try CommandLineTests.run(["compact", archive])
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(try ArchiveReader(path: archive).manifest.segments.count == 2)
        #expect(String(decoding: try Self.count(archive).stdout, as: UTF8.self) == "30\n")
        #expect(try CommandLineTests.run(["verify", archive]).status == 0)
    }

    /// Swapped ticks (minTicks and maxTicks of two segments exchanged) and `records: -1`: verify
    /// fails naming the segment; a filtered scan and a count fail rather than miss records.
    @Test(arguments: ["swapped ticks", "records -1", "bytes", "rejects"])
    func verifyAndReadersCheckEveryField(_ damage: String) throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        var file = ""
        try Self.editManifest(archive) { segments in
            let i = Self.firstOfDay(segments)
            let j = segments.firstIndex { ($0["minTime"] as? String)?.hasPrefix("2026-10-02") == true }!
            file = segments[i]["file"] as! String
            switch damage {
            case "swapped ticks":
                for key in ["minTicks", "maxTicks", "minTime", "maxTime"] { (segments[i][key], segments[j][key]) = (segments[j][key], segments[i][key]) }
            case "records -1": segments[i]["records"] = -1
            case "bytes": segments[i]["bytes"] = (segments[i]["bytes"] as! Int) + 1
            default: segments[i]["rejects"] = 3
            }
        }
        let verify = try CommandLineTests.run(["verify", archive])
        #expect(verify.status == 1, "\(damage): \(verify.stderr)")
        #expect(verify.stderr.contains("damaged: ") && verify.stderr.contains(file), "\(damage): \(verify.stderr)")
        for arguments in [[], ["--from", "2026-10-01T00:00:00Z", "--to", "2026-10-01T12:00:00Z"]] {
            let count = try Self.count(archive, arguments)
            #expect(count.status == 1, "\(damage) \(arguments): counted \(String(decoding: count.stdout, as: UTF8.self))")
            #expect(count.stderr.contains(archive + "/" + file), "\(damage): \(count.stderr)")
        }
        #expect(try CommandLineTests.run(["compact", archive]).status == 1)
        #expect(try CommandLineTests.run(["info", archive]).status == 1)
    }
}
