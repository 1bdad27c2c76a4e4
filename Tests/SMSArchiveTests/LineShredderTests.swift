import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

/// `LineShredder` (straight from bytes) must take every line it accepts apart
/// exactly as the general way does (`JSONParser`, `RecordBuilder`, `RecordShredder`),
/// and must leave to the general way every line it cannot take exactly.
@Suite struct LineShredderTests {
    static let path = BlobPath(parsing: "insights-logs-smsoperational/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/G/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N/y=2026/m=10/d=01/h=00/m=00/PT1H.json")

    /// The general way's result, or nil when it rejects the line.
    static func general(_ line: [UInt8], path: BlobPath = path) -> ShreddedRecord? {
        guard let value = try? JSONParser.parseDocument(line),
              case .success(let record) = RecordBuilder.build(value, categoryFallback: path.category, resourceFallback: path.resourceId) else { return nil }
        return RecordShredder.shred(record)
    }

    static func fast(_ line: [UInt8], path: BlobPath = path) -> ShreddedRecord? {
        var shredder = LineShredder()
        return line.withUnsafeBytes { shredder.shred($0, path: path) }
    }

    /// Everything a record taken apart says, in comparable form.
    static func summary(_ r: ShreddedRecord) -> String {
        let values = r.values.map { "\($0.column)=\($0.value)" }.joined(separator: ",")
        return "\(r.layoutKey) \(values) \(r.residual.map { String(decoding: $0, as: UTF8.self) } ?? "-") \(r.time.ticks) \(r.categoryString ?? "nil") \(r.resourceIdString ?? "nil")"
    }

    /// Checks that the fast way agrees with the general way; returns whether it took the line.
    @discardableResult
    static func agree(_ text: String, path: BlobPath = path, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        agree(Array(text.utf8), path: path, sourceLocation: sourceLocation)
    }

    @discardableResult
    static func agree(_ line: [UInt8], path: BlobPath = path, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = fast(line, path: path) else { return false }
        let general = general(line, path: path)
        #expect(general != nil, "the fast way took a line the general way rejects: \(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
        if let general {
            #expect(summary(fast) == summary(general), "\(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
            #expect(fast.text == general.text, sourceLocation: sourceLocation)
        }
        return true
    }

    static let storage = #"{"time":"2026-10-01T00:00:01.1234567Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/G/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N","category":"SMSOperational","operationName":"SMSMessagesSent","durationMs":78,"level":"Informational","properties":{"PhoneNumber":"+15550001","Country":"US","OutgoingMessageLength":42,"MessageId":"Outgoing_20261001000001"}}"#
    static let flat = #"{"TimeGenerated":"2026-10-01T00:00:02.123Z","OperationName":"SMSMessagesSent","Category":"SMSOperational","DurationMs":"12","PhoneNumber":"+15550002","Extra":null,"Flag":true}"#

