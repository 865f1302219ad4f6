import BelayLab

// The statistics behind Route 020's tolerances. Every bound is computed from the student's own counts (training
// proteins, flips, test proteins) and a z from the rubric, and every report states the bound it used.

/// Whether a realised number of flips is consistent with a declared noise rate.
///
/// Students corrupt labels in two legitimate ways: an exact count (`round(r·n)` labels, overall or per class) or
/// each label independently with probability r. The first lands within a rounding of r·n (at most one flip per
/// class); the second is Binomial(n, r), standard deviation √(n·r·(1−r)). So the bound is
///     |flips − r·n| ≤ z·√(n·r·(1−r)) + k        (k = the number of classes: per-class rounding)
/// A student who draws the new class from all k classes (the old one included) realises only r·(k−1)/k: at
/// r = 0.30 and n ≈ 1300 that is 8 standard deviations short, and fails.
public struct FlipRateBound: Sendable, Equatable {
    /// The declared rate.
    public var rate: Double
    /// Training labels at that rate.
    public var trainCount: Int
    /// Training labels that differ from the clean ones.
    public var flips: Int
    /// Standard errors allowed.
    public var z: Double
    /// Flips allowed for rounding (the number of classes).
    public var rounding: Double

    /// A bound for `flips` of `trainCount` labels at `rate`.
    public init(rate: Double, trainCount: Int, flips: Int, z: Double, rounding: Double) {
        self.rate = rate
        self.trainCount = trainCount
        self.flips = flips
        self.z = z
        self.rounding = rounding
    }

    /// The expected number of flips, r·n.
    public var expected: Double { rate * Double(trainCount) }
    /// The allowed distance from `expected`.
    public var allowance: Double { z * (Double(trainCount) * rate * (1 - rate)).squareRoot() + rounding }
    /// Whether `flips` lies within the allowance.
    public var holds: Bool { abs(Double(flips) - expected) <= allowance + 1e-9 }
    /// The realised rate.
    public var realised: Double { trainCount > 0 ? Double(flips) / Double(trainCount) : 0 }

    /// One line: rate, flips, expected ± allowance.
    public var summary: String {
        "\(Route020Text.percent(rate)): \(flips) of \(trainCount) training labels flipped "
            + "(\(Route020Text.percent(realised))); expected \(Route020Text.fixed3(expected)) ± "
            + "\(Route020Text.fixed3(allowance))"
    }
}

/// Whether the flips out of one class spread evenly over the other classes.
///
/// A label flipped "to a different class uniformly at random" goes to each of the k−1 other classes with
/// probability p = 1/(k−1); out of m flips from a class, the count into one other class is Binomial(m, p):
///     |count − m·p| ≤ z·√(m·p·(1−p)) + 1
public struct FlipTargetBound: Sendable, Equatable {
    /// The clean class.
    public var from: String
    /// The class flipped to.
    public var to: String
    /// Flips out of `from`.
    public var flipsFrom: Int
    /// Of those, flips into `to`.
    public var count: Int
    /// The number of classes.
    public var classCount: Int
    /// Standard errors allowed.
    public var z: Double

    /// A bound for `count` of `flipsFrom` flips out of `from` landing in `to`.
    public init(from: String, to: String, flipsFrom: Int, count: Int, classCount: Int, z: Double) {
        self.from = from
        self.to = to
        self.flipsFrom = flipsFrom
        self.count = count
        self.classCount = classCount
        self.z = z
    }

    var p: Double { classCount > 1 ? 1 / Double(classCount - 1) : 1 }
    /// m·p.
    public var expected: Double { Double(flipsFrom) * p }
    /// The allowed distance from `expected`.
    public var allowance: Double { z * (Double(flipsFrom) * p * (1 - p)).squareRoot() + 1 }
    /// Whether `count` lies within the allowance.
    public var holds: Bool { abs(Double(count) - expected) <= allowance + 1e-9 }
}

/// A reported point of the curve weighed against Belay's reruns on the same noisy labels and split.
///
/// Classifiers differ in how they take label noise (a strongly penalized logistic regression averages it away; a
/// nearest-neighbour vote, a deep tree or naive Bayes copy it or were weak to begin with), and the same model from
/// another library lands a little elsewhere too. So, as in Route 019, the judgement is one-sided: a point fails
/// only above the highest Wilson upper bound, at z standard errors for the student's n test proteins, of Belay's
/// models (logistic regression at C = 1 and C = 0.01, 5 nearest neighbours, the majority class of the noisy
/// training labels):
///     upper = max over models of Wilson_upper(acc_m, n, z)
/// More than that no common classifier reaches on these labels; it is what scoring on training proteins, or on
/// another split, gives. A point below every model (`lower`, the lowest Wilson lower bound) passes with a note:
/// scikit-learn's Gaussian naive Bayes, an honest choice, scores below the majority class on both feature sets.
/// The bound was tested with scikit-learn's logistic regression, random forest, k-NN, histogram gradient boosting
/// and Gaussian naive Bayes on both feature sets (`Tests/Route020Tests/CurveBoundTests.swift`).
public struct CurveJudgement: Sendable, Equatable {
    /// The rate.
    public var rate: Double
    /// The student's figure.
    public var reported: Double
    /// Belay's reruns.
    public var rerun: CurveRerun
    /// Standard errors allowed.
    public var z: Double
    /// The lowest Wilson lower bound of Belay's models (for the note only).
    public var lower: Double
    /// The highest Wilson upper bound of Belay's models: the bound.
    public var upper: Double

    /// Judges `reported` at `rate` against `rerun` with `z` standard errors.
    public init(rate: Double, reported: Double, rerun: CurveRerun, z: Double) {
        self.rate = rate
        self.reported = reported
        self.rerun = rerun
        self.z = z
        let n = rerun.testCount
        let intervals = rerun.accuracies.map { ConfidenceBounds.wilson(proportion: $0.accuracy, count: n, z: z) }
        self.lower = intervals.map(\.lower).min() ?? 0
        self.upper = intervals.map(\.upper).max() ?? 1
    }

    /// Whether the figure is credible: at most the upper bound.
    public var holds: Bool { reported <= upper + 1e-9 }

    /// Whether the figure lies below every model's interval (passes, with a note).
    public var isBelow: Bool { reported < lower - 1e-9 }

    /// One line: rate, reported, bound, Belay's models.
    public var summary: String {
        "\(Route020Text.percent(rate)): you reported \(Route020Text.fixed3(reported)); upper bound "
            + "\(Route020Text.fixed3(upper)); Belay's models: \(rerun.summary)"
    }
}
