public import BelayRoute
public import BelayGrading
public import Foundation
import BelayData

/// Grades one Route 020 submission (a folder of CSV and Markdown files) against a reference computed once per
/// batch. Never throws: a submission that cannot be read becomes a report of failing checks.
public struct Route020Grader: SubmissionGrader {
    /// The route's id, as its rubric names it.
    public static let id = "020-good-models-from-bad-labels"

    public let reference: Route020Reference
    public let rubric: Rubric
    public let audience: Audience
    /// Version string recorded in reports.
    public let belayVersion: String

    /// A grader; throws a ``RubricError`` when the rubric is not this route's or a parameter is out of range, and a
    /// `DatasetError` when the data cannot be graded against (see ``Route020Reference/integrityProblem``).
    public init(reference: Route020Reference, rubric: Rubric, audience: Audience, belayVersion: String) throws {
        guard rubric.route == Self.id else {
            throw RubricError(
                file: rubric.fileName, line: 0,
                message: "the rubric is for route \(rubric.route), not \(Self.id)")
        }
        try Route020Checks.engine.validate(rubric)
        try rubric.validateParameters(route: Self.routeParameters, checks: Self.checkParameters)
        if let problem = reference.integrityProblem {
            throw DatasetError(path: reference.dataset.sheetPath, message: problem)
        }
        self.init(validated: reference, rubric: rubric, audience: audience, belayVersion: belayVersion)
    }

    /// A grader for a rubric and reference already validated (as ``GoodModelsRoute`` does before grading).
    init(validated reference: Route020Reference, rubric: Rubric, audience: Audience, belayVersion: String) {
        self.reference = reference
        self.rubric = rubric
        self.audience = audience
        self.belayVersion = belayVersion
    }

    /// Where the route's default rubric ships (inside Belay's resources, `rubrics/020-good-models-from-bad-labels`).
    public static func defaultRubricURL() throws -> URL {
        try ResourceLocator.shippedRubric(
            routeID: id, target: "Route020", environmentKey: "BELAY_RUBRIC_020",
            sourceDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent())
    }

    /// The route-wide rubric params: the seed and test fraction of Belay's own run (`belay reference`). Grading
    /// never uses them: every student's split and seed are their own.
    public static let routeParameters: [ParameterRule] = [
        ParameterRule("seed", .wholeNumber(0...9_007_199_254_740_992)),
        ParameterRule("test_fraction", .number(0.1...0.5)),
    ]

    /// The check params, by name.
    public static let checkParameters: [ParameterRule] = [
        ParameterRule("z", .number(0...10)),
        ParameterRule("min_test", .wholeNumber(1...1_000_000)),
        ParameterRule("min_test_share", .number(0...1)),
        ParameterRule("max_test_share", .number(0...1)),
        ParameterRule("min_groups", .wholeNumber(0...1000)),
        ParameterRule("max_overlap", .number(0...1)),
    ]

    public var routeID: String { rubric.route }
    public var routeTitle: String { rubric.title }

    /// Runs the rubric's checks on an already-loaded submission.
    public func grade(_ submission: Route020Submission) async -> GradeReport {
        let context = Route020Context(reference: reference, submission: submission)
        let properties: [Property] = [
            Property("belay.version", belayVersion),
            Property("route", rubric.route),
            Property("submission.kind", submission.kind),
            Property("submission.sha256", submission.sha256),
            Property("rubric.sha256", rubric.sha256),
            Property("data.name", reference.dataset.name),
            Property("data.sha256", reference.dataset.sha256),
            Property("labels.source", reference.labelReference.source.phrase),
        ]
        return await Route020Checks.engine.run(
            rubric: context.words.wording(rubric), context: context, audience: audience, submissionName: submission.name,
            properties: properties)
    }
}
