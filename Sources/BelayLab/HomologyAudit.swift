// How close is each test protein to the training set? The measurement behind "the random split leaks".

/// For each test protein, its highest cosine similarity to any training protein, and how many exceed a threshold.
public struct HomologyAudit: Sendable, Equatable {
    /// Per test protein, in `testIndices` order: the maximum cosine similarity to a training protein
    /// (−∞ when there are no training proteins).
    public var maxSimilarityToTrain: [Float]
    /// Indices of the test proteins, increasing.
    public var testIndices: [Int]
    /// Share of test proteins whose maximum is strictly above `threshold` (0 without test proteins).
    public var shareAboveThreshold: Double
    /// Number of test proteins whose maximum is strictly above `threshold`.
    public var countAboveThreshold: Int
    /// The threshold used.
    public var threshold: Float

    /// An audit of the given maxima (test proteins in `testIndices` order), counted at `threshold`: another
    /// threshold for the same split, or an audit read back from where an earlier run kept it.
    public init(maxSimilarityToTrain: [Float], testIndices: [Int], threshold: Float) {
        self.maxSimilarityToTrain = maxSimilarityToTrain
        self.testIndices = testIndices
        self.threshold = threshold
        countAboveThreshold = maxSimilarityToTrain.count { $0 > threshold }
        shareAboveThreshold = testIndices.isEmpty ? 0 : Double(countAboveThreshold) / Double(testIndices.count)
    }
}

/// Audits a split: for every test protein, the maximum cosine similarity to the training proteins.
///
/// With the clustering's threshold, a clustered split gives `countAboveThreshold == 0` by construction (any
/// such pair would have been linked into one cluster); a random split typically gives many. Works blockwise:
/// the normalized test rows, `blockRows` at a time, times the normalized training rows with one `cblas_sgemm`,
/// so memory stays O(blockRows x trainCount).
/// - Complexity: O(test x train x d) time.
public func homologyAudit(_ m: EmbeddingMatrix, isTest: [Bool], threshold: Float, blockRows: Int = 1024)
    -> HomologyAudit {
    precondition(isTest.count == m.count, "homologyAudit: \(isTest.count) flags for \(m.count) rows")
    let testIndices = isTest.indices.filter { isTest[$0] }
    let trainIndices = isTest.indices.filter { !isTest[$0] }
    let normalized = m.normalizedRows()
    let test = normalized.subset(testIndices), train = normalized.subset(trainIndices)
    let d = m.dimension, nTrain = train.count, block = max(1, blockRows)
    var maxima = [Float](repeating: -Float.infinity, count: testIndices.count)
    if nTrain > 0 {
        var buffer = [Float](repeating: 0, count: min(block, max(1, test.count)) * nTrain)
        test.values.withUnsafeBufferPointer { tp in
            train.values.withUnsafeBufferPointer { rp in
                buffer.withUnsafeMutableBufferPointer { cp in
                    guard let tb = tp.baseAddress, let rb = rp.baseAddress, let cb = cp.baseAddress else { return }
                    var r0 = 0
                    while r0 < test.count {
                        let rows = min(block, test.count - r0)
                        BLAS.gemmABt(tb + r0 * d, rb, into: cb, m: rows, n: nTrain, k: d)
                        for li in 0..<rows {
                            var best = -Float.infinity
                            for j in 0..<nTrain { best = max(best, cb[li * nTrain + j]) }
                            maxima[r0 + li] = best
                        }
                        r0 += rows
                    }
                }
            }
        }
    }
    return HomologyAudit(maxSimilarityToTrain: maxima, testIndices: testIndices, threshold: threshold)
}
