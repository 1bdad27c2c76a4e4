import Testing
@testable import SMSFormat
@testable import SMSRecords
@testable import SMSSupport

/// `IdentifierKey`s, the join keys of `stats`: equal exactly when the texts are equal, whichever
/// chunk (own token list, value order, repeats) or plain text a value comes from.
@Suite struct IdentifierKeyTests {
    static let guid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    static let values = [
        "Outgoing_20261001000005\(guid)_noam",
        "Outgoing_20261001000005\(guid)_emea",          // another suffix token
        "Outgoing_20261001000006\(guid)_noam",          // another stamp
        "Incoming_20261001000005\(guid)_noam",          // another prefix token
        "Outgoing_20261001000005\(guid.replacingOccurrences(of: "e", with: "d"))_noam",
        guid,
        guid.uppercased(),                                // same bytes, uppercase: another text
        "pzIGnbHW9I9BEewDaAIjEC.0",
        "pzIGnbHW9I9BEewDaAIjEC.1",
        "pzIGnbHW9I9BEewDaAIjED.0",                       // differs in the last character (the 4-bit tail)
        "qzIGnbHW9I9BEewDaAIjEC.0",
        "",
        "not an identifier",
        "Outgoing_2026100100000",                         // a MessageId's start only: a literal
    ]

    static func chunk(_ values: [String]) throws -> StringChunk {
        let bytes = IdentifierEncoding.encodeForms(values, repeats: IdentifierEncoding.repeatSources(values), rows: nil).identifiers
        return try IdentifierEncoding.decode(bytes, count: values.count, context: "test")
    }

    @Test func keysAreEqualExactlyWhenTextsAreEqualAcrossChunks() throws {
        let first = Self.values
        // Another order (so other token numbers), with repeats.
        let second = Self.values.reversed() + [Self.values[0], Self.values[7], Self.values[11]]
        var table = IdentifierKeyTable()
        let a = table.keys(try Self.chunk(first))
        let b = table.keys(try Self.chunk(second))
        let plain = table.keys(StringChunk(each: second))
        #expect(try Self.chunk(first).identifierParts != nil, "identifier chunks give their parts")
        #expect(a.count == first.count && b.count == second.count && plain.count == second.count)
        for (i, x) in first.enumerated() {
            for (j, y) in second.enumerated() {
                #expect((a[i] == b[j]) == (x == y), "\(x) / \(y)")
                #expect((a[i] == plain[j]) == (x == y), "\(x) / \(y) as plain text")
            }
            #expect(a[i] == table.key(x))
            #expect(a[i].isEmpty == x.isEmpty)
        }
        #expect(Set(a).count == first.count, "distinct texts, distinct keys")
    }

    @Test func rowIdentifierChunksGiveTheSameKeys() throws {
        let values = Array(Self.values.prefix(5))
        let rows = IdentifierEncoding.Rows(times: values.map { _ in Timestamp(iso8601: "2026-10-01T00:00:05Z")!.ticks },
                                           groups: [0, 1, 0, 1, 0])
        let bytes = try #require(IdentifierEncoding.encodeForms(values, repeats: IdentifierEncoding.repeatSources(values), rows: rows).rowIdentifiers)
        let chunk = try IdentifierEncoding.decode(bytes, count: values.count, rows: rows, context: "test")
        var table = IdentifierKeyTable()
        let keys = table.keys(chunk)
        #expect(keys == values.map { table.key($0) })
    }
}

/// `CombinedEncoding.decodeTuples`: the tuple ids `decodeWithTuples` gives, each tuple's parts
/// giving the rows' values, and damage reported as `decode` reports it.
@Suite struct CombinedTuplesTests {
    let operation = FieldSchema.column(named: "operationName")!
    let signature = FieldSchema.column(named: "resultSignature")!
    let operations = ["SMSMessagesSent", "SMSDeliveryReportsReceived"]
    let signatures: [Int64] = [202, 200]
    /// Per row: operation index, signature index or nil (no value).
    let rows: [(Int, Int?)] = [(0, 0), (1, 1), (1, nil), (0, 0), (1, 1), (0, nil), (1, nil)]

    func encoded() -> [UInt8] {
        CombinedEncoding.encode(columns: [(operation, .strings(operations)), (signature, .integers(signatures))], rowCount: rows.count) { column, row in
            column == operation ? rows[row].0 : rows[row].1
        }
    }

    @Test func tuplesGiveEachRowsValues() throws {
        let bytes = encoded()
        let tuples = try CombinedEncoding.decodeTuples(bytes, rowCount: rows.count, context: "test")
        #expect(tuples.tupleIDs == (try CombinedEncoding.decodeWithTuples(bytes, rowCount: rows.count, context: "test")).tupleIDs)
        #expect(tuples.tupleCount == 4, "(sent, 202), (report, 200), (report, none), (sent, none)")
        let o = try #require(tuples.index(of: operation)), s = try #require(tuples.index(of: signature))
        for (row, (op, sig)) in rows.enumerated() {
            let t = Int(tuples.tupleIDs[row])
            guard case .strings(let names) = tuples.dictionaries[o], case .integers(let numbers) = tuples.dictionaries[s] else {
                Issue.record("dictionary types")
                return
            }
            #expect(names[tuples.part(t, o) - 1] == operations[op])
            #expect(tuples.part(t, s) == 0 ? sig == nil : numbers[tuples.part(t, s) - 1] == signatures[sig!])
        }
        #expect(tuples.index(of: FieldSchema.column(named: "Country")!) == nil)
    }

    @Test func damageIsReported() throws {
        let bytes = encoded()
        #expect(throws: FormatError.self) { try CombinedEncoding.decodeTuples(Array(bytes.dropLast()), rowCount: rows.count, context: "test") }
        #expect(throws: FormatError.self) { try CombinedEncoding.decodeTuples(bytes + [0], rowCount: rows.count, context: "test") }
        var beyond = bytes
        beyond[beyond.count - 1] = 4   // the last row's tuple id: one past the 4 tuples
        #expect(throws: FormatError.self) { try CombinedEncoding.decodeTuples(beyond, rowCount: rows.count, context: "test") }
        do {
            _ = try CombinedEncoding.decodeTuples(beyond, rowCount: rows.count, context: "blk 3")
        } catch {
            #expect("\(error)".contains("blk 3") && "\(error)".contains("row 6"), "\(error)")
        }
        #expect(throws: FormatError.self) { try CombinedEncoding.decodeTuples([], rowCount: 1, context: "test") }
    }
}
