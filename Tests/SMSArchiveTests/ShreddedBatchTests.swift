import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

/// Records reach a segment in batches from the reading threads (`ShreddedBatch`), their repeated
/// values translated to the segment's ids once per batch: the segment must hold exactly what adding
/// the same records one by one gives, ids included, whatever the batches and however rows of
/// several days interleave in them.
@Suite struct ShreddedBatchTests {
    /// Lines of two days, with values that repeat within a batch and across batches, a layout first
    /// met in a later batch, an integer too wide for a slot, and a residual too long to be held in
    /// the batch's table.
    static func lines() -> [String] {
        var lines: [String] = []
        for n in 0..<40 {
            let day = n % 3 == 0 ? "02" : "01"
            let country = ["US", "GB", "US", "FR"][n % 4]
            let extra = n == 25 ? #","notes":"\#(String(repeating: "x", count: 70_000))""# : n >= 30 ? #","late":\#(n)"# : ""
            lines.append(#"{"time":"2026-10-\#(day)T0\#(n % 10):00:0\#(n % 10).5000000Z","category":"\#(n % 2 == 0 ? "SMSOperational" : "Usage")","correlationId":"c-\#(n)","durationMs":\#(n == 7 ? 9_000_000_000 : n),"properties":{"PhoneNumber":"+1555000\#(n % 5)","Country":"\#(country)","MessageId":"m-\#(n / 2)"}\#(extra)}"#)
        }
        return lines
    }

    static func shredded(_ text: String) -> ShreddedRecord { SegmentSplitTests.shredded(text) }

    /// What the encoder gets from a builder, with string ids, as comparable text.
    static func contents(_ builder: SegmentBuilder) -> String {
        let block = builder.columns(of: builder.sortedOrder()[...], stringsAsIDs: true)
        let ids = block.stringIDs.keys.sorted().map { "\($0)=\(block.stringIDs[$0]!)" }
        return SegmentSplitTests.contents(builder) + " \(ids) \(block.segmentStrings)"
    }

    @Test(arguments: [1, 3, 7, 40])
    func batchesGiveTheSegmentsThatRecordsOneByOneGive(batchSize: Int) {
        let records = Self.lines().map(Self.shredded)
        let day = { (record: ShreddedRecord) in record.time.ticks / Timestamp.ticksPerDay }
        var oneByOne: [Int64: SegmentBuilder] = [:]
        for record in records {
            let builder = oneByOne[day(record)] ?? SegmentBuilder()
            oneByOne[day(record)] = builder
            builder.add(record)
        }
        var batched: [Int64: SegmentBuilder] = [:]
        var number = 0
        for start in stride(from: 0, to: records.count, by: batchSize) {
            var batch = ShreddedBatch()
            for record in records[start..<min(start + batchSize, records.count)] { _ = batch.append(record) }
            number += 1
            for row in 0..<batch.count {
                let builder = batched[batch.ticks[row] / Timestamp.ticksPerDay] ?? SegmentBuilder()
                batched[batch.ticks[row] / Timestamp.ticksPerDay] = builder
                builder.add(batch, row: row, batchNumber: number)
            }
        }
        #expect(batched.keys.sorted() == oneByOne.keys.sorted())
        #expect(oneByOne.count == 2)
        for (day, builder) in oneByOne {
            #expect(Self.contents(batched[day]!) == Self.contents(builder))
            #expect(batched[day]!.estimatedBytes == builder.estimatedBytes)
        }
    }

    @Test func theLongResidualIsKeptWhole() {
        let records = Self.lines().map(Self.shredded)
        var batch = ShreddedBatch()
        for record in records { _ = batch.append(record) }
        let builder = SegmentBuilder()
        for row in 0..<batch.count { builder.add(batch, row: row, batchNumber: 1) }
        let residuals = builder.columns(of: Array(0..<builder.count)[...]).residuals
        #expect(residuals.contains(#"[["notes","\#(String(repeating: "x", count: 70_000))"]]"#))
        #expect(residuals.filter { $0.contains("late") }.count == 10)
    }

    @Test func aBatchIsFullAtAThousandRecordsOrFourMegabytes() {
        let record = Self.shredded(Self.lines()[0])
        var batch = ShreddedBatch()
        var full = false
        for _ in 0..<1023 { full = batch.append(record) }
        #expect(!full)
        full = batch.append(record)
        #expect(full)
        var long = ShreddedBatch()
        let line = #"{"time":"2026-10-01T00:00:00.5000000Z","properties":{"MessageId":"\#(String(repeating: "m", count: 3 << 20))"}}"#
        let first = long.append(Self.shredded(line)), second = long.append(Self.shredded(line))
        #expect(!first && second)
    }
}
