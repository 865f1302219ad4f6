public import BelayData
public import BelayGrading
public import Foundation

/// One route of the course, as the engine and the command line see it: a value that `belay` is given through its
/// registry (`Sources/belay/Routes.swift`, one line per route). The command line, the batch and the reports never
/// name a route; everything route-specific sits behind this protocol and ``RouteReference``.
///
/// The life of a route in one `belay` run:
/// 1. ``RouteRegistry/resolve(id:rubric:)`` picks it (`--route`, else the rubric's `route:` key, else the only one);
/// 2. ``loadRubric(at:)`` reads the rubric (the route's own ``defaultRubricURL()`` unless `--rubric` names one) and
///    ``validate(_:)`` checks it: every check implemented, every param of a known name, type and range, with the
///    file, line and a "did you mean" in each ``RubricError``;
/// 3. ``reference(_:dataset:)`` builds the reference from the rubric's params (and, for
///    `belay reference`, the command line's `--param key=value` overrides) on the course dataset, or throws a
///    ``ReferenceError`` when the data cannot serve as one: Belay never grades against a wrong reference;
/// 4. the reference prints its ``RouteReference/summary``, then either hands out a ``SubmissionGrader`` per
///    audience (``RouteReference/grader(_:)``, used by `check` and `grade`) or writes a complete, correct
///    submission (``RouteReference/writeSubmission(to:)``, used by `belay reference`).
///
/// A route ships as its own module (`Sources/Route0xx`) with its rubric as a resource; it imports `BelayRoute`,
/// `BelayGrading` (rubric, ``Engine``, verdicts), `BelayData`, `BelayLab` and `BelayFormats`, never `BelayBatch`
/// or the command line.
public protocol Route: Sendable {
    /// Stable id; a rubric names its route with the same string (`route: 019-leaky-pipeline`).
    var id: String { get }
    /// Human title, e.g. "The Leaky Pipeline".
    var title: String { get }
    /// Whether a submission whose files have these names (lower-cased, from ``SubmissionFiles/names(in:)``) is
    /// this route's: how `check` and `grade` choose a route when neither `--route` nor a rubric names one.
    /// Recognize the contract's own file names, so that no other route's submission is taken for yours.
    func recognizes(fileNames: Set<String>) -> Bool

    /// Whether the unpacked submission in `directory`, whose file names are `fileNames`, is this route's. By default
    /// its file names decide (``recognizes(fileNames:)``); a route whose submissions share their file names with
    /// another route's (every Swift package has a `Package.swift`) looks inside, e.g. for the type conforming to
    /// its exercise protocol.
    func recognizes(submissionAt directory: URL, fileNames: Set<String>) -> Bool

    /// The rubric Belay ships for this route (a resource of the route's module, found with
    /// ``BelayData/ResourceLocator``). Throws when it is missing from the build.
    func defaultRubricURL() throws -> URL

    /// The route-wide params a rubric's `params:` may set, with their types and ranges (e.g. `seed`,
    /// `test_fraction`). Any other key in the rubric's `params:` is an error.
    var rubricParameters: [ParameterRule] { get }
    /// Check params by name: a check's `params:` entry with one of these names must fit the rule (the same name
    /// means the same thing in every check). Check params without a rule are left to their check.
    var checkParameters: [ParameterRule] { get }
    /// Params that `belay reference --param key=value` may set besides ``rubricParameters``, e.g. `threshold`,
    /// `repeats`: they shape the reference run, not the grading. Default: none.
    var referenceParameters: [ParameterRule] { get }

    /// Throws a ``RubricError`` (with the check's line) unless every check of `rubric` has an implementation in
    /// this route. Typically `try Route0xxChecks.engine.validate(rubric)`.
    func validateChecks(_ rubric: Rubric) throws

    /// Builds the reference for a rubric on `dataset`.
    ///
    /// - Parameters:
    ///   - parameters: the rubric (one that passed ``validate(_:)``) and the command line's overrides
    ///     (`belay reference --param`, already checked against ``rubricParameters`` + ``referenceParameters``;
    ///     they win over the rubric's, and are empty for `check`/`grade`). Read values with
    ///     `parameters.number("seed", default: 42)` and friends.
    ///   - dataset: the course's data (the embedded H37Rv set, or `--data`).
    /// - Throws: ``ReferenceError`` when the data cannot serve as a reference (labels that do not line up, a
    ///   column that contradicts itself, too few proteins); ``RubricError`` for a param the route cannot use.
    func reference(_ parameters: RouteParameters, dataset: CourseDataset) throws -> any RouteReference

