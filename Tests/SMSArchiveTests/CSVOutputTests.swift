import Foundation
import Testing

/// `--format csv`: a JSON null is an empty field, like a missing member; the string "null" stays.
@Suite struct CSVOutputTests {
    @Test func aJSONNullIsAnEmptyField() throws {
        let folder = TemporaryFolder()
        let lines = [
            storageLine(time: "2026-10-01T00:00:01Z", extra: #","resultDescription":null,"durationMs":null"#),
            storageLine(time: "2026-10-01T00:00:02Z", extra: #","resultDescription":"null","durationMs":78"#),
            storageLine(time: "2026-10-01T00:00:03Z"),
        ]
        let blob = folder.write("PT1H.json", lines.joined(separator: "\n") + "\n")
        let archive = folder.path + "/a.smsa"
        #expect(try CommandLineTests.run(["convert", blob, "-o", archive, "-q"]).status == 0)
        for command in [["scan", archive, "--format", "csv"], ["export", archive, "--format", "csv"]] {
            let run = try CommandLineTests.run(command + ["--fields", "time,resultDescription,durationMs"].filter { _ in command[0] == "scan" })
            #expect(run.status == 0, "\(run.stderr)")
            let rows = String(decoding: run.stdout, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            let header = rows[0].components(separatedBy: ",")
            let description = header.firstIndex(of: "resultDescription")!, duration = header.firstIndex(of: "durationMs")!
            let cells = rows.dropFirst().map { $0.components(separatedBy: ",") }
            #expect(cells.map { $0[description] } == ["", "null", ""], "\(command)")
            #expect(cells.map { $0[duration] } == ["", "78", ""], "\(command)")
        }
        // jsonl keeps the null as written.
        let json = try CommandLineTests.run(["scan", archive, "--limit", "1"])
        #expect(String(decoding: json.stdout, as: UTF8.self).contains(#""resultDescription":null"#))
    }
}
