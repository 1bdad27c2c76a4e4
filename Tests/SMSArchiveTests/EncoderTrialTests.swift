import Testing
@testable import SMSFormat
@testable import SMSRecords
@testable import SMSSupport

/// What the block encoder tries and how: one zstd context per block gives the frames
/// `Zstd.compress` gives, plain text is tried only where it can win, and the combined chunk's
/// tuples are counted exactly while its columns are chosen.
@Suite struct EncoderTrialTests {
    @Test func aKeptContextGivesTheSameFrames() throws {
        var random = SeededGenerator(seed: 21)
        let compressor = Zstd.Compressor()
        // Sizes up and down, so that the context and its output buffer are reused at other sizes.
        for size in [0, 1, 100_000, 10, 300_000, 5_000, 0, 70_000] {
            // Half repetitive text, half random bytes.
            let input = (0..<size).map { i in i % 2 == 0 ? UInt8(i / 2 % 7) : UInt8.random(in: 0...255, using: &random) }
            for level: Int32 in [1, 3, 9, 19] {
                let frame = compressor.compress(input, level: level)
                #expect(frame == Zstd.compress(input, level: level), "size \(size) level \(level)")
                #expect(compressor.compressedSize(input, level: level) == frame.count)
                #expect(try Zstd.decompress(frame, expectedSize: size, context: "test") == input)
            }
        }
    }

    @Test func plainTextIsTriedOnlyWhenHalfTheValuesAreDistinct() {
        // 4 values, 2 distinct: exactly half, plain is tried.
        let half = DistinctIDs<String>(["a", "b", "a", "b"])
        #expect(BlockEncoder.stringCandidates(half).map(\.0) == [.plainStrings, .dictionaryStrings])
        // 5 values, 2 distinct: fewer than half.
        let fewer = DistinctIDs<String>(["a", "b", "a", "b", "a"])
        #expect(BlockEncoder.stringCandidates(fewer).map(\.0) == [.dictionaryStrings])
        let one = DistinctIDs<String>(["only"])
        #expect(BlockEncoder.stringCandidates(one).map(\.0) == [.plainStrings, .dictionaryStrings])
    }

    @Test func tuplesAreCountedExactlyAndARefusedColumnChangesNothing() {
        var tuples = CombinedEncoding.TupleBuilder(rowCount: 6)
        #expect(tuples.count == 1)
        // Column A: values x y x y x y (ids 0 1 0 1 0 1), every row.
        let addedA = tuples.add(ids: [0, 1, 0, 1, 0, 1], rowIndex: [0, 1, 2, 3, 4, 5], limit: 3)
        #expect(addedA)
        #expect(tuples.tupleOfRow == [0, 1, 0, 1, 0, 1])
        // Column B: rows 0..5 have ids 0 0 1 1 2 2: pairs (0,0) (1,0) (0,1) (1,1) (0,2) (1,2), six tuples.
        let addedB = tuples.add(ids: [0, 0, 1, 1, 2, 2], rowIndex: [0, 1, 2, 3, 4, 5], limit: 3)
        #expect(!addedB)
        #expect(tuples.tupleOfRow == [0, 1, 0, 1, 0, 1])
        #expect(tuples.count == 2)
        // Column C only in rows 1 and 3 (the same value): tuples x, (y, c), x, (y, c), x, (y, none): three.
        let addedC = tuples.add(ids: [0, 0], rowIndex: [-1, 0, -1, 1, -1, -1], limit: 3)
        #expect(addedC)
        #expect(tuples.tupleOfRow == [0, 1, 0, 1, 0, 2])
        #expect(tuples.count == 3)
    }

    @Test func correlatedColumnsAreCombinedAndTheRestStaySeparate() throws {
        // 2000 rows; the result follows from the operation (3 combinations, so storing them together
        // costs the operation alone), and a duration of its own a row: operation and result (and the
        // constant category and resource ID) go in the combined chunk, the durations do not.
        let rows = 2000
        let operation = FieldSchema.column(named: "operationName")!, result = FieldSchema.column(named: "resultType")!
        let durationMs = FieldSchema.column(named: "durationMs")!
        let mask = [FieldSchema.category, FieldSchema.resourceId, operation, result, durationMs].reduce(UInt64(0)) { $0 | 1 << UInt64($1) }
        var random = SeededGenerator(seed: 3)
        let kinds = (0..<rows).map { _ in Int.random(in: 0..<3, using: &random) }
        let block = BlockColumns(
            times: (0..<rows).map { Int64($0) * 10_000 }, layoutIDs: [Int64](repeating: 0, count: rows),
            strings: [FieldSchema.category: [String](repeating: "SMSOperational", count: rows),
                      FieldSchema.resourceId: [String](repeating: "r", count: rows),
                      operation: kinds.map { ["Send", "Deliver", "Receive"][$0] },
                      result: kinds.map { ["Succeeded", "Failed", "Succeeded"][$0] }],
            integers: [durationMs: (0..<rows).map { _ in Int64.random(in: 0..<1_000_000, using: &random) }],
            layoutMasks: [mask])
        let encoded = BlockEncoder.encode(block, level: 9)
        let columns = encoded.pending.map(\.column)
        #expect(columns.contains(FieldSchema.combined))
        #expect(!columns.contains(operation) && !columns.contains(result))
        #expect(columns.contains(durationMs))
        let chunk = try #require(encoded.pending.first { $0.column == FieldSchema.combined })
        let raw = try Zstd.decompress(chunk.choice.compressed, expectedSize: chunk.choice.rawLength, context: "combined")
        let decoded = try CombinedEncoding.decode(raw, rowCount: rows, context: "combined")
        for (column, values) in decoded where column == operation || column == result {
            guard case .strings(let chunk) = values else { Issue.record("column \(column) not strings"); continue }
            let expected = column == operation ? block.strings[operation]! : block.strings[result]!
            #expect((0..<rows).map { chunk[$0] } == expected)
        }
    }
}
