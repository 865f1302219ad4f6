import BelayData
import BelayGrading
import BelayLab
import BelayReports
import BelayRoute
import BelayTestSupport
import Foundation
@testable import Route019
import Synchronization
import Testing

/// The real data's reference with nothing reused: every rerun fitted from zero, no fit shared (made once).
/// (`sharedReference` reuses what grading reuses: ``RerunReuse/standard``.)
let referenceWithoutReuse: Route019Reference = Route019Reference(dataset: sharedReference.dataset, reuse: .none)

// Reruns reuse what is known (warm starts from the reference's fits, fits shared between identical splits). Neither
// may change a grade: these tests compare against the same reruns made from zero on the real data.
@Suite("Reruns that reuse fits give the same figures and grades", .serialized)
struct RerunReuseTests {
    /// Every model's accuracy as the reports print it.
    func printed(_ rerun: Rerun) -> [String] {
        rerun.accuracies.map { "\($0.model.rawValue): \(Route019Checks.fixed3($0.accuracy))" }
    }

    /// Warm starts land within the solver's tolerance of the cold fit's optimum, which on the real data is within a
    /// test protein or two (not always to the printed precision: why grading does not use them, see `RerunReuse`).
    @Test func warmStartedReruns_landWithinTwoTestProteinsOfColdOnes() {
        #expect(RerunReuse.standard.warmStart == false && RerunReuse.standard.sharing)
        #expect(sharedReference.reuse == .standard)
        let reference = sharedReference
        let models = reference.fittedModels
        let k = reference.encoder.classes.count
        // 21 features and 21 + leaked label, random splits of several seeds and test fractions.
        let base = Route019Reference.featureMatrix(reference.features, leakedCodes: nil)
        let leaked = Route019Reference.featureMatrix(reference.features, leakedCodes: reference.codes)
        let n = reference.codes.count
        for (seed, fraction) in [(UInt64(42), 0.2), (7, 0.25), (2024, 0.3)] {
            let isTest = randomSplit(count: n, testFraction: fraction, seed: seed)
            for (values, columns, warm) in [(base, 21, models.baseline), (leaked, 22, models.leakage)] {
                let cold = rerunModels(features: values, rows: n, columns: columns, labels: reference.codes, classCount: k, isTest: isTest)
                let hot = rerunModels(
                    features: values, rows: n, columns: columns, labels: reference.codes, classCount: k, isTest: isTest,
                    warmStart: warm)
                expectClose(cold, hot, "\(columns) columns, seed \(seed), fraction \(fraction)")
            }
        }
        // The file's embeddings (as students' classifiers see them) on random and clustered splits.
        let rows = reference.alignedIDs.compactMap { reference.datasetRowByID[$0] }
        #expect(rows.count == reference.alignedIDs.count)
        let matrix = reference.dataset.embeddings.subset(rows)
        let values = matrix.values.map(Double.init)
        let labels = reference.alignedCodes
        for seed in [UInt64(42), 3] {
            for isTest in [
                randomSplit(count: matrix.count, testFraction: 0.2, seed: seed),
                clusteredSplit(clusterLabels: reference.clustering.labels, testFraction: 0.2, seed: seed),
            ] {
                let cold = rerunModels(features: values, rows: matrix.count, columns: matrix.dimension, labels: labels, classCount: k, isTest: isTest)
                let hot = rerunModels(
                    features: values, rows: matrix.count, columns: matrix.dimension, labels: labels, classCount: k,
                    isTest: isTest, warmStart: models.randomSplit)
                expectClose(cold, hot, "embeddings, seed \(seed)")
            }
        }
    }

    func expectClose(_ cold: Rerun, _ hot: Rerun, _ what: String) {
        #expect(cold.testCount == hot.testCount)
        for (a, b) in zip(cold.accuracies, hot.accuracies) {
            #expect(abs(a.accuracy - b.accuracy) <= 2.0 / Double(cold.testCount) + 1e-12, "\(what): \(printed(cold)) vs \(printed(hot))")
        }
        // Models that need no optimizer are the same exactly.
        #expect(Array(printed(cold).suffix(2)) == Array(printed(hot).suffix(2)), "\(what)")
    }

