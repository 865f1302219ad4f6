import BelayData
import BelayLab
import BelayTestSupport
import Foundation
import Route019
import Testing

/// The random-versus-clustered comparison over repeated splits (`Route019Reference.repeatedSplits`), on the
/// embedded data, cross-checked with scikit-learn and SciPy.
@Suite("Repeated splits", .serialized)
struct RepeatedSplitsTests {
    /// Seeds 1...20 on the embedded data at its recommended threshold, computed once.
    static let twenty = sharedReference.repeatedSplits()

    @Test func meanAndDeviationAreNumPysWithOneDegreeOfFreedom() {
        let s = MeanAndDeviation([1, 2, 3, 4])
        #expect(s.count == 4)
        #expect(abs(s.mean - 2.5) < 1e-12)
        // numpy.std([1, 2, 3, 4], ddof=1)
        #expect(abs(s.standardDeviation - 1.2909944487358056) < 1e-12)
        #expect(MeanAndDeviation([0.7]).standardDeviation == 0)
        #expect(MeanAndDeviation([]).mean == 0)
    }

    @Test func clusteredSplitIsLowerInMostSplitsOfTheEmbeddedData() {
        let r = Self.twenty
        #expect(r.rows.map(\.seed) == Array(1...20))
        #expect(r.threshold == 0.9 && r.testFraction == 0.2 && r.mode == .proteinFraction)
        #expect(r.proteinCount == sharedReference.alignedIDs.count)
        #expect(r.largestComponentSize == sharedReference.clustering.stats.largest)
        #expect(r.scoredRows.count == 20)
        // Measured: 18 of 20 (see README); the two others are the seeds that put the largest component in test.
        // Margin for solver or BLAS differences on a close seed.
        #expect(r.clusteredLowerCount >= 16, "\(r.report())")
        for row in r.rows where !row.largestComponentInTest {
            #expect(row.clusteredIsLower == true, "seed \(row.seed), largest component in training: \(r.report())")
        }
        #expect(r.clusteredAccuracy.mean < r.randomAccuracy.mean, "\(r.report())")
        #expect(r.clusteredBalancedAccuracy.mean < r.randomBalancedAccuracy.mean, "\(r.report())")
        // Measured: 17 of 20 by balanced accuracy (seed 3's 0.920 is a test set of membrane proteins).
        #expect(r.clusteredBalancedLowerCount >= 14, "\(r.report())")
        // The giant component makes the clustered split's accuracy far more variable than the random one's.
        #expect(r.clusteredAccuracy.standardDeviation > 2 * r.randomAccuracy.standardDeviation, "\(r.report())")
        // Every random test set has ceil(0.2 n) proteins; clustered ones land near 0.2 unless the giant is in test.
        let n = Double(r.proteinCount)
        for row in r.rows {
            #expect(row.random?.testCount == Int((0.2 * n).rounded(.up)))
            #expect(row.clusteredTestShare > 0.1 && row.clusteredTestShare < 0.3, "seed \(row.seed)")
            #expect(row.clustered.map { Double($0.testCount) / n } == row.clusteredTestShare)
        }
    }

