// The distribution a threshold is chosen from: every pair's cosine similarity, counted into bins.

/// Counts of the cosine similarities of all unordered pairs of rows of `m` (each pair `i < j` once), in `bins`
/// equal bins over `lower...upper`; a similarity outside the range counts in the nearest end bin.
///
/// Works blockwise like ``thresholdClusters(_:threshold:blockRows:)``: `blockRows` normalized rows at a time times
/// the rows from the block on (one `cblas_sgemm`), so memory stays O(blockRows × n) and only the bin counts are
/// kept, never the n × n matrix.
/// - Complexity: O(n² · d / 2) time, O(blockRows · n + bins) memory.
public func pairwiseSimilarityHistogram(
    _ m: EmbeddingMatrix, bins: Int, lower: Float = -1, upper: Float = 1, blockRows: Int = 256
) -> [Int] {
    precondition(bins > 0 && upper > lower, "pairwiseSimilarityHistogram: need bins > 0 and upper > lower")
    var counts = [Int](repeating: 0, count: bins)
    let n = m.count, d = m.dimension
    guard n > 1 else { return counts }
    let normalized = m.normalizedRows()
    let block = max(1, blockRows)
    let scale = Float(bins) / (upper - lower)
    var buffer = [Float](repeating: 0, count: min(block, n) * n)
    normalized.values.withUnsafeBufferPointer { a in
        buffer.withUnsafeMutableBufferPointer { c in
            guard let ab = a.baseAddress, let cb = c.baseAddress else { return }
            var r0 = 0
            while r0 < n {
                let rows = min(block, n - r0)
                let width = n - r0  // columns r0..<n: the block's own rows and every later one
                BLAS.gemmABt(ab + r0 * d, ab + r0 * d, into: cb, m: rows, n: width, k: d)
                for li in 0..<rows {
                    let rowBase = li * width
                    for j in (li + 1)..<max(li + 1, width) {
                        let s = cb[rowBase + j]
                        let k = s.isNaN ? 0 : Int(((s - lower) * scale).rounded(.down))
                        counts[min(max(k, 0), bins - 1)] += 1
                    }
                }
                r0 += rows
            }
        }
    }
    return counts
}
