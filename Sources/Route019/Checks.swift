import Foundation
import BelayFormats
import BelayGrading
import BelayRoute

/// What every Route 019 check sees: the reference (computed once per batch) and one student's submission.
///
/// Checks never see other students' submissions, and nothing here runs student code.
public struct Route019Context: Sendable {
    public let reference: Route019Reference
    public let submission: Route019Submission
    /// The words for the submission's artefacts (file names, or a Swift module's functions).
    public let names: Vocabulary
    /// What several checks (and the prefetch) read from the submission, derived once per grading.
    let derived = Derived()

    public init(reference: Route019Reference, submission: Route019Submission) {
        self.reference = reference
        self.submission = submission
        self.names = Vocabulary.of(kind: submission.kind)
    }

    /// Values derived from one submission, each computed by the first check that asks (under its lock, so a check
    /// and the prefetch asking at once compute it once).
    final class Derived: Sendable {
        let splits = OnceValue<StudentSplits?>()
        let featureRows = OnceValue<(values: [Double], labels: [String])>()
    }
}

/// The Route 019 checks, by rubric id. The rubric (`rubrics/019-leaky-pipeline/rubric.yaml`) says which run,
/// in what order, for how many points, with which tolerances.
public enum Route019Checks {
    /// Every check implementation, keyed by its stable id.
    public static let all: [String: CheckImplementation<Route019Context>] = {
        var checks: [String: CheckImplementation<Route019Context>] = [:]
        for (id, check) in exercise0 { checks[id] = check }
        for (id, check) in exercise1 { checks[id] = check }
        for (id, check) in exercise3 { checks[id] = check }
        for (id, check) in notebook { checks[id] = check }
        for (id, check) in exercise4 { checks[id] = check }
        for (id, check) in swiftModule { checks[id] = check }
        return checks
    }()

    /// The engine for Route 019.
    public static var engine: Engine<Route019Context> { Engine(checks: all) }
}

// MARK: - Helpers shared by the checks

extension Route019Checks {
    /// "a, b, c and 4 more".
    static func listSome(_ items: [String], limit: Int = 5) -> String { ReportText.listSome(items, limit: limit) }

    /// "3 rows", "1 row".
    static func plural(_ n: Int, _ word: String) -> String { ReportText.plural(n, word) }

    /// A share as "97.3%".
    static func percent(_ x: Double) -> String { ReportText.percent(x) }

    /// A figure with three decimals.
    static func fixed3(_ x: Double) -> String { ReportText.fixed3(x) }

    /// The verdict for a missing or unusable artefact.
    static func unusable(_ problem: Problem, hint: String? = nil) -> Verdict {
        .fail("\(problem.location) \(problem.message)", details: problem.description, hint: problem.fix ?? hint)
    }

    /// The student's number for metric `name`, or the failing verdict to return.
    static func metric(_ context: Route019Context, _ name: String) -> Result<Double, ProblemError> {
        guard let metrics = context.submission.metrics.value else {
            return .failure(
                ProblemError(
                    context.submission.metrics.problem
                        ?? Problem(location: context.names.metrics, message: "is missing")))
        }
        return metrics.number(name, file: context.names.metrics)
    }

    /// The student's similarity threshold as a Float, if metrics.csv gives a usable one.
    static func studentThreshold(_ context: Route019Context) -> Float? {
        guard case .success(let t) = metric(context, "similarity_threshold"), t > -1, t < 1 else { return nil }
        return Float(t)
    }

    /// A class name as written by a student, reduced to the route's three classes where it clearly means one.
    ///
    /// `Cytoplasm`, `cytoplasmic`, `cytosol` → cytoplasm; `Membrane`, `membrane-bound` → membrane;
    /// `Secreted`, `extracellular` → secreted. Anything else is kept (lower-cased) and will disagree.
    static func normalizedLabel(_ raw: String) -> String {
        let l = raw.trimmingWhitespaceAndNewlines.lowercased()
        if l.hasPrefix("cyto") { return "cytoplasm" }
        if l.hasPrefix("membr") || l == "cell membrane" || l == "plasma membrane" { return "membrane" }
        if l.hasPrefix("secret") || l.hasPrefix("extracell") { return "secreted" }
        return l
    }
}
