import SMSRecords

/// Bars per group, largest first: the chart of `stats --format html` when no time key leads.
struct StatsBarChart {
    let report: StatsReport
    static let maxBars = 30

    func svg() -> String {
        let m = report.chartMetric
        let all = report.rows.sorted { ($0.values[m] ?? .min) > ($1.values[m] ?? .min) }
        let bars = Array(all.prefix(Self.maxBars))
        let labels = bars.map { report.label($0) }
        let width = 960.0, barHeight = 22.0, gap = 8.0, top = 34.0
        let labelWidth = min(260, max(60, Double(labels.map(\.count).max() ?? 4) * 7.4 + 16))
        let x0 = labelWidth, x1 = width - 80
        let height = top + Double(bars.count) * (barHeight + gap) + 34
        let ticks = niceTicks(Double(bars.compactMap { $0.values[m] }.max() ?? 0))
        let scale = (x1 - x0) / ticks.last!
        var out = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(escape(report.metrics[m].rawValue)) per group">"#
        out += "\n"
        for t in ticks {
            let x = x0 + t * scale
            out += #"<line class="grid" x1="\#(f(x))" y1="\#(f(top - 6))" x2="\#(f(x))" y2="\#(f(height - 28))"/>"#
            out += #"<text class="axis" x="\#(f(x))" y="\#(f(top - 12))" text-anchor="middle">\#(compact(t))</text>"# + "\n"
        }
        for (i, (row, label)) in zip(bars, labels).enumerated() {
            let y = top + Double(i) * (barHeight + gap)
            let value = row.values[m]
            let w = Double(value ?? 0) * scale
            out += #"<text class="axis" x="\#(f(x0 - 8))" y="\#(f(y + barHeight / 2 + 4))" text-anchor="end">\#(escape(clip(label, to: Int((labelWidth - 16) / 7.4))))</text>"#
            out += #"<rect x="\#(f(x0))" y="\#(f(y))" width="\#(f(max(w, value == nil ? 0 : 1)))" height="\#(f(barHeight))" rx="3" fill="\#(StatsReport.palette[0])"><title>\#(escape(label)): \#(value.map(grouped) ?? "no value")</title></rect>"#
            out += #"<text class="value" x="\#(f(x0 + w + 6))" y="\#(f(y + barHeight / 2 + 4))">\#(value.map(grouped) ?? "–")</text>"# + "\n"
        }
        var caption = report.metrics[m].rawValue + " per " + report.keys.map(\.name).joined(separator: " · ")
        if all.count > bars.count { caption += " (the \(bars.count) largest of \(all.count) groups; the table has them all)" }
        out += #"<text class="axis-title" x="\#(f(x0))" y="\#(f(height - 8))">\#(escape(caption))</text>"# + "\n"
        return out + "</svg>"
    }
}

/// Lines over time, one per value of the other key (the largest eight; the rest summed as "other"
/// for counts): the chart of `stats --format html` with `--by day` or `hour`.
struct StatsLineChart {
    let report: StatsReport
    let timeKey: Int
    static let maxLines = 8

