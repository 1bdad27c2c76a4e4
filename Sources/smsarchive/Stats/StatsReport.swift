/// `stats --format html`: one self-contained page (inline CSS and SVG, no script, nothing fetched)
/// with a chart and the table. One time key (day or hour), alone or with one other field, is drawn
/// as lines over time, one per value of the other field; anything else as bars per group.
struct StatsReport {
    let keys: [GroupKey]
    let metrics: [StatsMetric]
    /// In the order of the table (as sorted).
    let rows: [StatsRow]
    let title: String
    let subtitle: String
    /// The metric the chart draws: the first of --metrics, or the --sort metric.
    var chartMetric = 0
    /// Whether the records are the sends alone (--operation SMSMessagesSent).
    var sendsOnly = false

    init(keys: [GroupKey], metrics: [StatsMetric], rows: [StatsRow], title: String, subtitle: String, chartMetric: Int? = nil,
         sendsOnly: Bool = false) {
        self.sendsOnly = sendsOnly
        self.keys = keys
        self.metrics = metrics
        self.rows = rows
        self.title = title
        self.subtitle = subtitle
        self.chartMetric = chartMetric ?? 0
    }

    /// Readable on white, and told apart by most colour-blind readers (Tableau 10).
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    func html() -> String {
        let metric = metrics[chartMetric].rawValue
        let chart: String
        if rows.isEmpty {
            chart = #"<p class="empty">No record matches.</p>"#
        } else if let time = keys.firstIndex(where: \.isTime), keys.count <= 2 {
            chart = StatsLineChart(report: self, timeKey: time).svg()
        } else {
            chart = StatsBarChart(report: self).svg()
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <main>
        <h1>\(escape(title))</h1>
        <p class="sub">\(escape(subtitle)) · \(rows.count) group\(rows.count == 1 ? "" : "s") · chart: \(escape(metric))</p>
        \(totals())
        <figure>
        \(chart)
        </figure>
        \(table())
        <p class="foot">Made by smsarchive stats. Days and hours are UTC.</p>
        </main>
        </body>
        </html>

        """
    }

    static let style = """
    :root { color-scheme: light; }
    body { margin: 0; background: #f4f5f7; color: #1f2430; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1040px; margin: 24px auto; padding: 24px 32px; background: #fff; border-radius: 10px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
    h1 { font-size: 22px; margin: 0 0 4px; font-weight: 600; }
    .sub { margin: 0 0 16px; color: #5b6272; }
    figure { margin: 0 0 24px; }
    svg { display: block; width: 100%; height: auto; }
    svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; fill: #3b4252; }
    .axis { font-size: 12px; }
    .axis-title { font-size: 13px; font-weight: 600; }
    .grid { stroke: #e3e6eb; stroke-width: 1; }
    .value { font-size: 12px; fill: #3b4252; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { padding: 6px 10px; border-bottom: 1px solid #e8eaee; text-align: left; white-space: nowrap; }
    th { background: #f7f8fa; font-weight: 600; position: sticky; top: 0; }
    td.n, th.n { text-align: right; }
    tr:hover td { background: #f3f6fb; }
    .cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 0 0 20px; }
    .card { flex: 0 1 180px; padding: 10px 14px; border-radius: 8px; background: #f4f6fa; border-left: 4px solid #4e79a7; }
    .card .label { font-size: 12px; color: #5b6272; text-transform: uppercase; letter-spacing: .04em; }
    .card .figure { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .card .share { font-size: 12px; color: #5b6272; }
    .empty, .foot { color: #5b6272; }
    .foot { font-size: 12px; margin-top: 16px; }
    """

    /// The totals of the counting metrics over all groups, as large figures (a share of `records` beside
    /// failed and delivered); percentiles have no total.
    private func totals() -> String {
        var cards: [String] = []
        let records = metrics.firstIndex(of: .records).map { i in rows.reduce(0) { $0 + ($1.values[i] ?? 0) } }
        for (i, metric) in metrics.enumerated() where ![.durationP50, .durationP95].contains(metric) {
            let total = rows.reduce(0) { $0 + ($1.values[i] ?? 0) }
            var note = ""
            // Delivered is a share of sends: said only when the records are the sends.
            if metric == .failed || (metric == .delivered && sendsOnly), let records, records > 0 {
                let share = (Double(total) / Double(records) * 1000).rounded() / 10
                note = #"<span class="share">\#(share)% of \#(sendsOnly ? "sends" : "records")</span>"#
            }
            cards.append(#"<div class="card"><div class="label">\#(escape(metric.rawValue))</div><div class="figure">\#(grouped(total))</div>\#(note)</div>"#)
        }
        return cards.isEmpty ? "" : #"<div class="cards">\#(cards.joined())</div>"#
    }

    private func table() -> String {
        var out = "<table>\n<thead><tr>"
        for key in keys { out += "<th>\(escape(key.name))</th>" }
        for metric in metrics { out += #"<th class="n">\#(escape(metric.rawValue))</th>"# }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for (key, value) in zip(keys, row.keys) { out += "<td>\(escape(keyText(value, of: key) ?? "–"))</td>" }
            for value in row.values { out += #"<td class="n">\#(value.map(grouped) ?? "–")</td>"# }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>"
    }

    /// The label of a row's keys other than `except`, joined.
    func label(_ row: StatsRow, except: Int? = nil) -> String {
        let parts = zip(keys.indices, zip(keys, row.keys)).filter { $0.0 != except }.map { keyText($0.1.1, of: $0.1.0) ?? "(none)" }
        return parts.isEmpty ? "all" : parts.joined(separator: " · ")
    }
}

/// Text for HTML and SVG: &, <, > and quotes escaped.
func escape(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

/// 1234567 as "1,234,567".
func grouped(_ value: Int64) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (value < 0 ? "-" : "") + out
}

/// 1234567 as "1.2M": axis labels.
func compact(_ value: Double) -> String {
    let a = abs(value)
    func trim(_ x: Double) -> String {
        let s = x >= 100 || x == x.rounded() ? String(Int(x.rounded())) : String((x * 10).rounded() / 10)
        return s
    }
    if a >= 1e9 { return trim(value / 1e9) + "G" }
    if a >= 1e6 { return trim(value / 1e6) + "M" }
    if a >= 1e3 { return trim(value / 1e3) + "k" }
    return trim(value)
}

/// Axis ticks from 0 to at least `maximum`: about `count` steps of 1, 2 or 5 times a power of ten.
func niceTicks(_ maximum: Double, count: Int = 5) -> [Double] {
    guard maximum > 0 else { return [0, 1] }
    let raw = maximum / Double(count)
    var magnitude = 1.0
    while magnitude * 10 <= raw { magnitude *= 10 }
    while magnitude > raw { magnitude /= 10 }
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
    var ticks: [Double] = [0]
    while ticks.last! < maximum { ticks.append(ticks.last! + step) }
    return ticks
}
