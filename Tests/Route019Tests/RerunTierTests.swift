import BelayData
import BelayFormats
import BelayGrading
import BelayLab
import BelayRoute
import BelayTestSupport
import Foundation
@testable import Route019
import Synchronization
import Testing

/// Reruns fitted tier by tier (``RerunModel/tiers``): a check stops at the first tier that decides its verdict, and
/// what it is given depends only on its question, never on what other checks or students had fitted before.
@Suite("Reruns fitted tier by tier", .serialized, .timeLimit(.minutes(45)))
struct RerunTierTests {
    let key = RerunKey.features(values: [1, 2, 3, 4], columns: 1, labels: [0, 1, 0, 1], classCount: 2, isTest: [false, true, false, true])

    /// A fake fit: every model asked for at `accuracy`, and a record of what was asked.
    final class Fits: Sendable {
        let asked = Mutex<[[RerunModel]]>([])
        let accuracy: @Sendable (RerunModel) -> Double
        init(_ accuracy: @escaping @Sendable (RerunModel) -> Double) { self.accuracy = accuracy }
        func compute(_ models: [RerunModel]) -> Rerun {
            asked.withLock { $0.append(models) }
            return Rerun(accuracies: models.map { RerunAccuracy(model: $0, accuracy: accuracy($0)) }, trainCount: 2, testCount: 2)
        }
        var calls: [[RerunModel]] { asked.withLock { $0 } }
    }

    @Test func everyModelIsInExactlyOneTier_andTheCoursesModelIsLast() {
        let listed = RerunModel.tiers.flatMap { $0 }
        #expect(listed.count == RerunModel.allCases.count && Set(listed) == Set(RerunModel.allCases))
        #expect(RerunModel.tiers.last?.contains(.standardizedLogistic) == true)
    }

    @Test func aDecidedFirstTierFitsNothingMore_andTheAnswerDoesNotDependOnWhatIsHeld() {
        let cache = RerunCache()
        let fits = Fits { $0 == .logistic ? 0.7 : 0.5 }
        let quick = cache.rerun(key, inputs: { [] }, until: { $0.best.accuracy >= 0.6 }, fits.compute)
        #expect(fits.calls == [[.logistic, .majority]])
        #expect(quick.skipped == [.standardizedLogistic, .nearestNeighbors])
        #expect(quick.accuracies.map(\.model) == [.logistic, .majority])
        // Undecided after the first tier: only the second is fitted now.
        let all = cache.rerun(key, inputs: { [] }, until: { _ in false }, fits.compute)
        #expect(fits.calls.last == [.standardizedLogistic, .nearestNeighbors] && fits.calls.count == 2)
        #expect(all.accuracies.map(\.model) == RerunModel.allCases && all.skipped.isEmpty)
        // Everything is held now; the quick question still gets the first tier only, so a report is the same
        // whichever student was graded first.
        #expect(cache.rerun(key, inputs: { [] }, until: { $0.best.accuracy >= 0.6 }, fits.compute) == quick)
        #expect(cache.rerun(key, inputs: { [] }, fits.compute) == all)
        #expect(fits.calls.count == 2)
    }

    @Test func everyModelAtOnce_fitsTheMissingTiersTogether() {
        let cache = RerunCache()
        let fits = Fits { _ in 0.5 }
        _ = cache.rerun(key, inputs: { [] }, fits.compute)
        #expect(fits.calls == [RerunModel.allCases])
        let other = RerunCache()
        _ = other.rerun(key, inputs: { [] }, until: { _ in true }, fits.compute)
        _ = other.rerun(key, inputs: { [] }, fits.compute)
        #expect(fits.calls.suffix(2) == [[.logistic, .majority], [.standardizedLogistic, .nearestNeighbors]])
    }

    @Test func eachTierIsKeptOnItsOwn_andTheNextRunFitsOnlyWhatIsMissing() throws {
        let folder = try TemporaryDirectory(prefix: "belay-rerun-tiers")
        defer { folder.cleanup() }
        let store = ResultStore(directory: folder.url, build: "test")
        let fits = Fits { _ in 0.5 }
        _ = RerunCache().rerun(key, kept: store, inputs: { [Data("warm off".utf8)] }, until: { _ in true }, fits.compute)
        #expect(fits.calls.count == 1)
        let next = RerunCache()
        let all = next.rerun(key, kept: store, inputs: { [Data("warm off".utf8)] }, fits.compute)
        #expect(fits.calls.last == [.standardizedLogistic, .nearestNeighbors] && fits.calls.count == 2, "the first tier is read back")
        #expect(all.accuracies.count == RerunModel.allCases.count)
        _ = RerunCache().rerun(key, kept: store, inputs: { [Data("warm off".utf8)] }, fits.compute)
        #expect(fits.calls.count == 2, "both tiers are kept")
        let tier = Rerun(accuracies: [RerunAccuracy(model: .standardizedLogistic, accuracy: 0.25)], trainCount: 3, testCount: 1)
        #expect(Rerun(stored: tier.stored, models: [.standardizedLogistic]) == tier)
        #expect(Rerun(stored: tier.stored) == nil, "an entry of one tier is not a rerun of every model")
        #expect(Rerun(stored: tier.stored, models: [.logistic]) == nil)
    }

