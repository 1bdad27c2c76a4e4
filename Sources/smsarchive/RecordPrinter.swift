import SMSRecords
import SMSArchive

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

    init(format: OutputFormat, fields: [OutputField]?, out: StandardOutput) {
        self.format = format
        self.fields = fields
        self.out = out
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
                out.write(fields.map { csvQuoted($0.name) }.joined(separator: ","))
                out.write([0x0D, 0x0A])
            }
            out.write(try fields.map { csvQuoted(try $0.text(batch, row: row) ?? "") }.joined(separator: ","))
            out.write([0x0D, 0x0A])
            return
        case (.table, let fields):
            pending.append(try (fields ?? []).map { tableCell(try $0.text(batch, row: row) ?? "") })
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
        var widths = names.map(\.count)
        for row in pending {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func render(_ cells: [String]) {
            let padded = cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
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
    private func csvQuoted(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in s.utf8 {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// A table cell on one line: control characters are shown as escapes.
    private func tableCell(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 < 0x20 }) else { return s }
        var out: [UInt8] = []
        JSONWriter.writeString(s, to: &out)
        return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
    }
}
