import Foundation
import Testing
@testable import SMSArchive
@testable import SMSRecords

/// Records taken apart by `RecordShredder` (layout, columns, residual) and put
/// back together by `RecordBatch`: the JSON text must come back byte for byte.
@Suite struct RecordLayoutTests {
    static let resource = "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N"
    /// A blob path of a storage export of the Usage category.
    static let usagePath = "insights-logs-usage/resourceId=" + resource + "/y=2026/m=10/d=01/h=00/m=00/PT1H.json"
    static let guid = "0f8fad5b-d9cb-469f-a165-70867728950e"

    struct Scanned {
        var document: [UInt8]
        var time: Timestamp
        var category: String?
        var resourceId: String?
        var record: Record
    }

    /// Writes `lines` as one blob at `path`, converts it, and scans every record back.
    static func roundTrip(_ lines: [String], path: String = "PT1H.json") throws -> (scanned: [Scanned], ingested: [Record]) {
        let folder = TemporaryFolder()
        let blob = folder.write(path, lines.joined(separator: "\n") + "\n")
        let ingested = try ingest([blob])
        #expect(ingested.rejects.isEmpty, "\(ingested.rejects.map(\.diagnostic))")
        let archive = try ArchiveRoundTripTests.convert([blob], into: folder)
        var scanned: [Scanned] = []
        try ArchiveReader(path: archive).scan { batch, row in
            var bytes: [UInt8] = []
            try batch.writeJSON(row: row, to: &bytes)
            scanned.append(Scanned(document: bytes, time: Timestamp(ticks: batch.times[row]),
                                   category: batch.string(FieldSchema.category, row: row),
                                   resourceId: batch.string(FieldSchema.resourceId, row: row),
                                   record: try batch.record(row: row)))
            return true
        }
        return (scanned, ingested.records)
    }

    static func column(_ name: String) -> Int { FieldSchema.column(named: name)! }

    // MARK: byte-for-byte round trips

