import BelayGrading
import Foundation

/// Draws a ``ReportFigure`` as inline SVG: no scripts, no external resources, fixed-precision coordinates (so equal
/// figures give equal bytes). Every text is escaped with ``HTMLReport/escape(_:)``.
enum SVGChart {
    static let width = 680.0
    static let left = 64.0, right = 24.0, top = 16.0
    /// Series colours (colour-blind safe: Okabe–Ito).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]

    /// The SVG element for `figure`, or a short note when it has nothing to draw.
    static func render(_ figure: ReportFigure) -> String {
        guard figure.hasData else { return "<p class=\"muted\">(no data to draw)</p>" }
        switch figure.kind {
        case .histogram: return histogram(figure)
        case .bars: return bars(figure)
        case .intervals: return intervals(figure)
        }
    }

    // MARK: Numbers

    /// A coordinate with one decimal, POSIX digits.
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int64((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// A value for a tick or a label: up to three significant decimals, no trailing zeros.
    static func label(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if abs(x) >= 1000 || x == x.rounded() { return String(Int64(x.rounded())) }
        let thousandths = Int64((x * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let a = abs(thousandths)
        var fraction = String(a % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(sign)\(a / 1000)" : "\(sign)\(a / 1000).\(fraction)"
    }

    /// About `count` round tick values covering `range`.
    static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(max(count, 1))
        let magnitude = pow10(Int(Foundation.log10(raw).rounded(.down)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var k = (range.lowerBound / step).rounded(.up)
        while k * step <= range.upperBound + step * 1e-9, out.count < 50 {
            out.append(abs(k * step) < step * 1e-9 ? 0 : k * step)
            k += 1
        }
        return out
    }

    static func pow10(_ e: Int) -> Double {
        var v = 1.0
        if e >= 0 { for _ in 0..<e { v *= 10 } } else { for _ in 0..<(-e) { v /= 10 } }
        return v
    }

    static func scaled(_ v: Double, _ scale: ReportFigure.Scale) -> Double {
        scale == .log ? Foundation.log10(1 + max(v, 0)) : v
    }

    static func open(_ figure: ReportFigure, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "width=\"\(n(width))\" height=\"\(n(height))\" aria-labelledby=\"title-\(HTMLReport.pathSegment(figure.id))\">"
            + "<title id=\"title-\(HTMLReport.pathSegment(figure.id))\">\(HTMLReport.escape(figure.title))</title>"
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "middle", extra: String = "") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(extra)>\(HTMLReport.escape(content))</text>"
    }

    // MARK: Histogram

    static func histogram(_ figure: ReportFigure) -> String {
        let height = 300.0, bottom = 48.0
        let plotW = width - left - right, plotH = height - top - bottom
        let edges = figure.edges
        let bins = edges.count - 1
        let series = figure.series.filter { $0.counts.count == bins }
        let x0 = edges[0], x1 = edges[bins] > edges[0] ? edges[bins] : edges[0] + 1
        let maxCount = series.flatMap(\.counts).max() ?? 0
        let yMax = max(scaled(maxCount, figure.scale), 1)
        func x(_ v: Double) -> Double { left + (min(max(v, x0), x1) - x0) / (x1 - x0) * plotW }
        func y(_ c: Double) -> Double { top + plotH - scaled(c, figure.scale) / yMax * plotH }

        var out = open(figure, height: height)
        out += "<g class=\"axes\">"
        // y ticks
        let yTicks: [Double]
        if figure.scale == .log {
            yTicks = (0...max(0, Int(yMax.rounded(.down)))).map { pow10($0) }.filter { $0 <= maxCount || $0 == 1 }
        } else {
            yTicks = ticks(0...max(maxCount, 1), count: 4).filter { $0 == $0.rounded() }
        }
        for t in yTicks {
            out += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(y(t)))\" y2=\"\(n(y(t)))\"/>"
            out += text(left - 6, y(t) + 4, label(t), anchor: "end")
        }
        for t in ticks(x0...x1, count: 8) {
            out += "<line class=\"tick\" x1=\"\(n(x(t)))\" x2=\"\(n(x(t)))\" y1=\"\(n(top + plotH))\" y2=\"\(n(top + plotH + 4))\"/>"
            out += text(x(t), top + plotH + 17, label(t))
        }
        out += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(top + plotH))\" y2=\"\(n(top + plotH))\"/>"
        out += "<line class=\"axis\" x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\"/>"
        out += text(left + plotW / 2, height - 8, figure.xLabel)
        out += text(14, top + plotH / 2, figure.yLabel, extra: " transform=\"rotate(-90 14 \(n(top + plotH / 2)))\"")
        out += "</g>"
        for (s, one) in series.enumerated() {
            let colour = palette[s % palette.count]
            out += "<g class=\"series\" fill=\"\(colour)\" fill-opacity=\"\(series.count > 1 ? "0.55" : "0.85")\">"
            for b in 0..<bins where one.counts[b] > 0 {
                let top = y(one.counts[b])
                out += "<rect x=\"\(n(x(edges[b])))\" y=\"\(n(top))\" width=\"\(n(max(x(edges[b + 1]) - x(edges[b]) - 0.5, 0.5)))\" "
                    + "height=\"\(n(max(y(0) - top, 0.5)))\"><title>\(HTMLReport.escape("\(one.name): \(label(edges[b]))–\(label(edges[b + 1])): \(label(one.counts[b]))"))</title></rect>"
            }
            out += "</g>"
        }
        for marker in figure.markers where marker.value.isFinite {
            let mx = x(marker.value)
            out += "<line class=\"marker\" x1=\"\(n(mx))\" x2=\"\(n(mx))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\"/>"
            let anchor = mx > left + plotW * 0.7 ? "end" : "start"
            out += text(mx + (anchor == "end" ? -4 : 4), top + 12, marker.label, anchor: anchor, extra: " class=\"marker-label\"")
        }
        if series.count > 1 || !(series.first?.name.isEmpty ?? true) {
            out += legend(series.map(\.name), x: left + 10, y: top + 28)
        }
        return out + "</svg>"
    }

    static func legend(_ names: [String], x: Double, y: Double) -> String {
        var out = "<g class=\"legend\">"
        for (i, name) in names.enumerated() {
            let ly = y + Double(i) * 16
            out += "<rect x=\"\(n(x))\" y=\"\(n(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(palette[i % palette.count])\"/>"
            out += text(x + 14, ly, name, anchor: "start")
        }
        return out + "</g>"
    }

    // MARK: Bars (horizontal: long labels stay readable)

    static func bars(_ figure: ReportFigure) -> String {
        let rows = Array(figure.bars.prefix(80))
        let rowH = 20.0, labelW = 200.0, bottom = 40.0
        let height = top + Double(rows.count) * rowH + bottom
        let plotX = left + labelW - 56, plotW = width - plotX - right - 130  // room for the notes
        let maxValue = rows.map(\.value).filter(\.isFinite).max() ?? 0
        let range = figure.valueRange ?? 0...max(maxValue, 1)
        let span = range.upperBound - range.lowerBound
        func x(_ v: Double) -> Double {
            plotX + (min(max(v.isFinite ? v : 0, range.lowerBound), range.upperBound) - range.lowerBound) / (span > 0 ? span : 1) * plotW
        }
        var out = open(figure, height: height)
        out += "<g class=\"axes\">"
        let plotBottom = top + Double(rows.count) * rowH
        for t in ticks(range, count: 5) {
            out += "<line class=\"grid\" x1=\"\(n(x(t)))\" x2=\"\(n(x(t)))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
            out += text(x(t), plotBottom + 16, label(t))
        }
        out += "<line class=\"axis\" x1=\"\(n(plotX))\" x2=\"\(n(plotX))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
        out += text(plotX + plotW / 2, height - 6, figure.xLabel)
        if !figure.yLabel.isEmpty { out += text(4, top - 4 + 10, figure.yLabel, anchor: "start", extra: " class=\"muted\"") }
        out += "</g><g class=\"series\" fill=\"\(palette[0])\">"
        for (i, bar) in rows.enumerated() {
            let yy = top + Double(i) * rowH
            out += text(plotX - 6, yy + 14, ReportText.clipped(bar.label, maxCharacters: 30), anchor: "end", extra: " fill=\"#222\"")
            let w = x(bar.value) - plotX
            out += "<rect x=\"\(n(plotX))\" y=\"\(n(yy + 3))\" width=\"\(n(max(w, 0)))\" height=\"\(n(rowH - 6))\">"
                + "<title>\(HTMLReport.escape("\(bar.label): \(bar.note ?? label(bar.value))"))</title></rect>"
            out += text(plotX + max(w, 0) + 4, yy + 14, bar.note ?? label(bar.value), anchor: "start", extra: " fill=\"#222\"")
        }
        if figure.bars.count > rows.count {
            out += text(plotX, plotBottom + 30, "… \(figure.bars.count - rows.count) more not drawn", anchor: "start")
        }
        return out + "</g></svg>"
    }

    // MARK: Intervals

    static func intervals(_ figure: ReportFigure) -> String {
        let rows = Array(figure.intervals.prefix(40))
        let rowH = 34.0, labelW = 150.0, bottom = 62.0
        let height = top + Double(rows.count) * rowH + bottom
        let plotX = left + labelW - 40, plotW = width - plotX - right
        let values = rows.flatMap { [$0.low, $0.high] + [$0.value, $0.reference].compactMap { $0 } }.filter(\.isFinite)
        let range = figure.valueRange ?? ((values.min() ?? 0)...max(values.max() ?? 1, (values.min() ?? 0) + 1e-9))
        let span = range.upperBound - range.lowerBound
        func x(_ v: Double) -> Double {
            plotX + (min(max(v, range.lowerBound), range.upperBound) - range.lowerBound) / (span > 0 ? span : 1) * plotW
        }
        let plotBottom = top + Double(rows.count) * rowH
        var out = open(figure, height: height)
        out += "<g class=\"axes\">"
        for t in ticks(range, count: 10) {
            out += "<line class=\"grid\" x1=\"\(n(x(t)))\" x2=\"\(n(x(t)))\" y1=\"\(n(top))\" y2=\"\(n(plotBottom))\"/>"
            out += text(x(t), plotBottom + 16, label(t))
        }
        out += text(plotX + plotW / 2, plotBottom + 32, figure.xLabel)
        out += "</g>"
        for (i, row) in rows.enumerated() {
            let cy = top + Double(i) * rowH + rowH / 2
            out += text(plotX - 8, cy + 4, ReportText.clipped(row.label, maxCharacters: 28), anchor: "end")
            if row.low.isFinite, row.high.isFinite {
                out += "<rect class=\"range\" x=\"\(n(x(row.low)))\" y=\"\(n(cy - 6))\" width=\"\(n(max(x(row.high) - x(row.low), 1)))\" height=\"12\">"
                    + "<title>\(HTMLReport.escape("\(row.rangeLabel): \(label(row.low))–\(label(row.high))"))</title></rect>"
            }
            if let r = row.reference, r.isFinite {
                out += "<line class=\"reference\" x1=\"\(n(x(r)))\" x2=\"\(n(x(r)))\" y1=\"\(n(cy - 9))\" y2=\"\(n(cy + 9))\"/>"
            }
            if let v = row.value, v.isFinite {
                out += "<circle class=\"value\" cx=\"\(n(x(v)))\" cy=\"\(n(cy))\" r=\"6\"><title>\(HTMLReport.escape("\(row.label): \(label(v))"))</title></circle>"
            }
        }
        // Legend: what the dot, the bar and the tick are.
        let ly = plotBottom + 52
        out += "<g class=\"legend\"><circle class=\"value\" cx=\"\(n(plotX))\" cy=\"\(n(ly - 4))\" r=\"5\"/>"
        out += text(plotX + 9, ly, "yours", anchor: "start")
        out += "<rect class=\"range\" x=\"\(n(plotX + 60))\" y=\"\(n(ly - 10))\" width=\"24\" height=\"12\"/>"
        out += text(plotX + 90, ly, "reference range", anchor: "start")
        out += "<line class=\"reference\" x1=\"\(n(plotX + 210))\" x2=\"\(n(plotX + 210))\" y1=\"\(n(ly - 12))\" y2=\"\(n(ly + 2))\"/>"
        out += text(plotX + 216, ly, "reference", anchor: "start")
        return out + "</g></svg>"
    }
}
