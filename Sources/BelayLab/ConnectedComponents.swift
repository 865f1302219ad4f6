// Homology clusters: connected components of the graph "cosine similarity > threshold".
//
// Two proteins are linked when their embeddings' cosine similarity is strictly above the threshold; a cluster
// is a connected component, so links chain (single linkage): A~B and B~C put A and C together even when
// A and C are far apart. Components come from a union–find (disjoint-set forest) with union by size and
// path halving, which processes each edge in near-constant amortized time.

/// Summary numbers of a clustering.
public struct ClusterStats: Sendable, Equatable {
    /// Number of clusters.
    public var count: Int
    /// Size of the largest cluster (0 when there are no items).
    public var largest: Int
    /// Number of clusters of size 1.
    public var singletons: Int
    /// All cluster sizes, largest first.
    public var sizes: [Int]
    /// `largest / items` (0 when there are no items).
    public var largestShare: Double

    /// The statistics of a labelling (any integer ids; each distinct id is one cluster).
    /// - Complexity: O(n + k log k).
    public init(labels: [Int]) {
        var sizeOf: [Int: Int] = [:]
        for l in labels { sizeOf[l, default: 0] += 1 }
        let sizes = sizeOf.values.sorted(by: >)
        self.count = sizes.count
        self.largest = sizes.first ?? 0
        self.singletons = sizes.count { $0 == 1 }
        self.sizes = sizes
        self.largestShare = labels.isEmpty ? 0 : Double(largest) / Double(labels.count)
    }
}

/// A partition of items into clusters.
public struct Clustering: Sendable, Equatable {
    /// Cluster id per item, canonical: ids `0..<k` numbered in order of each cluster's first member, so two
    /// equal partitions always have equal `labels`.
    public var labels: [Int]
    /// Summary numbers.
    public var stats: ClusterStats
    /// Number of linked pairs (i < j) in the threshold graph; for `clusters(fromLabels:)`, 0.
    public var edgeCount: Int

    /// Wraps canonical labels (see `clusters(fromLabels:)` to canonicalize arbitrary ones), e.g. a clustering an
    /// earlier run kept.
    public init(canonicalLabels: [Int], edgeCount: Int) {
        self.labels = canonicalLabels
        self.stats = ClusterStats(labels: canonicalLabels)
        self.edgeCount = edgeCount
    }

    /// The members of each cluster, by cluster id, each in input order.
    public var members: [[Int]] {
        var out = [[Int]](repeating: [], count: stats.count)
        for (i, l) in labels.enumerated() { out[l].append(i) }
        return out
    }
}

/// A disjoint-set forest over `0..<n`: union by size, path halving.
struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        var ra = find(a), rb = find(b)
        guard ra != rb else { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        size[ra] += size[rb]
    }

    /// Canonical labels: components numbered by their first member.
    mutating func canonicalLabels() -> [Int] {
        let n = parent.count
        var idOfRoot = [Int](repeating: -1, count: n)
        var labels = [Int](repeating: 0, count: n)
        var next = 0
        for i in 0..<n {
            let r = find(i)
            if idOfRoot[r] < 0 { idOfRoot[r] = next; next += 1 }
            labels[i] = idOfRoot[r]
        }
        return labels
    }
}

/// The upper triangle of the cosine matrix of already-normalized rows, block by block: rows are split into blocks of
/// `blockRows`, and for each block one `cblas_sgemm` gives its rows' cosines with every row from the block's first
/// on. `thresholdClusters` and `SingleLinkage` both read the cosines through this one traversal, so they see the
/// same float for every pair, bit for bit.
struct SimilarityPass {
    /// The block's product: `c` is `rows x cols`, row-major; `c[li * cols + lj]` is cos(r0 + li, r0 + lj), and
    /// the pairs above the diagonal are those with `lj > li`.
    typealias Visit = (_ r0: Int, _ rows: Int, _ cols: Int, _ c: UnsafePointer<Float>) -> Void

    let count: Int
    let dimension: Int
    let block: Int
    let blockStarts: [Int]
    /// Workers the pass runs on. Blocks are independent: each worker takes every `workers`-th block (the first
    /// blocks are the widest, so this balances the work). Threads only pay off once the product is large (about
    /// 2 GFLOP): below, one worker is faster.
    let workers: Int

    init(count: Int, dimension: Int, blockRows: Int) {
        self.count = count
        self.dimension = dimension
        block = max(1, blockRows)
        blockStarts = Array(stride(from: 0, to: count, by: block))
        let large = Double(count) * Double(count) * Double(dimension) >= 2e9
        workers = large ? max(1, min(ParallelWork.coreCount, blockStarts.count)) : 1
    }

