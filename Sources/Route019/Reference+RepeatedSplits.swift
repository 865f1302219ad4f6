public import BelayLab
import Foundation
import BelayRoute
import BelayData

// One split is not evidence: on the embedded data at t = 0.90 a single component holds about 18% of the aligned
// proteins, so whether a clustered split scores high or low depends mostly on which side of the split that
// component falls. Repeating both splits over many seeds shows the lesson (clustered lower than random) as a
// frequency with a spread, rather than as one pair of numbers that can point the wrong way.

/// The mean and the sample standard deviation of some figures.
public struct MeanAndDeviation: Sendable, Equatable {
    /// How many figures.
    public var count: Int
    /// Their mean (0 for none).
    public var mean: Double
    /// Their sample standard deviation, with n − 1 in the denominator (NumPy's `std(ddof=1)`); 0 for fewer than two.
    public var standardDeviation: Double

    /// The summary of `values`.
    /// - Complexity: O(n).
    public init(_ values: [Double]) {
        count = values.count
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let m = mean
        standardDeviation =
            values.count < 2
            ? 0 : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
}

/// The random and the clustered split of one seed, both scored with the reference classifier.
public struct RepeatedSplitRow: Sendable, Equatable {
    /// Seed of both splits.
    public var seed: UInt64
    /// Embeddings on the random split; `nil` when one side of that split is empty.
    public var random: Scores?
    /// Embeddings on the clustered split; `nil` when one side of that split is empty.
    public var clustered: Scores?
    /// Share of the aligned proteins in the clustered split's test set.
    public var clusteredTestShare: Double
    /// Whether the largest component lies in the clustered split's test set.
    public var largestComponentInTest: Bool

    /// Whether the clustered accuracy is strictly below the random one (`nil` when either was not scored).
    public var clusteredIsLower: Bool? {
        guard let random, let clustered else { return nil }
        return clustered.accuracy < random.accuracy
    }
}

/// The random-versus-clustered comparison repeated over seeds, at one threshold and test fraction.
public struct RepeatedSplits: Sendable {
    /// Cosine threshold of the clustering.
    public var threshold: Float
    /// Requested share of proteins in test.
    public var testFraction: Double
    /// How the clustered split picks its clusters.
    public var mode: ClusteredSplitMode
    /// Aligned proteins split.
    public var proteinCount: Int
    /// Size of the largest component.
    public var largestComponentSize: Int
    /// The most common label in the largest component and how many of its proteins carry it (ties: the first
    /// class); `nil` when there are no proteins.
    public var largestComponentMajority: (label: String, count: Int)?
    /// One row per seed, in seed order.
    public var rows: [RepeatedSplitRow]

    /// Rows where both splits were scored.
    public var scoredRows: [RepeatedSplitRow] { rows.filter { $0.clusteredIsLower != nil } }
    /// Accuracy on the random splits (scored rows only).
    public var randomAccuracy: MeanAndDeviation { MeanAndDeviation(scoredRows.compactMap { $0.random?.accuracy }) }
    /// Accuracy on the clustered splits (scored rows only).
    public var clusteredAccuracy: MeanAndDeviation {
        MeanAndDeviation(scoredRows.compactMap { $0.clustered?.accuracy })
    }
    /// Balanced accuracy on the random splits (scored rows only).
    public var randomBalancedAccuracy: MeanAndDeviation {
        MeanAndDeviation(scoredRows.compactMap { $0.random?.balancedAccuracy })
    }
    /// Balanced accuracy on the clustered splits (scored rows only).
    public var clusteredBalancedAccuracy: MeanAndDeviation {
        MeanAndDeviation(scoredRows.compactMap { $0.clustered?.balancedAccuracy })
    }
    /// In how many scored rows the clustered accuracy is strictly below the random one.
    public var clusteredLowerCount: Int { rows.count { $0.clusteredIsLower == true } }
    /// In how many scored rows the clustered balanced accuracy is strictly below the random one.
    public var clusteredBalancedLowerCount: Int {
        scoredRows.count { ($0.clustered?.balancedAccuracy ?? 0) < ($0.random?.balancedAccuracy ?? 0) }
    }

    /// The one-line verdict, e.g. "clustered lower in 18 of 20 splits; mean accuracy 0.630 ± 0.098 (clustered)
    /// vs 0.712 ± 0.019 (random)", ± being the sample standard deviation over the splits.
    public var verdict: String {
        let scored = scoredRows.count
        guard scored > 0 else { return "no split could be scored (a train or test set was empty every time)" }
        let c = clusteredAccuracy, r = randomAccuracy
        return "clustered lower in \(clusteredLowerCount) of \(scored) splits; mean accuracy "
            + String(format: "%.3f ± %.3f (clustered) vs %.3f ± %.3f (random)", c.mean, c.standardDeviation, r.mean,
                     r.standardDeviation)
    }

