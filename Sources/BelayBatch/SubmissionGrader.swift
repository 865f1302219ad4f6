public import BelayGrading
public import Foundation

/// Grades one student's submission folder; a route implements this.
///
/// It must never throw: a broken submission becomes a report whose checks are errors. Grading may take
/// long or even hang; ``ClassGrader`` runs each call on its own thread and abandons it after the time limit.
public protocol SubmissionGrader: Sendable {
    /// Grades the submission in `directory` (already unpacked) and names the report `name`.
    func grade(submissionAt directory: URL, name: String) async -> GradeReport

    /// The route id, used in reports for submissions that could not be graded at all. Default: empty.
    var routeID: String { get }
    /// The route title, used likewise. Default: empty.
    var routeTitle: String { get }
}

extension SubmissionGrader {
    /// No route id.
    public var routeID: String { "" }
    /// No route title.
    public var routeTitle: String { "" }
}

/// A class grading run that could not start or finish (not one student's problem: those become results).
public struct BatchError: Error, CustomStringConvertible, Sendable {
    /// The file or folder concerned.
    public var path: String
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
