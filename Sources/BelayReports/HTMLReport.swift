public import BelayGrading

/// Self-contained HTML pages: one per student (`report.html`) and one for the class (`class.html`).
///
/// Each page is one file: inline CSS, inline SVG figures, no scripts, no fonts, images or links to the network, so
/// it opens offline and from an archive. Every text that may come from a student (names, messages, hints, details,
/// figure labels) passes through ``escape(_:)``. Output depends only on the input (durations are never shown), so
/// equal reports give equal bytes.
public enum HTMLReport {
    /// Escapes `text` for HTML text and attribute values: ANSI sequences removed, control and bidirectional
    /// characters (NUL, U+202E, …) shown as visible `\u{..}` escapes, then `& < > " '` as entities.
    /// - Complexity: O(n).
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in ReportText.xmlSafe(ReportText.terminalSafe(text)).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `name` as one relative URL path segment (RFC 3986 unreserved characters kept, every other byte
    /// percent-encoded), for links from the class page to a student's folder.
    public static func pathSegment(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "."):
                out += "%2E"  // never `.` or `..` as a segment
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    // MARK: Student page

    /// The student page: score, every check grouped by exercise (outcome, points, visibility, message, hint,
    /// details, flags) and the report's figures under their exercise.
    /// - Complexity: O(report size).
    public static func render(_ report: GradeReport) -> String {
        var body = ""
        let title = "\(report.routeTitle): \(report.submissionName)"
        body += "<header><h1>\(escape(title))</h1>"
        body += "<p class=\"score\"><span class=\"big\">\(Points.format(report.pointsEarned))</span> of "
            + "\(Points.format(report.pointsPossible)) points</p>"
        body += "<p>\(escape(TerminalReport.summary(report)))</p>"
        let counts = [("passed", report.passedCount), ("failed", report.failedCount), ("error", report.errorCount),
                      ("skipped", report.skippedCount)].filter { $0.1 > 0 }
        body += "<p class=\"counts\">" + counts.map { "<span class=\"badge \($0.0)\">\($0.1) \($0.0)</span>" }
            .joined(separator: " ") + "</p>"
        if let notes = report.property("sandbox.notes") { body += "<p class=\"muted\">Sandbox: \(escape(notes))</p>" }
        body += "</header>"

        let figures = (report.figures ?? []).filter(\.hasData)
        let order = report.exerciseOrder
        body += "<nav><ul>" + order.map { id in
            "<li><a href=\"#\(anchor(id))\">\(escape(report.exerciseTitle(id)))</a></li>"
        }.joined() + (figures.contains { $0.exercise == nil || !order.contains($0.exercise!) }
            ? "<li><a href=\"#figures\">Figures</a></li>" : "") + "</ul></nav>"

        for exercise in order {
            let results = report.results.filter { $0.exercise == exercise }
            let earned = Points.sum(results.map(\.pointsEarned)), possible = Points.sum(results.map(\.pointsPossible))
            body += "<section id=\"\(anchor(exercise))\"><h2>\(escape(report.exerciseTitle(exercise)))"
                + " <span class=\"pts\">\(Points.format(earned))/\(Points.format(possible)) pts</span></h2>"
            if !results.isEmpty, results.allSatisfy(\.isNotApplicable) {
                body += "<p class=\"muted\">Does not apply to this submission.</p>"
            } else {
                body += "<table class=\"checks\"><thead><tr><th>result</th><th>check</th><th>points</th>"
                    + "<th>visibility</th></tr></thead><tbody>"
                for result in results { body += row(result) }
                body += "</tbody></table>"
            }
            for figure in figures where figure.exercise == exercise { body += render(figure) }
            body += "</section>"
        }
        let loose = figures.filter { $0.exercise == nil || !order.contains($0.exercise!) }
        if !loose.isEmpty {
            body += "<section id=\"figures\"><h2>Figures</h2>" + loose.map(render).joined() + "</section>"
        }
        if report.hidden.count > 0 {
            body += "<p class=\"muted\">\(report.hidden.count) hidden checks worth \(Points.format(report.hidden.points)) "
                + "points run only when the instructor grades.</p>"
        }
        if !report.properties.isEmpty {
            body += "<details class=\"properties\"><summary>Provenance</summary><table>"
            for p in report.properties { body += "<tr><th>\(escape(p.name))</th><td>\(escape(p.value))</td></tr>" }
            body += "</table></details>"
        }
        return page(title: title, body: body)
    }

    static func anchor(_ id: String) -> String { "ex-" + pathSegment(id) }

    static func row(_ result: CheckResult) -> String {
        let outcome = result.isNotApplicable ? "n/a" : result.outcome.rawValue
        let css = result.isNotApplicable ? "skipped" : (result.isPartial ? "partial" : result.outcome.rawValue)
        var cell = "<div class=\"title\">\(escape(result.title)) <code>\(escape(result.id))</code></div>"
        if !result.message.isEmpty { cell += "<div class=\"message\">\(escape(result.message))</div>" }
        if let hint = result.hint, !hint.isEmpty { cell += "<div class=\"hint\">Hint: \(escape(hint))</div>" }
        if !result.flags.isEmpty {
            cell += "<div>" + result.flags.map { "<span class=\"flag\">\(escape($0))</span>" }.joined(separator: " ")
                + "</div>"
        }
        if !result.details.isEmpty {
            let details = ReportText.truncated(result.details, maxBytes: 8_000)
            cell += "<details><summary>details</summary><pre>\(escape(details))</pre></details>"
        }
        return "<tr class=\"\(css)\"><td><span class=\"badge \(css)\">\(escape(outcome))</span></td><td>\(cell)</td>"
            + "<td class=\"num\">\(Points.format(result.pointsEarned))/\(Points.format(result.pointsPossible))</td>"
            + "<td>\(escape(result.visibility.rawValue))</td></tr>"
    }

    /// One figure: its title, the SVG and the caption.
    static func render(_ figure: ReportFigure) -> String {
        "<figure id=\"fig-\(pathSegment(figure.id))\"><figcaption class=\"figtitle\">\(escape(figure.title))</figcaption>"
            + SVGChart.render(figure) + "<p class=\"caption\">\(escape(figure.caption))</p></figure>"
    }

    // MARK: Class page

    /// The class page: score distribution, item analysis (pass rate of every check, as bars and a table), flags,
    /// and one row per student linking to `<student>/report.html`.
    /// - Complexity: O(students × checks).
    public static func renderClass(_ students: [StudentResult], title: String) -> String {
        let sorted = students.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let layout = Gradebook.Layout(sorted)
        let graded = sorted.filter { $0.report != nil }
        var body = "<header><h1>\(escape(title))</h1>"
        let statusCounts = StudentResult.Status.allCases.map { s in (s, sorted.count { $0.status == s }) }
            .filter { $0.1 > 0 }
        body += "<p>\(sorted.count) students: "
            + statusCounts.map { "<span class=\"badge \($0.0 == .graded ? "passed" : "error")\">\($0.1) \($0.0.rawValue)</span>" }
            .joined(separator: " ") + "</p>"
        let maxPoints = layout.maxPoints
        let scores = graded.compactMap(\.report).map(\.pointsEarned).sorted()
        if !scores.isEmpty {
            let mean = Points.clean(scores.reduce(0, +) / Double(scores.count))
            let median = scores.count % 2 == 1
                ? scores[scores.count / 2] : Points.clean((scores[scores.count / 2 - 1] + scores[scores.count / 2]) / 2)
            body += "<p>Mean \(Points.format(mean)), median \(Points.format(median)) of \(Points.format(maxPoints)) points "
                + "over \(scores.count) graded students.</p>"
        }
        body += "</header><nav><ul><li><a href=\"#scores\">Scores</a></li><li><a href=\"#items\">Item analysis</a></li>"
            + "<li><a href=\"#flags\">Flags</a></li><li><a href=\"#students\">Students</a></li></ul></nav>"

        // Score distribution: ten bins of a tenth of the maximum each (the last includes full marks).
        let binCount = 10
        let top = maxPoints > 0 ? maxPoints : 1
        var counts = [Double](repeating: 0, count: binCount)
        for s in scores { counts[min(binCount - 1, max(0, Int((s / top * Double(binCount)).rounded(.down))))] += 1 }
        let edges = (0...binCount).map { Points.clean(top * Double($0) / Double(binCount)) }
        body += "<section id=\"scores\"><h2>Score distribution</h2>"
        body += render(
            ReportFigure.histogram(
                id: "class.scores", exercise: nil, title: "Points per graded student", xLabel: "points",
                yLabel: "students",
                caption: "\(scores.count) graded students; bins of \(Points.format(top / Double(binCount))) points "
                    + "(the last includes full marks). Students whose submission could not be graded are left out.",
                edges: edges, series: [FigureSeries(name: "", counts: counts)]))
        body += "</section>"

        // Item analysis.
        let items = ItemAnalysis.items(sorted)
        body += "<section id=\"items\"><h2>Item analysis</h2>"
        body += render(
            ReportFigure.barChart(
                id: "class.items", exercise: nil, title: "Pass rate of every check", xLabel: "pass rate",
                yLabel: "check",
                caption: "Share of graded students whose report contains the check and who passed it, in rubric "
                    + "order. A check nobody passes may be too hard, broken or ambiguous.",
                bars: items.map { FigureBar(label: $0.id, value: $0.passRate, note: "\($0.passed)/\($0.attempted)") },
                valueRange: 0...1))
        body += "<table class=\"items\"><thead><tr><th>check</th><th>exercise</th><th>title</th><th>visibility</th>"
            + "<th>pass rate</th><th>mean points</th><th>passed</th><th>failed</th><th>errors</th><th>skipped</th>"
            + "</tr></thead><tbody>"
        for item in items {
            let percent = Int((item.passRate * 100).rounded())
            body += "<tr><td><code>\(escape(item.id))</code></td><td>\(escape(item.exercise))</td>"
                + "<td>\(escape(item.title))</td><td>\(escape(item.visibility.rawValue))</td>"
                + "<td class=\"num\"><span class=\"bar\"><span style=\"width:\(percent)%\"></span></span> "
                + "\(ItemAnalysis.rate(item.passRate))</td>"
                + "<td class=\"num\">\(Points.format(item.meanPoints))/\(Points.format(item.pointsPossible))</td>"
                + "<td class=\"num\">\(item.passed)</td><td class=\"num\">\(item.failed)</td>"
                + "<td class=\"num\">\(item.errors)</td><td class=\"num\">\(item.skipped)</td></tr>"
        }
        body += "</tbody></table></section>"

        // Flags.
        body += "<section id=\"flags\"><h2>Flags</h2>"
        var flagged: [(student: String, check: String, flag: String)] = []
        for student in sorted {
            for r in student.report?.results ?? [] {
                for flag in r.flags where flag != Verdict.notApplicableFlag { flagged.append((student.name, r.id, flag)) }
            }
        }
        if flagged.isEmpty {
            body += "<p class=\"muted\">No flags.</p>"
        } else {
            var byFlag: [String: Int] = [:]
            for f in flagged { byFlag[f.flag, default: 0] += 1 }
            body += "<p>" + byFlag.sorted { $0.key < $1.key }
                .map { "<span class=\"flag\">\(escape($0.key))</span> \($0.value)" }.joined(separator: " · ") + "</p>"
            body += "<table><thead><tr><th>student</th><th>check</th><th>flag</th></tr></thead><tbody>"
            for f in flagged {
                body += "<tr><td><a href=\"\(pathSegment(f.student))/report.html\">\(escape(f.student))</a></td>"
                    + "<td><code>\(escape(f.check))</code></td><td><span class=\"flag\">\(escape(f.flag))</span></td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "</section>"

        // Students.
        body += "<section id=\"students\"><h2>Students</h2><table class=\"students\"><thead><tr><th>student</th>"
            + "<th>status</th><th>total</th>"
            + layout.exercises.map { "<th>\(escape($0)) <span class=\"muted\">/\(Points.format(layout.exerciseMax($0)))</span></th>" }.joined()
            + "<th>flags</th><th>message</th></tr></thead><tbody>"
        for student in sorted {
            var cells = "<td><a href=\"\(pathSegment(student.name))/report.html\">\(escape(student.name))</a></td>"
            cells += "<td><span class=\"badge \(student.status == .graded ? "passed" : "error")\">"
                + "\(escape(student.status.rawValue))</span></td>"
            if let report = student.report {
                cells += "<td class=\"num\">\(Points.format(report.pointsEarned))/\(Points.format(max(report.totalPointsPossible, 0)))</td>"
                for exercise in layout.exercises {
                    let inExercise = report.results.filter { $0.exercise == exercise }
                    cells += "<td class=\"num\">"
                        + (inExercise.isEmpty ? "" : Points.format(Points.sum(inExercise.map(\.pointsEarned)))) + "</td>"
                }
                let flags = report.results.flatMap { r in
                    r.flags.filter { $0 != Verdict.notApplicableFlag }.map { "\(r.id): \($0)" }
                }
                cells += "<td>\(escape(flags.joined(separator: "; ")))</td>"
            } else {
                cells += "<td class=\"num\">0/\(Points.format(maxPoints))</td>"
                cells += String(repeating: "<td></td>", count: layout.exercises.count) + "<td></td>"
            }
            cells += "<td>\(escape(student.message))</td>"
            body += "<tr>\(cells)</tr>"
        }
        body += "</tbody></table></section>"
        return page(title: title, body: body)
    }

    // MARK: Page

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(escape(title))</title>
        <style>\(css)</style>
        </head>
        <body>
        \(body)
        <footer class="muted">Written by Belay. This page is self-contained: it loads nothing from the network.</footer>
        </body>
        </html>

        """
    }

    static let css = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d1d1f;\
        max-width:1100px;margin:0 auto;padding:16px 24px;background:#fff}
        h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:1.6em}
        .pts{float:right;font-weight:normal;color:#555}.big{font-size:2em;font-weight:bold}
        .muted{color:#666}code{font-size:.85em;color:#555}
        nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
        table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{text-align:left;vertical-align:top;\
        padding:5px 8px;border-bottom:1px solid #eee}th{background:#f6f6f8}td.num{text-align:right;white-space:nowrap}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.85em;font-weight:600;color:#fff;\
        background:#888;white-space:nowrap}
        .badge.passed{background:#1a7f37}.badge.failed{background:#cf222e}.badge.partial{background:#bf8700}\
        .badge.error{background:#8250df}.badge.skipped{background:#8c959f}
        .message{margin-top:2px}.hint{margin-top:2px;color:#0550ae}\
        .flag{display:inline-block;background:#fff8c5;border:1px solid #d4a72c;border-radius:4px;padding:0 5px;font-size:.85em}
        pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:8px;border-radius:4px;font-size:.85em}
        figure{margin:1em 0;padding:8px;border:1px solid #e5e5e5;border-radius:6px}\
        .figtitle{font-weight:600;margin-bottom:4px}.caption{color:#444;font-size:.9em;margin:4px 0 0}
        svg.chart{max-width:100%;height:auto;font-size:11px;fill:#333}svg .grid{stroke:#e8e8e8}\
        svg .axis,svg .tick{stroke:#555}svg .marker{stroke:#cf222e;stroke-width:2;stroke-dasharray:5 3}\
        svg .marker-label{fill:#cf222e;font-weight:600}svg .range{fill:#0072B2;fill-opacity:.25;stroke:#0072B2}\
        svg .reference{stroke:#0072B2;stroke-width:2}svg .value{fill:#E69F00;stroke:#333}
        .bar{display:inline-block;width:60px;height:8px;background:#eee;border-radius:2px;vertical-align:middle}\
        .bar span{display:block;height:8px;background:#0072B2;border-radius:2px}
        footer{margin-top:2em;font-size:.85em}
        """
}
