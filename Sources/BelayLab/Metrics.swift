// Classification and clustering scores, with scikit-learn's definitions.
//
// Accuracy rewards the majority class: on the route's data (68% membrane) predicting "membrane" always scores
// 0.68. Balanced accuracy and macro-F1 weigh each class equally, which exposes such a classifier.

/// The share of positions where `predicted` equals `truth` (0 for empty input).
/// - Complexity: O(n).
public func accuracy(_ truth: [Int], _ predicted: [Int]) -> Double {
    precondition(truth.count == predicted.count, "accuracy: \(truth.count) truths, \(predicted.count) predictions")
    guard !truth.isEmpty else { return 0 }
    return Double(zip(truth, predicted).count { $0 == $1 }) / Double(truth.count)
}

/// Counts of (true class, predicted class): `matrix[t][p]`, rows are the truth, as scikit-learn's
/// `confusion_matrix(truth, predicted, labels=range(classCount))`. Labels must lie in `0..<classCount`.
/// - Complexity: O(n + classCount²).
public func confusionMatrix(_ truth: [Int], _ predicted: [Int], classCount: Int) -> [[Int]] {
    precondition(truth.count == predicted.count, "confusionMatrix: lengths differ")
    var m = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
    for (t, p) in zip(truth, predicted) {
        precondition((0..<classCount).contains(t) && (0..<classCount).contains(p),
                     "confusionMatrix: label outside 0..<\(classCount)")
        m[t][p] += 1
    }
    return m
}

/// The mean recall over the classes that occur in `truth`, as scikit-learn's `balanced_accuracy_score`
/// (a class never true has no recall and is left out; 0 for empty input).
/// - Complexity: O(n + classCount²).
public func balancedAccuracy(_ truth: [Int], _ predicted: [Int], classCount: Int) -> Double {
    let m = confusionMatrix(truth, predicted, classCount: classCount)
    var recalls: [Double] = []
    for k in 0..<classCount {
        let support = m[k].reduce(0, +)
        if support > 0 { recalls.append(Double(m[k][k]) / Double(support)) }
    }
    return recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
}

/// The unweighted mean of per-class F1 = 2·TP / (2·TP + FP + FN) over the classes present in `truth` or
/// `predicted`, as scikit-learn's `f1_score(average="macro", zero_division=0)` (0 for empty input).
/// - Complexity: O(n + classCount²).
public func macroF1(_ truth: [Int], _ predicted: [Int], classCount: Int) -> Double {
    let m = confusionMatrix(truth, predicted, classCount: classCount)
    var scores: [Double] = []
    for k in 0..<classCount {
        let tp = m[k][k]
        let fn = m[k].reduce(0, +) - tp
        let fp = (0..<classCount).reduce(0) { $0 + m[$1][k] } - tp
        guard tp + fn + fp > 0 else { continue }  // class in neither: not part of the average
        scores.append(Double(2 * tp) / Double(2 * tp + fp + fn))
    }
    return scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
}

/// The adjusted Rand index of two labellings (any integer ids): pair agreement corrected for chance, 1 for
/// identical partitions, about 0 for independent ones. Computed from the pair confusion matrix exactly as
/// scikit-learn's `adjusted_rand_score` (including its rule: 1.0 when no pair is split differently).
/// - Complexity: O(n) expected.
public func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
    precondition(a.count == b.count, "adjustedRandIndex: lengths differ")
    let n = a.count
    var cells: [Pair: Int] = [:], rowSums: [Int: Int] = [:], columnSums: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        cells[Pair(a: x, b: y), default: 0] += 1
        rowSums[x, default: 0] += 1
        columnSums[y, default: 0] += 1
    }
    let sumSquares = cells.values.reduce(0) { $0 + $1 * $1 }
    let rowTerm = cells.reduce(0) { $0 + $1.value * (columnSums[$1.key.b] ?? 0) }
    let columnTerm = cells.reduce(0) { $0 + $1.value * (rowSums[$1.key.a] ?? 0) }
    let tp = Double(sumSquares - n)
    let fp = Double(rowTerm - sumSquares)
    let fn = Double(columnTerm - sumSquares)
    let tn = Double(n) * Double(n) - fp - fn - Double(sumSquares)
    if fn == 0 && fp == 0 { return 1 }
    return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
}

private struct Pair: Hashable {
    var a: Int
    var b: Int
}

/// Whether two labellings describe the same partition, i.e. are equal up to renaming the ids.
/// - Complexity: O(n) expected.
public func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
    guard a.count == b.count else { return false }
    var forward: [Int: Int] = [:], backward: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        if let m = forward[x], m != y { return false }
        if let m = backward[y], m != x { return false }
        forward[x] = y
        backward[y] = x
    }
    return true
}
