import BelayFormats
import BelayLab
public import Foundation

/// Belay's own run of the exercise: a seeded stratified split, seeded noisy labels at every rate, and the curve of
/// the strongly penalized logistic regression. `belay reference` writes it as a complete, correct submission.
public struct Route020ReferenceRun: Sendable {
    /// The features trained on.
    public var features: FeatureSet
    /// The seed of the split and of the noise.
    public var seed: UInt64
    /// `true` for each test protein (one per reference id).
    public var isTest: [Bool]
    /// Per rate of ``Route020Submission/rateGrid``: every protein's code (test codes clean).
    public var codes: [[Int]]
    /// Per rate: test accuracy of `LogisticRegression(C=0.01)` on the standardized features.
    public var curve: [Double]
    /// Majority-class accuracy of the test set (the line the curve is read against).
    public var majority: Double
}

extension Route020Reference {
    /// Runs the exercise as the reference solution does, with Belay's own generator.
    ///
    /// The split is `randomSplit(…, stratifyBy:)`; at rate r, `round(r × training proteins)` training proteins,
    /// the first of a seeded shuffle, move to another class drawn uniformly from the other classes.
    /// - Complexity: ten logistic-regression fits (plus the rerun's other models) on the training proteins.
    public func referenceRun(seed: UInt64, testFraction: Double, features: FeatureSet = .embeddings) -> Route020ReferenceRun {
        let isTest = randomSplit(count: ids.count, testFraction: testFraction, seed: seed, stratifyBy: codes)
        var generator = SeededGenerator(seed: seed &+ 1)
        let train = isTest.indices.filter { !isTest[$0] }
        let k = classes.count
        var allCodes: [[Int]] = [], curve: [Double] = []
        let rows = Array(ids.indices)
        for rate in Route020Submission.rateGrid {
            var noisy = codes
            var order = train
            seededShuffle(&order, using: &generator)
            for i in order.prefix(Int((rate * Double(train.count)).rounded())) {
                let step = 1 + generator.nextIndex(below: k - 1)
                noisy[i] = (codes[i] + step) % k
            }
            allCodes.append(noisy)
            let rerun = self.rerun(set: features, rows: rows, trainCodes: noisy, isTest: isTest)
            curve.append(rerun.accuracy(.regularizedLogistic))
        }
        let majority = majorityBaseline(labels: codes, isTest: isTest, classCount: k)
        return Route020ReferenceRun(
            features: features, seed: seed, isTest: isTest, codes: allCodes, curve: curve, majority: majority)
    }

    /// Writes `run` as `split.csv`, `noisy_labels.csv`, `curve.csv` and `setup.csv` into `directory` (created if
    /// needed) and returns the file names. The reflection is the student's own and is not written.
    public func writeSubmission(_ run: Route020ReferenceRun, to directory: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ header: [String], _ rows: [[String]]) throws {
            try Data(CSVWriter.render(header: header, rows: rows).utf8).write(to: directory.appendingPathComponent(name))
        }
        typealias File = Route020Submission.FileName
        try write(File.split, ["protein_id", "split"], ids.indices.map { [ids[$0], run.isTest[$0] ? "test" : "train"] })
        var labelRows: [[String]] = []
        for (r, rate) in Route020Submission.rateGrid.enumerated() {
            let text = Self.rateText(rate)
            for i in ids.indices { labelRows.append([text, ids[i], classes[run.codes[r][i]]]) }
        }
        try write(File.noisyLabels, ["noise_rate", "protein_id", "label"], labelRows)
        try write(
            File.curve, ["noise_rate", "accuracy"],
            zip(Route020Submission.rateGrid, run.curve).map { [Self.rateText($0), String($1)] })
        try write(
            File.setup, ["setting", "value"],
            [
                ["features", run.features.rawValue], ["classifier", "StandardScaler + LogisticRegression(C=0.01) (Belay)"],
                ["seed", String(run.seed)],
            ])
        return [File.split, File.noisyLabels, File.curve, File.setup]
    }

    /// A rate as the files write it: "0.05".
    static func rateText(_ rate: Double) -> String {
        let hundredths = Int((rate * 100).rounded())
        return "0." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }

    /// The curve as `belay reference` prints it.
    public func curveTable(_ run: Route020ReferenceRun) -> String {
        var lines = ["noise rate  accuracy  (\(run.features.phrase), logistic regression C = 0.01, seed \(run.seed))"]
        for (rate, accuracy) in zip(Route020Submission.rateGrid, run.curve) {
            lines.append("\(Route020Text.percent(rate).padding(toLength: 10, withPad: " ", startingAt: 0))  \(Route020Text.fixed3(accuracy))")
        }
        lines.append("majority class of the test set: \(Route020Text.fixed3(run.majority))")
        return lines.joined(separator: "\n")
    }
}
