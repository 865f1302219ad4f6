import BelayLab
import BelayTestSupport
import Foundation
import Testing

@Suite struct ConnectedComponentsTests {
    /// A symmetric matrix from a list of (i, j, value) entries, 0 elsewhere and 1 on the diagonal.
    func matrix(_ n: Int, _ entries: [(Int, Int, Float)]) -> [Float] {
        var s = [Float](repeating: 0, count: n * n)
        for i in 0..<n { s[i * n + i] = 1 }
        for (i, j, v) in entries { s[i * n + j] = v; s[j * n + i] = v }
        return s
    }

    @Test func pairExactlyAtThresholdIsNotLinked() {
        let c = thresholdClusters(similarity: matrix(2, [(0, 1, 0.5)]), count: 2, threshold: 0.5)
        #expect(c.labels == [0, 1])
        #expect(c.edgeCount == 0)
        let above = thresholdClusters(similarity: matrix(2, [(0, 1, 0.5000001)]), count: 2, threshold: 0.5)
        #expect(above.labels == [0, 0])
        #expect(above.edgeCount == 1)
    }

    @Test func strictThresholdOnEmbeddings() {
        // Rows 0 and 1 have cosine exactly 0 (orthogonal); at threshold 0 they must stay apart.
        let m = EmbeddingMatrix(count: 3, dimension: 2, values: [1, 0, 0, 1, 1, 0])
        #expect(thresholdClusters(m, threshold: 0).labels == [0, 1, 0])
        #expect(thresholdClusters(m, threshold: -0.5).labels == [0, 0, 0])
    }

    @Test func chainsLinkTransitivelyAndIsolatedItemsAreSingletons() {
        // 0-1 and 1-2 linked, 0-2 not: single linkage still joins all three. 3 and 5 linked, 4 isolated.
        let s = matrix(6, [(0, 1, 0.95), (1, 2, 0.93), (0, 2, 0.2), (3, 5, 0.99), (2, 4, 0.9)])
        let c = thresholdClusters(similarity: s, count: 6, threshold: 0.9)
        #expect(c.labels == [0, 0, 0, 1, 2, 1])
        #expect(c.edgeCount == 3)
        #expect(c.stats == ClusterStats(labels: [0, 0, 0, 1, 2, 1]))
        #expect(c.stats.count == 3)
        #expect(c.stats.sizes == [3, 2, 1])
        #expect(c.stats.largest == 3)
        #expect(c.stats.singletons == 1)
        #expect(c.stats.largestShare == 0.5)
        #expect(c.members == [[0, 1, 2], [3, 5], [4]])
    }

    @Test func emptyAndSingleInputs() {
        let empty = thresholdClusters(EmbeddingMatrix(count: 0, dimension: 4, values: []), threshold: 0.5)
        #expect(empty.labels.isEmpty && empty.stats.count == 0 && empty.stats.largestShare == 0)
        let one = thresholdClusters(EmbeddingMatrix(count: 1, dimension: 2, values: [1, 1]), threshold: 0.5)
        #expect(one.labels == [0] && one.stats.singletons == 1)
    }

    @Test(arguments: [1, 7, 64, 1024])
    func blockwiseEqualsFullMatrix(blockRows: Int) {
        let m = Fixtures.clusteredEmbeddings(count: 150, dimension: 16, groups: 12, noise: 0.45, seed: 21)
        let full = thresholdClusters(similarity: cosineSimilarityMatrix(m), count: m.count, threshold: 0.8)
        let blocked = thresholdClusters(m, threshold: 0.8, blockRows: blockRows)
        #expect(blocked == full)
        #expect(full.stats.count > 5 && full.stats.count < 150, "the fixture should have real clusters")
    }

