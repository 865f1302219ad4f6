// Single linkage: `thresholdClusters` at every threshold from one similarity pass.
//
// The connected components of the graph "cos > t" are the components of the maximum spanning forest's edges
// heavier than t: a pair linked by a chain of edges above t is linked by the forest's path between them, whose
// lightest edge is the heaviest possible (the forest's cut property). So the forest's n - 1 edges, sorted, give
// the partition at any t, and all pair similarities, sorted, give the number of pairs above t. Both come from the
// same blocked product as `thresholdClusters`, so the answer is its answer bit for bit.

/// Every threshold's clustering of one embedding set, from one pass over its pair similarities.
///
/// `clustering(threshold:)` equals `thresholdClusters(m, threshold:blockRows:)` exactly (same canonical labels,
/// same edge count) for every threshold, including one equal to a pair's similarity (strict `>`), NaN
/// similarities (never a link, as there), and thresholds outside [-1, 1].
///
/// Holds the forest (n - 1 edges) and every non-NaN pair similarity (4 bytes a pair): the value is only made
/// when the pairs fit `pairBudget`; callers with larger sets use `thresholdClusters` per threshold.
public struct SingleLinkage: Sendable {
    /// Default cap on the pairs kept, `n(n-1)/2`: those of 4096 items (8.4 million, 34 MB of similarities).
    public static let defaultPairBudget = 4096 * 4095 / 2

    /// Number of items.
    public let count: Int
    /// The maximum spanning forest's edges, heaviest first: weights and endpoints.
    let forestWeights: [Float]
    let forestEnds: [(Int32, Int32)]
    /// Every pair's similarity except NaN ones, as order-preserving keys (see `key(_:)`), ascending.
    let sortedKeys: [UInt32]

    /// Pairs (i < j) among `count` items.
    public static func pairCount(_ count: Int) -> Int { count > 1 ? count * (count - 1) / 2 : 0 }

    /// One similarity pass over `m` (rows normalized, blocks of `blockRows` as in `thresholdClusters`); nil when
    /// its `n(n-1)/2` pairs exceed `pairBudget`.
    /// - Complexity: O(n² d / 2) (BLAS) + O(n²) (the forest, a radix sort of the pairs); 8 bytes a pair at peak.
    public init?(_ m: EmbeddingMatrix, blockRows: Int = 256, pairBudget: Int = SingleLinkage.defaultPairBudget) {
        let n = m.count
        let pairs = Self.pairCount(n)
        guard n < Int(Int32.max), pairs <= pairBudget else { return nil }
        count = n
        // The upper triangle, row by row: pair (i, j), i < j, at rowStart(i) + j - i - 1. NaN stands for a pair
        // the pass does not reach (no values at all), which `thresholdClusters` never links either.
        var triangle = [Float](repeating: .nan, count: pairs)
        if pairs > 0 {
            triangle.withUnsafeMutableBufferPointer { t in
                guard let base = t.baseAddress else { return }
                let out = ParallelWork.Slots(pointer: base)
                let pass = SimilarityPass(count: n, dimension: m.dimension, blockRows: blockRows)
                // Workers write disjoint rows of the triangle.
                pass.run(m.normalizedRows()) { _, forEachBlock in
                    forEachBlock { r0, rows, cols, c in
                        for li in 0..<min(rows, cols - 1) {
                            let i = r0 + li
                            (out.pointer + Self.rowStart(i, n)).update(from: c + li * cols + li + 1, count: cols - li - 1)
                        }
                    }
                }
            }
        }
        let forest = Self.maximumSpanningForest(triangle, count: n)
        forestWeights = forest.map(\.weight)
        forestEnds = forest.map { (Int32($0.a), Int32($0.b)) }
        var keys: [UInt32] = []
        keys.reserveCapacity(pairs)
        for v in triangle where !v.isNaN { keys.append(Self.key(v)) }
        triangle = []
        sortedKeys = Self.radixSorted(keys)
    }

