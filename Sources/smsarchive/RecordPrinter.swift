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
                if let column = field.column, FieldSchema.columns[column].type == .integer, let v = batch.integer(column, row: row) {
                    line.append(contentsOf: String(v).utf8)
                } else if let text = field.text(batch, row: row) {
                    JSONWriter.writeString(text, to: &line)
                } else {
                    line.append(contentsOf: "null".utf8)
                }
            }
            line.append(UInt8(ascii: "}"))
        case (.csv, let fields):
            let fields = fields ?? []
            if !headerDone {
                headerDone = true
                out.write(fields.map { csvQuoted($0.name) }.joined(separator: ","))
                out.write([0x0D, 0x0A])
            }
            out.write(fields.map { csvQuoted($0.text(batch, row: row) ?? "") }.joined(separator: ","))
            out.write([0x0D, 0x0A])
            return
        case (.table, let fields):
            pending.append((fields ?? []).map { $0.text(batch, row: row) ?? "" })
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

    private func csvQuoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for c in self { if c == target { result += replacement } else { result.append(c) } }
        return result
    }
}
