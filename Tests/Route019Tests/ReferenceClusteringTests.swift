import BelayLab
import BelayTestSupport
import Foundation
@testable import Route019
import Synchronization
import Testing

/// The reference's clusterings of its aligned proteins come from its single linkage (one similarity pass); they
/// must be exactly what a fresh blocked pass gives at each threshold, and what SciPy finds.
@Suite struct ReferenceClusteringTests {
    static let slack = Route019Reference.thresholdSlack

    @Test func derivedClusteringsEqualAFreshPass() {
        let reference = sharedReference
        for t: Float in [0.8, 0.85, 0.9, 0.9 + Self.slack, 0.9 - Self.slack, 0.95] {
            let fresh = thresholdClusters(reference.embeddings, threshold: t)
            #expect(reference.clustering(at: t) == fresh, "threshold \(t)")
            #expect(reference.clustering(at: t) == fresh, "threshold \(t), from the cache")
        }
        #expect(reference.clustering == thresholdClusters(reference.embeddings, threshold: reference.threshold))
        // A student's set that is the aligned set in another order reads the same partition.
        let ids = Array(reference.alignedIDs.reversed())
        let fresh = thresholdClusters(reference.embeddings, threshold: 0.87).labels
        #expect(reference.components(for: ids, threshold: 0.87) == Array(fresh.reversed()))
    }

    /// SciPy's `connected_components` on NumPy's float32 cosines > t: the same partition and pair count when no
    /// pair lies within 1e-6 of t (float32 products in another order may differ there; on the real data none does
    /// at 0.85 or 0.9), and always between the clusterings at t ± slack.
    static let script = #"""
        import json, sys
        import numpy as np
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        path, d, t = sys.argv[1], int(sys.argv[2]), np.float32(sys.argv[3])
        X = np.fromfile(path, dtype="<f4").reshape(-1, d)
        X = X / np.linalg.norm(X, axis=1, keepdims=True).astype(np.float32)
        S = (X @ X.T).astype(np.float32)
        upper = np.triu(np.ones(S.shape, dtype=bool), k=1)
        edges = upper & (S > t)
        count, labels = connected_components(csr_matrix(edges), directed=False)
        near = int((upper & (np.abs(S - t) < 1e-6)).sum())
        print(json.dumps({"components": int(count), "edges": int(edges.sum()), "near": near,
                          "labels": labels.tolist()}))
        """#

    struct SciPyFigures: Decodable {
        var components: Int
        var edges: Int
        var near: Int
        var labels: [Int]
    }

    /// A batch asks for many students' thresholds: the held clusterings are bounded, and one asked again after the
    /// cache started over is still the fresh pass's.
    @Test func manyThresholdsStayBoundedAndExact() {
        let reference = sharedReference
        let thresholds = (0..<300).map { Float(0.8) + Float($0) * 0.0005 }
        for t in thresholds { _ = reference.clustering(at: t) }
        #expect(reference.cache.withLock { $0.count } <= 256)
        let t = thresholds[3]
        #expect(reference.clustering(at: t) == thresholdClusters(reference.embeddings, threshold: t))
        #expect(reference.clustering(at: reference.threshold) == reference.clustering)
    }

    @Test(.enabled(if: Python.isAvailable("numpy", "scipy"), "needs NumPy and SciPy (CI requires them)"))
    func componentsMatchSciPy() throws {
        let reference = sharedReference
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let file = directory.file("x.f32")
        try reference.embeddings.values.withUnsafeBytes { try Data($0).write(to: file) }
        for t: Float in [0.85, 0.9] {
            let output = try Python.output(
                script: Self.script, arguments: [file.path, String(reference.embeddings.dimension), String(t)])
            let scipy = try JSONDecoder().decode(SciPyFigures.self, from: Data(output.utf8))
            let belay = reference.clustering(at: t)
            let finer = reference.clustering(at: t + Self.slack), coarser = reference.clustering(at: t - Self.slack)
            #expect(coarser.stats.count <= scipy.components && scipy.components <= finer.stats.count)
            #expect(finer.edgeCount <= scipy.edges && scipy.edges <= coarser.edgeCount)
            if scipy.near == 0 {
                #expect(scipy.components == belay.stats.count, "threshold \(t)")
                #expect(scipy.edges == belay.edgeCount, "threshold \(t)")
                #expect(samePartition(scipy.labels, belay.labels), "threshold \(t)")
            }
        }
        let belay = reference.clustering(at: 0.9)
        #expect(belay.stats.count > 100 && belay.stats.count < reference.embeddings.count, "0.9 should cut the set")
    }
}
