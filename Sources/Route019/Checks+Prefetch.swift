import BelayFormats
import BelayGrading
import Dispatch

/// The reruns (and homology audits) of a submission's slowest checks, computed on other threads while the checks
/// before them run.
///
/// A submission's checks run one after another on the submission's own thread (the batch's `ThreadExecutor`, so
/// that one submission cannot hold the shared pool). The reruns behind `ex1.leakage.*` and `ex3.accuracy.*_rerun`
/// are most of a first grading's work, and each uses both cores only part of the time. Started here, the split
/// checks' reruns are fitted while Exercise 1's checks run, and Exercise 1's while the clustering checks run.
///
/// Nothing changes in what a check is given: each rerun is fitted once, by whoever asks first, and whoever asks
/// next waits for it (``RerunCache``); the split checks' reruns are fetched one tier only (``RerunModel/tiers``),
/// the tier every one of them fits, and a check still gets exactly the tiers its question needs.
final class RerunPrefetch: Sendable {
    private let group = DispatchGroup()

    /// Starts fitting, for the checks of `rubric` that run for `audience`, the reruns they will ask for: the split
    /// checks' first, as they run last. Nothing is started when the reference does not share reruns (nothing fetched
    /// would be found again).
    init(_ context: Route019Context, rubric: Rubric, audience: Audience) {
        let work = Self.fetches(context, rubric: rubric, audience: audience, splitChecks: true)
        // Each on its own: they are independent (a rerun's models are themselves fitted in parallel), and one after
        // another they took longer than the checks before them.
        for fetch in work { DispatchQueue.global(qos: .userInitiated).async(group: group, execute: fetch) }
    }

    /// Returns once everything started has been fitted (so no work outlives the grade).
    func finished() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { done.resume() }
        }
    }

    /// Fits, before the first student, the reruns Exercise 1's checks ask of a submission whose files are the
    /// reference's own (``Route019Reference/submissionFiles()``): the course's answer, so every correct submission's
    /// features, labels and encoding in the sheet's order, and the course's test fraction. Exercise 1's reruns are
    /// on Belay's own seeds, so such a submission asks for exactly these, and finds them fitted (and kept, with a
    /// ``ResultStore``). Exercise 3's reruns are on the student's own splits, which are not the reference's: they are
    /// not prepared. Nothing is done when the reference does not share reruns.
    static func prepare(_ reference: Route019Reference, rubric: Rubric, audience: Audience) {
        guard reference.reuse.sharing else { return }
        let own = Route019Context(reference: reference, submission: .ownAnswer(of: reference))
        for fetch in fetches(own, rubric: rubric, audience: audience, splitChecks: false) { fetch() }
    }

    /// What to fit early for the checks of `rubric` that run for `audience`, in order; the split checks' only with
    /// `splitChecks`.
    static func fetches(_ context: Route019Context, rubric: Rubric, audience: Audience, splitChecks: Bool)
        -> [@Sendable () -> Void]
    {
        let reference = context.reference
        let runs = Set(rubric.checks.filter { audience == .instructor || $0.visibility != .hidden }.map(\.id))
        let spec = { (id: String) in rubric.checks.first { $0.id == id } }
        guard reference.reuse.sharing else { return [] }
        var work: [@Sendable () -> Void] = []
        // The homology audits of both splits (ex3.clustered_split.no_shared_clusters, ex3.random_split.shares_clusters):
        // studentSplits keeps only proteins with an embedding, as `audit` needs. The threshold only sets the counts.
        if splitChecks, !runs.isDisjoint(with: ["ex3.clustered_split.no_shared_clusters", "ex3.random_split.shares_clusters"]),
           let splits = Route019Checks.studentSplits(context), !splits.ids.isEmpty {
            for isTest in [splits.clusteredIsTest, splits.randomIsTest] {
                work.append { _ = reference.audit(ids: splits.ids, isTest: isTest, threshold: reference.threshold) }
            }
        }
        for (id, metricName, clustered) in [
            ("ex3.accuracy.clustered_rerun", "clustered_split_accuracy", true),
            ("ex3.accuracy.random_rerun", "random_split_accuracy", false),
        ] where splitChecks && runs.contains(id) {
            // As `Route019Checks.rerunCheck` asks, when it gets as far as asking.
            guard let splits = Route019Checks.studentSplits(context),
                  case .success(let reported) = Route019Checks.metric(context, metricName), (0...1).contains(reported)
            else { continue }
            let (ids, isTest) = Route019Checks.rerunSplit(splits, reference: reference, clustered: clustered)
            let tests = isTest.count { $0 }
            guard tests > 0, tests < ids.count else { continue }
            work.append { _ = reference.rerun(ids: ids, isTest: isTest) { _ in true } }
        }
        if runs.contains("ex1.leakage.confirmed") {
            work.append { _ = Route019Checks.leakageRetrain(context) }
        }
        if runs.contains("ex1.leakage.reported"), let spec = spec("ex1.leakage.reported"),
           let splitCount = try? spec.int("baseline_splits", default: 3), splitCount >= 1,
           case .success(let reported) = Route019Checks.metric(context, "leakage_accuracy"), (0...1).contains(reported) {
            work.append { _ = Route019Checks.leakageBaseline(context, splits: splitCount) }
        }
        return work
    }
}

extension Route019Submission {
    /// The reference's own answer (``Route019Reference/submissionFiles()``) as a CSV submission, read as a student's
    /// files are.
    static func ownAnswer(of reference: Route019Reference) -> Route019Submission {
        let files = Dictionary(reference.submissionFiles().map { ($0.name, $0.contents) }, uniquingKeysWith: { a, _ in a })
        func table(_ name: String) -> Artefact<CSVTable> {
            guard let text = files[name] else { return .absent(Problem(location: name, message: "is missing")) }
            do {
                return .present(try CSVTable.parse(text, fileName: name))
            } catch {
                return .invalid(Problem(location: name, message: "is not readable: \(error)"))
            }
        }
        return fromTables(name: "reference", directory: nil, table)
    }
}
