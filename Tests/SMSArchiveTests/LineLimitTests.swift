import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSSupport

/// Lines longer than the limit (convert --max-line-bytes) are not held: each becomes a `too-long`
/// reject with a bounded prefix, its length and its XXH64 (issue 20, item 2).
@Suite(.serialized) struct LineLimitTests {
    static func read(_ blob: String, maxLineBytes: Int) throws -> IngestResult {
        var reader = try ExportReader(inputs: [blob])
        reader.maxLineBytes = maxLineBytes
        var result = IngestResult()
        try reader.read { event in
            switch event {
            case .record(let r): result.records.append(r)
            case .reject(let r): result.rejects.append(r)
            default: break
            }
        }
        return result
    }

    @Test(arguments: [false, true])
    func aLineOverTheLimitIsAToolongRejectWithPrefixLengthAndHash(gzipped: Bool) throws {
        let folder = TemporaryFolder()
        // Bytes 0...250 cycled, so a wrong prefix or a hash of the wrong bytes shows.
        let long = (0..<3_000_000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let atLimit = Array((storageLine(time: "2026-10-01T00:00:02Z", extra: #","pad":""#).dropLast(1) + String(repeating: "x", count: 1000) + "\"}").utf8)
        let limit = atLimit.count
        var blob = Array((storageLine(time: "2026-10-01T00:00:01Z") + "\n").utf8) + long + [0x0A] + atLimit + [0x0A]
        blob += Array((storageLine(time: "2026-10-01T00:00:03Z") + "\n").utf8)
        let path = folder.write(gzipped ? "PT1H.json.gz" : "PT1H.json", gzipped ? gzip(blob) : blob)
        let result = try Self.read(path, maxLineBytes: limit)
        #expect(result.records.count == 3, "a line of exactly the limit is read")
        #expect(result.rejects.count == 1)
        let reject = try #require(result.rejects.first)
        #expect(reject.reason == .tooLong)
        #expect(reject.line == 2)
        #expect(reject.bytes == Array(long.prefix(4096)))
        #expect(reject.detail.contains("3000000 bytes"), "\(reject.detail)")
        #expect(reject.detail.contains("limit of \(limit) bytes"), "\(reject.detail)")
        #expect(reject.detail.contains(String(xxh64(long), radix: 16).leftPadded(to: 16)), "\(reject.detail)")
        // One byte less of limit: the line of exactly the old limit is too long now.
        #expect(try Self.read(path, maxLineBytes: limit - 1).rejects.map(\.line) == [2, 3])
    }

    /// A pretty-printed document (held whole to be parsed) is bounded by the same limit.
    @Test func aDocumentOverTheLimitIsOneToolongReject() throws {
        let folder = TemporaryFolder()
        let records = (0..<200).map { storageLine(time: "2026-10-01T00:00:\(String($0 % 60).leftPadded(to: 2))Z") }
        let document = "{\n\"records\": [\n" + records.joined(separator: ",\n") + "\n]\n}\n"
        let path = folder.write("PT1H.json", document)
        let whole = try Self.read(path, maxLineBytes: document.utf8.count)
        #expect(whole.records.count == 200, "\(whole.rejects.map(\.diagnostic))")
        let result = try Self.read(path, maxLineBytes: 10_000)
        #expect(result.records.isEmpty)
        #expect(result.rejects.map(\.reason) == [.tooLong])
        #expect(result.rejects.first?.line == 1)
        #expect(result.rejects.first?.bytes == Array(document.utf8.prefix(4096)))
        #expect(result.rejects.first?.detail.contains("\(document.utf8.count) bytes") == true)
    }

    /// Resuming a grown blob after a long line: its source state (hash of what was taken) must be
    /// right, or the rerun would call the blob changed.
    @Test func aBlobWithALongLineResumesWhenItGrows() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        let long = String(repeating: "z", count: 3 << 20)
        let head = storageLine(time: "2026-10-01T00:00:01Z") + "\n" + long + "\n" + storageLine(time: "2026-10-01T00:00:02Z") + "\n"
        let blob = folder.write("PT1H.json", head + long)   // ends inside a long line
        let first = try CommandLineTests.run(["convert", blob, "-o", archive, "--max-line-bytes", "1048576"])
        #expect(first.status == 2, "\(first.stderr)")
        #expect(first.stderr.contains("\(blob):2: too-long: "), "\(first.stderr)")
        #expect(first.stderr.contains("\(blob):4: too-long: "), "\(first.stderr)")
        folder.write("PT1H.json", head + long + "\n" + storageLine(time: "2026-10-01T00:00:03Z") + "\n")
        let second = try CommandLineTests.run(["convert", blob, "-o", archive, "--max-line-bytes", "1048576"])
        #expect(second.status == 2, "\(second.stderr)")
        #expect(!second.stderr.contains("changed since it was archived"), "\(second.stderr)")
        #expect(second.stderr.contains("added 1 records (1 rejected)"), "\(second.stderr)")
        #expect(String(decoding: try CommandLineTests.run(["scan", archive, "--count"]).stdout, as: UTF8.self) == "3\n")
        let rejects = try CommandLineTests.run(["rejects", archive])
        let reasons = try rejects.stdoutLines.map { try foundationJSON($0) as! NSDictionary }.map { "\($0["line"]!) \($0["reason"]!)" }
        // The cut line's first reject stays listed: it was not superseded by a record.
        #expect(reasons == ["2 too-long", "4 too-long", "4 too-long"])
        let again = try CommandLineTests.run(["convert", blob, "-o", archive, "--max-line-bytes", "1048576"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("1 unchanged"), "\(again.stderr)")
    }

    /// A gzip bomb (64 MiB of zeros, no line end, 64 KiB gzipped) with the limit lowered to 1 MiB:
    /// convert, verify (also against the export) and rejects stay far below the line's size.
    @Test func aGzipBombKeepsMemoryBounded() throws {
        let folder = TemporaryFolder()
        let bomb = folder.path + "/export/PT1H.json.gz"
        #expect(try ChildProcess.shell(#"mkdir "$1/export" && head -c 67108864 /dev/zero | gzip >"$2""#, [folder.path, bomb]).status == 0)
        let archive = folder.path + "/a.smsa"
        let exe = CommandLineTests.executable
        let convert = try ChildProcess.measured([exe, "convert", folder.path + "/export", "-o", archive, "--max-line-bytes", "1048576"])
        #expect(convert.status == 2, "\(convert.stderr)")
        #expect(convert.stderr.contains("\(bomb):1: too-long: the line is \(64 << 20) bytes long"), "\(convert.stderr)")
        #expect(convert.maxRSSKiB < 100 << 10, "convert peaked at \(convert.maxRSSKiB) KiB")
        for arguments in [["verify", archive], ["verify", archive, "--against", folder.path + "/export", "--max-line-bytes", "1048576"], ["rejects", archive]] {
            let run = try ChildProcess.measured([exe] + arguments)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            #expect(run.maxRSSKiB < 100 << 10, "\(arguments) peaked at \(run.maxRSSKiB) KiB")
        }
        let rejects = try ChildProcess.run([exe, "rejects", archive])
        let object = try foundationJSON(Data(rejects.stdout.split(separator: 0x0A).first ?? [])) as! NSDictionary
        #expect(object["reason"] as? String == "too-long")
        #expect((object["text"] as? String)?.utf8.count == 4096)
    }
}
