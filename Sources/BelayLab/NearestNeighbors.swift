// k-nearest-neighbour classification, as scikit-learn's `KNeighborsClassifier()` (Euclidean, uniform votes).
//
// On a random split a test protein's homolog often sits in training, and a nearest-neighbour rule finds it: the
// classifier that profits most from homology leakage. Belay reruns it so that a student whose k-NN beats logistic
// regression on a random split is measured against a model of the same kind.

/// Predicts each query row's class by a majority vote of its `k` nearest training rows (Euclidean distance).
///
/// Ties in the vote go to the smallest class id (scikit-learn's `mode`); ties in distance keep the training row
/// that comes first. `k` is capped at the number of training rows. Squared distances are computed as
/// `‖q‖² + ‖t‖² − 2 q·t` with one BLAS `dgemm`.
/// - Complexity: O(queries x training rows x columns) in BLAS, plus O(queries x training rows x k) to select.
public func nearestNeighborPredict(
    trainX: [Double], trainLabels: [Int], queries: [Double], columns: Int, classCount: Int, k: Int = 5
) -> [Int] {
    let n = trainLabels.count
    precondition(trainX.count == n * columns, "nearestNeighborPredict: \(trainX.count) values for \(n) x \(columns)")
    precondition(columns > 0 && queries.count % columns == 0, "nearestNeighborPredict: ragged queries")
    precondition(trainLabels.allSatisfy { (0..<classCount).contains($0) }, "labels outside 0..<\(classCount)")
    let m = queries.count / columns
    guard n > 0, m > 0 else { return [Int](repeating: 0, count: m) }
    let neighbours = min(max(1, k), n)
    var dots = [Double](repeating: 0, count: m * n)
    queries.withUnsafeBufferPointer { qp in
        trainX.withUnsafeBufferPointer { tp in
            dots.withUnsafeMutableBufferPointer { dp in
                guard let q = qp.baseAddress, let t = tp.baseAddress, let d = dp.baseAddress else { return }
                BLAS.dgemm(transA: false, transB: true, m: m, n: n, k: columns, q, t, into: d)
            }
        }
    }
    func squaredNorms(_ x: [Double], rows: Int) -> [Double] {
        (0..<rows).map { i in
            var s = 0.0
            for j in 0..<columns { s += x[i * columns + j] * x[i * columns + j] }
            return s
        }
    }
    let trainNorms = squaredNorms(trainX, rows: n)
    let queryNorms = squaredNorms(queries, rows: m)
    var predictions: [Int] = []
    predictions.reserveCapacity(m)
    var bestDistance = [Double](repeating: 0, count: neighbours)
    var bestIndex = [Int](repeating: 0, count: neighbours)
    var votes = [Int](repeating: 0, count: classCount)
    for i in 0..<m {
        // Keep the `neighbours` smallest distances in a small sorted buffer (insertion; k is small).
        var filled = 0
        for j in 0..<n {
            let distance = queryNorms[i] + trainNorms[j] - 2 * dots[i * n + j]
            if filled == neighbours && distance >= bestDistance[filled - 1] { continue }
            var slot = filled == neighbours ? neighbours - 1 : filled
            if filled < neighbours { filled += 1 }
            while slot > 0 && bestDistance[slot - 1] > distance {
                bestDistance[slot] = bestDistance[slot - 1]
                bestIndex[slot] = bestIndex[slot - 1]
                slot -= 1
            }
            bestDistance[slot] = distance
            bestIndex[slot] = j
        }
        for c in 0..<classCount { votes[c] = 0 }
        for s in 0..<filled { votes[trainLabels[bestIndex[s]]] += 1 }
        var winner = 0
        for c in 1..<max(1, classCount) where votes[c] > votes[winner] { winner = c }
        predictions.append(winner)
    }
    return predictions
}
