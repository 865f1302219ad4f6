import BelayData
import BelayGrading
import BelayRoute
import Foundation

/// What `check`, `grade`, `reference` and `bench` share: the route, its rubric and its reference.
struct GradingSetup {
    let route: any Route
    let rubric: Rubric
    /// The course data the reference was built from.
    let dataset: CourseDataset
    let reference: any RouteReference

    /// Resolves the route (`--route`, else the rubric's `route:`, else the only one), loads and validates the
    /// rubric, checks `overrides` (`--param key=value`), loads the dataset and builds the reference. Every problem
    /// of the user's input is a message and exit 64: a bad rubric or param names file, line and a "did you mean";
    /// data that cannot serve as a reference stops here, before anyone is graded against it.
    static func make(
        route selection: RouteSelection = RouteSelection(), dataOptions: DataOptions, rubricPath: String?,
        overrides arguments: [String] = [], submissions: [URL] = []
    ) throws -> GradingSetup {
        let route = try selection.resolve(rubric: rubricPath, submissions: submissions)
        let rubric: Rubric
        let overrides: [String: RubricValue]
        do {
            rubric = try route.loadRubric(at: rubricPath.map { URL(fileURLWithPath: $0) })
        } catch {
            printError("invalid rubric: \(error)")
            throw Exit.usage
        }
        do {
            overrides = try route.parseOverrides(arguments)
        } catch {
            printError("invalid parameter: \(error)")
            throw Exit.usage
        }
        let dataset = try dataOptions.load()
        do {
            let reference = try route.reference(RouteParameters(rubric: rubric, overrides: overrides), dataset: dataset)
            return GradingSetup(route: route, rubric: rubric, dataset: dataset, reference: reference)
        } catch let error as RubricError {
            printError("invalid parameter: \(error)")
            throw Exit.usage
        } catch {
            printError("\(error)")
            throw Exit.usage
        }
    }

    /// The route's grader for `audience`; with `grading`, handed-in notebooks are run (unless --no-run-notebooks)
    /// and reruns are kept in the result store (unless --no-cache); `drawsFigures` off when no report written draws
    /// them; `resultStore`, when given, is used whatever `grading` says.
    func grader(
        audience: Audience, grading: GradingOptions? = nil, notebookRun: NotebookRunOptions = .init(),
        drawsFigures: Bool = true, resultStore: ResultStore? = nil
    ) -> any SubmissionGrader {
        var options = GraderOptions(
            audience: audience, belayVersion: belayVersion, drawsFigures: drawsFigures,
            resultStore: resultStore ?? grading?.resultStore)
        if let grading, !grading.noRunNotebooks {
            var run = notebookRun
            run.python = grading.python
            options.notebookRun = run
        }
        return reference.grader(options)
    }
}
