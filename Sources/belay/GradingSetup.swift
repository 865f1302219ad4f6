import BelayData
import BelayGrading
import Foundation
import Route019

/// What `check` and `grade` share: the rubric, the reference run and the grader.
struct GradingSetup {
    let rubric: Rubric
    let reference: Route019Reference

    static func make(dataOptions: DataOptions, rubricPath: String?) throws -> GradingSetup {
        let rubric: Rubric
        let seed: UInt64
        let fraction: Double
        do {
            let url = try rubricPath.map { URL(fileURLWithPath: $0) } ?? Route019Grader.defaultRubricURL()
            rubric = try Rubric.load(contentsOf: url)
            try Route019Checks.engine.validate(rubric)
            try rubric.validateParameters(route: Route019Grader.routeParameters, checks: Route019Grader.checkParameters)
            // In range now (validated above): a whole seed >= 0, a fraction strictly between 0 and 1.
            seed = rubric.params["seed"] == nil ? 42 : UInt64(try rubric.int("seed"))
            fraction = rubric.params["test_fraction"] == nil ? 0.2 : try rubric.number("test_fraction")
        } catch {
            printError("invalid rubric: \(error)")
            throw Exit.usage
        }
        let dataset = try dataOptions.load()
        let options = ReferenceOptions(threshold: nil, testFraction: fraction, seed: seed)
        return GradingSetup(rubric: rubric, reference: try makeReference(dataset, options: options))
    }

    func grader(audience: Audience, grading: GradingOptions? = nil, notebookRun: NotebookRunOptions = .init()) -> Route019Grader {
        var grader = Route019Grader(
            reference: reference, rubric: rubric, audience: audience, belayVersion: belayVersion,
            swiftModules: SwiftRoute.grading())
        if let grading, !grading.noRunNotebooks {
            var options = notebookRun
            options.python = grading.python
            grader.notebookRun = options
        }
        return grader
    }
}