    /// Compact JSON lines (members in any order, no spaces, only the escapes JSON
    /// requires): each must come back as exactly the same bytes.
    static let compactLines: [String] = [
        // The storage shape.
        storageLine(),
        #"{"time":"2026-10-01T00:00:06.4610620Z","resourceId":"\#(resource)","operationName":"SMSMessagesSent","operationVersion":"2023-03-31","category":"SMSOperational","resultType":"Succeeded","resultSignature":202,"resultDescription":"Message sent","durationMs":81,"callerIpAddress":"10.0.0.1","correlationId":"\#(guid)","level":"Informational","location":"unitedstates","uri":"https://x.communication.azure.com/sms?api-version=2023-03-31","properties":{"OutgoingMessageLength":12,"DeliveryAttempts":1,"PhoneNumber":"+18334256463","NumberType":"TollFree","SdkType":"azsdk-net-Communication.Sms","PlatformType":"Microsoft Windows 10.0.19045","Method":"POST","MessageId":"Outgoing_20261001000006\#(guid)_noam","Country":"US"}}"#,
        #"{"time":"2026-10-01T00:00:07.0000000Z","resourceId":"\#(resource)","operationName":"Usage","category":"Usage","properties":{"RecordId":"Q2hlY2tUaGlzT3V0QWdhaW4.0","UsageType":"Message","UnitType":"Message","Quantity":1,"Direction":"Outbound","IncomingMessageLength":0}}"#,
        // The flat PascalCase shape of Log Analytics.
        #"{"TenantId":"t","TimeGenerated":"2026-10-01T00:00:06.461062Z","OperationName":"SMSMessagesSent","OperationVersion":"2023-03-31","Category":"SMSOperational","ResultType":"Succeeded","ResultSignature":202,"DurationMs":81,"CallerIpAddress":"10.0.0.1","CorrelationId":"\#(guid)","Level":"Informational","Location":"unitedstates","OutgoingMessageLength":12,"DeliveryAttempts":1,"PhoneNumber":"+18334256463","Country":"US","SourceSystem":"Azure","Type":"ACSSMSIncomingOperations","_ResourceId":"/subscriptions/s/resourcegroups/rg/providers/microsoft.communication/communicationservices/n"}"#,
        #"{"timestamp":"2026-10-01T00:00:06Z","PhoneNumber":"+1"}"#,
        // Odd key casing.
        #"{"TIME":"2026-10-01T00:00:06Z","OPERATIONNAME":"x","phonenumber":"+1","Properties":{"cOuNtRy":"US","deliveryattempts":3,"MESSAGEID":"m"},"ResultTYPE":"Failed"}"#,
        // A member appearing twice: the second goes to the residual.
        #"{"time":"2026-10-01T00:00:06Z","Country":"US","country":"CA","properties":{"Country":"GB","PhoneNumber":"+1","PhoneNumber":"+2"},"Country":"FR"}"#,
        #"{"time":"2026-10-01T00:00:06Z","time":"2026-10-01T00:00:09Z","TimeGenerated":"2026-10-01T00:00:08Z"}"#,
        // properties that is not an object, or comes twice.
        #"{"time":"2026-10-01T00:00:06Z","properties":null}"#,
        #"{"time":"2026-10-01T00:00:06Z","properties":"PhoneNumber"}"#,
        #"{"time":"2026-10-01T00:00:06Z","properties":[1,{"Country":"US"}]}"#,
        #"{"time":"2026-10-01T00:00:06Z","properties":{"Country":"US"},"Properties":{"Country":"CA"},"properties":{}}"#,
        #"{"time":"2026-10-01T00:00:06Z","properties":{}}"#,
        #"{"properties":{"PhoneNumber":"+1"},"time":"2026-10-01T00:00:06Z"}"#,
        // Integers that are not canonical go to the residual with their text.
        #"{"time":"2026-10-01T00:00:06Z","durationMs":1.0,"resultSignature":-0,"DeliveryAttempts":1e3,"Quantity":1234567890123456789,"OutgoingMessageLength":-1234567890123456789,"IncomingMessageLength":0.5E+2}"#,
        #"{"time":"2026-10-01T00:00:06Z","durationMs":99999999999999999999,"Quantity":-0.0,"DeliveryAttempts":1E3,"resultSignature":10e-1}"#,
        // Canonical integers, up to 18 characters.
        #"{"time":"2026-10-01T00:00:06Z","durationMs":0,"resultSignature":-1,"Quantity":123456789012345678,"DeliveryAttempts":-12345678901234567}"#,
        // Values of the wrong JSON type for their column.
        #"{"time":"2026-10-01T00:00:06Z","durationMs":"5","DeliveryAttempts":null,"Quantity":true,"PhoneNumber":18334256463,"Country":["US"],"Method":{"a":1},"resultType":false}"#,
        // Strings: escapes, control characters, non-ASCII, empty.
        #"{"time":"2026-10-01T00:00:06Z","Method":"a\"b\\c\n\u0001\t/","Country":"é中文😀","SdkType":"","PlatformType":"\u0000","NumberType":"\u001f\u007f","MessageId":" \u2028\u2029"}"#.replacingOccurrences(of: #"\u007f"#, with: "\u{7F}").replacingOccurrences(of: #"\u2028\u2029"#, with: "\u{2028}\u{2029}"),
        #"{"time":"2026-10-01T00:00:06Z","é":"x","":"empty key","ke\"y":1,"\u0000":null}"#,
        // Unknown nested objects.
        #"{"time":"2026-10-01T00:00:06Z","extra":{"a":[1,{"b":null}],"c":{}},"properties":{"inner":{"deep":[[]]},"Country":"US","properties":{"PhoneNumber":"+1"}},"list":[]}"#,
        // A record with only its time.
        #"{"time":"2026-10-01T00:00:06Z"}"#,
        // Very long values.
        #"{"time":"2026-10-01T00:00:06Z","Method":"\#(String(repeating: "x", count: 70_000))","other":"\#(String(repeating: "中", count: 30_000))"}"#,
    ]