    @Test func repeatedSplits_areTheSameWithAndWithoutReuse() {
        #expect(sharedReference.repeatedSplits(seeds: 1...4).report() == referenceWithoutReuse.repeatedSplits(seeds: 1...4).report())
    }

    @Test func sharedFitsAreComputedOnce_evenWhenAsked_atTheSameTime() async {
        let cache = RerunCache()
        let calls = Counter()
        let key = RerunKey.features(values: [1, 2], columns: 1, labels: [0, 1], classCount: 2, isTest: [false, true])
        let results = await withTaskGroup(of: Rerun.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    cache.rerun(key, inputs: { [] }) { models in
                        calls.increment()
                        return Rerun(accuracies: models.map { RerunAccuracy(model: $0, accuracy: 0.5) }, trainCount: 1, testCount: 1)
                    }
                }
            }
            var all: [Rerun] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(calls.value == 1)
        #expect(results.count == 8 && Set(results.map { $0.testCount }) == [1])
        #expect(results.allSatisfy { $0.accuracies.count == RerunModel.allCases.count })
    }

    /// A class of variations of the reference solution (another test fraction, figures off by a little or a lot,
    /// dropped rows, another seed's splits), graded by both references: every report byte-identical.
    @Test func gradesAreByteIdentical_withAndWithoutReuse() async throws {
        let solution = repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline")
        let folder = try TemporaryDirectory(prefix: "belay-reuse-class")
        defer { folder.cleanup() }
        let files = ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv", "reflection.md"]
        var students: [URL] = []
        for i in 0..<5 {
            let student = folder.url.appendingPathComponent("student\(i)")
            try FileManager.default.createDirectory(at: student, withIntermediateDirectories: true)
            for file in files {
                var text = try String(contentsOf: solution.appendingPathComponent(file), encoding: .utf8)
                if file == "metrics.csv", i % 3 == 1 {
                    text = text.replacingOccurrences(of: "random_split_accuracy,", with: "random_split_accuracy,0.9")
                }
                if file == "metrics.csv", i == 4 { text = text.replacingOccurrences(of: "test_fraction,0.2", with: "test_fraction,0.25") }
                if file == "features.csv", i % 5 == 2 {
                    text = text.split(separator: "\n").dropLast(40 + i).joined(separator: "\n") + "\n"
                }
                if file == "splits.csv", i == 3 {
                    // Every tenth protein moves to the other side of the random split.
                    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    for r in stride(from: 1, to: lines.count, by: 10) {
                        var cells = lines[r].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                        guard cells.count == 3 else { continue }
                        cells[1] = cells[1] == "train" ? "test" : "train"
                        lines[r] = cells.joined(separator: ",")
                    }
                    text = lines.joined(separator: "\n")
                }
                try Data(text.utf8).write(to: student.appendingPathComponent(file))
            }
            students.append(student)
        }
        func reports(_ reference: Route019Reference) async -> [[String]] {
            var grader = Route019Grader(reference: reference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
            grader.drawsFigures = false  // the figures' fits are the reference's own, the same code either way
            var out: [[String]] = []
            for (i, student) in students.enumerated() {
                let report = await grader.grade(submissionAt: student, name: "student\(i)", sha256: "")
                let options = ReportFormatOptions(reproducible: true, student: "student\(i)")
                out.append(ReportFormat.all.map { $0.render(report, options) })
            }
            return out
        }
        let reused = await reports(sharedReference)
        let fresh = await reports(referenceWithoutReuse)
        for (i, (a, b)) in zip(reused, fresh).enumerated() {
            for (f, (x, y)) in zip(a, b).enumerated() {
                #expect(x == y, "student\(i), \(ReportFormat.all[f].fileName) differs with reuse on and off")
            }
        }
    }
}

