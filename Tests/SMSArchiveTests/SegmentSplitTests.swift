import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

/// A day that does not fit in memory is cut where the hour being read begins:
/// the records of that hour move to the next segment exactly as they were added.
@Suite struct SegmentSplitTests {
    static func line(hour: Int, _ n: Int) -> String {
        let category = n % 2 == 0 ? "SMSOperational" : "Usage"
        return #"{"time":"2026-10-01T0\#(hour):0\#(n):00.5000000Z","category":"\#(category)","correlationId":"c\#(hour)-\#(n)","durationMs":\#(n == 3 ? 9_000_000_000 : n),"extra":[\#(n)],"properties":{"PhoneNumber":"+1555000\#(n)","MessageId":"m\#(hour)\#(n)"}}"#
    }

    static func shredded(_ text: String) -> ShreddedRecord {
        LineShredderTests.general(Array(text.utf8), path: BlobPath())!
    }

    /// Everything a block would be encoded from, in comparable form.
    static func contents(_ builder: SegmentBuilder) -> String {
        let block = builder.columns(of: builder.sortedOrder()[...])
        let strings = block.strings.keys.sorted().map { "\($0)=\(block.strings[$0]!)" }
        let integers = block.integers.keys.sorted().map { "\($0)=\(block.integers[$0]!)" }
        let layouts = block.layoutIDs.map { builder.layouts[Int($0)].encoded() }
        return "\(block.times) \(layouts) \(strings) \(integers) \(block.residuals)"
    }

    @Test func theLatestHourMovesToANewBuilderUnchanged() {
        let early = [Self.line(hour: 0, 1), Self.line(hour: 1, 2), Self.line(hour: 0, 3), Self.line(hour: 1, 4)]
        let late = [Self.line(hour: 2, 6), Self.line(hour: 2, 8)]
        let builder = SegmentBuilder()
        // Arrival order mixes the hours, as late rows do.
        for text in [early[0], early[1], late[0], early[2], late[1], early[3]] { builder.add(Self.shredded(text)) }

        let rest = builder.splitAtLatestHour()
        #expect(rest != nil)
        guard let rest else { return }
        #expect(builder.count == 4)
        #expect(rest.count == 2)
        #expect(builder.categories == ["SMSOperational", "Usage"])
        #expect(rest.categories == ["SMSOperational"])

        let keptDirectly = SegmentBuilder(), movedDirectly = SegmentBuilder()
        for text in early { keptDirectly.add(Self.shredded(text)) }
        for text in late { movedDirectly.add(Self.shredded(text)) }
        // Sorted by time, the kept rows are the early ones and the moved rows the late ones, value for value.
        #expect(Self.contents(builder) == Self.contents(keptDirectly))
        #expect(Self.contents(rest) == Self.contents(movedDirectly))
    }

    @Test func noSplitWhenTheLatestHourHoldsMostRecords() {
        let builder = SegmentBuilder()
        for text in [Self.line(hour: 0, 1), Self.line(hour: 1, 2), Self.line(hour: 1, 3)] { builder.add(Self.shredded(text)) }
        #expect(builder.splitAtLatestHour() == nil)
        #expect(builder.count == 3)
        #expect(SegmentBuilder().splitAtLatestHour() == nil)
    }
}
