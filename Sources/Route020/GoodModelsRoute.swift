// Route 020 as the plug-in `belay` is given through its registry (`Sources/belay/Routes.swift`).

public import BelayData
public import BelayGrading
public import BelayRoute
public import Foundation

/// Route 020, "Good Models from Bad Labels".
///
/// Params: the rubric's `seed` and `test_fraction` shape Belay's own run (`belay reference`), which `--param` may
/// override, with `features` (`embeddings`, the default, or `hand-made`).
public struct GoodModelsRoute: Route {
    /// The route.
    public init() {}

    public var id: String { Route020Grader.id }
    public var title: String { "Good Models from Bad Labels" }

    /// A file of the route's CSV contract.
    public func recognizes(fileNames: Set<String>) -> Bool {
        let contract: Set<String> = ["split.csv", "noisy_labels.csv", "curve.csv", "setup.csv"]
        return !fileNames.isDisjoint(with: contract)
    }

    public func defaultRubricURL() throws -> URL { try Route020Grader.defaultRubricURL() }

    public var rubricParameters: [ParameterRule] {
        // Route020Grader.routeParameters, with the help `belay reference --help` prints.
        [
            ParameterRule(
                "seed", .wholeNumber(0...9_007_199_254_740_992),
                help: "seed of the split and the label noise of `belay reference`'s run (default 42); students use their own"),
            ParameterRule(
                "test_fraction", .number(0.1...0.5),
                help: "share of proteins in the test set of `belay reference`'s run (default 0.2)"),
        ]
    }
    public var checkParameters: [ParameterRule] { Route020Grader.checkParameters }
    public var referenceParameters: [ParameterRule] {
        [ParameterRule("features", .string, help: "the features of `belay reference`'s run: 'embeddings' (default) or 'hand-made'")]
    }

    public func validateChecks(_ rubric: Rubric) throws { try Route020Checks.engine.validate(rubric) }

    public func reference(_ parameters: RouteParameters, dataset: CourseDataset) throws -> any RouteReference {
        let reference = Route020Reference(dataset: dataset)
        if let problem = reference.integrityProblem {
            throw ReferenceError(path: dataset.sheetPath, problem: problem)
        }
        let word = try parameters.string("features", default: FeatureSet.embeddings.rawValue)
        guard let features = FeatureSet.named(word) else {
            throw RubricError(file: "--param", line: 0, message: "param 'features' must be 'embeddings' or 'hand-made', not '\(word)'")
        }
        return GoodModelsReference(
            reference: reference, rubric: parameters.rubric, seed: UInt64(try parameters.int("seed", default: 42)),
            testFraction: try parameters.number("test_fraction", default: 0.2), features: features)
    }
}

/// Route 020's reference for one rubric and dataset.
struct GoodModelsReference: RouteReference {
    let reference: Route020Reference
    let rubric: Rubric
    let seed: UInt64
    let testFraction: Double
    let features: FeatureSet

    var summary: String { reference.dataset.summary }
    var dataSHA256: String { reference.dataset.sha256 }

    func grader(_ options: GraderOptions) -> any SubmissionGrader {
        reference.keep(in: options.resultStore)
        // The rubric passed the route's validation and the reference its integrity check in `reference(_:dataset:)`.
        return Route020Grader(
            validated: reference, rubric: rubric, audience: options.audience, belayVersion: options.belayVersion)
    }

    func writeSubmission(to directory: URL) throws -> String {
        let run = reference.referenceRun(seed: seed, testFraction: testFraction, features: features)
        let files = try reference.writeSubmission(run, to: directory)
        return reference.curveTable(run) + "\n\nWrote \(files.joined(separator: ", ")) to \(directory.relativePath) "
            + "(the reflection is the student's own)"
    }
}

extension Route020Grader {
    /// The protocol's grading entry: the pipeline hands over the submission's hash, which the report records.
    public func grade(submissionAt directory: URL, name: String, sha256: String) async -> GradeReport {
        if Route020SwiftTrack.isSwiftPackage(directory) {  // the Swift track (Route020SwiftTrack.swift)
            return await gradeSwiftPackage(at: directory, name: name, sha256: sha256)
        }
        var submission = Route020Submission.load(directory: directory, name: name)
        submission.sha256 = sha256  // the pipeline's one hash (SubmissionHash), as every route records it
        return await grade(submission)
    }
}