/// Reruns kept in a ``ResultStore`` between runs: read back exactly, keyed by everything they were computed from.
@Suite("Reruns kept between runs", .serialized)
struct KeptRerunTests {
    @Test func aStoredRerunReadsBackBitForBit() {
        let rerun = Rerun(
            accuracies: zip(RerunModel.allCases, [0.1 + 0.2, 1.0 / 3.0, 0.0, 5e-324]).map { RerunAccuracy(model: $0, accuracy: $1) },
            trainCount: 1323, testCount: 331)
        #expect(Rerun(stored: rerun.stored) == rerun)
        #expect(Rerun(stored: Data("garbage".utf8)) == nil)
        #expect(Rerun(stored: Data()) == nil)
        // Another build's list of models (one missing) is not this build's rerun.
        let lines = String(decoding: rerun.stored, as: UTF8.self).split(separator: "\n").dropFirst()
        #expect(Rerun(stored: Data(lines.joined(separator: "\n").utf8)) == nil)
    }

    @Test func theNextRunReadsWhatThisRunKept_andOnlyForTheSameInputs() throws {
        let folder = try TemporaryDirectory(prefix: "belay-rerun-store")
        defer { folder.cleanup() }
        let store = ResultStore(directory: folder.url, build: "test")
        let key = RerunKey.features(values: [1, 2, 3], columns: 1, labels: [0, 1, 0], classCount: 2, isTest: [false, true, false])
        let made = Rerun(accuracies: RerunModel.allCases.map { RerunAccuracy(model: $0, accuracy: 0.25) }, trainCount: 2, testCount: 1)
        let calls = Counter()
        let compute = { (models: [RerunModel]) -> Rerun in
            calls.increment()
            #expect(models == RerunModel.allCases, "asked for every model, the tiers not known are fitted together")
            return made
        }
        let first = RerunCache()
        #expect(first.rerun(key, kept: store, inputs: { [Data("warm off".utf8)] }, compute) == made)
        #expect(calls.value == 1)
        // The next run (a new cache, nothing in memory) reads it instead of computing.
        let next = RerunCache()
        #expect(next.rerun(key, kept: store, inputs: { [Data("warm off".utf8)] }, compute) == made)
        #expect(calls.value == 1)
        // Other inputs beyond the key (another dataset, warm starts on) are another entry.
        #expect(next.rerun(
            .features(values: [1, 2, 3], columns: 1, labels: [0, 1, 0], classCount: 2, isTest: [true, true, false]),
            kept: store, inputs: { [Data("warm off".utf8)] }, compute) == made)
        #expect(calls.value == 2)
        let third = RerunCache()
        _ = third.rerun(key, kept: store, inputs: { [Data("warm on".utf8)] }, compute)
        #expect(calls.value == 3)
        // Without a store nothing is read.
        _ = RerunCache().rerun(key, inputs: { [Data("warm off".utf8)] }, compute)
        #expect(calls.value == 4)
    }

    /// A whole grade: the same reports with the store as without, and the second run's reruns come from the store
    /// (shown by editing the stored accuracies, which the next run's report then prints).
    @Test func gradesReadKeptRerunsAndAreTheSame() async throws {
        let folder = try TemporaryDirectory(prefix: "belay-rerun-store")
        defer { folder.cleanup() }
        let store = ResultStore(directory: folder.url.appendingPathComponent("store"), build: "test")
        let reference = Route019Reference(dataset: sharedReference.dataset)
        reference.keep(in: store)
        let solution = repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline")
        var grader = Route019Grader(reference: reference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
        grader.drawsFigures = false
        func report() async -> String {
            let report = await grader.grade(submissionAt: solution, name: "s", sha256: "")
            return ReportFormat.json.render(report, ReportFormatOptions(reproducible: true, student: "s"))
        }
        let computed = await report()
        let entries = try FileManager.default.subpathsOfDirectory(atPath: store.directory.path)
            .filter { $0.hasPrefix(RerunCache.namespace + "/") && $0.split(separator: "/").count == 3 }
        #expect(entries.count >= 4, "the reruns of Exercise 1 and of both Exercise 3 splits are kept: \(entries)")
        reference.rerunCache.forgetHeld()
        #expect(await report() == computed)
        // Every kept rerun now says 0.999 for every model.
        for entry in entries {
            let parts = entry.split(separator: "/")
            let key = String(parts[1] + parts[2])
            let namespace = String(parts[0])
            let data = try #require(store.value(namespace: namespace, key: key))
            // One entry per tier of models.
            let kept = try #require(
                RerunModel.tiers.lazy.compactMap { tier in Rerun(stored: data, models: RerunModel.allCases.filter(tier.contains)) }.first)
            let edited = Rerun(accuracies: kept.accuracies.map { RerunAccuracy(model: $0.model, accuracy: 0.999) },
                               trainCount: kept.trainCount, testCount: kept.testCount)
            store.store(edited.stored, namespace: namespace, key: key)
        }
        reference.rerunCache.forgetHeld()
        let read = await report()
        #expect(read != computed)
        #expect(read.contains("0.999"))

        // The repeated splits behind the figures: kept once, read back score for score.
        let repeated = reference.repeatedSplits(seeds: 1...3)
        let kept = try FileManager.default.subpathsOfDirectory(atPath: store.directory.path)
            .filter { $0.hasPrefix(Route019Reference.repeatedNamespace + "/") && $0.split(separator: "/").count == 3 }
        #expect(kept.count == 1)
        let again = reference.repeatedSplits(seeds: 1...3)
        #expect(again.rows.map(\.random) == repeated.rows.map(\.random))
        #expect(again.rows.map(\.clustered) == repeated.rows.map(\.clustered))
        #expect(again.report() == repeated.report())
        let scores = repeated.rows.flatMap { [$0.random, $0.clustered] }
        #expect(Route019Reference.scores(stored: Route019Reference.stored(scores)) == scores)
        #expect(Route019Reference.scores(stored: Data("1\t2".utf8)) == nil)

        // A student's own protein set: its components and its split's homology audit are kept too.
        let ids = Array(reference.alignedIDs.prefix(600))
        let isTest = ids.indices.map { $0 % 5 == 0 }
        let audit = reference.audit(ids: ids, isTest: isTest, threshold: 0.8)
        let components = reference.components(for: ids, threshold: 0.8)
        func forget() {
            reference.auditCache.removeAll()
            reference.subsetCache.removeAll()
        }
        forget()
        #expect(reference.audit(ids: ids, isTest: isTest, threshold: 0.9)
            == HomologyAudit(maxSimilarityToTrain: audit.maxSimilarityToTrain, testIndices: audit.testIndices, threshold: 0.9))
        #expect(reference.components(for: ids, threshold: 0.8) == components)
        let componentEntries = try FileManager.default.subpathsOfDirectory(atPath: store.directory.path)
            .filter { $0.hasPrefix("route019-components-1/") && $0.split(separator: "/").count == 3 }
        #expect(componentEntries.count == 1)
        let entry = try #require(componentEntries.first).split(separator: "/")
        store.store(ResultStore.bytes([Int](repeating: 7, count: ids.count)), namespace: String(entry[0]), key: String(entry[1] + entry[2]))
        forget()
        #expect(reference.components(for: ids, threshold: 0.8) == [Int](repeating: 7, count: ids.count))
        // The whole aligned set's clustering at a threshold a student chose: derived from the reference's single
        // linkage, which is cheaper than reading it back, so it is not kept.
        func clusterings() throws -> Int {
            try FileManager.default.subpathsOfDirectory(atPath: store.directory.path)
                .filter { $0.hasPrefix("route019-clustering-1/") && $0.split(separator: "/").count == 3 }.count
        }
        let before = try clusterings()
        let clustering = reference.clustering(at: 0.77)
        #expect(try clusterings() == before)
        reference.cache.withLock { $0[0.77] = nil }
        #expect(reference.clustering(at: 0.77) == clustering)
        #expect(clustering == thresholdClusters(reference.embeddings, threshold: 0.77))
        #expect(ResultStore.integers(ResultStore.bytes([3, -1, Int.max])) == [3, -1, Int.max])
        #expect(ResultStore.integers(Data([1, 2, 3]), as: Int.self) == nil)
    }
}

/// A thread-safe call counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