    @Test func fittingSomeModels_givesThoseModelsAccuraciesOfAFullRerun() {
        let reference = sharedReference
        let values = Route019Reference.featureMatrix(reference.features, leakedCodes: nil)
        let n = reference.codes.count, k = reference.encoder.classes.count
        let isTest = randomSplit(count: n, testFraction: 0.2, seed: 11)
        let full = rerunModels(features: values, rows: n, columns: 21, labels: reference.codes, classCount: k, isTest: isTest)
        for tier in RerunModel.tiers {
            let part = rerunModels(features: values, rows: n, columns: 21, labels: reference.codes, classCount: k, isTest: isTest, models: tier)
            #expect(part.accuracies == full.accuracies.filter { tier.contains($0.model) })
            #expect(part.testCount == full.testCount && part.trainCount == full.trainCount)
        }
    }

    /// End to end on the real data: the solution's figures are within the quick tier's bounds, so the course's model
    /// is not fitted and the report says so; a figure above the quick tier's bound but within the course model's has
    /// every model fitted, and passes as before.
    @Test func theRerunCheckFitsTheCoursesModelOnlyWhenItCouldDecide() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let quick = try #require(await grade(folder).result("ex3.accuracy.random_rerun"))
        #expect(quick.outcome == .passed)
        #expect(quick.details.contains("Not fitted: logistic regression, standardized"), "\(quick.details)")

        // Where the course's model is the best on this split, a figure between the two bounds needs it.
        let splits = try CSVTable.parse(try folder.read("splits.csv"), fileName: "splits.csv")
        let ids = splits.rows.map { $0[0] }
        let isTest = splits.rows.map { $0[1] == "test" }
        let all = sharedReference.rerun(ids: ids, isTest: isTest)
        let quickBest = all.accuracies.filter { RerunModel.tiers[0].contains($0.model) }.map(\.accuracy).max() ?? 0
        let n = all.testCount
        let quickBound = ConfidenceBounds.wilsonUpper(proportion: quickBest, count: n, z: 3)
        let fullBound = ConfidenceBounds.wilsonUpper(proportion: all.best.accuracy, count: n, z: 3)
        try #require(fullBound > quickBound + 0.002, "on the embedded data the course's model leads on its own split: \(all.summary)")
        let between = ((quickBound + fullBound) / 2 * 1000).rounded() / 1000
        try folder.setMetric("random_split_accuracy", String(between))
        let slow = try #require(await grade(folder).result("ex3.accuracy.random_rerun"))
        #expect(slow.outcome == .passed, "\(slow.message)\n\(slow.details)")
        #expect(!slow.details.contains("Not fitted"))
        #expect(slow.details.contains(RerunModel.standardizedLogistic.rawValue))
        // Above every bound: every model fitted, and a fail.
        try folder.setMetric("random_split_accuracy", String(min(1, fullBound + 0.01)))
        let high = try #require(await grade(folder).result("ex3.accuracy.random_rerun"))
        #expect(high.outcome == .failed && !high.details.contains("Not fitted"), "\(high.details)")
    }

    /// The reruns a grading will ask for are started beside its first checks: for an instructor every rerun check's,
    /// for a student only the visible ones'. The reports are the same either way (`RerunReuseTests` grades a class
    /// with reuse, and so with this, and without).
    @Test func gradingFetchesTheRerunsItsChecksWillAskFor() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let submission = Route019Submission.load(directory: folder.url, name: "s")
        for (audience, expected) in [(Audience.student, 3), (.instructor, 6)] {
            let reference = Route019Reference(dataset: sharedReference.dataset)
            let context = Route019Context(reference: reference, submission: submission)
            let prefetch = RerunPrefetch(context, rubric: sharedRubric, audience: audience)
            await prefetch.finished()
            // A student's visible ex1.leakage.reported: its three baseline splits. An instructor's: those, the leaked
            // features' split (the baseline's first split serves the 21 features), and both Exercise 3 splits.
            #expect(reference.rerunCache.count == expected, "\(audience)")
            #expect(reference.auditCache.count == 2, "both splits' homology audits, for either audience")
        }
        // Without sharing nothing fetched could be found again, so nothing is fetched.
        let unshared = Route019Reference(dataset: sharedReference.dataset, reuse: .none)
        await RerunPrefetch(Route019Context(reference: unshared, submission: submission), rubric: sharedRubric, audience: .instructor).finished()
        #expect(unshared.rerunCache.count == 0)
    }

    /// Before the first student, the reruns Exercise 1 asks of the course's answer are fitted: a submission of the
    /// reference's own files (every correct submission's features and encoding) fits nothing more for Exercise 1.
    @Test func theReferencesOwnAnswersExercise1RerunsArePreparedWithTheReference() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let reference = Route019Reference(dataset: sharedReference.dataset)
        RerunPrefetch.prepare(reference, rubric: sharedRubric, audience: .instructor)
        #expect(reference.rerunCache.count == 4, "three baseline splits and the leaked features' split")
        let before = reference.rerunCache.count
        let own = Route019Context(reference: reference, submission: Route019Submission.load(directory: folder.url, name: "s"))
        guard case .retrained = Route019Checks.leakageRetrain(own) else {
            Issue.record("the reference's own answer retrains")
            return
        }
        _ = Route019Checks.leakageBaseline(own, splits: 3)
        #expect(reference.rerunCache.count == before, "the files a student hands in ask for the prepared reruns")
        // A student's audience prepares only what a student's checks ask.
        let forStudent = Route019Reference(dataset: sharedReference.dataset)
        RerunPrefetch.prepare(forStudent, rubric: sharedRubric, audience: .student)
        #expect(forStudent.rerunCache.count == 3)
    }
}
