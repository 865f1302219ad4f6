public import BelayLab
import BelayData
import Synchronization

// Reruns of a student's experiment with several common classifiers, and the statistical judgement of a reported
// accuracy against them.
//
// A student may use any common classifier; Belay cannot rerun them all, and the same classifier from another
// library (another solver, another seed) lands a little elsewhere on the same test set. So a reported accuracy is
// judged one-sidedly: it fails only when it lies above the upper confidence bound of the best rerun, where the
// bound is a Wilson interval for the student's own test-set size with z from the rubric. A lower figure always
// passes: the student's classifier may simply be worse than Belay's best.

/// A classifier Belay reruns on a student's split.
public enum RerunModel: String, Sendable, CaseIterable, Hashable {
    /// `make_pipeline(StandardScaler(), LogisticRegression())`: the course's own model.
    case standardizedLogistic = "logistic regression, standardized"
    /// `LogisticRegression()` on the raw features.
    case logistic = "logistic regression, unscaled"
    /// `make_pipeline(StandardScaler(), KNeighborsClassifier())`: 5 nearest neighbours, the model that profits
    /// most from a homolog in training.
    case nearestNeighbors = "5 nearest neighbours, standardized"
    /// Always the most common class of the training set: the floor.
    case majority = "majority class of the training set"
}

/// One rerun model's test accuracy.
public struct RerunAccuracy: Sendable, Equatable {
    /// The model.
    public var model: RerunModel
    /// Its accuracy on the split's test rows.
    public var accuracy: Double

    /// A model's accuracy.
    public init(model: RerunModel, accuracy: Double) {
        self.model = model
        self.accuracy = accuracy
    }
}

/// Every rerun model's accuracy on one split, and the best of them.
public struct Rerun: Sendable, Equatable {
    /// Accuracies in `RerunModel.allCases` order.
    public var accuracies: [RerunAccuracy]
    /// Training rows.
    public var trainCount: Int
    /// Test rows: the n of the accuracies.
    public var testCount: Int

    /// Accuracies (one per model, at least one) of a split with `trainCount` and `testCount` rows.
    public init(accuracies: [RerunAccuracy], trainCount: Int, testCount: Int) {
        precondition(!accuracies.isEmpty, "Rerun needs at least one model's accuracy")
        self.accuracies = accuracies
        self.trainCount = trainCount
        self.testCount = testCount
    }

    /// The most accurate model (ties: the earlier in `RerunModel.allCases`).
    public var best: RerunAccuracy {
        accuracies.reduce(accuracies[0]) { $1.accuracy > $0.accuracy ? $1 : $0 }
    }

    /// "0.814 (logistic regression, standardized)"-style list of every model, best first.
    public var summary: String {
        accuracies.sorted { $0.accuracy > $1.accuracy }
            .map { "\(Route019Checks.fixed3($0.accuracy)) (\($0.model.rawValue))" }.joined(separator: ", ")
    }
}

/// Trains every `RerunModel` on the rows where `isTest` is false and scores each on the others.
///
/// `features` is row-major `rows x columns`; labels lie in `0..<classCount` (a negative label marks a row to leave
/// out). Both sides need at least one row; with fewer than two training classes every model predicts the one class.
/// - Complexity: two logistic-regression fits plus one k-NN pass, O(iterations x rows x columns x classCount).
public func rerunModels(features: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int, isTest: [Bool])
    -> Rerun
{
    precondition(features.count == rows * columns && labels.count == rows && isTest.count == rows,
                 "rerunModels: \(features.count) values, \(labels.count) labels, \(isTest.count) flags for \(rows) x \(columns)")
    var trainRows: [Double] = [], testRows: [Double] = [], trainLabels: [Int] = [], testLabels: [Int] = []
    for i in 0..<rows where labels[i] >= 0 && labels[i] < classCount {
        let row = features[(i * columns)..<((i + 1) * columns)]
        if isTest[i] {
            testRows.append(contentsOf: row)
            testLabels.append(labels[i])
        } else {
            trainRows.append(contentsOf: row)
            trainLabels.append(labels[i])
        }
    }
    let trainX = trainRows, testX = testRows, trainY = trainLabels, testY = testLabels
    let nTrain = trainY.count, nTest = testY.count
    guard nTrain > 0, nTest > 0 else {
        return Rerun(accuracies: RerunModel.allCases.map { RerunAccuracy(model: $0, accuracy: 0) },
                     trainCount: nTrain, testCount: nTest)
    }
    let scaler = Standardizer(fitting: trainX, rows: nTrain, columns: columns)
    let scaledTrain = scaler.transform(trainX, rows: nTrain)
    let scaledTest = scaler.transform(testX, rows: nTest)
    let fits: [@Sendable () -> Double] = [
        {
            let model = LogisticRegression().fit(
                x: scaledTrain, rows: nTrain, columns: columns, labels: trainY, classCount: classCount)
            return accuracy(testY, model.predict(x: scaledTest, rows: nTest))
        },
        {
            let model = LogisticRegression().fit(
                x: trainX, rows: nTrain, columns: columns, labels: trainY, classCount: classCount)
            return accuracy(testY, model.predict(x: testX, rows: nTest))
        },
        {
            accuracy(
                testY,
                nearestNeighborPredict(
                    trainX: scaledTrain, trainLabels: trainY, queries: scaledTest, columns: columns,
                    classCount: classCount, k: 5))
        },
        {
            majorityBaseline(
                labels: trainY + testY, isTest: [Bool](repeating: false, count: nTrain) + [Bool](repeating: true, count: nTest),
                classCount: classCount)
        },
    ]
    let scores = concurrentMap(fits.count) { fits[$0]() }
    return Rerun(
        accuracies: zip(RerunModel.allCases, scores).map { RerunAccuracy(model: $0, accuracy: $1) },
        trainCount: nTrain, testCount: nTest)
}

