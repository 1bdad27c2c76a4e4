import SMSRecords
import SMSArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes records as JSON Lines, CSV (RFC 4180) or an aligned table.
final class RecordPrinter {
    let format: OutputFormat
    let fields: [OutputField]?
    let out: StandardOutput
    private var line: [UInt8] = []
    private var headerDone = false
    /// Table rows waiting for their column widths, printed a page at a time.
    private var pending: [[String]] = []
    static let tablePage = 1000

    /// The table's width limit in terminal cells, nil for none: wider cells are cut with an ellipsis.
    let tableWidth: Int?

    init(format: OutputFormat, fields: [OutputField]?, out: StandardOutput, tableWidth: Int? = nil) {
        self.format = format
        self.fields = fields
        self.out = out
        self.tableWidth = tableWidth
    }

    /// The width of the terminal standard output is (its size, else $COLUMNS, else 80), nil when it is not a terminal.
    static func terminalWidth() -> Int? {
        guard isatty(1) != 0 else { return nil }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 0 { return columns }
        return 80
    }

    func print(_ batch: RecordBatch, row: Int) throws {
        line.removeAll(keepingCapacity: true)
        switch (format, fields) {
        case (.jsonl, nil):
            try batch.writeJSON(row: row, to: &line)
        case (.jsonl, let fields?):
            line.append(UInt8(ascii: "{"))
            for (i, field) in fields.enumerated() {
                if i > 0 { line.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(field.name, to: &line)
                line.append(UInt8(ascii: ":"))
                JSONWriter.write(try field.value(batch, row: row) ?? .null, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        case (.csv, let fields):
            let fields = fields ?? []
            if !headerDone {
                headerDone = true
                out.write(fields.map { Self.csvQuoted($0.name) }.joined(separator: ","))
                out.write([0x0D, 0x0A])
            }
            out.write(try fields.map { Self.csvQuoted(try $0.text(batch, row: row) ?? "") }.joined(separator: ","))
            out.write([0x0D, 0x0A])
            return
        case (.table, let fields):
            pending.append(try (fields ?? []).map { Self.tableCell(try $0.text(batch, row: row) ?? "") })
            if pending.count >= Self.tablePage { flushTable() }
            return
        }
        line.append(0x0A)
        out.write(line)
    }

    func finish() {
        if format == .table { flushTable() }
    }

    private func flushTable() {
        let names = (fields ?? []).map(\.name)
        guard !pending.isEmpty || !headerDone else { return }
        var widths = names.map(TerminalWidth.of)
        for row in pending {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TerminalWidth.of(cell)) }
        }
        if let tableWidth { widths = TerminalWidth.fit(widths, into: tableWidth, separator: 2) }
        func render(_ cells: [String]) {
            let padded = cells.enumerated().map { i, cell in
                let (text, width) = TerminalWidth.cut(cell, to: widths[i])
                return i == cells.count - 1 ? text : text + String(repeating: " ", count: widths[i] - width)
            }
            out.write(padded.joined(separator: "  "))
            out.write([0x0A])
        }
        if !headerDone {
            headerDone = true
            render(names)
        }
        pending.forEach(render)
        pending.removeAll()
    }

    /// RFC 4180 quoting, decided on bytes: Swift's Characters merge CR LF, or a quote and a combining mark.
    static func csvQuoted(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in s.utf8 {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// A table cell on one line: control characters (C0, DEL, C1) are shown as \n, \r, \t or \u00XX,
    /// whatever else the cell holds; nothing else is escaped.
    static func tableCell(_ s: String) -> String {
        func isControl(_ v: UInt32) -> Bool { v < 0x20 || (0x7F...0x9F).contains(v) }
        guard s.unicodeScalars.contains(where: { isControl($0.value) }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case let v where isControl(v):
                let hex = String(v, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Widths in terminal cells: a wide (East Asian) character or an emoji takes two, a combining mark none.
enum TerminalWidth {
    static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    /// A user-perceived character (a grapheme cluster, as a terminal draws it).
    static func of(_ c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.properties.isEmojiPresentation })
            || (first.properties.isEmoji && scalars.contains("\u{FE0F}")) { return 2 }
        if isWide(first.value) { return 2 }
        if scalars.allSatisfy({ [.nonspacingMark, .enclosingMark, .format].contains($0.properties.generalCategory) }) { return 0 }
        return 1
    }

    /// East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, in outline).
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Column widths no wider than needed that, with `separator` cells between columns, fit `total`:
    /// the widest columns give up cells first; none goes below 3 cells (an overlong table then stays wide).
    static func fit(_ widths: [Int], into total: Int, separator: Int) -> [Int] {
        let room = total - separator * max(0, widths.count - 1)
        guard widths.reduce(0, +) > room else { return widths }
        var cap = widths.max() ?? 0
        while cap > 3 && widths.reduce(0, { $0 + min($1, cap) }) > room { cap -= 1 }
        return widths.map { min($0, cap) }
    }

    /// `s` cut to at most `width` cells, ending in an ellipsis when cut; and its width.
    static func cut(_ s: String, to width: Int) -> (String, Int) {
        let full = of(s)
        guard full > width else { return (s, full) }
        var out = "", used = 0
        for c in s {
            let w = of(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return (out + "…", used + 1)
    }
}
