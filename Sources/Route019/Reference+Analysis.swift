import BelayLab
import Synchronization
import BelayData

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
        let key = ComponentsKey(ids: ids, threshold: threshold)
        if let hit = subsetCache.withLock({ $0[key] }) { return hit }
        let (matrix, _, _) = embeddings(for: ids)
        let labels = thresholdClusters(matrix, threshold: threshold).labels
        subsetCache.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }  // a batch moves on from one student to the next
            cache[key] = labels
        }
        return labels
    }

    /// Homology audit of a split over `ids` (all with embeddings): each test protein's highest similarity to training.
    ///
    /// The highest similarities do not depend on `threshold`: the checks and the report's figures asking about one
    /// split at several thresholds share one pass (cached per split), and only the counts are redone.
    /// - Complexity: O(test × train × d) the first time for a split, O(test) after.
    public func audit(ids: [String], isTest: [Bool], threshold: Float) -> HomologyAudit {
        let key = AuditKey(ids: ids, isTest: isTest)
        var audit: HomologyAudit
        if let hit = auditCache.withLock({ $0[key] }) {
            audit = hit
        } else {
            let (matrix, _, _) = embeddings(for: ids)
            audit = homologyAudit(matrix, isTest: isTest, threshold: threshold)
            auditCache.withLock { cache in
                if cache.count >= 32 { cache.removeAll() }  // a batch moves on from one student to the next
                cache[key] = audit
            }
        }
        if audit.threshold != threshold {
            audit.threshold = threshold
            audit.countAboveThreshold = audit.maxSimilarityToTrain.count { $0 > threshold }
            audit.shareAboveThreshold =
                audit.testIndices.isEmpty ? 0 : Double(audit.countAboveThreshold) / Double(audit.testIndices.count)
        }
        return audit
    }

    /// Features of any sheet protein, computed from the sheet's sequence.
    public func featuresOfSheetProtein(_ id: String) -> SequenceFeatures? {
        if let i = indexByID[id] { return features[i] }
        return sequenceByID[id].map(sequenceFeatures)
    }
}