    @Test func canonicalLabelsFromAnyLabelling() {
        let c = clusters(fromLabels: [7, -1, 7, 3, -1, 9])
        #expect(c.labels == [0, 1, 0, 2, 1, 3])
        #expect(c.stats.sizes == [2, 2, 1, 1])
        #expect(samePartition(c.labels, [7, -1, 7, 3, -1, 9]))
        #expect(ClusterStats(labels: [7, -1, 7, 3, -1, 9]) == c.stats)
    }

    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesSciPyConnectedComponents() throws {
        let m = Fixtures.clusteredEmbeddings(count: 300, dimension: 20, groups: 40, noise: 0.5, seed: 3)
        let s = cosineSimilarityMatrix(m)
        let thresholds: [Float] = [0.5, 0.8, 0.9]
        // Give SciPy the adjacency we mean (strict >, no self loops) computed from our own similarities, so the
        // comparison checks the components and not float rounding at the threshold. One block per threshold.
        var input = ""
        for threshold in thresholds {
            var edges: [String] = []
            for i in 0..<m.count {
                for j in (i + 1)..<m.count where s[i * m.count + j] > threshold { edges.append("\(i) \(j)") }
            }
            input += "\(m.count) \(edges.count)\n" + edges.joined(separator: "\n") + "\n"
        }
        let out = try Reference.run("""
            import sys, numpy as np
            from scipy.sparse import coo_matrix
            from scipy.sparse.csgraph import connected_components
            lines = sys.stdin.read().split("\\n")
            at = 0
            while at < len(lines) and lines[at]:
                n, e = map(int, lines[at].split())
                pairs = np.array([list(map(int, l.split())) for l in lines[at + 1:at + 1 + e]], dtype=np.int64)
                pairs = pairs.reshape(-1, 2)
                g = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
                k, labels = connected_components(g, directed=False)
                print(" ".join(map(str, labels)))
                at += 1 + e
            """, input: input)
        let results = out.split(separator: "\n").map { Reference.numbers(String($0)).map { Int($0) } }
        try #require(results.count == thresholds.count)
        for (threshold, reference) in zip(thresholds, results) {
            let ours = thresholdClusters(similarity: s, count: m.count, threshold: threshold)
            #expect(samePartition(ours.labels, reference), "threshold \(threshold)")
            #expect(ours.stats.count == Set(reference).count)
        }
        #expect(Set(results.map { Set($0).count }).count == 3, "the thresholds should give different partitions")
    }

    @Test func scaleSanity() {
        // 3,000 x 64 in a debug build: blockwise BLAS keeps this well under a second.
        let m = Fixtures.clusteredEmbeddings(count: 3000, dimension: 64, groups: 300, noise: 0.6, seed: 8)
        let c = thresholdClusters(m, threshold: 0.9, blockRows: 512)
        #expect(c.labels.count == 3000)
        #expect(c.stats.sizes.reduce(0, +) == 3000)
    }
}

@Suite struct RealEmbeddingClusterTests {
    /// The dataset README's cluster figures for the 1654 labelled proteins (mean-centred UniRep-256 vectors):
    /// t = 0.80: 129 clusters, largest 1510; t = 0.90: 794 clusters, largest 301, 719 singletons.
    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func reproducesTheDatasetREADMEClusterCounts() throws {
        let folder = URL(fileURLWithPath: Reference.datasetXLSX).deletingLastPathComponent().path
        let out = try Reference.run("""
            import sys, gzip, io, h5py, openpyxl, numpy as np
            folder = sys.stdin.readline().strip()
            ws = openpyxl.load_workbook(folder + "/mtb_with_localization.xlsx", read_only=True).active
            rows = ws.iter_rows(values_only=True)
            h = list(next(rows))
            e, l = h.index("Entry"), h.index("location")
            ids = [r[e] for r in rows if r[l]]
            with gzip.open(folder + "/mtb_full.h5.gz") as g:
                f = h5py.File(io.BytesIO(g.read()), "r")
                x = np.stack([f[i][()] for i in ids]).astype(np.float32)
            print(x.shape[0], x.shape[1])
            np.savetxt(sys.stdout, x, fmt="%.9g")
            """, input: folder + "\n")
        var lines = out.split(separator: "\n")
        let shape = Reference.numbers(String(lines.removeFirst())).map { Int($0) }
        try #require(shape == [1654, 256])
        var values: [Float] = []
        values.reserveCapacity(1654 * 256)
        for line in lines { for token in line.split(separator: " ") { values.append(Float(token) ?? .nan) } }
        let m = EmbeddingMatrix(count: 1654, dimension: 256, values: values)
        let at90 = thresholdClusters(m, threshold: 0.90)
        #expect(at90.stats.count == 794)
        #expect(at90.stats.largest == 301)
        #expect(at90.stats.singletons == 719)
        let at80 = thresholdClusters(m, threshold: 0.80)
        #expect(at80.stats.count == 129)
        #expect(at80.stats.largest == 1510)
    }
}
