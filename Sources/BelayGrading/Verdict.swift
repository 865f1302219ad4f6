/// What a check implementation returns: the outcome, the credit earned and the feedback to show.
///
/// A wrong answer is a `Verdict`, not a thrown error; throwing means the check itself could not work
/// (the engine then records an ``Outcome/error`` outcome with the error's description).
public struct Verdict: Sendable, Equatable {
    /// How the check ended.
    public var outcome: Outcome
    /// Share of the check's points earned, in `0...1` (values outside are clamped; NaN counts as 0).
    /// Only ``Outcome/passed`` and ``Outcome/failed`` earn points, so a failed verdict may carry partial credit.
    public var fraction: Double
    /// One line: what was found, or what is wrong.
    public var message: String
    /// Longer evidence: expected vs found, first differing rows, and so on.
    public var details: String
    /// A hint that teaches without giving the answer away.
    public var hint: String?
    /// Machine-readable markers for the gradebook, e.g. `"reflection-needs-read"`.
    public var flags: [String]

    /// Creates a verdict; prefer the static constructors.
    public init(
        outcome: Outcome, fraction: Double? = nil, message: String, details: String = "", hint: String? = nil,
        flags: [String] = []
    ) {
        self.outcome = outcome
        self.fraction = fraction ?? (outcome == .passed ? 1 : 0)
        self.message = message
        self.details = details
        self.hint = hint
        self.flags = flags
    }

    /// Full credit.
    public static func pass(_ message: String, details: String = "") -> Verdict {
        Verdict(outcome: .passed, fraction: 1, message: message, details: details)
    }

    /// No credit: the submission is wrong.
    public static func fail(_ message: String, details: String = "", hint: String? = nil) -> Verdict {
        Verdict(outcome: .failed, fraction: 0, message: message, details: details, hint: hint)
    }

    /// Partial credit: `fraction` of the points. A fraction of 1 or more is a pass, anything less a failure
    /// that still earns `points * fraction`.
    public static func partial(
        _ fraction: Double, _ message: String, details: String = "", hint: String? = nil
    ) -> Verdict {
        let clamped = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        return Verdict(
            outcome: clamped >= 1 ? .passed : .failed, fraction: clamped, message: message, details: details,
            hint: hint)
    }

    /// The check could not evaluate the submission (a missing or unreadable file, say); earns nothing.
    public static func error(_ message: String, details: String = "", hint: String? = nil) -> Verdict {
        Verdict(outcome: .error, fraction: 0, message: message, details: details, hint: hint)
    }

    /// The check deliberately did not run (e.g. graded by hand); earns nothing.
    public static func skip(_ message: String, details: String = "") -> Verdict {
        Verdict(outcome: .skipped, fraction: 0, message: message, details: details)
    }

    /// The marker of a check that does not apply to this submission (a notebook check when no notebook was handed
    /// in): it is skipped, and its points leave the total instead of counting as lost.
    public static let notApplicableFlag = "not-applicable"

    /// The check does not apply to this submission; its points are not possible for it.
    public static func notApplicable(_ message: String) -> Verdict {
        Verdict(outcome: .skipped, fraction: 0, message: message, flags: [notApplicableFlag])
    }

    /// Whether this verdict says the check does not apply.
    public var isNotApplicable: Bool { outcome == .skipped && flags.contains(Verdict.notApplicableFlag) }

    /// Returns a copy with `flag` appended.
    public func flagged(_ flag: String) -> Verdict {
        var copy = self
        copy.flags.append(flag)
        return copy
    }
}
