// Single linkage: `thresholdClusters` at every threshold from one similarity pass.
//
// The connected components of the graph "cos > t" are the components of the maximum spanning forest's edges
// heavier than t: a pair linked by a chain of edges above t is linked by the forest's path between them, since
// that path's lightest edge is the heaviest any path between them has (the maximin path property of maximum
// spanning forests). So the forest's n - 1 edges, sorted, give the partition at any t, and all pair
// similarities, sorted, give the number of pairs above t. Both come from the same blocked product as
// `thresholdClusters`, so the answer is its answer bit for bit.

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
    /// - Complexity: O(n² d / 2) (BLAS) + O(n²) (the forest, a radix sort of the pairs); 8 bytes a pair at peak,
    ///   4 kept.
    public init?(_ m: EmbeddingMatrix, blockRows: Int = 256, pairBudget: Int = SingleLinkage.defaultPairBudget) {
        let n = m.count
        let pairs = Self.pairCount(n)
        guard n < Int(Int32.max), pairs <= pairBudget else { return nil }
        count = n
        // The upper triangle's bit patterns, row by row: pair (i, j), i < j, at rowStart(i) + j - i - 1. NaN
        // stands for a pair the pass does not reach (no values at all), which `thresholdClusters` never links
        // either. The same two buffers then serve the forest (with the transpose) and the sort (as its scratch).
        var upper = [UInt32](repeating: Float.nan.bitPattern, count: pairs)
        if pairs > 0 {
            upper.withUnsafeMutableBufferPointer { t in
                guard let base = t.baseAddress else { return }
                let out = ParallelWork.Slots(pointer: base)
                let pass = SimilarityPass(count: n, dimension: m.dimension, blockRows: blockRows)
                // Workers write disjoint rows of the triangle.
                pass.run(m.normalizedRows()) { _, forEachBlock in
                    forEachBlock { r0, rows, cols, c in
                        for li in 0..<min(rows, cols - 1) {
                            let i = r0 + li
                            UnsafeMutableRawPointer(out.pointer + Self.rowStart(i, n)).copyMemory(
                                from: c + li * cols + li + 1, byteCount: (cols - li - 1) * MemoryLayout<Float>.size)
                        }
                    }
                }
            }
        }
        var lower = [UInt32](repeating: 0, count: pairs)
        let forest = Self.maximumSpanningForest(upper: upper, lower: &lower, count: n)
        forestWeights = forest.map(\.weight)
        forestEnds = forest.map { (Int32($0.a), Int32($0.b)) }
        // The similarities' keys, NaN left out, in place; then sorted with the transpose's buffer as scratch.
        var kept = 0
        upper.withUnsafeMutableBufferPointer { u in
            for i in u.indices {
                let v = Float(bitPattern: u[i])
                guard !v.isNaN else { continue }
                u[kept] = Self.key(v)
                kept += 1
            }
        }
        upper.removeLast(pairs - kept)
        lower.removeLast(pairs - kept)
        Self.radixSort(&upper, scratch: &lower)
        sortedKeys = upper
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

    /// Prim's algorithm on the dense triangle (`upper`, bit patterns), restarted for each component; NaN and
    /// -infinity pairs are no edge (neither is ever above a threshold). Edges heaviest first.
    ///
    /// Adding vertex u reads all its pairs: (u, j > u) are row u of the triangle, and (j < u, u) are row u of its
    /// transpose, written first into `lower` (as many values) tile by tile, so that both reads are contiguous.
    /// - Complexity: O(n²).
    static func maximumSpanningForest(upper: [UInt32], lower: inout [UInt32], count n: Int)
        -> [(weight: Float, a: Int, b: Int)] {
        guard n > 1 else { return [] }
        // lower[lowerStart(i) + j] = cos(j, i) for j < i.
        func lowerStart(_ i: Int) -> Int { i * (i - 1) / 2 }
        var edges: [(weight: Float, a: Int, b: Int)] = []
        edges.reserveCapacity(n - 1)
        // best[j]: heaviest pair from j into the forest so far (-infinity: none); NaN once j is in the forest, so
        // neither the update nor the pick below touches it again.
        var best = [Float](repeating: -.infinity, count: n)
        var link = [Int](repeating: -1, count: n)
        upper.withUnsafeBufferPointer { t in
            lower.withUnsafeMutableBufferPointer { l in
                let tile = 64
                for i0 in stride(from: 0, to: n, by: tile) {
                    for j0 in stride(from: i0, to: n, by: tile) {
                        for i in i0..<min(i0 + tile, n) {
                            let row = rowStart(i, n) - i - 1  // t[row + j] = cos(i, j) for j > i
                            for j in max(j0, i + 1)..<min(j0 + tile, n) { l[lowerStart(j) + i] = t[row + j] }
                        }
                    }
                }
            }
        }
        upper.withUnsafeBufferPointer { t in
            lower.withUnsafeBufferPointer { l in
                best.withUnsafeMutableBufferPointer { best in
                    link.withUnsafeMutableBufferPointer { link in
                        var u = 0
                        for _ in 1..<n {
                            best[u] = .nan
                            var pick = -1
                            var pickWeight = -Float.infinity
                            let below = lowerStart(u)
                            for j in 0..<u {
                                let w = Float(bitPattern: l[below + j])
                                if w > best[j] {  // false for NaN, and for j in the forest
                                    best[j] = w
                                    link[j] = u
                                }
                                if best[j] > pickWeight {
                                    pickWeight = best[j]
                                    pick = j
                                }
                            }
                            let above = rowStart(u, n) - u - 1
                            for j in (u + 1)..<n {
                                let w = Float(bitPattern: t[above + j])
                                if w > best[j] {
                                    best[j] = w
                                    link[j] = u
                                }
                                if best[j] > pickWeight {
                                    pickWeight = best[j]
                                    pick = j
                                }
                            }
                            if pick < 0 {
                                // Nothing left links to the forest: the first vertex outside it starts a new tree.
                                pick = (0..<n).first { !best[$0].isNaN } ?? 0
                            } else if link[pick] >= 0 {
                                edges.append((pickWeight, link[pick], pick))
                            }
                            u = pick
                        }
                    }
                }
            }
        }
        edges.sort { $0.weight > $1.weight }
        return edges
    }

    /// Sorts `keys` ascending: least-significant-digit radix sort, three passes of 11 bits (a pass whose digit
    /// is the same in every key is skipped), through `scratch` (as many values; left with arbitrary ones).
    /// - Complexity: O(keys.count).
    static func radixSort(_ keys: inout [UInt32], scratch: inout [UInt32]) {
        let count = keys.count
        precondition(scratch.count == count, "radixSort: scratch of \(scratch.count) for \(count) keys")
        guard count > 1 else { return }
        let bits = 11, buckets = 1 << bits, mask = UInt32(buckets - 1)
        var histogram = [Int](repeating: 0, count: 3 * buckets)
        keys.withUnsafeBufferPointer { s in
            histogram.withUnsafeMutableBufferPointer { h in
                for k in s {
                    h[Int(k & mask)] += 1
                    h[buckets + Int((k >> 11) & mask)] += 1
                    h[2 * buckets + Int(k >> 22)] += 1
                }
            }
        }
        var offsets = [Int](repeating: 0, count: buckets)
        for digit in 0..<3 {
            let counts = histogram[(digit * buckets)..<((digit + 1) * buckets)]
            if counts.contains(count) { continue }
            var sum = 0
            for (b, c) in counts.enumerated() {
                offsets[b] = sum
                sum += c
            }
            let shift = UInt32(digit * bits)
            keys.withUnsafeBufferPointer { s in
                scratch.withUnsafeMutableBufferPointer { t in
                    offsets.withUnsafeMutableBufferPointer { o in
                        for k in s {
                            let b = Int((k >> shift) & mask)
                            t[o[b]] = k
                            o[b] += 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
    }
}