    /// What `belay data info` prints about `dataset` for this route (e.g. cluster statistics at several
    /// thresholds), with the route's default rubric and the command line's overrides. Default: the dataset's
    /// own summary.
    func describe(_ dataset: CourseDataset, parameters: RouteParameters) throws -> String
}

extension Route {
    /// No reference-only params.
    public var referenceParameters: [ParameterRule] { [] }

    /// Recognizes nothing: the route is chosen only by `--route`, a rubric, or as the default.
    public func recognizes(fileNames: Set<String>) -> Bool { false }

    /// The file names decide: ``recognizes(fileNames:)``.
    public func recognizes(submissionAt directory: URL, fileNames: Set<String>) -> Bool {
        recognizes(fileNames: fileNames)
    }

    /// The dataset's summary.
    public func describe(_ dataset: CourseDataset, parameters: RouteParameters) throws -> String { dataset.summary }

    /// Checks `rubric` for this route: it names this route, every check is implemented (``validateChecks(_:)``),
    /// and every param fits ``rubricParameters`` / ``checkParameters``.
    /// - Throws: ``RubricError`` with file, line and, for a misspelt param, a "did you mean".
    public func validate(_ rubric: Rubric) throws {
        guard rubric.route == id else {
            throw RubricError(
                file: rubric.fileName, line: 0,
                message: "the rubric is for route '\(rubric.route)', not '\(id)' (use --route \(rubric.route), or a rubric of this route)")
        }
        try validateChecks(rubric)
        try rubric.validateParameters(route: rubricParameters, checks: checkParameters)
    }

    /// Reads the rubric at `url` (the route's default when nil) and validates it (``validate(_:)``).
    /// - Throws: ``RubricError``.
    public func loadRubric(at url: URL?) throws -> Rubric {
        let rubric = try Rubric.load(contentsOf: url ?? defaultRubricURL())
        try validate(rubric)
        return rubric
    }

    /// Parses `--param key=value` arguments into overrides and checks them against ``rubricParameters`` +
    /// ``referenceParameters``.
    /// - Throws: ``RubricError`` naming `source` (e.g. `--param`) and the key, with a "did you mean".
    public func parseOverrides(_ arguments: [String], source: String = "--param") throws -> [String: RubricValue] {
        var overrides: [String: RubricValue] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw RubricError(file: source, line: 0, message: "'\(argument)' is not key=value")
            }
            let key = String(argument[..<equals])
            overrides[key] = RubricValue(commandLine: String(argument[argument.index(after: equals)...]))
        }
        try ParameterRule.validate(overrides, against: rubricParameters + referenceParameters, source: source)
        return overrides
    }
}

/// A rubric's route-wide params with the command line's overrides on top: what a route's reference is built from.
public struct RouteParameters: Sendable {
    /// The rubric (its own params unchanged).
    public let rubric: Rubric
    /// Values from `--param key=value` (and legacy flags such as `--threshold`), already validated.
    public let overrides: [String: RubricValue]
    private let merged: Rubric

    /// The rubric's params with `overrides` on top.
    public init(rubric: Rubric, overrides: [String: RubricValue] = [:]) {
        self.rubric = rubric
        self.overrides = overrides
        var merged = rubric
        merged.params.merge(overrides) { _, override in override }
        self.merged = merged
    }