    @Test func theLargestComponentDecidesTheSplitsWhereClusteredScoresHigher() throws {
        let r = Self.twenty
        // One split is not evidence: the seeds where the clustered split beats the random one are seeds where
        // the largest component sits in the test set.
        let higher = r.rows.filter { $0.clusteredIsLower == false }
        #expect(!higher.isEmpty, "the embedded data shows a misleading single split: \(r.report())")
        for row in higher { #expect(row.largestComponentInTest, "seed \(row.seed): \(r.report())") }
        // The figures the README quotes.
        let byseed = Dictionary(uniqueKeysWithValues: r.rows.map { ($0.seed, $0) })
        for seed: UInt64 in [3, 4] {
            let row = try #require(byseed[seed])
            #expect(row.largestComponentInTest, "seed \(seed)")
            #expect(row.clusteredIsLower == false, "seed \(seed)")
            // Measured: 0.920 and 0.870 clustered, against 0.698 and 0.749 random.
            #expect((row.clustered?.accuracy ?? 0) > 0.83 && (row.random?.accuracy ?? 1) < 0.78, "seed \(seed)")
        }
    }

    @Test func theReportIsDeterministicAndShowsEverySeed() throws {
        let r = Self.twenty
        // A seed's row depends on that seed alone, whatever else runs with it and on how many cores.
        #expect(sharedReference.repeatedSplits(seeds: 3...4).rows == Array(r.rows[2...3]))
        let text = r.report()
        #expect(text == r.report())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 2 + 1 + 20 + 3, "\(text)")
        let heading = "Random vs clustered split over 20 seeds at cosine > 0.9, test fraction 0.2 "
            + "(± is the sd over seeds):"
        #expect(lines[0] == heading)
        #expect(lines[1].hasPrefix("\(r.proteinCount) aligned proteins, largest component \(r.largestComponentSize);"))
        for seed in 1...20 { #expect(lines[2 + seed].hasPrefix(String(format: "%4d  ", seed)), "\(lines[2 + seed])") }
        let verdict = "Verdict: clustered lower in \(r.clusteredLowerCount) of 20 splits; "
        #expect(lines.last?.hasPrefix(verdict) == true, "\(text)")
        let majority = try #require(r.largestComponentMajority)
        let makeup = "\(r.largestComponentSize)-protein component (\(majority.count) \(majority.label))"
        #expect(text.contains("Mean clustered accuracy with the \(makeup) in test: "), "\(text)")
        // Measured: the 301-protein component is all membrane but one protein.
        #expect(majority.label == "membrane" && majority.count >= r.largestComponentSize - 5)
    }

    /// A split with an empty side is reported but not scored, and nothing crashes.
    @Test func splitsWithAnEmptySideAreReportedNotScored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try SynthGenerator.generate(SynthConfig(proteins: 300, labeled: 150, seed: 5, dimension: 16))
            .write(to: directory.url)
        let dataset = try CourseDataset.load(directory: directory.url)
        // A test fraction so small that no whole cluster brings the clustered test set closer to its target.
        let reference = Route019Reference(dataset: dataset, options: ReferenceOptions(testFraction: 0.001))
        let r = reference.repeatedSplits(seeds: 1...3)
        #expect(r.rows.count == 3)
        for row in r.rows {
            #expect(row.random?.testCount == 1)
            #expect(row.clustered == nil && row.clusteredTestShare == 0 && row.clusteredIsLower == nil)
        }
        #expect(r.scoredRows.isEmpty && r.clusteredLowerCount == 0)
        #expect(r.report().contains("3 seeds not scored"), "\(r.report())")
        #expect(r.verdict.hasPrefix("no split could be scored"))
    }

    // MARK: - Cross-checks with scikit-learn and SciPy

    /// Writes the aligned, unit-normalized embeddings (float32, row-major), the label codes and Belay's splits of
    /// seeds 1...20 for a Python script.
    static func exportForPython(to directory: TemporaryDirectory) throws {
        let reference = sharedReference
        let x = reference.embeddings.values
        try x.withUnsafeBytes { try Data($0).write(to: directory.file("x.f32")) }
        let codes = reference.alignedCodes.map(String.init).joined(separator: "\n")
        try Data(codes.utf8).write(to: directory.file("y.txt"))
        let n = reference.embeddings.count
        var lines: [String] = []
        for seed: UInt64 in 1...20 {
            let random = randomSplit(count: n, testFraction: 0.2, seed: seed)
            let clustered = clusteredSplit(
                clusterLabels: reference.clustering.labels, testFraction: 0.2, seed: seed, mode: .proteinFraction)
            lines.append(String(random.map { $0 ? "1" : "0" }) + " " + String(clustered.map { $0 ? "1" : "0" }))
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: directory.file("splits.txt"))
    }

    /// The same experiment in Python: components with SciPy, `make_pipeline(StandardScaler(),
    /// LogisticRegression(max_iter=1000))` on Belay's own splits, and an independent repeat with scikit-learn's
    /// `train_test_split` and a cluster-level split drawn with NumPy.
    static let script = #"""
        import json, sys
        import numpy as np
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        folder, d, t = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
        X = np.fromfile(folder + "/x.f32", dtype="<f4").reshape(-1, d)
        y = np.loadtxt(folder + "/y.txt", dtype=int)
        n = len(y)
        S = X.astype(np.float64) @ X.astype(np.float64).T
        np.fill_diagonal(S, 0)
        count, labels = connected_components(csr_matrix(S > t), directed=False)
        sizes = np.bincount(labels)
        giant = int(np.argmax(sizes))

        def score(test):
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
            model.fit(X[~test], y[~test])
            return float((model.predict(X[test]) == y[test]).mean())

        belay = []
        for line in open(folder + "/splits.txt").read().split("\n"):
            r, c = line.split()
            r = np.array([ch == "1" for ch in r]); c = np.array([ch == "1" for ch in c])
            belay.append([score(r), score(c)])

        own = []
        for seed in range(1, 21):
            _, test_idx = train_test_split(np.arange(n), test_size=0.2, random_state=seed)
            r = np.zeros(n, dtype=bool); r[test_idx] = True
            order = np.random.default_rng(seed).permutation(count)
            target, size, chosen = 0.2 * n, 0, set()
            for cl in order:
                if abs(size + sizes[cl] - target) < abs(size - target):
                    chosen.add(int(cl)); size += sizes[cl]
            c = np.isin(labels, list(chosen))
            own.append((score(r), score(c), bool(c[labels == giant].all())))

        print(json.dumps({
            "components": int(count), "largest": int(sizes.max()), "belay_splits": belay,
            "own_random": [o[0] for o in own], "own_clustered": [o[1] for o in own],
            "own_largest_in_test": [o[2] for o in own]}))
        """#

    struct PythonFigures: Decodable {
        var components: Int
        var largest: Int
        var belay_splits: [[Double]]
        var own_random: [Double]
        var own_clustered: [Double]
        var own_largest_in_test: [Bool]
    }

    @Test(.enabled(if: Python.isAvailable("numpy", "scipy", "sklearn")))
    func scikitLearnAgreesInDirectionAndRoughlyInTheCount() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Self.exportForPython(to: directory)
        let reference = sharedReference
        let output = try Python.output(
            script: Self.script,
            arguments: [directory.path, String(reference.embeddings.dimension), String(reference.threshold)])
        let py = try JSONDecoder().decode(PythonFigures.self, from: Data(output.utf8))
        let r = Self.twenty
        // SciPy's components at the same threshold: the same giant (float64 vs float32 cosines may move a pair
        // that sits on the threshold, so a few proteins of slack).
        #expect(abs(py.largest - r.largestComponentSize) <= 3, "SciPy \(py.largest), Belay \(r.largestComponentSize)")
        #expect(abs(py.components - reference.clustering.stats.count) <= 5)

        // Same splits, scikit-learn's solver: per-seed accuracies within two test proteins (solver differences, not
        // sampling: the test set is the same; measured at most two, on seed 17: scikit-learn's `tol=1e-4` on the plain
        // gradient stops about 1e-5 short of the minimum, Belay's fit about 1e-7), and the same verdict give or take
        // a close seed. (The 1e-12 absorbs the rounding of two proteins' share.)
        var sklearnLower = 0
        for (row, pair) in zip(r.rows, py.belay_splits) {
            let random = try #require(row.random), clustered = try #require(row.clustered)
            #expect(abs(pair[0] - random.accuracy) <= 2.0 / Double(random.testCount) + 1e-12, "seed \(row.seed)")
            #expect(abs(pair[1] - clustered.accuracy) <= 2.0 / Double(clustered.testCount) + 1e-12, "seed \(row.seed)")
            if pair[1] < pair[0] { sklearnLower += 1 }
        }
        #expect(abs(sklearnLower - r.clusteredLowerCount) <= 2,
            "scikit-learn \(sklearnLower), Belay \(r.clusteredLowerCount)")

        // An independent repeat (scikit-learn's random split, NumPy's cluster order): same direction, and the same
        // mechanism. Whether the largest component lands in test is a coin with p of about 0.1 per split (it is
        // taken when it comes before the test set holds ~180 proteins), so the lower count is about 20 minus a
        // Binomial(20, 0.1); measured: 14 (6 splits with the giant in test, against 2 for Belay's seeds).
        let ownLower = zip(py.own_random, py.own_clustered).count { $1 < $0 }
        print("scikit-learn: clustered lower in \(sklearnLower) of 20 on Belay's splits, \(ownLower) on its own")
        #expect(MeanAndDeviation(py.own_clustered).mean < MeanAndDeviation(py.own_random).mean)
        #expect(ownLower >= 13, "independent repeat: clustered lower in \(ownLower) of 20")
        #expect(abs(ownLower - r.clusteredLowerCount) <= 5, "independent \(ownLower), Belay \(r.clusteredLowerCount)")
        for i in 0..<20 where py.own_clustered[i] >= py.own_random[i] {
            #expect(py.own_largest_in_test[i], "seed \(i + 1): a clustered split scoring higher has the giant in test")
        }
    }
}
