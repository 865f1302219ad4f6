public protocol SubmissionGrader: Sendable {}
