/// One student's row in a class grading run.
public struct StudentResult: Sendable, Codable, Equatable {
    /// Whether the student's submission could be graded.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Graded: ``StudentResult/report`` holds the result (which may itself contain error checks).
        case graded
        /// The submission could not be graded (e.g. an unsafe or corrupt archive).
        case error
        /// Grading exceeded the time limit.
        case timeout
    }

    /// The student's name (submission folder or archive name).
    public var name: String
    /// How grading went.
    public var status: Status
    /// The report, when graded.
    public var report: GradeReport?
    /// What happened, in one line (e.g. `38/40`, or why grading failed).
    public var message: String

    /// Creates a result.
    public init(name: String, status: Status, report: GradeReport?, message: String) {
        self.name = name
        self.status = status
        self.report = report
        self.message = message
    }
}
