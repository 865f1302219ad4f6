/// One ordered name/value fact recorded with a report (hashes, versions, seed).
public struct Property: Sendable, Codable, Equatable {
    /// The name, e.g. `belay.submission.sha256`.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a property.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What a student's self-check leaves out: only how many hidden checks there are and what they are worth.
public struct HiddenSummary: Sendable, Codable, Equatable {
    /// Number of hidden checks not run.
    public var count: Int
    /// Their total points.
    public var points: Double

    /// Creates a summary.
    public init(count: Int = 0, points: Double = 0) {
        self.count = count
        self.points = points
    }
}

/// The graded result of one submission: the single model every report format renders.
public struct GradeReport: Sendable, Codable, Equatable {
    /// The submission's name (student or folder name).
    public var submissionName: String
    /// The route id.
    public var route: String
    /// The route's human title.
    public var routeTitle: String
    /// Results of the checks that ran or were skipped, in rubric order.
    public var results: [CheckResult]
    /// Hidden checks not run for this audience.
    public var hidden: HiddenSummary
    /// Ordered facts for audit (submission/rubric/data sha256, belay version, seed, ...).
    public var properties: [Property]
    /// The route's exercises in order.
    public var exercises: [ExerciseSpec]
    /// `student` or `instructor`.
    public var audience: String
    /// Pictures of the submission's own work, drawn by the HTML report; `nil` when the route drew none (and in
    /// reports written before figures existed, which still decode).
    public var figures: [ReportFigure]?

    /// Creates a report.
    public init(
        submissionName: String, route: String, routeTitle: String, results: [CheckResult],
        hidden: HiddenSummary = HiddenSummary(), properties: [Property] = [], exercises: [ExerciseSpec],
        audience: String, figures: [ReportFigure]? = nil
    ) {
        self.submissionName = submissionName
        self.route = route
        self.routeTitle = routeTitle
        self.results = results
        self.hidden = hidden
        self.properties = properties
        self.exercises = exercises
        self.audience = audience
        self.figures = figures
    }

    /// Points earned over the reported checks.
    public var pointsEarned: Double { Points.sum(results.map(\.pointsEarned)) }
    /// Points possible over the reported checks (hidden checks not run are excluded; see ``hidden``).
    public var pointsPossible: Double { Points.sum(results.map(\.pointsPossible)) }
    /// Points possible including hidden checks not run.
    public var totalPointsPossible: Double { Points.sum([pointsPossible, hidden.points]) }
    /// Number of passed checks.
    public var passedCount: Int { results.count { $0.outcome == .passed } }
    /// Number of failed checks.
    public var failedCount: Int { results.count { $0.outcome == .failed } }
    /// Number of checks that could not evaluate.
    public var errorCount: Int { results.count { $0.outcome == .error } }
    /// Number of skipped checks.
    public var skippedCount: Int { results.count { $0.outcome == .skipped } }
    /// True when every check that is reported passed. Says nothing about hidden checks not run
    /// (``hidden``): summaries must mention those separately.
    public var allPassed: Bool { results.allSatisfy { $0.outcome == .passed || $0.isNotApplicable } }
    /// Sum of the checks' durations.
    public var durationSeconds: Double { results.reduce(0) { $0 + $1.durationSeconds } }

    /// The value of the first property named `name`.
    public func property(_ name: String) -> String? { properties.first { $0.name == name }?.value }

    /// The title of exercise `id` (the id itself when the report does not list it).
    public func exerciseTitle(_ id: String) -> String { exercises.first { $0.id == id }?.title ?? id }

    /// Exercise ids in report order: the listed exercises that have results, then any others in result order.
    public var exerciseOrder: [String] {
        let withResults = Set(results.map(\.exercise))
        var order = exercises.map(\.id).filter { withResults.contains($0) }
        for result in results where !order.contains(result.exercise) { order.append(result.exercise) }
        return order
    }

    /// A copy with every duration set to zero (for byte-identical, reproducible outputs).
    public func withoutDurations() -> GradeReport {
        var copy = self
        for i in copy.results.indices { copy.results[i].durationSeconds = 0 }
        return copy
    }

    /// A report for a submission that could not be graded at all (bad archive, timeout): one error result
    /// with id `submission`, so every format still says what happened.
    public static func ungradable(
        submissionName: String, route: String, routeTitle: String, message: String, details: String = "",
        properties: [Property] = []
    ) -> GradeReport {
        let exercise = ExerciseSpec(id: "submission", title: "Submission")
        return GradeReport(
            submissionName: submissionName, route: route, routeTitle: routeTitle,
            results: [
                CheckResult(
                    id: "submission", title: "the submission can be graded", exercise: exercise.id, outcome: .error,
                    pointsEarned: 0, pointsPossible: 0, message: message, details: details)
            ],
            properties: properties, exercises: [exercise], audience: Audience.instructor.rawValue)
    }
}

/// Point arithmetic shared by the engine and the reports.
public enum Points {
    /// Rounds to 1e-6 so sums like 0.1 + 0.2 print as 0.3 in every format.
    public static func clean(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        return rounded == 0 ? 0 : rounded
    }

    /// The cleaned sum.
    public static func sum(_ values: [Double]) -> Double { clean(values.reduce(0, +)) }

    /// Short human text: `2`, `1.5`, `0.33` (at most two decimals, no trailing zeros, POSIX digits).
    public static func format(_ value: Double) -> String {
        let hundredths = Int64((clean(value) * 100).rounded())
        let whole = hundredths / 100
        let fraction = abs(hundredths % 100)
        let sign = hundredths < 0 && whole == 0 ? "-" : ""
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