    @Test func takesTheUsualShapesAndAgrees() {
        #expect(Self.agree(Self.storage))
        #expect(Self.agree(Self.flat))
        let shredded = Self.fast(Array(Self.storage.utf8))!
        #expect(shredded.categoryString == "SMSOperational")
        #expect(shredded.values.map(\.value) == [.string("SMSMessagesSent"), .integer(78), .string("Informational"),
                                                 .string("+15550001"), .string("US"), .integer(42), .string("Outgoing_20261001000001")])
        #expect(shredded.residual == nil)
    }

    @Test func membersOutsideTheSchemaGoToTheResidualAsWritten() {
        let line = #"{"time":"2026-10-01T00:00:01Z", "x" : 1.50e+3 ,"y":false,"z":"é ✓","category":"Usage","properties":{"Quantity":-7,"PhoneNumber":"+1","PhoneNumber":"+2","w":null}}"#
        #expect(Self.agree(line))
        let shredded = Self.fast(Array(line.utf8))!
        #expect(shredded.residual.map { String(decoding: $0, as: UTF8.self) } == #"[["x",1.50e+3],["y",false],["z","é ✓"],["PhoneNumber","+2"],["w",null]]"#)
    }

    @Test func driftedValuesAgree() {
        // A quoted integer, a number in a string column, non-canonical integers, and a signed one.
        for line in [
            #"{"time":"2026-10-01T00:00:01Z","durationMs":"78","level":4,"resultSignature":"202"}"#,
            #"{"time":"2026-10-01T00:00:01Z","durationMs":"078","level":4.50,"resultSignature":"-0"}"#,
            #"{"time":"2026-10-01T00:00:01Z","durationMs":"+5","resultSignature":1e3,"OutgoingMessageLength":-12}"#,
            #"{"time":"2026-10-01T00:00:01Z","durationMs":123456789012345678,"IncomingMessageLength":1234567890123456789}"#,
            #"{"time":"2026-10-01T00:00:01Z","category":5,"resourceId":true}"#,
        ] {
            #expect(Self.agree(line))
        }
        let signed = Self.fast(Array(#"{"time":"2026-10-01T00:00:01Z","durationMs":"+5"}"#.utf8))!
        #expect(signed.values.isEmpty, "\"+5\" would come back as \"5\" if it were taken as an integer")
    }

    @Test func effectiveCategoryAndResourceAgree() {
        let workspace = BlobPath(parsing: "am-acssmsincomingoperations/WorkspaceResourceId=/subscriptions/s/resourcegroups/g/providers/microsoft.operationalinsights/workspaces/w/y=2026/m=10/d=01/h=00/m=05/PT05M.json")
        for line in [
            // The path's category and resource; a member that differs from the effective value stays residual.
            #"{"time":"2026-10-01T00:00:01Z","properties":{"category":"other","resourceId":"/X"}}"#,
            #"{"time":"2026-10-01T00:00:01Z","properties":{"category":"smsoperational"}}"#,
            #"{"time":"2026-10-01T00:00:01Z","category":"Usage","properties":{"category":"Usage"}}"#,
            #"{"time":"2026-10-01T00:00:01Z","_ResourceId":"/r","resourceId":"/s","Type":"ACSBillingUsage"}"#,
            #"{"time":"2026-10-01T00:00:01Z","_ResourceId":"/r","Type":"ACSSMSIncomingOperations","CATEGORY":7}"#,
            #"{"time":"2026-10-01T00:00:01Z","Type":"SomethingElse"}"#,
        ] {
            #expect(Self.agree(line))
            #expect(Self.agree(line, path: workspace))
            #expect(Self.agree(line, path: BlobPath()))
        }
    }

    @Test func timesAgree() {
        for line in [
            #"{"timestamp":"2026-10-01 00:00:01","TimeGenerated":"2026-10-01T00:00:02Z","TIME":"2026-10-01T00:00:03.5+02:00"}"#,
            #"{"TimeGenerated":"10/1/2026 1:02:03 PM","x":1}"#,
            #"{"time":"2026-10-01T00:00:01.123456789Z"}"#,
            #"{"time":"2026-10-01T00:00:01.10Z","time":"2026-10-01T00:00:09Z"}"#,
        ] {
            #expect(Self.agree(line))
        }
    }

    @Test func leavesOtherLinesToTheGeneralWay() {
        for line in [
            #"{"time":"2026-10-01T00:00:01Z","resultDescription":"a \"quoted\" word"}"#,   // an escape
            #"{"time":"2026-10-01T00:00:01Z","k\u00e9y":1}"#,                             // an escaped key
            #"{"time":"2026-10-01T00:00:01Z","list":[1,2]}"#,                             // an array
            #"{"time":"2026-10-01T00:00:01Z","other":{"a":1}}"#,                          // an object outside properties
            #"{"time":"2026-10-01T00:00:01Z","properties":{"a":{"b":1}}}"#,               // deeper nesting
            #"{"time":"2026-10-01T00:00:01Z","properties":{},"Properties":{}}"#,          // two objects
            #"{"time":"2026-10-01T00:00:01Z","properties":"{}"}"#,                        // escaped properties
            #"{"time":"2026-10-01T00:00:01Z","properties":"{\"a\":1}"}"#,
            #"{"time":2026}"#, #"{"time":"yesterday"}"#, #"{"x":1}"#, "{}",              // no usable time
            #"{"time":"2026-10-01T00:00:01Z","n":01}"#, #"{"time":"2026-10-01T00:00:01Z","n":1.}"#,
            #"{"time":"2026-10-01T00:00:01Z","n":-}"#, #"{"time":"2026-10-01T00:00:01Z","n":1x}"#,
            #"{"time":"2026-10-01T00:00:01Z","n":tru}"#, #"{"time":"2026-10-01T00:00:01Z","n":nul}"#,
            #"{"time":"2026-10-01T00:00:01Z","n":1"#, #"{"time":"2026-10-01T00:00:01Z"} x"#,
            #"{"time":"2026-10-01T00:00:01Z",}"#, #"{"time":"2026-10-01T00:00:01Z" "a":1}"#,
            #"["time"]"#, "", "   ", #""time""#,
        ] {
            #expect(!Self.agree(line), "\(line)")
        }
        // A control character inside a string, and invalid UTF-8.
        #expect(!Self.agree(Array(#"{"time":"2026-10-01T00:00:01Z","a":"x"#.utf8) + [0x09] + Array(#""}"#.utf8)))
        #expect(!Self.agree(Array(#"{"time":"2026-10-01T00:00:01Z","a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)))
    }

    /// The structural scan reads strings eight bytes a step and checks their UTF-8 on the way: a
    /// non-ASCII character, an escape or invalid UTF-8 at every offset of a line (in keys and values,
    /// on and off word boundaries) is taken exactly as the general way takes it, or left to it.
    @Test func agreesWhateverByteFallsAtAWordBoundary() {
        let line = Array(Self.storage.utf8)
        // Offsets inside strings: after a quote that opens a key or a value, up to its closing quote.
        var insideStrings: [Int] = []
        var inString = false
        for (i, b) in line.enumerated() where b == 0x22 || inString {
            if b == 0x22 { inString.toggle(); if inString { insideStrings.append(i + 1) } } else { insideStrings.append(i + 1) }
        }
        let quotedProperties = Array(#""properties""#.utf8)
        let at = (0...line.count - quotedProperties.count).first { Array(line[$0..<$0 + quotedProperties.count]) == quotedProperties }!
        let propertiesKey = (at + 1)...(at + quotedProperties.count - 1)
        for offset in insideStrings {
            for char in ["é", "✓", "😀"] {
                var bytes = line
                bytes.insert(contentsOf: Array(char.utf8), at: offset)
                // Everywhere but in the key `time`, its value (then there is no time: the general way
                // rejects the line too) and the key `properties` (then it is an object the fast way leaves).
                let taken = Self.agree(bytes)
                if offset > 37 && !(propertiesKey ~= offset) {
                    #expect(taken, "\(String(decoding: bytes, as: UTF8.self))")
                }
            }
            for bad: [UInt8] in [[0x80], [0xE2, 0x9C], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x5C, 0x6E], [0x09]] {
                var bytes = line
                bytes.insert(contentsOf: bad, at: offset)
                #expect(!Self.agree(bytes), "\(bytes)")
            }
        }
        // Invalid UTF-8 outside strings, and lines shorter than a word.
        for offset in line.indices where !insideStrings.contains(offset) {
            var bytes = line
            bytes.insert(0xC3, at: offset)
            #expect(!Self.agree(bytes), "\(bytes)")
        }
        for short in [#"{"#, #"{""#, #"{"a"#, #"{"a":"#, #"{"a":1}"#, #"{"é":"#, #"{"":1}"#] {
            #expect(!Self.agree(short), "\(short)")
        }
        #expect(Self.agree(#"{"time":"2026-10-01T00:00:01Z","":"é","é":""}"#))
    }

    /// One shredder reads line after line, as `convert` does, so its per-position key cache hits and
    /// misses: keys that differ from the last line's at the same position only in case, in their last
    /// byte, beyond the first word, in length, or that are too long to cache, are each looked up anew.
    @Test func oneShredderAgreesLineAfterLine() {
        let keys = ["durationMs", "DurationMs", "durationMS", "durationMx", "level", "Level", "levex", "",
                    "OutgoingMessageLength", "OutgoingMessageLengtH", "OutgoingMessageLengthX", "resultSignature",
                    "resultSignaturf", "PhoneNumber", "phonenumber", "aVeryLongMemberNameThatIsNotInTheSchemaAtAll",
                    "aVeryLongMemberNameThatIsNotInTheSchemaAtAlm", "incomingMessageLengthPlusSomeMoreBytes"]
        var lines: [String] = []
        for (i, first) in keys.enumerated() {
            let second = keys[(i * 7 + 3) % keys.count], third = keys[(i * 5 + 1) % keys.count]
            lines.append(#"{"time":"2026-10-01T00:00:01.0000000Z","\#(first)":"4","\#(second)":5,"properties":{"\#(third)":"x","\#(first)":6}}"#)
        }
        var shredder = LineShredder()
        for line in lines + lines.reversed() + lines {
            let bytes = Array(line.utf8)
            let fast = bytes.withUnsafeBytes { shredder.shred($0, path: Self.path) }
            let general = Self.general(bytes)
            #expect(fast != nil, "\(line)")
            #expect(fast.map(Self.summary) == general.map(Self.summary), "\(line)")
            #expect(fast?.text == general?.text)
        }
    }

    /// One shredder keeps its builder's buffers from line to line: a record's text is exactly its
    /// values whether the line before had more text, less, or more than the room kept (values of
    /// 0 to 200 KB, the largest past the 64 KB zeros the room is refilled from).
    @Test func oneShredderGivesExactTextWhateverTheLineBefore() {
        var shredder = LineShredder()
        var kept: [ShreddedRecord] = []
        for size in [10, 3000, 0, 200_000, 5, 70_000, 70_000, 1] {
            let line = #"{"time":"2026-10-01T00:00:01.0000000Z","category":"Usage","properties":{"PhoneNumber":"+1\#(String(repeating: "5", count: size))","Country":"US"}}"#
            let bytes = Array(line.utf8)
            let fast = bytes.withUnsafeBytes { shredder.shred($0, path: Self.path) }
            let general = Self.general(bytes)
            #expect(fast?.text == general?.text, "a value of \(size) bytes")
            #expect(fast.map(Self.summary) == general.map(Self.summary))
            if let fast { kept.append(fast) }
        }
        // Records kept while the shredder went on are unchanged by the lines after them: "Usage", the
        // path's resource ID (91 bytes), the phone number and "US".
        #expect(kept.map(\.text.count) == [10, 3000, 0, 200_000, 5, 70_000, 70_000, 1].map { 5 + 91 + (2 + $0) + 2 })
    }

    /// Lines that are the usual one with a few bytes changed, read by one shredder in turn (its
    /// key cache warm from the lines before, unlike the fuzz target's fresh shredder per input):
    /// each it takes, the general way takes the same; bytes drawn to hit the structure and UTF-8.
    @Test func oneShredderAgreesOnMutatedLines() {
        var random = SeededGenerator(seed: 21)
        let line = Array(Self.storage.utf8)
        let alphabet: [UInt8] = Array(#"{}[]":,\ 0123456789aeltrnu-+."#.utf8) + [0x09, 0x00, 0x7F, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x9C, 0x93, 0xF0, 0x9F, 0xFF]
        var shredder = LineShredder()
        var taken = 0
        for round in 0..<4000 {
            var bytes = line
            // Every fourth line is the usual one, so the cache keeps its keys.
            if round % 4 != 0 {
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    let byte = alphabet.randomElement(using: &random)!
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes.insert(byte, at: at)
                    case 1: bytes.remove(at: at)
                    default: bytes[at] = byte
                    }
                }
            }
            guard let fast = bytes.withUnsafeBytes({ shredder.shred($0, path: Self.path) }) else { continue }
            taken += 1
            let general = Self.general(bytes)
            #expect(general.map(Self.summary) == Self.summary(fast), "\(bytes)")
            #expect(general?.text == fast.text)
        }
        #expect(taken > 1000)
    }

    @Test func agreesOnEveryLineOfTheSampleAndTheFuzzCorpus() throws {
        var lines: [(bytes: [UInt8], path: BlobPath)] = []
        for blob in try InputWalker.blobs(in: [testdataExport]) {
            var bytes: [UInt8] = []
            var source: any ByteSource = try FileByteSource(path: blob)
            if blob.hasSuffix(".gz") { source = GzipDecoder(base: source, path: blob) }
            while let chunk = try? source.nextChunk() { bytes += chunk }
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
                lines.append((Array(line.last == 0x0D ? line.dropLast() : line), BlobPath(parsing: blob)))
            }
        }
        let corpus = repositoryRoot + "/fuzz/corpus/FuzzJSONLine"
        for name in try FileManager.default.contentsOfDirectory(atPath: corpus) {
            lines.append((Array(FileManager.default.contents(atPath: corpus + "/" + name)!), Self.path))
        }
        var taken = 0
        for (bytes, path) in lines where Self.agree(bytes, path: path) { taken += 1 }
        // One shredder over all the lines (its key cache warm) takes each as a fresh one does.
        var shredder = LineShredder()
        for (bytes, path) in lines {
            let warm = bytes.withUnsafeBytes { shredder.shred($0, path: path) }
            #expect(warm.map(Self.summary) == Self.fast(bytes, path: path).map(Self.summary))
        }
        // Most sample lines are the usual shapes; the general way keeps the odd ones.
        #expect(lines.count > 500)
        #expect(taken > lines.count / 2)
        #expect(taken < lines.count)
    }

    /// The converter takes the fast way; reading the same export the general way gives the same archive content.
    @Test func convertingTheSampleGivesWhatTheGeneralWayGives() throws {
        let folder = TemporaryFolder()
        let general = try ArchiveRoundTripTests.convert([testdataExport], into: folder)
        let fast = folder.path + "/fast.smsa"
        _ = try Converter(inputs: [testdataExport], archive: fast).run()
        let a = try ArchiveRoundTripTests.scanAll(general), b = try ArchiveRoundTripTests.scanAll(fast)
        #expect(a.count == b.count)
        #expect(a.map(\.document) == b.map(\.document))
        #expect(a.map(\.time) == b.map(\.time))
        #expect(a.map(\.category) == b.map(\.category))
        #expect(a.map(\.resourceId) == b.map(\.resourceId))
    }
}
