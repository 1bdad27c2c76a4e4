import Testing
@testable import SMSArchive
@testable import SMSRecords

/// How one blob's bytes become records and rejects: line ends, blank lines,
/// BOM, the legacy wrapper, and every kind of bad line.
@Suite struct BlobParserTests {
    @Test func readsJSONLinesWithLFAndCRLF() throws {
        let a = storageLine(time: "2026-10-01T00:00:01.0000000Z"), b = storageLine(time: "2026-10-01T00:00:02.0000000Z")
        for text in ["\(a)\n\(b)\n", "\(a)\r\n\(b)\r\n", "\(a)\n\(b)"] {
            let result = try ingest(text: text)
            #expect(result.rejects.isEmpty)
            #expect(result.records.map(\.time.ticks) == [1_790_812_801 * 10_000_000, 1_790_812_802 * 10_000_000])
        }
    }

    @Test func skipsBlankLinesAndALeadingBOM() throws {
        let line = storageLine()
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("\(line)\n\n   \n\t\r\n\(line)\n\n".utf8)
        let result = try ingest(bytes: bytes)
        #expect(result.records.count == 2)
        #expect(result.rejects.isEmpty)
    }

    /// A BOM before the legacy wrapper, on one line or pretty-printed, plain or gzipped: the whole blob
    /// was one invalid-json reject ("unexpected byte 0xEF"), 0 records.
    @Test func aBOMBeforeTheLegacyWrapperIsSkippedToo() throws {
        let a = #"{"time":"2026-10-01T02:00:01Z","n":1}"#, b = #"{"time":"2026-10-01T02:00:02Z","n":2}"#
        for text in ["{\"records\":[\(a),\(b)]}\n", "{\n  \"records\": [\n    \(a),\n    \(b)\n  ]\n}\n"] {
            let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
            for (name, input) in [("PT1H.json", bytes), ("PT1H.json.gz", gzip(bytes))] {
                let result = try ingest(bytes: input, name: name)
                #expect(result.rejects.isEmpty, "\(name): \(result.rejects.map(\.detail))")
                #expect(result.records.map { $0.object["n"] } == [.number("1"), .number("2")], "\(name)")
            }
        }
    }

    /// A detail quotes input: its line ends and escapes are shown as `\u00XX`, so that a crafted value
    /// cannot forge a line ("smsarchive: added 999 records") or recolour a terminal; the reject keeps the bytes.
    @Test func aRejectsDiagnosticShowsControlCharactersEscaped() throws {
        let line = #"{"time":"x\u001b[31m\nsmsarchive: added 999 records"}"#
        let result = try ingest(text: line + "\n")
        let reject = try #require(result.rejects.first)
        #expect(reject.bytes == Array(line.utf8))
        #expect(!reject.diagnostic.unicodeScalars.contains { $0.value < 0x20 })
        #expect(reject.diagnostic.contains("\\u001B[31m\\u000Asmsarchive: added 999 records"), "\(reject.diagnostic)")
        let plain = Reject(source: "a/PT1H.json", line: 3, reason: .invalidJSON, detail: "unexpected byte 'x'", bytes: [])
        #expect(plain.diagnostic == "a/PT1H.json:3: invalid-json: unexpected byte 'x'")
    }

    @Test func keepsTheRecordExactly() throws {
        let line = #"{"time":"2026-10-01T00:00:07.5Z","x":null,"n":[1.0,1e3,-0,12345678901234567890123],"u":"é\ud83d\ude00\n","nested":{"a":{"b":[]}}}"#
        let result = try ingest(text: line + "\n")
        let record = try #require(result.records.first)
        #expect(record.object == (try JSONParser.parseDocument(line)).objectValue)
        #expect(record.object["time"] == .string("2026-10-01T00:00:07.5Z"))
        #expect(record.object["n"] == .array([.number("1.0"), .number("1e3"), .number("-0"), .number("12345678901234567890123")]))
        #expect(record.object["u"] == .string("é😀\n"))
    }

