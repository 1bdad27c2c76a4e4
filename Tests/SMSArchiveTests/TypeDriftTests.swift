import Testing
@testable import SMSArchive
@testable import SMSRecords
@testable import SMSSupport

/// Values written with another JSON type than usual (a number as a string, a
/// string field as a number, `properties` escaped into a string) come back exactly
/// as written, while typed columns and predicates still see the value.
@Suite struct TypeDriftTests {
    static let drifted = [
        #"{"time":"2026-10-01T00:00:01.0000000Z","category":"SMSOperational","durationMs":"78","level":4,"resultSignature":"202","properties":{"PhoneNumber":"+15550001"}}"#,
        #"{"time":"2026-10-01T00:00:02.0000000Z","category":"SMSOperational","durationMs":"078","properties":"{\"PhoneNumber\":\"+15550002\",\"Country\":\"CA\",\"DeliveryAttempts\":1,\"Note\":null}"}"#,
        #"{"time":"2026-10-01T00:00:03.0000000Z","category":"SMSOperational","properties":"{\"PhoneNumber\": \"+15550003\"}"}"#,
        #"{"time":"2026-10-01T00:00:04.0000000Z","category":"SMSOperational","level":4.50,"durationMs":"-0","properties":"not json"}"#,
    ]

    static func archive(_ lines: [String], in folder: TemporaryFolder) throws -> String {
        let blob = folder.write("PT1H.json", lines.joined(separator: "\n") + "\n")
        return try ArchiveRoundTripTests.convert([blob], into: folder)
    }

    static func column(_ name: String) -> Int { FieldSchema.column(named: name)! }

    @Test func driftedRecordsComeBackByteForByte() throws {
        let folder = TemporaryFolder()
        let rows = try ArchiveRoundTripTests.scanAll(try Self.archive(Self.drifted, in: folder))
        #expect(rows.map { String(decoding: $0.document, as: UTF8.self) } == Self.drifted)
    }

    @Test func aQuotedIntegerWithAPlusSignStaysAsWritten() throws {
        // "+5" is not how 5 is written back: it must stay text, outside the integer column.
        let lines = [#"{"time":"2026-10-01T00:00:01.0000000Z","durationMs":"+5","resultSignature":"+0"}"#]
        let folder = TemporaryFolder()
        let archive = try Self.archive(lines, in: folder)
        #expect(try ArchiveRoundTripTests.scanAll(archive).map { String(decoding: $0.document, as: UTF8.self) } == lines)
        let batch = try ArchiveReader(path: archive).segment(0).readBatch(0)
        #expect(batch.integer(Self.column("durationMs"), row: 0) == nil)
    }

    @Test func typedColumnsSeeUnambiguousValues() throws {
        let folder = TemporaryFolder()
        let reader = try ArchiveReader(path: try Self.archive(Self.drifted, in: folder))
        let batch = try reader.segment(0).readBatch(0)
        // "78" is the integer 78; "078" and "-0" are not canonical integers: kept as strings, outside the column.
        #expect((0..<4).map { batch.integer(Self.column("durationMs"), row: $0) } == [78, nil, nil, nil])
        #expect(try batch.memberValue(named: "durationMs", row: 1) == .string("078"))
        #expect(batch.integer(Self.column("resultSignature"), row: 0) == 202)
        // A number in a string column is seen as its text.
        #expect(batch.string(Self.column("level"), row: 0) == "4")
        #expect(batch.string(Self.column("level"), row: 3) == "4.50")
        // Escaped properties written compactly are taken apart; spaced ones stay a string.
        #expect(batch.string(Self.column("PhoneNumber"), row: 1) == "+15550002")
        #expect(batch.string(Self.column("Country"), row: 1) == "CA")
        #expect(batch.integer(Self.column("DeliveryAttempts"), row: 1) == 1)
        #expect(batch.string(Self.column("PhoneNumber"), row: 2) == nil)
        #expect(batch.string(Self.column("PhoneNumber"), row: 3) == nil)
    }

    @Test func aPhoneInsideEscapedPropertiesMatchesThePredicate() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(Self.drifted, in: folder)
        var query = ScanQuery()
        query.require(.phoneNumber, anyOf: ["+15550002"])
        let rows = try ArchiveRoundTripTests.scanAll(archive, query)
        #expect(rows.map { String(decoding: $0.document, as: UTF8.self) } == [Self.drifted[1]])
    }

    @Test func theLayoutsSayHowEachValueWasWritten() {
        let record = { (line: String) -> Record in
            guard case .object(let o) = try! JSONParser.parseDocument(Array(line.utf8)) else { fatalError() }
            return Record(object: o, time: Timestamp(ticks: 0), category: "SMSOperational")
        }
        let first = RecordShredder.shred(record(Self.drifted[0])).layout.tokens
        #expect(first.contains(.quotedInteger(Self.column("durationMs"), key: "durationMs")))
        #expect(first.contains(.numberText(Self.column("level"), key: "level")))
        #expect(first.contains(.quotedInteger(Self.column("resultSignature"), key: "resultSignature")))
        let second = RecordShredder.shred(record(Self.drifted[1])).layout.tokens
        #expect(second.contains(.escapedObjectStart(key: "properties")))
        #expect(!second.contains(.objectStart(key: "properties")))
        #expect(RecordLayout(tokens: first).minimumVersion == 3)
        let plain = RecordShredder.shred(record(storageLine())).layout
        #expect(plain.minimumVersion == 2)
    }

    @Test func versionThreeTokensRoundTripAndAreRefusedInVersionTwo() throws {
        let layout = RecordLayout(tokens: [
            .quotedInteger(Self.column("durationMs"), key: "DurationMs"),
            .numberText(Self.column("level"), key: "Level"),
            .time(key: "TimeGenerated", format: TimeFormat(fractionDigits: 3, separator: 0x20, zone: 0, offsetMinutes: 0, us: [.twelveHour])),
            .escapedObjectStart(key: "properties"), .column(Self.column("PhoneNumber"), key: "PhoneNumber"), .objectEnd,
        ])
        let bytes = layout.encoded()
        let columns = FieldSchema.columns.count
        #expect(try RecordLayout.decode(bytes, columnCount: columns, version: 3, context: "t") == layout)
        #expect(throws: FormatError.self) { try RecordLayout.decode(bytes, columnCount: columns, version: 2, context: "t") }
        // A quoted-integer token may not name a string column.
        let wrong = RecordLayout(tokens: [.quotedInteger(Self.column("PhoneNumber"), key: "PhoneNumber")]).encoded()
        #expect(throws: FormatError.self) { try RecordLayout.decode(wrong, columnCount: columns, version: 3, context: "t") }
    }

    @Test func segmentsWithoutDriftStayVersionTwo() throws {
        let folder = TemporaryFolder()
        let plain = try ArchiveReader(path: try Self.archive([storageLine()], in: folder))
        #expect(try plain.segment(0).version == 2)
        let other = TemporaryFolder()
        let drifted = try ArchiveReader(path: try Self.archive(Self.drifted, in: other))
        #expect(try drifted.segment(0).version == 3)
    }
}
