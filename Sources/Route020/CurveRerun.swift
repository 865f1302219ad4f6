import BelayLab
import BelayRoute
import Foundation

// Belay's rerun of one point of a student's curve: the common classifiers retrained on the student's own noisy
// training labels and split, scored on the untouched test labels.
//
// A student may use any common classifier, and different classifiers respond differently to label noise (a
// logistic regression averages the noise away, a nearest-neighbour vote or a deep tree copies it). So a reported
// accuracy is judged against the best of several reruns, widened by the test set's own confidence bound: see
// `CurveJudgement`.

/// A classifier Belay retrains at each noise rate.
public enum CurveRerunModel: String, Sendable, CaseIterable, Hashable {
    /// `make_pipeline(StandardScaler(), LogisticRegression())`: the course's own model.
    case standardizedLogistic = "logistic regression, standardized"
    /// The same with a strong penalty (`LogisticRegression(C=0.01)`): it averages label noise away best, and is
    /// the model to beat at high noise rates.
    case regularizedLogistic = "logistic regression, standardized, C = 0.01"
    /// `make_pipeline(StandardScaler(), KNeighborsClassifier())`: 5 nearest neighbours, the model that copies
    /// noise most directly.
    case nearestNeighbors = "5 nearest neighbours, standardized"
    /// Always the most common class of the (noisy) training labels: what a model that learnt nothing scores.
    case majority = "majority class of the training labels"
}

/// Every rerun model's accuracy at one noise rate.
public struct CurveRerun: Sendable, Equatable {
    /// Accuracies in `CurveRerunModel.allCases` order.
    public var accuracies: [(model: CurveRerunModel, accuracy: Double)]
    /// Training rows used.
    public var trainCount: Int
    /// Test rows: the n of every accuracy.
    public var testCount: Int
    /// Rows left out because they have no features in the chosen set.
    public var skipped: Int = 0

    /// Accuracies of a split with `trainCount` and `testCount` rows.
    public init(accuracies: [(model: CurveRerunModel, accuracy: Double)], trainCount: Int, testCount: Int) {
        self.accuracies = accuracies
        self.trainCount = trainCount
        self.testCount = testCount
    }

    /// The accuracy of `model`.
    public func accuracy(_ model: CurveRerunModel) -> Double {
        accuracies.first { $0.model == model }?.accuracy ?? 0
    }

    /// The learning models' accuracies (not the majority class), lowest first.
    public var learners: [Double] {
        accuracies.filter { $0.model != .majority }.map(\.accuracy).sorted()
    }

    /// "0.814 (logistic regression, standardized), …" best first.
    public var summary: String {
        accuracies.sorted { $0.accuracy > $1.accuracy }
            .map { "\(Route020Text.fixed3($0.accuracy)) (\($0.model.rawValue))" }.joined(separator: ", ")
    }

    public static func == (a: CurveRerun, b: CurveRerun) -> Bool {
        a.trainCount == b.trainCount && a.testCount == b.testCount && a.skipped == b.skipped
            && a.accuracies.map(\.model) == b.accuracies.map(\.model)
            && a.accuracies.map(\.accuracy) == b.accuracies.map(\.accuracy)
    }
}

/// Trains every ``CurveRerunModel`` on the rows where `isTest` is false and scores each on the others.
///
/// `features` is row-major with `columns` columns; labels lie in `0..<classCount`. With no training or no test
/// row every accuracy is 0.
/// - Complexity: two logistic-regression fits and one k-NN pass, O(iterations x rows x columns x classCount).
public func rerunCurveModels(features: [Double], columns: Int, labels: [Int], classCount: Int, isTest: [Bool])
    -> CurveRerun
{
    let rows = labels.count
    precondition(features.count == rows * columns && isTest.count == rows, "rerunCurveModels: ragged input")
    var trainX: [Double] = [], testX: [Double] = [], trainY: [Int] = [], testY: [Int] = []
    for i in 0..<rows {
        let row = features[(i * columns)..<((i + 1) * columns)]
        if isTest[i] {
            testX.append(contentsOf: row)
            testY.append(labels[i])
        } else {
            trainX.append(contentsOf: row)
            trainY.append(labels[i])
        }
    }
    let nTrain = trainY.count, nTest = testY.count
    guard nTrain > 0, nTest > 0 else {
        return CurveRerun(
            accuracies: CurveRerunModel.allCases.map { ($0, 0) }, trainCount: nTrain, testCount: nTest)
    }
    let scaler = Standardizer(fitting: trainX, rows: nTrain, columns: columns)
    let scaledTrain = scaler.transform(trainX, rows: nTrain)
    let scaledTest = scaler.transform(testX, rows: nTest)
    let (sTrain, sTest, yTrain, yTest) = (scaledTrain, scaledTest, trainY, testY)
    let fits: [@Sendable () -> Double] = [
        {
            let model = LogisticRegression().fit(
                x: sTrain, rows: nTrain, columns: columns, labels: yTrain, classCount: classCount)
            return accuracy(yTest, model.predict(x: sTest, rows: nTest))
        },
        {
            let model = LogisticRegression(c: 0.01).fit(
                x: sTrain, rows: nTrain, columns: columns, labels: yTrain, classCount: classCount)
            return accuracy(yTest, model.predict(x: sTest, rows: nTest))
        },
        {
            accuracy(
                yTest,
                nearestNeighborPredict(
                    trainX: sTrain, trainLabels: yTrain, queries: sTest, columns: columns, classCount: classCount, k: 5))
        },
        {
            majorityBaseline(
                labels: yTrain + yTest,
                isTest: [Bool](repeating: false, count: nTrain) + [Bool](repeating: true, count: nTest),
                classCount: classCount)
        },
    ]
    let scores = concurrentMap(fits.count) { fits[$0]() }
    return CurveRerun(
        accuracies: zip(CurveRerunModel.allCases, scores).map { ($0, $1) }, trainCount: nTrain, testCount: nTest)
}

extension CurveRerun {
    /// The rerun as a ``ResultStore`` entry (``StoredAccuracies``; `skipped` is the caller's).
    var stored: Data {
        StoredAccuracies<CurveRerunModel>(accuracies: accuracies.map(\.accuracy), trainCount: trainCount, testCount: testCount).data
    }

    /// A rerun read back from ``stored``; nil for anything else.
    init?(stored data: Data) {
        guard let kept = StoredAccuracies<CurveRerunModel>(data: data) else { return nil }
        self.init(accuracies: zip(CurveRerunModel.allCases, kept.accuracies).map { ($0, $1) },
                  trainCount: kept.trainCount, testCount: kept.testCount)
    }
}