/// A reported accuracy weighed against the upper confidence bound of Belay's best rerun.
public struct AccuracyJudgement: Sendable, Equatable {
    /// The student's figure.
    public var reported: Double
    /// Belay's reruns on the same split.
    public var rerun: Rerun
    /// The interval of the best rerun's accuracy on `rerun.testCount` proteins.
    public var interval: ProportionInterval

    /// Judges `reported` against `rerun` at `z` standard errors (Wilson interval, n = the rerun's test rows).
    public init(reported: Double, rerun: Rerun, z: Double) {
        self.reported = reported
        self.rerun = rerun
        self.interval = ConfidenceBounds.wilson(proportion: rerun.best.accuracy, count: rerun.testCount, z: z)
    }

    /// Whether the figure is credible: at most the upper bound. Lower figures always are (one-sided).
    public var isCredible: Bool { reported <= interval.upper + 1e-12 }

    /// The sentence that states the interval used.
    public var summary: String {
        let f = Route019Checks.fixed3
        return "You reported \(f(reported)) on \(rerun.testCount) test proteins. Belay's best rerun: "
            + "\(f(rerun.best.accuracy)) (\(rerun.best.model.rawValue)); \(Self.zText(interval.z))-sigma Wilson upper bound "
            + "\(f(interval.upper)) for n = \(rerun.testCount)."
    }

    /// "3" for 3.0, "2.5" for 2.5.
    static func zText(_ z: Double) -> String {
        z == z.rounded() && abs(z) < 1e6 ? String(Int(z)) : String(z)
    }
}

/// What a rerun was computed from, as a cache key: identical splits from different students share one fit.
enum RerunKey: Hashable, Sendable {
    /// Embeddings of `ids` (in order) with the reference labels, split by `isTest`.
    case embeddings(ids: [String], isTest: [Bool])
    /// A feature matrix and its labels, split by `isTest`.
    case features(values: [Double], columns: Int, labels: [Int], classCount: Int, isTest: [Bool])
}

/// A bounded, thread-safe store of reruns (a batch of students often hands in the same splits).
final class RerunCache: Sendable {
    /// Most reruns kept; when full the store starts over (a batch moves on from one split to the next).
    static let capacity = 64
    private let store = Mutex<[RerunKey: Rerun]>([:])

    init() {}

    /// The rerun for `key`, computing it with `compute` once (two threads may both compute a new key; the
    /// results are equal and the second is dropped).
    func rerun(_ key: RerunKey, _ compute: () -> Rerun) -> Rerun {
        if let hit = store.withLock({ $0[key] }) { return hit }
        let computed = compute()
        store.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll() }
            if cache[key] == nil { cache[key] = computed }
        }
        return computed
    }

    /// Number of reruns held (for tests).
    var count: Int { store.withLock { $0.count } }
}

extension Route019Reference {
    /// Reruns every `RerunModel` on the embeddings of `ids` with the reference's labels, split by `isTest`
    /// (cached by split).
    ///
    /// The models see the embeddings as the file holds them (not row-normalized), as a student's classifier does.
    /// Ids without a reference label or an embedding are left out.
    /// - Complexity: that of `rerunModels` the first time for a split, O(ids) after.
    public func rerun(ids: [String], isTest: [Bool]) -> Rerun {
        precondition(ids.count == isTest.count, "rerun: \(ids.count) ids, \(isTest.count) flags")
        return rerunCache.rerun(.embeddings(ids: ids, isTest: isTest)) {
            var rows: [Int] = [], labels: [Int] = [], flags: [Bool] = []
            for (i, id) in ids.enumerated() {
                guard let row = datasetRowByID[id], let index = indexByID[id] else { continue }
                rows.append(row)
                labels.append(codes[index])
                flags.append(isTest[i])
            }
            let matrix = dataset.embeddings.subset(rows)
            return rerunModels(
                features: matrix.values.map(Double.init), rows: matrix.count, columns: matrix.dimension,
                labels: labels, classCount: encoder.classes.count, isTest: flags)
        }
    }

    /// Reruns every `RerunModel` on a feature matrix (a student's own features.csv), cached by its content and split.
    /// - Complexity: that of `rerunModels` the first time, O(values) after.
    public func rerun(features: [Double], columns: Int, labels: [Int], classCount: Int, isTest: [Bool]) -> Rerun {
        rerunCache.rerun(
            .features(values: features, columns: columns, labels: labels, classCount: classCount, isTest: isTest)
        ) {
            rerunModels(
                features: features, rows: labels.count, columns: columns, labels: labels, classCount: classCount,
                isTest: isTest)
        }
    }
}
