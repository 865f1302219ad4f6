public import BelayGrading

/// A human report for a terminal: grouped by exercise, one line per check, failing details indented,
/// and a summary that never claims more than was run.
public enum TerminalReport {
    /// Maximum detail lines shown under one check.
    public static let maxDetailLines = 12

    /// Renders `report`.
    ///
    /// - Parameters:
    ///   - color: emit ANSI colours (only when writing to a terminal that wants them).
    ///   - width: wrap/cut width in columns (at least 40).
    /// - Complexity: O(results + shown text).
    public static func render(_ report: GradeReport, color: Bool, width: Int = 100) -> String {
        let width = max(width, 40)
        let style = Style(enabled: color)
        var lines: [String] = []
        let header = "\(report.routeTitle) (\(report.route)): \(report.submissionName)"
        lines.append(style.bold(clip(safe(header), width)))
        if let notes = report.property("sandbox.notes") {
            lines += wrap("Sandbox: " + safe(notes), width: width, limit: 4)
        }
        if let found = report.property("notebook.found"), !found.isEmpty {
            lines.append("Found in the notebook's kernel:")
            for line in found.split(separator: "\n").prefix(8) { lines += wrap("  " + safe(String(line)), width: width, limit: 2) }
        }
        for exercise in report.exerciseOrder {
            let results = report.results.filter { $0.exercise == exercise }
            // An exercise that does not apply at all (notebook checks without a notebook) is one line.
            if !results.isEmpty, results.allSatisfy(\.isNotApplicable) {
                lines.append("")
                lines.append(clip(safe(report.exerciseTitle(exercise)) + ": does not apply to this submission", width))
                continue
            }
            let earned = Points.sum(results.map(\.pointsEarned))
            let possible = Points.sum(results.map(\.pointsPossible))
            let pts = "\(Points.format(earned))/\(Points.format(possible)) pts"
            let title = clip(safe(report.exerciseTitle(exercise)), width - pts.count - 2)
            lines.append("")
            lines.append(style.bold(pad(title, width - pts.count) + pts))
            for result in results { lines += render(result, style: style, width: width) }
        }
        lines.append("")
        lines += wrap(summary(report), width: width, limit: 8).map { style.bold($0) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The honest one-paragraph summary, e.g. `12 of 14 visible checks passed (31/40 pts); 5 hidden checks
    /// worth 8 points run only when the instructor grades.`
    public static func summary(_ report: GradeReport) -> String {
        // Checks that do not apply to this submission (a notebook check without a notebook) are not counted.
        let applicable = report.results.filter { !$0.isNotApplicable }
        let total = applicable.count
        let notApplicable = report.results.count - total
        let hiddenExists = report.hidden.count > 0
        let noun = hiddenExists ? "visible checks" : "checks"
        let pts = "(\(Points.format(report.pointsEarned))/\(Points.format(report.pointsPossible)) pts)"
        var text: String
        if total == 0 {
            text = "No checks ran."
        } else if report.allPassed {
            text = total == 1 ? "The 1 \(hiddenExists ? "visible check" : "check") passed \(pts)." : "All \(total) \(noun) passed \(pts)."
        } else {
            text = "\(report.passedCount) of \(total) \(noun) passed \(pts)."
            var problems: [String] = []
            if report.failedCount > 0 { problems.append("\(report.failedCount) failed") }
            if report.errorCount > 0 {
                problems.append("\(report.errorCount) could not be evaluated")
            }
            let skipped = applicable.filter { $0.outcome == .skipped }.count
            if skipped > 0 { problems.append("\(skipped) skipped") }
            if !problems.isEmpty { text += " " + problems.joined(separator: ", ").capitalizedFirst + "." }
        }
        if notApplicable > 0 {
            text += " \(notApplicable) \(notApplicable == 1 ? "check does" : "checks do") not apply to this submission."
        }
        if hiddenExists {
            let checks = report.hidden.count == 1 ? "1 hidden check" : "\(report.hidden.count) hidden checks"
            text += " \(checks) worth \(Points.format(report.hidden.points)) more points "
                + "\(report.hidden.count == 1 ? "runs" : "run") only when the instructor grades, so this is not a final grade."
        }
        return text
    }

    static func symbol(_ result: CheckResult) -> String {
        switch result.outcome {
        case .passed: "✓"
        case .failed: result.pointsEarned > 0 ? "◐" : "✗"
        case .error: "!"
        case .skipped: "–"
        }
    }

    static func render(_ result: CheckResult, style: Style, width: Int) -> [String] {
        let pts = "\(Points.format(result.pointsEarned))/\(Points.format(result.pointsPossible))"
        let label = "  \(symbol(result)) \(result.id)  \(safe(result.title))"
        func colored(_ text: String) -> String {
            switch result.outcome {
            case .passed: style.green(text)
            case .failed: result.pointsEarned > 0 ? style.yellow(text) : style.red(text)
            case .error: style.magenta(text)
            case .skipped: style.dim(text)
            }
        }
        var lines = [colored(pad(clip(label, width - pts.count - 2), width - pts.count)) + pts]
        let indent = "      "
        let bodyWidth = width - indent.count
        if !result.message.isEmpty {
            lines += wrap(safe(result.message), width: bodyWidth, limit: 3).map { indent + $0 }
        }
        if result.outcome != .passed, !result.details.isEmpty {
            let detailLines = safe(ReportText.truncated(result.details, maxBytes: 16 * 1024))
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in detailLines.prefix(maxDetailLines) { lines.append(indent + "  " + clip(line, bodyWidth - 2)) }
            if detailLines.count > maxDetailLines {
                lines.append(indent + style.dim("  … \(detailLines.count - maxDetailLines) more lines (see report.txt or junit.xml)"))
            }
        }
        if result.outcome != .passed, let hint = result.hint, !hint.isEmpty {
            lines += wrap("hint: " + safe(hint), width: bodyWidth, limit: 4).map { indent + style.cyan($0) }
        }
        if !result.flags.isEmpty { lines.append(indent + style.dim("flags: " + result.flags.joined(separator: ", "))) }
        return lines
    }

    static func safe(_ text: String) -> String { ReportText.terminalSafe(text) }

    /// Cuts one line to `width` characters with `…`.
    static func clip(_ text: String, _ width: Int) -> String { ReportText.clipped(text, maxCharacters: max(width, 1)) }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// Greedy word wrap of each paragraph, at most `limit` lines (the last one cut with `…`).
    static func wrap(_ text: String, width: Int, limit: Int) -> [String] {
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    out.append(line)
                    line = String(word)
                }
            }
            out.append(line)
        }
        if out.count > limit {
            out = Array(out.prefix(limit))
            out[limit - 1] = clip(out[limit - 1] + " …", width)
        }
        return out.map { clip($0, width) }
    }

    struct Style {
        var enabled: Bool
        func code(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func bold(_ text: String) -> String { code("1", text) }
        func dim(_ text: String) -> String { code("2", text) }
        func red(_ text: String) -> String { code("31", text) }
        func green(_ text: String) -> String { code("32", text) }
        func yellow(_ text: String) -> String { code("33", text) }
        func magenta(_ text: String) -> String { code("35", text) }
        func cyan(_ text: String) -> String { code("36", text) }
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