    /// The value of `key`, if the command line or the rubric gives one.
    public func value(_ key: String) -> RubricValue? { merged.params[key] }
    /// A number, or `defaultValue` when absent.
    public func number(_ key: String, default defaultValue: Double) throws -> Double {
        value(key) == nil ? defaultValue : try merged.number(key)
    }
    /// A whole number, or `defaultValue` when absent.
    public func int(_ key: String, default defaultValue: Int) throws -> Int {
        value(key) == nil ? defaultValue : try merged.int(key)
    }
    /// A string, or `defaultValue` when absent.
    public func string(_ key: String, default defaultValue: String) throws -> String {
        value(key) == nil ? defaultValue : try merged.string(key)
    }
    /// A Boolean, or `defaultValue` when absent.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        value(key) == nil ? defaultValue : try merged.bool(key)
    }
    /// A list of numbers (a single number is a one-element list), or `defaultValue` when absent.
    public func numbers(_ key: String, default defaultValue: [Double]) throws -> [Double] {
        value(key) == nil ? defaultValue : try merged.numbers(key)
    }
}

/// A route's reference for one rubric and dataset, computed once per `belay` run and shared by every submission.
public protocol RouteReference: Sendable {
    /// The lines `check` and `grade` print before grading, so a misread dataset shows before anyone is graded
    /// against it (typically the dataset's ``BelayData/CourseDataset/summary``).
    var summary: String { get }
    /// SHA-256 of the data the reference was built from; reports carry it as `belay.data.sha256`, next to the
    /// rubric's own `belay.rubric.sha256`.
    var dataSHA256: String { get }

    /// A grader for one audience (student self-check or instructor grading) and run options.
    func grader(_ options: GraderOptions) -> any SubmissionGrader

    /// Writes a complete, correct submission into `directory` (created if needed): every file the exercise asks
    /// for, as the reference computes it, so that `belay check directory` passes every data check.
    /// - Returns: what `belay reference` prints (the reference's figures and the files written).
    func writeSubmission(to directory: URL) throws -> String
}

/// How a grader runs: for whom, and how untrusted work (notebooks) is done.
public struct GraderOptions: Sendable {
    /// Student (visible checks only) or instructor (every check).
    public var audience: Audience
    /// Belay's version, recorded in every report.
    public var belayVersion: String
    /// How handed-in notebooks are run; nil grades notebooks from the outputs saved in them.
    public var notebookRun: NotebookRunOptions?
    /// Whether reports carry figures of the student's work (``GradeReport/figures``, drawn by the HTML report);
    /// off when no report that draws them is written, since they cost a pass over the student's data.
    public var drawsFigures: Bool
    /// Where results that are the same numbers every time (reruns of a student's split) are kept between runs;
    /// nil computes everything afresh. A stored result never changes a grade, only how long it takes.
    public var resultStore: ResultStore?

    /// Creates options.
    public init(audience: Audience, belayVersion: String, notebookRun: NotebookRunOptions? = nil, drawsFigures: Bool = true,
                resultStore: ResultStore? = nil) {
        self.audience = audience
        self.belayVersion = belayVersion
        self.notebookRun = notebookRun
        self.drawsFigures = drawsFigures
        self.resultStore = resultStore
    }
}

/// How a handed-in notebook is run in the sandbox (routes that accept notebooks read it from ``GraderOptions``).
public struct NotebookRunOptions: Sendable {
    /// The interpreter (path or command name); nil for `python3` on `PATH`.
    public var python: String?
    /// Seconds one cell may run before it is interrupted.
    public var cellSeconds: Double = 120
    /// Seconds the whole notebook may run, kernel start-up included.
    public var notebookSeconds: Double = 600
    /// Where each student's executed notebook and the files found in it are kept (`<folder>/<name>/notebook/`);
    /// nil to discard them after grading.
    public var keepIn: URL?

    /// Creates options.
    public init(python: String? = nil, cellSeconds: Double = 120, notebookSeconds: Double = 600, keepIn: URL? = nil) {
        self.python = python
        self.cellSeconds = cellSeconds
        self.notebookSeconds = notebookSeconds
        self.keepIn = keepIn
    }
}

/// The data cannot serve as a reference, so nothing is graded: "never grade against a wrong reference".
///
/// Prints as `cannot use data/mtb.xlsx as a reference: 40 of 1200 rows have a location outside ...`.
public struct ReferenceError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file or folder that cannot serve (e.g. the dataset's sheet).
    public var path: String
    /// What is wrong with it, and how to fix it when known.
    public var problem: String

    /// Creates an error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `cannot use PATH as a reference: PROBLEM`.
    public var description: String { "cannot use \(path) as a reference: \(problem)" }
}
