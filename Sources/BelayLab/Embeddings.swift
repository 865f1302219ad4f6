// Per-protein embedding vectors as one flat matrix, and matching them to the labelled proteins.

/// `count` vectors of `dimension` floats, stored row-major in one array (row i is `values[i*d ..< (i+1)*d]`).
public struct EmbeddingMatrix: Sendable, Equatable {
    /// Number of rows (proteins).
    public var count: Int
    /// Length of each row.
    public var dimension: Int
    /// The values, row-major, `count * dimension` of them.
    public var values: [Float]

    /// Wraps row-major values; `values.count` must equal `count * dimension`.
    public init(count: Int, dimension: Int, values: [Float]) {
        precondition(count >= 0 && dimension >= 0 && values.count == count * dimension,
                     "EmbeddingMatrix: \(values.count) values for \(count) x \(dimension)")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Builds a matrix from rows of equal length (nil if they differ; an empty list gives 0 x 0).
    public init?(rows: [[Float]]) {
        let d = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == d }) else { return nil }
        self.init(count: rows.count, dimension: d, values: rows.flatMap { $0 })
    }

    /// Row `i`.
    public func row(_ i: Int) -> ArraySlice<Float> { values[(i * dimension)..<((i + 1) * dimension)] }

    /// Each row divided by its Euclidean norm (accumulated in `Double`), so dot products become cosines.
    /// Zero rows stay zero: they have no direction, and this makes their cosine with anything 0.
    /// - Complexity: O(count x dimension).
    public func normalizedRows() -> EmbeddingMatrix {
        var out = values
        let d = dimension
        out.withUnsafeMutableBufferPointer { p in
            for i in 0..<count {
                var sum = 0.0
                for k in 0..<d { let v = Double(p[i * d + k]); sum += v * v }
                guard sum > 0 else { continue }
                let inv = Float(1 / sum.squareRoot())
                for k in 0..<d { p[i * d + k] *= inv }
            }
        }
        return EmbeddingMatrix(count: count, dimension: d, values: out)
    }

    /// The rows at `rows`, in that order (repeats allowed).
    /// - Complexity: O(rows.count x dimension).
    public func subset(_ rows: [Int]) -> EmbeddingMatrix {
        var out: [Float] = []
        out.reserveCapacity(rows.count * dimension)
        for r in rows { out.append(contentsOf: row(r)) }
        return EmbeddingMatrix(count: rows.count, dimension: dimension, values: out)
    }

    /// The values widened to `Double` (a classifier's input).
    public var asDoubles: [Double] { values.map(Double.init) }
}

/// The result of matching labelled proteins to embedding rows.
public struct Alignment: Sendable, Equatable {
    /// Indices into the label list of the proteins that have an embedding, in label order.
    public var kept: [Int]
    /// For each kept protein, its row in the embedding list (parallel to `kept`).
    public var embeddingRows: [Int]
    /// Label ids with no embedding, in label order.
    public var missing: [String]
}

/// Matches label ids to embedding ids, keeping the order of `labelIDs`.
///
/// The embedding file covers the whole proteome, a superset of the labelled proteins; this picks, for each
/// labelled id, its embedding row. Ids compare exactly (case matters: `RV1984a` is not `Rv1984a`). If an id
/// occurs twice among the embeddings, its first row is used.
/// - Complexity: O(labels + embeddings) expected.
public func alignIDs(labelIDs: [String], embeddingIDs: [String]) -> Alignment {
    var rowOf: [String: Int] = [:]
    rowOf.reserveCapacity(embeddingIDs.count)
    for (i, id) in embeddingIDs.enumerated() where rowOf[id] == nil { rowOf[id] = i }
    var result = Alignment(kept: [], embeddingRows: [], missing: [])
    for (i, id) in labelIDs.enumerated() {
        if let r = rowOf[id] {
            result.kept.append(i)
            result.embeddingRows.append(r)
        } else {
            result.missing.append(id)
        }
    }
    return result
}
