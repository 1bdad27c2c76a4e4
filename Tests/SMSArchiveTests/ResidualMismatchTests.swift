import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSRecords

/// A residual column that does not match its rows' layouts is damage for every reader alike:
/// `scan` (writeJSON), `record(row:)` and the Parquet export (residualMembers) all refuse it,
/// rather than dropping members or inventing an empty `extra`.
@Suite struct ResidualMismatchTests {
    static func batch(residual: String) throws -> RecordBatch {
        let time = "2026-10-01T00:00:00Z"
        let ticks = try #require(Timestamp(iso8601: time)).ticks
        let format = try #require(TimeFormat.exact(of: time, ticks: ticks))
        let layout = RecordLayout(tokens: [.time(key: "time", format: format), .residual, .residual])
        return RecordBatch(times: [ticks], layoutIDs: [0], layouts: [RenderedLayout(layout)], strings: [:], integers: [:],
                           residuals: StringChunk(each: [residual]))
    }

    @Test func aMatchingResidualReadsBack() throws {
        let batch = try Self.batch(residual: #"[["a",1],["b","x"]]"#)
        var text: [UInt8] = []
        try batch.writeJSON(row: 0, to: &text)
        #expect(String(decoding: text, as: UTF8.self) == #"{"time":"2026-10-01T00:00:00Z","a":1,"b":"x"}"#)
        #expect(try batch.residualMembers(row: 0).map(\.key) == ["a", "b"])
    }

    @Test(arguments: [#"[["a",1]]"#, #"[["a",1],["b",2],["c",3]]"#, "[]"])
    func aResidualOfAnotherLengthIsDamage(residual: String) throws {
        let batch = try Self.batch(residual: residual)
        var text: [UInt8] = []
        #expect(throws: FormatError.self) { try batch.writeJSON(row: 0, to: &text) }
        #expect(throws: FormatError.self) { try batch.residualMembers(row: 0) }
        #expect(throws: FormatError.self) { try batch.record(row: 0) }
    }
}
