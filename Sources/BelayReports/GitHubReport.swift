public import BelayGrading
import Foundation

/// What `belay check` gives GitHub Actions: a Markdown step summary (`$GITHUB_STEP_SUMMARY`) and one workflow
/// command per check that did not pass (`::error file=…,title=…::message`), so that the run's page and the pull
/// request show what failed and in which file.
///
/// Student text is made safe twice: control and bidirectional characters become visible escapes
/// (``ReportText/terminalSafe(_:)``), and then the text is escaped for its place: Markdown table cells (`|`,
/// HTML), workflow-command data (`%`, CR, LF) and properties (also `:` and `,`).
public enum GitHubReport {
    /// The step summary: a heading, the summary line, then per exercise a table of its checks.
    /// - Complexity: O(report size).
    public static func stepSummary(_ report: GradeReport) -> String {
        var out = "## Belay: \(markdownCell(report.routeTitle)), \(markdownCell(report.submissionName))\n\n"
        out += markdownCell(TerminalReport.summary(report)) + "\n\n"
        for exercise in report.exerciseOrder {
            let results = report.results.filter { $0.exercise == exercise && !$0.isNotApplicable }
            guard !results.isEmpty else { continue }
            out += "### \(markdownCell(report.exerciseTitle(exercise)))\n\n"
            out += "| | check | points | result |\n|---|---|---|---|\n"
            for r in results {
                let mark = switch r.outcome {
                case .passed: "✅"
                case .failed: r.pointsEarned > 0 ? "🟡" : "❌"
                case .error: "⚠️"
                case .skipped: "⏭️"
                }
                var message = r.message
                if let hint = r.hint, !hint.isEmpty, r.outcome != .passed { message += " Hint: " + hint }
                out += "| \(mark) | `\(r.id)` \(markdownCell(r.title)) | "
                    + "\(Points.format(r.pointsEarned))/\(Points.format(r.pointsPossible)) | "
                    + "\(markdownCell(ReportText.clipped(message, maxCharacters: 400))) |\n"
            }
            out += "\n"
        }
        return out
    }

    /// One `::error` (failed, could not be evaluated) workflow command per check that did not pass, pointing at
    /// `submissionPath/artifact` when the check names the file it reads.
    /// - Parameter submissionPath: the submission as the workflow named it (relative to the repository).
    public static func annotations(_ report: GradeReport, submissionPath: String) -> [String] {
        report.results.compactMap { r in
            guard r.outcome == .failed || r.outcome == .error else { return nil }
            var properties: [String] = []
            if let artifact = r.artifact {
                let base = submissionPath.hasSuffix("/") ? String(submissionPath.dropLast()) : submissionPath
                properties.append("file=" + property(base.isEmpty || base == "." ? artifact : base + "/" + artifact))
            }
            let points = "\(Points.format(r.pointsEarned))/\(Points.format(r.pointsPossible)) pts"
            properties.append("title=" + property("\(r.id) (\(points))"))
            var message = r.title + ": " + r.message
            if let hint = r.hint, !hint.isEmpty { message += "\nHint: " + hint }
            return "::error " + properties.joined(separator: ",") + "::" + data(ReportText.clipped(message, maxCharacters: 2000))
        }
    }

    /// A Markdown table cell: one line, `|` and HTML escaped, controls made visible.
    static func markdownCell(_ text: String) -> String {
        var out = ""
        for character in ReportText.terminalSafe(text) {
            switch character {
            case "|": out += "\\|"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Workflow-command data: `%`, CR and LF escaped.
    static func data(_ text: String) -> String {
        ReportText.terminalSafe(text).replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A workflow-command property value: as data, and `:` and `,` escaped.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
