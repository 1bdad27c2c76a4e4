import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

/// Every way a line can be broken, put in the middle of a real blob of testdata/
/// and converted into an archive: no crash, every neighbouring record archived,
/// the bad line reported with its line number and kept byte for byte.
/// (JSONParserTests and BlobParserTests check the parser's verdicts line by line.)
@Suite struct MalformedInputCorpusTests {
    /// A plain blob of testdata/ whose lines are all records, and its lines.
    static let realBlob: (path: String, lines: [[UInt8]]) = {
        let blobs = try! InputWalker.blobs(in: [testdataExport]).filter { !$0.hasSuffix(".gz") }
        for blob in blobs {
            let result = try! ingest([blob])
            if result.rejects.isEmpty, result.records.count >= 5 { return (blob, try! lines(ofFile: blob)) }
        }
        fatalError("testdata/ has no clean plain blob")
    }()

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static let time = #"{"time":"2026-10-01T00:00:01Z","#

    /// The corpus: a name, the bad line, and the reason it must be rejected with.
    static let corpus: [(String, [UInt8], RejectReason)] = [
        ("unterminated string", bytes(time + #""a":"abc"#), .invalidJSON),
        ("unterminated string at the end of the object", bytes(time + #""a":"abc}"#), .invalidJSON),
        ("unterminated object", bytes(time + #""a":1"#), .invalidJSON),
        ("bad escape \\x", bytes(time + #""a":"\x41"}"#), .invalidJSON),
        ("bad escape \\'", bytes(time + #""a":"\'"}"#), .invalidJSON),
        ("short \\u escape", bytes(time + #""a":"\u12"}"#), .invalidJSON),
        ("non-hex \\u escape", bytes(time + #""a":"\u12G4"}"#), .invalidJSON),
        ("escape at the end", bytes(time + #""a":"\"#), .invalidJSON),
        ("lone high surrogate", bytes(time + #""a":"\ud800"}"#), .invalidJSON),
        ("lone low surrogate", bytes(time + #""a":"\udc00"}"#), .invalidJSON),
        ("high surrogate then a letter", bytes(time + #""a":"\ud800\u0041"}"#), .invalidJSON),
        ("reversed surrogates", bytes(time + #""a":"\ude00\ud83d"}"#), .invalidJSON),
        ("overlong UTF-8", bytes(time + #""a":""#) + [0xC0, 0xAF] + bytes(#""}"#), .invalidUTF8),
        ("UTF-8 encoded surrogate", bytes(time + #""a":""#) + [0xED, 0xA0, 0x80] + bytes(#""}"#), .invalidUTF8),
        ("UTF-8 above U+10FFFF", bytes(time + #""a":""#) + [0xF4, 0x90, 0x80, 0x80] + bytes(#""}"#), .invalidUTF8),
        ("cut UTF-8 sequence", bytes(time + #""a":""#) + [0xE2, 0x82] + bytes(#""}"#), .invalidUTF8),
        ("lone continuation byte", bytes(time + #""a":""#) + [0x80] + bytes(#""}"#), .invalidUTF8),
        ("0xFF byte", [0xFF] + bytes(time + #""a":1}"#), .invalidUTF8),
        ("Latin-1 text", bytes(time + #""a":"caf"#) + [0xE9] + bytes(#""}"#), .invalidUTF8),
        ("raw control character in a string", bytes(time + "\"a\":\"x\u{01}y\"}"), .invalidJSON),
        ("raw tab in a string", bytes(time + "\"a\":\"x\ty\"}"), .invalidJSON),
        ("NUL byte in a string", bytes(time + #""a":"x"#) + [0x00] + bytes(#"y"}"#), .invalidJSON),
        ("NUL byte between tokens", bytes(time + #""a":1"#) + [0x00] + bytes("}"), .invalidJSON),
        ("NaN", bytes(time + #""a":NaN}"#), .invalidJSON),
        ("Infinity", bytes(time + #""a":Infinity}"#), .invalidJSON),
        ("-Infinity", bytes(time + #""a":-Infinity}"#), .invalidJSON),
        ("leading zero", bytes(time + #""a":01}"#), .invalidJSON),
        ("negative leading zero", bytes(time + #""a":-007}"#), .invalidJSON),
        ("leading plus", bytes(time + #""a":+1}"#), .invalidJSON),
        ("bare decimal point", bytes(time + #""a":.5}"#), .invalidJSON),
        ("hex number", bytes(time + #""a":0x1F}"#), .invalidJSON),
        ("trailing comma in an object", bytes(time + #""a":1,}"#), .invalidJSON),
        ("trailing comma in an array", bytes(time + #""a":[1,2,]}"#), .invalidJSON),
        ("two values on a line", bytes(time + #""a":1}{"b":2}"#), .invalidJSON),
        ("single quotes", bytes("{'time':'2026-10-01T00:00:01Z'}"), .invalidJSON),
        ("comment", bytes(time + #""a":1 /* c */}"#), .invalidJSON),
        ("100,000 nested brackets", bytes(time + #""a":"#) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
            + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000) + bytes("}"), .tooDeep),
        ("100,000 nested objects", bytes(time + #""a":"#) + Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
            + bytes("1") + [UInt8](repeating: UInt8(ascii: "}"), count: 100_001), .tooDeep),
        ("100,000 unclosed brackets", [UInt8](repeating: UInt8(ascii: "["), count: 100_000), .tooDeep),
        ("a lone closing brace", bytes("}"), .invalidJSON),
        ("an array, not an object", bytes("[1,2,3]"), .notObject),
        ("no time", bytes(#"{"operationName":"SMSMessagesSent"}"#), .noTime),
        ("a time that is not a time", bytes(#"{"time":"2026-13-45T99:00:00Z"}"#), .badTime),
    ]

    @Test(arguments: corpus.indices)
    func aBadLineInARealBlobIsKeptAndItsNeighboursArchived(index: Int) throws {
        let (name, bad, reason) = Self.corpus[index]
        let (_, good) = Self.realBlob
        let position = good.count / 2
        var blob: [UInt8] = []
        for (i, line) in good.enumerated() {
            if i == position { blob += bad + [0x0A] }
            blob += line + [0x0A]
        }
        let folder = TemporaryFolder()
        let path = folder.write("PT1H.json", blob)
        let result = try ingest([path])
        #expect(result.records.count == good.count, "\(name): neighbours lost")
        #expect(result.rejects.count == 1, "\(name): \(result.rejects.map(\.diagnostic))")
        let reject = try #require(result.rejects.first)
        #expect(reject.reason == reason, "\(name): \(reject.diagnostic)")
        #expect(reject.line == position + 1, "\(name)")
        #expect(reject.bytes == bad, "\(name): the line is not kept as it was")

        // Archived: the records and the reject, byte for byte.
        let archive = try ArchiveRoundTripTests.convert([path], into: folder)
        let reader = try ArchiveReader(path: archive)
        #expect(try ArchiveRoundTripTests.scanAll(archive).count == good.count)
        let kept = try reader.rejects()
        #expect(kept.count == 1)
        #expect(kept.first?.bytes == bad, "\(name): the archived reject differs")
        #expect(kept.first?.line == position + 1)
        #expect(try Verifier(archive: archive).run(against: [path]).holds)
    }

    /// Empty, damaged and unusual gzip blobs in one export folder beside good ones, converted with the CLI.
    @Test func awkwardBlobsInAnExport() throws {
        let folder = TemporaryFolder()
        let (_, good) = Self.realBlob
        let text: [UInt8] = good.reduce(into: []) { $0 += $1 + [0x0A] }
        let compressed = gzip(text)
        let blobs: [(String, [UInt8])] = [
            ("good/PT1H.json", text),
            ("empty/PT1H.json", []),
            ("empty-gz/PT1H.json.gz", []),                                     // zero bytes, named .gz
            ("empty-member/PT1H.json.gz", gzip([])),                            // a gzip of nothing
            ("blank/PT1H.json", Array("\n\r\n  \n".utf8)),
            ("truncated/PT1H.json.gz", Array(compressed[..<(compressed.count / 2)])),
            ("header-only/PT1H.json.gz", Array(compressed[..<10])),
            ("garbage/PT1H.json.gz", compressed + Array("trailing garbage".utf8)),
            ("multi/PT1H.json.gz", gzip(Array(text[..<(text.count / 3)])) + gzip(Array(text[(text.count / 3)...]))),
            ("one-byte/PT1H.json.gz", [0x1F]),
        ]
        for (path, bytes) in blobs { folder.write("export/" + path, bytes) }
        let archive = folder.path + "/a.smsa"
        let convert = try CommandLineTests.run(["convert", folder.path + "/export", "-o", archive])
        #expect(convert.status == 2, "\(convert.stderr)")
        let export = folder.path + "/export/"
        // Each damaged blob is reported by name; the others are not.
        for damaged in ["truncated", "header-only", "garbage"] {
            #expect(convert.stderr.contains(export + damaged + "/PT1H.json.gz:"), "\(damaged): \(convert.stderr)")
        }
        for clean in ["good", "empty/", "empty-gz", "empty-member", "blank", "multi"] {
            #expect(!convert.stderr.contains(export + clean), "\(clean): \(convert.stderr)")
        }

        let kept: [NSDictionary] = try CommandLineTests.run(["rejects", archive]).stdoutLines.map { try foundationJSON($0) as! NSDictionary }
        func rejects(of blob: String) -> [NSDictionary] { kept.filter { $0["source"] as? String == export + blob } }
        #expect(rejects(of: "truncated/PT1H.json.gz").last?["reason"] as? String == "corrupt-input")
        #expect(rejects(of: "header-only/PT1H.json.gz").map { $0["reason"] as? String } == ["corrupt-input"])
        #expect(rejects(of: "garbage/PT1H.json.gz").map { $0["reason"] as? String } == ["corrupt-input"])
        // Too short for the gzip magic: read as text, a control character, kept.
        #expect(rejects(of: "one-byte/PT1H.json.gz").map { $0["reason"] as? String } == ["invalid-json"])
        #expect(rejects(of: "one-byte/PT1H.json.gz").first?["text"] as? String == "\u{1F}")

        // good + garbage (all data before the garbage) + multi: three full copies; the truncated blob adds part of one.
        let count = Int(String(decoding: try CommandLineTests.run(["scan", archive, "--count"]).stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(count >= 3 * good.count && count < 4 * good.count, "\(count)")
        let verify = try CommandLineTests.run(["verify", archive, "--against", folder.path + "/export"])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    /// A 50 MB record and a 50 MB broken line between ordinary ones: the record
    /// round-trips, the broken line is kept whole, and memory stays within a small multiple of the line.
    @Test func fiftyMegabyteLines() throws {
        let folder = TemporaryFolder()
        let size = 50 << 20
        var big = Array(storageLine(time: "2026-10-01T00:00:02Z", extra: #","big":""#).utf8)
        var filler = [UInt8](repeating: UInt8(ascii: "a"), count: size)
        for i in stride(from: 0, to: size, by: 997) { filler[i] = UInt8(ascii: "A") + UInt8(i % 26) }
        big += filler + Array(#""}"#.utf8)
        let broken = Array(#"{"time":"2026-10-01T00:00:03Z","big":"#.utf8) + filler   // unterminated string
        var blob = Array((storageLine(time: "2026-10-01T00:00:01Z") + "\n").utf8)
        blob += big + [0x0A] + broken + [0x0A]
        blob += Array((storageLine(time: "2026-10-01T00:00:04Z") + "\n").utf8)
        let path = folder.write("PT1H.json", blob)
        blob = []
        let archive = folder.path + "/a.smsa"

        // Over the default line limit (16 MiB): raised.
        let convert = try ChildProcess.run([CommandLineTests.executable, "convert", path, "-o", archive, "--max-line-bytes", String(64 << 20)])
        #expect(convert.status == 2, "\(convert.stderr)")
        #expect(convert.stderr.contains("\(path):3: invalid-json: "))
        #expect(convert.maxRSSKiB < 1_000_000, "convert of two 50 MB lines peaked at \(convert.maxRSSKiB / 1024) MiB")

        let scan = try CommandLineTests.run(["scan", archive, "--format", "jsonl"])
        #expect(scan.status == 0)
        let records = scan.stdoutLines
        #expect(records.count == 3)
        #expect(records.count == 3 && Array(records[1]) == big, "the 50 MB record does not come back as it was")
        let rejects = try CommandLineTests.run(["rejects", archive])
        let reject = try foundationJSON(try #require(rejects.stdoutLines.first)) as! NSDictionary
        #expect(reject["line"] as? Int == 3)
        #expect((reject["text"] as? String).map { Array($0.utf8) } == broken)
    }
}