    /// Runs `body(w, forEachBlock)` for every worker `w` concurrently; `forEachBlock(visit)` computes worker
    /// `w`'s blocks one after the other in a private `blockRows x count` buffer and calls `visit` on each (none
    /// when there is nothing to multiply). `normalized` must have `count x dimension` values.
    func run(_ normalized: EmbeddingMatrix, _ body: @Sendable (_ worker: Int, _ forEachBlock: (Visit) -> Void) -> Void) {
        let n = count, d = dimension, block = block, blockStarts = blockStarts, workers = workers
        normalized.values.withUnsafeBufferPointer { a in
            guard let aBase = a.baseAddress else {
                for w in 0..<workers { body(w) { _ in } }
                return
            }
            let matrix = ParallelWork.ReadOnly(pointer: aBase)
            ParallelWork.run(workers) { w in
                var buffer = [Float](repeating: 0, count: min(block, n) * n)
                buffer.withUnsafeMutableBufferPointer { c in
                    guard let cBase = c.baseAddress else { return body(w) { _ in } }
                    body(w) { visit in
                        for b in stride(from: w, to: blockStarts.count, by: workers) {
                            let r0 = blockStarts[b]
                            let rows = min(block, n - r0), cols = n - r0
                            // c (rows x cols) = rows r0..<r0+rows  ·  (rows r0..<n)^T
                            BLAS.gemmABt(
                                matrix.pointer + r0 * d, matrix.pointer + r0 * d, into: cBase, m: rows, n: cols, k: d)
                            visit(r0, rows, cols, UnsafePointer(cBase))
                        }
                    }
                }
            }
        }
    }
}

/// Clusters embeddings: connected components of the graph with an edge (i, j) iff cos(i, j) > `threshold`
/// (strictly: a pair exactly at the threshold is not linked).
///
/// Works blockwise and never holds the n x n matrix: rows are normalized once, then for each block of
/// `blockRows` rows one `cblas_sgemm` gives their cosines with every later row (the upper triangle only), and
/// each pair above the threshold is a union. Peak extra memory is `4 * blockRows * n` bytes plus the
/// normalized copy (20,000 x 1024 with 1024-row blocks: about 80 MB + 80 MB). For many thresholds over one set,
/// `SingleLinkage` does one pass and answers each threshold in O(n).
/// - Complexity: O(n² d / 2) time (BLAS), O(blockRows x n + n d) memory.
public func thresholdClusters(_ m: EmbeddingMatrix, threshold: Float, blockRows: Int = 256) -> Clustering {
    let n = m.count
    let pass = SimilarityPass(count: n, dimension: m.dimension, blockRows: blockRows)
    let workers = pass.workers
    // Each worker unions its edges into a private union–find; the forests are merged at the end.
    let forests = UnsafeMutablePointer<UnionFind>.allocate(capacity: workers)
    let edgeCounts = UnsafeMutablePointer<Int>.allocate(capacity: workers)
    defer {
        forests.deinitialize(count: workers)
        forests.deallocate()
        edgeCounts.deallocate()
    }
    for w in 0..<workers {
        (forests + w).initialize(to: UnionFind(count: n))
        edgeCounts[w] = 0
    }
    let shared = ParallelWork.Pointers(forests: forests, edgeCounts: edgeCounts)
    pass.run(m.normalizedRows()) { w, forEachBlock in
        var uf = UnionFind(count: n)
        var edges = 0
        forEachBlock { r0, rows, cols, c in
            for li in 0..<rows {
                let line = c + li * cols
                for lj in (li + 1)..<cols where line[lj] > threshold {
                    edges += 1
                    uf.union(r0 + li, r0 + lj)
                }
            }
        }
        shared.forests[w] = uf
        shared.edgeCounts[w] = edges
    }
    var uf = forests[0]
    var edges = edgeCounts[0]
    for w in 1..<workers {
        edges += edgeCounts[w]
        for i in 0..<n {
            let root = forests[w].find(i)
            if root != i { uf.union(i, root) }
        }
    }
    return Clustering(canonicalLabels: uf.canonicalLabels(), edgeCount: edges)
}

/// Clusters from an explicit `count x count` similarity matrix (row-major), with an edge (i, j) iff
/// `similarity[i*count + j] > threshold` for i < j. Only the upper triangle is read; the matrix is taken
/// to be symmetric. Meant for small, hand-made cases.
/// - Complexity: O(count²).
public func thresholdClusters(similarity: [Float], count: Int, threshold: Float) -> Clustering {
    precondition(similarity.count == count * count,
                 "thresholdClusters: \(similarity.count) values for a \(count) x \(count) matrix")
    var uf = UnionFind(count: count)
    var edges = 0
    for i in 0..<count {
        for j in (i + 1)..<max(i + 1, count) where similarity[i * count + j] > threshold {
            edges += 1
            uf.union(i, j)
        }
    }
    return Clustering(canonicalLabels: uf.canonicalLabels(), edgeCount: edges)
}

/// Canonicalizes any labelling (ids need not be contiguous or non-negative): the same partition with ids
/// `0..<k` numbered by first member in input order.
/// - Complexity: O(n) expected.
public func clusters(fromLabels labels: [Int]) -> Clustering {
    var idOf: [Int: Int] = [:]
    var out: [Int] = []
    out.reserveCapacity(labels.count)
    for l in labels {
        if let id = idOf[l] {
            out.append(id)
        } else {
            idOf[l] = idOf.count
            out.append(idOf.count - 1)
        }
    }
    return Clustering(canonicalLabels: out, edgeCount: 0)
}
