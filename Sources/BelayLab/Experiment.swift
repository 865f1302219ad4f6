// The route's experiments, each one call: standardize on train, fit, predict test, score.

/// Test-set scores of one experiment.
public struct Scores: Sendable, Equatable {
    /// Share of test proteins predicted correctly.
    public var accuracy: Double
    /// Mean per-class recall (scikit-learn's `balanced_accuracy_score`).
    public var balancedAccuracy: Double
    /// Macro-averaged F1 (scikit-learn's `f1_score(average="macro")`).
    public var macroF1: Double
    /// Confusion matrix of the test set, rows = truth.
    public var confusion: [[Int]]
    /// Training rows.
    public var trainCount: Int
    /// Test rows.
    public var testCount: Int
    /// Whether the classifier met its convergence criterion.
    public var converged: Bool
    /// L-BFGS iterations the fit used.
    public var iterations: Int

    /// Scores as given (e.g. read back from where an earlier run kept them).
    public init(accuracy: Double, balancedAccuracy: Double, macroF1: Double, confusion: [[Int]], trainCount: Int,
                testCount: Int, converged: Bool, iterations: Int) {
        self.accuracy = accuracy
        self.balancedAccuracy = balancedAccuracy
        self.macroF1 = macroF1
        self.confusion = confusion
        self.trainCount = trainCount
        self.testCount = testCount
        self.converged = converged
        self.iterations = iterations
    }
}

/// Trains on the rows where `isTest` is false and scores on the others.
///
/// Steps, as `make_pipeline(StandardScaler(), LogisticRegression())`: fit a `Standardizer` on the training
/// rows, transform both sides with it, fit the classifier on the training rows, predict the test rows.
/// - Complexity: that of `LogisticRegression.fit` on the training rows.
public func trainAndScore(features: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int,
                          isTest: [Bool], classifier: LogisticRegression = .init()) -> Scores {
    trainAndScoreModel(features: features, rows: rows, columns: columns, labels: labels, classCount: classCount,
                       isTest: isTest, classifier: classifier).scores
}

/// ``trainAndScore(features:rows:columns:labels:classCount:isTest:classifier:)`` that also returns the fitted model
/// (on standardized rows: its weights are per standard deviation of each column), for warm-starting later fits on
/// other splits of the same or similar features.
///
/// `warmStart`, a model on standardized rows of the same columns and classes (another split's), is where the
/// optimizer starts; standardized weights carry over between splits whose column means and scales differ a little. A converged fit reaches the same optimum from any start (the objective is
/// strictly convex); a warm-started fit that does not converge within `maxIterations` is discarded and the fit
/// made again from zero, so a warm start never changes an unconverged answer either.
/// - Complexity: that of `LogisticRegression.fit` on the training rows.
public func trainAndScoreModel(features: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int,
                               isTest: [Bool], classifier: LogisticRegression = .init(),
                               warmStart: LogisticModel? = nil) -> (scores: Scores, model: LogisticModel) {
    precondition(features.count == rows * columns, "trainAndScore: \(features.count) values for \(rows) x \(columns)")
    precondition(labels.count == rows && isTest.count == rows, "trainAndScore: labels/isTest must have \(rows) entries")
    let (trainX, trainY) = selectRows(features, columns: columns, labels: labels, where: isTest, equals: false)
    let (testX, testY) = selectRows(features, columns: columns, labels: labels, where: isTest, equals: true)
    let scaler = Standardizer(fitting: trainX, rows: trainY.count, columns: columns)
    let model = classifier.fitPreferringWarmStart(
        x: scaler.transform(trainX, rows: trainY.count), rows: trainY.count, columns: columns, labels: trainY,
        classCount: classCount, warmStart: warmStart)
    let predicted = model.predict(x: scaler.transform(testX, rows: testY.count), rows: testY.count)
    let scores = Scores(
        accuracy: accuracy(testY, predicted),
        balancedAccuracy: balancedAccuracy(testY, predicted, classCount: classCount),
        macroF1: macroF1(testY, predicted, classCount: classCount),
        confusion: confusionMatrix(testY, predicted, classCount: classCount),
        trainCount: trainY.count, testCount: testY.count,
        converged: model.converged, iterations: model.iterations)
    return (scores, model)
}

extension LogisticRegression {
    /// `fit` from `warmStart` when that converges, else from zero: the warm start saves iterations but never
    /// changes what an unconverged fit returns (the cold fit's answer, as without a warm start).
    /// - Complexity: that of `fit`, twice at most.
    public func fitPreferringWarmStart(x: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int,
                                       warmStart: LogisticModel?) -> LogisticModel {
        if let warmStart {
            let warm = fit(x: x, rows: rows, columns: columns, labels: labels, classCount: classCount, warmStart: warmStart)
            if warm.converged { return warm }
        }
        return fit(x: x, rows: rows, columns: columns, labels: labels, classCount: classCount)
    }
}

/// Accuracy on the test rows of always predicting the most common training class (ties: smaller class id):
/// the floor any classifier must beat.
/// - Complexity: O(n).
public func majorityBaseline(labels: [Int], isTest: [Bool], classCount: Int) -> Double {
    precondition(labels.count == isTest.count, "majorityBaseline: lengths differ")
    var counts = [Int](repeating: 0, count: classCount)
    for (l, t) in zip(labels, isTest) where !t { counts[l] += 1 }
    var majority = 0
    for k in 0..<classCount where counts[k] > counts[majority] { majority = k }
    let test = zip(labels, isTest).filter { $0.1 }.map { $0.0 }
    return accuracy(test, [Int](repeating: majority, count: test.count))
}

/// The feature rows and labels where `flags[i] == equals`.
func selectRows(_ x: [Double], columns: Int, labels: [Int], where flags: [Bool], equals: Bool)
    -> (x: [Double], labels: [Int]) {
    var outX: [Double] = [], outY: [Int] = []
    for i in flags.indices where flags[i] == equals {
        outX.append(contentsOf: x[(i * columns)..<((i + 1) * columns)])
        outY.append(labels[i])
    }
    return (outX, outY)
}
