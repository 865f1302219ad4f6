public import BelayGrading

/// Gradescope's autograder `results.json` (gradescope/autograder_samples `docs/specs.md`).
///
/// One test per check that applies to the submission, in rubric order, numbered `exercise.check` (1-based) so Gradescope sorts them;
/// `score`/`max_score` carry partial credit; `status` is `passed` only for a passed check. Hidden checks of an
/// instructor report get `hiddenChecks` visibility (default `after_published`, so students learn what they
/// missed once grades are released). Student output is shown as plain text (`output_format: text`), with
/// ANSI sequences, control and bidirectional characters removed; `stdout_visibility` is `hidden`.
public enum GradescopeReport {
    /// When students may see a hidden check's result.
    public enum HiddenVisibility: String, Sendable, CaseIterable {
        case hidden
        case afterDueDate = "after_due_date"
        case afterPublished = "after_published"
    }

    struct Results: Encodable {
        var score: Double
        var executionTime: Double
        var output: String
        var outputFormat = "text"
        var testOutputFormat = "text"
        var stdoutVisibility = "hidden"
        var visibility = "visible"
        var tests: [Test]

        enum CodingKeys: String, CodingKey {
            case score, output, tests, visibility
            case executionTime = "execution_time"
            case outputFormat = "output_format"
            case testOutputFormat = "test_output_format"
            case stdoutVisibility = "stdout_visibility"
        }
    }

    struct Test: Encodable {
        var name: String
        var number: String
        var score: Double
        var maxScore: Double
        var status: String
        var output: String
        var visibility: String
        var tags: [String]

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output, visibility, tags
            case maxScore = "max_score"
        }
    }

    /// Maximum UTF-8 bytes of one test's output.
    public static let maxOutputBytes = 64 * 1024

    /// Renders `report` as `results.json` text.
    /// - Complexity: O(report size).
    public static func render(
        _ report: GradeReport, hiddenChecks: HiddenVisibility = .afterPublished, reproducible: Bool = false
    ) -> String {
        var tests: [Test] = []
        for (exerciseIndex, exercise) in report.exerciseOrder.enumerated() {
            // Checks that do not apply to this kind of submission are left out: Gradescope would show them as
            // failed tests at 0/0.
            let results = report.results.filter { $0.exercise == exercise && !$0.isNotApplicable }
            for (checkIndex, r) in results.enumerated() {
                var output: String
                switch r.outcome {
                case .passed: output = r.message
                case .failed: output = (r.pointsEarned > 0 ? "Partial credit: " : "Failed: ") + r.message
                case .error: output = "Could not evaluate: " + r.message
                case .skipped:
                    output = r.message.hasPrefix("not run") ? "N" + r.message.dropFirst() : "Not run: " + r.message
                }
                if !r.details.isEmpty, r.outcome != .passed || r.visibility == .visible { output += "\n\n" + r.details }
                if let hint = r.hint, !hint.isEmpty, r.outcome != .passed { output += "\n\nHint: " + hint }
                tests.append(
                    Test(
                        name: ReportText.terminalSafe("\(r.title) [\(r.id)]"),
                        number: "\(exerciseIndex + 1).\(checkIndex + 1)",
                        score: r.pointsEarned, maxScore: r.pointsPossible,
                        status: r.outcome == .passed ? "passed" : "failed",
                        output: ReportText.terminalSafe(ReportText.truncated(output, maxBytes: maxOutputBytes)),
                        visibility: r.visibility == .hidden ? hiddenChecks.rawValue : "visible",
                        tags: [exercise]))
            }
        }
        let results = Results(
            score: report.pointsEarned,
            executionTime: reproducible ? 0 : (report.durationSeconds * 1000).rounded() / 1000,
            output: TerminalReport.summary(report), tests: tests)
        return JSONReport.encode(results)
    }
}