    func svg() -> String {
        let m = report.chartMetric
        let metric = report.metrics[m]
        let additive = ![.durationP50, .durationP95].contains(metric)
        let other = report.keys.indices.first { $0 != timeKey }
        // The times, in order, and each series' value per time.
        var times: [Int64] = []
        var seriesValues: [String: [Int64: Int64]] = [:]
        var totals: [String: Int64] = [:]
        for row in report.rows {
            guard case .time(let t) = row.keys[timeKey] else { continue }
            times.append(t)
            let name = other.map { keyText(row.keys[$0], of: report.keys[$0]) ?? "(none)" } ?? metric.rawValue
            if let v = row.values[m] {
                seriesValues[name, default: [:]][t] = v
                totals[name, default: 0] += v
            }
        }
        times = Array(Set(times)).sorted()
        var names = totals.keys.sorted { totals[$0]! != totals[$1]! ? totals[$0]! > totals[$1]! : $0 < $1 }
        var hidden = 0
        if names.count > Self.maxLines {
            let rest = names[(Self.maxLines - (additive ? 1 : 0))...]
            hidden = rest.count
            if additive {
                var sum: [Int64: Int64] = [:]
                for name in rest { for (t, v) in seriesValues[name]! { sum[t, default: 0] += v } }
                seriesValues["other"] = sum
                names = Array(names.prefix(Self.maxLines - 1)) + ["other"]
            } else {
                names = Array(names.prefix(Self.maxLines))
            }
        }
        let width = 960.0, height = 440.0
        let left = 64.0, right = 210.0, top = 20.0, bottom = 64.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = names.flatMap { seriesValues[$0]!.values }.max() ?? 0
        let ticks = niceTicks(Double(maximum))
        func x(_ i: Int) -> Double { times.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(i) / Double(times.count - 1) }
        func y(_ v: Int64) -> Double { top + plotHeight * (1 - Double(v) / ticks.last!) }

        var out = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(escape(metric.rawValue)) over time">"#
        out += "\n"
        for t in ticks {
            let yy = top + plotHeight * (1 - t / ticks.last!)
            out += #"<line class="grid" x1="\#(f(left))" y1="\#(f(yy))" x2="\#(f(left + plotWidth))" y2="\#(f(yy))"/>"#
            out += #"<text class="axis" x="\#(f(left - 8))" y="\#(f(yy + 4))" text-anchor="end">\#(compact(t))</text>"# + "\n"
        }
        // At most seven time labels (each about 80 pixels wide), on round hours or days: a step of
        // 1, 2, 3, 6 or 12 hours or 1, 2, 7, 14... days, and labels where the time is a multiple of it.
        let key = report.keys[timeKey]
        let hourTicks = 3600 * Timestamp.ticksPerSecond
        let unit: Int64 = key == .day ? Timestamp.ticksPerDay : key == .hour ? hourTicks : 1
        let span = (times.last ?? 0) - (times.first ?? 0)
        var steps: [Int64] = key == .hour ? [hourTicks, 2 * hourTicks, 3 * hourTicks, 6 * hourTicks, 12 * hourTicks] : []
        steps += (0..<18).map { Timestamp.ticksPerDay * [1, 2, 7, 14][min($0, 3)] * ($0 < 4 ? 1 : Int64(1) << ($0 - 3)) }
        let step = unit == 1 ? 1 : steps.first { span / $0 < 7 } ?? span
        let every = unit == 1 ? max(1, Int((Double(times.count) / 7).rounded(.up))) : 1
        for (i, t) in times.enumerated() where unit == 1 ? i % every == 0 : t % step == 0 {
            out += #"<line class="grid" x1="\#(f(x(i)))" y1="\#(f(top + plotHeight))" x2="\#(f(x(i)))" y2="\#(f(top + plotHeight + 5))"/>"#
            out += #"<text class="axis" x="\#(f(x(i)))" y="\#(f(top + plotHeight + 20))" text-anchor="middle">\#(escape(timeLabel(t, key)))</text>"# + "\n"
        }
        out += #"<text class="axis-title" x="\#(f(left + plotWidth / 2))" y="\#(f(height - 14))" text-anchor="middle">\#(key.name) (UTC)</text>"#
        out += #"<text class="axis-title" transform="translate(16 \#(f(top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\#(escape(metric.rawValue))</text>"# + "\n"
        for (s, name) in names.enumerated() {
            let colour = StatsReport.palette[s % StatsReport.palette.count]
            let values = seriesValues[name]!
            // Counts are 0 where a series has no group; a percentile of nothing is a gap.
            var path = "", pen = false
            for (i, t) in times.enumerated() {
                guard let v = values[t] ?? (additive ? 0 : nil) else { pen = false; continue }
                path += (pen ? " L" : " M") + "\(f(x(i))) \(f(y(v)))"
                pen = true
            }
            out += #"<path d="\#(path)" fill="none" stroke="\#(colour)" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"><title>\#(escape(name))</title></path>"# + "\n"
            if times.count <= 40 {
                for (i, t) in times.enumerated() {
                    guard let v = values[t] ?? (additive ? 0 : nil) else { continue }
                    out += #"<circle cx="\#(f(x(i)))" cy="\#(f(y(v)))" r="3.5" fill="\#(colour)"><title>\#(escape(name)) \#(escape(timeLabel(t, key))): \#(grouped(v))</title></circle>"#
                }
                out += "\n"
            }
            let ly = top + 8 + Double(s) * 24
            out += #"<rect x="\#(f(left + plotWidth + 24))" y="\#(f(ly - 9))" width="14" height="14" rx="3" fill="\#(colour)"/>"#
            out += #"<text class="axis" x="\#(f(left + plotWidth + 44))" y="\#(f(ly + 3))">\#(escape(clip(name, to: 24)))</text>"# + "\n"
        }
        if hidden > 0 {
            let ly = top + 8 + Double(names.count) * 24
            let note = additive ? "other: \(hidden) more" : "\(hidden) more not drawn"
            out += #"<text class="axis" x="\#(f(left + plotWidth + 24))" y="\#(f(ly + 3))">\#(note)</text>"# + "\n"
        }
        if let other {
            let ly = top + 8 + Double(names.count + (hidden > 0 ? 1 : 0)) * 24 + 6
            out += #"<text class="axis" x="\#(f(left + plotWidth + 24))" y="\#(f(ly + 3))" font-style="italic">by \#(escape(report.keys[other].name))</text>"# + "\n"
        }
        return out + "</svg>"
    }

    private func timeLabel(_ ticks: Int64, _ key: GroupKey) -> String {
        let text = keyText(.time(ticks), of: key) ?? ""
        switch key {
        case .day: return String(text.dropFirst(5))                       // 10-01
        case .hour: return String(text.dropFirst(5).prefix(11).map { $0 == "T" ? " " : $0 })   // 10-01 13:00
        case .column: return String(text.prefix(19))
        }
    }
}

/// A coordinate with one decimal.
private func f(_ value: Double) -> String {
    let r = (value * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(r)
}

/// `text` cut to `count` characters, with an ellipsis when cut.
private func clip(_ text: String, to count: Int) -> String {
    text.count <= count ? text : String(text.prefix(max(1, count - 1))) + "…"
}
