import SMSRecords

/// How `stats` writes its rows.
enum StatsFormat: String, CaseIterable {
    case table
    case csv
    case jsonl
    case html
}

/// The text of a group's key value, as every format shows it (nil: the records have none).
func keyText(_ value: KeyValue, of key: GroupKey) -> String? {
    switch value {
    case .missing: return nil
    case .text(let s): return s
    case .integer(let v): return String(v)
    case .time(let ticks):
        let iso = Timestamp(ticks: ticks).iso8601
        switch key {
        case .day: return String(iso.prefix(10))                 // 2026-10-01
        case .hour: return String(iso.prefix(13)) + ":00Z"       // 2026-10-01T13:00Z
        case .column: return iso
        }
    }
}

/// Writes `stats` rows as an aligned table, CSV (RFC 4180, a header row) or JSON Lines.
struct StatsPrinter {
    let keys: [GroupKey]
    let metrics: [StatsMetric]

    var header: [String] { keys.map(\.name) + metrics.map(\.rawValue) }

    func text(_ rows: [StatsRow], format: StatsFormat) -> String {
        switch format {
        case .table: return table(rows)
        case .csv: return csv(rows)
        case .jsonl, .html: return jsonl(rows)
        }
    }

    /// Key columns left-aligned, metrics right-aligned; "-" for no value.
    func table(_ rows: [StatsRow]) -> String {
        let cells = [header] + rows.map { row in
            zip(keys, row.keys).map { RecordPrinter.tableCell(keyText($1, of: $0) ?? "-") }
                + row.values.map { $0.map(String.init) ?? "-" }
        }
        var widths = Array(repeating: 0, count: header.count)
        for line in cells { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], TerminalWidth.of(cell)) } }
        var out = ""
        for line in cells {
            let padded = line.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - TerminalWidth.of(cell))
                return i < keys.count ? cell + pad : pad + cell
            }
            out += padded.joined(separator: "  ").trimmingSpaces + "\n"
        }
        return out
    }

    /// A header row, then one row per group; lines end in CR LF, as `scan --format csv` writes them.
    func csv(_ rows: [StatsRow]) -> String {
        var out = header.map(RecordPrinter.csvQuoted).joined(separator: ",") + "\r\n"
        for row in rows {
            let cells = zip(keys, row.keys).map { RecordPrinter.csvQuoted(keyText($1, of: $0) ?? "") }
                + row.values.map { $0.map(String.init) ?? "" }
            out += cells.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// One object per group: its keys (strings, integers as numbers, null when none), then its metrics.
    func jsonl(_ rows: [StatsRow]) -> String {
        var out: [UInt8] = []
        for row in rows {
            out.append(UInt8(ascii: "{"))
            for (i, name) in header.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(name, to: &out)
                out.append(UInt8(ascii: ":"))
                if i < keys.count {
                    switch row.keys[i] {
                    case .integer(let v): out.append(contentsOf: String(v).utf8)
                    case let value:
                        if let text = keyText(value, of: keys[i]) { JSONWriter.writeString(text, to: &out) } else { out.append(contentsOf: "null".utf8) }
                    }
                } else {
                    out.append(contentsOf: (row.values[i - keys.count].map(String.init) ?? "null").utf8)
                }
            }
            out.append(contentsOf: "}\n".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
