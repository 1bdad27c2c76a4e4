import Foundation
import Testing

/// `--format table`: fits the terminal (cells cut with an ellipsis), measures width in terminal
/// cells (CJK and emoji take two), and escapes control characters alike in every cell.
@Suite struct TableFormatTests {
    static let lines = [
        #"{"time":"2026-10-01T00:00:01Z","category":"SMSOperational","operationName":"SMSMessagesSent","resultType":"Succeeded","properties":{"PhoneNumber":"+18334256463","Country":"US","MessageId":"你好世界你好世界你好世界-0123456789abcdef-0123456789abcdef"}}"#,
        #"{"time":"2026-10-01T00:00:02Z","category":"Usage","operationName":"a\tb\u0085c","resultDescription":"say \"hi\" \\ there","properties":{"PhoneNumber":"一二三","Country":"FR"}}"#,
    ]

    /// Terminal cells of the test's text: CJK ideographs take two, everything else here one.
    static func cells(_ s: Substring) -> Int { s.unicodeScalars.reduce(0) { $0 + ((0x4E00...0x9FFF).contains($1.value) ? 2 : 1) } }

    static func archive(_ folder: TemporaryFolder) throws -> String {
        let blob = folder.write("PT1H.json", Self.lines.joined(separator: "\n") + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", blob, "-o", archive, "-q"]).status == 0)
        return archive
    }

    @Test func aTableFitsTheTerminal() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        for width in [80, 60] {
            // script(1) gives the command a terminal (of no size: COLUMNS says it).
            let run = try runChild("/usr/bin/env", ["COLUMNS=\(width)", "/usr/bin/script", "-qec",
                                                    "'\(CommandLineTests.executable)' scan '\(archive)' --format table", "/dev/null"])
            #expect(run.status == 0)
            let rows = String(decoding: run.stdout, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.count == 3, "\(rows)")
            for row in rows { #expect(Self.cells(row[...]) <= width, "\(width): \(row)") }
            #expect(rows.contains { $0.contains("…") })
            // Columns line up in cells: Country (US, FR) starts at the same cell in both rows.
            let starts = rows.dropFirst().map { row -> Int? in
                guard let r = row.range(of: "  US  ") ?? row.range(of: "  FR  ") else { return nil }
                return Self.cells(row[..<r.lowerBound])
            }
            #expect(starts.count == 2 && starts[0] != nil && starts[0] == starts[1], "\(rows)")
        }
    }

    @Test func aPipedTableIsWholeAndCellsAreEscapedAlike() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let run = try CommandLineTests.run(["scan", archive, "--format", "table", "--fields", "PhoneNumber,operationName,resultDescription,MessageId"])
        let rows = String(decoding: run.stdout, as: UTF8.self).components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(rows.count == 3)
        #expect(!rows.contains { $0.contains("…") })
        #expect(rows[1].hasSuffix("你好世界你好世界你好世界-0123456789abcdef-0123456789abcdef"))
        // Control characters as escapes; the quotes and backslash of the other cell as they are.
        #expect(rows[2].contains(#"a\tb\u0085c"#) && rows[2].contains(#"say "hi" \ there"#), "\(rows[2])")
        // Aligned in cells: operationName begins at the same cell after 一二三 (6 cells) as after +18334256463.
        let first = Self.cells(rows[1][..<rows[1].range(of: "SMSMessagesSent")!.lowerBound])
        let second = Self.cells(rows[2][..<rows[2].range(of: #"a\tb"#)!.lowerBound])
        #expect(first == second, "\(rows)")
    }
}
