// Cosine similarity between embedding vectors: the notion of "near" behind the route's clusters.
//
// cos(a, b) = a·b / (|a| |b|). Normalizing every row once turns the whole matrix into one matrix product
// N·Nᵀ, which BLAS computes an order of magnitude faster than any loop over pairs.

/// The cosine similarity of every pair of rows: an `n x n` row-major matrix, symmetric, with 1 on the diagonal
/// (0 for a zero row, whose cosine with everything, itself included, is defined as 0).
///
/// One `cblas_ssyrk` (half of N·Nᵀ) over the normalized rows, then the lower half mirrored. Needs `4 n²` bytes:
/// for large `n` use `thresholdClusters(_:threshold:blockRows:)` or `homologyAudit`, which work blockwise.
/// - Complexity: O(n² d) time, O(n²) memory.
public func cosineSimilarityMatrix(_ m: EmbeddingMatrix) -> [Float] {
    let n = m.count, d = m.dimension
    let normalized = m.normalizedRows()
    var out = [Float](repeating: 0, count: n * n)
    normalized.values.withUnsafeBufferPointer { a in
        out.withUnsafeMutableBufferPointer { c in
            guard let aBase = a.baseAddress, let cBase = c.baseAddress else { return }
            BLAS.syrkUpper(aBase, into: cBase, n: n, k: d)
            for i in 0..<n {
                for j in 0..<i { c[i * n + j] = c[j * n + i] }
            }
        }
    }
    for i in 0..<n {
        let nonzero = normalized.row(i).contains { $0 != 0 }
        out[i * n + i] = nonzero ? 1 : 0
    }
    return out
}

/// The cosine similarity of two vectors of equal length, accumulated in `Double`; 0 if either is all zeros.
/// - Complexity: O(d).
public func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "cosineSimilarity: lengths \(a.count) and \(b.count) differ")
    var dot = 0.0, na = 0.0, nb = 0.0
    for k in a.indices {
        let x = Double(a[k]), y = Double(b[k])
        dot += x * y
        na += x * x
        nb += y * y
    }
    guard na > 0, nb > 0 else { return 0 }
    return Float(dot / (na.squareRoot() * nb.squareRoot()))
}
