public import BelayGrading
public import Foundation

/// Grades one student's submission folder: what a route's reference hands `belay check` and `belay grade`.
///
/// It must never throw: a broken submission becomes a report whose checks are errors. Grading may take
/// long or even hang; the batch runs each call on its own thread and abandons it after the time limit.
public protocol SubmissionGrader: Sendable {
    /// Grades the submission at `directory` (already unpacked by ``SubmissionInput``) and names the report `name`.
    ///
    /// `sha256` is the submission's fingerprint (``SubmissionHash``), computed once by the pipeline: a route
    /// records it (`submission.sha256`) rather than hashing files again.
    func grade(submissionAt directory: URL, name: String, sha256: String) async -> GradeReport

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

    /// Grades the folder at `directory` as ``SubmissionInput`` would hand it over: hashed here with
    /// ``SubmissionHash`` (an empty hash when the folder cannot be listed; the route then reports what it cannot
    /// read). For tests and tools that grade a folder directly.
    public func grade(submissionAt directory: URL, name: String) async -> GradeReport {
        await grade(submissionAt: directory, name: name, sha256: (try? SubmissionHash.sha256(of: directory)) ?? "")
    }
}
