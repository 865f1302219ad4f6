/// The graded result of one check: what every report format renders.
public struct CheckResult: Sendable, Codable, Equatable {
    /// The check's id.
    public var id: String
    /// The check's title.
    public var title: String
    /// The id of the check's exercise.
    public var exercise: String
    /// How the check ended.
    public var outcome: Outcome
    /// Points earned (`points x fraction` for passed or failed outcomes, 0 otherwise).
    public var pointsEarned: Double
    /// Points possible.
    public var pointsPossible: Double
    /// One line: what was found or what is wrong.
    public var message: String
    /// Longer evidence (expected vs found).
    public var details: String
    /// A hint, if the check gave one.
    public var hint: String?
    /// The check's visibility.
    public var visibility: Visibility
    /// Markers for the gradebook (e.g. `reflection-needs-read`).
    public var flags: [String]
    /// Wall-clock seconds the check took.
    public var durationSeconds: Double
    /// The submission file the check read (the rubric's `artifact`), when it read one.
    public var artifact: String?

    /// Creates a result.
    public init(
        id: String, title: String, exercise: String, outcome: Outcome, pointsEarned: Double, pointsPossible: Double,
        message: String, details: String = "", hint: String? = nil, visibility: Visibility = .visible,
        flags: [String] = [], durationSeconds: Double = 0
    ) {
        self.id = id
        self.title = title
        self.exercise = exercise
        self.outcome = outcome
        self.pointsEarned = pointsEarned
        self.pointsPossible = pointsPossible
        self.message = message
        self.details = details
        self.hint = hint
        self.visibility = visibility
        self.flags = flags
        self.durationSeconds = durationSeconds
    }

    /// True for a failed outcome that still earned some points.
    public var isPartial: Bool { outcome == .failed && pointsEarned > 0 }

    /// Whether the check did not apply to this submission (skipped, no points possible).
    public var isNotApplicable: Bool { outcome == .skipped && flags.contains(Verdict.notApplicableFlag) }
}
