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
        do {
            let url = try rubricPath.map { URL(fileURLWithPath: $0) } ?? Route019Grader.defaultRubricURL()
            rubric = try Rubric.load(contentsOf: url)
            try Route019Checks.engine.validate(rubric)
        } catch {
            printError("invalid rubric: \(error)")
            throw Exit.usage
        }
        let dataset = try dataOptions.load()
        let seed = rubric.params["seed"]?.numberValue
        let fraction = rubric.params["test_fraction"]?.numberValue
        let options = ReferenceOptions(
            threshold: nil, testFraction: fraction ?? 0.2, seed: UInt64(max(0, (seed ?? 42).rounded())))
        return GradingSetup(rubric: rubric, reference: try makeReference(dataset, options: options))
    }

    func grader(audience: Audience) -> Route019Grader {
        Route019Grader(
            reference: reference, rubric: rubric, audience: audience, belayVersion: belayVersion,
            swiftModules: SwiftRoute.grading())
    }
}