    @Test(arguments: compactLines)
    func compactLineComesBackByteForByte(_ line: String) throws {
        let (scanned, ingested) = try Self.roundTrip([line])
        try #require(scanned.count == 1)
        #expect(String(decoding: scanned[0].document, as: UTF8.self) == line)
        #expect(scanned[0].document == Array(line.utf8))
        #expect(scanned[0].record == ingested[0])
        #expect(scanned[0].time == ingested[0].time)
    }

    /// Time text forms; the time must come back as written (from ticks and a
    /// format, or through the residual when no format rebuilds it).
    static let timeTexts: [String] = [
        "2026-10-01T00:00:06.461Z",
        "2026-10-01T00:00:06.4610620Z",
        "2026-10-01T00:00:06.461062000Z",
        "2026-10-01T00:00:06.461062012Z",
        "2026-10-01T00:00:06.0Z",
        "2026-10-01T00:00:06Z",
        "2026-10-01T02:00:06.4610620+02:00",
        "2026-09-30T19:00:06-05:00",
        "2026-10-01T05:30:06.5+05:30",
        "2026-10-01T00:00:06-00:00",
        "2026-10-01T00:00:06+00:00",
        "2026-10-01T00:00:06.4610620z",
        "2026-10-01 00:00:06.4610620Z",
        "2026-10-01t00:00:06Z",
        "2026-10-01T00:00:06.4610620",
        "2026-10-01T00:00:06",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.9999999Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999999Z",
        "2024-02-29T12:00:00Z",
        "2026-10-01T23:30:00-23:59",
    ]

    @Test(arguments: timeTexts)
    func timeTextComesBackExactly(_ text: String) throws {
        let line = #"{"time":"\#(text)","PhoneNumber":"+1"}"#
        let flat = #"{"PhoneNumber":"+1","TimeGenerated":"\#(text)"}"#
        let (scanned, _) = try Self.roundTrip([line])
        try #require(scanned.count == 1)
        #expect(String(decoding: scanned[0].document, as: UTF8.self) == line)
        #expect(scanned[0].time == Timestamp(iso8601: text))
        let (scannedFlat, _) = try Self.roundTrip([flat])
        #expect(scannedFlat.map { String(decoding: $0.document, as: UTF8.self) } == [flat])
    }

    @Test func timeFormatIsFoundOnlyWhenItRebuildsTheText() throws {
        struct Case { var text: String; var digits: UInt8?; var separator: Character = "T"; var zone: UInt8 = 1; var offset: Int16 = 0 }
        let cases = [
            Case(text: "2026-10-01T00:00:06.461Z", digits: 3),
            Case(text: "2026-10-01T00:00:06.4610620Z", digits: 7),
            Case(text: "2026-10-01T00:00:06.461062000Z", digits: 9),
            Case(text: "2026-10-01T00:00:06.461062012Z", digits: nil),      // beyond ticks: not rebuildable
            Case(text: "2026-10-01T00:00:06Z", digits: 0),
            Case(text: "2026-10-01T02:00:06.4610620+02:00", digits: 7, zone: 3, offset: 120),
            Case(text: "2026-09-30T19:00:06-05:00", digits: 0, zone: 3, offset: -300),
            Case(text: "2026-10-01T00:00:06-00:00", digits: nil),           // would be written +00:00
            Case(text: "2026-10-01T00:00:06.4610620z", digits: 7, zone: 2),
            Case(text: "2026-10-01 00:00:06.4610620Z", digits: 7, separator: " "),
            Case(text: "2026-10-01t00:00:06Z", digits: 0, separator: "t"),
            Case(text: "2026-10-01T00:00:06.4610620", digits: 7, zone: 0),
        ]
        for c in cases {
            let ticks = try #require(Timestamp(iso8601: c.text)).ticks
            let format = TimeFormat.exact(of: c.text, ticks: ticks)
            guard let digits = c.digits else {
                #expect(format == nil, "\(c.text)")
                continue
            }
            let f = try #require(format, "\(c.text)")
            #expect(f.fractionDigits == digits, "\(c.text)")
            #expect(f.separator == c.separator.asciiValue!, "\(c.text)")
            #expect(f.zone == c.zone, "\(c.text)")
            #expect(f.offsetMinutes == c.offset, "\(c.text)")
            #expect(f.text(for: ticks) == c.text)
        }
        // The right format but another instant: not exact.
        #expect(TimeFormat.exact(of: "2026-10-01T00:00:06Z", ticks: try #require(Timestamp(iso8601: "2026-10-01T00:00:07Z")).ticks) == nil)
    }