    @Test func matchesFieldNamesIgnoringCase() throws {
        let flat = #"{"TimeGenerated":"2022-09-26T15:58:30.100Z","OperationName":"SMSMessagesSent","Category":"SMSOperational"}"#
        let odd = #"{"TIME":"2022-09-26T15:58:30.200Z","RESOURCEID":"/SUBSCRIPTIONS/X","operationname":"SMSMessagesSent"}"#
        let result = try ingest(text: flat + "\n" + odd + "\n")
        #expect(result.records.count == 2)
        #expect(result.records[0].category == "SMSOperational")
        #expect(result.records[1].resourceId == "/SUBSCRIPTIONS/X")
        #expect(result.records[1].time == Timestamp(iso8601: "2022-09-26T15:58:30.2Z"))
    }

    @Test func takesCategoryAndResourceFromThePathWhenTheRecordLacksThem() throws {
        let folder = TemporaryFolder()
        let path = folder.write("insights-logs-usage/resourceId=/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/ACS-1/y=2026/m=10/d=01/h=05/m=00/PT1H.json",
                                #"{"time":"2026-10-01T05:00:00Z"}"# + "\n" + #"{"time":"2026-10-01T05:00:01Z","category":"Usage","resourceId":"/R"}"# + "\n")
        let result = try ingest([path])
        #expect(result.records.map(\.category) == ["usage", "Usage"])
        #expect(result.records.map(\.resourceId) == ["/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/ACS-1", "/R"])
    }

    @Test func readsTheLegacyWrapperOnOneLine() throws {
        let text = #"{"records": [\#(storageLine()), {"time":"2026-10-01T00:00:09Z"}, 42]}"# + "\n" + storageLine() + "\n"
        let result = try ingest(text: text)
        #expect(result.records.count == 3)
        #expect(result.rejects.map(\.reason) == [.notObject])
        #expect(result.rejects.first?.bytes == Array("42".utf8))
        #expect(result.rejects.first?.line == 1)
    }

    @Test func readsThePrettyPrintedLegacyWrapperWithLineNumbers() throws {
        let text = """
        { "records": [
        {"time": "2026-10-01T00:00:01Z", "a": 1},
        {
          "time": "2026-10-01T00:00:02Z",
          "b": [1, 2]
        },
        {"no": "time"},
        {"time": "2026-10-01T00:00:03Z"}
        ]}

        """
        let result = try ingest(text: text)
        #expect(result.records.map { $0.object.members.first?.value } == [
            .string("2026-10-01T00:00:01Z"), .string("2026-10-01T00:00:02Z"), .string("2026-10-01T00:00:03Z"),
        ])
        #expect(result.rejects.count == 1)
        #expect(result.rejects.first?.reason == .noTime)
        #expect(result.rejects.first?.line == 7)
        #expect(result.rejects.first?.bytes == Array(#"{"no": "time"}"#.utf8))
    }

    @Test func aCutLegacyBlobKeepsItsCompleteRecords() throws {
        let text = "{\"records\": [\n{\"time\": \"2026-10-01T00:00:01Z\"},\n{\"time\": \"2026-10-01T00:0"
        let result = try ingest(text: text)
        #expect(result.records.count == 1)
        #expect(result.rejects.map(\.reason) == [.truncated])
        #expect(result.rejects.first?.line == 3)
        #expect(result.rejects.first?.bytes == Array("{\"time\": \"2026-10-01T00:0".utf8))
    }

    @Test func theCutLastLineOfAnOpenBlobIsTruncated() throws {
        let good = storageLine()
        let cut = String(good.prefix(good.count / 2))
        let result = try ingest(text: "\(good)\n\(good)\n\(cut)")
        #expect(result.records.count == 2)
        #expect(result.rejects.count == 1)
        #expect(result.rejects.first?.reason == .truncated)
        #expect(result.rejects.first?.line == 3)
        #expect(result.rejects.first?.bytes == Array(cut.utf8))
    }

    @Test func aCompleteLastLineWithoutNewlineIsARecord() throws {
        let result = try ingest(text: storageLine() + "\n" + storageLine())
        #expect(result.records.count == 2)
        #expect(result.rejects.isEmpty)
    }

    @Test func anUnterminatedLineFollowedByANewlineIsInvalidJSON() throws {
        let result = try ingest(text: "{\"a\":\"abc\n" + storageLine() + "\n")
        #expect(result.records.count == 1)
        #expect(result.rejects.map(\.reason) == [.invalidJSON])
        #expect(result.rejects.map(\.line) == [1])
    }

    /// One bad line between good ones, with the reason it must get.
    @Test(arguments: [
        (#"{"time": "2026-10-01T00:00:01.0000000Z", "a": }"#, RejectReason.invalidJSON),
        (#"{"a":1,}"#, .invalidJSON),
        ("this is not json", .invalidJSON),
        ("{'time':'2026-10-01T00:00:01Z'}", .invalidJSON),
        (#"{"a":1} trailing"#, .invalidJSON),
        (#"{"n": 01}"#, .invalidJSON),
        ("{\"s\":\"a\u{01}b\"}", .invalidJSON),
        (#"{"n": NaN}"#, .invalidJSON),
        (#"{"s": "\x41"}"#, .invalidJSON),
        (#"{"s": "\ud800"}"#, .invalidJSON),
        ("[1,2,3]", .notObject),
        (#""just a string""#, .notObject),
        ("42", .notObject),
        ("null", .notObject),
        (#"{"operationName":"SMSMessagesSent"}"#, .noTime),
        (#"{"properties":{"time":"2026-10-01T00:00:01Z"}}"#, .noTime),
        (#"{"time":"yesterday"}"#, .badTime),
        (#"{"time":12345}"#, .badTime),
        (#"{"time":null,"TimeGenerated":"2026-10-01T00:00:01Z"}"#, .badTime),
        (#"{"time":"2026-10-01T00:00:01Z","x":"#.appending(String(repeating: "[", count: 1000)) + String(repeating: "]", count: 1000) + "}", .tooDeep),
    ])
    func rejectsABadLine(line: String, reason: RejectReason) throws {
        let result = try ingest(text: storageLine() + "\n" + line + "\n" + storageLine() + "\n")
        #expect(result.records.count == 2)
        #expect(result.rejects.count == 1)
        let reject = try #require(result.rejects.first)
        #expect(reject.reason == reason, "\(reject.detail)")
        #expect(reject.line == 2)
        #expect(reject.bytes == Array(line.utf8))
        #expect(reject.diagnostic.hasSuffix(":2: \(reason.rawValue): \(reject.detail)"))
    }

    @Test(arguments: [[0xC3, 0x28] as [UInt8], [0xFF], [0xED, 0xA0, 0x80]])
    func rejectsInvalidUTF8KeepingTheBytes(bad: [UInt8]) throws {
        let line = Array(#"{"time":"2026-10-01T00:00:01Z","s":""#.utf8) + bad + Array(#""}"#.utf8)
        let bytes = Array((storageLine() + "\n").utf8) + line + [0x0A]
        let result = try ingest(bytes: bytes)
        #expect(result.records.count == 1)
        #expect(result.rejects.map(\.reason) == [.invalidUTF8])
        #expect(result.rejects.first?.bytes == line)
    }

    @Test func aHugeLineIsARecord() throws {
        let big = String(repeating: "é", count: 3_000_000)
        let result = try ingest(text: storageLine(extra: #","big":"\#(big)""#) + "\n")
        #expect(result.records.first?.object["big"] == .string(big))
    }
}

extension BlobParserTests {
    @Test func readsAPrettyPrintedArrayOfRecords() throws {
        let text = "[\n  {\n    \"time\": \"2026-10-01T00:00:01Z\"\n  },\n  {\"time\": \"2026-10-01T00:00:02Z\"}\n]\n"
        let result = try ingest(text: text)
        #expect(result.rejects.map(\.reason) == [.notObject])   // the array itself is one value, not a wrapper
        #expect(result.rejects.first?.line == 1)
    }
}
