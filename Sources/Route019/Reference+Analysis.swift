import BelayLab
import Synchronization
import BelayData
import BelayRoute
import Foundation

/// The reference's answers about a student's own protein set: their clusters, their splits, a rerun of their experiment.
extension Route019Reference {
    /// Floating-point slack at the threshold: a student's float64 cosine and Belay's float32 one may land on
    /// either side of the cut for a pair within this distance of it, and neither is wrong.
    public static let thresholdSlack: Float = 1e-5

    /// Unit-normalized embeddings for `ids` (in that order), and the ids that have none.
    ///
    /// Any sheet protein's vector can be looked up, labelled or not.
    public func embeddings(for ids: [String]) -> (matrix: EmbeddingMatrix, rows: [Int], missing: [String]) {
        var rows: [Int] = []
        var positions: [Int] = []
        var missing: [String] = []
        for (i, id) in ids.enumerated() {
            if let r = datasetRowByID[id] {
                rows.append(r)
                positions.append(i)
            } else {
                missing.append(id)
            }
        }
        return (dataset.embeddings.subset(rows).normalizedRows(), positions, missing)
    }

    /// Connected components of exactly `ids` (all must have embeddings) at `threshold`, labels in `ids` order.
    ///
    /// When `ids` is the reference's own aligned set (in any order), the cached clustering is reused.
    public func components(for ids: [String], threshold: Float) -> [Int] {
        if ids.count == alignedIDs.count, ids.allSatisfy({ alignedIndexByID[$0] != nil }) {
            let reference = clustering(at: threshold)
            return ids.map { reference.labels[alignedIndexByID[$0] ?? 0] }
        }
        // Several checks ask for the same student set at the same threshold: compute it once per submission.
        return subsetCache.value(ComponentsKey(ids: ids, threshold: threshold)) {
            kept(
                "route019-components-1", [ResultStore.bytes(ids), ResultStore.bytes([threshold.bitPattern])],
                encode: { ResultStore.bytes($0) },
                decode: { data in ResultStore.integers(data, as: Int.self).flatMap { $0.count == ids.count ? $0 : nil } }
            ) {
                let (matrix, _, _) = embeddings(for: ids)
                return thresholdClusters(matrix, threshold: threshold).labels
            }
        }
    }

    /// Homology audit of a split over `ids` (all with embeddings): each test protein's highest similarity to training.
    ///
    /// The highest similarities do not depend on `threshold`: the checks and the report's figures asking about one
    /// split at several thresholds share one pass (cached per split), and only the counts are redone.
    /// - Complexity: O(test × train × d) the first time for a split, O(test) after.
    public func audit(ids: [String], isTest: [Bool], threshold: Float) -> HomologyAudit {
        // One pass per split, shared by every check (and the prefetch: `RerunPrefetch`) that asks.
        var audit = auditCache.value(AuditKey(ids: ids, isTest: isTest)) {
            // Kept as the test rows and their maxima; the counts are made at the threshold asked for, below.
            kept(
                "route019-audit-1", [ResultStore.bytes(ids), ResultStore.bytes(isTest)],
                encode: { audit in
                    ResultStore.bytes(audit.testIndices) + ResultStore.bytes(audit.maxSimilarityToTrain.map(\.bitPattern))
                },
                decode: { data in
                    let tests = isTest.count { $0 }, indexBytes = tests * MemoryLayout<Int>.size
                    guard data.count == indexBytes + tests * MemoryLayout<UInt32>.size,
                          let indices = ResultStore.integers(data.prefix(indexBytes), as: Int.self),
                          let bits = ResultStore.integers(data.dropFirst(indexBytes), as: UInt32.self)
                    else { return nil }
                    return HomologyAudit(maxSimilarityToTrain: bits.map(Float.init(bitPattern:)), testIndices: indices,
                                         threshold: threshold)
                }
            ) {
                let (matrix, _, _) = embeddings(for: ids)
                return homologyAudit(matrix, isTest: isTest, threshold: threshold)
            }
        }
        if audit.threshold != threshold {
            audit = HomologyAudit(
                maxSimilarityToTrain: audit.maxSimilarityToTrain, testIndices: audit.testIndices, threshold: threshold)
        }
        return audit
    }

    /// `compute()`, or the value an earlier run kept for this data and `parts` in the result store grading keeps
    /// (``keep(in:)``, ``ResultStore/value(namespace:parts:encode:decode:compute:)``).
    func kept<T>(_ namespace: String, _ parts: [Data], encode: (T) -> Data, decode: (Data) -> T?, _ compute: () -> T) -> T {
        ResultStore.value(
            in: keptStore, namespace: namespace, parts: [Data(dataset.sha256.utf8)] + parts, encode: encode, decode: decode,
            compute: compute)
    }

    /// The result store grading keeps results in, if any.
    var keptStore: ResultStore? { resultStore.withLock { $0 } }

    /// Keeps what is the same numbers every time (reruns, repeated splits, components, audits, clusterings) in
    /// `store` between runs as well (nil: only in memory).
    public func keep(in store: ResultStore?) { resultStore.withLock { $0 = store } }

    /// Features of any sheet protein, computed from the sheet's sequence.
    public func featuresOfSheetProtein(_ id: String) -> SequenceFeatures? {
        if let i = indexByID[id] { return features[i] }
        return sequenceByID[id].map(sequenceFeatures)
    }
}
