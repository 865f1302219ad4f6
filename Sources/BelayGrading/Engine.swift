/// A route's implementation of one check: reads the submission through `Context`, returns a ``Verdict``.
///
/// Throwing means the check could not work; the engine records an ``Outcome/error`` with the error's description.
public typealias CheckImplementation<Context> = @Sendable (Context, CheckSpec) async throws -> Verdict

/// Runs a rubric's checks against one submission. Knows no route and no file format: a route supplies
/// the check implementations (keyed by check id) and the `Context` they read.
public struct Engine<Context: Sendable>: Sendable {
    /// Check implementations by check id.
    public let checks: [String: CheckImplementation<Context>]

    /// Creates an engine from a route's check implementations.
    public init(checks: [String: CheckImplementation<Context>]) {
        self.checks = checks
    }

    /// Throws a ``RubricError`` (with the check's line) unless every rubric check has an implementation
    /// and every `requires` names an earlier check.
    /// - Complexity: O(checks x requires).
    public func validate(_ rubric: Rubric) throws {
        try rubric.validateStructure()
        for check in rubric.checks where checks[check.id] == nil {
            throw RubricError(
                file: rubric.fileName, line: check.line,
                message: "check '\(check.id)' has no implementation in this version of belay (route \(rubric.route))")
        }
    }

    /// Grades one submission; never throws and never traps on a check's failure.
    ///
    /// Checks run in rubric order. A check whose prerequisite did not pass is skipped with a message naming it;
    /// an error thrown by a check becomes an ``Outcome/error`` result. For ``Audience/student`` hidden checks
    /// are not run, and the report records only their count and points. If the task is cancelled (e.g. a
    /// batch time limit), the remaining checks are reported as errors, never as passes.
    public func run(
        rubric: Rubric, context: Context, audience: Audience, submissionName: String, properties: [Property]
    ) async -> GradeReport {
        var results: [CheckResult] = []
        var outcomes: [String: Outcome] = [:]
        var notApplicable = Set<String>()
        var hidden = HiddenSummary()
        let clock = ContinuousClock()
        for spec in rubric.checks {
            if audience == .student, spec.visibility == .hidden {
                hidden.count += 1
                hidden.points = Points.clean(hidden.points + spec.points)
                continue
            }
            var result = CheckResult(
                id: spec.id, title: spec.title, exercise: spec.exercise, outcome: .skipped, pointsEarned: 0,
                pointsPossible: spec.points, message: "", visibility: spec.visibility)
            result.artifact = spec.artifact
            if let blocker = spec.requires.first(where: { notApplicable.contains($0) }) {
                // A check that builds on one that does not apply does not apply either.
                result.pointsPossible = 0
                result.flags = [Verdict.notApplicableFlag]
                result.message = "not applicable: prerequisite '\(blocker)' does not apply to this submission"
            } else if let blocker = spec.requires.first(where: { outcomes[$0] != .passed }) {
                let title = rubric.check(blocker)?.title ?? blocker
                let how = outcomes[blocker].map { $0 == .skipped ? "was skipped" : "did not pass (\($0.rawValue))" }
                    ?? "did not run"
                result.message = "not run: prerequisite '\(blocker)' (\(title)) \(how)"
            } else if Task.isCancelled {
                result.outcome = .error
                result.message = "not run: grading was stopped (time limit reached or cancelled)"
            } else if let implementation = checks[spec.id] {
                let start = clock.now
                let verdict: Verdict
                do {
                    verdict = try await implementation(context, spec)
                } catch is CancellationError {
                    verdict = .error("not finished: grading was stopped (time limit reached or cancelled)")
                } catch {
                    verdict = .error(
                        "the check could not evaluate the submission: \(String(describing: error))")
                }
                result.durationSeconds = Self.seconds(clock.now - start)
                result.outcome = verdict.outcome
                let fraction = verdict.fraction.isNaN ? 0 : min(max(verdict.fraction, 0), 1)
                result.pointsEarned =
                    verdict.outcome == .passed || verdict.outcome == .failed ? Points.clean(spec.points * fraction) : 0
                if verdict.isNotApplicable { result.pointsPossible = 0 }
                result.message = verdict.message
                result.details = verdict.details
                result.hint = verdict.hint
                result.flags = verdict.flags
            } else {
                result.outcome = .error
                result.message = "belay has no implementation for check '\(spec.id)' (grader bug; run `validate`)"
            }
            outcomes[spec.id] = result.outcome
            if result.isNotApplicable { notApplicable.insert(spec.id) }
            results.append(result)
        }
        return GradeReport(
            submissionName: submissionName, route: rubric.route, routeTitle: rubric.title, results: results,
            hidden: hidden, properties: properties, exercises: rubric.exercises, audience: audience.rawValue)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
