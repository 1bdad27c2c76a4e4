import Testing
@testable import SMSArchive
@testable import SMSRecords

/// `Column`, the typed name of a field in the public API: names resolve ignoring case, a name no
/// column has throws instead of crashing, and a batch hands out exactly the values the records hold.
@Suite struct ColumnTests {
    @Test func namesResolveIgnoringLetterCase() throws {
        #expect(try Column(named: "country") == .country)
        #expect(try Column(named: "PHONENUMBER") == .phoneNumber)
        #expect(try Column(named: "MessageId").name == "MessageId")
        // Workspace exports call the resource `_ResourceId`.
        #expect(try Column(named: "_ResourceId") == .resourceId)
    }

    @Test func kindsFollowTheDocumentedTypes() throws {
        #expect(Column.time.kind == .time)
        #expect(Column.country.kind == .string)
        #expect(try Column(named: "DeliveryAttempts").kind == .integer)
        #expect(try Column(named: "Quantity").kind == .integer)
    }

    @Test func anUnknownNameThrowsAndListsTheColumns() {
        #expect(throws: UnknownColumnError(name: "Contry")) { try Column(named: "Contry") }
        let message = UnknownColumnError(name: "Contry").description
        #expect(message.contains("\"Contry\""))
        #expect(message.contains("Country"))
        #expect(message.contains("PhoneNumber"))
        // The format's internal columns are not columns a caller can name.
        for formatColumn in ["layout", "residual", "combined"] {
            #expect(throws: UnknownColumnError.self) { try Column(named: formatColumn) }
        }
        var query = ScanQuery()
        #expect(throws: UnknownColumnError.self) { try query.require("PhoneNumbr", anyOf: ["+1"]) }
        #expect(query.predicates.isEmpty)
    }

    @Test func everyColumnIsListedOnceAndNamesItself() throws {
        #expect(Set(Column.all).count == Column.all.count)
        #expect(Column.all.first == .time)
        for column in Column.all {
            #expect(try Column(named: column.name) == column)
            #expect(column.description == column.name)
        }
    }

    /// Typed reads agree with the records' own JSON, and a column the query did not ask for reads as absent.
    @Test func batchesHandOutTheRecordsValuesByColumn() throws {
        let folder = TemporaryFolder()
        let archive = try ScanQueryTests.makeArchive(folder)
        let reader = try ArchiveReader(path: archive)
        var rows = 0
        try reader.scan { batch, row in
            let record = try batch.record(row: row)
            let properties = record.object["properties"]?.objectValue
            #expect(batch.string(.country, row: row) == properties?["Country"]?.stringValue)
            #expect(batch.string(.phoneNumber, row: row) == properties?["PhoneNumber"]?.stringValue)
            #expect(batch.string(.operationName, row: row) == record.object["operationName"]?.stringValue)
            if case .number(let text) = properties?["DeliveryAttempts"] {
                #expect(batch.integer(try Column(named: "DeliveryAttempts"), row: row) == Int64(text))
            } else {
                Issue.record("record \(row) has no DeliveryAttempts")
            }
            rows += 1
            return true
        }
        #expect(rows == ScanQueryTests.recordCount)

        var atOneTime = ScanQuery()
        atOneTime.require(.time, anyOf: [ScanQueryTests.timeText(7)])
        var times: [Int64] = []
        try reader.scan(atOneTime) { batch, row in times.append(batch.times[row]); return true }
        #expect(times == [ScanQueryTests.time(7).ticks])

        var onlyCountry = ScanQuery()
        onlyCountry.columns = [.country]
        try reader.scanBatches(onlyCountry) { batch, rows in
            let (countries, ids) = batch.stringColumn(.country)
            #expect(Set(rows.compactMap { ids[$0] >= 0 ? countries[Int(ids[$0])] : nil }).isSubset(of: ["US", "CA", "GB", "FR"]))
            #expect(batch.stringColumn(.phoneNumber).ids.allSatisfy { $0 == -1 })
            #expect(batch.string(.phoneNumber, row: rows[0]) == nil)
            // A whole record needs every column: asking for one says so, not that the archive is damaged.
            #expect(throws: ArchiveError.columnsNotDecoded) { try batch.record(row: rows[0]) }
            var text: [UInt8] = []
            #expect(throws: ArchiveError.columnsNotDecoded) { try batch.writeJSON(row: rows[0], to: &text) }
            return true
        }
    }
}