    /// Number of pairs (i < j) with similarity > `threshold`: `thresholdClusters`'s `edgeCount`.
    /// - Complexity: O(log n²).
    public func edgeCount(threshold: Float) -> Int {
        guard !threshold.isNaN else { return 0 }
        let t = Self.key(threshold)
        // First key above t.
        var lo = 0, hi = sortedKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sortedKeys[mid] > t { hi = mid } else { lo = mid + 1 }
        }
        return sortedKeys.count - lo
    }

    /// Connected components of "similarity > `threshold`", as `thresholdClusters` gives them.
    /// - Complexity: O(n α(n) + log n²).
    public func clustering(threshold: Float) -> Clustering {
        // Forest edges above the threshold: a prefix of the heaviest-first list (none for a NaN threshold).
        var lo = 0, hi = forestWeights.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if forestWeights[mid] > threshold { lo = mid + 1 } else { hi = mid }
        }
        var uf = UnionFind(count: count)
        for e in 0..<lo { uf.union(Int(forestEnds[e].0), Int(forestEnds[e].1)) }
        return Clustering(canonicalLabels: uf.canonicalLabels(), edgeCount: edgeCount(threshold: threshold))
    }

    /// Where row `i`'s pairs (i, i+1…n-1) start in the packed upper triangle.
    static func rowStart(_ i: Int, _ n: Int) -> Int { i * (2 * n - i - 1) / 2 }

    /// An unsigned key ordered as the floats are (NaN excluded), with -0 and +0 one key since they compare equal:
    /// for non-NaN a, b, `a > b` iff `key(a) > key(b)`.
    static func key(_ v: Float) -> UInt32 {
        let bits = (v == 0 ? Float(0) : v).bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// Prim's algorithm on the dense triangle, restarted for each component; NaN and -infinity pairs are no edge
    /// (neither is ever above a threshold). Edges heaviest first.
    /// - Complexity: O(n²).
    static func maximumSpanningForest(_ triangle: [Float], count n: Int) -> [(weight: Float, a: Int, b: Int)] {
        guard n > 1 else { return [] }
        var edges: [(weight: Float, a: Int, b: Int)] = []
        edges.reserveCapacity(n - 1)
        var best = [Float](repeating: -.infinity, count: n)
        var link = [Int](repeating: -1, count: n)
        var rest = Array(1..<n)  // vertices not yet in the forest
        var u = 0
        triangle.withUnsafeBufferPointer { t in
            while !rest.isEmpty {
                var pick = 0
                var pickWeight = -Float.infinity
                for k in rest.indices {
                    let j = rest[k]
                    let w = u < j ? t[rowStart(u, n) + j - u - 1] : t[rowStart(j, n) + u - j - 1]
                    if w > best[j] {  // false for NaN
                        best[j] = w
                        link[j] = u
                    }
                    if best[j] > pickWeight {
                        pickWeight = best[j]
                        pick = k
                    }
                }
                let v = rest[pick]
                rest[pick] = rest[rest.count - 1]
                rest.removeLast()
                if link[v] >= 0 { edges.append((best[v], link[v], v)) }  // else v starts a new tree
                u = v
            }
        }
        edges.sort { $0.weight > $1.weight }
        return edges
    }

    /// `keys` sorted ascending: least-significant-digit radix sort, four passes of a byte (a pass whose byte is
    /// the same in every key is skipped).
    /// - Complexity: O(keys.count).
    static func radixSorted(_ keys: [UInt32]) -> [UInt32] {
        let count = keys.count
        guard count > 1 else { return keys }
        var source = keys
        var target = [UInt32](repeating: 0, count: count)
        var histogram = [Int](repeating: 0, count: 4 * 256)
        source.withUnsafeBufferPointer { s in
            for k in s {
                histogram[Int(k & 0xFF)] += 1
                histogram[256 + Int((k >> 8) & 0xFF)] += 1
                histogram[512 + Int((k >> 16) & 0xFF)] += 1
                histogram[768 + Int(k >> 24)] += 1
            }
        }
        for digit in 0..<4 {
            let counts = histogram[(digit * 256)..<((digit + 1) * 256)]
            if counts.contains(count) { continue }
            var offsets = [Int](repeating: 0, count: 256)
            var sum = 0
            for (b, c) in counts.enumerated() {
                offsets[b] = sum
                sum += c
            }
            let shift = UInt32(digit * 8)
            source.withUnsafeBufferPointer { s in
                target.withUnsafeMutableBufferPointer { t in
                    for k in s {
                        let b = Int((k >> shift) & 0xFF)
                        t[offsets[b]] = k
                        offsets[b] += 1
                    }
                }
            }
            swap(&source, &target)
        }
        return source
    }
}
