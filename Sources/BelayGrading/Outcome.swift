/// How one check ended.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    /// The submission meets the check (possibly with partial credit, see ``Verdict/fraction``).
    case passed
    /// The submission was evaluated and is wrong or incomplete.
    case failed
    /// The check could not evaluate the submission (missing file, unparseable output, crash, timeout).
    case error
    /// The check did not run (a prerequisite did not pass, or it is graded by hand).
    case skipped
}

/// Who may see a check.
public enum Visibility: String, Sendable, Codable, CaseIterable {
    /// Runs in a student's self-check and is shown to the student.
    case visible
    /// Runs only when an instructor grades; a student's self-check never runs it and never names it.
    case hidden
}

/// Whom a grading run is for.
public enum Audience: String, Sendable, Codable {
    /// A student's self-check: hidden checks neither run nor are revealed (only their count and points are).
    case student
    /// Instructor grading: every check runs.
    case instructor
}