    // MARK: what goes where

    @Test func storageShapeIsAllColumns() throws {
        let record = try #require(try ingest(text: storageLine() + "\n").records.first)
        let shredded = RecordShredder.shred(record)
        let format = TimeFormat(fractionDigits: 7, separator: UInt8(ascii: "T"), zone: 1, offsetMinutes: 0)
        #expect(shredded.layout.tokens == [
            .time(key: "time", format: format),
            .column(FieldSchema.resourceId, key: "resourceId"),
            .column(Self.column("operationName"), key: "operationName"),
            .column(FieldSchema.category, key: "category"),
            .objectStart(key: "properties"),
            .column(Self.column("PhoneNumber"), key: "PhoneNumber"),
            .column(Self.column("Country"), key: "Country"),
            .objectEnd,
        ])
        // Category and resource ID are held per row as the effective values, not as slot values.
        #expect(shredded.values.map(\.column) == [Self.column("operationName"), Self.column("PhoneNumber"), Self.column("Country")])
        let strings = shredded.values.map { value -> String? in if case .string(let s) = value.value { return s }; return nil }
        #expect(strings == ["SMSMessagesSent", "+18334256463", "US"])
        #expect(shredded.residual == nil)
    }

    @Test func repeatsAndOddValuesGoToTheResidualInOrder() throws {
        let line = #"{"time":"2026-10-01T00:00:06Z","Country":"US","country":"CA","durationMs":1.0,"DeliveryAttempts":7,"properties":null,"x":{"y":[1]}}"#
        let record = try #require(try ingest(text: line + "\n").records.first)
        let shredded = RecordShredder.shred(record)
        #expect(shredded.layout.tokens == [
            .time(key: "time", format: TimeFormat(fractionDigits: 0, separator: UInt8(ascii: "T"), zone: 1, offsetMinutes: 0)),
            .column(Self.column("Country"), key: "Country"),
            .residual,
            .residual,
            .column(Self.column("DeliveryAttempts"), key: "DeliveryAttempts"),
            .residual,
            .residual,
        ])
        #expect(shredded.residual.map { String(decoding: $0, as: UTF8.self) } == #"[["country","CA"],["durationMs",1.0],["properties",null],["x",{"y":[1]}]]"#)
        #expect(shredded.values.count == 2)
        if case .integer(let v) = shredded.values[1].value { #expect(v == 7) } else { Issue.record("DeliveryAttempts is not an integer") }
    }

    @Test func canonicalIntegersAreExactlyTheShortPlainOnes() {
        let yes: [(String, Int64)] = [("0", 0), ("-1", -1), ("7", 7), ("123456789012345678", 123_456_789_012_345_678),
                                      ("-12345678901234567", -12_345_678_901_234_567), ("999999999999999999", 999_999_999_999_999_999)]
        for (text, value) in yes { #expect(RecordShredder.canonicalInteger(text) == value, "\(text)") }
        let no = ["", "-", "-0", "01", "-01", "00", "1.0", "1e3", "1E3", "0.5", " 1", "1 ",
                  "1234567890123456789", "-123456789012345678", "9223372036854775807", "-9223372036854775808", "99999999999999999999"]
        for text in no { #expect(RecordShredder.canonicalInteger(text) == nil, "\(text)") }
    }

    // MARK: category and resource ID

    @Test func categoryMemberDifferentFromThePathsWins() throws {
        let lines = [
            #"{"time":"2026-10-01T00:00:01Z","category":"SMSOperational","properties":{}}"#,
            #"{"time":"2026-10-01T00:00:02Z","properties":{"PhoneNumber":"+1"}}"#,
            #"{"time":"2026-10-01T00:00:03Z","category":5}"#,
            #"{"time":"2026-10-01T00:00:04Z","Category":"Usage","resourceId":"/OTHER"}"#,
            #"{"time":"2026-10-01T00:00:05Z","properties":{"category":"usage"}}"#,
            #"{"time":"2026-10-01T00:00:06Z","properties":{"category":"SMSOperational"}}"#,
            #"{"time":"2026-10-01T00:00:07Z","properties":{"category":"A"},"category":"A","CATEGORY":"B"}"#,
            #"{"time":"2026-10-01T00:00:08Z","resourceId":null,"category":""}"#,
        ]
        let (scanned, ingested) = try Self.roundTrip(lines, path: Self.usagePath)
        try #require(scanned.count == lines.count)
        #expect(scanned.map { String(decoding: $0.document, as: UTF8.self) } == lines)
        #expect(scanned.map(\.category) == ["SMSOperational", "usage", "usage", "Usage", "usage", "usage", "A", nil])
        #expect(scanned.map(\.resourceId) == [Self.resource, Self.resource, Self.resource, "/OTHER", Self.resource, Self.resource, Self.resource, Self.resource])
        // The Record rebuilt: equal to the one read, but for the empty category (line 8), read back as unknown.
        #expect(Array(scanned.map(\.record).prefix(7)) == Array(ingested.prefix(7)))
        #expect(ingested[7].category == "")
        withKnownIssue("an empty category or resource ID is stored as \"\" and read back as nil (unknown)") {
            #expect(scanned[7].record.category == "")
        }
    }

    // MARK: edge cases found earlier

    /// A record may nest 512 levels; its residual `[["key",value]]` nests one more, and must still be read back.
    @Test func deeplyNestedResidualMemberComesBack() throws {
        let depth = JSONParser.defaultMaxDepth - 1   // arrays inside the record object: 512 levels in all
        let line = #"{"time":"2026-10-01T00:00:06Z","x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let folder = TemporaryFolder()
        let blob = folder.write("PT1H.json", line + "\n")
        let ingested = try ingest([blob])
        try #require(ingested.records.count == 1, "the line itself is within the parser's depth limit")
        let archive = try ArchiveRoundTripTests.convert([blob], into: folder)
        // The residual [["x", value]] nests one level deeper than the record did; it must still be read back.
        let rows = try ArchiveRoundTripTests.scanAll(archive)
        #expect(rows.map(\.document) == [Array(line.utf8)])
    }

    /// Strings that are canonically equivalent but differ in bytes (é as one code
    /// point, and as e + combining acute) must each come back as written.
    @Test func canonicallyEquivalentStringsKeepTheirBytes() throws {
        let lines = [
            #"{"time":"2026-10-01T00:00:01Z","Country":"caf"# + "\u{E9}" + #"","note":"caf"# + "\u{E9}" + #""}"#,
            #"{"time":"2026-10-01T00:00:02Z","Country":"cafe"# + "\u{301}" + #"","note":"cafe"# + "\u{301}" + #""}"#,
        ]
        #expect("caf\u{E9}" == "cafe\u{301}")                                   // equal as Swift Strings...
        #expect(Array("caf\u{E9}".utf8) != Array("cafe\u{301}".utf8))          // ...but not as bytes
        let (scanned, _) = try Self.roundTrip(lines)
        try #require(scanned.count == 2)
        #expect(scanned[0].document == Array(lines[0].utf8))
        #expect(scanned[1].document == Array(lines[1].utf8))
    }
}
