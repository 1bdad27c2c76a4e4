import Foundation
import Testing

/// The man page and `--help` name the same options: each command's SYNOPSIS lists exactly
/// the long options its `--help` shows, and its section describes each of them.
@Suite struct ManPageTests {
    static let commands = ["convert", "scan", "stats", "trace", "export", "rejects", "info", "verify", "compact"]
    /// The predicates `export` takes from `scan` (its SYNOPSIS refers to them as "scan's").
    static let scanPredicates: Set<String> = ["--from", "--to", "--since", "--phone", "--country", "--operation", "--result", "--message-id", "--correlation-id", "--category"]

    static func longOptions(_ text: some StringProtocol) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"(?<![\w-])--[a-z][a-z-]*[a-z]"#)
        let string = String(text)
        return Set(pattern.matches(in: string, range: NSRange(string.startIndex..., in: string)).map {
            String(string[Range($0.range, in: string)!])
        })
    }

    /// The man page with roff's `\-` as `-`.
    static let manPage: String = {
        let text = (try? String(contentsOfFile: repositoryRoot + "/man/smsarchive.1", encoding: .utf8)) ?? ""
        return text.replacingOccurrences(of: #"\-"#, with: "-")
    }()

    /// The lines of the man page from the first line with `start` to the next line beginning with one of `ends`.
    static func block(from start: String, to ends: [String]) -> String {
        let lines = manPage.components(separatedBy: "\n")
        guard let first = lines.firstIndex(of: start) else { return "" }
        let rest = lines[(first + 1)...]
        let end = rest.firstIndex { line in ends.contains { line.hasPrefix($0) } } ?? lines.endIndex
        return lines[first..<end].joined(separator: "\n")
    }

    @Test(arguments: commands)
    func helpAndManPageNameTheSameOptions(command: String) throws {
        let help = try CommandLineTests.run([command, "--help"])
        #expect(help.status == 0)
        let text = String(decoding: help.stdout, as: UTF8.self)
        guard let options = text.range(of: "OPTIONS:") else { Issue.record("\(command) --help has no OPTIONS"); return }
        // Option lines begin with two spaces and a dash; descriptions mention other options, not counted here.
        let optionLines = text[options.upperBound...].components(separatedBy: "\n").filter { $0.hasPrefix("  -") }
        let inHelp = Self.longOptions(optionLines.map { $0.prefix(26) }.joined(separator: " ")).subtracting(["--help", "--version"])
        #expect(!inHelp.isEmpty)

        let synopsis = Self.block(from: ".B smsarchive \(command)", to: [".br", ".SH"])
        var inSynopsis = Self.longOptions(synopsis)
        if synopsis.contains("scan's") { inSynopsis.formUnion(Self.scanPredicates) }
        #expect(inSynopsis == inHelp, "\(command): only in --help: \(inHelp.subtracting(inSynopsis).sorted()); only in the man page: \(inSynopsis.subtracting(inHelp).sorted())")

        let section = Self.block(from: ".SS \(command)", to: [".SS", ".SH"])
        var described = Self.longOptions(section)
        if command == "export" || command == "stats" { described.formUnion(Self.scanPredicates) }   // "the predicates of scan, with the same meaning"
        #expect(inHelp.subtracting(described).isEmpty, "\(command): not described in the man page: \(inHelp.subtracting(described).sorted())")
    }

    /// A command added to the CLI is added here too, so that the checks above cover it.
    @Test func everyCommandIsChecked() throws {
        let help = String(decoding: try CommandLineTests.run(["--help"]).stdout, as: UTF8.self)
        let section = try #require(help.range(of: "SUBCOMMANDS:"))
        let listed = help[section.upperBound...].components(separatedBy: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0 != "help" && $0.first?.isLowercase == true }
        #expect(listed == Self.commands)
    }

    @Test func theCrontabExampleHasOneLinePerEntry() throws {
        let lines = Self.manPage.components(separatedBy: "\n")
        let intro = try #require(lines.firstIndex { $0.contains("crontab") })
        let start = try #require(lines[intro...].firstIndex(of: ".nf")), end = try #require(lines[start...].firstIndex(of: ".fi"))
        let entries = lines[(start + 1)..<end]
        #expect(entries.count == 2)
        // cron has no line continuation: every line is a whole entry (five time fields, then the command).
        for entry in entries {
            #expect(!entry.hasSuffix(#"\e"#) && !entry.hasSuffix("\\"), "\(entry)")
            #expect(entry.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).first == "smsarchive", "\(entry)")
        }
    }

    /// `--help` is laid out for 80 columns: an example command wider than that would be wrapped in the middle.
    @Test(arguments: [""] + commands)
    func helpExamplesAreNotWrapped(command: String) throws {
        let help = try CommandLineTests.run(command.isEmpty ? ["--help"] : [command, "--help"])
        let lines = String(decoding: help.stdout, as: UTF8.self).components(separatedBy: "\n")
        for (i, line) in lines.enumerated() where line.hasPrefix("  smsarchive ") {
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            #expect(line.count <= 80 && (next.isEmpty || next.hasPrefix("  ")), "\(command): '\(line)' is followed by '\(next)'")
        }
    }
}