    /// A plain-text block: two heading lines, a table with one line per seed, the effect of the largest component,
    /// balanced accuracy, and the verdict.
    public func report() -> String {
        let modeName =
            mode == .proteinFraction ? "whole clusters up to the share of proteins" : "a share of cluster ids"
        let t = Route019Reference.format(Double(threshold)), f = Route019Reference.format(testFraction)
        var lines: [String] = []
        lines.append(
            "Random vs clustered split over \(rows.count) seeds at cosine > \(t), test fraction \(f) "
                + "(± is the sd over seeds):")
        lines.append(
            "\(proteinCount) aligned proteins, largest component \(largestComponentSize); "
                + "clustered split by \(modeName)")
        lines.append(
            "seed  random acc  clustered acc  random bal.acc  clustered bal.acc  clustered test share"
                + "  largest in test")
        func figure(_ value: Double?, width: Int) -> String {
            let text = value.map { String(format: "%.3f", $0) } ?? "-"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        for row in rows {
            lines.append(
                String(format: "%4llu", row.seed) + figure(row.random?.accuracy, width: 12)
                    + figure(row.clustered?.accuracy, width: 15) + figure(row.random?.balancedAccuracy, width: 16)
                    + figure(row.clustered?.balancedAccuracy, width: 19) + figure(row.clusteredTestShare, width: 22)
                    + (row.largestComponentInTest ? "yes" : "no").leftPadded(to: 17))
        }
        let scored = scoredRows
        let withGiant = scored.filter(\.largestComponentInTest).compactMap { $0.clustered?.accuracy }
        let withoutGiant = scored.filter { !$0.largestComponentInTest }.compactMap { $0.clustered?.accuracy }
        if !withGiant.isEmpty || !withoutGiant.isEmpty {
            func mean(_ v: [Double]) -> String { v.isEmpty ? "-" : String(format: "%.3f", MeanAndDeviation(v).mean) }
            let makeup = largestComponentMajority.map { " (\($0.count) \($0.label))" } ?? ""
            lines.append(
                "Mean clustered accuracy with the \(largestComponentSize)-protein component\(makeup) in test: "
                    + "\(mean(withGiant)) (\(withGiant.count) \(withGiant.count == 1 ? "split" : "splits")); "
                    + "in training: \(mean(withoutGiant)) (\(withoutGiant.count))")
        }
        let cb = clusteredBalancedAccuracy, rb = randomBalancedAccuracy
        if !scored.isEmpty {
            lines.append(
                "Balanced accuracy: clustered lower in \(clusteredBalancedLowerCount) of \(scored.count) splits; "
                    + String(format: "%.3f ± %.3f (clustered) vs %.3f ± %.3f (random)", cb.mean, cb.standardDeviation,
                             rb.mean, rb.standardDeviation))
        }
        if scored.count < rows.count {
            let unscored = rows.count - scored.count
            lines.append("\(unscored) \(unscored == 1 ? "seed" : "seeds") not scored: a train or test set was empty")
        }
        lines.append("Verdict: " + verdict + ".")
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}

extension Route019Reference {
    /// Both splits of the aligned proteins for each seed in `seeds`, at this run's threshold, test fraction and
    /// clustered-split mode, each scored with the reference classifier (standardized logistic regression), as
    /// the reference itself splits and scores its own seed.
    ///
    /// The random split is `randomSplit(count:testFraction:seed:)` (not stratified) and the clustered one
    /// `clusteredSplit(clusterLabels:testFraction:seed:mode:)` over `clustering`, exactly as in `init`. A split
    /// with an empty train or test side is reported but not scored. The fits run on all cores; the result does
    /// not depend on how many.
    /// - Complexity: 2 · |seeds| fits of `LogisticRegression` on the aligned embeddings.
    public func repeatedSplits(seeds: ClosedRange<UInt64> = 1...20) -> RepeatedSplits {
        let seedList = Array(seeds)
        let n = embeddings.count
        let labels = alignedCodes
        let classCount = encoder.classes.count
        let values = embeddings.values.map(Double.init)
        let columns = embeddings.dimension
        let clusterLabels = clustering.labels
        // The largest component: the biggest size, ties to the smaller (earlier) id.
        var sizeOf = [Int](repeating: 0, count: clustering.stats.count)
        for l in clusterLabels { sizeOf[l] += 1 }
        var largest = 0
        for c in sizeOf.indices where sizeOf[c] > sizeOf[largest] { largest = c }
        let largestSize = sizeOf.isEmpty ? 0 : sizeOf[largest]
        var labelCounts = [Int](repeating: 0, count: classCount)
        for (c, code) in zip(clusterLabels, labels) where c == largest && labelCounts.indices.contains(code) {
            labelCounts[code] += 1
        }
        let majority = labelCounts.indices.max { a, b in
            labelCounts[a] != labelCounts[b] ? labelCounts[a] < labelCounts[b] : a > b  // ties: the first class
        }
        let fraction = options.testFraction, mode = options.clusteredSplitMode

        let splits: [(random: [Bool], clustered: [Bool])] = seedList.map { seed in
            (
                randomSplit(count: n, testFraction: fraction, seed: seed),
                clusteredSplit(clusterLabels: clusterLabels, testFraction: fraction, seed: seed, mode: mode)
            )
        }
        // The result from the fits' scores (k: seed k / 2, random when k is even, clustered when odd).
        func assemble(_ scores: [Scores?]) -> RepeatedSplits {
            let rows = seedList.indices.map { i in
                let clustered = splits[i].clustered
                return RepeatedSplitRow(
                    seed: seedList[i], random: scores[2 * i], clustered: scores[2 * i + 1],
                    clusteredTestShare: n == 0 ? 0 : Double(clustered.count { $0 }) / Double(n),
                    largestComponentInTest: largestSize > 0 && clustered[clusterLabels.firstIndex(of: largest) ?? 0])
            }
            return RepeatedSplits(
                threshold: threshold, testFraction: fraction, mode: mode, proteinCount: n,
                largestComponentSize: largestSize,
                largestComponentMajority: majority.flatMap { k in
                    largestSize > 0 ? (encoder.classes[k], labelCounts[k]) : nil
                }, rows: rows)
        }
        // The fits are the same numbers every time for the same data, labels, settings and seeds: a run that keeps
        // results (see ``ResultStore``) reads an earlier run's instead of fitting them again.
        let scores = kept(
            Self.repeatedNamespace,
            [ResultStore.bytes(encoder.classes), ResultStore.bytes(labels), ResultStore.bytes([threshold.bitPattern]),
             ResultStore.bytes([fraction.bitPattern]), Data("\(mode)".utf8), ResultStore.bytes(seedList),
             Data([reuse.warmStart ? 1 : 0])],
            encode: Self.stored, decode: { Self.scores(stored: $0).flatMap { $0.count == splits.count * 2 ? $0 : nil } }
        ) {
            // Fit k: seed number k / 2, its random split when k is even, its clustered split when k is odd.
            concurrentMap(splits.count * 2) { k -> Scores? in
                let isTest = k % 2 == 0 ? splits[k / 2].random : splits[k / 2].clustered
                let tests = isTest.count { $0 }
                guard tests > 0, tests < n else { return nil }
                // Each fit starts from the reference's own fit of the same split kind (same optimum, fewer iterations).
                let warm = self.reuse.warmStart ? (k % 2 == 0 ? self.fittedModels.randomSplit : self.fittedModels.clusteredSplit) : nil
                return trainAndScoreModel(
                    features: values, rows: n, columns: columns, labels: labels, classCount: classCount, isTest: isTest,
                    warmStart: warm
                ).scores
            }
        }
        return assemble(scores)
    }

    /// The namespace of repeated splits' fits in a ``ResultStore``.
    static let repeatedNamespace = "route019-repeated-1"

    /// Fits' scores as a ``ResultStore`` entry, one line each: `-` for a split not scored, else accuracy, balanced
    /// accuracy and macro F1 as their bits in hex, the confusion matrix (`;` between rows, `,` within), the train and
    /// test counts, convergence (0/1) and iterations, tab-separated.
    static func stored(_ scores: [Scores?]) -> Data {
        let lines = scores.map { score -> String in
            guard let s = score else { return "-" }
            let hex = { (x: Double) in String(x.bitPattern, radix: 16) }
            let confusion = s.confusion.map { $0.map(String.init).joined(separator: ",") }.joined(separator: ";")
            return [hex(s.accuracy), hex(s.balancedAccuracy), hex(s.macroF1), confusion, String(s.trainCount),
                    String(s.testCount), s.converged ? "1" : "0", String(s.iterations)].joined(separator: "\t")
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Scores read back from ``stored(_:)``; nil for anything else.
    static func scores(stored data: Data) -> [Scores?]? {
        var out: [Scores?] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if line == "-" { out.append(nil); continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 8, let a = UInt64(f[0], radix: 16), let b = UInt64(f[1], radix: 16),
                  let m = UInt64(f[2], radix: 16), let train = Int(f[4]), let test = Int(f[5]), let it = Int(f[7]),
                  f[6] == "0" || f[6] == "1"
            else { return nil }
            var confusion: [[Int]] = []
            for row in f[3].split(separator: ";", omittingEmptySubsequences: false) where !f[3].isEmpty {
                let cells = row.split(separator: ",").compactMap { Int($0) }
                confusion.append(cells)
            }
            out.append(Scores(
                accuracy: Double(bitPattern: a), balancedAccuracy: Double(bitPattern: b), macroF1: Double(bitPattern: m),
                confusion: confusion, trainCount: train, testCount: test, converged: f[6] == "1", iterations: it))
        }
        return out
    }
}
