import Testing
@testable import SMSFormat

/// An identifier chunk tells which values equal given texts by comparing their parts, without
/// formatting them: it must say exactly what comparing the formatted texts says.
@Suite struct IdentifierMatchTests {
    static let values = [
        "Outgoing_20261001000005324c6b4d-a8bd-48b6-be4f-09cc4a36bfc1_noam",   // MessageId
        "Incoming_20261001000007aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee_euro",   // MessageId, other tokens
        "D2ckDR62yRftF6wcDSTH8b.0",                                          // base64 id
        "d2ckDR62yRftF6wcDSTH8b.0",                                          // the same but one letter's case
        "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",                              // lowercase GUID
        "1B9D6BCD-BBFD-4B2D-9B5D-AB8DFBBD4BED",                              // the same GUID in uppercase
        "not an id at all",                                                  // literal
        "D2ckDR62yRftF6wcDSTH8b.0",                                          // a repeat
        "",                                                                  // empty literal
    ]

    static func check(_ wanted: [String], rows: IdentifierEncoding.Rows? = nil) throws {
        let chunk = try IdentifierEncoding.decode(IdentifierEncoding.encode(values, rows: rows), count: values.count, rows: rows, context: "t")
        let matcher = try #require(chunk.exactMatches)
        #expect(matcher(wanted) == values.map { wanted.contains($0) }, "\(wanted)")
    }

    @Test func eachValueMatchesItselfAndNothingElse() throws {
        for value in Self.values { try Self.check([value]) }
    }

    @Test func nearMissesMatchNothing() throws {
        try Self.check([
            "Outgoing_20261001000006324c6b4d-a8bd-48b6-be4f-09cc4a36bfc1_noam",   // another stamp
            "Outgoing_20261001000005324c6b4d-a8bd-48b6-be4f-09cc4a36bfc2_noam",   // another GUID
            "Outgoing_20261001000005324c6b4d-a8bd-48b6-be4f-09cc4a36bfc1_euro",   // a suffix of another value
            "Outgoing_20261001000005324c6b4d-a8bd-48b6-be4f-09cc4a36bfc1_nowhere", // a suffix no value has
            "D2ckDR62yRftF6wcDSTH8b.1", "D2ckDR62yRftF6wcDSTH8c.0",
            "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bee", "Not an id at all", "not an id at all ",
        ])
    }

    @Test func severalWantedValuesAtOnce() throws {
        try Self.check([Self.values[0], Self.values[3], Self.values[5], Self.values[6], "absent"])
        try Self.check([])
    }

    @Test func theRowIdentifiersFormMatchesAlike() throws {
        // MessageId stamps relative to their rows' times (kind 6).
        let times = Self.values.indices.map { Int64($0) * 10_000_000 + 17_593_344_050_000_000 }
        let rows = IdentifierEncoding.Rows(times: times, groups: Self.values.indices.map { Int32($0 % 2) })
        for value in Self.values { try Self.check([value], rows: rows) }
    }
}
